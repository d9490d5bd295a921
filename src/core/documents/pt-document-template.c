/* pt-document-template.c: parsing and checking document templates. */
#define G_LOG_DOMAIN "paotuan-documents"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pt-document-template.h"
#include "pt-error.h"

static const char * const directives[] = {
  "document", "title", "center-name", "center-address", "center-hotline",
  "number-prefix", "font-body", "font-heading",
  "section", "text", "clause", "right", "block", "signer", NULL
};

static void
item_free (gpointer data)
{
  PtTemplateItem *item = data;

  g_free (item->text);
  g_free (item);
}

void
pt_template_free (PtTemplate *tmpl)
{
  if (tmpl == NULL)
    return;
  g_free (tmpl->path);
  g_free (tmpl->document);
  g_free (tmpl->title);
  g_free (tmpl->center_name);
  g_free (tmpl->center_address);
  g_free (tmpl->center_hotline);
  g_free (tmpl->number_prefix);
  g_free (tmpl->body_font);
  g_free (tmpl->heading_font);
  g_ptr_array_unref (tmpl->items);
  g_free (tmpl);
}

G_GNUC_PRINTF (4, 5)
static void
set_error (GError    **error,
           const char *path,
           guint       line,
           const char *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (line > 0)
    g_set_error (error, PT_ERROR, PT_ERROR_DATA, "%s:%u: %s", path, line, message);
  else
    g_set_error (error, PT_ERROR, PT_ERROR_DATA, "%s: %s", path, message);
}

/* Every ${name} must be one the document kind fills; a typo would otherwise
 * print an empty blank on a legal paper. */
static gboolean
check_placeholders (const char          *path,
                    guint                line,
                    const char          *text,
                    const char * const  *variables,
                    GError             **error)
{
  const char *p = text;

  while ((p = strstr (p, "${")) != NULL)
    {
      const char *end = strchr (p + 2, '}');
      g_autofree char *name = NULL;

      if (end == NULL)
        {
          set_error (error, path, line,
                     _("“${” is not closed; write the placeholder as ${name}"));
          return FALSE;
        }
      name = g_strndup (p + 2, end - p - 2);
      if (!g_strv_contains (variables, name))
        {
          g_autofree char *known = g_strjoinv (", ", (char **) variables);
          set_error (error, path, line,
                     _("unknown placeholder “${%s}”; this document knows: %s"), name, known);
          return FALSE;
        }
      p = end + 1;
    }
  return TRUE;
}

