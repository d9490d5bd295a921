/* test-model.c: ids, clocks, the event codec, payload rules and the fold. */
#include <locale.h>
#include <string.h>

#include <glib/gi18n-lib.h>

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
  g_autoptr(JsonObject) payload = test_json ("{\"text\": \"申请人来电\"}");
  g_autoptr(PtEvent) event = pt_event_new (id, case_id, &stamp, "desk-1", "R-0001", PT_EVENT_NOTE, payload);
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
    { PT_EVENT_FEE_RECORDED, "{\"name\": \"工本费\", \"amount_fen\": 0, \"basis\": \"x\"}", "Amount in fen must be at least 1" },
    { PT_EVENT_DELIVERED, "{\"originals_returned\": true, \"method\": \"mail\"}", "tracking number" },
    { PT_EVENT_DELIVERED, "{\"originals_returned\": true, \"method\": \"drone\"}", "one of" },
    { PT_EVENT_RATED, "{\"grade\": 6}", "between 1 and 5" },
    { PT_EVENT_STEP_RETURNED, "{\"step\": \"s1\"}", "What must be corrected is missing" },
    { PT_EVENT_AGREEMENT_SIGNED, "{\"digest\": \"abc\"}", "SHA-256" },
    { PT_EVENT_PLAN_SET, "{\"steps\": []}", "at least 1" },
    { PT_EVENT_PLAN_SET, "{\"steps\": [{\"id\": \"s1\", \"item\": \"x\", \"department\": \"d\", \"level\": \"town\", \"mode\": \"single\", \"limit_days\": 5},"
                         "{\"id\": \"s1\", \"item\": \"y\", \"department\": \"d\", \"level\": \"town\", \"mode\": \"single\", \"limit_days\": 5}]}", "twice" },
    /* An impossible month or day is named as such; a wrong form as a form. */
    { PT_EVENT_NOTE, "{\"text\": \"x\", \"date\": \"2026-13-01\"}", "there is no month 13" },
    { PT_EVENT_NOTE, "{\"text\": \"x\", \"date\": \"2026/12/01\"}", "is not a date" },
    { PT_EVENT_PLAN_SET, "{\"steps\": [{\"id\": \"s1\", \"item\": \"x\", \"department\": \"d\", \"level\": \"town\", \"mode\": \"single\", \"limit_days\": 5},"
                         "{\"id\": \"s2\", \"item\": \"y\", \"department\": \"d\", \"level\": \"town\", \"mode\": \"single\", \"limit_days\": 5,"
                         " \"planned_end\": \"2026-02-30\"}]}", "Step 2's planned end date: The date 2026-02-30 does not exist: month 2 of 2026 has only 28 days" },
    { PT_EVENT_INTAKE, "{\"applicant\": {\"kind\": \"person\", \"name\": \"张三\", \"id_number\": \"110105194912310021\","
                       " \"phone\": \"13812345678\", \"address\": \"a\"}, \"channel\": \"window\", \"items\": [\"V-MZJ-001\"],"
                       " \"unit\": \"u\", \"level\": \"village\", \"number\": \"n\"}", "check digit" },
    { PT_EVENT_INTAKE, "{\"applicant\": {\"kind\": \"enterprise\", \"name\": \"某公司\", \"uscc\": \"91370304MA3C5XXXX1\","
                       " \"legal_representative\": \"李四\", \"phone\": \"0533-4151890\", \"address\": \"a\"},"
                       " \"channel\": \"window\", \"items\": [\"D-ZJJ-001\"], \"unit\": \"u\", \"level\": \"district\", \"number\": \"n\"}", "uscc_override" },
    { PT_EVENT_INTAKE, "{\"applicant\": {\"kind\": \"person\", \"name\": \"张三\", \"id_number\": \"11010519491231002X\","
                       " \"phone\": \"12345\", \"address\": \"a\"}, \"channel\": \"window\", \"items\": [\"V-MZJ-001\"],"
                       " \"unit\": \"u\", \"level\": \"village\", \"number\": \"n\"}", "Phone number" },
    /* A received material has at least one copy; a missing one may have none. */
    { PT_EVENT_MATERIALS_CHECKED, "{\"materials\": [{\"name\": \"身份证\", \"form\": \"copy\", \"count\": 0, \"missing\": false}]}",
      "Material 1 (身份证) is received, so its number of copies must be at least 1" },
    { PT_EVENT_MATERIALS_CHECKED, "{\"materials\": [{\"name\": \"身份证\", \"form\": \"copy\", \"count\": 0}]}", "at least 1" },
    { PT_EVENT_MATERIAL_RECEIVED, "{\"materials\": [{\"name\": \"户口簿\", \"form\": \"original\", \"count\": 0}]}",
      "Material 1 (户口簿)'s number of copies must be between 1 and 999" },
    { PT_EVENT_MATERIAL_RECEIVED, "{\"materials\": []}", "at least 1 entry" },
    { PT_EVENT_MATERIAL_RECEIVED, "{\"materials\": [{\"name\": \"户口簿\", \"form\": \"original\", \"count\": 1},"
                                  " {\"name\": \"户口簿\", \"form\": \"copy\", \"count\": 1}]}", "listed twice" },
    { PT_EVENT_DELIVERED, "{\"certificates\": [{\"step\": \"s1\", \"name\": \"许可证\", \"number\": \"n\", \"copies\": 0}],"
                          " \"originals_returned\": true, \"method\": \"in_person\"}", "Certificate 1 (许可证)'s copies" },
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
    g_autoptr(JsonObject) fee = test_json ("{\"item\": \"D-ZRZY-005\", \"name\": \"不动产登记费\", \"amount_fen\": 8000, \"basis\": \"《不动产登记收费标准》\"}");
    g_autoptr(JsonObject) overridden = test_json (
      "{\"applicant\": {\"kind\": \"enterprise\", \"name\": \"某公司\", \"uscc\": \"91370304MA3C5XXXX1\","
      " \"uscc_override\": \"营业执照原件如此\", \"legal_representative\": \"李四\", \"phone\": \"0533-4151890\", \"address\": \"a\"},"
      " \"channel\": \"window\", \"items\": [\"D-ZJJ-001\"], \"unit\": \"u\", \"level\": \"district\", \"number\": \"n\"}");
    g_autoptr(JsonObject) missing = test_json ("{\"materials\": [{\"name\": \"户口簿\", \"form\": \"original\", \"count\": 0, \"missing\": true}]}");
    /* Events made before certificates named their step still validate. */
    g_autoptr(JsonObject) old_delivery = test_json ("{\"certificates\": [{\"name\": \"许可证\", \"number\": \"n\", \"copies\": 1}],"
                                                    " \"originals_returned\": true, \"method\": \"in_person\"}");
    g_assert_true (pt_event_validate_payload (PT_EVENT_FEE_RECORDED, fee, &error));
    g_assert_no_error (error);
    g_assert_true (pt_event_validate_payload (PT_EVENT_INTAKE, overridden, &error));
    g_assert_no_error (error);
    g_assert_true (pt_event_validate_payload (PT_EVENT_MATERIALS_CHECKED, missing, &error));
    g_assert_no_error (error);
    g_assert_true (pt_event_validate_payload (PT_EVENT_DELIVERED, old_delivery, &error));
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

