/* pt-reference.h: the reference data a desk works with, loaded once.
 *
 * Looked up in order: $PAOTUAN_DATA_DIR, the user's data directory
 * (~/.local/share/paotuan, where a center drops next year's calendar), the
 * source tree (uninstalled builds), the installed data directory. For the
 * calendar every directory found is loaded, later ones first, so that a
 * user's file overrides a shipped one.
 */
#pragma once

#include "pt-calendar.h"
#include "pt-catalog.h"
#include "pt-district.h"
#include "pt-types.h"

G_BEGIN_DECLS

struct _PtReference {
  PtCalendar *calendar;
  PtCatalog  *catalog;
  PtDistrict *district;
  char       *data_dir;   /* where catalog.json and district.json came from */
};

PtReference *pt_reference_load_default (GError    **error);
PtReference *pt_reference_load_dir     (const char *data_dir,
                                        GError    **error);
void         pt_reference_free         (PtReference *reference);
/* A file under the data directories (e.g. "templates/agreement.tmpl"),
 * searched in the order above; NULL when none has it. */
char        *pt_reference_find_file    (PtReference *reference,
                                        const char  *relative);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtReference, pt_reference_free)

G_END_DECLS
