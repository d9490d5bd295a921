/* test-model.c: ids, clocks, the event codec, payload rules and the fold. */
#include "pt-calendar.h"
#include "pt-error.h"
#include "pt-fold.h"
#include "pt-json.h"
#include "pt-uuid.h"
#include "test-support.h"

static void
test_uuid (void)
{
  g_autofree char *a = pt_uuid7_new_at (1764158400000);
  g_autofree char *b = pt_uuid7_new_at (1764158400001);

  g_assert_true (pt_uuid_is_valid (a));
  g_assert_cmpint (a[14], ==, '7');
  g_assert_true (strchr ("89ab", a[19]) != NULL);
  g_assert_cmpstr (a, <, b);
  g_assert_false (pt_uuid_is_valid ("not-a-uuid"));
  g_assert_false (pt_uuid_is_valid ("0192F0C0-0000-7000-8000-000000000000"));
}

static gint64 fake_now;

static gint64
fake_clock (gpointer data)
{
  return fake_now;
}

static void
test_hlc (void)
{
  PtHlc hlc;
  PtStamp a, b, c, remote = { 5000, 7 };

  pt_hlc_init (&hlc, NULL);
  hlc.wall_clock = fake_clock;
  fake_now = 1000;
  pt_hlc_now (&hlc, &a);
  g_assert_cmpint (a.wall, ==, 1000);
  /* The clock steps back: stamps keep growing. */
  fake_now = 900;
  pt_hlc_now (&hlc, &b);
  g_assert_cmpint (pt_stamp_compare (&a, &b), <, 0);
  /* After seeing a remote stamp, local stamps come after it. */
  pt_hlc_observe (&hlc, &remote);
  pt_hlc_now (&hlc, &c);
  g_assert_cmpint (pt_stamp_compare (&remote, &c), <, 0);
  /* A server clock ahead of ours becomes an offset. */
  pt_hlc_observe_server (&hlc, 100000);
  fake_now = 901;
  pt_hlc_now (&hlc, &c);
  g_assert_cmpint (c.wall, >=, 100000);
}

static void
test_canonical_json (void)
{
  g_autoptr(JsonObject) a = test_json ("{\"b\": 1, \"a\": [true, null, \"x\\\"y\"], \"c\": {\"z\": 1, \"y\": 2}}");
  g_autoptr(JsonObject) b = test_json ("{\"c\": {\"y\": 2, \"z\": 1}, \"a\": [true, null, \"x\\\"y\"], \"b\": 1}");
  g_autofree char *ta = pt_json_object_canonical (a);
  g_autofree char *tb = pt_json_object_canonical (b);

  g_assert_cmpstr (ta, ==, tb);
  g_assert_cmpstr (ta, ==, "{\"a\":[true,null,\"x\\\"y\"],\"b\":1,\"c\":{\"y\":2,\"z\":1}}");

  /* Escapes between and around runs of plain text, Chinese included. */
  {
    g_autoptr(JsonObject) e = test_json ("{\"t\": \"\\\\前\\n\\t\\u0001中文\\r\\\"\"}");
    g_autofree char *te = pt_json_object_canonical (e);
    g_assert_cmpstr (te, ==, "{\"t\":\"\\\\前\\n\\t\\u0001中文\\r\\\"\"}");
  }
}

static void
test_event_codec (void)
{
  g_autoptr(GError) error = NULL;
  PtStamp stamp = { 1764158400000, 3 };
  g_autofree char *id = pt_uuid7_new ();
  g_autofree char *case_id = pt_uuid7_new ();
  g_autoptr(PtEvent) event = pt_event_new (id, case_id, &stamp, "desk-1", "R-0001", PT_EVENT_NOTE,
                                           test_json ("{\"text\": \"申请人来电\"}"));
  g_autofree char *text = pt_event_to_string (event);
  g_autoptr(PtEvent) back = pt_event_from_string (text, &error);
  g_autofree char *digest_a = NULL, *digest_b = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (back->id, ==, id);
  g_assert_cmpint (back->stamp.wall, ==, stamp.wall);
  g_assert_cmpint (back->stamp.counter, ==, 3);
  g_assert_cmpint (back->type, ==, PT_EVENT_NOTE);
  digest_a = pt_event_content_digest (event);
  back->seq = 42;   /* the server's sequence is not content */
  digest_b = pt_event_content_digest (back);
  g_assert_cmpstr (digest_a, ==, digest_b);
  json_object_set_string_member (back->payload, "text", "changed");
  g_free (digest_b);
  digest_b = pt_event_content_digest (back);
  g_assert_cmpstr (digest_a, !=, digest_b);
}

