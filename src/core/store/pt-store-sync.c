/* pt-store-sync.c: the store's side of sync (outbox, pull pages, cursor,
 * quarantine).
 *
 * Device sequences: every event made on this desk gets, the first time it
 * is listed for a push, the next device sequence (sync_outbox), kept for
 * good so that a retry sends the same number. They are separate from the
 * log's local_seq so that a rejected event leaving the log never makes a
 * number come back. The outbox also keeps the event's rowid in the log
 * (event_rowid): the log has no index on id alone, and the server answers
 * by id. A rowid can be given again after its event left the log, so a
 * lookup through it checks the id too.
 */
#define G_LOG_DOMAIN "paotuan-store"

#include <glib/gi18n-lib.h>

#include "pt-error.h"
#include "pt-json.h"
#include "pt-roster.h"
#include "pt-store-private.h"
#include "pt-store-runners.h"
#include "pt-store-search.h"
#include "pt-store-sync.h"

const char *
pt_store_sync_schema (void)
{
  return
    "CREATE TABLE sync_outbox ("
    "  event_id TEXT PRIMARY KEY,"
    "  device_seq INTEGER NOT NULL UNIQUE"
    ");"   /* schema 4 adds event_rowid, the event's rowid in the log */
    "CREATE TABLE quarantine ("
    "  event_id TEXT PRIMARY KEY,"
    "  case_id TEXT,"
    "  type TEXT,"
    "  reason TEXT NOT NULL,"
    "  event TEXT NOT NULL,"
    "  at TEXT NOT NULL"
    ");"
    "CREATE TABLE sync_revoked ("
    "  case_id TEXT PRIMARY KEY,"
    "  seq INTEGER NOT NULL,"
    "  at TEXT NOT NULL"
    ");"
    "CREATE TABLE sync_reference ("
    "  name TEXT PRIMARY KEY,"
    "  content TEXT NOT NULL"
    ");";
}

void
pt_outbox_entry_free (PtOutboxEntry *entry)
{
  if (entry == NULL)
    return;
  pt_event_free (entry->event);
  g_free (entry);
}

void
pt_push_result_free (PtPushResult *result)
{
  if (result == NULL)
    return;
  g_free (result->event_id);
  g_free (result->reason);
  g_free (result);
}

void
pt_pull_item_free (PtPullItem *item)
{
  if (item == NULL)
    return;
  if (item->event != NULL)
    pt_event_free (item->event);
  g_free (item->revoke_case);
  g_free (item);
}

void
pt_quarantine_entry_free (PtQuarantineEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->event_id);
  g_free (entry->case_id);
  g_free (entry->type);
  g_free (entry->reason);
  g_free (entry->event_json);
  g_free (entry->at);
  g_free (entry->number);
  g_free (entry->applicant);
  g_free (entry->dismissed_at);
  g_free (entry->dismissed_reason);
  g_free (entry);
}

static const char *const outcome_names[] = { "stored", "duplicate", "rejected" };

const char *
pt_push_outcome_to_string (PtPushOutcome outcome)
{
  g_return_val_if_fail (outcome <= PT_PUSH_REJECTED, NULL);
  return outcome_names[outcome];
}

gboolean
pt_push_outcome_from_string (const char    *str,
                             PtPushOutcome *outcome)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (outcome_names); i++)
    if (g_str_equal (str, outcome_names[i]))
      {
        *outcome = i;
        return TRUE;
      }
  return FALSE;
}

static char *
now_iso (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  return g_date_time_format_iso8601 (now);
}

static gint64
meta_int (PtStore    *store,
          const char *key,
          gint64      fallback)
{
  g_autofree char *text = pt_store_get_meta (store, key);

  return text ? g_ascii_strtoll (text, NULL, 10) : fallback;
}

static gboolean
set_meta_int (PtStore     *store,
              const char  *key,
              gint64       value,
              GError     **error)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  return pt_store_set_meta (store, key, text, error);
}

