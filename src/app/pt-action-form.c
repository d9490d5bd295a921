/* pt-action-form.c: fields and payloads of the case page's actions. */
#define G_LOG_DOMAIN "pt-app"

#include <glib/gi18n.h>

#include "pt-action-form.h"
#include "pt-mail.h"

#include "pt-app-util.h"
#include "pt-calendar.h"
#include "pt-catalog.h"
#include "pt-error.h"
#include "pt-json.h"
#include "pt-reference.h"

struct _PtActionForm
{
  GtkBox       parent_instance;

  PtDesk      *desk;
  PtEventType  type;
  char        *step_id;
  PtCaseState *state;       /* borrowed from the detail, which outlives the form */
  GtkWidget   *group;       /* AdwPreferencesGroup */
  GtkWidget   *error_label;
  GHashTable  *fields;      /* key -> GtkWidget (entry, check) or GPtrArray of checks */
  GPtrArray   *plan_rows;   /* PtPlanRow */
  GPtrArray   *runner_ids;  /* parallel to the "runner" choice */
  GPtrArray   *unit_codes;  /* parallel to unit_names */
  GtkStringList   *unit_names;   /* the transfer's targets, unfiltered */
  GtkStringFilter *unit_filter;  /* the transfer list's search */
  char        *digest;      /* of the agreement PDF shown beside the form */
};

G_DEFINE_FINAL_TYPE (PtActionForm, pt_action_form, GTK_TYPE_BOX)

enum {
  SUBMIT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct {
  const PtCatalogItem *item;
  char                *code;
  GtkWidget           *mode;      /* GtkDropDown */
  GtkWidget           *start;     /* GtkEntry */
  GtkWidget           *end;       /* GtkEntry */
} PlanRow;

static void
plan_row_free (PlanRow *row)
{
  g_free (row->code);
  g_free (row);
}

/* Field builders */

static GtkWidget *
add_entry (PtActionForm *self,
           const char   *key,
           const char   *title,
           const char   *initial)
{
  GtkWidget *entry;
  GtkWidget *row = pt_entry_row_new (title, &entry);

  if (initial != NULL)
    gtk_editable_set_text (GTK_EDITABLE (entry), initial);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), row);
  g_hash_table_insert (self->fields, g_strdup (key), entry);
  return entry;
}

static GtkWidget *
add_check (PtActionForm *self,
           const char   *key,
           const char   *title,
           gboolean      active)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), active);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), row);
  if (key != NULL)
    g_hash_table_insert (self->fields, g_strdup (key), check);
  return check;
}

/* A row of radio buttons; the chosen one's index is the value. @active
 * G_MAXUINT: none is chosen, the clerk must choose. */
static void
add_choice (PtActionForm       *self,
            const char         *key,
            const char         *title,
            const char * const *labels,
            guint               n_labels,
            guint               active)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *box = gtk_flow_box_new ();
  GPtrArray *checks = g_ptr_array_new ();
  GtkWidget *first = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (box), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (box), 6);
  gtk_widget_set_hexpand (box, TRUE);
  for (guint i = 0; i < n_labels; i++)
    {
      /* One of a group: a radio button to screen readers too. */
      GtkWidget *check = g_object_new (GTK_TYPE_CHECK_BUTTON, "label", labels[i],
                                       "accessible-role", GTK_ACCESSIBLE_ROLE_RADIO, NULL);

      if (first == NULL)
        first = check;
      else
        gtk_check_button_set_group (GTK_CHECK_BUTTON (check), GTK_CHECK_BUTTON (first));
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), i == active);
      gtk_flow_box_append (GTK_FLOW_BOX (box), check);
      g_ptr_array_add (checks, check);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), row);
  g_object_set_data_full (G_OBJECT (row), "checks", checks, (GDestroyNotify) g_ptr_array_unref);
  g_hash_table_insert (self->fields, g_strdup (key), checks);
}

/* The chosen index, or -1 when none is. */
static int
get_choice (PtActionForm *self,
            const char   *key)
{
  GPtrArray *checks = g_hash_table_lookup (self->fields, key);

  for (guint i = 0; checks != NULL && i < checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (checks, i)))
      return (int) i;
  return -1;
}

/* A drop-down row of @labels, none chosen at first. */
static GtkWidget *
add_combo (PtActionForm       *self,
           const char         *key,
           const char         *title,
           const char * const *labels)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) list = gtk_string_list_new (labels);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (list));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), GTK_INVALID_LIST_POSITION);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), row);
  g_hash_table_insert (self->fields, g_strdup (key), row);
  return row;
}

static int
get_combo (PtActionForm *self,
           const char   *key)
{
  GtkWidget *row = g_hash_table_lookup (self->fields, key);
  guint selected = row != NULL ? adw_combo_row_get_selected (ADW_COMBO_ROW (row)) : GTK_INVALID_LIST_POSITION;

  return selected == GTK_INVALID_LIST_POSITION ? -1 : (int) selected;
}

/* The rows a delivery by mail adds, shown only for mail. */
static void
mail_toggled_cb (GtkCheckButton *by_mail,
                 PtActionForm   *self)
{
  GPtrArray *rows = g_object_get_data (G_OBJECT (self), "mail-rows");

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    gtk_widget_set_visible (g_ptr_array_index (rows, i), gtk_check_button_get_active (by_mail));
}

static char *
get_text (PtActionForm *self,
          const char   *key)
{
  GtkWidget *entry = g_hash_table_lookup (self->fields, key);
  g_autofree char *text = NULL;

  if (entry == NULL)
    return NULL;
  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  if (text[0] == '\0')
    return NULL;
  return g_steal_pointer (&text);
}

