/* pt-window.c: navigation between the pages, and the window's actions. */
#define G_LOG_DOMAIN "pt-app"

#include <glib/gi18n.h>

#include "pt-window.h"

#include "pt-app-util.h"
#include "pt-backup.h"
#include "pt-case-page.h"
#include "pt-cases-page.h"
#include "pt-catalog-page.h"
#include "pt-error.h"
#include "pt-intake-page.h"
#include "pt-runners-page.h"
#include "pt-today-page.h"
#include "pt-sync-controller.h"
#include "pt-sync-panel.h"

struct _PtWindow
{
  AdwApplicationWindow parent_instance;

  AdwLeaflet       *leaflet;
  GtkWidget        *sidebar;
  GtkWidget        *menu_button;
  GtkWidget        *content;
  GtkListBox       *nav_list;
  GtkLabel         *today_count;
  GtkLabel         *overdue_count;
  GtkLabel         *desk_label;
  GtkWidget        *sync_box;
  gboolean          sync_asked;     /* the clerk asked for the running sync */
  gboolean          store_lost;       /* the database went from under the desk */
  AdwWindowTitle   *title;
  GtkWidget        *back_button;
  AdwToastOverlay  *toasts;
  GtkStack         *stack;
  PtTodayPage      *today_page;
  PtCasesPage      *cases_page;
  PtRunnersPage    *runners_page;
  PtCatalogPage    *catalog_page;
  PtCasePage       *case_page;
  PtIntakePage     *intake_page;

  PtDesk           *desk;
  char             *return_page;   /* where Back goes from the case or intake page */
  gboolean          close_confirmed;
  gboolean          pages_loaded;    /* the pages have the desk (after the first frame) */
  GdkFrameClock    *first_frame_clock;
};

G_DEFINE_FINAL_TYPE (PtWindow, pt_window, ADW_TYPE_APPLICATION_WINDOW)

static const struct { const char *name; const char *title; } pages[] = {
  { "today", N_("Today") },
  { "cases", N_("Cases") },
  { "runners", N_("Runners") },
  { "catalog", N_("Catalog") },
  { "case", N_("Case") },
  { "intake", N_("New Intake") },
};

static void load_pages (PtWindow *self);
static void first_frame_cb (GdkFrameClock *clock,
                            PtWindow      *self);

static void
update_chrome (PtWindow *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->stack);
  gboolean nested = g_strcmp0 (name, "case") == 0 || g_strcmp0 (name, "intake") == 0;

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    if (g_strcmp0 (pages[i].name, name) == 0)
      adw_window_title_set_title (self->title, _(pages[i].title));
  if (g_strcmp0 (name, "case") == 0 && pt_case_page_get_number (self->case_page) != NULL)
    adw_window_title_set_subtitle (self->title, pt_case_page_get_number (self->case_page));
  else
    adw_window_title_set_subtitle (self->title, NULL);
  gtk_widget_set_visible (self->back_button, nested || adw_leaflet_get_folded (self->leaflet));
  /* Ctrl+S keeps an intake's draft: there is none to keep elsewhere. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-draft", g_strcmp0 (name, "intake") == 0);
}

void
pt_window_show_page (PtWindow   *self,
                     const char *page)
{
  GtkListBoxRow *row = NULL;
  /* A copy: @page may be self->return_page itself (going back), which the
   * next lines replace. */
  g_autofree char *name = g_strdup (page);

  g_return_if_fail (PT_IS_WINDOW (self));

  if (g_strcmp0 (name, "case") != 0 && g_strcmp0 (name, "intake") != 0)
    {
      g_free (self->return_page);
      self->return_page = g_strdup (name);
    }
  gtk_stack_set_visible_child_name (self->stack, name);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->nav_list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (g_strcmp0 (gtk_widget_get_name (child), name) == 0)
      row = GTK_LIST_BOX_ROW (child);
  if (row != NULL)
    gtk_list_box_select_row (self->nav_list, row);
  else
    gtk_list_box_unselect_all (self->nav_list);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  update_chrome (self);
}

