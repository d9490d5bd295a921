/* pt-fold.c: the workflow rules and the fold of a case's events. */
#define G_LOG_DOMAIN "paotuan-core"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pt-calendar.h"
#include "pt-error.h"
#include "pt-fold.h"
#include "pt-mail.h"
#include "pt-json.h"

/* The workflow's messages are translated for a person (pt_workflow_check ()),
 * but not when the fold keeps one as a conflict's reason: the state must be
 * the same bytes whatever the language of the desk that folded it. The
 * msgids are marked N_() where they are written, and translated here. */
#define T(translate, msgid) ((translate) ? _(msgid) : (msgid))

static gboolean
refuse (gboolean    translate,
        GError    **error,
        PtError     code,
        const char *format,
        ...) G_GNUC_PRINTF (4, 5);

static gboolean
refuse (gboolean    translate,
        GError    **error,
        PtError     code,
        const char *format,
        ...)
{
  va_list args;
  char *message;

  if (error == NULL)
    return FALSE;
  va_start (args, format);
  message = g_strdup_vprintf (T (translate, format), args);
  va_end (args);
  /* Messages may start with a member's phrase ("step 2's ..."). */
  if (g_ascii_islower (message[0]))
    message[0] = g_ascii_toupper (message[0]);
  g_set_error_literal (error, PT_ERROR, code, message);
  g_free (message);
  return FALSE;
}

#define forbid(translate, error, ...) refuse (translate, error, PT_ERROR_FORBIDDEN, __VA_ARGS__)

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

/* What a clerk calls a step: "step 2 (区住房和城乡建设局)". */
static char *
step_phrase (const PtCaseState *state,
             const PtStep      *step,
             gboolean           translate)
{
  return g_strdup_printf (T (translate, N_("step %u (%s)")),
                          pt_case_state_step_number (state, step->id), step->department);
}

static const char *
step_status_text (PtStepStatus status,
                  gboolean     translate)
{
  return translate ? pt_step_status_name (status) : pt_step_status_to_string (status);
}

static gboolean
check_step (const PtCaseState *state,
            PtEventType        type,
            const char        *step_id,
            gboolean           translate,
            GError           **error)
{
  g_autofree char *phrase = NULL;
  PtStep *step;
  PtStepStatus needed = type == PT_EVENT_STEP_SUBMITTED ? PT_STEP_PLANNED
                        : type == PT_EVENT_STEP_RESUMED ? PT_STEP_RETURNED
                        : PT_STEP_SUBMITTED;

  if (state->status == PT_STATUS_SUSPENDED)
    return forbid (translate, error, N_("The case is suspended: resume it before recording a step."));
  if (state->status != PT_STATUS_PLANNED && state->status != PT_STATUS_IN_PROGRESS)
    return forbid (translate, error, N_("The case has no handling plan yet: set the plan before recording its steps."));
  step = pt_case_state_find_step (state, step_id);
  if (step == NULL)
    return forbid (translate, error, N_("The handling plan has no step “%s”."), step_id);
  if (step->status == needed)
    return TRUE;
  phrase = step_phrase (state, step, translate);
  if (type == PT_EVENT_STEP_SUBMITTED)
    return forbid (translate, error, N_("%s was already submitted to the department (it is now: %s)."),
                   phrase, step_status_text (step->status, translate));
  if (type == PT_EVENT_STEP_RESUMED)
    return forbid (translate, error, N_("%s was not returned for correction, so it cannot be resubmitted (it is now: %s)."),
                   phrase, step_status_text (step->status, translate));
  return forbid (translate, error, N_("%s is not under review by the department (it is now: %s): "
                                      "submit it first, or resubmit it after the correction."),
                 phrase, step_status_text (step->status, translate));
}

static gboolean
state_has_item (const PtCaseState *state,
                const char        *code)
{
  for (guint i = 0; i < state->items->len; i++)
    if (g_strcmp0 (g_ptr_array_index (state->items, i), code) == 0)
      return TRUE;
  return FALSE;
}

