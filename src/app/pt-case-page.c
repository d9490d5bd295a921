/* pt-case-page.c: the case page. Every button here appends one event
 * through the store worker; the workflow (pt-fold.h) decides which exist. */
#define G_LOG_DOMAIN "pt-app"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "pt-case-page.h"
#include "pt-error.h"
#include "pt-mail.h"

#include "pt-action-form.h"
#include "pt-app-util.h"
#include "pt-catalog.h"
#include "pt-fold.h"
#include "pt-json.h"
#include "pt-reference.h"

#ifdef PT_HAVE_DOCUMENT_VIEW
#include "pt-document.h"
#include "pt-document-case.h"
#include "pt-document-view.h"
#endif

struct _PtCasePage
{
  AdwBin        parent_instance;

  GtkLabel     *number_label;
  GtkLabel     *summary_label;
  GtkLabel     *status_label;
  GtkLabel     *due_label;
  GtkWidget    *conflicts_group;
  GtkButton    *primary_button;
  GtkMenuButton *more_button;
  GtkPopover   *more_popover;
  GtkBox       *more_box;
  GtkRevealer  *form_revealer;
  AdwBin       *form_bin;
  GtkButton    *record_button;
  GtkFlowBox   *steps_box;
  GtkWidget    *no_steps_label;
  GtkWidget    *details_group;
  GtkListBox   *timeline;
  GtkWidget    *documents_bar;
  GtkBox       *documents_box;
  GtkRevealer  *document_revealer;
  AdwBin       *document_bin;

  PtDesk       *desk;
  PtCaseDetail *detail;
  GCancellable *cancellable;
  PtDocumentKind document_kind;   /* of the paper shown */
  PtEventType   primary_type;
  char         *primary_step;
  GPtrArray    *detail_rows;   /* rows added to details_group and conflicts_group */
  gboolean      busy;
};

G_DEFINE_FINAL_TYPE (PtCasePage, pt_case_page, ADW_TYPE_BIN)

enum {
  CHANGED,
  GONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const PtEventType step_types[] = {
  PT_EVENT_STEP_SUBMITTED,
  PT_EVENT_STEP_RETURNED,
  PT_EVENT_STEP_RESUMED,
  PT_EVENT_STEP_APPROVED,
  PT_EVENT_STEP_REJECTED,
};

static const PtEventType case_types[] = {
  PT_EVENT_MISSING_NOTICE,
  PT_EVENT_MATERIAL_RECEIVED,
  PT_EVENT_AGREEMENT_SIGNED,
  PT_EVENT_RUNNER_ASSIGNED,
  PT_EVENT_PLAN_SET,
  PT_EVENT_DELIVERED,
  PT_EVENT_FEEDBACK_GIVEN,
  PT_EVENT_CASE_SUSPENDED,
  PT_EVENT_CASE_RESUMED,
  PT_EVENT_CASE_TRANSFERRED,
  PT_EVENT_FEE_RECORDED,
  PT_EVENT_TERMINATED,
  PT_EVENT_RATED,
  PT_EVENT_RETURN_VISIT,
  PT_EVENT_NOTE,
};

static gboolean
step_allows (const PtCaseState *state,
             PtEventType        type,
             const char        *step_id)
{
  static const PtStamp zero = { 0, 0 };
  g_autoptr(PtEvent) probe = pt_event_new ("probe", "probe", &zero, "probe", NULL, type, NULL);

  json_object_set_string_member (probe->payload, "step", step_id);
  return pt_workflow_check (state, probe, NULL);
}

GPtrArray *
pt_case_page_list_actions (const PtCaseState *state)
{
  GPtrArray *actions = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < state->steps->len; i++)
    {
      PtStep *step = g_ptr_array_index (state->steps, i);

      for (guint k = 0; k < G_N_ELEMENTS (step_types); k++)
        if (step_allows (state, step_types[k], step->id))
          g_ptr_array_add (actions, g_strdup_printf ("%s:%s", pt_event_type_to_string (step_types[k]),
                                                     step->id));
    }
  for (guint k = 0; k < G_N_ELEMENTS (case_types); k++)
    if (pt_workflow_allows (state, case_types[k]))
      g_ptr_array_add (actions, g_strdup (pt_event_type_to_string (case_types[k])));
  return actions;
}

/* Documents: rendered on the store's worker from the stored case, so
 * that what is printed is what is recorded. */

#ifdef PT_HAVE_DOCUMENT_VIEW
typedef struct {
  char           *case_id;
  PtDocumentKind  kind;
} RenderData;

typedef struct {
  PtDocumentKind  kind;
  GBytes         *pdf;
  char           *digest;
  char           *name;
} Rendered;

static void
render_data_free (RenderData *data)
{
  g_free (data->case_id);
  g_free (data);
}

static void
rendered_free (Rendered *rendered)
{
  g_clear_pointer (&rendered->pdf, g_bytes_unref);
  g_free (rendered->digest);
  g_free (rendered->name);
  g_free (rendered);
}

/* The same call as `paotuanctl doc`: the case's own unit's center, the
 * desk's overrides from the store, the runner from the roster. The same
 * case gives the same bytes, whichever client prints it. */
static gpointer
render_job (PtStore       *store,
            gpointer       user_data,
            GCancellable  *cancellable,
            GError       **error)
{
  RenderData *data = user_data;
  g_autoptr(PtCaseState) state = NULL;
  Rendered *rendered;
  GBytes *pdf;
  char *digest = NULL;

  pdf = pt_document_render_case (store, data->case_id, data->kind, NULL, &digest, &state, error);
  if (pdf == NULL)
    return NULL;
  rendered = g_new0 (Rendered, 1);
  rendered->kind = data->kind;
  rendered->pdf = pdf;
  rendered->digest = digest;
  rendered->name = g_strdup_printf ("%s-%s", pt_document_kind_label (data->kind), state->number);
  return rendered;
}

