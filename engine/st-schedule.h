/* st-schedule.h: learning rate schedules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  ST_SCHEDULE_CONSTANT,
  ST_SCHEDULE_STEP,
  ST_SCHEDULE_COSINE,
} StScheduleKind;

#define ST_N_SCHEDULES 3

/* How the learning rate r0 changes over a run, with p the share of the
 * run done (completed epochs plus the fraction of the current one, over
 * total_epochs, at most 1):
 *
 *   constant:  r = r0
 *   step:      r = r0 gamma^floor(epoch / step_epochs), epoch counted from 0
 *   cosine:    r = min_rate + (r0 - min_rate) (1 + cos (pi p)) / 2
 */
typedef struct
{
  StScheduleKind kind;
  guint step_epochs;     /* step: epochs between two cuts */
  double gamma;          /* step: factor at each cut */
  guint total_epochs;    /* cosine: epochs from r0 down to min_rate */
  double min_rate;       /* cosine: the rate at the end */
} StSchedule;

void        st_schedule_init_default      (StSchedule       *schedule);
gboolean    st_schedule_validate          (const StSchedule *schedule,
                                           GError          **error);
double      st_schedule_get_rate          (const StSchedule *schedule,
                                           double            base_rate,
                                           guint             epoch,
                                           guint             step_in_epoch,
                                           guint             steps_per_epoch);
const char *st_schedule_kind_to_string    (StScheduleKind    kind);
gboolean    st_schedule_kind_from_string  (const char       *text,
                                           StScheduleKind   *kind);

G_END_DECLS
