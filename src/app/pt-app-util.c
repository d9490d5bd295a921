/* pt-app-util.c: formatting shared by the pages. */
#define G_LOG_DOMAIN "pt-app"

#include <glib/gi18n.h>

#include "pt-app-util.h"

static char *format_due (PtCalendar *calendar, const char *today, const char *due,
                         gboolean *overdue, gboolean *soon);

char *
pt_format_due (PtCalendar *calendar,
               const char *today,
               const char *due,
               gboolean    provisional,
               gboolean   *overdue,
               gboolean   *soon)
{
  g_autofree char *text = format_due (calendar, today, due, overdue, soon);

  /* Counted Monday to Friday through a year without a holiday table. */
  if (text != NULL && provisional)
    return g_strdup_printf (_("%s (provisional)"), text);
  return g_steal_pointer (&text);
}

static char *
format_due (PtCalendar *calendar,
            const char *today,
            const char *due,
            gboolean   *overdue,
            gboolean   *soon)
{
  int days;

  if (overdue != NULL)
    *overdue = FALSE;
  if (soon != NULL)
    *soon = FALSE;
  if (due == NULL || today == NULL)
    return NULL;

  if (g_strcmp0 (due, today) == 0)
    {
      if (soon != NULL)
        *soon = TRUE;
      return g_strdup (_("Due today"));
    }
  if (g_strcmp0 (due, today) < 0)
    {
      days = calendar ? pt_calendar_working_days_between (calendar, due, today, NULL) : -1;
      if (overdue != NULL)
        *overdue = TRUE;
      /* Due on a Friday, looked at on the Saturday: past its day, though
       * not by a working day yet. */
      if (days <= 0)
        return g_strdup_printf (_("Overdue since %s"), due);
      return pt_format_due_days (days, TRUE);
    }
  days = calendar ? pt_calendar_working_days_between (calendar, today, due, NULL) : -1;
  if (days < 0)
    return g_strdup_printf (_("Due %s"), due);
  if (soon != NULL)
    *soon = days <= 3;
  return pt_format_due_days (days, FALSE);
}

char *
pt_format_due_days (int      days,
                    gboolean overdue)
{
  if (overdue)
    /* Translators: working days past the time limit. */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Overdue by %d working day",
                                         "Overdue by %d working days", days), days);
  /* Translators: working days left before the time limit. */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d working day left",
                                       "%d working days left", days), days);
}

const char *
pt_status_style_class (PtCaseStatus status)
{
  switch (status)
    {
    case PT_STATUS_DELIVERED:
      return "success";
    case PT_STATUS_SUSPENDED:
      return "warning";
    case PT_STATUS_TERMINATED:
      return "error";
    case PT_STATUS_ACCEPTED:
    case PT_STATUS_AGREED:
    case PT_STATUS_ASSIGNED:
    case PT_STATUS_PLANNED:
    case PT_STATUS_IN_PROGRESS:
    case PT_STATUS_N:
    default:
      return "accent";
    }
}

void
pt_remove_all_children (GtkWidget *container)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (container)) != NULL)
    {
      if (GTK_IS_LIST_BOX (container))
        gtk_list_box_remove (GTK_LIST_BOX (container), child);
      else if (GTK_IS_BOX (container))
        gtk_box_remove (GTK_BOX (container), child);
      else if (GTK_IS_FLOW_BOX (container))
        gtk_flow_box_remove (GTK_FLOW_BOX (container), child);
      else
        gtk_widget_unparent (child);
    }
}

GtkWidget *
pt_label_new (const char *text,
              const char *first_class,
              ...)
{
  GtkWidget *label = gtk_label_new (text);
  va_list args;

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  va_start (args, first_class);
  for (const char *klass = first_class; klass != NULL; klass = va_arg (args, const char *))
    gtk_widget_add_css_class (label, klass);
  va_end (args);
  return label;
}

char *
pt_format_fen (gint64 fen)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT ".%02d", fen / 100, (int) (fen % 100));

  /* Translators: an amount of money in yuan, e.g. "12.50 yuan". */
  return g_strdup_printf (_("%s yuan"), digits);
}

