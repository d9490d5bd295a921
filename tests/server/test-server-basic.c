/* test-server-basic.c: enrollment, tokens, bad input, TLS, and one push and
 * pull between two desks, against a real PostgreSQL and real TLS. */
#include <glib/gstdio.h>

#include "pt-error.h"
#include "pt-store-sync.h"
#include "pt-test-env.h"

static PtTestEnv *env;

static void
test_health (void)
{
  g_autofree char *answer = NULL;

  g_assert_cmpint (pt_test_http (env, "GET", "/v1/health", NULL, NULL, &answer), ==, 200);
  g_assert_nonnull (strstr (answer, "\"status\":\"ok\""));
  g_assert_nonnull (strstr (answer, "\"server_time\":"));
  g_free (g_steal_pointer (&answer));
  g_assert_cmpint (pt_test_http (env, "GET", "/v1/nothing", NULL, NULL, &answer), ==, 404);
  g_assert_nonnull (strstr (answer, "\"error\""));
}

static void
test_enroll (void)
{
  g_autofree char *code = pt_test_env_enroll_code (env, "370304-YC-001", "enroll-test");
  g_autofree char *body = g_strdup_printf ("{\"code\": \"%s\"}", code);
  g_autofree char *answer = NULL;
  g_autofree char *again = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *token;
  PGconn *db = pt_test_env_db (env);
  g_autofree char *sql = NULL;

  g_assert_cmpint (pt_test_http (env, "POST", "/v1/enroll", NULL, body, &answer), ==, 200);
  root = json_from_string (answer, NULL);
  token = json_object_get_string_member (json_node_get_object (root), "token");
  g_assert_cmpuint (strlen (token), ==, 64);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "unit"), ==, "370304-YC-001");

  /* One time only. */
  g_assert_cmpint (pt_test_http (env, "POST", "/v1/enroll", NULL, body, &again), ==, 403);
  g_assert_nonnull (strstr (again, "\"error\""));

  /* The token is stored hashed, never as it is. */
  sql = g_strdup_printf ("SELECT count(*) FROM devices WHERE token_hash = '%s'", token);
  g_assert_cmpint (pt_test_db_int (db, sql), ==, 0);
  PQfinish (db);

  /* The token works. */
  g_free (g_steal_pointer (&again));
  g_assert_cmpint (pt_test_http (env, "GET", "/v1/changes?since=0", token, NULL, &again), ==, 200);
}

/* Two desks of one unit get different desk indexes, so their case numbers of
 * the same day never collide without a network. */
static void
test_enroll_desk_index (void)
{
  g_autoptr(PtStore) first = pt_test_env_desk (env, "370304-YC-002", NULL);
  g_autoptr(PtStore) second = pt_test_env_desk (env, "370304-YC-002", NULL);
  g_autofree char *a = pt_store_get_meta (first, "desk_index");
  g_autofree char *b = pt_store_get_meta (second, "desk_index");
  g_autofree char *case_a = pt_test_new_case (first, "370304-YC-002", "甲");
  g_autofree char *case_b = pt_test_new_case (second, "370304-YC-002", "乙");
  g_autoptr(PtCaseState) state_a = pt_store_load_case (first, case_a, NULL);
  g_autoptr(PtCaseState) state_b = pt_store_load_case (second, case_b, NULL);

  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpstr (a, !=, b);
  g_assert_cmpstr (state_a->number, !=, state_b->number);
}

static char *
desk_token (PtStore *store)
{
  return pt_store_get_meta (store, "sync.token");
}