gboolean
pt_store_sync_enroll (PtStore     *store,
                      const char  *server_url,
                      const char  *device,
                      const char  *token,
                      const char  *unit,
                      guint        desk_index,
                      const char  *ca_file,
                      GError     **error)
{
  g_autofree char *old_server = pt_store_get_meta (store, "sync.server");
  g_autofree char *index_text = g_strdup_printf ("%u", desk_index);
  g_autofree char *desk_unit = pt_store_get_meta (store, "unit");

  if (!pt_store_begin (store, error))
    return FALSE;
  /* A new device starts at device sequence 1: numbers handed out to events
   * the old device never got acknowledged are given again. */
  if (!pt_store_run (store, error, N_("Resetting the outbox"), "DELETE FROM sync_outbox", "")
      || !set_meta_int (store, "sync.next_device_seq", 1, error)
      || !pt_store_set_meta (store, "sync.numbered_last", NULL, error)
      || !pt_store_set_meta (store, "sync.server", server_url, error)
      || !pt_store_set_meta (store, "sync.device", device, error)
      || !pt_store_set_meta (store, "sync.token", token, error)
      || !pt_store_set_meta (store, "sync.token_in", token != NULL ? "database" : "keyring", error)
      || !pt_store_set_meta (store, "sync.unit", unit, error)
      || !pt_store_set_meta (store, "sync.ca_file", ca_file, error)
      || !pt_store_set_meta (store, "desk_index", index_text, error)
      || (desk_unit == NULL && !pt_store_set_meta (store, "unit", unit, error)))
    goto fail;
  if (old_server != NULL && !g_str_equal (old_server, server_url)
      && !pt_store_set_meta (store, "sync.cursor", "0", error))
    goto fail;
  return pt_store_commit (store, error);

fail:
  pt_store_rollback (store);
  return FALSE;
}

gboolean
pt_store_sync_forget_token (PtStore  *store,
                            GError  **error)
{
  return pt_store_set_meta (store, "sync.token", NULL, error)
         && pt_store_set_meta (store, "sync.token_in", NULL, error);
}

/* Gives device sequences to the events made here that have none yet, in the
 * order they were made. */
static gboolean
assign_device_seqs (PtStore  *store,
                    GError  **error)
{
  gint64 next = meta_int (store, "sync.next_device_seq", 1);
  g_autofree char *numbered = pt_store_get_meta (store, "sync.numbered_last");
  g_autofree char *last = NULL;
  sqlite3_stmt *stmt;
  gint64 max = 0;

  /* Nothing new since the last numbering (the newest local event is the one
   * numbered last): skip the anti-join over the whole outbox. */
  stmt = pt_store_prepare (store,
                           "SELECT id FROM events WHERE local_seq IS NOT NULL AND pushed = 0"
                           " ORDER BY local_seq DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    last = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (last == NULL || g_strcmp0 (last, numbered) == 0)
    return TRUE;

  if (!pt_store_run (store, error, N_("Numbering the outbox"),
                     "INSERT INTO sync_outbox (event_id, event_rowid, device_seq)"
                     " SELECT id, rowid, ?1 - 1 + ROW_NUMBER () OVER (ORDER BY local_seq) FROM events"
                     " WHERE local_seq IS NOT NULL AND pushed = 0"
                     " AND id NOT IN (SELECT event_id FROM sync_outbox)", "i", next))
    return FALSE;
  stmt = pt_store_prepare (store, "SELECT MAX (device_seq) FROM sync_outbox", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    max = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (!pt_store_set_meta (store, "sync.numbered_last", last, error))
    return FALSE;
  if (max >= next)
    return set_meta_int (store, "sync.next_device_seq", max + 1, error);
  return TRUE;
}

static PtEvent *
event_from_columns (sqlite3_stmt *stmt,
                    int           first,
                    GError      **error)
{
  PtStamp stamp;
  PtEventType type;
  g_autoptr(JsonObject) payload = NULL;
  const char *type_name = (const char *) sqlite3_column_text (stmt, first + 6);

  if (!pt_event_type_from_string (type_name, &type))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_STORE, _("The log holds an event of unknown type %s."), type_name);
      return NULL;
    }
  payload = pt_json_parse_object ((const char *) sqlite3_column_text (stmt, first + 7), -1, error);
  if (payload == NULL)
    return NULL;
  stamp.wall = sqlite3_column_int64 (stmt, first + 2);
  stamp.counter = (guint32) sqlite3_column_int64 (stmt, first + 3);
  return pt_event_new ((const char *) sqlite3_column_text (stmt, first),
                       (const char *) sqlite3_column_text (stmt, first + 1),
                       &stamp,
                       (const char *) sqlite3_column_text (stmt, first + 4),
                       (const char *) sqlite3_column_text (stmt, first + 5),
                       type, payload);   /* takes its own reference */
}

