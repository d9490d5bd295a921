/* pt-application.c: options, reference data, the store worker, app actions. */
#define G_LOG_DOMAIN "pt-app"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>

#include "pt-application.h"

#include "pt-desk.h"
#include "pt-preferences-window.h"
#include "pt-reference.h"
#include "pt-store-worker.h"
#include "pt-window.h"

struct _PtApplication
{
  AdwApplication  parent_instance;

  char           *db_path;
  PtReference    *reference;
  PtStoreWorker  *worker;
  guint           signal_sources[3];
  GSettings      *settings;
  PtDesk         *desk;
  gboolean        opened;
  gboolean        open_failed;
  char           *open_error;
};

G_DEFINE_FINAL_TYPE (PtApplication, pt_application, ADW_TYPE_APPLICATION)

static GSettings *
load_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  /* An uninstalled build may run without the compiled schema: then the
   * preferences are not kept, but the application still works. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, "io.github.paotuan.Paotuan", TRUE);
  if (schema == NULL)
    {
      g_message ("The GSettings schema io.github.paotuan.Paotuan is not installed; preferences are not saved");
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

static void
show_fatal (PtApplication *self,
            const char    *message)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (self));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *status = adw_status_page_new ();

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "dialog-error-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), _("The Database Could Not Be Opened"));
  adw_status_page_set_description (ADW_STATUS_PAGE (status), message);
  gtk_widget_set_vexpand (status, TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), status);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  gtk_window_present (GTK_WINDOW (window));
}

static void
meta_runner_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data);

static void
meta_unit_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  PtApplication *self = user_data;
  g_autofree char *unit = pt_store_worker_get_meta_finish (PT_STORE_WORKER (source), result, NULL);

  g_object_set_data_full (G_OBJECT (self), "meta-unit", g_steal_pointer (&unit), g_free);
  pt_store_worker_get_meta_async (self->worker, "runner", NULL, meta_runner_cb, self);
}

/* For the startup benchmark (bench/app): prints the monotonic time of the
 * first drawn frame and quits. */
static void
first_frame_cb (GdkFrameClock *clock,
                GtkWindow     *window)
{
  g_signal_handlers_disconnect_by_func (clock, first_frame_cb, window);
  g_print ("first-frame %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  g_application_quit (G_APPLICATION (gtk_window_get_application (window)));
}

static void
window_realized_cb (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (first_frame_cb), window);
}

static void
present_window (PtApplication *self)
{
  PtWindow *window = pt_window_new (ADW_APPLICATION (self), self->desk);

  if (g_getenv ("PT_BENCH_FIRST_FRAME") != NULL)
    g_signal_connect (window, "realize", G_CALLBACK (window_realized_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

static void
meta_runner_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  PtApplication *self = user_data;
  g_autofree char *runner = pt_store_worker_get_meta_finish (PT_STORE_WORKER (source), result, NULL);

  pt_desk_set_defaults (self->desk, g_object_get_data (G_OBJECT (self), "meta-unit"), runner);
  self->opened = TRUE;
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  PtApplication *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pt_store_worker_open_finish (PT_STORE_WORKER (source), result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("%s\n\nDatabase: %s\nStart with --db FILE to open another one."),
                                                  error->message, self->db_path);
      GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

      self->open_failed = TRUE;
      show_fatal (self, message);
      if (window != NULL)
        gtk_window_destroy (window);
      return;
    }
  pt_store_worker_get_meta_async (self->worker, "unit", NULL, meta_unit_cb, self);
}

static void
pt_application_activate (GApplication *application)
{
  PtApplication *self = PT_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(GError) error = NULL;

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }
  if (self->worker != NULL)
    {
      if (!self->open_failed)
        present_window (self);
      return;
    }

  self->reference = pt_reference_load_default (&error);
  if (self->reference == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The reference data (catalog, district, calendar) could not be loaded: %s\nSet PAOTUAN_DATA_DIR or reinstall the application."),
                                                  error->message);
      show_fatal (self, message);
      return;
    }
  if (self->db_path == NULL)
    self->db_path = g_build_filename (g_get_user_data_dir (), "paotuan", "paotuan.db", NULL);
  self->worker = pt_store_worker_new (self->db_path, self->reference);
  self->desk = pt_desk_new (self->worker, self->settings);
  /* The window shows at once: the pages' first queries wait on the worker
   * behind the opening of the store, and the desk's unit and runner arrive
   * from the database a moment later. */
  pt_store_worker_open_async (self->worker, NULL, opened_cb, self);
  present_window (self);
}

static int
pt_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  PtApplication *self = PT_APPLICATION (application);
  const char *db = NULL;

  if (g_variant_dict_lookup (options, "version", "b", NULL))
    {
      g_print ("paotuan %s\n", PT_VERSION);
      return 0;
    }
  if (g_variant_dict_lookup (options, "db", "^&ay", &db))
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (db);

      self->db_path = g_file_get_path (file);
    }
  return -1;
}

