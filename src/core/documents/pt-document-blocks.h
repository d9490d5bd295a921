/* pt-document-blocks.h: the case data a template's "block:" lines draw.
 *
 * Private to src/core/documents.
 */
#pragma once

#include "pt-document-layout.h"
#include "pt-document-template.h"
#include "pt-document.h"

G_BEGIN_DECLS

/* The ${placeholders} a template may use, NULL-terminated. */
const char * const *pt_document_variables (void);

/* Lays out the whole document of @kind from @tmpl and @in; sets
 * @content_digest to the SHA-256 of its canonical text (also in the QR). */
PtLayout *pt_document_build (PtDocumentKind          kind,
                             const char             *label,
                             const PtDocumentInput  *in,
                             const PtTemplate       *tmpl,
                             char                  **content_digest);

G_END_DECLS