/* The town terminated; the village, offline, approved the steps and
 * delivered after it: three conflicts. The delivery may not be applied
 * while a step's decision is in conflict; once the decisions are applied,
 * it may. Each conflict says why it did not fit, in the reader's words. */
static void
test_conflict_order (void)
{
  Script s;
  g_autoptr(PtCaseState) state = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;
  PtEvent *approved1, *approved2, *delivered, *note;

  script_init (&s);
  script_add (&s, PT_EVENT_STEP_SUBMITTED, "{\"step\": \"s1\"}");
  script_add (&s, PT_EVENT_STEP_SUBMITTED, "{\"step\": \"s2\"}");
  s.device = "desk-town";
  script_add (&s, PT_EVENT_TERMINATED,
              "{\"reason_code\": \"applicant_withdrew\", \"reason\": \"撤回\", \"materials_returned\": []}");
  s.device = "desk-village";
  approved1 = script_add (&s, PT_EVENT_STEP_APPROVED, "{\"step\": \"s1\"}");
  approved2 = script_add (&s, PT_EVENT_STEP_APPROVED, "{\"step\": \"s2\"}");
  delivered = script_add (&s, PT_EVENT_DELIVERED, "{\"originals_returned\": true, \"method\": \"in_person\"}");
  note = script_add (&s, PT_EVENT_NOTE, "{\"text\": \"已电话告知\"}");

  state = pt_fold (s.events, NULL);
  g_assert_cmpint (state->status, ==, PT_STATUS_TERMINATED);
  g_assert_cmpuint (state->conflicts->len, ==, 3);
  why = pt_conflict_explain (s.events, delivered->id, NULL);
  g_assert_nonnull (why);
  g_assert_nonnull (strstr (why, "terminated"));
  g_clear_pointer (&why, g_free);
  g_assert_null (pt_conflict_explain (s.events, note->id, NULL));

  g_assert_false (pt_conflict_can_apply (state, delivered, &error));
  g_assert_error (error, PT_ERROR, PT_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, "step decision first"));
  g_clear_error (&error);
  g_assert_true (pt_conflict_can_apply (state, approved1, NULL));
  g_assert_false (pt_conflict_can_apply (state, note, NULL));

  /* One decision applied: the other still holds the delivery back. */
  {
    g_autofree char *resolve = g_strdup_printf ("{\"event\": \"%s\", \"decision\": \"apply\"}", approved1->id);

    script_add (&s, PT_EVENT_CONFLICT_RESOLVED, resolve);
  }
  g_clear_pointer (&state, pt_case_state_free);
  state = pt_fold (s.events, NULL);
  g_assert_cmpuint (state->conflicts->len, ==, 2);
  g_assert_false (pt_conflict_can_apply (state, delivered, NULL));
  {
    g_autofree char *resolve = g_strdup_printf ("{\"event\": \"%s\", \"decision\": \"apply\"}", approved2->id);

    script_add (&s, PT_EVENT_CONFLICT_RESOLVED, resolve);
  }
  g_clear_pointer (&state, pt_case_state_free);
  state = pt_fold (s.events, NULL);
  g_assert_cmpuint (state->conflicts->len, ==, 1);
  g_assert_true (pt_conflict_can_apply (state, delivered, &error));
  g_assert_no_error (error);

  g_ptr_array_unref (s.events);
  g_free (s.case_id);
}