static void
test_event_codec_bad (void)
{
  static const struct { const char *json; const char *needle; } cases[] = {
    { "[1]", "object" },
    { "{\"id\": \"x\"}", "UUID" },
    { "{\"id\": \"0192f0c0-0000-7000-8000-000000000000\", \"case\": \"0192f0c0-0000-7000-8000-000000000001\","
      " \"wall\": \"soon\", \"counter\": 0, \"device\": \"d\", \"type\": \"note\", \"payload\": {\"text\": \"t\"}}", "wall" },
    { "{\"id\": \"0192f0c0-0000-7000-8000-000000000000\", \"case\": \"0192f0c0-0000-7000-8000-000000000001\","
      " \"wall\": 1, \"counter\": 0, \"device\": \"d\", \"type\": \"teleport\", \"payload\": {}}", "Unknown event type" },
    { "{\"id\": \"0192f0c0-0000-7000-8000-000000000000\", \"case\": \"0192f0c0-0000-7000-8000-000000000001\","
      " \"wall\": 1, \"counter\": 0, \"device\": \"d\", \"type\": \"note\", \"payload\": {\"txt\": \"t\"}}", "txt" },
    { "{\"id\": \"0192f0c0-0000-7000-8000-000000000000\", \"case\": \"0192f0c0-0000-7000-8000-000000000001\","
      " \"wall\": 1, \"counter\": 0, \"device\": \"d\", \"type\": \"note\", \"payload\": {\"text\": \"t\"}, \"extra\": 1}", "extra" },
    { "{not json", "malformed" },
    { "{\"id\": 01}", "zero" },
    { "{\"id\": 1e400}", "out of range" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PtEvent) event = pt_event_from_string (cases[i].json, &error);
      g_assert_null (event);
      g_assert_error (error, PT_ERROR, PT_ERROR_INVALID);
      if (strstr (error->message, cases[i].needle) == NULL)
        g_error ("case %u: \"%s\" does not mention %s", i, error->message, cases[i].needle);
    }
}

static void
test_payload_rules (void)
{
  static const struct { PtEventType type; const char *payload; const char *needle; } bad[] = {
    { PT_EVENT_FEE_RECORDED, "{\"name\": \"工本费\", \"amount_fen\": 1000}", "legal basis" },
    { PT_EVENT_FEE_RECORDED, "{\"name\": \"工本费\", \"amount_fen\": 1000, \"basis\": \"  \"}", "legal basis" },
    { PT_EVENT_FEE_RECORDED, "{\"name\": \"工本费\", \"amount_fen\": 0, \"basis\": \"x\"}", "at least 1" },
    { PT_EVENT_DELIVERED, "{\"originals_returned\": true, \"method\": \"mail\"}", "tracking_number" },
    { PT_EVENT_DELIVERED, "{\"originals_returned\": true, \"method\": \"drone\"}", "one of" },
    { PT_EVENT_RATED, "{\"grade\": 6}", "between 1 and 5" },
    { PT_EVENT_STEP_RETURNED, "{\"step\": \"s1\"}", "reason is required" },
    { PT_EVENT_AGREEMENT_SIGNED, "{\"digest\": \"abc\"}", "SHA-256" },
    { PT_EVENT_PLAN_SET, "{\"steps\": []}", "at least 1" },
    { PT_EVENT_PLAN_SET, "{\"steps\": [{\"id\": \"s1\", \"item\": \"x\", \"department\": \"d\", \"level\": \"town\", \"mode\": \"single\", \"limit_days\": 5},"
                         "{\"id\": \"s1\", \"item\": \"y\", \"department\": \"d\", \"level\": \"town\", \"mode\": \"single\", \"limit_days\": 5}]}", "twice" },
    { PT_EVENT_NOTE, "{\"text\": \"x\", \"date\": \"2026-13-01\"}", "YYYY-MM-DD" },
    { PT_EVENT_INTAKE, "{\"applicant\": {\"kind\": \"person\", \"name\": \"张三\", \"id_number\": \"110105194912310021\","
                       " \"phone\": \"13812345678\", \"address\": \"a\"}, \"channel\": \"window\", \"items\": [\"V-MZJ-001\"],"
                       " \"unit\": \"u\", \"level\": \"village\", \"number\": \"n\"}", "check digit" },
    { PT_EVENT_INTAKE, "{\"applicant\": {\"kind\": \"enterprise\", \"name\": \"某公司\", \"uscc\": \"91370304MA3C5XXXX1\","
                       " \"legal_representative\": \"李四\", \"phone\": \"0533-4151890\", \"address\": \"a\"},"
                       " \"channel\": \"window\", \"items\": [\"D-ZJJ-001\"], \"unit\": \"u\", \"level\": \"district\", \"number\": \"n\"}", "uscc_override" },
    { PT_EVENT_INTAKE, "{\"applicant\": {\"kind\": \"person\", \"name\": \"张三\", \"id_number\": \"11010519491231002X\","
                       " \"phone\": \"12345\", \"address\": \"a\"}, \"channel\": \"window\", \"items\": [\"V-MZJ-001\"],"
                       " \"unit\": \"u\", \"level\": \"village\", \"number\": \"n\"}", "phone" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) payload = test_json (bad[i].payload);
      g_assert_false (pt_event_validate_payload (bad[i].type, payload, &error));
      g_assert_error (error, PT_ERROR, PT_ERROR_INVALID);
      if (strstr (error->message, bad[i].needle) == NULL)
        g_error ("case %u: \"%s\" does not mention \"%s\"", i, error->message, bad[i].needle);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonObject) fee = test_json ("{\"name\": \"不动产登记费\", \"amount_fen\": 8000, \"basis\": \"《不动产登记收费标准》\"}");
    g_autoptr(JsonObject) overridden = test_json (
      "{\"applicant\": {\"kind\": \"enterprise\", \"name\": \"某公司\", \"uscc\": \"91370304MA3C5XXXX1\","
      " \"uscc_override\": \"营业执照原件如此\", \"legal_representative\": \"李四\", \"phone\": \"0533-4151890\", \"address\": \"a\"},"
      " \"channel\": \"window\", \"items\": [\"D-ZJJ-001\"], \"unit\": \"u\", \"level\": \"district\", \"number\": \"n\"}");
    g_assert_true (pt_event_validate_payload (PT_EVENT_FEE_RECORDED, fee, &error));
    g_assert_no_error (error);
    g_assert_true (pt_event_validate_payload (PT_EVENT_INTAKE, overridden, &error));
    g_assert_no_error (error);
  }
}

