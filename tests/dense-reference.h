/* dense-reference.h: an independent dense implementation to check the engine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gsl/gsl_matrix.h>

#include "st-engine.h"

G_BEGIN_DECLS

/* The gradients of one network on one batch, computed with dense GSL
 * matrices: W as a full rows x cols matrix with zeros off the pattern.
 * weight_grad[l] is the full dense dL/dW, including positions outside
 * the pattern, which the engine must never produce. */
typedef struct
{
  guint n_layers;
  double cost;
  gsl_matrix **weight_grad;  /* rows x cols per layer */
  gsl_vector **bias_grad;    /* rows per layer, NULL without a bias */
  gsl_matrix *input_grad;    /* n_inputs x batch */
} DenseGradients;

DenseGradients *dense_reference_compute (const StNetwork *network,
                                         const double    *x,
                                         const double    *t,
                                         guint            batch);
void            dense_gradients_free    (DenseGradients  *gradients);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DenseGradients, dense_gradients_free)

G_END_DECLS