static gboolean
require_text (PtActionForm  *self,
              JsonObject    *payload,
              const char    *key,
              const char    *member,
              const char    *title,
              GError       **error)
{
  g_autofree char *text = get_text (self, key);

  if (text == NULL)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID, _("Fill in “%s”."), title);
      return FALSE;
    }
  json_object_set_string_member (payload, member, text);
  return TRUE;
}

static void
optional_text (PtActionForm *self,
               JsonObject   *payload,
               const char   *key)
{
  g_autofree char *text = get_text (self, key);

  if (text != NULL)
    json_object_set_string_member (payload, key, text);
}

/* Forms */

static void
build_plan (PtActionForm *self)
{
  PtReference *reference = pt_desk_get_reference (self->desk);
  g_autofree char *today = pt_desk_today (self->desk);
  g_autoptr(GtkStringList) modes = gtk_string_list_new (NULL);
  gboolean several = self->state->items->len > 1;

  for (int m = PT_MODE_SINGLE; m <= PT_MODE_CROSS_LEVEL; m++)
    gtk_string_list_append (modes, pt_ui_mode_label (m));

  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->group),
    _("One step per item and department, agreed with the applicant. Steps of several departments run in parallel."));
  self->plan_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) plan_row_free);
  for (guint i = 0; i < self->state->items->len; i++)
    {
      const char *code = g_ptr_array_index (self->state->items, i);
      const PtCatalogItem *item = pt_catalog_lookup (reference->catalog, code);
      PlanRow *plan = g_new0 (PlanRow, 1);
      GtkWidget *row = adw_expander_row_new ();
      GtkWidget *sub;
      g_autofree char *subtitle = NULL;
      g_autofree char *end = NULL;
      PtStepMode mode;

      plan->item = item;
      plan->code = g_strdup (code);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), item ? item->name : code);
      subtitle = g_strdup_printf (_("%s · %u working days"),
                                  item ? item->department : "", item ? item->limit_days : 20);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);

      /* The usual plan: other levels' items go across levels, several
       * departments in parallel. */
      if (item != NULL && item->level != self->state->level)
        mode = PT_MODE_CROSS_LEVEL;
      else
        mode = several ? PT_MODE_PARALLEL : PT_MODE_SINGLE;
      plan->mode = gtk_drop_down_new (g_object_ref (G_LIST_MODEL (modes)), NULL);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (plan->mode), mode);
      gtk_widget_set_valign (plan->mode, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (plan->mode), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Approval mode"), -1);
      adw_expander_row_add_action (ADW_EXPANDER_ROW (row), plan->mode);

      sub = pt_entry_row_new (_("Planned start"), &plan->start);
      gtk_editable_set_text (GTK_EDITABLE (plan->start), today);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), sub);
      end = pt_calendar_add_working_days (reference->calendar, today,
                                          item ? item->limit_days : 20, NULL);
      sub = pt_entry_row_new (_("Planned end"), &plan->end);
      gtk_editable_set_text (GTK_EDITABLE (plan->end), end ? end : today);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), sub);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), row);
      g_ptr_array_add (self->plan_rows, plan);
    }
}

static JsonObject *
plan_payload (PtActionForm  *self,
              GError       **error)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  JsonArray *steps = json_array_new ();
  static const char *modes[] = { "single", "parallel", "cross_level" };

  json_object_set_array_member (payload, "steps", steps);
  for (guint i = 0; i < self->plan_rows->len; i++)
    {
      PlanRow *plan = g_ptr_array_index (self->plan_rows, i);
      JsonObject *step = json_object_new ();
      g_autofree char *id = g_strdup_printf ("S%u", i + 1);
      const char *start = gtk_editable_get_text (GTK_EDITABLE (plan->start));
      const char *end = gtk_editable_get_text (GTK_EDITABLE (plan->end));
      guint mode = gtk_drop_down_get_selected (GTK_DROP_DOWN (plan->mode));

      json_object_set_string_member (step, "id", id);
      json_object_set_string_member (step, "item", plan->code);
      json_object_set_string_member (step, "department", plan->item ? plan->item->department : _("Unknown department"));
      json_object_set_string_member (step, "level", pt_level_to_string (plan->item ? plan->item->level : self->state->level));
      json_object_set_string_member (step, "mode", modes[MIN (mode, 2)]);
      if (start[0] != '\0')
        json_object_set_string_member (step, "planned_start", start);
      if (end[0] != '\0')
        json_object_set_string_member (step, "planned_end", end);
      json_object_set_int_member (step, "limit_days", plan->item ? plan->item->limit_days : 20);
      json_array_add_object_element (steps, step);
    }
  return g_steal_pointer (&payload);
}

static void
build_runner (PtActionForm       *self,
              const PtCaseDetail *detail)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  guint active = 0;

  self->runner_ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; detail->runners && i < detail->runners->len; i++)
    {
      PtRunner *runner = g_ptr_array_index (detail->runners, i);

      if (!runner->active)
        continue;
      if (g_strcmp0 (runner->id, pt_desk_get_runner (self->desk)) == 0)
        active = self->runner_ids->len;
      g_ptr_array_add (self->runner_ids, g_strdup (runner->id));
      g_ptr_array_add (labels, g_strdup (runner->name));
    }
  if (self->runner_ids->len == 0)
    {
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->group),
        _("This unit has no active runner. Add runners with paotuanctl or sync the roster."));
      return;
    }
  add_choice (self, "runner", _("Runner"), (const char * const *) labels->pdata, labels->len, active);
  add_entry (self, "reason", _("Reason (for a reassignment)"), NULL);
}

