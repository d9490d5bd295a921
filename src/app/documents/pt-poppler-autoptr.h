/* pt-poppler-autoptr.h: g_autoptr for poppler-glib objects.
 *
 * poppler-glib 22.12 (Debian 12) declares no cleanup functions of its own;
 * include this only in .c files, once per file.
 */
#pragma once

#include <poppler.h>

#ifndef PT_POPPLER_AUTOPTR
#define PT_POPPLER_AUTOPTR
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)
#endif
