/* pt-event.c: events, their wire codec and the schema of each payload. */
#define G_LOG_DOMAIN "paotuan-core"

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
      g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID, "An event must be a JSON object.");
      return NULL;
    }
  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (GList *l = members; l; l = l->next)
    {
      if (!g_strv_contains (known, l->data))
        {
          g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                       "An event has no member \"%s\": check its spelling (docs/events.md).",
                       (const char *) l->data);
          return NULL;
        }
    }
  if (!member_is (object, "id", G_TYPE_STRING) || !pt_uuid_is_valid (pt_json_get_string (object, "id"))
      || !member_is (object, "case", G_TYPE_STRING) || !pt_uuid_is_valid (pt_json_get_string (object, "case")))
    {
      g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID,
                           "An event needs \"id\" and \"case\" as lower-case UUID strings.");
      return NULL;
    }
  if (!member_is (object, "wall", G_TYPE_INT64) || !member_is (object, "counter", G_TYPE_INT64)
      || pt_json_get_int (object, "wall", -1) < 0 || pt_json_get_int (object, "counter", -1) < 0
      || pt_json_get_int (object, "counter", 0) > G_MAXUINT32)
    {
      g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID,
                           "An event needs \"wall\" (milliseconds) and \"counter\" as non-negative integers.");
      return NULL;
    }
  if (!member_is (object, "device", G_TYPE_STRING) || *pt_json_get_string (object, "device") == '\0')
    {
      g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID, "An event needs its \"device\" as a string.");
      return NULL;
    }
  author = json_object_get_member (object, "author");
  if (author != NULL && !JSON_NODE_HOLDS_NULL (author) && !member_is (object, "author", G_TYPE_STRING))
    {
      g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID, "An event's \"author\" must be a runner id string.");
      return NULL;
    }
  if (!member_is (object, "type", G_TYPE_STRING))
    {
      g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID, "An event needs its \"type\" as a string.");
      return NULL;
    }
  if (!pt_event_type_from_string (pt_json_get_string (object, "type"), &type))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   "Unknown event type \"%s\": see docs/events.md for the types.",
                   pt_json_get_string (object, "type"));
      return NULL;
    }
  if (pt_json_get_object (object, "payload") == NULL)
    {
      g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID, "An event needs its \"payload\" as an object.");
      return NULL;
    }
  if (json_object_has_member (object, "seq") && !member_is (object, "seq", G_TYPE_INT64)
      && !JSON_NODE_HOLDS_NULL (json_object_get_member (object, "seq")))
    {
      g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID, "An event's \"seq\" must be an integer.");
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

typedef struct _Field Field;
struct _Field {
  const char          *name;
  FieldKind            kind;
  gboolean             required;
  const char * const  *choices;   /* for F_TEXT */
  const Field         *sub;       /* for F_OBJECT and F_OBJECTS, ends with a NULL name */
  gint64               min;       /* F_INT, or the minimum length of an array */
  gint64               max;       /* F_INT, 0 for none */
};

static const char * const applicant_kinds[] = { "person", "enterprise", NULL };
static const char * const vulnerable_groups[] = { "none", "elderly", "sick", "disabled", "pregnant", NULL };
static const char * const channels[] = { "window", "hotline", "home_visit", NULL };
static const char * const forms[] = { "original", "copy", NULL };
static const char * const levels[] = { "district", "town", "village", NULL };
static const char * const modes[] = { "single", "parallel", "cross_level", NULL };
static const char * const feedback_channels[] = { "phone", "sms", "in_person", "wechat", NULL };
static const char * const delivery_methods[] = { "in_person", "mail", NULL };
static const char * const termination_codes[] = {
  "applicant_withdrew", "conditions_not_met", "rejected", "unreachable", "other", NULL
};
static const char * const decisions[] = { "keep", "apply", NULL };

#define END { NULL, 0, 0, NULL, NULL, 0, 0 }
#define DATE_FIELD { "date", F_DATE, FALSE, NULL, NULL, 0, 0 }

static const Field applicant_fields[] = {
  { "kind", F_TEXT, TRUE, applicant_kinds, NULL, 0, 0 },
  { "name", F_TEXT, TRUE, NULL, NULL, 0, 0 },
  { "id_number", F_STRING, FALSE, NULL, NULL, 0, 0 },
  { "uscc", F_STRING, FALSE, NULL, NULL, 0, 0 },
  { "uscc_override", F_STRING, FALSE, NULL, NULL, 0, 0 },
  { "legal_representative", F_STRING, FALSE, NULL, NULL, 0, 0 },
  { "phone", F_TEXT, TRUE, NULL, NULL, 0, 0 },
  { "address", F_TEXT, TRUE, NULL, NULL, 0, 0 },
  { "vulnerable", F_TEXT, FALSE, vulnerable_groups, NULL, 0, 0 },
  END
};

