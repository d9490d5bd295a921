/* ptctl-district.c: paotuanctl units | runners */
#define G_LOG_DOMAIN "paotuanctl"

#include <glib/gi18n-lib.h>

#include "pt-roster.h"
#include "ptctl.h"

static JsonNode *
unit_to_json (const PtUnit *unit)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
#define STR(name, value) json_builder_set_member_name (b, name); \
  if (value) json_builder_add_string_value (b, value); else json_builder_add_null_value (b);
  STR ("code", unit->code);
  STR ("name", unit->name);
  STR ("short_name", unit->short_name);
  STR ("kind", pt_unit_kind_to_string (unit->kind));
  STR ("level", pt_level_to_string (unit->level));
  STR ("parent", unit->parent);
  STR ("center_name", unit->center_name);
  STR ("address", unit->address);
  STR ("hotline", unit->hotline);
  STR ("hours", unit->hours);
#undef STR
  if (unit->has_location)
    {
      json_builder_set_member_name (b, "latitude");
      json_builder_add_double_value (b, unit->latitude);
      json_builder_set_member_name (b, "longitude");
      json_builder_add_double_value (b, unit->longitude);
    }
  json_builder_set_member_name (b, "min_runners");
  json_builder_add_int_value (b, pt_unit_min_runners (unit));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

int
ptctl_units (PtctlContext  *ctx,
             int            argc,
             char         **argv)
{
  g_autoptr(GError) error = NULL;
  int status = PTCTL_EXIT_OK;
  gboolean json = FALSE;
  PtReference *reference;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON, with each unit's service center"), NULL },
    { NULL }
  };

  if (!ptctl_parse (ctx, "[--json]", _("Lists the units of the district: code, level, name and service center."),
                    entries, &argc, &argv, &status))
    return status;
  reference = ptctl_reference (ctx, &error);
  if (reference == NULL)
    return ptctl_fail (error);
  if (json)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      g_autofree char *text = NULL;

      for (guint i = 0; i < pt_district_get_n_units (reference->district); i++)
        json_array_add_element (array, unit_to_json (pt_district_get_unit (reference->district, i)));
      json_node_set_array (root, array);
      text = json_to_string (root, TRUE);
      g_print ("%s\n", text);
      return PTCTL_EXIT_OK;
    }
  for (guint i = 0; i < pt_district_get_n_units (reference->district); i++)
    {
      const PtUnit *unit = pt_district_get_unit (reference->district, i);

      if (unit->center_name != NULL)
        g_print ("%-16s %-9s %s（%s）\n", unit->code, pt_level_to_string (unit->level), unit->name,
                 unit->center_name);
      else
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
  gboolean json = FALSE;
  guint short_units = 0;
  PtStore *store;
  PtDistrict *district;
  GOptionEntry entries[] = {
    { "unit", 0, 0, G_OPTION_ARG_STRING, &unit_code, N_("Only this unit"), N_("CODE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the runners as a roster (runners.json, the format paotuan-server runners import reads)"), NULL },
    { NULL }
  };

  if (!ptctl_parse (ctx, "[--unit CODE] [--json]",
                    _("Lists this desk's runners per unit and says where a unit has fewer on duty\n"
                      "than the seed requires (district department 1, town 2, village 2). The\n"
                      "runners come from the district's roster when the desk syncs."),
                    entries, &argc, &argv, &status))
    return status;
  store = ptctl_store (ctx, FALSE, &error);
  if (store == NULL)
    return ptctl_fail (error);
  district = pt_store_get_reference (store)->district;
  if (unit_code != NULL && pt_district_lookup (district, unit_code) == NULL)
    {
      g_printerr (_("paotuanctl: no unit %s in the district: `paotuanctl units` lists them.\n"), unit_code);
      return PTCTL_EXIT_NO;
    }
  runners = pt_store_list_runners (store, unit_code, &error);
  if (runners == NULL)
    return ptctl_fail (error);

  if (json)
    {
      g_autofree char *text = pt_roster_to_json (runners);

      g_print ("%s\n", text);
      return PTCTL_EXIT_OK;
    }

  for (guint i = 0; i < pt_district_get_n_units (district); i++)
    {
      const PtUnit *unit = pt_district_get_unit (district, i);
      guint have = pt_roster_count_on_duty (runners, unit->code);
      guint need = pt_unit_min_runners (unit);

      if (unit_code != NULL && g_strcmp0 (unit->code, unit_code) != 0)
        continue;
      if (need > 0)
        g_print (_("%s %s: %u on duty, at least %u required\n"), unit->code, unit->name, have, need);
      else
        g_print (_("%s %s: %u on duty\n"), unit->code, unit->name, have);
      for (guint j = 0; j < runners->len; j++)
        {
          PtRunner *runner = g_ptr_array_index (runners, j);

          if (g_strcmp0 (runner->unit, unit->code) == 0)
            g_print ("  %s\t%s\t%s\t%s%s\n", runner->id, runner->name,
                     runner->staff_number ? runner->staff_number : "-",
                     runner->phone ? runner->phone : "-", runner->active ? "" : _("\tretired"));
        }
      if (have < need)
        {
          g_print (_("  below the seed's minimum: add %u more on-duty runners\n"), need - have);
          short_units++;
        }
    }
  if (short_units > 0)
    g_print (_("Units below the seed's minimum of runners: %u\n"), short_units);
  return PTCTL_EXIT_OK;
}
