/* pt-sync-token.h: where a desk keeps its district server token.
 *
 * In the user's keyring (the Secret Service, through libsecret) when one runs
 * and is unlocked in this session; in the desk's database (a 0600 file)
 * otherwise, for a desk without a desktop session such as `paotuanctl` over
 * ssh or cron. PAOTUAN_KEYRING=0 keeps it in the database. Private to the
 * sync engine. */
#pragma once

#include "pt-store.h"

G_BEGIN_DECLS

/* Puts @token into the keyring for @device at @server. FALSE when no
 * unlocked keyring runs here (the caller keeps it in the database). */
gboolean  pt_sync_token_to_keyring  (const char  *device,
                                     const char  *server,
                                     const char  *token);
/* The desk's token, from the database or the keyring; NULL with
 * PT_ERROR_AUTH when the desk has none, or its keyring is not open here. */
char     *pt_sync_token_get         (PtStore     *store,
                                     GError     **error);
/* Removes the token of @device at @server from the keyring, if it is there. */
void      pt_sync_token_drop_from_keyring (const char *device,
                                           const char *server);
/* Forgets the token, in the database and in the keyring. */
void      pt_sync_token_forget      (PtStore     *store);

G_END_DECLS
