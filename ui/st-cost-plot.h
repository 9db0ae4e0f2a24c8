/* st-cost-plot.h: the cost of each training step as a curve
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ST_TYPE_COST_PLOT (st_cost_plot_get_type ())

G_DECLARE_FINAL_TYPE (StCostPlot, st_cost_plot, ST, COST_PLOT, GtkWidget)

GtkWidget *st_cost_plot_new           (void);
void       st_cost_plot_append        (StCostPlot   *self,
                                       const double *costs,
                                       gsize         n_costs);
void       st_cost_plot_clear         (StCostPlot   *self);
guint64    st_cost_plot_get_n_steps   (StCostPlot   *self);
gboolean   st_cost_plot_get_log_scale (StCostPlot   *self);
void       st_cost_plot_set_log_scale (StCostPlot   *self,
                                       gboolean      log_scale);

G_END_DECLS
