/* st-window-private.h: state shared by the parts of the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "st-autosave.h"
#include "st-builtin-data.h"
#include "st-cost-plot.h"
#include "st-heatmap.h"
#include "st-lessons.h"
#include "st-network-pattern.h"
#include "st-pattern-edit.h"
#include "st-run-history.h"
#include "st-storage-view.h"
#include "st-training-worker.h"
#include "st-window.h"

G_BEGIN_DECLS

/* Something to do once unsaved changes are saved or discarded. */
typedef void (*StWindowContinueFunc) (StWindow *self);

/* What follows a file job that was not cancelled. */
typedef void (*StWindowJobDone) (StWindow *self,
                                 gboolean  succeeded);

/* The progress of a file job, shared by its thread and the window. */
typedef struct _StJobProgress StJobProgress;

/* Where the data set came from. */
#define ST_WINDOW_DATA_CSV ST_N_BUILTIN_DATA

struct _StWindow
{
  AdwApplicationWindow parent_instance;

  /* Template children */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkButton *start_button;
  AdwButtonContent *start_button_content;
  GtkToggleButton *presentation_button;
  GtkMenuButton *lessons_button;
  GtkWidget *sidebar;
  GtkWidget *sidebar_separator;
  GtkWidget *lesson_group;
  GtkLabel *lesson_title_label;
  GtkLabel *lesson_text_label;
  AdwActionRow *lesson_goal_row;
  GtkLabel *lesson_goal_label;
  AdwComboRow *optimizer_row;
  GtkSpinButton *learning_rate_spin;
  GtkSpinButton *batch_size_spin;
  GtkSpinButton *epochs_spin;
  GtkSpinButton *seed_spin;
  AdwComboRow *speed_row;
  GtkLabel *step_label;
  GtkLabel *epoch_label;
  GtkLabel *cost_label;
  GtkLabel *train_cost_label;
  GtkLabel *test_cost_label;
  AdwActionRow *test_cost_row;
  GtkLabel *accuracy_label;
  AdwActionRow *accuracy_row;
  AdwComboRow *dataset_row;
  AdwActionRow *samples_row;
  GtkSpinButton *samples_spin;
  AdwActionRow *noise_row;
  GtkSpinButton *noise_spin;
  GtkSpinButton *test_split_spin;
  AdwActionRow *dataset_info_row;
  GtkListBox *layer_list;
  AdwComboRow *new_pattern_row;
  GtkLabel *weights_label;
  GtkLabel *cost_readout_label;
  StCostPlot *cost_plot;
  GtkLabel *layer_title_label;
  GtkLabel *layer_shape_label;
  GtkDropDown *view_dropdown;
  GtkLabel *range_low_label;
  GtkWidget *scale_bar;
  GtkLabel *range_high_label;
  GtkSpinButton *range_spin;
  GtkWidget *structural_bar;
  StHeatmap *heatmap;
  GtkWidget *storage_scroller;
  StStorageView *storage_view;
  GtkLabel *stats_label;
  GtkLabel *readout_label;
  GtkScale *timeline_scale;
  GtkAdjustment *timeline_adjustment;
  GtkLabel *timeline_label;
  GMenu *recent_section;
  GMenu *lessons_section;
  GtkRevealer *job_revealer;
  GtkLabel *job_label;
  GtkProgressBar *job_progress_bar;
  GtkRevealer *divergence_revealer;
  GtkLabel *divergence_label;
  GtkButton *divergence_restore_button;

  /* Owned */
  GSettings *settings;
  StNetwork *initial_network;   /* the weights that Reset returns to */
  StNetwork *network;           /* the model while no worker trains it */
  StTrainingWorker *worker;     /* owns the model while the data set fits it */
  StDataset *dataset;           /* never NULL after init */
  char *dataset_name;
  guint dataset_kind;           /* StBuiltinData, or ST_WINDOW_DATA_CSV */
  GFile *dataset_file;          /* the CSV file, when dataset_kind says so */
  double dataset_noise;         /* of a built-in data set */
  GFile *file;                  /* where the model is saved; NULL if never */
  char *model_name;
  StSnapshot *snapshot;         /* the newest state */
  StNetworkPattern *pattern;    /* the patterns of the model now, with start weights */
  StNetworkPattern *shown_pattern; /* the pattern on the heat map */
  StRunHistory *history;
  GPtrArray *undo_stack;        /* StPatternEdit */
  GPtrArray *redo_stack;
  StLesson *lesson;             /* the lesson shown, or NULL */
  StHistoryRecord last_record;  /* the newest epoch; epoch 0 before the first */
  GCancellable *cancellable;    /* for background checks; cancelled on close */
  GFile *frame_log_file;        /* frame intervals are logged here, or NULL */
  gint64 frame_start;           /* monotonic time of the frame's before-paint */
  gint64 last_frame;            /* frame clock time of the previous frame */
  gint64 last_storage_update;   /* monotonic time the storage view last got values */
  GCancellable *job_cancellable; /* the file job running, or NULL */
  StJobProgress *job_progress;  /* its progress, while it runs */
  gint64 job_started;           /* monotonic time it started */
  guint job_timer_id;           /* shows and updates its progress bar */
  guint64 change_count;         /* counts every change that makes the model modified */
  StAutosave *autosave;         /* this window's autosave files */
  guint autosave_timer_id;
  guint64 autosaved_count;      /* change_count saved in the autosave file */
  GCancellable *autosave_cancellable; /* the autosave being written, or NULL */

