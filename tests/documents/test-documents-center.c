/* test-documents-center.c: the papers name the desk's center and the case's
 * runner, and one call renders them for every client.
 *
 * A village desk's agreement, notice and receipt name the village's service
 * station (its name, address and hotline from the district data), a
 * district case the district center, and a desk's override (store meta
 * center.*) wins for its own cases only. pt_document_render_case () gives
 * the same bytes twice and the same bytes as `paotuanctl doc`. The PDFs are
 * read back with poppler; they and their pages as PNG land in
 * $PT_TEST_LOG_DIR/documents/center/.
 */
#include <string.h>

#include <glib/gstdio.h>
#include <poppler.h>

#include "pt-doc-fixture.h"
#include "pt-document-case.h"
#include "pt-error.h"
#include "pt-json.h"
#include "pt-store.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)

static PtReference *reference;
static char *tmp_dir;

static char *
squeeze (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      g_string_append_unichar (out, g_utf8_get_char (p));
  return g_string_free (out, FALSE);
}

static char *
pdf_text (GBytes *pdf)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PopplerDocument) doc = poppler_document_new_from_bytes (pdf, NULL, &error);
  g_autoptr(GString) all = g_string_new (NULL);

  g_assert_no_error (error);
  for (int i = 0; i < poppler_document_get_n_pages (doc); i++)
    {
      g_autoptr(PopplerPage) page = poppler_document_get_page (doc, i);
      g_autofree char *text = poppler_page_get_text (page);

      g_string_append (all, text);
    }
  return squeeze (all->str);
}

static void
assert_has (const char *text,
            const char *field)
{
  g_autofree char *needle = squeeze (field);

  if (strstr (text, needle) == NULL)
    g_error ("the document does not show “%s”", field);
}

static void
assert_lacks (const char *text,
              const char *field)
{
  g_autofree char *needle = squeeze (field);

  if (strstr (text, needle) != NULL)
    g_error ("the document shows “%s”", field);
}

/* Keeps the PDF and its first page as PNG for a person to look at. */
static void
keep (GBytes     *pdf,
      const char *name)
{
  const char *base = g_getenv ("PT_TEST_LOG_DIR");
  const char *pdftoppm = g_getenv ("PDFTOPPM");
  g_autofree char *dir = g_build_filename (base != NULL ? base : tmp_dir, "documents", "center", NULL);
  g_autofree char *file = g_strconcat (name, ".pdf", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *prefix = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (dir, 0755);
  g_file_set_contents (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error);
  g_assert_no_error (error);
  if (pdftoppm != NULL)
    {
      const char *argv[] = { pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "1", path, prefix, NULL };
      int status = 0;

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error);
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
    }
}