static gboolean
check (PtCaseState *state,
       Script      *s,
       PtEventType  type,
       const char  *payload,
       const char  *today,
       GError     **error)
{
  PtStamp stamp = { s->wall, 0 };
  g_autofree char *id = pt_uuid7_new_at (s->wall);
  g_autoptr(JsonObject) object = test_json (payload);
  g_autoptr(PtEvent) event = pt_event_new (id, s->case_id, &stamp, s->device, "R-0001", type, object);

  return pt_workflow_check (state, event, error)
         && (today == NULL || pt_workflow_check_new (state, event, today, error));
}

static void
assert_refused (gboolean    ok,
                GError    **error,
                const char *needle)
{
  g_assert_false (ok);
  g_assert_nonnull (*error);
  if (strstr ((*error)->message, needle) == NULL)
    g_error ("“%s” does not say “%s”", (*error)->message, needle);
  g_clear_error (error);
}

/* A material that arrives after the intake: the checklist marks it, and
 * the one-time notice closes once nothing is missing. */
static void
test_material_received (void)
{
  Script s;
  g_autoptr(PtCaseState) state = NULL;
  g_autoptr(GError) error = NULL;
  PtMaterial *book;

  script_init (&s);
  g_ptr_array_set_size (s.events, 1);
  script_add (&s, PT_EVENT_MATERIALS_CHECKED,
              "{\"materials\": [{\"name\": \"营业执照\", \"form\": \"copy\", \"count\": 1},"
              " {\"name\": \"户口簿\", \"form\": \"original\", \"count\": 0, \"missing\": true},"
              " {\"name\": \"施工图\", \"form\": \"original\", \"count\": 1, \"missing\": true}]}");
  state = pt_fold (s.events, NULL);
  g_assert_cmpint (pt_workflow_next (state, NULL), ==, PT_EVENT_MISSING_NOTICE);
  g_clear_pointer (&state, pt_case_state_free);

  script_add (&s, PT_EVENT_MISSING_NOTICE, "{\"materials\": [\"户口簿\", \"施工图\"]}");
  state = pt_fold (s.events, NULL);
  g_assert_cmpint (pt_workflow_next (state, NULL), ==, PT_EVENT_MATERIAL_RECEIVED);
  g_assert_true (pt_workflow_allows (state, PT_EVENT_MATERIAL_RECEIVED));
  assert_refused (check (state, &s, PT_EVENT_MATERIAL_RECEIVED,
                         "{\"materials\": [{\"name\": \"营业执照\", \"form\": \"copy\", \"count\": 1}]}", NULL, &error),
                  &error, "“营业执照” is not missing");
  assert_refused (check (state, &s, PT_EVENT_MATERIAL_RECEIVED,
                         "{\"materials\": [{\"name\": \"结婚证\", \"form\": \"copy\", \"count\": 1}]}", NULL, &error),
                  &error, "not on the case's checklist");
  g_clear_pointer (&state, pt_case_state_free);

  script_add (&s, PT_EVENT_MATERIAL_RECEIVED,
              "{\"materials\": [{\"name\": \"户口簿\", \"form\": \"original\", \"count\": 1}], \"date\": \"2025-11-05\"}");
  state = pt_fold (s.events, NULL);
  book = pt_case_state_find_material (state, "户口簿");
  g_assert_false (book->missing);
  g_assert_cmpuint (book->count, ==, 1);
  g_assert_cmpstr (book->received_on, ==, "2025-11-05");
  g_assert_null (state->notice_closed_on);   /* 施工图 is still missing */
  g_assert_cmpint (pt_workflow_next (state, NULL), ==, PT_EVENT_MATERIAL_RECEIVED);
  g_clear_pointer (&state, pt_case_state_free);

  script_add (&s, PT_EVENT_MATERIAL_RECEIVED,
              "{\"materials\": [{\"name\": \"施工图\", \"form\": \"copy\", \"count\": 3}], \"date\": \"2025-11-06\"}");
  state = pt_fold (s.events, NULL);
  g_assert_cmpstr (state->notice_closed_on, ==, "2025-11-06");
  g_assert_false (pt_case_state_has_missing (state));
  g_assert_false (pt_case_state_find_material (state, "施工图")->original);
  g_assert_cmpuint (pt_case_state_find_material (state, "施工图")->count, ==, 3);
  g_assert_false (pt_workflow_allows (state, PT_EVENT_MATERIAL_RECEIVED));
  g_assert_cmpint (pt_workflow_next (state, NULL), ==, PT_EVENT_AGREEMENT_SIGNED);
  {
    g_autofree char *json = pt_case_state_to_string (state);
    g_assert_nonnull (strstr (json, "\"notice_closed_on\":\"2025-11-06\""));
    g_assert_nonnull (strstr (json, "\"received_on\":\"2025-11-06\""));
  }

  g_ptr_array_unref (s.events);
  g_free (s.case_id);
}

