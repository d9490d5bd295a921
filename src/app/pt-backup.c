/* pt-backup.c: backup, restore and the check at start, from the desk. */
#define G_LOG_DOMAIN "pt-app"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "pt-app-util.h"
#include "pt-backup.h"
#include "pt-store-backup.h"

typedef struct {
  GtkWindow *window;
  PtDesk    *desk;
  char      *path;     /* the file chosen */
  char      *kept;     /* restore: the database as it was */
} BackupJob;

static BackupJob *
backup_job_new (GtkWindow  *window,
                PtDesk     *desk,
                const char *path)
{
  BackupJob *job = g_new0 (BackupJob, 1);

  job->window = g_object_ref (window);
  job->desk = g_object_ref (desk);
  job->path = g_strdup (path);
  return job;
}

static void
backup_job_free (BackupJob *job)
{
  g_object_unref (job->window);
  g_object_unref (job->desk);
  g_free (job->path);
  g_free (job->kept);
  g_free (job);
}

static void
show_message (GtkWindow  *window,
              const char *heading,
              const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (window, heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A question with two answers: "no" (also Escape) and "restore", which
 * @callback gets with @job. */
static void
ask (BackupJob           *job,
     const char          *heading,
     const char          *body,
     const char          *no_label,
     const char          *restore_label,
     AdwResponseAppearance appearance,
     GCallback            callback)
{
  GtkWidget *dialog = adw_message_dialog_new (job->window, heading, body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "no", no_label, "restore", restore_label, NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "restore", appearance);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "no");
  g_signal_connect (dialog, "response", callback, job);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Backup */

static gpointer
save_job (PtStore       *store,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  BackupJob *job = data;

  return pt_store_backup (store, job->path, error) ? GINT_TO_POINTER (1) : NULL;
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  BackupJob *job = user_data;
  g_autoptr(GError) error = NULL;

  if (pt_store_worker_run_finish (PT_STORE_WORKER (source), result, &error) == NULL)
    show_message (job->window, _("Backup Failed"), error->message);
  else
    {
      g_autofree char *text = g_strdup_printf (_("Backed up to %s"), job->path);
      pt_toast (gtk_window_get_child (job->window), text);
    }
  backup_job_free (job);
}

static void
save_response_cb (GtkNativeDialog *chooser,
                  int              response,
                  BackupJob       *job)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_object_unref (chooser);
  g_clear_pointer (&job->path, g_free);
  if (file == NULL || (job->path = g_file_get_path (file)) == NULL)
    {
      backup_job_free (job);
      return;
    }
  pt_store_worker_run_async (pt_desk_get_worker (job->desk), save_job, job, NULL, NULL,
                             NULL, saved_cb, job);
}

void
pt_backup_save (GtkWindow *window,
                PtDesk    *desk)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *name = g_date_time_format (now, "paotuan-backup-%Y%m%d.db");

  chooser = gtk_file_chooser_native_new (_("Back Up the Desk's Records"), window,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Back Up"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (save_response_cb), backup_job_new (window, desk, NULL));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Restore */

static gpointer
restore_job (PtStore       *store,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  BackupJob *job = data;

  return pt_store_restore (job->path, pt_store_get_path (store), &job->kept, error)
         ? GINT_TO_POINTER (1) : NULL;
}

static void
quit_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  gpointer          user_data)
{
  g_application_quit (g_application_get_default ());
}

static void
restored_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  BackupJob *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (pt_store_worker_run_finish (PT_STORE_WORKER (source), result, &error) == NULL)
    {
      show_message (job->window, _("Restore Failed"), error->message);
      backup_job_free (job);
      return;
    }
  /* The records on screen are the old file's: the desk starts again. */
  body = job->kept != NULL
         ? g_strdup_printf (_("The records of %s are back. The database as it was is kept as %s. "
                              "Paotuan closes now; open it again to go on."), job->path, job->kept)
         : g_strdup_printf (_("The records of %s are back. Paotuan closes now; open it again to go on."), job->path);
  dialog = adw_message_dialog_new (job->window, _("Backup Restored"), body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "quit", _("_Close Paotuan"));
  g_signal_connect (dialog, "response", G_CALLBACK (quit_response_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  backup_job_free (job);
}

static void
confirm_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     BackupJob        *job)
{
  if (g_strcmp0 (response, "restore") != 0)
    {
      backup_job_free (job);
      return;
    }
  pt_store_worker_run_async (pt_desk_get_worker (job->desk), restore_job, job, NULL, NULL,
                             NULL, restored_cb, job);
}

static void
open_response_cb (GtkNativeDialog *chooser,
                  int              response,
                  BackupJob       *job)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *body = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_object_unref (chooser);
  if (file == NULL || (job->path = g_file_get_path (file)) == NULL)
    {
      backup_job_free (job);
      return;
    }
  body = g_strdup_printf (_("The desk's records are replaced by those of %s. "
                            "What was recorded since that backup stays in the database as it is now, "
                            "which is kept beside it under a new name."), job->path);
  ask (job, _("Restore This Backup?"), body, _("_Cancel"), _("_Restore"), ADW_RESPONSE_DESTRUCTIVE,
       G_CALLBACK (confirm_response_cb));
}

void
pt_backup_restore (GtkWindow *window,
                   PtDesk    *desk)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Restore a Backup"), window,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (open_response_cb), backup_job_new (window, desk, NULL));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* The check at start */

/* On a thread and a read-only connection of its own: the whole file is
 * read (seconds for a district's), and the desk's worker goes on serving
 * the pages meanwhile. */
static void
check_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  const char *path = task_data;
  GError *error = NULL;

  if (pt_store_check_file (path, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
damaged_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     BackupJob        *job)
{
  if (g_strcmp0 (response, "restore") == 0)
    pt_backup_restore (job->window, job->desk);
  backup_job_free (job);
}

static void
checked_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  BackupJob *job = user_data;
  g_autoptr(GError) error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      backup_job_free (job);
      return;
    }
  ask (job, _("The Desk's Database Is Damaged"), error->message, _("_Later"), _("_Restore a Backup…"),
       ADW_RESPONSE_SUGGESTED, G_CALLBACK (damaged_response_cb));
}

void
pt_backup_check_at_start (GtkWindow *window,
                          PtDesk    *desk)
{
  const char *path = pt_store_worker_get_path (pt_desk_get_worker (desk));
  /* The thread gets the path only: the window stays on this thread. */
  g_autoptr(GTask) task = g_task_new (NULL, NULL, checked_cb, backup_job_new (window, desk, path));

  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, check_thread);
}
