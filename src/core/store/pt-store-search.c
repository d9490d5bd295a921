/* pt-store-search.c: the search index of the case list.
 *
 * What a clerk types, and where it is looked up:
 * - one or two characters of a name (most Chinese names have two or three):
 *   case_keys holds every character and pair of the applicant's name;
 * - a longer name, an enterprise name, a note: FTS5 with the trigram
 *   tokenizer;
 * - an item name or a part of it: matched in the catalog in memory, then the
 *   cases through case_items;
 * - the tail of a case number, an ID number or a phone number (four digits,
 *   six of an ID, the date of a number, a whole phone): case_keys too. Digit
 *   strings make poor trigrams (every number shares "000" and "202"), and
 *   FTS5 loads whole doclists for them, which cost hundreds of milliseconds
 *   on a district's 200,000 cases.
 * case_keys is an FTS5 table of whole tokens (detail=none: rowids only), one
 * row per case. Its keys were a B-tree keyed by key before (schema 2): a
 * batch of cases put its keys at thousands of places across it, and every
 * commit wrote each of those pages to the WAL again, 40 % of all the pages a
 * district's import wrote. FTS5 writes a batch's keys as one small sorted
 * segment and merges segments later.
 * The answer is a set of rowids (pt-row-set.h): a term's lookups set bits,
 * terms intersect. SQLite uniting the lookups itself (UNION) built and
 * de-duplicated a temporary table of every match, 30 ms for a broad item
 * fragment such as 建设 (33,581 cases).
 */
#define G_LOG_DOMAIN "paotuan-store"

#include <glib/gi18n-lib.h>

#include "pt-catalog.h"
#include "pt-store-private.h"
#include "pt-store-search.h"

struct _PtSearchEntry
{
  gint64     rowid;
  gboolean   is_new;
  char      *number;
  char      *applicant;
  char      *id_number;
  char      *uscc;
  char      *phone;
  char      *notes;
  GPtrArray *items;   /* item codes */
};

void
pt_search_entry_free (PtSearchEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->number);
  g_free (entry->applicant);
  g_free (entry->id_number);
  g_free (entry->uscc);
  g_free (entry->phone);
  g_free (entry->notes);
  g_ptr_array_unref (entry->items);
  g_free (entry);
}

/* What the index needs of a case, taken when its cache row is written. The
 * name and the items never change after the intake, so their rows are
 * written only when the case is new; the text row is replaced, since notes
 * are added over time. */
PtSearchEntry *
pt_search_entry_new (gint64             rowid,
                     const PtCaseState *state,
                     gboolean           is_new)
{
  PtSearchEntry *entry = g_new0 (PtSearchEntry, 1);

  entry->rowid = rowid;
  entry->is_new = is_new;
  entry->number = g_strdup (state->number);
  entry->applicant = g_strdup (state->applicant_name);
  entry->id_number = g_strdup (state->id_number);
  entry->uscc = g_strdup (state->uscc);
  entry->phone = g_strdup (state->phone);
  g_ptr_array_add (state->notes, NULL);
  entry->notes = g_strjoinv (" ", (char **) state->notes->pdata);
  g_ptr_array_remove_index (state->notes, state->notes->len - 1);
  entry->items = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < state->items->len; i++)
    g_ptr_array_add (entry->items, g_strdup (g_ptr_array_index (state->items, i)));
  return entry;
}

static void
append_ids (GString             *ids,
            const PtSearchEntry *entry)
{
  if (entry->id_number)
    g_string_append_printf (ids, "%s ", entry->id_number);
  if (entry->uscc)
    g_string_append_printf (ids, "%s ", entry->uscc);
  if (entry->phone)
    g_string_append (ids, entry->phone);
}

/* Appends a key to @keys, the case's row of case_keys: one FTS5 token each,
 * separated by spaces (the table's ascii tokenizer splits on ASCII
 * punctuation and spaces only, and keeps ':' and '-'). */
static void
add_key_text (GString    *keys,
              const char *key,
              gsize       length)
{
  if (keys->len > 0)
    g_string_append_c (keys, ' ');
  g_string_append_len (keys, key, length);
}

/* The grams of a name: every character and every pair for short (personal)
 * names, every pair for long (enterprise) names, where one character finds
 * too much to help. */
