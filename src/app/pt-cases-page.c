/* pt-cases-page.c: a GtkListView over the paging case model. */
#define G_LOG_DOMAIN "pt-app"

#include <glib/gi18n.h>

#include "pt-cases-page.h"

#include "pt-app-util.h"
#include "pt-case-item.h"
#include "pt-case-row-widget.h"
#include "pt-district.h"
#include "pt-held-list-model.h"

struct _PtCasesPage
{
  AdwBin           parent_instance;

  GtkSearchEntry  *search_entry;
  GtkDropDown     *status_dropdown;
  GtkDropDown     *level_dropdown;
  GtkDropDown     *runner_dropdown;
  GtkToggleButton *overdue_button;
  GtkStack        *stack;
  GtkListView     *list_view;
  GtkBox          *header_box;
  GtkLabel        *count_label;

  PtDesk          *desk;
  PtCaseListModel *model;
  GPtrArray       *runner_ids;   /* char *, parallel to the runner dropdown after "all" */
  char            *today;
  GCancellable    *cancellable;
  GtkSelectionModel *selection;  /* until the list is first shown */
};

G_DEFINE_FINAL_TYPE (PtCasesPage, pt_cases_page, ADW_TYPE_BIN)

enum {
  OPEN_CASE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Rows: one PtCaseRowWidget each, whose height does not depend on its texts, so
 * that a search changes what the rows draw, not the layout of the list. */

static PtCaseTone
status_tone (PtCaseStatus status)
{
  const char *style = pt_status_style_class (status);

  if (g_str_equal (style, "success"))
    return PT_CASE_TONE_SUCCESS;
  if (g_str_equal (style, "warning"))
    return PT_CASE_TONE_WARNING;
  if (g_str_equal (style, "error"))
    return PT_CASE_TONE_ERROR;
  return PT_CASE_TONE_ACCENT;
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  gtk_list_item_set_child (list_item, pt_case_row_widget_new ());
}

static void
update_row (GtkListItem *list_item,
            PtCasesPage *self)
{
  PtCaseItem *item = gtk_list_item_get_item (list_item);
  const PtCaseRow *row = item ? pt_case_item_get_row (item) : NULL;
  PtCaseRowWidget *widget = PT_CASE_ROW_WIDGET (gtk_list_item_get_child (list_item));
  g_autofree char *due_text = NULL;
  g_autofree char *label = NULL;
  gboolean overdue = FALSE;
  gboolean soon = FALSE;

  if (row == NULL)
    {
      /* A placeholder until its page arrives. */
      pt_case_row_widget_set_text (widget, PT_CASE_COLUMN_NUMBER, "…");
      for (int i = PT_CASE_COLUMN_APPLICANT; i < PT_CASE_N_COLUMNS; i++)
        pt_case_row_widget_set_text (widget, i, NULL);
      pt_case_row_widget_set_tones (widget, PT_CASE_TONE_NONE, PT_CASE_TONE_NONE);
      return;
    }

  if (row->status != PT_STATUS_DELIVERED && row->status != PT_STATUS_TERMINATED)
    due_text = pt_format_due (pt_desk_get_reference (self->desk)->calendar,
                              self->today, row->due, row->due_provisional, &overdue, &soon);
  pt_case_row_widget_set_text (widget, PT_CASE_COLUMN_NUMBER, row->number);
  pt_case_row_widget_set_text (widget, PT_CASE_COLUMN_APPLICANT, row->applicant);
  pt_case_row_widget_set_text (widget, PT_CASE_COLUMN_ITEMS, row->items);
  pt_case_row_widget_set_text (widget, PT_CASE_COLUMN_RUNNER,
                        row->runner_name ? row->runner_name : C_("runner", "—"));
  pt_case_row_widget_set_text (widget, PT_CASE_COLUMN_STATUS, pt_ui_status_label (row->status));
  pt_case_row_widget_set_text (widget, PT_CASE_COLUMN_DUE, due_text);
  pt_case_row_widget_set_tones (widget, status_tone (row->status),
                         overdue ? PT_CASE_TONE_ERROR
                                 : soon ? PT_CASE_TONE_WARNING : PT_CASE_TONE_NONE);

  /* What a screen reader says of the row: the texts it shows. */
  label = g_strjoin (", ", row->number, row->applicant, pt_ui_status_label (row->status),
                     due_text ? due_text : row->items, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
item_loaded_cb (PtCaseItem  *item,
                GParamSpec  *pspec,
                GtkListItem *list_item)
{
  PtCasesPage *self = g_object_get_data (G_OBJECT (list_item), "pt-page");

  if (gtk_list_item_get_item (list_item) == (gpointer) item)
    update_row (list_item, self);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             PtCasesPage              *self)
{
  PtCaseItem *item = gtk_list_item_get_item (list_item);

  g_object_set_data (G_OBJECT (list_item), "pt-page", self);
  g_signal_connect (item, "notify::loaded", G_CALLBACK (item_loaded_cb), list_item);
  update_row (list_item, self);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               PtCasesPage              *self)
{
  PtCaseItem *item = gtk_list_item_get_item (list_item);

  if (item != NULL)
    g_signal_handlers_disconnect_by_func (item, item_loaded_cb, list_item);
}

static void
attach_model (PtCasesPage *self)
{
  if (self->selection == NULL)
    return;
  gtk_list_view_set_model (self->list_view, self->selection);
  g_clear_object (&self->selection);
}

static void
uncull_rows_cb (PtCasesPage *self)
{
  /* Rows that were below or above the list when drawn last draw now. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_view)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);

      if (row != NULL && PT_IS_CASE_ROW_WIDGET (row))
        pt_case_row_widget_uncull (PT_CASE_ROW_WIDGET (row));
    }
}

/* Filters */

static void
query_changed (PtCasesPage *self)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->list_view));

  /* A new query shows its first matches; the rows are updated in place. */
  if (adjustment != NULL)
    gtk_adjustment_set_value (adjustment, 0);
  if (gtk_list_view_get_model (self->list_view) != NULL)
    gtk_selection_model_unselect_all (gtk_list_view_get_model (self->list_view));
}

static void
update_count (PtCasesPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  const GError *error = pt_case_list_model_get_error (self->model);
  g_autofree char *text = NULL;

  if (error != NULL)
    text = g_strdup_printf (_("The list could not be loaded: %s"), error->message);
  else if (pt_case_list_model_get_loading (self->model))
    text = g_strdup_printf (_("%u+ cases, counting…"), n);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u case", "%u cases", n), n);
  gtk_label_set_text (self->count_label, text);
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
}

static void
search_changed_cb (PtCasesPage *self)
{
  if (self->model == NULL)
    return;
  query_changed (self);
  pt_case_list_model_set_search (self->model, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
search_activate_cb (PtCasesPage *self)
{
  /* Enter opens the first match: a number typed in full opens its case. */
  g_autoptr(PtCaseItem) item = NULL;

  if (self->model == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->model)) == 0)
    return;
  item = g_list_model_get_item (G_LIST_MODEL (self->model), 0);
  if (pt_case_item_get_row (item) != NULL)
    g_signal_emit (self, signals[OPEN_CASE], 0, pt_case_item_get_row (item)->number);
}

static void
filter_changed_cb (PtCasesPage *self)
{
  guint status;
  guint level;
  guint runner;

  if (self->model == NULL)
    return;
  status = gtk_drop_down_get_selected (self->status_dropdown);
  level = gtk_drop_down_get_selected (self->level_dropdown);
  runner = gtk_drop_down_get_selected (self->runner_dropdown);
  query_changed (self);
  pt_case_list_model_set_status (self->model, status == 0 || status == GTK_INVALID_LIST_POSITION
                                              ? -1 : (int) status - 1);
  pt_case_list_model_set_level (self->model, level == 0 || level == GTK_INVALID_LIST_POSITION
                                             ? -1 : (int) level - 1);
  pt_case_list_model_set_runner (self->model,
                                 runner > 0 && self->runner_ids && runner - 1 < self->runner_ids->len
                                 ? g_ptr_array_index (self->runner_ids, runner - 1) : NULL);
  pt_case_list_model_set_overdue_only (self->model, gtk_toggle_button_get_active (self->overdue_button));
}

static void
list_activate_cb (PtCasesPage *self,
                  guint        position)
{
  g_autoptr(PtCaseItem) item = g_list_model_get_item (G_LIST_MODEL (self->model), position);

  if (item != NULL && pt_case_item_get_row (item) != NULL)
    g_signal_emit (self, signals[OPEN_CASE], 0, pt_case_item_get_row (item)->number);
}

/* The desk's own unit first, then the units of the district in its order
 * (a town's villages after it); by name within a unit. */
typedef struct {
  PtReference *reference;
  const char  *own_unit;
} RunnerOrder;

static int
unit_rank (const RunnerOrder *order,
           const char        *unit)
{
  if (g_strcmp0 (unit, order->own_unit) == 0)
    return -1;
  for (guint i = 0; order->reference->district && i < pt_district_get_n_units (order->reference->district); i++)
    if (g_strcmp0 (pt_district_get_unit (order->reference->district, i)->code, unit) == 0)
      return (int) i;
  return G_MAXINT;
}

static int
compare_runners (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  const PtRunner *x = *(PtRunner * const *) a;
  const PtRunner *y = *(PtRunner * const *) b;
  int rx = unit_rank (user_data, x->unit);
  int ry = unit_rank (user_data, y->unit);

  if (rx != ry)
    return rx < ry ? -1 : 1;
  return g_utf8_collate (x->name, y->name);
}

static void
runners_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PtCasesPage) self = user_data;
  g_autoptr(GPtrArray) runners = NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  RunnerOrder order;

  runners = pt_store_worker_list_runners_finish (PT_STORE_WORKER (source), result, NULL);
  if (runners == NULL || self->desk == NULL)
    return;
  order.reference = pt_desk_get_reference (self->desk);
  order.own_unit = pt_desk_get_unit (self->desk);
  g_ptr_array_sort_with_data (runners, compare_runners, &order);
  gtk_string_list_append (names, _("All runners"));
  g_ptr_array_set_size (self->runner_ids, 0);
  for (guint i = 0; i < runners->len; i++)
    {
      PtRunner *runner = g_ptr_array_index (runners, i);
      const PtUnit *unit = order.reference->district ? pt_district_lookup (order.reference->district, runner->unit) : NULL;
      g_autofree char *label = g_strdup_printf ("%s · %s", runner->name,
                                                unit ? (unit->short_name ? unit->short_name : unit->name) : runner->unit);

      gtk_string_list_append (names, label);
      g_ptr_array_add (self->runner_ids, g_strdup (runner->id));
    }
  gtk_drop_down_set_model (self->runner_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->runner_dropdown, 0);
}

