/* pt-case-state.c: the folded state of a case, and its canonical JSON. */
#define G_LOG_DOMAIN "paotuan-core"

#include "pt-case-state.h"
#include "pt-json.h"

static const struct {
  const char *name;
  const char *label;
} statuses[PT_STATUS_N] = {
  [PT_STATUS_ACCEPTED]    = { "accepted",    "已受理" },
  [PT_STATUS_AGREED]      = { "agreed",      "已签协议" },
  [PT_STATUS_ASSIGNED]    = { "assigned",    "已派跑手" },
  [PT_STATUS_PLANNED]     = { "planned",     "已定方案" },
  [PT_STATUS_IN_PROGRESS] = { "in_progress", "办理中" },
  [PT_STATUS_SUSPENDED]   = { "suspended",   "已中止" },
  [PT_STATUS_DELIVERED]   = { "delivered",   "已办结" },
  [PT_STATUS_TERMINATED]  = { "terminated",  "已终止" },
};

static const char * const step_status_names[] = { "planned", "submitted", "returned", "approved", "rejected" };
static const char * const step_status_labels[] = { "待报送", "审批中", "补正中", "已批准", "不予批准" };
static const char * const mode_names[] = { "single", "parallel", "cross_level" };
static const char * const mode_labels[] = { "单一审批", "并联审批", "跨层级代办" };

const char *
pt_case_status_to_string (PtCaseStatus status)
{
  g_return_val_if_fail (status < PT_STATUS_N, NULL);
  return statuses[status].name;
}

