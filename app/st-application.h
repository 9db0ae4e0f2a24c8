/* st-application.h: the application object
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define ST_TYPE_APPLICATION (st_application_get_type ())

G_DECLARE_FINAL_TYPE (StApplication, st_application, ST, APPLICATION, AdwApplication)

StApplication *st_application_new (const char        *application_id,
                                   GApplicationFlags  flags);

G_END_DECLS
