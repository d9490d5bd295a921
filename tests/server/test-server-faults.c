/* test-server-faults.c: exactly-once through lost answers, killed servers,
 * killed desks, and batches delivered several times and out of order
 * (tests 1 to 4 of issue 5). */
#include <curl/curl.h>
#include <signal.h>

#include "pt-error.h"
#include "pt-fault-proxy.h"
#include "pt-json.h"
#include "pt-store-sync.h"
#include "pt-test-env.h"

static PtTestEnv *env;
static const char *self_path;

static PGconn *
db (void)
{
  return pt_test_env_db (env);
}

/* A case with @n_notes notes on a new desk: n_notes + 1 events to push. */
static PtStore *
desk_with_events (const char  *unit,
                  guint        n_notes,
                  char       **case_out,
                  char       **path_out)
{
  PtStore *store = pt_test_env_desk (env, unit, path_out);
  g_autofree char *case_id = pt_test_new_case (store, unit, "孙七");

  for (guint i = 0; i < n_notes; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = g_strdup_printf ("{\"text\": \"记录 %u\"}", i);
      pt_test_append (store, case_id, "note", text, &error);
      g_assert_no_error (error);
    }
  if (case_out)
    *case_out = g_steal_pointer (&case_id);
  return store;
}

static gint64
stored_for (PGconn     *conn,
            PtStore    *store)
{
  g_autofree char *device = pt_store_get_meta (store, "sync.device");
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM events WHERE origin = '%s'", device);

  return pt_test_db_int (conn, sql);
}

static void
restart_server (const char *extra)
{
  pt_test_env_stop (env, FALSE);
  g_free (env->extra_config);
  env->extra_config = g_strdup (extra);
  pt_test_env_start (env);
}

/* 1. The connection drops after the server committed and before the answer:
 * the retry stores nothing again and reports duplicates. */
static void
test_lost_answer (void)
{
  g_autoptr(PtFaultProxy) proxy = NULL;
  g_autoptr(PtStore) desk = desk_with_events ("370304-YC-001", 9, NULL, NULL);
  g_autofree char *via = NULL;
  g_autoptr(GError) error = NULL;
  PtSyncReport report = { 0 };
  PGconn *conn = db ();

  restart_server ("[testing]\ndelay-after-commit-ms=700\n");
  proxy = pt_fault_proxy_new (env->port);
  via = g_strdup_printf ("https://localhost:%u", pt_fault_proxy_get_port (proxy));
  pt_store_set_meta (desk, "sync.server", via, &error);
  g_assert_no_error (error);
  pt_fault_proxy_drop_answers (proxy, 300, 1);

  pt_sync_run (desk, NULL, &report, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pt_fault_proxy_get_cuts (proxy), ==, 1);
  g_assert_cmpint (report.pushed, ==, 0);
  g_assert_cmpint (report.duplicates, ==, 10);
  g_assert_cmpint (report.pending, ==, 0);
  g_assert_cmpint (stored_for (conn, desk), ==, 10);
  PQfinish (conn);
  restart_server (NULL);
}

typedef struct {
  PtStore     *store;
  PtSyncReport report;
  GError      *error;
} SyncJob;

static gpointer
sync_thread (gpointer data)
{
  SyncJob *job = data;

  pt_sync_run (job->store, NULL, &job->report, NULL, &job->error);
  return NULL;
}

/* 2. SIGKILL before the commit, and between the commit and the answer. */
static void
kill_during_push (const char *extra,
                  const char *log_line,
                  gint64      want_stored,
                  gint64      want_duplicates)
{
  g_autoptr(PtStore) desk = desk_with_events ("370304-YC-002", 4, NULL, NULL);
  SyncJob job = { desk, { 0 }, NULL };
  GThread *thread;
  gsize from;
  PGconn *conn;

  restart_server (extra);
  from = pt_test_env_log_size (env);
  thread = g_thread_new ("sync", sync_thread, &job);
  g_assert_true (pt_test_env_wait_log (env, log_line, from, 20000));
  pt_test_env_stop (env, TRUE);

  /* Nothing partial: either the whole batch or none of it. */
  conn = db ();
  g_assert_cmpint (stored_for (conn, desk), ==, want_duplicates);
  PQfinish (conn);

  /* The desk keeps retrying with backoff; a server comes back (without
   * the delay) and the retry is exactly-once. */
  g_free (env->extra_config);
  env->extra_config = NULL;
  pt_test_env_start (env);
  g_thread_join (thread);
  g_assert_no_error (job.error);
  g_assert_cmpint (job.report.pushed, ==, want_stored);
  g_assert_cmpint (job.report.duplicates, ==, want_duplicates);
  conn = db ();
  g_assert_cmpint (stored_for (conn, desk), ==, 5);
  g_assert_cmpint (pt_test_db_int (conn, "SELECT count(*) - count(DISTINCT id) FROM events"), ==, 0);
  PQfinish (conn);
}

