/* st-network-pattern.h: the patterns of a network's layers, frozen
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "st-engine.h"

G_BEGIN_DECLS

/* One layer's stored positions in canonical order, with each entry's
 * weight at the start of training. */
typedef struct
{
  guint rows;
  guint cols;
  gsize nnz;
  guint *entry_rows;
  guint *entry_cols;
  double *start_values;
  StLayout layout;
} StLayerPattern;

/* Fan-in statistics: stored entries per row. */
typedef struct
{
  guint min;
  double mean;
  guint max;
} StFanIn;

typedef struct _StNetworkPattern StNetworkPattern;

StNetworkPattern     *st_network_pattern_new       (const StNetwork        *network);
StNetworkPattern     *st_network_pattern_ref       (StNetworkPattern       *pattern);
void                  st_network_pattern_unref     (StNetworkPattern       *pattern);
guint                 st_network_pattern_get_n_layers (const StNetworkPattern *pattern);
const StLayerPattern *st_network_pattern_get_layer (const StNetworkPattern *pattern,
                                                    guint                   layer);
void                  st_layer_pattern_get_fan_in  (const StLayerPattern   *layer,
                                                    StFanIn                *fan_in);
double                st_layer_pattern_get_density (const StLayerPattern   *layer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StNetworkPattern, st_network_pattern_unref)

G_END_DECLS
