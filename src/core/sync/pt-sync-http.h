/* pt-sync-http.h: one HTTPS connection to the district server (libcurl),
 * private to the sync engine. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _PtSyncHttp PtSyncHttp;

/* Fails with PT_ERROR_INVALID unless @base_url is https://. */
PtSyncHttp *pt_sync_http_new      (const char   *base_url,
                                   const char   *token,
                                   const char   *ca_file,
                                   guint         timeout_s,
                                   GError      **error);
void        pt_sync_http_free     (PtSyncHttp   *http);

/* Sends one request. Returns FALSE with PT_ERROR_NETWORK when no HTTP answer
 * came (@transient tells whether trying again may help: a TLS verification
 * failure never does); otherwise TRUE with the status and the body. */
gboolean    pt_sync_http_request  (PtSyncHttp   *http,
                                   const char   *method,
                                   const char   *path,
                                   const char   *body,
                                   long         *status,
                                   GBytes      **response,
                                   gboolean     *transient,
                                   GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtSyncHttp, pt_sync_http_free)

G_END_DECLS
