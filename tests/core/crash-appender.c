/* crash-appender: appends events to a case one by one and prints each id on
 * standard output after pt_store_append () returned; the crash test kills it
 * with SIGKILL at a random moment. */
#include <stdio.h>

#include "pt-json.h"
#include "pt-reference.h"
#include "pt-store.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtReference) reference = pt_reference_load_default (&error);
  g_autoptr(PtStore) store = NULL;

  if (argc != 3 || reference == NULL)
    return 2;
  store = pt_store_open (argv[1], reference, &error);
  if (store == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  for (guint i = 0;; i++)
    {
      g_autofree char *text = g_strdup_printf ("第 %u 条跟踪记录：已电话联系审批部门", i);
      JsonObject *payload = json_object_new ();
      g_autoptr(PtEvent) event = NULL;

      json_object_set_string_member (payload, "text", text);
      event = pt_store_new_event (store, argv[2], PT_EVENT_NOTE, payload, "R-0001");
      if (!pt_store_append (store, event, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      printf ("%s\n", event->id);
      fflush (stdout);
    }
}
