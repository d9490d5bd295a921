/* pt-intake-page.c: applicant → items → materials → agreement.
 *
 * Nothing typed here is lost: the form is written to a draft file a moment
 * after every change and offered back when the application starts again.
 * The intake itself is one call to the core (pt_store_create_case), which
 * validates everything again.
 */
#define G_LOG_DOMAIN "pt-app"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "pt-intake-page.h"

#include "pt-app-util.h"
#include "pt-catalog.h"
#include "pt-error.h"
#include "pt-json.h"
#include "pt-reference.h"
#include "pt-validate.h"

#define MAX_RESULTS 40

typedef struct {
  char      *name;
  char      *item;
  GtkWidget *row;
  GtkWidget *form;      /* GtkDropDown: original / copy */
  GtkWidget *count;     /* GtkSpinButton */
  GtkWidget *missing;   /* GtkCheckButton */
} MaterialRow;

struct _PtIntakePage
{
  AdwBin           parent_instance;

  GtkStack        *stack;
  GtkToggleButton *person_button;
  GtkToggleButton *enterprise_button;
  GtkWidget       *applicant_group;
  GtkWidget       *chosen_group;
  GtkSearchEntry  *item_search;
  GtkListBox      *catalog_list;
  GtkWidget       *materials_group;
  GtkLabel        *missing_label;
  GtkWidget       *summary_group;
  GtkLabel        *error_label;
  GtkWidget       *next_button;
  GtkWidget       *accept_button;

  GtkWidget       *name_row, *name_entry;
  GtkWidget       *id_row, *id_entry;
  GtkWidget       *uscc_row, *uscc_entry;
  GtkWidget       *rep_row, *rep_entry;
  GtkWidget       *phone_row, *phone_entry;
  GtkWidget       *address_row, *address_entry;
  GtkWidget       *vulnerable_row;
  GtkWidget       *channel_row;

  PtDesk          *desk;
  char            *transfer_to;     /* the unit an out-of-scope intake goes to */
  GPtrArray       *chosen;          /* char *, catalog codes */
  GPtrArray       *chosen_rows;     /* GtkWidget */
  GPtrArray       *materials;       /* MaterialRow */
  GPtrArray       *summary_rows;
  GtkWidget       *home_visit_button;
  guint            error_step;      /* the step the banner refused */
  guint            save_source;
  gboolean         loading;         /* filling the form from a draft */
  gboolean         busy;
  GCancellable    *cancellable;
};

G_DEFINE_FINAL_TYPE (PtIntakePage, pt_intake_page, ADW_TYPE_BIN)

enum {
  CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *vulnerable_codes[] = { "none", "elderly", "sick", "disabled", "pregnant" };
static const char *channel_codes[] = { "window", "hotline", "home_visit" };
static const char *step_names[] = { "applicant", "items", "materials", "agreement" };

static void schedule_save (PtIntakePage *self);
static void rebuild_materials (PtIntakePage *self);

static void
material_row_free (MaterialRow *row)
{
  g_free (row->name);
  g_free (row->item);
  g_free (row);
}

static char *
entry_text (GtkWidget *entry)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
}

static gboolean
is_enterprise (PtIntakePage *self)
{
  return gtk_toggle_button_get_active (self->enterprise_button);
}

/* Inline validation: the reason goes under the field, as its subtitle. */

