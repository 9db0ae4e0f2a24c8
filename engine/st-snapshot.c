/* st-snapshot.c: an immutable copy of the training state for display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include <string.h>

#include "st-layer.h"
#include "st-network.h"
#include "st-snapshot.h"

struct _StSnapshot
{
  guint64 step;
  guint epoch;
  double batch_cost;
  guint n_layers;
  gsize *nnz;        /* per layer */
  double **values;   /* per layer, canonical order */
  double **gradient; /* per layer, canonical order: dL/dW of the last batch */
  double **change;   /* per layer, canonical order, or NULL unless recorded */
  double **bias;     /* per layer, NULL without a bias */
};

static void
snapshot_clear (StSnapshot *snapshot)
{
  for (guint l = 0; l < snapshot->n_layers; l++)
    {
      g_free (snapshot->values[l]);
      g_free (snapshot->gradient[l]);
      g_free (snapshot->change[l]);
      g_free (snapshot->bias[l]);
    }
  g_free (snapshot->values);
  g_free (snapshot->gradient);
  g_free (snapshot->change);
  g_free (snapshot->bias);
  g_free (snapshot->nnz);
}

/**
 * st_snapshot_new_from_network:
 * @network: the network, used only during the call
 * @step: training steps taken
 * @epoch: epochs completed
 * @batch_cost: the cost of the last batch, or NaN before the first step
 *
 * Copies every weight, its last gradient and, when the network records
 * updates, its last change, all in canonical order, and every bias.
 * Costs O(total nnz) time and memory.
 *
 * Returns: (transfer full): the snapshot
 */
StSnapshot *
st_snapshot_new_from_network (const StNetwork *network,
                              guint64          step,
                              guint            epoch,
                              double           batch_cost)
{
  StSnapshot *snapshot = g_atomic_rc_box_new0 (StSnapshot);
  guint n_layers = st_network_get_n_layers (network);

  snapshot->step = step;
  snapshot->epoch = epoch;
  snapshot->batch_cost = batch_cost;
  snapshot->n_layers = n_layers;
  snapshot->nnz = g_new (gsize, n_layers);
  snapshot->values = g_new0 (double *, n_layers);
  snapshot->gradient = g_new0 (double *, n_layers);
  snapshot->change = g_new0 (double *, n_layers);
  snapshot->bias = g_new0 (double *, n_layers);

  for (guint l = 0; l < n_layers; l++)
    {
      StLayer *layer = st_network_get_layer (network, l);
      gsize nnz = st_layer_get_nnz (layer);

      snapshot->nnz[l] = nnz;
      snapshot->values[l] = g_new (double, MAX (nnz, 1));
      snapshot->gradient[l] = g_new (double, MAX (nnz, 1));
      st_layer_copy_entries (layer, NULL, NULL, snapshot->values[l], snapshot->gradient[l]);

      if (st_layer_get_last_update (layer) != NULL)
        {
          snapshot->change[l] = g_new (double, MAX (nnz, 1));
          st_layer_copy_canonical (layer, st_layer_get_last_update (layer), snapshot->change[l]);
        }

      if (st_layer_has_bias (layer))
        snapshot->bias[l] = g_memdup2 (st_layer_get_bias (layer),
                                       sizeof (double) * st_layer_get_rows (layer));
    }

  return snapshot;
}

StSnapshot *
st_snapshot_ref (StSnapshot *snapshot)
{
  return g_atomic_rc_box_acquire (snapshot);
}

void
st_snapshot_unref (StSnapshot *snapshot)
{
  if (snapshot != NULL)
    g_atomic_rc_box_release_full (snapshot, (GDestroyNotify) snapshot_clear);
}

guint64
st_snapshot_get_step (const StSnapshot *snapshot)
{
  return snapshot->step;
}

guint
st_snapshot_get_epoch (const StSnapshot *snapshot)
{
  return snapshot->epoch;
}

/* Returns: the cost of the last training batch, or NaN before any step. */
double
st_snapshot_get_batch_cost (const StSnapshot *snapshot)
{
  return snapshot->batch_cost;
}

guint
st_snapshot_get_n_layers (const StSnapshot *snapshot)
{
  return snapshot->n_layers;
}

gsize
st_snapshot_get_nnz (const StSnapshot *snapshot,
                     guint             layer)
{
  g_return_val_if_fail (layer < snapshot->n_layers, 0);

  return snapshot->nnz[layer];
}

/* Returns: (transfer none): the weights of @layer in canonical order. */
const double *
st_snapshot_get_values (const StSnapshot *snapshot,
                        guint             layer)
{
  g_return_val_if_fail (layer < snapshot->n_layers, NULL);

  return snapshot->values[layer];
}

/* Returns: (transfer none): dL/dW of @layer for the last batch, in
 * canonical order; zeros before the first step. */
const double *
st_snapshot_get_gradient (const StSnapshot *snapshot,
                          guint             layer)
{
  g_return_val_if_fail (layer < snapshot->n_layers, NULL);

  return snapshot->gradient[layer];
}

/* Returns: (transfer none) (nullable): the change of each weight of
 * @layer in the last update, in canonical order, or %NULL unless the
 * network records updates (st_network_set_record_updates()). */
const double *
st_snapshot_get_last_update (const StSnapshot *snapshot,
                             guint             layer)
{
  g_return_val_if_fail (layer < snapshot->n_layers, NULL);

  return snapshot->change[layer];
}

/* Returns: (transfer none) (nullable): the bias of @layer. */
const double *
st_snapshot_get_bias (const StSnapshot *snapshot,
                      guint             layer)
{
  g_return_val_if_fail (layer < snapshot->n_layers, NULL);

  return snapshot->bias[layer];
}
