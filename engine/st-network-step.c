/* st-network-step.c: one training step: gradients, clipping and update
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A network of one layer with an element-wise activation and squared
 * error can compute its gradient in one pass over its rows, because the
 * forward sum of row i, its error and its gradient need only row i.  The
 * inputs a row gathers are then still in cache for its gradient.  The
 * fused pass uses the same row arithmetic as the separate passes, so
 * both give the same bits.
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
#include "st-loss-row.h"
#include "st-network-private.h"
#include "st-vector.h"
#include "st-optimizer.h"

/* The count of chunks claimed so far from one member's range in the
 * fused step.  Each count has a cache line of its own, so members that
 * claim chunks from their own ranges do not pass a line between cores. */
typedef struct
{
  volatile gint claimed;
} __attribute__ ((aligned (64))) ChunkCounter;

typedef struct
{
  StNetwork *network;
  StLayer *layer;
  const double *x;
  const double *t;
  guint batch;
  const StOptimizer *optimizer;
  StOptimizerStep step;
  double scale;        /* gradient factor from clipping, 1 without */
  double cost;         /* of the batch, from the fused step */
  double gradient_squares; /* squared gradient norm, from the fused step */
  ChunkCounter counters[ST_PARALLEL_MAX_THREADS]; /* fused step: one per member */
} StepJob;

/* Allocate the optimizer state the rule needs, once; later steps reuse it. */
static gboolean
ensure_optimizer_state (StNetwork          *network,
                        const StOptimizer  *optimizer,
                        GError            **error)
{
  guint n_states = st_optimizer_get_n_states (optimizer);

  for (guint l = 0; l < network->layers->len; l++)
    {
      StLayer *layer = g_ptr_array_index (network->layers, l);
      gsize nnz = st_layer_get_nnz (layer);
      guint rows = st_layer_get_rows (layer);

      if (network->record_updates && layer->last_update == NULL)
        {
          layer->last_update = g_try_malloc0_n (MAX (nnz, 1), sizeof (double));
          if (layer->last_update == NULL)
            {
              g_set_error (error, ST_ERROR, ST_ERROR_TOO_LARGE,
                           _("Cannot allocate the update record of layer %u: not enough memory"),
                           l + 1);
              return FALSE;
            }
        }

      for (guint s = 0; s < n_states; s++)
        {
          if (layer->weight_state[s] == NULL)
            layer->weight_state[s] = g_try_malloc0_n (MAX (nnz, 1), sizeof (double));
          if (layer->bias != NULL && layer->bias_state[s] == NULL)
            layer->bias_state[s] = g_try_malloc0_n (rows, sizeof (double));

          if (layer->weight_state[s] == NULL || (layer->bias != NULL && layer->bias_state[s] == NULL))
            {
              g_set_error (error, ST_ERROR, ST_ERROR_TOO_LARGE,
                           _("Cannot allocate the optimizer state of layer %u: not enough memory"),
                           l + 1);
              return FALSE;
            }
        }
    }

  return TRUE;
}

static inline __attribute__ ((always_inline)) double *
state_at (double *state,
          gsize   k)
{
  return state != NULL ? state + k : NULL;
}

/* Update the weights at positions [first, last) from their gradients.
 * The update of one weight needs only its own gradient and state, so any
 * split of the positions gives the same result.  Plain SGD gets its own
 * vector loop, since it is the common case and the cheapest to run. */
