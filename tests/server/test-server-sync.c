/* test-server-sync.c: convergence of several desks: concurrent edits and
 * conflicts, clock skew, scope and transfers, slow commits under readers,
 * and a randomized run with faults (tests 5 to 9 of issue 5). */
#include <curl/curl.h>

#include "pt-error.h"
#include "pt-fault-proxy.h"
#include "pt-fold.h"
#include "pt-json.h"
#include "pt-store-sync.h"
#include "pt-test-env.h"

static PtTestEnv *env;

static void
append_ok (PtStore    *store,
           const char *case_id,
           const char *type,
           const char *payload)
{
  g_autoptr(GError) error = NULL;

  pt_test_append (store, case_id, type, payload, &error);
  g_assert_no_error (error);
}

static char *
case_state (PtStore    *store,
            const char *case_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtCaseState) state = pt_store_load_case (store, case_id, &error);

  if (state == NULL)
    return NULL;
  return pt_case_state_to_string (state);
}

static guint
n_conflicts (PtStore    *store,
             const char *case_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtCaseState) state = pt_store_load_case (store, case_id, &error);

  g_assert_no_error (error);
  return state->conflicts->len;
}

/* A case taken at @unit and brought to one approved step, known to @a and @b. */
static char *
ready_case (PtStore    *a,
            PtStore    *b,
            const char *unit)
{
  char *case_id = pt_test_new_case (a, unit, "周九");

  append_ok (a, case_id, "agreement_signed",
             "{\"digest\": \"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"}");
  append_ok (a, case_id, "runner_assigned", "{\"runner\": \"R-9001\"}");
  append_ok (a, case_id, "plan_set",
             "{\"steps\": [{\"id\": \"s1\", \"item\": \"V-WJJ-001\", \"department\": \"区卫生健康局\","
             " \"level\": \"village\", \"mode\": \"single\", \"limit_days\": 1}]}");
  append_ok (a, case_id, "step_submitted", "{\"step\": \"s1\"}");
  append_ok (a, case_id, "step_approved", "{\"step\": \"s1\"}");
  pt_test_sync (a, NULL);
  pt_test_sync (b, NULL);
  {
    g_autofree char *sb = case_state (b, case_id);
    g_assert_nonnull (sb);
  }
  return case_id;
}

static void
offline_edits (PtStore    *a,
               PtStore    *b,
               const char *case_id)
{
  /* The same field. */
  append_ok (a, case_id, "runner_assigned", "{\"runner\": \"R-9001\", \"reason\": \"就近\"}");
  append_ok (b, case_id, "runner_assigned", "{\"runner\": \"R-9002\", \"reason\": \"熟悉业务\"}");
  /* Different fields. */
  append_ok (a, case_id, "note", "{\"text\": \"申请人来电\"}");
  append_ok (b, case_id, "feedback_given", "{\"channel\": \"phone\", \"text\": \"已告知进度\"}");
  /* Conflicting transitions. */
  append_ok (a, case_id, "delivered",
             "{\"certificates\": [{\"name\": \"生育登记回执\", \"number\": \"WJ-1\", \"copies\": 1}],"
             " \"originals_returned\": true, \"method\": \"in_person\"}");
  append_ok (b, case_id, "terminated",
             "{\"reason_code\": \"applicant_withdrew\", \"reason\": \"申请人撤回\", \"materials_returned\": []}");
}

