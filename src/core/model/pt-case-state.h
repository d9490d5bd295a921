/* pt-case-state.h: what a case is now, folded from its events.
 *
 * The state is a pure function of the event set and the holiday calendar
 * (pt_fold () in pt-fold.h). It holds dates, never "today": what is overdue
 * is decided by whoever reads it, against their own today.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "pt-event.h"
#include "pt-types.h"

G_BEGIN_DECLS

typedef enum {
  PT_STATUS_ACCEPTED,     /* 已受理 */
  PT_STATUS_AGREED,       /* 已签协议 */
  PT_STATUS_ASSIGNED,     /* 已派跑手 */
  PT_STATUS_PLANNED,      /* 已定方案 */
  PT_STATUS_IN_PROGRESS,  /* 办理中 */
  PT_STATUS_SUSPENDED,    /* 已中止 */
  PT_STATUS_DELIVERED,    /* 已办结 */
  PT_STATUS_TERMINATED,   /* 已终止 */
  PT_STATUS_N
} PtCaseStatus;

typedef enum {
  PT_STEP_PLANNED,
  PT_STEP_SUBMITTED,
  PT_STEP_RETURNED,       /* 补正中: clock paused */
  PT_STEP_APPROVED,
  PT_STEP_REJECTED,
} PtStepStatus;

typedef enum {
  PT_MODE_SINGLE,         /* 单一审批 */
  PT_MODE_PARALLEL,       /* 并联审批 */
  PT_MODE_CROSS_LEVEL,    /* 跨层级 */
} PtStepMode;

typedef struct {
  char     *name;
  gboolean  original;     /* original (原件) or copy (复印件) */
  guint     count;
  gboolean  missing;
  char     *item;         /* catalog code, or NULL */
  char     *received_on;  /* when it arrived after the intake (material_received), or NULL */
} PtMaterial;

typedef struct {
  char *from;             /* date the step was returned */
  char *to;               /* date it was resumed; NULL while paused */
  char *reason;
  guint working_days;     /* working days paused, once closed */
  gboolean provisional;   /* @working_days were counted through a year without a holiday table */
} PtPause;

typedef struct {
  char         *id;
  char         *item;
  char         *department;
  PtLevel       level;
  PtStepMode    mode;
  char         *planned_start;
  char         *planned_end;
  guint         limit_days;
  PtStepStatus  status;
  char         *submitted_on;
  char         *decided_on;
  char         *due;           /* NULL while not submitted or paused, or without a calendar */
  gboolean      provisional;   /* @due, or a pause's working days, was counted through a
                                * year without a holiday table: it may change once the
                                * table is there (the store then folds the case again) */
  char         *stopped_on;    /* the case ended (delivered, terminated) while this step's
                                * clock ran or was paused: it stopped that day; NULL otherwise */
  guint         paused_days;
  GPtrArray    *pauses;        /* PtPause */
  char         *reason;        /* of the last return or the rejection */
  char         *document;      /* approval document, if any */
} PtStep;

typedef struct {
  char  *name;
  gint64 amount_fen;
  char  *basis;
  char  *item;            /* the catalog item it is for; NULL in events before items were named */
} PtFee;

typedef struct {
  char  *name;
  char  *number;
  guint  copies;
  char  *step;            /* the approved step it is for; NULL in events before steps were named */
} PtCertificate;

typedef struct {
  char *event_id;
  char *type;
  char *reason;
} PtConflict;

struct _PtCaseState {
  char         *id;
  char         *number;
  PtCaseStatus  status;
  PtCaseStatus  status_before_suspension;
  char         *suspension_reason;
  char         *unit;
  PtLevel       level;
  char         *channel;
  char         *intake_date;
  char         *intake_author;

  char         *applicant_kind;     /* "person" or "enterprise" */
  char         *applicant_name;
  char         *id_number;
  char         *uscc;
  char         *uscc_override;
  char         *legal_representative;
  char         *phone;
  char         *address;
  char         *vulnerable;

  GPtrArray    *items;              /* char *, catalog codes */
  GPtrArray    *materials;          /* PtMaterial */
  GPtrArray    *notice_materials;   /* char *, names in the one-time notice */
  char         *notice_date;
  char         *notice_closed_on;   /* every material of the notice arrived (material_received) */
  char         *agreement_digest;
  char         *agreement_date;
  char         *runner;
  GPtrArray    *steps;              /* PtStep */
  GPtrArray    *fees;               /* PtFee */
  guint         feedback_count;
  char         *last_feedback;
  GPtrArray    *transfers;          /* char *, the units the case was transferred from */

