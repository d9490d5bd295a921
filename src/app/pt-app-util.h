/* pt-app-util.h: small formatting helpers shared by the pages. */
#pragma once

#include <gtk/gtk.h>

#include "pt-calendar.h"
#include "pt-case-state.h"

G_BEGIN_DECLS

/* "剩余 4 个工作日" / "已超期 2 个工作日" / "今日到期" for @due seen from @today;
 * NULL when @due is NULL; "（暂定）" added when @provisional (counted through
 * a year without a holiday table). @overdue and @soon (within 3 working days)
 * may be NULL. */
char       *pt_format_due          (PtCalendar *calendar,
                                    const char *today,
                                    const char *due,
                                    gboolean    provisional,
                                    gboolean   *overdue,
                                    gboolean   *soon);
/* Before GTK starts: on a machine without a GPU (no /dev/dri), asks GTK
 * for its cairo renderer unless GSK_RENDERER says otherwise. */
void        pt_app_choose_renderer (void);
/* "Overdue by N working days" or "N working days left". */
char       *pt_format_due_days     (int         days,
                                    gboolean    overdue);
/* The style class of a status chip: accent, success, warning or error. */
const char *pt_status_style_class  (PtCaseStatus status);
/* Removes every child of a GtkBox or GtkListBox. */
void        pt_remove_all_children (GtkWidget *container);
/* A label with the given style classes (NULL-terminated). */
GtkWidget  *pt_label_new           (const char *text,
                                    const char *first_class,
                                    ...);
/* @time (any zone) as Beijing wall time in strftime @format; "" for NULL.
 * The desks keep UTC and speak Beijing time, whatever the machine's zone. */
char       *pt_format_beijing      (GDateTime  *time,
                                    const char *format);
/* When the desk last synced, in Beijing time and in words, seen at @now_ms:
 * "10:57 同步", "昨天 16:20 同步", "3 天前同步", "11月28日同步"; "尚未同步"
 * for 0. */
char       *pt_format_sync_time    (gint64      then_ms,
                                    gint64      now_ms);
/* The translated name of a 好差评 grade, 5 非常满意 … 1 非常不满意; NULL
 * outside 1..5. */
const char *pt_grade_label         (int         grade);
/* Names the toggle button inside a GtkDropDown or GtkMenuButton: GTK 4.8
 * gives screen readers that inner button, named only "GtkToggleButton". */
void        pt_name_inner_button   (GtkWidget  *widget,
                                    const char *name);
/* Formats fen as "12.50 元". */
char       *pt_format_fen          (gint64 fen);
/* The translated label of an applicant channel, vulnerable group, ... code. */
const char *pt_channel_label       (const char *code);
const char *pt_vulnerable_label    (const char *code);

G_END_DECLS

G_BEGIN_DECLS
/* English msgids for the core's enums, translated through gettext. */
const char *pt_ui_status_label      (PtCaseStatus status);
const char *pt_ui_step_status_label (PtStepStatus status);
const char *pt_ui_mode_label        (PtStepMode mode);
const char *pt_ui_level_label       (PtLevel level);
const char *pt_ui_event_label       (PtEventType type);
/* Shows @message in the window's toast overlay. */
void        pt_toast                (GtkWidget *widget,
                                     const char *message);
/* A GtkEntry with a visible title and the title as its accessible name. */
GtkWidget  *pt_entry_row_new        (const char *title,
                                     GtkWidget **entry_out);
G_END_DECLS
