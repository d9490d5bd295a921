/* pt-store.c: opening the desk's database, its schema, the event log and the
 * cache of folded states. */
#define G_LOG_DOMAIN "paotuan-store"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <sys/stat.h>

#include "pt-calendar.h"
#include "pt-catalog.h"
#include "pt-error.h"
#include "pt-fold.h"
#include "pt-json.h"
#include "pt-store-private.h"
#include "pt-store-search.h"
#include "pt-uuid.h"

#define SCHEMA_VERSION 7

static const char schema_v1[] =
  "CREATE TABLE meta ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ");"
  "CREATE TABLE units ("
  "  code TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  short_name TEXT,"
  "  kind TEXT NOT NULL,"
  "  level TEXT NOT NULL,"
  "  parent TEXT REFERENCES units (code),"
  "  address TEXT,"
  "  hotline TEXT"
  ");"
  "CREATE TABLE runners ("
  "  id TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  unit TEXT NOT NULL REFERENCES units (code),"
  "  staff_number TEXT,"
  "  phone TEXT,"
  "  active INTEGER NOT NULL DEFAULT 1"
  ");"
  "CREATE INDEX runners_unit ON runners (unit);"
  /* The log. local_seq numbers this desk's own events 1, 2, 3... for the
   * server's per-device high-water mark; seq is the server's sequence.
   * Schema 4 makes this table again, keyed by (case_id, id). */
  "CREATE TABLE events ("
  "  rowid INTEGER PRIMARY KEY,"
  "  id TEXT NOT NULL UNIQUE,"
  "  case_id TEXT NOT NULL,"
  "  wall INTEGER NOT NULL,"
  "  counter INTEGER NOT NULL,"
  "  device TEXT NOT NULL,"
  "  author TEXT,"
  "  type TEXT NOT NULL,"
  "  payload TEXT NOT NULL,"
  "  seq INTEGER,"
  "  local_seq INTEGER,"
  "  pushed INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX events_case ON events (case_id);"
  /* Partial indexes: most events of a desk came from the server (no
   * local_seq) or are synced, and an index entry for each would cost every
   * append for nothing. */
  "CREATE UNIQUE INDEX events_seq ON events (seq) WHERE seq IS NOT NULL;"
  "CREATE UNIQUE INDEX events_local_seq ON events (local_seq) WHERE local_seq IS NOT NULL;"
  "CREATE INDEX events_unpushed ON events (local_seq) WHERE local_seq IS NOT NULL AND pushed = 0;"
  /* The cache: one row per case, rebuilt from the log at any time. */
  "CREATE TABLE cases ("
  "  rowid INTEGER PRIMARY KEY,"
  "  id TEXT NOT NULL UNIQUE,"
  "  number TEXT,"
  "  status TEXT NOT NULL,"
  "  level TEXT,"
  "  unit TEXT,"
  "  runner TEXT,"
  "  applicant TEXT,"
  "  items TEXT,"
  "  phone TEXT,"
  "  address TEXT,"
  "  channel TEXT,"
  "  vulnerable TEXT,"
  "  intake_date TEXT,"
  "  due TEXT,"
  "  conflicts INTEGER NOT NULL DEFAULT 0,"
  "  updated_on TEXT,"
  "  state_digest TEXT NOT NULL"
  ");"
  "CREATE INDEX cases_number ON cases (number);"
  "CREATE INDEX cases_status ON cases (status);"
  "CREATE INDEX cases_runner ON cases (runner);"
  "CREATE INDEX cases_unit ON cases (unit);"
  "CREATE INDEX cases_due ON cases (due) WHERE due IS NOT NULL;"
  "CREATE INDEX cases_conflicts ON cases (conflicts) WHERE conflicts > 0;"
  /* Search (pt-store-search.c): trigrams for names and notes of three
   * characters and more; grams for short names and for the tails of numbers
   * (case_grams, which schema 3 replaces with case_keys); item names through
   * the catalog and case_items. */
  "CREATE VIRTUAL TABLE case_fts USING fts5 (number, applicant, ids, notes, tokenize = 'trigram');"
  "CREATE TABLE case_grams ("
  "  gram TEXT NOT NULL,"
  "  case_rowid INTEGER NOT NULL,"
  "  PRIMARY KEY (gram, case_rowid)"
  ") WITHOUT ROWID;"
  "CREATE TABLE case_items ("
  "  item TEXT NOT NULL,"
  "  case_rowid INTEGER NOT NULL,"
  "  PRIMARY KEY (item, case_rowid)"
  ") WITHOUT ROWID;"
  "CREATE TABLE desk_sequence ("
  "  day TEXT PRIMARY KEY,"
  "  last INTEGER NOT NULL"
  ");";

/* Version 1 made the outbox's index twice (events_unpushed and
 * sync_events_unpushed): one more index entry for every event appended. */
static const char schema_v2[] =
  "DROP INDEX IF EXISTS sync_events_unpushed;";

/* Version 3 keeps the search keys of names and numbers (pt-store-search.c)
 * in FTS5, one row of space-separated tokens per case, instead of a B-tree
 * keyed by key whose every commit rewrote thousands of pages. The ascii
 * tokenizer splits on ASCII spaces and punctuation only, so that a Chinese
 * character and a pair stay whole, and keeps ':' and '-' of "n:0007". */
static const char schema_v3[] =
  "CREATE VIRTUAL TABLE case_keys USING fts5 (keys, detail = none, columnsize = 0,"
  "  tokenize = \"ascii tokenchars ':-'\");"
  "INSERT INTO case_keys (rowid, keys)"
  "  SELECT case_rowid, group_concat (gram, ' ') FROM case_grams GROUP BY case_rowid;"
  "DROP TABLE case_grams;";

/* Version 4 keys the log by case: one unique index on (case_id, id) in place
 * of a unique index on id and an index on case_id. The ids of a batch of
 * whole case histories (an import, a first sync) are stamped across weeks,
 * so that an index on id alone took them at thousands of places among the
 * events of other cases (40 % of the pages such a batch wrote); by case,
 * they go in together. An event is found by its case and id; the outbox
 * keeps the rowid of each event it numbered, for the server's answers. The
 * table is made again: SQLite cannot drop a column's UNIQUE. */
