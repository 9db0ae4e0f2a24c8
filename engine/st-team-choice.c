/* st-team-choice.c: whether a network's steps share the thread team
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small network's step hands its layers' rows back and forth between
 * the team's threads several times.  Where the processors pass data
 * slowly, that costs more than the second thread saves.  On host B of
 * docs/benchmarks.md, a virtual machine, the digits network's epoch
 * took 2.3 ms on 2 threads and 2.65 ms on one in some hours.  In others
 * it took 6.5 to 7.5 ms on 2 threads and still 2.65 ms on one, and a
 * job's hand-over took 0.46 µs instead of 0.16.
 *
 * So a network times its steps and runs them on the team or on the
 * calling thread alone, whichever took less time per sample.  From time
 * to time it tries the other mode for a few steps, less often while
 * that mode keeps losing.  No result depends on the count of threads
 * (st-parallel.c), so the choice changes only the time.
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include <string.h>

#include "st-team-choice.h"

/* A try must beat the preferred mode by this factor to replace it, so
 * that two modes about as fast do not take turns on noise. */
#define SWITCH_FACTOR 0.9

void
st_team_choice_init (StTeamChoice *choice)
{
  memset (choice, 0, sizeof *choice);
  choice->preferred = ST_TEAM_SHARED;
  choice->interval = ST_TEAM_CHOICE_FIRST_INTERVAL;
  choice->try_start = ST_TEAM_CHOICE_WARM_UP + ST_TEAM_CHOICE_FIRST_INTERVAL;
}

static StTeamMode
other_mode (StTeamMode mode)
{
  return mode == ST_TEAM_SHARED ? ST_TEAM_ALONE : ST_TEAM_SHARED;
}

static gboolean
in_try (const StTeamChoice *choice)
{
  return choice->steps >= choice->try_start &&
         choice->steps < choice->try_start + ST_TEAM_CHOICE_WINDOW;
}

/* Returns: the mode for the next step */
StTeamMode
st_team_choice_next (const StTeamChoice *choice)
{
  return in_try (choice) ? other_mode (choice->preferred) : choice->preferred;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Returns: the median of the @n values, or 0 for none */
static double
median (const double *values,
        guint         n)
{
  double sorted[ST_TEAM_CHOICE_WINDOW];

  if (n == 0)
    return 0.0;

  memcpy (sorted, values, n * sizeof (double));
  qsort (sorted, n, sizeof (double), compare_doubles);
  return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
}

/* Compares the finished try with the preferred mode's recent steps, and
 * sets when the next try starts. */
static void
judge_try (StTeamChoice *choice)
{
  double tried = median (choice->tried, choice->n_tried);
  double preferred = median (choice->recent,
                             (guint) MIN (choice->recent_written, ST_TEAM_CHOICE_WINDOW));

  if (preferred > 0.0 && tried < SWITCH_FACTOR * preferred)
    {
      choice->preferred = other_mode (choice->preferred);
      memcpy (choice->recent, choice->tried, sizeof choice->recent);
      choice->recent_written = choice->n_tried;
      choice->interval = ST_TEAM_CHOICE_FIRST_INTERVAL;
    }
  else
    {
      choice->interval = MIN (2 * choice->interval, ST_TEAM_CHOICE_MAX_INTERVAL);
    }

  choice->n_tried = 0;
  choice->try_start = choice->steps + choice->interval;
}

/**
 * st_team_choice_record:
 * @choice: the network's choice
 * @mode: the mode the step ran in, as st_team_choice_next() gave it
 * @microseconds_per_sample: the step's time divided by its batch
 *
 * Counts one step and learns from its time.  The first
 * %ST_TEAM_CHOICE_WARM_UP steps are counted only.
 */
void
st_team_choice_record (StTeamChoice *choice,
                       StTeamMode    mode,
                       double        microseconds_per_sample)
{
  gboolean trying = in_try (choice);

  choice->steps++;
  if (choice->steps <= ST_TEAM_CHOICE_WARM_UP)
    return;

  if (trying && mode != choice->preferred)
    {
      choice->tried[choice->n_tried++] = microseconds_per_sample;
      if (choice->n_tried == ST_TEAM_CHOICE_WINDOW)
        judge_try (choice);
      return;
    }

  /* The preferred mode's last steps, oldest replaced first.  Until the
   * window is full, they fill its first slots, which median() reads. */
  choice->recent[choice->recent_written % ST_TEAM_CHOICE_WINDOW] = microseconds_per_sample;
  choice->recent_written++;
}
