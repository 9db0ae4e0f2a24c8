/* test-vector.c: the kernels' wide and narrow forms give the same bits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A processor runs one form of the sums and of the loss row: the wide
 * one with AVX-512, the narrow one (quads) with AVX2 alone.  The engine
 * promises the same bits on both, so this test calls each form directly,
 * whatever the processor running it, and compares both with memcmp
 * against a plain loop that adds the terms in the order st-vector.h and
 * st-loss-row.h document.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "st-loss-row.h"
#include "st-vector.h"

#define MAX_TERMS 13
#define MAX_BATCH 72
#define N_SOURCE_ROWS 20

/* Batches on both sides of every tile width and of the lane count. */
static const guint batches[] = { 1, 3, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 40, 48, 64, 65, 72 };

typedef struct
{
  double weights[MAX_TERMS];
  int positions[MAX_TERMS];
  int indices[MAX_TERMS];
  double source[N_SOURCE_ROWS * MAX_BATCH];
  double common[MAX_BATCH];
} Terms;

/* Values in [-1, 1) with every bit of the mantissa in use, so that a
 * different order of additions would show in the last bits. */
static void
fill_terms (Terms   *terms,
            guint32  seed)
{
  GRand *rand = g_rand_new_with_seed (seed);

  for (guint k = 0; k < MAX_TERMS; k++)
    {
      terms->weights[k] = g_rand_double_range (rand, -1.0, 1.0);
      terms->indices[k] = g_rand_int_range (rand, 0, N_SOURCE_ROWS);
      terms->positions[k] = MAX_TERMS - 1 - (int) k;
    }
  for (guint k = 0; k < G_N_ELEMENTS (terms->source); k++)
    terms->source[k] = g_rand_double_range (rand, -1.0, 1.0);
  for (guint k = 0; k < MAX_BATCH; k++)
    terms->common[k] = g_rand_double_range (rand, -1.0, 1.0);

  g_rand_free (rand);
}

/* Computes y[b] = (start + terms 0, 2, 4, ...) + (terms 1, 3, 5, ...),
 * one sample at a time. */
static void
reference_accumulate (const Terms *terms,
                      double       start,
                      int          n_terms,
                      const int   *positions,
                      guint        batch,
                      double      *y)
{
  for (guint b = 0; b < batch; b++)
    {
      double even = start;
      double odd = 0.0;

      for (int e = 0; e < n_terms; e++)
        {
          double w = terms->weights[positions != NULL ? positions[e] : e];
          double product = w * terms->source[terms->indices[e] * batch + b];

          if (e % 2 == 0)
            even += product;
          else
            odd += product;
        }
      y[b] = even + odd;
    }
}

/* Returns: the dot product in the documented order.  Lane l sums the
 * samples l, l + 8, l + 16 and so on of the full groups of eight,
 * starting from the product of sample l.  The lanes are then paired as
 * ((0 + 1) + (2 + 3)) + ((4 + 5) + (6 + 7)), and the samples past the
 * last full group are added in order. */
static double
reference_dot (const double *a,
               const double *row,
               guint         batch)
{
  double lane[8] = { 0 };
  guint full = batch / 8 * 8;
  double total;

  for (guint b = 0; b < full; b++)
    lane[b % 8] = b < 8 ? a[b] * row[b] : lane[b % 8] + a[b] * row[b];

  total = ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7]));
  for (guint b = full; b < batch; b++)
    total += a[b] * row[b];

  return total;
}

