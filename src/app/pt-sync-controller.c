/* pt-sync-controller.c: when the desk syncs, and what the clerk is told.
 *
 * Retries while the server cannot be reached wait 30 s, then twice as long
 * each time up to ten minutes, each with a random fifth more or less so that
 * the desks of a district do not all come back at once
 * ($PT_SYNC_RETRY_SECONDS sets the first pause, for tests). A network that
 * comes back starts a sync at once and the pauses from the beginning. */
#define G_LOG_DOMAIN "pt-app"

#include <glib/gi18n.h>

#include "pt-error.h"
#include "pt-sync-controller.h"

#define PERIOD_SECONDS       600
#define FIRST_RETRY_SECONDS  30
#define MAX_RETRY_SECONDS    600

struct _PtSyncController
{
  GObject       parent_instance;

  PtDesk       *desk;             /* not owned: the desk owns this */
  GCancellable *cancellable;
  PtSyncState   state;
  gint64        last_sync;
  gint64        pending;
  gint64        quarantined;
  char         *server;
  char         *ca_file;
  char         *message;
  char         *detail;
  char         *progress;
  guint         retry_seconds;    /* the next pause after a failure */
  guint         timer;            /* the next automatic sync */
  gboolean      started;
  gboolean      synced_once;      /* the sync at start was tried */
  gboolean      syncing;
  gboolean      again;            /* asked while a sync ran */
};

G_DEFINE_FINAL_TYPE (PtSyncController, pt_sync_controller, G_TYPE_OBJECT)

enum {
  CHANGED,
  FINISHED,
  STORE_LOST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void refresh (PtSyncController *self);
static void sync_now (PtSyncController *self);

static void
changed (PtSyncController *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static guint
first_retry_seconds (void)
{
  const char *env = g_getenv ("PT_SYNC_RETRY_SECONDS");
  guint64 value = env != NULL ? g_ascii_strtoull (env, NULL, 10) : 0;

  return value > 0 ? (guint) value : FIRST_RETRY_SECONDS;
}

static gboolean
timer_cb (gpointer user_data)
{
  PtSyncController *self = user_data;

  self->timer = 0;
  if (g_network_monitor_get_network_available (g_network_monitor_get_default ()))
    sync_now (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (PtSyncController *self,
          guint             seconds)
{
  g_clear_handle_id (&self->timer, g_source_remove);
  if (self->started)
    self->timer = g_timeout_add_seconds (seconds, timer_cb, self);
}

/* After a failure to reach the server: the next try after a pause that grows. */
static void
schedule_retry (PtSyncController *self)
{
  guint pause = self->retry_seconds;
  guint spread = pause / 5;

  if (spread > 0)
    pause = pause - spread + g_random_int_range (0, (gint32) (2 * spread + 1));
  schedule (self, MAX (pause, 1));
  self->retry_seconds = MIN (self->retry_seconds * 2, MAX_RETRY_SECONDS);
}

static void
set_failure (PtSyncController *self,
             PtSyncState       state,
             const char       *message,
             const char       *detail)
{
  self->state = state;
  g_free (self->message);
  self->message = g_strdup (message);
  g_free (self->detail);
  self->detail = g_strdup (detail);
}

/* ---- status ------------------------------------------------------------ */

static gpointer
status_job (PtStore       *store,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  return pt_sync_get_status (store, error);
}

static gint64
parse_iso_ms (const char *iso)
{
  g_autoptr(GDateTime) time = iso != NULL ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;

  return time != NULL ? g_date_time_to_unix (time) * 1000 + g_date_time_get_microsecond (time) / 1000 : 0;
}

static void
status_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PtSyncController) self = user_data;
  g_autoptr(PtSyncStatus) status = pt_store_worker_run_finish (PT_STORE_WORKER (source), result, NULL);

  if (status == NULL)
    return;
  g_free (self->server);
  self->server = g_strdup (status->server_url);
  g_free (self->ca_file);
  self->ca_file = g_strdup (status->ca_file);
  self->pending = status->pending;
  self->quarantined = status->quarantined;
  self->last_sync = parse_iso_ms (status->last_sync);
  if (!self->syncing)
    {
      if (status->server_url == NULL)
        set_failure (self, PT_SYNC_STATE_NOT_ENROLLED, NULL, NULL);
      else if (status->token_in == NULL)
        set_failure (self, PT_SYNC_STATE_NEEDS_ENROLL,
                     _("The district server no longer accepts this desk. Enroll it again in Preferences; "
                       "the records waiting here are kept."), NULL);
      else if (self->state == PT_SYNC_STATE_UNKNOWN || self->state == PT_SYNC_STATE_NOT_ENROLLED
               || self->state == PT_SYNC_STATE_NEEDS_ENROLL)
        self->state = PT_SYNC_STATE_IDLE;
    }
  changed (self);
  /* An enrolled desk syncs once when it opens, if the network is there. */
  if (self->started && !self->synced_once && self->state == PT_SYNC_STATE_IDLE)
    {
      self->synced_once = TRUE;
      timer_cb (self);
    }
}

static void
refresh (PtSyncController *self)
{
  if (self->desk == NULL)
    return;
  pt_store_worker_run_async (pt_desk_get_worker (self->desk), status_job, NULL, NULL,
                             (GDestroyNotify) pt_sync_status_free, self->cancellable,
                             status_cb, g_object_ref (self));
}

/* ---- sync -------------------------------------------------------------- */

static void
progress_cb (const PtSyncProgress *progress,
             gpointer              user_data)
{
  PtSyncController *self = user_data;
  static const char *phases[] = { N_("Connecting…"), N_("Sending…"), N_("Receiving…"),
                                  N_("Reference data…"), N_("Done") };
  const char *phase = _(phases[MIN (progress->phase, G_N_ELEMENTS (phases) - 1)]);

  g_free (self->progress);
  if (progress->total > 0)
    self->progress = g_strdup_printf ("%s %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT, phase,
                                      progress->done, progress->total);
  else if (progress->done > 0)
    self->progress = g_strdup_printf ("%s %" G_GINT64_FORMAT, phase, progress->done);
  else
    self->progress = g_strdup (phase);
  changed (self);
}

static void
after_sync_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PtSyncController) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pt_store_worker_after_sync_finish (PT_STORE_WORKER (source), result, NULL, &error))
    g_warning ("Reading the sync's changes: %s", error->message);
  /* Every page reads the cases again, with dates counted anew. */
  if (self->desk != NULL)
    pt_desk_emit_changed (self->desk, NULL);
}

