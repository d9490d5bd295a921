/* bench-soak.c: one district server under load and faults for minutes: N
 * desks (500) recording and syncing through a fault-injecting proxy that
 * cuts requests and drops answers at random, while other clients hold slow
 * connections and send bad bodies; the server runs under a 1,024-descriptor
 * limit. Every 10 s the server's descriptors and memory are sampled; at the
 * end every desk syncs once more, directly, and every event each desk
 * recorded must be on the server exactly once. Prints a Markdown table
 * (BENCHMARKS.md). Usage: bench-soak [--desks N] [--seconds S] [--threads T] */
#include <sys/resource.h>

#include <curl/curl.h>

#include "pt-error.h"
#include "pt-fault-proxy.h"
#include "pt-json.h"
#include "pt-store-sync.h"
#include "pt-test-env.h"

static PtTestEnv *env;
static PtFaultProxy *proxy;
static gint64 deadline_us;
static gint n_syncs, n_failed, n_recorded;

static const char * const villages[] = {
  "370304-YC-001", "370304-YC-002", "370304-YC-003", "370304-YC-004",
  "370304-BD-001", "370304-BD-002", "370304-BD-003",
};

typedef struct {
  GPtrArray *desks;   /* PtStore: this thread's own */
  guint      seed;
} Worker;

static gpointer
desk_worker (gpointer data)
{
  Worker *worker = data;
  GRand *rand = g_rand_new_with_seed (worker->seed);

  while (g_get_monotonic_time () < deadline_us)
    {
      PtStore *store = g_ptr_array_index (worker->desks, g_rand_int_range (rand, 0, worker->desks->len));
      g_autofree char *unit = pt_store_get_meta (store, "unit");
      g_autoptr(GError) error = NULL;
      PtSyncOptions options;
      PtSyncReport report = { 0 };
      g_autofree char *case_id = pt_test_new_case (store, unit, "压测");

      for (guint i = 0; i < 3; i++)
        {
          g_autofree char *note = g_strdup_printf ("{\"text\": \"记录 %u\"}", i);
          pt_test_append (store, case_id, "note", note, NULL);
        }
      g_atomic_int_add (&n_recorded, 4);
      pt_sync_options_init (&options);
      options.ca_file = g_strdup (env->ca_pem);
      options.max_attempts = 2;
      options.timeout_s = 20;
      pt_sync_run (store, &options, &report, NULL, &error);
      pt_sync_options_clear (&options);
      g_atomic_int_inc (&n_syncs);
      if (error != NULL)
        g_atomic_int_inc (&n_failed);
    }
  g_rand_free (rand);
  return NULL;
}

/* Slow clients and bad bodies, straight to the server. */
static gpointer
hostile_worker (gpointer data)
{
  GRand *rand = g_rand_new_with_seed (GPOINTER_TO_UINT (data));
  g_autoptr(GString) deep = g_string_new (NULL);

  for (guint i = 0; i < 50000; i++)
    g_string_append_c (deep, '[');
  while (g_get_monotonic_time () < deadline_us)
    {
      g_autofree char *answer = NULL;

      switch (g_rand_int_range (rand, 0, 3))
        {
        case 0:
          pt_test_http (env, "POST", "/v1/enroll", NULL, deep->str, &answer);
          break;
        case 1:
          pt_test_http (env, "POST", "/v1/events", "not-a-token", "{\"events\": [1, 2, 3]}", &answer);
          break;
        default:
          {
            /* A connection that says half a request and waits. */
            g_autoptr(GSocketClient) client = g_socket_client_new ();
            g_autoptr(GSocketConnection) conn = g_socket_client_connect_to_host (client, "127.0.0.1", env->port,
                                                                                 NULL, NULL);
            if (conn != NULL)
              {
                g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)),
                                           "\x16\x03\x01", 3, NULL, NULL, NULL);
                g_usleep (g_rand_int_range (rand, 100, 2000) * 1000);
              }
          }
        }
    }
  g_rand_free (rand);
  return NULL;
}

