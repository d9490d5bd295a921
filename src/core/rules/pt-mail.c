/* pt-mail.c: couriers and tracking numbers.
 *
 * EMS numbers follow the UPU S10 standard: two letters of the service, an
 * eight-digit serial, a check digit (weights 8 6 4 2 3 5 9 7; 11 minus the
 * sum modulo 11, where 10 gives 0 and 11 gives 5) and the country, CN. The
 * private couriers publish no check digit: their numbers are checked for
 * their length and prefix. */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "pt-error.h"
#include "pt-mail.h"

typedef struct {
  const char *code;
  const char *label;
  const char *paper;       /* its name on the papers, which are Chinese */
  const char *pattern;     /* of the normalized number */
  const char *example;
} Courier;

static const Courier couriers[] = {
  { "ems",   N_("China Post EMS"),  "中国邮政 EMS", NULL,                        "EA123456785CN" },
  { "sf",    N_("SF Express"),      "顺丰速运", "^(SF[0-9]{13}|[0-9]{12})$",       "SF1234567890123" },
  { "jd",    N_("JD Logistics"),    "京东物流", "^JD[A-Z0-9]{13,15}$",             "JDVA12345678901" },
  { "zto",   N_("ZTO Express"),     "中通快递", "^[0-9]{12,14}$",                  "731234567890" },
  { "yto",   N_("YTO Express"),     "圆通速递", "^YT[0-9]{13,15}$",                "YT1234567890123" },
  { "sto",   N_("STO Express"),     "申通快递", "^[0-9]{12,15}$",                  "773123456789" },
  { "yunda", N_("Yunda Express"),   "韵达快递", "^[0-9]{13,15}$",                  "4312345678901" },
  { "other", N_("Another courier"), "其他快递", "^[A-Z0-9]{8,30}$",                "AB12345678" },
};

static const char * const codes[] = { "ems", "sf", "jd", "zto", "yto", "sto", "yunda", "other", NULL };

const char * const *
pt_courier_codes (void)
{
  return codes;
}

static const Courier *
lookup (const char *code)
{
  for (guint i = 0; code != NULL && i < G_N_ELEMENTS (couriers); i++)
    if (g_str_equal (couriers[i].code, code))
      return &couriers[i];
  return NULL;
}

const char *
pt_courier_label (const char *code)
{
  const Courier *courier = lookup (code);

  return courier != NULL ? _(courier->label) : NULL;
}

const char *
pt_courier_paper_name (const char *code)
{
  const Courier *courier = lookup (code);

  return courier != NULL ? courier->paper : NULL;
}

char *
pt_tracking_normalize (const char *number)
{
  GString *out = g_string_new (NULL);

  for (const char *p = number != NULL ? number : ""; *p; p++)
    if (*p != ' ' && *p != '-' && *p != '\t')
      g_string_append_c (out, g_ascii_toupper (*p));
  return g_string_free (out, FALSE);
}

int
pt_s10_check_digit (const char *digits)
{
  static const int weights[8] = { 8, 6, 4, 2, 3, 5, 9, 7 };
  int sum = 0, check;

  if (digits == NULL)
    return -1;
  for (int i = 0; i < 8; i++)
    {
      if (!g_ascii_isdigit (digits[i]))
        return -1;
      sum += (digits[i] - '0') * weights[i];
    }
  check = 11 - sum % 11;
  return check == 10 ? 0 : check == 11 ? 5 : check;
}

static gboolean
check_s10 (const char  *number,
           GError     **error)
{
  int check;

  if (strlen (number) != 13 || !g_ascii_isupper (number[0]) || !g_ascii_isupper (number[1])
      || !g_str_has_suffix (number, "CN"))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("“%s” is not an EMS number: one has 13 characters, two letters, nine digits and CN, "
                     "for example EA123456785CN."), number);
      return FALSE;
    }
  for (int i = 2; i < 11; i++)
    if (!g_ascii_isdigit (number[i]))
      {
        g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                     _("“%s” is not an EMS number: characters 3 to 11 are digits, for example EA123456785CN."),
                     number);
        return FALSE;
      }
  check = pt_s10_check_digit (number + 2);
  if (check != number[10] - '0')
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("The EMS number %s does not check out (its check digit would be %d): "
                     "compare it with the mail slip, a digit is wrong."), number, check);
      return FALSE;
    }
  return TRUE;
}

gboolean
pt_tracking_check (const char  *courier,
                   const char  *number,
                   GError     **error)
{
  const Courier *c = lookup (courier);
  g_autofree char *normal = pt_tracking_normalize (number);

  if (c == NULL)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("Choose the courier the mail goes with (EMS, SF Express, …)."));
      return FALSE;
    }
  if (normal[0] == '\0')
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("A delivery by mail needs the postal tracking number."));
      return FALSE;
    }
  if (c->pattern == NULL)
    return check_s10 (normal, error);
  if (!g_regex_match_simple (c->pattern, normal, 0, 0))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("“%s” is not a tracking number of %s, whose numbers look like %s: check the mail slip."),
                   normal, _(c->label), c->example);
      return FALSE;
    }
  return TRUE;
}