static void show_detail (PtCasePage *self);

/* The print log is written beside what the clerk is doing: the paper and
 * any open form stay (a form keeps the state it was opened with). */
static void
print_logged_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PtCasePage) self = user_data;
  g_autoptr(GError) error = NULL;
  PtCaseDetail *detail = pt_store_worker_append_finish (PT_STORE_WORKER (source), result, &error);

  if (detail == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        pt_toast (GTK_WIDGET (self), error->message);
      return;
    }
  if (adw_bin_get_child (self->form_bin) == NULL && self->detail != NULL
      && g_strcmp0 (self->detail->state->id, detail->state->id) == 0)
    {
      g_clear_pointer (&self->detail, pt_case_detail_free);
      self->detail = detail;
      show_detail (self);
    }
  else
    pt_case_detail_free (detail);
  pt_desk_emit_changed (self->desk, NULL);
}

/* The print log the supervision office asks for: which paper, the digest
 * of the bytes that went out, the printer and the copies, on the case. */
static void
print_finished_cb (PtCasePage *self,
                   const char *digest,
                   const char *printer,
                   const char *printer_label,
                   int         copies,
                   gboolean    completed)
{
  JsonObject *payload = json_object_new ();
  g_autofree char *message = NULL;

  message = completed
            ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s printed on %s: %d copy",
                                            "%s printed on %s: %d copies", copies),
                               pt_document_kind_label (self->document_kind), printer_label, copies)
            : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s sent to %s: %d copy, still in the queue",
                                            "%s sent to %s: %d copies, still in the queue", copies),
                               pt_document_kind_label (self->document_kind), printer_label, copies);
  pt_toast (GTK_WIDGET (self), message);
  if (self->detail == NULL || digest == NULL)
    return;
  json_object_set_string_member (payload, "document", pt_document_kind_to_string (self->document_kind));
  json_object_set_string_member (payload, "digest", digest);
  json_object_set_string_member (payload, "printer", printer);
  json_object_set_int_member (payload, "copies", copies);
  pt_store_worker_append_async (pt_desk_get_worker (self->desk), self->detail->state->id,
                                PT_EVENT_DOCUMENT_PRINTED, payload, pt_desk_get_runner (self->desk),
                                self->cancellable, print_logged_cb, g_object_ref (self));
}

static void
print_failed_cb (PtCasePage *self,
                 const char *message)
{
  g_autofree char *text = g_strdup_printf (_("Not printed: %s"), message);

  pt_toast (GTK_WIDGET (self), text);
}

static void
rendered_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PtCasePage) self = user_data;
  g_autoptr(GError) error = NULL;
  Rendered *rendered = pt_store_worker_run_finish (PT_STORE_WORKER (source), result, &error);
  GtkWidget *view;

  if (rendered == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        pt_toast (GTK_WIDGET (self), error->message);
      return;
    }
  view = pt_document_view_new ();
  if (!pt_document_view_load (PT_DOCUMENT_VIEW (view), rendered->pdf, rendered->digest,
                              rendered->name, &error))
    pt_toast (GTK_WIDGET (self), error->message);
  else
    {
      self->document_kind = rendered->kind;
      pt_document_view_set_copies (PT_DOCUMENT_VIEW (view), pt_document_kind_copies (rendered->kind));
      g_signal_connect_object (view, "print-finished", G_CALLBACK (print_finished_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (view, "print-failed", G_CALLBACK (print_failed_cb), self, G_CONNECT_SWAPPED);
      GtkWidget *form = adw_bin_get_child (self->form_bin);

      adw_bin_set_child (self->document_bin, view);
      gtk_revealer_set_reveal_child (self->document_revealer, TRUE);
      /* The signature recorded is that of the agreement shown here. */
      if (form != NULL && pt_action_form_get_event_type (PT_ACTION_FORM (form)) == PT_EVENT_AGREEMENT_SIGNED)
        pt_action_form_set_digest (PT_ACTION_FORM (form), rendered->digest);
    }
  rendered_free (rendered);
}

static void
show_document (PtCasePage     *self,
               PtDocumentKind  kind)
{
  RenderData *data = g_new0 (RenderData, 1);

  data->case_id = g_strdup (self->detail->state->id);
  data->kind = kind;
  pt_store_worker_run_async (pt_desk_get_worker (self->desk), render_job, data,
                             (GDestroyNotify) render_data_free, (GDestroyNotify) rendered_free,
                             self->cancellable, rendered_cb, g_object_ref (self));
}

static void
document_button_cb (GtkButton  *button,
                    PtCasePage *self)
{
  show_document (self, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "kind")));
}

static void
show_document_buttons (PtCasePage *self)
{
  guint n = 0;

  pt_remove_all_children (GTK_WIDGET (self->documents_box));
  for (int kind = 0; kind < PT_DOCUMENT_N_KINDS; kind++)
    {
      GtkWidget *button;

      if (!pt_document_is_available (kind, self->detail->state, NULL))
        continue;
      button = gtk_button_new_with_label (pt_document_kind_label (kind));
      gtk_widget_add_css_class (button, "flat");
      g_object_set_data (G_OBJECT (button), "kind", GINT_TO_POINTER (kind));
      g_signal_connect (button, "clicked", G_CALLBACK (document_button_cb), self);
      gtk_box_append (self->documents_box, button);
      n++;
    }
  gtk_widget_set_visible (self->documents_bar, n > 0);
}
#endif

