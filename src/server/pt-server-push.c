/* pt-server-push.c: POST /v1/events.
 *
 * One batch is one transaction. The device row is locked first, so copies of
 * one batch delivered at once are handled one after the other; the counter
 * row is locked last, just before the inserts, so that server sequences
 * commit in order (see the counter table in pt-server-db.c).
 */
#define G_LOG_DOMAIN "paotuan-server"

#include "pt-error.h"
#include "pt-fold.h"
#include "pt-json.h"
#include "pt-server.h"
#include "pt-uuid.h"

typedef enum { OUT_STORED, OUT_DUPLICATE, OUT_REJECTED } Outcome;

typedef struct {
  gint64   device_seq;
  PtEvent *event;
  char    *body;
  char    *digest;
  Outcome  outcome;
  gint64   seq;
  gboolean flagged;
  gboolean insert;        /* new: to be stored */
  gboolean quarantine;    /* new: to be quarantined */
  char    *reason;
  char    *path;
  char    *from_path;
  char    *unit;          /* the case's unit after the event */
  char    *from_unit;     /* a transfer's unit before it */
  char    *invalid;       /* a sound envelope around a payload that fails validation */
} Item;

typedef struct {
  char *unit;
  char *path;
  char *number;   /* for an intake of this batch */
} CaseScope;

static GHashTable *unit_paths;   /* code -> path; read-only once serving */
static PtReference *reference;   /* the district, its catalog; read-only once serving */

void
pt_server_set_reference (PtReference *ref)
{
  reference = ref;
}


void
pt_server_set_unit_paths (GHashTable *paths)
{
  unit_paths = g_hash_table_ref (paths);
}

GPtrArray *
pt_server_units_within (const char *path)
{
  GPtrArray *codes = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer code, unit_path;

  g_hash_table_iter_init (&iter, unit_paths);
  while (g_hash_table_iter_next (&iter, &code, &unit_path))
    if (g_str_has_prefix (unit_path, path))
      g_ptr_array_add (codes, code);
  g_ptr_array_sort (codes, (GCompareFunc) g_strcmp0);
  return codes;
}

static void
item_free (gpointer data)
{
  Item *item = data;

  pt_event_free (item->event);
  g_free (item->body);
  g_free (item->digest);
  g_free (item->reason);
  g_free (item->path);
  g_free (item->from_path);
  g_free (item->unit);
  g_free (item->from_unit);
  g_free (item->invalid);
  g_free (item);
}

static void
case_scope_free (gpointer data)
{
  CaseScope *scope = data;

  g_free (scope->unit);
  g_free (scope->path);
  g_free (scope->number);
  g_free (scope);
}

/* An event id the server already has. */
typedef struct {
  gint64   seq;
  char    *digest;
  char    *origin;    /* the device that pushed it */
  gboolean flagged;
} Known;

static void
known_free (gpointer data)
{
  Known *known = data;

  g_free (known->digest);
  g_free (known->origin);
  g_free (known);
}

/* A PostgreSQL text[] literal: every element quoted, so no value can break
 * out of it. */
