/* pt-store-cases.c: intake, the cache of folded states, the case list and
 * the rebuild from the log. */
#define G_LOG_DOMAIN "paotuan-store"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <glib/gi18n-lib.h>

#include "pt-calendar.h"
#include "pt-catalog.h"
#include "pt-error.h"
#include "pt-fold.h"
#include "pt-json.h"
#include "pt-reference.h"
#include "pt-store-private.h"
#include "pt-store-search.h"
#include "pt-uuid.h"
#include "pt-validate.h"

void
pt_case_row_free (PtCaseRow *row)
{
  if (row == NULL)
    return;
  g_free (row->id);
  g_free (row->number);
  g_free (row->applicant);
  g_free (row->items);
  g_free (row->runner);
  g_free (row->runner_name);
  g_free (row->unit);
  g_free (row->intake_date);
  g_free (row->due);
  g_free (row->phone);
  g_free (row->address);
  g_free (row->channel);
  g_free (row->vulnerable);
  g_free (row);
}

void
pt_case_query_init (PtCaseQuery *query)
{
  memset (query, 0, sizeof *query);
  query->status = -1;
  query->level = -1;
}

/* Item names for the list, "、"-joined as a clerk writes them. */
static char *
item_names (PtStore           *store,
            const PtCaseState *state)
{
  GString *names = g_string_new (NULL);
  PtCatalog *catalog = store->reference ? store->reference->catalog : NULL;

  for (guint i = 0; i < state->items->len; i++)
    {
      const char *code = g_ptr_array_index (state->items, i);
      const PtCatalogItem *item = catalog ? pt_catalog_lookup (catalog, code) : NULL;

      if (names->len > 0)
        g_string_append (names, "、");
      g_string_append (names, item ? item->name : code);
    }
  return g_string_free (names, FALSE);
}

/* The cache keeps the SHA-256 of the state's canonical JSON, not the JSON:
 * the application folds a case when it opens it, and rebuild compares.
 * OpenSSL's SHA-256 (with the CPU's SHA instructions) rather than GLib's:
 * a state is several kilobytes, and GLib's took a sixth of a rebuild. */
static char *
state_digest (const PtCaseState *state)
{
  g_autofree char *json = pt_case_state_to_string (state);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  char *hex;

  if (!EVP_Digest (json, strlen (json), md, &length, EVP_sha256 (), NULL))
    g_error ("OpenSSL could not compute a SHA-256");
  hex = g_new (char, 2 * length + 1);
  for (unsigned int i = 0; i < length; i++)
    {
      hex[2 * i] = "0123456789abcdef"[md[i] >> 4];
      hex[2 * i + 1] = "0123456789abcdef"[md[i] & 15];
    }
  hex[2 * length] = '\0';
  return hex;
}