/* ---- folding a whole case by hand ------------------------------------ */

typedef struct {
  GPtrArray *events;
  char      *case_id;
  gint64     wall;
  const char *device;
} Script;

static PtEvent *
script_add (Script      *s,
            PtEventType  type,
            const char  *payload)
{
  PtStamp stamp = { s->wall, 0 };
  g_autofree char *id = pt_uuid7_new_at (s->wall);
  g_autoptr(JsonObject) object = test_json (payload);
  PtEvent *event = pt_event_new (id, s->case_id, &stamp, s->device, "R-0001", type, object);

  s->wall += 60000;
  g_ptr_array_add (s->events, event);
  return event;
}

static void
script_init (Script *s)
{
  s->events = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_event_free);
  s->case_id = pt_uuid7_new ();
  s->wall = 1762045200000;   /* 2025-11-02 09:00 CST */
  s->device = "desk-a";
  script_add (s, PT_EVENT_INTAKE,
              "{\"applicant\": {\"kind\": \"enterprise\", \"name\": \"淄博宏达陶瓷有限公司\", \"uscc\": \"91350100M000100Y43\","
              " \"legal_representative\": \"李四\", \"phone\": \"0533-4151890\", \"address\": \"博山区中心路 1 号\"},"
              " \"channel\": \"window\", \"items\": [\"D-ZRZY-002\", \"D-ZJJ-001\"], \"unit\": \"370304\","
              " \"level\": \"district\", \"number\": \"370304-20251102-0001\", \"date\": \"2025-11-03\"}");
  script_add (s, PT_EVENT_AGREEMENT_SIGNED,
              "{\"digest\": \"0000000000000000000000000000000000000000000000000000000000000000\", \"date\": \"2025-11-03\"}");
  script_add (s, PT_EVENT_RUNNER_ASSIGNED, "{\"runner\": \"R-0001\", \"date\": \"2025-11-03\"}");
  script_add (s, PT_EVENT_PLAN_SET,
              "{\"steps\": [{\"id\": \"s1\", \"item\": \"D-ZRZY-002\", \"department\": \"区自然资源局\", \"level\": \"district\","
              " \"mode\": \"parallel\", \"limit_days\": 20},"
              " {\"id\": \"s2\", \"item\": \"D-ZJJ-001\", \"department\": \"区住房和城乡建设局\", \"level\": \"district\","
              " \"mode\": \"parallel\", \"limit_days\": 7}], \"date\": \"2025-11-03\"}");
}

