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
#include <signal.h>
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

/* A push body of the events @events (PtEvent *), numbered from @first_seq. */
static char *
batch_of (GPtrArray *events,
          gint64     first_seq)
{
  GString *body = g_string_new ("{\"events\": [");

  for (guint i = 0; i < events->len; i++)
    {
      g_autofree char *json = pt_event_to_string (events->pdata[i]);

      g_string_append_printf (body, "%s{\"device_seq\": %" G_GINT64_FORMAT ", \"event\": %s}",
                              i > 0 ? ", " : "", first_seq + i, json);
    }
  g_string_append (body, "]}");
  return g_string_free (body, FALSE);
}

static PtEvent *
event_on (const char  *id,
          const char  *case_id,
          const char  *device,
          const char  *author,
          PtEventType  type,
          const char  *payload)
{
  g_autoptr(JsonObject) object = pt_json_parse_object (payload, -1, NULL);
  g_autofree char *fresh = id == NULL ? pt_uuid7_new () : NULL;
  PtStamp stamp = { g_get_real_time () / 1000, 0 };

  return pt_event_new (id != NULL ? id : fresh, case_id, &stamp, device, author, type, object);
}

/* A desk writes in the name of its own unit's runners, or of one assigned to
 * the case, never of another unit's; and an answer says nothing of another
 * desk's events, not even that one has this id and other content. */
static void
test_author_and_ids (void)
{
  g_autoptr(PtStore) desk = pt_test_env_desk (env, "370304-YC-001", NULL);
  g_autoptr(PtStore) other = pt_test_env_desk (env, "370304-YC-003", NULL);
  g_autofree char *token = pt_store_get_meta (desk, "sync.token");
  g_autofree char *device = pt_store_get_meta (desk, "sync.device");
  g_autofree char *other_token = pt_store_get_meta (other, "sync.token");
  g_autofree char *other_device = pt_store_get_meta (other, "sync.device");
  g_autofree char *case_id = pt_test_new_case (desk, "370304-YC-001", "孙一");
  g_autofree char *other_case = pt_test_new_case (other, "370304-YC-003", "孙二");
  g_autoptr(GPtrArray) outbox = pt_store_sync_outbox (desk, 10, NULL);
  g_autoptr(GPtrArray) other_outbox = pt_store_sync_outbox (other, 10, NULL);
  g_autofree char *name = g_strdup (((PtOutboxEntry *) outbox->pdata[0])->event->device);
  g_autofree char *other_name = g_strdup (((PtOutboxEntry *) other_outbox->pdata[0])->event->device);
  g_autofree char *taken_id = g_strdup (((PtOutboxEntry *) outbox->pdata[0])->event->id);
  g_autofree char *high_sql = g_strdup_printf ("SELECT high_water FROM devices WHERE id = '%s'", device);
  g_autofree char *other_high_sql = g_strdup_printf ("SELECT high_water FROM devices WHERE id = '%s'",
                                                     other_device);
  PGconn *db = pt_test_env_db (env);

  PQclear (PQexec (db, "INSERT INTO runners (id, name, unit, phone) "
                       "VALUES ('R-7001', '王外村', '370304-YC-002', '13800000000') ON CONFLICT DO NOTHING"));
  pt_test_sync (desk, NULL);
  pt_test_sync (other, NULL);

  /* A note in the name of another village's runner. */
  {
    g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_event_free);
    g_autofree char *body = NULL;
    g_autofree char *answer = NULL;

    g_ptr_array_add (events, event_on (NULL, case_id, name, "R-7001", PT_EVENT_NOTE, "{\"text\": \"代签\"}"));
    body = batch_of (events, pt_test_db_int (db, high_sql) + 1);
    g_assert_cmpint (pt_test_http (env, "POST", "/v1/events", token, body, &answer), ==, 200);
    g_test_message ("%s", answer);
    g_assert_nonnull (strstr (answer, "\"outcome\":\"rejected\""));
    g_assert_nonnull (strstr (answer, "the author R-7001 is a runner of another unit"));
  }
  /* Assigned to the case first (in the same batch), the runner may write. */
  {
    g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_event_free);
    g_autofree char *body = NULL;
    g_autofree char *answer = NULL;

    g_ptr_array_add (events, event_on (NULL, case_id, name, NULL, PT_EVENT_RUNNER_ASSIGNED,
                                       "{\"runner\": \"R-7001\", \"reason\": \"就近\"}"));
    g_ptr_array_add (events, event_on (NULL, case_id, name, "R-7001", PT_EVENT_NOTE, "{\"text\": \"已上门\"}"));
    body = batch_of (events, pt_test_db_int (db, high_sql) + 1);
    g_assert_cmpint (pt_test_http (env, "POST", "/v1/events", token, body, &answer), ==, 200);
    g_test_message ("%s", answer);
    g_assert_null (strstr (answer, "\"outcome\":\"rejected\""));
  }
  /* Another village's desk sends an event under the id of one of this
   * desk's: refused, without a word of what that id holds. */
  {
    g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_event_free);
    g_autofree char *body = NULL;
    g_autofree char *answer = NULL;

    g_ptr_array_add (events, event_on (taken_id, other_case, other_name, NULL, PT_EVENT_NOTE,
                                       "{\"text\": \"探测\"}"));
    body = batch_of (events, pt_test_db_int (db, other_high_sql) + 1);
    g_assert_cmpint (pt_test_http (env, "POST", "/v1/events", other_token, body, &answer), ==, 200);
    g_test_message ("%s", answer);
    g_assert_nonnull (strstr (answer, "cannot be used"));
    g_assert_null (strstr (answer, "already stored"));
    g_assert_null (strstr (answer, case_id));
  }
  PQfinish (db);
}

