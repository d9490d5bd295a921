/* pt-document-layout.c: a small flow layout for A4 forms (cairo + pango -> PDF). */
#define G_LOG_DOMAIN "paotuan-documents"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include "pt-document-fonts.h"
#include "pt-document-layout.h"
#include "pt-error.h"

/* A4 in PostScript points. */
#define PAGE_WIDTH     595.276
#define PAGE_HEIGHT    841.890
#define MARGIN_LEFT    62.0
#define MARGIN_RIGHT   62.0
#define CONTENT_TOP    60.0
#define CONTENT_BOTTOM (PAGE_HEIGHT - 62.0)
#define CONTENT_WIDTH  (PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT)
#define HEAD_Y         30.0
#define FOOT_Y         (PAGE_HEIGHT - 44.0)

#define BODY_SIZE      10.5
#define CELL_SIZE      9.5
#define SMALL_SIZE     8.0
#define CELL_PAD       4.0
#define RULE_WIDTH     0.6
#define QR_SIZE        64.0
#define SIGNER_HEIGHT  118.0

typedef enum {
  EL_TITLE,
  EL_SUBTITLE,
  EL_SECTION,
  EL_PARAGRAPH,
  EL_PARAGRAPH_RIGHT,
  EL_CLAUSE,
  EL_SPACE,
  EL_TABLE,
  EL_SIGNER,
} ElementKind;

struct _PtLayoutTable {
  PtLayout  *owner;        /* whose canonical text the rows go to */
  guint      n_columns;
  double    *widths;       /* relative */
  char     **header;       /* NULL: no header row */
  guint      label_mask;
  guint      center_mask;
  GPtrArray *rows;         /* char ** (n_columns strings, or 1 for a wide row) */
  GArray    *wide;         /* RowKind per row */
};

typedef enum {
  ROW_NORMAL,
  ROW_WIDE,        /* one cell across the table */
  ROW_LABEL_SPAN,  /* a label cell, then one value cell across the rest */
} RowKind;

typedef struct {
  ElementKind    kind;
  char          *text;
  char          *label;
  double         space;
  PtSignerFlags  flags;
  PtLayoutTable *table;
} Element;

struct _PtLayout {
  GPtrArray *elements;
  GString   *canonical;
  char      *head_left;
  char      *head_right;
  char      *meta_title;
  char      *meta_author;
  char      *meta_subject;
  char      *meta_date;
  char      *qr_payload;
  char      *qr_caption;
  char      *body_family;
  char      *heading_family;
};

/* What the page breaker produces: drawing operations on numbered pages, drawn
 * once the page count is known (the footers need it). */
typedef enum {
  OP_TEXT,
  OP_STROKE_RECT,
  OP_FILL_RECT,
  OP_LINE,
  OP_DASHED_CIRCLE,
  OP_QR,
} OpKind;

typedef struct {
  OpKind       kind;
  guint        page;
  double       x, y, w, h;
  double       gray;
  PangoLayout *text;
} Op;

/* Body text is the body family at regular weight, headings (titles, table
 * headers, signers) the heading family in bold. */
typedef enum {
  FONT_BODY,
  FONT_HEADING,
  N_FONTS
} FontRole;

typedef struct {
  PtLayout     *layout;
  PangoContext *context;
  char         *families[N_FONTS];  /* what pango is asked for, per role */
  GArray       *ops;        /* Op */
  guint         page;
  double        y;
  gboolean      past_title; /* the first page's title band is done */
} Flow;

static void
table_free (PtLayoutTable *table)
{
  g_free (table->widths);
  g_strfreev (table->header);
  g_ptr_array_unref (table->rows);
  g_array_unref (table->wide);
  g_free (table);
}

static void
element_free (gpointer data)
{
  Element *el = data;

  g_free (el->text);
  g_free (el->label);
  if (el->table != NULL)
    table_free (el->table);
  g_free (el);
}

PtLayout *
pt_layout_new (void)
{
  PtLayout *layout = g_new0 (PtLayout, 1);

  layout->elements = g_ptr_array_new_with_free_func (element_free);
  layout->canonical = g_string_new (NULL);
  layout->body_family = g_strdup ("Noto Serif CJK SC");
  layout->heading_family = g_strdup ("Noto Sans CJK SC");
  return layout;
}

void
pt_layout_free (PtLayout *layout)
{
  if (layout == NULL)
    return;
  g_ptr_array_unref (layout->elements);
  g_string_free (layout->canonical, TRUE);
  g_free (layout->head_left);
  g_free (layout->head_right);
  g_free (layout->meta_title);
  g_free (layout->meta_author);
  g_free (layout->meta_subject);
  g_free (layout->meta_date);
  g_free (layout->qr_payload);
  g_free (layout->qr_caption);
  g_free (layout->body_family);
  g_free (layout->heading_family);
  g_free (layout);
}

