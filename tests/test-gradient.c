/* test-gradient.c: gradients of random networks against a dense
 * reference and finite differences, in every layout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For each shape, activation, loss and batch size, one random network is
 * built and its gradients are computed four times: with every layer in
 * CSR, in CSC, in COO, and with the layouts mixed across layers.  Each
 * result must
 * - equal the dense GSL reference restricted to the pattern (relative
 *   error below 1e-12 of the layer's largest gradient),
 * - equal the other layouts bit for bit,
 * - equal central finite differences of the cost (relative error below
 *   1e-6 of the layer's largest gradient).
 * The dense reference's gradient outside the pattern is generally not
 * zero; the engine has no storage there at all.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "dense-reference.h"
#include "st-engine.h"

#define MAX_WIDTHS 5

typedef enum
{
  PATTERN_RANDOM,            /* about half the positions */
  PATTERN_EMPTY_ROWS_COLS,   /* only even rows and odd columns can be stored */
  PATTERN_SINGLE,            /* exactly one stored entry */
  PATTERN_DENSE,             /* every position stored */
  PATTERN_EMPTY,             /* no stored entry at all */
} PatternKind;

typedef struct
{
  const char *name;
  guint n_widths;
  guint widths[MAX_WIDTHS];          /* inputs first */
  PatternKind kinds[MAX_WIDTHS - 1]; /* one per layer */
  gboolean wide;                     /* rows of 8 terms or more, long batches */
} Shape;

static const Shape shapes[] = {
  { "random-4-3", 2, { 4, 3 }, { PATTERN_RANDOM } },
  { "empty-rows-cols-7-5", 2, { 7, 5 }, { PATTERN_EMPTY_ROWS_COLS } },
  { "single-entry-4-3", 2, { 4, 3 }, { PATTERN_SINGLE } },
  { "dense-3-3", 2, { 3, 3 }, { PATTERN_DENSE } },
  { "empty-pattern-4-3", 2, { 4, 3 }, { PATTERN_EMPTY } },
  { "deep-6-5-4-3", 4, { 6, 5, 4, 3 }, { PATTERN_RANDOM, PATTERN_EMPTY_ROWS_COLS, PATTERN_DENSE } },
  { "deep-5-7-3", 3, { 5, 7, 3 }, { PATTERN_SINGLE, PATTERN_RANDOM } },
  { "wide-24-12", 2, { 24, 12 }, { PATTERN_RANDOM }, TRUE },
  { "deep-wide-20-18-9", 3, { 20, 18, 9 }, { PATTERN_RANDOM, PATTERN_RANDOM }, TRUE },
};

typedef struct
{
  const char *name;
  StActivation activation;
  StLoss loss;
} Output;

static const Output outputs[] = {
  { "identity-mse", ST_ACTIVATION_IDENTITY, ST_LOSS_HALF_MSE },
  { "tanh-mse", ST_ACTIVATION_TANH, ST_LOSS_HALF_MSE },
  { "logistic-mse", ST_ACTIVATION_LOGISTIC, ST_LOSS_HALF_MSE },
  { "relu-mse", ST_ACTIVATION_RELU, ST_LOSS_HALF_MSE },
  { "softmax-mse", ST_ACTIVATION_SOFTMAX, ST_LOSS_HALF_MSE },
  { "softmax-cross-entropy", ST_ACTIVATION_SOFTMAX, ST_LOSS_SOFTMAX_CROSS_ENTROPY },
};

static const StActivation hidden_activations[] = {
  ST_ACTIVATION_IDENTITY, ST_ACTIVATION_TANH, ST_ACTIVATION_LOGISTIC, ST_ACTIVATION_RELU,
};

static const guint batch_sizes[] = { 1, 3 };

/* The kernels take whole groups of 8 samples in vector lanes, and build
 * batches of 16, 32 and 64 with constant loops: 16 and 64 take those
 * paths, 19 adds a tail past the lanes.  Rows of 8 terms or more take
 * the dot products' full groups. */
static const guint wide_batch_sizes[] = { 16, 19, 64 };

typedef struct
{
  const Shape *shape;
  const Output *output;
  StActivation hidden;
  guint batch;
  guint64 seed;
} GradientCase;

static double
uniform (gsl_rng *rng)
{
  return 2.0 * gsl_rng_uniform (rng) - 1.0;
}