/* A unit's row in the transfer list: its whole name, wrapped, and level. */
static void
unit_item_setup_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
  gtk_list_item_set_child (item, label);
}

static void
unit_item_bind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  user_data)
{
  GtkStringObject *name = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), gtk_string_object_get_string (name));
}

static void
unit_search_changed_cb (GtkEditable  *search,
                        PtActionForm *self)
{
  GtkWidget *row = g_hash_table_lookup (self->fields, "to_unit");

  gtk_string_filter_set_search (self->unit_filter, gtk_editable_get_text (search));
  if (g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (row))) > 0)
    adw_combo_row_set_selected (ADW_COMBO_ROW (row), 0);
}

/* The units the case may go to (pt_district_transfer_targets ()): the
 * desk's own parent first and chosen, searchable by name. */
static void
build_transfer (PtActionForm *self)
{
  PtReference *reference = pt_desk_get_reference (self->desk);
  GtkStringList *names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) targets = NULL;
  GtkStringFilter *filter;
  GtkFilterListModel *filtered;
  GtkListItemFactory *factory;
  GtkWidget *row = adw_combo_row_new ();
  GtkWidget *search;

  self->unit_codes = g_ptr_array_new_with_free_func (g_free);
  targets = reference->district != NULL
            ? pt_district_transfer_targets (reference->district, pt_desk_get_unit (self->desk), self->state->unit)
            : g_ptr_array_new ();
  for (guint i = 0; i < targets->len; i++)
    {
      const PtUnit *unit = g_ptr_array_index (targets, i);
      g_autofree char *label = g_strdup_printf ("%s · %s", unit->name, pt_ui_level_label (unit->level));

      gtk_string_list_append (names, label);
      g_ptr_array_add (self->unit_codes, g_strdup (unit->code));
    }
  if (targets->len > 8)
    {
      search = add_entry (self, "unit_search", _("Search units"), NULL);
      g_signal_connect (search, "changed", G_CALLBACK (unit_search_changed_cb), self);
    }
  filter = gtk_string_filter_new (gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string"));
  gtk_string_filter_set_match_mode (filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (names)), GTK_FILTER (filter));
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (unit_item_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (unit_item_bind_cb), NULL);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Transfer to"));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (filtered));
  adw_combo_row_set_list_factory (ADW_COMBO_ROW (row), factory);
  g_object_unref (factory);
  self->unit_filter = filter;   /* owned by the filtered model */
  self->unit_names = names;
  g_object_unref (filtered);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), row);
  g_hash_table_insert (self->fields, g_strdup ("to_unit"), row);
  if (targets->len == 0)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->group),
      _("The district has no unit above or below this one to take the case."));
  add_entry (self, "reason", _("Reason"), NULL);
}

/* The materials whose checks (made with "material" data) are ticked, as a
 * payload's material entries: name, original or copy, copies. */
static JsonArray *
ticked_materials (GPtrArray *checks)
{
  JsonArray *materials = json_array_new ();

  for (guint i = 0; checks != NULL && i < checks->len; i++)
    {
      GtkWidget *check = g_ptr_array_index (checks, i);
      PtMaterial *material = g_object_get_data (G_OBJECT (check), "material");
      JsonObject *entry;

      if (!gtk_check_button_get_active (GTK_CHECK_BUTTON (check)))
        continue;
      entry = json_object_new ();
      json_object_set_string_member (entry, "name", material->name);
      json_object_set_string_member (entry, "form", material->original ? "original" : "copy");
      json_object_set_int_member (entry, "count", MAX (material->count, 1));
      json_array_add_object_element (materials, entry);
    }
  return materials;
}

/* Missing materials that arrived later (补交): one check per material
 * still missing, all ticked, since usually the applicant brings them all. */
static void
build_received (PtActionForm *self)
{
  GPtrArray *checks = g_ptr_array_new ();

  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->group),
    _("Tick what the applicant brought. The case waits for the rest before the agreement."));
  for (guint i = 0; i < self->state->materials->len; i++)
    {
      PtMaterial *material = g_ptr_array_index (self->state->materials, i);
      g_autofree char *title = NULL;
      GtkWidget *check;

      if (!material->missing)
        continue;
      title = g_strdup_printf (material->original ? _("%s (original, %u)") : _("%s (copy, %u)"),
                               material->name, MAX (material->count, 1));
      check = add_check (self, NULL, title, TRUE);
      g_object_set_data (G_OBJECT (check), "material", material);
      g_ptr_array_add (checks, check);
    }
  g_object_set_data_full (G_OBJECT (self), "received", checks, (GDestroyNotify) g_ptr_array_unref);
  add_entry (self, "date", _("Date (YYYY-MM-DD, empty for today)"), NULL);
}

static gboolean
received_payload (PtActionForm  *self,
                  JsonObject    *payload,
                  GError       **error)
{
  JsonArray *materials = ticked_materials (g_object_get_data (G_OBJECT (self), "received"));

  json_object_set_array_member (payload, "materials", materials);
  if (json_array_get_length (materials) == 0)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("Tick at least one material the applicant brought."));
      return FALSE;
    }
  optional_text (self, payload, "date");
  return TRUE;
}

/* A fee is one the catalog lists for the case's items, with its legal
 * basis; the clerk only chooses it, and gives the amount when the catalog
 * leaves it to the case. */
