/* pt-store-worker.h: the application's one PtStore, kept on one worker thread.
 *
 * A PtStore is one SQLite connection and not thread-safe, and the UI thread
 * must never wait on the disk. Every store call of the application is a job
 * run in order on a GThreadPool of one thread; the results come back on the
 * main context through GTask _async / _finish pairs.
 */
#pragma once

#include <gio/gio.h>

#include "pt-store.h"
#include "pt-reference.h"

G_BEGIN_DECLS

#define PT_TYPE_STORE_WORKER (pt_store_worker_get_type ())
G_DECLARE_FINAL_TYPE (PtStoreWorker, pt_store_worker, PT, STORE_WORKER, GObject)

/* A job: runs on the worker thread with the open store. Returns the result
 * (freed with the job's result destroy function), or NULL with @error set. */
typedef gpointer (*PtStoreJobFunc) (PtStore       *store,
                                    gpointer       data,
                                    GCancellable  *cancellable,
                                    GError       **error);

/* A copy of a PtCaseQuery that owns its strings. */
typedef struct {
  PtCaseQuery query;
  char       *search;
  char       *runner;
  char       *unit;
  char       *today;
  char       *due_from;
} PtOwnedQuery;

PtOwnedQuery  *pt_owned_query_new       (const PtCaseQuery *query);
void           pt_owned_query_free      (PtOwnedQuery *owned);

/* A case with its log, as the case page shows it. */
typedef struct {
  PtCaseState *state;
  GPtrArray   *events;      /* PtEvent, in fold order */
  GPtrArray   *runners;     /* PtRunner of the case's unit */
} PtCaseDetail;

void           pt_case_detail_free      (PtCaseDetail *detail);

PtStoreWorker *pt_store_worker_new      (const char   *path,
                                         PtReference  *reference);
const char    *pt_store_worker_get_path (PtStoreWorker *self);
PtReference   *pt_store_worker_get_reference (PtStoreWorker *self);

/* Opens the store (creating the file when missing). Must be called first;
 * later jobs wait behind it. */
void           pt_store_worker_open_async  (PtStoreWorker       *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean       pt_store_worker_open_finish (PtStoreWorker       *self,
                                            GAsyncResult        *result,
                                            GError             **error);

void           pt_store_worker_run_async   (PtStoreWorker       *self,
                                            PtStoreJobFunc       func,
                                            gpointer             data,
                                            GDestroyNotify       data_destroy,
                                            GDestroyNotify       result_destroy,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gpointer       pt_store_worker_run_finish  (PtStoreWorker       *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* Runs a job and waits for it: only for tests and the benchmark, never the UI. */
gpointer       pt_store_worker_run_sync    (PtStoreWorker       *self,
                                            PtStoreJobFunc       func,
                                            gpointer             data,
                                            GError             **error);

/* Typed jobs. Each _finish returns what the named store call returns. */
void           pt_store_worker_list_cases_async  (PtStoreWorker *self,
                                                  const PtCaseQuery *query,
                                                  guint offset,
                                                  guint limit,
                                                  gboolean with_count,
                                                  GCancellable *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer user_data);
/* Returns the rows (PtCaseRow); @count receives the total when asked for, else -1. */
GPtrArray     *pt_store_worker_list_cases_finish (PtStoreWorker *self,
                                                  GAsyncResult *result,
                                                  gint64 *count,
                                                  GError **error);

void           pt_store_worker_load_case_async   (PtStoreWorker *self,
                                                  const char *number_or_id,
                                                  GCancellable *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer user_data);
PtCaseDetail  *pt_store_worker_load_case_finish  (PtStoreWorker *self,
                                                  GAsyncResult *result,
                                                  GError **error);

/* Makes and appends one event of this desk (takes @payload), then reloads the case. */
void           pt_store_worker_append_async      (PtStoreWorker *self,
                                                  const char *case_id,
                                                  PtEventType type,
                                                  JsonObject *payload,
                                                  const char *author,
                                                  GCancellable *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer user_data);
PtCaseDetail  *pt_store_worker_append_finish     (PtStoreWorker *self,
                                                  GAsyncResult *result,
                                                  GError **error);

/* Creates a case from an intake request (takes @request); returns its number. */
void           pt_store_worker_create_case_async (PtStoreWorker *self,
                                                  JsonObject *request,
                                                  const char *author,
                                                  GCancellable *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer user_data);
char          *pt_store_worker_create_case_finish (PtStoreWorker *self,
                                                   GAsyncResult *result,
                                                   GError **error);

/* The runners of @unit (NULL: all), PtRunner. */
void           pt_store_worker_list_runners_async  (PtStoreWorker *self,
                                                    const char *unit,
                                                    GCancellable *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer user_data);
GPtrArray     *pt_store_worker_list_runners_finish (PtStoreWorker *self,
                                                    GAsyncResult *result,
                                                    GError **error);

/* A meta value of the store ("unit", "runner"), or NULL. */
void           pt_store_worker_get_meta_async    (PtStoreWorker *self,
                                                  const char *key,
                                                  GCancellable *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer user_data);
char          *pt_store_worker_get_meta_finish   (PtStoreWorker *self,
                                                  GAsyncResult *result,
                                                  GError **error);

/* After a sync wrote the file: reloads the clock and takes the holiday
 * tables the server sent (pt_store_update_calendar ()); @n_refolded: how
 * many cases with provisional dates were counted again. */
void           pt_store_worker_after_sync_async  (PtStoreWorker *self,
                                                  GCancellable *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer user_data);
gboolean       pt_store_worker_after_sync_finish (PtStoreWorker *self,
                                                  GAsyncResult *result,
                                                  guint *n_refolded,
                                                  GError **error);

G_END_DECLS
