/* ptctl-case.c: paotuanctl case new | event | list | show */
#define G_LOG_DOMAIN "paotuanctl"

#include <glib/gi18n-lib.h>

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
    { "json", 0, 0, G_OPTION_ARG_FILENAME, &json_path, N_("The intake (docs/events.md); - for standard input"), "FILE" },
    { "as", 0, 0, G_OPTION_ARG_STRING, &author, N_("The runner recording it (default: the desk's runner)"), "RUNNER" },
    { NULL }
  };

  if (!ptctl_parse (ctx, "new --json FILE|-", N_("Records an intake (受理) and prints the new case number."),
                    entries, &argc, &argv, &status))
    return status;
  if (json_path == NULL || argc != 2)
    return ptctl_usage_error (_("case new needs --json FILE (or - for standard input)."));
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

/* The warning of a state with a provisional due date: the year without a
 * table it was counted through. */
static void
warn_provisional (PtCalendar        *calendar,
                  const PtCaseState *state)
{
  for (guint i = 0; i < state->steps->len; i++)
    {
      PtStep *step = g_ptr_array_index (state->steps, i);
      if (step->provisional && step->submitted_on != NULL)
        {
          ptctl_warn_provisional (calendar, step->submitted_on, step->due ? step->due : step->submitted_on);
          return;
        }
    }
}

/* A due date, marked when it is provisional. */
static char *
due_text (const char *due,
          gboolean    provisional)
{
  /* TRANSLATORS: a due date counted through a year without a holiday table. */
  return provisional ? g_strdup_printf (_("%s (provisional)"), due) : g_strdup (due);
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
    { "json", 0, 0, G_OPTION_ARG_FILENAME, &json_path, N_("The event {\"type\", \"payload\"}; - for standard input"), "FILE" },
    { NULL }
  };

  if (!ptctl_parse (ctx, "event NUMBER --json FILE|-", N_("Appends one event to a case (docs/events.md)."),
                    entries, &argc, &argv, &status))
    return status;
  if (json_path == NULL || argc != 3)
    return ptctl_usage_error (_("case event needs a case NUMBER and --json FILE (or -)."));
  request = read_json_object (json_path, &error);
  if (request == NULL)
    return ptctl_fail (error);

  members = json_object_get_members (request);
  for (GList *l = members; l; l = l->next)
    if (!g_strv_contains (known, l->data))
      {
        g_printerr (_("paotuanctl: %s is not a field of an event: give type, payload and optionally author.\n"),
                    (const char *) l->data);
        return PTCTL_EXIT_NO;
      }
  if (!pt_event_type_from_string (pt_json_get_string (request, "type"), &type))
    {
      g_printerr (_("paotuanctl: there is no event type “%s”: see docs/events.md for the types.\n"),
                  pt_json_get_string (request, "type") ? pt_json_get_string (request, "type") : "");
      return PTCTL_EXIT_NO;
    }
  if (type == PT_EVENT_INTAKE)
    {
      g_printerr ("%s\n", _("paotuanctl: an intake makes a new case: use `paotuanctl case new`."));
      return PTCTL_EXIT_NO;
    }
  payload = pt_json_get_object (request, "payload");
  if (payload == NULL)
    {
      g_printerr ("%s\n", _("paotuanctl: the event needs its “payload” as an object."));
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
  /* A step submitted now may be due in a year without a table. */
  {
    g_autoptr(PtCaseState) state = pt_store_load_case (store, case_id, NULL);
    if (state != NULL)
      warn_provisional (pt_store_get_reference (store)->calendar, state);
  }
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
    { "search", 0, 0, G_OPTION_ARG_STRING, &search, N_("Number, name, ID tail, item or note"), "TEXT" },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status_text, N_("accepted, agreed, assigned, planned, in_progress, suspended, delivered or terminated"), "STATUS" },
    { "overdue", 0, 0, G_OPTION_ARG_NONE, &overdue, N_("Only cases past their due date"), NULL },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("At most this many (default 100)"), "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!ptctl_parse (ctx, "list [--search TEXT] [--status STATUS] [--json]", N_("Lists cases, newest first."),
                    entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return ptctl_usage_error (_("case list takes no arguments."));
  pt_case_query_init (&query);
  if (status_text != NULL)
    {
      if (!pt_case_status_from_string (status_text, &case_status))
        return ptctl_usage_error (_("--status must be accepted, agreed, assigned, planned, in_progress, suspended, delivered or terminated."));
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
        g_autofree char *due = NULL;

        if (row->due != NULL)
          {
            g_autofree char *date = due_text (row->due, row->due_provisional);
            due = g_strdup_printf (_("due %s"), date);
          }
        g_print ("%s  %s  %s  %s%s%s\n", row->number, pt_case_status_name (row->status), row->applicant,
                 row->items, due ? "  " : "", due ? due : "");
      }
  /* The list's rows hold no step: the first provisional row tells the
   * year from its intake to its due date. */
  for (guint i = 0; i < rows->len; i++)
    {
      PtCaseRow *row = g_ptr_array_index (rows, i);
      if (row->due_provisional)
        {
          ptctl_warn_provisional (pt_store_get_reference (store)->calendar, row->intake_date, row->due);
          break;
        }
    }
  return PTCTL_EXIT_OK;
}

