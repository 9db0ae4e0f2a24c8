/* st-heatmap.h: a heat map of one sparse layer's weights
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ST_TYPE_HEATMAP (st_heatmap_get_type ())

G_DECLARE_FINAL_TYPE (StHeatmap, st_heatmap, ST, HEATMAP, GtkWidget)

GtkWidget *st_heatmap_new           (void);
void       st_heatmap_set_pattern   (StHeatmap    *self,
                                     guint         rows,
                                     guint         cols,
                                     gsize         nnz,
                                     const guint  *entry_rows,
                                     const guint  *entry_cols);
void       st_heatmap_set_values    (StHeatmap    *self,
                                     const double *values,
                                     gsize         nnz);
void       st_heatmap_clear         (StHeatmap    *self);
double     st_heatmap_get_range     (StHeatmap    *self);
gboolean   st_heatmap_get_dark      (StHeatmap    *self);

G_END_DECLS