static void
pt_cases_page_dispose (GObject *object)
{
  PtCasesPage *self = PT_CASES_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PT_TYPE_CASES_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->desk);

  G_OBJECT_CLASS (pt_cases_page_parent_class)->dispose (object);
}

static void
pt_cases_page_finalize (GObject *object)
{
  PtCasesPage *self = PT_CASES_PAGE (object);

  g_ptr_array_unref (self->runner_ids);
  g_free (self->today);

  G_OBJECT_CLASS (pt_cases_page_parent_class)->finalize (object);
}

static void
pt_cases_page_class_init (PtCasesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pt_cases_page_dispose;
  object_class->finalize = pt_cases_page_finalize;

  /* Asks the window to open a case: the argument is its number. */
  signals[OPEN_CASE] = g_signal_new ("open-case", G_TYPE_FROM_CLASS (klass),
                                     G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                     G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/paotuan/Paotuan/ui/pt-cases-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PtCasesPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PtCasesPage, header_box);
  gtk_widget_class_bind_template_child (widget_class, PtCasesPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PtCasesPage, level_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PtCasesPage, runner_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PtCasesPage, overdue_button);
  gtk_widget_class_bind_template_child (widget_class, PtCasesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, PtCasesPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, PtCasesPage, count_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);
}

static void
pt_cases_page_init (PtCasesPage *self)
{
  g_autoptr(GtkStringList) statuses = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) levels = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) runners = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_box_append (self->header_box, pt_case_row_widget_new_header ());
  self->runner_ids = g_ptr_array_new_with_free_func (g_free);
  self->cancellable = g_cancellable_new ();
  {
    GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->list_view));

    g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (uncull_rows_cb), self, G_CONNECT_SWAPPED);
    g_signal_connect_object (adjustment, "changed", G_CALLBACK (uncull_rows_cb), self, G_CONNECT_SWAPPED);
    g_signal_connect_swapped (self->list_view, "map", G_CALLBACK (attach_model), self);
    g_signal_connect_swapped (self->list_view, "map", G_CALLBACK (uncull_rows_cb), self);
  }

  gtk_string_list_append (statuses, _("All statuses"));
  for (int i = 0; i < PT_STATUS_N; i++)
    gtk_string_list_append (statuses, pt_ui_status_label (i));
  gtk_drop_down_set_model (self->status_dropdown, G_LIST_MODEL (statuses));

  gtk_string_list_append (levels, _("All levels"));
  for (int i = PT_LEVEL_DISTRICT; i <= PT_LEVEL_VILLAGE; i++)
    gtk_string_list_append (levels, pt_ui_level_label (i));
  gtk_drop_down_set_model (self->level_dropdown, G_LIST_MODEL (levels));

  gtk_string_list_append (runners, _("All runners"));
  gtk_drop_down_set_model (self->runner_dropdown, G_LIST_MODEL (runners));
  pt_name_inner_button (GTK_WIDGET (self->status_dropdown), _("Filter by status"));
  pt_name_inner_button (GTK_WIDGET (self->level_dropdown), _("Filter by level"));
  pt_name_inner_button (GTK_WIDGET (self->runner_dropdown), _("Filter by runner"));
  /* A district has a hundred runners and more: type a name to find one. */
  gtk_drop_down_set_expression (self->runner_dropdown,
                                gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string"));
  gtk_drop_down_set_enable_search (self->runner_dropdown, TRUE);
}

