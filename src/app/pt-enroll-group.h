/* pt-enroll-group.h: the preferences' district server group: enrolling the
 * desk with the address, the CA file of a private authority and the
 * one-time code the district's administrator gives (paotuan-server enroll). */
#pragma once

#include <adwaita.h>

#include "pt-desk.h"

G_BEGIN_DECLS

#define PT_TYPE_ENROLL_GROUP (pt_enroll_group_get_type ())
G_DECLARE_FINAL_TYPE (PtEnrollGroup, pt_enroll_group, PT, ENROLL_GROUP, AdwPreferencesGroup)

GtkWidget *pt_enroll_group_new (PtDesk *desk);

G_END_DECLS