  /* delivery */
  char         *delivered_on;
  char         *delivery_method;
  char         *tracking_number;
  char         *courier;            /* pt-mail.h's code, for mail */
  char         *mail_address;
  gboolean      originals_returned;
  GPtrArray    *certificates;       /* PtCertificate */

  /* termination */
  char         *terminated_on;
  char         *termination_code;
  char         *termination_reason;
  GPtrArray    *returned_materials; /* PtMaterial */

  int           rating;             /* 0: none; 1..5 */
  guint         return_visits;
  GPtrArray    *notes;              /* char * */
  GPtrArray    *conflicts;          /* PtConflict, unresolved */
  char         *due;                /* the latest due date of the running steps */
  gboolean      due_provisional;    /* @due was counted through a year without a holiday table */
  guint         n_events;
  char         *last_event_id;
  char         *updated_on;         /* business date of the last event */
};

const char  *pt_case_status_to_string (PtCaseStatus status);
gboolean     pt_case_status_from_string (const char *str,
                                         PtCaseStatus *status);
const char  *pt_case_status_label     (PtCaseStatus status);
const char  *pt_step_status_to_string (PtStepStatus status);
const char  *pt_step_status_label     (PtStepStatus status);
const char  *pt_step_mode_to_string   (PtStepMode mode);
gboolean     pt_step_mode_from_string (const char *str,
                                       PtStepMode *mode);
const char  *pt_step_mode_label       (PtStepMode mode);
/* The same names in the reader's language (gettext), for messages and
 * the command line; the _label () forms above are the Chinese words the
 * printed documents use whatever the desk's language. */
const char  *pt_case_status_name      (PtCaseStatus status);
const char  *pt_step_status_name      (PtStepStatus status);
const char  *pt_step_mode_name        (PtStepMode mode);

PtCaseState *pt_case_state_new        (void);
void         pt_case_state_free       (PtCaseState *state);
gboolean     pt_case_state_is_ended   (const PtCaseState *state);
PtStep      *pt_case_state_find_step  (const PtCaseState *state,
                                       const char *step_id);
/* The 1-based position of the step in the plan, 0 when it has none: what a
 * person calls it ("step 2"). */
guint        pt_case_state_step_number (const PtCaseState *state,
                                        const char *step_id);
PtMaterial  *pt_case_state_find_material (const PtCaseState *state,
                                          const char *name);
/* Whether some material of the checklist is still missing. */
gboolean     pt_case_state_has_missing (const PtCaseState *state);
/* Whether a due date of the state (the case's or a step's) is provisional:
 * the store refolds such cases when the calendar gains a year. */
gboolean     pt_case_state_is_provisional (const PtCaseState *state);

/* The fees the case may record (fee_recorded), for the form: every fee the
 * catalog lists for its items, as PtItemFee (pt-catalog.h; item, fee name,
 * amount, legal basis). Empty when the service is free, as most are. */
GPtrArray   *pt_case_fees             (const PtCaseState *state,
                                       PtCatalog         *catalog);

/* Working days a step's clock has used by @today: from its submission (not
 * counted) to @today, or to the day the clock stopped (the case ended) or
 * the day it was paused, less the days it spent paused. -1 when it never
 * ran. @provisional (nullable): the count met a year without a table. */
int          pt_step_days_used        (const PtStep *step,
                                       PtCalendar   *calendar,
                                       const char   *today,
                                       gboolean     *provisional);
/* Whether the step is past its due date on @today: never when its clock
 * is paused or stopped (an ended case has nothing overdue), nor once it is
 * decided. */
gboolean     pt_step_is_overdue       (const PtStep *step,
                                       const char   *today);
JsonNode    *pt_case_state_to_json    (const PtCaseState *state);
char        *pt_case_state_to_string  (const PtCaseState *state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtCaseState, pt_case_state_free)

G_END_DECLS

G_BEGIN_DECLS
/* Constructors the fold and the tests use. */
PtStep        *pt_step_new        (void);
PtMaterial    *pt_material_new    (const char *name,
                                   gboolean    original,
                                   guint       count,
                                   gboolean    missing,
                                   const char *item);
PtPause       *pt_pause_new       (const char *from,
                                   const char *reason);
PtFee         *pt_fee_new         (const char *name,
                                   gint64      amount_fen,
                                   const char *basis,
                                   const char *item);
PtCertificate *pt_certificate_new (const char *name,
                                   const char *number,
                                   guint       copies,
                                   const char *step);
PtConflict    *pt_conflict_new    (const char *event_id,
                                   const char *type,
                                   const char *reason);
G_END_DECLS