static void
test_fold_flow (void)
{
  Script s;
  g_autoptr(PtCaseState) state = NULL;
  PtCalendar *calendar = test_reference ()->calendar;
  PtStep *s1, *s2;

  script_init (&s);
  /* Friday 2025-09-26 is the worked example of the calendar; here: submitted
   * Monday 2025-11-03, s1 20 working days, s2 7. */
  script_add (&s, PT_EVENT_STEP_SUBMITTED, "{\"step\": \"s1\", \"date\": \"2025-11-03\"}");
  script_add (&s, PT_EVENT_STEP_SUBMITTED, "{\"step\": \"s2\", \"date\": \"2025-11-03\"}");
  state = pt_fold (s.events, calendar);
  s1 = pt_case_state_find_step (state, "s1");
  s2 = pt_case_state_find_step (state, "s2");
  g_assert_cmpint (state->status, ==, PT_STATUS_IN_PROGRESS);
  g_assert_cmpstr (s1->due, ==, "2025-12-01");
  g_assert_cmpstr (s2->due, ==, "2025-11-12");
  g_assert_cmpstr (state->due, ==, "2025-12-01");
  g_clear_pointer (&state, pt_case_state_free);

  /* Returned on Wed 11-05, resumed on Wed 11-12: 5 working days paused. */
  script_add (&s, PT_EVENT_STEP_RETURNED, "{\"step\": \"s2\", \"reason\": \"图纸缺少消防专篇\", \"date\": \"2025-11-05\"}");
  state = pt_fold (s.events, calendar);
  s2 = pt_case_state_find_step (state, "s2");
  g_assert_cmpint (s2->status, ==, PT_STEP_RETURNED);
  g_assert_null (s2->due);
  g_assert_false (pt_workflow_allows (state, PT_EVENT_DELIVERED));
  g_assert_true (pt_workflow_allows (state, PT_EVENT_STEP_RESUMED));
  g_clear_pointer (&state, pt_case_state_free);

  script_add (&s, PT_EVENT_STEP_RESUMED, "{\"step\": \"s2\", \"date\": \"2025-11-12\"}");
  script_add (&s, PT_EVENT_STEP_APPROVED, "{\"step\": \"s2\", \"date\": \"2025-11-18\"}");
  state = pt_fold (s.events, calendar);
  s2 = pt_case_state_find_step (state, "s2");
  g_assert_cmpuint (s2->paused_days, ==, 5);
  g_assert_cmpstr (s2->due, ==, "2025-11-19");
  g_assert_cmpint (s2->status, ==, PT_STEP_APPROVED);
  g_assert_false (pt_workflow_allows (state, PT_EVENT_DELIVERED));
  g_clear_pointer (&state, pt_case_state_free);

  /* Suspended (中止) Mon 11-24 and resumed (续办) Thu 11-27: s1's clock
   * stops for 3 working days, and a suspended case is not overdue. */
  script_add (&s, PT_EVENT_CASE_SUSPENDED, "{\"reason\": \"等待法院判决\", \"date\": \"2025-11-24\"}");
  state = pt_fold (s.events, calendar);
  s1 = pt_case_state_find_step (state, "s1");
  g_assert_null (s1->due);
  g_assert_null (state->due);
  g_assert_false (pt_workflow_allows (state, PT_EVENT_STEP_APPROVED));
  g_clear_pointer (&state, pt_case_state_free);
  script_add (&s, PT_EVENT_CASE_RESUMED, "{\"date\": \"2025-11-27\"}");
  state = pt_fold (s.events, calendar);
  s1 = pt_case_state_find_step (state, "s1");
  g_assert_cmpint (state->status, ==, PT_STATUS_IN_PROGRESS);
  g_assert_cmpuint (s1->paused_days, ==, 3);
  g_assert_cmpstr (s1->due, ==, "2025-12-04");
  g_clear_pointer (&state, pt_case_state_free);

  script_add (&s, PT_EVENT_STEP_APPROVED, "{\"step\": \"s1\", \"date\": \"2025-11-28\"}");
  script_add (&s, PT_EVENT_FEE_RECORDED, "{\"name\": \"不动产登记费\", \"amount_fen\": 8000, \"basis\": \"《不动产登记收费标准》\"}");
  state = pt_fold (s.events, calendar);
  g_assert_true (pt_workflow_allows (state, PT_EVENT_DELIVERED));
  g_assert_cmpint (pt_workflow_next (state, NULL), ==, PT_EVENT_DELIVERED);
  g_clear_pointer (&state, pt_case_state_free);

  script_add (&s, PT_EVENT_DELIVERED, "{\"certificates\": [{\"name\": \"建设用地规划许可证\", \"number\": \"地字第 370304202500123 号\", \"copies\": 1}],"
                                      " \"originals_returned\": true, \"method\": \"mail\", \"tracking_number\": \"EMS1234567890\"}");
  script_add (&s, PT_EVENT_RATED, "{\"grade\": 5}");
  state = pt_fold (s.events, calendar);
  g_assert_cmpint (state->status, ==, PT_STATUS_DELIVERED);
  g_assert_null (state->due);
  g_assert_cmpint (state->rating, ==, 5);
  g_assert_cmpuint (state->fees->len, ==, 1);
  g_assert_cmpuint (state->conflicts->len, ==, 0);
  g_assert_cmpstr (state->tracking_number, ==, "EMS1234567890");
  g_assert_cmpint (pt_workflow_next (state, NULL), ==, PT_EVENT_RETURN_VISIT);
  g_assert_false (pt_workflow_allows (state, PT_EVENT_TERMINATED));
  g_assert_false (pt_workflow_allows (state, PT_EVENT_FEE_RECORDED));
  g_assert_true (pt_workflow_allows (state, PT_EVENT_NOTE));

  g_ptr_array_unref (s.events);
  g_free (s.case_id);
}

