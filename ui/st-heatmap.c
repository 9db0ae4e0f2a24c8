/* st-heatmap.c: a heat map of one sparse layer's weights
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The map is one texture of the widget's size in device pixels, built by
 * st-heatmap-raster.c when the data, the size or the style changes, and
 * kept as a render node until then.  Drawing cell by cell would cost
 * seconds for large layers, because GTK 4.8 records every cairo call
 * before replaying it.  Hovering only adds an outline on top of the
 * cached node.
 */

#define G_LOG_DOMAIN "st-heatmap"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "st-heatmap.h"
#include "st-heatmap-raster.h"
#include "st-palette.h"

/* Largest cell, in logical pixels, so that a 2 x 2 layer does not fill
 * a whole screen. */
#define MAX_CELL 160

/* Cells at least this large (logical pixels) show their value as text,
 * when the layer has at most MAX_LABELLED_ENTRIES stored entries. */
#define MIN_CELL_FOR_TEXT 44
#define MAX_LABELLED_ENTRIES 1024

struct _StHeatmap
{
  GtkWidget parent_instance;

  /* Owned copies; the entry arrays are in canonical order. */
  guint *entry_rows;
  guint *entry_cols;
  double *values;
  StHeatmapMatrix matrix;
  double range;

  StPalette palette;

  /* The cached drawing and the geometry it was built with.  The origin
   * is in logical pixels, the axes in device pixels. */
  GskRenderNode *cache;
  StHeatmapAxis x_axis;
  StHeatmapAxis y_axis;
  double origin_x;
  double origin_y;
  int scale;

  /* The hovered cell, or -1. */
  int hover_row;
  int hover_col;
};

G_DEFINE_FINAL_TYPE (StHeatmap, st_heatmap, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_RANGE,
  PROP_DARK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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
  double range = st_heatmap_raster_find_range (self->values, self->matrix.nnz);

  if (range == self->range)
    return;

  self->range = range;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RANGE]);
}

/**
 * st_heatmap_set_pattern:
 * @self: a heat map
 * @rows: rows (outputs) of the layer
 * @cols: columns (inputs) of the layer
 * @nnz: stored entries
 * @entry_rows: row of each stored entry, in canonical order
 * @entry_cols: column of each stored entry
 *
 * Replaces the layer shown.  The arrays are copied.  Values start at 0
 * until st_heatmap_set_values() is called.
 */
void
st_heatmap_set_pattern (StHeatmap   *self,
                        guint        rows,
                        guint        cols,
                        gsize        nnz,
                        const guint *entry_rows,
                        const guint *entry_cols)
{
  g_return_if_fail (ST_IS_HEATMAP (self));

  g_free (self->entry_rows);
  g_free (self->entry_cols);
  g_free (self->values);

  self->entry_rows = g_memdup2 (entry_rows, sizeof (guint) * nnz);
  self->entry_cols = g_memdup2 (entry_cols, sizeof (guint) * nnz);
  self->values = g_new0 (double, MAX (nnz, 1));

  self->matrix = (StHeatmapMatrix) {
    .rows = rows,
    .cols = cols,
    .nnz = nnz,
    .entry_rows = self->entry_rows,
    .entry_cols = self->entry_cols,
    .values = self->values,
  };
  self->hover_row = self->hover_col = -1;

  st_heatmap_update_range (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  st_heatmap_invalidate (self);
}

/* Copies @nnz values in canonical order; @nnz must match the pattern. */
void
st_heatmap_set_values (StHeatmap    *self,
                       const double *values,
                       gsize         nnz)
{
  g_return_if_fail (ST_IS_HEATMAP (self));
  g_return_if_fail (nnz == self->matrix.nnz);

  if (nnz > 0)
    memcpy (self->values, values, sizeof (double) * nnz);

  st_heatmap_update_range (self);
  st_heatmap_invalidate (self);
}

void
st_heatmap_clear (StHeatmap *self)
{
  g_return_if_fail (ST_IS_HEATMAP (self));

  st_heatmap_set_pattern (self, 0, 0, 0, NULL, NULL);
}

/* Returns: the largest stored magnitude; the colour scale is
 * [-range, range]. */
double
st_heatmap_get_range (StHeatmap *self)
{
  g_return_val_if_fail (ST_IS_HEATMAP (self), 0.0);

  return self->range;
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
  st_palette_init (&self->palette, adw_style_manager_get_dark (style_manager));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DARK]);
  st_heatmap_invalidate (self);
}

static char *
format_value (double value)
{
  return g_strdup_printf ("%.3g", value);
}

/* Writes each stored value into its cell; only for small layers with
 * large cells, where the numbers are what a student follows by hand. */
