/* st-cost-plot.h: the cost of training as curves over the steps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "st-engine.h"

G_BEGIN_DECLS

#define ST_TYPE_COST_PLOT (st_cost_plot_get_type ())

G_DECLARE_FINAL_TYPE (StCostPlot, st_cost_plot, ST, COST_PLOT, GtkWidget)

GtkWidget  *st_cost_plot_new             (void);
void        st_cost_plot_append          (StCostPlot            *self,
                                          const double          *costs,
                                          gsize                  n_costs);
void        st_cost_plot_clear           (StCostPlot            *self);
void        st_cost_plot_truncate        (StCostPlot            *self,
                                          guint64                n_steps);
guint64     st_cost_plot_get_n_steps     (StCostPlot            *self);
void        st_cost_plot_add_record      (StCostPlot            *self,
                                          const StHistoryRecord *record);
guint       st_cost_plot_get_n_records   (StCostPlot            *self);
guint       st_cost_plot_add_series      (StCostPlot            *self,
                                          const char            *label);
void        st_cost_plot_append_to_series (StCostPlot           *self,
                                           guint                 series,
                                           const double         *costs,
                                           gsize                 n_costs);
void        st_cost_plot_set_batch_label (StCostPlot            *self,
                                          const char            *label);
gboolean    st_cost_plot_get_log_scale   (StCostPlot            *self);
void        st_cost_plot_set_log_scale   (StCostPlot            *self,
                                          gboolean               log_scale);
void        st_cost_plot_set_marker      (StCostPlot            *self,
                                          gint64                 step);
void        st_cost_plot_set_presentation (StCostPlot           *self,
                                           gboolean              presentation);
const char *st_cost_plot_get_readout     (StCostPlot            *self);
void        st_cost_plot_set_pointer_step (StCostPlot           *self,
                                           gint64                step);
gboolean    st_cost_plot_write_csv       (StCostPlot            *self,
                                          const char            *path,
                                          GError               **error);
void        st_cost_plot_draw            (StCostPlot            *self,
                                          cairo_t               *cr,
                                          int                    width,
                                          int                    height);

G_END_DECLS
