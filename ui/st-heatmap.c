/* st-heatmap.c: a heat map of one sparse layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The map is one texture of the widget's size in device pixels, built by
 * st-heatmap-raster.c when the data, the view, the size or the style
 * changes, and kept as a render node until then.  Drawing cell by cell
 * would cost seconds for large layers, because GTK 4.8 records every
 * cairo call before replaying it.  The pointer outline, the keyboard
 * cursor, the highlight and the edit preview are drawn on top of the
 * cached node in every frame.
 *
 * The view is a zoom factor relative to "fit" and the matrix position at
 * the middle of the widget, so zooming and panning never allocate
 * anything of the matrix's size.
 */

#define G_LOG_DOMAIN "st-heatmap"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "st-heatmap.h"
#include "st-heatmap-raster.h"

/* Largest cell when fitting, in logical pixels, so that a 2 x 2 layer
 * does not fill a whole screen. */
#define MAX_FIT_CELL 160

/* Largest zoom-in: cells of this many logical pixels. */
#define MAX_CELL 480

/* Cells at least this large (logical pixels) show their value as text,
 * when at most MAX_LABELLED_CELLS cells are visible. */
#define MIN_CELL_FOR_TEXT 44
#define MAX_LABELLED_CELLS 1024

/* Each zoom step multiplies the cell size by this. */
#define ZOOM_STEP G_SQRT2

struct _StHeatmap
{
  GtkWidget parent_instance;

  /* The pattern: owned copies in canonical order. */
  guint *entry_rows;
  guint *entry_cols;
  double *start_values;   /* NULL when unknown */
  StHeatmapMatrix matrix;

  /* The values on screen come from this snapshot's layer, or from
   * st_heatmap_set_values() when snapshot is NULL. */
  StSnapshot *snapshot;
  guint layer;
  double *own_values;     /* computed or copied values, or NULL */
  StHeatmapView view;

  double range;
  double fixed_range_value;
  StPalette palette;

  /* The view: zoom 1 shows the whole matrix; center in index units. */
  double zoom;
  double center_row;
  double center_col;

  /* The cached drawing and the geometry it was built with, in device
   * pixels of the whole widget. */
  GskRenderNode *cache;
  StHeatmapAxis x_axis;
  StHeatmapAxis y_axis;
  int scale_factor;

  /* Positions drawn on top, or -1. */
  int hover_row;
  int hover_col;
  int cursor_row;
  int cursor_col;
  int highlight_row;
  int highlight_col;
  guint hover_block_rows;  /* cells per hovered pixel when binned */
  guint hover_block_cols;

  /* Editing */
  StHeatmapTool tool;
  GArray *stroke;          /* StHeatmapCell of the drag in progress */
  GHashTable *stroke_set;  /* row << 32 | col of the same */
  double drag_start_x;
  double drag_start_y;
  double drag_last_x;
  double drag_last_y;
  double pan_start_row;
  double pan_start_col;

  char *readout;

  guint fixed_range : 1;
  guint editable : 1;
  guint presentation : 1;
  guint dragging : 1;      /* primary or middle drag in progress */
  guint drag_pans : 1;
  guint rectangle_valid : 1;
  guint rect_row0;
  guint rect_col0;
  guint rect_row1;
  guint rect_col1;
};

G_DEFINE_FINAL_TYPE (StHeatmap, st_heatmap, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_RANGE,
  PROP_DARK,
  PROP_ZOOM,
  PROP_READOUT,
  PROP_VIEW,
  PROP_TOOL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  EDIT_CELLS,
  EDIT_RECTANGLE,
  POINTER_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
st_heatmap_invalidate (StHeatmap *self)
{
  g_clear_pointer (&self->cache, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
st_heatmap_has_matrix (StHeatmap *self)
{
  return self->matrix.rows > 0 && self->matrix.cols > 0;
}

static void
st_heatmap_update_range (StHeatmap *self)
{
  double range = self->fixed_range ? self->fixed_range_value
                                   : st_heatmap_raster_find_range (self->matrix.values,
                                                                   self->matrix.values != NULL ? self->matrix.nnz : 0);

  if (range == self->range)
    return;

  self->range = range;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RANGE]);
}

/* Points matrix.values at the array the current view shows. */
static void
st_heatmap_update_values (StHeatmap *self)
{
  gsize nnz = self->matrix.nnz;
  const double *values = NULL;

  if (self->snapshot != NULL)
    {
      const double *weights = st_snapshot_get_values (self->snapshot, self->layer);

      g_clear_pointer (&self->own_values, g_free);

      switch (self->view)
        {
        case ST_HEATMAP_VIEW_WEIGHTS:
          values = weights;
          break;

        case ST_HEATMAP_VIEW_GRADIENT:
          values = st_snapshot_get_gradient (self->snapshot, self->layer);
          break;

        case ST_HEATMAP_VIEW_UPDATE:
          values = st_snapshot_get_last_update (self->snapshot, self->layer);
          if (values == NULL)
            values = self->own_values = g_new0 (double, MAX (nnz, 1));
          break;

        case ST_HEATMAP_VIEW_CHANGE:
          self->own_values = g_new0 (double, MAX (nnz, 1));
          if (self->start_values != NULL)
            for (gsize k = 0; k < nnz; k++)
              self->own_values[k] = weights[k] - self->start_values[k];
          values = self->own_values;
          break;

        default:
          g_assert_not_reached ();
        }
    }
  else
    {
      values = self->own_values;
    }

  self->matrix.values = values;
  st_heatmap_update_range (self);
  st_heatmap_invalidate (self);
}

/* The entry under the pointer, for the readout. */
static char *
format_number (double value)
{
  return g_strdup_printf ("%.4g", value);
}

static void
st_heatmap_set_readout (StHeatmap  *self,
                        const char *readout)
{
  if (g_strcmp0 (self->readout, readout) == 0)
    return;

  g_free (self->readout);
  self->readout = g_strdup (readout);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, readout != NULL ? readout : "",
                                  -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READOUT]);
}

static char *
st_heatmap_describe_entry (StHeatmap *self,
                           guint      row,
                           guint      col)
{
  gsize k;
  g_autofree char *value = NULL;
  g_autofree char *gradient = NULL;
  g_autofree char *change = NULL;

  if (!st_heatmap_matrix_find_entry (&self->matrix, row, col, &k))
    /* Translators: rows and columns count from 1. */
    return g_strdup_printf (_("Row %u, column %u: not stored, always 0"), row + 1, col + 1);

  if (self->snapshot == NULL)
    {
      value = format_number (self->own_values != NULL ? self->own_values[k] : 0.0);
      /* Translators: a stored weight; rows and columns count from 1. */
      return g_strdup_printf (_("Row %u, column %u: %s"), row + 1, col + 1, value);
    }

  value = format_number (st_snapshot_get_values (self->snapshot, self->layer)[k]);
  gradient = format_number (st_snapshot_get_gradient (self->snapshot, self->layer)[k]);
  change = format_number (self->start_values != NULL
                          ? st_snapshot_get_values (self->snapshot, self->layer)[k] - self->start_values[k]
                          : 0.0);

  /* Translators: a stored weight under the pointer; rows and columns count from 1. */
  return g_strdup_printf (_("Row %u, column %u: weight %s, gradient %s, change since the start %s"),
                          row + 1, col + 1, value, gradient, change);
}