  guint64 base_step;            /* steps before the current trainer's first */
  guint base_epoch;
  guint64 snapshot_interval;    /* steps between timeline frames now */
  int viewing_frame;            /* the timeline frame shown, or -1 for the newest */
  int finite_frame;             /* the frame the divergence banner offers, or -1 */
  guint selected_layer;
  guint edit_count;             /* seeds the weights of edits */

  guint running : 1;
  guint busy : 1;
  guint modified : 1;
  guint initial_saved : 1;      /* the initial weights equal the file's */
  guint close_confirmed : 1;
  guint presentation : 1;
  guint updating_controls : 1;  /* controls are being set from the state */
  guint goal_reached : 1;
  guint has_gradient : 1;       /* a step of the current trainer has computed a gradient */
  guint disposed : 1;           /* the widgets are gone; jobs still finishing must not touch them */
  guint autosave_stale : 1;     /* remove what the running autosave writes */
};

/* st-window.c */
void       _st_window_set_model             (StWindow        *self,
                                             StNetwork       *network,
                                             GFile           *file,
                                             const char      *name);
void       _st_window_set_model_full        (StWindow        *self,
                                             StNetwork       *network,
                                             GFile           *file,
                                             const char      *name,
                                             guint64          step,
                                             guint            epoch,
                                             const StHistory *records);
void       _st_window_set_dataset           (StWindow        *self,
                                             StDataset       *dataset,
                                             const char      *name,
                                             guint            kind);
void       _st_window_restart_training      (StWindow        *self,
                                             StNetwork       *network);
void       _st_window_restart_training_at   (StWindow        *self,
                                             StNetwork       *network,
                                             guint64          step,
                                             guint            epoch,
                                             const StHistory *records);
void       _st_window_continue_training     (StWindow        *self,
                                             StNetwork       *network);
void       _st_window_set_modified          (StWindow        *self,
                                             gboolean         modified);
void       _st_window_set_running           (StWindow        *self,
                                             gboolean         running);
char      *_st_window_dup_stem              (StWindow        *self);
void       _st_window_set_file              (StWindow        *self,
                                             GFile           *file);
gboolean   _st_window_data_fits             (const StDataset *dataset,
                                             const StNetwork *network,
                                             GError         **error);
gboolean   _st_window_dataset_fits          (StWindow        *self,
                                             const StNetwork *network,
                                             GError         **error);
void       _st_window_update_actions        (StWindow        *self);
void       _st_window_init_train_settings   (StWindow        *self,
                                             StTrainSettings *settings);
void       _st_window_select_layer          (StWindow        *self,
                                             guint            index);
void       _st_window_show_frame            (StWindow        *self,
                                             int              index);
void       _st_window_fill_layer_list       (StWindow        *self);
void       _st_window_show_toast            (StWindow        *self,
                                             const char      *format,
                                             ...) G_GNUC_PRINTF (2, 3);
guint64    _st_window_get_step              (StWindow        *self);
guint      _st_window_get_epoch             (StWindow        *self);
void       _st_window_update_goal           (StWindow        *self);
StNetwork *_st_window_build_network         (StWindow        *self,
                                             guint            n_inputs,
                                             const guint     *hidden,
                                             guint            n_hidden,
                                             guint            n_outputs,
                                             gboolean         classification,
                                             GError         **error);

/* st-window-actions.c */
void     _st_window_class_add_training_shortcuts (GtkWidgetClass *widget_class);
void     _st_window_add_training_actions         (StWindow       *self);
void     _st_window_sync_training_controls       (StWindow       *self);

