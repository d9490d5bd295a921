/* pt-server-config.c: the GKeyFile of paotuan-server (docs/server.md). */
#define G_LOG_DOMAIN "paotuan-server"

#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "pt-error.h"
#include "pt-server.h"

static char *
resolve_path (const char *config_path,
              const char *value)
{
  g_autofree char *dir = NULL;

  if (value == NULL || g_path_is_absolute (value))
    return g_strdup (value);
  /* Relative paths are relative to the configuration file, so that a test
   * directory or /etc/paotuan can be moved as a whole. */
  dir = g_path_get_dirname (config_path);
  return g_build_filename (dir, value, NULL);
}

static gint64
get_int (GKeyFile   *kf,
         const char *group,
         const char *key,
         gint64      fallback,
         gint64      min,
         gint64      max,
         GError    **error)
{
  g_autoptr(GError) local = NULL;
  gint64 value;

  if (!g_key_file_has_key (kf, group, key, NULL))
    return fallback;
  value = g_key_file_get_int64 (kf, group, key, &local);
  if (local != NULL || value < min || value > max)
    {
      g_autofree char *lo = g_strdup_printf ("%" G_GINT64_FORMAT, min);
      g_autofree char *hi = g_strdup_printf ("%" G_GINT64_FORMAT, max);

      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("[%s] %s must be a whole number from %s to %s."), group, key, lo, hi);
      return -1;
    }
  return value;
}

PtServerConfig *
pt_server_config_load (const char  *path,
                       GError     **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(PtServerConfig) config = g_new0 (PtServerConfig, 1);
  g_autofree char *listen = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *data_dir = NULL;
  const char *colon;
  gint64 port;
  GError *local = NULL;
  struct { const char *group, *key; gint64 fallback, min, max; gint64 value; } ints[] = {
    { "server", "max-body-bytes", 16 * 1024 * 1024, 1024, G_GINT64_CONSTANT (1) << 31, 0 },
    { "server", "workers", 8, 1, 64, 0 },
    { "server", "max-clock-ahead-seconds", 300, 1, 365 * 86400, 0 },
    { "server", "token-days", 365, 1, 3650, 0 },
    { "server", "enroll-code-hours", 72, 1, 24 * 365, 0 },
    { "server", "max-batch", 1000, 1, 100000, 0 },
    { "server", "max-page", 5000, 1, 100000, 0 },
    { "testing", "delay-before-commit-ms", 0, 0, 600000, 0 },
    { "testing", "delay-after-commit-ms", 0, 0, 600000, 0 },
    { "server", "idle-timeout-seconds", 60, 1, 3600, 0 },
    { "server", "max-connections", 512, 1, 100000, 0 },
    { "server", "max-connections-per-client", 64, 1, 100000, 0 },
    { "server", "max-bad-codes-per-minute", 10, 1, 100000, 0 },
    { "server", "max-bad-tokens-per-minute", 20, 1, 100000, 0 },
  };

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &local))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("Cannot read the configuration %s: %s"), path, local->message);
      g_error_free (local);
      return NULL;
    }

  listen = g_key_file_get_string (kf, "server", "listen", NULL);
  cert = g_key_file_get_string (kf, "server", "certificate", NULL);
  key = g_key_file_get_string (kf, "server", "key", NULL);
  config->database = g_key_file_get_string (kf, "server", "database", NULL);
  data_dir = g_key_file_get_string (kf, "server", "data-dir", NULL);
  if (listen == NULL || cert == NULL || key == NULL || config->database == NULL)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("%s: the [server] group needs listen, certificate, key and database "
                     "(see docs/server.md)."), path);
      return NULL;
    }

  colon = strrchr (listen, ':');
  if (colon == NULL || colon == listen
      || !g_ascii_string_to_signed (colon + 1, 10, 1, 65535, &port, NULL))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("%s: listen = %s is not address:port, e.g. 0.0.0.0:8443."), path, listen);
      return NULL;
    }
  config->listen_address = g_strndup (listen, colon - listen);
  if (config->listen_address[0] == '[')
    {
      /* [::1]:8443 */
      char *inner = g_strndup (config->listen_address + 1, strlen (config->listen_address) - 2);
      g_free (config->listen_address);
      config->listen_address = inner;
    }
  config->listen_port = port;
  config->certificate = resolve_path (path, cert);
  config->key = resolve_path (path, key);
  config->data_dir = resolve_path (path, data_dir);

  for (guint i = 0; i < G_N_ELEMENTS (ints); i++)
    {
      GError *ierr = NULL;
      ints[i].value = get_int (kf, ints[i].group, ints[i].key, ints[i].fallback,
                               ints[i].min, ints[i].max, &ierr);
      if (ierr != NULL)
        {
          g_propagate_prefixed_error (error, ierr, "%s: ", path);
          return NULL;
        }
    }
  config->max_body_bytes = ints[0].value;
  config->workers = ints[1].value;
  config->max_clock_ahead_ms = ints[2].value * 1000;
  config->token_days = ints[3].value;
  config->enroll_code_hours = ints[4].value;
  config->max_batch = ints[5].value;
  config->max_page = ints[6].value;
  config->delay_before_commit_ms = ints[7].value;
  config->delay_after_commit_ms = ints[8].value;
  config->idle_timeout_seconds = ints[9].value;
  config->max_connections = ints[10].value;
  config->max_connections_per_client = ints[11].value;
  config->max_bad_codes_per_minute = ints[12].value;
  config->max_bad_tokens_per_minute = ints[13].value;

  return g_steal_pointer (&config);
}

void
pt_server_config_free (PtServerConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->listen_address);
  g_free (config->certificate);
  g_free (config->key);
  g_free (config->database);
  g_free (config->data_dir);
  g_free (config);
}

static void
append_json_string (GString    *out,
                    const char *value)
{
  g_string_append_c (out, '"');
  for (const char *p = value; *p; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if ((guchar) *p < 0x20)
            g_string_append_printf (out, "\\u%04x", (guchar) *p);
          else
            g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
}

void
pt_server_log (const char *level,
               const char *event,
               ...)
{
  static GMutex lock;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *ts = g_date_time_format_iso8601 (now);
  g_autoptr(GString) line = g_string_new ("{\"ts\":");
  va_list ap;
  const char *key;

  append_json_string (line, ts);
  g_string_append (line, ",\"level\":");
  append_json_string (line, level);
  g_string_append (line, ",\"event\":");
  append_json_string (line, event);
  va_start (ap, event);
  while ((key = va_arg (ap, const char *)) != NULL)
    {
      const char *value = va_arg (ap, const char *);
      g_string_append_c (line, ',');
      append_json_string (line, key);
      g_string_append_c (line, ':');
      append_json_string (line, value ? value : "");
    }
  va_end (ap);
  g_string_append (line, "}\n");

  /* One write per line so that lines of worker threads never interleave. */
  g_mutex_lock (&lock);
  fputs (line->str, stderr);
  fflush (stderr);
  g_mutex_unlock (&lock);
}

gint64
pt_server_now_ms (void)
{
  return g_get_real_time () / 1000;
}

void
pt_reply_error (PtReply    *reply,
                guint       status,
                const char *code,
                const char *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_set_member_name (b, "server_time");
  json_builder_add_int_value (b, pt_server_now_ms ());
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  g_free (reply->body);
  reply->status = status;
  reply->body = json_to_string (root, FALSE);
}
