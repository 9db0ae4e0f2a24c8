/* st-heatmap-raster.c: a sparse matrix rendered into a pixel buffer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The heat map is drawn as one image of the view's size, whose pixels
 * are computed here, away from any drawing context.  Time and memory
 * grow with the pixels of the view plus the stored entries in it, never
 * with rows x cols, so a 65536 x 65536 layer costs no more than its
 * stored entries and the widget's size.
 *
 * Two paths fill the image.  When cells are at least one pixel, each
 * pixel row looks up its matrix row and walks that row's entries
 * together with the pixel columns.  When cells are below a pixel, each
 * visible entry is dropped into the pixel it falls in, and the pixel
 * keeps the value of largest magnitude with its sign.
 */

#define G_LOG_DOMAIN "st-heatmap"

#include "config.h"

#include <math.h>
#include <string.h>

#include "st-heatmap-raster.h"

/* Cells of this many pixels or more get a one-pixel gap between them. */
#define MIN_CELL_FOR_GAP 6

/**
 * st_heatmap_raster_fit_scale:
 * @rows: matrix rows, at least 1
 * @cols: matrix columns, at least 1
 * @available_width: pixels available across
 * @available_height: pixels available down
 * @max_cell: largest cell size in pixels
 *
 * Returns: the pixels per index that show the whole matrix: a whole
 * number up to @max_cell when cells fit at least one pixel, so cells
 * are sharp, and the exact fraction otherwise.
 */
double
st_heatmap_raster_fit_scale (guint  rows,
                             guint  cols,
                             guint  available_width,
                             guint  available_height,
                             double max_cell)
{
  double scale;

  g_return_val_if_fail (rows > 0 && cols > 0, 1.0);

  scale = MIN ((double) MAX (available_width, 1) / cols,
               (double) MAX (available_height, 1) / rows);
  if (scale >= 1.0)
    scale = MIN (floor (scale), MAX (max_cell, 1.0));

  return scale;
}

/**
 * st_heatmap_axis_init:
 * @axis: (out): the axis
 * @n: indices on the axis
 * @pixels: pixels of the view on the axis
 * @scale: pixels per index
 * @center: the index position at the middle of the view
 *
 * Places the view.  With cells of a whole number of pixels, the origin
 * is rounded so that cell edges fall on pixel edges.
 */
void
st_heatmap_axis_init (StHeatmapAxis *axis,
                      guint          n,
                      guint          pixels,
                      double         scale,
                      double         center)
{
  double origin = center - pixels / (2.0 * scale);

  if (scale >= 1.0)
    origin = round (origin * scale) / scale;

  *axis = (StHeatmapAxis) { n, pixels, origin, scale };
}

gboolean
st_heatmap_axis_has_gaps (const StHeatmapAxis *axis)
{
  return axis->scale >= MIN_CELL_FOR_GAP;
}

/* Cell mode: the index that pixel @pixel shows, which may be outside
 * [0, n). */
static gint64
cell_index (const StHeatmapAxis *axis,
            guint                pixel)
{
  return (gint64) floor (axis->origin + (pixel + 0.5) / axis->scale);
}

/* Cell mode: the first pixel of index @index, possibly off the view. */
static gint64
cell_start (const StHeatmapAxis *axis,
            gint64               index)
{
  return (gint64) ceil ((index - axis->origin) * axis->scale - 0.5);
}

/* Binned mode: the pixel that index @index falls in. */
static gint64
bin_pixel (const StHeatmapAxis *axis,
           guint                index)
{
  return (gint64) floor ((index - axis->origin) * axis->scale);
}

/* Classifies every pixel of @axis; in cell mode also stores the index
 * each pixel shows. */
