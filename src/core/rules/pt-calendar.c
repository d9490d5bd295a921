/* pt-calendar.c: working days from the yearly holiday tables.
 *
 * One table per year, read from YEAR.ini (format in data/calendar/README.md).
 * A day of a year without a table is never guessed: the State Council's
 * notice moves weekends around, so a guess would give wrong deadlines.
 */
#define G_LOG_DOMAIN "paotuan-rules"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "pt-calendar.h"
#include "pt-error.h"

typedef struct {
  int         year;
  char       *notice;
  /* Keyed by Julian day number: counting working days asks for every day,
   * and formatting each as a string to look it up was the cost of a fold. */
  GHashTable *holidays;   /* Julian day -> name */
  GHashTable *workdays;   /* Julian day -> reason (调休上班) */
} YearTable;

struct _PtCalendar {
  GHashTable *years;      /* GINT_TO_POINTER (year) -> YearTable */
};

static void
year_table_free (gpointer data)
{
  YearTable *table = data;

  g_free (table->notice);
  g_hash_table_unref (table->holidays);
  g_hash_table_unref (table->workdays);
  g_free (table);
}

PtCalendar *
pt_calendar_new (void)
{
  PtCalendar *calendar = g_new0 (PtCalendar, 1);

  calendar->years = g_hash_table_new_full (NULL, NULL, NULL, year_table_free);
  return calendar;
}

void
pt_calendar_free (PtCalendar *calendar)
{
  if (calendar == NULL)
    return;
  g_hash_table_unref (calendar->years);
  g_free (calendar);
}

/* ---- Dates ---- */

GDate *
pt_date_parse (const char  *text,
               GError     **error)
{
  int year, month, day;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    goto invalid;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      goto invalid;

  year = atoi (text);
  month = atoi (text + 5);
  day = atoi (text + 8);
  if (year < 1 || !g_date_valid_dmy (day, month, year))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("The date %s does not exist: check the month and the day."), text);
      return NULL;
    }
  return g_date_new_dmy (day, month, year);

invalid:
  g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
               _("“%s” is not a date: write it as year-month-day, like 2026-10-08."),
               text != NULL ? text : "");
  return NULL;
}

/* "YYYY-MM-DD" without printf: the fold formats a date for every event. */
static char *
format_ymd (int year,
            int month,
            int day)
{
  char *out = g_malloc (11);

  out[0] = (char) ('0' + year / 1000 % 10);
  out[1] = (char) ('0' + year / 100 % 10);
  out[2] = (char) ('0' + year / 10 % 10);
  out[3] = (char) ('0' + year % 10);
  out[4] = '-';
  out[5] = (char) ('0' + month / 10);
  out[6] = (char) ('0' + month % 10);
  out[7] = '-';
  out[8] = (char) ('0' + day / 10);
  out[9] = (char) ('0' + day % 10);
  out[10] = '\0';
  return out;
}

char *
pt_date_format (const GDate *date)
{
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  return format_ymd (g_date_get_year (date), g_date_get_month (date), g_date_get_day (date));
}

/* China has kept UTC+8 all year since 1991, so a fixed offset is right and
 * does not depend on the desk's time zone settings. */
static char *
format_cst (GDateTime *utc)
{
  g_autoptr(GDateTime) cst = g_date_time_add_hours (utc, 8);

  return g_date_time_format (cst, "%Y-%m-%d");
}

char *
pt_date_today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return format_cst (now);
}

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm): the fold
 * asks this for every event, so it avoids GDateTime's allocations. */
char *
pt_date_from_unix_ms (gint64 ms)
{
  const gint64 day_ms = 86400000, cst_ms = 8 * 3600000;
  gint64 z = (ms + cst_ms) / day_ms;
  gint64 era, doe, yoe, y, doy, mp, d, m;

  /* Round towards minus infinity so that -1 ms is still the previous day. */
  if ((ms + cst_ms) % day_ms < 0)
    z--;
  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = yoe + era * 400;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2)
    y++;
  return format_ymd ((int) y, (int) m, (int) d);
}

/* ---- Loading ---- */

