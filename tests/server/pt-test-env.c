/* pt-test-env.c: see pt-test-env.h. */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pt-error.h"
#include "pt-json.h"
#include "pt-store-sync.h"
#include "pt-test-env.h"

#define PG_BIN "/usr/lib/postgresql/15/bin"

guint
pt_test_free_port (void)
{
  struct sockaddr_in addr = { 0 };
  socklen_t len = sizeof addr;
  int fd = socket (AF_INET, SOCK_STREAM, 0);
  guint port;

  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  getsockname (fd, (struct sockaddr *) &addr, &len);
  port = ntohs (addr.sin_port);
  close (fd);
  return port;
}

static void
run_or_die (const char *const *argv,
            const char        *cwd)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_sync (cwd, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                     &out, &err, &status, &error))
    g_error ("%s: %s", argv[0], error->message);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s%s", argv[0], out, err);
}

/* Runs a PostgreSQL tool as the postgres user when we are root (initdb
 * refuses root), as ourselves otherwise. */
static void
run_pg (const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  if (getuid () == 0)
    {
      g_ptr_array_add (argv, (gpointer) "runuser");
      g_ptr_array_add (argv, (gpointer) "-u");
      g_ptr_array_add (argv, (gpointer) "postgres");
      g_ptr_array_add (argv, (gpointer) "--");
    }
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  run_or_die ((const char *const *) argv->pdata, "/");
}

static const char tls_script[] =
  "set -e\n"
  "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 -subj '/CN=Paotuan Test CA' 2>/dev/null\n"
  "openssl req -x509 -newkey rsa:2048 -nodes -keyout other-ca.key -out other-ca.pem -days 30 -subj '/CN=Other CA' 2>/dev/null\n"
  "printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > good.ext\n"
  "printf 'subjectAltName=DNS:wrong.example\\n' > wrong.ext\n"
  "for n in server expired wronghost; do\n"
  "  openssl req -newkey rsa:2048 -nodes -keyout $n.key -out $n.csr -subj '/CN=localhost' 2>/dev/null\n"
  "done\n"
  "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 30 -extfile good.ext 2>/dev/null\n"
  "openssl x509 -req -in wronghost.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out wronghost.pem -days 30 -extfile wrong.ext 2>/dev/null\n"
  "touch index.txt; echo 1000 > serial\n"
  "printf '[ca]\\ndefault_ca=d\\n[d]\\ndatabase=index.txt\\nnew_certs_dir=.\\nserial=serial\\ndefault_md=sha256\\npolicy=p\\n[p]\\ncommonName=supplied\\n' > ca.cnf\n"
  "openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in expired.csr -out expired.pem "
  "  -startdate 20200101000000Z -enddate 20200201000000Z -extfile good.ext -notext 2>/dev/null\n"
  "chmod 0644 *.key\n";

static void
pdeathsig_setup (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* The postmaster runs as our child (not daemonized by pg_ctl) and dies with
 * us, so that a test that aborts leaves no cluster behind. */
static void
start_postgres (PtTestEnv *env)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autofree char *log = g_build_filename (env->root, "postgres.log", NULL);
  g_autofree char *port = g_strdup_printf ("%u", env->pg_port);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  gint64 until;

  if (getuid () == 0)
    {
      const char *pre[] = { "setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups",
                            "--pdeathsig", "KILL", NULL };
      for (guint i = 0; pre[i]; i++)
        g_ptr_array_add (argv, (gpointer) pre[i]);
    }
  else
    g_subprocess_launcher_set_child_setup (launcher, pdeathsig_setup, NULL, NULL);
  {
    const char *args[] = { PG_BIN "/postgres", "-D", env->pg_data, "-c", "listen_addresses=",
                           "-p", port, "-k", env->pg_sock, "-c", "fsync=off",
                           "-c", "synchronous_commit=off", "-c", "max_connections=200",
                           "-c", "full_page_writes=off", NULL };
    for (guint i = 0; args[i]; i++)
      g_ptr_array_add (argv, (gpointer) args[i]);
  }
  g_ptr_array_add (argv, NULL);
  g_subprocess_launcher_take_stderr_fd (launcher, open (log, O_WRONLY | O_CREAT | O_APPEND, 0644));
  env->postgres = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  until = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (PQping (env->conninfo) != PQPING_OK)
    {
      if (g_get_monotonic_time () > until)
        {
          g_autofree char *text = NULL;
          g_file_get_contents (log, &text, NULL, NULL);
          g_error ("PostgreSQL did not start:\n%s", text);
        }
      g_usleep (20 * 1000);
    }
}

