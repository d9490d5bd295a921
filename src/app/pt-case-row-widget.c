/* pt-case-row-widget.c: one row of the Cases list, drawn as a single widget. */
#define G_LOG_DOMAIN "pt-app"

#include <glib/gi18n.h>

#include "pt-app-util.h"
#include "pt-case-row-widget.h"

/* Column widths in characters; the items column takes what is left, and the
 * applicant, runner, status and due columns fit a company's name of twelve
 * Chinese characters, a person's of four, the widest status and the texts
 * of 888 working days in this language. A case number
 * (370304-YC-001-20261126-0007) is 27 characters: its end, the sequence, is
 * the part that tells two cases apart, so it is never cut. */
static const int column_chars[PT_CASE_N_COLUMNS] = { 27, 0, 0, 0, 0, 0 };
#define SPACING 12
/* The chip: padding 1px 10px, bold, a smaller font (style.css's .chip). */
#define CHIP_PAD_X 10
#define CHIP_PAD_Y 1

struct _PtCaseRowWidget
{
  GtkWidget      parent_instance;

  char          *texts[PT_CASE_N_COLUMNS];
  PangoLayout   *layouts[PT_CASE_N_COLUMNS];
  int            layout_widths[PT_CASE_N_COLUMNS];
  guint          font_key;     /* the font the layouts were made with */
  PtCaseTone  status_tone;
  PtCaseTone  due_tone;
  gboolean       culled;       /* outside the scrolled window when last drawn */
  gboolean       header;       /* the column heads above the list */
};

G_DEFINE_FINAL_TYPE (PtCaseRowWidget, pt_case_row_widget, GTK_TYPE_WIDGET)

/* Sizes that depend only on the font: measured once for all rows, since
 * pango_context_get_metrics() is slow and every row asks for its size. */
typedef struct {
  guint key;
  int   char_px;          /* width of a character, as GtkLabel's width-chars counts it */
  int   status_px;        /* the widest status chip */
  int   due_px;           /* the widest "overdue by" or "left" text */
  int   runner_px;        /* a runner's name of four characters */
  int   applicant_px;     /* a company's name of twelve characters */
  int   line_px;          /* height of a line of text */
  int   chip_line_px;
} Metrics;

static Metrics metrics_cache;

static PangoAttrList *
chip_attributes (void)
{
  static PangoAttrList *attrs;

  if (g_once_init_enter (&attrs))
    {
      PangoAttrList *list = pango_attr_list_new ();

      pango_attr_list_insert (list, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_attr_list_insert (list, pango_attr_scale_new (PANGO_SCALE_SMALL));
      g_once_init_leave (&attrs, list);
    }
  return attrs;
}

static PangoAttrList *
numeric_attributes (void)
{
  static PangoAttrList *attrs;

  if (g_once_init_enter (&attrs))
    {
      PangoAttrList *list = pango_attr_list_new ();

      /* The "numeric" style class: figures of one width. */
      pango_attr_list_insert (list, pango_attr_font_features_new ("tnum=1"));
      g_once_init_leave (&attrs, list);
    }
  return attrs;
}

static guint
font_key (GtkWidget *widget)
{
  PangoContext *context = gtk_widget_get_pango_context (widget);

  return pango_font_description_hash (pango_context_get_font_description (context))
         ^ (guint) (pango_cairo_context_get_resolution (context) * 16);
}

static int
char_pixels (PangoContext               *context,
             const PangoFontDescription *font)
{
  PangoFontMetrics *metrics = pango_context_get_metrics (context, font,
                                                         pango_context_get_language (context));
  int char_width = pango_font_metrics_get_approximate_char_width (metrics);
  int digit_width = pango_font_metrics_get_approximate_digit_width (metrics);

  pango_font_metrics_unref (metrics);
  return PANGO_PIXELS_CEIL (MAX (char_width, digit_width));
}

static int
line_pixels (GtkWidget     *widget,
             PangoAttrList *attrs)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, "Ag国");
  int height;

  pango_layout_set_attributes (layout, attrs);
  pango_layout_get_pixel_size (layout, NULL, &height);
  return height;
}

static int
widest_status (GtkWidget *widget)
{
  int widest = 0;

  for (PtCaseStatus status = 0; status < PT_STATUS_N; status++)
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, pt_ui_status_label (status));
      int width;

      pango_layout_set_attributes (layout, chip_attributes ());
      pango_layout_get_pixel_size (layout, &width, NULL);
      widest = MAX (widest, width);
    }
  return widest + 2 * CHIP_PAD_X;
}

static int
text_pixels (GtkWidget  *widget,
             const char *text)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int width;

  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

static int
widest_due (GtkWidget *widget)
{
  g_autofree char *overdue = pt_format_due_days (888, TRUE);
  g_autofree char *left = pt_format_due_days (888, FALSE);

  return MAX (text_pixels (widget, overdue), text_pixels (widget, left));
}