static const Field intake_fields[] = {
  { "applicant", F_OBJECT, TRUE, NULL, applicant_fields, 0, 0 },
  { "channel", F_TEXT, TRUE, channels, NULL, 0, 0 },
  { "items", F_STRINGS, TRUE, NULL, NULL, 1, 0 },
  { "unit", F_TEXT, TRUE, NULL, NULL, 0, 0 },
  { "level", F_TEXT, TRUE, levels, NULL, 0, 0 },
  { "number", F_TEXT, TRUE, NULL, NULL, 0, 0 },
  DATE_FIELD,
  END
};

static const Field material_fields[] = {
  { "name", F_TEXT, TRUE, NULL, NULL, 0, 0 },
  { "form", F_TEXT, TRUE, forms, NULL, 0, 0 },
  { "count", F_INT, TRUE, NULL, NULL, 1, 999 },
  { "missing", F_BOOL, FALSE, NULL, NULL, 0, 0 },
  { "item", F_STRING, FALSE, NULL, NULL, 0, 0 },
  END
};

static const Field materials_checked_fields[] = {
  { "materials", F_OBJECTS, TRUE, NULL, material_fields, 1, 0 },
  DATE_FIELD,
  END
};

static const Field missing_notice_fields[] = {
  { "materials", F_STRINGS, TRUE, NULL, NULL, 1, 0 },
  { "deadline", F_DATE, FALSE, NULL, NULL, 0, 0 },
  DATE_FIELD,
  END
};

static const Field agreement_fields[] = {
  { "digest", F_TEXT, TRUE, NULL, NULL, 0, 0 },
  { "document", F_STRING, FALSE, NULL, NULL, 0, 0 },
  DATE_FIELD,
  END
};

static const Field runner_fields[] = {
  { "runner", F_TEXT, TRUE, NULL, NULL, 0, 0 },
  { "reason", F_STRING, FALSE, NULL, NULL, 0, 0 },
  DATE_FIELD,
  END
};

static const Field plan_step_fields[] = {
  { "id", F_TEXT, TRUE, NULL, NULL, 0, 0 },
  { "item", F_TEXT, TRUE, NULL, NULL, 0, 0 },
  { "department", F_TEXT, TRUE, NULL, NULL, 0, 0 },
  { "level", F_TEXT, TRUE, levels, NULL, 0, 0 },
  { "mode", F_TEXT, TRUE, modes, NULL, 0, 0 },
  { "planned_start", F_DATE, FALSE, NULL, NULL, 0, 0 },
  { "planned_end", F_DATE, FALSE, NULL, NULL, 0, 0 },
  { "limit_days", F_INT, TRUE, NULL, NULL, 1, 365 },
  END
};

static const Field plan_fields[] = {
  { "steps", F_OBJECTS, TRUE, NULL, plan_step_fields, 1, 0 },
  DATE_FIELD,
  END
};

static const Field step_fields[] = {
  { "step", F_TEXT, TRUE, NULL, NULL, 0, 0 },
  DATE_FIELD,
  END
};

static const Field step_reason_fields[] = {
  { "step", F_TEXT, TRUE, NULL, NULL, 0, 0 },
  { "reason", F_TEXT, TRUE, NULL, NULL, 0, 0 },
  DATE_FIELD,
  END
};

static const Field step_approved_fields[] = {
  { "step", F_TEXT, TRUE, NULL, NULL, 0, 0 },
  { "document", F_STRING, FALSE, NULL, NULL, 0, 0 },
  DATE_FIELD,
  END
};

static const Field feedback_fields[] = {
  { "channel", F_TEXT, TRUE, feedback_channels, NULL, 0, 0 },
  { "text", F_TEXT, TRUE, NULL, NULL, 0, 0 },
  DATE_FIELD,
  END
};

static const Field reason_fields[] = {
  { "reason", F_TEXT, TRUE, NULL, NULL, 0, 0 },
  DATE_FIELD,
  END
};

static const Field resumed_fields[] = {
  { "reason", F_STRING, FALSE, NULL, NULL, 0, 0 },
  DATE_FIELD,
  END
};

