/* pt-store-runners.h: the desk's runners table, filled from the district's
 * roster (pt-roster.h) when the desk pulls reference data. */
#pragma once

#include "pt-store.h"

G_BEGIN_DECLS

/* What replacing the roster changed on this desk. */
typedef struct {
  guint added;      /* runners new to this desk */
  guint updated;    /* name, unit, staff number, phone or duty changed */
  guint retired;    /* not in the roster but still named by a case: kept off duty */
  guint removed;    /* not in the roster and named by no case: deleted */
  guint skipped;    /* of a unit this desk's district data does not know */
} PtRosterChange;

/* Makes the runners table the district's roster @runners (PtRunner), in one
 * transaction: every runner of the roster is added or updated; a runner of
 * this desk that the roster no longer has is kept, off duty, when a case
 * still names it (as its runner or as the author of one of its events) or
 * it is this desk's signed-in runner, and deleted otherwise, so that every
 * name a case shows stays. A runner of a unit the desk's district data does
 * not know is skipped. @change (nullable) says what changed. */
gboolean   pt_store_replace_roster (PtStore        *store,
                                    GPtrArray      *runners,
                                    PtRosterChange *change,
                                    GError        **error);

G_END_DECLS
