/* pt-held-list-model.h: a list that keeps showing its last rows while its
 * source is empty.
 *
 * GtkListView drops all its row widgets (about 200) when its model empties
 * and makes them all again when it fills: about 50 ms each way. The Cases
 * page covers an empty list with its "No Cases Found" page anyway, so the
 * list view is given this model, which keeps its length while the source is
 * empty and, when the source fills again, reports only the change at the end.
 * The source must give the same item objects back at the positions a view
 * still holds (PtCaseListModel does).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PT_TYPE_HELD_LIST_MODEL (pt_held_list_model_get_type ())
G_DECLARE_FINAL_TYPE (PtHeldListModel, pt_held_list_model, PT, HELD_LIST_MODEL, GObject)

PtHeldListModel *pt_held_list_model_new (GListModel *source);

G_END_DECLS