static gboolean
write_cache_with_digest (PtStore            *store,
                         const PtCaseState  *state,
                         const char         *text,
                         gboolean           *changed,
                         GPtrArray          *search,
                         GError            **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *items = NULL;
  gint64 rowid = 0;
  gboolean is_new = TRUE;

  int provisional = state->due_provisional ? 2 : pt_case_state_is_provisional (state) ? 1 : 0;

  stmt = pt_store_prepare (store, "SELECT rowid, state_digest, provisional FROM cases WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, state->id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      is_new = FALSE;
      rowid = sqlite3_column_int64 (stmt, 0);
      if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), text) == 0)
        {
          /* The same state; only a mark set by a migration may differ. */
          gboolean marked = sqlite3_column_int (stmt, 2) != provisional;
          sqlite3_reset (stmt);
          return !marked || pt_store_run (store, error, N_("Writing a case's state"),
                                          "UPDATE cases SET provisional = ?1 WHERE rowid = ?2", "ii",
                                          (gint64) provisional, rowid);
        }
    }
  sqlite3_reset (stmt);
  if (changed != NULL)
    *changed = TRUE;

  items = item_names (store, state);
  stmt = pt_store_prepare (store,
                           "INSERT INTO cases (id, number, status, level, unit, runner, applicant, items,"
                           " phone, address, channel, vulnerable, intake_date, due, conflicts, updated_on, state_digest,"
                           " provisional)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"
                           " ON CONFLICT (id) DO UPDATE SET number = excluded.number, status = excluded.status,"
                           " level = excluded.level, unit = excluded.unit, runner = excluded.runner,"
                           " applicant = excluded.applicant, items = excluded.items, phone = excluded.phone,"
                           " address = excluded.address, channel = excluded.channel,"
                           " vulnerable = excluded.vulnerable, intake_date = excluded.intake_date,"
                           " due = excluded.due, conflicts = excluded.conflicts,"
                           " updated_on = excluded.updated_on, state_digest = excluded.state_digest,"
                           " provisional = excluded.provisional"
                           " RETURNING rowid",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, state->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, state->number, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, pt_case_status_to_string (state->status), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, pt_level_to_string (state->level), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, state->unit, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, state->runner, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, state->applicant_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, items, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, state->phone, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, state->address, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 11, state->channel, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, state->vulnerable, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 13, state->intake_date, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 14, state->due, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 15, (int) state->conflicts->len);
  sqlite3_bind_text (stmt, 16, state->updated_on, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 17, text, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 18, provisional);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      pt_store_set_error (store, error, N_("Writing a case's state"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  rowid = sqlite3_column_int64 (stmt, 0);
  sqlite3_step (stmt);
  sqlite3_reset (stmt);

  g_ptr_array_add (search, pt_search_entry_new (rowid, state, is_new));
  return TRUE;
}

gboolean
pt_store_write_cache (PtStore            *store,
                      const PtCaseState  *state,
                      gboolean           *changed,
                      GPtrArray          *search,
                      GError            **error)
{
  g_autofree char *digest = NULL;

  if (changed != NULL)
    *changed = FALSE;
  if (state->id == NULL)
    return TRUE;   /* events whose intake has not arrived yet */
  digest = state_digest (state);
  return write_cache_with_digest (store, state, digest, changed, search, error);
}

/* ---- intake ------------------------------------------------------------ */

/* The per-desk number of the day: desk index d makes numbers d001..d999, so
 * two desks of one unit never give the same number without a network. */
static char *
next_case_number (PtStore     *store,
                  const char  *unit,
                  const char  *date,
                  GError     **error)
{
  g_autofree char *desk = pt_store_get_meta (store, "desk_index");
  g_autofree char *day = NULL;
  /* The desk's index in its unit leads the day's count: 0003 is desk 0's
   * third case, 2003 desk 2's, 12003 desk 12's (the count stays below 1000),
   * so no two desks of a unit ever make one number. */
  guint desk_index = desk ? (guint) g_ascii_strtoull (desk, NULL, 10) : 0;
  sqlite3_stmt *stmt;
  gint64 last;

  day = g_strdup_printf ("%.4s%.2s%.2s", date, date + 5, date + 8);
  stmt = pt_store_prepare (store,
                           "INSERT INTO desk_sequence (day, last) VALUES (?1, 1)"
                           " ON CONFLICT (day) DO UPDATE SET last = last + 1 RETURNING last",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, day, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      pt_store_set_error (store, error, N_("Numbering the case"));
      sqlite3_reset (stmt);
      return NULL;
    }
  last = sqlite3_column_int64 (stmt, 0);
  sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (last > 999)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_FORBIDDEN,
                   _("This desk has already taken 999 cases on %s: take the next one at another desk."), date);
      return NULL;
    }
  return g_strdup_printf ("%s-%s-%04u", unit, day, desk_index * 1000 + (guint) last);
}

static gboolean
check_request_members (JsonObject  *request,
                       GError     **error)
{
  static const char * const known[] = {
    "applicant", "channel", "items", "unit", "materials", "date", "transfer_to", NULL
  };
  g_autoptr(GList) members = json_object_get_members (request);

  for (GList *l = members; l; l = l->next)
    if (!g_strv_contains (known, l->data))
      {
        g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                     _("An intake has no field “%s”: check its spelling (docs/events.md)."),
                     (const char *) l->data);
        return FALSE;
      }
  return TRUE;
}

/* The request's item codes, each a known item. */
static GPtrArray *
request_items (PtStore     *store,
               JsonArray   *items,
               GError     **error)
{
  g_autoptr(GPtrArray) codes = g_ptr_array_new ();

  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      const char *code = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
                         ? json_node_get_string (node) : NULL;

      if (code == NULL || pt_catalog_lookup (store->reference->catalog, code) == NULL)
        {
          g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                       _("There is no service item %s in the catalog: `paotuanctl catalog list` shows the codes."),
                       code ? code : "?");
          return NULL;
        }
      g_ptr_array_add (codes, (gpointer) code);
    }
  return g_steal_pointer (&codes);
}

/* The scope check (seed §三(一)) for the level of @unit: the unit that
 * takes the case, or the one it is transferred to. */
static gboolean
check_items (PtStore        *store,
             GPtrArray      *items,
             const PtUnit   *unit,
             GError        **error)
{
  PtCatalog *catalog = store->reference->catalog;

  for (guint i = 0; i < items->len; i++)
    {
      const PtCatalogItem *item = pt_catalog_lookup (catalog, g_ptr_array_index (items, i));
      g_autoptr(GError) scope_error = NULL;

      if (!pt_catalog_check_scope (item, unit->level, NULL, &scope_error))
        {
          g_propagate_error (error, g_steal_pointer (&scope_error));
          return FALSE;
        }
    }
  return TRUE;
}