static void
document_close_cb (PtCasePage *self)
{
  gtk_revealer_set_reveal_child (self->document_revealer, FALSE);
  adw_bin_set_child (self->document_bin, NULL);
}

/* Recording */


static void
set_busy (PtCasePage *self,
          gboolean    busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (GTK_WIDGET (self->record_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->primary_button), !busy);
}

static void
appended_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PtCasePage) self = user_data;
  g_autoptr(GError) error = NULL;
  PtCaseDetail *detail;
  GtkWidget *form;

  detail = pt_store_worker_append_finish (PT_STORE_WORKER (source), result, &error);
  set_busy (self, FALSE);
  if (detail == NULL)
    {
      /* The store said no: say why where the runner is looking. */
      form = adw_bin_get_child (self->form_bin);
      if (form != NULL && gtk_revealer_get_reveal_child (self->form_revealer))
        pt_action_form_set_error (PT_ACTION_FORM (form), error->message);
      else
        pt_toast (GTK_WIDGET (self), error->message);
      return;
    }

  gtk_revealer_set_reveal_child (self->form_revealer, FALSE);
  adw_bin_set_child (self->form_bin, NULL);
  document_close_cb (self);
  g_clear_pointer (&self->detail, pt_case_detail_free);
  self->detail = detail;
  show_detail (self);
  pt_toast (GTK_WIDGET (self), _("Recorded"));
  g_signal_emit (self, signals[CHANGED], 0);
  pt_desk_emit_changed (self->desk, detail->state->id);
}

static void
append (PtCasePage  *self,
        PtEventType  type,
        JsonObject  *payload)
{
  set_busy (self, TRUE);
  pt_store_worker_append_async (pt_desk_get_worker (self->desk), self->detail->state->id,
                                type, payload, pt_desk_get_runner (self->desk),
                                self->cancellable, appended_cb, g_object_ref (self));
}

static void
form_record_cb (PtCasePage *self)
{
  GtkWidget *form = adw_bin_get_child (self->form_bin);
  g_autoptr(GError) error = NULL;
  JsonObject *payload;

  if (form == NULL || self->busy)
    return;
  payload = pt_action_form_build_payload (PT_ACTION_FORM (form), &error);
  if (payload == NULL)
    {
      pt_action_form_set_error (PT_ACTION_FORM (form), error->message);
      return;
    }
  pt_action_form_set_error (PT_ACTION_FORM (form), NULL);
  append (self, pt_action_form_get_event_type (PT_ACTION_FORM (form)), payload);
}

static void
form_cancel_cb (PtCasePage *self)
{
  gtk_revealer_set_reveal_child (self->form_revealer, FALSE);
  adw_bin_set_child (self->form_bin, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->primary_button));
}

static gboolean
focus_first_entry (GtkWidget *widget)
{
  /* Puts the cursor into the form's first field, so typing starts at once. */
  if (GTK_IS_ENTRY (widget) || GTK_IS_CHECK_BUTTON (widget) || GTK_IS_DROP_DOWN (widget))
    return gtk_widget_grab_focus (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (focus_first_entry (child))
      return TRUE;
  return FALSE;
}

static void
open_form (PtCasePage  *self,
           PtEventType  type,
           const char  *step_id)
{
  GtkWidget *form = pt_action_form_new (self->desk, self->detail, type, step_id);

  gtk_popover_popdown (self->more_popover);
  g_signal_connect_object (form, "submit", G_CALLBACK (form_record_cb), self, G_CONNECT_SWAPPED);
  adw_bin_set_child (self->form_bin, form);
  gtk_revealer_set_reveal_child (self->form_revealer, TRUE);
#ifdef PT_HAVE_DOCUMENT_VIEW
  if (type == PT_EVENT_AGREEMENT_SIGNED)
    show_document (self, PT_DOCUMENT_AGREEMENT);
  else if (type == PT_EVENT_MISSING_NOTICE)
    show_document (self, PT_DOCUMENT_NOTICE);
#endif
  if (!focus_first_entry (form))
    gtk_widget_grab_focus (GTK_WIDGET (self->record_button));
}

static void
action_button_clicked_cb (GtkButton  *button,
                          PtCasePage *self)
{
  PtEventType type = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "type"));
  const char *step_id = g_object_get_data (G_OBJECT (button), "step");

  open_form (self, type, step_id);
}

static void
primary_clicked_cb (PtCasePage *self)
{
  if (self->detail != NULL && self->primary_type != PT_EVENT_N_TYPES)
    open_form (self, self->primary_type, self->primary_step);
}

static GtkWidget *
action_button_new (PtCasePage  *self,
                   PtEventType  type,
                   const char  *step_id,
                   const char  *label)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  g_object_set_data (G_OBJECT (button), "type", GINT_TO_POINTER (type));
  g_object_set_data_full (G_OBJECT (button), "step", g_strdup (step_id), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (action_button_clicked_cb), self);
  return button;
}

/* Conflicts */

static void
resolve_clicked_cb (GtkButton  *button,
                    PtCasePage *self)
{
  JsonObject *payload = json_object_new ();

  json_object_set_string_member (payload, "event", g_object_get_data (G_OBJECT (button), "event"));
  json_object_set_string_member (payload, "decision", g_object_get_data (G_OBJECT (button), "decision"));
  append (self, PT_EVENT_CONFLICT_RESOLVED, payload);
}