static char *
st_heatmap_describe_block (StHeatmap *self,
                           guint      first_row,
                           guint      last_row,
                           guint      first_col,
                           guint      last_col)
{
  gsize k;

  if (st_heatmap_matrix_find_extreme (&self->matrix, first_row, last_row, first_col, last_col, &k))
    {
      g_autofree char *text = format_number (self->matrix.values != NULL ? self->matrix.values[k] : 0.0);
      g_autofree char *entry = st_heatmap_describe_entry (self, self->entry_rows[k], self->entry_cols[k]);

      /* Translators: one screen pixel covers several cells; the second %s
       * describes the entry of largest magnitude among them. */
      return g_strdup_printf (_("Rows %u–%u, columns %u–%u: largest magnitude %s. %s"),
                              first_row + 1, last_row + 1, first_col + 1, last_col + 1, text, entry);
    }

  /* Translators: one screen pixel covers several cells, none of them stored. */
  return g_strdup_printf (_("Rows %u–%u, columns %u–%u: nothing stored"),
                          first_row + 1, last_row + 1, first_col + 1, last_col + 1);
}

static void
st_heatmap_update_readout (StHeatmap *self)
{
  g_autofree char *text = NULL;

  if (!st_heatmap_has_matrix (self))
    {
      st_heatmap_set_readout (self, NULL);
      return;
    }

  if (self->hover_row >= 0)
    {
      if (self->hover_block_rows > 1 || self->hover_block_cols > 1)
        text = st_heatmap_describe_block (self, self->hover_row, self->hover_row + self->hover_block_rows - 1,
                                          self->hover_col, self->hover_col + self->hover_block_cols - 1);
      else
        text = st_heatmap_describe_entry (self, self->hover_row, self->hover_col);
    }
  else if (self->cursor_row >= 0)
    {
      text = st_heatmap_describe_entry (self, self->cursor_row, self->cursor_col);
    }

  st_heatmap_set_readout (self, text);
}

/**
 * st_heatmap_set_pattern:
 * @self: a heat map
 * @rows: rows (outputs) of the layer
 * @cols: columns (inputs) of the layer
 * @nnz: stored entries
 * @entry_rows: row of each stored entry, in canonical order
 * @entry_cols: column of each stored entry
 * @start_values: (nullable): each entry's weight at the start of
 *   training, for the "change since the start" view
 *
 * Replaces the layer shown and fits it to the widget.  The arrays are
 * copied.  Values are 0 until a snapshot or values are set.
 */
void
st_heatmap_set_pattern (StHeatmap    *self,
                        guint         rows,
                        guint         cols,
                        gsize         nnz,
                        const guint  *entry_rows,
                        const guint  *entry_cols,
                        const double *start_values)
{
  gboolean same_shape;

  g_return_if_fail (ST_IS_HEATMAP (self));

  same_shape = rows == self->matrix.rows && cols == self->matrix.cols;

  g_free (self->entry_rows);
  g_free (self->entry_cols);
  g_clear_pointer (&self->start_values, g_free);
  g_clear_pointer (&self->own_values, g_free);
  g_clear_pointer (&self->snapshot, st_snapshot_unref);

  self->entry_rows = g_memdup2 (entry_rows, sizeof (guint) * nnz);
  self->entry_cols = g_memdup2 (entry_cols, sizeof (guint) * nnz);
  if (start_values != NULL)
    self->start_values = g_memdup2 (start_values, sizeof (double) * nnz);
  self->own_values = g_new0 (double, MAX (nnz, 1));

  self->matrix = (StHeatmapMatrix) {
    .rows = rows,
    .cols = cols,
    .nnz = nnz,
    .entry_rows = self->entry_rows,
    .entry_cols = self->entry_cols,
    .values = self->own_values,
  };

  /* A new pattern of the same shape (an edit) keeps the view. */
  if (!same_shape)
    {
      self->zoom = 1.0;
      self->center_row = rows / 2.0;
      self->center_col = cols / 2.0;
      self->cursor_row = self->cursor_col = -1;
      self->highlight_row = self->highlight_col = -1;
      gtk_widget_queue_resize (GTK_WIDGET (self));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
    }
  self->hover_row = self->hover_col = -1;

  st_heatmap_update_values (self);
  st_heatmap_update_readout (self);
}

/**
 * st_heatmap_set_snapshot:
 * @self: a heat map
 * @snapshot: (nullable): the training state; its layer @layer must have
 *   the pattern's number of stored entries
 * @layer: the layer of @snapshot to show
 *
 * Shows the values of @snapshot, referenced, in the current view.
 */
void
st_heatmap_set_snapshot (StHeatmap  *self,
                         StSnapshot *snapshot,
                         guint       layer)
{
  g_return_if_fail (ST_IS_HEATMAP (self));

  if (snapshot != NULL &&
      (layer >= st_snapshot_get_n_layers (snapshot) ||
       st_snapshot_get_nnz (snapshot, layer) != self->matrix.nnz))
    {
      g_critical ("The snapshot's layer %u does not match the pattern shown", layer);
      return;
    }

  if (snapshot != NULL)
    st_snapshot_ref (snapshot);
  g_clear_pointer (&self->snapshot, st_snapshot_unref);
  self->snapshot = snapshot;
  self->layer = layer;

  if (snapshot == NULL && self->own_values == NULL)
    self->own_values = g_new0 (double, MAX (self->matrix.nnz, 1));

  st_heatmap_update_values (self);
  st_heatmap_update_readout (self);
}

/* Copies @nnz values in canonical order; @nnz must match the pattern.
 * Replaces any snapshot. */
void
st_heatmap_set_values (StHeatmap    *self,
                       const double *values,
                       gsize         nnz)
{
  g_return_if_fail (ST_IS_HEATMAP (self));
  g_return_if_fail (nnz == self->matrix.nnz);

  g_clear_pointer (&self->snapshot, st_snapshot_unref);
  g_free (self->own_values);
  self->own_values = g_new0 (double, MAX (nnz, 1));
  if (nnz > 0)
    memcpy (self->own_values, values, sizeof (double) * nnz);

  st_heatmap_update_values (self);
  st_heatmap_update_readout (self);
}

void
st_heatmap_clear (StHeatmap *self)
{
  g_return_if_fail (ST_IS_HEATMAP (self));

  st_heatmap_set_pattern (self, 0, 0, 0, NULL, NULL, NULL);
}

guint
st_heatmap_get_rows (StHeatmap *self)
{
  g_return_val_if_fail (ST_IS_HEATMAP (self), 0);

  return self->matrix.rows;
}

