/* pt-event.c: events, their wire codec and the schema of each payload. */
#define G_LOG_DOMAIN "paotuan-core"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pt-calendar.h"
#include "pt-error.h"
#include "pt-event.h"
#include "pt-json.h"
#include "pt-uuid.h"
#include "pt-validate.h"

static const struct {
  const char *name;
  const char *label;
} event_types[PT_EVENT_N_TYPES] = {
  [PT_EVENT_INTAKE]            = { "intake",            "受理" },
  [PT_EVENT_MATERIALS_CHECKED] = { "materials_checked", "审核材料" },
  [PT_EVENT_MISSING_NOTICE]    = { "missing_notice",    "一次性告知" },
  [PT_EVENT_MATERIAL_RECEIVED] = { "material_received", "补交材料" },
  [PT_EVENT_AGREEMENT_SIGNED]  = { "agreement_signed",  "签订委托协议" },
  [PT_EVENT_RUNNER_ASSIGNED]   = { "runner_assigned",   "明确跑手" },
  [PT_EVENT_PLAN_SET]          = { "plan_set",          "制定代办方案" },
  [PT_EVENT_STEP_SUBMITTED]    = { "step_submitted",    "报送部门" },
  [PT_EVENT_STEP_RETURNED]     = { "step_returned",     "退回补正" },
  [PT_EVENT_STEP_RESUMED]      = { "step_resumed",      "补正后重新报送" },
  [PT_EVENT_STEP_APPROVED]     = { "step_approved",     "审批通过" },
  [PT_EVENT_STEP_REJECTED]     = { "step_rejected",     "不予批准" },
  [PT_EVENT_FEEDBACK_GIVEN]    = { "feedback_given",    "反馈申请人" },
  [PT_EVENT_CASE_SUSPENDED]    = { "case_suspended",    "中止" },
  [PT_EVENT_CASE_RESUMED]      = { "case_resumed",      "续办" },
  [PT_EVENT_CASE_TRANSFERRED]  = { "case_transferred",  "移交" },
  [PT_EVENT_FEE_RECORDED]      = { "fee_recorded",      "代缴法定费用" },
  [PT_EVENT_DELIVERED]         = { "delivered",         "统一送达办结" },
  [PT_EVENT_TERMINATED]        = { "terminated",        "终止委托" },
  [PT_EVENT_RATED]             = { "rated",             "好差评" },
  [PT_EVENT_RETURN_VISIT]      = { "return_visit",      "回访" },
  [PT_EVENT_NOTE]              = { "note",              "备注" },
  [PT_EVENT_CONFLICT_RESOLVED] = { "conflict_resolved", "处理冲突" },
  [PT_EVENT_DOCUMENT_PRINTED]  = { "document_printed",  "打印文书" },
};

const char *
pt_event_type_to_string (PtEventType type)
{
  g_return_val_if_fail (type < PT_EVENT_N_TYPES, NULL);
  return event_types[type].name;
}

gboolean
pt_event_type_from_string (const char  *str,
                           PtEventType *type)
{
  for (guint i = 0; i < PT_EVENT_N_TYPES; i++)
    {
      if (g_strcmp0 (str, event_types[i].name) == 0)
        {
          *type = (PtEventType) i;
          return TRUE;
        }
    }
  return FALSE;
}

/* The Chinese word of the seed, for timelines and documents. */
const char *
pt_event_type_label (PtEventType type)
{
  g_return_val_if_fail (type < PT_EVENT_N_TYPES, NULL);
  return event_types[type].label;
}

const char *
pt_event_type_name (PtEventType type)
{
  switch (type)
    {
    case PT_EVENT_INTAKE: return _("Intake");
    case PT_EVENT_MATERIALS_CHECKED: return _("Materials checked");
    case PT_EVENT_MISSING_NOTICE: return _("One-time notice of missing materials");
    case PT_EVENT_MATERIAL_RECEIVED: return _("Missing material received");
    case PT_EVENT_AGREEMENT_SIGNED: return _("Agreement signed");
    case PT_EVENT_RUNNER_ASSIGNED: return _("Runner assigned");
    case PT_EVENT_PLAN_SET: return _("Plan set");
    case PT_EVENT_STEP_SUBMITTED: return _("Submitted");
    case PT_EVENT_STEP_RETURNED: return _("Returned for correction");
    case PT_EVENT_STEP_RESUMED: return _("Resubmitted after correction");
    case PT_EVENT_STEP_APPROVED: return _("Approved");
    case PT_EVENT_STEP_REJECTED: return _("Rejected");
    case PT_EVENT_FEEDBACK_GIVEN: return _("Feedback given");
    case PT_EVENT_CASE_SUSPENDED: return _("Suspended");
    case PT_EVENT_CASE_RESUMED: return _("Resumed");
    case PT_EVENT_CASE_TRANSFERRED: return _("Transferred");
    case PT_EVENT_FEE_RECORDED: return _("Fee recorded");
    case PT_EVENT_DELIVERED: return _("Delivered");
    case PT_EVENT_TERMINATED: return _("Terminated");
    case PT_EVENT_RATED: return _("Rated");
    case PT_EVENT_RETURN_VISIT: return _("Return visit");
    case PT_EVENT_NOTE: return _("Note");
    case PT_EVENT_CONFLICT_RESOLVED: return _("Conflict resolved");
    case PT_EVENT_DOCUMENT_PRINTED: return _("Document printed");
    case PT_EVENT_N_TYPES:
    default: g_return_val_if_reached ("");
    }
}

