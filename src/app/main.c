/* main.c: starts the desk application. */
#include <glib/gi18n.h>
#include <locale.h>

#include "pt-app-util.h"
#include "pt-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PtApplication) application = NULL;

  pt_app_choose_renderer ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("PT_LOCALEDIR") ? g_getenv ("PT_LOCALEDIR") : PT_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  application = pt_application_new ();
  return g_application_run (G_APPLICATION (application), argc, argv);
}
