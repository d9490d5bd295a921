/* pt-preferences-window.c: who and where this desk is, chosen from the
 * district's reference data; the server; the center printed on papers.
 *
 * The desk's unit and signed-in runner live in the database's meta, like
 * every other fact of the desk (paotuanctl reads the same): the unit is
 * chosen among the district's units, the runner among the roster's runners
 * of that unit, and the store checks both (pt_store_check_desk ()) before
 * it keeps them. An enrolled desk's unit is the one it was enrolled for.
 * The center's name, address and hotline are the district's for the unit;
 * a desk may override them for its own papers (meta center.*). */
#define G_LOG_DOMAIN "pt-app"

#include <glib/gi18n.h>

#include "pt-preferences-window.h"

#include "pt-app-util.h"
#include "pt-district.h"
#include "pt-document-case.h"
#include "pt-enroll-group.h"
#include "pt-error.h"
#include "pt-reference.h"

/* What the window shows, read on the store's thread. */
typedef struct {
  char      *unit;
  char      *runner;
  char      *enrolled_unit;   /* meta sync.unit, or NULL */
  char      *center[3];       /* overrides: name, address, hotline */
  GPtrArray *runners;         /* PtRunner, of every unit */
} DeskFacts;

static const char *center_keys[3] = {
  PT_META_CENTER_NAME, PT_META_CENTER_ADDRESS, PT_META_CENTER_HOTLINE,
};

static void
desk_facts_free (DeskFacts *facts)
{
  g_free (facts->unit);
  g_free (facts->runner);
  g_free (facts->enrolled_unit);
  for (guint i = 0; i < G_N_ELEMENTS (facts->center); i++)
    g_free (facts->center[i]);
  g_clear_pointer (&facts->runners, g_ptr_array_unref);
  g_free (facts);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskFacts, desk_facts_free)

static char *
meta_or_null (PtStore    *store,
              const char *key)
{
  char *value = pt_store_get_meta (store, key);

  if (value != NULL && value[0] == '\0')
    g_clear_pointer (&value, g_free);
  return value;
}

static gpointer
load_job (PtStore       *store,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(DeskFacts) facts = g_new0 (DeskFacts, 1);

  facts->unit = meta_or_null (store, "unit");
  facts->runner = meta_or_null (store, "runner");
  facts->enrolled_unit = meta_or_null (store, "sync.unit");
  for (guint i = 0; i < G_N_ELEMENTS (center_keys); i++)
    facts->center[i] = meta_or_null (store, center_keys[i]);
  facts->runners = pt_store_list_runners (store, NULL, error);
  if (facts->runners == NULL)
    return NULL;
  return g_steal_pointer (&facts);
}

/* A change to keep: meta @key (and, for the unit, the runner with it). */
typedef struct {
  char *key;
  char *value;
  char *runner;     /* for key "unit": the runner chosen with it, or NULL */
} MetaChange;

static void
meta_change_free (MetaChange *change)
{
  g_free (change->key);
  g_free (change->value);
  g_free (change->runner);
  g_free (change);
}