/* A delivery names, for each certificate, the approved step it is for
 * (events before this did not): each named step is an approved one, and
 * once any certificate names a step, every approved step has one. */
static gboolean
check_certificates (const PtCaseState *state,
                    JsonArray         *certificates,
                    gboolean           translate,
                    GError           **error)
{
  gboolean any_step = FALSE;

  for (guint i = 0; certificates != NULL && i < json_array_get_length (certificates); i++)
    {
      const char *step_id = pt_json_get_string (json_array_get_object_element (certificates, i), "step");
      PtStep *step = step_id ? pt_case_state_find_step (state, step_id) : NULL;

      if (step_id == NULL)
        continue;
      any_step = TRUE;
      if (step == NULL || step->status != PT_STEP_APPROVED)
        return forbid (translate, error, N_("Certificate %u is for step “%s”, which is not an approved step of this case: "
                                            "list the certificates of the approved steps only."),
                       i + 1, step_id);
    }
  if (!any_step)
    return TRUE;
  for (guint s = 0; s < state->steps->len; s++)
    {
      PtStep *step = g_ptr_array_index (state->steps, s);
      gboolean named = FALSE;

      if (step->status != PT_STEP_APPROVED)
        continue;
      for (guint i = 0; i < json_array_get_length (certificates) && !named; i++)
        named = g_strcmp0 (pt_json_get_string (json_array_get_object_element (certificates, i), "step"),
                           step->id) == 0;
      if (!named)
        {
          g_autofree char *phrase = step_phrase (state, step, translate);
          return forbid (translate, error, N_("%s was approved, but no certificate is listed for it: "
                                              "one delivery hands over what every approved step issued, "
                                              "so add its certificate or approval document."),
                         phrase);
        }
    }
  return TRUE;
}

