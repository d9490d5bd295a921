/* test-store-processes.c: this process holds the desk's database the way
 * the application does (the window's connection and the sync engine's, both
 * open, the sync engine's opened again for each sync) and appends events
 * while other processes open the same file, read it, run `paotuanctl sync
 * --status` and exit, 200 times in random order. Afterwards every append
 * that returned is in the file, PRAGMA integrity_check is ok and a rebuild
 * finds no difference.
 *
 * Before the store stopped opening and closing a descriptor of the file
 * outside SQLite, opening the second connection dropped the first one's
 * POSIX locks: the first reader to exit took itself for the last user,
 * checkpointed and deleted the WAL, and every later append went into the
 * deleted file. */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include "pt-error.h"
#include "test-support.h"

typedef struct {
  const char *name;
  const char *argv[8];
} Reader;

static GPid
spawn_reader (const Reader  *reader,
              const char    *path,
              const char    *number)
{
  const char *paotuanctl = g_getenv ("PAOTUANCTL");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GPid pid;

  for (guint i = 0; reader->argv[i] != NULL; i++)
    {
      const char *arg = reader->argv[i];

      if (g_str_equal (arg, "@ctl"))
        arg = paotuanctl;
      else if (g_str_equal (arg, "@db"))
        arg = path;
      else if (g_str_equal (arg, "@number"))
        arg = number;
      g_ptr_array_add (argv, (gpointer) arg);
    }
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_async (NULL, (char **) argv->pdata, NULL,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH
                                | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                NULL, NULL, &pid, &error));
  g_assert_no_error (error);
  return pid;
}

static void
wait_reader (GPid        pid,
             const char *name)
{
  int status;

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("the reader “%s” failed (status %d)", name, status);
}

static void
append_note (PtStore    *store,
             const char *case_id,
             guint       n,
             GPtrArray  *acknowledged)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("{\"text\": \"第 %u 条记录\"}", n);
  g_autoptr(PtEvent) event = pt_store_new_event (store, case_id, PT_EVENT_NOTE, test_json (text), "R-0001");

  /* Every append must succeed: the other processes only read. */
  g_assert_true (pt_store_append (store, event, &error));
  g_assert_no_error (error);
  g_ptr_array_add (acknowledged, g_strdup (event->id));
}

static void
check_from_outside (const char *path,
                    const char *case_id,
                    GPtrArray  *acknowledged)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM events WHERE case_id = '%s'", case_id);
  const char *argv[] = { "sqlite3", path, sql, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) stored = g_hash_table_new (g_str_hash, g_str_equal);
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    g_hash_table_add (stored, lines[i]);
  for (guint i = 0; i < acknowledged->len; i++)
    if (!g_hash_table_contains (stored, g_ptr_array_index (acknowledged, i)))
      g_error ("append %u of %u (%s) returned, but another process does not find it in the file",
               i + 1, acknowledged->len, (char *) g_ptr_array_index (acknowledged, i));
}

