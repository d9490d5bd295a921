/* test-format.c: the sidebar's words for when the desk last synced, in
 * Beijing time whatever the machine's time zone. */
#include <glib.h>

#include "pt-app-util.h"

/* Milliseconds of a Beijing wall-clock time. */
static gint64
beijing_ms (int year, int month, int day, int hour, int minute)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GDateTime) t = g_date_time_new (tz, year, month, day, hour, minute, 0);

  return g_date_time_to_unix (t) * 1000;
}

static void
expect (gint64 then, gint64 now, const char *wanted)
{
  g_autofree char *text = pt_format_sync_time (then, now);

  g_assert_cmpstr (text, ==, wanted);
}

static void
test_sync_time (void)
{
  gint64 now = beijing_ms (2026, 12, 4, 10, 57);

  /* 02:57 UTC is 10:57 in Beijing: the same day, said as a time. */
  expect (beijing_ms (2026, 12, 4, 10, 57), now, "Synced at 10:57");
  expect (beijing_ms (2026, 12, 4, 0, 5), now, "Synced at 00:05");
  expect (beijing_ms (2026, 12, 3, 23, 59), now, "Synced yesterday at 23:59");
  expect (beijing_ms (2026, 12, 1, 16, 20), now, "Synced 3 days ago");
  expect (beijing_ms (2026, 11, 28, 9, 0), now, "Synced 6 days ago");
  expect (beijing_ms (2026, 11, 27, 9, 0), now, "Synced on Nov 27");
  expect (0, now, "Never synced");
  /* Just after midnight in Beijing (16:01 UTC the day before). */
  expect (beijing_ms (2026, 12, 4, 23, 50), beijing_ms (2026, 12, 5, 0, 1), "Synced yesterday at 23:50");
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "C", TRUE);
  g_setenv ("LC_ALL", "C", TRUE);
  g_setenv ("TZ", "America/New_York", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/app/format/sync-time", test_sync_time);
  return g_test_run ();
}
