/* test-validate.c: resident ID numbers, credit codes and phone numbers. */
#include <string.h>

#include <glib.h>

#include "pt-error.h"
#include "pt-validate.h"

#define TODAY "2026-11-26"

/* Asserts that @ok is FALSE with a PT_ERROR_INVALID whose message contains @needle. */
static void
assert_refused (gboolean    ok,
                GError     *error,
                const char *needle)
{
  g_assert_false (ok);
  g_assert_error (error, PT_ERROR, PT_ERROR_INVALID);
  if (strstr (error->message, needle) == NULL)
    g_error ("“%s” not in the message “%s”", needle, error->message);
}

static void
test_id_valid (void)
{
  /* The example of GB 11643-1999 itself, computed by an independent tool. */
  const char *valid[] = {
    "11010519491231002X",
    "370304198001011230",
    "370304196505150024",
    "370304200002290016",   /* 29 February of a leap year */
    "110105194910010015",
    "37030419720315100X",
    "37030419720315100x",   /* lower-case x is what people type */
  };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;

      if (!pt_validate_id_number (valid[i], TODAY, &error))
        g_error ("%s refused: %s", valid[i], error->message);
    }

  /* With NULL the birth date is checked against the real today. */
  g_assert_true (pt_validate_id_number ("370304198001011230", NULL, NULL));
}

static void
test_id_invalid (void)
{
  struct { const char *value; const char *needle; } cases[] = {
    { "", "empty" },
    { "37030419800101123", "17 characters, not 18" },
    { "3703041980010112300", "19 characters" },
    { "37030419800101A230", "Character 15" },
    { "37030419800101123Y", "digit or X" },
    { "370304198001011231", "should be 0, not 1" },
    { "370304198001011235", "check digit should be 0, not 5: re-read the last character" },
    { "990304198001011230", "no region code" },
    { "370000198001011230", "no region code" },
    { "370304198002301230", "does not exist" },          /* 30 February */
    { "370304190002290016", "does not exist" },          /* 1900 is no leap year */
    { "37030420261127001X", "in the future" },
    { "３70304198001011230", "characters, not 18" },    /* full-width digit */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = pt_validate_id_number (cases[i].value, TODAY, &error);

      assert_refused (ok, error, cases[i].needle);
    }

  /* The same number born a day earlier than today is fine: the date is
   * "not in the future", today itself included. */
  g_assert_true (pt_validate_id_number ("37030420261127001X", "2026-11-27", NULL));
}

static void
test_id_check_char (void)
{
  g_assert_cmpint (pt_id_number_check_char ("11010519491231002"), ==, 'X');
  g_assert_cmpint (pt_id_number_check_char ("37030419800101123"), ==, '0');
  g_assert_cmpint (pt_id_number_check_char ("3703041980010112"), ==, '\0');
  g_assert_cmpint (pt_id_number_check_char ("3703041980010112a"), ==, '\0');
}

static void
test_uscc_valid (void)
{
  const char *valid[] = {
    "91350100M000100Y43",   /* the example printed in GB 32100-2015 */
    "91370304MA3C5XKE05",
    "92370304MA3D1TQ819",   /* a sole trader */
    "52370304MA3P2E7Y1E",   /* a private non-enterprise unit */
    "12370304004512345K",   /* a public institution */
    "91370304ma3c5xke05",   /* typed without the shift key */
  };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;

      if (!pt_validate_uscc (valid[i], &error))
        g_error ("%s refused: %s", valid[i], error->message);
    }
}

