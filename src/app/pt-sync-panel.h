/* pt-sync-panel.h: the sidebar's sync status, read at a glance.
 *
 * Two short lines and a button: when the desk last synced (in Beijing time,
 * in words), how many records wait, and what went wrong if something did;
 * "Sync Now" (win.sync, F5), or "Enroll This Desk…" (app.preferences) for a
 * desk the server does not know or no longer accepts. */
#pragma once

#include <gtk/gtk.h>

#include "pt-sync-controller.h"

G_BEGIN_DECLS

#define PT_TYPE_SYNC_PANEL (pt_sync_panel_get_type ())
G_DECLARE_FINAL_TYPE (PtSyncPanel, pt_sync_panel, PT, SYNC_PANEL, GtkBox)

GtkWidget *pt_sync_panel_new (PtSyncController *sync);

G_END_DECLS
