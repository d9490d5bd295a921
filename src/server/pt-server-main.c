/* pt-server-main.c: paotuan-server's command line. */
#define G_LOG_DOMAIN "paotuan-server"

#include <locale.h>
#include <stdio.h>

#include "pt-error.h"
#include "pt-server.h"

static const char usage[] =
  "Usage: paotuan-server --config FILE [COMMAND]\n"
  "\n"
  "Commands:\n"
  "  serve                          run the HTTPS server (the default)\n"
  "  units                          list the unit codes of the district\n"
  "  enroll --unit CODE --desk NAME print a one-time enrollment code for a desk\n"
  "  devices                        list the enrolled desks\n"
  "  revoke --device ID             revoke a desk's token\n"
  "\n"
  "The configuration is described in docs/server.md.\n";

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
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PtServerConfig) config = NULL;
  g_autoptr(PtDistrict) district = NULL;
  g_autofree char *district_file = NULL;
  const char *command;
  PGconn *conn;
  int status = 0;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path, "The configuration file", "FILE" },
    { "unit", 0, 0, G_OPTION_ARG_STRING, &unit, "enroll: the desk's unit code", "CODE" },
    { "desk", 0, 0, G_OPTION_ARG_STRING, &desk, "enroll: a name for the desk", "NAME" },
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, "revoke: the device id or desk name", "ID" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new ("[serve|units|enroll|devices|revoke]");
  g_option_context_set_help_enabled (context, TRUE);
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context, usage);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("paotuan-server: %s\n\n%s", error->message, usage);
      return 2;
    }
  if (config_path == NULL || argc > 2)
    {
      g_printerr ("%s", usage);
      return 2;
    }
  command = argc == 2 ? argv[1] : "serve";

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
      && !g_str_equal (command, "devices") && !g_str_equal (command, "revoke"))
    {
      g_printerr ("paotuan-server: unknown command %s\n\n%s", command, usage);
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
  else if (g_str_equal (command, "enroll"))
    {
      g_autofree char *code = NULL;

      if (unit == NULL || desk == NULL)
        {
          g_printerr ("paotuan-server: enroll needs --unit CODE and --desk NAME\n");
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
          g_printerr ("paotuan-server: revoke needs --device ID\n");
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
