/* pt-printer.c: CUPS queues and jobs through libcups. */
#define G_LOG_DOMAIN "pt-printer"

#include <cups/cups.h>
#include <glib/gi18n-lib.h>

#include "pt-error.h"
#include "pt-printer.h"

void
pt_printer_free (PtPrinter *printer)
{
  if (printer == NULL)
    return;
  g_free (printer->name);
  g_free (printer->info);
  g_free (printer->location);
  g_free (printer->state_reason);
  g_free (printer);
}

/* A connection to the scheduler that gives up after @timeout_ms, where
 * libcups' own default would wait for minutes. */
static http_t *
connect_cups (guint    timeout_ms,
              GError **error)
{
  http_t *http = httpConnect2 (cupsServer (), ippPort (), NULL, AF_UNSPEC,
                               cupsEncryption (), 1, (int) timeout_ms, NULL);

  if (http == NULL)
    g_set_error (error, PT_ERROR, PT_ERROR_NETWORK,
                 _("The print service (CUPS, at %s) does not answer: is it installed and running?"),
                 cupsServer ());
  return http;
}

static char *
option_or_null (cups_dest_t *dest,
                const char  *name)
{
  const char *value = cupsGetOption (name, dest->num_options, dest->options);

  return value != NULL && value[0] != '\0' ? g_strdup (value) : NULL;
}

static int
compare_printers (gconstpointer a,
                  gconstpointer b)
{
  const PtPrinter *x = *(PtPrinter * const *) a;
  const PtPrinter *y = *(PtPrinter * const *) b;

  if (x->is_default != y->is_default)
    return x->is_default ? -1 : 1;
  return g_strcmp0 (x->name, y->name);
}

GPtrArray *
pt_printer_list (guint     timeout_ms,
                 GError  **error)
{
  http_t *http = connect_cups (timeout_ms, error);
  cups_dest_t *dests = NULL;
  GPtrArray *printers;
  int n;

  if (http == NULL)
    return NULL;
  httpSetTimeout (http, timeout_ms / 1000.0, NULL, NULL);
  n = cupsGetDests2 (http, &dests);
  if (n == 0 && cupsLastError () > IPP_STATUS_OK_EVENTS_COMPLETE
      && cupsLastError () != IPP_STATUS_ERROR_NOT_FOUND)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_NETWORK,
                   _("The print service did not list its printers: %s"), cupsLastErrorString ());
      httpClose (http);
      return NULL;
    }
  printers = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_printer_free);
  for (int i = 0; i < n; i++)
    {
      PtPrinter *printer;
      g_autofree char *accepting = NULL;

      if (dests[i].instance != NULL)
        continue;
      printer = g_new0 (PtPrinter, 1);
      printer->name = g_strdup (dests[i].name);
      printer->info = option_or_null (&dests[i], "printer-info");
      printer->location = option_or_null (&dests[i], "printer-location");
      printer->is_default = dests[i].is_default;
      accepting = option_or_null (&dests[i], "printer-is-accepting-jobs");
      printer->accepting = g_strcmp0 (accepting, "false") != 0;
      printer->state_reason = option_or_null (&dests[i], "printer-state-reasons");
      if (g_strcmp0 (printer->state_reason, "none") == 0)
        g_clear_pointer (&printer->state_reason, g_free);
      g_ptr_array_add (printers, printer);
    }
  cupsFreeDests (n, dests);
  httpClose (http);
  g_ptr_array_sort (printers, compare_printers);
  return printers;
}

