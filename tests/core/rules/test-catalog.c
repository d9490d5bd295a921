/* test-catalog.c: the shipped service catalog and the scope rule. */
#include <string.h>

#include <glib.h>

#include "pt-catalog.h"
#include "pt-error.h"
#include "pt-json.h"

static PtCatalog *
shipped_catalog (void)
{
  PtCatalog *catalog = pt_catalog_new ();
  g_autofree char *path = g_build_filename (g_getenv ("PAOTUAN_DATA_DIR"), "catalog.json", NULL);
  g_autoptr(GError) error = NULL;

  if (!pt_catalog_load_file (catalog, path, &error))
    g_error ("%s", error->message);
  return catalog;
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
  g_autoptr(PtCatalog) catalog = shipped_catalog ();
  guint per_level[3] = { 0, 0, 0 };
  guint with_fees = 0;
  const char *village_categories[] = { "医疗计生", "农业生产", "民政救助", "人社保障", "证明开具", "费用代缴" };

  g_assert_cmpuint (pt_catalog_get_n_items (catalog), >=, 36);

  for (guint i = 0; i < pt_catalog_get_n_items (catalog); i++)
    {
      const PtCatalogItem *item = pt_catalog_get_item (catalog, i);

      per_level[item->level]++;
      g_assert_true (pt_catalog_lookup (catalog, item->code) == item);
      g_assert_cmpuint (item->materials->len, >, 0);
      g_assert_cmpuint (item->limit_days, <=, 45);
      for (guint j = 0; j < item->fees->len; j++)
        {
          const PtCatalogFee *fee = g_ptr_array_index (item->fees, j);

          g_assert_true (fee->basis != NULL && *fee->basis != '\0');
          g_assert_cmpint (fee->amount_fen, >=, 0);
        }
      if (item->fees->len > 0)
        with_fees++;
    }

  g_assert_cmpuint (per_level[PT_LEVEL_DISTRICT], >=, 12);
  g_assert_cmpuint (per_level[PT_LEVEL_TOWN], >=, 8);
  g_assert_cmpuint (per_level[PT_LEVEL_VILLAGE], >=, 12);
  /* Seed §二(二): the service is free; only a few items carry statutory fees. */
  g_assert_cmpuint (with_fees, >, 0);
  g_assert_cmpuint (with_fees, <, pt_catalog_get_n_items (catalog) / 4);

  for (guint i = 0; i < G_N_ELEMENTS (village_categories); i++)
    {
      g_autoptr(GPtrArray) found = pt_catalog_search (catalog, village_categories[i]);

      g_assert_cmpuint (found->len, >, 0);
      for (guint j = 0; j < found->len; j++)
        g_assert_cmpint (((const PtCatalogItem *) g_ptr_array_index (found, j))->level, ==, PT_LEVEL_VILLAGE);
    }
}

static void
test_lookup_and_fees (void)
{
  g_autoptr(PtCatalog) catalog = shipped_catalog ();
  const PtCatalogItem *item;
  const PtCatalogFee *fee;
  const PtCatalogMaterial *material;

  item = pt_catalog_lookup (catalog, "D-ZRZY-001");
  g_assert_nonnull (item);
  g_assert_cmpstr (item->name, ==, "建设项目用地预审与选址意见书");
  g_assert_cmpstr (item->department, ==, "区自然资源局");
  g_assert_cmpint (item->level, ==, PT_LEVEL_DISTRICT);
  g_assert_cmpuint (item->limit_days, ==, 20);
  g_assert_false (item->in_person);
  g_assert_cmpuint (item->fees->len, ==, 0);

  item = pt_catalog_lookup (catalog, "D-ZRZY-005");
  g_assert_nonnull (item);
  g_assert_cmpuint (item->fees->len, ==, 1);
  fee = g_ptr_array_index (item->fees, 0);
  g_assert_cmpint (fee->amount_fen, ==, 8000);   /* 80 元 per residential registration */
  g_assert_nonnull (strstr (fee->basis, "不动产登记收费标准"));

  item = pt_catalog_lookup (catalog, "V-MZJ-001");
  g_assert_nonnull (item);
  g_assert_cmpstr (item->name, ==, "最低生活保障申请");
  material = g_ptr_array_index (item->materials, 0);
  g_assert_true (material->original);
  g_assert_cmpuint (material->count, ==, 1);

  g_assert_null (pt_catalog_lookup (catalog, "D-NOPE-999"));
  g_assert_null (pt_catalog_lookup (catalog, NULL));
}

static void
test_search (void)
{
  g_autoptr(PtCatalog) catalog = shipped_catalog ();
  g_autoptr(GPtrArray) by_name = pt_catalog_search (catalog, "宅基地");
  g_autoptr(GPtrArray) by_code = pt_catalog_search (catalog, "d-zrzy");
  g_autoptr(GPtrArray) by_dept = pt_catalog_search (catalog, "区民政局");
  g_autoptr(GPtrArray) all = pt_catalog_search (catalog, "");
  g_autoptr(GPtrArray) none = pt_catalog_search (catalog, "结婚登记");

  g_assert_cmpuint (by_name->len, ==, 1);
  g_assert_cmpstr (((const PtCatalogItem *) g_ptr_array_index (by_name, 0))->code, ==, "T-NYNC-001");
  g_assert_cmpuint (by_code->len, >=, 4);
  g_assert_cmpuint (by_dept->len, >=, 4);
  g_assert_cmpuint (all->len, ==, pt_catalog_get_n_items (catalog));
  g_assert_cmpuint (none->len, ==, 0);   /* marriage registration is not ours */
}

