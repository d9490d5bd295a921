/* pt-today-page.c: the desk's day, in the order it should be worked. */
#define G_LOG_DOMAIN "pt-app"

#include <glib/gi18n.h>

#include "pt-today-page.h"

#include "pt-app-util.h"
#include "pt-reference.h"
#include "pt-store-sync.h"

#define LIMIT 20  /* per group: the Cases page lists them all */

struct _PtTodayPage
{
  AdwBin        parent_instance;

  GtkStack     *stack;
  GtkWidget    *page;         /* AdwPreferencesPage */
  GtkWidget    *calendar_group; /* next year's holiday table is missing */
  GtkWidget    *calendar_row;
  GtkWidget    *groups[7];    /* conflicts, refused, transferred here, overdue, soon, visits, handed over */
  GPtrArray    *rows;
  PtDesk       *desk;
  GCancellable *cancellable;
  guint         pending;
  guint         n_rows;
  guint         n_counting;   /* the attention count of the queries still out */
  guint         n_attention;  /* conflicts, refused records, overdue, due soon */
};

G_DEFINE_FINAL_TYPE (PtTodayPage, pt_today_page, ADW_TYPE_BIN)

enum {
  OPEN_CASE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_N_ATTENTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum { GROUP_CONFLICTS, GROUP_QUARANTINE, GROUP_INCOMING, GROUP_OVERDUE, GROUP_SOON, GROUP_VISITS,
       GROUP_HANDED_OVER, N_GROUPS };

/* How far back Today shows the transfers in and out. */
#define TRANSFER_DAYS 7

static void
row_activated_cb (AdwActionRow *row,
                  PtTodayPage  *self)
{
  g_signal_emit (self, signals[OPEN_CASE], 0, g_object_get_data (G_OBJECT (row), "number"));
}

static void
add_case_row (PtTodayPage     *self,
              guint            group,
              const PtCaseRow *row,
              const char      *today)
{
  GtkWidget *widget = adw_action_row_new ();
  g_autofree char *title = g_strdup_printf ("%s · %s", row->number, row->applicant);
  g_autofree char *due = pt_format_due (pt_desk_get_reference (self->desk)->calendar, today, row->due, row->due_provisional, NULL, NULL);
  g_autofree char *subtitle = NULL;

  if (group == GROUP_VISITS)
    subtitle = g_strdup_printf ("%s · %s · %s", pt_channel_label (row->channel),
                                row->address ? row->address : "", row->phone ? row->phone : "");
  else
    subtitle = g_strdup_printf ("%s · %s%s%s%s%s", row->items ? row->items : "",
                                pt_ui_status_label (row->status), due ? " · " : "", due ? due : "",
                                row->runner_name || row->runner ? " · " : "",
                                row->runner_name ? row->runner_name : row->runner ? row->runner : "");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (widget), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (widget), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (widget), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (widget), TRUE);
  g_object_set_data_full (G_OBJECT (widget), "number", g_strdup (row->number), g_free);
  g_signal_connect (widget, "activated", G_CALLBACK (row_activated_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->groups[group]), widget);
  g_ptr_array_add (self->rows, widget);
  gtk_widget_set_visible (self->groups[group], TRUE);
  self->n_rows++;
}

typedef struct {
  PtTodayPage *self;
  int          kind;          /* 0: conflicts; 1: overdue; 2: visits; 3: due soon; 4: transferred here */
} QueryData;

/* Dismissing a refused record: on the store's thread, then Today again. */
typedef struct {
  char *event_id;
  char *reason;
} Dismissal;

static void
dismissal_free (Dismissal *d)
{
  g_free (d->event_id);
  g_free (d->reason);
  g_free (d);
}

static gpointer
dismiss_job (PtStore       *store,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  Dismissal *d = data;

  return pt_store_sync_dismiss_quarantine (store, d->event_id, d->reason, error) ? GINT_TO_POINTER (1) : NULL;
}

static void
dismissed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PtTodayPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (pt_store_worker_run_finish (PT_STORE_WORKER (source), result, &error) == NULL)
    g_warning ("Dismissing a refused record: %s", error->message);
  /* This page, the other pages and the sidebar count it no more. */
  pt_today_page_reload (self);
  if (self->desk != NULL)
    pt_desk_emit_changed (self->desk, NULL);
}