/* 6. Two offline desks edit the same case; synced in both orders. */
static void
test_concurrent_edits (void)
{
  g_autoptr(PtStore) village = pt_test_env_desk (env, "370304-YC-001", NULL);
  g_autoptr(PtStore) town = pt_test_env_desk (env, "370304-YC", NULL);
  g_autoptr(PtStore) district = pt_test_env_desk (env, "370304", NULL);
  g_autofree char *c1 = ready_case (village, town, "370304-YC-001");
  g_autofree char *c2 = ready_case (village, town, "370304-YC-001");
  PtStore *desks[] = { village, town, district };

  offline_edits (village, town, c1);
  offline_edits (town, village, c2);
  /* Order 1: village first; order 2: town first. */
  pt_test_sync (village, NULL);
  pt_test_sync (town, NULL);
  pt_test_sync (village, NULL);
  pt_test_sync (district, NULL);

  {
    g_autoptr(PtStore) late = pt_test_env_desk (env, "370304-YC", NULL);
    g_autofree char *x = NULL;
    pt_test_sync (late, NULL);   /* a desk that saw it all arrive in server order */
    x = pt_test_states (late);
    for (guint i = 0; i < G_N_ELEMENTS (desks); i++)
      {
        g_autofree char *s = pt_test_states (desks[i]);
        g_assert_cmpstr (s, ==, x);
      }
  }
  for (guint i = 0; i < G_N_ELEMENTS (desks); i++)
    {
      /* delivered vs terminated: one of them is a conflict, on every desk */
      g_assert_cmpuint (n_conflicts (desks[i], c1), ==, 1);
      g_assert_cmpuint (n_conflicts (desks[i], c2), ==, 1);
    }

  /* Synced in the other order on a fresh pair: same outcome. */
  {
    g_autoptr(PtStore) v2 = pt_test_env_desk (env, "370304-YC-002", NULL);
    g_autoptr(PtStore) t2 = pt_test_env_desk (env, "370304-YC", NULL);
    g_autofree char *c3 = ready_case (v2, t2, "370304-YC-002");
    g_autofree char *a = NULL;
    g_autofree char *b = NULL;

    offline_edits (v2, t2, c3);
    pt_test_sync (t2, NULL);
    pt_test_sync (v2, NULL);
    pt_test_sync (t2, NULL);
    a = case_state (v2, c3);
    b = case_state (t2, c3);
    g_assert_cmpstr (a, ==, b);
    g_assert_cmpuint (n_conflicts (v2, c3), ==, 1);
  }
}

/* 9. Scope: a village cannot read or write another village's cases; a
 * transfer revokes; an out-of-scope push comes back visibly. */
