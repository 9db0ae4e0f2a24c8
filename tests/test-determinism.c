/* test-determinism.c: the same bits whatever the threads, layout or path
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine promises bit-identical training for the same model, data
 * and seed, whatever the thread count, the layout of each layer, layout
 * changes between steps, and whether a single layer takes the fused
 * step.  Every output element is summed by one thread in a fixed order,
 * so these tests compare with memcmp, not with a tolerance.
 */

#include "config.h"

#include <string.h>

#include "st-engine.h"
#include "st-parallel.h"
#include "st-team-choice.h"

#define BATCH 7
#define N_STEPS 12

static StNetwork *
build_network (void)
{
  const guint widths[] = { 40, 30, 20, 5 };
  const StActivation activations[] = { ST_ACTIVATION_TANH, ST_ACTIVATION_RELU,
                                       ST_ACTIVATION_SOFTMAX };
  g_autoptr(gsl_rng) rng = st_random_new (77);
  StNetwork *network = st_network_new (ST_LOSS_SOFTMAX_CROSS_ENTROPY);

  for (guint l = 0; l < 3; l++)
    {
      StLayer *layer = st_pattern_new_random (widths[l + 1], widths[l], 0.3, ST_LAYOUT_CSR,
                                              rng, NULL);

      st_init_weights (layer, ST_INIT_HE_NORMAL, rng);
      st_layer_set_activation (layer, activations[l]);
      g_assert_true (st_layer_set_has_bias (layer, TRUE, NULL));
      g_assert_true (st_network_append_layer (network, layer, NULL));
    }

  return network;
}

static void
make_batch (guint64  seed,
            double  *x,
            double  *t)
{
  g_autoptr(gsl_rng) rng = st_random_new (seed);

  for (guint k = 0; k < 40 * BATCH; k++)
    x[k] = 2.0 * gsl_rng_uniform (rng) - 1.0;

  /* One-hot targets, feature-major: class (b mod 5) for sample b. */
  memset (t, 0, sizeof (double) * 5 * BATCH);
  for (guint b = 0; b < BATCH; b++)
    t[(b % 5) * BATCH + b] = 1.0;
}

/* Weights and biases of every layer in canonical order, concatenated. */
static GByteArray *
fingerprint (StNetwork *network)
{
  GByteArray *bytes = g_byte_array_new ();

  for (guint l = 0; l < st_network_get_n_layers (network); l++)
    {
      StLayer *layer = st_network_get_layer (network, l);
      gsize nnz = st_layer_get_nnz (layer);
      g_autofree double *values = g_new (double, nnz);

      st_layer_copy_entries (layer, NULL, NULL, values, NULL);
      g_byte_array_append (bytes, (const guint8 *) values, nnz * sizeof (double));
      if (st_layer_get_bias (layer) != NULL)
        g_byte_array_append (bytes, (const guint8 *) st_layer_get_bias (layer),
                             st_layer_get_rows (layer) * sizeof (double));
    }

  return bytes;
}

/* Train with Adam, weight decay, clipping and a different batch each
 * step.  With @change_layouts, layer l moves to layout (s + l) mod 3
 * before step s. */
static GByteArray *
train (guint     threads,
       gboolean  change_layouts)
{
  g_autoptr(StNetwork) network = build_network ();
  double x[40 * BATCH];
  double t[5 * BATCH];
  StOptimizer optimizer;

  st_optimizer_init_default (&optimizer, ST_OPTIMIZER_ADAM);
  optimizer.weight_decay = 0.01;
  g_assert_true (st_network_set_threads (network, threads, NULL));

  for (guint step = 0; step < N_STEPS; step++)
    {
      g_autoptr(GError) error = NULL;

      if (change_layouts)
        for (guint l = 0; l < 3; l++)
          g_assert_true (st_layer_set_layout (st_network_get_layer (network, l),
                                              (StLayout) ((step + l) % ST_N_LAYOUTS), NULL));

      make_batch (step + 1, x, t);
      g_assert_true (st_network_train_step (network, x, t, BATCH, &optimizer, 0.01, 0.5, NULL,
                                            &error));
      g_assert_no_error (error);
    }

  return fingerprint (network);
}

static void
test_thread_counts (void)
{
  g_autoptr(GByteArray) one = train (1, FALSE);

  for (guint threads = 2; threads <= 4; threads++)
    {
      g_autoptr(GByteArray) more = train (threads, FALSE);

      g_assert_cmpmem (more->data, more->len, one->data, one->len);
    }
}

/* Switching layouts between steps, optimizer state included, changes
 * nothing; with two threads as well. */
static void
test_layout_changes (void)
{
  g_autoptr(GByteArray) fixed = train (1, FALSE);
  g_autoptr(GByteArray) changing = train (1, TRUE);
  g_autoptr(GByteArray) changing_threaded = train (2, TRUE);

  g_assert_cmpmem (changing->data, changing->len, fixed->data, fixed->len);
  g_assert_cmpmem (changing_threaded->data, changing_threaded->len, fixed->data, fixed->len);
}

