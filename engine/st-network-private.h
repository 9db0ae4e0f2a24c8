/* st-network-private.h: network internals shared by its source files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "st-network.h"
#include "st-parallel.h"
#include "st-team-choice.h"

G_BEGIN_DECLS

struct _StNetwork
{
  GPtrArray *layers;   /* StLayer, owned, from input to output */
  StLoss loss;

  /* Input standardization x' = (x - mean) * scale, both n_inputs long,
   * or NULL for none. */
  double *input_mean;
  double *input_scale;

  /* Optimizer updates applied so far: Adam's bias correction needs it. */
  guint64 updates;

  StParallel *parallel;

  /* The choice whether training steps share the team.  The calling
   * thread writes it in every step and the helpers read the fields
   * around it in every job, so it has cache lines of its own. */
  StTeamChoice *team_choice;

  gboolean want_input_gradient;
  gboolean fusion_disabled;   /* tests compare the fused step with the separate passes */
  gboolean record_updates;    /* keep each weight's last change, for display */

  /* Workspace for batches of up to @capacity samples.  z[l] and a[l] hold
   * layer l's pre-activations and activations (a[l] is z[l] for the
   * identity); delta[0..1] are max-width x capacity buffers for dL/da and
   * dL/dz; input_grad holds dL/dx; standardized holds x'; row_cost holds
   * one partial cost per output unit and row_gradient the squared norm of
   * its gradient, for the fused step; scratch holds four batch-sized rows
   * per thread. */
  guint capacity;
  guint scratch_threads;
  guint batch;         /* samples in the last forward pass */
  double **z;
  double **a;
  double *delta[2];
  double *input_grad;
  double *standardized;
  double *row_cost;
  double *row_gradient;
  double *scratch;
};

gboolean st_network_ensure_capacity (StNetwork     *network,
                                     guint          batch,
                                     GError       **error);
const double *st_network_standardize (StNetwork    *network,
                                      const double *x,
                                      guint         batch);
gboolean st_network_prepare_layers  (StNetwork     *network,
                                     GError       **error);
double  *st_network_get_scratch     (StNetwork     *network,
                                     guint          worker);

G_END_DECLS
