/* test-support.c: helpers of the core tests. */
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "pt-json.h"
#include "test-support.h"

static PtReference *reference;

PtReference *
test_reference (void)
{
  if (reference == NULL)
    {
      g_autoptr(GError) error = NULL;
      reference = pt_reference_load_default (&error);
      g_assert_no_error (error);
    }
  return reference;
}

PtStore *
test_store_new (const char  *unit,
                char       **dir_out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pt-test-XXXXXX", &error);
  g_autofree char *path = NULL;
  PtStore *store;

  g_assert_no_error (error);
  path = g_build_filename (dir, "desk.db", NULL);
  store = pt_store_open (path, test_reference (), &error);
  g_assert_no_error (error);
  g_assert_true (pt_store_import_district (store, test_reference ()->district, &error));
  g_assert_no_error (error);
  g_assert_true (pt_store_set_meta (store, "unit", unit, &error));
  /* The tests' author: every local event's author must be on the roster. */
  {
    PtRunner runner = { (char *) "R-0001", (char *) "王芳", (char *) unit, (char *) "BS0001",
                        (char *) "13812345678", TRUE };
    g_assert_true (pt_store_add_runner (store, &runner, &error));
    g_assert_no_error (error);
  }
  if (dir_out != NULL)
    *dir_out = g_steal_pointer (&dir);
  return store;
}

void
test_remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

JsonObject *
test_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = pt_json_parse_object (text, -1, &error);

  g_assert_no_error (error);
  return object;
}

JsonObject *
test_person_intake (const char *name)
{
  g_autofree char *text = g_strdup_printf (
    "{\"applicant\": {\"kind\": \"person\", \"name\": \"%s\", \"id_number\": \"11010519491231002X\","
    " \"phone\": \"138 1234 5678\", \"address\": \"博山区域城镇域城村 12 号\", \"vulnerable\": \"elderly\"},"
    " \"channel\": \"window\", \"items\": [\"V-MZJ-001\"], \"unit\": \"370304-YC-001\","
    " \"materials\": [{\"name\": \"身份证\", \"form\": \"copy\", \"count\": 1, \"missing\": false},"
    "                 {\"name\": \"户口簿\", \"form\": \"original\", \"count\": 1, \"missing\": true}],"
    " \"date\": \"2026-11-02\"}", name);
  return test_json (text);
}

gboolean
test_append (PtStore     *store,
             const char  *case_id,
             PtEventType  type,
             const char  *payload,
             GError     **error)
{
  g_autoptr(PtEvent) event = pt_store_new_event (store, case_id, type, test_json (payload), "R-0001");

  return pt_store_append (store, event, error);
}

char *
test_dump (PtStore *store)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  sqlite3 *db;

  g_assert_cmpint (sqlite3_open_v2 (pt_store_get_path (store), &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_schema WHERE type = 'table'"
                                           " AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (tables, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  for (guint i = 0; i < tables->len; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\"", (char *) g_ptr_array_index (tables, i));

      g_checksum_update (sum, (const guchar *) sql, -1);
      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        for (int c = 0; c < sqlite3_column_count (stmt); c++)
          {
            const void *blob = sqlite3_column_blob (stmt, c);
            g_checksum_update (sum, (const guchar *) "|", 1);
            if (blob != NULL)
              g_checksum_update (sum, blob, sqlite3_column_bytes (stmt, c));
          }
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
  return g_strdup (g_checksum_get_string (sum));
}