static void
test_accumulate_forms (void)
{
  Terms terms;

  fill_terms (&terms, 11);

  for (guint k = 0; k < G_N_ELEMENTS (batches); k++)
    for (int n_terms = 0; n_terms <= MAX_TERMS; n_terms++)
      for (int with_positions = 0; with_positions < 2; with_positions++)
        {
          guint batch = batches[k];
          const int *positions = with_positions ? terms.positions : NULL;
          double expected[MAX_BATCH];
          double wide[MAX_BATCH];
          double narrow[MAX_BATCH];

          reference_accumulate (&terms, 0.25, n_terms, positions, batch, expected);
          st_vector_accumulate_wide (wide, 0.25, 0, n_terms, 0, terms.weights, positions,
                                     terms.indices, terms.source, batch);
          st_vector_accumulate_narrow (narrow, 0.25, 0, n_terms, 0, terms.weights, positions,
                                       terms.indices, terms.source, batch);

          g_assert_cmpmem (wide, batch * sizeof (double), expected, batch * sizeof (double));
          g_assert_cmpmem (narrow, batch * sizeof (double), expected, batch * sizeof (double));
        }
}

/* Starts at term 2, so that the first block of four or eight terms is
 * not aligned with the start of the arrays. */
static void
test_dot_terms_forms (void)
{
  Terms terms;

  fill_terms (&terms, 23);

  for (guint k = 0; k < G_N_ELEMENTS (batches); k++)
    for (int end = 2; end <= MAX_TERMS; end++)
      for (int with_positions = 0; with_positions < 2; with_positions++)
        {
          guint batch = batches[k];
          const int *positions = with_positions ? terms.positions : NULL;
          double expected[MAX_TERMS] = { 0 };
          double wide[MAX_TERMS] = { 0 };
          double narrow[MAX_TERMS] = { 0 };
          double expected_squares = 0.0;
          double wide_squares;
          double narrow_squares;

          for (int e = 2; e < end; e++)
            {
              double d = reference_dot (terms.common,
                                        terms.source + terms.indices[e] * batch, batch);

              expected[positions != NULL ? positions[e] : e] = d;
              expected_squares += d * d;
            }

          wide_squares = st_vector_dot_terms_wide (wide, 2, end, positions, terms.indices,
                                                   terms.source, terms.common, batch, NULL, 0);

          /* The narrow form needs a batch of at least 8.  Below that,
           * both sides use the wide one. */
          narrow_squares = batch >= ST_LANES
                             ? st_vector_dot_terms_narrow (narrow, 2, end, positions,
                                                           terms.indices, terms.source,
                                                           terms.common, batch, NULL, 0)
                             : st_vector_dot_terms_wide (narrow, 2, end, positions,
                                                         terms.indices, terms.source,
                                                         terms.common, batch, NULL, 0);

          g_assert_cmpmem (wide, sizeof wide, expected, sizeof expected);
          g_assert_cmpmem (narrow, sizeof narrow, expected, sizeof expected);

          /* The sum of squares has no fixed order: callers only ask
           * whether it is finite. */
          g_assert_cmpfloat_with_epsilon (wide_squares, expected_squares,
                                          1e-12 * (1.0 + expected_squares));
          g_assert_cmpfloat_with_epsilon (narrow_squares, expected_squares,
                                          1e-12 * (1.0 + expected_squares));
        }
}

/* A zero common factor against negative inputs makes every product -0.
 * Lane sums that start from their first product stay -0, and so does
 * the dot product.  Sums started from +0 would give +0.  Every form must
 * agree with st_vector_dot() on that sign too. */
static void
test_dot_zero_sign (void)
{
  static const guint full_batches[] = { 8, 16, 24, 32, 64, 72 };
  double common[MAX_BATCH] = { 0 };
  double source[N_SOURCE_ROWS * MAX_BATCH];
  int indices[4] = { 0, 1, 2, 3 };

  for (guint k = 0; k < G_N_ELEMENTS (source); k++)
    source[k] = -1.0 - (double) k;

  for (guint k = 0; k < G_N_ELEMENTS (full_batches); k++)
    {
      guint batch = full_batches[k];
      double wide[4] = { 1.0, 1.0, 1.0, 1.0 };
      double narrow[4] = { 1.0, 1.0, 1.0, 1.0 };

      g_assert_true (batch <= MAX_BATCH);
      g_assert_true (signbit (st_vector_dot (common, source, batch)));
      g_assert_true (signbit (reference_dot (common, source, batch)));

      st_vector_dot_terms_wide (wide, 0, 4, NULL, indices, source, common, batch, NULL, 0);
      st_vector_dot_terms_narrow (narrow, 0, 4, NULL, indices, source, common, batch, NULL, 0);
      for (guint e = 0; e < 4; e++)
        {
          g_assert_true (wide[e] == 0.0 && signbit (wide[e]));
          g_assert_true (narrow[e] == 0.0 && signbit (narrow[e]));
        }
    }
}

