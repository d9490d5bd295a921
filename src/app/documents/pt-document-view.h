/* pt-document-view.h: a document's preview, print and save-as.
 *
 * Shows the pages of a PDF made by pt_document_render() (poppler draws them),
 * one at a time, with page navigation and zoom (100 % is the paper's real
 * size on a 96 dpi screen). Actions on the widget, for buttons and menus:
 *   document.print          (Ctrl+P)  send the PDF itself to a printer (pt-print-dialog.h)
 *   document.save-as        (Ctrl+S)  save the PDF under a chosen name
 *   document.previous-page  (Page Up), document.next-page (Page Down)
 *   document.zoom-in (Ctrl++), document.zoom-out (Ctrl+-), document.zoom-reset (Ctrl+0)
 * "print-finished" is emitted with the document's digest (the SHA-256 of the
 * PDF), the printer and the copies once CUPS took the job, so that the case
 * records what was printed; "print-failed" says why a job did not print.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PT_TYPE_DOCUMENT_VIEW (pt_document_view_get_type ())

G_DECLARE_FINAL_TYPE (PtDocumentView, pt_document_view, PT, DOCUMENT_VIEW, GtkWidget)

GtkWidget  *pt_document_view_new         (void);

/* Shows @pdf. @digest is its SHA-256 (from pt_document_render()); @name is
 * the title of the print job and the suggested file name, without ".pdf". */
gboolean    pt_document_view_load        (PtDocumentView  *self,
                                          GBytes          *pdf,
                                          const char      *digest,
                                          const char      *name,
                                          GError         **error);
void        pt_document_view_clear       (PtDocumentView  *self);

GBytes     *pt_document_view_get_pdf     (PtDocumentView  *self);
const char *pt_document_view_get_digest  (PtDocumentView  *self);
guint       pt_document_view_get_n_pages (PtDocumentView  *self);
/* Pages count from 0. */
guint       pt_document_view_get_page    (PtDocumentView  *self);
void        pt_document_view_set_page    (PtDocumentView  *self,
                                          guint            page);
double      pt_document_view_get_zoom    (PtDocumentView  *self);
void        pt_document_view_set_zoom    (PtDocumentView  *self,
                                          double           zoom);

/* The copies the print dialog proposes (一式两份 → 2). */
void        pt_document_view_set_copies  (PtDocumentView  *self,
                                          int              copies);
/* Opens the print dialog (asynchronous; see "print-finished"). */
void        pt_document_view_print       (PtDocumentView  *self);
/* Writes the PDF bytes themselves to @path, atomically. */
gboolean    pt_document_view_save        (PtDocumentView  *self,
                                          const char      *path,
                                          GError         **error);
/* Asks for a file name, then saves. */
void        pt_document_view_save_as     (PtDocumentView  *self);

G_END_DECLS
