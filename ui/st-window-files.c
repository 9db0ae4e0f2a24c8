/* st-window-files.c: opening and saving models, patterns and data sets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each operation reads or writes the whole file before it touches the
 * window's state, so a file that fails to load leaves the model and data
 * set as they were.  Failures show a dialog that names the file and
 * gives the engine's message.
 *
 * The window's actions, dropped files and files from the command line
 * read and write in a thread (st-window-jobs.c).  This file has the
 * parts that run on the main thread, before and after.  The public
 * st_window_open_model() and its siblings do the whole work on the
 * calling thread, for tests and scripts that need the result at once.
 *
 * Files opened or saved go into the recent files list, which the
 * "Open Recent" menu shows.  Files dropped on the window open by their
 * extension, like files given on the command line.
 */

#define G_LOG_DOMAIN "st-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "st-window-private.h"

/* Shows an error dialog whose heading names the file and whose body
 * gives the reason. */
void
_st_window_show_error (StWindow   *self,
                       const char *heading,
                       const char *body)
{
  GtkWidget *dialog;

  g_message ("%s: %s", heading, body);

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

static void st_window_show_file_error (StWindow     *self,
                                       const GError *error,
                                       const char   *heading_format,
                                       ...) G_GNUC_PRINTF (3, 4);

/* Shows @error under a heading that names the file. */
static void
st_window_show_file_error (StWindow     *self,
                           const GError *error,
                           const char   *heading_format,
                           ...)
{
  g_autofree char *heading = NULL;
  va_list args;

  va_start (args, heading_format);
  heading = g_strdup_vprintf (heading_format, args);
  va_end (args);

  _st_window_show_error (self, heading, error->message);
}

/* The file's name without its extension, for the window title. */
static char *
file_get_stem (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  char *dot = strrchr (name, '.');

  if (dot != NULL && dot != name)
    *dot = '\0';

  return g_steal_pointer (&name);
}

/* Sets the training controls from a model file's settings, without
 * starting a trainer for each. */
void
_st_window_apply_saved_settings (StWindow              *self,
                                const StTrainSettings *settings)
{
  GActionGroup *group = G_ACTION_GROUP (self);

  self->updating_controls = TRUE;
  g_action_group_change_action_state (group, "optimizer",
                                      g_variant_new_string (st_optimizer_kind_to_string (settings->optimizer.kind)));
  g_action_group_change_action_state (group, "learning-rate", g_variant_new_double (settings->learning_rate));
  g_action_group_change_action_state (group, "batch-size", g_variant_new_uint32 (settings->batch_size));
  g_action_group_change_action_state (group, "seed", g_variant_new_uint32 ((guint32) settings->seed));
  g_action_group_change_action_state (group, "test-split", g_variant_new_double (100.0 * settings->test_fraction));
  g_action_group_change_action_state (group, "standardize", g_variant_new_boolean (settings->standardize));
  self->updating_controls = FALSE;
  _st_window_sync_training_controls (self);
}

/**
 * _st_window_finish_open_model:
 * @self: a window
 * @file: the model file
 * @model: (transfer full) (nullable): what st_model_read() returned
 * @error: (nullable): why it returned %NULL
 *
 * Puts @model in the window, or shows @error and leaves everything as
 * it was.
 *
 * Returns: whether the model is in place
 */
gboolean
_st_window_finish_open_model (StWindow     *self,
                              GFile        *file,
                              StModel      *model,
                              const GError *error)
{
  g_autoptr(StModel) owned = model;
  g_autofree char *name = g_file_get_basename (file);
  StNetwork *network;

  if (owned == NULL)
    {
      /* Translators: %s is a file name. */
      st_window_show_file_error (self, error, _("Could Not Open “%s”"), name);
      return FALSE;
    }

  /* A trained model brings its settings and goes on counting from its
   * steps and epochs. */
  if (owned->has_training)
    _st_window_apply_saved_settings (self, &owned->settings);

  g_clear_pointer (&self->lesson, st_lesson_free);
  gtk_widget_set_visible (self->lesson_group, FALSE);
  network = g_steal_pointer (&owned->network);
  _st_window_set_model_full (self, network, file, NULL,
                             owned->has_training ? owned->step : 0,
                             owned->has_training ? owned->epoch : 0,
                             owned->has_training ? owned->history : NULL);
  _st_window_add_recent (self, file);
  return TRUE;
}

/* Reads the model on the calling thread; the window's own actions use
 * _st_window_open_model_async(). */
gboolean
st_window_open_model (StWindow *self,
                      GFile    *file)
{
  g_autoptr(GError) error = NULL;
  StModel *model;

  g_return_val_if_fail (ST_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  model = st_model_read (file, NULL, NULL, NULL, &error);
  return _st_window_finish_open_model (self, file, model, error);
}

/**
 * _st_window_read_pattern:
 * @file: a Matrix Market file
 * @layout: the layout of the layer
 * @seed: seeds the initial weights of a file without values
 * @cancellable: (nullable): stops the reading
 * @error: return location for an error
 *
 * Reads @file into a layer.  Touches no window, so it may run in a
 * thread.
 *
 * Returns: (transfer full): the layer, or %NULL with @error set
 */
StLayer *
_st_window_read_pattern (GFile         *file,
                         StLayout       layout,
                         guint64        seed,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(StMtx) mtx = NULL;
  StLayer *layer;

  mtx = st_mtx_read (file, cancellable, error);
  if (mtx == NULL)
    return NULL;

  layer = st_mtx_to_layer (mtx, layout, error);
  if (layer == NULL)
    return NULL;

  /* A pattern file has positions but no values: draw initial weights
   * from the configured seed, so an import is reproducible. */
  if (!mtx->has_values)
    {
      g_autoptr(gsl_rng) rng = st_random_new (seed);

      st_pattern_init_weights (layer, rng);
    }

  return layer;
}

/* The layout and seed of imported patterns, from the settings. */
void
_st_window_get_import_settings (StWindow *self,
                                StLayout *layout,
                                guint64  *seed)
{
  g_autofree char *layout_name = g_settings_get_string (self->settings, "default-layout");

  *layout = ST_LAYOUT_CSR;
  st_layout_from_string (layout_name, layout);
  *seed = g_settings_get_uint64 (self->settings, "pattern-seed");
}

/* Explains why a rows x cols pattern cannot map the data set's inputs
 * to its outputs. */
static void
st_window_show_pattern_mismatch (StWindow      *self,
                                 GFile         *file,
                                 const StLayer *layer)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  guint n_inputs = st_dataset_get_n_inputs (self->dataset);
  guint n_outputs = st_dataset_is_classification (self->dataset)
                    ? st_dataset_get_n_classes (self->dataset)
                    : st_dataset_get_n_targets (self->dataset);

  /* Translators: %s is a file name. */
  heading = g_strdup_printf (_("“%s” Does Not Fit the Data Set"), name);

  /* Translators: the numbers are sizes; rows are outputs and columns inputs. */
  body = g_strdup_printf (_("The pattern has %u rows and %u columns, "
                            "but the data set “%s” has %u outputs and %u inputs. "
                            "Import a pattern with %u rows and %u columns, "
                            "or open a data set that fits the pattern first."),
                          st_layer_get_rows (layer), st_layer_get_cols (layer),
                          self->dataset_name, n_outputs, n_inputs,
                          n_outputs, n_inputs);

  _st_window_show_error (self, heading, body);
}

/**
 * _st_window_finish_import:
 * @self: a window
 * @file: the Matrix Market file
 * @layer: (transfer full) (nullable): what _st_window_read_pattern()
 *   returned
 * @read_error: (nullable): why it returned %NULL
 *
 * Makes @layer a one-layer model, or shows why it cannot be one.
 *
 * Returns: whether the model is in place
 */
gboolean
_st_window_finish_import (StWindow     *self,
                          GFile        *file,
                          StLayer      *layer,
                          const GError *read_error)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StNetwork) network = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *stem = NULL;
  gboolean classification;

  if (layer == NULL)
    {
      /* Translators: %s is a file name. */
      st_window_show_file_error (self, read_error, _("Could Not Import “%s”"), name);
      return FALSE;
    }

  /* Classes need a softmax output with cross-entropy; targets are fitted
   * with a linear output and half the mean squared error. */
  classification = st_dataset_is_classification (self->dataset);
  st_layer_set_activation (layer, classification ? ST_ACTIVATION_SOFTMAX : ST_ACTIVATION_IDENTITY);
  network = st_network_new (classification ? ST_LOSS_SOFTMAX_CROSS_ENTROPY : ST_LOSS_HALF_MSE);

  if (!st_network_append_layer (network, layer, &error) || !st_network_validate (network, &error))
    {
      st_window_show_file_error (self, error, _("Could Not Import “%s”"), name);
      return FALSE;
    }

  if (!_st_window_dataset_fits (self, network, NULL))
    {
      st_window_show_pattern_mismatch (self, file, st_network_get_layer (network, 0));
      return FALSE;
    }

  stem = file_get_stem (file);
  g_clear_pointer (&self->lesson, st_lesson_free);
  gtk_widget_set_visible (self->lesson_group, FALSE);
  _st_window_set_model (self, g_steal_pointer (&network), NULL, stem);
  _st_window_add_recent (self, file);
  return TRUE;
}

