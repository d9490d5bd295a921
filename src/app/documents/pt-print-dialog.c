/* pt-print-dialog.c: the desk's print dialog, over libcups. */
#define G_LOG_DOMAIN "pt-documents"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "pt-error.h"
#include "pt-print-dialog.h"
#include "pt-printer.h"

/* How long CUPS may take to list its queues before the desk says it cannot
 * (a cupsd that is not running answers at once; one that hangs does not). */
#define LIST_TIMEOUT_MS 4000
/* How long the desk waits for CUPS to say a job is printed; after that the
 * job is reported as sent, still in the queue. */
#define JOB_TIMEOUT_MS 20000

typedef struct {
  gatomicrefcount   refs;        /* the dialog's answer and the listing's */
  gboolean          answered;
  AdwMessageDialog *dialog;      /* weak: gone once answered */
  GtkStack         *stack;
  AdwComboRow      *printer_row;
  GtkSpinButton    *copies;
  GPtrArray        *printers;    /* PtPrinter */
  GBytes           *pdf;
  char             *title;
  int               n_copies;
  PtPrintDone       done;
  gpointer          user_data;
  GDestroyNotify    user_data_free;
  /* the job, once chosen */
  char             *printer;
  char             *printer_label;
  int               job_copies;
} PrintRequest;

static void
request_unref (PrintRequest *request)
{
  if (!g_atomic_ref_count_dec (&request->refs))
    return;
  if (request->dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (request->dialog), (gpointer *) &request->dialog);
  g_clear_pointer (&request->printers, g_ptr_array_unref);
  g_bytes_unref (request->pdf);
  g_free (request->title);
  g_free (request->printer);
  g_free (request->printer_label);
  if (request->user_data_free != NULL)
    request->user_data_free (request->user_data);
  g_free (request);
}

static void
finish (PrintRequest   *request,
        PtPrintOutcome  outcome,
        int             job_id,
        gboolean        completed,
        const GError   *error)
{
  PtPrintResult result = {
    outcome, request->printer, request->printer_label, request->job_copies, job_id, completed, error,
  };

  request->answered = TRUE;
  request->done (&result, request->user_data);
  request_unref (request);
}

static const char *
printer_label (const PtPrinter *printer)
{
  return printer->info != NULL && printer->info[0] != '\0' ? printer->info : printer->name;
}

/* Sending: on a thread, the PDF as the job, then the wait for CUPS. */

typedef struct {
  int          job_id;
  PtJobOutcome outcome;
} JobAnswer;

static void
send_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PrintRequest *request = task_data;
  GError *error = NULL;
  JobAnswer *answer = g_new0 (JobAnswer, 1);

  answer->job_id = pt_printer_submit (request->printer, request->pdf, request->title,
                                      request->job_copies, &error);
  if (answer->job_id <= 0
      || !pt_printer_wait_job (request->printer, answer->job_id, JOB_TIMEOUT_MS, &answer->outcome, &error))
    {
      g_free (answer);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, answer, g_free);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  PrintRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree JobAnswer *answer = g_task_propagate_pointer (G_TASK (result), &error);

  if (answer == NULL)
    finish (request, PT_PRINT_FAILED, 0, FALSE, error);
  else
    finish (request, PT_PRINT_SENT, answer->job_id, answer->outcome == PT_JOB_COMPLETED, NULL);
}

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response,
             PrintRequest     *request)
{
  if (g_strcmp0 (response, "print") == 0 && request->printers != NULL)
    {
      guint selected = adw_combo_row_get_selected (request->printer_row);
      const PtPrinter *printer;
      g_autoptr(GTask) task = NULL;

      if (selected >= request->printers->len)
        {
          finish (request, PT_PRINT_CANCELLED, 0, FALSE, NULL);
          return;
        }
      printer = g_ptr_array_index (request->printers, selected);
      request->printer = g_strdup (printer->name);
      request->printer_label = g_strdup (printer_label (printer));
      request->job_copies = gtk_spin_button_get_value_as_int (request->copies);
      task = g_task_new (NULL, NULL, sent_cb, request);
      g_task_set_task_data (task, request, NULL);
      g_task_run_in_thread (task, send_thread);
      return;
    }
  if (g_strcmp0 (response, "save") == 0)
    finish (request, PT_PRINT_SAVE, 0, FALSE, NULL);
  else if (g_strcmp0 (response, "open") == 0)
    finish (request, PT_PRINT_OPEN, 0, FALSE, NULL);
  else
    finish (request, PT_PRINT_CANCELLED, 0, FALSE, NULL);
}

/* Listing: on a thread, with a time limit. */

static void
list_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *printers = pt_printer_list (LIST_TIMEOUT_MS, &error);

  if (printers == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, printers, (GDestroyNotify) g_ptr_array_unref);
}

