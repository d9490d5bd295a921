/* pt-document.h: the papers a runner prints for the applicant to sign.
 *
 * Four A4 PDFs drawn with cairo and pango from a case's folded state, the
 * reference data and a template a center can edit (data/templates/NAME.tmpl,
 * docs/documents.md): the commission agreement (委托代办协议), the completion
 * receipt (办结回执), the termination record (终止委托确认书) and the one-time
 * notice of missing materials (一次性告知书).
 *
 * Rendering is deterministic: the same input and template give the same
 * bytes (the PDF dates come from the case, never from the clock). Each page
 * carries "第 N 页 共 M 页"; the first carries a QR code with the case number
 * and the SHA-256 of the document's canonical text, so that a printed copy can
 * be checked against the record.
 */
#pragma once

#include <gio/gio.h>

#include "pt-case-state.h"
#include "pt-district.h"
#include "pt-reference.h"
#include "pt-types.h"

G_BEGIN_DECLS

typedef enum {
  PT_DOCUMENT_AGREEMENT,    /* 委托代办协议 */
  PT_DOCUMENT_RECEIPT,      /* 办结回执 */
  PT_DOCUMENT_TERMINATION,  /* 终止委托确认书 */
  PT_DOCUMENT_NOTICE,       /* 一次性告知书 */
  PT_DOCUMENT_N_KINDS
} PtDocumentKind;

/* What a document is made of. A plain struct, nothing owned: tests fill one
 * without a database. The center that issues the papers is the case's
 * unit's service center in @reference's district data (its name, address,
 * hotline and opening hours); the center_ members, when set, override it;
 * the template's center-name, center-address and center-hotline serve only
 * when the district does not know the unit. Clients render a case through
 * pt_document_render_case () (pt-document-case.h), which fills this from
 * the store. */
typedef struct {
  const PtCaseState *state;           /* required */
  PtReference       *reference;       /* nullable: items are then shown by code */
  const PtRunner    *runner;          /* nullable: the runner's lines stay blank */
  const char        *center_name;     /* nullable: the unit's center */
  const char        *center_address;  /* nullable */
  const char        *center_hotline;  /* nullable */
} PtDocumentInput;

const char *pt_document_kind_to_string   (PtDocumentKind  kind);
gboolean    pt_document_kind_from_string (const char     *str,
                                          PtDocumentKind *kind);
/* The Chinese title, "委托代办协议". */
const char *pt_document_kind_label       (PtDocumentKind  kind);
/* How many copies a clerk prints of it: 2 for the agreement (一式两份). */
int         pt_document_kind_copies      (PtDocumentKind  kind);
/* "agreement.tmpl": the template's file name under data/templates/. */
const char *pt_document_kind_template    (PtDocumentKind  kind);

/* The template file of @kind in the data directories (the user's copy
 * first, see pt_reference_find_file()); @reference may be NULL, then
 * $PAOTUAN_DATA_DIR, the source tree and the installed data are searched.
 * NULL with @error set when there is none. */
char       *pt_document_find_template    (PtReference    *reference,
                                          PtDocumentKind  kind,
                                          GError        **error);

/* Whether @state has what @kind needs: a receipt needs a delivered case, a
 * termination record a terminated one, a notice missing materials. FALSE
 * with PT_ERROR_FORBIDDEN saying why. */
gboolean    pt_document_is_available     (PtDocumentKind      kind,
                                          const PtCaseState  *state,
                                          GError            **error);

/* The agreement number printed on the agreement: template prefix and the
 * case number ("WT-370304-YC-20261126-0007"). */
char       *pt_document_agreement_number (const char *prefix,
                                          const PtCaseState *state);

/* Renders @kind for @in with the template at @template_path (NULL: the
 * default one, see pt_document_find_template()). Returns the PDF, and in
 * @digest_out (nullable) the SHA-256 hex of its bytes: the digest that the
 * agreement_signed event records. */
GBytes     *pt_document_render           (PtDocumentKind          kind,
                                          const PtDocumentInput  *in,
                                          const char             *template_path,
                                          char                  **digest_out,
                                          GError                **error);

/* As pt_document_render(), and also returns the canonical text of the
 * document's fields (@text_out), its SHA-256 (@content_digest_out, the one in
 * the QR code) and the page count. Every out argument is nullable. */
GBytes     *pt_document_render_full      (PtDocumentKind          kind,
                                          const PtDocumentInput  *in,
                                          const char             *template_path,
                                          char                  **digest_out,
                                          char                  **content_digest_out,
                                          char                  **text_out,
                                          guint                  *n_pages_out,
                                          GError                **error);

/* Writes @pdf to @path atomically (g_file_set_contents_full): a reader
 * sees the old file or the whole new one. */
gboolean    pt_document_save             (GBytes                 *pdf,
                                          const char             *path,
                                          GError                **error);

/* Renders and then writes @path atomically (g_file_set_contents_full); when
 * rendering fails nothing is written. */
gboolean    pt_document_write_file       (PtDocumentKind          kind,
                                          const PtDocumentInput  *in,
                                          const char             *template_path,
                                          const char             *path,
                                          char                  **digest_out,
                                          GError                **error);

G_END_DECLS
