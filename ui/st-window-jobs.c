/* st-window-jobs.c: file work in a thread, with progress and cancel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opening, importing and saving run in a GTask thread, one job at a
 * time, so the window keeps drawing and training while a large file
 * loads.  A job that runs longer than JOB_PROGRESS_DELAY_MSEC shows a
 * bar under the header with its progress and a Cancel button
 * (win.cancel-file-work).
 *
 * The thread reports its progress into a StJobProgress, which the
 * main thread reads from a timer; the thread never touches the window.
 * A job holds only a weak reference on its window, so closing the
 * window disposes it at once, and dispose cancels the job.  The
 * completion callback then finds no window and drops the result.
 * While the window lives, _st_window_end_job() returns whether the
 * callback's job is still the window's.  The application is held while
 * a job runs, so that a cancelled save can remove its temporary file
 * before the process ends.
 */

#define G_LOG_DOMAIN "st-window"

#include "config.h"

#include <glib/gi18n.h>

#include "st-window-private.h"

/* Jobs shorter than this finish without showing a progress bar. */
#define JOB_PROGRESS_DELAY_MSEC 330

/* How often the bar follows the thread's progress. */
#define JOB_PROGRESS_INTERVAL_MSEC 100

struct _StJobProgress
{
  GMutex mutex;
  double fraction;   /* from 0 to 1, or negative while unknown */
};

static void
st_job_progress_clear (StJobProgress *progress)
{
  g_mutex_clear (&progress->mutex);
}

StJobProgress *
st_job_progress_ref (StJobProgress *progress)
{
  return g_atomic_rc_box_acquire (progress);
}

void
st_job_progress_unref (StJobProgress *progress)
{
  if (progress != NULL)
    g_atomic_rc_box_release_full (progress, (GDestroyNotify) st_job_progress_clear);
}

/* A StProgressFunc: stores @fraction for the main thread's timer. */
void
st_job_progress_report (double   fraction,
                        gpointer progress_data)
{
  StJobProgress *progress = progress_data;

  g_mutex_lock (&progress->mutex);
  progress->fraction = CLAMP (fraction, 0.0, 1.0);
  g_mutex_unlock (&progress->mutex);
}

static double
st_job_progress_get (StJobProgress *progress)
{
  double fraction;

  g_mutex_lock (&progress->mutex);
  fraction = progress->fraction;
  g_mutex_unlock (&progress->mutex);

  return fraction;
}

static GSimpleAction *
lookup_action (StWindow   *self,
               const char *name)
{
  return G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), name));
}

/* The file actions wait while a job runs; Cancel is there meanwhile. */
static void
st_window_update_job_actions (StWindow *self)
{
  static const char *const file_actions[] = {
    "open", "open-recent", "save", "save-as", "import-pattern", "open-dataset",
  };
  gboolean idle = self->job_cancellable == NULL;

  for (guint i = 0; i < G_N_ELEMENTS (file_actions); i++)
    g_simple_action_set_enabled (lookup_action (self, file_actions[i]), idle);
  g_simple_action_set_enabled (lookup_action (self, "cancel-file-work"), !idle);
}

static gboolean
st_window_job_tick (gpointer data)
{
  StWindow *self = data;
  gint64 elapsed = g_get_monotonic_time () - self->job_started;
  double fraction;

  if (elapsed < JOB_PROGRESS_DELAY_MSEC * G_TIME_SPAN_MILLISECOND)
    return G_SOURCE_CONTINUE;

  gtk_revealer_set_reveal_child (self->job_revealer, TRUE);

  /* Matrix Market and CSV files do not report how far they are. */
  fraction = st_job_progress_get (self->job_progress);
  if (fraction < 0.0)
    gtk_progress_bar_pulse (self->job_progress_bar);
  else
    gtk_progress_bar_set_fraction (self->job_progress_bar, fraction);

  return G_SOURCE_CONTINUE;
}

static void
st_window_stop_job_display (StWindow *self)
{
  g_clear_handle_id (&self->job_timer_id, g_source_remove);
  g_clear_pointer (&self->job_progress, st_job_progress_unref);
  if (self->job_revealer != NULL)
    gtk_revealer_set_reveal_child (self->job_revealer, FALSE);
}