static void
test_kill_before_commit (void)
{
  kill_during_push ("[testing]\ndelay-before-commit-ms=3000\n", "push_committing", 5, 0);
}

static void
test_kill_after_commit (void)
{
  kill_during_push ("[testing]\ndelay-after-commit-ms=3000\n", "push_committed", 0, 5);
}

/* 3. The desk is killed while it applies pulled pages: its cursor never runs
 * ahead of its data, and the next sync has no gap. */
static gint64
desk_check (const char *path,
            gint64     *n_events)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtStore) store = pt_store_open (path, env->reference, &error);
  g_autofree char *ids = NULL;
  gint64 cursor;
  PGconn *conn = db ();
  g_autofree char *unit = NULL;
  g_autofree char *sql = NULL;
  gint64 want;

  g_assert_no_error (error);
  cursor = pt_store_sync_get_cursor (store);
  ids = pt_test_event_ids (store);
  *n_events = 0;
  for (const char *p = ids; (p = strchr (p, '\n')) != NULL; p++)
    (*n_events)++;
  /* Every event the server has up to the cursor is here. */
  sql = g_strdup_printf ("SELECT count(*) FROM events WHERE seq <= %" G_GINT64_FORMAT, cursor);
  want = pt_test_db_int (conn, sql);
  g_assert_cmpint (*n_events, >=, want);
  PQfinish (conn);
  return cursor;
}

static void
test_kill_desk (void)
{
  g_autoptr(PtStore) source = pt_test_env_desk (env, "370304", NULL);
  g_autofree char *path = NULL;
  g_autoptr(PtStore) target = pt_test_env_desk (env, "370304", &path);
  PGconn *conn;
  gint64 total, n = 0, last_cursor = 0;
  guint kills = 0;

  /* 150 cases, 1200 events. */
  for (guint c = 0; c < 150; c++)
    {
      g_autofree char *case_id = pt_test_new_case (source, "370304-YC-003", "钱八");
      for (guint i = 0; i < 6; i++)
        {
          g_autoptr(GError) error = NULL;
          pt_test_append (source, case_id, "note", "{\"text\": \"跟进\"}", &error);
          g_assert_no_error (error);
        }
    }
  pt_test_sync (source, NULL);
  pt_store_close (g_steal_pointer (&target));
  conn = db ();
  total = pt_test_db_int (conn, "SELECT count(*) FROM events");
  PQfinish (conn);

  for (guint round = 0; round < 12; round++)
    {
      const char *argv[] = { self_path, "--desk-sync", path, NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) child = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);
      gint64 cursor;

      g_assert_no_error (error);
      /* The whole pull takes a few hundred milliseconds: kill early. */
      g_usleep (g_random_int_range (20, 60 + 40 * round) * 1000);
      g_subprocess_force_exit (child);
      g_subprocess_wait (child, NULL, NULL);
      if (g_subprocess_get_if_signaled (child))
        kills++;
      else
        g_assert_cmpint (g_subprocess_get_exit_status (child), ==, 0);
      cursor = desk_check (path, &n);
      g_assert_cmpint (cursor, >=, last_cursor);   /* resumes, never from zero */
      last_cursor = cursor;
    }
  g_test_message ("killed the desk %u times; cursor %" G_GINT64_FORMAT, kills, last_cursor);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PtStore) store = pt_store_open (path, env->reference, &error);
    g_autofree char *a = NULL;
    g_autofree char *b = NULL;

    g_assert_no_error (error);
    pt_test_sync (store, NULL);
    desk_check (path, &n);
    g_assert_cmpint (n, ==, total);
    a = pt_test_states (store);
    b = pt_test_states (source);
    g_assert_cmpstr (a, ==, b);
  }
}

/* 4. Batches delivered two to five times, concurrently and out of order. */
typedef struct {
  char *body;
  char *token;
  long  status;
  char *answer;
} Delivery;

static gpointer
deliver_thread (gpointer data)
{
  Delivery *d = data;

  d->status = pt_test_http (env, "POST", "/v1/events", d->token, d->body, &d->answer);
  return NULL;
}

