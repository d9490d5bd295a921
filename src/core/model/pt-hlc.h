/* pt-hlc.h: hybrid logical clock stamps (wall milliseconds, counter, device).
 *
 * A stamp orders events across desks whose wall clocks disagree: it never goes
 * backwards on one desk, and after a desk has seen a stamp it only makes larger
 * ones (Kulkarni et al., "Logical Physical Clocks", 2014).
 */
#pragma once

#include <glib.h>

#include "pt-types.h"

G_BEGIN_DECLS

typedef struct {
  gint64  wall;     /* milliseconds since the Unix epoch */
  guint32 counter;  /* orders stamps within the same millisecond */
} PtStamp;

typedef gint64 (*PtWallClockFunc) (gpointer user_data);

struct _PtHlc {
  PtStamp         last;
  PtWallClockFunc wall_clock;    /* NULL: g_get_real_time () / 1000 */
  gpointer        wall_clock_data;
  gint64          offset_ms;     /* added to the wall clock: the server's correction */
};

void     pt_hlc_init            (PtHlc         *hlc,
                                 const PtStamp *last);
void     pt_hlc_now             (PtHlc         *hlc,
                                 PtStamp       *out);
void     pt_hlc_observe         (PtHlc         *hlc,
                                 const PtStamp *remote);
void     pt_hlc_observe_server  (PtHlc         *hlc,
                                 gint64         server_wall_ms);
int      pt_stamp_compare       (const PtStamp *a,
                                 const PtStamp *b);

G_END_DECLS
