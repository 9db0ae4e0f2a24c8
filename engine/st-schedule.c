/* st-schedule.c: learning rate schedules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "st-error.h"
#include "st-schedule.h"

/* Names in model files and on the command line; never translated. */
static const char *const kind_names[ST_N_SCHEDULES] = { "constant", "step", "cosine" };

/* A constant rate; the step and cosine fields get usable values
 * (halve every 10 epochs; 100 epochs down to 0) for when the kind
 * changes. */
void
st_schedule_init_default (StSchedule *schedule)
{
  schedule->kind = ST_SCHEDULE_CONSTANT;
  schedule->step_epochs = 10;
  schedule->gamma = 0.5;
  schedule->total_epochs = 100;
  schedule->min_rate = 0.0;
}

gboolean
st_schedule_validate (const StSchedule  *schedule,
                      GError           **error)
{
  switch (schedule->kind)
    {
    case ST_SCHEDULE_CONSTANT:
      return TRUE;

    case ST_SCHEDULE_STEP:
      if (schedule->step_epochs == 0)
        {
          g_set_error_literal (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT,
                               _("A step schedule needs at least 1 epoch between cuts"));
          return FALSE;
        }
      if (!(schedule->gamma > 0.0 && schedule->gamma <= 1.0))
        {
          g_set_error (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT,
                       _("The step factor %g is outside (0, 1]; 0.5 halves the rate at each cut"),
                       schedule->gamma);
          return FALSE;
        }
      return TRUE;

    case ST_SCHEDULE_COSINE:
      if (schedule->total_epochs == 0)
        {
          g_set_error_literal (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT,
                               _("A cosine schedule needs the number of epochs it spans"));
          return FALSE;
        }
      if (!(schedule->min_rate >= 0.0) || !isfinite (schedule->min_rate))
        {
          g_set_error (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT,
                       _("The final rate %g of a cosine schedule must be 0 or positive"),
                       schedule->min_rate);
          return FALSE;
        }
      return TRUE;

    default:
      g_set_error (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT, _("Unknown schedule %d"),
                   (int) schedule->kind);
      return FALSE;
    }
}

/**
 * st_schedule_get_rate:
 * @schedule: a valid schedule
 * @base_rate: r0
 * @epoch: epochs completed
 * @step_in_epoch: steps taken in the current epoch
 * @steps_per_epoch: steps in a whole epoch, at least 1
 *
 * Returns: the rate for the next step; see #StSchedule
 */
double
st_schedule_get_rate (const StSchedule *schedule,
                      double            base_rate,
                      guint             epoch,
                      guint             step_in_epoch,
                      guint             steps_per_epoch)
{
  double progress;

  switch (schedule->kind)
    {
    case ST_SCHEDULE_STEP:
      return base_rate * pow (schedule->gamma, (double) (epoch / schedule->step_epochs));

    case ST_SCHEDULE_COSINE:
      progress = (epoch + (double) step_in_epoch / MAX (steps_per_epoch, 1)) /
                 schedule->total_epochs;
      progress = MIN (progress, 1.0);
      return schedule->min_rate +
             (base_rate - schedule->min_rate) * (1.0 + cos (G_PI * progress)) / 2.0;

    case ST_SCHEDULE_CONSTANT:
    default:
      return base_rate;
    }
}

const char *
st_schedule_kind_to_string (StScheduleKind kind)
{
  g_return_val_if_fail ((guint) kind < ST_N_SCHEDULES, NULL);

  return kind_names[kind];
}

gboolean
st_schedule_kind_from_string (const char     *text,
                              StScheduleKind *kind)
{
  for (guint k = 0; text != NULL && k < ST_N_SCHEDULES; k++)
    {
      if (g_ascii_strcasecmp (text, kind_names[k]) == 0)
        {
          *kind = (StScheduleKind) k;
          return TRUE;
        }
    }

  return FALSE;
}
