/* st-palette.c: colours of the weight heat map
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Stored weights use a diverging scale, blue for negative and red for
 * positive, whose middle colour is a stored value of exactly 0.  The
 * range is symmetric around 0, so equal magnitudes get equally strong
 * colours.  Structural zeros are not values at all: they get a grey
 * diagonal hatch that no stored value can produce and that does not
 * depend on the data.
 */

#define G_LOG_DOMAIN "st-palette"

#include "config.h"

#include <math.h>

#include "st-palette.h"

/* Five stops per scale, from -1 to 1.  Blue-red uses GNOME palette
 * colours; purple-green and brown-teal follow ColorBrewer's PRGn and
 * BrBG, which readers with red-green colour blindness tell apart.  In
 * the light style a scale runs dark-light-dark, in the dark style
 * light-dark-light, so that a large magnitude always stands out from
 * the window background. */
static const guint32 light_stops[ST_N_COLOR_MAPS][5] = {
  { 0x1a5fb4, 0x62a0ea, 0xf6f5f4, 0xf66151, 0xa51d2d },
  { 0x762a83, 0xc2a5cf, 0xf7f7f7, 0xa6dba0, 0x1b7837 },
  { 0x8c510a, 0xdfc27d, 0xf5f5f5, 0x80cdc1, 0x01665e },
};

static const guint32 dark_stops[ST_N_COLOR_MAPS][5] = {
  { 0x99c1f1, 0x1c71d8, 0x4f4b57, 0xc01c28, 0xf66151 },
  { 0xe7d4e8, 0x9970ab, 0x4f4b57, 0x5aae61, 0xd9f0d3 },
  { 0xf6e8c3, 0xbf812d, 0x4f4b57, 0x35978f, 0xc7eae5 },
};

static const char *const color_map_names[ST_N_COLOR_MAPS] = {
  "blue-red", "purple-green", "brown-teal",
};

/* Width of one hatch stripe in pixels; the pattern repeats every two. */
#define HATCH_STRIPE 3

static guint32
pack_opaque (double red,
             double green,
             double blue)
{
  guint r = (guint) lround (CLAMP (red, 0.0, 1.0) * 255.0);
  guint g = (guint) lround (CLAMP (green, 0.0, 1.0) * 255.0);
  guint b = (guint) lround (CLAMP (blue, 0.0, 1.0) * 255.0);

  return 0xff000000u | (r << 16) | (g << 8) | b;
}

static double
channel (guint32 rgb,
         guint   shift)
{
  return ((rgb >> shift) & 0xff) / 255.0;
}

static guint32
interpolate (const guint32 *stops,
             double         position)
{
  double scaled = (CLAMP (position, -1.0, 1.0) + 1.0) * 2.0;
  guint i = MIN ((guint) scaled, 3);
  double f = scaled - i;
  guint32 lo = stops[i];
  guint32 hi = stops[i + 1];

  return pack_opaque (channel (lo, 16) + f * (channel (hi, 16) - channel (lo, 16)),
                      channel (lo, 8) + f * (channel (hi, 8) - channel (lo, 8)),
                      channel (lo, 0) + f * (channel (hi, 0) - channel (lo, 0)));
}

void
st_palette_init (StPalette  *palette,
                 gboolean    dark,
                 StColorMap  color_map)
{
  const guint32 *stops;

  if (color_map >= ST_N_COLOR_MAPS)
    color_map = ST_COLOR_MAP_BLUE_RED;
  stops = dark ? dark_stops[color_map] : light_stops[color_map];

  for (guint i = 0; i < ST_PALETTE_SIZE; i++)
    {
      double position = 2.0 * i / (ST_PALETTE_SIZE - 1) - 1.0;

      palette->diverging[i] = interpolate (stops, position);
    }

  /* Structural zeros: grey stripes, darker than any middle colour in the
   * dark style and darker than it in the light style too, so that a
   * stored 0 (the middle colour, flat) never looks like them. */
  palette->structural_light = dark ? 0xff333333 : 0xffcfcecb;
  palette->structural_dark = dark ? 0xff1c1c1c : 0xff9a9996;
  palette->gap = 0x00000000;
  palette->dark = dark;
  palette->color_map = color_map;
}

const char *
st_color_map_to_string (StColorMap color_map)
{
  g_return_val_if_fail (color_map < ST_N_COLOR_MAPS, NULL);

  return color_map_names[color_map];
}

gboolean
st_color_map_from_string (const char *text,
                          StColorMap *color_map)
{
  for (guint i = 0; i < ST_N_COLOR_MAPS; i++)
    if (g_strcmp0 (text, color_map_names[i]) == 0)
      {
        *color_map = i;
        return TRUE;
      }

  return FALSE;
}

/**
 * st_palette_map:
 * @palette: a palette
 * @value: a stored weight
 * @range: the magnitude that gets the strongest colour
 *
 * Maps @value on the symmetric scale [-@range, @range], clamping values
 * outside it.  A @range that is 0, negative or not finite counts as 1, so
 * a layer whose weights are all 0 draws in the middle colour.  NaN maps
 * to the middle colour too.
 */
guint32
st_palette_map (const StPalette *palette,
                double           value,
                double           range)
{
  double t;
  long index;

  if (!(range > 0.0) || !isfinite (range))
    range = 1.0;

  t = isnan (value) ? 0.0 : CLAMP (value / range, -1.0, 1.0);
  index = lround ((t + 1.0) * 0.5 * (ST_PALETTE_SIZE - 1));

  return palette->diverging[CLAMP (index, 0, ST_PALETTE_SIZE - 1)];
}

/* The hatch colour of pixel (@x, @y) of a structural zero.  Diagonal
 * stripes make these cells distinct from any stored value even in
 * print or for readers who do not tell the greys apart. */
guint32
st_palette_structural (const StPalette *palette,
                       guint            x,
                       guint            y)
{
  return ((x + y) / HATCH_STRIPE) % 2 == 0 ? palette->structural_light : palette->structural_dark;
}

void
st_palette_unpack (guint32  color,
                   double  *red,
                   double  *green,
                   double  *blue)
{
  *red = channel (color, 16);
  *green = channel (color, 8);
  *blue = channel (color, 0);
}

/* Relative luminance in 0..1 (sRGB coefficients, without linearising),
 * enough to pick black or white text on a cell. */
double
st_palette_get_luminance (guint32 color)
{
  double red, green, blue;

  st_palette_unpack (color, &red, &green, &blue);
  return 0.2126 * red + 0.7152 * green + 0.0722 * blue;
}