PtEvent *
pt_event_new (const char    *id,
              const char    *case_id,
              const PtStamp *stamp,
              const char    *device,
              const char    *author,
              PtEventType    type,
              JsonObject    *payload)
{
  PtEvent *event = g_new0 (PtEvent, 1);

  event->id = g_strdup (id);
  event->case_id = g_strdup (case_id);
  event->stamp = *stamp;
  event->device = g_strdup (device);
  event->author = g_strdup (author);
  event->type = type;
  event->payload = payload ? json_object_ref (payload) : json_object_new ();
  return event;
}

PtEvent *
pt_event_copy (const PtEvent *event)
{
  PtEvent *copy = pt_event_new (event->id, event->case_id, &event->stamp, event->device,
                                event->author, event->type, event->payload);
  copy->seq = event->seq;
  return copy;
}

void
pt_event_free (PtEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->id);
  g_free (event->case_id);
  g_free (event->device);
  g_free (event->author);
  g_clear_pointer (&event->payload, json_object_unref);
  g_free (event);
}

/* The fold order: stamp, then device, then id, so that every desk and the
 * server agree on one total order without talking to each other. */
int
pt_event_compare (const PtEvent *a,
                  const PtEvent *b)
{
  int c = pt_stamp_compare (&a->stamp, &b->stamp);

  if (c != 0)
    return c;
  c = g_strcmp0 (a->device, b->device);
  if (c != 0)
    return c;
  return g_strcmp0 (a->id, b->id);
}

char *
pt_event_local_date (const PtEvent *event)
{
  const char *date = pt_json_get_string (event->payload, "date");

  if (date != NULL)
    return g_strdup (date);
  return pt_date_from_unix_ms (event->stamp.wall);
}

JsonNode *
pt_event_to_json (const PtEvent *event)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "id", event->id);
  json_object_set_string_member (object, "case", event->case_id);
  json_object_set_int_member (object, "wall", event->stamp.wall);
  json_object_set_int_member (object, "counter", event->stamp.counter);
  json_object_set_string_member (object, "device", event->device);
  if (event->author != NULL)
    json_object_set_string_member (object, "author", event->author);
  else
    json_object_set_null_member (object, "author");
  json_object_set_string_member (object, "type", pt_event_type_to_string (event->type));
  json_object_set_object_member (object, "payload", json_object_ref (event->payload));
  if (event->seq > 0)
    json_object_set_int_member (object, "seq", event->seq);
  json_node_take_object (node, object);
  return node;
}

char *
pt_event_to_string (const PtEvent *event)
{
  g_autoptr(JsonNode) node = pt_event_to_json (event);

  return pt_json_canonical (node);
}

/* SHA-256 over the canonical JSON of everything but the server's sequence:
 * two copies of one event have the same digest wherever they travelled. */
char *
pt_event_content_digest (const PtEvent *event)
{
  g_autoptr(JsonNode) node = pt_event_to_json (event);
  g_autofree char *text = NULL;

  json_object_remove_member (json_node_get_object (node), "seq");
  text = pt_json_canonical (node);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

static gboolean
member_is (JsonObject *object,
           const char *name,
           GType       type)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_TYPE (node) == JSON_NODE_VALUE
         && json_node_get_value_type (node) == type;
}

