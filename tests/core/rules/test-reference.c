/* test-reference.c: where the reference data comes from.
 *
 * Runs with G_TEST_OPTION_ISOLATE_DIRS, so that "the user's data folder"
 * is a fresh temporary folder for each test, never the real home.
 */
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "pt-error.h"
#include "pt-reference.h"

static const char *source_data;

static void
write_file (const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
test_load_dir (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtReference) reference = pt_reference_load_dir (source_data, &error);
  g_autofree char *due = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (reference);
  g_assert_cmpuint (pt_catalog_get_n_items (reference->catalog), >=, 36);
  g_assert_nonnull (pt_district_lookup (reference->district, "370304-YC"));
  g_assert_true (pt_calendar_has_year (reference->calendar, 2026));
  due = pt_calendar_add_working_days (reference->calendar, "2025-09-26", 5, &error);
  g_assert_cmpstr (due, ==, "2025-10-10");
  g_assert_nonnull (reference->data_dir);
}

static void
test_load_dir_missing (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pt-reference-XXXXXX", NULL);
  g_autoptr(PtReference) reference = pt_reference_load_dir (dir, &error);

  g_assert_null (reference);
  g_assert_error (error, PT_ERROR, PT_ERROR_DATA);
  g_assert_nonnull (strstr (error->message, "catalog.json"));
  g_rmdir (dir);
}

/* The user's folder adds 2027 and overrides a shipped year, while the
 * catalog still comes from the source tree. */
static void
test_default_user_calendar (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtReference) reference = NULL;
  g_autofree char *user = g_build_filename (g_get_user_data_dir (), "paotuan", NULL);
  g_autofree char *p2027 = g_build_filename (user, "calendar", "2027.ini", NULL);
  g_autofree char *p2025 = g_build_filename (user, "calendar", "2025.ini", NULL);
  g_autofree char *tmpl = g_build_filename (user, "templates", "agreement.tmpl", NULL);
  g_autofree char *found = NULL;
  g_autofree char *due = NULL;
  gboolean working = FALSE;

  g_unsetenv ("PAOTUAN_DATA_DIR");
  write_file (p2027, "[calendar]\nyear=2027\n[holidays]\n2027-01-01=元旦\n");
  write_file (p2025, "[calendar]\nyear=2025\n[holidays]\n2025-12-31=test\n");
  write_file (tmpl, "user template\n");

  reference = pt_reference_load_default (&error);
  g_assert_no_error (error);
  g_assert_true (pt_calendar_has_year (reference->calendar, 2024));
  g_assert_true (pt_calendar_has_year (reference->calendar, 2027));
  g_assert_true (pt_calendar_is_working_day (reference->calendar, "2027-01-04", &working, &error));
  g_assert_true (working);

  /* The user's 2025 replaced the shipped one: no 国庆节 any more. */
  g_assert_true (pt_calendar_is_working_day (reference->calendar, "2025-10-06", &working, &error));
  g_assert_true (working);
  g_assert_true (pt_calendar_is_working_day (reference->calendar, "2025-12-31", &working, &error));
  g_assert_false (working);

  g_assert_cmpuint (pt_catalog_get_n_items (reference->catalog), >=, 36);
  due = pt_calendar_add_working_days (reference->calendar, "2026-12-31", 1, &error);
  g_assert_cmpstr (due, ==, "2027-01-04");

  found = pt_reference_find_file (reference, "templates/agreement.tmpl");
  g_assert_cmpstr (found, ==, tmpl);
  g_free (found);
  found = pt_reference_find_file (reference, "calendar/2024.ini");
  g_assert_nonnull (found);
  g_assert_true (g_str_has_prefix (found, reference->data_dir));
  g_assert_null (pt_reference_find_file (reference, "no/such/file"));

  /* PAOTUAN_DATA_DIR comes before the user's folder: pointed at the shipped
   * data, its 2025.ini wins again, while 2027 still comes from the user. */
  g_clear_pointer (&reference, pt_reference_free);
  g_setenv ("PAOTUAN_DATA_DIR", source_data, TRUE);
  reference = pt_reference_load_default (&error);
  g_assert_no_error (error);
  g_assert_true (pt_calendar_is_working_day (reference->calendar, "2025-10-06", &working, &error));
  g_assert_false (working);
  g_assert_true (pt_calendar_has_year (reference->calendar, 2027));
}

static void
test_default_env_first (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtReference) reference = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pt-reference-XXXXXX", NULL);
  g_autofree char *catalog = g_build_filename (dir, "catalog.json", NULL);
  g_autofree char *district = g_build_filename (dir, "district.json", NULL);

  write_file (catalog, "{\"items\": [{\"code\": \"V-T-001\", \"name\": \"测试\", \"category\": \"证明开具\","
                       " \"department\": \"d\", \"level\": \"village\"}]}");
  write_file (district, "{\"units\": [{\"code\": \"9\", \"name\": \"区\", \"kind\": \"district\"}]}");
  g_setenv ("PAOTUAN_DATA_DIR", dir, TRUE);

  reference = pt_reference_load_default (&error);
  g_assert_no_error (error);
  g_assert_cmpuint (pt_catalog_get_n_items (reference->catalog), ==, 1);
  g_assert_cmpuint (pt_district_get_n_units (reference->district), ==, 1);
  g_assert_cmpstr (reference->data_dir, ==, dir);
  /* No calendar there: the shipped tables of the source tree still load. */
  g_assert_true (pt_calendar_has_year (reference->calendar, 2026));

  g_unlink (catalog);
  g_unlink (district);
  g_rmdir (dir);
}

static void
test_default_broken_env (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtReference) reference = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pt-reference-XXXXXX", NULL);
  g_autofree char *catalog = g_build_filename (dir, "catalog.json", NULL);

  write_file (catalog, "{ not json");
  g_setenv ("PAOTUAN_DATA_DIR", dir, TRUE);

  reference = pt_reference_load_default (&error);
  g_assert_null (reference);
  g_assert_error (error, PT_ERROR, PT_ERROR_DATA);
  g_assert_nonnull (strstr (error->message, catalog));

  g_unlink (catalog);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  source_data = g_getenv ("PAOTUAN_DATA_DIR");
  if (source_data == NULL)
    source_data = PT_SOURCE_DATA_DIR;
  source_data = g_strdup (source_data);

  g_test_add_func ("/rules/reference/load-dir", test_load_dir);
  g_test_add_func ("/rules/reference/load-dir-missing", test_load_dir_missing);
  g_test_add_func ("/rules/reference/default-user-calendar", test_default_user_calendar);
  g_test_add_func ("/rules/reference/default-env-first", test_default_env_first);
  g_test_add_func ("/rules/reference/default-broken-env", test_default_broken_env);

  return g_test_run ();
}
