/* pt-server-main.c: paotuan-server's command line. */
#define G_LOG_DOMAIN "paotuan-server"

#include <locale.h>
#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "pt-error.h"
#include "pt-server.h"

/* What --help and a usage error print. */
static const char *
usage (void)
{
  return _("Usage: paotuan-server --config FILE [COMMAND]\n"
           "\n"
           "Commands:\n"
           "  serve                          run the HTTPS server (the default)\n"
           "  units                          list the unit codes of the district\n"
           "  enroll --unit CODE --desk NAME print a one-time enrollment code for a desk\n"
           "  devices                        list the enrolled desks\n"
           "  revoke --device ID             revoke a desk's token\n"
           "  runners [list] [--unit CODE]   the district's runners per unit, with the seed's minimums\n"
           "  runners add --unit CODE --name NAME --phone PHONE [--staff-number N] [--id R-NNNN]\n"
           "                                 add a runner to the roster; prints the runner's id\n"
           "  runners retire ID              take a runner off duty (cases keep the name)\n"
           "  runners import FILE            add or update the runners of a roster file\n"
           "                                 (runners.json; the demo's: demo/runners.json)\n"
           "\n"
           "The configuration is described in docs/server.md.\n");
}

static char *
find_data_dir (const PtServerConfig *config)
{
  const char *env = g_getenv ("PAOTUAN_DATA_DIR");
  g_autofree char *installed = g_build_filename (PT_INSTALLED_DATA_DIR, "district.json", NULL);

  if (config->data_dir != NULL)
    return g_strdup (config->data_dir);
  if (env != NULL && *env)
    return g_strdup (env);
  if (g_file_test (installed, G_FILE_TEST_EXISTS))
    return g_strdup (PT_INSTALLED_DATA_DIR);
  return g_strdup (PT_SOURCE_DATA_DIR);
}

static int
fail (GError *error)
{
  g_printerr ("paotuan-server: %s\n", error->message);
  return 1;
}

