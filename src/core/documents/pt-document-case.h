/* pt-document-case.h: one call renders a case's document, for every client.
 *
 * The application and `paotuanctl doc` print a case's papers through
 * pt_document_render_case (): the same case and kind give the same bytes
 * whoever asks. What goes on the paper besides the case:
 *
 * - the center: the case's unit's service center in the district data
 *   (name, address, hotline, opening hours), with this desk's overrides on
 *   top for the cases of its own unit: store meta "center.name",
 *   "center.address", "center.hotline" (absent or empty: the district data;
 *   they never sync);
 * - the runner, from the roster (the store's runners table): the case's
 *   runner once one is assigned, before that the runner who took the
 *   intake, who signs the agreement and the one-time notice at the window
 *   (docs/documents.md says why);
 * - a signed agreement is rendered from the case as it stood before its
 *   agreement_signed, so that a reprint is the paper signed, byte for byte
 *   (its digest the one recorded), whatever happened to the case since.
 */
#pragma once

#include "pt-document.h"
#include "pt-store.h"

G_BEGIN_DECLS

/* The store meta keys of a desk's own center, for the preferences. */
#define PT_META_CENTER_NAME    "center.name"
#define PT_META_CENTER_ADDRESS "center.address"
#define PT_META_CENTER_HOTLINE "center.hotline"

/* A desk's overrides of its center on paper. */
typedef struct {
  char *unit;             /* the desk's unit (meta "unit"); NULL: it applies to every case */
  char *center_name;      /* NULL: the district data */
  char *center_address;
  char *center_hotline;
} PtDeskCenter;

/* Reads the desk's unit and overrides from @store's meta; empty values are
 * no override. */
PtDeskCenter *pt_desk_center_load          (PtStore            *store);
void          pt_desk_center_free          (PtDeskCenter       *desk);

/* The id of the runner @state's papers name: the assigned runner, else the
 * runner who recorded the intake; NULL when neither is known. */
const char   *pt_document_case_runner      (const PtCaseState  *state);

/* Renders @kind of @state without a database: @runner is the roster's entry
 * for pt_document_case_runner () (nullable), @desk the desk's overrides
 * (nullable). @template_path NULL: the template found in the data
 * directories. Returns the PDF and, in @digest_out, the SHA-256 of its
 * bytes. */
GBytes       *pt_document_render_case_state (PtDocumentKind      kind,
                                            const PtCaseState  *state,
                                            PtReference        *reference,
                                            const PtRunner     *runner,
                                            const PtDeskCenter *desk,
                                            const char         *template_path,
                                            char              **digest_out,
                                            GError            **error);

/* Renders @kind of the case @case_id (an id or a number) from @store: its
 * state, the store's reference data, the runner from the roster and the
 * desk's overrides. Blocking (SQLite, cairo): run it on the store's thread.
 * @state_out (nullable) receives the case's state (for the file name, the
 * title). NULL with @error when the case is unknown, the document not
 * available yet (PT_ERROR_FORBIDDEN) or the template broken. */
GBytes       *pt_document_render_case      (PtStore            *store,
                                            const char         *case_id,
                                            PtDocumentKind      kind,
                                            const char         *template_path,
                                            char              **digest_out,
                                            PtCaseState       **state_out,
                                            GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtDeskCenter, pt_desk_center_free)

G_END_DECLS
