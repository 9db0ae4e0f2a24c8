/* st-legend-bar.h: the colour key of the weight heat map
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "st-palette.h"

G_BEGIN_DECLS

#define ST_TYPE_LEGEND_BAR (st_legend_bar_get_type ())

G_DECLARE_FINAL_TYPE (StLegendBar, st_legend_bar, ST, LEGEND_BAR, GtkWidget)

GtkWidget *st_legend_bar_new            (void);
gboolean   st_legend_bar_get_structural (StLegendBar *self);
void       st_legend_bar_set_structural (StLegendBar *self,
                                         gboolean     structural);
gboolean   st_legend_bar_get_neutral    (StLegendBar *self);
void       st_legend_bar_set_neutral    (StLegendBar *self,
                                         gboolean     neutral);
void       st_legend_bar_set_color_map  (StLegendBar *self,
                                         StColorMap   color_map);

G_END_DECLS