ST_VECTORIZED static void
update_positions (const StepJob *job,
                  double        *w,
                  const double  *g,
                  double        *s1,
                  double        *s2,
                  double        *change,
                  gsize          first,
                  gsize          last,
                  gboolean       decay)
{
  const StOptimizer *optimizer = job->optimizer;
  double scale = job->scale;

  /* Recording the change takes the plain loop: a rare, display-only case. */
  if (change != NULL)
    {
      for (gsize k = first; k < last; k++)
        {
          double before = w[k];

          st_optimizer_update (optimizer, &job->step, &w[k], g[k] * scale, state_at (s1, k),
                               state_at (s2, k), decay);
          change[k] = w[k] - before;
        }
      return;
    }

  if (optimizer->kind == ST_OPTIMIZER_SGD)
    {
      double rate = job->step.rate;
      double d = decay ? optimizer->weight_decay : 0.0;
      StLanes rates = { rate, rate, rate, rate, rate, rate, rate, rate };
      StLanes scales = { scale, scale, scale, scale, scale, scale, scale, scale };
      StLanes decays = { d, d, d, d, d, d, d, d };
      gsize k = first;

      for (; k + ST_LANES <= last; k += ST_LANES)
        {
          StLanes weights;
          StLanes gradients;

          ST_LOAD_LANES (weights, w + k);
          ST_LOAD_LANES (gradients, g + k);
          weights -= rates * (gradients * scales + decays * weights);
          ST_STORE_LANES (w + k, weights);
        }
      for (; k < last; k++)
        w[k] -= rate * (g[k] * scale + d * w[k]);
      return;
    }

  for (gsize k = first; k < last; k++)
    st_optimizer_update (optimizer, &job->step, &w[k], g[k] * scale, state_at (s1, k),
                         state_at (s2, k), decay);
}

/* Update member @worker's share of the weights and biases of the job's
 * layer: equal shares of the positions and of the rows. */
static void
update_layer_share (const StepJob *job,
                    guint          worker,
                    guint          n_workers)
{
  StLayer *layer = job->layer;
  gsize nnz = st_layer_get_nnz (layer);
  guint rows = st_layer_get_rows (layer);

  update_positions (job, layer->weights->data, layer->weight_grad, layer->weight_state[0],
                    layer->weight_state[1], layer->last_update, nnz * worker / n_workers,
                    nnz * (worker + 1) / n_workers, TRUE);

  if (layer->bias != NULL)
    update_positions (job, layer->bias, layer->bias_grad, layer->bias_state[0],
                      layer->bias_state[1], NULL, (gsize) rows * worker / n_workers,
                      (gsize) rows * (worker + 1) / n_workers, FALSE);
}

/* Updates the weights and biases of rows [first, last) of a layer whose
 * row traversal is its storage order (CSR and COO), so that the rows'
 * stored entries are the positions [start[first], start[last]). */
static void
update_rows (const StepJob *job,
             guint          first,
             guint          last)
{
  StLayer *layer = job->layer;
  const int *start = layer->by_row.start;

  g_assert (layer->by_row.position == NULL);

  update_positions (job, layer->weights->data, layer->weight_grad, layer->weight_state[0],
                    layer->weight_state[1], layer->last_update, start[first], start[last], TRUE);

  if (layer->bias != NULL)
    update_positions (job, layer->bias, layer->bias_grad, layer->bias_state[0],
                      layer->bias_state[1], NULL, first, last, FALSE);
}

static void
update_share (gpointer data,
              guint    worker,
              guint    n_workers)
{
  update_layer_share (data, worker, n_workers);
}

/* Stores row @i's cost and its weight and bias gradients.  The row's
 * pre-activations arrive in registers as @z.  Only for the identity
 * activation and a batch of exactly 8 @groups samples.  The gradients
 * of the rows after @i up to position @spare_end may receive zeros,
 * because their own rows store them later.  Between the gradient's
 * groups of terms, the input rows of the terms from *@requested up to
 * @request_end are requested (see st_vector_dot_terms_groups()).
 *
 * Returns: the row's squared gradient norm */
ST_VECTOR_INLINE double
row_gradient_from_lanes (const StepJob *job,
                         guint          i,
                         const StLanes *z,
                         const double  *ti,
                         guint          groups,
                         double         inverse,
                         int            spare_end,
                         int           *requested,
                         int            request_end)
{
  StLayer *layer = job->layer;
  const StTraversal *rows = &layer->by_row;
  StLanes dz[ST_MAX_GROUPS];
  double squares;

  job->network->row_cost[i] = st_loss_row_lanes (z, ti, groups, inverse, dz);
  squares = st_vector_dot_terms_groups (layer->weight_grad, rows->start[i], rows->start[i + 1],
                                        spare_end, rows->position, rows->index, job->x, NULL,
                                        dz, groups * ST_LANES, groups, TRUE, requested,
                                        request_end);
  if (layer->bias_grad != NULL)
    {
      layer->bias_grad[i] = st_lanes_sum (dz, groups);
      squares += layer->bias_grad[i] * layer->bias_grad[i];
    }

  return squares;
}