static void
build_fee (PtActionForm *self)
{
  PtReference *reference = pt_desk_get_reference (self->desk);
  g_autoptr(GPtrArray) fees = pt_case_fees (self->state, reference->catalog);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *kept = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < fees->len; i++)
    {
      PtItemFee *fee = g_ptr_array_index (fees, i);
      PtItemFee *copy = g_new (PtItemFee, 1);
      g_autofree char *amount = fee->fee->amount_fen > 0
        ? g_strdup_printf (_("%.2f yuan"), fee->fee->amount_fen / 100.0)
        : g_strdup (_("amount by case"));

      *copy = *fee;
      g_ptr_array_add (kept, copy);
      g_ptr_array_add (labels, g_strdup_printf ("%s · %s", fee->fee->name, amount));
    }
  g_object_set_data_full (G_OBJECT (self), "fees", kept, (GDestroyNotify) g_ptr_array_unref);
  if (kept->len == 0)
    {
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->group),
        _("The service is free, and no item of this case has a fee that a law or regulation requires."));
      return;
    }
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->group),
    _("The service is free: only a fee that a law or regulation requires is paid, and the catalog names each with its basis."));
  add_choice (self, "fee", _("Fee"), (const char * const *) labels->pdata, labels->len, 0);
  add_entry (self, "amount", _("Amount in yuan (only when the catalog gives none)"), NULL);
  add_entry (self, "date", _("Date paid (YYYY-MM-DD, empty for today)"), NULL);
}

static gboolean
fee_payload (PtActionForm  *self,
             JsonObject    *payload,
             GError       **error)
{
  GPtrArray *fees = g_object_get_data (G_OBJECT (self), "fees");
  PtItemFee *fee;
  g_autofree char *amount = NULL;

  if (fees == NULL || fees->len == 0)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("No item of this case has a fee in the catalog: there is nothing to record."));
      return FALSE;
    }
  fee = g_ptr_array_index (fees, MIN ((guint) MAX (get_choice (self, "fee"), 0), fees->len - 1));
  json_object_set_string_member (payload, "item", fee->item->code);
  json_object_set_string_member (payload, "name", fee->fee->name);
  amount = get_text (self, "amount");
  if (fee->fee->amount_fen > 0)
    json_object_set_int_member (payload, "amount_fen", fee->fee->amount_fen);
  else
    {
      double yuan = amount ? g_ascii_strtod (amount, NULL) : 0;

      if (yuan <= 0)
        {
          g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                       _("Enter the amount of “%s” in yuan, for example 12.50."), fee->fee->name);
          return FALSE;
        }
      json_object_set_int_member (payload, "amount_fen", (gint64) (yuan * 100 + 0.5));
    }
  json_object_set_string_member (payload, "basis", fee->fee->basis);
  optional_text (self, payload, "date");
  return TRUE;
}

/* A name for @entry that says which step it belongs to, where its row
 * (under the step's expander) shows only the short title: the row labels
 * its activatable widget by that title, so that relation goes first. */
static void
label_entry (GtkWidget  *entry,
             const char *name)
{
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

/* One delivery hands over what every approved step issued: a certificate
 * (or approval document) per approved step, each with its number. */
static void
build_delivery (PtActionForm *self)
{
  PtReference *reference = pt_desk_get_reference (self->desk);
  static const char *labels[2];
  guint n = 0;

  for (guint i = 0; i < self->state->steps->len; i++)
    {
      PtStep *step = g_ptr_array_index (self->state->steps, i);
      const PtCatalogItem *item = pt_catalog_lookup (reference->catalog, step->item);
      g_autofree char *title = NULL;
      g_autofree char *key = NULL;
      GtkWidget *row;
      GtkWidget *sub;
      GtkWidget *entry;

      if (step->status != PT_STEP_APPROVED)
        continue;
      n++;
      row = adw_expander_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), step->department);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), item ? item->name : step->item);
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);

      title = g_strdup_printf (_("Certificate from %s"), step->department);
      sub = pt_entry_row_new (_("Certificate or approval handed over"), &entry);
      label_entry (entry, title);
      if (step->document != NULL)
        gtk_editable_set_text (GTK_EDITABLE (entry), step->document);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), sub);
      key = g_strconcat ("certificate:", step->id, NULL);
      g_hash_table_insert (self->fields, g_steal_pointer (&key), entry);

      g_free (title);
      title = g_strdup_printf (_("Number of the certificate from %s"), step->department);
      sub = pt_entry_row_new (_("Its number"), &entry);
      label_entry (entry, title);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), sub);
      key = g_strconcat ("number:", step->id, NULL);
      g_hash_table_insert (self->fields, g_steal_pointer (&key), entry);

      g_free (title);
      title = g_strdup_printf (_("Copies of the certificate from %s"), step->department);
      sub = pt_entry_row_new (_("Copies"), &entry);
      label_entry (entry, title);
      gtk_editable_set_text (GTK_EDITABLE (entry), "1");
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), sub);
      key = g_strconcat ("copies:", step->id, NULL);
      g_hash_table_insert (self->fields, g_steal_pointer (&key), entry);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), row);
    }
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->group),
    n > 0 ? _("Hand over what every approved step issued, all at once, and have the applicant sign the receipt.")
          : _("No step was approved: deliver only what the applicant is owed, such as the originals."));
  labels[0] = _("In person");
  labels[1] = _("By mail");
  add_choice (self, "method", _("Delivery"), labels, 2, 0);
  {
    const char * const *codes = pt_courier_codes ();
    g_autoptr(GPtrArray) names = g_ptr_array_new ();
    GPtrArray *rows = g_ptr_array_new ();
    GPtrArray *methods = g_hash_table_lookup (self->fields, "method");
    GtkWidget *entry;

    for (guint i = 0; codes[i] != NULL; i++)
      g_ptr_array_add (names, (gpointer) pt_courier_label (codes[i]));
    g_ptr_array_add (names, NULL);
    g_ptr_array_add (rows, add_combo (self, "courier", _("Courier"), (const char * const *) names->pdata));
    entry = add_entry (self, "tracking_number", _("Tracking number"), NULL);
    g_ptr_array_add (rows, gtk_widget_get_ancestor (entry, ADW_TYPE_PREFERENCES_ROW));
    entry = add_entry (self, "mail_address", _("Mailing address"), self->state->address);
    g_ptr_array_add (rows, gtk_widget_get_ancestor (entry, ADW_TYPE_PREFERENCES_ROW));
    g_object_set_data_full (G_OBJECT (self), "mail-rows", rows, (GDestroyNotify) g_ptr_array_unref);
    g_signal_connect (g_ptr_array_index (methods, 1), "toggled", G_CALLBACK (mail_toggled_cb), self);
    mail_toggled_cb (g_ptr_array_index (methods, 1), self);
  }
  /* Asked, never assumed. */
  labels[0] = _("All returned");
  labels[1] = _("None to return");
  add_choice (self, "originals", _("Original materials"), labels, 2, G_MAXUINT);
}

