/* test-store.c: the SQLite store: intake, appends, the cache, search, rebuild. */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "pt-calendar.h"
#include "pt-catalog.h"
#include "pt-demo.h"
#include "pt-error.h"
#include "pt-fold.h"
#include "pt-json.h"
#include "pt-row-set.h"
#include "pt-store-backup.h"
#include "pt-store-sync.h"
#include "test-support.h"

static void
add_runner (PtStore    *store,
            const char *id,
            const char *unit)
{
  g_autoptr(GError) error = NULL;
  PtRunner runner = { (char *) id, (char *) "王芳", (char *) unit, (char *) "BS0001", (char *) "13812345678", TRUE };

  g_assert_true (pt_store_add_runner (store, &runner, &error));
  g_assert_no_error (error);
}

static gint64
sql_int (const char *path,
         const char *sql)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

/* Through a second, read-only connection: what another process would see. */
static gint64
count_events (PtStore *store)
{
  return sql_int (pt_store_get_path (store), "SELECT count(*) FROM events");
}

static void
test_open (void)
{
  g_autofree char *dir = NULL;
  PtStore *store = test_store_new ("370304-YC-001", &dir);
  g_autofree char *unit = pt_store_get_meta (store, "unit");
  struct stat st;

  g_assert_cmpstr (unit, ==, "370304-YC-001");
  g_assert_nonnull (pt_store_get_device_id (store));
  g_assert_cmpint (stat (pt_store_get_path (store), &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (sql_int (pt_store_get_path (store), "PRAGMA page_size"), ==, 8192);
  g_assert_true (pt_store_integrity_check (store, NULL));
  pt_store_close (store);
  test_remove_dir (dir);
}


/* Gives the closed database at @path the tables of schema @version (1 to
 * 5), its outbox holding its first event, numbered 1: no provisional
 * marks in the cache (before 6); the cache's unit index (before 5); the log with a unique index on id and the outbox
 * without rowids (before 4); the search keys in case_grams, with the case's
 * name grams and phone tail as schema 2 wrote them (before 3); the outbox
 * index made twice (1). */
static void
make_old_schema (const char *path,
                 int         version)
{
  g_autoptr(GString) sql = g_string_new ("ALTER TABLE quarantine DROP COLUMN dismissed_at;"
                                         "ALTER TABLE quarantine DROP COLUMN dismissed_reason;"
                                         "ALTER TABLE sync_revoked DROP COLUMN number;"
                                         "ALTER TABLE sync_revoked DROP COLUMN applicant;"
                                         "ALTER TABLE sync_revoked DROP COLUMN items;"
                                         "ALTER TABLE sync_revoked DROP COLUMN unit;"
                                         "DROP INDEX events_transfers;");
  sqlite3 *db;

  if (version <= 5)
    g_string_append (sql, "DROP INDEX cases_provisional;"
                          "ALTER TABLE cases DROP COLUMN provisional;");

  if (version <= 4)
    g_string_append (sql, "CREATE INDEX cases_unit ON cases (unit);");
  if (version >= 4)
    g_string_append (sql, "INSERT INTO sync_outbox (event_id, event_rowid, device_seq)"
                          " SELECT id, rowid, 1 FROM events ORDER BY local_seq LIMIT 1;");
  else
    g_string_append (sql,
      "CREATE TABLE events_old (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, case_id TEXT NOT NULL,"
      "  wall INTEGER NOT NULL, counter INTEGER NOT NULL, device TEXT NOT NULL, author TEXT,"
      "  type TEXT NOT NULL, payload TEXT NOT NULL, seq INTEGER, local_seq INTEGER,"
      "  pushed INTEGER NOT NULL DEFAULT 0);"
      "INSERT INTO events_old SELECT * FROM events;"
      "DROP TABLE events;"
      "ALTER TABLE events_old RENAME TO events;"
      "CREATE INDEX events_case ON events (case_id);"
      "CREATE UNIQUE INDEX events_seq ON events (seq) WHERE seq IS NOT NULL;"
      "CREATE UNIQUE INDEX events_local_seq ON events (local_seq) WHERE local_seq IS NOT NULL;"
      "CREATE INDEX events_unpushed ON events (local_seq) WHERE local_seq IS NOT NULL AND pushed = 0;"
      "ALTER TABLE sync_outbox DROP COLUMN event_rowid;"
      "INSERT INTO sync_outbox (event_id, device_seq) SELECT id, 1 FROM events ORDER BY local_seq LIMIT 1;");
  if (version <= 2)
    g_string_append (sql,
      "DROP TABLE case_keys;"
      "CREATE TABLE case_grams (gram TEXT NOT NULL, case_rowid INTEGER NOT NULL,"
      "  PRIMARY KEY (gram, case_rowid)) WITHOUT ROWID;"
      "INSERT INTO case_grams SELECT '李', rowid FROM cases;"
      "INSERT INTO case_grams SELECT '桂兰', rowid FROM cases;"
      "INSERT INTO case_grams SELECT 'p:' || substr (phone, -4), rowid FROM cases;");
  if (version == 1)
    g_string_append (sql, "CREATE INDEX sync_events_unpushed ON events (local_seq)"
                          " WHERE local_seq IS NOT NULL AND pushed = 0;");
  g_string_append_printf (sql, "PRAGMA user_version = %d;", version);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql->str, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* A database of schema 1 (with the outbox index made twice), 2 (with the
 * search keys in a B-tree), 3 (with the log keyed by id), 4 or 5 is brought
 * to schema 7 when opened (6 too: its quarantine gains the dismissal): its events kept with their rowids, its outbox
 * pointing at them, its cases found by the keys it had, the cache's unit
 * index gone, its open cases folded again for their provisional marks. */
static void
test_migrate (gconstpointer data)
{
  int version = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  PtStore *store = test_store_new ("370304-YC-001", &dir);
  g_autoptr(JsonObject) request = test_person_intake ("李桂兰");
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *phone_tail = NULL;
  const char *searches[3] = { "桂兰", "李", NULL };
  PtCaseQuery query;
  gint64 n_events;

  g_free (pt_store_create_case (store, request, "R-0001", &error));
  g_assert_no_error (error);
  path = g_strdup (pt_store_get_path (store));
  pt_store_close (store);
  n_events = sql_int (path, "SELECT count(*) FROM events");
  g_assert_cmpint (n_events, >, 0);
  make_old_schema (path, version);

  store = pt_store_open (path, test_reference (), &error);
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (path, "PRAGMA user_version"), ==, 7);
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM pragma_table_info ('quarantine')"
                                  " WHERE name IN ('dismissed_at', 'dismissed_reason')"), ==, 2);
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM sqlite_schema WHERE name = 'cases_provisional'"), ==, 1);
  /* Folded again on open: the mark is the state's (no provisional date). */
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM cases WHERE provisional > 0"), ==, 0);
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM meta WHERE key = 'calendar.years'"), ==, 1);
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM sqlite_schema WHERE name = 'cases_unit'"), ==, 0);
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM sqlite_schema WHERE name = 'sync_events_unpushed'"), ==, 0);
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM sqlite_schema WHERE name = 'events_unpushed'"), ==, 1);
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM sqlite_schema WHERE name = 'case_grams'"), ==, 0);
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM events"), ==, n_events);
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_autoindex_events_1'"), ==, 0);
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM sync_outbox o JOIN events e"
                                  " ON e.rowid = o.event_rowid AND e.id = o.event_id"), ==, 1);

  pt_case_query_init (&query);
  rows = pt_store_list_cases (store, &query, 0, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  phone_tail = g_strdup (((PtCaseRow *) g_ptr_array_index (rows, 0))->phone
                         + strlen (((PtCaseRow *) g_ptr_array_index (rows, 0))->phone) - 4);
  searches[2] = phone_tail;
  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      query.search = searches[i];
      g_assert_cmpint (pt_store_count_cases (store, &query, &error), ==, 1);
      g_assert_no_error (error);
    }
  pt_store_close (store);
  test_remove_dir (dir);
}

static void
assert_page (const PtRowSet *set,
             guint           offset,
             guint           limit,
             const gint64   *expected,
             guint           n_expected)
{
  g_autoptr(GArray) page = g_array_new (FALSE, FALSE, sizeof (gint64));

  pt_row_set_page (set, offset, limit, page);
  g_assert_cmpuint (page->len, ==, n_expected);
  for (guint i = 0; i < n_expected; i++)
    g_assert_cmpint (g_array_index (page, gint64, i), ==, expected[i]);
}

