/* st-cli-train.c: "sparse-trainer-cli train", training a model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <unistd.h>

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
  char *optimizer;
  double momentum;
  double beta1;
  double beta2;
  double weight_decay;
  char *schedule;
  gint step_epochs;
  double gamma;
  double min_rate;
  double clip_norm;
  gboolean standardize;
  gint threads;
} TrainOptions;

static void
train_options_clear (TrainOptions *options)
{
  g_free (options->data);
  g_free (options->format);
  g_free (options->out);
  g_free (options->history);
  g_free (options->optimizer);
  g_free (options->schedule);
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

/* The value of --epochs before parsing, so that a missing option and
 * --epochs 0 get their own messages. */
#define EPOCHS_NOT_GIVEN G_MININT

/* Returns: a usage message for the first invalid option, or NULL. */
static char *
find_invalid_option (const TrainOptions *options)
{
  if (options->data == NULL)
    return g_strdup (_("--data is required: give the data set (CSV)."));
  if (options->epochs == EPOCHS_NOT_GIVEN)
    return g_strdup (_("--epochs is required: give the number of passes over the training data."));
  if (options->epochs < 1)
    return g_strdup_printf (_("--epochs must be at least 1, not %d."), options->epochs);
  if (options->batch < 1)
    return g_strdup_printf (_("--batch must be at least 1, not %d."), options->batch);
  if (!(options->learning_rate > 0.0) || !isfinite (options->learning_rate))
    return g_strdup (_("--lr must be a positive number."));
  if (!(options->test_fraction >= 0.0 && options->test_fraction < 1.0))
    return g_strdup (_("--test-fraction must be at least 0 and below 1."));
  if (options->threads < 1)
    return g_strdup_printf (_("--threads must be at least 1, not %d."), options->threads);
  if (options->step_epochs < 1)
    return g_strdup_printf (_("--step-epochs must be at least 1, not %d."), options->step_epochs);

  return NULL;
}

/* For a classification set with a test split, the test accuracy of each
 * class under its name. */
static void
print_class_report (StTrainer *trainer)
{
  StDataset *dataset = st_trainer_get_dataset (trainer);
  guint n_classes = st_dataset_get_n_classes (dataset);
  g_autofree guint *correct = NULL;
  g_autofree guint *total = NULL;
  double cost;

  if (n_classes == 0 || st_trainer_get_n_test (trainer) == 0)
    return;

  correct = g_new0 (guint, n_classes);
  total = g_new0 (guint, n_classes);
  if (!st_trainer_evaluate_classes (trainer, TRUE, &cost, NULL, correct, total, NULL))
    return;

  g_print ("%s\n", _("Test accuracy per class:"));
  for (guint c = 0; c < n_classes; c++)
    {
      char percent[ST_DOUBLE_BUFFER_SIZE];

      if (total[c] == 0)
        continue;
      g_print (_("  %s: %s %% of %u\n"), st_dataset_get_class_name (dataset, c),
               st_cli_number (100.0 * correct[c] / total[c], "%.1f", percent), total[c]);
    }
}

/* The earlier runs' history first, then this run's, counted on from
 * them. */
static StHistory *
combine_history (const StModel *model,
                 StTrainer     *trainer)
{
  const StHistory *run = st_trainer_get_history (trainer);
  StHistory *history = model->history != NULL ? st_history_copy (model->history)
                                              : st_history_new ();

  for (guint k = 0; k < st_history_get_length (run); k++)
    {
      StHistoryRecord record = *st_history_get (run, k);

      record.epoch += model->epoch;
      record.step += model->step;
      st_history_append (history, &record);
    }

  return history;
}

/* Checks that a file can be written at @path, before a long run whose
 * result would otherwise be lost: its folder exists and takes new files,
 * and @path is not a folder.  @option names the option for the message. */
static gboolean
check_output_path (const char  *path,
                   const char  *option,
                   GError     **error)
{
  g_autofree char *folder = g_path_get_dirname (path);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR,
                   _("“%s” is a folder; give %s a file name"), path, option);
      return FALSE;
    }

  if (!g_file_test (folder, G_FILE_TEST_IS_DIR) || g_access (folder, W_OK | X_OK) != 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ACCES,
                   _("cannot write to the folder “%s” of %s: it does not exist or is not "
                     "writable; create it or choose another path"), folder, option);
      return FALSE;
    }

  return TRUE;
}

