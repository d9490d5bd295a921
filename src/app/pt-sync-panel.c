/* pt-sync-panel.c: the sidebar's sync status. */
#define G_LOG_DOMAIN "pt-app"

#include <glib/gi18n.h>

#include "pt-app-util.h"
#include "pt-sync-panel.h"

/* A desk that has not synced for longer than this is warned. */
#define STALE_MS (24 * 3600 * G_GINT64_CONSTANT (1000))

struct _PtSyncPanel
{
  GtkBox            parent_instance;

  PtSyncController *sync;
  GtkWidget        *status;     /* "10:57 同步" / "正在同步…" / "未连上区级服务器" */
  GtkWidget        *counts;     /* "待上传 3 条" */
  GtkWidget        *button;
  GtkWidget        *spinner;
  guint             clock;      /* redraws the relative time every minute */
};

G_DEFINE_FINAL_TYPE (PtSyncPanel, pt_sync_panel, GTK_TYPE_BOX)

static void
set_style (GtkWidget  *label,
           const char *style)
{
  gtk_widget_remove_css_class (label, "warning");
  gtk_widget_remove_css_class (label, "error");
  gtk_widget_remove_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, style);
}

static void
update (PtSyncPanel *self)
{
  PtSyncState state = pt_sync_controller_get_state (self->sync);
  gint64 last = pt_sync_controller_get_last_sync (self->sync);
  gint64 now = g_get_real_time () / 1000;
  gint64 pending = pt_sync_controller_get_pending (self->sync);
  gint64 quarantined = pt_sync_controller_get_quarantined (self->sync);
  const char *message = pt_sync_controller_get_message (self->sync);
  const char *detail = pt_sync_controller_get_detail (self->sync);
  g_autofree char *status = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *tooltip = NULL;
  const char *style = "dim-label";
  gboolean enroll = state == PT_SYNC_STATE_NOT_ENROLLED || state == PT_SYNC_STATE_NEEDS_ENROLL;
  gboolean syncing = state == PT_SYNC_STATE_SYNCING;

  switch (state)
    {
    case PT_SYNC_STATE_UNKNOWN:
      status = g_strdup ("");
      break;
    case PT_SYNC_STATE_NOT_ENROLLED:
      status = g_strdup (_("This desk is not enrolled"));
      tooltip = g_strdup (_("Enroll it with the district server in Preferences to sync its records."));
      break;
    case PT_SYNC_STATE_NEEDS_ENROLL:
      status = g_strdup (_("Enroll this desk again"));
      style = "error";
      break;
    case PT_SYNC_STATE_SYNCING:
      status = g_strdup_printf (_("Syncing: %s"), pt_sync_controller_get_progress (self->sync));
      break;
    case PT_SYNC_STATE_OFFLINE:
      status = g_strdup (_("Server not reached; working offline"));
      style = "warning";
      break;
    case PT_SYNC_STATE_FAILED:
      status = g_strdup (_("The last sync stopped"));
      style = "warning";
      break;
    case PT_SYNC_STATE_IDLE:
    default:
      status = pt_format_sync_time (last, now);
      break;
    }
  /* Long offline: said, whatever the last try found. */
  if (!enroll && !syncing && last > 0 && now - last > STALE_MS)
    {
      int days = (int) ((now - last) / (24 * 3600 * 1000));

      g_free (status);
      status = g_strdup_printf (g_dngettext (NULL, "Not synced for %d day", "Not synced for %d days", MAX (days, 1)),
                                MAX (days, 1));
      style = "warning";
    }
  if (state != PT_SYNC_STATE_UNKNOWN && state != PT_SYNC_STATE_NOT_ENROLLED)
    {
      if (pending == 0)
        counts = g_strdup (_("Nothing waiting to be sent"));
      else
        counts = g_strdup_printf (g_dngettext (NULL, "%d record waiting to be sent",
                                               "%d records waiting to be sent", pending), (int) pending);
      if (quarantined > 0)
        {
          g_autofree char *rejected = g_strdup_printf (g_dngettext (NULL, "%d refused by the server",
                                                                    "%d refused by the server", quarantined),
                                                       (int) quarantined);
          char *both = g_strdup_printf ("%s · %s", counts, rejected);

          g_free (counts);
          counts = both;
        }
    }
  if (tooltip == NULL && message != NULL)
    tooltip = detail != NULL ? g_strdup_printf ("%s\n\n%s", message, detail) : g_strdup (message);
  if (tooltip == NULL && last > 0)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (last / 1000);
      g_autofree char *when = pt_format_beijing (utc, "%Y-%m-%d %H:%M");

      tooltip = g_strdup_printf (_("Last synced %s (Beijing time)"), when);
    }

  gtk_label_set_text (GTK_LABEL (self->status), status);
  set_style (self->status, style);
  gtk_widget_set_tooltip_text (self->status, tooltip);
  gtk_label_set_text (GTK_LABEL (self->counts), counts != NULL ? counts : "");
  gtk_widget_set_visible (self->counts, counts != NULL);
  gtk_widget_set_visible (self->spinner, syncing);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), syncing);
  /* No mnemonic (F5 syncs): GTK 4.8 would name the button with its residue. */
  if (enroll)
    {
      gtk_button_set_label (GTK_BUTTON (self->button), _("Enroll This Desk…"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->button), "app.preferences");
    }
  else
    {
      gtk_button_set_label (GTK_BUTTON (self->button), _("Sync Now"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->button), "win.sync");
    }
  gtk_widget_set_visible (self->button, state != PT_SYNC_STATE_UNKNOWN);
  gtk_widget_set_sensitive (self->button, !syncing);
  {
    g_autofree char *name = counts != NULL ? g_strdup_printf ("%s, %s", status, counts) : g_strdup (status);

    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  }
}

