/* pt-calendar.h: working days (工作日) from the yearly holiday tables.
 *
 * A working day is Monday to Friday, minus the public holidays, plus the
 * weekend days declared make-up working days (调休上班). The tables are data
 * files (data/calendar/YEAR.ini), so that a center adds next year's notice
 * without a new build. A date in a year without a table is an error that
 * says so (PT_ERROR_CALENDAR).
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
gboolean    pt_calendar_has_year        (PtCalendar  *calendar,
                                         int          year);

/* @result: TRUE when @date ("YYYY-MM-DD") is a working day. */
gboolean    pt_calendar_is_working_day  (PtCalendar  *calendar,
                                         const char  *date,
                                         gboolean    *result,
                                         GError     **error);

/* The date @n working days after @date, @date itself not counted.
 * Returns a newly allocated "YYYY-MM-DD", or NULL with @error set. */
char       *pt_calendar_add_working_days (PtCalendar *calendar,
                                          const char *date,
                                          guint       n,
                                          GError    **error);

/* Working days after @from up to and including @to (0 when @to <= @from);
 * so that add_working_days (from, n) = to  <=>  working_days_between (from, to) = n
 * when @to is a working day. Returns -1 with @error set. */
int         pt_calendar_working_days_between (PtCalendar *calendar,
                                              const char *from,
                                              const char *to,
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

/* Parses "YYYY-MM-DD" strictly; NULL with PT_ERROR_INVALID otherwise. */
GDate      *pt_date_parse               (const char  *text,
                                         GError     **error);
char       *pt_date_format              (const GDate *date);
/* Today in China Standard Time (UTC+8), "YYYY-MM-DD". */
char       *pt_date_today               (void);
/* The CST date of a Unix time in milliseconds. */
char       *pt_date_from_unix_ms        (gint64       ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtCalendar, pt_calendar_free)

G_END_DECLS
