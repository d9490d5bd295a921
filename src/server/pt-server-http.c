/* pt-server-http.c: the HTTPS front of paotuan-server.
 *
 * libsoup runs on the main thread; every request that touches the database
 * is paused there and handed to a worker thread with its own connection, so
 * that a slow commit never stalls the other desks.
 */
#define G_LOG_DOMAIN "paotuan-server"

#include <glib-unix.h>
#include <libsoup/soup.h>

#include <glib/gi18n-lib.h>

#include "pt-error.h"
#include "pt-json.h"
#include "pt-server.h"


typedef enum { ROUTE_HEALTH, ROUTE_ENROLL, ROUTE_PUSH, ROUTE_PULL, ROUTE_REFERENCE } Route;

typedef struct {
  PtServerConfig *config;
  GMainContext   *context;
  GAsyncQueue    *connections;    /* PGconn */
  GThreadPool    *pool;
  /* main thread only */
  GPtrArray      *open_sockets;   /* Counted: the connections open */
  GHashTable     *failures;       /* remote host -> Window of enrollments and bad tokens */
} Server;

/* What one client did within the current minute. */
typedef struct {
  gint64 start;        /* monotonic µs */
  guint  bad_codes;    /* enrollments refused (403) */
  guint  bad_tokens;   /* requests refused for their token (401) */
} Window;

#define RATE_WINDOW_US (60 * G_USEC_PER_SEC)

typedef struct {
  Server            *server;
  SoupServerMessage *msg;
  Route              route;
  GBytes            *body;
  char              *authorization;
  GHashTable        *query;
  PtReply            reply;
} Job;

static void
job_free (Job *job)
{
  g_object_unref (job->msg);
  g_clear_pointer (&job->body, g_bytes_unref);
  g_free (job->authorization);
  g_clear_pointer (&job->query, g_hash_table_unref);
  g_free (job->reply.body);
  g_free (job);
}

static void
set_reply (SoupServerMessage *msg,
           guint              status,
           const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  /* One request per connection: libsoup 3.2 never closes a keep-alive
   * connection its client closed (one descriptor lost each time, until the
   * server serves no one; fixed upstream in 3.3). docs/server.md, "HTTP". */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Connection", "close");
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    body, strlen (body));
}

static void
send_error (SoupServerMessage *msg,
            guint              status,
            const char        *code,
            const char        *message)
{
  PtReply reply = { 0, NULL };

  pt_reply_error (&reply, status, code, message);
  set_reply (msg, status, reply.body);
  g_free (reply.body);
}

static Window *client_window (Server *server, const char *host);

static gboolean
finish_cb (gpointer data)
{
  Job *job = data;

  set_reply (job->msg, job->reply.status, job->reply.body);
  if (job->reply.status == 401 || (job->route == ROUTE_ENROLL && job->reply.status == 403))
    {
      const char *host = soup_server_message_get_remote_host (job->msg);
      Window *window = client_window (job->server, host);

      window->bad_tokens += job->reply.status == 401;
      window->bad_codes += job->reply.status == 403;
      pt_server_log ("warning", job->reply.status == 401 ? "bad_token" : "bad_code",
                     "client", host ? host : "?", NULL);
    }
  soup_server_message_unpause (job->msg);
  job_free (job);
  return G_SOURCE_REMOVE;
}

/* Every byte off the network goes through the core's parser, the desk's
 * too: nesting deeper than 64, a NUL inside a string or bytes that are not
 * UTF-8 are refused with a reason, never handed to a recursive parser. */
static JsonNode *
parse_body (Job *job)
{
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const char *data = job->body ? g_bytes_get_data (job->body, &len) : NULL;
  JsonNode *root;

  if (data == NULL || len == 0)
    {
      pt_reply_error (&job->reply, 400, "bad_request", "The request has no JSON body");
      return NULL;
    }
  if (!g_utf8_validate (data, len, NULL))
    {
      pt_reply_error (&job->reply, 400, "bad_json", "The body is not valid JSON: it is not UTF-8");
      return NULL;
    }
  root = pt_json_parse (data, len, &error);
  if (root == NULL)
    {
      g_autofree char *msg = g_strdup_printf ("The body is not valid JSON: %s", error->message);
      pt_reply_error (&job->reply, 400, "bad_json", msg);
      return NULL;
    }
  return root;
}

