/* pt-store-backup.c: backup, check and restore of a desk's database. */
#define G_LOG_DOMAIN "paotuan-core"

#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "pt-error.h"
#include "pt-store-backup.h"
#include "pt-store-private.h"

/* "ok", or SQLite's first complaint. */
static char *
integrity (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  char *answer = NULL;

  if (sqlite3_prepare_v2 (db, "PRAGMA integrity_check (5)", -1, &stmt, NULL) != SQLITE_OK)
    return g_strdup (sqlite3_errmsg (db));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    answer = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else
    answer = g_strdup (sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
  /* One line, the first complaints: enough to say the file is damaged. */
  if (answer != NULL)
    {
      g_strdelimit (answer, "\n", ';');
      if (g_utf8_strlen (answer, -1) > 160)
        {
          char *cut = g_utf8_substring (answer, 0, 160);
          g_free (answer);
          answer = g_strconcat (cut, "…", NULL);
          g_free (cut);
        }
    }
  return answer;
}

static gboolean
has_table (sqlite3    *db,
           const char *name)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;

  if (sqlite3_prepare_v2 (db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                          -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  return found;
}

static gboolean
check_db (sqlite3     *db,
          const char  *path,
          GError     **error)
{
  g_autofree char *answer = integrity (db);

  if (g_strcmp0 (answer, "ok") != 0)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_STORE,
                   _("The database %s is damaged (%s). Restore the last backup: "
                     "paotuanctl restore BACKUP --db %s (the damaged file is kept beside it)."),
                   path, answer ? answer : "?", path);
      return FALSE;
    }
  if (!has_table (db, "events") || !has_table (db, "meta"))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_STORE,
                   _("%s is not a Paotuan database: it has no case records."), path);
      return FALSE;
    }
  return TRUE;
}

gboolean
pt_store_check_file (const char  *path,
                     GError     **error)
{
  sqlite3 *db = NULL;
  gboolean ok;

  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_STORE, _("There is no file %s."), path);
      return FALSE;
    }
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_STORE, _("Cannot open %s: %s"), path,
                   db ? sqlite3_errmsg (db) : "out of memory");
      sqlite3_close (db);
      return FALSE;
    }
  ok = check_db (db, path, error);
  sqlite3_close (db);
  return ok;
}

gboolean
pt_store_integrity_check (PtStore  *store,
                          GError  **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  return check_db (store->db, store->path, error);
}

/* Copies the database @from into a new file @to with the online backup API,
 * as one self-contained file: the journal mode of the copy is DELETE, so
 * there is no -wal to forget on the stick. */
static gboolean
copy_db (sqlite3     *from,
         const char  *from_name,
         const char  *to,
         GError     **error)
{
  sqlite3 *dest = NULL;
  sqlite3_backup *backup;
  mode_t mask;
  int rc;

  mask = umask (077);
  rc = sqlite3_open_v2 (to, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  umask (mask);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_STORE, _("Cannot write %s: %s"), to,
                   dest ? sqlite3_errmsg (dest) : "out of memory");
      sqlite3_close (dest);
      return FALSE;
    }
  backup = sqlite3_backup_init (dest, "main", from, "main");
  if (backup == NULL)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_STORE, _("Cannot copy %s: %s"), from_name, sqlite3_errmsg (dest));
      sqlite3_close (dest);
      return FALSE;
    }
  /* In steps, so that the desk's own writes wait at most a moment. */
  do
    {
      rc = sqlite3_backup_step (backup, 256);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        sqlite3_sleep (20);
    }
  while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_STORE, _("Copying %s to %s failed: %s"), from_name, to,
                   sqlite3_errstr (rc));
      sqlite3_close (dest);
      return FALSE;
    }
  if (sqlite3_exec (dest, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK
      || !check_db (dest, to, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, PT_ERROR, PT_ERROR_STORE, _("Writing %s failed: %s"), to, sqlite3_errmsg (dest));
      sqlite3_close (dest);
      return FALSE;
    }
  sqlite3_close (dest);
  return TRUE;
}

/* The file's bytes on the medium before it takes its name: a stick pulled
 * out right after keeps either the old backup or the whole new one. */
static gboolean
sync_file (const char  *path,
           GError     **error)
{
  int fd = g_open (path, O_RDONLY, 0);

  if (fd < 0 || fsync (fd) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, PT_ERROR, PT_ERROR_STORE, _("Writing %s failed: %s"), path, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

static char *
temp_beside (const char *path)
{
  return g_strdup_printf ("%s.part-%d", path, (int) getpid ());
}

gboolean
pt_store_backup (PtStore     *store,
                 const char  *path,
                 GError     **error)
{
  g_autofree char *part = NULL;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (g_strcmp0 (path, store->path) == 0)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("The backup cannot be the database itself: choose another file, for example on a USB stick."));
      return FALSE;
    }
  part = temp_beside (path);
  g_unlink (part);
  if (!copy_db (store->db, store->path, part, error) || !sync_file (part, error))
    {
      g_unlink (part);
      return FALSE;
    }
  if (g_rename (part, path) != 0)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_STORE, _("Cannot name the backup %s: %s"), path, g_strerror (errno));
      g_unlink (part);
      return FALSE;
    }
  return TRUE;
}

gboolean
pt_store_restore (const char  *backup,
                  const char  *path,
                  char       **kept_out,
                  GError     **error)
{
  g_autofree char *part = temp_beside (path);
  g_autofree char *kept = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  sqlite3 *from = NULL;
  gboolean ok;

  g_return_val_if_fail (backup != NULL && path != NULL, FALSE);

  if (!pt_store_check_file (backup, error))
    return FALSE;
  if (sqlite3_open_v2 (backup, &from, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_STORE, _("Cannot open %s: %s"), backup,
                   from ? sqlite3_errmsg (from) : "out of memory");
      sqlite3_close (from);
      return FALSE;
    }
  g_unlink (part);
  ok = copy_db (from, backup, part, error) && sync_file (part, error);
  sqlite3_close (from);
  if (!ok)
    {
      g_unlink (part);
      return FALSE;
    }

  /* The database as it was is renamed, never overwritten: with its -wal,
   * which may hold its last records. */
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);
      g_autofree char *kept_wal = NULL;

      kept = g_strdup_printf ("%s.before-restore-%s", path, stamp);
      kept_wal = g_strconcat (kept, "-wal", NULL);
      if (g_rename (path, kept) != 0)
        {
          g_set_error (error, PT_ERROR, PT_ERROR_STORE, _("Cannot set %s aside: %s"), path, g_strerror (errno));
          g_unlink (part);
          return FALSE;
        }
      if (g_file_test (wal, G_FILE_TEST_EXISTS))
        g_rename (wal, kept_wal);
      g_unlink (shm);
    }
  if (g_rename (part, path) != 0)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_STORE, _("Cannot put the backup in place of %s: %s"),
                   path, g_strerror (errno));
      g_unlink (part);
      return FALSE;
    }
  if (kept_out != NULL)
    *kept_out = g_steal_pointer (&kept);
  return TRUE;
}
