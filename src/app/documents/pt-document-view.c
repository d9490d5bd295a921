/* pt-document-view.c: a document's preview, print and save-as. */
#define G_LOG_DOMAIN "pt-documents"

#include <glib/gi18n.h>

#include "pt-document-view.h"
#include "pt-print-dialog.h"
#include "pt-poppler-autoptr.h"

/* 100 % is the paper's size on a 96 dpi screen: a PDF point is 96/72 px. */
#define POINTS_TO_PIXELS (96.0 / 72.0)
#define ZOOM_MIN 0.25
#define ZOOM_MAX 4.0
#define PAGE_MARGIN 24

struct _PtDocumentView
{
  GtkWidget        parent_instance;

  GtkWidget       *box;
  GtkWidget       *toolbar;
  GtkLabel        *page_label;
  GtkLabel        *zoom_label;
  GtkStack        *stack;
  GtkDrawingArea  *area;

  PopplerDocument *document;
  GBytes          *pdf;
  char            *digest;
  char            *name;
  guint            page;
  double           zoom;
  int              copies;   /* the print dialog's default */
};

G_DEFINE_FINAL_TYPE (PtDocumentView, pt_document_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PAGE,
  PROP_N_PAGES,
  PROP_ZOOM,
  PROP_DIGEST,
  N_PROPS
};

enum {
  PRINT_FINISHED,
  PRINT_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
update_actions (PtDocumentView *self)
{
  guint n = pt_document_view_get_n_pages (self);
  gboolean loaded = self->document != NULL;
  g_autofree char *page = NULL;
  g_autofree char *zoom = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "document.print", loaded);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "document.save-as", loaded);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "document.previous-page",
                                 loaded && self->page > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "document.next-page",
                                 loaded && self->page + 1 < n);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "document.zoom-in",
                                 loaded && self->zoom < ZOOM_MAX);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "document.zoom-out",
                                 loaded && self->zoom > ZOOM_MIN);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "document.zoom-reset", loaded);

  /* Translators: page N of M in the document preview. */
  page = loaded ? g_strdup_printf (_("Page %u of %u"), self->page + 1, n) : g_strdup ("");
  gtk_label_set_text (self->page_label, page);
  zoom = g_strdup_printf ("%.0f %%", self->zoom * 100);
  gtk_label_set_text (self->zoom_label, zoom);
  gtk_stack_set_visible_child_name (self->stack, loaded ? "pages" : "empty");
}

/* The drawing area takes the page's size at the current zoom, so the
 * scrolled window scrolls over the whole sheet. */
static void
update_size (PtDocumentView *self)
{
  g_autoptr(PopplerPage) page = NULL;
  double width = 595.276, height = 841.89;

  if (self->document != NULL)
    page = poppler_document_get_page (self->document, self->page);
  if (page != NULL)
    poppler_page_get_size (page, &width, &height);
  gtk_drawing_area_set_content_width (self->area,
                                      (int) (width * self->zoom * POINTS_TO_PIXELS + 0.5));
  gtk_drawing_area_set_content_height (self->area,
                                       (int) (height * self->zoom * POINTS_TO_PIXELS + 0.5));
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

static void
draw_page_cb (GtkDrawingArea *area,
              cairo_t        *cr,
              int             width,
              int             height,
              gpointer        user_data)
{
  PtDocumentView *self = user_data;
  g_autoptr(PopplerPage) page = NULL;
  double scale = self->zoom * POINTS_TO_PIXELS;

  /* The sheet: white paper with a hairline edge. */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  if (self->document == NULL)
    return;
  page = poppler_document_get_page (self->document, self->page);
  if (page == NULL)
    return;
  cairo_save (cr);
  cairo_scale (cr, scale, scale);
  poppler_page_render (page, cr);
  cairo_restore (cr);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.25);
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, 0.5, 0.5, width - 1, height - 1);
  cairo_stroke (cr);
}

/* Printing: the PDF itself to a CUPS queue (pt-print-dialog.h). */

static void
shown_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(PtDocumentView) self = user_data;
  g_autoptr(GError) error = NULL;

  /* No application for PDF documents: say so instead of nothing. */
  if (!gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("No application could open the document (%s). "
                                                    "Save it as a PDF and open it from the file manager."),
                                                  error->message);
      g_signal_emit (self, signals[PRINT_FAILED], 0, message);
    }
}

