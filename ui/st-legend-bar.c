/* st-legend-bar.c: the colour key of the weight heat map
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Either the diverging scale from -range (left) to +range (right), or,
 * with the "structural" property, a swatch of the structural-zero hatch.
 * With the "neutral" property it is a swatch of the scale's middle
 * colour, the one colour of a layer whose shown values are all 0.
 * The pixels come from the same palette as the heat map, so the key
 * matches it exactly in both light and dark styles.
 */

#define G_LOG_DOMAIN "st-legend-bar"

#include "config.h"

#include <adwaita.h>

#include "st-legend-bar.h"
#include "st-palette.h"

struct _StLegendBar
{
  GtkWidget parent_instance;

  StPalette palette;
  GskRenderNode *cache;

  guint structural : 1;
  guint neutral : 1;
};

G_DEFINE_FINAL_TYPE (StLegendBar, st_legend_bar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STRUCTURAL,
  PROP_NEUTRAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
st_legend_bar_invalidate (StLegendBar *self)
{
  g_clear_pointer (&self->cache, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static GskRenderNode *
st_legend_bar_build_node (StLegendBar *self,
                          int          width,
                          int          height)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  guint pixel_width = width * scale;
  guint pixel_height = height * scale;
  guint32 *pixels = g_new (guint32, (gsize) pixel_width * pixel_height);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  GskRoundedRect clip;

  for (guint y = 0; y < pixel_height; y++)
    for (guint x = 0; x < pixel_width; x++)
      {
        double value = pixel_width > 1 ? 2.0 * x / (pixel_width - 1) - 1.0 : 0.0;

        if (self->structural)
          pixels[(gsize) y * pixel_width + x] = st_palette_structural (&self->palette, x, y);
        else if (self->neutral)
          pixels[(gsize) y * pixel_width + x] = st_palette_map (&self->palette, 0.0, 1.0);
        else
          pixels[(gsize) y * pixel_width + x] = st_palette_map (&self->palette, value, 1.0);
      }

  bytes = g_bytes_new_take (pixels, sizeof (guint32) * pixel_width * pixel_height);
  texture = gdk_memory_texture_new (pixel_width, pixel_height, GDK_MEMORY_DEFAULT,
                                    bytes, pixel_width * sizeof (guint32));

  gsk_rounded_rect_init_from_rect (&clip, &GRAPHENE_RECT_INIT (0, 0, width, height), 3);
  gtk_snapshot_push_rounded_clip (snapshot, &clip);
  gtk_snapshot_append_texture (snapshot, texture, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gtk_snapshot_pop (snapshot);

  /* The middle colour is close to the window background, so its swatch
   * gets an outline. */
  if (self->neutral && !self->structural)
    {
      GdkRGBA outline = self->palette.dark ? (GdkRGBA) { 1, 1, 1, 0.3 } : (GdkRGBA) { 0, 0, 0, 0.3 };

      gtk_snapshot_append_border (snapshot, &clip, (const float[]) { 1, 1, 1, 1 },
                                  (const GdkRGBA[]) { outline, outline, outline, outline });
    }

  return gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

static void
st_legend_bar_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  StLegendBar *self = ST_LEGEND_BAR (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (width <= 0 || height <= 0)
    return;

  if (self->cache == NULL)
    self->cache = st_legend_bar_build_node (self, width, height);

  gtk_snapshot_append_node (snapshot, self->cache);
}

static void
st_legend_bar_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  StLegendBar *self = ST_LEGEND_BAR (widget);
  gboolean swatch = self->structural || self->neutral;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = swatch ? 16 : 48;
      *natural = swatch ? 16 : 160;
    }
  else
    {
      *minimum = *natural = 16;
    }
}

static void
st_legend_bar_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  st_legend_bar_invalidate (ST_LEGEND_BAR (widget));
}

static void
st_legend_bar_dark_changed (StLegendBar     *self,
                            GParamSpec      *pspec,
                            AdwStyleManager *style_manager)
{
  st_palette_init (&self->palette, adw_style_manager_get_dark (style_manager), self->palette.color_map);
  st_legend_bar_invalidate (self);
}

void
st_legend_bar_set_color_map (StLegendBar *self,
                             StColorMap   color_map)
{
  g_return_if_fail (ST_IS_LEGEND_BAR (self));

  if (self->palette.color_map == color_map)
    return;

  st_palette_init (&self->palette, self->palette.dark, color_map);
  st_legend_bar_invalidate (self);
}

gboolean
st_legend_bar_get_structural (StLegendBar *self)
{
  g_return_val_if_fail (ST_IS_LEGEND_BAR (self), FALSE);

  return self->structural;
}

void
st_legend_bar_set_structural (StLegendBar *self,
                              gboolean     structural)
{
  g_return_if_fail (ST_IS_LEGEND_BAR (self));

  structural = !!structural;
  if (self->structural == structural)
    return;

  self->structural = structural;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  st_legend_bar_invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STRUCTURAL]);
}

gboolean
st_legend_bar_get_neutral (StLegendBar *self)
{
  g_return_val_if_fail (ST_IS_LEGEND_BAR (self), FALSE);

  return self->neutral;
}

/* Shows the middle colour alone, for a range that collapsed to 0. */
void
st_legend_bar_set_neutral (StLegendBar *self,
                           gboolean     neutral)
{
  g_return_if_fail (ST_IS_LEGEND_BAR (self));

  neutral = !!neutral;
  if (self->neutral == neutral)
    return;

  self->neutral = neutral;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  st_legend_bar_invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEUTRAL]);
}

static void
st_legend_bar_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  StLegendBar *self = ST_LEGEND_BAR (object);

  switch (prop_id)
    {
    case PROP_STRUCTURAL:
      g_value_set_boolean (value, st_legend_bar_get_structural (self));
      break;

    case PROP_NEUTRAL:
      g_value_set_boolean (value, st_legend_bar_get_neutral (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
st_legend_bar_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  StLegendBar *self = ST_LEGEND_BAR (object);

  switch (prop_id)
    {
    case PROP_STRUCTURAL:
      st_legend_bar_set_structural (self, g_value_get_boolean (value));
      break;

    case PROP_NEUTRAL:
      st_legend_bar_set_neutral (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
st_legend_bar_finalize (GObject *object)
{
  StLegendBar *self = ST_LEGEND_BAR (object);

  g_clear_pointer (&self->cache, gsk_render_node_unref);

  G_OBJECT_CLASS (st_legend_bar_parent_class)->finalize (object);
}

static void
st_legend_bar_class_init (StLegendBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = st_legend_bar_finalize;
  object_class->get_property = st_legend_bar_get_property;
  object_class->set_property = st_legend_bar_set_property;

  widget_class->snapshot = st_legend_bar_snapshot;
  widget_class->measure = st_legend_bar_measure;
  widget_class->size_allocate = st_legend_bar_size_allocate;

  properties[PROP_STRUCTURAL] =
    g_param_spec_boolean ("structural", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_NEUTRAL] =
    g_param_spec_boolean ("neutral", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "legendbar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
st_legend_bar_init (StLegendBar *self)
{
  AdwStyleManager *style_manager = adw_style_manager_get_default ();

  st_palette_init (&self->palette, adw_style_manager_get_dark (style_manager), ST_COLOR_MAP_BLUE_RED);
  g_signal_connect_object (style_manager, "notify::dark",
                           G_CALLBACK (st_legend_bar_dark_changed), self, G_CONNECT_SWAPPED);
}

GtkWidget *
st_legend_bar_new (void)
{
  return g_object_new (ST_TYPE_LEGEND_BAR, NULL);
}