static gboolean
delivery_payload (PtActionForm  *self,
                  JsonObject    *payload,
                  GError       **error)
{
  JsonArray *certificates = json_array_new ();
  gboolean mail = get_choice (self, "method") == 1;

  json_object_set_array_member (payload, "certificates", certificates);
  for (guint i = 0; i < self->state->steps->len; i++)
    {
      PtStep *step = g_ptr_array_index (self->state->steps, i);
      g_autofree char *name_key = g_strconcat ("certificate:", step->id, NULL);
      g_autofree char *number_key = g_strconcat ("number:", step->id, NULL);
      g_autofree char *copies_key = g_strconcat ("copies:", step->id, NULL);
      g_autofree char *name = NULL;
      g_autofree char *number = NULL;
      g_autofree char *copies = NULL;
      JsonObject *certificate;
      gint64 n_copies;

      if (!g_hash_table_contains (self->fields, name_key))
        continue;
      name = get_text (self, name_key);
      number = get_text (self, number_key);
      copies = get_text (self, copies_key);
      if (name == NULL)
        {
          g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                       _("Name the certificate or approval that %s issued."), step->department);
          return FALSE;
        }
      if (number == NULL)
        {
          g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                       _("Enter the number of “%s”, as printed on it."), name);
          return FALSE;
        }
      n_copies = copies ? g_ascii_strtoll (copies, NULL, 10) : 1;
      if (n_copies < 1 || n_copies > 99)
        {
          g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                       _("Copies of “%s” must be a number from 1 to 99."), name);
          return FALSE;
        }
      certificate = json_object_new ();
      json_object_set_string_member (certificate, "step", step->id);
      json_object_set_string_member (certificate, "name", name);
      json_object_set_string_member (certificate, "number", number);
      json_object_set_int_member (certificate, "copies", n_copies);
      json_array_add_object_element (certificates, certificate);
    }
  if (get_choice (self, "originals") < 0)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("Say whether the original materials were returned to the applicant."));
      return FALSE;
    }
  json_object_set_boolean_member (payload, "originals_returned", get_choice (self, "originals") == 0);
  json_object_set_string_member (payload, "method", mail ? "mail" : "in_person");
  if (mail)
    {
      int courier = get_combo (self, "courier");
      g_autofree char *tracking = get_text (self, "tracking_number");
      g_autofree char *normal = pt_tracking_normalize (tracking);
      g_autofree char *address = get_text (self, "mail_address");

      if (courier >= 0)
        json_object_set_string_member (payload, "courier", pt_courier_codes ()[courier]);
      json_object_set_string_member (payload, "tracking_number", normal);
      if (address != NULL)
        json_object_set_string_member (payload, "mail_address", address);
      /* The core checks them again (pt_workflow_check_new ()): here the
       * clerk hears of it before anything is recorded. */
      if (!pt_tracking_check (courier >= 0 ? pt_courier_codes ()[courier] : NULL, normal, error))
        return FALSE;
    }
  return TRUE;
}

static char *
feedback_text (PtActionForm *self)
{
  GString *text = g_string_new (NULL);
  PtCaseState *state = self->state;

  /* A text ready to read out on the phone or send as SMS. */
  g_string_append_printf (text, _("Hello %s, your case %s is now: %s."),
                          state->applicant_name, state->number, pt_ui_status_label (state->status));
  for (guint i = 0; state->steps && i < state->steps->len; i++)
    {
      PtStep *step = g_ptr_array_index (state->steps, i);

      g_string_append_printf (text, _(" %s: %s."), step->department,
                              pt_ui_step_status_label (step->status));
    }
  return g_string_free (text, FALSE);
}

