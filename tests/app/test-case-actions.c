/* test-case-actions.c: which actions the case page offers in each state of
 * the flowchart, and that the page shows them (under Xvfb). */
#include <adwaita.h>

#include "test-app-fixture.h"

#include "pt-action-form.h"
#include "pt-case-page.h"
#include "pt-error.h"
#include "pt-fold.h"
#include "pt-json.h"
#include "pt-calendar.h"
#include "pt-store-sync.h"
#include "pt-validate.h"

typedef struct {
  JsonObject *payload;
  PtEventType type;
  const char *case_id;
} AppendData;

static gpointer
append_job (PtStore       *store,
            gpointer       user_data,
            GCancellable  *cancellable,
            GError       **error)
{
  AppendData *data = user_data;
  g_autoptr(PtEvent) event = pt_store_new_event (store, data->case_id, data->type,
                                                 json_object_ref (data->payload), "R-0001");

  if (!pt_store_append (store, event, error))
    return NULL;
  return pt_store_load_case (store, data->case_id, error);
}

static gpointer
create_job (PtStore       *store,
            gpointer       user_data,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autofree char *number = pt_store_create_case (store, user_data, "R-0001", error);

  return number ? pt_store_resolve_case (store, number, error) : NULL;
}

static PtCaseState *
append (AppFixture *app,
        const char *case_id,
        PtEventType type,
        const char *payload_json)
{
  g_autoptr(GError) error = NULL;
  AppendData data = { pt_json_parse_object (payload_json, -1, &error), type, case_id };
  PtCaseState *state;

  g_assert_no_error (error);
  state = pt_store_worker_run_sync (app->worker, append_job, &data, &error);
  g_assert_no_error (error);
  json_object_unref (data.payload);
  return state;
}

static gboolean
has (GPtrArray  *actions,
     const char *action)
{
  for (guint i = 0; i < actions->len; i++)
    if (g_strcmp0 (g_ptr_array_index (actions, i), action) == 0)
      return TRUE;
  return FALSE;
}

/* @expected: actions that must be offered; @absent: ones that must not. */
static void
assert_actions (PtCaseState        *state,
                const char * const *expected,
                const char * const *absent)
{
  g_autoptr(GPtrArray) actions = pt_case_page_list_actions (state);

  for (guint i = 0; expected[i] != NULL; i++)
    if (!has (actions, expected[i]))
      g_error ("In state %s the action %s is missing", pt_case_status_to_string (state->status), expected[i]);
  for (guint i = 0; absent[i] != NULL; i++)
    if (has (actions, absent[i]))
      g_error ("In state %s the action %s is offered", pt_case_status_to_string (state->status), absent[i]);
}

static char *
create_case (AppFixture *app)
{
  g_autoptr(GError) error = NULL;
  char first17[] = "91370304MA3C4D5E6";
  g_autofree char *uscc = g_strdup_printf ("%s%c", first17, pt_uscc_check_char (first17));
  g_autofree char *text = g_strdup_printf (
    "{\"applicant\": {\"kind\": \"enterprise\", \"name\": \"淄博测试建材有限公司\", \"uscc\": \"%s\","
    " \"legal_representative\": \"王建国\", \"phone\": \"13805331234\", \"address\": \"博山区工业园 8 号\","
    " \"vulnerable\": \"none\"}, \"channel\": \"window\", \"items\": [\"D-ZJJ-001\", \"D-STHJ-003\"],"
    " \"unit\": \"370304\"}", uscc);
  g_autoptr(JsonObject) request = pt_json_parse_object (text, -1, &error);
  char *case_id;

  g_assert_no_error (error);
  case_id = pt_store_worker_run_sync (app->worker, create_job, request, &error);
  g_assert_no_error (error);
  return case_id;
}

static void
count_cb (guint *count)
{
  (*count)++;
}

/* Whether a visible label of @root says @text. */
static gboolean
label_shown (GtkWidget  *root,
             const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  app_fixture_collect (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_get_visible (g_ptr_array_index (labels, i))
        && strstr (gtk_label_get_text (g_ptr_array_index (labels, i)), text) != NULL)
      return TRUE;
  return FALSE;
}

/* The delivery form asks for a certificate from each approved step, refuses
 * one without its number, and gives the payload the store accepts. */
