/* test-documents.c: the four documents, read back with poppler. */
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <poppler.h>

/* poppler-glib 22.12 declares no autoptr cleanups of its own. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)

#include "pt-catalog.h"
#include "pt-doc-fixture.h"
#include "pt-document-layout.h"
#include "pt-document.h"
#include "pt-error.h"

static PtReference *reference;

/* poppler joins table cells and breaks lines where the layout did; compare
 * without white space. */
static char *
squeeze (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (!g_unichar_isspace (c))
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static PopplerDocument *
open_pdf (GBytes *pdf)
{
  g_autoptr(GError) error = NULL;
  PopplerDocument *doc = poppler_document_new_from_bytes (pdf, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (doc);
  return doc;
}

static char *
page_text (PopplerDocument *doc,
           int              index)
{
  g_autoptr(PopplerPage) page = poppler_document_get_page (doc, index);
  g_autofree char *text = poppler_page_get_text (page);

  return squeeze (text);
}

static char *
pdf_text (GBytes *pdf)
{
  g_autoptr(PopplerDocument) doc = open_pdf (pdf);
  GString *all = g_string_new (NULL);

  for (int i = 0; i < poppler_document_get_n_pages (doc); i++)
    {
      g_autofree char *text = page_text (doc, i);
      g_string_append (all, text);
    }
  return g_string_free (all, FALSE);
}

static void
assert_has (const char *haystack,
            const char *field)
{
  g_autofree char *needle = NULL;

  if (field == NULL || *field == '\0')
    return;
  needle = squeeze (field);
  if (strstr (haystack, needle) == NULL)
    g_error ("the document does not show “%s”", field);
}

static GBytes *
render (PtDocumentKind     kind,
        const PtCaseState *state,
        const PtRunner    *runner,
        char             **digest)
{
  g_autoptr(GError) error = NULL;
  PtDocumentInput in = { state, reference, runner, NULL, NULL, NULL };
  GBytes *pdf = pt_document_render (kind, &in, NULL, digest, &error);

  g_assert_no_error (error);
  g_assert_nonnull (pdf);
  return pdf;
}

static void
assert_common_fields (const char        *text,
                      const PtCaseState *s,
                      const PtRunner    *r)
{
  assert_has (text, s->number);
  assert_has (text, s->applicant_name);
  assert_has (text, s->id_number);
  assert_has (text, s->uscc);
  assert_has (text, s->legal_representative);
  assert_has (text, s->phone);
  for (guint i = 0; i < s->items->len; i++)
    {
      const PtCatalogItem *item = pt_catalog_lookup (reference->catalog,
                                                     g_ptr_array_index (s->items, i));
      g_assert_nonnull (item);
      assert_has (text, item->name);
    }
  (void) r;
}

static void
test_agreement_fields (void)
{
  g_autoptr(PtCaseState) s = pt_doc_fixture_enterprise (8);
  g_autoptr(PtRunner) r = pt_doc_fixture_runner ();
  g_autoptr(GBytes) pdf = render (PT_DOCUMENT_AGREEMENT, s, r, NULL);
  g_autofree char *text = pdf_text (pdf);

  assert_common_fields (text, s, r);
  assert_has (text, "委托代办协议");
  assert_has (text, "WT-370304-20261102-0003");
  assert_has (text, s->address);
  assert_has (text, r->name);
  assert_has (text, r->staff_number);
  assert_has (text, r->phone);
  assert_has (text, "博山区政务服务中心");
  assert_has (text, "0533-4151890");
  for (guint i = 0; i < s->items->len; i++)
    {
      const PtCatalogItem *item = pt_catalog_lookup (reference->catalog,
                                                     g_ptr_array_index (s->items, i));
      g_autofree char *limit = g_strdup_printf ("%u", item->limit_days);
      assert_has (text, item->code);
      assert_has (text, item->department);
      assert_has (text, pt_level_label (item->level));
    }
  for (guint i = 0; i < s->materials->len; i++)
    {
      const PtMaterial *m = g_ptr_array_index (s->materials, i);
      if (!m->missing)
        assert_has (text, m->name);
    }
  /* The powers, one by one, and the fee with its basis. */
  assert_has (text, "代为向审批部门提交申请材料");
  assert_has (text, "补正");
  assert_has (text, "代为领取");
  assert_has (text, "代为缴纳法律、法规规定必须缴纳的费用");
  assert_has (text, "不得将本委托事项转委托");
  assert_has (text, "不动产登记费");
  assert_has (text, "550.00");
  assert_has (text, "《不动产登记暂行条例》");
  assert_has (text, "指印");
  assert_has (text, "盖章");
}

static void
test_receipt_fields (void)
{
  g_autoptr(PtCaseState) s = pt_doc_fixture_enterprise (3);
  g_autoptr(PtRunner) r = pt_doc_fixture_runner ();
  g_autoptr(GBytes) pdf = render (PT_DOCUMENT_RECEIPT, s, r, NULL);
  g_autofree char *text = pdf_text (pdf);

  assert_common_fields (text, s, r);
  for (guint i = 0; i < s->certificates->len; i++)
    {
      const PtCertificate *c = g_ptr_array_index (s->certificates, i);
      assert_has (text, c->name);
      assert_has (text, c->number);
    }
  for (guint i = 0; i < s->steps->len; i++)
    {
      const PtStep *step = g_ptr_array_index (s->steps, i);
      assert_has (text, step->department);
      assert_has (text, step->decided_on);
      assert_has (text, step->document);
    }
  assert_has (text, "邮寄送达");
  assert_has (text, s->tracking_number);
  assert_has (text, "原件已全部退还");
  /* The courier and the address, and a confirmation that says the same. */
  assert_has (text, "顺丰速运");
  assert_has (text, "工业园");
  assert_has (text, "经顺丰速运邮寄送达");
  assert_has (text, "原件已退还委托人");
  /* Step 1: 2 working days of 3; step 2: decided after its due date. The
   * table may break between them, so the cells are checked one by one. */
  assert_has (text, "按时");
  assert_has (text, "超期");
  assert_has (text, "共 1 项超过法定时限办结");
  assert_has (text, r->name);
}

static void
test_termination_fields (void)
{
  g_autoptr(PtCaseState) s = pt_doc_fixture_person ();
  g_autoptr(PtRunner) r = pt_doc_fixture_runner ();
  g_autoptr(GBytes) pdf = render (PT_DOCUMENT_TERMINATION, s, r, NULL);
  g_autofree char *text = pdf_text (pdf);

  assert_common_fields (text, s, r);
  assert_has (text, "申请人要求终止委托");
  assert_has (text, s->termination_reason);
  assert_has (text, s->terminated_on);
  for (guint i = 0; i < s->returned_materials->len; i++)
    {
      const PtMaterial *m = g_ptr_array_index (s->returned_materials, i);
      assert_has (text, m->name);
    }
}

static void
test_notice_fields (void)
{
  g_autoptr(PtCaseState) s = pt_doc_fixture_enterprise (8);
  g_autoptr(PtRunner) r = pt_doc_fixture_runner ();
  g_autoptr(GBytes) pdf = render (PT_DOCUMENT_NOTICE, s, r, NULL);
  g_autofree char *text = pdf_text (pdf);

  assert_common_fields (text, s, r);
  /* Every missing material, the one in the notice and the other one the
   * checklist marks, with what is needed. */
  assert_has (text, "附件材料第4号（设计图纸及说明）");
  assert_has (text, "附件材料第6号（设计图纸及说明）");
  assert_has (text, "复印件1份");
  assert_has (text, r->name);
  assert_has (text, r->phone);
  assert_has (text, "0533-4151890");
  assert_has (text, "2026年11月3日");
}

static void
test_not_available (void)
{
  g_autoptr(PtCaseState) s = pt_doc_fixture_person ();
  g_autoptr(GError) error = NULL;
  PtDocumentInput in = { s, reference, NULL, NULL, NULL, NULL };
  g_autoptr(GBytes) pdf = pt_document_render (PT_DOCUMENT_RECEIPT, &in, NULL, NULL, &error);

  g_assert_null (pdf);
  g_assert_error (error, PT_ERROR, PT_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, "not delivered"));
}

static void
test_deterministic (void)
{
  g_autoptr(PtCaseState) s = pt_doc_fixture_enterprise (8);
  g_autoptr(PtRunner) r = pt_doc_fixture_runner ();

  for (guint k = 0; k < PT_DOCUMENT_N_KINDS; k++)
    {
      PtCaseState *state = k == PT_DOCUMENT_TERMINATION ? pt_doc_fixture_person () : NULL;
      g_autofree char *d1 = NULL;
      g_autofree char *d2 = NULL;
      g_autofree char *expected = NULL;
      g_autoptr(GBytes) a = render (k, state != NULL ? state : s, r, &d1);
      g_autoptr(GBytes) b = render (k, state != NULL ? state : s, r, &d2);

      g_assert_true (g_bytes_equal (a, b));
      g_assert_cmpstr (d1, ==, d2);
      expected = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, a);
      g_assert_cmpstr (d1, ==, expected);
      g_clear_pointer (&state, pt_case_state_free);
    }
}