PtTestEnv *
pt_test_env_new (const char *extra_config)
{
  PtTestEnv *env;
  g_autoptr(GError) error = NULL;

  if (!g_file_test (PG_BIN "/initdb", G_FILE_TEST_IS_EXECUTABLE))
    {
      /* main () returns 77: meson counts the program as skipped. */
      g_printerr ("PostgreSQL 15 is not installed (apt-get install postgresql): skipping\n");
      return NULL;
    }
  env = g_new0 (PtTestEnv, 1);
  env->root = g_dir_make_tmp ("paotuan-server-XXXXXX", &error);
  g_assert_no_error (error);
  g_chmod (env->root, 0755);
  env->pg_data = g_build_filename (env->root, "pg", NULL);
  env->pg_sock = g_build_filename (env->root, "sock", NULL);
  env->tls = g_build_filename (env->root, "tls", NULL);
  g_mkdir (env->pg_data, 0700);
  g_mkdir (env->pg_sock, 0755);
  g_mkdir (env->tls, 0755);
  if (getuid () == 0)
    {
      const char *chown_argv[] = { "chown", "postgres:postgres", env->pg_data, env->pg_sock, NULL };
      run_or_die (chown_argv, "/");
    }
  env->pg_port = pt_test_free_port ();
  {
    const char *initdb[] = { PG_BIN "/initdb", "-D", env->pg_data, "-U", "postgres",
                             "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", NULL };
    run_pg (initdb);
  }
  env->conninfo = g_strdup_printf ("host=%s port=%u user=postgres dbname=postgres",
                                   env->pg_sock, env->pg_port);
  start_postgres (env);

  {
    const char *sh[] = { "sh", "-c", tls_script, NULL };
    run_or_die (sh, env->tls);
  }
  env->ca_pem = g_build_filename (env->tls, "ca.pem", NULL);
  env->other_ca_pem = g_build_filename (env->tls, "other-ca.pem", NULL);
  env->extra_config = g_strdup (extra_config);
  env->port = pt_test_free_port ();
  env->url = g_strdup_printf ("https://localhost:%u", env->port);
  env->server_log = g_build_filename (env->root, "server.log", NULL);
  env->reference = pt_reference_load_default (&error);
  g_assert_no_error (error);
  pt_test_env_start (env);
  return env;
}

static char *
write_config (PtTestEnv  *env,
              const char *cert,
              const char *key,
              guint       port,
              const char *extra)
{
  g_autofree char *name = g_strdup_printf ("server-%u.conf", port);
  char *path = g_build_filename (env->root, name, NULL);
  g_autofree char *text = g_strdup_printf (
    "[server]\n"
    "listen=127.0.0.1:%u\n"
    "certificate=%s\n"
    "key=%s\n"
    "database=%s\n"
    "max-body-bytes=2000000\n"
    "workers=6\n"
    "%s\n",
    port, cert, key, env->conninfo, extra ? extra : "");
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

gsize
pt_test_env_log_size (PtTestEnv *env)
{
  g_autofree char *text = NULL;
  gsize len = 0;

  g_file_get_contents (env->server_log, &text, &len, NULL);
  return len;
}

gboolean
pt_test_env_wait_log (PtTestEnv  *env,
                      const char *needle,
                      gsize       from,
                      guint       timeout_ms)
{
  gint64 until = g_get_monotonic_time () + timeout_ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      g_autofree char *text = NULL;
      gsize len = 0;

      if (g_file_get_contents (env->server_log, &text, &len, NULL) && len > from
          && strstr (text + from, needle) != NULL)
        return TRUE;
      g_usleep (10 * 1000);
    }
  return FALSE;
}

