/* pt-intake-page.h: intake (受理) in four short steps, saved as it is typed. */
#pragma once

#include <adwaita.h>

#include "pt-desk.h"

G_BEGIN_DECLS

#define PT_TYPE_INTAKE_PAGE (pt_intake_page_get_type ())
G_DECLARE_FINAL_TYPE (PtIntakePage, pt_intake_page, PT, INTAKE_PAGE, AdwBin)

GtkWidget *pt_intake_page_new          (void);
void       pt_intake_page_set_desk     (PtIntakePage *self,
                                        PtDesk       *desk);
/* Starts at the first step with the cursor in the first field. */
void       pt_intake_page_start        (PtIntakePage *self);
/* TRUE when something has been typed that is not recorded yet. */
gboolean   pt_intake_page_has_unsaved  (PtIntakePage *self);
/* Loads the saved draft; FALSE when there is none. */
gboolean   pt_intake_page_load_draft   (PtIntakePage *self);
/* Writes the draft now (also done a moment after every change). */
void       pt_intake_page_save_draft   (PtIntakePage *self);
/* Empties the form and deletes the draft. */
void       pt_intake_page_clear        (PtIntakePage *self);
/* Where drafts are kept; $PT_DRAFT_DIR overrides it for tests. */
char      *pt_intake_draft_path        (void);

G_END_DECLS
