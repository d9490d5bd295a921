/* pt-preferences-window.h: this desk's unit, runner, server and center details. */
#pragma once

#include <adwaita.h>

#include "pt-desk.h"

G_BEGIN_DECLS

GtkWidget *pt_preferences_window_new (PtDesk *desk);

G_END_DECLS
