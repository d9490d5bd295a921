/* pt-sync-controller.h: the desk's sync with the district server, as the
 * window and the preferences see it.
 *
 * One per desk. It knows whether the desk is enrolled, when it last synced,
 * how many records wait, and whether the server could be reached; it syncs
 * when the window opens, when the network comes back, again and again with
 * a growing pause while the server cannot be reached, every ten minutes
 * otherwise, and when asked (win.sync). Every sync and enrollment runs on a
 * thread of its own (pt_sync_run_async); nothing here waits on disk or
 * network. */
#pragma once

#include "pt-desk.h"
#include "pt-sync.h"

G_BEGIN_DECLS

typedef enum {
  PT_SYNC_STATE_UNKNOWN,       /* before the first status read */
  PT_SYNC_STATE_NOT_ENROLLED,
  PT_SYNC_STATE_IDLE,          /* the last sync worked, or none was tried yet */
  PT_SYNC_STATE_SYNCING,
  PT_SYNC_STATE_OFFLINE,       /* the last try could not reach the server */
  PT_SYNC_STATE_NEEDS_ENROLL,  /* the server refused the token */
  PT_SYNC_STATE_FAILED,        /* the last try failed otherwise */
} PtSyncState;

#define PT_TYPE_SYNC_CONTROLLER (pt_sync_controller_get_type ())
G_DECLARE_FINAL_TYPE (PtSyncController, pt_sync_controller, PT, SYNC_CONTROLLER, GObject)

PtSyncController *pt_sync_controller_new          (PtDesk           *desk);
/* Reads the status, and from then on syncs by itself. */
void              pt_sync_controller_start        (PtSyncController *self);
void              pt_sync_controller_stop         (PtSyncController *self);
PtSyncState       pt_sync_controller_get_state    (PtSyncController *self);
/* The last sync that worked (ms since the epoch), 0: never. */
gint64            pt_sync_controller_get_last_sync (PtSyncController *self);
gint64            pt_sync_controller_get_pending  (PtSyncController *self);
gint64            pt_sync_controller_get_quarantined (PtSyncController *self);
/* What the last failure means for the clerk, and what it said (NULL when
 * the last sync worked). */
const char       *pt_sync_controller_get_message  (PtSyncController *self);
const char       *pt_sync_controller_get_detail   (PtSyncController *self);
/* The progress of a running sync, for the status line ("" otherwise). */
const char       *pt_sync_controller_get_progress (PtSyncController *self);
const char       *pt_sync_controller_get_server   (PtSyncController *self);
const char       *pt_sync_controller_get_ca_file  (PtSyncController *self);
/* Syncs now unless a sync runs or the desk is not enrolled. */
void              pt_sync_controller_sync_now     (PtSyncController *self);

void              pt_sync_controller_enroll_async  (PtSyncController    *self,
                                                    const char          *server_url,
                                                    const char          *code,
                                                    const char          *ca_file,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
/* After an enrollment that worked the desk syncs at once. */
gboolean          pt_sync_controller_enroll_finish (PtSyncController    *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

G_END_DECLS
