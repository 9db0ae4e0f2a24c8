/* st-cli-train.c: "sparse-trainer-cli train", training a model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cli"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "st-cli.h"

typedef struct
{
  char *data;
  gint epochs;
  gint batch;
  double learning_rate;
  gint64 seed;
  char *format;
  double test_fraction;
  char *out;
  char *history;
} TrainOptions;

static void
train_options_clear (TrainOptions *options)
{
  g_free (options->data);
  g_free (options->format);
  g_free (options->out);
  g_free (options->history);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TrainOptions, train_options_clear)

static void
print_epoch (const StHistoryRecord *record,
             guint                  epochs)
{
  char train_cost[ST_DOUBLE_BUFFER_SIZE];
  char test_cost[ST_DOUBLE_BUFFER_SIZE];
  char accuracy[ST_DOUBLE_BUFFER_SIZE];

  g_print (_("epoch %u/%u  train cost %s"), record->epoch, epochs,
           st_cli_number (record->train_cost, "%.6g", train_cost));
  if (!isnan (record->test_cost))
    g_print (_("  test cost %s"), st_cli_number (record->test_cost, "%.6g", test_cost));
  if (!isnan (record->test_accuracy))
    g_print (_("  test accuracy %s %%"),
             st_cli_number (100.0 * record->test_accuracy, "%.2f", accuracy));
  g_print ("\n");
}

/* Returns: a usage message for the first invalid option, or NULL. */
static char *
find_invalid_option (const TrainOptions *options)
{
  if (options->data == NULL)
    return g_strdup (_("--data is required: give the data set (CSV)."));
  if (options->epochs < 1)
    return g_strdup_printf (_("--epochs must be at least 1, not %d."), options->epochs);
  if (options->batch < 1)
    return g_strdup_printf (_("--batch must be at least 1, not %d."), options->batch);
  if (!(options->learning_rate > 0.0) || !isfinite (options->learning_rate))
    return g_strdup (_("--lr must be a positive number."));
  if (!(options->test_fraction >= 0.0 && options->test_fraction < 1.0))
    return g_strdup (_("--test-fraction must be at least 0 and below 1."));

  return NULL;
}

int
st_cli_train (int    argc,
              char **argv)
{
  StTrainSettings settings;
  g_auto(TrainOptions) options = { 0 };
  GOptionEntry entries[] = {
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &options.data,
      N_("The data set: CSV, optionally gzip-compressed (required)"), N_("DATA.csv") },
    { "epochs", 0, 0, G_OPTION_ARG_INT, &options.epochs,
      N_("Passes over the training samples (required)"), N_("N") },
    { "batch", 0, 0, G_OPTION_ARG_INT, &options.batch,
      N_("Samples per training step (default 32)"), N_("B") },
    { "lr", 0, 0, G_OPTION_ARG_DOUBLE, &options.learning_rate,
      N_("Learning rate of stochastic gradient descent (default 0.1)"), N_("R") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &options.seed,
      N_("Seed of the train/test split and the batch order (default 1)"), N_("N") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &options.format,
      N_("Convert the weights to csr, csc or coo before training"), N_("FORMAT") },
    { "test-fraction", 0, 0, G_OPTION_ARG_DOUBLE, &options.test_fraction,
      N_("Share of the samples held out for testing, such as 0.2 (default 0)"), N_("F") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &options.out,
      N_("Where to save the trained model (default: replace MODEL)"), N_("MODEL2") },
    { "history", 0, 0, G_OPTION_ARG_FILENAME, &options.history,
      N_("Write the cost per epoch as CSV"), N_("COST.csv") },
    { NULL },
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(StNetwork) network = NULL;
  g_autoptr(StDataset) dataset = NULL;
  g_autoptr(StTrainer) trainer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *invalid = NULL;
  StLayout layout = ST_LAYOUT_CSR;
  const char *model_path;
  const char *out_path;
  char seconds[ST_DOUBLE_BUFFER_SIZE];
  char steps[32];
  gint64 started;

  st_train_settings_init_default (&settings);
  options.epochs = 0;
  options.batch = (gint) settings.batch_size;
  options.learning_rate = settings.learning_rate;
  options.seed = (gint64) settings.seed;

  context = st_cli_option_context_new (_("MODEL"), _("Trains MODEL with stochastic gradient "
                                                     "descent, prints one line per epoch and "
                                                     "saves the trained model."), entries);
  if (!st_cli_parse (context, &argc, &argv, 1) || !st_cli_parse_layout (options.format, &layout))
    return ST_CLI_EXIT_USAGE;

  invalid = find_invalid_option (&options);
  if (invalid != NULL)
    return st_cli_usage_error ("%s", invalid);

  model_path = argv[1];
  out_path = options.out != NULL ? options.out : model_path;

  if ((network = st_cli_load_model (model_path)) == NULL ||
      (dataset = st_cli_load_data (options.data, network)) == NULL)
    return ST_CLI_EXIT_FAILURE;

  if (options.format != NULL && !st_network_set_layout (network, layout, &error))
    return st_cli_fail (_("cannot convert the weights"), error);

  settings.batch_size = (guint) options.batch;
  settings.learning_rate = options.learning_rate;
  settings.seed = (guint64) options.seed;
  settings.test_fraction = options.test_fraction;

  trainer = st_trainer_new (g_steal_pointer (&network), dataset, &settings, &error);
  if (trainer == NULL)
    return st_cli_fail (_("cannot train"), error);

  g_print (ngettext ("Training on %u sample, ", "Training on %u samples, ",
                     st_trainer_get_n_train (trainer)),
           st_trainer_get_n_train (trainer));
  g_print (_("testing on %u, "), st_trainer_get_n_test (trainer));
  g_print (ngettext ("%u step per epoch\n", "%u steps per epoch\n",
                     st_trainer_get_steps_per_epoch (trainer)),
           st_trainer_get_steps_per_epoch (trainer));
  g_print ("%s\n", _("Each line shows the costs over the whole training and test samples "
                     "after that epoch's updates."));

  started = g_get_monotonic_time ();
  for (guint epoch = 1; epoch <= (guint) options.epochs; epoch++)
    {
      const StHistory *history;

      if (!st_trainer_run_epoch (trainer, &error))
        return st_cli_fail (_("training stopped"), error);

      history = st_trainer_get_history (trainer);
      print_epoch (st_history_get (history, st_history_get_length (history) - 1),
                   (guint) options.epochs);
    }

  /* Numbers go in as text: translatable strings cannot use G_GUINT64_FORMAT. */
  g_snprintf (steps, sizeof steps, "%" G_GUINT64_FORMAT, st_trainer_get_step (trainer));
  g_print (ngettext ("Trained %s step in %s s\n", "Trained %s steps in %s s\n",
                     (gulong) MIN (st_trainer_get_step (trainer), G_MAXULONG)), steps,
           st_cli_number ((g_get_monotonic_time () - started) / 1e6, "%.2f", seconds));

  if (!st_model_save (st_trainer_get_network (trainer), out_path, &error))
    return st_cli_fail (_("cannot save the model"), error);
  g_print (_("Saved %s\n"), out_path);

  if (options.history != NULL &&
      !st_history_write_csv (st_trainer_get_history (trainer), options.history, &error))
    return st_cli_fail (_("cannot write the cost history"), error);

  return 0;
}