/* Reads the pattern on the calling thread; the window's own actions
 * use _st_window_import_pattern_async(). */
gboolean
st_window_import_pattern (StWindow *self,
                          GFile    *file)
{
  g_autoptr(GError) error = NULL;
  StLayout layout;
  guint64 seed;
  StLayer *layer;

  g_return_val_if_fail (ST_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  _st_window_get_import_settings (self, &layout, &seed);
  layer = _st_window_read_pattern (file, layout, seed, NULL, &error);
  return _st_window_finish_import (self, file, layer, error);
}

/**
 * _st_window_finish_open_dataset:
 * @self: a window
 * @file: the CSV file
 * @dataset: (transfer full) (nullable): what st_dataset_load_csv()
 *   returned
 * @error: (nullable): why it returned %NULL
 *
 * Puts @dataset in the window, or shows @error.
 *
 * Returns: whether the data set is in place
 */
gboolean
_st_window_finish_open_dataset (StWindow     *self,
                                GFile        *file,
                                StDataset    *dataset,
                                const GError *error)
{
  g_autoptr(StDataset) owned = dataset;
  g_autofree char *name = g_file_get_basename (file);

  if (owned == NULL)
    {
      /* Translators: %s is a file name. */
      st_window_show_file_error (self, error, _("Could Not Open Data Set “%s”"), name);
      return FALSE;
    }

  _st_window_set_running (self, FALSE);
  g_set_object (&self->dataset_file, file);
  _st_window_set_dataset (self, owned, name, ST_WINDOW_DATA_CSV);
  _st_window_add_recent (self, file);
  return TRUE;
}

/* Reads the data set on the calling thread; the window's own actions
 * use _st_window_open_dataset_async(). */
gboolean
st_window_open_dataset (StWindow *self,
                        GFile    *file)
{
  g_autoptr(GError) error = NULL;
  StDataset *dataset;

  g_return_val_if_fail (ST_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  dataset = st_dataset_load_csv (file,
                                 st_network_get_n_inputs (self->initial_network),
                                 st_network_get_n_outputs (self->initial_network),
                                 NULL, &error);
  return _st_window_finish_open_dataset (self, file, dataset, error);
}

/* Fills the training part of @model: the settings, the steps and
 * epochs so far, the epoch costs and the class names. */
static void
st_window_describe_training (StWindow *self,
                             StModel  *model)
{
  model->has_training = TRUE;
  _st_window_init_train_settings (self, &model->settings);
  model->step = _st_window_get_step (self);
  model->epoch = _st_window_get_epoch (self);
  model->history = st_history_copy (st_run_history_get_records (self->history));

  /* A data set that does not fit the model names classes of another
   * model, and a file with them could not be opened again. */
  if (st_dataset_is_classification (self->dataset) &&
      _st_window_dataset_fits (self, model->network, NULL))
    {
      guint n_classes = st_dataset_get_n_classes (self->dataset);

      model->class_names = g_new0 (char *, n_classes + 1);
      for (guint c = 0; c < n_classes; c++)
        model->class_names[c] = g_strdup (st_dataset_get_class_name (self->dataset, c));
    }
}

/**
 * _st_window_describe_model:
 * @self: a window
 *
 * Copies the live model with its training state, for a save.  The copy
 * waits for the step in progress, if any.
 *
 * Returns: (transfer full): the model to write
 */
StModel *
_st_window_describe_model (StWindow *self)
{
  StModel *model = st_model_new (st_window_copy_network (self));

  st_window_describe_training (self, model);
  return model;
}

/**
 * _st_window_finish_save:
 * @self: a window
 * @file: the file written
 * @change_count: the window's change_count when the model was copied
 * @error: (nullable): why the save failed, or %NULL when it succeeded
 *
 * Marks the model saved in @file, or shows @error.  Changes made while
 * the file was written (training went on) stay unsaved.
 *
 * Returns: whether the save succeeded
 */
gboolean
_st_window_finish_save (StWindow     *self,
                        GFile        *file,
                        guint64       change_count,
                        const GError *error)
{
  g_autofree char *name = g_file_get_basename (file);

  if (error != NULL)
    {
      /* Translators: %s is a file name. */
      st_window_show_file_error (self, error, _("Could Not Save “%s”"), name);
      return FALSE;
    }

  /* Once trained weights are saved, Reset leads away from the file. */
  if (self->snapshot != NULL && st_snapshot_get_step (self->snapshot) > 0)
    self->initial_saved = FALSE;

  _st_window_set_file (self, file);
  if (self->change_count == change_count)
    _st_window_set_modified (self, FALSE);
  _st_window_add_recent (self, file);
  /* Translators: %s is a file name. */
  _st_window_show_toast (self, _("Saved “%s”"), name);
  return TRUE;
}

/* Writes the model on the calling thread; the window's own actions use
 * _st_window_save_model_async(). */
gboolean
st_window_save_model (StWindow *self,
                      GFile    *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  guint64 change_count;

  g_return_val_if_fail (ST_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  change_count = self->change_count;
  if (path == NULL)
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Only local files can be saved"));
    }
  else
    {
      g_autoptr(StModel) model = _st_window_describe_model (self);

      st_model_write (model, path, NULL, NULL, NULL, &error);
    }

  return _st_window_finish_save (self, file, change_count, error);
}

gboolean
st_window_export_pattern (StWindow *self,
                          GFile    *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StNetwork) network = NULL;
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *name = g_file_get_basename (file);
  g_autofree guint *rows = NULL;
  g_autofree guint *cols = NULL;
  g_autofree double *values = NULL;
  StLayer *layer;
  gsize nnz;

  g_return_val_if_fail (ST_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  network = st_window_copy_network (self);
  layer = st_network_get_layer (network, self->selected_layer);
  nnz = st_layer_get_nnz (layer);
  rows = g_new (guint, MAX (nnz, 1));
  cols = g_new (guint, MAX (nnz, 1));
  values = g_new (double, MAX (nnz, 1));
  st_layer_copy_entries (layer, rows, cols, values, NULL);

  if (path == NULL)
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                 _("Only local files can be saved"));

  if (path == NULL ||
      !st_mtx_write_coordinate (path, st_layer_get_rows (layer), st_layer_get_cols (layer),
                                nnz, rows, cols, values, &error))
    {
      /* Translators: %s is a file name. */
      st_window_show_file_error (self, error, _("Could Not Export “%s”"), name);
      return FALSE;
    }

  /* Translators: %s is a file name. */
  _st_window_show_toast (self, _("Exported the layer to “%s”"), name);
  return TRUE;
}

/**
 * st_window_export_gradient:
 * @self: a window
 * @file: where to write
 *
 * Writes the shown layer's gradient of the last training batch as a
 * Matrix Market coordinate file, one line per stored entry, zeros
 * included, so that the file has the layer's pattern.
 *
 * Returns: %FALSE, with an error dialog, when there is no gradient yet
 *   or the file cannot be written
 */
gboolean
st_window_export_gradient (StWindow *self,
                           GFile    *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  const StLayerPattern *lp = NULL;
  guint layer = self->selected_layer;

  g_return_val_if_fail (ST_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  name = g_file_get_basename (file);
  if (self->pattern != NULL && layer < st_network_pattern_get_n_layers (self->pattern))
    lp = st_network_pattern_get_layer (self->pattern, layer);

  if (!self->has_gradient || self->snapshot == NULL || lp == NULL ||
      layer >= st_snapshot_get_n_layers (self->snapshot) ||
      st_snapshot_get_nnz (self->snapshot, layer) != lp->nnz)
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 _("No gradient has been computed yet. Take a training step first."));
  else if (path == NULL)
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                 _("Only local files can be saved"));

  /* The snapshot's gradient is in the pattern's canonical order, the
   * order of lp's entry arrays. */
  if (error == NULL)
    st_mtx_write_coordinate (path, lp->rows, lp->cols, lp->nnz, lp->entry_rows, lp->entry_cols,
                             st_snapshot_get_gradient (self->snapshot, layer), &error);

  if (error != NULL)
    {
      /* Translators: %s is a file name. */
      st_window_show_file_error (self, error, _("Could Not Export “%s”"), name);
      return FALSE;
    }

  /* Translators: %s is a file name. */
  _st_window_show_toast (self, _("Exported the gradient to “%s”"), name);
  return TRUE;
}

