/* st-palette.h: colours of the weight heat map
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Entries of the colour table; odd, so that value 0 has its own entry. */
#define ST_PALETTE_SIZE 513

/* Diverging colour scales; every one has a light middle in the light
 * style and a dark middle in the dark style. */
typedef enum
{
  ST_COLOR_MAP_BLUE_RED,
  ST_COLOR_MAP_PURPLE_GREEN,
  ST_COLOR_MAP_BROWN_TEAL,
} StColorMap;

#define ST_N_COLOR_MAPS 3

/* Colours are cairo/GDK premultiplied ARGB32 words (0xAARRGGBB in native
 * endianness), the layout of CAIRO_FORMAT_ARGB32 and
 * GDK_MEMORY_DEFAULT. */
typedef struct
{
  guint32 diverging[ST_PALETTE_SIZE]; /* from -range (0) through 0 to +range */
  guint32 structural_light;           /* the two stripes of structural zeros */
  guint32 structural_dark;
  guint32 gap;                        /* between large cells; transparent */
  gboolean dark;
  StColorMap color_map;
} StPalette;

void    st_palette_init              (StPalette       *palette,
                                      gboolean         dark,
                                      StColorMap       color_map);
const char *st_color_map_to_string   (StColorMap       color_map);
gboolean st_color_map_from_string    (const char      *text,
                                      StColorMap      *color_map);
guint32 st_palette_map               (const StPalette *palette,
                                      double           value,
                                      double           range);
guint32 st_palette_structural        (const StPalette *palette,
                                      guint            x,
                                      guint            y);
void    st_palette_unpack            (guint32          color,
                                      double          *red,
                                      double          *green,
                                      double          *blue);
double  st_palette_get_luminance     (guint32          color);

G_END_DECLS
