/* test-worked-example.c: the 2 x 2 swap example in every layout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * W = [[0, 0.5], [0.5, 0]] with rows as outputs, x = [4, 2], t = [2, 4],
 * y = W x and cost = mean((y - t)^2) / 2.  By hand: y = [1, 2], so the
 * cost is ((1 - 2)^2 + (2 - 4)^2) / 4 = 1.25, and with e = y - t =
 * [-1, -2] the gradient dL/dW_ij = e_i x_j / 2 is dW[0][1] = -1 x 2 / 2
 * = -1 and dW[1][0] = -2 x 4 / 2 = -4.  Writing a = W[0][1] and
 * b = W[1][0], the cost is (a - 1)^2 + 4 (b - 1)^2, so SGD with rate r
 * multiplies a - 1 by (1 - 2r) and b - 1 by (1 - 8r) each step.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "st-engine.h"

#define N_STEPS 80
#define LEARNING_RATE 0.1

static const double x[2] = { 4.0, 2.0 };
static const double t[2] = { 2.0, 4.0 };

static StNetwork *
build_worked_example (StLayout layout)
{
  const guint rows[2] = { 0, 1 };
  const guint cols[2] = { 1, 0 };
  const double values[2] = { 0.5, 0.5 };
  g_autoptr(GError) error = NULL;
  StNetwork *network = st_network_new (ST_LOSS_HALF_MSE);
  StLayer *layer = st_layer_new (2, 2, 2, rows, cols, values, layout, &error);

  g_assert_no_error (error);
  g_assert_true (st_network_append_layer (network, layer, &error));
  g_assert_no_error (error);
  st_network_set_input_gradient_enabled (network, TRUE);

  return network;
}

/* Weight at (row, col), or exactly 0 for a structural zero, read through
 * the layout's own lookup. */
static double
weight_at (StLayer *layer,
           guint    row,
           guint    col)
{
  gsize position;

  if (!st_layer_find_entry (layer, row, col, &position))
    return 0.0;

  return st_layer_get_values (layer)[position];
}

static void
test_first_step (gconstpointer data)
{
  StLayout layout = GPOINTER_TO_INT (data);
  g_autoptr(StNetwork) network = build_worked_example (layout);
  g_autoptr(GError) error = NULL;
  StLayer *layer = st_network_get_layer (network, 0);
  double gradient[2];
  double dx[2];
  double cost;

  g_assert_true (st_network_compute_gradients (network, x, t, 1, &cost, &error));
  g_assert_no_error (error);

  g_assert_cmpfloat (cost, ==, 1.25);

  st_layer_copy_entries (layer, NULL, NULL, NULL, gradient);
  g_assert_cmpfloat (gradient[0], ==, -1.0);  /* (0, 1) comes first in row-major order */
  g_assert_cmpfloat (gradient[1], ==, -4.0);  /* (1, 0) */

  /* dL/dx = W^T e / 2 = [0.5 x -2, 0.5 x -1] / 2. */
  memcpy (dx, st_network_get_input_gradient (network), sizeof dx);
  g_assert_cmpfloat (dx[0], ==, -0.5);
  g_assert_cmpfloat (dx[1], ==, -0.25);

  g_assert_cmpuint (st_layer_get_nnz (layer), ==, 2);
  g_assert_false (st_layer_find_entry (layer, 0, 0, &(gsize) { 0 }));
  g_assert_false (st_layer_find_entry (layer, 1, 1, &(gsize) { 0 }));
}

static void
test_zeros_stay_zero (gconstpointer data)
{
  StLayout layout = GPOINTER_TO_INT (data);
  g_autoptr(StNetwork) network = build_worked_example (layout);
  StLayer *layer = st_network_get_layer (network, 0);

  for (guint step = 0; step < N_STEPS; step++)
    {
      g_assert_true (st_network_compute_gradients (network, x, t, 1, NULL, NULL));
      st_network_apply_sgd (network, LEARNING_RATE);

      g_assert_cmpfloat (weight_at (layer, 0, 0), ==, 0.0);
      g_assert_cmpfloat (weight_at (layer, 1, 1), ==, 0.0);
      g_assert_cmpuint (st_layer_get_nnz (layer), ==, 2);
    }
}

static void
test_converges (gconstpointer data)
{
  StLayout layout = GPOINTER_TO_INT (data);
  g_autoptr(StNetwork) network = build_worked_example (layout);
  StLayer *layer = st_network_get_layer (network, 0);
  double previous = INFINITY;
  double cost = INFINITY;
  double a;
  double b;

  for (guint step = 0; step < N_STEPS; step++)
    {
      g_assert_true (st_network_compute_gradients (network, x, t, 1, &cost, NULL));
      g_assert_cmpfloat (cost, <, previous);
      previous = cost;
      st_network_apply_sgd (network, LEARNING_RATE);
    }
  g_assert_true (st_network_compute_cost (network, x, t, 1, &cost, NULL));

  a = weight_at (layer, 0, 1);
  b = weight_at (layer, 1, 0);
  g_assert_cmpfloat (cost, <, 1e-10);
  g_assert_cmpfloat (fabs (a - 1.0), <, 1e-5);
  g_assert_cmpfloat (fabs (b - 1.0), <, 1e-5);

  /* The closed form from the file comment: a - 1 = -0.5 x 0.8^n. */
  g_assert_cmpfloat_with_epsilon (a - 1.0, -0.5 * pow (0.8, N_STEPS), 1e-13);
}

