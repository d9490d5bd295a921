/* ptctl-init.c: paotuanctl init [--demo] */
#define G_LOG_DOMAIN "paotuanctl"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "pt-calendar.h"
#include "pt-demo.h"
#include "ptctl.h"

int
ptctl_init (PtctlContext  *ctx,
            int            argc,
            char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *unit = NULL;
  g_autofree char *today = NULL;
  gboolean demo = FALSE;
  int cases = 200, seed = 2026, status = PTCTL_EXIT_OK;
  PtStore *store;
  PtReference *reference;
  GOptionEntry entries[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo,
      N_("Fill it with a realistic district: the demo roster and cases in every state"), NULL },
    { "unit", 0, 0, G_OPTION_ARG_STRING, &unit, N_("This desk's unit (default: the district center, 370304)"), N_("CODE") },
    { "cases", 0, 0, G_OPTION_ARG_INT, &cases, N_("With --demo: how many cases (default 200)"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, N_("With --demo: the random seed (default 2026)"), N_("N") },
    { "today", 0, 0, G_OPTION_ARG_STRING, &today,
      N_("With --demo: the day the demo is made for (default: $PT_TODAY, else today)"), N_("YYYY-MM-DD") },
    { NULL }
  };

  if (!ptctl_parse (ctx, "[--demo] [--unit CODE]", _("Creates a database for this desk."), entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return ptctl_usage_error (_("init takes no arguments."));
  if (cases < 0)
    return ptctl_usage_error (_("--cases must not be negative."));
  if (today != NULL)
    {
      g_autoptr(GError) date_error = NULL;
      GDate *date = pt_date_parse (today, &date_error);

      if (date == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("--today %s: %s"), today, date_error->message);
          return ptctl_usage_error (message);
        }
      g_date_free (date);
    }
  if (ctx->db_path == NULL)
    ctx->db_path = ptctl_default_db ();
  if (g_file_test (ctx->db_path, G_FILE_TEST_EXISTS))
    {
      g_printerr (_("paotuanctl: %s already exists: give another --db, or remove it first.\n"), ctx->db_path);
      return PTCTL_EXIT_NO;
    }
  reference = ptctl_reference (ctx, &error);
  if (reference == NULL)
    return ptctl_fail (error);
  if (unit == NULL)
    unit = g_strdup ("370304");
  if (pt_district_lookup (reference->district, unit) == NULL)
    {
      g_printerr (_("paotuanctl: no unit %s in the district: `paotuanctl units` lists them.\n"), unit);
      return PTCTL_EXIT_NO;
    }

  store = ptctl_store (ctx, TRUE, &error);
  if (store == NULL
      || !pt_store_import_district (store, reference->district, &error)
      || !pt_store_set_meta (store, "unit", unit, &error))
    goto fail;
  if (demo)
    {
      PtDemoOptions options = { (guint32) seed, today, FALSE };

      if (!pt_demo_generate_full (store, &options, (guint) cases, &error))
        goto fail;
    }
  if (demo)
    g_print (_("created %s with a demo district\n"), ctx->db_path);
  else
    g_print (_("created %s\n"), ctx->db_path);
  return PTCTL_EXIT_OK;

fail:
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
}
