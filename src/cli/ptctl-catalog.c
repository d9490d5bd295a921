/* ptctl-catalog.c: paotuanctl catalog list | check */
#define G_LOG_DOMAIN "paotuanctl"

#include <glib/gi18n-lib.h>

#include "pt-error.h"
#include "pt-json.h"
#include "ptctl.h"

static JsonNode *
item_to_json (const PtCatalogItem *item)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, item->code);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, item->name);
  json_builder_set_member_name (b, "category");
  json_builder_add_string_value (b, item->category);
  json_builder_set_member_name (b, "department");
  json_builder_add_string_value (b, item->department);
  json_builder_set_member_name (b, "level");
  json_builder_add_string_value (b, pt_level_to_string (item->level));
  json_builder_set_member_name (b, "limit_days");
  json_builder_add_int_value (b, item->limit_days);
  json_builder_set_member_name (b, "in_person");
  json_builder_add_boolean_value (b, item->in_person);
  json_builder_set_member_name (b, "materials");
  json_builder_begin_array (b);
  for (guint i = 0; i < item->materials->len; i++)
    {
      PtCatalogMaterial *m = g_ptr_array_index (item->materials, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, m->name);
      json_builder_set_member_name (b, "form");
      json_builder_add_string_value (b, m->original ? "original" : "copy");
      json_builder_set_member_name (b, "count");
      json_builder_add_int_value (b, m->count);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "fees");
  json_builder_begin_array (b);
  for (guint i = 0; i < item->fees->len; i++)
    {
      PtCatalogFee *f = g_ptr_array_index (item->fees, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, f->name);
      json_builder_set_member_name (b, "amount_fen");
      json_builder_add_int_value (b, f->amount_fen);
      json_builder_set_member_name (b, "basis");
      json_builder_add_string_value (b, f->basis);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static int
catalog_list (PtctlContext  *ctx,
              int            argc,
              char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *level_text = NULL;
  gboolean json = FALSE;
  int status = PTCTL_EXIT_OK;
  PtLevel level = PT_LEVEL_DISTRICT;
  PtReference *reference;
  GOptionEntry entries[] = {
    { "level", 0, 0, G_OPTION_ARG_STRING, &level_text, N_("Only items of this level"), "district|town|village" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(JsonArray) array = json_array_new ();

  if (!ptctl_parse (ctx, "list [--level LEVEL] [--json]", N_("Lists the service catalog."), entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return ptctl_usage_error (_("catalog list takes no arguments."));
  if (level_text != NULL && !pt_level_from_string (level_text, &level))
    return ptctl_usage_error (_("--level must be district, town or village."));
  reference = ptctl_reference (ctx, &error);
  if (reference == NULL)
    return ptctl_fail (error);

  for (guint i = 0; i < pt_catalog_get_n_items (reference->catalog); i++)
    {
      const PtCatalogItem *item = pt_catalog_get_item (reference->catalog, i);

      if (level_text != NULL && item->level != level)
        continue;
      if (json)
        json_array_add_element (array, item_to_json (item));
      else
        {
          g_autofree char *days = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u working day", "%u working days",
                                                                item->limit_days),
                                                   item->limit_days);
          g_autofree char *where = g_strdup_printf (_("%s (%s)"), item->name, item->department);

          g_print ("%-12s %-8s %s  %s%s\n", item->code, pt_level_name (item->level), days, where,
                   item->in_person ? _("  [in person]") : "");
        }
    }
  if (json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      g_autofree char *text = NULL;
      json_node_set_array (root, array);
      text = json_to_string (root, TRUE);
      g_print ("%s\n", text);
    }
  return PTCTL_EXIT_OK;
}

static int
catalog_check (PtctlContext  *ctx,
               int            argc,
               char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *level_text = NULL;
  int status = PTCTL_EXIT_OK;
  PtLevel level, right;
  PtReference *reference;
  const PtCatalogItem *item;
  GOptionEntry entries[] = {
    { "level", 0, 0, G_OPTION_ARG_STRING, &level_text, N_("The level of the desk"), "district|town|village" },
    { NULL }
  };

  if (!ptctl_parse (ctx, "check CODE --level LEVEL", N_("May a desk of this level take the item, and why not."),
                    entries, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return ptctl_usage_error (_("catalog check needs an item code."));
  if (level_text == NULL || !pt_level_from_string (level_text, &level))
    return ptctl_usage_error (_("catalog check needs --level district, town or village."));
  reference = ptctl_reference (ctx, &error);
  if (reference == NULL)
    return ptctl_fail (error);
  item = pt_catalog_lookup (reference->catalog, argv[2]);
  if (item == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("There is no service item %s in the catalog: "
                                                    "`paotuanctl catalog list` shows the codes."), argv[2]);
      g_printerr (_("paotuanctl: %s\n"), message);
      return PTCTL_EXIT_NO;
    }
  if (!pt_catalog_check_scope (item, level, &right, &error))
    {
      /* TRANSLATORS: catalog check's answer when the desk may not take the item. */
      g_print (_("no: %s\n"), error->message);
      return PTCTL_EXIT_NO;
    }
  g_print (_("yes: a desk of the %s level may take %s %s\n"), pt_level_name (level), item->code, item->name);
  return PTCTL_EXIT_OK;
}

int
ptctl_catalog (PtctlContext  *ctx,
               int            argc,
               char         **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "list"))
    return catalog_list (ctx, argc, argv);
  if (argc >= 2 && g_str_equal (argv[1], "check"))
    return catalog_check (ctx, argc, argv);
  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      g_print ("%s\n  paotuanctl catalog list [--level district|town|village] [--json]\n"
               "  paotuanctl catalog check CODE --level district|town|village\n", _("Usage:"));
      return PTCTL_EXIT_OK;
    }
  return ptctl_usage_error (_("catalog needs `list` or `check`."));
}
