/* test-today-page.c: Today lists what is overdue and, on its own, what
 * falls due in the next working days; from 1 November it asks for next
 * year's holiday table (under Xvfb). */
#include <adwaita.h>

#include "test-app-fixture.h"

#include "pt-calendar.h"
#include "pt-store-sync.h"
#include "pt-today-page.h"

static GtkWidget *
find_stack (GtkWidget *widget)
{
  g_autoptr(GPtrArray) stacks = g_ptr_array_new ();

  app_fixture_collect (widget, GTK_TYPE_STACK, stacks);
  g_assert_cmpuint (stacks->len, >, 0);
  return g_ptr_array_index (stacks, 0);
}

/* The visible group titled @title, or NULL. */
static GtkWidget *
find_group (GtkWidget  *widget,
            const char *title)
{
  if (ADW_IS_PREFERENCES_GROUP (widget)
      && g_strcmp0 (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget)), title) == 0)
    return gtk_widget_get_visible (widget) ? widget : NULL;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_group (child, title);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The visible row whose title contains @needle, or NULL. */
static GtkWidget *
find_row (GtkWidget  *widget,
          const char *needle)
{
  if (ADW_IS_PREFERENCES_ROW (widget) && gtk_widget_get_visible (widget))
    {
      const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
      GtkWidget *group = gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_GROUP);

      if (title != NULL && strstr (title, needle) != NULL && group != NULL && gtk_widget_get_visible (group))
        return widget;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, needle);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
show_today (AppFixture *app)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = g_object_new (PT_TYPE_TODAY_PAGE, NULL);
  GtkStack *stack;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  pt_today_page_set_desk (PT_TODAY_PAGE (page), app->desk);
  stack = GTK_STACK (find_stack (page));
  while (g_strcmp0 (gtk_stack_get_visible_child_name (stack), "loading") == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  return window;
}

static gpointer
list_job (PtStore       *store,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  return pt_store_list_cases (store, data, 0, 10000, error);
}

static void
test_groups (void)
{
  AppFixture app = { 0 };
  PtCalendar *calendar;
  g_autofree char *horizon = NULL;
  g_autoptr(GPtrArray) soon = NULL;
  g_autoptr(GPtrArray) overdue = NULL;
  PtCaseQuery q;
  GtkWidget *window;

  g_setenv ("PT_TODAY", "2026-11-20", TRUE);
  app_fixture_setup (&app, 300);
  calendar = app.reference->calendar;
  if (pt_calendar_has_year (calendar, 2027))
    {
      g_test_skip ("this build has a 2027 holiday table");
      app_fixture_teardown (&app);
      return;
    }
  horizon = pt_calendar_add_working_days (calendar, "2026-11-20", 4, NULL);

  /* The store's answer: due soon is due from today to the horizon. */
  pt_case_query_init (&q);
  q.overdue_only = TRUE;
  q.today = horizon;
  q.due_from = "2026-11-20";
  soon = pt_store_worker_run_sync (app.worker, list_job, &q, NULL);
  g_assert_cmpuint (soon->len, >, 0);
  for (guint i = 0; i < soon->len; i++)
    {
      PtCaseRow *row = g_ptr_array_index (soon, i);
      g_assert_cmpstr (row->due, >=, "2026-11-20");
      g_assert_cmpstr (row->due, <, horizon);
    }
  pt_case_query_init (&q);
  q.overdue_only = TRUE;
  q.today = "2026-11-20";
  overdue = pt_store_worker_run_sync (app.worker, list_job, &q, NULL);
  g_assert_cmpuint (overdue->len, >, 0);

  window = show_today (&app);
  /* The sidebar's count: what is overdue and what falls due soon (the demo
   * has no conflict and nothing refused). */
  g_assert_cmpuint (pt_today_page_get_n_attention (PT_TODAY_PAGE (gtk_window_get_child (GTK_WINDOW (window)))),
                    ==, overdue->len + soon->len);
  g_assert_nonnull (find_group (window, "Overdue"));
  /* Every overdue case counted, the longest overdue listed first. */
  {
    g_autofree char *total = g_strdup_printf ("%u ", overdue->len);
    const char *description = adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (find_group (window, "Overdue")));
    g_autoptr(GPtrArray) by_due = NULL;

    g_assert_nonnull (description);
    g_assert_true (g_str_has_prefix (description, total));
    pt_case_query_init (&q);
    q.overdue_only = TRUE;
    q.today = "2026-11-20";
    q.by_due = TRUE;
    by_due = pt_store_worker_run_sync (app.worker, list_job, &q, NULL);
    g_assert_cmpuint (by_due->len, ==, overdue->len);
    for (guint i = 1; i < by_due->len; i++)
      g_assert_cmpstr (((PtCaseRow *) by_due->pdata[i - 1])->due, <=, ((PtCaseRow *) by_due->pdata[i])->due);
  }
  g_assert_nonnull (find_group (window, "Due Within 3 Working Days"));
  /* 20 November: the 2027 table is asked for. */
  g_assert_nonnull (find_row (window, "2027"));
  gtk_window_destroy (GTK_WINDOW (window));

  /* October: not yet. */
  g_setenv ("PT_TODAY", "2026-10-20", TRUE);
  window = show_today (&app);
  g_assert_null (find_row (window, "2027"));
  gtk_window_destroy (GTK_WINDOW (window));

  g_unsetenv ("PT_TODAY");
  app_fixture_teardown (&app);
}