static gboolean
clock_cb (gpointer user_data)
{
  update (PT_SYNC_PANEL (user_data));
  return G_SOURCE_CONTINUE;
}

static void
pt_sync_panel_dispose (GObject *object)
{
  PtSyncPanel *self = PT_SYNC_PANEL (object);

  g_clear_handle_id (&self->clock, g_source_remove);
  g_clear_object (&self->sync);

  G_OBJECT_CLASS (pt_sync_panel_parent_class)->dispose (object);
}

static void
pt_sync_panel_class_init (PtSyncPanelClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pt_sync_panel_dispose;
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), GTK_ACCESSIBLE_ROLE_GROUP);
}

static GtkWidget *
caption (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  /* The sidebar keeps its width, whatever the text and its size. */
  gtk_label_set_width_chars (GTK_LABEL (label), 1);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 18);
  gtk_widget_add_css_class (label, "caption");
  return label;
}

static void
pt_sync_panel_init (PtSyncPanel *self)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 2);
  self->status = caption ();
  self->counts = caption ();
  gtk_widget_add_css_class (self->counts, "dim-label");
  self->button = gtk_button_new_with_label (_("Sync Now"));
  gtk_widget_add_css_class (self->button, "flat");
  gtk_widget_set_halign (self->button, GTK_ALIGN_START);
  self->spinner = gtk_spinner_new ();
  gtk_widget_set_visible (self->spinner, FALSE);
  gtk_box_append (GTK_BOX (row), self->button);
  gtk_box_append (GTK_BOX (row), self->spinner);
  gtk_box_append (GTK_BOX (self), self->status);
  gtk_box_append (GTK_BOX (self), self->counts);
  gtk_box_append (GTK_BOX (self), row);
}

GtkWidget *
pt_sync_panel_new (PtSyncController *sync)
{
  PtSyncPanel *self = g_object_new (PT_TYPE_SYNC_PANEL, NULL);

  self->sync = g_object_ref (sync);
  g_signal_connect_object (sync, "changed", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  self->clock = g_timeout_add_seconds (60, clock_cb, self);
  update (self);
  return GTK_WIDGET (self);
}
