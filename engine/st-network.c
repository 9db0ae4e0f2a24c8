/* st-network.c: a sequence of sparse layers with a loss
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "st-activation.h"
#include "st-error.h"
#include "st-layer-private.h"
#include "st-loss.h"
#include "st-memory.h"
#include "st-network-private.h"
#include "st-vector.h"

StNetwork *
st_network_new (StLoss loss)
{
  StNetwork *network;

  st_engine_init ();

  network = g_new0 (StNetwork, 1);
  network->layers = g_ptr_array_new_with_free_func ((GDestroyNotify) st_layer_free);
  network->loss = loss;
  network->parallel = st_parallel_new (1);
  network->team_choice = g_aligned_alloc0 (1, ST_TEAM_CHOICE_BYTES, ST_TEAM_CHOICE_ALIGNMENT);
  st_team_choice_init (network->team_choice);

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
          if (network->a[l] != network->z[l])
            g_free (network->a[l]);
          g_free (network->z[l]);
        }
    }
  g_clear_pointer (&network->z, g_free);
  g_clear_pointer (&network->a, g_free);
  g_clear_pointer (&network->delta[0], g_free);
  g_clear_pointer (&network->delta[1], g_free);
  g_clear_pointer (&network->input_grad, g_free);
  g_clear_pointer (&network->standardized, g_free);
  g_clear_pointer (&network->row_cost, g_free);
  g_clear_pointer (&network->row_gradient, g_free);
  g_clear_pointer (&network->scratch, g_free);
  network->capacity = 0;
  network->scratch_threads = 0;
}

void
st_network_free (StNetwork *network)
{
  if (network == NULL)
    return;

  free_workspace (network);
  g_ptr_array_unref (network->layers);
  g_clear_pointer (&network->parallel, st_parallel_free);
  g_clear_pointer (&network->team_choice, g_aligned_free);
  g_free (network->input_mean);
  g_free (network->input_scale);
  g_free (network);
}

/**
 * st_network_copy:
 * @network: a network
 *
 * Returns: (transfer full): a copy of the layers, the loss, the input
 * standardization, the optimizer state and the thread count, with its
 * own workspace; the copy can train in another thread
 */
StNetwork *
st_network_copy (const StNetwork *network)
{
  StNetwork *copy = st_network_new (network->loss);

  for (guint l = 0; l < network->layers->len; l++)
    g_ptr_array_add (copy->layers, st_layer_copy (g_ptr_array_index (network->layers, l)));

  if (network->input_mean != NULL)
    st_network_set_standardization (copy, network->input_mean, network->input_scale);
  copy->updates = network->updates;
  copy->want_input_gradient = network->want_input_gradient;
  copy->record_updates = network->record_updates;
  copy->fusion_disabled = network->fusion_disabled;
  st_network_set_threads (copy, st_parallel_get_n_threads (network->parallel), NULL);

  return copy;
}

