/* pt-case-state.c: the folded state of a case, and its canonical JSON. */
#define G_LOG_DOMAIN "paotuan-core"

#include <glib/gi18n-lib.h>

#include "pt-calendar.h"
#include "pt-case-state.h"
#include "pt-catalog.h"
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
pt_case_status_name (PtCaseStatus status)
{
  switch (status)
    {
    case PT_STATUS_ACCEPTED: return _("Accepted");
    case PT_STATUS_AGREED: return _("Agreement signed");
    case PT_STATUS_ASSIGNED: return _("Runner assigned");
    case PT_STATUS_PLANNED: return _("Plan set");
    case PT_STATUS_IN_PROGRESS: return _("In progress");
    case PT_STATUS_SUSPENDED: return _("Suspended");
    case PT_STATUS_DELIVERED: return _("Delivered");
    case PT_STATUS_TERMINATED: return _("Terminated");
    case PT_STATUS_N:
    default: g_return_val_if_reached ("");
    }
}

const char *
pt_step_status_name (PtStepStatus status)
{
  switch (status)
    {
    case PT_STEP_PLANNED: return _("Planned");
    case PT_STEP_SUBMITTED: return _("Submitted");
    case PT_STEP_RETURNED: return _("Returned for correction");
    case PT_STEP_APPROVED: return _("Approved");
    case PT_STEP_REJECTED: return _("Rejected");
    default: g_return_val_if_reached ("");
    }
}

const char *
pt_step_mode_name (PtStepMode mode)
{
  switch (mode)
    {
    case PT_MODE_SINGLE: return _("Single approval");
    case PT_MODE_PARALLEL: return _("Parallel approval");
    case PT_MODE_CROSS_LEVEL: return _("Cross-level");
    default: g_return_val_if_reached ("");
    }
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
  g_free (material->received_on);
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
  g_free (step->stopped_on);
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
  g_free (fee->item);
  g_free (fee);
}

static void
certificate_free (gpointer data)
{
  PtCertificate *certificate = data;

  g_free (certificate->name);
  g_free (certificate->number);
  g_free (certificate->step);
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
            const char *basis,
            const char *item)
{
  PtFee *fee = g_new0 (PtFee, 1);

  fee->name = g_strdup (name);
  fee->amount_fen = amount_fen;
  fee->basis = g_strdup (basis);
  fee->item = g_strdup (item);
  return fee;
}

