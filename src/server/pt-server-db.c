/* pt-server-db.c: PostgreSQL connections, schema migrations and the
 * reference data loaded at first start. */
#define G_LOG_DOMAIN "paotuan-server"

#include <glib/gi18n-lib.h>

#include "pt-error.h"
#include "pt-roster.h"
#include "pt-server.h"

/* Schema migrations, applied in order; the index + 1 is the version. Never
 * edit one that shipped: add another. */
static const char *const migrations[] = {
  /* 1: the whole first schema */
  "CREATE TABLE units ("
  "  code text PRIMARY KEY,"
  "  name text NOT NULL,"
  "  parent text,"
  "  level text NOT NULL,"
  "  path text NOT NULL);"
  "CREATE TABLE reference_files ("
  "  name text PRIMARY KEY,"
  "  content text NOT NULL);"
  "CREATE TABLE enrollments ("
  "  code_hash text PRIMARY KEY,"
  "  unit text NOT NULL REFERENCES units,"
  "  desk text NOT NULL,"
  "  created timestamptz NOT NULL DEFAULT now(),"
  "  expires timestamptz NOT NULL,"
  "  used_by text);"
  "CREATE TABLE devices ("
  "  id text PRIMARY KEY,"
  "  unit text NOT NULL REFERENCES units,"
  "  desk text NOT NULL,"
  "  token_hash text NOT NULL UNIQUE,"
  "  created timestamptz NOT NULL DEFAULT now(),"
  "  expires timestamptz NOT NULL,"
  "  revoked timestamptz,"
  "  high_water bigint NOT NULL DEFAULT 0,"
  "  last_seen timestamptz);"
  /* The one counter of server sequences. A push takes its row lock just
   * before it inserts and holds it to commit, so sequences commit in order
   * and the counter is the committed watermark readers stop at. */
  "CREATE TABLE counter ("
  "  id int PRIMARY KEY CHECK (id = 1),"
  "  seq bigint NOT NULL);"
  "INSERT INTO counter VALUES (1, 0);"
  "CREATE TABLE cases ("
  "  id text PRIMARY KEY,"
  "  unit text NOT NULL,"
  "  path text NOT NULL);"
  "CREATE TABLE events ("
  "  seq bigint PRIMARY KEY,"
  "  id text NOT NULL UNIQUE,"
  "  case_id text NOT NULL,"
  "  type text NOT NULL,"
  "  wall bigint NOT NULL,"
  "  body text NOT NULL,"
  "  digest text NOT NULL,"
  "  origin text NOT NULL REFERENCES devices,"
  "  device_seq bigint NOT NULL,"
  "  path text NOT NULL,"
  "  from_path text,"
  "  flagged boolean NOT NULL DEFAULT false,"
  "  received timestamptz NOT NULL DEFAULT now());"
  "CREATE INDEX events_case ON events (case_id, seq);"
  "CREATE TABLE quarantine ("
  "  origin text NOT NULL REFERENCES devices,"
  "  device_seq bigint NOT NULL,"
  "  event_id text NOT NULL,"
  "  case_id text,"
  "  reason text NOT NULL,"
  "  body text NOT NULL,"
  "  received timestamptz NOT NULL DEFAULT now(),"
  "  PRIMARY KEY (origin, device_seq));"
  "CREATE INDEX quarantine_event ON quarantine (event_id);",

  /* 2: the case's unit after each event, so that a desk's pull walks only
   * its units' events instead of the whole log. */
  "ALTER TABLE events ADD COLUMN unit text, ADD COLUMN from_unit text;"
  "UPDATE events SET unit = (regexp_match (path, '([^/]+)/$'))[1],"
  "  from_unit = (regexp_match (from_path, '([^/]+)/$'))[1];"
  "ALTER TABLE events ALTER COLUMN unit SET NOT NULL;"
  "CREATE INDEX events_unit_seq ON events (unit, seq);"
  "CREATE INDEX events_from_unit_seq ON events (from_unit, seq) WHERE from_unit IS NOT NULL;",

  /* 3: the district's roster of runners (pt-server-runners.c), sent to the
   * desks as runners.json with the reference files. A runner is retired
   * (on_duty false), never deleted. */
  "CREATE TABLE runners ("
  "  id text PRIMARY KEY,"
  "  name text NOT NULL,"
  "  unit text NOT NULL REFERENCES units,"
  "  staff_number text,"
  "  phone text NOT NULL,"
  "  on_duty boolean NOT NULL DEFAULT true,"
  "  created timestamptz NOT NULL DEFAULT now(),"
  "  changed timestamptz NOT NULL DEFAULT now());"
  "CREATE INDEX runners_unit ON runners (unit);",

  /* 4: what makes case numbers unique by construction and lets the server
   * check what a desk says. A desk's index within its unit is its own for
   * good (any number of desks: the case number grows a digit from the 11th);
   * a case's number is unique in the district; a token speaks for one
   * device name in the events it pushes. */
  "ALTER TABLE devices ADD COLUMN desk_index int;"
  "UPDATE devices d SET desk_index = n.i - 1 FROM"
  "  (SELECT id, row_number () OVER (PARTITION BY unit ORDER BY created, id) AS i FROM devices) n"
  "  WHERE d.id = n.id;"
  "ALTER TABLE devices ALTER COLUMN desk_index SET NOT NULL;"
  "CREATE UNIQUE INDEX devices_unit_index ON devices (unit, desk_index);"
  "ALTER TABLE devices ADD COLUMN event_device text;"
  "ALTER TABLE cases ADD COLUMN number text;"
  "UPDATE cases c SET number = e.body::json #>> '{payload,number}' FROM events e"
  "  WHERE e.case_id = c.id AND e.type = 'intake';"
  "CREATE UNIQUE INDEX cases_number ON cases (number);",
};