static const char schema_v4[] =
  "ALTER TABLE sync_outbox ADD COLUMN event_rowid INTEGER;"
  "UPDATE sync_outbox SET event_rowid = (SELECT rowid FROM events WHERE id = event_id);"
  "CREATE TABLE events_v4 ("
  "  rowid INTEGER PRIMARY KEY,"
  "  id TEXT NOT NULL,"
  "  case_id TEXT NOT NULL,"
  "  wall INTEGER NOT NULL,"
  "  counter INTEGER NOT NULL,"
  "  device TEXT NOT NULL,"
  "  author TEXT,"
  "  type TEXT NOT NULL,"
  "  payload TEXT NOT NULL,"
  "  seq INTEGER,"
  "  local_seq INTEGER,"
  "  pushed INTEGER NOT NULL DEFAULT 0"
  ");"
  "INSERT INTO events_v4 (rowid, id, case_id, wall, counter, device, author, type, payload, seq, local_seq, pushed)"
  "  SELECT rowid, id, case_id, wall, counter, device, author, type, payload, seq, local_seq, pushed FROM events;"
  "DROP TABLE events;"
  "ALTER TABLE events_v4 RENAME TO events;"
  "CREATE UNIQUE INDEX events_case ON events (case_id, id);"
  "CREATE UNIQUE INDEX events_seq ON events (seq) WHERE seq IS NOT NULL;"
  "CREATE UNIQUE INDEX events_local_seq ON events (local_seq) WHERE local_seq IS NOT NULL;"
  "CREATE INDEX events_unpushed ON events (local_seq) WHERE local_seq IS NOT NULL AND pushed = 0;";

/* Version 5 drops the index on the cache's unit: the one query that reads
 * it (the unit filter, "this unit or a unit under it") scanned all of it
 * anyway, for its LIKE, and a batch of new cases wrote an entry into a
 * hundred of its pages. */
static const char schema_v5[] =
  "DROP INDEX IF EXISTS cases_unit;";

/* Version 6 marks the cache rows whose state has a provisional date (one
 * counted through a year without a holiday table: 2 when it is the case's
 * due date, 1 when only a step's or a pause's), so that the cases to
 * fold again when the calendar gains a year are found without folding the
 * others (pt_store_update_calendar ()). The cases still open were folded
 * when a year without a table had no due date at all: they are marked, and
 * the next open folds them again once. */
static const char schema_v6[] =
  "ALTER TABLE cases ADD COLUMN provisional INTEGER NOT NULL DEFAULT 0;"
  "CREATE INDEX cases_provisional ON cases (provisional) WHERE provisional > 0;"
  "UPDATE cases SET provisional = 1 WHERE status NOT IN ('delivered', 'terminated');"
  "DELETE FROM meta WHERE key = 'calendar.years';";

/* 7: a refused record is work: staff dismiss it with a reason, it stays; a
 * case handed over to another unit leaves a trace of what went where; the
 * transfers a desk receives are found without reading the whole log. */
static const char schema_v7[] =
  "ALTER TABLE quarantine ADD COLUMN dismissed_at TEXT;"
  "ALTER TABLE quarantine ADD COLUMN dismissed_reason TEXT;"
  "ALTER TABLE sync_revoked ADD COLUMN number TEXT;"
  "ALTER TABLE sync_revoked ADD COLUMN applicant TEXT;"
  "ALTER TABLE sync_revoked ADD COLUMN items TEXT;"
  "ALTER TABLE sync_revoked ADD COLUMN unit TEXT;"
  "CREATE INDEX events_transfers ON events (wall) WHERE type = 'case_transferred';";

/* The identity of a file by its path, read with stat (): never a
 * descriptor of its own (see pt_store_open ()). FALSE when it is gone. */
static gboolean
file_identity (const char *path,
               PtFileId   *id)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0 || st.st_nlink == 0)
    return FALSE;
  id->dev = st.st_dev;
  id->ino = st.st_ino;
  return TRUE;
}

/* Remembers which database and WAL files this connection writes into, once
 * its first read has opened the WAL. */
static void
note_files (PtStore *store)
{
  g_autofree char *wal = g_strconcat (store->path, "-wal", NULL);

  store->files_known = file_identity (store->path, &store->db_file)
                       && file_identity (wal, &store->wal_file);
}

/* Whether the database and the WAL this connection writes into are still
 * the files under its path. The WAL is never removed while a connection is
 * open unless another program broke SQLite's locks (or deleted or replaced
 * the files): writing on would go into a file nobody will ever read. From
 * then on every write is refused, with a message the clerk can act on. */
static gboolean
files_lost (PtStore *store)
{
  g_autofree char *wal = NULL;
  PtFileId now;

  if (!store->files_known || store->files_lost)
    return store->files_lost;
  wal = g_strconcat (store->path, "-wal", NULL);
  store->files_lost = !file_identity (store->path, &now)
                      || now.dev != store->db_file.dev || now.ino != store->db_file.ino
                      || !file_identity (wal, &now)
                      || now.dev != store->wal_file.dev || now.ino != store->wal_file.ino;
  if (store->files_lost)
    g_warning ("The database %s or its -wal file was removed or replaced while open", store->path);
  return store->files_lost;
}

static void
set_files_lost_error (PtStore  *store,
                      GError  **error)
{
  g_set_error (error, PT_ERROR, PT_ERROR_STORE_LOST,
               _("The database %s was removed or replaced by another program while Paotuan had it open. "
                 "Nothing more is recorded, so that no record is lost: close Paotuan and open it again."),
               store->path);
}

static gboolean
check_files (PtStore  *store,
             GError  **error)
{
  if (!files_lost (store))
    return TRUE;
  set_files_lost_error (store, error);
  return FALSE;
}

/* Every commit, an explicit one or a statement's own, passes here: a
 * non-zero answer turns it into a rollback. */
static int
commit_hook_cb (void *data)
{
  return files_lost (data) ? 1 : 0;
}

void
pt_store_set_error (PtStore     *store,
                    GError     **error,
                    const char  *what)
{
  if (store->files_lost)
    {
      set_files_lost_error (store, error);
      return;
    }
  /* TRANSLATORS: what was attempted, the database file, SQLite's own words. */
  g_set_error (error, PT_ERROR, PT_ERROR_STORE, _("%s failed in %s: %s"),
               _(what), store->path, sqlite3_errmsg (store->db));
}

