/* pt-types.h: forward declarations and the enums of the Paotuan core.
 *
 * Every core header includes this one instead of each other, so that the
 * headers stay small and free of include cycles.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PtCalendar   PtCalendar;
typedef struct _PtCatalog    PtCatalog;
typedef struct _PtCatalogItem PtCatalogItem;
typedef struct _PtCaseState  PtCaseState;
typedef struct _PtDistrict   PtDistrict;
typedef struct _PtEvent      PtEvent;
typedef struct _PtHlc        PtHlc;
typedef struct _PtReference  PtReference;
typedef struct _PtStore      PtStore;
typedef struct _PtUnit       PtUnit;

/* The three service levels of the runner team (seed §三(一)). */
typedef enum {
  PT_LEVEL_DISTRICT,
  PT_LEVEL_TOWN,
  PT_LEVEL_VILLAGE,
} PtLevel;

const char *pt_level_to_string (PtLevel level);
gboolean    pt_level_from_string (const char *str, PtLevel *level);
const char *pt_level_label (PtLevel level);
/* The level in the reader's language ("District": 区级), for messages and
 * the command line; pt_level_label () is the documents' Chinese word. */
const char *pt_level_name (PtLevel level);

G_END_DECLS
