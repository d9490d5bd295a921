/* pt-doc-fixture.h: cases built by hand for the document tests and the
 * benchmark, without a database. */
#pragma once

#include "pt-case-state.h"
#include "pt-district.h"

G_BEGIN_DECLS

/* A delivered enterprise case with steps, fees, certificates and
 * @n_materials materials (two of them missing when @n_materials > 3). */
PtCaseState *pt_doc_fixture_enterprise (guint n_materials);
/* A terminated case of an elderly villager, with materials handed back. */
PtCaseState *pt_doc_fixture_person     (void);
PtRunner    *pt_doc_fixture_runner     (void);

G_END_DECLS
