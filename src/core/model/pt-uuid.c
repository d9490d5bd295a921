/* pt-uuid.c: UUIDv7 identifiers (RFC 9562 §5.7). */
#define G_LOG_DOMAIN "paotuan-core"

#include "pt-uuid.h"

/* The 48-bit millisecond timestamp comes first, so ids sort by creation time
 * and SQLite's index on them stays append-mostly; 74 random bits make a
 * collision between desks practically impossible without a network. */
char *
pt_uuid7_new_at (gint64 unix_ms)
{
  guint8 b[16];
  guint64 ms = (guint64) unix_ms;

  for (int i = 0; i < 6; i++)
    b[i] = (ms >> (40 - 8 * i)) & 0xff;
  for (int i = 6; i < 16; i += 4)
    {
      guint32 r = g_random_int ();
      for (int j = 0; j < 4 && i + j < 16; j++)
        b[i + j] = (r >> (8 * j)) & 0xff;
    }
  b[6] = 0x70 | (b[6] & 0x0f);   /* version 7 */
  b[8] = 0x80 | (b[8] & 0x3f);   /* variant 10 */

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

char *
pt_uuid7_new (void)
{
  return pt_uuid7_new_at (g_get_real_time () / 1000);
}

gboolean
pt_uuid_is_valid (const char *str)
{
  if (str == NULL || strlen (str) != 36)
    return FALSE;
  for (int i = 0; i < 36; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (str[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isxdigit (str[i]) || g_ascii_isupper (str[i]))
        return FALSE;
    }
  return TRUE;
}