static char *
batch_json (GPtrArray *outbox,
            guint      from,
            guint      to)
{
  GString *out = g_string_new ("{\"events\": [");

  for (guint i = from; i < to; i++)
    {
      PtOutboxEntry *e = outbox->pdata[i];
      g_autofree char *ev = pt_event_to_string (e->event);
      g_string_append_printf (out, "%s{\"device_seq\": %" G_GINT64_FORMAT ", \"event\": %s}",
                              i > from ? "," : "", e->device_seq, ev);
    }
  g_string_append (out, "]}");
  return g_string_free (out, FALSE);
}

static void
test_redelivery (void)
{
  g_autoptr(PtStore) desk = desk_with_events ("370304-YC-004", 29, NULL, NULL);
  g_autoptr(PtStore) reader = pt_test_env_desk (env, "370304-YC-004", NULL);
  g_autofree char *token = pt_store_get_meta (desk, "sync.token");
  g_autoptr(GPtrArray) outbox = pt_store_sync_outbox (desk, 100, NULL);
  char *batches[3];
  guint order[] = { 2, 1, 0, 2, 1, 0, 0, 2, 1, 2, 2, 1, 0 };   /* 3..5 copies each */
  guint stored = 0, duplicates = 0, gaps = 0;
  PGconn *conn = db ();

  g_assert_cmpuint (outbox->len, ==, 30);
  for (guint b = 0; b < 3; b++)
    batches[b] = batch_json (outbox, b * 10, b * 10 + 10);

  /* Out of order alone: a gap is refused, nothing stored. */
  for (guint b = 2; b >= 1; b--)
    {
      g_autofree char *answer = NULL;
      g_assert_cmpint (pt_test_http (env, "POST", "/v1/events", token, batches[b], &answer), ==, 409);
      g_assert_nonnull (strstr (answer, "\"high_water\":0"));
      g_assert_cmpint (stored_for (conn, desk), ==, 0);
    }

  /* Rounds: every round sends a few copies at once, in the shuffled order;
   * until the server has all, whatever it refuses comes again. */
  for (guint round = 0; round < 6 && stored < 30; round++)
    {
      Delivery d[G_N_ELEMENTS (order)];
      GThread *threads[G_N_ELEMENTS (order)];

      for (guint i = 0; i < G_N_ELEMENTS (order); i++)
        {
          d[i] = (Delivery) { batches[order[i]], token, 0, NULL };
          threads[i] = g_thread_new ("deliver", deliver_thread, &d[i]);
        }
      for (guint i = 0; i < G_N_ELEMENTS (order); i++)
        {
          g_autoptr(JsonNode) root = NULL;
          JsonArray *results;

          g_thread_join (threads[i]);
          if (d[i].status == 409)
            {
              g_assert_nonnull (strstr (d[i].answer, "\"gap\""));
              g_assert_nonnull (strstr (d[i].answer, "\"high_water\""));
              gaps++;
              g_free (d[i].answer);
              continue;
            }
          g_assert_cmpint (d[i].status, ==, 200);
          root = json_from_string (d[i].answer, NULL);
          results = json_object_get_array_member (json_node_get_object (root), "results");
          for (guint r = 0; r < json_array_get_length (results); r++)
            {
              const char *outcome = json_object_get_string_member (
                json_array_get_object_element (results, r), "outcome");
              if (g_str_equal (outcome, "stored"))
                stored++;
              else if (g_str_equal (outcome, "duplicate"))
                duplicates++;
              else
                g_error ("unexpected outcome %s", d[i].answer);
            }
          g_free (d[i].answer);
        }
    }
  g_test_message ("stored %u, duplicates %u, gaps refused %u", stored, duplicates, gaps);
  g_assert_cmpuint (stored, ==, 30);
  g_assert_cmpuint (duplicates, >, 0);
  g_assert_cmpint (stored_for (conn, desk), ==, 30);
  g_assert_cmpint (pt_test_db_int (conn, "SELECT max(c) FROM (SELECT count(*) c FROM events GROUP BY id) x"), ==, 1);
  /* Sequences have no holes. */
  g_assert_cmpint (pt_test_db_int (conn, "SELECT max(seq) - count(*) FROM events"), ==, 0);

  /* The desk's own sync now hears duplicates only; a reader ends identical. */
  {
    PtSyncReport report = { 0 };
    g_autofree char *a = NULL;
    g_autofree char *b = NULL;

    pt_test_sync (desk, &report);
    g_assert_cmpint (report.duplicates, ==, 30);
    g_assert_cmpint (report.pushed, ==, 0);
    pt_test_sync (reader, NULL);
    a = pt_test_states (desk);
    b = pt_test_states (reader);
    g_assert_cmpstr (a, ==, b);
  }
  for (guint b = 0; b < 3; b++)
    g_free (batches[b]);
  PQfinish (conn);
}

