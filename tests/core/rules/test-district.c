/* test-district.c: the shipped district structure and the runner quotas. */
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

/* The project's own parser: the loaders are fed what pt_json_parse () makes. */
static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root = pt_json_parse (json, -1, &error);

  g_assert_no_error (error);
  return root;
}

static void
test_shipped (void)
{
  g_autoptr(PtDistrict) district = shipped_district ();
  const char *towns[] = { "370304-CD", "370304-CX", "370304-ST", "370304-YC", "370304-BT",
                          "370304-BD", "370304-SM", "370304-YQ", "370304-CS", "370304-BS" };
  guint n_departments = 0;
  const PtUnit *root;

  root = pt_district_lookup (district, "370304");
  g_assert_nonnull (root);
  g_assert_cmpint (root->kind, ==, PT_UNIT_DISTRICT);
  g_assert_cmpint (root->level, ==, PT_LEVEL_DISTRICT);
  g_assert_null (root->parent);
  g_assert_cmpstr (root->hotline, ==, "0533-4151890");

  for (guint i = 0; i < G_N_ELEMENTS (towns); i++)
    {
      const PtUnit *town = pt_district_lookup (district, towns[i]);
      guint n_below = 0;

      g_assert_nonnull (town);
      g_assert_cmpint (town->level, ==, PT_LEVEL_TOWN);
      g_assert_cmpint (town->kind, ==, i < 3 ? PT_UNIT_SUBDISTRICT : PT_UNIT_TOWN);
      g_assert_cmpstr (town->parent, ==, "370304");

      for (guint j = 0; j < pt_district_get_n_units (district); j++)
        {
          const PtUnit *unit = pt_district_get_unit (district, j);

          if (g_strcmp0 (unit->parent, towns[i]) == 0)
            {
              g_autofree char *prefix = g_strconcat (towns[i], "-", NULL);

              n_below++;
              g_assert_cmpint (unit->level, ==, PT_LEVEL_VILLAGE);
              g_assert_true (g_str_has_prefix (unit->code, prefix));
            }
        }
      g_assert_cmpuint (n_below, >=, 3);
      g_assert_cmpuint (n_below, <=, 5);
    }
  g_assert_cmpstr (pt_district_lookup (district, "370304-CD")->short_name, ==, "城东街道");
  g_assert_cmpstr (pt_district_lookup (district, "370304-YC")->short_name, ==, "域城镇");

  /* Every unit has an address and a hotline a person can dial. */
  for (guint j = 0; j < pt_district_get_n_units (district); j++)
    {
      const PtUnit *unit = pt_district_get_unit (district, j);
      g_autoptr(GError) error = NULL;

      g_assert_true (unit->address != NULL && *unit->address != '\0');
      if (!pt_validate_phone (unit->hotline, &error))
        g_error ("%s: %s", unit->code, error->message);
      if (unit->kind == PT_UNIT_DEPARTMENT)
        n_departments++;
    }
  g_assert_cmpuint (n_departments, >=, 12);
  g_assert_cmpstr (pt_district_lookup (district, "370304-ZRZY")->short_name, ==, "区自然资源局");
  g_assert_null (pt_district_lookup (district, "370304-XX"));
  g_assert_null (pt_district_lookup (district, NULL));
}

/* A case goes up or down the tree, never sideways, never to a department;
 * the list of targets starts with the unit's own parent. */
