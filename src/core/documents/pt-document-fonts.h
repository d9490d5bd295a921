/* pt-document-fonts.h: light copies of the documents' CJK fonts.
 *
 * Private to src/core/documents. cairo 1.16 pays for the whole font file of
 * every font a PDF uses, in every PDF: it copies the font's CFF table (15 to
 * 24 MB for a Noto CJK collection), reads all 65,535 glyphs' offsets and
 * writes out tens of thousands of emptied subroutines, which it compresses.
 * A document needs a few hundred glyphs, nearly always among the 7,445
 * characters of GB 2312. So the first time a family is used, HarfBuzz's
 * subsetter makes a copy of its face with those characters (and ASCII, Latin-1,
 * general and CJK punctuation, full-width forms), the subroutines inlined,
 * kept in the user's cache folder; fontconfig knows it under a family of its
 * own, and the documents ask for "copy, original": the same glyphs, metrics
 * and OpenType tables, while a rarer character falls back to the original.
 * The copies live in a fontconfig configuration of the documents' own, with
 * a font map per thread over it: the desktop's fonts are never changed.
 */
#pragma once

#include <glib.h>
#include <pango/pango.h>

G_BEGIN_DECLS

char         *pt_document_fonts_family       (const char *family,
                                              gboolean    bold);
PangoFontMap *pt_document_fonts_get_font_map (void);

G_END_DECLS