gboolean
pt_store_exec (PtStore     *store,
               const char  *sql,
               GError     **error)
{
  char *message = NULL;

  if (sqlite3_exec (store->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      if (store->files_lost)
        {
          sqlite3_free (message);
          set_files_lost_error (store, error);
          return FALSE;
        }
      g_set_error (error, PT_ERROR, PT_ERROR_STORE, _("The database %s failed: %s"),
                   store->path, message ? message : sqlite3_errmsg (store->db));
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

sqlite3_stmt *
pt_store_prepare (PtStore     *store,
                  const char  *sql,
                  GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (store->statements, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v3 (store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      pt_store_set_error (store, error, N_("Preparing a query"));
      return NULL;
    }
  g_hash_table_insert (store->statements, (gpointer) sql, stmt);
  return stmt;
}

gboolean
pt_store_begin (PtStore  *store,
                GError  **error)
{
  if (store->tx_depth++ > 0)
    return TRUE;
  store->next_local_seq = 0;
  if (!pt_store_exec (store, "BEGIN IMMEDIATE", error))
    {
      store->tx_depth = 0;
      return FALSE;
    }
  if (!check_files (store, error))
    {
      store->tx_depth = 0;
      pt_store_exec (store, "ROLLBACK", NULL);
      return FALSE;
    }
  return TRUE;
}

gboolean
pt_store_commit (PtStore  *store,
                 GError  **error)
{
  g_return_val_if_fail (store->tx_depth > 0, FALSE);

  if (--store->tx_depth > 0)
    return TRUE;
  store->next_local_seq = 0;
  if (!check_files (store, error) || !pt_store_exec (store, "COMMIT", error))
    {
      pt_store_exec (store, "ROLLBACK", NULL);
      return FALSE;
    }
  return TRUE;
}

/* Rolls the whole transaction back, however deeply it was begun. */
void
pt_store_rollback (PtStore *store)
{
  if (store->tx_depth == 0)
    return;
  store->tx_depth = 0;
  store->next_local_seq = 0;
  pt_store_exec (store, "ROLLBACK", NULL);
}

char *
pt_store_get_meta (PtStore    *store,
                   const char *key)
{
  sqlite3_stmt *stmt = pt_store_prepare (store, "SELECT value FROM meta WHERE key = ?", NULL);
  char *value = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

gboolean
pt_store_set_meta (PtStore     *store,
                   const char  *key,
                   const char  *value,
                   GError     **error)
{
  sqlite3_stmt *stmt;

  if (value == NULL)
    stmt = pt_store_prepare (store, "DELETE FROM meta WHERE key = ?1", error);
  else
    stmt = pt_store_prepare (store,
                             "INSERT INTO meta (key, value) VALUES (?1, ?2)"
                             " ON CONFLICT (key) DO UPDATE SET value = excluded.value", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (value != NULL)
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      pt_store_set_error (store, error, N_("Saving a setting"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* The clock's last stamp and the server's correction (pt_hlc_observe_server)
 * survive a restart, and reach the other connections of the desk (the sync
 * worker has its own) through pt_store_reload_hlc (). */
gboolean
pt_store_save_hlc (PtStore  *store,
                   GError  **error)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT ".%u",
                                           store->hlc.last.wall, store->hlc.last.counter);
  g_autofree char *offset = g_strdup_printf ("%" G_GINT64_FORMAT, store->hlc.offset_ms);

  return pt_store_set_meta (store, "hlc", text, error)
         && pt_store_set_meta (store, "hlc_offset", offset, error);
}

static void
load_hlc (PtStore *store)
{
  g_autofree char *text = pt_store_get_meta (store, "hlc");
  g_autofree char *offset = pt_store_get_meta (store, "hlc_offset");
  PtStamp last = { 0, 0 };

  if (text != NULL)
    {
      char *dot = strchr (text, '.');
      last.wall = g_ascii_strtoll (text, NULL, 10);
      last.counter = dot ? (guint32) g_ascii_strtoull (dot + 1, NULL, 10) : 0;
    }
  /* Never go back from what this connection already handed out. */
  if (pt_stamp_compare (&last, &store->hlc.last) < 0)
    last = store->hlc.last;
  store->hlc.last = last;
  store->hlc.offset_ms = offset ? g_ascii_strtoll (offset, NULL, 10) : 0;
}

static int
progress_cb (void *data)
{
  PtStore *store = data;

  return store->cancellable != NULL && g_cancellable_is_cancelled (store->cancellable);
}

void
pt_store_set_cancellable (PtStore      *store,
                          GCancellable *cancellable)
{
  store->cancellable = cancellable;
  sqlite3_progress_handler (store->db, cancellable ? 2000 : 0, cancellable ? progress_cb : NULL, store);
}

/* The integer in the first column of the first row of a cached statement;
 * -1 with @error (naming @what) when there is no row. */
gint64
pt_store_query_int (PtStore     *store,
                    const char  *sql,
                    const char  *what,
                    GError     **error)
{
  sqlite3_stmt *stmt = pt_store_prepare (store, sql, error);
  gint64 value = -1;

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  else
    pt_store_set_error (store, error, what);
  sqlite3_reset (stmt);
  return value;
}

/* Runs one statement whose parameters follow @types: 't' text, 'i'
 * int64; its rows, if any, are not read. */
gboolean
pt_store_run (PtStore     *store,
              GError     **error,
              const char  *what,
              const char  *sql,
              const char  *types,
              ...)
{
  sqlite3_stmt *stmt = pt_store_prepare (store, sql, error);
  va_list ap;
  int rc;

  if (stmt == NULL)
    return FALSE;
  va_start (ap, types);
  for (int i = 0; types[i]; i++)
    {
      if (types[i] == 't')
        sqlite3_bind_text (stmt, i + 1, va_arg (ap, const char *), -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_int64 (stmt, i + 1, va_arg (ap, gint64));
    }
  va_end (ap);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      pt_store_set_error (store, error, what);
      return FALSE;
    }
  return TRUE;
}

gboolean
pt_store_limit_cache (PtStore  *store,
                      guint     mebibytes,
                      GError  **error)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA cache_size = -%u", MAX (mebibytes, 1) * 1024);

  return pt_store_exec (store, sql, error);
}

void
pt_store_reload_hlc (PtStore *store)
{
  load_hlc (store);
}

static gboolean
migrate (PtStore  *store,
         GError  **error)
{
  sqlite3_stmt *stmt = pt_store_prepare (store, "PRAGMA user_version", error);
  int version;

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    {
      pt_store_set_error (store, error, N_("Reading the schema version"));
      return FALSE;
    }
  version = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);

  if (version > SCHEMA_VERSION)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_STORE,
                   _("%s was written by a newer Paotuan (schema %d, this one knows %d): update the application."),
                   store->path, version, SCHEMA_VERSION);
      return FALSE;
    }
  if (version == SCHEMA_VERSION)
    return TRUE;

  if (!pt_store_begin (store, error))
    return FALSE;
  if (version < 1)
    {
      g_autofree char *device = pt_uuid7_new ();
      if (!pt_store_exec (store, schema_v1, error)
          || !pt_store_exec (store, pt_store_sync_schema (), error)
          || !pt_store_set_meta (store, "device_id", device, error)
          || !pt_store_set_meta (store, "desk_index", "0", error))
        {
          pt_store_rollback (store);
          return FALSE;
        }
    }
  if ((version < 2 && !pt_store_exec (store, schema_v2, error))
      || (version < 3 && !pt_store_exec (store, schema_v3, error))
      || (version < 4 && !pt_store_exec (store, schema_v4, error))
      || (version < 5 && !pt_store_exec (store, schema_v5, error))
      || (version < 6 && !pt_store_exec (store, schema_v6, error))
      || (version < 7 && !pt_store_exec (store, schema_v7, error)))
    {
      pt_store_rollback (store);
      return FALSE;
    }
  if (!pt_store_exec (store, "PRAGMA user_version = " G_STRINGIFY (SCHEMA_VERSION), error)
      || !pt_store_commit (store, error))
    {
      pt_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

/* umask () is the process's: no two threads create a database at once. */
static GMutex create_mutex;

/* Opens @path with SQLite, creating it private to the user (0600) when it
 * does not exist. No descriptor of the file is ever opened or closed
 * outside SQLite: POSIX advisory locks belong to the process, and closing
 * any descriptor of the file drops the locks of every connection the
 * process has on it (SQLite's "How To Corrupt", 2.2). Another process
 * would then take itself for the last user, checkpoint and delete the WAL
 * while this process goes on writing into it. */
static int
open_private (const char  *path,
              sqlite3    **db)
{
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  mode_t mask;
  int rc;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      /* A file made by another program keeps only its owner. chmod ()
       * takes a path, not a descriptor. SQLite gives the -wal and -shm
       * files the database's mode when it makes them. */
      g_chmod (path, 0600);
      if (g_file_test (wal, G_FILE_TEST_EXISTS))
        g_chmod (wal, 0600);
      if (g_file_test (shm, G_FILE_TEST_EXISTS))
        g_chmod (shm, 0600);
      return sqlite3_open_v2 (path, db, flags, NULL);
    }
  g_mutex_lock (&create_mutex);
  mask = umask (077);
  rc = sqlite3_open_v2 (path, db, flags | SQLITE_OPEN_CREATE, NULL);
  umask (mask);
  g_mutex_unlock (&create_mutex);
  return rc;
}

/* Opens (and creates) the database. The file is private to the user: it
 * holds ID numbers and phone numbers. */
PtStore *
pt_store_open (const char   *path,
               PtReference  *reference,
               GError      **error)
{
  g_autoptr(PtStore) store = g_new0 (PtStore, 1);
  g_autofree char *dir = g_path_get_dirname (path);

  g_return_val_if_fail (path != NULL, NULL);

  store->path = g_strdup (path);
  store->reference = reference;
  store->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, finalize_statement);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_STORE, _("Cannot create the folder %s: %s"),
                   dir, g_strerror (errno));
      return NULL;
    }
  if (open_private (path, &store->db) != SQLITE_OK)
    {
      if (store->db == NULL)
        g_set_error (error, PT_ERROR, PT_ERROR_STORE, _("Cannot open %s: out of memory"), path);
      else
        pt_store_set_error (store, error, N_("Opening the database"));
      return NULL;
    }
  sqlite3_busy_timeout (store->db, 5000);
  sqlite3_extended_result_codes (store->db, 1);

  /* synchronous=FULL: an event the runner saw recorded survives a power cut,
   * which village stations have. A checkpoint copies every page the WAL
   * holds into the database, and a batch of a district's history dirties
   * thousands of index pages that the next batches dirty again: checkpoints
   * every 128 MB instead of every 4 MB made batched appends into a 200,000-
   * case district 1.4 times faster (a desk that writes less never grows its
   * WAL that far). mmap did not help, and would count the database's pages
   * as the application's memory.
   * Pages of 8 KB (SQLite's default is 4 KB) for a new database: a commit
   * writes each page it changed to the WAL in a write of its own, and each
   * costs about the same whatever its size; a batch's rows fill fewer of
   * them, and appends into a district were 1.12 times faster side by side
   * (two runs each). An existing database keeps its pages (only VACUUM outside WAL
   * mode changes them); SQLite ignores the pragma there. */
  if (!pt_store_exec (store,
                      "PRAGMA page_size = 8192;"
                      "PRAGMA journal_mode = WAL;"
                      "PRAGMA synchronous = FULL;"
                      "PRAGMA foreign_keys = ON;"
                      "PRAGMA temp_store = MEMORY;"
                      "PRAGMA cache_size = -32000;"
                      "PRAGMA wal_autocheckpoint = 32768;",
                      error))
    return NULL;
  if (!migrate (store, error))
    return NULL;
  note_files (store);
  sqlite3_commit_hook (store->db, commit_hook_cb, store);

  store->device_id = pt_store_get_meta (store, "device_id");
  load_hlc (store);
  if (!pt_store_update_calendar (store, NULL, error))
    return NULL;
  return g_steal_pointer (&store);
}

void
pt_store_close (PtStore *store)
{
  if (store == NULL)
    return;
  g_clear_pointer (&store->statements, g_hash_table_unref);
  g_free (store->search.key);
  pt_row_set_free (store->search.rows);
  /* A WAL that is not the one under the path any more must not be copied
   * into a database that others may have written since. */
  if (store->db != NULL && store->files_lost)
    sqlite3_db_config (store->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  if (store->db != NULL)
    sqlite3_close (store->db);
  g_free (store->path);
  g_free (store->device_id);
  g_free (store);
}

PtReference *
pt_store_get_reference (PtStore *store)
{
  return store->reference;
}

const char *
pt_store_get_path (PtStore *store)
{
  return store->path;
}

const char *
pt_store_get_device_id (PtStore *store)
{
  return store->device_id;
}

PtHlc *
pt_store_get_hlc (PtStore *store)
{
  return &store->hlc;
}

/* ---- units and runners ------------------------------------------------- */

gboolean
pt_store_import_district (PtStore     *store,
                          PtDistrict  *district,
                          GError     **error)
{
  sqlite3_stmt *stmt;

  if (!pt_store_begin (store, error))
    return FALSE;
  stmt = pt_store_prepare (store,
                           "INSERT INTO units (code, name, short_name, kind, level, parent, address, hotline)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                           " ON CONFLICT (code) DO UPDATE SET name = excluded.name,"
                           " short_name = excluded.short_name, kind = excluded.kind, level = excluded.level,"
                           " parent = excluded.parent, address = excluded.address, hotline = excluded.hotline",
                           error);
  if (stmt == NULL)
    goto fail;
  /* The district file lists parents before their children. */
  for (guint i = 0; i < pt_district_get_n_units (district); i++)
    {
      const PtUnit *unit = pt_district_get_unit (district, i);

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, unit->code, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, unit->name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, unit->short_name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, pt_unit_kind_to_string (unit->kind), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, pt_level_to_string (unit->level), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, unit->parent, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, unit->address, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 8, unit->hotline, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          pt_store_set_error (store, error, N_("Saving the district's units"));
          goto fail;
        }
    }
  sqlite3_reset (stmt);
  return pt_store_commit (store, error);

fail:
  if (stmt != NULL)
    sqlite3_reset (stmt);
  pt_store_rollback (store);
  return FALSE;
}

gboolean
pt_store_add_runner (PtStore         *store,
                     const PtRunner  *runner,
                     GError         **error)
{
  sqlite3_stmt *stmt = pt_store_prepare (store,
                                         "INSERT INTO runners (id, name, unit, staff_number, phone, active)"
                                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                                         " ON CONFLICT (id) DO UPDATE SET name = excluded.name, unit = excluded.unit,"
                                         " staff_number = excluded.staff_number, phone = excluded.phone,"
                                         " active = excluded.active",
                                         error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, runner->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, runner->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, runner->unit, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, runner->staff_number, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, runner->phone, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 6, runner->active ? 1 : 0);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_NOT_FOUND,
                   _("Runner %s belongs to unit %s, which the database does not know."), runner->id, runner->unit);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      pt_store_set_error (store, error, N_("Saving a runner"));
      return FALSE;
    }
  return TRUE;
}

