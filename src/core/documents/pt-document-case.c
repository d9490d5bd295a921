/* pt-document-case.c: a case's document as every client prints it. */
#define G_LOG_DOMAIN "paotuan-documents"

#include "pt-document-case.h"
#include "pt-error.h"
#include "pt-fold.h"

static char *
meta_or_null (PtStore    *store,
              const char *key)
{
  g_autofree char *value = pt_store_get_meta (store, key);

  if (value != NULL)
    g_strstrip (value);
  if (value == NULL || *value == '\0')
    return NULL;
  return g_steal_pointer (&value);
}

PtDeskCenter *
pt_desk_center_load (PtStore *store)
{
  PtDeskCenter *desk;

  g_return_val_if_fail (store != NULL, NULL);

  desk = g_new0 (PtDeskCenter, 1);
  desk->unit = meta_or_null (store, "unit");
  desk->center_name = meta_or_null (store, PT_META_CENTER_NAME);
  desk->center_address = meta_or_null (store, PT_META_CENTER_ADDRESS);
  desk->center_hotline = meta_or_null (store, PT_META_CENTER_HOTLINE);
  return desk;
}

void
pt_desk_center_free (PtDeskCenter *desk)
{
  if (desk == NULL)
    return;
  g_free (desk->unit);
  g_free (desk->center_name);
  g_free (desk->center_address);
  g_free (desk->center_hotline);
  g_free (desk);
}

const char *
pt_document_case_runner (const PtCaseState *state)
{
  g_return_val_if_fail (state != NULL, NULL);

  /* The seed's flowchart signs the agreement and names the runner in one
   * step ("签订委托协议，并明确跑手负责项目审批代办"), while the log records
   * runner_assigned after agreement_signed: until then the runner at the
   * window who took the intake is the one who handles the commission. */
  if (state->runner != NULL)
    return state->runner;
  return state->intake_author;
}

GBytes *
pt_document_render_case_state (PtDocumentKind      kind,
                               const PtCaseState  *state,
                               PtReference        *reference,
                               const PtRunner     *runner,
                               const PtDeskCenter *desk,
                               const char         *template_path,
                               char              **digest_out,
                               GError            **error)
{
  PtDocumentInput in = { 0 };

  g_return_val_if_fail (state != NULL, NULL);

  in.state = state;
  in.reference = reference;
  in.runner = runner;
  /* A desk's overrides name its own center: a case of another unit (one
   * pulled from a village, one transferred away) keeps its unit's center. */
  if (desk != NULL && (desk->unit == NULL || g_strcmp0 (desk->unit, state->unit) == 0))
    {
      in.center_name = desk->center_name;
      in.center_address = desk->center_address;
      in.center_hotline = desk->center_hotline;
    }
  return pt_document_render (kind, &in, template_path, digest_out, error);
}

/* The case folded over its events before its (first) agreement_signed. */
static PtCaseState *
state_before_signature (PtStore     *store,
                        const char  *case_id,
                        GError     **error)
{
  g_autoptr(GPtrArray) events = pt_store_load_events (store, case_id, error);
  g_autoptr(GPtrArray) before = NULL;

  if (events == NULL)
    return NULL;
  before = g_ptr_array_new ();
  for (guint i = 0; i < events->len; i++)
    {
      PtEvent *event = g_ptr_array_index (events, i);

      if (event->type == PT_EVENT_AGREEMENT_SIGNED)
        break;
      g_ptr_array_add (before, event);
    }
  return pt_fold (before, pt_store_get_reference (store)->calendar);
}

GBytes *
pt_document_render_case (PtStore         *store,
                         const char      *case_id,
                         PtDocumentKind   kind,
                         const char      *template_path,
                         char           **digest_out,
                         PtCaseState    **state_out,
                         GError         **error)
{
  g_autofree char *id = NULL;
  g_autoptr(PtCaseState) state = NULL;
  g_autoptr(PtCaseState) printed = NULL;   /* the state the paper shows, when not @state */
  g_autoptr(PtRunner) runner = NULL;
  g_autoptr(PtDeskCenter) desk = NULL;
  const char *runner_id;
  GBytes *pdf;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (case_id != NULL, NULL);
  g_return_val_if_fail (kind < PT_DOCUMENT_N_KINDS, NULL);

  id = pt_store_resolve_case (store, case_id, error);
  if (id == NULL)
    return NULL;
  state = pt_store_load_case (store, id, error);
  if (state == NULL)
    return NULL;
  /* A signed agreement is reprinted as it was signed: rendered from the case
   * as it stood before the signature (the runner assigned since, a later
   * transfer, do not change the paper, nor its digest). */
  if (kind == PT_DOCUMENT_AGREEMENT && state->agreement_digest != NULL)
    {
      g_autoptr(PtCaseState) signed_state = state_before_signature (store, id, error);

      if (signed_state == NULL)
        return NULL;
      g_clear_pointer (&printed, pt_case_state_free);
      printed = g_steal_pointer (&signed_state);
    }

  /* A runner the roster does not know (yet: the desk has not pulled the
   * district's reference data) leaves the runner's lines blank, as a case
   * without a runner does; the paper is still needed at the window. */
  runner_id = pt_document_case_runner (printed ? printed : state);
  if (runner_id != NULL)
    runner = pt_store_get_runner (store, runner_id, NULL);
  desk = pt_desk_center_load (store);

  pdf = pt_document_render_case_state (kind, printed ? printed : state, pt_store_get_reference (store),
                                       runner, desk, template_path, digest_out, error);
  if (pdf != NULL && state_out != NULL)
    *state_out = g_steal_pointer (&state);
  return pdf;
}
