/* pt-catalog.h: the service catalog (审批事项 / 服务事项), reference data. */
#pragma once

#include <json-glib/json-glib.h>

#include "pt-types.h"

G_BEGIN_DECLS

typedef struct {
  char     *name;
  gboolean  original;   /* original (原件) or copy (复印件) */
  guint     count;
} PtCatalogMaterial;

typedef struct {
  char  *name;
  gint64 amount_fen;    /* 0 when the amount depends on the case */
  char  *basis;         /* the law or regulation that requires it */
} PtCatalogFee;

struct _PtCatalogItem {
  char      *code;          /* "D-ZJ-001" */
  char      *name;
  char      *category;      /* district projects, 医疗计生, 农业生产, ... */
  char      *department;
  PtLevel    level;         /* the level that handles it */
  guint      limit_days;    /* legal time limit in working days */
  gboolean   in_person;     /* the applicant must appear in person */
  GPtrArray *materials;     /* PtCatalogMaterial */
  GPtrArray *fees;          /* PtCatalogFee */
};

PtCatalog           *pt_catalog_new          (void);
void                 pt_catalog_free         (PtCatalog  *catalog);
gboolean             pt_catalog_load_file    (PtCatalog  *catalog,
                                              const char *path,
                                              GError    **error);
gboolean             pt_catalog_load_json    (PtCatalog  *catalog,
                                              JsonNode   *root,
                                              GError    **error);
guint                pt_catalog_get_n_items  (PtCatalog  *catalog);
const PtCatalogItem *pt_catalog_get_item     (PtCatalog  *catalog,
                                              guint       index);
const PtCatalogItem *pt_catalog_lookup       (PtCatalog  *catalog,
                                              const char *code);
/* Items whose code, name, category or department contains @text; a new array
 * of const PtCatalogItem * (not owned). */
GPtrArray           *pt_catalog_search       (PtCatalog  *catalog,
                                              const char *text);

/* Scope check (seed §三(一)): may a desk of @desk_level take @item? When it may
 * not, @error (PT_ERROR_FORBIDDEN) gives the reason and names the right level,
 * and @right_level (may be NULL) is set to it. */
gboolean             pt_catalog_check_scope  (const PtCatalogItem *item,
                                              PtLevel              desk_level,
                                              PtLevel             *right_level,
                                              GError             **error);

/* The nearest unit above @unit_code whose level may take every one of
 * @items (char *, catalog codes), to transfer an intake to (seed §三(一)): a
 * village's town, or the district. NULL with PT_ERROR_NOT_FOUND, saying
 * why, when no unit above it may (or @unit_code or an item is unknown). */
const PtUnit        *pt_catalog_transfer_unit (PtCatalog   *catalog,
                                               PtDistrict  *district,
                                               const char  *unit_code,
                                               GPtrArray   *items,
                                               GError     **error);

/* A fee a case may record, for the form: the catalog item and its fee
 * (both borrowed from the catalog). */
typedef struct {
  const PtCatalogItem *item;
  const PtCatalogFee  *fee;
} PtItemFee;

/* The fees a case with @items (char *, catalog codes) may record: every catalog fee of each item, in the items' order. Empty
 * when the service is free (seed §二(二): only what a law or regulation
 * requires is paid). A new array of PtItemFee, freed with the array. */
GPtrArray           *pt_catalog_list_fees    (PtCatalog  *catalog,
                                              GPtrArray  *items);

/* Checks the payload of a fee_recorded made now against the catalog and
 * completes it: "item" names a catalog item and "name" one of its fees;
 * "amount_fen" and "basis", when given, are the catalog's (a free-text
 * basis is no legal basis) and are filled in when not; an amount that
 * depends on the case (0 in the catalog) must be given. Whether the item
 * is one of the case's is the workflow's to say (pt-fold.c). */
gboolean             pt_catalog_complete_fee (PtCatalog  *catalog,
                                              JsonObject *payload,
                                              GError    **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtCatalog, pt_catalog_free)

G_END_DECLS
