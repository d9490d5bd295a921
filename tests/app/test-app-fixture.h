/* test-app-fixture.h: a demo store behind a worker, for the app's widget tests. */
#pragma once

#include <gtk/gtk.h>

#include "pt-desk.h"
#include "pt-store-worker.h"

typedef struct {
  char          *dir;
  char          *path;
  PtReference   *reference;
  PtStoreWorker *worker;
  PtDesk        *desk;
} AppFixture;

/* Makes a database with the district, runners and @n_cases demo cases. */
void     app_fixture_setup     (AppFixture *fixture,
                                guint       n_cases);
void     app_fixture_teardown  (AppFixture *fixture);
/* Iterates the main context until *@flag is TRUE, failing after @seconds. */
void     app_fixture_wait      (gboolean   *flag,
                                guint       seconds);
/* Appends to @found every widget of @type under @root (itself included), in
 * the order a clerk tabs through them. */
void     app_fixture_collect   (GtkWidget  *root,
                                GType       type,
                                GPtrArray  *found);