static void
set_field_error (GtkWidget  *row,
                 GtkWidget  *entry,
                 const char *message)
{
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), message ? message : "");
  if (message != NULL)
    {
      gtk_widget_add_css_class (row, "field-error");
      gtk_widget_add_css_class (entry, "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
      gtk_accessible_update_state (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_widget_remove_css_class (row, "field-error");
      gtk_widget_remove_css_class (entry, "error");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

/* What is wrong with one field, or NULL; @row_out is the field's row.
 * @complete: the runner is leaving the step, so an empty or short value is
 * an error too. Nothing on screen changes. */
static char *
field_problem (PtIntakePage  *self,
               GtkWidget     *entry,
               gboolean       complete,
               GtkWidget    **row_out)
{
  g_autofree char *text = entry_text (entry);
  g_autofree char *today = pt_desk_today (self->desk);
  g_autoptr(GError) error = NULL;
  GtkWidget *row = NULL;

  if (entry == self->id_entry)
    {
      row = self->id_row;
      if (is_enterprise (self))
        ;
      else if (text[0] == '\0')
        {
          if (complete)
            error = g_error_new_literal (PT_ERROR, PT_ERROR_INVALID, _("Enter the resident ID number (18 characters)."));
        }
      else if (complete || strlen (text) >= 18)
        pt_validate_id_number (text, today, &error);
    }
  else if (entry == self->uscc_entry)
    {
      row = self->uscc_row;
      if (!is_enterprise (self))
        ;
      else if (text[0] == '\0')
        {
          if (complete)
            error = g_error_new_literal (PT_ERROR, PT_ERROR_INVALID,
                                         _("Enter the unified social credit code (18 characters)."));
        }
      else if (complete || strlen (text) >= 18)
        pt_validate_uscc (text, &error);
    }
  else if (entry == self->phone_entry)
    {
      row = self->phone_row;
      if (text[0] == '\0')
        {
          if (complete)
            error = g_error_new_literal (PT_ERROR, PT_ERROR_INVALID, _("Enter a phone number to reach the applicant."));
        }
      else if (complete || strlen (text) >= 11)
        pt_validate_phone (text, &error);
    }
  else if (entry == self->name_entry)
    {
      row = self->name_row;
      if (complete && text[0] == '\0')
        error = g_error_new_literal (PT_ERROR, PT_ERROR_INVALID,
                                     is_enterprise (self) ? _("Enter the enterprise's name.")
                                                          : _("Enter the applicant's name."));
    }
  else if (entry == self->address_entry)
    {
      row = self->address_row;
      if (complete && text[0] == '\0')
        error = g_error_new_literal (PT_ERROR, PT_ERROR_INVALID,
                                     _("Enter the address, for documents and home visits."));
    }
  else if (entry == self->rep_entry)
    {
      row = self->rep_row;
      if (complete && is_enterprise (self) && text[0] == '\0')
        error = g_error_new_literal (PT_ERROR, PT_ERROR_INVALID, _("Enter the legal representative."));
    }

  if (row_out != NULL)
    *row_out = row;
  return error != NULL ? g_strdup (error->message) : NULL;
}

/* Checks one field and shows the result under it. Returns TRUE when the
 * field is fine. */
static gboolean
check_field (PtIntakePage *self,
             GtkWidget    *entry,
             gboolean      complete)
{
  GtkWidget *row = NULL;
  g_autofree char *problem = field_problem (self, entry, complete, &row);

  if (row != NULL)
    set_field_error (row, entry, problem);
  return problem == NULL;
}

/* Whether the steps before @step are complete, with nothing on screen
 * changed: the banner of a refused step goes once they are. */
static gboolean
steps_complete (PtIntakePage *self,
                guint         step)
{
  GtkWidget *entries[] = { self->name_entry, self->id_entry, self->uscc_entry,
                           self->rep_entry, self->phone_entry, self->address_entry };

  for (guint i = 0; step >= 1 && i < G_N_ELEMENTS (entries); i++)
    {
      g_autofree char *problem = field_problem (self, entries[i], TRUE, NULL);
      if (problem != NULL)
        return FALSE;
    }
  return step < 2 || self->chosen->len > 0;
}

static void show_error (PtIntakePage *self, const char *message);

static void
refresh_error (PtIntakePage *self)
{
  if (gtk_widget_get_visible (GTK_WIDGET (self->error_label))
      && steps_complete (self, self->error_step))
    show_error (self, NULL);
}

static void
field_changed_cb (GtkEditable  *entry,
                  PtIntakePage *self)
{
  check_field (self, GTK_WIDGET (entry), FALSE);
  refresh_error (self);
  schedule_save (self);
}

/* Typed or pasted into an ID, USCC or phone field: spaces, full-width
 * digits and a lower-case x are made canonical as they arrive, so that the
 * field shows what will be recorded. Nothing is cut: a character too many
 * stays and is named by the check. */
static void
code_insert_text_cb (GtkEditable *editable,
                     const char  *text,
                     int          length,
                     int         *position,
                     gpointer     user_data)
{
  char *(*normalize) (const char *) = user_data;
  g_autofree char *piece = g_strndup (text, length < 0 ? strlen (text) : (gsize) length);
  g_autofree char *clean = normalize (piece);

  if (strcmp (clean, piece) == 0)
    return;
  g_signal_handlers_block_by_func (editable, code_insert_text_cb, user_data);
  gtk_editable_insert_text (editable, clean, -1, position);
  g_signal_handlers_unblock_by_func (editable, code_insert_text_cb, user_data);
  g_signal_stop_emission_by_name (editable, "insert-text");
}

static char *
normalize_phone_piece (const char *text)
{
  /* Spaces inside a number are kept; a piece that is only a space is typed
   * as one. */
  g_autofree char *clean = pt_normalize_phone (text);

  return clean[0] == '\0' && text[0] != '\0' ? g_strdup (" ") : g_steal_pointer (&clean);
}

static void
normalize_as_typed (GtkWidget *entry,
                    char    *(*normalize) (const char *))
{
  GtkEditable *delegate = gtk_editable_get_delegate (GTK_EDITABLE (entry));

  g_signal_connect (delegate, "insert-text", G_CALLBACK (code_insert_text_cb), normalize);
}

static gboolean
check_applicant (PtIntakePage *self)
{
  GtkWidget *entries[] = { self->name_entry, self->id_entry, self->uscc_entry,
                           self->rep_entry, self->phone_entry, self->address_entry };
  GtkWidget *first_bad = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    if (!check_field (self, entries[i], TRUE) && first_bad == NULL)
      first_bad = entries[i];
  if (first_bad != NULL)
    gtk_widget_grab_focus (first_bad);
  return first_bad == NULL;
}

static void
kind_toggled_cb (PtIntakePage *self)
{
  gboolean enterprise = is_enterprise (self);

  gtk_widget_set_visible (self->id_row, !enterprise);
  gtk_widget_set_visible (self->uscc_row, enterprise);
  gtk_widget_set_visible (self->rep_row, enterprise);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->name_row),
                                 enterprise ? _("Enterprise name") : _("Name"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->name_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  enterprise ? _("Enterprise name") : _("Name"), -1);
  set_field_error (self->id_row, self->id_entry, NULL);
  set_field_error (self->uscc_row, self->uscc_entry, NULL);
  schedule_save (self);
}

/* Elderly, sick, disabled and pregnant applicants are offered a home visit:
 * the channel row proposes it, the runner decides. */
static void
update_home_visit_offer (PtIntakePage *self)
{
  gboolean vulnerable = adw_combo_row_get_selected (ADW_COMBO_ROW (self->vulnerable_row)) > 0;
  gboolean home = adw_combo_row_get_selected (ADW_COMBO_ROW (self->channel_row)) == 2;

  gtk_widget_set_visible (self->home_visit_button, vulnerable && !home);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->channel_row),
                               vulnerable && !home ? _("A home visit is offered to this applicant") : "");
}

static void
vulnerable_changed_cb (PtIntakePage *self)
{
  update_home_visit_offer (self);
  schedule_save (self);
}

static void
channel_changed_cb (PtIntakePage *self)
{
  update_home_visit_offer (self);
  schedule_save (self);
}

static void
home_visit_clicked_cb (PtIntakePage *self)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->channel_row), 2);
}

static GtkWidget *
add_field (PtIntakePage *self,
           const char   *title,
           GtkWidget   **entry_out)
{
  GtkWidget *row = pt_entry_row_new (title, entry_out);

  gtk_entry_set_activates_default (GTK_ENTRY (*entry_out), FALSE);
  g_signal_connect (*entry_out, "changed", G_CALLBACK (field_changed_cb), self);
  g_signal_connect_swapped (*entry_out, "activate", G_CALLBACK (gtk_widget_activate_action),
                            self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->applicant_group), row);
  return row;
}

/* Leaving a field that holds something: it is checked whole, so that an ID
 * number one digit short is named before the next field is typed. */
static void
field_leave_cb (GtkEventControllerFocus *controller,
                PtIntakePage            *self)
{
  GtkWidget *entry = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  if (self->desk != NULL && gtk_editable_get_text (GTK_EDITABLE (entry))[0] != '\0')
    check_field (self, entry, TRUE);
}

static void
entry_activate_cb (GtkEntry     *entry,
                   PtIntakePage *self)
{
  /* Enter moves on: to the next field, or from the last to the next step. */
  if (!gtk_widget_child_focus (GTK_WIDGET (self->applicant_group), GTK_DIR_TAB_FORWARD))
    gtk_widget_activate_action (GTK_WIDGET (self), "intake.next", NULL);
}

