/* pt-district.c: the units of the district (data/district.json, schema in
 * docs/reference-data.md) and the runner numbers of seed §三(二).
 */
#define G_LOG_DOMAIN "paotuan-rules"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pt-district.h"
#include "pt-error.h"
#include "pt-validate.h"

struct _PtDistrict {
  GPtrArray  *units;      /* PtUnit, in file order */
  GHashTable *by_code;    /* code -> PtUnit (not owned) */
};

static const char * const kind_names[] = {
  "district", "department", "town", "subdistrict", "village", "community",
};

static void
unit_free (gpointer data)
{
  PtUnit *unit = data;

  if (unit == NULL)
    return;
  g_free (unit->code);
  g_free (unit->name);
  g_free (unit->short_name);
  g_free (unit->parent);
  g_free (unit->center_name);
  g_free (unit->address);
  g_free (unit->hotline);
  g_free (unit->hours);
  g_free (unit);
}

void
pt_runner_free (PtRunner *runner)
{
  if (runner == NULL)
    return;
  g_free (runner->id);
  g_free (runner->name);
  g_free (runner->unit);
  g_free (runner->staff_number);
  g_free (runner->phone);
  g_free (runner);
}

PtDistrict *
pt_district_new (void)
{
  PtDistrict *district = g_new0 (PtDistrict, 1);

  district->units = g_ptr_array_new_with_free_func (unit_free);
  district->by_code = g_hash_table_new (g_str_hash, g_str_equal);
  return district;
}

void
pt_district_free (PtDistrict *district)
{
  if (district == NULL)
    return;
  g_hash_table_unref (district->by_code);
  g_ptr_array_unref (district->units);
  g_free (district);
}

const char *
pt_unit_kind_to_string (PtUnitKind kind)
{
  g_return_val_if_fail (kind <= PT_UNIT_COMMUNITY, NULL);

  return kind_names[kind];
}

static gboolean
kind_from_string (const char *str,
                  PtUnitKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    {
      if (g_strcmp0 (str, kind_names[i]) == 0)
        {
          *kind = (PtUnitKind) i;
          return TRUE;
        }
    }
  return FALSE;
}

static PtLevel
level_of_kind (PtUnitKind kind)
{
  switch (kind)
    {
    case PT_UNIT_DISTRICT:
    case PT_UNIT_DEPARTMENT:
      return PT_LEVEL_DISTRICT;
    case PT_UNIT_TOWN:
    case PT_UNIT_SUBDISTRICT:
      return PT_LEVEL_TOWN;
    case PT_UNIT_VILLAGE:
    case PT_UNIT_COMMUNITY:
    default:
      return PT_LEVEL_VILLAGE;
    }
}

/* NULL when the member is missing, null or not a string. */
static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* FALSE when the member is missing or null; @error set when it is there
 * but not a number. */
static gboolean
get_number (JsonObject  *object,
            const char  *member,
            const char  *code,
            double      *value,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  GType type;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return FALSE;
  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("The unit %s has a “%s” that is not a number: write degrees such as 36.4945."),
                   code, member);
      return FALSE;
    }
  *value = json_node_get_double (node);
  return TRUE;
}

/* The service center's members: its name, hours and place. */
static gboolean
parse_center (JsonObject  *object,
              PtUnit      *unit,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean has_latitude, has_longitude;

  unit->center_name = g_strdup (get_string (object, "center_name"));
  unit->hours = g_strdup (get_string (object, "hours"));
  if (unit->center_name != NULL)
    g_strstrip (unit->center_name);
  if (unit->center_name != NULL && *unit->center_name == '\0')
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("The unit %s has an empty “center_name”: give the service center’s name, or leave the member out."),
                   unit->code);
      return FALSE;
    }
  if (unit->hotline != NULL && !pt_validate_phone (unit->hotline, &local_error))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("The hotline of the unit %s is not a number a person can dial: %s"),
                   unit->code, local_error->message);
      return FALSE;
    }

  has_latitude = get_number (object, "latitude", unit->code, &unit->latitude, &local_error);
  if (local_error == NULL)
    has_longitude = get_number (object, "longitude", unit->code, &unit->longitude, &local_error);
  else
    has_longitude = FALSE;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (has_latitude != has_longitude)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("The unit %s has only one of “latitude” and “longitude”: give both, or neither."),
                   unit->code);
      return FALSE;
    }
  if (has_latitude
      && (unit->latitude < -90.0 || unit->latitude > 90.0
          || unit->longitude < -180.0 || unit->longitude > 180.0))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("The unit %s lies outside the globe (latitude %.6f, longitude %.6f): latitude is from −90 to 90, longitude from −180 to 180."),
                   unit->code, unit->latitude, unit->longitude);
      return FALSE;
    }
  unit->has_location = has_latitude;
  return TRUE;
}

