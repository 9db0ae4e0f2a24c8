/* test-optimizer.c: update rules, schedules and clipping, step by step
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The network is one weight w with no bias, the sample x = 1 and the
 * target t = 0, so y = w, the half squared error is w^2 / 2 and the
 * gradient is g = w.  Every expected value below follows from the
 * update rules written out in the comments, starting from w = 1.
 */

#include "config.h"

#include <math.h>

#include "st-engine.h"

static const double one = 1.0;
static const double zero = 0.0;

static StNetwork *
single_weight (double   w,
               gboolean bias)
{
  const guint position[] = { 0 };
  StNetwork *network = st_network_new (ST_LOSS_HALF_MSE);
  StLayer *layer = st_layer_new (1, 1, 1, position, position, &w, ST_LAYOUT_CSR, NULL);

  g_assert_true (st_layer_set_has_bias (layer, bias, NULL));
  g_assert_true (st_network_append_layer (network, layer, NULL));
  return network;
}

static double
weight_of (StNetwork *network)
{
  return st_layer_get_values (st_network_get_layer (network, 0))[0];
}

static void
take_step (StNetwork         *network,
           const double      *x,
           const StOptimizer *optimizer,
           double             rate)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (st_network_train_step (network, x, &zero, 1, optimizer, rate, 0.0, NULL, &error));
  g_assert_no_error (error);
}

typedef struct
{
  const char *name;
  StOptimizerKind kind;
  double rate;
  double expected[2];   /* w after one and after two steps */
} Trajectory;

/* sgd:      w1 = 1 - 0.1 = 0.9;  w2 = 0.9 - 0.09 = 0.81
 * momentum: v1 = 1, w1 = 0.9;  v2 = 0.9 + 0.9 = 1.8, w2 = 0.9 - 0.18 = 0.72
 * nesterov: v1 = 1, w1 = 1 - 0.1 (1 + 0.9) = 0.81;
 *           v2 = 0.9 + 0.81 = 1.71, w2 = 0.81 - 0.1 (0.81 + 0.9 x 1.71) = 0.5751 */
static const Trajectory trajectories[] = {
  { "sgd", ST_OPTIMIZER_SGD, 0.1, { 0.9, 0.81 } },
  { "momentum", ST_OPTIMIZER_MOMENTUM, 0.1, { 0.9, 0.72 } },
  { "nesterov", ST_OPTIMIZER_NESTEROV, 0.1, { 0.81, 0.5751 } },
};

static void
test_trajectory (gconstpointer data)
{
  const Trajectory *trajectory = data;
  g_autoptr(StNetwork) network = single_weight (1.0, FALSE);
  StOptimizer optimizer;

  st_optimizer_init_default (&optimizer, trajectory->kind);

  for (guint step = 0; step < 2; step++)
    {
      take_step (network, &one, &optimizer, trajectory->rate);
      g_assert_cmpfloat_with_epsilon (weight_of (network), trajectory->expected[step], 1e-15);
    }
}

/* Adam and AdamW with b1 = 0.9, b2 = 0.999, e = 1e-8, written out.  The
 * gradient g = w comes from the weight at the start of the step:
 * Adam with L2 decay uses g' = g + d w; AdamW first shrinks w by r d w
 * and then uses g itself.  Then s1 = b1 s1 + (1 - b1) g',
 * s2 = b2 s2 + (1 - b2) g'^2 and w -= r (s1 / (1 - b1^t)) /
 * (sqrt (s2 / (1 - b2^t)) + e). */
static double
adam_by_hand (double   rate,
              double   decay,
              gboolean decoupled,
              guint    steps)
{
  double w = 1.0;
  double s1 = 0.0;
  double s2 = 0.0;

  for (guint t = 1; t <= steps; t++)
    {
      double g = w;
      double adjusted;

      if (decoupled)
        w -= rate * decay * w;
      adjusted = decoupled ? g : g + decay * w;
      s1 = 0.9 * s1 + 0.1 * adjusted;
      s2 = 0.999 * s2 + 0.001 * adjusted * adjusted;
      w -= rate * (s1 / (1.0 - pow (0.9, t))) / (sqrt (s2 / (1.0 - pow (0.999, t))) + 1e-8);
    }

  return w;
}

