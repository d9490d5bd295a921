/* pt-server.h: what the files of paotuan-server share.
 *
 * The server is a thin HTTPS front (libsoup, on the main thread) over
 * PostgreSQL (libpq, on a pool of worker threads, one connection each). It
 * keeps no state of its own besides the database, so several processes can
 * run behind a load balancer.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libpq-fe.h>

#include "pt-district.h"
#include "pt-reference.h"

G_BEGIN_DECLS

typedef struct {
  char   *listen_address;    /* "127.0.0.1" */
  guint   listen_port;
  char   *certificate;
  char   *key;
  char   *database;          /* libpq connection string */
  gsize   max_body_bytes;
  char   *data_dir;          /* reference data; NULL: the default lookup */
  guint   workers;           /* database connections and worker threads */
  gint64  max_clock_ahead_ms;
  guint   token_days;
  guint   enroll_code_hours;
  guint   max_batch;
  guint   max_page;
  guint   idle_timeout_seconds; /* a read or write that waits longer closes the connection */
  guint   max_connections;      /* open at once, in total */
  guint   max_connections_per_client;
  guint   max_bad_codes_per_minute;     /* refused enrollment codes per client address, then 429 */
  guint   max_bad_tokens_per_minute; /* refused tokens per client address, then 429 */
  /* [testing]: widen the windows the fault tests aim at */
  guint   delay_before_commit_ms;
  guint   delay_after_commit_ms;
} PtServerConfig;

PtServerConfig *pt_server_config_load  (const char  *path,
                                        GError     **error);
void            pt_server_config_free  (PtServerConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtServerConfig, pt_server_config_free)

/* Structured log lines on standard error: one JSON object per line, with the
 * time, the level and the event, then @... pairs of key and value (strings),
 * ending with NULL. */
void     pt_server_log          (const char *level,
                                 const char *event,
                                 ...) G_GNUC_NULL_TERMINATED;

/* pt-server-db.c: connections and migrations. */
PGconn  *pt_db_connect          (const char  *conninfo,
                                 GError     **error);
gboolean pt_db_exec             (PGconn      *conn,
                                 const char  *sql,
                                 GError     **error);
/* Runs @sql with text parameters; returns the result when its status is
 * PGRES_COMMAND_OK or PGRES_TUPLES_OK, else NULL with @error. */
PGresult *pt_db_query           (PGconn      *conn,
                                 const char  *sql,
                                 int          n_params,
                                 const char * const *params,
                                 GError     **error);
gboolean pt_db_migrate          (PGconn      *conn,
                                 GError     **error);
/* Loads the units and the reference files at first start. */
gboolean pt_db_load_reference   (PGconn      *conn,
                                 PtDistrict  *district,
                                 const char  *data_dir,
                                 GError     **error);
void     pt_db_rollback         (PGconn      *conn);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* pt-server-auth.c: enrollment codes, tokens, devices. */
typedef struct {
  char   *id;
  char   *unit;
  char   *path;        /* the unit's scope path, "370304/370304-YC/" */
  char   *desk;
  guint   desk_index;  /* this desk's place among its unit's desks, for good: case numbers */
  char   *event_device; /* the device name its events carry, once it pushed; or NULL */
} PtDevice;

void      pt_device_free        (PtDevice *device);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtDevice, pt_device_free)

char     *pt_server_random_token (guint        n_bytes);
char     *pt_server_hash_secret  (const char  *secret);
char     *pt_server_enroll_code  (PGconn      *conn,
                                  const char  *unit,
                                  const char  *desk,
                                  guint        valid_hours,
                                  GError     **error);
/* Exchanges a code: returns the new device with its token in @token. */
PtDevice *pt_server_redeem_code  (PGconn      *conn,
                                  const char  *code,
                                  guint        token_days,
                                  char       **token,
                                  GError     **error);
/* PT_ERROR_AUTH when the token is unknown, expired or revoked. */
PtDevice *pt_server_authenticate (PGconn      *conn,
                                  const char  *authorization,
                                  GError     **error);
gboolean  pt_server_revoke       (PGconn      *conn,
                                  const char  *device,
                                  GError     **error);

/* A request handled on a worker thread: the answer to send. */
typedef struct {
  guint  status;
  char  *body;          /* JSON */
} PtReply;

/* pt-server-push.c and pt-server-pull.c. @root is the parsed request. */
void      pt_server_push         (PGconn               *conn,
                                  const PtServerConfig *config,
                                  PtDevice             *device,
                                  JsonNode             *root,
                                  PtReply              *reply);
void      pt_server_pull         (PGconn               *conn,
                                  const PtServerConfig *config,
                                  const PtDevice       *device,
                                  gint64                since,
                                  guint                 limit,
                                  PtReply              *reply);
void      pt_server_reference    (PGconn               *conn,
                                  const char           *have_version,
                                  PtReply              *reply);

/* pt-server-push.c: the district's units (code -> scope path), set once
 * before serving, and the codes of the units at or below a scope path. */
void       pt_server_set_unit_paths (GHashTable *paths);
/* The district and its catalog, for what push re-derives of an intake. */
void       pt_server_set_reference  (PtReference *reference);

/* An event's clock reading is refused before 2020-01-01 and more than a
 * year ahead of the server's clock (a day ahead is only flagged). */
#define PT_SERVER_EARLIEST_WALL_MS G_GINT64_CONSTANT (1577836800000)
#define PT_SERVER_LATEST_AHEAD_MS  (G_GINT64_CONSTANT (366) * 24 * 3600 * 1000)
GPtrArray *pt_server_units_within   (const char *path);

/* A JSON error body {"error": code, "message": text, "server_time": ms}. */
void      pt_reply_error         (PtReply              *reply,
                                  guint                 status,
                                  const char           *code,
                                  const char           *message);
gint64    pt_server_now_ms       (void);

/* pt-server-runners.c: the district's roster (runners.json). */
typedef struct {
  const char *unit;          /* list: only this unit; add: the runner's unit */
  const char *name;          /* add */
  const char *phone;         /* add */
  const char *staff_number;  /* add, optional */
  const char *id;            /* add, optional: the next free id otherwise */
} PtServerRunnerOptions;

GPtrArray *pt_db_list_runners    (PGconn      *conn,
                                  GError     **error);   /* PtRunner, by id */
/* Adds or updates @runners (checked already) inside the caller's
 * transaction; @n_new (nullable) counts the new ones. */
gboolean   pt_db_import_runners  (PGconn      *conn,
                                  GPtrArray   *runners,
                                  guint       *n_new,
                                  GError     **error);
/* The roster as the desks receive it ("runners.json"), or "" when the
 * server has no runner yet. */
char      *pt_db_roster_json     (PGconn      *conn,
                                  GError     **error);
/* paotuan-server runners list|add|retire|import: @argv starts after
 * "runners". Returns the exit status. */
int        pt_server_runners     (PGconn                      *conn,
                                  PtDistrict                  *district,
                                  int                          argc,
                                  char                       **argv,
                                  const PtServerRunnerOptions *options);

/* pt-server-http.c */
int       pt_server_serve        (PtServerConfig       *config,
                                  PtDistrict           *district);

G_END_DECLS