static GtkWidget *
combo_row_new (const char         *title,
               const char * const *labels,
               guint               n)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  for (guint i = 0; i < n; i++)
    gtk_string_list_append (list, labels[i]);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (list));
  return row;
}

static void
build_applicant (PtIntakePage *self)
{
  const char *vulnerable[5];
  const char *channels[3];

  self->name_row = add_field (self, _("Name"), &self->name_entry);
  self->id_row = add_field (self, _("Resident ID number"), &self->id_entry);
  self->uscc_row = add_field (self, _("Unified social credit code"), &self->uscc_entry);
  self->rep_row = add_field (self, _("Legal representative"), &self->rep_entry);
  self->phone_row = add_field (self, _("Phone"), &self->phone_entry);
  self->address_row = add_field (self, _("Address"), &self->address_entry);
  normalize_as_typed (self->id_entry, pt_normalize_code);
  normalize_as_typed (self->uscc_entry, pt_normalize_code);
  normalize_as_typed (self->phone_entry, normalize_phone_piece);
  gtk_entry_set_input_purpose (GTK_ENTRY (self->phone_entry), GTK_INPUT_PURPOSE_PHONE);

  for (guint i = 0; i < G_N_ELEMENTS (vulnerable_codes); i++)
    vulnerable[i] = pt_vulnerable_label (vulnerable_codes[i]);
  self->vulnerable_row = combo_row_new (_("Vulnerable group"), vulnerable, 5);
  g_signal_connect_swapped (self->vulnerable_row, "notify::selected", G_CALLBACK (vulnerable_changed_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->applicant_group), self->vulnerable_row);

  for (guint i = 0; i < G_N_ELEMENTS (channel_codes); i++)
    channels[i] = pt_channel_label (channel_codes[i]);
  self->channel_row = combo_row_new (_("Channel"), channels, 3);
  g_signal_connect_swapped (self->channel_row, "notify::selected", G_CALLBACK (channel_changed_cb), self);
  self->home_visit_button = gtk_button_new_with_mnemonic (_("_Home Visit"));
  gtk_widget_set_valign (self->home_visit_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->home_visit_button, _("Take this commission as a home visit"));
  g_signal_connect_swapped (self->home_visit_button, "clicked", G_CALLBACK (home_visit_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->channel_row), self->home_visit_button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->applicant_group), self->channel_row);
  update_home_visit_offer (self);

  {
    GtkWidget *entries[] = { self->name_entry, self->id_entry, self->uscc_entry,
                             self->rep_entry, self->phone_entry, self->address_entry };

    for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
      {
        GtkEventController *focus = gtk_event_controller_focus_new ();

        g_signal_handlers_disconnect_by_func (entries[i], gtk_widget_activate_action, self);
        g_signal_connect (entries[i], "activate", G_CALLBACK (entry_activate_cb), self);
        g_signal_connect (focus, "leave", G_CALLBACK (field_leave_cb), self);
        gtk_widget_add_controller (entries[i], focus);
      }
  }
  kind_toggled_cb (self);
}

/* Items */

static char *
item_subtitle (const PtCatalogItem *item)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, _("%s · %s level · %u working days"), item->department,
                          pt_ui_level_label (item->level), item->limit_days);
  if (item->fees->len == 0)
    g_string_append (text, _(" · free"));
  for (guint i = 0; i < item->fees->len; i++)
    {
      PtCatalogFee *fee = g_ptr_array_index (item->fees, i);
      g_autofree char *amount = fee->amount_fen > 0 ? pt_format_fen (fee->amount_fen)
                                                     : g_strdup (_("amount by case"));

      g_string_append_printf (text, _(" · fee %s %s"), fee->name, amount);
    }
  if (item->in_person)
    g_string_append (text, _(" · applicant must appear in person"));
  return g_string_free (text, FALSE);
}

static void refresh_items (PtIntakePage *self);

/* Whether a chosen item lies outside the desk's own scope. */
static gboolean
needs_transfer (PtIntakePage *self)
{
  PtReference *reference = pt_desk_get_reference (self->desk);

  for (guint i = 0; i < self->chosen->len; i++)
    {
      const PtCatalogItem *item = pt_catalog_lookup (reference->catalog, g_ptr_array_index (self->chosen, i));

      if (item != NULL && !pt_catalog_check_scope (item, pt_desk_get_level (self->desk), NULL, NULL))
        return TRUE;
    }
  return FALSE;
}

static void
remove_item_cb (GtkButton    *button,
                PtIntakePage *self)
{
  const char *code = g_object_get_data (G_OBJECT (button), "code");

  for (guint i = 0; i < self->chosen->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->chosen, i), code) == 0)
      {
        g_ptr_array_remove_index (self->chosen, i);
        break;
      }
  if (self->transfer_to != NULL && !needs_transfer (self))
    g_clear_pointer (&self->transfer_to, g_free);
  refresh_items (self);
  rebuild_materials (self);
  schedule_save (self);
}

static gboolean
is_chosen (PtIntakePage *self,
           const char   *code)
{
  for (guint k = 0; k < self->chosen->len; k++)
    if (g_strcmp0 (g_ptr_array_index (self->chosen, k), code) == 0)
      return TRUE;
  return FALSE;
}

static void
add_item_cb (GtkButton    *button,
             PtIntakePage *self)
{
  const char *code = g_object_get_data (G_OBJECT (button), "code");

  if (is_chosen (self, code))
    return;
  g_ptr_array_add (self->chosen, g_strdup (code));
  refresh_items (self);
  rebuild_materials (self);
  schedule_save (self);
}

/* The unit above the desk's own at @level, which an intake out of the
 * desk's scope is transferred to; NULL when there is none. */
static const PtUnit *
unit_above (PtIntakePage *self,
            PtLevel       level)
{
  PtReference *reference = pt_desk_get_reference (self->desk);
  const PtUnit *unit = pt_desk_get_unit_info (self->desk);

  while (unit != NULL && unit->level != level)
    unit = unit->parent ? pt_district_lookup (reference->district, unit->parent) : NULL;
  return unit;
}