/**
 * _st_window_begin_job:
 * @self: a window
 * @message: what the job does, for the progress bar
 * @progress: (out) (transfer full): where the thread reports its
 *   progress with st_job_progress_report()
 *
 * Starts the progress display of a new job.  A job still running is
 * cancelled first, and its callback will find it is no longer current.
 *
 * Returns: (transfer full): the new job's cancellable
 */
GCancellable *
_st_window_begin_job (StWindow       *self,
                      const char     *message,
                      StJobProgress **progress)
{
  if (self->job_cancellable != NULL)
    {
      g_cancellable_cancel (self->job_cancellable);
      g_clear_object (&self->job_cancellable);
    }
  st_window_stop_job_display (self);

  self->job_cancellable = g_cancellable_new ();
  self->job_progress = g_atomic_rc_box_new0 (StJobProgress);
  g_mutex_init (&self->job_progress->mutex);
  self->job_progress->fraction = -1.0;
  self->job_started = g_get_monotonic_time ();
  self->job_timer_id = g_timeout_add (JOB_PROGRESS_INTERVAL_MSEC, st_window_job_tick, self);

  gtk_label_set_label (self->job_label, message);
  gtk_progress_bar_set_fraction (self->job_progress_bar, 0.0);
  st_window_update_job_actions (self);

  /* Keeps the process alive until the thread has finished, also when
   * the window closes meanwhile; job_finish() releases it. */
  if (g_application_get_default () != NULL)
    g_application_hold (g_application_get_default ());

  *progress = st_job_progress_ref (self->job_progress);
  return g_object_ref (self->job_cancellable);
}

/**
 * _st_window_end_job:
 * @self: a window
 * @cancellable: the job's cancellable, from _st_window_begin_job()
 *
 * Ends the progress display of the job that @cancellable belongs to.
 * Call it first in every job's completion callback.
 *
 * Returns: %TRUE when the job is still the window's and was not
 *   cancelled, so its result may be applied; %FALSE when the window is
 *   gone, another job replaced it or the user cancelled it
 */
gboolean
_st_window_end_job (StWindow     *self,
                    GCancellable *cancellable)
{
  gboolean current = !self->disposed && cancellable == self->job_cancellable;

  if (current)
    {
      g_clear_object (&self->job_cancellable);
      st_window_stop_job_display (self);
      st_window_update_job_actions (self);
    }

  return current && !g_cancellable_is_cancelled (cancellable);
}

/* Whether a file job runs now. */
gboolean
_st_window_has_job (StWindow *self)
{
  return self->job_cancellable != NULL;
}

/* Called from dispose: the thread stops at its next check, and the
 * callback, which still runs, finds the window disposed. */
void
_st_window_cancel_job (StWindow *self)
{
  if (self->job_cancellable == NULL)
    return;

  g_cancellable_cancel (self->job_cancellable);
  g_clear_object (&self->job_cancellable);
  st_window_stop_job_display (self);
}

static void
cancel_file_work_activated (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);

  if (self->job_cancellable == NULL)
    return;

  /* The thread stops at its next check; the bar stays until then. */
  g_cancellable_cancel (self->job_cancellable);
  gtk_label_set_label (self->job_label, _("Cancelling…"));
  g_simple_action_set_enabled (lookup_action (self, "cancel-file-work"), FALSE);
}

static const GActionEntry job_entries[] = {
  { "cancel-file-work", cancel_file_work_activated },
};

/* Call after the file actions exist. */
void
_st_window_add_job_actions (StWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), job_entries, G_N_ELEMENTS (job_entries), self);
  st_window_update_job_actions (self);
}

/* The jobs */

/* What a job that reads a file makes of it. */
typedef enum
{
  JOB_OPEN_MODEL,
  JOB_IMPORT_PATTERN,
  JOB_OPEN_DATASET,
} JobKind;

typedef struct
{
  GWeakRef window;
  JobKind kind;            /* of a job that reads */
  GFile *file;
  StJobProgress *progress;
  StWindowJobDone done;
  StWindowContinueFunc after_save;
  StModel *model;          /* to save */
  char *path;              /* where to save it */
  guint64 change_count;    /* the window's, when the model was copied */
  StLayout layout;         /* of an imported pattern */
  guint64 seed;            /* of an imported pattern's weights */
  guint n_inputs;          /* of a data set to open */
  guint n_outputs;
} JobData;

