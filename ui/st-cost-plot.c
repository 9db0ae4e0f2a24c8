/* st-cost-plot.c: the cost of each training step as a curve
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The x axis counts steps from 0, the y axis is the batch cost, linear
 * from 0 or logarithmic by decades.  The drawing is cached as one render
 * node and rebuilt at most once per frame, when new costs arrived or the
 * size or style changed.  The curve has at most two points per pixel
 * column (the min and max of the steps in it), whatever the number of
 * steps.
 */

#define G_LOG_DOMAIN "st-cost-plot"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "st-cost-plot.h"
#include "st-cost-series.h"

/* Buckets kept by the series: a few screen widths. */
#define MAX_BUCKETS 8192

/* Space around the plot area, in logical pixels, for the axis labels. */
#define MARGIN_LEFT 56
#define MARGIN_RIGHT 16
#define MARGIN_TOP 12
#define MARGIN_BOTTOM 28

struct _StCostPlot
{
  GtkWidget parent_instance;

  StCostSeries *series;
  GskRenderNode *cache;

  /* Colours read in css_changed(). */
  GdkRGBA foreground;
  GdkRGBA accent;

  guint log_scale : 1;
};

G_DEFINE_FINAL_TYPE (StCostPlot, st_cost_plot, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LOG_SCALE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The visible value range, in axis units (log10 of the cost on a log
 * axis). */
typedef struct
{
  double lo;
  double hi;
  gboolean log;
} YRange;

static void
st_cost_plot_invalidate (StCostPlot *self)
{
  g_clear_pointer (&self->cache, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static double
nice_step (double span,
           int    max_ticks)
{
  double raw = span / MAX (max_ticks, 1);
  double magnitude = pow (10.0, floor (log10 (raw)));
  double normalized = raw / magnitude;

  if (normalized <= 1.0)
    return magnitude;
  if (normalized <= 2.0)
    return 2.0 * magnitude;
  if (normalized <= 5.0)
    return 5.0 * magnitude;
  return 10.0 * magnitude;
}

static YRange
st_cost_plot_get_y_range (StCostPlot *self)
{
  double min, max, min_positive;
  YRange range = { 0.0, 1.0, self->log_scale };

  if (!st_cost_series_get_range (self->series, &min, &max))
    {
      if (range.log)
        range.lo = -1.0, range.hi = 0.0;
      return range;
    }

  if (range.log)
    {
      if (!st_cost_series_get_min_positive (self->series, &min_positive))
        {
          range.lo = -1.0, range.hi = 0.0;
          return range;
        }

      range.lo = floor (log10 (min_positive));
      range.hi = ceil (log10 (MAX (max, min_positive)));
      if (range.hi <= range.lo)
        range.hi = range.lo + 1.0;
      return range;
    }

  /* A linear axis starts at 0, because costs are never negative. */
  range.lo = MIN (0.0, min);
  if (max > range.lo)
    {
      double step = nice_step (max - range.lo, 4);

      range.hi = range.lo + step * ceil ((max - range.lo) / step);
    }
  return range;
}

static double
to_axis (const YRange *range,
         double        cost)
{
  if (!range->log)
    return cost;

  /* A cost of exactly 0 sits on the bottom of a log axis. */
  return cost > 0.0 ? MAX (log10 (cost), range->lo) : range->lo;
}

/* Writes 10 to the power @exponent with superscript digits. */
static char *
format_power_of_ten (int exponent)
{
  static const char *const superscripts[] = { "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹" };
  GString *text = g_string_new ("10");
  char digits[16];

  if (exponent < 0)
    g_string_append (text, "⁻");
  g_snprintf (digits, sizeof digits, "%d", ABS (exponent));
  for (const char *d = digits; *d != '\0'; d++)
    g_string_append (text, superscripts[*d - '0']);

  return g_string_free (text, FALSE);
}

static void
draw_text (cairo_t     *cr,
           PangoLayout *layout,
           const char  *text,
           double       x,
           double       y,
           double       x_align,
           double       y_align)
{
  int width, height;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &width, &height);
  cairo_move_to (cr, round (x - x_align * width), round (y - y_align * height));
  pango_cairo_show_layout (cr, layout);
}

static void
st_cost_plot_draw_y_axis (StCostPlot   *self,
                          cairo_t      *cr,
                          PangoLayout  *layout,
                          const YRange *range,
                          double        plot_width,
                          double        plot_height)
{
  double step = range->log ? MAX (1.0, nice_step (range->hi - range->lo, 5)) : nice_step (range->hi - range->lo, 4);

  for (double tick = ceil (range->lo / step) * step; tick <= range->hi + step * 1e-9; tick += step)
    {
      double y = round (MARGIN_TOP + plot_height * (1.0 - (tick - range->lo) / (range->hi - range->lo))) + 0.5;
      g_autofree char *label = NULL;

      cairo_set_source_rgba (cr, self->foreground.red, self->foreground.green, self->foreground.blue, 0.12);
      cairo_move_to (cr, MARGIN_LEFT, y);
      cairo_line_to (cr, MARGIN_LEFT + plot_width, y);
      cairo_stroke (cr);

      if (range->log)
        label = format_power_of_ten ((int) lround (tick));
      else
        label = g_strdup_printf ("%g", fabs (tick) < step * 1e-9 ? 0.0 : tick);

      cairo_set_source_rgba (cr, self->foreground.red, self->foreground.green, self->foreground.blue, 0.7);
      draw_text (cr, layout, label, MARGIN_LEFT - 6, y, 1.0, 0.5);
    }
}

static void
st_cost_plot_draw_x_axis (StCostPlot  *self,
                          cairo_t     *cr,
                          PangoLayout *layout,
                          double       n_steps,
                          double       plot_width,
                          double       plot_height)
{
  double step = MAX (1.0, nice_step (n_steps, MAX (2, (int) (plot_width / 90))));

  cairo_set_source_rgba (cr, self->foreground.red, self->foreground.green, self->foreground.blue, 0.7);
  for (double tick = 0; tick <= n_steps + step * 1e-9; tick += step)
    {
      g_autofree char *label = g_strdup_printf ("%.0f", tick);

      draw_text (cr, layout, label, MARGIN_LEFT + plot_width * tick / n_steps,
                 MARGIN_TOP + plot_height + 6, 0.5, 0.0);
    }
}

/* Draws the series as one path: through every bucket when they fit,
 * otherwise down and up through the min and max of each pixel column. */
static void
st_cost_plot_draw_curve (StCostPlot   *self,
                         cairo_t      *cr,
                         const YRange *range,
                         double        n_steps,
                         double        plot_width,
                         double        plot_height)
{
  const StCostBucket *buckets = st_cost_series_get_buckets (self->series);
  guint n_buckets = st_cost_series_get_n_buckets (self->series);
  double stride = st_cost_series_get_stride (self->series);
  guint columns = MAX (1, (guint) plot_width);
  double span = range->hi - range->lo;

#define Y_OF(cost) (MARGIN_TOP + plot_height * (1.0 - (to_axis (range, (cost)) - range->lo) / span))

  cairo_save (cr);
  cairo_rectangle (cr, MARGIN_LEFT, MARGIN_TOP - 2, plot_width, plot_height + 4);
  cairo_clip (cr);

  if (n_buckets <= columns)
    {
      for (guint i = 0; i < n_buckets; i++)
        {
          /* Bucket i ends at step (i + 1) * stride; the last may be partial. */
          double last_step = MIN ((i + 1) * stride, n_steps);
          double x = MARGIN_LEFT + plot_width * last_step / n_steps;

          if (i == 0)
            cairo_move_to (cr, x, Y_OF (buckets[i].max));
          else
            cairo_line_to (cr, x, Y_OF (buckets[i].max));
          if (buckets[i].min != buckets[i].max)
            cairo_line_to (cr, x, Y_OF (buckets[i].min));
        }
    }
  else
    {
      for (guint column = 0; column < columns; column++)
        {
          guint first = (guint) ((guint64) column * n_buckets / columns);
          guint end = (guint) ((guint64) (column + 1) * n_buckets / columns);
          double lo = buckets[first].min, hi = buckets[first].max;
          double x = MARGIN_LEFT + column + 0.5;

          for (guint i = first + 1; i < end; i++)
            {
              lo = MIN (lo, buckets[i].min);
              hi = MAX (hi, buckets[i].max);
            }

          if (column == 0)
            cairo_move_to (cr, x, Y_OF (hi));
          else
            cairo_line_to (cr, x, Y_OF (hi));
          cairo_line_to (cr, x, Y_OF (lo));
        }
    }

#undef Y_OF

  cairo_set_line_width (cr, 2.0);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  gdk_cairo_set_source_rgba (cr, &self->accent);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
st_cost_plot_draw_empty (StCostPlot  *self,
                         cairo_t     *cr,
                         PangoLayout *layout,
                         double       width,
                         double       height)
{
  cairo_set_source_rgba (cr, self->foreground.red, self->foreground.green, self->foreground.blue, 0.55);
  draw_text (cr, layout, _("The cost of each training step appears here"), width / 2, height / 2, 0.5, 0.5);
}

static GskRenderNode *
st_cost_plot_build_node (StCostPlot *self,
                         int         width,
                         int         height)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  double plot_width = MAX (1, width - MARGIN_LEFT - MARGIN_RIGHT);
  double plot_height = MAX (1, height - MARGIN_TOP - MARGIN_BOTTOM);
  double n_steps = st_cost_series_get_n_values (self->series);
  YRange range = st_cost_plot_get_y_range (self);
  cairo_t *cr;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_width (cr, 1.0);

  if (n_steps == 0)
    {
      st_cost_plot_draw_empty (self, cr, layout, width, height);
    }
  else
    {
      st_cost_plot_draw_y_axis (self, cr, layout, &range, plot_width, plot_height);
      st_cost_plot_draw_x_axis (self, cr, layout, n_steps, plot_width, plot_height);
      st_cost_plot_draw_curve (self, cr, &range, n_steps, plot_width, plot_height);
    }

  cairo_destroy (cr);

  return gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

static void
st_cost_plot_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  StCostPlot *self = ST_COST_PLOT (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (width <= 0 || height <= 0)
    return;

  if (self->cache == NULL)
    self->cache = st_cost_plot_build_node (self, width, height);

  gtk_snapshot_append_node (snapshot, self->cache);
}

static void
st_cost_plot_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 480;
    }
  else
    {
      *minimum = 120;
      *natural = 200;
    }
}

static void
st_cost_plot_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  st_cost_plot_invalidate (ST_COST_PLOT (widget));
}

