/* pt-case-item.c: a placeholder that becomes a case row when its page loads. */
#define G_LOG_DOMAIN "pt-app"

#include "pt-case-item.h"

struct _PtCaseItem
{
  GObject    parent_instance;
  guint      position;
  PtCaseRow *row;
};

G_DEFINE_FINAL_TYPE (PtCaseItem, pt_case_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADED,
  PROP_NUMBER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pt_case_item_finalize (GObject *object)
{
  PtCaseItem *self = PT_CASE_ITEM (object);

  g_clear_pointer (&self->row, pt_case_row_free);

  G_OBJECT_CLASS (pt_case_item_parent_class)->finalize (object);
}

static void
pt_case_item_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PtCaseItem *self = PT_CASE_ITEM (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->row != NULL);
      break;
    case PROP_NUMBER:
      g_value_set_string (value, self->row ? self->row->number : NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_case_item_class_init (PtCaseItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pt_case_item_finalize;
  object_class->get_property = pt_case_item_get_property;

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NUMBER] =
    g_param_spec_string ("number", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pt_case_item_init (PtCaseItem *self)
{
}

PtCaseItem *
pt_case_item_new (guint position)
{
  PtCaseItem *self = g_object_new (PT_TYPE_CASE_ITEM, NULL);

  self->position = position;
  return self;
}

void
pt_case_item_set_row (PtCaseItem *self,
                      PtCaseRow  *row)
{
  g_return_if_fail (PT_IS_CASE_ITEM (self));

  g_clear_pointer (&self->row, pt_case_row_free);
  self->row = row;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NUMBER]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

gboolean
pt_case_item_get_loaded (PtCaseItem *self)
{
  g_return_val_if_fail (PT_IS_CASE_ITEM (self), FALSE);
  return self->row != NULL;
}

guint
pt_case_item_get_position (PtCaseItem *self)
{
  g_return_val_if_fail (PT_IS_CASE_ITEM (self), 0);
  return self->position;
}

const PtCaseRow *
pt_case_item_get_row (PtCaseItem *self)
{
  g_return_val_if_fail (PT_IS_CASE_ITEM (self), NULL);
  return self->row;
}