GtkWidget *
pt_cases_page_new (void)
{
  return g_object_new (PT_TYPE_CASES_PAGE, NULL);
}

void
pt_cases_page_set_desk (PtCasesPage *self,
                        PtDesk      *desk)
{
  GtkSignalListItemFactory *factory;
  g_autoptr(GtkSingleSelection) selection = NULL;

  g_return_if_fail (PT_IS_CASES_PAGE (self));
  g_return_if_fail (self->desk == NULL);

  self->desk = g_object_ref (desk);
  self->today = pt_desk_today (desk);
  self->model = pt_case_list_model_new (pt_desk_get_worker (desk));
  pt_case_list_model_set_today (self->model, self->today);
  g_signal_connect_object (self->model, "refreshed", G_CALLBACK (update_count), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "counted", G_CALLBACK (update_count), self,
                           G_CONNECT_SWAPPED);

  factory = GTK_SIGNAL_LIST_ITEM_FACTORY (gtk_signal_list_item_factory_new ());
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, GTK_LIST_ITEM_FACTORY (factory));
  g_object_unref (factory);

  /* An empty answer is covered by the "No Cases Found" page: the list view
   * keeps its rows for the next answer meanwhile. */
  selection = gtk_single_selection_new (G_LIST_MODEL (pt_held_list_model_new (G_LIST_MODEL (self->model))));
  gtk_single_selection_set_autoselect (selection, FALSE);
  /* The list view makes its rows (a few hundred) when it gets the model:
   * not before the page is shown. The count is there before. */
  self->selection = GTK_SELECTION_MODEL (g_steal_pointer (&selection));
  if (gtk_widget_get_mapped (GTK_WIDGET (self->list_view)))
    attach_model (self);

  pt_store_worker_list_runners_async (pt_desk_get_worker (desk), NULL, self->cancellable,
                                      runners_loaded_cb, g_object_ref (self));
  pt_case_list_model_reload (self->model);
}

PtCaseListModel *
pt_cases_page_get_model (PtCasesPage *self)
{
  g_return_val_if_fail (PT_IS_CASES_PAGE (self), NULL);
  return self->model;
}

void
pt_cases_page_focus_search (PtCasesPage *self)
{
  g_return_if_fail (PT_IS_CASES_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
pt_cases_page_reload (PtCasesPage *self)
{
  g_return_if_fail (PT_IS_CASES_PAGE (self));
  if (self->model != NULL)
    pt_case_list_model_reload (self->model);
}
