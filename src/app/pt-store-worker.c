/* pt-store-worker.c: one store, one thread, jobs in order. */
#define G_LOG_DOMAIN "pt-app"

#include "pt-store-worker.h"

#include "pt-error.h"

struct _PtStoreWorker
{
  GObject      parent_instance;

  char        *path;
  PtReference *reference;     /* borrowed: the application owns it */
  GThreadPool *pool;
  PtStore     *store;         /* touched only on the worker thread */
  GMainContext *context;      /* where the worker was made: its signals run there */
  gint         lost;          /* "store-lost" was emitted (atomic) */
};

G_DEFINE_FINAL_TYPE (PtStoreWorker, pt_store_worker, G_TYPE_OBJECT)

enum {
  STORE_LOST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct {
  PtStoreWorker *self;
  char          *message;
} LostCall;

static void
lost_call_free (LostCall *call)
{
  g_object_unref (call->self);
  g_free (call->message);
  g_free (call);
}

static gboolean
emit_lost_cb (gpointer user_data)
{
  LostCall *call = user_data;

  g_signal_emit (call->self, signals[STORE_LOST], 0, call->message);
  return G_SOURCE_REMOVE;
}

/* On the worker thread: the first time a job finds the file removed or
 * replaced under the store, the window hears of it on its own thread. */
static void
note_lost (PtStoreWorker *self,
           const GError  *error)
{
  LostCall *call;

  if (!g_error_matches (error, PT_ERROR, PT_ERROR_STORE_LOST) || !g_atomic_int_compare_and_exchange (&self->lost, 0, 1))
    return;
  call = g_new0 (LostCall, 1);
  call->self = g_object_ref (self);
  call->message = g_strdup (error->message);
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, emit_lost_cb, call,
                              (GDestroyNotify) lost_call_free);
}

typedef struct {
  PtStoreJobFunc  func;
  gpointer        data;
  GDestroyNotify  data_destroy;
  GDestroyNotify  result_destroy;
  GTask          *task;       /* NULL for a synchronous job */
  gboolean        opens;      /* the job that opens the store */
  /* synchronous jobs */
  GMutex          mutex;
  GCond           cond;
  gboolean        done;
  gpointer        result;
  GError         *error;
} Job;

static void
job_free (Job *job)
{
  if (job->data_destroy != NULL && job->data != NULL)
    job->data_destroy (job->data);
  g_free (job);
}

static void
run_job (gpointer job_data,
         gpointer user_data)
{
  PtStoreWorker *self = user_data;
  Job *job = job_data;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable = job->task ? g_task_get_cancellable (job->task) : NULL;
  gpointer result = NULL;

  /* A cancelled job (an outdated search) is skipped without touching the disk. */
  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    result = NULL;
  else if (self->store == NULL && !job->opens)
    g_set_error (&error, PT_ERROR, PT_ERROR_STORE,
                 "The database %s is not open; restart the application", self->path);
  else
    {
      /* A newer keystroke cancels this job even while SQLite runs it. */
      if (self->store != NULL)
        pt_store_set_cancellable (self->store, cancellable);
      result = job->func (self->store, job->data, cancellable, &error);
      if (self->store != NULL)
        pt_store_set_cancellable (self->store, NULL);
      if (error != NULL)
        note_lost (self, error);
    }

  if (job->task != NULL)
    {
      GTask *task = job->task;

      if (result == NULL && error != NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, result, job->result_destroy);
      g_object_unref (task);
      return;
    }

  g_mutex_lock (&job->mutex);
  job->result = result;
  job->error = g_steal_pointer (&error);
  job->done = TRUE;
  g_cond_signal (&job->cond);
  g_mutex_unlock (&job->mutex);
}

static void
pt_store_worker_dispose (GObject *object)
{
  PtStoreWorker *self = PT_STORE_WORKER (object);

  /* Waits for the queued jobs, so that no thread uses the store any more. */
  if (self->pool != NULL)
    {
      g_thread_pool_free (self->pool, FALSE, TRUE);
      self->pool = NULL;
    }
  g_clear_pointer (&self->store, pt_store_close);

  G_OBJECT_CLASS (pt_store_worker_parent_class)->dispose (object);
}

static void
pt_store_worker_finalize (GObject *object)
{
  PtStoreWorker *self = PT_STORE_WORKER (object);

  g_free (self->path);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (pt_store_worker_parent_class)->finalize (object);
}