static void
test_row_set (void)
{
  g_autoptr(PtRowSet) set = pt_row_set_new (200);
  g_autoptr(PtRowSet) other = pt_row_set_new (150);
  const gint64 added[] = { 0, 1, 63, 64, 65, 127, 128, 199, 64 };
  const gint64 top[] = { 199, 128, 127 }, middle[] = { 65, 64, 63 }, bottom[] = { 1, 0 };
  const gint64 both[] = { 64, 1 };

  for (guint i = 0; i < G_N_ELEMENTS (added); i++)
    pt_row_set_add (set, added[i]);
  pt_row_set_add (set, 201 + 64);   /* outside: ignored */
  pt_row_set_add (set, -1);
  g_assert_cmpuint (pt_row_set_count (set), ==, 8);
  g_assert_cmpint (pt_row_set_get_max (set), >=, 200);
  g_assert_true (pt_row_set_contains (set, 127));
  g_assert_false (pt_row_set_contains (set, 126));
  assert_page (set, 0, 3, top, 3);
  assert_page (set, 3, 3, middle, 3);
  assert_page (set, 6, 10, bottom, 2);
  assert_page (set, 8, 5, NULL, 0);

  pt_row_set_add (other, 1);
  pt_row_set_add (other, 64);
  pt_row_set_add (other, 100);
  pt_row_set_intersect (set, other);   /* 128..199 lie beyond other's range */
  g_assert_cmpuint (pt_row_set_count (set), ==, 2);
  assert_page (set, 0, 10, both, 2);
}

/* The store keeps the last search's matches for the list's pages: a case
 * written after it is found by the same search at once. */
