/* pt-store-sync.h: the store's side of sync: the outbox, pulled pages, the
 * cursor and the quarantine.
 *
 * The sync engine (src/core/sync/) speaks HTTP; every row it reads or writes
 * goes through these functions, so that all SQL stays in the store.
 */
#pragma once

#include "pt-event.h"
#include "pt-store.h"

G_BEGIN_DECLS

/* One event of the outbox with its per-device sequence on the wire. */
typedef struct {
  gint64   device_seq;   /* local_seq - the base fixed at enrollment */
  PtEvent *event;
} PtOutboxEntry;

typedef enum {
  PT_PUSH_STORED,
  PT_PUSH_DUPLICATE,
  PT_PUSH_REJECTED,
} PtPushOutcome;

/* The server's answer for one pushed event. */
typedef struct {
  char          *event_id;
  gint64         device_seq;
  PtPushOutcome  outcome;
  gint64         seq;        /* server sequence when stored or duplicate */
  gboolean       flagged;    /* stamp far ahead of the server's clock */
  char          *reason;     /* when rejected */
} PtPushResult;

/* One item of a pulled page, in server order: an event, or the revocation of
 * a case that left this desk's scope. */
typedef struct {
  gint64   seq;
  PtEvent *event;            /* NULL for a revocation */
  gboolean flagged;
  char    *revoke_case;      /* case id, for a revocation */
} PtPullItem;

/* A rejected event, kept for staff to see. */
typedef struct {
  char *event_id;
  char *case_id;
  char *type;
  char *reason;              /* the server's, in English */
  char *event_json;
  char *at;                  /* ISO 8601, when it came back */
  char *number;              /* the case's, when this desk has it */
  char *applicant;
  char *dismissed_at;        /* NULL while it waits for staff */
  char *dismissed_reason;
} PtQuarantineEntry;

void        pt_outbox_entry_free         (PtOutboxEntry *entry);
void        pt_push_result_free          (PtPushResult *result);
void        pt_pull_item_free            (PtPullItem *item);
void        pt_quarantine_entry_free     (PtQuarantineEntry *entry);
const char *pt_push_outcome_to_string    (PtPushOutcome outcome);
gboolean    pt_push_outcome_from_string  (const char *str,
                                          PtPushOutcome *outcome);

/* Enrollment: stores the server, device, token and unit, and fixes the
 * device-sequence base so that the first unacknowledged local event goes out
 * as device sequence 1. Keeps the cursor when the server is the same. A
 * NULL @token is kept in the keyring (pt-sync-token.h): the database notes
 * only where it is. */
gboolean    pt_store_sync_enroll         (PtStore     *store,
                                          const char  *server_url,
                                          const char  *device,
                                          const char  *token,
                                          const char  *unit,
                                          guint        desk_index,
                                          const char  *ca_file,
                                          GError     **error);
/* Forgets the token (after the server refused it): the desk must enroll again. */
gboolean    pt_store_sync_forget_token   (PtStore     *store,
                                          GError     **error);

/* The oldest @limit events of the outbox, in local order (PtOutboxEntry). */
GPtrArray  *pt_store_sync_outbox         (PtStore     *store,
                                          guint        limit,
                                          GError     **error);
gint64      pt_store_sync_count_pending  (PtStore     *store,
                                          GError     **error);
/* Applies the server's outcomes in one transaction: stored and duplicate
 * events leave the outbox with their server sequence; rejected ones move to
 * the quarantine and out of the log, and their case is folded again. */
gboolean    pt_store_sync_acknowledge    (PtStore     *store,
                                          GPtrArray   *results,
                                          GError     **error);

/* Puts the events this desk numbered above @high_water back into the
 * outbox: the server answered with a gap (it was restored from a backup). */
gboolean    pt_store_sync_requeue        (PtStore     *store,
                                          gint64       high_water,
                                          GError     **error);
/* Cases of this desk with unresolved conflicts. */
gint64      pt_store_sync_count_conflicts (PtStore    *store,
                                          GError     **error);

gint64      pt_store_sync_get_cursor     (PtStore     *store);
/* Applies @items (PtPullItem) and moves the cursor to @next_cursor in one
 * transaction; observes the stamps of unflagged events and @server_time in
 * the HLC. @applied (nullable) counts events new to this desk. */
gboolean    pt_store_sync_apply_page     (PtStore     *store,
                                          GPtrArray   *items,
                                          gint64       next_cursor,
                                          gint64       server_time,
                                          gint64      *applied,
                                          GError     **error);
/* Saves the HLC (after the server's clock was observed). */
gboolean    pt_store_sync_save_clock     (PtStore     *store,
                                          GError     **error);
/* Records the time of a finished sync. */
gboolean    pt_store_sync_mark_done      (PtStore     *store,
                                          GError     **error);

/* What a server's reason means for the clerk, translated: "scope: …" is a
 * case no longer in this desk's unit, and so on. */
char       *pt_quarantine_explain        (const char *reason);
/* Staff dismiss a refused record with @reason: it stays, marked, and no
 * longer counts as waiting. PT_ERROR_NOT_FOUND for an unknown event id,
 * PT_ERROR_INVALID without a reason. */
gboolean    pt_store_sync_dismiss_quarantine (PtStore    *store,
                                              const char *event_id,
                                              const char *reason,
                                              GError    **error);
/* The refused records (PtQuarantineEntry), oldest first; those staff
 * dismissed too when @with_dismissed. */
GPtrArray  *pt_store_sync_list_quarantine (PtStore    *store,
                                          gboolean    with_dismissed,
                                          GError     **error);
gint64      pt_store_sync_count_quarantine (PtStore   *store,
                                          GError     **error);
/* A case this desk handed over: it left the desk's scope by a transfer;
 * what went where, and when. */
typedef struct {
  char *case_id;
  char *number;
  char *applicant;
  char *items;
  char *unit;               /* where it went (its unit when it left) */
  char *at;                 /* ISO 8601, when the desk learnt it */
} PtHandover;

void        pt_handover_free              (PtHandover *handover);
/* The cases handed over since @since (ISO 8601; NULL: all), newest first. */
GPtrArray  *pt_store_sync_list_handed_over (PtStore    *store,
                                            const char *since,
                                            GError    **error);
/* Cases revoked from this desk by a transfer away (case ids). */
GPtrArray  *pt_store_sync_list_revoked   (PtStore     *store,
                                          GError     **error);

/* Reference data from the server: whole files by name, one version. A
 * "runners.json" among them (the district's roster) becomes this desk's
 * runners in the same transaction (pt_store_replace_roster ()); a roster
 * the desk cannot read changes nothing. */
gboolean    pt_store_sync_save_reference (PtStore     *store,
                                          const char  *version,
                                          JsonObject  *files,
                                          GError     **error);
char       *pt_store_sync_get_reference  (PtStore     *store,
                                          const char  *name,
                                          GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtOutboxEntry, pt_outbox_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtPushResult, pt_push_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtPullItem, pt_pull_item_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtQuarantineEntry, pt_quarantine_entry_free)

G_END_DECLS
