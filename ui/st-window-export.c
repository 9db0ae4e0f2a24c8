/* st-window-export.c: the heat map and the cost as files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * win.export-heatmap and win.export-cost take "png", "svg" or "pdf"
 * (and "csv" for the cost history) and ask where to save.  The drawings
 * are made with cairo at the size the widgets have on screen (at least
 * a readable minimum), on the window's background colour: the heat map
 * with a title and its colour key, the cost plot as shown.  In SVG and
 * PDF the heat map is one embedded image at its pixel size, and the
 * text and the cost curves are vectors.
 */

#define G_LOG_DOMAIN "st-window"

#include "config.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n.h>

#include "st-window-private.h"

#define MIN_MAP_WIDTH 480
#define MIN_MAP_HEIGHT 360
#define MIN_PLOT_WIDTH 640
#define MIN_PLOT_HEIGHT 360
#define TITLE_HEIGHT 40
#define KEY_HEIGHT 44
#define MARGIN 16

static const char *const format_names[] = { "png", "svg", "pdf", "csv" };

static gboolean
parse_format (const char     *name,
              StExportFormat *format)
{
  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (g_str_equal (name, format_names[i]))
      {
        *format = i;
        return TRUE;
      }

  return FALSE;
}

/* A surface of @format at @path, or an image surface for PNG. */
static cairo_surface_t *
create_surface (StExportFormat  format,
                const char     *path,
                int             width,
                int             height)
{
  switch (format)
    {
    case ST_EXPORT_SVG:
      return cairo_svg_surface_create (path, width, height);
    case ST_EXPORT_PDF:
      return cairo_pdf_surface_create (path, width, height);
    case ST_EXPORT_PNG:
    default:
      return cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
    }
}

/* Finishes @surface, writing the PNG for image surfaces. */
static gboolean
finish_surface (cairo_surface_t  *surface,
                StExportFormat    format,
                const char       *path,
                GError          **error)
{
  cairo_status_t status;

  if (format == ST_EXPORT_PNG)
    status = cairo_surface_write_to_png (surface, path);
  else
    {
      cairo_surface_finish (surface);
      status = cairo_surface_status (surface);
    }

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", cairo_status_to_string (status));
      return FALSE;
    }

  return TRUE;
}

static void
fill_background (StWindow *self,
                 cairo_t  *cr)
{
  GdkRGBA background = { 1, 1, 1, 1 };

  gtk_style_context_lookup_color (gtk_widget_get_style_context (GTK_WIDGET (self)), "window_bg_color", &background);
  gdk_cairo_set_source_rgba (cr, &background);
  cairo_paint (cr);
}

static void
set_foreground (StWindow *self,
                cairo_t  *cr)
{
  GdkRGBA foreground = { 0, 0, 0, 1 };

  gtk_style_context_lookup_color (gtk_widget_get_style_context (GTK_WIDGET (self)), "window_fg_color", &foreground);
  gdk_cairo_set_source_rgba (cr, &foreground);
}

