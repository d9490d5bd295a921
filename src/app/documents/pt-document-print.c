/* pt-document-print.c: printing a PDF's pages with GtkPrintOperation. */
#define G_LOG_DOMAIN "pt-documents"

#include <glib/gi18n.h>

#include "pt-document-print.h"
#include "pt-poppler-autoptr.h"

static void
begin_print_cb (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                PopplerDocument   *document)
{
  gtk_print_operation_set_n_pages (operation, poppler_document_get_n_pages (document));
}

/* Every page takes the size and orientation of its PDF page. */
static void
request_page_setup_cb (GtkPrintOperation *operation,
                       GtkPrintContext   *context,
                       int                page_nr,
                       GtkPageSetup      *setup,
                       PopplerDocument   *document)
{
  g_autoptr(PopplerPage) page = poppler_document_get_page (document, page_nr);
  double width, height;
  GtkPaperSize *paper;

  if (page == NULL)
    return;
  poppler_page_get_size (page, &width, &height);
  paper = gtk_paper_size_new_custom ("pt-document", "Document", width, height, GTK_UNIT_POINTS);
  /* A4 is A4: the printer driver then picks the tray it knows. */
  if (ABS (width - 595.276) < 1 && ABS (height - 841.89) < 1)
    {
      gtk_paper_size_free (paper);
      paper = gtk_paper_size_new (GTK_PAPER_NAME_A4);
    }
  gtk_page_setup_set_paper_size (setup, paper);
  gtk_page_setup_set_orientation (setup, width > height ? GTK_PAGE_ORIENTATION_LANDSCAPE
                                                        : GTK_PAGE_ORIENTATION_PORTRAIT);
  gtk_paper_size_free (paper);
}

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              PopplerDocument   *document)
{
  g_autoptr(PopplerPage) page = poppler_document_get_page (document, page_nr);
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width, height, scale;

  if (page == NULL)
    return;
  poppler_page_get_size (page, &width, &height);
  /* The context is in points of the full sheet (use-full-page): a page of
   * the sheet's size is drawn 1:1; another size is fitted, never clipped. */
  scale = MIN (gtk_print_context_get_width (context) / width,
               gtk_print_context_get_height (context) / height);
  cairo_save (cr);
  cairo_scale (cr, scale, scale);
  poppler_page_render_for_printing (page, cr);
  cairo_restore (cr);
}

GtkPrintOperation *
pt_document_print_operation_new (PopplerDocument *document,
                                 const char      *job_name)
{
  GtkPrintOperation *operation;
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);

  g_return_val_if_fail (POPPLER_IS_DOCUMENT (document), NULL);

  operation = gtk_print_operation_new ();
  gtk_page_setup_set_paper_size_and_default_margins (setup, a4);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_embed_page_setup (operation, FALSE);
  if (job_name != NULL)
    gtk_print_operation_set_job_name (operation, job_name);

  g_signal_connect_object (operation, "begin-print", G_CALLBACK (begin_print_cb), document, 0);
  g_signal_connect_object (operation, "request-page-setup",
                           G_CALLBACK (request_page_setup_cb), document, 0);
  g_signal_connect_object (operation, "draw-page", G_CALLBACK (draw_page_cb), document, 0);
  return operation;
}

gboolean
pt_document_print_export (PopplerDocument *document,
                          const char      *path,
                          GError         **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  GtkPrintOperationResult result;

  g_return_val_if_fail (POPPLER_IS_DOCUMENT (document), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  operation = pt_document_print_operation_new (document, NULL);
  gtk_print_operation_set_export_filename (operation, path);
  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, error);
  return result != GTK_PRINT_OPERATION_RESULT_ERROR;
}