static void
assert_scope (PtCatalog  *catalog,
              const char *code,
              PtLevel     desk,
              gboolean    allowed,
              PtLevel     right,
              const char *needle)
{
  const PtCatalogItem *item = pt_catalog_lookup (catalog, code);
  g_autoptr(GError) error = NULL;
  PtLevel got = (PtLevel) 99;

  g_assert_nonnull (item);
  if (allowed)
    {
      g_assert_true (pt_catalog_check_scope (item, desk, &got, &error));
      g_assert_no_error (error);
      g_assert_cmpint (got, ==, 99);
      return;
    }
  g_assert_false (pt_catalog_check_scope (item, desk, &got, &error));
  g_assert_error (error, PT_ERROR, PT_ERROR_FORBIDDEN);
  g_assert_cmpint (got, ==, right);
  if (strstr (error->message, needle) == NULL)
    g_error ("“%s” not in “%s”", needle, error->message);
  g_assert_nonnull (strstr (error->message, item->name));
}

static void
test_scope (void)
{
  g_autoptr(PtCatalog) catalog = shipped_catalog ();

  /* Each desk takes its own level. */
  assert_scope (catalog, "D-ZJJ-001", PT_LEVEL_DISTRICT, TRUE, 0, NULL);
  assert_scope (catalog, "T-NYNC-001", PT_LEVEL_TOWN, TRUE, 0, NULL);
  assert_scope (catalog, "V-MZJ-001", PT_LEVEL_VILLAGE, TRUE, 0, NULL);

  /* The district desk also takes town items, in-person ones included. */
  assert_scope (catalog, "T-SCJG-001", PT_LEVEL_DISTRICT, TRUE, 0, NULL);
  assert_scope (catalog, "T-RSJ-002", PT_LEVEL_DISTRICT, TRUE, 0, NULL);
  assert_scope (catalog, "T-RSJ-002", PT_LEVEL_TOWN, TRUE, 0, NULL);

  /* Higher-level items are transferred up, with the level named. */
  assert_scope (catalog, "D-ZJJ-001", PT_LEVEL_TOWN, FALSE, PT_LEVEL_DISTRICT,
                "handled at the district level: transfer it to the district service center");
  assert_scope (catalog, "D-STHJ-001", PT_LEVEL_VILLAGE, FALSE, PT_LEVEL_DISTRICT, "district level");
  assert_scope (catalog, "T-NYNC-001", PT_LEVEL_VILLAGE, FALSE, PT_LEVEL_TOWN,
                "handled at the town level");

  /* Village items stay in the village. */
  assert_scope (catalog, "V-MZJ-001", PT_LEVEL_TOWN, FALSE, PT_LEVEL_VILLAGE, "village level");
  assert_scope (catalog, "V-CWH-001", PT_LEVEL_DISTRICT, FALSE, PT_LEVEL_VILLAGE,
                "village (community) service station");

  /* A village desk never takes an item the applicant must attend. */
  assert_scope (catalog, "T-RSJ-002", PT_LEVEL_VILLAGE, FALSE, PT_LEVEL_TOWN,
                "needs the applicant in person");
  assert_scope (catalog, "T-CLJ-001", PT_LEVEL_VILLAGE, FALSE, PT_LEVEL_TOWN,
                "must go to the town (subdistrict) service center");

  /* right_level and error may be NULL. */
  g_assert_false (pt_catalog_check_scope (pt_catalog_lookup (catalog, "D-ZJJ-001"),
                                          PT_LEVEL_VILLAGE, NULL, NULL));
}

static void
test_in_person_district_item (void)
{
  g_autoptr(PtCatalog) catalog = pt_catalog_new ();
  g_autoptr(JsonNode) root = parse ("{\"items\": [{\"code\": \"D-X-001\", \"name\": \"现场核验\","
                                    " \"category\": \"c\", \"department\": \"d\", \"level\": \"district\","
                                    " \"limit_days\": 5, \"in_person\": true}]}");
  g_autoptr(GError) error = NULL;
  PtLevel right;

  g_assert_true (pt_catalog_load_json (catalog, root, &error));
  g_assert_false (pt_catalog_check_scope (pt_catalog_lookup (catalog, "D-X-001"),
                                          PT_LEVEL_VILLAGE, &right, &error));
  g_assert_cmpint (right, ==, PT_LEVEL_DISTRICT);
  g_assert_nonnull (strstr (error->message, "district service center"));
}