static gboolean
check_event (const PtCaseState  *state,
             const PtEvent      *event,
             gboolean            translate,
             GError            **error)
{
  PtEventType type = event->type;
  JsonObject *payload = event->payload;

  if (state->id == NULL)
    return type == PT_EVENT_INTAKE
           || forbid (translate, error, N_("The case has no intake: its first record must be the intake."));
  if (type == PT_EVENT_INTAKE)
    return forbid (translate, error, N_("The case already has its intake."));

  switch (type)
    {
    case PT_EVENT_NOTE:
    case PT_EVENT_FEEDBACK_GIVEN:
    case PT_EVENT_DOCUMENT_PRINTED:   /* a reprint is recorded whenever it happens */
      return TRUE;
    case PT_EVENT_CONFLICT_RESOLVED:
      {
        const char *id = pt_json_get_string (payload, "event");
        if (!has_conflict (state, id))
          return forbid (translate, error, N_("The case has no open conflict for the record %s."), id);
        return TRUE;
      }
    case PT_EVENT_RATED:
    case PT_EVENT_RETURN_VISIT:
      if (!pt_case_state_is_ended (state))
        return forbid (translate, error, N_("Ratings and return visits come after the case is delivered or terminated."));
      return TRUE;
    default:
      break;
    }

  if (state->status == PT_STATUS_DELIVERED)
    return forbid (translate, error, N_("The case is already delivered: nothing more can be recorded on it."));
  if (state->status == PT_STATUS_TERMINATED)
    return forbid (translate, error, N_("The case is already terminated: nothing more can be recorded on it."));

  if (is_step_event (type))
    return check_step (state, type, pt_json_get_string (payload, "step"), translate, error);

  switch (type)
    {
    case PT_EVENT_MATERIALS_CHECKED:
    case PT_EVENT_TERMINATED:
      return TRUE;

    case PT_EVENT_FEE_RECORDED:
      {
        const char *item = pt_json_get_string (payload, "item");
        if (item != NULL && !state_has_item (state, item))
          return forbid (translate, error, N_("“%s” is not an item of this case: a fee is recorded for one of the case's items."),
                         item);
        return TRUE;
      }

    case PT_EVENT_MISSING_NOTICE:
      if (pt_case_state_has_missing (state))
        return TRUE;
      return forbid (translate, error, N_("No material is marked missing: record the checklist first."));

    case PT_EVENT_MATERIAL_RECEIVED:
      {
        JsonArray *materials = pt_json_get_array (payload, "materials");

        if (!pt_case_state_has_missing (state))
          return forbid (translate, error, N_("No material of this case is missing: there is nothing to receive."));
        for (guint i = 0; materials != NULL && i < json_array_get_length (materials); i++)
          {
            const char *name = pt_json_get_string (json_array_get_object_element (materials, i), "name");
            PtMaterial *material = pt_case_state_find_material (state, name);

            if (material == NULL)
              return forbid (translate, error, N_("“%s” is not on the case's checklist: "
                                                  "only a material marked missing can be received later."),
                             name);
            if (!material->missing)
              return forbid (translate, error, N_("“%s” is not missing: it was already received."), name);
          }
        return TRUE;
      }

    case PT_EVENT_AGREEMENT_SIGNED:
      if (state->status != PT_STATUS_ACCEPTED)
        return forbid (translate, error, N_("The commission agreement is already signed."));
      return TRUE;

    case PT_EVENT_RUNNER_ASSIGNED:
      if (state->status == PT_STATUS_ACCEPTED)
        return forbid (translate, error, N_("Sign the commission agreement before assigning a runner."));
      return TRUE;

    case PT_EVENT_PLAN_SET:
      if (state->status == PT_STATUS_ACCEPTED || state->status == PT_STATUS_AGREED)
        return forbid (translate, error, N_("Assign a runner before setting the handling plan."));
      if (state->status != PT_STATUS_ASSIGNED && state->status != PT_STATUS_PLANNED)
        return forbid (translate, error, N_("A step was already submitted: the handling plan can no longer be replaced."));
      return TRUE;

    case PT_EVENT_CASE_SUSPENDED:
      if (state->status == PT_STATUS_SUSPENDED)
        return forbid (translate, error, N_("The case is already suspended."));
      return TRUE;

    case PT_EVENT_CASE_RESUMED:
      if (state->status != PT_STATUS_SUSPENDED)
        return forbid (translate, error, N_("The case is not suspended, so it cannot be resumed."));
      return TRUE;

    case PT_EVENT_CASE_TRANSFERRED:
      if (g_strcmp0 (pt_json_get_string (payload, "to_unit"), state->unit) == 0)
        return forbid (translate, error, N_("The case is already with %s."), state->unit);
      return TRUE;

    case PT_EVENT_DELIVERED:
      {
        guint approved = 0;
        if (state->status != PT_STATUS_IN_PROGRESS)
          return forbid (translate, error, N_("A delivery needs the plan's steps submitted and decided first."));
        for (guint i = 0; i < state->steps->len; i++)
          {
            PtStep *step = g_ptr_array_index (state->steps, i);
            if (step->status == PT_STEP_APPROVED)
              approved++;
            else if (step->status != PT_STEP_REJECTED)
              {
                g_autofree char *phrase = step_phrase (state, step, translate);
                return forbid (translate, error, N_("%s is not decided yet: deliver once every step is approved or rejected."),
                               phrase);
              }
          }
        if (approved == 0)
          return forbid (translate, error, N_("No step was approved, so there is nothing to deliver: terminate the commission instead."));
        return check_certificates (state, pt_json_get_array (payload, "certificates"), translate, error);
      }
    default:
      g_assert_not_reached ();
    }
}

/* Whether @event fits @state; the error says why not and what to do. */
gboolean
pt_workflow_check (const PtCaseState  *state,
                   const PtEvent      *event,
                   GError            **error)
{
  return check_event (state, event, TRUE, error);
}

/* ---- the rules of an event made now ------------------------------------ */

