/* pt-today-page.h: what needs doing today: conflicts, overdue, due soon, visits. */
#pragma once

#include <adwaita.h>

#include "pt-desk.h"

G_BEGIN_DECLS

#define PT_TYPE_TODAY_PAGE (pt_today_page_get_type ())
G_DECLARE_FINAL_TYPE (PtTodayPage, pt_today_page, PT, TODAY_PAGE, AdwBin)

void pt_today_page_set_desk (PtTodayPage *self,
                             PtDesk      *desk);
void pt_today_page_reload   (PtTodayPage *self);
/* What needs doing today, once the page's queries are in (notify::n-attention). */
guint pt_today_page_get_n_attention (PtTodayPage *self);

G_END_DECLS