static void
open_external (PtDocumentView *self)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "paotuan", "documents", NULL);
  g_autofree char *file = g_strconcat (self->name != NULL ? self->name : "document", ".pdf", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  /* The same bytes, for a viewer that prints them: never a re-rendering. */
  if (g_mkdir_with_parents (dir, 0700) != 0 || !pt_document_view_save (self, path, &error))
    {
      g_signal_emit (self, signals[PRINT_FAILED], 0,
                     error != NULL ? error->message : _("The document could not be written to the cache folder."));
      return;
    }
  uri = g_filename_to_uri (path, NULL, NULL);
  gtk_show_uri_full (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME, NULL,
                     shown_cb, g_object_ref (self));
}

static void
print_done_cb (const PtPrintResult *result,
               gpointer             user_data)
{
  PtDocumentView *self = user_data;

  switch (result->outcome)
    {
    case PT_PRINT_SENT:
      g_signal_emit (self, signals[PRINT_FINISHED], 0, self->digest, result->printer,
                     result->printer_label, result->copies, result->completed);
      break;
    case PT_PRINT_FAILED:
      g_signal_emit (self, signals[PRINT_FAILED], 0, result->error->message);
      break;
    case PT_PRINT_SAVE:
      pt_document_view_save_as (self);
      break;
    case PT_PRINT_OPEN:
      open_external (self);
      break;
    case PT_PRINT_CANCELLED:
    default:
      break;
    }
}

void
pt_document_view_print (PtDocumentView *self)
{
  GtkRoot *root;

  g_return_if_fail (PT_IS_DOCUMENT_VIEW (self));
  if (self->pdf == NULL)
    return;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  pt_print_dialog_present (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->pdf,
                           self->name != NULL ? self->name : _("Document"), self->copies,
                           print_done_cb, g_object_ref (self), g_object_unref);
}

void
pt_document_view_set_copies (PtDocumentView *self,
                             int             copies)
{
  g_return_if_fail (PT_IS_DOCUMENT_VIEW (self));
  self->copies = CLAMP (copies, 1, 99);
}

gboolean
pt_document_view_save (PtDocumentView  *self,
                       const char      *path,
                       GError         **error)
{
  gsize size;
  const char *data;

  g_return_val_if_fail (PT_IS_DOCUMENT_VIEW (self), FALSE);
  g_return_val_if_fail (self->pdf != NULL, FALSE);

  data = g_bytes_get_data (self->pdf, &size);
  return g_file_set_contents_full (path, data, size, G_FILE_SET_CONTENTS_CONSISTENT,
                                   0644, error);
}

static void
save_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  g_autoptr(PtDocumentView) self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (path == NULL || !pt_document_view_save (self, path, &error))
        {
          GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
          GtkWidget *alert = gtk_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                     GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                                     GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE,
                                                     _("Could not save the document"));
          gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (alert), "%s",
                                                    error != NULL ? error->message
                                                                  : _("Choose a local folder."));
          g_signal_connect (alert, "response", G_CALLBACK (gtk_window_destroy), NULL);
          gtk_window_present (GTK_WINDOW (alert));
        }
    }
  g_object_unref (dialog);
}