static char *
text_array (GPtrArray *values)
{
  GString *out = g_string_new ("{");

  for (guint i = 0; i < values->len; i++)
    {
      const char *v = values->pdata[i];

      if (i > 0)
        g_string_append_c (out, ',');
      if (v == NULL)
        {
          g_string_append (out, "NULL");
          continue;
        }
      g_string_append_c (out, '"');
      for (const char *p = v; *p; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

/* One query for every id of the batch, one for every case: a batch of 500
 * costs a handful of round trips, not a thousand. */
static gboolean
prefetch (PGconn      *conn,
          GPtrArray   *items,
          GHashTable  *known,
          GHashTable  *cases,
          GHashTable  *runner_units,
          GError     **error)
{
  g_autoptr(GPtrArray) authors = g_ptr_array_new ();
  g_autofree char *authors_lit = NULL;
  g_autoptr(PGresult) rres = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GPtrArray) case_ids = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) seen_authors = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *ids_lit = NULL;
  g_autofree char *cases_lit = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autoptr(PGresult) cres = NULL;

  for (guint i = 0; i < items->len; i++)
    {
      Item *item = items->pdata[i];
      g_ptr_array_add (ids, item->event->id);
      if (g_hash_table_add (seen, item->event->case_id))
        g_ptr_array_add (case_ids, item->event->case_id);
      if (item->event->author != NULL && g_hash_table_add (seen_authors, item->event->author))
        g_ptr_array_add (authors, item->event->author);
    }
  ids_lit = text_array (ids);
  {
    const char *params[] = { ids_lit };
    res = pt_db_query (conn, "SELECT id, seq, digest, flagged, origin FROM events WHERE id = ANY ($1::text[])",
                       1, params, error);
    if (res == NULL)
      return FALSE;
  }
  for (int r = 0; r < PQntuples (res); r++)
    {
      Known *k = g_new0 (Known, 1);
      k->seq = g_ascii_strtoll (PQgetvalue (res, r, 1), NULL, 10);
      k->digest = g_strdup (PQgetvalue (res, r, 2));
      k->flagged = *PQgetvalue (res, r, 3) == 't';
      k->origin = g_strdup (PQgetvalue (res, r, 4));
      g_hash_table_insert (known, g_strdup (PQgetvalue (res, r, 0)), k);
    }

  /* The roster's units of the batch's authors. */
  authors_lit = text_array (authors);
  {
    const char *params[] = { authors_lit };
    rres = pt_db_query (conn, "SELECT id, unit FROM runners WHERE id = ANY ($1::text[])",
                        1, params, error);
    if (rres == NULL)
      return FALSE;
  }
  for (int r = 0; r < PQntuples (rres); r++)
    g_hash_table_insert (runner_units, g_strdup (PQgetvalue (rres, r, 0)),
                         g_strdup (PQgetvalue (rres, r, 1)));

  g_ptr_array_sort (case_ids, (GCompareFunc) g_strcmp0);
  cases_lit = text_array (case_ids);
  {
    const char *params[] = { cases_lit };
    /* In id order, so that two batches lock shared cases in one order. */
    cres = pt_db_query (conn, "SELECT id, unit, path FROM cases WHERE id = ANY ($1::text[]) "
                        "ORDER BY id FOR SHARE", 1, params, error);
    if (cres == NULL)
      return FALSE;
  }
  for (int r = 0; r < PQntuples (cres); r++)
    {
      CaseScope *scope = g_new0 (CaseScope, 1);
      scope->unit = g_strdup (PQgetvalue (cres, r, 1));
      scope->path = g_strdup (PQgetvalue (cres, r, 2));
      g_hash_table_insert (cases, g_strdup (PQgetvalue (cres, r, 0)), scope);
    }
  return TRUE;
}

static void
reject (Item       *item,
        const char *fmt,
        ...) G_GNUC_PRINTF (2, 3);

static void
reject (Item       *item,
        const char *fmt,
        ...)
{
  va_list ap;

  va_start (ap, fmt);
  g_free (item->reason);
  item->reason = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  item->outcome = OUT_REJECTED;
}

/* An event whose envelope is sound (ids, stamp, a known type, a payload
 * object) but whose payload fails validation is not bad input: it is
 * rejected into the quarantine, so that one odd event never blocks a desk's
 * queue. Anything else is bad input (NULL). */
static PtEvent *
envelope_only (JsonNode  *node,
               GError    *why,
               char     **invalid)
{
  JsonObject *o;
  JsonNode *m;
  PtEventType type;
  PtStamp stamp;
  const char *author;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  o = json_node_get_object (node);
  for (const char *const *k = (const char *const[]) { "id", "case", "device", "type", NULL }; *k; k++)
    if ((m = json_object_get_member (o, *k)) == NULL || json_node_get_value_type (m) != G_TYPE_STRING)
      return NULL;
  for (const char *const *k = (const char *const[]) { "wall", "counter", NULL }; *k; k++)
    if ((m = json_object_get_member (o, *k)) == NULL || json_node_get_value_type (m) != G_TYPE_INT64)
      return NULL;
  if ((m = json_object_get_member (o, "payload")) == NULL || !JSON_NODE_HOLDS_OBJECT (m))
    return NULL;
  if (!pt_uuid_is_valid (json_object_get_string_member (o, "id"))
      || !pt_uuid_is_valid (json_object_get_string_member (o, "case"))
      || !pt_event_type_from_string (json_object_get_string_member (o, "type"), &type))
    return NULL;
  m = json_object_get_member (o, "author");
  if (m != NULL && !JSON_NODE_HOLDS_NULL (m) && json_node_get_value_type (m) != G_TYPE_STRING)
    return NULL;
  author = m != NULL && !JSON_NODE_HOLDS_NULL (m) ? json_node_get_string (m) : NULL;
  stamp.wall = json_object_get_int_member (o, "wall");
  stamp.counter = (guint32) json_object_get_int_member (o, "counter");
  *invalid = g_strdup_printf ("invalid: %s", why->message);
  return pt_event_new (json_object_get_string_member (o, "id"),
                       json_object_get_string_member (o, "case"), &stamp,
                       json_object_get_string_member (o, "device"), author, type,
                       json_object_get_object_member (o, "payload"));
}

/* Parses the batch; any structural error refuses the whole request. */
static GPtrArray *
parse_batch (JsonNode              *root,
             const PtServerConfig  *config,
             GError               **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (item_free);
  JsonArray *array;
  guint n;

  if (!JSON_NODE_HOLDS_OBJECT (root)
      || !json_object_has_member (json_node_get_object (root), "events")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (root), "events")))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   "The body must be {\"events\": [{\"device_seq\": n, \"event\": {...}}, ...]}");
      return NULL;
    }
  array = json_object_get_array_member (json_node_get_object (root), "events");
  n = json_array_get_length (array);
  if (n == 0 || n > config->max_batch)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   "A batch holds 1 to %u events, this one %u", config->max_batch, n);
      return NULL;
    }
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *entry;
      JsonNode *seq_node;
      g_autoptr(GError) local = NULL;
      Item *item;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        goto bad_entry;
      entry = json_node_get_object (node);
      seq_node = json_object_get_member (entry, "device_seq");
      if (seq_node == NULL || json_node_get_value_type (seq_node) != G_TYPE_INT64
          || !json_object_has_member (entry, "event")
          || json_object_get_size (entry) != 2)
        goto bad_entry;

      item = g_new0 (Item, 1);
      g_ptr_array_add (items, item);
      item->device_seq = json_node_get_int (seq_node);
      item->event = pt_event_from_json (json_object_get_member (entry, "event"), &local);
      if (item->event == NULL)
        item->event = envelope_only (json_object_get_member (entry, "event"), local, &item->invalid);
      if (item->event == NULL)
        {
          g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                       "Event %u of the batch is not a valid event: %s", i, local->message);
          return NULL;
        }
      if (item->device_seq < 1 || (i > 0 && item->device_seq
                                   != ((Item *) items->pdata[i - 1])->device_seq + 1))
        {
          g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                       "Event %u of the batch: device_seq %" G_GINT64_FORMAT
                       " does not follow the one before; a batch is consecutive", i,
                       item->device_seq);
          return NULL;
        }
      /* The server's sequence is the server's: a desk cannot set it. */
      item->event->seq = 0;
      item->body = pt_event_to_string (item->event);
      item->digest = pt_event_content_digest (item->event);
      continue;

    bad_entry:
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   "Event %u of the batch must be {\"device_seq\": integer, \"event\": {...}}", i);
      return NULL;
    }
  return g_steal_pointer (&items);
}

