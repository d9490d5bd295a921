/* paotuanctl: the command line over the Paotuan core. */
#define G_LOG_DOMAIN "paotuanctl"

#include <locale.h>
#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "ptctl.h"

static const struct {
  const char       *name;
  PtctlCommandFunc  func;
  const char       *summary;
} commands[] = {
  { "init",     ptctl_init,     N_("init [--demo]                     create a database (--demo: a realistic district)") },
  { "validate", ptctl_validate, N_("validate id|uscc|phone VALUE      check an identifier") },
  { "workdays", ptctl_workdays, N_("workdays add DATE N | between D1 D2   working-day arithmetic") },
  { "catalog",  ptctl_catalog,  N_("catalog list [--level L] [--json] | check CODE --level L") },
  { "case",     ptctl_case,     N_("case new|event|list|show ...      intake, events, the case list") },
  { "units",    ptctl_units,    N_("units [--json]                    the district's units") },
  { "runners",  ptctl_runners,  N_("runners [--unit CODE] [--json]    runners per unit, with the seed's minimums") },
  { "rebuild",  ptctl_rebuild,  N_("rebuild                           fold every case again from its log") },
  { "backup",   ptctl_backup,   N_("backup FILE                       copy the database into FILE (a USB stick)") },
  { "restore",  ptctl_restore,  N_("restore FILE                      put a backup in place of the database") },
  { "check",    ptctl_check,    N_("check [FILE]                      check the database (or a backup) whole") },
  { "doc",      ptctl_doc,      N_("doc agreement|receipt|termination|notice NUMBER -o FILE.pdf") },
  { "enroll",   ptctl_enroll,   N_("enroll URL CODE [--ca FILE]       enroll this desk with the district server") },
  { "sync",     ptctl_sync,     N_("sync                              push and pull events with the district server") },
};

static void
print_usage (FILE *out)
{
  fprintf (out, "%s", _("Usage: paotuanctl COMMAND [ARGS...] [--db FILE]\n\nCommands:\n"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %s\n", _(commands[i].summary));
  fprintf (out, "\n%s\n", _("`paotuanctl COMMAND --help` tells more. Exit status: 0 done, 1 no or invalid, 2 usage error."));
}

int
main (int    argc,
      char **argv)
{
  PtctlContext ctx = { 0 };
  const char *localedir = g_getenv ("PT_LOCALEDIR");
  int status;

  /* The clerk's language, from the build's catalogs in tests and
   * uninstalled runs (PT_LOCALEDIR), else the installed ones. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : PT_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      print_usage (stderr);
      return PTCTL_EXIT_USAGE;
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") || g_str_equal (argv[1], "help"))
    {
      print_usage (stdout);
      return PTCTL_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (argv[1], commands[i].name))
        {
          status = commands[i].func (&ctx, argc - 1, argv + 1);
          g_clear_pointer (&ctx.store, pt_store_close);
          g_clear_pointer (&ctx.reference, pt_reference_free);
          g_free (ctx.db_path);
          return status;
        }
    }
  g_printerr (_("paotuanctl: there is no command “%s”.\n"), argv[1]);
  print_usage (stderr);
  return PTCTL_EXIT_USAGE;
}
