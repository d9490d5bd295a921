/* pt-enroll-group.c: enrolling the desk from the preferences.
 *
 * The enrollment runs on a thread of its own (pt_sync_enroll_async); once it
 * worked the desk syncs at once. The address and the CA file typed last are
 * kept in GSettings so that a second try starts from them; the ones the desk
 * enrolled with are the database's (meta sync.*). */
#define G_LOG_DOMAIN "pt-app"

#include <glib/gi18n.h>

#include "pt-enroll-group.h"
#include "pt-sync-controller.h"

struct _PtEnrollGroup
{
  AdwPreferencesGroup parent_instance;

  PtDesk        *desk;
  GCancellable  *cancellable;
  GtkWidget     *url_row;      /* AdwEntryRow */
  GtkWidget     *ca_row;       /* AdwActionRow, the file as subtitle */
  GtkWidget     *code_row;     /* AdwEntryRow */
  GtkWidget     *enroll_button;
  GtkWidget     *spinner;
  GtkWidget     *status;       /* GtkLabel: what happened */
  char          *ca_file;
  gboolean       enrolling;
};

G_DEFINE_FINAL_TYPE (PtEnrollGroup, pt_enroll_group, ADW_TYPE_PREFERENCES_GROUP)

static void
show_status (PtEnrollGroup *self,
             const char    *text,
             const char    *style)
{
  gtk_label_set_text (GTK_LABEL (self->status), text != NULL ? text : "");
  gtk_widget_set_visible (self->status, text != NULL);
  gtk_widget_remove_css_class (self->status, "error");
  gtk_widget_remove_css_class (self->status, "success");
  if (style != NULL)
    gtk_widget_add_css_class (self->status, style);
}

static void
update_ca_row (PtEnrollGroup *self)
{
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->ca_row),
                               self->ca_file != NULL && self->ca_file[0] != '\0'
                               ? self->ca_file : _("None: the system's certificate authorities"));
}

/* What the group says of the desk as it is now. */
static void
sync_changed_cb (PtEnrollGroup *self)
{
  PtSyncController *sync = pt_desk_get_sync (self->desk);
  const char *server = pt_sync_controller_get_server (sync);
  g_autofree char *description = NULL;

  switch (pt_sync_controller_get_state (sync))
    {
    case PT_SYNC_STATE_NOT_ENROLLED:
    case PT_SYNC_STATE_UNKNOWN:
      description = g_strdup (_("Ask the district's administrator for a one-time enrollment code for this desk, "
                                "then enter the server's address and the code."));
      break;
    case PT_SYNC_STATE_NEEDS_ENROLL:
      description = g_strdup (_("The district server no longer accepts this desk. Enter a new enrollment code; "
                                "the records waiting here are kept and sent once the desk is enrolled."));
      break;
    default:
      description = g_strdup_printf (_("This desk is enrolled with %s. To move it to another server or enroll it "
                                       "again, enter a new code."), server != NULL ? server : "");
      break;
    }
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self), description);
  if (server != NULL && gtk_editable_get_text (GTK_EDITABLE (self->url_row))[0] == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->url_row), server);
  if (self->ca_file == NULL && pt_sync_controller_get_ca_file (sync) != NULL)
    {
      self->ca_file = g_strdup (pt_sync_controller_get_ca_file (sync));
      update_ca_row (self);
    }
}

static void
set_busy (PtEnrollGroup *self,
          gboolean       busy)
{
  self->enrolling = busy;
  gtk_widget_set_sensitive (self->enroll_button, !busy);
  gtk_widget_set_sensitive (self->url_row, !busy);
  gtk_widget_set_sensitive (self->code_row, !busy);
  gtk_widget_set_visible (self->spinner, busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), busy);
}

static void
enrolled_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PtEnrollGroup) self = user_data;
  g_autoptr(GError) error = NULL;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  set_busy (self, FALSE);
  if (!pt_sync_controller_enroll_finish (PT_SYNC_CONTROLLER (source), result, &error))
    {
      show_status (self, error->message, "error");
      gtk_widget_grab_focus (self->code_row);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
  show_status (self, _("Enrolled. The desk syncs now."), "success");
}

static void
enroll_clicked_cb (PtEnrollGroup *self)
{
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_row))));
  g_autofree char *code = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->code_row))));
  GSettings *settings = pt_desk_get_settings (self->desk);

  if (self->enrolling)
    return;
  if (!g_str_has_prefix (url, "https://") || url[strlen ("https://")] == '\0')
    {
      show_status (self, _("The server's address begins with https://, for example https://paotuan.boshan.gov.cn:8443"),
                   "error");
      gtk_widget_grab_focus (self->url_row);
      return;
    }
  if (code[0] == '\0')
    {
      show_status (self, _("Enter the one-time enrollment code the district's administrator gave you."), "error");
      gtk_widget_grab_focus (self->code_row);
      return;
    }
  if (settings != NULL)
    {
      g_settings_set_string (settings, "server-url", url);
      g_settings_set_string (settings, "ca-file", self->ca_file != NULL ? self->ca_file : "");
    }
  show_status (self, _("Enrolling…"), NULL);
  set_busy (self, TRUE);
  pt_sync_controller_enroll_async (pt_desk_get_sync (self->desk), url, code, self->ca_file, self->cancellable,
                                   enrolled_cb, g_object_ref (self));
}

