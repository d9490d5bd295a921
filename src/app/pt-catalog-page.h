/* pt-catalog-page.h: the service items with their materials, fees and time limits. */
#pragma once

#include <adwaita.h>

#include "pt-desk.h"

G_BEGIN_DECLS

#define PT_TYPE_CATALOG_PAGE (pt_catalog_page_get_type ())
G_DECLARE_FINAL_TYPE (PtCatalogPage, pt_catalog_page, PT, CATALOG_PAGE, AdwBin)

void pt_catalog_page_set_desk (PtCatalogPage *self,
                               PtDesk        *desk);

G_END_DECLS
