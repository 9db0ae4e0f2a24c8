/* st-trainer.c: minibatch training of a network on a data set
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "st-dataset.h"
#include "st-error.h"
#include "st-history.h"
#include "st-memory.h"
#include "st-network.h"
#include "st-random.h"
#include "st-snapshot.h"
#include "st-trainer.h"

/* Samples per forward pass when a whole split is evaluated. */
#define EVALUATION_CHUNK 256

struct _StTrainer
{
  StNetwork *network;   /* owned */
  StDataset *dataset;   /* reference */
  StTrainSettings settings;
  gsl_rng *rng;

  guint *order;         /* sample indices: training split first, then test */
  guint n_train;
  guint n_test;

  guint position;       /* next training sample of this epoch, in order[] */
  guint epoch;          /* epochs completed */
  guint64 step;         /* steps taken */
  double last_cost;     /* of the last batch, NaN before the first */

  double *x;            /* batch inputs, n_inputs x capacity */
  double *t;            /* batch targets, n_outputs x capacity */
  guint capacity;

  StHistory *history;
};

/* Plain SGD at rate 0.1 with batches of 32, a constant rate, no
 * clipping, no standardization, no test split, one thread. */
void
st_train_settings_init_default (StTrainSettings *settings)
{
  settings->learning_rate = 0.1;
  settings->batch_size = 32;
  settings->seed = 1;
  settings->test_fraction = 0.0;
  st_optimizer_init_default (&settings->optimizer, ST_OPTIMIZER_SGD);
  st_schedule_init_default (&settings->schedule);
  settings->max_norm = 0.0;
  settings->standardize = FALSE;
  settings->threads = 1;
}

static gboolean
validate_settings (const StTrainSettings  *settings,
                   GError                **error)
{
  if (!(settings->learning_rate > 0.0) || !isfinite (settings->learning_rate))
    {
      g_set_error (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT,
                   _("The learning rate %g must be a positive number"), settings->learning_rate);
      return FALSE;
    }

  if (settings->batch_size == 0)
    {
      g_set_error_literal (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT,
                           _("The batch size must be at least 1"));
      return FALSE;
    }

  if (!(settings->test_fraction >= 0.0 && settings->test_fraction < 1.0))
    {
      g_set_error (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT,
                   _("The test fraction %g is outside [0, 1); use for example 0.2 to hold out "
                     "20 %% of the samples"), settings->test_fraction);
      return FALSE;
    }

  if (!(settings->max_norm >= 0.0) || !isfinite (settings->max_norm))
    {
      g_set_error (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT,
                   _("The clipping norm %g must be 0 (no clipping) or positive"),
                   settings->max_norm);
      return FALSE;
    }

  return st_optimizer_validate (&settings->optimizer, error) &&
         st_schedule_validate (&settings->schedule, error);
}

/* Set the network's input standardization from the training split:
 * mean and 1 / standard deviation per input.  An input that never
 * changes keeps the factor 1, since x - mean is 0 anyway. */
static void
standardize (StTrainer *trainer)
{
  guint n_inputs = st_dataset_get_n_inputs (trainer->dataset);
  const double *inputs = st_dataset_get_inputs (trainer->dataset);
  g_autofree double *mean = g_new0 (double, n_inputs);
  g_autofree double *scale = g_new0 (double, n_inputs);

  for (guint s = 0; s < trainer->n_train; s++)
    for (guint j = 0; j < n_inputs; j++)
      mean[j] += inputs[(gsize) trainer->order[s] * n_inputs + j];
  for (guint j = 0; j < n_inputs; j++)
    mean[j] /= trainer->n_train;

  for (guint s = 0; s < trainer->n_train; s++)
    for (guint j = 0; j < n_inputs; j++)
      {
        double d = inputs[(gsize) trainer->order[s] * n_inputs + j] - mean[j];

        scale[j] += d * d;
      }
  for (guint j = 0; j < n_inputs; j++)
    {
      double deviation = sqrt (scale[j] / trainer->n_train);

      scale[j] = deviation > 0.0 ? 1.0 / deviation : 1.0;
    }

  st_network_set_standardization (trainer->network, mean, scale);
}

/**
 * st_trainer_new:
 * @network: (transfer full): the network to train; freed on error
 * @dataset: the data, referenced
 * @settings: the settings, copied
 * @error: return location for an error
 *
 * Shuffles the samples once with the seed and holds out the last
 * round(test_fraction x n) of them for testing.  With standardize set,
 * it also gives the network the input standardization of the training
 * split, which stays with the network when it is saved.
 *
 * Returns: (transfer full): a trainer, or %NULL with @error set
 */
