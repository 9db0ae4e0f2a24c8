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
 * @inverse: 1 / (units x batch of the whole output), the mean's factor,
 *   computed once by the caller so that a row costs no division
 * @error: (array): scratch for @batch values; holds a - t afterwards
 * @dz: (array) (nullable): filled with dL/dz of this unit, where
 *   dL/da = (a - t) x @inverse
 *
 * Returns: the sum over the batch of (a - t)^2, in lane order
 */
ST_VECTOR_INLINE double
st_loss_row_inline (StActivation  activation,
                    const double *z,
                    const double *a,
                    const double *t,
                    guint         batch,
                    double        inverse,
                    double       *error,
                    double       *dz)
{
  /* The scratch rows never overlap the inputs, which the compiler cannot
   * know without being told. */
#pragma GCC ivdep
  for (guint b = 0; b < batch; b++)
    error[b] = a[b] - t[b];

  if (dz != NULL)
    {
#pragma GCC ivdep
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