static PtRunner *
runner_from_row (sqlite3_stmt *stmt)
{
  PtRunner *runner = g_new0 (PtRunner, 1);

  runner->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  runner->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  runner->unit = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  runner->staff_number = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  runner->phone = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  runner->active = sqlite3_column_int (stmt, 5) != 0;
  return runner;
}

GPtrArray *
pt_store_list_runners (PtStore     *store,
                       const char  *unit,
                       GError     **error)
{
  sqlite3_stmt *stmt = pt_store_prepare (store,
                                         "SELECT id, name, unit, staff_number, phone, active FROM runners"
                                         " WHERE ?1 IS NULL OR unit = ?1 ORDER BY unit, id",
                                         error);
  GPtrArray *runners;
  int rc;

  if (stmt == NULL)
    return NULL;
  runners = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_runner_free);
  sqlite3_bind_text (stmt, 1, unit, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (runners, runner_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      pt_store_set_error (store, error, N_("Listing runners"));
      g_ptr_array_unref (runners);
      return NULL;
    }
  return runners;
}

PtRunner *
pt_store_get_runner (PtStore     *store,
                     const char  *id,
                     GError     **error)
{
  sqlite3_stmt *stmt = pt_store_prepare (store,
                                         "SELECT id, name, unit, staff_number, phone, active FROM runners WHERE id = ?1",
                                         error);
  PtRunner *runner = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    runner = runner_from_row (stmt);
  sqlite3_reset (stmt);
  if (runner == NULL)
    g_set_error (error, PT_ERROR, PT_ERROR_NOT_FOUND,
                 _("There is no runner %s on this desk's roster: choose one of its runners (`paotuanctl runners` lists them)."),
                 id ? id : "");
  return runner;
}