static StLayer *
random_layer (guint        rows,
              guint        cols,
              PatternKind  kind,
              gsl_rng     *rng)
{
  g_autoptr(GArray) entry_rows = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) entry_cols = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  StLayer *layer;

  for (guint i = 0; i < rows; i++)
    for (guint j = 0; j < cols; j++)
      {
        gboolean stored;
        double value;

        switch (kind)
          {
          case PATTERN_RANDOM:
            stored = gsl_rng_uniform (rng) < 0.5;
            break;
          case PATTERN_EMPTY_ROWS_COLS:
            stored = i % 2 == 0 && j % 2 == 1 && gsl_rng_uniform (rng) < 0.7;
            break;
          case PATTERN_SINGLE:
            stored = i == rows - 1 && j == cols / 2;
            break;
          case PATTERN_DENSE:
            stored = TRUE;
            break;
          case PATTERN_EMPTY:
          default:
            stored = FALSE;
            break;
          }
        if (!stored)
          continue;

        value = uniform (rng);
        g_array_append_val (entry_rows, i);
        g_array_append_val (entry_cols, j);
        g_array_append_val (values, value);
      }

  layer = st_layer_new (rows, cols, entry_rows->len, (guint *) entry_rows->data,
                        (guint *) entry_cols->data, (double *) values->data, ST_LAYOUT_CSR,
                        &error);
  g_assert_no_error (error);

  g_assert_true (st_layer_set_has_bias (layer, TRUE, NULL));
  for (guint i = 0; i < rows; i++)
    st_layer_get_bias (layer)[i] = 0.5 * uniform (rng);

  return layer;
}

static StNetwork *
random_network (const GradientCase *test_case,
                gsl_rng            *rng)
{
  const Shape *shape = test_case->shape;
  guint n_layers = shape->n_widths - 1;
  StNetwork *network = st_network_new (test_case->output->loss);

  st_network_set_input_gradient_enabled (network, TRUE);
  for (guint l = 0; l < n_layers; l++)
    {
      StLayer *layer = random_layer (shape->widths[l + 1], shape->widths[l], shape->kinds[l], rng);

      st_layer_set_activation (layer, l + 1 == n_layers ? test_case->output->activation
                                                       : test_case->hidden);
      g_assert_true (st_network_append_layer (network, layer, NULL));
    }
  g_assert_true (st_network_validate (network, NULL));

  return network;
}

/* Targets: uniform values for squared error, and probability vectors
 * (non-negative, summing to 1 per sample) for cross-entropy. */
static void
random_targets (const GradientCase *test_case,
                guint               n_outputs,
                gsl_rng            *rng,
                double             *t)
{
  guint batch = test_case->batch;

  for (guint b = 0; b < batch; b++)
    {
      double sum = 0.0;

      for (guint i = 0; i < n_outputs; i++)
        {
          double value = test_case->output->loss == ST_LOSS_HALF_MSE ? uniform (rng)
                                                                     : gsl_rng_uniform (rng);

          t[i * batch + b] = value;
          sum += value;
        }

      if (test_case->output->loss == ST_LOSS_SOFTMAX_CROSS_ENTROPY)
        for (guint i = 0; i < n_outputs; i++)
          t[i * batch + b] /= sum;
    }
}

static double
largest_magnitude (const double *values,
                   gsize         n)
{
  double largest = 0.0;

  for (gsize k = 0; k < n; k++)
    largest = fmax (largest, fabs (values[k]));

  return largest;
}

/* Assert |actual - expected| <= tolerance x scale, where scale is the
 * largest expected magnitude of the group (at least the smallest normal
 * double, so an all-zero group must match exactly enough). */
static void
assert_close (const char *what,
              guint       layer,
              gsize       index,
              double      actual,
              double      expected,
              double      scale,
              double      tolerance)
{
  double error = fabs (actual - expected) / fmax (scale, 1e-300);

  if (error > tolerance)
    g_error ("%s of layer %u, element %" G_GSIZE_FORMAT ": engine %.17g, expected %.17g, "
             "relative error %.3g above %.3g", what, layer + 1, index, actual, expected,
             error, tolerance);
}

