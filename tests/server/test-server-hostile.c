/* test-server-hostile.c: the district server under input a desk would never
 * send, against the real server and PostgreSQL:
 *  - a body nested 80,000 deep is a 400, and the server keeps answering;
 *  - an intake is checked, not trusted: another unit's case number, a level
 *    that is not the unit's, an item the unit may not take, a number already
 *    used in the district, an impossible clock, another device's name: each
 *    a visible rejection, nothing stored;
 *  - case numbers stay unique for any number of desks of a unit, and for a
 *    town desk that takes a village's intake;
 *  - revoke by a desk name that two devices share is refused, by id it works.
 */
#include <string.h>

#include "pt-error.h"
#include "pt-json.h"
#include "pt-store-sync.h"
#include "pt-test-env.h"
#include "pt-uuid.h"

static PtTestEnv *env;

static void
test_deep_json (void)
{
  GString *body = g_string_new (NULL);
  g_autofree char *answer = NULL;
  g_autofree char *health = NULL;

  for (guint i = 0; i < 80000; i++)
    g_string_append_c (body, '[');
  /* Unauthenticated, to the one endpoint anyone may call. */
  g_assert_cmpint (pt_test_http (env, "POST", "/v1/enroll", NULL, body->str, &answer), ==, 400);
  g_assert_nonnull (strstr (answer, "\"bad_json\""));
  g_assert_cmpint (pt_test_http (env, "GET", "/v1/health", NULL, NULL, &health), ==, 200);
  g_string_free (body, TRUE);

  /* A NUL inside a string is refused, not cut. */
  g_free (g_steal_pointer (&answer));
  g_assert_cmpint (pt_test_http (env, "POST", "/v1/enroll", NULL, "{\"code\": \"AB\\u0000CD\"}", &answer), ==, 400);
  g_assert_nonnull (strstr (answer, "NUL"));
}

/* A copy of @event with fresh ids and the changes @edit makes. */
typedef void (*EditFunc) (PtEvent *event);

static char *
forged (const PtEvent *event,
        gint64         device_seq,
        EditFunc       edit)
{
  g_autofree char *text = pt_json_object_canonical (event->payload);
  g_autoptr(JsonObject) payload = pt_json_parse_object (text, -1, NULL);
  g_autofree char *id = pt_uuid7_new ();
  g_autofree char *case_id = pt_uuid7_new ();
  g_autoptr(PtEvent) copy = pt_event_new (id, case_id, &event->stamp, event->device, event->author,
                                          event->type, payload);
  g_autofree char *json = NULL;

  edit (copy);
  json = pt_event_to_string (copy);
  return g_strdup_printf ("{\"events\": [{\"device_seq\": %" G_GINT64_FORMAT ", \"event\": %s}]}",
                          device_seq, json);
}

static void other_village_number (PtEvent *e) { json_object_set_string_member (e->payload, "number", "370304-YC-002-20261201-0001"); }
static void district_level (PtEvent *e) { json_object_set_string_member (e->payload, "level", "district"); }
static void district_item (PtEvent *e)
{
  JsonArray *items = json_array_new ();

  json_array_add_string_element (items, "D-ZJJ-001");
  json_object_set_array_member (e->payload, "items", items);
}
static void far_future (PtEvent *e) { e->stamp.wall = G_MAXINT64; }
static void before_2020 (PtEvent *e) { e->stamp.wall = 1000; }
static void other_device (PtEvent *e) { g_free (e->device); e->device = g_strdup ("another-desk"); }
static void same_number (PtEvent *e) { (void) e; }   /* the genuine number, a new case id */

static void
test_intake_checks (void)
{
  g_autoptr(PtStore) desk = pt_test_env_desk (env, "370304-YC-001", NULL);
  g_autofree char *token = pt_store_get_meta (desk, "sync.token");
  g_autofree char *device = pt_store_get_meta (desk, "sync.device");
  g_autofree char *first = pt_test_new_case (desk, "370304-YC-001", "周一");
  g_autoptr(GPtrArray) outbox = NULL;
  PGconn *db = pt_test_env_db (env);
  g_autofree char *high_sql = g_strdup_printf ("SELECT high_water FROM devices WHERE id = '%s'", device);
  const PtEvent *intake;
  gint64 events_before;
  struct { EditFunc edit; const char *reason; } forgeries[] = {
    { other_village_number, "does not belong to unit 370304-YC-001" },
    { district_level, "but unit 370304-YC-001 is at village level" },
    { district_item, "scope: item D-ZJJ-001" },
    { same_number, "already used in the district" },
    { far_future, "impossible" },
    { before_2020, "impossible" },
    { other_device, "this token pushes for device" },
  };

  /* The genuine intake, pushed by the desk itself; then its copies. */
  outbox = pt_store_sync_outbox (desk, 10, NULL);
  intake = ((PtOutboxEntry *) outbox->pdata[0])->event;
  g_assert_cmpint (intake->type, ==, PT_EVENT_INTAKE);
  pt_test_sync (desk, NULL);
  events_before = pt_test_db_int (db, "SELECT count(*) FROM events");

  for (guint i = 0; i < G_N_ELEMENTS (forgeries); i++)
    {
      gint64 seq = pt_test_db_int (db, high_sql) + 1;
      g_autofree char *body = forged (intake, seq, forgeries[i].edit);
      g_autofree char *answer = NULL;

      g_assert_cmpint (pt_test_http (env, "POST", "/v1/events", token, body, &answer), ==, 200);
      g_test_message ("%s", answer);
      g_assert_nonnull (strstr (answer, "\"outcome\":\"rejected\""));
      g_assert_nonnull (strstr (answer, forgeries[i].reason));
      g_assert_cmpint (pt_test_db_int (db, "SELECT count(*) FROM events"), ==, events_before);
    }
  /* No reason names another unit's case. */
  g_assert_cmpint (pt_test_db_int (db, "SELECT count(*) FROM quarantine WHERE reason LIKE '%370304-YC-002%' "
                                       "AND reason NOT LIKE '%does not belong%'"), ==, 0);
  g_assert_cmpint (pt_test_db_int (db, "SELECT count(*) FROM cases WHERE number IS NULL"), ==, 0);
  (void) first;
  PQfinish (db);
}