PGconn *
pt_db_connect (const char  *conninfo,
               GError     **error)
{
  PGconn *conn = PQconnectdb (conninfo);

  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_STORE,
                   _("Cannot connect to PostgreSQL (%s): %s"
                     "Check [server] database in the configuration."),
                   conninfo, PQerrorMessage (conn));
      PQfinish (conn);
      return NULL;
    }
  /* Warnings about e.g. "there is no transaction in progress" are noise. */
  PQclear (PQexec (conn, "SET client_min_messages = error"));
  return conn;
}

PGresult *
pt_db_query (PGconn             *conn,
             const char         *sql,
             int                 n_params,
             const char * const *params,
             GError            **error)
{
  PGresult *res = PQexecParams (conn, sql, n_params, NULL, params, NULL, NULL, 0);
  ExecStatusType st = PQresultStatus (res);

  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
    {
      const char *sqlstate = PQresultErrorField (res, PG_DIAG_SQLSTATE);
      g_set_error (error, PT_ERROR, PT_ERROR_STORE, _("Database error %s: %s"),
                   sqlstate ? sqlstate : "?", PQerrorMessage (conn));
      PQclear (res);
      return NULL;
    }
  return res;
}

gboolean
pt_db_exec (PGconn      *conn,
            const char  *sql,
            GError     **error)
{
  PGresult *res = PQexec (conn, sql);
  ExecStatusType st = PQresultStatus (res);

  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_STORE, _("Database error: %s"),
                   PQerrorMessage (conn));
      PQclear (res);
      return FALSE;
    }
  PQclear (res);
  return TRUE;
}

void
pt_db_rollback (PGconn *conn)
{
  PQclear (PQexec (conn, "ROLLBACK"));
}

gboolean
pt_db_migrate (PGconn  *conn,
               GError **error)
{
  g_autoptr(PGresult) res = NULL;
  gint64 version = 0;

  /* Several servers may start at once: one migrates, the others wait. */
  if (!pt_db_exec (conn, "BEGIN; SELECT pg_advisory_xact_lock(1885434996);"
                   "CREATE TABLE IF NOT EXISTS meta (key text PRIMARY KEY, value text NOT NULL);",
                   error))
    goto fail;
  res = pt_db_query (conn, "SELECT value FROM meta WHERE key = 'schema_version'", 0, NULL, error);
  if (res == NULL)
    goto fail;
  if (PQntuples (res) == 1)
    version = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  if (version > (gint64) G_N_ELEMENTS (migrations))
    {
      g_autofree char *have = g_strdup_printf ("%" G_GINT64_FORMAT, version);

      g_set_error (error, PT_ERROR, PT_ERROR_STORE,
                   _("The database has schema version %s, newer than this server knows (%u): "
                     "upgrade paotuan-server."),
                   have, (guint) G_N_ELEMENTS (migrations));
      goto fail;
    }
  for (gint64 v = version; v < (gint64) G_N_ELEMENTS (migrations); v++)
    {
      g_autofree char *vs = g_strdup_printf ("%" G_GINT64_FORMAT, v + 1);
      const char *params[] = { vs };
      g_autoptr(PGresult) r = NULL;

      if (!pt_db_exec (conn, migrations[v], error))
        goto fail;
      r = pt_db_query (conn,
                       "INSERT INTO meta VALUES ('schema_version', $1) "
                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                       1, params, error);
      if (r == NULL)
        goto fail;
      pt_server_log ("info", "migrated", "schema_version", vs, NULL);
    }
  return pt_db_exec (conn, "COMMIT", error);

fail:
  pt_db_rollback (conn);
  return FALSE;
}