static void
job_data_free (gpointer data)
{
  JobData *job = data;

  g_weak_ref_clear (&job->window);
  g_clear_object (&job->file);
  g_clear_pointer (&job->progress, st_job_progress_unref);
  g_clear_pointer (&job->model, st_model_free);
  g_free (job->path);
  g_free (job);
}

/* Starts @thread_func on a new job of @self, with @callback on the main
 * thread afterwards. */
static void
st_window_run_job (StWindow            *self,
                   const char          *message,
                   JobData             *job,
                   GTaskThreadFunc      thread_func,
                   GAsyncReadyCallback  callback)
{
  g_autoptr(GCancellable) cancellable = _st_window_begin_job (self, message, &job->progress);
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, NULL);

  g_weak_ref_init (&job->window, self);

  g_task_set_source_tag (task, st_window_run_job);
  g_task_set_task_data (task, job, job_data_free);
  g_task_run_in_thread (task, thread_func);
}

/* Ends @task's job.  Returns: (transfer full) (nullable): its window
 * when the window still exists, with @current set to whether the
 * result may be applied (see _st_window_end_job()). */
static StWindow *
job_finish (GTask    *task,
            gboolean *current)
{
  JobData *job = g_task_get_task_data (task);
  StWindow *self = g_weak_ref_get (&job->window);

  if (g_application_get_default () != NULL)
    g_application_release (g_application_get_default ());

  *current = self != NULL && _st_window_end_job (self, g_task_get_cancellable (task));
  return self;
}

static void
job_done (StWindow *self,
          JobData  *job,
          gboolean  succeeded)
{
  if (job->done != NULL)
    job->done (self, succeeded);
}

/* Reading a file: a model, a pattern or a data set.  The thread reads
 * and the main thread applies the result, each by the job's kind. */

/* Reads the job's file, in the thread.  Returns: (transfer full): its content. */
static gpointer
read_job_file (JobData       *job,
               GCancellable  *cancellable,
               GError       **error)
{
  switch (job->kind)
    {
    case JOB_OPEN_MODEL:
      return st_model_read (job->file, st_job_progress_report, job->progress, cancellable, error);
    case JOB_IMPORT_PATTERN:
      return _st_window_read_pattern (job->file, job->layout, job->seed, cancellable, error);
    case JOB_OPEN_DATASET:
      return st_dataset_load_csv (job->file, job->n_inputs, job->n_outputs, cancellable, error);
    default:
      g_assert_not_reached ();
    }
}

static GDestroyNotify
job_result_free_func (JobKind kind)
{
  switch (kind)
    {
    case JOB_OPEN_MODEL:
      return (GDestroyNotify) st_model_free;
    case JOB_IMPORT_PATTERN:
      return (GDestroyNotify) st_layer_free;
    case JOB_OPEN_DATASET:
      return (GDestroyNotify) st_dataset_unref;
    default:
      g_assert_not_reached ();
    }
}

/* Puts @result (transfer full), or @error, in the window.  Returns:
 * whether the window took the file. */
static gboolean
apply_job_result (StWindow     *self,
                  JobData      *job,
                  gpointer      result,
                  const GError *error)
{
  switch (job->kind)
    {
    case JOB_OPEN_MODEL:
      return _st_window_finish_open_model (self, job->file, result, error);
    case JOB_IMPORT_PATTERN:
      return _st_window_finish_import (self, job->file, result, error);
    case JOB_OPEN_DATASET:
      return _st_window_finish_open_dataset (self, job->file, result, error);
    default:
      g_assert_not_reached ();
    }
}

static void
read_file_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  JobData *job = task_data;
  GError *error = NULL;
  gpointer result = read_job_file (job, cancellable, &error);

  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, job_result_free_func (job->kind));
}

static void
read_file_done (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = G_TASK (result);
  JobData *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gpointer content = g_task_propagate_pointer (task, &error);
  gboolean current;
  g_autoptr(StWindow) self = job_finish (task, &current);

  if (!current)
    {
      if (content != NULL)
        job_result_free_func (job->kind) (content);
      return;
    }

  job_done (self, job, apply_job_result (self, job, content, error));
}

/* Returns: a job of @kind that reads @file, with @done to follow. */
static JobData *
read_job_new (JobKind          kind,
              GFile           *file,
              StWindowJobDone  done)
{
  JobData *job = g_new0 (JobData, 1);

  job->kind = kind;
  job->file = g_object_ref (file);
  job->done = done;
  return job;
}

