/* pt-event.h: one entry of a case's append-only log, and its wire codec.
 *
 * The JSON form (docs/events.md) is the same on disk, on the wire and in
 * paotuanctl:
 *   {"id": UUIDv7, "case": UUIDv7, "wall": ms, "counter": n, "device": id,
 *    "author": runner id, "type": "step_returned", "payload": {...}, "seq": n}
 * "seq" is the server's sequence number, present once the event was synced.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "pt-hlc.h"
#include "pt-types.h"

G_BEGIN_DECLS

typedef enum {
  PT_EVENT_INTAKE,             /* 受理: applicant, channel, items, unit */
  PT_EVENT_MATERIALS_CHECKED,  /* 材料审核: the checklist as received */
  PT_EVENT_MISSING_NOTICE,     /* 一次性告知: every missing material at once */
  PT_EVENT_MATERIAL_RECEIVED,  /* 补交材料: a missing material arrived */
  PT_EVENT_AGREEMENT_SIGNED,   /* 签订委托协议: with the PDF's digest */
  PT_EVENT_RUNNER_ASSIGNED,    /* 明确跑手 (also reassignment) */
  PT_EVENT_PLAN_SET,           /* 代办帮办方案和申报计划 */
  PT_EVENT_STEP_SUBMITTED,     /* 报送部门 */
  PT_EVENT_STEP_RETURNED,      /* 退回补正: the step's clock pauses */
  PT_EVENT_STEP_RESUMED,       /* 补正后重新报送: the clock runs again */
  PT_EVENT_STEP_APPROVED,
  PT_EVENT_STEP_REJECTED,
  PT_EVENT_FEEDBACK_GIVEN,     /* 跟踪反馈 */
  PT_EVENT_CASE_SUSPENDED,     /* 中止 */
  PT_EVENT_CASE_RESUMED,       /* 续办 */
  PT_EVENT_CASE_TRANSFERRED,   /* 移交其他单位 */
  PT_EVENT_FEE_RECORDED,       /* only with its legal basis */
  PT_EVENT_DELIVERED,          /* 统一送达 / 办结 */
  PT_EVENT_TERMINATED,         /* 终止委托 */
  PT_EVENT_RATED,              /* 好差评 */
  PT_EVENT_RETURN_VISIT,       /* 回访 */
  PT_EVENT_NOTE,
  PT_EVENT_CONFLICT_RESOLVED,
  PT_EVENT_DOCUMENT_PRINTED,   /* 打印文书: which paper, its digest, printer, copies */
  PT_EVENT_N_TYPES
} PtEventType;

struct _PtEvent {
  char        *id;
  char        *case_id;
  PtStamp      stamp;
  char        *device;
  char        *author;
  PtEventType  type;
  JsonObject  *payload;
  gint64       seq;       /* server sequence; 0 until synced */
};

const char  *pt_event_type_to_string   (PtEventType  type);
gboolean     pt_event_type_from_string (const char  *str,
                                        PtEventType *type);
const char  *pt_event_type_label       (PtEventType  type);
/* The type's name in the reader's language (gettext), for messages and the
 * command line; pt_event_type_label () is the Chinese word of documents. */
const char  *pt_event_type_name        (PtEventType  type);

PtEvent     *pt_event_new              (const char  *id,
                                        const char  *case_id,
                                        const PtStamp *stamp,
                                        const char  *device,
                                        const char  *author,
                                        PtEventType  type,
                                        JsonObject  *payload);
PtEvent     *pt_event_copy             (const PtEvent *event);
void         pt_event_free             (PtEvent     *event);

int          pt_event_compare          (const PtEvent *a,
                                        const PtEvent *b);
char        *pt_event_local_date       (const PtEvent *event);

JsonNode    *pt_event_to_json          (const PtEvent *event);
char        *pt_event_to_string        (const PtEvent *event);
char        *pt_event_content_digest   (const PtEvent *event);
PtEvent     *pt_event_from_json        (JsonNode    *node,
                                        GError     **error);
PtEvent     *pt_event_from_string      (const char  *text,
                                        GError     **error);

/* Checks @payload against the schema of @type (docs/events.md); the error
 * (PT_ERROR_INVALID) names the member as a clerk would ("step 2's planned
 * end date") and says what to do, in the reader's language. */
gboolean     pt_event_validate_payload (PtEventType  type,
                                        JsonObject  *payload,
                                        GError     **error);
/* What a clerk calls a top-level member of @type's payload ("return date"),
 * translated; NULL when the type has no such member. */
const char  *pt_event_field_label      (PtEventType  type,
                                        const char  *member);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtEvent, pt_event_free)

G_END_DECLS
