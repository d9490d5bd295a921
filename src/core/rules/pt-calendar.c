/* pt-calendar.c: working days from the yearly holiday tables.
 *
 * One table per year, read from YEAR.ini (format in data/calendar/README.md).
 * A day of a year without a table is counted by the week, and every count
 * that met one says it is provisional: the State Council's notice moves
 * weekends around, so such a count may change once the table is there, and
 * the date must not be taken for final (docs/reference-data.md).
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

/* Tables are only ever added or replaced, under the writer's lock: the
 * desk's window and its sync read one calendar while a sync adds a year. */
struct _PtCalendar {
  GRWLock     lock;
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

  g_rw_lock_init (&calendar->lock);
  calendar->years = g_hash_table_new_full (NULL, NULL, NULL, year_table_free);
  return calendar;
}

void
pt_calendar_free (PtCalendar *calendar)
{
  if (calendar == NULL)
    return;
  g_hash_table_unref (calendar->years);
  g_rw_lock_clear (&calendar->lock);
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

  /* The form is right: what is wrong now is a part that does not exist,
   * and the message names it rather than the form. */
  year = atoi (text);
  month = atoi (text + 5);
  day = atoi (text + 8);
  if (year >= 1 && (month < 1 || month > 12))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("The date %s does not exist: there is no month %d. Check the month."), text, month);
      return NULL;
    }
  if (year >= 1 && day >= 1 && !g_date_valid_dmy (day, month, year))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("The date %s does not exist: month %d of %d has only %d days. Check the day."),
                   text, month, year, (int) g_date_get_days_in_month (month, year));
      return NULL;
    }
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

/* Parses a table from @keyfile; @path names it in messages and its base
 * name must agree with the year when it is a YEAR.ini. */
static YearTable *
parse_table (GKeyFile    *keyfile,
             const char  *path,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *basename = NULL;
  YearTable *table;
  GHashTableIter iter;
  gpointer key;
  int year;

  year = g_key_file_get_integer (keyfile, "calendar", "year", &local_error);
  if (local_error != NULL || year < 1900 || year > 9999)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("%s: the [calendar] group needs a line like year=2027."), path);
      return NULL;
    }

  /* A file named 2027.ini that says year=2026 is a copy that was not
   * finished; loading it would silently replace 2026. */
  basename = g_path_get_basename (path);
  if (strlen (basename) == 8 && g_str_has_suffix (basename, ".ini")
      && g_ascii_isdigit (basename[0]) && atoi (basename) != year)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("%s says year=%d: the file name and the year must agree."), path, year);
      return NULL;
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
      return NULL;
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
          return NULL;
        }
      if (g_hash_table_contains (table->holidays, key))
        {
          g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                       _("%s: %s is listed as a holiday and as a working day: keep one."),
                       path, text);
          year_table_free (table);
          return NULL;
        }
    }
  return table;
}

static void
add_table (PtCalendar *calendar,
           YearTable  *table,
           gboolean    only_new)
{
  g_rw_lock_writer_lock (&calendar->lock);
  if (only_new && g_hash_table_contains (calendar->years, GINT_TO_POINTER (table->year)))
    year_table_free (table);
  else
    g_hash_table_replace (calendar->years, GINT_TO_POINTER (table->year), table);
  g_rw_lock_writer_unlock (&calendar->lock);
}

gboolean
pt_calendar_load_file (PtCalendar  *calendar,
                       const char  *path,
                       GError     **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  YearTable *table;

  g_return_val_if_fail (calendar != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("Cannot read the holiday table %s: %s"), path, local_error->message);
      return FALSE;
    }
  table = parse_table (keyfile, path, error);
  if (table == NULL)
    return FALSE;
  add_table (calendar, table, FALSE);
  return TRUE;
}

