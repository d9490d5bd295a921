/* pt-validate.c: resident ID numbers, credit codes and phone numbers.
 *
 * Every refusal says what is wrong and where to look, because the person
 * reading it is a clerk at a window with the applicant's card in hand.
 * The messages never repeat the whole number: they end up in logs.
 */
#define G_LOG_DOMAIN "paotuan-rules"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pt-calendar.h"
#include "pt-error.h"
#include "pt-validate.h"

/* ---- Resident ID number (GB 11643-1999) ---- */

static const int id_weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
static const char id_check_chars[] = "10X98765432";

/* Province-level codes of GB/T 2260 (plus 81-83 used by the residence
 * permits of Hong Kong, Macao and Taiwan residents). A wrong first pair of
 * digits is the most common typo the check digit does not always catch. */
static const char * const province_codes[] = {
  "11", "12", "13", "14", "15",
  "21", "22", "23",
  "31", "32", "33", "34", "35", "36", "37",
  "41", "42", "43", "44", "45", "46",
  "50", "51", "52", "53", "54",
  "61", "62", "63", "64", "65",
  "71", "81", "82", "83",
};

char
pt_id_number_check_char (const char *first17)
{
  int sum = 0;

  g_return_val_if_fail (first17 != NULL, '\0');

  for (guint i = 0; i < 17; i++)
    {
      if (!g_ascii_isdigit (first17[i]))
        return '\0';
      sum += (first17[i] - '0') * id_weights[i];
    }
  return id_check_chars[sum % 11];
}

static gboolean
is_province_code (const char *value)
{
  for (guint i = 0; i < G_N_ELEMENTS (province_codes); i++)
    if (strncmp (value, province_codes[i], 2) == 0)
      return TRUE;
  return FALSE;
}

gboolean
pt_validate_id_number (const char  *value,
                       const char  *today,
                       GError     **error)
{
  g_autofree char *birth = NULL;
  g_autofree char *today_owned = NULL;
  g_autoptr(GDate) birth_date = NULL;
  g_autoptr(GDate) today_date = NULL;
  glong n_chars;
  char expected;
  char actual;

  if (value == NULL || *value == '\0')
    {
      g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID,
                           _("The ID number is empty: enter the 18 characters of the resident ID card."));
      return FALSE;
    }

  n_chars = g_utf8_validate (value, -1, NULL) ? g_utf8_strlen (value, -1) : (glong) strlen (value);
  if (n_chars != 18 || strlen (value) != 18)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("The ID number has %ld characters, not 18: check for a missing or extra digit."),
                   n_chars);
      return FALSE;
    }

  for (guint i = 0; i < 17; i++)
    {
      if (!g_ascii_isdigit (value[i]))
        {
          g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                       _("Character %u of the ID number is “%c”: the first 17 characters must be digits."),
                       i + 1, value[i]);
          return FALSE;
        }
    }

  actual = g_ascii_toupper (value[17]);
  if (!g_ascii_isdigit (actual) && actual != 'X')
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("The last character of the ID number is “%c”: it must be a digit or X."),
                   value[17]);
      return FALSE;
    }

  if (!is_province_code (value) || strncmp (value + 2, "0000", 4) == 0)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("The ID number starts with %.6s, which is no region code: re-read the first six digits."),
                   value);
      return FALSE;
    }

  birth = g_strdup_printf ("%.4s-%.2s-%.2s", value + 6, value + 10, value + 12);
  birth_date = pt_date_parse (birth, NULL);
  if (birth_date == NULL || g_date_get_year (birth_date) < 1900)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("The birth date %s in the ID number does not exist: re-read characters 7 to 14."),
                   birth);
      return FALSE;
    }

  if (today == NULL)
    today = today_owned = pt_date_today ();
  today_date = pt_date_parse (today, NULL);
  g_return_val_if_fail (today_date != NULL, FALSE);
  if (g_date_compare (birth_date, today_date) > 0)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("The birth date %s in the ID number is in the future: re-read characters 7 to 14."),
                   birth);
      return FALSE;
    }

  expected = pt_id_number_check_char (value);
  if (expected != actual)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("The check digit should be %c, not %c: re-read the last character of the ID number."),
                   expected, value[17]);
      return FALSE;
    }

  return TRUE;
}

/* ---- Unified social credit code (GB 32100-2015) ---- */

