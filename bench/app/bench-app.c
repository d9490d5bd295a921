/* bench-app.c: the desk application's benchmarks (results in BENCHMARKS.md).
 *
 *   bench-app startup PAOTUAN DB [N]  time from exec to the first drawn frame
 *                                     of paotuan --db DB, beside a bare
 *                                     AdwApplicationWindow, N runs each
 *   bench-app bare                    the bare window (run by "startup")
 *   bench-app search DB               keystroke in the Cases search to the
 *                                     list updated and drawn (p50/p99)
 *   bench-app scroll DB               resident memory after scrolling
 *                                     through the whole case list
 *
 * Run under Xvfb: dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" ...
 */
#include <adwaita.h>
#include <malloc.h>
#include <sqlite3.h>
#include <stdio.h>

#include "pt-app-util.h"
#include "pt-cases-page.h"
#include "pt-case-list-model.h"
#include "pt-desk.h"
#include "pt-reference.h"
#include "pt-store-worker.h"

/* Bare window */

static void
bare_first_frame_cb (GdkFrameClock *clock,
                     GtkWindow     *window)
{
  g_signal_handlers_disconnect_by_func (clock, bare_first_frame_cb, window);
  g_print ("first-frame %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  g_application_quit (G_APPLICATION (gtk_window_get_application (window)));
}

static void
bare_realized_cb (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (bare_first_frame_cb), window);
}

static void
bare_activate_cb (GtkApplication *application)
{
  GtkWidget *window = adw_application_window_new (application);

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  g_signal_connect (window, "realize", G_CALLBACK (bare_realized_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

static int
run_bare (void)
{
  g_autoptr(AdwApplication) application =
    adw_application_new ("io.github.paotuan.Bench", G_APPLICATION_NON_UNIQUE);

  g_signal_connect (application, "activate", G_CALLBACK (bare_activate_cb), NULL);
  return g_application_run (G_APPLICATION (application), 0, NULL);
}

/* Startup */

static double
time_to_first_frame (char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 frame = 0;
  const char *line;
  int status = 0;

  if (!g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status, &error))
    g_error ("%s", error->message);
  line = out ? strstr (out, "first-frame ") : NULL;
  if (line == NULL)
    g_error ("%s printed no first frame (status %d)", argv[0], status);
  frame = g_ascii_strtoll (line + strlen ("first-frame "), NULL, 10);
  return (frame - start) / 1000.0;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static int
compare_reverse_string (gconstpointer a,
                        gconstpointer b)
{
  /* "%7.1f ms ..." strings: the text order is the numeric order. */
  return -g_strcmp0 (*(const char **) a, *(const char **) b);
}

static double
percentile (GArray *values,
            double  p)
{
  guint index;

  g_array_sort (values, compare_double);
  index = (guint) MIN (values->len - 1, (guint) (p * values->len));
  return g_array_index (values, double, index);
}

static int
run_startup (const char *self_path,
             const char *paotuan,
             const char *db,
             guint       n)
{
  g_autoptr(GArray) app = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) bare = g_array_new (FALSE, FALSE, sizeof (double));
  char *app_argv[] = { (char *) paotuan, (char *) "--db", (char *) db, NULL };
  char *bare_argv[] = { (char *) self_path, (char *) "bare", NULL };
  double app_median;
  double bare_median;

  g_setenv ("PT_BENCH_FIRST_FRAME", "1", TRUE);
  /* Alternating, so that both see the same cache and load. One warm-up each. */
  time_to_first_frame (app_argv);
  time_to_first_frame (bare_argv);
  for (guint i = 0; i < n; i++)
    {
      double a = time_to_first_frame (app_argv);
      double b = time_to_first_frame (bare_argv);

      g_array_append_val (app, a);
      g_array_append_val (bare, b);
    }
  app_median = percentile (app, 0.5);
  bare_median = percentile (bare, 0.5);
  g_print ("startup to first frame, median of %u: paotuan %.1f ms, bare AdwApplicationWindow %.1f ms, ratio %.2f (target <= 1.5)\n",
           n, app_median, bare_median, app_median / bare_median);
  return 0;
}

/* Search and scroll: the real Cases page over the store worker */

typedef struct {
  PtReference   *reference;
  PtStoreWorker *worker;
  PtDesk        *desk;
  GtkWidget     *window;
  PtCasesPage   *page;
  gboolean       refreshed;
  gboolean       counted;
  gboolean       painted;
} Bench;

static void
counted_cb (PtCaseListModel *model,
            Bench           *bench)
{
  bench->counted = TRUE;
}

static void
refreshed_cb (PtCaseListModel *model,
              Bench           *bench)
{
  bench->refreshed = TRUE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                Bench         *bench)
{
  bench->painted = TRUE;
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!pt_store_worker_open_finish (PT_STORE_WORKER (source), result, &error))
    g_error ("%s", error->message);
  *(gboolean *) user_data = TRUE;
}

static void
wait_for (gboolean *flag)
{
  while (!*flag)
    g_main_context_iteration (NULL, TRUE);
}

static void
bench_open (Bench      *bench,
            const char *db)
{
  g_autoptr(GError) error = NULL;
  gboolean opened = FALSE;

  bench->reference = pt_reference_load_default (&error);
  if (bench->reference == NULL)
    g_error ("%s", error->message);
  bench->worker = pt_store_worker_new (db, bench->reference);
  pt_store_worker_open_async (bench->worker, NULL, opened_cb, &opened);
  wait_for (&opened);
  bench->desk = pt_desk_new (bench->worker, NULL);

  bench->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (bench->window), 1200, 760);
  bench->page = PT_CASES_PAGE (pt_cases_page_new ());
  gtk_window_set_child (GTK_WINDOW (bench->window), GTK_WIDGET (bench->page));
  gtk_window_present (GTK_WINDOW (bench->window));
  pt_cases_page_set_desk (bench->page, bench->desk);
  g_signal_connect (pt_cases_page_get_model (bench->page), "refreshed", G_CALLBACK (refreshed_cb), bench);
  g_signal_connect (pt_cases_page_get_model (bench->page), "counted", G_CALLBACK (counted_cb), bench);
  wait_for (&bench->counted);
  g_signal_connect (gtk_widget_get_frame_clock (bench->window), "after-paint",
                    G_CALLBACK (after_paint_cb), bench);
  /* The list drawn once before the first keystroke: a desk that is open,
   * not one starting (the startup mode measures that). */
  bench->painted = FALSE;
  gtk_widget_queue_draw (bench->window);
  wait_for (&bench->painted);
}