/* Does what row_gradient_from_lanes() does, for any activation and batch.  The
 * pre-activations arrive in the first scratch row.  The others receive
 * the activations (unless the identity), the error and dz.  With
 * @requested, the gradient requests inputs as st_vector_dot_terms()
 * states. */
ST_VECTOR_INLINE double
row_gradient_from_memory (const StepJob *job,
                          guint          i,
                          double        *scratch,
                          const double  *ti,
                          guint          batch,
                          double         inverse,
                          int           *requested,
                          int            request_end)
{
  StLayer *layer = job->layer;
  const StTraversal *rows = &layer->by_row;
  StActivation activation = layer->activation;
  guint capacity = job->network->capacity;
  double *zi = scratch;
  double *ai = activation == ST_ACTIVATION_IDENTITY ? zi : scratch + capacity;
  double *dzi = scratch + 2 * (gsize) capacity;
  double *error = scratch + 3 * (gsize) capacity;
  double squares;

  if (ai != zi)
    st_activation_forward (activation, zi, ai, 1, batch);

  job->network->row_cost[i] = st_loss_row_inline (activation, zi, ai, ti, batch, inverse,
                                                  error, dzi);
  squares = st_vector_dot_terms (layer->weight_grad, rows->start[i], rows->start[i + 1],
                                 rows->position, rows->index, job->x, dzi, batch, requested,
                                 request_end);
  if (layer->bias_grad != NULL)
    {
      layer->bias_grad[i] = st_vector_sum (dzi, batch);
      squares += layer->bias_grad[i] * layer->bias_grad[i];
    }

  return squares;
}

/* The gradient's requests for the next terms' inputs pay where the
 * inputs are several times a core's L2 (1 MiB on hosts A and B, 512 KiB
 * on host C): 8 MiB on s3.  On s2, whose 2 MiB of inputs partly stay in
 * L2, they made the step 1.02 times as slow (1.07 with 4 requests a
 * group).  Rows whose gathers are runs of fewer than 8 lines do not
 * take them, untried: s1's inputs fit in L2, and s4's short rows have
 * their inputs requested rows ahead already (ST_ROW_PREFETCH_AHEAD). */
#define ST_GRADIENT_REQUEST_MIN_INPUT_BYTES (4 * 1024 * 1024)

/* Forward sum, error and gradient of rows [first, last), in one pass per
 * row.  The row's pre-activation, activation and dz live only in
 * registers or in the member's scratch rows, because nothing needs them
 * after the step.  Kept out of the network's batch-sized arrays, they
 * leave the shared cache to the inputs the rows gather.  With AVX-512,
 * a linear unit with a batch of 16, 32 or 64 keeps the row in registers
 * from the forward sum to the gradient.  Other rows are stored and
 * loaded twice, and so is every row in the kernels' narrow forms
 * (ST_USE_QUADS()), whose 16 registers cannot hold a row.
 * Everything it calls is inlined, so a row costs no function call; for
 * a 65536-row layer that matters.
 *
 * Both ways give the same bits: the same arithmetic in the same order.
 * @quads is ST_USE_QUADS(), passed as a constant.
 *
 * Where the inputs are several times a core's L2 and each gather is a
 * run of 8 lines, the gradient also requests the next terms' inputs
 * between its groups of terms (ST_GRADIENT_REQUESTS).  They then arrive
 * while this row's arithmetic runs.
 *
 * TODO: even so, a row's gathers and its arithmetic overlap only partly
 * on such inputs (8 MiB at 16384 columns and batch 64), because the
 * gradient waits for the forward sum (docs/benchmarks.md). */