/* A terminated case's step stops its clock: not overdue, whatever the
 * day; its used days are those up to the termination. */
static void
test_clock_stops (void)
{
  Script s;
  g_autoptr(PtCaseState) state = NULL;
  PtCalendar *calendar = test_reference ()->calendar;
  PtStep *s1, *s2;
  gboolean provisional = TRUE;

  script_init (&s);
  script_add (&s, PT_EVENT_STEP_SUBMITTED, "{\"step\": \"s1\", \"date\": \"2025-11-03\"}");
  script_add (&s, PT_EVENT_STEP_SUBMITTED, "{\"step\": \"s2\", \"date\": \"2025-11-03\"}");
  script_add (&s, PT_EVENT_STEP_RETURNED, "{\"step\": \"s2\", \"reason\": \"缺少消防专篇\", \"date\": \"2025-11-05\"}");
  state = pt_fold (s.events, calendar);
  s1 = pt_case_state_find_step (state, "s1");
  g_assert_true (pt_step_is_overdue (s1, "2025-12-02"));
  g_assert_cmpint (pt_step_days_used (s1, calendar, "2025-11-10", NULL), ==, 5);
  /* A paused step's clock stands still from the return on. */
  g_assert_cmpint (pt_step_days_used (pt_case_state_find_step (state, "s2"), calendar, "2025-11-28", NULL), ==, 2);
  g_clear_pointer (&state, pt_case_state_free);

  script_add (&s, PT_EVENT_TERMINATED, "{\"reason_code\": \"applicant_withdrew\", \"reason\": \"申请人撤回\","
                                       " \"materials_returned\": [], \"date\": \"2025-11-12\"}");
  state = pt_fold (s.events, calendar);
  s1 = pt_case_state_find_step (state, "s1");
  s2 = pt_case_state_find_step (state, "s2");
  g_assert_cmpstr (s1->stopped_on, ==, "2025-11-12");
  g_assert_cmpstr (s2->stopped_on, ==, "2025-11-12");
  g_assert_null (state->due);
  g_assert_false (pt_step_is_overdue (s1, "2026-02-01"));
  g_assert_false (pt_step_is_overdue (s2, "2026-02-01"));
  g_assert_cmpint (pt_step_days_used (s1, calendar, "2026-02-01", &provisional), ==, 7);
  g_assert_false (provisional);
  g_assert_cmpint (pt_step_days_used (s2, calendar, "2026-02-01", NULL), ==, 2);
  {
    g_autofree char *json = pt_case_state_to_string (state);
    g_assert_nonnull (strstr (json, "\"stopped_on\":\"2025-11-12\""));
  }

  g_ptr_array_unref (s.events);
  g_free (s.case_id);
}

