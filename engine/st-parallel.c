/* st-parallel.c: a small team of threads for the sparse kernels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A training step runs a handful of short parallel loops, each a fraction
 * of a millisecond, so starting threads per loop would cost more than the
 * loop.  The team keeps n - 1 helper threads alive; the calling thread is
 * member 0.  Helpers wait for a new job number, spinning for a few
 * microseconds before they sleep on a condition variable, which keeps the
 * hand-over cheap while training and costs nothing while idle.
 *
 * Kernels never split one output element's sum across threads, and
 * sums over elements run in element order after a barrier.  This keeps
 * results independent of the thread count and of which thread computed
 * an element.  Most kernels give each member a share fixed by its index.
 * The fused training step gives each member a range of chunks of rows,
 * and a member that finishes early claims chunks of the other ranges.
 * The two rules above keep that deterministic too.
 */

#define G_LOG_DOMAIN "engine"

/* For sched_getcpu() and the CPU_* affinity macros. */
#define _GNU_SOURCE

#include "config.h"

#ifdef __linux__
#include <sched.h>
#endif

#include "st-parallel.h"

/* How many times a waiting thread polls before it sleeps: the pauses
 * first, then yields, some milliseconds in all (an estimate, not a
 * measured bound).  Long enough to span the gap between two training
 * steps, so that helpers rarely sleep while training runs and never pay
 * the wake-up latency of the scheduler. */
#define SPIN_ROUNDS 20000

/* Polls of any wait before each further poll also yields the processor:
 * about 10 microseconds, at 25 ns a pause on host B of
 * docs/benchmarks.md, a virtual machine with 2 processors.  Without the
 * yields, a team with more threads than the machine has cores spent
 * whole scheduler slices spinning while the member it waited for could
 * not run: a job took about 6 ms with 4 threads on 2 cores.  On host B,
 * the digits network's epoch on 2 threads took 3.6 to 6.4 ms with the
 * yields after 2,000 polls and 2.3 to 2.4 ms after 400.  Why is not
 * known: in the same minutes its 2 processors ran two busy threads at
 * full speed, and passed a cache line back and forth in 50 to 75 ns.
 * Later slow stretches, which neither 100 polls nor polling without the
 * pause instruction shortened, are left to
 * st-team-choice.c. */
#define YIELD_AFTER_ROUNDS 400

struct _StParallel
{
  guint n_threads;
  GThread **helpers;        /* n_threads - 1 */

  GMutex mutex;
  GCond start;              /* a new job, or quit */
  GCond done;               /* the last helper finished */

  /* Written by the caller under the mutex before the job number moves. */
  StParallelFunc function;
  gpointer data;

  /* Members of the current job: n_threads, or 1 for a job run on the
   * calling thread alone.  Set before the job number moves. */
  guint members;

  /* Whether every job runs on the calling thread alone for now (see
   * st_parallel_set_alone()). */
  gboolean alone;

  /* Atomic as well as under the mutex: GLib's mutex is built on futexes,
   * which ThreadSanitizer cannot see, so only atomics order memory for
   * it.  The job number already orders function and data. */
  volatile gint quit;

  volatile gint job;        /* increases by one per job */
  volatile gint pending;    /* helpers still working on the current job */

  /* Count of helpers asleep on start, and whether the caller sleeps on
   * done.  A signal costs a system call even when no thread waits, so it
   * is sent only to a thread that sleeps.  A sleeper raises its count
   * under the mutex, then checks its condition again.  The other side
   * moves the condition, then reads the count.  Because the atomics are
   * sequentially consistent, at least one of the two reads the other's
   * write. */
  volatile gint sleeping_helpers;
  volatile gint caller_sleeping;

  /* The processor the caller ran on when it published the current job,
   * or -1 where that is unknown.  Set before the job number moves. */
  gint caller_cpu;

  /* Whether the team fits on the processors it may use, so that each
   * member can have one of its own (see leave_caller_cpu()). */
  gboolean spread;

  /* st_parallel_barrier(): members arrived, and the phase that flips
   * when the last one arrives. */
  volatile gint barrier_count;
  volatile gint barrier_phase;
};

/* Tell the processor this thread is waiting, which saves power and
 * leaves more of a shared core to the other thread; after
 * YIELD_AFTER_ROUNDS polls, also let another thread run. */
static inline void
pause_briefly (guint round)
{
  if (round >= YIELD_AFTER_ROUNDS)
    {
      g_thread_yield ();
      return;
    }
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause ();
#endif
}