/* The QR's digest covers the document's fields: change one, it changes. */
static void
test_content_digest (void)
{
  g_autoptr(PtCaseState) s = pt_doc_fixture_enterprise (3);
  g_autoptr(GError) error = NULL;
  PtDocumentInput in = { s, reference, NULL, NULL, NULL, NULL };
  g_autofree char *content = NULL;
  g_autofree char *content2 = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GBytes) pdf2 = NULL;
  guint pages = 0;

  pdf = pt_document_render_full (PT_DOCUMENT_AGREEMENT, &in, NULL, NULL, &content, &text,
                                 &pages, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pages, >=, 1);
  expected = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
  g_assert_cmpstr (content, ==, expected);
  g_assert_true (g_str_has_prefix (text, "agreement\n370304-20261102-0003\n"));
  g_assert_nonnull (strstr (text, "淄博鲁山陶瓷新材料有限公司"));

  g_free (s->phone);
  s->phone = g_strdup ("13905330000");
  pdf2 = pt_document_render_full (PT_DOCUMENT_AGREEMENT, &in, NULL, NULL, &content2, NULL,
                                  NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (content, !=, content2);
}

static void
test_fonts_embedded (void)
{
  g_autoptr(PtCaseState) s = pt_doc_fixture_enterprise (8);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pt-doc-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "agreement.pdf", NULL);
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  const char *pdffonts = g_getenv ("PDFFONTS");
  PtDocumentInput in = { s, reference, NULL, NULL, NULL, NULL };
  const char *argv[] = { pdffonts != NULL ? pdffonts : "pdffonts", path, NULL };
  int status = -1;
  guint cjk = 0;

  g_assert_no_error (error);
  g_assert_true (pt_document_write_file (PT_DOCUMENT_AGREEMENT, &in, NULL, path, NULL, &error));
  g_assert_no_error (error);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_test_message ("%s", out);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 2; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cols = NULL;

      if (*lines[i] == '\0')
        continue;
      /* name type... encoding emb sub uni object ID: every font embedded. */
      cols = g_strsplit_set (lines[i], " ", -1);
      g_assert_nonnull (strstr (lines[i], " yes "));
      if (strstr (lines[i], "CJKsc") != NULL)
        cjk++;
      {
        /* "emb" is the 4th whitespace-separated column from the right side's
         * "emb sub uni": check with a regex-free look at the words. */
        g_autoptr(GPtrArray) words = g_ptr_array_new ();
        for (guint j = 0; cols[j] != NULL; j++)
          if (*cols[j] != '\0')
            g_ptr_array_add (words, cols[j]);
        g_assert_cmpuint (words->len, >=, 7);
        g_assert_cmpstr (g_ptr_array_index (words, words->len - 5), ==, "yes");
      }
    }
  g_assert_cmpuint (cjk, >=, 2);
  g_unlink (path);
  g_rmdir (dir);
}