static void
ca_chosen_cb (GtkNativeDialog *dialog,
              int              response,
              PtEnrollGroup   *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      g_free (self->ca_file);
      self->ca_file = file != NULL ? g_file_get_path (file) : NULL;
      update_ca_row (self);
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
choose_ca_cb (PtEnrollGroup *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (_("Choose the CA Certificate File"),
                                                              GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                              GTK_FILE_CHOOSER_ACTION_OPEN,
                                                              _("_Choose"), _("_Cancel"));
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Certificates (PEM)"));
  gtk_file_filter_add_pattern (filter, "*.pem");
  gtk_file_filter_add_pattern (filter, "*.crt");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (ca_chosen_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
clear_ca_cb (PtEnrollGroup *self)
{
  g_clear_pointer (&self->ca_file, g_free);
  update_ca_row (self);
}

static void
pt_enroll_group_dispose (GObject *object)
{
  PtEnrollGroup *self = PT_ENROLL_GROUP (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->desk);

  G_OBJECT_CLASS (pt_enroll_group_parent_class)->dispose (object);
}

static void
pt_enroll_group_finalize (GObject *object)
{
  g_free (PT_ENROLL_GROUP (object)->ca_file);

  G_OBJECT_CLASS (pt_enroll_group_parent_class)->finalize (object);
}

static void
pt_enroll_group_class_init (PtEnrollGroupClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pt_enroll_group_dispose;
  G_OBJECT_CLASS (klass)->finalize = pt_enroll_group_finalize;
}

static void
pt_enroll_group_init (PtEnrollGroup *self)
{
  GtkWidget *choose = gtk_button_new_with_label (_("Choose…"));
  GtkWidget *clear = gtk_button_new_from_icon_name ("edit-clear-symbolic");
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  self->cancellable = g_cancellable_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("District Server"));

  self->url_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->url_row), _("Server address"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), self->url_row);

  self->ca_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->ca_row), _("CA certificate file"));
  gtk_widget_set_valign (choose, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (clear, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (clear, "flat");
  gtk_widget_set_tooltip_text (clear, _("Use the system's certificate authorities"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (clear), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Use the system's certificate authorities"), -1);
  g_signal_connect_swapped (choose, "clicked", G_CALLBACK (choose_ca_cb), self);
  g_signal_connect_swapped (clear, "clicked", G_CALLBACK (clear_ca_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->ca_row), clear);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->ca_row), choose);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), self->ca_row);

  self->code_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->code_row), _("Enrollment code"));
  g_signal_connect_swapped (self->code_row, "entry-activated", G_CALLBACK (enroll_clicked_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), self->code_row);

  /* Enter in the code enrolls; no mnemonic, whose residue GTK 4.8 would put
   * into the button's accessible name. */
  self->enroll_button = gtk_button_new_with_label (_("Enroll"));
  gtk_widget_add_css_class (self->enroll_button, "suggested-action");
  gtk_widget_set_halign (self->enroll_button, GTK_ALIGN_END);
  gtk_widget_set_valign (self->enroll_button, GTK_ALIGN_START);
  g_signal_connect_swapped (self->enroll_button, "clicked", G_CALLBACK (enroll_clicked_cb), self);
  self->spinner = gtk_spinner_new ();
  gtk_widget_set_visible (self->spinner, FALSE);
  self->status = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->status), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->status), 0);
  gtk_widget_set_hexpand (self->status, TRUE);
  gtk_widget_set_visible (self->status, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Enrollment status"), -1);
  gtk_widget_set_margin_top (row, 12);
  gtk_box_append (GTK_BOX (row), self->status);
  gtk_box_append (GTK_BOX (row), self->spinner);
  gtk_box_append (GTK_BOX (row), self->enroll_button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
}

GtkWidget *
pt_enroll_group_new (PtDesk *desk)
{
  PtEnrollGroup *self = g_object_new (PT_TYPE_ENROLL_GROUP, NULL);
  GSettings *settings = pt_desk_get_settings (desk);

  self->desk = g_object_ref (desk);
  if (settings != NULL)
    {
      g_autofree char *url = g_settings_get_string (settings, "server-url");
      g_autofree char *ca = g_settings_get_string (settings, "ca-file");

      gtk_editable_set_text (GTK_EDITABLE (self->url_row), url);
      if (ca[0] != '\0')
        self->ca_file = g_steal_pointer (&ca);
    }
  update_ca_row (self);
  g_signal_connect_object (pt_desk_get_sync (desk), "changed", G_CALLBACK (sync_changed_cb), self,
                           G_CONNECT_SWAPPED);
  sync_changed_cb (self);
  return GTK_WIDGET (self);
}