static gpointer
save_job (PtStore       *store,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  MetaChange *change = data;

  if (g_strcmp0 (change->key, "unit") == 0)
    {
      if (!pt_store_check_desk (store, change->value, change->runner, error)
          || !pt_store_set_meta (store, "unit", change->value, error)
          || !pt_store_set_meta (store, "runner", change->runner, error))
        return NULL;
    }
  else if (g_strcmp0 (change->key, "runner") == 0)
    {
      g_autofree char *unit = pt_store_get_meta (store, "unit");

      if (!pt_store_check_desk (store, unit, change->value, error)
          || !pt_store_set_meta (store, "runner", change->value, error))
        return NULL;
    }
  else if (!pt_store_set_meta (store, change->key,
                               change->value != NULL && change->value[0] != '\0' ? change->value : NULL,
                               error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

#define PT_TYPE_PREFERENCES_WINDOW (pt_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (PtPreferencesWindow, pt_preferences_window, PT, PREFERENCES_WINDOW, AdwPreferencesWindow)

struct _PtPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  PtDesk       *desk;
  GCancellable *cancellable;
  DeskFacts    *facts;
  GPtrArray    *unit_codes;     /* parallel to unit_row's model */
  GPtrArray    *runner_ids;     /* parallel to runner_row's model */
  gboolean      filling;        /* setting rows from the facts, not the clerk */

  GtkWidget    *desk_group;     /* AdwPreferencesGroup */
  GtkWidget    *unit_row;       /* AdwComboRow */
  GtkWidget    *runner_row;     /* AdwComboRow */
  GtkWidget    *desk_status;    /* GtkLabel under the desk group */
  GtkWidget    *center_rows[3]; /* AdwEntryRow */
};

G_DEFINE_FINAL_TYPE (PtPreferencesWindow, pt_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
show_status (PtPreferencesWindow *self,
             const char          *message,
             gboolean             is_error)
{
  gtk_label_set_text (GTK_LABEL (self->desk_status), message ? message : "");
  gtk_widget_set_visible (self->desk_status, message != NULL);
  if (is_error)
    gtk_widget_add_css_class (self->desk_status, "error");
  else
    gtk_widget_remove_css_class (self->desk_status, "error");
}

static void load (PtPreferencesWindow *self);

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  PtPreferencesWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  if (pt_store_worker_run_finish (PT_STORE_WORKER (source), result, &error) == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      show_status (self, error->message, TRUE);
      load (self);    /* show what is kept, not what was refused */
      return;
    }
  show_status (self, _("Saved."), FALSE);
  load (self);
}

static void
save (PtPreferencesWindow *self,
      const char          *key,
      const char          *value,
      const char          *runner)
{
  MetaChange *change = g_new0 (MetaChange, 1);

  change->key = g_strdup (key);
  change->value = g_strdup (value);
  change->runner = g_strdup (runner);
  pt_store_worker_run_async (pt_desk_get_worker (self->desk), save_job, change,
                             (GDestroyNotify) meta_change_free, NULL,
                             self->cancellable, saved_cb, self);
}

static const PtUnit *
chosen_unit (PtPreferencesWindow *self)
{
  PtReference *reference = pt_desk_get_reference (self->desk);
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->unit_row));

  if (self->unit_codes == NULL || selected >= self->unit_codes->len)
    return NULL;
  return pt_district_lookup (reference->district, g_ptr_array_index (self->unit_codes, selected));
}

/* The runners of @unit_code on duty, with the current one chosen. */
static void
fill_runners (PtPreferencesWindow *self,
              const char          *unit_code,
              const char          *current)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint chosen = GTK_INVALID_LIST_POSITION;

  g_clear_pointer (&self->runner_ids, g_ptr_array_unref);
  self->runner_ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; self->facts != NULL && i < self->facts->runners->len; i++)
    {
      PtRunner *runner = g_ptr_array_index (self->facts->runners, i);
      g_autofree char *label = NULL;

      if (!runner->active || g_strcmp0 (runner->unit, unit_code) != 0)
        continue;
      if (g_strcmp0 (runner->id, current) == 0)
        chosen = self->runner_ids->len;
      label = g_strdup_printf ("%s · %s", runner->name, runner->id);
      gtk_string_list_append (names, label);
      g_ptr_array_add (self->runner_ids, g_strdup (runner->id));
    }
  self->filling = TRUE;
  adw_combo_row_set_model (ADW_COMBO_ROW (self->runner_row), G_LIST_MODEL (names));
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->runner_row), chosen);
  self->filling = FALSE;
  gtk_widget_set_sensitive (self->runner_row, self->runner_ids->len > 0);
  if (self->runner_ids->len == 0)
    show_status (self, _("No runner on duty in this unit: add one on the district server (paotuan-server runners add), then sync."), TRUE);
  else if (chosen == GTK_INVALID_LIST_POSITION)
    show_status (self, _("Choose who records at this desk: the runner signed in before does not work for this unit."), TRUE);
}