static void
test_scope (void)
{
  g_autoptr(PtStore) v1 = pt_test_env_desk (env, "370304-BD-001", NULL);
  g_autoptr(PtStore) v2 = pt_test_env_desk (env, "370304-BD-002", NULL);
  g_autoptr(PtStore) town = pt_test_env_desk (env, "370304-BD", NULL);
  g_autofree char *c = pt_test_new_case (v1, "370304-BD-001", "吴十");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) quarantine = NULL;
  PtSyncReport report = { 0 };
  PGconn *conn = pt_test_env_db (env);

  pt_test_sync (v1, NULL);
  pt_test_sync (v2, NULL);
  pt_test_sync (town, NULL);
  {
    g_autofree char *s = case_state (v2, c);
    g_autofree char *t = case_state (town, c);
    g_assert_null (s);                         /* cannot read */
    g_assert_nonnull (t);
  }

  /* Cannot write: v2 takes a case in v1's name; the server refuses it, v2
   * shows it in its quarantine and the case leaves v2's list. */
  {
    g_autofree char *foreign = pt_test_new_case (v2, "370304-BD-001", "郑十一");
    g_autofree char *s = NULL;

    pt_test_sync (v2, &report);
    g_assert_cmpint (report.rejected, ==, 1);
    quarantine = pt_store_sync_list_quarantine (v2, FALSE, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (quarantine->len, ==, 1);
    g_assert_nonnull (strstr (((PtQuarantineEntry *) quarantine->pdata[0])->reason, "scope"));
    s = case_state (v2, foreign);
    g_assert_null (s);
    g_assert_cmpint (pt_test_db_int (conn, "SELECT count(*) FROM quarantine WHERE reason LIKE 'scope%'"), >=, 1);
  }

  /* Cannot write by hand either: an event on v1's case with v2's token. */
  {
    g_autofree char *token = pt_store_get_meta (v2, "sync.token");
    g_autofree char *device = pt_store_get_meta (v2, "sync.device");
    g_autofree char *sql = g_strdup_printf ("SELECT high_water FROM devices WHERE id = '%s'", device);
    gint64 mark = pt_test_db_int (conn, sql);
    g_autoptr(JsonObject) payload = json_object_new ();
    g_autoptr(PtEvent) ev = NULL;
    g_autofree char *ev_json = NULL;
    g_autofree char *body = NULL;
    g_autofree char *answer = NULL;

    json_object_set_string_member (payload, "text", "越权");
    ev = pt_store_new_event (v2, c, PT_EVENT_NOTE, g_steal_pointer (&payload), "R-9001");
    ev_json = pt_event_to_string (ev);
    body = g_strdup_printf ("{\"events\": [{\"device_seq\": %" G_GINT64_FORMAT ", \"event\": %s}]}",
                            mark + 1, ev_json);
    g_assert_cmpint (pt_test_http (env, "POST", "/v1/events", token, body, &answer), ==, 200);
    g_assert_nonnull (strstr (answer, "\"rejected\""));
    g_assert_nonnull (strstr (answer, "scope"));
  }

  /* Transfer: the town moves v1's case to v2 while v1 has an edit queued. */
  append_ok (v1, c, "note", "{\"text\": \"村里离线记录\"}");
  append_ok (town, c, "case_transferred", "{\"to_unit\": \"370304-BD-002\", \"reason\": \"申请人户籍在本村\"}");
  pt_test_sync (town, NULL);
  pt_test_sync (v1, &report);
  g_assert_cmpint (report.rejected, ==, 1);     /* the queued edit, visibly */
  g_assert_cmpint (report.revoked, ==, 1);
  {
    g_autofree char *s = case_state (v1, c);
    g_autoptr(GPtrArray) revoked = pt_store_sync_list_revoked (v1, &error);
    g_assert_null (s);
    g_assert_cmpuint (revoked->len, ==, 1);
    g_assert_cmpstr (revoked->pdata[0], ==, c);
  }
  g_clear_pointer (&quarantine, g_ptr_array_unref);
  quarantine = pt_store_sync_list_quarantine (v1, FALSE, &error);
  g_assert_cmpuint (quarantine->len, ==, 1);
  /* v1 keeps a trace of what it handed over, and where. */
  {
    g_autoptr(GPtrArray) handed = pt_store_sync_list_handed_over (v1, NULL, &error);
    PtHandover *h;

    g_assert_no_error (error);
    g_assert_cmpuint (handed->len, ==, 1);
    h = handed->pdata[0];
    g_assert_cmpstr (h->case_id, ==, c);
    g_assert_nonnull (h->number);
    g_assert_nonnull (h->applicant);
    g_assert_cmpstr (h->unit, ==, "370304-BD-002");
  }

  /* v2 gains it with its whole history, and finds it among the cases
   * transferred to it. */
  pt_test_sync (v2, &report);
  {
    g_autofree char *s = case_state (v2, c);
    g_autofree char *t = case_state (town, c);
    g_autoptr(GPtrArray) incoming = NULL;
    PtCaseQuery q;

    g_assert_nonnull (s);
    g_assert_cmpstr (s, ==, t);
    pt_case_query_init (&q);
    q.transferred_to = "370304-BD-002";
    q.transferred_since = g_get_real_time () / 1000 - 3600 * 1000;
    incoming = pt_store_list_cases (v2, &q, 0, 10, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (incoming->len, ==, 1);
    g_assert_cmpstr (((PtCaseRow *) incoming->pdata[0])->id, ==, c);
  }
  PQfinish (conn);
}

/* 7. Clock skew. */
static gint64
ahead_3_days (gpointer data)
{
  return g_get_real_time () / 1000 + 3 * 86400 * 1000LL;
}

static gint64
behind_30_days (gpointer data)
{
  return g_get_real_time () / 1000 - 30 * 86400 * 1000LL;
}

static gint64 step_back_at;

static gint64
steps_back (gpointer data)
{
  gint64 now = g_get_real_time () / 1000;
  return now >= step_back_at ? now - 3600 * 1000 : now;
}

static PtEvent *
last_event (PtStore    *store,
            const char *case_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = pt_store_load_events (store, case_id, &error);

  g_assert_no_error (error);
  return pt_event_copy (events->pdata[events->len - 1]);
}

static void
test_clock_skew (void)
{
  g_autoptr(PtStore) ahead = pt_test_env_desk (env, "370304-SM-001", NULL);
  g_autoptr(PtStore) behind = pt_test_env_desk (env, "370304-SM", NULL);
  g_autoptr(PtStore) stepping = pt_test_env_desk (env, "370304-SM-002", NULL);
  g_autofree char *ca = NULL;
  g_autofree char *cs = NULL;
  PtSyncReport report = { 0 };
  PGconn *conn = pt_test_env_db (env);

  pt_store_get_hlc (ahead)->wall_clock = ahead_3_days;
  pt_store_get_hlc (behind)->wall_clock = behind_30_days;
  pt_store_get_hlc (stepping)->wall_clock = steps_back;
  step_back_at = G_MAXINT64;

  /* The stepping desk: its clock goes back an hour between two events. */
  cs = pt_test_new_case (stepping, "370304-SM-002", "冯十二");
  {
    g_autoptr(PtEvent) e1 = last_event (stepping, cs);
    g_autoptr(PtEvent) e2 = NULL;
    step_back_at = 0;
    append_ok (stepping, cs, "note", "{\"text\": \"时钟回拨之后\"}");
    e2 = last_event (stepping, cs);
    g_assert_cmpint (pt_stamp_compare (&e1->stamp, &e2->stamp), <, 0);
  }
  pt_test_sync (stepping, &report);
  g_assert_cmpint (report.flagged, ==, 0);

  /* The desk 3 days ahead: flagged by the server, kept, not propagated. */
  ca = pt_test_new_case (ahead, "370304-SM-001", "陈十三");
  pt_test_sync (ahead, &report);
  g_assert_cmpint (report.pushed, ==, 1);
  g_assert_cmpint (report.flagged, ==, 1);
  g_assert_cmpint (pt_test_db_int (conn, "SELECT count(*) FROM events WHERE flagged"), ==, 1);

  /* The desk 30 days behind pulls both; its clock is not dragged 3 days
   * ahead, but the server's clock pulls it to the present. */
  pt_test_sync (behind, &report);
  g_assert_cmpint (report.pulled, ==, 3);
  {
    PtHlc *hlc = pt_store_get_hlc (behind);
    gint64 now = g_get_real_time () / 1000;
    g_assert_cmpint (hlc->last.wall, <, now + 86400 * 1000LL);
    g_assert_cmpint (hlc->last.wall, >, now - 60 * 1000);
  }
  /* Causal order: what it writes after reading the stepping desk's case
   * sorts after what it read, although its own clock is a month behind. */
  append_ok (behind, cs, "note", "{\"text\": \"镇里看过\"}");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) events = pt_store_load_events (behind, cs, &error);
    PtEvent *mine = NULL;

    for (guint i = 0; i < events->len; i++)
      if (g_str_equal (((PtEvent *) events->pdata[i])->device, pt_store_get_device_id (behind)))
        mine = events->pdata[i];
    g_assert_nonnull (mine);
    g_assert_true (mine == events->pdata[events->len - 1]);
  }
  pt_test_sync (behind, &report);
  g_assert_cmpint (report.flagged, ==, 0);
  pt_test_sync (stepping, NULL);
  pt_test_sync (ahead, NULL);
  {
    g_autofree char *a = case_state (behind, cs);
    g_autofree char *b = case_state (stepping, cs);
    g_autofree char *c = case_state (behind, ca);
    g_autofree char *d = case_state (ahead, ca);
    g_assert_cmpstr (a, ==, b);
    g_assert_cmpstr (c, ==, d);
  }
  PQfinish (conn);
}

