/* test-document-view.c: the preview widget and printing through GtkPrintOperation. */
#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <poppler.h>

#include "pt-doc-fixture.h"
#include "pt-document-view.h"
#include "pt-document.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)

static PtReference *reference;

static GBytes *
render_agreement (guint   n_materials,
                  char  **digest)
{
  g_autoptr(PtCaseState) state = pt_doc_fixture_enterprise (n_materials);
  g_autoptr(PtRunner) runner = pt_doc_fixture_runner ();
  g_autoptr(GError) error = NULL;
  PtDocumentInput in = { state, reference, runner, NULL, NULL, NULL };
  GBytes *pdf = pt_document_render (PT_DOCUMENT_AGREEMENT, &in, NULL, digest, &error);

  g_assert_no_error (error);
  return pdf;
}

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The window as the desk shows it, into the test logs, to look at. */
static void
save_screenshot (GtkWidget  *window,
                 const char *name)
{
  const char *logs = g_getenv ("PT_TEST_LOG_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;
  int width, height;

  if (logs == NULL)
    return;
  dir = g_build_filename (logs, "documents", NULL);
  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, name, NULL);
  paintable = gtk_widget_paintable_new (window);
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return;
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static void
wait_drawn (void)
{
  gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static void
test_navigation (void)
{
  g_autofree char *digest = NULL;
  g_autoptr(GBytes) pdf = render_agreement (150, &digest);
  g_autoptr(GError) error = NULL;
  GtkWidget *window = gtk_window_new ();
  PtDocumentView *view = PT_DOCUMENT_VIEW (pt_document_view_new ());
  guint n;

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (view), "document.next-page", NULL) &&
                  pt_document_view_get_page (view) != 0);

  g_assert_true (pt_document_view_load (view, pdf, digest, "委托代办协议", &error));
  g_assert_no_error (error);
  iterate ();
  n = pt_document_view_get_n_pages (view);
  g_assert_cmpuint (n, >=, 5);
  g_assert_cmpstr (pt_document_view_get_digest (view), ==, digest);
  g_assert_cmpuint (pt_document_view_get_page (view), ==, 0);

  gtk_widget_activate_action (GTK_WIDGET (view), "document.next-page", NULL);
  g_assert_cmpuint (pt_document_view_get_page (view), ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (view), "document.previous-page", NULL);
  gtk_widget_activate_action (GTK_WIDGET (view), "document.previous-page", NULL);
  g_assert_cmpuint (pt_document_view_get_page (view), ==, 0);
  pt_document_view_set_page (view, 1000);
  g_assert_cmpuint (pt_document_view_get_page (view), ==, n - 1);
  iterate ();

  gtk_widget_activate_action (GTK_WIDGET (view), "document.zoom-in", NULL);
  g_assert_cmpfloat (pt_document_view_get_zoom (view), >, 1.2);
  gtk_widget_activate_action (GTK_WIDGET (view), "document.zoom-reset", NULL);
  g_assert_cmpfloat (pt_document_view_get_zoom (view), ==, 1.0);
  pt_document_view_set_zoom (view, 100);
  g_assert_cmpfloat (pt_document_view_get_zoom (view), ==, 4.0);
  pt_document_view_set_zoom (view, 1.0);
  pt_document_view_set_page (view, 1);
  wait_drawn ();
  save_screenshot (window, "document-view.png");

  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
}

/* Saving writes the rendered bytes themselves: what is printed, saved or
 * opened elsewhere is the document whose digest the case records. */
static void
test_save_bytes (void)
{
  g_autofree char *digest = NULL;
  g_autoptr(GBytes) pdf = render_agreement (150, &digest);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pt-doc-view-XXXXXX", &error);
  g_autofree char *saved = g_build_filename (dir, "saved.pdf", NULL);
  g_autofree char *saved_bytes = NULL;
  gsize saved_size;
  PtDocumentView *view = g_object_ref_sink (PT_DOCUMENT_VIEW (pt_document_view_new ()));

  g_assert_no_error (error);
  g_assert_true (pt_document_view_load (view, pdf, digest, "委托代办协议", &error));
  g_assert_no_error (error);
  g_assert_true (pt_document_view_save (view, saved, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (saved, &saved_bytes, &saved_size, NULL));
  g_assert_cmpmem (saved_bytes, saved_size, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf));

  g_unlink (saved);
  g_rmdir (dir);
  g_object_unref (view);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  reference = pt_reference_load_dir (g_getenv ("PAOTUAN_DATA_DIR"), &error);
  g_assert_no_error (error);
  g_test_add_func ("/documents/view/navigation", test_navigation);
  g_test_add_func ("/documents/view/save-bytes", test_save_bytes);
  status = g_test_run ();
  pt_reference_free (reference);
  return status;
}