static JsonObject *
fill_delivery_form (AppFixture  *app,
                    PtCaseState *state)
{
  PtCaseDetail detail = { state, NULL, NULL };
  GtkWidget *form = g_object_ref_sink (pt_action_form_new (app->desk, &detail, PT_EVENT_DELIVERED, NULL));
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *refusal = NULL;
  JsonObject *payload;

  app_fixture_collect (form, GTK_TYPE_ENTRY, entries);
  /* Name, number and copies per approved step, then the tracking number and
   * the mailing address. */
  g_assert_cmpuint (entries->len, ==, 3 * 2 + 2);
  payload = pt_action_form_build_payload (PT_ACTION_FORM (form), &error);
  g_assert_null (payload);
  g_assert_error (error, PT_ERROR, PT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "区住房和城乡建设局"));
  /* The refusal shows under the form until the clerk changes a field; Enter
   * in a field asks to record. */
  pt_action_form_set_error (PT_ACTION_FORM (form), error->message);
  g_assert_true (label_shown (form, error->message));
  refusal = g_strdup (error->message);
  g_clear_error (&error);
  {
    guint submitted = 0;

    g_signal_connect_swapped (form, "submit", G_CALLBACK (count_cb), &submitted);
    g_signal_emit_by_name (g_ptr_array_index (entries, 0), "activate");
    g_assert_cmpuint (submitted, ==, 1);
  }

  gtk_editable_set_text (g_ptr_array_index (entries, 0), "建筑工程施工许可证");
  g_assert_false (label_shown (form, refusal));
  gtk_editable_set_text (g_ptr_array_index (entries, 1), "370304202611270101");
  gtk_editable_set_text (g_ptr_array_index (entries, 3), "排污许可证");
  payload = pt_action_form_build_payload (PT_ACTION_FORM (form), &error);
  g_assert_null (payload);
  g_assert_nonnull (strstr (error->message, "排污许可证"));
  g_clear_error (&error);

  gtk_editable_set_text (g_ptr_array_index (entries, 4), "91370304MA3C4D5E6X001P");
  gtk_editable_set_text (g_ptr_array_index (entries, 5), "2");
  /* Whether the originals went back is asked, not assumed. */
  payload = pt_action_form_build_payload (PT_ACTION_FORM (form), &error);
  g_assert_null (payload);
  g_assert_nonnull (strstr (error->message, "original materials were returned"));
  g_clear_error (&error);
  {
    g_autoptr(GPtrArray) checks = g_ptr_array_new ();
    g_autoptr(GPtrArray) combos = g_ptr_array_new ();
    GtkWidget *by_mail = NULL, *all_returned = NULL;

    app_fixture_collect (form, GTK_TYPE_CHECK_BUTTON, checks);
    for (guint i = 0; i < checks->len; i++)
      {
        const char *label = gtk_check_button_get_label (g_ptr_array_index (checks, i));

        g_assert_false (g_strcmp0 (label, "All returned") == 0
                        && gtk_check_button_get_active (g_ptr_array_index (checks, i)));
        if (g_strcmp0 (label, "By mail") == 0)
          by_mail = g_ptr_array_index (checks, i);
        if (g_strcmp0 (label, "All returned") == 0)
          all_returned = g_ptr_array_index (checks, i);
      }
    g_assert_nonnull (by_mail);
    g_assert_nonnull (all_returned);
    gtk_check_button_set_active (GTK_CHECK_BUTTON (all_returned), TRUE);

    /* By mail: the courier, and a number that checks out. */
    g_assert_false (gtk_widget_get_visible (gtk_widget_get_ancestor (g_ptr_array_index (entries, 6),
                                                                     ADW_TYPE_PREFERENCES_ROW)));
    gtk_check_button_set_active (GTK_CHECK_BUTTON (by_mail), TRUE);
    g_assert_true (gtk_widget_get_visible (gtk_widget_get_ancestor (g_ptr_array_index (entries, 6),
                                                                    ADW_TYPE_PREFERENCES_ROW)));
    gtk_editable_set_text (g_ptr_array_index (entries, 6), "12");
    payload = pt_action_form_build_payload (PT_ACTION_FORM (form), &error);
    g_assert_null (payload);
    g_assert_nonnull (strstr (error->message, "courier"));
    g_clear_error (&error);
    app_fixture_collect (form, ADW_TYPE_COMBO_ROW, combos);
    g_assert_cmpuint (combos->len, ==, 1);
    adw_combo_row_set_selected (g_ptr_array_index (combos, 0), 0);   /* EMS */
    payload = pt_action_form_build_payload (PT_ACTION_FORM (form), &error);
    g_assert_null (payload);
    g_assert_nonnull (strstr (error->message, "is not an EMS number"));
    g_clear_error (&error);
    gtk_editable_set_text (g_ptr_array_index (entries, 6), "EA123456784CN");
    payload = pt_action_form_build_payload (PT_ACTION_FORM (form), &error);
    g_assert_null (payload);
    g_assert_nonnull (strstr (error->message, "its check digit would be 5"));
    g_clear_error (&error);
    gtk_editable_set_text (g_ptr_array_index (entries, 6), "ea 1234 5678 5cn");
  }
  /* The address is the applicant's unless the clerk changes it. */
  g_assert_cmpstr (gtk_editable_get_text (g_ptr_array_index (entries, 7)), ==, state->address);
  payload = pt_action_form_build_payload (PT_ACTION_FORM (form), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (payload, "tracking_number"), ==, "EA123456785CN");
  g_assert_cmpstr (json_object_get_string_member (payload, "courier"), ==, "ems");
  g_assert_true (json_object_get_boolean_member (payload, "originals_returned"));
  g_object_unref (form);
  return payload;
}

