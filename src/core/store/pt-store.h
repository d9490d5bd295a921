/* pt-store.h: the desk's one SQLite file: the event log and its cached state.
 *
 * All SQL of the desk lives under src/core/store/. A PtStore is one
 * connection; it is not thread-safe, so the application keeps it on one
 * worker thread. Every write is one transaction: an event and the cache it
 * changes commit together or not at all.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "pt-case-state.h"
#include "pt-district.h"
#include "pt-event.h"
#include "pt-types.h"

G_BEGIN_DECLS

#define PT_STORE_DEFAULT_PAGE 100

typedef struct {
  const char   *search;       /* case number, name (one or two characters too), ID tail, item, note */
  int           status;       /* a PtCaseStatus, or -1 for any */
  int           level;        /* a PtLevel, or -1 */
  const char   *runner;       /* runner id, or NULL */
  const char   *unit;         /* unit code (and the units below it), or NULL */
  gboolean      overdue_only; /* due before @today and not ended */
  const char   *due_from;     /* with @overdue_only: and due on or after this day (NULL: any) */
  gboolean      conflicts_only;
  const char   *today;        /* "YYYY-MM-DD"; NULL: pt_date_today () */
  gboolean      by_due;       /* the earliest due first (the most overdue), not the newest */
  const char   *transferred_to;   /* transferred to this unit ... */
  gint64        transferred_since; /* ... at or after this time (ms), and still open */
} PtCaseQuery;

/* One row of the case list, from the cache. */
typedef struct {
  gint64        rowid;
  char         *id;
  char         *number;
  char         *applicant;
  char         *items;        /* item names, joined by "、" */
  char         *runner;       /* runner id or NULL */
  char         *runner_name;
  PtCaseStatus  status;
  PtLevel       level;
  char         *unit;
  char         *intake_date;
  char         *due;          /* NULL when no clock runs */
  gboolean      due_provisional; /* @due was counted through a year without a holiday table */
  char         *phone;
  char         *address;
  char         *channel;
  char         *vulnerable;
  guint         n_conflicts;
} PtCaseRow;

void         pt_case_row_free        (PtCaseRow *row);
void         pt_case_query_init      (PtCaseQuery *query);

PtStore     *pt_store_open           (const char   *path,
                                      PtReference  *reference,
                                      GError      **error);
void         pt_store_close          (PtStore      *store);
PtReference *pt_store_get_reference  (PtStore      *store);
const char  *pt_store_get_path       (PtStore      *store);
const char  *pt_store_get_device_id  (PtStore      *store);
PtHlc       *pt_store_get_hlc        (PtStore      *store);
/* While @cancellable is set, a query in progress stops (with an error) as
 * soon as it is cancelled: an outdated search gives way to the next one. */
void         pt_store_set_cancellable (PtStore     *store,
                                      GCancellable *cancellable);
/* Caps SQLite's page cache of this connection (32 MB by default, for the
 * batched appends of a sync); the window's connection reads a page of the
 * list at a time and needs far less. */
gboolean     pt_store_limit_cache    (PtStore      *store,
                                      guint         mebibytes,
                                      GError      **error);
/* Re-reads the clock another connection of this desk saved (after a sync). */
void         pt_store_reload_hlc     (PtStore      *store);

/* Settings kept in the database: "unit" (this desk's unit), "runner" (the
 * signed-in runner), "desk_index", sync state. */
char        *pt_store_get_meta       (PtStore      *store,
                                      const char   *key);
gboolean     pt_store_set_meta       (PtStore      *store,
                                      const char   *key,
                                      const char   *value,
                                      GError      **error);

/* Reference rows: units from the district file, runners per unit. */
gboolean     pt_store_import_district (PtStore     *store,
                                      PtDistrict   *district,
                                      GError      **error);
gboolean     pt_store_add_runner     (PtStore      *store,
                                      const PtRunner *runner,
                                      GError      **error);
GPtrArray   *pt_store_list_runners   (PtStore      *store,
                                      const char   *unit,
                                      GError      **error);   /* PtRunner */
PtRunner    *pt_store_get_runner     (PtStore      *store,
                                      const char   *id,
                                      GError      **error);