/**
 * st_network_append_layer:
 * @network: a network
 * @layer: (transfer full): the next layer
 * @error: return location for an error
 *
 * Adds @layer after the current last layer.  Its column count must equal
 * the previous layer's row count, or the input width of the
 * standardization for the first layer.  On error @layer is freed.
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
                       _("Layer %u has %u inputs, but layer %u before it has %u outputs"),
                       n_layers + 1, st_layer_get_cols (layer),
                       n_layers, st_layer_get_rows (last));
          st_layer_free (layer);
          return FALSE;
        }
    }
  else if (network->input_mean != NULL)
    {
      g_clear_pointer (&network->input_mean, g_free);
      g_clear_pointer (&network->input_scale, g_free);
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
                           _("The network has no layers"));
      return FALSE;
    }

  for (guint l = 0; l + 1 < n_layers; l++)
    {
      StLayer *layer = g_ptr_array_index (network->layers, l);

      if (st_layer_get_activation (layer) == ST_ACTIVATION_SOFTMAX)
        {
          g_set_error (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT,
                       _("Layer %u uses softmax, which is allowed only on the last layer"),
                       l + 1);
          return FALSE;
        }
    }

  last = g_ptr_array_index (network->layers, n_layers - 1);
  if (network->loss == ST_LOSS_SOFTMAX_CROSS_ENTROPY &&
      st_layer_get_activation (last) != ST_ACTIVATION_SOFTMAX)
    {
      g_set_error (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT,
                   /* Translators: %s is an activation name such as “tanh”, as in model files. */
                   _("Softmax cross-entropy needs a softmax output layer, but the last layer "
                     "uses %s"),
                   st_activation_to_string (st_layer_get_activation (last)));
      return FALSE;
    }

  if (st_layer_get_activation (last) == ST_ACTIVATION_SOFTMAX && st_layer_get_rows (last) < 2)
    {
      g_set_error_literal (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT,
                           _("A softmax output needs at least two units"));
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

/**
 * st_network_set_threads:
 * @network: a network
 * @n_threads: threads for the sparse kernels, from 1 to
 *   %ST_PARALLEL_MAX_THREADS
 * @error: return location for an error
 *
 * Results do not depend on the thread count: every output element is
 * summed by one thread in a fixed order.
 *
 * Returns: %FALSE with @error set for a count out of range
 */
gboolean
st_network_set_threads (StNetwork  *network,
                        guint       n_threads,
                        GError    **error)
{
  if (n_threads < 1 || n_threads > ST_PARALLEL_MAX_THREADS)
    {
      g_set_error (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT,
                   _("The thread count %u is outside 1..%d"), n_threads, ST_PARALLEL_MAX_THREADS);
      return FALSE;
    }

  if (n_threads == st_parallel_get_n_threads (network->parallel))
    return TRUE;

  st_parallel_free (network->parallel);
  network->parallel = st_parallel_new (n_threads);
  st_team_choice_init (network->team_choice);
  g_clear_pointer (&network->scratch, g_free);
  network->scratch_threads = 0;

  return TRUE;
}

guint
st_network_get_threads (const StNetwork *network)
{
  return st_parallel_get_n_threads (network->parallel);
}

/* Whether st_network_compute_gradients() also computes dL/dx, which
 * only callers that look at it need; off by default. */
void
st_network_set_input_gradient_enabled (StNetwork *network,
                                       gboolean   enabled)
{
  network->want_input_gradient = enabled;
}

/* Whether training steps keep each weight's change in the layers, for
 * st_layer_get_last_update().  Costs one store per weight and step and
 * nnz doubles of memory; off by default. */
void
st_network_set_record_updates (StNetwork *network,
                               gboolean   record)
{
  network->record_updates = record;

  for (guint l = 0; !record && l < network->layers->len; l++)
    {
      StLayer *layer = g_ptr_array_index (network->layers, l);

      g_clear_pointer (&layer->last_update, g_free);
    }
}

gboolean
st_network_get_record_updates (const StNetwork *network)
{
  return network->record_updates;
}

/* Tests only: make st_network_train_step() run the separate passes even
 * where the fused single-layer step applies. */
void
st_network_set_fusion_disabled (StNetwork *network,
                                gboolean   disabled)
{
  network->fusion_disabled = disabled;
}

/**
 * st_network_set_standardization:
 * @network: a network with at least one layer
 * @mean: (array) (nullable): n_inputs means, or %NULL for none
 * @scale: (array) (nullable): n_inputs factors, usually 1 / deviation
 *
 * Makes every forward pass use x' = (x - mean) x scale as input, so
 * that raw data can be fed to a network trained on standardized data.
 */
void
st_network_set_standardization (StNetwork    *network,
                                const double *mean,
                                const double *scale)
{
  guint n_inputs = st_network_get_n_inputs (network);

  g_clear_pointer (&network->input_mean, g_free);
  g_clear_pointer (&network->input_scale, g_free);
  free_workspace (network);

  if (mean == NULL || scale == NULL)
    return;

  network->input_mean = g_memdup2 (mean, sizeof (double) * n_inputs);
  network->input_scale = g_memdup2 (scale, sizeof (double) * n_inputs);
}

/* Returns: (nullable): the standardization means, n_inputs values. */
const double *
st_network_get_input_mean (const StNetwork *network)
{
  return network->input_mean;
}

/* Returns: (nullable): the standardization factors, n_inputs values. */
const double *
st_network_get_input_scale (const StNetwork *network)
{
  return network->input_scale;
}

/* Returns: the optimizer updates applied so far. */
guint64
st_network_get_updates (const StNetwork *network)
{
  return network->updates;
}

void
st_network_set_updates (StNetwork *network,
                        guint64    updates)
{
  network->updates = updates;
}

#define CACHE_LINE_DOUBLES (ST_CACHE_LINE_BYTES / sizeof (double))

/* Returns: the doubles between two team members' scratch rows, four rows
 * of @capacity rounded up to whole cache lines. */
static gsize
scratch_stride (guint capacity)
{
  gsize doubles = (gsize) 4 * capacity;

  return (doubles + CACHE_LINE_DOUBLES - 1) / CACHE_LINE_DOUBLES * CACHE_LINE_DOUBLES;
}

static double *
try_alloc_doubles (gsize    n,
                   GError **error)
{
  double *memory = st_memory_try_new_gathered0 (n);

  if (memory == NULL)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GSIZE_FORMAT, n);

      g_set_error (error, ST_ERROR, ST_ERROR_TOO_LARGE,
                   _("Cannot allocate %s values of training workspace: not enough memory; "
                     "try a smaller batch"),
                   count);
    }
  return memory;
}

