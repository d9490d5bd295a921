/* pt-printer.h: a case's PDF sent to a CUPS queue as it is.
 *
 * The desk prints the bytes it rendered and recorded (their SHA-256 is what
 * agreement_signed and document_printed name), never a re-rendering of its
 * pages: the job's document is the PDF itself, A4, unscaled, with the
 * copies the document asks for. This talks to CUPS with libcups directly,
 * not through GTK's print dialog, whose CUPS backend lists no printer and
 * spins with Debian 12's libcups2 2.4.2-3+deb12u10 (OpenPrinting/cups#1429);
 * docs/documents.md says more. Every call blocks (network, a local
 * socket): run them on a thread. The server is libcups' own choice
 * ($CUPS_SERVER, ~/.cups/client.conf, /etc/cups/client.conf).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char     *name;         /* the queue: "HP_LaserJet_M1136" */
  char     *info;         /* its description, or NULL */
  char     *location;     /* or NULL */
  gboolean  is_default;
  gboolean  accepting;    /* the queue takes jobs */
  char     *state_reason; /* why it does not, or NULL */
} PtPrinter;

void       pt_printer_free        (PtPrinter *printer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtPrinter, pt_printer_free)

/* The print queues CUPS knows, the default first. An error
 * (PT_ERROR_NETWORK) when CUPS does not answer within @timeout_ms: it is
 * not running, or not reachable. An empty array when it has no queue. */
GPtrArray *pt_printer_list        (guint        timeout_ms,
                                   GError     **error);

/* Sends @pdf to @printer as one job titled @title, @copies times; returns
 * the job id (> 0), or 0 with @error saying why CUPS refused it. */
int        pt_printer_submit      (const char  *printer,
                                   GBytes      *pdf,
                                   const char  *title,
                                   int          copies,
                                   GError     **error);

typedef enum {
  PT_JOB_COMPLETED,       /* the printer has it all */
  PT_JOB_PENDING,         /* still queued or printing when the wait ended */
} PtJobOutcome;

/* Waits up to @timeout_ms for job @job_id of @printer to finish. An error
 * when the job was stopped, cancelled or aborted (the printer's reason in
 * the message) or vanished. */
gboolean   pt_printer_wait_job    (const char   *printer,
                                   int           job_id,
                                   guint         timeout_ms,
                                   PtJobOutcome *outcome,
                                   GError      **error);

G_END_DECLS