static void
dismiss_reason_changed_cb (GtkEditable      *entry,
                           AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "dismiss", text[0] != '\0');
}

static void
dismiss_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     PtTodayPage      *self)
{
  GtkWidget *entry = adw_message_dialog_get_extra_child (dialog);
  Dismissal *d;

  if (g_strcmp0 (response, "dismiss") != 0 || self->desk == NULL)
    return;
  d = g_new0 (Dismissal, 1);
  d->event_id = g_strdup (g_object_get_data (G_OBJECT (dialog), "event-id"));
  d->reason = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));
  pt_store_worker_run_async (pt_desk_get_worker (self->desk), dismiss_job, d, (GDestroyNotify) dismissal_free,
                             NULL, NULL, dismissed_cb, g_object_ref (self));
}

/* Never silently: a refused record goes only with a reason, which stays. */
static void
dismiss_clicked_cb (GtkButton   *button,
                    PtTodayPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
    GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _("Dismiss the Refused Record?"),
    _("It will not be sent again. Say why, for example: entered again by the unit that has the case now.")));
  GtkWidget *entry = gtk_entry_new ();

  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "dismiss", _("_Dismiss"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "dismiss", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (dialog, "dismiss", FALSE);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "event-id",
                          g_strdup (g_object_get_data (G_OBJECT (button), "event-id")), g_free);
  g_signal_connect (entry, "changed", G_CALLBACK (dismiss_reason_changed_cb), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (dismiss_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Events the district server refused come back to the desk's quarantine:
 * each is work for staff, with the case it was for, what the refusal
 * means, the server's words as details, the case to open and a way to
 * dismiss it with a reason. */
static void
add_quarantine_row (PtTodayPage             *self,
                    const PtQuarantineEntry *entry)
{
  GtkWidget *widget = adw_action_row_new ();
  GtkWidget *dismiss = gtk_button_new_with_label (_("Dismiss…"));
  PtEventType type;
  const char *what = pt_event_type_from_string (entry->type, &type) ? pt_ui_event_label (type) : _("Record");
  g_autofree char *explained = pt_quarantine_explain (entry->reason);
  g_autofree char *title = entry->number != NULL ? g_strdup_printf ("%s · %s", what, entry->number) : g_strdup (what);
  g_autofree char *subtitle = entry->applicant != NULL ? g_strdup_printf ("%s · %s", entry->applicant, explained)
                                                       : g_strdup (explained);
  g_autofree char *details = g_strdup_printf (_("Refused %s. The server said: %s"),
                                              entry->at ? entry->at : "", entry->reason);
  g_autofree char *dismiss_name = g_strdup_printf (_("Dismiss the refused %s"), title);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (widget), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (widget), subtitle);
  gtk_widget_set_tooltip_text (widget, details);
  gtk_widget_set_valign (dismiss, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dismiss), GTK_ACCESSIBLE_PROPERTY_LABEL, dismiss_name, -1);
  g_object_set_data_full (G_OBJECT (dismiss), "event-id", g_strdup (entry->event_id), g_free);
  g_signal_connect (dismiss, "clicked", G_CALLBACK (dismiss_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (widget), dismiss);
  if (entry->number != NULL)
    {
      adw_action_row_add_suffix (ADW_ACTION_ROW (widget), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (widget), TRUE);
      g_object_set_data_full (G_OBJECT (widget), "number", g_strdup (entry->number), g_free);
      g_signal_connect (widget, "activated", G_CALLBACK (row_activated_cb), self);
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->groups[GROUP_QUARANTINE]), widget);
  g_ptr_array_add (self->rows, widget);
  gtk_widget_set_visible (self->groups[GROUP_QUARANTINE], TRUE);
  self->n_rows++;
}

static void finish_query (PtTodayPage *self);

