/* fuzz-template.c: a document template (the files of data/templates), which a
 * center may edit and the server sends to its desks. */
#include "pt-fuzz.h"

#include "pt-document-template.h"

static const char * const blocks[] = {
  "numbers", "applicant", "applicant-brief", "center", "items", "materials", "agreement",
  "signatures", "contact", NULL
};
static const char * const variables[] = {
  "center_name", "center_address", "center_hotline", "applicant", "number", "date", "runner", NULL
};

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  PtTemplate *tmpl = pt_template_parse ("fuzz.tmpl", (const char *) data, (gssize) size,
                                        "agreement", blocks, variables, NULL);

  if (tmpl != NULL)
    pt_template_free (tmpl);
  return 0;
}
