/* st-layer-private.h: layer internals shared by the engine and its tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stddef.h>  /* gsl_spmatrix.h uses size_t without including it */
#include <gsl/gsl_spmatrix.h>

#include "st-layer.h"

G_BEGIN_DECLS

struct _StLayer
{
  /* The pattern and its values in the current layout.  GSL's meaning of
   * the arrays: CSR p[] holds row starts and i[] column indices; CSC p[]
   * holds column starts and i[] row indices; COO i[] holds rows and p[]
   * columns, one per entry.  COO entries are kept in canonical order. */
  gsl_spmatrix *weights;

  /* dL/dW for the last batch, parallel to weights->data. */
  double *weight_grad;

  /* Bias and dL/db, one per row; both NULL when the layer has no bias. */
  double *bias;
  double *bias_grad;

  StActivation activation;
  StLayout layout;
};

/* Sparse products over a batch.  Dense operands are feature-major with
 * the batch contiguous: x[j * batch + b] is input j of sample b.  Every
 * layout adds the products for one output element in the same order
 * (increasing column for z, increasing row for dx), which is what makes
 * the three layouts bit-identical. */
void st_layer_forward_product  (const StLayer *layer,
                                const double  *x,
                                guint          batch,
                                double        *z);
void st_layer_weight_gradient  (StLayer       *layer,
                                const double  *x,
                                const double  *dz,
                                guint          batch);
void st_layer_input_gradient   (const StLayer *layer,
                                const double  *dz,
                                guint          batch,
                                double        *dx);

G_END_DECLS