static gboolean
load_group (GKeyFile    *keyfile,
            const char  *path,
            const char  *group,
            int          year,
            GHashTable  *into,
            GError     **error)
{
  g_auto(GStrv) keys = NULL;

  if (!g_key_file_has_group (keyfile, group))
    return TRUE;

  keys = g_key_file_get_keys (keyfile, group, NULL, NULL);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      g_autoptr(GDate) date = NULL;
      g_autofree char *name = NULL;

      date = pt_date_parse (keys[i], NULL);
      if (date == NULL || g_date_get_year (date) != year)
        {
          g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                       _("%s: “%s” in [%s] is not a date of %d: write it as %d-MM-DD."),
                       path, keys[i], group, year, year);
          return FALSE;
        }
      name = g_key_file_get_string (keyfile, group, keys[i], NULL);
      g_hash_table_replace (into, GUINT_TO_POINTER (g_date_get_julian (date)), g_strstrip (g_steal_pointer (&name)));
    }
  return TRUE;
}

gboolean
pt_calendar_load_file (PtCalendar  *calendar,
                       const char  *path,
                       GError     **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *basename = NULL;
  YearTable *table;
  GHashTableIter iter;
  gpointer key;
  int year;

  g_return_val_if_fail (calendar != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("Cannot read the holiday table %s: %s"), path, local_error->message);
      return FALSE;
    }

  year = g_key_file_get_integer (keyfile, "calendar", "year", &local_error);
  if (local_error != NULL || year < 1900 || year > 9999)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("%s: the [calendar] group needs a line like year=2027."), path);
      return FALSE;
    }

  /* A file named 2027.ini that says year=2026 is a copy that was not
   * finished; loading it would silently replace 2026. */
  basename = g_path_get_basename (path);
  if (strlen (basename) == 8 && g_str_has_suffix (basename, ".ini")
      && g_ascii_isdigit (basename[0]) && atoi (basename) != year)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("%s says year=%d: the file name and the year must agree."), path, year);
      return FALSE;
    }

  table = g_new0 (YearTable, 1);
  table->year = year;
  table->notice = g_key_file_get_string (keyfile, "calendar", "notice", NULL);
  table->holidays = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  table->workdays = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);

  if (!load_group (keyfile, path, "holidays", year, table->holidays, error)
      || !load_group (keyfile, path, "workdays", year, table->workdays, error))
    {
      year_table_free (table);
      return FALSE;
    }

  /* A make-up working day is a weekend day by definition, and never a
   * holiday as well: either mistake means the notice was misread. */
  g_hash_table_iter_init (&iter, table->workdays);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autoptr(GDate) date = g_date_new_julian (GPOINTER_TO_UINT (key));
      g_autofree char *text = pt_date_format (date);
      GDateWeekday wd = g_date_get_weekday (date);

      if (wd != G_DATE_SATURDAY && wd != G_DATE_SUNDAY)
        {
          g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                       _("%s: the make-up working day %s is not a Saturday or Sunday: check the notice."),
                       path, text);
          year_table_free (table);
          return FALSE;
        }
      if (g_hash_table_contains (table->holidays, key))
        {
          g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                       _("%s: %s is listed as a holiday and as a working day: keep one."),
                       path, text);
          year_table_free (table);
          return FALSE;
        }
    }

  g_hash_table_replace (calendar->years, GINT_TO_POINTER (year), table);
  return TRUE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

