/* pt-document-layout.h: a small flow layout for A4 forms, drawn with cairo
 * and pango into a PDF.
 *
 * Private to src/core/documents. The content code adds elements in reading
 * order (title, clauses, tables, signature boxes); the layout breaks them into
 * pages, repeats a table's header on every page it runs onto, numbers the
 * pages "第 N 页 共 M 页" and draws the QR code. Every text given to the
 * layout is also appended to a canonical text, whose SHA-256 is the content
 * digest a printed copy can be checked against.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PtLayout      PtLayout;
typedef struct _PtLayoutTable PtLayoutTable;

typedef enum {
  PT_SIGNER_FINGERPRINT = 1 << 0,   /* a box for the fingerprint (按手印) */
  PT_SIGNER_SEAL        = 1 << 1,   /* the center's seal area (盖章) */
  PT_SIGNER_DATE        = 1 << 2,   /* a "年 月 日" line */
} PtSignerFlags;

PtLayout      *pt_layout_new              (void);
void           pt_layout_free             (PtLayout   *layout);

/* The running head of every page and the PDF metadata. @date is
 * "YYYY-MM-DD": the PDF's creation date, so that the same case gives the same
 * bytes. */
void           pt_layout_set_running_head (PtLayout   *layout,
                                           const char *left,
                                           const char *right);
void           pt_layout_set_metadata     (PtLayout   *layout,
                                           const char *title,
                                           const char *author,
                                           const char *subject,
                                           const char *date);
void           pt_layout_set_fonts        (PtLayout   *layout,
                                           const char *body_family,
                                           const char *heading_family);

void           pt_layout_title            (PtLayout   *layout,
                                           const char *text);
/* A centered line under the title (agreement number, case number). */
void           pt_layout_subtitle         (PtLayout   *layout,
                                           const char *text);
void           pt_layout_section          (PtLayout   *layout,
                                           const char *text);
void           pt_layout_paragraph        (PtLayout   *layout,
                                           const char *text);
/* A paragraph aligned to the right (dates, the issuing center). */
void           pt_layout_paragraph_right  (PtLayout   *layout,
                                           const char *text);
/* A numbered clause with a hanging indent: "（一）" + text. */
void           pt_layout_clause           (PtLayout   *layout,
                                           const char *label,
                                           const char *text);
void           pt_layout_space            (PtLayout   *layout,
                                           double      points);

/* A bordered table. @widths are relative column widths. */
PtLayoutTable *pt_layout_table            (PtLayout   *layout,
                                           guint       n_columns,
                                           const double *widths);
void           pt_layout_table_set_header (PtLayoutTable *table,
                                           const char * const *cells);
/* Columns whose cells are labels (shaded, e.g. in "name | value" grids). */
void           pt_layout_table_set_label_columns (PtLayoutTable *table,
                                                  guint          mask);
/* Columns whose cells are centered (numbers, yes/no). */
void           pt_layout_table_set_center_columns (PtLayoutTable *table,
                                                   guint          mask);
void           pt_layout_table_add_row    (PtLayoutTable *table,
                                           const char * const *cells);
/* A row whose single cell spans the whole table width. */
void           pt_layout_table_add_wide_row (PtLayoutTable *table,
                                             const char    *text);

/* A label cell, then one value cell across the other columns. */
void           pt_layout_table_add_span_row (PtLayoutTable *table,
                                             const char    *label,
                                             const char    *value);

void           pt_layout_signer           (PtLayout     *layout,
                                           const char   *label,
                                           PtSignerFlags flags);

/* The QR code's text, drawn on the first page. */
void           pt_layout_set_qr           (PtLayout   *layout,
                                           const char *payload,
                                           const char *caption);

const char    *pt_layout_get_canonical_text (PtLayout *layout);
/* Appends to the canonical text without drawing (fields shown only in the
 * QR, for example). */
void           pt_layout_add_canonical    (PtLayout   *layout,
                                           const char *text);

/* Breaks the elements into pages and draws the PDF. @n_pages (nullable)
 * receives the page count. */
GBytes        *pt_layout_render_pdf       (PtLayout   *layout,
                                           guint      *n_pages,
                                           GError    **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtLayout, pt_layout_free)

/* Blanks cairo's page-level transparency groups in @pdf in place (same
 * length, same offsets), so that print filters keep text and fonts; the
 * number blanked. pt_layout_render_pdf () does it. */
guint      pt_layout_drop_page_groups (guint8 *pdf,
                                       gsize   length);

G_END_DECLS
