/* pt-backup.h: the desk's backup and restore from the menu, and its check
 * of the database at start (pt-store-backup.h does the work, on the store's
 * thread). */
#pragma once

#include <gtk/gtk.h>

#include "pt-desk.h"

G_BEGIN_DECLS

/* Asks where to write a backup (a USB stick) and writes it; a toast says
 * how it went. */
void pt_backup_save          (GtkWindow *window,
                              PtDesk    *desk);

/* Asks for a backup file, says what restoring it does, restores it and
 * closes the application, which is then started again on the restored
 * database. */
void pt_backup_restore       (GtkWindow *window,
                              PtDesk    *desk);

/* Checks the database whole, in the background; when it is damaged says so
 * and offers to restore a backup. */
void pt_backup_check_at_start (GtkWindow *window,
                               PtDesk    *desk);

G_END_DECLS
