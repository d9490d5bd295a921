/* bench-sync.c: sync throughput and latency against a real paotuan-server
 * (loopback TLS, throwaway PostgreSQL): pushing 100,000 events, the initial
 * sync of a desk from a server holding them, and 100 simulated desks pushing
 * and pulling at once. Results go to standard output as a Markdown table
 * (BENCHMARKS.md). Usage: bench-sync [--events N] [--desks N] [--seconds S] */
#include <curl/curl.h>

#include "pt-error.h"
#include "pt-json.h"
#include "pt-store-sync.h"
#include "pt-test-env.h"
#include "pt-uuid.h"

static PtTestEnv *env;

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

/* Fills @store's outbox with @n events: cases of one intake and nine notes. */
static void
make_events (PtStore *store,
             guint    n)
{
  g_autofree char *template_case = pt_test_new_case (store, "370304-YC-001", "测试");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) first = pt_store_load_events (store, template_case, &error);
  PtEvent *intake = first->pdata[0];
  guint made = 1;

  g_assert_no_error (error);
  while (made < n)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_event_free);

      for (guint c = 0; c < 100 && made < n; c++)
        {
          g_autofree char *case_id = pt_uuid7_new ();
          g_autofree char *text = pt_json_object_canonical (intake->payload);
          JsonObject *payload = pt_json_parse_object (text, -1, NULL);
          g_autofree char *number = g_strdup_printf ("370304-YC-001-B-%07u", made);

          json_object_set_string_member (payload, "number", number);
          g_ptr_array_add (batch, pt_store_new_event (store, case_id, PT_EVENT_INTAKE, payload, "R-9001"));
          made++;
          for (guint k = 0; k < 9 && made < n; k++, made++)
            {
              JsonObject *note = json_object_new ();
              json_object_set_string_member (note, "text", "基准测试记录");
              g_ptr_array_add (batch, pt_store_new_event (store, case_id, PT_EVENT_NOTE, note, "R-9001"));
            }
        }
      pt_store_append_batch (store, batch, TRUE, &error);
      g_assert_no_error (error);
    }
}

typedef struct {
  char   *token;
  char   *unit;
  char   *device;
  gint64  cursor;
  gint64  device_seq;
  GArray *latencies;   /* double ms */
  guint   errors;
  guint   requests;
  guint   events;
  double  until;
  char   *intake_template;
  gboolean record;
  int     *ready;      /* desks caught up; set to -1 to start */
  int      seconds;
} SimDesk;

static size_t
sink_cb (char *data, size_t size, size_t nmemb, void *user_data)
{
  g_string_append_len (user_data, data, size * nmemb);
  return size * nmemb;
}