static void
pt_store_worker_class_init (PtStoreWorkerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pt_store_worker_dispose;
  object_class->finalize = pt_store_worker_finalize;

  /**
   * PtStoreWorker::store-lost:
   * @message: what happened and what to do, for the clerk
   *
   * The database or its WAL was removed or replaced under the open store;
   * the store refuses every write from then on. Emitted once, on the
   * context the worker was made in.
   */
  signals[STORE_LOST] = g_signal_new ("store-lost", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
pt_store_worker_init (PtStoreWorker *self)
{
}

/**
 * pt_store_worker_new:
 * @path: the SQLite file
 * @reference: (transfer none): reference data; must outlive the worker
 *
 * Returns: a worker whose store is not open yet (see pt_store_worker_open_async()).
 */
PtStoreWorker *
pt_store_worker_new (const char  *path,
                     PtReference *reference)
{
  PtStoreWorker *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (PT_TYPE_STORE_WORKER, NULL);
  self->path = g_strdup (path);
  self->reference = reference;
  self->context = g_main_context_ref_thread_default ();
  /* One thread, so that the connection is never used by two at once. */
  self->pool = g_thread_pool_new (run_job, self, 1, FALSE, &error);
  g_assert_no_error (error);

  return self;
}

const char *
pt_store_worker_get_path (PtStoreWorker *self)
{
  g_return_val_if_fail (PT_IS_STORE_WORKER (self), NULL);
  return self->path;
}

PtReference *
pt_store_worker_get_reference (PtStoreWorker *self)
{
  g_return_val_if_fail (PT_IS_STORE_WORKER (self), NULL);
  return self->reference;
}

void
pt_store_worker_run_async (PtStoreWorker       *self,
                           PtStoreJobFunc       func,
                           gpointer             data,
                           GDestroyNotify       data_destroy,
                           GDestroyNotify       result_destroy,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  Job *job;

  g_return_if_fail (PT_IS_STORE_WORKER (self));

  job = g_new0 (Job, 1);
  job->func = func;
  job->data = data;
  job->data_destroy = data_destroy;
  job->result_destroy = result_destroy;
  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, pt_store_worker_run_async);
  /* The job lives as long as the task, whichever thread drops it last. */
  g_task_set_task_data (job->task, job, (GDestroyNotify) job_free);
  g_thread_pool_push (self->pool, job, NULL);
}

gpointer
pt_store_worker_run_finish (PtStoreWorker  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gpointer
pt_store_worker_run_sync (PtStoreWorker  *self,
                          PtStoreJobFunc  func,
                          gpointer        data,
                          GError        **error)
{
  Job job = { 0 };
  gpointer result;

  g_return_val_if_fail (PT_IS_STORE_WORKER (self), NULL);

  job.func = func;
  job.data = data;
  g_mutex_init (&job.mutex);
  g_cond_init (&job.cond);
  g_thread_pool_push (self->pool, &job, NULL);

  g_mutex_lock (&job.mutex);
  while (!job.done)
    g_cond_wait (&job.cond, &job.mutex);
  g_mutex_unlock (&job.mutex);

  g_mutex_clear (&job.mutex);
  g_cond_clear (&job.cond);
  result = job.result;
  if (job.error != NULL)
    g_propagate_error (error, job.error);
  return result;
}

/* Opening */

static gpointer
open_job (PtStore       *unused,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  PtStoreWorker *self = data;
  g_autofree char *dir = g_path_get_dirname (self->path);

  if (self->store != NULL)
    return GINT_TO_POINTER (TRUE);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_STORE,
                   "Cannot create the folder %s: %s; choose another database with --db",
                   dir, g_strerror (errno));
      return NULL;
    }
  self->store = pt_store_open (self->path, self->reference, error);
  if (self->store == NULL)
    return NULL;
  /* The list reads a page at a time: 8 MB of pages is plenty, and after a
   * scroll through a district's 200,000 cases the default 32 MB was most of
   * what the window had grown by. */
  if (!pt_store_limit_cache (self->store, 8, error))
    {
      g_clear_pointer (&self->store, pt_store_close);
      return NULL;
    }
  return GINT_TO_POINTER (TRUE);
}

void
pt_store_worker_open_async (PtStoreWorker       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  Job *job;

  g_return_if_fail (PT_IS_STORE_WORKER (self));

  job = g_new0 (Job, 1);
  job->data = self;
  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, pt_store_worker_open_async);
  g_task_set_task_data (job->task, job, (GDestroyNotify) job_free);
  /* open_job ignores its store argument; run_job passes NULL before open. */
  job->func = open_job;
  job->opens = TRUE;
  g_thread_pool_push (self->pool, job, NULL);
}

gboolean
pt_store_worker_open_finish (PtStoreWorker  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_pointer (G_TASK (result), error) != NULL;
}

/* Queries */

PtOwnedQuery *
pt_owned_query_new (const PtCaseQuery *query)
{
  PtOwnedQuery *owned = g_new0 (PtOwnedQuery, 1);

  owned->query = *query;
  owned->search = g_strdup (query->search);
  owned->runner = g_strdup (query->runner);
  owned->unit = g_strdup (query->unit);
  owned->today = g_strdup (query->today);
  owned->due_from = g_strdup (query->due_from);
  owned->query.due_from = owned->due_from;
  owned->query.search = owned->search;
  owned->query.runner = owned->runner;
  owned->query.unit = owned->unit;
  owned->query.today = owned->today;
  return owned;
}

