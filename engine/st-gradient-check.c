/* st-gradient-check.c: the engine's gradient against finite differences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include <float.h>
#include <math.h>

#include "st-error.h"
#include "st-gradient-check.h"
#include "st-layer.h"
#include "st-network.h"

/* Relative step of the central difference: h = 1e-6 max (1, |w|).  The
 * truncation error is O(h^2) and the rounding error O(eps / h), both far
 * below the 1e-6 a correct gradient reaches. */
#define RELATIVE_STEP 1e-6

/* The smallest gradient that the central difference resolves, for a
 * cost whose terms are of order 1: the rounding of each cost, about
 * eps, divided by the step.  Near a minimum both the gradient and the
 * difference fall below it, and their relative error means nothing:
 * 0 against -4.4e-16 on the trained worked example. */
#define RESOLVED_GRADIENT (DBL_EPSILON / RELATIVE_STEP)

static gboolean
cost_at (StNetwork     *network,
         const double  *x,
         const double  *t,
         guint          batch,
         double        *cost,
         GError       **error)
{
  return st_network_compute_cost (network, x, t, batch, cost, error);
}

static gboolean
check_layer (StNetwork        *network,
             StLayer          *layer,
             const double     *x,
             const double     *t,
             guint             batch,
             gsize             max_entries,
             StGradientCheck  *result,
             GCancellable     *cancellable,
             GError          **error)
{
  gsize nnz = st_layer_get_nnz (layer);
  const double *gradient = st_layer_get_weight_gradient (layer);
  double *w = st_layer_get_values (layer);
  gsize n_checked = MIN (nnz, max_entries);
  double largest = 0.0;
  double floor_value;

  for (gsize k = 0; k < nnz; k++)
    largest = MAX (largest, fabs (gradient[k]));
  floor_value = MAX (1e-7 * largest, RESOLVED_GRADIENT);

  *result = (StGradientCheck) { .n_checked = n_checked };

  for (gsize s = 0; s < n_checked; s++)
    {
      /* An even sample of the positions when there are too many. */
      gsize k = n_checked == nnz ? s : s * nnz / n_checked;
      double saved = w[k];
      double h = RELATIVE_STEP * MAX (1.0, fabs (saved));
      double plus;
      double minus;
      double numeric;
      double relative;
      gboolean ok;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      w[k] = saved + h;
      ok = cost_at (network, x, t, batch, &plus, error);
      w[k] = saved - h;
      ok = ok && cost_at (network, x, t, batch, &minus, error);
      w[k] = saved;
      if (!ok)
        return FALSE;

      numeric = (plus - minus) / (2.0 * h);
      relative = fabs (gradient[k] - numeric) /
                 MAX (MAX (fabs (gradient[k]), fabs (numeric)), floor_value);

      if (s == 0 || relative > result->max_error)
        {
          result->max_error = relative;
          result->analytic = gradient[k];
          result->numeric = numeric;
          st_layer_get_entry (layer, k, &result->row, &result->col);
        }
    }

  return TRUE;
}

/**
 * st_network_check_gradients:
 * @network: a valid network
 * @x: (array): inputs, n_inputs x @batch
 * @t: (array): targets, n_outputs x @batch
 * @batch: samples
 * @max_entries: at most this many entries per layer, spread evenly, are
 *   compared; each costs two forward passes
 * @results: (array) (out caller-allocates): one result per layer
 * @cancellable: (nullable): stops the check between entries
 * @error: return location for an error
 *
 * Computes the gradient on the batch by backpropagation, then compares
 * it entry by entry with central differences of the cost.  Every weight
 * is back at its bit-exact value afterwards.  A correct gradient gives
 * relative errors around 1e-8 or below; anything above 1e-5 is a bug.
 *
 * Returns: %FALSE with @error set when cancelled or memory runs out
 */
gboolean
st_network_check_gradients (StNetwork        *network,
                            const double     *x,
                            const double     *t,
                            guint             batch,
                            gsize             max_entries,
                            StGradientCheck  *results,
                            GCancellable     *cancellable,
                            GError          **error)
{
  if (!st_network_compute_gradients (network, x, t, batch, NULL, error))
    return FALSE;

  for (guint l = 0; l < st_network_get_n_layers (network); l++)
    if (!check_layer (network, st_network_get_layer (network, l), x, t, batch, max_entries,
                      &results[l], cancellable, error))
      return FALSE;

  return TRUE;
}