gboolean
pt_store_check_desk (PtStore     *store,
                     const char  *unit_code,
                     const char  *runner_id,
                     GError     **error)
{
  const PtUnit *unit = NULL;
  g_autoptr(PtRunner) runner = NULL;

  if (unit_code != NULL && *unit_code != '\0')
    {
      unit = store->reference ? pt_district_lookup (store->reference->district, unit_code) : NULL;
      if (unit == NULL)
        {
          g_set_error (error, PT_ERROR, PT_ERROR_NOT_FOUND,
                       _("There is no unit %s in the district: choose the desk's unit from the district's list."),
                       unit_code);
          return FALSE;
        }
    }
  if (runner_id == NULL || *runner_id == '\0')
    return TRUE;
  runner = pt_store_get_runner (store, runner_id, error);
  if (runner == NULL)
    return FALSE;
  if (unit != NULL && g_strcmp0 (runner->unit, unit->code) != 0)
    {
      const PtUnit *own = pt_district_lookup (store->reference->district, runner->unit);
      g_set_error (error, PT_ERROR, PT_ERROR_FORBIDDEN,
                   _("Runner %s (%s) works for %s, not for %s: choose a runner of the desk's unit."),
                   runner->id, runner->name, own ? own->name : runner->unit, unit->name);
      return FALSE;
    }
  if (!runner->active)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_FORBIDDEN,
                   _("Runner %s (%s) is no longer on duty: choose a runner on duty."),
                   runner->id, runner->name);
      return FALSE;
    }
  return TRUE;
}

/* ---- events ------------------------------------------------------------ */

PtEvent *
pt_store_new_event (PtStore     *store,
                    const char  *case_id,
                    PtEventType  type,
                    JsonObject  *payload,
                    const char  *author)
{
  PtStamp stamp;
  g_autofree char *id = NULL;
  g_autoptr(JsonObject) owned = payload;
  g_autofree char *default_author = NULL;

  pt_hlc_now (&store->hlc, &stamp);
  id = pt_uuid7_new_at (stamp.wall);
  if (author == NULL)
    author = default_author = pt_store_get_meta (store, "runner");
  return pt_event_new (id, case_id, &stamp, store->device_id, author, type, owned);
}