static void
show_no_printer (PrintRequest *request,
                 const GError *error)
{
  g_autofree char *body = NULL;

  /* Translators: what a clerk can check, then what still works. */
  body = g_strdup_printf (_("%s\n\nCheck that the printer is connected and switched on. "
                            "In a terminal, `lpstat -e` lists the printers this computer knows. "
                            "Meanwhile the document can be saved as a PDF or opened in another application to print."),
                          error != NULL ? error->message : _("The printing service (CUPS) has no printer yet."));
  adw_message_dialog_set_heading (request->dialog, _("No Printer Found"));
  adw_message_dialog_set_body (request->dialog, body);
  gtk_stack_set_visible_child_name (request->stack, "none");
  adw_message_dialog_set_response_enabled (request->dialog, "print", FALSE);
  adw_message_dialog_set_default_response (request->dialog, "save");
}

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  PrintRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *printers = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  /* Answered (cancelled, saved) while CUPS was asked: nothing to show. */
  if (request->answered || request->dialog == NULL)
    {
      g_clear_pointer (&printers, g_ptr_array_unref);
      request_unref (request);
      return;
    }
  if (printers == NULL || printers->len == 0)
    {
      g_clear_pointer (&printers, g_ptr_array_unref);
      show_no_printer (request, error);
      request_unref (request);
      return;
    }
  for (guint i = 0; i < printers->len; i++)
    gtk_string_list_append (names, printer_label (g_ptr_array_index (printers, i)));
  request->printers = printers;
  adw_combo_row_set_model (request->printer_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (request->printer_row, 0);
  gtk_stack_set_visible_child_name (request->stack, "printers");
  adw_message_dialog_set_response_enabled (request->dialog, "print", TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (request->printer_row));
  request_unref (request);
}

static GtkWidget *
build_extra (PrintRequest *request)
{
  GtkWidget *stack = gtk_stack_new ();
  GtkWidget *looking = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *spinner = gtk_spinner_new ();
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *copies_row = adw_action_row_new ();

  gtk_spinner_start (GTK_SPINNER (spinner));
  gtk_widget_set_halign (looking, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (looking), spinner);
  gtk_box_append (GTK_BOX (looking), gtk_label_new (_("Looking for printers…")));
  gtk_stack_add_named (GTK_STACK (stack), looking, "looking");

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  request->printer_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (request->printer_row), _("Printer"));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (request->printer_row));
  request->copies = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (1, 99, 1));
  gtk_spin_button_set_value (request->copies, request->n_copies);
  gtk_widget_set_valign (GTK_WIDGET (request->copies), GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (request->copies), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Copies"), -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (copies_row), _("Copies"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (copies_row), GTK_WIDGET (request->copies));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (copies_row), GTK_WIDGET (request->copies));
  gtk_list_box_append (GTK_LIST_BOX (list), copies_row);
  gtk_stack_add_named (GTK_STACK (stack), list, "printers");

  gtk_stack_add_named (GTK_STACK (stack), gtk_box_new (GTK_ORIENTATION_VERTICAL, 0), "none");
  gtk_stack_set_visible_child_name (GTK_STACK (stack), "looking");
  request->stack = GTK_STACK (stack);
  return stack;
}

void
pt_print_dialog_present (GtkWindow      *parent,
                         GBytes         *pdf,
                         const char     *title,
                         int             copies,
                         PtPrintDone     done,
                         gpointer        user_data,
                         GDestroyNotify  user_data_free)
{
  PrintRequest *request = g_new0 (PrintRequest, 1);
  g_autoptr(GTask) task = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  g_return_if_fail (pdf != NULL);
  g_return_if_fail (done != NULL);

  g_atomic_ref_count_init (&request->refs);
  g_atomic_ref_count_inc (&request->refs);   /* the listing's */
  request->pdf = g_bytes_ref (pdf);
  request->title = g_strdup (title);
  request->n_copies = CLAMP (copies, 1, 99);
  request->done = done;
  request->user_data = user_data;
  request->user_data_free = user_data_free;

  body = g_strdup_printf (_("“%s” goes to the printer as it is shown: A4, at its real size."), title);
  dialog = adw_message_dialog_new (parent, _("Print"), body);
  request->dialog = ADW_MESSAGE_DIALOG (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &request->dialog);
  adw_message_dialog_set_extra_child (request->dialog, build_extra (request));
  adw_message_dialog_add_responses (request->dialog,
                                    "cancel", _("_Cancel"),
                                    "open", _("_Open in Another App"),
                                    "save", _("Save as _PDF…"),
                                    "print", _("_Print"),
                                    NULL);
  adw_message_dialog_set_response_appearance (request->dialog, "print", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (request->dialog, "print", FALSE);
  adw_message_dialog_set_default_response (request->dialog, "print");
  adw_message_dialog_set_close_response (request->dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (response_cb), request);
  gtk_window_present (GTK_WINDOW (dialog));

  /* The list arrives on the main thread; the request lives until both the
   * answer (finish ()) and the list (listed_cb) are in. */
  task = g_task_new (NULL, NULL, listed_cb, request);
  g_task_run_in_thread (task, list_thread);
}
