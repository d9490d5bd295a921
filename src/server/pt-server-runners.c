/* pt-server-runners.c: the district's roster of runners on the server.
 *
 * The roster is reference data: it lives in the runners table, goes to the
 * desks as "runners.json" with the other reference files (its content is
 * part of the reference version, so a change reaches every desk at its next
 * sync), and is kept with `paotuan-server runners list|add|retire|import`,
 * which check the seed's minimum of runners per unit (pt_unit_min_runners).
 * A runner is never deleted: a retired one stays, off duty, so that the
 * cases it handled keep its name everywhere.
 */
#define G_LOG_DOMAIN "paotuan-server"

#include <glib/gi18n-lib.h>

#include "pt-error.h"
#include "pt-roster.h"
#include "pt-server.h"

#define RUNNER_COLUMNS "id, name, unit, staff_number, phone, on_duty"

static PtRunner *
runner_from_row (PGresult *res,
                 int       row)
{
  PtRunner *runner = g_new0 (PtRunner, 1);

  runner->id = g_strdup (PQgetvalue (res, row, 0));
  runner->name = g_strdup (PQgetvalue (res, row, 1));
  runner->unit = g_strdup (PQgetvalue (res, row, 2));
  runner->staff_number = PQgetisnull (res, row, 3) ? NULL : g_strdup (PQgetvalue (res, row, 3));
  runner->phone = g_strdup (PQgetvalue (res, row, 4));
  runner->active = g_str_equal (PQgetvalue (res, row, 5), "t");
  return runner;
}

GPtrArray *
pt_db_list_runners (PGconn  *conn,
                    GError **error)
{
  g_autoptr(PGresult) res = pt_db_query (conn, "SELECT " RUNNER_COLUMNS " FROM runners ORDER BY id",
                                         0, NULL, error);
  GPtrArray *runners;

  if (res == NULL)
    return NULL;
  runners = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_runner_free);
  for (int r = 0; r < PQntuples (res); r++)
    g_ptr_array_add (runners, runner_from_row (res, r));
  return runners;
}

/* Inserts or updates @runner; @inserted (nullable) tells which. */
static gboolean
save_runner (PGconn          *conn,
             const PtRunner  *runner,
             gboolean        *inserted,
             GError         **error)
{
  const char *params[] = { runner->id, runner->name, runner->unit, runner->staff_number,
                           runner->phone, runner->active ? "t" : "f" };
  g_autoptr(PGresult) res = pt_db_query (conn,
    "INSERT INTO runners (" RUNNER_COLUMNS ") VALUES ($1, $2, $3, $4, $5, $6) "
    "ON CONFLICT (id) DO UPDATE SET name = excluded.name, unit = excluded.unit,"
    " staff_number = excluded.staff_number, phone = excluded.phone, on_duty = excluded.on_duty,"
    " changed = now() "
    "RETURNING (xmax = 0)", 6, params, error);

  if (res == NULL)
    return FALSE;
  if (inserted != NULL)
    *inserted = g_str_equal (PQgetvalue (res, 0, 0), "t");
  return TRUE;
}

gboolean
pt_db_import_runners (PGconn     *conn,
                      GPtrArray  *runners,
                      guint      *n_new,
                      GError    **error)
{
  guint added = 0;

  for (guint i = 0; i < runners->len; i++)
    {
      gboolean inserted = FALSE;

      if (!save_runner (conn, g_ptr_array_index (runners, i), &inserted, error))
        return FALSE;
      added += inserted;
    }
  if (n_new != NULL)
    *n_new = added;
  return TRUE;
}

char *
pt_db_roster_json (PGconn  *conn,
                   GError **error)
{
  g_autoptr(GPtrArray) runners = pt_db_list_runners (conn, error);

  if (runners == NULL)
    return NULL;
  /* A server without a roster sends none: desks keep the runners they have. */
  if (runners->len == 0)
    return g_strdup ("");
  return pt_roster_to_json (runners);
}

/* ---- paotuan-server runners ------------------------------------------- */

static int
fail (GError *error)
{
  g_printerr ("paotuan-server: %s\n", error->message);
  return 1;
}