void
pt_document_view_save_as (PtDocumentView *self)
{
  GtkFileChooserNative *chooser;
  GtkRoot *root;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *file = NULL;

  g_return_if_fail (PT_IS_DOCUMENT_VIEW (self));
  if (self->pdf == NULL)
    return;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  chooser = gtk_file_chooser_native_new (_("Save Document"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  file = g_strconcat (self->name != NULL ? self->name : "document", ".pdf", NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), file);
  g_signal_connect (chooser, "response", G_CALLBACK (save_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
action_cb (GtkWidget  *widget,
           const char *action,
           GVariant   *parameter)
{
  PtDocumentView *self = PT_DOCUMENT_VIEW (widget);

  if (g_str_equal (action, "document.print"))
    pt_document_view_print (self);
  else if (g_str_equal (action, "document.save-as"))
    pt_document_view_save_as (self);
  else if (g_str_equal (action, "document.previous-page"))
    pt_document_view_set_page (self, self->page > 0 ? self->page - 1 : 0);
  else if (g_str_equal (action, "document.next-page"))
    pt_document_view_set_page (self, self->page + 1);
  else if (g_str_equal (action, "document.zoom-in"))
    pt_document_view_set_zoom (self, self->zoom * 1.25);
  else if (g_str_equal (action, "document.zoom-out"))
    pt_document_view_set_zoom (self, self->zoom / 1.25);
  else if (g_str_equal (action, "document.zoom-reset"))
    pt_document_view_set_zoom (self, 1.0);
}

/* ---- public ------------------------------------------------------------ */

GtkWidget *
pt_document_view_new (void)
{
  return g_object_new (PT_TYPE_DOCUMENT_VIEW, NULL);
}

gboolean
pt_document_view_load (PtDocumentView  *self,
                       GBytes          *pdf,
                       const char      *digest,
                       const char      *name,
                       GError         **error)
{
  PopplerDocument *document;

  g_return_val_if_fail (PT_IS_DOCUMENT_VIEW (self), FALSE);
  g_return_val_if_fail (pdf != NULL, FALSE);

  document = poppler_document_new_from_bytes (pdf, NULL, error);
  if (document == NULL)
    return FALSE;

  g_clear_object (&self->document);
  g_clear_pointer (&self->pdf, g_bytes_unref);
  g_free (self->digest);
  g_free (self->name);
  self->document = document;
  self->pdf = g_bytes_ref (pdf);
  self->digest = g_strdup (digest);
  self->name = g_strdup (name);
  self->page = 0;

  update_size (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PAGES]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIGEST]);
  return TRUE;
}

void
pt_document_view_clear (PtDocumentView *self)
{
  g_return_if_fail (PT_IS_DOCUMENT_VIEW (self));

  g_clear_object (&self->document);
  g_clear_pointer (&self->pdf, g_bytes_unref);
  g_clear_pointer (&self->digest, g_free);
  g_clear_pointer (&self->name, g_free);
  self->page = 0;
  update_size (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PAGES]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIGEST]);
}

GBytes *
pt_document_view_get_pdf (PtDocumentView *self)
{
  g_return_val_if_fail (PT_IS_DOCUMENT_VIEW (self), NULL);
  return self->pdf;
}

const char *
pt_document_view_get_digest (PtDocumentView *self)
{
  g_return_val_if_fail (PT_IS_DOCUMENT_VIEW (self), NULL);
  return self->digest;
}

guint
pt_document_view_get_n_pages (PtDocumentView *self)
{
  g_return_val_if_fail (PT_IS_DOCUMENT_VIEW (self), 0);
  return self->document != NULL ? (guint) poppler_document_get_n_pages (self->document) : 0;
}

guint
pt_document_view_get_page (PtDocumentView *self)
{
  g_return_val_if_fail (PT_IS_DOCUMENT_VIEW (self), 0);
  return self->page;
}