static void
build_form (PtActionForm       *self,
            const PtCaseDetail *detail)
{
  switch (self->type)
    {
    case PT_EVENT_MISSING_NOTICE:
      {
        guint n = 0;

        for (guint i = 0; i < self->state->materials->len; i++)
          {
            PtMaterial *material = g_ptr_array_index (self->state->materials, i);

            if (material->missing)
              {
                add_check (self, NULL, material->name, TRUE);
                n++;
              }
          }
        adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->group),
          n > 0 ? _("Every missing material is named at once, so that the applicant comes back only once.")
                : _("No material is missing."));
        add_entry (self, "deadline", _("Bring them by (YYYY-MM-DD, optional)"), NULL);
      }
      break;
    case PT_EVENT_MATERIAL_RECEIVED:
      build_received (self);
      break;
    case PT_EVENT_AGREEMENT_SIGNED:
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->group),
        _("Print the commission agreement, have the applicant sign it, then record the signature."));
      break;
    case PT_EVENT_RUNNER_ASSIGNED:
      build_runner (self, detail);
      break;
    case PT_EVENT_PLAN_SET:
      build_plan (self);
      break;
    case PT_EVENT_STEP_RETURNED:
      add_entry (self, "reason", _("What must be corrected"), NULL);
      break;
    case PT_EVENT_STEP_REJECTED:
      add_entry (self, "reason", _("Reason for the rejection"), NULL);
      break;
    case PT_EVENT_STEP_APPROVED:
      add_entry (self, "document", _("Approval document (optional)"), NULL);
      break;
    case PT_EVENT_STEP_SUBMITTED:
    case PT_EVENT_STEP_RESUMED:
    case PT_EVENT_CASE_RESUMED:
      add_entry (self, "date", _("Date (YYYY-MM-DD, empty for today)"), NULL);
      break;
    case PT_EVENT_FEEDBACK_GIVEN:
      {
        static const char *labels[4];
        g_autofree char *text = feedback_text (self);

        labels[0] = _("Phone");
        labels[1] = _("SMS");
        labels[2] = _("In person");
        labels[3] = _("WeChat");
        add_choice (self, "channel", _("Channel"), labels, 4, 0);
        add_entry (self, "text", _("Text"), text);
      }
      break;
    case PT_EVENT_CASE_SUSPENDED:
      add_entry (self, "reason", _("Reason for suspending"), NULL);
      break;
    case PT_EVENT_CASE_TRANSFERRED:
      build_transfer (self);
      break;
    case PT_EVENT_FEE_RECORDED:
      build_fee (self);
      break;
    case PT_EVENT_DELIVERED:
      build_delivery (self);
      break;
    case PT_EVENT_TERMINATED:
      {
        static const char *labels[5];
        GPtrArray *checks = g_ptr_array_new ();

        labels[0] = _("Applicant withdrew");
        labels[1] = _("Conditions not met");
        labels[2] = _("Rejected");
        labels[3] = _("Unreachable");
        labels[4] = _("Other");
        add_choice (self, "reason_code", _("Why"), labels, 5, 0);
        add_entry (self, "reason", _("Reason, as on the termination record"), NULL);
        for (guint i = 0; i < self->state->materials->len; i++)
          {
            PtMaterial *material = g_ptr_array_index (self->state->materials, i);
            g_autofree char *title = NULL;

            if (material->missing)
              continue;
            title = g_strdup_printf (_("Hand back: %s"), material->name);
            g_ptr_array_add (checks, add_check (self, NULL, title, TRUE));
            g_object_set_data (G_OBJECT (g_ptr_array_index (checks, checks->len - 1)),
                               "material", material);
          }
        g_object_set_data_full (G_OBJECT (self), "returned", checks, (GDestroyNotify) g_ptr_array_unref);
      }
      break;
    case PT_EVENT_RATED:
      {
        static const char *labels[5];

        for (int i = 0; i < 5; i++)
          labels[i] = pt_grade_label (5 - i);
        /* No grade is the applicant's until they give it. */
        add_choice (self, "grade", _("Rating"), labels, 5, G_MAXUINT);
      }
      break;
    case PT_EVENT_RETURN_VISIT:
      add_entry (self, "text", _("What the applicant said"), NULL);
      break;
    case PT_EVENT_NOTE:
      add_entry (self, "text", _("Note"), NULL);
      break;
    case PT_EVENT_INTAKE:
    case PT_EVENT_MATERIALS_CHECKED:
    case PT_EVENT_CONFLICT_RESOLVED:
    case PT_EVENT_N_TYPES:
    default:
      break;
    }
}

