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

static StLayer *
generate (const StPatternSpec  *spec,
          guint                 rows,
          guint                 cols,
          guint64               seed,
          GError              **error)
{
  g_autoptr(gsl_rng) rng = st_random_new (seed);

  return st_pattern_generate (spec, rows, cols, ST_LAYOUT_CSR, rng, error);
}

/* Entries of a layer as (row, column) pairs in canonical order. */
static void
get_entries (StLayer  *layer,
             guint   **rows,
             guint   **cols)
{
  gsize nnz = st_layer_get_nnz (layer);

  *rows = g_new (guint, MAX (nnz, 1));
  *cols = g_new (guint, MAX (nnz, 1));
  st_layer_copy_entries (layer, *rows, *cols, NULL, NULL);
}

static void
test_fan_in (void)
{
  StPatternSpec spec;

  st_pattern_spec_init (&spec, ST_PATTERN_FAN_IN);
  spec.fan_in = 5;

  for (guint64 seed = 1; seed <= 3; seed++)
    {
      g_autoptr(StLayer) layer = generate (&spec, 40, 12, seed, NULL);
      g_autofree guint *rows = NULL;
      g_autofree guint *cols = NULL;
      guint per_row[40] = { 0 };

      get_entries (layer, &rows, &cols);
      g_assert_cmpuint (st_layer_get_nnz (layer), ==, 200);
      for (gsize k = 0; k < 200; k++)
        per_row[rows[k]]++;
      for (guint i = 0; i < 40; i++)
        g_assert_cmpuint (per_row[i], ==, 5);
    }
}

/* Square band of half-width 2 over 10 rows: |i - j| <= 2, so rows 0 and
 * 9 have 3 entries, rows 1 and 8 have 4, the other six have 5: 44. */