/* The case's unit and scope path, locked for this transaction: a transfer
 * takes it exclusively, other events share it. */
static CaseScope *
lookup_case (PGconn      *conn,
             GHashTable  *cases,
             const char  *case_id,
             gboolean     exclusive,
             GError     **error)
{
  CaseScope *scope = g_hash_table_lookup (cases, case_id);
  g_autoptr(PGresult) res = NULL;
  const char *params[] = { case_id };

  /* The batch's cases were all read (and share-locked) by prefetch (). */
  if (!exclusive)
    return scope;
  res = pt_db_query (conn, exclusive
                     ? "SELECT unit, path FROM cases WHERE id = $1 FOR UPDATE"
                     : "SELECT unit, path FROM cases WHERE id = $1 FOR SHARE",
                     1, params, error);
  if (res == NULL || PQntuples (res) == 0)
    return scope;
  if (scope == NULL)
    {
      scope = g_new0 (CaseScope, 1);
      scope->unit = g_strdup (PQgetvalue (res, 0, 0));
      scope->path = g_strdup (PQgetvalue (res, 0, 1));
      g_hash_table_insert (cases, g_strdup (case_id), scope);
    }
  return scope;
}

/* The unit a case is at once @item is applied: the fold decides, so that two
 * transfers made offline end where every desk's fold ends. */
static char *
unit_after_transfer (PGconn      *conn,
                     GPtrArray   *items,
                     Item        *item,
                     GError     **error)
{
  const char *params[] = { item->event->case_id };
  g_autoptr(PGresult) res = pt_db_query (conn,
    "SELECT body FROM events WHERE case_id = $1", 1, params, error);
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_event_free);
  g_autoptr(PtCaseState) state = NULL;

  if (res == NULL)
    return NULL;
  for (int r = 0; r < PQntuples (res); r++)
    {
      PtEvent *e = pt_event_from_string (PQgetvalue (res, r, 0), NULL);
      if (e != NULL)
        g_ptr_array_add (events, e);
    }
  for (guint i = 0; i < items->len; i++)
    {
      Item *other = items->pdata[i];
      if (other->insert && g_str_equal (other->event->case_id, item->event->case_id))
        g_ptr_array_add (events, pt_event_copy (other->event));
    }
  g_ptr_array_add (events, pt_event_copy (item->event));
  state = pt_fold (events, NULL);
  return g_strdup (state->unit);
}

/* The level at which the intake's items are checked: the unit's, or that of
 * the unit the same batch transfers the case to at once (an intake out of
 * the desk's scope, taken and transferred up, pt_store_create_case ()). */
static const PtUnit *
intake_scope_unit (GPtrArray    *items,
                   const PtEvent *intake,
                   const PtUnit *unit)
{
  for (guint i = 0; i < items->len; i++)
    {
      const PtEvent *other = ((Item *) items->pdata[i])->event;

      if (other->type == PT_EVENT_CASE_TRANSFERRED && g_str_equal (other->case_id, intake->case_id))
        {
          const PtUnit *to = pt_district_lookup (reference->district, pt_json_get_string (other->payload, "to_unit"));
          if (to != NULL)
            return to;
        }
    }
  return unit;
}

