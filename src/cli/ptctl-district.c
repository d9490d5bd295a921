/* ptctl-district.c: paotuanctl units | runners */
#define G_LOG_DOMAIN "paotuanctl"

#include "ptctl.h"

int
ptctl_units (PtctlContext  *ctx,
             int            argc,
             char         **argv)
{
  g_autoptr(GError) error = NULL;
  int status = PTCTL_EXIT_OK;
  PtReference *reference;

  if (!ptctl_parse (ctx, NULL, "Lists the units of the district: code, level, name.", NULL, &argc, &argv, &status))
    return status;
  reference = ptctl_reference (ctx, &error);
  if (reference == NULL)
    return ptctl_fail (error);
  for (guint i = 0; i < pt_district_get_n_units (reference->district); i++)
    {
      const PtUnit *unit = pt_district_get_unit (reference->district, i);
      g_print ("%-16s %-9s %s\n", unit->code, pt_level_to_string (unit->level), unit->name);
    }
  return PTCTL_EXIT_OK;
}

int
ptctl_runners (PtctlContext  *ctx,
               int            argc,
               char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *unit_code = NULL;
  g_autoptr(GPtrArray) runners = NULL;
  int status = PTCTL_EXIT_OK;
  guint short_units = 0;
  PtStore *store;
  PtDistrict *district;
  GOptionEntry entries[] = {
    { "unit", 0, 0, G_OPTION_ARG_STRING, &unit_code, "Only this unit", "CODE" },
    { NULL }
  };

  if (!ptctl_parse (ctx, "[--unit CODE]",
                    "Lists the runners of each unit and warns where a unit has fewer than the seed\n"
                    "requires (district department 1, town 2, village 2).", entries, &argc, &argv, &status))
    return status;
  store = ptctl_store (ctx, FALSE, &error);
  if (store == NULL)
    return ptctl_fail (error);
  district = pt_store_get_reference (store)->district;
  runners = pt_store_list_runners (store, NULL, &error);
  if (runners == NULL)
    return ptctl_fail (error);

  for (guint i = 0; i < pt_district_get_n_units (district); i++)
    {
      const PtUnit *unit = pt_district_get_unit (district, i);
      guint have = 0, need = pt_unit_min_runners (unit);

      if (unit_code != NULL && g_strcmp0 (unit->code, unit_code) != 0)
        continue;
      for (guint j = 0; j < runners->len; j++)
        {
          PtRunner *runner = g_ptr_array_index (runners, j);
          if (g_strcmp0 (runner->unit, unit->code) == 0 && runner->active)
            have++;
        }
      g_print ("%s %s: %u runner%s%s\n", unit->code, unit->name, have, have == 1 ? "" : "s",
               have < need ? "" : "");
      if (have < need)
        {
          g_print ("  warning: fewer runners than the seed requires (%u): assign %u more.\n", need, need - have);
          short_units++;
        }
      for (guint j = 0; j < runners->len; j++)
        {
          PtRunner *runner = g_ptr_array_index (runners, j);
          if (g_strcmp0 (runner->unit, unit->code) == 0)
            g_print ("  %s %s  工号 %s  %s%s\n", runner->id, runner->name,
                     runner->staff_number ? runner->staff_number : "-",
                     runner->phone ? runner->phone : "-", runner->active ? "" : "  (inactive)");
        }
    }
  if (short_units > 0)
    g_print ("%u unit%s below the seed's minimum\n", short_units, short_units == 1 ? "" : "s");
  return PTCTL_EXIT_OK;
}