GPtrArray *
pt_store_sync_outbox (PtStore  *store,
                      guint     limit,
                      GError  **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_outbox_entry_free);
  sqlite3_stmt *stmt;
  int rc;

  if (!pt_store_begin (store, error))
    return NULL;
  if (!assign_device_seqs (store, error) || !pt_store_commit (store, error))
    {
      pt_store_rollback (store);
      return NULL;
    }
  stmt = pt_store_prepare (store,
                           "SELECT o.device_seq, e.id, e.case_id, e.wall, e.counter, e.device, e.author,"
                           " e.type, e.payload FROM events e JOIN sync_outbox o ON o.event_id = e.id"
                           " WHERE e.local_seq IS NOT NULL AND e.pushed = 0 ORDER BY e.local_seq LIMIT ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PtOutboxEntry *entry = g_new0 (PtOutboxEntry, 1);

      entry->device_seq = sqlite3_column_int64 (stmt, 0);
      entry->event = event_from_columns (stmt, 1, error);
      if (entry->event == NULL)
        {
          g_free (entry);
          sqlite3_reset (stmt);
          return NULL;
        }
      g_ptr_array_add (entries, entry);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      pt_store_set_error (store, error, N_("Reading the outbox"));
      return NULL;
    }
  return g_steal_pointer (&entries);
}

gint64
pt_store_sync_count_pending (PtStore  *store,
                             GError  **error)
{
  return pt_store_query_int (store, "SELECT COUNT (*) FROM events WHERE local_seq IS NOT NULL AND pushed = 0",
                             N_("Counting"), error);
}

gint64
pt_store_sync_count_quarantine (PtStore  *store,
                                GError  **error)
{
  return pt_store_query_int (store, "SELECT COUNT (*) FROM quarantine WHERE dismissed_at IS NULL",
                             N_("Counting"), error);
}

/* Drops a case's cache rows and search entries: a case whose log is empty
 * (revoked, or its intake rejected) must not linger in the lists. */
static gboolean
forget_case_cache (PtStore     *store,
                   const char  *case_id,
                   GError     **error)
{
  sqlite3_stmt *stmt = pt_store_prepare (store, "SELECT rowid FROM cases WHERE id = ?1", error);
  gint64 rowid = -1;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, case_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    rowid = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rowid < 0)
    return TRUE;
  return pt_store_search_forget (store, rowid, error)
    && pt_store_run (store, error, N_("Forgetting a case"), "DELETE FROM cases WHERE rowid = ?1", "i", rowid);
}

