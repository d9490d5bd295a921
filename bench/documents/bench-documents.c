/* bench-documents.c: milliseconds per commission agreement, against LibreOffice.
 *
 * Renders the agreement of a hand-built case (8 materials, 2 items, fees,
 * runner) --runs times and reports the median. Side by side, in the same
 * run, LibreOffice (Debian's libreoffice-writer-nogui, headless) converts an
 * equivalent filled ODT (same text, tables and fonts; made by make-odt.py)
 * to PDF: once per process (--lo-runs conversions, the way a desk would call
 * it per document) and in one batch of --lo-batch files (its best case).
 * Without soffice the LibreOffice half is skipped with a note.
 */
#include <stdio.h>
#include <stdlib.h>

#include <glib/gstdio.h>

#include "pt-doc-fixture.h"
#include "pt-document.h"

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_double);
  return g_array_index (values, double, values->len / 2);
}

static double
percentile (GArray *values,
            double  p)
{
  g_array_sort (values, compare_double);
  return g_array_index (values, double, MIN (values->len - 1, (guint) (values->len * p)));
}

/* The machine's load average, printed beside the numbers: on a busy
 * machine the medians grow with it. */
static void
print_load (const char *when)
{
  g_autofree char *loadavg = NULL;

  if (g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL))
    printf ("Load average %s: %s", when, loadavg);
}

static gboolean
spawn (const char * const *argv,
       GError            **error)
{
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, error))
    return FALSE;
  return g_spawn_check_wait_status (status, error);
}

int
main (int    argc,
      char **argv)
{
  int runs = 200, lo_runs = 20, lo_batch = 200;
  g_autofree char *odt_script = NULL;
  GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Agreements to render (default 200)", "N" },
    { "lo-runs", 0, 0, G_OPTION_ARG_INT, &lo_runs, "LibreOffice conversions, one process each (default 20)", "N" },
    { "lo-batch", 0, 0, G_OPTION_ARG_INT, &lo_batch, "ODT files in one LibreOffice call (default 200)", "N" },
    { "odt-script", 0, 0, G_OPTION_ARG_FILENAME, &odt_script, "make-odt.py", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- agreement PDF benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(PtReference) reference = NULL;
  g_autoptr(PtCaseState) state = pt_doc_fixture_enterprise (8);
  g_autoptr(PtRunner) runner = pt_doc_fixture_runner ();
  g_autoptr(GArray) ours = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cold = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *tmp = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_path = NULL;
  g_autofree char *odt_dir = NULL;
  g_autofree char *pdf_dir = NULL;
  g_autofree char *profile = NULL;
  g_autofree char *soffice = g_find_program_in_path ("soffice");
  PtDocumentInput in = { 0 };
  gsize pdf_size = 0;
  guint pages = 0;
  double our_median, batch_ms = -1, cold_median = -1;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (odt_script == NULL)
    odt_script = g_build_filename (PT_SOURCE_DATA_DIR, "..", "bench", "documents", "make-odt.py", NULL);

  reference = pt_reference_load_default (&error);
  if (reference == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  in.state = state;
  in.reference = reference;
  in.runner = runner;

  print_load ("before");
  /* One render to load the fonts (and, the first time, to make their light
   * copies: pt-document-fonts.h); then the timed ones. */
  {
    g_autoptr(GBytes) pdf = pt_document_render_full (PT_DOCUMENT_AGREEMENT, &in, NULL, NULL, NULL,
                                                     &text, &pages, &error);
    if (pdf == NULL)
      {
        g_printerr ("%s\n", error->message);
        return 1;
      }
    pdf_size = g_bytes_get_size (pdf);
  }
  for (int i = 0; i < runs; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GBytes) pdf = pt_document_render (PT_DOCUMENT_AGREEMENT, &in, NULL, NULL, &error);
      double ms = (g_get_monotonic_time () - start) / 1000.0;

      g_assert (pdf != NULL);
      g_array_append_val (ours, ms);
    }
  our_median = median (ours);
  printf ("Paotuan (cairo + pango): agreement of %u pages, %zu bytes\n", pages, pdf_size);
  printf ("  median %.1f ms, p90 %.1f ms, min %.1f ms over %d renders\n",
          our_median, percentile (ours, 0.9), g_array_index (ours, double, 0), runs);

  if (soffice == NULL)
    {
      printf ("LibreOffice: skipped, soffice not found "
              "(apt-get install --no-install-recommends libreoffice-writer-nogui)\n");
      print_load ("after");
      return 0;
    }

  tmp = g_dir_make_tmp ("pt-bench-doc-XXXXXX", &error);
  g_assert_no_error (error);
  text_path = g_build_filename (tmp, "agreement.txt", NULL);
  odt_dir = g_build_filename (tmp, "odt", NULL);
  pdf_dir = g_build_filename (tmp, "pdf", NULL);
  profile = g_strdup_printf ("-env:UserInstallation=file://%s/lo-profile", tmp);
  g_file_set_contents (text_path, text, -1, &error);
  g_assert_no_error (error);
  {
    g_autofree char *n = g_strdup_printf ("%d", MAX (lo_batch, 1));
    const char *make[] = { "/usr/bin/python3", odt_script, text_path, odt_dir, n, NULL };
    if (!spawn (make, &error))
      {
        g_printerr ("make-odt.py: %s\n", error->message);
        return 1;
      }
  }

  /* A first conversion makes LibreOffice's profile; not timed. */
  for (int i = -1; i < lo_runs; i++)
    {
      g_autofree char *odt = g_build_filename (odt_dir, "agreement-000.odt", NULL);
      const char *convert[] = { soffice, profile, "--headless", "--norestore", "--convert-to", "pdf",
                                "--outdir", pdf_dir, odt, NULL };
      gint64 start = g_get_monotonic_time ();
      double ms;

      if (!spawn (convert, &error))
        {
          g_printerr ("soffice: %s\n", error->message);
          return 1;
        }
      ms = (g_get_monotonic_time () - start) / 1000.0;
      if (i >= 0)
        g_array_append_val (cold, ms);
    }
  if (lo_runs > 0)
    cold_median = median (cold);

  if (lo_batch > 0)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) convert = NULL;
      gint64 start;

      g_strv_builder_add_many (builder, soffice, profile, "--headless", "--norestore",
                               "--convert-to", "pdf", "--outdir", pdf_dir, NULL);
      for (int i = 0; i < lo_batch; i++)
        {
          g_autofree char *name = g_strdup_printf ("agreement-%03d.odt", i);
          g_autofree char *odt = g_build_filename (odt_dir, name, NULL);
          g_strv_builder_add (builder, odt);
        }
      convert = g_strv_builder_end (builder);
      start = g_get_monotonic_time ();
      if (!spawn ((const char * const *) convert, &error))
        {
          g_printerr ("soffice: %s\n", error->message);
          return 1;
        }
      batch_ms = (g_get_monotonic_time () - start) / 1000.0 / lo_batch;
    }

  printf ("LibreOffice (soffice --headless --convert-to pdf, equivalent ODT):\n");
  if (cold_median >= 0)
    printf ("  one process per document: median %.1f ms over %d conversions -> Paotuan %.0fx faster\n",
            cold_median, lo_runs, cold_median / our_median);
  if (batch_ms >= 0)
    printf ("  %d documents in one process: %.1f ms each -> Paotuan %.0fx faster\n",
            lo_batch, batch_ms, batch_ms / our_median);
  print_load ("after");
  {
    g_autofree char *rm_dir = g_shell_quote (tmp);
    g_autofree char *command = g_strdup_printf ("rm -rf %s", rm_dir);
    (void) system (command);
  }
  return 0;
}