guint
st_heatmap_get_cols (StHeatmap *self)
{
  g_return_val_if_fail (ST_IS_HEATMAP (self), 0);

  return self->matrix.cols;
}

/* Returns: the stored entries of the layer shown. */
gsize
st_heatmap_get_nnz (StHeatmap *self)
{
  g_return_val_if_fail (ST_IS_HEATMAP (self), 0);

  return self->matrix.nnz;
}

StHeatmapView
st_heatmap_get_view (StHeatmap *self)
{
  g_return_val_if_fail (ST_IS_HEATMAP (self), ST_HEATMAP_VIEW_WEIGHTS);

  return self->view;
}

void
st_heatmap_set_view (StHeatmap     *self,
                     StHeatmapView  view)
{
  g_return_if_fail (ST_IS_HEATMAP (self));
  g_return_if_fail (view < ST_HEATMAP_N_VIEWS);

  if (self->view == view)
    return;

  self->view = view;
  st_heatmap_update_values (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
}

/* Returns: the magnitude of the strongest colour: the largest stored
 * magnitude of the view, or the fixed range.  The colour scale is
 * [-range, range]. */
double
st_heatmap_get_range (StHeatmap *self)
{
  g_return_val_if_fail (ST_IS_HEATMAP (self), 0.0);

  return self->range;
}

gboolean
st_heatmap_get_fixed_range (StHeatmap *self)
{
  g_return_val_if_fail (ST_IS_HEATMAP (self), FALSE);

  return self->fixed_range;
}

/* With @fixed, colours saturate at ±@range whatever the values; without,
 * the range follows the largest magnitude shown. */
void
st_heatmap_set_fixed_range (StHeatmap *self,
                            gboolean   fixed,
                            double     range)
{
  g_return_if_fail (ST_IS_HEATMAP (self));

  self->fixed_range = !!fixed;
  if (range > 0.0 && isfinite (range))
    self->fixed_range_value = range;

  st_heatmap_update_range (self);
  st_heatmap_invalidate (self);
}

void
st_heatmap_set_color_map (StHeatmap  *self,
                          StColorMap  color_map)
{
  g_return_if_fail (ST_IS_HEATMAP (self));

  if (self->palette.color_map == color_map)
    return;

  st_palette_init (&self->palette, self->palette.dark, color_map);
  st_heatmap_invalidate (self);
}

/* Returns: whether the dark palette is in use. */
gboolean
st_heatmap_get_dark (StHeatmap *self)
{
  g_return_val_if_fail (ST_IS_HEATMAP (self), FALSE);

  return self->palette.dark;
}

static void
st_heatmap_dark_changed (StHeatmap       *self,
                         GParamSpec      *pspec,
                         AdwStyleManager *style_manager)
{
  st_palette_init (&self->palette, adw_style_manager_get_dark (style_manager), self->palette.color_map);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DARK]);
  st_heatmap_invalidate (self);
}

/* View geometry */

/* The pixels per index at zoom 1 for the current size, in device pixels. */
static double
st_heatmap_get_fit_scale (StHeatmap *self)
{
  int sf = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  int width = gtk_widget_get_width (GTK_WIDGET (self)) * sf;
  int height = gtk_widget_get_height (GTK_WIDGET (self)) * sf;

  return st_heatmap_raster_fit_scale (self->matrix.rows, self->matrix.cols,
                                      width, height, MAX_FIT_CELL * sf);
}

static double
st_heatmap_get_scale_for (StHeatmap *self,
                          double     zoom)
{
  int sf = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  double width = MAX (gtk_widget_get_width (GTK_WIDGET (self)) * sf, 1);
  double height = MAX (gtk_widget_get_height (GTK_WIDGET (self)) * sf, 1);
  double fit = st_heatmap_get_fit_scale (self);
  double scale;

  if (zoom <= 1.0)
    return fit;

  /* Zoom from the exact fit, not the rounded one, so that every step
   * enlarges the cells; whole pixels per cell keep them sharp. */
  scale = MAX (fit, MIN (width / self->matrix.cols, height / self->matrix.rows) * zoom);
  if (scale >= 1.0)
    scale = floor (scale);

  return scale;
}

/* The largest useful zoom: cells of MAX_CELL logical pixels. */
static double
st_heatmap_get_max_zoom (StHeatmap *self)
{
  int sf = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  return MAX (1.0, MAX_CELL * sf / st_heatmap_get_fit_scale (self));
}

/* Keeps the view on the matrix: centred on an axis that fits, and
 * without empty space beyond the matrix on one that does not. */
static double
clamp_center (double center,
              guint  n,
              double span)
{
  if (span >= n)
    return n / 2.0;

  return CLAMP (center, span / 2.0, n - span / 2.0);
}

static void
st_heatmap_clamp_center (StHeatmap *self)
{
  int sf = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  double scale = st_heatmap_get_scale_for (self, self->zoom);
  double width = gtk_widget_get_width (GTK_WIDGET (self)) * sf;
  double height = gtk_widget_get_height (GTK_WIDGET (self)) * sf;

  if (!st_heatmap_has_matrix (self) || width <= 0 || height <= 0)
    return;

  self->center_col = clamp_center (self->center_col, self->matrix.cols, width / scale);
  self->center_row = clamp_center (self->center_row, self->matrix.rows, height / scale);
}

double
st_heatmap_get_zoom (StHeatmap *self)
{
  g_return_val_if_fail (ST_IS_HEATMAP (self), 1.0);

  return self->zoom;
}

/* Sets the zoom relative to fitting the whole layer, keeping the middle
 * of the view in place. */
