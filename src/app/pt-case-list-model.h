/* pt-case-list-model.h: the store's case list as a paging GListModel.
 *
 * The model knows how many cases match its query and loads them a page of
 * PT_STORE_DEFAULT_PAGE rows at a time, when a view asks for an item of that
 * page; until then the view gets a placeholder PtCaseItem that fills itself.
 * Only a bounded number of pages is kept, so that scrolling through 200 000
 * cases does not keep them all in memory. A query shows its first page as
 * soon as it arrives ("refreshed"); the count of all the matches follows
 * ("counted"), and the list grows or shrinks to it. Until then a query whose
 * first page is full keeps the length of the one before.
 *
 * A new query updates the items a view shows in place (the same objects
 * get new rows, notifying "loaded") and reports only the positions added
 * or removed at the end, so that a GtkListView keeps its row widgets. The
 * items of positions a view still holds stay the same objects even while
 * the list is shorter (PtHeldListModel relies on it).
 */
#pragma once

#include <gio/gio.h>

#include "pt-store-worker.h"

G_BEGIN_DECLS

#define PT_TYPE_CASE_LIST_MODEL (pt_case_list_model_get_type ())
G_DECLARE_FINAL_TYPE (PtCaseListModel, pt_case_list_model, PT, CASE_LIST_MODEL, GObject)

PtCaseListModel *pt_case_list_model_new            (PtStoreWorker   *worker);

void             pt_case_list_model_set_search     (PtCaseListModel *self,
                                                    const char      *search);
/* -1: any. */
void             pt_case_list_model_set_status     (PtCaseListModel *self,
                                                    int              status);
void             pt_case_list_model_set_level      (PtCaseListModel *self,
                                                    int              level);
void             pt_case_list_model_set_runner     (PtCaseListModel *self,
                                                    const char      *runner);
void             pt_case_list_model_set_overdue_only (PtCaseListModel *self,
                                                      gboolean         overdue_only);
/* The date "overdue" is measured against; NULL: today. */
void             pt_case_list_model_set_today      (PtCaseListModel *self,
                                                    const char      *today);
/* Runs the query again (after a change to the store). */
void             pt_case_list_model_reload         (PtCaseListModel *self);

gboolean         pt_case_list_model_get_loading    (PtCaseListModel *self);
/* Pages held in memory now (for tests and the benchmark). */
guint            pt_case_list_model_get_n_pages    (PtCaseListModel *self);
/* The last error of a query, or NULL. */
const GError    *pt_case_list_model_get_error      (PtCaseListModel *self);

G_END_DECLS
