/* st-heatmap-raster.c: a sparse matrix rendered into a pixel buffer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The heat map is drawn as one image whose pixels are computed here,
 * away from any drawing context: one pass over the stored entries, one
 * pass over the pixels.  Memory and time grow with nnz plus the pixel
 * count, never with rows x cols, so a 4096 x 4096 layer costs no more
 * than its stored entries and the widget's size.
 */

#define G_LOG_DOMAIN "st-heatmap"

#include "config.h"

#include <math.h>

#include "st-heatmap-raster.h"

/* Cells of this many pixels or more get a one-pixel gap between them. */
#define MIN_CELL_FOR_GAP 6

/* A binned axis keeps at least this many pixels (or n, if smaller), so
 * a 1 x 4096 layer is not drawn one pixel thin. */
#define MIN_BINNED_EXTENT 24

static void
layout_binned_axis (StHeatmapAxis *axis,
                    guint          n,
                    double         scale,
                    guint          available)
{
  guint pixels = (guint) floor (n * scale);

  pixels = MAX (pixels, MIN (n, MIN_BINNED_EXTENT));
  pixels = MAX (MIN (pixels, available), 1);

  axis->n = n;
  if (pixels >= n)
    {
      axis->cell = pixels / n;
      axis->gap = 0;
      axis->pixels = n * axis->cell;
    }
  else
    {
      axis->cell = 0;
      axis->gap = 0;
      axis->pixels = pixels;
    }
}

/**
 * st_heatmap_raster_layout:
 * @rows: matrix rows, at least 1
 * @cols: matrix columns, at least 1
 * @available_width: pixels available across
 * @available_height: pixels available down
 * @max_cell: largest cell size in pixels
 * @x_axis: (out): the column axis
 * @y_axis: (out): the row axis
 *
 * Chooses square cells of a whole number of pixels when they fit at
 * least one pixel, and binning otherwise, keeping the matrix's aspect
 * ratio in both cases.
 */
void
st_heatmap_raster_layout (guint          rows,
                          guint          cols,
                          guint          available_width,
                          guint          available_height,
                          guint          max_cell,
                          StHeatmapAxis *x_axis,
                          StHeatmapAxis *y_axis)
{
  double scale;

  g_return_if_fail (rows > 0 && cols > 0);

  available_width = MAX (available_width, 1);
  available_height = MAX (available_height, 1);
  scale = MIN ((double) available_width / cols, (double) available_height / rows);

  if (scale >= 1.0)
    {
      guint cell = MIN ((guint) floor (scale), MAX (max_cell, 1));
      guint gap = cell >= MIN_CELL_FOR_GAP ? 1 : 0;

      *x_axis = (StHeatmapAxis) { cols, cols * cell - gap, cell, gap };
      *y_axis = (StHeatmapAxis) { rows, rows * cell - gap, cell, gap };
      return;
    }

  layout_binned_axis (x_axis, cols, scale, available_width);
  layout_binned_axis (y_axis, rows, scale, available_height);
}

/* Returns: the largest finite magnitude among @values, or 0 when there
 * is none.  The colour scale is [-range, range]. */
double
st_heatmap_raster_find_range (const double *values,
                              gsize         nnz)
{
  double range = 0.0;

  for (gsize k = 0; k < nnz; k++)
    if (isfinite (values[k]))
      range = MAX (range, fabs (values[k]));

  return range;
}

/* The pixels [*start, *end) that index @index covers on @axis. */
static void
axis_get_span (const StHeatmapAxis *axis,
               guint                index,
               guint               *start,
               guint               *end)
{
  if (axis->cell > 0)
    {
      *start = index * axis->cell;
      *end = MIN (*start + axis->cell - axis->gap, axis->pixels);
    }
  else
    {
      *start = (guint) ((guint64) index * axis->pixels / axis->n);
      *end = *start + 1;
    }
}

static gboolean
axis_is_gap (const StHeatmapAxis *axis,
             guint                pixel)
{
  return axis->gap > 0 && pixel % axis->cell >= axis->cell - axis->gap;
}

/* Keeps, per pixel, the stored value of largest magnitude with its
 * sign.  NaN marks a pixel that no stored entry reaches. */