static void
transfer_item_cb (GtkButton    *button,
                  PtIntakePage *self)
{
  const char *to = g_object_get_data (G_OBJECT (button), "to");

  if (self->transfer_to != NULL && g_strcmp0 (self->transfer_to, to) != 0)
    {
      pt_toast (GTK_WIDGET (self), _("This intake is already transferred to another unit: take this item in an intake of its own."));
      return;
    }
  g_free (self->transfer_to);
  self->transfer_to = g_strdup (to);
  add_item_cb (button, self);
}

static GtkWidget *
catalog_row_new (PtIntakePage        *self,
                 const PtCatalogItem *item,
                 gboolean             in_scope,
                 PtLevel              right,
                 const char          *refusal)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *subtitle = item_subtitle (item);
  gboolean chosen = is_chosen (self, item->code);
  const PtUnit *above = NULL;
  GtkWidget *button;
  g_autofree char *name = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), item->name);
  if (in_scope)
    {
      button = gtk_button_new_with_label (chosen ? _("Added") : _("Add"));
      name = g_strdup_printf (_("Add %s"), item->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      g_signal_connect (button, "clicked", G_CALLBACK (add_item_cb), self);
    }
  else
    {
      /* The refusal says why and which level takes it; an intake may still
       * be taken here and transferred up to that level. */
      g_autofree char *reason = g_strdup_printf ("%s\n%s", subtitle, refusal);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), reason);
      gtk_widget_add_css_class (row, "scope-refused");
      if (right < pt_desk_get_level (self->desk))
        above = unit_above (self, right);
      if (above == NULL)
        {
          g_autofree char *where = g_strdup_printf (_("Take at the %s level"), pt_ui_level_label (right));
          GtkWidget *label = gtk_label_new (where);

          gtk_widget_add_css_class (label, "dim-label");
          gtk_label_set_wrap (GTK_LABEL (label), FALSE);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
          return row;
        }
      button = gtk_button_new_with_label (chosen ? _("Added") : _("Take and Transfer"));
      name = g_strdup_printf (_("Take %s and transfer it to %s"), item->name, above->name);
      gtk_widget_set_tooltip_text (button, name);
      g_object_set_data_full (G_OBJECT (button), "to", g_strdup (above->code), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (transfer_item_cb), self);
    }
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (button, !chosen);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  g_object_set_data_full (G_OBJECT (button), "code", g_strdup (item->code), g_free);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
  return row;
}

static void
show_catalog (PtIntakePage *self)
{
  PtReference *reference;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->item_search));
  g_autoptr(GPtrArray) results = NULL;
  PtLevel level;
  guint shown = 0;

  /* The window gives the page its desk after its first frame; the search
   * entry may speak before that. */
  if (self->desk == NULL)
    return;
  reference = pt_desk_get_reference (self->desk);
  level = pt_desk_get_level (self->desk);

  pt_remove_all_children (GTK_WIDGET (self->catalog_list));
  if (reference == NULL || reference->catalog == NULL)
    return;
  if (text[0] != '\0')
    results = pt_catalog_search (reference->catalog, text);
  else
    {
      results = g_ptr_array_new ();
      for (guint i = 0; i < pt_catalog_get_n_items (reference->catalog); i++)
        g_ptr_array_add (results, (gpointer) pt_catalog_get_item (reference->catalog, i));
    }

  /* What this desk may take first, in the search's order; then what it
   * may only take to transfer, or not at all. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < results->len && shown < MAX_RESULTS; i++)
      {
        const PtCatalogItem *item = g_ptr_array_index (results, i);
        g_autoptr(GError) error = NULL;
        PtLevel right = level;
        gboolean in_scope = pt_catalog_check_scope (item, level, &right, &error);

        if (in_scope != (pass == 0))
          continue;
        gtk_list_box_append (self->catalog_list,
                             catalog_row_new (self, item, in_scope, right, error ? error->message : NULL));
        shown++;
      }
}

static void
item_search_cb (PtIntakePage *self)
{
  show_catalog (self);
}

static void
refresh_items (PtIntakePage *self)
{
  PtReference *reference = pt_desk_get_reference (self->desk);

  for (guint i = 0; i < self->chosen_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->chosen_group),
                                  g_ptr_array_index (self->chosen_rows, i));
  g_ptr_array_set_size (self->chosen_rows, 0);

  for (guint i = 0; i < self->chosen->len; i++)
    {
      const char *code = g_ptr_array_index (self->chosen, i);
      const PtCatalogItem *item = pt_catalog_lookup (reference->catalog, code);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *subtitle = item ? item_subtitle (item) : NULL;
      g_autofree char *name = g_strdup_printf (_("Remove %s"), item ? item->name : code);

      if (subtitle != NULL && self->transfer_to != NULL
          && !pt_catalog_check_scope (item, pt_desk_get_level (self->desk), NULL, NULL))
        {
          const PtUnit *to = pt_district_lookup (reference->district, self->transfer_to);
          g_autofree char *with = g_strdup_printf (_("%s\nTaken here and transferred to %s"),
                                                   subtitle, to ? to->name : self->transfer_to);
          g_free (subtitle);
          subtitle = g_steal_pointer (&with);
        }

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), item ? item->name : code);
      if (subtitle != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      g_object_set_data_full (G_OBJECT (button), "code", g_strdup (code), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (remove_item_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->chosen_group), row);
      g_ptr_array_add (self->chosen_rows, row);
    }
  show_catalog (self);
}

/* Materials */

static void
update_missing (PtIntakePage *self)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < self->materials->len; i++)
    {
      MaterialRow *material = g_ptr_array_index (self->materials, i);

      if (gtk_check_button_get_active (GTK_CHECK_BUTTON (material->missing)))
        g_string_append_printf (names, "%s%s", names->len ? "、" : "", material->name);
    }
  if (names->len > 0)
    {
      g_autofree char *text = g_strdup_printf (_("Missing: %s. Accepting records the one-time notice of all of them."),
                                               names->str);
      gtk_label_set_text (self->missing_label, text);
    }
  else
    gtk_label_set_text (self->missing_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->missing_label), names->len > 0);
}

static void
material_changed_cb (PtIntakePage *self)
{
  update_missing (self);
  schedule_save (self);
}

