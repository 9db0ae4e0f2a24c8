/* test-cost-series.c: the bounded store of per-step costs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "st-cost-series.h"

static void
test_keeps_every_step_until_full (void)
{
  g_autoptr(StCostSeries) series = st_cost_series_new (8);
  const StCostBucket *buckets;
  double min, max;

  for (guint i = 1; i <= 8; i++)
    st_cost_series_append (series, i);

  g_assert_cmpuint (st_cost_series_get_n_values (series), ==, 8);
  g_assert_cmpuint (st_cost_series_get_stride (series), ==, 1);
  g_assert_cmpuint (st_cost_series_get_n_buckets (series), ==, 8);

  buckets = st_cost_series_get_buckets (series);
  for (guint i = 0; i < 8; i++)
    {
      g_assert_cmpfloat (buckets[i].min, ==, i + 1);
      g_assert_cmpfloat (buckets[i].max, ==, i + 1);
    }

  g_assert_true (st_cost_series_get_range (series, &min, &max));
  g_assert_cmpfloat (min, ==, 1);
  g_assert_cmpfloat (max, ==, 8);
}

static void
test_merges_in_pairs (void)
{
  g_autoptr(StCostSeries) series = st_cost_series_new (8);
  const StCostBucket *buckets;

  /* The ninth value merges 8 buckets into 4 of stride 2. */
  for (guint i = 1; i <= 9; i++)
    st_cost_series_append (series, i);

  g_assert_cmpuint (st_cost_series_get_stride (series), ==, 2);
  g_assert_cmpuint (st_cost_series_get_n_buckets (series), ==, 5);

  buckets = st_cost_series_get_buckets (series);
  g_assert_cmpfloat (buckets[0].min, ==, 1);
  g_assert_cmpfloat (buckets[0].max, ==, 2);
  g_assert_cmpfloat (buckets[3].min, ==, 7);
  g_assert_cmpfloat (buckets[3].max, ==, 8);
  g_assert_cmpfloat (buckets[4].min, ==, 9);
  g_assert_cmpfloat (buckets[4].max, ==, 9);
}

static void
test_bounded_and_keeps_spikes (void)
{
  g_autoptr(StCostSeries) series = st_cost_series_new (64);
  const StCostBucket *buckets;
  double spike_max = 0.0;
  double min_positive;

  /* One million steps of cost 1 with a single spike and a single 0. */
  for (guint i = 0; i < 1000000; i++)
    {
      double cost = 1.0;

      if (i == 123457)
        cost = 50.0;
      else if (i == 777)
        cost = 0.0;

      st_cost_series_append (series, cost);
    }

  g_assert_cmpuint (st_cost_series_get_n_values (series), ==, 1000000);
  g_assert_cmpuint (st_cost_series_get_n_buckets (series), <=, 64);

  buckets = st_cost_series_get_buckets (series);
  for (guint i = 0; i < st_cost_series_get_n_buckets (series); i++)
    spike_max = MAX (spike_max, buckets[i].max);
  g_assert_cmpfloat (spike_max, ==, 50.0);

  g_assert_true (st_cost_series_get_min_positive (series, &min_positive));
  g_assert_cmpfloat (min_positive, ==, 1.0);
}

static void
test_ignores_non_finite (void)
{
  g_autoptr(StCostSeries) series = st_cost_series_new (8);
  double min, max, min_positive;

  st_cost_series_append (series, NAN);
  st_cost_series_append (series, INFINITY);
  g_assert_cmpuint (st_cost_series_get_n_values (series), ==, 0);
  g_assert_false (st_cost_series_get_range (series, &min, &max));

  st_cost_series_append (series, 0.0);
  g_assert_true (st_cost_series_get_range (series, &min, &max));
  g_assert_false (st_cost_series_get_min_positive (series, &min_positive));

  st_cost_series_clear (series);
  g_assert_cmpuint (st_cost_series_get_n_values (series), ==, 0);
  g_assert_cmpuint (st_cost_series_get_n_buckets (series), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui/cost-series/keeps-every-step-until-full", test_keeps_every_step_until_full);
  g_test_add_func ("/ui/cost-series/merges-in-pairs", test_merges_in_pairs);
  g_test_add_func ("/ui/cost-series/bounded-and-keeps-spikes", test_bounded_and_keeps_spikes);
  g_test_add_func ("/ui/cost-series/ignores-non-finite", test_ignores_non_finite);

  return g_test_run ();
}
