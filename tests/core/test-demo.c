/* test-demo.c: the demo district is realistic for the day it is made: the
 * demo roster, cases due around today (a few overdue, some due within three
 * working days, most later), nothing after today, the same district for
 * the same seed and today. */
#include <string.h>

#include "pt-calendar.h"
#include "pt-demo.h"
#include "pt-roster.h"
#include "test-support.h"

#define TODAY "2026-11-16"

typedef struct {
  guint overdue;
  guint soon;       /* due today or within the next three working days */
  guint later;
  guint running;    /* not ended */
  int   worst;      /* working days the most overdue case is late */
} Counts;

static PtStore *
demo_store (guint32      seed,
            const char  *today,
            char       **dir)
{
  PtStore *store = test_store_new ("370304", dir);
  PtDemoOptions options = { seed, today, FALSE };
  g_autoptr(GError) error = NULL;

  g_assert_true (pt_demo_generate_full (store, &options, 200, &error));
  g_assert_no_error (error);
  return store;
}

static GPtrArray *
all_rows (PtStore *store)
{
  g_autoptr(GError) error = NULL;
  PtCaseQuery query;
  GPtrArray *rows;

  pt_case_query_init (&query);
  rows = pt_store_list_cases (store, &query, 0, 100000, &error);
  g_assert_no_error (error);
  return rows;
}

static Counts
count (PtStore    *store,
       const char *today)
{
  PtCalendar *calendar = test_reference ()->calendar;
  g_autofree char *horizon = pt_calendar_add_working_days (calendar, today, 4, NULL);
  g_autoptr(GPtrArray) rows = all_rows (store);
  Counts counts = { 0 };

  g_assert_nonnull (horizon);
  for (guint i = 0; i < rows->len; i++)
    {
      const PtCaseRow *row = g_ptr_array_index (rows, i);

      if (row->status != PT_STATUS_DELIVERED && row->status != PT_STATUS_TERMINATED)
        counts.running++;
      if (row->due == NULL)
        continue;
      if (strcmp (row->due, today) < 0)
        {
          counts.overdue++;
          counts.worst = MAX (counts.worst,
                              pt_calendar_working_days_between (calendar, row->due, today, NULL));
        }
      else if (strcmp (row->due, horizon) < 0)
        counts.soon++;
      else
        counts.later++;
    }
  return counts;
}

