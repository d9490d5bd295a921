/* pt-server-auth.c: enrollment codes, bearer tokens and devices.
 *
 * Codes and tokens are secrets: only their SHA-256 is stored, so a copy of
 * the database does not let anyone push as a desk. */
#define G_LOG_DOMAIN "paotuan-server"

#include <sys/random.h>

#include <glib/gi18n-lib.h>

#include "pt-error.h"
#include "pt-server.h"
#include "pt-uuid.h"

/* No 0/O, 1/I/L: a code is read aloud over the phone to a village desk. */
static const char code_alphabet[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

void
pt_device_free (PtDevice *device)
{
  if (device == NULL)
    return;
  g_free (device->id);
  g_free (device->unit);
  g_free (device->path);
  g_free (device->desk);
  g_free (device->event_device);
  g_free (device);
}

static void
random_bytes (guint8 *buf,
              gsize   len)
{
  gsize done = 0;

  while (done < len)
    {
      ssize_t n = getrandom (buf + done, len - done, 0);
      if (n > 0)
        done += n;
    }
}

char *
pt_server_random_token (guint n_bytes)
{
  g_autofree guint8 *buf = g_malloc (n_bytes);
  GString *out = g_string_sized_new (n_bytes * 2);

  random_bytes (buf, n_bytes);
  for (guint i = 0; i < n_bytes; i++)
    g_string_append_printf (out, "%02x", buf[i]);
  return g_string_free (out, FALSE);
}

char *
pt_server_hash_secret (const char *secret)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, secret, -1);
}

/* Upper case, without dashes and spaces: how a code is hashed. */
static char *
normalize_code (const char *code)
{
  GString *out = g_string_new (NULL);

  for (const char *p = code; *p; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (out, g_ascii_toupper (*p));
  return g_string_free (out, FALSE);
}

char *
pt_server_enroll_code (PGconn      *conn,
                       const char  *unit,
                       const char  *desk,
                       guint        valid_hours,
                       GError     **error)
{
  guint8 raw[12];
  char plain[13];
  g_autofree char *hash = NULL;
  g_autofree char *hours = g_strdup_printf ("%u", valid_hours);
  g_autoptr(PGresult) check = NULL;
  g_autoptr(PGresult) res = NULL;
  const char *uparams[] = { unit };
  const char *params[4];

  check = pt_db_query (conn, "SELECT 1 FROM units WHERE code = $1", 1, uparams, error);
  if (check == NULL)
    return NULL;
  if (PQntuples (check) == 0)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_NOT_FOUND,
                   _("There is no unit %s; `paotuan-server units` lists the codes."), unit);
      return NULL;
    }

  random_bytes (raw, sizeof raw);
  for (guint i = 0; i < 12; i++)
    plain[i] = code_alphabet[raw[i] % (sizeof code_alphabet - 1)];
  plain[12] = '\0';
  hash = pt_server_hash_secret (plain);
  params[0] = hash;
  params[1] = unit;
  params[2] = desk;
  params[3] = hours;
  res = pt_db_query (conn,
                     "INSERT INTO enrollments (code_hash, unit, desk, expires) "
                     "VALUES ($1, $2, $3, now() + make_interval(hours => $4::int))",
                     4, params, error);
  if (res == NULL)
    return NULL;
  return g_strdup_printf ("%.4s-%.4s-%.4s", plain, plain + 4, plain + 8);
}

PtDevice *
pt_server_redeem_code (PGconn      *conn,
                       const char  *code,
                       guint        token_days,
                       char       **token,
                       GError     **error)
{
  g_autofree char *norm = normalize_code (code);
  g_autofree char *hash = pt_server_hash_secret (norm);
  g_autofree char *secret = pt_server_random_token (32);
  g_autofree char *token_hash = pt_server_hash_secret (secret);
  g_autofree char *days = g_strdup_printf ("%u", token_days);
  g_autoptr(PtDevice) device = g_new0 (PtDevice, 1);
  g_autoptr(PGresult) res = NULL;
  g_autoptr(PGresult) ins = NULL;
  const char *params[] = { hash };
  const char *dparams[6];
  g_autofree char *index_text = NULL;

  if (!pt_db_exec (conn, "BEGIN", error))
    return NULL;
  /* FOR UPDATE: two desks racing with the same code, only one wins. */
  res = pt_db_query (conn,
                     "SELECT e.unit, e.desk, u.path FROM enrollments e JOIN units u ON u.code = e.unit "
                     "WHERE e.code_hash = $1 AND e.used_by IS NULL AND e.expires > now() FOR UPDATE",
                     1, params, error);
  if (res == NULL)
    goto fail;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_AUTH,
                   _("The enrollment code is unknown, used or expired; "
                     "ask the district for a new one (paotuan-server enroll)."));
      goto fail;
    }
  device->id = pt_uuid7_new ();
  device->unit = g_strdup (PQgetvalue (res, 0, 0));
  /* The desk's index goes into its case numbers, which must be unique
   * without a network. Two desks can number cases of one unit when one's
   * unit is within the other's (a town desk takes a village's intake): the
   * index is the smallest that no such desk has, revoked ones included, so
   * a village desk keeps a one-digit index and a district desk differs from
   * all. The district's row lock serialises enrollments. */
  {
    const char *uparams[] = { PQgetvalue (res, 0, 2) };
    g_autoptr(PGresult) lock = pt_db_query (conn, "SELECT 1 FROM units WHERE parent IS NULL FOR UPDATE", 0, NULL, error);
    g_autoptr(PGresult) used = lock ? pt_db_query (conn,
      "SELECT d.desk_index FROM devices d JOIN units u ON u.code = d.unit "
      "WHERE starts_with (u.path, $1) OR starts_with ($1, u.path) ORDER BY 1", 1, uparams, error) : NULL;
    guint index = 0;

    if (used == NULL)
      goto fail;
    for (int r = 0; r < PQntuples (used); r++)
      {
        guint taken = (guint) g_ascii_strtoull (PQgetvalue (used, r, 0), NULL, 10);
        if (taken == index)
          index++;
        else if (taken > index)
          break;
      }
    device->desk_index = index;
  }
  device->desk = g_strdup (PQgetvalue (res, 0, 1));
  device->path = g_strdup (PQgetvalue (res, 0, 2));
  dparams[0] = device->id;
  dparams[1] = device->unit;
  dparams[2] = device->desk;
  dparams[3] = token_hash;
  dparams[4] = days;
  index_text = g_strdup_printf ("%u", device->desk_index);
  dparams[5] = index_text;
  ins = pt_db_query (conn,
                     "INSERT INTO devices (id, unit, desk, token_hash, expires, desk_index) "
                     "VALUES ($1, $2, $3, $4, now() + make_interval(days => $5::int), $6::int)",
                     6, dparams, error);
  if (ins == NULL)
    goto fail;
  {
    const char *uparams[] = { device->id, hash };
    g_autoptr(PGresult) upd = pt_db_query (conn,
      "UPDATE enrollments SET used_by = $1 WHERE code_hash = $2", 2, uparams, error);
    if (upd == NULL)
      goto fail;
  }
  if (!pt_db_exec (conn, "COMMIT", error))
    goto fail;
  *token = g_steal_pointer (&secret);
  return g_steal_pointer (&device);