static void
compare_with_dense (StNetwork            *network,
                    const DenseGradients *dense,
                    double                cost,
                    guint                 batch)
{
  guint n_inputs = st_network_get_n_inputs (network);
  const double *input_grad = st_network_get_input_gradient (network);
  g_autofree double *expected_input = g_new (double, n_inputs * batch);

  assert_close ("cost", 0, 0, cost, dense->cost, fmax (1.0, fabs (dense->cost)), 1e-12);

  for (guint l = 0; l < st_network_get_n_layers (network); l++)
    {
      StLayer *layer = st_network_get_layer (network, l);
      gsize nnz = st_layer_get_nnz (layer);
      guint rows = st_layer_get_rows (layer);
      g_autofree guint *entry_rows = g_new (guint, MAX (nnz, 1));
      g_autofree guint *entry_cols = g_new (guint, MAX (nnz, 1));
      g_autofree double *gradient = g_new (double, MAX (nnz, 1));
      g_autofree double *expected = g_new (double, MAX (nnz, 1));
      double scale;

      st_layer_copy_entries (layer, entry_rows, entry_cols, NULL, gradient);
      for (gsize k = 0; k < nnz; k++)
        expected[k] = gsl_matrix_get (dense->weight_grad[l], entry_rows[k], entry_cols[k]);

      scale = largest_magnitude (expected, nnz);
      for (gsize k = 0; k < nnz; k++)
        assert_close ("weight gradient", l, k, gradient[k], expected[k], scale, 1e-12);

      scale = largest_magnitude (dense->bias_grad[l]->data, rows);
      for (guint i = 0; i < rows; i++)
        assert_close ("bias gradient", l, i, st_layer_get_bias_gradient (layer)[i],
                      gsl_vector_get (dense->bias_grad[l], i), scale, 1e-12);
    }

  for (guint j = 0; j < n_inputs; j++)
    for (guint b = 0; b < batch; b++)
      expected_input[j * batch + b] = gsl_matrix_get (dense->input_grad, j, b);
  for (guint k = 0; k < n_inputs * batch; k++)
    assert_close ("input gradient", 0, k, input_grad[k], expected_input[k],
                  largest_magnitude (expected_input, n_inputs * batch), 1e-12);
}

static double
cost_of (StNetwork    *network,
         const double *x,
         const double *t,
         guint         batch)
{
  double cost;

  g_assert_true (st_network_compute_cost (network, x, t, batch, &cost, NULL));
  return cost;
}

/* Central difference (L(p + h) - L(p - h)) / 2h for one parameter. */
static double
finite_difference (StNetwork    *network,
                   double       *parameter,
                   const double *x,
                   const double *t,
                   guint         batch)
{
  const double h = 1e-6;
  double saved = *parameter;
  double plus;
  double minus;

  *parameter = saved + h;
  plus = cost_of (network, x, t, batch);
  *parameter = saved - h;
  minus = cost_of (network, x, t, batch);
  *parameter = saved;

  return (plus - minus) / (2.0 * h);
}

static void
compare_with_finite_differences (StNetwork    *network,
                                 const double *x,
                                 const double *t,
                                 guint         batch)
{
  for (guint l = 0; l < st_network_get_n_layers (network); l++)
    {
      StLayer *layer = st_network_get_layer (network, l);
      gsize nnz = st_layer_get_nnz (layer);
      guint rows = st_layer_get_rows (layer);
      const double *gradient = st_layer_get_weight_gradient (layer);
      const double *bias_gradient = st_layer_get_bias_gradient (layer);
      double scale = largest_magnitude (gradient, nnz);
      double bias_scale = largest_magnitude (bias_gradient, rows);

      /* Both arrays are in layout order, like st_layer_get_values(). */
      for (gsize k = 0; k < nnz; k++)
        assert_close ("finite difference of weight", l, k, gradient[k],
                      finite_difference (network, &st_layer_get_values (layer)[k], x, t, batch),
                      scale, 1e-6);

      for (guint i = 0; i < rows; i++)
        assert_close ("finite difference of bias", l, i, bias_gradient[i],
                      finite_difference (network, &st_layer_get_bias (layer)[i], x, t, batch),
                      bias_scale, 1e-6);
    }
}

/* Canonical-order gradients of every layer, concatenated, for bitwise
 * comparison between layouts. */
static GArray *
collect_gradients (StNetwork *network,
                   guint      batch)
{
  GArray *all = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint l = 0; l < st_network_get_n_layers (network); l++)
    {
      StLayer *layer = st_network_get_layer (network, l);
      gsize nnz = st_layer_get_nnz (layer);
      guint old_length = all->len;

      g_array_set_size (all, old_length + nnz);
      st_layer_copy_entries (layer, NULL, NULL, NULL, &g_array_index (all, double, old_length));
      g_array_append_vals (all, st_layer_get_bias_gradient (layer), st_layer_get_rows (layer));
    }
  g_array_append_vals (all, st_network_get_input_gradient (network),
                       st_network_get_n_inputs (network) * batch);

  return all;
}

static void
apply_layouts (StNetwork *network,
               int        variant)
{
  for (guint l = 0; l < st_network_get_n_layers (network); l++)
    {
      /* Variants 0..2 use one layout everywhere; 3 mixes them. */
      StLayout layout = variant < ST_N_LAYOUTS ? (StLayout) variant
                                               : (StLayout) ((l + 1) % ST_N_LAYOUTS);

      g_assert_true (st_layer_set_layout (st_network_get_layer (network, l), layout, NULL));
      g_assert_cmpint (st_layer_get_layout (st_network_get_layer (network, l)), ==, layout);
    }
}

