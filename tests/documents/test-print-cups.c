/* test-print-cups.c: a case's agreement through the desk's print path
 * (pt-printer.c, the code the application calls) to a real CUPS with a
 * cups-pdf queue (tests/documents/cups-session.sh starts it): what comes out
 * of the queue is A4, has the document's pages, keeps its text and fonts. */
#include <cups/cups.h>
#include <glib/gstdio.h>
#include <poppler.h>

/* poppler-glib 22.12 declares no autoptr cleanups of its own. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)

#include "pt-doc-fixture.h"
#include "pt-document.h"
#include "pt-error.h"
#include "pt-printer.h"
#include "pt-reference.h"

static PtReference *reference;

/* The queue's output of job @job_id: cups-pdf names it "TITLE-job_ID.pdf". */
static char *
find_output (const char *dir,
             int         job_id)
{
  g_autofree char *suffix = g_strdup_printf ("-job_%d.pdf", job_id);
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  /* cups-pdf writes the file before the job is marked completed, but the
   * file may still be renamed into place: wait for it, not for a time. */
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
      const char *name;

      while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
        if (g_str_has_suffix (name, suffix))
          return g_build_filename (dir, name, NULL);
      g_usleep (100 * G_TIME_SPAN_MILLISECOND);
    }
  g_error ("No output of job %d in %s", job_id, dir);
  return NULL;
}

static char *
run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static void
test_agreement (void)
{
  const char *queue = g_getenv ("PT_CUPS_QUEUE");
  g_autoptr(PtCaseState) state = pt_doc_fixture_enterprise (6);
  g_autoptr(PtRunner) runner = pt_doc_fixture_runner ();
  PtDocumentInput in = { state, reference, runner, NULL, NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GPtrArray) printers = NULL;
  g_autoptr(PopplerDocument) sent = NULL;
  g_autoptr(PopplerDocument) printed = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *output = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *fonts = NULL;
  PtJobOutcome outcome;
  gboolean listed = FALSE;
  int job_id;

  pdf = pt_document_render (PT_DOCUMENT_AGREEMENT, &in, NULL, &digest, &error);
  g_assert_no_error (error);

  /* The queue is listed, and is the default when it is the only one. */
  printers = pt_printer_list (5000, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < printers->len; i++)
    listed |= g_strcmp0 (((PtPrinter *) g_ptr_array_index (printers, i))->name, queue) == 0;
  g_assert_true (listed);

  job_id = pt_printer_submit (queue, pdf, "agreement", 2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (job_id, >, 0);
  g_assert_true (pt_printer_wait_job (queue, job_id, 60000, &outcome, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, PT_JOB_COMPLETED);

  output = find_output (g_getenv ("PT_CUPS_OUT"), job_id);
  uri = g_filename_to_uri (output, NULL, NULL);
  printed = poppler_document_new_from_file (uri, NULL, &error);
  g_assert_no_error (error);
  sent = poppler_document_new_from_bytes (pdf, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (poppler_document_get_n_pages (printed), ==, poppler_document_get_n_pages (sent));
  for (int p = 0; p < poppler_document_get_n_pages (printed); p++)
    {
      g_autoptr(PopplerPage) page = poppler_document_get_page (printed, p);
      g_autofree char *text = poppler_page_get_text (page);
      double width, height;

      poppler_page_get_size (page, &width, &height);
      g_assert_cmpfloat (ABS (width - 595), <, 2);    /* A4, 1:1 */
      g_assert_cmpfloat (ABS (height - 842), <, 2);
      /* The text survived the filters: every page has the case number. */
      if (strstr (text, state->number) == NULL)
        g_error ("page %d of the printed agreement lacks %s: %s", p + 1, state->number, text);
    }
  /* Fonts, not pictures of pages: embedded fonts, and no page-sized image. */
  fonts = run ((const char * const []) { "pdffonts", output, NULL });
  {
    g_auto(GStrv) lines = g_strsplit (fonts, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), >, 3);
  }
  g_assert_null (strstr (fonts, " no  "));   /* the "emb" column */
  g_unlink (output);
}

static void
test_no_cups (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) printers = NULL;
  g_autofree char *saved = g_strdup (g_getenv ("CUPS_SERVER"));
  gint64 start = g_get_monotonic_time ();

  /* A scheduler that is not there: a clear error, soon. (libcups reads
   * $CUPS_SERVER once, so the test sets the server its own way.) */
  cupsSetServer ("/nonexistent/cups.sock");
  printers = pt_printer_list (2000, &error);
  g_assert_null (printers);
  g_assert_error (error, PT_ERROR, PT_ERROR_NETWORK);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 30 * G_USEC_PER_SEC);
  cupsSetServer (saved);
}

static void
test_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.5\n", 9);

  g_assert_cmpint (pt_printer_submit ("NoSuchQueue", pdf, "x", 1, &error), ==, 0);
  g_assert_error (error, PT_ERROR, PT_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "NoSuchQueue"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("PT_CUPS_QUEUE") == NULL)
    {
      g_print ("1..0 # SKIP run under tests/documents/cups-session.sh\n");
      return 0;
    }
  reference = pt_reference_load_default (&error);
  g_assert_no_error (error);

  g_test_add_func ("/print/cups-pdf-agreement", test_agreement);
  g_test_add_func ("/print/no-cups", test_no_cups);
  g_test_add_func ("/print/refused", test_refused);
  return g_test_run ();
}
