/* ptctl-validate.c: paotuanctl validate id|uscc|phone VALUE */
#define G_LOG_DOMAIN "paotuanctl"

#include <glib/gi18n-lib.h>

#include "pt-validate.h"
#include "ptctl.h"

int
ptctl_validate (PtctlContext  *ctx,
                int            argc,
                char         **argv)
{
  g_autoptr(GError) error = NULL;
  int status = PTCTL_EXIT_OK;
  gboolean valid;

  if (!ptctl_parse (ctx, "id|uscc|phone VALUE",
                    N_("Checks a resident ID number, a unified social credit code or a phone number.\n"
                       "Prints “valid”, or the reason it is not (exit status 1)."), NULL, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return ptctl_usage_error (_("validate needs a kind (id, uscc or phone) and a value."));

  if (g_str_equal (argv[1], "id"))
    valid = pt_validate_id_number (argv[2], NULL, &error);
  else if (g_str_equal (argv[1], "uscc"))
    valid = pt_validate_uscc (argv[2], &error);
  else if (g_str_equal (argv[1], "phone"))
    valid = pt_validate_phone (argv[2], &error);
  else
    return ptctl_usage_error (_("validate knows the kinds id, uscc and phone."));

  if (!valid)
    {
      g_print ("%s\n", error->message);
      return PTCTL_EXIT_NO;
    }
  /* TRANSLATORS: paotuanctl validate's answer for a valid identifier. */
  g_print ("%s\n", _("valid"));
  return PTCTL_EXIT_OK;
}