static int
usage_error (const char *message)
{
  g_printerr ("paotuan-server: %s\n", message);
  return 2;
}

static const char *
unit_label (PtDistrict *district,
            const char *code)
{
  const PtUnit *unit = pt_district_lookup (district, code);

  return unit != NULL ? unit->short_name : code;
}

/* Says on standard error when @unit has fewer on-duty runners than the
 * seed's minimum. TRUE when it has enough. */
static gboolean
check_minimum (PtDistrict *district,
               GPtrArray  *runners,
               const char *code)
{
  const PtUnit *unit = pt_district_lookup (district, code);
  guint have, need;

  if (unit == NULL)
    return TRUE;
  have = pt_roster_count_on_duty (runners, code);
  need = pt_unit_min_runners (unit);
  if (have >= need)
    return TRUE;
  g_printerr (_("%s (%s) has %u on-duty runners, fewer than the %u the seed requires: "
                "add %u more with `paotuan-server runners add --unit %s`.\n"),
              unit->short_name, unit->code, have, need, need - have, unit->code);
  return FALSE;
}

static int
runners_list (PGconn     *conn,
              PtDistrict *district,
              const char *only_unit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runners = pt_db_list_runners (conn, &error);
  guint short_units = 0;

  if (runners == NULL)
    return fail (error);
  if (only_unit != NULL && pt_district_lookup (district, only_unit) == NULL)
    {
      g_printerr (_("paotuan-server: there is no unit %s; `paotuan-server units` lists the codes.\n"),
                  only_unit);
      return 1;
    }

  for (guint i = 0; i < pt_district_get_n_units (district); i++)
    {
      const PtUnit *unit = pt_district_get_unit (district, i);
      guint have = pt_roster_count_on_duty (runners, unit->code);
      guint need = pt_unit_min_runners (unit);

      if (only_unit != NULL && !g_str_equal (only_unit, unit->code))
        continue;
      if (need > 0)
        g_print (_("%s %s: %u on duty, at least %u required\n"), unit->code, unit->name, have, need);
      else
        g_print (_("%s %s: %u on duty\n"), unit->code, unit->name, have);
      for (guint j = 0; j < runners->len; j++)
        {
          const PtRunner *r = g_ptr_array_index (runners, j);

          if (!g_str_equal (r->unit, unit->code))
            continue;
          g_print ("  %s\t%s\t%s\t%s%s\n", r->id, r->name,
                   r->staff_number != NULL ? r->staff_number : "-", r->phone,
                   r->active ? "" : _("\tretired"));
        }
      if (have < need)
        {
          g_print (_("  below the seed's minimum: add %u more on-duty runners\n"), need - have);
          short_units++;
        }
    }
  if (short_units > 0)
    g_print (_("Units below the seed's minimum of runners: %u\n"), short_units);
  else if (only_unit == NULL)
    g_print (_("Every unit has the seed's minimum of runners.\n"));
  return 0;
}

static int
runners_add (PGconn                     *conn,
             PtDistrict                 *district,
             const PtServerRunnerOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runners = NULL;
  g_autoptr(PtRunner) runner = NULL;
  g_autofree char *id = NULL;
  gboolean inserted = FALSE;

  if (options->unit == NULL || options->name == NULL || options->phone == NULL)
    return usage_error (_("runners add needs --unit CODE, --name NAME and --phone PHONE "
                          "(and optionally --staff-number and --id)."));

  /* One add at a time picks the next id. */
  if (!pt_db_exec (conn, "BEGIN; LOCK TABLE runners IN EXCLUSIVE MODE", &error)
      || (runners = pt_db_list_runners (conn, &error)) == NULL)
    goto fail;
  id = options->id != NULL ? g_strdup (options->id) : pt_roster_next_id (runners);
  for (guint i = 0; i < runners->len; i++)
    if (g_str_equal (((PtRunner *) runners->pdata[i])->id, id))
      {
        g_set_error (&error, PT_ERROR, PT_ERROR_INVALID,
                     _("There is a runner %s already: leave out --id to get a new id."), id);
        goto fail;
      }
  runner = pt_runner_new_checked (id, options->name, options->unit, options->staff_number,
                                  options->phone, TRUE, district, &error);
  if (runner == NULL || !save_runner (conn, runner, &inserted, &error)
      || !pt_db_exec (conn, "COMMIT", &error))
    goto fail;

  pt_server_log ("info", "runner_added", "runner", runner->id, "unit", runner->unit, NULL);
  g_print ("%s\n", runner->id);
  g_ptr_array_add (runners, g_steal_pointer (&runner));
  check_minimum (district, runners, options->unit);
  return 0;

fail:
  pt_db_rollback (conn);
  return fail (error);
}

