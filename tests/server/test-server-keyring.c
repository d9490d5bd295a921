/* test-server-keyring.c: the desk's token in a real GNOME Keyring
 * (keyring-session.sh starts one, unlocked, in a D-Bus session of its own),
 * against a real paotuan-server and PostgreSQL.
 *  - enrolled with a keyring open, the token is in the keyring and nowhere
 *    in the desk's database files; the desk syncs with it;
 *  - PAOTUAN_KEYRING=0 keeps it in the database, as a desk without a
 *    desktop session does;
 *  - a revoked token is dropped from the keyring too;
 *  - a locked keyring: the sync stops at once with a message that says so,
 *    and never prompts. */
#define _GNU_SOURCE
#include <string.h>

#include "pt-error.h"
#include "pt-store-sync.h"
#include "pt-test-env.h"

static PtTestEnv *env;

/* What `secret-tool lookup` finds for @device at the test server, or NULL. */
static char *
keyring_lookup (const char *device)
{
  const char *argv[] = { "secret-tool", "lookup", "device", device, "server", env->url, NULL };
  g_autofree char *out = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, &status, NULL));
  if (!g_spawn_check_wait_status (status, NULL) || out == NULL || *out == '\0')
    return NULL;
  return g_steal_pointer (&out);
}

/* Whether @needle is in the database file @path or its WAL. */
static gboolean
db_files_contain (const char *path,
                  const char *needle)
{
  const char *suffixes[] = { "", "-wal", NULL };

  for (guint i = 0; suffixes[i] != NULL; i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *bytes = NULL;
      gsize len = 0;

      if (!g_file_get_contents (file, &bytes, &len, NULL))
        continue;
      if (memmem (bytes, len, needle, strlen (needle)) != NULL)
        return TRUE;
    }
  return FALSE;
}

static char *
status_token_in (PtStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtSyncStatus) status = pt_sync_get_status (store, &error);

  g_assert_no_error (error);
  return g_strdup (status->token_in);
}

static void
test_enroll_into_keyring (void)
{
  g_autofree char *path = NULL;
  g_autoptr(PtStore) desk = pt_test_env_desk (env, "370304-YC-001", &path);
  g_autofree char *device = pt_store_get_meta (desk, "sync.device");
  g_autofree char *in_db = pt_store_get_meta (desk, "sync.token");
  g_autofree char *where = status_token_in (desk);
  g_autofree char *token = keyring_lookup (device);
  g_autofree char *case_id = pt_test_new_case (desk, "370304-YC-001", "钥一");
  PtSyncReport report = { 0 };

  g_assert_null (in_db);
  g_assert_cmpstr (where, ==, "keyring");
  g_assert_nonnull (token);
  g_assert_cmpuint (strlen (token), >=, 32);
  g_assert_false (db_files_contain (path, token));
  pt_test_sync (desk, &report);
  g_assert_cmpint (report.pushed, >, 0);
  g_assert_cmpint (report.pending, ==, 0);
  (void) case_id;
}

static void
test_no_keyring (void)
{
  g_autofree char *path = NULL;
  g_autoptr(PtStore) desk = NULL;
  g_autofree char *device = NULL;
  g_autofree char *in_db = NULL;
  g_autofree char *where = NULL;
  g_autofree char *in_keyring = NULL;

  g_setenv ("PAOTUAN_KEYRING", "0", TRUE);
  desk = pt_test_env_desk (env, "370304-YC-001", &path);
  g_unsetenv ("PAOTUAN_KEYRING");
  device = pt_store_get_meta (desk, "sync.device");
  in_db = pt_store_get_meta (desk, "sync.token");
  where = status_token_in (desk);
  in_keyring = keyring_lookup (device);
  g_assert_nonnull (in_db);
  g_assert_cmpstr (where, ==, "database");
  g_assert_null (in_keyring);
  pt_test_sync (desk, NULL);
}

static void
test_revoked_leaves_keyring (void)
{
  g_autoptr(PtStore) desk = pt_test_env_desk (env, "370304-YC-002", NULL);
  g_autofree char *device = pt_store_get_meta (desk, "sync.device");
  g_autofree char *before = keyring_lookup (device);
  g_autofree char *after = NULL;
  g_autofree char *where = NULL;
  const char *revoke[] = { "revoke", "--device", device, NULL };
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (before);
  g_assert_cmpint (pt_test_env_server_cli (env, revoke, NULL, NULL, NULL), ==, 0);
  g_assert_false (pt_sync_run (desk, NULL, NULL, NULL, &error));
  g_assert_error (error, PT_ERROR, PT_ERROR_AUTH);
  after = keyring_lookup (device);
  where = status_token_in (desk);
  g_assert_null (after);
  g_assert_null (where);
}

/* Last: the keyring stays locked. */
static void
test_locked_keyring (void)
{
  g_autoptr(PtStore) desk = pt_test_env_desk (env, "370304-YC-003", NULL);
  const char *lock[] = { "gdbus", "call", "--session", "--dest", "org.freedesktop.secrets",
                         "--object-path", "/org/freedesktop/secrets",
                         "--method", "org.freedesktop.Secret.Service.Lock",
                         "['/org/freedesktop/secrets/collection/login']", NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;
  gint64 start;

  g_assert_true (g_spawn_sync (NULL, (char **) lock, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  start = g_get_monotonic_time ();
  g_assert_false (pt_sync_run (desk, NULL, NULL, NULL, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, PT_ERROR, PT_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "keyring"));
  /* Nothing was forgotten: once the keyring opens again, the desk syncs. */
  {
    g_autofree char *where = pt_store_get_meta (desk, "sync.token_in");

    g_assert_cmpstr (where, ==, "keyring");
  }
  g_test_message ("refused in %.1f s", (g_get_monotonic_time () - start) / 1e6);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  env = pt_test_env_new (NULL);
  if (env == NULL)
    return 77;
  g_test_add_func ("/server/keyring/enroll", test_enroll_into_keyring);
  g_test_add_func ("/server/keyring/no-keyring", test_no_keyring);
  g_test_add_func ("/server/keyring/revoked", test_revoked_leaves_keyring);
  g_test_add_func ("/server/keyring/locked", test_locked_keyring);
  status = g_test_run ();
  pt_test_env_free (env);
  return status;
}