/* The fused step's kernels differ by batch and by layout.  Batches of
 * 16, 32 and 64 are built as constants, and a linear unit keeps its row
 * in registers.  CSR stores eight gradients at once, and the other
 * layouts go through positions.  Each case must give the bits of the
 * separate passes. */
typedef struct
{
  StActivation activation;
  guint batch;
  StLayout layout;
  gboolean bias;
} FusedCase;

static const FusedCase fused_cases[] = {
  { ST_ACTIVATION_TANH, 19, ST_LAYOUT_CSC, TRUE },
  { ST_ACTIVATION_TANH, 32, ST_LAYOUT_CSR, TRUE },
  { ST_ACTIVATION_IDENTITY, 16, ST_LAYOUT_CSR, FALSE },
  { ST_ACTIVATION_IDENTITY, 32, ST_LAYOUT_COO, TRUE },
  { ST_ACTIVATION_IDENTITY, 64, ST_LAYOUT_CSR, TRUE },
  { ST_ACTIVATION_IDENTITY, 64, ST_LAYOUT_CSC, FALSE },
  { ST_ACTIVATION_IDENTITY, 21, ST_LAYOUT_CSR, TRUE },
  { ST_ACTIVATION_RELU, 64, ST_LAYOUT_CSR, TRUE },
};

/* Returns: the fingerprint after five steps of one fused case, with the
 * fused step or with the separate passes. */
static GByteArray *
train_fused_case (const FusedCase   *c,
                  StOptimizerKind    kind,
                  gboolean           fused)
{
  g_autoptr(gsl_rng) rng = st_random_new (5);
  g_autoptr(StNetwork) network = st_network_new (ST_LOSS_HALF_MSE);
  StLayer *layer = st_pattern_new_random (30, 50, 0.2, c->layout, rng, NULL);
  double x[50 * 64];
  double t[30 * 64];
  StOptimizer optimizer;

  st_init_weights (layer, ST_INIT_XAVIER_UNIFORM, rng);
  st_layer_set_activation (layer, c->activation);
  g_assert_true (st_layer_set_has_bias (layer, c->bias, NULL));
  g_assert_true (st_network_append_layer (network, layer, NULL));
  st_network_set_fusion_disabled (network, !fused);
  g_assert_true (st_network_set_threads (network, 2, NULL));
  st_optimizer_init_default (&optimizer, kind);

  for (guint k = 0; k < 50 * c->batch; k++)
    x[k] = 2.0 * gsl_rng_uniform (rng) - 1.0;
  for (guint k = 0; k < 30 * c->batch; k++)
    t[k] = 2.0 * gsl_rng_uniform (rng) - 1.0;

  for (guint step = 0; step < 5; step++)
    {
      double cost;

      g_assert_true (st_network_train_step (network, x, t, c->batch, &optimizer, 0.05, 0.0,
                                            &cost, NULL));
    }

  return fingerprint (network);
}

/* A single layer with an element-wise activation and squared error
 * takes the fused step; the separate passes must give the same bits. */
static void
test_fused_step (gconstpointer data)
{
  StOptimizerKind kind = GPOINTER_TO_INT (data);

  for (guint i = 0; i < G_N_ELEMENTS (fused_cases); i++)
    {
      g_autoptr(GByteArray) separate = train_fused_case (&fused_cases[i], kind, FALSE);
      g_autoptr(GByteArray) fused = train_fused_case (&fused_cases[i], kind, TRUE);

      g_test_message ("case %u: activation %d, batch %u, layout %d", i,
                      fused_cases[i].activation, fused_cases[i].batch, fused_cases[i].layout);
      g_assert_cmpmem (fused->data, fused->len, separate->data, separate->len);
    }
}

/* The shared layers: a narrow one, and one whose 4.6 MB of inputs at
 * batch 64 make the fused step's gradient request the next terms'
 * inputs (ST_GRADIENT_REQUEST_MIN_INPUT_BYTES), about 16 entries a row
 * as in the peer benchmark's largest square layer. */
typedef struct
{
  guint rows;
  guint columns;
  double density;
  guint samples;
} SharedShape;

static const SharedShape shared_shapes[] = {
  { 300, 400, 0.05, 32 },
  { 300, 9000, 0.0018, 64 },
};

/* Returns: the fingerprint after @steps steps of a layer of @shape,
 * large enough for the fused step to share its rows among @threads, on
 * @layout. */