static void
add_material (PtIntakePage            *self,
              const PtCatalogMaterial *material,
              const char              *item)
{
  MaterialRow *row = g_new0 (MaterialRow, 1);
  const char *forms[] = { _("Original"), _("Copy"), NULL };
  g_autofree char *missing_name = g_strdup_printf (_("%s missing"), material->name);
  g_autofree char *count_name = g_strdup_printf (_("%s count"), material->name);

  row->name = g_strdup (material->name);
  row->item = g_strdup (item);
  row->row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->row), material->name);

  row->form = gtk_drop_down_new_from_strings (forms);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (row->form), material->original ? 0 : 1);
  gtk_widget_set_valign (row->form, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->form), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Original or copy"), -1);
  g_signal_connect_swapped (row->form, "notify::selected", G_CALLBACK (material_changed_cb), self);

  row->count = gtk_spin_button_new_with_range (1, 99, 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (row->count), MAX (1, material->count));
  gtk_widget_set_valign (row->count, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->count), GTK_ACCESSIBLE_PROPERTY_LABEL, count_name, -1);
  g_signal_connect_swapped (row->count, "value-changed", G_CALLBACK (material_changed_cb), self);

  row->missing = gtk_check_button_new_with_label (_("Missing"));
  gtk_widget_set_valign (row->missing, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->missing), GTK_ACCESSIBLE_PROPERTY_LABEL, missing_name, -1);
  g_signal_connect_swapped (row->missing, "toggled", G_CALLBACK (material_changed_cb), self);

  adw_action_row_add_suffix (ADW_ACTION_ROW (row->row), row->form);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row->row), row->count);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row->row), row->missing);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->materials_group), row->row);
  g_ptr_array_add (self->materials, row);
}

static void
rebuild_materials (PtIntakePage *self)
{
  PtReference *reference = pt_desk_get_reference (self->desk);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) old = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) previous = g_steal_pointer (&self->materials);

  /* Keep what was already marked for materials that stay on the list: the
   * widgets go with their rows, so their values are copied first. */
  self->materials = g_ptr_array_new_with_free_func ((GDestroyNotify) material_row_free);
  for (guint i = 0; i < previous->len; i++)
    {
      MaterialRow *row = g_ptr_array_index (previous, i);
      guint packed = gtk_drop_down_get_selected (GTK_DROP_DOWN (row->form))
                     | (guint) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (row->count)) << 1
                     | (gtk_check_button_get_active (GTK_CHECK_BUTTON (row->missing)) ? 1u << 16 : 0);

      g_hash_table_insert (old, row->name, GUINT_TO_POINTER (packed | 1u << 20));
      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->materials_group), row->row);
    }

  for (guint i = 0; i < self->chosen->len; i++)
    {
      const PtCatalogItem *item = pt_catalog_lookup (reference->catalog, g_ptr_array_index (self->chosen, i));

      for (guint m = 0; item != NULL && m < item->materials->len; m++)
        {
          const PtCatalogMaterial *material = g_ptr_array_index (item->materials, m);
          guint before;
          MaterialRow *row;

          /* The same material once, however many items ask for it. */
          if (g_hash_table_contains (seen, material->name))
            continue;
          g_hash_table_add (seen, material->name);
          add_material (self, material, item->code);
          row = g_ptr_array_index (self->materials, self->materials->len - 1);
          before = GPOINTER_TO_UINT (g_hash_table_lookup (old, material->name));
          if (before != 0)
            {
              gtk_drop_down_set_selected (GTK_DROP_DOWN (row->form), before & 1);
              gtk_spin_button_set_value (GTK_SPIN_BUTTON (row->count), (before >> 1) & 0x7fff);
              gtk_check_button_set_active (GTK_CHECK_BUTTON (row->missing), (before >> 16) & 1);
            }
        }
    }
  update_missing (self);
}

/* The request and the draft */

static JsonObject *
build_request (PtIntakePage *self,
               gboolean      for_draft)
{
  JsonObject *request = json_object_new ();
  JsonObject *applicant = json_object_new ();
  JsonArray *items = json_array_new ();
  JsonArray *materials = json_array_new ();
  gboolean enterprise = is_enterprise (self);
  struct { const char *member; GtkWidget *entry; gboolean person; gboolean enterprise_only; } fields[] = {
    { "name", self->name_entry, TRUE, TRUE },
    { "id_number", self->id_entry, TRUE, FALSE },
    { "uscc", self->uscc_entry, FALSE, TRUE },
    { "legal_representative", self->rep_entry, FALSE, TRUE },
    { "phone", self->phone_entry, TRUE, TRUE },
    { "address", self->address_entry, TRUE, TRUE },
  };

  json_object_set_string_member (applicant, "kind", enterprise ? "enterprise" : "person");
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *text = entry_text (fields[i].entry);

      if (!for_draft && (enterprise ? !fields[i].enterprise_only : !fields[i].person))
        continue;
      if (text[0] != '\0' || for_draft)
        json_object_set_string_member (applicant, fields[i].member, text);
    }
  json_object_set_string_member (applicant, "vulnerable",
                                 vulnerable_codes[MIN (adw_combo_row_get_selected (ADW_COMBO_ROW (self->vulnerable_row)), 4)]);
  json_object_set_object_member (request, "applicant", applicant);
  json_object_set_string_member (request, "channel",
                                 channel_codes[MIN (adw_combo_row_get_selected (ADW_COMBO_ROW (self->channel_row)), 2)]);
  for (guint i = 0; i < self->chosen->len; i++)
    json_array_add_string_element (items, g_ptr_array_index (self->chosen, i));
  json_object_set_array_member (request, "items", items);
  if (!for_draft && pt_desk_get_unit (self->desk) != NULL)
    json_object_set_string_member (request, "unit", pt_desk_get_unit (self->desk));
  if (self->transfer_to != NULL)
    json_object_set_string_member (request, "transfer_to", self->transfer_to);

  for (guint i = 0; i < self->materials->len; i++)
    {
      MaterialRow *row = g_ptr_array_index (self->materials, i);
      JsonObject *material = json_object_new ();

      json_object_set_string_member (material, "name", row->name);
      json_object_set_string_member (material, "form",
                                     gtk_drop_down_get_selected (GTK_DROP_DOWN (row->form)) == 0 ? "original" : "copy");
      json_object_set_int_member (material, "count", gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (row->count)));
      json_object_set_boolean_member (material, "missing", gtk_check_button_get_active (GTK_CHECK_BUTTON (row->missing)));
      if (row->item != NULL)
        json_object_set_string_member (material, "item", row->item);
      json_array_add_object_element (materials, material);
    }
  if (json_array_get_length (materials) > 0 || for_draft)
    json_object_set_array_member (request, "materials", materials);
  else
    json_array_unref (materials);
  if (for_draft)
    json_object_set_string_member (request, "step", gtk_stack_get_visible_child_name (self->stack));
  return request;
}