static guint
count_fonts (GBytes *pdf)
{
  g_autoptr(PopplerDocument) doc = open_pdf (pdf);
  PopplerFontInfo *info = poppler_font_info_new (doc);
  PopplerFontsIter *iter = NULL;
  guint n = 0;

  while (poppler_font_info_scan (info, 1, &iter))
    {
      if (iter == NULL)
        continue;
      do
        n++;
      while (poppler_fonts_iter_next (iter));
      g_clear_pointer (&iter, poppler_fonts_iter_free);
    }
  g_object_unref (info);
  return n;
}

/* The documents draw with light copies of the fonts (the characters of
 * GB 2312, see pt-document-fonts.h): an agreement of common characters
 * embeds the two copies and nothing else, and a name beyond them (堃, 喆
 * are not in GB 2312) is drawn all the same, with the original font. */
static void
test_font_copies (void)
{
  g_autoptr(PtCaseState) s = pt_doc_fixture_enterprise (8);
  g_autoptr(PtRunner) r = pt_doc_fixture_runner ();
  g_autoptr(GBytes) common = render (PT_DOCUMENT_AGREEMENT, s, r, NULL);
  g_autoptr(GBytes) rare = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpuint (count_fonts (common), ==, 2);

  g_free (s->legal_representative);
  s->legal_representative = g_strdup ("张堃喆");
  rare = render (PT_DOCUMENT_AGREEMENT, s, r, NULL);
  text = pdf_text (rare);
  assert_has (text, "张堃喆");
  g_assert_cmpuint (count_fonts (rare), ==, 3);
}