/* Export Gradient is insensitive until a step has computed a gradient.
 * The menu item stays in place: items that appear and disappear while
 * an accessibility client watches made GTK 4.8 crash. */
void
_st_window_update_gradient_export (StWindow *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "export-gradient");

  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), self->has_gradient);
}

/* File choosers */

typedef gboolean (*StWindowFileFunc) (StWindow *self,
                                      GFile    *file);

/* The chooser callbacks that start the work in a thread. */
static gboolean
st_window_start_open_model (StWindow *self,
                            GFile    *file)
{
  _st_window_open_model_async (self, file, NULL);
  return TRUE;
}

static gboolean
st_window_start_import_pattern (StWindow *self,
                                GFile    *file)
{
  _st_window_import_pattern_async (self, file, NULL);
  return TRUE;
}

static gboolean
st_window_start_open_dataset (StWindow *self,
                              GFile    *file)
{
  _st_window_open_dataset_async (self, file, NULL);
  return TRUE;
}

static void
st_window_chooser_response (GtkNativeDialog *chooser,
                            int              response,
                            StWindow        *self)
{
  StWindowFileFunc func = g_object_get_data (G_OBJECT (chooser), "st-file-func");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      func (self, file);
    }

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
add_filter (GtkFileChooser *chooser,
            const char     *name,
            const char     *pattern)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