/* The trace of a case this desk handed over: read only, what went where. */
static void
add_handover_row (PtTodayPage      *self,
                  const PtHandover *handover)
{
  PtReference *reference = pt_desk_get_reference (self->desk);
  const PtUnit *unit = handover->unit && reference->district ? pt_district_lookup (reference->district, handover->unit)
                                                             : NULL;
  GtkWidget *widget = adw_action_row_new ();
  g_autofree char *title = g_strdup_printf ("%s · %s", handover->number ? handover->number : "",
                                            handover->applicant ? handover->applicant : "");
  g_autoptr(GDateTime) utc = handover->at ? g_date_time_new_from_iso8601 (handover->at, NULL) : NULL;
  g_autofree char *when = pt_format_beijing (utc, "%Y-%m-%d");
  g_autofree char *subtitle = g_strdup_printf (_("%s · handed over to %s, learnt on %s"),
                                               handover->items ? handover->items : "",
                                               unit ? unit->name : handover->unit ? handover->unit : "?", when);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (widget), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (widget), subtitle);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->groups[GROUP_HANDED_OVER]), widget);
  g_ptr_array_add (self->rows, widget);
  gtk_widget_set_visible (self->groups[GROUP_HANDED_OVER], TRUE);
  self->n_rows++;
}

static gpointer
handed_over_job (PtStore       *store,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  return pt_store_sync_list_handed_over (store, data, error);
}

static void
handed_over_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PtTodayPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = pt_store_worker_run_finish (PT_STORE_WORKER (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  for (guint i = 0; list != NULL && i < list->len && i < LIMIT; i++)
    add_handover_row (self, g_ptr_array_index (list, i));
  finish_query (self);
}

static gpointer
quarantine_job (PtStore       *store,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  return pt_store_sync_list_quarantine (store, FALSE, error);
}

static void
quarantine_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PtTodayPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = pt_store_worker_run_finish (PT_STORE_WORKER (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  for (guint i = 0; entries != NULL && i < entries->len && i < LIMIT; i++)
    add_quarantine_row (self, g_ptr_array_index (entries, i));
  self->n_counting += entries != NULL ? entries->len : 0;
  finish_query (self);
}

static void
finish_query (PtTodayPage *self)
{
  if (--self->pending > 0)
    return;
  gtk_stack_set_visible_child_name (self->stack, self->n_rows > 0 ? "list" : "empty");
  if (self->n_attention != self->n_counting)
    {
      self->n_attention = self->n_counting;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ATTENTION]);
    }
}

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  QueryData *data = user_data;
  g_autoptr(PtTodayPage) self = data->self;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *today = NULL;
  int kind = data->kind;
  gint64 count = -1;

  g_free (data);
  rows = pt_store_worker_list_cases_finish (PT_STORE_WORKER (source), result, &count, &error);
  if (rows == NULL)
    {
      /* A cancelled query belongs to a reload that is over: the counts of
       * the one now running are not its own. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      pt_toast (GTK_WIDGET (self), error->message);
      finish_query (self);
      return;
    }
  /* What needs a clerk today, for the sidebar; visits are listed, not counted. */
  if (kind != 2)
    self->n_counting += count >= 0 ? (guint) count : rows->len;
  /* Every one is counted; the most urgent are listed, the rest are a
   * search away. */
  if (kind == 1 || kind == 3)
    {
      guint group = kind == 1 ? GROUP_OVERDUE : GROUP_SOON;
      g_autofree char *total = NULL;

      if (count > (gint64) rows->len)
        total = g_strdup_printf (_("%u in all; the %u most urgent are listed here, every one on the Cases page "
                                   "(filter: overdue)."), (guint) count, rows->len);
      else if (rows->len > 0)
        total = g_strdup_printf (g_dngettext (NULL, "%u case, the most urgent first.",
                                              "%u cases, the most urgent first.", rows->len), rows->len);
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->groups[group]), total);
    }
  today = pt_desk_today (self->desk);
  for (guint i = 0; i < rows->len; i++)
    {
      PtCaseRow *row = g_ptr_array_index (rows, i);

      if (kind == 0)
        add_case_row (self, GROUP_CONFLICTS, row, today);
      else if (kind == 1)
        add_case_row (self, GROUP_OVERDUE, row, today);
      else if (kind == 3)
        add_case_row (self, GROUP_SOON, row, today);
      else if (kind == 4)
        add_case_row (self, GROUP_INCOMING, row, today);
      else if (g_strcmp0 (row->channel, "window") != 0 && row->status != PT_STATUS_DELIVERED &&
               row->status != PT_STATUS_TERMINATED)
        add_case_row (self, GROUP_VISITS, row, today);
    }
  finish_query (self);
}