static gboolean
date_refused (GError    **error,
              const char *format,
              ...) G_GNUC_PRINTF (2, 3);

static gboolean
date_refused (GError    **error,
              const char *format,
              ...)
{
  va_list args;
  char *message;

  if (error == NULL)
    return FALSE;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (g_ascii_islower (message[0]))
    message[0] = g_ascii_toupper (message[0]);
  g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID, message);
  g_free (message);
  return FALSE;
}

/* A business date: not after @today, not before the intake. */
static gboolean
check_business_date (const PtCaseState *state,
                     const char        *label,
                     const char        *date,
                     const char        *today,
                     GError           **error)
{
  if (date == NULL)
    return TRUE;
  if (today != NULL && strcmp (date, today) > 0)
    return date_refused (error, _("%s %s is later than today (%s): record what has happened, with the day it happened."),
                         label, date, today);
  if (state->intake_date != NULL && strcmp (date, state->intake_date) < 0)
    return date_refused (error, _("%s %s is before the case was taken in (%s): check the date."),
                         label, date, state->intake_date);
  return TRUE;
}

/* A step's record comes after what it answers: a decision or a return
 * after the submission, a resubmission after the return. */
static gboolean
check_step_date (const PtCaseState *state,
                 const PtEvent     *event,
                 const char        *label,
                 const char        *date,
                 GError           **error)
{
  PtStep *step = pt_case_state_find_step (state, pt_json_get_string (event->payload, "step"));
  g_autofree char *phrase = NULL;

  if (step == NULL || date == NULL)
    return TRUE;
  phrase = step_phrase (state, step, TRUE);
  if (event->type == PT_EVENT_STEP_RESUMED && step->pauses->len > 0)
    {
      PtPause *pause = g_ptr_array_index (step->pauses, step->pauses->len - 1);
      if (pause->to == NULL && strcmp (date, pause->from) < 0)
        return date_refused (error, _("%s %s is before %s was returned for correction (%s): check the date."),
                             label, date, phrase, pause->from);
    }
  else if (event->type != PT_EVENT_STEP_SUBMITTED && step->submitted_on != NULL
           && strcmp (date, step->submitted_on) < 0)
    return date_refused (error, _("%s %s is before %s was submitted (%s): check the date."),
                         label, date, phrase, step->submitted_on);
  return TRUE;
}

static gboolean
check_plan_dates (const PtCaseState *state,
                  JsonArray         *steps,
                  GError           **error)
{
  for (guint i = 0; steps != NULL && i < json_array_get_length (steps); i++)
    {
      JsonObject *step = json_array_get_object_element (steps, i);
      const char *start = pt_json_get_string (step, "planned_start");
      const char *end = pt_json_get_string (step, "planned_end");
      g_autofree char *entry = g_strdup_printf (_("step %u"), i + 1);
      g_autofree char *start_label = g_strdup_printf (_("%s's %s"), entry, _("planned start date"));
      g_autofree char *end_label = g_strdup_printf (_("%s's %s"), entry, _("planned end date"));

      if (start != NULL && state->intake_date != NULL && strcmp (start, state->intake_date) < 0)
        return date_refused (error, _("%s %s is before the case was taken in (%s): check the date."),
                             start_label, start, state->intake_date);
      if (end != NULL && state->intake_date != NULL && strcmp (end, state->intake_date) < 0)
        return date_refused (error, _("%s %s is before the case was taken in (%s): check the date."),
                             end_label, end, state->intake_date);
      if (start != NULL && end != NULL && strcmp (end, start) < 0)
        return date_refused (error, _("%s %s is before its planned start date %s: check the dates."),
                             end_label, end, start);
    }
  return TRUE;
}