/* The 31 characters of the code: digits and upper-case letters without
 * I, O, Z, S and V, which are too easily mistaken for 1, 0, 2, 5 and U. */
static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int uscc_weights[17] = {
  1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
};
/* Registration authorities (position 1): 1 机构编制, 2 外交, 3 司法行政,
 * 4 文化, 5 民政, 6 旅游, 7 宗教, 8 工会, 9 市场监管(工商), A 军队编制,
 * N 农业农村, Y 其他. */
static const char uscc_authorities[] = "123456789ANY";

static int
uscc_value (char c)
{
  const char *p;

  if (c == '\0')
    return -1;
  p = strchr (uscc_alphabet, c);
  return p != NULL ? (int) (p - uscc_alphabet) : -1;
}

char
pt_uscc_check_char (const char *first17)
{
  int sum = 0;
  int check;

  g_return_val_if_fail (first17 != NULL, '\0');

  for (guint i = 0; i < 17; i++)
    {
      int v = uscc_value (first17[i]);

      if (v < 0)
        return '\0';
      sum += v * uscc_weights[i];
    }
  check = 31 - sum % 31;
  if (check == 31)
    check = 0;
  return uscc_alphabet[check];
}

static const char *
uscc_lookalike (char c)
{
  switch (c)
    {
    case 'I': return "1";
    case 'O': return "0";
    case 'Z': return "2";
    case 'S': return "5";
    case 'V': return "U";
    default:  return NULL;
    }
}

gboolean
pt_validate_uscc (const char  *value,
                  GError     **error)
{
  char code[19];
  char expected;

  if (value == NULL || *value == '\0')
    {
      g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID,
                           _("The credit code is empty: enter the 18 characters of the unified social credit code."));
      return FALSE;
    }

  if (strlen (value) != 18 || !g_str_is_ascii (value))
    {
      glong n = g_utf8_validate (value, -1, NULL) ? g_utf8_strlen (value, -1) : (glong) strlen (value);

      if (n == 18)
        g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID,
                             _("The credit code contains a character that is not a Latin letter or digit: retype it with a half-width keyboard."));
      else
        g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                     _("The credit code has %ld characters, not 18: check for a missing or extra character."),
                     n);
      return FALSE;
    }

  /* Lower case is accepted: the code is printed in capitals, but people
   * type what they see without the shift key. */
  for (guint i = 0; i < 18; i++)
    code[i] = g_ascii_toupper (value[i]);
  code[18] = '\0';

  for (guint i = 0; i < 18; i++)
    {
      if (uscc_value (code[i]) < 0)
        {
          const char *like = uscc_lookalike (code[i]);

          if (like != NULL)
            g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                         _("Character %u of the credit code is “%c”, which credit codes never use: it is probably %s."),
                         i + 1, value[i], like);
          else
            g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                         _("Character %u of the credit code is “%c”: only digits and capital letters are allowed."),
                         i + 1, value[i]);
          return FALSE;
        }
    }

  if (strchr (uscc_authorities, code[0]) == NULL)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("The credit code starts with “%c”, which is no registration authority: enterprises start with 9, social organisations with 5."),
                   value[0]);
      return FALSE;
    }

  /* The organisation type depends on the authority; every table in the
   * standard uses 1 to 5 and 9, so that is what a light check accepts. */
  if (strchr ("123459", code[1]) == NULL)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("The second character of the credit code is “%c”, which is no organisation type: re-read it (an enterprise has 1, a sole trader 2)."),
                   value[1]);
      return FALSE;
    }

  for (guint i = 2; i < 8; i++)
    {
      if (!g_ascii_isdigit (code[i]))
        {
          g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID,
                               _("Characters 3 to 8 of the credit code are the region code and must be digits: re-read them."));
          return FALSE;
        }
    }

  expected = pt_uscc_check_char (code);
  if (expected != code[17])
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("The check character should be %c, not %c: re-read the last character of the credit code."),
                   expected, value[17]);
      return FALSE;
    }

  return TRUE;
}

/* ---- Phone numbers ---- */

/* Area codes of three characters (010, 020 to 029); all others have four. */
static guint
area_code_length (const char *digits)
{
  if (digits[1] == '1' || digits[1] == '2')
    return 3;
  return 4;
}

/* Parses @value into its digits. On success @canonical is the normalized
 * form ("13812345678" or "0533-4151890"). */