/* 5. Slow commits while other desks pull: the union of the pulls is every
 * commit. */
typedef struct {
  PtStore *store;
  guint    rounds;
  gint    *pushing;
} Pusher;

static gpointer
pusher_thread (gpointer data)
{
  Pusher *p = data;

  for (guint r = 0; r < p->rounds; r++)
    {
      g_autofree char *c = pt_test_new_case (p->store, "370304", "蒋十四");
      append_ok (p->store, c, "note", "{\"text\": \"一\"}");
      pt_test_sync (p->store, NULL);
    }
  g_atomic_int_dec_and_test (p->pushing);
  return NULL;
}

typedef struct {
  PtStore *store;
  gint    *pushing;
  guint    syncs;
} Puller;

static gpointer
puller_thread (gpointer data)
{
  Puller *p = data;

  while (g_atomic_int_get (p->pushing) > 0)
    {
      PtSyncOptions options;
      g_autoptr(GError) error = NULL;

      pt_sync_options_init (&options);
      options.page_size = 7;
      pt_sync_run (p->store, &options, NULL, NULL, &error);
      g_assert_no_error (error);
      p->syncs++;
    }
  return NULL;
}

static void
test_slow_commits (void)
{
  guint slow_port = pt_test_free_port ();
  g_autoptr(GSubprocess) slow = pt_test_env_spawn_server (env, NULL, NULL, slow_port,
                                                          "[testing]\ndelay-before-commit-ms=120\n");
  g_autofree char *slow_url = g_strdup_printf ("https://localhost:%u", slow_port);
  Pusher pushers[3];
  Puller pullers[2];
  GThread *threads[5];
  gint pushing = G_N_ELEMENTS (pushers);
  PGconn *conn = pt_test_env_db (env);

  for (guint i = 0; i < G_N_ELEMENTS (pushers); i++)
    {
      pushers[i] = (Pusher) { pt_test_env_desk (env, "370304", NULL), 8, &pushing };
      pt_store_set_meta (pushers[i].store, "sync.server", slow_url, NULL);
    }
  for (guint i = 0; i < G_N_ELEMENTS (pullers); i++)
    pullers[i] = (Puller) { pt_test_env_desk (env, "370304", NULL), &pushing, 0 };
  for (guint i = 0; i < 3; i++)
    threads[i] = g_thread_new ("push", pusher_thread, &pushers[i]);
  for (guint i = 0; i < 2; i++)
    threads[3 + i] = g_thread_new ("pull", puller_thread, &pullers[i]);
  for (guint i = 0; i < 5; i++)
    g_thread_join (threads[i]);

  /* One last pull after the pushes: a reader that had skipped a sequence
   * committing late would never see that event now. */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *ids = NULL;
      guint n = 0;
      pt_test_sync (pullers[i].store, NULL);
      ids = pt_test_event_ids (pullers[i].store);
      for (const char *p = ids; (p = strchr (p, '\n')) != NULL; p++)
        n++;
      g_test_message ("puller %u: %u syncs during the pushes", i, pullers[i].syncs);
      g_assert_cmpint (n, ==, pt_test_db_int (conn, "SELECT count(*) FROM events"));
      g_assert_cmpuint (pullers[i].syncs, >, 1);
    }
  for (guint i = 0; i < 3; i++)
    pt_store_close (pushers[i].store);
  for (guint i = 0; i < 2; i++)
    pt_store_close (pullers[i].store);
  g_subprocess_force_exit (slow);
  g_subprocess_wait (slow, NULL, NULL);
  PQfinish (conn);
}

