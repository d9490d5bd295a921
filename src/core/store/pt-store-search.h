/* pt-store-search.h: the case search index, inside the store. */
#pragma once

#include "pt-store-private.h"

G_BEGIN_DECLS

gboolean pt_store_search_index (PtStore           *store,
                                gint64             rowid,
                                const PtCaseState *state,
                                gboolean           is_new,
                                const char        *item_names,
                                GError           **error);
char    *pt_store_search_match (PtStore           *store,
                                const char        *search,
                                guint             *n_sources);

G_END_DECLS
