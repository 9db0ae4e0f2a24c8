/* st-window-private.h: state shared by the parts of the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "st-cost-plot.h"
#include "st-heatmap.h"
#include "st-training-worker.h"
#include "st-window.h"

G_BEGIN_DECLS

/* Something to do once unsaved changes are saved or discarded. */
typedef void (*StWindowContinueFunc) (StWindow *self);

struct _StWindow
{
  AdwApplicationWindow parent_instance;

  /* Template children */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkButton *start_button;
  AdwButtonContent *start_button_content;
  GtkSpinButton *learning_rate_spin;
  AdwComboRow *speed_row;
  GtkLabel *step_label;
  GtkLabel *epoch_label;
  GtkLabel *cost_label;
  GtkLabel *layers_label;
  GtkLabel *weights_label;
  AdwActionRow *dataset_row;
  StCostPlot *cost_plot;
  GtkDropDown *layer_dropdown;
  GtkLabel *layer_shape_label;
  GtkLabel *range_low_label;
  GtkLabel *range_high_label;
  StHeatmap *heatmap;

  /* Owned */
  GSettings *settings;
  StNetwork *initial_network;   /* the weights that Reset returns to */
  StNetwork *network;           /* the model while no worker trains it */
  StTrainingWorker *worker;     /* owns the model while the data set fits it */
  StDataset *dataset;           /* never NULL after init */
  char *dataset_name;
  GFile *file;                  /* where the model is saved; NULL if never */
  char *model_name;
  StSnapshot *snapshot;         /* the state on screen */

  guint selected_layer;

  guint running : 1;
  guint busy : 1;
  guint modified : 1;
  guint initial_saved : 1;      /* the initial weights equal the file's */
  guint close_confirmed : 1;
};

/* st-window.c */
void     _st_window_set_model           (StWindow     *self,
                                         StNetwork    *network,
                                         GFile        *file,
                                         const char   *name);
void     _st_window_set_dataset         (StWindow     *self,
                                         StDataset    *dataset,
                                         const char   *name);
void     _st_window_restart_training    (StWindow     *self,
                                         StNetwork    *network);
void     _st_window_set_modified        (StWindow     *self,
                                         gboolean      modified);
void     _st_window_set_running         (StWindow     *self,
                                         gboolean      running);
void     _st_window_set_file            (StWindow     *self,
                                         GFile        *file);
gboolean _st_window_dataset_fits        (StWindow     *self,
                                         const StNetwork *network,
                                         GError      **error);
void     _st_window_update_actions      (StWindow     *self);

/* st-window-actions.c */
void     _st_window_class_add_training_shortcuts (GtkWidgetClass *widget_class);
void     _st_window_add_training_actions         (StWindow       *self);

/* st-window-files.c */
void     _st_window_add_file_actions    (StWindow             *self);
void     _st_window_show_error          (StWindow             *self,
                                         const char           *heading,
                                         const char           *body);
void     _st_window_confirm_discard     (StWindow             *self,
                                         StWindowContinueFunc  continue_func);

G_END_DECLS
