/* ptctl-init.c: paotuanctl init [--demo] */
#define G_LOG_DOMAIN "paotuanctl"

#include <glib/gstdio.h>

#include "pt-demo.h"
#include "ptctl.h"

int
ptctl_init (PtctlContext  *ctx,
            int            argc,
            char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *unit = NULL;
  gboolean demo = FALSE;
  int cases = 200, seed = 2026, status = PTCTL_EXIT_OK;
  PtStore *store;
  PtReference *reference;
  GOptionEntry entries[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo, "Fill it with a realistic district: runners and cases in every state", NULL },
    { "unit", 0, 0, G_OPTION_ARG_STRING, &unit, "This desk's unit (default: the district center, 370304)", "CODE" },
    { "cases", 0, 0, G_OPTION_ARG_INT, &cases, "With --demo: how many cases (default 200)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "With --demo: the random seed (default 2026)", "N" },
    { NULL }
  };

  if (!ptctl_parse (ctx, "[--demo] [--unit CODE]", "Creates a database for this desk.", entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return ptctl_usage_error ("init takes no arguments.");
  if (cases < 0)
    return ptctl_usage_error ("--cases must not be negative.");
  if (ctx->db_path == NULL)
    ctx->db_path = ptctl_default_db ();
  if (g_file_test (ctx->db_path, G_FILE_TEST_EXISTS))
    {
      g_printerr ("paotuanctl: %s already exists: give another --db, or remove it first.\n", ctx->db_path);
      return PTCTL_EXIT_NO;
    }
  reference = ptctl_reference (ctx, &error);
  if (reference == NULL)
    return ptctl_fail (error);
  if (unit == NULL)
    unit = g_strdup ("370304");
  if (pt_district_lookup (reference->district, unit) == NULL)
    {
      g_printerr ("paotuanctl: no unit %s in the district: `paotuanctl units` lists them.\n", unit);
      return PTCTL_EXIT_NO;
    }

  store = ptctl_store (ctx, TRUE, &error);
  if (store == NULL
      || !pt_store_import_district (store, reference->district, &error)
      || !pt_store_set_meta (store, "unit", unit, &error)
      || (demo && !pt_demo_generate (store, (guint) cases, (guint32) seed, &error)))
    {
      g_autofree char *wal = g_strconcat (ctx->db_path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (ctx->db_path, "-shm", NULL);

      /* The half-made file goes once its connection is closed. */
      g_clear_pointer (&ctx->store, pt_store_close);
      g_unlink (ctx->db_path);
      g_unlink (wal);
      g_unlink (shm);
      return ptctl_fail (error);
    }
  g_print ("created %s%s\n", ctx->db_path, demo ? " with a demo district" : "");
  return PTCTL_EXIT_OK;
}
