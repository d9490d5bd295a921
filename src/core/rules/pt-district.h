/* pt-district.h: units of the district (区, 部门, 镇/街道, 村/社区) and their runners. */
#pragma once

#include <json-glib/json-glib.h>

#include "pt-types.h"

G_BEGIN_DECLS

typedef enum {
  PT_UNIT_DISTRICT,      /* 区政务服务中心 */
  PT_UNIT_DEPARTMENT,    /* 区直部门 */
  PT_UNIT_TOWN,          /* 镇 */
  PT_UNIT_SUBDISTRICT,   /* 街道 */
  PT_UNIT_VILLAGE,       /* 村 */
  PT_UNIT_COMMUNITY,     /* 社区 */
} PtUnitKind;

struct _PtUnit {
  char       *code;      /* "370304", "370304-ZRZY", "370304-YC", "370304-YC-001" */
  char       *name;
  char       *short_name;
  PtUnitKind  kind;
  PtLevel     level;
  char       *parent;    /* NULL for the district */
  /* The unit's service center (区政务服务中心, 镇便民服务中心, 村便民服务站):
   * NULL for a unit without one of its own (a department, whose window is
   * in the district center). The address and hotline are the center's
   * where it has one, else the unit's. */
  char       *center_name;
  char       *address;
  char       *hotline;
  char       *hours;     /* opening hours, as printed: "工作日 上午8:30—12:00，…" */
  gboolean    has_location;
  double      latitude;  /* WGS-84 degrees, when has_location */
  double      longitude;
};

typedef struct {
  char *id;              /* "R-0001" */
  char *name;
  char *unit;
  char *staff_number;
  char *phone;
  gboolean active;
} PtRunner;

PtDistrict     *pt_district_new           (void);
void            pt_district_free          (PtDistrict *district);
gboolean        pt_district_load_file     (PtDistrict *district,
                                           const char *path,
                                           GError    **error);
gboolean        pt_district_load_json     (PtDistrict *district,
                                           JsonNode   *root,
                                           GError    **error);
guint           pt_district_get_n_units   (PtDistrict *district);
const PtUnit   *pt_district_get_unit      (PtDistrict *district,
                                           guint       index);
const PtUnit   *pt_district_lookup        (PtDistrict *district,
                                           const char *code);
/* The unit whose name or short name is @name ("区民政局"), or NULL: a
 * step's department. */
const PtUnit   *pt_district_lookup_name   (PtDistrict *district,
                                           const char *name);
/* TRUE when @code is @ancestor or a unit below it. */
gboolean        pt_district_is_within     (PtDistrict *district,
                                           const char *code,
                                           const char *ancestor);
/* Where the desk of unit @desk may transfer a case now with unit @from: up
 * to a unit above the case (the town, the district), or down to any unit
 * below the desk (a town passes a case between its villages); never
 * sideways from a desk's own level, to another village or town, and never
 * to a department, whose work is a step of the plan. The error says why
 * and where the case may go instead. @desk NULL: the case's own unit. */
gboolean        pt_district_transfer_allowed (PtDistrict *district,
                                              const char *desk,
                                              const char *from,
                                              const char *to,
                                              GError    **error);
/* The units such a desk may transfer a case of @from to (const PtUnit *):
 * the case's parent first, then the units above it, then those below the
 * desk. */
GPtrArray      *pt_district_transfer_targets (PtDistrict *district,
                                              const char *desk,
                                              const char *from);
/* The seed's minimum number of runners for a unit (§三(二)): a district
 * department 1, a town or subdistrict 2, a village or community 2; 0 for the
 * district center itself. */
guint           pt_unit_min_runners       (const PtUnit *unit);
/* The name of the unit's service center, or the unit's own name when it has
 * none: what the papers of a case taken there print. */
const char     *pt_unit_center_name       (const PtUnit *unit);
const char     *pt_unit_kind_to_string    (PtUnitKind kind);

void            pt_runner_free            (PtRunner *runner);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtDistrict, pt_district_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtRunner, pt_runner_free)

G_END_DECLS