/* A test that aborts must not leave its server running. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

GSubprocess *
pt_test_env_spawn_server (PtTestEnv  *env,
                          const char *cert,
                          const char *key,
                          guint       port,
                          const char *extra_config)
{
  g_autofree char *cert_path = g_build_filename (env->tls, cert ? cert : "server.pem", NULL);
  g_autofree char *key_path = g_build_filename (env->tls, key ? key : "server.key", NULL);
  g_autofree char *config = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GError) error = NULL;
  const char *bin = g_getenv ("PAOTUAN_SERVER");
  gsize from = pt_test_env_log_size (env);
  g_autofree char *needle = NULL;
  GSubprocess *proc;

  g_assert_nonnull (bin);
  if (port == 0)
    port = env->port;
  config = write_config (env, cert_path, key_path, port, extra_config ? extra_config : env->extra_config);
  if (port == env->port)
    {
      g_free (env->config);
      env->config = g_strdup (config);
    }
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  {
    /* Append: a restarted server keeps one log. */
    int fd = open (env->server_log, O_WRONLY | O_CREAT | O_APPEND, 0644);
    g_subprocess_launcher_take_stderr_fd (launcher, fd);
  }
  proc = g_subprocess_launcher_spawn (launcher, &error, bin, "--config", config, "serve", NULL);
  g_assert_no_error (error);
  needle = g_strdup_printf ("\"port\":\"%u\"", port);
  if (!pt_test_env_wait_log (env, needle, from, 20000))
    {
      g_autofree char *log = NULL;
      g_file_get_contents (env->server_log, &log, NULL, NULL);
      g_error ("paotuan-server did not start:\n%s", log);
    }
  return proc;
}

void
pt_test_env_start (PtTestEnv *env)
{
  g_assert_null (env->server);
  env->server = pt_test_env_spawn_server (env, NULL, NULL, 0, NULL);
}

void
pt_test_env_stop (PtTestEnv *env,
                  gboolean   sigkill)
{
  if (env->server == NULL)
    return;
  if (sigkill)
    g_subprocess_force_exit (env->server);
  else
    g_subprocess_send_signal (env->server, SIGTERM);
  g_subprocess_wait (env->server, NULL, NULL);
  g_clear_object (&env->server);
}

void
pt_test_env_free (PtTestEnv *env)
{
  if (env == NULL)
    return;
  pt_test_env_stop (env, FALSE);
  /* Immediate shutdown: the data is thrown away anyway. */
  g_subprocess_send_signal (env->postgres, SIGQUIT);
  g_subprocess_wait (env->postgres, NULL, NULL);
  g_clear_object (&env->postgres);
  if (g_getenv ("PT_TEST_KEEP") == NULL)
    {
      const char *rm[] = { "rm", "-rf", env->root, NULL };
      run_or_die (rm, "/");
    }
  g_free (env->root);
  g_free (env->pg_data);
  g_free (env->pg_sock);
  g_free (env->conninfo);
  g_free (env->tls);
  g_free (env->ca_pem);
  g_free (env->other_ca_pem);
  g_free (env->config);
  g_free (env->extra_config);
  g_free (env->url);
  g_free (env->server_log);
  pt_reference_free (env->reference);
  g_free (env);
}