static void
draw_text (cairo_t     *cr,
           PangoLayout *layout,
           const char  *text,
           double       x,
           double       y)
{
  pango_layout_set_text (layout, text, -1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static const char *
view_title (StHeatmapView view)
{
  switch (view)
    {
    case ST_HEATMAP_VIEW_GRADIENT:
      return _("Gradient");
    case ST_HEATMAP_VIEW_UPDATE:
      return _("Last update");
    case ST_HEATMAP_VIEW_CHANGE:
      return _("Change since the start");
    case ST_HEATMAP_VIEW_WEIGHTS:
    default:
      return _("Weights");
    }
}

/* The colour key: the scale from -range to range and the hatch swatch. */
static void
draw_key (StWindow    *self,
          cairo_t     *cr,
          PangoLayout *layout,
          double       y)
{
  g_autofree char *map_name = g_settings_get_string (self->settings, "color-map");
  StColorMap color_map = ST_COLOR_MAP_BLUE_RED;
  StPalette palette;
  cairo_surface_t *bar;
  guint32 *pixels;
  double range = st_heatmap_get_range (self->heatmap);
  g_autofree char *low = g_strdup_printf ("−%.3g", range);
  g_autofree char *high = g_strdup_printf ("%.3g", range);
  int text_width, text_height;
  double x = MARGIN;

  st_color_map_from_string (map_name, &color_map);
  st_palette_init (&palette, st_heatmap_get_dark (self->heatmap), color_map);

  bar = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 200, 16);
  cairo_surface_flush (bar);
  pixels = (guint32 *) (gpointer) cairo_image_surface_get_data (bar);
  for (int row = 0; row < 16; row++)
    for (int col = 0; col < 200; col++)
      pixels[row * cairo_image_surface_get_stride (bar) / 4 + col] = st_palette_map (&palette, 2.0 * col / 199 - 1.0, 1.0);
  cairo_surface_mark_dirty (bar);

  set_foreground (self, cr);
  pango_layout_set_text (layout, low, -1);
  pango_layout_get_pixel_size (layout, &text_width, &text_height);
  draw_text (cr, layout, low, x, y + 8 - text_height / 2.0);
  x += text_width + 6;

  cairo_set_source_surface (cr, bar, x, y);
  cairo_paint (cr);
  cairo_surface_destroy (bar);
  x += 206;

  set_foreground (self, cr);
  pango_layout_set_text (layout, high, -1);
  pango_layout_get_pixel_size (layout, &text_width, &text_height);
  draw_text (cr, layout, high, x, y + 8 - text_height / 2.0);
  x += text_width + 24;

  /* The hatch of positions that are not stored. */
  for (int row = 0; row < 16; row++)
    for (int col = 0; col < 16; col++)
      {
        guint32 color = st_palette_structural (&palette, col, row);

        cairo_set_source_rgb (cr, ((color >> 16) & 0xff) / 255.0, ((color >> 8) & 0xff) / 255.0, (color & 0xff) / 255.0);
        cairo_rectangle (cr, x + col, y + row, 1, 1);
        cairo_fill (cr);
      }
  x += 22;
  set_foreground (self, cr);
  draw_text (cr, layout, _("Not stored, always 0"), x, y + 8 - text_height / 2.0);
}

/**
 * st_window_export_heatmap:
 * @self: a window
 * @file: the file to write
 * @format: PNG, SVG or PDF
 *
 * Returns: %FALSE, with an error dialog, when writing fails
 */
gboolean
st_window_export_heatmap (StWindow       *self,
                          GFile          *file,
                          StExportFormat  format)
{
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;
  g_autofree char *step = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  int map_width, map_height, width, height;
  cairo_surface_t *surface, *map;
  cairo_t *cr;
  gboolean ok;

  g_return_val_if_fail (ST_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (format != ST_EXPORT_CSV, FALSE);

  path = g_file_get_path (file);
  name = g_file_get_basename (file);
  if (path == NULL)
    {
      _st_window_show_error (self, _("Could Not Export the Heat Map"), _("Only local files can be saved"));
      return FALSE;
    }

  map_width = MAX (gtk_widget_get_width (GTK_WIDGET (self->heatmap)), MIN_MAP_WIDTH);
  map_height = MAX (gtk_widget_get_height (GTK_WIDGET (self->heatmap)), MIN_MAP_HEIGHT);
  width = map_width + 2 * MARGIN;
  height = map_height + TITLE_HEIGHT + KEY_HEIGHT + 2 * MARGIN;

  surface = create_surface (format, path, width, height);
  cr = cairo_create (surface);
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  fill_background (self, cr);

  /* Translators: the title of an exported heat map: model, layer, view and step. */
  step = g_strdup_printf ("%" G_GUINT64_FORMAT, _st_window_get_step (self));
  title = g_strdup_printf (_("%s · layer %u · %s · step %s"),
                           self->model_name, self->selected_layer + 1,
                           view_title (st_heatmap_get_view (self->heatmap)), step);
  set_foreground (self, cr);
  draw_text (cr, layout, title, MARGIN, MARGIN);

  map = st_heatmap_render_surface (self->heatmap, map_width, map_height);
  cairo_set_source_surface (cr, map, MARGIN, MARGIN + TITLE_HEIGHT);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
  cairo_paint (cr);
  cairo_surface_destroy (map);

  draw_key (self, cr, layout, MARGIN + TITLE_HEIGHT + map_height + 14);
  cairo_destroy (cr);

  ok = finish_surface (surface, format, path, &error);
  cairo_surface_destroy (surface);
  if (!ok)
    {
      /* Translators: %s is a file name. */
      g_autofree char *heading = g_strdup_printf (_("Could Not Export “%s”"), name);

      _st_window_show_error (self, heading, error->message);
      return FALSE;
    }

  /* Translators: %s is a file name. */
  _st_window_show_toast (self, _("Exported the heat map to “%s”"), name);
  return TRUE;
}

/**
 * st_window_export_cost:
 * @self: a window
 * @file: the file to write
 * @format: PNG, SVG or PDF for the plot, CSV for the history
 *
 * Returns: %FALSE, with an error dialog, when writing fails
 */
gboolean
st_window_export_cost (StWindow       *self,
                       GFile          *file,
                       StExportFormat  format)
{
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_return_val_if_fail (ST_IS_WINDOW (self), FALSE);

  path = g_file_get_path (file);
  name = g_file_get_basename (file);
  if (path == NULL)
    {
      _st_window_show_error (self, _("Could Not Export the Cost"), _("Only local files can be saved"));
      return FALSE;
    }

  if (format == ST_EXPORT_CSV)
    {
      ok = st_cost_plot_write_csv (self->cost_plot, path, &error);
    }
  else
    {
      int width = MAX (gtk_widget_get_width (GTK_WIDGET (self->cost_plot)), MIN_PLOT_WIDTH);
      int height = MAX (gtk_widget_get_height (GTK_WIDGET (self->cost_plot)), MIN_PLOT_HEIGHT);
      cairo_surface_t *surface = create_surface (format, path, width, height);
      cairo_t *cr = cairo_create (surface);

      fill_background (self, cr);
      st_cost_plot_draw (self->cost_plot, cr, width, height);
      cairo_destroy (cr);
      ok = finish_surface (surface, format, path, &error);
      cairo_surface_destroy (surface);
    }

  if (!ok)
    {
      /* Translators: %s is a file name. */
      g_autofree char *heading = g_strdup_printf (_("Could Not Export “%s”"), name);

      _st_window_show_error (self, heading, error->message);
      return FALSE;
    }

  /* Translators: %s is a file name. */
  _st_window_show_toast (self, _("Exported the cost to “%s”"), name);
  return TRUE;
}

/* Adds the extension of @format when the chosen name has none. */
static GFile *
file_with_extension (GFile          *file,
                     StExportFormat  format)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *extension = g_strconcat (".", format_names[format], NULL);
  g_autofree char *lower = g_ascii_strdown (name, -1);
  g_autoptr(GFile) parent = NULL;
  g_autofree char *full_name = NULL;

  if (g_str_has_suffix (lower, extension))
    return g_object_ref (file);

  parent = g_file_get_parent (file);
  full_name = g_strconcat (name, extension, NULL);
  return g_file_get_child (parent, full_name);
}

static gboolean
export_heatmap_chosen (StWindow *self,
                       GFile    *file)
{
  StExportFormat format = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (self), "st-export-format"));
  g_autoptr(GFile) target = file_with_extension (file, format);

  return st_window_export_heatmap (self, target, format);
}

