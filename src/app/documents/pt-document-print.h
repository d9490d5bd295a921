/* pt-document-print.h: printing a PDF's pages with GtkPrintOperation.
 *
 * Each page of the poppler document is drawn onto the print context at its
 * real size (A4 documents on A4 paper print at 100 %, never shrunk), with
 * the page setup taken from the document's first page.
 */
#pragma once

#include <gtk/gtk.h>
#include <poppler.h>

G_BEGIN_DECLS

/* A print operation over @document's pages; @job_name names the print job
 * and the default file name of "Print to File". */
GtkPrintOperation *pt_document_print_operation_new (PopplerDocument *document,
                                                    const char      *job_name);

/* Prints @document to the PDF file @path without a dialog, through the same
 * operation (GTK_PRINT_OPERATION_ACTION_EXPORT). */
gboolean           pt_document_print_export        (PopplerDocument *document,
                                                    const char      *path,
                                                    GError         **error);

G_END_DECLS
