/* st-pattern.h: random sparsity patterns and initial weights
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>

#include "st-types.h"

G_BEGIN_DECLS

StLayer *st_pattern_new_random       (guint      rows,
                                      guint      cols,
                                      double     density,
                                      StLayout   layout,
                                      gsl_rng   *rng,
                                      GError   **error);
void     st_pattern_init_weights     (StLayer   *layer,
                                      gsl_rng   *rng);

G_END_DECLS