void
pt_owned_query_free (PtOwnedQuery *owned)
{
  if (owned == NULL)
    return;
  g_free (owned->search);
  g_free (owned->runner);
  g_free (owned->unit);
  g_free (owned->today);
  g_free (owned->due_from);
  g_free (owned);
}

void
pt_case_detail_free (PtCaseDetail *detail)
{
  if (detail == NULL)
    return;
  g_clear_pointer (&detail->state, pt_case_state_free);
  g_clear_pointer (&detail->events, g_ptr_array_unref);
  g_clear_pointer (&detail->runners, g_ptr_array_unref);
  g_free (detail);
}

typedef struct {
  PtOwnedQuery *query;
  guint         offset;
  guint         limit;
  gboolean      with_count;
} ListData;

typedef struct {
  GPtrArray *rows;
  gint64     count;
} ListResult;

static void
list_data_free (ListData *data)
{
  pt_owned_query_free (data->query);
  g_free (data);
}

static void
list_result_free (ListResult *result)
{
  g_clear_pointer (&result->rows, g_ptr_array_unref);
  g_free (result);
}

static gpointer
list_job (PtStore       *store,
          gpointer       user_data,
          GCancellable  *cancellable,
          GError       **error)
{
  ListData *data = user_data;
  g_autoptr(GPtrArray) rows = NULL;
  ListResult *result;
  gint64 count = -1;

  if (data->with_count)
    {
      g_autoptr(GError) local_error = NULL;

      count = pt_store_count_cases (store, &data->query->query, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  if (data->limit > 0)
    {
      rows = pt_store_list_cases (store, &data->query->query, data->offset, data->limit, error);
      if (rows == NULL)
        return NULL;
    }
  else
    rows = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_case_row_free);

  result = g_new0 (ListResult, 1);
  result->rows = g_steal_pointer (&rows);
  result->count = count;
  return result;
}

void
pt_store_worker_list_cases_async (PtStoreWorker       *self,
                                  const PtCaseQuery   *query,
                                  guint                offset,
                                  guint                limit,
                                  gboolean             with_count,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  ListData *data = g_new0 (ListData, 1);

  data->query = pt_owned_query_new (query);
  data->offset = offset;
  data->limit = limit;
  data->with_count = with_count;
  pt_store_worker_run_async (self, list_job, data, (GDestroyNotify) list_data_free,
                             (GDestroyNotify) list_result_free,
                             cancellable, callback, user_data);
}

GPtrArray *
pt_store_worker_list_cases_finish (PtStoreWorker  *self,
                                   GAsyncResult   *result,
                                   gint64         *count,
                                   GError        **error)
{
  ListResult *list = pt_store_worker_run_finish (self, result, error);
  GPtrArray *rows;

  if (list == NULL)
    return NULL;
  if (count != NULL)
    *count = list->count;
  rows = g_steal_pointer (&list->rows);
  list_result_free (list);
  return rows;
}

/* Cases */

static PtCaseDetail *
load_detail (PtStore     *store,
             const char  *number_or_id,
             GError     **error)
{
  g_autofree char *case_id = NULL;
  g_autoptr(PtCaseState) state = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) runners = NULL;
  PtCaseDetail *detail;

  case_id = pt_store_resolve_case (store, number_or_id, error);
  if (case_id == NULL)
    return NULL;
  state = pt_store_load_case (store, case_id, error);
  if (state == NULL)
    return NULL;
  events = pt_store_load_events (store, case_id, error);
  if (events == NULL)
    return NULL;
  /* The runners of the unit that holds the case, for assignment. */
  runners = pt_store_list_runners (store, state->unit, NULL);
  if (runners == NULL)
    runners = g_ptr_array_new ();

  detail = g_new0 (PtCaseDetail, 1);
  detail->state = g_steal_pointer (&state);
  detail->events = g_steal_pointer (&events);
  detail->runners = g_steal_pointer (&runners);
  return detail;
}

static gpointer
load_case_job (PtStore       *store,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  return load_detail (store, data, error);
}

void
pt_store_worker_load_case_async (PtStoreWorker       *self,
                                 const char          *number_or_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  pt_store_worker_run_async (self, load_case_job, g_strdup (number_or_id), g_free,
                             (GDestroyNotify) pt_case_detail_free,
                             cancellable, callback, user_data);
}

PtCaseDetail *
pt_store_worker_load_case_finish (PtStoreWorker  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  return pt_store_worker_run_finish (self, result, error);
}

