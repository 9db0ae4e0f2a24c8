/* st-error.c: the engine's error domain and GSL error handling
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gsl/gsl_errno.h>

#include "st-error.h"

G_DEFINE_QUARK (st-error-quark, st_error)

/**
 * st_engine_init:
 *
 * Switches off GSL's default error handler, which calls abort().  Every
 * GSL call in the engine checks its status instead and reports a GError.
 * Constructors call this, so callers need not; it is safe from any
 * thread and cheap after the first call.
 */
void
st_engine_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      gsl_set_error_handler_off ();
      g_once_init_leave (&initialized, 1);
    }
}

/**
 * st_check_gsl_status:
 * @status: a GSL status code
 * @failure: a translated sentence naming what failed, such as
 *   "Cannot index the COO matrix"
 * @error: return location for an error
 *
 * Returns: %TRUE when @status is GSL_SUCCESS, otherwise %FALSE with
 * @error set to @failure followed by GSL's reason, which GSL gives in
 * English only.
 */
gboolean
st_check_gsl_status (int          status,
                     const char  *failure,
                     GError     **error)
{
  if (status == GSL_SUCCESS)
    return TRUE;

  g_set_error (error, ST_ERROR,
               status == GSL_ENOMEM ? ST_ERROR_TOO_LARGE : ST_ERROR_NUMERIC,
               /* Translators: a sentence naming what failed, then GSL's reason
                * in English and its error number. */
               _("%s: %s (GSL error %d)"),
               failure, gsl_strerror (status), status);
  return FALSE;
}
