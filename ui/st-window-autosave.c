/* st-window-autosave.c: autosaving unsaved work, and recovering it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * While the model has unsaved changes, a timer writes the whole model
 * (network, optimizer state, settings, history and class names) to the
 * window's autosave (st-autosave.c) every st_autosave_get_interval_ms().
 * The write runs in a GTask thread.  While training runs, the thread
 * copies the network from the trainer between two steps, so the main
 * thread copies nothing.  The epoch costs come from the window, so they
 * may lag the weights by the epochs that the last update did not bring
 * yet.
 *
 * The autosave goes away whenever the model becomes unmodified (saved,
 * replaced or reset after the question about unsaved changes) and when
 * the window closes normally.  st_window_recover_autosave() opens a
 * leftover of a session that ended without closing, as unsaved work.
 */

#define G_LOG_DOMAIN "st-window"

#include "config.h"

#include <glib/gi18n.h>

#include "st-window-private.h"

typedef struct
{
  StTrainingWorker *worker;   /* copy the network from its trainer, or */
  StNetwork *network;         /* this copy, made while no worker trains */
  guint64 base_step;
  guint base_epoch;
  StTrainSettings settings;
  StHistory *history;
  char **class_names;
  char *model_path;
  char *info_path;
  char *info;                 /* the key file's text */
  guint64 change_count;       /* the window's, when the autosave started */
} AutosaveData;

static void
autosave_data_free (gpointer data)
{
  AutosaveData *autosave = data;

  g_clear_object (&autosave->worker);
  g_clear_pointer (&autosave->network, st_network_free);
  g_clear_pointer (&autosave->history, st_history_free);
  g_strfreev (autosave->class_names);
  g_free (autosave->model_path);
  g_free (autosave->info_path);
  g_free (autosave->info);
  g_free (autosave);
}

/* Describes where the model and its data set come from, so that a
 * recovery can open them alike. */
static char *
st_window_describe_autosave (StWindow *self)
{
  g_autoptr(GKeyFile) info = g_key_file_new ();

  g_key_file_set_string (info, "model", "name", self->model_name);
  if (self->file != NULL)
    {
      g_autofree char *uri = g_file_get_uri (self->file);

      g_key_file_set_string (info, "model", "file", uri);
    }

  if (self->dataset_kind < ST_N_BUILTIN_DATA)
    {
      g_key_file_set_string (info, "data", "kind", st_builtin_data_get_id (self->dataset_kind));
      g_key_file_set_uint64 (info, "data", "samples", st_dataset_get_n_samples (self->dataset));
      g_key_file_set_double (info, "data", "noise", self->dataset_noise);
    }
  else if (self->dataset_file != NULL)
    {
      g_autofree char *uri = g_file_get_uri (self->dataset_file);

      g_key_file_set_string (info, "data", "kind", "csv");
      g_key_file_set_string (info, "data", "file", uri);
    }

  return g_key_file_to_data (info, NULL, NULL);
}