static const Metrics *
get_metrics (GtkWidget *widget)
{
  guint key = font_key (widget);

  if (metrics_cache.key != key || metrics_cache.char_px == 0)
    {
      PangoContext *context = gtk_widget_get_pango_context (widget);

      metrics_cache.key = key;
      metrics_cache.char_px = char_pixels (context, pango_context_get_font_description (context));
      metrics_cache.status_px = widest_status (widget);
      metrics_cache.due_px = widest_due (widget);
      /* Runners' names are two to four Chinese characters, twice as wide as
       * the Latin ones that width-chars counts. */
      metrics_cache.runner_px = text_pixels (widget, "欧阳文静");
      metrics_cache.applicant_px = text_pixels (widget, "淄博博山示例建材有限公司");
      metrics_cache.line_px = line_pixels (widget, NULL);
      metrics_cache.chip_line_px = line_pixels (widget, chip_attributes ());
    }
  return &metrics_cache;
}

static int
column_width (const Metrics *metrics,
              int            column,
              int            width)
{
  int fixed = 0;

  if (column == PT_CASE_COLUMN_STATUS)
    return metrics->status_px;
  if (column == PT_CASE_COLUMN_DUE)
    return metrics->due_px;
  if (column == PT_CASE_COLUMN_RUNNER)
    return metrics->runner_px;
  if (column == PT_CASE_COLUMN_APPLICANT)
    return metrics->applicant_px;
  if (column != PT_CASE_COLUMN_ITEMS)
    return column_chars[column] * metrics->char_px;
  for (int i = 0; i < PT_CASE_N_COLUMNS; i++)
    if (i != PT_CASE_COLUMN_ITEMS)
      fixed += column_width (metrics, i, width) + SPACING;
  return MAX (0, width - fixed);
}

static int
content_height (const Metrics *metrics)
{
  return MAX (metrics->line_px, metrics->chip_line_px + 2 * CHIP_PAD_Y);
}

static void
pt_case_row_widget_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  const Metrics *metrics = get_metrics (widget);

  /* Never the texts: every row has the same size, whatever it shows. */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 0;
      for (int i = 0; i < PT_CASE_N_COLUMNS; i++)
        if (i != PT_CASE_COLUMN_ITEMS)
          *minimum += column_width (metrics, i, 0) + SPACING;
      *natural = *minimum + 20 * metrics->char_px;
    }
  else
    *minimum = *natural = content_height (metrics);
}

static gboolean
on_screen (PtCaseRowWidget *self)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t bounds;

  if (scroller == NULL || !gtk_widget_compute_bounds (GTK_WIDGET (self), scroller, &bounds))
    return TRUE;
  return bounds.origin.y + bounds.size.height > 0
         && bounds.origin.y < gtk_widget_get_height (scroller);
}

static void
lookup_color (GtkWidget  *widget,
              const char *name,
              GdkRGBA    *color)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (context, name, color))
    gtk_style_context_get_color (context, color);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static const char *
tone_name (PtCaseTone tone,
           gboolean      background)
{
  static const char *names[][2] = {
    { NULL, NULL },
    { "accent_color", "accent_bg_color" },
    { "success_color", "success_bg_color" },
    { "warning_color", "warning_bg_color" },
    { "error_color", "error_bg_color" },
  };

  return names[tone][background ? 1 : 0];
}

static PangoLayout *
ensure_layout (PtCaseRowWidget *self,
               int        column,
               int        width)
{
  PangoLayout *layout = self->layouts[column];

  if (layout == NULL)
    {
      layout = self->layouts[column] = gtk_widget_create_pango_layout (GTK_WIDGET (self),
                                                                       self->texts[column]);
      pango_layout_set_single_paragraph_mode (layout, TRUE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      if (column == PT_CASE_COLUMN_STATUS || self->header)
        pango_layout_set_attributes (layout, chip_attributes ());
      else if (column == PT_CASE_COLUMN_NUMBER || column == PT_CASE_COLUMN_DUE)
        pango_layout_set_attributes (layout, numeric_attributes ());
      self->layout_widths[column] = -1;
    }
  if (self->layout_widths[column] != width)
    {
      pango_layout_set_width (layout, width * PANGO_SCALE);
      self->layout_widths[column] = width;
    }
  return layout;
}

static void
clear_layouts (PtCaseRowWidget *self)
{
  for (int i = 0; i < PT_CASE_N_COLUMNS; i++)
    g_clear_object (&self->layouts[i]);
}

static void
pt_case_row_widget_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  PtCaseRowWidget *self = PT_CASE_ROW_WIDGET (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  const Metrics *metrics;
  GdkRGBA fg;
  int x = 0;

  /* GtkListView keeps rows above and below the visible ones; drawing them
   * would shape all their texts. pt_case_row_widget_uncull() brings them back. */
  self->culled = !on_screen (self);
  if (self->culled)
    return;

  metrics = get_metrics (widget);
  if (self->font_key != metrics->key)
    {
      clear_layouts (self);
      self->font_key = metrics->key;
    }
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS

  for (int i = 0; i < PT_CASE_N_COLUMNS; i++)
    {
      int column = column_width (metrics, i, width);
      PangoLayout *layout;
      int text_width, text_height;
      GdkRGBA color = fg;

      if (self->texts[i] == NULL || column <= 0)
        {
          x += column + SPACING;
          continue;
        }

      if (i == PT_CASE_COLUMN_STATUS && !self->header)
        {
          int chip_height = metrics->chip_line_px + 2 * CHIP_PAD_Y;
          graphene_rect_t rect = GRAPHENE_RECT_INIT (x, (height - chip_height) / 2, column, chip_height);
          GskRoundedRect rounded;
          GdkRGBA background;

          if (self->status_tone != PT_CASE_TONE_NONE)
            {
              lookup_color (widget, tone_name (self->status_tone, TRUE), &background);
              background.alpha *= self->status_tone == PT_CASE_TONE_WARNING ? 0.22 : 0.18;
              gsk_rounded_rect_init_from_rect (&rounded, &rect, chip_height / 2.0);
              gtk_snapshot_push_rounded_clip (snapshot, &rounded);
              gtk_snapshot_append_color (snapshot, &background, &rect);
              gtk_snapshot_pop (snapshot);
              lookup_color (widget, tone_name (self->status_tone, FALSE), &color);
            }
          layout = ensure_layout (self, i, column - 2 * CHIP_PAD_X);
          pango_layout_get_pixel_size (layout, &text_width, &text_height);
          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x + (column - text_width) / 2,
                                                                  (height - text_height) / 2));
          gtk_snapshot_append_layout (snapshot, layout, &color);
          gtk_snapshot_restore (snapshot);
          x += column + SPACING;
          continue;
        }

      if (i == PT_CASE_COLUMN_DUE && self->due_tone != PT_CASE_TONE_NONE)
        lookup_color (widget, tone_name (self->due_tone, FALSE), &color);
      layout = ensure_layout (self, i, column);
      pango_layout_get_pixel_size (layout, NULL, &text_height);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, (height - text_height) / 2));
      gtk_snapshot_append_layout (snapshot, layout, &color);
      gtk_snapshot_restore (snapshot);
      x += column + SPACING;
    }
}

