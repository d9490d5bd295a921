/* pt-hlc.c: the hybrid logical clock. */
#define G_LOG_DOMAIN "paotuan-core"

#include "pt-hlc.h"

static gint64
physical_now (PtHlc *hlc)
{
  gint64 wall;

  if (hlc->wall_clock != NULL)
    wall = hlc->wall_clock (hlc->wall_clock_data);
  else
    wall = g_get_real_time () / 1000;
  return wall + hlc->offset_ms;
}

void
pt_hlc_init (PtHlc         *hlc,
             const PtStamp *last)
{
  g_return_if_fail (hlc != NULL);

  memset (hlc, 0, sizeof *hlc);
  if (last != NULL)
    hlc->last = *last;
}

/* A stamp for a new local event: the wall clock if it moved forward,
 * otherwise the last stamp with the counter bumped, so a clock that steps
 * back never reorders this desk's own events. */
void
pt_hlc_now (PtHlc   *hlc,
            PtStamp *out)
{
  gint64 pt = physical_now (hlc);

  if (pt > hlc->last.wall)
    {
      hlc->last.wall = pt;
      hlc->last.counter = 0;
    }
  else
    hlc->last.counter++;
  *out = hlc->last;
}

/* After seeing @remote, every later local stamp is greater than it. */
void
pt_hlc_observe (PtHlc         *hlc,
                const PtStamp *remote)
{
  gint64 pt = physical_now (hlc);
  gint64 wall = MAX (MAX (pt, hlc->last.wall), remote->wall);

  if (wall == hlc->last.wall && wall == remote->wall)
    hlc->last.counter = MAX (hlc->last.counter, remote->counter) + 1;
  else if (wall == hlc->last.wall)
    hlc->last.counter++;
  else if (wall == remote->wall)
    hlc->last.counter = remote->counter + 1;
  else
    hlc->last.counter = 0;
  hlc->last.wall = wall;
}

/* The server's answer carries its clock. A desk whose clock runs behind takes
 * the difference as an offset, so its new stamps are not days in the past; a
 * desk ahead keeps its clock (the server flags stamps too far ahead). */
void
pt_hlc_observe_server (PtHlc  *hlc,
                       gint64  server_wall_ms)
{
  gint64 local = physical_now (hlc) - hlc->offset_ms;

  hlc->offset_ms = server_wall_ms > local ? server_wall_ms - local : 0;
  if (server_wall_ms > hlc->last.wall)
    {
      PtStamp remote = { server_wall_ms, 0 };
      pt_hlc_observe (hlc, &remote);
    }
}

int
pt_stamp_compare (const PtStamp *a,
                  const PtStamp *b)
{
  if (a->wall != b->wall)
    return a->wall < b->wall ? -1 : 1;
  if (a->counter != b->counter)
    return a->counter < b->counter ? -1 : 1;
  return 0;
}
