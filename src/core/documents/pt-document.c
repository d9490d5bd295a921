/* pt-document.c: the four documents of a case, from template to PDF. */
#define G_LOG_DOMAIN "paotuan-documents"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pt-document-blocks.h"
#include "pt-document-layout.h"
#include "pt-document-template.h"
#include "pt-document.h"
#include "pt-error.h"

typedef struct {
  const char         *name;
  const char         *label;
  const char         *template;
  const char * const *blocks;
  int                 copies;
} KindInfo;

static const char * const agreement_blocks[] = {
  "numbers", "applicant", "applicant-brief", "center", "items", "materials", "fees",
  "contact", NULL
};
static const char * const receipt_blocks[] = {
  "numbers", "applicant", "applicant-brief", "center", "items", "results", "certificates",
  "delivery", "timeliness", "fees", "contact", NULL
};
static const char * const termination_blocks[] = {
  "numbers", "applicant", "applicant-brief", "center", "items", "termination",
  "returned-materials", "fees", "contact", NULL
};
static const char * const notice_blocks[] = {
  "numbers", "applicant", "applicant-brief", "center", "items", "missing-materials",
  "contact", NULL
};

static const KindInfo kinds[PT_DOCUMENT_N_KINDS] = {
  /* The agreement is signed 一式两份, one for each party; the termination
   * is confirmed by both as well. */
  { "agreement",   "委托代办协议",   "agreement.tmpl",   agreement_blocks,   2 },
  { "receipt",     "办结回执",       "receipt.tmpl",     receipt_blocks,     1 },
  { "termination", "终止委托确认书", "termination.tmpl", termination_blocks, 2 },
  { "notice",      "一次性告知书",   "notice.tmpl",      notice_blocks,      1 },
};

const char *
pt_document_kind_to_string (PtDocumentKind kind)
{
  g_return_val_if_fail (kind < PT_DOCUMENT_N_KINDS, NULL);
  return kinds[kind].name;
}