add_all_files_filter (GtkFileChooser *chooser)
{
  add_filter (chooser, _("All Files"), "*");
}

/* Shows a native file chooser that calls @func with the chosen file.
 * Returns: (transfer none): the chooser, alive until it responds. */
static GtkFileChooserNative *
st_window_choose_file (StWindow             *self,
                       const char           *title,
                       GtkFileChooserAction  action,
                       const char           *accept_label,
                       const char           *filter_name,
                       const char           *filter_pattern,
                       const char           *suggested_name,
                       StWindowFileFunc      func)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action, accept_label, _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  add_filter (GTK_FILE_CHOOSER (chooser), filter_name, filter_pattern);
  add_all_files_filter (GTK_FILE_CHOOSER (chooser));
  /* Saves and exports start beside the model's file, where its other
   * files most likely go, rather than in the folder the app started in. */
  if (action == GTK_FILE_CHOOSER_ACTION_SAVE && self->file != NULL)
    {
      g_autoptr(GFile) folder = g_file_get_parent (self->file);

      if (folder != NULL)
        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
    }
  if (suggested_name != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested_name);

  g_object_set_data (G_OBJECT (chooser), "st-file-func", func);
  g_signal_connect (chooser, "response", G_CALLBACK (st_window_chooser_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));

  return chooser;
}