/* The store alone, for the split: the same query as the model's first page,
 * run in the worker thread with nothing else queued. */
typedef struct {
  const char *search;
  const char *today;
  double      page_ms;
  double      count_ms;
} StoreTiming;

static gpointer
store_timing_job (PtStore       *store,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  StoreTiming *timing = data;
  g_autoptr(GPtrArray) rows = NULL;
  PtCaseQuery query;
  gint64 start;

  pt_case_query_init (&query);
  query.search = timing->search;
  query.today = timing->today;
  start = g_get_monotonic_time ();
  rows = pt_store_list_cases (store, &query, 0, PT_STORE_DEFAULT_PAGE, error);
  timing->page_ms = (g_get_monotonic_time () - start) / 1000.0;
  start = g_get_monotonic_time ();
  pt_store_count_cases (store, &query, NULL);
  timing->count_ms = (g_get_monotonic_time () - start) / 1000.0;
  return GINT_TO_POINTER (TRUE);
}

static GtkWidget *
find_search_entry (GtkWidget *widget)
{
  if (GTK_IS_SEARCH_ENTRY (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_search_entry (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkEditable *
search_entry (Bench *bench)
{
  return GTK_EDITABLE (find_search_entry (GTK_WIDGET (bench->page)));
}

/* What a clerk types: names (one and two characters too), numbers, items,
 * ID tails. */
static const char *const search_queries[] = {
  "张桂兰", "王", "刘洋", "370304-YC", "370304-20260915", "低保", "最低生活保障", "营业执照",
  "0021", "淄博", "施工许可", "李秀", "13805", NULL
};

typedef struct {
  GArray    *times;     /* keystroke to list updated and drawn, ms */
  GArray    *updated;   /* keystroke to list updated, ms */
  GPtrArray *slowest;
} SearchPass;

static void
search_pass_init (SearchPass *pass)
{
  pass->times = g_array_new (FALSE, FALSE, sizeof (double));
  pass->updated = g_array_new (FALSE, FALSE, sizeof (double));
  pass->slowest = g_ptr_array_new_with_free_func (g_free);
}

static void
search_pass_clear (SearchPass *pass)
{
  g_array_unref (pass->times);
  g_array_unref (pass->updated);
  g_ptr_array_unref (pass->slowest);
}

/* Types every query keystroke by keystroke, as a clerk does. */
static void
type_queries (Bench       *bench,
              GtkEditable *entry,
              SearchPass  *pass)
{
  for (guint q = 0; search_queries[q] != NULL; q++)
    {
      glong n_chars = g_utf8_strlen (search_queries[q], -1);

      for (glong k = 1; k <= n_chars; k++)
        {
          g_autofree char *prefix = g_utf8_substring (search_queries[q], 0, k);
          gint64 start;
          double ms;

          bench->refreshed = FALSE;
          bench->painted = FALSE;
          start = g_get_monotonic_time ();
          gtk_editable_set_text (entry, prefix);
          wait_for (&bench->refreshed);
          /* The model has the first page of the answer: what the store and
           * the worker took, and the model's update of the rows. */
          ms = (g_get_monotonic_time () - start) / 1000.0;
          g_array_append_val (pass->updated, ms);
          bench->painted = FALSE;
          gtk_widget_queue_draw (bench->window);
          wait_for (&bench->painted);
          ms = (g_get_monotonic_time () - start) / 1000.0;
          g_array_append_val (pass->times, ms);
          g_ptr_array_add (pass->slowest, g_strdup_printf ("%7.1f ms (list updated after %.1f ms)  %s", ms,
                                                           g_array_index (pass->updated, double, pass->updated->len - 1),
                                                           prefix));
        }
      gtk_editable_set_text (entry, "");
      bench->refreshed = FALSE;
      wait_for (&bench->refreshed);
    }
}

static int
run_search (const char *db)
{
  Bench bench = { 0 };
  SearchPass first, second;
  g_autoptr(GArray) store_page = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) store_count = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *today = NULL;
  GtkEditable *entry;

  bench_open (&bench, db);
  entry = search_entry (&bench);
  /* Two passes: the first meets cold caches (the glyphs of names never
   * drawn, SQLite's pages); the second is a desk that has been open a
   * while, as the core benchmark measures it. Both are printed. */
  search_pass_init (&first);
  search_pass_init (&second);
  type_queries (&bench, entry, &first);
  type_queries (&bench, entry, &second);

  /* The same queries once more, in the store alone. */
  today = pt_desk_today (bench.desk);
  for (guint q = 0; search_queries[q] != NULL; q++)
    for (glong k = 1; k <= g_utf8_strlen (search_queries[q], -1); k++)
      {
        g_autofree char *prefix = g_utf8_substring (search_queries[q], 0, k);
        StoreTiming timing = { prefix, today, 0, 0 };

        pt_store_worker_run_sync (bench.worker, store_timing_job, &timing, NULL);
        g_array_append_val (store_page, timing.page_ms);
        g_array_append_val (store_count, timing.count_ms);
      }
  g_print ("search keystroke to list updated and drawn, %u keystrokes typed twice:\n", second.times->len);
  g_print ("  second pass (desk open a while): p50 %.1f ms, p99 %.1f ms, max %.1f ms (target p99 < 50)\n",
           percentile (second.times, 0.5), percentile (second.times, 0.99), percentile (second.times, 1.0));
  g_print ("  first pass (cold caches):        p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
           percentile (first.times, 0.5), percentile (first.times, 0.99), percentile (first.times, 1.0));
  g_print ("  of which keystroke to list updated (store, worker, model), second pass: p50 %.1f ms, p99 %.1f ms\n",
           percentile (second.updated, 0.5), percentile (second.updated, 0.99));
  g_print ("  the store alone, same queries: first page p50 %.1f ms, p99 %.1f ms; count p50 %.1f ms, p99 %.1f ms\n",
           percentile (store_page, 0.5), percentile (store_page, 0.99),
           percentile (store_count, 0.5), percentile (store_count, 0.99));
  /* Where the worst keystrokes went. */
  g_ptr_array_sort (second.slowest, compare_reverse_string);
  g_ptr_array_sort (first.slowest, compare_reverse_string);
  for (guint i = 0; i < MIN (3, second.slowest->len); i++)
    g_print ("  slow, second pass: %s\n", (char *) g_ptr_array_index (second.slowest, i));
  for (guint i = 0; i < MIN (3, first.slowest->len); i++)
    g_print ("  slow, first pass:  %s\n", (char *) g_ptr_array_index (first.slowest, i));
  search_pass_clear (&first);
  search_pass_clear (&second);
  return 0;
}

static long
rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line ? atol (line + strlen ("VmRSS:")) : -1;
}

static GtkWidget *
find_list_view (GtkWidget *widget)
{
  /* The case list, not the list inside a drop-down's popover. */
  if (GTK_IS_LIST_VIEW (widget) && gtk_widget_has_css_class (widget, "case-list"))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_list_view (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static int
run_scroll (const char *db)
{
  Bench bench = { 0 };
  GtkAdjustment *adjustment;
  PtCaseListModel *model;
  long before;
  guint n;
  gint64 start;
  guint steps = 0;
  sqlite3_int64 sqlite_before = 0;

  bench_open (&bench, db);
  model = pt_cases_page_get_model (bench.page);
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (find_list_view (GTK_WIDGET (bench.page))));
  /* The Cases page is the window's only child: show the list and let it lay out. */
  while (gtk_adjustment_get_upper (adjustment) <= gtk_adjustment_get_page_size (adjustment) * 2)
    {
      bench.painted = FALSE;
      gtk_widget_queue_draw (bench.window);
      wait_for (&bench.painted);
    }
  before = rss_kb ();
  {
    sqlite3_int64 peak = 0;
    sqlite3_status64 (SQLITE_STATUS_MEMORY_USED, &sqlite_before, &peak, FALSE);
  }
  start = g_get_monotonic_time ();
  /* Three screens at a time (about one page of the model), drawing each
   * step, to the end: every page of the store is loaded once. */
  while (gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment)
         < gtk_adjustment_get_upper (adjustment) - 1)
    {
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment)
                                            + 3 * gtk_adjustment_get_page_size (adjustment));
      bench.painted = FALSE;
      gtk_widget_queue_draw (bench.window);
      wait_for (&bench.painted);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      steps++;
    }
  {
    double elapsed = (g_get_monotonic_time () - start) / 1e6;
    long after = rss_kb ();
    long trimmed;

    /* What the allocator keeps in its free lists, from the worker thread's
     * arena, is not held by the application: malloc_trim() shows it. */
    malloc_trim (0);
    trimmed = rss_kb ();
    sqlite3_int64 sqlite_now = 0, sqlite_peak = 0;

    g_print ("scrolled through %u cases in %u screens (%.1f s): resident memory %.1f MB before, %.1f MB after, %.1f MB after malloc_trim (target < 200 MB); %u pages held\n",
             n, steps, elapsed, before / 1024.0, after / 1024.0, trimmed / 1024.0,
             pt_case_list_model_get_n_pages (model));
    /* Of which the store's SQLite (its page cache mostly), for the split. */
    sqlite3_status64 (SQLITE_STATUS_MEMORY_USED, &sqlite_now, &sqlite_peak, FALSE);
    g_print ("  of which SQLite holds %.1f MB (%.1f MB before scrolling)\n",
             sqlite_now / 1048576.0, sqlite_before / 1048576.0);
  }
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  /* The application's choice of renderer, for the bare window too. */
  pt_app_choose_renderer ();
  if (argc >= 2 && g_str_equal (argv[1], "bare"))
    return run_bare ();

  gtk_init ();
  adw_init ();
  if (argc >= 4 && g_str_equal (argv[1], "startup"))
    return run_startup (argv[0], argv[2], argv[3], argc >= 5 ? (guint) atoi (argv[4]) : 10);
  if (argc >= 3 && g_str_equal (argv[1], "search"))
    return run_search (argv[2]);
  if (argc >= 3 && g_str_equal (argv[1], "scroll"))
    return run_scroll (argv[2]);
  g_printerr ("Usage: bench-app startup PAOTUAN DB [N] | search DB | scroll DB\n");
  return 2;
}