/* The unit a request's transfer_to names: a unit above the taking one. */
static const PtUnit *
transfer_unit (PtStore       *store,
               const PtUnit  *unit,
               const char    *code,
               GError       **error)
{
  const PtUnit *to = pt_district_lookup (store->reference->district, code);

  if (to == NULL)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("There is no unit %s in the district to transfer the case to: `paotuanctl units` lists the units."),
                   code);
      return NULL;
    }
  if (g_strcmp0 (to->code, unit->code) == 0
      || !pt_district_is_within (store->reference->district, unit->code, to->code))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("%s is not above %s: an intake is transferred to the town or the district the taking unit belongs to."),
                   to->name, unit->name);
      return NULL;
    }
  return to;
}

/* The case_transferred an intake with transfer_to is recorded with. The
 * reason is the record's, in the documents' language. */
static PtEvent *
transfer_event (PtStore       *store,
                const char    *case_id,
                const PtUnit  *to,
                const char    *date,
                const char    *author)
{
  JsonObject *payload = json_object_new ();
  g_autofree char *reason = g_strdup_printf ("受理时超出本级受理范围，移交%s办理", to->name);

  json_object_set_string_member (payload, "to_unit", to->code);
  json_object_set_string_member (payload, "level", pt_level_to_string (to->level));
  json_object_set_string_member (payload, "reason", reason);
  if (date != NULL)
    json_object_set_string_member (payload, "date", date);
  return pt_store_new_event (store, case_id, PT_EVENT_CASE_TRANSFERRED, payload, author);
}

/* The applicant's codes and phone as a clerk may type or paste them (spaces,
 * full-width digits, a lower-case x) made canonical before they are checked,
 * for every client alike. Nothing is cut: a character too many stays one. */
static void
normalize_applicant (JsonObject *intake)
{
  JsonObject *given = pt_json_get_object (intake, "applicant");
  static const char * const codes[] = { "id_number", "uscc", NULL };
  JsonObject *applicant;
  const char *phone;

  if (given == NULL)
    return;
  /* A copy of its own: the caller's request is left as it was. */
  applicant = json_object_new ();
  {
    g_autoptr(GList) members = json_object_get_members (given);
    for (GList *l = members; l; l = l->next)
      json_object_set_member (applicant, l->data, json_object_dup_member (given, l->data));
  }
  json_object_set_object_member (intake, "applicant", applicant);
  for (guint i = 0; codes[i] != NULL; i++)
    {
      const char *text = pt_json_get_string (applicant, codes[i]);

      if (text != NULL)
        {
          g_autofree char *code = pt_normalize_code (text);
          json_object_set_string_member (applicant, codes[i], code);
        }
    }
  phone = pt_json_get_string (applicant, "phone");
  if (phone != NULL)
    {
      g_autofree char *typed = pt_normalize_phone (phone);
      json_object_set_string_member (applicant, "phone", typed);
    }
}

/* The one-time notice (一次性告知) of every material the checklist has
 * missing, or NULL when nothing is missing. */
static PtEvent *
missing_notice (PtStore     *store,
                const char  *case_id,
                JsonArray   *materials,
                const char  *date,
                const char  *author)
{
  JsonObject *payload;
  JsonArray *missing = json_array_new ();

  for (guint i = 0; i < json_array_get_length (materials); i++)
    {
      JsonObject *material = json_array_get_object_element (materials, i);

      if (material != NULL && pt_json_get_bool (material, "missing", FALSE))
        json_array_add_string_element (missing, pt_json_get_string (material, "name"));
    }
  if (json_array_get_length (missing) == 0)
    {
      json_array_unref (missing);
      return NULL;
    }
  payload = json_object_new ();
  json_object_set_array_member (payload, "materials", missing);
  if (date != NULL)
    json_object_set_string_member (payload, "date", date);
  return pt_store_new_event (store, case_id, PT_EVENT_MISSING_NOTICE, payload, author);
}