static void
test_long_table (void)
{
  g_autoptr(PtCaseState) s = pt_doc_fixture_enterprise (150);
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(PopplerDocument) doc = NULL;
  g_autofree char *all = NULL;
  int n_pages;

  /* No missing materials this time: all 150 are in the table. */
  for (guint i = 0; i < s->materials->len; i++)
    ((PtMaterial *) g_ptr_array_index (s->materials, i))->missing = FALSE;
  pdf = render (PT_DOCUMENT_AGREEMENT, s, NULL, NULL);
  doc = open_pdf (pdf);
  n_pages = poppler_document_get_n_pages (doc);
  g_assert_cmpint (n_pages, >=, 5);
  all = pdf_text (pdf);

  for (int i = 0; i < n_pages; i++)
    {
      g_autofree char *text = page_text (doc, i);
      g_autofree char *footer = g_strdup_printf ("第%d页共%d页", i + 1, n_pages);
      g_autoptr(PopplerPage) page = poppler_document_get_page (doc, i);
      double w, h;

      g_assert_nonnull (strstr (text, footer));
      poppler_page_get_size (page, &w, &h);
      g_assert_cmpfloat (fabs (w - 595.276), <, 0.5);
      g_assert_cmpfloat (fabs (h - 841.89), <, 0.5);
      /* The materials table runs over the pages in between: its header is
       * repeated on each of them. */
      if (strstr (text, "附件材料第") != NULL)
        {
          /* Cell by cell: poppler orders the header's words among the
           * running head's. Only the header has these words. */
          static const char * const header[] = { "序号", "材料名称", "是否退还", "所属事项" };
          for (guint k = 0; k < G_N_ELEMENTS (header); k++)
            g_assert_nonnull (strstr (text, header[k]));
        }
    }
  for (guint i = 0; i < s->materials->len; i++)
    {
      const PtMaterial *m = g_ptr_array_index (s->materials, i);
      assert_has (all, m->name);
    }
}

static gboolean
contains (GBytes     *bytes,
          const char *needle)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  gsize n = strlen (needle);

  for (gsize i = 0; n <= size && i <= size - n; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* Pages without a transparency group: CUPS's filters rasterize a page that
 * has one, and the paper loses its text. Blanking it keeps the file whole. */
static void
test_no_page_groups (void)
{
  g_autoptr(PtCaseState) s = pt_doc_fixture_enterprise (150);
  g_autoptr(GBytes) pdf = render (PT_DOCUMENT_AGREEMENT, s, NULL, NULL);
  g_autoptr(PopplerDocument) doc = open_pdf (pdf);
  g_autofree char *text = pdf_text (pdf);
  guint8 sample[] = "x /Type /Page\n   /Group <<\n      /Type /Group\n      /S /Transparency\n"
                    "      /I true\n      /CS /DeviceRGB\n   >>\n   /Resources 3 0 R";
  gsize before = strlen ((char *) sample);

  g_assert_false (contains (pdf, "/Transparency"));
  g_assert_cmpint (poppler_document_get_n_pages (doc), >=, 5);
  assert_has (text, s->number);
  /* The blanking itself: same length, the dictionary gone, the rest kept. */
  g_assert_cmpuint (pt_layout_drop_page_groups (sample, before), ==, 1);
  g_assert_cmpuint (strlen ((char *) sample), ==, before);
  g_assert_null (strstr ((char *) sample, "Group"));
  g_assert_nonnull (strstr ((char *) sample, "/Resources 3 0 R"));
}

static char *
write_template (const char *dir,
                const char *text)
{
  char *path = g_build_filename (dir, "broken.tmpl", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_broken_template (void)
{
  static const struct {
    const char *text;
    const char *where;
    const char *problem;
  } cases[] = {
    { "document: agreement\ntitle: 协议\n\nsection: 一\nblok: items\n", ":5:", "unknown directive “blok”" },
    { "document: agreement\ntitle: 协议\nblock: certificates\n", ":3:", "unknown block “certificates”" },
    { "document: agreement\ntitle: 协议\ntext: 电话 ${center.hotlin}\n", ":3:", "unknown placeholder" },
    { "document: agreement\ntitle: 协议\ntext: ${center.name\n", ":3:", "not closed" },
    { "document: agreement\ntitle: 协议\nsigner: 委托人 [thumb]\n", ":3:", "unknown signer option" },
    { "  continued\ndocument: agreement\ntitle: 协议\ntext: x\n", ":1:", "indented line" },
    { "document: agreement\ntitle: 协议\njust words\n", ":3:", "expected “directive: value”" },
    { "document: receipt\ntitle: 回执\ntext: x\n", "broken.tmpl:", "this template is for the document “receipt”, not “agreement”" },
    { "document: agreement\ntext: x\n", "broken.tmpl:", "no title" },
    { "document: agreement\ntitle: a\ntitle: b\ntext: x\n", ":3:", "given twice" },
    { "document: agreement\ntitle: \xff\xfe\n", ":2:", "not UTF-8" },
  };
  g_autoptr(PtCaseState) s = pt_doc_fixture_enterprise (3);
  g_autoptr(GError) dir_error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pt-doc-XXXXXX", &dir_error);
  g_autofree char *out = g_build_filename (dir, "out.pdf", NULL);
  PtDocumentInput in = { s, reference, NULL, NULL, NULL, NULL };

  g_assert_no_error (dir_error);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = write_template (dir, cases[i].text);
      g_autoptr(GError) error = NULL;
      g_autofree char *digest = NULL;

      g_assert_false (pt_document_write_file (PT_DOCUMENT_AGREEMENT, &in, path, out,
                                              &digest, &error));
      g_assert_error (error, PT_ERROR, PT_ERROR_DATA);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, path));
      g_assert_nonnull (strstr (error->message, cases[i].where));
      g_assert_nonnull (strstr (error->message, cases[i].problem));
      g_assert_null (digest);
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
      g_unlink (path);
    }
  g_rmdir (dir);
}

