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

/* How one matrix dimension maps to the pixels of a view.  Pixel p shows
 * the indices in [origin + p / scale, origin + (p + 1) / scale), so
 * @scale is pixels per index and @origin the index at the left (or top)
 * edge of pixel 0; a negative origin leaves space before index 0.  With
 * @scale >= 1 every index is a cell of one or more pixels; below 1 each
 * pixel bins several indices and shows the one of largest magnitude. */
typedef struct
{
  guint n;
  guint pixels;
  double origin;
  double scale;
} StHeatmapAxis;

/* One pixel of a view on one axis: what it shows. */
typedef enum
{
  ST_HEATMAP_PIXEL_OUTSIDE,  /* before index 0 or after the last index */
  ST_HEATMAP_PIXEL_INSIDE,
  ST_HEATMAP_PIXEL_GAP,      /* the line between two large cells */
} StHeatmapPixelKind;

double   st_heatmap_raster_fit_scale   (guint                  rows,
                                        guint                  cols,
                                        guint                  available_width,
                                        guint                  available_height,
                                        double                 max_cell);
void     st_heatmap_axis_init          (StHeatmapAxis         *axis,
                                        guint                  n,
                                        guint                  pixels,
                                        double                 scale,
                                        double                 center);
gboolean st_heatmap_axis_has_gaps      (const StHeatmapAxis   *axis);
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
gboolean st_heatmap_axis_get_span      (const StHeatmapAxis   *axis,
                                        guint                  index,
                                        double                *start,
                                        double                *end);
gboolean st_heatmap_matrix_find_entry  (const StHeatmapMatrix *matrix,
                                        guint                  row,
                                        guint                  col,
                                        gsize                 *position);
gsize    st_heatmap_matrix_find_row    (const StHeatmapMatrix *matrix,
                                        guint                  row);
gboolean st_heatmap_matrix_find_extreme (const StHeatmapMatrix *matrix,
                                         guint                  first_row,
                                         guint                  last_row,
                                         guint                  first_col,
                                         guint                  last_col,
                                         gsize                 *position);

G_END_DECLS
