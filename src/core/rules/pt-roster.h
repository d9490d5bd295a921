/* pt-roster.h: the district's roster of runners (runners.json).
 *
 * Runners are district reference data: the server keeps the roster
 * (`paotuan-server runners list|add|retire|import`), every desk receives it
 * with the other reference data and fills its runners table from it, so
 * that every desk knows every runner's name. The format is in
 * docs/reference-data.md:
 *
 *   {"version": 1, "district": "370304", "runners": [
 *     {"id": "R-0001", "name": "王桂兰", "unit": "370304-YC-001",
 *      "staff_number": "BS1001", "phone": "13853300101", "on_duty": true}]}
 */
#pragma once

#include <json-glib/json-glib.h>

#include "pt-district.h"

G_BEGIN_DECLS

/* A checked copy of one runner: the id "R-" and at least four digits, a
 * name, a unit of @district (nullable: any unit), a phone a person can dial
 * (kept in canonical form) and an optional staff number. NULL with
 * PT_ERROR_INVALID saying what is wrong. */
PtRunner  *pt_runner_new_checked   (const char  *id,
                                    const char  *name,
                                    const char  *unit,
                                    const char  *staff_number,
                                    const char  *phone,
                                    gboolean     on_duty,
                                    PtDistrict  *district,
                                    GError     **error);
PtRunner  *pt_runner_copy          (const PtRunner *runner);

/* The runners of a roster document, checked as above, each id once, sorted
 * by id. PT_ERROR_DATA naming the entry on a broken one. */
GPtrArray *pt_roster_parse         (JsonNode    *root,
                                    PtDistrict  *district,
                                    GError     **error);   /* PtRunner */
GPtrArray *pt_roster_load_file     (const char  *path,
                                    PtDistrict  *district,
                                    GError     **error);
/* The roster document of @runners, sorted by id: equal rosters, equal bytes. */
char      *pt_roster_to_json       (GPtrArray   *runners);

/* On-duty runners of @unit in @runners. */
guint      pt_roster_count_on_duty (GPtrArray   *runners,
                                    const char  *unit);
/* The next free id after the highest "R-NNNN" of @runners. */
char      *pt_roster_next_id       (GPtrArray   *runners);

G_END_DECLS