void
pt_window_open_case (PtWindow   *self,
                     const char *number)
{
  g_return_if_fail (PT_IS_WINDOW (self));
  load_pages (self);
  pt_case_page_load (self->case_page, number);
  pt_window_show_page (self, "case");
}

void
pt_window_toast (PtWindow   *self,
                 const char *message)
{
  g_return_if_fail (PT_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));
}

static void
nav_activated_cb (PtWindow      *self,
                  GtkListBoxRow *row)
{
  pt_window_show_page (self, gtk_widget_get_name (GTK_WIDGET (row)));
}

static void
open_case_cb (PtWindow   *self,
              const char *number)
{
  pt_window_open_case (self, number);
}

static void
intake_created_cb (PtWindow   *self,
                   const char *number)
{
  g_autofree char *message = g_strdup_printf (_("Case %s accepted"), number);

  pt_window_toast (self, message);
  g_free (self->return_page);
  self->return_page = g_strdup ("cases");
  pt_window_open_case (self, number);
}

/* The sidebar's count beside 代办件: the cases still open (not delivered,
 * not terminated), whatever the list is filtered by. */
static gpointer
count_job (PtStore       *store,
           gpointer       user_data,
           GCancellable  *cancellable,
           GError       **error)
{
  gint64 *counts = g_new0 (gint64, PT_STATUS_N);

  if (!pt_store_count_by_status (store, counts, error))
    {
      g_free (counts);
      return NULL;
    }
  return counts;
}

static void
counted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PtWindow) self = user_data;
  g_autofree gint64 *counts = pt_store_worker_run_finish (PT_STORE_WORKER (source), result, NULL);
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;
  gint64 open = 0, all = 0;

  if (counts == NULL)
    return;
  for (int i = 0; i < PT_STATUS_N; i++)
    {
      all += counts[i];
      if (i != PT_STATUS_DELIVERED && i != PT_STATUS_TERMINATED)
        open += counts[i];
    }
  text = g_strdup_printf ("%d", (int) open);
  tooltip = g_strdup_printf (_("%d open of %d cases"), (int) open, (int) all);
  gtk_label_set_text (self->overdue_count, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->overdue_count), tooltip);
}

static void
update_counts (PtWindow *self)
{
  pt_store_worker_run_async (pt_desk_get_worker (self->desk), count_job, NULL, NULL, g_free,
                             NULL, counted_cb, g_object_ref (self));
}

static void
today_count_cb (PtWindow *self)
{
  guint n = pt_today_page_get_n_attention (self->today_page);
  g_autofree char *text = g_strdup_printf ("%u", n);

  gtk_label_set_text (self->today_count, text);
  gtk_widget_set_visible (GTK_WIDGET (self->today_count), n > 0);
}

static void
desk_changed_cb (PtWindow   *self,
                 const char *case_id)
{
  pt_cases_page_reload (self->cases_page);
  pt_today_page_reload (self->today_page);
  update_counts (self);
  /* A sync may have changed the case shown, or taken it away. */
  if (case_id == NULL && g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "case") == 0)
    pt_case_page_refresh (self->case_page);
}

/* The case on screen was transferred away by a sync: said, and back to
 * where the clerk came from; Today keeps its trace. */
static void
case_gone_cb (PtWindow   *self,
              const char *number)
{
  g_autofree char *text = g_strdup_printf (_("%s was transferred to another unit; this desk keeps its trace on Today"),
                                           number);

  pt_window_show_page (self, self->return_page ? self->return_page : "today");
  pt_window_toast (self, text);
}

/* The sidebar names the desk's unit and the runner signed in, by name: the
 * roster is read on the store's thread. */
static gpointer
runner_job (PtStore       *store,
            gpointer       user_data,
            GCancellable  *cancellable,
            GError       **error)
{
  return pt_store_get_runner (store, user_data, error);
}

static void
set_desk_label (PtWindow   *self,
                const char *runner)
{
  const PtUnit *unit = pt_desk_get_unit_info (self->desk);
  g_autofree char *text = NULL;

  text = g_strdup_printf (_("%s · runner %s"),
                          unit ? unit->name : (pt_desk_get_unit (self->desk) ? pt_desk_get_unit (self->desk) : _("unit not set")),
                          runner ? runner : _("not signed in"));
  gtk_label_set_text (self->desk_label, text);
}