/* A transfer sideways, to another village, is refused by the server even
 * from a desk that skipped its own check; one up to the town is stored. */
static void
test_sideways_transfer (void)
{
  g_autoptr(PtStore) desk = pt_test_env_desk (env, "370304-YC-001", NULL);
  g_autofree char *token = pt_store_get_meta (desk, "sync.token");
  g_autofree char *device = pt_store_get_meta (desk, "sync.device");
  g_autofree char *case_id = pt_test_new_case (desk, "370304-YC-001", "钱横");
  g_autoptr(GPtrArray) outbox = pt_store_sync_outbox (desk, 10, NULL);
  g_autofree char *name = g_strdup (((PtOutboxEntry *) outbox->pdata[0])->event->device);
  g_autofree char *high_sql = g_strdup_printf ("SELECT high_water FROM devices WHERE id = '%s'", device);
  PGconn *db = pt_test_env_db (env);
  struct { const char *payload; const char *outcome; const char *says; } tries[] = {
    { "{\"to_unit\": \"370304-YC-002\", \"level\": \"village\", \"reason\": \"邻村代办\"}",
      "rejected", "not sideways" },
    { "{\"to_unit\": \"370304-MZJ\", \"level\": \"district\", \"reason\": \"直接送局\"}",
      "rejected", "approval department" },
    { "{\"to_unit\": \"370304-YC\", \"level\": \"town\", \"reason\": \"村级不能办理\"}",
      "stored", NULL },
  };

  pt_test_sync (desk, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (tries); i++)
    {
      g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_event_free);
      g_autofree char *body = NULL;
      g_autofree char *answer = NULL;
      g_autofree char *outcome = g_strdup_printf ("\"outcome\":\"%s\"", tries[i].outcome);

      g_ptr_array_add (events, event_on (NULL, case_id, name, NULL, PT_EVENT_CASE_TRANSFERRED, tries[i].payload));
      body = batch_of (events, pt_test_db_int (db, high_sql) + 1);
      g_assert_cmpint (pt_test_http (env, "POST", "/v1/events", token, body, &answer), ==, 200);
      g_test_message ("%s", answer);
      g_assert_nonnull (strstr (answer, outcome));
      if (tries[i].says != NULL)
        g_assert_nonnull (strstr (answer, tries[i].says));
    }
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM cases WHERE id = '%s' AND unit = '370304-YC'",
                                            case_id);
    g_assert_cmpint (pt_test_db_int (db, sql), ==, 1);
  }
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
  g_assert_cmpint (pt_test_env_server_cli (env, by_name, NULL, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "by its id"));
  g_assert_cmpint (pt_test_db_int (db, "SELECT count(*) FROM devices WHERE desk = '窗口1' AND revoked IS NOT NULL"),
                   ==, 0);
  device_a = pt_store_get_meta (a, "sync.device");
  {
    const char *by_id[] = { "revoke", "--device", device_a, NULL };
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (pt_test_env_server_cli (env, by_id, NULL, NULL, &err), ==, 0);
  }
  g_assert_cmpint (pt_test_db_int (db, "SELECT count(*) FROM devices WHERE desk = '窗口1' AND revoked IS NOT NULL"),
                   ==, 1);
  PQfinish (db);
}

/* Raw TLS connections to the server, for what a client library would never
 * do: keep a connection idle, send a body slowly, close at any point. */

static gboolean
accept_any_cb (GTlsConnection       *connection,
               GTlsCertificate      *certificate,
               GTlsCertificateFlags  errors,
               gpointer              user_data)
{
  return TRUE;   /* the CA is the test's; what is tested is the HTTP layer */
}