/* The application's automatic sync and paotuanctl sync on one desk at
 * once: each event stored once, nothing lost, the cursor never back. */
typedef struct {
  char        *path;
  PtSyncReport report;
  GError      *error;
} PathSync;

static gpointer
path_sync_thread (gpointer data)
{
  PathSync *job = data;
  g_autoptr(PtStore) store = pt_store_open (job->path, env->reference, &job->error);
  PtSyncOptions options;

  if (store == NULL)
    return NULL;
  pt_sync_options_init (&options);
  options.batch_size = 20;
  options.page_size = 30;
  pt_sync_run (store, &options, &job->report, NULL, &job->error);
  return NULL;
}

static void
test_concurrent_syncs (void)
{
  g_autofree char *path = NULL;
  g_autoptr(PtStore) desk = desk_with_events ("370304-BD-003", 199, NULL, &path);
  g_autoptr(PtStore) other = pt_test_env_desk (env, "370304-BD", NULL);
  PathSync jobs[2] = { { path, { 0 }, NULL }, { path, { 0 }, NULL } };
  GThread *threads[2];
  PGconn *conn = db ();

  /* Something to pull, too. */
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *c = pt_test_new_case (other, "370304-BD-003", "秦十七");
      (void) c;
    }
  pt_test_sync (other, NULL);
  pt_store_close (g_steal_pointer (&desk));

  for (guint i = 0; i < 2; i++)
    threads[i] = g_thread_new ("sync", path_sync_thread, &jobs[i]);
  for (guint i = 0; i < 2; i++)
    {
      g_thread_join (threads[i]);
      g_assert_no_error (jobs[i].error);
    }
  g_test_message ("stored %" G_GINT64_FORMAT " + %" G_GINT64_FORMAT ", duplicates %" G_GINT64_FORMAT
                  " + %" G_GINT64_FORMAT, jobs[0].report.pushed, jobs[1].report.pushed,
                  jobs[0].report.duplicates, jobs[1].report.duplicates);
  g_assert_cmpint (jobs[0].report.pushed + jobs[1].report.pushed, ==, 200);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PtStore) store = pt_store_open (path, env->reference, &error);
    g_autofree char *device = pt_store_get_meta (store, "sync.device");
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM events WHERE origin = '%s'", device);
    g_autofree char *a = NULL;
    g_autofree char *b = NULL;

    g_assert_cmpint (pt_test_db_int (conn, sql), ==, 200);
    g_assert_cmpint (pt_store_sync_count_pending (store, NULL), ==, 0);
    pt_test_sync (store, NULL);
    pt_test_sync (other, NULL);
    a = pt_test_states (store);
    b = pt_test_states (other);
    g_assert_cmpstr (a, ==, b);
  }
  PQfinish (conn);
}

static int
desk_sync_main (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtReference) ref = pt_reference_load_default (&error);
  g_autoptr(PtStore) store = NULL;
  PtSyncOptions options;

  if (ref == NULL)
    return 3;
  store = pt_store_open (path, ref, &error);
  if (store == NULL)
    return 3;
  pt_sync_options_init (&options);
  options.page_size = 50;
  if (!pt_sync_run (store, &options, NULL, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (argc == 3 && g_str_equal (argv[1], "--desk-sync"))
    return desk_sync_main (argv[2]);
  self_path = argv[0];
  g_test_init (&argc, &argv, NULL);
  curl_global_init (CURL_GLOBAL_DEFAULT);
  env = pt_test_env_new (NULL);
  if (env == NULL)
    return 77;
  g_test_add_func ("/server/faults/lost-answer", test_lost_answer);
  g_test_add_func ("/server/faults/kill-before-commit", test_kill_before_commit);
  g_test_add_func ("/server/faults/kill-after-commit", test_kill_after_commit);
  g_test_add_func ("/server/faults/kill-desk", test_kill_desk);
  g_test_add_func ("/server/faults/redelivery", test_redelivery);
  g_test_add_func ("/server/faults/concurrent-syncs", test_concurrent_syncs);
  status = g_test_run ();
  pt_test_env_free (env);
  return status;
}
