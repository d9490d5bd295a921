/* ptctl-workdays.c: paotuanctl workdays add DATE N | between DATE1 DATE2 */
#define G_LOG_DOMAIN "paotuanctl"

#include <glib/gi18n-lib.h>

#include "pt-calendar.h"
#include "ptctl.h"

int
ptctl_workdays (PtctlContext  *ctx,
                int            argc,
                char         **argv)
{
  g_autoptr(GError) error = NULL;
  PtReference *reference;
  int status = PTCTL_EXIT_OK;

  if (!ptctl_parse (ctx, "add DATE N | between DATE1 DATE2",
                    N_("Working days (工作日) from the holiday calendar.\n"
                       "add: the date N working days after DATE (DATE itself not counted).\n"
                       "between: the working days after DATE1 up to and including DATE2.\n"
                       "A year without a holiday table is counted Monday to Friday: the answer is then\n"
                       "provisional, and a warning on standard error says so (exit status 0)."),
                    NULL, &argc, &argv, &status))
    return status;
  if (argc != 4 || (!g_str_equal (argv[1], "add") && !g_str_equal (argv[1], "between")))
    return ptctl_usage_error (_("workdays needs `add DATE N` or `between DATE1 DATE2`."));
  reference = ptctl_reference (ctx, &error);
  if (reference == NULL)
    return ptctl_fail (error);

  if (g_str_equal (argv[1], "add"))
    {
      g_autofree char *result = NULL;
      char *end = NULL;
      guint64 n = g_ascii_strtoull (argv[3], &end, 10);
      gboolean provisional = FALSE;

      if (end == argv[3] || *end != '\0' || n > 10000 || argv[3][0] == '-')
        return ptctl_usage_error (_("N must be a whole number of working days, 0 to 10000."));
      result = pt_calendar_add_working_days_full (reference->calendar, argv[2], (guint) n, &provisional, &error);
      if (result == NULL)
        return ptctl_fail (error);
      g_print ("%s\n", result);
      if (provisional)
        ptctl_warn_provisional (reference->calendar, argv[2], result);
    }
  else
    {
      gboolean provisional = FALSE;
      int n = pt_calendar_working_days_between_full (reference->calendar, argv[2], argv[3], &provisional, &error);

      if (n < 0)
        return ptctl_fail (error);
      g_print ("%d\n", n);
      if (provisional)
        ptctl_warn_provisional (reference->calendar, argv[2], argv[3]);
    }
  return PTCTL_EXIT_OK;
}