gboolean
pt_case_status_from_string (const char   *str,
                            PtCaseStatus *status)
{
  for (guint i = 0; i < PT_STATUS_N; i++)
    {
      if (g_strcmp0 (str, statuses[i].name) == 0)
        {
          *status = (PtCaseStatus) i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
pt_case_status_label (PtCaseStatus status)
{
  g_return_val_if_fail (status < PT_STATUS_N, NULL);
  return statuses[status].label;
}

const char *
pt_step_status_to_string (PtStepStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (step_status_names), NULL);
  return step_status_names[status];
}

const char *
pt_step_status_label (PtStepStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (step_status_labels), NULL);
  return step_status_labels[status];
}

const char *
pt_step_mode_to_string (PtStepMode mode)
{
  g_return_val_if_fail (mode < G_N_ELEMENTS (mode_names), NULL);
  return mode_names[mode];
}

gboolean
pt_step_mode_from_string (const char *str,
                          PtStepMode *mode)
{
  for (guint i = 0; i < G_N_ELEMENTS (mode_names); i++)
    {
      if (g_strcmp0 (str, mode_names[i]) == 0)
        {
          *mode = (PtStepMode) i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
pt_step_mode_label (PtStepMode mode)
{
  g_return_val_if_fail (mode < G_N_ELEMENTS (mode_labels), NULL);
  return mode_labels[mode];
}

static void
material_free (gpointer data)
{
  PtMaterial *material = data;

  g_free (material->name);
  g_free (material->item);
  g_free (material);
}

static void
pause_free (gpointer data)
{
  PtPause *pause = data;

  g_free (pause->from);
  g_free (pause->to);
  g_free (pause->reason);
  g_free (pause);
}

static void
step_free (gpointer data)
{
  PtStep *step = data;

  g_free (step->id);
  g_free (step->item);
  g_free (step->department);
  g_free (step->planned_start);
  g_free (step->planned_end);
  g_free (step->submitted_on);
  g_free (step->decided_on);
  g_free (step->due);
  g_ptr_array_unref (step->pauses);
  g_free (step->reason);
  g_free (step->document);
  g_free (step);
}

static void
fee_free (gpointer data)
{
  PtFee *fee = data;

  g_free (fee->name);
  g_free (fee->basis);
  g_free (fee);
}

static void
certificate_free (gpointer data)
{
  PtCertificate *certificate = data;

  g_free (certificate->name);
  g_free (certificate->number);
  g_free (certificate);
}

static void
conflict_free (gpointer data)
{
  PtConflict *conflict = data;

  g_free (conflict->event_id);
  g_free (conflict->type);
  g_free (conflict->reason);
  g_free (conflict);
}

PtStep *
pt_step_new (void)
{
  PtStep *step = g_new0 (PtStep, 1);

  step->pauses = g_ptr_array_new_with_free_func (pause_free);
  return step;
}

PtMaterial *
pt_material_new (const char *name,
                 gboolean    original,
                 guint       count,
                 gboolean    missing,
                 const char *item)
{
  PtMaterial *material = g_new0 (PtMaterial, 1);

  material->name = g_strdup (name);
  material->original = original;
  material->count = count;
  material->missing = missing;
  material->item = g_strdup (item);
  return material;
}

PtPause *
pt_pause_new (const char *from,
              const char *reason)
{
  PtPause *pause = g_new0 (PtPause, 1);

  pause->from = g_strdup (from);
  pause->reason = g_strdup (reason);
  return pause;
}

PtFee *
pt_fee_new (const char *name,
            gint64      amount_fen,
            const char *basis)
{
  PtFee *fee = g_new0 (PtFee, 1);

  fee->name = g_strdup (name);
  fee->amount_fen = amount_fen;
  fee->basis = g_strdup (basis);
  return fee;
}

PtCertificate *
pt_certificate_new (const char *name,
                    const char *number,
                    guint       copies)
{
  PtCertificate *certificate = g_new0 (PtCertificate, 1);

  certificate->name = g_strdup (name);
  certificate->number = g_strdup (number);
  certificate->copies = copies;
  return certificate;
}

PtConflict *
pt_conflict_new (const char *event_id,
                 const char *type,
                 const char *reason)
{
  PtConflict *conflict = g_new0 (PtConflict, 1);

  conflict->event_id = g_strdup (event_id);
  conflict->type = g_strdup (type);
  conflict->reason = g_strdup (reason);
  return conflict;
}

PtCaseState *
pt_case_state_new (void)
{
  PtCaseState *state = g_new0 (PtCaseState, 1);

  state->items = g_ptr_array_new_with_free_func (g_free);
  state->materials = g_ptr_array_new_with_free_func (material_free);
  state->notice_materials = g_ptr_array_new_with_free_func (g_free);
  state->steps = g_ptr_array_new_with_free_func (step_free);
  state->fees = g_ptr_array_new_with_free_func (fee_free);
  state->transfers = g_ptr_array_new_with_free_func (g_free);
  state->certificates = g_ptr_array_new_with_free_func (certificate_free);
  state->returned_materials = g_ptr_array_new_with_free_func (material_free);
  state->notes = g_ptr_array_new_with_free_func (g_free);
  state->conflicts = g_ptr_array_new_with_free_func (conflict_free);
  return state;
}

void
pt_case_state_free (PtCaseState *state)
{
  if (state == NULL)
    return;

  g_free (state->id);
  g_free (state->number);
  g_free (state->suspension_reason);
  g_free (state->unit);
  g_free (state->channel);
  g_free (state->intake_date);
  g_free (state->intake_author);
  g_free (state->applicant_kind);
  g_free (state->applicant_name);
  g_free (state->id_number);
  g_free (state->uscc);
  g_free (state->uscc_override);
  g_free (state->legal_representative);
  g_free (state->phone);
  g_free (state->address);
  g_free (state->vulnerable);
  g_ptr_array_unref (state->items);
  g_ptr_array_unref (state->materials);
  g_ptr_array_unref (state->notice_materials);
  g_free (state->notice_date);
  g_free (state->agreement_digest);
  g_free (state->agreement_date);
  g_free (state->runner);
  g_ptr_array_unref (state->steps);
  g_ptr_array_unref (state->fees);
  g_free (state->last_feedback);
  g_ptr_array_unref (state->transfers);
  g_free (state->delivered_on);
  g_free (state->delivery_method);
  g_free (state->tracking_number);
  g_ptr_array_unref (state->certificates);
  g_free (state->terminated_on);
  g_free (state->termination_code);
  g_free (state->termination_reason);
  g_ptr_array_unref (state->returned_materials);
  g_ptr_array_unref (state->notes);
  g_ptr_array_unref (state->conflicts);
  g_free (state->due);
  g_free (state->last_event_id);
  g_free (state->updated_on);
  g_free (state);
}

gboolean
pt_case_state_is_ended (const PtCaseState *state)
{
  return state->status == PT_STATUS_DELIVERED || state->status == PT_STATUS_TERMINATED;
}

PtStep *
pt_case_state_find_step (const PtCaseState *state,
                         const char        *step_id)
{
  for (guint i = 0; i < state->steps->len; i++)
    {
      PtStep *step = g_ptr_array_index (state->steps, i);
      if (g_strcmp0 (step->id, step_id) == 0)
        return step;
    }
  return NULL;
}

/* ---- JSON ------------------------------------------------------------- */

static void
set_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
set_int (JsonBuilder *b,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
set_bool (JsonBuilder *b,
          const char  *name,
          gboolean     value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, value);
}

static void
set_strings (JsonBuilder *b,
             const char  *name,
             GPtrArray   *strings)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < strings->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (strings, i));
  json_builder_end_array (b);
}

static void
set_materials (JsonBuilder *b,
               const char  *name,
               GPtrArray   *materials)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < materials->len; i++)
    {
      PtMaterial *m = g_ptr_array_index (materials, i);
      json_builder_begin_object (b);
      set_string (b, "name", m->name);
      set_string (b, "form", m->original ? "original" : "copy");
      set_int (b, "count", m->count);
      set_bool (b, "missing", m->missing);
      set_string (b, "item", m->item);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
add_step (JsonBuilder  *b,
          const PtStep *step)
{
  json_builder_begin_object (b);
  set_string (b, "id", step->id);
  set_string (b, "item", step->item);
  set_string (b, "department", step->department);
  set_string (b, "level", pt_level_to_string (step->level));
  set_string (b, "mode", pt_step_mode_to_string (step->mode));
  set_string (b, "planned_start", step->planned_start);
  set_string (b, "planned_end", step->planned_end);
  set_int (b, "limit_days", step->limit_days);
  set_string (b, "status", pt_step_status_to_string (step->status));
  set_string (b, "submitted_on", step->submitted_on);
  set_string (b, "decided_on", step->decided_on);
  set_string (b, "due", step->due);
  set_int (b, "paused_days", step->paused_days);
  json_builder_set_member_name (b, "pauses");
  json_builder_begin_array (b);
  for (guint i = 0; i < step->pauses->len; i++)
    {
      PtPause *pause = g_ptr_array_index (step->pauses, i);
      json_builder_begin_object (b);
      set_string (b, "from", pause->from);
      set_string (b, "to", pause->to);
      set_string (b, "reason", pause->reason);
      set_int (b, "working_days", pause->working_days);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  set_string (b, "reason", step->reason);
  set_string (b, "document", step->document);
  json_builder_end_object (b);
}

/* The cache and `paotuanctl case show --json` both use this form; members
 * are written in a fixed order, so equal states give equal bytes. */
JsonNode *
pt_case_state_to_json (const PtCaseState *state)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();

  json_builder_begin_object (b);
  set_string (b, "id", state->id);
  set_string (b, "number", state->number);
  set_string (b, "status", pt_case_status_to_string (state->status));
  set_string (b, "suspension_reason", state->suspension_reason);
  set_string (b, "unit", state->unit);
  set_string (b, "level", pt_level_to_string (state->level));
  set_string (b, "channel", state->channel);
  set_string (b, "intake_date", state->intake_date);
  set_string (b, "intake_author", state->intake_author);

  json_builder_set_member_name (b, "applicant");
  json_builder_begin_object (b);
  set_string (b, "kind", state->applicant_kind);
  set_string (b, "name", state->applicant_name);
  set_string (b, "id_number", state->id_number);
  set_string (b, "uscc", state->uscc);
  set_string (b, "uscc_override", state->uscc_override);
  set_string (b, "legal_representative", state->legal_representative);
  set_string (b, "phone", state->phone);
  set_string (b, "address", state->address);
  set_string (b, "vulnerable", state->vulnerable);
  json_builder_end_object (b);

  set_strings (b, "items", state->items);
  set_materials (b, "materials", state->materials);
  set_strings (b, "notice_materials", state->notice_materials);
  set_string (b, "notice_date", state->notice_date);
  set_string (b, "agreement_digest", state->agreement_digest);
  set_string (b, "agreement_date", state->agreement_date);
  set_string (b, "runner", state->runner);

  json_builder_set_member_name (b, "steps");
  json_builder_begin_array (b);
  for (guint i = 0; i < state->steps->len; i++)
    add_step (b, g_ptr_array_index (state->steps, i));
  json_builder_end_array (b);

  json_builder_set_member_name (b, "fees");
  json_builder_begin_array (b);
  for (guint i = 0; i < state->fees->len; i++)
    {
      PtFee *fee = g_ptr_array_index (state->fees, i);
      json_builder_begin_object (b);
      set_string (b, "name", fee->name);
      set_int (b, "amount_fen", fee->amount_fen);
      set_string (b, "basis", fee->basis);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  set_int (b, "feedback_count", state->feedback_count);
  set_string (b, "last_feedback", state->last_feedback);
  set_strings (b, "transfers", state->transfers);

  json_builder_set_member_name (b, "delivery");
  if (state->delivered_on != NULL)
    {
      json_builder_begin_object (b);
      set_string (b, "date", state->delivered_on);
      set_string (b, "method", state->delivery_method);
      set_string (b, "tracking_number", state->tracking_number);
      set_bool (b, "originals_returned", state->originals_returned);
      json_builder_set_member_name (b, "certificates");
      json_builder_begin_array (b);
      for (guint i = 0; i < state->certificates->len; i++)
        {
          PtCertificate *c = g_ptr_array_index (state->certificates, i);
          json_builder_begin_object (b);
          set_string (b, "name", c->name);
          set_string (b, "number", c->number);
          set_int (b, "copies", c->copies);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "termination");
  if (state->terminated_on != NULL)
    {
      json_builder_begin_object (b);
      set_string (b, "date", state->terminated_on);
      set_string (b, "reason_code", state->termination_code);
      set_string (b, "reason", state->termination_reason);
      set_materials (b, "materials_returned", state->returned_materials);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);

  set_int (b, "rating", state->rating);
  set_int (b, "return_visits", state->return_visits);
  set_strings (b, "notes", state->notes);

  json_builder_set_member_name (b, "conflicts");
  json_builder_begin_array (b);
  for (guint i = 0; i < state->conflicts->len; i++)
    {
      PtConflict *c = g_ptr_array_index (state->conflicts, i);
      json_builder_begin_object (b);
      set_string (b, "event", c->event_id);
      set_string (b, "type", c->type);
      set_string (b, "reason", c->reason);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  set_string (b, "due", state->due);
  set_int (b, "n_events", state->n_events);
  set_string (b, "last_event", state->last_event_id);
  set_string (b, "updated_on", state->updated_on);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

char *
pt_case_state_to_string (const PtCaseState *state)
{
  g_autoptr(JsonNode) node = pt_case_state_to_json (state);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}