static void
st_window_choose_model_to_open (StWindow *self)
{
  st_window_choose_file (self, _("Open Model"), GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"),
                         _("Sparse Trainer Models"), "*" ST_MODEL_EXTENSION, NULL,
                         st_window_start_open_model);
}

static void
st_window_choose_pattern_to_import (StWindow *self)
{
  st_window_choose_file (self, _("Import Pattern"), GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"),
                         _("Matrix Market Files"), "*.mtx*", NULL,
                         st_window_start_import_pattern);
}

/* Adds the model extension when the user typed a name without it. */
static GFile *
with_model_extension (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autoptr(GFile) parent = NULL;
  g_autofree char *full_name = NULL;

  if (g_str_has_suffix (name, ST_MODEL_EXTENSION))
    return g_object_ref (file);

  parent = g_file_get_parent (file);
  full_name = g_strconcat (name, ST_MODEL_EXTENSION, NULL);
  return g_file_get_child (parent, full_name);
}

/* Starts a save to the chosen file, then the chooser's continuation. */
static gboolean
st_window_save_model_as (StWindow *self,
                         GFile    *file)
{
  StWindowContinueFunc after_save = g_object_get_data (G_OBJECT (self), "st-after-save");
  g_autoptr(GFile) target = with_model_extension (file);

  g_object_set_data (G_OBJECT (self), "st-after-save", NULL);
  _st_window_save_model_async (self, target, after_save);
  return TRUE;
}

