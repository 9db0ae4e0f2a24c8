/* column-floor.c: the memory work of a step that walks W by columns
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A step can read each input row once, in order, by walking the stored
 * entries column by column.  Then the forward pass adds every entry's
 * term into its output row, at a random place in rows x batch sums, and
 * the gradient reads that row's error at a random place again.  This
 * times those two passes and nothing else.  The first reads and writes
 * each cache line of every entry's output row, and the second reads each
 * line of its error row.  Both read the input rows in order.
 *
 * Each thread owns a contiguous range of output rows and walks, in
 * column order, only the entries of its rows, so that no two threads
 * write the same sums.
 */

#include "config.h"

#include "column-floor.h"

#include "st-bench-timing.h"
#include "st-memory.h"

#define WARM_UP_STEPS 3
#define DOUBLES_PER_LINE 8

typedef struct
{
  guint batch;
  guint ahead;            /* entries between a request and its use, 0 for none */
  guint n_lists;
  gsize *list_start;      /* n_lists + 1 offsets into entries */
  guint *entry_row;       /* entries, each thread's in column order */
  guint *entry_col;
  const double *x;        /* cols rows of batch doubles, read in order */
  double *sums;           /* rows rows of batch doubles: outputs, then errors */
  double sink[ST_PARALLEL_MAX_THREADS];
} ColumnJob;

/* Sorts the entries by column, then hands each to the thread that owns
 * its row: thread t owns rows [t * rows / n, (t + 1) * rows / n). */
static void
column_job_init (ColumnJob   *job,
                 const StMtx *mtx,
                 guint        n_lists)
{
  g_autofree gsize *by_col = g_new0 (gsize, (gsize) mtx->cols + 1);
  g_autofree gsize *fill = g_new0 (gsize, n_lists);
  g_autofree gsize *order = g_new (gsize, mtx->nnz);

  for (gsize e = 0; e < mtx->nnz; e++)
    by_col[mtx->col[e] + 1]++;
  for (guint j = 0; j < mtx->cols; j++)
    by_col[j + 1] += by_col[j];
  for (gsize e = 0; e < mtx->nnz; e++)
    order[by_col[mtx->col[e]]++] = e;

  job->n_lists = n_lists;
  job->list_start = g_new0 (gsize, n_lists + 1);
  job->entry_row = g_new (guint, mtx->nnz);
  job->entry_col = g_new (guint, mtx->nnz);
  for (gsize e = 0; e < mtx->nnz; e++)
    job->list_start[(guint64) mtx->row[e] * n_lists / mtx->rows + 1]++;
  for (guint t = 0; t < n_lists; t++)
    job->list_start[t + 1] += job->list_start[t];

  /* order[] is in column order, so each thread's list is too. */
  for (gsize k = 0; k < mtx->nnz; k++)
    {
      gsize e = order[k];
      guint t = (guint) ((guint64) mtx->row[e] * n_lists / mtx->rows);
      gsize place = job->list_start[t] + fill[t]++;

      job->entry_row[place] = mtx->row[e];
      job->entry_col[place] = mtx->col[e];
    }
}

static inline double *
sums_row (const ColumnJob *job,
          gsize            place)
{
  return job->sums + (gsize) job->entry_row[place] * job->batch;
}

/* Adds each entry of list @t's input row into its output row, one
 * double a line. */
static void
scatter_list (ColumnJob *job,
              guint      t)
{
  gsize end = job->list_start[t + 1];

  for (gsize p = job->list_start[t]; p < end; p++)
    {
      const double *x = job->x + (gsize) job->entry_col[p] * job->batch;
      double *y = sums_row (job, p);

      if (job->ahead > 0 && p + job->ahead < end)
        for (guint b = 0; b < job->batch; b += DOUBLES_PER_LINE)
          __builtin_prefetch (sums_row (job, p + job->ahead) + b, 1);

      for (guint b = 0; b < job->batch; b += DOUBLES_PER_LINE)
        y[b] += x[b];
    }
}

/* Worker w takes lists w, w + n_workers, ...: one list each when the
 * team runs whole, all of them when a job runs on the caller alone. */
static void
scatter_share (gpointer data,
               guint    worker,
               guint    n_workers)
{
  ColumnJob *job = data;

  for (guint t = worker; t < job->n_lists; t += n_workers)
    scatter_list (job, t);
}

/* Reads each entry of list @t's error row beside its input row, one
 * double a line, into four sums, so that it times the reads rather than
 * the latency of one chain of additions. */
static void
gradient_list (ColumnJob *job,
               guint      t,
               double     sum[4])
{
  gsize end = job->list_start[t + 1];

  for (gsize p = job->list_start[t]; p < end; p++)
    {
      const double *x = job->x + (gsize) job->entry_col[p] * job->batch;
      const double *error = sums_row (job, p);

      if (job->ahead > 0 && p + job->ahead < end)
        for (guint b = 0; b < job->batch; b += DOUBLES_PER_LINE)
          __builtin_prefetch (sums_row (job, p + job->ahead) + b);

      for (guint b = 0; b < job->batch; b += DOUBLES_PER_LINE)
        sum[(p + b / DOUBLES_PER_LINE) & 3] += error[b] * x[b];
    }
}

static void
gradient_share (gpointer data,
                guint    worker,
                guint    n_workers)
{
  ColumnJob *job = data;
  double sum[4] = { 0.0, 0.0, 0.0, 0.0 };

  for (guint t = worker; t < job->n_lists; t += n_workers)
    gradient_list (job, t, sum);

  /* Stored so that the compiler keeps the loads. */
  job->sink[worker] = sum[0] + sum[1] + sum[2] + sum[3];
}

/**
 * column_floor_seconds:
 * @team: the thread team; each of its threads owns a range of rows
 * @mtx: the weights' pattern
 * @x: the inputs, mtx->cols rows of @batch doubles
 * @batch: doubles per input and output row
 * @ahead: entries between a request for an output row and its use, or 0
 * @steps: steps to time after a few warm-up steps
 *
 * Times @steps steps of the column walk's two passes.
 *
 * Returns: the median step in seconds
 */
double
column_floor_seconds (StParallel   *team,
                      const StMtx  *mtx,
                      const double *x,
                      guint         batch,
                      guint         ahead,
                      guint         steps)
{
  g_autofree double *times = g_new (double, steps);
  ColumnJob job = { .batch = batch, .ahead = ahead, .x = x };
  double median;

  column_job_init (&job, mtx, st_parallel_get_n_threads (team));
  job.sums = st_memory_new_gathered ((gsize) mtx->rows * batch);
  for (gsize k = 0; k < (gsize) mtx->rows * batch; k++)
    job.sums[k] = 0.0;

  for (int s = -WARM_UP_STEPS; s < (int) steps; s++)
    {
      double began = st_bench_seconds_now ();

      st_parallel_run (team, mtx->nnz * batch, scatter_share, &job);
      st_parallel_run (team, mtx->nnz * batch, gradient_share, &job);
      if (s >= 0)
        times[s] = st_bench_seconds_now () - began;
    }
  median = st_bench_median (times, steps);

  g_free (job.list_start);
  g_free (job.entry_row);
  g_free (job.entry_col);
  g_free (job.sums);
  return median;
}
