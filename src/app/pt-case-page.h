/* pt-case-page.h: one case: its steps, its timeline and the actions allowed now. */
#pragma once

#include <adwaita.h>

#include "pt-desk.h"

G_BEGIN_DECLS

#define PT_TYPE_CASE_PAGE (pt_case_page_get_type ())
G_DECLARE_FINAL_TYPE (PtCasePage, pt_case_page, PT, CASE_PAGE, AdwBin)

GtkWidget   *pt_case_page_new        (void);
void         pt_case_page_set_desk   (PtCasePage *self,
                                      PtDesk     *desk);
/* Loads a case by number or id and shows it. */
void         pt_case_page_load       (PtCasePage *self,
                                      const char *number_or_id);
/* Reads the case shown again (after a sync), unless the clerk has a form
 * open. A case this desk no longer holds (transferred away) emits "gone". */
void         pt_case_page_refresh    (PtCasePage *self);
/* The case shown, or NULL. */
const char  *pt_case_page_get_number (PtCasePage *self);

/* The label of the primary button, or NULL when it is hidden; for tests. */
const char  *pt_case_page_get_primary_label (PtCasePage *self);

/* The actions the case page offers for @state: the step actions per step
 * and the case actions. Returns an array of "type" or "type:step" strings
 * (event type names, docs/events.md); for tests. */
GPtrArray   *pt_case_page_list_actions (const PtCaseState *state);

G_END_DECLS