static void
query (PtTodayPage       *self,
       const PtCaseQuery *q,
       int                kind)
{
  QueryData *data = g_new0 (QueryData, 1);

  data->self = g_object_ref (self);
  data->kind = kind;
  self->pending++;
  pt_store_worker_list_cases_async (pt_desk_get_worker (self->desk), q, 0, LIMIT, kind != 2,
                                    self->cancellable, listed_cb, data);
}

/* From 1 November the desk asks for next year's holiday table: until it is
 * there, deadlines that run into that year are counted by the week. */
static void
update_calendar_notice (PtTodayPage *self,
                        const char  *today)
{
  PtCalendar *calendar = pt_desk_get_reference (self->desk)->calendar;
  int year = (int) g_ascii_strtoll (today, NULL, 10);
  gboolean late_in_year = strlen (today) >= 7 && strncmp (today + 5, "11", 2) >= 0;
  gboolean missing = calendar != NULL && late_in_year && !pt_calendar_has_year (calendar, year + 1);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  gtk_widget_set_visible (self->calendar_group, missing);
  if (!missing)
    return;
  self->n_rows++;   /* the page is not "Nothing Due Today" while it asks */
  title = g_strdup_printf (_("The %d holiday table is not on this desk yet"), year + 1);
  subtitle = g_strdup_printf (_("Deadlines that run into %d are counted Monday to Friday and marked provisional. "
                                "Sync with the district server once it has the State Council's notice, "
                                "or add calendar/%d.ini to the data folder; the dates are counted again at once."),
                              year + 1, year + 1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->calendar_row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->calendar_row), subtitle);
}

void
pt_today_page_reload (PtTodayPage *self)
{
  PtCaseQuery q;
  g_autofree char *today = NULL;
  g_autofree char *horizon = NULL;

  g_return_if_fail (PT_IS_TODAY_PAGE (self));
  if (self->desk == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->pending = 0;
  self->n_rows = 0;
  self->n_counting = 0;
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);

      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP)), row);
    }
  g_ptr_array_set_size (self->rows, 0);
  for (guint i = 0; i < G_N_ELEMENTS (self->groups); i++)
    gtk_widget_set_visible (self->groups[i], FALSE);

  today = pt_desk_today (self->desk);
  /* "Overdue before the horizon" = due within the next 3 working days, or overdue. */
  horizon = pt_calendar_add_working_days (pt_desk_get_reference (self->desk)->calendar, today, 4, NULL);

  pt_case_query_init (&q);
  q.conflicts_only = TRUE;
  query (self, &q, 0);

  self->pending++;
  pt_store_worker_run_async (pt_desk_get_worker (self->desk), quarantine_job, NULL, NULL,
                             (GDestroyNotify) g_ptr_array_unref, self->cancellable,
                             quarantine_cb, g_object_ref (self));

  /* Each its own query: a desk with many overdue cases still sees what
   * falls due in the next days. */
  pt_case_query_init (&q);
  q.overdue_only = TRUE;
  q.today = today;
  q.by_due = TRUE;   /* the longest overdue first */
  query (self, &q, 1);

  pt_case_query_init (&q);
  q.overdue_only = TRUE;
  q.today = horizon ? horizon : today;
  q.due_from = today;
  q.by_due = TRUE;   /* the soonest due first */
  query (self, &q, 3);

  update_calendar_notice (self, today);

  pt_case_query_init (&q);
  q.status = PT_STATUS_ACCEPTED;
  query (self, &q, 2);

  /* Transfers of the last days: in (work to take up), and out (a trace). */
  {
    gint64 since_ms = g_get_real_time () / 1000 - TRANSFER_DAYS * 24 * 3600 * G_GINT64_CONSTANT (1000);
    g_autoptr(GDateTime) since = g_date_time_new_from_unix_utc (since_ms / 1000);

    if (pt_desk_get_unit (self->desk) != NULL)
      {
        pt_case_query_init (&q);
        q.transferred_to = pt_desk_get_unit (self->desk);
        q.transferred_since = since_ms;
        query (self, &q, 4);
      }
    self->pending++;
    pt_store_worker_run_async (pt_desk_get_worker (self->desk), handed_over_job,
                               g_date_time_format_iso8601 (since), g_free, (GDestroyNotify) g_ptr_array_unref,
                               self->cancellable, handed_over_cb, g_object_ref (self));
  }
}

