/* pt-desk.c: the desk's identity, from the database's meta. */
#define G_LOG_DOMAIN "pt-app"

#include "pt-desk.h"

#include "pt-calendar.h"
#include "pt-district.h"
#include "pt-sync-controller.h"

struct _PtDesk
{
  GObject        parent_instance;

  PtStoreWorker *worker;
  GSettings     *settings;
  PtSyncController *sync;
  char          *db_unit;     /* from the database's meta */
  char          *db_runner;
};

G_DEFINE_FINAL_TYPE (PtDesk, pt_desk, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_UNIT,
  PROP_RUNNER,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
pt_desk_dispose (GObject *object)
{
  PtDesk *self = PT_DESK (object);

  if (self->sync != NULL)
    pt_sync_controller_stop (self->sync);
  g_clear_object (&self->sync);
  g_clear_object (&self->worker);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pt_desk_parent_class)->dispose (object);
}

static void
pt_desk_finalize (GObject *object)
{
  PtDesk *self = PT_DESK (object);

  g_free (self->db_unit);
  g_free (self->db_runner);

  G_OBJECT_CLASS (pt_desk_parent_class)->finalize (object);
}

static void
pt_desk_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  PtDesk *self = PT_DESK (object);

  switch (prop_id)
    {
    case PROP_UNIT:
      g_value_set_string (value, pt_desk_get_unit (self));
      break;
    case PROP_RUNNER:
      g_value_set_string (value, pt_desk_get_runner (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_desk_class_init (PtDeskClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pt_desk_dispose;
  object_class->finalize = pt_desk_finalize;
  object_class->get_property = pt_desk_get_property;

  properties[PROP_UNIT] =
    g_param_spec_string ("unit", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNER] =
    g_param_spec_string ("runner", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A page wrote to the store; the argument is the case id, or NULL. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
pt_desk_init (PtDesk *self)
{
}

PtDesk *
pt_desk_new (PtStoreWorker *worker,
             GSettings     *settings)
{
  PtDesk *self;

  g_return_val_if_fail (PT_IS_STORE_WORKER (worker), NULL);

  self = g_object_new (PT_TYPE_DESK, NULL);
  self->worker = g_object_ref (worker);
  if (settings != NULL)
    self->settings = g_object_ref (settings);
  self->sync = pt_sync_controller_new (self);
  return self;
}

PtSyncController *
pt_desk_get_sync (PtDesk *self)
{
  g_return_val_if_fail (PT_IS_DESK (self), NULL);

  return self->sync;
}

PtStoreWorker *
pt_desk_get_worker (PtDesk *self)
{
  g_return_val_if_fail (PT_IS_DESK (self), NULL);
  return self->worker;
}

PtReference *
pt_desk_get_reference (PtDesk *self)
{
  g_return_val_if_fail (PT_IS_DESK (self), NULL);
  return pt_store_worker_get_reference (self->worker);
}

GSettings *
pt_desk_get_settings (PtDesk *self)
{
  g_return_val_if_fail (PT_IS_DESK (self), NULL);
  return self->settings;
}

const char *
pt_desk_get_unit (PtDesk *self)
{
  g_return_val_if_fail (PT_IS_DESK (self), NULL);
  return self->db_unit;
}

const PtUnit *
pt_desk_get_unit_info (PtDesk *self)
{
  PtReference *reference = pt_desk_get_reference (self);
  const char *unit = pt_desk_get_unit (self);

  if (unit == NULL || reference == NULL || reference->district == NULL)
    return NULL;
  return pt_district_lookup (reference->district, unit);
}

PtLevel
pt_desk_get_level (PtDesk *self)
{
  const PtUnit *unit = pt_desk_get_unit_info (self);

  /* A desk that does not know its unit yet is treated as the district's. */
  return unit != NULL ? unit->level : PT_LEVEL_DISTRICT;
}

const char *
pt_desk_get_runner (PtDesk *self)
{
  g_return_val_if_fail (PT_IS_DESK (self), NULL);
  return self->db_runner;
}

void
pt_desk_set_defaults (PtDesk     *self,
                      const char *unit,
                      const char *runner)
{
  g_return_if_fail (PT_IS_DESK (self));

  g_free (self->db_unit);
  self->db_unit = g_strdup (unit);
  g_free (self->db_runner);
  self->db_runner = g_strdup (runner);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNIT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNER]);
}

char *
pt_desk_today (PtDesk *self)
{
  const char *fixed = g_getenv ("PT_TODAY");

  if (fixed != NULL && fixed[0] != '\0')
    return g_strdup (fixed);
  return pt_date_today ();
}

void
pt_desk_emit_changed (PtDesk     *self,
                      const char *case_id)
{
  g_return_if_fail (PT_IS_DESK (self));
  g_signal_emit (self, signals[CHANGED], 0, case_id);
}
