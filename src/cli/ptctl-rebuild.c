/* ptctl-rebuild.c: paotuanctl rebuild */
#define G_LOG_DOMAIN "paotuanctl"

#include <glib/gi18n-lib.h>

#include "ptctl.h"

int
ptctl_rebuild (PtctlContext  *ctx,
               int            argc,
               char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) differences = NULL;
  int status = PTCTL_EXIT_OK;
  PtStore *store;

  if (!ptctl_parse (ctx, NULL, N_("Folds every case again from its event log, rewrites the cache, and\n"
                                  "reports each case whose cached state differed (exit status 1 if any did)."),
                    NULL, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return ptctl_usage_error (_("rebuild takes no arguments."));
  store = ptctl_store (ctx, FALSE, &error);
  if (store == NULL || !pt_store_integrity_check (store, &error) || !pt_store_rebuild (store, &differences, &error))
    return ptctl_fail (error);

  for (guint i = 0; i < differences->len; i++)
    g_print (_("differed: %s\n"), (const char *) g_ptr_array_index (differences, i));
  g_print (g_dngettext (GETTEXT_PACKAGE, "rebuilt; %u case differed from the cache\n",
                        "rebuilt; %u cases differed from the cache\n", differences->len),
           differences->len);
  return differences->len == 0 ? PTCTL_EXIT_OK : PTCTL_EXIT_NO;
}