/* The workspace shares z and a for identity layers only; an activation
 * changed since it was made calls for a new one. */
static gboolean
workspace_matches_activations (const StNetwork *network)
{
  for (guint l = 0; network->z != NULL && l < network->layers->len; l++)
    {
      StLayer *layer = g_ptr_array_index (network->layers, l);
      gboolean shared = network->a[l] == network->z[l];

      if (shared != (st_layer_get_activation (layer) == ST_ACTIVATION_IDENTITY))
        return FALSE;
    }

  return TRUE;
}

/* Grow the workspace to hold @batch samples.  It only grows, so a
 * training loop with a fixed batch size allocates once. */
gboolean
st_network_ensure_capacity (StNetwork  *network,
                            guint       batch,
                            GError    **error)
{
  guint n_layers = network->layers->len;
  guint n_inputs = st_network_get_n_inputs (network);
  guint n_threads = st_parallel_get_n_threads (network->parallel);
  guint widest = n_inputs;

  if (batch <= network->capacity && network->scratch_threads == n_threads &&
      workspace_matches_activations (network))
    return TRUE;

  batch = MAX (batch, network->capacity);
  free_workspace (network);

  network->z = g_new0 (double *, n_layers);
  network->a = g_new0 (double *, n_layers);
  for (guint l = 0; l < n_layers; l++)
    {
      StLayer *layer = g_ptr_array_index (network->layers, l);
      guint rows = st_layer_get_rows (layer);

      widest = MAX (widest, rows);
      if ((network->z[l] = try_alloc_doubles ((gsize) rows * batch, error)) == NULL)
        goto failed;

      /* The identity needs no second copy of its outputs. */
      if (st_layer_get_activation (layer) == ST_ACTIVATION_IDENTITY)
        network->a[l] = network->z[l];
      else if ((network->a[l] = try_alloc_doubles ((gsize) rows * batch, error)) == NULL)
        goto failed;
    }

  if ((network->delta[0] = try_alloc_doubles ((gsize) widest * batch, error)) == NULL ||
      (network->delta[1] = try_alloc_doubles ((gsize) widest * batch, error)) == NULL ||
      (network->input_grad = try_alloc_doubles ((gsize) n_inputs * batch, error)) == NULL ||
      (network->row_cost = try_alloc_doubles (widest, error)) == NULL ||
      (network->row_gradient = try_alloc_doubles (widest, error)) == NULL ||
      (network->scratch = try_alloc_doubles (n_threads * scratch_stride (batch),
                                             error)) == NULL)
    goto failed;

  if (network->input_mean != NULL &&
      (network->standardized = try_alloc_doubles ((gsize) n_inputs * batch, error)) == NULL)
    goto failed;

  network->capacity = batch;
  network->scratch_threads = n_threads;
  return TRUE;

failed:
  free_workspace (network);
  return FALSE;
}