char *
pt_intake_draft_path (void)
{
  const char *dir = g_getenv ("PT_DRAFT_DIR");

  if (dir != NULL && dir[0] != '\0')
    return g_build_filename (dir, "intake-draft.json", NULL);
  return g_build_filename (g_get_user_data_dir (), "paotuan", "intake-draft.json", NULL);
}

gboolean
pt_intake_page_has_unsaved (PtIntakePage *self)
{
  GtkWidget *entries[] = { self->name_entry, self->id_entry, self->uscc_entry,
                           self->rep_entry, self->phone_entry, self->address_entry };

  g_return_val_if_fail (PT_IS_INTAKE_PAGE (self), FALSE);
  if (self->chosen->len > 0)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    if (gtk_editable_get_text (GTK_EDITABLE (entries[i]))[0] != '\0')
      return TRUE;
  return FALSE;
}

void
pt_intake_page_save_draft (PtIntakePage *self)
{
  g_autofree char *path = pt_intake_draft_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PT_IS_INTAKE_PAGE (self));
  g_clear_handle_id (&self->save_source, g_source_remove);
  if (self->desk == NULL)
    return;
  if (!pt_intake_page_has_unsaved (self))
    {
      g_unlink (path);
      return;
    }
  {
    g_autoptr(JsonObject) draft = build_request (self, TRUE);
    g_autofree char *text = pt_json_object_canonical (draft);

    /* A small file written whole: a crash never leaves half a draft. */
    g_mkdir_with_parents (dir, 0700);
    if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
      pt_toast (GTK_WIDGET (self), error->message);
  }
}

static gboolean
save_timeout_cb (gpointer user_data)
{
  PtIntakePage *self = user_data;

  self->save_source = 0;
  pt_intake_page_save_draft (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_save (PtIntakePage *self)
{
  if (self->loading || self->desk == NULL)
    return;
  g_clear_handle_id (&self->save_source, g_source_remove);
  self->save_source = g_timeout_add (300, save_timeout_cb, self);
}

static void
set_entry (GtkWidget  *entry,
           JsonObject *object,
           const char *member)
{
  const char *text = pt_json_get_string (object, member);

  gtk_editable_set_text (GTK_EDITABLE (entry), text ? text : "");
}

static guint
code_index (const char  *code,
            const char **codes,
            guint        n)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (codes[i], code) == 0)
      return i;
  return 0;
}

static void step_changed_cb (PtIntakePage *self);

/* Fills the form from a draft and opens it on the step it was left at,
 * with that step's summary and checks. */
static void
restore (PtIntakePage *self,
         JsonObject   *draft)
{
  JsonObject *applicant;
  JsonArray *items;
  JsonArray *materials;

  self->loading = TRUE;
  g_free (self->transfer_to);
  self->transfer_to = g_strdup (pt_json_get_string (draft, "transfer_to"));
  applicant = pt_json_get_object (draft, "applicant");
  if (applicant != NULL)
    {
      gtk_toggle_button_set_active (g_strcmp0 (pt_json_get_string (applicant, "kind"), "enterprise") == 0
                                    ? self->enterprise_button : self->person_button, TRUE);
      set_entry (self->name_entry, applicant, "name");
      set_entry (self->id_entry, applicant, "id_number");
      set_entry (self->uscc_entry, applicant, "uscc");
      set_entry (self->rep_entry, applicant, "legal_representative");
      set_entry (self->phone_entry, applicant, "phone");
      set_entry (self->address_entry, applicant, "address");
      adw_combo_row_set_selected (ADW_COMBO_ROW (self->vulnerable_row),
                                  code_index (pt_json_get_string (applicant, "vulnerable"), vulnerable_codes, 5));
    }
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->channel_row),
                              code_index (pt_json_get_string (draft, "channel"), channel_codes, 3));
  g_ptr_array_set_size (self->chosen, 0);
  items = pt_json_get_array (draft, "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    g_ptr_array_add (self->chosen, g_strdup (json_array_get_string_element (items, i)));
  refresh_items (self);
  rebuild_materials (self);
  materials = pt_json_get_array (draft, "materials");
  for (guint i = 0; materials != NULL && i < json_array_get_length (materials); i++)
    {
      JsonObject *saved = json_array_get_object_element (materials, i);

      for (guint k = 0; k < self->materials->len; k++)
        {
          MaterialRow *row = g_ptr_array_index (self->materials, k);

          if (g_strcmp0 (row->name, pt_json_get_string (saved, "name")) != 0)
            continue;
          gtk_drop_down_set_selected (GTK_DROP_DOWN (row->form),
                                      g_strcmp0 (pt_json_get_string (saved, "form"), "copy") == 0);
          gtk_spin_button_set_value (GTK_SPIN_BUTTON (row->count), pt_json_get_int (saved, "count", 1));
          gtk_check_button_set_active (GTK_CHECK_BUTTON (row->missing), pt_json_get_bool (saved, "missing", FALSE));
        }
    }
  if (pt_json_get_string (draft, "step") != NULL)
    gtk_stack_set_visible_child_name (self->stack, pt_json_get_string (draft, "step"));
  self->loading = FALSE;
  update_missing (self);
  update_home_visit_offer (self);
  step_changed_cb (self);
}

gboolean
pt_intake_page_load_draft (PtIntakePage *self)
{
  g_autofree char *path = pt_intake_draft_path ();
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) draft = NULL;

  g_return_val_if_fail (PT_IS_INTAKE_PAGE (self), FALSE);
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return FALSE;
  draft = pt_json_parse_object (text, -1, NULL);
  if (draft == NULL)
    return FALSE;
  restore (self, draft);
  return TRUE;
}

void
pt_intake_page_clear (PtIntakePage *self)
{
  GtkWidget *entries[] = { self->name_entry, self->id_entry, self->uscc_entry,
                           self->rep_entry, self->phone_entry, self->address_entry };
  g_autofree char *path = pt_intake_draft_path ();

  g_return_if_fail (PT_IS_INTAKE_PAGE (self));
  self->loading = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    gtk_editable_set_text (GTK_EDITABLE (entries[i]), "");
  gtk_toggle_button_set_active (self->person_button, TRUE);
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->vulnerable_row), 0);
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->channel_row), 0);
  g_ptr_array_set_size (self->chosen, 0);
  g_clear_pointer (&self->transfer_to, g_free);
  gtk_editable_set_text (GTK_EDITABLE (self->item_search), "");
  refresh_items (self);
  rebuild_materials (self);
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    check_field (self, entries[i], FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_stack_set_visible_child_name (self->stack, "applicant");
  self->loading = FALSE;
  g_clear_handle_id (&self->save_source, g_source_remove);
  g_unlink (path);
}