gboolean
pt_workflow_check_new (const PtCaseState  *state,
                       const PtEvent      *event,
                       const char         *today,
                       GError            **error)
{
  JsonObject *payload = event->payload;
  const char *date = pt_json_get_string (payload, "date");
  const char *label = pt_event_field_label (event->type, "date");

  if (!check_business_date (state, label, date, today, error))
    return FALSE;
  if (is_step_event (event->type) && !check_step_date (state, event, label, date, error))
    return FALSE;

  switch (event->type)
    {
    case PT_EVENT_PLAN_SET:
      return check_plan_dates (state, pt_json_get_array (payload, "steps"), error);

    case PT_EVENT_MISSING_NOTICE:
      {
        const char *deadline = pt_json_get_string (payload, "deadline");
        g_autofree char *notice_date = date ? g_strdup (date) : pt_event_local_date (event);
        if (deadline != NULL && strcmp (deadline, notice_date) < 0)
          return date_refused (error, _("%s %s is before the notice date (%s): give the applicant time to bring them."),
                               pt_event_field_label (event->type, "deadline"), deadline, notice_date);
        return TRUE;
      }

    case PT_EVENT_FEE_RECORDED:
      if (pt_json_get_string (payload, "item") == NULL)
        return date_refused (error, _("A fee names the item of the case it is for (“item”): "
                                      "only the fees the catalog lists for the case's items can be recorded."));
      return TRUE;

    case PT_EVENT_DELIVERED:
      {
        JsonArray *certificates = pt_json_get_array (payload, "certificates");
        /* Mail names its courier and address, and a number that checks out
         * (earlier events, recorded before, may lack them). */
        if (g_strcmp0 (pt_json_get_string (payload, "method"), "mail") == 0)
          {
            const char *address = pt_json_get_string (payload, "mail_address");

            if (!pt_tracking_check (pt_json_get_string (payload, "courier"),
                                    pt_json_get_string (payload, "tracking_number"), error))
              return FALSE;
            if (address == NULL || address[strspn (address, " \t")] == '\0')
              return date_refused (error, _("A delivery by mail needs the address it is sent to."));
          }
        for (guint i = 0; certificates != NULL && i < json_array_get_length (certificates); i++)
          {
            JsonObject *certificate = json_array_get_object_element (certificates, i);
            if (pt_json_get_string (certificate, "step") == NULL)
              return date_refused (error, _("Certificate %u (%s) names no step: say which approved step issued it."),
                                   i + 1, pt_json_get_string (certificate, "name"));
          }
        /* A delivery without certificates, when a step was approved. */
        if (certificates == NULL || json_array_get_length (certificates) == 0)
          for (guint s = 0; s < state->steps->len; s++)
            {
              PtStep *step = g_ptr_array_index (state->steps, s);
              if (step->status == PT_STEP_APPROVED)
                {
                  g_autofree char *phrase = step_phrase (state, step, TRUE);
                  return forbid (TRUE, error, N_("%s was approved, but no certificate is listed for it: "
                                                 "one delivery hands over what every approved step issued, "
                                                 "so add its certificate or approval document."),
                                 phrase);
                }
            }
        return TRUE;
      }

    default:
      return TRUE;
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
          if (check_event (state, probe, FALSE, NULL))
            return TRUE;
        }
      return FALSE;
    }
  else
    {
      g_autoptr(PtEvent) probe = probe_event (type, NULL);
      return check_event (state, probe, FALSE, NULL);
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
      /* Reviewing the materials is part of the intake (the seed's
       * flowchart): with some missing, the applicant is told all of them
       * at once, and the case waits for them before the agreement. */
      if (pt_case_state_has_missing (state))
        return state->notice_date == NULL ? PT_EVENT_MISSING_NOTICE : PT_EVENT_MATERIAL_RECEIVED;
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

/* A step's due date, and whether it (or a pause it was pushed back by) was
 * counted through a year without a holiday table. A step whose clock
 * stopped with the case keeps the due date it had. */
static void
update_step_due (PtStep     *step,
                 PtCalendar *calendar)
{
  gboolean provisional = FALSE;

  if (step->stopped_on != NULL)
    return;
  g_clear_pointer (&step->due, g_free);
  step->provisional = FALSE;
  for (guint i = 0; i < step->pauses->len; i++)
    step->provisional |= ((PtPause *) g_ptr_array_index (step->pauses, i))->provisional;
  if (calendar == NULL || step->submitted_on == NULL || step_is_paused (step))
    return;
  step->due = pt_calendar_add_working_days_full (calendar, step->submitted_on,
                                                 step->limit_days + step->paused_days, &provisional, NULL);
  step->provisional |= provisional;
}

/* The case's due date is the latest of its running steps'; none once the
 * case has ended, whose clocks all stopped. */
static void
update_case_due (PtCaseState *state)
{
  g_clear_pointer (&state->due, g_free);
  state->due_provisional = FALSE;
  if (pt_case_state_is_ended (state))
    return;
  for (guint i = 0; i < state->steps->len; i++)
    {
      PtStep *step = g_ptr_array_index (state->steps, i);
      if (step->status != PT_STEP_SUBMITTED || step->due == NULL)
        continue;
      if (state->due == NULL || strcmp (step->due, state->due) > 0)
        {
          replace (&state->due, step->due);
          state->due_provisional = step->provisional;
        }
      else if (strcmp (step->due, state->due) == 0)
        state->due_provisional |= step->provisional;
    }
}

/* The case ended: the clock of each step still under review, or paused,
 * stops that day, so that nothing of an ended case is ever overdue. */
static void
stop_clocks (PtCaseState *state,
             const char  *date)
{
  for (guint i = 0; i < state->steps->len; i++)
    {
      PtStep *step = g_ptr_array_index (state->steps, i);
      if ((step->status == PT_STEP_SUBMITTED || step->status == PT_STEP_RETURNED) && step->stopped_on == NULL)
        step->stopped_on = g_strdup (date);
    }
}

/* The one-time notice is closed once nothing it asked for is missing. */
static void
close_notice (PtCaseState *state,
              const char  *date)
{
  if (state->notice_date != NULL && state->notice_closed_on == NULL && !pt_case_state_has_missing (state))
    state->notice_closed_on = g_strdup (date);
}

/* Materials that arrived after the intake: marked received, with the form
 * and the copies handed in, and the day. */
static void
apply_received (PtCaseState *state,
                JsonObject  *payload,
                const char  *date)
{
  JsonArray *materials = pt_json_get_array (payload, "materials");

  for (guint i = 0; materials != NULL && i < json_array_get_length (materials); i++)
    {
      JsonObject *m = json_array_get_object_element (materials, i);
      PtMaterial *material = pt_case_state_find_material (state, pt_json_get_string (m, "name"));

      if (material == NULL)
        continue;
      material->missing = FALSE;
      material->original = g_strcmp0 (pt_json_get_string (m, "form"), "original") == 0;
      material->count = (guint) pt_json_get_int (m, "count", 1);
      replace (&material->received_on, date);
    }
  close_notice (state, date);
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
  int days = calendar ? pt_calendar_working_days_between_full (calendar, pause->from, date,
                                                               &pause->provisional, NULL) : 0;

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
  replace (&state->courier, pt_json_get_string (p, "courier"));
  replace (&state->mail_address, pt_json_get_string (p, "mail_address"));
  state->originals_returned = pt_json_get_bool (p, "originals_returned", FALSE);
  g_ptr_array_set_size (state->certificates, 0);
  for (guint i = 0; certificates != NULL && i < json_array_get_length (certificates); i++)
    {
      JsonObject *c = json_array_get_object_element (certificates, i);
      g_ptr_array_add (state->certificates,
                       pt_certificate_new (pt_json_get_string (c, "name"),
                                           pt_json_get_string (c, "number"),
                                           (guint) pt_json_get_int (c, "copies", 1),
                                           pt_json_get_string (c, "step")));
    }
  stop_clocks (state, date);
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
  stop_clocks (state, date);
  g_clear_pointer (&state->delivered_on, g_free);
  g_clear_pointer (&state->delivery_method, g_free);
  g_clear_pointer (&state->tracking_number, g_free);
  g_clear_pointer (&state->courier, g_free);
  g_clear_pointer (&state->mail_address, g_free);
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
      close_notice (state, date);
      break;
    case PT_EVENT_MISSING_NOTICE:
      {
        JsonArray *names = pt_json_get_array (p, "materials");
        g_ptr_array_set_size (state->notice_materials, 0);
        for (guint i = 0; i < json_array_get_length (names); i++)
          g_ptr_array_add (state->notice_materials, g_strdup (json_array_get_string_element (names, i)));
        replace (&state->notice_date, date);
        g_clear_pointer (&state->notice_closed_on, g_free);
        break;
      }
    case PT_EVENT_MATERIAL_RECEIVED:
      apply_received (state, p, date);
      break;
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
                                                pt_json_get_string (p, "basis"),
                                                pt_json_get_string (p, "item")));
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
    case PT_EVENT_DOCUMENT_PRINTED:
      /* The print log: on the timeline, nothing of the state changes. */
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
  if (check_event (state, event, strict, &local_error))
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