static gboolean
query_int (Job        *job,
           const char *name,
           gint64      fallback,
           gint64      min,
           gint64      max,
           gint64     *out)
{
  const char *value = job->query ? g_hash_table_lookup (job->query, name) : NULL;

  if (value == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  if (!g_ascii_string_to_signed (value, 10, min, max, out, NULL))
    {
      g_autofree char *msg = g_strdup_printf ("The query parameter %s must be a whole number "
                                              "from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                                              name, min, max);
      pt_reply_error (&job->reply, 400, "bad_request", msg);
      return FALSE;
    }
  return TRUE;
}

static void
handle (Job    *job,
        PGconn *conn)
{
  const PtServerConfig *config = job->server->config;
  g_autoptr(GError) error = NULL;
  g_autoptr(PtDevice) device = NULL;
  g_autoptr(JsonNode) root = NULL;

  switch (job->route)
    {
    case ROUTE_HEALTH:
      {
        g_autoptr(PGresult) res = pt_db_query (conn, "SELECT seq FROM counter", 0, NULL, &error);
        if (res == NULL)
          pt_reply_error (&job->reply, 503, "unavailable", "The database does not answer");
        else
          {
            job->reply.status = 200;
            job->reply.body = g_strdup_printf ("{\"status\":\"ok\",\"server_time\":%" G_GINT64_FORMAT
                                               ",\"version\":\"%s\",\"watermark\":%s}",
                                               pt_server_now_ms (), PT_VERSION,
                                               PQgetvalue (res, 0, 0));
          }
        return;
      }

    case ROUTE_ENROLL:
      {
        JsonObject *obj;
        const char *code;
        g_autofree char *token = NULL;
        g_autoptr(JsonBuilder) b = NULL;
        g_autoptr(JsonNode) out = NULL;

        if ((root = parse_body (job)) == NULL)
          return;
        if (!JSON_NODE_HOLDS_OBJECT (root)
            || (obj = json_node_get_object (root), !json_object_has_member (obj, "code"))
            || json_node_get_value_type (json_object_get_member (obj, "code")) != G_TYPE_STRING)
          {
            pt_reply_error (&job->reply, 400, "bad_request", "The body must be {\"code\": \"XXXX-XXXX-XXXX\"}");
            return;
          }
        code = json_object_get_string_member (obj, "code");
        device = pt_server_redeem_code (conn, code, config->token_days, &token, &error);
        if (device == NULL)
          {
            if (g_error_matches (error, PT_ERROR, PT_ERROR_AUTH))
              pt_reply_error (&job->reply, 403, "bad_code", error->message);
            else
              pt_reply_error (&job->reply, 503, "unavailable", "The server could not enroll the desk; try again.");
            return;
          }
        pt_server_log ("info", "enrolled", "device", device->id, "unit", device->unit,
                       "desk", device->desk, NULL);
        b = json_builder_new ();
        json_builder_begin_object (b);
        json_builder_set_member_name (b, "device");
        json_builder_add_string_value (b, device->id);
        json_builder_set_member_name (b, "token");
        json_builder_add_string_value (b, token);
        json_builder_set_member_name (b, "unit");
        json_builder_add_string_value (b, device->unit);
        json_builder_set_member_name (b, "desk");
        json_builder_add_string_value (b, device->desk);
        json_builder_set_member_name (b, "desk_index");
        json_builder_add_int_value (b, device->desk_index);
        json_builder_set_member_name (b, "server_time");
        json_builder_add_int_value (b, pt_server_now_ms ());
        json_builder_end_object (b);
        out = json_builder_get_root (b);
        job->reply.status = 200;
        job->reply.body = json_to_string (out, FALSE);
        return;
      }

    case ROUTE_PUSH:
    case ROUTE_PULL:
    case ROUTE_REFERENCE:
      break;
    }

  device = pt_server_authenticate (conn, job->authorization, &error);
  if (device == NULL)
    {
      if (g_error_matches (error, PT_ERROR, PT_ERROR_AUTH))
        pt_reply_error (&job->reply, 401, "unauthorized", error->message);
      else
        pt_reply_error (&job->reply, 503, "unavailable", "The server could not check the token; try again.");
      return;
    }

  if (job->route == ROUTE_PUSH)
    {
      if ((root = parse_body (job)) != NULL)
        pt_server_push (conn, config, device, root, &job->reply);
    }
  else if (job->route == ROUTE_PULL)
    {
      gint64 since, limit;

      if (query_int (job, "since", 0, 0, G_MAXINT64, &since)
          && query_int (job, "limit", 1000, 1, config->max_page, &limit))
        pt_server_pull (conn, config, device, since, limit, &job->reply);
    }
  else
    pt_server_reference (conn, job->query ? g_hash_table_lookup (job->query, "version") : NULL,
                         &job->reply);
}

static void
worker (gpointer data,
        gpointer user_data)
{
  Job *job = data;
  Server *server = user_data;
  PGconn *conn = g_async_queue_pop (server->connections);

  if (PQstatus (conn) != CONNECTION_OK)
    PQreset (conn);
  handle (job, conn);
  if (job->reply.body == NULL)
    pt_reply_error (&job->reply, 500, "internal", "The server failed to answer");
  /* A connection left inside a failed transaction would poison the next job. */
  if (PQtransactionStatus (conn) != PQTRANS_IDLE)
    pt_db_rollback (conn);
  g_async_queue_push (server->connections, conn);
  g_main_context_invoke (server->context, finish_cb, job);
}

/* A body without a Content-Length (chunked) is counted as it arrives: once
 * it passes the limit the connection is closed, so an unauthenticated
 * client cannot make the server hold more than the limit. */
static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              Server            *server)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  GIOStream *stream;

  if (body->length <= (goffset) server->config->max_body_bytes)
    return;
  pt_server_log ("warning", "body_too_large", NULL);
  /* Taken from libsoup, which then forgets it, and closed at once. */
  stream = soup_server_message_steal_connection (msg);
  if (stream != NULL)
    {
      g_io_stream_close (stream, NULL, NULL);
      g_object_unref (stream);
    }
}