static void
test_readers (void)
{
  const Reader readers[] = {
    { "paotuanctl sync --status", { "@ctl", "sync", "--status", "--db", "@db", NULL } },
    { "paotuanctl case list", { "@ctl", "case", "list", "--db", "@db", NULL } },
    { "paotuanctl case show", { "@ctl", "case", "show", "@number", "--db", "@db", NULL } },
    { "sqlite3", { "sqlite3", "@db", "SELECT count (*) FROM events", NULL } },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  PtStore *window = test_store_new ("370304-YC-001", &dir);
  g_autofree char *path = g_strdup (pt_store_get_path (window));
  g_autoptr(JsonObject) request = test_person_intake ("王秀英");
  g_autofree char *number = pt_store_create_case (window, request, "R-0001", &error);
  g_autofree char *case_id = pt_store_resolve_case (window, number, &error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  g_autoptr(GPtrArray) acknowledged = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) differences = NULL;
  g_autoptr(GHashTable) stored = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) events = NULL;
  PtStore *sync, *check;
  guint rounds = 200, n = 0;

  g_assert_no_error (error);
  g_assert_nonnull (g_getenv ("PAOTUANCTL"));
  sync = pt_store_open (path, test_reference (), &error);
  g_assert_no_error (error);

  for (guint round = 0; round < rounds; round++)
    {
      const Reader *reader = &readers[g_rand_int_range (rand, 0, G_N_ELEMENTS (readers))];
      GPid pid;

      /* The application's sync engine opens a connection of its own for
       * each sync, while the window's stays open. */
      if (g_rand_int_range (rand, 0, 4) == 0)
        {
          pt_store_close (sync);
          sync = pt_store_open (path, test_reference (), &error);
          g_assert_no_error (error);
        }
      pid = spawn_reader (reader, path, number);
      /* Write while the reader runs, or after it is gone. */
      if (g_rand_boolean (rand))
        append_note (window, case_id, n++, acknowledged);
      wait_reader (pid, reader->name);
      for (guint i = g_rand_int_range (rand, 1, 3); i > 0; i--)
        append_note (g_rand_boolean (rand) ? window : sync, case_id, n++, acknowledged);
    }
  /* What another process finds in the file while the desk still has it
   * open: what a crash or a power cut would leave. */
  check_from_outside (path, case_id, acknowledged);
  pt_store_close (sync);
  pt_store_close (window);

  /* What the file holds once the desk has closed. */
  check = pt_store_open (path, test_reference (), &error);
  g_assert_no_error (error);
  g_assert_true (pt_store_integrity_check (check, &error));
  g_assert_no_error (error);
  events = pt_store_load_events (check, case_id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    g_hash_table_add (stored, ((PtEvent *) g_ptr_array_index (events, i))->id);
  for (guint i = 0; i < acknowledged->len; i++)
    if (!g_hash_table_contains (stored, g_ptr_array_index (acknowledged, i)))
      g_error ("append %u of %u (%s) returned, but is not in the database",
               i + 1, acknowledged->len, (char *) g_ptr_array_index (acknowledged, i));
  g_test_message ("%u appends around %u readers, all in the file", acknowledged->len, rounds);
  g_assert_true (pt_store_rebuild (check, &differences, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (differences->len, ==, 0);
  pt_store_close (check);
  test_remove_dir (dir);
}

/* Another program deletes the WAL under an open connection (here by hand,
 * as a broken lock would let SQLite do): the store refuses to write on, with
 * a message that says what happened and what to do, and every write after
 * it is refused too. */
static void
test_wal_removed (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  PtStore *store = test_store_new ("370304-YC-001", &dir);
  g_autofree char *wal = g_strconcat (pt_store_get_path (store), "-wal", NULL);
  g_autoptr(JsonObject) request = test_person_intake ("刘玉兰");
  g_autofree char *number = pt_store_create_case (store, request, "R-0001", &error);
  g_autofree char *case_id = pt_store_resolve_case (store, number, &error);

  g_assert_no_error (error);
  g_assert_true (test_append (store, case_id, PT_EVENT_NOTE, "{\"text\": \"删除前\"}", &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_unlink (wal), ==, 0);
  g_test_expect_message ("paotuan-store", G_LOG_LEVEL_WARNING, "*removed or replaced while open*");
  g_assert_false (test_append (store, case_id, PT_EVENT_NOTE, "{\"text\": \"删除后\"}", &error));
  g_test_assert_expected_messages ();
  g_assert_error (error, PT_ERROR, PT_ERROR_STORE_LOST);
  g_assert_nonnull (strstr (error->message, "close Paotuan and open it again"));
  g_clear_error (&error);

  /* A write outside an explicit transaction is refused as well. */
  g_assert_false (pt_store_set_meta (store, "runner", "R-0002", &error));
  g_assert_error (error, PT_ERROR, PT_ERROR_STORE_LOST);
  g_assert_nonnull (strstr (error->message, "removed or replaced"));
  g_clear_error (&error);

  pt_store_close (store);
  test_remove_dir (dir);
}

/* A new database is private to its user from its first byte, and opening it
 * again never changes that. */
static void
test_new_file_mode (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  PtStore *store = test_store_new ("370304-YC-001", &dir);
  g_autofree char *path = g_strdup (pt_store_get_path (store));
  const char *suffixes[] = { "", "-wal", "-shm" };
  PtStore *again;

  again = pt_store_open (path, test_reference (), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      GStatBuf st;

      g_assert_cmpint (g_stat (file, &st), ==, 0);
      g_assert_cmpint (st.st_mode & 0777, ==, 0600);
    }
  pt_store_close (again);
  pt_store_close (store);
  test_remove_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/processes/readers", test_readers);
  g_test_add_func ("/store/processes/wal-removed", test_wal_removed);
  g_test_add_func ("/store/processes/new-file-mode", test_new_file_mode);
  return g_test_run ();
}
