/* st-heatmap.h: a heat map of one sparse layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "st-engine.h"
#include "st-palette.h"

G_BEGIN_DECLS

/* What the colours show. */
typedef enum
{
  ST_HEATMAP_VIEW_WEIGHTS,
  ST_HEATMAP_VIEW_GRADIENT,   /* dL/dW of the last batch */
  ST_HEATMAP_VIEW_UPDATE,     /* the change of the last step */
  ST_HEATMAP_VIEW_CHANGE,     /* weight minus its value at the start */
} StHeatmapView;

#define ST_HEATMAP_N_VIEWS 4

/* What a primary-button drag does. */
typedef enum
{
  ST_HEATMAP_TOOL_MOVE,
  ST_HEATMAP_TOOL_DRAW,
  ST_HEATMAP_TOOL_ERASE,
  ST_HEATMAP_TOOL_DRAW_RECTANGLE,
  ST_HEATMAP_TOOL_ERASE_RECTANGLE,
} StHeatmapTool;

/* One position of the matrix, zero-based. */
typedef struct
{
  guint row;
  guint col;
} StHeatmapCell;

#define ST_TYPE_HEATMAP (st_heatmap_get_type ())

G_DECLARE_FINAL_TYPE (StHeatmap, st_heatmap, ST, HEATMAP, GtkWidget)

GtkWidget       *st_heatmap_new              (void);
void             st_heatmap_set_pattern      (StHeatmap      *self,
                                              guint           rows,
                                              guint           cols,
                                              gsize           nnz,
                                              const guint    *entry_rows,
                                              const guint    *entry_cols,
                                              const double   *start_values);
void             st_heatmap_set_snapshot     (StHeatmap      *self,
                                              StSnapshot     *snapshot,
                                              guint           layer);
void             st_heatmap_set_values       (StHeatmap      *self,
                                              const double   *values,
                                              gsize           nnz);
void             st_heatmap_clear            (StHeatmap      *self);
guint            st_heatmap_get_rows         (StHeatmap      *self);
guint            st_heatmap_get_cols         (StHeatmap      *self);
gsize            st_heatmap_get_nnz          (StHeatmap      *self);

StHeatmapView    st_heatmap_get_view         (StHeatmap      *self);
void             st_heatmap_set_view         (StHeatmap      *self,
                                              StHeatmapView   view);
double           st_heatmap_get_range        (StHeatmap      *self);
gboolean         st_heatmap_get_fixed_range  (StHeatmap      *self);
void             st_heatmap_set_fixed_range  (StHeatmap      *self,
                                              gboolean        fixed,
                                              double          range);
void             st_heatmap_set_color_map    (StHeatmap      *self,
                                              StColorMap      color_map);
gboolean         st_heatmap_get_dark         (StHeatmap      *self);

double           st_heatmap_get_zoom         (StHeatmap      *self);
void             st_heatmap_set_zoom         (StHeatmap      *self,
                                              double          zoom);
void             st_heatmap_zoom_in          (StHeatmap      *self);
void             st_heatmap_zoom_out         (StHeatmap      *self);
void             st_heatmap_zoom_to_fit      (StHeatmap      *self);
void             st_heatmap_zoom_at          (StHeatmap      *self,
                                              double          factor,
                                              double          x,
                                              double          y);
void             st_heatmap_pan              (StHeatmap      *self,
                                              double          dx,
                                              double          dy);
void             st_heatmap_center_on        (StHeatmap      *self,
                                              double          row,
                                              double          col);
double           st_heatmap_get_cell_size    (StHeatmap      *self);
gboolean         st_heatmap_get_visible_cells (StHeatmap     *self,
                                               guint         *first_row,
                                               guint         *last_row,
                                               guint         *first_col,
                                               guint         *last_col);

StHeatmapTool    st_heatmap_get_tool         (StHeatmap      *self);
void             st_heatmap_set_tool         (StHeatmap      *self,
                                              StHeatmapTool   tool);
void             st_heatmap_set_editable     (StHeatmap      *self,
                                              gboolean        editable);
void             st_heatmap_set_highlight    (StHeatmap      *self,
                                              int             row,
                                              int             col);
void             st_heatmap_set_cursor       (StHeatmap      *self,
                                              int             row,
                                              int             col);
const char      *st_heatmap_get_readout      (StHeatmap      *self);
void             st_heatmap_set_presentation (StHeatmap      *self,
                                              gboolean        presentation);

cairo_surface_t *st_heatmap_render_surface   (StHeatmap      *self,
                                              int             width,
                                              int             height);
gboolean         st_heatmap_point_to_cell    (StHeatmap      *self,
                                              double          x,
                                              double          y,
                                              guint          *row,
                                              guint          *col);

G_END_DECLS
