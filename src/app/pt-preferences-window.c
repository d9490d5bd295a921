/* pt-preferences-window.c: every preference is a GSettings key, bound to its row. */
#define G_LOG_DOMAIN "pt-app"

#include <glib/gi18n.h>

#include "pt-preferences-window.h"

#include "pt-app-util.h"
#include "pt-district.h"
#include "pt-reference.h"

static GtkWidget *
bound_entry (GtkWidget  *group,
             GSettings  *settings,
             const char *key,
             const char *title,
             const char *subtitle)
{
  GtkWidget *entry;
  GtkWidget *row = pt_entry_row_new (title, &entry);

  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (settings != NULL)
    g_settings_bind (settings, key, entry, "text", G_SETTINGS_BIND_DEFAULT);
  else
    gtk_widget_set_sensitive (row, FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return entry;
}

static void
update_level (GtkWidget *row,
              PtDesk    *desk)
{
  const PtUnit *unit = pt_desk_get_unit_info (desk);
  g_autofree char *text = NULL;

  if (unit != NULL)
    text = g_strdup_printf (_("%s — %s level"), unit->name, pt_ui_level_label (unit->level));
  else
    text = g_strdup (_("Unknown unit: enter a code from the district list, e.g. 370304-YC-001"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
}

/**
 * pt_preferences_window_new:
 * @desk: the desk whose settings are edited
 *
 * Returns: (transfer floating): a preferences window; changes apply at once.
 */
GtkWidget *
pt_preferences_window_new (PtDesk *desk)
{
  GtkWidget *window = adw_preferences_window_new ();
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *desk_group = adw_preferences_group_new ();
  GtkWidget *server_group = adw_preferences_group_new ();
  GtkWidget *center_group = adw_preferences_group_new ();
  GtkWidget *level_row = adw_action_row_new ();
  GSettings *settings = pt_desk_get_settings (desk);

  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page), _("Desk"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (page), "preferences-system-symbolic");

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (desk_group), _("This Desk"));
  if (settings == NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (desk_group),
                                           _("The settings schema is not installed: install the application to keep preferences."));
  bound_entry (desk_group, settings, "unit", _("Unit code"),
               _("Empty: the unit recorded in the database"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (level_row), _("Unit and level"));
  update_level (level_row, desk);
  g_signal_connect_object (desk, "notify::unit", G_CALLBACK (update_level), level_row, G_CONNECT_SWAPPED);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (desk_group), level_row);
  bound_entry (desk_group, settings, "runner", _("Signed-in runner"),
               _("Runner id, e.g. R-0001; empty: the runner recorded in the database"));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (server_group), _("District Server"));
  bound_entry (server_group, settings, "server-url", _("Server address"), _("https:// only"));
  bound_entry (server_group, settings, "ca-file", _("CA certificate file"),
               _("Only for a server with a private certificate authority"));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (center_group), _("Service Center"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (center_group),
                                         _("Printed on agreements, receipts and notices."));
  bound_entry (center_group, settings, "center-name", _("Name"), NULL);
  bound_entry (center_group, settings, "center-address", _("Address"), NULL);
  bound_entry (center_group, settings, "center-hotline", _("Hotline"), NULL);

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (desk_group));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (server_group));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (center_group));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (page));
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 640);
  return window;
}