/* The fee form offers the catalog's fees of the case's items; one whose
 * amount the catalog leaves to the case needs it. */
static JsonObject *
fill_fee_form (AppFixture  *app,
               PtCaseState *state)
{
  PtCaseDetail detail = { state, NULL, NULL };
  GtkWidget *form = g_object_ref_sink (pt_action_form_new (app->desk, &detail, PT_EVENT_FEE_RECORDED, NULL));
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *payload;

  app_fixture_collect (form, GTK_TYPE_ENTRY, entries);
  g_assert_cmpuint (entries->len, ==, 2);   /* amount, date */
  payload = pt_action_form_build_payload (PT_ACTION_FORM (form), &error);
  g_assert_null (payload);
  g_assert_nonnull (strstr (error->message, "城市基础设施配套费"));
  g_clear_error (&error);
  gtk_editable_set_text (g_ptr_array_index (entries, 0), "12345.60");
  payload = pt_action_form_build_payload (PT_ACTION_FORM (form), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (payload, "item"), ==, "D-ZJJ-001");
  g_assert_cmpint (json_object_get_int_member (payload, "amount_fen"), ==, 1234560);
  g_assert_nonnull (strstr (json_object_get_string_member (payload, "basis"), "鲁财综"));
  g_object_unref (form);
  return payload;
}

#define LIST(...) ((const char * const []) { __VA_ARGS__, NULL })