char *
pt_store_create_case (PtStore     *store,
                      JsonObject  *request,
                      const char  *author,
                      GError     **error)
{
  g_autofree char *desk_unit = NULL;
  g_autofree char *today = NULL;
  g_autofree char *number = NULL;
  g_autofree char *case_id = NULL;
  g_autoptr(JsonObject) intake = NULL;
  g_autoptr(PtEvent) intake_event = NULL;
  g_autoptr(PtEvent) materials_event = NULL;
  g_autoptr(PtEvent) notice_event = NULL;
  g_autoptr(PtEvent) transfer = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new ();
  g_autoptr(GPtrArray) items = NULL;
  const char *unit_code, *date, *transfer_code;
  const PtUnit *unit, *to = NULL;
  JsonArray *materials;

  g_return_val_if_fail (store->reference != NULL, NULL);

  if (!check_request_members (request, error))
    return NULL;

  desk_unit = pt_store_get_meta (store, "unit");
  unit_code = pt_json_get_string (request, "unit") ?: desk_unit;
  if (unit_code == NULL)
    {
      g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID,
                           _("This desk has no unit yet: choose the desk's unit in the preferences (or give “unit”)."));
      return NULL;
    }
  unit = pt_district_lookup (store->reference->district, unit_code);
  if (unit == NULL)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("There is no unit %s in the district: `paotuanctl units` lists the units."), unit_code);
      return NULL;
    }
  items = request_items (store, pt_json_get_array (request, "items"), error);
  if (items == NULL)
    return NULL;
  transfer_code = pt_json_get_string (request, "transfer_to");
  if (transfer_code != NULL && (to = transfer_unit (store, unit, transfer_code, error)) == NULL)
    return NULL;
  if (!check_items (store, items, to ? to : unit, error))
    return NULL;

  date = pt_json_get_string (request, "date");
  if (date == NULL)
    date = today = pt_date_today ();

  /* The intake payload: the request without its materials, with the number
   * and the level. Copy members so the caller's object is left alone. */
  intake = json_object_new ();
  {
    g_autoptr(GList) members = json_object_get_members (request);
    for (GList *l = members; l; l = l->next)
      if (!g_str_equal (l->data, "materials"))
        json_object_set_member (intake, l->data, json_object_dup_member (request, l->data));
  }
  json_object_set_string_member (intake, "unit", unit->code);
  json_object_set_string_member (intake, "level", pt_level_to_string (unit->level));
  json_object_set_string_member (intake, "number", "pending");
  normalize_applicant (intake);
  if (!pt_event_validate_payload (PT_EVENT_INTAKE, intake, error))
    return NULL;

  materials = pt_json_get_array (request, "materials");
  if (materials != NULL)
    {
      g_autoptr(JsonObject) payload = json_object_new ();
      json_object_set_array_member (payload, "materials", json_array_ref (materials));
      if (!pt_event_validate_payload (PT_EVENT_MATERIALS_CHECKED, payload, error))
        return NULL;
    }

  if (!pt_store_begin (store, error))
    return NULL;
  number = next_case_number (store, unit->code, date, error);
  if (number == NULL)
    goto fail;
  json_object_set_string_member (intake, "number", number);

  case_id = pt_uuid7_new ();
  intake_event = pt_store_new_event (store, case_id, PT_EVENT_INTAKE, json_object_ref (intake), author);
  g_ptr_array_add (events, intake_event);
  if (materials != NULL)
    {
      JsonObject *payload = json_object_new ();
      json_object_set_array_member (payload, "materials", json_array_ref (materials));
      if (pt_json_get_string (request, "date"))
        json_object_set_string_member (payload, "date", date);
      materials_event = pt_store_new_event (store, case_id, PT_EVENT_MATERIALS_CHECKED, payload, author);
      g_ptr_array_add (events, materials_event);
      notice_event = missing_notice (store, case_id, materials, pt_json_get_string (request, "date"), author);
      if (notice_event != NULL)
        g_ptr_array_add (events, notice_event);
    }
  if (to != NULL)
    {
      transfer = transfer_event (store, case_id, to, pt_json_get_string (request, "date"), author);
      g_ptr_array_add (events, transfer);
    }
  if (!pt_store_append_batch (store, events, TRUE, error) || !pt_store_commit (store, error))
    goto fail;
  return g_steal_pointer (&number);

fail:
  pt_store_rollback (store);
  return NULL;
}

/* ---- finding and listing ----------------------------------------------- */

char *
pt_store_resolve_case (PtStore     *store,
                       const char  *number_or_id,
                       GError     **error)
{
  sqlite3_stmt *stmt = pt_store_prepare (store, "SELECT id FROM cases WHERE number = ?1 OR id = ?1", error);
  char *id = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, number_or_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (id == NULL)
    g_set_error (error, PT_ERROR, PT_ERROR_NOT_FOUND,
                 _("There is no case %s: search the case list by the applicant's name or the case number."),
                 number_or_id);
  return id;
}

/* The WHERE clause of a query's filters (not its search). Values are quoted
 * into the text, so that the same function serves the list and the count;
 * prepared statements are not cached for these (their text varies). */