static void
test_gradient_case (gconstpointer data)
{
  const GradientCase *test_case = data;
  g_autoptr(gsl_rng) rng = st_random_new (test_case->seed);
  g_autoptr(StNetwork) original = random_network (test_case, rng);
  guint batch = test_case->batch;
  guint n_inputs = st_network_get_n_inputs (original);
  guint n_outputs = st_network_get_n_outputs (original);
  g_autofree double *x = g_new (double, n_inputs * batch);
  g_autofree double *t = g_new (double, n_outputs * batch);
  g_autoptr(DenseGradients) dense = NULL;
  g_autoptr(GArray) reference = NULL;

  for (guint k = 0; k < n_inputs * batch; k++)
    x[k] = uniform (rng);
  random_targets (test_case, n_outputs, rng, t);

  dense = dense_reference_compute (original, x, t, batch);

  for (int variant = 0; variant <= ST_N_LAYOUTS; variant++)
    {
      g_autoptr(StNetwork) network = st_network_copy (original);
      g_autoptr(GArray) gradients = NULL;
      double cost;

      apply_layouts (network, variant);
      g_assert_true (st_network_compute_gradients (network, x, t, batch, &cost, NULL));

      compare_with_dense (network, dense, cost, batch);

      gradients = collect_gradients (network, batch);
      if (reference == NULL)
        reference = g_array_ref (gradients);
      else
        g_assert_cmpmem (gradients->data, gradients->len * sizeof (double),
                         reference->data, reference->len * sizeof (double));

      compare_with_finite_differences (network, x, t, batch);
    }
}

/* The engine's own check agrees with the tests: errors far below 1e-6
 * on a random three-layer network, positions inside each layer, and
 * every weight unchanged afterwards. */
static void
test_check_function (void)
{
  const GradientCase test_case = { &shapes[5], &outputs[5], ST_ACTIVATION_TANH, 3, 99 };
  g_autoptr(gsl_rng) rng = st_random_new (test_case.seed);
  g_autoptr(StNetwork) network = random_network (&test_case, rng);
  g_autoptr(StNetwork) before = st_network_copy (network);
  StGradientCheck results[3];
  double x[6 * 3];
  double t[3 * 3];
  g_autoptr(GError) error = NULL;

  for (guint k = 0; k < G_N_ELEMENTS (x); k++)
    x[k] = uniform (rng);
  random_targets (&test_case, 3, rng, t);

  g_assert_true (st_network_check_gradients (network, x, t, 3, 1000, results, NULL, &error));
  g_assert_no_error (error);

  for (guint l = 0; l < 3; l++)
    {
      StLayer *layer = st_network_get_layer (network, l);
      gsize nnz = st_layer_get_nnz (layer);
      gsize position;

      g_assert_cmpuint (results[l].n_checked, ==, nnz);
      g_assert_cmpfloat (results[l].max_error, <, 1e-6);
      g_assert_true (st_layer_find_entry (layer, results[l].row, results[l].col, &position));
      g_assert_cmpmem (st_layer_get_values (layer), nnz * sizeof (double),
                       st_layer_get_values (st_network_get_layer (before, l)),
                       nnz * sizeof (double));
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_free);
  guint64 seed = 1000;

  g_test_init (&argc, &argv, NULL);

  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    for (guint o = 0; o < G_N_ELEMENTS (outputs); o++)
      for (guint h = 0; h < G_N_ELEMENTS (hidden_activations); h++)
        for (guint b = 0; b < (shapes[s].wide ? G_N_ELEMENTS (wide_batch_sizes)
                                              : G_N_ELEMENTS (batch_sizes)); b++)
          {
            guint batch = shapes[s].wide ? wide_batch_sizes[b] : batch_sizes[b];
            GradientCase *test_case;
            g_autofree char *path = NULL;

            /* Single-layer shapes have no hidden activation to vary. */
            if (shapes[s].n_widths == 2 && h > 0)
              continue;

            test_case = g_new0 (GradientCase, 1);
            test_case->shape = &shapes[s];
            test_case->output = &outputs[o];
            test_case->hidden = hidden_activations[h];
            test_case->batch = batch;
            test_case->seed = seed++;
            g_ptr_array_add (cases, test_case);

            path = shapes[s].n_widths == 2
              ? g_strdup_printf ("/engine/gradient/%s/%s/batch-%u", shapes[s].name,
                                 outputs[o].name, batch)
              : g_strdup_printf ("/engine/gradient/%s/%s-%s/batch-%u", shapes[s].name,
                                 st_activation_to_string (hidden_activations[h]),
                                 outputs[o].name, batch);
            g_test_add_data_func (path, test_case, test_gradient_case);
          }

  g_test_add_func ("/engine/gradient/check-function", test_check_function);

  return g_test_run ();
}