PtCertificate *
pt_certificate_new (const char *name,
                    const char *number,
                    guint       copies,
                    const char *step)
{
  PtCertificate *certificate = g_new0 (PtCertificate, 1);

  certificate->name = g_strdup (name);
  certificate->number = g_strdup (number);
  certificate->copies = copies;
  certificate->step = g_strdup (step);
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
  g_free (state->notice_closed_on);
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
  g_free (state->courier);
  g_free (state->mail_address);
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

guint
pt_case_state_step_number (const PtCaseState *state,
                           const char        *step_id)
{
  for (guint i = 0; i < state->steps->len; i++)
    if (g_strcmp0 (((PtStep *) g_ptr_array_index (state->steps, i))->id, step_id) == 0)
      return i + 1;
  return 0;
}

PtMaterial *
pt_case_state_find_material (const PtCaseState *state,
                             const char        *name)
{
  for (guint i = 0; i < state->materials->len; i++)
    {
      PtMaterial *material = g_ptr_array_index (state->materials, i);
      if (g_strcmp0 (material->name, name) == 0)
        return material;
    }
  return NULL;
}

gboolean
pt_case_state_has_missing (const PtCaseState *state)
{
  for (guint i = 0; i < state->materials->len; i++)
    if (((PtMaterial *) g_ptr_array_index (state->materials, i))->missing)
      return TRUE;
  return FALSE;
}

gboolean
pt_case_state_is_provisional (const PtCaseState *state)
{
  if (state->due_provisional)
    return TRUE;
  for (guint i = 0; i < state->steps->len; i++)
    if (((PtStep *) g_ptr_array_index (state->steps, i))->provisional)
      return TRUE;
  return FALSE;
}

GPtrArray *
pt_case_fees (const PtCaseState *state,
              PtCatalog         *catalog)
{
  return pt_catalog_list_fees (catalog, state->items);
}

int
pt_step_days_used (const PtStep *step,
                   PtCalendar   *calendar,
                   const char   *today,
                   gboolean     *provisional)
{
  const char *end = today;
  int used;

  if (provisional != NULL)
    *provisional = FALSE;
  if (step->submitted_on == NULL || calendar == NULL)
    return -1;
  /* The clock ran until the step was decided, the case ended, or its open
   * pause began, whichever came first. */
  if (step->decided_on != NULL)
    end = step->decided_on;
  if (step->stopped_on != NULL && g_strcmp0 (step->stopped_on, end) < 0)
    end = step->stopped_on;
  if (step->pauses->len > 0)
    {
      PtPause *last = g_ptr_array_index (step->pauses, step->pauses->len - 1);
      if (last->to == NULL && g_strcmp0 (last->from, end) < 0)
        end = last->from;
    }
  used = pt_calendar_working_days_between_full (calendar, step->submitted_on, end, provisional, NULL);
  if (used < 0)
    return -1;
  return MAX (0, used - (int) step->paused_days);
}

gboolean
pt_step_is_overdue (const PtStep *step,
                    const char   *today)
{
  return step->status == PT_STEP_SUBMITTED && step->stopped_on == NULL && step->due != NULL
         && today != NULL && strcmp (step->due, today) < 0;
}

/* ---- JSON ------------------------------------------------------------- */

/* The state is written straight into a string, in a fixed member order, so
 * that equal states give equal bytes and the cache can compare digests; the
 * store does this for every case it touches, which JsonBuilder made slow. */

static void
put_name (GString    *out,
          const char *name)
{
  char last = out->len > 0 ? out->str[out->len - 1] : '\0';

  if (last != '{' && last != '[')
    g_string_append_c (out, ',');
  g_string_append_c (out, '"');
  g_string_append (out, name);
  g_string_append (out, "\":");
}

static void
put_string (GString    *out,
            const char *name,
            const char *value)
{
  put_name (out, name);
  if (value != NULL)
    pt_json_append_string (out, value);
  else
    g_string_append (out, "null");
}

static void
put_int (GString    *out,
         const char *name,
         gint64      value)
{
  char digits[24];
  int n = 0;
  guint64 v = value < 0 ? (guint64) -value : (guint64) value;

  put_name (out, name);
  if (value < 0)
    g_string_append_c (out, '-');
  do
    {
      digits[n++] = (char) ('0' + v % 10);
      v /= 10;
    }
  while (v > 0);
  while (n > 0)
    g_string_append_c (out, digits[--n]);
}

static void
put_bool (GString    *out,
          const char *name,
          gboolean    value)
{
  put_name (out, name);
  g_string_append (out, value ? "true" : "false");
}

static void
put_strings (GString    *out,
             const char *name,
             GPtrArray  *strings)
{
  put_name (out, name);
  g_string_append_c (out, '[');
  for (guint i = 0; i < strings->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      pt_json_append_string (out, g_ptr_array_index (strings, i));
    }
  g_string_append_c (out, ']');
}

static void
put_materials (GString    *out,
               const char *name,
               GPtrArray  *materials)
{
  put_name (out, name);
  g_string_append_c (out, '[');
  for (guint i = 0; i < materials->len; i++)
    {
      PtMaterial *m = g_ptr_array_index (materials, i);
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '{');
      put_string (out, "name", m->name);
      put_string (out, "form", m->original ? "original" : "copy");
      put_int (out, "count", m->count);
      put_bool (out, "missing", m->missing);
      put_string (out, "item", m->item);
      put_string (out, "received_on", m->received_on);
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');
}

static void
put_step (GString      *out,
          const PtStep *step)
{
  g_string_append_c (out, '{');
  put_string (out, "id", step->id);
  put_string (out, "item", step->item);
  put_string (out, "department", step->department);
  put_string (out, "level", pt_level_to_string (step->level));
  put_string (out, "mode", pt_step_mode_to_string (step->mode));
  put_string (out, "planned_start", step->planned_start);
  put_string (out, "planned_end", step->planned_end);
  put_int (out, "limit_days", step->limit_days);
  put_string (out, "status", pt_step_status_to_string (step->status));
  put_string (out, "submitted_on", step->submitted_on);
  put_string (out, "decided_on", step->decided_on);
  put_string (out, "due", step->due);
  put_bool (out, "provisional", step->provisional);
  put_string (out, "stopped_on", step->stopped_on);
  put_int (out, "paused_days", step->paused_days);
  put_name (out, "pauses");
  g_string_append_c (out, '[');
  for (guint i = 0; i < step->pauses->len; i++)
    {
      PtPause *pause = g_ptr_array_index (step->pauses, i);
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '{');
      put_string (out, "from", pause->from);
      put_string (out, "to", pause->to);
      put_string (out, "reason", pause->reason);
      put_int (out, "working_days", pause->working_days);
      put_bool (out, "provisional", pause->provisional);
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');
  put_string (out, "reason", step->reason);
  put_string (out, "document", step->document);
  g_string_append_c (out, '}');
}

/* The cache's digest and `paotuanctl case show --json` both use this form. */
char *
pt_case_state_to_string (const PtCaseState *state)
{
  GString *out = g_string_sized_new (2048);

  g_string_append_c (out, '{');
  put_string (out, "id", state->id);
  put_string (out, "number", state->number);
  put_string (out, "status", pt_case_status_to_string (state->status));
  put_string (out, "suspension_reason", state->suspension_reason);
  put_string (out, "unit", state->unit);
  put_string (out, "level", pt_level_to_string (state->level));
  put_string (out, "channel", state->channel);
  put_string (out, "intake_date", state->intake_date);
  put_string (out, "intake_author", state->intake_author);

  put_name (out, "applicant");
  g_string_append_c (out, '{');
  put_string (out, "kind", state->applicant_kind);
  put_string (out, "name", state->applicant_name);
  put_string (out, "id_number", state->id_number);
  put_string (out, "uscc", state->uscc);
  put_string (out, "uscc_override", state->uscc_override);
  put_string (out, "legal_representative", state->legal_representative);
  put_string (out, "phone", state->phone);
  put_string (out, "address", state->address);
  put_string (out, "vulnerable", state->vulnerable);
  g_string_append_c (out, '}');

  put_strings (out, "items", state->items);
  put_materials (out, "materials", state->materials);
  put_strings (out, "notice_materials", state->notice_materials);
  put_string (out, "notice_date", state->notice_date);
  put_string (out, "notice_closed_on", state->notice_closed_on);
  put_string (out, "agreement_digest", state->agreement_digest);
  put_string (out, "agreement_date", state->agreement_date);
  put_string (out, "runner", state->runner);

  put_name (out, "steps");
  g_string_append_c (out, '[');
  for (guint i = 0; i < state->steps->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      put_step (out, g_ptr_array_index (state->steps, i));
    }
  g_string_append_c (out, ']');

  put_name (out, "fees");
  g_string_append_c (out, '[');
  for (guint i = 0; i < state->fees->len; i++)
    {
      PtFee *fee = g_ptr_array_index (state->fees, i);
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '{');
      put_string (out, "name", fee->name);
      put_int (out, "amount_fen", fee->amount_fen);
      put_string (out, "basis", fee->basis);
      put_string (out, "item", fee->item);
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');

  put_int (out, "feedback_count", state->feedback_count);
  put_string (out, "last_feedback", state->last_feedback);
  put_strings (out, "transfers", state->transfers);

  put_name (out, "delivery");
  if (state->delivered_on != NULL)
    {
      g_string_append_c (out, '{');
      put_string (out, "date", state->delivered_on);
      put_string (out, "method", state->delivery_method);
      put_string (out, "tracking_number", state->tracking_number);
      if (state->courier != NULL)
        put_string (out, "courier", state->courier);
      if (state->mail_address != NULL)
        put_string (out, "mail_address", state->mail_address);
      put_bool (out, "originals_returned", state->originals_returned);
      put_name (out, "certificates");
      g_string_append_c (out, '[');
      for (guint i = 0; i < state->certificates->len; i++)
        {
          PtCertificate *c = g_ptr_array_index (state->certificates, i);
          if (i > 0)
            g_string_append_c (out, ',');
          g_string_append_c (out, '{');
          put_string (out, "name", c->name);
          put_string (out, "number", c->number);
          put_int (out, "copies", c->copies);
          put_string (out, "step", c->step);
          g_string_append_c (out, '}');
        }
      g_string_append (out, "]}");
    }
  else
    g_string_append (out, "null");

  put_name (out, "termination");
  if (state->terminated_on != NULL)
    {
      g_string_append_c (out, '{');
      put_string (out, "date", state->terminated_on);
      put_string (out, "reason_code", state->termination_code);
      put_string (out, "reason", state->termination_reason);
      put_materials (out, "materials_returned", state->returned_materials);
      g_string_append_c (out, '}');
    }
  else
    g_string_append (out, "null");

  put_int (out, "rating", state->rating);
  put_int (out, "return_visits", state->return_visits);
  put_strings (out, "notes", state->notes);

  put_name (out, "conflicts");
  g_string_append_c (out, '[');
  for (guint i = 0; i < state->conflicts->len; i++)
    {
      PtConflict *c = g_ptr_array_index (state->conflicts, i);
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '{');
      put_string (out, "event", c->event_id);
      put_string (out, "type", c->type);
      put_string (out, "reason", c->reason);
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');

  put_string (out, "due", state->due);
  put_bool (out, "due_provisional", state->due_provisional);
  put_int (out, "n_events", state->n_events);
  put_string (out, "last_event", state->last_event_id);
  put_string (out, "updated_on", state->updated_on);
  g_string_append_c (out, '}');

  return g_string_free (out, FALSE);
}

JsonNode *
pt_case_state_to_json (const PtCaseState *state)
{
  g_autofree char *text = pt_case_state_to_string (state);
  JsonNode *node = json_from_string (text, NULL);

  g_assert (node != NULL);
  return node;
}
