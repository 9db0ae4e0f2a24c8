/* st-loss-row.h: the squared error of one output unit, inline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "st-types.h"
#include "st-vector.h"

G_BEGIN_DECLS

/**
 * st_loss_row_inline:
 * @activation: the output activation; not softmax
 * @z: (array): pre-activations of one output unit, @batch values
 * @a: (array): its activations
 * @t: (array): its targets
 * @batch: samples
 * @n_elements: units x batch of the whole output, the mean's divisor
 * @error: (array): scratch for @batch values; holds a - t afterwards
 * @dz: (array) (nullable): filled with dL/dz of this unit, where
 *   dL/da = (a - t) x (1 / n_elements)
 *
 * Returns: the sum over the batch of (a - t)^2, in lane order
 */
ST_VECTOR_INLINE double
st_loss_row_inline (StActivation  activation,
                    const double *z,
                    const double *a,
                    const double *t,
                    guint         batch,
                    double        n_elements,
                    double       *error,
                    double       *dz)
{
  for (guint b = 0; b < batch; b++)
    error[b] = a[b] - t[b];

  if (dz != NULL)
    {
      /* One division per row, not per element. */
      double inverse = 1.0 / n_elements;

      for (guint b = 0; b < batch; b++)
        dz[b] = error[b] * inverse;

      /* The activation's derivative, element by element, as in
       * st_activation_backward(). */
      switch (activation)
        {
        case ST_ACTIVATION_TANH:
          for (guint b = 0; b < batch; b++)
            dz[b] = dz[b] * (1.0 - a[b] * a[b]);
          break;
        case ST_ACTIVATION_LOGISTIC:
          for (guint b = 0; b < batch; b++)
            dz[b] = dz[b] * a[b] * (1.0 - a[b]);
          break;
        case ST_ACTIVATION_RELU:
          for (guint b = 0; b < batch; b++)
            dz[b] = z[b] > 0.0 ? dz[b] : 0.0;
          break;
        case ST_ACTIVATION_IDENTITY:
          break;
        case ST_ACTIVATION_SOFTMAX:
        default:
          g_assert_not_reached ();
        }
    }

  return st_vector_dot (error, error, batch);
}

G_END_DECLS