/* Which actions each status allows: the application offers these only. */
static void
test_workflow_table (void)
{
  Script s;
  g_autoptr(PtCaseState) state = NULL;

  script_init (&s);
  g_ptr_array_set_size (s.events, 1);
  state = pt_fold (s.events, NULL);
  g_assert_cmpint (state->status, ==, PT_STATUS_ACCEPTED);
  g_assert_true (pt_workflow_allows (state, PT_EVENT_AGREEMENT_SIGNED));
  g_assert_false (pt_workflow_allows (state, PT_EVENT_RUNNER_ASSIGNED));
  g_assert_false (pt_workflow_allows (state, PT_EVENT_PLAN_SET));
  g_assert_false (pt_workflow_allows (state, PT_EVENT_STEP_SUBMITTED));
  g_assert_false (pt_workflow_allows (state, PT_EVENT_DELIVERED));
  g_assert_false (pt_workflow_allows (state, PT_EVENT_MISSING_NOTICE));
  g_assert_false (pt_workflow_allows (state, PT_EVENT_RATED));
  g_assert_true (pt_workflow_allows (state, PT_EVENT_TERMINATED));
  g_assert_true (pt_workflow_allows (state, PT_EVENT_CASE_SUSPENDED));
  g_assert_false (pt_workflow_allows (state, PT_EVENT_CASE_RESUMED));
  g_assert_cmpint (pt_workflow_next (state, NULL), ==, PT_EVENT_AGREEMENT_SIGNED);
  g_clear_pointer (&state, pt_case_state_free);

  script_add (&s, PT_EVENT_AGREEMENT_SIGNED, "{\"digest\": \"0000000000000000000000000000000000000000000000000000000000000000\"}");
  state = pt_fold (s.events, NULL);
  g_assert_cmpint (state->status, ==, PT_STATUS_AGREED);
  g_assert_true (pt_workflow_allows (state, PT_EVENT_RUNNER_ASSIGNED));
  g_assert_false (pt_workflow_allows (state, PT_EVENT_PLAN_SET));
  g_assert_false (pt_workflow_allows (state, PT_EVENT_AGREEMENT_SIGNED));
  g_clear_pointer (&state, pt_case_state_free);

  script_add (&s, PT_EVENT_CASE_SUSPENDED, "{\"reason\": \"申请人外出\"}");
  state = pt_fold (s.events, NULL);
  g_assert_cmpint (state->status, ==, PT_STATUS_SUSPENDED);
  g_assert_true (pt_workflow_allows (state, PT_EVENT_CASE_RESUMED));
  g_assert_false (pt_workflow_allows (state, PT_EVENT_CASE_SUSPENDED));
  g_assert_cmpint (pt_workflow_next (state, NULL), ==, PT_EVENT_CASE_RESUMED);
  g_clear_pointer (&state, pt_case_state_free);

  script_add (&s, PT_EVENT_CASE_RESUMED, "{}");
  state = pt_fold (s.events, NULL);
  g_assert_cmpint (state->status, ==, PT_STATUS_AGREED);
  g_clear_pointer (&state, pt_case_state_free);

  script_add (&s, PT_EVENT_TERMINATED, "{\"reason_code\": \"applicant_withdrew\", \"reason\": \"申请人撤回\", \"materials_returned\": []}");
  state = pt_fold (s.events, NULL);
  g_assert_cmpint (state->status, ==, PT_STATUS_TERMINATED);
  g_assert_true (pt_workflow_allows (state, PT_EVENT_RATED));
  g_assert_true (pt_workflow_allows (state, PT_EVENT_RETURN_VISIT));
  g_assert_false (pt_workflow_allows (state, PT_EVENT_RUNNER_ASSIGNED));
  g_assert_false (pt_workflow_allows (state, PT_EVENT_CASE_TRANSFERRED));

  g_ptr_array_unref (s.events);
  g_free (s.case_id);
}