/* Returns: four rows of capacity doubles for team member @worker.  Each
 * member's rows start on a cache line of their own, because the
 * workspace starts on one and the stride is whole lines.  The fused step
 * writes them for every row of the layer, and two members writing one
 * line would pass it back and forth between their cores. */
double *
st_network_get_scratch (StNetwork *network,
                        guint      worker)
{
  return network->scratch + worker * scratch_stride (network->capacity);
}

/* Make every layer ready for the kernels: gradient storage, thread
 * shares for the team, and the column traversal where the input
 * gradient needs it (every layer but the first, and the first when its
 * input gradient is asked for).  Cheap when nothing changed. */
gboolean
st_network_prepare_layers (StNetwork  *network,
                           GError    **error)
{
  guint n_threads = st_parallel_get_n_threads (network->parallel);

  for (guint l = 0; l < network->layers->len; l++)
    {
      gboolean need_columns = l > 0 || network->want_input_gradient;

      if (!st_layer_prepare (g_ptr_array_index (network->layers, l), need_columns, n_threads,
                             error))
        return FALSE;
    }

  return TRUE;
}

/* Returns: @x, or its standardized copy when the network has one. */
const double *
st_network_standardize (StNetwork    *network,
                        const double *x,
                        guint         batch)
{
  guint n_inputs = st_network_get_n_inputs (network);

  if (network->input_mean == NULL)
    return x;

  for (guint j = 0; j < n_inputs; j++)
    {
      const double *from = x + (gsize) j * batch;
      double *to = network->standardized + (gsize) j * batch;

      for (guint b = 0; b < batch; b++)
        to[b] = (from[b] - network->input_mean[j]) * network->input_scale[j];
    }

  return network->standardized;
}

typedef struct
{
  StNetwork *network;
  StLayer *layer;
  guint index;          /* of the layer */
  guint batch;
  const double *t;      /* targets, for the loss job */
  double *dz;
  double *da;
} RowJob;

static void
rows_of_worker (guint  rows,
                guint  worker,
                guint  n_workers,
                guint *first,
                guint *last)
{
  *first = (guint) ((guint64) rows * worker / n_workers);
  *last = (guint) ((guint64) rows * (worker + 1) / n_workers);
}

static void
activation_forward_share (gpointer data,
                          guint    worker,
                          guint    n_workers)
{
  RowJob *job = data;
  guint first;
  guint last;
  gsize offset;

  rows_of_worker (st_layer_get_rows (job->layer), worker, n_workers, &first, &last);
  offset = (gsize) first * job->batch;
  st_activation_forward (job->layer->activation, job->network->z[job->index] + offset,
                         job->network->a[job->index] + offset, last - first, job->batch);
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
  const double *input;

  g_return_val_if_fail (n_layers > 0, NULL);
  g_return_val_if_fail (batch > 0, NULL);

  if (!st_network_ensure_capacity (network, batch, error) ||
      !st_network_prepare_layers (network, error))
    return NULL;

  input = st_network_standardize (network, x, batch);
  for (guint l = 0; l < n_layers; l++)
    {
      StLayer *layer = g_ptr_array_index (network->layers, l);
      RowJob job = { network, layer, l, batch, NULL, NULL, NULL };

      st_layer_forward_product (layer, input, batch, network->z[l], network->parallel);

      /* Softmax couples the units of a sample, so it cannot split by rows. */
      if (layer->activation == ST_ACTIVATION_SOFTMAX)
        st_activation_forward (layer->activation, network->z[l], network->a[l],
                               st_layer_get_rows (layer), batch);
      else if (layer->activation != ST_ACTIVATION_IDENTITY)
        st_parallel_run (network->parallel,
                         (gsize) st_layer_get_rows (layer) * batch *
                           st_activation_get_cost (layer->activation),
                         activation_forward_share, &job);

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
                        st_network_get_n_outputs (network), batch, network->row_cost,
                        st_network_get_scratch (network, 0));
  return TRUE;
}

