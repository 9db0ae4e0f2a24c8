/* st-network.c: a sequence of sparse layers with a loss
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include <string.h>

#include "st-activation.h"
#include "st-error.h"
#include "st-layer-private.h"
#include "st-loss.h"
#include "st-network.h"

struct _StNetwork
{
  GPtrArray *layers;   /* StLayer, owned, from input to output */
  StLoss loss;

  /* Workspace for batches of up to @capacity samples.  z[l] and a[l] hold
   * layer l's pre-activations and activations; delta[0..1] are
   * max-width x capacity buffers for dL/da and dL/dz; input_grad holds
   * dL/dx of the last gradient computation. */
  guint capacity;
  guint batch;         /* samples in the last forward pass */
  double **z;
  double **a;
  double *delta[2];
  double *input_grad;
};

StNetwork *
st_network_new (StLoss loss)
{
  StNetwork *network;

  st_engine_init ();

  network = g_new0 (StNetwork, 1);
  network->layers = g_ptr_array_new_with_free_func ((GDestroyNotify) st_layer_free);
  network->loss = loss;

  return network;
}

static void
free_workspace (StNetwork *network)
{
  guint n_layers = network->layers->len;

  if (network->z != NULL)
    {
      for (guint l = 0; l < n_layers; l++)
        {
          g_free (network->z[l]);
          g_free (network->a[l]);
        }
    }
  g_clear_pointer (&network->z, g_free);
  g_clear_pointer (&network->a, g_free);
  g_clear_pointer (&network->delta[0], g_free);
  g_clear_pointer (&network->delta[1], g_free);
  g_clear_pointer (&network->input_grad, g_free);
  network->capacity = 0;
}

void
st_network_free (StNetwork *network)
{
  if (network == NULL)
    return;

  free_workspace (network);
  g_ptr_array_unref (network->layers);
  g_free (network);
}

/**
 * st_network_copy:
 * @network: a network
 *
 * Returns: (transfer full): a copy of the layers and the loss, with its
 * own workspace; the copy can train in another thread
 */
StNetwork *
st_network_copy (const StNetwork *network)
{
  StNetwork *copy = st_network_new (network->loss);

  for (guint l = 0; l < network->layers->len; l++)
    g_ptr_array_add (copy->layers, st_layer_copy (g_ptr_array_index (network->layers, l)));

  return copy;
}

/**
 * st_network_append_layer:
 * @network: a network
 * @layer: (transfer full): the next layer
 * @error: return location for an error
 *
 * Adds @layer after the current last layer.  Its column count must equal
 * the previous layer's row count.  On error @layer is freed.
 *
 * Returns: %TRUE on success
 */
gboolean
st_network_append_layer (StNetwork  *network,
                         StLayer    *layer,
                         GError    **error)
{
  guint n_layers = network->layers->len;

  if (n_layers > 0)
    {
      StLayer *last = g_ptr_array_index (network->layers, n_layers - 1);

      if (st_layer_get_cols (layer) != st_layer_get_rows (last))
        {
          g_set_error (error, ST_ERROR, ST_ERROR_MISMATCH,
                       "Layer %u has %u inputs, but layer %u before it has %u outputs",
                       n_layers + 1, st_layer_get_cols (layer),
                       n_layers, st_layer_get_rows (last));
          st_layer_free (layer);
          return FALSE;
        }
    }

  free_workspace (network);
  g_ptr_array_add (network->layers, layer);

  return TRUE;
}

/**
 * st_network_validate:
 * @network: a network
 * @error: return location for an error
 *
 * Checks the rules that single layers cannot: there is at least one
 * layer, softmax appears only on the last one, and softmax cross-entropy
 * has a softmax output with at least two units.
 *
 * Returns: %TRUE when the network can be trained
 */
gboolean
st_network_validate (const StNetwork  *network,
                     GError          **error)
{
  guint n_layers = network->layers->len;
  StLayer *last;

  if (n_layers == 0)
    {
      g_set_error_literal (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT,
                           "The network has no layers");
      return FALSE;
    }

  for (guint l = 0; l + 1 < n_layers; l++)
    {
      StLayer *layer = g_ptr_array_index (network->layers, l);

      if (st_layer_get_activation (layer) == ST_ACTIVATION_SOFTMAX)
        {
          g_set_error (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT,
                       "Layer %u uses softmax, which is allowed only on the last layer",
                       l + 1);
          return FALSE;
        }
    }

  last = g_ptr_array_index (network->layers, n_layers - 1);
  if (network->loss == ST_LOSS_SOFTMAX_CROSS_ENTROPY &&
      st_layer_get_activation (last) != ST_ACTIVATION_SOFTMAX)
    {
      g_set_error (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT,
                   "Softmax cross-entropy needs a softmax output layer, but the last layer uses %s",
                   st_activation_to_string (st_layer_get_activation (last)));
      return FALSE;
    }

  if (st_layer_get_activation (last) == ST_ACTIVATION_SOFTMAX && st_layer_get_rows (last) < 2)
    {
      g_set_error_literal (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT,
                           "A softmax output needs at least two units");
      return FALSE;
    }

  return TRUE;
}