static void
test_transfer (void)
{
  g_autoptr(PtDistrict) district = shipped_district ();
  struct { const char *desk, *from, *to; gboolean ok; const char *says; } cases[] = {
    { NULL, "370304-YC-001", "370304-YC", TRUE, NULL },        /* village → its town */
    { NULL, "370304-YC-001", "370304", TRUE, NULL },           /* village → the district */
    { NULL, "370304-YC", "370304-YC-001", TRUE, NULL },        /* town → its village */
    { NULL, "370304", "370304-YC-002", TRUE, NULL },           /* district → a village */
    { NULL, "370304-YC-001", "370304-YC-002", FALSE, "not sideways" },
    { NULL, "370304-YC", "370304-CD", FALSE, "not sideways" },
    { NULL, "370304-YC", "370304-CD-001", FALSE, "not sideways" },
    /* The town's desk passes a village's case to another of its villages,
     * not to another town's. */
    { "370304-YC", "370304-YC-001", "370304-YC-002", TRUE, NULL },
    { "370304-YC", "370304-YC-001", "370304-CD-001", FALSE, "not sideways" },
    { "370304-YC-001", "370304-YC-001", "370304-YC-002", FALSE, "not sideways" },
    { NULL, "370304-YC-001", "370304-MZJ", FALSE, "approval department" },
    { NULL, "370304-YC-001", "370304-YC-001", FALSE, "already with" },
    { NULL, "370304-YC-001", "370304-NOPE", FALSE, "no unit" },
  };
  g_autoptr(GPtrArray) village = pt_district_transfer_targets (district, NULL, "370304-YC-001");
  g_autoptr(GPtrArray) town = pt_district_transfer_targets (district, NULL, "370304-YC");
  g_autoptr(GPtrArray) town_desk = pt_district_transfer_targets (district, "370304-YC", "370304-YC-001");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = pt_district_transfer_allowed (district, cases[i].desk, cases[i].from, cases[i].to, &error);

      if (ok != cases[i].ok)
        g_error ("%s → %s: %s", cases[i].from, cases[i].to, error ? error->message : "allowed");
      if (!ok)
        g_assert_nonnull (strstr (error->message, cases[i].says));
    }
  /* A village: its town, then the district; nothing below it. */
  g_assert_cmpuint (village->len, ==, 2);
  g_assert_cmpstr (((const PtUnit *) village->pdata[0])->code, ==, "370304-YC");
  g_assert_cmpstr (((const PtUnit *) village->pdata[1])->code, ==, "370304");
  /* A town: the district first, then its own villages only. */
  g_assert_cmpuint (town->len, >, 2);
  g_assert_cmpstr (((const PtUnit *) town->pdata[0])->code, ==, "370304");
  for (guint i = 1; i < town->len; i++)
    g_assert_true (g_str_has_prefix (((const PtUnit *) town->pdata[i])->code, "370304-YC-"));
  /* The town's desk, a case of its village: up to the town and the
   * district, or to its other villages. */
  g_assert_cmpuint (town_desk->len, ==, town->len);
  g_assert_cmpstr (((const PtUnit *) town_desk->pdata[0])->code, ==, "370304-YC");
  for (guint i = 2; i < town_desk->len; i++)
    {
      g_assert_true (g_str_has_prefix (((const PtUnit *) town_desk->pdata[i])->code, "370304-YC-"));
      g_assert_cmpstr (((const PtUnit *) town_desk->pdata[i])->code, !=, "370304-YC-001");
    }
}

static void
test_within (void)
{
  g_autoptr(PtDistrict) district = shipped_district ();

  g_assert_true (pt_district_is_within (district, "370304-YC-001", "370304-YC"));
  g_assert_true (pt_district_is_within (district, "370304-YC-001", "370304"));
  g_assert_true (pt_district_is_within (district, "370304-YC", "370304-YC"));
  g_assert_true (pt_district_is_within (district, "370304-ZRZY", "370304"));
  g_assert_false (pt_district_is_within (district, "370304-YC-001", "370304-BT"));
  g_assert_false (pt_district_is_within (district, "370304-YC", "370304-YC-001"));
  g_assert_false (pt_district_is_within (district, "370304", "370304-YC"));
  g_assert_false (pt_district_is_within (district, "370304-NOPE-1", "370304"));
  g_assert_false (pt_district_is_within (district, NULL, "370304"));
}

static void
test_min_runners (void)
{
  g_autoptr(PtDistrict) district = shipped_district ();

  /* Seed §三(二): one per department, two per town, at least two per village. */
  g_assert_cmpuint (pt_unit_min_runners (pt_district_lookup (district, "370304")), ==, 0);
  g_assert_cmpuint (pt_unit_min_runners (pt_district_lookup (district, "370304-FGJ")), ==, 1);
  g_assert_cmpuint (pt_unit_min_runners (pt_district_lookup (district, "370304-YC")), ==, 2);
  g_assert_cmpuint (pt_unit_min_runners (pt_district_lookup (district, "370304-CD")), ==, 2);
  g_assert_cmpuint (pt_unit_min_runners (pt_district_lookup (district, "370304-YC-001")), ==, 2);
  g_assert_cmpuint (pt_unit_min_runners (pt_district_lookup (district, "370304-CD-001")), ==, 2);

  g_assert_cmpstr (pt_unit_kind_to_string (PT_UNIT_SUBDISTRICT), ==, "subdistrict");
  g_assert_cmpstr (pt_unit_kind_to_string (PT_UNIT_COMMUNITY), ==, "community");
}

