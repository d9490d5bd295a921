/* pt-demo.h: a realistic district for demonstrations and benchmarks.
 *
 * The demo roster (data/demo/runners.json: runners for every unit, one
 * community deliberately one short, so the seed's minimum shows as a
 * warning), and cases in every state with the whole flow of the seed:
 * materials, one-time notices, agreements, plans with single, parallel and
 * cross-level steps, returns for correction, suspensions, fees with their
 * legal basis, deliveries, terminations, ratings and return visits.
 *
 * The district is realistic for the day it is made ("today"): finished
 * cases spread over the last year, open ones are recent, and the cases in
 * progress are due around today: a few overdue by some working days, about
 * a quarter due within the next three working days, most later. Nothing
 * happens after today. The same seed and today give the same district.
 */
#pragma once

#include "pt-store.h"

G_BEGIN_DECLS

typedef struct _PtDemo PtDemo;

typedef struct {
  guint32     seed;
  const char *today;       /* "YYYY-MM-DD"; NULL: pt_demo_today (NULL) */
  gboolean    history;     /* a district's long history: mostly finished cases, more events each */
} PtDemoOptions;

PtDemo    *pt_demo_new          (PtStore             *store,
                                 const PtDemoOptions *options);
void       pt_demo_free         (PtDemo              *demo);
gboolean   pt_demo_add_runners  (PtDemo              *demo,
                                 GError             **error);
/* The events (PtEvent) of the next case, not yet stored; case @index of
 * @n_cases, older cases first. */
GPtrArray *pt_demo_next_case    (PtDemo              *demo,
                                 guint                index,
                                 guint                n_cases);

/* @today when given, else $PT_TODAY when set (tests, demonstrations of a
 * given day), else pt_date_today (). */
char      *pt_demo_today        (const char          *today);

/* The roster and @n_cases cases, stored in batches in the order they came
 * in. */
gboolean   pt_demo_generate_full (PtStore            *store,
                                 const PtDemoOptions *options,
                                 guint                n_cases,
                                 GError             **error);
/* The same with @seed, today. */
gboolean   pt_demo_generate     (PtStore             *store,
                                 guint                n_cases,
                                 guint32              seed,
                                 GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtDemo, pt_demo_free)

G_END_DECLS