guint
st_network_get_n_layers (const StNetwork *network)
{
  return network->layers->len;
}

/* Returns: (transfer none): layer @index, counting from 0 at the input. */
StLayer *
st_network_get_layer (const StNetwork *network,
                      guint            index)
{
  g_return_val_if_fail (index < network->layers->len, NULL);

  return g_ptr_array_index (network->layers, index);
}

guint
st_network_get_n_inputs (const StNetwork *network)
{
  g_return_val_if_fail (network->layers->len > 0, 0);

  return st_layer_get_cols (g_ptr_array_index (network->layers, 0));
}

guint
st_network_get_n_outputs (const StNetwork *network)
{
  g_return_val_if_fail (network->layers->len > 0, 0);

  return st_layer_get_rows (g_ptr_array_index (network->layers, network->layers->len - 1));
}

/* Returns: the number of stored weights in all layers. */
gsize
st_network_get_nnz (const StNetwork *network)
{
  gsize total = 0;

  for (guint l = 0; l < network->layers->len; l++)
    total += st_layer_get_nnz (g_ptr_array_index (network->layers, l));

  return total;
}

StLoss
st_network_get_loss (const StNetwork *network)
{
  return network->loss;
}

void
st_network_set_loss (StNetwork *network,
                     StLoss     loss)
{
  network->loss = loss;
}

/* Converts every layer to @layout; see st_layer_set_layout(). */
gboolean
st_network_set_layout (StNetwork  *network,
                       StLayout    layout,
                       GError    **error)
{
  for (guint l = 0; l < network->layers->len; l++)
    if (!st_layer_set_layout (g_ptr_array_index (network->layers, l), layout, error))
      return FALSE;

  return TRUE;
}

static double *
try_alloc_doubles (gsize    n,
                   GError **error)
{
  double *memory = g_try_malloc0_n (MAX (n, 1), sizeof (double));

  if (memory == NULL)
    g_set_error (error, ST_ERROR, ST_ERROR_TOO_LARGE,
                 "Cannot allocate %" G_GSIZE_FORMAT " values of training workspace: "
                 "not enough memory; try a smaller batch",
                 n);
  return memory;
}

/* Grow the workspace to hold @batch samples.  It only grows, so a
 * training loop with a fixed batch size allocates once. */
static gboolean
ensure_capacity (StNetwork  *network,
                 guint       batch,
                 GError    **error)
{
  guint n_layers = network->layers->len;
  guint widest = st_network_get_n_inputs (network);

  if (batch <= network->capacity)
    return TRUE;

  free_workspace (network);

  network->z = g_new0 (double *, n_layers);
  network->a = g_new0 (double *, n_layers);
  for (guint l = 0; l < n_layers; l++)
    {
      guint rows = st_layer_get_rows (g_ptr_array_index (network->layers, l));

      widest = MAX (widest, rows);
      if ((network->z[l] = try_alloc_doubles ((gsize) rows * batch, error)) == NULL ||
          (network->a[l] = try_alloc_doubles ((gsize) rows * batch, error)) == NULL)
        goto failed;
    }

  if ((network->delta[0] = try_alloc_doubles ((gsize) widest * batch, error)) == NULL ||
      (network->delta[1] = try_alloc_doubles ((gsize) widest * batch, error)) == NULL ||
      (network->input_grad = try_alloc_doubles ((gsize) widest * batch, error)) == NULL)
    goto failed;

  network->capacity = batch;
  return TRUE;

failed:
  free_workspace (network);
  return FALSE;
}

/**
 * st_network_forward:
 * @network: a valid network
 * @x: (array): inputs, n_inputs x @batch
 * @batch: number of samples, at least 1
 * @error: return location for an error
 *
 * Returns: (transfer none): the outputs, n_outputs x @batch, valid until
 * the next call on @network; %NULL with @error set when the workspace
 * cannot be allocated
 */
const double *
st_network_forward (StNetwork     *network,
                    const double  *x,
                    guint          batch,
                    GError       **error)
{
  guint n_layers = network->layers->len;
  const double *input = x;

  g_return_val_if_fail (n_layers > 0, NULL);
  g_return_val_if_fail (batch > 0, NULL);

  if (!ensure_capacity (network, batch, error))
    return NULL;

  for (guint l = 0; l < n_layers; l++)
    {
      StLayer *layer = g_ptr_array_index (network->layers, l);

      st_layer_forward_product (layer, input, batch, network->z[l]);
      st_activation_forward (layer->activation, network->z[l], network->a[l],
                             st_layer_get_rows (layer), batch);
      input = network->a[l];
    }

  network->batch = batch;
  return network->a[n_layers - 1];
}

