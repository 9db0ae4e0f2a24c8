/* st-layer-kernels.c: sparse products of one layer over a batch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The kernels walk the layer's row-major and column-major traversals,
 * which exist in every layout, so one loop nest serves CSR, CSC and COO:
 *
 *   z[i]  = b[i] + sum over stored (i, j) of w_ij x[j], by increasing j
 *   dx[j] =  0   + sum over stored (i, j) of w_ij dz[i], by increasing i
 *   dw_ij = the batch dot product of dz[i] and x[j]
 *
 * Each output element belongs to one thread's share and is summed in a
 * fixed order that depends only on the entries (st_vector_accumulate()
 * and st_vector_dot() say which), and -ffp-contract=off keeps the
 * compiler from fusing some products and not others.  The layouts and
 * the thread counts therefore give bit-identical results.
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include <string.h>

#include "st-layer-private.h"
#include "st-vector.h"

typedef struct
{
  StLayer *layer;
  const double *x;
  const double *dz;
  guint batch;
  double *out;
} KernelJob;

/* z_i = b_i + sum over the entries of row @i, by increasing column. */
ST_VECTORIZED void
st_layer_forward_row (const StLayer *layer,
                      const double  *x,
                      guint          batch,
                      guint          i,
                      double        *zi)
{
  const StTraversal *rows = &layer->by_row;

  st_vector_accumulate (zi, layer->bias != NULL ? layer->bias[i] : 0.0,
                        rows->start[i], rows->start[i + 1], layer->weights->data,
                        rows->position, rows->index, x, batch);
}

static void
forward_share (gpointer data,
               guint    worker,
               guint    n_workers)
{
  const KernelJob *job = data;
  guint first;
  guint last;

  st_traversal_get_share (&job->layer->by_row, worker, n_workers, &first, &last);
  for (guint i = first; i < last; i++)
    st_layer_forward_row (job->layer, job->x, job->batch, i, job->out + (gsize) i * job->batch);
}

/**
 * st_layer_forward_product:
 * @layer: a layer with rows m and columns n
 * @x: (array): inputs, n x @batch, feature-major
 * @batch: number of samples
 * @z: (array): output, m x @batch, feature-major
 * @parallel: the team to split the rows over
 *
 * Computes z = W x + b (b is zero without a bias).
 */
void
st_layer_forward_product (const StLayer *layer,
                          const double  *x,
                          guint          batch,
                          double        *z,
                          StParallel    *parallel)
{
  KernelJob job = { (StLayer *) layer, x, NULL, batch, z };

  st_parallel_run (parallel, st_layer_get_nnz (layer) * batch, forward_share, &job);
}

/* dw for the entries of row @i, and db_i when the layer has a bias. */
ST_VECTORIZED void
st_layer_weight_gradient_row (StLayer      *layer,
                              const double *x,
                              const double *dzi,
                              guint         batch,
                              guint         i)
{
  const StTraversal *rows = &layer->by_row;

  st_vector_dot_terms (layer->weight_grad, rows->start[i], rows->start[i + 1], rows->position,
                       rows->index, x, dzi, batch, NULL, 0);

  if (layer->bias_grad != NULL)
    layer->bias_grad[i] = st_vector_sum (dzi, batch);
}

static void
weight_gradient_share (gpointer data,
                       guint    worker,
                       guint    n_workers)
{
  const KernelJob *job = data;
  guint first;
  guint last;

  st_traversal_get_share (&job->layer->by_row, worker, n_workers, &first, &last);
  for (guint i = first; i < last; i++)
    st_layer_weight_gradient_row (job->layer, job->x, job->dz + (gsize) i * job->batch,
                                  job->batch, i);
}

/**
 * st_layer_weight_gradient:
 * @layer: a layer with rows m and columns n
 * @x: (array): the layer's inputs, n x @batch, feature-major
 * @dz: (array): dL/dz, m x @batch, feature-major
 * @batch: number of samples
 * @parallel: the team to split the rows over
 *
 * Stores dL/dw = sum_b dz[i] x[j] for every stored entry (i, j) into the
 * weight gradient, and dL/db = sum_b dz[i] into the bias gradient.  No
 * other position is computed: the cost is O(nnz x batch).
 */
void
st_layer_weight_gradient (StLayer      *layer,
                          const double *x,
                          const double *dz,
                          guint         batch,
                          StParallel   *parallel)
{
  KernelJob job = { layer, x, dz, batch, NULL };

  st_parallel_run (parallel, st_layer_get_nnz (layer) * batch, weight_gradient_share, &job);
}

/* dx_j = sum over the entries of column @j, by increasing row. */
ST_VECTORIZED static void
input_gradient_column (const StLayer *layer,
                       const double  *dz,
                       guint          batch,
                       guint          j,
                       double        *dxj)
{
  const StTraversal *cols = &layer->by_col;

  st_vector_accumulate (dxj, 0.0, cols->start[j], cols->start[j + 1], layer->weights->data,
                        cols->position, cols->index, dz, batch);
}

static void
input_gradient_share (gpointer data,
                      guint    worker,
                      guint    n_workers)
{
  const KernelJob *job = data;
  guint first;
  guint last;

  st_traversal_get_share (&job->layer->by_col, worker, n_workers, &first, &last);
  for (guint j = first; j < last; j++)
    input_gradient_column (job->layer, job->dz, job->batch, j, job->out + (gsize) j * job->batch);
}

/**
 * st_layer_input_gradient:
 * @layer: a layer with rows m and columns n
 * @dz: (array): dL/dz, m x @batch, feature-major
 * @batch: number of samples
 * @dx: (array): output dL/dx = W^T dz, n x @batch, feature-major
 * @parallel: the team to split the columns over
 *
 * Multiplies by the transpose, gathering each column: no two threads
 * ever write the same element of @dx.
 */
void
st_layer_input_gradient (const StLayer *layer,
                         const double  *dz,
                         guint          batch,
                         double        *dx,
                         StParallel    *parallel)
{
  KernelJob job = { (StLayer *) layer, NULL, dz, batch, dx };

  st_parallel_run (parallel, st_layer_get_nnz (layer) * batch, input_gradient_share, &job);
}
