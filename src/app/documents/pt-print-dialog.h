/* pt-print-dialog.h: the desk's print dialog, over libcups (pt-printer.h).
 *
 * Lists the CUPS queues on a thread (a few seconds at most: with Debian 12's
 * libcups2 deb12u10 GTK's own dialog lists none and spins), offers the
 * printer and the copies the document asks for, and sends the PDF itself as
 * the job; then waits for CUPS to say the job is done. When no printer can
 * be listed it says so, with what to do, and offers what works: saving the
 * PDF or opening it in the system's viewer. docs/documents.md says why the
 * desk does not use GtkPrintOperation.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum {
  PT_PRINT_SENT,        /* the job went to @printer; @completed: CUPS says it is printed */
  PT_PRINT_FAILED,      /* @error says why */
  PT_PRINT_SAVE,        /* the clerk chose to save the PDF instead */
  PT_PRINT_OPEN,        /* ... or to open it in another application */
  PT_PRINT_CANCELLED,
} PtPrintOutcome;

typedef struct {
  PtPrintOutcome  outcome;
  const char     *printer;      /* the queue, for SENT and FAILED */
  const char     *printer_label; /* its description, as the clerk saw it */
  int             copies;
  int             job_id;       /* for SENT */
  gboolean        completed;
  const GError   *error;        /* for FAILED */
} PtPrintResult;

typedef void (*PtPrintDone) (const PtPrintResult *result,
                             gpointer             user_data);

/* Opens the dialog over @parent for @pdf, a job titled @title, @copies
 * preset. @done runs once, on the main thread, when the dialog is answered
 * and (for a job) when CUPS has answered too. */
void pt_print_dialog_present (GtkWindow      *parent,
                              GBytes         *pdf,
                              const char     *title,
                              int             copies,
                              PtPrintDone     done,
                              gpointer        user_data,
                              GDestroyNotify  user_data_free);

G_END_DECLS