static float *
bin_entries (const StHeatmapMatrix *matrix,
             const StHeatmapAxis   *x_axis,
             const StHeatmapAxis   *y_axis)
{
  gsize n_pixels = (gsize) x_axis->pixels * y_axis->pixels;
  float *bins = g_new (float, n_pixels);

  for (gsize i = 0; i < n_pixels; i++)
    bins[i] = NAN;

  for (gsize k = 0; k < matrix->nnz; k++)
    {
      double value = matrix->values != NULL ? matrix->values[k] : 0.0;
      float v = isnan (value) ? 0.0f : (float) value;
      guint x0, x1, y0, y1;

      axis_get_span (x_axis, matrix->entry_cols[k], &x0, &x1);
      axis_get_span (y_axis, matrix->entry_rows[k], &y0, &y1);

      for (guint y = y0; y < y1; y++)
        for (guint x = x0; x < x1; x++)
          {
            float *bin = &bins[(gsize) y * x_axis->pixels + x];

            if (isnan (*bin) || fabsf (v) > fabsf (*bin))
              *bin = v;
          }
    }

  return bins;
}

/**
 * st_heatmap_raster_fill:
 * @matrix: the stored entries
 * @x_axis: the column axis from st_heatmap_raster_layout()
 * @y_axis: the row axis
 * @range: the magnitude of the strongest colour (see st_palette_map())
 * @palette: the colours
 * @pixels: (out caller-allocates): @y_axis->pixels rows of @stride words
 * @stride: words per pixel row, at least @x_axis->pixels
 *
 * Renders the matrix: stored entries in the diverging colours, pixels
 * that no stored entry covers in the structural-zero hatch, and gaps
 * between large cells transparent.
 */
void
st_heatmap_raster_fill (const StHeatmapMatrix *matrix,
                        const StHeatmapAxis   *x_axis,
                        const StHeatmapAxis   *y_axis,
                        double                 range,
                        const StPalette       *palette,
                        guint32               *pixels,
                        gsize                  stride)
{
  g_autofree float *bins = NULL;

  g_return_if_fail (stride >= x_axis->pixels);

  bins = bin_entries (matrix, x_axis, y_axis);

  for (guint y = 0; y < y_axis->pixels; y++)
    {
      guint32 *row = pixels + (gsize) y * stride;
      const float *bin_row = bins + (gsize) y * x_axis->pixels;
      gboolean gap_row = axis_is_gap (y_axis, y);

      for (guint x = 0; x < x_axis->pixels; x++)
        {
          if (gap_row || axis_is_gap (x_axis, x))
            row[x] = palette->gap;
          else if (isnan (bin_row[x]))
            row[x] = st_palette_structural (palette, x, y);
          else
            row[x] = st_palette_map (palette, bin_row[x], range);
        }
    }
}

/**
 * st_heatmap_axis_get_indices:
 * @axis: an axis
 * @pixel: a pixel on it
 * @first: (out): the first index under @pixel
 * @last: (out): the last index under @pixel
 *
 * Returns: %FALSE when @pixel is outside the axis or in a gap
 */
gboolean
st_heatmap_axis_get_indices (const StHeatmapAxis *axis,
                             guint                pixel,
                             guint               *first,
                             guint               *last)
{
  if (pixel >= axis->pixels || axis_is_gap (axis, pixel))
    return FALSE;

  if (axis->cell > 0)
    {
      *first = *last = pixel / axis->cell;
      return TRUE;
    }

  /* Index i lands on pixel floor(i * pixels / n), so pixel p covers the
   * indices from ceil(p * n / pixels) up to ceil((p + 1) * n / pixels) - 1. */
  *first = (guint) (((guint64) pixel * axis->n + axis->pixels - 1) / axis->pixels);
  *last = (guint) (((guint64) (pixel + 1) * axis->n + axis->pixels - 1) / axis->pixels) - 1;
  return *first <= *last;
}

/* Binary search in canonical order.  Returns: %TRUE when (@row, @col) is
 * a stored entry, with its position in @position. */
gboolean
st_heatmap_matrix_find_entry (const StHeatmapMatrix *matrix,
                              guint                  row,
                              guint                  col,
                              gsize                 *position)
{
  gsize lo = 0;
  gsize hi = matrix->nnz;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;
      guint r = matrix->entry_rows[mid];
      guint c = matrix->entry_cols[mid];

      if (r == row && c == col)
        {
          *position = mid;
          return TRUE;
        }

      if (r < row || (r == row && c < col))
        lo = mid + 1;
      else
        hi = mid;
    }

  return FALSE;
}
