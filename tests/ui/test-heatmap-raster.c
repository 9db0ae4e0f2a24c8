/* test-heatmap-raster.c: pixels of the weight heat map
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "st-heatmap-raster.h"
#include "st-palette.h"

static StPalette palette;

/* Renders @matrix at the layout chosen for @width x @height. */
static guint32 *
render (const StHeatmapMatrix *matrix,
        guint                  width,
        guint                  height,
        guint                  max_cell,
        StHeatmapAxis         *x_axis,
        StHeatmapAxis         *y_axis)
{
  guint32 *pixels;

  st_heatmap_raster_layout (matrix->rows, matrix->cols, width, height, max_cell, x_axis, y_axis);
  pixels = g_new0 (guint32, (gsize) x_axis->pixels * y_axis->pixels);
  st_heatmap_raster_fill (matrix, x_axis, y_axis,
                          st_heatmap_raster_find_range (matrix->values, matrix->nnz),
                          &palette, pixels, x_axis->pixels);
  return pixels;
}

static guint32
pixel_at (const guint32       *pixels,
          const StHeatmapAxis *x_axis,
          guint                x,
          guint                y)
{
  return pixels[(gsize) y * x_axis->pixels + x];
}

static gboolean
is_structural (guint32 color)
{
  return color == palette.structural_light || color == palette.structural_dark;
}

static void
test_worked_example (void)
{
  static const guint rows[] = { 0, 1 };
  static const guint cols[] = { 1, 0 };
  static const double values[] = { 0.5, 0.5 };
  StHeatmapMatrix matrix = { 2, 2, 2, rows, cols, values };
  StHeatmapAxis x_axis, y_axis;
  g_autofree guint32 *pixels = NULL;

  /* 400 / 2 = 200 pixels per cell, capped at 100; one pixel of gap. */
  pixels = render (&matrix, 400, 400, 100, &x_axis, &y_axis);
  g_assert_cmpuint (x_axis.cell, ==, 100);
  g_assert_cmpuint (x_axis.gap, ==, 1);
  g_assert_cmpuint (x_axis.pixels, ==, 199);
  g_assert_cmpuint (y_axis.pixels, ==, 199);

  /* Stored 0.5 is the top of the range [-0.5, 0.5]: the last colour. */
  g_assert_cmphex (pixel_at (pixels, &x_axis, 150, 50), ==, palette.diverging[ST_PALETTE_SIZE - 1]);
  g_assert_cmphex (pixel_at (pixels, &x_axis, 50, 150), ==, palette.diverging[ST_PALETTE_SIZE - 1]);

  /* The diagonal is not stored: every pixel of it is hatch. */
  for (guint y = 0; y < 99; y++)
    for (guint x = 0; x < 99; x++)
      {
        g_assert_true (is_structural (pixel_at (pixels, &x_axis, x, y)));
        g_assert_true (is_structural (pixel_at (pixels, &x_axis, x + 100, y + 100)));
      }

  /* The gap between the cells is transparent. */
  g_assert_cmphex (pixel_at (pixels, &x_axis, 99, 50), ==, 0);
  g_assert_cmphex (pixel_at (pixels, &x_axis, 50, 99), ==, 0);
}

static void
test_stored_zero_differs (void)
{
  static const guint rows[] = { 0, 0 };
  static const guint cols[] = { 0, 1 };
  static const double values[] = { 0.0, -2.0 };
  StHeatmapMatrix matrix = { 1, 3, 2, rows, cols, values };
  StHeatmapAxis x_axis, y_axis;
  g_autofree guint32 *pixels = render (&matrix, 30, 10, 10, &x_axis, &y_axis);
  guint32 stored_zero = pixel_at (pixels, &x_axis, 2, 2);

  /* A stored 0 gets the middle colour, which is no hatch colour. */
  g_assert_cmphex (stored_zero, ==, palette.diverging[ST_PALETTE_SIZE / 2]);
  g_assert_false (is_structural (stored_zero));
  g_assert_cmphex (pixel_at (pixels, &x_axis, 12, 2), ==, palette.diverging[0]);
  g_assert_true (is_structural (pixel_at (pixels, &x_axis, 22, 2)));
}

