/* test-centers.c: the service centers of the district data: the name,
 * address, hotline, opening hours and place that a unit's papers print. */
#include <string.h>

#include <glib.h>

#include "pt-district.h"
#include "pt-error.h"
#include "pt-json.h"
#include "pt-validate.h"

static PtDistrict *
shipped_district (void)
{
  PtDistrict *district = pt_district_new ();
  g_autofree char *path = g_build_filename (g_getenv ("PAOTUAN_DATA_DIR"), "district.json", NULL);
  g_autoptr(GError) error = NULL;

  if (!pt_district_load_file (district, path, &error))
    g_error ("%s", error->message);
  return district;
}

static void
test_shipped_centers (void)
{
  g_autoptr(PtDistrict) district = shipped_district ();
  g_autoptr(GHashTable) hotlines = g_hash_table_new (g_str_hash, g_str_equal);
  const PtUnit *unit;

  for (guint i = 0; i < pt_district_get_n_units (district); i++)
    {
      g_autoptr(GError) error = NULL;

      unit = pt_district_get_unit (district, i);
      if (unit->kind == PT_UNIT_DEPARTMENT)
        {
          /* A department's window is in the district center: no center of
           * its own, and its papers name the department. */
          g_assert_null (unit->center_name);
          g_assert_cmpstr (pt_unit_center_name (unit), ==, unit->name);
          continue;
        }
      if (unit->center_name == NULL || unit->hours == NULL || !unit->has_location)
        g_error ("%s has no service center, opening hours or place", unit->code);
      g_assert_cmpstr (pt_unit_center_name (unit), ==, unit->center_name);
      g_assert_true (unit->address != NULL && *unit->address != '\0');
      if (!pt_validate_phone (unit->hotline, &error))
        g_error ("%s: %s", unit->code, error->message);
      /* Each center has its own line: a village's applicant must not reach
       * the district when the notice says "call us". */
      if (!g_hash_table_add (hotlines, unit->hotline))
        g_error ("%s shares the hotline %s", unit->code, unit->hotline);
      g_assert_nonnull (strstr (unit->hours, "工作日"));
      /* Inside 博山区. */
      g_assert_cmpfloat (unit->latitude, >, 36.25);
      g_assert_cmpfloat (unit->latitude, <, 36.62);
      g_assert_cmpfloat (unit->longitude, >, 117.70);
      g_assert_cmpfloat (unit->longitude, <, 118.20);

      switch (unit->kind)
        {
        case PT_UNIT_DISTRICT:
          g_assert_cmpstr (unit->center_name, ==, "博山区政务服务中心");
          g_assert_cmpstr (unit->hotline, ==, "0533-4151890");
          break;
        case PT_UNIT_TOWN:
        case PT_UNIT_SUBDISTRICT:
          g_assert_true (g_str_has_suffix (unit->center_name, "便民服务中心"));
          g_assert_true (g_str_has_prefix (unit->center_name, unit->short_name));
          break;
        case PT_UNIT_VILLAGE:
        case PT_UNIT_COMMUNITY:
          g_assert_true (g_str_has_suffix (unit->center_name, "便民服务站"));
          g_assert_true (g_str_has_prefix (unit->center_name, unit->short_name));
          break;
        case PT_UNIT_DEPARTMENT:
        default:
          g_assert_not_reached ();
        }
    }

  unit = pt_district_lookup (district, "370304-YC-001");
  g_assert_cmpstr (unit->center_name, ==, "域城村便民服务站");
  g_assert_cmpstr (unit->name, ==, "域城镇域城村");
  unit = pt_district_lookup (district, "370304-YC");
  g_assert_cmpstr (unit->center_name, ==, "域城镇便民服务中心");
}

static void
test_broken_centers (void)
{
  static const struct {
    const char *unit;      /* members of the one unit, after code/name/kind */
    const char *message;   /* a part of the error */
  } cases[] = {
    { "\"center_name\": \"  \"", "empty “center_name”" },
    { "\"hotline\": \"12345\"", "hotline of the unit 370304" },
    { "\"latitude\": 36.5", "only one of “latitude” and “longitude”" },
    { "\"longitude\": 117.8", "only one of “latitude” and “longitude”" },
    { "\"latitude\": 136.5, \"longitude\": 117.8", "outside the globe" },
    { "\"latitude\": \"36.5\", \"longitude\": 117.8", "not a number" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PtDistrict) district = pt_district_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *json = g_strdup_printf ("{\"units\": [{\"code\": \"370304\", \"name\": \"博山区\","
                                               " \"kind\": \"district\", %s}]}", cases[i].unit);
      g_autoptr(JsonNode) root = pt_json_parse (json, -1, &error);

      g_assert_no_error (error);
      g_assert_false (pt_district_load_json (district, root, &error));
      g_assert_error (error, PT_ERROR, PT_ERROR_DATA);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("%s: “%s” does not say “%s”", cases[i].unit, error->message, cases[i].message);
    }

  /* Whole numbers are degrees too, and a center is optional. */
  {
    g_autoptr(PtDistrict) district = pt_district_new ();
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) root = pt_json_parse ("{\"units\": [{\"code\": \"370304\", \"name\": \"博山区\","
                                              " \"kind\": \"district\", \"latitude\": 36, \"longitude\": 118}]}",
                                              -1, &error);
    const PtUnit *unit;

    g_assert_true (pt_district_load_json (district, root, &error));
    g_assert_no_error (error);
    unit = pt_district_lookup (district, "370304");
    g_assert_true (unit->has_location);
    g_assert_cmpfloat (unit->latitude, ==, 36.0);
    g_assert_null (unit->center_name);
    g_assert_cmpstr (pt_unit_center_name (unit), ==, "博山区");
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rules/district/shipped-centers", test_shipped_centers);
  g_test_add_func ("/rules/district/broken-centers", test_broken_centers);
  return g_test_run ();
}
