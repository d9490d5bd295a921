/* pt-sync.c: the desk's sync engine: push the outbox, pull the changes.
 *
 * Every step is safe to repeat: the server stores an event at most once and
 * answers a copy as a duplicate; a pulled page and the cursor commit
 * together. So the engine simply retries (with backoff and jitter) and, when
 * it gives up, the next sync resumes from what was committed.
 */
#define G_LOG_DOMAIN "paotuan-sync"

#include <glib/gi18n-lib.h>

#include "pt-error.h"
#include "pt-json.h"
#include "pt-reference.h"
#include "pt-store-sync.h"
#include "pt-store.h"
#include "pt-sync-http.h"
#include "pt-sync-token.h"
#include "pt-sync.h"

typedef struct {
  PtStore       *store;
  PtSyncOptions  opts;
  PtSyncHttp    *http;
  PtSyncReport  *report;
  GCancellable  *cancellable;
  const char    *token;        /* read once a sync: it may come from the keyring */
} Run;

void
pt_sync_options_init (PtSyncOptions *options)
{
  memset (options, 0, sizeof *options);
}

void
pt_sync_options_clear (PtSyncOptions *options)
{
  g_clear_pointer (&options->ca_file, g_free);
}

PtSyncReport *
pt_sync_report_copy (const PtSyncReport *report)
{
  return g_memdup2 (report, sizeof *report);
}

void
pt_sync_report_free (PtSyncReport *report)
{
  g_free (report);
}

void
pt_sync_status_free (PtSyncStatus *status)
{
  if (status == NULL)
    return;
  g_free (status->server_url);
  g_free (status->device);
  g_free (status->unit);
  g_free (status->ca_file);
  g_free (status->last_sync);
  g_free (status->token_in);
  g_free (status);
}

static void
progress (Run         *run,
          PtSyncPhase  phase,
          gint64       done,
          gint64       total)
{
  PtSyncProgress p = { phase, done, total };

  if (run->opts.progress != NULL)
    run->opts.progress (&p, run->opts.progress_data);
}

/* Waits before try @attempt (1, 2, ...): exponential with full jitter, so
 * that a hundred desks coming back online do not knock in step. */
static gboolean
backoff (Run    *run,
         guint   attempt,
         GError **error)
{
  gint64 cap = MIN ((gint64) 250 << MIN (attempt, 8), 10000);
  gint64 wait_ms = g_random_int_range (cap / 2, cap + 1);
  gint64 until = g_get_monotonic_time () + wait_ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        return FALSE;
      g_usleep (20 * 1000);
    }
  return TRUE;
}

static void
observe_server_time (Run      *run,
                     JsonNode *root)
{
  gint64 t;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  t = pt_json_get_int (json_node_get_object (root), "server_time", 0);
  if (t > 0)
    {
      run->report->server_time = t;
      pt_hlc_observe_server (pt_store_get_hlc (run->store), t);
    }
}

/* One request with retries. Returns the parsed JSON answer and its status
 * for 2xx and 4xx other than 401; 401 is PT_ERROR_AUTH. */