/* What the server re-derives of an intake instead of trusting the desk:
 * the level from the unit, each item from the catalog within the scope,
 * the number's unit prefix and its uniqueness in the district. A reason
 * for the quarantine, or NULL. */
static char *
check_intake (PGconn      *conn,
              GPtrArray   *items,
              GHashTable  *cases,
              const PtEvent *ev,
              const char  *unit_code,
              GError     **error)
{
  const PtUnit *unit = pt_district_lookup (reference->district, unit_code);
  const PtUnit *scope_unit;
  const char *level = pt_json_get_string (ev->payload, "level");
  const char *number = pt_json_get_string (ev->payload, "number");
  JsonArray *codes = pt_json_get_array (ev->payload, "items");
  g_autofree char *prefix = g_strconcat (unit_code, "-", NULL);
  GHashTableIter iter;
  gpointer value;

  if (unit == NULL)
    return g_strdup_printf ("invalid: the intake names no unit of this district (%s)", unit_code);
  if (g_strcmp0 (level, pt_level_to_string (unit->level)) != 0)
    return g_strdup_printf ("invalid: the intake says level %s, but unit %s is at %s level",
                            level ? level : "none", unit_code, pt_level_to_string (unit->level));
  if (number == NULL || !g_str_has_prefix (number, prefix) || strlen (number) > 64)
    return g_strdup_printf ("invalid: the case number %s does not belong to unit %s",
                            number ? number : "none", unit_code);
  scope_unit = intake_scope_unit (items, ev, unit);
  for (guint i = 0; codes != NULL && i < json_array_get_length (codes); i++)
    {
      const char *code = json_array_get_string_element (codes, i);
      const PtCatalogItem *item = code ? pt_catalog_lookup (reference->catalog, code) : NULL;

      if (item == NULL)
        return g_strdup_printf ("invalid: the intake names an item the catalog does not have (%s)",
                                code ? code : "none");
      if (!pt_catalog_check_scope (item, scope_unit->level, NULL, NULL))
        return g_strdup_printf ("scope: item %s is not taken at %s level", code,
                                pt_level_to_string (scope_unit->level));
    }
  /* Unique in the district: against the stored cases and this batch's. */
  g_hash_table_iter_init (&iter, cases);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (g_strcmp0 (((CaseScope *) value)->number, number) == 0)
      return g_strdup_printf ("duplicate: the case number %s is already used in the district", number);
  {
    const char *params[] = { number };
    g_autoptr(PGresult) res = pt_db_query (conn, "SELECT 1 FROM cases WHERE number = $1", 1, params, error);

    if (res == NULL)
      return NULL;
    if (PQntuples (res) > 0)
      return g_strdup_printf ("duplicate: the case number %s is already used in the district", number);
  }
  return NULL;
}

/* Whether @runner is assigned to @case_id: by an event stored, or by one
 * earlier in this batch that will be. */
static gboolean
assigned_to_case (PGconn     *conn,
                  GPtrArray  *items,
                  Item       *item,
                  const char *runner,
                  GError    **error)
{
  const char *params[] = { item->event->case_id, runner };
  g_autoptr(PGresult) res = NULL;

  for (guint i = 0; i < items->len && items->pdata[i] != item; i++)
    {
      Item *other = items->pdata[i];

      if (other->insert && other->event->type == PT_EVENT_RUNNER_ASSIGNED
          && g_str_equal (other->event->case_id, item->event->case_id)
          && g_strcmp0 (pt_json_get_string (other->event->payload, "runner"), runner) == 0)
        return TRUE;
    }
  res = pt_db_query (conn, "SELECT 1 FROM events WHERE case_id = $1 AND type = 'runner_assigned' "
                     "AND (body::json -> 'payload' ->> 'runner') = $2 LIMIT 1", 2, params, error);
  return res != NULL && PQntuples (res) > 0;
}

/* An author on the district's roster is a runner of the desk's unit, or one
 * assigned to the case: no desk writes in the name of another unit's runner.
 * An id the roster does not hold is a runner the desk added itself before it
 * knew the roster (docs/events.md), and speaks for no one else. Returns the
 * reason of a rejection, or NULL (with @error set when the database failed). */
static char *
check_author (PGconn         *conn,
              GPtrArray      *items,
              GHashTable     *runner_units,
              Item           *item,
              const PtDevice *device,
              GError        **error)
{
  const char *author = item->event->author;
  const char *unit = author != NULL ? g_hash_table_lookup (runner_units, author) : NULL;

  if (unit == NULL || g_str_equal (unit, device->unit))
    return NULL;
  if (assigned_to_case (conn, items, item, author, error))
    return NULL;
  if (error != NULL && *error != NULL)
    return NULL;
  return g_strdup_printf ("invalid: the author %s is a runner of another unit, "
                          "not assigned to this case", author);
}