static gboolean
case_has_events (PtStore    *store,
                 const char *case_id)
{
  sqlite3_stmt *stmt = pt_store_prepare (store, "SELECT 1 FROM events WHERE case_id = ?1 LIMIT 1", NULL);
  gboolean found;

  if (stmt == NULL)
    return TRUE;
  sqlite3_bind_text (stmt, 1, case_id, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}

static gboolean
refold_or_forget (PtStore     *store,
                  const char  *case_id,
                  GPtrArray   *search,
                  GError     **error)
{
  if (case_has_events (store, case_id))
    return pt_store_refold_case (store, case_id, search, error);
  return forget_case_cache (store, case_id, error);
}

gboolean
pt_store_sync_acknowledge (PtStore    *store,
                           GPtrArray  *results,
                           GError    **error)
{
  g_autoptr(GHashTable) refold = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) search = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_search_entry_free);
  g_autofree char *at = now_iso ();
  GHashTableIter iter;
  gpointer key;

  if (!pt_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < results->len; i++)
    {
      PtPushResult *r = results->pdata[i];

      if (r->outcome != PT_PUSH_REJECTED)
        {
          if (!pt_store_run (store, error, N_("Acknowledging an event"),
                             "UPDATE events SET pushed = 1, seq = CASE WHEN ?2 > 0 THEN ?2 ELSE seq END"
                             " WHERE rowid = (SELECT event_rowid FROM sync_outbox WHERE event_id = ?1) AND id = ?1",
                             "ti", r->event_id, r->seq))
            goto fail;
          continue;
        }

      /* Rejected: out of the log into the quarantine, so that this desk
       * ends with what the server and the other desks have. */
      {
        sqlite3_stmt *stmt = pt_store_prepare (store,
          "SELECT id, case_id, wall, counter, device, author, type, payload, rowid FROM events"
          " WHERE rowid = (SELECT event_rowid FROM sync_outbox WHERE event_id = ?1) AND id = ?1",
          error);
        g_autoptr(PtEvent) event = NULL;
        g_autofree char *json = NULL;
        gint64 rowid = 0;

        if (stmt == NULL)
          goto fail;
        sqlite3_bind_text (stmt, 1, r->event_id, -1, SQLITE_STATIC);
        if (sqlite3_step (stmt) == SQLITE_ROW)
          {
            event = event_from_columns (stmt, 0, NULL);
            rowid = sqlite3_column_int64 (stmt, 8);
          }
        sqlite3_reset (stmt);
        if (event == NULL)
          continue;   /* already handled by an earlier answer */
        json = pt_event_to_string (event);
        if (!pt_store_run (store, error, N_("Quarantining an event"),
                           "INSERT OR REPLACE INTO quarantine (event_id, case_id, type, reason, event, at)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", "tttttt",
                           event->id, event->case_id, pt_event_type_to_string (event->type),
                           r->reason ? r->reason : "rejected", json, at)
            || !pt_store_run (store, error, N_("Quarantining an event"),
                              "DELETE FROM events WHERE rowid = ?1", "i", rowid))
          goto fail;
        g_hash_table_add (refold, g_strdup (event->case_id));
      }
    }

  g_hash_table_iter_init (&iter, refold);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!refold_or_forget (store, key, search, error))
      goto fail;
  if (!pt_store_search_write (store, search, error))
    goto fail;
  return pt_store_commit (store, error);

fail:
  pt_store_rollback (store);
  return FALSE;
}

gboolean
pt_store_sync_requeue (PtStore     *store,
                       gint64       high_water,
                       GError     **error)
{
  return pt_store_run (store, error, N_("Requeuing the outbox"),
                       "UPDATE events SET pushed = 0 FROM sync_outbox o"
                       " WHERE o.device_seq > ?1 AND events.rowid = o.event_rowid AND events.id = o.event_id",
                       "i", high_water);
}

gint64
pt_store_sync_count_conflicts (PtStore  *store,
                               GError  **error)
{
  return pt_store_query_int (store, "SELECT COUNT (*) FROM cases WHERE conflicts > 0", N_("Counting"), error);
}

gint64
pt_store_sync_get_cursor (PtStore *store)
{
  return meta_int (store, "sync.cursor", 0);
}

/* The case left this desk's scope: its log and cache go, except events made
 * here and not pushed yet; those go out with the next push and come back as
 * visible rejections. */
