/* test-parallel.c: the thread team's hand-overs, awake and asleep
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The team wakes a helper or the caller only when it sleeps, which saves
 * two system calls per job.  A missed wake-up would hang a job, so each test
 * forces one side to fall asleep: a helper between two jobs, or the
 * caller while a helper is still working.  Every test counts the runs of
 * each member, so a job that ran twice or not at all fails too.
 */

#include "config.h"

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

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/parallel/many-jobs", test_many_jobs);
  g_test_add_func ("/engine/parallel/small-job", test_small_job);
  g_test_add_func ("/engine/parallel/sleeping-helpers", test_sleeping_helpers);
  g_test_add_func ("/engine/parallel/sleeping-caller", test_sleeping_caller);
  g_test_add_func ("/engine/parallel/barrier", test_barrier);

  return g_test_run ();
}