PtEvent *
pt_event_from_json (JsonNode  *node,
                    GError   **error)
{
  static const char * const known[] = {
    "id", "case", "wall", "counter", "device", "author", "type", "payload", "seq", NULL
  };
  JsonObject *object;
  PtEventType type;
  PtStamp stamp;
  JsonNode *author;
  g_autoptr(PtEvent) event = NULL;
  g_autoptr(GList) members = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID, _("An event must be a JSON object."));
      return NULL;
    }
  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (GList *l = members; l; l = l->next)
    {
      if (!g_strv_contains (known, l->data))
        {
          g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                       _("An event has no member “%s”: check its spelling (docs/events.md)."),
                       (const char *) l->data);
          return NULL;
        }
    }
  if (!member_is (object, "id", G_TYPE_STRING) || !pt_uuid_is_valid (pt_json_get_string (object, "id"))
      || !member_is (object, "case", G_TYPE_STRING) || !pt_uuid_is_valid (pt_json_get_string (object, "case")))
    {
      g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID,
                           _("An event needs “id” and “case” as lower-case UUID strings."));
      return NULL;
    }
  if (!member_is (object, "wall", G_TYPE_INT64) || !member_is (object, "counter", G_TYPE_INT64)
      || pt_json_get_int (object, "wall", -1) < 0 || pt_json_get_int (object, "counter", -1) < 0
      || pt_json_get_int (object, "counter", 0) > G_MAXUINT32)
    {
      g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID,
                           _("An event needs “wall” (milliseconds) and “counter” as non-negative integers."));
      return NULL;
    }
  if (!member_is (object, "device", G_TYPE_STRING) || *pt_json_get_string (object, "device") == '\0')
    {
      g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID, _("An event needs its “device” as a string."));
      return NULL;
    }
  author = json_object_get_member (object, "author");
  if (author != NULL && !JSON_NODE_HOLDS_NULL (author) && !member_is (object, "author", G_TYPE_STRING))
    {
      g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID, _("An event's “author” must be a runner id string."));
      return NULL;
    }
  if (!member_is (object, "type", G_TYPE_STRING))
    {
      g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID, _("An event needs its “type” as a string."));
      return NULL;
    }
  if (!pt_event_type_from_string (pt_json_get_string (object, "type"), &type))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("Unknown event type “%s”: see docs/events.md for the types."),
                   pt_json_get_string (object, "type"));
      return NULL;
    }
  if (pt_json_get_object (object, "payload") == NULL)
    {
      g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID, _("An event needs its “payload” as an object."));
      return NULL;
    }
  if (json_object_has_member (object, "seq") && !member_is (object, "seq", G_TYPE_INT64)
      && !JSON_NODE_HOLDS_NULL (json_object_get_member (object, "seq")))
    {
      g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID, _("An event's “seq” must be an integer."));
      return NULL;
    }
  if (!pt_event_validate_payload (type, pt_json_get_object (object, "payload"), error))
    return NULL;

  stamp.wall = pt_json_get_int (object, "wall", 0);
  stamp.counter = (guint32) pt_json_get_int (object, "counter", 0);
  event = pt_event_new (pt_json_get_string (object, "id"),
                        pt_json_get_string (object, "case"),
                        &stamp,
                        pt_json_get_string (object, "device"),
                        pt_json_get_string (object, "author"),
                        type,
                        pt_json_get_object (object, "payload"));
  event->seq = pt_json_get_int (object, "seq", 0);
  return g_steal_pointer (&event);
}

PtEvent *
pt_event_from_string (const char  *text,
                      GError     **error)
{
  g_autoptr(JsonNode) node = pt_json_parse (text, -1, error);

  if (node == NULL)
    return NULL;
  return pt_event_from_json (node, error);
}

/* ---- payload schemas ------------------------------------------------- */

typedef enum {
  F_TEXT,        /* a non-empty string */
  F_STRING,      /* any string */
  F_DATE,        /* YYYY-MM-DD */
  F_INT,
  F_BOOL,
  F_OBJECT,
  F_OBJECTS,     /* an array of objects */
  F_STRINGS,     /* an array of non-empty strings */
} FieldKind;

/* A member of a payload. @label is what a clerk calls it (N_(), translated
 * when a message names it); @element names one entry of a list, with its
 * 1-based position ("step %u": 第 %u 步). */
typedef struct _Field Field;
struct _Field {
  const char          *name;
  const char          *label;
  FieldKind            kind;
  gboolean             required;
  const char * const  *choices;   /* for F_TEXT */
  const Field         *sub;       /* for F_OBJECT and F_OBJECTS, ends with a NULL name */
  gint64               min;       /* F_INT, or the minimum length of an array */
  gint64               max;       /* F_INT, 0 for none */
  const char          *element;   /* F_OBJECTS and F_STRINGS */
};

static const char * const applicant_kinds[] = { "person", "enterprise", NULL };
static const char * const vulnerable_groups[] = { "none", "elderly", "sick", "disabled", "pregnant", NULL };
static const char * const channels[] = { "window", "hotline", "home_visit", NULL };
static const char * const forms[] = { "original", "copy", NULL };
static const char * const levels[] = { "district", "town", "village", NULL };
static const char * const modes[] = { "single", "parallel", "cross_level", NULL };
static const char * const feedback_channels[] = { "phone", "sms", "in_person", "wechat", NULL };
static const char * const delivery_methods[] = { "in_person", "mail", NULL };
/* pt-mail.c's couriers, in its order. */
static const char * const couriers[] = { "ems", "sf", "jd", "zto", "yto", "sto", "yunda", "other", NULL };
static const char * const termination_codes[] = {
  "applicant_withdrew", "conditions_not_met", "rejected", "unreachable", "other", NULL
};
static const char * const decisions[] = { "keep", "apply", NULL };

#define END { NULL, NULL, 0, 0, NULL, NULL, 0, 0, NULL }
#define TEXT(name, label, required) { name, label, F_TEXT, required, NULL, NULL, 0, 0, NULL }
#define STRING(name, label) { name, label, F_STRING, FALSE, NULL, NULL, 0, 0, NULL }
#define CHOICE(name, label, required, choices) { name, label, F_TEXT, required, choices, NULL, 0, 0, NULL }
#define DATE(name, label) { name, label, F_DATE, FALSE, NULL, NULL, 0, 0, NULL }
#define INT(name, label, required, min, max) { name, label, F_INT, required, NULL, NULL, min, max, NULL }
#define BOOL(name, label, required) { name, label, F_BOOL, required, NULL, NULL, 0, 0, NULL }
#define OBJECTS(name, label, required, sub, min, element) { name, label, F_OBJECTS, required, NULL, sub, min, 0, element }
#define STRINGS(name, label, min, element) { name, label, F_STRINGS, TRUE, NULL, NULL, min, 0, element }

