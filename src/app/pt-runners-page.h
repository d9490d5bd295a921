/* pt-runners-page.h: the roster per unit, against the seed's minimum counts. */
#pragma once

#include <adwaita.h>

#include "pt-desk.h"

G_BEGIN_DECLS

#define PT_TYPE_RUNNERS_PAGE (pt_runners_page_get_type ())
G_DECLARE_FINAL_TYPE (PtRunnersPage, pt_runners_page, PT, RUNNERS_PAGE, AdwBin)

void pt_runners_page_set_desk (PtRunnersPage *self,
                               PtDesk        *desk);

G_END_DECLS