static int
runners_retire (PGconn     *conn,
                PtDistrict *district,
                const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runners = NULL;
  PtRunner *runner = NULL;

  if (!pt_db_exec (conn, "BEGIN; LOCK TABLE runners IN EXCLUSIVE MODE", &error)
      || (runners = pt_db_list_runners (conn, &error)) == NULL)
    goto fail;
  for (guint i = 0; i < runners->len && runner == NULL; i++)
    if (g_str_equal (((PtRunner *) runners->pdata[i])->id, id))
      runner = runners->pdata[i];
  if (runner == NULL)
    {
      g_set_error (&error, PT_ERROR, PT_ERROR_NOT_FOUND,
                   _("There is no runner %s: `paotuan-server runners list` lists the runners."), id);
      goto fail;
    }
  if (!runner->active)
    {
      pt_db_rollback (conn);
      g_print (_("%s %s is retired already.\n"), runner->id, runner->name);
      return 0;
    }
  runner->active = FALSE;
  if (!save_runner (conn, runner, NULL, &error) || !pt_db_exec (conn, "COMMIT", &error))
    goto fail;

  pt_server_log ("info", "runner_retired", "runner", runner->id, "unit", runner->unit, NULL);
  g_print (_("%s %s of %s is retired: off duty; the cases they handled keep the name.\n"),
           runner->id, runner->name, unit_label (district, runner->unit));
  check_minimum (district, runners, runner->unit);
  return 0;

fail:
  pt_db_rollback (conn);
  return fail (error);
}

static int
runners_import (PGconn     *conn,
                PtDistrict *district,
                const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runners = pt_roster_load_file (path, district, &error);
  g_autoptr(GPtrArray) all = NULL;
  guint n_new = 0;

  if (runners == NULL)
    return fail (error);
  if (!pt_db_exec (conn, "BEGIN; LOCK TABLE runners IN EXCLUSIVE MODE", &error)
      || !pt_db_import_runners (conn, runners, &n_new, &error)
      || (all = pt_db_list_runners (conn, &error)) == NULL
      || !pt_db_exec (conn, "COMMIT", &error))
    {
      pt_db_rollback (conn);
      return fail (error);
    }
  {
    g_autofree char *count = g_strdup_printf ("%u", runners->len);
    pt_server_log ("info", "runners_imported", "file", path, "runners", count, NULL);
  }
  g_print (_("Imported %u runners from %s: %u new, %u already known.\n"),
           runners->len, path, n_new, runners->len - n_new);
  for (guint i = 0; i < pt_district_get_n_units (district); i++)
    check_minimum (district, all, pt_district_get_unit (district, i)->code);
  return 0;
}

int
pt_server_runners (PGconn                      *conn,
                   PtDistrict                  *district,
                   int                          argc,
                   char                       **argv,
                   const PtServerRunnerOptions *options)
{
  const char *what = argc > 0 ? argv[0] : "list";

  if (g_str_equal (what, "list") && argc <= 1)
    return runners_list (conn, district, options->unit);
  if (g_str_equal (what, "add") && argc == 1)
    return runners_add (conn, district, options);
  if (g_str_equal (what, "retire") && argc == 2)
    return runners_retire (conn, district, argv[1]);
  if (g_str_equal (what, "import") && argc == 2)
    return runners_import (conn, district, argv[1]);
  return usage_error (_("use runners list [--unit CODE], runners add --unit CODE --name NAME "
                        "--phone PHONE, runners retire ID or runners import FILE."));
}