static JsonNode *
request_on (Run         *run,
            PtSyncHttp  *http,
            gboolean     touch_store,
            const char  *method,
            const char  *path,
            const char  *body,
            long        *status,
            GError     **error)
{
  for (guint attempt = 1;; attempt++)
    {
      g_autoptr(GBytes) response = NULL;
      g_autoptr(GError) local = NULL;
      g_autoptr(JsonNode) root = NULL;
      gboolean transient = FALSE;
      const char *server_message = NULL;
      gsize len;
      const char *data;

      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        return NULL;
      if (!pt_sync_http_request (http, method, path, body, status, &response,
                                 &transient, &local))
        {
          if (!transient || attempt >= run->opts.max_attempts)
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return NULL;
            }
          g_debug ("%s %s: %s; trying again", method, path, local->message);
          if (!backoff (run, attempt, error))
            return NULL;
          continue;
        }

      data = g_bytes_get_data (response, &len);
      if (len > 0)
        root = pt_json_parse (data, len, NULL);
      if (touch_store)
        observe_server_time (run, root);
      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
        server_message = pt_json_get_string (json_node_get_object (root), "message");

      if (*status == 401)
        {
          /* No endless 401 loop: the token is dropped and the desk must
           * enroll again. */
          if (touch_store)
            pt_sync_token_forget (run->store);
          g_set_error (error, PT_ERROR, PT_ERROR_AUTH,
                       _("The server refused this desk's token (%s); enroll the desk again "
                       "with a new code (paotuanctl enroll)"),
                       server_message ? server_message : "unauthorized");
          return NULL;
        }
      if (*status >= 500 || *status == 429 || *status == 408)
        {
          if (attempt >= run->opts.max_attempts)
            {
              g_set_error (error, PT_ERROR, PT_ERROR_NETWORK,
                           _("The server is unavailable (HTTP %ld: %s); the desk keeps working "
                           "offline and syncs later"), *status,
                           server_message ? server_message : "no message");
              return NULL;
            }
          if (!backoff (run, attempt, error))
            return NULL;
          continue;
        }
      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        {
          g_set_error (error, PT_ERROR, PT_ERROR_NETWORK,
                       _("The server answered %s %s with HTTP %ld and no JSON; is this a Paotuan server?"),
                       method, path, *status);
          return NULL;
        }
      return g_steal_pointer (&root);
    }
}

static JsonNode *
request (Run         *run,
         const char  *method,
         const char  *path,
         const char  *body,
         long        *status,
         GError     **error)
{
  return request_on (run, run->http, TRUE, method, path, body, status, error);
}

static char *
batch_body (GPtrArray *entries)
{
  g_autoptr(GString) out = g_string_new ("{\"events\":[");

  for (guint i = 0; i < entries->len; i++)
    {
      PtOutboxEntry *entry = entries->pdata[i];
      g_autofree char *event = pt_event_to_string (entry->event);

      g_string_append_printf (out, "%s{\"device_seq\":%" G_GINT64_FORMAT ",\"event\":%s}",
                              i ? "," : "", entry->device_seq, event);
    }
  g_string_append (out, "]}");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static GPtrArray *
parse_results (JsonNode  *root,
               GError   **error)
{
  JsonArray *array = pt_json_get_array (json_node_get_object (root), "results");
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_push_result_free);

  if (array == NULL)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_NETWORK, _("The server's push answer has no results"));
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *obj = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      PtPushResult *r;

      if (obj == NULL || pt_json_get_string (obj, "id") == NULL)
        {
          g_set_error (error, PT_ERROR, PT_ERROR_NETWORK, _("The server's push answer is malformed"));
          return NULL;
        }
      r = g_new0 (PtPushResult, 1);
      r->event_id = g_strdup (pt_json_get_string (obj, "id"));
      r->device_seq = pt_json_get_int (obj, "device_seq", 0);
      if (!pt_push_outcome_from_string (pt_json_get_string (obj, "outcome"), &r->outcome))
        r->outcome = PT_PUSH_REJECTED;
      r->seq = pt_json_get_int (obj, "seq", 0);
      r->flagged = pt_json_get_bool (obj, "flagged", FALSE);
      r->reason = g_strdup (pt_json_get_string (obj, "reason"));
      g_ptr_array_add (results, r);
    }
  return g_steal_pointer (&results);
}

