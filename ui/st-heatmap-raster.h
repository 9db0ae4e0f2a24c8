/* st-heatmap-raster.h: a sparse matrix rendered into a pixel buffer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "st-palette.h"

G_BEGIN_DECLS

/* The stored entries of one layer, in canonical (row-major) order.
 * @values may be NULL, which draws every stored entry as 0. */
typedef struct
{
  guint rows;
  guint cols;
  gsize nnz;
  const guint *entry_rows;
  const guint *entry_cols;
  const double *values;
} StHeatmapMatrix;

/* How one matrix dimension maps to pixels.  With @cell > 0 every index
 * gets @cell pixels, the last @gap of which separate it from the next
 * index (the last index has no gap).  With @cell == 0 the @n indices
 * share @pixels < @n pixels, and each pixel shows the entry of largest
 * magnitude among its indices. */
typedef struct
{
  guint n;
  guint pixels;
  guint cell;
  guint gap;
} StHeatmapAxis;

void     st_heatmap_raster_layout      (guint                  rows,
                                        guint                  cols,
                                        guint                  available_width,
                                        guint                  available_height,
                                        guint                  max_cell,
                                        StHeatmapAxis         *x_axis,
                                        StHeatmapAxis         *y_axis);
double   st_heatmap_raster_find_range  (const double          *values,
                                        gsize                  nnz);
void     st_heatmap_raster_fill        (const StHeatmapMatrix *matrix,
                                        const StHeatmapAxis   *x_axis,
                                        const StHeatmapAxis   *y_axis,
                                        double                 range,
                                        const StPalette       *palette,
                                        guint32               *pixels,
                                        gsize                  stride);
gboolean st_heatmap_axis_get_indices   (const StHeatmapAxis   *axis,
                                        guint                  pixel,
                                        guint                 *first,
                                        guint                 *last);
gboolean st_heatmap_matrix_find_entry  (const StHeatmapMatrix *matrix,
                                        guint                  row,
                                        guint                  col,
                                        gsize                 *position);

G_END_DECLS
