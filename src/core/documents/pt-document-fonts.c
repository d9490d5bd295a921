/* pt-document-fonts.c: light copies of the documents' CJK fonts. */
#define G_LOG_DOMAIN "paotuan-documents"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>
#include <fontconfig/fontconfig.h>
#include <hb.h>
#include <hb-ot.h>
#include <hb-subset.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>

#include "pt-document-fonts.h"

/* Part of the copies' file names: raise it when what goes into a copy
 * changes, so that old copies are not used. */
#define COPY_VERSION 1

static GMutex      fonts_lock;
static GHashTable *families;       /* "family/weight" -> family list for pango */
static guint       generation;     /* copies handed to fontconfig so far */
static FcConfig   *config;         /* the documents' own, see documents_config () */

/* The copies go into a fontconfig configuration of the documents' own, not
 * into the process's current one: the application renders documents on its
 * worker thread while GTK matches fonts on the main thread, and fontconfig
 * does not lock a configuration's font sets against such a change. */
static FcConfig *
documents_config (void)
{
  if (config == NULL)
    config = FcInitLoadConfigAndFonts ();
  return config;
}

/* The 7,445 characters of GB 2312 (6,763 hanzi and its symbols), through
 * iconv: every two-byte code of rows 0xA1-0xF7. */
static gboolean
add_gb2312 (hb_set_t *unicodes)
{
  GIConv cd = g_iconv_open ("UTF-8", "GB2312");

  if (cd == (GIConv) -1)
    return FALSE;
  for (guint hi = 0xA1; hi <= 0xF7; hi++)
    for (guint lo = 0xA1; lo <= 0xFE; lo++)
      {
        char in[2] = { (char) hi, (char) lo };
        char out[8];
        char *inp = in, *outp = out;
        gsize in_left = sizeof in, out_left = sizeof out;

        if (g_iconv (cd, &inp, &in_left, &outp, &out_left) == (gsize) -1)
          continue;
        *outp = '\0';
        hb_set_add (unicodes, g_utf8_get_char (out));
      }
  g_iconv_close (cd);
  return TRUE;
}

/* A 'name' table (format 0, Windows Unicode English) that gives the copy a
 * family of its own, and keeps the original's other names: the copyright,
 * the licence and the PostScript name that the PDF shows. */
static hb_blob_t *
make_name_table (hb_face_t  *face,
                 const char *family,
                 const char *full_name)
{
  static const hb_ot_name_id_t kept[] = { 0, 2, 5, 6, 7, 8, 9, 11, 12, 13, 14 };
  hb_language_t english = hb_language_from_string ("en", -1);
  g_autoptr(GByteArray) records = g_byte_array_new ();
  g_autoptr(GByteArray) strings = g_byte_array_new ();
  guint8 header[6];
  guint count = 0;

  for (hb_ot_name_id_t id = 0; id <= 14; id++)
    {
      g_autofree gunichar2 *own = NULL;
      g_autofree guint16 *text = NULL;
      unsigned int length = 0;
      gboolean keep = FALSE;

      for (guint k = 0; k < G_N_ELEMENTS (kept); k++)
        keep |= kept[k] == id;
      if (id == 1 || id == 4)
        {
          glong n = 0;

          own = g_utf8_to_utf16 (id == 1 ? family : full_name, -1, NULL, &n, NULL);
          length = (unsigned int) n;
          text = g_memdup2 (own, length * sizeof (guint16));
        }
      else if (keep)
        {
          length = hb_ot_name_get_utf16 (face, id, english, NULL, NULL);
          if (length == 0)
            continue;
          length++;   /* room for the terminator it writes */
          text = g_new (guint16, length);
          hb_ot_name_get_utf16 (face, id, english, &length, text);
        }
      if (text == NULL || length == 0)
        continue;

      {
        guint16 fields[6] = { 3, 1, 0x409, id, (guint16) (length * 2), (guint16) strings->len };

        for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
          {
            guint16 be = GUINT16_TO_BE (fields[f]);
            g_byte_array_append (records, (const guint8 *) &be, 2);
          }
        for (guint c = 0; c < length; c++)
          {
            guint16 be = GUINT16_TO_BE (text[c]);
            g_byte_array_append (strings, (const guint8 *) &be, 2);
          }
        count++;
      }
    }

  {
    guint16 fields[3] = { 0, (guint16) count, (guint16) (6 + 12 * count) };

    for (guint f = 0; f < 3; f++)
      {
        guint16 be = GUINT16_TO_BE (fields[f]);
        memcpy (header + 2 * f, &be, 2);
      }
  }
  g_byte_array_prepend (records, header, sizeof header);
  g_byte_array_append (records, strings->data, strings->len);
  {
    guint size = records->len;
    guint8 *data = g_byte_array_free (g_steal_pointer (&records), FALSE);

    return hb_blob_create ((const char *) data, size, HB_MEMORY_MODE_WRITABLE, data, g_free);
  }
}

