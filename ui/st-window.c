/* st-window.c: the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window shows one model and one data set.  While the data set fits
 * the model, a StTrainingWorker owns the model and trains it in its own
 * thread; the window only ever sees the worker's snapshots.  When it does
 * not fit (after opening a model for another data set), the window keeps
 * the model itself and training is disabled until a fitting data set is
 * opened.
 *
 * This file manages the model and training state.  st-window-actions.c has
 * the training controls and st-window-files.c the file operations.
 */

#define G_LOG_DOMAIN "st-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "st-legend-bar.h"
#include "st-window-private.h"

#define WORKED_EXAMPLE_PATTERN "resource://" RESOURCE_PREFIX "/examples/worked-example.mtx"
#define WORKED_EXAMPLE_DATA "resource://" RESOURCE_PREFIX "/examples/worked-example.csv"

/* Batch size and seed of every training run the window starts. */
#define TRAINING_BATCH_SIZE 1
#define TRAINING_SEED 1

G_DEFINE_FINAL_TYPE (StWindow, st_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_MODIFIED,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
st_window_update_title (StWindow *self)
{
  g_autofree char *title = NULL;

  adw_window_title_set_title (self->window_title, self->model_name);
  adw_window_title_set_subtitle (self->window_title,
                                 self->modified ? _("Unsaved changes") : NULL);

  /* Translators: the window title; %s is the name of the model. */
  title = g_strdup_printf (_("%s – Sparse Trainer"), self->model_name);
  gtk_window_set_title (GTK_WINDOW (self), title);
}

void
_st_window_set_modified (StWindow *self,
                         gboolean  modified)
{
  modified = !!modified;
  if (self->modified == modified)
    return;

  self->modified = modified;
  st_window_update_title (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

static void
st_window_set_busy (StWindow *self,
                    gboolean  busy)
{
  busy = !!busy;
  if (self->busy == busy)
    return;

  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
_st_window_set_file (StWindow *self,
                     GFile    *file)
{
  g_set_object (&self->file, file);

  if (file != NULL)
    {
      g_free (self->model_name);
      self->model_name = g_file_get_basename (file);
    }

  st_window_update_title (self);
}

gboolean
_st_window_dataset_fits (StWindow         *self,
                         const StNetwork  *network,
                         GError          **error)
{
  return st_dataset_check_fits (self->dataset,
                                st_network_get_n_inputs (network),
                                st_network_get_n_outputs (network),
                                error);
}

static void
st_window_update_dataset_row (StWindow        *self,
                              const StNetwork *network)
{
  guint n_samples = st_dataset_get_n_samples (self->dataset);
  g_autofree char *subtitle = NULL;

  if (_st_window_dataset_fits (self, network, NULL))
    {
      /* Translators: %s is a file name, %u a number of samples. */
      subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %u sample", "%s, %u samples", n_samples),
                                  self->dataset_name, n_samples);
      gtk_widget_remove_css_class (GTK_WIDGET (self->dataset_row), "warning");
    }
  else
    {
      /* Translators: %s is a file name; the numbers are the model's inputs and outputs. */
      subtitle = g_strdup_printf (_("“%s” does not fit this model. Open a data set with %u inputs and %u outputs to train."),
                                  self->dataset_name,
                                  st_network_get_n_inputs (network),
                                  st_network_get_n_outputs (network));
      gtk_widget_add_css_class (GTK_WIDGET (self->dataset_row), "warning");
    }

  adw_action_row_set_subtitle (self->dataset_row, subtitle);
}

static void
st_window_update_model_rows (StWindow        *self,
                             const StNetwork *network)
{
  guint n_layers = st_network_get_n_layers (network);
  guint64 dense = 0;
  g_autofree char *layers = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *total = NULL;
  g_autofree char *share = NULL;
  g_autofree char *weights = NULL;

  for (guint l = 0; l < n_layers; l++)
    {
      StLayer *layer = st_network_get_layer (network, l);

      dense += (guint64) st_layer_get_rows (layer) * st_layer_get_cols (layer);
    }

  layers = g_strdup_printf ("%u", n_layers);
  gtk_label_set_label (self->layers_label, layers);

  stored = g_strdup_printf ("%" G_GSIZE_FORMAT, st_network_get_nnz (network));
  total = g_strdup_printf ("%" G_GUINT64_FORMAT, dense);
  share = g_strdup_printf ("%.3g", dense > 0 ? 100.0 * st_network_get_nnz (network) / dense : 0.0);

  /* Translators: stored weights out of all weights, then their share in percent. */
  weights = g_strdup_printf (_("%s of %s (%s %%)"), stored, total, share);
  gtk_label_set_label (self->weights_label, weights);
}

static void
st_window_show_layer_values (StWindow *self)
{
  if (self->snapshot == NULL || self->selected_layer >= st_snapshot_get_n_layers (self->snapshot))
    return;

  st_heatmap_set_snapshot (self->heatmap, self->snapshot, self->selected_layer);
}

static void
st_window_apply_snapshot (StWindow   *self,
                          StSnapshot *snapshot)
{
  g_autofree char *step = NULL;
  g_autofree char *epoch = NULL;
  g_autofree char *cost = NULL;
  double batch_cost = st_snapshot_get_batch_cost (snapshot);

  g_clear_pointer (&self->snapshot, st_snapshot_unref);
  self->snapshot = st_snapshot_ref (snapshot);

  step = g_strdup_printf ("%" G_GUINT64_FORMAT, st_snapshot_get_step (snapshot));
  epoch = g_strdup_printf ("%u", st_snapshot_get_epoch (snapshot));
  cost = isnan (batch_cost) ? g_strdup ("—") : g_strdup_printf ("%.6g", batch_cost);

  gtk_label_set_label (self->step_label, step);
  gtk_label_set_label (self->epoch_label, epoch);
  gtk_label_set_label (self->cost_label, cost);

  st_window_show_layer_values (self);
}

/* Shows layer @index of the model: its pattern comes from the initial
 * network, since patterns never change, and its values from the newest
 * snapshot. */
static void
st_window_select_layer (StWindow *self,
                        guint     index)
{
  StLayer *layer = st_network_get_layer (self->initial_network, index);
  gsize nnz = st_layer_get_nnz (layer);
  g_autofree guint *rows = g_new (guint, MAX (nnz, 1));
  g_autofree guint *cols = g_new (guint, MAX (nnz, 1));
  g_autofree double *start = g_new (double, MAX (nnz, 1));
  g_autofree char *shape = NULL;

  self->selected_layer = index;
  st_layer_copy_entries (layer, rows, cols, start, NULL);
  st_heatmap_set_pattern (self->heatmap, st_layer_get_rows (layer), st_layer_get_cols (layer),
                          nnz, rows, cols, start);

  /* Translators: the size of a weight matrix, rows (outputs) by columns (inputs). */
  shape = g_strdup_printf (_("%u × %u"), st_layer_get_rows (layer), st_layer_get_cols (layer));
  gtk_label_set_label (self->layer_shape_label, shape);

  st_window_show_layer_values (self);
}

static void
st_window_layer_selected (StWindow    *self,
                          GParamSpec  *pspec,
                          GtkDropDown *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (selected != GTK_INVALID_LIST_POSITION && self->initial_network != NULL &&
      selected < st_network_get_n_layers (self->initial_network))
    st_window_select_layer (self, selected);
}

static void
st_window_fill_layer_dropdown (StWindow *self)
{
  guint n_layers = st_network_get_n_layers (self->initial_network);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  for (guint l = 0; l < n_layers; l++)
    {
      /* Translators: an entry of the layer selector; layers count from 1. */
      g_autofree char *name = g_strdup_printf (_("Layer %u"), l + 1);

      gtk_string_list_append (names, name);
    }

  g_signal_handlers_block_by_func (self->layer_dropdown, st_window_layer_selected, self);
  gtk_drop_down_set_model (self->layer_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->layer_dropdown, 0);
  g_signal_handlers_unblock_by_func (self->layer_dropdown, st_window_layer_selected, self);

  gtk_widget_set_visible (GTK_WIDGET (self->layer_dropdown), n_layers > 1);
}

static void
st_window_range_changed (StWindow   *self,
                         GParamSpec *pspec,
                         StHeatmap  *heatmap)
{
  double range = st_heatmap_get_range (heatmap);
  g_autofree char *low = NULL;
  g_autofree char *high = NULL;

  if (range > 0.0)
    {
      low = g_strdup_printf ("−%.3g", range);
      high = g_strdup_printf ("%.3g", range);
    }
  else
    {
      low = g_strdup ("0");
      high = g_strdup ("0");
    }

  gtk_label_set_label (self->range_low_label, low);
  gtk_label_set_label (self->range_high_label, high);
}

static void
st_window_training_failed (StWindow     *self,
                           const GError *error)
{
  _st_window_show_error (self, _("Training Stopped"), error->message);
}

static void
st_window_worker_update (StWindow         *self,
                         StTrainingUpdate *update,
                         StTrainingWorker *worker)
{
  if (update->n_costs > 0)
    {
      st_cost_plot_append (self->cost_plot, update->costs, update->n_costs);
      _st_window_set_modified (self, TRUE);
    }

  st_window_apply_snapshot (self, update->snapshot);
  st_window_set_busy (self, update->busy);

  if (update->error != NULL)
    {
      _st_window_set_running (self, FALSE);
      st_window_training_failed (self, update->error);
    }
}

static void
st_window_stop_worker (StWindow *self)
{
  if (self->worker == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->worker, self);
  st_training_worker_shutdown (self->worker);
  g_clear_object (&self->worker);
}

static void
st_window_init_settings (StTrainSettings *settings,
                         StWindow        *self)
{
  GVariant *state = g_action_group_get_action_state (G_ACTION_GROUP (self), "learning-rate");

  st_train_settings_init_default (settings);
  settings->batch_size = TRAINING_BATCH_SIZE;
  settings->seed = TRAINING_SEED;
  settings->test_fraction = 0.0;

  if (state != NULL)
    {
      settings->learning_rate = g_variant_get_double (state);
      g_variant_unref (state);
    }
}

/**
 * _st_window_restart_training:
 * @self: a window
 * @network: (transfer full): the weights to train from
 *
 * Ends the current run and starts a new one from @network at step 0,
 * paused.  Without a fitting data set the window keeps @network and
 * training stays disabled.
 */
void
_st_window_restart_training (StWindow  *self,
                             StNetwork *network)
{
  g_autoptr(StSnapshot) snapshot = st_snapshot_new_from_network (network, 0, 0, NAN);
  g_autoptr(GError) error = NULL;
  StTrainSettings settings;
  StTrainer *trainer;

  st_window_stop_worker (self);
  g_clear_pointer (&self->network, st_network_free);
  self->running = FALSE;
  st_window_set_busy (self, FALSE);

  st_cost_plot_clear (self->cost_plot);
  st_window_apply_snapshot (self, snapshot);
  st_window_update_dataset_row (self, network);

  if (!_st_window_dataset_fits (self, network, NULL))
    {
      self->network = network;
      _st_window_update_actions (self);
      return;
    }

  st_window_init_settings (&settings, self);
  trainer = st_trainer_new (network, self->dataset, &settings, &error);
  if (trainer == NULL)
    {
      /* The trainer took the network and freed it, so keep the initial
       * weights instead; the checks above make this a programming error. */
      g_critical ("Could not start training: %s", error->message);
      self->network = st_network_copy (self->initial_network);
      _st_window_update_actions (self);
      return;
    }

  self->worker = st_training_worker_new (trainer);
  st_training_worker_set_steps_per_second (self->worker,
                                           g_settings_get_uint (self->settings, "steps-per-second"));
  g_signal_connect_object (self->worker, "update",
                           G_CALLBACK (st_window_worker_update), self, G_CONNECT_SWAPPED);

  _st_window_update_actions (self);
}

/**
 * _st_window_set_model:
 * @self: a window
 * @network: (transfer full): the new model
 * @file: (nullable): where it was read from, if it is a model file
 * @name: the name shown in the title
 *
 * Replaces the model, clears the history and selects the first layer.
 * The new model counts as unmodified.
 */
void
_st_window_set_model (StWindow   *self,
                      StNetwork  *network,
                      GFile      *file,
                      const char *name)
{
  st_window_stop_worker (self);

  g_clear_pointer (&self->initial_network, st_network_free);
  self->initial_network = st_network_copy (network);
  self->initial_saved = TRUE;

  g_free (self->model_name);
  self->model_name = g_strdup (name);
  _st_window_set_file (self, file);
  _st_window_set_modified (self, FALSE);

  /* The old snapshot belongs to the old model; drop it before the
   * heat map takes the new pattern. */
  g_clear_pointer (&self->snapshot, st_snapshot_unref);
  st_window_update_model_rows (self, network);
  st_window_fill_layer_dropdown (self);
  st_window_select_layer (self, 0);
  _st_window_restart_training (self, network);
}

/* Replaces the data set and restarts training from the current
 * weights; the model's unsaved changes stay. */
void
_st_window_set_dataset (StWindow   *self,
                        StDataset  *dataset,
                        const char *name)
{
  g_clear_pointer (&self->dataset, st_dataset_unref);
  self->dataset = st_dataset_ref (dataset);
  g_free (self->dataset_name);
  self->dataset_name = g_strdup (name);

  _st_window_restart_training (self, st_window_copy_network (self));
}

static void
st_window_load_worked_example (StWindow *self)
{
  g_autoptr(GFile) pattern_file = g_file_new_for_uri (WORKED_EXAMPLE_PATTERN);
  g_autoptr(GFile) data_file = g_file_new_for_uri (WORKED_EXAMPLE_DATA);
  g_autoptr(StMtx) mtx = NULL;
  g_autoptr(StNetwork) network = st_network_new (ST_LOSS_HALF_MSE);
  StLayer *layer;
  g_autoptr(GError) error = NULL;

  /* Both files are in the resources, so failing here is a build error. */
  if (!(mtx = st_mtx_read (pattern_file, NULL, &error)) ||
      !(layer = st_mtx_to_layer (mtx, ST_LAYOUT_CSR, &error)) ||
      !st_network_append_layer (network, layer, &error) ||
      !(self->dataset = st_dataset_load_csv (data_file, 2, 2, NULL, &error)))
    g_error ("The bundled worked example is broken: %s", error->message);

  self->dataset_name = g_strdup ("worked-example.csv");
  _st_window_set_model (self, g_steal_pointer (&network), NULL, _("Worked Example"));
}

/**
 * st_window_copy_network:
 * @self: a window
 *
 * Copies the live model.  While training runs this waits for the step
 * in progress, so the copy is always the state between two steps.
 *
 * Returns: (transfer full): a copy of the model
 */
StNetwork *
st_window_copy_network (StWindow *self)
{
  StNetwork *copy;
  StTrainer *trainer;

  g_return_val_if_fail (ST_IS_WINDOW (self), NULL);

  if (self->worker == NULL)
    return st_network_copy (self->network);

  trainer = st_training_worker_lock_trainer (self->worker);
  copy = st_network_copy (st_trainer_get_network (trainer));
  st_training_worker_unlock_trainer (self->worker);

  return copy;
}

/* Returns: whether the weights changed since they were opened or saved. */
gboolean
st_window_get_modified (StWindow *self)
{
  g_return_val_if_fail (ST_IS_WINDOW (self), FALSE);

  return self->modified;
}

/* Returns: whether the training thread had steps running or queued at
 * its newest update.  Becomes %FALSE once a pause or a step is done and
 * on screen. */
gboolean
st_window_get_busy (StWindow *self)
{
  g_return_val_if_fail (ST_IS_WINDOW (self), FALSE);

  return self->busy || (self->worker != NULL && self->running);
}

static void
st_window_close_confirmed (StWindow *self)
{
  self->close_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

static void
st_window_save_size (StWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
}

static gboolean
st_window_close_request (GtkWindow *window)
{
  StWindow *self = ST_WINDOW (window);

  if (self->modified && !self->close_confirmed)
    {
      _st_window_confirm_discard (self, st_window_close_confirmed);
      return TRUE;
    }

  st_window_save_size (self);

  return GTK_WINDOW_CLASS (st_window_parent_class)->close_request (window);
}

static void
st_window_dispose (GObject *object)
{
  StWindow *self = ST_WINDOW (object);

  /* Join the training thread first, so that no update arrives for
   * widgets that are going away. */
  st_window_stop_worker (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), ST_TYPE_WINDOW);

  g_clear_object (&self->settings);
  g_clear_object (&self->file);
  g_clear_pointer (&self->snapshot, st_snapshot_unref);
  g_clear_pointer (&self->dataset, st_dataset_unref);
  g_clear_pointer (&self->network, st_network_free);
  g_clear_pointer (&self->initial_network, st_network_free);

  G_OBJECT_CLASS (st_window_parent_class)->dispose (object);
}

static void
st_window_finalize (GObject *object)
{
  StWindow *self = ST_WINDOW (object);

  g_free (self->model_name);
  g_free (self->dataset_name);

  G_OBJECT_CLASS (st_window_parent_class)->finalize (object);
}

static void
st_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  StWindow *self = ST_WINDOW (object);

  switch (prop_id)
    {
    case PROP_MODIFIED:
      g_value_set_boolean (value, st_window_get_modified (self));
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, st_window_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
st_window_class_init (StWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = st_window_dispose;
  object_class->finalize = st_window_finalize;
  object_class->get_property = st_window_get_property;

  window_class->close_request = st_window_close_request;

  properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ST_TYPE_COST_PLOT);
  g_type_ensure (ST_TYPE_HEATMAP);
  g_type_ensure (ST_TYPE_LEGEND_BAR);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/st-window.ui");
  gtk_widget_class_bind_template_child (widget_class, StWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, StWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, StWindow, start_button);
  gtk_widget_class_bind_template_child (widget_class, StWindow, start_button_content);
  gtk_widget_class_bind_template_child (widget_class, StWindow, learning_rate_spin);
  gtk_widget_class_bind_template_child (widget_class, StWindow, speed_row);
  gtk_widget_class_bind_template_child (widget_class, StWindow, step_label);
  gtk_widget_class_bind_template_child (widget_class, StWindow, epoch_label);
  gtk_widget_class_bind_template_child (widget_class, StWindow, cost_label);
  gtk_widget_class_bind_template_child (widget_class, StWindow, layers_label);
  gtk_widget_class_bind_template_child (widget_class, StWindow, weights_label);
  gtk_widget_class_bind_template_child (widget_class, StWindow, dataset_row);
  gtk_widget_class_bind_template_child (widget_class, StWindow, cost_plot);
  gtk_widget_class_bind_template_child (widget_class, StWindow, layer_dropdown);
  gtk_widget_class_bind_template_child (widget_class, StWindow, layer_shape_label);
  gtk_widget_class_bind_template_child (widget_class, StWindow, range_low_label);
  gtk_widget_class_bind_template_child (widget_class, StWindow, range_high_label);
  gtk_widget_class_bind_template_child (widget_class, StWindow, heatmap);

  _st_window_class_add_training_shortcuts (widget_class);
}

static void
st_window_init (StWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  _st_window_add_training_actions (self);
  _st_window_add_file_actions (self);

  g_signal_connect_object (self->layer_dropdown, "notify::selected",
                           G_CALLBACK (st_window_layer_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->heatmap, "notify::range",
                           G_CALLBACK (st_window_range_changed), self, G_CONNECT_SWAPPED);

  st_window_load_worked_example (self);
  st_window_range_changed (self, NULL, self->heatmap);
}

StWindow *
st_window_new (GtkApplication *application)
{
  return g_object_new (ST_TYPE_WINDOW,
                       "application", application,
                       NULL);
}