gboolean
pt_store_insert_event (PtStore        *store,
                       const PtEvent  *event,
                       const char     *payload,
                       gboolean        local,
                       gboolean       *inserted,
                       GError        **error)
{
  sqlite3_stmt *stmt;
  gboolean changed;

  /* The next local_seq is read once per transaction: no other connection
   * writes until it ends. */
  if (local && (store->next_local_seq == 0 || store->tx_depth == 0))
    {
      stmt = pt_store_prepare (store, "SELECT IFNULL (MAX (local_seq), 0) + 1 FROM events WHERE local_seq IS NOT NULL",
                               error);
      if (stmt == NULL)
        return FALSE;
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          pt_store_set_error (store, error, N_("Numbering an event"));
          sqlite3_reset (stmt);
          return FALSE;
        }
      store->next_local_seq = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }
  stmt = pt_store_prepare (store,
                           "INSERT INTO events (id, case_id, wall, counter, device, author, type, payload, seq, local_seq)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                           " ON CONFLICT (case_id, id) DO NOTHING",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, event->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, event->case_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, event->stamp.wall);
  sqlite3_bind_int64 (stmt, 4, event->stamp.counter);
  sqlite3_bind_text (stmt, 5, event->device, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, event->author, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, pt_event_type_to_string (event->type), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, payload, -1, SQLITE_STATIC);
  if (event->seq > 0)
    sqlite3_bind_int64 (stmt, 9, event->seq);
  else
    sqlite3_bind_null (stmt, 9);
  if (local)
    sqlite3_bind_int64 (stmt, 10, store->next_local_seq);
  else
    sqlite3_bind_null (stmt, 10);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      pt_store_set_error (store, error, N_("Writing an event"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  changed = sqlite3_changes (store->db) > 0;
  if (local && changed)
    store->next_local_seq++;
  if (inserted != NULL)
    *inserted = changed;
  sqlite3_reset (stmt);
  return TRUE;
}

/* Reads a log row of a statement whose columns are id, case_id, wall,
 * counter, device, author, type, payload, seq (EVENT_COLUMNS). */
PtEvent *
pt_store_event_from_row (sqlite3_stmt  *stmt,
                         GError       **error)
{
  PtStamp stamp;
  PtEventType type;
  g_autoptr(JsonNode) root = NULL;
  PtEvent *event;
  const char *type_name = (const char *) sqlite3_column_text (stmt, 6);

  if (!pt_event_type_from_string (type_name, &type))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_STORE, _("The log holds a record of unknown type %s."), type_name);
      return NULL;
    }
  root = pt_json_parse ((const char *) sqlite3_column_text (stmt, 7), sqlite3_column_bytes (stmt, 7), error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_clear_error (error);
      g_set_error (error, PT_ERROR, PT_ERROR_STORE, _("Record %s in the log is damaged: its payload is not an object."),
                   (const char *) sqlite3_column_text (stmt, 0));
      return NULL;
    }
  stamp.wall = sqlite3_column_int64 (stmt, 2);
  stamp.counter = (guint32) sqlite3_column_int64 (stmt, 3);
  event = pt_event_new ((const char *) sqlite3_column_text (stmt, 0),
                        (const char *) sqlite3_column_text (stmt, 1),
                        &stamp,
                        (const char *) sqlite3_column_text (stmt, 4),
                        (const char *) sqlite3_column_text (stmt, 5),
                        type,
                        json_node_get_object (root));
  event->seq = sqlite3_column_int64 (stmt, 8);
  return event;
}


GPtrArray *
pt_store_load_events (PtStore     *store,
                      const char  *case_id,
                      GError     **error)
{
  sqlite3_stmt *stmt = pt_store_prepare (store,
                                         "SELECT " EVENT_COLUMNS " FROM events WHERE case_id = ?1"
                                         " ORDER BY wall, counter, device, id",
                                         error);
  g_autoptr(GPtrArray) events = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  events = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_event_free);
  sqlite3_bind_text (stmt, 1, case_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PtEvent *event = pt_store_event_from_row (stmt, error);
      if (event == NULL)
        {
          sqlite3_reset (stmt);
          return NULL;
        }
      g_ptr_array_add (events, event);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      pt_store_set_error (store, error, N_("Reading a case's events"));
      return NULL;
    }
  return g_steal_pointer (&events);
}

static PtCalendar *
calendar_of (PtStore *store)
{
  return store->reference ? store->reference->calendar : NULL;
}

PtCaseState *
pt_store_load_case (PtStore     *store,
                    const char  *case_id,
                    GError     **error)
{
  g_autoptr(GPtrArray) events = pt_store_load_events (store, case_id, error);

  if (events == NULL)
    return NULL;
  if (events->len == 0)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_NOT_FOUND, _("There is no case %s in %s."), case_id, store->path);
      return NULL;
    }
  return pt_fold (events, calendar_of (store));
}

gboolean
pt_store_refold_case (PtStore     *store,
                      const char  *case_id,
                      GPtrArray   *search,
                      GError     **error)
{
  g_autoptr(GPtrArray) events = pt_store_load_events (store, case_id, error);
  g_autoptr(PtCaseState) state = NULL;

  if (events == NULL)
    return FALSE;
  if (events->len == 0)
    return TRUE;
  state = pt_fold (events, calendar_of (store));
  return pt_store_write_cache (store, state, NULL, search, error);
}

/* The holiday tables the server sent (sync_reference, "calendar/YEAR.ini"),
 * for the years the desk's own folders have none of: the user's folder
 * and the shipped tables come first. */
static gboolean
load_synced_calendar (PtStore     *store,
                      PtCalendar  *calendar,
                      GError     **error)
{
  sqlite3_stmt *stmt = pt_store_prepare (store,
                                         "SELECT name, content FROM sync_reference"
                                         " WHERE name GLOB 'calendar/[0-9][0-9][0-9][0-9].ini'",
                                         error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      g_autoptr(GError) local_error = NULL;

      /* A broken table from the server leaves the calendar as it was; the
       * years it would have given stay provisional, and the desk works on. */
      if (!pt_calendar_load_data (calendar, name, (const char *) sqlite3_column_text (stmt, 1),
                                  (gsize) sqlite3_column_bytes (stmt, 1), TRUE, &local_error))
        g_message ("The server's holiday table %s is not used: %s", name, local_error->message);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      pt_store_set_error (store, error, N_("Reading the holiday tables of the server"));
      return FALSE;
    }
  return TRUE;
}

/* Whether a year of @before is not in @after (space-separated years). */
static gboolean
lost_a_year (const char *before,
             const char *after)
{
  g_auto(GStrv) old_years = g_strsplit (before ? before : "", " ", -1);
  g_auto(GStrv) new_years = g_strsplit (after ? after : "", " ", -1);

  for (guint i = 0; old_years[i] != NULL; i++)
    if (*old_years[i] != '\0' && !g_strv_contains ((const char * const *) new_years, old_years[i]))
      return TRUE;
  return FALSE;
}