/* Twelve desks of one village and the town's desk, each taking a case of
 * the village on the same day: thirteen numbers, all different, all stored. */
static void
test_numbers_unique (void)
{
  g_autoptr(GHashTable) numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) desks = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_store_close);
  PGconn *db = pt_test_env_db (env);
  gint64 quarantined = pt_test_db_int (db, "SELECT count(*) FROM quarantine");

  for (guint i = 0; i < 13; i++)
    {
      PtStore *store = pt_test_env_desk (env, i < 12 ? "370304-YC-004" : "370304-YC", NULL);
      g_autofree char *case_id = pt_test_new_case (store, "370304-YC-004", "吴二");
      g_autoptr(PtCaseState) state = pt_store_load_case (store, case_id, NULL);

      g_ptr_array_add (desks, store);
      g_test_message ("desk %u: %s", i, state->number);
      g_assert_true (g_hash_table_add (numbers, g_strdup (state->number)));
      pt_test_sync (store, NULL);
    }
  g_assert_cmpint (pt_test_db_int (db, "SELECT count(DISTINCT number) FROM cases WHERE unit = '370304-YC-004'"),
                   ==, 13);
  g_assert_cmpint (pt_test_db_int (db, "SELECT count(*) FROM quarantine"), ==, quarantined);
  PQfinish (db);
}

static int
run_server_cli (const char * const *args,
                char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, (gpointer) g_getenv ("PAOTUAN_SERVER"));
  g_ptr_array_add (argv, (gpointer) "--config");
  g_ptr_array_add (argv, env->config);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, 0, NULL, NULL, NULL, err, &status, &error);
  g_assert_no_error (error);
  return g_spawn_check_wait_status (status, NULL) ? 0 : 1;
}

static void
test_revoke_shared_name (void)
{
  g_autofree char *code_a = pt_test_env_enroll_code (env, "370304-YC-002", "窗口1");
  g_autofree char *code_b = pt_test_env_enroll_code (env, "370304-YC-003", "窗口1");
  g_autoptr(PtStore) a = pt_test_env_desk (env, "370304-YC-002", NULL);
  g_autoptr(PtStore) b = pt_test_env_desk (env, "370304-YC-003", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_autofree char *device_a = NULL;
  PGconn *db = pt_test_env_db (env);
  const char *by_name[] = { "revoke", "--device", "窗口1", NULL };

  pt_sync_enroll (a, env->url, code_a, env->ca_pem, NULL, &error);
  g_assert_no_error (error);
  pt_sync_enroll (b, env->url, code_b, env->ca_pem, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (run_server_cli (by_name, &err), ==, 1);
  g_assert_nonnull (strstr (err, "by its id"));
  g_assert_cmpint (pt_test_db_int (db, "SELECT count(*) FROM devices WHERE desk = '窗口1' AND revoked IS NOT NULL"),
                   ==, 0);
  device_a = pt_store_get_meta (a, "sync.device");
  {
    const char *by_id[] = { "revoke", "--device", device_a, NULL };
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run_server_cli (by_id, &err), ==, 0);
  }
  g_assert_cmpint (pt_test_db_int (db, "SELECT count(*) FROM devices WHERE desk = '窗口1' AND revoked IS NOT NULL"),
                   ==, 1);
  PQfinish (db);
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
  g_test_add_func ("/server/hostile/deep-json", test_deep_json);
  g_test_add_func ("/server/hostile/intake-checks", test_intake_checks);
  g_test_add_func ("/server/hostile/numbers-unique", test_numbers_unique);
  g_test_add_func ("/server/hostile/revoke-shared-name", test_revoke_shared_name);
  status = g_test_run ();
  pt_test_env_free (env);
  return status;
}