static void
print_case (PtStore           *store,
            const PtCaseState *state,
            GPtrArray         *events)
{
  g_autoptr(PtRunner) runner = state->runner ? pt_store_get_runner (store, state->runner, NULL) : NULL;
  const PtUnit *unit = pt_district_lookup (pt_store_get_reference (store)->district, state->unit);

  g_print ("%s  %s\n", state->number, pt_case_status_name (state->status));
  g_print (_("Applicant: %s (%s) %s\n"), state->applicant_name,
           g_strcmp0 (state->applicant_kind, "enterprise") == 0 ? _("enterprise") : _("person"),
           state->id_number ? state->id_number : state->uscc ? state->uscc : "");
  g_print (_("Phone: %s\n"), state->phone);
  g_print (_("Address: %s\n"), state->address);
  g_print (_("Unit: %s %s (%s)\n"), state->unit, unit ? unit->name : "", pt_level_name (state->level));
  if (runner != NULL)
    g_print (_("Runner: %s %s\n"), runner->id, runner->name);
  else
    g_print (_("Runner: %s\n"), state->runner ? state->runner : _("not assigned"));
  if (state->due)
    {
      g_autofree char *due = due_text (state->due, state->due_provisional);
      g_print (_("Due: %s\n"), due);
    }
  for (guint i = 0; i < state->steps->len; i++)
    {
      PtStep *step = g_ptr_array_index (state->steps, i);
      g_autofree char *limit = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "time limit %u working day",
                                                             "time limit %u working days", step->limit_days),
                                                step->limit_days);
      g_autofree char *due = step->due ? due_text (step->due, step->provisional) : NULL;
      g_autofree char *due_part = due ? g_strdup_printf (_("due %s"), due) : NULL;
      g_autofree char *stopped = step->stopped_on ? g_strdup_printf (_("clock stopped on %s"), step->stopped_on) : NULL;

      g_print (_("  Step %u (%s): %s · %s · %s · %s"), i + 1, step->id, step->department,
               pt_step_mode_name (step->mode), pt_step_status_name (step->status), limit);
      if (due_part != NULL)
        g_print (" · %s", due_part);
      if (stopped != NULL)
        g_print (" · %s", stopped);
      g_print ("\n");
    }
  for (guint i = 0; i < state->materials->len; i++)
    {
      PtMaterial *material = g_ptr_array_index (state->materials, i);
      if (material->missing)
        g_print (_("  Missing: %s\n"), material->name);
    }
  for (guint i = 0; i < state->conflicts->len; i++)
    {
      PtConflict *conflict = g_ptr_array_index (state->conflicts, i);
      g_print (_("  Conflict: %s %s: %s\n"), conflict->type, conflict->event_id, conflict->reason);
    }
  g_print ("%s\n", _("History:"));
  for (guint i = 0; i < events->len; i++)
    {
      PtEvent *event = g_ptr_array_index (events, i);
      g_autofree char *date = pt_event_local_date (event);
      g_print ("  %s  %s  %s\n", date, pt_event_type_name (event->type), event->author ? event->author : "");
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
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the state and the events as JSON"), NULL },
    { NULL }
  };

  if (!ptctl_parse (ctx, "show NUMBER [--json]", N_("Shows a case: its state and its history."),
                    entries, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return ptctl_usage_error (_("case show needs a case NUMBER."));
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
    print_case (store, state, events);
  warn_provisional (pt_store_get_reference (store)->calendar, state);
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
          g_print ("%s\n"
                   "  paotuanctl case new --json FILE|-\n"
                   "  paotuanctl case event NUMBER --json FILE|-\n"
                   "  paotuanctl case list [--search TEXT] [--status STATUS] [--overdue] [--json]\n"
                   "  paotuanctl case show NUMBER [--json]\n", _("Usage:"));
          return PTCTL_EXIT_OK;
        }
    }
  return ptctl_usage_error (_("case needs new, event, list or show."));
}