static char *
render_text (PtDocumentKind      kind,
             const PtCaseState  *state,
             const PtDeskCenter *desk,
             const char         *name)
{
  g_autoptr(PtRunner) runner = pt_doc_fixture_runner ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = pt_document_render_case_state (kind, state, reference, runner, desk,
                                                         NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (pdf);
  if (name != NULL)
    keep (pdf, name);
  return pdf_text (pdf);
}

static const PtDocumentKind papers[] = {
  PT_DOCUMENT_AGREEMENT, PT_DOCUMENT_NOTICE, PT_DOCUMENT_RECEIPT,
};

/* A delivered case with missing materials (so that all three papers are
 * available), taken at @unit. */
static PtCaseState *
case_at (const char *unit)
{
  PtCaseState *state = pt_doc_fixture_enterprise (8);

  g_free (state->unit);
  state->unit = g_strdup (unit);
  return state;
}

static void
test_village_center (void)
{
  g_autoptr(PtCaseState) state = case_at ("370304-YC-001");
  const PtUnit *village = pt_district_lookup (reference->district, "370304-YC-001");

  g_assert_cmpstr (village->center_name, ==, "域城村便民服务站");
  for (guint i = 0; i < G_N_ELEMENTS (papers); i++)
    {
      g_autofree char *name = g_strdup_printf ("village-%s", pt_document_kind_to_string (papers[i]));
      g_autofree char *text = render_text (papers[i], state, NULL, name);

      assert_has (text, "域城村便民服务站");
      assert_has (text, village->address);
      assert_has (text, village->hotline);
      assert_lacks (text, "博山区政务服务中心");
      assert_lacks (text, "0533-4151890");
      assert_lacks (text, "中心路1号");
      if (papers[i] == PT_DOCUMENT_NOTICE)
        {
          g_autofree char *bring = g_strdup_printf ("送至域城村便民服务站（%s）", village->address);

          assert_has (text, bring);
          assert_has (text, village->hours);
        }
    }
}

static void
test_district_center (void)
{
  g_autoptr(PtCaseState) state = case_at ("370304");
  g_autoptr(PtCaseState) town = case_at ("370304-YC");

  for (guint i = 0; i < G_N_ELEMENTS (papers); i++)
    {
      g_autofree char *name = g_strdup_printf ("district-%s", pt_document_kind_to_string (papers[i]));
      g_autofree char *text = render_text (papers[i], state, NULL, name);
      g_autofree char *town_text = render_text (papers[i], town, NULL, NULL);

      assert_has (text, "博山区政务服务中心");
      assert_has (text, "0533-4151890");
      assert_has (text, "中心路1号");
      assert_has (town_text, "域城镇便民服务中心");
      assert_has (town_text, "0533-4204191");
      assert_lacks (town_text, "博山区政务服务中心");
    }
}

static void
test_override (void)
{
  g_autoptr(PtCaseState) village = case_at ("370304-YC-001");
  g_autoptr(PtCaseState) other = case_at ("370304-YC-002");
  PtDeskCenter desk = {
    (char *) "370304-YC-001", (char *) "域城村党群服务中心“跑团”窗口",
    (char *) "山东省淄博市博山区域城镇域城村文化广场东侧", (char *) "0533-4059999",
  };
  PtDeskCenter hotline_only = { (char *) "370304-YC-001", NULL, NULL, (char *) "13953312345" };

  for (guint i = 0; i < G_N_ELEMENTS (papers); i++)
    {
      g_autofree char *name = g_strdup_printf ("override-%s", pt_document_kind_to_string (papers[i]));
      g_autofree char *text = render_text (papers[i], village, &desk, name);
      g_autofree char *other_text = render_text (papers[i], other, &desk, NULL);
      g_autofree char *partial = render_text (papers[i], village, &hotline_only, NULL);

      assert_has (text, desk.center_name);
      assert_has (text, desk.center_address);
      assert_has (text, desk.center_hotline);
      assert_lacks (text, "0533-4051150");
      /* Another unit's case keeps its own center on this desk. */
      assert_has (other_text, "柳杭村便民服务站");
      assert_lacks (other_text, desk.center_name);
      /* What is not overridden comes from the district data. */
      assert_has (partial, "域城村便民服务站");
      assert_has (partial, "13953312345");
      assert_lacks (partial, "0533-4051150");
    }
}

/* ---- the one call, from a store ----------------------------------------- */

static int
run (const char * const *argv,
     char              **out,
     char              **err)
{
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status, &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static GBytes *
ctl_doc (const char *db,
         const char *kind,
         const char *number)
{
  g_autofree char *path = g_build_filename (tmp_dir, "ctl.pdf", NULL);
  const char *argv[] = { g_getenv ("PAOTUANCTL"), "doc", kind, number, "-o", path, "--db", db, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  char *bytes = NULL;
  gsize size;

  if (run (argv, &out, &err) != 0)
    g_error ("paotuanctl doc %s %s: %s", kind, number, err);
  g_assert_true (g_file_get_contents (path, &bytes, &size, &error));
  g_unlink (path);
  return g_bytes_new_take (bytes, size);
}

static PtStore *
village_desk (char **db_out)
{
  g_autofree char *db = g_build_filename (tmp_dir, "village.db", NULL);
  g_autoptr(GError) error = NULL;
  PtRunner runners[] = {
    { (char *) "R-0101", (char *) "亓秀英", (char *) "370304-YC-001", (char *) "BS1101",
      (char *) "13853300101", TRUE },
    { (char *) "R-0102", (char *) "翟德胜", (char *) "370304-YC-001", (char *) "BS1102",
      (char *) "13853300102", TRUE },
  };
  PtStore *store = pt_store_open (db, reference, &error);

  g_assert_no_error (error);
  g_assert_true (pt_store_import_district (store, reference->district, &error));
  g_assert_true (pt_store_set_meta (store, "unit", "370304-YC-001", &error));
  for (guint i = 0; i < G_N_ELEMENTS (runners); i++)
    g_assert_true (pt_store_add_runner (store, &runners[i], &error));
  g_assert_no_error (error);
  *db_out = g_steal_pointer (&db);
  return store;
}

static void
assert_same_bytes (GBytes     *a,
                   GBytes     *b,
                   const char *what)
{
  if (!g_bytes_equal (a, b))
    g_error ("%s: %zu and %zu bytes differ", what, g_bytes_get_size (a), g_bytes_get_size (b));
}

static void
test_one_call (void)
{
  g_autofree char *db = NULL;
  g_autoptr(PtStore) store = village_desk (&db);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) request = pt_json_parse_object (
    "{\"applicant\": {\"kind\": \"person\", \"name\": \"毕玉兰\", \"id_number\": \"11010519491231002X\","
    " \"phone\": \"13853312345\", \"address\": \"博山区域城镇域城村 12 号\", \"vulnerable\": \"elderly\"},"
    " \"channel\": \"window\", \"items\": [\"V-MZJ-001\"], \"unit\": \"370304-YC-001\","
    " \"materials\": [{\"name\": \"身份证\", \"form\": \"copy\", \"count\": 1, \"missing\": false},"
    "                 {\"name\": \"户口簿\", \"form\": \"original\", \"count\": 1, \"missing\": true}],"
    " \"date\": \"2026-11-02\"}", -1, &error);
  g_autofree char *number = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *digest_again = NULL;
  g_autoptr(PtCaseState) state = NULL;

  g_assert_no_error (error);
  /* R-0102 takes the intake at the window: before a runner is assigned,
   * the agreement and the notice name the runner who took it. */
  number = pt_store_create_case (store, request, "R-0102", &error);
  g_assert_no_error (error);

  for (guint k = 0; k < 2; k++)
    {
      PtDocumentKind kind = k == 0 ? PT_DOCUMENT_AGREEMENT : PT_DOCUMENT_NOTICE;
      g_autoptr(GBytes) first = NULL;
      g_autoptr(GBytes) second = NULL;
      g_autoptr(GBytes) ctl = NULL;
      g_autofree char *text = NULL;
      g_autofree char *expected = NULL;

      g_clear_pointer (&digest, g_free);
      g_clear_pointer (&digest_again, g_free);
      g_clear_pointer (&state, pt_case_state_free);
      first = pt_document_render_case (store, number, kind, NULL, &digest, &state, &error);
      g_assert_no_error (error);
      second = pt_document_render_case (store, state->id, kind, NULL, &digest_again, NULL, &error);
      g_assert_no_error (error);
      assert_same_bytes (first, second, "two renders");
      g_assert_cmpstr (digest, ==, digest_again);
      expected = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, first);
      g_assert_cmpstr (digest, ==, expected);
      g_assert_cmpstr (state->number, ==, number);

      ctl = ctl_doc (db, pt_document_kind_to_string (kind), number);
      assert_same_bytes (first, ctl, "the call and paotuanctl doc");

      text = pdf_text (first);
      assert_has (text, "域城村便民服务站");
      assert_has (text, "0533-4051150");
      assert_has (text, "翟德胜");
      assert_has (text, "13853300102");
      assert_lacks (text, "博山区政务服务中心");
      keep (first, k == 0 ? "store-agreement" : "store-notice");
    }

  /* The desk's own name for its center wins, here and in paotuanctl. */
  g_assert_true (pt_store_set_meta (store, PT_META_CENTER_NAME, "域城村党群服务中心“跑团”窗口", &error));
  g_assert_true (pt_store_set_meta (store, PT_META_CENTER_HOTLINE, " ", &error));
  {
    g_autoptr(GBytes) pdf = pt_document_render_case (store, number, PT_DOCUMENT_AGREEMENT, NULL,
                                                     NULL, NULL, &error);
    g_autoptr(GBytes) ctl = ctl_doc (db, "agreement", number);
    g_autofree char *text = NULL;

    g_assert_no_error (error);
    assert_same_bytes (pdf, ctl, "the call and paotuanctl doc, overridden");
    text = pdf_text (pdf);
    assert_has (text, "域城村党群服务中心“跑团”窗口");
    /* An empty override is none. */
    assert_has (text, "0533-4051150");
  }

  /* The agreement is signed as rendered; once a runner is assigned the other
   * papers name that runner, while a reprint of the agreement is the paper
   * that was signed, byte for byte. */
  {
    g_autofree char *signed_digest = NULL;
    g_autoptr(GBytes) before = pt_document_render_case (store, number, PT_DOCUMENT_AGREEMENT, NULL,
                                                        &signed_digest, NULL, &error);
    g_autofree char *payload = g_strdup_printf ("{\"digest\": \"%s\"}", signed_digest);
    g_autoptr(PtEvent) signed_event = pt_store_new_event (store, state->id, PT_EVENT_AGREEMENT_SIGNED,
                                                          pt_json_parse_object (payload, -1, NULL), "R-0102");
    g_autoptr(PtEvent) assigned = pt_store_new_event (store, state->id, PT_EVENT_RUNNER_ASSIGNED,
      pt_json_parse_object ("{\"runner\": \"R-0101\"}", -1, NULL), "R-0102");
    g_autoptr(GBytes) reprint = NULL;
    g_autoptr(GBytes) notice = NULL;
    g_autofree char *reprint_digest = NULL;
    g_autofree char *text = NULL;

    g_assert_no_error (error);
    g_assert_true (pt_store_append (store, signed_event, &error));
    g_assert_true (pt_store_append (store, assigned, &error));
    g_assert_no_error (error);
    reprint = pt_document_render_case (store, number, PT_DOCUMENT_AGREEMENT, NULL, &reprint_digest, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (reprint_digest, ==, signed_digest);
    assert_same_bytes (before, reprint, "the signed agreement and its reprint");
    text = pdf_text (reprint);
    assert_has (text, "翟德胜");
    assert_lacks (text, "亓秀英");
    g_clear_pointer (&text, g_free);

    notice = pt_document_render_case (store, number, PT_DOCUMENT_NOTICE, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    text = pdf_text (notice);
    assert_has (text, "亓秀英");
    assert_lacks (text, "翟德胜");
  }

  /* What is not there yet is refused, and an unknown case too. */
  {
    g_autoptr(GBytes) pdf = pt_document_render_case (store, number, PT_DOCUMENT_RECEIPT, NULL,
                                                     NULL, NULL, &error);
    g_assert_null (pdf);
    g_assert_error (error, PT_ERROR, PT_ERROR_FORBIDDEN);
    g_clear_error (&error);
    pdf = pt_document_render_case (store, "370304-YC-001-20261102-9999", PT_DOCUMENT_AGREEMENT,
                                   NULL, NULL, NULL, &error);
    g_assert_null (pdf);
    g_assert_nonnull (error);
  }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  reference = pt_reference_load_dir (g_getenv ("PAOTUAN_DATA_DIR"), &error);
  g_assert_no_error (error);
  tmp_dir = g_dir_make_tmp ("pt-doc-center-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/documents/center/village", test_village_center);
  g_test_add_func ("/documents/center/district", test_district_center);
  g_test_add_func ("/documents/center/override", test_override);
  g_test_add_func ("/documents/center/one-call", test_one_call);
  status = g_test_run ();

  {
    const char *rm[] = { "rm", "-rf", tmp_dir, NULL };
    g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
  pt_reference_free (reference);
  return status;
}