static const Field applicant_fields[] = {
  CHOICE ("kind", N_("applicant type"), TRUE, applicant_kinds),
  TEXT ("name", N_("applicant's name"), TRUE),
  STRING ("id_number", N_("resident ID number")),
  STRING ("uscc", N_("unified social credit code")),
  STRING ("uscc_override", N_("reason to keep the credit code")),
  STRING ("legal_representative", N_("legal representative")),
  TEXT ("phone", N_("phone number"), TRUE),
  TEXT ("address", N_("address"), TRUE),
  CHOICE ("vulnerable", N_("vulnerable group"), FALSE, vulnerable_groups),
  END
};

static const Field intake_fields[] = {
  { "applicant", N_("applicant"), F_OBJECT, TRUE, NULL, applicant_fields, 0, 0, NULL },
  CHOICE ("channel", N_("channel"), TRUE, channels),
  STRINGS ("items", N_("service items"), 1, N_("item %u")),
  TEXT ("unit", N_("taking unit"), TRUE),
  CHOICE ("level", N_("level"), TRUE, levels),
  TEXT ("number", N_("case number"), TRUE),
  TEXT ("transfer_to", N_("unit to transfer to"), FALSE),
  DATE ("date", N_("intake date")),
  END
};

/* A missing material may have no copies yet; a received one has at least
 * one (check_rules ()). */
static const Field material_fields[] = {
  TEXT ("name", N_("name"), TRUE),
  CHOICE ("form", N_("original or copy"), TRUE, forms),
  INT ("count", N_("number of copies"), TRUE, 0, 999),
  BOOL ("missing", N_("missing"), FALSE),
  STRING ("item", N_("item")),
  END
};

static const Field materials_checked_fields[] = {
  OBJECTS ("materials", N_("materials"), TRUE, material_fields, 1, N_("material %u")),
  DATE ("date", N_("checking date")),
  END
};

static const Field received_material_fields[] = {
  TEXT ("name", N_("name"), TRUE),
  CHOICE ("form", N_("original or copy"), TRUE, forms),
  INT ("count", N_("number of copies"), TRUE, 1, 999),
  END
};

static const Field material_received_fields[] = {
  OBJECTS ("materials", N_("materials received"), TRUE, received_material_fields, 1, N_("material %u")),
  DATE ("date", N_("date received")),
  END
};

static const Field missing_notice_fields[] = {
  STRINGS ("materials", N_("missing materials"), 1, N_("missing material %u")),
  DATE ("deadline", N_("deadline to bring them")),
  DATE ("date", N_("notice date")),
  END
};

static const Field agreement_fields[] = {
  TEXT ("digest", N_("digest of the signed agreement"), TRUE),
  STRING ("document", N_("agreement document")),
  DATE ("date", N_("signing date")),
  END
};

static const Field runner_fields[] = {
  TEXT ("runner", N_("runner"), TRUE),
  STRING ("reason", N_("reason")),
  DATE ("date", N_("assignment date")),
  END
};

static const Field plan_step_fields[] = {
  TEXT ("id", N_("step id"), TRUE),
  TEXT ("item", N_("item"), TRUE),
  TEXT ("department", N_("department"), TRUE),
  CHOICE ("level", N_("level"), TRUE, levels),
  CHOICE ("mode", N_("approval mode"), TRUE, modes),
  DATE ("planned_start", N_("planned start date")),
  DATE ("planned_end", N_("planned end date")),
  INT ("limit_days", N_("time limit in working days"), TRUE, 1, 365),
  END
};

static const Field plan_fields[] = {
  OBJECTS ("steps", N_("steps"), TRUE, plan_step_fields, 1, N_("step %u")),
  DATE ("date", N_("plan date")),
  END
};

static const Field step_submitted_fields[] = {
  TEXT ("step", N_("step"), TRUE),
  DATE ("date", N_("submission date")),
  END
};

static const Field step_returned_fields[] = {
  TEXT ("step", N_("step"), TRUE),
  TEXT ("reason", N_("what must be corrected"), TRUE),
  DATE ("date", N_("return date")),
  END
};

static const Field step_resumed_fields[] = {
  TEXT ("step", N_("step"), TRUE),
  DATE ("date", N_("resubmission date")),
  END
};

static const Field step_approved_fields[] = {
  TEXT ("step", N_("step"), TRUE),
  STRING ("document", N_("approval document")),
  DATE ("date", N_("approval date")),
  END
};

static const Field step_rejected_fields[] = {
  TEXT ("step", N_("step"), TRUE),
  TEXT ("reason", N_("reason for the rejection"), TRUE),
  DATE ("date", N_("rejection date")),
  END
};

static const Field feedback_fields[] = {
  CHOICE ("channel", N_("feedback channel"), TRUE, feedback_channels),
  TEXT ("text", N_("feedback"), TRUE),
  DATE ("date", N_("feedback date")),
  END
};