static char *
query_where (const PtCaseQuery *query)
{
  GString *where = g_string_new ("WHERE 1");
  g_autofree char *today = NULL;

  if (query->status >= 0 && query->status < PT_STATUS_N)
    g_string_append_printf (where, " AND c.status = '%s'", pt_case_status_to_string (query->status));
  if (query->level >= 0 && query->level <= PT_LEVEL_VILLAGE)
    g_string_append_printf (where, " AND c.level = '%s'", pt_level_to_string (query->level));
  if (query->runner != NULL)
    {
      char *sql = sqlite3_mprintf (" AND c.runner = %Q", query->runner);
      g_string_append (where, sql);
      sqlite3_free (sql);
    }
  if (query->unit != NULL)
    {
      char *sql = sqlite3_mprintf (" AND (c.unit = %Q OR c.unit LIKE '%q-%%')", query->unit, query->unit);
      g_string_append (where, sql);
      sqlite3_free (sql);
    }
  if (query->overdue_only)
    {
      char *sql;
      if (query->today == NULL)
        today = pt_date_today ();
      sql = sqlite3_mprintf (" AND c.due IS NOT NULL AND c.due < %Q", query->today ? query->today : today);
      g_string_append (where, sql);
      sqlite3_free (sql);
      if (query->due_from != NULL)
        {
          sql = sqlite3_mprintf (" AND c.due >= %Q", query->due_from);
          g_string_append (where, sql);
          sqlite3_free (sql);
        }
    }
  if (query->conflicts_only)
    g_string_append (where, " AND c.conflicts > 0");
  if (query->transferred_to != NULL)
    {
      char *sql = sqlite3_mprintf (" AND c.status NOT IN ('delivered', 'terminated') AND c.id IN"
                                   " (SELECT case_id FROM events WHERE type = 'case_transferred'"
                                   " AND wall >= %lld AND json_extract (payload, '$.to_unit') = %Q)",
                                   (long long) query->transferred_since, query->transferred_to);
      g_string_append (where, sql);
      sqlite3_free (sql);
    }
  return g_string_free (where, FALSE);
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/* The cases of a query with a search, as a set of rowids (pt-row-set.h).
 * The list asks for the count and then for pages of one query, so the last
 * answer is kept while nothing has been written, here or by another
 * connection. NULL without @error when the search has no term. */
static const PtRowSet *
matching_rows (PtStore            *store,
               const PtCaseQuery  *query,
               const char         *where,
               GError            **error)
{
  g_autofree char *key = g_strconcat (query->search, "\x1f", where, NULL);
  gint64 changes = sqlite3_total_changes64 (store->db);
  gint64 data_version = pt_store_query_int (store, "PRAGMA data_version", N_("Reading the cache"), error);
  gint64 max_rowid;
  g_autoptr(PtRowSet) rows = NULL;

  if (data_version < 0)
    return NULL;
  if (store->search.key != NULL && g_str_equal (store->search.key, key)
      && store->search.changes == changes && store->search.data_version == data_version)
    return store->search.rows;

  max_rowid = pt_store_query_int (store, "SELECT IFNULL (MAX (rowid), 0) FROM cases", N_("Reading the cache"), error);
  if (max_rowid < 0)
    return NULL;
  rows = pt_store_search_rows (store, query->search, max_rowid, error);
  if (rows == NULL)
    return NULL;
  if (!g_str_equal (where, "WHERE 1") && !pt_store_search_filter (store, rows, where, error))
    return NULL;

  g_free (store->search.key);
  pt_row_set_free (store->search.rows);
  store->search.key = g_steal_pointer (&key);
  store->search.changes = changes;
  store->search.data_version = data_version;
  store->search.rows = g_steal_pointer (&rows);
  return store->search.rows;
}

GPtrArray *
pt_store_list_cases (PtStore            *store,
                     const PtCaseQuery  *query,
                     guint               offset,
                     guint               limit,
                     GError            **error)
{
  g_autofree char *where = query_where (query);
  g_autofree char *sql = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_case_row_free);
  const PtRowSet *matches = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (query->search != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      matches = matching_rows (store, query, where, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  if (matches != NULL)
    {
      g_autoptr(GArray) page = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GString) ids = g_string_new (NULL);

      pt_row_set_page (matches, offset, limit, page);
      if (page->len == 0)
        return g_steal_pointer (&rows);
      for (guint i = 0; i < page->len; i++)
        g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i ? ", " : "", g_array_index (page, gint64, i));
      /* The page's rows by rowid: the filters are in the set already. */
      g_free (where);
      where = g_strdup_printf ("WHERE c.rowid IN (%s)", ids->str);
      offset = 0;
    }
  sql = g_strdup_printf ("SELECT c.rowid, c.id, c.number, c.applicant, c.items, c.runner, r.name, c.status,"
                         " c.level, c.unit, c.intake_date, c.due, c.phone, c.address, c.channel,"
                         " c.vulnerable, c.conflicts, c.provisional"
                         " FROM cases c LEFT JOIN runners r ON r.id = c.runner %s"
                         " ORDER BY %s LIMIT %u OFFSET %u",
                         where, query->by_due && matches == NULL ? "c.due IS NULL, c.due, c.rowid DESC" : "c.rowid DESC",
                         limit, offset);
  if (sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      pt_store_set_error (store, error, N_("Listing cases"));
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PtCaseRow *row = g_new0 (PtCaseRow, 1);
      PtCaseStatus status = PT_STATUS_ACCEPTED;
      PtLevel level = PT_LEVEL_VILLAGE;

      row->rowid = sqlite3_column_int64 (stmt, 0);
      row->id = dup_column (stmt, 1);
      row->number = dup_column (stmt, 2);
      row->applicant = dup_column (stmt, 3);
      row->items = dup_column (stmt, 4);
      row->runner = dup_column (stmt, 5);
      row->runner_name = dup_column (stmt, 6);
      pt_case_status_from_string ((const char *) sqlite3_column_text (stmt, 7), &status);
      row->status = status;
      pt_level_from_string ((const char *) sqlite3_column_text (stmt, 8), &level);
      row->level = level;
      row->unit = dup_column (stmt, 9);
      row->intake_date = dup_column (stmt, 10);
      row->due = dup_column (stmt, 11);
      row->phone = dup_column (stmt, 12);
      row->address = dup_column (stmt, 13);
      row->channel = dup_column (stmt, 14);
      row->vulnerable = dup_column (stmt, 15);
      row->n_conflicts = (guint) sqlite3_column_int (stmt, 16);
      row->due_provisional = sqlite3_column_int (stmt, 17) == 2;
      g_ptr_array_add (rows, row);
    }
  if (rc != SQLITE_DONE)
    {
      pt_store_set_error (store, error, N_("Listing cases"));
      sqlite3_finalize (stmt);
      return NULL;
    }
  sqlite3_finalize (stmt);
  return g_steal_pointer (&rows);
}