gboolean
pt_store_update_calendar (PtStore  *store,
                          guint    *n_refolded,
                          GError  **error)
{
  PtCalendar *calendar = calendar_of (store);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) search = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_search_entry_free);
  g_autofree char *years = NULL;
  g_autofree char *folded = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (n_refolded != NULL)
    *n_refolded = 0;
  if (calendar == NULL)
    return TRUE;
  if (!load_synced_calendar (store, calendar, error))
    return FALSE;
  years = pt_calendar_get_years (calendar);
  folded = pt_store_get_meta (store, "calendar.years");
  if (g_strcmp0 (folded, years) == 0)
    return TRUE;

  if (!pt_store_begin (store, error))
    return FALSE;
  /* Another connection of the desk may have done it meanwhile. */
  g_free (folded);
  folded = pt_store_get_meta (store, "calendar.years");
  if (g_strcmp0 (folded, years) == 0)
    return pt_store_commit (store, error);

  /* Only the cases whose dates were provisional change with a new year;
   * a year gone makes the open cases' dates provisional again. */
  stmt = pt_store_prepare (store,
                           lost_a_year (folded, years)
                           ? "SELECT id FROM cases WHERE provisional > 0 OR status NOT IN ('delivered', 'terminated')"
                           : "SELECT id FROM cases WHERE provisional > 0",
                           error);
  if (stmt == NULL)
    goto fail;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      pt_store_set_error (store, error, N_("Finding the cases with provisional dates"));
      goto fail;
    }
  for (guint i = 0; i < ids->len; i++)
    if (!pt_store_refold_case (store, g_ptr_array_index (ids, i), search, error)
        || (search->len >= 1000 && !pt_store_search_write (store, search, error)))
      goto fail;
  if (!pt_store_search_write (store, search, error)
      || !pt_store_set_meta (store, "calendar.years", years, error)
      || !pt_store_commit (store, error))
    goto fail;
  if (n_refolded != NULL)
    *n_refolded = ids->len;
  return TRUE;

fail:
  pt_store_rollback (store);
  return FALSE;
}

/* Local events are checked further than their payload: their author, the
 * runner and the receiving unit must exist here, and a fee must be one of
 * the catalog's, whose amount and legal basis it is given. */
static gboolean
check_references (PtStore        *store,
                  PtEvent        *event,
                  GError        **error)
{
  if (event->author != NULL)
    {
      PtRunner *author = pt_store_get_runner (store, event->author, NULL);

      if (author == NULL)
        {
          g_set_error (error, PT_ERROR, PT_ERROR_NOT_FOUND,
                       _("The runner recording this, %s, is not on this desk's roster: "
                         "choose the signed-in runner in the preferences (`paotuanctl runners` lists them)."),
                       event->author);
          return FALSE;
        }
      pt_runner_free (author);
    }
  if (event->type == PT_EVENT_RUNNER_ASSIGNED)
    {
      PtRunner *runner = pt_store_get_runner (store, pt_json_get_string (event->payload, "runner"), error);
      gboolean found = runner != NULL;
      pt_runner_free (runner);
      return found;
    }
  if (event->type == PT_EVENT_CASE_TRANSFERRED)
    {
      const char *to = pt_json_get_string (event->payload, "to_unit");
      const PtUnit *unit = store->reference ? pt_district_lookup (store->reference->district, to) : NULL;

      if (unit == NULL)
        {
          g_set_error (error, PT_ERROR, PT_ERROR_NOT_FOUND,
                       _("There is no unit %s in the district to transfer the case to: `paotuanctl units` lists the units."),
                       to ? to : "");
          return FALSE;
        }
      if (!json_object_has_member (event->payload, "level") && json_object_has_member (event->payload, "to_unit"))
        json_object_set_string_member (event->payload, "level", pt_level_to_string (unit->level));
    }
  if (event->type == PT_EVENT_FEE_RECORDED && store->reference != NULL)
    return pt_catalog_complete_fee (store->reference->catalog, event->payload, error);
  return TRUE;
}

/* A delivery whose certificates name no step, of a case with one approved
 * step: they can only be that step's, and say so. With more approved
 * steps, each certificate must name its own (pt_workflow_check_new ()). */
static gboolean
complete_certificates (const PtCaseState *state,
                       PtEvent           *event)
{
  JsonArray *certificates = pt_json_get_array (event->payload, "certificates");
  PtStep *approved = NULL;

  if (event->type != PT_EVENT_DELIVERED || certificates == NULL || json_array_get_length (certificates) == 0)
    return FALSE;
  for (guint i = 0; i < state->steps->len; i++)
    {
      PtStep *step = g_ptr_array_index (state->steps, i);
      if (step->status != PT_STEP_APPROVED)
        continue;
      if (approved != NULL)
        return FALSE;
      approved = step;
    }
  if (approved == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (certificates); i++)
    {
      JsonNode *node = json_array_get_element (certificates, i);
      if (!JSON_NODE_HOLDS_OBJECT (node) || json_object_has_member (json_node_get_object (node), "step"))
        return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (certificates); i++)
    json_object_set_string_member (json_array_get_object_element (certificates, i), "step", approved->id);
  return TRUE;
}

/* A transfer goes up or down the district's tree, never sideways
 * (pt_district_transfer_allowed ()); the server checks it again. */
static gboolean
check_transfer (PtStore           *store,
                const PtCaseState *state,
                const PtEvent     *event,
                GError           **error)
{
  g_autofree char *desk = NULL;

  if (store->reference == NULL || store->reference->district == NULL || state->unit == NULL)
    return TRUE;
  desk = pt_store_get_meta (store, "unit");
  return pt_district_transfer_allowed (store->reference->district, desk, state->unit,
                                       pt_json_get_string (event->payload, "to_unit"), error);
}

/* A fee of a case whose items have no statutory fee, or of an item the
 * case does not have: said with what the case may record. */
static gboolean
check_case_fee (PtStore           *store,
                const PtCaseState *state,
                const PtEvent     *event,
                GError           **error)
{
  g_autoptr(GPtrArray) fees = NULL;
  const char *item = pt_json_get_string (event->payload, "item");

  if (store->reference == NULL || state->id == NULL)
    return TRUE;
  fees = pt_case_fees (state, store->reference->catalog);
  if (fees->len == 0)
    {
      g_set_error_literal (error, PT_ERROR, PT_ERROR_FORBIDDEN,
                           _("No item of this case has a fee that a law or regulation requires: "
                             "the runner team's service is free, so no fee can be recorded."));
      return FALSE;
    }
  for (guint i = 0; i < fees->len; i++)
    if (g_strcmp0 (((PtItemFee *) g_ptr_array_index (fees, i))->item->code, item) == 0)
      return TRUE;
  g_set_error (error, PT_ERROR, PT_ERROR_FORBIDDEN,
               _("%s is not an item of this case with a statutory fee: choose one of the fees the case may record."),
               item);
  return FALSE;
}

gboolean
pt_store_append (PtStore   *store,
                 PtEvent   *event,
                 GError   **error)
{
  GPtrArray *one = g_ptr_array_new ();
  gboolean ok;

  g_ptr_array_add (one, event);
  ok = pt_store_append_batch (store, one, TRUE, error);
  g_ptr_array_unref (one);
  return ok;
}

static int
compare_event_ptrs (gconstpointer a,
                    gconstpointer b)
{
  return pt_event_compare (*(PtEvent * const *) a, *(PtEvent * const *) b);
}