ST_VECTOR_INLINE void
fused_rows_of_batch (const StepJob *job,
                     guint          first,
                     guint          last,
                     double        *scratch,
                     guint          batch,
                     gboolean       quads)
{
  StLayer *layer = job->layer;
  const StTraversal *rows = &layer->by_row;
  double inverse = 1.0 / ((double) st_layer_get_rows (layer) * batch);
  guint groups = batch / ST_LANES;
  gboolean in_registers = !quads && layer->activation == ST_ACTIVATION_IDENTITY &&
                          batch % ST_LANES == 0 && (groups == 2 || groups == 4 || groups == 8);
  int lines_per_term = MIN ((batch + 7) / 8, 8);
  int lookahead = ST_ROW_PREFETCH_AHEAD / lines_per_term;
  int burst = ST_ROW_PREFETCH_LINES / lines_per_term;
  int requested = rows->start[first];
  int share_end = rows->start[last];
  gsize input_bytes = (gsize) st_layer_get_cols (layer) * batch * sizeof (double);
  gboolean request_in_gradient = input_bytes >= ST_GRADIENT_REQUEST_MIN_INPUT_BYTES &&
                                 lines_per_term >= 8;
  int stop;

  for (guint i = first; i < last; i++)
    {
      const double *ti = job->t + (gsize) i * batch;
      double start = layer->bias != NULL ? layer->bias[i] : 0.0;
      StLanes z[ST_MAX_GROUPS];
      double squares;

      if (i + 1 < last)
        st_vector_prefetch_row (ti + batch, batch, 8);

      /* No requests within the row: the prefetch start is the row's end.
       * The lookahead below covers the first terms of each row.  With it,
       * requests within the row measured as fast on s3 and s4, and 6 to
       * 8 % slower on s1, whose inputs fit in L2. */
      if (in_registers)
        st_vector_accumulate_lanes (z, start, rows->start[i], rows->start[i + 1],
                                    rows->start[i + 1], layer->weights->data, rows->position,
                                    rows->index, job->x, batch, 0, groups);
      else
        st_vector_accumulate_requested (scratch, start, rows->start[i], rows->start[i + 1],
                                        layer->weights->data, rows->position, rows->index,
                                        job->x, batch);

      /* Request the input rows of the next terms past this row, at most
       * a burst of them.  They arrive while this row's error and
       * gradient use inputs already in cache.  Requested before the sum,
       * they would compete with its own loads. */
      requested = MAX (requested, rows->start[i + 1]);
      stop = MIN (MIN (rows->start[i + 1] + lookahead, requested + burst), share_end);
      for (; requested < stop; requested++)
        st_vector_prefetch_row (job->x + (gsize) rows->index[requested] * batch, batch, 8);

      /* The gradient may request up to the end of the next row.  The
       * call without requests is a branch of its own, so that the other
       * layers do not pay for the test in every group of terms.  Rows
       * outside the register path take the requests only in the narrow
       * form, the one where they were measured. */
      if (in_registers)
        {
          if (request_in_gradient)
            squares = row_gradient_from_lanes (job, i, z, ti, groups, inverse, share_end,
                                               &requested,
                                               i + 1 < last ? rows->start[i + 2] : requested);
          else
            squares = row_gradient_from_lanes (job, i, z, ti, groups, inverse, share_end, NULL, 0);
        }
      else if (quads && request_in_gradient)
        squares = row_gradient_from_memory (job, i, scratch, ti, batch, inverse, &requested,
                                            i + 1 < last ? rows->start[i + 2] : requested);
      else
        squares = row_gradient_from_memory (job, i, scratch, ti, batch, inverse, NULL, 0);

      /* Only whether this is finite matters, so its order does not. */
      job->network->row_gradient[i] = squares;
    }
}

/* Runs fused_rows_of_batch() with the common batch sizes as constants,
 * so that the kernels' loops over the batch unroll and their lane groups
 * stay in registers. */
ST_VECTOR_INLINE void
fused_rows_of_form (const StepJob *job,
                    guint          first,
                    guint          last,
                    double        *scratch,
                    gboolean       quads)
{
  switch (job->batch)
    {
    case 16:
      fused_rows_of_batch (job, first, last, scratch, 16, quads);
      break;
    case 32:
      fused_rows_of_batch (job, first, last, scratch, 32, quads);
      break;
    case 64:
      fused_rows_of_batch (job, first, last, scratch, 64, quads);
      break;
    default:
      fused_rows_of_batch (job, first, last, scratch, job->batch, quads);
      break;
    }
}

