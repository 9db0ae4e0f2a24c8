/* st-cli-bench-mlp.c: "sparse-trainer-cli bench-mlp", timing one epoch
 * of a small sparse network
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The peer benchmark's second workload: H = tanh(W1 X + b1),
 * Y = W2 H + b2, half mean squared error on one-hot targets, plain SGD.
 * One epoch takes the training samples in file order, without shuffling,
 * in batches of B; every timed epoch starts again from the initial
 * weights, and the test accuracy after one epoch checks the result.
 */

#define G_LOG_DOMAIN "cli"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <stdlib.h>

#include "st-bench-timing.h"
#include "st-cli.h"
#include "st-process-memory.h"

#define WARM_UP_EPOCHS 1

/* Splits the --weights values into one path per layer.  Each value names
 * one file or a comma list of files, as new's --weights does, and empty
 * names are skipped. */
static GStrv
split_paths (char **weights)
{
  g_autoptr(GStrvBuilder) paths = g_strv_builder_new ();

  for (guint k = 0; weights[k] != NULL; k++)
    {
      g_auto(GStrv) parts = g_strsplit (weights[k], ",", -1);

      for (guint p = 0; parts[p] != NULL; p++)
        if (parts[p][0] != '\0')
          g_strv_builder_add (paths, parts[p]);
    }

  return g_strv_builder_end (paths);
}

static StNetwork *
build_network (char    **weights,
               GError  **error)
{
  g_autoptr(StNetwork) network = st_network_new (ST_LOSS_HALF_MSE);
  guint n_layers = g_strv_length (weights);

  for (guint l = 0; l < n_layers; l++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (weights[l]);
      g_autoptr(StMtx) mtx = st_mtx_read (file, NULL, error);
      StLayer *layer;

      if (mtx == NULL)
        return NULL;

      layer = st_mtx_to_layer (mtx, ST_LAYOUT_CSR, error);
      if (layer == NULL)
        return NULL;

      /* The biases start at zero; hidden layers use tanh. */
      st_layer_set_activation (layer, l + 1 < n_layers ? ST_ACTIVATION_TANH
                                                       : ST_ACTIVATION_IDENTITY);
      if (!st_layer_set_has_bias (layer, FALSE, error) ||
          !st_layer_set_has_bias (layer, TRUE, error) ||
          !st_network_append_layer (network, layer, error))
        return NULL;
    }

  return g_steal_pointer (&network);
}

/* Train one epoch on samples 0 .. n_train - 1 in order; a last partial
 * batch is dropped, as in the peers.  @cost is the last step's cost,
 * before its update. */
static gboolean
train_epoch (StNetwork       *network,
             const StDataset *dataset,
             guint            n_train,
             guint            batch,
             double           learning_rate,
             double          *cost,
             GError         **error)
{
  guint n_inputs = st_network_get_n_inputs (network);
  guint n_outputs = st_network_get_n_outputs (network);
  g_autofree double *x = g_new (double, (gsize) n_inputs * batch);
  g_autofree double *t = g_new (double, (gsize) n_outputs * batch);
  g_autofree guint *samples = g_new (guint, batch);
  StOptimizer sgd;

  st_optimizer_init_default (&sgd, ST_OPTIMIZER_SGD);
  for (guint first = 0; first + batch <= n_train; first += batch)
    {
      for (guint b = 0; b < batch; b++)
        samples[b] = first + b;

      st_dataset_gather (dataset, samples, batch, n_outputs, x, t);
      if (!st_network_train_step (network, x, t, batch, &sgd, learning_rate, 0.0, cost, error))
        return FALSE;
    }

  return TRUE;
}

/* Returns: the share of samples n_train .. n - 1 whose largest output is
 * their class, or a negative number with @error set. */