StTrainer *
st_trainer_new (StNetwork             *network,
                StDataset             *dataset,
                const StTrainSettings *settings,
                GError               **error)
{
  g_autoptr(StNetwork) owned = network;
  guint n_samples = st_dataset_get_n_samples (dataset);
  StTrainer *trainer;
  guint n_test;
  gsize n_x;
  gsize n_t;

  if (!validate_settings (settings, error) ||
      !st_network_validate (network, error) ||
      !st_network_set_threads (network, settings->threads, error) ||
      !st_dataset_check_fits (dataset, st_network_get_n_inputs (network),
                              st_network_get_n_outputs (network), error))
    return NULL;

  n_test = (guint) floor (settings->test_fraction * n_samples + 0.5);
  if (n_test >= n_samples)
    {
      g_set_error (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT,
                   _("A test fraction of %g leaves no training samples out of %u"),
                   settings->test_fraction, n_samples);
      return NULL;
    }

  trainer = g_new0 (StTrainer, 1);
  trainer->network = g_steal_pointer (&owned);
  trainer->dataset = st_dataset_ref (dataset);
  trainer->settings = *settings;
  trainer->rng = st_random_new (settings->seed);
  trainer->n_test = n_test;
  trainer->n_train = n_samples - n_test;
  trainer->last_cost = NAN;
  trainer->history = st_history_new ();

  trainer->order = g_new (guint, n_samples);
  for (guint s = 0; s < n_samples; s++)
    trainer->order[s] = s;
  if (n_test > 0)
    st_random_shuffle (trainer->rng, trainer->order, n_samples);
  st_random_shuffle (trainer->rng, trainer->order, trainer->n_train);

  if (settings->standardize)
    standardize (trainer);

  trainer->capacity = MAX (MIN (settings->batch_size, n_samples), MIN (EVALUATION_CHUNK, n_samples));
  n_x = (gsize) st_network_get_n_inputs (trainer->network) * trainer->capacity;
  n_t = (gsize) st_network_get_n_outputs (trainer->network) * trainer->capacity;
  trainer->x = st_memory_new_gathered (n_x);
  trainer->t = st_memory_new_gathered (n_t);

  return trainer;
}

void
st_trainer_free (StTrainer *trainer)
{
  if (trainer == NULL)
    return;

  st_network_free (trainer->network);
  st_dataset_unref (trainer->dataset);
  gsl_rng_free (trainer->rng);
  st_history_free (trainer->history);
  g_free (trainer->order);
  g_free (trainer->x);
  g_free (trainer->t);
  g_free (trainer);
}

/* Index of the largest output of sample @b. */
static guint
arg_max (const double *outputs,
         guint         units,
         guint         batch,
         guint         b)
{
  guint best = 0;

  for (guint i = 1; i < units; i++)
    if (outputs[(gsize) i * batch + b] > outputs[(gsize) best * batch + b])
      best = i;

  return best;
}

/**
 * st_trainer_evaluate:
 * @trainer: a trainer
 * @test_split: %TRUE for the test split, %FALSE for the training split
 * @cost: (out): the mean cost over the split
 * @accuracy: (out) (optional): the fraction classified right, or NaN
 *   for regression or an empty split
 * @error: return location for an error
 *
 * Runs the forward pass over a whole split in chunks, without changing
 * any weight.  An empty split gives a NaN cost.
 */
gboolean
st_trainer_evaluate (StTrainer  *trainer,
                     gboolean    test_split,
                     double     *cost,
                     double     *accuracy,
                     GError    **error)
{
  return st_trainer_evaluate_classes (trainer, test_split, cost, accuracy, NULL, NULL, error);
}

/**
 * st_trainer_evaluate_classes:
 * @trainer: a trainer
 * @test_split: %TRUE for the test split, %FALSE for the training split
 * @cost: (out): the mean cost over the split
 * @accuracy: (out) (optional): the fraction classified right, or NaN
 *   for regression or an empty split
 * @correct: (array) (optional): for a classification set, incremented by
 *   the samples of each class classified right; one per class
 * @total: (array) (optional): incremented by the samples of each class
 * @error: return location for an error
 *
 * st_trainer_evaluate() with counts per class, for a report that names
 * the classes.
 */