/* Decides a new event (device sequence above the mark). */
static gboolean
decide_new (PGconn               *conn,
            const PtServerConfig *config,
            const PtDevice       *device,
            GPtrArray            *items,
            GHashTable           *batch_ids,
            GHashTable           *cases,
            GHashTable           *known,
            GHashTable           *runner_units,
            Item                 *item,
            gint64                now,
            GError              **error)
{
  PtEvent *ev = item->event;
  g_autoptr(GError) invalid = NULL;
  Item *earlier;
  Known *k;
  CaseScope *scope;

  earlier = g_hash_table_lookup (batch_ids, ev->id);
  k = g_hash_table_lookup (known, ev->id);
  if (k != NULL || (earlier != NULL && earlier->insert))
    {
      const char *digest = k != NULL ? k->digest : earlier->digest;

      /* Another desk's event: the answer says nothing of it. */
      if (k != NULL && !g_str_equal (k->origin, device->id))
        {
          reject (item, "invalid: the event id %s cannot be used; a desk gives each event a new id", ev->id);
          return TRUE;
        }
      if (!g_str_equal (digest, item->digest))
        {
          reject (item, "corrupt: event %s is already stored with different content", ev->id);
          return TRUE;
        }
      item->outcome = OUT_DUPLICATE;
      item->seq = k != NULL ? k->seq : 0;
      item->flagged = k != NULL ? k->flagged : earlier->flagged;
      return TRUE;
    }

  if (item->invalid != NULL)
    {
      reject (item, "%s", item->invalid);
      return TRUE;
    }
  if (!pt_event_validate_payload (ev->type, ev->payload, &invalid))
    {
      reject (item, "invalid: %s", invalid->message);
      return TRUE;
    }
  /* A clock before the product existed, or a year ahead, is no clock. */
  if (ev->stamp.wall < PT_SERVER_EARLIEST_WALL_MS || ev->stamp.wall > now + PT_SERVER_LATEST_AHEAD_MS)
    {
      reject (item, "invalid: the event's clock reading %" G_GINT64_FORMAT " ms is impossible", ev->stamp.wall);
      return TRUE;
    }
  /* A token speaks for one device: the name its first push carried. */
  if (device->event_device != NULL && g_strcmp0 (ev->device, device->event_device) != 0)
    {
      reject (item, "invalid: the event names device %s, this token pushes for device %s",
              ev->device, device->event_device);
      return TRUE;
    }

  {
    g_autofree char *wrong = check_author (conn, items, runner_units, item, device, error);

    if (error != NULL && *error != NULL)
      return FALSE;
    if (wrong != NULL)
      {
        reject (item, "%s", wrong);
        return TRUE;
      }
  }

  if (ev->type == PT_EVENT_INTAKE)
    {
      const char *unit = pt_json_get_string (ev->payload, "unit");
      const char *path = unit ? g_hash_table_lookup (unit_paths, unit) : NULL;
      g_autoptr(PGresult) ins = NULL;
      const char *cparams[4];

      if (path == NULL)
        {
          reject (item, "invalid: the intake names no unit of this district (%s)",
                  unit ? unit : "none");
          return TRUE;
        }
      if (!g_str_has_prefix (path, device->path))
        {
          reject (item, "scope: unit %s is outside this desk's unit %s", unit, device->unit);
          return TRUE;
        }
      if (lookup_case (conn, cases, ev->case_id, FALSE, error) != NULL)
        {
          reject (item, "invalid: case %s already has an intake", ev->case_id);
          return TRUE;
        }
      {
        g_autofree char *wrong = check_intake (conn, items, cases, ev, unit, error);

        if (error != NULL && *error != NULL)
          return FALSE;
        if (wrong != NULL)
          {
            reject (item, "%s", wrong);
            return TRUE;
          }
      }
      cparams[0] = ev->case_id;
      cparams[1] = unit;
      cparams[2] = path;
      cparams[3] = pt_json_get_string (ev->payload, "number");
      ins = pt_db_query (conn, "INSERT INTO cases (id, unit, path, number) VALUES ($1, $2, $3, $4)",
                         4, cparams, error);
      if (ins == NULL)
        return FALSE;
      scope = g_new0 (CaseScope, 1);
      scope->unit = g_strdup (unit);
      scope->path = g_strdup (path);
      scope->number = g_strdup (cparams[3]);
      g_hash_table_insert (cases, g_strdup (ev->case_id), scope);
      item->path = g_strdup (path);
      item->unit = g_strdup (unit);
    }
  else
    {
      gboolean transfer = ev->type == PT_EVENT_CASE_TRANSFERRED;

      scope = lookup_case (conn, cases, ev->case_id, transfer, error);
      if (error != NULL && *error != NULL)
        return FALSE;
      if (scope == NULL)
        {
          reject (item, "unknown: case %s has no intake on the server", ev->case_id);
          return TRUE;
        }
      if (!g_str_has_prefix (scope->path, device->path))
        {
          reject (item, "scope: case %s is outside this desk's unit %s", ev->case_id, device->unit);
          return TRUE;
        }
      item->path = g_strdup (scope->path);
      item->unit = g_strdup (scope->unit);
      if (transfer)
        {
          const char *to = pt_json_get_string (ev->payload, "to_unit");
          g_autofree char *after = NULL;
          const char *after_path;

          g_autoptr(GError) sideways = NULL;

          if (to == NULL || g_hash_table_lookup (unit_paths, to) == NULL)
            {
              reject (item, "invalid: the transfer names no unit of this district (%s)",
                      to ? to : "none");
              return TRUE;
            }
          /* Up or down the district's tree, never sideways. */
          if (reference != NULL && reference->district != NULL
              && !pt_district_transfer_allowed (reference->district, device->unit, scope->unit, to, &sideways))
            {
              reject (item, "forbidden: %s", sideways->message);
              return TRUE;
            }
          after = unit_after_transfer (conn, items, item, error);
          if (after == NULL && error != NULL && *error != NULL)
            return FALSE;
          after_path = after ? g_hash_table_lookup (unit_paths, after) : NULL;
          if (after_path != NULL && !g_str_equal (after, scope->unit))
            {
              const char *uparams[] = { ev->case_id, after, after_path };
              g_autoptr(PGresult) upd = pt_db_query (conn,
                "UPDATE cases SET unit = $2, path = $3 WHERE id = $1", 3, uparams, error);
              if (upd == NULL)
                return FALSE;
              item->from_path = g_strdup (scope->path);
              item->from_unit = g_strdup (scope->unit);
              g_free (scope->unit);
              g_free (scope->path);
              scope->unit = g_strdup (after);
              scope->path = g_strdup (after_path);
              g_free (item->path);
              item->path = g_strdup (after_path);
              g_free (item->unit);
              item->unit = g_strdup (after);
            }
        }
    }

  /* A stamp far ahead of the server's clock is kept (nothing is lost) but
   * flagged, and desks do not fold it into their clocks. */
  item->flagged = ev->stamp.wall > now + config->max_clock_ahead_ms;
  item->insert = TRUE;
  item->outcome = OUT_STORED;
  return TRUE;
}