JsonObject *
pt_action_form_build_payload (PtActionForm  *self,
                              GError       **error)
{
  g_autoptr(JsonObject) payload = json_object_new ();

  g_return_val_if_fail (PT_IS_ACTION_FORM (self), NULL);

  if (self->step_id != NULL)
    json_object_set_string_member (payload, "step", self->step_id);

  switch (self->type)
    {
    case PT_EVENT_MISSING_NOTICE:
      {
        JsonArray *names = json_array_new ();

        for (guint i = 0; i < self->state->materials->len; i++)
          {
            PtMaterial *material = g_ptr_array_index (self->state->materials, i);

            if (material->missing)
              json_array_add_string_element (names, material->name);
          }
        json_object_set_array_member (payload, "materials", names);
        optional_text (self, payload, "deadline");
      }
      break;
    case PT_EVENT_MATERIAL_RECEIVED:
      if (!received_payload (self, payload, error))
        return NULL;
      break;
    case PT_EVENT_AGREEMENT_SIGNED:
      {
        g_autofree char *text = NULL;
        g_autofree char *digest = NULL;

        /* The digest of the agreement PDF that was previewed and printed;
         * without one (no document support), of the intake as recorded. */
        if (self->digest != NULL)
          digest = g_strdup (self->digest);
        else
          {
            text = pt_case_state_to_string (self->state);
            digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
          }
        json_object_set_string_member (payload, "digest", digest);
      }
      break;
    case PT_EVENT_RUNNER_ASSIGNED:
      if (self->runner_ids == NULL || self->runner_ids->len == 0)
        {
          g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                       _("There is no runner to assign in this unit."));
          return NULL;
        }
      json_object_set_string_member (payload, "runner",
                                     g_ptr_array_index (self->runner_ids, get_choice (self, "runner")));
      optional_text (self, payload, "reason");
      break;
    case PT_EVENT_PLAN_SET:
      return plan_payload (self, error);
    case PT_EVENT_STEP_RETURNED:
      if (!require_text (self, payload, "reason", "reason", _("What must be corrected"), error))
        return NULL;
      break;
    case PT_EVENT_STEP_REJECTED:
      if (!require_text (self, payload, "reason", "reason", _("Reason for the rejection"), error))
        return NULL;
      break;
    case PT_EVENT_STEP_APPROVED:
      optional_text (self, payload, "document");
      break;
    case PT_EVENT_STEP_SUBMITTED:
    case PT_EVENT_STEP_RESUMED:
    case PT_EVENT_CASE_RESUMED:
      optional_text (self, payload, "date");
      break;
    case PT_EVENT_FEEDBACK_GIVEN:
      {
        static const char *channels[] = { "phone", "sms", "in_person", "wechat" };

        json_object_set_string_member (payload, "channel", channels[get_choice (self, "channel")]);
        if (!require_text (self, payload, "text", "text", _("Text"), error))
          return NULL;
      }
      break;
    case PT_EVENT_CASE_SUSPENDED:
      if (!require_text (self, payload, "reason", "reason", _("Reason for suspending"), error))
        return NULL;
      break;
    case PT_EVENT_CASE_TRANSFERRED:
      {
        GtkWidget *row = g_hash_table_lookup (self->fields, "to_unit");
        GtkStringObject *chosen = adw_combo_row_get_selected_item (ADW_COMBO_ROW (row));
        GtkStringList *names = self->unit_names;
        guint index = GTK_INVALID_LIST_POSITION;

        /* The chosen row of the filtered list, found in the whole one. */
        for (guint i = 0; chosen != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (names)); i++)
          if (g_strcmp0 (gtk_string_list_get_string (names, i), gtk_string_object_get_string (chosen)) == 0)
            index = i;
        if (index >= self->unit_codes->len)
          {
            g_set_error (error, PT_ERROR, PT_ERROR_INVALID, _("Choose the unit to transfer to."));
            return NULL;
          }
        json_object_set_string_member (payload, "to_unit", g_ptr_array_index (self->unit_codes, index));
        if (!require_text (self, payload, "reason", "reason", _("Reason"), error))
          return NULL;
      }
      break;
    case PT_EVENT_FEE_RECORDED:
      if (!fee_payload (self, payload, error))
        return NULL;
      break;
    case PT_EVENT_DELIVERED:
      if (!delivery_payload (self, payload, error))
        return NULL;
      break;
    case PT_EVENT_TERMINATED:
      {
        static const char *codes[] = { "applicant_withdrew", "conditions_not_met", "rejected",
                                       "unreachable", "other" };

        json_object_set_string_member (payload, "reason_code", codes[get_choice (self, "reason_code")]);
        json_object_set_array_member (payload, "materials_returned",
                                      ticked_materials (g_object_get_data (G_OBJECT (self), "returned")));
        if (!require_text (self, payload, "reason", "reason", _("Reason, as on the termination record"), error))
          return NULL;
      }
      break;
    case PT_EVENT_RATED:
      if (get_choice (self, "grade") < 0)
        {
          g_set_error (error, PT_ERROR, PT_ERROR_INVALID, _("Choose the rating the applicant gave."));
          return NULL;
        }
      json_object_set_int_member (payload, "grade", 5 - (gint64) get_choice (self, "grade"));
      break;
    case PT_EVENT_RETURN_VISIT:
    case PT_EVENT_NOTE:
      if (!require_text (self, payload, "text", "text", _("Text"), error))
        return NULL;
      break;
    case PT_EVENT_INTAKE:
    case PT_EVENT_MATERIALS_CHECKED:
    case PT_EVENT_CONFLICT_RESOLVED:
    case PT_EVENT_N_TYPES:
    default:
      break;
    }
  return g_steal_pointer (&payload);
}

char *
pt_action_title (const PtCaseState *state,
                 PtEventType        type,
                 const char        *step_id)
{
  PtStep *step = step_id ? pt_case_state_find_step (state, step_id) : NULL;

  switch (type)
    {
    case PT_EVENT_STEP_SUBMITTED:
      return g_strdup_printf (_("Submit to %s"), step ? step->department : "");
    case PT_EVENT_STEP_RETURNED:
      return g_strdup_printf (_("Returned by %s"), step ? step->department : "");
    case PT_EVENT_STEP_RESUMED:
      return g_strdup_printf (_("Resubmit to %s"), step ? step->department : "");
    case PT_EVENT_STEP_APPROVED:
      return g_strdup_printf (_("Approved by %s"), step ? step->department : "");
    case PT_EVENT_STEP_REJECTED:
      return g_strdup_printf (_("Rejected by %s"), step ? step->department : "");
    case PT_EVENT_MISSING_NOTICE: return g_strdup (_("Notify Missing Materials"));
    case PT_EVENT_MATERIAL_RECEIVED: return g_strdup (_("Receive Missing Materials"));
    case PT_EVENT_AGREEMENT_SIGNED: return g_strdup (_("Record Signed Agreement"));
    case PT_EVENT_RUNNER_ASSIGNED: return g_strdup (_("Assign Runner"));
    case PT_EVENT_PLAN_SET: return g_strdup (_("Set Plan"));
    case PT_EVENT_FEEDBACK_GIVEN: return g_strdup (_("Give Feedback"));
    case PT_EVENT_CASE_SUSPENDED: return g_strdup (_("Suspend"));
    case PT_EVENT_CASE_RESUMED: return g_strdup (_("Resume Case"));
    case PT_EVENT_CASE_TRANSFERRED: return g_strdup (_("Transfer to Another Level"));
    case PT_EVENT_FEE_RECORDED: return g_strdup (_("Record Fee"));
    case PT_EVENT_DELIVERED: return g_strdup (_("Deliver"));
    case PT_EVENT_TERMINATED: return g_strdup (_("Terminate"));
    case PT_EVENT_RATED: return g_strdup (_("Record Rating"));
    case PT_EVENT_RETURN_VISIT: return g_strdup (_("Record Return Visit"));
    case PT_EVENT_NOTE: return g_strdup (_("Add Note"));
    case PT_EVENT_INTAKE:
    case PT_EVENT_MATERIALS_CHECKED:
    case PT_EVENT_CONFLICT_RESOLVED:
    case PT_EVENT_N_TYPES:
    default:
      return g_strdup (pt_ui_event_label (type));
    }
}