/* Runs the fused rows in the form of the kernels that this processor
 * takes, passed on as a constant.  Tested inside, it let GCC move the
 * register path's eight-lane constants above the test, and without
 * AVX-512 it builds those on the stack: the narrow form paid for that in
 * every row. */
ST_VECTORIZED static void
fused_rows (const StepJob *job,
            guint          first,
            guint          last,
            double        *scratch)
{
  if (ST_USE_QUADS ())
    fused_rows_of_form (job, first, last, scratch, TRUE);
  else
    fused_rows_of_form (job, first, last, scratch, FALSE);
}

/* Chunks of rows per team member in the fused step.  Many small chunks
 * keep both members busy when the other programs of a shared machine
 * slow one of them down, because a member that runs out of its own
 * chunks claims the others'. */
#define FUSED_CHUNKS_PER_MEMBER 16

/* The maximum number of chunks.  A chunk has n_rows / (16 x members)
 * rows, rounded down, or one row, so there are fewer than 2 x 16 chunks
 * per member. */
#define FUSED_MAX_CHUNKS (2 * FUSED_CHUNKS_PER_MEMBER * ST_PARALLEL_MAX_THREADS)

/* Claims the next chunk of member @owner's range of the @n_chunks chunks
 * and stores its number in @chunk.
 *
 * Returns: %FALSE when no chunk of that range is left */
static gboolean
claim_chunk (StepJob *job,
             guint    owner,
             guint    n_workers,
             guint    n_chunks,
             guint   *chunk)
{
  guint first = n_chunks * owner / n_workers;
  guint end = n_chunks * (owner + 1) / n_workers;
  guint claimed = (guint) g_atomic_int_add (&job->counters[owner].claimed, 1);

  if (claimed >= end - first)
    return FALSE;

  *chunk = first + claimed;
  return TRUE;
}

/* The whole step of a single layer with an element-wise activation and
 * squared error, in one job.  First the rows' forward sums, errors and
 * gradients, then a barrier.  Each member takes the chunks of rows of
 * its own range, then claims what is left of the others' ranges.  Which
 * member computes a row does not change its bits:
 * a row is summed by one member in a fixed order, and its cost and
 * gradient go to the row's own slot, which the sums below read in row
 * order.  Every member then adds up the batch cost the same way and,
 * when it is finite, updates the rows it computed.  This takes one
 * hand-over to the helpers per step instead of two. */
static void
fused_share (gpointer data,
             guint    worker,
             guint    n_workers)
{
  StepJob *job = data;
  StNetwork *network = job->network;
  guint n_rows = st_layer_get_rows (job->layer);
  guint chunk_rows = MAX (1, n_rows / (FUSED_CHUNKS_PER_MEMBER * n_workers));
  guint n_chunks = (n_rows + chunk_rows - 1) / chunk_rows;
  double *scratch = st_network_get_scratch (network, worker);
  guint mine[FUSED_MAX_CHUNKS];
  guint n_mine = 0;
  double cost;
  double gradient;

  /* A member works through its own range first, in order, so it
   * computes and updates the same rows in every step, and their weights,
   * gradients and targets stay in its cache.  Then it claims what is
   * left of the other ranges. */
  for (guint k = 0; k < n_workers; k++)
    {
      guint owner = (worker + k) % n_workers;
      guint chunk;

      while (claim_chunk (job, owner, n_workers, n_chunks, &chunk))
        {
          guint first = chunk * chunk_rows;

          g_assert (n_mine < FUSED_MAX_CHUNKS);
          mine[n_mine++] = chunk;
          fused_rows (job, first, MIN (first + chunk_rows, n_rows), scratch);
        }
    }

  st_parallel_barrier (network->parallel);

  cost = st_vector_sum (network->row_cost, n_rows) / (2.0 * n_rows * job->batch);
  gradient = st_vector_sum (network->row_gradient, n_rows);
  if (worker == 0)
    {
      job->cost = cost;
      job->gradient_squares = gradient;
    }

  /* As in the separate passes: no update from a non-finite cost or
   * gradient, so the weights keep their last finite values. */
  if (!isfinite (cost) || !isfinite (gradient))
    return;

  /* Each member updates the rows it computed, whose gradients are in its
   * own cache.  With an equal split of the positions instead, half of
   * each member's share came from the other core.  The update then took
   * 10 % of the step of a 1024 x 1024 layer at 5 % density on 2 threads.
   * CSC stores a row's entries apart, so it keeps the equal split. */
  if (job->layer->by_row.position != NULL)
    {
      update_layer_share (job, worker, n_workers);
      return;
    }

  for (guint k = 0; k < n_mine; k++)
    update_rows (job, mine[k] * chunk_rows, MIN ((mine[k] + 1) * chunk_rows, n_rows));
}

