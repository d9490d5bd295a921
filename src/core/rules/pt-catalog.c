/* pt-catalog.c: the service catalog (data/catalog.json, schema in
 * docs/reference-data.md) and the scope rule of seed §三(一).
 */
#define G_LOG_DOMAIN "paotuan-rules"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pt-catalog.h"
#include "pt-district.h"
#include "pt-error.h"

struct _PtCatalog {
  GPtrArray  *items;      /* PtCatalogItem, in file order */
  GHashTable *by_code;    /* code -> PtCatalogItem (not owned) */
};

static void
material_free (gpointer data)
{
  PtCatalogMaterial *material = data;

  g_free (material->name);
  g_free (material);
}

static void
fee_free (gpointer data)
{
  PtCatalogFee *fee = data;

  g_free (fee->name);
  g_free (fee->basis);
  g_free (fee);
}

static void
item_free (gpointer data)
{
  PtCatalogItem *item = data;

  if (item == NULL)
    return;
  g_free (item->code);
  g_free (item->name);
  g_free (item->category);
  g_free (item->department);
  g_clear_pointer (&item->materials, g_ptr_array_unref);
  g_clear_pointer (&item->fees, g_ptr_array_unref);
  g_free (item);
}

PtCatalog *
pt_catalog_new (void)
{
  PtCatalog *catalog = g_new0 (PtCatalog, 1);

  catalog->items = g_ptr_array_new_with_free_func (item_free);
  catalog->by_code = g_hash_table_new (g_str_hash, g_str_equal);
  return catalog;
}

void
pt_catalog_free (PtCatalog *catalog)
{
  if (catalog == NULL)
    return;
  g_hash_table_unref (catalog->by_code);
  g_ptr_array_unref (catalog->items);
  g_free (catalog);
}

/* A string member that must be there and not be empty. */
static char *
dup_required (JsonObject  *object,
              const char  *member,
              const char  *where,
              GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *value = NULL;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING)
    value = json_node_get_string (node);
  if (value == NULL || *value == '\0')
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("The catalog entry %s has no “%s”: every item needs one."), where, member);
      return NULL;
    }
  return g_strdup (value);
}

static gboolean
get_int (JsonObject  *object,
         const char  *member,
         gint64       fallback,
         gint64       min,
         const char  *where,
         gint64      *out,
         GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *out = fallback;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64
      || json_node_get_int (node) < min)
    {
      /* The number is formatted first: a G_GINT64_FORMAT inside _() is cut
       * short by xgettext and never matches a translation. */
      g_autofree char *least = g_strdup_printf ("%" G_GINT64_FORMAT, min);
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("In the catalog entry %s, “%s” must be a whole number of at least %s."),
                   where, member, least);
      return FALSE;
    }
  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
get_bool (JsonObject  *object,
          const char  *member,
          gboolean     fallback,
          const char  *where,
          gboolean    *out,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *out = fallback;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("In the catalog entry %s, “%s” must be true or false."), where, member);
      return FALSE;
    }
  *out = json_node_get_boolean (node);
  return TRUE;
}

static JsonArray *
get_array (JsonObject  *object,
           const char  *member,
           const char  *where,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("In the catalog entry %s, “%s” must be a list."), where, member);
      return NULL;
    }
  return json_node_get_array (node);
}

static char
level_letter (PtLevel level)
{
  switch (level)
    {
    case PT_LEVEL_DISTRICT: return 'D';
    case PT_LEVEL_TOWN:     return 'T';
    case PT_LEVEL_VILLAGE:  return 'V';
    default:                g_return_val_if_reached ('?');
    }
}

