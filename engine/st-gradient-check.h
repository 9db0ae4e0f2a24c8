/* st-gradient-check.h: the engine's gradient against finite differences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "st-types.h"

G_BEGIN_DECLS

/* The worst stored entry of one layer.  The relative error of an entry is
 * |g - d| / max (|g|, |d|, floor), with g the gradient from
 * backpropagation, d the central difference (L(w + h) - L(w - h)) / 2h,
 * and floor 1e-7 times the largest |g| of the layer, or eps / 1e-6 (about
 * 2.2e-10, the smallest gradient d resolves) if that is larger, so
 * entries whose gradient is nearly 0 do not dominate. */
typedef struct
{
  gsize n_checked;          /* entries compared; all, or an even sample */
  double max_error;         /* the largest relative error */
  guint row;                /* where it is, zero-based */
  guint col;
  double analytic;          /* g there */
  double numeric;           /* d there */
} StGradientCheck;

gboolean st_network_check_gradients (StNetwork        *network,
                                     const double     *x,
                                     const double     *t,
                                     guint             batch,
                                     gsize             max_entries,
                                     StGradientCheck  *results,
                                     GCancellable     *cancellable,
                                     GError          **error);

G_END_DECLS