/* Opens the model in @file in a thread; @done (nullable) follows unless
 * the job is cancelled.
 *
 * NOTE: only the reading runs in the thread.  Putting the model in the
 * window (copies for Reset, the pattern, the first snapshot) runs on
 * the main thread and took 140-250 ms for 2 million entries.
 * NOTE: the question about unsaved changes comes before the reading,
 * so steps trained while a model loads are replaced without a second
 * question. */
void
_st_window_open_model_async (StWindow        *self,
                             GFile           *file,
                             StWindowJobDone  done)
{
  JobData *job = read_job_new (JOB_OPEN_MODEL, file, done);
  g_autofree char *name = g_file_get_basename (file);
  /* Translators: %s is a file name. */
  g_autofree char *message = g_strdup_printf (_("Opening “%s”…"), name);

  st_window_run_job (self, message, job, read_file_thread, read_file_done);
}

/* Imports the Matrix Market file @file in a thread. */
void
_st_window_import_pattern_async (StWindow        *self,
                                 GFile           *file,
                                 StWindowJobDone  done)
{
  JobData *job = read_job_new (JOB_IMPORT_PATTERN, file, done);
  g_autofree char *name = g_file_get_basename (file);
  /* Translators: %s is a file name. */
  g_autofree char *message = g_strdup_printf (_("Importing “%s”…"), name);

  _st_window_get_import_settings (self, &job->layout, &job->seed);
  st_window_run_job (self, message, job, read_file_thread, read_file_done);
}

/* Opens the CSV file @file as the data set in a thread, checked against
 * the model's inputs and outputs as they are now. */
void
_st_window_open_dataset_async (StWindow        *self,
                               GFile           *file,
                               StWindowJobDone  done)
{
  JobData *job = read_job_new (JOB_OPEN_DATASET, file, done);
  g_autofree char *name = g_file_get_basename (file);
  /* Translators: %s is a file name. */
  g_autofree char *message = g_strdup_printf (_("Opening “%s”…"), name);

  job->n_inputs = st_network_get_n_inputs (self->initial_network);
  job->n_outputs = st_network_get_n_outputs (self->initial_network);
  st_window_run_job (self, message, job, read_file_thread, read_file_done);
}

/* Saving a model */

static void
save_model_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  JobData *job = task_data;
  GError *error = NULL;

  if (st_model_write (job->model, job->path, st_job_progress_report, job->progress, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
save_model_done (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = G_TASK (result);
  JobData *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean saved = g_task_propagate_boolean (task, &error);
  gboolean current;
  g_autoptr(StWindow) self = job_finish (task, &current);

  if (self == NULL)
    return;

  /* A save that completed before the cancel took effect has replaced
   * the file, so it counts as saved.  One that did not has left the old
   * file in place. */
  if (!saved && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *name = g_file_get_basename (job->file);

      if (!self->disposed)
        /* Translators: %s is a file name. */
        _st_window_show_toast (self, _("Save cancelled; “%s” is unchanged"), name);
      return;
    }

  if (self->disposed || (!current && !saved))
    return;

  if (_st_window_finish_save (self, job->file, job->change_count, error) && job->after_save != NULL)
    job->after_save (self);
}

/**
 * _st_window_save_model_async:
 * @self: a window
 * @file: where to save
 * @after_save: (nullable): what to do once the save succeeded
 *
 * Copies the model now and writes the copy in a thread, so training may
 * go on meanwhile.  The engine replaces @file only once the new one is
 * complete.
 */
void
_st_window_save_model_async (StWindow             *self,
                             GFile                *file,
                             StWindowContinueFunc  after_save)
{
  JobData *job = g_new0 (JobData, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  /* Translators: %s is a file name. */
  g_autofree char *message = g_strdup_printf (_("Saving “%s”…"), name);

  job->path = g_file_get_path (file);
  if (job->path == NULL)
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Only local files can be saved"));
      _st_window_finish_save (self, file, self->change_count, error);
      job_data_free (job);
      return;
    }

  job->file = g_object_ref (file);
  job->after_save = after_save;
  job->change_count = self->change_count;
  job->model = _st_window_describe_model (self);
  st_window_run_job (self, message, job, save_model_thread, save_model_done);
}