static PtCatalogItem *
parse_item (JsonNode    *node,
            guint        index,
            GError     **error)
{
  g_autofree char *where = NULL;
  g_autofree char *level_str = NULL;
  PtCatalogItem *item;
  JsonObject *object;
  JsonArray *array;
  GError *local_error = NULL;
  gint64 value;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("Catalog entry %u is not an object: each item is written as { \"code\": …, \"name\": … }."),
                   index + 1);
      return NULL;
    }
  object = json_node_get_object (node);
  where = g_strdup_printf ("%u", index + 1);

  item = g_new0 (PtCatalogItem, 1);
  item->materials = g_ptr_array_new_with_free_func (material_free);
  item->fees = g_ptr_array_new_with_free_func (fee_free);

  if ((item->code = dup_required (object, "code", where, error)) == NULL)
    goto fail;
  g_free (where);
  where = g_strdup (item->code);

  if ((item->name = dup_required (object, "name", where, error)) == NULL
      || (item->category = dup_required (object, "category", where, error)) == NULL
      || (item->department = dup_required (object, "department", where, error)) == NULL
      || (level_str = dup_required (object, "level", where, error)) == NULL)
    goto fail;

  if (!pt_level_from_string (level_str, &item->level))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("The catalog entry %s has level “%s”: use district, town or village."),
                   where, level_str);
      goto fail;
    }

  /* The code's letter says the level at a glance on printed lists; a code
   * that contradicts its level would send people to the wrong window. */
  if (item->code[0] != level_letter (item->level) || item->code[1] != '-')
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("The catalog entry %s is a %s item: its code must start with “%c-”."),
                   where, level_str, level_letter (item->level));
      goto fail;
    }

  if (!get_int (object, "limit_days", 0, 0, where, &value, error))
    goto fail;
  item->limit_days = (guint) MIN (value, G_MAXUINT);

  if (!get_bool (object, "in_person", FALSE, where, &item->in_person, error))
    goto fail;

  /* Seed §三(一)3: the village level takes everything "except the items the
   * person must attend". A village item that needs the person present is a
   * contradiction in the data, caught here rather than at a desk. */
  if (item->level == PT_LEVEL_VILLAGE && item->in_person)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("The catalog entry %s is a village item that needs the applicant in person: "
                     "the village level never takes such items, make it a town item."),
                   where);
      goto fail;
    }

  array = get_array (object, "materials", where, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      goto fail;
    }
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *m = json_array_get_element (array, i);
      PtCatalogMaterial *material;
      g_autofree char *mwhere = g_strdup_printf ("%s (material %u)", where, i + 1);

      if (!JSON_NODE_HOLDS_OBJECT (m))
        {
          g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                       _("The catalog entry %s has a material that is not an object."), where);
          goto fail;
        }
      material = g_new0 (PtCatalogMaterial, 1);
      g_ptr_array_add (item->materials, material);
      if ((material->name = dup_required (json_node_get_object (m), "name", mwhere, error)) == NULL
          || !get_bool (json_node_get_object (m), "original", FALSE, mwhere, &material->original, error)
          || !get_int (json_node_get_object (m), "count", 1, 1, mwhere, &value, error))
        goto fail;
      material->count = (guint) MIN (value, G_MAXUINT);
    }

  array = get_array (object, "fees", where, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      goto fail;
    }
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *f = json_array_get_element (array, i);
      PtCatalogFee *fee;
      g_autofree char *fwhere = g_strdup_printf ("%s (fee %u)", where, i + 1);

      if (!JSON_NODE_HOLDS_OBJECT (f))
        {
          g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                       _("The catalog entry %s has a fee that is not an object."), where);
          goto fail;
        }
      fee = g_new0 (PtCatalogFee, 1);
      g_ptr_array_add (item->fees, fee);
      /* Seed §二(二): the service is free except for fees a law or
       * regulation requires, so a fee without its basis is refused. */
      if ((fee->name = dup_required (json_node_get_object (f), "name", fwhere, error)) == NULL
          || (fee->basis = dup_required (json_node_get_object (f), "basis", fwhere, error)) == NULL
          || !get_int (json_node_get_object (f), "amount_fen", 0, 0, fwhere, &fee->amount_fen, error))
        goto fail;
    }

  return item;

fail:
  item_free (item);
  return NULL;
}

