/* pt-validate.h: identifiers checked with a reason a person can act on. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Resident ID number (GB 11643-1999): 18 characters, ISO 7064 MOD 11-2 check
 * digit, a real birth date not in the future; a lower-case x is accepted.
 * @today: "YYYY-MM-DD" to check the birth date against, or NULL for today. */
gboolean  pt_validate_id_number (const char *value,
                                 const char *today,
                                 GError    **error);

/* Unified social credit code (GB 32100-2015): 18 characters from the code's
 * alphabet with its check character. */
gboolean  pt_validate_uscc      (const char *value,
                                 GError    **error);

/* Mobile numbers (11 digits starting 1[3-9], "+86" optional) and landlines
 * with area code (0533-4151890); spaces and dashes are ignored. */
gboolean  pt_validate_phone     (const char *value,
                                 GError    **error);

/* The digits of a valid phone number in canonical form ("13812345678",
 * "0533-4151890"), or NULL. */
char     *pt_phone_normalize    (const char *value);

/* The GB 11643 check character ('0'-'9' or 'X') for the first 17 digits of
 * @first17, or '\0' when they are not 17 digits. Demo data and tests use it
 * to make valid numbers. */
char      pt_id_number_check_char (const char *first17);

/* The GB 32100 check character for the first 17 characters of @first17
 * (upper-case code alphabet), or '\0' when they are not 17 such characters. */
char      pt_uscc_check_char    (const char *first17);

/* A resident ID number or a USCC as a clerk may type or paste it, made
 * canonical before it is checked: white space anywhere (ASCII, U+3000,
 * zero-width) removed, full-width digits and letters made ASCII, letters
 * upper-cased (a trailing x becomes X). Nothing else is removed, so a
 * character too many or too few is still an error. */
char     *pt_normalize_code     (const char *text);

/* A phone number as typed or pasted: full-width digits, '＋' and '－' and
 * the dashes of input methods made ASCII, white space around it trimmed;
 * spaces and dashes inside are kept (pt_validate_phone () ignores them). */
char     *pt_normalize_phone    (const char *text);

G_END_DECLS