gint64
pt_store_count_cases (PtStore            *store,
                      const PtCaseQuery  *query,
                      GError            **error)
{
  g_autofree char *where = query_where (query);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 count = -1;

  if (query->search != NULL)
    {
      g_autoptr(GError) local_error = NULL;
      const PtRowSet *matches = matching_rows (store, query, where, &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return -1;
        }
      if (matches != NULL)
        return pt_row_set_count (matches);
    }
  sql = g_strdup_printf ("SELECT count(*) FROM cases c %s", where);
  if (sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      pt_store_set_error (store, error, N_("Counting cases"));
      return -1;
    }
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    pt_store_set_error (store, error, N_("Counting cases"));
  sqlite3_finalize (stmt);
  return count;
}

gboolean
pt_store_count_by_status (PtStore  *store,
                          gint64   *counts,
                          GError  **error)
{
  sqlite3_stmt *stmt = pt_store_prepare (store, "SELECT status, count(*) FROM cases GROUP BY status", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  memset (counts, 0, sizeof (gint64) * PT_STATUS_N);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PtCaseStatus status;
      if (pt_case_status_from_string ((const char *) sqlite3_column_text (stmt, 0), &status))
        counts[status] = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      pt_store_set_error (store, error, N_("Counting cases"));
      return FALSE;
    }
  return TRUE;
}

/* ---- rebuild ----------------------------------------------------------- */

/* The rebuild reads the log on this thread (the connection's thread),
 * with each case's cached digest, and hands each case's rows to worker
 * threads, which parse, fold, digest and compare; this thread rewrites what
 * differs. A bounded number of cases is in flight, so memory stays flat. */

/* A log row, as offsets of its strings in its job's text (-1: NULL). The
 * reading thread was the rebuild's bottleneck, half of it in malloc: it now
 * makes one allocation per case, not nine per event, and frees nothing the
 * workers made (a worker drops a state the cache already holds itself). */
typedef struct {
  gssize id, device, author, type, payload;
  gint64 wall, counter, seq;
} RawEvent;

typedef struct {
  char        *case_id;
  GString     *text;     /* the rows' strings, each ending in NUL */
  GArray      *rows;     /* RawEvent */
  char        *cached;   /* the cache's digest, NULL when no row */
  PtCalendar  *calendar;
  /* Set by the worker: */
  gboolean     has_case; /* the log has the intake */
  gboolean     same;     /* the cache holds this state: nothing more to do */
  PtCaseState *state;    /* when not the same */
  char        *digest;
  GError      *error;
} RebuildJob;

#define MAX_IN_FLIGHT 256

static void
rebuild_job_free (RebuildJob *job)
{
  g_free (job->case_id);
  if (job->text != NULL)
    g_string_free (job->text, TRUE);
  if (job->rows != NULL)
    g_array_unref (job->rows);
  g_free (job->cached);
  pt_case_state_free (job->state);
  g_free (job->digest);
  g_clear_error (&job->error);
  g_free (job);
}

static const char *
raw_text (const RebuildJob *job,
          gssize            offset)
{
  return offset < 0 ? NULL : job->text->str + offset;
}

