/* pt-fault-proxy.c: see pt-fault-proxy.h. One thread per connection, poll()
 * over both sockets; loopback only. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pt-fault-proxy.h"

struct _PtFaultProxy {
  int      listen_fd;
  guint    port;
  guint    upstream_port;
  GThread *accept_thread;
  GMutex   lock;
  gboolean stopping;
  guint    drop_quiet_ms;
  guint    drop_n;
  gsize    cut_after;
  guint    cut_n;
  guint    delay_ms;
  guint    cuts;
};

typedef struct {
  PtFaultProxy *proxy;
  int           client;
} Conn;

static int
connect_upstream (guint port)
{
  struct sockaddr_in addr = { 0 };
  int fd = socket (AF_INET, SOCK_STREAM, 0);
  int one = 1;

  addr.sin_family = AF_INET;
  addr.sin_port = htons (port);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (connect (fd, (struct sockaddr *) &addr, sizeof addr) < 0)
    {
      close (fd);
      return -1;
    }
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

static gboolean
write_all (int         fd,
           const char *buf,
           gssize      len)
{
  while (len > 0)
    {
      gssize n = write (fd, buf, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      buf += n;
      len -= n;
    }
  return TRUE;
}

static gpointer
conn_thread (gpointer data)
{
  Conn *conn = data;
  PtFaultProxy *proxy = conn->proxy;
  int upstream = connect_upstream (proxy->upstream_port);
  gsize sent_up = 0;
  gboolean drop = FALSE, cut = FALSE;
  gsize cut_after = 0;
  guint drop_quiet_ms = 0;
  gint64 last_client = g_get_monotonic_time ();
  char buf[16384];

  g_mutex_lock (&proxy->lock);
  if (proxy->drop_n > 0)
    {
      proxy->drop_n--;
      drop = TRUE;
      drop_quiet_ms = proxy->drop_quiet_ms;
    }
  else if (proxy->cut_n > 0)
    {
      proxy->cut_n--;
      cut = TRUE;
      cut_after = proxy->cut_after;
    }
  g_mutex_unlock (&proxy->lock);

  while (upstream >= 0 && !proxy->stopping)
    {
      struct pollfd fds[2] = { { conn->client, POLLIN, 0 }, { upstream, POLLIN, 0 } };
      int rc = poll (fds, 2, 200);

      if (rc < 0 && errno == EINTR)
        continue;
      if (rc < 0)
        break;
      if (rc == 0)
        continue;
      if (fds[0].revents & (POLLIN | POLLHUP | POLLERR))
        {
          gssize n = read (conn->client, buf, sizeof buf);
          if (n <= 0)
            break;
          last_client = g_get_monotonic_time ();
          if (proxy->delay_ms)
            g_usleep (proxy->delay_ms * 1000);
          if (cut && sent_up + n >= cut_after)
            {
              write_all (upstream, buf, cut_after - sent_up);
              g_atomic_int_inc (&proxy->cuts);
              break;
            }
          if (!write_all (upstream, buf, n))
            break;
          sent_up += n;
        }
      if (fds[1].revents & (POLLIN | POLLHUP | POLLERR))
        {
          gssize n = read (upstream, buf, sizeof buf);
          if (n <= 0)
            break;
          if (drop && sent_up > 0
              && g_get_monotonic_time () - last_client >= (gint64) drop_quiet_ms * 1000)
            {
              /* The request went through whole: the server answered, and
               * the answer is lost. */
              g_atomic_int_inc (&proxy->cuts);
              break;
            }
          if (proxy->delay_ms)
            g_usleep (proxy->delay_ms * 1000);
          if (!write_all (conn->client, buf, n))
            break;
        }
    }
  if (upstream >= 0)
    close (upstream);
  close (conn->client);
  g_free (conn);
  return NULL;
}

static gpointer
accept_thread (gpointer data)
{
  PtFaultProxy *proxy = data;

  while (!proxy->stopping)
    {
      struct pollfd pfd = { proxy->listen_fd, POLLIN, 0 };
      Conn *conn;
      int fd;

      if (poll (&pfd, 1, 100) <= 0)
        continue;
      fd = accept (proxy->listen_fd, NULL, NULL);
      if (fd < 0)
        continue;
      conn = g_new0 (Conn, 1);
      conn->proxy = proxy;
      conn->client = fd;
      g_thread_unref (g_thread_new ("proxy-conn", conn_thread, conn));
    }
  return NULL;
}

PtFaultProxy *
pt_fault_proxy_new (guint upstream_port)
{
  PtFaultProxy *proxy = g_new0 (PtFaultProxy, 1);
  struct sockaddr_in addr = { 0 };
  socklen_t len = sizeof addr;
  int one = 1;

  proxy->upstream_port = upstream_port;
  proxy->listen_fd = socket (AF_INET, SOCK_STREAM, 0);
  setsockopt (proxy->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (proxy->listen_fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  g_assert_cmpint (listen (proxy->listen_fd, 64), ==, 0);
  getsockname (proxy->listen_fd, (struct sockaddr *) &addr, &len);
  proxy->port = ntohs (addr.sin_port);
  g_mutex_init (&proxy->lock);
  proxy->accept_thread = g_thread_new ("proxy-accept", accept_thread, proxy);
  return proxy;
}

guint
pt_fault_proxy_get_port (PtFaultProxy *proxy)
{
  return proxy->port;
}

void
pt_fault_proxy_drop_answers (PtFaultProxy *proxy,
                             guint         quiet_ms,
                             guint         n)
{
  g_mutex_lock (&proxy->lock);
  proxy->drop_quiet_ms = quiet_ms;
  proxy->drop_n = n;
  g_mutex_unlock (&proxy->lock);
}

void
pt_fault_proxy_cut_requests (PtFaultProxy *proxy,
                             gsize         bytes,
                             guint         n)
{
  g_mutex_lock (&proxy->lock);
  proxy->cut_after = bytes;
  proxy->cut_n = n;
  g_mutex_unlock (&proxy->lock);
}

void
pt_fault_proxy_set_delay (PtFaultProxy *proxy,
                          guint         ms)
{
  proxy->delay_ms = ms;
}

guint
pt_fault_proxy_get_cuts (PtFaultProxy *proxy)
{
  return g_atomic_int_get (&proxy->cuts);
}

void
pt_fault_proxy_free (PtFaultProxy *proxy)
{
  if (proxy == NULL)
    return;
  proxy->stopping = TRUE;
  g_thread_join (proxy->accept_thread);
  close (proxy->listen_fd);
  /* Connection threads notice within one poll interval. */
  g_usleep (300 * 1000);
  g_mutex_clear (&proxy->lock);
  g_free (proxy);
}