static void
output_gradient_share (gpointer data,
                       guint    worker,
                       guint    n_workers)
{
  RowJob *job = data;
  StNetwork *network = job->network;
  guint rows = st_layer_get_rows (job->layer);
  double n = (double) rows * job->batch;
  double *error = st_network_get_scratch (network, worker);
  guint first;
  guint last;

  rows_of_worker (rows, worker, n_workers, &first, &last);
  for (guint i = first; i < last; i++)
    {
      gsize row = (gsize) i * job->batch;

      network->row_cost[i] = st_loss_squared_error_row (job->layer->activation,
                                                        network->z[job->index] + row,
                                                        network->a[job->index] + row,
                                                        job->t + row, job->batch, n,
                                                        error, job->dz + row);
    }
}

/* The loss's cost and dL/dz of the output layer, into @dz. */
static double
output_gradient (StNetwork    *network,
                 const double *t,
                 guint         batch,
                 double       *dz,
                 double       *da)
{
  guint last = network->layers->len - 1;
  StLayer *output = g_ptr_array_index (network->layers, last);
  guint rows = st_layer_get_rows (output);

  if (network->loss == ST_LOSS_HALF_MSE && output->activation != ST_ACTIVATION_SOFTMAX)
    {
      RowJob job = { network, output, last, batch, t, dz, NULL };

      st_parallel_run (network->parallel, (gsize) rows * batch, output_gradient_share, &job);
      return st_vector_sum (network->row_cost, rows) / (2.0 * rows * batch);
    }

  st_loss_output_gradient (network->loss, output->activation, network->z[last],
                           network->a[last], t, rows, batch, da, dz);
  return st_loss_cost (network->loss, network->z[last], network->a[last], t, rows, batch,
                       network->row_cost, st_network_get_scratch (network, 0));
}

static void
activation_backward_share (gpointer data,
                           guint    worker,
                           guint    n_workers)
{
  RowJob *job = data;
  guint first;
  guint last;
  gsize offset;

  rows_of_worker (st_layer_get_rows (job->layer), worker, n_workers, &first, &last);
  offset = (gsize) first * job->batch;
  st_activation_backward (job->layer->activation, job->network->z[job->index] + offset,
                          job->network->a[job->index] + offset, job->da + offset,
                          job->da + offset, last - first, job->batch);
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
 * for its stored entries and dL/db, and, when enabled,
 * st_network_get_input_gradient() returns dL/dx.  Gradients are
 * overwritten, not accumulated.
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
  const double *input;
  double batch_cost;
  double *dz;
  double *da;

  if (st_network_forward (network, x, batch, error) == NULL)
    return FALSE;
  input = st_network_standardize (network, x, batch);

  dz = network->delta[0];
  da = network->delta[1];
  batch_cost = output_gradient (network, t, batch, dz, da);
  if (cost != NULL)
    *cost = batch_cost;

  /* Walk back through the layers: each one stores its weight gradient,
   * then passes dL/da = W^T dz to the layer below, which turns it into
   * its own dz through its activation's derivative. */
  for (guint l = n_layers; l-- > 0;)
    {
      StLayer *layer = g_ptr_array_index (network->layers, l);
      const double *layer_input = l > 0 ? network->a[l - 1] : input;
      RowJob job;
      double *swap;

      st_layer_weight_gradient (layer, layer_input, dz, batch, network->parallel);

      if (l == 0)
        {
          if (network->want_input_gradient)
            {
              st_layer_input_gradient (layer, dz, batch, network->input_grad, network->parallel);
              for (guint j = 0; network->input_scale != NULL && j < st_layer_get_cols (layer); j++)
                for (guint b = 0; b < batch; b++)
                  network->input_grad[(gsize) j * batch + b] *= network->input_scale[j];
            }
          break;
        }

      st_layer_input_gradient (layer, dz, batch, da, network->parallel);
      job = (RowJob) { network, g_ptr_array_index (network->layers, l - 1), l - 1, batch,
                       NULL, NULL, da };
      st_parallel_run (network->parallel,
                       (gsize) st_layer_get_rows (job.layer) * batch,
                       activation_backward_share, &job);

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
 * call, n_inputs x batch, when st_network_set_input_gradient_enabled()
 * turned it on
 */
const double *
st_network_get_input_gradient (const StNetwork *network)
{
  return network->input_grad;
}