static void
pt_today_page_dispose (GObject *object)
{
  PtTodayPage *self = PT_TODAY_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->desk);

  G_OBJECT_CLASS (pt_today_page_parent_class)->dispose (object);
}

static void
pt_today_page_finalize (GObject *object)
{
  PtTodayPage *self = PT_TODAY_PAGE (object);

  g_ptr_array_unref (self->rows);

  G_OBJECT_CLASS (pt_today_page_parent_class)->finalize (object);
}

static void
pt_today_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PtTodayPage *self = PT_TODAY_PAGE (object);

  switch (prop_id)
    {
    case PROP_N_ATTENTION:
      g_value_set_uint (value, self->n_attention);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_today_page_class_init (PtTodayPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pt_today_page_dispose;
  object_class->finalize = pt_today_page_finalize;
  object_class->get_property = pt_today_page_get_property;

  /* Conflicts, records the server refused, overdue cases and cases due
   * within 3 working days: the count beside 今日 in the sidebar. */
  properties[PROP_N_ATTENTION] =
    g_param_spec_uint ("n-attention", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[OPEN_CASE] = g_signal_new ("open-case", G_TYPE_FROM_CLASS (klass),
                                     G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                     G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
pt_today_page_init (PtTodayPage *self)
{
  GtkWidget *empty = adw_status_page_new ();
  const char *titles[N_GROUPS];
  const char *classes[N_GROUPS] = { "error", "error", NULL, "error", "warning", NULL, NULL };

  titles[GROUP_CONFLICTS] = _("Conflicts from Sync");
  titles[GROUP_QUARANTINE] = _("Refused by the District Server");
  titles[GROUP_OVERDUE] = _("Overdue");
  titles[GROUP_SOON] = _("Due Within 3 Working Days");
  titles[GROUP_VISITS] = _("Home Visits and Hotline Bookings");
  titles[GROUP_INCOMING] = _("Transferred to This Desk");
  titles[GROUP_HANDED_OVER] = _("Handed Over to Other Units");

  self->rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  self->stack = GTK_STACK (gtk_stack_new ());
  self->page = adw_preferences_page_new ();
  self->calendar_group = adw_preferences_group_new ();
  self->calendar_row = adw_action_row_new ();
  adw_action_row_add_prefix (ADW_ACTION_ROW (self->calendar_row),
                             gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
  gtk_widget_add_css_class (self->calendar_row, "warning");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->calendar_group), self->calendar_row);
  gtk_widget_set_visible (self->calendar_group, FALSE);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page), ADW_PREFERENCES_GROUP (self->calendar_group));
  for (guint i = 0; i < N_GROUPS; i++)
    {
      self->groups[i] = adw_preferences_group_new ();
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->groups[i]), titles[i]);
      if (classes[i] != NULL)
        gtk_widget_add_css_class (self->groups[i], classes[i]);
      gtk_widget_set_visible (self->groups[i], FALSE);
      adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page), ADW_PREFERENCES_GROUP (self->groups[i]));
    }
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "pt-today-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (empty), _("Nothing Due Today"));
  adw_status_page_set_description (ADW_STATUS_PAGE (empty),
                                   _("No overdue steps, no deadlines in the next 3 working days and no visits. Press Ctrl+N for a new intake."));
  gtk_stack_add_named (self->stack, self->page, "list");
  gtk_stack_add_named (self->stack, empty, "empty");
  /* Blank until the first answers are in (the window draws before it asks):
   * not "Nothing Due Today" for a moment on a desk that has overdue cases. */
  gtk_stack_add_named (self->stack, gtk_box_new (GTK_ORIENTATION_VERTICAL, 0), "loading");
  gtk_stack_set_visible_child_name (self->stack, "loading");
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->stack));
}

void
pt_today_page_set_desk (PtTodayPage *self,
                        PtDesk      *desk)
{
  g_return_if_fail (PT_IS_TODAY_PAGE (self));
  g_set_object (&self->desk, desk);
  pt_today_page_reload (self);
}

guint
pt_today_page_get_n_attention (PtTodayPage *self)
{
  g_return_val_if_fail (PT_IS_TODAY_PAGE (self), 0);
  return self->n_attention;
}