static void
test_broken (void)
{
  struct { const char *json; const char *needle; } cases[] = {
    { "[]", "“items” list" },
    { "{\"items\": {}}", "“items” list" },
    { "{\"items\": [1]}", "not an object" },
    { "{\"items\": [{\"name\": \"x\"}]}", "no “code”" },
    { "{\"items\": [{\"code\": \"D-A-1\", \"category\": \"c\", \"department\": \"d\", \"level\": \"district\"}]}", "no “name”" },
    { "{\"items\": [{\"code\": \"D-A-1\", \"name\": \"n\", \"category\": \"c\", \"department\": \"d\", \"level\": \"city\"}]}", "use district, town or village" },
    { "{\"items\": [{\"code\": \"T-A-1\", \"name\": \"n\", \"category\": \"c\", \"department\": \"d\", \"level\": \"district\"}]}", "must start with “D-”" },
    { "{\"items\": [{\"code\": \"D-A-1\", \"name\": \"n\", \"category\": \"c\", \"department\": \"d\", \"level\": \"district\", \"limit_days\": -1}]}", "whole number" },
    { "{\"items\": [{\"code\": \"D-A-1\", \"name\": \"n\", \"category\": \"c\", \"department\": \"d\", \"level\": \"district\", \"in_person\": \"yes\"}]}", "true or false" },
    { "{\"items\": [{\"code\": \"V-A-1\", \"name\": \"n\", \"category\": \"c\", \"department\": \"d\", \"level\": \"village\", \"in_person\": true}]}", "make it a town item" },
    { "{\"items\": [{\"code\": \"D-A-1\", \"name\": \"n\", \"category\": \"c\", \"department\": \"d\", \"level\": \"district\", \"materials\": [{\"original\": true}]}]}", "no “name”" },
    { "{\"items\": [{\"code\": \"D-A-1\", \"name\": \"n\", \"category\": \"c\", \"department\": \"d\", \"level\": \"district\", \"materials\": [{\"name\": \"m\", \"count\": 0}]}]}", "at least 1" },
    { "{\"items\": [{\"code\": \"D-A-1\", \"name\": \"n\", \"category\": \"c\", \"department\": \"d\", \"level\": \"district\", \"fees\": [{\"name\": \"f\", \"amount_fen\": 100}]}]}", "no “basis”" },
    { "{\"items\": [{\"code\": \"D-A-1\", \"name\": \"n\", \"category\": \"c\", \"department\": \"d\", \"level\": \"district\"},"
      " {\"code\": \"D-A-1\", \"name\": \"n\", \"category\": \"c\", \"department\": \"d\", \"level\": \"district\"}]}", "twice" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PtCatalog) catalog = shipped_catalog ();
      g_autoptr(JsonNode) root = parse (cases[i].json);
      g_autoptr(GError) error = NULL;
      guint before = pt_catalog_get_n_items (catalog);

      g_assert_false (pt_catalog_load_json (catalog, root, &error));
      g_assert_error (error, PT_ERROR, PT_ERROR_DATA);
      if (strstr (error->message, cases[i].needle) == NULL)
        g_error ("case %u: “%s” not in “%s”", i, cases[i].needle, error->message);
      /* A broken update leaves the catalog as it was. */
      g_assert_cmpuint (pt_catalog_get_n_items (catalog), ==, before);
    }
}

static void
test_update_replaces (void)
{
  g_autoptr(PtCatalog) catalog = shipped_catalog ();
  g_autoptr(JsonNode) root = parse ("{\"items\": ["
                                    "{\"code\": \"D-ZRZY-001\", \"name\": \"新名称\", \"category\": \"重大产业项目\","
                                    " \"department\": \"区自然资源局\", \"level\": \"district\", \"limit_days\": 15},"
                                    "{\"code\": \"V-NEW-001\", \"name\": \"新事项\", \"category\": \"证明开具\","
                                    " \"department\": \"村（居）民委员会\", \"level\": \"village\"}]}");
  g_autoptr(GError) error = NULL;
  guint before = pt_catalog_get_n_items (catalog);
  const PtCatalogItem *item;

  g_assert_true (pt_catalog_load_json (catalog, root, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pt_catalog_get_n_items (catalog), ==, before + 1);
  item = pt_catalog_lookup (catalog, "D-ZRZY-001");
  g_assert_cmpstr (item->name, ==, "新名称");
  g_assert_cmpuint (item->limit_days, ==, 15);
  g_assert_cmpuint (item->materials->len, ==, 0);
  item = pt_catalog_lookup (catalog, "V-NEW-001");
  g_assert_nonnull (item);
  g_assert_true (pt_catalog_get_item (catalog, before) == item);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("PAOTUAN_DATA_DIR") == NULL)
    g_setenv ("PAOTUAN_DATA_DIR", PT_SOURCE_DATA_DIR, TRUE);

  g_test_add_func ("/rules/catalog/shipped", test_shipped);
  g_test_add_func ("/rules/catalog/lookup-and-fees", test_lookup_and_fees);
  g_test_add_func ("/rules/catalog/search", test_search);
  g_test_add_func ("/rules/catalog/scope", test_scope);
  g_test_add_func ("/rules/catalog/in-person-district-item", test_in_person_district_item);
  g_test_add_func ("/rules/catalog/broken", test_broken);
  g_test_add_func ("/rules/catalog/update-replaces", test_update_replaces);

  return g_test_run ();
}