static PtUnit *
parse_unit (JsonNode  *node,
            guint      index,
            GError   **error)
{
  g_autofree char *kind_str = NULL;
  JsonObject *object;
  PtUnit *unit;
  const char *level_str;
  const char *missing = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("Unit %u of the district file is not an object."), index + 1);
      return NULL;
    }
  object = json_node_get_object (node);

  unit = g_new0 (PtUnit, 1);
  unit->code = g_strdup (get_string (object, "code"));
  unit->name = g_strdup (get_string (object, "name"));
  unit->short_name = g_strdup (get_string (object, "short_name"));
  unit->parent = g_strdup (get_string (object, "parent"));
  unit->address = g_strdup (get_string (object, "address"));
  unit->hotline = g_strdup (get_string (object, "hotline"));
  kind_str = g_strdup (get_string (object, "kind"));

  if (unit->code == NULL || *unit->code == '\0')
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("Unit %u of the district file has no “code”."), index + 1);
      goto fail;
    }
  if (unit->name == NULL)
    missing = "name";
  else if (kind_str == NULL)
    missing = "kind";
  if (missing != NULL)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("The unit %s has no “%s”: every unit needs one."), unit->code, missing);
      goto fail;
    }
  if (!kind_from_string (kind_str, &unit->kind))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("The unit %s has kind “%s”: use district, department, town, subdistrict, village or community."),
                   unit->code, kind_str);
      goto fail;
    }
  if (unit->short_name == NULL)
    unit->short_name = g_strdup (unit->name);
  if (!parse_center (object, unit, error))
    goto fail;

  /* The level follows from the kind; a file may say it, but not otherwise. */
  unit->level = level_of_kind (unit->kind);
  level_str = get_string (object, "level");
  if (level_str != NULL)
    {
      PtLevel level;

      if (!pt_level_from_string (level_str, &level) || level != unit->level)
        {
          g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                       _("The unit %s is a %s, so its level is %s, not “%s”."),
                       unit->code, kind_str, pt_level_to_string (unit->level), level_str);
          goto fail;
        }
    }

  if ((unit->kind == PT_UNIT_DISTRICT) != (unit->parent == NULL))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   unit->parent == NULL
                   ? _("The unit %s has no parent: only the district itself has none.")
                   : _("The unit %s is the district and cannot have a parent."),
                   unit->code);
      goto fail;
    }
  return unit;

fail:
  unit_free (unit);
  return NULL;
}

/* The kinds a parent may have for a unit of @kind: departments, towns and
 * subdistricts hang under the district, villages under a town, communities
 * under a subdistrict or a town. */
static gboolean
parent_kind_fits (PtUnitKind kind,
                  PtUnitKind parent_kind)
{
  switch (kind)
    {
    case PT_UNIT_DEPARTMENT:
    case PT_UNIT_TOWN:
    case PT_UNIT_SUBDISTRICT:
      return parent_kind == PT_UNIT_DISTRICT;
    case PT_UNIT_VILLAGE:
    case PT_UNIT_COMMUNITY:
      return parent_kind == PT_UNIT_TOWN || parent_kind == PT_UNIT_SUBDISTRICT;
    case PT_UNIT_DISTRICT:
    default:
      return FALSE;
    }
}