static void
st_heatmap_append_values (StHeatmap   *self,
                          GtkSnapshot *snapshot)
{
  double cell = (double) self->x_axis.cell / self->scale;
  g_autoptr(PangoLayout) layout = NULL;

  if (self->x_axis.cell == 0 || cell < MIN_CELL_FOR_TEXT || self->matrix.nnz > MAX_LABELLED_ENTRIES)
    return;

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);

  for (gsize k = 0; k < self->matrix.nnz; k++)
    {
      guint32 background = st_palette_map (&self->palette, self->values[k], self->range);
      GdkRGBA color = { 0, 0, 0, 0.87 };
      g_autofree char *text = format_value (self->values[k]);
      int width, height;

      if (st_palette_get_luminance (background) < 0.5)
        color = (GdkRGBA) { 1, 1, 1, 1 };

      pango_layout_set_text (layout, text, -1);
      pango_layout_get_pixel_size (layout, &width, &height);
      if (width > cell - 4)
        continue;

      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot,
                              &GRAPHENE_POINT_INIT (self->origin_x + self->matrix.entry_cols[k] * cell + (cell - width) / 2,
                                                    self->origin_y + self->matrix.entry_rows[k] * cell + (cell - height) / 2));
      gtk_snapshot_append_layout (snapshot, layout, &color);
      gtk_snapshot_restore (snapshot);
    }
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
  gsize stride;

  self->scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  st_heatmap_raster_layout (self->matrix.rows, self->matrix.cols,
                            width * self->scale, height * self->scale,
                            MAX_CELL * self->scale,
                            &self->x_axis, &self->y_axis);

  stride = self->x_axis.pixels;
  pixels = g_new (guint32, stride * self->y_axis.pixels);
  st_heatmap_raster_fill (&self->matrix, &self->x_axis, &self->y_axis, self->range,
                          &self->palette, pixels, stride);

  bytes = g_bytes_new_take (pixels, sizeof (guint32) * stride * self->y_axis.pixels);
  texture = gdk_memory_texture_new (self->x_axis.pixels, self->y_axis.pixels,
                                    GDK_MEMORY_DEFAULT, bytes, stride * sizeof (guint32));

  /* Whole logical pixels, so the texture lands 1:1 on device pixels. */
  self->origin_x = floor ((width - (double) self->x_axis.pixels / self->scale) / 2);
  self->origin_y = floor ((height - (double) self->y_axis.pixels / self->scale) / 2);

  gtk_snapshot_append_texture (snapshot, texture,
                               &GRAPHENE_RECT_INIT (self->origin_x, self->origin_y,
                                                    (double) self->x_axis.pixels / self->scale,
                                                    (double) self->y_axis.pixels / self->scale));
  st_heatmap_append_values (self, snapshot);

  return gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

static void
st_heatmap_append_hover (StHeatmap   *self,
                         GtkSnapshot *snapshot)
{
  GskRoundedRect outline;
  double cell;
  GdkRGBA color = { 0, 0, 0, 1 };

  if (self->hover_row < 0 || self->x_axis.cell == 0)
    return;

  if (self->palette.dark)
    color = (GdkRGBA) { 1, 1, 1, 1 };

  cell = (double) self->x_axis.cell / self->scale;
  gsk_rounded_rect_init_from_rect (&outline,
                                   &GRAPHENE_RECT_INIT (self->origin_x + self->hover_col * cell - 1,
                                                        self->origin_y + self->hover_row * cell - 1,
                                                        cell + 1, cell + 1),
                                   0);
  gtk_snapshot_append_border (snapshot, &outline,
                              (float[4]) { 2, 2, 2, 2 },
                              (GdkRGBA[4]) { color, color, color, color });
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
  st_heatmap_append_hover (self, snapshot);
}

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
  st_heatmap_invalidate (ST_HEATMAP (widget));
}

/* The cell under a point in widget coordinates, as index ranges.
 * Returns: %FALSE outside the map or in a gap. */
static gboolean
st_heatmap_pick (StHeatmap *self,
                 double     x,
                 double     y,
                 guint     *first_row,
                 guint     *last_row,
                 guint     *first_col,
                 guint     *last_col)
{
  double px = (x - self->origin_x) * self->scale;
  double py = (y - self->origin_y) * self->scale;

  if (self->cache == NULL || px < 0 || py < 0)
    return FALSE;

  return st_heatmap_axis_get_indices (&self->x_axis, (guint) px, first_col, last_col) &&
         st_heatmap_axis_get_indices (&self->y_axis, (guint) py, first_row, last_row);
}

