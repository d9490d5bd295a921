/* pt-store-search.h: the case search index, inside the store. */
#pragma once

#include "pt-row-set.h"
#include "pt-store-private.h"

G_BEGIN_DECLS

/* A case's rows in the search index, kept until the transaction's cache
 * rows are all written (pt_store_search_write). */
typedef struct _PtSearchEntry PtSearchEntry;

PtSearchEntry *pt_search_entry_new   (gint64             rowid,
                                      const PtCaseState *state,
                                      gboolean           is_new);
void           pt_search_entry_free  (PtSearchEntry     *entry);
gboolean       pt_store_search_write (PtStore           *store,
                                      GPtrArray         *entries,
                                      GError           **error);
/* Removes the case of cache row @rowid from the index. */
gboolean       pt_store_search_forget (PtStore          *store,
                                       gint64            rowid,
                                       GError          **error);
/* The cases that match every whitespace-separated term of @search; NULL
 * without @error when @search has no term (or only terms every case
 * matches), NULL with @error when a lookup failed or was cancelled. */
PtRowSet      *pt_store_search_rows  (PtStore           *store,
                                      const char        *search,
                                      gint64             max_rowid,
                                      GError           **error);
/* Keeps in @rows the cases that pass @where (a WHERE clause on cases c). */
gboolean       pt_store_search_filter (PtStore          *store,
                                       PtRowSet         *rows,
                                       const char       *where,
                                       GError          **error);

G_END_DECLS