static void
pt_case_row_widget_finalize (GObject *object)
{
  PtCaseRowWidget *self = PT_CASE_ROW_WIDGET (object);

  clear_layouts (self);
  for (int i = 0; i < PT_CASE_N_COLUMNS; i++)
    g_free (self->texts[i]);

  G_OBJECT_CLASS (pt_case_row_widget_parent_class)->finalize (object);
}

static void
pt_case_row_widget_class_init (PtCaseRowWidgetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = pt_case_row_widget_finalize;
  widget_class->measure = pt_case_row_widget_measure;
  widget_class->snapshot = pt_case_row_widget_snapshot;

  gtk_widget_class_set_css_name (widget_class, "caserow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
pt_case_row_widget_init (PtCaseRowWidget *self)
{
  gtk_widget_add_css_class (GTK_WIDGET (self), "case-row");
}

GtkWidget *
pt_case_row_widget_new (void)
{
  return g_object_new (PT_TYPE_CASE_ROW_WIDGET, NULL);
}

/* The column heads, drawn by the same code as the rows so that they line up
 * whatever the font: the same widths, plain text for the status. */
GtkWidget *
pt_case_row_widget_new_header (void)
{
  PtCaseRowWidget *self = g_object_new (PT_TYPE_CASE_ROW_WIDGET, NULL);
  const char *heads[PT_CASE_N_COLUMNS];

  heads[PT_CASE_COLUMN_NUMBER] = _("Case number");
  heads[PT_CASE_COLUMN_APPLICANT] = _("Applicant");
  heads[PT_CASE_COLUMN_ITEMS] = _("Items");
  heads[PT_CASE_COLUMN_RUNNER] = _("Runner");
  heads[PT_CASE_COLUMN_STATUS] = _("Status");
  heads[PT_CASE_COLUMN_DUE] = _("Due");
  self->header = TRUE;
  for (int i = 0; i < PT_CASE_N_COLUMNS; i++)
    self->texts[i] = g_strdup (heads[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self), "case-list-header");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Column heads"), -1);
  return GTK_WIDGET (self);
}

void
pt_case_row_widget_set_text (PtCaseRowWidget *self,
                      PtCaseColumn  column,
                      const char      *text)
{
  g_return_if_fail (PT_IS_CASE_ROW_WIDGET (self));
  g_return_if_fail (column < PT_CASE_N_COLUMNS);

  if (text != NULL && text[0] == '\0')
    text = NULL;
  if (g_strcmp0 (self->texts[column], text) == 0)
    return;
  g_free (self->texts[column]);
  self->texts[column] = g_strdup (text);
  /* The layout is made again when the row is drawn, if it is on screen. */
  g_clear_object (&self->layouts[column]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
pt_case_row_widget_set_tones (PtCaseRowWidget *self,
                       PtCaseTone  status,
                       PtCaseTone  due)
{
  g_return_if_fail (PT_IS_CASE_ROW_WIDGET (self));

  if (self->status_tone == status && self->due_tone == due)
    return;
  self->status_tone = status;
  self->due_tone = due;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
pt_case_row_widget_uncull (PtCaseRowWidget *self)
{
  g_return_if_fail (PT_IS_CASE_ROW_WIDGET (self));

  if (self->culled)
    {
      self->culled = FALSE;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}