void
pt_layout_set_running_head (PtLayout   *layout,
                            const char *left,
                            const char *right)
{
  g_free (layout->head_left);
  g_free (layout->head_right);
  layout->head_left = g_strdup (left);
  layout->head_right = g_strdup (right);
}

void
pt_layout_set_metadata (PtLayout   *layout,
                        const char *title,
                        const char *author,
                        const char *subject,
                        const char *date)
{
  g_free (layout->meta_title);
  g_free (layout->meta_author);
  g_free (layout->meta_subject);
  g_free (layout->meta_date);
  layout->meta_title = g_strdup (title);
  layout->meta_author = g_strdup (author);
  layout->meta_subject = g_strdup (subject);
  layout->meta_date = g_strdup (date);
}

void
pt_layout_set_fonts (PtLayout   *layout,
                     const char *body_family,
                     const char *heading_family)
{
  if (body_family != NULL)
    {
      g_free (layout->body_family);
      layout->body_family = g_strdup (body_family);
    }
  if (heading_family != NULL)
    {
      g_free (layout->heading_family);
      layout->heading_family = g_strdup (heading_family);
    }
}

void
pt_layout_add_canonical (PtLayout   *layout,
                         const char *text)
{
  g_string_append (layout->canonical, text != NULL ? text : "");
  g_string_append_c (layout->canonical, '\n');
}

const char *
pt_layout_get_canonical_text (PtLayout *layout)
{
  return layout->canonical->str;
}

static Element *
add_element (PtLayout    *layout,
             ElementKind  kind,
             const char  *text)
{
  Element *el = g_new0 (Element, 1);

  el->kind = kind;
  el->text = g_strdup (text != NULL ? text : "");
  g_ptr_array_add (layout->elements, el);
  if (kind != EL_SPACE && kind != EL_TABLE)
    pt_layout_add_canonical (layout, el->text);
  return el;
}

void
pt_layout_title (PtLayout   *layout,
                 const char *text)
{
  add_element (layout, EL_TITLE, text);
}

void
pt_layout_subtitle (PtLayout   *layout,
                    const char *text)
{
  add_element (layout, EL_SUBTITLE, text);
}

void
pt_layout_section (PtLayout   *layout,
                   const char *text)
{
  add_element (layout, EL_SECTION, text);
}

void
pt_layout_paragraph (PtLayout   *layout,
                     const char *text)
{
  add_element (layout, EL_PARAGRAPH, text);
}

void
pt_layout_paragraph_right (PtLayout   *layout,
                           const char *text)
{
  add_element (layout, EL_PARAGRAPH_RIGHT, text);
}

void
pt_layout_clause (PtLayout   *layout,
                  const char *label,
                  const char *text)
{
  Element *el;

  g_string_append (layout->canonical, label);
  el = add_element (layout, EL_CLAUSE, text);
  el->label = g_strdup (label);
}

void
pt_layout_space (PtLayout *layout,
                 double    points)
{
  Element *el = add_element (layout, EL_SPACE, NULL);

  el->space = points;
}

PtLayoutTable *
pt_layout_table (PtLayout     *layout,
                 guint         n_columns,
                 const double *widths)
{
  Element *el = add_element (layout, EL_TABLE, NULL);
  PtLayoutTable *table = g_new0 (PtLayoutTable, 1);

  g_assert (n_columns > 0 && n_columns <= 16);
  table->n_columns = n_columns;
  table->widths = g_memdup2 (widths, sizeof (double) * n_columns);
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  table->wide = g_array_new (FALSE, FALSE, sizeof (RowKind));
  table->owner = layout;
  el->table = table;
  return table;
}

static void
table_canonical (PtLayoutTable      *table,
                 const char * const *cells,
                 guint               n)
{
  GString *canonical = table->owner->canonical;

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (canonical, '\t');
      g_string_append (canonical, cells[i] != NULL ? cells[i] : "");
    }
  g_string_append_c (canonical, '\n');
}

void
pt_layout_table_set_header (PtLayoutTable      *table,
                            const char * const *cells)
{
  g_strfreev (table->header);
  table->header = g_new0 (char *, table->n_columns + 1);
  for (guint i = 0; i < table->n_columns; i++)
    table->header[i] = g_strdup (cells[i] != NULL ? cells[i] : "");
  table_canonical (table, cells, table->n_columns);
}

void
pt_layout_table_set_label_columns (PtLayoutTable *table,
                                   guint          mask)
{
  table->label_mask = mask;
}

void
pt_layout_table_set_center_columns (PtLayoutTable *table,
                                    guint          mask)
{
  table->center_mask = mask;
}

void
pt_layout_table_add_row (PtLayoutTable      *table,
                         const char * const *cells)
{
  char **row = g_new0 (char *, table->n_columns + 1);
  RowKind wide = ROW_NORMAL;

  for (guint i = 0; i < table->n_columns; i++)
    row[i] = g_strdup (cells[i] != NULL ? cells[i] : "");
  g_ptr_array_add (table->rows, row);
  g_array_append_val (table->wide, wide);
  table_canonical (table, cells, table->n_columns);
}

