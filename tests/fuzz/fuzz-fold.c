/* fuzz-fold.c: event payloads through validation, and a case's events
 * through the fold and the workflow, as a desk meets them from sync. */
#include "pt-fuzz.h"

#include "pt-event.h"
#include "pt-fold.h"
#include "pt-json.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) root = pt_json_parse ((const char *) data, (gssize) size, NULL);
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_event_free);
  JsonArray *array;

  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return 0;
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array) && i < 64; i++)
    {
      PtEvent *event = pt_event_from_json (json_array_get_element (array, i), NULL);

      if (event == NULL)
        continue;
      /* Validation answers for every type, whatever the payload. */
      for (int t = 0; t < PT_EVENT_N_TYPES; t++)
        pt_event_validate_payload (t, event->payload, NULL);
      g_ptr_array_add (events, event);
    }
  if (events->len > 0)
    {
      PtCaseState *state = pt_fold (events, NULL);
      const char *step = NULL;

      if (state != NULL)
        {
          g_free (pt_case_state_to_string (state));
          pt_workflow_next (state, &step);
          pt_case_state_free (state);
        }
    }
  return 0;
}