static gboolean
push (Run     *run,
      GError **error)
{
  guint batch = run->opts.batch_size;
  gint64 total = pt_store_sync_count_pending (run->store, NULL);
  gint64 done = 0;
  gboolean requeued = FALSE;

  progress (run, PT_SYNC_PHASE_PUSHING, 0, total);
  for (;;)
    {
      g_autoptr(GPtrArray) entries = pt_store_sync_outbox (run->store, batch, error);
      g_autoptr(GPtrArray) results = NULL;
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *body = NULL;
      long status = 0;

      if (entries == NULL)
        return FALSE;
      if (entries->len == 0)
        return TRUE;
      body = batch_body (entries);
      root = request (run, "POST", "/v1/events", body, &status, error);
      if (root == NULL)
        return FALSE;

      if (status == 413 && batch > 1)
        {
          batch = MAX (batch / 2, 1);
          continue;
        }
      if (status == 409)
        {
          gint64 mark = pt_json_get_int (json_node_get_object (root), "high_water", -1);
          if (requeued || mark < 0)
            {
              g_set_error (error, PT_ERROR, PT_ERROR_NETWORK,
                           "The server has this desk's events only up to %" G_GINT64_FORMAT
                           " and the desk cannot resend the rest; ask the district to check "
                           "its backup", mark);
              return FALSE;
            }
          /* The server lost acknowledged events (a restored backup): resend
           * from its mark. */
          requeued = TRUE;
          if (!pt_store_sync_requeue (run->store, mark, error))
            return FALSE;
          continue;
        }
      if (status != 200)
        {
          g_set_error (error, PT_ERROR, PT_ERROR_NETWORK, _("The server refused the batch (HTTP %ld): %s"),
                       status, pt_json_get_string (json_node_get_object (root), "message"));
          return FALSE;
        }
      results = parse_results (root, error);
      if (results == NULL || !pt_store_sync_acknowledge (run->store, results, error))
        return FALSE;
      for (guint i = 0; i < results->len; i++)
        {
          PtPushResult *r = results->pdata[i];
          switch (r->outcome)
            {
            case PT_PUSH_STORED: run->report->pushed++; break;
            case PT_PUSH_DUPLICATE: run->report->duplicates++; break;
            case PT_PUSH_REJECTED: run->report->rejected++; break;
            }
          if (r->flagged)
            run->report->flagged++;
        }
      done += results->len;
      progress (run, PT_SYNC_PHASE_PUSHING, done, MAX (total, done));
    }
}

static GPtrArray *
parse_items (JsonNode  *root,
             GError   **error)
{
  JsonArray *array = pt_json_get_array (json_node_get_object (root), "items");
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_pull_item_free);

  if (array == NULL)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_NETWORK, _("The server's changes have no items"));
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *obj = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      g_autoptr(PtPullItem) item = g_new0 (PtPullItem, 1);

      if (obj == NULL)
        goto bad;
      item->seq = pt_json_get_int (obj, "seq", 0);
      if (pt_json_get_string (obj, "revoke") != NULL)
        item->revoke_case = g_strdup (pt_json_get_string (obj, "revoke"));
      else if (json_object_has_member (obj, "event"))
        {
          item->event = pt_event_from_json (json_object_get_member (obj, "event"), error);
          if (item->event == NULL)
            return NULL;
          item->flagged = pt_json_get_bool (obj, "flagged", FALSE);
        }
      else
        goto bad;
      if (item->seq <= 0)
        goto bad;
      g_ptr_array_add (items, g_steal_pointer (&item));
      continue;
    bad:
      g_set_error (error, PT_ERROR, PT_ERROR_NETWORK, _("Item %u of the server's changes is malformed"), i);
      return NULL;
    }
  return g_steal_pointer (&items);
}

/* One page, fetched and parsed on a thread of its own with its own
 * connection, while the page before it is applied: the store is not touched
 * here. */
typedef struct {
  Run        *run;
  PtSyncHttp *http;
  gint64      since;
  long        status;
  JsonNode   *root;
  GPtrArray  *items;
  GError     *error;
} PageFetch;

