/* pt-held-list-model.c: a list that keeps showing its last rows while its
 * source is empty. */
#define G_LOG_DOMAIN "pt-app"

#include "pt-held-list-model.h"

struct _PtHeldListModel
{
  GObject     parent_instance;

  GListModel *source;
  guint       n_items;      /* what the views see */
  gboolean    holding;      /* the source is empty; the views keep the rows before */
  gboolean    handed_out;   /* an item was asked for while holding */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PtHeldListModel, pt_held_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return g_list_model_get_item_type (PT_HELD_LIST_MODEL (model)->source);
}

static guint
get_n_items (GListModel *model)
{
  return PT_HELD_LIST_MODEL (model)->n_items;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  PtHeldListModel *self = PT_HELD_LIST_MODEL (model);

  if (position >= self->n_items)
    return NULL;
  if (self->holding)
    {
      /* Not shown (the list is covered); remembered, so that the end of
       * the hold replaces everything. */
      self->handed_out = TRUE;
      return g_object_new (g_list_model_get_item_type (self->source), NULL);
    }
  return g_list_model_get_item (self->source, position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
items_changed_cb (GListModel      *source,
                  guint            position,
                  guint            removed,
                  guint            added,
                  PtHeldListModel *self)
{
  guint n = g_list_model_get_n_items (source);
  guint old_n = self->n_items;

  if (n == 0 && old_n > 0)
    {
      if (!self->holding)
        self->handed_out = FALSE;
      self->holding = TRUE;
      return;
    }
  if (self->holding)
    {
      guint kept = self->handed_out ? 0 : MIN (old_n, n);

      self->holding = FALSE;
      self->n_items = n;
      if (old_n != kept || n != kept)
        g_list_model_items_changed (G_LIST_MODEL (self), kept, old_n - kept, n - kept);
      return;
    }
  self->n_items = n;
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

static void
pt_held_list_model_dispose (GObject *object)
{
  PtHeldListModel *self = PT_HELD_LIST_MODEL (object);

  if (self->source != NULL)
    g_signal_handlers_disconnect_by_func (self->source, items_changed_cb, self);
  g_clear_object (&self->source);

  G_OBJECT_CLASS (pt_held_list_model_parent_class)->dispose (object);
}

static void
pt_held_list_model_class_init (PtHeldListModelClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pt_held_list_model_dispose;
}

static void
pt_held_list_model_init (PtHeldListModel *self)
{
}

PtHeldListModel *
pt_held_list_model_new (GListModel *source)
{
  PtHeldListModel *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (source), NULL);

  self = g_object_new (PT_TYPE_HELD_LIST_MODEL, NULL);
  self->source = g_object_ref (source);
  self->n_items = g_list_model_get_n_items (source);
  g_signal_connect (source, "items-changed", G_CALLBACK (items_changed_cb), self);
  return self;
}