/* Save the trained network with the settings, the progress, @history and
 * the class names. */
static gboolean
save_trained (const StModel          *model,
              StTrainer              *trainer,
              const StTrainSettings  *settings,
              StHistory              *history,
              const char             *path,
              GError                **error)
{
  StDataset *dataset = st_trainer_get_dataset (trainer);
  StModel trained = *model;

  trained.network = st_trainer_get_network (trainer);
  trained.has_training = TRUE;
  trained.settings = *settings;
  trained.epoch = model->epoch + st_trainer_get_epoch (trainer);
  trained.step = model->step + st_trainer_get_step (trainer);
  trained.history = history;
  if (st_dataset_get_class_names (dataset) != NULL)
    trained.class_names = (char **) st_dataset_get_class_names (dataset);

  return st_model_write (&trained, path, NULL, NULL, NULL, error);
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
      N_("Write the cost per epoch as CSV, earlier runs of the model included"),
      N_("COST.csv") },
    { "optimizer", 0, 0, G_OPTION_ARG_STRING, &options.optimizer,
      N_("Update rule: sgd, momentum, nesterov, adam or adamw (default sgd)"), N_("NAME") },
    { "momentum", 0, 0, G_OPTION_ARG_DOUBLE, &options.momentum,
      N_("Momentum of momentum and nesterov, in [0, 1) (default 0.9)"), N_("M") },
    { "beta1", 0, 0, G_OPTION_ARG_DOUBLE, &options.beta1,
      N_("Adam's decay of the mean gradient, in [0, 1) (default 0.9)"), N_("B1") },
    { "beta2", 0, 0, G_OPTION_ARG_DOUBLE, &options.beta2,
      N_("Adam's decay of the mean squared gradient, in [0, 1) (default 0.999)"), N_("B2") },
    { "weight-decay", 0, 0, G_OPTION_ARG_DOUBLE, &options.weight_decay,
      N_("Weight decay of the stored weights, not the biases (default 0)"), N_("D") },
    { "schedule", 0, 0, G_OPTION_ARG_STRING, &options.schedule,
      N_("Learning rate schedule: constant, step or cosine over --epochs (default constant)"),
      N_("NAME") },
    { "step-epochs", 0, 0, G_OPTION_ARG_INT, &options.step_epochs,
      N_("step: epochs between two cuts of the rate (default 10)"), N_("N") },
    { "gamma", 0, 0, G_OPTION_ARG_DOUBLE, &options.gamma,
      N_("step: factor of each cut, in (0, 1] (default 0.5)"), N_("G") },
    { "min-lr", 0, 0, G_OPTION_ARG_DOUBLE, &options.min_rate,
      N_("cosine: the rate at the end (default 0)"), N_("R") },
    { "clip-norm", 0, 0, G_OPTION_ARG_DOUBLE, &options.clip_norm,
      N_("Clip the gradient to this norm over all weights and biases (default 0: no clipping)"),
      N_("X") },
    { "standardize", 0, 0, G_OPTION_ARG_NONE, &options.standardize,
      N_("Scale each input to mean 0 and deviation 1 on the training split; the model keeps "
         "the scaling for later predictions"), NULL },
    { "threads", 0, 0, G_OPTION_ARG_INT, &options.threads,
      N_("Threads for the sparse kernels; results do not depend on it (default 1)"), N_("T") },
    { NULL },
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(StModel) model = NULL;
  g_autoptr(StDataset) dataset = NULL;
  g_autoptr(StTrainer) trainer = NULL;
  g_autoptr(StHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *invalid = NULL;
  StLayout layout = ST_LAYOUT_CSR;
  const char *model_path;
  const char *out_path;
  char seconds[ST_DOUBLE_BUFFER_SIZE];
  char steps[32];
  gint64 started;

  st_train_settings_init_default (&settings);
  options.epochs = EPOCHS_NOT_GIVEN;
  options.batch = (gint) settings.batch_size;
  options.learning_rate = settings.learning_rate;
  options.seed = (gint64) settings.seed;
  options.momentum = settings.optimizer.momentum;
  options.beta1 = settings.optimizer.beta1;
  options.beta2 = settings.optimizer.beta2;
  options.weight_decay = settings.optimizer.weight_decay;
  options.step_epochs = (gint) settings.schedule.step_epochs;
  options.gamma = settings.schedule.gamma;
  options.min_rate = settings.schedule.min_rate;
  options.threads = (gint) settings.threads;

  context = st_cli_option_context_new (_("MODEL"), _("Trains MODEL with stochastic gradient "
                                                     "descent, prints one line per epoch and "
                                                     "saves the trained model."), entries);
  if (!st_cli_parse (context, &argc, &argv, 1) || !st_cli_parse_layout (options.format, &layout))
    return ST_CLI_EXIT_USAGE;

  invalid = find_invalid_option (&options);
  if (invalid != NULL)
    return st_cli_usage_error ("%s", invalid);
  st_cli_note_threads (options.threads);
  if (options.optimizer != NULL &&
      !st_optimizer_kind_from_string (options.optimizer, &settings.optimizer.kind))
    return st_cli_usage_error (_("Unknown optimizer “%s”: use sgd, momentum, nesterov, adam or "
                                 "adamw."), options.optimizer);
  if (options.schedule != NULL &&
      !st_schedule_kind_from_string (options.schedule, &settings.schedule.kind))
    return st_cli_usage_error (_("Unknown schedule “%s”: use constant, step or cosine."),
                               options.schedule);

  model_path = argv[1];
  out_path = options.out != NULL ? options.out : model_path;

  if (!check_output_path (out_path,
                          options.out != NULL ? "--out" : _("the model (give --out to save elsewhere)"),
                          &error) ||
      (options.history != NULL && !check_output_path (options.history, "--history", &error)))
    return st_cli_fail (_("cannot train"), error);

  if ((model = st_cli_read_model (model_path)) == NULL ||
      (dataset = st_cli_load_data (options.data, model)) == NULL)
    return ST_CLI_EXIT_FAILURE;

  if (options.format != NULL && !st_network_set_layout (model->network, layout, &error))
    return st_cli_fail (_("cannot convert the weights"), error);

  settings.batch_size = (guint) options.batch;
  settings.learning_rate = options.learning_rate;
  settings.seed = (guint64) options.seed;
  settings.test_fraction = options.test_fraction;
  settings.optimizer.momentum = options.momentum;
  settings.optimizer.beta1 = options.beta1;
  settings.optimizer.beta2 = options.beta2;
  settings.optimizer.weight_decay = options.weight_decay;
  settings.schedule.step_epochs = (guint) options.step_epochs;
  settings.schedule.gamma = options.gamma;
  settings.schedule.total_epochs = (guint) options.epochs;
  settings.schedule.min_rate = options.min_rate;
  settings.max_norm = options.clip_norm;
  settings.standardize = options.standardize;
  settings.threads = (guint) options.threads;

  trainer = st_trainer_new (g_steal_pointer (&model->network), dataset, &settings, &error);
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
      const StHistory *run;

      if (!st_trainer_run_epoch (trainer, &error))
        return st_cli_fail (_("training stopped"), error);

      run = st_trainer_get_history (trainer);
      print_epoch (st_history_get (run, st_history_get_length (run) - 1), (guint) options.epochs);
    }

  /* Numbers go in as text: translatable strings cannot use G_GUINT64_FORMAT. */
  g_snprintf (steps, sizeof steps, "%" G_GUINT64_FORMAT, st_trainer_get_step (trainer));
  g_print (ngettext ("Trained %s step in %s s\n", "Trained %s steps in %s s\n",
                     (gulong) MIN (st_trainer_get_step (trainer), G_MAXULONG)), steps,
           st_cli_number ((g_get_monotonic_time () - started) / 1e6, "%.2f", seconds));

  print_class_report (trainer);

  history = combine_history (model, trainer);
  if (!save_trained (model, trainer, &settings, history, out_path, &error))
    return st_cli_fail (_("cannot save the model"), error);
  g_print (_("Saved %s\n"), out_path);

  if (options.history != NULL && !st_history_write_csv (history, options.history, &error))
    return st_cli_fail (_("cannot write the cost history"), error);

  return 0;
}
