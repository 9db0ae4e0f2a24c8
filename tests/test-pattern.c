/* test-pattern.c: random patterns and initial weights
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "st-engine.h"

typedef struct
{
  guint rows;
  guint cols;
  double density;
  gsize expected_nnz;  /* round(density x rows x cols), at least 1 */
} PatternCase;

static const PatternCase cases[] = {
  { 10, 10, 0.3, 30 },
  { 64, 128, 0.25, 2048 },
  { 7, 3, 1.0, 21 },
  { 5, 5, 0.9, 23 },          /* 22.5 rounds to 23; drawn as the 2 left out */
  { 100, 100, 0.00001, 1 },   /* 0.1 rounds to 0, raised to one entry */
  { 1024, 1024, 0.05, 52429 },
};

/* Stored-entry count, bounds, strictly increasing canonical order (so no
 * duplicates), and the same pattern again for the same seed. */
static void
test_random_pattern (gconstpointer data)
{
  const PatternCase *test_case = data;

  for (guint64 seed = 1; seed <= 3; seed++)
    {
      g_autoptr(gsl_rng) rng = st_random_new (seed);
      g_autoptr(gsl_rng) rng_again = st_random_new (seed);
      g_autoptr(GError) error = NULL;
      g_autoptr(StLayer) layer = st_pattern_new_random (test_case->rows, test_case->cols,
                                                        test_case->density, ST_LAYOUT_CSR,
                                                        rng, &error);
      g_autoptr(StLayer) again = st_pattern_new_random (test_case->rows, test_case->cols,
                                                        test_case->density, ST_LAYOUT_COO,
                                                        rng_again, &error);
      gsize nnz;
      g_autofree guint *rows = NULL;
      g_autofree guint *cols = NULL;
      g_autofree guint *rows_again = NULL;
      g_autofree guint *cols_again = NULL;

      g_assert_no_error (error);
      nnz = st_layer_get_nnz (layer);
      g_assert_cmpuint (nnz, ==, test_case->expected_nnz);
      g_assert_cmpuint (st_layer_get_nnz (again), ==, nnz);

      rows = g_new (guint, nnz);
      cols = g_new (guint, nnz);
      rows_again = g_new (guint, nnz);
      cols_again = g_new (guint, nnz);
      st_layer_copy_entries (layer, rows, cols, NULL, NULL);
      st_layer_copy_entries (again, rows_again, cols_again, NULL, NULL);

      for (gsize k = 0; k < nnz; k++)
        {
          guint64 position = (guint64) rows[k] * test_case->cols + cols[k];

          g_assert_cmpuint (rows[k], <, test_case->rows);
          g_assert_cmpuint (cols[k], <, test_case->cols);
          if (k > 0)
            g_assert_cmpuint (position, >, (guint64) rows[k - 1] * test_case->cols + cols[k - 1]);
        }
      g_assert_cmpmem (rows, nnz * sizeof (guint), rows_again, nnz * sizeof (guint));
      g_assert_cmpmem (cols, nnz * sizeof (guint), cols_again, nnz * sizeof (guint));
    }
}

static void
test_seeds_differ (void)
{
  g_autoptr(gsl_rng) first = st_random_new (1);
  g_autoptr(gsl_rng) second = st_random_new (2);
  g_autoptr(StLayer) a = st_pattern_new_random (50, 50, 0.1, ST_LAYOUT_CSR, first, NULL);
  g_autoptr(StLayer) b = st_pattern_new_random (50, 50, 0.1, ST_LAYOUT_CSR, second, NULL);
  guint cols_a[250];
  guint cols_b[250];

  st_layer_copy_entries (a, NULL, cols_a, NULL, NULL);
  st_layer_copy_entries (b, NULL, cols_b, NULL, NULL);
  g_assert_true (memcmp (cols_a, cols_b, sizeof cols_a) != 0);
}

static void
test_invalid_density (void)
{
  const double densities[] = { 0.0, -0.5, 1.5, NAN };

  for (guint k = 0; k < G_N_ELEMENTS (densities); k++)
    {
      g_autoptr(gsl_rng) rng = st_random_new (1);
      g_autoptr(GError) error = NULL;
      StLayer *layer = st_pattern_new_random (4, 4, densities[k], ST_LAYOUT_CSR, rng, &error);

      g_assert_null (layer);
      g_assert_error (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT);
    }
}

/* A 65536 x 65536 layer at 0.01 % density: 429497 entries, built
 * without enumerating the 2^32 positions. */
static void
test_huge_layer (void)
{
  g_autoptr(gsl_rng) rng = st_random_new (7);
  g_autoptr(GError) error = NULL;
  g_autoptr(StLayer) layer = st_pattern_new_random (65536, 65536, 0.0001, ST_LAYOUT_CSR, rng,
                                                    &error);

  g_assert_no_error (error);
  g_assert_cmpuint (st_layer_get_nnz (layer), ==, 429497);
}

/* Each weight lies in [-s, s) with s = sqrt(3 / fan-in of its row), the
 * sample variance is near 1 / fan-in, and the bias starts at 0. */
static void
test_initial_weights (void)
{
  g_autoptr(gsl_rng) rng = st_random_new (3);
  g_autoptr(StLayer) layer = st_pattern_new_random (200, 400, 0.1, ST_LAYOUT_CSC, rng, NULL);
  gsize nnz = st_layer_get_nnz (layer);
  g_autofree guint *rows = g_new (guint, nnz);
  g_autofree double *values = g_new (double, nnz);
  guint fan_in[200] = { 0 };
  double scaled_square_sum = 0.0;

  g_assert_true (st_layer_set_has_bias (layer, TRUE, NULL));
  st_layer_get_bias (layer)[0] = 5.0;
  st_pattern_init_weights (layer, rng);

  st_layer_copy_entries (layer, rows, NULL, values, NULL);
  for (gsize k = 0; k < nnz; k++)
    fan_in[rows[k]]++;

  for (gsize k = 0; k < nnz; k++)
    {
      double bound = sqrt (3.0 / fan_in[rows[k]]);

      g_assert_cmpfloat (fabs (values[k]), <=, bound);
      scaled_square_sum += values[k] * values[k] * fan_in[rows[k]];
    }

  /* E[w^2 n] = 1; with 8000 draws the mean is within a few percent. */
  g_assert_cmpfloat (fabs (scaled_square_sum / nnz - 1.0), <, 0.05);
  g_assert_cmpfloat (st_layer_get_bias (layer)[0], ==, 0.0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autofree char *path = g_strdup_printf ("/engine/pattern/random/%ux%u-%g",
                                               cases[k].rows, cases[k].cols, cases[k].density);

      g_test_add_data_func (path, &cases[k], test_random_pattern);
    }
  g_test_add_func ("/engine/pattern/seeds-differ", test_seeds_differ);
  g_test_add_func ("/engine/pattern/invalid-density", test_invalid_density);
  g_test_add_func ("/engine/pattern/huge-layer", test_huge_layer);
  g_test_add_func ("/engine/pattern/initial-weights", test_initial_weights);

  return g_test_run ();
}
