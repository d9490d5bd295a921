/* test-support.h: what the core tests share. */
#pragma once

#include "pt-event.h"
#include "pt-reference.h"
#include "pt-store.h"

G_BEGIN_DECLS

PtReference *test_reference      (void);
/* A fresh store in a temporary folder, with the district imported, this
 * desk at @unit and the runner R-0001 (王芳) of @unit on its roster. */
PtStore     *test_store_new      (const char  *unit,
                                  char       **dir_out);
void         test_remove_dir     (const char  *dir);
JsonObject  *test_json           (const char  *text);
/* An intake request for a person at a village desk. */
JsonObject  *test_person_intake  (const char  *name);
/* Appends a local event from JSON text; returns FALSE with @error. */
gboolean     test_append         (PtStore     *store,
                                  const char  *case_id,
                                  PtEventType  type,
                                  const char  *payload,
                                  GError     **error);

/* A digest of every row of every table of @store's database, read through
 * a connection of its own: equal before and after a refused write. */
char        *test_dump           (PtStore     *store);

G_END_DECLS