static double
test_accuracy (StNetwork       *network,
               const StDataset *dataset,
               guint            n_train,
               GError         **error)
{
  guint n_test = st_dataset_get_n_samples (dataset) - n_train;
  guint n_inputs = st_network_get_n_inputs (network);
  guint n_outputs = st_network_get_n_outputs (network);
  const guint *labels = st_dataset_get_labels (dataset);
  g_autofree double *x = g_new (double, (gsize) n_inputs * n_test);
  g_autofree double *t = g_new (double, (gsize) n_outputs * n_test);
  g_autofree guint *samples = g_new (guint, n_test);
  const double *y;
  guint correct = 0;

  for (guint s = 0; s < n_test; s++)
    samples[s] = n_train + s;

  st_dataset_gather (dataset, samples, n_test, n_outputs, x, t);
  y = st_network_forward (network, x, n_test, error);
  if (y == NULL)
    return -1.0;

  /* Outputs are n_outputs x n_test: output o of sample s is y[o * n_test + s]. */
  for (guint s = 0; s < n_test; s++)
    {
      guint best = 0;

      for (guint o = 1; o < n_outputs; o++)
        if (y[(gsize) o * n_test + s] > y[(gsize) best * n_test + s])
          best = o;
      correct += best == labels[n_train + s];
    }

  return (double) correct / n_test;
}

/* Copies the weights and biases of @initial back into @network, a copy
 * of it, so that each timed epoch starts from the same point. */
static void
restore_weights (StNetwork *network,
                 StNetwork *initial)
{
  for (guint l = 0; l < st_network_get_n_layers (initial); l++)
    {
      StLayer *target = st_network_get_layer (network, l);
      StLayer *source = st_network_get_layer (initial, l);

      memcpy (st_layer_get_values (target), st_layer_get_values (source),
              st_layer_get_nnz (source) * sizeof (double));
      if (st_layer_get_bias (source) != NULL)
        memcpy (st_layer_get_bias (target), st_layer_get_bias (source),
                st_layer_get_rows (source) * sizeof (double));
    }
}