char *
pt_test_env_enroll_code (PtTestEnv  *env,
                         const char *unit,
                         const char *desk)
{
  const char *argv[] = { g_getenv ("PAOTUAN_SERVER"), "--config", env->config, "enroll",
                         "--unit", unit, "--desk", desk, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("enroll failed: %s", err);
  return g_strstrip (g_steal_pointer (&out));
}

PtStore *
pt_test_env_desk (PtTestEnv  *env,
                  const char *unit,
                  char      **path_out)
{
  g_autofree char *name = g_strdup_printf ("desk-%u.db", ++env->n_desks);
  g_autofree char *path = g_build_filename (env->root, name, NULL);
  g_autofree char *code = pt_test_env_enroll_code (env, unit, name);
  g_autoptr(GError) error = NULL;
  PtStore *store = pt_store_open (path, env->reference, &error);

  g_assert_no_error (error);
  pt_store_import_district (store, env->reference->district, &error);
  g_assert_no_error (error);
  g_assert_true (pt_store_set_meta (store, "unit", unit, &error));
  pt_sync_enroll (store, env->url, code, env->ca_pem, NULL, &error);
  g_assert_no_error (error);
  pt_test_add_runners (store, unit);
  if (path_out != NULL)
    *path_out = g_steal_pointer (&path);
  return store;
}

PGconn *
pt_test_env_db (PtTestEnv *env)
{
  PGconn *conn = PQconnectdb (env->conninfo);

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  return conn;
}

gint64
pt_test_db_int (PGconn     *conn,
                const char *sql)
{
  PGresult *res = PQexec (conn, sql);
  gint64 value;

  if (PQresultStatus (res) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  value = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  PQclear (res);
  return value;
}

void
pt_test_sync (PtStore      *store,
              PtSyncReport *report)
{
  g_autoptr(GError) error = NULL;
  PtSyncReport local = { 0 };

  pt_sync_run (store, NULL, report ? report : &local, NULL, &error);
  g_assert_no_error (error);
}

void
pt_test_add_runners (PtStore    *store,
                     const char *unit)
{
  /* The same two runners on every desk: runner ids are district-wide. */
  static const char *const ids[] = { "R-9001", "R-9002" };
  static const char *const names[] = { "张跑手", "李跑手" };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      PtRunner runner = { (char *) ids[i], (char *) names[i], (char *) unit,
                          (char *) "9000", (char *) "13800000000", TRUE };
      g_autoptr(GError) error = NULL;
      g_autoptr(PtRunner) existing = pt_store_get_runner (store, ids[i], NULL);

      if (existing == NULL)
        {
          pt_store_add_runner (store, &runner, &error);
          g_assert_no_error (error);
        }
    }
}

static const char *
item_for (PtStore    *store,
          const char *unit)
{
  const PtUnit *u = pt_district_lookup (pt_store_get_reference (store)->district, unit);

  g_assert_nonnull (u);
  switch (u->level)
    {
    case PT_LEVEL_VILLAGE: return "V-WJJ-001";
    case PT_LEVEL_TOWN: return "T-MZJ-002";
    default: return "D-FGJ-001";
    }
}

char *
pt_test_new_case (PtStore    *store,
                  const char *unit,
                  const char *name)
{
  g_autofree char *text = g_strdup_printf (
    "{\"applicant\": {\"kind\": \"person\", \"name\": \"%s\","
    " \"id_number\": \"370304195803120021\", \"phone\": \"13912345678\","
    " \"address\": \"博山区域城镇 1 号\", \"vulnerable\": \"none\"},"
    " \"channel\": \"window\", \"items\": [\"%s\"], \"unit\": \"%s\"}",
    name, item_for (store, unit), unit);
  g_autoptr(JsonObject) request = pt_json_parse_object (text, -1, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *number = pt_store_create_case (store, request, "R-9001", &error);
  char *id;

  g_assert_no_error (error);
  id = pt_store_resolve_case (store, number, &error);
  g_assert_no_error (error);
  return id;
}

gboolean
pt_test_append (PtStore    *store,
                const char *case_id,
                const char *type,
                const char *payload_json,
                GError    **error)
{
  JsonObject *payload = pt_json_parse_object (payload_json, -1, error);
  g_autoptr(PtEvent) event = NULL;
  PtEventType t;

  g_assert_true (pt_event_type_from_string (type, &t));
  if (payload == NULL)
    return FALSE;
  event = pt_store_new_event (store, case_id, t, payload, "R-9001");
  return pt_store_append (store, event, error);
}

static GPtrArray *
case_ids (PtStore *store)
{
  PtCaseQuery query;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  pt_case_query_init (&query);
  rows = pt_store_list_cases (store, &query, 0, 1000000, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (ids, g_strdup (((PtCaseRow *) rows->pdata[i])->id));
  g_ptr_array_sort (ids, (GCompareFunc) g_strcmp0);
  return ids;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

char *
pt_test_states (PtStore *store)
{
  g_autoptr(GPtrArray) ids = case_ids (store);
  GString *out = g_string_new (NULL);

  g_ptr_array_sort (ids, compare_strings);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PtCaseState) state = pt_store_load_case (store, ids->pdata[i], &error);
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      text = pt_case_state_to_string (state);
      g_string_append_printf (out, "%s\n", text);
    }
  return g_string_free (out, FALSE);
}

char *
pt_test_event_ids (PtStore *store)
{
  g_autoptr(GPtrArray) ids = case_ids (store);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) events = pt_store_load_events (store, ids->pdata[i], &error);

      g_assert_no_error (error);
      for (guint j = 0; j < events->len; j++)
        g_ptr_array_add (all, g_strdup (((PtEvent *) events->pdata[j])->id));
    }
  g_ptr_array_sort (all, compare_strings);
  for (guint i = 0; i < all->len; i++)
    g_string_append_printf (out, "%s\n", (char *) all->pdata[i]);
  return g_string_free (out, FALSE);
}