gboolean
pt_calendar_load_dir (PtCalendar  *calendar,
                      const char  *dir,
                      GError     **error)
{
  g_autoptr(GDir) gdir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  const char *name;

  g_return_val_if_fail (calendar != NULL, FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);

  gdir = g_dir_open (dir, 0, &local_error);
  if (gdir == NULL)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("Cannot read the calendar folder %s: %s"), dir, local_error->message);
      return FALSE;
    }

  /* Only YEAR.ini: a README or an editor's backup file beside them is not a table. */
  while ((name = g_dir_read_name (gdir)) != NULL)
    {
      if (strlen (name) == 8 && g_str_has_suffix (name, ".ini")
          && g_ascii_isdigit (name[0]) && g_ascii_isdigit (name[1])
          && g_ascii_isdigit (name[2]) && g_ascii_isdigit (name[3]))
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, compare_strings);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);

      if (!pt_calendar_load_file (calendar, path, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
pt_calendar_has_year (PtCalendar *calendar,
                      int         year)
{
  g_return_val_if_fail (calendar != NULL, FALSE);

  return g_hash_table_contains (calendar->years, GINT_TO_POINTER (year));
}

/* ---- Working days ---- */

static YearTable *
table_for (PtCalendar   *calendar,
           const GDate  *date,
           GError      **error)
{
  int year = g_date_get_year (date);
  YearTable *table = g_hash_table_lookup (calendar->years, GINT_TO_POINTER (year));

  if (table == NULL)
    g_set_error (error, PT_ERROR, PT_ERROR_CALENDAR,
                 _("There is no holiday table for %d, so working days in %d cannot be counted: "
                   "add %d.ini to the calendar folder once the State Council's notice for %d is out "
                   "(see data/calendar/README.md)."),
                 year, year, year, year);
  return table;
}

static gboolean
is_working (PtCalendar   *calendar,
            const GDate  *date,
            gboolean     *result,
            GError      **error)
{
  YearTable *table = table_for (calendar, date, error);
  gpointer key = GUINT_TO_POINTER (g_date_get_julian (date));
  GDateWeekday wd;

  if (table == NULL)
    return FALSE;

  if (g_hash_table_contains (table->workdays, key))
    *result = TRUE;
  else if (g_hash_table_contains (table->holidays, key))
    *result = FALSE;
  else
    {
      wd = g_date_get_weekday (date);
      *result = wd != G_DATE_SATURDAY && wd != G_DATE_SUNDAY;
    }
  return TRUE;
}

gboolean
pt_calendar_is_working_day (PtCalendar  *calendar,
                            const char  *date,
                            gboolean    *result,
                            GError     **error)
{
  g_autoptr(GDate) parsed = NULL;

  g_return_val_if_fail (calendar != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  parsed = pt_date_parse (date, error);
  if (parsed == NULL)
    return FALSE;
  return is_working (calendar, parsed, result, error);
}

char *
pt_calendar_add_working_days (PtCalendar  *calendar,
                              const char  *date,
                              guint        n,
                              GError     **error)
{
  g_autoptr(GDate) day = NULL;
  guint counted = 0;

  g_return_val_if_fail (calendar != NULL, NULL);

  day = pt_date_parse (date, error);
  if (day == NULL)
    return NULL;

  /* The start day itself must be in a known year too: a limit counted from
   * a date nobody can classify is not a limit. */
  if (table_for (calendar, day, error) == NULL)
    return NULL;

  while (counted < n)
    {
      gboolean working;

      g_date_add_days (day, 1);
      if (!is_working (calendar, day, &working, error))
        return NULL;
      if (working)
        counted++;
    }
  return pt_date_format (day);
}

int
pt_calendar_working_days_between (PtCalendar  *calendar,
                                  const char  *from,
                                  const char  *to,
                                  GError     **error)
{
  g_autoptr(GDate) day = NULL;
  g_autoptr(GDate) end = NULL;
  int count = 0;

  g_return_val_if_fail (calendar != NULL, -1);

  day = pt_date_parse (from, error);
  if (day == NULL)
    return -1;
  end = pt_date_parse (to, error);
  if (end == NULL)
    return -1;

  while (g_date_compare (day, end) < 0)
    {
      gboolean working;

      g_date_add_days (day, 1);
      if (!is_working (calendar, day, &working, error))
        return -1;
      if (working)
        count++;
    }
  return count;
}

const char *
pt_calendar_holiday_name (PtCalendar *calendar,
                          const char *date)
{
  g_autoptr(GDate) parsed = NULL;
  YearTable *table;

  g_return_val_if_fail (calendar != NULL, NULL);

  parsed = pt_date_parse (date, NULL);
  if (parsed == NULL)
    return NULL;
  table = g_hash_table_lookup (calendar->years, GINT_TO_POINTER ((int) g_date_get_year (parsed)));
  if (table == NULL)
    return NULL;
  return g_hash_table_lookup (table->holidays, GUINT_TO_POINTER (g_date_get_julian (parsed)));
}

const char *
pt_calendar_workday_reason (PtCalendar *calendar,
                            const char *date)
{
  g_autoptr(GDate) parsed = NULL;
  YearTable *table;

  g_return_val_if_fail (calendar != NULL, NULL);

  parsed = pt_date_parse (date, NULL);
  if (parsed == NULL)
    return NULL;
  table = g_hash_table_lookup (calendar->years, GINT_TO_POINTER ((int) g_date_get_year (parsed)));
  if (table == NULL)
    return NULL;
  return g_hash_table_lookup (table->workdays, GUINT_TO_POINTER (g_date_get_julian (parsed)));
}

const char *
pt_calendar_get_notice (PtCalendar *calendar,
                        int         year)
{
  YearTable *table;

  g_return_val_if_fail (calendar != NULL, NULL);

  table = g_hash_table_lookup (calendar->years, GINT_TO_POINTER (year));
  return table != NULL ? table->notice : NULL;
}
