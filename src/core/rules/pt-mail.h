/* pt-mail.h: deliveries by mail: the couriers a desk may name and their
 * tracking numbers, checked so that a typo never reaches the receipt. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The courier codes of a delivery's "courier": "ems", "sf", "jd", "zto",
 * "yto", "sto", "yunda", "other"; NULL-terminated. */
const char * const *pt_courier_codes       (void);
/* The translated name of a courier code ("中国邮政 EMS"), or NULL. */
const char         *pt_courier_label       (const char *code);
/* Its name on the papers (always Chinese: "顺丰速运"), or NULL. */
const char         *pt_courier_paper_name  (const char *code);
/* The number as couriers print it: spaces and dashes dropped, letters upper
 * case. */
char               *pt_tracking_normalize  (const char *number);
/* Whether @number (normalized first) is a tracking number of @courier: EMS
 * numbers are UPU S10 (two letters, eight digits, the check digit, CN), the
 * others follow the courier's own pattern. The error says what is wrong. */
gboolean            pt_tracking_check      (const char *courier,
                                            const char *number,
                                            GError    **error);
/* The S10 check digit of @digits (eight digits), or -1. */
int                 pt_s10_check_digit     (const char *digits);

G_END_DECLS