/* Delivered on one desk, terminated on another, folded in any order: the
 * later one (in stamp order) is a conflict, kept, until resolved. */
static void
test_fold_conflict (void)
{
  Script s;
  g_autoptr(PtCaseState) state = NULL;
  g_autoptr(PtCaseState) reversed = NULL;
  g_autofree char *a = NULL, *b = NULL;
  g_autofree char *resolve = NULL;
  PtEvent *terminated;

  script_init (&s);
  script_add (&s, PT_EVENT_STEP_SUBMITTED, "{\"step\": \"s1\"}");
  script_add (&s, PT_EVENT_STEP_SUBMITTED, "{\"step\": \"s2\"}");
  script_add (&s, PT_EVENT_STEP_APPROVED, "{\"step\": \"s1\"}");
  script_add (&s, PT_EVENT_STEP_APPROVED, "{\"step\": \"s2\"}");
  script_add (&s, PT_EVENT_DELIVERED, "{\"originals_returned\": true, \"method\": \"in_person\"}");
  s.device = "desk-b";
  terminated = script_add (&s, PT_EVENT_TERMINATED,
                           "{\"reason_code\": \"applicant_withdrew\", \"reason\": \"撤回\", \"materials_returned\": []}");

  state = pt_fold (s.events, NULL);
  g_assert_cmpint (state->status, ==, PT_STATUS_DELIVERED);
  g_assert_cmpuint (state->conflicts->len, ==, 1);
  g_assert_cmpstr (((PtConflict *) g_ptr_array_index (state->conflicts, 0))->event_id, ==, terminated->id);
  g_assert_cmpint (pt_workflow_next (state, NULL), ==, PT_EVENT_CONFLICT_RESOLVED);

  /* Reversed order gives the same bytes. */
  for (guint i = 0; i < s.events->len / 2; i++)
    {
      gpointer t = s.events->pdata[i];
      s.events->pdata[i] = s.events->pdata[s.events->len - 1 - i];
      s.events->pdata[s.events->len - 1 - i] = t;
    }
  reversed = pt_fold (s.events, NULL);
  a = pt_case_state_to_string (state);
  b = pt_case_state_to_string (reversed);
  g_assert_cmpstr (a, ==, b);
  g_clear_pointer (&state, pt_case_state_free);

  /* Resolving by applying the termination in place of the delivery. */
  resolve = g_strdup_printf ("{\"event\": \"%s\", \"decision\": \"apply\", \"text\": \"申请人确认撤回\"}", terminated->id);
  script_add (&s, PT_EVENT_CONFLICT_RESOLVED, resolve);
  state = pt_fold (s.events, NULL);
  g_assert_cmpuint (state->conflicts->len, ==, 0);
  g_assert_cmpint (state->status, ==, PT_STATUS_TERMINATED);
  g_assert_null (state->delivered_on);

  g_ptr_array_unref (s.events);
  g_free (s.case_id);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/model/uuid", test_uuid);
  g_test_add_func ("/model/hlc", test_hlc);
  g_test_add_func ("/model/canonical-json", test_canonical_json);
  g_test_add_func ("/model/event-codec", test_event_codec);
  g_test_add_func ("/model/event-codec-bad", test_event_codec_bad);
  g_test_add_func ("/model/payload-rules", test_payload_rules);
  g_test_add_func ("/model/fold-flow", test_fold_flow);
  g_test_add_func ("/model/workflow-table", test_workflow_table);
  g_test_add_func ("/model/fold-conflict", test_fold_conflict);
  return g_test_run ();
}
