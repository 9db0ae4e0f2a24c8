/* st-error.h: the engine's error domain and GSL error handling
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ST_ERROR (st_error_quark ())

/* Engine error messages name the offending value and are translated
 * through gettext in the application's domain, so the window and the
 * command line tool show them in the user's language. */
typedef enum
{
  ST_ERROR_INVALID_ARGUMENT = 1, /* a parameter outside its documented range */
  ST_ERROR_PARSE,                /* a file that does not follow its format */
  ST_ERROR_TOO_LARGE,            /* a size that overflows or exceeds a limit */
  ST_ERROR_MISMATCH,             /* shapes that do not fit together */
  ST_ERROR_UNSUPPORTED,          /* a valid feature this engine does not handle */
  ST_ERROR_NUMERIC,              /* a NaN, an infinity or a GSL failure */
  ST_ERROR_IO,                   /* reading or writing a file failed */
} StError;

GQuark   st_error_quark       (void);
void     st_engine_init       (void);
gboolean st_check_gsl_status  (int          status,
                               const char  *failure,
                               GError     **error);

G_END_DECLS