static gboolean
revoke_case (PtStore     *store,
             const char  *case_id,
             gint64       seq,
             const char  *at,
             GError     **error)
{
  /* The trace: what went where, read off the cache before it goes. */
  if (!pt_store_run (store, error, N_("Revoking a case"),
                     "INSERT OR REPLACE INTO sync_revoked (case_id, seq, at, number, applicant, items, unit)"
                     " SELECT ?1, ?2, ?3, c.number, c.applicant, c.items, c.unit FROM (SELECT 1)"
                     " LEFT JOIN cases c ON c.id = ?1",
                     "tit", case_id, seq, at)
      || !pt_store_run (store, error, N_("Revoking a case"),
                        "DELETE FROM events WHERE case_id = ?1 AND NOT (local_seq IS NOT NULL AND pushed = 0)",
                        "t", case_id))
    return FALSE;
  return forget_case_cache (store, case_id, error);
}

static gboolean
apply_events (PtStore    *store,
              GPtrArray  *events,
              GError    **error)
{
  if (events->len == 0)
    return TRUE;
  g_autoptr(GHashTable) cases = g_hash_table_new (g_str_hash, g_str_equal);

  if (!pt_store_append_batch (store, events, FALSE, error))
    return FALSE;
  for (guint i = 0; i < events->len; i++)
    {
      PtEvent *event = events->pdata[i];

      /* Our own events come back with their sequence; so does an event
       * whose push answer was lost. Others' events were inserted with it. */
      if (g_strcmp0 (event->device, store->device_id) == 0
          && !pt_store_run (store, error, N_("Recording a server sequence"),
                         "UPDATE events SET seq = ?3, pushed = 1"
                         " WHERE case_id = ?1 AND id = ?2 AND (seq IS NULL OR pushed = 0)",
                         "tti", event->case_id, event->id, event->seq))
        return FALSE;
      /* A case granted again after a transfer back is no longer revoked. */
      if (g_hash_table_add (cases, event->case_id)
          && !pt_store_run (store, error, N_("Recording a server sequence"),
                            "DELETE FROM sync_revoked WHERE case_id = ?1", "t", event->case_id))
        return FALSE;
    }
  g_ptr_array_set_size (events, 0);
  return TRUE;
}

gboolean
pt_store_sync_apply_page (PtStore    *store,
                          GPtrArray  *items,
                          gint64      next_cursor,
                          gint64      server_time,
                          gint64     *applied,
                          GError    **error)
{
  g_autoptr(GPtrArray) segment = g_ptr_array_new ();
  g_autofree char *at = now_iso ();
  PtStamp saved = store->hlc.last;
  gint64 before = pt_store_query_int (store, "SELECT IFNULL (MAX (rowid), 0) FROM events", N_("Counting"), NULL);
  gint64 after;

  if (!pt_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < items->len; i++)
    {
      PtPullItem *item = items->pdata[i];

      if (item->event != NULL)
        {
          item->event->seq = item->seq;
          g_ptr_array_add (segment, item->event);
          continue;
        }
      if (!apply_events (store, segment, error)
          || !revoke_case (store, item->revoke_case, item->seq, at, error))
        goto fail;
    }
  if (!apply_events (store, segment, error))
    goto fail;

  /* append_batch observed every stamp; a flagged one (far ahead of the
   * server's clock) must not drag this desk's clock ahead, so observe again
   * without them. */
  store->hlc.last = saved;
  for (guint i = 0; i < items->len; i++)
    {
      PtPullItem *item = items->pdata[i];
      if (item->event != NULL && !item->flagged)
        pt_hlc_observe (&store->hlc, &item->event->stamp);
    }
  if (server_time > 0)
    pt_hlc_observe_server (&store->hlc, server_time);

  /* Never back: two syncs of one desk at once (the application's and
   * paotuanctl's) may finish pages out of order. */
  if (!pt_store_save_hlc (store, error)
      || !set_meta_int (store, "sync.cursor",
                        MAX (next_cursor, pt_store_sync_get_cursor (store)), error))
    goto fail;
  {
    /* New rows get rowids above the old maximum: count them, not the log. */
    sqlite3_stmt *stmt = pt_store_prepare (store, "SELECT COUNT (*) FROM events WHERE rowid > ?1", error);
    if (stmt == NULL)
      goto fail;
    sqlite3_bind_int64 (stmt, 1, before);
    after = sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
    sqlite3_reset (stmt);
  }
  if (!pt_store_commit (store, error))
    goto fail;
  if (applied != NULL)
    *applied = after;
  return TRUE;

fail:
  pt_store_rollback (store);
  store->hlc.last = saved;
  return FALSE;
}

