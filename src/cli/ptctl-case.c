/* ptctl-case.c: paotuanctl case new | event | list | show */
#define G_LOG_DOMAIN "paotuanctl"

#include "pt-calendar.h"
#include "pt-error.h"
#include "pt-fold.h"
#include "pt-json.h"
#include "pt-reference.h"
#include "ptctl.h"

static JsonObject *
read_json_object (const char  *path,
                  GError     **error)
{
  g_autofree char *text = ptctl_read_input (path, error);

  if (text == NULL)
    return NULL;
  return pt_json_parse_object (text, -1, error);
}

static int
case_new (PtctlContext  *ctx,
          int            argc,
          char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json_path = NULL;
  g_autofree char *author = NULL;
  g_autofree char *number = NULL;
  g_autoptr(JsonObject) request = NULL;
  int status = PTCTL_EXIT_OK;
  PtStore *store;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_FILENAME, &json_path, "The intake (docs/events.md); - for standard input", "FILE" },
    { "as", 0, 0, G_OPTION_ARG_STRING, &author, "The runner recording it (default: the desk's runner)", "RUNNER" },
    { NULL }
  };

  if (!ptctl_parse (ctx, "new --json FILE|-", "Records an intake (受理) and prints the new case number.",
                    entries, &argc, &argv, &status))
    return status;
  if (json_path == NULL || argc != 2)
    return ptctl_usage_error ("case new needs --json FILE (or - for standard input).");
  request = read_json_object (json_path, &error);
  if (request == NULL)
    return ptctl_fail (error);
  store = ptctl_store (ctx, FALSE, &error);
  if (store == NULL)
    return ptctl_fail (error);
  number = pt_store_create_case (store, request, author, &error);
  if (number == NULL)
    return ptctl_fail (error);
  g_print ("%s\n", number);
  return PTCTL_EXIT_OK;
}

static int
case_event (PtctlContext  *ctx,
            int            argc,
            char         **argv)
{
  static const char * const known[] = { "type", "payload", "author", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *json_path = NULL;
  g_autofree char *case_id = NULL;
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(GList) members = NULL;
  g_autoptr(PtEvent) event = NULL;
  int status = PTCTL_EXIT_OK;
  PtEventType type;
  JsonObject *payload;
  PtStore *store;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_FILENAME, &json_path, "The event {\"type\", \"payload\"}; - for standard input", "FILE" },
    { NULL }
  };

  if (!ptctl_parse (ctx, "event NUMBER --json FILE|-", "Appends one event to a case (docs/events.md).",
                    entries, &argc, &argv, &status))
    return status;
  if (json_path == NULL || argc != 3)
    return ptctl_usage_error ("case event needs a case NUMBER and --json FILE (or -).");
  request = read_json_object (json_path, &error);
  if (request == NULL)
    return ptctl_fail (error);

  members = json_object_get_members (request);
  for (GList *l = members; l; l = l->next)
    if (!g_strv_contains (known, l->data))
      {
        g_printerr ("paotuanctl: %s is not a field of an event: give type, payload and optionally author.\n",
                    (const char *) l->data);
        return PTCTL_EXIT_NO;
      }
  if (!pt_event_type_from_string (pt_json_get_string (request, "type"), &type))
    {
      g_printerr ("paotuanctl: unknown event type \"%s\": see docs/events.md for the types.\n",
                  pt_json_get_string (request, "type") ? pt_json_get_string (request, "type") : "(none)");
      return PTCTL_EXIT_NO;
    }
  if (type == PT_EVENT_INTAKE)
    {
      g_printerr ("paotuanctl: an intake makes a new case: use `paotuanctl case new`.\n");
      return PTCTL_EXIT_NO;
    }
  payload = pt_json_get_object (request, "payload");
  if (payload == NULL)
    {
      g_printerr ("paotuanctl: the event needs its \"payload\" as an object.\n");
      return PTCTL_EXIT_NO;
    }

  store = ptctl_store (ctx, FALSE, &error);
  if (store == NULL)
    return ptctl_fail (error);
  case_id = pt_store_resolve_case (store, argv[2], &error);
  if (case_id == NULL)
    return ptctl_fail (error);
  event = pt_store_new_event (store, case_id, type, json_object_ref (payload),
                              pt_json_get_string (request, "author"));
  if (!pt_store_append (store, event, &error))
    return ptctl_fail (error);
  g_print ("%s\n", event->id);
  return PTCTL_EXIT_OK;
}

