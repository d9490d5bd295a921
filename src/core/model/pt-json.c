/* pt-json.c: json-glib helpers. */
#define G_LOG_DOMAIN "paotuan-core"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include <glib/gi18n-lib.h>

#include "pt-error.h"
#include "pt-json.h"

typedef struct {
  const char *name;
  JsonNode   *node;
} Member;

static int
compare_members (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (((const Member *) a)->name, ((const Member *) b)->name);
}

static void canonical_append (GString *out, JsonNode *node);

/* Decimal digits without printf: every count and step number of a log. */
static void
append_int (GString *out,
            gint64   value)
{
  char digits[24];
  char *end = digits + sizeof digits;
  guint64 magnitude = value < 0 ? -(guint64) value : (guint64) value;

  do
    *--end = (char) ('0' + magnitude % 10);
  while ((magnitude /= 10) > 0);
  if (value < 0)
    *--end = '-';
  g_string_append_len (out, end, digits + sizeof digits - end);
}

/* Appends @str as a JSON string literal. */
void
pt_json_append_string (GString    *out,
                       const char *str)
{
  const char *run = str;

  g_string_append_c (out, '"');
  for (const char *p = str; *p; p++)
    {
      guchar c = (guchar) *p;

      /* Runs that need no escape (all of a Chinese text) go in whole. */
      if (c >= 0x20 && c != '"' && c != '\\')
        continue;
      g_string_append_len (out, run, p - run);
      run = p + 1;
      switch (c)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:    g_string_append_printf (out, "\\u%04x", c); break;
        }
    }
  g_string_append (out, run);
  g_string_append_c (out, '"');
}

/* Members sorted by name: no list copied, no lookup per member; an event's
 * objects fit on the stack. */
static void
canonical_append_object (GString    *out,
                         JsonObject *object)
{
  guint n = json_object_get_size (object), i = 0;
  Member on_stack[32];
  g_autofree Member *on_heap = n > G_N_ELEMENTS (on_stack) ? g_new (Member, n) : NULL;
  Member *members = on_heap ? on_heap : on_stack;
  JsonObjectIter iter;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &members[i].name, &members[i].node))
    i++;
  qsort (members, n, sizeof (Member), compare_members);
  g_string_append_c (out, '{');
  for (i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      pt_json_append_string (out, members[i].name);
      g_string_append_c (out, ':');
      canonical_append (out, members[i].node);
    }
  g_string_append_c (out, '}');
}