gboolean
pt_catalog_load_json (PtCatalog  *catalog,
                      JsonNode   *root,
                      GError    **error)
{
  g_autoptr(GPtrArray) parsed = g_ptr_array_new_with_free_func (item_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonNode *items_node;
  JsonArray *items;

  g_return_val_if_fail (catalog != NULL, FALSE);
  g_return_val_if_fail (root != NULL, FALSE);

  if (!JSON_NODE_HOLDS_OBJECT (root)
      || (items_node = json_object_get_member (json_node_get_object (root), "items")) == NULL
      || !JSON_NODE_HOLDS_ARRAY (items_node))
    {
      g_set_error_literal (error, PT_ERROR, PT_ERROR_DATA,
                           _("The catalog must be an object with an “items” list (see docs/reference-data.md)."));
      return FALSE;
    }
  items = json_node_get_array (items_node);

  /* Parse everything first, so that a broken file leaves the catalog as it was. */
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      PtCatalogItem *item = parse_item (json_array_get_element (items, i), i, error);

      if (item == NULL)
        return FALSE;
      if (!g_hash_table_add (seen, item->code))
        {
          g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                       _("The catalog has the code %s twice: every item needs its own code."),
                       item->code);
          item_free (item);
          return FALSE;
        }
      g_ptr_array_add (parsed, item);
    }

  /* A later load replaces items with the same code and adds the others,
   * so that an update from the server can carry only what changed. */
  for (guint i = 0; i < parsed->len; i++)
    {
      PtCatalogItem *item = g_ptr_array_index (parsed, i);
      PtCatalogItem *old = g_hash_table_lookup (catalog->by_code, item->code);

      g_ptr_array_index (parsed, i) = NULL;
      if (old != NULL)
        {
          guint pos;

          g_assert (g_ptr_array_find (catalog->items, old, &pos));
          g_hash_table_remove (catalog->by_code, old->code);
          item_free (old);
          g_ptr_array_index (catalog->items, pos) = item;
        }
      else
        g_ptr_array_add (catalog->items, item);
      g_hash_table_insert (catalog->by_code, item->code, item);
    }
  return TRUE;
}

gboolean
pt_catalog_load_file (PtCatalog   *catalog,
                      const char  *path,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (catalog != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!json_parser_load_from_file (parser, path, &local_error))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("Cannot read the service catalog %s: %s"), path, local_error->message);
      return FALSE;
    }
  if (!pt_catalog_load_json (catalog, json_parser_get_root (parser), &local_error))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA, "%s: %s", path, local_error->message);
      return FALSE;
    }
  return TRUE;
}

guint
pt_catalog_get_n_items (PtCatalog *catalog)
{
  g_return_val_if_fail (catalog != NULL, 0);

  return catalog->items->len;
}

const PtCatalogItem *
pt_catalog_get_item (PtCatalog *catalog,
                     guint      index)
{
  g_return_val_if_fail (catalog != NULL, NULL);
  g_return_val_if_fail (index < catalog->items->len, NULL);

  return g_ptr_array_index (catalog->items, index);
}

const PtCatalogItem *
pt_catalog_lookup (PtCatalog  *catalog,
                   const char *code)
{
  g_return_val_if_fail (catalog != NULL, NULL);

  if (code == NULL)
    return NULL;
  return g_hash_table_lookup (catalog->by_code, code);
}

/* Case-insensitive for the Latin part of codes ("d-zrzy"); Chinese has no case. */
static gboolean
contains (const char *haystack,
          const char *folded_needle)
{
  g_autofree char *folded = g_utf8_casefold (haystack, -1);

  return strstr (folded, folded_needle) != NULL;
}

GPtrArray *
pt_catalog_search (PtCatalog  *catalog,
                   const char *text)
{
  GPtrArray *result = g_ptr_array_new ();
  g_autofree char *needle = NULL;

  g_return_val_if_fail (catalog != NULL, result);

  needle = g_utf8_casefold (text != NULL ? text : "", -1);
  g_strstrip (needle);

  for (guint i = 0; i < catalog->items->len; i++)
    {
      const PtCatalogItem *item = g_ptr_array_index (catalog->items, i);

      if (*needle == '\0'
          || contains (item->code, needle)
          || contains (item->name, needle)
          || contains (item->category, needle)
          || contains (item->department, needle))
        g_ptr_array_add (result, (gpointer) item);
    }
  return result;
}

/* Seed §三(一): each level has its own scope. A desk takes the items of its
 * own level; the district desk also takes town items, because district
 * runners guide and help the town runners (§三(二)) and a company often
 * comes to the district center first. Everything else is transferred. */
