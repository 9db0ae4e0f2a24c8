/* test-known-gradients.c: gradients from public bug reports, with the
 * expected values computed by hand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two faults have broken sparse training elsewhere: a gradient that
 * depends on the storage layout (a Theano network trained in CSC and
 * diverged in CSR), and backpropagation through W instead of W^T.  Both
 * cases below use a rectangular W so that a transposed reading shows.
 *
 * The reports use L = (1/N) sum_n (1/2) |y_n - t_n|^2.  The engine's half
 * mean squared error also divides by the output width m = 3, so every
 * expected cost and gradient here is the hand-computed value over 3.
 */

#include "config.h"

#include <math.h>

#include "st-engine.h"

/* W1: 3 x 4, (1,2)=0.5 (1,4)=-1 (2,1)=2 (3,3)=1.5 (3,4)=0.25, 1-based. */
static const guint w1_rows[] = { 0, 0, 1, 2, 2 };
static const guint w1_cols[] = { 1, 3, 0, 2, 3 };
static const double w1_values[] = { 0.5, -1.0, 2.0, 1.5, 0.25 };

/* W2: 3 x 3, not symmetric: (1,1)=1 (1,2)=2 (2,3)=-1 (3,1)=0.5. */
static const guint w2_rows[] = { 0, 0, 1, 2 };
static const guint w2_cols[] = { 0, 1, 2, 0 };
static const double w2_values[] = { 1.0, 2.0, -1.0, 0.5 };

static StLayer *
make_layer (guint          rows,
            guint          cols,
            gsize          nnz,
            const guint   *entry_rows,
            const guint   *entry_cols,
            const double  *values,
            StLayout       layout,
            StActivation   activation,
            gboolean       bias)
{
  g_autoptr(GError) error = NULL;
  StLayer *layer = st_layer_new (rows, cols, nnz, entry_rows, entry_cols, values, layout, &error);

  g_assert_no_error (error);
  st_layer_set_activation (layer, activation);
  g_assert_true (st_layer_set_has_bias (layer, bias, NULL));

  return layer;
}

static void
assert_gradient (StLayer      *layer,
                 const double *expected,
                 double        tolerance)
{
  gsize nnz = st_layer_get_nnz (layer);
  g_autofree double *gradient = g_new (double, nnz);

  st_layer_copy_entries (layer, NULL, NULL, NULL, gradient);
  for (gsize k = 0; k < nnz; k++)
    g_assert_cmpfloat_with_epsilon (gradient[k], expected[k], tolerance);
}

/* Case 1, one linear 3 x 4 layer, two samples, x feature-major:
 * x1 = [1, 2, 3, 4], x2 = [0.5, -1, 2, 0]; t1 = [1, 0, -1], t2 = [0, 1, 0].
 * By hand: Y = [[-3, 2, 5.5], [-0.5, 1, 3]] (per sample), E = Y - T =
 * [[-4, 2, 6.5], [-0.5, 0, 3]], sum of squares 62.25 + 9.25 = 71.5, so the
 * report's L = 71.5 / 4 = 17.875.  dL/dw_ij = sum_n e_ni x_nj / 2:
 * (1,2) = (-4 x 2 + -0.5 x -1) / 2 = -3.75, (1,4) = (-4 x 4) / 2 = -8,
 * (2,1) = (2 x 1 + 0 x 0.5) / 2 = 1, (3,3) = (6.5 x 3 + 3 x 2) / 2 = 12.75,
 * (3,4) = (6.5 x 4) / 2 = 13; dL/db = sum_n e_n / 2 = [-2.25, 1, 4.75]. */
static const double case1_x[] = { 1.0, 0.5, 2.0, -1.0, 3.0, 2.0, 4.0, 0.0 };
static const double case1_t[] = { 1.0, 0.0, 0.0, 1.0, -1.0, 0.0 };

