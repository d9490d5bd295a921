/* fuzz-reference.c: the district's reference data as the server sends it:
 * the catalog, the district's units and the roster of runners. */
#include "pt-fuzz.h"

#include "pt-catalog.h"
#include "pt-district.h"
#include "pt-json.h"
#include "pt-roster.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) root = pt_json_parse ((const char *) data, (gssize) size, NULL);
  PtCatalog *catalog;
  PtDistrict *district;
  GPtrArray *roster;

  if (root == NULL)
    return 0;
  catalog = pt_catalog_new ();
  if (pt_catalog_load_json (catalog, root, NULL))
    for (guint i = 0; i < pt_catalog_get_n_items (catalog); i++)
      {
        g_ptr_array_unref (pt_catalog_search (catalog, pt_catalog_get_item (catalog, i)->name));
        pt_catalog_check_scope (pt_catalog_get_item (catalog, i), PT_LEVEL_VILLAGE, NULL, NULL);
      }
  pt_catalog_free (catalog);
  district = pt_district_new ();
  if (pt_district_load_json (district, root, NULL))
    {
      for (guint i = 0; i < pt_district_get_n_units (district); i++)
        (void) pt_district_is_within (district, pt_district_get_unit (district, i)->code, "370304");
      /* A roster against the district the same bytes describe. */
      roster = pt_roster_parse (root, district, NULL);
      g_clear_pointer (&roster, g_ptr_array_unref);
    }
  pt_district_free (district);
  return 0;
}