/* A center's template: its own name, a block left out, a clause reworded. */
static void
test_custom_template (void)
{
  g_autoptr(PtCaseState) s = pt_doc_fixture_enterprise (3);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pt-doc-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *text = NULL;
  PtDocumentInput in = { s, reference, NULL, NULL, NULL, NULL };

  path = write_template (dir,
                         "# a town's agreement\n"
                         "document: agreement\n"
                         "title: 域城镇委托代办协议\n"
                         "center-name: 域城镇便民服务中心\n"
                         "center-hotline: 0533-4180001\n"
                         "block: numbers\n"
                         "section: 委托事项\n"
                         "block: items\n"
                         "clause: 本协议由${center.name}负责解释，\n"
                         "  咨询电话${center.hotline}。\n"
                         "signer: 委托人签字 [fingerprint] [date]\n");
  pdf = pt_document_render (PT_DOCUMENT_AGREEMENT, &in, path, NULL, &error);
  g_assert_no_error (error);
  text = pdf_text (pdf);
  assert_has (text, "域城镇委托代办协议");
  /* The case's unit is in the district data: its center speaks, whatever
   * the template's defaults say. */
  assert_has (text, "本协议由博山区政务服务中心负责解释，咨询电话0533-4151890。");
  assert_has (text, "一、委托事项");
  assert_has (text, "（一）");
  g_assert_null (strstr (text, "材料名称"));
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&pdf, g_bytes_unref);

  /* A unit the district data does not know: the template's defaults. */
  g_free (s->unit);
  s->unit = g_strdup ("370399");
  pdf = pt_document_render (PT_DOCUMENT_AGREEMENT, &in, path, NULL, &error);
  g_assert_no_error (error);
  text = pdf_text (pdf);
  assert_has (text, "本协议由域城镇便民服务中心负责解释，咨询电话0533-4180001。");
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_kinds (void)
{
  PtDocumentKind kind;

  for (guint k = 0; k < PT_DOCUMENT_N_KINDS; k++)
    {
      g_assert_true (pt_document_kind_from_string (pt_document_kind_to_string (k), &kind));
      g_assert_cmpint (kind, ==, k);
    }
  g_assert_false (pt_document_kind_from_string ("contract", &kind));
  g_assert_cmpstr (pt_document_kind_label (PT_DOCUMENT_NOTICE), ==, "一次性告知书");
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

  g_test_add_func ("/documents/kinds", test_kinds);
  g_test_add_func ("/documents/agreement-fields", test_agreement_fields);
  g_test_add_func ("/documents/receipt-fields", test_receipt_fields);
  g_test_add_func ("/documents/termination-fields", test_termination_fields);
  g_test_add_func ("/documents/notice-fields", test_notice_fields);
  g_test_add_func ("/documents/not-available", test_not_available);
  g_test_add_func ("/documents/deterministic", test_deterministic);
  g_test_add_func ("/documents/content-digest", test_content_digest);
  g_test_add_func ("/documents/fonts-embedded", test_fonts_embedded);
  g_test_add_func ("/documents/font-copies", test_font_copies);
  g_test_add_func ("/documents/long-table", test_long_table);
  g_test_add_func ("/documents/no-page-groups", test_no_page_groups);
  g_test_add_func ("/documents/broken-template", test_broken_template);
  g_test_add_func ("/documents/custom-template", test_custom_template);
  status = g_test_run ();
  pt_reference_free (reference);
  return status;
}
