/* pt-sync-http.c: HTTPS requests with libcurl. Certificate and host name
 * verification are always on; a private CA file may replace the system's. */
#define G_LOG_DOMAIN "paotuan-sync"

#include <curl/curl.h>

#include <glib/gi18n-lib.h>

#include "pt-error.h"
#include "pt-sync-http.h"

struct _PtSyncHttp {
  CURL *curl;
  char *base_url;
  char *auth_header;
  char *ca_file;
  guint timeout_s;
  char  errbuf[CURL_ERROR_SIZE];
};

static void
init_once (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      curl_global_init (CURL_GLOBAL_DEFAULT);
      g_once_init_leave (&done, 1);
    }
}

PtSyncHttp *
pt_sync_http_new (const char  *base_url,
                  const char  *token,
                  const char  *ca_file,
                  guint        timeout_s,
                  GError     **error)
{
  PtSyncHttp *http;

  if (base_url == NULL || g_ascii_strncasecmp (base_url, "https://", 8) != 0)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("The server address %s is not an https:// URL; sync only talks to the "
                   "district server over HTTPS"), base_url ? base_url : "(none)");
      return NULL;
    }
  if (ca_file != NULL && !g_file_test (ca_file, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("The CA file %s does not exist; give the PEM file of the district's CA"), ca_file);
      return NULL;
    }
  init_once ();
  http = g_new0 (PtSyncHttp, 1);
  http->curl = curl_easy_init ();
  http->base_url = g_strdup (base_url);
  while (g_str_has_suffix (http->base_url, "/"))
    http->base_url[strlen (http->base_url) - 1] = '\0';
  http->auth_header = token ? g_strdup_printf ("Authorization: Bearer %s", token) : NULL;
  http->ca_file = g_strdup (ca_file);
  http->timeout_s = timeout_s ? timeout_s : 60;
  return http;
}

void
pt_sync_http_free (PtSyncHttp *http)
{
  if (http == NULL)
    return;
  curl_easy_cleanup (http->curl);
  g_free (http->base_url);
  g_free (http->auth_header);
  g_free (http->ca_file);
  g_free (http);
}

static size_t
write_cb (char   *data,
          size_t  size,
          size_t  nmemb,
          void   *user_data)
{
  GByteArray *buf = user_data;

  /* A server answer bigger than this is not one of ours. */
  if (buf->len + size * nmemb > 512 * 1024 * 1024)
    return 0;
  g_byte_array_append (buf, (const guint8 *) data, size * nmemb);
  return size * nmemb;
}

/* Says what a TLS failure means for the person at the desk. */
static char *
explain (PtSyncHttp *http,
         CURLcode    code)
{
  const char *detail = http->errbuf[0] ? http->errbuf : curl_easy_strerror (code);

  switch (code)
    {
    case CURLE_PEER_FAILED_VERIFICATION:
      if (strstr (detail, "expired") != NULL)
        return g_strdup_printf (_("The server's certificate has expired (%s); the district must renew it"), detail);
      if (strstr (detail, "name") != NULL || strstr (detail, "match") != NULL)
        return g_strdup_printf (_("The server's certificate is not for this host name (%s); "
                                "check the server address"), detail);
      return g_strdup_printf (_("The server's certificate is not trusted (%s); "
                              "configure the district's CA file (--ca FILE)"), detail);
    case CURLE_SSL_CACERT_BADFILE:
      return g_strdup_printf (_("The CA file %s cannot be read as PEM (%s)"),
                              http->ca_file ? http->ca_file : "(system)", detail);
    case CURLE_SSL_CONNECT_ERROR:
      return g_strdup_printf (_("The TLS handshake with the server failed (%s)"), detail);
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
      return g_strdup_printf (_("The server cannot be reached (%s); the desk keeps working offline"), detail);
    case CURLE_OPERATION_TIMEDOUT:
      return g_strdup_printf (_("The server did not answer in time (%s)"), detail);
    default:
      return g_strdup_printf (_("The connection to the server failed (%s)"), detail);
    }
}

gboolean
pt_sync_http_request (PtSyncHttp  *http,
                      const char  *method,
                      const char  *path,
                      const char  *body,
                      long        *status,
                      GBytes     **response,
                      gboolean    *transient,
                      GError     **error)
{
  g_autofree char *url = g_strconcat (http->base_url, path, NULL);
  GByteArray *buf = g_byte_array_new ();
  struct curl_slist *headers = NULL;
  CURL *c = http->curl;
  CURLcode code;

  curl_easy_reset (c);
  http->errbuf[0] = '\0';
  curl_easy_setopt (c, CURLOPT_URL, url);
  curl_easy_setopt (c, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt (c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
  curl_easy_setopt (c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (http->ca_file != NULL)
    curl_easy_setopt (c, CURLOPT_CAINFO, http->ca_file);
  curl_easy_setopt (c, CURLOPT_ERRORBUFFER, http->errbuf);
  curl_easy_setopt (c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (c, CURLOPT_CONNECTTIMEOUT, 15L);
  curl_easy_setopt (c, CURLOPT_TIMEOUT, (long) http->timeout_s);
  curl_easy_setopt (c, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt (c, CURLOPT_USERAGENT, "paotuan/" PT_VERSION);
  curl_easy_setopt (c, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt (c, CURLOPT_WRITEDATA, buf);
  headers = curl_slist_append (headers, "Accept: application/json");
  if (http->auth_header != NULL)
    headers = curl_slist_append (headers, http->auth_header);
  if (body != NULL)
    {
      headers = curl_slist_append (headers, "Content-Type: application/json");
      headers = curl_slist_append (headers, "Expect:");
      curl_easy_setopt (c, CURLOPT_POSTFIELDS, body);
      curl_easy_setopt (c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) strlen (body));
    }
  curl_easy_setopt (c, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt (c, CURLOPT_HTTPHEADER, headers);

  code = curl_easy_perform (c);
  curl_slist_free_all (headers);
  if (code != CURLE_OK)
    {
      g_autofree char *msg = explain (http, code);

      g_byte_array_unref (buf);
      *transient = code != CURLE_PEER_FAILED_VERIFICATION && code != CURLE_SSL_CACERT_BADFILE
                   && code != CURLE_UNSUPPORTED_PROTOCOL;
      g_set_error (error, PT_ERROR, PT_ERROR_NETWORK, _("%s"), msg);
      return FALSE;
    }
  curl_easy_getinfo (c, CURLINFO_RESPONSE_CODE, status);
  *response = g_byte_array_free_to_bytes (buf);
  *transient = FALSE;
  return TRUE;
}