static void
add_row (PtCasePage *self,
         GtkWidget  *group,
         GtkWidget  *row)
{
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  g_ptr_array_add (self->detail_rows, g_object_ref (row));
}

static void
clear_rows (PtCasePage *self)
{
  for (guint i = 0; i < self->detail_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->detail_rows, i);
      GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

      if (group != NULL)
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }
  g_ptr_array_set_size (self->detail_rows, 0);
}

static char *event_detail (PtCasePage *self, PtEvent *event, const char *from_unit);
static const char *runner_name (PtCasePage *self, const char *id);

static PtEvent *
find_event (PtCasePage *self,
            const char *id)
{
  for (guint i = 0; i < self->detail->events->len; i++)
    if (g_strcmp0 (((PtEvent *) g_ptr_array_index (self->detail->events, i))->id, id) == 0)
      return g_ptr_array_index (self->detail->events, i);
  return NULL;
}

/* Each conflict as a person decides it: what the record was, who made it
 * on which desk and when, why it does not fit (in the clerk's language,
 * worked out again from the log), and the decisions the fold accepts now
 * (pt_conflict_can_apply ()); an "apply" that must wait says for what. */
static void
show_conflicts (PtCasePage *self)
{
  PtCaseState *state = self->detail->state;
  PtCalendar *calendar = pt_desk_get_reference (self->desk)->calendar;

  gtk_widget_set_visible (self->conflicts_group, state->conflicts->len > 0);
  for (guint i = 0; i < state->conflicts->len; i++)
    {
      PtConflict *conflict = g_ptr_array_index (state->conflicts, i);
      PtEvent *event = find_event (self, conflict->event_id);
      GtkWidget *row = adw_action_row_new ();
      PtEventType type = PT_EVENT_N_TYPES;
      g_autoptr(GError) wait = NULL;
      g_autofree char *why = event != NULL ? pt_conflict_explain (self->detail->events, conflict->event_id, calendar)
                                           : NULL;
      g_autofree char *what = event != NULL ? event_detail (self, event, NULL) : NULL;
      g_autofree char *when = event != NULL ? pt_event_local_date (event) : NULL;
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      gboolean can_apply = FALSE;
      const char *decisions[] = { "keep", "apply" };
      const char *author = event != NULL ? runner_name (self, event->author) : NULL;

      gboolean applicable;

      pt_event_type_from_string (conflict->type, &type);
      applicable = pt_conflict_is_applicable (type);
      if (event != NULL && applicable)
        can_apply = pt_conflict_can_apply (state, event, &wait);
      title = what != NULL ? g_strdup_printf ("%s · %s", pt_ui_event_label (type), what)
                           : g_strdup (pt_ui_event_label (type));
      /* TRANSLATORS: a conflicting record: when, on which desk, by whom; why it does not fit */
      subtitle = g_strdup_printf (_("%s, desk %s, %s. %s%s%s"), when ? when : "", event ? event->device : "?",
                                  author ? author : _("no runner named"), why ? why : conflict->reason,
                                  wait != NULL ? "\n" : "", wait != NULL ? wait->message : "");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      for (guint d = 0; d < (applicable ? 2u : 1u); d++)
        {
          GtkWidget *button = gtk_button_new_with_label (d == 0 ? _("Keep Current State") : _("Apply This Event"));
          g_autofree char *name = g_strdup_printf (d == 0 ? _("Keep the case as it is, not %s") : _("Apply %s"), title);

          /* Apply only where the fold accepts it now; otherwise it says why. */
          if (d == 1 && !can_apply)
            {
              gtk_widget_set_sensitive (button, FALSE);
              gtk_widget_set_tooltip_text (button, wait != NULL ? wait->message : NULL);
            }
          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
          g_object_set_data_full (G_OBJECT (button), "event", g_strdup (conflict->event_id), g_free);
          g_object_set_data (G_OBJECT (button), "decision", (gpointer) decisions[d]);
          g_signal_connect (button, "clicked", G_CALLBACK (resolve_clicked_cb), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
        }
      add_row (self, self->conflicts_group, row);
    }
}

/* Steps */

static const char *
short_title (PtEventType type)
{
  switch (type)
    {
    case PT_EVENT_STEP_SUBMITTED: return _("Submit");
    case PT_EVENT_STEP_RETURNED: return _("Returned");
    case PT_EVENT_STEP_RESUMED: return _("Resubmit");
    case PT_EVENT_STEP_APPROVED: return _("Approved");
    case PT_EVENT_STEP_REJECTED: return _("Rejected");
    default: return pt_ui_event_label (type);
    }
}

static GtkWidget *
step_card_new (PtCasePage *self,
               PtStep     *step,
               const char *today)
{
  PtReference *reference = pt_desk_get_reference (self->desk);
  const PtCatalogItem *item = pt_catalog_lookup (reference->catalog, step->item);
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *status;
  GtkWidget *buttons;
  g_autofree char *clock = NULL;
  g_autofree char *mode = NULL;
  const PtUnit *department;
  gboolean overdue = FALSE;
  gboolean provisional = FALSE;
  int used;

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "step-card");
  gtk_box_append (GTK_BOX (card), pt_label_new (step->department, "heading", NULL));
  gtk_box_append (GTK_BOX (card), pt_label_new (item ? item->name : step->item, NULL));
  /* The level is the department's own where the district knows it (区民政局
   * is district level whatever the case's), else the plan's. */
  department = pt_district_lookup_name (reference->district, step->department);
  mode = g_strdup_printf ("%s · %s", pt_ui_mode_label (step->mode),
                          pt_ui_level_label (department && department->kind == PT_UNIT_DEPARTMENT
                                             ? department->level : step->level));
  gtk_box_append (GTK_BOX (card), pt_label_new (mode, "dim-label", "caption", NULL));

  status = pt_label_new (pt_ui_step_status_label (step->status), "chip", NULL);
  gtk_widget_set_halign (status, GTK_ALIGN_START);
  gtk_widget_add_css_class (status, step->status == PT_STEP_APPROVED ? "success"
                                    : step->status == PT_STEP_REJECTED ? "error"
                                    : step->status == PT_STEP_RETURNED ? "warning" : "accent");
  gtk_box_append (GTK_BOX (card), status);

  /* The clock, as the core counts it: used / limit working days, paused
   * while returned, stopped when the case ended. */
  used = pt_step_days_used (step, reference->calendar, today, &provisional);
  provisional |= step->provisional;
  if (step->status == PT_STEP_RETURNED)
    clock = g_strdup_printf (_("Clock paused: %s"), step->reason ? step->reason : "");
  else if (step->status == PT_STEP_SUBMITTED && step->stopped_on != NULL && used >= 0)
    clock = g_strdup_printf (_("Clock stopped on %s: %d of %u working days used"),
                             step->stopped_on, used, step->limit_days);
  else if (step->status == PT_STEP_SUBMITTED && used >= 0)
    {
      g_autofree char *count = g_strdup_printf (_("Clock: %d of %u working days used"), used, step->limit_days);

      overdue = pt_step_is_overdue (step, today);
      clock = provisional ? g_strdup_printf (_("%s (provisional)"), count) : g_steal_pointer (&count);
    }
  else if (step->status == PT_STEP_PLANNED)
    clock = g_strdup_printf (_("Time limit %u working days"), step->limit_days);
  else if (step->decided_on != NULL)
    clock = g_strdup_printf (_("Decided on %s"), step->decided_on);
  if (clock != NULL)
    {
      GtkWidget *label = pt_label_new (clock, "numeric", NULL);

      if (overdue)
        gtk_widget_add_css_class (label, "error");

      gtk_box_append (GTK_BOX (card), label);
    }
  if (step->status == PT_STEP_SUBMITTED && step->stopped_on == NULL && step->due != NULL)
    {
      g_autofree char *due = g_strdup_printf (_("Due %s"), step->due);
      g_autofree char *marked = provisional ? g_strdup_printf (_("%s (provisional)"), due) : g_strdup (due);

      gtk_box_append (GTK_BOX (card), pt_label_new (marked, "dim-label", "caption", NULL));
    }
  if (step->status == PT_STEP_REJECTED && step->reason != NULL)
    gtk_box_append (GTK_BOX (card), pt_label_new (step->reason, "error", NULL));

  buttons = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (buttons), GTK_SELECTION_NONE);
  for (guint k = 0; k < G_N_ELEMENTS (step_types); k++)
    if (step_allows (self->detail->state, step_types[k], step->id))
      {
        g_autofree char *title = pt_action_title (self->detail->state, step_types[k], step->id);
        GtkWidget *button = action_button_new (self, step_types[k], step->id, short_title (step_types[k]));

        /* Short on screen, complete for screen readers and tooltips. */
        gtk_widget_set_tooltip_text (button, title);
        gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
        gtk_flow_box_append (GTK_FLOW_BOX (buttons), button);
      }
  gtk_box_append (GTK_BOX (card), buttons);
  return card;
}