void
pt_document_view_set_page (PtDocumentView *self,
                           guint           page)
{
  guint n;

  g_return_if_fail (PT_IS_DOCUMENT_VIEW (self));

  n = pt_document_view_get_n_pages (self);
  if (n == 0)
    return;
  page = MIN (page, n - 1);
  if (page == self->page)
    return;
  self->page = page;
  update_size (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
}

double
pt_document_view_get_zoom (PtDocumentView *self)
{
  g_return_val_if_fail (PT_IS_DOCUMENT_VIEW (self), 1.0);
  return self->zoom;
}

void
pt_document_view_set_zoom (PtDocumentView *self,
                           double          zoom)
{
  g_return_if_fail (PT_IS_DOCUMENT_VIEW (self));

  zoom = CLAMP (zoom, ZOOM_MIN, ZOOM_MAX);
  if (G_APPROX_VALUE (zoom, self->zoom, 0.001))
    return;
  self->zoom = zoom;
  update_size (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

/* ---- GObject ----------------------------------------------------------- */

static void
pt_document_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PtDocumentView *self = PT_DOCUMENT_VIEW (object);

  switch (prop_id)
    {
    case PROP_PAGE:
      g_value_set_uint (value, self->page);
      break;
    case PROP_N_PAGES:
      g_value_set_uint (value, pt_document_view_get_n_pages (self));
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    case PROP_DIGEST:
      g_value_set_string (value, self->digest);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_document_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PtDocumentView *self = PT_DOCUMENT_VIEW (object);

  switch (prop_id)
    {
    case PROP_PAGE:
      pt_document_view_set_page (self, g_value_get_uint (value));
      break;
    case PROP_ZOOM:
      pt_document_view_set_zoom (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_document_view_dispose (GObject *object)
{
  PtDocumentView *self = PT_DOCUMENT_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PT_TYPE_DOCUMENT_VIEW);
  g_clear_object (&self->document);
  g_clear_pointer (&self->pdf, g_bytes_unref);
  G_OBJECT_CLASS (pt_document_view_parent_class)->dispose (object);
}

static void
pt_document_view_finalize (GObject *object)
{
  PtDocumentView *self = PT_DOCUMENT_VIEW (object);

  g_free (self->digest);
  g_free (self->name);
  G_OBJECT_CLASS (pt_document_view_parent_class)->finalize (object);
}

static void
pt_document_view_class_init (PtDocumentViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = pt_document_view_get_property;
  object_class->set_property = pt_document_view_set_property;
  object_class->dispose = pt_document_view_dispose;
  object_class->finalize = pt_document_view_finalize;

  properties[PROP_PAGE] =
    g_param_spec_uint ("page", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_PAGES] =
    g_param_spec_uint ("n-pages", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, ZOOM_MIN, ZOOM_MAX, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIGEST] =
    g_param_spec_string ("digest", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PtDocumentView::print-finished:
   * @digest: the SHA-256 of the printed PDF
   * @printer: the CUPS queue
   * @printer_label: the printer, as the clerk chose it
   * @copies: how many
   * @completed: CUPS said the job is printed (else it is still queued)
   *
   * The document went to a printer, as it is.
   */
  signals[PRINT_FINISHED] =
    g_signal_new ("print-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 5, G_TYPE_STRING, G_TYPE_STRING,
                  G_TYPE_STRING, G_TYPE_INT, G_TYPE_BOOLEAN);
  /**
   * PtDocumentView::print-failed:
   * @message: why, for the clerk
   *
   * A print job was refused, stopped or vanished, or the document could not
   * be handed to another application.
   */
  signals[PRINT_FAILED] =
    g_signal_new ("print-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/paotuan/Paotuan/ui/pt-document-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PtDocumentView, box);
  gtk_widget_class_bind_template_child (widget_class, PtDocumentView, toolbar);
  gtk_widget_class_bind_template_child (widget_class, PtDocumentView, page_label);
  gtk_widget_class_bind_template_child (widget_class, PtDocumentView, zoom_label);
  gtk_widget_class_bind_template_child (widget_class, PtDocumentView, stack);
  gtk_widget_class_bind_template_child (widget_class, PtDocumentView, area);

  gtk_widget_class_install_action (widget_class, "document.print", NULL, action_cb);
  gtk_widget_class_install_action (widget_class, "document.save-as", NULL, action_cb);
  gtk_widget_class_install_action (widget_class, "document.previous-page", NULL, action_cb);
  gtk_widget_class_install_action (widget_class, "document.next-page", NULL, action_cb);
  gtk_widget_class_install_action (widget_class, "document.zoom-in", NULL, action_cb);
  gtk_widget_class_install_action (widget_class, "document.zoom-out", NULL, action_cb);
  gtk_widget_class_install_action (widget_class, "document.zoom-reset", NULL, action_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "document.print", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "document.save-as", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0,
                                       "document.previous-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0,
                                       "document.next-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK,
                                       "document.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK,
                                       "document.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK,
                                       "document.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK,
                                       "document.zoom-reset", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "pt-document-view");
}

static void
pt_document_view_init (PtDocumentView *self)
{
  self->zoom = 1.0;
  self->copies = 1;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drawing_area_set_draw_func (self->area, draw_page_cb, self, NULL);
  update_size (self);
  update_actions (self);
}