static gboolean
can_fuse (const StNetwork *network,
          double           max_norm)
{
  StLayer *layer;

  if (network->layers->len != 1 || network->fusion_disabled || max_norm > 0.0)
    return FALSE;

  layer = g_ptr_array_index (network->layers, 0);
  return network->loss == ST_LOSS_HALF_MSE && layer->activation != ST_ACTIVATION_SOFTMAX;
}

static void
square_sum_share (gpointer data,
                  guint    worker,
                  guint    n_workers)
{
  const StepJob *job = data;
  StLayer *layer = job->layer;
  const StTraversal *rows = &layer->by_row;
  guint first;
  guint last;

  st_traversal_get_share (rows, worker, n_workers, &first, &last);
  for (guint i = first; i < last; i++)
    {
      double sum = 0.0;

      for (int e = rows->start[i]; e < rows->start[i + 1]; e++)
        {
          double g = layer->weight_grad[rows->position ? rows->position[e] : e];

          sum += g * g;
        }
      if (layer->bias_grad != NULL)
        sum += layer->bias_grad[i] * layer->bias_grad[i];

      job->network->row_cost[i] = sum;
    }
}

/* Returns: the Euclidean norm of every weight and bias gradient.  Each row
 * is summed in canonical order and the rows in lane order, so neither
 * the layout nor the thread count changes the result. */
static double
gradient_norm (StNetwork *network)
{
  double squares = 0.0;

  for (guint l = 0; l < network->layers->len; l++)
    {
      StLayer *layer = g_ptr_array_index (network->layers, l);
      StepJob job = { .network = network, .layer = layer };

      st_parallel_run (network->parallel, st_layer_get_nnz (layer), square_sum_share, &job);
      squares += st_vector_sum (network->row_cost, st_layer_get_rows (layer));
    }

  return sqrt (squares);
}

/* Apply the optimizer to every layer, gradients scaled by @scale. */
static void
apply_update (StNetwork         *network,
              const StOptimizer *optimizer,
              double             learning_rate,
              double             scale)
{
  StepJob job = { .network = network, .optimizer = optimizer, .scale = scale };

  network->updates++;
  st_optimizer_begin_step (optimizer, learning_rate, network->updates, &job.step);

  for (guint l = 0; l < network->layers->len; l++)
    {
      job.layer = g_ptr_array_index (network->layers, l);
      st_parallel_run (network->parallel, st_layer_get_nnz (job.layer), update_share, &job);
    }
}

/* The training step itself: st_network_train_step() without the
 * choice of whether it shares the team. */