static void
test_degenerate_ranges (void)
{
  static const guint rows[] = { 0, 1 };
  static const guint cols[] = { 0, 1 };
  static const double equal[] = { 0.3, 0.3 };
  static const double zeros[] = { 0.0, 0.0 };
  static const double not_finite[] = { NAN, INFINITY };
  StHeatmapMatrix matrix = { 2, 2, 2, rows, cols, equal };
  StHeatmapAxis x_axis, y_axis;
  guint32 *pixels;

  /* All equal: the range is their magnitude, so both get the top colour. */
  pixels = render (&matrix, 20, 20, 10, &x_axis, &y_axis);
  g_assert_cmphex (pixel_at (pixels, &x_axis, 2, 2), ==, palette.diverging[ST_PALETTE_SIZE - 1]);
  g_free (pixels);

  /* All zero: range 0, drawn in the middle colour. */
  matrix.values = zeros;
  g_assert_cmpfloat (st_heatmap_raster_find_range (zeros, 2), ==, 0.0);
  pixels = render (&matrix, 20, 20, 10, &x_axis, &y_axis);
  g_assert_cmphex (pixel_at (pixels, &x_axis, 2, 2), ==, palette.diverging[ST_PALETTE_SIZE / 2]);
  g_assert_cmphex (pixel_at (pixels, &x_axis, 12, 12), ==, palette.diverging[ST_PALETTE_SIZE / 2]);
  g_free (pixels);

  /* NaN in the middle, infinity clamped to the top; the range ignores both. */
  matrix.values = not_finite;
  g_assert_cmpfloat (st_heatmap_raster_find_range (not_finite, 2), ==, 0.0);
  pixels = render (&matrix, 20, 20, 10, &x_axis, &y_axis);
  g_assert_cmphex (pixel_at (pixels, &x_axis, 2, 2), ==, palette.diverging[ST_PALETTE_SIZE / 2]);
  g_assert_cmphex (pixel_at (pixels, &x_axis, 12, 12), ==, palette.diverging[ST_PALETTE_SIZE - 1]);
  g_free (pixels);

  /* No stored entries: all hatch. */
  matrix.nnz = 0;
  matrix.values = NULL;
  pixels = render (&matrix, 20, 20, 10, &x_axis, &y_axis);
  for (guint y = 0; y < y_axis.pixels; y++)
    for (guint x = 0; x < x_axis.pixels; x++)
      if (pixel_at (pixels, &x_axis, x, y) != palette.gap)
        g_assert_true (is_structural (pixel_at (pixels, &x_axis, x, y)));
  g_free (pixels);
}

static void
test_binning_keeps_largest (void)
{
  /* 4 x 4 into 2 x 2 pixels: pixel (0, 0) covers cells (0..1, 0..1). */
  static const guint rows[] = { 0, 0, 1, 3 };
  static const guint cols[] = { 0, 1, 1, 3 };
  static const double values[] = { 0.1, -0.9, 0.2, 0.45 };
  StHeatmapMatrix matrix = { 4, 4, 4, rows, cols, values };
  StHeatmapAxis x_axis = { 4, 2, 0, 0 };
  StHeatmapAxis y_axis = { 4, 2, 0, 0 };
  guint32 pixels[4];

  st_heatmap_raster_fill (&matrix, &x_axis, &y_axis, 0.9, &palette, pixels, 2);

  g_assert_cmphex (pixels[0], ==, st_palette_map (&palette, -0.9, 0.9));
  g_assert_cmphex (pixels[0], ==, palette.diverging[0]);
  g_assert_true (is_structural (pixels[1]));
  g_assert_true (is_structural (pixels[2]));
  g_assert_cmphex (pixels[3], ==, st_palette_map (&palette, 0.45, 0.9));
}