const char *
pt_channel_label (const char *code)
{
  if (g_strcmp0 (code, "window") == 0)
    return _("Window");
  if (g_strcmp0 (code, "hotline") == 0)
    return _("Hotline");
  if (g_strcmp0 (code, "home_visit") == 0)
    return _("Home visit");
  return code;
}

const char *
pt_vulnerable_label (const char *code)
{
  if (g_strcmp0 (code, "elderly") == 0)
    return _("Elderly");
  if (g_strcmp0 (code, "sick") == 0)
    return _("Sick");
  if (g_strcmp0 (code, "disabled") == 0)
    return _("Disabled");
  if (g_strcmp0 (code, "pregnant") == 0)
    return _("Pregnant");
  return _("None");
}

#include <adwaita.h>

const char *
pt_ui_status_label (PtCaseStatus status)
{
  switch (status)
    {
    case PT_STATUS_ACCEPTED: return _("Accepted");
    case PT_STATUS_AGREED: return _("Agreement signed");
    case PT_STATUS_ASSIGNED: return _("Runner assigned");
    case PT_STATUS_PLANNED: return _("Plan set");
    case PT_STATUS_IN_PROGRESS: return _("In progress");
    case PT_STATUS_SUSPENDED: return _("Suspended");
    case PT_STATUS_DELIVERED: return _("Delivered");
    case PT_STATUS_TERMINATED: return _("Terminated");
    case PT_STATUS_N:
    default: return "";
    }
}

const char *
pt_ui_step_status_label (PtStepStatus status)
{
  switch (status)
    {
    case PT_STEP_PLANNED: return _("Planned");
    case PT_STEP_SUBMITTED: return _("Submitted");
    case PT_STEP_RETURNED: return _("Returned for correction");
    case PT_STEP_APPROVED: return _("Approved");
    case PT_STEP_REJECTED: return _("Rejected");
    default: return "";
    }
}

const char *
pt_ui_mode_label (PtStepMode mode)
{
  switch (mode)
    {
    case PT_MODE_SINGLE: return _("Single approval");
    case PT_MODE_PARALLEL: return _("Parallel approval");
    case PT_MODE_CROSS_LEVEL: return _("Cross-level");
    default: return "";
    }
}

const char *
pt_ui_level_label (PtLevel level)
{
  switch (level)
    {
    case PT_LEVEL_DISTRICT: return _("District");
    case PT_LEVEL_TOWN: return _("Town");
    case PT_LEVEL_VILLAGE: return _("Village");
    default: return "";
    }
}

const char *
pt_ui_event_label (PtEventType type)
{
  switch (type)
    {
    case PT_EVENT_INTAKE: return _("Intake");
    case PT_EVENT_MATERIALS_CHECKED: return _("Materials checked");
    case PT_EVENT_MISSING_NOTICE: return _("One-time notice of missing materials");
    case PT_EVENT_AGREEMENT_SIGNED: return _("Agreement signed");
    case PT_EVENT_RUNNER_ASSIGNED: return _("Runner assigned");
    case PT_EVENT_PLAN_SET: return _("Plan set");
    case PT_EVENT_STEP_SUBMITTED: return _("Submitted");
    case PT_EVENT_STEP_RETURNED: return _("Returned for correction");
    case PT_EVENT_STEP_RESUMED: return _("Resubmitted after correction");
    case PT_EVENT_STEP_APPROVED: return _("Approved");
    case PT_EVENT_STEP_REJECTED: return _("Rejected");
    case PT_EVENT_FEEDBACK_GIVEN: return _("Feedback given");
    case PT_EVENT_CASE_SUSPENDED: return _("Suspended");
    case PT_EVENT_CASE_RESUMED: return _("Resumed");
    case PT_EVENT_CASE_TRANSFERRED: return _("Transferred");
    case PT_EVENT_FEE_RECORDED: return _("Fee recorded");
    case PT_EVENT_DELIVERED: return _("Delivered");
    case PT_EVENT_TERMINATED: return _("Terminated");
    case PT_EVENT_RATED: return _("Rated");
    case PT_EVENT_RETURN_VISIT: return _("Return visit");
    case PT_EVENT_NOTE: return _("Note");
    case PT_EVENT_CONFLICT_RESOLVED: return _("Conflict resolved");
    case PT_EVENT_DOCUMENT_PRINTED: return _("Document printed");
    case PT_EVENT_N_TYPES:
    default: return "";
    }
}