/* The copy: the face cut down to the common characters (and the glyphs
 * their OpenType substitutions reach), subroutines inlined so that cairo
 * does not write out thousands of emptied ones, renamed to @family. */
static GBytes *
make_copy (const char *file,
           guint       index,
           const char *family,
           const char *full_name)
{
  hb_blob_t *blob = hb_blob_create_from_file_or_fail (file);
  hb_face_t *face = NULL;
  hb_face_t *subset = NULL;
  hb_blob_t *subset_blob = NULL;
  hb_face_t *parsed = NULL;
  hb_face_t *builder = NULL;
  hb_subset_input_t *input = NULL;
  hb_blob_t *out = NULL;
  hb_tag_t tags[64];
  unsigned int n_tags = G_N_ELEMENTS (tags);
  GBytes *bytes = NULL;
  hb_set_t *unicodes;

  if (blob == NULL)
    return NULL;
  face = hb_face_create (blob, index);
  input = hb_subset_input_create_or_fail ();
  if (input == NULL)
    goto out;
  unicodes = hb_subset_input_unicode_set (input);
  if (!add_gb2312 (unicodes))
    goto out;
  hb_set_add_range (unicodes, 0x0020, 0x007E);   /* ASCII */
  hb_set_add_range (unicodes, 0x00A0, 0x00FF);   /* Latin-1 */
  hb_set_add_range (unicodes, 0x2000, 0x206F);   /* general punctuation */
  hb_set_add_range (unicodes, 0x3000, 0x303F);   /* CJK symbols and punctuation */
  hb_set_add_range (unicodes, 0xFF00, 0xFFEF);   /* full-width forms */
  hb_subset_input_set_flags (input, HB_SUBSET_FLAGS_DESUBROUTINIZE);
  subset = hb_subset_or_fail (face, input);
  if (subset == NULL)
    goto out;

  /* What the subsetter gives is a face builder, which cannot list its
   * tables: read its bytes back as a font. */
  subset_blob = hb_face_reference_blob (subset);
  parsed = hb_face_create (subset_blob, 0);
  builder = hb_face_builder_create ();
  hb_face_get_table_tags (parsed, 0, &n_tags, tags);
  for (unsigned int t = 0; t < n_tags; t++)
    {
      hb_blob_t *table = tags[t] == HB_TAG ('n', 'a', 'm', 'e')
                         ? make_name_table (parsed, family, full_name)
                         : hb_face_reference_table (parsed, tags[t]);

      hb_face_builder_add_table (builder, tags[t], table);
      hb_blob_destroy (table);
    }
  out = hb_face_reference_blob (builder);
  if (hb_blob_get_length (out) > 0)
    {
      unsigned int length;
      const char *data = hb_blob_get_data (out, &length);

      bytes = g_bytes_new (data, length);
    }

out:
  hb_blob_destroy (out);
  hb_face_destroy (builder);
  hb_face_destroy (parsed);
  hb_blob_destroy (subset_blob);
  hb_face_destroy (subset);
  hb_subset_input_destroy (input);
  hb_face_destroy (face);
  hb_blob_destroy (blob);
  return bytes;
}

/* The face fontconfig gives pango for @family at this weight, if it is that
 * family's own (no substitute) and a plain face of a file. */
static gboolean
match_face (const char  *family,
            gboolean     bold,
            char       **file_out,
            guint       *index_out)
{
  FcPattern *pattern = FcPatternCreate ();
  FcPattern *match;
  FcResult result;
  FcChar8 *file = NULL;
  FcChar8 *name = NULL;
  int index = 0, weight = 0;
  int wanted = bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR;
  gboolean ours = FALSE;

  FcPatternAddString (pattern, FC_FAMILY, (const FcChar8 *) family);
  FcPatternAddInteger (pattern, FC_WEIGHT, wanted);
  FcPatternAddString (pattern, FC_LANG, (const FcChar8 *) "zh-cn");
  FcConfigSubstitute (documents_config (), pattern, FcMatchPattern);
  FcDefaultSubstitute (pattern);
  match = FcFontMatch (documents_config (), pattern, &result);
  FcPatternDestroy (pattern);
  if (match == NULL)
    return FALSE;

  for (int i = 0; FcPatternGetString (match, FC_FAMILY, i, &name) == FcResultMatch; i++)
    ours |= FcStrCmpIgnoreCase (name, (const FcChar8 *) family) == 0;
  if (ours &&
      FcPatternGetString (match, FC_FILE, 0, &file) == FcResultMatch &&
      FcPatternGetInteger (match, FC_INDEX, 0, &index) == FcResultMatch &&
      FcPatternGetInteger (match, FC_WEIGHT, 0, &weight) == FcResultMatch &&
      weight == wanted && index >= 0 && index < 0x10000)
    {
      *file_out = g_strdup ((const char *) file);
      *index_out = (guint) index;
    }
  else
    ours = FALSE;
  FcPatternDestroy (match);
  return ours;
}

