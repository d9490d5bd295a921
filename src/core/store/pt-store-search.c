/* pt-store-search.c: the search index of the case list.
 *
 * FTS5's trigram tokenizer finds any substring of three characters or more
 * (case numbers, ID tails, enterprise names, item names, notes). Chinese
 * personal names are mostly two or three characters and a clerk often types
 * one or two, which trigrams cannot match; for those the index keeps the
 * one- and two-character grams of the applicant's name, and item names are
 * matched in the catalog first and then through the case_items table.
 */
#define G_LOG_DOMAIN "paotuan-store"

#include "pt-catalog.h"
#include "pt-store-private.h"
#include "pt-store-search.h"

static void
append_ids (GString           *ids,
            const PtCaseState *state)
{
  if (state->id_number)
    g_string_append_printf (ids, "%s ", state->id_number);
  if (state->uscc)
    g_string_append_printf (ids, "%s ", state->uscc);
  if (state->phone)
    g_string_append (ids, state->phone);
}

static gboolean
add_gram (PtStore     *store,
          gint64       rowid,
          const char  *gram,
          gsize        length,
          GError     **error)
{
  sqlite3_stmt *stmt = pt_store_prepare (store,
                                         "INSERT OR IGNORE INTO case_grams (gram, case_rowid) VALUES (?1, ?2)",
                                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, gram, (int) length, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, rowid);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      pt_store_set_error (store, error, "Indexing a name");
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* The grams of a name: every character and every pair for short (personal)
 * names, every pair for long (enterprise) names, where one character finds
 * too much to help. */
static gboolean
index_name (PtStore     *store,
            gint64       rowid,
            const char  *name,
            GError     **error)
{
  glong n = g_utf8_strlen (name, -1);
  const char *p = name;

  for (glong i = 0; i < n; i++)
    {
      const char *next = g_utf8_next_char (p);
      if (n <= 4 && !add_gram (store, rowid, p, next - p, error))
        return FALSE;
      if (i + 1 < n && !add_gram (store, rowid, p, g_utf8_next_char (next) - p, error))
        return FALSE;
      p = next;
    }
  return TRUE;
}

/* Called for every cache write. The name and the items never change after
 * the intake, so their rows are written only when the case is new; the text
 * row is replaced, since notes are added over time. */
gboolean
pt_store_search_index (PtStore            *store,
                       gint64              rowid,
                       const PtCaseState  *state,
                       gboolean            is_new,
                       const char         *item_names,
                       GError            **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(GString) ids = g_string_new (NULL);
  g_autofree char *notes = NULL;

  append_ids (ids, state);
  g_ptr_array_add (state->notes, NULL);
  notes = g_strjoinv (" ", (char **) state->notes->pdata);
  g_ptr_array_remove_index (state->notes, state->notes->len - 1);

  if (!is_new)
    {
      stmt = pt_store_prepare (store, "DELETE FROM case_fts WHERE rowid = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rowid);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          pt_store_set_error (store, error, "Updating the search index");
          sqlite3_reset (stmt);
          return FALSE;
        }
      sqlite3_reset (stmt);
    }

  stmt = pt_store_prepare (store,
                           "INSERT INTO case_fts (rowid, number, applicant, ids, items, notes)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rowid);
  sqlite3_bind_text (stmt, 2, state->number, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, state->applicant_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, ids->str, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, item_names, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, notes, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      pt_store_set_error (store, error, "Updating the search index");
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);

  if (!is_new)
    return TRUE;

  if (state->applicant_name && !index_name (store, rowid, state->applicant_name, error))
    return FALSE;
  stmt = pt_store_prepare (store, "INSERT OR IGNORE INTO case_items (item, case_rowid) VALUES (?1, ?2)", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < state->items->len; i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, g_ptr_array_index (state->items, i), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, rowid);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          pt_store_set_error (store, error, "Indexing the items");
          sqlite3_reset (stmt);
          return FALSE;
        }
    }
  sqlite3_reset (stmt);
  return TRUE;
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

static char *
sql_quote (const char *text)
{
  char *quoted = sqlite3_mprintf ("%Q", text);
  char *copy = g_strdup (quoted);

  sqlite3_free (quoted);
  return copy;
}

/* Appends to @where one condition per whitespace-separated term of @search,
 * all of which must match. Terms are quoted into the SQL text (with
 * sqlite3_mprintf's %Q), so the caller binds nothing for them. */
void
pt_store_search_where (PtStore    *store,
                       const char *search,
                       GString    *where)
{
  g_auto(GStrv) terms = NULL;
  g_autoptr(GString) plain = g_string_new (search);

  /* The ideographic space (U+3000) of Chinese input methods separates terms
   * too; g_strsplit_set () works on bytes, so it becomes a plain space. */
  g_string_replace (plain, "\u3000", " ", 0);
  terms = g_strsplit_set (plain->str, " \t\n", -1);

  for (guint t = 0; terms[t] != NULL; t++)
    {
      const char *term = terms[t];
      glong length = g_utf8_strlen (term, -1);

      if (length == 0)
        continue;
      if (length >= 3)
        {
          g_autofree char *phrase = fts_phrase (term);
          g_autofree char *quoted = sql_quote (phrase);
          g_string_append_printf (where,
                                  " AND c.rowid IN (SELECT rowid FROM case_fts WHERE case_fts MATCH %s)",
                                  quoted);
        }
      else
        {
          g_autofree char *quoted = sql_quote (term);
          g_autoptr(GString) codes = g_string_new (NULL);
          PtCatalog *catalog = store->reference ? store->reference->catalog : NULL;

          if (catalog != NULL)
            {
              g_autoptr(GPtrArray) items = pt_catalog_search (catalog, term);
              for (guint i = 0; i < items->len; i++)
                {
                  const PtCatalogItem *item = g_ptr_array_index (items, i);
                  g_autofree char *code = sql_quote (item->code);
                  g_string_append_printf (codes, "%s%s", codes->len ? ", " : "", code);
                }
            }
          g_string_append_printf (where,
                                  " AND c.rowid IN (SELECT case_rowid FROM case_grams WHERE gram = %s",
                                  quoted);
          if (codes->len > 0)
            g_string_append_printf (where,
                                    " UNION SELECT case_rowid FROM case_items WHERE item IN (%s)",
                                    codes->str);
          g_string_append (where, ")");
        }
    }
}
