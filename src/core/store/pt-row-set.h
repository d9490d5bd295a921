/* pt-row-set.h: a set of cache rowids, one bit each.
 *
 * The search's answer. A district's 200,000 cases fit in 25 KB; a term's
 * lookups are united by setting bits, terms and filters intersect word by
 * word, and the count and any page of the newest-first list are read off
 * the bits, without SQLite sorting or de-duplicating tens of thousands of
 * rows for each keystroke.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PtRowSet PtRowSet;

/* A set that can hold rowids 0..@max_rowid, empty. */
PtRowSet *pt_row_set_new        (gint64          max_rowid);
void      pt_row_set_free       (PtRowSet       *set);
/* The highest rowid the set can hold. */
gint64    pt_row_set_get_max    (const PtRowSet *set);
/* Rowids outside the set's range are ignored. */
void      pt_row_set_add        (PtRowSet       *set,
                                 gint64          rowid);
gboolean  pt_row_set_contains   (const PtRowSet *set,
                                 gint64          rowid);
/* Keeps in @set only what is also in @other. */
void      pt_row_set_intersect  (PtRowSet       *set,
                                 const PtRowSet *other);
guint     pt_row_set_count      (const PtRowSet *set);
/* The rowids from the @offset-th to the (@offset + @limit)-th, highest
 * first, appended to @rowids (a GArray of gint64). */
void      pt_row_set_page       (const PtRowSet *set,
                                 guint           offset,
                                 guint           limit,
                                 GArray         *rowids);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtRowSet, pt_row_set_free)

G_END_DECLS