/* Moves the calling helper off @caller_cpu when it runs there and
 * another processor is allowed.
 *
 * Linux sometimes puts a helper on the caller's processor: at a wake-up,
 * when it judges that the two share data, and when a thread starts while
 * the other processors look busy.  The two then take turns on one
 * processor, and a job takes as long as on one thread or longer.  The
 * load balancer separates them only when it stops counting them as cache
 * hot.  On a 2-core virtual machine that took tens of milliseconds, and
 * half of the 30-step s1 benchmark runs on 2 threads were slower than on
 * 1 thread.  Narrowing the helper's affinity to the other processors
 * migrates it at once.  Restoring the affinity straight after leaves
 * nothing pinned, so the scheduler stays free to move it later.  When
 * the helper runs elsewhere, as it usually does, this costs one
 * sched_getcpu() call. */
static void
leave_caller_cpu (gint caller_cpu)
{
#ifdef __linux__
  cpu_set_t allowed;
  cpu_set_t elsewhere;

  if (caller_cpu < 0 || caller_cpu >= CPU_SETSIZE || sched_getcpu () != caller_cpu)
    return;
  if (sched_getaffinity (0, sizeof allowed, &allowed) != 0)
    return;

  elsewhere = allowed;
  CPU_CLR (caller_cpu, &elsewhere);
  if (CPU_COUNT (&elsewhere) == 0)
    return;

  if (sched_setaffinity (0, sizeof elsewhere, &elsewhere) == 0)
    sched_setaffinity (0, sizeof allowed, &allowed);
#endif
}

static gint
get_current_cpu (void)
{
#ifdef __linux__
  return sched_getcpu ();
#else
  return -1;
#endif
}

typedef struct
{
  StParallel *parallel;
  guint index;
} Helper;

static gpointer
helper_main (gpointer user_data)
{
  Helper *helper = user_data;
  StParallel *parallel = helper->parallel;
  guint index = helper->index;
  gint seen = 0;

  g_free (helper);

  for (;;)
    {
      StParallelFunc function;
      gpointer data;

      for (guint round = 0; round < SPIN_ROUNDS && g_atomic_int_get (&parallel->job) == seen; round++)
        pause_briefly (round);

      if (g_atomic_int_get (&parallel->job) == seen)
        {
          g_mutex_lock (&parallel->mutex);
          for (;;)
            {
              g_atomic_int_inc (&parallel->sleeping_helpers);
              if (g_atomic_int_get (&parallel->job) != seen || g_atomic_int_get (&parallel->quit))
                break;
              g_cond_wait (&parallel->start, &parallel->mutex);
              g_atomic_int_add (&parallel->sleeping_helpers, -1);
            }
          g_atomic_int_add (&parallel->sleeping_helpers, -1);
          g_mutex_unlock (&parallel->mutex);
        }
      if (g_atomic_int_get (&parallel->quit))
        return NULL;

      /* The job number's increment published the function and its data. */
      seen = g_atomic_int_get (&parallel->job);
      function = parallel->function;
      data = parallel->data;

      if (parallel->spread)
        leave_caller_cpu (parallel->caller_cpu);

      function (data, index, parallel->n_threads);

      if (g_atomic_int_dec_and_test (&parallel->pending) &&
          g_atomic_int_get (&parallel->caller_sleeping))
        {
          g_mutex_lock (&parallel->mutex);
          g_cond_signal (&parallel->done);
          g_mutex_unlock (&parallel->mutex);
        }
    }
}

/**
 * st_parallel_new:
 * @n_threads: members of the team, the calling thread included; clamped
 *   to 1..%ST_PARALLEL_MAX_THREADS
 *
 * Returns: (transfer full): a team; with one thread it runs jobs inline
 */
StParallel *
st_parallel_new (guint n_threads)
{
  StParallel *parallel = g_new0 (StParallel, 1);

  parallel->n_threads = CLAMP (n_threads, 1, ST_PARALLEL_MAX_THREADS);
  parallel->spread = parallel->n_threads <= g_get_num_processors ();
  parallel->caller_cpu = -1;
  g_mutex_init (&parallel->mutex);
  g_cond_init (&parallel->start);
  g_cond_init (&parallel->done);

  parallel->helpers = g_new0 (GThread *, parallel->n_threads);
  for (guint k = 1; k < parallel->n_threads; k++)
    {
      Helper *helper = g_new (Helper, 1);

      helper->parallel = parallel;
      helper->index = k;
      parallel->helpers[k - 1] = g_thread_new ("st-kernel", helper_main, helper);
    }

  return parallel;
}