/* 8. Randomized: 5 desks, random operations, drops, cuts, delays and
 * server kills; then quiet: all converge, nothing lost. */
static void
test_randomized (void)
{
  static const char *const units[] = { "370304", "370304-CS", "370304-CS-001", "370304-CS-002", "370304-CS-001" };
  guint port = pt_test_free_port ();
  g_autoptr(GSubprocess) noisy = NULL;
  g_autoptr(PtFaultProxy) proxy = NULL;
  g_autofree char *via = NULL;
  PtStore *desks[5];
  GPtrArray *cases[5];
  guint made = 0, kills = 0;
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  PGconn *conn;

  noisy = pt_test_env_spawn_server (env, NULL, NULL, port, "[testing]\ndelay-after-commit-ms=40\n");
  proxy = pt_fault_proxy_new (port);
  via = g_strdup_printf ("https://localhost:%u", pt_fault_proxy_get_port (proxy));
  for (guint i = 0; i < 5; i++)
    {
      desks[i] = pt_test_env_desk (env, units[i], NULL);
      pt_store_set_meta (desks[i], "sync.server", via, NULL);
      cases[i] = g_ptr_array_new_with_free_func (g_free);
    }

  for (guint step = 0; step < 120; step++)
    {
      guint d = g_rand_int_range (rand, 0, 5);
      guint op = g_rand_int_range (rand, 0, 10);

      if (op < 2 || cases[d]->len == 0)
        {
          g_ptr_array_add (cases[d], pt_test_new_case (desks[d], units[d], "韩十五"));
          made += 1;
        }
      else if (op < 5)
        {
          const char *c = cases[d]->pdata[g_rand_int_range (rand, 0, cases[d]->len)];
          g_autoptr(GError) error = NULL;
          g_autofree char *text = g_strdup_printf ("{\"text\": \"随机 %u\"}", step);
          if (pt_test_append (desks[d], c, "note", text, &error))
            made++;
        }
      else if (op < 6 && step % 30 == 7)
        {
          /* Kill the server between requests, and bring it back. */
          g_subprocess_force_exit (noisy);
          g_subprocess_wait (noisy, NULL, NULL);
          g_clear_object (&noisy);
          noisy = pt_test_env_spawn_server (env, NULL, NULL, port, "[testing]\ndelay-after-commit-ms=40\n");
          kills++;
        }
      else
        {
          PtSyncOptions options;
          PtSyncReport report = { 0 };
          g_autoptr(GError) error = NULL;
          guint fault = g_rand_int_range (rand, 0, 4);

          pt_fault_proxy_set_delay (proxy, fault == 3 ? g_rand_int_range (rand, 1, 20) : 0);
          if (fault == 1)
            pt_fault_proxy_drop_answers (proxy, 30, g_rand_int_range (rand, 1, 3));
          else if (fault == 2)
            pt_fault_proxy_cut_requests (proxy, g_rand_int_range (rand, 200, 4000), 1);
          pt_sync_options_init (&options);
          options.batch_size = g_rand_int_range (rand, 1, 8);
          options.page_size = g_rand_int_range (rand, 1, 20);
          options.max_attempts = 3;
          /* A sync may give up under faults; the next one resumes. */
          pt_sync_run (desks[d], &options, &report, NULL, &error);
          pt_fault_proxy_drop_answers (proxy, 30, 0);
          pt_fault_proxy_cut_requests (proxy, 0, 0);
        }

      /* Cases come into a desk by pulls too. */
      if (cases[d]->len < 3)
        {
          g_autoptr(GPtrArray) ids = NULL;
          PtCaseQuery query;
          pt_case_query_init (&query);
          ids = pt_store_list_cases (desks[d], &query, 0, 50, NULL);
          for (guint i = 0; ids && i < ids->len; i++)
            if (!g_ptr_array_find_with_equal_func (cases[d], ((PtCaseRow *) ids->pdata[i])->id, g_str_equal, NULL))
              g_ptr_array_add (cases[d], g_strdup (((PtCaseRow *) ids->pdata[i])->id));
        }
    }

  /* Quiet: no faults; two rounds bring every desk everything. */
  pt_fault_proxy_set_delay (proxy, 0);
  for (guint round = 0; round < 2; round++)
    for (guint i = 0; i < 5; i++)
      pt_test_sync (desks[i], NULL);

  conn = pt_test_env_db (env);
  g_test_message ("%u events made, %u server kills, %u connections cut", made, kills,
                  pt_fault_proxy_get_cuts (proxy));
  /* Zero lost: every event made is on the server, none twice, none rejected. */
  {
    GString *in = g_string_new (NULL);
    g_autofree char *q1 = NULL;
    g_autofree char *q2 = NULL;

    for (guint i = 0; i < 5; i++)
      {
        g_autofree char *device = pt_store_get_meta (desks[i], "sync.device");
        g_string_append_printf (in, "%s'%s'", i ? "," : "", device);
      }
    q1 = g_strdup_printf ("SELECT count(*) FROM events WHERE origin IN (%s)", in->str);
    q2 = g_strdup_printf ("SELECT count(*) FROM quarantine WHERE origin IN (%s)", in->str);
    g_assert_cmpint (pt_test_db_int (conn, q1), ==, made);
    g_assert_cmpint (pt_test_db_int (conn, q2), ==, 0);
    for (guint i = 0; i < 5; i++)
      g_assert_cmpint (pt_store_sync_count_pending (desks[i], NULL), ==, 0);
    g_string_free (in, TRUE);
  }
  /* Converged: every desk's cases equal the district desk's. */
  {
    g_autofree char *all = pt_test_states (desks[0]);
    for (guint i = 1; i < 5; i++)
      {
        g_autoptr(GPtrArray) ids = NULL;
        PtCaseQuery query;
        pt_case_query_init (&query);
        ids = pt_store_list_cases (desks[i], &query, 0, 100000, NULL);
        for (guint k = 0; k < ids->len; k++)
          {
            const char *id = ((PtCaseRow *) ids->pdata[k])->id;
            g_autofree char *mine = case_state (desks[i], id);
            g_autofree char *theirs = case_state (desks[0], id);
            g_assert_cmpstr (mine, ==, theirs);
          }
      }
    /* The two desks of one village hold the same. */
    {
      g_autofree char *a = pt_test_states (desks[2]);
      g_autofree char *b = pt_test_states (desks[4]);
      g_assert_cmpstr (a, ==, b);
    }
  }
  for (guint i = 0; i < 5; i++)
    {
      g_ptr_array_unref (cases[i]);
      pt_store_close (desks[i]);
    }
  g_subprocess_force_exit (noisy);
  g_subprocess_wait (noisy, NULL, NULL);
  PQfinish (conn);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  curl_global_init (CURL_GLOBAL_DEFAULT);
  env = pt_test_env_new (NULL);
  if (env == NULL)
    return 77;
  g_test_add_func ("/server/sync/concurrent-edits", test_concurrent_edits);
  g_test_add_func ("/server/sync/scope", test_scope);
  g_test_add_func ("/server/sync/clock-skew", test_clock_skew);
  g_test_add_func ("/server/sync/slow-commits", test_slow_commits);
  g_test_add_func ("/server/sync/randomized", test_randomized);
  status = g_test_run ();
  pt_test_env_free (env);
  return status;
}