static void
add_name_grams (GString    *keys,
                const char *name)
{
  glong n = g_utf8_strlen (name, -1);
  const char *p = name;

  for (glong i = 0; i < n; i++)
    {
      const char *next = g_utf8_next_char (p);
      if (n <= 4)
        add_key_text (keys, p, next - p);
      if (i + 1 < n)
        add_key_text (keys, p, g_utf8_next_char (next) - p);
      p = next;
    }
}

/* @prefix and the last @tail characters of @value (all of it for 0). */
static void
add_tail_key (GString    *keys,
              const char *prefix,
              const char *value,
              gsize       tail)
{
  gsize length = value ? strlen (value) : 0;

  if (length < tail || length == 0)
    return;
  add_key_text (keys, prefix, strlen (prefix));
  g_string_append (keys, value + (tail ? length - tail : 0));
}

static char *
digits_of (const char *text)
{
  GString *digits = g_string_new (NULL);

  for (const char *p = text; p && *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  return g_string_free (digits, FALSE);
}

/* "n:" + the sequence, the date and both of the case number; "i:" + the last
 * four and six characters of the ID number or USCC; "p:" + the last four
 * digits and the whole of the phone. */
static void
add_number_keys (GString             *keys,
                 const PtSearchEntry *entry)
{
  const char *number = entry->number ? entry->number : "";
  gsize n = strlen (number);
  const char *id = entry->id_number ? entry->id_number : entry->uscc;
  g_autofree char *id_upper = id ? g_ascii_strup (id, -1) : NULL;
  g_autofree char *phone = digits_of (entry->phone);

  if (n >= 13 && number[n - 5] == '-')
    {
      g_autofree char *date = g_strndup (number + n - 13, 8);
      add_tail_key (keys, "n:", number, 4);
      add_tail_key (keys, "n:", number, 13);
      add_tail_key (keys, "n:", date, 0);
    }
  add_tail_key (keys, "i:", id_upper, 4);
  add_tail_key (keys, "i:", id_upper, 6);
  add_tail_key (keys, "p:", phone, 4);
  add_tail_key (keys, "p:", phone, 0);
}

static gboolean
write_entry (PtStore        *store,
             PtSearchEntry  *entry,
             GError        **error)
{
  const char *what = N_("Updating the search index");
  g_autoptr(GString) ids = g_string_new (NULL);
  g_autoptr(GString) keys = NULL;

  append_ids (ids, entry);
  if ((!entry->is_new
       && !pt_store_run (store, error, what, "DELETE FROM case_fts WHERE rowid = ?1", "i", entry->rowid))
      || !pt_store_run (store, error, what,
                        "INSERT INTO case_fts (rowid, number, applicant, ids, notes) VALUES (?1, ?2, ?3, ?4, ?5)",
                        "itttt", entry->rowid, entry->number, entry->applicant, ids->str, entry->notes))
    return FALSE;
  if (!entry->is_new)
    return TRUE;

  keys = g_string_new (NULL);
  if (entry->applicant)
    add_name_grams (keys, entry->applicant);
  add_number_keys (keys, entry);
  if (!pt_store_run (store, error, what, "INSERT OR REPLACE INTO case_keys (rowid, keys) VALUES (?1, ?2)",
                     "it", entry->rowid, keys->str))
    return FALSE;
  for (guint i = 0; i < entry->items->len; i++)
    if (!pt_store_run (store, error, what, "INSERT OR IGNORE INTO case_items (item, case_rowid) VALUES (?1, ?2)",
                       "ti", (const char *) g_ptr_array_index (entry->items, i), entry->rowid))
      return FALSE;
  return TRUE;
}

/* Writes the entries and empties @entries. The index is written after every
 * cache row of the transaction, all together: SQLite opens a statement
 * savepoint on the FTS5 table for each upsert into cases once the table has
 * been written in the transaction, and FTS5 answers each savepoint by
 * flushing what it holds as a new segment, one per case, that it must then
 * merge (a quarter of all the work of appending a district's history). */
gboolean
pt_store_search_write (PtStore    *store,
                       GPtrArray  *entries,
                       GError    **error)
{
  for (guint i = 0; i < entries->len; i++)
    if (!write_entry (store, g_ptr_array_index (entries, i), error))
      return FALSE;
  g_ptr_array_set_size (entries, 0);
  return TRUE;
}

gboolean
pt_store_search_forget (PtStore  *store,
                        gint64    rowid,
                        GError  **error)
{
  const char *what = N_("Removing a case from the search index");

  return pt_store_run (store, error, what, "DELETE FROM case_fts WHERE rowid = ?1", "i", rowid)
         && pt_store_run (store, error, what, "DELETE FROM case_keys WHERE rowid = ?1", "i", rowid)
         && pt_store_run (store, error, what, "DELETE FROM case_items WHERE case_rowid = ?1", "i", rowid);
}

/* FTS5 query syntax would read operators in what a clerk types; a quoted
 * string is matched literally. */
static char *
fts_phrase (const char *term)
{
  GString *out = g_string_new ("\"");

  for (const char *p = term; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

/* A case number, or a part of one or of an ID or phone number: ASCII
 * letters, digits and dashes only, with at least one digit. */
static gboolean
is_number_like (const char *term)
{
  gboolean digit = FALSE;

  for (const char *p = term; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        digit = TRUE;
      else if (*p != '-' && !g_ascii_isalpha (*p))
        return FALSE;
    }
  return digit;
}

/* Adds to @set the rowids of @stmt's column 0, to its last row. */
static gboolean
fill_rows (PtStore       *store,
           sqlite3_stmt  *stmt,
           PtRowSet      *set,
           const char    *what,
           GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    pt_row_set_add (set, sqlite3_column_int64 (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      pt_store_set_error (store, error, what);
      return FALSE;
    }
  return TRUE;
}

/* Adds to @set the rowids (column 0) of the cached statement @sql, whose
 * text parameters are the NULL-terminated strings after @sql. */
static gboolean
add_rows (PtStore     *store,
          PtRowSet    *set,
          GError     **error,
          const char  *sql,
          ...)
{
  sqlite3_stmt *stmt = pt_store_prepare (store, sql, error);
  va_list args;
  int index = 1;
  gboolean ok;

  if (stmt == NULL)
    return FALSE;
  va_start (args, sql);
  for (const char *value; (value = va_arg (args, const char *)) != NULL;)
    sqlite3_bind_text (stmt, index++, value, -1, SQLITE_TRANSIENT);
  va_end (args);
  ok = fill_rows (store, stmt, set, "Searching", error);
  sqlite3_reset (stmt);
  return ok;
}

static gboolean
add_fts (PtStore     *store,
         PtRowSet    *set,
         const char  *term,
         GError     **error)
{
  g_autofree char *phrase = fts_phrase (term);

  return add_rows (store, set, error, "SELECT rowid FROM case_fts WHERE case_fts MATCH ?1", phrase, NULL);
}

/* A key of case_keys as an FTS5 phrase. */
static char *
key_phrase (const char *prefix,
            const char *value)
{
  g_autofree char *key = g_strconcat (prefix, value, NULL);

  return fts_phrase (key);
}

/* The cases that have any of @keys, an FTS5 query of key phrases. A phrase
 * the tokenizer finds no token in ("·") matches nothing. */
static gboolean
add_keys (PtStore     *store,
          PtRowSet    *set,
          const char  *keys,
          GError     **error)
{
  return add_rows (store, set, error, "SELECT rowid FROM case_keys WHERE case_keys MATCH ?1", keys, NULL);
}

/* Items whose name or code holds @term: the catalog is small and in memory,
 * and the cases that have them are found in case_items. Departments and
 * categories are left out: "区" or "淄博" would match half the district. */
static gboolean
add_items (PtStore     *store,
           PtRowSet    *set,
           const char  *term,
           GError     **error)
{
  PtCatalog *catalog = store->reference ? store->reference->catalog : NULL;

  for (guint i = 0; catalog != NULL && i < pt_catalog_get_n_items (catalog); i++)
    {
      const PtCatalogItem *item = pt_catalog_get_item (catalog, i);

      if ((strstr (item->name, term) != NULL || g_ascii_strcasecmp (item->code, term) == 0)
          && !add_rows (store, set, error, "SELECT case_rowid FROM case_items WHERE item = ?1", item->code, NULL))
        return FALSE;
    }
  return TRUE;
}

/* Whether every case number starts with @prefix: all numbers lie between
 * the least and the greatest, so their common beginning is everyone's. A
 * clerk typing a number from its start passes through 3, 37, 370304-..., and
 * these match the whole district: answered as no search at all, rather than
 * by setting 200,000 bits from the number index (30 ms a keystroke). */
static gboolean
prefixes_every_number (PtStore    *store,
                       const char *prefix)
{
  /* Two subqueries: SQLite reads MIN and MAX off the index only when each is
   * alone in its query, and scans the table otherwise. */
  sqlite3_stmt *stmt = pt_store_prepare (store, "SELECT (SELECT MIN (number) FROM cases), (SELECT MAX (number) FROM cases)", NULL);
  gboolean every = FALSE;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    {
      const char *least = (const char *) sqlite3_column_text (stmt, 0);
      const char *greatest = (const char *) sqlite3_column_text (stmt, 1);

      every = g_str_has_prefix (least, prefix) && g_str_has_prefix (greatest, prefix);
    }
  sqlite3_reset (stmt);
  return every;
}

/* The lookups of one term, each where it is fast (see the top of the file).
 * @everything is set when the term matches every case. */
static gboolean
add_term (PtStore     *store,
          PtRowSet    *set,
          const char  *term,
          gboolean    *everything,
          GError     **error)
{
  glong length = g_utf8_strlen (term, -1);

  if (is_number_like (term))
    {
      g_autofree char *upper = g_ascii_strup (term, -1);
      g_autofree char *digits = digits_of (term);
      g_autofree char *n = key_phrase ("n:", upper);
      g_autofree char *i = key_phrase ("i:", upper);
      g_autofree char *p = key_phrase ("p:", digits);

      g_autofree char *keys = g_strdup_printf ("%s OR %s OR %s", n, i, p);

      if (!add_keys (store, set, keys, error))
        return FALSE;
      /* The beginning of a case number (370304-YC-001-2026...): a range of
       * the number index. */
      if (g_str_has_prefix (upper, "37"))
        {
          *everything = prefixes_every_number (store, upper);
          return *everything
                 || add_rows (store, set, error,
                              "SELECT rowid FROM cases WHERE number >= ?1 AND number < ?1 || 'z'", upper, NULL);
        }
      /* Other parts of digits (a phone's middle): the slower trigrams. */
      if (length >= 3 && length != 4 && length != 6 && length != 8 && length != 11 && length != 13)
        return add_fts (store, set, term, error);
      return TRUE;
    }
  if (length <= 2)
    {
      g_autofree char *gram = key_phrase ("", term);
      return add_keys (store, set, gram, error) && add_items (store, set, term, error);
    }
  return add_fts (store, set, term, error) && add_items (store, set, term, error);
}

PtRowSet *
pt_store_search_rows (PtStore     *store,
                      const char  *search,
                      gint64       max_rowid,
                      GError     **error)
{
  g_auto(GStrv) terms = NULL;
  g_autoptr(GString) plain = g_string_new (search);
  g_autoptr(PtRowSet) rows = NULL;

  /* The ideographic space (U+3000) of Chinese input methods separates terms
   * too; g_strsplit_set () works on bytes, so it becomes a plain space. */
  g_string_replace (plain, "\u3000", " ", 0);
  terms = g_strsplit_set (plain->str, " \t\n", -1);

  for (guint t = 0; terms[t] != NULL; t++)
    {
      g_autoptr(PtRowSet) term_rows = NULL;
      gboolean everything = FALSE;

      if (terms[t][0] == '\0')
        continue;
      term_rows = pt_row_set_new (max_rowid);
      if (!add_term (store, term_rows, terms[t], &everything, error))
        return NULL;
      if (everything)
        continue;   /* no narrower than no term */
      if (rows == NULL)
        rows = g_steal_pointer (&term_rows);
      else
        pt_row_set_intersect (rows, term_rows);
    }
  return g_steal_pointer (&rows);
}

/* Keeps in @rows the cases that pass @where, a WHERE clause on cases c
 * (its text varies, so its statement is not cached). */
gboolean
pt_store_search_filter (PtStore     *store,
                        PtRowSet    *rows,
                        const char  *where,
                        GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT c.rowid FROM cases c %s", where);
  g_autoptr(PtRowSet) passing = pt_row_set_new (pt_row_set_get_max (rows));
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  if (sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      pt_store_set_error (store, error, N_("Filtering cases"));
      return FALSE;
    }
  ok = fill_rows (store, stmt, passing, "Filtering cases", error);
  sqlite3_finalize (stmt);
  if (ok)
    pt_row_set_intersect (rows, passing);
  return ok;
}