static gpointer
fetch_thread (gpointer data)
{
  PageFetch *f = data;
  g_autofree char *path = g_strdup_printf ("/v1/changes?since=%" G_GINT64_FORMAT "&limit=%u",
                                           f->since, f->run->opts.page_size);

  f->root = request_on (f->run, f->http, FALSE, "GET", path, NULL, &f->status, &f->error);
  if (f->root != NULL && f->status == 200)
    f->items = parse_items (f->root, &f->error);
  return NULL;
}

static void
page_fetch_clear (PageFetch *f)
{
  g_clear_pointer (&f->root, json_node_unref);
  g_clear_pointer (&f->items, g_ptr_array_unref);
  g_clear_error (&f->error);
}

static gboolean
pull (Run     *run,
      GError **error)
{
  g_autoptr(PtSyncHttp) second = NULL;
  PtSyncHttp *https[2];
  PageFetch fetch = { run, NULL, 0, 0, NULL, NULL, NULL };
  GThread *thread;
  gint64 cursor = pt_store_sync_get_cursor (run->store);
  gint64 done = 0;
  guint turn = 0;
  gboolean ok = FALSE;

  {
    g_autofree char *server = pt_store_get_meta (run->store, "sync.server");
    g_autofree char *ca = pt_store_get_meta (run->store, "sync.ca_file");
    if (run->opts.ca_file != NULL)
      {
        g_free (ca);
        ca = g_strdup (run->opts.ca_file);
      }
    second = pt_sync_http_new (server, run->token, ca, run->opts.timeout_s, error);
    if (second == NULL)
      return FALSE;
  }
  https[0] = run->http;
  https[1] = second;

  progress (run, PT_SYNC_PHASE_PULLING, 0, -1);
  fetch.http = https[turn];
  fetch.since = cursor;
  thread = g_thread_new ("pt-sync-fetch", fetch_thread, &fetch);
  for (;;)
    {
      PageFetch page;
      JsonObject *obj;
      gint64 next, watermark, applied = 0;
      gboolean more;
      gint64 t0 = g_get_monotonic_time ();

      g_thread_join (thread);
      thread = NULL;
      page = fetch;
      memset (&fetch, 0, sizeof fetch);
      fetch.run = run;

      if (page.root != NULL)
        observe_server_time (run, page.root);
      if (page.error != NULL)
        {
          if (g_error_matches (page.error, PT_ERROR, PT_ERROR_AUTH))
            pt_sync_token_forget (run->store);
          g_propagate_error (error, g_steal_pointer (&page.error));
          page_fetch_clear (&page);
          goto out;
        }
      obj = json_node_get_object (page.root);
      if (page.status != 200)
        {
          g_set_error (error, PT_ERROR, PT_ERROR_NETWORK, _("The server refused to send changes (HTTP %ld): %s"),
                       page.status, pt_json_get_string (obj, "message"));
          page_fetch_clear (&page);
          goto out;
        }
      next = pt_json_get_int (obj, "next", -1);
      watermark = pt_json_get_int (obj, "watermark", -1);
      more = pt_json_get_bool (obj, "more", FALSE) && next != watermark;
      if (next < cursor)
        {
          g_set_error (error, PT_ERROR, PT_ERROR_NETWORK,
                       "The server's cursor went back from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT
                       "; is this the same server the desk enrolled with?", cursor, next);
          page_fetch_clear (&page);
          goto out;
        }

      /* The next page travels while this one is written. */
      if (more)
        {
          turn ^= 1;
          fetch.http = https[turn];
          fetch.since = next;
          thread = g_thread_new ("pt-sync-fetch", fetch_thread, &fetch);
        }

      if (!pt_store_sync_apply_page (run->store, page.items, next, run->report->server_time,
                                     &applied, error))
        {
          page_fetch_clear (&page);
          goto out;
        }
      g_debug ("page after %" G_GINT64_FORMAT ": %u items, applied in %.0f ms",
               cursor, page.items->len, (g_get_monotonic_time () - t0) / 1000.0);
      for (guint i = 0; i < page.items->len; i++)
        if (((PtPullItem *) page.items->pdata[i])->revoke_case != NULL)
          run->report->revoked++;
      run->report->pulled += applied;
      done += page.items->len;
      cursor = next;
      run->report->cursor = cursor;
      progress (run, PT_SYNC_PHASE_PULLING, done,
                watermark > 0 && more ? done + (watermark - cursor) : done);
      page_fetch_clear (&page);
      if (!more)
        {
          ok = TRUE;
          goto out;
        }
    }

out:
  if (thread != NULL)
    {
      g_thread_join (thread);
      page_fetch_clear (&fetch);
    }
  return ok;
}