gboolean
pt_document_kind_from_string (const char     *str,
                              PtDocumentKind *kind)
{
  for (guint i = 0; i < PT_DOCUMENT_N_KINDS; i++)
    {
      if (g_strcmp0 (str, kinds[i].name) == 0)
        {
          *kind = (PtDocumentKind) i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
pt_document_kind_label (PtDocumentKind kind)
{
  g_return_val_if_fail (kind < PT_DOCUMENT_N_KINDS, NULL);
  return kinds[kind].label;
}

int
pt_document_kind_copies (PtDocumentKind kind)
{
  g_return_val_if_fail (kind < PT_DOCUMENT_N_KINDS, 1);
  return kinds[kind].copies;
}

const char *
pt_document_kind_template (PtDocumentKind kind)
{
  g_return_val_if_fail (kind < PT_DOCUMENT_N_KINDS, NULL);
  return kinds[kind].template;
}

char *
pt_document_find_template (PtReference    *reference,
                           PtDocumentKind  kind,
                           GError        **error)
{
  g_autofree char *relative = NULL;
  const char *env;
  const char *dirs[4];
  guint n = 0;

  g_return_val_if_fail (kind < PT_DOCUMENT_N_KINDS, NULL);

  relative = g_build_filename ("templates", kinds[kind].template, NULL);
  if (reference != NULL)
    {
      char *found = pt_reference_find_file (reference, relative);
      if (found != NULL)
        return found;
    }

  /* Without reference data (tests, the benchmark) the same order by hand. */
  env = g_getenv ("PAOTUAN_DATA_DIR");
  if (env != NULL && *env != '\0')
    dirs[n++] = env;
  dirs[n++] = PT_SOURCE_DATA_DIR;
  dirs[n++] = PT_INSTALLED_DATA_DIR;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_build_filename (dirs[i], relative, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  g_set_error (error, PT_ERROR, PT_ERROR_NOT_FOUND,
               _("No template “%s” in the data folders; reinstall Paotuan or set "
                 "PAOTUAN_DATA_DIR to a folder with templates/%s."),
               kinds[kind].template, kinds[kind].template);
  return NULL;
}

static gboolean
has_missing_material (const PtCaseState *state)
{
  if (state->notice_materials != NULL && state->notice_materials->len > 0)
    return TRUE;
  for (guint i = 0; state->materials != NULL && i < state->materials->len; i++)
    {
      const PtMaterial *m = g_ptr_array_index (state->materials, i);
      if (m->missing)
        return TRUE;
    }
  return FALSE;
}

gboolean
pt_document_is_available (PtDocumentKind      kind,
                          const PtCaseState  *state,
                          GError            **error)
{
  g_return_val_if_fail (state != NULL, FALSE);

  switch (kind)
    {
    case PT_DOCUMENT_AGREEMENT:
      return TRUE;
    case PT_DOCUMENT_RECEIPT:
      if (state->status == PT_STATUS_DELIVERED || state->delivered_on != NULL)
        return TRUE;
      g_set_error (error, PT_ERROR, PT_ERROR_FORBIDDEN,
                   _("Case %s is not delivered; a completion receipt is made once the case "
                     "is delivered (event “delivered”)."), state->number);
      return FALSE;
    case PT_DOCUMENT_TERMINATION:
      if (state->status == PT_STATUS_TERMINATED || state->terminated_on != NULL)
        return TRUE;
      g_set_error (error, PT_ERROR, PT_ERROR_FORBIDDEN,
                   _("Case %s is not terminated; a termination record is made once the "
                     "commission is terminated (event “terminated”)."), state->number);
      return FALSE;
    case PT_DOCUMENT_NOTICE:
      if (has_missing_material (state))
        return TRUE;
      g_set_error (error, PT_ERROR, PT_ERROR_FORBIDDEN,
                   _("Case %s has no missing materials; a one-time notice lists missing "
                     "materials (mark them in the checklist first)."), state->number);
      return FALSE;
    case PT_DOCUMENT_N_KINDS:
    default:
      g_return_val_if_reached (FALSE);
    }
}

char *
pt_document_agreement_number (const char        *prefix,
                              const PtCaseState *state)
{
  return g_strdup_printf ("%s-%s", prefix != NULL ? prefix : "WT",
                          state->number != NULL ? state->number : "");
}

static char *
sha256_hex (const void *data,
            gsize       length)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, length);
}

GBytes *
pt_document_render_full (PtDocumentKind          kind,
                         const PtDocumentInput  *in,
                         const char             *template_path,
                         char                  **digest_out,
                         char                  **content_digest_out,
                         char                  **text_out,
                         guint                  *n_pages_out,
                         GError                **error)
{
  g_autofree char *found = NULL;
  g_autoptr(PtTemplate) tmpl = NULL;
  g_autoptr(PtLayout) layout = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *content_digest = NULL;

  g_return_val_if_fail (kind < PT_DOCUMENT_N_KINDS, NULL);
  g_return_val_if_fail (in != NULL && in->state != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!pt_document_is_available (kind, in->state, error))
    return NULL;
  if (template_path == NULL)
    {
      found = pt_document_find_template (in->reference, kind, error);
      if (found == NULL)
        return NULL;
      template_path = found;
    }
  tmpl = pt_template_load (template_path, kinds[kind].name, kinds[kind].blocks,
                           pt_document_variables (), error);
  if (tmpl == NULL)
    return NULL;

  layout = pt_document_build (kind, kinds[kind].label, in, tmpl, &content_digest);
  pdf = pt_layout_render_pdf (layout, n_pages_out, error);
  if (pdf == NULL)
    return NULL;

  if (digest_out != NULL)
    {
      gsize size;
      const guint8 *data = g_bytes_get_data (pdf, &size);
      *digest_out = sha256_hex (data, size);
    }
  if (content_digest_out != NULL)
    *content_digest_out = g_steal_pointer (&content_digest);
  if (text_out != NULL)
    *text_out = g_strdup (pt_layout_get_canonical_text (layout));
  return g_steal_pointer (&pdf);
}

GBytes *
pt_document_render (PtDocumentKind          kind,
                    const PtDocumentInput  *in,
                    const char             *template_path,
                    char                  **digest_out,
                    GError                **error)
{
  return pt_document_render_full (kind, in, template_path, digest_out,
                                  NULL, NULL, NULL, error);
}

gboolean
pt_document_save (GBytes      *pdf,
                  const char  *path,
                  GError     **error)
{
  g_autoptr(GError) local = NULL;
  gsize size;
  const char *data;

  g_return_val_if_fail (pdf != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  data = g_bytes_get_data (pdf, &size);
  if (!g_file_set_contents_full (path, data, size,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("Cannot write %s: %s; choose a folder you can write to."),
                   path, local->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
pt_document_write_file (PtDocumentKind          kind,
                        const PtDocumentInput  *in,
                        const char             *template_path,
                        const char             *path,
                        char                  **digest_out,
                        GError                **error)
{
  g_autoptr(GBytes) pdf = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  pdf = pt_document_render (kind, in, template_path, digest_out, error);
  if (pdf == NULL)
    return FALSE;
  if (!pt_document_save (pdf, path, error))
    {
      if (digest_out != NULL)
        g_clear_pointer (digest_out, g_free);
      return FALSE;
    }
  return TRUE;
}