static void
fill_center (PtPreferencesWindow *self)
{
  const PtUnit *unit = chosen_unit (self);
  const char *district[3] = {
    unit ? pt_unit_center_name (unit) : NULL,
    unit ? unit->address : NULL,
    unit ? unit->hotline : NULL,
  };

  self->filling = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (self->center_rows); i++)
    {
      const char *override = self->facts ? self->facts->center[i] : NULL;

      gtk_editable_set_text (GTK_EDITABLE (self->center_rows[i]),
                             override ? override : district[i] ? district[i] : "");
    }
  self->filling = FALSE;
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  PtPreferencesWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  DeskFacts *facts = pt_store_worker_run_finish (PT_STORE_WORKER (source), result, &error);
  guint chosen = GTK_INVALID_LIST_POSITION;

  if (facts == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_status (self, error->message, TRUE);
      return;
    }
  g_clear_pointer (&self->facts, desk_facts_free);
  self->facts = facts;
  pt_desk_set_defaults (self->desk, facts->unit, facts->runner);

  for (guint i = 0; i < self->unit_codes->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->unit_codes, i), facts->unit) == 0)
      chosen = i;
  self->filling = TRUE;
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->unit_row), chosen);
  self->filling = FALSE;
  if (facts->enrolled_unit != NULL)
    {
      gtk_widget_set_sensitive (self->unit_row, FALSE);
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->desk_group),
        _("Enrolled with the district server for this unit: to change the unit, enroll the desk again."));
    }
  fill_runners (self, facts->unit, facts->runner);
  fill_center (self);
}

static void
load (PtPreferencesWindow *self)
{
  pt_store_worker_run_async (pt_desk_get_worker (self->desk), load_job, NULL, NULL,
                             (GDestroyNotify) desk_facts_free,
                             self->cancellable, loaded_cb, self);
}

static void
unit_selected_cb (PtPreferencesWindow *self)
{
  const PtUnit *unit = chosen_unit (self);
  const char *runner = NULL;

  if (self->filling || unit == NULL || self->facts == NULL)
    return;
  /* Keep the runner when they work for the new unit too, else let the
   * clerk choose: a unit without its runner is kept as it is. */
  fill_runners (self, unit->code, self->facts->runner);
  if (adw_combo_row_get_selected (ADW_COMBO_ROW (self->runner_row)) != GTK_INVALID_LIST_POSITION)
    runner = self->facts->runner;
  save (self, "unit", unit->code, runner);
}

static void
runner_selected_cb (PtPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->runner_row));

  if (self->filling || self->runner_ids == NULL || selected >= self->runner_ids->len)
    return;
  save (self, "runner", g_ptr_array_index (self->runner_ids, selected), NULL);
}

static void
center_applied_cb (AdwEntryRow         *row,
                   PtPreferencesWindow *self)
{
  const PtUnit *unit = chosen_unit (self);
  const char *district[3] = {
    unit ? pt_unit_center_name (unit) : NULL,
    unit ? unit->address : NULL,
    unit ? unit->hotline : NULL,
  };

  for (guint i = 0; i < G_N_ELEMENTS (self->center_rows); i++)
    if (self->center_rows[i] == GTK_WIDGET (row))
      {
        g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

        /* The district's own value is no override: keep none, so that a
         * change in the district data shows. */
        save (self, center_keys[i], g_strcmp0 (text, district[i]) == 0 ? NULL : text, NULL);
      }
}

static void
pt_preferences_window_dispose (GObject *object)
{
  PtPreferencesWindow *self = PT_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->desk);
  g_clear_pointer (&self->facts, desk_facts_free);
  g_clear_pointer (&self->unit_codes, g_ptr_array_unref);
  g_clear_pointer (&self->runner_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (pt_preferences_window_parent_class)->dispose (object);
}

