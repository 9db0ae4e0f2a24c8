/* st-layer-kernels.c: sparse products of one layer over a batch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each function has one loop nest per layout.  For any output element the
 * products are added in the same order in every layout, starting from the
 * same value, and -ffp-contract=off keeps the compiler from fusing some of
 * them.  That is what makes CSR, CSC and COO give bit-identical results:
 *
 *   z[i]  = b[i] + sum over stored (i, j), by increasing j, of w_ij x[j]
 *   dx[j] =  0   + sum over stored (i, j), by increasing i, of w_ij dz[i]
 *   dw_ij =  0   + sum over the batch, by increasing b, of dz[i] x[j]
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include <string.h>

#include "st-layer-private.h"

/* y[0..n) += w * x[0..n) */
static inline void
add_scaled (double       *y,
            double        w,
            const double *x,
            guint         n)
{
  for (guint b = 0; b < n; b++)
    y[b] += w * x[b];
}

/* Returns: sum over b of a[b] * c[b], added in increasing b from 0. */
static inline double
dot (const double *a,
     const double *c,
     guint         n)
{
  double sum = 0.0;

  for (guint b = 0; b < n; b++)
    sum += a[b] * c[b];

  return sum;
}

/**
 * st_layer_forward_product:
 * @layer: a layer with rows m and columns n
 * @x: (array): inputs, n x @batch, feature-major
 * @batch: number of samples
 * @z: (array): output, m x @batch, feature-major
 *
 * Computes z = W x + b (b is zero without a bias).
 */
void
st_layer_forward_product (const StLayer *layer,
                          const double  *x,
                          guint          batch,
                          double        *z)
{
  const gsl_spmatrix *m = layer->weights;
  guint rows = (guint) m->size1;
  guint cols = (guint) m->size2;

  /* Start every output at its bias, so that all layouts add it first. */
  for (guint i = 0; i < rows; i++)
    {
      double start = layer->bias != NULL ? layer->bias[i] : 0.0;
      double *zi = z + (gsize) i * batch;

      for (guint b = 0; b < batch; b++)
        zi[b] = start;
    }

  switch (layer->layout)
    {
    case ST_LAYOUT_CSR:
      for (guint i = 0; i < rows; i++)
        {
          double *zi = z + (gsize) i * batch;

          for (int k = m->p[i]; k < m->p[i + 1]; k++)
            add_scaled (zi, m->data[k], x + (gsize) m->i[k] * batch, batch);
        }
      break;

    case ST_LAYOUT_CSC:
      for (guint j = 0; j < cols; j++)
        {
          const double *xj = x + (gsize) j * batch;

          for (int k = m->p[j]; k < m->p[j + 1]; k++)
            add_scaled (z + (gsize) m->i[k] * batch, m->data[k], xj, batch);
        }
      break;

    case ST_LAYOUT_COO:
    default:
      for (gsize k = 0; k < m->nz; k++)
        add_scaled (z + (gsize) m->i[k] * batch, m->data[k],
                    x + (gsize) m->p[k] * batch, batch);
      break;
    }
}

/**
 * st_layer_weight_gradient:
 * @layer: a layer with rows m and columns n
 * @x: (array): the layer's inputs, n x @batch, feature-major
 * @dz: (array): dL/dz, m x @batch, feature-major
 * @batch: number of samples
 *
 * Stores dL/dw = sum_b dz[i] x[j] for every stored entry (i, j) into the
 * weight gradient, and dL/db = sum_b dz[i] into the bias gradient.  No
 * other position is computed: the cost is O(nnz x batch).
 */
void
st_layer_weight_gradient (StLayer      *layer,
                          const double *x,
                          const double *dz,
                          guint         batch)
{
  const gsl_spmatrix *m = layer->weights;
  guint rows = (guint) m->size1;
  guint cols = (guint) m->size2;
  double *grad = layer->weight_grad;

  switch (layer->layout)
    {
    case ST_LAYOUT_CSR:
      for (guint i = 0; i < rows; i++)
        {
          const double *dzi = dz + (gsize) i * batch;

          for (int k = m->p[i]; k < m->p[i + 1]; k++)
            grad[k] = dot (dzi, x + (gsize) m->i[k] * batch, batch);
        }
      break;

    case ST_LAYOUT_CSC:
      for (guint j = 0; j < cols; j++)
        {
          const double *xj = x + (gsize) j * batch;

          for (int k = m->p[j]; k < m->p[j + 1]; k++)
            grad[k] = dot (dz + (gsize) m->i[k] * batch, xj, batch);
        }
      break;

    case ST_LAYOUT_COO:
    default:
      for (gsize k = 0; k < m->nz; k++)
        grad[k] = dot (dz + (gsize) m->i[k] * batch, x + (gsize) m->p[k] * batch, batch);
      break;
    }

  if (layer->bias_grad != NULL)
    {
      for (guint i = 0; i < rows; i++)
        {
          const double *dzi = dz + (gsize) i * batch;
          double sum = 0.0;

          for (guint b = 0; b < batch; b++)
            sum += dzi[b];
          layer->bias_grad[i] = sum;
        }
    }
}

/**
 * st_layer_input_gradient:
 * @layer: a layer with rows m and columns n
 * @dz: (array): dL/dz, m x @batch, feature-major
 * @batch: number of samples
 * @dx: (array): output dL/dx = W^T dz, n x @batch, feature-major
 *
 * Multiplies by the transpose.  For a CSR or COO layer this scatters
 * rows into dx; for CSC it gathers each column.
 */
void
st_layer_input_gradient (const StLayer *layer,
                         const double  *dz,
                         guint          batch,
                         double        *dx)
{
  const gsl_spmatrix *m = layer->weights;
  guint rows = (guint) m->size1;
  guint cols = (guint) m->size2;

  memset (dx, 0, sizeof (double) * (gsize) cols * batch);

  switch (layer->layout)
    {
    case ST_LAYOUT_CSR:
      for (guint i = 0; i < rows; i++)
        {
          const double *dzi = dz + (gsize) i * batch;

          for (int k = m->p[i]; k < m->p[i + 1]; k++)
            add_scaled (dx + (gsize) m->i[k] * batch, m->data[k], dzi, batch);
        }
      break;

    case ST_LAYOUT_CSC:
      for (guint j = 0; j < cols; j++)
        {
          double *dxj = dx + (gsize) j * batch;

          for (int k = m->p[j]; k < m->p[j + 1]; k++)
            add_scaled (dxj, m->data[k], dz + (gsize) m->i[k] * batch, batch);
        }
      break;

    case ST_LAYOUT_COO:
    default:
      for (gsize k = 0; k < m->nz; k++)
        add_scaled (dx + (gsize) m->p[k] * batch, m->data[k],
                    dz + (gsize) m->i[k] * batch, batch);
      break;
    }
}