fail:
  pt_db_rollback (conn);
  return NULL;
}

PtDevice *
pt_server_authenticate (PGconn      *conn,
                        const char  *authorization,
                        GError     **error)
{
  g_autofree char *hash = NULL;
  g_autoptr(PGresult) res = NULL;
  PtDevice *device;
  const char *params[1];

  if (authorization == NULL || !g_str_has_prefix (authorization, "Bearer ")
      || strlen (authorization) < 8)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_AUTH,
                   _("This request needs an Authorization: Bearer token; enroll the desk first."));
      return NULL;
    }
  hash = pt_server_hash_secret (authorization + 7);
  params[0] = hash;
  res = pt_db_query (conn,
                     "SELECT d.id, d.unit, u.path, d.desk, d.revoked IS NOT NULL, d.expires < now(), "
                     "d.event_device, d.desk_index "
                     "FROM devices d JOIN units u ON u.code = d.unit WHERE d.token_hash = $1",
                     1, params, error);
  if (res == NULL)
    return NULL;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_AUTH,
                   _("The token is not known to this server; enroll the desk again."));
      return NULL;
    }
  if (*PQgetvalue (res, 0, 4) == 't' || *PQgetvalue (res, 0, 5) == 't')
    {
      g_set_error (error, PT_ERROR, PT_ERROR_AUTH,
                   *PQgetvalue (res, 0, 4) == 't'
                   ? _("The token of this desk was revoked; enroll the desk again.")
                   : _("The token of this desk has expired; enroll the desk again."));
      return NULL;
    }
  device = g_new0 (PtDevice, 1);
  device->id = g_strdup (PQgetvalue (res, 0, 0));
  device->unit = g_strdup (PQgetvalue (res, 0, 1));
  device->path = g_strdup (PQgetvalue (res, 0, 2));
  device->desk = g_strdup (PQgetvalue (res, 0, 3));
  if (!PQgetisnull (res, 0, 6))
    device->event_device = g_strdup (PQgetvalue (res, 0, 6));
  device->desk_index = (guint) g_ascii_strtoull (PQgetvalue (res, 0, 7), NULL, 10);
  return device;
}

gboolean
pt_server_revoke (PGconn      *conn,
                  const char  *device,
                  GError     **error)
{
  const char *params[] = { device };
  g_autoptr(PGresult) named = pt_db_query (conn,
    "SELECT count(*) FROM devices WHERE id <> $1 AND desk = $1 AND revoked IS NULL", 1, params, error);
  g_autoptr(PGresult) res = NULL;

  if (named == NULL)
    return FALSE;
  /* A desk's name may be shared (窗口1 in two units): by name only when it
   * names one device, else by its id. */
  if (g_ascii_strtoll (PQgetvalue (named, 0, 0), NULL, 10) > 1)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID,
                   _("%s names %s active devices: revoke one by its id (`paotuan-server devices` lists them)."),
                   device, PQgetvalue (named, 0, 0));
      return FALSE;
    }
  res = pt_db_query (conn,
    "UPDATE devices SET revoked = now() WHERE (id = $1 OR desk = $1) AND revoked IS NULL",
    1, params, error);
  if (res == NULL)
    return FALSE;
  if (g_ascii_strtoll (PQcmdTuples (res), NULL, 10) == 0)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_NOT_FOUND,
                   _("No active device %s; `paotuan-server devices` lists them."), device);
      return FALSE;
    }
  return TRUE;
}