static void
runner_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PtWindow) self = user_data;
  PtRunner *runner = pt_store_worker_run_finish (PT_STORE_WORKER (source), result, NULL);

  /* A runner the roster does not know yet (before a sync) by its id. */
  if (runner != NULL && g_strcmp0 (runner->id, pt_desk_get_runner (self->desk)) == 0)
    set_desk_label (self, runner->name);
  g_clear_pointer (&runner, pt_runner_free);
}

static void
update_desk_label (PtWindow *self)
{
  const char *runner = pt_desk_get_runner (self->desk);

  set_desk_label (self, runner);
  if (runner != NULL)
    pt_store_worker_run_async (pt_desk_get_worker (self->desk), runner_job, g_strdup (runner), g_free,
                               (GDestroyNotify) pt_runner_free, NULL, runner_cb, g_object_ref (self));
}

static void
store_lost_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        PtWindow         *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

/* The database was removed or replaced under the desk: nothing more is
 * recorded, and the clerk is told why and what to do, once. */
static void
store_lost_cb (PtWindow   *self,
               const char *message)
{
  AdwMessageDialog *dialog;

  if (self->store_lost)
    return;
  self->store_lost = TRUE;
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Paotuan Stopped Recording"), message));
  adw_message_dialog_add_responses (dialog, "close", _("_Close Paotuan"), NULL);
  adw_message_dialog_set_default_response (dialog, "close");
  adw_message_dialog_set_close_response (dialog, "close");
  g_signal_connect (dialog, "response", G_CALLBACK (store_lost_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* What the clerk asked for is answered with a toast; automatic syncs speak
 * only through the sidebar. */
static void
sync_finished_cb (PtWindow   *self,
                  gboolean    ok,
                  const char *text)
{
  if (self->sync_asked && text != NULL)
    pt_window_toast (self, text);
  else if (self->sync_asked && ok)
    pt_window_toast (self, _("Synced: nothing new"));
  self->sync_asked = FALSE;
}

/* Actions */

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PtWindow *self = PT_WINDOW (widget);
  const char *name = gtk_stack_get_visible_child_name (self->stack);

  if (g_strcmp0 (name, "case") == 0 || g_strcmp0 (name, "intake") == 0)
    pt_window_show_page (self, self->return_page ? self->return_page : "cases");
  else if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
new_intake_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PtWindow *self = PT_WINDOW (widget);

  load_pages (self);
  pt_window_show_page (self, "intake");
  pt_intake_page_start (self->intake_page);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PtWindow *self = PT_WINDOW (widget);

  load_pages (self);
  pt_window_show_page (self, "cases");
  pt_cases_page_focus_search (self->cases_page);
}

static void
save_draft_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PtWindow *self = PT_WINDOW (widget);

  load_pages (self);
  pt_intake_page_save_draft (self->intake_page);
  pt_window_toast (self, _("Draft saved"));
}

static void
sync_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PtWindow *self = PT_WINDOW (widget);
  PtSyncController *sync = pt_desk_get_sync (self->desk);
  PtSyncState state = pt_sync_controller_get_state (sync);

  if (state == PT_SYNC_STATE_NOT_ENROLLED || state == PT_SYNC_STATE_NEEDS_ENROLL)
    {
      gtk_widget_activate_action (widget, "app.preferences", NULL);
      return;
    }
  self->sync_asked = TRUE;
  pt_sync_controller_sync_now (sync);
}

static void
backup_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PtWindow *self = PT_WINDOW (widget);

  pt_backup_save (GTK_WINDOW (self), self->desk);
}

