/* pt-bench-core: the district-scale benchmark of the core.
 *
 *   pt-bench-core generate --db FILE [--cases 200000] [--seed N]
 *   pt-bench-core measure --db FILE [--queries 1000] [--singles 2000] [--rebuilds 1]
 *
 * generate builds a district-scale database with the demo district's real
 * structure (every event through pt_store_append_batch, in batches, folded and
 * indexed as a desk does) and reports batched appends per second. measure
 * reports single-event transactions per second, the time to rebuild every
 * cached state from the log, search latency over realistic Chinese queries,
 * and the database's size.
 */
#include <glib/gstdio.h>
#include <stdio.h>
#include <sys/stat.h>

#include "pt-calendar.h"
#include "pt-demo.h"
#include "pt-json.h"
#include "pt-reference.h"
#include "pt-store.h"

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
percentile (GArray *samples,
            double  p)
{
  guint index;

  g_array_sort (samples, compare_doubles);
  index = (guint) (p * (samples->len - 1) + 0.5);
  return g_array_index (samples, double, index);
}

static gint64
file_size (const char *path)
{
  struct stat st;
  gint64 total = 0;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);

  if (stat (path, &st) == 0)
    total += st.st_size;
  if (stat (wal, &st) == 0)
    total += st.st_size;
  return total;
}

static int
generate (PtStore *store,
          guint    n_cases,
          guint32  seed)
{
  g_autoptr(GError) error = NULL;
  PtDemoOptions options = { seed, "2026-11-26", TRUE };
  g_autoptr(PtDemo) demo = pt_demo_new (store, &options);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_event_free);
  guint64 n_events = 0;
  double append_seconds = 0, make_seconds = 0;
  g_autoptr(GTimer) timer = g_timer_new ();

  if (!pt_demo_add_runners (demo, &error))
    goto fail;
  for (guint i = 0; i < n_cases; i++)
    {
      g_autoptr(GPtrArray) events = NULL;

      g_timer_start (timer);
      events = pt_demo_next_case (demo, i, n_cases);
      make_seconds += g_timer_elapsed (timer, NULL);
      for (guint e = 0; e < events->len; e++)
        g_ptr_array_add (batch, g_steal_pointer (&events->pdata[e]));
      if (batch->len >= 5000 || i + 1 == n_cases)
        {
          g_timer_start (timer);
          if (!pt_store_append_batch (store, batch, TRUE, &error))
            goto fail;
          append_seconds += g_timer_elapsed (timer, NULL);
          n_events += batch->len;
          g_ptr_array_set_size (batch, 0);
        }
      if ((i + 1) % 20000 == 0)
        fprintf (stderr, "  %u cases, %" G_GUINT64_FORMAT " events\n", i + 1, n_events);
    }
  printf ("cases                      %u\n", n_cases);
  printf ("events                     %" G_GUINT64_FORMAT " (%.1f per case)\n", n_events, (double) n_events / n_cases);
  printf ("batched appends            %.0f events/s (batches of ~5000 events, %.1f s; generating them took %.1f s more)\n",
          n_events / append_seconds, append_seconds, make_seconds);
  return 0;

fail:
  fprintf (stderr, "pt-bench-core: %s\n", error->message);
  return 1;
}

/* Queries a clerk types: a surname, a full or partial name, an ID tail, a
 * case number or its tail, an item name or a part of it, an enterprise name
 * part; a quarter of them one or two characters. */
static GPtrArray *
make_queries (PtStore *store,
              guint    n,
              guint32  seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  GPtrArray *queries = g_ptr_array_new_with_free_func (g_free);
  PtCaseQuery query;
  g_autoptr(GPtrArray) rows = NULL;
  gint64 total;

  pt_case_query_init (&query);
  total = pt_store_count_cases (store, &query, &error);
  while (queries->len < n)
    {
      guint offset = g_rand_int_range (rand, 0, (gint32) total);
      PtCaseRow *row;
      g_autofree char *q = NULL;
      glong name_len;

      g_clear_pointer (&rows, g_ptr_array_unref);
      rows = pt_store_list_cases (store, &query, offset, 1, &error);
      if (rows == NULL || rows->len == 0)
        continue;
      row = g_ptr_array_index (rows, 0);
      name_len = g_utf8_strlen (row->applicant, -1);
      switch (g_rand_int_range (rand, 0, 8))
        {
        case 0: q = g_utf8_substring (row->applicant, 0, 1); break;                       /* 王 */
        case 1: q = g_utf8_substring (row->applicant, name_len > 4 ? 2 : 1, name_len > 4 ? 4 : name_len); break; /* 桂兰 / 宏达 */
        case 2: q = g_strdup (row->applicant); break;
        case 3: q = g_strdup (row->number + strlen (row->number) - 13); break;            /* 20261126-0007 */
        case 4: q = g_utf8_substring (row->items, 0, 4); break;                           /* 最低生活 */
        case 5: q = g_utf8_substring (row->items, 0, 2); break;                           /* 最低 */
        case 6: q = g_strdup (row->phone + strlen (row->phone) - 4); break;               /* 5678 */
        default: q = g_strdup_printf ("%s %s", row->number + strlen (row->number) - 4,
                                      g_utf8_offset_to_pointer (row->applicant, 0)); break;
        }
      g_ptr_array_add (queries, g_steal_pointer (&q));
    }
  return queries;
}

static gboolean verbose;