/* App actions */

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GtkApplication *application = user_data;
  GList *windows = gtk_application_get_windows (application);

  /* Closing asks about an unfinished intake; quitting goes through it too. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

/* The release notes in the clerk's language (AppStream markup, as the
 * metainfo's release description). */
static char *
release_notes (void)
{
  return g_markup_printf_escaped ("<p>%s</p><ul><li>%s</li><li>%s</li><li>%s</li><li>%s</li><li>%s</li></ul>",
    _("The desk keeps every record while other programs read its database, and says so at once if its file is removed."),
    _("Intake with inline validation, the scope check and the material checklist; missing materials received later are recorded."),
    _("One delivery hands over the certificate of every approved step; fees only as the catalog lists them, with their legal basis."),
    _("The desk's unit and runner are chosen from the district's lists; papers print the unit's own service center."),
    _("Deadlines that run into a year without a holiday table are marked provisional and counted again when the table arrives."),
    _("Cases sync with the district server over HTTPS, also after working offline."));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *application = user_data;
  const char *developers[] = { "Paotuan contributors", NULL };
  GtkWidget *about;
  g_autofree char *notes = NULL;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (application),
                        "application-name", _("Paotuan"),
                        /* The icon is in the resource (icons/), so that it
                         * shows uninstalled and for the development build. */
                        "application-icon", "io.github.paotuan.Paotuan",
                        "developer-name", _("Paotuan contributors"),
                        "version", PT_VERSION,
                        "comments", _("Desk application of the government-service runner teams: intake, approvals across departments and levels, delivery"),
                        "website", "https://github.com/paotuan/paotuan",
                        "issue-url", "https://github.com/paotuan/paotuan/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        "copyright", "© 2026 Paotuan contributors",
                        NULL);
  notes = release_notes ();
  adw_about_window_set_release_notes (ADW_ABOUT_WINDOW (about), notes);
  adw_about_window_set_release_notes_version (ADW_ABOUT_WINDOW (about), PT_VERSION);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  PtApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *window;

  if (self->desk == NULL)
    return;
  window = pt_preferences_window_new (self->desk);
  gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_window_present (GTK_WINDOW (window));
}

static const GActionEntry app_entries[] = {
  { "quit", quit_activated, NULL, NULL, NULL, { 0 } },
  { "about", about_activated, NULL, NULL, NULL, { 0 } },
  { "preferences", preferences_activated, NULL, NULL, NULL, { 0 } },
};

/* A logout or `kill` ends the application without asking anything, and
 * closes the store rather than abandoning it: the windows go, then the
 * worker (pt_application_shutdown ()). The draft of an intake is already on
 * disk: it is saved as it is typed. */
static gboolean
terminate_cb (gpointer user_data)
{
  GtkApplication *application = user_data;
  GList *windows;

  while ((windows = gtk_application_get_windows (application)) != NULL)
    gtk_window_destroy (windows->data);
  g_application_quit (G_APPLICATION (application));
  return G_SOURCE_CONTINUE;
}

static void
pt_application_startup (GApplication *application)
{
  PtApplication *self = PT_APPLICATION (application);
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *prefs_accels[] = { "<Control>comma", NULL };
  const char *help_accels[] = { "<Control>question", NULL };

  G_APPLICATION_CLASS (pt_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_entries, G_N_ELEMENTS (app_entries), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", prefs_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay", help_accels);
  self->settings = load_settings ();
  self->signal_sources[0] = g_unix_signal_add (SIGTERM, terminate_cb, self);
  self->signal_sources[1] = g_unix_signal_add (SIGINT, terminate_cb, self);
  self->signal_sources[2] = g_unix_signal_add (SIGHUP, terminate_cb, self);
}

static void
pt_application_shutdown (GApplication *application)
{
  PtApplication *self = PT_APPLICATION (application);

  G_APPLICATION_CLASS (pt_application_parent_class)->shutdown (application);
  for (guint i = 0; i < G_N_ELEMENTS (self->signal_sources); i++)
    g_clear_handle_id (&self->signal_sources[i], g_source_remove);
  g_clear_object (&self->desk);
  /* Waits for the worker's queued jobs and closes the store. */
  g_clear_object (&self->worker);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->reference, pt_reference_free);
}

static void
pt_application_finalize (GObject *object)
{
  PtApplication *self = PT_APPLICATION (object);

  g_free (self->db_path);
  g_free (self->open_error);

  G_OBJECT_CLASS (pt_application_parent_class)->finalize (object);
}

static void
pt_application_class_init (PtApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = pt_application_finalize;
  app_class->activate = pt_application_activate;
  app_class->startup = pt_application_startup;
  app_class->shutdown = pt_application_shutdown;
  app_class->handle_local_options = pt_application_handle_local_options;
}

static void
pt_application_init (PtApplication *self)
{
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Open this database instead of the desk's own"), N_("FILE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

PtApplication *
pt_application_new (void)
{
  /* NON_UNIQUE: two desks' databases may be open side by side (tests, training). */
  return g_object_new (PT_TYPE_APPLICATION,
                       "application-id", PT_APP_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/io/github/paotuan/Paotuan",
                       NULL);
}