static void
test_flow (void)
{
  AppFixture app = { 0 };
  g_autofree char *case_id = NULL;
  g_autoptr(PtCaseState) state = NULL;

  app_fixture_setup (&app, 0);
  case_id = create_case (&app);

  state = append (&app, case_id, PT_EVENT_NOTE, "{\"text\": \"来电咨询\"}");
  g_assert_cmpint (state->status, ==, PT_STATUS_ACCEPTED);
  assert_actions (state, LIST ("agreement_signed", "terminated", "note", "feedback_given"),
                  LIST ("runner_assigned", "plan_set", "delivered", "rated", "return_visit",
                        "case_resumed", "missing_notice"));
  g_clear_pointer (&state, pt_case_state_free);

  state = append (&app, case_id, PT_EVENT_AGREEMENT_SIGNED,
                  "{\"digest\": \"0000000000000000000000000000000000000000000000000000000000000000\"}");
  assert_actions (state, LIST ("runner_assigned", "terminated"),
                  LIST ("agreement_signed", "plan_set", "delivered", "rated"));
  g_clear_pointer (&state, pt_case_state_free);

  state = append (&app, case_id, PT_EVENT_RUNNER_ASSIGNED, "{\"runner\": \"R-0002\"}");
  assert_actions (state, LIST ("plan_set", "runner_assigned", "case_suspended"),
                  LIST ("agreement_signed", "delivered", "rated"));
  g_clear_pointer (&state, pt_case_state_free);

  state = append (&app, case_id, PT_EVENT_PLAN_SET,
                  "{\"steps\": ["
                  "{\"id\": \"S1\", \"item\": \"D-ZJJ-001\", \"department\": \"区住房和城乡建设局\", \"level\": \"district\", \"mode\": \"parallel\", \"limit_days\": 7},"
                  "{\"id\": \"S2\", \"item\": \"D-STHJ-003\", \"department\": \"淄博市生态环境局博山分局\", \"level\": \"district\", \"mode\": \"parallel\", \"limit_days\": 20}]}");
  assert_actions (state, LIST ("step_submitted:S1", "step_submitted:S2", "terminated"),
                  LIST ("step_approved:S1", "step_returned:S1", "delivered", "agreement_signed"));
  g_clear_pointer (&state, pt_case_state_free);

  state = append (&app, case_id, PT_EVENT_STEP_SUBMITTED, "{\"step\": \"S1\"}");
  assert_actions (state, LIST ("step_returned:S1", "step_approved:S1", "step_rejected:S1",
                               "step_submitted:S2"),
                  LIST ("step_submitted:S1", "step_resumed:S1", "step_approved:S2", "delivered"));
  g_clear_pointer (&state, pt_case_state_free);

  state = append (&app, case_id, PT_EVENT_STEP_RETURNED, "{\"step\": \"S1\", \"reason\": \"缺少消防专篇\"}");
  assert_actions (state, LIST ("step_resumed:S1"),
                  LIST ("step_approved:S1", "step_returned:S1", "delivered"));
  g_clear_pointer (&state, pt_case_state_free);

  state = append (&app, case_id, PT_EVENT_CASE_SUSPENDED, "{\"reason\": \"申请人补充资金证明\"}");
  g_assert_cmpint (state->status, ==, PT_STATUS_SUSPENDED);
  assert_actions (state, LIST ("case_resumed"), LIST ("case_suspended", "delivered", "plan_set"));
  g_clear_pointer (&state, pt_case_state_free);

  state = append (&app, case_id, PT_EVENT_CASE_RESUMED, "{}");
  g_clear_pointer (&state, pt_case_state_free);
  state = append (&app, case_id, PT_EVENT_STEP_RESUMED, "{\"step\": \"S1\"}");
  g_clear_pointer (&state, pt_case_state_free);
  state = append (&app, case_id, PT_EVENT_STEP_SUBMITTED, "{\"step\": \"S2\"}");
  g_clear_pointer (&state, pt_case_state_free);
  state = append (&app, case_id, PT_EVENT_STEP_APPROVED, "{\"step\": \"S1\"}");
  assert_actions (state, LIST ("step_approved:S2"), LIST ("delivered", "step_approved:S1"));
  g_clear_pointer (&state, pt_case_state_free);
  state = append (&app, case_id, PT_EVENT_STEP_APPROVED, "{\"step\": \"S2\"}");
  assert_actions (state, LIST ("delivered", "terminated", "fee_recorded"),
                  LIST ("step_approved:S2", "step_submitted:S1", "rated"));

  {
    g_autoptr(JsonObject) payload = fill_fee_form (&app, state);
    g_autofree char *text = pt_json_object_canonical (payload);

    g_clear_pointer (&state, pt_case_state_free);
    state = append (&app, case_id, PT_EVENT_FEE_RECORDED, text);
  }
  {
    g_autoptr(JsonObject) payload = fill_delivery_form (&app, state);
    g_autofree char *text = pt_json_object_canonical (payload);
    JsonArray *certificates = json_object_get_array_member (payload, "certificates");

    g_assert_cmpuint (json_array_get_length (certificates), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (certificates, 0), "step"), ==, "S1");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (certificates, 1), "step"), ==, "S2");
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (certificates, 1), "copies"), ==, 2);
    g_clear_pointer (&state, pt_case_state_free);
    state = append (&app, case_id, PT_EVENT_DELIVERED, text);
  }
  g_assert_cmpint (state->status, ==, PT_STATUS_DELIVERED);
  assert_actions (state, LIST ("rated", "return_visit", "note"),
                  LIST ("delivered", "terminated", "case_suspended", "runner_assigned", "fee_recorded"));

  app_fixture_teardown (&app);
}

/* A material missing at intake: the notice is recorded with the case, the
 * next action is to receive it, and the form's payload closes the notice. */