static void
test_search_sees_writes (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *number = NULL;
  PtStore *store = test_store_new ("370304-YC-001", &dir);
  g_autoptr(JsonObject) request = test_person_intake ("欧阳娜娜");
  g_autoptr(GPtrArray) rows = NULL;
  PtCaseQuery query;

  g_assert_true (pt_demo_generate (store, 30, 7, &error));
  g_assert_no_error (error);
  pt_case_query_init (&query);
  query.search = "欧阳";
  g_assert_cmpint (pt_store_count_cases (store, &query, &error), ==, 0);
  rows = pt_store_list_cases (store, &query, 0, 10, &error);
  g_assert_cmpuint (rows->len, ==, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);

  number = pt_store_create_case (store, request, "R-0001", &error);
  g_assert_no_error (error);
  g_assert_cmpint (pt_store_count_cases (store, &query, &error), ==, 1);
  rows = pt_store_list_cases (store, &query, 0, 10, &error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (((PtCaseRow *) g_ptr_array_index (rows, 0))->number, ==, number);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Filters apply to the matches: its own status keeps it, another drops it. */
  query.status = PT_STATUS_ACCEPTED;
  g_assert_cmpint (pt_store_count_cases (store, &query, &error), ==, 1);
  query.status = PT_STATUS_DELIVERED;
  g_assert_cmpint (pt_store_count_cases (store, &query, &error), ==, 0);
  rows = pt_store_list_cases (store, &query, 0, 10, &error);
  g_assert_cmpuint (rows->len, ==, 0);
  g_assert_no_error (error);

  /* A search of spaces only is no search; the beginning every case number
   * shares finds every case, and a longer beginning those it begins. */
  pt_case_query_init (&query);
  query.search = " \u3000 ";
  g_assert_cmpint (pt_store_count_cases (store, &query, &error), ==, 31);
  query.search = "37";
  g_assert_cmpint (pt_store_count_cases (store, &query, &error), ==, 31);
  query.search = "370304";
  g_assert_cmpint (pt_store_count_cases (store, &query, &error), ==, 31);
  query.search = "37 欧阳";
  g_assert_cmpint (pt_store_count_cases (store, &query, &error), ==, 1);
  query.search = NULL;
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = pt_store_list_cases (store, &query, 0, 100, &error);
  {
    g_autofree char *unit = g_strndup (((PtCaseRow *) g_ptr_array_index (rows, 0))->number, 13);
    gint64 expected = 0;
    g_autoptr(GPtrArray) found = NULL;

    for (guint i = 0; i < rows->len; i++)
      expected += g_str_has_prefix (((PtCaseRow *) g_ptr_array_index (rows, i))->number, unit);
    query.search = unit;
    g_assert_cmpint (pt_store_count_cases (store, &query, &error), ==, expected);
    found = pt_store_list_cases (store, &query, 0, 100, &error);
    g_assert_cmpuint (found->len, ==, expected);
    for (guint i = 0; i < found->len; i++)
      g_assert_true (g_str_has_prefix (((PtCaseRow *) g_ptr_array_index (found, i))->number, unit));
  }
  g_assert_no_error (error);
  pt_store_close (store);
  test_remove_dir (dir);
}

/* The sync worker's connection saves the server's clock correction; the
 * window's connection takes it up on pt_store_reload_hlc (), and never
 * hands out a stamp older than one it already gave. */
static void
test_reload_hlc (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  PtStore *window = test_store_new ("370304-YC-001", &dir);
  PtStore *sync = pt_store_open (pt_store_get_path (window), test_reference (), &error);
  g_autoptr(JsonObject) request = test_person_intake ("李桂兰");
  PtStamp before, after, again;
  gint64 hour = 3600 * 1000;

  g_assert_no_error (error);
  pt_hlc_now (pt_store_get_hlc (window), &before);

  /* What a sync does: the server's correction, saved with what it writes. */
  pt_store_get_hlc (sync)->offset_ms = hour;
  g_free (pt_store_create_case (sync, request, "R-0001", &error));
  g_assert_no_error (error);

  g_assert_cmpint (pt_store_get_hlc (window)->offset_ms, ==, 0);
  pt_store_reload_hlc (window);
  g_assert_cmpint (pt_store_get_hlc (window)->offset_ms, ==, hour);
  pt_hlc_now (pt_store_get_hlc (window), &after);
  g_assert_cmpint (after.wall, >=, before.wall + hour - 1000);

  /* Reloading again gives nothing older than what was handed out. */
  pt_store_reload_hlc (window);
  pt_hlc_now (pt_store_get_hlc (window), &again);
  g_assert_cmpint (pt_stamp_compare (&again, &after), >, 0);

  pt_store_close (sync);
  pt_store_close (window);
  test_remove_dir (dir);
}

static void
test_intake_and_flow (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  PtStore *store = test_store_new ("370304-YC-001", &dir);
  g_autoptr(JsonObject) request = test_person_intake ("张桂兰");
  g_autofree char *number = NULL, *number2 = NULL, *case_id = NULL;
  g_autoptr(PtCaseState) state = NULL;
  gint64 before;

  add_runner (store, "R-0001", "370304-YC-001");
  number = pt_store_create_case (store, request, "R-0001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (number, ==, "370304-YC-001-20261102-0001");
  number2 = pt_store_create_case (store, request, "R-0001", &error);
  g_assert_cmpstr (number2, ==, "370304-YC-001-20261102-0002");

  case_id = pt_store_resolve_case (store, number, &error);
  g_assert_no_error (error);
  state = pt_store_load_case (store, case_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (state->applicant_name, ==, "张桂兰");
  g_assert_cmpuint (state->materials->len, ==, 2);
  g_assert_cmpint (state->level, ==, PT_LEVEL_VILLAGE);
  /* The one-time notice of the missing 户口簿 came with the intake, in its
   * transaction: the case waits for it (material_received). */
  {
    g_autoptr(GPtrArray) events = pt_store_load_events (store, case_id, &error);
    PtEvent *notice;
    JsonArray *names;

    g_assert_no_error (error);
    g_assert_cmpuint (events->len, ==, 3);
    notice = g_ptr_array_index (events, 2);
    g_assert_cmpint (notice->type, ==, PT_EVENT_MISSING_NOTICE);
    names = json_object_get_array_member (notice->payload, "materials");
    g_assert_cmpuint (json_array_get_length (names), ==, 1);
    g_assert_cmpstr (json_array_get_string_element (names, 0), ==, "户口簿");
  }
  g_assert_cmpint (pt_workflow_next (state, NULL), ==, PT_EVENT_MATERIAL_RECEIVED);

  /* A refused event writes nothing. */
  before = count_events (store);
  g_assert_false (test_append (store, case_id, PT_EVENT_RUNNER_ASSIGNED, "{\"runner\": \"R-0001\"}", &error));
  g_assert_error (error, PT_ERROR, PT_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_false (test_append (store, case_id, PT_EVENT_FEE_RECORDED, "{\"name\": \"x\", \"amount_fen\": 100}", &error));
  g_assert_error (error, PT_ERROR, PT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (count_events (store), ==, before);

  g_assert_true (test_append (store, case_id, PT_EVENT_AGREEMENT_SIGNED,
                              "{\"digest\": \"1111111111111111111111111111111111111111111111111111111111111111\"}", &error));
  /* An unknown runner is refused. */
  g_assert_false (test_append (store, case_id, PT_EVENT_RUNNER_ASSIGNED, "{\"runner\": \"R-9999\"}", &error));
  g_assert_error (error, PT_ERROR, PT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (test_append (store, case_id, PT_EVENT_RUNNER_ASSIGNED, "{\"runner\": \"R-0001\"}", &error));
  g_assert_true (test_append (store, case_id, PT_EVENT_CASE_TRANSFERRED,
                              "{\"to_unit\": \"370304-YC\", \"reason\": \"需镇级办理\"}", &error));
  g_assert_no_error (error);
  g_clear_pointer (&state, pt_case_state_free);
  state = pt_store_load_case (store, case_id, &error);
  g_assert_cmpstr (state->unit, ==, "370304-YC");
  g_assert_cmpint (state->level, ==, PT_LEVEL_TOWN);
  g_assert_cmpint (state->status, ==, PT_STATUS_ASSIGNED);
  g_assert_cmpint (count_events (store), ==, before + 3);

  /* Out of scope: a district item at a village desk. */
  json_object_set_array_member (request, "items", json_array_new ());
  json_array_add_string_element (json_object_get_array_member (request, "items"), "D-ZJJ-001");
  g_assert_null (pt_store_create_case (store, request, "R-0001", &error));
  g_assert_error (error, PT_ERROR, PT_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, "district"));
  g_clear_error (&error);
  g_assert_cmpint (count_events (store), ==, before + 3);

  /* A case whose number and phone both end in 0003 is found, and counted,
   * once by "0003". */
  {
    g_autoptr(JsonObject) third = test_person_intake ("孙淑珍");
    g_autofree char *number3 = NULL;
    g_autoptr(GPtrArray) found = NULL;
    PtCaseQuery q;

    json_object_set_string_member (json_object_get_object_member (third, "applicant"), "phone", "138 1234 0003");
    number3 = pt_store_create_case (store, third, "R-0001", &error);
    g_assert_no_error (error);
    g_assert_true (g_str_has_suffix (number3, "-0003"));
    pt_case_query_init (&q);
    q.search = "0003";
    found = pt_store_list_cases (store, &q, 0, 100, &error);
    g_assert_cmpuint (found->len, ==, 1);
    g_assert_cmpint (pt_store_count_cases (store, &q, &error), ==, 1);
  }

  pt_store_close (store);
  test_remove_dir (dir);
}

/* A desk's store with one case taken for @name, its id in @case_id. */
static PtStore *
store_with_case (const char  *name,
                 char       **dir,
                 char       **case_id)
{
  g_autoptr(GError) error = NULL;
  PtStore *store = test_store_new ("370304-YC-001", dir);
  g_autoptr(JsonObject) request = test_person_intake (name);
  g_autofree char *number = pt_store_create_case (store, request, NULL, &error);

  g_assert_no_error (error);
  *case_id = pt_store_resolve_case (store, number, &error);
  g_assert_no_error (error);
  return store;
}

static void
test_batch_idempotent (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *case_id = NULL;
  PtStore *store = store_with_case ("李秀英", &dir, &case_id);
  g_autoptr(GPtrArray) events = pt_store_load_events (store, case_id, &error);
  gint64 before = count_events (store);
  g_autoptr(GPtrArray) copies = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_event_free);

  for (guint i = 0; i < events->len; i++)
    g_ptr_array_add (copies, pt_event_copy (g_ptr_array_index (events, i)));
  /* Delivered again (a retry): nothing new. */
  g_assert_true (pt_store_append_batch (store, copies, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_events (store), ==, before);
  pt_store_close (store);
  test_remove_dir (dir);
}

/* A batch large enough to be checked on two threads, with an invalid
 * payload in each half: the first is named, then the second once the first
 * is mended, and nothing is written; the batch made valid is written whole. */
static void
test_batch_invalid_payload (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *case_id = NULL;
  PtStore *store = store_with_case ("赵淑珍", &dir, &case_id);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_event_free);
  gint64 before = count_events (store);
  PtEvent *late, *later;

  for (guint i = 0; i < 600; i++)
    {
      JsonObject *payload = json_object_new ();
      g_autofree char *text = g_strdup_printf ("第%u次电话回访", i + 1);

      json_object_set_string_member (payload, "text", text);
      g_ptr_array_add (batch, pt_store_new_event (store, case_id, PT_EVENT_NOTE, payload, NULL));
    }
  late = g_ptr_array_index (batch, 100);
  later = g_ptr_array_index (batch, 550);
  json_object_remove_member (late->payload, "text");
  json_object_set_string_member (later->payload, "colour", "red");

  g_assert_false (pt_store_append_batch (store, batch, TRUE, &error));
  g_assert_error (error, PT_ERROR, PT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Note is missing"));
  g_assert_cmpint (count_events (store), ==, before);
  g_clear_error (&error);

  json_object_set_string_member (late->payload, "text", "第101次电话回访");
  g_assert_false (pt_store_append_batch (store, batch, TRUE, &error));
  g_assert_nonnull (strstr (error->message, "no field “colour”"));
  g_assert_cmpint (count_events (store), ==, before);
  g_clear_error (&error);

  json_object_remove_member (later->payload, "colour");
  g_assert_true (pt_store_append_batch (store, batch, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_events (store), ==, before + 600);
  pt_store_close (store);
  test_remove_dir (dir);
}

static PtPushResult *
push_result (const PtOutboxEntry *entry,
             PtPushOutcome        outcome,
             gint64               seq)
{
  PtPushResult *result = g_new0 (PtPushResult, 1);

  result->event_id = g_strdup (entry->event->id);
  result->device_seq = entry->device_seq;
  result->outcome = outcome;
  result->seq = seq;
  result->reason = outcome == PT_PUSH_REJECTED ? g_strdup ("not in this desk's scope") : NULL;
  return result;
}

/* The server's answers find their events through the outbox (the log has
 * no index on id alone): stored ones are marked pushed, a rejected one goes
 * to the quarantine, and the same answer again touches nothing, not even
 * the event that was given the rejected one's rowid since. A requeue (the
 * server lost what it had acknowledged) puts them back in the outbox. */
static void
test_outbox_answers (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *case_id = NULL;
  PtStore *store = store_with_case ("王建国", &dir, &case_id);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) answers = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_push_result_free);
  g_autoptr(GPtrArray) again = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_push_result_free);
  JsonObject *payload = json_object_new ();
  g_autoptr(PtEvent) note = NULL;
  gint64 n_events = count_events (store);
  guint n;

  entries = pt_store_sync_outbox (store, 100, &error);
  g_assert_no_error (error);
  n = entries->len;
  g_assert_cmpint (n, ==, n_events);
  g_assert_cmpuint (n, >=, 2);
  for (guint i = 0; i + 1 < n; i++)
    g_ptr_array_add (answers, push_result (entries->pdata[i], PT_PUSH_STORED, i + 1));
  g_ptr_array_add (answers, push_result (entries->pdata[n - 1], PT_PUSH_REJECTED, 0));
  g_ptr_array_add (again, push_result (entries->pdata[n - 1], PT_PUSH_REJECTED, 0));

  g_assert_true (pt_store_sync_acknowledge (store, answers, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pt_store_sync_count_pending (store, NULL), ==, 0);
  g_assert_cmpint (pt_store_sync_count_quarantine (store, NULL), ==, 1);
  g_assert_cmpint (count_events (store), ==, n_events - 1);

  /* The newest event left the log: the next one is given its rowid. */
  json_object_set_string_member (payload, "text", "申请人来电询问进度");
  note = pt_store_new_event (store, case_id, PT_EVENT_NOTE, payload, NULL);
  g_assert_true (pt_store_append (store, note, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_events (store), ==, n_events);
  g_assert_true (pt_store_sync_acknowledge (store, again, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_events (store), ==, n_events);
  g_assert_cmpint (pt_store_sync_count_quarantine (store, NULL), ==, 1);
  g_assert_cmpint (pt_store_sync_count_pending (store, NULL), ==, 1);

  g_assert_true (pt_store_sync_requeue (store, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pt_store_sync_count_pending (store, NULL), ==, n);
  pt_store_close (store);
  test_remove_dir (dir);
}

/* A refused record is listed with its case's number and applicant and what
 * the refusal means; staff dismiss it only with a reason, and it stays,
 * marked, out of the count. */
static void
test_quarantine_dismiss (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *case_id = NULL;
  PtStore *store = store_with_case ("王建国", &dir, &case_id);
  g_autoptr(GPtrArray) entries = pt_store_sync_outbox (store, 100, NULL);
  g_autoptr(GPtrArray) answers = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_push_result_free);
  g_autoptr(GPtrArray) open = NULL;
  g_autoptr(GPtrArray) all = NULL;
  PtQuarantineEntry *entry;
  PtPushResult *refused;
  g_autofree char *explained = NULL;
  g_autofree char *event_id = NULL;

  for (guint i = 0; i + 1 < entries->len; i++)
    g_ptr_array_add (answers, push_result (entries->pdata[i], PT_PUSH_STORED, i + 1));
  refused = push_result (entries->pdata[entries->len - 1], PT_PUSH_REJECTED, 0);
  g_free (refused->reason);
  refused->reason = g_strdup ("scope: case outside this desk's unit 370304-YC-001");
  g_ptr_array_add (answers, refused);
  event_id = g_strdup (refused->event_id);
  g_assert_true (pt_store_sync_acknowledge (store, answers, &error));
  g_assert_no_error (error);

  open = pt_store_sync_list_quarantine (store, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (open->len, ==, 1);
  entry = open->pdata[0];
  g_assert_nonnull (entry->number);
  g_assert_cmpstr (entry->applicant, ==, "王建国");
  g_assert_null (entry->dismissed_at);
  explained = pt_quarantine_explain (entry->reason);
  g_assert_nonnull (strstr (explained, "transferred"));

  g_assert_false (pt_store_sync_dismiss_quarantine (store, event_id, "  ", &error));
  g_assert_error (error, PT_ERROR, PT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (pt_store_sync_dismiss_quarantine (store, "no-such-event", "重复", &error));
  g_assert_error (error, PT_ERROR, PT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (pt_store_sync_count_quarantine (store, NULL), ==, 1);

  g_assert_true (pt_store_sync_dismiss_quarantine (store, event_id, "已由镇便民服务中心重新录入", &error));
  g_assert_no_error (error);
  g_assert_cmpint (pt_store_sync_count_quarantine (store, NULL), ==, 0);
  g_clear_pointer (&open, g_ptr_array_unref);
  open = pt_store_sync_list_quarantine (store, FALSE, NULL);
  g_assert_cmpuint (open->len, ==, 0);
  all = pt_store_sync_list_quarantine (store, TRUE, NULL);
  g_assert_cmpuint (all->len, ==, 1);
  g_assert_cmpstr (((PtQuarantineEntry *) all->pdata[0])->dismissed_reason, ==, "已由镇便民服务中心重新录入");
  g_assert_nonnull (((PtQuarantineEntry *) all->pdata[0])->dismissed_at);
  /* Once only. */
  g_assert_false (pt_store_sync_dismiss_quarantine (store, event_id, "再次", &error));
  g_assert_error (error, PT_ERROR, PT_ERROR_NOT_FOUND);
  pt_store_close (store);
  test_remove_dir (dir);
}

static void
test_search_and_filters (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  PtStore *store = test_store_new ("370304", &dir);
  PtCaseQuery query;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *first = NULL;
  struct { const char *search; gint64 min; } searches[] = {
    { "有限公司", 1 }, { "低保", 0 }, { "XXXXXX", 0 },
  };

  g_assert_true (pt_demo_generate (store, 200, 7, &error));
  g_assert_no_error (error);

  pt_case_query_init (&query);
  g_assert_cmpint (pt_store_count_cases (store, &query, NULL), ==, 200);
  rows = pt_store_list_cases (store, &query, 0, 50, &error);
  g_assert_cmpuint (rows->len, ==, 50);
  first = g_strdup (((PtCaseRow *) g_ptr_array_index (rows, 0))->number);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = pt_store_list_cases (store, &query, 50, 50, &error);
  g_assert_cmpstr (((PtCaseRow *) g_ptr_array_index (rows, 0))->number, !=, first);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = pt_store_list_cases (store, &query, 190, 50, &error);
  g_assert_cmpuint (rows->len, ==, 10);
  g_clear_pointer (&rows, g_ptr_array_unref);

  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      gint64 n;
      query.search = searches[i].search;
      n = pt_store_count_cases (store, &query, &error);
      g_assert_no_error (error);
      if (searches[i].min == 0 && g_str_equal (searches[i].search, "XXXXXX"))
        g_assert_cmpint (n, ==, 0);
      else
        g_assert_cmpint (n, >=, searches[i].min);
    }

  /* Every row a one-character search returns has that character in its name. */
  {
    g_autofree char *surname = NULL;
    query.search = NULL;
    rows = pt_store_list_cases (store, &query, 0, 100, &error);
    /* A person's name: one character of an enterprise's long name is not indexed. */
    for (guint i = 0; i < rows->len && surname == NULL; i++)
      if (g_utf8_strlen (((PtCaseRow *) g_ptr_array_index (rows, i))->applicant, -1) <= 4)
        surname = g_utf8_substring (((PtCaseRow *) g_ptr_array_index (rows, i))->applicant, 0, 1);
    g_assert_nonnull (surname);
    g_clear_pointer (&rows, g_ptr_array_unref);
    query.search = surname;
    rows = pt_store_list_cases (store, &query, 0, 500, &error);
    g_assert_cmpuint (rows->len, >=, 1);
    for (guint i = 0; i < rows->len; i++)
      g_assert_nonnull (strstr (((PtCaseRow *) g_ptr_array_index (rows, i))->applicant, surname));
    g_clear_pointer (&rows, g_ptr_array_unref);
  }

  /* Search by a two-character name part, the tail of an ID, an item name. */
  pt_case_query_init (&query);
  rows = pt_store_list_cases (store, &query, 0, 500, &error);
  for (guint i = 0; i < rows->len; i += 17)
    {
      PtCaseRow *row = g_ptr_array_index (rows, i);
      g_autoptr(PtCaseState) state = pt_store_load_case (store, row->id, &error);
      g_autofree char *name2 = g_utf8_substring (row->applicant, 0, 2);
      const char *id = state->id_number ? state->id_number : state->uscc;
      const char *phone = row->phone + strlen (row->phone) - 4;
      g_autofree char *number_tail = g_strdup (row->number + strlen (row->number) - 13);
      g_autofree char *combined = g_strdup_printf ("%s %s", row->number + strlen (row->number) - 4, name2);
      /* A second term of two lookups (number grams and the number prefix). */
      g_autofree char *combined2 = g_strdup_printf ("%s 370304", name2);
      const char *queries[] = { row->number, name2, id + 14, id + 12, row->applicant, phone, number_tail, combined, combined2 };
      g_autofree char *item2 = g_utf8_substring (row->items, 0, 2);

      for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
        {
          PtCaseQuery sq;
          g_autoptr(GPtrArray) found = NULL;
          gboolean hit = FALSE;
          pt_case_query_init (&sq);
          sq.search = queries[q];
          found = pt_store_list_cases (store, &sq, 0, 1000, &error);
          for (guint k = 0; k < found->len; k++)
            hit |= g_str_equal (((PtCaseRow *) g_ptr_array_index (found, k))->id, row->id);
          if (!hit)
            g_error ("searching \"%s\" does not find %s", queries[q], row->number);
          /* Two terms: every case found has both. */
          if (queries[q] == combined || queries[q] == combined2)
            for (guint k = 0; k < found->len; k++)
              g_assert_nonnull (strstr (((PtCaseRow *) g_ptr_array_index (found, k))->applicant, name2));
        }
      query.search = item2;
      g_assert_cmpint (pt_store_count_cases (store, &query, &error), >=, 1);
      query.search = NULL;
    }
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* The count of a search is the number of cases its list gives, whatever
   * lookups answer it (keys of several numbers, several items). */
  {
    const char *checks[] = { "0001", "0002", "城乡", "证明", "最低生活", "建设", "代缴", "王", NULL };
    for (guint i = 0; checks[i] != NULL; i++)
      {
        g_autoptr(GPtrArray) all = NULL;
        PtCaseQuery cq;
        pt_case_query_init (&cq);
        cq.search = checks[i];
        all = pt_store_list_cases (store, &cq, 0, 100000, &error);
        g_assert_no_error (error);
        g_assert_cmpint (pt_store_count_cases (store, &cq, &error), ==, (gint64) all->len);
      }
  }

  /* Filters. */
  pt_case_query_init (&query);
  query.status = PT_STATUS_DELIVERED;
  rows = pt_store_list_cases (store, &query, 0, 500, &error);
  g_assert_cmpuint (rows->len, >, 0);
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpint (((PtCaseRow *) g_ptr_array_index (rows, i))->status, ==, PT_STATUS_DELIVERED);
  g_clear_pointer (&rows, g_ptr_array_unref);

  pt_case_query_init (&query);
  query.overdue_only = TRUE;
  query.today = "2099-01-01";
  rows = pt_store_list_cases (store, &query, 0, 500, &error);
  g_assert_cmpuint (rows->len, >, 0);
  for (guint i = 0; i < rows->len; i++)
    {
      PtCaseRow *row = g_ptr_array_index (rows, i);
      g_assert_nonnull (row->due);
      g_assert_cmpint (row->status, !=, PT_STATUS_DELIVERED);
    }
  g_clear_pointer (&rows, g_ptr_array_unref);
  query.today = "2000-01-01";
  g_assert_cmpint (pt_store_count_cases (store, &query, &error), ==, 0);

  pt_case_query_init (&query);
  query.unit = "370304-YC";
  rows = pt_store_list_cases (store, &query, 0, 500, &error);
  for (guint i = 0; i < rows->len; i++)
    g_assert_true (g_str_has_prefix (((PtCaseRow *) g_ptr_array_index (rows, i))->unit, "370304-YC"));
  g_clear_pointer (&rows, g_ptr_array_unref);

  pt_case_query_init (&query);
  query.level = PT_LEVEL_VILLAGE;
  rows = pt_store_list_cases (store, &query, 0, 500, &error);
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpint (((PtCaseRow *) g_ptr_array_index (rows, i))->level, ==, PT_LEVEL_VILLAGE);
  g_clear_pointer (&rows, g_ptr_array_unref);

  pt_store_close (store);
  test_remove_dir (dir);
}

static void
test_rebuild_finds_differences (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  PtStore *store = test_store_new ("370304", &dir);
  g_autoptr(GPtrArray) differences = NULL;
  sqlite3 *db;

  g_assert_true (pt_demo_generate (store, 30, 3, &error));
  g_assert_true (pt_store_rebuild (store, &differences, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (differences->len, ==, 0);
  g_clear_pointer (&differences, g_ptr_array_unref);

  /* Damage two cache rows behind the store's back. */
  g_assert_cmpint (sqlite3_open (pt_store_get_path (store), &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE cases SET state_digest = 'damaged' WHERE rowid IN (SELECT rowid FROM cases LIMIT 2)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  g_assert_true (pt_store_rebuild (store, &differences, &error));
  g_assert_cmpuint (differences->len, ==, 2);
  g_clear_pointer (&differences, g_ptr_array_unref);
  g_assert_true (pt_store_rebuild (store, &differences, &error));
  g_assert_cmpuint (differences->len, ==, 0);
  g_clear_pointer (&differences, g_ptr_array_unref);

  /* A cache row lost (written again, and found by search again), and a case
   * whose log is gone (its cache row dropped). */
  {
    PtCaseQuery query;
    g_autoptr(GPtrArray) rows = NULL;
    g_autofree char *lost = NULL;
    g_autofree char *name = NULL;
    g_autofree char *sql = NULL;

    pt_case_query_init (&query);
    rows = pt_store_list_cases (store, &query, 0, 2, &error);
    lost = g_strdup (((PtCaseRow *) g_ptr_array_index (rows, 0))->id);
    name = g_strdup (((PtCaseRow *) g_ptr_array_index (rows, 0))->applicant);
    sql = g_strdup_printf ("DELETE FROM case_fts WHERE rowid = (SELECT rowid FROM cases WHERE id = '%s');"
                           "DELETE FROM case_keys WHERE rowid = (SELECT rowid FROM cases WHERE id = '%s');"
                           "DELETE FROM case_items WHERE case_rowid = (SELECT rowid FROM cases WHERE id = '%s');"
                           "DELETE FROM cases WHERE id = '%s';"
                           "DELETE FROM events WHERE case_id = '%s';",
                           lost, lost, lost, lost, ((PtCaseRow *) g_ptr_array_index (rows, 1))->id);
    g_assert_cmpint (sqlite3_open (pt_store_get_path (store), &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
    g_assert_cmpint (pt_store_count_cases (store, &query, NULL), ==, 29);

    g_assert_true (pt_store_rebuild (store, &differences, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (differences->len, ==, 2);
    g_assert_cmpint (pt_store_count_cases (store, &query, NULL), ==, 29);
    query.search = name;
    g_clear_pointer (&rows, g_ptr_array_unref);
    rows = pt_store_list_cases (store, &query, 0, 100, &error);
    {
      gboolean found = FALSE;
      for (guint i = 0; i < rows->len; i++)
        found |= g_str_equal (((PtCaseRow *) g_ptr_array_index (rows, i))->id, lost);
      g_assert_true (found);
    }
    g_clear_pointer (&differences, g_ptr_array_unref);
    g_assert_true (pt_store_rebuild (store, &differences, &error));
    g_assert_cmpuint (differences->len, ==, 0);
  }

  pt_store_close (store);
  test_remove_dir (dir);
}

/* A refusal of @store, with @needle in its message and the database as it
 * was. */
#define assert_refused(store, ok, error, needle) G_STMT_START {                 \
    g_autofree char *before_ = test_dump (store);                               \
    gboolean ok_ = (ok);                                                        \
    g_autofree char *after_ = test_dump (store);                                \
    g_assert_false (ok_);                                                       \
    g_assert_nonnull (*(error));                                                \
    if (strstr ((*(error))->message, needle) == NULL)                           \
      g_error ("“%s” does not say “%s”", (*(error))->message, needle);          \
    g_assert_cmpstr (before_, ==, after_);                                      \
    g_clear_error (error);                                                      \
  } G_STMT_END

static JsonObject *
district_intake (const char *items)
{
  g_autofree char *text = g_strdup_printf (
    "{\"applicant\": {\"kind\": \"enterprise\", \"name\": \"淄博宏达陶瓷有限公司\", \"uscc\": \"91350100M000100Y43\","
    " \"legal_representative\": \"李四\", \"phone\": \"0533-4151890\", \"address\": \"博山区中心路 1 号\"},"
    " \"channel\": \"window\", \"items\": [%s], \"unit\": \"370304\", \"date\": \"2026-11-02\"}", items);
  return test_json (text);
}

static char *
new_case (PtStore    *store,
          JsonObject *request)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *number = pt_store_create_case (store, request, "R-0001", &error);
  char *case_id;

  g_assert_no_error (error);
  case_id = pt_store_resolve_case (store, number, &error);
  g_assert_no_error (error);
  return case_id;
}

/* Fees only with their legal basis from the catalog, for the case's items. */
static void
test_fees_from_catalog (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  PtStore *store = test_store_new ("370304", &dir);
  g_autoptr(JsonObject) request = district_intake ("\"D-ZRZY-005\", \"D-ZJJ-001\"");
  g_autoptr(JsonObject) free_request = test_person_intake ("刘玉兰");
  g_autofree char *case_id = new_case (store, request);
  g_autofree char *free_case = NULL;
  g_autoptr(PtCaseState) state = NULL;
  g_autoptr(GPtrArray) fees = NULL;
  PtFee *fee;

  state = pt_store_load_case (store, case_id, &error);
  fees = pt_case_fees (state, test_reference ()->catalog);
  g_assert_cmpuint (fees->len, ==, 2);
  g_assert_cmpstr (((PtItemFee *) g_ptr_array_index (fees, 0))->item->code, ==, "D-ZRZY-005");
  g_assert_cmpint (((PtItemFee *) g_ptr_array_index (fees, 0))->fee->amount_fen, ==, 8000);
  g_clear_pointer (&state, pt_case_state_free);

  /* The 代办服务费 with the basis "无", and its other ways. */
  assert_refused (store, test_append (store, case_id, PT_EVENT_FEE_RECORDED,
                                      "{\"item\": \"D-ZRZY-005\", \"name\": \"代办服务费\", \"amount_fen\": 2000, \"basis\": \"无\"}", &error),
                  &error, "“代办服务费” is not a fee of");
  assert_refused (store, test_append (store, case_id, PT_EVENT_FEE_RECORDED,
                                      "{\"item\": \"D-ZRZY-005\", \"name\": \"不动产登记费（住宅）\", \"basis\": \"无\"}", &error),
                  &error, "The legal basis of “不动产登记费（住宅）” is the catalog's");
  assert_refused (store, test_append (store, case_id, PT_EVENT_FEE_RECORDED,
                                      "{\"item\": \"D-ZRZY-005\", \"name\": \"不动产登记费（住宅）\", \"amount_fen\": 2000}", &error),
                  &error, "is 80.00 yuan by its legal basis");
  assert_refused (store, test_append (store, case_id, PT_EVENT_FEE_RECORDED,
                                      "{\"name\": \"不动产登记费（住宅）\", \"amount_fen\": 8000, \"basis\": \"x\"}", &error),
                  &error, "A fee names the item");
  assert_refused (store, test_append (store, case_id, PT_EVENT_FEE_RECORDED,
                                      "{\"item\": \"D-ZRZY-004\", \"name\": \"不动产登记费（非住宅）\"}", &error),
                  &error, "D-ZRZY-004 is not an item of this case");
  assert_refused (store, test_append (store, case_id, PT_EVENT_FEE_RECORDED,
                                      "{\"item\": \"D-ZJJ-001\", \"name\": \"城市基础设施配套费（按建筑面积计征）\"}", &error),
                  &error, "depends on the case");
  assert_refused (store, test_append (store, case_id, PT_EVENT_FEE_RECORDED,
                                      "{\"item\": \"D-XXX-001\", \"name\": \"x\"}", &error),
                  &error, "no service item D-XXX-001");

  /* The catalog's amount and basis are filled in. */
  g_assert_true (test_append (store, case_id, PT_EVENT_FEE_RECORDED,
                              "{\"item\": \"D-ZRZY-005\", \"name\": \"不动产登记费（住宅）\"}", &error));
  g_assert_no_error (error);
  g_assert_true (test_append (store, case_id, PT_EVENT_FEE_RECORDED,
                              "{\"item\": \"D-ZJJ-001\", \"name\": \"城市基础设施配套费（按建筑面积计征）\", \"amount_fen\": 1250000}", &error));
  g_assert_no_error (error);
  state = pt_store_load_case (store, case_id, &error);
  g_assert_cmpuint (state->fees->len, ==, 2);
  fee = g_ptr_array_index (state->fees, 0);
  g_assert_cmpint (fee->amount_fen, ==, 8000);
  g_assert_cmpstr (fee->item, ==, "D-ZRZY-005");
  g_assert_nonnull (strstr (fee->basis, "发改价格规〔2016〕2559号"));
  g_assert_cmpint (((PtFee *) g_ptr_array_index (state->fees, 1))->amount_fen, ==, 1250000);

  /* A case whose items have no statutory fee records none. */
  json_object_set_string_member (free_request, "unit", "370304-YC-001");
  free_case = new_case (store, free_request);
  g_clear_pointer (&state, pt_case_state_free);
  state = pt_store_load_case (store, free_case, &error);
  g_clear_pointer (&fees, g_ptr_array_unref);
  fees = pt_case_fees (state, test_reference ()->catalog);
  g_assert_cmpuint (fees->len, ==, 0);
  assert_refused (store, test_append (store, free_case, PT_EVENT_FEE_RECORDED,
                                      "{\"item\": \"D-ZRZY-005\", \"name\": \"不动产登记费（住宅）\"}", &error),
                  &error, "No item of this case has a fee");
  assert_refused (store, test_append (store, free_case, PT_EVENT_FEE_RECORDED,
                                      "{\"item\": \"V-MZJ-001\", \"name\": \"代办服务费\", \"amount_fen\": 2000, \"basis\": \"无\"}", &error),
                  &error, "service is free");

  pt_store_close (store);
  test_remove_dir (dir);
}

/* The missing 户口簿 arrives later: the checklist is updated and the
 * one-time notice closed. */
static void
test_material_arrives (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *case_id = NULL;
  g_autofree char *today = pt_date_today ();
  g_autofree char *future = NULL;
  PtStore *store = store_with_case ("陈桂芝", &dir, &case_id);
  g_autoptr(PtCaseState) state = NULL;

  {
    g_autoptr(GDate) date = pt_date_parse (today, NULL);
    g_date_add_days (date, 6);
    future = pt_date_format (date);
  }
  assert_refused (store, test_append (store, case_id, PT_EVENT_MATERIAL_RECEIVED,
                                      "{\"materials\": [{\"name\": \"户口簿\", \"form\": \"original\", \"count\": 0}]}", &error),
                  &error, "number of copies must be between 1 and 999");
  assert_refused (store, test_append (store, case_id, PT_EVENT_MATERIAL_RECEIVED,
                                      "{\"materials\": [{\"name\": \"身份证\", \"form\": \"copy\", \"count\": 1}]}", &error),
                  &error, "“身份证” is not missing");
  {
    g_autofree char *payload = g_strdup_printf ("{\"materials\": [{\"name\": \"户口簿\", \"form\": \"original\", \"count\": 1}],"
                                                " \"date\": \"%s\"}", future);
    g_autofree char *needle = g_strdup_printf ("Date received %s is later than today", future);
    assert_refused (store, test_append (store, case_id, PT_EVENT_MATERIAL_RECEIVED, payload, &error), &error, needle);
  }
  assert_refused (store, test_append (store, case_id, PT_EVENT_MATERIAL_RECEIVED,
                                      "{\"materials\": [{\"name\": \"户口簿\", \"form\": \"original\", \"count\": 1}],"
                                      " \"date\": \"2026-10-30\"}", &error),
                  &error, "before the case was taken in (2026-11-02)");

  g_assert_true (test_append (store, case_id, PT_EVENT_MATERIAL_RECEIVED,
                              "{\"materials\": [{\"name\": \"户口簿\", \"form\": \"original\", \"count\": 1}],"
                              " \"date\": \"2026-11-04\"}", &error));
  g_assert_no_error (error);
  state = pt_store_load_case (store, case_id, &error);
  g_assert_false (pt_case_state_has_missing (state));
  g_assert_cmpstr (state->notice_closed_on, ==, "2026-11-04");
  g_assert_cmpint (pt_workflow_next (state, NULL), ==, PT_EVENT_AGREEMENT_SIGNED);
  assert_refused (store, test_append (store, case_id, PT_EVENT_MATERIAL_RECEIVED,
                                      "{\"materials\": [{\"name\": \"户口簿\", \"form\": \"original\", \"count\": 1}]}", &error),
                  &error, "nothing to receive");

  pt_store_close (store);
  test_remove_dir (dir);
}

/* An intake dated after today, a received material with no copies, an
 * unknown author: refused, nothing written. */
static void
test_intake_rules (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  PtStore *store = test_store_new ("370304-YC-001", &dir);
  g_autoptr(JsonObject) request = test_person_intake ("周凤英");

  json_object_set_string_member (request, "date", "2099-01-04");
  assert_refused (store, pt_store_create_case (store, request, "R-0001", &error) != NULL, &error,
                  "Intake date 2099-01-04 is later than today");
  json_object_set_string_member (request, "date", "2026-11-02");
  assert_refused (store, pt_store_create_case (store, request, "R-9999", &error) != NULL, &error,
                  "R-9999, is not on this desk's roster");
  json_object_set_int_member (json_array_get_object_element (json_object_get_array_member (request, "materials"), 0),
                              "count", 0);
  assert_refused (store, pt_store_create_case (store, request, "R-0001", &error) != NULL, &error,
                  "Material 1 (身份证) is received, so its number of copies must be at least 1");
  g_assert_cmpint (count_events (store), ==, 0);

  /* Every author of a local event is on the roster. */
  json_object_set_int_member (json_array_get_object_element (json_object_get_array_member (request, "materials"), 0),
                              "count", 1);
  {
    g_autofree char *case_id = new_case (store, request);
    g_autoptr(PtEvent) event = pt_store_new_event (store, case_id, PT_EVENT_NOTE, test_json ("{\"text\": \"来电\"}"),
                                                   "R-9999");   /* takes the payload */
    assert_refused (store, pt_store_append (store, event, &error), &error, "R-9999, is not on this desk's roster");
  }
  pt_store_close (store);
  test_remove_dir (dir);
}

/* Codes and phone as a clerk pastes them: spaces, full-width digits, a
 * lower-case x. Recorded canonical; one character too many is refused,
 * never cut. The caller's request is left as it was. */
static void
test_intake_normalized (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  PtStore *store = test_store_new ("370304-YC-001", &dir);
  g_autoptr(JsonObject) request = test_person_intake ("周凤英");
  JsonObject *applicant = json_object_get_object_member (request, "applicant");
  g_autofree char *case_id = NULL;
  g_autoptr(PtCaseState) state = NULL;

  json_object_set_string_member (applicant, "id_number", " 11010519491231002x0 ");
  assert_refused (store, pt_store_create_case (store, request, "R-0001", &error) != NULL, &error,
                  "19");
  g_assert_cmpint (count_events (store), ==, 0);

  json_object_set_string_member (applicant, "id_number", " \xef\xbc\x91\xef\xbc\x91" "010519491231002x\xe3\x80\x80");
  json_object_set_string_member (applicant, "phone", "\xef\xbc\x91\xef\xbc\x93" "8\xe2\x80\x94" "1234 5678 ");
  case_id = new_case (store, request);
  state = pt_store_load_case (store, case_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (state->id_number, ==, "11010519491231002X");
  g_assert_cmpstr (state->phone, ==, "138-1234 5678");
  g_assert_cmpstr (json_object_get_string_member (applicant, "phone"), ==,
                   "\xef\xbc\x91\xef\xbc\x93" "8\xe2\x80\x94" "1234 5678 ");
  pt_store_close (store);
  test_remove_dir (dir);
}

/* A backup taken while the desk works holds what was recorded then, as one
 * checked file; restoring it keeps the database as it was beside it; a
 * damaged backup is refused and nothing changes. */
static void
test_backup_restore (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  PtStore *store = test_store_new ("370304-YC-001", &dir);
  g_autoptr(JsonObject) request = test_person_intake ("周凤英");
  g_autofree char *backup = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *case_id = new_case (store, request);
  gint64 events_then = count_events (store);

  g_autofree char *usb = g_build_filename (dir, "usb", NULL);
  g_autofree char *backup_wal = NULL;

  backup = g_build_filename (usb, "paotuan-backup.db", NULL);
  backup_wal = g_strconcat (backup, "-wal", NULL);
  g_mkdir_with_parents (usb, 0700);
  g_assert_true (pt_store_backup (store, backup, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (backup_wal, G_FILE_TEST_EXISTS));
  g_assert_true (pt_store_check_file (backup, &error));
  g_assert_no_error (error);
  /* The backup is not the database itself. */
  g_assert_false (pt_store_backup (store, pt_store_get_path (store), &error));
  g_assert_error (error, PT_ERROR, PT_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (test_append (store, case_id, PT_EVENT_NOTE, "{\"text\": \"备份之后\"}", &error));
  db_path = g_strdup (pt_store_get_path (store));
  pt_store_close (store);

  /* A damaged backup: refused, the database untouched. */
  bad = g_build_filename (dir, "usb", "damaged.db", NULL);
  {
    g_autofree char *bytes = NULL;
    gsize len;

    g_assert_true (g_file_get_contents (backup, &bytes, &len, NULL));
    memset (bytes + 8192 * 2, 0x5a, 8192 * 2);
    g_assert_true (g_file_set_contents (bad, bytes, len, NULL));
  }
  g_assert_false (pt_store_restore (bad, db_path, &kept, &error));
  g_assert_error (error, PT_ERROR, PT_ERROR_STORE);
  g_assert_nonnull (strstr (error->message, "damaged"));
  g_clear_error (&error);
  g_assert_null (kept);

  g_assert_true (pt_store_restore (backup, db_path, &kept, &error));
  g_assert_no_error (error);
  g_assert_nonnull (kept);
  store = pt_store_open (db_path, test_reference (), &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_events (store), ==, events_then);
  pt_store_close (store);
  /* What was recorded after the backup is in the file kept beside it. */
  store = pt_store_open (kept, test_reference (), &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_events (store), ==, events_then + 1);
  pt_store_close (store);
  test_remove_dir (dir);
}

/* An intake out of the desk's scope, transferred to the level that may
 * take it, in the same transaction. */
static void
test_intake_transfer (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  PtStore *store = test_store_new ("370304-YC-001", &dir);
  g_autoptr(JsonObject) request = test_person_intake ("吴秀兰");
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(PtCaseState) state = NULL;
  g_autofree char *case_id = NULL;
  const PtUnit *to;

  g_ptr_array_add (items, (gpointer) "D-ZJJ-001");
  to = pt_catalog_transfer_unit (test_reference ()->catalog, test_reference ()->district, "370304-YC-001", items, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (to->code, ==, "370304");
  g_ptr_array_index (items, 0) = (gpointer) "T-RSJ-001";   /* in person: the town takes it */
  to = pt_catalog_transfer_unit (test_reference ()->catalog, test_reference ()->district, "370304-YC-001", items, &error);
  g_assert_cmpstr (to->code, ==, "370304-YC");

  json_object_set_array_member (request, "items", json_array_new ());
  json_array_add_string_element (json_object_get_array_member (request, "items"), "D-ZJJ-001");
  assert_refused (store, pt_store_create_case (store, request, "R-0001", &error) != NULL, &error,
                  "is handled at the district level");
  json_object_set_string_member (request, "transfer_to", "370304-YC");
  assert_refused (store, pt_store_create_case (store, request, "R-0001", &error) != NULL, &error,
                  "is handled at the district level");
  json_object_set_string_member (request, "transfer_to", "370304-BT");
  assert_refused (store, pt_store_create_case (store, request, "R-0001", &error) != NULL, &error,
                  "is not above");
  json_object_set_string_member (request, "transfer_to", "370304");
  case_id = new_case (store, request);
  events = pt_store_load_events (store, case_id, &error);
  g_assert_cmpuint (events->len, ==, 4);
  g_assert_cmpint (((PtEvent *) g_ptr_array_index (events, 0))->type, ==, PT_EVENT_INTAKE);
  g_assert_cmpstr (pt_json_get_string (((PtEvent *) g_ptr_array_index (events, 0))->payload, "transfer_to"), ==, "370304");
  g_assert_cmpint (((PtEvent *) g_ptr_array_index (events, 3))->type, ==, PT_EVENT_CASE_TRANSFERRED);
  state = pt_store_load_case (store, case_id, &error);
  g_assert_cmpstr (state->unit, ==, "370304");
  g_assert_cmpint (state->level, ==, PT_LEVEL_DISTRICT);
  g_assert_cmpuint (state->transfers->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (state->transfers, 0), ==, "370304-YC-001");
  g_assert_true (g_str_has_prefix (state->number, "370304-YC-001-"));

  pt_store_close (store);
  test_remove_dir (dir);
}

/* A case of store_with_case () with two steps submitted, s1 approved and
 * s2 approved too when @both, else rejected. */
static void
two_steps_decided (PtStore    *store,
                   const char *case_id,
                   gboolean    both)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (test_append (store, case_id, PT_EVENT_AGREEMENT_SIGNED,
                              "{\"digest\": \"1111111111111111111111111111111111111111111111111111111111111111\"}", &error));
  g_assert_true (test_append (store, case_id, PT_EVENT_RUNNER_ASSIGNED, "{\"runner\": \"R-0001\"}", &error));
  g_assert_true (test_append (store, case_id, PT_EVENT_PLAN_SET,
                              "{\"steps\": [{\"id\": \"s1\", \"item\": \"V-MZJ-001\", \"department\": \"区民政局\","
                              " \"level\": \"district\", \"mode\": \"cross_level\", \"limit_days\": 20},"
                              " {\"id\": \"s2\", \"item\": \"V-MZJ-001\", \"department\": \"域城镇民政办\","
                              " \"level\": \"town\", \"mode\": \"cross_level\", \"limit_days\": 10}]}", &error));
  g_assert_true (test_append (store, case_id, PT_EVENT_STEP_SUBMITTED, "{\"step\": \"s1\"}", &error));
  g_assert_true (test_append (store, case_id, PT_EVENT_STEP_SUBMITTED, "{\"step\": \"s2\"}", &error));
  g_assert_true (test_append (store, case_id, PT_EVENT_STEP_APPROVED, "{\"step\": \"s1\"}", &error));
  if (both)
    g_assert_true (test_append (store, case_id, PT_EVENT_STEP_APPROVED, "{\"step\": \"s2\"}", &error));
  else
    g_assert_true (test_append (store, case_id, PT_EVENT_STEP_REJECTED, "{\"step\": \"s2\", \"reason\": \"不符合条件\"}", &error));
  g_assert_no_error (error);
}

/* One delivery hands over a certificate of every approved step; with one
 * approved step, a certificate that names none is that step's. */
static void
test_delivery_certificates (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *case_id = NULL;
  g_autofree char *one_id = NULL;
  g_autoptr(PtCaseState) state = NULL;
  PtStore *store = store_with_case ("郑桂英", &dir, &case_id);

  two_steps_decided (store, case_id, TRUE);
  assert_refused (store, test_append (store, case_id, PT_EVENT_DELIVERED,
                                      "{\"certificates\": [{\"name\": \"低保证\", \"number\": \"1\", \"copies\": 1}],"
                                      " \"originals_returned\": true, \"method\": \"in_person\"}", &error),
                  &error, "Certificate 1 (低保证) names no step");
  assert_refused (store, test_append (store, case_id, PT_EVENT_DELIVERED,
                                      "{\"certificates\": [{\"step\": \"s1\", \"name\": \"低保证\", \"number\": \"1\", \"copies\": 1}],"
                                      " \"originals_returned\": true, \"method\": \"in_person\"}", &error),
                  &error, "Step 2 (域城镇民政办) was approved, but no certificate is listed for it");
  g_assert_true (test_append (store, case_id, PT_EVENT_DELIVERED,
                              "{\"certificates\": [{\"step\": \"s1\", \"name\": \"低保证\", \"number\": \"1\", \"copies\": 1},"
                              " {\"step\": \"s2\", \"name\": \"审核意见\", \"number\": \"2\", \"copies\": 1}],"
                              " \"originals_returned\": true, \"method\": \"in_person\"}", &error));
  g_assert_no_error (error);

  {
    g_autoptr(JsonObject) request = test_person_intake ("冯玉珍");
    g_free (pt_store_create_case (store, request, NULL, &error));
  }
  {
    g_autoptr(GPtrArray) rows = NULL;
    PtCaseQuery query;
    pt_case_query_init (&query);
    query.search = "冯玉珍";
    rows = pt_store_list_cases (store, &query, 0, 1, &error);
    one_id = g_strdup (((PtCaseRow *) g_ptr_array_index (rows, 0))->id);
  }
  two_steps_decided (store, one_id, FALSE);
  g_assert_true (test_append (store, one_id, PT_EVENT_DELIVERED,
                              "{\"certificates\": [{\"name\": \"低保证\", \"number\": \"1\", \"copies\": 1}],"
                              " \"originals_returned\": true, \"method\": \"in_person\"}", &error));
  g_assert_no_error (error);
  state = pt_store_load_case (store, one_id, &error);
  g_assert_cmpint (state->status, ==, PT_STATUS_DELIVERED);
  g_assert_cmpstr (((PtCertificate *) g_ptr_array_index (state->certificates, 0))->step, ==, "s1");

  pt_store_close (store);
  test_remove_dir (dir);
}

/* Desk settings the preferences check. */
static void
test_check_desk (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  PtStore *store = test_store_new ("370304-YC-001", &dir);

  add_runner (store, "R-0002", "370304-YC");
  g_assert_true (pt_store_check_desk (store, "370304-YC-001", "R-0001", &error));
  g_assert_no_error (error);
  g_assert_true (pt_store_check_desk (store, "370304-YC", NULL, &error));
  g_assert_false (pt_store_check_desk (store, "370304-YC-099", NULL, &error));
  g_assert_error (error, PT_ERROR, PT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (pt_store_check_desk (store, "370304-YC-001", "R-9999", &error));
  g_assert_error (error, PT_ERROR, PT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (pt_store_check_desk (store, "370304-YC-001", "R-0002", &error));
  g_assert_error (error, PT_ERROR, PT_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, "not for"));
  pt_store_close (store);
  test_remove_dir (dir);
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (from, &contents, &length, &error));
  g_assert_true (g_file_set_contents (to, contents, (gssize) length, &error));
  g_assert_no_error (error);
}

static const char test_2027[] =
  "[calendar]\nyear=2027\nnotice=test\n[holidays]\n2027-01-01=元旦\n2027-01-02=元旦\n2027-01-03=元旦\n";

/* A data folder with the shipped catalog, district and tables but 2027's. */
static char *
data_dir_without_2027 (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pt-data-XXXXXX", NULL);
  g_autofree char *calendar = g_build_filename (dir, "calendar", NULL);
  const char *source = g_getenv ("PAOTUAN_DATA_DIR");
  const char *files[] = { "catalog.json", "district.json", "calendar/2024.ini", "calendar/2025.ini", "calendar/2026.ini" };

  g_mkdir (calendar, 0700);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *from = g_build_filename (source, files[i], NULL);
      g_autofree char *to = g_build_filename (dir, files[i], NULL);
      copy_file (from, to);
    }
  return g_steal_pointer (&dir);
}

/* A case taken with the store of @reference, its step submitted on
 * 2026-12-04 for 20 working days: due in 2027. */
static char *
case_due_in_2027 (PtStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) request = test_person_intake ("钱凤兰");
  g_autofree char *case_id = NULL;

  add_runner (store, "R-0001", "370304-YC-001");
  json_object_remove_member (request, "materials");
  json_object_set_string_member (request, "date", "2026-11-20");
  case_id = new_case (store, request);
  g_assert_true (test_append (store, case_id, PT_EVENT_AGREEMENT_SIGNED,
                              "{\"digest\": \"1111111111111111111111111111111111111111111111111111111111111111\"}", &error));
  g_assert_true (test_append (store, case_id, PT_EVENT_RUNNER_ASSIGNED, "{\"runner\": \"R-0001\"}", &error));
  g_assert_true (test_append (store, case_id, PT_EVENT_PLAN_SET,
                              "{\"steps\": [{\"id\": \"s1\", \"item\": \"V-MZJ-001\", \"department\": \"区民政局\","
                              " \"level\": \"district\", \"mode\": \"cross_level\", \"limit_days\": 20}]}", &error));
  g_assert_true (test_append (store, case_id, PT_EVENT_STEP_SUBMITTED, "{\"step\": \"s1\", \"date\": \"2026-12-04\"}", &error));
  g_assert_no_error (error);
  return g_steal_pointer (&case_id);
}

static PtCaseRow *
only_row (PtStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  PtCaseQuery query;

  pt_case_query_init (&query);
  query.search = "钱凤兰";
  rows = pt_store_list_cases (store, &query, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  return g_steal_pointer (&rows->pdata[0]);
}

/* The calendar case: a 20-working-day deadline that runs into
 * 2027 is provisional without a 2027 table, and exact once the table is
 * added, as a file of the calendar folder (the next open) or from the
 * server's reference data (pt_store_update_calendar ()); only the cases
 * with provisional dates are folded again. */
static void
test_calendar_refold (gconstpointer data)
{
  gboolean from_server = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = data_dir_without_2027 ();
  g_autofree char *db_dir = g_dir_make_tmp ("pt-test-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (db_dir, "desk.db", NULL);
  g_autofree char *case_id = NULL;
  g_autofree char *years = NULL;
  PtReference *reference = pt_reference_load_dir (data_dir, &error);
  PtStore *store;
  PtCaseRow *row;
  PtCaseState *state;
  guint refolded = 99;

  g_assert_no_error (error);
  store = pt_store_open (path, reference, &error);
  g_assert_no_error (error);
  g_assert_true (pt_store_import_district (store, reference->district, &error));
  g_assert_true (pt_store_set_meta (store, "unit", "370304-YC-001", &error));
  case_id = case_due_in_2027 (store);
  {
    g_autoptr(JsonObject) other = test_person_intake ("孙秀梅");   /* no date in 2027 */
    g_free (new_case (store, other));
  }

  row = only_row (store);
  g_assert_cmpstr (row->due, ==, "2027-01-01");
  g_assert_true (row->due_provisional);
  pt_case_row_free (row);
  state = pt_store_load_case (store, case_id, &error);
  g_assert_true (state->due_provisional);
  g_assert_true (((PtStep *) g_ptr_array_index (state->steps, 0))->provisional);
  pt_case_state_free (state);
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM cases WHERE provisional > 0"), ==, 1);

  if (from_server)
    {
      /* What a sync saves; the calendar takes it in and the case is
       * folded again, while the desk is open. */
      g_autoptr(JsonObject) files = test_json ("{\"calendar/2027.ini\": \"[calendar]\\nyear=2027\\n"
                                                "[holidays]\\n2027-01-01=元旦\\n2027-01-02=元旦\\n"
                                                "2027-01-03=元旦\\n\"}");

      g_assert_true (pt_store_sync_save_reference (store, "7", files, &error));
      g_assert_no_error (error);
      g_assert_true (pt_store_update_calendar (store, &refolded, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (refolded, ==, 1);
    }
  else
    {
      g_autofree char *table = g_build_filename (data_dir, "calendar", "2027.ini", NULL);

      pt_store_close (store);
      pt_reference_free (reference);
      g_assert_true (g_file_set_contents (table, test_2027, -1, &error));
      reference = pt_reference_load_dir (data_dir, &error);
      g_assert_no_error (error);
      store = pt_store_open (path, reference, &error);
      g_assert_no_error (error);
      g_unlink (table);
    }
  g_assert_true (pt_calendar_has_year (reference->calendar, 2027));
  row = only_row (store);
  g_assert_cmpstr (row->due, ==, "2027-01-04");
  g_assert_false (row->due_provisional);
  pt_case_row_free (row);
  state = pt_store_load_case (store, case_id, &error);
  g_assert_false (pt_case_state_is_provisional (state));
  pt_case_state_free (state);
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM cases WHERE provisional > 0"), ==, 0);
  years = pt_store_get_meta (store, "calendar.years");
  g_assert_cmpstr (years, ==, "2024 2025 2026 2027");

  /* Nothing more to do the next time. */
  g_assert_true (pt_store_update_calendar (store, &refolded, &error));
  g_assert_cmpuint (refolded, ==, 0);
  {
    g_autoptr(GPtrArray) differences = NULL;
    g_assert_true (pt_store_rebuild (store, &differences, &error));
    g_assert_cmpuint (differences->len, ==, 0);
  }

  pt_store_close (store);
  pt_reference_free (reference);
  test_remove_dir (db_dir);
  {
    g_autofree char *calendar = g_build_filename (data_dir, "calendar", NULL);
    test_remove_dir (calendar);
    test_remove_dir (data_dir);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/open", test_open);
  g_test_add_data_func ("/store/migrate-v1", GINT_TO_POINTER (1), test_migrate);
  g_test_add_data_func ("/store/migrate-v2", GINT_TO_POINTER (2), test_migrate);
  g_test_add_data_func ("/store/migrate-v3", GINT_TO_POINTER (3), test_migrate);
  g_test_add_data_func ("/store/migrate-v4", GINT_TO_POINTER (4), test_migrate);
  g_test_add_data_func ("/store/migrate-v5", GINT_TO_POINTER (5), test_migrate);
  g_test_add_data_func ("/store/migrate-v6", GINT_TO_POINTER (6), test_migrate);
  g_test_add_func ("/store/row-set", test_row_set);
  g_test_add_func ("/store/reload-hlc", test_reload_hlc);
  g_test_add_func ("/store/search-sees-writes", test_search_sees_writes);
  g_test_add_func ("/store/intake-and-flow", test_intake_and_flow);
  g_test_add_func ("/store/batch-idempotent", test_batch_idempotent);
  g_test_add_func ("/store/batch-invalid-payload", test_batch_invalid_payload);
  g_test_add_func ("/store/outbox-answers", test_outbox_answers);
  g_test_add_func ("/store/quarantine-dismiss", test_quarantine_dismiss);
  g_test_add_func ("/store/search-and-filters", test_search_and_filters);
  g_test_add_func ("/store/rebuild", test_rebuild_finds_differences);
  g_test_add_func ("/store/fees-from-catalog", test_fees_from_catalog);
  g_test_add_func ("/store/material-arrives", test_material_arrives);
  g_test_add_func ("/store/intake-rules", test_intake_rules);
  g_test_add_func ("/store/intake-transfer", test_intake_transfer);
  g_test_add_func ("/store/intake-normalized", test_intake_normalized);
  g_test_add_func ("/store/backup-restore", test_backup_restore);
  g_test_add_func ("/store/check-desk", test_check_desk);
  g_test_add_func ("/store/delivery-certificates", test_delivery_certificates);
  g_test_add_data_func ("/store/calendar-refold-file", GINT_TO_POINTER (FALSE), test_calendar_refold);
  g_test_add_data_func ("/store/calendar-refold-server", GINT_TO_POINTER (TRUE), test_calendar_refold);
  return g_test_run ();
}
