/* pt-reference.c: finds and loads the reference data of a desk. */
#define G_LOG_DOMAIN "paotuan-rules"

#include <glib/gi18n-lib.h>

#include "pt-error.h"
#include "pt-reference.h"

#ifndef PT_SOURCE_DATA_DIR
#error "PT_SOURCE_DATA_DIR must be defined by the build"
#endif
#ifndef PT_INSTALLED_DATA_DIR
#error "PT_INSTALLED_DATA_DIR must be defined by the build"
#endif

/* The data directories in lookup order (see pt-reference.h), without
 * duplicates and without empty settings. @first, when given, goes right
 * after the user's directory: it is where the reference was loaded from. */
static GPtrArray *
search_dirs (const char *first)
{
  GPtrArray *dirs = g_ptr_array_new_with_free_func (g_free);
  const char *env = g_getenv ("PAOTUAN_DATA_DIR");
  const char *candidates[5];
  guint n = 0;

  if (env != NULL && *env != '\0')
    candidates[n++] = env;
  candidates[n++] = NULL;   /* the user's directory, built below */
  if (first != NULL)
    candidates[n++] = first;
  candidates[n++] = PT_SOURCE_DATA_DIR;
  candidates[n++] = PT_INSTALLED_DATA_DIR;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *dir = NULL;
      gboolean seen = FALSE;

      if (candidates[i] == NULL)
        dir = g_build_filename (g_get_user_data_dir (), "paotuan", NULL);
      else
        dir = g_canonicalize_filename (candidates[i], NULL);

      for (guint j = 0; j < dirs->len && !seen; j++)
        seen = g_strcmp0 (g_ptr_array_index (dirs, j), dir) == 0;
      if (!seen)
        g_ptr_array_add (dirs, g_steal_pointer (&dir));
    }
  return dirs;
}

static char *
find_in (GPtrArray  *dirs,
         const char *relative)
{
  for (guint i = 0; i < dirs->len; i++)
    {
      g_autofree char *path = g_build_filename (g_ptr_array_index (dirs, i), relative, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  return NULL;
}

static char *
dirs_to_string (GPtrArray *dirs)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < dirs->len; i++)
    {
      if (i > 0)
        g_string_append (text, ", ");
      g_string_append (text, g_ptr_array_index (dirs, i));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static PtReference *
reference_new (void)
{
  PtReference *reference = g_new0 (PtReference, 1);

  reference->calendar = pt_calendar_new ();
  reference->catalog = pt_catalog_new ();
  reference->district = pt_district_new ();
  return reference;
}

void
pt_reference_free (PtReference *reference)
{
  if (reference == NULL)
    return;
  g_clear_pointer (&reference->calendar, pt_calendar_free);
  g_clear_pointer (&reference->catalog, pt_catalog_free);
  g_clear_pointer (&reference->district, pt_district_free);
  g_free (reference->data_dir);
  g_free (reference);
}

/* Loads catalog.json and district.json from @catalog_path's and
 * @district_path's directories and the calendars of @calendar_dirs, in the
 * order given, later ones overriding earlier ones. */
static PtReference *
load (const char  *catalog_path,
      const char  *district_path,
      GPtrArray   *calendar_dirs,
      GError     **error)
{
  g_autoptr(PtReference) reference = reference_new ();

  if (!pt_catalog_load_file (reference->catalog, catalog_path, error)
      || !pt_district_load_file (reference->district, district_path, error))
    return NULL;

  for (guint i = 0; i < calendar_dirs->len; i++)
    if (!pt_calendar_load_dir (reference->calendar, g_ptr_array_index (calendar_dirs, i), error))
      return NULL;

  reference->data_dir = g_path_get_dirname (catalog_path);
  return g_steal_pointer (&reference);
}

PtReference *
pt_reference_load_dir (const char  *data_dir,
                       GError     **error)
{
  g_autoptr(GPtrArray) calendar_dirs = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *catalog_path = NULL;
  g_autofree char *district_path = NULL;
  g_autofree char *calendar_dir = NULL;

  g_return_val_if_fail (data_dir != NULL, NULL);

  catalog_path = g_build_filename (data_dir, "catalog.json", NULL);
  district_path = g_build_filename (data_dir, "district.json", NULL);
  calendar_dir = g_build_filename (data_dir, "calendar", NULL);
  if (g_file_test (calendar_dir, G_FILE_TEST_IS_DIR))
    g_ptr_array_add (calendar_dirs, g_steal_pointer (&calendar_dir));

  return load (catalog_path, district_path, calendar_dirs, error);
}

PtReference *
pt_reference_load_default (GError **error)
{
  g_autoptr(GPtrArray) dirs = search_dirs (NULL);
  g_autoptr(GPtrArray) calendar_dirs = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *catalog_path = find_in (dirs, "catalog.json");
  g_autofree char *district_path = find_in (dirs, "district.json");

  if (catalog_path == NULL || district_path == NULL)
    {
      g_autofree char *list = dirs_to_string (dirs);

      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("The reference data (%s) is in none of these folders: %s. "
                     "Reinstall Paotuan, or set PAOTUAN_DATA_DIR to its data folder."),
                   catalog_path == NULL ? "catalog.json" : "district.json", list);
      return NULL;
    }

  /* Lowest priority first, so that a user's 2027.ini, or a corrected
   * 2026.ini, replaces the shipped table of the same year. */
  for (guint i = dirs->len; i > 0; i--)
    {
      char *dir = g_build_filename (g_ptr_array_index (dirs, i - 1), "calendar", NULL);

      if (g_file_test (dir, G_FILE_TEST_IS_DIR))
        g_ptr_array_add (calendar_dirs, dir);
      else
        g_free (dir);
    }

  return load (catalog_path, district_path, calendar_dirs, error);
}

char *
pt_reference_find_file (PtReference *reference,
                        const char  *relative)
{
  g_autoptr(GPtrArray) dirs = NULL;

  g_return_val_if_fail (relative != NULL, NULL);

  dirs = search_dirs (reference != NULL ? reference->data_dir : NULL);
  return find_in (dirs, relative);
}
