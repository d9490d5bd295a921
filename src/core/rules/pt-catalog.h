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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtCatalog, pt_catalog_free)

G_END_DECLS
