/* st-cost-series.h: the cost of every training step, in bounded memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _StCostSeries StCostSeries;

/* The smallest and largest cost of a run of consecutive steps. */
typedef struct
{
  double min;
  double max;
} StCostBucket;

StCostSeries       *st_cost_series_new              (guint               max_buckets);
void                st_cost_series_free             (StCostSeries       *series);
void                st_cost_series_clear            (StCostSeries       *series);
void                st_cost_series_append           (StCostSeries       *series,
                                                     double              cost);
guint64             st_cost_series_get_n_values     (const StCostSeries *series);
guint64             st_cost_series_get_stride       (const StCostSeries *series);
guint               st_cost_series_get_n_buckets    (const StCostSeries *series);
const StCostBucket *st_cost_series_get_buckets      (const StCostSeries *series);
gboolean            st_cost_series_get_range        (const StCostSeries *series,
                                                     double             *min,
                                                     double             *max);
gboolean            st_cost_series_get_min_positive (const StCostSeries *series,
                                                     double             *min_positive);
void                st_cost_series_truncate        (StCostSeries       *series,
                                                     guint64             n_values);
gboolean            st_cost_series_get_step        (const StCostSeries *series,
                                                     guint64             step,
                                                     StCostBucket       *bucket);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StCostSeries, st_cost_series_free)

G_END_DECLS