/* Validates the payloads of @events[@from..@to) and writes their canonical
 * JSON into @payloads; stops at the first invalid one. */
typedef struct {
  GPtrArray  *events;
  char      **payloads;
  guint       from, to;
  GError     *error;
} PrepareRange;

static gpointer
prepare_range (gpointer data)
{
  PrepareRange *range = data;

  for (guint i = range->from; i < range->to; i++)
    {
      PtEvent *event = g_ptr_array_index (range->events, i);

      if (!pt_event_validate_payload (event->type, event->payload, &range->error))
        break;
      range->payloads[i] = pt_json_object_canonical (event->payload);
    }
  return NULL;
}

/* The payloads' canonical JSON (a NULL-terminated array, in the order of
 * @events), each validated first; NULL with @error naming the first invalid
 * one. Validation and JSON were a fifth of a batched append: a large batch
 * does its second half on a second thread, which only reads the payloads
 * (nothing else touches them meanwhile, and json-glib's reading takes no
 * references). */
static char **
prepare_payloads (GPtrArray  *events,
                  GError    **error)
{
  char **payloads = g_new0 (char *, events->len + 1);
  guint half = events->len >= 512 ? events->len / 2 : events->len;
  PrepareRange first = { events, payloads, 0, half, NULL };
  PrepareRange second = { events, payloads, half, events->len, NULL };
  GThread *thread = NULL;

  if (second.from < second.to)
    thread = g_thread_new ("pt-prepare", prepare_range, &second);
  prepare_range (&first);
  if (thread != NULL)
    g_thread_join (thread);

  if (first.error != NULL || second.error != NULL)
    {
      /* The first range's error names the earlier event. */
      g_propagate_error (error, first.error != NULL ? first.error : g_steal_pointer (&second.error));
      g_clear_error (&second.error);
      /* The array may have holes where the failed range stopped. */
      for (guint i = 0; i < events->len; i++)
        g_free (payloads[i]);
      g_free (payloads);
      return NULL;
    }
  return payloads;
}

/* With @check_workflow (events made here) each event is checked against the
 * state it meets and a misfit refuses the whole batch; events from sync are
 * folded as they come, misfits becoming conflicts. */
gboolean
pt_store_append_batch (PtStore    *store,
                       GPtrArray  *events,
                       gboolean    check_workflow,
                       GError    **error)
{
  g_autoptr(GHashTable) folders = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         (GDestroyNotify) pt_folder_free);
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) sorted = g_ptr_array_sized_new (events->len);
  g_autoptr(GHashTable) refold = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();   /* case ids, first seen first */
  g_autoptr(GPtrArray) search = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_search_entry_free);
  g_auto(GStrv) payloads = NULL;   /* canonical JSON, in sorted order */
  g_autofree char *today = check_workflow ? pt_date_today () : NULL;

  /* A borrowed view: g_ptr_array_copy () would take the caller's free func. */
  for (guint i = 0; i < events->len; i++)
    g_ptr_array_add (sorted, g_ptr_array_index (events, i));
  g_ptr_array_sort (sorted, compare_event_ptrs);

  for (guint i = 0; check_workflow && i < sorted->len; i++)
    if (!check_references (store, g_ptr_array_index (sorted, i), error))
      return FALSE;
  payloads = prepare_payloads (sorted, error);
  if (payloads == NULL)
    return FALSE;

  if (!pt_store_begin (store, error))
    return FALSE;

  for (guint i = 0; i < sorted->len; i++)
    {
      PtEvent *event = g_ptr_array_index (sorted, i);
      PtFolder *folder = g_hash_table_lookup (folders, event->case_id);
      gboolean inserted = FALSE;

      if (folder == NULL)
        {
          GPtrArray *existing = pt_store_load_events (store, event->case_id, error);
          if (existing == NULL)
            goto fail;
          if (check_workflow && existing->len == 0 && event->type != PT_EVENT_INTAKE)
            {
              g_set_error (error, PT_ERROR, PT_ERROR_NOT_FOUND, _("There is no case %s in %s."),
                           event->case_id, store->path);
              g_ptr_array_unref (existing);
              goto fail;
            }
          g_ptr_array_add (owned, existing);
          folder = pt_folder_new (calendar_of (store));
          for (guint j = 0; j < existing->len; j++)
            pt_folder_add (folder, g_ptr_array_index (existing, j), FALSE, NULL);
          g_hash_table_insert (folders, event->case_id, folder);
          g_ptr_array_add (order, event->case_id);
        }

      /* An event made here meets the rules of now, against the state it
       * joins (one from sync is folded as it is). */
      if (check_workflow && complete_certificates (pt_folder_get_state (folder), event))
        {
          g_free (payloads[i]);
          payloads[i] = pt_json_object_canonical (event->payload);
        }
      if (check_workflow
          && (!pt_workflow_check_new (pt_folder_get_state (folder), event, today, error)
              || (event->type == PT_EVENT_FEE_RECORDED
                  && !check_case_fee (store, pt_folder_get_state (folder), event, error))
              || (event->type == PT_EVENT_CASE_TRANSFERRED
                  && !check_transfer (store, pt_folder_get_state (folder), event, error))))
        goto fail;
      if (!pt_store_insert_event (store, event, payloads[i], check_workflow, &inserted, error))
        goto fail;
      if (!inserted)
        continue;   /* already in the log: a retry, nothing to do */

      if (pt_folder_can_append (folder, event))
        {
          if (!pt_folder_add (folder, event, check_workflow, error))
            goto fail;
        }
      else
        {
          /* An event from sync that sorts before what is already folded:
           * fold this case again from its whole log at the end. */
          g_hash_table_add (refold, event->case_id);
        }
      if (!check_workflow)
        pt_hlc_observe (&store->hlc, &event->stamp);
    }

  /* Cache rows are written in event order, so that new cases get rowids in
   * the order they were taken: the case list shows newest first by rowid. */
  for (guint i = 0; i < order->len; i++)
    {
      const char *key = g_ptr_array_index (order, i);
      PtFolder *folder = g_hash_table_lookup (folders, key);
      if (g_hash_table_contains (refold, key))
        {
          if (!pt_store_refold_case (store, key, search, error))
            goto fail;
        }
      else if (!pt_store_write_cache (store, pt_folder_get_state (folder), NULL, search, error))
        goto fail;
    }

  if (!pt_store_search_write (store, search, error)
      || !pt_store_save_hlc (store, error)
      || !pt_store_commit (store, error))
    goto fail;
  return TRUE;

fail:
  pt_store_rollback (store);
  return FALSE;
}
