/* st-layer-private.h: layer internals shared by the engine and its tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stddef.h>  /* gsl_spmatrix.h uses size_t without including it */
#include <gsl/gsl_spmatrix.h>

#include "st-layer.h"
#include "st-parallel.h"

G_BEGIN_DECLS

/* Optimizer state arrays per weight and per bias (Adam needs two). */
#define ST_LAYER_N_STATES 2

/* One way through the stored entries: the entries of slice s (a row or
 * a column) are e = start[s] .. start[s + 1] - 1, with the other index
 * in index[e] increasing along the slice, stored at layout position
 * position[e], or at e itself when position is NULL. */
typedef struct
{
  const int *start;
  const int *index;
  const int *position;
  guint n_slices;

  /* Thread shares: member w of a team of n_parts takes the slices
   * split[w] .. split[w + 1] - 1, balanced by entry count. */
  guint n_parts;
  guint *split;
} StTraversal;

struct _StLayer
{
  /* The pattern and its values in the current layout.  GSL's meaning of
   * the arrays: CSR p[] holds row starts and i[] column indices; CSC p[]
   * holds column starts and i[] row indices; COO i[] holds rows and p[]
   * columns, one per entry.  COO entries are kept in canonical order. */
  gsl_spmatrix *weights;

  /* dL/dW for the last batch, parallel to weights->data; NULL until
   * st_layer_prepare() first runs. */
  double *weight_grad;

  /* Optimizer state, parallel to weights->data and to bias, or NULL
   * until an optimizer that needs it runs. */
  double *weight_state[ST_LAYER_N_STATES];
  double *bias_state[ST_LAYER_N_STATES];

  /* The change of each weight in the last update, parallel to
   * weights->data, while the network records updates; otherwise NULL. */
  double *last_update;

  /* Bias and dL/db, one per row; both NULL when the layer has no bias. */
  double *bias;
  double *bias_grad;

  /* Row-major and column-major ways through the entries, whatever the
   * layout: the layout's own arrays where they have the right order,
   * arrays in owned_index otherwise.  Rebuilt when the layout changes;
   * by_col.start is NULL until st_layer_prepare() needs it. */
  StTraversal by_row;
  StTraversal by_col;
  int *owned_index[5];

  StActivation activation;
  StLayout layout;
};

StLayer *st_layer_new_from_csr     (gsl_spmatrix *csr,
                                    gsize         nnz,
                                    StLayout      layout,
                                    GError      **error);
gboolean st_layer_build_traversals (StLayer      *layer,
                                    GError      **error);
void     st_layer_clear_traversals (StLayer      *layer);
gboolean st_layer_prepare          (StLayer      *layer,
                                    gboolean      need_columns,
                                    guint         n_parts,
                                    GError      **error);
void     st_traversal_get_share    (const StTraversal *traversal,
                                    guint         worker,
                                    guint         n_workers,
                                    guint        *first,
                                    guint        *last);

/* Sparse products over a batch.  Dense operands are feature-major with
 * the batch contiguous: x[j * batch + b] is input j of sample b.  Every
 * output element is summed by one thread in a fixed order, the same in
 * every layout (by_row for z, by_col for dx), which is what makes the
 * layouts and the thread counts give bit-identical results. */
void st_layer_forward_row      (const StLayer *layer,
                                const double  *x,
                                guint          batch,
                                guint          i,
                                double        *zi);
void st_layer_weight_gradient_row (StLayer    *layer,
                                   const double *x,
                                   const double *dzi,
                                   guint       batch,
                                   guint       i);
void st_layer_forward_product  (const StLayer *layer,
                                const double  *x,
                                guint          batch,
                                double        *z,
                                StParallel    *parallel);
void st_layer_weight_gradient  (StLayer       *layer,
                                const double  *x,
                                const double  *dz,
                                guint          batch,
                                StParallel    *parallel);
void st_layer_input_gradient   (const StLayer *layer,
                                const double  *dz,
                                guint          batch,
                                double        *dx,
                                StParallel    *parallel);

G_END_DECLS
