/* pt-catalog-page.c: the catalog as expandable rows, searchable. */
#define G_LOG_DOMAIN "pt-app"

#include <glib/gi18n.h>

#include "pt-catalog-page.h"

#include "pt-app-util.h"
#include "pt-catalog.h"
#include "pt-reference.h"

struct _PtCatalogPage
{
  AdwBin     parent_instance;

  GtkWidget *search;
  GtkWidget *group;
  GPtrArray *rows;
  PtDesk    *desk;
};

G_DEFINE_FINAL_TYPE (PtCatalogPage, pt_catalog_page, ADW_TYPE_BIN)

static void
add_sub (GtkWidget  *expander,
         const char *title,
         const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
}

static void
show_items (PtCatalogPage *self)
{
  PtReference *reference = pt_desk_get_reference (self->desk);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search));
  g_autoptr(GPtrArray) items = NULL;

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->group), g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  if (text[0] != '\0')
    items = pt_catalog_search (reference->catalog, text);
  else
    {
      items = g_ptr_array_new ();
      for (guint i = 0; i < pt_catalog_get_n_items (reference->catalog); i++)
        g_ptr_array_add (items, (gpointer) pt_catalog_get_item (reference->catalog, i));
    }

  for (guint i = 0; i < items->len; i++)
    {
      const PtCatalogItem *item = g_ptr_array_index (items, i);
      GtkWidget *row = adw_expander_row_new ();
      g_autofree char *subtitle = g_strdup_printf (_("%s · %s · %s level · %u working days"),
                                                   item->code, item->department,
                                                   pt_ui_level_label (item->level), item->limit_days);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), item->name);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
      for (guint m = 0; m < item->materials->len; m++)
        {
          PtCatalogMaterial *material = g_ptr_array_index (item->materials, m);
          g_autofree char *form = g_strdup_printf (_("Material · %s × %u"),
                                                   material->original ? _("original") : _("copy"),
                                                   material->count);

          add_sub (row, material->name, form);
        }
      for (guint f = 0; f < item->fees->len; f++)
        {
          PtCatalogFee *fee = g_ptr_array_index (item->fees, f);
          g_autofree char *amount = fee->amount_fen > 0 ? pt_format_fen (fee->amount_fen)
                                                         : g_strdup (_("amount by case"));
          g_autofree char *sub = g_strdup_printf (_("Fee · %s · basis: %s"), amount, fee->basis);

          add_sub (row, fee->name, sub);
        }
      if (item->fees->len == 0)
        add_sub (row, _("Free of charge"), NULL);
      if (item->in_person)
        add_sub (row, _("The applicant must appear in person"), NULL);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), row);
      g_ptr_array_add (self->rows, row);
    }
}

static void
first_map_cb (PtCatalogPage *self)
{
  g_signal_handlers_disconnect_by_func (self, first_map_cb, NULL);
  show_items (self);
}

static void
pt_catalog_page_dispose (GObject *object)
{
  g_clear_object (&PT_CATALOG_PAGE (object)->desk);
  G_OBJECT_CLASS (pt_catalog_page_parent_class)->dispose (object);
}

static void
pt_catalog_page_finalize (GObject *object)
{
  g_ptr_array_unref (PT_CATALOG_PAGE (object)->rows);
  G_OBJECT_CLASS (pt_catalog_page_parent_class)->finalize (object);
}

static void
pt_catalog_page_class_init (PtCatalogPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pt_catalog_page_dispose;
  G_OBJECT_CLASS (klass)->finalize = pt_catalog_page_finalize;
}

static void
pt_catalog_page_init (PtCatalogPage *self)
{
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *search_group = adw_preferences_group_new ();

  self->rows = g_ptr_array_new ();
  self->search = gtk_search_entry_new ();
  g_object_set (self->search, "placeholder-text", _("Search items"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Search the catalog"), -1);
  g_signal_connect_swapped (self->search, "search-changed", G_CALLBACK (show_items), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (search_group), self->search);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (search_group));
  self->group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->group), _("Service Items"));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (self->group));
  adw_bin_set_child (ADW_BIN (self), page);
}

void
pt_catalog_page_set_desk (PtCatalogPage *self,
                          PtDesk        *desk)
{
  g_return_if_fail (PT_IS_CATALOG_PAGE (self));
  g_set_object (&self->desk, desk);
  /* Built when first shown, so that starting the application stays fast. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    show_items (self);
  else
    g_signal_connect (self, "map", G_CALLBACK (first_map_cb), NULL);
}