static void
st_cost_plot_css_changed (GtkWidget         *widget,
                          GtkCssStyleChange *change)
{
  StCostPlot *self = ST_COST_PLOT (widget);
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  GTK_WIDGET_CLASS (st_cost_plot_parent_class)->css_changed (widget, change);

  gtk_style_context_get_color (context, &self->foreground);
  if (!gtk_style_context_lookup_color (context, "accent_color", &self->accent))
    self->accent = (GdkRGBA) { 0.21, 0.52, 0.89, 1.0 };

  st_cost_plot_invalidate (self);
}

/* Appends the batch costs of the next @n_costs steps. */
void
st_cost_plot_append (StCostPlot   *self,
                     const double *costs,
                     gsize         n_costs)
{
  g_return_if_fail (ST_IS_COST_PLOT (self));

  if (n_costs == 0)
    return;

  for (gsize i = 0; i < n_costs; i++)
    st_cost_series_append (self->series, costs[i]);

  st_cost_plot_invalidate (self);
}

void
st_cost_plot_clear (StCostPlot *self)
{
  g_return_if_fail (ST_IS_COST_PLOT (self));

  st_cost_series_clear (self->series);
  st_cost_plot_invalidate (self);
}

guint64
st_cost_plot_get_n_steps (StCostPlot *self)
{
  g_return_val_if_fail (ST_IS_COST_PLOT (self), 0);

  return st_cost_series_get_n_values (self->series);
}

