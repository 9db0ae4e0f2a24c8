/* test-team-choice.c: when a network's steps leave the thread team
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The choice learns from step times, so these tests feed it times
 * chosen by hand and check which mode each step gets.  The step numbers
 * follow from the constants in st-team-choice.h: 3 untimed steps, then
 * the first try after 32 steps, 8 steps long.
 */

#include "config.h"

#include "st-team-choice.h"

#define FIRST_TRY (ST_TEAM_CHOICE_WARM_UP + ST_TEAM_CHOICE_FIRST_INTERVAL)

/* Runs @steps steps, each taking @shared or @alone microseconds per
 * sample in its mode.
 *
 * Returns: how many steps ran alone */
static guint
run_steps (StTeamChoice *choice,
           guint         steps,
           double        shared,
           double        alone)
{
  guint n_alone = 0;

  for (guint k = 0; k < steps; k++)
    {
      StTeamMode mode = st_team_choice_next (choice);

      if (mode == ST_TEAM_ALONE)
        n_alone++;
      st_team_choice_record (choice, mode, mode == ST_TEAM_SHARED ? shared : alone);
    }

  return n_alone;
}

/* Steps share the team until the first try, which runs alone for a
 * window of steps. */
static void
test_first_try (void)
{
  StTeamChoice choice;

  st_team_choice_init (&choice);
  g_assert_cmpuint (run_steps (&choice, FIRST_TRY, 1.0, 2.0), ==, 0);
  g_assert_cmpuint (run_steps (&choice, ST_TEAM_CHOICE_WINDOW, 1.0, 2.0), ==,
                    ST_TEAM_CHOICE_WINDOW);
  g_assert_cmpint (choice.preferred, ==, ST_TEAM_SHARED);
}

/* When the calling thread alone is twice as fast, the first try makes
 * it the preferred mode, and later tries of the team keep losing. */
static void
test_switch_to_alone (void)
{
  StTeamChoice choice;
  guint n_alone;

  st_team_choice_init (&choice);
  run_steps (&choice, FIRST_TRY + ST_TEAM_CHOICE_WINDOW, 2.0, 1.0);
  g_assert_cmpint (choice.preferred, ==, ST_TEAM_ALONE);
  g_assert_cmpint (st_team_choice_next (&choice), ==, ST_TEAM_ALONE);

  n_alone = run_steps (&choice, 1000, 2.0, 1.0);
  g_assert_cmpint (choice.preferred, ==, ST_TEAM_ALONE);
  g_assert_cmpuint (n_alone, <, 1000);
  g_assert_cmpuint (n_alone, >, 900);
}

/* A mode about as fast does not take over: it must beat the other by
 * 10 %. */
static void
test_close_times_keep_mode (void)
{
  StTeamChoice choice;

  st_team_choice_init (&choice);
  run_steps (&choice, 2000, 1.0, 0.95);
  g_assert_cmpint (choice.preferred, ==, ST_TEAM_SHARED);
}

/* Tries of a losing mode come less and less often, up to the longest
 * interval: after the first try at step 35, tries start at 107, 243,
 * 507 and so on, each 8 steps long. */
static void
test_tries_back_off (void)
{
  StTeamChoice choice;

  st_team_choice_init (&choice);
  g_assert_cmpuint (run_steps (&choice, 107, 1.0, 2.0), ==, ST_TEAM_CHOICE_WINDOW);
  g_assert_cmpint (st_team_choice_next (&choice), ==, ST_TEAM_ALONE);
  g_assert_cmpuint (run_steps (&choice, 243 - 107, 1.0, 2.0), ==, ST_TEAM_CHOICE_WINDOW);

  run_steps (&choice, 100000, 1.0, 2.0);
  g_assert_cmpuint (choice.interval, ==, ST_TEAM_CHOICE_MAX_INTERVAL);
}

/* Some slow steps in a try, such as the first ones after a helper fell
 * asleep, do not hide that the mode is faster: the try's median counts. */
static void
test_slow_steps_in_try (void)
{
  StTeamChoice choice;

  st_team_choice_init (&choice);
  run_steps (&choice, FIRST_TRY, 1.0, 0.5);

  /* Three of the try's 8 steps take 100 times as long. */
  for (guint k = 0; k < ST_TEAM_CHOICE_WINDOW; k++)
    {
      StTeamMode mode = st_team_choice_next (&choice);

      g_assert_cmpint (mode, ==, ST_TEAM_ALONE);
      st_team_choice_record (&choice, mode, k < 3 ? 50.0 : 0.5);
    }

  g_assert_cmpint (choice.preferred, ==, ST_TEAM_ALONE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/team-choice/first-try", test_first_try);
  g_test_add_func ("/engine/team-choice/switch-to-alone", test_switch_to_alone);
  g_test_add_func ("/engine/team-choice/close-times", test_close_times_keep_mode);
  g_test_add_func ("/engine/team-choice/tries-back-off", test_tries_back_off);
  g_test_add_func ("/engine/team-choice/slow-steps-in-try", test_slow_steps_in_try);

  return g_test_run ();
}