static void
st_window_choose_save_location (StWindow             *self,
                                StWindowContinueFunc  after_save)
{
  g_autofree char *stem = _st_window_dup_stem (self);
  g_autofree char *suggested = g_strconcat (stem, ST_MODEL_EXTENSION, NULL);

  /* A cancelled chooser leaves it, and the next chooser replaces it. */
  g_object_set_data (G_OBJECT (self), "st-after-save", after_save);
  st_window_choose_file (self, _("Save Model"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                         _("Sparse Trainer Models"), "*" ST_MODEL_EXTENSION,
                         suggested, st_window_save_model_as);
}

/* Saves to the model's file, or shows a file chooser when it has none.
 * The save runs in a thread, and @after_save runs once it succeeded. */
static void
st_window_save_then (StWindow             *self,
                     StWindowContinueFunc  after_save)
{
  if (self->file == NULL)
    {
      st_window_choose_save_location (self, after_save);
      return;
    }

  _st_window_save_model_async (self, self->file, after_save);
}

/* Unsaved changes */

typedef struct
{
  StWindow *window;
  StWindowContinueFunc continue_func;
  gboolean save;
} DiscardChoice;

static gboolean
st_window_apply_discard_choice (gpointer data)
{
  DiscardChoice *choice = data;

  if (choice->save)
    st_window_save_then (choice->window, choice->continue_func);
  else
    choice->continue_func (choice->window);

  g_object_unref (choice->window);
  g_free (choice);
  return G_SOURCE_REMOVE;
}

/* The choice is applied from an idle, after the dialog has closed
 * itself, because continuing may destroy the window the dialog is
 * transient for. */
static void
st_window_discard_response (AdwMessageDialog *dialog,
                            const char       *response,
                            StWindow         *self)
{
  DiscardChoice *choice;

  if (g_strcmp0 (response, "save") != 0 && g_strcmp0 (response, "discard") != 0)
    return;

  choice = g_new0 (DiscardChoice, 1);
  choice->window = g_object_ref (self);
  choice->continue_func = g_object_get_data (G_OBJECT (dialog), "st-continue-func");
  choice->save = g_strcmp0 (response, "save") == 0;
  g_idle_add (st_window_apply_discard_choice, choice);
}

/**
 * _st_window_confirm_discard:
 * @self: a window
 * @continue_func: what to do once the changes are saved or discarded
 *
 * Calls @continue_func at once when nothing is unsaved.  Otherwise asks
 * whether to save, discard or cancel, and calls it after a successful
 * save or a discard.
 */
void
_st_window_confirm_discard (StWindow             *self,
                            StWindowContinueFunc  continue_func)
{
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (!self->modified)
    {
      continue_func (self);
      return;
    }

  /* Translators: %s is the name of the model. */
  body = g_strdup_printf (_("The weights of “%s” changed since it was last saved. "
                            "Changes that are not saved are lost."),
                          self->model_name);

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Save Changes?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  g_object_set_data (G_OBJECT (dialog), "st-continue-func", continue_func);
  g_signal_connect_object (dialog, "response", G_CALLBACK (st_window_discard_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Actions */

static void
open_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  _st_window_confirm_discard (ST_WINDOW (user_data), st_window_choose_model_to_open);
}

static void
save_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  st_window_save_then (ST_WINDOW (user_data), NULL);
}

static void
save_as_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  st_window_choose_save_location (ST_WINDOW (user_data), NULL);
}

static void
import_pattern_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  _st_window_confirm_discard (ST_WINDOW (user_data), st_window_choose_pattern_to_import);
}

static void
export_pattern_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);
  g_autofree char *stem = _st_window_dup_stem (self);
  g_autofree char *suggested = NULL;

  /* Translators: the suggested file name of an exported layer; %s is the model name, %u the layer number. */
  suggested = g_strdup_printf (_("%s-layer-%u.mtx"), stem, self->selected_layer + 1);
  st_window_choose_file (self, _("Export Pattern"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                         _("Matrix Market Files"), "*.mtx", suggested,
                         st_window_export_pattern);
}