static size_t
collect_cb (char   *data,
            size_t  size,
            size_t  nmemb,
            void   *user_data)
{
  g_string_append_len (user_data, data, size * nmemb);
  return size * nmemb;
}

long
pt_test_http (PtTestEnv  *env,
              const char *method,
              const char *path,
              const char *token,
              const char *body,
              char      **answer)
{
  CURL *c = curl_easy_init ();
  g_autofree char *url = g_strconcat (env->url, path, NULL);
  g_autofree char *auth = token ? g_strdup_printf ("Authorization: Bearer %s", token) : NULL;
  struct curl_slist *headers = NULL;
  GString *out = g_string_new (NULL);
  long status = 0;
  CURLcode rc;

  curl_easy_setopt (c, CURLOPT_URL, url);
  curl_easy_setopt (c, CURLOPT_CAINFO, env->ca_pem);
  curl_easy_setopt (c, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt (c, CURLOPT_WRITEFUNCTION, collect_cb);
  curl_easy_setopt (c, CURLOPT_WRITEDATA, out);
  curl_easy_setopt (c, CURLOPT_TIMEOUT, 60L);
  if (auth)
    headers = curl_slist_append (headers, auth);
  headers = curl_slist_append (headers, "Expect:");
  if (body)
    {
      headers = curl_slist_append (headers, "Content-Type: application/json");
      curl_easy_setopt (c, CURLOPT_POSTFIELDS, body);
      curl_easy_setopt (c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) strlen (body));
    }
  curl_easy_setopt (c, CURLOPT_HTTPHEADER, headers);
  rc = curl_easy_perform (c);
  if (rc == CURLE_OK)
    curl_easy_getinfo (c, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all (headers);
  curl_easy_cleanup (c);
  if (answer)
    *answer = g_string_free (out, FALSE);
  else
    g_string_free (out, TRUE);
  return status;
}

/* paotuan-server --config … ARGS; @locale (nullable) sets LANG. */
int
pt_test_env_server_cli (PtTestEnv          *env,
                        const char * const *args,
                        const char         *locale,
                        char              **out,
                        char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  int status = 0;

  g_ptr_array_add (argv, (gpointer) g_getenv ("PAOTUAN_SERVER"));
  g_ptr_array_add (argv, (gpointer) "--config");
  g_ptr_array_add (argv, env->config);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  envp = g_environ_setenv (envp, "LANG", locale != NULL ? locale : "C.UTF-8", TRUE);
  envp = g_environ_setenv (envp, "LANGUAGE", locale != NULL ? "zh_CN" : "", TRUE);
  envp = g_environ_unsetenv (envp, "LC_ALL");
  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status, &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}