static void
test_adam (gconstpointer data)
{
  gboolean decoupled = GPOINTER_TO_INT (data);
  g_autoptr(StNetwork) network = single_weight (1.0, FALSE);
  StOptimizer optimizer;

  st_optimizer_init_default (&optimizer, decoupled ? ST_OPTIMIZER_ADAMW : ST_OPTIMIZER_ADAM);
  optimizer.weight_decay = 0.5;

  /* At t = 1 Adam moves by almost exactly the rate: s1 / c1 = g and
   * sqrt (s2 / c2) = |g|, so w1 = w0 - 0.1 g / (|g| + e). */
  take_step (network, &one, &optimizer, 0.1);
  g_assert_cmpfloat_with_epsilon (weight_of (network), adam_by_hand (0.1, 0.5, decoupled, 1),
                                  1e-15);
  g_assert_cmpfloat_with_epsilon (weight_of (network), decoupled ? 0.95 - 0.1 : 0.9, 1e-8);

  /* Worked out, e neglected (it moves w by under 1e-9):
   * Adam:  g' = 1.5 w1 = 1.35, s1 = 0.135 + 0.135 = 0.27, s2 = 0.00224775
   *        + 0.0018225 = 0.00407025; s1 / 0.19 = 1.4210526,
   *        sqrt (s2 / 0.001999) = 1.4269349, w2 = 0.9 - 0.0995878 = 0.8004122.
   * AdamW: g = w1 = 0.85, w shrinks to 0.8075, s1 = 0.09 + 0.085 = 0.175,
   *        s2 = 0.000999 + 0.0007225 = 0.0017215; s1 / 0.19 = 0.9210526,
   *        sqrt (s2 / 0.001999) = 0.9279981, w2 = 0.8075 - 0.0992516 = 0.7082484. */
  take_step (network, &one, &optimizer, 0.1);
  g_assert_cmpfloat_with_epsilon (weight_of (network), adam_by_hand (0.1, 0.5, decoupled, 2),
                                  1e-15);
  g_assert_cmpfloat_with_epsilon (weight_of (network), decoupled ? 0.7082484 : 0.8004122, 1e-6);
}

/* Weight decay reaches stored weights, never biases.  With x = 0 the
 * output is the bias b, so g_w = 0 and g_b = b: SGD with d = 0.5 at rate
 * 0.1 gives w1 = 1 - 0.1 x 0.5 x 1 = 0.95 and b1 = 1 - 0.1 x 1 = 0.9. */
static void
test_decay_spares_bias (void)
{
  g_autoptr(StNetwork) network = single_weight (1.0, TRUE);
  StLayer *layer = st_network_get_layer (network, 0);
  StOptimizer optimizer;

  st_layer_get_bias (layer)[0] = 1.0;
  st_optimizer_init_default (&optimizer, ST_OPTIMIZER_SGD);
  optimizer.weight_decay = 0.5;

  take_step (network, &zero, &optimizer, 0.1);
  g_assert_cmpfloat (weight_of (network), ==, 0.95);
  g_assert_cmpfloat (st_layer_get_bias (layer)[0], ==, 0.9);
}

/* Clipping: two weights with gradients 3 and 4 (norm 5) clipped to norm
 * 1 move by 0.1 x (0.6, 0.8).  Layer 1 x 2 with w = (3, 4), x = (1, 0)
 * then (0, 1): y = w_j, g_j = y = w_j. */
static void
test_clipping (void)
{
  const guint rows[] = { 0, 0 };
  const guint cols[] = { 0, 1 };
  const double values[] = { 3.0, 4.0 };
  const double x[] = { 1.0, 0.0, 0.0, 1.0 };  /* two samples, feature-major */
  const double t[] = { 0.0, 0.0 };
  g_autoptr(StNetwork) network = st_network_new (ST_LOSS_HALF_MSE);
  StOptimizer optimizer;
  double after[2];

  g_assert_true (st_network_append_layer (network,
                                          st_layer_new (1, 2, 2, rows, cols, values,
                                                        ST_LAYOUT_CSC, NULL), NULL));
  st_optimizer_init_default (&optimizer, ST_OPTIMIZER_SGD);

  /* With two samples the half mean squared error halves each gradient:
   * g = (1.5, 2), norm 2.5; clipped to 1 it is (0.6, 0.8). */
  g_assert_true (st_network_train_step (network, x, t, 2, &optimizer, 0.1, 1.0, NULL, NULL));
  st_layer_copy_entries (st_network_get_layer (network, 0), NULL, NULL, after, NULL);
  g_assert_cmpfloat_with_epsilon (after[0], 3.0 - 0.06, 1e-15);
  g_assert_cmpfloat_with_epsilon (after[1], 4.0 - 0.08, 1e-15);

  /* A norm below the limit is left alone: g = (2.94, 3.92) / 2. */
  g_assert_true (st_network_train_step (network, x, t, 2, &optimizer, 0.1, 100.0, NULL, NULL));
  st_layer_copy_entries (st_network_get_layer (network, 0), NULL, NULL, after, NULL);
  g_assert_cmpfloat_with_epsilon (after[0], 2.94 - 0.1 * 1.47, 1e-15);
  g_assert_cmpfloat_with_epsilon (after[1], 3.92 - 0.1 * 1.96, 1e-15);
}