static JsonNode *
row_to_json (const PtCaseRow *row)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
#define STR(name, value) json_builder_set_member_name (b, name); \
  if (value) json_builder_add_string_value (b, value); else json_builder_add_null_value (b);
  STR ("id", row->id);
  STR ("number", row->number);
  STR ("applicant", row->applicant);
  STR ("items", row->items);
  STR ("runner", row->runner);
  STR ("runner_name", row->runner_name);
  STR ("status", pt_case_status_to_string (row->status));
  STR ("level", pt_level_to_string (row->level));
  STR ("unit", row->unit);
  STR ("intake_date", row->intake_date);
  STR ("due", row->due);
#undef STR
  json_builder_set_member_name (b, "conflicts");
  json_builder_add_int_value (b, row->n_conflicts);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static int
case_list (PtctlContext  *ctx,
           int            argc,
           char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *search = NULL;
  g_autofree char *status_text = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  gboolean json = FALSE, overdue = FALSE;
  int limit = 100, status = PTCTL_EXIT_OK;
  PtCaseQuery query;
  PtCaseStatus case_status;
  PtStore *store;
  GOptionEntry entries[] = {
    { "search", 0, 0, G_OPTION_ARG_STRING, &search, "Number, name, ID tail, item or note", "TEXT" },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status_text, "accepted, agreed, assigned, planned, in_progress, suspended, delivered or terminated", "STATUS" },
    { "overdue", 0, 0, G_OPTION_ARG_NONE, &overdue, "Only cases past their due date", NULL },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "At most this many (default 100)", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { NULL }
  };

  if (!ptctl_parse (ctx, "list [--search TEXT] [--status STATUS] [--json]", "Lists cases, newest first.",
                    entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return ptctl_usage_error ("case list takes no arguments.");
  pt_case_query_init (&query);
  if (status_text != NULL)
    {
      if (!pt_case_status_from_string (status_text, &case_status))
        return ptctl_usage_error ("--status must be accepted, agreed, assigned, planned, in_progress, suspended, delivered or terminated.");
      query.status = case_status;
    }
  query.search = search;
  query.overdue_only = overdue;
  store = ptctl_store (ctx, FALSE, &error);
  if (store == NULL)
    return ptctl_fail (error);
  rows = pt_store_list_cases (store, &query, 0, limit > 0 ? (guint) limit : 100, &error);
  if (rows == NULL)
    return ptctl_fail (error);

  if (json)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      g_autofree char *text = NULL;

      for (guint i = 0; i < rows->len; i++)
        json_array_add_element (array, row_to_json (g_ptr_array_index (rows, i)));
      json_node_set_array (root, array);
      text = json_to_string (root, TRUE);
      g_print ("%s\n", text);
    }
  else
    for (guint i = 0; i < rows->len; i++)
      {
        PtCaseRow *row = g_ptr_array_index (rows, i);
        g_print ("%s  %-6s  %s  %s%s%s\n", row->number, pt_case_status_label (row->status), row->applicant,
                 row->items, row->due ? "  期限 " : "", row->due ? row->due : "");
      }
  return PTCTL_EXIT_OK;
}

