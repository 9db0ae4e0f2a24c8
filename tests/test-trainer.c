/* test-trainer.c: minibatches, splits, history and determinism
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "st-engine.h"
#include "test-files.h"

/* Two well separated classes on a line: x < 0 is class 0, x > 0 class 1.
 * Each sample has inputs [x, 1] so a single layer can separate them. */
static StDataset *
make_two_classes (guint n)
{
  g_autoptr(gsl_rng) rng = st_random_new (5);
  g_autofree double *inputs = g_new (double, 2 * n);
  g_autofree guint *labels = g_new (guint, n);

  for (guint s = 0; s < n; s++)
    {
      double x = 0.5 + gsl_rng_uniform (rng);

      labels[s] = s % 2;
      inputs[2 * s] = labels[s] == 1 ? x : -x;
      inputs[2 * s + 1] = 1.0;
    }

  return st_dataset_new_classification (n, 2, inputs, labels, 2, NULL);
}

static StNetwork *
make_classifier (void)
{
  g_autoptr(gsl_rng) rng = st_random_new (9);
  StNetwork *network = st_network_new (ST_LOSS_SOFTMAX_CROSS_ENTROPY);
  StLayer *layer = st_pattern_new_random (2, 2, 1.0, ST_LAYOUT_CSR, rng, NULL);

  st_pattern_init_weights (layer, rng);
  st_layer_set_activation (layer, ST_ACTIVATION_SOFTMAX);
  g_assert_true (st_network_append_layer (network, layer, NULL));

  return network;
}