static void
classify_pixels (const StHeatmapAxis *axis,
                 guint8              *kinds,
                 guint               *indices)
{
  gboolean gaps = st_heatmap_axis_has_gaps (axis);

  for (guint p = 0; p < axis->pixels; p++)
    {
      if (axis->scale >= 1.0)
        {
          gint64 index = cell_index (axis, p);

          if (index < 0 || index >= axis->n)
            kinds[p] = ST_HEATMAP_PIXEL_OUTSIDE;
          else if (gaps && index + 1 < axis->n && p + 1 == cell_start (axis, index + 1))
            kinds[p] = ST_HEATMAP_PIXEL_GAP;
          else
            kinds[p] = ST_HEATMAP_PIXEL_INSIDE;

          indices[p] = (guint) CLAMP (index, 0, (gint64) axis->n - 1);
        }
      else
        {
          gboolean inside = (gint64) p >= bin_pixel (axis, 0) && (gint64) p <= bin_pixel (axis, axis->n - 1);

          kinds[p] = inside ? ST_HEATMAP_PIXEL_INSIDE : ST_HEATMAP_PIXEL_OUTSIDE;
          indices[p] = 0;
        }
    }
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

/* Returns: the position of the first entry in @row or after it. */
gsize
st_heatmap_matrix_find_row (const StHeatmapMatrix *matrix,
                            guint                  row)
{
  gsize lo = 0;
  gsize hi = matrix->nnz;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (matrix->entry_rows[mid] < row)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

/* Bins hold doubles: weights of a diverging run pass FLT_MAX long
 * before they overflow a double, and a float bin would then show them
 * all at full colour. */
static double
entry_value (const StHeatmapMatrix *matrix,
             gsize                  k)
{
  double value = matrix->values != NULL ? matrix->values[k] : 0.0;

  return isnan (value) ? 0.0 : value;
}

/* Cell mode: the value shown by each pixel, NaN where nothing is stored.
 * Each pixel row walks the entries of its matrix row alongside the pixel
 * columns, both sorted by column. */
static void
fill_cell_bins (const StHeatmapMatrix *matrix,
                const StHeatmapAxis   *x_axis,
                const StHeatmapAxis   *y_axis,
                const guint8          *x_kinds,
                const guint           *x_indices,
                const guint8          *y_kinds,
                const guint           *y_indices,
                double                *bins)
{
  for (guint y = 0; y < y_axis->pixels; y++)
    {
      double *bin_row = bins + (gsize) y * x_axis->pixels;
      gsize k, end;

      for (guint x = 0; x < x_axis->pixels; x++)
        bin_row[x] = NAN;

      if (y_kinds[y] != ST_HEATMAP_PIXEL_INSIDE)
        continue;

      k = st_heatmap_matrix_find_row (matrix, y_indices[y]);
      end = st_heatmap_matrix_find_row (matrix, y_indices[y] + 1);

      for (guint x = 0; x < x_axis->pixels && k < end; x++)
        {
          if (x_kinds[x] != ST_HEATMAP_PIXEL_INSIDE)
            continue;

          while (k < end && matrix->entry_cols[k] < x_indices[x])
            k++;
          if (k < end && matrix->entry_cols[k] == x_indices[x])
            bin_row[x] = entry_value (matrix, k);
        }
    }
}

/* Binned mode: the visible entries dropped into their pixels. */
static void
fill_binned_bins (const StHeatmapMatrix *matrix,
                  const StHeatmapAxis   *x_axis,
                  const StHeatmapAxis   *y_axis,
                  double                *bins)
{
  gsize n_pixels = (gsize) x_axis->pixels * y_axis->pixels;
  double first_row = MAX (0.0, floor (y_axis->origin));
  double last_row = y_axis->origin + y_axis->pixels / y_axis->scale;
  gsize k, end;
  guint current_row = G_MAXUINT;
  double *bin_row = NULL;

  for (gsize i = 0; i < n_pixels; i++)
    bins[i] = NAN;

  if (last_row < 0.0 || first_row >= matrix->rows)
    return;

  k = st_heatmap_matrix_find_row (matrix, (guint) first_row);
  end = last_row >= matrix->rows ? matrix->nnz
                                 : st_heatmap_matrix_find_row (matrix, (guint) last_row + 1);

  for (; k < end; k++)
    {
      guint row = matrix->entry_rows[k];
      gint64 x;
      double value;

      double position;

      if (row != current_row)
        {
          gint64 y = bin_pixel (y_axis, row);

          current_row = row;
          bin_row = y >= 0 && y < y_axis->pixels ? bins + (gsize) y * x_axis->pixels : NULL;
        }

      if (bin_row == NULL)
        continue;

      /* bin_pixel() without floor(): truncation equals it for positions
       * from 0 up, and negative ones are off the view anyway. */
      position = (matrix->entry_cols[k] - x_axis->origin) * x_axis->scale;
      if (position < 0.0)
        continue;
      x = (gint64) position;
      if (x >= x_axis->pixels)
        continue;

      value = entry_value (matrix, k);
      if (isnan (bin_row[x]) || fabs (value) > fabs (bin_row[x]))
        bin_row[x] = value;
    }
}

/**
 * st_heatmap_raster_fill:
 * @matrix: the stored entries
 * @x_axis: the column axis
 * @y_axis: the row axis, in the same mode (both scales at least 1, or
 *   both below 1)
 * @range: the magnitude of the strongest colour (see st_palette_map())
 * @palette: the colours
 * @pixels: (out caller-allocates): @y_axis->pixels rows of @stride words
 * @stride: words per pixel row, at least @x_axis->pixels
 *
 * Renders the view: stored entries in the diverging colours, positions
 * without a stored entry in the structural-zero hatch, and gaps between
 * large cells and the space around the matrix transparent.
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
  g_autofree double *bins = NULL;
  g_autofree guint8 *x_kinds = NULL;
  g_autofree guint8 *y_kinds = NULL;
  g_autofree guint *x_indices = NULL;
  g_autofree guint *y_indices = NULL;
  gboolean cells = x_axis->scale >= 1.0;
  double index_scale;

  g_return_if_fail (stride >= x_axis->pixels);
  g_return_if_fail ((x_axis->scale >= 1.0) == (y_axis->scale >= 1.0));

  x_kinds = g_new (guint8, MAX (x_axis->pixels, 1));
  y_kinds = g_new (guint8, MAX (y_axis->pixels, 1));
  x_indices = g_new (guint, MAX (x_axis->pixels, 1));
  y_indices = g_new (guint, MAX (y_axis->pixels, 1));
  classify_pixels (x_axis, x_kinds, x_indices);
  classify_pixels (y_axis, y_kinds, y_indices);

  bins = g_new (double, MAX ((gsize) x_axis->pixels * y_axis->pixels, 1));
  if (cells)
    fill_cell_bins (matrix, x_axis, y_axis, x_kinds, x_indices, y_kinds, y_indices, bins);
  else
    fill_binned_bins (matrix, x_axis, y_axis, bins);

  /* st_palette_map() inlined: this loop runs once per pixel. */
  if (!(range > 0.0) || !isfinite (range))
    range = 1.0;
  index_scale = 0.5 * (ST_PALETTE_SIZE - 1) / range;

  for (guint y = 0; y < y_axis->pixels; y++)
    {
      guint32 *row = pixels + (gsize) y * stride;
      const double *bin_row = bins + (gsize) y * x_axis->pixels;
      guint8 y_kind = y_kinds[y];

      if (y_kind == ST_HEATMAP_PIXEL_OUTSIDE)
        {
          memset (row, 0, sizeof (guint32) * x_axis->pixels);
          continue;
        }

      for (guint x = 0; x < x_axis->pixels; x++)
        {
          guint8 x_kind = x_kinds[x];
          double value = bin_row[x];

          if (x_kind == ST_HEATMAP_PIXEL_OUTSIDE)
            row[x] = 0;
          else if (y_kind == ST_HEATMAP_PIXEL_GAP || x_kind == ST_HEATMAP_PIXEL_GAP)
            row[x] = palette->gap;
          else if (isnan (value))
            row[x] = st_palette_structural (palette, x, y);
          else
            {
              double index = (CLAMP (value, -range, range) + range) * index_scale + 0.5;

              row[x] = palette->diverging[MIN ((guint) index, ST_PALETTE_SIZE - 1)];
            }
        }
    }
}

/**
 * st_heatmap_axis_get_indices:
 * @axis: an axis
 * @pixel: a pixel of the view
 * @first: (out): the first index under @pixel
 * @last: (out): the last index under @pixel
 *
 * Returns: %FALSE when @pixel is outside the matrix or in a gap
 */
gboolean
st_heatmap_axis_get_indices (const StHeatmapAxis *axis,
                             guint                pixel,
                             guint               *first,
                             guint               *last)
{
  gint64 lo, hi;

  if (pixel >= axis->pixels)
    return FALSE;

  if (axis->scale >= 1.0)
    {
      gint64 index = cell_index (axis, pixel);

      if (index < 0 || index >= axis->n)
        return FALSE;
      if (st_heatmap_axis_has_gaps (axis) && index + 1 < axis->n &&
          pixel + 1 == cell_start (axis, index + 1))
        return FALSE;

      *first = *last = (guint) index;
      return TRUE;
    }

  /* Index i falls in pixel floor((i - origin) scale), so pixel p holds
   * the indices from ceil(origin + p / scale) to below
   * origin + (p + 1) / scale. */
  lo = (gint64) ceil (axis->origin + pixel / axis->scale);
  hi = (gint64) ceil (axis->origin + (pixel + 1) / axis->scale) - 1;
  while (lo <= hi && bin_pixel (axis, (guint) MAX (lo, 0)) < pixel)
    lo++;
  while (hi >= lo && hi >= 0 && bin_pixel (axis, (guint) hi) > pixel)
    hi--;
  lo = MAX (lo, 0);
  hi = MIN (hi, (gint64) axis->n - 1);
  if (lo > hi)
    return FALSE;

  *first = (guint) lo;
  *last = (guint) hi;
  return TRUE;
}

/**
 * st_heatmap_axis_get_span:
 * @axis: an axis
 * @index: an index
 * @start: (out): the view position where @index starts, in pixels
 * @end: (out): where it ends; at least one pixel after @start
 *
 * Returns: %FALSE when @index is entirely outside the view
 */
gboolean
st_heatmap_axis_get_span (const StHeatmapAxis *axis,
                          guint                index,
                          double              *start,
                          double              *end)
{
  if (axis->scale >= 1.0)
    {
      *start = (double) cell_start (axis, index);
      *end = (double) cell_start (axis, (gint64) index + 1);
    }
  else
    {
      *start = (double) bin_pixel (axis, index);
      *end = *start + 1.0;
    }

  return *end > 0.0 && *start < axis->pixels;
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

/**
 * st_heatmap_matrix_find_extreme:
 * @matrix: the stored entries
 * @first_row: the block's first row
 * @last_row: its last row
 * @first_col: its first column
 * @last_col: its last column
 * @position: (out): the stored entry of largest magnitude in the block
 *
 * Returns: %FALSE when the block has no stored entry
 */
gboolean
st_heatmap_matrix_find_extreme (const StHeatmapMatrix *matrix,
                                guint                  first_row,
                                guint                  last_row,
                                guint                  first_col,
                                guint                  last_col,
                                gsize                 *position)
{
  gboolean found = FALSE;
  double best = 0.0;

  for (gsize k = st_heatmap_matrix_find_row (matrix, first_row);
       k < matrix->nnz && matrix->entry_rows[k] <= last_row;
       k++)
    {
      double magnitude;

      if (matrix->entry_cols[k] < first_col || matrix->entry_cols[k] > last_col)
        continue;

      magnitude = fabs (entry_value (matrix, k));
      if (!found || magnitude > best)
        {
          best = magnitude;
          *position = k;
          found = TRUE;
        }
    }

  return found;
}