static void
restore_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PtWindow *self = PT_WINDOW (widget);

  pt_backup_restore (GTK_WINDOW (self), self->desk);
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  pt_window_show_page (PT_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
resume_draft_cb (AdwToast *toast,
                 PtWindow *self)
{
  if (pt_intake_page_load_draft (self->intake_page))
    pt_window_show_page (self, "intake");
}

static void
offer_draft (PtWindow *self)
{
  g_autofree char *path = pt_intake_draft_path ();
  AdwToast *toast;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return;
  /* An intake left unfinished (closed, or the application crashed). */
  toast = adw_toast_new (_("An unfinished intake was kept"));
  adw_toast_set_button_label (toast, _("_Resume"));
  adw_toast_set_timeout (toast, 0);
  g_signal_connect (toast, "button-clicked", G_CALLBACK (resume_draft_cb), self);
  adw_toast_overlay_add_toast (self->toasts, toast);
}

static void
close_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   PtWindow         *self)
{
  if (g_strcmp0 (response, "cancel") == 0)
    return;
  if (g_strcmp0 (response, "discard") == 0)
    pt_intake_page_clear (self->intake_page);
  else
    pt_intake_page_save_draft (self->intake_page);
  self->close_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
pt_window_close_request (GtkWindow *window)
{
  PtWindow *self = PT_WINDOW (window);
  AdwMessageDialog *dialog;

  if (self->close_confirmed || !pt_intake_page_has_unsaved (self->intake_page))
    return GTK_WINDOW_CLASS (pt_window_parent_class)->close_request (window);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window, _("Close with an Unfinished Intake?"),
                                                       _("The intake has not been accepted yet. Keep it as a draft to finish it later, or discard it.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "keep", _("_Keep Draft and Close"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "keep", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (close_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

static void
pt_window_dispose (GObject *object)
{
  PtWindow *self = PT_WINDOW (object);

  if (self->first_frame_clock != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->first_frame_clock, first_frame_cb, self);
      g_clear_object (&self->first_frame_clock);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), PT_TYPE_WINDOW);
  g_clear_object (&self->desk);

  G_OBJECT_CLASS (pt_window_parent_class)->dispose (object);
}

static void
pt_window_finalize (GObject *object)
{
  g_free (PT_WINDOW (object)->return_page);
  G_OBJECT_CLASS (pt_window_parent_class)->finalize (object);
}

static void
pt_window_class_init (PtWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = pt_window_dispose;
  object_class->finalize = pt_window_finalize;
  window_class->close_request = pt_window_close_request;

  g_type_ensure (PT_TYPE_TODAY_PAGE);
  g_type_ensure (PT_TYPE_CASES_PAGE);
  g_type_ensure (PT_TYPE_RUNNERS_PAGE);
  g_type_ensure (PT_TYPE_CATALOG_PAGE);
  g_type_ensure (PT_TYPE_CASE_PAGE);
  g_type_ensure (PT_TYPE_INTAKE_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/paotuan/Paotuan/ui/pt-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PtWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, PtWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, PtWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, PtWindow, content);
  gtk_widget_class_bind_template_child (widget_class, PtWindow, nav_list);
  gtk_widget_class_bind_template_child (widget_class, PtWindow, today_count);
  gtk_widget_class_bind_template_child (widget_class, PtWindow, overdue_count);
  gtk_widget_class_bind_template_child (widget_class, PtWindow, desk_label);
  gtk_widget_class_bind_template_child (widget_class, PtWindow, sync_box);
  gtk_widget_class_bind_template_child (widget_class, PtWindow, title);
  gtk_widget_class_bind_template_child (widget_class, PtWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, PtWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, PtWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, PtWindow, today_page);
  gtk_widget_class_bind_template_child (widget_class, PtWindow, cases_page);
  gtk_widget_class_bind_template_child (widget_class, PtWindow, runners_page);
  gtk_widget_class_bind_template_child (widget_class, PtWindow, catalog_page);
  gtk_widget_class_bind_template_child (widget_class, PtWindow, case_page);
  gtk_widget_class_bind_template_child (widget_class, PtWindow, intake_page);
  gtk_widget_class_bind_template_callback (widget_class, nav_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_case_cb);
  gtk_widget_class_bind_template_callback (widget_class, intake_created_cb);

  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.new-intake", NULL, new_intake_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.save-draft", NULL, save_draft_action);
  gtk_widget_class_install_action (widget_class, "win.sync", NULL, sync_action);
  gtk_widget_class_install_action (widget_class, "win.backup", NULL, backup_action);
  gtk_widget_class_install_action (widget_class, "win.restore", NULL, restore_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-intake", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.save-draft", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.sync", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "win.show-page", "s", "today");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "win.show-page", "s", "cases");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "win.show-page", "s", "runners");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_ALT_MASK, "win.show-page", "s", "catalog");
}

static void
pt_window_init (PtWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  pt_name_inner_button (self->menu_button, _("Main Menu"));
  g_signal_connect_swapped (self->leaflet, "notify::folded", G_CALLBACK (update_chrome), self);
  g_signal_connect_swapped (self->stack, "notify::visible-child", G_CALLBACK (update_chrome), self);
#ifdef PT_DEVEL
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}

/* The pages get the desk, and with it their first queries, once the window
 * has drawn its first frame: the answers of the worker then fill a window
 * that is already on screen instead of holding it back. */
static void
load_pages (PtWindow *self)
{

  if (self->pages_loaded)
    return;
  self->pages_loaded = TRUE;
  if (self->first_frame_clock != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->first_frame_clock, first_frame_cb, self);
      g_clear_object (&self->first_frame_clock);
    }

  g_signal_connect_object (self->today_page, "notify::n-attention", G_CALLBACK (today_count_cb),
                           self, G_CONNECT_SWAPPED);
  pt_today_page_set_desk (self->today_page, self->desk);
  pt_cases_page_set_desk (self->cases_page, self->desk);
  pt_runners_page_set_desk (self->runners_page, self->desk);
  pt_catalog_page_set_desk (self->catalog_page, self->desk);
  pt_case_page_set_desk (self->case_page, self->desk);
  pt_intake_page_set_desk (self->intake_page, self->desk);
  g_signal_connect_object (self->desk, "changed", G_CALLBACK (desk_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->case_page, "changed", G_CALLBACK (update_chrome), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->case_page, "gone", G_CALLBACK (case_gone_cb), self, G_CONNECT_SWAPPED);
  update_counts (self);
  {
    PtSyncController *sync = pt_desk_get_sync (self->desk);

    gtk_box_append (GTK_BOX (self->sync_box), pt_sync_panel_new (sync));
    g_signal_connect_object (sync, "finished", G_CALLBACK (sync_finished_cb), self, G_CONNECT_SWAPPED);
    g_signal_connect_object (sync, "store-lost", G_CALLBACK (store_lost_cb), self, G_CONNECT_SWAPPED);
    pt_sync_controller_start (sync);
  }
  offer_draft (self);
  /* The whole file is read, on a thread of its own (pt-backup.c). */
  pt_backup_check_at_start (GTK_WINDOW (self), self->desk);
}

static void
first_frame_cb (GdkFrameClock *clock,
                PtWindow      *self)
{
  load_pages (self);
}

static void
realized_cb (PtWindow *self)
{
  if (self->pages_loaded || self->first_frame_clock != NULL)
    return;
  self->first_frame_clock = g_object_ref (gtk_widget_get_frame_clock (GTK_WIDGET (self)));
  g_signal_connect (self->first_frame_clock, "after-paint", G_CALLBACK (first_frame_cb), self);
}

PtWindow *
pt_window_new (AdwApplication *application,
               PtDesk         *desk)
{
  PtWindow *self = g_object_new (PT_TYPE_WINDOW, "application", application, NULL);

  self->desk = g_object_ref (desk);
  g_signal_connect_object (pt_desk_get_worker (desk), "store-lost", G_CALLBACK (store_lost_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (desk, "notify::unit", G_CALLBACK (update_desk_label), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (desk, "notify::runner", G_CALLBACK (update_desk_label), self, G_CONNECT_SWAPPED);
  update_desk_label (self);
  pt_window_show_page (self, "today");
  g_signal_connect (self, "realize", G_CALLBACK (realized_cb), NULL);
  return self;
}