static PGconn *
connect_migrated (PtServerConfig *config,
                  PtDistrict     *district,
                  GError        **error)
{
  PGconn *conn = pt_db_connect (config->database, error);

  if (conn == NULL)
    return NULL;
  if (!pt_db_migrate (conn, error)
      || !pt_db_load_reference (conn, district, config->data_dir, error))
    {
      PQfinish (conn);
      return NULL;
    }
  return conn;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *config_path = NULL;
  g_autofree char *unit = NULL;
  g_autofree char *desk = NULL;
  g_autofree char *device = NULL;
  g_autofree char *name = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *staff_number = NULL;
  g_autofree char *runner_id = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PtServerConfig) config = NULL;
  g_autoptr(PtDistrict) district = NULL;
  g_autofree char *district_file = NULL;
  const char *command;
  const char *locale_dir = g_getenv ("PT_LOCALEDIR");
  PGconn *conn;
  int status = 0;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path, N_("The configuration file"), N_("FILE") },
    { "unit", 0, 0, G_OPTION_ARG_STRING, &unit, N_("enroll, runners: the unit code"), N_("CODE") },
    { "desk", 0, 0, G_OPTION_ARG_STRING, &desk, N_("enroll: a name for the desk"), N_("NAME") },
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, N_("revoke: the device id or desk name"), N_("ID") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("runners add: the runner's name"), N_("NAME") },
    { "phone", 0, 0, G_OPTION_ARG_STRING, &phone, N_("runners add: the runner's phone"), N_("PHONE") },
    { "staff-number", 0, 0, G_OPTION_ARG_STRING, &staff_number, N_("runners add: the staff number (工号)"), N_("STAFF-NUMBER") },
    { "id", 0, 0, G_OPTION_ARG_STRING, &runner_id, N_("runners add: the runner's id (default: the next free one)"), N_("R-NNNN") },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, locale_dir != NULL && *locale_dir != '\0' ? locale_dir : PT_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  context = g_option_context_new (_("[serve|units|enroll|devices|revoke|runners …]"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_help_enabled (context, TRUE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context, usage ());
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("paotuan-server: %s\n\n%s", error->message, usage ());
      return 2;
    }
  command = argc >= 2 ? argv[1] : "serve";
  if (config_path == NULL || (argc > 2 && !g_str_equal (command, "runners")))
    {
      g_printerr ("%s", usage ());
      return 2;
    }

  config = pt_server_config_load (config_path, &error);
  if (config == NULL)
    return fail (error);
  if (config->data_dir == NULL)
    config->data_dir = find_data_dir (config);
  district = pt_district_new ();
  district_file = g_build_filename (config->data_dir, "district.json", NULL);
  if (!pt_district_load_file (district, district_file, &error))
    return fail (error);

  if (g_str_equal (command, "serve"))
    return pt_server_serve (config, district);

  if (!g_str_equal (command, "units") && !g_str_equal (command, "enroll")
      && !g_str_equal (command, "devices") && !g_str_equal (command, "revoke")
      && !g_str_equal (command, "runners"))
    {
      g_printerr (_("paotuan-server: unknown command %s\n\n%s"), command, usage ());
      return 2;
    }
  conn = connect_migrated (config, district, &error);
  if (conn == NULL)
    return fail (error);

  if (g_str_equal (command, "units"))
    {
      g_autoptr(PGresult) res = pt_db_query (conn,
        "SELECT code, level, name FROM units ORDER BY path", 0, NULL, &error);
      if (res == NULL)
        status = fail (error);
      else
        for (int r = 0; r < PQntuples (res); r++)
          g_print ("%s\t%s\t%s\n", PQgetvalue (res, r, 0), PQgetvalue (res, r, 1),
                   PQgetvalue (res, r, 2));
    }
  else if (g_str_equal (command, "runners"))
    {
      PtServerRunnerOptions options = { unit, name, phone, staff_number, runner_id };

      status = pt_server_runners (conn, district, argc - 2, argv + 2, &options);
    }
  else if (g_str_equal (command, "enroll"))
    {
      g_autofree char *code = NULL;

      if (unit == NULL || desk == NULL)
        {
          g_printerr (_("paotuan-server: enroll needs --unit CODE and --desk NAME\n"));
          status = 2;
        }
      else if ((code = pt_server_enroll_code (conn, unit, desk, config->enroll_code_hours,
                                              &error)) == NULL)
        status = fail (error);
      else
        {
          g_print ("%s\n", code);
          pt_server_log ("info", "enroll_code", "unit", unit, "desk", desk, NULL);
        }
    }
  else if (g_str_equal (command, "devices"))
    {
      g_autoptr(PGresult) res = pt_db_query (conn,
        "SELECT id, unit, desk, CASE WHEN revoked IS NOT NULL THEN 'revoked' "
        "WHEN expires < now() THEN 'expired' ELSE 'active' END, high_water, "
        "coalesce(to_char(last_seen, 'YYYY-MM-DD HH24:MI'), '-') FROM devices ORDER BY created",
        0, NULL, &error);
      if (res == NULL)
        status = fail (error);
      else
        for (int r = 0; r < PQntuples (res); r++)
          g_print ("%s\t%s\t%s\t%s\t%s\t%s\n", PQgetvalue (res, r, 0), PQgetvalue (res, r, 1),
                   PQgetvalue (res, r, 2), PQgetvalue (res, r, 3), PQgetvalue (res, r, 4),
                   PQgetvalue (res, r, 5));
    }
  else
    {
      if (device == NULL)
        {
          g_printerr (_("paotuan-server: revoke needs --device ID\n"));
          status = 2;
        }
      else if (!pt_server_revoke (conn, device, &error))
        status = fail (error);
      else
        pt_server_log ("info", "revoked", "device", device, NULL);
    }
  PQfinish (conn);
  return status;
}
