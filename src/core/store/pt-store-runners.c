/* pt-store-runners.c: the desk's runners from the district's roster. */
#define G_LOG_DOMAIN "paotuan-store"

#include <glib/gi18n-lib.h>

#include "pt-error.h"
#include "pt-store-private.h"
#include "pt-store-runners.h"

static gboolean
same_runner (const PtRunner *a,
             const PtRunner *b)
{
  return g_strcmp0 (a->name, b->name) == 0 && g_strcmp0 (a->unit, b->unit) == 0
         && g_strcmp0 (a->staff_number, b->staff_number) == 0
         && g_strcmp0 (a->phone, b->phone) == 0 && !a->active == !b->active;
}

static gboolean
unit_known (PtStore     *store,
            const char  *unit,
            gboolean    *known,
            GError     **error)
{
  sqlite3_stmt *stmt = pt_store_prepare (store, "SELECT 1 FROM units WHERE code = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, unit, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      pt_store_set_error (store, error, N_("Reading the units"));
      return FALSE;
    }
  *known = rc == SQLITE_ROW;
  return TRUE;
}

/* Whether a case names @id: as its runner (cases_runner is an index), or as
 * the author of an event (a scan of the log: only for the few runners the
 * roster dropped). */
static gboolean
named_by_a_case (PtStore     *store,
                 const char  *id,
                 gboolean    *named,
                 GError     **error)
{
  static const char * const queries[] = {
    "SELECT 1 FROM cases WHERE runner = ?1 LIMIT 1",
    "SELECT 1 FROM events WHERE author = ?1 LIMIT 1",
  };

  *named = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (queries) && !*named; i++)
    {
      sqlite3_stmt *stmt = pt_store_prepare (store, queries[i], error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          pt_store_set_error (store, error, N_("Looking for the cases of a runner"));
          return FALSE;
        }
      *named = rc == SQLITE_ROW;
    }
  return TRUE;
}

gboolean
pt_store_replace_roster (PtStore         *store,
                         GPtrArray       *runners,
                         PtRosterChange  *change,
                         GError         **error)
{
  g_autoptr(GPtrArray) existing = NULL;
  g_autoptr(GHashTable) have = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) in_roster = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *signed_in = NULL;
  PtRosterChange local = { 0 };

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (runners != NULL, FALSE);

  if (!pt_store_begin (store, error))
    return FALSE;
  existing = pt_store_list_runners (store, NULL, error);
  if (existing == NULL)
    goto fail;
  for (guint i = 0; i < existing->len; i++)
    {
      PtRunner *r = g_ptr_array_index (existing, i);
      g_hash_table_insert (have, r->id, r);
    }

  for (guint i = 0; i < runners->len; i++)
    {
      const PtRunner *r = g_ptr_array_index (runners, i);
      const PtRunner *before = g_hash_table_lookup (have, r->id);
      gboolean known;

      if (!unit_known (store, r->unit, &known, error))
        goto fail;
      if (!known)
        {
          local.skipped++;
          continue;
        }
      g_hash_table_add (in_roster, r->id);
      if (before != NULL && same_runner (before, r))
        continue;
      if (!pt_store_add_runner (store, r, error))
        goto fail;
      if (before == NULL)
        local.added++;
      else
        local.updated++;
    }

  signed_in = pt_store_get_meta (store, "runner");
  for (guint i = 0; i < existing->len; i++)
    {
      PtRunner *r = g_ptr_array_index (existing, i);
      gboolean named;

      if (g_hash_table_contains (in_roster, r->id))
        continue;
      if (g_strcmp0 (r->id, signed_in) == 0)
        named = TRUE;
      else if (!named_by_a_case (store, r->id, &named, error))
        goto fail;

      if (!named)
        {
          if (!pt_store_run (store, error, N_("Removing a runner"), "DELETE FROM runners WHERE id = ?1",
                             "t", r->id))
            goto fail;
          local.removed++;
        }
      else if (r->active)
        {
          if (!pt_store_run (store, error, N_("Retiring a runner"),
                             "UPDATE runners SET active = 0 WHERE id = ?1", "t", r->id))
            goto fail;
          local.retired++;
        }
    }

  if (!pt_store_commit (store, error))
    return FALSE;
  if (change != NULL)
    *change = local;
  return TRUE;

fail:
  pt_store_rollback (store);
  return FALSE;
}
