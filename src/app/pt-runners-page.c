/* pt-runners-page.c: one group per unit; a warning where the seed's minimum
 * (§三(二): a department 1, a town 2, a village 2) is not met. */
#define G_LOG_DOMAIN "pt-app"

#include <glib/gi18n.h>

#include "pt-runners-page.h"

#include "pt-app-util.h"
#include "pt-district.h"
#include "pt-reference.h"

struct _PtRunnersPage
{
  AdwBin        parent_instance;

  GtkWidget    *page;
  GPtrArray    *groups;
  PtDesk       *desk;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (PtRunnersPage, pt_runners_page, ADW_TYPE_BIN)

static void
runners_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PtRunnersPage) self = user_data;
  g_autoptr(GPtrArray) runners = NULL;
  g_autoptr(GError) error = NULL;
  PtReference *reference;
  const char *desk_unit;

  runners = pt_store_worker_list_runners_finish (PT_STORE_WORKER (source), result, &error);
  if (runners == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        pt_toast (GTK_WIDGET (self), error->message);
      return;
    }
  reference = pt_desk_get_reference (self->desk);
  desk_unit = pt_desk_get_unit (self->desk);

  for (guint i = 0; i < self->groups->len; i++)
    adw_preferences_page_remove (ADW_PREFERENCES_PAGE (self->page), g_ptr_array_index (self->groups, i));
  g_ptr_array_set_size (self->groups, 0);

  for (guint u = 0; u < pt_district_get_n_units (reference->district); u++)
    {
      const PtUnit *unit = pt_district_get_unit (reference->district, u);
      GtkWidget *group;
      guint active = 0;
      guint minimum = pt_unit_min_runners (unit);

      /* A desk sees its own unit and the units below it. */
      if (desk_unit != NULL && !pt_district_is_within (reference->district, unit->code, desk_unit))
        continue;
      group = adw_preferences_group_new ();
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), unit->name);
      for (guint i = 0; i < runners->len; i++)
        {
          PtRunner *runner = g_ptr_array_index (runners, i);
          GtkWidget *row;
          g_autofree char *subtitle = NULL;

          if (g_strcmp0 (runner->unit, unit->code) != 0)
            continue;
          row = adw_action_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), runner->name);
          subtitle = g_strdup_printf (_("%s · staff no. %s · %s"), runner->phone ? runner->phone : "",
                                      runner->staff_number ? runner->staff_number : "",
                                      runner->active ? _("active") : _("inactive"));
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
          if (runner->active)
            active++;
        }
      if (active < minimum)
        {
          g_autofree char *warning = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                   "⚠ %u active runner; the implementing opinions require at least %u",
                                                                   "⚠ %u active runners; the implementing opinions require at least %u",
                                                                   active), active, minimum);
          adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), warning);
          gtk_widget_add_css_class (group, "warning");
        }
      else if (active == 0)
        continue;
      adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page), ADW_PREFERENCES_GROUP (group));
      g_ptr_array_add (self->groups, group);
    }
}

static void
load (PtRunnersPage *self)
{
  pt_store_worker_list_runners_async (pt_desk_get_worker (self->desk), NULL, self->cancellable,
                                      runners_cb, g_object_ref (self));
}

static void
first_map_cb (PtRunnersPage *self)
{
  g_signal_handlers_disconnect_by_func (self, first_map_cb, NULL);
  load (self);
}

static void
pt_runners_page_dispose (GObject *object)
{
  PtRunnersPage *self = PT_RUNNERS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->desk);

  G_OBJECT_CLASS (pt_runners_page_parent_class)->dispose (object);
}

static void
pt_runners_page_finalize (GObject *object)
{
  g_ptr_array_unref (PT_RUNNERS_PAGE (object)->groups);
  G_OBJECT_CLASS (pt_runners_page_parent_class)->finalize (object);
}

static void
pt_runners_page_class_init (PtRunnersPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pt_runners_page_dispose;
  G_OBJECT_CLASS (klass)->finalize = pt_runners_page_finalize;
}

static void
pt_runners_page_init (PtRunnersPage *self)
{
  self->groups = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  self->page = adw_preferences_page_new ();
  adw_bin_set_child (ADW_BIN (self), self->page);
}

void
pt_runners_page_set_desk (PtRunnersPage *self,
                          PtDesk        *desk)
{
  g_return_if_fail (PT_IS_RUNNERS_PAGE (self));
  g_set_object (&self->desk, desk);
  /* Loaded when first shown, so that starting the application stays fast. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    load (self);
  else
    g_signal_connect (self, "map", G_CALLBACK (first_map_cb), NULL);
}
