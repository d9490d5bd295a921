/* pt-calendar.h: working days (工作日) from the yearly holiday tables.
 *
 * A working day is Monday to Friday, minus the public holidays, plus the
 * weekend days declared make-up working days (调休上班). The tables are data
 * files (data/calendar/YEAR.ini), so that a center adds next year's notice
 * without a new build. A day of a year without a table is counted by the
 * week (Monday to Friday work) and the answer is *provisional*: the _full
 * variants say so, and whoever keeps such a date counts it again once the
 * year's table is there (the store refolds its cases, pt_store_update_calendar ()).
 *
 * A calendar may be read from several threads while tables are added.
 */
#pragma once

#include <glib.h>

#include "pt-types.h"

G_BEGIN_DECLS

PtCalendar *pt_calendar_new             (void);
void        pt_calendar_free            (PtCalendar  *calendar);

/* Loads every YEAR.ini in @dir; a later load of the same year replaces it. */
gboolean    pt_calendar_load_dir        (PtCalendar  *calendar,
                                         const char  *dir,
                                         GError     **error);
gboolean    pt_calendar_load_file       (PtCalendar  *calendar,
                                         const char  *path,
                                         GError     **error);
/* Loads one table from @data, named @name ("2027.ini" or "calendar/2027.ini")
 * as the file would be; with @only_new a year that has a table keeps it. */
gboolean    pt_calendar_load_data       (PtCalendar  *calendar,
                                         const char  *name,
                                         const char  *data,
                                         gsize        length,
                                         gboolean     only_new,
                                         GError     **error);
/* Whether @year has its holiday table. */
gboolean    pt_calendar_has_year        (PtCalendar  *calendar,
                                         int          year);
/* The years that have a table, ascending, e.g. "2024 2025 2026". */
char       *pt_calendar_get_years       (PtCalendar  *calendar);
/* The first year from @from's to @to's (dates) without a table, or 0: the
 * one a provisional count ran into. */
int         pt_calendar_missing_year    (PtCalendar  *calendar,
                                         const char  *from,
                                         const char  *to);
/* A sentence for a person about a count that ran into @year, which has no
 * table yet: that the weekdays were counted and what makes it exact. */
char       *pt_calendar_provisional_note (PtCalendar *calendar,
                                          int         year);

/* @result: TRUE when @date ("YYYY-MM-DD") is a working day; in a year
 * without a table, when it is Monday to Friday. */
gboolean    pt_calendar_is_working_day  (PtCalendar  *calendar,
                                         const char  *date,
                                         gboolean    *result,
                                         GError     **error);

/* The date @n working days after @date, @date itself not counted.
 * Returns a newly allocated "YYYY-MM-DD", or NULL with @error set (a
 * malformed or impossible date). */
char       *pt_calendar_add_working_days (PtCalendar *calendar,
                                          const char *date,
                                          guint       n,
                                          GError    **error);
/* The same; @provisional (nullable) is set to whether a day from @date to
 * the answer lies in a year without a table. */
char       *pt_calendar_add_working_days_full (PtCalendar *calendar,
                                               const char *date,
                                               guint       n,
                                               gboolean   *provisional,
                                               GError    **error);

/* Working days after @from up to and including @to (0 when @to <= @from);
 * so that add_working_days (from, n) = to  <=>  working_days_between (from, to) = n
 * when @to is a working day. Returns -1 with @error set. */
int         pt_calendar_working_days_between (PtCalendar *calendar,
                                              const char *from,
                                              const char *to,
                                              GError    **error);
int         pt_calendar_working_days_between_full (PtCalendar *calendar,
                                                   const char *from,
                                                   const char *to,
                                                   gboolean   *provisional,
                                                   GError    **error);

/* A holiday's name for a date ("国庆节"), or NULL. */
const char *pt_calendar_holiday_name    (PtCalendar  *calendar,
                                         const char  *date);

/* The reason a weekend date is a make-up working day ("国庆节调休"), or NULL. */
const char *pt_calendar_workday_reason  (PtCalendar  *calendar,
                                         const char  *date);
/* The notice a year's table comes from, or NULL (no table, or none given). */
const char *pt_calendar_get_notice      (PtCalendar  *calendar,
                                         int          year);

/* Parses "YYYY-MM-DD" strictly; NULL with PT_ERROR_INVALID otherwise, the
 * message saying whether the form is wrong or which part (the month, the
 * day) does not exist. Every date of Paotuan is read with it. */
GDate      *pt_date_parse               (const char  *text,
                                         GError     **error);
char       *pt_date_format              (const GDate *date);
/* Today in China Standard Time (UTC+8), "YYYY-MM-DD". */
char       *pt_date_today               (void);
/* The CST date of a Unix time in milliseconds. */
char       *pt_date_from_unix_ms        (gint64       ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtCalendar, pt_calendar_free)

G_END_DECLS
