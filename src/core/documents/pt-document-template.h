/* pt-document-template.h: the document templates a center edits (data/templates/NAME.tmpl).
 *
 * Private to src/core/documents. The format is described in docs/documents.md:
 * one "directive: value" per line, "#" comments, continuation lines that start
 * with white space. A broken template is an error naming the file, the line
 * and the problem; nothing is rendered from it.
 */
#pragma once

#include <glib.h>

#include "pt-document-layout.h"

G_BEGIN_DECLS

typedef enum {
  PT_TEMPLATE_SECTION,   /* "section:" a numbered heading */
  PT_TEMPLATE_TEXT,      /* "text:" a paragraph */
  PT_TEMPLATE_CLAUSE,    /* "clause:" a numbered clause within the section */
  PT_TEMPLATE_RIGHT,     /* "right:" a right-aligned line (dates, the issuer) */
  PT_TEMPLATE_BLOCK,     /* "block:" case data (tables, parties, ...) */
  PT_TEMPLATE_SIGNER,    /* "signer:" a signature box */
} PtTemplateItemKind;

typedef struct {
  PtTemplateItemKind  kind;
  char               *text;    /* with ${placeholders}; the block name for blocks */
  PtSignerFlags       flags;   /* signers */
  guint               line;
} PtTemplateItem;

typedef struct {
  char      *path;
  char      *document;         /* "agreement", "receipt", ... */
  char      *title;
  char      *center_name;
  char      *center_address;
  char      *center_hotline;
  char      *number_prefix;    /* agreement numbers: prefix + case number */
  char      *body_font;
  char      *heading_font;
  GPtrArray *items;            /* PtTemplateItem */
} PtTemplate;

/* Loads and checks a template for the document kind @document (its
 * "document:" line must name it); @blocks lists the block names that kind
 * knows and @variables the placeholders it fills. */
PtTemplate *pt_template_load   (const char          *path,
                                const char          *document,
                                const char * const  *blocks,
                                const char * const  *variables,
                                GError             **error);
PtTemplate *pt_template_parse  (const char          *path,
                                const char          *text,
                                gssize               length,
                                const char          *document,
                                const char * const  *blocks,
                                const char * const  *variables,
                                GError             **error);
void        pt_template_free   (PtTemplate          *tmpl);

/* Replaces every ${name} in @text by its value in @values (char * -> char *);
 * a name without a value becomes an empty string. */
char       *pt_template_expand (const char          *text,
                                GHashTable          *values);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtTemplate, pt_template_free)

G_END_DECLS
