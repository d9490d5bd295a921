/* test-calendar.c: working days from the shipped 2024-2026 tables. */
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "pt-calendar.h"
#include "pt-error.h"

static PtCalendar *
shipped_calendar (void)
{
  PtCalendar *calendar = pt_calendar_new ();
  g_autofree char *dir = g_build_filename (g_getenv ("PAOTUAN_DATA_DIR"), "calendar", NULL);
  g_autoptr(GError) error = NULL;

  if (!pt_calendar_load_dir (calendar, dir, &error))
    g_error ("%s", error->message);
  return calendar;
}

static gboolean
working (PtCalendar *calendar,
         const char *date)
{
  g_autoptr(GError) error = NULL;
  gboolean result = FALSE;

  if (!pt_calendar_is_working_day (calendar, date, &result, &error))
    g_error ("%s: %s", date, error->message);
  return result;
}

static void
test_years (void)
{
  g_autoptr(PtCalendar) calendar = shipped_calendar ();

  g_assert_true (pt_calendar_has_year (calendar, 2024));
  g_assert_true (pt_calendar_has_year (calendar, 2025));
  g_assert_true (pt_calendar_has_year (calendar, 2026));
  g_assert_false (pt_calendar_has_year (calendar, 2027));
  g_assert_false (pt_calendar_has_year (calendar, 2023));
  g_assert_nonnull (strstr (pt_calendar_get_notice (calendar, 2025), "国办发明电〔2024〕12号"));
}

/* Every line of the official tables (cn-holidays-2024-2026.md). */
static void
test_official_days (void)
{
  g_autoptr(PtCalendar) calendar = shipped_calendar ();
  const char *holidays[] = {
    "2024-01-01", "2024-02-10", "2024-02-15", "2024-02-17", "2024-04-04", "2024-04-05",
    "2024-05-01", "2024-05-03", "2024-06-10", "2024-09-16", "2024-09-17", "2024-10-07",
    "2025-01-01", "2025-01-28", "2025-02-03", "2025-02-04", "2025-04-04", "2025-05-05",
    "2025-05-31", "2025-06-02", "2025-10-01", "2025-10-08",
    "2026-01-01", "2026-01-02", "2026-02-16", "2026-02-23", "2026-04-06", "2026-05-04",
    "2026-06-19", "2026-09-25", "2026-10-01", "2026-10-07",
  };
  const char *makeup[] = {
    "2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14",
    "2024-09-29", "2024-10-12",
    "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
    "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
  };

  for (guint i = 0; i < G_N_ELEMENTS (holidays); i++)
    {
      if (working (calendar, holidays[i]))
        g_error ("%s should be a holiday", holidays[i]);
      g_assert_nonnull (pt_calendar_holiday_name (calendar, holidays[i]));
    }
  for (guint i = 0; i < G_N_ELEMENTS (makeup); i++)
    {
      if (!working (calendar, makeup[i]))
        g_error ("%s should be a make-up working day", makeup[i]);
      g_assert_nonnull (pt_calendar_workday_reason (calendar, makeup[i]));
    }

  g_assert_cmpstr (pt_calendar_holiday_name (calendar, "2026-10-03"), ==, "国庆节");
  g_assert_cmpstr (pt_calendar_holiday_name (calendar, "2025-10-06"), ==, "国庆节、中秋节");
  g_assert_cmpstr (pt_calendar_holiday_name (calendar, "2026-09-25"), ==, "中秋节");
  g_assert_null (pt_calendar_holiday_name (calendar, "2026-11-26"));
  g_assert_null (pt_calendar_holiday_name (calendar, "2027-01-01"));
  g_assert_null (pt_calendar_holiday_name (calendar, "not a date"));
  g_assert_nonnull (strstr (pt_calendar_workday_reason (calendar, "2026-09-20"), "国庆节"));

  /* Ordinary days: a Thursday works, a Saturday does not, and a 2025
   * weekday that was a make-up day in 2024 (the tables are per year). */
  g_assert_true (working (calendar, "2026-11-26"));
  g_assert_false (working (calendar, "2026-11-28"));
  g_assert_false (working (calendar, "2026-11-29"));
  g_assert_false (working (calendar, "2025-09-27"));
  /* 2026-06-20 is a Saturday inside the 端午节 holiday. */
  g_assert_false (working (calendar, "2026-06-20"));
}