/* Timeline */

static const char *
runner_name (PtCasePage *self,
             const char *id)
{
  for (guint i = 0; id != NULL && self->detail->runners && i < self->detail->runners->len; i++)
    {
      PtRunner *runner = g_ptr_array_index (self->detail->runners, i);

      if (g_strcmp0 (runner->id, id) == 0)
        return runner->name;
    }
  return id;
}

/* What the timeline says of @event; @from_unit: the case's unit before it. */
static char *
event_detail (PtCasePage *self,
              PtEvent    *event,
              const char *from_unit)
{
  PtCaseState *state = self->detail->state;
  const char *step_id = pt_json_get_string (event->payload, "step");
  PtStep *step = step_id ? pt_case_state_find_step (state, step_id) : NULL;
  const char *reason = pt_json_get_string (event->payload, "reason");
  const char *text = pt_json_get_string (event->payload, "text");

  if (event->type == PT_EVENT_RUNNER_ASSIGNED)
    return g_strdup (runner_name (self, pt_json_get_string (event->payload, "runner")));
  if (event->type == PT_EVENT_RATED)
    {
      const char *grade = pt_grade_label ((int) pt_json_get_int (event->payload, "grade", 0));

      return text != NULL ? g_strdup_printf ("%s: %s", grade, text) : g_strdup (grade);
    }
  if (event->type == PT_EVENT_DELIVERED)
    {
      const char *courier = pt_courier_label (pt_json_get_string (event->payload, "courier"));
      const char *tracking = pt_json_get_string (event->payload, "tracking_number");

      if (g_strcmp0 (pt_json_get_string (event->payload, "method"), "mail") != 0)
        return g_strdup (_("Handed over in person"));
      return g_strdup_printf (_("By mail: %s %s"), courier ? courier : "", tracking ? tracking : "");
    }
  if (event->type == PT_EVENT_CONFLICT_RESOLVED)
    {
      gboolean apply = g_strcmp0 (pt_json_get_string (event->payload, "decision"), "apply") == 0;
      const char *decision = apply ? _("The other desk's record applied") : _("This case kept as it was");

      return text != NULL ? g_strdup_printf ("%s: %s", decision, text) : g_strdup (decision);
    }
  if (event->type == PT_EVENT_CASE_TRANSFERRED)
    {
      PtReference *reference = pt_desk_get_reference (self->desk);
      const char *to = pt_json_get_string (event->payload, "to_unit");
      const char *from = from_unit;
      const PtUnit *to_unit = to && reference->district ? pt_district_lookup (reference->district, to) : NULL;
      const PtUnit *from_info = from && reference->district ? pt_district_lookup (reference->district, from) : NULL;

      return g_strdup_printf (_("From %s to %s: %s"), from_info ? from_info->name : (from ? from : "?"),
                              to_unit ? to_unit->name : (to ? to : "?"), reason ? reason : "");
    }
  if (step != NULL && reason != NULL)
    return g_strdup_printf ("%s: %s", step->department, reason);
  if (step != NULL)
    return g_strdup (step->department);
  if (reason != NULL)
    return g_strdup (reason);
  if (text != NULL)
    return g_strdup (text);
  if (event->type == PT_EVENT_CASE_TRANSFERRED)
    return g_strdup (pt_json_get_string (event->payload, "to_unit"));
  return NULL;
}

