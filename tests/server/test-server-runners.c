/* test-server-runners.c: the district's roster of runners on the server
 * (`paotuan-server runners list|add|retire|import`, with the seed's minimum
 * per unit), and its way to every desk: a district desk that pulls a
 * village desk's cases shows their runners' names. Against the real server
 * and PostgreSQL, as the other server tests. */
#include <string.h>

#include <glib/gstdio.h>

#include "pt-error.h"
#include "pt-json.h"
#include "pt-store-sync.h"
#include "pt-test-env.h"

static PtTestEnv *env;

static int
run_server (const char * const *args,
            const char         *locale,
            char              **out,
            char              **err)
{
  return pt_test_env_server_cli (env, args, locale, out, err);
}

static int
run_ctl (const char * const *args,
         char              **out,
         char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, (gpointer) g_getenv ("PAOTUANCTL"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status, &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
assert_contains (const char *text,
                 const char *needle)
{
  if (text == NULL || strstr (text, needle) == NULL)
    g_error ("“%s” does not say “%s”", text != NULL ? text : "(nothing)", needle);
}

static gint64
count_runners (const char *where)
{
  PGconn *conn = pt_test_env_db (env);
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM runners%s%s", where ? " WHERE " : "",
                                          where ? where : "");
  gint64 n = pt_test_db_int (conn, sql);

  PQfinish (conn);
  return n;
}

static void
test_cli (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  /* No roster yet: every unit but the district center is below its minimum. */
  {
    const char *list[] = { "runners", "list", NULL };

    g_assert_cmpint (run_server (list, NULL, &out, &err), ==, 0);
    assert_contains (out, "370304-YC-001 域城镇域城村: 0 on duty, at least 2 required");
    assert_contains (out, "370304-ZRZY 博山区自然资源局: 0 on duty, at least 1 required");
    assert_contains (out, "370304 博山区: 0 on duty\n");
    assert_contains (out, "below the seed's minimum: add 2 more on-duty runners");
    assert_contains (out, "Units below the seed's minimum of runners: 65");
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  /* The first runner of a village: added, and the village still short. */
  {
    const char *add[] = { "runners", "add", "--unit", "370304-YC-001", "--name", "亓秀英",
                          "--phone", "138 5330 0101", "--staff-number", "BS1101", NULL };

    g_assert_cmpint (run_server (add, NULL, &out, &err), ==, 0);
    g_assert_cmpstr (out, ==, "R-0001\n");
    assert_contains (err, "域城村 (370304-YC-001) has 1 on-duty runners, fewer than the 2 the seed requires");
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *add[] = { "runners", "add", "--unit", "370304-YC-001", "--name", "翟德胜",
                          "--phone", "13853300102", NULL };

    g_assert_cmpint (run_server (add, NULL, &out, &err), ==, 0);
    g_assert_cmpstr (out, ==, "R-0002\n");
    /* Standard error has the server's log line only. */
    g_assert_null (strstr (err, "fewer than"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  /* Refusals change nothing. */
  {
    static const struct {
      const char *args[12];
      int         status;
      const char *message;
    } bad[] = {
      { { "runners", "add", "--unit", "370304-YC-001", "--name", "毕学文", "--phone", "12345", NULL },
        1, "phone of the runner R-0003" },
      { { "runners", "add", "--unit", "370304-XX-001", "--name", "毕学文", "--phone", "13853300103", NULL },
        1, "unit “370304-XX-001”" },
      { { "runners", "add", "--unit", "370304-YC-001", "--name", "毕学文", "--phone", "13853300103",
          "--id", "R-0001", NULL }, 1, "There is a runner R-0001 already" },
      { { "runners", "add", "--unit", "370304-YC-001", "--phone", "13853300103", NULL },
        2, "runners add needs --unit CODE, --name NAME and --phone PHONE" },
      { { "runners", "retire", "R-9999", NULL }, 1, "There is no runner R-9999" },
      { { "runners", "fire", "R-0001", NULL }, 2, "use runners list" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_assert_cmpint (run_server (bad[i].args, NULL, &out, &err), ==, bad[i].status);
        assert_contains (err, bad[i].message);
        g_clear_pointer (&out, g_free);
        g_clear_pointer (&err, g_free);
      }
    g_assert_cmpint (count_runners (NULL), ==, 2);
  }

  /* The village has its minimum; retiring one takes it below, and says so. */
  {
    const char *list[] = { "runners", "list", "--unit", "370304-YC-001", NULL };
    const char *retire[] = { "runners", "retire", "R-0002", NULL };

    g_assert_cmpint (run_server (list, NULL, &out, &err), ==, 0);
    assert_contains (out, "370304-YC-001 域城镇域城村: 2 on duty, at least 2 required\n"
                          "  R-0001\t亓秀英\tBS1101\t13853300101\n"
                          "  R-0002\t翟德胜\t-\t13853300102\n");
    g_assert_null (strstr (out, "below"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);

    g_assert_cmpint (run_server (retire, NULL, &out, &err), ==, 0);
    assert_contains (out, "R-0002 翟德胜 of 域城村 is retired");
    assert_contains (err, "域城村 (370304-YC-001) has 1 on-duty runners, fewer than the 2");
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);

    g_assert_cmpint (run_server (retire, NULL, &out, &err), ==, 0);
    assert_contains (out, "R-0002 翟德胜 is retired already");
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);

    g_assert_cmpint (run_server (list, NULL, &out, &err), ==, 0);
    assert_contains (out, "1 on duty, at least 2 required");
    assert_contains (out, "R-0002\t翟德胜\t-\t13853300102\tretired\n");
    assert_contains (out, "below the seed's minimum: add 1 more on-duty runners");
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    /* Retired, not deleted. */
    g_assert_cmpint (count_runners ("NOT on_duty"), ==, 1);
  }

  /* In the clerk's language. */
  {
    const char *list[] = { "runners", "list", "--unit", "370304-YC-001", NULL };
    const char *add[] = { "runners", "add", "--unit", "370304-YC-001", "--name", "毕学文",
                          "--phone", "12345", NULL };

    g_assert_cmpint (run_server (list, "zh_CN.UTF-8", &out, &err), ==, 0);
    assert_contains (out, "在岗跑手 1 名");
    assert_contains (out, "已退出");
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run_server (add, "zh_CN.UTF-8", &out, &err), ==, 1);
    assert_contains (err, "跑手 R-0003 的电话不是可拨打的号码");
  }
}

/* The roster goes to the desks with the reference data. */
static void
test_sync (void)
{
  g_autofree char *roster = g_build_filename (env->root, "roster.json", NULL);
  g_autofree char *district_db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PtStore) village = NULL;
  g_autoptr(PtStore) district = NULL;
  g_autofree char *case_id = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_file_set_contents (roster,
    "{\"version\": 1, \"runners\": ["
    " {\"id\": \"R-0101\", \"name\": \"孟凡荣\", \"unit\": \"370304-YC-002\", \"phone\": \"13853300201\"},"
    " {\"id\": \"R-0102\", \"name\": \"岳长青\", \"unit\": \"370304-YC-002\", \"phone\": \"13853300202\"},"
    " {\"id\": \"R-0103\", \"name\": \"亓振华\", \"unit\": \"370304\", \"staff_number\": \"BSZW-0103\","
    "  \"phone\": \"0533-4151891\"},"
    /* The test desks' own runner, who records their events. */
    " {\"id\": \"R-9001\", \"name\": \"张跑手\", \"unit\": \"370304-YC-002\", \"phone\": \"13800000000\"}]}",
    -1, &error);
  g_assert_no_error (error);
  {
    const char *import[] = { "runners", "import", roster, NULL };

    g_assert_cmpint (run_server (import, NULL, &out, &err), ==, 0);
    assert_contains (out, "Imported 4 runners");
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  /* The village desk learns the roster at its first sync, and assigns one
   * of the district's runners to a case of its own. */
  village = pt_test_env_desk (env, "370304-YC-002", NULL);
  pt_test_sync (village, NULL);
  {
    g_autoptr(PtRunner) runner = pt_store_get_runner (village, "R-0101", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (runner->name, ==, "孟凡荣");
    g_assert_true (runner->active);
  }
  case_id = pt_test_new_case (village, "370304-YC-002", "郭淑珍");
  g_assert_true (pt_test_append (village, case_id, "agreement_signed",
                                 "{\"digest\": \"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"}",
                                 &error));
  g_assert_true (pt_test_append (village, case_id, "runner_assigned", "{\"runner\": \"R-0101\"}", &error));
  g_assert_no_error (error);
  pt_test_sync (village, NULL);

  /* The district desk pulls the case and names its runner. */
  district = pt_test_env_desk (env, "370304", &district_db);
  pt_test_sync (district, NULL);
  {
    const char *list[] = { "case", "list", "--json", "--db", district_db, NULL };
    g_autoptr(JsonNode) root = NULL;
    JsonArray *rows;
    gboolean found = FALSE;

    g_assert_cmpint (run_ctl (list, &out, &err), ==, 0);
    root = pt_json_parse (out, -1, &error);
    g_assert_no_error (error);
    rows = json_node_get_array (root);
    for (guint i = 0; i < json_array_get_length (rows); i++)
      {
        JsonObject *row = json_array_get_object_element (rows, i);

        if (!g_str_equal (pt_json_get_string (row, "id"), case_id))
          continue;
        found = TRUE;
        g_assert_cmpstr (pt_json_get_string (row, "runner"), ==, "R-0101");
        g_assert_cmpstr (pt_json_get_string (row, "runner_name"), ==, "孟凡荣");
      }
    g_assert_true (found);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  /* A change of the roster is a new version: it reaches the desks at their
   * next sync, and a retired runner keeps its name on the case. */
  {
    const char *add[] = { "runners", "add", "--unit", "370304-YC-002", "--name", "蒋立新",
                          "--phone", "13853300203", NULL };
    const char *retire[] = { "runners", "retire", "R-0101", NULL };
    g_autofree char *before = pt_store_get_meta (district, "sync.reference_version");
    g_autofree char *after = NULL;
    g_autoptr(PtRunner) added = NULL;
    g_autoptr(PtRunner) retired = NULL;
    PtCaseQuery query;
    g_autoptr(GPtrArray) rows = NULL;

    g_assert_cmpint (run_server (add, NULL, &out, &err), ==, 0);
    g_assert_cmpint (run_server (retire, NULL, NULL, NULL), ==, 0);
    pt_test_sync (district, NULL);
    after = pt_store_get_meta (district, "sync.reference_version");
    g_assert_cmpstr (before, !=, after);
    added = pt_store_get_runner (district, g_strstrip (out), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (added->name, ==, "蒋立新");
    retired = pt_store_get_runner (district, "R-0101", &error);
    g_assert_no_error (error);
    g_assert_false (retired->active);

    pt_case_query_init (&query);
    query.search = "郭淑珍";
    rows = pt_store_list_cases (district, &query, 0, 10, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (rows->len, ==, 1);
    g_assert_cmpstr (((PtCaseRow *) rows->pdata[0])->runner_name, ==, "孟凡荣");
  }
}

/* A demo district syncs whole: the server imports the demo roster, a desk
 * made with `paotuanctl init --demo` pushes its cases, and a village desk
 * that pulls its own names every runner. */
static void
test_demo_district (void)
{
  g_autofree char *roster = g_build_filename (g_getenv ("PAOTUAN_DATA_DIR"), "demo", "runners.json", NULL);
  g_autofree char *demo_db = g_build_filename (env->root, "demo.db", NULL);
  g_autofree char *village_db = NULL;
  g_autofree char *code = pt_test_env_enroll_code (env, "370304", "demo");
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) demo_rows = NULL;
  g_autoptr(PtStore) village = NULL;
  const char *unit = NULL;
  guint expected = 0;

  {
    const char *import[] = { "runners", "import", roster, NULL };
    g_assert_cmpint (run_server (import, NULL, NULL, NULL), ==, 0);
  }
  {
    const char *init[] = { "init", "--demo", "--cases", "120", "--today", "2026-11-16", "--db", demo_db, NULL };
    const char *enroll[] = { "enroll", env->url, code, "--ca", env->ca_pem, "--db", demo_db, NULL };
    const char *sync[] = { "sync", "--db", demo_db, NULL };
    const char *list[] = { "case", "list", "--json", "--limit", "1000", "--db", demo_db, NULL };

    g_assert_cmpint (run_ctl (init, NULL, NULL), ==, 0);
    g_assert_cmpint (run_ctl (enroll, NULL, NULL), ==, 0);
    g_assert_cmpint (run_ctl (sync, NULL, NULL), ==, 0);
    g_assert_cmpint (run_ctl (list, &out, NULL), ==, 0);
    demo_rows = pt_json_parse (out, -1, &error);
    g_assert_no_error (error);
  }

  /* The village with the most cases that have a runner. */
  {
    g_autoptr(GHashTable) per_unit = g_hash_table_new (g_str_hash, g_str_equal);
    JsonArray *rows = json_node_get_array (demo_rows);

    for (guint i = 0; i < json_array_get_length (rows); i++)
      {
        JsonObject *row = json_array_get_object_element (rows, i);
        const char *u = pt_json_get_string (row, "unit");
        guint n;

        if (pt_json_get_string (row, "runner") == NULL || g_strcmp0 (pt_json_get_string (row, "level"), "village") != 0)
          continue;
        n = GPOINTER_TO_UINT (g_hash_table_lookup (per_unit, u)) + 1;
        g_hash_table_insert (per_unit, (gpointer) u, GUINT_TO_POINTER (n));
        if (n > expected)
          {
            expected = n;
            unit = u;
          }
      }
    g_assert_nonnull (unit);
  }

  village = pt_test_env_desk (env, unit, &village_db);
  pt_test_sync (village, NULL);
  {
    const char *list[] = { "case", "list", "--json", "--limit", "1000", "--db", village_db, NULL };
    g_autoptr(JsonNode) root = NULL;
    JsonArray *rows;
    guint named = 0;

    g_clear_pointer (&out, g_free);
    g_assert_cmpint (run_ctl (list, &out, NULL), ==, 0);
    root = pt_json_parse (out, -1, &error);
    g_assert_no_error (error);
    rows = json_node_get_array (root);
    for (guint i = 0; i < json_array_get_length (rows); i++)
      {
        JsonObject *row = json_array_get_object_element (rows, i);

        g_assert_cmpstr (pt_json_get_string (row, "unit"), ==, unit);
        if (pt_json_get_string (row, "runner") == NULL)
          continue;
        if (pt_json_get_string (row, "runner_name") == NULL)
          g_error ("case %s: runner %s without a name", pt_json_get_string (row, "number"),
                   pt_json_get_string (row, "runner"));
        named++;
      }
    g_assert_cmpuint (named, ==, expected);
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  env = pt_test_env_new (NULL);
  if (env == NULL)
    return 77;
  g_test_add_func ("/server/runners/cli", test_cli);
  g_test_add_func ("/server/runners/sync", test_sync);
  g_test_add_func ("/server/runners/demo-district", test_demo_district);
  status = g_test_run ();
  pt_test_env_free (env);
  return status;
}
