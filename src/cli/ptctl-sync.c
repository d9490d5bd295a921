/* ptctl-sync.c: paotuanctl sync and enroll. */
#define G_LOG_DOMAIN "paotuanctl"

#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "pt-error.h"
#include "pt-store-sync.h"
#include "pt-sync.h"
#include "ptctl.h"

static void
progress_cb (const PtSyncProgress *p,
             gpointer              user_data)
{
  static const char *const names[] = { N_("connecting"), N_("pushing"), N_("pulling"), N_("reference data"), N_("done") };

  if (p->total >= 0)
    g_printerr ("\r%s: %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "    ", _(names[p->phase]), p->done, p->total);
  else
    g_printerr ("\r%s: %" G_GINT64_FORMAT "    ", _(names[p->phase]), p->done);
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
    {
      /* The numbers are formatted first: a G_GINT64_FORMAT inside _() is
       * cut short by xgettext and never matches a translation. */
      g_autofree char *pushed = g_strdup_printf ("%" G_GINT64_FORMAT, r->pushed);
      g_autofree char *duplicates = g_strdup_printf ("%" G_GINT64_FORMAT, r->duplicates);
      g_autofree char *rejected = g_strdup_printf ("%" G_GINT64_FORMAT, r->rejected);
      g_autofree char *pulled = g_strdup_printf ("%" G_GINT64_FORMAT, r->pulled);
      g_autofree char *revoked = g_strdup_printf ("%" G_GINT64_FORMAT, r->revoked);
      g_autofree char *flagged = g_strdup_printf ("%" G_GINT64_FORMAT, r->flagged);
      g_autofree char *cursor = g_strdup_printf ("%" G_GINT64_FORMAT, r->cursor);
      g_autofree char *pending = g_strdup_printf ("%" G_GINT64_FORMAT, r->pending);

      g_print (_("pushed %s, already there %s, rejected %s, pulled %s, revoked cases %s, flagged stamps %s; "
                 "cursor %s, still pending %s\n"),
               pushed, duplicates, rejected, pulled, revoked, flagged, cursor, pending);
    }
}

static int
show_status (PtStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtSyncStatus) s = pt_sync_get_status (store, &error);

  if (s == NULL)
    return ptctl_fail (error);
  {
    g_autofree char *cursor = g_strdup_printf ("%" G_GINT64_FORMAT, s->cursor);
    g_autofree char *pending = g_strdup_printf ("%" G_GINT64_FORMAT, s->pending);
    g_autofree char *quarantined = g_strdup_printf ("%" G_GINT64_FORMAT, s->quarantined);
    g_autofree char *conflicts = g_strdup_printf ("%" G_GINT64_FORMAT, s->conflicts);

    g_print (_("server: %s\ndevice: %s\nunit: %s\nlast sync: %s\ncursor: %s\n"
               "pending: %s\nquarantined: %s\nconflicts: %s\n"),
             s->server_url ? s->server_url : _("(not enrolled)"), s->device ? s->device : "-",
             s->unit ? s->unit : "-", s->last_sync ? s->last_sync : _("never"),
             cursor, pending, quarantined, conflicts);
    if (g_strcmp0 (s->token_in, "keyring") == 0)
      g_print (_("token: in the keyring\n"));
    else if (g_strcmp0 (s->token_in, "database") == 0)
      g_print (_("token: in the database\n"));
    else if (s->server_url != NULL)
      g_print (_("token: none (enroll the desk again)\n"));
  }
  return PTCTL_EXIT_OK;
}

static int
show_quarantine (PtStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = pt_store_sync_list_quarantine (store, TRUE, &error);

  if (list == NULL)
    return ptctl_fail (error);
  /* One line each: when, event, case number (or id), type, the server's
   * reason; then what it means, or why staff dismissed it. */
  for (guint i = 0; i < list->len; i++)
    {
      PtQuarantineEntry *e = list->pdata[i];
      g_autofree char *explained = pt_quarantine_explain (e->reason);
      g_autofree char *dismissed = e->dismissed_at != NULL
        ? g_strdup_printf (_("dismissed %s: %s"), e->dismissed_at, e->dismissed_reason) : NULL;

      g_print ("%s\t%s\t%s\t%s\t%s\t%s\n", e->at, e->event_id,
               e->number ? e->number : e->case_id ? e->case_id : "-",
               e->type ? e->type : "-", e->reason, dismissed != NULL ? dismissed : explained);
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
  g_autofree char *dismiss = NULL;
  g_autofree char *reason = NULL;
  int batch = 0, page = 0, status = 0;
  PtSyncOptions options;
  PtSyncReport report = { 0 };
  PtStore *store;
  GOptionEntry entries[] = {
    { "ca", 0, 0, G_OPTION_ARG_FILENAME, &ca, N_("PEM file of the district's CA (default: as enrolled)"), "FILE" },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, N_("Events per push (default 500)"), "N" },
    { "page", 0, 0, G_OPTION_ARG_INT, &page, N_("Events per pulled page (default 1000)"), "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the report as JSON"), NULL },
    { "status", 0, 0, G_OPTION_ARG_NONE, &status_only, N_("Show the sync status, do not sync"), NULL },
    { "quarantine", 0, 0, G_OPTION_ARG_NONE, &quarantine, N_("List the events the server rejected"), NULL },
    { "dismiss", 0, 0, G_OPTION_ARG_STRING, &dismiss, N_("Dismiss a rejected event (with --reason)"), "EVENT" },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why the rejected event is dismissed"), "TEXT" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("No progress on standard error"), NULL },
    { NULL }
  };

  if (!ptctl_parse (ctx, "[--status|--quarantine|--dismiss EVENT --reason TEXT]",
                    N_("Pushes this desk's new events to the district server and pulls the changes."),
                    entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return ptctl_usage_error (_("sync takes no arguments."));
  if (batch < 0 || page < 0)
    return ptctl_usage_error (_("--batch and --page must be positive."));
  store = ptctl_store (ctx, FALSE, &error);
  if (store == NULL)
    return ptctl_fail (error);
  if (status_only)
    return show_status (store);
  if (quarantine)
    return show_quarantine (store);
  if (dismiss != NULL)
    return pt_store_sync_dismiss_quarantine (store, dismiss, reason, &error) ? PTCTL_EXIT_OK : ptctl_fail (error);

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
    { "ca", 0, 0, G_OPTION_ARG_FILENAME, &ca, N_("PEM file of the district's CA, when it is private"), "FILE" },
    { NULL }
  };

  if (!ptctl_parse (ctx, "URL CODE [--ca FILE]",
                    N_("Enrolls this desk with the district server, with a one-time code from "
                       "`paotuan-server enroll`."), entries, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return ptctl_usage_error (_("enroll takes the server's https:// URL and the one-time code."));
  store = ptctl_store (ctx, FALSE, &error);
  if (store == NULL)
    return ptctl_fail (error);
  if (!pt_sync_enroll (store, argv[1], argv[2], ca, NULL, &error))
    return ptctl_fail (error);
  unit = pt_store_get_meta (store, "sync.unit");
  device = pt_store_get_meta (store, "sync.device");
  g_print (_("enrolled as device %s of unit %s\n"), device, unit);
  return PTCTL_EXIT_OK;
}