typedef struct {
  char       *date;
  guint       index;   /* the order the events were recorded in */
  PtEvent    *event;
  const char *unit;    /* the case's unit before the event */
} TimelineEntry;

static int
timeline_compare (gconstpointer a,
                  gconstpointer b)
{
  const TimelineEntry *x = a, *y = b;
  int by_date = strcmp (x->date, y->date);

  return by_date != 0 ? by_date : (x->index > y->index) - (x->index < y->index);
}

/* In the order things happened: the business date a clerk gave (a paper
 * signed yesterday, recorded today), then the order of recording. */
static void
show_timeline (PtCasePage *self)
{
  guint n = self->detail->events->len;
  g_autofree TimelineEntry *entries = g_new0 (TimelineEntry, MAX (n, 1));

  const char *unit = NULL;

  pt_remove_all_children (GTK_WIDGET (self->timeline));
  /* In fold order, the unit the case was in when each event came. */
  for (guint i = 0; i < n; i++)
    {
      PtEvent *event = g_ptr_array_index (self->detail->events, i);

      entries[i].event = event;
      entries[i].date = pt_event_local_date (event);
      entries[i].index = i;
      if (event->type == PT_EVENT_INTAKE)
        unit = pt_json_get_string (event->payload, "unit");
      entries[i].unit = unit;
      if (event->type == PT_EVENT_CASE_TRANSFERRED)
        unit = pt_json_get_string (event->payload, "to_unit");
    }
  qsort (entries, n, sizeof (TimelineEntry), timeline_compare);
  for (guint i = 0; i < n; i++)
    {
      PtEvent *event = entries[i].event;
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *detail = event_detail (self, event, entries[i].unit);
      g_autofree char *subtitle = NULL;
      const char *author = runner_name (self, event->author);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), pt_ui_event_label (event->type));
      subtitle = g_strdup_printf ("%s%s%s%s%s", entries[i].date,
                                  author ? " · " : "", author ? author : "",
                                  detail ? " · " : "", detail ? detail : "");
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (self->timeline, row);
      g_free (entries[i].date);
    }
}

/* Details */

static void
add_detail (PtCasePage *self,
            const char *title,
            const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  add_row (self, self->details_group, row);
}

static void
show_details (PtCasePage *self)
{
  PtCaseState *state = self->detail->state;
  PtReference *reference = pt_desk_get_reference (self->desk);

  for (guint i = 0; i < state->items->len; i++)
    {
      const PtCatalogItem *item = pt_catalog_lookup (reference->catalog,
                                                     g_ptr_array_index (state->items, i));
      g_autofree char *subtitle = NULL;

      if (item == NULL)
        continue;
      subtitle = g_strdup_printf (_("Item · %s · %s"), item->department, pt_ui_level_label (item->level));
      add_detail (self, item->name, subtitle);
    }
  for (guint i = 0; i < state->materials->len; i++)
    {
      PtMaterial *material = g_ptr_array_index (state->materials, i);
      g_autofree char *subtitle = NULL;

      if (material->missing)
        subtitle = g_strdup (_("Material · missing"));
      else
        subtitle = g_strdup_printf (_("Material · %s × %u"),
                                    material->original ? _("original") : _("copy"), material->count);
      add_detail (self, material->name, subtitle);
    }
  for (guint i = 0; i < state->fees->len; i++)
    {
      PtFee *fee = g_ptr_array_index (state->fees, i);
      g_autofree char *amount = pt_format_fen (fee->amount_fen);
      g_autofree char *subtitle = g_strdup_printf (_("Fee · %s · basis: %s"), amount, fee->basis);

      add_detail (self, fee->name, subtitle);
    }
  if (state->feedback_count > 0)
    {
      g_autofree char *title = g_strdup_printf (_("Feedback given %u times"), state->feedback_count);

      add_detail (self, title, state->last_feedback);
    }
  if (state->agreement_digest != NULL)
    add_detail (self, _("Commission agreement signed"), state->agreement_digest);
  if (state->delivered_on != NULL)
    {
      g_autofree char *how = NULL;

      if (g_strcmp0 (state->delivery_method, "mail") == 0)
        how = g_strdup_printf (_("%s · by mail, %s %s, to %s"), state->delivered_on,
                               pt_courier_label (state->courier) ? pt_courier_label (state->courier) : "",
                               state->tracking_number ? state->tracking_number : "",
                               state->mail_address ? state->mail_address : "");
      else
        how = g_strdup_printf (_("%s · in person"), state->delivered_on);
      add_detail (self, _("Delivered"), how);
    }
  if (state->rating > 0)
    add_detail (self, _("Applicant's rating"), pt_grade_label (state->rating));
  if (state->terminated_on != NULL)
    add_detail (self, _("Terminated"), state->termination_reason);
  for (guint i = 0; i < state->notes->len; i++)
    add_detail (self, _("Note"), g_ptr_array_index (state->notes, i));
}

