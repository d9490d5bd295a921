/* pt-window.h: the main window: sidebar of pages, the pages, the case page. */
#pragma once

#include <adwaita.h>

#include "pt-desk.h"

G_BEGIN_DECLS

#define PT_TYPE_WINDOW (pt_window_get_type ())
G_DECLARE_FINAL_TYPE (PtWindow, pt_window, PT, WINDOW, AdwApplicationWindow)

PtWindow *pt_window_new           (AdwApplication *application,
                                   PtDesk         *desk);
void      pt_window_show_page     (PtWindow       *self,
                                   const char     *name);
void      pt_window_open_case     (PtWindow       *self,
                                   const char     *number);
void      pt_window_toast         (PtWindow       *self,
                                   const char     *message);

G_END_DECLS