static void
test_worked_example (void)
{
  g_autoptr(PtCalendar) calendar = shipped_calendar ();
  g_autoptr(GError) error = NULL;
  g_autofree char *due5 = NULL;
  g_autofree char *due20 = NULL;
  g_autofree char *same = NULL;

  due5 = pt_calendar_add_working_days (calendar, "2025-09-26", 5, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (due5, ==, "2025-10-10");

  due20 = pt_calendar_add_working_days (calendar, "2025-09-26", 20, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (due20, ==, "2025-10-30");

  same = pt_calendar_add_working_days (calendar, "2025-09-26", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (same, ==, "2025-09-26");

  g_assert_cmpint (pt_calendar_working_days_between (calendar, "2025-09-26", "2025-10-10", NULL), ==, 5);
  g_assert_cmpint (pt_calendar_working_days_between (calendar, "2025-09-26", "2025-10-30", NULL), ==, 20);
  g_assert_cmpint (pt_calendar_working_days_between (calendar, "2025-10-30", "2025-09-26", NULL), ==, 0);
  g_assert_cmpint (pt_calendar_working_days_between (calendar, "2025-09-26", "2025-09-26", NULL), ==, 0);
}

/* add (from, n) = to  <=>  between (from, to) = n, for every start day of
 * the three years and limits up to 45 (Art. 42's joint handling). */
static void
test_add_between_inverse (void)
{
  g_autoptr(PtCalendar) calendar = shipped_calendar ();
  g_autoptr(GDate) day = g_date_new_dmy (1, G_DATE_JANUARY, 2024);
  guint limits[] = { 1, 5, 10, 20, 45 };

  while (g_date_get_year (day) < 2026 || g_date_get_month (day) < G_DATE_OCTOBER)
    {
      g_autofree char *from = pt_date_format (day);

      for (guint i = 0; i < G_N_ELEMENTS (limits); i++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *to = pt_calendar_add_working_days (calendar, from, limits[i], &error);

          g_assert_no_error (error);
          g_assert_true (working (calendar, to));
          g_assert_cmpint (pt_calendar_working_days_between (calendar, from, to, NULL), ==, limits[i]);
        }
      g_date_add_days (day, 1);
    }
}

static void
test_across_years (void)
{
  g_autoptr(PtCalendar) calendar = shipped_calendar ();
  g_autoptr(GError) error = NULL;
  g_autofree char *due = NULL;

  /* 2024-12-27 is a Friday: Mon 30, Tue 31, (2025-01-01 元旦), Thu 2, Fri 3. */
  due = pt_calendar_add_working_days (calendar, "2024-12-27", 4, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (due, ==, "2025-01-03");
}

/* A year without a table is counted by the week, and every count that met
 * it says it is provisional. */
static void
test_missing_year (void)
{
  g_autoptr(PtCalendar) calendar = shipped_calendar ();
  g_autoptr(GError) error = NULL;
  g_autofree char *due = NULL;
  g_autofree char *years = NULL;
  g_autofree char *note = NULL;
  gboolean provisional = FALSE;
  gboolean result = FALSE;

  /* 2026-12-18 + 20 working days runs into 2027, which has no table:
   * Monday to Friday, 2027-01-01 included. */
  due = pt_calendar_add_working_days_full (calendar, "2026-12-18", 20, &provisional, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (due, ==, "2027-01-15");
  g_assert_true (provisional);
  g_clear_pointer (&due, g_free);
  due = pt_calendar_add_working_days (calendar, "2026-12-18", 20, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (due, ==, "2027-01-15");

  g_assert_true (pt_calendar_is_working_day (calendar, "2023-06-01", &result, &error));
  g_assert_no_error (error);
  g_assert_true (result);    /* a Thursday */
  g_assert_true (pt_calendar_is_working_day (calendar, "2023-06-03", &result, &error));
  g_assert_false (result);   /* a Saturday */

  g_assert_cmpint (pt_calendar_working_days_between_full (calendar, "2026-12-30", "2027-01-05", &provisional, &error),
                   ==, 4);
  g_assert_true (provisional);
  g_assert_cmpint (pt_calendar_missing_year (calendar, "2026-12-20", "2027-01-15"), ==, 2027);
  g_assert_cmpint (pt_calendar_missing_year (calendar, "2025-12-20", "2026-01-15"), ==, 0);
  years = pt_calendar_get_years (calendar);
  g_assert_cmpstr (years, ==, "2024 2025 2026");
  note = pt_calendar_provisional_note (calendar, 2027);
  g_assert_nonnull (strstr (note, "2027.ini"));

  /* Inside 2026 the same calendar is exact. */
  g_clear_pointer (&due, g_free);
  due = pt_calendar_add_working_days_full (calendar, "2026-12-18", 5, &provisional, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (due, ==, "2026-12-25");
  g_assert_false (provisional);
  g_assert_cmpint (pt_calendar_working_days_between_full (calendar, "2026-12-18", "2026-12-25", &provisional, NULL), ==, 5);
  g_assert_false (provisional);
}

/* The case: 20 working days from Sunday 2026-12-20 are provisional
 * without a 2027 table, and exact once it is there (from the server's
 * reference data: pt_calendar_load_data ()). */
static void
test_year_added (void)
{
  static const char table_2027[] =
    "[calendar]\nyear=2027\nnotice=test\n"
    "[holidays]\n2027-01-01=元旦\n2027-01-02=元旦\n2027-01-03=元旦\n";
  g_autoptr(PtCalendar) calendar = shipped_calendar ();
  g_autoptr(GError) error = NULL;
  g_autofree char *due = NULL;
  g_autofree char *years = NULL;
  gboolean provisional = FALSE;

  due = pt_calendar_add_working_days_full (calendar, "2026-12-20", 20, &provisional, &error);
  g_assert_cmpstr (due, ==, "2027-01-15");
  g_assert_true (provisional);

  g_assert_true (pt_calendar_load_data (calendar, "calendar/2027.ini", table_2027, strlen (table_2027), TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (pt_calendar_has_year (calendar, 2027));
  years = pt_calendar_get_years (calendar);
  g_assert_cmpstr (years, ==, "2024 2025 2026 2027");
  g_clear_pointer (&due, g_free);
  due = pt_calendar_add_working_days_full (calendar, "2026-12-20", 20, &provisional, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (due, ==, "2027-01-18");
  g_assert_false (provisional);

  /* Only new years: a table the calendar has stays. */
  g_assert_true (pt_calendar_load_data (calendar, "calendar/2026.ini", "[calendar]\nyear=2026\n", 21, TRUE, &error));
  g_assert_no_error (error);
  g_assert_false (working (calendar, "2026-10-01"));
  /* A table whose name and year disagree is refused. */
  g_assert_false (pt_calendar_load_data (calendar, "calendar/2028.ini", table_2027, strlen (table_2027), TRUE, &error));
  g_assert_error (error, PT_ERROR, PT_ERROR_DATA);
}

static char *
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

/* A center drops 2027.ini into its own folder: the year becomes usable and
 * a corrected 2026.ini replaces the shipped one. */
static void
test_user_adds_year (void)
{
  g_autoptr(PtCalendar) calendar = shipped_calendar ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pt-calendar-XXXXXX", &error);
  g_autofree char *p2027 = NULL;
  g_autofree char *p2026 = NULL;
  g_autofree char *readme = NULL;
  g_autofree char *due = NULL;

  g_assert_no_error (error);
  p2027 = write_file (dir, "2027.ini",
                      "[calendar]\nyear=2027\nnotice=test\n"
                      "[holidays]\n2027-01-01=元旦\n"
                      "[workdays]\n2027-01-02=元旦调休\n");
  p2026 = write_file (dir, "2026.ini",
                      "[calendar]\nyear=2026\n[holidays]\n2026-11-26=test day\n");
  readme = write_file (dir, "README.md", "not a table\n");

  g_assert_true (pt_calendar_load_dir (calendar, dir, &error));
  g_assert_no_error (error);
  g_assert_true (pt_calendar_has_year (calendar, 2027));
  g_assert_false (working (calendar, "2027-01-01"));
  g_assert_true (working (calendar, "2027-01-02"));   /* a Saturday, made a working day */
  g_assert_false (working (calendar, "2026-11-26"));
  g_assert_true (working (calendar, "2026-10-05"));   /* 国庆节 gone with the replaced table */

  due = pt_calendar_add_working_days (calendar, "2026-12-31", 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (due, ==, "2027-01-02");

  g_unlink (p2027);
  g_unlink (p2026);
  g_unlink (readme);
  g_rmdir (dir);
}

static void
test_broken_files (void)
{
  struct { const char *name; const char *contents; const char *needle; } cases[] = {
    { "2027.ini", "[holidays]\n2027-01-01=元旦\n", "year=2027" },
    { "2027.ini", "[calendar]\nyear=2026\n", "file name and the year" },
    { "2027.ini", "[calendar]\nyear=2027\n[holidays]\n2026-01-01=元旦\n", "not a date of 2027" },
    { "2027.ini", "[calendar]\nyear=2027\n[holidays]\n2027-02-30=x\n", "not a date of 2027" },
    { "2027.ini", "[calendar]\nyear=2027\n[workdays]\n2027-01-04=x\n", "not a Saturday or Sunday" },
    { "2027.ini", "[calendar]\nyear=2027\n[holidays]\n2027-01-02=x\n[workdays]\n2027-01-02=x\n", "keep one" },
    { "2027.ini", "this is [not a key file\n", "Cannot read" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PtCalendar) calendar = pt_calendar_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = g_dir_make_tmp ("pt-calendar-XXXXXX", NULL);
      g_autofree char *path = write_file (dir, cases[i].name, cases[i].contents);

      g_assert_false (pt_calendar_load_file (calendar, path, &error));
      g_assert_error (error, PT_ERROR, PT_ERROR_DATA);
      if (strstr (error->message, cases[i].needle) == NULL)
        g_error ("“%s” not in “%s”", cases[i].needle, error->message);
      g_assert_false (pt_calendar_has_year (calendar, 2027));
      g_unlink (path);
      g_rmdir (dir);
    }
}

static void
test_dates (void)
{
  const char *bad[] = { "", "2026-2-1", "2026/02/01", "26-02-01", "2026-02-30", "2026-13-01",
                        "2026-00-10", "20260201", "2026-02-01 ", "abcd-ef-gh" };
  g_autoptr(GDate) date = NULL;
  g_autofree char *text = NULL;
  g_autofree char *today = NULL;

  date = pt_date_parse ("2024-02-29", NULL);
  g_assert_nonnull (date);
  text = pt_date_format (date);
  g_assert_cmpstr (text, ==, "2024-02-29");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDate) none = pt_date_parse (bad[i], &error);

      g_assert_null (none);
      g_assert_error (error, PT_ERROR, PT_ERROR_INVALID);
    }

  /* The message says what is wrong: the form, the month, or the day. */
  {
    static const struct { const char *date; const char *needle; } why[] = {
      { "2026/02/01", "is not a date" },
      { "2026-13-01", "there is no month 13. Check the month" },
      { "2026-00-10", "there is no month 0" },
      { "2026-02-30", "month 2 of 2026 has only 28 days. Check the day" },
      { "2024-02-30", "month 2 of 2024 has only 29 days" },
      { "2026-11-31", "month 11 of 2026 has only 30 days" },
      { "2026-11-00", "check the month and the day" },
    };
    for (guint i = 0; i < G_N_ELEMENTS (why); i++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(GDate) none = pt_date_parse (why[i].date, &error);

        g_assert_null (none);
        if (strstr (error->message, why[i].needle) == NULL)
          g_error ("%s: “%s” does not say “%s”", why[i].date, error->message, why[i].needle);
      }
  }

  /* 2026-11-26T15:59:59.999Z is 23:59:59.999 in Beijing; a millisecond later
   * it is the 27th there. */
  g_free (text);
  text = pt_date_from_unix_ms (G_GINT64_CONSTANT (1795708799999));
  g_assert_cmpstr (text, ==, "2026-11-26");
  g_free (text);
  text = pt_date_from_unix_ms (G_GINT64_CONSTANT (1795708800000));
  g_assert_cmpstr (text, ==, "2026-11-27");
  g_free (text);
  text = pt_date_from_unix_ms (0);
  g_assert_cmpstr (text, ==, "1970-01-01");
  g_free (text);
  text = pt_date_from_unix_ms (-28800001);   /* 1969-12-31T15:59:59.999Z */
  g_assert_cmpstr (text, ==, "1969-12-31");

  today = pt_date_today ();
  g_assert_nonnull (today);
  {
    g_autoptr(GDate) parsed_today = pt_date_parse (today, NULL);

    g_assert_nonnull (parsed_today);
  }
  {
    g_autofree char *now = pt_date_from_unix_ms (g_get_real_time () / 1000);
    /* Equal unless the test runs across midnight in Beijing. */
    g_assert_true (strcmp (today, now) <= 0);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("PAOTUAN_DATA_DIR") == NULL)
    g_setenv ("PAOTUAN_DATA_DIR", PT_SOURCE_DATA_DIR, TRUE);

  g_test_add_func ("/rules/calendar/years", test_years);
  g_test_add_func ("/rules/calendar/official-days", test_official_days);
  g_test_add_func ("/rules/calendar/worked-example", test_worked_example);
  g_test_add_func ("/rules/calendar/add-between-inverse", test_add_between_inverse);
  g_test_add_func ("/rules/calendar/across-years", test_across_years);
  g_test_add_func ("/rules/calendar/missing-year", test_missing_year);
  g_test_add_func ("/rules/calendar/year-added", test_year_added);
  g_test_add_func ("/rules/calendar/user-adds-year", test_user_adds_year);
  g_test_add_func ("/rules/calendar/broken-files", test_broken_files);
  g_test_add_func ("/rules/calendar/dates", test_dates);

  return g_test_run ();
}