gboolean
pt_calendar_load_data (PtCalendar  *calendar,
                       const char  *name,
                       const char  *data,
                       gsize        length,
                       gboolean     only_new,
                       GError     **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  YearTable *table;

  g_return_val_if_fail (calendar != NULL, FALSE);
  g_return_val_if_fail (name != NULL && data != NULL, FALSE);

  if (!g_key_file_load_from_data (keyfile, data, length, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("Cannot read the holiday table %s: %s"), name, local_error->message);
      return FALSE;
    }
  table = parse_table (keyfile, name, error);
  if (table == NULL)
    return FALSE;
  add_table (calendar, table, only_new);
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
  gboolean has;

  g_return_val_if_fail (calendar != NULL, FALSE);

  g_rw_lock_reader_lock (&calendar->lock);
  has = g_hash_table_contains (calendar->years, GINT_TO_POINTER (year));
  g_rw_lock_reader_unlock (&calendar->lock);
  return has;
}

static int
compare_ints (gconstpointer a,
              gconstpointer b)
{
  return *(const int *) a - *(const int *) b;
}

char *
pt_calendar_get_years (PtCalendar *calendar)
{
  g_autoptr(GArray) years = g_array_new (FALSE, FALSE, sizeof (int));
  GString *text = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (calendar != NULL, NULL);

  g_rw_lock_reader_lock (&calendar->lock);
  g_hash_table_iter_init (&iter, calendar->years);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      int year = GPOINTER_TO_INT (key);
      g_array_append_val (years, year);
    }
  g_rw_lock_reader_unlock (&calendar->lock);
  g_array_sort (years, compare_ints);
  for (guint i = 0; i < years->len; i++)
    g_string_append_printf (text, "%s%d", i > 0 ? " " : "", g_array_index (years, int, i));
  return g_string_free (text, FALSE);
}

int
pt_calendar_missing_year (PtCalendar *calendar,
                          const char *from,
                          const char *to)
{
  g_autoptr(GDate) first = NULL;
  g_autoptr(GDate) last = NULL;

  g_return_val_if_fail (calendar != NULL, 0);

  first = pt_date_parse (from, NULL);
  last = pt_date_parse (to, NULL);
  if (first == NULL || last == NULL)
    return 0;
  for (int year = g_date_get_year (first); year <= g_date_get_year (last); year++)
    if (!pt_calendar_has_year (calendar, year))
      return year;
  return 0;
}

char *
pt_calendar_provisional_note (PtCalendar *calendar,
                              int         year)
{
  return g_strdup_printf (_("The holidays of %d are not known yet (no holiday table for %d): "
                            "its days were counted Monday to Friday, so the date is provisional. "
                            "It is counted again once the table for %d is added "
                            "(from the district server, or %d.ini in the calendar folder)."),
                          year, year, year, year);
}

/* ---- Working days ---- */

/* The table of @year or NULL, under the reader's lock. */
static YearTable *
lookup_year (PtCalendar *calendar,
             int         year)
{
  return g_hash_table_lookup (calendar->years, GINT_TO_POINTER (year));
}

/* Whether @date is a working day by @table, or by the week without one. */
static gboolean
is_working_in (YearTable   *table,
               const GDate *date)
{
  gpointer key = GUINT_TO_POINTER (g_date_get_julian (date));
  GDateWeekday wd;

  if (table != NULL && g_hash_table_contains (table->workdays, key))
    return TRUE;
  if (table != NULL && g_hash_table_contains (table->holidays, key))
    return FALSE;
  wd = g_date_get_weekday (date);
  return wd != G_DATE_SATURDAY && wd != G_DATE_SUNDAY;
}

/* Walks day by day, keeping the current year's table: a count asks for
 * every day, and a hash lookup of the year for each was the cost of a
 * fold. */
typedef struct {
  PtCalendar *calendar;
  int         year;
  YearTable  *table;
  gboolean    provisional;
} Walk;

static gboolean
walk_is_working (Walk        *walk,
                 const GDate *date)
{
  int year = g_date_get_year (date);

  if (year != walk->year)
    {
      walk->year = year;
      walk->table = lookup_year (walk->calendar, year);
    }
  if (walk->table == NULL)
    walk->provisional = TRUE;
  return is_working_in (walk->table, date);
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
  g_rw_lock_reader_lock (&calendar->lock);
  *result = is_working_in (lookup_year (calendar, g_date_get_year (parsed)), parsed);
  g_rw_lock_reader_unlock (&calendar->lock);
  return TRUE;
}