/**
 * st_network_compute_cost:
 * @t: (array): targets, n_outputs x @batch
 * @cost: (out): the batch cost
 *
 * Runs the forward pass and the loss, without gradients.
 */
gboolean
st_network_compute_cost (StNetwork     *network,
                         const double  *x,
                         const double  *t,
                         guint          batch,
                         double        *cost,
                         GError       **error)
{
  guint last = network->layers->len - 1;

  if (st_network_forward (network, x, batch, error) == NULL)
    return FALSE;

  *cost = st_loss_cost (network->loss, network->z[last], network->a[last], t,
                        st_network_get_n_outputs (network), batch);
  return TRUE;
}

/**
 * st_network_compute_gradients:
 * @network: a valid network
 * @x: (array): inputs, n_inputs x @batch
 * @t: (array): targets, n_outputs x @batch
 * @batch: number of samples
 * @cost: (out) (optional): the batch cost before any update
 * @error: return location for an error
 *
 * Runs forward and backward passes.  Afterwards every layer holds dL/dW
 * for its stored entries and dL/db, and st_network_get_input_gradient()
 * returns dL/dx.  Gradients are overwritten, not accumulated.
 */
gboolean
st_network_compute_gradients (StNetwork     *network,
                              const double  *x,
                              const double  *t,
                              guint          batch,
                              double        *cost,
                              GError       **error)
{
  guint n_layers = network->layers->len;
  guint last = n_layers - 1;
  StLayer *output = g_ptr_array_index (network->layers, last);
  double *dz;
  double *da;

  if (st_network_forward (network, x, batch, error) == NULL)
    return FALSE;

  if (cost != NULL)
    *cost = st_loss_cost (network->loss, network->z[last], network->a[last], t,
                          st_layer_get_rows (output), batch);

  /* The loss gives dL/dz of the output layer. */
  dz = network->delta[0];
  da = network->delta[1];
  st_loss_output_gradient (network->loss, output->activation, network->z[last],
                           network->a[last], t, st_layer_get_rows (output), batch, da, dz);

  /* Walk back through the layers: each one stores its weight gradient,
   * then passes dL/da = W^T dz to the layer below, which turns it into
   * its own dz through its activation's derivative. */
  for (guint l = n_layers; l-- > 0;)
    {
      StLayer *layer = g_ptr_array_index (network->layers, l);
      const double *input = l > 0 ? network->a[l - 1] : x;
      double *swap;

      st_layer_weight_gradient (layer, input, dz, batch);

      if (l == 0)
        {
          st_layer_input_gradient (layer, dz, batch, network->input_grad);
          break;
        }

      st_layer_input_gradient (layer, dz, batch, da);
      st_activation_backward (((StLayer *) g_ptr_array_index (network->layers, l - 1))->activation,
                              network->z[l - 1], network->a[l - 1], da, da,
                              st_layer_get_cols (layer), batch);
      swap = dz;
      dz = da;
      da = swap;
    }

  return TRUE;
}

/**
 * st_network_get_output:
 *
 * Returns: (transfer none) (nullable): the outputs of the last forward
 * pass, n_outputs x batch, or %NULL before the first one
 */
const double *
st_network_get_output (const StNetwork *network)
{
  if (network->capacity == 0)
    return NULL;

  return network->a[network->layers->len - 1];
}

/**
 * st_network_get_input_gradient:
 *
 * Returns: (transfer none): dL/dx of the last st_network_compute_gradients()
 * call, n_inputs x batch
 */
const double *
st_network_get_input_gradient (const StNetwork *network)
{
  return network->input_grad;
}

/**
 * st_network_apply_sgd:
 * @network: a network holding gradients
 * @learning_rate: step size
 *
 * Plain gradient descent, w -= rate x dL/dw, on stored entries and biases
 * only; structural zeros have no storage and stay exactly zero.
 */
void
st_network_apply_sgd (StNetwork *network,
                      double     learning_rate)
{
  for (guint l = 0; l < network->layers->len; l++)
    {
      StLayer *layer = g_ptr_array_index (network->layers, l);
      gsize nnz = st_layer_get_nnz (layer);
      double *w = layer->weights->data;

      for (gsize k = 0; k < nnz; k++)
        w[k] -= learning_rate * layer->weight_grad[k];

      if (layer->bias != NULL)
        {
          guint rows = st_layer_get_rows (layer);

          for (guint i = 0; i < rows; i++)
            layer->bias[i] -= learning_rate * layer->bias_grad[i];
        }
    }
}
