/* test-fold-order.c: the fold is a function of the event set, not of the
 * order events arrive in.
 *
 * 10,000 generated cases (the demo district's whole flow), each folded in
 * its own order and in random permutations, must give byte-identical states
 * and no conflict; then cases forked between two desks (conflicting ends,
 * concurrent edits) must also fold identically in every order.
 */
#include "pt-demo.h"
#include "pt-fold.h"
#include "pt-json.h"
#include "pt-uuid.h"
#include "test-support.h"

static void
shuffle (GPtrArray *array,
         GRand     *rand)
{
  for (guint i = array->len; i > 1; i--)
    {
      guint j = g_rand_int_range (rand, 0, i);
      gpointer t = array->pdata[i - 1];
      array->pdata[i - 1] = array->pdata[j];
      array->pdata[j] = t;
    }
}

static char *
fold_to_string (GPtrArray *events)
{
  g_autoptr(PtCaseState) state = pt_fold (events, test_reference ()->calendar);

  return pt_case_state_to_string (state);
}

static void
test_permutations (void)
{
  g_autofree char *dir = NULL;
  PtStore *store = test_store_new ("370304", &dir);
  PtDemoOptions options = { 99, "2026-11-26", FALSE };
  g_autoptr(PtDemo) demo = pt_demo_new (store, &options);
  g_autoptr(GRand) rand = g_rand_new_with_seed (4242);
  guint n = g_test_slow () ? 20000 : 10000;
  guint statuses[PT_STATUS_N] = { 0 };

  g_assert_true (pt_demo_add_runners (demo, NULL));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GPtrArray) events = pt_demo_next_case (demo, i, n);
      g_autofree char *expected = NULL;
      g_autoptr(PtCaseState) state = pt_fold (events, test_reference ()->calendar);

      if (state->conflicts->len > 0)
        g_error ("case %u: a valid sequence gave a conflict: %s", i,
                 ((PtConflict *) g_ptr_array_index (state->conflicts, 0))->reason);
      statuses[state->status]++;
      expected = pt_case_state_to_string (state);
      for (int k = 0; k < 2; k++)
        {
          g_autofree char *got = NULL;
          shuffle (events, rand);
          got = fold_to_string (events);
          g_assert_cmpstr (got, ==, expected);
        }
    }
  for (guint s = 0; s < PT_STATUS_N; s++)
    if (statuses[s] == 0)
      g_error ("no generated case ended %s", pt_case_status_to_string (s));
  pt_store_close (store);
  test_remove_dir (dir);
}

static PtEvent *
branch_event (const PtEvent *base,
              const char    *device,
              gint64         wall,
              PtEventType    type,
              const char    *payload)
{
  PtStamp stamp = { wall, 0 };
  g_autofree char *id = pt_uuid7_new_at (wall);
  g_autoptr(JsonObject) object = test_json (payload);

  return pt_event_new (id, base->case_id, &stamp, device, "R-0002", type, object);
}

/* Two desks continue the same case offline. */
static void
test_forks (void)
{
  g_autofree char *dir = NULL;
  PtStore *store = test_store_new ("370304", &dir);
  PtDemoOptions options = { 7, "2026-11-26", FALSE };
  g_autoptr(PtDemo) demo = pt_demo_new (store, &options);
  g_autoptr(GRand) rand = g_rand_new_with_seed (77);
  guint forks = 0, conflicted = 0;

  g_assert_true (pt_demo_add_runners (demo, NULL));
  for (guint i = 0; i < 3000; i++)
    {
      g_autoptr(GPtrArray) events = pt_demo_next_case (demo, i, 3000);
      g_autoptr(PtCaseState) state = pt_fold (events, NULL);
      g_autofree char *expected = NULL;
      PtEvent *last = g_ptr_array_index (events, events->len - 1);
      gint64 wall = last->stamp.wall;

      if (pt_case_state_is_ended (state))
        continue;
      forks++;
      /* Desk B terminates, desk A adds a note and reassigns; sometimes B's
       * clock is behind A's. */
      g_ptr_array_add (events, branch_event (last, "desk-b", wall + g_rand_int_range (rand, -5000, 5000), PT_EVENT_TERMINATED,
                                             "{\"reason_code\": \"unreachable\", \"reason\": \"联系不上\", \"materials_returned\": []}"));
      g_ptr_array_add (events, branch_event (last, "desk-a", wall + g_rand_int_range (rand, 1, 9000), PT_EVENT_NOTE,
                                             "{\"text\": \"申请人来电询问进度\"}"));
      g_ptr_array_add (events, branch_event (last, "desk-a", wall + g_rand_int_range (rand, 1, 9000), PT_EVENT_CASE_SUSPENDED,
                                             "{\"reason\": \"等待补充材料\"}"));
      g_clear_pointer (&state, pt_case_state_free);
      state = pt_fold (events, NULL);
      conflicted += state->conflicts->len > 0;
      expected = pt_case_state_to_string (state);
      for (int k = 0; k < 4; k++)
        {
          g_autofree char *got = NULL;
          g_autoptr(PtCaseState) again = NULL;
          shuffle (events, rand);
          again = pt_fold (events, NULL);
          got = pt_case_state_to_string (again);
          g_assert_cmpstr (got, ==, expected);
          g_assert_cmpuint (again->n_events, ==, events->len);
        }
    }
  g_assert_cmpuint (forks, >, 100);
  g_assert_cmpuint (conflicted, >, 10);
  pt_store_close (store);
  test_remove_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fold/permutations", test_permutations);
  g_test_add_func ("/fold/forks", test_forks);
  return g_test_run ();
}