gboolean
st_trainer_evaluate_classes (StTrainer  *trainer,
                             gboolean    test_split,
                             double     *cost,
                             double     *accuracy,
                             guint      *correct_per_class,
                             guint      *total_per_class,
                             GError    **error)
{
  const guint *samples = trainer->order + (test_split ? trainer->n_train : 0);
  guint n = test_split ? trainer->n_test : trainer->n_train;
  guint n_outputs = st_network_get_n_outputs (trainer->network);
  const guint *labels = st_dataset_get_labels (trainer->dataset);
  double weighted_cost = 0.0;
  guint correct = 0;

  for (guint first = 0; first < n; first += trainer->capacity)
    {
      guint count = MIN (trainer->capacity, n - first);
      const double *outputs;
      double chunk_cost;

      st_dataset_gather (trainer->dataset, samples + first, count, n_outputs,
                         trainer->x, trainer->t);
      if (!st_network_compute_cost (trainer->network, trainer->x, trainer->t, count,
                                    &chunk_cost, error))
        return FALSE;
      weighted_cost += chunk_cost * count;

      if (labels == NULL)
        continue;

      outputs = st_network_get_output (trainer->network);
      for (guint b = 0; b < count; b++)
        {
          guint label = labels[samples[first + b]];
          gboolean right = arg_max (outputs, n_outputs, count, b) == label;

          correct += right;
          if (correct_per_class != NULL)
            correct_per_class[label] += right;
          if (total_per_class != NULL)
            total_per_class[label]++;
        }
    }

  *cost = n > 0 ? weighted_cost / n : NAN;
  if (accuracy != NULL)
    *accuracy = labels != NULL && n > 0 ? (double) correct / n : NAN;

  return TRUE;
}

static gboolean
finish_epoch (StTrainer  *trainer,
              GError    **error)
{
  StHistoryRecord record = { 0 };

  trainer->epoch++;
  trainer->position = 0;
  st_random_shuffle (trainer->rng, trainer->order, trainer->n_train);

  record.epoch = trainer->epoch;
  record.step = trainer->step;
  if (!st_trainer_evaluate (trainer, FALSE, &record.train_cost, NULL, error) ||
      !st_trainer_evaluate (trainer, TRUE, &record.test_cost, &record.test_accuracy, error))
    return FALSE;

  /* Weights can stay finite while the cost overflows: stop there too, so
   * the history holds no infinity.  An empty test split gives NaN. */
  if (!isfinite (record.train_cost) ||
      (trainer->n_test > 0 && !isfinite (record.test_cost)))
    {
      g_autofree char *step = g_strdup_printf ("%" G_GUINT64_FORMAT, trainer->step);

      if (!isfinite (record.train_cost))
        g_set_error (error, ST_ERROR, ST_ERROR_NUMERIC,
                     /* Translators: an epoch, a step, the training cost, then the learning
                      * rate. */
                     _("Training diverged after epoch %u (step %s): the training cost is %g. "
                       "The weights stay at their last finite values. Lower the learning rate "
                       "(now %g) or clip the gradient, and train again."),
                     trainer->epoch, step, record.train_cost, trainer->settings.learning_rate);
      else
        g_set_error (error, ST_ERROR, ST_ERROR_NUMERIC,
                     /* Translators: an epoch, a step, the test cost, then the learning rate. */
                     _("Training diverged after epoch %u (step %s): the test cost is %g. "
                       "The weights stay at their last finite values. Lower the learning rate "
                       "(now %g) or clip the gradient, and train again."),
                     trainer->epoch, step, record.test_cost, trainer->settings.learning_rate);
      return FALSE;
    }

  st_history_append (trainer->history, &record);
  return TRUE;
}

/**
 * st_trainer_step:
 * @trainer: a trainer
 * @batch_cost: (out) (optional): the cost of the batch before the update
 * @error: return location for an error
 *
 * Takes the next batch of the epoch, computes the gradients and applies
 * one SGD update.  After the last batch of an epoch it evaluates both
 * splits, appends to the history and reshuffles.
 *
 * Returns: %FALSE with @error set when the cost is not finite (the
 * weights are then left as they were before the step) or memory runs out
 */
