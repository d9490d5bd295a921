/* pt-fault-proxy.h: a small TCP proxy on loopback that injects faults
 * between a desk and the server: cut a connection once the request went
 * through (the server commits, the answer is lost), cut it mid-request, or
 * delay every chunk. It works below TLS, so it never sees the plain text. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PtFaultProxy PtFaultProxy;

PtFaultProxy *pt_fault_proxy_new            (guint         upstream_port);
guint         pt_fault_proxy_get_port       (PtFaultProxy *proxy);
/* The next @n connections: server bytes that come after the client has been
 * quiet for @quiet_ms (an answer, not the TLS handshake) are dropped and both
 * sides closed: the server did the work, the client never hears of it. */
void          pt_fault_proxy_drop_answers   (PtFaultProxy *proxy,
                                             guint         quiet_ms,
                                             guint         n);
/* The next @n connections: closed after @bytes of the client's data went
 * through (the request never completes). */
void          pt_fault_proxy_cut_requests   (PtFaultProxy *proxy,
                                             gsize         bytes,
                                             guint         n);
/* Every chunk waits @ms before it is forwarded. */
void          pt_fault_proxy_set_delay      (PtFaultProxy *proxy,
                                             guint         ms);
/* Connections cut so far. */
guint         pt_fault_proxy_get_cuts       (PtFaultProxy *proxy);
void          pt_fault_proxy_free           (PtFaultProxy *proxy);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtFaultProxy, pt_fault_proxy_free)

G_END_DECLS
