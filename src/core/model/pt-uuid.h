/* pt-uuid.h: UUIDv7 identifiers (RFC 9562), time-ordered, made without a network. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *pt_uuid7_new          (void);
char     *pt_uuid7_new_at       (gint64 unix_ms);
gboolean  pt_uuid_is_valid      (const char *str);

G_END_DECLS
