/* pt-cases-page.h: the searchable, filterable list of every case. */
#pragma once

#include <adwaita.h>

#include "pt-case-list-model.h"
#include "pt-desk.h"

G_BEGIN_DECLS

#define PT_TYPE_CASES_PAGE (pt_cases_page_get_type ())
G_DECLARE_FINAL_TYPE (PtCasesPage, pt_cases_page, PT, CASES_PAGE, AdwBin)

GtkWidget       *pt_cases_page_new          (void);
void             pt_cases_page_set_desk     (PtCasesPage *self,
                                             PtDesk      *desk);
PtCaseListModel *pt_cases_page_get_model    (PtCasesPage *self);
void             pt_cases_page_focus_search (PtCasesPage *self);
void             pt_cases_page_reload       (PtCasesPage *self);

G_END_DECLS