static void
show_detail (PtCasePage *self)
{
  PtCaseState *state = self->detail->state;
  g_autofree char *today = pt_desk_today (self->desk);
  g_autofree char *summary = NULL;
  g_autofree char *due = NULL;
  const char *primary_step = NULL;
  gboolean overdue = FALSE;
  gboolean soon = FALSE;
  guint n_more = 0;

  gtk_label_set_text (self->number_label, state->number);
  summary = g_strdup_printf (_("%s · %s · runner: %s · %s"), state->applicant_name,
                             pt_channel_label (state->channel),
                             state->runner ? runner_name (self, state->runner) : _("none yet"),
                             state->unit);
  gtk_label_set_text (self->summary_label, summary);
  gtk_label_set_text (self->status_label, pt_ui_status_label (state->status));
  for (guint i = 0; i < 4; i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label),
                                 (const char *[]) { "accent", "success", "warning", "error" }[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), pt_status_style_class (state->status));

  if (!pt_case_state_is_ended (state))
    due = pt_format_due (pt_desk_get_reference (self->desk)->calendar, today, state->due,
                         state->due_provisional, &overdue, &soon);
  gtk_label_set_text (self->due_label, due ? due : "");
  gtk_widget_remove_css_class (GTK_WIDGET (self->due_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->due_label), "warning");
  if (overdue || soon)
    gtk_widget_add_css_class (GTK_WIDGET (self->due_label), overdue ? "error" : "warning");

  clear_rows (self);
  show_conflicts (self);

  /* The primary button is the one next step of the flowchart. Step actions
   * live on their step's card; here it stands for the first of them. */
  g_clear_pointer (&self->primary_step, g_free);
  self->primary_type = pt_workflow_next (state, &primary_step);
  self->primary_step = g_strdup (primary_step);
  if (self->primary_type == PT_EVENT_CONFLICT_RESOLVED ||
      (self->primary_type != PT_EVENT_N_TYPES &&
       (primary_step != NULL ? !step_allows (state, self->primary_type, primary_step)
                             : !pt_workflow_allows (state, self->primary_type))))
    self->primary_type = PT_EVENT_N_TYPES;
  gtk_widget_set_visible (GTK_WIDGET (self->primary_button), self->primary_type != PT_EVENT_N_TYPES);
  if (self->primary_type != PT_EVENT_N_TYPES)
    {
      g_autofree char *title = pt_action_title (state, self->primary_type, self->primary_step);

      gtk_button_set_label (self->primary_button, title);
    }

  pt_remove_all_children (GTK_WIDGET (self->more_box));
  for (guint k = 0; k < G_N_ELEMENTS (case_types); k++)
    {
      g_autofree char *title = NULL;
      GtkWidget *button;

      if (case_types[k] == self->primary_type || !pt_workflow_allows (state, case_types[k]))
        continue;
      title = pt_action_title (state, case_types[k], NULL);
      button = action_button_new (self, case_types[k], NULL, title);
      gtk_widget_add_css_class (button, "flat");
      gtk_box_append (self->more_box, button);
      n_more++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->more_button), n_more > 0);

  pt_remove_all_children (GTK_WIDGET (self->steps_box));
  for (guint i = 0; i < state->steps->len; i++)
    gtk_flow_box_append (self->steps_box, step_card_new (self, g_ptr_array_index (state->steps, i), today));
  gtk_widget_set_visible (self->no_steps_label, state->steps->len == 0);

  show_timeline (self);
  show_details (self);
#ifdef PT_HAVE_DOCUMENT_VIEW
  show_document_buttons (self);
#endif
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PtCasePage) self = user_data;
  g_autoptr(GError) error = NULL;
  PtCaseDetail *detail;

  detail = pt_store_worker_load_case_finish (PT_STORE_WORKER (source), result, &error);
  if (detail == NULL)
    {
      /* The case shown went away under the page: a transfer took it. */
      if (self->detail != NULL && g_error_matches (error, PT_ERROR, PT_ERROR_NOT_FOUND))
        {
          g_autofree char *number = g_strdup (self->detail->state->number);

          g_clear_pointer (&self->detail, pt_case_detail_free);
          g_signal_emit (self, signals[GONE], 0, number);
          return;
        }
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        pt_toast (GTK_WIDGET (self), error->message);
      return;
    }
  g_clear_pointer (&self->detail, pt_case_detail_free);
  self->detail = detail;
  gtk_revealer_set_reveal_child (self->form_revealer, FALSE);
  adw_bin_set_child (self->form_bin, NULL);
  show_detail (self);
  if (gtk_widget_get_visible (GTK_WIDGET (self->primary_button)))
    gtk_widget_grab_focus (GTK_WIDGET (self->primary_button));
  /* The window's header names the case shown. */
  g_signal_emit (self, signals[CHANGED], 0);
}