static char *
unit_path (PtDistrict   *district,
           const PtUnit *unit)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();
  g_autoptr(GString) path = g_string_new (NULL);

  for (const PtUnit *u = unit; u != NULL && chain->len < 16;
       u = u->parent ? pt_district_lookup (district, u->parent) : NULL)
    g_ptr_array_add (chain, u->code);
  for (guint i = chain->len; i > 0; i--)
    g_string_append_printf (path, "%s/", (const char *) chain->pdata[i - 1]);
  return g_string_free (g_steal_pointer (&path), FALSE);
}

static void
collect_files (const char *root,
               const char *relative,
               GPtrArray  *names)
{
  g_autofree char *dir_path = g_build_filename (root, relative, NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *rel = *relative ? g_build_filename (relative, name, NULL) : g_strdup (name);
      g_autofree char *full = g_build_filename (root, rel, NULL);

      if (g_file_test (full, G_FILE_TEST_IS_REGULAR)
          && (g_str_has_suffix (name, ".json") || g_str_has_suffix (name, ".ini")
              || g_str_has_suffix (name, ".tmpl")))
        g_ptr_array_add (names, g_steal_pointer (&rel));
    }
}

gboolean
pt_db_load_reference (PGconn      *conn,
                      PtDistrict  *district,
                      const char  *data_dir,
                      GError     **error)
{
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *top[] = { "district.json", "catalog.json" };
  g_autofree char *roster_path = g_build_filename (data_dir, "runners.json", NULL);

  if (!pt_db_exec (conn, "BEGIN; SELECT pg_advisory_xact_lock(1885434996)", error))
    return FALSE;
  res = pt_db_query (conn, "SELECT count(*) FROM units", 0, NULL, error);
  if (res == NULL)
    goto fail;
  if (g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10) > 0)
    return pt_db_exec (conn, "COMMIT", error);

  for (guint i = 0; i < pt_district_get_n_units (district); i++)
    {
      const PtUnit *u = pt_district_get_unit (district, i);
      g_autofree char *path = unit_path (district, u);
      const char *params[] = { u->code, u->name, u->parent,
                               pt_level_to_string (u->level), path };
      g_autoptr(PGresult) r = pt_db_query (conn,
        "INSERT INTO units (code, name, parent, level, path) VALUES ($1, $2, $3, $4, $5)",
        5, params, error);
      if (r == NULL)
        goto fail;
    }

  /* The reference files travel whole, as the desks read them. */
  for (guint i = 0; i < G_N_ELEMENTS (top); i++)
    g_ptr_array_add (names, g_strdup (top[i]));
  collect_files (data_dir, "calendar", names);
  collect_files (data_dir, "templates", names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *full = g_build_filename (data_dir, names->pdata[i], NULL);
      g_autofree char *content = NULL;
      const char *params[2];
      g_autoptr(PGresult) r = NULL;

      if (!g_file_get_contents (full, &content, NULL, NULL)
          || !g_utf8_validate (content, -1, NULL))
        continue;
      params[0] = names->pdata[i];
      params[1] = content;
      r = pt_db_query (conn, "INSERT INTO reference_files VALUES ($1, $2)", 2, params, error);
      if (r == NULL)
        goto fail;
    }
  /* A district that starts with its roster puts it beside district.json;
   * later, `paotuan-server runners` keeps it. */
  if (g_file_test (roster_path, G_FILE_TEST_IS_REGULAR))
    {
      g_autoptr(GPtrArray) runners = pt_roster_load_file (roster_path, district, error);

      if (runners == NULL || !pt_db_import_runners (conn, runners, NULL, error))
        goto fail;
    }
  pt_server_log ("info", "reference_loaded", "data_dir", data_dir, NULL);
  return pt_db_exec (conn, "COMMIT", error);

fail:
  pt_db_rollback (conn);
  return FALSE;
}