static const Field suspended_fields[] = {
  TEXT ("reason", N_("reason for the suspension"), TRUE),
  DATE ("date", N_("suspension date")),
  END
};

static const Field resumed_fields[] = {
  STRING ("reason", N_("reason")),
  DATE ("date", N_("resumption date")),
  END
};

static const Field transfer_fields[] = {
  TEXT ("to_unit", N_("unit to transfer to"), TRUE),
  CHOICE ("level", N_("level"), TRUE, levels),
  TEXT ("reason", N_("reason for the transfer"), TRUE),
  DATE ("date", N_("transfer date")),
  END
};

/* "item" is required of a fee made now (pt_catalog_complete_fee ()), not
 * of one recorded before fees came from the catalog. */
static const Field fee_fields[] = {
  TEXT ("item", N_("item"), FALSE),
  TEXT ("name", N_("fee"), TRUE),
  INT ("amount_fen", N_("amount in fen"), TRUE, 1, 0),
  STRING ("basis", N_("legal basis")),
  DATE ("date", N_("payment date")),
  END
};

/* "step" likewise: pt_workflow_check_new () requires it. */
static const Field certificate_fields[] = {
  TEXT ("step", N_("step"), FALSE),
  TEXT ("name", N_("name"), TRUE),
  TEXT ("number", N_("number"), TRUE),
  INT ("copies", N_("copies"), TRUE, 1, 99),
  END
};

static const Field delivered_fields[] = {
  OBJECTS ("certificates", N_("certificates"), FALSE, certificate_fields, 0, N_("certificate %u")),
  BOOL ("originals_returned", N_("originals returned"), TRUE),
  CHOICE ("method", N_("delivery method"), TRUE, delivery_methods),
  STRING ("tracking_number", N_("tracking number")),
  CHOICE ("courier", N_("courier"), FALSE, couriers),
  STRING ("mail_address", N_("mailing address")),
  DATE ("date", N_("delivery date")),
  END
};

static const Field returned_material_fields[] = {
  TEXT ("name", N_("name"), TRUE),
  CHOICE ("form", N_("original or copy"), TRUE, forms),
  INT ("count", N_("number of copies"), TRUE, 1, 999),
  END
};

static const Field terminated_fields[] = {
  CHOICE ("reason_code", N_("kind of reason"), TRUE, termination_codes),
  TEXT ("reason", N_("reason for the termination"), TRUE),
  OBJECTS ("materials_returned", N_("materials returned"), TRUE, returned_material_fields, 0,
           N_("returned material %u")),
  DATE ("date", N_("termination date")),
  END
};

static const Field rated_fields[] = {
  INT ("grade", N_("rating"), TRUE, 1, 5),
  STRING ("text", N_("comment")),
  DATE ("date", N_("rating date")),
  END
};

static const Field return_visit_fields[] = {
  TEXT ("text", N_("what the applicant said"), TRUE),
  DATE ("date", N_("visit date")),
  END
};

static const Field note_fields[] = {
  TEXT ("text", N_("note"), TRUE),
  DATE ("date", N_("date")),
  END
};

static const Field conflict_fields[] = {
  TEXT ("event", N_("conflicting event"), TRUE),
  CHOICE ("decision", N_("decision"), TRUE, decisions),
  STRING ("text", N_("explanation")),
  DATE ("date", N_("date")),
  END
};

static const char * const document_kinds[] = {
  "agreement", "notice", "receipt", "termination", NULL
};

static const Field printed_fields[] = {
  CHOICE ("document", N_("document"), TRUE, document_kinds),
  TEXT ("digest", N_("digest of the printed PDF"), TRUE),
  TEXT ("printer", N_("printer"), TRUE),
  INT ("copies", N_("number of copies"), TRUE, 1, 99),
  STRING ("job", N_("print job")),
  END
};

static const Field * const schemas[PT_EVENT_N_TYPES] = {
  [PT_EVENT_INTAKE]            = intake_fields,
  [PT_EVENT_MATERIALS_CHECKED] = materials_checked_fields,
  [PT_EVENT_MISSING_NOTICE]    = missing_notice_fields,
  [PT_EVENT_MATERIAL_RECEIVED] = material_received_fields,
  [PT_EVENT_AGREEMENT_SIGNED]  = agreement_fields,
  [PT_EVENT_RUNNER_ASSIGNED]   = runner_fields,
  [PT_EVENT_PLAN_SET]          = plan_fields,
  [PT_EVENT_STEP_SUBMITTED]    = step_submitted_fields,
  [PT_EVENT_STEP_RETURNED]     = step_returned_fields,
  [PT_EVENT_STEP_RESUMED]      = step_resumed_fields,
  [PT_EVENT_STEP_APPROVED]     = step_approved_fields,
  [PT_EVENT_STEP_REJECTED]     = step_rejected_fields,
  [PT_EVENT_FEEDBACK_GIVEN]    = feedback_fields,
  [PT_EVENT_CASE_SUSPENDED]    = suspended_fields,
  [PT_EVENT_CASE_RESUMED]      = resumed_fields,
  [PT_EVENT_CASE_TRANSFERRED]  = transfer_fields,
  [PT_EVENT_FEE_RECORDED]      = fee_fields,
  [PT_EVENT_DELIVERED]         = delivered_fields,
  [PT_EVENT_TERMINATED]        = terminated_fields,
  [PT_EVENT_RATED]             = rated_fields,
  [PT_EVENT_RETURN_VISIT]      = return_visit_fields,
  [PT_EVENT_NOTE]              = note_fields,
  [PT_EVENT_CONFLICT_RESOLVED] = conflict_fields,
  [PT_EVENT_DOCUMENT_PRINTED]  = printed_fields,
};