void
pt_layout_table_add_wide_row (PtLayoutTable *table,
                              const char    *text)
{
  char **row = g_new0 (char *, 2);
  RowKind wide = ROW_WIDE;

  row[0] = g_strdup (text != NULL ? text : "");
  g_ptr_array_add (table->rows, row);
  g_array_append_val (table->wide, wide);
  table_canonical (table, (const char * const *) row, 1);
}

void
pt_layout_table_add_span_row (PtLayoutTable *table,
                              const char    *label,
                              const char    *value)
{
  char **row = g_new0 (char *, 3);
  RowKind kind = ROW_LABEL_SPAN;

  row[0] = g_strdup (label != NULL ? label : "");
  row[1] = g_strdup (value != NULL ? value : "");
  g_ptr_array_add (table->rows, row);
  g_array_append_val (table->wide, kind);
  table_canonical (table, (const char * const *) row, 2);
}

void
pt_layout_signer (PtLayout      *layout,
                  const char    *label,
                  PtSignerFlags  flags)
{
  Element *el = add_element (layout, EL_SIGNER, label);

  el->flags = flags;
}

void
pt_layout_set_qr (PtLayout   *layout,
                  const char *payload,
                  const char *caption)
{
  g_free (layout->qr_payload);
  g_free (layout->qr_caption);
  layout->qr_payload = g_strdup (payload);
  layout->qr_caption = g_strdup (caption);
}

/* ---- page breaking ---------------------------------------------------- */

/* Turns the font's 'locl' feature off on every run of ASCII digits.
 *
 * Pango shapes a Latin run (an agreement number's "WT-", a USCC's letters)
 * without the zh-cn language, and there Noto CJK's 'locl' swaps the digits
 * for copies that no character maps to. cairo 1.16 builds a PDF's ToUnicode map
 * by looking each glyph up in the font's character map; for a glyph that is
 * not there it walks all 44,000 characters, once per digit and font in every
 * PDF, which was a sixth of an agreement's time. Without 'locl' the digits
 * are the character map's own, the glyphs a Chinese run already uses, so a
 * number looks the same wherever it stands. 'locl' changes nothing else of
 * a digit, and the rest of the text keeps it (dashes and quotes need it). */
static PangoAttrList *
digit_attributes (const char *text)
{
  PangoAttrList *list = NULL;
  const char *p = text;

  while (*p != '\0')
    {
      const char *start;
      PangoAttribute *attr;

      if (!g_ascii_isdigit (*p))
        {
          p++;
          continue;
        }
      start = p;
      while (g_ascii_isdigit (*p))
        p++;
      if (list == NULL)
        list = pango_attr_list_new ();
      attr = pango_attr_font_features_new ("locl 0");
      attr->start_index = (guint) (start - text);
      attr->end_index = (guint) (p - text);
      pango_attr_list_insert (list, attr);
    }
  return list;
}

