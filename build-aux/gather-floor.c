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
 * AHEAD, when not 0, requests the input lines of the entry AHEAD places
 * further on before reading the current one, as the kernels do, so the
 * floor is not a measure of one loop's memory latency.
 *
 * GROUPS, when above 1, times another way to run a step: the batch split
 * into GROUPS parts, each with its own inputs (cols rows of BATCH / GROUPS
 * doubles), and one pass over W per part.  Each pass but the first reads
 * a partial sum per stored entry, each but the last writes one.  That is
 * the least such a step must move besides what every step moves (W once,
 * the targets, the inputs), so its median is a floor for that design.
 * GROUPS "columns" times the third way, a walk over W by columns
 * (column-floor.c).
 *
 * Usage: gather-floor WEIGHTS.mtx BATCH [STEPS [THREADS [AHEAD [GROUPS]]]]
 * Prints one JSON line: median_step_s, nnz, batch, threads, ahead, way
 * ("rows" or "columns"), groups and gathered_bytes (the bytes of the
 * randomly placed lines a step reads).
 */

#include "config.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

#include "column-floor.h"
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
  guint batch;           /* doubles per input row of the current pass */
  gsize nnz;
  guint ahead;           /* entries between a request and its read, 0 for none */
  const gsize *start;    /* rows + 1 offsets into col */
  const guint *col;
  const double *x;       /* cols rows of batch doubles */
  const double *partial_in;   /* nnz partial sums to read, or NULL */
  double *partial_out;        /* nnz partial sums to write, or NULL */
  gint next_chunk;
  double sink[ST_PARALLEL_MAX_THREADS];
} GatherJob;

/* Requests the input lines of entry @e, if there is one. */
static inline void
request_entry (const GatherJob *job,
               gsize            e)
{
  const double *row;

  if (e >= job->nnz)
    return;

  row = job->x + (gsize) job->col[e] * job->batch;
  for (guint b = 0; b < job->batch; b += DOUBLES_PER_LINE)
    __builtin_prefetch (row + b);
}

/* Reads the input lines of the entries in [@first, @last) into four
 * sums (one chain of additions would time its latency, not the reads)
 * and moves the partial sums of the split step. */
static void
gather_entries (GatherJob *job,
                gsize      first,
                gsize      last,
                double     sum[4])
{
  for (gsize e = first; e < last; e++)
    {
      const double *row = job->x + (gsize) job->col[e] * job->batch;
      double entry = 0.0;

      if (job->ahead > 0)
        request_entry (job, e + job->ahead);

      for (guint b = 0; b < job->batch; b += DOUBLES_PER_LINE)
        sum[(e + b / DOUBLES_PER_LINE) & 3] += row[b];

      if (job->partial_in != NULL)
        entry = job->partial_in[e];
      if (job->partial_out != NULL)
        job->partial_out[e] = entry + row[0];
    }
}

static void
gather_share (gpointer data,
              guint    worker,
              guint    n_workers)
{
  GatherJob *job = data;
  guint chunk_rows = MAX (1, job->rows / (CHUNKS_PER_MEMBER * n_workers));
  double sum[4] = { 0.0, 0.0, 0.0, 0.0 };

  for (;;)
    {
      guint first = (guint) g_atomic_int_add (&job->next_chunk, 1) * chunk_rows;
      guint last = MIN (first + chunk_rows, job->rows);

      if (first >= job->rows)
        break;

      gather_entries (job, job->start[first], job->start[last], sum);
    }

  /* Stored so that the compiler keeps the loads. */
  job->sink[worker] = sum[0] + sum[1] + sum[2] + sum[3];
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
             guint       min,
             guint       max)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, min, max, &value, NULL))
    {
      fprintf (stderr, "gather-floor: invalid %s '%s': expected a whole number from %u to %u\n",
               what, text, min, max);
      exit (2);
    }

  return (guint) value;
}

/* Inputs of one pass: cols rows of @part doubles on gathered memory. */
static double *
new_inputs (guint cols,
            guint part)
{
  double *x = st_memory_new_gathered ((gsize) cols * part);

  for (gsize k = 0; k < (gsize) cols * part; k++)
    x[k] = (double) (k % 1000) * 1e-3;

  return x;
}

/* Times @steps steps of @groups passes each and returns the median in
 * seconds.  Pass g reads inputs[g], and the partial sums go from each
 * pass to the next through @partial. */
