/* pt-sync-token.c: the desk's token in the keyring or in its database.
 *
 * Nothing here may start a daemon or ask the clerk for a password: the
 * keyring is used only when its service already owns its name on the
 * session bus and its default collection is unlocked. A sync that finds the
 * keyring locked says so instead of prompting. */
#define G_LOG_DOMAIN "paotuan"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "pt-error.h"
#include "pt-store-sync.h"
#include "pt-sync-token.h"

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    "io.github.paotuan.Paotuan.Token", SECRET_SCHEMA_NONE,
    {
      { "device", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

/* Whether a Secret Service runs in this session, asked without starting
 * one (no bus autolaunch, no D-Bus activation). */
static gboolean
service_running (void)
{
  const char *runtime = g_getenv ("XDG_RUNTIME_DIR");
  g_autofree char *bus_path = runtime != NULL ? g_build_filename (runtime, "bus", NULL) : NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  if (g_strcmp0 (g_getenv ("PAOTUAN_KEYRING"), "0") == 0)
    return FALSE;
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL
      && (bus_path == NULL || !g_file_test (bus_path, G_FILE_TEST_EXISTS)))
    return FALSE;
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (bus == NULL)
    return FALSE;
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NO_AUTO_START,
                                       2000, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

/* Whether the keyring runs and its default collection is open. */
static gboolean
keyring_open (void)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;

  if (!service_running ())
    return FALSE;
  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, NULL);
  if (service == NULL)
    return FALSE;
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, NULL);
  return collection != NULL && !secret_collection_get_locked (collection);
}

gboolean
pt_sync_token_to_keyring (const char *device,
                          const char *server,
                          const char *token)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;

  if (!keyring_open ())
    return FALSE;
  /* TRANSLATORS: the name of the desk's token in the user's keyring */
  label = g_strdup_printf (_("Paotuan desk %s at %s"), device, server);
  if (!secret_password_store_sync (token_schema (), SECRET_COLLECTION_DEFAULT, label, token,
                                   NULL, &error, "device", device, "server", server, NULL))
    {
      g_warning ("The keyring did not take the desk's token (%s); it stays in the database",
                 error->message);
      return FALSE;
    }
  return TRUE;
}

char *
pt_sync_token_get (PtStore  *store,
                   GError  **error)
{
  g_autofree char *token = pt_store_get_meta (store, "sync.token");
  g_autofree char *where = NULL;
  g_autofree char *device = NULL;
  g_autofree char *server = NULL;
  g_autoptr(GError) local = NULL;
  char *secret;

  if (token != NULL)
    return g_steal_pointer (&token);
  where = pt_store_get_meta (store, "sync.token_in");
  if (g_strcmp0 (where, "keyring") != 0)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_AUTH,
                   _("The server refused this desk's token earlier; enroll the desk again "
                     "with a new code (paotuanctl enroll)"));
      return NULL;
    }
  if (!keyring_open ())
    {
      g_set_error (error, PT_ERROR, PT_ERROR_AUTH,
                   _("This desk's token is kept in the keyring of the user who enrolled it, "
                     "which is not open here; sign in to that desktop (or unlock its keyring) "
                     "and sync again"));
      return NULL;
    }
  device = pt_store_get_meta (store, "sync.device");
  server = pt_store_get_meta (store, "sync.server");
  secret = secret_password_lookup_sync (token_schema (), NULL, &local,
                                        "device", device ? device : "", "server", server ? server : "",
                                        NULL);
  if (secret == NULL)
    {
      g_set_error (error, PT_ERROR, PT_ERROR_AUTH,
                   _("This desk's token is no longer in the keyring; enroll the desk again "
                     "with a new code (paotuanctl enroll)"));
      return NULL;
    }
  token = g_strdup (secret);
  secret_password_free (secret);
  return g_steal_pointer (&token);
}

void
pt_sync_token_drop_from_keyring (const char *device,
                                 const char *server)
{
  if (device == NULL || server == NULL || !keyring_open ())
    return;
  secret_password_clear_sync (token_schema (), NULL, NULL, "device", device, "server", server, NULL);
}

void
pt_sync_token_forget (PtStore *store)
{
  g_autofree char *where = pt_store_get_meta (store, "sync.token_in");
  g_autofree char *device = pt_store_get_meta (store, "sync.device");
  g_autofree char *server = pt_store_get_meta (store, "sync.server");

  pt_store_sync_forget_token (store, NULL);
  if (g_strcmp0 (where, "keyring") == 0)
    pt_sync_token_drop_from_keyring (device, server);
}