gboolean
pt_store_sync_save_clock (PtStore  *store,
                          GError  **error)
{
  return pt_store_save_hlc (store, error);
}

gboolean
pt_store_sync_mark_done (PtStore  *store,
                         GError  **error)
{
  g_autofree char *at = now_iso ();

  return pt_store_save_hlc (store, error)
    && pt_store_set_meta (store, "sync.last", at, error);
}

GPtrArray *
pt_store_sync_list_quarantine (PtStore   *store,
                               gboolean   with_dismissed,
                               GError   **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_quarantine_entry_free);
  /* The case's number and applicant, where the desk still has the case. */
  sqlite3_stmt *stmt = pt_store_prepare (store,
    "SELECT q.event_id, q.case_id, q.type, q.reason, q.event, q.at, c.number, c.applicant,"
    " q.dismissed_at, q.dismissed_reason"
    " FROM quarantine q LEFT JOIN cases c ON c.id = q.case_id"
    " WHERE ?1 OR q.dismissed_at IS NULL ORDER BY q.at, q.event_id", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, with_dismissed ? 1 : 0);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      PtQuarantineEntry *e = g_new0 (PtQuarantineEntry, 1);
      e->event_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      e->case_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      e->type = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      e->reason = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      e->event_json = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      e->at = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      e->number = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      e->applicant = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
      e->dismissed_at = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
      e->dismissed_reason = g_strdup ((const char *) sqlite3_column_text (stmt, 9));
      g_ptr_array_add (list, e);
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&list);
}

gboolean
pt_store_sync_dismiss_quarantine (PtStore     *store,
                                  const char  *event_id,
                                  const char  *reason,
                                  GError     **error)
{
  g_autofree char *at = now_iso ();
  g_autofree char *why = g_strstrip (g_strdup (reason != NULL ? reason : ""));

  if (why[0] == '\0')
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("Say why the refused record is dismissed (for example: entered again on the case's new desk)."));
      return FALSE;
    }
  if (!pt_store_begin (store, error))
    return FALSE;
  if (!pt_store_run (store, error, N_("Dismissing a refused record"),
                     "UPDATE quarantine SET dismissed_at = ?2, dismissed_reason = ?3"
                     " WHERE event_id = ?1 AND dismissed_at IS NULL", "ttt", event_id, at, why))
    {
      pt_store_rollback (store);
      return FALSE;
    }
  if (sqlite3_changes (store->db) == 0)
    {
      pt_store_rollback (store);
      g_set_error (error, PT_ERROR, PT_ERROR_NOT_FOUND,
                   _("No refused record %s waits on this desk."), event_id);
      return FALSE;
    }
  return pt_store_commit (store, error);
}

char *
pt_quarantine_explain (const char *reason)
{
  static const struct { const char *prefix; const char *text; } kinds[] = {
    { "scope:", N_("The case is no longer with this desk's unit (it was transferred): the district server "
                   "takes no more records of it from here. Pass the record on to the unit that has the case.") },
    { "unknown:", N_("The district server has no intake of this case: the intake itself was refused or never sent.") },
    { "duplicate:", N_("The case number is already used in the district.") },
    { "corrupt:", N_("The server holds this record already, with other content.") },
    { "forbidden:", N_("The district's rules do not allow this step (see the details).") },
    { "invalid:", N_("The district server found the record incomplete or wrong (see the details).") },
  };

  for (guint i = 0; reason != NULL && i < G_N_ELEMENTS (kinds); i++)
    if (g_str_has_prefix (reason, kinds[i].prefix))
      return g_strdup (_(kinds[i].text));
  return g_strdup (_("The district server refused the record (see the details)."));
}