/* A TLS connection, or NULL with @error when the server refused it. */
static GIOStream *
raw_try_connect_to (guint    port,
                    GError **error)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) plain = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, error);
  g_autoptr(GIOStream) tls = NULL;

  if (plain == NULL)
    return NULL;
  tls = g_tls_client_connection_new (G_IO_STREAM (plain), NULL, error);
  if (tls == NULL)
    return NULL;
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (accept_any_cb), NULL);
  if (!g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, error))
    return NULL;
  return g_steal_pointer (&tls);
}

static GIOStream *
raw_connect (void)
{
  g_autoptr(GError) error = NULL;
  GIOStream *tls = raw_try_connect_to (env->port, &error);

  g_assert_no_error (error);
  return tls;
}

static void
raw_write (GIOStream  *stream,
           const char *text)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (g_io_stream_get_output_stream (stream), text, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
}

/* Reads what the server sends until @needle appears or the connection ends;
 * returns what was read. */
static char *
raw_read_until (GIOStream  *stream,
                const char *needle)
{
  GString *got = g_string_new (NULL);
  char buf[4096];

  while (strstr (got->str, needle) == NULL)
    {
      gssize n = g_input_stream_read (g_io_stream_get_input_stream (stream), buf, sizeof buf, NULL, NULL);
      if (n <= 0)
        break;
      g_string_append_len (got, buf, n);
    }
  return g_string_free (got, FALSE);
}

static guint
fds_of (GSubprocess *server)
{
  g_autofree char *dir = g_strdup_printf ("/proc/%s/fd", g_subprocess_get_identifier (server));
  g_autoptr(GDir) fds = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (fds);
  while (g_dir_read_name (fds) != NULL)
    n++;
  return n;
}

static guint
server_fds (void)
{
  return fds_of (env->server);
}

/* The server's resident memory in kB. */
static guint
rss_kb_of (GSubprocess *server)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (server));
  g_autofree char *text = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  line = strstr (text, "VmRSS:");
  g_assert_nonnull (line);
  return (guint) g_ascii_strtoull (line + strlen ("VmRSS:"), NULL, 10);
}

/* Opens @n connections that begin a TLS handshake with bytes that are no
 * ClientHello and close; waits until the server has closed each. */
static void
fail_handshakes (guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocketConnection) plain = g_socket_client_connect_to_host (client, "127.0.0.1", env->port,
                                                                           NULL, &error);
      char buffer[64];

      g_assert_no_error (error);
      g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (plain)),
                                 "GET / HTTP/1.1\r\n\r\n", 18, NULL, NULL, &error);
      g_assert_no_error (error);
      /* The server answers with a TLS alert, or just closes. */
      while (g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (plain)),
                                  buffer, sizeof buffer, NULL, NULL) > 0)
        ;
      g_io_stream_close (G_IO_STREAM (plain), NULL, NULL);
    }
}

/* Handshakes that fail (a client that speaks no TLS, or gives up half way)
 * leave nothing behind: libsoup 3.2 kept each one's TLS session, about 25 kB,
 * for good. Two thousand of them, after a warm-up, grow the server by less
 * than a fifth of that. */
static void
test_failed_handshakes (void)
{
  guint before, after;
  g_autofree char *answer = NULL;

  fail_handshakes (200);
  before = rss_kb_of (env->server);
  fail_handshakes (2000);
  after = rss_kb_of (env->server);
  g_test_message ("server RSS: %u kB after 200 failed handshakes, %u kB after 2,200", before, after);
  g_assert_cmpuint (after, <, before + 2000 * 25 / 5);
  g_assert_cmpint (pt_test_http (env, "GET", "/v1/health", NULL, NULL, &answer), ==, 200);
}

/* The server closes what a client closed: fifty keep-alive health checks,
 * each closed by the client after its answer, leave no descriptor behind. */
static void
test_keepalive_closed (void)
{
  guint before;
  gint64 deadline;

  {
    g_autoptr(GIOStream) warm = raw_connect ();
    g_autofree char *answer = NULL;

    raw_write (warm, "GET /v1/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    answer = raw_read_until (warm, "\"status\":\"ok\"");
    g_io_stream_close (warm, NULL, NULL);
  }
  g_usleep (G_USEC_PER_SEC / 2);
  before = server_fds ();
  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(GIOStream) stream = raw_connect ();
      g_autofree char *answer = NULL;

      raw_write (stream, "GET /v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n");
      answer = raw_read_until (stream, "\"status\":\"ok\"");
      g_assert_nonnull (strstr (answer, "200"));
      g_io_stream_close (stream, NULL, NULL);
    }
  /* Closing takes the server a moment, never a leak. */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (server_fds () > before + 2 && g_get_monotonic_time () < deadline)
    g_usleep (G_USEC_PER_SEC / 10);
  g_test_message ("server descriptors: %u before, %u after 50 closed keep-alive connections", before, server_fds ());
  g_assert_cmpuint (server_fds (), <=, before + 2);
}