static void
rebuild_work (gpointer data,
              gpointer user_data)
{
  RebuildJob *job = data;
  GAsyncQueue *done = user_data;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_event_free);

  for (guint i = 0; i < job->rows->len && job->error == NULL; i++)
    {
      RawEvent *raw = &g_array_index (job->rows, RawEvent, i);
      g_autoptr(JsonNode) root = pt_json_parse (raw_text (job, raw->payload), -1, NULL);
      PtEventType type;
      PtStamp stamp = { raw->wall, (guint32) raw->counter };
      PtEvent *event;

      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) || !pt_event_type_from_string (raw_text (job, raw->type), &type))
        {
          g_set_error (&job->error, PT_ERROR, PT_ERROR_STORE, _("Record %s in the log is damaged."),
                       raw_text (job, raw->id));
          break;
        }
      event = pt_event_new (raw_text (job, raw->id), job->case_id, &stamp, raw_text (job, raw->device),
                            raw_text (job, raw->author), type, json_node_get_object (root));
      event->seq = raw->seq;
      g_ptr_array_add (events, event);
    }
  if (job->error == NULL)
    {
      job->state = pt_fold (events, job->calendar);
      job->has_case = job->state->id != NULL;
      if (job->has_case)
        job->digest = state_digest (job->state);
      /* What this thread made, this thread frees. */
      job->same = job->has_case && g_strcmp0 (job->digest, job->cached) == 0;
      if (job->same || !job->has_case)
        g_clear_pointer (&job->state, pt_case_state_free);
    }
  g_clear_pointer (&events, g_ptr_array_unref);
  g_async_queue_push (done, job);
}

static gboolean
rebuild_finish_job (PtStore     *store,
                    RebuildJob  *job,
                    GPtrArray   *differences,
                    GHashTable  *seen,
                    GPtrArray   *search,
                    GError     **error)
{
  gboolean changed = FALSE;

  if (job->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&job->error));
      return FALSE;
    }
  if (!job->has_case)
    return TRUE;
  g_hash_table_add (seen, g_steal_pointer (&job->case_id));
  if (job->same)
    return TRUE;
  if (!write_cache_with_digest (store, job->state, job->digest, &changed, search, error))
    return FALSE;
  if (changed)
    g_ptr_array_add (differences, g_strdup (job->state->number ? job->state->number : job->state->id));
  /* Rewriting every row (a cache dropped by hand) keeps a bounded batch. */
  return search->len < 1000 || pt_store_search_write (store, search, error);
}

/* Appends a column's text to the job's, with its NUL; -1 for NULL. */
static gssize
add_text (RebuildJob   *job,
          sqlite3_stmt *stmt,
          int           column)
{
  gssize offset = (gssize) job->text->len;

  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return -1;
  g_string_append_len (job->text, (const char *) sqlite3_column_text (stmt, column),
                       sqlite3_column_bytes (stmt, column));
  g_string_append_c (job->text, '\0');
  return offset;
}

