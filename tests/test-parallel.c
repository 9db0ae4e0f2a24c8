/* test-parallel.c: the thread team's hand-overs, awake and asleep, and
 * where its helper runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The team wakes a helper or the caller only when it sleeps, which saves
 * two system calls per job.  A missed wake-up would hang a job, so each
 * hand-over test forces one side to fall asleep: a helper between two
 * jobs, or the caller while a helper is still working.  These tests
 * count the runs of each member, so a job that ran twice or not at all
 * fails too.
 */

/* For sched_getcpu() and the CPU_* affinity macros. */
#define _GNU_SOURCE

#include "config.h"

#include <sched.h>

#include "st-parallel.h"

/* Longer than a waiting thread polls before it sleeps (SPIN_ROUNDS in
 * st-parallel.c): about 9 ms measured on an idle 2-core machine. */
#define LONGER_THAN_SPINNING_US (100 * 1000)

#define JOBS 20000

typedef struct
{
  volatile gint runs[ST_PARALLEL_MAX_THREADS];
  guint slow_worker;        /* this member sleeps before it counts */
  gulong slow_us;
  volatile gint slow_done;  /* set by the slow member when it is done */
  StParallel *parallel;     /* for the barrier test */
  volatile gint phase_total[3];
} Counts;

static void
count_run (gpointer data,
           guint    worker,
           guint    n_workers)
{
  Counts *counts = data;

  if (counts->slow_us > 0 && worker == counts->slow_worker)
    {
      g_usleep (counts->slow_us);
      g_atomic_int_set (&counts->slow_done, TRUE);
    }

  g_atomic_int_inc (&counts->runs[worker]);
}

/* Every member ran @jobs times. */
static void
assert_runs (Counts *counts,
             guint   n_threads,
             gint    jobs)
{
  for (guint k = 0; k < n_threads; k++)
    g_assert_cmpint (g_atomic_int_get (&counts->runs[k]), ==, jobs);
}

/* Jobs large enough to be shared, many in a row, on teams of one and
 * two.  Teams larger than the machine's cores take milliseconds a job,
 * so 20,000 jobs on them would be too slow for the suite. */
static void
test_many_jobs (void)
{
  for (guint n_threads = 1; n_threads <= 2; n_threads++)
    {
      g_autoptr(StParallel) parallel = st_parallel_new (n_threads);
      Counts counts = { { 0 } };

      for (guint job = 0; job < JOBS; job++)
        st_parallel_run (parallel, ST_PARALLEL_MIN_WORK, count_run, &counts);

      assert_runs (&counts, n_threads, JOBS);
    }
}

/* A small job runs on the calling thread alone. */
static void
test_small_job (void)
{
  g_autoptr(StParallel) parallel = st_parallel_new (2);
  Counts counts = { { 0 } };

  st_parallel_run (parallel, ST_PARALLEL_MIN_WORK - 1, count_run, &counts);

  g_assert_cmpint (counts.runs[0], ==, 1);
  g_assert_cmpint (counts.runs[1], ==, 0);
}

/* A team set to run alone runs even a large job on the calling thread,
 * as one member, and shares jobs again once set back. */
static void
test_alone (void)
{
  g_autoptr(StParallel) parallel = st_parallel_new (2);
  Counts counts = { { 0 } };

  st_parallel_set_alone (parallel, TRUE);
  st_parallel_run (parallel, ST_PARALLEL_MIN_WORK, count_run, &counts);
  g_assert_cmpint (counts.runs[0], ==, 1);
  g_assert_cmpint (counts.runs[1], ==, 0);

  st_parallel_set_alone (parallel, FALSE);
  st_parallel_run (parallel, ST_PARALLEL_MIN_WORK, count_run, &counts);
  g_assert_cmpint (counts.runs[0], ==, 2);
  g_assert_cmpint (counts.runs[1], ==, 1);
}

/* Helpers that fell asleep between jobs still take the next one. */
static void
test_sleeping_helpers (void)
{
  g_autoptr(StParallel) parallel = st_parallel_new (2);
  Counts counts = { { 0 } };

  for (guint job = 0; job < 5; job++)
    {
      g_usleep (LONGER_THAN_SPINNING_US);
      st_parallel_run (parallel, ST_PARALLEL_MIN_WORK, count_run, &counts);
    }

  assert_runs (&counts, 2, 5);
}

/* The caller, done with its share first, sleeps until a slow helper
 * finishes, and returns only then. */
