/* st-loss.c: cost functions and the gradient they start backpropagation with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Half mean squared error is computed row by row, so that the rows can
 * be split over threads: each row gives its sum of squared errors, and
 * the row sums are added in a fixed lane order (st_vector_sum).  The
 * fused training step and the separate passes call the same row function
 * and so give the same bits.
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include <math.h>

#include "st-activation.h"
#include "st-layer-private.h"
#include "st-loss.h"
#include "st-loss-row.h"
#include "st-vector.h"

/* The body lives in st-loss-row.h, so that the fused training step can
 * inline it; this copy serves the separate passes. */
ST_VECTORIZED double
st_loss_squared_error_row (StActivation  activation,
                           const double *z,
                           const double *a,
                           const double *t,
                           guint         batch,
                           double        n_elements,
                           double       *error,
                           double       *dz)
{
  return st_loss_row_inline (activation, z, a, t, batch, 1.0 / n_elements, error, dz);
}

/* log sum_i exp(z_i) over the units of sample @b, shifted by the largest
 * z so that exp() never overflows. */
static double
log_sum_exp (const double *z,
             guint         units,
             guint         batch,
             guint         b)
{
  double largest = -INFINITY;
  double sum = 0.0;

  for (guint i = 0; i < units; i++)
    largest = MAX (largest, z[(gsize) i * batch + b]);

  for (guint i = 0; i < units; i++)
    sum += exp (z[(gsize) i * batch + b] - largest);

  return largest + log (sum);
}

/**
 * st_loss_cost:
 * @row_scratch: (array): scratch for @units values
 * @error_scratch: (array): scratch for @batch values
 *
 * Returns: the cost of one batch.  Half MSE is
 * sum (a - t)^2 / (2 x units x batch).  Softmax cross-entropy is
 * -sum_b sum_i t_i (z_i - log sum_k exp z_k) / batch, computed from the
 * logits so that a probability that rounds to 0 gives a finite cost.
 */
double
st_loss_cost (StLoss        loss,
              const double *z,
              const double *a,
              const double *t,
              guint         units,
              guint         batch,
              double       *row_scratch,
              double       *error_scratch)
{
  double n = (double) units * batch;
  double sum = 0.0;

  switch (loss)
    {
    case ST_LOSS_HALF_MSE:
      for (guint i = 0; i < units; i++)
        {
          gsize row = (gsize) i * batch;

          row_scratch[i] = st_loss_squared_error_row (ST_ACTIVATION_IDENTITY, z + row, a + row,
                                                      t + row, batch, n, error_scratch, NULL);
        }
      return st_vector_sum (row_scratch, units) / (2.0 * n);

    case ST_LOSS_SOFTMAX_CROSS_ENTROPY:
      for (guint b = 0; b < batch; b++)
        {
          double lse = log_sum_exp (z, units, batch, b);

          for (guint i = 0; i < units; i++)
            {
              gsize k = (gsize) i * batch + b;

              if (t[k] != 0.0)
                sum -= t[k] * (z[k] - lse);
            }
        }
      return sum / (double) batch;

    default:
      g_assert_not_reached ();
    }
}

/**
 * st_loss_output_gradient:
 * @da_scratch: (array): units x @batch of scratch space
 * @dz: (array): output dL/dz of the output layer
 *
 * Half MSE: da = (a - t) / (units x batch), then the chain rule through
 * the output activation.  Softmax cross-entropy needs a softmax output;
 * the two derivatives combine into dz_i = (a_i sum_k t_k - t_i) / batch,
 * which is (a - t) / batch for targets that sum to 1.
 */
void
st_loss_output_gradient (StLoss        loss,
                         StActivation  output_activation,
                         const double *z,
                         const double *a,
                         const double *t,
                         guint         units,
                         guint         batch,
                         double       *da_scratch,
                         double       *dz)
{
  gsize n = (gsize) units * batch;

  switch (loss)
    {
    case ST_LOSS_HALF_MSE:
      for (gsize k = 0; k < n; k++)
        da_scratch[k] = (a[k] - t[k]) / (double) n;
      st_activation_backward (output_activation, z, a, da_scratch, dz, units, batch);
      break;

    case ST_LOSS_SOFTMAX_CROSS_ENTROPY:
      g_assert (output_activation == ST_ACTIVATION_SOFTMAX);
      for (guint b = 0; b < batch; b++)
        {
          double target_sum = 0.0;

          for (guint i = 0; i < units; i++)
            target_sum += t[(gsize) i * batch + b];

          for (guint i = 0; i < units; i++)
            {
              gsize k = (gsize) i * batch + b;

              dz[k] = (a[k] * target_sum - t[k]) / (double) batch;
            }
        }
      break;

    default:
      g_assert_not_reached ();
    }
}
