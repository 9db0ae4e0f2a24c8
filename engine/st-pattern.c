/* st-pattern.c: random sparsity patterns and initial weights
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "st-error.h"
#include "st-layer.h"
#include "st-pattern.h"
#include "st-random.h"

static int
compare_positions (const void *a,
                   const void *b)
{
  guint64 first = *(const guint64 *) a;
  guint64 second = *(const guint64 *) b;

  return first < second ? -1 : first > second;
}

/* Sort and drop repeats; returns the new length. */
static gsize
sort_unique (guint64 *positions,
             gsize    n)
{
  gsize kept = 0;

  qsort (positions, n, sizeof (guint64), compare_positions);
  for (gsize k = 0; k < n; k++)
    if (kept == 0 || positions[kept - 1] != positions[k])
      positions[kept++] = positions[k];

  return kept;
}

/* Choose @count distinct positions out of [0, total), uniformly, sorted.
 * Draw the missing number, sort, drop repeats, and repeat until enough;
 * with count <= total / 2 each round leaves at most a quarter missing. */
static guint64 *
choose_positions (guint64  total,
                  gsize    count,
                  gsl_rng *rng)
{
  guint64 *positions = g_new (guint64, MAX (count, 1));
  gsize have = 0;

  while (have < count)
    {
      for (gsize k = have; k < count; k++)
        positions[k] = st_random_uniform_index (rng, total);
      have = sort_unique (positions, count);
    }

  return positions;
}

/**
 * st_pattern_new_random:
 * @rows: outputs
 * @cols: inputs
 * @density: fraction of stored positions, in (0, 1]
 * @layout: the layout of the new layer
 * @rng: the generator that picks positions
 * @error: return location for an error
 *
 * Picks exactly round(density x rows x cols) positions, at least one,
 * uniformly among all rows x cols, without enumerating them unless more
 * than half are stored.  The weights are zero; see
 * st_pattern_init_weights().
 *
 * Returns: (transfer full): the layer, or %NULL with @error set
 */
StLayer *
st_pattern_new_random (guint      rows,
                       guint      cols,
                       double     density,
                       StLayout   layout,
                       gsl_rng   *rng,
                       GError   **error)
{
  guint64 total = (guint64) rows * cols;
  g_autofree guint64 *chosen = NULL;
  g_autofree guint *entry_rows = NULL;
  g_autofree guint *entry_cols = NULL;
  gboolean complement;
  guint64 count;
  gsize nnz;

  if (!(density > 0.0 && density <= 1.0))
    {
      g_set_error (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT,
                   "The density %g is outside (0, 1]; give the fraction of stored "
                   "weights, such as 0.1 for 10 %%", density);
      return NULL;
    }
  if (rows == 0 || cols == 0)
    {
      g_set_error (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT,
                   "A layer needs at least one row and one column, not %u x %u", rows, cols);
      return NULL;
    }

  count = (guint64) floor (density * (double) total + 0.5);
  count = CLAMP (count, 1, total);
  if (count > ST_LAYER_MAX_NNZ)
    {
      g_set_error (error, ST_ERROR, ST_ERROR_TOO_LARGE,
                   "A %u x %u layer at density %g has %" G_GUINT64_FORMAT " stored entries, "
                   "above the limit of %" G_GSIZE_FORMAT "; lower the density",
                   rows, cols, density, count, ST_LAYER_MAX_NNZ);
      return NULL;
    }

  /* For dense patterns, choose the positions to leave out instead. */
  complement = count > total / 2;
  chosen = choose_positions (total, complement ? total - count : count, rng);

  nnz = (gsize) count;
  entry_rows = g_new (guint, nnz);
  entry_cols = g_new (guint, nnz);
  if (complement)
    {
      gsize skip = 0;
      gsize k = 0;

      for (guint64 p = 0; p < total; p++)
        {
          if (skip < total - count && chosen[skip] == p)
            {
              skip++;
              continue;
            }
          entry_rows[k] = (guint) (p / cols);
          entry_cols[k] = (guint) (p % cols);
          k++;
        }
    }
  else
    {
      for (gsize k = 0; k < nnz; k++)
        {
          entry_rows[k] = (guint) (chosen[k] / cols);
          entry_cols[k] = (guint) (chosen[k] % cols);
        }
    }

  return st_layer_new (rows, cols, nnz, entry_rows, entry_cols, NULL, layout, error);
}

/**
 * st_pattern_init_weights:
 * @layer: a layer
 * @rng: the generator that draws the weights
 *
 * Draws each stored weight uniformly from [-s, s) with s = sqrt(3 / n),
 * where n is the number of stored entries in its row, the unit's real
 * fan-in.  The variance is then 1 / n, so a unit's pre-activation keeps
 * the scale of its inputs however sparse the row is.  Weights are drawn
 * in canonical order, so the layout does not change them.  Biases are
 * set to 0.
 */
void
st_pattern_init_weights (StLayer *layer,
                         gsl_rng *rng)
{
  gsize nnz = st_layer_get_nnz (layer);
  guint rows = st_layer_get_rows (layer);
  g_autofree guint *entry_rows = g_new (guint, MAX (nnz, 1));
  g_autofree guint *fan_in = g_new0 (guint, rows);
  g_autofree double *values = g_new (double, MAX (nnz, 1));
  double *bias = st_layer_get_bias (layer);

  st_layer_copy_entries (layer, entry_rows, NULL, NULL, NULL);
  for (gsize c = 0; c < nnz; c++)
    fan_in[entry_rows[c]]++;

  for (gsize c = 0; c < nnz; c++)
    {
      double scale = sqrt (3.0 / (double) fan_in[entry_rows[c]]);

      values[c] = scale * (2.0 * gsl_rng_uniform (rng) - 1.0);
    }
  st_layer_set_canonical_values (layer, values);

  for (guint i = 0; bias != NULL && i < rows; i++)
    bias[i] = 0.0;
}