static const Field transfer_fields[] = {
  { "to_unit", F_TEXT, TRUE, NULL, NULL, 0, 0 },
  { "level", F_TEXT, TRUE, levels, NULL, 0, 0 },
  { "reason", F_TEXT, TRUE, NULL, NULL, 0, 0 },
  DATE_FIELD,
  END
};

static const Field fee_fields[] = {
  { "name", F_TEXT, TRUE, NULL, NULL, 0, 0 },
  { "amount_fen", F_INT, TRUE, NULL, NULL, 1, 0 },
  { "basis", F_STRING, FALSE, NULL, NULL, 0, 0 },
  DATE_FIELD,
  END
};

static const Field certificate_fields[] = {
  { "name", F_TEXT, TRUE, NULL, NULL, 0, 0 },
  { "number", F_TEXT, TRUE, NULL, NULL, 0, 0 },
  { "copies", F_INT, TRUE, NULL, NULL, 1, 99 },
  END
};

static const Field delivered_fields[] = {
  { "certificates", F_OBJECTS, FALSE, NULL, certificate_fields, 0, 0 },
  { "originals_returned", F_BOOL, TRUE, NULL, NULL, 0, 0 },
  { "method", F_TEXT, TRUE, delivery_methods, NULL, 0, 0 },
  { "tracking_number", F_STRING, FALSE, NULL, NULL, 0, 0 },
  DATE_FIELD,
  END
};

static const Field returned_material_fields[] = {
  { "name", F_TEXT, TRUE, NULL, NULL, 0, 0 },
  { "form", F_TEXT, TRUE, forms, NULL, 0, 0 },
  { "count", F_INT, TRUE, NULL, NULL, 1, 999 },
  END
};

static const Field terminated_fields[] = {
  { "reason_code", F_TEXT, TRUE, termination_codes, NULL, 0, 0 },
  { "reason", F_TEXT, TRUE, NULL, NULL, 0, 0 },
  { "materials_returned", F_OBJECTS, TRUE, NULL, returned_material_fields, 0, 0 },
  DATE_FIELD,
  END
};

static const Field rated_fields[] = {
  { "grade", F_INT, TRUE, NULL, NULL, 1, 5 },
  { "text", F_STRING, FALSE, NULL, NULL, 0, 0 },
  DATE_FIELD,
  END
};

static const Field text_fields[] = {
  { "text", F_TEXT, TRUE, NULL, NULL, 0, 0 },
  DATE_FIELD,
  END
};

static const Field conflict_fields[] = {
  { "event", F_TEXT, TRUE, NULL, NULL, 0, 0 },
  { "decision", F_TEXT, TRUE, decisions, NULL, 0, 0 },
  { "text", F_STRING, FALSE, NULL, NULL, 0, 0 },
  DATE_FIELD,
  END
};

static const Field * const schemas[PT_EVENT_N_TYPES] = {
  [PT_EVENT_INTAKE]            = intake_fields,
  [PT_EVENT_MATERIALS_CHECKED] = materials_checked_fields,
  [PT_EVENT_MISSING_NOTICE]    = missing_notice_fields,
  [PT_EVENT_AGREEMENT_SIGNED]  = agreement_fields,
  [PT_EVENT_RUNNER_ASSIGNED]   = runner_fields,
  [PT_EVENT_PLAN_SET]          = plan_fields,
  [PT_EVENT_STEP_SUBMITTED]    = step_fields,
  [PT_EVENT_STEP_RETURNED]     = step_reason_fields,
  [PT_EVENT_STEP_RESUMED]      = step_fields,
  [PT_EVENT_STEP_APPROVED]     = step_approved_fields,
  [PT_EVENT_STEP_REJECTED]     = step_reason_fields,
  [PT_EVENT_FEEDBACK_GIVEN]    = feedback_fields,
  [PT_EVENT_CASE_SUSPENDED]    = reason_fields,
  [PT_EVENT_CASE_RESUMED]      = resumed_fields,
  [PT_EVENT_CASE_TRANSFERRED]  = transfer_fields,
  [PT_EVENT_FEE_RECORDED]      = fee_fields,
  [PT_EVENT_DELIVERED]         = delivered_fields,
  [PT_EVENT_TERMINATED]        = terminated_fields,
  [PT_EVENT_RATED]             = rated_fields,
  [PT_EVENT_RETURN_VISIT]      = text_fields,
  [PT_EVENT_NOTE]              = text_fields,
  [PT_EVENT_CONFLICT_RESOLVED] = conflict_fields,
};

static gboolean check_object (JsonObject *object, const Field *fields, const char *where, GError **error);

