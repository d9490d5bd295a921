/* fuzz-wire.c: the bytes a desk or the server receives: a push body or a
 * pull page through the core's JSON parser and the event codec. */
#include "pt-fuzz.h"

#include "pt-event.h"
#include "pt-json.h"

static void
events_of (JsonArray  *array,
           const char *member)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonNode *node = element;
      g_autoptr(GError) error = NULL;
      PtEvent *event;

      if (JSON_NODE_HOLDS_OBJECT (element) && json_object_has_member (json_node_get_object (element), member))
        node = json_object_get_member (json_node_get_object (element), member);
      event = pt_event_from_json (node, &error);
      if (event != NULL)
        {
          g_autofree char *text = pt_event_to_string (event);
          PtEvent *again = pt_event_from_string (text, NULL);

          /* What the codec writes it reads back. */
          g_assert_nonnull (again);
          pt_event_free (again);
          pt_event_free (event);
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = pt_json_parse ((const char *) data, (gssize) size, &error);
  JsonObject *object;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;
  object = json_node_get_object (root);
  events_of (pt_json_get_array (object, "events"), "event");   /* a push */
  events_of (pt_json_get_array (object, "items"), "event");    /* a pull page */
  return 0;
}