static void
pt_action_form_dispose (GObject *object)
{
  PtActionForm *self = PT_ACTION_FORM (object);

  g_clear_object (&self->desk);

  G_OBJECT_CLASS (pt_action_form_parent_class)->dispose (object);
}

static void
pt_action_form_finalize (GObject *object)
{
  PtActionForm *self = PT_ACTION_FORM (object);

  g_free (self->step_id);
  g_free (self->digest);
  g_hash_table_unref (self->fields);
  g_clear_pointer (&self->plan_rows, g_ptr_array_unref);
  g_clear_pointer (&self->runner_ids, g_ptr_array_unref);
  g_clear_pointer (&self->unit_codes, g_ptr_array_unref);
  g_clear_object (&self->unit_names);

  G_OBJECT_CLASS (pt_action_form_parent_class)->finalize (object);
}

static void
pt_action_form_class_init (PtActionFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pt_action_form_dispose;
  object_class->finalize = pt_action_form_finalize;

  /* Enter in a field: the clerk asks to record the form. */
  signals[SUBMIT] = g_signal_new ("submit", G_TYPE_FROM_CLASS (klass),
                                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 0);
}

static void
pt_action_form_init (PtActionForm *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 6);
  self->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* A refusal names what to fix; once the clerk changes anything it is no
 * longer the answer to what is on the form, so it goes. */
static void
input_changed_cb (PtActionForm *self)
{
  pt_action_form_set_error (self, NULL);
}

static void
input_activate_cb (PtActionForm *self)
{
  g_signal_emit (self, signals[SUBMIT], 0);
}

static void
watch_inputs (PtActionForm *self,
              GtkWidget    *widget)
{
  if (GTK_IS_ENTRY (widget) || GTK_IS_SPIN_BUTTON (widget))
    {
      g_signal_connect_swapped (widget, "changed", G_CALLBACK (input_changed_cb), self);
      g_signal_connect_swapped (widget, "activate", G_CALLBACK (input_activate_cb), self);
      return;
    }
  if (GTK_IS_TEXT_VIEW (widget))
    {
      g_signal_connect_object (gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget)), "changed",
                               G_CALLBACK (input_changed_cb), self, G_CONNECT_SWAPPED);
      return;
    }
  if (GTK_IS_CHECK_BUTTON (widget))
    g_signal_connect_swapped (widget, "toggled", G_CALLBACK (input_changed_cb), self);
  else if (GTK_IS_DROP_DOWN (widget))
    g_signal_connect_swapped (widget, "notify::selected", G_CALLBACK (input_changed_cb), self);
  else if (ADW_IS_COMBO_ROW (widget))
    g_signal_connect_swapped (widget, "notify::selected", G_CALLBACK (input_changed_cb), self);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    watch_inputs (self, child);
}

GtkWidget *
pt_action_form_new (PtDesk             *desk,
                    const PtCaseDetail *detail,
                    PtEventType         type,
                    const char         *step_id)
{
  PtActionForm *self = g_object_new (PT_TYPE_ACTION_FORM, NULL);
  g_autofree char *title = pt_action_title (detail->state, type, step_id);

  self->desk = g_object_ref (desk);
  self->type = type;
  self->step_id = g_strdup (step_id);
  self->state = detail->state;
  self->group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->group), title);
  gtk_box_append (GTK_BOX (self), self->group);
  self->error_label = pt_label_new (NULL, "error", NULL);
  gtk_widget_set_visible (self->error_label, FALSE);
  gtk_box_append (GTK_BOX (self), self->error_label);
  build_form (self, detail);
  watch_inputs (self, GTK_WIDGET (self));
  return GTK_WIDGET (self);
}

PtEventType
pt_action_form_get_event_type (PtActionForm *self)
{
  g_return_val_if_fail (PT_IS_ACTION_FORM (self), PT_EVENT_N_TYPES);
  return self->type;
}

void
pt_action_form_set_digest (PtActionForm *self,
                           const char   *digest)
{
  g_return_if_fail (PT_IS_ACTION_FORM (self));
  g_free (self->digest);
  self->digest = g_strdup (digest);
}

void
pt_action_form_set_error (PtActionForm *self,
                          const char   *message)
{
  g_return_if_fail (PT_IS_ACTION_FORM (self));
  gtk_label_set_text (GTK_LABEL (self->error_label), message ? message : "");
  gtk_widget_set_visible (self->error_label, message != NULL);
}