/* ---- conflicts ----------------------------------------------------------- */

char *
pt_conflict_explain (GPtrArray  *events,
                     const char *event_id,
                     PtCalendar *calendar)
{
  g_autoptr(PtFolder) folder = pt_folder_new (calendar);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < events->len; i++)
    {
      PtEvent *event = g_ptr_array_index (events, i);

      if (g_strcmp0 (event->id, event_id) == 0)
        return check_event (pt_folder_get_state (folder), event, TRUE, &error) ? NULL
                                                                               : g_strdup (error->message);
      if (pt_folder_can_append (folder, event))
        pt_folder_add (folder, event, FALSE, NULL);
    }
  return NULL;
}

static gboolean
is_step_decision (PtEventType type)
{
  return type == PT_EVENT_STEP_APPROVED || type == PT_EVENT_STEP_REJECTED;
}

gboolean
pt_conflict_is_applicable (PtEventType type)
{
  return type == PT_EVENT_DELIVERED || type == PT_EVENT_TERMINATED || is_step_decision (type);
}

gboolean
pt_conflict_can_apply (const PtCaseState  *state,
                       const PtEvent      *conflicting,
                       GError            **error)
{
  if (!pt_conflict_is_applicable (conflicting->type))
    return forbid (TRUE, error, N_("Only a step's decision, a delivery or a termination can be applied over "
                                   "the case's state; keep the case as it is and record this again if it still holds."));
  if (is_step_decision (conflicting->type)
      && pt_case_state_find_step (state, pt_json_get_string (conflicting->payload, "step")) == NULL)
    return forbid (TRUE, error, N_("The step this decision is for is not in the case's plan any more."));
  if (conflicting->type != PT_EVENT_DELIVERED)
    return TRUE;
  for (guint i = 0; i < state->conflicts->len; i++)
    {
      PtConflict *other = g_ptr_array_index (state->conflicts, i);
      PtEventType type;

      if (g_strcmp0 (other->event_id, conflicting->id) != 0 && pt_event_type_from_string (other->type, &type)
          && is_step_decision (type))
        return forbid (TRUE, error, N_("Decide the conflicting step decision first: the delivery hands over "
                                       "what the steps issued."));
    }
  for (guint i = 0; i < state->steps->len; i++)
    {
      PtStep *step = g_ptr_array_index (state->steps, i);

      if (step->status != PT_STEP_APPROVED && step->status != PT_STEP_REJECTED)
        {
          g_autofree char *phrase = step_phrase (state, step, TRUE);
          return forbid (TRUE, error, N_("%s is not decided yet: a delivery can only be applied once every step is."),
                         phrase);
        }
    }
  return TRUE;
}
