/* pt-fold.c: the workflow rules and the fold of a case's events. */
#define G_LOG_DOMAIN "paotuan-core"

#include "pt-calendar.h"
#include "pt-error.h"
#include "pt-fold.h"
#include "pt-json.h"

static gboolean
forbid (GError    **error,
        const char *format,
        ...) G_GNUC_PRINTF (2, 3);

static gboolean
forbid (GError    **error,
        const char *format,
        ...)
{
  va_list args;

  va_start (args, format);
  if (error != NULL)
    *error = g_error_new_valist (PT_ERROR, PT_ERROR_FORBIDDEN, format, args);
  va_end (args);
  return FALSE;
}

static gboolean
is_step_event (PtEventType type)
{
  return type >= PT_EVENT_STEP_SUBMITTED && type <= PT_EVENT_STEP_REJECTED;
}

static gboolean
has_conflict (const PtCaseState *state,
              const char        *event_id)
{
  for (guint i = 0; i < state->conflicts->len; i++)
    {
      PtConflict *conflict = g_ptr_array_index (state->conflicts, i);
      if (g_strcmp0 (conflict->event_id, event_id) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
check_step (const PtCaseState *state,
            PtEventType        type,
            const char        *step_id,
            GError           **error)
{
  PtStep *step;
  PtStepStatus needed = type == PT_EVENT_STEP_SUBMITTED ? PT_STEP_PLANNED
                        : type == PT_EVENT_STEP_RESUMED ? PT_STEP_RETURNED
                        : PT_STEP_SUBMITTED;

  if (state->status == PT_STATUS_SUSPENDED)
    return forbid (error, "The case is suspended (中止): resume it (续办) before recording a step.");
  if (state->status != PT_STATUS_PLANNED && state->status != PT_STATUS_IN_PROGRESS)
    return forbid (error, "The case has no handling plan yet: set the plan before recording steps.");
  step = pt_case_state_find_step (state, step_id);
  if (step == NULL)
    return forbid (error, "The plan has no step \"%s\".", step_id);
  if (step->status != needed)
    return forbid (error, "Step \"%s\" is %s: it must be %s to record %s.",
                   step_id, pt_step_status_to_string (step->status),
                   pt_step_status_to_string (needed), pt_event_type_to_string (type));
  return TRUE;
}

/* Whether @event fits @state; the error says why not and what to do. */
gboolean
pt_workflow_check (const PtCaseState  *state,
                   const PtEvent      *event,
                   GError            **error)
{
  PtEventType type = event->type;
  JsonObject *payload = event->payload;

  if (state->id == NULL)
    return type == PT_EVENT_INTAKE
           || forbid (error, "The case has no intake: the first event must be intake.");
  if (type == PT_EVENT_INTAKE)
    return forbid (error, "The case already has its intake.");

  switch (type)
    {
    case PT_EVENT_NOTE:
    case PT_EVENT_FEEDBACK_GIVEN:
      return TRUE;
    case PT_EVENT_CONFLICT_RESOLVED:
      {
        const char *id = pt_json_get_string (payload, "event");
        if (!has_conflict (state, id))
          return forbid (error, "The case has no open conflict for event %s.", id);
        return TRUE;
      }
    case PT_EVENT_RATED:
    case PT_EVENT_RETURN_VISIT:
      if (!pt_case_state_is_ended (state))
        return forbid (error, "Ratings and return visits come after the case is delivered or terminated.");
      return TRUE;
    default:
      break;
    }

  if (state->status == PT_STATUS_DELIVERED)
    return forbid (error, "The case is already delivered (办结): nothing more can be changed.");
  if (state->status == PT_STATUS_TERMINATED)
    return forbid (error, "The case is already terminated (终止): nothing more can be changed.");

  if (is_step_event (type))
    return check_step (state, type, pt_json_get_string (payload, "step"), error);

  switch (type)
    {
    case PT_EVENT_MATERIALS_CHECKED:
    case PT_EVENT_FEE_RECORDED:
    case PT_EVENT_TERMINATED:
      return TRUE;

    case PT_EVENT_MISSING_NOTICE:
      for (guint i = 0; i < state->materials->len; i++)
        if (((PtMaterial *) g_ptr_array_index (state->materials, i))->missing)
          return TRUE;
      return forbid (error, "No material is marked missing: record the checklist first.");

    case PT_EVENT_AGREEMENT_SIGNED:
      if (state->status != PT_STATUS_ACCEPTED)
        return forbid (error, "The agreement is already signed.");
      return TRUE;

    case PT_EVENT_RUNNER_ASSIGNED:
      if (state->status == PT_STATUS_ACCEPTED)
        return forbid (error, "Sign the commission agreement before assigning a runner.");
      return TRUE;

    case PT_EVENT_PLAN_SET:
      if (state->status == PT_STATUS_ACCEPTED || state->status == PT_STATUS_AGREED)
        return forbid (error, "Assign a runner before setting the handling plan.");
      if (state->status != PT_STATUS_ASSIGNED && state->status != PT_STATUS_PLANNED)
        return forbid (error, "A step was already submitted: the plan can no longer be replaced.");
      return TRUE;

    case PT_EVENT_CASE_SUSPENDED:
      if (state->status == PT_STATUS_SUSPENDED)
        return forbid (error, "The case is already suspended.");
      return TRUE;

    case PT_EVENT_CASE_RESUMED:
      if (state->status != PT_STATUS_SUSPENDED)
        return forbid (error, "The case is not suspended.");
      return TRUE;

    case PT_EVENT_CASE_TRANSFERRED:
      if (g_strcmp0 (pt_json_get_string (payload, "to_unit"), state->unit) == 0)
        return forbid (error, "The case is already with %s.", state->unit);
      return TRUE;

    case PT_EVENT_DELIVERED:
      {
        guint approved = 0;
        if (state->status != PT_STATUS_IN_PROGRESS)
          return forbid (error, "Delivery needs the plan's steps submitted and decided first.");
        for (guint i = 0; i < state->steps->len; i++)
          {
            PtStep *step = g_ptr_array_index (state->steps, i);
            if (step->status == PT_STEP_APPROVED)
              approved++;
            else if (step->status != PT_STEP_REJECTED)
              return forbid (error, "Step \"%s\" (%s) is not decided yet: deliver once every step is approved or rejected.",
                             step->id, step->department);
          }
        if (approved == 0)
          return forbid (error, "No step was approved: there is nothing to deliver; terminate the commission instead.");
        return TRUE;
      }
    default:
      g_assert_not_reached ();
    }
}

static PtEvent *
probe_event (PtEventType  type,
             const char  *step_id)
{
  static const PtStamp zero = { 0, 0 };
  PtEvent *event = pt_event_new ("probe", "probe", &zero, "probe", NULL, type, NULL);

  if (step_id != NULL)
    json_object_set_string_member (event->payload, "step", step_id);
  if (type == PT_EVENT_CASE_TRANSFERRED)
    json_object_set_string_member (event->payload, "to_unit", "");
  return event;
}

/* Whether an action of @type is possible now (for a step event: on some
 * step), so that the application offers only what the workflow allows. */
gboolean
pt_workflow_allows (const PtCaseState *state,
                    PtEventType        type)
{
  if (type == PT_EVENT_CONFLICT_RESOLVED)
    return state->conflicts->len > 0;
  if (is_step_event (type))
    {
      for (guint i = 0; i < state->steps->len; i++)
        {
          PtStep *step = g_ptr_array_index (state->steps, i);
          g_autoptr(PtEvent) probe = probe_event (type, step->id);
          if (pt_workflow_check (state, probe, NULL))
            return TRUE;
        }
      return FALSE;
    }
  else
    {
      g_autoptr(PtEvent) probe = probe_event (type, NULL);
      return pt_workflow_check (state, probe, NULL);
    }
}

/* The one next step the flowchart expects, for the primary button;
 * PT_EVENT_N_TYPES when nothing is expected. */
PtEventType
pt_workflow_next (const PtCaseState  *state,
                  const char        **step_id)
{
  const char *dummy;

  if (step_id == NULL)
    step_id = &dummy;
  *step_id = NULL;

  if (state->conflicts->len > 0)
    return PT_EVENT_CONFLICT_RESOLVED;

  switch (state->status)
    {
    case PT_STATUS_ACCEPTED:
      if (state->notice_date == NULL && pt_workflow_allows (state, PT_EVENT_MISSING_NOTICE))
        return PT_EVENT_MISSING_NOTICE;
      return PT_EVENT_AGREEMENT_SIGNED;
    case PT_STATUS_AGREED:
      return PT_EVENT_RUNNER_ASSIGNED;
    case PT_STATUS_ASSIGNED:
      return PT_EVENT_PLAN_SET;
    case PT_STATUS_PLANNED:
    case PT_STATUS_IN_PROGRESS:
      {
        static const struct { PtStepStatus status; PtEventType next; } order[] = {
          { PT_STEP_RETURNED, PT_EVENT_STEP_RESUMED },
          { PT_STEP_PLANNED, PT_EVENT_STEP_SUBMITTED },
          { PT_STEP_SUBMITTED, PT_EVENT_STEP_APPROVED },
        };
        for (guint k = 0; k < G_N_ELEMENTS (order); k++)
          for (guint i = 0; i < state->steps->len; i++)
            {
              PtStep *step = g_ptr_array_index (state->steps, i);
              if (step->status == order[k].status)
                {
                  *step_id = step->id;
                  return order[k].next;
                }
            }
        return pt_workflow_allows (state, PT_EVENT_DELIVERED) ? PT_EVENT_DELIVERED : PT_EVENT_TERMINATED;
      }
    case PT_STATUS_SUSPENDED:
      return PT_EVENT_CASE_RESUMED;
    case PT_STATUS_DELIVERED:
    case PT_STATUS_TERMINATED:
      return state->rating == 0 ? PT_EVENT_RATED
             : state->return_visits == 0 ? PT_EVENT_RETURN_VISIT : PT_EVENT_N_TYPES;
    default:
      g_assert_not_reached ();
    }
}

/* ---- the fold ---------------------------------------------------------- */

static char *
dup_payload_string (JsonObject *payload,
                    const char *member)
{
  return g_strdup (pt_json_get_string (payload, member));
}

static void
replace (char       **field,
         const char  *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

static PtLevel
level_of (JsonObject *payload,
          PtLevel     fallback)
{
  PtLevel level;

  if (pt_level_from_string (pt_json_get_string (payload, "level"), &level))
    return level;
  return fallback;
}

static GPtrArray *
read_materials (JsonArray *array)
{
  GPtrArray *materials = g_ptr_array_new ();

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *m = json_array_get_object_element (array, i);
      g_ptr_array_add (materials,
                       pt_material_new (pt_json_get_string (m, "name"),
                                        g_strcmp0 (pt_json_get_string (m, "form"), "original") == 0,
                                        (guint) pt_json_get_int (m, "count", 1),
                                        pt_json_get_bool (m, "missing", FALSE),
                                        pt_json_get_string (m, "item")));
    }
  return materials;
}

static void
replace_materials (GPtrArray *target,
                   JsonArray *array)
{
  g_autoptr(GPtrArray) read = read_materials (array);

  g_ptr_array_set_size (target, 0);
  for (guint i = 0; i < read->len; i++)
    g_ptr_array_add (target, g_ptr_array_index (read, i));
}

/* The step's due date: its time limit counted from submission, pushed back by
 * the working days it spent paused (行政许可法 Art. 45). */
static gboolean
step_is_paused (const PtStep *step)
{
  return step->pauses->len > 0
         && ((PtPause *) g_ptr_array_index (step->pauses, step->pauses->len - 1))->to == NULL;
}

static void
update_step_due (PtStep     *step,
                 PtCalendar *calendar)
{
  g_clear_pointer (&step->due, g_free);
  if (calendar == NULL || step->submitted_on == NULL || step_is_paused (step))
    return;
  step->due = pt_calendar_add_working_days (calendar, step->submitted_on,
                                            step->limit_days + step->paused_days, NULL);
}

static void
update_case_due (PtCaseState *state)
{
  g_clear_pointer (&state->due, g_free);
  if (pt_case_state_is_ended (state))
    return;
  for (guint i = 0; i < state->steps->len; i++)
    {
      PtStep *step = g_ptr_array_index (state->steps, i);
      if (step->status == PT_STEP_SUBMITTED && step->due != NULL
          && (state->due == NULL || strcmp (step->due, state->due) > 0))
        replace (&state->due, step->due);
    }
}

static void
apply_intake (PtCaseState   *state,
              const PtEvent *event,
              const char    *date)
{
  JsonObject *p = event->payload;
  JsonObject *a = pt_json_get_object (p, "applicant");
  JsonArray *items = pt_json_get_array (p, "items");

  state->id = g_strdup (event->case_id);
  state->number = dup_payload_string (p, "number");
  state->status = PT_STATUS_ACCEPTED;
  state->unit = dup_payload_string (p, "unit");
  state->level = level_of (p, PT_LEVEL_VILLAGE);
  state->channel = dup_payload_string (p, "channel");
  state->intake_date = g_strdup (date);
  state->intake_author = g_strdup (event->author);
  state->applicant_kind = dup_payload_string (a, "kind");
  state->applicant_name = dup_payload_string (a, "name");
  state->id_number = dup_payload_string (a, "id_number");
  state->uscc = dup_payload_string (a, "uscc");
  state->uscc_override = dup_payload_string (a, "uscc_override");
  state->legal_representative = dup_payload_string (a, "legal_representative");
  state->phone = dup_payload_string (a, "phone");
  state->address = dup_payload_string (a, "address");
  state->vulnerable = g_strdup (pt_json_get_string (a, "vulnerable") ?: "none");
  for (guint i = 0; i < json_array_get_length (items); i++)
    g_ptr_array_add (state->items, g_strdup (json_array_get_string_element (items, i)));
}

static void
apply_plan (PtCaseState   *state,
            const PtEvent *event)
{
  JsonArray *steps = pt_json_get_array (event->payload, "steps");

  g_ptr_array_set_size (state->steps, 0);
  for (guint i = 0; i < json_array_get_length (steps); i++)
    {
      JsonObject *s = json_array_get_object_element (steps, i);
      PtStep *step = pt_step_new ();

      step->id = dup_payload_string (s, "id");
      step->item = dup_payload_string (s, "item");
      step->department = dup_payload_string (s, "department");
      step->level = level_of (s, state->level);
      if (!pt_step_mode_from_string (pt_json_get_string (s, "mode"), &step->mode))
        step->mode = PT_MODE_SINGLE;
      step->planned_start = dup_payload_string (s, "planned_start");
      step->planned_end = dup_payload_string (s, "planned_end");
      step->limit_days = (guint) pt_json_get_int (s, "limit_days", 20);
      step->status = PT_STEP_PLANNED;
      g_ptr_array_add (state->steps, step);
    }
  state->status = PT_STATUS_PLANNED;
}

/* Ends a step's open pause: the working days it lasted push its due date
 * back (行政许可法 Art. 45). */
static void
close_pause (PtStep     *step,
             const char *date,
             PtCalendar *calendar)
{
  PtPause *pause = g_ptr_array_index (step->pauses, step->pauses->len - 1);
  int days = calendar ? pt_calendar_working_days_between (calendar, pause->from, date, NULL) : 0;

  replace (&pause->to, date);
  pause->working_days = days > 0 ? (guint) days : 0;
  step->paused_days += pause->working_days;
}

/* A suspension (中止) stops the clocks of the steps under review and a
 * resumption (续办) starts them again; a step returned for correction keeps
 * the pause it already has. */
static void
pause_running_steps (PtCaseState *state,
                     const char  *date,
                     const char  *reason,
                     gboolean     resume,
                     PtCalendar  *calendar)
{
  for (guint i = 0; i < state->steps->len; i++)
    {
      PtStep *step = g_ptr_array_index (state->steps, i);

      if (step->status != PT_STEP_SUBMITTED)
        continue;
      if (!resume && !step_is_paused (step))
        {
          g_autofree char *why = g_strdup_printf ("中止：%s", reason);
          g_ptr_array_add (step->pauses, pt_pause_new (date, why));
        }
      else if (resume && step_is_paused (step))
        close_pause (step, date, calendar);
      update_step_due (step, calendar);
    }
}

static void
apply_step (PtCaseState   *state,
            const PtEvent *event,
            const char    *date,
            PtCalendar    *calendar)
{
  JsonObject *p = event->payload;
  PtStep *step = pt_case_state_find_step (state, pt_json_get_string (p, "step"));

  g_assert (step != NULL);
  switch (event->type)
    {
    case PT_EVENT_STEP_SUBMITTED:
      step->status = PT_STEP_SUBMITTED;
      replace (&step->submitted_on, date);
      state->status = PT_STATUS_IN_PROGRESS;
      break;
    case PT_EVENT_STEP_RETURNED:
      step->status = PT_STEP_RETURNED;
      replace (&step->reason, pt_json_get_string (p, "reason"));
      g_ptr_array_add (step->pauses, pt_pause_new (date, pt_json_get_string (p, "reason")));
      break;
    case PT_EVENT_STEP_RESUMED:
      close_pause (step, date, calendar);
      step->status = PT_STEP_SUBMITTED;
      break;
    case PT_EVENT_STEP_APPROVED:
      step->status = PT_STEP_APPROVED;
      replace (&step->decided_on, date);
      replace (&step->document, pt_json_get_string (p, "document"));
      break;
    case PT_EVENT_STEP_REJECTED:
      step->status = PT_STEP_REJECTED;
      replace (&step->decided_on, date);
      replace (&step->reason, pt_json_get_string (p, "reason"));
      break;
    default:
      g_assert_not_reached ();
    }
  update_step_due (step, calendar);
}

static void
apply_delivered (PtCaseState   *state,
                 const PtEvent *event,
                 const char    *date)
{
  JsonObject *p = event->payload;
  JsonArray *certificates = pt_json_get_array (p, "certificates");

  state->status = PT_STATUS_DELIVERED;
  replace (&state->delivered_on, date);
  replace (&state->delivery_method, pt_json_get_string (p, "method"));
  replace (&state->tracking_number, pt_json_get_string (p, "tracking_number"));
  state->originals_returned = pt_json_get_bool (p, "originals_returned", FALSE);
  g_ptr_array_set_size (state->certificates, 0);
  for (guint i = 0; certificates != NULL && i < json_array_get_length (certificates); i++)
    {
      JsonObject *c = json_array_get_object_element (certificates, i);
      g_ptr_array_add (state->certificates,
                       pt_certificate_new (pt_json_get_string (c, "name"),
                                           pt_json_get_string (c, "number"),
                                           (guint) pt_json_get_int (c, "copies", 1)));
    }
  /* A delivery applied over a termination (conflict resolved) replaces it. */
  g_clear_pointer (&state->terminated_on, g_free);
  g_clear_pointer (&state->termination_code, g_free);
  g_clear_pointer (&state->termination_reason, g_free);
  g_ptr_array_set_size (state->returned_materials, 0);
}

static void
apply_terminated (PtCaseState   *state,
                  const PtEvent *event,
                  const char    *date)
{
  JsonObject *p = event->payload;

  state->status = PT_STATUS_TERMINATED;
  replace (&state->terminated_on, date);
  replace (&state->termination_code, pt_json_get_string (p, "reason_code"));
  replace (&state->termination_reason, pt_json_get_string (p, "reason"));
  replace_materials (state->returned_materials, pt_json_get_array (p, "materials_returned"));
  g_clear_pointer (&state->delivered_on, g_free);
  g_clear_pointer (&state->delivery_method, g_free);
  g_clear_pointer (&state->tracking_number, g_free);
  state->originals_returned = FALSE;
  g_ptr_array_set_size (state->certificates, 0);
}

static void
apply (PtCaseState   *state,
       const PtEvent *event,
       const char    *date,
       PtCalendar    *calendar,
       GHashTable    *by_id)
{
  JsonObject *p = event->payload;

  switch (event->type)
    {
    case PT_EVENT_INTAKE:
      apply_intake (state, event, date);
      break;
    case PT_EVENT_MATERIALS_CHECKED:
      replace_materials (state->materials, pt_json_get_array (p, "materials"));
      break;
    case PT_EVENT_MISSING_NOTICE:
      {
        JsonArray *names = pt_json_get_array (p, "materials");
        g_ptr_array_set_size (state->notice_materials, 0);
        for (guint i = 0; i < json_array_get_length (names); i++)
          g_ptr_array_add (state->notice_materials, g_strdup (json_array_get_string_element (names, i)));
        replace (&state->notice_date, date);
        break;
      }
    case PT_EVENT_AGREEMENT_SIGNED:
      replace (&state->agreement_digest, pt_json_get_string (p, "digest"));
      replace (&state->agreement_date, date);
      state->status = PT_STATUS_AGREED;
      break;
    case PT_EVENT_RUNNER_ASSIGNED:
      replace (&state->runner, pt_json_get_string (p, "runner"));
      if (state->status == PT_STATUS_AGREED)
        state->status = PT_STATUS_ASSIGNED;
      break;
    case PT_EVENT_PLAN_SET:
      apply_plan (state, event);
      break;
    case PT_EVENT_STEP_SUBMITTED:
    case PT_EVENT_STEP_RETURNED:
    case PT_EVENT_STEP_RESUMED:
    case PT_EVENT_STEP_APPROVED:
    case PT_EVENT_STEP_REJECTED:
      apply_step (state, event, date, calendar);
      break;
    case PT_EVENT_FEEDBACK_GIVEN:
      state->feedback_count++;
      replace (&state->last_feedback, pt_json_get_string (p, "text"));
      break;
    case PT_EVENT_CASE_SUSPENDED:
      state->status_before_suspension = state->status;
      state->status = PT_STATUS_SUSPENDED;
      replace (&state->suspension_reason, pt_json_get_string (p, "reason"));
      pause_running_steps (state, date, state->suspension_reason, FALSE, calendar);
      break;
    case PT_EVENT_CASE_RESUMED:
      state->status = state->status_before_suspension;
      g_clear_pointer (&state->suspension_reason, g_free);
      pause_running_steps (state, date, NULL, TRUE, calendar);
      break;
    case PT_EVENT_CASE_TRANSFERRED:
      g_ptr_array_add (state->transfers, g_strdup (state->unit));
      replace (&state->unit, pt_json_get_string (p, "to_unit"));
      state->level = level_of (p, state->level);
      break;
    case PT_EVENT_FEE_RECORDED:
      g_ptr_array_add (state->fees, pt_fee_new (pt_json_get_string (p, "name"),
                                                pt_json_get_int (p, "amount_fen", 0),
                                                pt_json_get_string (p, "basis")));
      break;
    case PT_EVENT_DELIVERED:
      apply_delivered (state, event, date);
      break;
    case PT_EVENT_TERMINATED:
      apply_terminated (state, event, date);
      break;
    case PT_EVENT_RATED:
      state->rating = (int) pt_json_get_int (p, "grade", 0);
      break;
    case PT_EVENT_RETURN_VISIT:
      state->return_visits++;
      break;
    case PT_EVENT_NOTE:
      g_ptr_array_add (state->notes, g_strdup (pt_json_get_string (p, "text")));
      break;
    case PT_EVENT_CONFLICT_RESOLVED:
      {
        const char *id = pt_json_get_string (p, "event");
        PtEvent *conflicting = g_hash_table_lookup (by_id, id);

        for (guint i = 0; i < state->conflicts->len; i++)
          if (g_strcmp0 (((PtConflict *) g_ptr_array_index (state->conflicts, i))->event_id, id) == 0)
            g_ptr_array_remove_index (state->conflicts, i--);
        if (g_strcmp0 (pt_json_get_string (p, "decision"), "apply") == 0 && conflicting != NULL)
          {
            g_autofree char *then = pt_event_local_date (conflicting);
            if (conflicting->type == PT_EVENT_DELIVERED)
              apply_delivered (state, conflicting, then);
            else if (conflicting->type == PT_EVENT_TERMINATED)
              apply_terminated (state, conflicting, then);
            else if ((conflicting->type == PT_EVENT_STEP_APPROVED || conflicting->type == PT_EVENT_STEP_REJECTED)
                     && pt_case_state_find_step (state, pt_json_get_string (conflicting->payload, "step")) != NULL)
              apply_step (state, conflicting, then, calendar);
          }
        break;
      }
    default:
      g_assert_not_reached ();
    }
  update_case_due (state);
}

static int
compare_events (gconstpointer a,
                gconstpointer b)
{
  return pt_event_compare (*(PtEvent * const *) a, *(PtEvent * const *) b);
}

struct _PtFolder {
  PtCaseState *state;
  PtCalendar  *calendar;
  GHashTable  *by_id;     /* event id -> PtEvent, borrowed */
  PtEvent     *last;      /* borrowed */
};

PtFolder *
pt_folder_new (PtCalendar *calendar)
{
  PtFolder *folder = g_new0 (PtFolder, 1);

  folder->state = pt_case_state_new ();
  folder->calendar = calendar;
  folder->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  return folder;
}

void
pt_folder_free (PtFolder *folder)
{
  if (folder == NULL)
    return;
  pt_case_state_free (folder->state);
  g_hash_table_unref (folder->by_id);
  g_free (folder);
}

const PtCaseState *
pt_folder_get_state (PtFolder *folder)
{
  return folder->state;
}

PtCaseState *
pt_folder_steal_state (PtFolder *folder)
{
  PtCaseState *state = folder->state;

  folder->state = pt_case_state_new ();
  return state;
}

gboolean
pt_folder_can_append (PtFolder      *folder,
                      const PtEvent *event)
{
  return folder->last == NULL || pt_event_compare (folder->last, event) < 0;
}

/* Folds one more event, which must sort after every event folded so far
 * (pt_folder_can_append). With @strict an event that does not fit is
 * refused with @error and leaves the state as it was; without, it becomes a
 * conflict, never dropped. @event must outlive the folder. */
gboolean
pt_folder_add (PtFolder  *folder,
               PtEvent   *event,
               gboolean   strict,
               GError   **error)
{
  PtCaseState *state = folder->state;
  g_autoptr(GError) local_error = NULL;
  char *date;

  g_return_val_if_fail (pt_folder_can_append (folder, event), FALSE);

  if (g_hash_table_contains (folder->by_id, event->id))
    return TRUE;   /* the same event twice counts once */

  date = pt_event_local_date (event);
  if (pt_workflow_check (state, event, &local_error))
    apply (state, event, date, folder->calendar, folder->by_id);
  else if (strict)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      g_free (date);
      return FALSE;
    }
  else
    g_ptr_array_add (state->conflicts,
                     pt_conflict_new (event->id, pt_event_type_to_string (event->type),
                                      local_error->message));

  g_hash_table_insert (folder->by_id, event->id, event);
  folder->last = event;
  state->n_events++;
  replace (&state->last_event_id, event->id);
  g_free (state->updated_on);
  state->updated_on = date;
  return TRUE;
}

/* A pure function of the event set: sorting first makes the result the same
 * whatever order the events arrived in. */
PtCaseState *
pt_fold (GPtrArray  *events,
         PtCalendar *calendar)
{
  PtFolder *folder = pt_folder_new (calendar);
  PtCaseState *state;

  g_ptr_array_sort (events, compare_events);
  for (guint i = 0; i < events->len; i++)
    {
      PtEvent *event = g_ptr_array_index (events, i);
      if (pt_folder_can_append (folder, event))
        pt_folder_add (folder, event, FALSE, NULL);
    }
  state = pt_folder_steal_state (folder);
  pt_folder_free (folder);
  return state;
}
