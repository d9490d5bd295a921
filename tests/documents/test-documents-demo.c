/* test-documents-demo.c: every document of the demo database, and paotuanctl doc.
 *
 * The PDFs and their pages as PNG (pdftoppm -png) land in
 * $PT_TEST_LOG_DIR/documents/ so that a person can look at them.
 */
#include <string.h>

#include <glib/gstdio.h>
#include <poppler.h>

#include "pt-document-case.h"
#include "pt-error.h"
#include "pt-store.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)

static char *tmp_dir;
static char *db_path;

static char *
squeeze (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      g_string_append_unichar (out, g_utf8_get_char (p));
  return g_string_free (out, FALSE);
}

static int
run (const char * const *argv,
     char              **out,
     char              **err)
{
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err,
                &status, &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static char *
log_dir (void)
{
  const char *base = g_getenv ("PT_TEST_LOG_DIR");
  char *dir = g_build_filename (base != NULL ? base : tmp_dir, "documents", NULL);

  g_mkdir_with_parents (dir, 0755);
  return dir;
}

static void
test_demo_documents (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtReference) reference = pt_reference_load_default (&error);
  g_autoptr(PtStore) store = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *dir = log_dir ();
  const char *pdftoppm = g_getenv ("PDFTOPPM");
  PtCaseQuery query;
  guint counts[PT_DOCUMENT_N_KINDS] = { 0 };
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GPtrArray) running = g_ptr_array_new_with_free_func (g_object_unref);

  g_assert_no_error (error);
  store = pt_store_open (db_path, reference, &error);
  g_assert_no_error (error);
  pt_case_query_init (&query);
  query.today = "2026-11-26";
  rows = pt_store_list_cases (store, &query, 0, 10000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, >, 0);

  for (guint i = 0; i < rows->len; i++)
    {
      const PtCaseRow *row = g_ptr_array_index (rows, i);
      g_autoptr(PtCaseState) state = pt_store_load_case (store, row->id, &error);
      g_autoptr(PtRunner) runner = NULL;
      const PtUnit *unit;

      g_assert_no_error (error);
      if (pt_document_case_runner (state) != NULL)
        {
          runner = pt_store_get_runner (store, pt_document_case_runner (state), &error);
          g_assert_no_error (error);
        }
      unit = pt_district_lookup (reference->district, state->unit);
      g_assert_nonnull (unit);

      for (guint k = 0; k < PT_DOCUMENT_N_KINDS; k++)
        {
          g_autofree char *name = NULL;
          g_autofree char *path = NULL;
          g_autofree char *prefix = NULL;
          g_autoptr(GBytes) pdf = NULL;
          g_autoptr(PopplerDocument) doc = NULL;
          GString *text = g_string_new (NULL);
          g_autofree char *all = NULL;
          g_autofree char *applicant = NULL;

          if (!pt_document_is_available (k, state, NULL))
            continue;
          /* The one call every client renders through. */
          pdf = pt_document_render_case (store, row->id, k, NULL, NULL, NULL, &error);
          g_assert_no_error (error);
          counts[k]++;

          doc = poppler_document_new_from_bytes (pdf, NULL, &error);
          g_assert_no_error (error);
          for (int p = 0; p < poppler_document_get_n_pages (doc); p++)
            {
              g_autoptr(PopplerPage) page = poppler_document_get_page (doc, p);
              g_autofree char *t = poppler_page_get_text (page);
              g_string_append (text, t);
            }
          {
            g_autofree char *raw = g_string_free (text, FALSE);
            all = squeeze (raw);
          }
          applicant = squeeze (state->applicant_name);
          g_assert_nonnull (strstr (all, state->number));
          g_assert_nonnull (strstr (all, applicant));
          if (runner != NULL)
            g_assert_nonnull (strstr (all, runner->name));
          /* The case's own center, never the district's for another unit. */
          {
            g_autofree char *center = squeeze (pt_unit_center_name (unit));
            g_assert_nonnull (strstr (all, center));
            if (unit->kind != PT_UNIT_DISTRICT && unit->kind != PT_UNIT_DEPARTMENT)
              g_assert_null (strstr (all, "博山区政务服务中心"));
          }

          /* Every PDF is kept; as PNG (for a person to look at) the first
           * five of each kind and every kind of every tenth case: all of
           * them take minutes of pdftoppm. pdftoppm runs beside the
           * rendering, a few at a time. */
          name = g_strdup_printf ("%s-%s.pdf", state->number, pt_document_kind_to_string (k));
          path = g_build_filename (dir, name, NULL);
          g_file_set_contents (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error);
          g_assert_no_error (error);
          if (pdftoppm != NULL && (counts[k] <= 5 || i % 10 == 0))
            {
              GSubprocess *proc;

              prefix = g_strndup (path, strlen (path) - 4);
              if (running->len >= 3)
                {
                  g_subprocess_wait_check (g_ptr_array_index (running, 0), NULL, &error);
                  g_assert_no_error (error);
                  g_ptr_array_remove_index (running, 0);
                }
              proc = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                                       pdftoppm, "-png", "-r", "60", path, prefix, NULL);
              g_assert_no_error (error);
              g_ptr_array_add (running, proc);
            }
        }
    }
  for (guint i = 0; i < running->len; i++)
    {
      g_subprocess_wait_check (g_ptr_array_index (running, i), NULL, &error);
      g_assert_no_error (error);
    }
  g_test_message ("%u agreements, %u receipts, %u termination records, %u notices in %.1f s, in %s",
                  counts[0], counts[1], counts[2], counts[3],
                  (g_get_monotonic_time () - start) / 1e6, dir);
  for (guint k = 0; k < PT_DOCUMENT_N_KINDS; k++)
    g_assert_cmpuint (counts[k], >, 0);
}