void
st_heatmap_set_zoom (StHeatmap *self,
                     double     zoom)
{
  g_return_if_fail (ST_IS_HEATMAP (self));

  if (st_heatmap_has_matrix (self) && gtk_widget_get_width (GTK_WIDGET (self)) > 0)
    zoom = CLAMP (zoom, 1.0, st_heatmap_get_max_zoom (self));
  else
    zoom = MAX (zoom, 1.0);

  if (zoom == self->zoom)
    return;

  self->zoom = zoom;
  st_heatmap_clamp_center (self);
  self->hover_row = self->hover_col = -1;
  st_heatmap_invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

void
st_heatmap_zoom_in (StHeatmap *self)
{
  g_return_if_fail (ST_IS_HEATMAP (self));

  st_heatmap_set_zoom (self, self->zoom * ZOOM_STEP);
}

void
st_heatmap_zoom_out (StHeatmap *self)
{
  g_return_if_fail (ST_IS_HEATMAP (self));

  st_heatmap_set_zoom (self, self->zoom / ZOOM_STEP);
}

void
st_heatmap_zoom_to_fit (StHeatmap *self)
{
  g_return_if_fail (ST_IS_HEATMAP (self));

  self->center_row = self->matrix.rows / 2.0;
  self->center_col = self->matrix.cols / 2.0;
  st_heatmap_set_zoom (self, 1.0);
  st_heatmap_invalidate (self);
}

/* Multiplies the zoom by @factor, keeping the matrix position under the
 * widget point (@x, @y) in place, as Ctrl+scroll does. */
void
st_heatmap_zoom_at (StHeatmap *self,
                    double     factor,
                    double     x,
                    double     y)
{
  int sf;
  double width, height, old_scale, new_scale, col, row;

  g_return_if_fail (ST_IS_HEATMAP (self));

  if (!st_heatmap_has_matrix (self))
    return;

  sf = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  width = gtk_widget_get_width (GTK_WIDGET (self)) * sf;
  height = gtk_widget_get_height (GTK_WIDGET (self)) * sf;
  old_scale = st_heatmap_get_scale_for (self, self->zoom);
  col = self->center_col + (x * sf - width / 2) / old_scale;
  row = self->center_row + (y * sf - height / 2) / old_scale;

  st_heatmap_set_zoom (self, self->zoom * factor);

  new_scale = st_heatmap_get_scale_for (self, self->zoom);
  self->center_col = col - (x * sf - width / 2) / new_scale;
  self->center_row = row - (y * sf - height / 2) / new_scale;
  st_heatmap_clamp_center (self);
  st_heatmap_invalidate (self);
}

/* Moves the view by (@dx, @dy) logical pixels; positive moves the
 * matrix left and up. */
void
st_heatmap_pan (StHeatmap *self,
                double     dx,
                double     dy)
{
  int sf;
  double scale;

  g_return_if_fail (ST_IS_HEATMAP (self));

  if (!st_heatmap_has_matrix (self))
    return;

  sf = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  scale = st_heatmap_get_scale_for (self, self->zoom);
  self->center_col += dx * sf / scale;
  self->center_row += dy * sf / scale;
  st_heatmap_clamp_center (self);
  st_heatmap_invalidate (self);
}

/* Puts the matrix position (@row, @col), in index units, in the middle
 * of the view as far as the matrix allows. */
void
st_heatmap_center_on (StHeatmap *self,
                      double     row,
                      double     col)
{
  g_return_if_fail (ST_IS_HEATMAP (self));

  self->center_row = row;
  self->center_col = col;
  st_heatmap_clamp_center (self);
  st_heatmap_invalidate (self);
}

/* Returns: the size of one cell in logical pixels; below 1 when each
 * pixel shows several cells. */
double
st_heatmap_get_cell_size (StHeatmap *self)
{
  g_return_val_if_fail (ST_IS_HEATMAP (self), 0.0);

  if (!st_heatmap_has_matrix (self))
    return 0.0;

  return st_heatmap_get_scale_for (self, self->zoom) / gtk_widget_get_scale_factor (GTK_WIDGET (self));
}

static void
st_heatmap_layout_axes (StHeatmap     *self,
                        guint          width,
                        guint          height,
                        double         scale,
                        StHeatmapAxis *x_axis,
                        StHeatmapAxis *y_axis)
{
  st_heatmap_axis_init (x_axis, self->matrix.cols, width, scale, self->center_col);
  st_heatmap_axis_init (y_axis, self->matrix.rows, height, scale, self->center_row);
}

/* Returns: %FALSE when nothing is shown; otherwise the visible cells. */
gboolean
st_heatmap_get_visible_cells (StHeatmap *self,
                              guint     *first_row,
                              guint     *last_row,
                              guint     *first_col,
                              guint     *last_col)
{
  int sf;
  double scale, width, height;

  g_return_val_if_fail (ST_IS_HEATMAP (self), FALSE);

  if (!st_heatmap_has_matrix (self) || gtk_widget_get_width (GTK_WIDGET (self)) <= 0)
    return FALSE;

  sf = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  scale = st_heatmap_get_scale_for (self, self->zoom);
  width = gtk_widget_get_width (GTK_WIDGET (self)) * sf / scale;
  height = gtk_widget_get_height (GTK_WIDGET (self)) * sf / scale;

  *first_col = (guint) CLAMP (floor (self->center_col - width / 2), 0, self->matrix.cols - 1);
  *last_col = (guint) CLAMP (ceil (self->center_col + width / 2) - 1, 0, self->matrix.cols - 1);
  *first_row = (guint) CLAMP (floor (self->center_row - height / 2), 0, self->matrix.rows - 1);
  *last_row = (guint) CLAMP (ceil (self->center_row + height / 2) - 1, 0, self->matrix.rows - 1);
  return TRUE;
}

/* Drawing */

/* Writes each stored value into its cell; only when cells are large and
 * few, where the numbers are what a student follows by hand. */
static void
st_heatmap_append_values (StHeatmap   *self,
                          GtkSnapshot *snapshot)
{
  double cell = self->x_axis.scale / self->scale_factor;
  g_autoptr(PangoLayout) layout = NULL;
  guint first_row, last_row, first_col, last_col;

  if (self->x_axis.scale < 1.0 || cell < MIN_CELL_FOR_TEXT || self->matrix.values == NULL ||
      !st_heatmap_get_visible_cells (self, &first_row, &last_row, &first_col, &last_col) ||
      (gsize) (last_row - first_row + 1) * (last_col - first_col + 1) > MAX_LABELLED_CELLS)
    return;

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);

  for (gsize k = st_heatmap_matrix_find_row (&self->matrix, first_row);
       k < self->matrix.nnz && self->entry_rows[k] <= last_row;
       k++)
    {
      double value = self->matrix.values[k];
      guint32 background = st_palette_map (&self->palette, value, self->range);
      GdkRGBA color = { 0, 0, 0, 0.87 };
      g_autofree char *text = NULL;
      double x0, x1, y0, y1;
      int width, height;

      if (self->entry_cols[k] < first_col || self->entry_cols[k] > last_col)
        continue;

      if (st_palette_get_luminance (background) < 0.5)
        color = (GdkRGBA) { 1, 1, 1, 1 };

      text = g_strdup_printf ("%.3g", value);
      pango_layout_set_text (layout, text, -1);
      pango_layout_get_pixel_size (layout, &width, &height);
      if (width > cell - 4)
        continue;

      st_heatmap_axis_get_span (&self->x_axis, self->entry_cols[k], &x0, &x1);
      st_heatmap_axis_get_span (&self->y_axis, self->entry_rows[k], &y0, &y1);

      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot,
                              &GRAPHENE_POINT_INIT ((x0 + x1) / 2 / self->scale_factor - width / 2.0,
                                                    (y0 + y1) / 2 / self->scale_factor - height / 2.0));
      gtk_snapshot_append_layout (snapshot, layout, &color);
      gtk_snapshot_restore (snapshot);
    }
}

static guint32 *
st_heatmap_fill_pixels (StHeatmap     *self,
                        StHeatmapAxis *x_axis,
                        StHeatmapAxis *y_axis)
{
  guint32 *pixels = g_new (guint32, MAX ((gsize) x_axis->pixels * y_axis->pixels, 1));

  st_heatmap_raster_fill (&self->matrix, x_axis, y_axis, self->range, &self->palette,
                          pixels, x_axis->pixels);
  return pixels;
}

