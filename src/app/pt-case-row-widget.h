/* pt-case-row-widget.h: one row of the Cases list, drawn as a single widget.
 *
 * GtkListView keeps about 200 row widgets alive. A row made of six labels
 * lays out and shapes all six texts of all 200 rows whenever a search
 * changes them; this widget only stores the texts, has a height that does
 * not depend on them, and shapes them when it is drawn on screen.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum {
  PT_CASE_COLUMN_NUMBER,
  PT_CASE_COLUMN_APPLICANT,
  PT_CASE_COLUMN_ITEMS,
  PT_CASE_COLUMN_RUNNER,
  PT_CASE_COLUMN_STATUS,
  PT_CASE_COLUMN_DUE,
  PT_CASE_N_COLUMNS
} PtCaseColumn;

/* How a text is coloured: plain, or one of libadwaita's named colours. */
typedef enum {
  PT_CASE_TONE_NONE,
  PT_CASE_TONE_ACCENT,
  PT_CASE_TONE_SUCCESS,
  PT_CASE_TONE_WARNING,
  PT_CASE_TONE_ERROR
} PtCaseTone;

#define PT_TYPE_CASE_ROW_WIDGET (pt_case_row_widget_get_type ())
G_DECLARE_FINAL_TYPE (PtCaseRowWidget, pt_case_row_widget, PT, CASE_ROW_WIDGET, GtkWidget)

GtkWidget *pt_case_row_widget_new       (void);
GtkWidget *pt_case_row_widget_new_header (void);
/* Sets the text of a column (NULL: empty); redraws only when it changed. */
void       pt_case_row_widget_set_text  (PtCaseRowWidget *self,
                                         PtCaseColumn     column,
                                         const char      *text);
/* The colour of the status chip and of the due date. */
void       pt_case_row_widget_set_tones (PtCaseRowWidget *self,
                                         PtCaseTone       status,
                                         PtCaseTone       due);
/* A row skips drawing while it is outside its scrolled window; call this
 * when the visible part of the list moved, so that it draws again. */
void       pt_case_row_widget_uncull    (PtCaseRowWidget *self);

G_END_DECLS
