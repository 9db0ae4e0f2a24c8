/* gather-floor.c: time only the input gathers of a training step
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A step of the engine's fused kernel reads, for every stored entry of
 * W, the input row of its column: batch doubles, one cache line per 8.
 * This program reads exactly those lines, in the same order, with the
 * same team of threads, the same chunks of rows and inputs on the same
 * kind of memory, and does no arithmetic beyond one addition per line.
 * Its median step is how long the gathers alone take on this machine,
 * the part of the step that the kernels' arithmetic can only overlap,
 * not remove.  docs/benchmarks.md quotes it.
 *
 * Usage: gather-floor WEIGHTS.mtx BATCH [STEPS [THREADS]]
 * Prints one JSON line: median_step_s, nnz, batch, threads and
 * gathered_bytes (the bytes of input lines a step reads).
 */

#include "config.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

#include "st-bench-timing.h"
#include "st-memory.h"
#include "st-mtx.h"
#include "st-parallel.h"

#define WARM_UP_STEPS 3
#define DOUBLES_PER_LINE 8

/* Chunks of rows per thread, as in the fused step: many small chunks,
 * each taken by whichever thread is free. */
#define CHUNKS_PER_MEMBER 16

typedef struct
{
  guint rows;
  guint batch;
  const gsize *start;    /* rows + 1 offsets into col */
  const guint *col;
  const double *x;       /* cols rows of batch doubles */
  gint next_chunk;
  double sink[ST_PARALLEL_MAX_THREADS];
} GatherJob;

static void
gather_share (gpointer data,
              guint    worker,
              guint    n_workers)
{
  GatherJob *job = data;
  guint chunk_rows = MAX (1, job->rows / (CHUNKS_PER_MEMBER * n_workers));
  double sum = 0.0;

  for (;;)
    {
      guint first = (guint) g_atomic_int_add (&job->next_chunk, 1) * chunk_rows;
      guint last = MIN (first + chunk_rows, job->rows);

      if (first >= job->rows)
        break;

      for (gsize e = job->start[first]; e < job->start[last]; e++)
        {
          const double *row = job->x + (gsize) job->col[e] * job->batch;

          for (guint b = 0; b < job->batch; b += DOUBLES_PER_LINE)
            sum += row[b];
        }
    }

  /* Stored so that the compiler keeps the loads. */
  job->sink[worker] = sum;
}

/* Returns the offset of each row's first entry in @mtx, plus the end,
 * since st_mtx_read() returns the entries in row-major order. */
static gsize *
row_starts (const StMtx *mtx)
{
  gsize *start = g_new0 (gsize, (gsize) mtx->rows + 1);

  for (gsize e = 0; e < mtx->nnz; e++)
    start[mtx->row[e] + 1]++;
  for (guint i = 0; i < mtx->rows; i++)
    start[i + 1] += start[i];

  return start;
}

static guint
parse_count (const char *text,
             const char *what,
             guint       max)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, max, &value, NULL))
    {
      fprintf (stderr, "gather-floor: invalid %s '%s': expected a whole number from 1 to %u\n",
               what, text, max);
      exit (2);
    }

  return (guint) value;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (StMtx) mtx = NULL;
  g_autoptr (StParallel) team = NULL;
  g_autofree gsize *start = NULL;
  g_autofree double *times = NULL;
  GatherJob job = { 0 };
  guint batch, steps, threads;
  double *x;
  double median;
  gsize lines;

  if (argc < 3 || argc > 5)
    {
      fprintf (stderr, "Usage: gather-floor WEIGHTS.mtx BATCH [STEPS [THREADS]]\n"
                       "STEPS defaults to 200 and THREADS to 2.\n");
      return 2;
    }
  batch = parse_count (argv[2], "batch", 4096);
  steps = argc > 3 ? parse_count (argv[3], "step count", 100000) : 200;
  threads = argc > 4 ? parse_count (argv[4], "thread count", ST_PARALLEL_MAX_THREADS) : 2;

  file = g_file_new_for_commandline_arg (argv[1]);
  mtx = st_mtx_read (file, NULL, &error);
  if (mtx == NULL)
    {
      fprintf (stderr, "gather-floor: %s\n", error->message);
      return 1;
    }

  start = row_starts (mtx);
  x = st_memory_new_gathered ((gsize) mtx->cols * batch);
  for (gsize k = 0; k < (gsize) mtx->cols * batch; k++)
    x[k] = (double) (k % 1000) * 1e-3;

  team = st_parallel_new (threads);
  job.rows = mtx->rows;
  job.batch = batch;
  job.start = start;
  job.col = mtx->col;
  job.x = x;
  times = g_new (double, steps);

  for (int s = -WARM_UP_STEPS; s < (int) steps; s++)
    {
      double began = st_bench_seconds_now ();

      job.next_chunk = 0;
      st_parallel_run (team, mtx->nnz * batch, gather_share, &job);
      if (s >= 0)
        times[s] = st_bench_seconds_now () - began;
    }

  median = st_bench_median (times, steps);
  lines = (batch + DOUBLES_PER_LINE - 1) / DOUBLES_PER_LINE;
  printf ("{\"median_step_s\": %.9f, \"nnz\": %" G_GSIZE_FORMAT ", \"batch\": %u, "
          "\"threads\": %u, \"gathered_bytes\": %" G_GSIZE_FORMAT "}\n",
          median, mtx->nnz, batch, threads, mtx->nnz * lines * 64);

  g_free (x);
  return 0;
}