int
st_cli_bench_mlp (int    argc,
                  char **argv)
{
  g_auto(GStrv) weights = NULL;
  g_auto(GStrv) paths = NULL;
  g_autofree char *data = NULL;
  gint batch = 32;
  gint n_train = 1440;
  gint epochs = 10;
  gint threads = 1;
  double learning_rate = 2.0;
  GOptionEntry entries[] = {
    { "weights", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &weights,
      N_("A layer's pattern and initial values as a Matrix Market file, one for each layer from "
         "the input: repeat the option or separate the files with commas (required)"),
      N_("W.mtx") },
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &data,
      N_("The samples as CSV with the class label last (required)"), N_("DATA.csv") },
    { "train", 0, 0, G_OPTION_ARG_INT, &n_train,
      N_("The first N samples train, the rest test (default 1440)"), N_("N") },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch,
      N_("Samples per step (default 32)"), N_("B") },
    { "lr", 0, 0, G_OPTION_ARG_DOUBLE, &learning_rate,
      N_("Learning rate of stochastic gradient descent (default 2)"), N_("R") },
    { "epochs", 0, 0, G_OPTION_ARG_INT, &epochs,
      N_("Timed epochs after one warm-up epoch (default 10)"), N_("N") },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads,
      N_("Threads for the sparse kernels (default 1)"), N_("T") },
    { NULL },
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(StNetwork) initial = NULL;
  g_autoptr(StNetwork) network = NULL;
  g_autoptr(StDataset) dataset = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree double *times = NULL;
  char number[4][ST_DOUBLE_BUFFER_SIZE];
  double accuracy = 0.0;
  double last_cost = 0.0;
  double median;
  gsize nnz = 0;

  context = st_cli_option_context_new (NULL, _("Times epochs of a small sparse network on the "
                                               "peer benchmark's second workload and prints one "
                                               "JSON line."), entries);
  if (!st_cli_parse (context, &argc, &argv, 0))
    return ST_CLI_EXIT_USAGE;
  if (weights == NULL || data == NULL)
    return st_cli_usage_error ("%s", _("--weights and --data are required."));
  if (!st_cli_check_at_least ("--batch", batch, 1) || !st_cli_check_at_least ("--train", n_train, batch) ||
      !st_cli_check_at_least ("--epochs", epochs, 1) || !st_cli_check_at_least ("--threads", threads, 1))
    return ST_CLI_EXIT_USAGE;
  st_cli_note_threads (threads);

  paths = split_paths (weights);
  if (paths[0] == NULL)
    {
      g_autofree char *weights_text = g_strjoinv (",", weights);

      return st_cli_usage_error (_("--weights “%s” names no file: give one Matrix Market file "
                                   "for each layer."), weights_text);
    }
  initial = build_network (paths, &error);
  if (initial == NULL || !st_network_set_threads (initial, (guint) threads, &error))
    return st_cli_fail (_("cannot build the network"), error);

  file = g_file_new_for_commandline_arg (data);
  dataset = st_dataset_load_csv (file, st_network_get_n_inputs (initial),
                                 st_network_get_n_outputs (initial), NULL, &error);
  if (dataset == NULL || !st_dataset_check_fits (dataset, st_network_get_n_inputs (initial),
                                                 st_network_get_n_outputs (initial), &error))
    return st_cli_fail (_("cannot read the data set"), error);
  if (!st_dataset_is_classification (dataset) ||
      (guint) n_train >= st_dataset_get_n_samples (dataset))
    return st_cli_usage_error ("%s", _("The data set needs class labels and more samples than "
                                       "--train."));

  /* One network for every epoch, as in training: its thread team and
   * workspace come from the warm-up epoch, and each epoch only puts the
   * initial weights back. */
  network = st_network_copy (initial);
  times = g_new (double, epochs);
  for (gint epoch = 0; epoch < WARM_UP_EPOCHS + epochs; epoch++)
    {
      gint64 started;
      double cost;

      restore_weights (network, initial);
      started = g_get_monotonic_time ();

      if (!train_epoch (network, dataset, (guint) n_train, (guint) batch, learning_rate, &cost,
                        &error))
        return st_cli_fail (_("the step failed"), error);

      if (epoch >= WARM_UP_EPOCHS)
        times[epoch - WARM_UP_EPOCHS] = (g_get_monotonic_time () - started) / 1e6;

      if (epoch == 0)
        {
          last_cost = cost;
          accuracy = test_accuracy (network, dataset, (guint) n_train, &error);
          if (accuracy < 0.0)
            return st_cli_fail (_("the test failed"), error);
        }
    }

  for (guint l = 0; l < st_network_get_n_layers (initial); l++)
    nnz += st_layer_get_nnz (st_network_get_layer (initial, l));

  median = st_bench_median (times, epochs);

  /* Field names follow the peers' records of this workload. */
  g_print ("{\"peer\":\"sparse-trainer\",\"variant\":\"mlp_csr\",\"dtype\":\"f64\",\"mode\":\"mlp\","
           "\"threads\":%d,\"nnz\":%" G_GSIZE_FORMAT ",\"n_epochs_timed\":%d,",
           threads, nnz, epochs);
  g_print ("\"epoch_median_s\":%s,\"epoch_min_s\":%s,\"step_median_s\":%s,",
           st_cli_number (median, "%.6e", number[0]), st_cli_number (times[0], "%.6e", number[1]),
           st_cli_number (median / (n_train / batch), "%.6e", number[2]));
  g_print ("\"test_acc\":%s,\"loss_last_step\":%s,\"peak_rss_mib\":%s}\n",
           st_cli_number (accuracy, "%.4f", number[3]),
           st_cli_number (last_cost, "%.17g", number[0]),
           st_cli_number (st_process_get_peak_rss () / 1048576.0, "%.1f", number[1]));

  return 0;
}