static void
test_bad_input (void)
{
  g_autoptr(PtStore) desk = pt_test_env_desk (env, "370304-YC-001", NULL);
  g_autofree char *token = desk_token (desk);
  g_autofree char *case_id = pt_test_new_case (desk, "370304-YC-001", "王五");
  g_autoptr(GPtrArray) outbox = pt_store_sync_outbox (desk, 10, NULL);
  g_autofree char *event = pt_event_to_string (((PtOutboxEntry *) outbox->pdata[0])->event);
  PGconn *db = pt_test_env_db (env);
  gint64 before = pt_test_db_int (db, "SELECT count(*) FROM events");
  struct { const char *body; long status; const char *code; } cases[] = {
    { "{\"events\": [", 400, "bad_json" },
    { "not json at all", 400, "bad_json" },
    { "[1, 2]", 400, "bad_request" },
    { "{\"events\": \"many\"}", 400, "bad_request" },
    { "{\"events\": []}", 400, "bad_request" },
    { "{\"events\": [{\"device_seq\": \"1\", \"event\": {}}]}", 400, "bad_request" },
    { "{\"events\": [{\"device_seq\": 1}]}", 400, "bad_request" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *answer = NULL;
      long status = pt_test_http (env, "POST", "/v1/events", token, cases[i].body, &answer);
      g_autofree char *want = g_strdup_printf ("\"error\":\"%s\"", cases[i].code);

      g_test_message ("body %s -> %ld %s", cases[i].body, status, answer);
      g_assert_cmpint (status, ==, cases[i].status);
      g_assert_nonnull (strstr (answer, want));
    }

  /* A good first event followed by an unknown type, and one with a wrong
   * member type: the whole batch is refused, nothing of it stored. */
  {
    g_autofree char *bad_type = g_strdup (event);
    g_autofree char *body = NULL;
    g_autofree char *answer = NULL;
    char *p = strstr (bad_type, "\"type\":\"intake\"");

    g_assert_nonnull (p);
    memcpy (p, "\"type\":\"intakf\"", 15);
    body = g_strdup_printf ("{\"events\": [{\"device_seq\": 1, \"event\": %s},"
                            " {\"device_seq\": 2, \"event\": %s}]}", event, bad_type);
    g_assert_cmpint (pt_test_http (env, "POST", "/v1/events", token, body, &answer), ==, 400);
    g_assert_nonnull (strstr (answer, "\"error\""));
  }
  {
    g_autofree char *body = NULL;
    g_autofree char *answer = NULL;
    g_autofree char *wrong = g_strdup (event);
    char *p = strstr (wrong, "\"wall\":");

    g_assert_nonnull (p);
    memcpy (p, "\"wall\":\"", 8);   /* "wall":"<digits>... is no longer JSON */
    body = g_strdup_printf ("{\"events\": [{\"device_seq\": 1, \"event\": {\"id\": 5}}]}");
    g_assert_cmpint (pt_test_http (env, "POST", "/v1/events", token, body, &answer), ==, 400);
  }

  /* Oversized: refused before it is read. */
  {
    GString *big = g_string_new ("{\"events\": [");
    g_autofree char *answer = NULL;

    while (big->len < 2100000)
      g_string_append (big, "{\"device_seq\": 1, \"event\": {}},");
    g_string_append (big, "{}]}");
    g_assert_cmpint (pt_test_http (env, "POST", "/v1/events", token, big->str, &answer), ==, 413);
    g_assert_nonnull (strstr (answer, "\"too_large\""));
    g_string_free (big, TRUE);
  }

  /* Missing and bad tokens. */
  {
    g_autofree char *answer = NULL;
    g_autofree char *body = g_strdup_printf ("{\"events\": [{\"device_seq\": 1, \"event\": %s}]}", event);

    g_assert_cmpint (pt_test_http (env, "POST", "/v1/events", NULL, body, &answer), ==, 401);
    g_assert_nonnull (strstr (answer, "\"unauthorized\""));
    g_free (g_steal_pointer (&answer));
    g_assert_cmpint (pt_test_http (env, "POST", "/v1/events", "0123", body, &answer), ==, 401);
    g_free (g_steal_pointer (&answer));
    g_assert_cmpint (pt_test_http (env, "GET", "/v1/changes?since=0", "nope", NULL, &answer), ==, 401);
    g_free (g_steal_pointer (&answer));
    g_assert_cmpint (pt_test_http (env, "GET", "/v1/changes?since=-4", token, NULL, &answer), ==, 400);
    g_free (g_steal_pointer (&answer));
    g_assert_cmpint (pt_test_http (env, "GET", "/v1/changes?since=abc", token, NULL, &answer), ==, 400);
    g_free (g_steal_pointer (&answer));
    g_assert_cmpint (pt_test_http (env, "GET", "/v1/events", token, NULL, &answer), ==, 405);
  }

  g_assert_cmpint (pt_test_db_int (db, "SELECT count(*) FROM events"), ==, before);
  g_assert_cmpint (pt_test_db_int (db, "SELECT count(*) FROM quarantine"), ==, 0);

  /* A sound envelope around a payload that fails validation is not bad
   * input: it is rejected into the quarantine and the mark moves on, so the
   * desk's queue does not block. */
  {
    g_autofree char *bad_payload = g_strdup (event);
    g_autofree char *body = NULL;
    g_autofree char *answer = NULL;
    char *p = strstr (bad_payload, "\"payload\":{");
    char *end;

    g_assert_nonnull (p);
    end = strstr (p, "},\"type\"");
    g_assert_nonnull (end);
    memmove (p + 11, end, strlen (end) + 1);   /* "payload":{} */
    body = g_strdup_printf ("{\"events\": [{\"device_seq\": 1, \"event\": %s}]}", bad_payload);
    g_assert_cmpint (pt_test_http (env, "POST", "/v1/events", token, body, &answer), ==, 200);
    g_test_message ("%s", answer);
    g_assert_nonnull (strstr (answer, "\"outcome\":\"rejected\""));
    g_assert_nonnull (strstr (answer, "invalid"));
    g_assert_cmpint (pt_test_db_int (db, "SELECT count(*) FROM quarantine"), ==, 1);
    g_assert_cmpint (pt_test_db_int (db, "SELECT count(*) FROM events"), ==, before);
  }
  PQfinish (db);
}

static void
test_push_pull (void)
{
  g_autoptr(PtStore) village = pt_test_env_desk (env, "370304-YC-002", NULL);
  g_autoptr(PtStore) town = pt_test_env_desk (env, "370304-YC", NULL);
  g_autoptr(PtStore) other = pt_test_env_desk (env, "370304-BD", NULL);
  g_autofree char *case_id = pt_test_new_case (village, "370304-YC-002", "赵六");
  g_autoptr(GError) error = NULL;
  PtSyncReport report = { 0 };
  g_autofree char *s1 = NULL;
  g_autofree char *s2 = NULL;

  pt_test_append (village, case_id, "note", "{\"text\": \"第一次\"}", &error);
  g_assert_no_error (error);
  pt_test_sync (village, &report);
  g_assert_cmpint (report.pushed, ==, 2);
  g_assert_cmpint (report.rejected, ==, 0);
  g_assert_cmpint (report.pending, ==, 0);
  g_assert_cmpint (report.server_time, >, 0);

  pt_test_sync (town, &report);
  g_assert_cmpint (report.pulled, ==, 2);
  s1 = pt_test_states (village);
  s2 = pt_test_states (town);
  g_assert_cmpstr (s1, ==, s2);
  g_assert_nonnull (strstr (s2, case_id));

  /* Another town sees nothing of it. */
  pt_test_sync (other, &report);
  {
    g_autofree char *s3 = pt_test_states (other);
    g_assert_null (strstr (s3, case_id));
  }

  /* The town writes; the village gets it. */
  pt_test_append (town, case_id, "note", "{\"text\": \"镇里补充\"}", &error);
  g_assert_no_error (error);
  pt_test_sync (town, &report);
  g_assert_cmpint (report.pushed, ==, 1);
  pt_test_sync (village, &report);
  g_assert_cmpint (report.pulled, ==, 1);
  g_free (s1);
  g_free (s2);
  s1 = pt_test_states (village);
  s2 = pt_test_states (town);
  g_assert_cmpstr (s1, ==, s2);

  /* The reference data came along, versioned. */
  {
    g_autofree char *district = pt_store_sync_get_reference (village, "district.json", &error);
    g_autofree char *calendar = pt_store_sync_get_reference (village, "calendar/2026.ini", &error);
    g_autofree char *template = pt_store_sync_get_reference (village, "templates/agreement.tmpl", &error);
    g_autofree char *version = pt_store_get_meta (village, "sync.reference_version");

    g_assert_no_error (error);
    g_assert_nonnull (strstr (district, "370304-YC-002"));
    g_assert_nonnull (calendar);
    g_assert_nonnull (template);
    g_assert_cmpuint (strlen (version), ==, 64);
  }

  /* A second sync moves nothing. */
  pt_test_sync (village, &report);
  g_assert_cmpint (report.pushed + report.pulled + report.duplicates, ==, 0);
}

static void
test_revoke (void)
{
  char *path = NULL;
  g_autoptr(PtStore) desk = pt_test_env_desk (env, "370304-YC-003", &path);
  g_autofree char *device = pt_store_get_meta (desk, "sync.device");
  const char *argv[] = { g_getenv ("PAOTUAN_SERVER"), "--config", env->config, "revoke",
                         "--device", device, NULL };
  g_autoptr(GError) error = NULL;
  PtSyncReport report = { 0 };
  int status = 0;
  gint64 t0;

  pt_test_sync (desk, NULL);
  g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  pt_sync_run (desk, NULL, &report, NULL, &error);
  g_assert_error (error, PT_ERROR, PT_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "enroll"));
  g_clear_error (&error);

  /* No loop: the next sync stops at once, without asking the server. */
  t0 = g_get_monotonic_time ();
  pt_sync_run (desk, NULL, &report, NULL, &error);
  g_assert_error (error, PT_ERROR, PT_ERROR_AUTH);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, G_USEC_PER_SEC / 2);
  g_clear_error (&error);

  /* Enrolling again brings the desk back. */
  {
    g_autofree char *code = pt_test_env_enroll_code (env, "370304-YC-003", "again");
    pt_sync_enroll (desk, env->url, code, env->ca_pem, NULL, &error);
    g_assert_no_error (error);
    pt_test_sync (desk, NULL);
  }

  /* An expired token stops the same way. */
  {
    g_autofree char *again = pt_store_get_meta (desk, "sync.device");
    g_autofree char *sql = g_strdup_printf ("UPDATE devices SET expires = now () - interval '1 day' "
                                            "WHERE id = '%s'", again);
    PGconn *conn = pt_test_env_db (env);
    PQclear (PQexec (conn, sql));
    PQfinish (conn);
    pt_sync_run (desk, NULL, &report, NULL, &error);
    g_assert_error (error, PT_ERROR, PT_ERROR_AUTH);
    g_assert_nonnull (strstr (error->message, "expired"));
    g_clear_error (&error);
  }
  g_free (path);
}

