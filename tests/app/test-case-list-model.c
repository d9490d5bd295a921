/* test-case-list-model.c: paging, search and filters of the case list model,
 * on a real demo store. */
#include "test-app-fixture.h"

#include "pt-case-item.h"
#include "pt-case-list-model.h"
#include "pt-held-list-model.h"
#include "pt-reference.h"

#define N_CASES 450

typedef struct {
  AppFixture       app;
  PtCaseListModel *model;
  gboolean         refreshed;
  guint            changes;
  guint            first_changed;   /* the lowest position of a change */
  guint            first_pages;
} Fixture;

static void
refreshed_cb (PtCaseListModel *model,
              Fixture         *fixture)
{
  fixture->refreshed = TRUE;
}

static void
first_page_cb (PtCaseListModel *model,
               Fixture         *fixture)
{
  guint n = MIN (g_list_model_get_n_items (G_LIST_MODEL (model)), PT_STORE_DEFAULT_PAGE);

  /* The first page is there before the count. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PtCaseItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);
      g_assert_true (pt_case_item_get_loaded (item));
    }
  fixture->first_pages++;
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *fixture)
{
  fixture->changes++;
  fixture->first_changed = MIN (fixture->first_changed, position);
}

static void
wait_refreshed (Fixture *fixture)
{
  app_fixture_wait (&fixture->refreshed, 30);
  fixture->refreshed = FALSE;
}

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  app_fixture_setup (&fixture->app, N_CASES);
  fixture->model = pt_case_list_model_new (fixture->app.worker);
  g_signal_connect (fixture->model, "counted", G_CALLBACK (refreshed_cb), fixture);
  g_signal_connect (fixture->model, "refreshed", G_CALLBACK (first_page_cb), fixture);
  g_signal_connect (fixture->model, "items-changed", G_CALLBACK (items_changed_cb), fixture);
  pt_case_list_model_reload (fixture->model);
  wait_refreshed (fixture);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  g_clear_object (&fixture->model);
  app_fixture_teardown (&fixture->app);
}

/* Waits until the item at @position has its row. */
static PtCaseItem *
loaded_item (Fixture *fixture,
             guint    position)
{
  PtCaseItem *item = g_list_model_get_item (G_LIST_MODEL (fixture->model), position);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  g_assert_nonnull (item);
  while (!pt_case_item_get_loaded (item))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  return item;
}

static void
test_paging (Fixture       *fixture,
             gconstpointer  data)
{
  GListModel *model = G_LIST_MODEL (fixture->model);
  g_autoptr(PtCaseItem) first = NULL;
  g_autoptr(PtCaseItem) later = NULL;
  g_autoptr(PtCaseItem) last = NULL;
  g_autoptr(GHashTable) numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n = g_list_model_get_n_items (model);

  g_assert_cmpuint (n, ==, N_CASES);
  g_assert_cmpuint (fixture->first_pages, ==, 1);
  g_assert_true (g_list_model_get_item_type (model) == PT_TYPE_CASE_ITEM);
  /* Only the first page is in memory after a query. */
  g_assert_cmpuint (pt_case_list_model_get_n_pages (fixture->model), ==, 1);
  first = g_list_model_get_item (model, 0);
  g_assert_true (pt_case_item_get_loaded (first));

  /* An item of another page is a placeholder that fills itself. */
  later = g_list_model_get_item (model, 250);
  g_assert_false (pt_case_item_get_loaded (later));
  g_clear_object (&later);
  later = loaded_item (fixture, 250);
  g_assert_cmpuint (pt_case_item_get_position (later), ==, 250);
  last = loaded_item (fixture, n - 1);
  g_assert_null (g_list_model_get_item (model, n));

  /* Every row once, across all the pages; memory stays bounded. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PtCaseItem) item = loaded_item (fixture, i);

      g_assert_false (g_hash_table_contains (numbers, pt_case_item_get_row (item)->number));
      g_hash_table_add (numbers, g_strdup (pt_case_item_get_row (item)->number));
      g_assert_cmpuint (pt_case_list_model_get_n_pages (fixture->model), <=, 12);
    }
  g_assert_cmpuint (g_hash_table_size (numbers), ==, N_CASES);
}

/* A case of a person (a name of two to four characters, which one character
 * finds; an enterprise's long name is found by pairs only): the demo's
 * cases follow the day it is made for, so the test looks for one. */
static PtCaseItem *
person_item (Fixture *fixture)
{
  for (guint i = 17; i < N_CASES; i++)
    {
      PtCaseItem *item = loaded_item (fixture, i);

      if (g_utf8_strlen (pt_case_item_get_row (item)->applicant, -1) <= 4)
        return item;
      g_object_unref (item);
    }
  g_error ("The demo has no case of a person");
  return NULL;
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  GListModel *model = G_LIST_MODEL (fixture->model);
  g_autoptr(PtCaseItem) target = person_item (fixture);
  g_autofree char *number = g_strdup (pt_case_item_get_row (target)->number);
  g_autofree char *applicant = g_strdup (pt_case_item_get_row (target)->applicant);
  g_autofree char *surname = g_utf8_substring (applicant, 0, 1);
  guint before = fixture->changes;

  /* The full number finds exactly that case. */
  pt_case_list_model_set_search (fixture->model, number);
  wait_refreshed (fixture);
  g_assert_cmpuint (fixture->changes, >, before);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  {
    g_autoptr(PtCaseItem) found = loaded_item (fixture, 0);
    g_assert_cmpstr (pt_case_item_get_row (found)->number, ==, number);
  }

  /* One Chinese character of a name: every match contains it. */
  pt_case_list_model_set_search (fixture->model, surname);
  wait_refreshed (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (model), >=, 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), <, N_CASES);
  for (guint i = 0; i < MIN (g_list_model_get_n_items (model), 50); i++)
    {
      g_autoptr(PtCaseItem) item = loaded_item (fixture, i);
      const PtCaseRow *row = pt_case_item_get_row (item);

      g_assert_true (strstr (row->applicant, surname) != NULL || strstr (row->items, surname) != NULL ||
                     strstr (row->number, surname) != NULL || row->address != NULL);
    }

  /* Nothing matches nonsense; an empty search shows everything again. */
  pt_case_list_model_set_search (fixture->model, "不存在的申请人XYZ");
  wait_refreshed (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  pt_case_list_model_set_search (fixture->model, "  ");
  wait_refreshed (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_CASES);
}

static void
test_filters (Fixture       *fixture,
              gconstpointer  data)
{
  GListModel *model = G_LIST_MODEL (fixture->model);
  guint total = 0;

  /* The status filter partitions the list. */
  for (int status = 0; status < PT_STATUS_N; status++)
    {
      guint n;

      pt_case_list_model_set_status (fixture->model, status);
      wait_refreshed (fixture);
      n = g_list_model_get_n_items (model);
      total += n;
      for (guint i = 0; i < MIN (n, 30); i++)
        {
          g_autoptr(PtCaseItem) item = loaded_item (fixture, i);
          g_assert_cmpint (pt_case_item_get_row (item)->status, ==, status);
        }
    }
  g_assert_cmpuint (total, ==, N_CASES);
  pt_case_list_model_set_status (fixture->model, -1);
  wait_refreshed (fixture);

  /* Level. */
  pt_case_list_model_set_level (fixture->model, PT_LEVEL_VILLAGE);
  wait_refreshed (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (model), >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (model), <, N_CASES);
  for (guint i = 0; i < g_list_model_get_n_items (model) && i < 30; i++)
    {
      g_autoptr(PtCaseItem) item = loaded_item (fixture, i);
      g_assert_cmpint (pt_case_item_get_row (item)->level, ==, PT_LEVEL_VILLAGE);
    }
  pt_case_list_model_set_level (fixture->model, -1);
  wait_refreshed (fixture);

  /* Runner: the first row's runner, then only theirs. */
  {
    const char *runner = NULL;
    g_autofree char *id = NULL;

    for (guint i = 0; i < N_CASES && runner == NULL; i++)
      {
        g_autoptr(PtCaseItem) item = loaded_item (fixture, i);
        if (pt_case_item_get_row (item)->runner != NULL)
          runner = id = g_strdup (pt_case_item_get_row (item)->runner);
      }
    g_assert_nonnull (id);
    pt_case_list_model_set_runner (fixture->model, id);
    wait_refreshed (fixture);
    g_assert_cmpuint (g_list_model_get_n_items (model), >, 0);
    for (guint i = 0; i < g_list_model_get_n_items (model) && i < 30; i++)
      {
        g_autoptr(PtCaseItem) item = loaded_item (fixture, i);
        g_assert_cmpstr (pt_case_item_get_row (item)->runner, ==, id);
      }
    pt_case_list_model_set_runner (fixture->model, NULL);
    wait_refreshed (fixture);
  }

  /* Overdue: only cases with a due date before today that have not ended. */
  pt_case_list_model_set_today (fixture->model, "2026-12-31");
  wait_refreshed (fixture);
  pt_case_list_model_set_overdue_only (fixture->model, TRUE);
  wait_refreshed (fixture);
  for (guint i = 0; i < g_list_model_get_n_items (model) && i < 30; i++)
    {
      g_autoptr(PtCaseItem) item = loaded_item (fixture, i);
      const PtCaseRow *row = pt_case_item_get_row (item);

      g_assert_nonnull (row->due);
      g_assert_cmpstr (row->due, <, "2026-12-31");
      g_assert_cmpint (row->status, !=, PT_STATUS_DELIVERED);
      g_assert_cmpint (row->status, !=, PT_STATUS_TERMINATED);
    }
  pt_case_list_model_set_overdue_only (fixture->model, FALSE);
  wait_refreshed (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_CASES);
}

static void
test_in_place (Fixture       *fixture,
               gconstpointer  data)
{
  GListModel *model = G_LIST_MODEL (fixture->model);
  g_autoptr(PtCaseItem) first = loaded_item (fixture, 0);
  g_autoptr(PtCaseItem) later = loaded_item (fixture, 150);
  g_autofree char *number = g_strdup (pt_case_item_get_row (first)->number);
  g_autofree char *later_number = g_strdup (pt_case_item_get_row (later)->number);
  guint n;

  /* A view holds rows of two pages. Running the query again (after a
   * change to the store) loads the same items again, where they are. */
  fixture->first_changed = G_MAXUINT;
  pt_case_list_model_reload (fixture->model);
  wait_refreshed (fixture);
  g_assert_cmpuint (fixture->first_changed, ==, G_MAXUINT);
  {
    g_autoptr(PtCaseItem) again = loaded_item (fixture, 150);

    g_assert_true (again == later);
    g_assert_cmpstr (pt_case_item_get_row (later)->number, ==, later_number);
  }

  /* Another query gives the same items other rows, and tells the view only
   * about the end of the list. */
  pt_case_list_model_set_status (fixture->model, PT_STATUS_ACCEPTED);
  wait_refreshed (fixture);
  n = g_list_model_get_n_items (model);
  g_assert_cmpuint (n, <, N_CASES);
  g_assert_cmpuint (fixture->first_changed, ==, n);
  {
    g_autoptr(PtCaseItem) again = g_list_model_get_item (model, 0);

    g_assert_true (again == first);
    g_assert_true (pt_case_item_get_loaded (first));
    g_assert_cmpint (pt_case_item_get_row (first)->status, ==, PT_STATUS_ACCEPTED);
  }

  /* Back to all of them: the list grows after the rows it had. */
  fixture->first_changed = G_MAXUINT;
  pt_case_list_model_set_status (fixture->model, -1);
  wait_refreshed (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_CASES);
  g_assert_cmpuint (fixture->first_changed, ==, n);
  g_assert_cmpstr (pt_case_item_get_row (first)->number, ==, number);
}

static void
test_held (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(PtHeldListModel) held = pt_held_list_model_new (G_LIST_MODEL (fixture->model));
  GListModel *view = G_LIST_MODEL (held);
  g_autoptr(PtCaseItem) first = g_list_model_get_item (view, 0);
  g_autoptr(PtCaseItem) later = NULL;
  g_autofree char *number = g_strdup (pt_case_item_get_row (first)->number);

  later = g_list_model_get_item (view, 150);
  while (!pt_case_item_get_loaded (later))
    g_main_context_iteration (NULL, TRUE);

  /* Nothing matches: the view keeps its rows (covered by the empty page). */
  pt_case_list_model_set_search (fixture->model, "不存在的申请人XYZ");
  wait_refreshed (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (view), ==, N_CASES);

  /* The next answer fills the same items again, the held one of the
   * second page too; the view is told about nothing else. */
  fixture->first_changed = G_MAXUINT;
  pt_case_list_model_set_search (fixture->model, "");
  wait_refreshed (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (view), ==, N_CASES);
  g_assert_cmpstr (pt_case_item_get_row (first)->number, ==, number);
  {
    g_autoptr(PtCaseItem) again = g_list_model_get_item (view, 0);
    g_autoptr(PtCaseItem) from_model = g_list_model_get_item (G_LIST_MODEL (fixture->model), 150);

    g_assert_true (again == first);
    g_assert_true (from_model == later);
    while (!pt_case_item_get_loaded (later))
      g_main_context_iteration (NULL, TRUE);
  }
}

static void
test_outdated_query (Fixture       *fixture,
                     gconstpointer  data)
{
  /* Typing fast: only the last query's answer may reach the view. */
  pt_case_list_model_set_search (fixture->model, "不存在");
  pt_case_list_model_set_search (fixture->model, "");
  pt_case_list_model_set_search (fixture->model, "不存在的申请人XYZ");
  wait_refreshed (fixture);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_false (pt_case_list_model_get_loading (fixture->model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/app/case-list-model/paging", Fixture, NULL, setup, test_paging, teardown);
  g_test_add ("/app/case-list-model/search", Fixture, NULL, setup, test_search, teardown);
  g_test_add ("/app/case-list-model/filters", Fixture, NULL, setup, test_filters, teardown);
  g_test_add ("/app/case-list-model/in-place", Fixture, NULL, setup, test_in_place, teardown);
  g_test_add ("/app/case-list-model/held", Fixture, NULL, setup, test_held, teardown);
  g_test_add ("/app/case-list-model/outdated-query", Fixture, NULL, setup, test_outdated_query, teardown);

  return g_test_run ();
}