/* Computes st_loss_row_inline() one sample at a time: the squares of the
 * full groups of eight in eight lane sums from zero, paired as
 * reference_dot() pairs them, then the rest in order. */
static double
reference_loss_row (StActivation  activation,
                    const double *z,
                    const double *a,
                    const double *t,
                    guint         batch,
                    double        inverse,
                    double       *error,
                    double       *dz)
{
  double lane[8] = { 0 };
  guint full = batch / 8 * 8;
  double total;

  for (guint b = 0; b < batch; b++)
    {
      error[b] = a[b] - t[b];
      dz[b] = error[b] * inverse;
      if (activation == ST_ACTIVATION_TANH)
        dz[b] = dz[b] * (1.0 - a[b] * a[b]);
      else if (activation == ST_ACTIVATION_LOGISTIC)
        dz[b] = dz[b] * a[b] * (1.0 - a[b]);
      else if (activation == ST_ACTIVATION_RELU && !(z[b] > 0.0))
        dz[b] = 0.0;
      if (b < full)
        lane[b % 8] += error[b] * error[b];
    }

  total = ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7]));
  for (guint b = full; b < batch; b++)
    total += error[b] * error[b];

  return total;
}

/* Checks that both forms of the loss row give the reference's bits, for
 * every activation the loss row handles. */
static void
test_loss_row_forms (void)
{
  static const StActivation activations[] = {
    ST_ACTIVATION_IDENTITY, ST_ACTIVATION_TANH, ST_ACTIVATION_LOGISTIC, ST_ACTIVATION_RELU,
  };
  Terms terms;

  fill_terms (&terms, 23);

  for (guint k = 0; k < G_N_ELEMENTS (batches); k++)
    for (guint f = 0; f < G_N_ELEMENTS (activations); f++)
      {
        guint batch = batches[k];
        const double *z = terms.source;
        const double *a = terms.source + MAX_BATCH;
        const double *t = terms.common;
        double inverse = 1.0 / 3.0;
        double expected_error[MAX_BATCH];
        double expected_dz[MAX_BATCH];
        double error[2][MAX_BATCH];
        double dz[2][MAX_BATCH];
        double expected;
        double sums[2];

        expected = reference_loss_row (activations[f], z, a, t, batch, inverse, expected_error,
                                       expected_dz);
        sums[0] = st_loss_row_wide (activations[f], z, a, t, batch, inverse, error[0], dz[0]);
        sums[1] = st_loss_row_quads (activations[f], z, a, t, batch, inverse, error[1], dz[1]);

        for (guint form = 0; form < 2; form++)
          {
            g_assert_cmpmem (&sums[form], sizeof (double), &expected, sizeof (double));
            g_assert_cmpmem (error[form], batch * sizeof (double), expected_error,
                             batch * sizeof (double));
            g_assert_cmpmem (dz[form], batch * sizeof (double), expected_dz,
                             batch * sizeof (double));
          }

        /* Without dz, the sum stays the same. */
        sums[1] = st_loss_row_quads (activations[f], z, a, t, batch, inverse, error[1], NULL);
        g_assert_cmpmem (&sums[1], sizeof (double), &expected, sizeof (double));
      }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vector/accumulate-forms", test_accumulate_forms);
  g_test_add_func ("/vector/dot-terms-forms", test_dot_terms_forms);
  g_test_add_func ("/vector/dot-zero-sign", test_dot_zero_sign);
  g_test_add_func ("/vector/loss-row-forms", test_loss_row_forms);

  return g_test_run ();
}