static gboolean check_object (JsonObject *object, const Field *fields, const char *where, GError **error);

static gboolean
is_blank (const char *text)
{
  while (g_ascii_isspace (*text))
    text++;
  return *text == '\0';
}

/* Sets @error from a message whose first argument is a member's phrase,
 * capitalizing the phrase's first letter (English msgids begin with it;
 * Chinese has no case). */
static void
set_invalid (GError    **error,
             const char *format,
             ...) G_GNUC_PRINTF (2, 3);

static void
set_invalid (GError    **error,
             const char *format,
             ...)
{
  va_list args;
  char *message;

  if (error == NULL)
    return;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (g_ascii_islower (message[0]))
    message[0] = g_ascii_toupper (message[0]);
  g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID, message);
  g_free (message);
}

/* What a person calls a member: its label, after the phrase of the list
 * entry it is in ("step 2's planned end date": 第 2 步的计划完成日期). */
static char *
member_phrase (const char  *where,
               const Field *field)
{
  if (where == NULL || *where == '\0')
    return g_strdup (_(field->label));
  /* TRANSLATORS: a member of a list entry: "step 2's planned end date". */
  return g_strdup_printf (_("%s's %s"), where, _(field->label));
}

/* The phrase of list entry @index (0-based) of @field, with the entry's
 * name when it has one: "material 2 (户口簿)". */
static char *
element_phrase (const char  *where,
                const Field *field,
                guint        index,
                JsonNode    *element)
{
  g_autofree char *entry = NULL;
  const char *name = NULL;

  /* Every element format is an N_() of the tables above with one %u. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  entry = g_strdup_printf (_(field->element), index + 1);
#pragma GCC diagnostic pop

  if (element != NULL && JSON_NODE_HOLDS_OBJECT (element))
    {
      JsonNode *node = json_object_get_member (json_node_get_object (element), "name");
      if (node != NULL && JSON_NODE_TYPE (node) == JSON_NODE_VALUE
          && json_node_get_value_type (node) == G_TYPE_STRING && !is_blank (json_node_get_string (node)))
        name = json_node_get_string (node);
    }
  if (name != NULL)
    {
      /* TRANSLATORS: a list entry and its name: "material 2 (户口簿)". */
      char *named = g_strdup_printf (_("%s (%s)"), entry, name);
      g_free (entry);
      entry = named;
    }
  if (where != NULL && *where != '\0')
    return g_strdup_printf (_("%s's %s"), where, entry);
  return g_steal_pointer (&entry);
}

static gboolean
check_text (const char   *value,
            const Field  *field,
            const char   *phrase,
            GError      **error)
{
  if (field->kind == F_TEXT && is_blank (value))
    {
      set_invalid (error, _("%s is empty: fill it in."), phrase);
      return FALSE;
    }
  if (!g_utf8_validate (value, -1, NULL))
    {
      set_invalid (error, _("%s is not valid UTF-8 text."), phrase);
      return FALSE;
    }
  if (field->choices != NULL && !g_strv_contains (field->choices, value))
    {
      g_autofree char *list = g_strjoinv (", ", (char **) field->choices);
      set_invalid (error, _("%s is “%s”: it must be one of %s."), phrase, value, list);
      return FALSE;
    }
  if (field->kind == F_DATE)
    {
      g_autoptr(GError) date_error = NULL;
      GDate *date = pt_date_parse (value, &date_error);
      if (date == NULL)
        {
          /* TRANSLATORS: a member and what is wrong with it. */
          set_invalid (error, _("%s: %s"), phrase, date_error->message);
          return FALSE;
        }
      g_date_free (date);
    }
  return TRUE;
}

