/* st-cost-series.c: the cost of every training step, in bounded memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Training can take millions of steps a minute, far more than a plot
 * has pixels.  The series keeps at most max_buckets buckets; bucket i
 * contains the minimum and maximum cost of steps [i * stride + 1,
 * (i + 1) * stride].  When the buckets run out, neighbours are merged in
 * pairs and the stride doubles, so memory stays bounded and no spike is
 * lost: the plot draws each pixel column from min to max.
 */

#define G_LOG_DOMAIN "st-cost-series"

#include "config.h"

#include <math.h>

#include "st-cost-series.h"

struct _StCostSeries
{
  GArray *buckets;        /* StCostBucket */
  guint max_buckets;      /* even, at least 2 */
  guint64 stride;         /* steps per bucket, a power of 2 */
  guint64 n_values;
  double min;
  double max;
  double min_positive;    /* INFINITY while no cost is above 0 */
};

StCostSeries *
st_cost_series_new (guint max_buckets)
{
  StCostSeries *series = g_new0 (StCostSeries, 1);

  series->buckets = g_array_new (FALSE, FALSE, sizeof (StCostBucket));
  series->max_buckets = MAX (2, max_buckets & ~1u);
  st_cost_series_clear (series);

  return series;
}

void
st_cost_series_free (StCostSeries *series)
{
  if (series == NULL)
    return;

  g_array_unref (series->buckets);
  g_free (series);
}

void
st_cost_series_clear (StCostSeries *series)
{
  g_array_set_size (series->buckets, 0);
  series->stride = 1;
  series->n_values = 0;
  series->min = INFINITY;
  series->max = -INFINITY;
  series->min_positive = INFINITY;
}

static void
st_cost_series_merge_pairs (StCostSeries *series)
{
  StCostBucket *buckets = (StCostBucket *) (gpointer) series->buckets->data;
  guint n = series->buckets->len;

  g_assert (n % 2 == 0);

  for (guint i = 0; i < n / 2; i++)
    {
      StCostBucket merged = {
        MIN (buckets[2 * i].min, buckets[2 * i + 1].min),
        MAX (buckets[2 * i].max, buckets[2 * i + 1].max),
      };

      buckets[i] = merged;
    }

  g_array_set_size (series->buckets, n / 2);
  series->stride *= 2;
}

/* Appends the cost of the next step.  Non-finite costs are ignored,
 * because the engine stops training before it would report one. */
void
st_cost_series_append (StCostSeries *series,
                       double        cost)
{
  guint64 index;

  if (!isfinite (cost))
    return;

  index = series->n_values / series->stride;
  if (index == series->buckets->len && series->buckets->len == series->max_buckets)
    {
      st_cost_series_merge_pairs (series);
      index = series->n_values / series->stride;
    }

  if (index == series->buckets->len)
    {
      StCostBucket bucket = { cost, cost };

      g_array_append_val (series->buckets, bucket);
    }
  else
    {
      StCostBucket *bucket = &g_array_index (series->buckets, StCostBucket, index);

      bucket->min = MIN (bucket->min, cost);
      bucket->max = MAX (bucket->max, cost);
    }

  series->n_values++;
  series->min = MIN (series->min, cost);
  series->max = MAX (series->max, cost);
  if (cost > 0.0)
    series->min_positive = MIN (series->min_positive, cost);
}

guint64
st_cost_series_get_n_values (const StCostSeries *series)
{
  return series->n_values;
}

/* Returns: the number of steps that each full bucket covers. */
guint64
st_cost_series_get_stride (const StCostSeries *series)
{
  return series->stride;
}

guint
st_cost_series_get_n_buckets (const StCostSeries *series)
{
  return series->buckets->len;
}

const StCostBucket *
st_cost_series_get_buckets (const StCostSeries *series)
{
  return (const StCostBucket *) (gconstpointer) series->buckets->data;
}

/* Returns: %FALSE when the series is empty. */
gboolean
st_cost_series_get_range (const StCostSeries *series,
                          double             *min,
                          double             *max)
{
  if (series->n_values == 0)
    return FALSE;

  *min = series->min;
  *max = series->max;
  return TRUE;
}

/* Returns: %FALSE when no cost is above 0, which a log axis cannot show. */
gboolean
st_cost_series_get_min_positive (const StCostSeries *series,
                                 double             *min_positive)
{
  if (!isfinite (series->min_positive))
    return FALSE;

  *min_positive = series->min_positive;
  return TRUE;
}

/* Keeps the first @n_values steps.  When buckets hold several steps,
 * the bucket that @n_values falls in keeps the min and max of all its
 * steps, including the dropped ones, until they are overwritten. */
void
st_cost_series_truncate (StCostSeries *series,
                         guint64       n_values)
{
  guint n_buckets;

  if (n_values >= series->n_values)
    return;

  n_buckets = (guint) ((n_values + series->stride - 1) / series->stride);
  g_array_set_size (series->buckets, n_buckets);
  series->n_values = n_values;

  /* Recompute the range from what is left. */
  series->min = INFINITY;
  series->max = -INFINITY;
  series->min_positive = INFINITY;
  for (guint i = 0; i < n_buckets; i++)
    {
      const StCostBucket *bucket = &g_array_index (series->buckets, StCostBucket, i);

      series->min = MIN (series->min, bucket->min);
      series->max = MAX (series->max, bucket->max);
      if (bucket->min > 0.0)
        series->min_positive = MIN (series->min_positive, bucket->min);
      else if (bucket->max > 0.0)
        series->min_positive = MIN (series->min_positive, bucket->max);
    }
}

/* The bucket of step @step (counting from 1): its exact cost when each
 * bucket holds one step.  Returns: %FALSE outside the series. */
gboolean
st_cost_series_get_step (const StCostSeries *series,
                         guint64             step,
                         StCostBucket       *bucket)
{
  guint64 index;

  if (step == 0 || step > series->n_values)
    return FALSE;

  index = (step - 1) / series->stride;
  *bucket = g_array_index (series->buckets, StCostBucket, index);
  return TRUE;
}
