/* st-network.h: a sequence of sparse layers with a loss
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "st-optimizer.h"
#include "st-types.h"

G_BEGIN_DECLS

/* Batches are feature-major with the batch contiguous: x[j * batch + b]
 * is input j of sample b, and targets and outputs follow the same rule.
 * A network is not thread-safe: one thread at a time may use it. */

StNetwork    *st_network_new                   (StLoss            loss);
StNetwork    *st_network_copy                  (const StNetwork  *network);
void          st_network_free                  (StNetwork        *network);

gboolean      st_network_append_layer          (StNetwork        *network,
                                                StLayer          *layer,
                                                GError          **error);
gboolean      st_network_validate              (const StNetwork  *network,
                                                GError          **error);

guint         st_network_get_n_layers          (const StNetwork  *network);
StLayer      *st_network_get_layer             (const StNetwork  *network,
                                                guint             index);
guint         st_network_get_n_inputs          (const StNetwork  *network);
guint         st_network_get_n_outputs         (const StNetwork  *network);
gsize         st_network_get_nnz               (const StNetwork  *network);
StLoss        st_network_get_loss              (const StNetwork  *network);
void          st_network_set_loss              (StNetwork        *network,
                                                StLoss            loss);
gboolean      st_network_set_layout            (StNetwork        *network,
                                                StLayout          layout,
                                                GError          **error);
gboolean      st_network_set_threads           (StNetwork        *network,
                                                guint             n_threads,
                                                GError          **error);
guint         st_network_get_threads           (const StNetwork  *network);
void          st_network_set_input_gradient_enabled (StNetwork   *network,
                                                     gboolean     enabled);
void          st_network_set_fusion_disabled   (StNetwork        *network,
                                                gboolean          disabled);
void          st_network_set_record_updates    (StNetwork        *network,
                                                gboolean          record);
gboolean      st_network_get_record_updates    (const StNetwork  *network);
void          st_network_set_standardization   (StNetwork        *network,
                                                const double     *mean,
                                                const double     *scale);
const double *st_network_get_input_mean        (const StNetwork  *network);
const double *st_network_get_input_scale       (const StNetwork  *network);
guint64       st_network_get_updates           (const StNetwork  *network);
void          st_network_set_updates           (StNetwork        *network,
                                                guint64           updates);

const double *st_network_forward               (StNetwork        *network,
                                                const double     *x,
                                                guint             batch,
                                                GError          **error);
gboolean      st_network_compute_cost          (StNetwork        *network,
                                                const double     *x,
                                                const double     *t,
                                                guint             batch,
                                                double           *cost,
                                                GError          **error);
gboolean      st_network_compute_gradients     (StNetwork        *network,
                                                const double     *x,
                                                const double     *t,
                                                guint             batch,
                                                double           *cost,
                                                GError          **error);
const double *st_network_get_output            (const StNetwork  *network);
const double *st_network_get_input_gradient    (const StNetwork  *network);
gboolean      st_network_train_step            (StNetwork        *network,
                                                const double     *x,
                                                const double     *t,
                                                guint             batch,
                                                const StOptimizer *optimizer,
                                                double            learning_rate,
                                                double            max_norm,
                                                double           *cost,
                                                GError          **error);
void          st_network_apply_sgd             (StNetwork        *network,
                                                double            learning_rate);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StNetwork, st_network_free)

G_END_DECLS