static gboolean
reference (Run     *run,
           GError **error)
{
  g_autofree char *have = pt_store_get_meta (run->store, "sync.reference_version");
  g_autofree char *path = g_strdup_printf ("/v1/reference%s%s", have ? "?version=" : "",
                                           have ? have : "");
  g_autoptr(JsonNode) root = NULL;
  JsonObject *obj, *files;
  long status = 0;

  progress (run, PT_SYNC_PHASE_REFERENCE, 0, -1);
  root = request (run, "GET", path, NULL, &status, error);
  if (root == NULL)
    return FALSE;
  obj = json_node_get_object (root);
  if (status != 200 || pt_json_get_bool (obj, "unchanged", FALSE))
    return TRUE;
  files = pt_json_get_object (obj, "files");
  if (files == NULL || pt_json_get_string (obj, "version") == NULL)
    return TRUE;
  return pt_store_sync_save_reference (run->store, pt_json_get_string (obj, "version"), files, error);
}

gboolean
pt_sync_run (PtStore             *store,
             const PtSyncOptions *options,
             PtSyncReport        *report,
             GCancellable        *cancellable,
             GError             **error)
{
  g_autofree char *server = pt_store_get_meta (store, "sync.server");
  g_autofree char *token = NULL;
  g_autofree char *ca_file = pt_store_get_meta (store, "sync.ca_file");
  PtSyncReport local_report = { 0 };
  Run run = { store, { 0 }, NULL, report ? report : &local_report, cancellable };
  gboolean ok;

  g_return_val_if_fail (store != NULL, FALSE);

  memset (run.report, 0, sizeof *run.report);
  if (options != NULL)
    run.opts = *options;
  if (run.opts.batch_size == 0)
    run.opts.batch_size = 500;
  if (run.opts.page_size == 0)
    run.opts.page_size = 1000;
  if (run.opts.max_attempts == 0)
    run.opts.max_attempts = 6;
  if (options != NULL && options->ca_file != NULL)
    {
      g_free (ca_file);
      ca_file = g_strdup (options->ca_file);
    }

  if (server == NULL)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_AUTH,
                   _("This desk is not enrolled with a district server; run paotuanctl enroll URL CODE"));
      return FALSE;
    }
  if ((token = pt_sync_token_get (store, error)) == NULL)
    return FALSE;
  run.token = token;
  run.http = pt_sync_http_new (server, token, ca_file, run.opts.timeout_s, error);
  if (run.http == NULL)
    return FALSE;

  progress (&run, PT_SYNC_PHASE_CONNECTING, 0, -1);
  ok = push (&run, error) && pull (&run, error);
  /* Edits made during the pull, or revoked cases' queued edits, go out now
   * rather than waiting for the next sync. */
  if (ok && pt_store_sync_count_pending (store, NULL) > 0)
    ok = push (&run, error);
  if (ok)
    ok = reference (&run, error);
  if (ok)
    ok = pt_store_sync_mark_done (store, error);
  else
    pt_store_sync_save_clock (store, NULL);
  run.report->cursor = pt_store_sync_get_cursor (store);
  run.report->pending = pt_store_sync_count_pending (store, NULL);
  run.report->finished_at = g_get_real_time () / 1000;
  if (ok)
    progress (&run, PT_SYNC_PHASE_DONE, run.report->pulled, run.report->pulled);
  pt_sync_http_free (run.http);
  return ok;
}