static double
time_steps (StParallel *team,
            GatherJob  *job,
            double    **inputs,
            guint       groups,
            double     *partial,
            guint       steps)
{
  g_autofree double *times = g_new (double, steps);

  for (int s = -WARM_UP_STEPS; s < (int) steps; s++)
    {
      double began = st_bench_seconds_now ();

      for (guint g = 0; g < groups; g++)
        {
          job->x = inputs[g];
          job->partial_in = g > 0 ? partial : NULL;
          job->partial_out = g + 1 < groups ? partial : NULL;
          job->next_chunk = 0;
          st_parallel_run (team, job->nnz * job->batch, gather_share, job);
        }
      if (s >= 0)
        times[s] = st_bench_seconds_now () - began;
    }

  return st_bench_median (times, steps);
}

/* Times the row walk: @groups passes a step over W, each gathering from
 * its part of the batch, and returns the median step in seconds. */
static double
row_walk_seconds (StParallel  *team,
                  const StMtx *mtx,
                  guint        batch,
                  guint        ahead,
                  guint        groups,
                  guint        steps)
{
  g_autofree gsize *start = row_starts (mtx);
  g_autofree double **inputs = g_new (double *, groups);
  g_autofree double *partial = groups > 1 ? g_new0 (double, mtx->nnz) : NULL;
  GatherJob job = { 0 };
  double median;

  for (guint g = 0; g < groups; g++)
    inputs[g] = new_inputs (mtx->cols, batch / groups);

  job.rows = mtx->rows;
  job.batch = batch / groups;
  job.nnz = mtx->nnz;
  job.ahead = ahead;
  job.start = start;
  job.col = mtx->col;
  median = time_steps (team, &job, inputs, groups, partial, steps);

  for (guint g = 0; g < groups; g++)
    g_free (inputs[g]);
  return median;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (StMtx) mtx = NULL;
  g_autoptr (StParallel) team = NULL;
  guint batch, steps, threads, ahead;
  guint groups = 1;
  gboolean columns;
  double median;
  gsize lines;

  if (argc < 3 || argc > 7)
    {
      fprintf (stderr, "Usage: gather-floor WEIGHTS.mtx BATCH [STEPS [THREADS [AHEAD [GROUPS]]]]\n"
                       "STEPS defaults to 200, THREADS to 2, AHEAD to 0 and GROUPS to 1.\n"
                       "GROUPS may also be \"columns\", for a walk over W by columns.\n");
      return 2;
    }
  batch = parse_count (argv[2], "batch", 1, 4096);
  steps = argc > 3 ? parse_count (argv[3], "step count", 1, 100000) : 200;
  threads = argc > 4 ? parse_count (argv[4], "thread count", 1, ST_PARALLEL_MAX_THREADS) : 2;
  ahead = argc > 5 ? parse_count (argv[5], "request distance", 0, 4096) : 0;
  columns = argc > 6 && g_str_equal (argv[6], "columns");
  if (argc > 6 && !columns)
    groups = parse_count (argv[6], "group count (or the word columns)", 1, batch);
  if (batch % groups != 0)
    {
      fprintf (stderr, "gather-floor: invalid group count %u: it must divide the batch (%u)\n",
               groups, batch);
      return 2;
    }

  file = g_file_new_for_commandline_arg (argv[1]);
  mtx = st_mtx_read (file, NULL, &error);
  if (mtx == NULL)
    {
      fprintf (stderr, "gather-floor: %s\n", error->message);
      return 1;
    }

  team = st_parallel_new (threads);
  if (columns)
    {
      g_autofree double *x = new_inputs (mtx->cols, batch);

      median = column_floor_seconds (team, mtx, x, batch, ahead, steps);
    }
  else
    {
      median = row_walk_seconds (team, mtx, batch, ahead, groups, steps);
    }

  /* The column walk reads each entry's output row twice, once per pass. */
  lines = (batch / groups + DOUBLES_PER_LINE - 1) / DOUBLES_PER_LINE;
  printf ("{\"median_step_s\": %.9f, \"nnz\": %" G_GSIZE_FORMAT ", \"batch\": %u, "
          "\"threads\": %u, \"ahead\": %u, \"way\": \"%s\", \"groups\": %u, "
          "\"gathered_bytes\": %" G_GSIZE_FORMAT "}\n",
          median, mtx->nnz, batch, threads, ahead, columns ? "columns" : "rows", groups,
          mtx->nnz * lines * 64 * (columns ? 2 : groups));
  return 0;
}
