/* pt-server-pull.c: GET /v1/changes and GET /v1/reference.
 *
 * A page is read in one REPEATABLE READ snapshot that also reads the
 * counter: every sequence up to it is committed (pushes commit in sequence
 * order), so a reader never passes a sequence that commits late.
 *
 * Scope: an event is sent to a desk when its case, after the event, is at
 * the desk's unit or below. A transfer into the scope also sends the case's
 * earlier events; a transfer out of it sends the transfer and a revocation.
 */
#define G_LOG_DOMAIN "paotuan-server"

#include <string.h>

#include "pt-error.h"
#include "pt-server.h"

static void
append_event (GString    *out,
              gboolean   *first,
              const char *seq,
              const char *flagged,
              const char *body)
{
  if (!*first)
    g_string_append_c (out, ',');
  *first = FALSE;
  g_string_append_printf (out, "{\"seq\":%s,\"flagged\":%s,\"event\":%s}",
                          seq, *flagged == 't' ? "true" : "false", body);
}

void
pt_server_pull (PGconn               *conn,
                const PtServerConfig *config,
                const PtDevice       *device,
                gint64                since,
                guint                 limit,
                PtReply              *reply)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) counter = NULL;
  g_autoptr(PGresult) rows = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *since_s = g_strdup_printf ("%" G_GINT64_FORMAT, since);
  g_autofree char *limit_s = g_strdup_printf ("%u", limit);
  gint64 started = g_get_monotonic_time ();
  gint64 watermark, next;
  gboolean first = TRUE, more;
  guint n_rows;

  if (!pt_db_exec (conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", &error))
    goto fail;
  counter = pt_db_query (conn, "SELECT seq FROM counter WHERE id = 1", 0, NULL, &error);
  if (counter == NULL)
    goto fail;
  watermark = g_ascii_strtoll (PQgetvalue (counter, 0, 0), NULL, 10);
  {
    g_autofree char *w = g_strdup_printf ("%" G_GINT64_FORMAT, watermark);
    g_autoptr(GPtrArray) units = pt_server_units_within (device->path);
    g_autoptr(GPtrArray) params = g_ptr_array_new ();
    g_autoptr(GString) sql = g_string_new (NULL);

    g_ptr_array_add (params, since_s);
    g_ptr_array_add (params, w);
    g_ptr_array_add (params, limit_s);
    if (strchr (device->path, '/') == device->path + strlen (device->path) - 1)
      {
        /* The district sees everything: walk the log in order. */
        g_string_append (sql,
          "SELECT seq, flagged, body, case_id, path, from_path FROM events "
          "WHERE seq > $1::bigint AND seq <= $2::bigint ORDER BY seq LIMIT $3::bigint");
      }
    else
      {
        /* One index range per unit of the scope, each at most a page, merged;
         * and the transfers out of the scope. */
        GString *list = g_string_new (NULL);

        g_string_append (sql, "SELECT seq, flagged, body, case_id, path, from_path FROM (");
        for (guint i = 0; i < units->len; i++)
          {
            g_ptr_array_add (params, units->pdata[i]);
            g_string_append_printf (sql, "%s(SELECT seq, flagged, body, case_id, path, from_path "
                                    "FROM events WHERE unit = $%u AND seq > $1::bigint "
                                    "AND seq <= $2::bigint ORDER BY seq LIMIT $3::bigint)",
                                    i ? " UNION ALL " : "", params->len);
            g_string_append_printf (list, "%s$%u", i ? "," : "", params->len);
          }
        g_string_append_printf (sql, " UNION ALL (SELECT seq, flagged, body, case_id, path, from_path "
                                "FROM events WHERE from_unit IN (%s) AND unit NOT IN (%s) "
                                "AND seq > $1::bigint AND seq <= $2::bigint ORDER BY seq LIMIT $3::bigint)"
                                ") x ORDER BY seq LIMIT $3::bigint", list->str, list->str);
        g_string_free (list, TRUE);
      }
    rows = pt_db_query (conn, sql->str, params->len, (const char *const *) params->pdata, &error);
    if (rows == NULL)
      goto fail;
  }

  g_string_append_printf (out, "{\"server_time\":%" G_GINT64_FORMAT
                          ",\"watermark\":%" G_GINT64_FORMAT ",\"items\":[",
                          pt_server_now_ms (), watermark);
  n_rows = PQntuples (rows);
  for (guint r = 0; r < n_rows; r++)
    {
      const char *seq = PQgetvalue (rows, r, 0);
      const char *path = PQgetvalue (rows, r, 4);
      gboolean transfer = !PQgetisnull (rows, r, 5);
      gboolean in_after = g_str_has_prefix (path, device->path);
      gboolean in_before = transfer && g_str_has_prefix (PQgetvalue (rows, r, 5), device->path);

      if (transfer && in_after && !in_before)
        {
          /* The case comes into this desk's scope: send its history first. */
          const char *params[] = { PQgetvalue (rows, r, 3), seq };
          g_autoptr(PGresult) history = pt_db_query (conn,
            "SELECT seq, flagged, body FROM events WHERE case_id = $1 AND seq < $2::bigint "
            "ORDER BY seq", 2, params, &error);
          if (history == NULL)
            goto fail;
          for (int h = 0; h < PQntuples (history); h++)
            append_event (out, &first, PQgetvalue (history, h, 0),
                          PQgetvalue (history, h, 1), PQgetvalue (history, h, 2));
        }
      append_event (out, &first, seq, PQgetvalue (rows, r, 1), PQgetvalue (rows, r, 2));
      if (transfer && in_before && !in_after)
        g_string_append_printf (out, ",{\"seq\":%s,\"revoke\":\"%s\"}",
                                seq, PQgetvalue (rows, r, 3));
    }
  more = n_rows == limit;
  next = more ? g_ascii_strtoll (PQgetvalue (rows, n_rows - 1, 0), NULL, 10)
              : MAX (watermark, since);
  g_string_append_printf (out, "],\"next\":%" G_GINT64_FORMAT ",\"more\":%s}",
                          next, more ? "true" : "false");
  pt_db_exec (conn, "COMMIT", NULL);
  {
    g_autofree char *n = g_strdup_printf ("%u", n_rows);
    g_autofree char *next_s = g_strdup_printf ("%" G_GINT64_FORMAT, next);
    g_autofree char *ms = g_strdup_printf ("%.1f", (g_get_monotonic_time () - started) / 1000.0);
    pt_server_log ("info", "pull", "device", device->id, "since", since_s, "events", n,
                   "next", next_s, "ms", ms, NULL);
  }

  reply->status = 200;
  reply->body = g_string_free (g_steal_pointer (&out), FALSE);
  return;

fail:
  pt_db_rollback (conn);
  pt_server_log ("error", "pull_failed", "device", device->id, "message", error->message, NULL);
  pt_reply_error (reply, 503, "unavailable", "The server could not read its changes; try again.");
}

typedef struct {
  const char *name;
  const char *content;
} RefFile;

static int
compare_files (gconstpointer a,
               gconstpointer b)
{
  return strcmp (((const RefFile *) a)->name, ((const RefFile *) b)->name);
}

void
pt_server_reference (PGconn     *conn,
                     const char *have_version,
                     PtReply    *reply)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = pt_db_query (conn,
    "SELECT name, content FROM reference_files ORDER BY name", 0, NULL, &error);
  g_autofree char *roster = res != NULL ? pt_db_roster_json (conn, &error) : NULL;
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GArray) files = g_array_new (FALSE, FALSE, sizeof (RefFile));
  const char *version;

  if (res == NULL || roster == NULL)
    {
      pt_reply_error (reply, 503, "unavailable", "The server could not read its reference data; try again.");
      return;
    }
  /* The roster is kept in its table and travels as one more file. */
  for (int r = 0; r < PQntuples (res); r++)
    {
      RefFile file = { PQgetvalue (res, r, 0), PQgetvalue (res, r, 1) };

      if (!g_str_equal (file.name, "runners.json"))
        g_array_append_val (files, file);
    }
  if (*roster != '\0')
    {
      RefFile file = { "runners.json", roster };
      g_array_append_val (files, file);
    }
  g_array_sort (files, compare_files);

  /* The version is the digest of the content: equal data, equal version,
   * whichever server process answers; a new runner is a new version. */
  for (guint i = 0; i < files->len; i++)
    {
      const RefFile *file = &g_array_index (files, RefFile, i);

      g_checksum_update (sum, (const guchar *) file->name, -1);
      g_checksum_update (sum, (const guchar *) "\n", 1);
      g_checksum_update (sum, (const guchar *) file->content, -1);
      g_checksum_update (sum, (const guchar *) "\0", 1);
    }
  version = g_checksum_get_string (sum);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "server_time");
  json_builder_add_int_value (b, pt_server_now_ms ());
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, version);
  if (have_version != NULL && g_str_equal (have_version, version))
    {
      json_builder_set_member_name (b, "unchanged");
      json_builder_add_boolean_value (b, TRUE);
    }
  else
    {
      json_builder_set_member_name (b, "files");
      json_builder_begin_object (b);
      for (guint i = 0; i < files->len; i++)
        {
          const RefFile *file = &g_array_index (files, RefFile, i);

          json_builder_set_member_name (b, file->name);
          json_builder_add_string_value (b, file->content);
        }
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  reply->status = 200;
  reply->body = json_to_string (root, FALSE);
}