void
st_parallel_free (StParallel *parallel)
{
  if (parallel == NULL)
    return;

  g_mutex_lock (&parallel->mutex);
  g_atomic_int_set (&parallel->quit, TRUE);
  g_cond_broadcast (&parallel->start);
  g_mutex_unlock (&parallel->mutex);

  for (guint k = 0; k + 1 < parallel->n_threads; k++)
    g_thread_join (parallel->helpers[k]);

  g_free (parallel->helpers);
  g_mutex_clear (&parallel->mutex);
  g_cond_clear (&parallel->start);
  g_cond_clear (&parallel->done);
  g_free (parallel);
}

guint
st_parallel_get_n_threads (const StParallel *parallel)
{
  return parallel->n_threads;
}

/**
 * st_parallel_run:
 * @parallel: a team
 * @work: the job's size in multiply-adds, roughly
 * @function: the work of one member
 * @data: passed to @function
 *
 * Runs @function once on every member and returns when all are done; a
 * job below %ST_PARALLEL_MIN_WORK runs as a team of one on the calling
 * thread.  The kernels give the same bits for any team size, so this
 * never changes a result.  Only one thread at a time may call this on a
 * team.
 */
void
st_parallel_run (StParallel     *parallel,
                 gsize           work,
                 StParallelFunc  function,
                 gpointer        data)
{
  if (parallel->n_threads == 1 || parallel->alone || work < ST_PARALLEL_MIN_WORK)
    {
      parallel->members = 1;
      function (data, 0, 1);
      return;
    }

  /* The helpers finished the last job, so none reads these now; the job
   * number's increment publishes them. */
  parallel->members = parallel->n_threads;
  parallel->function = function;
  parallel->data = data;
  parallel->caller_cpu = parallel->spread ? get_current_cpu () : -1;
  g_atomic_int_set (&parallel->pending, (gint) parallel->n_threads - 1);
  g_atomic_int_inc (&parallel->job);
  if (g_atomic_int_get (&parallel->sleeping_helpers) > 0)
    {
      g_mutex_lock (&parallel->mutex);
      g_cond_broadcast (&parallel->start);
      g_mutex_unlock (&parallel->mutex);
    }

  function (data, 0, parallel->n_threads);

  for (guint round = 0; round < SPIN_ROUNDS && g_atomic_int_get (&parallel->pending) > 0; round++)
    pause_briefly (round);

  if (g_atomic_int_get (&parallel->pending) == 0)
    return;

  g_mutex_lock (&parallel->mutex);
  g_atomic_int_set (&parallel->caller_sleeping, TRUE);
  while (g_atomic_int_get (&parallel->pending) > 0)
    g_cond_wait (&parallel->done, &parallel->mutex);
  g_atomic_int_set (&parallel->caller_sleeping, FALSE);
  g_mutex_unlock (&parallel->mutex);
}

/**
 * st_parallel_set_alone:
 * @parallel: a team that runs no job now
 * @alone: whether the calling thread runs the next jobs by itself
 *
 * Runs every later job on the calling thread alone, as a job smaller
 * than %ST_PARALLEL_MIN_WORK would, until called again with %FALSE.  The
 * helpers keep waiting as they would between jobs, and go to sleep if
 * nothing comes.  Since no result depends on the count of members, this
 * changes only the time.
 */
void
st_parallel_set_alone (StParallel *parallel,
                       gboolean    alone)
{
  parallel->alone = alone;
}

/**
 * st_parallel_barrier:
 * @parallel: the team running the current job
 *
 * Waits inside a job until every member has reached this point, so a
 * job can finish one phase everywhere before the next starts.  Every
 * member must call it the same number of times.  It spins, because the
 * phases it separates last microseconds; after a while it also yields,
 * so that on a busy machine the member it waits for can run.
 */
void
st_parallel_barrier (StParallel *parallel)
{
  guint round = 0;
  gint phase;

  if (parallel->members == 1)
    return;

  phase = g_atomic_int_get (&parallel->barrier_phase);
  if (g_atomic_int_add (&parallel->barrier_count, 1) == (gint) parallel->n_threads - 1)
    {
      g_atomic_int_set (&parallel->barrier_count, 0);
      g_atomic_int_set (&parallel->barrier_phase, !phase);
      return;
    }

  while (g_atomic_int_get (&parallel->barrier_phase) == phase)
    pause_briefly (round++);
}
