/* test-preferences.c: the desk's unit and runner are chosen from the
 * district's lists and kept in the database; the center on papers is the
 * district's unless the desk overrides it (under Xvfb). */
#include <adwaita.h>

#include "test-app-fixture.h"

#include "pt-document-case.h"
#include "pt-preferences-window.h"

typedef gboolean (*Condition) (gpointer data);

static void
wait_until (Condition   condition,
            gpointer    data,
            const char *what)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, TRUE);
    }
}

static GtkWidget *
nth (GtkWidget *window,
     GType      type,
     guint      n)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  app_fixture_collect (window, type, found);
  g_assert_cmpuint (found->len, >, n);
  return g_ptr_array_index (found, n);
}

static guint
position_of (AdwComboRow *row,
             const char  *needle)
{
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (strstr (gtk_string_list_get_string (GTK_STRING_LIST (model), i), needle) != NULL)
      return i;
  g_error ("No row with %s", needle);
  return 0;
}

static gpointer
meta_job (PtStore       *store,
          gpointer       key,
          GCancellable  *cancellable,
          GError       **error)
{
  char *value = pt_store_get_meta (store, key);

  return value ? value : g_strdup ("");
}

static char *
meta (AppFixture *app,
      const char *key)
{
  return pt_store_worker_run_sync (app->worker, meta_job, (gpointer) key, NULL);
}

typedef struct {
  AppFixture *app;
  const char *key;
  const char *value;
  AdwComboRow *row;
  GtkEditable *editable;
} Expect;

static gboolean
meta_is (gpointer data)
{
  Expect *expect = data;
  g_autofree char *value = meta (expect->app, expect->key);

  return g_strcmp0 (value, expect->value) == 0;
}

static gboolean
selected (gpointer data)
{
  Expect *expect = data;

  return adw_combo_row_get_selected (expect->row) != GTK_INVALID_LIST_POSITION;
}

static gboolean
text_is (gpointer data)
{
  Expect *expect = data;

  return g_strcmp0 (gtk_editable_get_text (expect->editable), expect->value) == 0;
}

static gboolean
desk_runner_is (gpointer data)
{
  Expect *expect = data;

  return g_strcmp0 (pt_desk_get_runner (expect->app->desk), expect->value) == 0;
}

static gboolean
desk_unit_is (gpointer data)
{
  Expect *expect = data;

  return g_strcmp0 (pt_desk_get_unit (expect->app->desk), expect->value) == 0;
}

static void
test_choose (void)
{
  AppFixture app = { 0 };
  GtkWidget *window;
  AdwComboRow *unit_row;
  AdwComboRow *runner_row;
  GtkEditable *center_name;
  Expect expect = { &app };
  GListModel *runners;
  g_autofree char *first_runner = NULL;

  app_fixture_setup (&app, 0);
  window = pt_preferences_window_new (app.desk);
  gtk_window_present (GTK_WINDOW (window));
  unit_row = ADW_COMBO_ROW (nth (window, ADW_TYPE_COMBO_ROW, 0));
  runner_row = ADW_COMBO_ROW (nth (window, ADW_TYPE_COMBO_ROW, 1));
  center_name = GTK_EDITABLE (nth (window, ADW_TYPE_ENTRY_ROW, 2));   /* after server and CA */

  /* The database's unit (the district) is shown chosen, with its runner. */
  expect.row = unit_row;
  wait_until (selected, &expect, "the unit row to show the desk's unit");
  g_assert_cmpuint (adw_combo_row_get_selected (unit_row), ==, position_of (unit_row, "· 370304"));
  expect.row = runner_row;
  wait_until (selected, &expect, "the runner row to show R-0001");
  g_assert_cmpuint (adw_combo_row_get_selected (runner_row), ==, position_of (runner_row, "R-0001"));
  expect.editable = center_name;
  expect.value = "博山区政务服务中心";
  wait_until (text_is, &expect, "the district's center name");

  /* A village: kept in the database; R-0001 does not work there, so the
   * clerk chooses one of the village's runners. */
  adw_combo_row_set_selected (unit_row, position_of (unit_row, "370304-YC-001"));
  expect.key = "unit";
  expect.value = "370304-YC-001";
  wait_until (meta_is, &expect, "the unit to be kept");
  expect.key = "runner";
  expect.value = "";
  wait_until (meta_is, &expect, "the runner of another unit to be dropped");
  expect.value = "域城村便民服务站";
  wait_until (text_is, &expect, "the village's center name");
  expect.value = "370304-YC-001";
  wait_until (desk_unit_is, &expect, "the desk to be the village's");

  runners = adw_combo_row_get_model (runner_row);
  g_assert_cmpuint (g_list_model_get_n_items (runners), >=, 2);    /* the seed: two per village */
  g_assert_cmpuint (adw_combo_row_get_selected (runner_row), ==, GTK_INVALID_LIST_POSITION);
  first_runner = g_strdup (strrchr (gtk_string_list_get_string (GTK_STRING_LIST (runners), 0), ' ') + 1);
  adw_combo_row_set_selected (runner_row, 0);
  expect.key = "runner";
  expect.value = first_runner;
  wait_until (meta_is, &expect, "the village's runner to be kept");
  wait_until (desk_runner_is, &expect, "the desk to sign in the village's runner");

  /* The center: an override is kept, the district's own value is none. */
  gtk_editable_set_text (center_name, "域城村党群服务中心");
  g_signal_emit_by_name (center_name, "apply");
  expect.key = PT_META_CENTER_NAME;
  expect.value = "域城村党群服务中心";
  wait_until (meta_is, &expect, "the center override to be kept");
  gtk_editable_set_text (center_name, "域城村便民服务站");
  g_signal_emit_by_name (center_name, "apply");
  expect.value = "";
  wait_until (meta_is, &expect, "the district's own name to drop the override");

  gtk_window_destroy (GTK_WINDOW (window));
  app_fixture_teardown (&app);
}

static gpointer
enroll_job (PtStore       *store,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  return pt_store_set_meta (store, "sync.unit", "370304", error) ? GINT_TO_POINTER (TRUE) : NULL;
}

/* An enrolled desk's unit is the enrollment's: shown, not changed. */
static void
test_enrolled (void)
{
  AppFixture app = { 0 };
  GtkWidget *window;
  Expect expect = { &app };

  app_fixture_setup (&app, 0);
  g_assert_nonnull (pt_store_worker_run_sync (app.worker, enroll_job, NULL, NULL));
  window = pt_preferences_window_new (app.desk);
  gtk_window_present (GTK_WINDOW (window));
  expect.row = ADW_COMBO_ROW (nth (window, ADW_TYPE_COMBO_ROW, 0));
  wait_until (selected, &expect, "the unit row to show the desk's unit");
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (expect.row)));
  gtk_window_destroy (GTK_WINDOW (window));
  app_fixture_teardown (&app);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/app/preferences/choose", test_choose);
  g_test_add_func ("/app/preferences/enrolled", test_enrolled);

  return g_test_run ();
}