static void
st_heatmap_set_hover (StHeatmap *self,
                      int        row,
                      int        col)
{
  if (row == self->hover_row && col == self->hover_col)
    return;

  self->hover_row = row;
  self->hover_col = col;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
st_heatmap_motion (StHeatmap                *self,
                   double                    x,
                   double                    y,
                   GtkEventControllerMotion *controller)
{
  guint first_row, last_row, first_col, last_col;

  if (self->x_axis.cell > 0 &&
      st_heatmap_pick (self, x, y, &first_row, &last_row, &first_col, &last_col))
    st_heatmap_set_hover (self, first_row, first_col);
  else
    st_heatmap_set_hover (self, -1, -1);
}

static void
st_heatmap_leave (StHeatmap                *self,
                  GtkEventControllerMotion *controller)
{
  st_heatmap_set_hover (self, -1, -1);
}

/* The stored entry of largest magnitude in a block of cells.  Entries
 * are in canonical order, so each row of the block is found by binary
 * search and then walked.  Returns: %FALSE when the block has none. */
static gboolean
st_heatmap_find_block_extreme (StHeatmap *self,
                               guint      first_row,
                               guint      last_row,
                               guint      first_col,
                               guint      last_col,
                               double    *value)
{
  gboolean found = FALSE;

  for (guint row = first_row; row <= last_row; row++)
    {
      gsize lo = 0, hi = self->matrix.nnz;

      while (lo < hi)
        {
          gsize mid = lo + (hi - lo) / 2;

          if (self->entry_rows[mid] < row ||
              (self->entry_rows[mid] == row && self->entry_cols[mid] < first_col))
            lo = mid + 1;
          else
            hi = mid;
        }

      for (gsize k = lo; k < self->matrix.nnz && self->entry_rows[k] == row && self->entry_cols[k] <= last_col; k++)
        if (!found || fabs (self->values[k]) > fabs (*value))
          {
            *value = self->values[k];
            found = TRUE;
          }
    }

  return found;
}

static char *
st_heatmap_describe_cell (StHeatmap *self,
                          guint      row,
                          guint      col)
{
  gsize position;

  if (st_heatmap_matrix_find_entry (&self->matrix, row, col, &position))
    {
      g_autofree char *value = g_strdup_printf ("%.6g", self->values[position]);

      /* Translators: a stored weight under the pointer; rows and columns count from 1. */
      return g_strdup_printf (_("Row %u, column %u: %s"), row + 1, col + 1, value);
    }

  /* Translators: a structural zero, a weight that is not stored and stays 0. */
  return g_strdup_printf (_("Row %u, column %u: not stored, always 0"), row + 1, col + 1);
}

static char *
st_heatmap_describe_block (StHeatmap *self,
                           guint      first_row,
                           guint      last_row,
                           guint      first_col,
                           guint      last_col)
{
  double value = 0.0;

  if (st_heatmap_find_block_extreme (self, first_row, last_row, first_col, last_col, &value))
    {
      g_autofree char *text = g_strdup_printf ("%.6g", value);

      /* Translators: one screen pixel covers several cells; the weight of largest magnitude is shown. */
      return g_strdup_printf (_("Rows %u–%u, columns %u–%u: largest weight %s"),
                              first_row + 1, last_row + 1, first_col + 1, last_col + 1, text);
    }

  /* Translators: one screen pixel covers several cells, none of them stored. */
  return g_strdup_printf (_("Rows %u–%u, columns %u–%u: nothing stored"),
                          first_row + 1, last_row + 1, first_col + 1, last_col + 1);
}

static gboolean
st_heatmap_query_tooltip (GtkWidget  *widget,
                          int         x,
                          int         y,
                          gboolean    keyboard_mode,
                          GtkTooltip *tooltip)
{
  StHeatmap *self = ST_HEATMAP (widget);
  guint first_row, last_row, first_col, last_col;
  g_autofree char *text = NULL;

  if (keyboard_mode || !st_heatmap_pick (self, x, y, &first_row, &last_row, &first_col, &last_col))
    return FALSE;

  if (first_row == last_row && first_col == last_col)
    text = st_heatmap_describe_cell (self, first_row, first_col);
  else
    text = st_heatmap_describe_block (self, first_row, last_row, first_col, last_col);

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
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

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
st_heatmap_finalize (GObject *object)
{
  StHeatmap *self = ST_HEATMAP (object);

  g_clear_pointer (&self->cache, gsk_render_node_unref);
  g_free (self->entry_rows);
  g_free (self->entry_cols);
  g_free (self->values);

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
  widget_class->query_tooltip = st_heatmap_query_tooltip;

  properties[PROP_RANGE] =
    g_param_spec_double ("range", NULL, NULL,
                         0.0, G_MAXDOUBLE, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_DARK] =
    g_param_spec_boolean ("dark", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "heatmap");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
st_heatmap_init (StHeatmap *self)
{
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  GtkEventController *motion;

  self->hover_row = self->hover_col = -1;
  self->scale = 1;
  st_palette_init (&self->palette, adw_style_manager_get_dark (style_manager));
  g_signal_connect_object (style_manager, "notify::dark",
                           G_CALLBACK (st_heatmap_dark_changed), self, G_CONNECT_SWAPPED);

  motion = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (motion, "motion", G_CALLBACK (st_heatmap_motion), self);
  g_signal_connect_swapped (motion, "leave", G_CALLBACK (st_heatmap_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}

GtkWidget *
st_heatmap_new (void)
{
  return g_object_new (ST_TYPE_HEATMAP, NULL);
}