char *
pt_calendar_add_working_days_full (PtCalendar  *calendar,
                                   const char  *date,
                                   guint        n,
                                   gboolean    *provisional,
                                   GError     **error)
{
  g_autoptr(GDate) day = NULL;
  Walk walk = { calendar, 0, NULL, FALSE };
  guint counted = 0;

  g_return_val_if_fail (calendar != NULL, NULL);

  if (provisional != NULL)
    *provisional = FALSE;
  day = pt_date_parse (date, error);
  if (day == NULL)
    return NULL;

  g_rw_lock_reader_lock (&calendar->lock);
  while (counted < n)
    {
      g_date_add_days (day, 1);
      if (walk_is_working (&walk, day))
        counted++;
    }
  g_rw_lock_reader_unlock (&calendar->lock);
  if (provisional != NULL)
    *provisional = walk.provisional;
  return pt_date_format (day);
}

char *
pt_calendar_add_working_days (PtCalendar  *calendar,
                              const char  *date,
                              guint        n,
                              GError     **error)
{
  return pt_calendar_add_working_days_full (calendar, date, n, NULL, error);
}

int
pt_calendar_working_days_between_full (PtCalendar  *calendar,
                                       const char  *from,
                                       const char  *to,
                                       gboolean    *provisional,
                                       GError     **error)
{
  g_autoptr(GDate) day = NULL;
  g_autoptr(GDate) end = NULL;
  Walk walk = { calendar, 0, NULL, FALSE };
  int count = 0;

  g_return_val_if_fail (calendar != NULL, -1);

  if (provisional != NULL)
    *provisional = FALSE;
  day = pt_date_parse (from, error);
  if (day == NULL)
    return -1;
  end = pt_date_parse (to, error);
  if (end == NULL)
    return -1;

  g_rw_lock_reader_lock (&calendar->lock);
  while (g_date_compare (day, end) < 0)
    {
      g_date_add_days (day, 1);
      if (walk_is_working (&walk, day))
        count++;
    }
  g_rw_lock_reader_unlock (&calendar->lock);
  if (provisional != NULL)
    *provisional = walk.provisional;
  return count;
}

int
pt_calendar_working_days_between (PtCalendar  *calendar,
                                  const char  *from,
                                  const char  *to,
                                  GError     **error)
{
  return pt_calendar_working_days_between_full (calendar, from, to, NULL, error);
}

/* The text @group of @table holds for @date, or NULL. The tables are never
 * freed while the calendar lives (a replaced year's table would be: a
 * caller keeps the text only while it does not load that year again). */
static const char *
lookup_text (PtCalendar *calendar,
             const char *date,
             gboolean    holiday)
{
  g_autoptr(GDate) parsed = NULL;
  const char *text = NULL;
  YearTable *table;

  g_return_val_if_fail (calendar != NULL, NULL);

  parsed = pt_date_parse (date, NULL);
  if (parsed == NULL)
    return NULL;
  g_rw_lock_reader_lock (&calendar->lock);
  table = lookup_year (calendar, g_date_get_year (parsed));
  if (table != NULL)
    text = g_hash_table_lookup (holiday ? table->holidays : table->workdays,
                                GUINT_TO_POINTER (g_date_get_julian (parsed)));
  g_rw_lock_reader_unlock (&calendar->lock);
  return text;
}

const char *
pt_calendar_holiday_name (PtCalendar *calendar,
                          const char *date)
{
  return lookup_text (calendar, date, TRUE);
}

const char *
pt_calendar_workday_reason (PtCalendar *calendar,
                            const char *date)
{
  return lookup_text (calendar, date, FALSE);
}

const char *
pt_calendar_get_notice (PtCalendar *calendar,
                        int         year)
{
  const char *notice = NULL;
  YearTable *table;

  g_return_val_if_fail (calendar != NULL, NULL);

  g_rw_lock_reader_lock (&calendar->lock);
  table = lookup_year (calendar, year);
  if (table != NULL)
    notice = table->notice;
  g_rw_lock_reader_unlock (&calendar->lock);
  return notice;
}