typedef struct {
  char        *case_id;
  PtEventType  type;
  JsonObject  *payload;
  char        *author;
} AppendData;

static void
append_data_free (AppendData *data)
{
  g_free (data->case_id);
  g_clear_pointer (&data->payload, json_object_unref);
  g_free (data->author);
  g_free (data);
}

static gpointer
append_job (PtStore       *store,
            gpointer       user_data,
            GCancellable  *cancellable,
            GError       **error)
{
  AppendData *data = user_data;
  g_autoptr(PtEvent) event = NULL;

  event = pt_store_new_event (store, data->case_id, data->type,
                              g_steal_pointer (&data->payload), data->author);
  if (!pt_store_append (store, event, error))
    return NULL;
  return load_detail (store, data->case_id, error);
}

void
pt_store_worker_append_async (PtStoreWorker       *self,
                              const char          *case_id,
                              PtEventType          type,
                              JsonObject          *payload,
                              const char          *author,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  AppendData *data = g_new0 (AppendData, 1);

  data->case_id = g_strdup (case_id);
  data->type = type;
  data->payload = payload;
  data->author = g_strdup (author);
  pt_store_worker_run_async (self, append_job, data, (GDestroyNotify) append_data_free,
                             (GDestroyNotify) pt_case_detail_free,
                             cancellable, callback, user_data);
}

PtCaseDetail *
pt_store_worker_append_finish (PtStoreWorker  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  return pt_store_worker_run_finish (self, result, error);
}

typedef struct {
  JsonObject *request;
  char       *author;
} CreateData;

static void
create_data_free (CreateData *data)
{
  g_clear_pointer (&data->request, json_object_unref);
  g_free (data->author);
  g_free (data);
}

static gpointer
create_job (PtStore       *store,
            gpointer       user_data,
            GCancellable  *cancellable,
            GError       **error)
{
  CreateData *data = user_data;

  return pt_store_create_case (store, data->request, data->author, error);
}

void
pt_store_worker_create_case_async (PtStoreWorker       *self,
                                   JsonObject          *request,
                                   const char          *author,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  CreateData *data = g_new0 (CreateData, 1);

  data->request = request;
  data->author = g_strdup (author);
  pt_store_worker_run_async (self, create_job, data, (GDestroyNotify) create_data_free,
                             g_free, cancellable, callback, user_data);
}

char *
pt_store_worker_create_case_finish (PtStoreWorker  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return pt_store_worker_run_finish (self, result, error);
}

/* Reference rows and meta */

static gpointer
runners_job (PtStore       *store,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  return pt_store_list_runners (store, data, error);
}

void
pt_store_worker_list_runners_async (PtStoreWorker       *self,
                                    const char          *unit,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  pt_store_worker_run_async (self, runners_job, g_strdup (unit), g_free,
                             (GDestroyNotify) g_ptr_array_unref,
                             cancellable, callback, user_data);
}

GPtrArray *
pt_store_worker_list_runners_finish (PtStoreWorker  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  return pt_store_worker_run_finish (self, result, error);
}

static gpointer
meta_job (PtStore       *store,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  char *value = pt_store_get_meta (store, data);

  /* An unset key is not an error: hand back an empty string. */
  return value != NULL ? value : g_strdup ("");
}

void
pt_store_worker_get_meta_async (PtStoreWorker       *self,
                                const char          *key,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  pt_store_worker_run_async (self, meta_job, g_strdup (key), g_free, g_free,
                             cancellable, callback, user_data);
}

char *
pt_store_worker_get_meta_finish (PtStoreWorker  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_autofree char *value = pt_store_worker_run_finish (self, result, error);

  if (value == NULL || value[0] == '\0')
    return NULL;
  return g_steal_pointer (&value);
}

/* After a sync (another connection, pt-sync.c) wrote the file: this
 * connection's clock follows the stamps it took, and the holiday tables the
 * server sent count the provisional dates again. */
static gpointer
after_sync_job (PtStore       *store,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  guint *n_refolded = g_new0 (guint, 1);

  pt_store_reload_hlc (store);
  if (!pt_store_update_calendar (store, n_refolded, error))
    {
      g_free (n_refolded);
      return NULL;
    }
  return n_refolded;
}

void
pt_store_worker_after_sync_async (PtStoreWorker       *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  pt_store_worker_run_async (self, after_sync_job, NULL, NULL, g_free,
                             cancellable, callback, user_data);
}

gboolean
pt_store_worker_after_sync_finish (PtStoreWorker  *self,
                                   GAsyncResult   *result,
                                   guint          *n_refolded,
                                   GError        **error)
{
  g_autofree guint *count = pt_store_worker_run_finish (self, result, error);

  if (count == NULL)
    return FALSE;
  if (n_refolded != NULL)
    *n_refolded = *count;
  return TRUE;
}
