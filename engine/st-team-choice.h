/* st-team-choice.h: whether a network's steps share the thread team
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  ST_TEAM_SHARED,  /* every job of the step goes to the whole team */
  ST_TEAM_ALONE,   /* the calling thread runs every job by itself */
} StTeamMode;

/* Steps at the start that are not timed: the first ones allocate. */
#define ST_TEAM_CHOICE_WARM_UP 3

/* The length of a try of the other mode, in steps, and the count of the
 * preferred mode's recent steps it is compared with.  The first steps of
 * a try may wait for a sleeping helper or for data on the other core, so
 * the two medians are compared, which leave such steps out. */
#define ST_TEAM_CHOICE_WINDOW 8

/* Steps from a change of mode to the next try, and the most between two
 * tries. */
#define ST_TEAM_CHOICE_FIRST_INTERVAL 32
#define ST_TEAM_CHOICE_MAX_INTERVAL 4096

typedef struct
{
  StTeamMode preferred;
  double recent[ST_TEAM_CHOICE_WINDOW];  /* the preferred mode's last step times */
  guint64 recent_written;                /* writes to recent so far */
  double tried[ST_TEAM_CHOICE_WINDOW];   /* the current try's step times */
  guint n_tried;
  guint64 steps;       /* steps recorded so far */
  guint64 try_start;   /* the first step of the next try */
  guint interval;      /* steps between tries */
} StTeamChoice;

/* The size and alignment to allocate a choice with, so that it shares
 * no cache line with other data. */
#define ST_TEAM_CHOICE_ALIGNMENT 64
#define ST_TEAM_CHOICE_BYTES \
  ((sizeof (StTeamChoice) + ST_TEAM_CHOICE_ALIGNMENT - 1) / ST_TEAM_CHOICE_ALIGNMENT * \
   ST_TEAM_CHOICE_ALIGNMENT)

void       st_team_choice_init   (StTeamChoice       *choice);
StTeamMode st_team_choice_next   (const StTeamChoice *choice);
void       st_team_choice_record (StTeamChoice       *choice,
                                  StTeamMode          mode,
                                  double              microseconds_per_sample);

G_END_DECLS
