/* pt-store-private.h: what the store's own files share; never included
 * outside src/core/store/. */
#pragma once

#include <sqlite3.h>
#include <sys/types.h>

#include "pt-hlc.h"
#include "pt-reference.h"
#include "pt-row-set.h"
#include "pt-store.h"

G_BEGIN_DECLS

typedef struct {
  dev_t dev;
  ino_t ino;
} PtFileId;

struct _PtStore {
  sqlite3     *db;
  char        *path;
  PtReference *reference;      /* not owned */
  char        *device_id;
  PtHlc        hlc;
  GHashTable  *statements;     /* SQL text -> sqlite3_stmt, prepared once */
  guint        tx_depth;
  gint64       next_local_seq;  /* in a transaction; 0: not read yet */
  GCancellable *cancellable;   /* interrupts a running query; not owned */
  /* The database and WAL files this connection writes into
   * (check_files () in pt-store.c). */
  PtFileId     db_file;
  PtFileId     wal_file;
  gboolean     files_known;
  gboolean     files_lost;
  /* The last search's matches (pt-store-cases.c), for the count and the
   * pages of the same query while nothing was written. */
  struct {
    char      *key;
    gint64     changes;       /* sqlite3_total_changes64 () */
    gint64     data_version;  /* other connections' commits */
    PtRowSet  *rows;
  } search;
};

/* Sets @error from the connection's last error, naming what was attempted. */
void          pt_store_set_error     (PtStore     *store,
                                      GError     **error,
                                      const char  *what);
gboolean      pt_store_exec          (PtStore     *store,
                                      const char  *sql,
                                      GError     **error);
/* A cached, reset statement: do not finalize it. */
sqlite3_stmt *pt_store_prepare       (PtStore     *store,
                                      const char  *sql,
                                      GError     **error);
/* The integer a one-row query answers; -1 with @error naming @what. */
gint64        pt_store_query_int     (PtStore     *store,
                                      const char  *sql,
                                      const char  *what,
                                      GError     **error);
/* Runs one statement whose parameters follow @types: 't' text, 'i' int64;
 * @what names it in the error. */
gboolean      pt_store_run           (PtStore     *store,
                                      GError     **error,
                                      const char  *what,
                                      const char  *sql,
                                      const char  *types,
                                      ...);
/* Inserts an event row (no fold), with @payload, the canonical JSON of its
 * payload. @local: made on this desk, goes to the outbox. An event already
 * in the log (same case and id) is no error: @inserted is set to FALSE. */
gboolean      pt_store_insert_event  (PtStore       *store,
                                      const PtEvent *event,
                                      const char    *payload,
                                      gboolean       local,
                                      gboolean      *inserted,
                                      GError       **error);
#define EVENT_COLUMNS "id, case_id, wall, counter, device, author, type, payload, seq"

/* An event from a row whose columns are EVENT_COLUMNS. */
PtEvent      *pt_store_event_from_row (sqlite3_stmt  *stmt,
                                       GError       **error);

/* Folds one case from its log and writes the cache rows and the search index.
 */
gboolean      pt_store_refold_case   (PtStore     *store,
                                      const char  *case_id,
                                      GPtrArray   *search,
                                      GError     **error);
/* Saves the HLC's last stamp in meta (inside the caller's transaction). */
gboolean      pt_store_save_hlc      (PtStore     *store,
                                      GError     **error);

/* Writes the cache row of @state and adds its search index entry to
 * @search, for pt_store_search_write () once every cache row of the
 * transaction is written; @changed (nullable) tells whether the cached
 * state differed. */
gboolean      pt_store_write_cache   (PtStore           *store,
                                      const PtCaseState *state,
                                      gboolean          *changed,
                                      GPtrArray         *search,
                                      GError           **error);

/* Extra schema of the sync engine (pt-store-sync.c), run in migration 1. */
const char   *pt_store_sync_schema   (void);

G_END_DECLS
