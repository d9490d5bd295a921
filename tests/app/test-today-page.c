/* test-today-page.c: Today lists what is overdue and, on its own, what
 * falls due in the next working days; from 1 November it asks for next
 * year's holiday table (under Xvfb). */
#include <adwaita.h>

#include "test-app-fixture.h"

#include "pt-calendar.h"
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

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/app/today/groups", test_groups);

  return g_test_run ();
}