static GskRenderNode *
st_heatmap_build_node (StHeatmap *self,
                       int        width,
                       int        height)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  guint32 *pixels;
  double scale;

  self->scale_factor = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  st_heatmap_clamp_center (self);
  scale = st_heatmap_get_scale_for (self, self->zoom);
  st_heatmap_layout_axes (self, width * self->scale_factor, height * self->scale_factor, scale,
                          &self->x_axis, &self->y_axis);

  pixels = st_heatmap_fill_pixels (self, &self->x_axis, &self->y_axis);
  bytes = g_bytes_new_take (pixels, sizeof (guint32) * self->x_axis.pixels * self->y_axis.pixels);
  texture = gdk_memory_texture_new (self->x_axis.pixels, self->y_axis.pixels,
                                    GDK_MEMORY_DEFAULT, bytes, self->x_axis.pixels * sizeof (guint32));

  gtk_snapshot_append_texture (snapshot, texture, &GRAPHENE_RECT_INIT (0, 0, width, height));
  st_heatmap_append_values (self, snapshot);

  return gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

/* The rectangle of cells (@row0..@row1, @col0..@col1) in logical
 * pixels, at least one device pixel wide.  Returns: %FALSE off view. */
static gboolean
st_heatmap_get_cells_rect (StHeatmap       *self,
                           guint            row0,
                           guint            col0,
                           guint            row1,
                           guint            col1,
                           graphene_rect_t *rect)
{
  double x0, x1, y0, y1, unused;

  st_heatmap_axis_get_span (&self->x_axis, col0, &x0, &unused);
  st_heatmap_axis_get_span (&self->x_axis, col1, &unused, &x1);
  st_heatmap_axis_get_span (&self->y_axis, row0, &y0, &unused);
  st_heatmap_axis_get_span (&self->y_axis, row1, &unused, &y1);
  if (x1 <= 0 || y1 <= 0 || x0 >= self->x_axis.pixels || y0 >= self->y_axis.pixels)
    return FALSE;

  graphene_rect_init (rect, x0 / self->scale_factor, y0 / self->scale_factor,
                      MAX (x1 - x0, 1.0) / self->scale_factor, MAX (y1 - y0, 1.0) / self->scale_factor);
  return TRUE;
}

static void
st_heatmap_append_outline (StHeatmap       *self,
                           GtkSnapshot     *snapshot,
                           const graphene_rect_t *rect,
                           const GdkRGBA   *color,
                           float            width)
{
  GskRoundedRect outline;
  graphene_rect_t grown;

  graphene_rect_inset_r (rect, -width / 2, -width / 2, &grown);
  gsk_rounded_rect_init_from_rect (&outline, &grown, 0);
  gtk_snapshot_append_border (snapshot, &outline,
                              (float[4]) { width, width, width, width },
                              (GdkRGBA[4]) { *color, *color, *color, *color });
}

static void
st_heatmap_append_overlays (StHeatmap   *self,
                            GtkSnapshot *snapshot)
{
  GdkRGBA contrast = self->palette.dark ? (GdkRGBA) { 1, 1, 1, 1 } : (GdkRGBA) { 0, 0, 0, 1 };
  GdkRGBA accent = { 0.21, 0.52, 0.89, 1 };
  GdkRGBA preview = self->palette.dark ? (GdkRGBA) { 1, 1, 1, 0.45 } : (GdkRGBA) { 0, 0, 0, 0.35 };
  float line = self->presentation ? 4 : 2;
  graphene_rect_t rect;

  if (self->highlight_row >= 0 &&
      st_heatmap_get_cells_rect (self, self->highlight_row, self->highlight_col,
                                 self->highlight_row, self->highlight_col, &rect))
    st_heatmap_append_outline (self, snapshot, &rect, &accent, line + 1);

  if (self->cursor_row >= 0 && gtk_widget_has_focus (GTK_WIDGET (self)) &&
      st_heatmap_get_cells_rect (self, self->cursor_row, self->cursor_col,
                                 self->cursor_row, self->cursor_col, &rect))
    {
      st_heatmap_append_outline (self, snapshot, &rect, &contrast, line);
    }

  if (self->hover_row >= 0 && !self->dragging &&
      st_heatmap_get_cells_rect (self, self->hover_row, self->hover_col,
                                 self->hover_row + self->hover_block_rows - 1,
                                 self->hover_col + self->hover_block_cols - 1, &rect))
    st_heatmap_append_outline (self, snapshot, &rect, &contrast, line);

  if (self->stroke != NULL)
    for (guint i = 0; i < self->stroke->len; i++)
      {
        StHeatmapCell *cell = &g_array_index (self->stroke, StHeatmapCell, i);

        if (st_heatmap_get_cells_rect (self, cell->row, cell->col, cell->row, cell->col, &rect))
          gtk_snapshot_append_color (snapshot, &preview, &rect);
      }

  if (self->rectangle_valid &&
      st_heatmap_get_cells_rect (self, MIN (self->rect_row0, self->rect_row1), MIN (self->rect_col0, self->rect_col1),
                                 MAX (self->rect_row0, self->rect_row1), MAX (self->rect_col0, self->rect_col1),
                                 &rect))
    {
      gtk_snapshot_append_color (snapshot, &preview, &rect);
      st_heatmap_append_outline (self, snapshot, &rect, &contrast, line);
    }
}