/* "委托人（甲方）签字 [fingerprint] [date]" -> label and flags. */
static gboolean
parse_signer (const char     *path,
              guint           line,
              char           *value,
              PtSignerFlags  *flags,
              GError        **error)
{
  char *open;

  *flags = 0;
  while ((open = strrchr (value, '[')) != NULL)
    {
      char *close = strchr (open, ']');
      g_autofree char *flag = NULL;

      if (close == NULL || close[1] != '\0')
        {
          set_error (error, path, line,
                     _("a signer's options go at the end of the line in brackets, "
                       "like “[fingerprint] [date]”"));
          return FALSE;
        }
      flag = g_strstrip (g_strndup (open + 1, close - open - 1));
      if (g_str_equal (flag, "fingerprint"))
        *flags |= PT_SIGNER_FINGERPRINT;
      else if (g_str_equal (flag, "seal"))
        *flags |= PT_SIGNER_SEAL;
      else if (g_str_equal (flag, "date"))
        *flags |= PT_SIGNER_DATE;
      else
        {
          set_error (error, path, line,
                     _("unknown signer option “[%s]”; use [fingerprint], [seal] or [date]"), flag);
          return FALSE;
        }
      *open = '\0';
      g_strchomp (value);
    }
  if (*value == '\0')
    {
      set_error (error, path, line, _("a signer needs a label, like “signer: 委托人签字 [date]”"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_blank (const char *text)
{
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static char **
single_slot (PtTemplate *tmpl,
             const char *directive)
{
  if (g_str_equal (directive, "document"))       return &tmpl->document;
  if (g_str_equal (directive, "title"))          return &tmpl->title;
  if (g_str_equal (directive, "center-name"))    return &tmpl->center_name;
  if (g_str_equal (directive, "center-address")) return &tmpl->center_address;
  if (g_str_equal (directive, "center-hotline")) return &tmpl->center_hotline;
  if (g_str_equal (directive, "number-prefix"))  return &tmpl->number_prefix;
  if (g_str_equal (directive, "font-body"))      return &tmpl->body_font;
  if (g_str_equal (directive, "font-heading"))   return &tmpl->heading_font;
  return NULL;
}

PtTemplate *
pt_template_parse (const char          *path,
                   const char          *text,
                   gssize               length,
                   const char          *document,
                   const char * const  *blocks,
                   const char * const  *variables,
                   GError             **error)
{
  g_autoptr(PtTemplate) tmpl = g_new0 (PtTemplate, 1);
  g_auto(GStrv) lines = NULL;
  g_autofree char *copy = NULL;
  char **continued = NULL;     /* the value a continuation line extends */
  guint continued_line = 0;
  const char *bad;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  tmpl->path = g_strdup (path);
  tmpl->items = g_ptr_array_new_with_free_func (item_free);
  if (length < 0)
    length = strlen (text);
  if (!g_utf8_validate (text, length, &bad))
    {
      guint line = 1;
      for (const char *p = text; p < bad; p++)
        if (*p == '\n')
          line++;
      set_error (error, path, line, _("the file is not UTF-8 text; save it as UTF-8"));
      return NULL;
    }
  copy = g_strndup (text, length);
  lines = g_strsplit (copy, "\n", -1);

  for (guint n = 0; lines[n] != NULL; n++)
    {
      guint line = n + 1;
      char *raw = lines[n];
      char *colon, *value, *directive;
      size_t len = strlen (raw);

      if (len > 0 && raw[len - 1] == '\r')
        raw[len - 1] = '\0';

      /* A line that starts with white space continues the previous text. */
      if ((raw[0] == ' ' || raw[0] == '\t') && !is_blank (raw))
        {
          g_autofree char *more = g_strstrip (g_strdup (raw));

          if (continued == NULL)
            {
              set_error (error, path, line,
                         _("an indented line continues the text above it, but there is "
                           "no text above; remove the indentation"));
              return NULL;
            }
          if (more[0] != '#')
            {
              char *joined = g_strconcat (*continued, more, NULL);
              g_free (*continued);
              *continued = joined;
            }
          continue;
        }

      g_strstrip (raw);
      if (raw[0] == '\0' || raw[0] == '#')
        {
          continued = NULL;
          continue;
        }

      colon = strchr (raw, ':');
      if (colon == NULL)
        {
          set_error (error, path, line,
                     _("expected “directive: value” (for example “text: …”), found “%s”"), raw);
          return NULL;
        }
      *colon = '\0';
      directive = g_strstrip (raw);
      value = g_strstrip (colon + 1);
      if (!g_strv_contains (directives, directive))
        {
          g_autofree char *known = g_strjoinv (", ", (char **) directives);
          set_error (error, path, line, _("unknown directive “%s”; use one of %s"), directive, known);
          return NULL;
        }

      continued = NULL;
      if (single_slot (tmpl, directive) != NULL)
        {
          char **slot = single_slot (tmpl, directive);

          if (*slot != NULL)
            {
              set_error (error, path, line, _("“%s” is given twice; keep one"), directive);
              return NULL;
            }
          if (*value == '\0')
            {
              set_error (error, path, line, _("“%s” needs a value"), directive);
              return NULL;
            }
          *slot = g_strdup (value);
          continued = slot;
          continued_line = line;
          continue;
        }

      {
        PtTemplateItem *item = g_new0 (PtTemplateItem, 1);

        item->line = line;
        item->text = g_strdup (value);
        g_ptr_array_add (tmpl->items, item);

        if (g_str_equal (directive, "section"))
          item->kind = PT_TEMPLATE_SECTION;
        else if (g_str_equal (directive, "text"))
          item->kind = PT_TEMPLATE_TEXT;
        else if (g_str_equal (directive, "clause"))
          item->kind = PT_TEMPLATE_CLAUSE;
        else if (g_str_equal (directive, "right"))
          item->kind = PT_TEMPLATE_RIGHT;
        else if (g_str_equal (directive, "block"))
          item->kind = PT_TEMPLATE_BLOCK;
        else if (g_str_equal (directive, "signer"))
          item->kind = PT_TEMPLATE_SIGNER;
        else
          g_assert_not_reached ();

        if (*value == '\0')
          {
            set_error (error, path, line, _("“%s” needs a value"), directive);
            return NULL;
          }
        if (item->kind == PT_TEMPLATE_BLOCK)
          {
            if (!g_strv_contains (blocks, value))
              {
                g_autofree char *known = g_strjoinv (", ", (char **) blocks);
                set_error (error, path, line,
                           _("unknown block “%s”; the blocks of “%s” are: %s"),
                           value, document, known);
                return NULL;
              }
          }
        else if (item->kind == PT_TEMPLATE_SIGNER)
          {
            if (!parse_signer (path, line, item->text, &item->flags, error))
              return NULL;
          }
        else
          {
            continued = &item->text;
            continued_line = line;
          }
      }
    }

  (void) continued_line;

  /* Placeholders are checked once continuation lines are joined. */
  if (tmpl->title != NULL && !check_placeholders (path, 0, tmpl->title, variables, error))
    return NULL;
  for (guint i = 0; i < tmpl->items->len; i++)
    {
      PtTemplateItem *item = g_ptr_array_index (tmpl->items, i);

      if (item->kind != PT_TEMPLATE_BLOCK &&
          !check_placeholders (path, item->line, item->text, variables, error))
        return NULL;
    }

  if (tmpl->document == NULL)
    {
      set_error (error, path, 0,
                 _("the template does not say which document it is; add “document: %s”"),
                 document);
      return NULL;
    }
  if (!g_str_equal (tmpl->document, document))
    {
      set_error (error, path, 0,
                 _("this template is for the document “%s”, not “%s”; "
                   "choose the template of “%s”"), tmpl->document, document, document);
      return NULL;
    }
  if (tmpl->title == NULL)
    {
      set_error (error, path, 0, _("the template has no title; add “title: …”"));
      return NULL;
    }
  if (tmpl->items->len == 0)
    {
      set_error (error, path, 0, _("the template has no content; add sections, text and blocks"));
      return NULL;
    }
  return g_steal_pointer (&tmpl);
}

PtTemplate *
pt_template_load (const char          *path,
                  const char          *document,
                  const char * const  *blocks,
                  const char * const  *variables,
                  GError             **error)
{
  g_autofree char *text = NULL;
  gsize length;
  g_autoptr(GError) local = NULL;

  if (!g_file_get_contents (path, &text, &length, &local))
    {
      g_set_error (error, PT_ERROR, PT_ERROR_DATA,
                   _("%s: cannot read the document template: %s"), path, local->message);
      return NULL;
    }
  return pt_template_parse (path, text, length, document, blocks, variables, error);
}

char *
pt_template_expand (const char *text,
                    GHashTable *values)
{
  GString *out = g_string_new (NULL);
  const char *p = text;
  const char *start;

  while ((start = strstr (p, "${")) != NULL)
    {
      const char *end = strchr (start + 2, '}');
      g_autofree char *name = NULL;
      const char *value;

      if (end == NULL)
        break;
      g_string_append_len (out, p, start - p);
      name = g_strndup (start + 2, end - start - 2);
      value = g_hash_table_lookup (values, name);
      g_string_append (out, value != NULL ? value : "");
      p = end + 1;
    }
  g_string_append (out, p);
  return g_string_free (out, FALSE);
}
