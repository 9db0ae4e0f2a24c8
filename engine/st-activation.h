/* st-activation.h: activation functions and their derivatives over a batch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "st-types.h"

G_BEGIN_DECLS

/* All arrays are units x batch, feature-major: v[i * batch + b]. */

guint st_activation_get_cost (StActivation activation);

void st_activation_forward  (StActivation  activation,
                             const double *z,
                             double       *a,
                             guint         units,
                             guint         batch);
void st_activation_backward (StActivation  activation,
                             const double *z,
                             const double *a,
                             const double *da,
                             double       *dz,
                             guint         units,
                             guint         batch);

G_END_DECLS