static void
early_cb (SoupServer        *soup,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  Server *server = user_data;
  goffset length = soup_message_headers_get_content_length (
    soup_server_message_get_request_headers (msg));

  /* Refuse an oversized body before reading it. */
  if (length > (goffset) server->config->max_body_bytes)
    {
      g_autofree char *text = g_strdup_printf ("The body is larger than the server's limit "
                                               "of %" G_GSIZE_FORMAT " bytes; send smaller batches",
                                               server->config->max_body_bytes);
      send_error (msg, 413, "too_large", text);
      return;
    }
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), server);
}

static void
request_cb (SoupServer        *soup,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Server *server = user_data;
  const char *method = soup_server_message_get_method (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *want = NULL;
  Route route;
  Job *job;

  if (g_str_equal (path, "/v1/health"))
    route = ROUTE_HEALTH, want = "GET";
  else if (g_str_equal (path, "/v1/enroll"))
    route = ROUTE_ENROLL, want = "POST";
  else if (g_str_equal (path, "/v1/events"))
    route = ROUTE_PUSH, want = "POST";
  else if (g_str_equal (path, "/v1/changes"))
    route = ROUTE_PULL, want = "GET";
  else if (g_str_equal (path, "/v1/reference"))
    route = ROUTE_REFERENCE, want = "GET";
  else
    {
      send_error (msg, 404, "not_found", "No such endpoint; see docs/server.md");
      return;
    }
  if (!g_str_equal (method, want))
    {
      g_autofree char *text = g_strdup_printf ("%s takes %s", path, want);
      send_error (msg, 405, "method_not_allowed", text);
      return;
    }
  if (body->length > (goffset) server->config->max_body_bytes)
    {
      send_error (msg, 413, "too_large", "The body is larger than the server's limit; send smaller batches");
      return;
    }

  /* Guessing codes or tokens is slowed to a few a minute per client, and
   * logged: the codes are short enough to type. */
  {
    const char *host = soup_server_message_get_remote_host (msg);
    Window *window = client_window (server, host);

    if ((route == ROUTE_ENROLL && window->bad_codes >= server->config->max_bad_codes_per_minute)
        || (route != ROUTE_ENROLL && route != ROUTE_HEALTH
            && window->bad_tokens >= server->config->max_bad_tokens_per_minute))
      {
        pt_server_log ("warning", route == ROUTE_ENROLL ? "enroll_rate_limited" : "token_rate_limited",
                       "client", host ? host : "?", NULL);
        soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "60");
        send_error (msg, 429, "too_many_requests",
                    "Too many attempts from this address; wait a minute and try again");
        return;
      }
  }

  job = g_new0 (Job, 1);
  job->server = server;
  job->msg = g_object_ref (msg);
  job->route = route;
  if (body->length > 0)
    job->body = soup_message_body_flatten (body);
  job->authorization = g_strdup (soup_message_headers_get_one (
    soup_server_message_get_request_headers (msg), "Authorization"));
  job->query = query ? g_hash_table_ref (query) : NULL;
  soup_server_message_pause (msg);
  g_thread_pool_push (server->pool, job, NULL);
}