/* One delivery lists a certificate for every approved step. */
static void
test_certificates (void)
{
  Script s;
  g_autoptr(PtCaseState) state = NULL;
  g_autoptr(GError) error = NULL;

  script_init (&s);
  script_add (&s, PT_EVENT_STEP_SUBMITTED, "{\"step\": \"s1\"}");
  script_add (&s, PT_EVENT_STEP_SUBMITTED, "{\"step\": \"s2\"}");
  script_add (&s, PT_EVENT_STEP_APPROVED, "{\"step\": \"s1\"}");
  script_add (&s, PT_EVENT_STEP_APPROVED, "{\"step\": \"s2\"}");
  state = pt_fold (s.events, NULL);

  assert_refused (check (state, &s, PT_EVENT_DELIVERED,
                         "{\"certificates\": [{\"step\": \"s1\", \"name\": \"建设用地规划许可证\", \"number\": \"地字1号\", \"copies\": 1}],"
                         " \"originals_returned\": true, \"method\": \"in_person\"}", "2026-01-01", &error),
                  &error, "Step 2 (区住房和城乡建设局) was approved, but no certificate is listed for it");
  assert_refused (check (state, &s, PT_EVENT_DELIVERED,
                         "{\"certificates\": [{\"step\": \"s1\", \"name\": \"许可证\", \"number\": \"1\", \"copies\": 1},"
                         " {\"step\": \"s9\", \"name\": \"许可证\", \"number\": \"2\", \"copies\": 1}],"
                         " \"originals_returned\": true, \"method\": \"in_person\"}", "2026-01-01", &error),
                  &error, "Certificate 2 is for step “s9”");
  /* Made now, each certificate names its step; none at all is refused. */
  assert_refused (check (state, &s, PT_EVENT_DELIVERED,
                         "{\"certificates\": [{\"name\": \"许可证\", \"number\": \"1\", \"copies\": 1}],"
                         " \"originals_returned\": true, \"method\": \"in_person\"}", "2026-01-01", &error),
                  &error, "Certificate 1 (许可证) names no step");
  assert_refused (check (state, &s, PT_EVENT_DELIVERED, "{\"originals_returned\": true, \"method\": \"in_person\"}",
                         "2026-01-01", &error),
                  &error, "no certificate is listed");
  /* An old event without steps still folds. */
  g_assert_true (check (state, &s, PT_EVENT_DELIVERED,
                        "{\"certificates\": [{\"name\": \"许可证\", \"number\": \"1\", \"copies\": 1}],"
                        " \"originals_returned\": true, \"method\": \"in_person\"}", NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&state, pt_case_state_free);

  script_add (&s, PT_EVENT_DELIVERED,
              "{\"certificates\": [{\"step\": \"s1\", \"name\": \"建设用地规划许可证\", \"number\": \"地字1号\", \"copies\": 1},"
              " {\"step\": \"s2\", \"name\": \"建筑工程施工许可证\", \"number\": \"建字2号\", \"copies\": 2}],"
              " \"originals_returned\": true, \"method\": \"in_person\"}");
  state = pt_fold (s.events, NULL);
  g_assert_cmpint (state->status, ==, PT_STATUS_DELIVERED);
  g_assert_cmpuint (state->certificates->len, ==, 2);
  g_assert_cmpstr (((PtCertificate *) g_ptr_array_index (state->certificates, 1))->step, ==, "s2");

  g_ptr_array_unref (s.events);
  g_free (s.case_id);
}

/* The dates of an event made now: not after today, not before the intake,
 * a step's not before what it answers. */
static void
test_dates_of_new_events (void)
{
  Script s;
  g_autoptr(PtCaseState) state = NULL;
  g_autoptr(GError) error = NULL;

  script_init (&s);
  script_add (&s, PT_EVENT_STEP_SUBMITTED, "{\"step\": \"s1\", \"date\": \"2025-11-04\"}");
  script_add (&s, PT_EVENT_STEP_RETURNED, "{\"step\": \"s1\", \"reason\": \"缺页\", \"date\": \"2025-11-06\"}");
  state = pt_fold (s.events, NULL);

  assert_refused (check (state, &s, PT_EVENT_STEP_RESUMED, "{\"step\": \"s1\", \"date\": \"2025-11-20\"}", "2025-11-14", &error),
                  &error, "Resubmission date 2025-11-20 is later than today (2025-11-14)");
  assert_refused (check (state, &s, PT_EVENT_STEP_RESUMED, "{\"step\": \"s1\", \"date\": \"2025-11-05\"}", "2025-11-14", &error),
                  &error, "Resubmission date 2025-11-05 is before step 1 (区自然资源局) was returned for correction (2025-11-06)");
  assert_refused (check (state, &s, PT_EVENT_NOTE, "{\"text\": \"x\", \"date\": \"2025-11-01\"}", "2025-11-14", &error),
                  &error, "before the case was taken in (2025-11-03)");
  assert_refused (check (state, &s, PT_EVENT_STEP_APPROVED, "{\"step\": \"s2\", \"date\": \"2025-11-10\"}", "2025-11-14", &error),
                  &error, "not under review");
  g_assert_true (check (state, &s, PT_EVENT_STEP_RESUMED, "{\"step\": \"s1\", \"date\": \"2025-11-14\"}", "2025-11-14", &error));
  g_assert_no_error (error);
  /* Without a date, the event's own stamp is the day: nothing to check. */
  g_assert_true (check (state, &s, PT_EVENT_NOTE, "{\"text\": \"x\"}", "2025-11-14", &error));
  g_clear_pointer (&state, pt_case_state_free);

  g_ptr_array_set_size (s.events, 3);
  state = pt_fold (s.events, NULL);
  assert_refused (check (state, &s, PT_EVENT_PLAN_SET,
                         "{\"steps\": [{\"id\": \"s1\", \"item\": \"D-ZJJ-001\", \"department\": \"区住建局\", \"level\": \"district\","
                         " \"mode\": \"single\", \"limit_days\": 7, \"planned_start\": \"2025-11-10\", \"planned_end\": \"2025-11-07\"}]}",
                         "2025-11-04", &error),
                  &error, "Step 1's planned end date 2025-11-07 is before its planned start date 2025-11-10");
  assert_refused (check (state, &s, PT_EVENT_PLAN_SET,
                         "{\"steps\": [{\"id\": \"s1\", \"item\": \"D-ZJJ-001\", \"department\": \"区住建局\", \"level\": \"district\","
                         " \"mode\": \"single\", \"limit_days\": 7, \"planned_start\": \"2025-10-10\"}]}",
                         "2025-11-04", &error),
                  &error, "Step 1's planned start date 2025-10-10 is before the case was taken in");
  /* Planned dates lie ahead: after today is right. */
  g_assert_true (check (state, &s, PT_EVENT_PLAN_SET,
                        "{\"steps\": [{\"id\": \"s1\", \"item\": \"D-ZJJ-001\", \"department\": \"区住建局\", \"level\": \"district\","
                        " \"mode\": \"single\", \"limit_days\": 7, \"planned_start\": \"2025-11-05\", \"planned_end\": \"2025-11-14\"}]}",
                        "2025-11-04", &error));
  g_assert_no_error (error);
  /* A fee names the case's item. */
  assert_refused (check (state, &s, PT_EVENT_FEE_RECORDED,
                         "{\"item\": \"D-ZRZY-005\", \"name\": \"不动产登记费（住宅）\", \"amount_fen\": 8000, \"basis\": \"b\"}",
                         "2025-11-04", &error),
                  &error, "“D-ZRZY-005” is not an item of this case");
  assert_refused (check (state, &s, PT_EVENT_FEE_RECORDED, "{\"name\": \"x\", \"amount_fen\": 8000, \"basis\": \"b\"}",
                         "2025-11-04", &error),
                  &error, "A fee names the item");

  g_ptr_array_unref (s.events);
  g_free (s.case_id);
}

/* A due date through a year without a table is provisional, in the step
 * and the case, and exact once the table is there. */
static void
test_provisional_due (void)
{
  static const char table_2027[] =
    "[calendar]\nyear=2027\n[holidays]\n2027-01-01=元旦\n2027-01-02=元旦\n2027-01-03=元旦\n";
  Script s;
  g_autoptr(PtCaseState) state = NULL;
  g_autoptr(PtCalendar) calendar = pt_calendar_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (g_getenv ("PAOTUAN_DATA_DIR"), "calendar", NULL);
  PtStep *s1;

  g_assert_true (pt_calendar_load_dir (calendar, dir, &error));
  g_assert_false (pt_calendar_has_year (calendar, 2027));
  script_init (&s);
  script_add (&s, PT_EVENT_STEP_SUBMITTED, "{\"step\": \"s1\", \"date\": \"2026-12-04\"}");
  state = pt_fold (s.events, calendar);
  s1 = pt_case_state_find_step (state, "s1");
  g_assert_cmpstr (s1->due, ==, "2027-01-01");
  g_assert_true (s1->provisional);
  g_assert_cmpstr (state->due, ==, "2027-01-01");
  g_assert_true (state->due_provisional);
  g_assert_true (pt_case_state_is_provisional (state));
  {
    g_autofree char *json = pt_case_state_to_string (state);
    g_assert_nonnull (strstr (json, "\"due_provisional\":true"));
  }
  g_clear_pointer (&state, pt_case_state_free);

  g_assert_true (pt_calendar_load_data (calendar, "2027.ini", table_2027, strlen (table_2027), TRUE, &error));
  state = pt_fold (s.events, calendar);
  s1 = pt_case_state_find_step (state, "s1");
  g_assert_cmpstr (s1->due, ==, "2027-01-04");
  g_assert_false (s1->provisional);
  g_assert_false (state->due_provisional);
  g_assert_false (pt_case_state_is_provisional (state));

  g_ptr_array_unref (s.events);
  g_free (s.case_id);
}

/* The workflow's messages are in the reader's language; the reason of a
 * conflict kept in the state is not, so that every desk folds the same
 * bytes. */
static void
test_messages_translated (void)
{
  const char *localedir = g_getenv ("PT_LOCALEDIR");
  Script s;
  g_autoptr(PtCaseState) state = NULL;
  g_autoptr(GError) error = NULL;
  PtConflict *conflict;

  if (localedir == NULL || setlocale (LC_ALL, "zh_CN.UTF-8") == NULL)
    {
      g_test_skip ("no zh_CN.UTF-8 locale or PT_LOCALEDIR");
      return;
    }
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  script_init (&s);
  script_add (&s, PT_EVENT_STEP_SUBMITTED, "{\"step\": \"s1\"}");
  script_add (&s, PT_EVENT_STEP_SUBMITTED, "{\"step\": \"s1\"}");   /* a misfit from another desk */
  state = pt_fold (s.events, NULL);
  g_assert_cmpuint (state->conflicts->len, ==, 1);
  conflict = g_ptr_array_index (state->conflicts, 0);
  g_assert_nonnull (strstr (conflict->reason, "was already submitted"));

  assert_refused (check (state, &s, PT_EVENT_STEP_SUBMITTED, "{\"step\": \"s1\"}", NULL, &error),
                  &error, "第 1 步（区自然资源局）");
  {
    g_autoptr(JsonObject) note = test_json ("{\"text\": \"x\", \"date\": \"2026-13-01\"}");
    g_assert_false (pt_event_validate_payload (PT_EVENT_NOTE, note, &error));
  }
  if (strstr (error->message, "13") == NULL || strstr (error->message, "月") == NULL)
    g_error ("not Chinese: %s", error->message);
  g_clear_error (&error);

  setlocale (LC_ALL, "C");
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
  g_test_add_func ("/model/fold-conflict-order", test_conflict_order);
  g_test_add_func ("/model/material-received", test_material_received);
  g_test_add_func ("/model/clock-stops", test_clock_stops);
  g_test_add_func ("/model/certificates", test_certificates);
  g_test_add_func ("/model/dates-of-new-events", test_dates_of_new_events);
  g_test_add_func ("/model/provisional-due", test_provisional_due);
  g_test_add_func ("/model/messages-translated", test_messages_translated);
  return g_test_run ();
}
