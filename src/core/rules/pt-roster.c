/* pt-roster.c: the district's roster of runners (runners.json). */
#define G_LOG_DOMAIN "paotuan-rules"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pt-error.h"
#include "pt-json.h"
#include "pt-roster.h"
#include "pt-validate.h"

#define MAX_NAME_CHARS 32

static gboolean
id_is_valid (const char *id)
{
  guint digits = 0;

  if (id == NULL || !g_str_has_prefix (id, "R-"))
    return FALSE;
  for (const char *p = id + 2; *p != '\0'; p++, digits++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return digits >= 4 && digits <= 8;
}

static char *
trimmed_or_null (const char *text)
{
  char *copy;

  if (text == NULL)
    return NULL;
  copy = g_strstrip (g_strdup (text));
  if (*copy == '\0')
    g_clear_pointer (&copy, g_free);
  return copy;
}

PtRunner *
pt_runner_new_checked (const char  *id,
                       const char  *name,
                       const char  *unit,
                       const char  *staff_number,
                       const char  *phone,
                       gboolean     on_duty,
                       PtDistrict  *district,
                       GError     **error)
{
  g_autoptr(PtRunner) runner = g_new0 (PtRunner, 1);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *typed_phone = NULL;

  runner->id = trimmed_or_null (id);
  runner->name = trimmed_or_null (name);
  runner->unit = trimmed_or_null (unit);
  runner->staff_number = trimmed_or_null (staff_number);
  runner->active = on_duty;

  if (!id_is_valid (runner->id))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("The runner id “%s” is not one: write R- and four digits, such as R-0123."),
                   runner->id != NULL ? runner->id : "");
      return NULL;
    }
  if (runner->name == NULL || g_utf8_strlen (runner->name, -1) > MAX_NAME_CHARS)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   runner->name == NULL
                   ? _("The runner %s has no name: give the runner’s full name.")
                   : _("The name of the runner %s is longer than 32 characters: give the runner’s name only."),
                   runner->id);
      return NULL;
    }
  if (runner->unit == NULL
      || (district != NULL && pt_district_lookup (district, runner->unit) == NULL))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("The runner %s belongs to the unit “%s”, which is not in the district: `paotuan-server units` lists the units."),
                   runner->id, runner->unit != NULL ? runner->unit : "");
      return NULL;
    }

  /* A phone number pasted from a spreadsheet: full-width digits and spaces. */
  typed_phone = phone != NULL ? pt_normalize_phone (phone) : NULL;
  if (typed_phone == NULL || !pt_validate_phone (typed_phone, &local_error))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("The phone of the runner %s is not a number a person can dial: %s"),
                   runner->id,
                   local_error != NULL ? local_error->message : _("give a mobile or a landline number."));
      return NULL;
    }
  runner->phone = pt_phone_normalize (typed_phone);
  return g_steal_pointer (&runner);
}

PtRunner *
pt_runner_copy (const PtRunner *runner)
{
  PtRunner *copy;

  g_return_val_if_fail (runner != NULL, NULL);

  copy = g_new0 (PtRunner, 1);
  copy->id = g_strdup (runner->id);
  copy->name = g_strdup (runner->name);
  copy->unit = g_strdup (runner->unit);
  copy->staff_number = g_strdup (runner->staff_number);
  copy->phone = g_strdup (runner->phone);
  copy->active = runner->active;
  return copy;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  const PtRunner *ra = *(const PtRunner * const *) a;
  const PtRunner *rb = *(const PtRunner * const *) b;

  return strcmp (ra->id, rb->id);
}

/* NULL when the member is missing or null; FALSE with @error when it is
 * something else than a string. */
static gboolean
member_string (JsonObject  *object,
               const char  *member,
               guint        index,
               const char **value,
               GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("Runner %u of the roster has a “%s” that is not text."), index + 1, member);
      return FALSE;
    }
  *value = json_node_get_string (node);
  return TRUE;
}

