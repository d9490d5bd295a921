/* test-app-fixture.c: the real store, made with the demo generator. */
#include <glib/gstdio.h>

#include "test-app-fixture.h"

#include "pt-demo.h"
#include "pt-reference.h"

static gpointer
populate_job (PtStore       *store,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  PtReference *reference = pt_store_get_reference (store);
  guint n_cases = GPOINTER_TO_UINT (data);
  const PtUnit *district = pt_district_get_unit (reference->district, 0);

  if (!pt_store_import_district (store, reference->district, error) ||
      !pt_store_set_meta (store, "unit", district->code, error) ||
      !pt_store_set_meta (store, "runner", "R-0001", error))
    return NULL;
  if (n_cases > 0 && !pt_demo_generate (store, n_cases, 7, error))
    return NULL;
  if (n_cases == 0)
    {
      /* The roster alone, for tests that make their own cases. */
      PtDemoOptions options = { 7, NULL, FALSE };
      g_autoptr(PtDemo) demo = pt_demo_new (store, &options);

      if (!pt_demo_add_runners (demo, error))
        return NULL;
    }
  return GINT_TO_POINTER (TRUE);
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pt_store_worker_open_finish (PT_STORE_WORKER (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

void
app_fixture_setup (AppFixture *fixture,
                   guint       n_cases)
{
  g_autoptr(GError) error = NULL;
  gboolean opened = FALSE;

  fixture->dir = g_dir_make_tmp ("pt-app-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "desk.db", NULL);
  fixture->reference = pt_reference_load_default (&error);
  g_assert_no_error (error);
  fixture->worker = pt_store_worker_new (fixture->path, fixture->reference);
  pt_store_worker_open_async (fixture->worker, NULL, opened_cb, &opened);
  app_fixture_wait (&opened, 30);
  g_assert_nonnull (pt_store_worker_run_sync (fixture->worker, populate_job,
                                              GUINT_TO_POINTER (n_cases), &error));
  g_assert_no_error (error);
  fixture->desk = pt_desk_new (fixture->worker, NULL);
  pt_desk_set_defaults (fixture->desk, pt_district_get_unit (fixture->reference->district, 0)->code,
                        "R-0001");
}

void
app_fixture_teardown (AppFixture *fixture)
{
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (fixture->path, "-shm", NULL);

  g_clear_object (&fixture->desk);
  g_clear_object (&fixture->worker);
  g_clear_pointer (&fixture->reference, pt_reference_free);
  g_unlink (fixture->path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static gboolean
timeout_cb (gpointer user_data)
{
  g_error ("Timed out waiting for the store worker");
  return G_SOURCE_REMOVE;
}

void
app_fixture_wait (gboolean *flag,
                  guint     seconds)
{
  guint source = g_timeout_add_seconds (seconds, timeout_cb, NULL);

  while (!*flag)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (source);
}

void
app_fixture_collect (GtkWidget *root,
                     GType      type,
                     GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    g_ptr_array_add (found, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    app_fixture_collect (child, type, found);
}