gboolean
pt_catalog_check_scope (const PtCatalogItem  *item,
                        PtLevel               desk_level,
                        PtLevel              *right_level,
                        GError              **error)
{
  g_return_val_if_fail (item != NULL, FALSE);
  g_return_val_if_fail (desk_level <= PT_LEVEL_VILLAGE, FALSE);

  if (desk_level == PT_LEVEL_VILLAGE && item->in_person)
    {
      PtLevel right = item->level == PT_LEVEL_VILLAGE ? PT_LEVEL_TOWN : item->level;

      if (right_level != NULL)
        *right_level = right;
      g_set_error (error, PT_ERROR, PT_ERROR_FORBIDDEN,
                   right == PT_LEVEL_DISTRICT
                   ? _("“%s” needs the applicant in person, which a village desk cannot handle: the applicant must go to the district service center.")
                   : _("“%s” needs the applicant in person, which a village desk cannot handle: the applicant must go to the town (subdistrict) service center."),
                   item->name);
      return FALSE;
    }

  if (item->level == desk_level
      || (desk_level == PT_LEVEL_DISTRICT && item->level == PT_LEVEL_TOWN))
    return TRUE;

  if (right_level != NULL)
    *right_level = item->level;

  switch (item->level)
    {
    case PT_LEVEL_DISTRICT:
      g_set_error (error, PT_ERROR, PT_ERROR_FORBIDDEN,
                   _("“%s” is handled at the district level: transfer it to the district service center."),
                   item->name);
      break;
    case PT_LEVEL_TOWN:
      g_set_error (error, PT_ERROR, PT_ERROR_FORBIDDEN,
                   _("“%s” is handled at the town level: transfer it to the town (subdistrict) service center."),
                   item->name);
      break;
    case PT_LEVEL_VILLAGE:
    default:
      g_set_error (error, PT_ERROR, PT_ERROR_FORBIDDEN,
                   _("“%s” is handled at the village level: transfer it to the applicant's village (community) service station."),
                   item->name);
      break;
    }
  return FALSE;
}

const PtUnit *
pt_catalog_transfer_unit (PtCatalog   *catalog,
                          PtDistrict  *district,
                          const char  *unit_code,
                          GPtrArray   *items,
                          GError     **error)
{
  const PtUnit *unit;

  g_return_val_if_fail (catalog != NULL && district != NULL, NULL);

  unit = pt_district_lookup (district, unit_code);
  if (unit == NULL)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_NOT_FOUND,
                   _("There is no unit %s in the district: `paotuanctl units` lists the units."),
                   unit_code ? unit_code : "");
      return NULL;
    }
  for (guint i = 0; items != NULL && i < items->len; i++)
    if (pt_catalog_lookup (catalog, g_ptr_array_index (items, i)) == NULL)
      {
        g_set_error (error, PT_ERROR, PT_ERROR_NOT_FOUND,
                     _("There is no service item %s in the catalog: `paotuanctl catalog list` shows the codes."),
                     (const char *) g_ptr_array_index (items, i));
        return NULL;
      }
  while (unit->parent != NULL)
    {
      gboolean takes_all = TRUE;

      unit = pt_district_lookup (district, unit->parent);
      if (unit == NULL)
        break;
      for (guint i = 0; items != NULL && i < items->len && takes_all; i++)
        takes_all = pt_catalog_check_scope (pt_catalog_lookup (catalog, g_ptr_array_index (items, i)),
                                            unit->level, NULL, NULL);
      if (takes_all)
        return unit;
    }
  g_set_error (error, PT_ERROR, PT_ERROR_NOT_FOUND,
               _("No unit above %s may take all of these items together: take them as separate cases."),
               unit_code);
  return NULL;
}

GPtrArray *
pt_catalog_list_fees (PtCatalog *catalog,
                      GPtrArray *items)
{
  GPtrArray *fees = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (catalog != NULL, fees);

  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      const PtCatalogItem *item = pt_catalog_lookup (catalog, g_ptr_array_index (items, i));
      gboolean seen = FALSE;

      /* An item listed twice gives its fees once. */
      for (guint k = 0; k < i && !seen; k++)
        seen = g_strcmp0 (g_ptr_array_index (items, k), g_ptr_array_index (items, i)) == 0;
      for (guint f = 0; item != NULL && !seen && f < item->fees->len; f++)
        {
          PtItemFee *entry = g_new0 (PtItemFee, 1);
          entry->item = item;
          entry->fee = g_ptr_array_index (item->fees, f);
          g_ptr_array_add (fees, entry);
        }
    }
  return fees;
}