static void
print_case (const PtCaseState *state,
            GPtrArray         *events)
{
  g_print ("%s  %s\n", state->number, pt_case_status_label (state->status));
  g_print ("申请人  %s（%s）%s\n", state->applicant_name,
           g_strcmp0 (state->applicant_kind, "enterprise") == 0 ? "企业" : "个人",
           state->id_number ? state->id_number : state->uscc ? state->uscc : "");
  g_print ("电话    %s\n地址    %s\n", state->phone, state->address);
  g_print ("单位    %s（%s）\n", state->unit, pt_level_label (state->level));
  g_print ("跑手    %s\n", state->runner ? state->runner : "未指派");
  if (state->due)
    g_print ("期限    %s\n", state->due);
  for (guint i = 0; i < state->steps->len; i++)
    {
      PtStep *step = g_ptr_array_index (state->steps, i);
      g_print ("  步骤 %s  %s  %s  %s  时限 %u 个工作日%s%s\n", step->id, step->department,
               pt_step_mode_label (step->mode), pt_step_status_label (step->status), step->limit_days,
               step->due ? "  到期 " : "", step->due ? step->due : "");
    }
  for (guint i = 0; i < state->conflicts->len; i++)
    {
      PtConflict *conflict = g_ptr_array_index (state->conflicts, i);
      g_print ("  冲突 %s %s: %s\n", conflict->type, conflict->event_id, conflict->reason);
    }
  g_print ("记录\n");
  for (guint i = 0; i < events->len; i++)
    {
      PtEvent *event = g_ptr_array_index (events, i);
      g_autofree char *date = pt_event_local_date (event);
      g_print ("  %s  %s  %s\n", date, pt_event_type_label (event->type), event->author ? event->author : "");
    }
}

static int
case_show (PtctlContext  *ctx,
           int            argc,
           char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *case_id = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(PtCaseState) state = NULL;
  gboolean json = FALSE;
  int status = PTCTL_EXIT_OK;
  PtStore *store;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the state and the events as JSON", NULL },
    { NULL }
  };

  if (!ptctl_parse (ctx, "show NUMBER [--json]", "Shows a case: its state and its history.",
                    entries, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return ptctl_usage_error ("case show needs a case NUMBER.");
  store = ptctl_store (ctx, FALSE, &error);
  if (store == NULL)
    return ptctl_fail (error);
  case_id = pt_store_resolve_case (store, argv[2], &error);
  if (case_id == NULL)
    return ptctl_fail (error);
  events = pt_store_load_events (store, case_id, &error);
  if (events == NULL)
    return ptctl_fail (error);
  state = pt_fold (events, pt_store_get_reference (store)->calendar);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "case");
      json_builder_add_value (b, pt_case_state_to_json (state));
      json_builder_set_member_name (b, "events");
      json_builder_begin_array (b);
      for (guint i = 0; i < events->len; i++)
        json_builder_add_value (b, pt_event_to_json (g_ptr_array_index (events, i)));
      json_builder_end_array (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      text = json_to_string (root, TRUE);
      g_print ("%s\n", text);
    }
  else
    print_case (state, events);
  return PTCTL_EXIT_OK;
}

int
ptctl_case (PtctlContext  *ctx,
            int            argc,
            char         **argv)
{
  if (argc >= 2)
    {
      if (g_str_equal (argv[1], "new"))
        return case_new (ctx, argc, argv);
      if (g_str_equal (argv[1], "event"))
        return case_event (ctx, argc, argv);
      if (g_str_equal (argv[1], "list"))
        return case_list (ctx, argc, argv);
      if (g_str_equal (argv[1], "show"))
        return case_show (ctx, argc, argv);
      if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
        {
          g_print ("Usage:\n"
                   "  paotuanctl case new --json FILE|-\n"
                   "  paotuanctl case event NUMBER --json FILE|-\n"
                   "  paotuanctl case list [--search TEXT] [--status STATUS] [--overdue] [--json]\n"
                   "  paotuanctl case show NUMBER [--json]\n");
          return PTCTL_EXIT_OK;
        }
    }
  return ptctl_usage_error ("case needs new, event, list or show.");
}