/* Decides an event at or below the mark: a copy of one already answered. */
static gboolean
decide_known (PGconn         *conn,
              const PtDevice *device,
              GHashTable     *known,
              Item           *item,
              GError        **error)
{
  g_autofree char *dseq = g_strdup_printf ("%" G_GINT64_FORMAT, item->device_seq);
  const char *qparams[] = { device->id, dseq };
  Known *k = g_hash_table_lookup (known, item->event->id);
  g_autoptr(PGresult) q = NULL;

  if (k != NULL)
    {
      if (!g_str_equal (k->digest, item->digest))
        reject (item, "corrupt: event %s is already stored with different content",
                item->event->id);
      else
        {
          item->outcome = OUT_DUPLICATE;
          item->seq = k->seq;
          item->flagged = k->flagged;
        }
      return TRUE;
    }
  /* Rejected the first time: the same answer again, so that a desk whose
   * first answer was lost still quarantines it. */
  q = pt_db_query (conn, "SELECT reason FROM quarantine WHERE origin = $1 AND device_seq = $2",
                   2, qparams, error);
  if (q == NULL)
    return FALSE;
  if (PQntuples (q) > 0)
    reject (item, "%s", PQgetvalue (q, 0, 0));
  else
    reject (item, "lost: device sequence %" G_GINT64_FORMAT
            " is at or below this desk's mark but event %s never arrived",
            item->device_seq, item->event->id);
  return TRUE;
}

