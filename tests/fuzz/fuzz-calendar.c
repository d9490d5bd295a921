/* fuzz-calendar.c: a holiday table (calendar/YEAR.ini), as a desk gets it
 * from the server or a clerk drops it into the data folder. */
#include "pt-fuzz.h"

#include "pt-calendar.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  PtCalendar *calendar = pt_calendar_new ();

  if (pt_calendar_load_data (calendar, "2027.ini", (const char *) data, size, FALSE, NULL))
    {
      g_free (pt_calendar_add_working_days (calendar, "2026-12-20", 20, NULL));
      (void) pt_calendar_working_days_between (calendar, "2026-12-20", "2027-03-01", NULL);
    }
  pt_calendar_free (calendar);
  return 0;
}
