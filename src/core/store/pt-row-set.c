/* pt-row-set.c: a set of cache rowids, one bit each (see the header). */
#include "pt-row-set.h"

struct _PtRowSet
{
  guint64 *words;
  gsize    n_words;
};

PtRowSet *
pt_row_set_new (gint64 max_rowid)
{
  PtRowSet *set = g_new0 (PtRowSet, 1);

  set->n_words = (gsize) MAX (max_rowid, 0) / 64 + 1;
  set->words = g_new0 (guint64, set->n_words);
  return set;
}

void
pt_row_set_free (PtRowSet *set)
{
  if (set == NULL)
    return;
  g_free (set->words);
  g_free (set);
}

gint64
pt_row_set_get_max (const PtRowSet *set)
{
  return (gint64) set->n_words * 64 - 1;
}

void
pt_row_set_add (PtRowSet *set,
                gint64    rowid)
{
  if (rowid < 0 || (guint64) rowid / 64 >= set->n_words)
    return;
  set->words[rowid / 64] |= G_GUINT64_CONSTANT (1) << (rowid % 64);
}

gboolean
pt_row_set_contains (const PtRowSet *set,
                     gint64          rowid)
{
  if (rowid < 0 || (guint64) rowid / 64 >= set->n_words)
    return FALSE;
  return (set->words[rowid / 64] >> (rowid % 64)) & 1;
}

void
pt_row_set_intersect (PtRowSet       *set,
                      const PtRowSet *other)
{
  for (gsize i = 0; i < set->n_words; i++)
    set->words[i] &= i < other->n_words ? other->words[i] : 0;
}

guint
pt_row_set_count (const PtRowSet *set)
{
  guint count = 0;

  for (gsize i = 0; i < set->n_words; i++)
    count += (guint) __builtin_popcountll (set->words[i]);
  return count;
}

void
pt_row_set_page (const PtRowSet *set,
                 guint           offset,
                 guint           limit,
                 GArray         *rowids)
{
  guint skipped = 0, taken = 0;

  for (gsize i = set->n_words; i-- > 0 && taken < limit;)
    {
      guint64 word = set->words[i];
      guint bits = (guint) __builtin_popcountll (word);

      /* Whole words before the page are skipped by their count. */
      if (skipped + bits <= offset)
        {
          skipped += bits;
          continue;
        }
      while (word != 0 && taken < limit)
        {
          int bit = 63 - __builtin_clzll (word);
          gint64 rowid = (gint64) i * 64 + bit;

          word &= ~(G_GUINT64_CONSTANT (1) << bit);
          if (skipped < offset)
            skipped++;
          else
            {
              g_array_append_val (rowids, rowid);
              taken++;
            }
        }
    }
}