static char *
fee_names (const PtCatalogItem *item)
{
  GString *names = g_string_new (NULL);

  for (guint f = 0; f < item->fees->len; f++)
    {
      if (f > 0)
        /* TRANSLATORS: between the names of a list. */
        g_string_append (names, _(", "));
      g_string_append_printf (names, _("“%s”"), ((PtCatalogFee *) g_ptr_array_index (item->fees, f))->name);
    }
  return g_string_free (names, FALSE);
}

static char *
format_yuan (gint64 fen)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT ".%02d", fen / 100, (int) (fen % 100));
}

gboolean
pt_catalog_complete_fee (PtCatalog   *catalog,
                         JsonObject  *payload,
                         GError     **error)
{
  const char *code = NULL, *name = NULL, *basis = NULL;
  const PtCatalogItem *item;
  const PtCatalogFee *fee = NULL;
  JsonNode *node;

  g_return_val_if_fail (catalog != NULL && payload != NULL, FALSE);

  if ((node = json_object_get_member (payload, "item")) != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING)
    code = json_node_get_string (node);
  if ((node = json_object_get_member (payload, "name")) != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING)
    name = json_node_get_string (node);
  if ((node = json_object_get_member (payload, "basis")) != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING)
    basis = json_node_get_string (node);

  if (code == NULL)
    {
      g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID,
                           _("A fee names the item of the case it is for (“item”): "
                             "only the fees the catalog lists for the case's items can be recorded."));
      return FALSE;
    }
  item = pt_catalog_lookup (catalog, code);
  if (item == NULL)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("There is no service item %s in the catalog: `paotuanctl catalog list` shows the codes."),
                   code);
      return FALSE;
    }
  if (item->fees->len == 0)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_FORBIDDEN,
                   _("“%s” has no fee that a law or regulation requires: the runner team's service is free, "
                     "so no fee can be recorded for it."),
                   item->name);
      return FALSE;
    }
  for (guint f = 0; name != NULL && f < item->fees->len && fee == NULL; f++)
    if (g_strcmp0 (((PtCatalogFee *) g_ptr_array_index (item->fees, f))->name, name) == 0)
      fee = g_ptr_array_index (item->fees, f);
  if (fee == NULL)
    {
      g_autofree char *names = fee_names (item);
      g_set_error (error, PT_ERROR, PT_ERROR_FORBIDDEN,
                   _("“%s” is not a fee of “%s” in the catalog: only a fee a law or regulation requires is paid, "
                     "and for this item those are: %s."),
                   name ? name : "", item->name, names);
      return FALSE;
    }
  if (basis != NULL && strcmp (basis, fee->basis) != 0)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_FORBIDDEN,
                   _("The legal basis of “%s” is the catalog's, %s: leave the basis out and it is filled in. "
                     "A fee with another basis cannot be recorded: the runner team's service is free."),
                   fee->name, fee->basis);
      return FALSE;
    }
  node = json_object_get_member (payload, "amount_fen");
  if (node != NULL && JSON_NODE_HOLDS_NULL (node))
    node = NULL;
  if (fee->amount_fen > 0)
    {
      if (node != NULL && (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64
                           || json_node_get_int (node) != fee->amount_fen))
        {
          g_autofree char *yuan = format_yuan (fee->amount_fen);
          g_set_error (error, PT_ERROR, PT_ERROR_FORBIDDEN,
                       _("“%s” is %s yuan by its legal basis: leave the amount out and it is filled in."),
                       fee->name, yuan);
          return FALSE;
        }
      json_object_set_int_member (payload, "amount_fen", fee->amount_fen);
    }
  else if (node == NULL)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("The amount of “%s” depends on the case: type the amount paid, in fen (amount_fen)."),
                   fee->name);
      return FALSE;
    }
  json_object_set_string_member (payload, "basis", fee->basis);
  return TRUE;
}