gboolean
pt_sync_enroll (PtStore       *store,
                const char    *server_url,
                const char    *code,
                const char    *ca_file,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(PtSyncHttp) http = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) body_node = NULL;
  g_autofree char *body = NULL;
  g_autofree char *ca_abs = NULL;
  g_autofree char *url = NULL;
  PtSyncReport report = { 0 };
  Run run = { store, { 0 }, NULL, &report, cancellable };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *obj;
  long status = 0;
  gboolean in_keyring;
  g_autofree char *old_device = pt_store_get_meta (store, "sync.device");
  g_autofree char *old_server = pt_store_get_meta (store, "sync.server");
  g_autofree char *old_in = pt_store_get_meta (store, "sync.token_in");

  if (ca_file != NULL)
    {
      g_autoptr(GFile) f = g_file_new_for_commandline_arg (ca_file);
      ca_abs = g_file_get_path (f);
    }
  url = g_strdup (server_url);
  while (url != NULL && g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';
  http = pt_sync_http_new (url, NULL, ca_abs, 30, error);
  if (http == NULL)
    return FALSE;
  run.http = http;
  run.opts.max_attempts = 3;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_end_object (b);
  body_node = json_builder_get_root (b);
  body = json_to_string (body_node, FALSE);

  root = request (&run, "POST", "/v1/enroll", body, &status, error);
  if (root == NULL)
    return FALSE;
  obj = json_node_get_object (root);
  if (status != 200)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_AUTH, _("The server did not enroll this desk: %s"),
                   pt_json_get_string (obj, "message"));
      return FALSE;
    }
  if (pt_json_get_string (obj, "device") == NULL || pt_json_get_string (obj, "token") == NULL
      || pt_json_get_string (obj, "unit") == NULL)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_NETWORK, _("The server's enrollment answer is malformed"));
      return FALSE;
    }
  in_keyring = pt_sync_token_to_keyring (pt_json_get_string (obj, "device"), url,
                                         pt_json_get_string (obj, "token"));
  if (!pt_store_sync_enroll (store, url, pt_json_get_string (obj, "device"),
                             in_keyring ? NULL : pt_json_get_string (obj, "token"),
                             pt_json_get_string (obj, "unit"),
                             (guint) pt_json_get_int (obj, "desk_index", 0), ca_abs, error))
    return FALSE;
  /* The token of the desk's enrollment before this one is of no use now. */
  if (g_strcmp0 (old_in, "keyring") == 0 && g_strcmp0 (old_device, pt_json_get_string (obj, "device")) != 0)
    pt_sync_token_drop_from_keyring (old_device, old_server);
  return pt_store_sync_save_clock (store, error);
}

PtSyncStatus *
pt_sync_get_status (PtStore  *store,
                    GError  **error)
{
  g_autoptr(PtSyncStatus) status = g_new0 (PtSyncStatus, 1);

  status->server_url = pt_store_get_meta (store, "sync.server");
  status->device = pt_store_get_meta (store, "sync.device");
  status->unit = pt_store_get_meta (store, "sync.unit");
  status->ca_file = pt_store_get_meta (store, "sync.ca_file");
  status->last_sync = pt_store_get_meta (store, "sync.last");
  status->token_in = pt_store_get_meta (store, "sync.token_in");
  /* Desks enrolled before the keyring kept their token in the database. */
  if (status->token_in == NULL)
    {
      g_autofree char *token = pt_store_get_meta (store, "sync.token");

      if (token != NULL)
        status->token_in = g_strdup ("database");
    }
  status->cursor = pt_store_sync_get_cursor (store);
  if ((status->pending = pt_store_sync_count_pending (store, error)) < 0
      || (status->quarantined = pt_store_sync_count_quarantine (store, error)) < 0
      || (status->conflicts = pt_store_sync_count_conflicts (store, error)) < 0)
    return NULL;
  return g_steal_pointer (&status);
}