static gboolean
export_cost_chosen (StWindow *self,
                    GFile    *file)
{
  StExportFormat format = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (self), "st-export-format"));
  g_autoptr(GFile) target = file_with_extension (file, format);

  return st_window_export_cost (self, target, format);
}

static void
export_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);
  gboolean heatmap = g_str_equal (g_action_get_name (G_ACTION (action)), "export-heatmap");
  StExportFormat format;
  g_autofree char *stem = _st_window_dup_stem (self);
  g_autofree char *suggested = NULL;
  g_autofree char *pattern = NULL;
  g_autofree char *filter = NULL;

  if (!parse_format (g_variant_get_string (parameter, NULL), &format) || (heatmap && format == ST_EXPORT_CSV))
    return;

  g_object_set_data (G_OBJECT (self), "st-export-format", GUINT_TO_POINTER (format));
  pattern = g_strconcat ("*.", format_names[format], NULL);
  filter = g_ascii_strup (format_names[format], -1);
  if (heatmap)
    /* Translators: a suggested file name; %s is the model, %u a layer, the last %s an extension. */
    suggested = g_strdup_printf (_("%s-layer-%u.%s"), stem, self->selected_layer + 1, format_names[format]);
  else
    /* Translators: a suggested file name; %s is the model, the last %s an extension. */
    suggested = g_strdup_printf (_("%s-cost.%s"), stem, format_names[format]);

  _st_window_choose_save_file (self, heatmap ? _("Export Heat Map") : _("Export Cost"), filter, pattern, suggested,
                               heatmap ? export_heatmap_chosen : export_cost_chosen);
}

static const GActionEntry export_entries[] = {
  { "export-heatmap", export_activated, "s" },
  { "export-cost", export_activated, "s" },
};

void
_st_window_add_export_actions (StWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), export_entries, G_N_ELEMENTS (export_entries), self);
}
