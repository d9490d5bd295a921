/* pt-sync.h: the desk's side of sync with the district server.
 *
 * A sync pushes the outbox (events made on this desk and not yet
 * acknowledged) in batches, then pulls the server's changes page by page;
 * each page and its cursor are applied in one local transaction, so a sync
 * interrupted anywhere resumes where it stopped. The protocol is in
 * docs/server.md.
 *
 * The engine opens its own PtStore on the thread it runs on (SQLite WAL lets
 * the UI thread keep its connection); the application uses the _async
 * functions, paotuanctl the blocking ones.
 */
#pragma once

#include <gio/gio.h>

#include "pt-types.h"

G_BEGIN_DECLS

typedef enum {
  PT_SYNC_PHASE_CONNECTING,
  PT_SYNC_PHASE_PUSHING,
  PT_SYNC_PHASE_PULLING,
  PT_SYNC_PHASE_REFERENCE,
  PT_SYNC_PHASE_DONE,
} PtSyncPhase;

/* Progress of a running sync. @done and @total count events of the phase;
 * @total is -1 while unknown (a pull does not know how much remains). */
typedef struct {
  PtSyncPhase phase;
  gint64      done;
  gint64      total;
} PtSyncProgress;

/* Called on the thread that runs the sync (pt_sync_run), or on the caller's
 * main context (pt_sync_run_async). */
typedef void (*PtSyncProgressFunc) (const PtSyncProgress *progress,
                                    gpointer              user_data);

typedef struct {
  char              *ca_file;        /* PEM file of a private CA, or NULL: the system's CAs */
  guint              batch_size;     /* events per push; 0: 500 */
  guint              page_size;      /* events per pull page; 0: 1000 */
  guint              max_attempts;   /* tries of one request before giving up; 0: 6 */
  guint              timeout_s;      /* per request; 0: 60 */
  PtSyncProgressFunc progress;
  gpointer           progress_data;
} PtSyncOptions;

/* What one sync did. @error_code/@error_message are set when it stopped
 * early: PT_ERROR_AUTH means the desk must enroll again. */
typedef struct {
  gint64  pushed;        /* events the server stored */
  gint64  duplicates;    /* events the server already had */
  gint64  rejected;      /* events the server refused: now in the quarantine */
  gint64  pulled;        /* events received and applied */
  gint64  revoked;       /* cases that left this desk's scope */
  gint64  flagged;       /* stamps the server found far ahead of its clock */
  gint64  cursor;        /* the server sequence this desk has everything up to */
  gint64  pending;       /* events still in the outbox */
  gint64  server_time;   /* the server's clock at the last answer, ms */
  gint64  finished_at;   /* when the sync ended, ms (local clock) */
} PtSyncReport;

/* Enrollment data kept in the store's meta table. */
typedef struct {
  char   *server_url;    /* "https://host:port" */
  char   *device;        /* the device id the server gave */
  char   *unit;          /* the unit the desk was enrolled for */
  char   *ca_file;       /* NULL: the system's CAs */
  char   *last_sync;     /* ISO 8601, NULL before the first sync */
  char   *token_in;      /* "keyring", "database", NULL: none (enroll again) */
  gint64  cursor;
  gint64  pending;
  gint64  quarantined;
  gint64  conflicts;
} PtSyncStatus;

void          pt_sync_options_init      (PtSyncOptions *options);
void          pt_sync_options_clear     (PtSyncOptions *options);
PtSyncReport *pt_sync_report_copy       (const PtSyncReport *report);
void          pt_sync_report_free       (PtSyncReport *report);
void          pt_sync_status_free       (PtSyncStatus *status);

/* Exchanges the one-time @code printed by `paotuan-server enroll` for a
 * device id and a token, and keeps them (with @server_url and @ca_file) in
 * the store. @server_url must be https://. Blocking. */
gboolean      pt_sync_enroll            (PtStore        *store,
                                         const char     *server_url,
                                         const char     *code,
                                         const char     *ca_file,
                                         GCancellable   *cancellable,
                                         GError        **error);

/* The same on a worker thread with its own store on @db_path. */
void          pt_sync_enroll_async      (const char          *db_path,
                                         const char          *server_url,
                                         const char          *code,
                                         const char          *ca_file,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean      pt_sync_enroll_finish     (GAsyncResult        *result,
                                         GError             **error);

/* Runs one sync on @store (blocking). On failure @report (nullable) still
 * says what was done before. */
gboolean      pt_sync_run               (PtStore             *store,
                                         const PtSyncOptions *options,
                                         PtSyncReport        *report,
                                         GCancellable        *cancellable,
                                         GError             **error);

/* Opens its own store on @db_path in a worker thread and syncs there; the
 * progress callback of @options runs on the caller's thread-default main
 * context. @options is copied. */
void          pt_sync_run_async         (const char          *db_path,
                                         const PtSyncOptions *options,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
/* Returns the report (free with pt_sync_report_free), or NULL with @error;
 * PT_ERROR_AUTH: enroll again. */
PtSyncReport *pt_sync_run_finish        (GAsyncResult        *result,
                                         GError             **error);

/* The enrollment and counters for a status line; NULL fields when the desk
 * was never enrolled. */
PtSyncStatus *pt_sync_get_status        (PtStore             *store,
                                         GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtSyncReport, pt_sync_report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtSyncStatus, pt_sync_status_free)

G_END_DECLS