/* Idle connections, headers sent slowly, a body that stops: all closed
 * by the server once the idle timeout (3 s here) has passed, their
 * descriptors back. */
static void
test_slow_clients (void)
{
  g_autoptr(GPtrArray) streams = g_ptr_array_new_with_free_func (g_object_unref);
  guint before = server_fds ();
  gint64 deadline;

  for (guint i = 0; i < 30; i++)
    {
      GIOStream *stream = raw_connect ();

      if (i % 3 == 1)
        raw_write (stream, "GET /v1/health HTTP/1.1\r\nHost: loc");
      else if (i % 3 == 2)
        raw_write (stream, "POST /v1/enroll HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n{\"co");
      g_ptr_array_add (streams, stream);
    }
  g_assert_cmpuint (server_fds (), >=, before + 28);   /* before may hold one still closing */
  deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  while (server_fds () > before + 2 && g_get_monotonic_time () < deadline)
    g_usleep (G_USEC_PER_SEC / 5);
  g_test_message ("server descriptors: %u before, %u with 30 slow clients after the timeout", before, server_fds ());
  g_assert_cmpuint (server_fds (), <=, before + 2);
  /* And it still answers. */
  {
    g_autofree char *health = NULL;
    g_assert_cmpint (pt_test_http (env, "GET", "/v1/health", NULL, NULL, &health), ==, 200);
  }
  /* The server is gone from these: drop the sockets under the TLS layers,
   * which would otherwise wait for the server's goodbye on disposal. */
  for (guint i = 0; i < streams->len; i++)
    {
      g_autoptr(GIOStream) base = NULL;

      g_object_get (g_ptr_array_index (streams, i), "base-io-stream", &base, NULL);
      g_io_stream_close (base, NULL, NULL);
    }
}

static gint64
server_rss_kb (void)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (env->server));
  g_autofree char *text = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  line = strstr (text, "VmRSS:");
  g_assert_nonnull (line);
  return g_ascii_strtoll (line + 6, NULL, 10);
}

/* A chunked body (no Content-Length) to the unauthenticated endpoint is
 * cut off once it passes the limit (2 MB here), not read to its end: the
 * client cannot send 60 MB, and the server does not grow by them. */
static void
test_chunked_too_large (void)
{
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr(GIOStream) stream = raw_connect ();
  g_autofree char *chunk = g_strnfill (65536, 'x');
  g_autofree char *framed = g_strdup_printf ("10000\r\n%s\r\n", chunk);
  gint64 rss_before = server_rss_kb ();
  gsize sent = 0;
  GOutputStream *out = g_io_stream_get_output_stream (stream);

  raw_write (stream, "POST /v1/enroll HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n");
  while (sent < 60 * 1024 * 1024)
    {
      g_autoptr(GError) error = NULL;

      if (!g_output_stream_write_all (out, framed, strlen (framed), NULL, NULL, &error))
        break;
      sent += 65536;
    }
  g_test_message ("connected and sent in %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - t0) / 1000);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 10 * G_USEC_PER_SEC);
  g_test_message ("sent %" G_GSIZE_FORMAT " bytes before the server closed; RSS %" G_GINT64_FORMAT
                  " -> %" G_GINT64_FORMAT " kB", sent, rss_before, server_rss_kb ());
  g_assert_cmpuint (sent, <, 20 * 1024 * 1024);
  g_assert_cmpint (server_rss_kb () - rss_before, <, 16 * 1024);
  {
    g_autofree char *health = NULL;
    g_assert_cmpint (pt_test_http (env, "GET", "/v1/health", NULL, NULL, &health), ==, 200);
  }
}

/* Guessing enrollment codes: ten refusals a minute per address, then 429,
 * logged; a good code from elsewhere still works. */
static void
test_enroll_rate_limit (void)
{
  gsize log_from = pt_test_env_log_size (env);
  long status = 0;
  guint refused = 0;

  for (guint i = 0; i < 15; i++)
    {
      g_autofree char *answer = NULL;
      g_autofree char *body = g_strdup_printf ("{\"code\": \"AAAA-BBBB-%04u\"}", i);

      status = pt_test_http (env, "POST", "/v1/enroll", NULL, body, &answer);
      if (status == 403)
        refused++;
      else
        g_assert_cmpint (status, ==, 429);
    }
  g_assert_cmpuint (refused, ==, 10);
  g_assert_cmpint (status, ==, 429);
  g_assert_true (pt_test_env_wait_log (env, "enroll_rate_limited", log_from, 5000));
  g_assert_true (pt_test_env_wait_log (env, "bad_code", log_from, 5000));
}

/* How many lines of the server's log since @from have @needle. */
static guint
log_count (gsize       from,
           const char *needle)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  guint n = 0;

  if (!g_file_get_contents (env->server_log, &text, &len, NULL) || len < from)
    return 0;
  for (const char *p = text + from; (p = strstr (p, needle)) != NULL; p += strlen (needle))
    n++;
  return n;
}