gboolean
pt_district_load_json (PtDistrict  *district,
                       JsonNode    *root,
                       GError     **error)
{
  g_autoptr(GPtrArray) parsed = g_ptr_array_new_with_free_func (unit_free);
  g_autoptr(GHashTable) by_code = g_hash_table_new (g_str_hash, g_str_equal);
  JsonNode *units_node;
  JsonArray *units;

  g_return_val_if_fail (district != NULL, FALSE);
  g_return_val_if_fail (root != NULL, FALSE);

  if (!JSON_NODE_HOLDS_OBJECT (root)
      || (units_node = json_object_get_member (json_node_get_object (root), "units")) == NULL
      || !JSON_NODE_HOLDS_ARRAY (units_node))
    {
      g_set_error_literal (error, PT_ERROR, PT_ERROR_DATA,
                           _("The district file must be an object with a “units” list (see docs/reference-data.md)."));
      return FALSE;
    }
  units = json_node_get_array (units_node);

  for (guint i = 0; i < json_array_get_length (units); i++)
    {
      PtUnit *unit = parse_unit (json_array_get_element (units, i), i, error);

      if (unit == NULL)
        return FALSE;
      g_ptr_array_add (parsed, unit);
      if (!g_hash_table_insert (by_code, unit->code, unit))
        {
          g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                       _("The district file has the unit code %s twice."), unit->code);
          return FALSE;
        }
    }

  /* Check the tree only once every unit is known, so that the file need
   * not list parents before children. */
  for (guint i = 0; i < parsed->len; i++)
    {
      PtUnit *unit = g_ptr_array_index (parsed, i);
      PtUnit *parent;

      if (unit->parent == NULL)
        continue;
      parent = g_hash_table_lookup (by_code, unit->parent);
      if (parent == NULL)
        {
          g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                       _("The unit %s names the parent %s, which is not in the district file."),
                       unit->code, unit->parent);
          return FALSE;
        }
      if (!parent_kind_fits (unit->kind, parent->kind))
        {
          g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                       _("The unit %s is a %s and cannot be under %s, a %s."),
                       unit->code, pt_unit_kind_to_string (unit->kind),
                       parent->code, pt_unit_kind_to_string (parent->kind));
          return FALSE;
        }
    }

  /* The district file is the whole tree: a load replaces what was there. */
  g_hash_table_remove_all (district->by_code);
  g_ptr_array_set_size (district->units, 0);
  for (guint i = 0; i < parsed->len; i++)
    {
      PtUnit *unit = g_ptr_array_index (parsed, i);

      g_ptr_array_index (parsed, i) = NULL;
      g_ptr_array_add (district->units, unit);
      g_hash_table_insert (district->by_code, unit->code, unit);
    }
  return TRUE;
}

gboolean
pt_district_load_file (PtDistrict  *district,
                       const char  *path,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (district != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!json_parser_load_from_file (parser, path, &local_error))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("Cannot read the district file %s: %s"), path, local_error->message);
      return FALSE;
    }
  if (!pt_district_load_json (district, json_parser_get_root (parser), &local_error))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA, "%s: %s", path, local_error->message);
      return FALSE;
    }
  return TRUE;
}

guint
pt_district_get_n_units (PtDistrict *district)
{
  g_return_val_if_fail (district != NULL, 0);

  return district->units->len;
}

const PtUnit *
pt_district_get_unit (PtDistrict *district,
                      guint       index)
{
  g_return_val_if_fail (district != NULL, NULL);
  g_return_val_if_fail (index < district->units->len, NULL);

  return g_ptr_array_index (district->units, index);
}

const PtUnit *
pt_district_lookup (PtDistrict *district,
                    const char *code)
{
  g_return_val_if_fail (district != NULL, NULL);

  if (code == NULL)
    return NULL;
  return g_hash_table_lookup (district->by_code, code);
}

const PtUnit *
pt_district_lookup_name (PtDistrict *district,
                         const char *name)
{
  g_return_val_if_fail (district != NULL, NULL);

  for (guint i = 0; name != NULL && i < district->units->len; i++)
    {
      const PtUnit *unit = g_ptr_array_index (district->units, i);

      if (g_strcmp0 (unit->name, name) == 0 || g_strcmp0 (unit->short_name, name) == 0)
        return unit;
    }
  return NULL;
}