static void
test_uscc_invalid (void)
{
  struct { const char *value; const char *needle; } cases[] = {
    { NULL, "empty" },
    { "", "empty" },
    { "91370304MA3C5XKE0", "17 characters" },
    { "91370304MA3C5XKE06", "should be 5, not 6" },
    { "91370304MA3C5XKO05", "probably 0" },              /* O for 0 */
    { "91370304MA3C5XKI05", "probably 1" },
    { "91370304MA3C5X_E05", "only digits and capital letters" },
    { "B1370304MA3C5XKE05", "no registration authority" },
    { "97370304MA3C5XKE05", "no organisation type" },
    { "913703A4MA3C5XKE05", "region code" },
    { "91370304MA3C5XKE0５", "not a Latin letter or digit" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = pt_validate_uscc (cases[i].value, &error);

      assert_refused (ok, error, cases[i].needle);
    }

  g_assert_cmpint (pt_uscc_check_char ("91350100M000100Y4"), ==, '3');
  g_assert_cmpint (pt_uscc_check_char ("91350100M000100YI"), ==, '\0');
}

static void
test_phone_valid (void)
{
  struct { const char *value; const char *canonical; } cases[] = {
    { "13812345678", "13812345678" },
    { "+86 138 1234 5678", "13812345678" },
    { "+8619912345678", "19912345678" },
    { "138-1234-5678", "13812345678" },
    { "0533-4151890", "0533-4151890" },
    { "05334151890", "0533-4151890" },
    { "0533 415 1890", "0533-4151890" },
    { "010-62345678", "010-62345678" },
    { "021 5555 1234", "021-55551234" },
    { "+86 533 4151890", "0533-4151890" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *normal = NULL;

      if (!pt_validate_phone (cases[i].value, &error))
        g_error ("%s refused: %s", cases[i].value, error->message);
      normal = pt_phone_normalize (cases[i].value);
      g_assert_cmpstr (normal, ==, cases[i].canonical);
    }
}

static void
test_phone_invalid (void)
{
  struct { const char *value; const char *needle; } cases[] = {
    { "", "empty" },
    { "   ", "no digits" },
    { "1381234567", "11 digits, this one has 10" },
    { "138123456789", "this one has 12" },
    { "12812345678", "start with 13 to 19, not 12" },
    { "4151890", "needs its area code" },
    { "0533-415189", "this one has 6" },
    { "0533-0151890", "never starts with 0" },
    { "(0533)4151890", "contains “(”" },
    { "138１2345678", "contains “１”" },
    { "23456", "neither a mobile number" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = pt_validate_phone (cases[i].value, &error);

      assert_refused (ok, error, cases[i].needle);
      g_assert_null (pt_phone_normalize (cases[i].value));
    }
  g_assert_null (pt_phone_normalize (NULL));
}

/* Pasted or typed with an input method, a code keeps every character that
 * counts: nothing is cut, so a wrong length stays an error. */
static void
test_normalize_code (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { " 370304195803120021 ", "370304195803120021" },
    { "3703 0419 5803 1200 21", "370304195803120021" },
    { "　370304195803120021　", "370304195803120021" },  /* U+3000 */
    { "３７０", "370" },                        /* full-width 370 */
    { "11010519491231002x", "11010519491231002X" },
    { "11010519491231002ｘ", "11010519491231002X" },                   /* full-width x */
    { "91370304ma3c4d5e6x", "91370304MA3C4D5E6X" },
    { "37030419580312002", "37030419580312002" },                                   /* short stays short */
    { "\xe2\x80\x8b" "123", "123" },                                                 /* zero-width space */
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = pt_normalize_code (cases[i].in);
      g_assert_cmpstr (out, ==, cases[i].out);
    }
  {
    g_autofree char *pasted = pt_normalize_code (" 370304195803120021 ");
    g_autoptr(GError) error = NULL;
    g_assert_true (pt_validate_id_number (pasted, "2026-12-04", &error));
    g_assert_no_error (error);
  }
}

static void
test_normalize_phone (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { " 138 1234 5678 ", "138 1234 5678" },
    { "１３８", "138" },
    { "0533－4151890", "0533-4151890" },    /* full-width hyphen */
    { "0533—4151890", "0533-4151890" },    /* em dash */
    { "＋86 13812345678", "+86 13812345678" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = pt_normalize_phone (cases[i].in);
      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rules/validate/id/valid", test_id_valid);
  g_test_add_func ("/rules/validate/id/invalid", test_id_invalid);
  g_test_add_func ("/rules/validate/id/check-char", test_id_check_char);
  g_test_add_func ("/rules/validate/uscc/valid", test_uscc_valid);
  g_test_add_func ("/rules/validate/uscc/invalid", test_uscc_invalid);
  g_test_add_func ("/rules/validate/phone/valid", test_phone_valid);
  g_test_add_func ("/rules/validate/phone/invalid", test_phone_invalid);
  g_test_add_func ("/rules/validate/normalize/code", test_normalize_code);
  g_test_add_func ("/rules/validate/normalize/phone", test_normalize_phone);

  return g_test_run ();
}