static void
test_schedule_rates (void)
{
  StSchedule schedule;

  st_schedule_init_default (&schedule);
  g_assert_cmpfloat (st_schedule_get_rate (&schedule, 0.1, 7, 3, 10), ==, 0.1);

  schedule.kind = ST_SCHEDULE_STEP;
  schedule.step_epochs = 3;
  schedule.gamma = 0.5;
  g_assert_cmpfloat (st_schedule_get_rate (&schedule, 0.8, 2, 9, 10), ==, 0.8);
  g_assert_cmpfloat (st_schedule_get_rate (&schedule, 0.8, 3, 0, 10), ==, 0.4);
  g_assert_cmpfloat (st_schedule_get_rate (&schedule, 0.8, 7, 0, 10), ==, 0.2);

  /* Cosine over 4 epochs from 1 to 0.2: half way, (1 + cos (pi / 2)) / 2
   * = 1/2 gives 0.6; at a quarter (1 + cos (pi / 4)) / 2; after the end,
   * the floor. */
  schedule.kind = ST_SCHEDULE_COSINE;
  schedule.total_epochs = 4;
  schedule.min_rate = 0.2;
  g_assert_cmpfloat (st_schedule_get_rate (&schedule, 1.0, 0, 0, 5), ==, 1.0);
  g_assert_cmpfloat_with_epsilon (st_schedule_get_rate (&schedule, 1.0, 2, 0, 5), 0.6, 1e-15);
  g_assert_cmpfloat_with_epsilon (st_schedule_get_rate (&schedule, 1.0, 0, 5, 5),
                                  0.2 + 0.8 * (1.0 + sqrt (0.5)) / 2.0, 1e-15);
  g_assert_cmpfloat_with_epsilon (st_schedule_get_rate (&schedule, 1.0, 9, 0, 5), 0.2, 1e-15);
}

/* The trainer applies the schedule: with a step schedule halving every
 * epoch, one sample and SGD, w_{n+1} = w_n (1 - 0.5^n r0). */
static void
test_trainer_uses_schedule (void)
{
  const double inputs[] = { 1.0 };
  const double targets[] = { 0.0 };
  g_autoptr(StDataset) dataset = st_dataset_new_regression (1, 1, 1, inputs, targets);
  g_autoptr(StTrainer) trainer = NULL;
  StTrainSettings settings;
  double expected = 1.0;

  st_train_settings_init_default (&settings);
  settings.learning_rate = 0.5;
  settings.schedule.kind = ST_SCHEDULE_STEP;
  settings.schedule.step_epochs = 1;
  settings.schedule.gamma = 0.5;
  trainer = st_trainer_new (single_weight (1.0, FALSE), dataset, &settings, NULL);

  for (guint epoch = 0; epoch < 4; epoch++)
    {
      g_assert_cmpfloat (st_trainer_get_current_rate (trainer), ==, 0.5 * pow (0.5, epoch));
      g_assert_true (st_trainer_step (trainer, NULL, NULL));
      expected *= 1.0 - 0.5 * pow (0.5, epoch);
      g_assert_cmpfloat_with_epsilon (weight_of (st_trainer_get_network (trainer)), expected,
                                      1e-15);
    }
}

/* Standardization from the training split: inputs 1, 3, 5 have mean 3
 * and deviation sqrt (8 / 3); the network then sees (x - 3) / sqrt (8/3). */