static void
canonical_append (GString  *out,
                  JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      canonical_append_object (out, json_node_get_object (node));
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            canonical_append (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
        break;
      }
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          pt_json_append_string (out, json_node_get_string (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_DOUBLE:
          {
            char buf[G_ASCII_DTOSTR_BUF_SIZE];
            g_string_append (out, g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
            break;
          }
        default:
          append_int (out, json_node_get_int (node));
        }
      break;
    default:
      g_assert_not_reached ();
    }
}

char *
pt_json_canonical (JsonNode *node)
{
  GString *out = g_string_sized_new (256);

  canonical_append (out, node);
  return g_string_free (out, FALSE);
}

/* Takes no reference on @object: safe on any thread while nothing changes
 * it (the store writes a batch's payloads on two). */
char *
pt_json_object_canonical (JsonObject *object)
{
  GString *out = g_string_sized_new (256);

  canonical_append_object (out, object);
  return g_string_free (out, FALSE);
}

/* A small recursive-descent parser that builds json-glib nodes directly.
 * json-glib's own parser spent most of a rebuild's time (its scanner is
 * general-purpose); every JSON this project reads goes through this one. */

typedef struct {
  const char *p;
  const char *end;
  const char *start;
  char       *message;
} Parser;

#define MAX_DEPTH 64

static JsonNode *parse_value (Parser *ps, int depth);

static gboolean
fail (Parser     *ps,
      const char *what)
{
  if (ps->message == NULL)
    /* TRANSLATORS: what is wrong with the JSON, and where. */
    ps->message = g_strdup_printf (_("%s at byte %ld"), _(what), (long) (ps->p - ps->start));
  return FALSE;
}

static void
skip_space (Parser *ps)
{
  while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
    ps->p++;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static gboolean
read_hex4 (Parser   *ps,
           gunichar *out)
{
  gunichar value = 0;

  if (ps->end - ps->p < 4)
    return fail (ps, N_("a \\u escape is cut short"));
  for (int i = 0; i < 4; i++)
    {
      int h = hex_value (ps->p[i]);
      if (h < 0)
        return fail (ps, N_("a \\u escape has a character that is not hexadecimal"));
      value = value * 16 + (gunichar) h;
    }
  ps->p += 4;
  *out = value;
  return TRUE;
}

/* Reads a string after its opening quote into a new buffer. */
static char *
parse_string (Parser *ps)
{
  GString *out = NULL;
  const char *run = ps->p;

  while (ps->p < ps->end)
    {
      char c = *ps->p;

      if (c == '"')
        {
          char *result;
          if (out == NULL)
            result = g_strndup (run, ps->p - run);
          else
            {
              g_string_append_len (out, run, ps->p - run);
              result = g_string_free (out, FALSE);
            }
          ps->p++;
          if (!g_utf8_validate (result, -1, NULL))
            {
              g_free (result);
              fail (ps, N_("a string is not valid UTF-8"));
              return NULL;
            }
          return result;
        }
      if ((guchar) c < 0x20)
        {
          fail (ps, N_("a string has a control character (write it as an escape)"));
          break;
        }
      if (c != '\\')
        {
          ps->p++;
          continue;
        }
      if (out == NULL)
        out = g_string_new (NULL);
      g_string_append_len (out, run, ps->p - run);
      ps->p++;
      if (ps->p >= ps->end)
        break;
      c = *ps->p++;
      switch (c)
        {
        case '"': g_string_append_c (out, '"'); break;
        case '\\': g_string_append_c (out, '\\'); break;
        case '/': g_string_append_c (out, '/'); break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          {
            gunichar ch, low;
            if (!read_hex4 (ps, &ch))
              goto error;
            if (ch >= 0xd800 && ch < 0xdc00)
              {
                if (ps->end - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u')
                  {
                    fail (ps, N_("a surrogate pair is cut short"));
                    goto error;
                  }
                ps->p += 2;
                if (!read_hex4 (ps, &low) || low < 0xdc00 || low > 0xdfff)
                  {
                    fail (ps, N_("a surrogate pair is broken"));
                    goto error;
                  }
                ch = 0x10000 + ((ch - 0xd800) << 10) + (low - 0xdc00);
              }
            else if (ch >= 0xdc00 && ch < 0xe000)
              {
                fail (ps, N_("a lone low surrogate"));
                goto error;
              }
            if (ch == 0)
              {
                fail (ps, N_("a string holds a NUL character"));
                goto error;
              }
            g_string_append_unichar (out, ch);
            break;
          }
        default:
          fail (ps, N_("a string has an unknown escape"));
          goto error;
        }
      run = ps->p;
    }
  fail (ps, N_("a string is not closed"));
error:
  if (out != NULL)
    g_string_free (out, TRUE);
  return NULL;
}

static JsonNode *
parse_number (Parser *ps)
{
  const char *begin = ps->p;
  gboolean is_double = FALSE;
  char buffer[64];
  gsize length;

  if (ps->p < ps->end && *ps->p == '-')
    ps->p++;
  if (ps->p >= ps->end || !g_ascii_isdigit (*ps->p))
    {
      fail (ps, N_("a number has no digits"));
      return NULL;
    }
  if (*ps->p == '0' && ps->p + 1 < ps->end && g_ascii_isdigit (ps->p[1]))
    {
      fail (ps, N_("a number starts with a zero"));
      return NULL;
    }
  while (ps->p < ps->end && g_ascii_isdigit (*ps->p))
    ps->p++;
  if (ps->p < ps->end && *ps->p == '.')
    {
      is_double = TRUE;
      ps->p++;
      if (ps->p >= ps->end || !g_ascii_isdigit (*ps->p))
        {
          fail (ps, N_("a number has no digits after its point"));
          return NULL;
        }
      while (ps->p < ps->end && g_ascii_isdigit (*ps->p))
        ps->p++;
    }
  if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E'))
    {
      is_double = TRUE;
      ps->p++;
      if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
        ps->p++;
      if (ps->p >= ps->end || !g_ascii_isdigit (*ps->p))
        {
          fail (ps, N_("a number has no digits in its exponent"));
          return NULL;
        }
      while (ps->p < ps->end && g_ascii_isdigit (*ps->p))
        ps->p++;
    }
  length = ps->p - begin;
  if (length >= sizeof buffer)
    {
      fail (ps, N_("a number is too long"));
      return NULL;
    }
  memcpy (buffer, begin, length);
  buffer[length] = '\0';
  if (!is_double)
    {
      gint64 value;
      errno = 0;
      value = g_ascii_strtoll (buffer, NULL, 10);
      if (errno != ERANGE)
        return json_node_init_int (json_node_alloc (), value);
    }
  {
    double value = g_ascii_strtod (buffer, NULL);
    if (!isfinite (value))
      {
        fail (ps, N_("a number is out of range"));
        return NULL;
      }
    return json_node_init_double (json_node_alloc (), value);
  }
}

static gboolean
match_word (Parser     *ps,
            const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (ps->end - ps->p) < n || memcmp (ps->p, word, n) != 0)
    return fail (ps, N_("an unexpected word"));
  ps->p += n;
  return TRUE;
}

static JsonNode *
parse_object (Parser *ps,
              int     depth)
{
  JsonObject *object = json_object_new ();
  JsonNode *node;

  ps->p++;   /* { */
  skip_space (ps);
  if (ps->p < ps->end && *ps->p == '}')
    {
      ps->p++;
      goto done;
    }
  for (;;)
    {
      char *name;
      JsonNode *value;

      skip_space (ps);
      if (ps->p >= ps->end || *ps->p != '"')
        {
          fail (ps, N_("a member name must be a string"));
          goto error;
        }
      ps->p++;
      name = parse_string (ps);
      if (name == NULL)
        goto error;
      skip_space (ps);
      if (ps->p >= ps->end || *ps->p != ':')
        {
          g_free (name);
          fail (ps, N_("a member name must be followed by ':'"));
          goto error;
        }
      ps->p++;
      value = parse_value (ps, depth + 1);
      if (value == NULL)
        {
          g_free (name);
          goto error;
        }
      json_object_set_member (object, name, value);
      g_free (name);
      skip_space (ps);
      if (ps->p < ps->end && *ps->p == ',')
        {
          ps->p++;
          continue;
        }
      if (ps->p < ps->end && *ps->p == '}')
        {
          ps->p++;
          break;
        }
      fail (ps, N_("an object needs ',' or '}' here"));
      goto error;
    }
done:
  node = json_node_alloc ();
  json_node_init_object (node, object);
  json_object_unref (object);
  return node;
error:
  json_object_unref (object);
  return NULL;
}

static JsonNode *
parse_array (Parser *ps,
             int     depth)
{
  JsonArray *array = json_array_new ();
  JsonNode *node;

  ps->p++;   /* [ */
  skip_space (ps);
  if (ps->p < ps->end && *ps->p == ']')
    {
      ps->p++;
      goto done;
    }
  for (;;)
    {
      JsonNode *value = parse_value (ps, depth + 1);
      if (value == NULL)
        goto error;
      json_array_add_element (array, value);
      skip_space (ps);
      if (ps->p < ps->end && *ps->p == ',')
        {
          ps->p++;
          continue;
        }
      if (ps->p < ps->end && *ps->p == ']')
        {
          ps->p++;
          break;
        }
      fail (ps, N_("a list needs ',' or ']' here"));
      goto error;
    }
done:
  node = json_node_alloc ();
  json_node_init_array (node, array);
  json_array_unref (array);
  return node;
error:
  json_array_unref (array);
  return NULL;
}

static JsonNode *
parse_value (Parser *ps,
             int     depth)
{
  JsonNode *node;

  if (depth > MAX_DEPTH)
    {
      fail (ps, N_("the JSON is nested too deeply"));
      return NULL;
    }
  skip_space (ps);
  if (ps->p >= ps->end)
    {
      fail (ps, N_("the JSON ends too early"));
      return NULL;
    }
  switch (*ps->p)
    {
    case '{':
      return parse_object (ps, depth);
    case '[':
      return parse_array (ps, depth);
    case '"':
      {
        char *str;
        ps->p++;
        str = parse_string (ps);
        if (str == NULL)
          return NULL;
        node = json_node_init_string (json_node_alloc (), str);
        g_free (str);
        return node;
      }
    case 't':
      if (!match_word (ps, "true"))
        return NULL;
      return json_node_init_boolean (json_node_alloc (), TRUE);
    case 'f':
      if (!match_word (ps, "false"))
        return NULL;
      return json_node_init_boolean (json_node_alloc (), FALSE);
    case 'n':
      if (!match_word (ps, "null"))
        return NULL;
      return json_node_init_null (json_node_alloc ());
    default:
      return parse_number (ps);
    }
}

JsonNode *
pt_json_parse (const char *text,
               gssize      length,
               GError    **error)
{
  Parser ps = { 0 };
  JsonNode *root;

  if (text == NULL)
    {
      g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID, _("The JSON is empty."));
      return NULL;
    }
  ps.start = ps.p = text;
  ps.end = text + (length < 0 ? strlen (text) : (gsize) length);
  skip_space (&ps);
  if (ps.p == ps.end)
    {
      g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID, _("The JSON is empty."));
      return NULL;
    }
  root = parse_value (&ps, 0);
  if (root != NULL)
    {
      skip_space (&ps);
      if (ps.p != ps.end)
        {
          fail (&ps, N_("there is more after the JSON value"));
          g_clear_pointer (&root, json_node_unref);
        }
    }
  if (root == NULL)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_INVALID, _("The JSON is malformed: %s."), ps.message);
      g_free (ps.message);
      return NULL;
    }
  return root;
}

JsonObject *
pt_json_parse_object (const char *text,
                      gssize      length,
                      GError    **error)
{
  g_autoptr(JsonNode) root = pt_json_parse (text, length, error);

  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, PT_ERROR, PT_ERROR_INVALID,
                           _("The JSON must be an object ({...})."));
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

const char *
pt_json_get_string (JsonObject *object,
                    const char *member)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return NULL;
  if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gint64
pt_json_get_int (JsonObject *object,
                 const char *member,
                 gint64      fallback)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return fallback;
  if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE || json_node_get_value_type (node) != G_TYPE_INT64)
    return fallback;
  return json_node_get_int (node);
}

gboolean
pt_json_get_bool (JsonObject *object,
                  const char *member,
                  gboolean    fallback)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return fallback;
  if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

JsonArray *
pt_json_get_array (JsonObject *object,
                   const char *member)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return NULL;
  return JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

JsonObject *
pt_json_get_object (JsonObject *object,
                    const char *member)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return NULL;
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}