static void
synced_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PtSyncController) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PtSyncReport) report = pt_sync_run_finish (result, &error);
  g_autofree char *summary = NULL;

  self->syncing = FALSE;
  g_clear_pointer (&self->progress, g_free);
  if (self->desk == NULL)
    return;
  if (report != NULL)
    {
      set_failure (self, PT_SYNC_STATE_IDLE, NULL, NULL);
      self->retry_seconds = first_retry_seconds ();
      schedule (self, PERIOD_SECONDS);
      if (report->pushed > 0 || report->pulled > 0 || report->rejected > 0 || report->revoked > 0)
        {
          g_autofree char *counts = g_strdup_printf (_("Synced: %d sent, %d received"),
                                                     (int) report->pushed, (int) report->pulled);

          summary = report->revoked > 0
            ? g_strdup_printf (g_dngettext (NULL, "%s; %d case transferred away from this desk",
                                            "%s; %d cases transferred away from this desk", report->revoked),
                               counts, (int) report->revoked)
            : g_steal_pointer (&counts);
        }
      pt_store_worker_after_sync_async (pt_desk_get_worker (self->desk), NULL,
                                        after_sync_cb, g_object_ref (self));
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  else if (g_error_matches (error, PT_ERROR, PT_ERROR_STORE_LOST))
    {
      set_failure (self, PT_SYNC_STATE_FAILED, error->message, error->message);
      g_signal_emit (self, signals[STORE_LOST], 0, error->message);
    }
  else if (g_error_matches (error, PT_ERROR, PT_ERROR_AUTH))
    set_failure (self, PT_SYNC_STATE_NEEDS_ENROLL,
                 _("The district server no longer accepts this desk. Enroll it again in Preferences; "
                   "the records waiting here are kept."), error->message);
  else if (g_error_matches (error, PT_ERROR, PT_ERROR_NETWORK))
    {
      set_failure (self, PT_SYNC_STATE_OFFLINE,
                   _("The district server cannot be reached. This desk keeps working offline "
                     "and syncs by itself once the server answers."), error->message);
      schedule_retry (self);
    }
  else
    {
      set_failure (self, PT_SYNC_STATE_FAILED,
                   _("The sync stopped. Nothing recorded here is lost; it is tried again later."),
                   error->message);
      schedule_retry (self);
    }
  g_signal_emit (self, signals[FINISHED], 0, report != NULL, report != NULL ? summary : self->message);
  refresh (self);
  if (self->again && report != NULL)
    {
      self->again = FALSE;
      sync_now (self);
    }
}

static void
sync_now (PtSyncController *self)
{
  PtSyncOptions options;

  if (self->syncing)
    {
      self->again = TRUE;
      return;
    }
  if (self->desk == NULL || self->server == NULL || self->state == PT_SYNC_STATE_NEEDS_ENROLL)
    return;
  g_clear_handle_id (&self->timer, g_source_remove);
  pt_sync_options_init (&options);
  options.progress = progress_cb;
  options.progress_data = self;
  self->syncing = TRUE;
  self->state = PT_SYNC_STATE_SYNCING;
  g_free (self->progress);
  self->progress = g_strdup (_("Connecting…"));
  changed (self);
  pt_sync_run_async (pt_store_worker_get_path (pt_desk_get_worker (self->desk)), &options,
                     self->cancellable, synced_cb, g_object_ref (self));
  pt_sync_options_clear (&options);
}