/* Refuses the newest event of the outbox as the server would for a case
 * that moved out of the desk's unit; returns its case number. */
static gpointer
refuse_job (PtStore       *store,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GPtrArray) outbox = pt_store_sync_outbox (store, 100000, error);
  g_autoptr(GPtrArray) answers = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_push_result_free);
  PtOutboxEntry *last;
  PtPushResult *refused = g_new0 (PtPushResult, 1);
  g_autoptr(PtCaseState) state = NULL;

  if (outbox == NULL || outbox->len == 0)
    return NULL;
  last = outbox->pdata[outbox->len - 1];
  refused->event_id = g_strdup (last->event->id);
  refused->device_seq = last->device_seq;
  refused->outcome = PT_PUSH_REJECTED;
  refused->reason = g_strdup ("scope: case outside this desk's unit 370304");
  g_ptr_array_add (answers, refused);
  state = pt_store_load_case (store, last->event->case_id, error);
  if (state == NULL || !pt_store_sync_acknowledge (store, answers, error))
    return NULL;
  return g_strdup (state->number);
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  app_fixture_collect (root, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), label) == 0)
      return g_ptr_array_index (buttons, i);
  return NULL;
}

/* A refused record is work on Today: its case number, what the refusal
 * means; dismissed only with a reason, and then gone from Today. */
static void
test_refused (void)
{
  AppFixture app = { 0 };
  g_autofree char *number = NULL;
  GtkWidget *window, *row, *button;
  AdwMessageDialog *dialog = NULL;
  gint64 deadline;

  app_fixture_setup (&app, 5);
  number = pt_store_worker_run_sync (app.worker, refuse_job, NULL, NULL);
  g_assert_nonnull (number);
  window = show_today (&app);
  g_assert_nonnull (find_group (window, "Refused by the District Server"));
  row = find_row (window, number);
  g_assert_nonnull (row);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "transferred"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (row), "scope: case outside"));
  button = find_button (row, "Dismiss…");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  for (GList *l = gtk_window_list_toplevels (); l != NULL; l = g_list_delete_link (l, l))
    if (ADW_IS_MESSAGE_DIALOG (l->data))
      dialog = l->data;
  g_assert_nonnull (dialog);
  /* No reason, no dismissal. */
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "dismiss"));
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "已由区中心重新录入");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "dismiss"));
  adw_message_dialog_response (dialog, "dismiss");
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (find_row (window, number) != NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  gtk_window_destroy (GTK_WINDOW (window));
  app_fixture_teardown (&app);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/app/today/groups", test_groups);
  g_test_add_func ("/app/today/refused", test_refused);

  return g_test_run ();
}
