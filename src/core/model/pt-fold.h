/* pt-fold.h: the workflow of the seed's flowchart, and the fold that applies it.
 *
 * pt_workflow_check () says whether an event fits a state; the store refuses a
 * local event that does not fit, and the fold turns one that arrives that way
 * through sync into a conflict instead of dropping it.
 */
#pragma once

#include "pt-case-state.h"
#include "pt-event.h"
#include "pt-types.h"

G_BEGIN_DECLS

gboolean     pt_workflow_check     (const PtCaseState *state,
                                    const PtEvent     *event,
                                    GError           **error);
/* The rules an event made now must also follow, on top of
 * pt_workflow_check (): an event from another desk, made before such a rule
 * existed, still folds. Dates (docs/events.md): a business date is not
 * after @today ("YYYY-MM-DD") nor before the intake, a step's record not
 * before what it answers, a plan's dates not before the intake; a fee
 * names its item; a delivery names the step of each certificate and
 * lists one for every approved step. PT_ERROR_INVALID or
 * PT_ERROR_FORBIDDEN with a message for a person. The store checks every
 * local event so. */
gboolean     pt_workflow_check_new (const PtCaseState *state,
                                    const PtEvent     *event,
                                    const char        *today,
                                    GError           **error);
gboolean     pt_workflow_allows    (const PtCaseState *state,
                                    PtEventType        type);
PtEventType  pt_workflow_next      (const PtCaseState *state,
                                    const char       **step_id);

/* Sorts @events (PtEvent) in (stamp, device, id) order, in place, and folds
 * them. @calendar may be NULL: steps then have no due dates. */
PtCaseState *pt_fold               (GPtrArray         *events,
                                    PtCalendar        *calendar);

/* Conflicts, as a person decides them.
 *
 * pt_conflict_explain (): why the event @event_id of @events (the case's log
 * in fold order) did not fit, in the reader's language: the events before
 * it are folded again and it is checked there. NULL when it fits.
 *
 * pt_conflict_can_apply (): whether "apply" may be chosen for @conflicting
 * in @state now. Only a step's decision, a delivery and a termination can
 * be applied; a delivery waits until no step's decision is in conflict and
 * every step is decided (it hands over what they issued). The error says
 * what to decide first. */
/* Whether a conflicting event of @type can ever be applied (a step's
 * decision, a delivery, a termination); the others can only be kept out. */
gboolean     pt_conflict_is_applicable (PtEventType    type);
char        *pt_conflict_explain   (GPtrArray         *events,
                                    const char        *event_id,
                                    PtCalendar        *calendar);
gboolean     pt_conflict_can_apply (const PtCaseState *state,
                                    const PtEvent     *conflicting,
                                    GError           **error);

/* Incremental folding, for the store: events added in fold order. */
typedef struct _PtFolder PtFolder;

PtFolder          *pt_folder_new         (PtCalendar    *calendar);
void               pt_folder_free        (PtFolder      *folder);
gboolean           pt_folder_can_append  (PtFolder      *folder,
                                          const PtEvent *event);
gboolean           pt_folder_add         (PtFolder      *folder,
                                          PtEvent       *event,
                                          gboolean       strict,
                                          GError       **error);
const PtCaseState *pt_folder_get_state   (PtFolder      *folder);
PtCaseState       *pt_folder_steal_state (PtFolder      *folder);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtFolder, pt_folder_free)

G_END_DECLS