static void
export_gradient_activated (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);
  g_autofree char *stem = _st_window_dup_stem (self);
  g_autofree char *suggested = NULL;

  /* Translators: the suggested file name of an exported gradient; %s is the model name, %u the layer number. */
  suggested = g_strdup_printf (_("%s-layer-%u-gradient.mtx"), stem, self->selected_layer + 1);
  st_window_choose_file (self, _("Export Gradient"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                         _("Matrix Market Files"), "*.mtx", suggested,
                         st_window_export_gradient);
}

static void
open_dataset_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  st_window_choose_file (ST_WINDOW (user_data), _("Open Data Set"), GTK_FILE_CHOOSER_ACTION_OPEN,
                         _("_Open"), _("CSV Files"), "*.csv*", NULL,
                         st_window_start_open_dataset);
}

/* Opens @file by its extension: .mtx as a pattern, .csv as a data set,
 * anything else as a model.  Does not ask about unsaved changes. */
gboolean
st_window_open_file (StWindow *self,
                     GFile    *file)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (ST_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  name = g_ascii_strdown (g_file_peek_path (file) != NULL ? g_file_peek_path (file) : "", -1);
  if (g_str_has_suffix (name, ".mtx") || g_str_has_suffix (name, ".mtx.gz"))
    return st_window_import_pattern (self, file);
  if (g_str_has_suffix (name, ".csv") || g_str_has_suffix (name, ".csv.gz"))
    return st_window_open_dataset (self, file);

  return st_window_open_model (self, file);
}

static gboolean
file_replaces_model (GFile *file)
{
  g_autofree char *name = g_ascii_strdown (g_file_peek_path (file) != NULL ? g_file_peek_path (file) : "", -1);

  return !g_str_has_suffix (name, ".csv") && !g_str_has_suffix (name, ".csv.gz");
}

/* Opens the first pending file in a thread; its completion opens the
 * next, so a data set opens after the model it belongs to.  A cancelled
 * file leaves the rest unopened. */
static void
st_window_open_next_pending (StWindow *self,
                             gboolean  previous_succeeded)
{
  GPtrArray *files = g_object_get_data (G_OBJECT (self), "st-pending-files");
  g_autoptr(GFile) file = NULL;
  g_autofree char *name = NULL;

  if (files == NULL || files->len == 0)
    {
      g_object_set_data (G_OBJECT (self), "st-pending-files", NULL);
      return;
    }

  file = g_object_ref (g_ptr_array_index (files, 0));
  g_ptr_array_remove_index (files, 0);

  name = g_ascii_strdown (g_file_peek_path (file) != NULL ? g_file_peek_path (file) : "", -1);
  if (g_str_has_suffix (name, ".mtx") || g_str_has_suffix (name, ".mtx.gz"))
    _st_window_import_pattern_async (self, file, st_window_open_next_pending);
  else if (!file_replaces_model (file))
    _st_window_open_dataset_async (self, file, st_window_open_next_pending);
  else
    _st_window_open_model_async (self, file, st_window_open_next_pending);
}

static void
st_window_open_pending_files (StWindow *self)
{
  st_window_open_next_pending (self, TRUE);
}

/**
 * st_window_open_files:
 * @self: a window
 * @files: (array length=n_files): files to open, by their extension
 * @n_files: how many
 *
 * Opens @files one after the other in a thread, as st_window_open_file()
 * would, without asking about unsaved changes.  Errors show a dialog;
 * the files after a failed one still open.
 */
void
st_window_open_files (StWindow  *self,
                      GFile    **files,
                      guint      n_files)
{
  GPtrArray *pending;

  g_return_if_fail (ST_IS_WINDOW (self));

  pending = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (pending, g_object_ref (files[i]));
  g_object_set_data_full (G_OBJECT (self), "st-pending-files", pending,
                          (GDestroyNotify) g_ptr_array_unref);
  st_window_open_next_pending (self, TRUE);
}

/* Opens @files in order, asking first about unsaved changes when one of
 * them replaces the model. */
static void
st_window_open_files_asking (StWindow  *self,
                             GPtrArray *files)
{
  gboolean replaces = FALSE;

  for (guint i = 0; i < files->len; i++)
    replaces |= file_replaces_model (g_ptr_array_index (files, i));

  g_object_set_data_full (G_OBJECT (self), "st-pending-files", g_ptr_array_ref (files),
                          (GDestroyNotify) g_ptr_array_unref);
  if (replaces)
    _st_window_confirm_discard (self, st_window_open_pending_files);
  else
    st_window_open_pending_files (self);
}

/* Recent files */

