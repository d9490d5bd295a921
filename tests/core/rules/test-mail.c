/* test-mail.c: couriers' tracking numbers: the S10 check digit of EMS
 * numbers, the other couriers' patterns, and what the refusal says. */
#include <string.h>

#include "pt-error.h"
#include "pt-mail.h"

static void
test_s10_check_digit (void)
{
  /* Weights 8 6 4 2 3 5 9 7: 12345678 sums to 204, 204 mod 11 = 6, 11 - 6 = 5. */
  g_assert_cmpint (pt_s10_check_digit ("12345678"), ==, 5);
  /* A sum divisible by 11 gives 11, written 5. */
  g_assert_cmpint (pt_s10_check_digit ("00000000"), ==, 5);
  /* A remainder of 1 gives 10, written 0: 4 at weight 3 is 12. */
  g_assert_cmpint (pt_s10_check_digit ("00004000"), ==, 0);
  /* 1 at weight 8: 11 - 8 = 3. */
  g_assert_cmpint (pt_s10_check_digit ("10000000"), ==, 3);
  g_assert_cmpint (pt_s10_check_digit ("1234567"), ==, -1);
  g_assert_cmpint (pt_s10_check_digit ("1234567A"), ==, -1);
}

static void
test_ems (void)
{
  const char *good[] = { "EA123456785CN", "ea123456785cn", "EA 1234 5678 5 CN", "EB000000005CN",
                         "EE000040000CN", "EA100000003CN" };
  struct { const char *number; const char *says; } bad[] = {
    { "EA123456784CN", "its check digit would be 5" },   /* one digit wrong */
    { "EA123456758CN", "does not check out" },           /* two digits swapped */
    { "EA123456785US", "is not an EMS number" },         /* not China's */
    { "EA12345678CN", "is not an EMS number" },          /* short */
    { "E1123456785CN", "is not an EMS number" },
    { "EA12345A785CN", "characters 3 to 11 are digits" },
    { "12", "is not an EMS number" },
    { "", "needs the postal tracking number" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (pt_tracking_check ("ems", good[i], &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (pt_tracking_check ("ems", bad[i].number, &error));
      g_assert_error (error, PT_ERROR, PT_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, bad[i].says));
    }
}

static void
test_other_couriers (void)
{
  struct { const char *courier; const char *number; gboolean ok; } cases[] = {
    { "sf", "SF1234567890123", TRUE },
    { "sf", "123456789012", TRUE },
    { "sf", "SF12345", FALSE },
    { "jd", "JDVA12345678901", TRUE },
    { "jd", "1234567890123", FALSE },
    { "yto", "YT1234567890123", TRUE },
    { "yto", "1234567890123", FALSE },
    { "zto", "731234567890", TRUE },
    { "zto", "7312345", FALSE },
    { "sto", "773123456789", TRUE },
    { "yunda", "4312345678901", TRUE },
    { "yunda", "43123456789", FALSE },
    { "other", "AB12345678", TRUE },
    { "other", "12", FALSE },
    { NULL, "SF1234567890123", FALSE },
    { "post-pigeon", "SF1234567890123", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = pt_tracking_check (cases[i].courier, cases[i].number, &error);

      if (ok != cases[i].ok)
        g_error ("%s %s: %s", cases[i].courier, cases[i].number, error ? error->message : "accepted");
      g_assert_true (ok == (error == NULL));
    }
}

static void
test_couriers (void)
{
  const char * const *codes = pt_courier_codes ();

  for (guint i = 0; codes[i] != NULL; i++)
    {
      g_assert_nonnull (pt_courier_label (codes[i]));
      g_assert_nonnull (pt_courier_paper_name (codes[i]));
    }
  g_assert_cmpstr (pt_courier_paper_name ("sf"), ==, "顺丰速运");
  g_assert_null (pt_courier_label ("post-pigeon"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rules/mail/s10-check-digit", test_s10_check_digit);
  g_test_add_func ("/rules/mail/ems", test_ems);
  g_test_add_func ("/rules/mail/other-couriers", test_other_couriers);
  g_test_add_func ("/rules/mail/couriers", test_couriers);
  return g_test_run ();
}
