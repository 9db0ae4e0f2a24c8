/* st-cli-bench.c: "sparse-trainer-cli bench", timing one training step
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The workload is the shared peer benchmark's: one sparse linear layer
 * without bias, y = W x over a batch, half mean squared error, and plain
 * SGD at rate 0.01 on the stored entries.  X and T come from splitmix64
 * so that every program in the comparison trains on the same numbers:
 * X[j][b] = sym(3, j B + b) and T[i][b] = sym(4, i B + b), where
 * sym(s, k) = 2 u(s, k) - 1 and u(s, k) is the top 53 bits of the k-th
 * splitmix64 output for state s, scaled to [0, 1).
 */

#define G_LOG_DOMAIN "cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "st-bench-timing.h"
#include "st-cli.h"
#include "st-memory.h"
#include "st-process-memory.h"

#define WARM_UP_STEPS 3
#define LEARNING_RATE 0.01

/* The k-th output of splitmix64 started at @seed. */
static guint64
splitmix64 (guint64 seed,
            guint64 k)
{
  guint64 z = seed + (k + 1) * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

/* A uniform double in [-1, 1), exact: 53 random bits scaled. */
static double
symmetric_uniform (guint64 seed,
                   guint64 k)
{
  return 2.0 * ((double) (splitmix64 (seed, k) >> 11) * 0x1.0p-53) - 1.0;
}

static double *
fill_block (guint64 seed,
            guint   rows,
            guint   batch)
{
  gsize n = (gsize) rows * batch;
  double *block = st_memory_new_gathered (n);

  for (gsize k = 0; k < n; k++)
    block[k] = symmetric_uniform (seed, k);

  return block;
}

int
st_cli_bench (int    argc,
              char **argv)
{
  g_autofree char *weights = NULL;
  g_autofree char *format = NULL;
  gint batch = G_MININT;   /* G_MININT until --batch is given */
  gint steps = 10;
  gint threads = 1;
  GOptionEntry entries[] = {
    { "weights", 0, 0, G_OPTION_ARG_FILENAME, &weights,
      N_("The layer's pattern and values as a Matrix Market file (required)"), N_("W.mtx") },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch,
      N_("Samples per step (required)"), N_("B") },
    { "steps", 0, 0, G_OPTION_ARG_INT, &steps,
      N_("Timed steps after 3 warm-up steps (default 10)"), N_("N") },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads,
      N_("Threads for the sparse kernels (default 1)"), N_("T") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format,
      N_("Storage of the weights: csr, csc or coo (default csr)"), N_("FORMAT") },
    { NULL },
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(StMtx) mtx = NULL;
  g_autoptr(StNetwork) network = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree double *x = NULL;
  g_autofree double *t = NULL;
  g_autofree double *times = NULL;
  StLayout layout = ST_LAYOUT_CSR;
  StOptimizer sgd;
  StLayer *layer;
  double first_cost = 0.0;
  double last_cost = 0.0;
  char number[3][ST_DOUBLE_BUFFER_SIZE];
  double median;

  context = st_cli_option_context_new (NULL, _("Times training steps of one sparse layer on the "
                                               "peer benchmark's workload and prints one JSON "
                                               "line."), entries);
  if (!st_cli_parse (context, &argc, &argv, 0) || !st_cli_parse_layout (format, &layout))
    return ST_CLI_EXIT_USAGE;
  if (weights == NULL)
    return st_cli_usage_error ("%s", _("--weights is required: give the layer's Matrix Market "
                                       "file."));
  if (batch == G_MININT)
    return st_cli_usage_error ("%s", _("--batch is required: give the samples per step, such "
                                       "as 16."));
  if (!st_cli_check_at_least ("--batch", batch, 1) || !st_cli_check_at_least ("--steps", steps, 1) ||
      !st_cli_check_at_least ("--threads", threads, 1))
    return ST_CLI_EXIT_USAGE;
  st_cli_note_threads (threads);

  file = g_file_new_for_commandline_arg (weights);
  mtx = st_mtx_read (file, NULL, &error);
  if (mtx == NULL)
    return st_cli_fail (_("cannot read the weights"), error);

  layer = st_mtx_to_layer (mtx, layout, &error);
  g_clear_pointer (&mtx, st_mtx_free);
  network = st_network_new (ST_LOSS_HALF_MSE);
  if (layer == NULL || !st_network_append_layer (network, layer, &error) ||
      !st_network_set_threads (network, (guint) threads, &error))
    return st_cli_fail (_("cannot build the layer"), error);

  st_optimizer_init_default (&sgd, ST_OPTIMIZER_SGD);
  x = fill_block (3, st_layer_get_cols (layer), (guint) batch);
  t = fill_block (4, st_layer_get_rows (layer), (guint) batch);
  times = g_new (double, steps);

  for (gint step = 0; step < WARM_UP_STEPS + steps; step++)
    {
      double started = st_bench_seconds_now ();
      double cost;

      if (!st_network_train_step (network, x, t, (guint) batch, &sgd, LEARNING_RATE, 0.0, &cost,
                                  &error))
        return st_cli_fail (_("the step failed"), error);

      if (step >= WARM_UP_STEPS)
        times[step - WARM_UP_STEPS] = st_bench_seconds_now () - started;
      if (step == 0)
        first_cost = cost;
      if (step == 9)
        last_cost = cost;
    }

  median = st_bench_median (times, steps);

  /* Field names follow the peer programs' records, so the peers' report
   * can put this line into its tables. */
  g_print ("{\"peer\":\"sparse-trainer\",\"variant\":\"%s\",\"dtype\":\"f64\",\"threads\":%d,"
           "\"m\":%u,\"n\":%u,\"nnz\":%" G_GSIZE_FORMAT ",\"batch\":%d,\"B\":%d,\"steps\":%d,",
           st_layout_to_string (layout), threads, st_layer_get_rows (layer),
           st_layer_get_cols (layer), st_layer_get_nnz (layer), batch, batch, steps);
  g_print ("\"median_step_s\":%s,\"median_s\":%s,\"min_s\":%s,",
           st_cli_number (median, "%.6e", number[0]), st_cli_number (median, "%.6e", number[1]),
           st_cli_number (times[0], "%.6e", number[2]));
  g_print ("\"nnz_updates_per_s\":%s,\"peak_rss_bytes\":%" G_GUINT64_FORMAT ",\"peak_rss_mib\":%s,",
           median > 0.0 ? st_cli_number (st_layer_get_nnz (layer) / median, "%.4e", number[0])
                        : "null",
           st_process_get_peak_rss (),
           st_cli_number (st_process_get_peak_rss () / 1048576.0, "%.1f", number[1]));
  g_print ("\"loss_step1\":%s,\"loss_step10\":%s}\n",
           st_cli_number (first_cost, "%.17g", number[0]),
           steps + WARM_UP_STEPS >= 10 ? st_cli_number (last_cost, "%.17g", number[1]) : "null");

  return 0;
}
