/* pt-types.c: the enums of pt-types.h as strings. */
#define G_LOG_DOMAIN "paotuan-core"

#include <glib/gi18n-lib.h>

#include "pt-error.h"
#include "pt-types.h"

G_DEFINE_QUARK (pt-error-quark, pt_error)

static const char * const level_names[] = { "district", "town", "village" };

const char *
pt_level_to_string (PtLevel level)
{
  g_return_val_if_fail (level <= PT_LEVEL_VILLAGE, NULL);
  return level_names[level];
}

gboolean
pt_level_from_string (const char *str,
                      PtLevel    *level)
{
  for (guint i = 0; i < G_N_ELEMENTS (level_names); i++)
    {
      if (g_strcmp0 (str, level_names[i]) == 0)
        {
          *level = (PtLevel) i;
          return TRUE;
        }
    }
  return FALSE;
}

/* The Chinese word a clerk uses; documents are always Chinese. */
const char *
pt_level_label (PtLevel level)
{
  switch (level)
    {
    case PT_LEVEL_DISTRICT: return "区级";
    case PT_LEVEL_TOWN:     return "镇（街道）级";
    case PT_LEVEL_VILLAGE:  return "村（社区）级";
    default:                g_return_val_if_reached (NULL);
    }
}

const char *
pt_level_name (PtLevel level)
{
  switch (level)
    {
    case PT_LEVEL_DISTRICT: return _("District");
    case PT_LEVEL_TOWN:     return _("Town");
    case PT_LEVEL_VILLAGE:  return _("Village");
    default:                g_return_val_if_reached (NULL);
    }
}