/* Whether the server has closed @stream: a read that does not wait ends
 * the stream, where an open connection has nothing to say yet. */
static gboolean
closed_by_server (GIOStream *stream)
{
  g_autoptr(GError) error = NULL;
  char byte;
  gssize n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (stream)),
                                                       &byte, 1, NULL, &error);

  return n == 0 || (n < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK));
}

/* More connections from one address than the cap (40, on a server of this
 * test's own whose idle timeout is long): the extra ten are closed at once,
 * during or right after their handshake, and logged; the server's
 * descriptors stay bounded. */
static void
test_connection_cap (void)
{
  g_autoptr(GPtrArray) streams = g_ptr_array_new_with_free_func (g_object_unref);
  guint port = pt_test_free_port ();
  g_autoptr(GSubprocess) server = pt_test_env_spawn_server (env, NULL, NULL, port,
                                                            "idle-timeout-seconds=120\nmax-connections-per-client=40");
  gsize log_from = pt_test_env_log_size (env);
  guint before = fds_of (server);
  guint refused = 0;
  gint64 deadline;

  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(GError) error = NULL;
      GIOStream *stream = raw_try_connect_to (port, &error);

      if (stream != NULL)
        g_ptr_array_add (streams, stream);
      else
        refused++;
    }
  /* The server says so for each, whenever it got to them; then their ends
   * arrive. */
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (log_count (log_from, "too_many_connections_from_client") < 10 && g_get_monotonic_time () < deadline)
    g_usleep (G_USEC_PER_SEC / 10);
  g_assert_cmpuint (log_count (log_from, "too_many_connections_from_client"), ==, 10);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (fds_of (server) > before + 40 + 2 && g_get_monotonic_time () < deadline)
    g_usleep (G_USEC_PER_SEC / 10);
  g_usleep (G_USEC_PER_SEC / 2);
  for (guint i = 0; i < streams->len; i++)
    refused += closed_by_server (g_ptr_array_index (streams, i));
  g_test_message ("server descriptors: %u before, %u with 50 connections from one client; %u refused",
                  before, fds_of (server), refused);
  g_assert_cmpuint (refused, ==, 10);
  g_assert_cmpuint (fds_of (server), <=, before + 40 + 2);
  for (guint i = 0; i < streams->len; i++)
    {
      g_autoptr(GIOStream) base = NULL;

      g_object_get (g_ptr_array_index (streams, i), "base-io-stream", &base, NULL);
      g_io_stream_close (base, NULL, NULL);
    }
  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  /* Short, so that the tests of idle and slow connections wait little. */
  env = pt_test_env_new ("idle-timeout-seconds=3");
  if (env == NULL)
    return 77;
  g_test_add_func ("/server/hostile/deep-json", test_deep_json);
  g_test_add_func ("/server/hostile/intake-checks", test_intake_checks);
  g_test_add_func ("/server/hostile/numbers-unique", test_numbers_unique);
  g_test_add_func ("/server/hostile/author-and-ids", test_author_and_ids);
  g_test_add_func ("/server/hostile/sideways-transfer", test_sideways_transfer);
  g_test_add_func ("/server/hostile/revoke-shared-name", test_revoke_shared_name);
  g_test_add_func ("/server/hostile/keepalive-closed", test_keepalive_closed);
  g_test_add_func ("/server/hostile/slow-clients", test_slow_clients);
  g_test_add_func ("/server/hostile/chunked-too-large", test_chunked_too_large);
  g_test_add_func ("/server/hostile/connection-cap", test_connection_cap);
  g_test_add_func ("/server/hostile/enroll-rate-limit", test_enroll_rate_limit);
  g_test_add_func ("/server/hostile/failed-handshakes", test_failed_handshakes);
  status = g_test_run ();
  pt_test_env_free (env);
  return status;
}