/* Whether @unit_code is a unit of the district and @runner_id a runner on
 * duty of this desk's roster who works for that unit (either may be NULL
 * or empty: not checked), for the preferences; the error says which is
 * wrong and what to choose. The runners of a unit: pt_store_list_runners (). */
gboolean     pt_store_check_desk     (PtStore      *store,
                                      const char   *unit_code,
                                      const char   *runner_id,
                                      GError      **error);

/* Makes a new event of this desk: a fresh UUIDv7, the next HLC stamp, this
 * device. Takes @payload. */
PtEvent     *pt_store_new_event      (PtStore      *store,
                                      const char   *case_id,
                                      PtEventType   type,
                                      JsonObject   *payload,
                                      const char   *author);

/* Intake: validates @request (docs/events.md), checks the scope for the
 * taking unit's level, gives the case a number, and appends intake,
 * materials_checked when the request has materials, and missing_notice when
 * some of them are missing, in one transaction: every client records the
 * same intake the same way. With "transfer_to" (a unit above the taking
 * one, pt_catalog_transfer_unit ()) the scope is that unit's, and the case
 * is transferred to it in the same transaction (case_transferred). The
 * intake date is not after today. Returns the case number. */
char        *pt_store_create_case    (PtStore      *store,
                                      JsonObject   *request,
                                      const char   *author,
                                      GError      **error);

/* Appends one event made on this desk, in its own transaction, after
 * validating its payload and checking the workflow (pt_workflow_check ()
 * and the rules of an event made now, pt_workflow_check_new (): dates,
 * fees from the catalog, the author and runner on the roster); a refused
 * event writes nothing. */
gboolean     pt_store_append         (PtStore      *store,
                                      PtEvent      *event,
                                      GError      **error);

/* Appends events in one transaction. Events already in the log (same case
 * and id) are skipped. With @check_workflow FALSE (events from sync) an
 * event that does not fit becomes a conflict instead of an error. Each
 * touched case is folded once. */
gboolean     pt_store_append_batch   (PtStore      *store,
                                      GPtrArray    *events,
                                      gboolean      check_workflow,
                                      GError      **error);

char        *pt_store_resolve_case   (PtStore      *store,
                                      const char   *number_or_id,
                                      GError      **error);
GPtrArray   *pt_store_load_events    (PtStore      *store,
                                      const char   *case_id,
                                      GError      **error);   /* PtEvent, in fold order */
PtCaseState *pt_store_load_case      (PtStore      *store,
                                      const char   *case_id,
                                      GError      **error);

GPtrArray   *pt_store_list_cases     (PtStore      *store,
                                      const PtCaseQuery *query,
                                      guint         offset,
                                      guint         limit,
                                      GError      **error);   /* PtCaseRow */
gint64       pt_store_count_cases    (PtStore      *store,
                                      const PtCaseQuery *query,
                                      GError      **error);
/* Counts per status, for the sidebar: @counts has PT_STATUS_N entries. */
gboolean     pt_store_count_by_status (PtStore     *store,
                                      gint64       *counts,
                                      GError      **error);

/* Takes the holiday tables the server sent for years the desk has none of
 * into the calendar, and when the calendar's years differ from those the
 * cases were last folded with (meta "calendar.years"), folds again the
 * cases with a provisional date (cache column "provisional"), so that a
 * date counted by the week becomes exact once its year's table is there.
 * pt_store_open () calls it; call it again after a sync brought reference
 * data. @n_refolded (nullable): how many cases were folded. */
gboolean     pt_store_update_calendar (PtStore     *store,
                                      guint        *n_refolded,
                                      GError      **error);

/* Folds every case again from its log. @differences (nullable) receives the
 * numbers of the cases whose cached state differed. */
gboolean     pt_store_rebuild        (PtStore      *store,
                                      GPtrArray   **differences,
                                      GError      **error);

gboolean     pt_store_integrity_check (PtStore     *store,
                                      GError      **error);

/* Transactions for callers that write several things at once (sync). */
gboolean     pt_store_begin          (PtStore      *store,
                                      GError      **error);
gboolean     pt_store_commit         (PtStore      *store,
                                      GError      **error);
void         pt_store_rollback       (PtStore      *store);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtStore, pt_store_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtCaseRow, pt_case_row_free)

G_END_DECLS