/* ---- async ------------------------------------------------------------- */

typedef struct {
  char          *db_path;
  PtSyncOptions  opts;
  GMainContext  *context;
} AsyncData;

typedef struct {
  PtSyncProgress     progress;
  PtSyncProgressFunc func;
  gpointer           data;
} ProgressCall;

static void
async_data_free (AsyncData *data)
{
  g_free (data->db_path);
  pt_sync_options_clear (&data->opts);
  g_main_context_unref (data->context);
  g_free (data);
}

static gboolean
progress_idle_cb (gpointer user_data)
{
  ProgressCall *call = user_data;

  call->func (&call->progress, call->data);
  return G_SOURCE_REMOVE;
}

static void
progress_marshal (const PtSyncProgress *p,
                  gpointer              user_data)
{
  AsyncData *data = user_data;
  ProgressCall *call = g_new0 (ProgressCall, 1);

  call->progress = *p;
  call->func = data->opts.progress;
  call->data = data->opts.progress_data;
  g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, progress_idle_cb, call, g_free);
}

static void
run_thread (GTask        *task,
            gpointer      source,
            gpointer      task_data,
            GCancellable *cancellable)
{
  AsyncData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PtReference) ref = NULL;
  g_autoptr(PtStore) store = NULL;
  PtSyncOptions opts = data->opts;
  PtSyncReport report = { 0 };

  ref = pt_reference_load_default (&error);
  if (ref != NULL)
    store = pt_store_open (data->db_path, ref, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (opts.progress != NULL)
    {
      opts.progress = progress_marshal;
      opts.progress_data = data;
    }
  if (!pt_sync_run (store, &opts, &report, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, pt_sync_report_copy (&report), (GDestroyNotify) pt_sync_report_free);
}

void
pt_sync_run_async (const char          *db_path,
                   const PtSyncOptions *options,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  AsyncData *data = g_new0 (AsyncData, 1);

  g_return_if_fail (db_path != NULL);

  data->db_path = g_strdup (db_path);
  if (options != NULL)
    {
      data->opts = *options;
      data->opts.ca_file = g_strdup (options->ca_file);
    }
  data->context = g_main_context_ref_thread_default ();
  g_task_set_source_tag (task, pt_sync_run_async);
  g_task_set_task_data (task, data, (GDestroyNotify) async_data_free);
  g_task_run_in_thread (task, run_thread);
}

PtSyncReport *
pt_sync_run_finish (GAsyncResult  *result,
                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pt_sync_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct {
  char *db_path;
  char *server_url;
  char *code;
  char *ca_file;
} EnrollData;

static void
enroll_data_free (EnrollData *data)
{
  g_free (data->db_path);
  g_free (data->server_url);
  g_free (data->code);
  g_free (data->ca_file);
  g_free (data);
}

static void
enroll_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  EnrollData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PtReference) ref = pt_reference_load_default (&error);
  g_autoptr(PtStore) store = NULL;

  if (ref != NULL)
    store = pt_store_open (data->db_path, ref, &error);
  if (store == NULL
      || !pt_sync_enroll (store, data->server_url, data->code, data->ca_file, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
pt_sync_enroll_async (const char          *db_path,
                      const char          *server_url,
                      const char          *code,
                      const char          *ca_file,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  EnrollData *data = g_new0 (EnrollData, 1);

  g_return_if_fail (db_path != NULL && server_url != NULL && code != NULL);

  data->db_path = g_strdup (db_path);
  data->server_url = g_strdup (server_url);
  data->code = g_strdup (code);
  data->ca_file = g_strdup (ca_file);
  g_task_set_source_tag (task, pt_sync_enroll_async);
  g_task_set_task_data (task, data, (GDestroyNotify) enroll_data_free);
  g_task_run_in_thread (task, enroll_thread);
}

gboolean
pt_sync_enroll_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pt_sync_enroll_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