static void
test_received (void)
{
  AppFixture app = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) request = pt_json_parse_object (
    "{\"applicant\": {\"kind\": \"person\", \"name\": \"李秀英\", \"id_number\": \"370304196001010028\","
    " \"phone\": \"05334151890\", \"address\": \"博山区域城镇域城村 12 号\", \"vulnerable\": \"none\"},"
    " \"channel\": \"window\", \"items\": [\"D-ZJJ-001\"], \"unit\": \"370304\","
    " \"materials\": [{\"name\": \"建筑工程施工许可证申请表\", \"form\": \"original\", \"count\": 1},"
    " {\"name\": \"施工合同\", \"form\": \"copy\", \"count\": 2, \"missing\": true}]}", -1, &error);
  g_autofree char *case_id = NULL;
  g_autoptr(PtCaseState) state = NULL;
  g_autoptr(GPtrArray) actions = NULL;
  g_autoptr(JsonObject) payload = NULL;
  g_autofree char *text = NULL;
  PtCaseDetail detail = { NULL, NULL, NULL };
  GtkWidget *form;
  JsonObject *material;

  g_assert_no_error (error);
  app_fixture_setup (&app, 0);
  case_id = pt_store_worker_run_sync (app.worker, create_job, request, &error);
  g_assert_no_error (error);
  state = append (&app, case_id, PT_EVENT_NOTE, "{\"text\": \"申请人下午送来施工合同\"}");
  g_assert_true (pt_case_state_has_missing (state));
  assert_actions (state, LIST ("material_received", "terminated"), LIST ("runner_assigned", "plan_set"));
  g_assert_cmpint (pt_workflow_next (state, NULL), ==, PT_EVENT_MATERIAL_RECEIVED);

  detail.state = state;
  form = g_object_ref_sink (pt_action_form_new (app.desk, &detail, PT_EVENT_MATERIAL_RECEIVED, NULL));
  payload = pt_action_form_build_payload (PT_ACTION_FORM (form), &error);
  g_assert_no_error (error);
  g_object_unref (form);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (payload, "materials")), ==, 1);
  material = json_array_get_object_element (json_object_get_array_member (payload, "materials"), 0);
  g_assert_cmpstr (json_object_get_string_member (material, "name"), ==, "施工合同");
  g_assert_cmpstr (json_object_get_string_member (material, "form"), ==, "copy");
  g_assert_cmpint (json_object_get_int_member (material, "count"), ==, 2);

  text = pt_json_object_canonical (payload);
  g_clear_pointer (&state, pt_case_state_free);
  state = append (&app, case_id, PT_EVENT_MATERIAL_RECEIVED, text);
  g_assert_false (pt_case_state_has_missing (state));
  assert_actions (state, LIST ("agreement_signed"), LIST ("material_received"));
  g_assert_cmpint (pt_workflow_next (state, NULL), ==, PT_EVENT_AGREEMENT_SIGNED);

  app_fixture_teardown (&app);
}

