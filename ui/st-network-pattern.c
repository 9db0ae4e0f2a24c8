/* st-network-pattern.c: the patterns of a network's layers, frozen
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The history timeline keeps, with every snapshot, the pattern it
 * belongs to, because an edit changes the pattern while older snapshots
 * keep the old one.  Patterns are shared by reference between all
 * snapshots of the same pattern.
 */

#define G_LOG_DOMAIN "st-window"

#include "config.h"

#include "st-network-pattern.h"

struct _StNetworkPattern
{
  gatomicrefcount ref_count;
  guint n_layers;
  StLayerPattern *layers;
};

/**
 * st_network_pattern_new:
 * @network: a network
 *
 * Copies the positions of every layer's stored entries and their
 * current weights, which become the start values.
 *
 * Returns: (transfer full): a new pattern
 */
StNetworkPattern *
st_network_pattern_new (const StNetwork *network)
{
  StNetworkPattern *pattern = g_new0 (StNetworkPattern, 1);

  g_atomic_ref_count_init (&pattern->ref_count);
  pattern->n_layers = st_network_get_n_layers (network);
  pattern->layers = g_new0 (StLayerPattern, MAX (pattern->n_layers, 1));

  for (guint l = 0; l < pattern->n_layers; l++)
    {
      StLayer *layer = st_network_get_layer (network, l);
      StLayerPattern *lp = &pattern->layers[l];

      lp->rows = st_layer_get_rows (layer);
      lp->cols = st_layer_get_cols (layer);
      lp->nnz = st_layer_get_nnz (layer);
      lp->layout = st_layer_get_layout (layer);
      lp->entry_rows = g_new (guint, MAX (lp->nnz, 1));
      lp->entry_cols = g_new (guint, MAX (lp->nnz, 1));
      lp->start_values = g_new (double, MAX (lp->nnz, 1));
      st_layer_copy_entries (layer, lp->entry_rows, lp->entry_cols, lp->start_values, NULL);
    }

  return pattern;
}

StNetworkPattern *
st_network_pattern_ref (StNetworkPattern *pattern)
{
  g_return_val_if_fail (pattern != NULL, NULL);

  g_atomic_ref_count_inc (&pattern->ref_count);
  return pattern;
}

void
st_network_pattern_unref (StNetworkPattern *pattern)
{
  if (pattern == NULL || !g_atomic_ref_count_dec (&pattern->ref_count))
    return;

  for (guint l = 0; l < pattern->n_layers; l++)
    {
      g_free (pattern->layers[l].entry_rows);
      g_free (pattern->layers[l].entry_cols);
      g_free (pattern->layers[l].start_values);
    }
  g_free (pattern->layers);
  g_free (pattern);
}

guint
st_network_pattern_get_n_layers (const StNetworkPattern *pattern)
{
  return pattern->n_layers;
}

const StLayerPattern *
st_network_pattern_get_layer (const StNetworkPattern *pattern,
                              guint                   layer)
{
  g_return_val_if_fail (layer < pattern->n_layers, NULL);

  return &pattern->layers[layer];
}

/* Fills @fan_in with the fewest, mean and most stored entries per row. */
void
st_layer_pattern_get_fan_in (const StLayerPattern *layer,
                             StFanIn              *fan_in)
{
  guint count = 0;
  guint min = G_MAXUINT;
  guint max = 0;
  gsize k = 0;

  for (guint row = 0; row < layer->rows; row++)
    {
      count = 0;
      while (k < layer->nnz && layer->entry_rows[k] == row)
        count++, k++;

      min = MIN (min, count);
      max = MAX (max, count);
    }

  fan_in->min = layer->rows > 0 ? min : 0;
  fan_in->max = max;
  fan_in->mean = layer->rows > 0 ? (double) layer->nnz / layer->rows : 0.0;
}

/* Returns: stored entries over rows x cols, in 0..1. */
double
st_layer_pattern_get_density (const StLayerPattern *layer)
{
  double positions = (double) layer->rows * layer->cols;

  return positions > 0 ? layer->nnz / positions : 0.0;
}
