/* st-snapshot.h: an immutable copy of the training state for display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "st-types.h"

G_BEGIN_DECLS

/* A snapshot is what the training thread hands to the window: a copy,
 * never the live arrays, so the two threads share nothing mutable.
 * It is reference counted and thread-safe to pass around. */

StSnapshot   *st_snapshot_new_from_network (const StNetwork  *network,
                                            guint64           step,
                                            guint             epoch,
                                            double            batch_cost);
StSnapshot   *st_snapshot_ref            (StSnapshot       *snapshot);
void          st_snapshot_unref          (StSnapshot       *snapshot);

guint64       st_snapshot_get_step       (const StSnapshot *snapshot);
guint         st_snapshot_get_epoch      (const StSnapshot *snapshot);
double        st_snapshot_get_batch_cost (const StSnapshot *snapshot);
guint         st_snapshot_get_n_layers   (const StSnapshot *snapshot);
gsize         st_snapshot_get_nnz        (const StSnapshot *snapshot,
                                          guint             layer);
const double *st_snapshot_get_values     (const StSnapshot *snapshot,
                                          guint             layer);
const double *st_snapshot_get_gradient   (const StSnapshot *snapshot,
                                          guint             layer);
const double *st_snapshot_get_last_update (const StSnapshot *snapshot,
                                           guint             layer);
const double *st_snapshot_get_bias       (const StSnapshot *snapshot,
                                          guint             layer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StSnapshot, st_snapshot_unref)

G_END_DECLS
