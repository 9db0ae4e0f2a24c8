/* st-cost-plot.c: the cost of training as curves over the steps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The x axis counts steps from 0.  The y axis is the cost, linear from 0
 * or logarithmic by decades, fitted to everything shown.  Curves:
 *
 *  - the batch cost of every step (one or more series; the layout
 *    comparison overlays three), at most two points per pixel column
 *    (the min and max of the steps in it), whatever the number of steps;
 *  - the training and test cost after each epoch, as lines with dots;
 *  - the test accuracy after each epoch, on its own axis on the right,
 *    for classification.
 *
 * The drawing is cached as one render node and rebuilt at most once per
 * frame, when data arrived or the size or style changed.  The pointer
 * line and the history marker are drawn on top of the cache.  The same
 * drawing code renders to any cairo surface for export.
 */

#define G_LOG_DOMAIN "st-cost-plot"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "st-cost-plot.h"
#include "st-cost-series.h"

/* Buckets kept by each series: a few screen widths. */
#define MAX_BUCKETS 8192

/* Epoch records drawn; more are thinned out. */
#define MAX_RECORDS 16384

/* Space around the plot area, in logical pixels, for the axis labels
 * and the key. */
#define MARGIN_LEFT 60
#define MARGIN_RIGHT 16
#define MARGIN_RIGHT_ACCURACY 52
#define MARGIN_TOP 30
#define MARGIN_BOTTOM 28

typedef struct
{
  StCostSeries *values;
  char *label;
} Series;

/* Colours of the curves, light and dark style; the batch series take
 * the first colours in turn, the epoch curves the last three. */
static const guint32 light_colors[] = { 0x1c71d8, 0xe66100, 0x26a269, 0xc01c28, 0x9141ac, 0x1a7f37 };
static const guint32 dark_colors[] = { 0x62a0ea, 0xffa348, 0x8ff0a4, 0xf66151, 0xdc8add, 0x57e389 };

#define TRAIN_COLOR 3
#define TEST_COLOR 4
#define ACCURACY_COLOR 5

struct _StCostPlot
{
  GtkWidget parent_instance;

  GPtrArray *series;       /* Series, the first is the batch cost */
  GArray *records;         /* StHistoryRecord */
  GskRenderNode *cache;

  /* Colours read in css_changed(). */
  GdkRGBA foreground;
  gboolean dark;

  gint64 marker;           /* history step shown, or -1 */
  gint64 pointer;          /* step under the pointer, or -1 */
  char *readout;

  guint log_scale : 1;
  guint presentation : 1;
};