/* Trained to its minimum, the example's gradient is 0 or within rounding
 * of it, and so is the central difference (about 1e-16 with t = 4).
 * The check must call that agreement: two values near 0 are not a
 * relative error of 1. */
static void
test_check_at_minimum (void)
{
  g_autoptr(StNetwork) network = build_worked_example (ST_LAYOUT_CSR);
  g_autoptr(GError) error = NULL;
  StGradientCheck result;
  double cost;

  for (guint step = 0; step < 400; step++)
    {
      g_assert_true (st_network_compute_gradients (network, x, t, 1, &cost, NULL));
      st_network_apply_sgd (network, LEARNING_RATE);
    }

  g_assert_true (st_network_check_gradients (network, x, t, 1, 100, &result, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("gradient %g, central difference %g, error %g", result.analytic,
                  result.numeric, result.max_error);
  g_assert_cmpuint (result.n_checked, ==, 2);
  g_assert_cmpfloat (result.max_error, <, 1e-5);
}

/* The whole trajectory, weight by weight and cost by cost, must be the
 * same bits in all three layouts. */
static void
test_layouts_bit_identical (void)
{
  double costs[ST_N_LAYOUTS][N_STEPS];
  double weights[ST_N_LAYOUTS][N_STEPS][2];

  for (int layout = 0; layout < ST_N_LAYOUTS; layout++)
    {
      g_autoptr(StNetwork) network = build_worked_example (layout);

      for (guint step = 0; step < N_STEPS; step++)
        {
          g_assert_true (st_network_compute_gradients (network, x, t, 1, &costs[layout][step],
                                                       NULL));
          st_network_apply_sgd (network, LEARNING_RATE);
          st_layer_copy_entries (st_network_get_layer (network, 0), NULL, NULL,
                                 weights[layout][step], NULL);
        }
    }

  g_assert_cmpmem (costs[ST_LAYOUT_CSR], sizeof costs[0], costs[ST_LAYOUT_CSC], sizeof costs[0]);
  g_assert_cmpmem (costs[ST_LAYOUT_CSR], sizeof costs[0], costs[ST_LAYOUT_COO], sizeof costs[0]);
  g_assert_cmpmem (weights[ST_LAYOUT_CSR], sizeof weights[0],
                   weights[ST_LAYOUT_CSC], sizeof weights[0]);
  g_assert_cmpmem (weights[ST_LAYOUT_CSR], sizeof weights[0],
                   weights[ST_LAYOUT_COO], sizeof weights[0]);
}

/* The peers' reference trajectory: rate 0.01 for 10 steps gives
 * a = 1 - 0.5 x 0.98^10 and b = 1 - 0.5 x 0.92^10. */
static void
test_ten_small_steps (void)
{
  g_autoptr(StNetwork) network = build_worked_example (ST_LAYOUT_CSR);
  StLayer *layer = st_network_get_layer (network, 0);

  for (guint step = 0; step < 10; step++)
    {
      g_assert_true (st_network_compute_gradients (network, x, t, 1, NULL, NULL));
      st_network_apply_sgd (network, 0.01);
    }

  g_assert_cmpfloat_with_epsilon (weight_at (layer, 0, 1), 1.0 - 0.5 * pow (0.98, 10), 1e-14);
  g_assert_cmpfloat_with_epsilon (weight_at (layer, 1, 0), 1.0 - 0.5 * pow (0.92, 10), 1e-14);
}

static void
add_per_layout (const char    *name,
                GTestDataFunc  test)
{
  for (int layout = 0; layout < ST_N_LAYOUTS; layout++)
    {
      g_autofree char *path = g_strdup_printf ("/engine/worked-example/%s/%s",
                                               st_layout_to_string (layout), name);

      g_test_add_data_func (path, GINT_TO_POINTER (layout), test);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  add_per_layout ("first-step", test_first_step);
  add_per_layout ("zeros-stay-zero", test_zeros_stay_zero);
  add_per_layout ("converges", test_converges);
  g_test_add_func ("/engine/worked-example/layouts-bit-identical", test_layouts_bit_identical);
  g_test_add_func ("/engine/worked-example/ten-small-steps", test_ten_small_steps);
  g_test_add_func ("/engine/worked-example/check-at-minimum", test_check_at_minimum);

  return g_test_run ();
}