void
pt_case_page_load (PtCasePage *self,
                   const char *number_or_id)
{
  g_return_if_fail (PT_IS_CASE_PAGE (self));
  g_return_if_fail (self->desk != NULL);

  /* Nothing of the case shown before outlives it: its paper and its form
   * go now, and its load, if still running, is dropped. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  document_close_cb (self);
  gtk_revealer_set_reveal_child (self->form_revealer, FALSE);
  adw_bin_set_child (self->form_bin, NULL);
  pt_store_worker_load_case_async (pt_desk_get_worker (self->desk), number_or_id,
                                   self->cancellable, loaded_cb, g_object_ref (self));
}

void
pt_case_page_refresh (PtCasePage *self)
{
  g_autofree char *id = NULL;

  g_return_if_fail (PT_IS_CASE_PAGE (self));
  if (self->detail == NULL || self->desk == NULL || gtk_revealer_get_reveal_child (self->form_revealer))
    return;
  id = g_strdup (self->detail->state->id);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  pt_store_worker_load_case_async (pt_desk_get_worker (self->desk), id,
                                   self->cancellable, loaded_cb, g_object_ref (self));
}

const char *
pt_case_page_get_number (PtCasePage *self)
{
  g_return_val_if_fail (PT_IS_CASE_PAGE (self), NULL);
  return self->detail ? self->detail->state->number : NULL;
}

const char *
pt_case_page_get_primary_label (PtCasePage *self)
{
  g_return_val_if_fail (PT_IS_CASE_PAGE (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->primary_button)))
    return NULL;
  return gtk_button_get_label (self->primary_button);
}

static void
pt_case_page_dispose (GObject *object)
{
  PtCasePage *self = PT_CASE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->detail_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), PT_TYPE_CASE_PAGE);
  g_clear_object (&self->desk);

  G_OBJECT_CLASS (pt_case_page_parent_class)->dispose (object);
}

static void
pt_case_page_finalize (GObject *object)
{
  PtCasePage *self = PT_CASE_PAGE (object);

  g_clear_pointer (&self->detail, pt_case_detail_free);
  g_free (self->primary_step);

  G_OBJECT_CLASS (pt_case_page_parent_class)->finalize (object);
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PtCasePage *self = PT_CASE_PAGE (widget);
  GtkWidget *view = adw_bin_get_child (self->document_bin);

  if (view != NULL && gtk_revealer_get_reveal_child (self->document_revealer))
    pt_document_view_print (PT_DOCUMENT_VIEW (view));
  else
    pt_toast (widget, _("Open a document under “Documents” first, then print it."));
}

static void
pt_case_page_class_init (PtCasePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pt_case_page_dispose;
  object_class->finalize = pt_case_page_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
  /**
   * PtCasePage::gone:
   * @number: the case that went
   *
   * The case shown is no longer on this desk (a transfer took it away).
   */
  signals[GONE] = g_signal_new ("gone", G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/paotuan/Paotuan/ui/pt-case-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PtCasePage, number_label);
  gtk_widget_class_bind_template_child (widget_class, PtCasePage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, PtCasePage, status_label);
  gtk_widget_class_bind_template_child (widget_class, PtCasePage, due_label);
  gtk_widget_class_bind_template_child (widget_class, PtCasePage, conflicts_group);
  gtk_widget_class_bind_template_child (widget_class, PtCasePage, primary_button);
  gtk_widget_class_bind_template_child (widget_class, PtCasePage, more_button);
  gtk_widget_class_bind_template_child (widget_class, PtCasePage, more_popover);
  gtk_widget_class_bind_template_child (widget_class, PtCasePage, more_box);
  gtk_widget_class_bind_template_child (widget_class, PtCasePage, form_revealer);
  gtk_widget_class_bind_template_child (widget_class, PtCasePage, form_bin);
  gtk_widget_class_bind_template_child (widget_class, PtCasePage, record_button);
  gtk_widget_class_bind_template_child (widget_class, PtCasePage, steps_box);
  gtk_widget_class_bind_template_child (widget_class, PtCasePage, no_steps_label);
  gtk_widget_class_bind_template_child (widget_class, PtCasePage, details_group);
  gtk_widget_class_bind_template_child (widget_class, PtCasePage, timeline);
  gtk_widget_class_bind_template_child (widget_class, PtCasePage, documents_bar);
  gtk_widget_class_bind_template_child (widget_class, PtCasePage, documents_box);
  gtk_widget_class_bind_template_child (widget_class, PtCasePage, document_revealer);
  gtk_widget_class_bind_template_child (widget_class, PtCasePage, document_bin);
  gtk_widget_class_bind_template_callback (widget_class, document_close_cb);
  gtk_widget_class_bind_template_callback (widget_class, primary_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, form_record_cb);
  gtk_widget_class_bind_template_callback (widget_class, form_cancel_cb);

  /* Ctrl+P prints the paper shown, wherever the focus is on the page. */
  gtk_widget_class_install_action (widget_class, "case.print", NULL, print_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "case.print", NULL);
}

static void
pt_case_page_init (PtCasePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->detail_rows = g_ptr_array_new_with_free_func (g_object_unref);
  self->primary_type = PT_EVENT_N_TYPES;
}

GtkWidget *
pt_case_page_new (void)
{
  return g_object_new (PT_TYPE_CASE_PAGE, NULL);
}

void
pt_case_page_set_desk (PtCasePage *self,
                       PtDesk     *desk)
{
  g_return_if_fail (PT_IS_CASE_PAGE (self));
  g_set_object (&self->desk, desk);
}
