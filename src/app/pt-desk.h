/* pt-desk.h: who and where this desk is, shared by every page of a window.
 *
 * The unit and the signed-in runner are the database's (meta "unit" and
 * "runner": paotuanctl init, the preferences); the application reads them
 * when the store opens and sets them here (pt_desk_set_defaults ()).
 */
#pragma once

#include <gio/gio.h>

#include "pt-store-worker.h"

G_BEGIN_DECLS

#define PT_TYPE_DESK (pt_desk_get_type ())
G_DECLARE_FINAL_TYPE (PtDesk, pt_desk, PT, DESK, GObject)

typedef struct _PtSyncController PtSyncController;

PtDesk        *pt_desk_new            (PtStoreWorker *worker,
                                       GSettings     *settings);
PtStoreWorker *pt_desk_get_worker     (PtDesk        *self);
PtReference   *pt_desk_get_reference  (PtDesk        *self);
GSettings     *pt_desk_get_settings   (PtDesk        *self);
/* The desk's sync (pt-sync-controller.h), made with the desk. */
PtSyncController *pt_desk_get_sync    (PtDesk        *self);
/* This desk's unit code, or NULL while unknown. */
const char    *pt_desk_get_unit       (PtDesk        *self);
const PtUnit  *pt_desk_get_unit_info  (PtDesk        *self);
PtLevel        pt_desk_get_level      (PtDesk        *self);
/* The signed-in runner's id, or NULL. */
const char    *pt_desk_get_runner     (PtDesk        *self);
void           pt_desk_set_defaults   (PtDesk        *self,
                                       const char    *unit,
                                       const char    *runner);
/* "Today", as "YYYY-MM-DD"; $PT_TODAY overrides it for tests and demos. */
char          *pt_desk_today          (PtDesk        *self);
/* Emitted by the pages after they changed the store, so that the others reload. */
void           pt_desk_emit_changed   (PtDesk        *self,
                                       const char    *case_id);

G_END_DECLS
