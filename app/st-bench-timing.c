/* st-bench-timing.c: the clock and the median of the benchmark commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the CLI's bench commands and build-aux/gather-floor, so that
 * every figure docs/benchmarks.md compares is timed and summarized the
 * same way.
 */

#include "st-bench-timing.h"

#include <stdlib.h>
#include <time.h>

/**
 * st_bench_seconds_now:
 *
 * Reads the monotonic clock to the nanosecond.  A step of a tiny layer
 * takes less than the microsecond that g_get_monotonic_time() resolves.
 *
 * Returns: seconds since an arbitrary start
 */
double
st_bench_seconds_now (void)
{
  struct timespec now;

  clock_gettime (CLOCK_MONOTONIC, &now);
  return (double) now.tv_sec + now.tv_nsec * 1e-9;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/**
 * st_bench_median:
 * @times: (array length=n): the measurements, sorted in place
 * @n: how many, at least 1
 *
 * Sorts @times in ascending order, so that times[0] is then the
 * fastest, and takes the middle value (the mean of the two middle
 * values when @n is even).
 *
 * Returns: the median of @times
 */
double
st_bench_median (double *times,
                 guint   n)
{
  g_return_val_if_fail (times != NULL && n > 0, 0.0);

  qsort (times, n, sizeof (double), compare_doubles);
  return n % 2 ? times[n / 2] : 0.5 * (times[n / 2 - 1] + times[n / 2]);
}