static void
test_sleeping_caller (void)
{
  g_autoptr(StParallel) parallel = st_parallel_new (2);
  Counts counts = { { 0 } };

  counts.slow_worker = 1;
  counts.slow_us = LONGER_THAN_SPINNING_US;
  for (guint job = 0; job < 3; job++)
    {
      g_atomic_int_set (&counts.slow_done, FALSE);
      st_parallel_run (parallel, ST_PARALLEL_MIN_WORK, count_run, &counts);
      g_assert_true (g_atomic_int_get (&counts.slow_done));
    }

  assert_runs (&counts, 2, 3);
}

/* Three phases separated by barriers: each member adds to a phase's
 * total only after every member finished the phase before. */
static void
phases_run (gpointer data,
            guint    worker,
            guint    n_workers)
{
  Counts *counts = data;

  for (guint phase = 0; phase < 3; phase++)
    {
      if (phase > 0)
        g_assert_cmpint (g_atomic_int_get (&counts->phase_total[phase - 1]), ==,
                         (gint) n_workers);
      g_atomic_int_inc (&counts->phase_total[phase]);
      st_parallel_barrier (counts->parallel);
    }

  g_atomic_int_inc (&counts->runs[worker]);
}

static void
test_barrier (void)
{
  g_autoptr(StParallel) parallel = st_parallel_new (2);
  Counts counts = { { 0 } };

  counts.parallel = parallel;
  for (guint job = 0; job < 2000; job++)
    {
      for (guint phase = 0; phase < 3; phase++)
        g_atomic_int_set (&counts.phase_total[phase], 0);
      st_parallel_run (parallel, ST_PARALLEL_MIN_WORK, phases_run, &counts);
    }

  assert_runs (&counts, 2, 2000);
}

typedef struct
{
  gint caller_cpu;          /* the processor the caller is pinned to */
  gboolean crowd;           /* whether this job moves the helper to the caller */
  volatile gint helper_cpu; /* where the helper ran its part of a job */
} Placement;

/* In the crowding job, the helper moves itself onto the caller's
 * processor and then allows every processor again, which does not move
 * it back.  In every job it records where it runs. */
static void
place_run (gpointer data,
           guint    worker,
           guint    n_workers)
{
  Placement *placement = data;

  if (worker == 0)
    return;

  if (placement->crowd)
    {
      cpu_set_t allowed;
      cpu_set_t only;

      g_assert_cmpint (sched_getaffinity (0, sizeof allowed, &allowed), ==, 0);
      CPU_ZERO (&only);
      CPU_SET (placement->caller_cpu, &only);
      g_assert_cmpint (sched_setaffinity (0, sizeof only, &only), ==, 0);
      g_assert_cmpint (sched_setaffinity (0, sizeof allowed, &allowed), ==, 0);
    }

  g_atomic_int_set (&placement->helper_cpu, sched_getcpu ());
}

/* A helper that finds itself on the caller's processor at the start of
 * a job moves to another, so the two do not take turns on one.  The
 * caller is pinned so that only the helper can move. */
static void
test_helper_leaves_caller_cpu (void)
{
  g_autoptr(StParallel) parallel = NULL;
  Placement placement = { 0 };
  cpu_set_t allowed;
  cpu_set_t only;

  if (g_get_num_processors () < 2)
    {
      g_test_skip ("needs two processors");
      return;
    }

  parallel = st_parallel_new (2);
  g_assert_cmpint (sched_getaffinity (0, sizeof allowed, &allowed), ==, 0);
  placement.caller_cpu = sched_getcpu ();
  CPU_ZERO (&only);
  CPU_SET (placement.caller_cpu, &only);
  g_assert_cmpint (sched_setaffinity (0, sizeof only, &only), ==, 0);

  placement.crowd = TRUE;
  st_parallel_run (parallel, ST_PARALLEL_MIN_WORK, place_run, &placement);
  g_assert_cmpint (g_atomic_int_get (&placement.helper_cpu), ==, placement.caller_cpu);

  placement.crowd = FALSE;
  for (guint job = 0; job < 10; job++)
    {
      st_parallel_run (parallel, ST_PARALLEL_MIN_WORK, place_run, &placement);
      g_assert_cmpint (g_atomic_int_get (&placement.helper_cpu), !=, placement.caller_cpu);
    }

  g_assert_cmpint (sched_setaffinity (0, sizeof allowed, &allowed), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/parallel/many-jobs", test_many_jobs);
  g_test_add_func ("/engine/parallel/small-job", test_small_job);
  g_test_add_func ("/engine/parallel/alone", test_alone);
  g_test_add_func ("/engine/parallel/sleeping-helpers", test_sleeping_helpers);
  g_test_add_func ("/engine/parallel/sleeping-caller", test_sleeping_caller);
  g_test_add_func ("/engine/parallel/barrier", test_barrier);
  g_test_add_func ("/engine/parallel/helper-leaves-caller-cpu", test_helper_leaves_caller_cpu);

  return g_test_run ();
}