static gboolean
parse_phone (const char  *value,
             char       **canonical,
             GError     **error)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  gboolean plus86 = FALSE;
  const char *p = value;
  guint area;
  guint local;

  if (value == NULL || *value == '\0')
    {
      g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID,
                           _("The phone number is empty: enter a mobile number or a landline number with its area code."));
      return FALSE;
    }

  while (*p == ' ')
    p++;
  if (g_str_has_prefix (p, "+86"))
    {
      plus86 = TRUE;
      p += 3;
    }

  for (; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '-')
        continue;
      if (!g_ascii_isdigit (*p))
        {
          g_autofree char *bad = NULL;

          if (g_utf8_validate (p, -1, NULL))
            bad = g_utf8_substring (p, 0, 1);
          else
            bad = g_strdup ("?");
          g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                       _("The phone number contains “%s”: use digits only (spaces and dashes are allowed)."),
                       bad);
          return FALSE;
        }
      g_string_append_c (digits, *p);
    }

  if (digits->len == 0)
    {
      g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID,
                           _("The phone number has no digits: enter a mobile number or a landline number with its area code."));
      return FALSE;
    }

  /* "+86 533 4151890": the international form drops the leading 0. */
  if (plus86 && digits->str[0] != '1')
    g_string_prepend_c (digits, '0');

  if (digits->str[0] == '1')
    {
      if (digits->len != 11)
        {
          g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                       _("A mobile number has 11 digits, this one has %u: check for a missing or extra digit."),
                       (guint) digits->len);
          return FALSE;
        }
      if (digits->str[1] < '3')
        {
          g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                       _("Mobile numbers start with 13 to 19, not %.2s: re-read the number."),
                       digits->str);
          return FALSE;
        }
      if (canonical != NULL)
        *canonical = g_strdup (digits->str);
      return TRUE;
    }

  if (digits->str[0] != '0')
    {
      if (digits->len == 7 || digits->len == 8)
        g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID,
                             _("A landline number needs its area code: write it like 0533-4151890."));
      else
        g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID,
                             _("This is neither a mobile number (11 digits starting with 1) nor a landline number with an area code starting with 0."));
      return FALSE;
    }

  if (digits->len < 4)
    {
      g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID,
                           _("The landline number is too short: write the area code and 7 or 8 digits, like 0533-4151890."));
      return FALSE;
    }

  area = area_code_length (digits->str);
  local = digits->len - area;
  if (local != 7 && local != 8)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("After the area code %.*s a landline number has 7 or 8 digits, this one has %u: check the number."),
                   (int) area, digits->str, local);
      return FALSE;
    }
  if (digits->str[area] == '0' || digits->str[area] == '1')
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("A local number never starts with %c: check the digits after the area code %.*s."),
                   digits->str[area], (int) area, digits->str);
      return FALSE;
    }

  if (canonical != NULL)
    *canonical = g_strdup_printf ("%.*s-%s", (int) area, digits->str, digits->str + area);
  return TRUE;
}

gboolean
pt_validate_phone (const char  *value,
                   GError     **error)
{
  return parse_phone (value, NULL, error);
}

char *
pt_phone_normalize (const char *value)
{
  char *canonical = NULL;

  if (!parse_phone (value, &canonical, NULL))
    return NULL;
  return canonical;
}

/* Full-width forms (U+FF01–U+FF5E) are ASCII shifted by 0xFEE0; the ideographic
 * space is U+3000. */
static gunichar
ascii_form (gunichar c)
{
  if (c >= 0xFF01 && c <= 0xFF5E)
    return c - 0xFEE0;
  if (c == 0x3000)
    return ' ';
  return c;
}

char *
pt_normalize_code (const char *text)
{
  GString *out;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_sized_new (strlen (text));
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = ascii_form (g_utf8_get_char (p));

      if (g_unichar_isspace (c) || c == 0x200B || c == 0xFEFF)
        continue;
      if (c < 0x80)
        g_string_append_c (out, g_ascii_toupper ((char) c));
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

char *
pt_normalize_phone (const char *text)
{
  GString *out;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_sized_new (strlen (text));
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = ascii_form (g_utf8_get_char (p));

      if (c == 0x2014 || c == 0x2013 || c == 0x2212)   /* dashes an input method gives */
        c = '-';
      if (c == 0x200B || c == 0xFEFF)
        continue;
      g_string_append_unichar (out, c);
    }
  g_strstrip (out->str);
  out->len = strlen (out->str);
  return g_string_free (out, FALSE);
}
