/* ptctl-common.c: option parsing, opening the database, error reporting. */
#define G_LOG_DOMAIN "paotuanctl"

#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "pt-calendar.h"
#include "pt-error.h"
#include "ptctl.h"

char *
ptctl_default_db (void)
{
  return g_build_filename (g_get_user_data_dir (), "paotuan", "paotuan.db", NULL);
}

gboolean
ptctl_parse (PtctlContext   *ctx,
             const char     *usage,
             const char     *summary,
             GOptionEntry   *entries,
             int            *argc,
             char         ***argv,
             int            *exit_code)
{
  g_autoptr(GOptionContext) context = g_option_context_new (usage);
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  GOptionEntry common[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database (default: ~/.local/share/paotuan/paotuan.db)"), "FILE" },
    { NULL }
  };

  /* Descriptions and summaries are N_() msgids, translated here. */
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, common, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *exit_code = ptctl_usage_error (error->message);
      return FALSE;
    }
  if (db != NULL)
    {
      g_free (ctx->db_path);
      ctx->db_path = g_steal_pointer (&db);
    }
  return TRUE;
}

PtReference *
ptctl_reference (PtctlContext  *ctx,
                 GError       **error)
{
  if (ctx->reference == NULL)
    ctx->reference = pt_reference_load_default (error);
  return ctx->reference;
}

PtStore *
ptctl_store (PtctlContext  *ctx,
             gboolean       create,
             GError       **error)
{
  if (ctx->store != NULL)
    return ctx->store;
  if (ctx->db_path == NULL)
    ctx->db_path = ptctl_default_db ();
  if (!create && !g_file_test (ctx->db_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_NOT_FOUND,
                   _("There is no database at %s: run `paotuanctl init` first, or give --db FILE."), ctx->db_path);
      return NULL;
    }
  if (ptctl_reference (ctx, error) == NULL)
    return NULL;
  ctx->store = pt_store_open (ctx->db_path, ctx->reference, error);
  return ctx->store;
}

int
ptctl_fail (GError *error)
{
  /* TRANSLATORS: how paotuanctl says what went wrong. */
  g_printerr (_("paotuanctl: %s\n"), error->message);
  if (error->domain == G_OPTION_ERROR)
    return PTCTL_EXIT_USAGE;
  return PTCTL_EXIT_NO;
}

int
ptctl_usage_error (const char *message)
{
  g_printerr (_("paotuanctl: %s\n"), message);
  g_printerr ("%s\n", _("Try `paotuanctl --help`."));
  return PTCTL_EXIT_USAGE;
}

void
ptctl_warn_provisional (PtCalendar *calendar,
                        const char *from,
                        const char *to)
{
  int year = calendar != NULL && from != NULL && to != NULL ? pt_calendar_missing_year (calendar, from, to) : 0;
  g_autofree char *note = NULL;

  if (year == 0)
    return;
  note = pt_calendar_provisional_note (calendar, year);
  /* TRANSLATORS: a warning of paotuanctl; the command still succeeds. */
  g_printerr (_("paotuanctl: warning: %s\n"), note);
}

char *
ptctl_read_input (const char  *path,
                  GError     **error)
{
  char *contents = NULL;

  if (g_strcmp0 (path, "-") == 0)
    {
      GString *text = g_string_new (NULL);
      char buffer[4096];
      size_t n;

      while ((n = fread (buffer, 1, sizeof buffer, stdin)) > 0)
        g_string_append_len (text, buffer, (gssize) n);
      return g_string_free (text, FALSE);
    }
  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  return contents;
}