/* st-window-data.c */
void     _st_window_add_data_actions    (StWindow             *self);
void     _st_window_sync_data_controls  (StWindow             *self);
gboolean _st_window_load_builtin        (StWindow             *self,
                                         StBuiltinData         kind,
                                         guint                 n_samples,
                                         double                noise,
                                         gboolean              replace_model);

/* st-window-files.c */
void     _st_window_add_file_actions    (StWindow             *self);
void     _st_window_show_error          (StWindow             *self,
                                         const char           *heading,
                                         const char           *body);
void     _st_window_confirm_discard     (StWindow             *self,
                                         StWindowContinueFunc  continue_func);
void     _st_window_add_recent          (StWindow             *self,
                                         GFile                *file);
void     _st_window_apply_saved_settings (StWindow            *self,
                                         const StTrainSettings *settings);
void     _st_window_update_gradient_export (StWindow          *self);
GtkFileChooserNative *_st_window_choose_save_file (StWindow   *self,
                                                   const char *title,
                                                   const char *filter_name,
                                                   const char *filter_pattern,
                                                   const char *suggested_name,
                                                   gboolean  (*func) (StWindow *, GFile *));

StModel *_st_window_describe_model      (StWindow             *self);
gboolean _st_window_finish_save         (StWindow             *self,
                                         GFile                *file,
                                         guint64               change_count,
                                         const GError         *error);
gboolean _st_window_finish_open_model   (StWindow             *self,
                                         GFile                *file,
                                         StModel              *model,
                                         const GError         *error);
StLayer *_st_window_read_pattern        (GFile                *file,
                                         StLayout              layout,
                                         guint64               seed,
                                         GCancellable         *cancellable,
                                         GError              **error);
void     _st_window_get_import_settings (StWindow             *self,
                                         StLayout             *layout,
                                         guint64              *seed);
gboolean _st_window_finish_import       (StWindow             *self,
                                         GFile                *file,
                                         StLayer              *layer,
                                         const GError         *read_error);
gboolean _st_window_finish_open_dataset (StWindow             *self,
                                         GFile                *file,
                                         StDataset            *dataset,
                                         const GError         *error);

/* st-window-jobs.c */
StJobProgress *st_job_progress_ref      (StJobProgress        *progress);
void     st_job_progress_unref          (StJobProgress        *progress);
void     st_job_progress_report         (double                fraction,
                                         gpointer              progress_data);
GCancellable *_st_window_begin_job      (StWindow             *self,
                                         const char           *message,
                                         StJobProgress       **progress);
gboolean _st_window_end_job             (StWindow             *self,
                                         GCancellable         *cancellable);
gboolean _st_window_has_job             (StWindow             *self);
void     _st_window_cancel_job          (StWindow             *self);
void     _st_window_add_job_actions     (StWindow             *self);
void     _st_window_open_model_async    (StWindow             *self,
                                         GFile                *file,
                                         StWindowJobDone       done);
void     _st_window_import_pattern_async (StWindow            *self,
                                         GFile                *file,
                                         StWindowJobDone       done);
void     _st_window_open_dataset_async  (StWindow             *self,
                                         GFile                *file,
                                         StWindowJobDone       done);
void     _st_window_save_model_async    (StWindow             *self,
                                         GFile                *file,
                                         StWindowContinueFunc  after_save);

/* st-window-autosave.c */
void     _st_window_init_autosave       (StWindow             *self);
void     _st_window_remove_autosave     (StWindow             *self);
void     _st_window_stop_autosave       (StWindow             *self);

/* st-window-edit.c */
void     _st_window_add_edit_actions    (StWindow             *self);
void     _st_window_update_edit_actions (StWindow             *self);
void     _st_window_clear_edits         (StWindow             *self);

/* st-window-history.c */
void     _st_window_add_history_actions (StWindow             *self);
void     _st_window_update_timeline     (StWindow             *self);
void     _st_window_add_frame           (StWindow             *self,
                                         StSnapshot           *snapshot);

/* st-window-divergence.c */
void     _st_window_add_divergence_actions (StWindow          *self);
void     _st_window_show_divergence     (StWindow             *self,
                                         const GError         *error);
void     _st_window_hide_divergence     (StWindow             *self);

/* st-window-view.c */
void     _st_window_add_view_actions    (StWindow             *self);
void     _st_window_update_layer_view   (StWindow             *self);
void     _st_window_start_frame_log     (StWindow             *self);

/* st-window-math.c */
void     _st_window_add_math_actions    (StWindow             *self);

/* st-window-export.c */
void     _st_window_add_export_actions  (StWindow             *self);

/* st-window-lessons.c */
void     _st_window_add_lesson_actions  (StWindow             *self);

G_END_DECLS
