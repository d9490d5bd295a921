/* pt-test-env.h: what the server tests share: a throwaway PostgreSQL
 * cluster, a private CA with good and bad certificates, paotuan-server
 * processes, and enrolled desks. Everything lives under one tmp directory
 * and on loopback. */
#pragma once

#include <gio/gio.h>
#include <libpq-fe.h>

#include "pt-reference.h"
#include "pt-store.h"
#include "pt-sync.h"

G_BEGIN_DECLS

typedef struct {
  char        *root;
  char        *pg_data;
  char        *pg_sock;
  guint        pg_port;
  char        *conninfo;
  char        *tls;           /* directory of the PEM files */
  char        *ca_pem;        /* the district's CA */
  char        *other_ca_pem;  /* an unrelated CA */
  char        *config;        /* the server's configuration */
  char        *extra_config;
  guint        port;
  char        *url;           /* https://localhost:PORT */
  GSubprocess *server;
  GSubprocess *postgres;
  char        *server_log;
  PtReference *reference;
  guint        n_desks;
} PtTestEnv;

/* NULL when PostgreSQL is not installed: the program then exits with 77
 * (skipped). */
PtTestEnv   *pt_test_env_new            (const char *extra_config);
void         pt_test_env_free           (PtTestEnv  *env);
/* Starts paotuan-server with @cert/@key (NULL: the good ones) on @port (0:
 * env->port) and waits until it listens. */
GSubprocess *pt_test_env_spawn_server   (PtTestEnv  *env,
                                         const char *cert,
                                         const char *key,
                                         guint       port,
                                         const char *extra_config);
void         pt_test_env_start          (PtTestEnv  *env);
void         pt_test_env_stop           (PtTestEnv  *env,
                                         gboolean    sigkill);
/* Waits until the server's log has a line with @needle (after @from bytes). */
gboolean     pt_test_env_wait_log       (PtTestEnv  *env,
                                         const char *needle,
                                         gsize       from,
                                         guint       timeout_ms);
gsize        pt_test_env_log_size       (PtTestEnv  *env);
char        *pt_test_env_enroll_code    (PtTestEnv  *env,
                                         const char *unit,
                                         const char *desk);
/* A new desk database for @unit, enrolled; @path_out (nullable) gets its path. */
PtStore     *pt_test_env_desk           (PtTestEnv  *env,
                                         const char *unit,
                                         char      **path_out);
PGconn      *pt_test_env_db             (PtTestEnv  *env);
gint64       pt_test_db_int             (PGconn     *conn,
                                         const char *sql);
guint        pt_test_free_port          (void);

/* A plain sync that must succeed. */
void         pt_test_sync               (PtStore      *store,
                                         PtSyncReport *report);

/* Desk helpers: a case taken at @unit (village item), and events on it. */
char        *pt_test_new_case           (PtStore    *store,
                                         const char *unit,
                                         const char *name);
void         pt_test_add_runners        (PtStore    *store,
                                         const char *unit);
gboolean     pt_test_append             (PtStore    *store,
                                         const char *case_id,
                                         const char *type,
                                         const char *payload_json,
                                         GError    **error);
/* The canonical states of every case, joined: equal strings, equal desks. */
char        *pt_test_states             (PtStore    *store);
/* The ids of every event in the log, sorted and joined. */
char        *pt_test_event_ids          (PtStore    *store);

/* paotuan-server --config (env's) ARGS; @locale (nullable: C) sets LANG.
 * Returns its exit status; @out and @err (nullable) get what it printed. */
int          pt_test_env_server_cli     (PtTestEnv          *env,
                                         const char * const *args,
                                         const char         *locale,
                                         char              **out,
                                         char              **err);

/* A raw HTTPS request with libcurl against the server. */
long         pt_test_http               (PtTestEnv  *env,
                                         const char *method,
                                         const char *path,
                                         const char *token,
                                         const char *body,
                                         char      **answer);

G_END_DECLS