#define RECENT_APP_NAME "sparse-trainer"
#define MAX_RECENT 8

void
_st_window_add_recent (StWindow *self,
                       GFile    *file)
{
  g_autofree char *uri = g_file_get_uri (file);
  g_autofree char *name = g_file_get_basename (file);
  GtkRecentData data = {
    .display_name = name,
    .mime_type = (char *) (file_replaces_model (file) ? "application/octet-stream" : "text/csv"),
    .app_name = (char *) RECENT_APP_NAME,
    .app_exec = (char *) "sparse-trainer %u",
  };

  gtk_recent_manager_add_full (gtk_recent_manager_get_default (), uri, &data);
}

static int
compare_recent (gconstpointer a,
                gconstpointer b)
{
  GtkRecentInfo *x = *(GtkRecentInfo **) a;
  GtkRecentInfo *y = *(GtkRecentInfo **) b;
  GDateTime *tx = gtk_recent_info_get_modified (x);
  GDateTime *ty = gtk_recent_info_get_modified (y);

  return g_date_time_compare (ty, tx);
}

static void
st_window_update_recent_menu (StWindow *self)
{
  GList *items = gtk_recent_manager_get_items (gtk_recent_manager_get_default ());
  g_autoptr(GPtrArray) ours = g_ptr_array_new ();

  g_menu_remove_all (self->recent_section);

  for (GList *l = items; l != NULL; l = l->next)
    if (gtk_recent_info_has_application (l->data, RECENT_APP_NAME) && gtk_recent_info_exists (l->data))
      g_ptr_array_add (ours, l->data);
  g_ptr_array_sort (ours, compare_recent);

  for (guint i = 0; i < ours->len && i < MAX_RECENT; i++)
    {
      GtkRecentInfo *info = g_ptr_array_index (ours, i);
      g_autoptr(GMenuItem) item = g_menu_item_new (gtk_recent_info_get_display_name (info), NULL);

      g_menu_item_set_action_and_target_value (item, "win.open-recent",
                                               g_variant_new_string (gtk_recent_info_get_uri (info)));
      g_menu_append_item (self->recent_section, item);
    }

  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);
}

static void
open_recent_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (files, g_file_new_for_uri (g_variant_get_string (parameter, NULL)));
  st_window_open_files_asking (self, files);
}

/* Drag and drop */

static gboolean
st_window_drop (StWindow      *self,
                const GValue  *value,
                double         x,
                double         y,
                GtkDropTarget *target)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      for (GSList *l = g_value_get_boxed (value); l != NULL; l = l->next)
        g_ptr_array_add (files, g_object_ref (l->data));
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    {
      g_ptr_array_add (files, g_value_dup_object (value));
    }

  /* One file job at a time; the drop is refused while one runs. */
  if (files->len == 0 || _st_window_has_job (self))
    return FALSE;

  st_window_open_files_asking (self, files);
  return TRUE;
}

static const GActionEntry file_entries[] = {
  { "open", open_activated },
  { "save", save_activated },
  { "save-as", save_as_activated },
  { "import-pattern", import_pattern_activated },
  { "export-pattern", export_pattern_activated },
  { "export-gradient", export_gradient_activated },
  { "open-dataset", open_dataset_activated },
  { "open-recent", open_recent_activated, "s" },
};

void
_st_window_add_file_actions (StWindow *self)
{
  GtkDropTarget *target;

  g_action_map_add_action_entries (G_ACTION_MAP (self), file_entries,
                                   G_N_ELEMENTS (file_entries), self);
  _st_window_update_gradient_export (self);

  target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (target, (GType[]) { GDK_TYPE_FILE_LIST, G_TYPE_FILE }, 2);
  g_signal_connect_object (target, "drop", G_CALLBACK (st_window_drop), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));

  g_signal_connect_object (gtk_recent_manager_get_default (), "changed",
                           G_CALLBACK (st_window_update_recent_menu), self, G_CONNECT_SWAPPED);
  st_window_update_recent_menu (self);
}

/* Shows a save chooser that calls @func with the file; for exports. */
GtkFileChooserNative *
_st_window_choose_save_file (StWindow   *self,
                             const char *title,
                             const char *filter_name,
                             const char *filter_pattern,
                             const char *suggested_name,
                             gboolean  (*func) (StWindow *, GFile *))
{
  return st_window_choose_file (self, title, GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                filter_name, filter_pattern, suggested_name, func);
}