static int
measure (PtStore    *store,
         const char *path,
         guint       n_queries,
         guint       n_singles,
         guint       n_rebuilds)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autoptr(GPtrArray) differences = NULL;
  g_autoptr(GPtrArray) queries = NULL;
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GPtrArray) rows = NULL;
  PtCaseQuery query;
  double seconds;
  guint64 hits = 0;

  printf ("database size              %.1f MB\n", file_size (path) / 1e6);

  /* Single-event transactions: a note on a recent case, each committed (and
   * fsynced, synchronous=FULL) on its own, as a runner records them. */
  pt_case_query_init (&query);
  rows = pt_store_list_cases (store, &query, 0, 100, &error);
  g_timer_start (timer);
  for (guint i = 0; i < n_singles; i++)
    {
      PtCaseRow *row = g_ptr_array_index (rows, i % rows->len);
      JsonObject *payload = json_object_new ();
      g_autoptr(PtEvent) event = NULL;

      json_object_set_string_member (payload, "text", "已电话告知申请人办理进度");
      event = pt_store_new_event (store, row->id, PT_EVENT_NOTE, payload, "R-0001");
      if (!pt_store_append (store, event, &error))
        goto fail;
    }
  seconds = g_timer_elapsed (timer, NULL);
  printf ("single-event transactions  %.0f events/s (%u appends, each its own committed transaction)\n",
          n_singles / seconds, n_singles);

  queries = make_queries (store, n_queries, 2026);
  /* One warm-up pass, as a desk that has been open a while; then measured. */
  for (guint i = 0; i < queries->len; i++)
    {
      query.search = g_ptr_array_index (queries, i);
      g_clear_pointer (&rows, g_ptr_array_unref);
      rows = pt_store_list_cases (store, &query, 0, PT_STORE_DEFAULT_PAGE, &error);
    }
  for (guint i = 0; i < queries->len; i++)
    {
      double ms;
      gint64 count;
      query.search = g_ptr_array_index (queries, i);
      g_timer_start (timer);
      /* What the list does per keystroke: the count and the first page. */
      count = pt_store_count_cases (store, &query, &error);
      g_clear_pointer (&rows, g_ptr_array_unref);
      rows = pt_store_list_cases (store, &query, 0, PT_STORE_DEFAULT_PAGE, &error);
      ms = g_timer_elapsed (timer, NULL) * 1000;
      if (rows == NULL || count < 0)
        goto fail;
      hits += count > 0;
      g_array_append_val (latencies, ms);
      if (verbose && ms > 20)
        fprintf (stderr, "  slow: %7.1f ms  %6" G_GINT64_FORMAT " found  \"%s\"\n", ms, count, query.search);
    }
  printf ("search (count + first page of %u), %u queries: p50 %.2f ms, p99 %.2f ms, max %.2f ms; %" G_GUINT64_FORMAT " found something\n",
          PT_STORE_DEFAULT_PAGE, queries->len, percentile (latencies, 0.5), percentile (latencies, 0.99),
          percentile (latencies, 1.0), hits);

  /* Rebuilds, side by side in one run: this machine's spread is wide. */
  {
    g_autoptr(GArray) seconds_each = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GString) each = g_string_new (NULL);
    guint n_differed = 0;

    for (guint r = 0; r < n_rebuilds; r++)
      {
        double s;

        g_clear_pointer (&differences, g_ptr_array_unref);
        g_timer_start (timer);
        if (!pt_store_rebuild (store, &differences, &error))
          goto fail;
        s = g_timer_elapsed (timer, NULL);
        g_array_append_val (seconds_each, s);
        g_string_append_printf (each, "%s%.1f", r ? ", " : "", s);
        n_differed += differences->len;
      }
    printf ("rebuild from the log       median %.1f s of %u (%s s); %u cases differed\n",
            percentile (seconds_each, 0.5), n_rebuilds, each->str, n_differed);
  }
  return 0;

fail:
  fprintf (stderr, "pt-bench-core: %s\n", error ? error->message : "failed");
  return 1;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("generate|measure");
  g_autofree char *db = NULL;
  int cases = 200000, seed = 2026, queries = 1000, singles = 2000, rebuilds = 1;
  g_autoptr(PtReference) reference = NULL;
  g_autoptr(PtStore) store = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "The benchmark database", "FILE" },
    { "cases", 0, 0, G_OPTION_ARG_INT, &cases, "generate: cases (default 200000)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "generate: random seed", "N" },
    { "queries", 0, 0, G_OPTION_ARG_INT, &queries, "measure: search queries (default 1000)", "N" },
    { "singles", 0, 0, G_OPTION_ARG_INT, &singles, "measure: single-event transactions (default 2000)", "N" },
    { "rebuilds", 0, 0, G_OPTION_ARG_INT, &rebuilds, "measure: rebuilds, for their median (default 1)", "N" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "measure: print each query slower than 20 ms", NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 || db == NULL
      || (!g_str_equal (argv[1], "generate") && !g_str_equal (argv[1], "measure")))
    {
      fprintf (stderr, "usage: pt-bench-core generate|measure --db FILE\n");
      return 2;
    }
  reference = pt_reference_load_default (&error);
  if (reference == NULL)
    goto fail;
  if (g_str_equal (argv[1], "generate") && g_file_test (db, G_FILE_TEST_EXISTS))
    {
      fprintf (stderr, "pt-bench-core: %s exists; remove it first\n", db);
      return 1;
    }
  store = pt_store_open (db, reference, &error);
  if (store == NULL)
    goto fail;
  if (g_str_equal (argv[1], "generate"))
    {
      if (!pt_store_import_district (store, reference->district, &error)
          || !pt_store_set_meta (store, "unit", "370304", &error))
        goto fail;
      return generate (store, (guint) cases, (guint32) seed);
    }
  return measure (store, db, (guint) queries, (guint) singles, (guint) MAX (rebuilds, 1));

fail:
  fprintf (stderr, "pt-bench-core: %s\n", error->message);
  return 1;
}
