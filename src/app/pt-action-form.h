/* pt-action-form.h: the short form an action of the case page needs.
 *
 * One form per event type (docs/events.md): it shows the fields the payload
 * needs, prefilled where the case already knows the answer, and builds the
 * payload. The store validates it again; its reason is shown in the form.
 */
#pragma once

#include <adwaita.h>

#include "pt-desk.h"
#include "pt-store-worker.h"

G_BEGIN_DECLS

#define PT_TYPE_ACTION_FORM (pt_action_form_get_type ())
G_DECLARE_FINAL_TYPE (PtActionForm, pt_action_form, PT, ACTION_FORM, GtkBox)

GtkWidget   *pt_action_form_new           (PtDesk             *desk,
                                           const PtCaseDetail *detail,
                                           PtEventType         type,
                                           const char         *step_id);
PtEventType  pt_action_form_get_event_type (PtActionForm      *self);
/* The payload, or NULL with @error saying which field to fix. */
JsonObject  *pt_action_form_build_payload (PtActionForm       *self,
                                           GError            **error);
/* The SHA-256 of the printed agreement, for "agreement_signed". */
void         pt_action_form_set_digest    (PtActionForm       *self,
                                           const char         *digest);
/* Shows a reason under the form (NULL hides it). */
void         pt_action_form_set_error     (PtActionForm       *self,
                                           const char         *message);
/* The title of an action, as on its button ("Approve 区住建局"). */
char        *pt_action_title              (const PtCaseState  *state,
                                           PtEventType         type,
                                           const char         *step_id);

G_END_DECLS