/* Steps */

static void
show_error (PtIntakePage *self,
            const char   *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
fill_summary (PtIntakePage *self)
{
  PtReference *reference = pt_desk_get_reference (self->desk);
  gboolean enterprise = is_enterprise (self);
  g_autofree char *name = entry_text (self->name_entry);
  g_autofree char *id = entry_text (enterprise ? self->uscc_entry : self->id_entry);
  g_autofree char *rep = entry_text (self->rep_entry);
  g_autofree char *phone = entry_text (self->phone_entry);
  g_autofree char *address = entry_text (self->address_entry);
  guint vulnerable = MIN (adw_combo_row_get_selected (ADW_COMBO_ROW (self->vulnerable_row)), 4);
  guint channel = MIN (adw_combo_row_get_selected (ADW_COMBO_ROW (self->channel_row)), 2);
  g_autoptr(GString) items = g_string_new (NULL);
  g_autoptr(GString) received = g_string_new (NULL);
  g_autoptr(GString) missing = g_string_new (NULL);
  struct { const char *title; const char *value; } rows[] = {
    { enterprise ? _("Enterprise") : _("Applicant"), name },
    { enterprise ? _("Unified social credit code") : _("Resident ID number"), id },
    { _("Legal representative"), enterprise ? rep : NULL },
    { _("Phone"), phone },
    { _("Address"), address },
    { _("Vulnerable group"), pt_vulnerable_label (vulnerable_codes[vulnerable]) },
    { _("Channel"), pt_channel_label (channel_codes[channel]) },
    { _("Items"), NULL },
    { _("Materials received"), NULL },
    { _("Missing materials"), NULL },
  };

  for (guint i = 0; i < self->summary_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->summary_group),
                                  g_ptr_array_index (self->summary_rows, i));
  g_ptr_array_set_size (self->summary_rows, 0);

  for (guint i = 0; i < self->chosen->len; i++)
    {
      const PtCatalogItem *item = pt_catalog_lookup (reference->catalog, g_ptr_array_index (self->chosen, i));

      g_string_append_printf (items, "%s%s", items->len ? "、" : "", item ? item->name : "");
    }
  if (self->transfer_to != NULL)
    {
      const PtUnit *to = pt_district_lookup (reference->district, self->transfer_to);
      g_autofree char *note = g_strdup_printf (_(" (transferred to %s at intake)"), to ? to->name : self->transfer_to);
      g_string_append (items, note);
    }
  for (guint i = 0; i < self->materials->len; i++)
    {
      MaterialRow *row = g_ptr_array_index (self->materials, i);

      if (gtk_check_button_get_active (GTK_CHECK_BUTTON (row->missing)))
        g_string_append_printf (missing, "%s%s", missing->len ? "、" : "", row->name);
      else
        {
          /* 身份证（复印件 1 份） */
          g_autofree char *one = g_strdup_printf (_("%s (%s, %d)"), row->name,
                                                  gtk_drop_down_get_selected (GTK_DROP_DOWN (row->form)) == 0
                                                  ? _("Original") : _("Copy"),
                                                  gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (row->count)));
          g_string_append_printf (received, "%s%s", received->len ? "、" : "", one);
        }
    }
  rows[7].value = items->str;
  rows[8].value = received->len ? received->str : _("none");
  rows[9].value = missing->len ? missing->str : _("none");
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      GtkWidget *row;

      if (rows[i].value == NULL)
        continue;
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), rows[i].title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), rows[i].value);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->summary_group), row);
      g_ptr_array_add (self->summary_rows, row);
    }
}

static guint
current_step (PtIntakePage *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->stack);

  for (guint i = 0; i < G_N_ELEMENTS (step_names); i++)
    if (g_strcmp0 (name, step_names[i]) == 0)
      return i;
  return 0;
}

/* Whether the steps before @step are complete; says what is missing. */
static gboolean
can_enter (PtIntakePage *self,
           guint         step)
{
  self->error_step = step;
  if (step >= 1 && !check_applicant (self))
    {
      show_error (self, _("Some applicant details need attention: see the fields marked above."));
      gtk_stack_set_visible_child_name (self->stack, "applicant");
      return FALSE;
    }
  if (step >= 2 && self->chosen->len == 0)
    {
      show_error (self, _("Add at least one item the applicant asks for."));
      gtk_stack_set_visible_child_name (self->stack, "items");
      return FALSE;
    }
  show_error (self, NULL);
  return TRUE;
}

static void
step_changed_cb (PtIntakePage *self)
{
  guint step = current_step (self);

  gtk_widget_set_visible (self->next_button, step < 3);
  gtk_widget_set_visible (self->accept_button, step == 3);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "intake.previous", step > 0);
  if (self->desk == NULL || self->loading)
    return;
  if (step > 0 && !can_enter (self, step))
    return;
  if (step == 1)
    gtk_widget_grab_focus (GTK_WIDGET (self->item_search));
  else if (step == 3)
    {
      fill_summary (self);
      gtk_widget_grab_focus (self->accept_button);
    }
  schedule_save (self);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PtIntakePage *self = PT_INTAKE_PAGE (widget);
  guint step = current_step (self);

  if (step < 3 && can_enter (self, step + 1))
    gtk_stack_set_visible_child_name (self->stack, step_names[step + 1]);
}

static void
previous_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PtIntakePage *self = PT_INTAKE_PAGE (widget);
  guint step = current_step (self);

  if (step > 0)
    gtk_stack_set_visible_child_name (self->stack, step_names[step - 1]);
}

static void
undo_discard_cb (AdwToast     *toast,
                 PtIntakePage *self)
{
  JsonObject *draft = g_object_get_data (G_OBJECT (toast), "draft");

  restore (self, draft);
  pt_intake_page_save_draft (self);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-page", "s", "intake");
}