static void
autosave_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  AutosaveData *data = task_data;
  g_autoptr(StModel) model = NULL;
  StNetwork *network = g_steal_pointer (&data->network);
  guint64 step = data->base_step;
  guint epoch = data->base_epoch;
  GError *error = NULL;

  if (data->worker != NULL)
    {
      StTrainer *trainer = st_training_worker_lock_trainer (data->worker);

      /* NULL once the window has replaced the worker meanwhile. */
      if (trainer != NULL)
        {
          network = st_network_copy (st_trainer_get_network (trainer));
          step += st_trainer_get_step (trainer);
          epoch += st_trainer_get_epoch (trainer);
        }
      st_training_worker_unlock_trainer (data->worker);
    }

  if (network == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The model went away");
      return;
    }

  model = st_model_new (network);
  model->has_training = TRUE;
  model->settings = data->settings;
  model->step = step;
  model->epoch = epoch;
  model->history = g_steal_pointer (&data->history);
  model->class_names = g_steal_pointer (&data->class_names);

  /* The description first: recovery starts from the model file, and a
   * process killed between the two writes must not leave a model whose
   * file name and data set are missing (the first autosave) or older. */
  if (!g_file_set_contents (data->info_path, data->info, -1, &error) ||
      !st_model_write (model, data->model_path, NULL, NULL, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
autosave_done (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  StWindow *self = ST_WINDOW (source_object);
  GTask *task = G_TASK (result);
  AutosaveData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean saved = g_task_propagate_boolean (task, &error);

  /* The worker is let go here, on the main thread, where it lives. */
  g_clear_object (&data->worker);
  g_clear_object (&self->autosave_cancellable);
  if (g_application_get_default () != NULL)
    g_application_release (g_application_get_default ());

  /* The work was saved, discarded or closed while the thread wrote:
   * the file it may have written is stale. */
  if (self->disposed || self->autosave_stale)
    {
      self->autosave_stale = FALSE;
      st_autosave_remove (self->autosave);
      return;
    }

  if (!saved)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Autosave to %s failed: %s", self->autosave->model_path, error->message);
      return;
    }

  self->autosaved_count = data->change_count;
  g_debug ("Autosaved “%s” to %s", self->model_name, self->autosave->model_path);
}

static void
st_window_autosave (StWindow *self)
{
  AutosaveData *data;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  if (!st_autosave_lock (self->autosave, &error))
    {
      g_warning ("Autosave is off for this window: %s", error->message);
      g_clear_handle_id (&self->autosave_timer_id, g_source_remove);
      return;
    }

  data = g_new0 (AutosaveData, 1);
  if (self->worker != NULL)
    data->worker = g_object_ref (self->worker);
  else
    data->network = st_network_copy (self->network);
  data->base_step = self->base_step;
  data->base_epoch = self->base_epoch;
  _st_window_init_train_settings (self, &data->settings);
  data->history = st_history_copy (st_run_history_get_records (self->history));
  if (st_dataset_is_classification (self->dataset))
    data->class_names = g_strdupv ((char **) st_dataset_get_class_names (self->dataset));
  data->model_path = g_strdup (self->autosave->model_path);
  data->info_path = g_strdup (self->autosave->info_path);
  data->info = st_window_describe_autosave (self);
  data->change_count = self->change_count;

  /* Without a worker, the window's copy of the model is the state. */
  if (self->worker == NULL)
    {
      data->base_step = _st_window_get_step (self);
      data->base_epoch = _st_window_get_epoch (self);
    }

  self->autosave_cancellable = g_cancellable_new ();
  if (g_application_get_default () != NULL)
    g_application_hold (g_application_get_default ());
  task = g_task_new (self, self->autosave_cancellable, autosave_done, NULL);
  g_task_set_source_tag (task, st_window_autosave);
  g_task_set_task_data (task, data, autosave_data_free);
  g_task_run_in_thread (task, autosave_thread);
}

static gboolean
autosave_tick (gpointer user_data)
{
  StWindow *self = user_data;

  if (self->modified && self->change_count != self->autosaved_count &&
      self->autosave_cancellable == NULL)
    st_window_autosave (self);

  return G_SOURCE_CONTINUE;
}

/* Starts the timer; call once, from init. */
void
_st_window_init_autosave (StWindow *self)
{
  guint interval = st_autosave_get_interval_ms ();

  self->autosave = st_autosave_new ();
  if (interval > 0)
    self->autosave_timer_id = g_timeout_add (interval, autosave_tick, self);
}

/* Removes the window's autosave, because its work is saved, discarded,
 * or closed normally.  An autosave still being written is cancelled,
 * and its file removed once the thread ends. */
void
_st_window_remove_autosave (StWindow *self)
{
  if (self->autosave == NULL)
    return;

  if (self->autosave_cancellable != NULL)
    {
      g_cancellable_cancel (self->autosave_cancellable);
      self->autosave_stale = TRUE;
    }

  st_autosave_remove (self->autosave);
  self->autosaved_count = 0;
}

/* Called from dispose. */
void
_st_window_stop_autosave (StWindow *self)
{
  g_clear_handle_id (&self->autosave_timer_id, g_source_remove);
  _st_window_remove_autosave (self);
}

/* A data set as the autosave describes it, or %NULL when it cannot be
 * made again; then the window keeps the one it has. */
static StDataset *
load_described_dataset (GKeyFile         *info,
                        const StNetwork  *network,
                        char            **name,
                        guint            *kind,
                        double           *noise,
                        GFile           **file)
{
  g_autofree char *id = g_key_file_get_string (info, "data", "kind", NULL);
  StBuiltinData builtin;

  if (id != NULL && st_builtin_data_from_id (id, &builtin))
    {
      guint64 samples = g_key_file_get_uint64 (info, "data", "samples", NULL);

      *noise = g_key_file_get_double (info, "data", "noise", NULL);
      *kind = builtin;
      *name = g_strdup (st_builtin_data_get_name (builtin));
      return st_builtin_data_generate (builtin, (guint) CLAMP (samples, 4, G_MAXUINT), *noise, 1);
    }

  if (g_strcmp0 (id, "csv") == 0)
    {
      g_autofree char *uri = g_key_file_get_string (info, "data", "file", NULL);
      g_autoptr(GError) error = NULL;
      StDataset *dataset;

      if (uri == NULL)
        return NULL;

      *file = g_file_new_for_uri (uri);
      dataset = st_dataset_load_csv (*file, st_network_get_n_inputs (network),
                                     st_network_get_n_outputs (network), NULL, &error);
      if (dataset == NULL)
        {
          g_message ("The recovered model's data set is not available: %s", error->message);
          g_clear_object (file);
          return NULL;
        }

      *kind = ST_WINDOW_DATA_CSV;
      *name = g_file_get_basename (*file);
      return dataset;
    }

  return NULL;
}

/**
 * st_window_recover_autosave:
 * @self: a window
 * @leftover: a locked autosave of a session that ended without closing
 * @error: return location for an error
 *
 * Opens @leftover as unsaved work: the model with its training state,
 * its data set when that can be made again, and the file it belongs
 * to, so that Save writes there.  The window's autosave takes over
 * @leftover's files.
 *
 * Returns: %FALSE with @error set when the autosave cannot be read; the
 *   window then stays as it was
 */
gboolean
st_window_recover_autosave (StWindow    *self,
                            StAutosave  *leftover,
                            GError     **error)
{
  g_autoptr(GFile) model_file = g_file_new_for_path (leftover->model_path);
  g_autoptr(GKeyFile) info = g_key_file_new ();
  g_autoptr(StModel) model = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) dataset_file = NULL;
  g_autoptr(StDataset) dataset = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *name = NULL;
  g_autofree char *dataset_name = NULL;
  g_autoptr(GError) take_error = NULL;
  guint dataset_kind = ST_WINDOW_DATA_CSV;
  double noise = 0.0;

  g_return_val_if_fail (ST_IS_WINDOW (self), FALSE);

  model = st_model_read (model_file, NULL, NULL, NULL, error);
  if (model == NULL)
    return FALSE;

  g_key_file_load_from_file (info, leftover->info_path, G_KEY_FILE_NONE, NULL);
  uri = g_key_file_get_string (info, "model", "file", NULL);
  if (uri != NULL)
    file = g_file_new_for_uri (uri);
  name = g_key_file_get_string (info, "model", "name", NULL);

  /* The data set first: a new one restarts the count of steps, which
   * the model then sets from its file. */
  dataset = load_described_dataset (info, model->network, &dataset_name, &dataset_kind, &noise, &dataset_file);
  if (dataset != NULL)
    {
      g_clear_pointer (&self->dataset, st_dataset_unref);
      self->dataset = g_steal_pointer (&dataset);
      g_free (self->dataset_name);
      self->dataset_name = g_steal_pointer (&dataset_name);
      self->dataset_kind = dataset_kind;
      self->dataset_noise = noise;
      g_set_object (&self->dataset_file, dataset_file);
    }

  if (model->has_training)
    _st_window_apply_saved_settings (self, &model->settings);
  g_clear_pointer (&self->lesson, st_lesson_free);
  gtk_widget_set_visible (self->lesson_group, FALSE);
  _st_window_set_model_full (self, g_steal_pointer (&model->network), file,
                             name != NULL ? name : _("Recovered Model"),
                             model->has_training ? model->step : 0,
                             model->has_training ? model->epoch : 0,
                             model->has_training ? model->history : NULL);
  _st_window_sync_data_controls (self);
  _st_window_set_modified (self, TRUE);

  /* The leftover's file is this state: it becomes the window's own
   * autosave, so the work stays safe until it is saved. */
  if (st_autosave_take_over (self->autosave, leftover, &take_error))
    self->autosaved_count = self->change_count;
  else
    g_warning ("Could not keep the recovered autosave: %s", take_error->message);

  return TRUE;
}
