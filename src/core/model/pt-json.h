/* pt-json.h: small helpers over json-glib used by the codec, the fold and the store. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Serialises with object members sorted by name, so that equal content gives
 * equal bytes whatever order it was built in. */
char        *pt_json_canonical      (JsonNode   *node);
char        *pt_json_object_canonical (JsonObject *object);
void         pt_json_append_string  (GString    *out,
                                     const char *str);
JsonNode    *pt_json_parse          (const char *text,
                                     gssize      length,
                                     GError    **error);
JsonObject  *pt_json_parse_object   (const char *text,
                                     gssize      length,
                                     GError    **error);

/* Typed getters that return the fallback when the member is missing or of
 * another type; they never warn. */
const char  *pt_json_get_string     (JsonObject *object,
                                     const char *member);
gint64       pt_json_get_int        (JsonObject *object,
                                     const char *member,
                                     gint64      fallback);
gboolean     pt_json_get_bool       (JsonObject *object,
                                     const char *member,
                                     gboolean    fallback);
JsonArray   *pt_json_get_array      (JsonObject *object,
                                     const char *member);
JsonObject  *pt_json_get_object     (JsonObject *object,
                                     const char *member);

G_END_DECLS
