/* ptctl-doc.c: paotuanctl doc — the printed documents of a case as PDF. */
#define G_LOG_DOMAIN "paotuanctl"

#include "pt-document.h"
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
  g_autoptr(PtCaseState) state = NULL;
  g_autoptr(PtRunner) runner = NULL;
  g_autofree char *case_id = NULL;
  g_autofree char *digest = NULL;
  PtDocumentInput in = { 0 };
  PtDocumentKind kind;
  PtReference *reference;
  PtStore *store;
  const PtUnit *unit = NULL;
  int status;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Where to write the PDF", "FILE.pdf" },
    { "template", 0, 0, G_OPTION_ARG_FILENAME, &template_path,
      "A template instead of data/templates/KIND.tmpl", "FILE" },
    { NULL }
  };

  if (!ptctl_parse (ctx, "agreement|receipt|termination|notice NUMBER -o FILE.pdf",
                    "Writes a case's commission agreement (agreement), completion receipt\n"
                    "(receipt), termination record (termination) or one-time notice of\n"
                    "missing materials (notice) as an A4 PDF, and prints its SHA-256.",
                    entries, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return ptctl_usage_error ("doc needs a document kind and a case number: "
                              "doc agreement|receipt|termination|notice NUMBER -o FILE.pdf");
  if (!pt_document_kind_from_string (argv[1], &kind))
    {
      g_autofree char *message =
        g_strdup_printf ("unknown document “%s”; use agreement, receipt, termination or notice",
                         argv[1]);
      return ptctl_usage_error (message);
    }
  if (output == NULL)
    return ptctl_usage_error ("doc needs -o FILE.pdf, the file to write");

  store = ptctl_store (ctx, FALSE, &error);
  if (store == NULL)
    return ptctl_fail (error);
  reference = ptctl_reference (ctx, &error);
  if (reference == NULL)
    return ptctl_fail (error);
  case_id = pt_store_resolve_case (store, argv[2], &error);
  if (case_id == NULL)
    return ptctl_fail (error);
  state = pt_store_load_case (store, case_id, &error);
  if (state == NULL)
    return ptctl_fail (error);

  /* A case without a runner yet still gets its agreement; the runner's
   * lines stay blank for the window to fill in by hand. */
  if (state->runner != NULL)
    {
      g_autoptr(GError) runner_error = NULL;

      runner = pt_store_get_runner (store, state->runner, &runner_error);
      if (runner == NULL)
        g_warning ("Runner %s of case %s: %s", state->runner, state->number,
                   runner_error->message);
    }
  /* The taking unit's name, address and hotline head the documents. */
  if (state->unit != NULL && reference->district != NULL)
    unit = pt_district_lookup (reference->district, state->unit);

  in.state = state;
  in.reference = reference;
  in.runner = runner;
  if (unit != NULL)
    {
      in.center_name = unit->name;
      in.center_address = unit->address;
      in.center_hotline = unit->hotline;
    }

  if (!pt_document_write_file (kind, &in, template_path, output, &digest, &error))
    return ptctl_fail (error);
  g_print ("%s\t%s\n", output, digest);
  return PTCTL_EXIT_OK;
}
