/* ptctl-doc.c: paotuanctl doc — owned by the documents work. */
#define G_LOG_DOMAIN "paotuanctl"

#include "ptctl.h"

int
ptctl_doc (PtctlContext *ctx,
           int           argc,
           char        **argv)
{
  return ptctl_usage_error ("paotuanctl doc is not built yet");
}