static long
timed_request (SimDesk    *d,
               CURL       *c,
               const char *method,
               const char *path,
               const char *body,
               GString    *out)
{
  g_autofree char *url = g_strconcat (env->url, path, NULL);
  g_autofree char *auth = g_strdup_printf ("Authorization: Bearer %s", d->token);
  struct curl_slist *headers = NULL;
  double t0 = now_s (), ms;
  long status = 0;

  g_string_truncate (out, 0);
  headers = curl_slist_append (headers, auth);
  headers = curl_slist_append (headers, "Expect:");
  headers = curl_slist_append (headers, "Content-Type: application/json");
  curl_easy_setopt (c, CURLOPT_URL, url);
  curl_easy_setopt (c, CURLOPT_CAINFO, env->ca_pem);
  curl_easy_setopt (c, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt (c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt (c, CURLOPT_WRITEFUNCTION, sink_cb);
  curl_easy_setopt (c, CURLOPT_WRITEDATA, out);
  curl_easy_setopt (c, CURLOPT_TIMEOUT, 30L);
  if (body)
    {
      curl_easy_setopt (c, CURLOPT_POSTFIELDS, body);
      curl_easy_setopt (c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) strlen (body));
    }
  else
    curl_easy_setopt (c, CURLOPT_HTTPGET, 1L);
  if (curl_easy_perform (c) == CURLE_OK)
    curl_easy_getinfo (c, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all (headers);
  ms = (now_s () - t0) * 1000;
  if (!d->record)
    return status;
  g_array_append_val (d->latencies, ms);
  d->requests++;
  if (status != 200)
    d->errors++;
  return status;
}

/* One simulated desk: every second, push a new case of 5 events, then pull
 * what changed in its village. */
static gpointer
sim_thread (gpointer data)
{
  SimDesk *d = data;
  CURL *c = curl_easy_init ();
  g_autoptr(GString) out = g_string_new (NULL);

  /* A desk in service has synced before: catch up first, unmeasured. */
  for (gboolean more = TRUE; more;)
    {
      g_autofree char *path = g_strdup_printf ("/v1/changes?since=%" G_GINT64_FORMAT "&limit=5000", d->cursor);
      g_autoptr(JsonNode) root = NULL;

      more = FALSE;
      if (timed_request (d, c, "GET", path, NULL, out) == 200
          && (root = json_from_string (out->str, NULL)) != NULL)
        {
          d->cursor = pt_json_get_int (json_node_get_object (root), "next", d->cursor);
          more = pt_json_get_bool (json_node_get_object (root), "more", FALSE);
        }
    }
  g_atomic_int_inc (d->ready);
  while (g_atomic_int_get (d->ready) > 0 && now_s () < d->until)
    g_usleep (10 * 1000);
  d->record = TRUE;
  d->until = now_s () + d->seconds;
  g_usleep (g_random_int_range (0, 1000) * 1000);
  while (now_s () < d->until)
    {
      double start = now_s ();
      g_autofree char *case_id = pt_uuid7_new ();
      GString *body = g_string_new ("{\"events\":[");
      gint64 wall = g_get_real_time () / 1000;

      for (guint i = 0; i < 5; i++)
        {
          g_autofree char *id = pt_uuid7_new ();
          g_autofree char *payload = i == 0 ? g_strdup (d->intake_template)
                                            : g_strdup ("{\"text\":\"模拟跟进\"}");
          g_string_append_printf (body,
                                  "%s{\"device_seq\":%" G_GINT64_FORMAT ",\"event\":{\"id\":\"%s\",\"case\":\"%s\","
                                  "\"wall\":%" G_GINT64_FORMAT ",\"counter\":%u,\"device\":\"%s\",\"author\":\"R-9001\","
                                  "\"type\":\"%s\",\"payload\":%s}}",
                                  i ? "," : "", d->device_seq + 1 + i, id, case_id, wall, i, d->device,
                                  i == 0 ? "intake" : "note", payload);
        }
      g_string_append (body, "]}");
      if (timed_request (d, c, "POST", "/v1/events", body->str, out) == 200)
        {
          d->device_seq += 5;
          d->events += 5;
        }
      g_string_free (body, TRUE);
      {
        g_autofree char *path = g_strdup_printf ("/v1/changes?since=%" G_GINT64_FORMAT "&limit=500", d->cursor);
        if (timed_request (d, c, "GET", path, NULL, out) == 200)
          {
            g_autoptr(JsonNode) root = json_from_string (out->str, NULL);
            if (root)
              d->cursor = pt_json_get_int (json_node_get_object (root), "next", d->cursor);
          }
      }
      {
        double left = 1.0 - (now_s () - start);
        if (left > 0)
          g_usleep (left * 1e6);
      }
    }
  curl_easy_cleanup (c);
  return NULL;
}

/* Pushes @n events as one enrolled device would, in batches of @batch, over
 * one connection: cases of an intake and nine notes. */
static double
push_raw (const char *unit,
          const char *intake_template,
          int         n,
          int         batch)
{
  SimDesk d = { 0 };
  CURL *c = curl_easy_init ();
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *code = pt_test_env_enroll_code (env, unit, "bulk");
  g_autofree char *body = g_strdup_printf ("{\"code\": \"%s\"}", code);
  g_autofree char *answer = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *case_id = NULL;
  double t0;
  int made = 0;

  g_assert_cmpint (pt_test_http (env, "POST", "/v1/enroll", NULL, body, &answer), ==, 200);
  root = json_from_string (answer, NULL);
  d.token = g_strdup (json_object_get_string_member (json_node_get_object (root), "token"));
  d.device = g_strdup (json_object_get_string_member (json_node_get_object (root), "device"));
  d.latencies = g_array_new (FALSE, FALSE, sizeof (double));
  t0 = now_s ();
  while (made < n)
    {
      GString *req = g_string_new ("{\"events\":[");
      gint64 wall = g_get_real_time () / 1000;

      for (int i = 0; i < batch && made < n; i++, made++)
        {
          g_autofree char *id = pt_uuid7_new ();
          gboolean intake = made % 10 == 0;

          if (intake)
            {
              g_free (case_id);
              case_id = pt_uuid7_new ();
            }
          g_string_append_printf (req,
                                  "%s{\"device_seq\":%d,\"event\":{\"id\":\"%s\",\"case\":\"%s\","
                                  "\"wall\":%" G_GINT64_FORMAT ",\"counter\":%d,\"device\":\"%s\",\"author\":\"R-9001\","
                                  "\"type\":\"%s\",\"payload\":%s}}",
                                  i ? "," : "", made + 1, id, case_id, wall, i, d.device,
                                  intake ? "intake" : "note",
                                  intake ? intake_template : "{\"text\":\"基准测试记录\"}");
        }
      g_string_append (req, "]}");
      if (timed_request (&d, c, "POST", "/v1/events", req->str, out) != 200)
        g_error ("bulk push failed: %s", out->str);
      g_string_free (req, TRUE);
    }
  curl_easy_cleanup (c);
  g_array_unref (d.latencies);
  g_free (d.token);
  g_free (d.device);
  return now_s () - t0;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

int
main (int   argc,
      char *argv[])
{
  int n_events = 100000, n_desk_events = 10000, n_desks = 100, seconds = 60;
  GOptionEntry entries[] = {
    { "events", 0, 0, G_OPTION_ARG_INT, &n_events, "Events to push and pull", "N" },
    { "desk-events", 0, 0, G_OPTION_ARG_INT, &n_desk_events, "Events a real desk pushes", "N" },
    { "desks", 0, 0, G_OPTION_ARG_INT, &n_desks, "Simulated desks", "N" },
    { "seconds", 0, 0, G_OPTION_ARG_INT, &seconds, "Duration of the many-desk run", "S" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PtStore) source = NULL;
  g_autoptr(PtStore) target = NULL;
  PtSyncReport report = { 0 };
  PtSyncOptions options;
  double t0, push_s, pull_s;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  curl_global_init (CURL_GLOBAL_DEFAULT);
  env = pt_test_env_new ("workers=8\n");
  if (env == NULL)
    return 77;

  g_print ("| scenario | result |\n|---|---|\n");

  /* A real desk: its outbox, the pushes, the acknowledgements. */
  source = pt_test_env_desk (env, "370304-YC-001", NULL);
  t0 = now_s ();
  make_events (source, n_desk_events);
  g_printerr ("made %d events on the source desk in %.1f s\n", n_desk_events, now_s () - t0);
  pt_sync_options_init (&options);
  t0 = now_s ();
  pt_sync_run (source, &options, &report, NULL, &error);
  g_assert_no_error (error);
  push_s = now_s () - t0;
  g_assert_cmpint (report.pushed, ==, n_desk_events);
  g_print ("| a desk pushes %d events (paotuanctl sync, batches of 500) | %.1f s, %.0f events/s |\n",
           n_desk_events, push_s, n_desk_events / push_s);

  /* The server's side of pushing n_events: one device, batches of 500. */
  {
    g_autofree char *bulk_case = pt_test_new_case (source, "370304-YC-001", "批量");
    g_autoptr(GPtrArray) first = pt_store_load_events (source, bulk_case, &error);
    JsonObject *payload = ((PtEvent *) first->pdata[0])->payload;
    g_autofree char *intake = NULL;

    json_object_set_string_member (payload, "unit", "370304-YC-002");
    intake = pt_json_object_canonical (payload);
    push_s = push_raw ("370304-YC-002", intake, n_events, 500);
  }
  g_print ("| push %d events to the server (one device, batches of 500) | %.1f s, %.0f events/s |\n",
           n_events, push_s, n_events / push_s);

  /* Initial sync of a town desk whose scope holds all of them. */
  target = pt_test_env_desk (env, "370304-YC", NULL);
  t0 = now_s ();
  pt_sync_run (target, &options, &report, NULL, &error);
  g_assert_no_error (error);
  pull_s = now_s () - t0;
  g_print ("| initial sync of a desk: %" G_GINT64_FORMAT " events of its scope (pages of 1000) | %.1f s, %.0f events/s |\n",
           report.pulled, pull_s, report.pulled / pull_s);

  {
    g_autofree SimDesk *desks = g_new0 (SimDesk, n_desks);
    g_autofree GThread **threads = g_new0 (GThread *, n_desks);
    g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(PtDistrict) district = NULL;
    g_autoptr(GPtrArray) villages = g_ptr_array_new ();
    g_autoptr(JsonObject) intake = NULL;
    guint requests = 0, errors = 0, events = 0;
    int ready = 0;
    double until;

    for (guint i = 0; i < pt_district_get_n_units (env->reference->district); i++)
      {
        const PtUnit *u = pt_district_get_unit (env->reference->district, i);
        if (u->level == PT_LEVEL_VILLAGE)
          g_ptr_array_add (villages, u->code);
      }
    {
      g_autofree char *sim_case = pt_test_new_case (source, "370304-YC-001", "模拟");
      g_autoptr(GPtrArray) first = pt_store_load_events (source, sim_case, &error);
      intake = json_object_ref (((PtEvent *) first->pdata[0])->payload);
    }
    for (int i = 0; i < n_desks; i++)
      {
        const char *unit = villages->pdata[i % villages->len];
        g_autofree char *code = pt_test_env_enroll_code (env, unit, "sim");
        g_autofree char *body = g_strdup_printf ("{\"code\": \"%s\"}", code);
        g_autofree char *answer = NULL;
        g_autoptr(JsonNode) root = NULL;
        JsonObject *obj;

        g_assert_cmpint (pt_test_http (env, "POST", "/v1/enroll", NULL, body, &answer), ==, 200);
        root = json_from_string (answer, NULL);
        obj = json_node_get_object (root);
        desks[i].token = g_strdup (json_object_get_string_member (obj, "token"));
        desks[i].device = g_strdup (json_object_get_string_member (obj, "device"));
        desks[i].unit = g_strdup (unit);
        desks[i].latencies = g_array_new (FALSE, FALSE, sizeof (double));
        json_object_set_string_member (intake, "unit", unit);
        desks[i].intake_template = pt_json_object_canonical (intake);
      }
    until = now_s () + 600;
    for (int i = 0; i < n_desks; i++)
      {
        desks[i].until = until;
        desks[i].ready = &ready;
        desks[i].seconds = seconds;
        threads[i] = g_thread_new ("sim", sim_thread, &desks[i]);
      }
    /* Start the measured window once every desk has caught up. */
    while (g_atomic_int_get (&ready) < n_desks)
      g_usleep (10 * 1000);
    g_atomic_int_set (&ready, -1);
    for (int i = 0; i < n_desks; i++)
      {
        g_thread_join (threads[i]);
        g_array_append_vals (all, desks[i].latencies->data, desks[i].latencies->len);
        requests += desks[i].requests;
        errors += desks[i].errors;
        events += desks[i].events;
      }
    g_array_sort (all, compare_double);
    g_print ("| %d desks for %d s, each pushing a 5-event case and pulling every second | "
             "%u requests (%.0f/s), %u events stored, %u errors, p50 %.1f ms, p99 %.1f ms |\n",
             n_desks, seconds, requests, requests / (double) seconds, events, errors,
             all->len ? g_array_index (all, double, all->len / 2) : 0.0,
             all->len ? g_array_index (all, double, (guint) (all->len * 0.99)) : 0.0);
  }
  pt_store_close (g_steal_pointer (&source));
  pt_store_close (g_steal_pointer (&target));
  pt_test_env_free (env);
  return 0;
}