static gboolean
check_field (JsonNode     *node,
             const Field  *field,
             const char   *where,
             GError      **error)
{
  g_autofree char *phrase = member_phrase (where, field);
  gboolean is_string = JSON_NODE_TYPE (node) == JSON_NODE_VALUE
                       && json_node_get_value_type (node) == G_TYPE_STRING;

  switch (field->kind)
    {
    case F_TEXT:
    case F_STRING:
    case F_DATE:
      if (!is_string)
        {
          set_invalid (error, _("%s must be text (a string)."), phrase);
          return FALSE;
        }
      return check_text (json_node_get_string (node), field, phrase, error);

    case F_INT:
      if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE || json_node_get_value_type (node) != G_TYPE_INT64)
        {
          set_invalid (error, _("%s must be a whole number."), phrase);
          return FALSE;
        }
      if (json_node_get_int (node) < field->min || (field->max > 0 && json_node_get_int (node) > field->max))
        {
          /* The numbers are formatted first: a G_GINT64_FORMAT inside _()
           * is cut short by xgettext and never matches a translation. */
          g_autofree char *min = g_strdup_printf ("%" G_GINT64_FORMAT, field->min);
          g_autofree char *max = g_strdup_printf ("%" G_GINT64_FORMAT, field->max);
          if (field->max > 0)
            set_invalid (error, _("%s must be between %s and %s."), phrase, min, max);
          else
            set_invalid (error, _("%s must be at least %s."), phrase, min);
          return FALSE;
        }
      return TRUE;

    case F_BOOL:
      if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        {
          set_invalid (error, _("%s must be true or false."), phrase);
          return FALSE;
        }
      return TRUE;

    case F_OBJECT:
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          set_invalid (error, _("%s must be an object ({...})."), phrase);
          return FALSE;
        }
      /* The members of a single object have labels of their own
       * ("applicant's name"). */
      return check_object (json_node_get_object (node), field->sub, where, error);

    case F_OBJECTS:
    case F_STRINGS:
      {
        JsonArray *array;
        guint n;

        if (!JSON_NODE_HOLDS_ARRAY (node))
          {
            set_invalid (error, _("%s must be a list ([...])."), phrase);
            return FALSE;
          }
        array = json_node_get_array (node);
        n = json_array_get_length (array);
        if (n < (guint) field->min)
          {
            set_invalid (error, g_dngettext (GETTEXT_PACKAGE, "%s needs at least %u entry.",
                                             "%s needs at least %u entries.", (gulong) field->min),
                         phrase, (guint) field->min);
            return FALSE;
          }
        for (guint i = 0; i < n; i++)
          {
            JsonNode *element = json_array_get_element (array, i);
            g_autofree char *entry = element_phrase (where, field, i, element);

            if (field->kind == F_OBJECTS)
              {
                if (!JSON_NODE_HOLDS_OBJECT (element))
                  {
                    set_invalid (error, _("%s must be an object ({...})."), entry);
                    return FALSE;
                  }
                if (!check_object (json_node_get_object (element), field->sub, entry, error))
                  return FALSE;
              }
            else
              {
                Field text = { field->name, field->label, F_TEXT, TRUE, NULL, NULL, 0, 0, NULL };
                if (JSON_NODE_TYPE (element) != JSON_NODE_VALUE
                    || json_node_get_value_type (element) != G_TYPE_STRING)
                  {
                    set_invalid (error, _("%s must be text (a string)."), entry);
                    return FALSE;
                  }
                if (!check_text (json_node_get_string (element), &text, entry, error))
                  return FALSE;
              }
          }
        return TRUE;
      }
    default:
      g_assert_not_reached ();
    }
}

/* One pass over the members: each is found in @fields and checked, then the
 * required fields not met are named. A null member counts as absent. A
 * schema has fewer than 64 fields (at most 9 now). @where is the phrase
 * of the list entry the object is, or "". */
static gboolean
check_object (JsonObject   *object,
              const Field  *fields,
              const char   *where,
              GError      **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  guint64 present = 0;
  guint i;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &member))
    {
      const Field *f = fields;

      for (i = 0; f->name != NULL && strcmp (f->name, name) != 0; i++, f++)
        ;
      if (f->name == NULL)
        {
          if (*where == '\0')
            set_invalid (error, _("There is no field “%s”: check its spelling (docs/events.md)."), name);
          else
            set_invalid (error, _("%s has no field “%s”: check its spelling (docs/events.md)."), where, name);
          return FALSE;
        }
      if (JSON_NODE_HOLDS_NULL (member))
        continue;
      present |= G_GUINT64_CONSTANT (1) << i;
      if (!check_field (member, f, where, error))
        return FALSE;
    }
  for (i = 0; fields[i].name != NULL; i++)
    if (fields[i].required && !(present & (G_GUINT64_CONSTANT (1) << i)))
      {
        g_autofree char *phrase = member_phrase (where, &fields[i]);
        set_invalid (error, _("%s is missing: it is required."), phrase);
        return FALSE;
      }
  return TRUE;
}