/* Finds or makes the copy of @family's face in the cache folder and gives
 * it to fontconfig; returns its family, or NULL to use @family as it is. */
static char *
load_copy (const char *family,
           gboolean    bold)
{
  g_autofree char *file = NULL;
  g_autofree char *base = NULL;
  g_autofree char *name = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *copy_family = g_strdup_printf ("Paotuan %s", family);
  g_autofree char *full_name = g_strdup_printf ("%s %s", copy_family, bold ? "Bold" : "Regular");
  g_autoptr(GError) error = NULL;
  GStatBuf st;
  guint index = 0;

  if (!match_face (family, bold, &file, &index) || g_stat (file, &st) != 0)
    return NULL;
  base = g_path_get_basename (file);
  name = g_strdup_printf ("%s-%u-%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT "-%s-v%d.otf", base,
                          index, (gint64) st.st_size, (gint64) st.st_mtime,
                          bold ? "bold" : "regular", COPY_VERSION);
  dir = g_build_filename (g_get_user_cache_dir (), "paotuan", "fonts", NULL);
  path = g_build_filename (dir, name, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autoptr(GBytes) copy = make_copy (file, index, copy_family, full_name);
      gsize size;
      const char *data;

      if (copy == NULL)
        {
          g_debug ("No light copy of %s (%s): HarfBuzz could not subset it", family, file);
          return NULL;
        }
      data = g_bytes_get_data (copy, &size);
      if (g_mkdir_with_parents (dir, 0755) != 0 ||
          !g_file_set_contents_full (path, data, size, G_FILE_SET_CONTENTS_CONSISTENT, 0644,
                                     &error))
        {
          g_debug ("No light copy of %s: cannot write %s: %s", family, path,
                   error != NULL ? error->message : g_strerror (errno));
          return NULL;
        }
    }

  if (!FcConfigAppFontAddFile (documents_config (), (const FcChar8 *) path))
    {
      g_debug ("No light copy of %s: fontconfig does not take %s", family, path);
      return NULL;
    }
  generation++;
  return g_steal_pointer (&copy_family);
}

/**
 * pt_document_fonts_family:
 * @family: a font family, as a template names it
 * @bold: whether the text is bold
 *
 * Returns: (transfer full): the families to ask pango for, the light copy
 * first when there is one ("Paotuan Noto Serif CJK SC,Noto Serif CJK SC").
 */
char *
pt_document_fonts_family (const char *family,
                          gboolean    bold)
{
  g_autofree char *key = g_strdup_printf ("%s/%d", family, bold ? 700 : 400);
  const char *list;

  g_mutex_lock (&fonts_lock);
  if (families == NULL)
    families = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  list = g_hash_table_lookup (families, key);
  if (list == NULL)
    {
      g_autofree char *copy = load_copy (family, bold);

      list = copy != NULL ? g_strdup_printf ("%s,%s", copy, family) : g_strdup (family);
      g_hash_table_insert (families, g_strdup (key), (char *) list);
    }
  g_mutex_unlock (&fonts_lock);
  return g_strdup (list);
}

static void
unref_font_map (gpointer font_map)
{
  g_object_unref (font_map);
}

/**
 * pt_document_fonts_get_font_map:
 *
 * Returns: (transfer none): this thread's font map for documents, over the
 * documents' fontconfig configuration, told of every copy made so far.
 */
PangoFontMap *
pt_document_fonts_get_font_map (void)
{
  static GPrivate font_maps = G_PRIVATE_INIT (unref_font_map);
  PangoFontMap *font_map = g_private_get (&font_maps);
  guint seen, now;
  FcConfig *fc_config;

  g_mutex_lock (&fonts_lock);
  fc_config = documents_config ();
  now = generation;
  g_mutex_unlock (&fonts_lock);

  if (font_map == NULL)
    {
      font_map = pango_cairo_font_map_new_for_font_type (CAIRO_FONT_TYPE_FT);
      pango_fc_font_map_set_config (PANGO_FC_FONT_MAP (font_map), fc_config);
      g_private_set (&font_maps, font_map);
      g_object_set_data (G_OBJECT (font_map), "pt-fonts-generation", GUINT_TO_POINTER (now));
      return font_map;
    }
  /* A pango font map keeps its own list of fontconfig's fonts: it reads the
   * list again when copies were added since it last did. */
  seen = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (font_map), "pt-fonts-generation"));
  if (seen != now)
    {
      pango_fc_font_map_config_changed (PANGO_FC_FONT_MAP (font_map));
      g_object_set_data (G_OBJECT (font_map), "pt-fonts-generation", GUINT_TO_POINTER (now));
    }
  return font_map;
}