static gboolean
is_blank (const char *text)
{
  while (g_ascii_isspace (*text))
    text++;
  return *text == '\0';
}

/* The path of a member for messages, "steps[2].", into @buffer: built for
 * every object and list entry checked, so without printf or the heap. A
 * path longer than the buffer is cut, which only shortens a message. */
static const char *
member_path (char        *buffer,
             gsize        size,
             const char  *where,
             const char  *name,
             int          index)
{
  char digits[16];

  g_strlcpy (buffer, where, size);
  g_strlcat (buffer, name, size);
  if (index >= 0)
    {
      char *end = digits + sizeof digits;
      *--end = '\0';
      do
        *--end = (char) ('0' + (index % 10));
      while ((index /= 10) > 0);
      g_strlcat (buffer, "[", size);
      g_strlcat (buffer, end, size);
      g_strlcat (buffer, "]", size);
    }
  g_strlcat (buffer, ".", size);
  return buffer;
}

static gboolean
check_text (const char   *value,
            const Field  *field,
            const char   *where,
            GError      **error)
{
  if (field->kind == F_TEXT && is_blank (value))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID, "%s%s must not be empty.", where, field->name);
      return FALSE;
    }
  if (!g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID, "%s%s is not valid UTF-8 text.", where, field->name);
      return FALSE;
    }
  if (field->choices != NULL && !g_strv_contains (field->choices, value))
    {
      g_autofree char *list = g_strjoinv (", ", (char **) field->choices);
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   "%s%s is \"%s\": it must be one of %s.", where, field->name, value, list);
      return FALSE;
    }
  if (field->kind == F_DATE)
    {
      g_autoptr(GError) date_error = NULL;
      GDate *date = pt_date_parse (value, &date_error);
      if (date == NULL)
        {
          g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                       "%s%s is \"%s\": write the date as YYYY-MM-DD.", where, field->name, value);
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
  gboolean is_string = JSON_NODE_TYPE (node) == JSON_NODE_VALUE
                       && json_node_get_value_type (node) == G_TYPE_STRING;

  switch (field->kind)
    {
    case F_TEXT:
    case F_STRING:
    case F_DATE:
      if (!is_string)
        {
          g_set_error (error, PT_ERROR, PT_ERROR_INVALID, "%s%s must be a string.", where, field->name);
          return FALSE;
        }
      return check_text (json_node_get_string (node), field, where, error);

    case F_INT:
      if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE || json_node_get_value_type (node) != G_TYPE_INT64)
        {
          g_set_error (error, PT_ERROR, PT_ERROR_INVALID, "%s%s must be a whole number.", where, field->name);
          return FALSE;
        }
      if (json_node_get_int (node) < field->min || (field->max > 0 && json_node_get_int (node) > field->max))
        {
          if (field->max > 0)
            g_set_error (error, PT_ERROR, PT_ERROR_INVALID, "%s%s must be between %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT ".",
                         where, field->name, field->min, field->max);
          else
            g_set_error (error, PT_ERROR, PT_ERROR_INVALID, "%s%s must be at least %" G_GINT64_FORMAT ".",
                         where, field->name, field->min);
          return FALSE;
        }
      return TRUE;

    case F_BOOL:
      if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        {
          g_set_error (error, PT_ERROR, PT_ERROR_INVALID, "%s%s must be true or false.", where, field->name);
          return FALSE;
        }
      return TRUE;

    case F_OBJECT:
      {
        char inner[128];
        if (!JSON_NODE_HOLDS_OBJECT (node))
          {
            g_set_error (error, PT_ERROR, PT_ERROR_INVALID, "%s%s must be an object ({...}).", where, field->name);
            return FALSE;
          }
        return check_object (json_node_get_object (node), field->sub,
                             member_path (inner, sizeof inner, where, field->name, -1), error);
      }

    case F_OBJECTS:
    case F_STRINGS:
      {
        JsonArray *array;
        guint n;

        if (!JSON_NODE_HOLDS_ARRAY (node))
          {
            g_set_error (error, PT_ERROR, PT_ERROR_INVALID, "%s%s must be a list ([...]).", where, field->name);
            return FALSE;
          }
        array = json_node_get_array (node);
        n = json_array_get_length (array);
        if (n < (guint) field->min)
          {
            g_set_error (error, PT_ERROR, PT_ERROR_INVALID, "%s%s needs at least %" G_GINT64_FORMAT " entr%s.",
                         where, field->name, field->min, field->min == 1 ? "y" : "ies");
            return FALSE;
          }
        for (guint i = 0; i < n; i++)
          {
            JsonNode *element = json_array_get_element (array, i);
            char inner[128];

            if (field->kind == F_OBJECTS)
              {
                if (!JSON_NODE_HOLDS_OBJECT (element))
                  {
                    g_set_error (error, PT_ERROR, PT_ERROR_INVALID, "%s%s[%u] must be an object ({...}).",
                                 where, field->name, i);
                    return FALSE;
                  }
                if (!check_object (json_node_get_object (element), field->sub,
                                   member_path (inner, sizeof inner, where, field->name, (int) i), error))
                  return FALSE;
              }
            else
              {
                Field text = { field->name, F_TEXT, TRUE, NULL, NULL, 0, 0 };
                if (JSON_NODE_TYPE (element) != JSON_NODE_VALUE
                    || json_node_get_value_type (element) != G_TYPE_STRING)
                  {
                    g_set_error (error, PT_ERROR, PT_ERROR_INVALID, "%s%s[%u] must be a string.",
                                 where, field->name, i);
                    return FALSE;
                  }
                if (!check_text (json_node_get_string (element), &text, where, error))
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
 * schema has fewer than 64 fields (at most 9 now). */
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
          g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                       "%s%s is not a known field: check its spelling (docs/events.md).", where, name);
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
        g_set_error (error, PT_ERROR, PT_ERROR_INVALID, "%s%s is required.", where, fields[i].name);
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
          g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID,
                               "applicant.id_number is required for a person: type the 18-character resident ID number.");
          return FALSE;
        }
      if (!pt_validate_id_number (id, NULL, &local_error))
        {
          g_set_error (error, PT_ERROR, PT_ERROR_INVALID, "applicant.id_number: %s", local_error->message);
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
          g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID,
                               "applicant.uscc is required for an enterprise: type its 18-character unified social credit code.");
          return FALSE;
        }
      if (!pt_validate_uscc (uscc, &local_error))
        {
          g_autofree char *reason = override ? g_strstrip (g_strdup (override)) : NULL;
          if (reason == NULL || *reason == '\0')
            {
              g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                           "applicant.uscc: %s If the code is printed so on the business licence, keep it by giving uscc_override with the reason.",
                           local_error->message);
              return FALSE;
            }
          g_clear_error (&local_error);
        }
      if (legal == NULL || *legal == '\0')
        {
          g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID,
                               "applicant.legal_representative is required for an enterprise.");
          return FALSE;
        }
    }
  if (!pt_validate_phone (phone, &local_error))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID, "applicant.phone: %s", local_error->message);
      return FALSE;
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

    case PT_EVENT_AGREEMENT_SIGNED:
      {
        const char *digest = pt_json_get_string (payload, "digest");
        gboolean hex = strlen (digest) == 64;
        for (const char *p = digest; hex && *p; p++)
          hex = g_ascii_isxdigit (*p);
        if (!hex)
          {
            g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID,
                                 "digest must be the SHA-256 of the signed agreement PDF: 64 hexadecimal characters.");
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
                g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                             "steps: the step id \"%s\" appears twice; give each step its own id.", id);
                return FALSE;
              }
          }
        return TRUE;
      }

    case PT_EVENT_FEE_RECORDED:
      {
        const char *basis = pt_json_get_string (payload, "basis");
        g_autofree char *stripped = basis ? g_strstrip (g_strdup (basis)) : NULL;
        if (stripped == NULL || *stripped == '\0')
          {
            g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID,
                                 "A fee needs its legal basis (the law or regulation that requires it): "
                                 "the runner team's service itself is free, so a fee without a basis cannot be recorded.");
            return FALSE;
          }
        return TRUE;
      }

    case PT_EVENT_DELIVERED:
      {
        const char *tracking = pt_json_get_string (payload, "tracking_number");
        if (g_strcmp0 (pt_json_get_string (payload, "method"), "mail") == 0
            && (tracking == NULL || *tracking == '\0'))
          {
            g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID,
                                 "A mailed delivery needs the postal tracking_number.");
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
  g_autofree char *where = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (type < PT_EVENT_N_TYPES, FALSE);

  if (payload == NULL)
    {
      g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID, "The event has no payload.");
      return FALSE;
    }
  if (!check_object (payload, schemas[type], "", &local_error)
      || !check_rules (type, payload, &local_error))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID, "%s: %s",
                   pt_event_type_to_string (type), local_error->message);
      return FALSE;
    }
  return TRUE;
}