static void
test_split_and_epochs (void)
{
  g_autoptr(StDataset) dataset = make_two_classes (50);
  g_autoptr(StTrainer) trainer = NULL;
  g_autoptr(GError) error = NULL;
  StTrainSettings settings;
  const StHistory *history;

  st_train_settings_init_default (&settings);
  settings.batch_size = 8;
  settings.test_fraction = 0.2;

  trainer = st_trainer_new (make_classifier (), dataset, &settings, &error);
  g_assert_no_error (error);

  /* round(0.2 x 50) = 10 held out; 40 samples in batches of 8. */
  g_assert_cmpuint (st_trainer_get_n_test (trainer), ==, 10);
  g_assert_cmpuint (st_trainer_get_n_train (trainer), ==, 40);
  g_assert_cmpuint (st_trainer_get_steps_per_epoch (trainer), ==, 5);

  for (guint epoch = 1; epoch <= 20; epoch++)
    g_assert_true (st_trainer_run_epoch (trainer, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (st_trainer_get_epoch (trainer), ==, 20);
  g_assert_cmpuint (st_trainer_get_step (trainer), ==, 100);

  history = st_trainer_get_history (trainer);
  g_assert_cmpuint (st_history_get_length (history), ==, 20);
  g_assert_cmpuint (st_history_get (history, 19)->epoch, ==, 20);
  g_assert_cmpuint (st_history_get (history, 19)->step, ==, 100);
  g_assert_cmpfloat (st_history_get (history, 19)->train_cost, <,
                     st_history_get (history, 0)->train_cost);
  g_assert_cmpfloat (st_history_get (history, 19)->test_accuracy, ==, 1.0);
}

/* A partial last batch: 10 samples in batches of 4 are 4, 4, 2. */
static void
test_partial_batch (void)
{
  g_autoptr(StDataset) dataset = make_two_classes (10);
  g_autoptr(StTrainer) trainer = NULL;
  StTrainSettings settings;

  st_train_settings_init_default (&settings);
  settings.batch_size = 4;
  trainer = st_trainer_new (make_classifier (), dataset, &settings, NULL);

  g_assert_cmpuint (st_trainer_get_steps_per_epoch (trainer), ==, 3);
  g_assert_true (st_trainer_step (trainer, NULL, NULL));
  g_assert_true (st_trainer_step (trainer, NULL, NULL));
  g_assert_cmpuint (st_trainer_get_epoch (trainer), ==, 0);
  g_assert_true (st_trainer_step (trainer, NULL, NULL));
  g_assert_cmpuint (st_trainer_get_epoch (trainer), ==, 1);
  g_assert_true (isnan (st_history_get (st_trainer_get_history (trainer), 0)->test_cost));
}

/* The same seed gives the same bits; another seed another batch order. */
static void
test_deterministic (void)
{
  g_autoptr(StDataset) dataset = make_two_classes (30);
  double final_weights[3][4];
  StTrainSettings settings;

  st_train_settings_init_default (&settings);
  settings.batch_size = 4;
  settings.test_fraction = 0.1;

  for (guint run = 0; run < 3; run++)
    {
      g_autoptr(StTrainer) trainer = NULL;

      settings.seed = run < 2 ? 17 : 18;
      trainer = st_trainer_new (make_classifier (), dataset, &settings, NULL);
      for (guint epoch = 0; epoch < 3; epoch++)
        g_assert_true (st_trainer_run_epoch (trainer, NULL));
      st_layer_copy_entries (st_network_get_layer (st_trainer_get_network (trainer), 0),
                             NULL, NULL, final_weights[run], NULL);
    }

  g_assert_cmpmem (final_weights[0], sizeof final_weights[0],
                   final_weights[1], sizeof final_weights[1]);
  g_assert_true (memcmp (final_weights[0], final_weights[2], sizeof final_weights[0]) != 0);
}

/* A rate far too high makes the cost overflow; the trainer stops with an
 * error naming the step and the rate, and never returns a NaN cost. */
static void
test_divergence_reported (void)
{
  const double inputs[] = { 1e150, 1.0 };
  const double targets[] = { 1.0 };
  const guint rows[] = { 0 };
  const guint cols[] = { 0 };
  const double values[] = { 1e150 };
  g_autoptr(StDataset) dataset = st_dataset_new_regression (1, 1, 1, inputs, targets);
  g_autoptr(StNetwork) network = st_network_new (ST_LOSS_HALF_MSE);
  g_autoptr(StTrainer) trainer = NULL;
  g_autoptr(GError) error = NULL;
  StTrainSettings settings;
  double cost = 0.0;

  g_assert_true (st_network_append_layer (network,
                                          st_layer_new (1, 1, 1, rows, cols, values,
                                                        ST_LAYOUT_CSR, NULL), NULL));
  st_train_settings_init_default (&settings);
  trainer = st_trainer_new (g_steal_pointer (&network), dataset, &settings, NULL);

  g_assert_false (st_trainer_step (trainer, &cost, &error));
  g_assert_error (error, ST_ERROR, ST_ERROR_NUMERIC);
  g_assert_nonnull (strstr (error->message, "step 1"));
  g_assert_nonnull (strstr (error->message, "learning rate"));
  g_assert_cmpfloat (cost, ==, 0.0);
  g_assert_cmpuint (st_trainer_get_step (trainer), ==, 0);
}

/* A regression that diverges at rate 0.5: w = [0, 0] (explicit zeros),
 * samples (3, 4 -> 1), (1, -2 -> 0), (0.5, 6 -> 2), full batch.  Stable
 * rates are below 2 / 19.812, the largest eigenvalue of X^T X / 3.  The
 * expected numbers come from an independent NumPy run.  After 161 updates
 * the weights are [5.616582280495099e151, 2.125052966139111e152] and the
 * cost 4.786e305; one more step by hand, w - 0.5 X^T (X w - t) / 3, gives
 * [-5.0021226715031435e152, -1.8925700878599862e153], still finite, whose
 * cost overflows to infinity.  At rate 0.02 the weights reach the
 * least-squares optimum [0.0395061728395060, 0.2765432098765434] with
 * cost 0.06954732510288066. */
static StTrainer *
make_divergence_trainer (double rate)
{
  const double inputs[] = { 3.0, 4.0, 1.0, -2.0, 0.5, 6.0 };
  const double targets[] = { 1.0, 0.0, 2.0 };
  const guint rows[] = { 0, 0 };
  const guint cols[] = { 0, 1 };
  const double values[] = { 0.0, 0.0 };
  g_autoptr(StDataset) dataset = st_dataset_new_regression (3, 2, 1, inputs, targets);
  StNetwork *network = st_network_new (ST_LOSS_HALF_MSE);
  StLayer *layer = st_layer_new (1, 2, 2, rows, cols, values, ST_LAYOUT_CSR, NULL);
  StTrainSettings settings;
  StTrainer *trainer;

  g_assert_true (st_layer_set_has_bias (layer, FALSE, NULL));
  g_assert_true (st_network_append_layer (network, layer, NULL));
  st_train_settings_init_default (&settings);
  settings.batch_size = 3;
  settings.learning_rate = rate;
  trainer = st_trainer_new (network, dataset, &settings, NULL);
  g_assert_nonnull (trainer);

  return trainer;
}

static void
test_divergence_keeps_finite_weights (void)
{
  g_autoptr(StTrainer) trainer = make_divergence_trainer (0.5);
  g_autoptr(GError) error = NULL;
  StLayer *layer = st_network_get_layer (st_trainer_get_network (trainer), 0);
  const StHistory *history;
  double weights[2];
  guint epoch = 0;

  while (st_trainer_run_epoch (trainer, &error))
    epoch++;

  g_assert_error (error, ST_ERROR, ST_ERROR_NUMERIC);
  g_assert_nonnull (strstr (error->message, "after epoch 162"));
  g_assert_nonnull (strstr (error->message, "inf"));
  g_assert_nonnull (strstr (error->message, "learning rate (now 0.5)"));
  g_assert_cmpuint (epoch, ==, 161);

  st_layer_copy_entries (layer, NULL, NULL, weights, NULL);
  g_assert_cmpfloat_with_epsilon (weights[0] / -5.0021226715031435e152, 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (weights[1] / -1.8925700878599862e153, 1.0, 1e-9);

  /* The history ends with the last finite cost. */
  history = st_trainer_get_history (trainer);
  g_assert_cmpuint (st_history_get_length (history), ==, 161);
  for (guint k = 0; k < st_history_get_length (history); k++)
    g_assert_true (isfinite (st_history_get (history, k)->train_cost));
}

static void
test_divergence_control_converges (void)
{
  g_autoptr(StTrainer) trainer = make_divergence_trainer (0.02);
  g_autoptr(GError) error = NULL;
  StLayer *layer = st_network_get_layer (st_trainer_get_network (trainer), 0);
  const StHistory *history;
  double weights[2];

  for (guint epoch = 0; epoch < 2000; epoch++)
    g_assert_true (st_trainer_run_epoch (trainer, &error));

  history = st_trainer_get_history (trainer);
  g_assert_cmpfloat_with_epsilon (st_history_get (history, 1999)->train_cost,
                                  0.06954732510288066, 1e-12);
  st_layer_copy_entries (layer, NULL, NULL, weights, NULL);
  g_assert_cmpfloat_with_epsilon (weights[0], 0.0395061728395060, 1e-9);
  g_assert_cmpfloat_with_epsilon (weights[1], 0.2765432098765434, 1e-9);
}

/* A finite cost with an infinite gradient: w = 1e-10, x = 1e160, t = 0
 * give y = e = 1e150 and cost 5e299, but dL/dw = e x = 1e310 overflows.
 * The step must leave the weight alone, in the fused single-layer step
 * (no clipping) and in the separate passes (clipping on). */
static void
test_gradient_overflow_stops (gconstpointer data)
{
  double max_norm = *(const double *) data;
  const double x[] = { 1e160 };
  const double t[] = { 0.0 };
  const guint rows[] = { 0 };
  const guint cols[] = { 0 };
  const double values[] = { 1e-10 };
  g_autoptr(StNetwork) network = st_network_new (ST_LOSS_HALF_MSE);
  StLayer *layer = st_layer_new (1, 1, 1, rows, cols, values, ST_LAYOUT_CSR, NULL);
  g_autoptr(GError) error = NULL;
  StOptimizer adam;
  double cost = 0.0;

  g_assert_true (st_layer_set_has_bias (layer, FALSE, NULL));
  g_assert_true (st_network_append_layer (network, layer, NULL));
  st_optimizer_init_default (&adam, ST_OPTIMIZER_ADAM);

  g_assert_false (st_network_train_step (network, x, t, 1, &adam, 0.1, max_norm, &cost, &error));
  g_assert_error (error, ST_ERROR, ST_ERROR_NUMERIC);
  g_assert_nonnull (strstr (error->message, "gradient"));
  g_assert_cmpfloat_with_epsilon (cost / 5e299, 1.0, 1e-12);
  g_assert_cmpfloat (st_layer_get_values (layer)[0], ==, 1e-10);
  g_assert_cmpuint (st_network_get_updates (network), ==, 0);
}

static void
test_invalid_settings (void)
{
  g_autoptr(StDataset) dataset = make_two_classes (4);
  StTrainSettings settings;
  struct { double rate; guint batch; double fraction; } bad[] = {
    { 0.0, 1, 0.0 }, { NAN, 1, 0.0 }, { 0.1, 0, 0.0 }, { 0.1, 1, 1.0 }, { 0.1, 1, 0.9 },
  };

  for (guint k = 0; k < G_N_ELEMENTS (bad); k++)
    {
      g_autoptr(GError) error = NULL;

      st_train_settings_init_default (&settings);
      settings.learning_rate = bad[k].rate;
      settings.batch_size = bad[k].batch;
      settings.test_fraction = bad[k].fraction;

      g_assert_null (st_trainer_new (make_classifier (), dataset, &settings, &error));
      g_assert_error (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT);
    }
}

/* The data set must fit the network: 2 inputs, and no more classes than
 * outputs. */
static void
test_dataset_must_fit (void)
{
  const double inputs[] = { 1.0, 2.0, 3.0 };
  const guint labels[] = { 0, 1, 2 };
  g_autoptr(StDataset) three_classes = st_dataset_new_classification (3, 1, inputs, labels, 3,
                                                                      NULL);
  g_autoptr(GError) error = NULL;
  StTrainSettings settings;

  st_train_settings_init_default (&settings);
  g_assert_null (st_trainer_new (make_classifier (), three_classes, &settings, &error));
  g_assert_error (error, ST_ERROR, ST_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, "1 inputs per sample"));
}

static void
test_history_csv (void)
{
  g_autofree char *dir = test_files_make_dir ();
  g_autofree char *path = g_build_filename (dir, "history.csv", NULL);
  g_autoptr(StHistory) history = st_history_new ();
  StHistoryRecord first = { 1, 10, 0.5, NAN, NAN };
  StHistoryRecord second = { 2, 20, 0.1, 0.25, 0.875 };
  g_autofree char *contents = NULL;

  st_history_append (history, &first);
  st_history_append (history, &second);
  g_assert_true (st_history_write_csv (history, path, NULL));

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==,
                   "epoch,train_cost,test_cost,test_accuracy\n"
                   "1,0.5,,\n"
                   "2,0.1,0.25,0.875\n");
  test_files_remove_dir (dir);
}

/* A bounded history keeps the first and the newest epoch and stays
 * within its limit, in epoch order, however long the run. */
static void
test_history_max_length (void)
{
  g_autoptr(StHistory) history = st_history_new ();
  g_autoptr(StTrainer) trainer = NULL;
  const StHistory *run;

  st_history_set_max_length (history, 1000);
  for (guint epoch = 1; epoch <= 100000; epoch++)
    {
      StHistoryRecord record = { epoch, epoch, 1.0 / epoch, NAN, NAN };

      st_history_append (history, &record);
      g_assert_cmpuint (st_history_get_length (history), <=, 1000);
    }

  g_assert_cmpuint (st_history_get_length (history), >=, 500);
  g_assert_cmpuint (st_history_get (history, 0)->epoch, ==, 1);
  g_assert_cmpuint (st_history_get (history, st_history_get_length (history) - 1)->epoch, ==, 100000);
  for (guint k = 1; k < st_history_get_length (history); k++)
    g_assert_cmpuint (st_history_get (history, k - 1)->epoch, <, st_history_get (history, k)->epoch);

  /* A limit set later thins what is there at once. */
  st_history_set_max_length (history, 10);
  g_assert_cmpuint (st_history_get_length (history), <=, 10);
  g_assert_cmpuint (st_history_get (history, 0)->epoch, ==, 1);

  /* The trainer's own history: a batch of all 3 samples, so one epoch
   * per step. */
  trainer = make_divergence_trainer (0.02);
  st_trainer_set_history_max_length (trainer, 64);
  for (guint step = 0; step < 5000; step++)
    {
      double cost;

      g_assert_true (st_trainer_step (trainer, &cost, NULL));
    }
  run = st_trainer_get_history (trainer);
  g_assert_cmpuint (st_history_get_length (run), <=, 64);
  g_assert_cmpuint (st_history_get (run, st_history_get_length (run) - 1)->epoch, ==, 5000);
}

int
main (int    argc,
      char **argv)
{
  static const double no_clipping = 0.0;
  static const double huge_clipping = 1e300;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/trainer/split-and-epochs", test_split_and_epochs);
  g_test_add_func ("/engine/trainer/partial-batch", test_partial_batch);
  g_test_add_func ("/engine/trainer/deterministic", test_deterministic);
  g_test_add_func ("/engine/trainer/divergence-reported", test_divergence_reported);
  g_test_add_func ("/engine/trainer/divergence-keeps-finite-weights",
                   test_divergence_keeps_finite_weights);
  g_test_add_func ("/engine/trainer/divergence-control-converges",
                   test_divergence_control_converges);
  g_test_add_data_func ("/engine/trainer/gradient-overflow/fused", &no_clipping,
                        test_gradient_overflow_stops);
  g_test_add_data_func ("/engine/trainer/gradient-overflow/separate", &huge_clipping,
                        test_gradient_overflow_stops);
  g_test_add_func ("/engine/trainer/invalid-settings", test_invalid_settings);
  g_test_add_func ("/engine/trainer/dataset-must-fit", test_dataset_must_fit);
  g_test_add_func ("/engine/trainer/history-csv", test_history_csv);
  g_test_add_func ("/engine/trainer/history-max-length", test_history_max_length);

  return g_test_run ();
}