static gboolean
train_step (StNetwork          *network,
            const double       *x,
            const double       *t,
            guint               batch,
            const StOptimizer  *optimizer,
            double              learning_rate,
            double              max_norm,
            double             *cost,
            GError            **error)
{
  double scale = 1.0;
  double batch_cost;
  double norm = 0.0;
  gboolean fused;

  if (!st_network_ensure_capacity (network, batch, error) ||
      !st_network_prepare_layers (network, error) ||
      !ensure_optimizer_state (network, optimizer, error))
    return FALSE;

  fused = can_fuse (network, max_norm);
  if (fused)
    {
      StLayer *layer = g_ptr_array_index (network->layers, 0);
      StepJob job = { network, layer, st_network_standardize (network, x, batch), t, batch,
                      optimizer, { 0 }, 1.0, 0.0, 0.0 };

      /* The update count moves first, so Adam's correction is the same as
       * in the separate passes.  It moves back when the cost or the
       * gradient is not finite, because then nothing was updated. */
      network->updates++;
      st_optimizer_begin_step (optimizer, learning_rate, network->updates, &job.step);
      st_parallel_run (network->parallel, st_layer_get_nnz (layer) * batch, fused_share, &job);
      network->batch = batch;
      batch_cost = job.cost;
      norm = sqrt (job.gradient_squares);
      if (!isfinite (batch_cost) || !isfinite (norm))
        network->updates--;
    }
  else if (!st_network_compute_gradients (network, x, t, batch, &batch_cost, error))
    return FALSE;

  if (cost != NULL)
    *cost = batch_cost;

  /* Never update from a batch whose cost is not finite: the weights stay
   * as they were, and the caller decides what to tell the user. */
  if (!isfinite (batch_cost))
    {
      g_set_error (error, ST_ERROR, ST_ERROR_NUMERIC,
                   _("the cost is %g; no weight was changed"), batch_cost);
      return FALSE;
    }

  /* A gradient above about 1e154 squares to infinity, so a finite norm
   * also keeps Adam's squared-gradient state and every update finite. */
  if (!fused)
    norm = gradient_norm (network);
  if (!isfinite (norm))
    {
      g_set_error (error, ST_ERROR, ST_ERROR_NUMERIC,
                   _("a gradient is not finite or larger than 1e154 (the norm is %g); "
                     "no weight was changed"), norm);
      return FALSE;
    }

  if (fused)
    return TRUE;

  if (max_norm > 0.0 && norm > max_norm)
    scale = max_norm / norm;

  apply_update (network, optimizer, learning_rate, scale);
  return TRUE;
}

/**
 * st_network_train_step:
 * @network: a valid network
 * @x: (array): inputs, n_inputs x @batch
 * @t: (array): targets, n_outputs x @batch
 * @batch: number of samples
 * @optimizer: the update rule
 * @learning_rate: its rate for this step
 * @max_norm: clip the gradient to this Euclidean norm over all weights
 *   and biases, or 0 for no clipping
 * @cost: (out) (optional): the batch cost before the update
 * @error: return location for an error
 *
 * Computes the gradients and updates every stored weight and bias once.
 * Allocates only on the first call and when the batch grows.  With more
 * than one thread, the step runs on the whole team or on the calling
 * thread alone, whichever recent steps found faster per sample
 * (st-team-choice.c).  That choice never changes a result.
 *
 * Returns: %FALSE with @error set when memory runs out, or with
 * %ST_ERROR_NUMERIC (and @cost set) when the cost or the gradient is not
 * finite; the weights are then unchanged
 */
gboolean
st_network_train_step (StNetwork          *network,
                       const double       *x,
                       const double       *t,
                       guint               batch,
                       const StOptimizer  *optimizer,
                       double              learning_rate,
                       double              max_norm,
                       double             *cost,
                       GError            **error)
{
  StTeamMode mode = st_team_choice_next (network->team_choice);
  gboolean has_helpers = st_parallel_get_n_threads (network->parallel) > 1;
  gint64 started = g_get_monotonic_time ();
  gboolean done;

  /* Each step runs on the team or on this thread alone, whichever
   * st-team-choice.c found faster; the bits are the same either way. */
  st_parallel_set_alone (network->parallel, has_helpers && mode == ST_TEAM_ALONE);
  done = train_step (network, x, t, batch, optimizer, learning_rate, max_norm, cost, error);

  if (done && has_helpers && batch > 0)
    st_team_choice_record (network->team_choice, mode,
                           (double) (g_get_monotonic_time () - started) / batch);

  /* The work between steps, such as the forward passes that measure
   * accuracy, goes the way the next step will. */
  st_parallel_set_alone (network->parallel,
                         has_helpers &&
                         st_team_choice_next (network->team_choice) == ST_TEAM_ALONE);

  return done;
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
  StOptimizer sgd;

  st_optimizer_init_default (&sgd, ST_OPTIMIZER_SGD);
  if (!st_network_prepare_layers (network, NULL))
    g_error ("Cannot allocate the gradient for an update: not enough memory");
  apply_update (network, &sgd, learning_rate, 1.0);
}