static GByteArray *
train_shared_layer (const SharedShape *shape,
                    StLayout           layout,
                    StOptimizerKind    kind,
                    guint              threads,
                    gboolean           fused,
                    guint              steps)
{
  g_autoptr(gsl_rng) rng = st_random_new (11);
  g_autoptr(StNetwork) network = st_network_new (ST_LOSS_HALF_MSE);
  StLayer *layer = st_pattern_new_random (shape->rows, shape->columns, shape->density, layout,
                                          rng, NULL);
  gsize n_inputs = (gsize) shape->columns * shape->samples;
  gsize n_targets = (gsize) shape->rows * shape->samples;
  g_autofree double *x = g_new (double, n_inputs);
  g_autofree double *t = g_new (double, n_targets);
  StOptimizer optimizer;

  /* 6,000 or about 4,900 stored entries times 32 or 64 samples: over
   * ST_PARALLEL_MIN_WORK, so the team shares the job. */
  g_assert_cmpuint (st_layer_get_nnz (layer) * shape->samples, >, ST_PARALLEL_MIN_WORK);

  st_init_weights (layer, ST_INIT_XAVIER_UNIFORM, rng);
  g_assert_true (st_layer_set_has_bias (layer, TRUE, NULL));
  g_assert_true (st_network_append_layer (network, layer, NULL));
  st_network_set_fusion_disabled (network, !fused);
  g_assert_true (st_network_set_threads (network, threads, NULL));
  st_optimizer_init_default (&optimizer, kind);

  for (gsize k = 0; k < n_inputs; k++)
    x[k] = 2.0 * gsl_rng_uniform (rng) - 1.0;
  for (gsize k = 0; k < n_targets; k++)
    t[k] = 2.0 * gsl_rng_uniform (rng) - 1.0;

  for (guint step = 0; step < steps; step++)
    g_assert_true (st_network_train_step (network, x, t, shape->samples, &optimizer, 0.05, 0.0,
                                          NULL, NULL));

  return fingerprint (network);
}

/* The fused step gives each member a range of chunks of rows, and a
 * member that finishes early claims chunks of the other ranges.  Each
 * member updates the rows it computed where the layout allows.  Every
 * row must still be updated once, with the bits of the separate passes
 * on one thread. */
static void
test_fused_threads (gconstpointer data)
{
  StOptimizerKind kind = GPOINTER_TO_INT (data);

  for (guint s = 0; s < G_N_ELEMENTS (shared_shapes); s++)
    for (StLayout layout = 0; layout < ST_N_LAYOUTS; layout++)
      {
        const SharedShape *shape = &shared_shapes[s];
        g_autoptr(GByteArray) separate = train_shared_layer (shape, layout, kind, 1, FALSE, 5);

        for (guint threads = 1; threads <= 3; threads++)
          {
            g_autoptr(GByteArray) fused = train_shared_layer (shape, layout, kind, threads, TRUE,
                                                              5);

            g_test_message ("shape %u, layout %d, %u threads", s, layout, threads);
            g_assert_cmpmem (fused->data, fused->len, separate->data, separate->len);
          }
      }
}

/* A network on 2 threads times its steps and now and then runs a few
 * of them on the calling thread alone (st-team-choice.c): the first try
 * spans steps 35 to 42.  Whichever mode each step took, 50 steps must
 * end with the bits of one thread, in the fused step and in the
 * separate passes. */
static void
test_team_tries (void)
{
  const SharedShape *shape = &shared_shapes[0];

  g_assert_cmpuint (ST_TEAM_CHOICE_WARM_UP + ST_TEAM_CHOICE_FIRST_INTERVAL +
                    ST_TEAM_CHOICE_WINDOW, <, 50);

  for (int fused = 0; fused < 2; fused++)
    {
      g_autoptr(GByteArray) one = train_shared_layer (shape, ST_LAYOUT_CSR, ST_OPTIMIZER_ADAM, 1,
                                                      fused, 50);
      g_autoptr(GByteArray) two = train_shared_layer (shape, ST_LAYOUT_CSR, ST_OPTIMIZER_ADAM, 2,
                                                      fused, 50);

      g_assert_cmpmem (two->data, two->len, one->data, one->len);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/determinism/thread-counts", test_thread_counts);
  g_test_add_func ("/engine/determinism/layout-changes", test_layout_changes);
  g_test_add_data_func ("/engine/determinism/fused-step/sgd",
                        GINT_TO_POINTER (ST_OPTIMIZER_SGD), test_fused_step);
  g_test_add_data_func ("/engine/determinism/fused-step/nesterov",
                        GINT_TO_POINTER (ST_OPTIMIZER_NESTEROV), test_fused_step);

  g_test_add_data_func ("/engine/determinism/fused-threads/sgd",
                        GINT_TO_POINTER (ST_OPTIMIZER_SGD), test_fused_threads);
  g_test_add_data_func ("/engine/determinism/fused-threads/adam",
                        GINT_TO_POINTER (ST_OPTIMIZER_ADAM), test_fused_threads);
  g_test_add_func ("/engine/determinism/team-tries", test_team_tries);

  return g_test_run ();
}
