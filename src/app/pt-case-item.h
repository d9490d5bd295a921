/* pt-case-item.h: one row of the case list, possibly not loaded yet. */
#pragma once

#include <glib-object.h>

#include "pt-store.h"

G_BEGIN_DECLS

#define PT_TYPE_CASE_ITEM (pt_case_item_get_type ())
G_DECLARE_FINAL_TYPE (PtCaseItem, pt_case_item, PT, CASE_ITEM, GObject)

PtCaseItem      *pt_case_item_new        (guint       position);
/* Takes @row; notifies "loaded". */
void             pt_case_item_set_row    (PtCaseItem *self,
                                          PtCaseRow  *row);
gboolean         pt_case_item_get_loaded (PtCaseItem *self);
guint            pt_case_item_get_position (PtCaseItem *self);
/* NULL while not loaded. */
const PtCaseRow *pt_case_item_get_row    (PtCaseItem *self);

G_END_DECLS