gboolean
st_trainer_step (StTrainer  *trainer,
                 double     *batch_cost,
                 GError    **error)
{
  guint count = MIN (trainer->settings.batch_size, trainer->n_train - trainer->position);
  guint n_outputs = st_network_get_n_outputs (trainer->network);
  g_autoptr(GError) step_error = NULL;
  double cost;

  st_dataset_gather (trainer->dataset, trainer->order + trainer->position, count, n_outputs,
                     trainer->x, trainer->t);

  if (!st_network_train_step (trainer->network, trainer->x, trainer->t, count,
                              &trainer->settings.optimizer, st_trainer_get_current_rate (trainer),
                              trainer->settings.max_norm, &cost, &step_error))
    {
      /* The network leaves the weights alone when the cost or the
       * gradient is not finite; say so in words a user can act on. */
      if (g_error_matches (step_error, ST_ERROR, ST_ERROR_NUMERIC))
        {
          g_autofree char *step = g_strdup_printf ("%" G_GUINT64_FORMAT, trainer->step + 1);

          g_set_error (error, ST_ERROR, ST_ERROR_NUMERIC,
                       /* Translators: a step, the reason such as “the cost is inf; no weight
                        * was changed”, then the learning rate. */
                       _("Training diverged at step %s: %s. The weights stay at their last "
                         "finite values. Lower the learning rate (now %g) or clip the "
                         "gradient, and train again."),
                       step, step_error->message, trainer->settings.learning_rate);
          return FALSE;
        }

      g_propagate_error (error, g_steal_pointer (&step_error));
      return FALSE;
    }

  trainer->step++;
  trainer->position += count;
  trainer->last_cost = cost;
  if (batch_cost != NULL)
    *batch_cost = cost;

  if (trainer->position == trainer->n_train)
    return finish_epoch (trainer, error);

  return TRUE;
}

/* Takes steps until the current epoch is complete. */
gboolean
st_trainer_run_epoch (StTrainer  *trainer,
                      GError    **error)
{
  guint epoch = trainer->epoch;

  while (trainer->epoch == epoch)
    if (!st_trainer_step (trainer, NULL, error))
      return FALSE;

  return TRUE;
}

/* Returns: (transfer none): the network being trained. */
StNetwork *
st_trainer_get_network (StTrainer *trainer)
{
  return trainer->network;
}

/* Returns: (transfer none): the data set. */
StDataset *
st_trainer_get_dataset (StTrainer *trainer)
{
  return trainer->dataset;
}

/* Returns: (transfer none): one record per completed epoch, thinned
 * out past the limit of st_trainer_set_history_max_length(). */
const StHistory *
st_trainer_get_history (StTrainer *trainer)
{
  return trainer->history;
}

/* Bounds the history as st_history_set_max_length() does; 0, the
 * default, keeps every epoch. */
void
st_trainer_set_history_max_length (StTrainer *trainer,
                                   guint      max_length)
{
  st_history_set_max_length (trainer->history, max_length);
}

guint64
st_trainer_get_step (StTrainer *trainer)
{
  return trainer->step;
}

/* Returns: the number of completed epochs. */
guint
st_trainer_get_epoch (StTrainer *trainer)
{
  return trainer->epoch;
}

guint
st_trainer_get_steps_per_epoch (StTrainer *trainer)
{
  return (trainer->n_train + trainer->settings.batch_size - 1) / trainer->settings.batch_size;
}

guint
st_trainer_get_n_train (StTrainer *trainer)
{
  return trainer->n_train;
}

guint
st_trainer_get_n_test (StTrainer *trainer)
{
  return trainer->n_test;
}

/* Returns: the base rate r0 of the schedule. */
double
st_trainer_get_learning_rate (StTrainer *trainer)
{
  return trainer->settings.learning_rate;
}

/* Returns: the rate the schedule gives the next step. */
double
st_trainer_get_current_rate (StTrainer *trainer)
{
  guint steps_per_epoch = st_trainer_get_steps_per_epoch (trainer);
  guint step_in_epoch = (trainer->position + trainer->settings.batch_size - 1) /
                        trainer->settings.batch_size;

  return st_schedule_get_rate (&trainer->settings.schedule, trainer->settings.learning_rate,
                               trainer->epoch, step_in_epoch, steps_per_epoch);
}

/* Takes effect at the next step.  Non-positive or non-finite rates are
 * ignored with a warning, since the caller validates user input. */
void
st_trainer_set_learning_rate (StTrainer *trainer,
                              double     learning_rate)
{
  g_return_if_fail (learning_rate > 0.0 && isfinite (learning_rate));

  trainer->settings.learning_rate = learning_rate;
}

/* Returns: (transfer full): a copy of the current weights and counters. */
StSnapshot *
st_trainer_create_snapshot (StTrainer *trainer)
{
  return st_snapshot_new_from_network (trainer->network, trainer->step, trainer->epoch,
                                       trainer->last_cost);
}