void
pt_sync_controller_sync_now (PtSyncController *self)
{
  g_return_if_fail (PT_IS_SYNC_CONTROLLER (self));

  self->retry_seconds = first_retry_seconds ();
  sync_now (self);
}

static void
network_changed_cb (PtSyncController *self,
                    gboolean          available)
{
  if (!available || self->syncing)
    return;
  self->retry_seconds = first_retry_seconds ();
  if (self->state == PT_SYNC_STATE_OFFLINE || self->state == PT_SYNC_STATE_FAILED
      || self->state == PT_SYNC_STATE_IDLE)
    sync_now (self);
}

/* Records made here change the count of those waiting. */
static void
desk_changed_cb (PtSyncController *self)
{
  refresh (self);
}

/* ---- enrollment -------------------------------------------------------- */

static void
enrolled_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PtSyncController *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!pt_sync_enroll_finish (result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
  if (self->desk == NULL)
    return;
  set_failure (self, PT_SYNC_STATE_IDLE, NULL, NULL);
  self->synced_once = FALSE;
  refresh (self);
}

void
pt_sync_controller_enroll_async (PtSyncController    *self,
                                 const char          *server_url,
                                 const char          *code,
                                 const char          *ca_file,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  pt_sync_enroll_async (pt_store_worker_get_path (pt_desk_get_worker (self->desk)), server_url, code,
                        ca_file != NULL && ca_file[0] != '\0' ? ca_file : NULL, cancellable,
                        enrolled_cb, task);
}

gboolean
pt_sync_controller_enroll_finish (PtSyncController  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- object ------------------------------------------------------------ */

void
pt_sync_controller_start (PtSyncController *self)
{
  g_return_if_fail (PT_IS_SYNC_CONTROLLER (self));

  if (self->started)
    return;
  self->started = TRUE;
  g_signal_connect_object (g_network_monitor_get_default (), "network-changed",
                           G_CALLBACK (network_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->desk, "changed", G_CALLBACK (desk_changed_cb), self, G_CONNECT_SWAPPED);
  refresh (self);
}

void
pt_sync_controller_stop (PtSyncController *self)
{
  self->started = FALSE;
  self->desk = NULL;
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timer, g_source_remove);
}

static void
pt_sync_controller_dispose (GObject *object)
{
  PtSyncController *self = PT_SYNC_CONTROLLER (object);

  pt_sync_controller_stop (self);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (pt_sync_controller_parent_class)->dispose (object);
}

static void
pt_sync_controller_finalize (GObject *object)
{
  PtSyncController *self = PT_SYNC_CONTROLLER (object);

  g_free (self->server);
  g_free (self->ca_file);
  g_free (self->message);
  g_free (self->detail);
  g_free (self->progress);

  G_OBJECT_CLASS (pt_sync_controller_parent_class)->finalize (object);
}

static void
pt_sync_controller_class_init (PtSyncControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pt_sync_controller_dispose;
  object_class->finalize = pt_sync_controller_finalize;

  /**
   * PtSyncController::changed:
   *
   * Any of the state, the counts, the message or the progress changed.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * PtSyncController::finished:
   * @ok: whether the sync worked
   * @text: (nullable): what to tell the clerk: the counts, or the failure
   */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_BOOLEAN, G_TYPE_STRING);
  /**
   * PtSyncController::store-lost:
   * @message: what happened to the database
   */
  signals[STORE_LOST] = g_signal_new ("store-lost", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
pt_sync_controller_init (PtSyncController *self)
{
  self->cancellable = g_cancellable_new ();
  self->retry_seconds = first_retry_seconds ();
}

PtSyncController *
pt_sync_controller_new (PtDesk *desk)
{
  PtSyncController *self = g_object_new (PT_TYPE_SYNC_CONTROLLER, NULL);

  self->desk = desk;
  return self;
}

PtSyncState
pt_sync_controller_get_state (PtSyncController *self)
{
  return self->state;
}

gint64
pt_sync_controller_get_last_sync (PtSyncController *self)
{
  return self->last_sync;
}

gint64
pt_sync_controller_get_pending (PtSyncController *self)
{
  return self->pending;
}

gint64
pt_sync_controller_get_quarantined (PtSyncController *self)
{
  return self->quarantined;
}

const char *
pt_sync_controller_get_message (PtSyncController *self)
{
  return self->message;
}

const char *
pt_sync_controller_get_detail (PtSyncController *self)
{
  return self->detail;
}

const char *
pt_sync_controller_get_progress (PtSyncController *self)
{
  return self->progress != NULL ? self->progress : "";
}

const char *
pt_sync_controller_get_server (PtSyncController *self)
{
  return self->server;
}

const char *
pt_sync_controller_get_ca_file (PtSyncController *self)
{
  return self->ca_file;
}