/* Every connection has a time limit for each read and write: a client that
 * sends its headers or body too slowly, or keeps a connection idle, is
 * closed after it (libsoup 3.2 has no timeout of its own, and keeps a
 * keep-alive connection its client closed). */
static void
refuse_connection (SoupServerMessage *msg,
                   const char        *why,
                   const char        *host)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  /* libsoup reads the end of the stream and lets the connection go. */
  pt_server_log ("warning", why, "client", host, NULL);
  if (socket != NULL)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
}

/* The connections open, counted from their first request until libsoup
 * closed their socket (libsoup 3.2 may keep the socket object itself, so
 * the count asks each socket whether it is closed). */
typedef struct {
  GSocket *socket;
  char    *host;
} Counted;

static void
counted_free (gpointer data)
{
  Counted *counted = data;

  g_object_unref (counted->socket);
  g_free (counted->host);
  g_free (counted);
}

/* libsoup 3.2 leaks every connection whose TLS handshake fails: the
 * connection's first message and the connection hold each other (fixed
 * upstream in 3.3, "server-connection: fix dep cycle and connection leak"),
 * so its TLS session, about 25 kB, stays for good. A message that was never
 * connected but is now disconnected is that first message; once the
 * connection's reference is the only one left besides ours, it is dropped,
 * and the message frees the connection. */
static gboolean
release_unconnected_cb (gpointer data)
{
  GObject *msg = data;

  if (msg->ref_count == 2)
    g_object_unref (msg);
  g_object_unref (msg);
  return G_SOURCE_REMOVE;
}

static void
message_connected_cb (SoupServerMessage *msg,
                      gpointer           user_data)
{
  g_object_set_data (G_OBJECT (msg), "pt-connected", GINT_TO_POINTER (1));
}

static void
message_disconnected_cb (SoupServerMessage *msg,
                         gpointer           user_data)
{
  if (g_object_get_data (G_OBJECT (msg), "pt-connected") == NULL
      && g_object_get_data (G_OBJECT (msg), "pt-released") == NULL)
    {
      g_object_set_data (G_OBJECT (msg), "pt-released", GINT_TO_POINTER (1));
      g_idle_add (release_unconnected_cb, g_object_ref (msg));
    }
}

/* Connections beyond the caps are refused at once, and every connection
 * gets the idle timeout for each of its reads and writes. */
static void
request_started_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  Server *server = user_data;
  GSocket *socket = soup_server_message_get_socket (msg);
  const char *host = soup_server_message_get_remote_host (msg);
  Counted *counted;
  guint mine = 0;

  g_signal_connect (msg, "connected", G_CALLBACK (message_connected_cb), NULL);
  g_signal_connect (msg, "disconnected", G_CALLBACK (message_disconnected_cb), NULL);
  if (socket == NULL || g_object_get_data (G_OBJECT (socket), "pt-counted") != NULL)
    return;
  if (host == NULL)
    host = "?";
  for (guint i = server->open_sockets->len; i > 0; i--)
    {
      Counted *other = g_ptr_array_index (server->open_sockets, i - 1);

      if (g_socket_is_closed (other->socket))
        {
          /* libsoup 3.2 keeps one reference to every socket it accepted after
           * it closed it and freed its connection (valgrind: each GSocket
           * of g_socket_accept () definitely lost), about 0.4 kB a request.
           * A closed socket held by this list and one other is that lost
           * reference: it is dropped with ours. */
          if (G_OBJECT (other->socket)->ref_count == 2)
            g_object_unref (other->socket);
          g_ptr_array_remove_index_fast (server->open_sockets, i - 1);
        }
      else if (g_str_equal (other->host, host))
        mine++;
    }
  if (server->open_sockets->len >= server->config->max_connections)
    {
      refuse_connection (msg, "too_many_connections", host);
      return;
    }
  if (mine >= server->config->max_connections_per_client)
    {
      refuse_connection (msg, "too_many_connections_from_client", host);
      return;
    }
  counted = g_new0 (Counted, 1);
  counted->socket = g_object_ref (socket);
  counted->host = g_strdup (host);
  g_ptr_array_add (server->open_sockets, counted);
  g_object_set_data (G_OBJECT (socket), "pt-counted", GINT_TO_POINTER (1));
  g_socket_set_timeout (socket, server->config->idle_timeout_seconds);
}

