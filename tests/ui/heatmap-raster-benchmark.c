/* heatmap-raster-benchmark.c: how long the heat map takes to render
 * large layers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Renders two layers into a pixel buffer, as the heat map does for each
 * new state, and prints the best of RUNS times for each view:
 *
 * - 4096 x 4096 with 41 entries per row (1 %) into a 640 x 480 view;
 * - 65536 x 65536 with 16 entries per row (1048576 entries) into a
 *   1000 x 800 view, fitted, zoomed 4 times and at 8 pixels per cell.
 *
 * The best run is what a redraw costs on an idle machine.  Not a test:
 * build-aux/measure-window-speed runs it, and docs/window-performance.md
 * has the results.
 *
 * Usage: heatmap-raster-benchmark [RUNS]
 */

#include "config.h"

#include <stdlib.h>

#include "st-heatmap-raster.h"
#include "st-palette.h"

/* Canonical entries of an n x n layer with @per_row entries in every
 * row, their columns spread over the row, and values in [-1, 1]. */
static StHeatmapMatrix
make_spread_layer (guint n,
                   guint per_row)
{
  gsize nnz = (gsize) n * per_row;
  guint *rows = g_new (guint, nnz);
  guint *cols = g_new (guint, nnz);
  double *values = g_new (double, nnz);
  guint step = n / per_row;
  gsize k = 0;

  for (guint r = 0; r < n; r++)
    {
      guint shift = (r * 7919u) % step;

      for (guint j = 0; j < per_row; j++, k++)
        {
          rows[k] = r;
          cols[k] = j * step + shift;
          values[k] = ((double) (k % 201) - 100.0) / 100.0;
        }
    }

  return (StHeatmapMatrix) { n, n, nnz, rows, cols, values };
}

static void
free_layer (StHeatmapMatrix *matrix)
{
  g_free ((gpointer) matrix->entry_rows);
  g_free ((gpointer) matrix->entry_cols);
  g_free ((gpointer) matrix->values);
}

/* Returns: the shortest of @runs renders of @matrix into a @width x
 * @height view at @scale pixels per cell, centred, in milliseconds. */
static double
time_render (const StHeatmapMatrix *matrix,
             const StPalette       *palette,
             guint                  width,
             guint                  height,
             double                 scale,
             guint                  runs)
{
  g_autofree guint32 *pixels = g_new (guint32, (gsize) width * height);
  double best = G_MAXDOUBLE;
  double range = st_heatmap_raster_find_range (matrix->values, matrix->nnz);

  for (guint run = 0; run < runs; run++)
    {
      g_autoptr(GTimer) timer = g_timer_new ();
      StHeatmapAxis x_axis, y_axis;

      st_heatmap_axis_init (&x_axis, matrix->cols, width, scale, matrix->cols / 2.0);
      st_heatmap_axis_init (&y_axis, matrix->rows, height, scale, matrix->rows / 2.0);
      st_heatmap_raster_fill (matrix, &x_axis, &y_axis, range, palette, pixels, width);
      best = MIN (best, g_timer_elapsed (timer, NULL));
    }

  return best * 1000;
}

int
main (int   argc,
      char *argv[])
{
  guint runs = argc > 1 ? (guint) atoi (argv[1]) : 5;
  StPalette palette;
  StHeatmapMatrix large, huge;
  double huge_scales[] = { 800.0 / 65536, 4 * 800.0 / 65536, 8.0 };

  if (argc > 2 || runs == 0)
    {
      g_printerr ("Usage: %s [RUNS]\n", argv[0]);
      return 2;
    }

  st_palette_init (&palette, FALSE, ST_COLOR_MAP_BLUE_RED);

  large = make_spread_layer (4096, 41);
  g_print ("Heat map, 4096 x 4096 with %" G_GSIZE_FORMAT " entries, fitted to 640 x 480: %.2f ms\n",
           large.nnz,
           time_render (&large, &palette, 640, 480,
                        st_heatmap_raster_fit_scale (4096, 4096, 640, 480, 100), runs));
  free_layer (&large);

  huge = make_spread_layer (65536, 16);
  for (guint s = 0; s < G_N_ELEMENTS (huge_scales); s++)
    g_print ("Heat map, 65536 x 65536 with %" G_GSIZE_FORMAT " entries, %.4g pixels per cell, "
             "1000 x 800 view: %.2f ms\n",
             huge.nnz, huge_scales[s],
             time_render (&huge, &palette, 1000, 800, huge_scales[s], runs));
  free_layer (&huge);

  return 0;
}