static void
expect_tls_failure (const char *cert,
                    const char *key,
                    const char *ca,
                    const char *host,
                    const char *needle)
{
  guint port = pt_test_free_port ();
  g_autoptr(GSubprocess) server = pt_test_env_spawn_server (env, cert, key, port, NULL);
  g_autofree char *url = g_strdup_printf ("https://%s:%u", host, port);
  g_autofree char *code = pt_test_env_enroll_code (env, "370304-YC-004", "tls");
  g_autofree char *dir = g_dir_make_tmp ("paotuan-tls-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "desk.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PtStore) store = pt_store_open (path, env->reference, &error);

  g_assert_no_error (error);
  g_assert_false (pt_sync_enroll (store, url, code, ca, NULL, &error));
  g_test_message ("%s: %s", cert, error->message);
  g_assert_error (error, PT_ERROR, PT_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, needle));
  g_subprocess_force_exit (server);
  g_subprocess_wait (server, NULL, NULL);
  pt_store_close (g_steal_pointer (&store));
  remove (path);
  g_rmdir (dir);
}

static void
test_tls (void)
{
  g_autofree char *code = pt_test_env_enroll_code (env, "370304-YC-004", "plain");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("paotuan-tls-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "desk.db", NULL);
  g_autoptr(PtStore) store = pt_store_open (path, env->reference, &error);
  g_autofree char *plain = g_strdup_printf ("http://localhost:%u", env->port);

  expect_tls_failure (NULL, NULL, env->other_ca_pem, "localhost", "not trusted");
  expect_tls_failure ("expired.pem", "expired.key", env->ca_pem, "localhost", "expired");
  expect_tls_failure ("wronghost.pem", "wronghost.key", env->ca_pem, "localhost", "host name");
  /* Without the private CA, the system's CAs do not know ours. */
  expect_tls_failure (NULL, NULL, NULL, "localhost", "not trusted");

  g_assert_false (pt_sync_enroll (store, plain, code, env->ca_pem, NULL, &error));
  g_assert_error (error, PT_ERROR, PT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "https://"));
  pt_store_close (g_steal_pointer (&store));
  remove (path);
  g_rmdir (dir);
}