int
pt_printer_submit (const char  *printer,
                   GBytes      *pdf,
                   const char  *title,
                   int          copies,
                   GError     **error)
{
  http_t *http;
  cups_option_t *options = NULL;
  int num_options = 0;
  g_autofree char *copies_text = g_strdup_printf ("%d", CLAMP (copies, 1, 99));
  gsize size;
  const char *data = g_bytes_get_data (pdf, &size);
  int job_id;

  g_return_val_if_fail (printer != NULL && pdf != NULL, 0);

  http = connect_cups (10000, error);
  if (http == NULL)
    return 0;
  /* The paper is the document: A4, 1:1, never fitted to the sheet. On a
   * PostScript queue cups-filters' pdftops renders with pdftocairo, which
   * keeps the text and the embedded fonts (its default, Ghostscript, turns
   * these CID fonts into glyph pictures without text). */
  num_options = cupsAddOption ("copies", copies_text, num_options, &options);
  num_options = cupsAddOption ("media", "iso_a4_210x297mm", num_options, &options);
  num_options = cupsAddOption ("print-scaling", "none", num_options, &options);
  num_options = cupsAddOption ("fit-to-page", "false", num_options, &options);
  num_options = cupsAddOption ("pdftops-renderer", "pdftocairo", num_options, &options);

  job_id = cupsCreateJob (http, printer, title, num_options, options);
  cupsFreeOptions (num_options, options);
  if (job_id <= 0)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_NETWORK,
                   _("The printer “%s” did not take the job: %s"), printer, cupsLastErrorString ());
      httpClose (http);
      return 0;
    }
  if (cupsStartDocument (http, printer, job_id, title, CUPS_FORMAT_PDF, 1) != HTTP_STATUS_CONTINUE
      || cupsWriteRequestData (http, data, size) != HTTP_STATUS_CONTINUE
      || cupsFinishDocument (http, printer) > IPP_STATUS_OK_EVENTS_COMPLETE)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_NETWORK,
                   _("The document did not reach the printer “%s”: %s"), printer, cupsLastErrorString ());
      cupsCancelJob2 (http, printer, job_id, 0);
      httpClose (http);
      return 0;
    }
  httpClose (http);
  return job_id;
}

/* The job's state and, when it stopped, why (job-state-message, else the
 * job's reasons). */
static ipp_jstate_t
job_state (http_t     *http,
           int         job_id,
           char      **message,
           gboolean   *found)
{
  g_autofree char *uri = g_strdup_printf ("ipp://localhost/jobs/%d", job_id);
  ipp_t *request = ippNewRequest (IPP_OP_GET_JOB_ATTRIBUTES);
  static const char * const wanted[] = { "job-state", "job-state-message", "job-state-reasons" };
  ipp_t *response;
  ipp_attribute_t *attr;
  ipp_jstate_t state = IPP_JSTATE_PENDING;

  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", NULL, uri);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, cupsUser ());
  ippAddStrings (request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                 G_N_ELEMENTS (wanted), NULL, wanted);
  response = cupsDoRequest (http, request, "/");
  *found = response != NULL && ippGetStatusCode (response) <= IPP_STATUS_OK_EVENTS_COMPLETE;
  if (*found)
    {
      if ((attr = ippFindAttribute (response, "job-state", IPP_TAG_ENUM)) != NULL)
        state = (ipp_jstate_t) ippGetInteger (attr, 0);
      if ((attr = ippFindAttribute (response, "job-state-message", IPP_TAG_TEXT)) != NULL
          && ippGetString (attr, 0, NULL) != NULL && ippGetString (attr, 0, NULL)[0] != '\0')
        *message = g_strdup (ippGetString (attr, 0, NULL));
      else if ((attr = ippFindAttribute (response, "job-state-reasons", IPP_TAG_KEYWORD)) != NULL)
        *message = g_strdup (ippGetString (attr, 0, NULL));
    }
  ippDelete (response);
  return state;
}

gboolean
pt_printer_wait_job (const char    *printer,
                     int            job_id,
                     guint          timeout_ms,
                     PtJobOutcome  *outcome,
                     GError       **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  http_t *http = connect_cups (10000, error);

  *outcome = PT_JOB_PENDING;
  if (http == NULL)
    return FALSE;
  for (;;)
    {
      g_autofree char *message = NULL;
      gboolean found = FALSE;
      ipp_jstate_t state = job_state (http, job_id, &message, &found);

      if (!found)
        {
          g_set_error (error, PT_ERROR, PT_ERROR_NETWORK,
                       _("Job %d on “%s” is gone: the print service no longer knows it. Print again."),
                       job_id, printer);
          httpClose (http);
          return FALSE;
        }
      if (state == IPP_JSTATE_COMPLETED)
        {
          *outcome = PT_JOB_COMPLETED;
          httpClose (http);
          return TRUE;
        }
      if (state == IPP_JSTATE_STOPPED || state == IPP_JSTATE_CANCELED || state == IPP_JSTATE_ABORTED)
        {
          g_set_error (error, PT_ERROR, PT_ERROR_NETWORK,
                       state == IPP_JSTATE_CANCELED ? _("Job %d on “%s” was cancelled (%s).")
                       : _("Job %d on “%s” did not print: %s. Check the printer, then print again."),
                       job_id, printer, message != NULL ? message : "—");
          httpClose (http);
          return FALSE;
        }
      if (g_get_monotonic_time () >= deadline)
        {
          httpClose (http);
          return TRUE;
        }
      g_usleep (200 * G_TIME_SPAN_MILLISECOND);
    }
}
