/* test-crash.c: a process appending events is killed with SIGKILL at random
 * moments, 100 times. Every append that had returned is in the log, the
 * database passes PRAGMA integrity_check, and a rebuild finds no difference. */
#include <signal.h>
#include <sys/wait.h>

#include "test-support.h"

static void
test_sigkill (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  PtStore *store = test_store_new ("370304-YC-001", &dir);
  g_autofree char *path = g_strdup (pt_store_get_path (store));
  g_autoptr(JsonObject) request = test_person_intake ("赵淑珍");
  g_autofree char *number = pt_store_create_case (store, request, NULL, &error);
  g_autofree char *case_id = pt_store_resolve_case (store, number, &error);
  const char *appender = g_getenv ("PT_CRASH_APPENDER");
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  g_autoptr(GHashTable) acknowledged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) differences = NULL;
  g_autoptr(GPtrArray) events = NULL;
  guint rounds = 100;

  g_assert_no_error (error);
  g_assert_nonnull (appender);
  pt_store_close (store);

  for (guint round = 0; round < rounds; round++)
    {
      const char *argv[] = { appender, path, case_id, NULL };
      GPid pid;
      int out_fd, status;
      g_autoptr(GIOChannel) channel = NULL;
      char *line = NULL;

      g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                               &pid, NULL, &out_fd, NULL, &error));
      g_assert_no_error (error);
      g_usleep (g_rand_int_range (rand, 20000, 120000));
      kill (pid, SIGKILL);
      waitpid (pid, &status, 0);
      g_spawn_close_pid (pid);
      g_assert_true (WIFSIGNALED (status));

      channel = g_io_channel_unix_new (out_fd);
      g_io_channel_set_close_on_unref (channel, TRUE);
      while (g_io_channel_read_line (channel, &line, NULL, NULL, NULL) == G_IO_STATUS_NORMAL)
        {
          g_strchomp (line);
          g_hash_table_add (acknowledged, line);
        }
    }

  store = pt_store_open (path, test_reference (), &error);
  g_assert_no_error (error);
  g_assert_true (pt_store_integrity_check (store, &error));
  g_assert_no_error (error);
  events = pt_store_load_events (store, case_id, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GHashTable) stored = g_hash_table_new (g_str_hash, g_str_equal);
    GHashTableIter iter;
    gpointer id;

    for (guint i = 0; i < events->len; i++)
      g_hash_table_add (stored, ((PtEvent *) g_ptr_array_index (events, i))->id);
    g_hash_table_iter_init (&iter, acknowledged);
    while (g_hash_table_iter_next (&iter, &id, NULL))
      if (!g_hash_table_contains (stored, id))
        g_error ("event %s was acknowledged but is not in the log", (char *) id);
  }
  g_test_message ("%u acknowledged appends over %u kills, %u events in the log",
                  g_hash_table_size (acknowledged), rounds, events->len);
  g_assert_cmpuint (g_hash_table_size (acknowledged), >, rounds);
  g_assert_true (pt_store_rebuild (store, &differences, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (differences->len, ==, 0);
  pt_store_close (store);
  test_remove_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/sigkill", test_sigkill);
  return g_test_run ();
}
