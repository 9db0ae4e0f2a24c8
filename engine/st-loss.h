/* st-loss.h: cost functions and the gradient they start backpropagation with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "st-types.h"

G_BEGIN_DECLS

/* All arrays are units x batch, feature-major: v[i * batch + b].
 * @z is the output layer's pre-activation, @a its activation and @t the
 * target. */

double st_loss_squared_error_row (StActivation  activation,
                                  const double *z,
                                  const double *a,
                                  const double *t,
                                  guint         batch,
                                  double        n_elements,
                                  double       *error,
                                  double       *dz);
double st_loss_cost              (StLoss        loss,
                                  const double *z,
                                  const double *a,
                                  const double *t,
                                  guint         units,
                                  guint         batch,
                                  double       *row_scratch,
                                  double       *error_scratch);
void   st_loss_output_gradient   (StLoss        loss,
                                  StActivation  output_activation,
                                  const double *z,
                                  const double *a,
                                  const double *t,
                                  guint         units,
                                  guint         batch,
                                  double       *da_scratch,
                                  double       *dz);

G_END_DECLS
