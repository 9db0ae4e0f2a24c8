/* test-heatmap-raster.c: pixels of the weight heat map
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <sys/resource.h>

#include "st-heatmap-raster.h"
#include "st-palette.h"

static StPalette palette;

/* Renders @matrix fitted and centred in a @width x @height view. */
static guint32 *
render (const StHeatmapMatrix *matrix,
        guint                  width,
        guint                  height,
        guint                  max_cell,
        StHeatmapAxis         *x_axis,
        StHeatmapAxis         *y_axis)
{
  double scale = st_heatmap_raster_fit_scale (matrix->rows, matrix->cols, width, height, max_cell);
  guint32 *pixels;

  st_heatmap_axis_init (x_axis, matrix->cols, width, scale, matrix->cols / 2.0);
  st_heatmap_axis_init (y_axis, matrix->rows, height, scale, matrix->rows / 2.0);
  pixels = g_new0 (guint32, (gsize) width * height);
  st_heatmap_raster_fill (matrix, x_axis, y_axis,
                          st_heatmap_raster_find_range (matrix->values, matrix->values ? matrix->nnz : 0),
                          &palette, pixels, width);
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

  /* 400 / 2 = 200 pixels per cell, capped at 100, centred: the matrix
   * covers pixels 100 to 299 on both axes. */
  pixels = render (&matrix, 400, 400, 100, &x_axis, &y_axis);
  g_assert_cmpfloat (x_axis.scale, ==, 100.0);
  g_assert_cmpfloat (x_axis.origin, ==, -1.0);
  g_assert_true (st_heatmap_axis_has_gaps (&x_axis));

  /* Stored 0.5 is the top of the range [-0.5, 0.5]: the last colour. */
  g_assert_cmphex (pixel_at (pixels, &x_axis, 250, 150), ==, palette.diverging[ST_PALETTE_SIZE - 1]);
  g_assert_cmphex (pixel_at (pixels, &x_axis, 150, 250), ==, palette.diverging[ST_PALETTE_SIZE - 1]);

  /* The diagonal is not stored: every pixel of it is hatch. */
  for (guint y = 0; y < 99; y++)
    for (guint x = 0; x < 99; x++)
      {
        g_assert_true (is_structural (pixel_at (pixels, &x_axis, x + 100, y + 100)));
        g_assert_true (is_structural (pixel_at (pixels, &x_axis, x + 200, y + 200)));
      }

  /* The gap between the cells and the space around them are transparent. */
  g_assert_cmphex (pixel_at (pixels, &x_axis, 199, 150), ==, 0);
  g_assert_cmphex (pixel_at (pixels, &x_axis, 150, 199), ==, 0);
  g_assert_cmphex (pixel_at (pixels, &x_axis, 50, 50), ==, 0);
  g_assert_cmphex (pixel_at (pixels, &x_axis, 350, 150), ==, 0);
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

/* Whether @color is one that the raster may write: transparent, the
 * gap, a hatch colour, or an entry of the diverging scale. */
static gboolean
is_defined_color (const StPalette *colors,
                  guint32          color)
{
  if (color == 0 || color == colors->gap ||
      color == colors->structural_light || color == colors->structural_dark)
    return TRUE;

  for (guint i = 0; i < ST_PALETTE_SIZE; i++)
    if (colors->diverging[i] == color)
      return TRUE;

  return FALSE;
}

/* Layers whose stored values are all equal, or that store nothing:
 * their range collapses to one value (or to none), which must not
 * divide 0 by 0 on the way to a colour. */
typedef struct
{
  const char *name;
  double value;       /* every stored entry's value */
  gboolean stored;    /* FALSE for a layer without stored entries */
  int expected;       /* 1: the top colour, -1: the bottom one, 0: the middle */
} ConstantLayer;

static const ConstantLayer constant_layers[] = {
  { "constant 0.75", 0.75, TRUE, 1 },
  { "explicit zeros", 0.0, TRUE, 0 },
  { "negative zeros", -0.0, TRUE, 0 },
  { "single -1.5", -1.5, TRUE, -1 },
  { "huge 1e305", 1e305, TRUE, 1 },
  { "huge -1e305", -1e305, TRUE, -1 },
  { "largest double", G_MAXDOUBLE, TRUE, 1 },
  { "tiny 1e-300", 1e-300, TRUE, 1 },
  { "tiny -1e-300", -1e-300, TRUE, -1 },
  { "smallest subnormal", 4.9406564584124654e-324, TRUE, 1 },
  { "empty", 0.0, FALSE, 0 },
};

/* Checks one rendered view of a constant layer: every pixel has a
 * defined colour, stored cells have @layer's expected colour, and
 * positions without an entry are hatched. */
static void
check_constant_view (const ConstantLayer   *layer,
                     const StPalette       *colors,
                     const StHeatmapMatrix *matrix,
                     const StHeatmapAxis   *x_axis,
                     const StHeatmapAxis   *y_axis,
                     const guint32         *pixels)
{
  guint32 expected = colors->diverging[layer->expected > 0 ? ST_PALETTE_SIZE - 1
                                       : layer->expected < 0 ? 0
                                       : ST_PALETTE_SIZE / 2];
  guint n_stored = 0;

  for (guint y = 0; y < y_axis->pixels; y++)
    for (guint x = 0; x < x_axis->pixels; x++)
      {
        guint32 color = pixels[(gsize) y * x_axis->pixels + x];
        guint first_row, last_row, first_col, last_col;
        gsize position;

        g_assert_true (is_defined_color (colors, color));

        if (!st_heatmap_axis_get_indices (x_axis, x, &first_col, &last_col) ||
            !st_heatmap_axis_get_indices (y_axis, y, &first_row, &last_row))
          continue;

        if (st_heatmap_matrix_find_extreme (matrix, first_row, last_row, first_col, last_col, &position))
          {
            g_assert_cmphex (color, ==, expected);
            n_stored++;
          }
        else
          {
            g_assert_cmphex (color, ==, st_palette_structural (colors, x, y));
          }
      }

  if (layer->stored)
    g_assert_cmpuint (n_stored, >, 0);
  else
    g_assert_cmpuint (n_stored, ==, 0);
}

static void
test_constant_layers (void)
{
  /* The stored positions of the constant 3 x 3 layer: (1, 1), (1, 3),
   * (2, 2) and (3, 1), counting from 1. */
  static const guint small_rows[] = { 0, 0, 1, 2 };
  static const guint small_cols[] = { 0, 2, 1, 0 };
  const guint n = 256;
  g_autofree guint *large_rows = g_new (guint, n);
  g_autofree guint *large_cols = g_new (guint, n);
  g_autofree double *values = g_new (double, n);

  /* A 256 x 256 diagonal, binned into a 32 x 32 view. */
  for (guint i = 0; i < n; i++)
    {
      large_rows[i] = i;
      large_cols[i] = i;
    }

  for (guint dark = 0; dark <= 1; dark++)
    {
      StPalette colors;

      st_palette_init (&colors, dark, ST_COLOR_MAP_BLUE_RED);

      for (guint c = 0; c < G_N_ELEMENTS (constant_layers); c++)
        {
          const ConstantLayer *layer = &constant_layers[c];
          gsize nnz = layer->stored ? G_N_ELEMENTS (small_rows) : 0;
          StHeatmapMatrix small = { 3, 3, nnz, small_rows, small_cols, values };
          StHeatmapMatrix large = { n, n, layer->stored ? n : 0, large_rows, large_cols, values };
          StHeatmapAxis x_axis, y_axis;
          double range;
          guint32 small_pixels[30 * 30];
          guint32 large_pixels[32 * 32];

          g_test_message ("%s, %s style", layer->name, dark ? "dark" : "light");
          for (guint i = 0; i < n; i++)
            values[i] = layer->value;

          /* The range is the one magnitude, so the legend shows it; an
           * empty layer has range 0. */
          range = st_heatmap_raster_find_range (values, nnz);
          g_assert_cmpfloat (range, ==, fabs (layer->stored ? layer->value : 0.0));
          g_assert_cmphex (st_palette_map (&colors, layer->value, range), ==,
                           colors.diverging[layer->expected > 0 ? ST_PALETTE_SIZE - 1
                                            : layer->expected < 0 ? 0 : ST_PALETTE_SIZE / 2]);

          /* Cells of 10 pixels with gaps between them. */
          st_heatmap_axis_init (&x_axis, 3, 30, 10.0, 1.5);
          st_heatmap_axis_init (&y_axis, 3, 30, 10.0, 1.5);
          st_heatmap_raster_fill (&small, &x_axis, &y_axis, range, &colors, small_pixels, 30);
          check_constant_view (layer, &colors, &small, &x_axis, &y_axis, small_pixels);

          /* 8 x 8 cells per pixel. */
          st_heatmap_axis_init (&x_axis, n, 32, 32.0 / n, n / 2.0);
          st_heatmap_axis_init (&y_axis, n, 32, 32.0 / n, n / 2.0);
          st_heatmap_raster_fill (&large, &x_axis, &y_axis, range, &colors, large_pixels, 32);
          check_constant_view (layer, &colors, &large, &x_axis, &y_axis, large_pixels);
        }
    }
}

static void
test_binning_keeps_largest (void)
{
  /* 4 x 4 into 2 x 2 pixels: pixel (0, 0) covers cells (0..1, 0..1). */
  static const guint rows[] = { 0, 0, 1, 3 };
  static const guint cols[] = { 0, 1, 1, 3 };
  static const double values[] = { 0.1, -0.9, 0.2, 0.45 };
  StHeatmapMatrix matrix = { 4, 4, 4, rows, cols, values };
  StHeatmapAxis x_axis = { 4, 2, 0.0, 0.5 };
  StHeatmapAxis y_axis = { 4, 2, 0.0, 0.5 };
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
  StHeatmapAxis axis = { 4096, 500, 0.0, 500.0 / 4096 };
  guint first, last;

  /* Every index lands on a pixel whose index range contains it. */
  for (guint i = 0; i < axis.n; i++)
    {
      guint pixel = (guint) floor (i * axis.scale);

      g_assert_true (st_heatmap_axis_get_indices (&axis, pixel, &first, &last));
      g_assert_cmpuint (first, <=, i);
      g_assert_cmpuint (i, <=, last);
    }

  g_assert_false (st_heatmap_axis_get_indices (&axis, 500, &first, &last));
}

/* Zoomed in, the view shows a window of cells; cells before the origin
 * and after the end are off the view. */
static void
test_zoomed_view (void)
{
  static const guint rows[] = { 5, 5, 6 };
  static const guint cols[] = { 5, 6, 5 };
  static const double values[] = { 1.0, -1.0, 0.0 };
  StHeatmapMatrix matrix = { 10, 10, 3, rows, cols, values };
  StHeatmapAxis x_axis, y_axis;
  guint32 pixels[40 * 40];
  guint first, last;
  double start, end;

  /* 10 pixels per cell around the middle: cells 3..6 fill the view. */
  st_heatmap_axis_init (&x_axis, 10, 40, 10.0, 5.0);
  st_heatmap_axis_init (&y_axis, 10, 40, 10.0, 5.0);
  g_assert_cmpfloat (x_axis.origin, ==, 3.0);
  st_heatmap_raster_fill (&matrix, &x_axis, &y_axis, 1.0, &palette, pixels, 40);

  g_assert_cmphex (pixels[25 * 40 + 25], ==, palette.diverging[ST_PALETTE_SIZE - 1]);
  g_assert_cmphex (pixels[25 * 40 + 35], ==, palette.diverging[0]);
  g_assert_cmphex (pixels[35 * 40 + 25], ==, palette.diverging[ST_PALETTE_SIZE / 2]);
  g_assert_true (is_structural (pixels[5 * 40 + 5]));

  g_assert_true (st_heatmap_axis_get_indices (&x_axis, 25, &first, &last));
  g_assert_cmpuint (first, ==, 5);
  g_assert_cmpuint (last, ==, 5);
  g_assert_true (st_heatmap_axis_get_span (&x_axis, 5, &start, &end));
  g_assert_cmpfloat (start, ==, 20.0);
  g_assert_cmpfloat (end, ==, 30.0);
  g_assert_false (st_heatmap_axis_get_span (&x_axis, 9, &start, &end));
}

/* Canonical entries of an n x n layer with @per_row entries in every
 * row, columns spread over the row and sorted. */
static void
make_spread_layer (guint    n,
                   guint    per_row,
                   guint  **rows_out,
                   guint  **cols_out,
                   double **values_out)
{
  gsize nnz = (gsize) n * per_row;
  guint *rows = g_new (guint, nnz);
  guint *cols = g_new (guint, nnz);
  double *values = g_new (double, nnz);
  gsize k = 0;

  for (guint r = 0; r < n; r++)
    {
      guint step = n / per_row;
      guint shift = (r * 7919u) % step;

      for (guint j = 0; j < per_row; j++, k++)
        {
          rows[k] = r;
          cols[k] = j * step + shift;
          values[k] = ((double) (k % 201) - 100.0) / 100.0;
        }
    }

  *rows_out = rows;
  *cols_out = cols;
  *values_out = values;
}

/* A 4096 x 4096 layer with about 1 % of its entries stored draws
 * binned into a smaller view and keeps its entries findable.  The time
 * is printed for information only: heatmap-raster-benchmark measures
 * speed. */
static void
test_large_layer (void)
{
  const guint n = 4096;
  g_autofree guint *rows = NULL;
  g_autofree guint *cols = NULL;
  g_autofree double *values = NULL;
  g_autofree guint32 *pixels = NULL;
  StHeatmapAxis x_axis, y_axis;
  g_autoptr(GTimer) timer = NULL;
  StHeatmapMatrix matrix;
  gsize position;

  make_spread_layer (n, 41, &rows, &cols, &values);
  matrix = (StHeatmapMatrix) { n, n, (gsize) n * 41, rows, cols, values };

  timer = g_timer_new ();
  pixels = render (&matrix, 640, 480, 100, &x_axis, &y_axis);
  g_test_message ("4096 x 4096 with %" G_GSIZE_FORMAT " entries rendered to 640 x 480 in %.1f ms",
                  matrix.nnz, g_timer_elapsed (timer, NULL) * 1000);

  g_assert_cmpfloat (x_axis.scale, <, 1.0);

  /* Stored entries are found by binary search. */
  g_assert_true (st_heatmap_matrix_find_entry (&matrix, rows[1000], cols[1000], &position));
  g_assert_cmpuint (position, ==, 1000);
}

/* The sanitizers reserve terabytes of shadow memory, so a limit on the
 * address space would stop them, not the code under test. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define LIMIT_ADDRESS_SPACE 0
#else
#define LIMIT_ADDRESS_SPACE 1
#endif

/* Address space allowed to the huge-layer renders.  A 65536 x 65536
 * layer has 2^32 cells, so anything of rows x cols, even one byte per
 * cell, would need 4 GiB. */
#define HUGE_LAYER_ADDRESS_SPACE ((rlim_t) 1 << 30)

/* Renders the largest layer the window supports, 65536 x 65536 with a
 * million stored entries (16 per row), into a 1000 x 800 view: fitted,
 * zoomed 4 times and at 8 pixels per cell.  Runs in a subprocess with
 * at most HUGE_LAYER_ADDRESS_SPACE of address space. */
static void
render_huge_layer (void)
{
  const guint n = 65536;
  g_autofree guint *rows = NULL;
  g_autofree guint *cols = NULL;
  g_autofree double *values = NULL;
  g_autofree guint32 *pixels = NULL;
  StHeatmapAxis x_axis, y_axis;
  StHeatmapMatrix matrix;
  double scales[] = { 800.0 / n, 4 * 800.0 / n, 8.0 };
  guint32 expected;
  gsize position;
  guint first_row, last_row, first_col, last_col;

  if (LIMIT_ADDRESS_SPACE)
    {
      struct rlimit limit = { HUGE_LAYER_ADDRESS_SPACE, HUGE_LAYER_ADDRESS_SPACE };

      g_assert_cmpint (setrlimit (RLIMIT_AS, &limit), ==, 0);
    }

  make_spread_layer (n, 16, &rows, &cols, &values);
  matrix = (StHeatmapMatrix) { n, n, (gsize) n * 16, rows, cols, values };
  g_assert_cmpuint (matrix.nnz, ==, 1048576);
  pixels = g_new (guint32, 1000 * 800);

  for (guint s = 0; s < G_N_ELEMENTS (scales); s++)
    {
      g_autoptr(GTimer) timer = g_timer_new ();
      guint drawn = 0;

      st_heatmap_axis_init (&x_axis, n, 1000, scales[s], n / 2.0);
      st_heatmap_axis_init (&y_axis, n, 800, scales[s], n / 2.0);
      st_heatmap_raster_fill (&matrix, &x_axis, &y_axis, 1.0, &palette, pixels, 1000);
      /* A subprocess prints no test messages; this is a TAP comment. */
      g_print ("# 65536 x 65536, 1048576 entries, %.4g pixels per cell, 1000 x 800 view: %.2f ms\n",
               scales[s], g_timer_elapsed (timer, NULL) * 1000);

      /* The matrix covers most of each view: at least 800 x 800 pixels. */
      for (gsize i = 0; i < 1000 * 800; i++)
        drawn += pixels[i] != 0;
      g_assert_cmpuint (drawn, >, 1000 * 800 / 2);
    }

  /* At 8 pixels per cell the view's middle pixel shows cell
   * (32768, 32768), which row 32768's entries may or may not store. */
  g_assert_true (st_heatmap_axis_get_indices (&x_axis, 500, &first_col, &last_col));
  g_assert_true (st_heatmap_axis_get_indices (&y_axis, 400, &first_row, &last_row));
  g_assert_cmpuint (first_col, ==, 32768);
  g_assert_cmpuint (first_row, ==, 32768);
  if (st_heatmap_matrix_find_entry (&matrix, first_row, first_col, &position))
    expected = st_palette_map (&palette, values[position], 1.0);
  else
    expected = st_palette_structural (&palette, 500, 400);
  g_assert_cmphex (pixels[400 * 1000 + 500], ==, expected);
}

/* The huge layer renders in a subprocess whose address space is
 * limited, which proves that nothing allocates rows x cols.  Speed is
 * not checked here: heatmap-raster-benchmark measures it. */
static void
test_huge_layer (void)
{
  if (g_test_subprocess ())
    {
      render_huge_layer ();
      return;
    }

  if (!LIMIT_ADDRESS_SPACE)
    g_test_message ("Built with a sanitizer: the address space is not limited");

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  st_palette_init (&palette, FALSE, ST_COLOR_MAP_BLUE_RED);

  g_test_add_func ("/ui/heatmap-raster/worked-example", test_worked_example);
  g_test_add_func ("/ui/heatmap-raster/stored-zero-differs", test_stored_zero_differs);
  g_test_add_func ("/ui/heatmap-raster/degenerate-ranges", test_degenerate_ranges);
  g_test_add_func ("/ui/heatmap-raster/constant-layers", test_constant_layers);
  g_test_add_func ("/ui/heatmap-raster/binning-keeps-largest", test_binning_keeps_largest);
  g_test_add_func ("/ui/heatmap-raster/axis-indices", test_axis_indices);
  g_test_add_func ("/ui/heatmap-raster/zoomed-view", test_zoomed_view);
  g_test_add_func ("/ui/heatmap-raster/large-layer", test_large_layer);
  g_test_add_func ("/ui/heatmap-raster/huge-layer", test_huge_layer);

  return g_test_run ();
}