static PangoLayout *
make_text (Flow           *flow,
           const char     *text,
           FontRole        role,
           double          size,
           double          width,
           PangoAlignment  align)
{
  PangoLayout *pl = pango_layout_new (flow->context);
  PangoFontDescription *desc = pango_font_description_new ();
  PangoAttrList *digits;

  pango_font_description_set_family (desc, flow->families[role]);
  pango_font_description_set_weight (desc, role == FONT_HEADING ? PANGO_WEIGHT_BOLD
                                                                : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_absolute_size (desc, size * PANGO_SCALE);
  pango_layout_set_font_description (pl, desc);
  pango_font_description_free (desc);
  if (width > 0)
    {
      pango_layout_set_width (pl, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (pl, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_set_alignment (pl, align);
  pango_layout_set_text (pl, text, -1);
  digits = digit_attributes (text);
  if (digits != NULL)
    {
      pango_layout_set_attributes (pl, digits);
      pango_attr_list_unref (digits);
    }
  return pl;
}

static double
text_height (PangoLayout *pl)
{
  int w, h;

  pango_layout_get_size (pl, &w, &h);
  return (double) h / PANGO_SCALE;
}

static double
text_width (PangoLayout *pl)
{
  int w, h;

  pango_layout_get_size (pl, &w, &h);
  return (double) w / PANGO_SCALE;
}

static void
push_op (Flow        *flow,
         OpKind       kind,
         double       x,
         double       y,
         double       w,
         double       h,
         double       gray,
         PangoLayout *text)
{
  Op op = { kind, flow->page, x, y, w, h, gray, text };

  g_array_append_val (flow->ops, op);
}

static void
new_page (Flow *flow)
{
  flow->page++;
  flow->y = CONTENT_TOP;
  flow->past_title = TRUE;
}

/* Leaves the first page's title band (title, numbers, QR) before the body. */
static void
leave_title_band (Flow *flow)
{
  if (flow->past_title)
    return;
  flow->past_title = TRUE;
  if (flow->layout->qr_payload != NULL)
    flow->y = MAX (flow->y, CONTENT_TOP + QR_SIZE + 14.0);
  flow->y += 6.0;
}

static void
ensure_room (Flow  *flow,
             double height)
{
  if (flow->y + height > CONTENT_BOTTOM && flow->y > CONTENT_TOP + 0.5)
    new_page (flow);
}

static void
place_text (Flow        *flow,
            PangoLayout *pl,
            double       x,
            double       space_after)
{
  double h = text_height (pl);

  ensure_room (flow, h);
  push_op (flow, OP_TEXT, x, flow->y, 0, 0, 0, pl);
  flow->y += h + space_after;
}

static void
flow_table (Flow          *flow,
            PtLayoutTable *table)
{
  double total = 0, x;
  double col_x[17], col_w[16];
  g_autoptr(GPtrArray) header = NULL;
  double header_h = 0;

  for (guint c = 0; c < table->n_columns; c++)
    total += table->widths[c];
  x = MARGIN_LEFT;
  for (guint c = 0; c < table->n_columns; c++)
    {
      col_x[c] = x;
      col_w[c] = CONTENT_WIDTH * table->widths[c] / total;
      x += col_w[c];
    }
  col_x[table->n_columns] = MARGIN_LEFT + CONTENT_WIDTH;

  if (table->header != NULL)
    {
      header = g_ptr_array_new ();
      for (guint c = 0; c < table->n_columns; c++)
        {
          PangoLayout *pl = make_text (flow, table->header[c], FONT_HEADING,
                                       CELL_SIZE, col_w[c] - 2 * CELL_PAD,
                                       PANGO_ALIGN_CENTER);
          g_ptr_array_add (header, pl);
          header_h = MAX (header_h, text_height (pl));
        }
      header_h += 2 * CELL_PAD;
    }

  for (guint r = 0; r <= table->rows->len; r++)
    {
      g_autoptr(GPtrArray) cells = g_ptr_array_new ();
      double row_h = 0;
      RowKind kind = ROW_NORMAL;
      guint n_cells = 0;
      double cell_x[16], cell_w[16];
      gboolean cell_label[16];
      char **row = NULL;
      gboolean draw_header;

      if (r < table->rows->len)
        {
          row = g_ptr_array_index (table->rows, r);
          kind = g_array_index (table->wide, RowKind, r);
          n_cells = kind == ROW_WIDE ? 1 : kind == ROW_LABEL_SPAN ? 2 : table->n_columns;
          for (guint c = 0; c < n_cells; c++)
            {
              gboolean label = kind != ROW_WIDE && (table->label_mask & (1u << c)) != 0;
              gboolean center = kind == ROW_NORMAL && (table->center_mask & (1u << c)) != 0;
              PangoLayout *pl;

              cell_x[c] = kind == ROW_WIDE ? MARGIN_LEFT : col_x[c];
              cell_w[c] = kind == ROW_WIDE ? CONTENT_WIDTH : col_w[c];
              if (kind == ROW_LABEL_SPAN && c == 1)
                cell_w[c] = MARGIN_LEFT + CONTENT_WIDTH - col_x[1];
              cell_label[c] = label;
              pl = make_text (flow, row[c], FONT_BODY,
                              CELL_SIZE, cell_w[c] - 2 * CELL_PAD,
                              center || label ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
              g_ptr_array_add (cells, pl);
              row_h = MAX (row_h, text_height (pl));
            }
          row_h += 2 * CELL_PAD;
          row_h = MAX (row_h, 20.0);
        }
      else if (r > 0)
        break;   /* done; an empty table still draws its header */

      /* The header goes at the table's top and again at the top of every
       * page the table continues onto. */
      draw_header = (r == 0);
      if (flow->y + row_h + (draw_header ? header_h : 0) > CONTENT_BOTTOM)
        {
          new_page (flow);
          draw_header = TRUE;
        }
      if (draw_header && header != NULL)
        {
          for (guint c = 0; c < table->n_columns; c++)
            {
              PangoLayout *pl = g_object_ref (g_ptr_array_index (header, c));
              push_op (flow, OP_FILL_RECT, col_x[c], flow->y, col_w[c], header_h, 0.88, NULL);
              push_op (flow, OP_TEXT, col_x[c] + CELL_PAD,
                       flow->y + (header_h - text_height (pl)) / 2, 0, 0, 0, pl);
              push_op (flow, OP_STROKE_RECT, col_x[c], flow->y, col_w[c], header_h, 0, NULL);
            }
          flow->y += header_h;
        }
      if (row == NULL)
        break;

      for (guint c = 0; c < cells->len; c++)
        {
          PangoLayout *pl = g_ptr_array_index (cells, c);

          if (cell_label[c])
            push_op (flow, OP_FILL_RECT, cell_x[c], flow->y, cell_w[c], row_h, 0.93, NULL);
          push_op (flow, OP_TEXT, cell_x[c] + CELL_PAD, flow->y + (row_h - text_height (pl)) / 2,
                   0, 0, 0, pl);
          push_op (flow, OP_STROKE_RECT, cell_x[c], flow->y, cell_w[c], row_h, 0, NULL);
        }
      flow->y += row_h;
    }
  if (header != NULL)
    for (guint c = 0; c < header->len; c++)
      g_object_unref (g_ptr_array_index (header, c));
  flow->y += 8.0;
}

/* Signers are laid out side by side, up to three in a row of boxes. */
static void
flow_signers (Flow      *flow,
              Element  **signers,
              guint      n)
{
  guint per_row = MIN (n, 3);
  double w = CONTENT_WIDTH / per_row;

  for (guint i = 0; i < n; i += per_row)
    {
      guint in_row = MIN (per_row, n - i);

      ensure_room (flow, SIGNER_HEIGHT);
      for (guint j = 0; j < in_row; j++)
        {
          Element *el = signers[i + j];
          double x = MARGIN_LEFT + j * w;
          double y = flow->y;
          double line_end = x + w - 8;
          PangoLayout *label = make_text (flow, el->text, FONT_HEADING, BODY_SIZE, w - 16,
                                          PANGO_ALIGN_LEFT);

          push_op (flow, OP_STROKE_RECT, x, y, w, SIGNER_HEIGHT, 0, NULL);
          push_op (flow, OP_TEXT, x + 8, y + 8, 0, 0, 0, label);

          if (el->flags & PT_SIGNER_FINGERPRINT)
            {
              double box = 50;
              double bx = x + w - box - 8, by = y + 34;
              PangoLayout *cap = make_text (flow, "指印", FONT_BODY, SMALL_SIZE, box,
                                            PANGO_ALIGN_CENTER);

              push_op (flow, OP_STROKE_RECT, bx, by, box, box, 0.5, NULL);
              push_op (flow, OP_TEXT, bx, by + box - text_height (cap) - 2, 0, 0, 0, cap);
              line_end = bx - 8;
            }
          if (el->flags & PT_SIGNER_SEAL)
            {
              PangoLayout *cap = make_text (flow, "（盖章处）", FONT_BODY, SMALL_SIZE, 80,
                                            PANGO_ALIGN_CENTER);

              push_op (flow, OP_DASHED_CIRCLE, x + w / 2, y + 60, 30, 30, 0.55, NULL);
              push_op (flow, OP_TEXT, x + w / 2 - 40, y + 60 - text_height (cap) / 2,
                       0, 0, 0, cap);
            }
          else
            {
              push_op (flow, OP_LINE, x + 8, y + 84, line_end - (x + 8), 0, 0, NULL);
            }
          if (el->flags & PT_SIGNER_DATE)
            {
              PangoLayout *date = make_text (flow, "年　　月　　日", FONT_BODY,
                                             BODY_SIZE, w - 16, PANGO_ALIGN_RIGHT);

              push_op (flow, OP_TEXT, x + 8, y + SIGNER_HEIGHT - 8 - text_height (date),
                       0, 0, 0, date);
            }
        }
      flow->y += SIGNER_HEIGHT + 8;
    }
}

/* Room that the element after @index needs on the same page: a sentence
 * that introduces a table or the signatures must not end a page alone. */
static double
keep_with_next (PtLayout *layout,
                guint     index)
{
  Element *next;

  if (index + 1 >= layout->elements->len)
    return 0;
  next = g_ptr_array_index (layout->elements, index + 1);
  if (next->kind == EL_TABLE)
    return 56.0;
  if (next->kind == EL_SIGNER)
    return SIGNER_HEIGHT + 8.0;
  /* The issuer and date lines above the signatures stay with them. */
  if (next->kind == EL_PARAGRAPH_RIGHT)
    {
      double rest = keep_with_next (layout, index + 1);
      return rest > 0 ? 18.0 + rest : 0;
    }
  return 0;
}

static void
flow_elements (Flow *flow)
{
  PtLayout *layout = flow->layout;
  double title_width = CONTENT_WIDTH - 2 * (QR_SIZE + 10);

  for (guint i = 0; i < layout->elements->len; i++)
    {
      Element *el = g_ptr_array_index (layout->elements, i);
      PangoLayout *pl;

      if (el->kind != EL_TITLE && el->kind != EL_SUBTITLE)
        leave_title_band (flow);

      switch (el->kind)
        {
        case EL_TITLE:
          pl = make_text (flow, el->text, FONT_HEADING, 20, title_width,
                          PANGO_ALIGN_CENTER);
          flow->y += 4;
          place_text (flow, pl, MARGIN_LEFT + QR_SIZE + 10, 8);
          break;

        case EL_SUBTITLE:
          pl = make_text (flow, el->text, FONT_BODY, 10, title_width,
                          PANGO_ALIGN_CENTER);
          place_text (flow, pl, MARGIN_LEFT + QR_SIZE + 10, 3);
          break;

        case EL_SECTION:
          /* A heading never ends a page: keep it with some of what follows. */
          flow->y += 6;
          pl = make_text (flow, el->text, FONT_HEADING, 12, CONTENT_WIDTH,
                          PANGO_ALIGN_LEFT);
          /* ... and with what that keeps with: a heading, a sentence that
           * introduces a table, and the table's first rows go together. */
          ensure_room (flow, text_height (pl) +
                             MAX (48.0, keep_with_next (layout, i) +
                                        (keep_with_next (layout, i + 1) > 0 ? 24.0 + keep_with_next (layout, i + 1) : 0)));
          place_text (flow, pl, MARGIN_LEFT, 5);
          break;

        case EL_PARAGRAPH:
          pl = make_text (flow, el->text, FONT_BODY, BODY_SIZE, CONTENT_WIDTH,
                          PANGO_ALIGN_LEFT);
          pango_layout_set_indent (pl, (int) (2 * BODY_SIZE * PANGO_SCALE));
          pango_layout_set_line_spacing (pl, 1.3);
          ensure_room (flow, text_height (pl) + keep_with_next (layout, i));
          place_text (flow, pl, MARGIN_LEFT, 5);
          break;

        case EL_PARAGRAPH_RIGHT:
          pl = make_text (flow, el->text, FONT_BODY, BODY_SIZE, CONTENT_WIDTH,
                          PANGO_ALIGN_RIGHT);
          ensure_room (flow, text_height (pl) + keep_with_next (layout, i));
          place_text (flow, pl, MARGIN_LEFT, 4);
          break;

        case EL_CLAUSE:
          {
            PangoLayout *label = make_text (flow, el->label, FONT_BODY, BODY_SIZE, -1,
                                            PANGO_ALIGN_LEFT);
            double indent = MAX (text_width (label), 2.0 * BODY_SIZE) + 2;
            double h;

            pl = make_text (flow, el->text, FONT_BODY, BODY_SIZE,
                            CONTENT_WIDTH - indent - BODY_SIZE, PANGO_ALIGN_LEFT);
            pango_layout_set_line_spacing (pl, 1.3);
            h = text_height (pl);
            ensure_room (flow, h + keep_with_next (layout, i));
            push_op (flow, OP_TEXT, MARGIN_LEFT + BODY_SIZE, flow->y, 0, 0, 0, label);
            push_op (flow, OP_TEXT, MARGIN_LEFT + BODY_SIZE + indent, flow->y, 0, 0, 0, pl);
            flow->y += h + 4;
          }
          break;

        case EL_SPACE:
          flow->y += el->space;
          break;

        case EL_TABLE:
          flow_table (flow, el->table);
          break;

        case EL_SIGNER:
          {
            guint n = 0;

            while (i + n < layout->elements->len &&
                   ((Element *) g_ptr_array_index (layout->elements, i + n))->kind == EL_SIGNER)
              n++;
            flow_signers (flow, (Element **) &layout->elements->pdata[i], n);
            i += n - 1;
          }
          break;

        default:
          g_assert_not_reached ();
        }
    }
}

/* ---- drawing ----------------------------------------------------------- */

/* Pixels per module of the QR code's mask. */
#define QR_PIXELS 8

static void
set_mask_pixel (guint32 *row,
                int      x)
{
  /* CAIRO_FORMAT_A1 packs pixels into 32-bit words in the machine's order. */
  if (G_BYTE_ORDER == G_LITTLE_ENDIAN)
    row[x / 32] |= 1u << (x % 32);
  else
    row[x / 32] |= 1u << (31 - x % 32);
}

/* The QR code is painted black through a one-bit mask of its modules: one
 * small stencil image in the PDF. As rectangles it was some 450 paths whose
 * every corner cairo printed as a number and compressed, half of the first
 * page's content stream. Nearest-pixel filtering (no interpolation in the
 * PDF) and eight pixels a module keep the edges sharp at any zoom. */
static void
draw_qr (cairo_t    *cr,
         const char *payload,
         double      x,
         double      y,
         double      size)
{
  QRcode *qr = QRcode_encodeString (payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  cairo_surface_t *mask;
  cairo_pattern_t *pattern;
  guint8 *pixels;
  double module;
  int side, stride;

  if (qr == NULL)
    {
      g_warning ("Could not encode the QR code of a document");
      return;
    }
  side = qr->width * QR_PIXELS;
  stride = cairo_format_stride_for_width (CAIRO_FORMAT_A1, side);
  pixels = g_malloc0 ((gsize) stride * side);
  for (int r = 0; r < qr->width; r++)
    for (int c = 0; c < qr->width; c++)
      {
        if (!(qr->data[r * qr->width + c] & 1))
          continue;
        for (int py = r * QR_PIXELS; py < (r + 1) * QR_PIXELS; py++)
          for (int px = c * QR_PIXELS; px < (c + 1) * QR_PIXELS; px++)
            set_mask_pixel ((guint32 *) (pixels + (gsize) py * stride), px);
      }
  mask = cairo_image_surface_create_for_data (pixels, CAIRO_FORMAT_A1, side, side, stride);

  /* Two modules of quiet zone on each side; scanners need some. */
  module = size / (qr->width + 4);
  cairo_save (cr);
  cairo_translate (cr, x + 2 * module, y + 2 * module);
  cairo_scale (cr, module / QR_PIXELS, module / QR_PIXELS);
  pattern = cairo_pattern_create_for_surface (mask);
  cairo_pattern_set_filter (pattern, CAIRO_FILTER_NEAREST);
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_mask (cr, pattern);
  cairo_restore (cr);

  cairo_pattern_destroy (pattern);
  cairo_surface_finish (mask);
  cairo_surface_destroy (mask);
  g_free (pixels);
  QRcode_free (qr);
}

static void
draw_op (cairo_t  *cr,
         const Op *op)
{
  cairo_save (cr);
  switch (op->kind)
    {
    case OP_TEXT:
      cairo_set_source_rgb (cr, op->gray, op->gray, op->gray);
      cairo_move_to (cr, op->x, op->y);
      pango_cairo_show_layout (cr, op->text);
      break;

    case OP_FILL_RECT:
      cairo_set_source_rgb (cr, op->gray, op->gray, op->gray);
      cairo_rectangle (cr, op->x, op->y, op->w, op->h);
      cairo_fill (cr);
      break;

    case OP_STROKE_RECT:
      cairo_set_source_rgb (cr, op->gray, op->gray, op->gray);
      cairo_set_line_width (cr, RULE_WIDTH);
      cairo_rectangle (cr, op->x, op->y, op->w, op->h);
      cairo_stroke (cr);
      break;

    case OP_LINE:
      cairo_set_source_rgb (cr, op->gray, op->gray, op->gray);
      cairo_set_line_width (cr, RULE_WIDTH);
      cairo_move_to (cr, op->x, op->y);
      cairo_line_to (cr, op->x + op->w, op->y + op->h);
      cairo_stroke (cr);
      break;

    case OP_DASHED_CIRCLE:
      {
        static const double dash[] = { 3.0, 2.5 };

        cairo_set_source_rgb (cr, op->gray, op->gray, op->gray);
        cairo_set_line_width (cr, RULE_WIDTH);
        cairo_set_dash (cr, dash, 2, 0);
        cairo_new_path (cr);
        cairo_arc (cr, op->x, op->y, op->w, 0, 2 * G_PI);
        cairo_stroke (cr);
      }
      break;

    case OP_QR:
    default:
      break;
    }
  cairo_restore (cr);
}

static void
draw_page_frame (Flow    *flow,
                 cairo_t *cr,
                 guint    page,
                 guint    n_pages)
{
  PtLayout *layout = flow->layout;
  g_autofree char *footer = g_strdup_printf ("第 %u 页 共 %u 页", page + 1, n_pages);
  g_autoptr(PangoLayout) foot = make_text (flow, footer, FONT_BODY, 9,
                                            CONTENT_WIDTH, PANGO_ALIGN_CENTER);

  cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
  if (layout->head_left != NULL)
    {
      g_autoptr(PangoLayout) left = make_text (flow, layout->head_left, FONT_BODY,
                                                SMALL_SIZE, CONTENT_WIDTH / 2,
                                                PANGO_ALIGN_LEFT);
      pango_layout_set_ellipsize (left, PANGO_ELLIPSIZE_END);
      cairo_move_to (cr, MARGIN_LEFT, HEAD_Y);
      pango_cairo_show_layout (cr, left);
    }
  if (layout->head_right != NULL)
    {
      g_autoptr(PangoLayout) right = make_text (flow, layout->head_right, FONT_BODY,
                                                 SMALL_SIZE, CONTENT_WIDTH / 2,
                                                 PANGO_ALIGN_RIGHT);
      pango_layout_set_ellipsize (right, PANGO_ELLIPSIZE_START);
      cairo_move_to (cr, MARGIN_LEFT + CONTENT_WIDTH / 2, HEAD_Y);
      pango_cairo_show_layout (cr, right);
    }
  cairo_set_line_width (cr, 0.4);
  cairo_move_to (cr, MARGIN_LEFT, HEAD_Y + 14);
  cairo_line_to (cr, MARGIN_LEFT + CONTENT_WIDTH, HEAD_Y + 14);
  cairo_stroke (cr);

  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_move_to (cr, MARGIN_LEFT, FOOT_Y);
  pango_cairo_show_layout (cr, foot);

  if (page == 0 && layout->qr_payload != NULL)
    {
      double qx = MARGIN_LEFT + CONTENT_WIDTH - QR_SIZE;

      draw_qr (cr, layout->qr_payload, qx, CONTENT_TOP - 4, QR_SIZE);
      if (layout->qr_caption != NULL)
        {
          g_autoptr(PangoLayout) cap = make_text (flow, layout->qr_caption, FONT_BODY,
                                                   7, QR_SIZE + 20, PANGO_ALIGN_CENTER);
          cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
          cairo_move_to (cr, qx - 10, CONTENT_TOP - 4 + QR_SIZE);
          pango_cairo_show_layout (cr, cap);
        }
    }
}

static cairo_status_t
write_bytes_cb (void                *closure,
                const unsigned char *data,
                unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* cairo gives every page a transparency group (/Group << /S /Transparency
 * >>), although nothing on these pages is transparent. CUPS's filters
 * (pdftopdf, Ghostscript) then rasterize each page: the paper gets a
 * 300 dpi picture without text or fonts. Blanking the group's dictionary
 * with spaces keeps every byte offset, so the cross-reference table stays
 * right. Returns how many groups were blanked. */
static const char page_group[] =
  "   /Group <<\n"
  "      /Type /Group\n"
  "      /S /Transparency\n"
  "      /I true\n"
  "      /CS /DeviceRGB\n"
  "   >>\n";

guint
pt_layout_drop_page_groups (guint8 *pdf,
                            gsize   length)
{
  gsize n = strlen (page_group);
  guint dropped = 0;

  for (gsize i = 0; n <= length && i <= length - n; i++)
    if (pdf[i] == ' ' && memcmp (pdf + i, page_group, n) == 0)
      {
        for (gsize k = i; k < i + n; k++)
          if (pdf[k] != '\n')
            pdf[k] = ' ';
        dropped++;
        i += n - 1;
      }
  return dropped;
}

GBytes *
pt_layout_render_pdf (PtLayout  *layout,
                      guint     *n_pages,
                      GError   **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  cairo_font_options_t *options;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  Flow flow = { 0 };
  PangoFontMap *font_map;
  guint pages;

  flow.layout = layout;
  flow.families[FONT_BODY] = pt_document_fonts_family (layout->body_family, FALSE);
  flow.families[FONT_HEADING] = pt_document_fonts_family (layout->heading_family, TRUE);
  font_map = pt_document_fonts_get_font_map ();
  flow.context = pango_font_map_create_context (font_map);
  flow.ops = g_array_new (FALSE, FALSE, sizeof (Op));
  flow.y = CONTENT_TOP;
  /* Unhinted metrics at 72 dpi: one unit is one point, and a line breaks at
   * the same place in the PDF, in the preview and on paper. */
  pango_cairo_context_set_resolution (flow.context, 72.0);
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (flow.context, options);
  cairo_font_options_destroy (options);
  pango_context_set_round_glyph_positions (flow.context, FALSE);
  pango_context_set_language (flow.context, pango_language_from_string ("zh-cn"));

  flow_elements (&flow);
  pages = flow.page + 1;

  surface = cairo_pdf_surface_create_for_stream (write_bytes_cb, bytes, PAGE_WIDTH, PAGE_HEIGHT);
  if (layout->meta_title != NULL)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, layout->meta_title);
  if (layout->meta_author != NULL)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, layout->meta_author);
  if (layout->meta_subject != NULL)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT, layout->meta_subject);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Paotuan");
  {
    /* The document's own business date, never the wall clock: the same case
     * and template give the same bytes. */
    g_autofree char *stamp = g_strdup_printf ("%sT00:00:00+08:00",
                                              layout->meta_date != NULL ? layout->meta_date
                                                                        : "2000-01-01");
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, stamp);
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_MOD_DATE, stamp);
  }

  cr = cairo_create (surface);
  for (guint p = 0, o = 0; p < pages; p++)
    {
      draw_page_frame (&flow, cr, p, pages);
      for (; o < flow.ops->len; o++)
        {
          const Op *op = &g_array_index (flow.ops, Op, o);
          if (op->page != p)
            break;
          draw_op (cr, op);
        }
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  for (guint o = 0; o < flow.ops->len; o++)
    g_clear_object (&g_array_index (flow.ops, Op, o).text);
  g_array_unref (flow.ops);
  g_object_unref (flow.context);
  for (guint f = 0; f < N_FONTS; f++)
    g_free (flow.families[f]);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("Could not draw the PDF: %s"), cairo_status_to_string (status));
      return NULL;
    }
  if (n_pages != NULL)
    *n_pages = pages;
  if (pt_layout_drop_page_groups (bytes->data, bytes->len) != pages)
    g_warning ("cairo wrote the pages' transparency groups differently: printing may rasterize them");
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}