static gboolean
check_applicant (JsonObject  *applicant,
                 GError     **error)
{
  const char *kind = pt_json_get_string (applicant, "kind");
  const char *phone = pt_json_get_string (applicant, "phone");
  g_autoptr(GError) local_error = NULL;

  if (g_strcmp0 (kind, "person") == 0)
    {
      const char *id = pt_json_get_string (applicant, "id_number");
      if (id == NULL)
        {
          set_invalid (error, _("A person's resident ID number is required: type the 18 characters of the ID card."));
          return FALSE;
        }
      if (!pt_validate_id_number (id, NULL, &local_error))
        {
          set_invalid (error, _("%s: %s"), _("resident ID number"), local_error->message);
          return FALSE;
        }
    }
  else
    {
      const char *uscc = pt_json_get_string (applicant, "uscc");
      const char *override = pt_json_get_string (applicant, "uscc_override");
      const char *legal = pt_json_get_string (applicant, "legal_representative");

      if (uscc == NULL)
        {
          set_invalid (error, _("An enterprise's unified social credit code is required: "
                                "type the 18 characters of its business licence."));
          return FALSE;
        }
      if (!pt_validate_uscc (uscc, &local_error))
        {
          g_autofree char *reason = override ? g_strstrip (g_strdup (override)) : NULL;
          if (reason == NULL || *reason == '\0')
            {
              set_invalid (error, _("Unified social credit code: %s If the business licence prints it so, "
                                    "keep it by giving the reason (uscc_override)."),
                           local_error->message);
              return FALSE;
            }
          g_clear_error (&local_error);
        }
      if (legal == NULL || is_blank (legal))
        {
          set_invalid (error, _("An enterprise's legal representative is required: type the name on its business licence."));
          return FALSE;
        }
    }
  if (!pt_validate_phone (phone, &local_error))
    {
      set_invalid (error, _("%s: %s"), _("phone number"), local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* Each name once: two rows of one material would be counted twice. */
static gboolean
check_unique_names (JsonArray   *materials,
                    GError     **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < json_array_get_length (materials); i++)
    {
      const char *name = pt_json_get_string (json_array_get_object_element (materials, i), "name");
      if (!g_hash_table_add (seen, (gpointer) name))
        {
          set_invalid (error, _("The material “%s” is listed twice: list each material once, with its number of copies."),
                       name);
          return FALSE;
        }
    }
  return TRUE;
}

/* The checks a schema cannot say: identifiers, fees, mail, unique steps. */
static gboolean
check_rules (PtEventType   type,
             JsonObject   *payload,
             GError      **error)
{
  switch (type)
    {
    case PT_EVENT_INTAKE:
      return check_applicant (pt_json_get_object (payload, "applicant"), error);

    case PT_EVENT_MATERIALS_CHECKED:
      {
        JsonArray *materials = pt_json_get_array (payload, "materials");
        for (guint i = 0; i < json_array_get_length (materials); i++)
          {
            JsonNode *node = json_array_get_element (materials, i);
            JsonObject *material = json_node_get_object (node);
            if (!pt_json_get_bool (material, "missing", FALSE) && pt_json_get_int (material, "count", 0) < 1)
              {
                g_autofree char *entry = element_phrase ("", &materials_checked_fields[0], i, node);
                set_invalid (error, _("%s is received, so its number of copies must be at least 1: "
                                      "type how many copies were handed in, or mark it missing."), entry);
                return FALSE;
              }
          }
        return TRUE;
      }

    case PT_EVENT_MATERIAL_RECEIVED:
      return check_unique_names (pt_json_get_array (payload, "materials"), error);

    case PT_EVENT_AGREEMENT_SIGNED:
      {
        const char *digest = pt_json_get_string (payload, "digest");
        gboolean hex = strlen (digest) == 64;
        for (const char *p = digest; hex && *p; p++)
          hex = g_ascii_isxdigit (*p);
        if (!hex)
          {
            set_invalid (error, _("The digest must be the SHA-256 of the signed agreement PDF: 64 hexadecimal characters."));
            return FALSE;
          }
        return TRUE;
      }

    case PT_EVENT_PLAN_SET:
      {
        JsonArray *steps = pt_json_get_array (payload, "steps");
        g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
        for (guint i = 0; i < json_array_get_length (steps); i++)
          {
            const char *id = pt_json_get_string (json_array_get_object_element (steps, i), "id");
            if (!g_hash_table_add (seen, (gpointer) id))
              {
                set_invalid (error, _("The step id “%s” appears twice in the plan: give each step its own id."), id);
                return FALSE;
              }
          }
        return TRUE;
      }

    case PT_EVENT_FEE_RECORDED:
      {
        const char *basis = pt_json_get_string (payload, "basis");
        if (basis == NULL || is_blank (basis))
          {
            set_invalid (error, _("A fee needs its legal basis (the law or regulation that requires it): "
                                  "the runner team's service itself is free, so a fee without a basis cannot be recorded."));
            return FALSE;
          }
        return TRUE;
      }

    case PT_EVENT_DELIVERED:
      {
        const char *tracking = pt_json_get_string (payload, "tracking_number");
        if (g_strcmp0 (pt_json_get_string (payload, "method"), "mail") == 0
            && (tracking == NULL || is_blank (tracking)))
          {
            set_invalid (error, _("A delivery by mail needs the postal tracking number."));
            return FALSE;
          }
        return TRUE;
      }

    default:
      return TRUE;
    }
}

gboolean
pt_event_validate_payload (PtEventType   type,
                           JsonObject   *payload,
                           GError      **error)
{
  g_return_val_if_fail (type < PT_EVENT_N_TYPES, FALSE);

  if (payload == NULL)
    {
      set_invalid (error, _("The event has no payload."));
      return FALSE;
    }
  return check_object (payload, schemas[type], "", error)
         && check_rules (type, payload, error);
}

const char *
pt_event_field_label (PtEventType  type,
                      const char  *member)
{
  g_return_val_if_fail (type < PT_EVENT_N_TYPES, NULL);

  for (const Field *f = schemas[type]; f->name != NULL; f++)
    if (g_strcmp0 (f->name, member) == 0)
      return _(f->label);
  return NULL;
}
