/* ptctl-doc.c: paotuanctl doc — the printed documents of a case as PDF. */
#define G_LOG_DOMAIN "paotuanctl"

#include <glib/gi18n-lib.h>

#include "pt-document-case.h"
#include "pt-error.h"
#include "ptctl.h"

int
ptctl_doc (PtctlContext *ctx,
           int           argc,
           char        **argv)
{
  g_autofree char *output = NULL;
  g_autofree char *template_path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *digest = NULL;
  PtDocumentKind kind;
  PtStore *store;
  int status;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Where to write the PDF"), N_("FILE.pdf") },
    { "template", 0, 0, G_OPTION_ARG_FILENAME, &template_path,
      N_("A template instead of data/templates/KIND.tmpl"), N_("FILE") },
    { NULL }
  };

  if (!ptctl_parse (ctx, "agreement|receipt|termination|notice NUMBER -o FILE.pdf",
                    _("Writes a case's commission agreement (agreement), completion receipt\n"
                      "(receipt), termination record (termination) or one-time notice of\n"
                      "missing materials (notice) as an A4 PDF, and prints its SHA-256.\n"
                      "The papers name the case's service center (this desk's center.name,\n"
                      "center.address and center.hotline for its own cases) and its runner."),
                    entries, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return ptctl_usage_error (_("doc needs a document kind and a case number: "
                                "doc agreement|receipt|termination|notice NUMBER -o FILE.pdf"));
  if (!pt_document_kind_from_string (argv[1], &kind))
    {
      g_autofree char *message =
        g_strdup_printf (_("unknown document “%s”; use agreement, receipt, termination or notice"),
                         argv[1]);
      return ptctl_usage_error (message);
    }
  if (output == NULL)
    return ptctl_usage_error (_("doc needs -o FILE.pdf, the file to write"));

  store = ptctl_store (ctx, FALSE, &error);
  if (store == NULL)
    return ptctl_fail (error);

  /* The application renders through the same call: the same bytes. */
  pdf = pt_document_render_case (store, argv[2], kind, template_path, &digest, NULL, &error);
  if (pdf == NULL || !pt_document_save (pdf, output, &error))
    return ptctl_fail (error);
  g_print ("%s\t%s\n", output, digest);
  return PTCTL_EXIT_OK;
}