static void
test_broken (void)
{
  struct { const char *json; const char *needle; } cases[] = {
    { "{}", "“units” list" },
    { "{\"units\": [{\"name\": \"x\", \"kind\": \"district\"}]}", "no “code”" },
    { "{\"units\": [{\"code\": \"1\", \"name\": \"x\", \"kind\": \"city\"}]}", "use district, department" },
    { "{\"units\": [{\"code\": \"1\", \"name\": \"x\", \"kind\": \"town\"}]}", "has no parent" },
    { "{\"units\": [{\"code\": \"1\", \"name\": \"x\", \"kind\": \"district\", \"parent\": \"0\"}]}", "cannot have a parent" },
    { "{\"units\": [{\"code\": \"1\", \"name\": \"x\", \"kind\": \"district\", \"level\": \"town\"}]}", "its level is district" },
    { "{\"units\": [{\"code\": \"1\", \"name\": \"x\", \"kind\": \"district\"},"
      " {\"code\": \"1-A\", \"name\": \"y\", \"kind\": \"village\", \"parent\": \"1\"}]}", "cannot be under 1" },
    { "{\"units\": [{\"code\": \"1\", \"name\": \"x\", \"kind\": \"district\"},"
      " {\"code\": \"1-A\", \"name\": \"y\", \"kind\": \"town\", \"parent\": \"2\"}]}", "not in the district file" },
    { "{\"units\": [{\"code\": \"1\", \"name\": \"x\", \"kind\": \"district\"},"
      " {\"code\": \"1\", \"name\": \"y\", \"kind\": \"district\"}]}", "twice" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PtDistrict) district = shipped_district ();
      g_autoptr(JsonNode) root = parse (cases[i].json);
      g_autoptr(GError) error = NULL;
      guint before = pt_district_get_n_units (district);

      g_assert_false (pt_district_load_json (district, root, &error));
      g_assert_error (error, PT_ERROR, PT_ERROR_DATA);
      if (strstr (error->message, cases[i].needle) == NULL)
        g_error ("case %u: “%s” not in “%s”", i, cases[i].needle, error->message);
      g_assert_cmpuint (pt_district_get_n_units (district), ==, before);
    }
}

static void
test_children_before_parents (void)
{
  g_autoptr(PtDistrict) district = pt_district_new ();
  g_autoptr(JsonNode) root = parse ("{\"units\": ["
                                    "{\"code\": \"9-A-001\", \"name\": \"村\", \"kind\": \"village\", \"parent\": \"9-A\"},"
                                    "{\"code\": \"9-A\", \"name\": \"镇\", \"kind\": \"town\", \"parent\": \"9\"},"
                                    "{\"code\": \"9\", \"name\": \"区\", \"kind\": \"district\"}]}");
  g_autoptr(GError) error = NULL;

  g_assert_true (pt_district_load_json (district, root, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pt_district_get_n_units (district), ==, 3);
  g_assert_cmpstr (pt_district_lookup (district, "9-A-001")->short_name, ==, "村");
  g_assert_true (pt_district_is_within (district, "9-A-001", "9"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("PAOTUAN_DATA_DIR") == NULL)
    g_setenv ("PAOTUAN_DATA_DIR", PT_SOURCE_DATA_DIR, TRUE);

  g_test_add_func ("/rules/district/shipped", test_shipped);
  g_test_add_func ("/rules/district/within", test_within);
  g_test_add_func ("/rules/district/transfer", test_transfer);
  g_test_add_func ("/rules/district/min-runners", test_min_runners);
  g_test_add_func ("/rules/district/broken", test_broken);
  g_test_add_func ("/rules/district/children-before-parents", test_children_before_parents);

  return g_test_run ();
}