static gboolean
store_items (PGconn         *conn,
             const PtDevice *device,
             GPtrArray      *items,
             gint64          high_water,
             GError        **error)
{
  guint n_insert = 0;
  gint64 next = 0;

  for (guint i = 0; i < items->len; i++)
    if (((Item *) items->pdata[i])->insert)
      n_insert++;

  if (n_insert > 0)
    {
      g_autofree char *n = g_strdup_printf ("%u", n_insert);
      const char *params[] = { n };
      g_autoptr(PGresult) res = pt_db_query (conn,
        "UPDATE counter SET seq = seq + $1::bigint WHERE id = 1 RETURNING seq",
        1, params, error);
      if (res == NULL)
        return FALSE;
      next = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10) - n_insert + 1;
    }

  if (n_insert > 0)
    {
      /* One INSERT for the whole batch: column arrays, unnested. */
      GPtrArray *cols[13];
      g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
      char *lits[13];
      const char *params[14];
      g_autoptr(PGresult) res = NULL;

      for (guint c = 0; c < G_N_ELEMENTS (cols); c++)
        cols[c] = g_ptr_array_new ();
      for (guint i = 0; i < items->len; i++)
        {
          Item *item = items->pdata[i];
          char *seq, *wall, *dseq;

          if (!item->insert)
            continue;
          item->seq = next++;
          seq = g_strdup_printf ("%" G_GINT64_FORMAT, item->seq);
          wall = g_strdup_printf ("%" G_GINT64_FORMAT, item->event->stamp.wall);
          dseq = g_strdup_printf ("%" G_GINT64_FORMAT, item->device_seq);
          g_ptr_array_add (owned, seq);
          g_ptr_array_add (owned, wall);
          g_ptr_array_add (owned, dseq);
          g_ptr_array_add (cols[0], seq);
          g_ptr_array_add (cols[1], item->event->id);
          g_ptr_array_add (cols[2], item->event->case_id);
          g_ptr_array_add (cols[3], (gpointer) pt_event_type_to_string (item->event->type));
          g_ptr_array_add (cols[4], wall);
          g_ptr_array_add (cols[5], item->body);
          g_ptr_array_add (cols[6], item->digest);
          g_ptr_array_add (cols[7], dseq);
          g_ptr_array_add (cols[8], item->path);
          g_ptr_array_add (cols[9], item->from_path);
          g_ptr_array_add (cols[10], (gpointer) (item->flagged ? "t" : "f"));
          g_ptr_array_add (cols[11], item->unit);
          g_ptr_array_add (cols[12], item->from_unit);
        }
      for (guint c = 0; c < G_N_ELEMENTS (cols); c++)
        {
          lits[c] = text_array (cols[c]);
          g_ptr_array_unref (cols[c]);
          params[c] = lits[c];
        }
      params[13] = device->id;
      res = pt_db_query (conn,
        "INSERT INTO events (seq, id, case_id, type, wall, body, digest, device_seq, path, "
        "from_path, flagged, unit, from_unit, origin) "
        "SELECT s, i, c, t, w, b, d, ds, p, fp, f, u, fu, $14 FROM unnest ($1::bigint[], $2::text[], "
        "$3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::bigint[], $9::text[], "
        "$10::text[], $11::boolean[], $12::text[], $13::text[]) "
        "AS x (s, i, c, t, w, b, d, ds, p, fp, f, u, fu)",
        14, params, error);
      for (guint c = 0; c < G_N_ELEMENTS (cols); c++)
        g_free (lits[c]);
      if (res == NULL)
        return FALSE;
    }

  for (guint i = 0; i < items->len; i++)
    {
      Item *item = items->pdata[i];
      g_autofree char *dseq = g_strdup_printf ("%" G_GINT64_FORMAT, item->device_seq);
      g_autoptr(PGresult) res = NULL;

      if (!item->quarantine)
        continue;
      {
        const char *params[] = { device->id, dseq, item->event->id,
                                 item->event->case_id, item->reason, item->body };
        res = pt_db_query (conn,
          "INSERT INTO quarantine (origin, device_seq, event_id, case_id, reason, body) "
          "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
          6, params, error);
      }
      if (res == NULL)
        return FALSE;
    }

  {
    g_autofree char *hw = g_strdup_printf ("%" G_GINT64_FORMAT, high_water);
    const char *params[] = { device->id, hw };
    g_autoptr(PGresult) res = pt_db_query (conn,
      "UPDATE devices SET high_water = $2, last_seen = now() WHERE id = $1",
      2, params, error);
    if (res == NULL)
      return FALSE;
  }
  return TRUE;
}