static void
pt_preferences_window_class_init (PtPreferencesWindowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pt_preferences_window_dispose;
}

static void
pt_preferences_window_init (PtPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();
}

static void
build (PtPreferencesWindow *self)
{
  PtReference *reference = pt_desk_get_reference (self->desk);
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *desk_group = adw_preferences_group_new ();
  GtkWidget *server_group = pt_enroll_group_new (self->desk);
  GtkWidget *center_group = adw_preferences_group_new ();
  g_autoptr(GtkStringList) units = gtk_string_list_new (NULL);
  const char *center_titles[3] = { _("Center name"), _("Center address"), _("Center hotline") };

  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page), _("Desk"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (page), "preferences-system-symbolic");

  /* This desk: the unit and runner, from the district's lists. */
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (desk_group), _("This Desk"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (desk_group),
    _("The unit whose window this desk is (its level decides which items it may take) and the runner who records here."));
  self->desk_group = desk_group;
  self->unit_codes = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; reference->district && i < pt_district_get_n_units (reference->district); i++)
    {
      const PtUnit *unit = pt_district_get_unit (reference->district, i);
      g_autofree char *label = NULL;

      if (unit->kind == PT_UNIT_DEPARTMENT)
        continue;
      label = g_strdup_printf ("%s · %s", unit->name, unit->code);
      gtk_string_list_append (units, label);
      g_ptr_array_add (self->unit_codes, g_strdup (unit->code));
    }
  self->unit_row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->unit_row), _("Unit"));
  adw_combo_row_set_model (ADW_COMBO_ROW (self->unit_row), G_LIST_MODEL (units));
  adw_combo_row_set_use_subtitle (ADW_COMBO_ROW (self->unit_row), TRUE);
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->unit_row), GTK_INVALID_LIST_POSITION);
  g_signal_connect_swapped (self->unit_row, "notify::selected", G_CALLBACK (unit_selected_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (desk_group), self->unit_row);

  self->runner_row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->runner_row), _("Signed-in runner"));
  adw_combo_row_set_use_subtitle (ADW_COMBO_ROW (self->runner_row), TRUE);
  g_signal_connect_swapped (self->runner_row, "notify::selected", G_CALLBACK (runner_selected_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (desk_group), self->runner_row);

  self->desk_status = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->desk_status), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->desk_status), 0);
  gtk_widget_set_margin_top (self->desk_status, 6);
  gtk_widget_set_visible (self->desk_status, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->desk_status), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Desk status"), -1);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (desk_group), self->desk_status);

  /* The center on paper. */
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (center_group), _("Service Center on Papers"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (center_group),
    _("Printed on the agreements, notices and receipts of this desk's cases. "
      "They come from the district's data; change one only where the district's is wrong, and press the check mark."));
  for (guint i = 0; i < G_N_ELEMENTS (self->center_rows); i++)
    {
      self->center_rows[i] = adw_entry_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->center_rows[i]), center_titles[i]);
      adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (self->center_rows[i]), TRUE);
      g_signal_connect (self->center_rows[i], "apply", G_CALLBACK (center_applied_cb), self);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (center_group), self->center_rows[i]);
    }

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (desk_group));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (server_group));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (center_group));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (page));
  gtk_window_set_default_size (GTK_WINDOW (self), 640, 680);
}

/**
 * pt_preferences_window_new:
 * @desk: the desk whose settings are edited
 *
 * Returns: (transfer floating): a preferences window; changes apply at once.
 */
GtkWidget *
pt_preferences_window_new (PtDesk *desk)
{
  PtPreferencesWindow *self = g_object_new (PT_TYPE_PREFERENCES_WINDOW,
                                            "search-enabled", FALSE, NULL);

  self->desk = g_object_ref (desk);
  build (self);
  load (self);
  return GTK_WIDGET (self);
}