G_DEFINE_FINAL_TYPE (StCostPlot, st_cost_plot, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LOG_SCALE,
  PROP_READOUT,
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

/* Where the plot area is, for one drawing size. */
typedef struct
{
  double left;
  double top;
  double width;
  double height;
  double n_steps;
  gboolean accuracy;
  YRange range;
} Frame;

static void
series_free (gpointer data)
{
  Series *series = data;

  st_cost_series_free (series->values);
  g_free (series->label);
  g_free (series);
}

static void
st_cost_plot_invalidate (StCostPlot *self)
{
  g_clear_pointer (&self->cache, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_color (StCostPlot *self,
           cairo_t    *cr,
           guint       index,
           double      alpha)
{
  guint32 rgb = (self->dark ? dark_colors : light_colors)[index % G_N_ELEMENTS (light_colors)];

  cairo_set_source_rgba (cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                         (rgb & 0xff) / 255.0, alpha);
}

static void
set_foreground (StCostPlot *self,
                cairo_t    *cr,
                double      alpha)
{
  cairo_set_source_rgba (cr, self->foreground.red, self->foreground.green, self->foreground.blue, alpha);
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

static Series *
get_series (StCostPlot *self,
            guint       index)
{
  return g_ptr_array_index (self->series, index);
}

static gboolean
has_accuracy (StCostPlot *self)
{
  for (guint i = 0; i < self->records->len; i++)
    if (!isnan (g_array_index (self->records, StHistoryRecord, i).test_accuracy))
      return TRUE;

  return FALSE;
}

static void
include_cost (double  cost,
              double *min,
              double *max,
              double *min_positive)
{
  if (!isfinite (cost))
    return;

  *min = MIN (*min, cost);
  *max = MAX (*max, cost);
  if (cost > 0.0)
    *min_positive = MIN (*min_positive, cost);
}

static YRange
st_cost_plot_get_y_range (StCostPlot *self)
{
  double min = INFINITY, max = -INFINITY, min_positive = INFINITY;
  YRange range = { 0.0, 1.0, self->log_scale };

  for (guint s = 0; s < self->series->len; s++)
    {
      StCostSeries *values = get_series (self, s)->values;
      double lo, hi, positive;

      if (st_cost_series_get_range (values, &lo, &hi))
        {
          include_cost (lo, &min, &max, &min_positive);
          include_cost (hi, &min, &max, &min_positive);
        }
      if (st_cost_series_get_min_positive (values, &positive))
        min_positive = MIN (min_positive, positive);
    }

  for (guint i = 0; i < self->records->len; i++)
    {
      const StHistoryRecord *record = &g_array_index (self->records, StHistoryRecord, i);

      include_cost (record->train_cost, &min, &max, &min_positive);
      include_cost (record->test_cost, &min, &max, &min_positive);
    }

  if (!isfinite (max))
    {
      if (range.log)
        range.lo = -1.0, range.hi = 0.0;
      return range;
    }

  if (range.log)
    {
      if (!isfinite (min_positive))
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

      /* Rounding a cost near DBL_MAX up to the next tick overflows;
       * the axis then ends at the largest cost. */
      if (!isfinite (range.hi))
        range.hi = max;
    }
  return range;
}

static double
st_cost_plot_get_n_steps_shown (StCostPlot *self)
{
  guint64 n = 0;

  for (guint s = 0; s < self->series->len; s++)
    n = MAX (n, st_cost_series_get_n_values (get_series (self, s)->values));
  if (self->records->len > 0)
    n = MAX (n, g_array_index (self->records, StHistoryRecord, self->records->len - 1).step);

  return (double) n;
}

static Frame
st_cost_plot_get_frame (StCostPlot *self,
                        int         width,
                        int         height)
{
  Frame frame;
  double scale = self->presentation ? 1.5 : 1.0;

  frame.accuracy = has_accuracy (self);
  frame.left = MARGIN_LEFT * scale;
  frame.top = MARGIN_TOP * scale;
  frame.width = MAX (1, width - frame.left - (frame.accuracy ? MARGIN_RIGHT_ACCURACY : MARGIN_RIGHT) * scale);
  frame.height = MAX (1, height - frame.top - MARGIN_BOTTOM * scale);
  frame.n_steps = st_cost_plot_get_n_steps_shown (self);
  frame.range = st_cost_plot_get_y_range (self);

  return frame;
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

static double
frame_y (const Frame *frame,
         double       cost)
{
  double span = frame->range.hi - frame->range.lo;

  return frame->top + frame->height * (1.0 - (to_axis (&frame->range, cost) - frame->range.lo) / span);
}

static double
frame_x (const Frame *frame,
         double       step)
{
  return frame->left + frame->width * step / MAX (frame->n_steps, 1.0);
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
st_cost_plot_draw_y_axis (StCostPlot  *self,
                          cairo_t     *cr,
                          PangoLayout *layout,
                          const Frame *frame)
{
  const YRange *range = &frame->range;
  double step = range->log ? MAX (1.0, nice_step (range->hi - range->lo, 5)) : nice_step (range->hi - range->lo, 4);

  cairo_set_line_width (cr, 1.0);
  for (double tick = ceil (range->lo / step) * step; tick <= range->hi + step * 1e-9; tick += step)
    {
      double y = round (frame->top + frame->height * (1.0 - (tick - range->lo) / (range->hi - range->lo))) + 0.5;
      g_autofree char *label = NULL;

      set_foreground (self, cr, 0.12);
      cairo_move_to (cr, frame->left, y);
      cairo_line_to (cr, frame->left + frame->width, y);
      cairo_stroke (cr);

      if (range->log)
        label = format_power_of_ten ((int) lround (tick));
      else
        label = g_strdup_printf ("%g", fabs (tick) < step * 1e-9 ? 0.0 : tick);

      set_foreground (self, cr, 0.7);
      draw_text (cr, layout, label, frame->left - 6, y, 1.0, 0.5);
    }
}

static void
st_cost_plot_draw_x_axis (StCostPlot  *self,
                          cairo_t     *cr,
                          PangoLayout *layout,
                          const Frame *frame)
{
  double n_steps = MAX (frame->n_steps, 1.0);
  double step = MAX (1.0, nice_step (n_steps, MAX (2, (int) (frame->width / 90))));

  set_foreground (self, cr, 0.7);
  for (double tick = 0; tick <= n_steps + step * 1e-9; tick += step)
    {
      g_autofree char *label = g_strdup_printf ("%.0f", tick);

      draw_text (cr, layout, label, frame_x (frame, tick), frame->top + frame->height + 6, 0.5, 0.0);
    }
}

static void
st_cost_plot_draw_accuracy_axis (StCostPlot  *self,
                                 cairo_t     *cr,
                                 PangoLayout *layout,
                                 const Frame *frame)
{
  for (guint percent = 0; percent <= 100; percent += 50)
    {
      g_autofree char *label = g_strdup_printf ("%u %%", percent);
      double y = frame->top + frame->height * (1.0 - percent / 100.0);

      set_color (self, cr, ACCURACY_COLOR, 0.9);
      draw_text (cr, layout, label, frame->left + frame->width + 6, y, 0.0, 0.5);
    }
}

/* Draws a batch series as one path: through every bucket when they fit,
 * otherwise down and up through the min and max of each pixel column. */
static void
st_cost_plot_draw_series (StCostPlot  *self,
                          cairo_t     *cr,
                          const Frame *frame,
                          guint        index)
{
  StCostSeries *values = get_series (self, index)->values;
  const StCostBucket *buckets = st_cost_series_get_buckets (values);
  guint n_buckets = st_cost_series_get_n_buckets (values);
  double stride = st_cost_series_get_stride (values);
  double n_values = st_cost_series_get_n_values (values);
  guint columns = MAX (1, (guint) (frame->width * n_values / MAX (frame->n_steps, 1.0)));
  double line = self->presentation ? 4.0 : 2.0;
  static const double dashes[] = { 8.0, 5.0 };
  static const double dots[] = { 2.0, 4.0 };

  if (n_buckets == 0)
    return;

  /* A single step is a dot: a path through one point draws nothing. */
  if (n_buckets == 1)
    {
      set_color (self, cr, index, 1.0);
      cairo_arc (cr, frame_x (frame, n_values), frame_y (frame, buckets[0].max), line * 1.5, 0, 2 * G_PI);
      cairo_fill (cr);
      return;
    }

  if (n_buckets <= columns)
    {
      for (guint i = 0; i < n_buckets; i++)
        {
          /* Bucket i ends at step (i + 1) * stride; the last may be partial. */
          double x = frame_x (frame, MIN ((i + 1) * stride, n_values));

          if (i == 0)
            cairo_move_to (cr, x, frame_y (frame, buckets[i].max));
          else
            cairo_line_to (cr, x, frame_y (frame, buckets[i].max));
          if (buckets[i].min != buckets[i].max)
            cairo_line_to (cr, x, frame_y (frame, buckets[i].min));
        }
    }
  else
    {
      for (guint column = 0; column < columns; column++)
        {
          guint first = (guint) ((guint64) column * n_buckets / columns);
          guint end = MAX (first + 1, (guint) ((guint64) (column + 1) * n_buckets / columns));
          double lo = buckets[first].min, hi = buckets[first].max;
          double x = frame->left + column + 0.5;

          for (guint i = first + 1; i < end && i < n_buckets; i++)
            {
              lo = MIN (lo, buckets[i].min);
              hi = MAX (hi, buckets[i].max);
            }

          if (column == 0)
            cairo_move_to (cr, x, frame_y (frame, hi));
          else
            cairo_line_to (cr, x, frame_y (frame, hi));
          cairo_line_to (cr, x, frame_y (frame, lo));
        }
    }

  /* Overlaid series get thinner lines and dashes, so curves that
   * coincide stay visible on top of each other. */
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_width (cr, line * (index == 0 ? 1.0 : index == 1 ? 0.75 : 0.5) * (self->series->len > 1 ? 1.5 : 1.0));
  if (index == 1)
    cairo_set_dash (cr, dashes, 2, 0);
  else if (index >= 2)
    cairo_set_dash (cr, dots, 2, 0);
  set_color (self, cr, index, 1.0);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

/* Draws one per-epoch curve: @which is 0 for the training cost, 1 for
 * the test cost and 2 for the accuracy. */
static void
st_cost_plot_draw_records (StCostPlot  *self,
                           cairo_t     *cr,
                           const Frame *frame,
                           guint        which)
{
  double line = self->presentation ? 3.0 : 1.5;
  double radius = self->presentation ? 4.0 : 2.5;
  gboolean started = FALSE;
  guint color = which == 0 ? TRAIN_COLOR : which == 1 ? TEST_COLOR : ACCURACY_COLOR;
  guint drawn = 0;

  for (guint i = 0; i < self->records->len; i++)
    {
      const StHistoryRecord *record = &g_array_index (self->records, StHistoryRecord, i);
      double value = which == 0 ? record->train_cost : which == 1 ? record->test_cost : record->test_accuracy;
      double x, y;

      if (!isfinite (value))
        continue;

      x = frame_x (frame, record->step);
      y = which == 2 ? frame->top + frame->height * (1.0 - value) : frame_y (frame, value);
      if (!started)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
      started = TRUE;
      drawn++;
    }

  if (!started)
    return;

  set_color (self, cr, color, 1.0);
  cairo_set_line_width (cr, line);
  cairo_stroke (cr);

  /* Dots while they do not merge into a line. */
  if (drawn <= frame->width / 6)
    for (guint i = 0; i < self->records->len; i++)
      {
        const StHistoryRecord *record = &g_array_index (self->records, StHistoryRecord, i);
        double value = which == 0 ? record->train_cost : which == 1 ? record->test_cost : record->test_accuracy;

        if (!isfinite (value))
          continue;

        cairo_arc (cr, frame_x (frame, record->step),
                   which == 2 ? frame->top + frame->height * (1.0 - value) : frame_y (frame, value),
                   radius, 0, 2 * G_PI);
        cairo_fill (cr);
      }
}

static gboolean
has_record_value (StCostPlot *self,
                  guint       which)
{
  for (guint i = 0; i < self->records->len; i++)
    {
      const StHistoryRecord *record = &g_array_index (self->records, StHistoryRecord, i);
      double value = which == 0 ? record->train_cost : which == 1 ? record->test_cost : record->test_accuracy;

      if (isfinite (value))
        return TRUE;
    }

  return FALSE;
}

/* The key above the plot: a short line in each curve's colour. */
static void
st_cost_plot_draw_key (StCostPlot  *self,
                       cairo_t     *cr,
                       PangoLayout *layout,
                       const Frame *frame)
{
  double x = frame->left;
  double y = frame->top / 2;
  double line = self->presentation ? 4.0 : 2.0;

  for (guint i = 0; i < self->series->len + 3; i++)
    {
      const char *label;
      guint color;
      int width, height;

      if (i < self->series->len)
        {
          label = get_series (self, i)->label;
          color = i;
        }
      else
        {
          guint which = i - self->series->len;

          if (!has_record_value (self, which))
            continue;
          label = which == 0 ? _("Training cost")
                : which == 1 ? _("Test cost")
                : _("Test accuracy →");
          color = which == 0 ? TRAIN_COLOR : which == 1 ? TEST_COLOR : ACCURACY_COLOR;
        }

      set_color (self, cr, color, 1.0);
      cairo_set_line_width (cr, line);
      cairo_move_to (cr, x, y);
      cairo_line_to (cr, x + 16, y);
      cairo_stroke (cr);

      set_foreground (self, cr, 0.8);
      pango_layout_set_text (layout, label, -1);
      pango_layout_get_pixel_size (layout, &width, &height);
      cairo_move_to (cr, x + 20, round (y - height / 2.0));
      pango_cairo_show_layout (cr, layout);
      x += 20 + width + 16;
    }
}

static void
st_cost_plot_draw_empty (StCostPlot  *self,
                         cairo_t     *cr,
                         PangoLayout *layout,
                         double       width,
                         double       height)
{
  set_foreground (self, cr, 0.55);
  draw_text (cr, layout, _("The cost of each training step appears here"), width / 2, height / 2, 0.5, 0.5);
}

/**
 * st_cost_plot_draw:
 * @self: a cost plot
 * @cr: where to draw
 * @width: logical pixels across
 * @height: logical pixels down
 *
 * Draws the axes, the key and every curve, without the pointer line or
 * the history marker, as the widget shows them.
 */
void
st_cost_plot_draw (StCostPlot *self,
                   cairo_t    *cr,
                   int         width,
                   int         height)
{
  g_autoptr(PangoLayout) layout = NULL;
  Frame frame;

  g_return_if_fail (ST_IS_COST_PLOT (self));

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  frame = st_cost_plot_get_frame (self, width, height);

  if (frame.n_steps == 0)
    {
      st_cost_plot_draw_empty (self, cr, layout, width, height);
      return;
    }

  st_cost_plot_draw_y_axis (self, cr, layout, &frame);
  st_cost_plot_draw_x_axis (self, cr, layout, &frame);
  if (frame.accuracy)
    st_cost_plot_draw_accuracy_axis (self, cr, layout, &frame);
  st_cost_plot_draw_key (self, cr, layout, &frame);

  cairo_save (cr);
  cairo_rectangle (cr, frame.left - 4, frame.top - 4, frame.width + 8, frame.height + 8);
  cairo_clip (cr);
  for (guint s = 0; s < self->series->len; s++)
    st_cost_plot_draw_series (self, cr, &frame, s);
  for (guint which = 0; which < 3; which++)
    st_cost_plot_draw_records (self, cr, &frame, which);
  cairo_restore (cr);
}

static GskRenderNode *
st_cost_plot_build_node (StCostPlot *self,
                         int         width,
                         int         height)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  cairo_t *cr;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  st_cost_plot_draw (self, cr, width, height);
  cairo_destroy (cr);

  return gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

static void
st_cost_plot_append_vertical_line (StCostPlot  *self,
                                   GtkSnapshot *snapshot,
                                   const Frame *frame,
                                   gint64       step,
                                   double       alpha,
                                   double       width)
{
  GdkRGBA color = self->foreground;
  double x = frame_x (frame, step);

  color.alpha = alpha;
  gtk_snapshot_append_color (snapshot, &color,
                             &GRAPHENE_RECT_INIT (round (x - width / 2), frame->top, width, frame->height));
}

static void
st_cost_plot_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  StCostPlot *self = ST_COST_PLOT (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  Frame frame;

  if (width <= 0 || height <= 0)
    return;

  if (self->cache == NULL)
    self->cache = st_cost_plot_build_node (self, width, height);

  gtk_snapshot_append_node (snapshot, self->cache);

  frame = st_cost_plot_get_frame (self, width, height);
  if (frame.n_steps == 0)
    return;

  if (self->marker >= 0)
    st_cost_plot_append_vertical_line (self, snapshot, &frame, self->marker, 0.8, self->presentation ? 4 : 2);
  if (self->pointer >= 0)
    st_cost_plot_append_vertical_line (self, snapshot, &frame, self->pointer, 0.35, 1);
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
  self->dark = adw_style_manager_get_dark (adw_style_manager_get_default ());

  st_cost_plot_invalidate (self);
}

static char *
format_cost (double cost)
{
  return isfinite (cost) ? g_strdup_printf ("%.4g", cost) : g_strdup ("—");
}

static void
st_cost_plot_update_readout (StCostPlot *self)
{
  g_autoptr(GString) text = NULL;
  StCostBucket bucket;
  const StHistoryRecord *record = NULL;
  g_autofree char *step_text = NULL;

  if (self->pointer < 0)
    {
      g_clear_pointer (&self->readout, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READOUT]);
      return;
    }

  text = g_string_new (NULL);
  step_text = g_strdup_printf ("%" G_GINT64_FORMAT, self->pointer);
  /* Translators: the step under the pointer in the cost plot; %s is a number. */
  g_string_append_printf (text, _("Step %s"), step_text);

  if (st_cost_series_get_step (get_series (self, 0)->values, self->pointer, &bucket))
    {
      g_autofree char *lo = format_cost (bucket.min);
      g_autofree char *hi = format_cost (bucket.max);

      if (bucket.min == bucket.max)
        /* Translators: part of the cost plot's readout. */
        g_string_append_printf (text, _(" · batch cost %s"), lo);
      else
        /* Translators: part of the cost plot's readout; one pixel covers several steps. */
        g_string_append_printf (text, _(" · batch cost %s to %s"), lo, hi);
    }

  for (guint i = 0; i < self->records->len; i++)
    {
      const StHistoryRecord *r = &g_array_index (self->records, StHistoryRecord, i);

      if ((gint64) r->step > self->pointer)
        break;
      record = r;
    }

  if (record != NULL)
    {
      g_autofree char *train = format_cost (record->train_cost);

      /* Translators: part of the cost plot's readout. */
      g_string_append_printf (text, _(" · epoch %u: training cost %s"), record->epoch, train);
      if (isfinite (record->test_cost))
        {
          g_autofree char *test = format_cost (record->test_cost);

          /* Translators: part of the cost plot's readout. */
          g_string_append_printf (text, _(", test cost %s"), test);
        }
      if (isfinite (record->test_accuracy))
        /* Translators: part of the cost plot's readout; %.1f is a percentage. */
        g_string_append_printf (text, _(", accuracy %.1f %%"), 100.0 * record->test_accuracy);
    }

  g_free (self->readout);
  self->readout = g_string_free (g_steal_pointer (&text), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->readout, -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READOUT]);
}

/* Shows the readout for @step, as hovering over it does; -1 for none. */
void
st_cost_plot_set_pointer_step (StCostPlot *self,
                               gint64      step)
{
  g_return_if_fail (ST_IS_COST_PLOT (self));

  step = step < 0 ? -1 : MIN (step, (gint64) st_cost_plot_get_n_steps_shown (self));
  if (self->pointer == step)
    return;

  self->pointer = step;
  st_cost_plot_update_readout (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
st_cost_plot_motion (StCostPlot               *self,
                     double                    x,
                     double                    y,
                     GtkEventControllerMotion *controller)
{
  Frame frame = st_cost_plot_get_frame (self, gtk_widget_get_width (GTK_WIDGET (self)),
                                        gtk_widget_get_height (GTK_WIDGET (self)));

  if (frame.n_steps == 0 || x < frame.left || x > frame.left + frame.width)
    {
      st_cost_plot_set_pointer_step (self, -1);
      return;
    }

  st_cost_plot_set_pointer_step (self, (gint64) round ((x - frame.left) / frame.width * frame.n_steps));
}

static void
st_cost_plot_leave (StCostPlot               *self,
                    GtkEventControllerMotion *controller)
{
  st_cost_plot_set_pointer_step (self, -1);
}

static gboolean
st_cost_plot_key_pressed (StCostPlot            *self,
                          guint                  keyval,
                          guint                  keycode,
                          GdkModifierType        state,
                          GtkEventControllerKey *controller)
{
  gint64 n = (gint64) st_cost_plot_get_n_steps_shown (self);
  gint64 jump = MAX (1, n / 50);
  gint64 step = self->pointer >= 0 ? self->pointer : n;

  if (n == 0 || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)))
    return GDK_EVENT_PROPAGATE;

  switch (keyval)
    {
    case GDK_KEY_Left:
      st_cost_plot_set_pointer_step (self, MAX (step - jump, 0));
      return GDK_EVENT_STOP;
    case GDK_KEY_Right:
      st_cost_plot_set_pointer_step (self, MIN (step + jump, n));
      return GDK_EVENT_STOP;
    case GDK_KEY_Home:
      st_cost_plot_set_pointer_step (self, 0);
      return GDK_EVENT_STOP;
    case GDK_KEY_End:
      st_cost_plot_set_pointer_step (self, n);
      return GDK_EVENT_STOP;
    default:
      return GDK_EVENT_PROPAGATE;
    }
}

/* Appends the batch costs of the next @n_costs steps. */
void
st_cost_plot_append (StCostPlot   *self,
                     const double *costs,
                     gsize         n_costs)
{
  g_return_if_fail (ST_IS_COST_PLOT (self));

  st_cost_plot_append_to_series (self, 0, costs, n_costs);
}

/* Appends costs to an overlaid series from st_cost_plot_add_series(). */
void
st_cost_plot_append_to_series (StCostPlot   *self,
                               guint         series,
                               const double *costs,
                               gsize         n_costs)
{
  g_return_if_fail (ST_IS_COST_PLOT (self));
  g_return_if_fail (series < self->series->len);

  if (n_costs == 0)
    return;

  for (gsize i = 0; i < n_costs; i++)
    st_cost_series_append (get_series (self, series)->values, costs[i]);

  st_cost_plot_invalidate (self);
}

/* Adds a batch-cost series drawn over the others, in the next colour
 * and a thinner, dashed line.  Returns: its index. */
guint
st_cost_plot_add_series (StCostPlot *self,
                         const char *label)
{
  Series *series;

  g_return_val_if_fail (ST_IS_COST_PLOT (self), 0);

  series = g_new0 (Series, 1);
  series->values = st_cost_series_new (MAX_BUCKETS);
  series->label = g_strdup (label);
  g_ptr_array_add (self->series, series);
  st_cost_plot_invalidate (self);

  return self->series->len - 1;
}

/* Renames the first series, the batch cost, in the key. */
void
st_cost_plot_set_batch_label (StCostPlot *self,
                              const char *label)
{
  g_return_if_fail (ST_IS_COST_PLOT (self));

  g_free (get_series (self, 0)->label);
  get_series (self, 0)->label = g_strdup (label);
  st_cost_plot_invalidate (self);
}

/* Adds one epoch's costs.  Past MAX_RECORDS records, every second one
 * but the newest is dropped, as st_history_set_max_length() does, so a
 * run of millions of epochs keeps a bounded number spread over it. */
void
st_cost_plot_add_record (StCostPlot            *self,
                         const StHistoryRecord *record)
{
  g_return_if_fail (ST_IS_COST_PLOT (self));

  g_array_append_vals (self->records, record, 1);

  if (self->records->len > MAX_RECORDS)
    {
      guint last = self->records->len - 1;
      guint kept = 0;

      for (guint i = 0; i < last; i += 2)
        g_array_index (self->records, StHistoryRecord, kept++) = g_array_index (self->records, StHistoryRecord, i);
      g_array_index (self->records, StHistoryRecord, kept++) = g_array_index (self->records, StHistoryRecord, last);
      g_array_set_size (self->records, kept);
    }

  st_cost_plot_invalidate (self);
}

guint
st_cost_plot_get_n_records (StCostPlot *self)
{
  g_return_val_if_fail (ST_IS_COST_PLOT (self), 0);

  return self->records->len;
}

void
st_cost_plot_clear (StCostPlot *self)
{
  g_return_if_fail (ST_IS_COST_PLOT (self));

  for (guint s = 0; s < self->series->len; s++)
    st_cost_series_clear (get_series (self, s)->values);
  g_array_set_size (self->records, 0);
  self->marker = -1;
  self->pointer = -1;
  st_cost_plot_update_readout (self);
  st_cost_plot_invalidate (self);
}

/* Forgets everything after step @n_steps. */
void
st_cost_plot_truncate (StCostPlot *self,
                       guint64     n_steps)
{
  g_return_if_fail (ST_IS_COST_PLOT (self));

  for (guint s = 0; s < self->series->len; s++)
    st_cost_series_truncate (get_series (self, s)->values, n_steps);

  while (self->records->len > 0 &&
         g_array_index (self->records, StHistoryRecord, self->records->len - 1).step > n_steps)
    g_array_set_size (self->records, self->records->len - 1);

  st_cost_plot_invalidate (self);
}

guint64
st_cost_plot_get_n_steps (StCostPlot *self)
{
  g_return_val_if_fail (ST_IS_COST_PLOT (self), 0);

  return st_cost_series_get_n_values (get_series (self, 0)->values);
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

/* Marks the step the history timeline shows; -1 for none. */
void
st_cost_plot_set_marker (StCostPlot *self,
                         gint64      step)
{
  g_return_if_fail (ST_IS_COST_PLOT (self));

  if (self->marker == step)
    return;

  self->marker = step;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Thicker lines and larger margins for presentation mode. */
void
st_cost_plot_set_presentation (StCostPlot *self,
                               gboolean    presentation)
{
  g_return_if_fail (ST_IS_COST_PLOT (self));

  self->presentation = !!presentation;
  st_cost_plot_invalidate (self);
}

/* Returns: the values at the step under the pointer, or %NULL. */
const char *
st_cost_plot_get_readout (StCostPlot *self)
{
  g_return_val_if_fail (ST_IS_COST_PLOT (self), NULL);

  return self->readout;
}

static void
append_number (GString *line,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_c (line, ',');
  if (isfinite (value))
    g_string_append (line, g_ascii_dtostr (buffer, sizeof buffer, value));
}

static void
append_record (GString               *text,
               const StHistoryRecord *record)
{
  g_string_append_printf (text, ",%u", record->epoch);
  append_number (text, record->train_cost);
  append_number (text, record->test_cost);
  append_number (text, record->test_accuracy);
}

/**
 * st_cost_plot_write_csv:
 * @self: a cost plot
 * @path: the file to write
 * @error: return location for an error
 *
 * Writes the cost history as CSV with a header line:
 * step, batch_cost_min, batch_cost_max, epoch, train_cost, test_cost,
 * test_accuracy.  While the plot keeps every step, there is one row per
 * step and the two batch columns are that step's cost.  In a long run
 * the plot keeps a bucket per run of steps, and each row is a bucket's
 * last step with the smallest and largest batch cost in it.  The epoch
 * columns are filled on the rows where an epoch ended; an epoch that
 * ends inside a bucket gets a row of its own with empty batch columns.
 * Numbers use a dot and round-trip exactly.
 *
 * Returns: %FALSE with @error set when writing fails
 */
gboolean
st_cost_plot_write_csv (StCostPlot  *self,
                        const char  *path,
                        GError     **error)
{
  StCostSeries *values;
  const StCostBucket *buckets;
  guint n_buckets;
  guint64 stride, n_values;
  g_autoptr(GString) text = g_string_new ("step,batch_cost_min,batch_cost_max,epoch,train_cost,test_cost,test_accuracy\n");
  guint r = 0;

  g_return_val_if_fail (ST_IS_COST_PLOT (self), FALSE);

  values = get_series (self, 0)->values;
  buckets = st_cost_series_get_buckets (values);
  n_buckets = st_cost_series_get_n_buckets (values);
  stride = st_cost_series_get_stride (values);
  n_values = st_cost_series_get_n_values (values);

  for (guint i = 0; i < n_buckets; i++)
    {
      guint64 last = MIN ((guint64) (i + 1) * stride, n_values);

      for (; r < self->records->len && g_array_index (self->records, StHistoryRecord, r).step < last; r++)
        {
          g_string_append_printf (text, "%" G_GUINT64_FORMAT ",,", g_array_index (self->records, StHistoryRecord, r).step);
          append_record (text, &g_array_index (self->records, StHistoryRecord, r));
          g_string_append_c (text, '\n');
        }

      g_string_append_printf (text, "%" G_GUINT64_FORMAT, last);
      append_number (text, buckets[i].min);
      append_number (text, buckets[i].max);
      if (r < self->records->len && g_array_index (self->records, StHistoryRecord, r).step == last)
        append_record (text, &g_array_index (self->records, StHistoryRecord, r++));
      else
        g_string_append (text, ",,,,");
      g_string_append_c (text, '\n');
    }

  for (; r < self->records->len; r++)
    {
      g_string_append_printf (text, "%" G_GUINT64_FORMAT ",,", g_array_index (self->records, StHistoryRecord, r).step);
      append_record (text, &g_array_index (self->records, StHistoryRecord, r));
      g_string_append_c (text, '\n');
    }

  return g_file_set_contents (path, text->str, text->len, error);
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

    case PROP_READOUT:
      g_value_set_string (value, st_cost_plot_get_readout (self));
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
  g_clear_pointer (&self->series, g_ptr_array_unref);
  g_clear_pointer (&self->records, g_array_unref);
  g_free (self->readout);

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

  properties[PROP_READOUT] =
    g_param_spec_string ("readout", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "costplot");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
st_cost_plot_init (StCostPlot *self)
{
  GtkEventController *controller;

  self->series = g_ptr_array_new_with_free_func (series_free);
  self->records = g_array_new (FALSE, FALSE, sizeof (StHistoryRecord));
  self->foreground = (GdkRGBA) { 0, 0, 0, 1 };
  self->marker = -1;
  self->pointer = -1;
  st_cost_plot_add_series (self, _("Batch cost"));

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (controller, "motion", G_CALLBACK (st_cost_plot_motion), self);
  g_signal_connect_swapped (controller, "leave", G_CALLBACK (st_cost_plot_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect_swapped (controller, "key-pressed", G_CALLBACK (st_cost_plot_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

GtkWidget *
st_cost_plot_new (void)
{
  return g_object_new (ST_TYPE_COST_PLOT, NULL);
}