static char *
answer (GPtrArray *items,
        gint64     high_water)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  static const char *const names[] = { "stored", "duplicate", "rejected" };

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "server_time");
  json_builder_add_int_value (b, pt_server_now_ms ());
  json_builder_set_member_name (b, "high_water");
  json_builder_add_int_value (b, high_water);
  json_builder_set_member_name (b, "results");
  json_builder_begin_array (b);
  for (guint i = 0; i < items->len; i++)
    {
      Item *item = items->pdata[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, item->event->id);
      json_builder_set_member_name (b, "device_seq");
      json_builder_add_int_value (b, item->device_seq);
      json_builder_set_member_name (b, "outcome");
      json_builder_add_string_value (b, names[item->outcome]);
      if (item->outcome != OUT_REJECTED)
        {
          json_builder_set_member_name (b, "seq");
          json_builder_add_int_value (b, item->seq);
        }
      if (item->flagged)
        {
          json_builder_set_member_name (b, "flagged");
          json_builder_add_boolean_value (b, TRUE);
        }
      if (item->reason != NULL)
        {
          json_builder_set_member_name (b, "reason");
          json_builder_add_string_value (b, item->reason);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

void
pt_server_push (PGconn               *conn,
                const PtServerConfig *config,
                PtDevice             *device,
                JsonNode             *root,
                PtReply              *reply)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GHashTable) batch_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) cases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       case_scope_free);
  g_autoptr(GHashTable) known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, known_free);
  g_autoptr(GHashTable) runner_units = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(PGresult) dev = NULL;
  const char *params[] = { device->id };
  gint64 high_water, first, now = pt_server_now_ms ();
  gint64 started = g_get_monotonic_time ();
  guint stored = 0, duplicates = 0, rejected = 0;

  items = parse_batch (root, config, &error);
  if (items == NULL)
    {
      pt_reply_error (reply, 400, "bad_request", error->message);
      return;
    }

  if (!pt_db_exec (conn, "BEGIN", &error))
    goto db_fail;
  dev = pt_db_query (conn, "SELECT high_water FROM devices WHERE id = $1 FOR UPDATE",
                     1, params, &error);
  if (dev == NULL)
    goto db_fail;
  high_water = g_ascii_strtoll (PQgetvalue (dev, 0, 0), NULL, 10);
  first = ((Item *) items->pdata[0])->device_seq;
  if (first > high_water + 1)
    {
      g_autofree char *msg = g_strdup_printf (
        "Gap: the batch starts at device sequence %" G_GINT64_FORMAT
        " but the server has this desk's events up to %" G_GINT64_FORMAT
        "; resend from %" G_GINT64_FORMAT,
        first, high_water, high_water + 1);
      g_autoptr(JsonNode) node = NULL;
      JsonObject *obj;

      pt_db_rollback (conn);
      pt_reply_error (reply, 409, "gap", msg);
      node = json_from_string (reply->body, NULL);
      obj = json_node_get_object (node);
      json_object_set_int_member (obj, "high_water", high_water);
      g_free (reply->body);
      reply->body = json_to_string (node, FALSE);
      return;
    }

  if (!prefetch (conn, items, known, cases, runner_units, &error))
    goto db_fail;
  /* The first push of a token names its device for good. */
  if (device->event_device == NULL)
    {
      const char *name = ((Item *) items->pdata[items->len - 1])->event->device;
      const char *dparams[] = { device->id, name };
      g_autoptr(PGresult) upd = pt_db_query (conn,
        "UPDATE devices SET event_device = $2 WHERE id = $1 AND event_device IS NULL", 2, dparams, &error);

      if (upd == NULL)
        goto db_fail;
      device->event_device = g_strdup (name);
    }
  for (guint i = 0; i < items->len; i++)
    {
      Item *item = items->pdata[i];
      gboolean ok;

      if (item->device_seq <= high_water)
        ok = decide_known (conn, device, known, item, &error);
      else
        {
          ok = decide_new (conn, config, device, items, batch_ids, cases, known, runner_units,
                           item, now, &error);
          /* A rejected new event goes to the quarantine and still advances
           * the mark: the queue never blocks, nothing is skipped silently. */
          if (ok && item->outcome == OUT_REJECTED)
            item->quarantine = TRUE;
          g_hash_table_insert (batch_ids, item->event->id, item);
        }
      if (!ok)
        goto db_fail;
      switch (item->outcome)
        {
        case OUT_STORED: stored++; break;
        case OUT_DUPLICATE: duplicates++; break;
        case OUT_REJECTED: rejected++; break;
        }
    }
  high_water = MAX (high_water, ((Item *) items->pdata[items->len - 1])->device_seq);

  if (!store_items (conn, device, items, high_water, &error))
    goto db_fail;

  if (config->delay_before_commit_ms > 0)
    {
      pt_server_log ("info", "push_committing", "device", device->id, NULL);
      g_usleep (config->delay_before_commit_ms * 1000);
    }
  if (!pt_db_exec (conn, "COMMIT", &error))
    goto db_fail;
  if (config->delay_after_commit_ms > 0)
    {
      pt_server_log ("info", "push_committed", "device", device->id, NULL);
      g_usleep (config->delay_after_commit_ms * 1000);
    }

  {
    g_autofree char *s = g_strdup_printf ("%u", stored);
    g_autofree char *d = g_strdup_printf ("%u", duplicates);
    g_autofree char *r = g_strdup_printf ("%u", rejected);
    g_autofree char *hw = g_strdup_printf ("%" G_GINT64_FORMAT, high_water);
    g_autofree char *ms = g_strdup_printf ("%.1f", (g_get_monotonic_time () - started) / 1000.0);
    pt_server_log ("info", "push", "device", device->id, "unit", device->unit,
                   "stored", s, "duplicate", d, "rejected", r, "high_water", hw, "ms", ms, NULL);
  }
  reply->status = 200;
  reply->body = answer (items, high_water);
  return;

db_fail:
  pt_db_rollback (conn);
  pt_server_log ("error", "push_failed", "device", device->id, "message", error->message, NULL);
  pt_reply_error (reply, 503, "unavailable",
                  "The server could not store the batch; nothing of it was kept. Try again.");
}