static void
st_heatmap_snapshot (GtkWidget   *widget,
                     GtkSnapshot *snapshot)
{
  StHeatmap *self = ST_HEATMAP (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (!st_heatmap_has_matrix (self) || width <= 0 || height <= 0)
    return;

  if (self->cache == NULL)
    self->cache = st_heatmap_build_node (self, width, height);

  gtk_snapshot_append_node (snapshot, self->cache);
  st_heatmap_append_overlays (self, snapshot);
}

/**
 * st_heatmap_render_surface:
 * @self: a heat map
 * @width: pixels across
 * @height: pixels down
 *
 * Renders the current view, zoom and colours at another size, for
 * export.  Space around the matrix is transparent.
 *
 * Returns: (transfer full): an ARGB32 image surface
 */
cairo_surface_t *
st_heatmap_render_surface (StHeatmap *self,
                           int        width,
                           int        height)
{
  cairo_surface_t *surface;
  StHeatmapAxis x_axis, y_axis;
  double widget_scale, scale;
  int widget_width;

  g_return_val_if_fail (ST_IS_HEATMAP (self), NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  if (!st_heatmap_has_matrix (self))
    return surface;

  /* The same cells as on screen, scaled to the new width. */
  widget_width = MAX (gtk_widget_get_width (GTK_WIDGET (self)) * gtk_widget_get_scale_factor (GTK_WIDGET (self)), 1);
  widget_scale = st_heatmap_get_scale_for (self, self->zoom);
  scale = widget_scale * MIN ((double) width / widget_width, 1e9);
  if (gtk_widget_get_width (GTK_WIDGET (self)) <= 0)
    scale = st_heatmap_raster_fit_scale (self->matrix.rows, self->matrix.cols, width, height, MAX_FIT_CELL);
  if (scale >= 1.0)
    scale = floor (scale);

  st_heatmap_layout_axes (self, width, height, scale, &x_axis, &y_axis);
  cairo_surface_flush (surface);
  st_heatmap_raster_fill (&self->matrix, &x_axis, &y_axis, self->range, &self->palette,
                          (guint32 *) (gpointer) cairo_image_surface_get_data (surface),
                          cairo_image_surface_get_stride (surface) / sizeof (guint32));
  cairo_surface_mark_dirty (surface);

  return surface;
}

/* Size and events */

static void
st_heatmap_measure (GtkWidget      *widget,
                    GtkOrientation  orientation,
                    int             for_size,
                    int            *minimum,
                    int            *natural,
                    int            *minimum_baseline,
                    int            *natural_baseline)
{
  StHeatmap *self = ST_HEATMAP (widget);
  guint n = orientation == GTK_ORIENTATION_HORIZONTAL ? self->matrix.cols : self->matrix.rows;

  *minimum = 120;
  *natural = CLAMP ((int) MIN (n, 1000) * 48, 240, 480);
}

static void
st_heatmap_size_allocate (GtkWidget *widget,
                          int        width,
                          int        height,
                          int        baseline)
{
  StHeatmap *self = ST_HEATMAP (widget);

  st_heatmap_clamp_center (self);
  st_heatmap_invalidate (self);
}

/* Maps a widget point to the cells under it.  Returns: %FALSE outside
 * the matrix or in a gap. */
static gboolean
st_heatmap_pick (StHeatmap *self,
                 double     x,
                 double     y,
                 guint     *first_row,
                 guint     *last_row,
                 guint     *first_col,
                 guint     *last_col)
{
  double px = x * self->scale_factor;
  double py = y * self->scale_factor;

  if (self->cache == NULL || px < 0 || py < 0)
    return FALSE;

  return st_heatmap_axis_get_indices (&self->x_axis, (guint) px, first_col, last_col) &&
         st_heatmap_axis_get_indices (&self->y_axis, (guint) py, first_row, last_row);
}

/**
 * st_heatmap_point_to_cell:
 * @self: a heat map
 * @x: a widget point
 * @y: a widget point
 * @row: (out): the first row under the point
 * @col: (out): the first column under the point
 *
 * Returns: %FALSE when the point is outside the drawn matrix
 */
gboolean
st_heatmap_point_to_cell (StHeatmap *self,
                          double     x,
                          double     y,
                          guint     *row,
                          guint     *col)
{
  guint last_row, last_col;

  g_return_val_if_fail (ST_IS_HEATMAP (self), FALSE);

  return st_heatmap_pick (self, x, y, row, &last_row, col, &last_col);
}

static void
st_heatmap_set_hover (StHeatmap *self,
                      int        row,
                      int        col,
                      guint      block_rows,
                      guint      block_cols)
{
  if (row == self->hover_row && col == self->hover_col &&
      block_rows == self->hover_block_rows && block_cols == self->hover_block_cols)
    return;

  self->hover_row = row;
  self->hover_col = col;
  self->hover_block_rows = block_rows;
  self->hover_block_cols = block_cols;
  st_heatmap_update_readout (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[POINTER_CHANGED], 0, row, col);
}

static void
st_heatmap_motion (StHeatmap                *self,
                   double                    x,
                   double                    y,
                   GtkEventControllerMotion *controller)
{
  guint first_row, last_row, first_col, last_col;

  if (st_heatmap_pick (self, x, y, &first_row, &last_row, &first_col, &last_col))
    st_heatmap_set_hover (self, first_row, first_col, last_row - first_row + 1, last_col - first_col + 1);
  else
    st_heatmap_set_hover (self, -1, -1, 1, 1);
}

static void
st_heatmap_leave (StHeatmap                *self,
                  GtkEventControllerMotion *controller)
{
  st_heatmap_set_hover (self, -1, -1, 1, 1);
}

static gboolean
st_heatmap_scroll (StHeatmap                *self,
                   double                    dx,
                   double                    dy,
                   GtkEventControllerScroll *controller)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  double x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
  double y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));

  if (state & GDK_CONTROL_MASK)
    {
      if (event != NULL)
        {
          double event_x, event_y;
          GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));
          graphene_point_t point;
          double nx, ny;

          gdk_event_get_position (event, &event_x, &event_y);
          gtk_native_get_surface_transform (native, &nx, &ny);
          if (gtk_widget_compute_point (GTK_WIDGET (native), GTK_WIDGET (self),
                                        &GRAPHENE_POINT_INIT (event_x - nx, event_y - ny), &point))
            {
              x = point.x;
              y = point.y;
            }
        }

      st_heatmap_zoom_at (self, pow (ZOOM_STEP, -dy), x, y);
      return GDK_EVENT_STOP;
    }

  if (self->zoom <= 1.0)
    return GDK_EVENT_PROPAGATE;

  if (state & GDK_SHIFT_MASK)
    st_heatmap_pan (self, dy * 40, dx * 40);
  else
    st_heatmap_pan (self, dx * 40, dy * 40);
  return GDK_EVENT_STOP;
}

static gboolean
st_heatmap_tool_edits (StHeatmap *self)
{
  return self->editable && self->tool != ST_HEATMAP_TOOL_MOVE;
}

static gboolean
st_heatmap_tool_adds (StHeatmap *self)
{
  return self->tool == ST_HEATMAP_TOOL_DRAW || self->tool == ST_HEATMAP_TOOL_DRAW_RECTANGLE;
}

static gboolean
st_heatmap_tool_is_rectangle (StHeatmap *self)
{
  return self->tool == ST_HEATMAP_TOOL_DRAW_RECTANGLE || self->tool == ST_HEATMAP_TOOL_ERASE_RECTANGLE;
}

static void
st_heatmap_stroke_add (StHeatmap *self,
                       guint      row,
                       guint      col)
{
  guint64 key = ((guint64) row << 32) | col;
  StHeatmapCell cell = { row, col };

  if (g_hash_table_contains (self->stroke_set, &key))
    return;

  g_hash_table_add (self->stroke_set, g_memdup2 (&key, sizeof key));
  g_array_append_val (self->stroke, cell);
}

/* Adds the cells along the segment between two widget points, sampled
 * every half pixel, so a fast drag leaves no holes. */