static void
test_axis_indices (void)
{
  StHeatmapAxis axis = { 4096, 500, 0, 0 };
  guint first, last;

  /* Every index lands on a pixel whose index range contains it. */
  for (guint i = 0; i < axis.n; i++)
    {
      guint pixel = (guint) ((guint64) i * axis.pixels / axis.n);

      g_assert_true (st_heatmap_axis_get_indices (&axis, pixel, &first, &last));
      g_assert_cmpuint (first, <=, i);
      g_assert_cmpuint (i, <=, last);
    }

  g_assert_false (st_heatmap_axis_get_indices (&axis, 500, &first, &last));
}

/* A 4096 x 4096 layer with 1 % of its entries stored draws without
 * allocating rows x cols and in well under a second. */
static void
test_large_layer (void)
{
  const guint n = 4096;
  const gsize nnz = 167772;
  g_autofree guint *rows = g_new (guint, nnz);
  g_autofree guint *cols = g_new (guint, nnz);
  g_autofree double *values = g_new (double, nnz);
  g_autofree guint32 *pixels = NULL;
  StHeatmapMatrix matrix = { n, n, nnz, rows, cols, values };
  StHeatmapAxis x_axis, y_axis;
  g_autoptr(GTimer) timer = NULL;
  gsize k = 0;
  gsize position;

  /* 41 entries per row on a fixed stride gives sorted, distinct columns:
   * 4096 x 41 = 167936, cut at nnz. */
  for (guint r = 0; r < n && k < nnz; r++)
    for (guint j = 0; j < 41 && k < nnz; j++, k++)
      {
        rows[k] = r;
        cols[k] = (r + j * 99) % n;
        values[k] = ((double) (k % 201) - 100.0) / 100.0;
      }
  g_assert_cmpuint (k, ==, nnz);

  /* The columns of each row must be ascending for canonical order. */
  for (guint r = 0; r < n; r++)
    {
      gsize start = (gsize) r * 41;
      gsize end = MIN (start + 41, nnz);

      for (gsize i = start + 1; i < end; i++)
        for (gsize j = i; j > start && cols[j - 1] > cols[j]; j--)
          {
            guint c = cols[j];
            double v = values[j];

            cols[j] = cols[j - 1], values[j] = values[j - 1];
            cols[j - 1] = c, values[j - 1] = v;
          }
    }

  timer = g_timer_new ();
  pixels = render (&matrix, 640, 480, 100, &x_axis, &y_axis);
  g_test_message ("4096 x 4096 with %" G_GSIZE_FORMAT " entries rendered to %u x %u in %.1f ms",
                  nnz, x_axis.pixels, y_axis.pixels, g_timer_elapsed (timer, NULL) * 1000);

  g_assert_cmpuint (x_axis.cell, ==, 0);
  g_assert_cmpuint (x_axis.pixels, ==, 480);
  g_assert_cmpuint (y_axis.pixels, ==, 480);
  g_assert_cmpfloat (g_timer_elapsed (timer, NULL), <, 1.0);

  /* Stored entries are found by binary search. */
  g_assert_true (st_heatmap_matrix_find_entry (&matrix, rows[1000], cols[1000], &position));
  g_assert_cmpuint (position, ==, 1000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  st_palette_init (&palette, FALSE);

  g_test_add_func ("/ui/heatmap-raster/worked-example", test_worked_example);
  g_test_add_func ("/ui/heatmap-raster/stored-zero-differs", test_stored_zero_differs);
  g_test_add_func ("/ui/heatmap-raster/degenerate-ranges", test_degenerate_ranges);
  g_test_add_func ("/ui/heatmap-raster/binning-keeps-largest", test_binning_keeps_largest);
  g_test_add_func ("/ui/heatmap-raster/axis-indices", test_axis_indices);
  g_test_add_func ("/ui/heatmap-raster/large-layer", test_large_layer);

  return g_test_run ();
}