static void
test_due_around_today (void)
{
  g_autofree char *dir = NULL;
  PtStore *store = demo_store (2026, TODAY, &dir);
  Counts c = count (store, TODAY);

  g_test_message ("%s: %u overdue (at most %d working days), %u due within 3 working days, "
                  "%u later, %u not ended", TODAY, c.overdue, c.worst, c.soon, c.later, c.running);
  /* Seed 2026 on 2026-11-16: the counts a person sees on Today. */
  g_assert_cmpuint (c.overdue, ==, 3);
  g_assert_cmpuint (c.soon, ==, 6);
  g_assert_cmpuint (c.later, ==, 20);
  /* A few overdue, by days, not months; most on time. */
  g_assert_cmpint (c.worst, >=, 1);
  g_assert_cmpint (c.worst, <=, 6);
  g_assert_cmpuint (c.later, >, c.overdue + c.soon);
  pt_store_close (store);
  test_remove_dir (dir);

  /* Any other day and seed: the same shape. */
  {
    static const struct { guint32 seed; const char *today; } others[] = {
      { 7, "2026-03-02" }, { 99, "2026-06-15" }, { 2026, "2026-09-14" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (others); i++)
      {
        g_autofree char *other_dir = NULL;
        PtStore *other = demo_store (others[i].seed, others[i].today, &other_dir);
        Counts o = count (other, others[i].today);

        if (o.overdue < 1 || o.soon < 2 || o.later <= o.overdue + o.soon || o.worst > 6)
          g_error ("seed %u on %s: %u overdue (%d working days), %u soon, %u later", others[i].seed,
                   others[i].today, o.overdue, o.worst, o.soon, o.later);
        pt_store_close (other);
        test_remove_dir (other_dir);
      }
  }
}

/* Nothing of the demo happens after its today, and every case that has a
 * runner names one of the roster. */
static void
test_nothing_after_today (void)
{
  g_autofree char *dir = NULL;
  PtStore *store = demo_store (2026, TODAY, &dir);
  g_autoptr(GPtrArray) rows = all_rows (store);
  g_autofree char *newest = NULL;

  g_assert_cmpuint (rows->len, ==, 200);
  for (guint i = 0; i < rows->len; i++)
    {
      const PtCaseRow *row = g_ptr_array_index (rows, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) events = pt_store_load_events (store, row->id, &error);

      g_assert_no_error (error);
      for (guint e = 0; e < events->len; e++)
        {
          const PtEvent *event = g_ptr_array_index (events, e);
          g_autofree char *day = pt_date_from_unix_ms (event->stamp.wall);

          if (strcmp (day, TODAY) > 0)
            g_error ("case %s has an event on %s, after %s", row->number, day, TODAY);
        }
      if (row->runner != NULL)
        g_assert_nonnull (row->runner_name);
      if (newest == NULL || strcmp (row->intake_date, newest) > 0)
        newest = g_strdup (row->intake_date);
    }
  /* The list reads newest first: the first row came in last. */
  g_assert_cmpstr (((PtCaseRow *) rows->pdata[0])->intake_date, ==, newest);
  pt_store_close (store);
  test_remove_dir (dir);
}

/* The same seed and today, the same district. */
static void
test_deterministic (void)
{
  g_autofree char *dir_a = NULL;
  g_autofree char *dir_b = NULL;
  PtStore *a = demo_store (11, TODAY, &dir_a);
  PtStore *b = demo_store (11, TODAY, &dir_b);
  g_autoptr(GPtrArray) rows_a = all_rows (a);
  g_autoptr(GPtrArray) rows_b = all_rows (b);

  g_assert_cmpuint (rows_a->len, ==, rows_b->len);
  for (guint i = 0; i < rows_a->len; i++)
    {
      const PtCaseRow *ra = g_ptr_array_index (rows_a, i);
      const PtCaseRow *rb = g_ptr_array_index (rows_b, i);

      g_assert_cmpstr (ra->number, ==, rb->number);
      g_assert_cmpstr (ra->applicant, ==, rb->applicant);
      g_assert_cmpint (ra->status, ==, rb->status);
      g_assert_cmpstr (ra->due, ==, rb->due);
      g_assert_cmpstr (ra->runner, ==, rb->runner);
    }
  pt_store_close (a);
  pt_store_close (b);
  test_remove_dir (dir_a);
  test_remove_dir (dir_b);
}

/* The desk's runners are the demo roster, the file a demo server imports. */
static void
test_roster (void)
{
  g_autofree char *dir = NULL;
  PtStore *store = demo_store (2026, TODAY, &dir);
  g_autofree char *path = pt_reference_find_file (test_reference (), "demo/runners.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) file = NULL;
  g_autoptr(GPtrArray) desk = NULL;
  guint short_units = 0;
  PtDistrict *district = test_reference ()->district;

  g_assert_nonnull (path);
  file = pt_roster_load_file (path, district, &error);
  g_assert_no_error (error);
  desk = pt_store_list_runners (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (desk->len, ==, file->len);
  for (guint i = 0; i < pt_district_get_n_units (district); i++)
    {
      const PtUnit *unit = pt_district_get_unit (district, i);

      if (pt_roster_count_on_duty (file, unit->code) < pt_unit_min_runners (unit))
        short_units++;
    }
  /* One community one short, for the Runners page to flag. */
  g_assert_cmpuint (short_units, ==, 1);
  pt_store_close (store);
  test_remove_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/demo/due-around-today", test_due_around_today);
  g_test_add_func ("/demo/nothing-after-today", test_nothing_after_today);
  g_test_add_func ("/demo/deterministic", test_deterministic);
  g_test_add_func ("/demo/roster", test_roster);
  return g_test_run ();
}