GPtrArray *
pt_roster_parse (JsonNode    *root,
                 PtDistrict  *district,
                 GError     **error)
{
  g_autoptr(GPtrArray) runners = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_runner_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonNode *list;
  JsonArray *array;

  g_return_val_if_fail (root != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (root)
      || (list = json_object_get_member (json_node_get_object (root), "runners")) == NULL
      || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error_literal (error, PT_ERROR, PT_ERROR_DATA,
                           _("The roster must be an object with a “runners” list (see docs/reference-data.md)."));
      return NULL;
    }
  array = json_node_get_array (list);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autoptr(GError) local_error = NULL;
      const char *id, *name, *unit, *staff, *phone;
      JsonObject *object;
      JsonNode *duty;
      PtRunner *runner;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                       _("Runner %u of the roster is not an object."), i + 1);
          return NULL;
        }
      object = json_node_get_object (node);
      if (!member_string (object, "id", i, &id, error)
          || !member_string (object, "name", i, &name, error)
          || !member_string (object, "unit", i, &unit, error)
          || !member_string (object, "staff_number", i, &staff, error)
          || !member_string (object, "phone", i, &phone, error))
        return NULL;
      duty = json_object_get_member (object, "on_duty");
      if (duty != NULL && (!JSON_NODE_HOLDS_VALUE (duty) || json_node_get_value_type (duty) != G_TYPE_BOOLEAN))
        {
          g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                       _("Runner %u of the roster has an “on_duty” that is not true or false."), i + 1);
          return NULL;
        }

      runner = pt_runner_new_checked (id, name, unit, staff, phone,
                                      duty == NULL || json_node_get_boolean (duty),
                                      district, &local_error);
      if (runner == NULL)
        {
          g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                       _("Runner %u of the roster: %s"), i + 1, local_error->message);
          return NULL;
        }
      g_ptr_array_add (runners, runner);
      if (!g_hash_table_add (seen, runner->id))
        {
          g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                       _("The roster has the runner %s twice: each runner once, with one unit."),
                       runner->id);
          return NULL;
        }
    }
  g_ptr_array_sort (runners, compare_ids);
  return g_steal_pointer (&runners);
}

GPtrArray *
pt_roster_load_file (const char  *path,
                     PtDistrict  *district,
                     GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  GPtrArray *runners;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &text, &length, &local_error)
      || (root = pt_json_parse (text, (gssize) length, &local_error)) == NULL)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("Cannot read the roster %s: %s"), path, local_error->message);
      return NULL;
    }
  runners = pt_roster_parse (root, district, &local_error);
  if (runners == NULL)
    g_set_error (error, PT_ERROR, PT_ERROR_DATA, "%s: %s", path, local_error->message);
  return runners;
}

char *
pt_roster_to_json (GPtrArray *runners)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (runners != NULL, NULL);

  for (guint i = 0; i < runners->len; i++)
    g_ptr_array_add (sorted, g_ptr_array_index (runners, i));
  g_ptr_array_sort (sorted, compare_ids);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "runners");
  json_builder_begin_array (b);
  for (guint i = 0; i < sorted->len; i++)
    {
      const PtRunner *r = g_ptr_array_index (sorted, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, r->id);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, r->name);
      json_builder_set_member_name (b, "unit");
      json_builder_add_string_value (b, r->unit);
      if (r->staff_number != NULL)
        {
          json_builder_set_member_name (b, "staff_number");
          json_builder_add_string_value (b, r->staff_number);
        }
      json_builder_set_member_name (b, "phone");
      json_builder_add_string_value (b, r->phone);
      json_builder_set_member_name (b, "on_duty");
      json_builder_add_boolean_value (b, r->active);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  return json_generator_to_data (generator, NULL);
}

guint
pt_roster_count_on_duty (GPtrArray  *runners,
                         const char *unit)
{
  guint n = 0;

  g_return_val_if_fail (runners != NULL, 0);

  for (guint i = 0; i < runners->len; i++)
    {
      const PtRunner *r = g_ptr_array_index (runners, i);

      if (r->active && g_strcmp0 (r->unit, unit) == 0)
        n++;
    }
  return n;
}

char *
pt_roster_next_id (GPtrArray *runners)
{
  guint64 highest = 0;

  g_return_val_if_fail (runners != NULL, NULL);

  for (guint i = 0; i < runners->len; i++)
    {
      const PtRunner *r = g_ptr_array_index (runners, i);

      if (id_is_valid (r->id))
        highest = MAX (highest, g_ascii_strtoull (r->id + 2, NULL, 10));
    }
  return g_strdup_printf ("R-%04" G_GUINT64_FORMAT, highest + 1);
}