gboolean
pt_district_is_within (PtDistrict *district,
                       const char *code,
                       const char *ancestor)
{
  const PtUnit *unit;

  g_return_val_if_fail (district != NULL, FALSE);

  if (code == NULL || ancestor == NULL)
    return FALSE;
  if (strcmp (code, ancestor) == 0)
    return TRUE;

  /* The tree was checked at load time, and has at most four levels. */
  unit = pt_district_lookup (district, code);
  while (unit != NULL && unit->parent != NULL)
    {
      if (strcmp (unit->parent, ancestor) == 0)
        return TRUE;
      unit = pt_district_lookup (district, unit->parent);
    }
  return FALSE;
}

const char *
pt_unit_center_name (const PtUnit *unit)
{
  g_return_val_if_fail (unit != NULL, NULL);

  return unit->center_name != NULL ? unit->center_name : unit->name;
}

guint
pt_unit_min_runners (const PtUnit *unit)
{
  g_return_val_if_fail (unit != NULL, 0);

  /* Seed §三(二): "区相关部门分别明确1名业务骨干为跑手", "镇级明确2名跑手",
   * "村级……配备不少于2名跑手". The district center coordinates and has no
   * quota of its own. */
  switch (unit->kind)
    {
    case PT_UNIT_DEPARTMENT:
      return 1;
    case PT_UNIT_TOWN:
    case PT_UNIT_SUBDISTRICT:
    case PT_UNIT_VILLAGE:
    case PT_UNIT_COMMUNITY:
      return 2;
    case PT_UNIT_DISTRICT:
    default:
      return 0;
    }
}

static gboolean
takes_cases (const PtUnit *unit)
{
  return unit != NULL && unit->kind != PT_UNIT_DEPARTMENT;
}

gboolean
pt_district_transfer_allowed (PtDistrict  *district,
                              const char  *desk,
                              const char  *from,
                              const char  *to,
                              GError     **error)
{
  const PtUnit *from_unit = pt_district_lookup (district, from);
  const PtUnit *to_unit = pt_district_lookup (district, to);
  const PtUnit *parent;

  if (to_unit == NULL)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_NOT_FOUND,
                   _("The district has no unit %s to transfer the case to."), to ? to : "");
      return FALSE;
    }
  if (!takes_cases (to_unit))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_FORBIDDEN,
                   _("%s is an approval department: its work is a step of the handling plan, "
                     "a case is not transferred to it."), to_unit->name);
      return FALSE;
    }
  if (g_strcmp0 (from, to) == 0)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_FORBIDDEN, _("The case is already with %s."), to_unit->name);
      return FALSE;
    }
  if (desk == NULL)
    desk = from;
  if (from_unit == NULL
      || pt_district_is_within (district, from, to)    /* up */
      || pt_district_is_within (district, to, desk))   /* down, below the desk */
    return TRUE;
  parent = from_unit->parent != NULL ? pt_district_lookup (district, from_unit->parent) : NULL;
  g_set_error (error, PT_ERROR, PT_ERROR_FORBIDDEN,
               _("A case of %s goes up to %s or the district, or down to a unit below it; "
                 "not sideways to %s. Transfer it up, and the unit above passes it on."),
               from_unit->name, parent != NULL ? parent->name : from_unit->name, to_unit->name);
  return FALSE;
}

GPtrArray *
pt_district_transfer_targets (PtDistrict *district,
                              const char *desk,
                              const char *from)
{
  GPtrArray *targets = g_ptr_array_new ();
  const PtUnit *unit = pt_district_lookup (district, from);

  /* Up: the parent, then its parent. */
  while (unit != NULL && unit->parent != NULL)
    {
      unit = pt_district_lookup (district, unit->parent);
      if (takes_cases (unit))
        g_ptr_array_add (targets, (gpointer) unit);
    }
  /* Down: the units below the desk, in the district's order. */
  if (desk == NULL)
    desk = from;
  for (guint i = 0; desk != NULL && i < pt_district_get_n_units (district); i++)
    {
      const PtUnit *below = pt_district_get_unit (district, i);

      if (takes_cases (below) && g_strcmp0 (below->code, from) != 0 && g_strcmp0 (below->code, desk) != 0
          && pt_district_is_within (district, below->code, desk)
          && !pt_district_is_within (district, from, below->code))
        g_ptr_array_add (targets, (gpointer) below);
    }
  return targets;
}