/* The numbers of a few cases of the demo in a given status. */
static char *
first_case (const char *status)
{
  const char *ctl = g_getenv ("PAOTUANCTL");
  const char *argv[] = { ctl, "case", "list", "--db", db_path, "--status", status, NULL };
  g_autofree char *out = NULL;
  char *tab;

  g_assert_cmpint (run (argv, &out, NULL), ==, 0);
  tab = strchr (out, ' ');
  g_assert_nonnull (tab);
  return g_strndup (out, tab - out);
}

static void
test_cli (void)
{
  const char *ctl = g_getenv ("PAOTUANCTL");
  g_autofree char *delivered = first_case ("delivered");
  g_autofree char *terminated = first_case ("terminated");
  g_autofree char *accepted = first_case ("accepted");
  g_autofree char *out_pdf = g_build_filename (tmp_dir, "cli.pdf", NULL);
  g_autofree char *bad_tmpl = g_build_filename (tmp_dir, "bad.tmpl", NULL);
  g_autoptr(GError) error = NULL;
  struct {
    const char *kind;
    const char *number;
    int         status;
  } runs[] = {
    { "agreement", accepted, 0 },
    { "receipt", delivered, 0 },
    { "termination", terminated, 0 },
    { "receipt", accepted, 1 },
    { "contract", accepted, 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      const char *argv[] = { ctl, "doc", runs[i].kind, runs[i].number, "-o", out_pdf,
                             "--db", db_path, NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_unlink (out_pdf);
      g_assert_cmpint (run (argv, &out, &err), ==, runs[i].status);
      g_assert_cmpint (g_file_test (out_pdf, G_FILE_TEST_EXISTS), ==, runs[i].status == 0);
      if (runs[i].status == 0)
        {
          g_autofree char *bytes = NULL;
          gsize size;
          g_autofree char *digest = NULL;
          g_autofree char *expected = NULL;

          g_assert_true (g_file_get_contents (out_pdf, &bytes, &size, NULL));
          g_assert_true (g_str_has_prefix (bytes, "%PDF-"));
          digest = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) bytes, size);
          expected = g_strdup_printf ("%s\t%s\n", out_pdf, digest);
          g_assert_cmpstr (out, ==, expected);
        }
      else
        g_assert_cmpstr (err, !=, "");
    }

  /* Without -o, and with a broken template: errors, and no file. */
  {
    const char *argv[] = { ctl, "doc", "agreement", accepted, "--db", db_path, NULL };
    g_assert_cmpint (run (argv, NULL, NULL), ==, 2);
  }
  g_file_set_contents (bad_tmpl, "document: agreement\ntitle: x\nblock: nothing\n", -1, &error);
  g_assert_no_error (error);
  {
    const char *argv[] = { ctl, "doc", "agreement", accepted, "-o", out_pdf, "--template",
                           bad_tmpl, "--db", db_path, NULL };
    g_autofree char *err = NULL;

    g_unlink (out_pdf);
    g_assert_cmpint (run (argv, NULL, &err), ==, 1);
    g_assert_nonnull (strstr (err, "bad.tmpl:3: unknown block"));
    g_assert_false (g_file_test (out_pdf, G_FILE_TEST_EXISTS));
  }
  g_unlink (bad_tmpl);
  g_unlink (out_pdf);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("pt-doc-demo-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (tmp_dir, "demo.db", NULL);
  {
    const char *init[] = { g_getenv ("PAOTUANCTL"), "init", "--demo", "--db", db_path, NULL };
    g_assert_nonnull (init[0]);
    g_assert_cmpint (run (init, NULL, NULL), ==, 0);
  }

  g_test_add_func ("/documents/demo/all-documents", test_demo_documents);
  g_test_add_func ("/documents/demo/paotuanctl-doc", test_cli);
  status = g_test_run ();

  {
    g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db_path, "-shm", NULL);
    g_unlink (wal);
    g_unlink (shm);
    g_unlink (db_path);
    g_rmdir (tmp_dir);
  }
  return status;
}
