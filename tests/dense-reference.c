/* dense-reference.c: an independent dense implementation to check the engine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything here is written from the textbook formulas with dense GSL
 * matrices and BLAS, sharing no code with the engine's kernels,
 * activations or losses.  The engine reads out only the weights.
 */

#include "config.h"

#include <gsl/gsl_blas.h>
#include <math.h>

#include "dense-reference.h"

static gsl_matrix *
dense_weights (const StLayer *layer)
{
  gsize nnz = st_layer_get_nnz (layer);
  g_autofree guint *rows = g_new (guint, MAX (nnz, 1));
  g_autofree guint *cols = g_new (guint, MAX (nnz, 1));
  g_autofree double *values = g_new (double, MAX (nnz, 1));
  gsl_matrix *w = gsl_matrix_calloc (st_layer_get_rows (layer), st_layer_get_cols (layer));

  st_layer_copy_entries (layer, rows, cols, values, NULL);
  for (gsize k = 0; k < nnz; k++)
    gsl_matrix_set (w, rows[k], cols[k], values[k]);

  return w;
}

/* Apply the activation to every column (sample) of z. */
static gsl_matrix *
activate (StActivation      activation,
          const gsl_matrix *z)
{
  gsl_matrix *a = gsl_matrix_alloc (z->size1, z->size2);

  for (size_t b = 0; b < z->size2; b++)
    {
      double largest = -INFINITY;
      double sum = 0.0;

      for (size_t i = 0; i < z->size1; i++)
        largest = fmax (largest, gsl_matrix_get (z, i, b));

      for (size_t i = 0; i < z->size1; i++)
        {
          double v = gsl_matrix_get (z, i, b);

          switch (activation)
            {
            case ST_ACTIVATION_IDENTITY:
              break;
            case ST_ACTIVATION_TANH:
              v = tanh (v);
              break;
            case ST_ACTIVATION_LOGISTIC:
              v = 1.0 / (1.0 + exp (-v));
              break;
            case ST_ACTIVATION_RELU:
              v = v > 0.0 ? v : 0.0;
              break;
            case ST_ACTIVATION_SOFTMAX:
              v = exp (v - largest);
              sum += v;
              break;
            default:
              g_assert_not_reached ();
            }
          gsl_matrix_set (a, i, b, v);
        }

      if (activation == ST_ACTIVATION_SOFTMAX)
        for (size_t i = 0; i < z->size1; i++)
          gsl_matrix_set (a, i, b, gsl_matrix_get (a, i, b) / sum);
    }

  return a;
}

/* dL/dz from dL/da through the activation's derivative. */
static gsl_matrix *
back_through (StActivation      activation,
              const gsl_matrix *z,
              const gsl_matrix *a,
              const gsl_matrix *da)
{
  gsl_matrix *dz = gsl_matrix_alloc (z->size1, z->size2);

  for (size_t b = 0; b < z->size2; b++)
    {
      double inner = 0.0;

      for (size_t i = 0; i < z->size1; i++)
        inner += gsl_matrix_get (a, i, b) * gsl_matrix_get (da, i, b);

      for (size_t i = 0; i < z->size1; i++)
        {
          double zi = gsl_matrix_get (z, i, b);
          double ai = gsl_matrix_get (a, i, b);
          double gi = gsl_matrix_get (da, i, b);
          double derivative;

          switch (activation)
            {
            case ST_ACTIVATION_IDENTITY:
              derivative = gi;
              break;
            case ST_ACTIVATION_TANH:
              derivative = gi * (1.0 - tanh (zi) * tanh (zi));
              break;
            case ST_ACTIVATION_LOGISTIC:
              derivative = gi * ai * (1.0 - ai);
              break;
            case ST_ACTIVATION_RELU:
              derivative = zi > 0.0 ? gi : 0.0;
              break;
            case ST_ACTIVATION_SOFTMAX:
              derivative = ai * (gi - inner);
              break;
            default:
              g_assert_not_reached ();
            }
          gsl_matrix_set (dz, i, b, derivative);
        }
    }

  return dz;
}

static gsl_matrix *
matrix_from_feature_major (const double *values,
                           size_t        rows,
                           size_t        batch)
{
  gsl_matrix *m = gsl_matrix_alloc (rows, batch);

  for (size_t i = 0; i < rows; i++)
    for (size_t b = 0; b < batch; b++)
      gsl_matrix_set (m, i, b, values[i * batch + b]);

  return m;
}

/**
 * dense_reference_compute:
 * @network: the network whose weights to use
 * @x: inputs, n_inputs x batch, feature-major
 * @t: targets, n_outputs x batch, feature-major
 * @batch: samples
 *
 * Returns: the cost and every dense gradient
 */
