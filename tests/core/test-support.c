/* test-support.c: helpers of the core tests. */
#include <glib/gstdio.h>

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