static void
test_banded (void)
{
  StPatternSpec spec;
  g_autoptr(StLayer) layer = NULL;
  g_autofree guint *rows = NULL;
  g_autofree guint *cols = NULL;
  g_autoptr(StLayer) wide = NULL;
  g_autofree guint *wide_rows = NULL;
  g_autofree guint *wide_cols = NULL;

  st_pattern_spec_init (&spec, ST_PATTERN_BANDED);
  spec.half_width = 2;
  layer = generate (&spec, 10, 10, 1, NULL);
  get_entries (layer, &rows, &cols);

  g_assert_cmpuint (st_layer_get_nnz (layer), ==, 44);
  for (gsize k = 0; k < 44; k++)
    g_assert_cmpint (ABS ((int) rows[k] - (int) cols[k]), <=, 2);

  /* 4 rows over 8 columns: row i is centred on floor((2 i + 1) 8 / 8)
   * = 2 i + 1, so half-width 0 stores (0,1) (1,3) (2,5) (3,7). */
  spec.half_width = 0;
  wide = generate (&spec, 4, 8, 1, NULL);
  get_entries (wide, &wide_rows, &wide_cols);
  g_assert_cmpuint (st_layer_get_nnz (wide), ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpuint (wide_cols[i], ==, 2 * i + 1);
}

/* 6 rows in blocks of 2 over 9 columns: 3 blocks of 2 x 3. */
static void
test_block_diagonal (void)
{
  StPatternSpec spec;
  g_autoptr(StLayer) layer = NULL;
  g_autofree guint *rows = NULL;
  g_autofree guint *cols = NULL;

  st_pattern_spec_init (&spec, ST_PATTERN_BLOCK_DIAGONAL);
  spec.block_size = 2;
  layer = generate (&spec, 6, 9, 1, NULL);
  get_entries (layer, &rows, &cols);

  g_assert_cmpuint (st_layer_get_nnz (layer), ==, 18);
  for (gsize k = 0; k < 18; k++)
    g_assert_cmpuint (rows[k] / 2, ==, cols[k] / 3);
}

static void
test_permutation_and_identity (void)
{
  StPatternSpec spec;

  st_pattern_spec_init (&spec, ST_PATTERN_PERMUTATION);
  for (guint64 seed = 1; seed <= 3; seed++)
    {
      g_autoptr(StLayer) layer = generate (&spec, 20, 20, seed, NULL);
      g_autofree guint *rows = NULL;
      g_autofree guint *cols = NULL;
      gboolean column_used[20] = { FALSE };

      get_entries (layer, &rows, &cols);
      g_assert_cmpuint (st_layer_get_nnz (layer), ==, 20);
      for (guint k = 0; k < 20; k++)
        {
          g_assert_cmpuint (rows[k], ==, k);
          g_assert_false (column_used[cols[k]]);
          column_used[cols[k]] = TRUE;
        }
    }

  st_pattern_spec_init (&spec, ST_PATTERN_IDENTITY);
  {
    g_autoptr(StLayer) layer = generate (&spec, 3, 5, 1, NULL);
    g_autofree guint *rows = NULL;
    g_autofree guint *cols = NULL;

    get_entries (layer, &rows, &cols);
    g_assert_cmpuint (st_layer_get_nnz (layer), ==, 3);
    for (guint k = 0; k < 3; k++)
      g_assert_cmpuint (cols[k], ==, rows[k]);
  }
}

/* Local fields over a 4 x 5 image, 2 x 2 windows at stride 2, 3 maps:
 * out_h = (4 - 2) / 2 + 1 = 2, out_w = (5 - 2) / 2 + 1 = 2, so 12
 * outputs of 4 entries.  Output row 7 is map 1, position (1, 1): pixels
 * (2..3, 2..3), columns 2*5+2=12, 13, 17, 18. */
static void
test_local_fields (void)
{
  StPatternSpec spec;
  g_autoptr(StLayer) layer = NULL;
  g_autofree guint *rows = NULL;
  g_autofree guint *cols = NULL;
  const guint expected[] = { 12, 13, 17, 18 };
  guint rows_needed;
  guint cols_needed;

  st_pattern_spec_init (&spec, ST_PATTERN_LOCAL);
  spec.image_height = 4;
  spec.image_width = 5;
  spec.window = 2;
  spec.stride = 2;
  spec.maps = 3;

  g_assert_true (st_pattern_get_fixed_shape (&spec, &rows_needed, &cols_needed));
  g_assert_cmpuint (rows_needed, ==, 12);
  g_assert_cmpuint (cols_needed, ==, 20);

  layer = generate (&spec, 12, 20, 1, NULL);
  get_entries (layer, &rows, &cols);
  g_assert_cmpuint (st_layer_get_nnz (layer), ==, 48);
  g_assert_cmpmem (cols + 7 * 4, sizeof expected, expected, sizeof expected);
}

static void
test_full (void)
{
  StPatternSpec spec;
  g_autoptr(StLayer) layer = NULL;

  st_pattern_spec_init (&spec, ST_PATTERN_FULL);
  layer = generate (&spec, 3, 7, 1, NULL);
  g_assert_cmpuint (st_layer_get_nnz (layer), ==, 21);
}

typedef struct
{
  const char *name;
  StPatternKind kind;
  guint rows;
  guint cols;
  const char *message_part;
} BadSpec;

static const BadSpec bad_specs[] = {
  { "fan-in-too-large", ST_PATTERN_FAN_IN, 4, 3, "outside 1..3" },
  { "band-too-wide", ST_PATTERN_BANDED, 4, 3, "covers all 3 columns" },
  { "block-not-dividing", ST_PATTERN_BLOCK_DIAGONAL, 7, 7, "does not divide the 7 rows" },
  { "permutation-not-square", ST_PATTERN_PERMUTATION, 3, 4, "square" },
  { "local-wrong-shape", ST_PATTERN_LOCAL, 10, 64, "need 36 outputs and 64 inputs" },
  { "uniform-zero-density", ST_PATTERN_UNIFORM, 4, 4, "outside (0, 1]" },
};

static void
test_bad_spec (gconstpointer data)
{
  const BadSpec *bad = data;
  StPatternSpec spec;
  g_autoptr(GError) error = NULL;
  StLayer *layer;

  st_pattern_spec_init (&spec, bad->kind);
  spec.fan_in = 4;
  spec.half_width = 3;
  spec.block_size = 2;
  spec.density = 0.0;

  layer = generate (&spec, bad->rows, bad->cols, 1, &error);
  g_assert_null (layer);
  g_assert_error (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT);
  if (strstr (error->message, bad->message_part) == NULL)
    g_error ("“%s” does not contain “%s”", error->message, bad->message_part);
}

/* Xavier and He scale by the stored fan-in and fan-out: in a layer where
 * every row has 4 entries and every column 2, Xavier-uniform draws from
 * [-sqrt(6/6), sqrt(6/6)) = [-1, 1) and He-uniform from
 * [-sqrt(6/4), sqrt(6/4)). */
static void
test_init_bounds (void)
{
  StPatternSpec spec;
  g_autoptr(gsl_rng) rng = st_random_new (4);
  g_autoptr(StLayer) layer = NULL;
  double values[40];
  double largest;

  st_pattern_spec_init (&spec, ST_PATTERN_BLOCK_DIAGONAL);
  spec.block_size = 2;
  layer = generate (&spec, 10, 20, 1, NULL);
  g_assert_cmpuint (st_layer_get_nnz (layer), ==, 40);

  st_init_weights (layer, ST_INIT_XAVIER_UNIFORM, rng);
  st_layer_copy_entries (layer, NULL, NULL, values, NULL);
  largest = 0.0;
  for (guint k = 0; k < 40; k++)
    largest = MAX (largest, fabs (values[k]));
  g_assert_cmpfloat (largest, <=, 1.0);
  g_assert_cmpfloat (largest, >, 0.5);

  st_init_weights (layer, ST_INIT_HE_UNIFORM, rng);
  st_layer_copy_entries (layer, NULL, NULL, values, NULL);
  largest = 0.0;
  for (guint k = 0; k < 40; k++)
    largest = MAX (largest, fabs (values[k]));
  g_assert_cmpfloat (largest, <=, sqrt (1.5));
  g_assert_cmpfloat (largest, >, 1.0);
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
  g_test_add_func ("/engine/pattern/fan-in", test_fan_in);
  g_test_add_func ("/engine/pattern/banded", test_banded);
  g_test_add_func ("/engine/pattern/block-diagonal", test_block_diagonal);
  g_test_add_func ("/engine/pattern/permutation-and-identity", test_permutation_and_identity);
  g_test_add_func ("/engine/pattern/local-fields", test_local_fields);
  g_test_add_func ("/engine/pattern/full", test_full);
  g_test_add_func ("/engine/pattern/init-bounds", test_init_bounds);
  for (guint k = 0; k < G_N_ELEMENTS (bad_specs); k++)
    {
      g_autofree char *path = g_strdup_printf ("/engine/pattern/reject/%s", bad_specs[k].name);

      g_test_add_data_func (path, &bad_specs[k], test_bad_spec);
    }

  return g_test_run ();
}