static int
run_ctl (const char *const *args,
         char              **out,
         char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, (gpointer) g_getenv ("PAOTUANCTL"));
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, 0, NULL, NULL, out, err, &status, &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* paotuanctl init, enroll, sync --json, sync --status. */
static void
test_cli (void)
{
  g_autofree char *db = g_build_filename (env->root, "cli.db", NULL);
  g_autofree char *code = pt_test_env_enroll_code (env, "370304-YC-002", "cli");
  g_autofree char *plain = g_strdup_printf ("http://localhost:%u", env->port);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *init[] = { "init", "--db", db, "--unit", "370304-YC-002", NULL };
  const char *bad[] = { "enroll", "--db", db, plain, code, NULL };
  const char *enroll[] = { "enroll", "--db", db, env->url, code, "--ca", env->ca_pem, NULL };
  const char *sync[] = { "sync", "--db", db, "--json", NULL };
  const char *status[] = { "sync", "--db", db, "--status", NULL };

  if (g_getenv ("PAOTUANCTL") == NULL)
    {
      g_test_skip ("PAOTUANCTL is not set");
      return;
    }
  g_assert_cmpint (run_ctl (init, NULL, NULL), ==, 0);
  g_assert_cmpint (run_ctl (bad, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "https://"));
  g_assert_cmpint (run_ctl (enroll, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "370304-YC-002"));
  g_free (g_steal_pointer (&out));
  g_assert_cmpint (run_ctl (sync, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"pending\": 0"));
  g_free (g_steal_pointer (&out));
  g_assert_cmpint (run_ctl (status, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, env->url));
  g_assert_nonnull (strstr (out, "last sync: 20"));
}

