/* ptctl-sync.c: paotuanctl sync and enroll. */
#define G_LOG_DOMAIN "paotuanctl"

#include <stdio.h>
#include <unistd.h>

#include "pt-error.h"
#include "pt-store-sync.h"
#include "pt-sync.h"
#include "ptctl.h"

static void
progress_cb (const PtSyncProgress *p,
             gpointer              user_data)
{
  static const char *const names[] = { "connecting", "pushing", "pulling", "reference data", "done" };

  if (p->total >= 0)
    g_printerr ("\r%s: %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "    ", names[p->phase], p->done, p->total);
  else
    g_printerr ("\r%s: %" G_GINT64_FORMAT "    ", names[p->phase], p->done);
  if (p->phase == PT_SYNC_PHASE_DONE)
    g_printerr ("\n");
}

static void
print_report (const PtSyncReport *r,
              gboolean            json)
{
  if (json)
    g_print ("{\"pushed\": %" G_GINT64_FORMAT ", \"duplicates\": %" G_GINT64_FORMAT
             ", \"rejected\": %" G_GINT64_FORMAT ", \"pulled\": %" G_GINT64_FORMAT
             ", \"revoked\": %" G_GINT64_FORMAT ", \"flagged\": %" G_GINT64_FORMAT
             ", \"cursor\": %" G_GINT64_FORMAT ", \"pending\": %" G_GINT64_FORMAT
             ", \"server_time\": %" G_GINT64_FORMAT "}\n",
             r->pushed, r->duplicates, r->rejected, r->pulled, r->revoked, r->flagged,
             r->cursor, r->pending, r->server_time);
  else
    g_print ("pushed %" G_GINT64_FORMAT ", already there %" G_GINT64_FORMAT
             ", rejected %" G_GINT64_FORMAT ", pulled %" G_GINT64_FORMAT
             ", revoked cases %" G_GINT64_FORMAT ", flagged stamps %" G_GINT64_FORMAT
             "; cursor %" G_GINT64_FORMAT ", still pending %" G_GINT64_FORMAT "\n",
             r->pushed, r->duplicates, r->rejected, r->pulled, r->revoked, r->flagged,
             r->cursor, r->pending);
}

static int
show_status (PtStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtSyncStatus) s = pt_sync_get_status (store, &error);

  if (s == NULL)
    return ptctl_fail (error);
  g_print ("server: %s\ndevice: %s\nunit: %s\nlast sync: %s\ncursor: %" G_GINT64_FORMAT
           "\npending: %" G_GINT64_FORMAT "\nquarantined: %" G_GINT64_FORMAT
           "\nconflicts: %" G_GINT64_FORMAT "\n",
           s->server_url ? s->server_url : "(not enrolled)", s->device ? s->device : "-",
           s->unit ? s->unit : "-", s->last_sync ? s->last_sync : "never",
           s->cursor, s->pending, s->quarantined, s->conflicts);
  return PTCTL_EXIT_OK;
}

static int
show_quarantine (PtStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = pt_store_sync_list_quarantine (store, &error);

  if (list == NULL)
    return ptctl_fail (error);
  for (guint i = 0; i < list->len; i++)
    {
      PtQuarantineEntry *e = list->pdata[i];
      g_print ("%s\t%s\t%s\t%s\t%s\n", e->at, e->event_id, e->case_id ? e->case_id : "-",
               e->type ? e->type : "-", e->reason);
    }
  return PTCTL_EXIT_OK;
}

int
ptctl_sync (PtctlContext *ctx,
            int           argc,
            char        **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ca = NULL;
  gboolean json = FALSE, status_only = FALSE, quarantine = FALSE, quiet = FALSE;
  int batch = 0, page = 0, status = 0;
  PtSyncOptions options;
  PtSyncReport report = { 0 };
  PtStore *store;
  GOptionEntry entries[] = {
    { "ca", 0, 0, G_OPTION_ARG_FILENAME, &ca, "PEM file of the district's CA (default: as enrolled)", "FILE" },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, "Events per push (default 500)", "N" },
    { "page", 0, 0, G_OPTION_ARG_INT, &page, "Events per pulled page (default 1000)", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the report as JSON", NULL },
    { "status", 0, 0, G_OPTION_ARG_NONE, &status_only, "Show the sync status, do not sync", NULL },
    { "quarantine", 0, 0, G_OPTION_ARG_NONE, &quarantine, "List the events the server rejected", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress on standard error", NULL },
    { NULL }
  };

  if (!ptctl_parse (ctx, "[--status|--quarantine]",
                    "Pushes this desk's new events to the district server and pulls the changes.",
                    entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return ptctl_usage_error ("sync takes no arguments.");
  if (batch < 0 || page < 0)
    return ptctl_usage_error ("--batch and --page must be positive.");
  store = ptctl_store (ctx, FALSE, &error);
  if (store == NULL)
    return ptctl_fail (error);
  if (status_only)
    return show_status (store);
  if (quarantine)
    return show_quarantine (store);

  pt_sync_options_init (&options);
  options.ca_file = ca;
  options.batch_size = batch;
  options.page_size = page;
  if (!quiet && isatty (STDERR_FILENO))
    options.progress = progress_cb;
  if (!pt_sync_run (store, &options, &report, NULL, &error))
    {
      if (!quiet)
        print_report (&report, json);
      return ptctl_fail (error);
    }
  print_report (&report, json);
  return PTCTL_EXIT_OK;
}

int
ptctl_enroll (PtctlContext *ctx,
              int           argc,
              char        **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ca = NULL;
  g_autofree char *unit = NULL;
  g_autofree char *device = NULL;
  int status = 0;
  PtStore *store;
  GOptionEntry entries[] = {
    { "ca", 0, 0, G_OPTION_ARG_FILENAME, &ca, "PEM file of the district's CA, when it is private", "FILE" },
    { NULL }
  };

  if (!ptctl_parse (ctx, "URL CODE [--ca FILE]",
                    "Enrolls this desk with the district server, with a one-time code from "
                    "`paotuan-server enroll`.", entries, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return ptctl_usage_error ("enroll takes the server's https:// URL and the one-time code.");
  store = ptctl_store (ctx, FALSE, &error);
  if (store == NULL)
    return ptctl_fail (error);
  if (!pt_sync_enroll (store, argv[1], argv[2], ca, NULL, &error))
    return ptctl_fail (error);
  unit = pt_store_get_meta (store, "sync.unit");
  device = pt_store_get_meta (store, "sync.device");
  g_print ("enrolled as device %s of unit %s\n", device, unit);
  return PTCTL_EXIT_OK;
}