GPtrArray *
pt_store_sync_list_revoked (PtStore  *store,
                            GError  **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = pt_store_prepare (store, "SELECT case_id FROM sync_revoked ORDER BY seq", error);

  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (list, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  return g_steal_pointer (&list);
}

/* The district's roster, when the server sends one, becomes this desk's
 * runners (pt_store_replace_roster ()): every desk shows every runner's
 * name. A runner of a unit this desk does not know yet is left out rather
 * than refusing the whole roster. */
static gboolean
apply_roster (PtStore     *store,
              JsonObject  *files,
              GError     **error)
{
  const char *text = pt_json_get_string (files, "runners.json");
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) runners = NULL;
  g_autoptr(GError) local_error = NULL;
  PtRosterChange change = { 0 };

  if (text == NULL)
    return TRUE;
  root = pt_json_parse (text, -1, &local_error);
  if (root != NULL)
    runners = pt_roster_parse (root, NULL, &local_error);
  if (runners == NULL)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("The district server sent a roster of runners this desk cannot read: %s"),
                   local_error->message);
      return FALSE;
    }
  if (!pt_store_replace_roster (store, runners, &change, error))
    return FALSE;
  g_debug ("roster: %u runners, %u added, %u updated, %u retired, %u removed, %u of unknown units",
           runners->len, change.added, change.updated, change.retired, change.removed, change.skipped);
  return TRUE;
}

gboolean
pt_store_sync_save_reference (PtStore     *store,
                              const char  *version,
                              JsonObject  *files,
                              GError     **error)
{
  g_autoptr(GList) names = json_object_get_members (files);

  if (!pt_store_begin (store, error))
    return FALSE;
  if (!pt_store_run (store, error, N_("Saving reference data"), "DELETE FROM sync_reference", ""))
    goto fail;
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *content = pt_json_get_string (files, l->data);
      if (content != NULL
          && !pt_store_run (store, error, N_("Saving reference data"),
                            "INSERT INTO sync_reference (name, content) VALUES (?1, ?2)", "tt",
                            (const char *) l->data, content))
        goto fail;
    }
  if (!apply_roster (store, files, error)
      || !pt_store_set_meta (store, "sync.reference_version", version, error))
    goto fail;
  return pt_store_commit (store, error);

fail:
  pt_store_rollback (store);
  return FALSE;
}

char *
pt_store_sync_get_reference (PtStore     *store,
                             const char  *name,
                             GError     **error)
{
  sqlite3_stmt *stmt = pt_store_prepare (store, "SELECT content FROM sync_reference WHERE name = ?1", error);
  char *content = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    content = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else
    g_set_error (error, PT_ERROR, PT_ERROR_NOT_FOUND, _("No reference file %s from the server yet; sync first."), name);
  sqlite3_reset (stmt);
  return content;
}

void
pt_handover_free (PtHandover *handover)
{
  if (handover == NULL)
    return;
  g_free (handover->case_id);
  g_free (handover->number);
  g_free (handover->applicant);
  g_free (handover->items);
  g_free (handover->unit);
  g_free (handover->at);
  g_free (handover);
}

GPtrArray *
pt_store_sync_list_handed_over (PtStore     *store,
                                const char  *since,
                                GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_handover_free);
  sqlite3_stmt *stmt = pt_store_prepare (store,
    "SELECT case_id, number, applicant, items, unit, at FROM sync_revoked"
    " WHERE ?1 IS NULL OR at >= ?1 ORDER BY at DESC, seq DESC", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, since, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      PtHandover *h = g_new0 (PtHandover, 1);
      h->case_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      h->number = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      h->applicant = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      h->items = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      h->unit = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      h->at = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      g_ptr_array_add (list, h);
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&list);
}
