/* test-roster.c: the district's roster of runners (runners.json) and the
 * desk's runners table it fills. */
#include <string.h>

#include "pt-error.h"
#include "pt-json.h"
#include "pt-roster.h"
#include "pt-store-runners.h"
#include "pt-store-sync.h"
#include "test-support.h"

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root = pt_json_parse (text, -1, &error);

  g_assert_no_error (error);
  return root;
}

static void
test_checked (void)
{
  PtDistrict *district = test_reference ()->district;
  static const struct {
    const char *id, *name, *unit, *phone, *message;
  } bad[] = {
    { "0001", "王桂兰", "370304", "13853300101", "runner id “0001”" },
    { "R-12", "王桂兰", "370304", "13853300101", "runner id “R-12”" },
    { "R-0001", "  ", "370304", "13853300101", "has no name" },
    { "R-0001", "王桂兰王桂兰王桂兰王桂兰王桂兰王桂兰王桂兰王桂兰王桂兰王桂兰王桂兰", "370304",
      "13853300101", "longer than 32" },
    { "R-0001", "王桂兰", "370304-XX", "13853300101", "unit “370304-XX”" },
    { "R-0001", "王桂兰", "370304", "12345", "phone of the runner R-0001" },
    { "R-0001", "王桂兰", "370304", NULL, "phone of the runner R-0001" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(PtRunner) runner = NULL;

  /* Pasted from a spreadsheet: spaces and full-width digits. */
  runner = pt_runner_new_checked (" R-0123 ", " 亓秀英 ", "370304-YC-001", "BS1123",
                                  "１３８ ５３３０ ０１２３", TRUE, district, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (runner->id, ==, "R-0123");
  g_assert_cmpstr (runner->name, ==, "亓秀英");
  g_assert_cmpstr (runner->phone, ==, "13853300123");
  g_assert_true (runner->active);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(PtRunner) r = pt_runner_new_checked (bad[i].id, bad[i].name, bad[i].unit, NULL,
                                                     bad[i].phone, TRUE, district, &error);
      g_assert_null (r);
      g_assert_error (error, PT_ERROR, PT_ERROR_INVALID);
      if (strstr (error->message, bad[i].message) == NULL)
        g_error ("“%s” does not say “%s”", error->message, bad[i].message);
      g_clear_error (&error);
    }
}

static void
test_parse (void)
{
  PtDistrict *district = test_reference ()->district;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = parse (
    "{\"version\": 1, \"runners\": ["
    " {\"id\": \"R-0002\", \"name\": \"翟德胜\", \"unit\": \"370304-YC-001\", \"phone\": \"138 5330 0102\","
    "  \"on_duty\": false},"
    " {\"id\": \"R-0001\", \"name\": \"亓秀英\", \"unit\": \"370304-YC-001\", \"staff_number\": \"BS1101\","
    "  \"phone\": \"13853300101\"}]}");
  g_autoptr(GPtrArray) runners = pt_roster_parse (root, district, &error);
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;
  g_autoptr(JsonNode) reparsed = NULL;
  g_autoptr(GPtrArray) copy = NULL;
  g_autofree char *next = NULL;
  static const struct {
    const char *json, *message;
  } broken[] = {
    { "[]", "“runners” list" },
    { "{\"runners\": {}}", "“runners” list" },
    { "{\"runners\": [1]}", "Runner 1 of the roster is not an object" },
    { "{\"runners\": [{\"id\": 7}]}", "“id” that is not text" },
    { "{\"runners\": [{\"id\": \"R-0001\", \"name\": \"王\", \"unit\": \"370304\", \"phone\": \"13853300101\","
      " \"on_duty\": \"yes\"}]}", "“on_duty” that is not true or false" },
    { "{\"runners\": [{\"id\": \"R-0001\", \"name\": \"王\", \"unit\": \"370304-XX\", \"phone\": \"13853300101\"}]}",
      "Runner 1 of the roster: The runner R-0001 belongs to the unit" },
    { "{\"runners\": [{\"id\": \"R-0001\", \"name\": \"王\", \"unit\": \"370304\", \"phone\": \"13853300101\"},"
      " {\"id\": \"R-0001\", \"name\": \"李\", \"unit\": \"370304\", \"phone\": \"13853300102\"}]}",
      "the runner R-0001 twice" },
  };

  g_assert_no_error (error);
  g_assert_cmpuint (runners->len, ==, 2);
  /* Sorted by id, on duty unless it says otherwise, phones in canonical form. */
  g_assert_cmpstr (((PtRunner *) runners->pdata[0])->id, ==, "R-0001");
  g_assert_true (((PtRunner *) runners->pdata[0])->active);
  g_assert_cmpstr (((PtRunner *) runners->pdata[0])->staff_number, ==, "BS1101");
  g_assert_false (((PtRunner *) runners->pdata[1])->active);
  g_assert_cmpstr (((PtRunner *) runners->pdata[1])->phone, ==, "13853300102");
  g_assert_cmpuint (pt_roster_count_on_duty (runners, "370304-YC-001"), ==, 1);
  g_assert_cmpuint (pt_roster_count_on_duty (runners, "370304-YC-002"), ==, 0);
  next = pt_roster_next_id (runners);
  g_assert_cmpstr (next, ==, "R-0003");

  /* The same roster in another order gives the same bytes, and reads back. */
  text = pt_roster_to_json (runners);
  copy = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_runner_free);
  g_ptr_array_add (copy, pt_runner_copy (runners->pdata[1]));
  g_ptr_array_add (copy, pt_runner_copy (runners->pdata[0]));
  again = pt_roster_to_json (copy);
  g_assert_cmpstr (text, ==, again);
  g_assert_nonnull (strstr (text, "\"name\" : \"翟德胜\""));
  reparsed = parse (text);
  g_clear_pointer (&copy, g_ptr_array_unref);
  copy = pt_roster_parse (reparsed, district, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (copy->len, ==, 2);

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autoptr(JsonNode) node = parse (broken[i].json);
      g_autoptr(GPtrArray) none = pt_roster_parse (node, district, &error);

      g_assert_null (none);
      g_assert_error (error, PT_ERROR, PT_ERROR_DATA);
      if (strstr (error->message, broken[i].message) == NULL)
        g_error ("%s: “%s” does not say “%s”", broken[i].json, error->message, broken[i].message);
      g_clear_error (&error);
    }
}

static void
add_local (PtStore    *store,
           const char *id,
           const char *name)
{
  PtRunner runner = { (char *) id, (char *) name, (char *) "370304-YC-001", NULL,
                      (char *) "13800000000", TRUE };
  g_autoptr(GError) error = NULL;

  g_assert_true (pt_store_add_runner (store, &runner, &error));
  g_assert_no_error (error);
}

static void
append (PtStore     *store,
        const char  *case_id,
        PtEventType  type,
        const char  *payload,
        const char  *author)
{
  g_autoptr(PtEvent) event = pt_store_new_event (store, case_id, type, test_json (payload), author);
  g_autoptr(GError) error = NULL;

  g_assert_true (pt_store_append (store, event, &error));
  g_assert_no_error (error);
}

static PtRunner *
runner_of (PtStore    *store,
           const char *id)
{
  return pt_store_get_runner (store, id, NULL);
}

static GPtrArray *
roster (const char *json)
{
  g_autoptr(JsonNode) root = parse (json);
  g_autoptr(GError) error = NULL;
  GPtrArray *runners = pt_roster_parse (root, NULL, &error);

  g_assert_no_error (error);
  return runners;
}

static void
test_replace (void)
{
  g_autofree char *dir = NULL;
  PtStore *store = test_store_new ("370304-YC-001", &dir);
  g_autoptr(JsonObject) request = test_person_intake ("苏刚");
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  g_autofree char *case_id = NULL;
  g_autoptr(GPtrArray) first = roster (
    "{\"runners\": ["
    " {\"id\": \"R-0101\", \"name\": \"亓秀英\", \"unit\": \"370304-YC-001\", \"phone\": \"13853300101\"},"
    " {\"id\": \"R-0102\", \"name\": \"翟德胜\", \"unit\": \"370304-YC-001\", \"phone\": \"13853300102\","
    "  \"on_duty\": false},"
    " {\"id\": \"R-0103\", \"name\": \"毕学文\", \"unit\": \"370399-ZZ-001\", \"phone\": \"13853300103\"}]}");
  g_autoptr(GPtrArray) second = roster (
    "{\"runners\": ["
    " {\"id\": \"R-0101\", \"name\": \"亓秀英\", \"unit\": \"370304-YC-001\", \"phone\": \"13853300109\"},"
    " {\"id\": \"R-0102\", \"name\": \"翟德胜\", \"unit\": \"370304-YC-001\", \"phone\": \"13853300102\","
    "  \"on_duty\": false}]}");
  PtRosterChange change = { 0 };
  PtCaseQuery query;
  g_autoptr(GPtrArray) rows = NULL;

  /* Runners made on this desk before it knew the roster: R-9001 handles a
   * case, R-9003 took its intake, R-9004 is signed in, R-9002 and R-0001
   * did nothing. */
  add_local (store, "R-0001", "王芳");
  add_local (store, "R-9001", "张跑手");
  add_local (store, "R-9002", "李跑手");
  add_local (store, "R-9003", "王跑手");
  add_local (store, "R-9004", "赵跑手");
  g_assert_true (pt_store_set_meta (store, "runner", "R-9004", &error));
  number = pt_store_create_case (store, request, "R-9003", &error);
  g_assert_no_error (error);
  case_id = pt_store_resolve_case (store, number, &error);
  append (store, case_id, PT_EVENT_AGREEMENT_SIGNED,
          "{\"digest\": \"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"}", "R-9003");
  append (store, case_id, PT_EVENT_RUNNER_ASSIGNED, "{\"runner\": \"R-9001\"}", "R-9003");

  g_assert_true (pt_store_replace_roster (store, first, &change, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (change.added, ==, 2);
  g_assert_cmpuint (change.updated, ==, 0);
  g_assert_cmpuint (change.retired, ==, 3);
  g_assert_cmpuint (change.removed, ==, 2);
  g_assert_cmpuint (change.skipped, ==, 1);
  {
    g_autoptr(PtRunner) r1 = runner_of (store, "R-0101");
    g_autoptr(PtRunner) r2 = runner_of (store, "R-0102");
    g_autoptr(PtRunner) idle = runner_of (store, "R-0001");
    g_autoptr(PtRunner) kept = runner_of (store, "R-9001");
    g_autoptr(PtRunner) author = runner_of (store, "R-9003");
    g_autoptr(PtRunner) signed_in = runner_of (store, "R-9004");
    g_autoptr(PtRunner) gone = runner_of (store, "R-9002");
    g_autoptr(PtRunner) skipped = runner_of (store, "R-0103");

    g_assert_true (r1 != NULL && r1->active);
    g_assert_true (r2 != NULL && !r2->active);
    g_assert_true (kept != NULL && !kept->active);
    g_assert_cmpstr (kept->name, ==, "张跑手");
    g_assert_true (author != NULL && !author->active);
    g_assert_true (signed_in != NULL && !signed_in->active);
    g_assert_null (gone);
    g_assert_null (idle);
    g_assert_null (skipped);
  }
  /* The case still shows its runner's name. */
  pt_case_query_init (&query);
  rows = pt_store_list_cases (store, &query, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (((PtCaseRow *) rows->pdata[0])->runner_name, ==, "张跑手");

  /* The same roster again changes nothing; a new phone is one update. */
  g_assert_true (pt_store_replace_roster (store, first, &change, &error));
  g_assert_cmpuint (change.added + change.updated + change.retired + change.removed, ==, 0);
  g_assert_true (pt_store_replace_roster (store, second, &change, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (change.updated, ==, 1);
  g_assert_cmpuint (change.added + change.retired + change.removed + change.skipped, ==, 0);
  {
    g_autoptr(PtRunner) r1 = runner_of (store, "R-0101");
    g_assert_cmpstr (r1->phone, ==, "13853300109");
  }

  pt_store_close (store);
  test_remove_dir (dir);
}

/* The roster arrives with the reference files of a sync, in their
 * transaction; a broken one changes nothing. */
static void
test_sync_reference (void)
{
  g_autofree char *dir = NULL;
  PtStore *store = test_store_new ("370304", &dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) files = json_object_new ();
  g_autoptr(JsonObject) broken = json_object_new ();
  g_autoptr(GPtrArray) runners = NULL;
  g_autofree char *version = NULL;

  json_object_set_string_member (files, "district.json", "{}");
  json_object_set_string_member (files, "runners.json",
    "{\"runners\": [{\"id\": \"R-0001\", \"name\": \"亓秀英\", \"unit\": \"370304-YC-001\","
    " \"phone\": \"13853300101\"}]}");
  g_assert_true (pt_store_sync_save_reference (store, "v1", files, &error));
  g_assert_no_error (error);
  runners = pt_store_list_runners (store, NULL, &error);
  g_assert_cmpuint (runners->len, ==, 1);
  g_assert_cmpstr (((PtRunner *) runners->pdata[0])->name, ==, "亓秀英");
  g_clear_pointer (&runners, g_ptr_array_unref);

  json_object_set_string_member (broken, "runners.json", "{\"runners\": [{\"id\": \"x\"}]}");
  g_assert_false (pt_store_sync_save_reference (store, "v2", broken, &error));
  g_assert_error (error, PT_ERROR, PT_ERROR_DATA);
  version = pt_store_get_meta (store, "sync.reference_version");
  g_assert_cmpstr (version, ==, "v1");
  runners = pt_store_list_runners (store, NULL, NULL);
  g_assert_cmpuint (runners->len, ==, 1);

  pt_store_close (store);
  test_remove_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/roster/checked", test_checked);
  g_test_add_func ("/roster/parse", test_parse);
  g_test_add_func ("/roster/replace", test_replace);
  g_test_add_func ("/roster/sync-reference", test_sync_reference);
  return g_test_run ();
}
