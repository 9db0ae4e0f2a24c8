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

typedef struct
{
  double position;  /* -1 .. 1 */
  guint32 rgb;      /* 0xRRGGBB */
} ColorStop;

/* The stops are GNOME palette colours.  In the light style the scale
 * runs dark-light-dark, in the dark style light-dark-light, so that a
 * large magnitude always stands out from the window background. */
static const ColorStop light_stops[] = {
  { -1.0, 0x1a5fb4 },
  { -0.5, 0x62a0ea },
  {  0.0, 0xf6f5f4 },
  {  0.5, 0xf66151 },
  {  1.0, 0xa51d2d },
};

static const ColorStop dark_stops[] = {
  { -1.0, 0x99c1f1 },
  { -0.5, 0x1c71d8 },
  {  0.0, 0x3d3846 },
  {  0.5, 0xc01c28 },
  {  1.0, 0xf66151 },
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
interpolate (const ColorStop *stops,
             gsize            n_stops,
             double           position)
{
  for (gsize i = 1; i < n_stops; i++)
    {
      const ColorStop *lo = &stops[i - 1];
      const ColorStop *hi = &stops[i];
      double f;

      if (position > hi->position && i + 1 < n_stops)
        continue;

      f = (position - lo->position) / (hi->position - lo->position);
      return pack_opaque (channel (lo->rgb, 16) + f * (channel (hi->rgb, 16) - channel (lo->rgb, 16)),
                          channel (lo->rgb, 8) + f * (channel (hi->rgb, 8) - channel (lo->rgb, 8)),
                          channel (lo->rgb, 0) + f * (channel (hi->rgb, 0) - channel (lo->rgb, 0)));
    }

  g_assert_not_reached ();
}

void
st_palette_init (StPalette *palette,
                 gboolean   dark)
{
  const ColorStop *stops = dark ? dark_stops : light_stops;
  gsize n_stops = dark ? G_N_ELEMENTS (dark_stops) : G_N_ELEMENTS (light_stops);

  for (guint i = 0; i < ST_PALETTE_SIZE; i++)
    {
      double position = 2.0 * i / (ST_PALETTE_SIZE - 1) - 1.0;

      palette->diverging[i] = interpolate (stops, n_stops, position);
    }

  palette->structural_light = dark ? 0xff4a4a4a : 0xffdeddda;
  palette->structural_dark = dark ? 0xff2a2a2a : 0xffb0afac;
  palette->gap = 0x00000000;
  palette->dark = dark;
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
