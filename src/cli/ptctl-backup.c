/* ptctl-backup.c: paotuanctl backup FILE, restore FILE, check */
#define G_LOG_DOMAIN "paotuanctl"

#include <glib/gi18n-lib.h>

#include "pt-store-backup.h"
#include "ptctl.h"

int
ptctl_backup (PtctlContext  *ctx,
              int            argc,
              char         **argv)
{
  g_autoptr(GError) error = NULL;
  int status = PTCTL_EXIT_OK;
  PtStore *store;

  if (!ptctl_parse (ctx, N_("FILE"),
                    N_("Copies the database into FILE (for example on a USB stick) while the desk\n"
                       "goes on working: one file, checked whole before it takes its name."),
                    NULL, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return ptctl_usage_error (_("backup takes the file to write: paotuanctl backup FILE."));
  store = ptctl_store (ctx, FALSE, &error);
  if (store == NULL || !pt_store_backup (store, argv[1], &error))
    return ptctl_fail (error);
  g_print (_("backed up to %s\n"), argv[1]);
  return PTCTL_EXIT_OK;
}

int
ptctl_restore (PtctlContext  *ctx,
               int            argc,
               char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;
  int status = PTCTL_EXIT_OK;

  if (!ptctl_parse (ctx, N_("FILE"),
                    N_("Puts the backup FILE in place of the database. The backup is checked first;\n"
                       "the database as it was is kept beside it (FILE.before-restore-…).\n"
                       "Close the application first: a desk that has the database open stops recording."),
                    NULL, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return ptctl_usage_error (_("restore takes the backup to restore: paotuanctl restore FILE."));
  if (ctx->db_path == NULL)
    ctx->db_path = ptctl_default_db ();
  if (!pt_store_restore (argv[1], ctx->db_path, &kept, &error))
    return ptctl_fail (error);
  g_print (_("restored %s from %s\n"), ctx->db_path, argv[1]);
  if (kept != NULL)
    g_print (_("the database as it was is kept as %s\n"), kept);
  return PTCTL_EXIT_OK;
}

int
ptctl_check (PtctlContext  *ctx,
             int            argc,
             char         **argv)
{
  g_autoptr(GError) error = NULL;
  int status = PTCTL_EXIT_OK;

  if (!ptctl_parse (ctx, NULL, N_("Checks the database whole, or a backup file given as FILE."),
                    NULL, &argc, &argv, &status))
    return status;
  if (argc > 2)
    return ptctl_usage_error (_("check takes at most one file."));
  if (ctx->db_path == NULL)
    ctx->db_path = ptctl_default_db ();
  if (!pt_store_check_file (argc == 2 ? argv[1] : ctx->db_path, &error))
    return ptctl_fail (error);
  g_print (_("%s is sound\n"), argc == 2 ? argv[1] : ctx->db_path);
  return PTCTL_EXIT_OK;
}