DenseGradients *
dense_reference_compute (const StNetwork *network,
                         const double    *x,
                         const double    *t,
                         guint            batch)
{
  guint n_layers = st_network_get_n_layers (network);
  guint n_outputs = st_network_get_n_outputs (network);
  g_autofree gsl_matrix **w = g_new0 (gsl_matrix *, n_layers);
  g_autofree gsl_matrix **z = g_new0 (gsl_matrix *, n_layers);
  g_autofree gsl_matrix **a = g_new0 (gsl_matrix *, n_layers + 1);
  gsl_matrix *target = matrix_from_feature_major (t, n_outputs, batch);
  DenseGradients *result = g_new0 (DenseGradients, 1);
  StLoss loss = st_network_get_loss (network);
  gsl_matrix *dz;

  result->n_layers = n_layers;
  result->weight_grad = g_new0 (gsl_matrix *, n_layers);
  result->bias_grad = g_new0 (gsl_vector *, n_layers);

  /* Forward: a[0] is the input, a[l + 1] = f(W_l a[l] + b_l). */
  a[0] = matrix_from_feature_major (x, st_network_get_n_inputs (network), batch);
  for (guint l = 0; l < n_layers; l++)
    {
      StLayer *layer = st_network_get_layer (network, l);
      const double *bias = st_layer_get_bias (layer);

      w[l] = dense_weights (layer);
      z[l] = gsl_matrix_calloc (w[l]->size1, batch);
      gsl_blas_dgemm (CblasNoTrans, CblasNoTrans, 1.0, w[l], a[l], 0.0, z[l]);
      for (size_t i = 0; bias != NULL && i < w[l]->size1; i++)
        for (size_t b = 0; b < batch; b++)
          gsl_matrix_set (z[l], i, b, gsl_matrix_get (z[l], i, b) + bias[i]);
      a[l + 1] = activate (st_layer_get_activation (layer), z[l]);
    }

  /* Loss and dL/dz of the output layer. */
  if (loss == ST_LOSS_HALF_MSE)
    {
      gsl_matrix *da = gsl_matrix_alloc (n_outputs, batch);
      double n = (double) n_outputs * batch;
      double sum = 0.0;

      for (size_t i = 0; i < n_outputs; i++)
        for (size_t b = 0; b < batch; b++)
          {
            double e = gsl_matrix_get (a[n_layers], i, b) - gsl_matrix_get (target, i, b);

            sum += e * e;
            gsl_matrix_set (da, i, b, e / n);
          }
      result->cost = sum / (2.0 * n);
      dz = back_through (st_layer_get_activation (st_network_get_layer (network, n_layers - 1)),
                         z[n_layers - 1], a[n_layers], da);
      gsl_matrix_free (da);
    }
  else
    {
      double sum = 0.0;

      dz = gsl_matrix_alloc (n_outputs, batch);
      for (size_t b = 0; b < batch; b++)
        {
          double target_sum = 0.0;

          for (size_t i = 0; i < n_outputs; i++)
            {
              double p = gsl_matrix_get (a[n_layers], i, b);
              double ti = gsl_matrix_get (target, i, b);

              target_sum += ti;
              if (ti != 0.0)
                sum -= ti * log (p);
            }
          for (size_t i = 0; i < n_outputs; i++)
            gsl_matrix_set (dz, i, b, (gsl_matrix_get (a[n_layers], i, b) * target_sum -
                                       gsl_matrix_get (target, i, b)) / batch);
        }
      result->cost = sum / batch;
    }

  /* Backward: dW = dz a[l]^T over every position, db = row sums of dz,
   * and dL/da[l] = W^T dz. */
  for (guint l = n_layers; l-- > 0;)
    {
      StLayer *layer = st_network_get_layer (network, l);
      gsl_matrix *da = gsl_matrix_calloc (w[l]->size2, batch);

      result->weight_grad[l] = gsl_matrix_calloc (w[l]->size1, w[l]->size2);
      gsl_blas_dgemm (CblasNoTrans, CblasTrans, 1.0, dz, a[l], 0.0, result->weight_grad[l]);

      if (st_layer_has_bias (layer))
        {
          result->bias_grad[l] = gsl_vector_calloc (w[l]->size1);
          for (size_t i = 0; i < w[l]->size1; i++)
            for (size_t b = 0; b < batch; b++)
              gsl_vector_set (result->bias_grad[l], i,
                              gsl_vector_get (result->bias_grad[l], i) + gsl_matrix_get (dz, i, b));
        }

      gsl_blas_dgemm (CblasTrans, CblasNoTrans, 1.0, w[l], dz, 0.0, da);
      gsl_matrix_free (dz);

      if (l == 0)
        {
          result->input_grad = da;
          break;
        }
      dz = back_through (st_layer_get_activation (st_network_get_layer (network, l - 1)),
                         z[l - 1], a[l], da);
      gsl_matrix_free (da);
    }

  for (guint l = 0; l < n_layers; l++)
    {
      gsl_matrix_free (w[l]);
      gsl_matrix_free (z[l]);
    }
  for (guint l = 0; l <= n_layers; l++)
    gsl_matrix_free (a[l]);
  gsl_matrix_free (target);

  return result;
}

void
dense_gradients_free (DenseGradients *gradients)
{
  if (gradients == NULL)
    return;

  for (guint l = 0; l < gradients->n_layers; l++)
    {
      g_clear_pointer (&gradients->weight_grad[l], gsl_matrix_free);
      g_clear_pointer (&gradients->bias_grad[l], gsl_vector_free);
    }
  g_free (gradients->weight_grad);
  g_free (gradients->bias_grad);
  g_clear_pointer (&gradients->input_grad, gsl_matrix_free);
  g_free (gradients);
}