static void
test_layout_independent (gconstpointer data)
{
  StLayout layout = GPOINTER_TO_INT (data);
  const double expected[] = { -3.75 / 3, -8.0 / 3, 1.0 / 3, 12.75 / 3, 13.0 / 3 };
  const double expected_bias[] = { -2.25 / 3, 1.0 / 3, 4.75 / 3 };
  /* One step at rate 0.3 on gradients a third the report's size is the
   * report's step at 0.1: w - 0.1 x report gradient. */
  const double after_step[] = { 0.875, -0.2, 1.9, 0.225, -1.05 };
  g_autoptr(StNetwork) network = st_network_new (ST_LOSS_HALF_MSE);
  StLayer *layer = make_layer (3, 4, 5, w1_rows, w1_cols, w1_values, layout,
                               ST_ACTIVATION_IDENTITY, TRUE);
  double weights[5];
  double cost;
  gsize position;

  g_assert_true (st_network_append_layer (network, layer, NULL));
  g_assert_true (st_network_compute_gradients (network, case1_x, case1_t, 2, &cost, NULL));

  g_assert_cmpfloat_with_epsilon (cost, 17.875 / 3, 1e-14);
  assert_gradient (layer, expected, 1e-14);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpfloat_with_epsilon (st_layer_get_bias_gradient (layer)[i], expected_bias[i], 1e-14);

  st_network_apply_sgd (network, 0.3);
  st_layer_copy_entries (layer, NULL, NULL, weights, NULL);
  for (guint k = 0; k < 5; k++)
    g_assert_cmpfloat_with_epsilon (weights[k], after_step[k], 1e-14);

  /* A dense gradient would have moved (1,1) by -2.125 and (2,2) by 2. */
  g_assert_cmpuint (st_layer_get_nnz (layer), ==, 5);
  g_assert_false (st_layer_find_entry (layer, 0, 0, &position));
  g_assert_false (st_layer_find_entry (layer, 1, 1, &position));
}

/* Case 1 with y = tanh(W x), no bias.  The report gives these values at
 * full precision, computed independently with NumPy; they are divided
 * by 3 for the engine's convention. */
static void
test_layout_independent_tanh (gconstpointer data)
{
  StLayout layout = GPOINTER_TO_INT (data);
  const double expected[] = {
    0.16203221099893536 / 3, -0.039366568693922896 / 3, 0.009023587509424776 / 3,
    0.010017657549254868 / 3, 0.00026721382364484046 / 3,
  };
  g_autoptr(StNetwork) network = st_network_new (ST_LOSS_HALF_MSE);
  StLayer *layer = make_layer (3, 4, 5, w1_rows, w1_cols, w1_values, layout,
                               ST_ACTIVATION_TANH, FALSE);
  double cost;

  g_assert_true (st_network_append_layer (network, layer, NULL));
  g_assert_true (st_network_compute_gradients (network, case1_x, case1_t, 2, &cost, NULL));

  g_assert_cmpfloat_with_epsilon (cost, 2.5424956528597242 / 3, 1e-14);
  assert_gradient (layer, expected, 1e-15);
}

/* Case 2, h = W1 x, y = W2 h, one sample x = [1, 2, 3, 4], t = 0.
 * By hand: h = [0.5 x 2 - 4, 2 x 1, 1.5 x 3 + 0.25 x 4] = [-3, 2, 5.5],
 * y = [-3 + 4, -5.5, -1.5] = [1, -5.5, -1.5], L = (1 + 30.25 + 2.25) / 2
 * = 16.75.  dW2_ij = y_i h_j: (1,1) = -3, (1,2) = 2, (2,3) = -30.25,
 * (3,1) = 4.5.  delta_h = W2^T y = [1 - 0.75, 2, 5.5] = [0.25, 2, 5.5],
 * dW1_ij = delta_h_i x_j: (1,2) = 0.5, (1,4) = 1, (2,1) = 2, (3,3) = 16.5,
 * (3,4) = 22; dL/dx = W1^T delta_h = [4, 0.125, 8.25, 1.125].  Using W2
 * instead of W2^T would give delta_h = [-10, 1.5, 0.5] and dW1 (1,2) =
 * -20. */