typedef struct {
  GMainLoop    *loop;
  PtSyncReport *report;
  GError       *error;
  guint         progress_calls;
  GThread      *main_thread;
} AsyncRun;

static void
progress_cb (const PtSyncProgress *p,
             gpointer              data)
{
  AsyncRun *run = data;

  /* Marshalled to the caller's main context. */
  g_assert_true (g_thread_self () == run->main_thread);
  run->progress_calls++;
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  AsyncRun *run = data;

  run->report = pt_sync_run_finish (result, &run->error);
  g_main_loop_quit (run->loop);
}

static void
enrolled_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  AsyncRun *run = data;

  pt_sync_enroll_finish (result, &run->error);
  g_main_loop_quit (run->loop);
}

/* The application's way: a worker thread with its own store connection. */
static void
test_async (void)
{
  g_autofree char *path = NULL;
  g_autoptr(PtStore) desk = pt_test_env_desk (env, "370304-YC-002", &path);
  g_autofree char *case_id = pt_test_new_case (desk, "370304-YC-002", "褚十六");
  AsyncRun run = { g_main_loop_new (NULL, FALSE), NULL, NULL, 0, g_thread_self () };
  PtSyncOptions options;

  pt_sync_options_init (&options);
  options.progress = progress_cb;
  options.progress_data = &run;
  pt_sync_run_async (path, &options, NULL, done_cb, &run);
  g_main_loop_run (run.loop);
  g_assert_no_error (run.error);
  g_assert_nonnull (run.report);
  g_assert_cmpint (run.report->pushed, ==, 1);
  g_assert_cmpuint (run.progress_calls, >, 0);
  /* The UI's own connection sees it. */
  g_assert_cmpint (pt_store_sync_count_pending (desk, NULL), ==, 0);
  pt_sync_report_free (run.report);

  /* Enrolling again, the same way. */
  {
    g_autofree char *code = pt_test_env_enroll_code (env, "370304-YC-002", "async");
    g_autofree char *before = pt_store_get_meta (desk, "sync.device");
    g_autofree char *after = NULL;

    pt_sync_enroll_async (path, env->url, code, env->ca_pem, NULL, enrolled_cb, &run);
    g_main_loop_run (run.loop);
    g_assert_no_error (run.error);
    after = pt_store_get_meta (desk, "sync.device");
    g_assert_cmpstr (before, !=, after);
  }
  g_main_loop_unref (run.loop);
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
  g_test_add_func ("/server/health", test_health);
  g_test_add_func ("/server/enroll", test_enroll);
  g_test_add_func ("/server/enroll-desk-index", test_enroll_desk_index);
  g_test_add_func ("/server/bad-input", test_bad_input);
  g_test_add_func ("/server/push-pull", test_push_pull);
  g_test_add_func ("/server/revoke", test_revoke);
  g_test_add_func ("/server/tls", test_tls);
  g_test_add_func ("/server/cli", test_cli);
  g_test_add_func ("/server/async", test_async);
  status = g_test_run ();
  pt_test_env_free (env);
  return status;
}