static RebuildJob *
rebuild_job_new (PtStore     *store,
                 const char  *case_id,
                 GError     **error)
{
  sqlite3_stmt *stmt = pt_store_prepare (store, "SELECT state_digest FROM cases WHERE id = ?1", error);
  RebuildJob *job;

  if (stmt == NULL)
    return NULL;
  job = g_new0 (RebuildJob, 1);
  job->case_id = g_strdup (case_id);
  job->text = g_string_sized_new (4096);
  job->rows = g_array_new (FALSE, FALSE, sizeof (RawEvent));
  job->calendar = store->reference ? store->reference->calendar : NULL;
  sqlite3_bind_text (stmt, 1, case_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    job->cached = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return job;
}

/* Folds every case from the log in one transaction, rewrites only the cache
 * rows that differ, and drops cache rows whose case has no log. */
gboolean
pt_store_rebuild (PtStore     *store,
                  GPtrArray  **differences,
                  GError     **error)
{
  g_autoptr(GPtrArray) diffs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) search = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_search_entry_free);
  g_autoptr(GArray) orphans = g_array_new (FALSE, FALSE, sizeof (gint64));   /* cache rowids */
  g_autoptr(GAsyncQueue) done = g_async_queue_new ();
  g_autoptr(GHashTable) remaining = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) open = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                      (GDestroyNotify) rebuild_job_free);
  GThreadPool *pool;
  sqlite3_stmt *stmt = NULL;
  guint in_flight = 0;
  gboolean ok = FALSE;
  int rc;

  pool = g_thread_pool_new (rebuild_work, done, MAX (g_get_num_processors (), 1), FALSE, NULL);
  if (!pt_store_begin (store, error))
    goto out;
  /* The whole log is read once: through the kernel's page cache directly
   * rather than a read () and a copy for each page. Reset at the end. */
  if (!pt_store_exec (store, "PRAGMA mmap_size = 8589934592", error))
    goto out;

  /* The log is read in its own order, front to back, and each case goes to
   * the workers once its last event is read: how many a case has comes
   * from the index first. Reading it case by case through the index cost a
   * seek into the table for every event, a third of the reading thread. */
  if (sqlite3_prepare_v2 (store->db, "SELECT case_id, COUNT (*) FROM events GROUP BY case_id",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      pt_store_set_error (store, error, N_("Reading the log"));
      goto out;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (remaining, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         GINT_TO_POINTER (sqlite3_column_int (stmt, 1)));
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (rc != SQLITE_DONE)
    {
      pt_store_set_error (store, error, N_("Reading the log"));
      goto out;
    }

  if (sqlite3_prepare_v2 (store->db, "SELECT " EVENT_COLUMNS " FROM events", -1, &stmt, NULL) != SQLITE_OK)
    {
      pt_store_set_error (store, error, N_("Reading the log"));
      goto out;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *case_id = (const char *) sqlite3_column_text (stmt, 1);
      RebuildJob *job = g_hash_table_lookup (open, case_id);
      gpointer key, left;
      RawEvent raw;

      if (job == NULL)
        {
          if ((job = rebuild_job_new (store, case_id, error)) == NULL)
            goto out;
          g_hash_table_insert (open, job->case_id, job);
        }
      raw.id = add_text (job, stmt, 0);
      raw.wall = sqlite3_column_int64 (stmt, 2);
      raw.counter = sqlite3_column_int64 (stmt, 3);
      raw.device = add_text (job, stmt, 4);
      raw.author = add_text (job, stmt, 5);
      raw.type = add_text (job, stmt, 6);
      raw.payload = add_text (job, stmt, 7);
      raw.seq = sqlite3_column_int64 (stmt, 8);
      g_array_append_val (job->rows, raw);

      if (!g_hash_table_lookup_extended (remaining, case_id, &key, &left)
          || (guint) GPOINTER_TO_INT (left) > job->rows->len)
        continue;
      g_hash_table_steal (open, job->case_id);
      g_thread_pool_push (pool, job, NULL);
      in_flight++;
      /* Take in finished cases as they come; wait when too many are out. */
      for (RebuildJob *finished; (finished = in_flight >= MAX_IN_FLIGHT ? g_async_queue_pop (done)
                                                                       : g_async_queue_try_pop (done)) != NULL;)
        {
          gboolean finished_ok = rebuild_finish_job (store, finished, diffs, seen, search, error);
          rebuild_job_free (finished);
          in_flight--;
          if (!finished_ok)
            goto out;
        }
    }
  if (rc != SQLITE_DONE)
    {
      pt_store_set_error (store, error, N_("Reading the log"));
      goto out;
    }
  /* Every case was counted in this transaction, so none should be left
   * open; if one were, it is folded from what was read. */
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, open);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      {
        g_hash_table_iter_steal (&iter);
        g_thread_pool_push (pool, value, NULL);
        in_flight++;
      }
  }
  while (in_flight > 0)
    {
      RebuildJob *finished = g_async_queue_pop (done);
      gboolean finished_ok = rebuild_finish_job (store, finished, diffs, seen, search, error);
      rebuild_job_free (finished);
      in_flight--;
      if (!finished_ok)
        goto out;
    }
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (!pt_store_search_write (store, search, error))
    goto out;

  /* Cache rows without a log are differences too. */
  if (sqlite3_prepare_v2 (store->db, "SELECT id, number, rowid FROM cases", -1, &stmt, NULL) != SQLITE_OK)
    {
      pt_store_set_error (store, error, N_("Reading the cache"));
      goto out;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    if (!g_hash_table_contains (seen, sqlite3_column_text (stmt, 0)))
      {
        gint64 rowid = sqlite3_column_int64 (stmt, 2);
        g_array_append_val (orphans, rowid);
        g_ptr_array_add (diffs, dup_column (stmt, 1));
      }
  sqlite3_finalize (stmt);
  stmt = NULL;
  for (guint i = 0; i < orphans->len; i++)
    {
      gint64 rowid = g_array_index (orphans, gint64, i);

      if (!pt_store_search_forget (store, rowid, error)
          || !pt_store_run (store, error, N_("Dropping a cache row without a log"),
                            "DELETE FROM cases WHERE rowid = ?1", "i", rowid))
        goto out;
    }
  if (!pt_store_commit (store, error))
    goto out;
  ok = TRUE;

out:
  /* Let the workers finish whatever is queued before the pool goes away. */
  g_thread_pool_free (pool, FALSE, TRUE);
  pt_store_exec (store, "PRAGMA mmap_size = 0", NULL);
  while (in_flight > 0)
    {
      rebuild_job_free (g_async_queue_pop (done));
      in_flight--;
    }
  if (stmt != NULL)
    sqlite3_finalize (stmt);
  if (!ok)
    {
      pt_store_rollback (store);
      return FALSE;
    }
  if (differences != NULL)
    *differences = g_steal_pointer (&diffs);
  return TRUE;
}