static void
test_standardization (void)
{
  const double inputs[] = { 1.0, 3.0, 5.0 };
  const double targets[] = { 0.0, 0.0, 0.0 };
  const double raw = 5.0;
  g_autoptr(StDataset) dataset = st_dataset_new_regression (3, 1, 1, inputs, targets);
  g_autoptr(StTrainer) trainer = NULL;
  StTrainSettings settings;
  StNetwork *network;
  const double *output;

  st_train_settings_init_default (&settings);
  settings.standardize = TRUE;
  trainer = st_trainer_new (single_weight (1.0, FALSE), dataset, &settings, NULL);
  network = st_trainer_get_network (trainer);

  g_assert_cmpfloat_with_epsilon (st_network_get_input_mean (network)[0], 3.0, 1e-15);
  g_assert_cmpfloat_with_epsilon (st_network_get_input_scale (network)[0], 1.0 / sqrt (8.0 / 3.0),
                                  1e-15);

  output = st_network_forward (network, &raw, 1, NULL);
  g_assert_cmpfloat_with_epsilon (output[0], 2.0 / sqrt (8.0 / 3.0), 1e-15);
}

/* Recorded updates are each weight's change, and snapshots carry them
 * with the gradient: SGD at 0.1 from w = 1 changes w by -0.1 x g = -0.1. */
static void
test_recorded_update (void)
{
  g_autoptr(StNetwork) network = single_weight (1.0, FALSE);
  g_autoptr(StSnapshot) snapshot = NULL;
  StOptimizer optimizer;

  st_optimizer_init_default (&optimizer, ST_OPTIMIZER_SGD);
  st_network_set_record_updates (network, TRUE);
  take_step (network, &one, &optimizer, 0.1);

  snapshot = st_snapshot_new_from_network (network, 1, 1, 0.5);
  g_assert_nonnull (st_snapshot_get_last_update (snapshot, 0));
  g_assert_cmpfloat_with_epsilon (st_snapshot_get_last_update (snapshot, 0)[0], -0.1, 1e-16);
  g_assert_cmpfloat (st_snapshot_get_gradient (snapshot, 0)[0], ==, 1.0);
  g_assert_cmpfloat (st_snapshot_get_values (snapshot, 0)[0], ==, 0.9);

  st_network_set_record_updates (network, FALSE);
  g_assert_null (st_layer_get_last_update (st_network_get_layer (network, 0)));
}

static void
test_invalid_settings (void)
{
  StOptimizer optimizer;
  StSchedule schedule;
  g_autoptr(GError) error = NULL;

  st_optimizer_init_default (&optimizer, ST_OPTIMIZER_MOMENTUM);
  optimizer.momentum = 1.0;
  g_assert_false (st_optimizer_validate (&optimizer, &error));
  g_assert_error (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  st_optimizer_init_default (&optimizer, ST_OPTIMIZER_ADAM);
  optimizer.weight_decay = -1.0;
  g_assert_false (st_optimizer_validate (&optimizer, &error));
  g_clear_error (&error);

  st_schedule_init_default (&schedule);
  schedule.kind = ST_SCHEDULE_STEP;
  schedule.gamma = 2.0;
  g_assert_false (st_schedule_validate (&schedule, &error));
  g_clear_error (&error);

  schedule.kind = ST_SCHEDULE_COSINE;
  schedule.total_epochs = 0;
  g_assert_false (st_schedule_validate (&schedule, &error));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint k = 0; k < G_N_ELEMENTS (trajectories); k++)
    {
      g_autofree char *path = g_strdup_printf ("/engine/optimizer/%s/two-steps",
                                               trajectories[k].name);

      g_test_add_data_func (path, &trajectories[k], test_trajectory);
    }
  g_test_add_data_func ("/engine/optimizer/adam/two-steps", GINT_TO_POINTER (FALSE), test_adam);
  g_test_add_data_func ("/engine/optimizer/adamw/two-steps", GINT_TO_POINTER (TRUE), test_adam);
  g_test_add_func ("/engine/optimizer/decay-spares-bias", test_decay_spares_bias);
  g_test_add_func ("/engine/optimizer/clipping", test_clipping);
  g_test_add_func ("/engine/optimizer/schedule-rates", test_schedule_rates);
  g_test_add_func ("/engine/optimizer/trainer-uses-schedule", test_trainer_uses_schedule);
  g_test_add_func ("/engine/optimizer/standardization", test_standardization);
  g_test_add_func ("/engine/optimizer/invalid-settings", test_invalid_settings);
  g_test_add_func ("/engine/optimizer/recorded-update", test_recorded_update);

  return g_test_run ();
}