gboolean
st_cost_plot_get_log_scale (StCostPlot *self)
{
  g_return_val_if_fail (ST_IS_COST_PLOT (self), FALSE);

  return self->log_scale;
}

void
st_cost_plot_set_log_scale (StCostPlot *self,
                            gboolean    log_scale)
{
  g_return_if_fail (ST_IS_COST_PLOT (self));

  log_scale = !!log_scale;
  if (self->log_scale == log_scale)
    return;

  self->log_scale = log_scale;
  st_cost_plot_invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOG_SCALE]);
}

static void
st_cost_plot_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  StCostPlot *self = ST_COST_PLOT (object);

  switch (prop_id)
    {
    case PROP_LOG_SCALE:
      g_value_set_boolean (value, st_cost_plot_get_log_scale (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
st_cost_plot_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  StCostPlot *self = ST_COST_PLOT (object);

  switch (prop_id)
    {
    case PROP_LOG_SCALE:
      st_cost_plot_set_log_scale (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
st_cost_plot_finalize (GObject *object)
{
  StCostPlot *self = ST_COST_PLOT (object);

  g_clear_pointer (&self->cache, gsk_render_node_unref);
  g_clear_pointer (&self->series, st_cost_series_free);

  G_OBJECT_CLASS (st_cost_plot_parent_class)->finalize (object);
}

static void
st_cost_plot_class_init (StCostPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = st_cost_plot_finalize;
  object_class->get_property = st_cost_plot_get_property;
  object_class->set_property = st_cost_plot_set_property;

  widget_class->snapshot = st_cost_plot_snapshot;
  widget_class->measure = st_cost_plot_measure;
  widget_class->size_allocate = st_cost_plot_size_allocate;
  widget_class->css_changed = st_cost_plot_css_changed;

  properties[PROP_LOG_SCALE] =
    g_param_spec_boolean ("log-scale", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "costplot");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
st_cost_plot_init (StCostPlot *self)
{
  self->series = st_cost_series_new (MAX_BUCKETS);
  self->foreground = (GdkRGBA) { 0, 0, 0, 1 };
  self->accent = (GdkRGBA) { 0.21, 0.52, 0.89, 1.0 };
}

GtkWidget *
st_cost_plot_new (void)
{
  return g_object_new (ST_TYPE_COST_PLOT, NULL);
}
