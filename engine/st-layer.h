/* st-layer.h: one sparse layer with a fixed pattern
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "st-types.h"

G_BEGIN_DECLS

/* A layer computes a = f(W x + b) for a rows x cols matrix W whose
 * pattern of stored entries never changes.  Rows are outputs, columns are
 * inputs.  Only stored entries have a value, a gradient and an optimizer
 * state; every other position is a structural zero, never allocated.
 *
 * Entry order: the "canonical" order is row-major (by row, then column),
 * whatever the layout.  Functions that take or return arrays of nnz
 * values say which order they use; the layout order is the order of the
 * value array inside the current layout. */

/* Largest row or column count.  GSL's sparse matrices index with int. */
#define ST_LAYER_MAX_DIMENSION ((guint) G_MAXINT - 1)

/* Largest number of stored entries, for the same reason. */
#define ST_LAYER_MAX_NNZ ((gsize) G_MAXINT - 1)

StLayer      *st_layer_new                 (guint          rows,
                                            guint          cols,
                                            gsize          nnz,
                                            const guint   *entry_rows,
                                            const guint   *entry_cols,
                                            const double  *values,
                                            StLayout       layout,
                                            GError       **error);
StLayer      *st_layer_copy                (const StLayer *layer);
void          st_layer_free                (StLayer       *layer);

guint         st_layer_get_rows            (const StLayer *layer);
guint         st_layer_get_cols            (const StLayer *layer);
gsize         st_layer_get_nnz             (const StLayer *layer);
double        st_layer_get_density         (const StLayer *layer);

StLayout      st_layer_get_layout          (const StLayer *layer);
gboolean      st_layer_set_layout          (StLayer       *layer,
                                            StLayout       layout,
                                            GError       **error);

StActivation  st_layer_get_activation      (const StLayer *layer);
void          st_layer_set_activation      (StLayer       *layer,
                                            StActivation   activation);

gboolean      st_layer_has_bias            (const StLayer *layer);
gboolean      st_layer_set_has_bias        (StLayer       *layer,
                                            gboolean       has_bias,
                                            GError       **error);
double       *st_layer_get_bias            (StLayer       *layer);
const double *st_layer_get_bias_gradient   (const StLayer *layer);

double       *st_layer_get_values          (StLayer       *layer);
const double *st_layer_get_weight_gradient (const StLayer *layer);
const double *st_layer_get_last_update     (const StLayer *layer);
gboolean      st_layer_find_entry          (const StLayer *layer,
                                            guint          row,
                                            guint          col,
                                            gsize         *position);
void          st_layer_get_entry           (const StLayer *layer,
                                            gsize          position,
                                            guint         *row,
                                            guint         *col);

void          st_layer_get_canonical_order (const StLayer *layer,
                                            gsize         *positions);
void          st_layer_copy_entries        (const StLayer *layer,
                                            guint         *rows,
                                            guint         *cols,
                                            double        *values,
                                            double        *gradient);
void          st_layer_copy_canonical      (const StLayer *layer,
                                            const double  *layout_order,
                                            double        *canonical);
void          st_layer_set_canonical_values (StLayer      *layer,
                                             const double *values);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StLayer, st_layer_free)

G_END_DECLS