static const double case2_x[] = { 1.0, 2.0, 3.0, 4.0 };
static const double case2_t[] = { 0.0, 0.0, 0.0 };

static StNetwork *
build_two_layers (StLayout      first,
                  StLayout      second,
                  StActivation  hidden)
{
  StNetwork *network = st_network_new (ST_LOSS_HALF_MSE);

  st_network_set_input_gradient_enabled (network, TRUE);
  g_assert_true (st_network_append_layer (network,
                                          make_layer (3, 4, 5, w1_rows, w1_cols, w1_values, first,
                                                      hidden, FALSE), NULL));
  g_assert_true (st_network_append_layer (network,
                                          make_layer (3, 3, 4, w2_rows, w2_cols, w2_values, second,
                                                      ST_ACTIVATION_IDENTITY, FALSE), NULL));
  return network;
}

static void
test_transposed_backprop (gconstpointer data)
{
  StLayout layout = GPOINTER_TO_INT (data);
  const double expected_w1[] = { 0.5 / 3, 1.0 / 3, 2.0 / 3, 16.5 / 3, 22.0 / 3 };
  const double expected_w2[] = { -3.0 / 3, 2.0 / 3, -30.25 / 3, 4.5 / 3 };
  const double expected_dx[] = { 4.0 / 3, 0.125 / 3, 8.25 / 3, 1.125 / 3 };

  /* Every pairing of layouts, so that no layer's transpose path hides. */
  for (int second = 0; second < ST_N_LAYOUTS; second++)
    {
      g_autoptr(StNetwork) network = build_two_layers (layout, second, ST_ACTIVATION_IDENTITY);
      const double *dx;
      double cost;

      g_assert_true (st_network_compute_gradients (network, case2_x, case2_t, 1, &cost, NULL));

      g_assert_cmpfloat_with_epsilon (cost, 16.75 / 3, 1e-14);
      assert_gradient (st_network_get_layer (network, 1), expected_w2, 1e-14);
      assert_gradient (st_network_get_layer (network, 0), expected_w1, 1e-14);

      dx = st_network_get_input_gradient (network);
      for (guint j = 0; j < 4; j++)
        g_assert_cmpfloat_with_epsilon (dx[j], expected_dx[j], 1e-14);
    }
}

/* Case 2 with h = tanh(W1 x); values from the report, over 3. */
static void
test_transposed_backprop_tanh (gconstpointer data)
{
  StLayout layout = GPOINTER_TO_INT (data);
  const double expected_w1[] = {
    0.013501409780346502 / 3, 0.027002819560693003 / 3, 0.13183449661016622 / 3,
    0.0002004070205396332 / 3, 0.0002672093607195109 / 3,
  };
  const double expected_w2[] = {
    -0.9283864896445538 / 3, 0.8994381240541143 / 3, -0.9999331954283575 / 3,
    0.4950669814172799 / 3,
  };
  g_autoptr(StNetwork) network = build_two_layers (layout, layout, ST_ACTIVATION_TANH);
  double cost;

  g_assert_true (st_network_compute_gradients (network, case2_x, case2_t, 1, &cost, NULL));

  g_assert_cmpfloat_with_epsilon (cost, 1.0589782223003361 / 3, 1e-14);
  assert_gradient (st_network_get_layer (network, 1), expected_w2, 1e-14);
  assert_gradient (st_network_get_layer (network, 0), expected_w1, 1e-15);
}

static void
add_per_layout (const char    *name,
                GTestDataFunc  test)
{
  for (int layout = 0; layout < ST_N_LAYOUTS; layout++)
    {
      g_autofree char *path = g_strdup_printf ("/engine/known-gradients/%s/%s", name,
                                               st_layout_to_string (layout));

      g_test_add_data_func (path, GINT_TO_POINTER (layout), test);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  add_per_layout ("layout-independent", test_layout_independent);
  add_per_layout ("layout-independent-tanh", test_layout_independent_tanh);
  add_per_layout ("transposed-backprop", test_transposed_backprop);
  add_per_layout ("transposed-backprop-tanh", test_transposed_backprop_tanh);

  return g_test_run ();
}