static void
discard_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PtIntakePage *self = PT_INTAKE_PAGE (widget);
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  JsonObject *draft;
  AdwToast *toast;

  if (!pt_intake_page_has_unsaved (self))
    {
      pt_intake_page_clear (self);
      gtk_widget_activate_action (widget, "win.show-page", "s", "today");
      return;
    }
  /* Nothing typed is lost to one click: the toast gives it back. */
  draft = build_request (self, TRUE);
  pt_intake_page_clear (self);
  toast = adw_toast_new (_("Intake discarded"));
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_timeout (toast, 10);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (undo_discard_cb),
                         g_object_ref (self), (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  g_object_set_data_full (G_OBJECT (toast), "draft", draft, (GDestroyNotify) json_object_unref);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (toast);
  gtk_widget_activate_action (widget, "win.show-page", "s", "today");
}

/* Accepting: intake, materials and (if any are missing) the one-time notice. */

typedef struct {
  JsonObject *request;
  char       *author;
  char       *notice_deadline;
} CreateData;

static void
create_data_free (CreateData *data)
{
  json_object_unref (data->request);
  g_free (data->author);
  g_free (data);
}

static gpointer
create_job (PtStore       *store,
            gpointer       user_data,
            GCancellable  *cancellable,
            GError       **error)
{
  CreateData *data = user_data;

  /* The case, its checklist and the one-time notice of what is missing: one
   * call, one transaction, the same as paotuanctl case new. */
  return pt_store_create_case (store, data->request, data->author, error);
}

static void
created_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PtIntakePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;

  number = pt_store_worker_run_finish (PT_STORE_WORKER (source), result, &error);
  self->busy = FALSE;
  gtk_widget_set_sensitive (self->accept_button, TRUE);
  if (number == NULL)
    {
      /* The core's reason, e.g. an item outside this desk's scope. */
      show_error (self, error->message);
      return;
    }
  pt_intake_page_clear (self);
  pt_desk_emit_changed (self->desk, NULL);
  g_signal_emit (self, signals[CREATED], 0, number);
}

static void
accept_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PtIntakePage *self = PT_INTAKE_PAGE (widget);
  CreateData *data;

  if (self->busy || !can_enter (self, 3))
    return;
  self->busy = TRUE;
  gtk_widget_set_sensitive (self->accept_button, FALSE);
  data = g_new0 (CreateData, 1);
  data->request = build_request (self, FALSE);
  data->author = g_strdup (pt_desk_get_runner (self->desk));
  pt_store_worker_run_async (pt_desk_get_worker (self->desk), create_job, data,
                             (GDestroyNotify) create_data_free, g_free,
                             self->cancellable, created_cb, g_object_ref (self));
}

static void
pt_intake_page_dispose (GObject *object)
{
  PtIntakePage *self = PT_INTAKE_PAGE (object);

  if (self->save_source != 0)
    pt_intake_page_save_draft (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PT_TYPE_INTAKE_PAGE);
  g_clear_object (&self->desk);

  G_OBJECT_CLASS (pt_intake_page_parent_class)->dispose (object);
}

static void
pt_intake_page_finalize (GObject *object)
{
  PtIntakePage *self = PT_INTAKE_PAGE (object);

  g_ptr_array_unref (self->chosen);
  g_ptr_array_unref (self->chosen_rows);
  g_ptr_array_unref (self->materials);
  g_ptr_array_unref (self->summary_rows);
  g_free (self->transfer_to);

  G_OBJECT_CLASS (pt_intake_page_parent_class)->finalize (object);
}

static void
pt_intake_page_class_init (PtIntakePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pt_intake_page_dispose;
  object_class->finalize = pt_intake_page_finalize;

  /* A case was created: the argument is its number. */
  signals[CREATED] = g_signal_new ("created", G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/paotuan/Paotuan/ui/pt-intake-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PtIntakePage, stack);
  gtk_widget_class_bind_template_child (widget_class, PtIntakePage, person_button);
  gtk_widget_class_bind_template_child (widget_class, PtIntakePage, enterprise_button);
  gtk_widget_class_bind_template_child (widget_class, PtIntakePage, applicant_group);
  gtk_widget_class_bind_template_child (widget_class, PtIntakePage, chosen_group);
  gtk_widget_class_bind_template_child (widget_class, PtIntakePage, item_search);
  gtk_widget_class_bind_template_child (widget_class, PtIntakePage, catalog_list);
  gtk_widget_class_bind_template_child (widget_class, PtIntakePage, materials_group);
  gtk_widget_class_bind_template_child (widget_class, PtIntakePage, missing_label);
  gtk_widget_class_bind_template_child (widget_class, PtIntakePage, summary_group);
  gtk_widget_class_bind_template_child (widget_class, PtIntakePage, error_label);
  gtk_widget_class_bind_template_child (widget_class, PtIntakePage, next_button);
  gtk_widget_class_bind_template_child (widget_class, PtIntakePage, accept_button);
  gtk_widget_class_bind_template_callback (widget_class, kind_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, item_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, step_changed_cb);

  gtk_widget_class_install_action (widget_class, "intake.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "intake.previous", NULL, previous_action);
  gtk_widget_class_install_action (widget_class, "intake.accept", NULL, accept_action);
  gtk_widget_class_install_action (widget_class, "intake.discard", NULL, discard_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "intake.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "intake.previous", NULL);
}

static void
pt_intake_page_init (PtIntakePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->chosen = g_ptr_array_new_with_free_func (g_free);
  self->chosen_rows = g_ptr_array_new ();
  self->materials = g_ptr_array_new_with_free_func ((GDestroyNotify) material_row_free);
  self->summary_rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  self->loading = TRUE;
  build_applicant (self);
  self->loading = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "intake.previous", FALSE);
}

static void
first_map_cb (PtIntakePage *self)
{
  g_signal_handlers_disconnect_by_func (self, first_map_cb, NULL);
  show_catalog (self);
}

GtkWidget *
pt_intake_page_new (void)
{
  return g_object_new (PT_TYPE_INTAKE_PAGE, NULL);
}

void
pt_intake_page_set_desk (PtIntakePage *self,
                         PtDesk       *desk)
{
  g_return_if_fail (PT_IS_INTAKE_PAGE (self));
  g_set_object (&self->desk, desk);
  /* The catalog list is built when the page is first shown. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    show_catalog (self);
  else
    g_signal_connect (self, "map", G_CALLBACK (first_map_cb), NULL);
}

void
pt_intake_page_start (PtIntakePage *self)
{
  g_return_if_fail (PT_IS_INTAKE_PAGE (self));
  gtk_stack_set_visible_child_name (self->stack, "applicant");
  gtk_widget_grab_focus (self->name_entry);
}