/* Cuts and lost answers at random through the desks' proxy. */
static gpointer
chaos_worker (gpointer data)
{
  GRand *rand = g_rand_new_with_seed (7);

  while (g_get_monotonic_time () < deadline_us)
    {
      if (g_rand_boolean (rand))
        pt_fault_proxy_cut_requests (proxy, g_rand_int_range (rand, 200, 20000), 1);
      else
        pt_fault_proxy_drop_answers (proxy, 300, 1);
      g_usleep (g_rand_int_range (rand, 50, 500) * 1000);
    }
  g_rand_free (rand);
  return NULL;
}

static void
sample (guint *fds,
        gint64 *rss_kb)
{
  g_autofree char *dir = g_strdup_printf ("/proc/%s/fd", g_subprocess_get_identifier (env->server));
  g_autofree char *status_path = g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (env->server));
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autofree char *status = NULL;
  const char *line;

  *fds = 0;
  while (d != NULL && g_dir_read_name (d) != NULL)
    (*fds)++;
  *rss_kb = 0;
  if (g_file_get_contents (status_path, &status, NULL, NULL) && (line = strstr (status, "VmRSS:")) != NULL)
    *rss_kb = g_ascii_strtoll (line + 6, NULL, 10);
}

int
main (int   argc,
      char *argv[])
{
  int n_desks = 500, seconds = 300, n_threads = 16;
  GOptionEntry entries[] = {
    { "desks", 0, 0, G_OPTION_ARG_INT, &n_desks, "Desks", "N" },
    { "seconds", 0, 0, G_OPTION_ARG_INT, &seconds, "Duration of the load", "S" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &n_threads, "Desk threads", "T" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) desks = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_store_close);
  g_autofree Worker *workers = NULL;
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  g_autofree char *via = NULL;
  struct rlimit limit, server_limit;
  guint fds_first = 0, fds_min = G_MAXUINT, fds_max = 0, fds;
  gint64 rss_first = 0, rss_max = 0, rss;
  gint64 lost = 0, stored = 0;
  double t0;
  PGconn *db;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  curl_global_init (CURL_GLOBAL_DEFAULT);

  /* The server (and PostgreSQL) start with 1,024 descriptors; this process
   * then takes what it needs for its desks. */
  getrlimit (RLIMIT_NOFILE, &limit);
  server_limit = limit;
  server_limit.rlim_cur = MIN (1024, limit.rlim_max);
  setrlimit (RLIMIT_NOFILE, &server_limit);
  env = pt_test_env_new ("workers=8\nidle-timeout-seconds=30\nmax-connections=800\n"
                         "max-connections-per-client=800\nmax-bad-tokens-per-minute=100000\n"
                         "max-bad-codes-per-minute=100000\n");
  limit.rlim_cur = limit.rlim_max;
  setrlimit (RLIMIT_NOFILE, &limit);
  if (env == NULL)
    return 77;

  proxy = pt_fault_proxy_new (env->port);
  via = g_strdup_printf ("https://localhost:%u", pt_fault_proxy_get_port (proxy));
  t0 = g_get_monotonic_time () / 1e6;
  for (int i = 0; i < n_desks; i++)
    {
      PtStore *store = pt_test_env_desk (env, villages[i % G_N_ELEMENTS (villages)], NULL);

      g_assert_true (pt_store_set_meta (store, "sync.server", via, &error));
      g_ptr_array_add (desks, store);
    }
  g_printerr ("enrolled %d desks in %.0f s\n", n_desks, g_get_monotonic_time () / 1e6 - t0);

  deadline_us = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;
  workers = g_new0 (Worker, n_threads);
  for (int t = 0; t < n_threads; t++)
    {
      workers[t].desks = g_ptr_array_new ();
      workers[t].seed = 1000 + t;
      for (guint i = t; i < desks->len; i += n_threads)
        g_ptr_array_add (workers[t].desks, g_ptr_array_index (desks, i));
      g_ptr_array_add (threads, g_thread_new ("desk", desk_worker, &workers[t]));
    }
  for (guint t = 0; t < 4; t++)
    g_ptr_array_add (threads, g_thread_new ("hostile", hostile_worker, GUINT_TO_POINTER (t + 1)));
  g_ptr_array_add (threads, g_thread_new ("chaos", chaos_worker, NULL));

  while (g_get_monotonic_time () < deadline_us)
    {
      g_usleep (10 * G_USEC_PER_SEC);
      sample (&fds, &rss);
      if (fds_first == 0)
        fds_first = fds, rss_first = rss;
      fds_min = MIN (fds_min, fds);
      fds_max = MAX (fds_max, fds);
      rss_max = MAX (rss_max, rss);
      g_printerr ("t+%3.0f s: server %u descriptors, %" G_GINT64_FORMAT " kB; %d syncs (%d failed)\n",
                  g_get_monotonic_time () / 1e6 - t0, fds, rss, g_atomic_int_get (&n_syncs),
                  g_atomic_int_get (&n_failed));
    }
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));
  sample (&fds, &rss);

  /* Nothing lost: each desk, synced directly once more, has every event it
   * recorded on the server, once. */
  db = pt_test_env_db (env);
  for (guint i = 0; i < desks->len; i++)
    {
      PtStore *store = g_ptr_array_index (desks, i);
      g_autofree char *device = pt_store_get_meta (store, "sync.device");
      g_autofree char *sql = NULL;
      g_autoptr(GError) sync_error = NULL;
      g_autoptr(GPtrArray) outbox = NULL;
      PtSyncOptions options;
      PtSyncReport report = { 0 };
      gint64 mine;

      pt_store_set_meta (store, "sync.server", env->url, NULL);
      pt_sync_options_init (&options);
      options.ca_file = g_strdup (env->ca_pem);
      pt_sync_run (store, &options, &report, NULL, &sync_error);
      pt_sync_options_clear (&options);
      outbox = pt_store_sync_outbox (store, 1, NULL);
      sql = g_strdup_printf ("SELECT count(*) FROM events WHERE origin = '%s'", device);
      mine = pt_test_db_int (db, sql);
      stored += mine;
      if (sync_error != NULL || (outbox != NULL && outbox->len > 0))
        lost++;
    }
  {
    gint64 distinct = pt_test_db_int (db, "SELECT count(DISTINCT id) FROM events");
    gint64 all = pt_test_db_int (db, "SELECT count(*) FROM events");

    g_print ("| soak: %d desks, %d s, %d desk threads, 4 hostile clients, random cuts and lost answers "
             "(%u cut) | %d syncs (%d cut short and retried later), %d events recorded, %" G_GINT64_FORMAT
             " stored, each once (%" G_GINT64_FORMAT " distinct of %" G_GINT64_FORMAT "); %" G_GINT64_FORMAT
             " desks with events left after the final sync |\n",
             n_desks, seconds, n_threads, pt_fault_proxy_get_cuts (proxy), g_atomic_int_get (&n_syncs),
             g_atomic_int_get (&n_failed), g_atomic_int_get (&n_recorded), stored, distinct, all, lost);
    g_print ("| server under a 1,024-descriptor limit | descriptors %u first sample, %u-%u during, %u after; "
             "RSS %" G_GINT64_FORMAT " kB first, %" G_GINT64_FORMAT " kB at most, %" G_GINT64_FORMAT " kB after |\n",
             fds_first, fds_min, fds_max, fds, rss_first, rss_max, rss);
    PQfinish (db);
    pt_fault_proxy_free (proxy);
    pt_test_env_free (env);
    return lost == 0 && distinct == all && stored == g_atomic_int_get (&n_recorded) ? 0 : 1;
  }
}
