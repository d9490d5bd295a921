/* pt-error.h: the error domain of the Paotuan core. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PT_ERROR (pt_error_quark ())

typedef enum {
  PT_ERROR_INVALID,     /* input that breaks a rule; the message says which and how to fix it */
  PT_ERROR_NOT_FOUND,   /* a case, unit, item or runner that does not exist */
  PT_ERROR_FORBIDDEN,   /* the workflow or the scope does not allow this now */
  PT_ERROR_CALENDAR,    /* a date in a year the holiday calendar has no table for */
  PT_ERROR_STORE,       /* the database failed */
  PT_ERROR_STORE_LOST,  /* the database or its WAL was removed or replaced under an open
                         * connection: nothing more may be written through it */
  PT_ERROR_DATA,        /* a reference data file is broken */
  PT_ERROR_NETWORK,     /* sync: the server could not be reached or answered badly */
  PT_ERROR_AUTH,        /* sync: the token is missing, expired or revoked */
} PtError;

GQuark pt_error_quark (void);

G_END_DECLS