static gpointer
send_2027_job (PtStore       *store,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(JsonObject) files = json_object_new ();

  /* What a district server sends once the State Council's notice is out. */
  json_object_set_string_member (files, "calendar/2027.ini",
                                 "[calendar]\nyear=2027\nnotice=test\n\n[holidays]\n"
                                 "2027-01-01=元旦\n\n[workdays]\n");
  return pt_store_sync_save_reference (store, "test-2027", files, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static void
after_sync_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  guint n_refolded = 0;

  g_assert_true (pt_store_worker_after_sync_finish (PT_STORE_WORKER (source), result, &n_refolded, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_refolded, ==, 1);
  *(gboolean *) user_data = TRUE;
}

/* A step due in a year without a holiday table is provisional (counted by
 * the week) until a sync brings the year's table: then it is exact. */
static void
test_after_sync (void)
{
  AppFixture app = { 0 };
  g_autofree char *case_id = NULL;
  g_autoptr(PtCaseState) state = NULL;
  g_autofree char *today = NULL;
  g_autofree char *plan = NULL;
  g_autofree char *provisional_due = NULL;
  gboolean done = FALSE;
  PtStep *step;

  app_fixture_setup (&app, 0);
  if (pt_calendar_has_year (app.reference->calendar, 2027))
    {
      g_test_skip ("this build has a 2027 holiday table");
      app_fixture_teardown (&app);
      return;
    }
  today = pt_date_today ();
  case_id = create_case (&app);
  g_clear_pointer (&state, pt_case_state_free);
  state = append (&app, case_id, PT_EVENT_AGREEMENT_SIGNED,
                  "{\"digest\": \"0000000000000000000000000000000000000000000000000000000000000000\"}");
  g_clear_pointer (&state, pt_case_state_free);
  state = append (&app, case_id, PT_EVENT_RUNNER_ASSIGNED, "{\"runner\": \"R-0002\"}");
  g_clear_pointer (&state, pt_case_state_free);
  plan = g_strdup_printf ("{\"steps\": [{\"id\": \"S1\", \"item\": \"D-ZJJ-001\", \"department\": \"区住房和城乡建设局\","
                          " \"level\": \"district\", \"mode\": \"single\", \"limit_days\": 60}]}");
  state = append (&app, case_id, PT_EVENT_PLAN_SET, plan);
  g_clear_pointer (&state, pt_case_state_free);
  state = append (&app, case_id, PT_EVENT_STEP_SUBMITTED, "{\"step\": \"S1\"}");
  step = pt_case_state_find_step (state, "S1");
  /* Sixty working days from any day of 2026 end in 2027. */
  g_assert_true (g_str_has_prefix (step->due, "2027-"));
  g_assert_true (step->provisional);
  g_assert_true (pt_case_state_is_provisional (state));
  provisional_due = g_strdup (step->due);

  g_assert_nonnull (pt_store_worker_run_sync (app.worker, send_2027_job, NULL, NULL));
  pt_store_worker_after_sync_async (app.worker, NULL, after_sync_cb, &done);
  app_fixture_wait (&done, 30);
  g_assert_true (pt_calendar_has_year (app.reference->calendar, 2027));

  g_clear_pointer (&state, pt_case_state_free);
  state = append (&app, case_id, PT_EVENT_NOTE, "{\"text\": \"2027 年节假日安排已同步\"}");
  step = pt_case_state_find_step (state, "S1");
  g_assert_false (step->provisional);
  g_assert_false (pt_case_state_is_provisional (state));
  /* 2027-01-01 is a holiday now: the due date moves a day, or more. */
  g_assert_cmpstr (step->due, >, provisional_due);
  app_fixture_teardown (&app);
}

static void
test_page (void)
{
  AppFixture app = { 0 };
  g_autofree char *case_id = NULL;
  g_autoptr(PtCaseState) state = NULL;
  GtkWidget *window;
  GtkWidget *page;
  gint64 deadline;

  app_fixture_setup (&app, 0);
  case_id = create_case (&app);
  state = append (&app, case_id, PT_EVENT_AGREEMENT_SIGNED,
                  "{\"digest\": \"0000000000000000000000000000000000000000000000000000000000000000\"}");

  window = gtk_window_new ();
  page = pt_case_page_new ();
  pt_case_page_set_desk (PT_CASE_PAGE (page), app.desk);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  pt_case_page_load (PT_CASE_PAGE (page), case_id);

  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (pt_case_page_get_number (PT_CASE_PAGE (page)) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpstr (pt_case_page_get_number (PT_CASE_PAGE (page)), ==, state->number);
  /* The primary button is the next step of the flowchart: assign a runner. */
  g_assert_cmpstr (pt_case_page_get_primary_label (PT_CASE_PAGE (page)), ==, "Assign Runner");

  gtk_window_destroy (GTK_WINDOW (window));
  app_fixture_teardown (&app);
}

/* The labels of @page, with whether each is drawn as an error. */
static gboolean
find_label (GtkWidget  *page,
            const char *needle,
            gboolean   *is_error)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  app_fixture_collect (page, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (strstr (gtk_label_get_text (GTK_LABEL (label)), needle) != NULL)
        {
          if (is_error != NULL)
            *is_error = gtk_widget_has_css_class (label, "error");
          return TRUE;
        }
    }
  return FALSE;
}

static void
load_page (GtkWidget  *page,
           const char *case_id,
           const char *needle)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  pt_case_page_load (PT_CASE_PAGE (page), case_id);
  while (!find_label (page, needle, NULL))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* A step card says what the core counts: the department's own level, an
 * overdue clock in red, and once the case ended a stopped clock, not red. */
static void
test_step_card (void)
{
  AppFixture app = { 0 };
  g_autoptr(GError) error = NULL;
  char first17[] = "91370304MA3C4D5E6";
  g_autofree char *uscc = g_strdup_printf ("%s%c", first17, pt_uscc_check_char (first17));
  g_autofree char *text = g_strdup_printf (
    "{\"applicant\": {\"kind\": \"enterprise\", \"name\": \"淄博测试建材有限公司\", \"uscc\": \"%s\","
    " \"legal_representative\": \"王建国\", \"phone\": \"13805331234\", \"address\": \"博山区工业园 8 号\"},"
    " \"channel\": \"window\", \"items\": [\"D-ZJJ-001\"], \"unit\": \"370304\", \"date\": \"2026-10-12\"}", uscc);
  g_autoptr(JsonObject) request = pt_json_parse_object (text, -1, &error);
  g_autofree char *case_id = NULL;
  GtkWidget *window;
  GtkWidget *page;
  gboolean red = FALSE;

  app_fixture_setup (&app, 0);
  case_id = pt_store_worker_run_sync (app.worker, create_job, request, &error);
  g_assert_no_error (error);
  pt_case_state_free (append (&app, case_id, PT_EVENT_AGREEMENT_SIGNED,
                              "{\"digest\": \"0000000000000000000000000000000000000000000000000000000000000000\","
                              " \"date\": \"2026-10-12\"}"));
  pt_case_state_free (append (&app, case_id, PT_EVENT_RUNNER_ASSIGNED, "{\"runner\": \"R-0002\", \"date\": \"2026-10-12\"}"));
  /* A plan from an older client that gave the step the case's level. */
  pt_case_state_free (append (&app, case_id, PT_EVENT_PLAN_SET,
                              "{\"date\": \"2026-10-12\", \"steps\": [{\"id\": \"S1\", \"item\": \"D-ZJJ-001\","
                              " \"department\": \"区住房和城乡建设局\", \"level\": \"village\", \"mode\": \"cross_level\","
                              " \"limit_days\": 7}]}"));
  pt_case_state_free (append (&app, case_id, PT_EVENT_STEP_SUBMITTED, "{\"step\": \"S1\", \"date\": \"2026-10-13\"}"));
  /* Recorded last, happened first: the timeline puts it in its place. */
  pt_case_state_free (append (&app, case_id, PT_EVENT_NOTE, "{\"text\": \"补记来电\", \"date\": \"2026-10-12\"}"));

  window = gtk_window_new ();
  page = pt_case_page_new ();
  pt_case_page_set_desk (PT_CASE_PAGE (page), app.desk);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  load_page (page, case_id, "working days used");
  g_assert_true (find_label (page, "· District", NULL));
  g_assert_false (find_label (page, "· Village", NULL));
  g_assert_true (find_label (page, "working days used", &red));
  g_assert_true (red);
  {
    g_autoptr(GPtrArray) rows = g_ptr_array_new ();
    const char *previous = "";
    guint n = 0;

    app_fixture_collect (page, ADW_TYPE_ACTION_ROW, rows);
    for (guint i = 0; i < rows->len; i++)
      {
        const char *subtitle = adw_action_row_get_subtitle (g_ptr_array_index (rows, i));

        if (subtitle == NULL || !g_str_has_prefix (subtitle, "2026-"))
          continue;
        g_assert_cmpint (strncmp (previous, subtitle, 10), <=, 0);
        previous = subtitle;
        n++;
      }
    g_assert_cmpuint (n, ==, 6);
  }

  pt_case_state_free (append (&app, case_id, PT_EVENT_TERMINATED,
                              "{\"reason_code\": \"applicant_withdrew\", \"reason\": \"申请人撤回申请\", \"materials_returned\": []}"));
  load_page (page, case_id, "Clock stopped on");
  g_assert_true (find_label (page, "Clock stopped on", &red));
  g_assert_false (red);

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

  g_test_add_func ("/app/case-actions/flow", test_flow);
  g_test_add_func ("/app/case-actions/received", test_received);
  g_test_add_func ("/app/case-actions/after-sync", test_after_sync);
  g_test_add_func ("/app/case-actions/page", test_page);
  g_test_add_func ("/app/case-actions/step-card", test_step_card);

  return g_test_run ();
}