/* The client's window of the current minute. */
static Window *
client_window (Server     *server,
               const char *host)
{
  Window *window = g_hash_table_lookup (server->failures, host ? host : "?");
  gint64 now = g_get_monotonic_time ();

  if (window == NULL)
    {
      window = g_new0 (Window, 1);
      g_hash_table_insert (server->failures, g_strdup (host ? host : "?"), window);
    }
  if (now - window->start > RATE_WINDOW_US)
    {
      window->start = now;
      window->bad_codes = 0;
      window->bad_tokens = 0;
    }
  return window;
}

static gboolean
quit_cb (gpointer data)
{
  pt_server_log ("info", "stopping", NULL);
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

int
pt_server_serve (PtServerConfig *config,
                 PtDistrict     *district)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(SoupServer) soup = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) sockaddr = NULL;
  g_autoptr(GHashTable) paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *port = NULL;
  g_autoptr(PtReference) reference = NULL;
  Server server = { config, g_main_context_default (), g_async_queue_new (), NULL,
                    g_ptr_array_new_with_free_func (counted_free),
                    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free) };

  cert = g_tls_certificate_new_from_files (config->certificate, config->key, &error);
  if (cert == NULL)
    {
      g_printerr (_("paotuan-server: cannot load the TLS certificate %s and key %s: %s\n"),
                  config->certificate, config->key, error->message);
      return 1;
    }

  for (guint i = 0; i < config->workers; i++)
    {
      PGconn *conn = pt_db_connect (config->database, &error);
      if (conn == NULL)
        {
          g_printerr ("paotuan-server: %s\n", error->message);
          return 1;
        }
      if (i == 0)
        {
          g_autoptr(PGresult) res = NULL;
          if (!pt_db_migrate (conn, &error)
              || !pt_db_load_reference (conn, district, config->data_dir, &error)
              || (res = pt_db_query (conn, "SELECT code, path FROM units", 0, NULL, &error)) == NULL)
            {
              g_printerr ("paotuan-server: %s\n", error->message);
              return 1;
            }
          for (int r = 0; r < PQntuples (res); r++)
            g_hash_table_insert (paths, g_strdup (PQgetvalue (res, r, 0)),
                                 g_strdup (PQgetvalue (res, r, 1)));
        }
      g_async_queue_push (server.connections, conn);
    }
  pt_server_set_unit_paths (paths);
  reference = pt_reference_load_dir (config->data_dir, &error);
  if (reference == NULL)
    {
      g_printerr ("paotuan-server: %s\n", error->message);
      return 1;
    }
  pt_server_set_reference (reference);

  server.pool = g_thread_pool_new (worker, &server, config->workers, FALSE, NULL);
  soup = soup_server_new ("tls-certificate", cert, "server-header", "paotuan-server", NULL);
  soup_server_add_early_handler (soup, NULL, early_cb, &server, NULL);
  soup_server_add_handler (soup, NULL, request_cb, &server, NULL);
  g_signal_connect (soup, "request-started", G_CALLBACK (request_started_cb), &server);

  address = g_inet_address_new_from_string (config->listen_address);
  if (address == NULL)
    {
      g_printerr (_("paotuan-server: listen address %s is not an IP address\n"), config->listen_address);
      return 1;
    }
  sockaddr = g_inet_socket_address_new (address, config->listen_port);
  if (!soup_server_listen (soup, sockaddr, SOUP_SERVER_LISTEN_HTTPS, &error))
    {
      g_printerr (_("paotuan-server: cannot listen on %s:%u: %s\n"),
                  config->listen_address, config->listen_port, error->message);
      return 1;
    }
  port = g_strdup_printf ("%u", config->listen_port);
  {
    g_autofree char *workers = g_strdup_printf ("%u", config->workers);
    pt_server_log ("info", "listening", "address", config->listen_address, "port", port,
                   "workers", workers, NULL);
  }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);

  soup_server_disconnect (soup);
  g_thread_pool_free (server.pool, FALSE, TRUE);
  for (guint i = 0; i < config->workers; i++)
    PQfinish (g_async_queue_pop (server.connections));
  g_async_queue_unref (server.connections);
  g_ptr_array_unref (server.open_sockets);
  g_hash_table_unref (server.failures);
  return 0;
}