void
pt_toast (GtkWidget  *widget,
          const char *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast;

  if (overlay == NULL)
    {
      g_message ("%s", message);
      return;
    }
  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

GtkWidget *
pt_entry_row_new (const char  *title,
                  GtkWidget  **entry_out)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *entry = gtk_entry_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_valign (entry, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (entry, TRUE);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), entry);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), entry);
  /* Tab and Enter go into the field, never to the row around it: a row that
   * took the focus would let the next keys fall nowhere. */
  gtk_widget_set_focusable (row, FALSE);
  *entry_out = entry;
  return row;
}

/* GTK 4.8 draws with OpenGL wherever it can, and on a machine without a GPU
 * that is Mesa's software rasterizer (llvmpipe): 75 MB more resident (LLVM's
 * code, the GL heap) and slower frames than GTK's cairo renderer (search
 * keystrokes p99 34 ms against 22 ms on a district's 200,000 cases), and it
 * drew some glyphs of the case list cut. Village desks often run on old
 * office PCs or virtual machines without one. */
void
pt_app_choose_renderer (void)
{
  if (g_getenv ("GSK_RENDERER") != NULL)
    return;
  if (!g_file_test ("/dev/dri", G_FILE_TEST_IS_DIR))
    g_setenv ("GSK_RENDERER", "cairo", FALSE);
}

char *
pt_format_sync_time (gint64 then_ms,
                     gint64 now_ms)
{
  g_autoptr(GTimeZone) beijing = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GDateTime) then = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *clock = NULL;
  g_autofree char *date = NULL;
  gint64 days;

  if (then_ms <= 0)
    return g_strdup (_("Never synced"));
  then = g_date_time_new_from_unix_utc (then_ms / 1000);
  now = g_date_time_new_from_unix_utc (now_ms / 1000);
  {
    g_autoptr(GDateTime) then_local = g_date_time_to_timezone (then, beijing);
    g_autoptr(GDateTime) now_local = g_date_time_to_timezone (now, beijing);
    g_autoptr(GDateTime) then_day = g_date_time_new (beijing, g_date_time_get_year (then_local),
                                                     g_date_time_get_month (then_local),
                                                     g_date_time_get_day_of_month (then_local), 0, 0, 0);
    g_autoptr(GDateTime) now_day = g_date_time_new (beijing, g_date_time_get_year (now_local),
                                                    g_date_time_get_month (now_local),
                                                    g_date_time_get_day_of_month (now_local), 0, 0, 0);

    days = g_date_time_difference (now_day, then_day) / G_TIME_SPAN_DAY;
    clock = g_date_time_format (then_local, "%H:%M");
    /* TRANSLATORS: a date without the year, as strftime: "Nov 28" */
    date = g_date_time_format (then_local, _("%b %-d"));
  }
  if (days <= 0)
    /* TRANSLATORS: %s is a time of day, "10:57" */
    return g_strdup_printf (_("Synced at %s"), clock);
  if (days == 1)
    return g_strdup_printf (_("Synced yesterday at %s"), clock);
  if (days < 7)
    return g_strdup_printf (g_dngettext (NULL, "Synced %d day ago", "Synced %d days ago", days), (int) days);
  /* TRANSLATORS: %s is a date without the year, "Nov 28" */
  return g_strdup_printf (_("Synced on %s"), date);
}

const char *
pt_grade_label (int grade)
{
  switch (grade)
    {
    case 5: return _("Very satisfied");
    case 4: return _("Satisfied");
    case 3: return _("Basically satisfied");
    case 2: return _("Dissatisfied");
    case 1: return _("Very dissatisfied");
    default: return NULL;
    }
}

static GtkWidget *
first_toggle_button (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = GTK_IS_TOGGLE_BUTTON (child) ? child : first_toggle_button (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

void
pt_name_inner_button (GtkWidget  *widget,
                      const char *name)
{
  GtkWidget *button = first_toggle_button (widget);

  if (button != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

char *
pt_format_beijing (GDateTime  *time,
                   const char *format)
{
  g_autoptr(GTimeZone) beijing = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return g_strdup ("");
  local = g_date_time_to_timezone (time, beijing);
  return g_date_time_format (local, format);
}
