/* pt-store-backup.h: a desk's database backed up, checked and restored.
 *
 * A village desk backs up to a USB stick: pt_store_backup () copies the
 * open store with SQLite's online backup API while the desk goes on
 * working, into one self-contained file (no -wal beside it), checked whole
 * before it takes its name. pt_store_restore () puts such a file in place
 * of a database that is damaged or lost, keeping the database as it was
 * beside it, so that nothing stored is ever overwritten.
 */
#pragma once

#include "pt-store.h"

G_BEGIN_DECLS

/* Copies @store into @path (replaced atomically if it exists). Blocking:
 * on the store's thread. */
gboolean  pt_store_backup        (PtStore     *store,
                                  const char  *path,
                                  GError     **error);

/* Checks the database file @path whole (SQLite's integrity check) and that
 * it is a Paotuan database. FALSE with @error saying what is wrong and what
 * to do (PT_ERROR_STORE). pt_store_integrity_check () (pt-store.h) does the
 * same for an open store. */
gboolean  pt_store_check_file    (const char  *path,
                                  GError     **error);

/* Puts the backup @backup in place of the database @path, which must not be
 * open in this process (a desk that has it open notices the new file and
 * stops recording, see pt_store_begin ()). The backup is checked first; the
 * database as it was, if any, is renamed to @kept_out
 * ("PATH.before-restore-YYYYMMDD-HHMMSS", its -wal beside it). */
gboolean  pt_store_restore       (const char  *backup,
                                  const char  *path,
                                  char       **kept_out,
                                  GError     **error);

G_END_DECLS