static void
st_heatmap_stroke_segment (StHeatmap *self,
                           double     x0,
                           double     y0,
                           double     x1,
                           double     y1)
{
  double length = hypot (x1 - x0, y1 - y0);
  guint n = (guint) ceil (length * 2) + 1;

  for (guint i = 0; i <= n; i++)
    {
      double t = n > 0 ? (double) i / n : 0.0;
      guint row, col;

      if (st_heatmap_point_to_cell (self, x0 + t * (x1 - x0), y0 + t * (y1 - y0), &row, &col))
        st_heatmap_stroke_add (self, row, col);
    }

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
st_heatmap_drag_begin (StHeatmap      *self,
                       double          x,
                       double          y,
                       GtkGestureDrag *gesture)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  guint row, col;

  self->dragging = TRUE;
  self->drag_start_x = self->drag_last_x = x;
  self->drag_start_y = self->drag_last_y = y;
  self->pan_start_row = self->center_row;
  self->pan_start_col = self->center_col;
  self->drag_pans = button != GDK_BUTTON_PRIMARY || !st_heatmap_tool_edits (self);

  gtk_widget_grab_focus (GTK_WIDGET (self));

  if (self->drag_pans)
    return;

  if (st_heatmap_tool_is_rectangle (self))
    {
      self->rectangle_valid = st_heatmap_point_to_cell (self, x, y, &row, &col);
      self->rect_row0 = self->rect_row1 = row;
      self->rect_col0 = self->rect_col1 = col;
    }
  else
    {
      self->stroke = g_array_new (FALSE, FALSE, sizeof (StHeatmapCell));
      self->stroke_set = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      st_heatmap_stroke_segment (self, x, y, x, y);
    }

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
st_heatmap_drag_update (StHeatmap      *self,
                        double          offset_x,
                        double          offset_y,
                        GtkGestureDrag *gesture)
{
  double x = self->drag_start_x + offset_x;
  double y = self->drag_start_y + offset_y;
  guint row, col;

  if (self->drag_pans)
    {
      int sf = gtk_widget_get_scale_factor (GTK_WIDGET (self));
      double scale = st_heatmap_get_scale_for (self, self->zoom);

      self->center_col = self->pan_start_col - offset_x * sf / scale;
      self->center_row = self->pan_start_row - offset_y * sf / scale;
      st_heatmap_clamp_center (self);
      st_heatmap_invalidate (self);
      return;
    }

  if (self->rectangle_valid)
    {
      /* Outside the matrix the rectangle stops at its edge. */
      double px = CLAMP (x, 0, gtk_widget_get_width (GTK_WIDGET (self)) - 1);
      double py = CLAMP (y, 0, gtk_widget_get_height (GTK_WIDGET (self)) - 1);

      if (st_heatmap_point_to_cell (self, px, py, &row, &col))
        {
          self->rect_row1 = row;
          self->rect_col1 = col;
        }
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  else if (self->stroke != NULL)
    {
      st_heatmap_stroke_segment (self, self->drag_last_x, self->drag_last_y, x, y);
    }

  self->drag_last_x = x;
  self->drag_last_y = y;
}

static void
st_heatmap_drag_end (StHeatmap      *self,
                     double          offset_x,
                     double          offset_y,
                     GtkGestureDrag *gesture)
{
  g_autoptr(GArray) stroke = g_steal_pointer (&self->stroke);
  gboolean rectangle = self->rectangle_valid;

  g_clear_pointer (&self->stroke_set, g_hash_table_unref);
  self->rectangle_valid = FALSE;
  self->dragging = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));

  if (self->drag_pans)
    return;

  if (rectangle)
    g_signal_emit (self, signals[EDIT_RECTANGLE], 0, st_heatmap_tool_adds (self),
                   MIN (self->rect_row0, self->rect_row1), MIN (self->rect_col0, self->rect_col1),
                   MAX (self->rect_row0, self->rect_row1), MAX (self->rect_col0, self->rect_col1));
  else if (stroke != NULL && stroke->len > 0)
    g_signal_emit (self, signals[EDIT_CELLS], 0, st_heatmap_tool_adds (self), stroke);
}

/* Moves the keyboard cursor, scrolling it into view. */
void
st_heatmap_set_cursor (StHeatmap *self,
                       int        row,
                       int        col)
{
  guint first_row, last_row, first_col, last_col;

  g_return_if_fail (ST_IS_HEATMAP (self));

  if (!st_heatmap_has_matrix (self))
    return;

  row = CLAMP (row, 0, (int) self->matrix.rows - 1);
  col = CLAMP (col, 0, (int) self->matrix.cols - 1);
  self->cursor_row = row;
  self->cursor_col = col;

  if (st_heatmap_get_visible_cells (self, &first_row, &last_row, &first_col, &last_col) &&
      ((guint) row < first_row || (guint) row > last_row || (guint) col < first_col || (guint) col > last_col))
    st_heatmap_center_on (self, row + 0.5, col + 0.5);

  st_heatmap_update_readout (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[POINTER_CHANGED], 0, row, col);
}

static gboolean
st_heatmap_key_pressed (StHeatmap             *self,
                        guint                  keyval,
                        guint                  keycode,
                        GdkModifierType        state,
                        GtkEventControllerKey *controller)
{
  int row = MAX (self->cursor_row, 0);
  int col = MAX (self->cursor_col, 0);
  gboolean had_cursor = self->cursor_row >= 0;

  if (!st_heatmap_has_matrix (self) || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)))
    return GDK_EVENT_PROPAGATE;

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      st_heatmap_set_cursor (self, row, had_cursor ? col - 1 : col);
      return GDK_EVENT_STOP;

    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      st_heatmap_set_cursor (self, row, had_cursor ? col + 1 : col);
      return GDK_EVENT_STOP;

    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      st_heatmap_set_cursor (self, had_cursor ? row - 1 : row, col);
      return GDK_EVENT_STOP;

    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      st_heatmap_set_cursor (self, had_cursor ? row + 1 : row, col);
      return GDK_EVENT_STOP;

    case GDK_KEY_plus:
    case GDK_KEY_KP_Add:
    case GDK_KEY_equal:
      st_heatmap_zoom_in (self);
      return GDK_EVENT_STOP;

    case GDK_KEY_minus:
    case GDK_KEY_KP_Subtract:
      st_heatmap_zoom_out (self);
      return GDK_EVENT_STOP;

    case GDK_KEY_0:
    case GDK_KEY_KP_0:
      st_heatmap_zoom_to_fit (self);
      return GDK_EVENT_STOP;

    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
      if (had_cursor && st_heatmap_tool_edits (self) && !st_heatmap_tool_is_rectangle (self))
        {
          g_autoptr(GArray) cells = g_array_new (FALSE, FALSE, sizeof (StHeatmapCell));
          StHeatmapCell cell = { row, col };

          g_array_append_val (cells, cell);
          g_signal_emit (self, signals[EDIT_CELLS], 0, st_heatmap_tool_adds (self), cells);
          return GDK_EVENT_STOP;
        }
      return GDK_EVENT_PROPAGATE;

    default:
      return GDK_EVENT_PROPAGATE;
    }
}

static void
st_heatmap_focus_changed (StHeatmap *self)
{
  if (gtk_widget_has_focus (GTK_WIDGET (self)) && self->cursor_row < 0 && st_heatmap_has_matrix (self))
    {
      guint first_row, last_row, first_col, last_col;

      if (st_heatmap_get_visible_cells (self, &first_row, &last_row, &first_col, &last_col))
        {
          self->cursor_row = first_row;
          self->cursor_col = first_col;
        }
    }

  st_heatmap_update_readout (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

StHeatmapTool
st_heatmap_get_tool (StHeatmap *self)
{
  g_return_val_if_fail (ST_IS_HEATMAP (self), ST_HEATMAP_TOOL_MOVE);

  return self->tool;
}

void
st_heatmap_set_tool (StHeatmap     *self,
                     StHeatmapTool  tool)
{
  g_return_if_fail (ST_IS_HEATMAP (self));

  if (self->tool == tool)
    return;

  self->tool = tool;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), tool == ST_HEATMAP_TOOL_MOVE ? "grab" : "crosshair");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL]);
}

/* While not editable (training runs), every tool moves the view. */
void
st_heatmap_set_editable (StHeatmap *self,
                         gboolean   editable)
{
  g_return_if_fail (ST_IS_HEATMAP (self));

  self->editable = !!editable;
}

/* Outlines the cell (@row, @col) in the accent colour; -1 for none. */
void
st_heatmap_set_highlight (StHeatmap *self,
                          int        row,
                          int        col)
{
  g_return_if_fail (ST_IS_HEATMAP (self));

  if (self->highlight_row == row && self->highlight_col == col)
    return;

  self->highlight_row = row;
  self->highlight_col = col;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Returns: what is under the pointer or the keyboard cursor, as one
 * line of text, or %NULL. */
const char *
st_heatmap_get_readout (StHeatmap *self)
{
  g_return_val_if_fail (ST_IS_HEATMAP (self), NULL);

  return self->readout;
}

/* Thicker outlines for presentation mode. */
void
st_heatmap_set_presentation (StHeatmap *self,
                             gboolean   presentation)
{
  g_return_if_fail (ST_IS_HEATMAP (self));

  self->presentation = !!presentation;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
st_heatmap_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  StHeatmap *self = ST_HEATMAP (object);

  switch (prop_id)
    {
    case PROP_RANGE:
      g_value_set_double (value, st_heatmap_get_range (self));
      break;

    case PROP_DARK:
      g_value_set_boolean (value, st_heatmap_get_dark (self));
      break;

    case PROP_ZOOM:
      g_value_set_double (value, st_heatmap_get_zoom (self));
      break;

    case PROP_READOUT:
      g_value_set_string (value, st_heatmap_get_readout (self));
      break;

    case PROP_VIEW:
      g_value_set_uint (value, st_heatmap_get_view (self));
      break;

    case PROP_TOOL:
      g_value_set_uint (value, st_heatmap_get_tool (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
st_heatmap_finalize (GObject *object)
{
  StHeatmap *self = ST_HEATMAP (object);

  g_clear_pointer (&self->cache, gsk_render_node_unref);
  g_clear_pointer (&self->snapshot, st_snapshot_unref);
  g_clear_pointer (&self->stroke, g_array_unref);
  g_clear_pointer (&self->stroke_set, g_hash_table_unref);
  g_free (self->entry_rows);
  g_free (self->entry_cols);
  g_free (self->start_values);
  g_free (self->own_values);
  g_free (self->readout);

  G_OBJECT_CLASS (st_heatmap_parent_class)->finalize (object);
}

static void
st_heatmap_class_init (StHeatmapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = st_heatmap_finalize;
  object_class->get_property = st_heatmap_get_property;

  widget_class->snapshot = st_heatmap_snapshot;
  widget_class->measure = st_heatmap_measure;
  widget_class->size_allocate = st_heatmap_size_allocate;

  properties[PROP_RANGE] =
    g_param_spec_double ("range", NULL, NULL,
                         0.0, G_MAXDOUBLE, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_DARK] =
    g_param_spec_boolean ("dark", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL,
                         1.0, G_MAXDOUBLE, 1.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_READOUT] =
    g_param_spec_string ("readout", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_VIEW] =
    g_param_spec_uint ("view", NULL, NULL,
                       0, ST_HEATMAP_N_VIEWS - 1, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_TOOL] =
    g_param_spec_uint ("tool", NULL, NULL,
                       0, ST_HEATMAP_TOOL_ERASE_RECTANGLE, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * StHeatmap::edit-cells:
   * @self: the heat map
   * @add: %TRUE to store the cells, %FALSE to erase them
   * @cells: (type gpointer): a #GArray of #StHeatmapCell, in drawing order
   *
   * Emitted when a drawing or erasing stroke ends.
   */
  signals[EDIT_CELLS] =
    g_signal_new ("edit-cells",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_BOOLEAN, G_TYPE_POINTER);

  /**
   * StHeatmap::edit-rectangle:
   * @self: the heat map
   * @add: %TRUE to store every position, %FALSE to erase them
   * @first_row: the rectangle's rows and columns, inclusive
   *
   * Emitted when a rectangle drag ends.
   */
  signals[EDIT_RECTANGLE] =
    g_signal_new ("edit-rectangle",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 5, G_TYPE_BOOLEAN, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT);

  /**
   * StHeatmap::pointer-changed:
   * @self: the heat map
   * @row: the row under the pointer or keyboard cursor, or -1
   * @col: its column, or -1
   */
  signals[POINTER_CHANGED] =
    g_signal_new ("pointer-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);

  gtk_widget_class_set_css_name (widget_class, "heatmap");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
st_heatmap_init (StHeatmap *self)
{
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  GtkEventController *controller;
  GtkGesture *gesture;

  self->hover_row = self->hover_col = -1;
  self->cursor_row = self->cursor_col = -1;
  self->highlight_row = self->highlight_col = -1;
  self->hover_block_rows = self->hover_block_cols = 1;
  self->scale_factor = 1;
  self->zoom = 1.0;
  self->fixed_range_value = 1.0;
  st_palette_init (&self->palette, adw_style_manager_get_dark (style_manager), ST_COLOR_MAP_BLUE_RED);
  g_signal_connect_object (style_manager, "notify::dark",
                           G_CALLBACK (st_heatmap_dark_changed), self, G_CONNECT_SWAPPED);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grab");

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (controller, "motion", G_CALLBACK (st_heatmap_motion), self);
  g_signal_connect_swapped (controller, "leave", G_CALLBACK (st_heatmap_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect_swapped (controller, "scroll", G_CALLBACK (st_heatmap_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gesture = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), 0);
  g_signal_connect_swapped (gesture, "drag-begin", G_CALLBACK (st_heatmap_drag_begin), self);
  g_signal_connect_swapped (gesture, "drag-update", G_CALLBACK (st_heatmap_drag_update), self);
  g_signal_connect_swapped (gesture, "drag-end", G_CALLBACK (st_heatmap_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  controller = gtk_event_controller_key_new ();
  g_signal_connect_swapped (controller, "key-pressed", G_CALLBACK (st_heatmap_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (controller, "enter", G_CALLBACK (st_heatmap_focus_changed), self);
  g_signal_connect_swapped (controller, "leave", G_CALLBACK (st_heatmap_focus_changed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

GtkWidget *
st_heatmap_new (void)
{
  return g_object_new (ST_TYPE_HEATMAP, NULL);
}
