/* st-training-worker.c: a thread that runs a trainer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The worker thread owns the trainer and never calls GTK.  The main
 * thread sends it commands (run, pause, one step, learning rate, speed,
 * quit) through fields guarded by `mutex` and a condition variable.
 *
 * Results travel the other way as snapshots.  Under `mutex`, the thread
 * publishes the newest snapshot and the costs of the steps since the last
 * publication.  It does so at most once per frame interval, and whenever
 * it stops.  It then marks the delivery source ready unless a delivery
 * is pending.  The delivery takes whatever is newest, so the window gets
 * at most one update per publication and never queues up stale ones,
 * however fast training runs.
 *
 * The delivery source is created once, on the main thread, and the
 * worker wakes it with g_source_set_ready_time().  Attaching a new idle
 * source for each publication made the worker insert into the main
 * context's table of sources, whose lock ThreadSanitizer cannot see in
 * an uninstrumented GLib: it reported a data race there at random.
 *
 * `trainer_mutex` is held for each step, so the main thread may read the
 * live model between steps with st_training_worker_lock_trainer().  Lock
 * order: trainer_mutex before mutex, never the other way.
 */

#define G_LOG_DOMAIN "st-training-worker"

#include "config.h"

#include "st-training-worker.h"

/* Shortest time between two publications, in microseconds: one frame
 * at 60 Hz. */
#define PUBLISH_INTERVAL_USEC (G_USEC_PER_SEC / 60)

/* Publishing copies every weight, so for a large model it is not free.
 * The worker waits at least this many times as long as the last copy
 * took before publishing again, which keeps copies under about 3 % of
 * its time. */
#define PUBLISH_COST_FACTOR 32

struct _StTrainingWorker
{
  GObject parent_instance;

  GThread *thread;

  /* Held by the worker for every step. */
  GMutex trainer_mutex;
  StTrainer *trainer;

  /* Everything below is guarded by mutex. */
  GMutex mutex;
  GCond cond;

  /* Commands from the main thread. */
  guint pending_steps;
  double learning_rate;
  guint steps_per_second;     /* 0 for no limit */
  guint64 snapshot_interval;  /* steps between timeline frames; 0 for none */
  guint epoch_limit;          /* pause when the trainer reaches it; 0 for none */
  guint running : 1;
  guint announce_pause : 1;   /* publish once paused, even with nothing new */
  guint learning_rate_changed : 1;
  guint quit : 1;

  /* Results for the main thread. */
  StSnapshot *published;
  GArray *published_costs;    /* double */
  GError *published_error;
  GPtrArray *published_frames;  /* StSnapshot */
  GArray *published_records;    /* StHistoryRecord */
  guint published_busy : 1;
  guint published_limit : 1;
  GSource *delivery;           /* on the main context; ready when an update waits */
  guint delivery_pending : 1;
};

G_DEFINE_FINAL_TYPE (StTrainingWorker, st_training_worker, G_TYPE_OBJECT)

enum {
  UPDATE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* State private to the worker thread. */
typedef struct
{
  GArray *costs;              /* double, since the last publication */
  GPtrArray *frames;          /* StSnapshot, since the last publication */
  GArray *records;            /* StHistoryRecord, likewise */
  guint history_epoch;        /* the newest epoch of the trainer's history passed on */
  GError *error;
  gint64 last_publish;
  gint64 publish_duration;    /* of the last snapshot copy, microseconds */
  gint64 next_step;           /* monotonic time of the next paced step */
  gboolean dirty;             /* steps taken since the last publication */
  gboolean reached_limit;
} WorkerState;

/* Runs on the main thread. */
static gboolean
st_training_worker_deliver (gpointer data)
{
  StTrainingWorker *self = data;
  g_autoptr(StSnapshot) snapshot = NULL;
  g_autoptr(GArray) costs = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) frames = NULL;
  g_autoptr(GArray) records = NULL;
  StTrainingUpdate update;
  gboolean busy, limit;

  g_mutex_lock (&self->mutex);
  self->delivery_pending = FALSE;
  snapshot = g_steal_pointer (&self->published);
  costs = g_steal_pointer (&self->published_costs);
  error = g_steal_pointer (&self->published_error);
  frames = g_steal_pointer (&self->published_frames);
  records = g_steal_pointer (&self->published_records);
  busy = self->published_busy;
  limit = self->published_limit;
  self->published_limit = FALSE;
  g_mutex_unlock (&self->mutex);

  if (snapshot == NULL)
    return G_SOURCE_CONTINUE;

  update = (StTrainingUpdate) {
    .snapshot = snapshot,
    .costs = costs != NULL ? (const double *) (gconstpointer) costs->data : NULL,
    .n_costs = costs != NULL ? costs->len : 0,
    .error = error,
    .busy = busy,
    .frames = frames,
    .records = records != NULL ? (const StHistoryRecord *) (gconstpointer) records->data : NULL,
    .n_records = records != NULL ? records->len : 0,
    .reached_epoch_limit = limit,
  };
  g_signal_emit (self, signals[UPDATE], 0, &update);

  return G_SOURCE_CONTINUE;
}

/* Runs on the main thread once the worker marked the source ready. */
static gboolean
delivery_dispatch (GSource     *source,
                   GSourceFunc  callback,
                   gpointer     user_data)
{
  /* Not ready again until the next publication; one that comes before
   * the callback takes its data is delivered by this dispatch. */
  g_source_set_ready_time (source, -1);

  return callback (user_data);
}

static GSourceFuncs delivery_funcs = {
  .dispatch = delivery_dispatch,
};

/* Runs on the worker thread, without either lock held. */
static void
st_training_worker_publish (StTrainingWorker *self,
                            WorkerState      *state)
{
  StSnapshot *snapshot;
  gint64 started = g_get_monotonic_time ();

  g_mutex_lock (&self->trainer_mutex);
  snapshot = st_trainer_create_snapshot (self->trainer);
  g_mutex_unlock (&self->trainer_mutex);
  state->publish_duration = g_get_monotonic_time () - started;

  g_mutex_lock (&self->mutex);

  g_clear_pointer (&self->published, st_snapshot_unref);
  self->published = snapshot;

  if (self->published_costs == NULL)
    self->published_costs = g_array_new (FALSE, FALSE, sizeof (double));
  g_array_append_vals (self->published_costs, state->costs->data, state->costs->len);
  g_array_set_size (state->costs, 0);

  if (state->error != NULL)
    {
      g_clear_error (&self->published_error);
      self->published_error = g_steal_pointer (&state->error);
    }

  if (state->frames->len > 0)
    {
      if (self->published_frames == NULL)
        self->published_frames = g_ptr_array_new_with_free_func ((GDestroyNotify) st_snapshot_unref);
      for (guint i = 0; i < state->frames->len; i++)
        g_ptr_array_add (self->published_frames, g_ptr_array_index (state->frames, i));
      g_ptr_array_set_free_func (state->frames, NULL);
      g_ptr_array_set_size (state->frames, 0);
      g_ptr_array_set_free_func (state->frames, (GDestroyNotify) st_snapshot_unref);
    }

  if (state->records->len > 0)
    {
      if (self->published_records == NULL)
        self->published_records = g_array_new (FALSE, FALSE, sizeof (StHistoryRecord));
      g_array_append_vals (self->published_records, state->records->data, state->records->len);
      g_array_set_size (state->records, 0);
    }

  if (state->reached_limit)
    self->published_limit = TRUE;
  state->reached_limit = FALSE;

  self->published_busy = self->running || self->pending_steps > 0;

  if (!self->delivery_pending)
    {
      self->delivery_pending = TRUE;
      g_source_set_ready_time (self->delivery, 0);
    }

  g_mutex_unlock (&self->mutex);

  state->dirty = FALSE;
  state->last_publish = g_get_monotonic_time ();
}

/* Blocks until there is a step to take.  Publishes what is unpublished
 * before sleeping, so a paused worker always shows its last step.
 * Returns: %FALSE when the worker must quit. */
static gboolean
st_training_worker_wait_for_step (StTrainingWorker *self,
                                  WorkerState      *state)
{
  g_mutex_lock (&self->mutex);

  for (;;)
    {
      gint64 now;

      if (self->quit)
        {
          g_mutex_unlock (&self->mutex);
          return FALSE;
        }

      if (self->pending_steps > 0)
        {
          self->pending_steps--;
          break;
        }

      now = g_get_monotonic_time ();
      if (self->running && (self->steps_per_second == 0 || now >= state->next_step))
        break;

      /* A pause is always published, so the window learns that the
       * worker is idle even when its last step was published already. */
      if (state->dirty || (!self->running && self->announce_pause))
        {
          self->announce_pause = FALSE;
          g_mutex_unlock (&self->mutex);
          st_training_worker_publish (self, state);
          g_mutex_lock (&self->mutex);
          continue;
        }

      if (self->running)
        g_cond_wait_until (&self->cond, &self->mutex, state->next_step);
      else
        g_cond_wait (&self->cond, &self->mutex);
    }

  g_mutex_unlock (&self->mutex);
  return TRUE;
}

static void
st_training_worker_take_step (StTrainingWorker *self,
                              WorkerState      *state)
{
  g_autoptr(GError) error = NULL;
  double learning_rate = 0.0;
  gboolean learning_rate_changed;
  guint steps_per_second;
  double cost = 0.0;
  gboolean ok;
  gint64 now;
  guint64 snapshot_interval;
  guint epoch_limit;
  gboolean reached_limit = FALSE;

  g_mutex_lock (&self->mutex);
  learning_rate_changed = self->learning_rate_changed;
  learning_rate = self->learning_rate;
  self->learning_rate_changed = FALSE;
  steps_per_second = self->steps_per_second;
  g_mutex_unlock (&self->mutex);

  g_mutex_lock (&self->mutex);
  snapshot_interval = self->snapshot_interval;
  epoch_limit = self->epoch_limit;
  g_mutex_unlock (&self->mutex);

  g_mutex_lock (&self->trainer_mutex);
  if (learning_rate_changed)
    st_trainer_set_learning_rate (self->trainer, learning_rate);
  ok = st_trainer_step (self->trainer, &cost, &error);
  if (ok)
    {
      const StHistory *history = st_trainer_get_history (self->trainer);
      guint first = st_history_get_length (history);

      /* New records are at the end.  A bounded history drops old ones,
       * so positions shift, but epochs keep growing. */
      while (first > 0 && st_history_get (history, first - 1)->epoch > state->history_epoch)
        first--;
      for (guint k = first; k < st_history_get_length (history); k++)
        g_array_append_vals (state->records, st_history_get (history, k), 1);
      if (first < st_history_get_length (history))
        state->history_epoch = st_history_get (history, st_history_get_length (history) - 1)->epoch;

      if (snapshot_interval > 0 && st_trainer_get_step (self->trainer) % snapshot_interval == 0)
        g_ptr_array_add (state->frames, st_trainer_create_snapshot (self->trainer));

      reached_limit = epoch_limit > 0 && st_trainer_get_epoch (self->trainer) >= epoch_limit;
    }
  g_mutex_unlock (&self->trainer_mutex);

  now = g_get_monotonic_time ();
  if (steps_per_second > 0)
    {
      gint64 interval = G_USEC_PER_SEC / steps_per_second;

      /* Keep a steady pace, but after a pause start counting from now
       * instead of catching up on the missed steps in a burst. */
      state->next_step = MAX (state->next_step, now - interval) + interval;
    }

  if (!ok)
    {
      /* The engine leaves the weights as they were before a failed step;
       * stop and tell the window why. */
      g_message ("Training stopped: %s", error->message);
      g_mutex_lock (&self->mutex);
      self->running = FALSE;
      self->pending_steps = 0;
      g_mutex_unlock (&self->mutex);
      state->error = g_steal_pointer (&error);
      st_training_worker_publish (self, state);
      return;
    }

  g_array_append_val (state->costs, cost);
  state->dirty = TRUE;

  if (reached_limit)
    {
      g_mutex_lock (&self->mutex);
      self->running = FALSE;
      self->pending_steps = 0;
      g_mutex_unlock (&self->mutex);
      state->reached_limit = TRUE;
      st_training_worker_publish (self, state);
      return;
    }

  if (now - state->last_publish >= MAX (PUBLISH_INTERVAL_USEC, PUBLISH_COST_FACTOR * state->publish_duration))
    st_training_worker_publish (self, state);
}

static gpointer
st_training_worker_thread (gpointer data)
{
  StTrainingWorker *self = data;
  WorkerState state = { 0 };

  state.costs = g_array_new (FALSE, FALSE, sizeof (double));
  state.frames = g_ptr_array_new_with_free_func ((GDestroyNotify) st_snapshot_unref);
  state.records = g_array_new (FALSE, FALSE, sizeof (StHistoryRecord));
  state.next_step = g_get_monotonic_time ();

  g_mutex_lock (&self->trainer_mutex);
  state.history_epoch = st_trainer_get_epoch (self->trainer);
  g_mutex_unlock (&self->trainer_mutex);

  while (st_training_worker_wait_for_step (self, &state))
    st_training_worker_take_step (self, &state);

  g_array_unref (state.costs);
  g_ptr_array_unref (state.frames);
  g_array_unref (state.records);
  g_clear_error (&state.error);

  return NULL;
}

/**
 * st_training_worker_new:
 * @trainer: (transfer full): the trainer; from now on only the worker
 *   thread uses it, except between st_training_worker_lock_trainer()
 *   and st_training_worker_unlock_trainer()
 *
 * Starts the thread, paused.
 *
 * Returns: (transfer full): a new worker
 */
StTrainingWorker *
st_training_worker_new (StTrainer *trainer)
{
  StTrainingWorker *self;

  g_return_val_if_fail (trainer != NULL, NULL);

  self = g_object_new (ST_TYPE_TRAINING_WORKER, NULL);
  self->trainer = trainer;
  self->learning_rate = st_trainer_get_learning_rate (trainer);

  self->delivery = g_source_new (&delivery_funcs, sizeof (GSource));
  g_source_set_priority (self->delivery, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_static_name (self->delivery, "st-training-worker delivery");
  g_source_set_callback (self->delivery, st_training_worker_deliver, self, NULL);
  g_source_set_ready_time (self->delivery, -1);
  g_source_attach (self->delivery, NULL);

  self->thread = g_thread_new ("st-training", st_training_worker_thread, self);

  return self;
}

/* Starts or pauses training.  A step in progress completes. */
void
st_training_worker_set_running (StTrainingWorker *self,
                                gboolean          running)
{
  g_return_if_fail (ST_IS_TRAINING_WORKER (self));

  g_mutex_lock (&self->mutex);
  self->running = !!running;
  if (!running)
    self->announce_pause = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);
}

gboolean
st_training_worker_get_running (StTrainingWorker *self)
{
  gboolean running;

  g_return_val_if_fail (ST_IS_TRAINING_WORKER (self), FALSE);

  g_mutex_lock (&self->mutex);
  running = self->running;
  g_mutex_unlock (&self->mutex);

  return running;
}

/* Queues exactly one step; the worker publishes its result on its own. */
void
st_training_worker_request_step (StTrainingWorker *self)
{
  g_return_if_fail (ST_IS_TRAINING_WORKER (self));

  g_mutex_lock (&self->mutex);
  self->pending_steps++;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);
}

/* Takes effect at the next step, also while running. */
void
st_training_worker_set_learning_rate (StTrainingWorker *self,
                                      double            learning_rate)
{
  g_return_if_fail (ST_IS_TRAINING_WORKER (self));
  g_return_if_fail (learning_rate > 0.0);

  g_mutex_lock (&self->mutex);
  self->learning_rate = learning_rate;
  self->learning_rate_changed = TRUE;
  g_mutex_unlock (&self->mutex);
}

/* Limits the pace of a running worker; 0 removes the limit. */
void
st_training_worker_set_steps_per_second (StTrainingWorker *self,
                                         guint             steps_per_second)
{
  g_return_if_fail (ST_IS_TRAINING_WORKER (self));

  g_mutex_lock (&self->mutex);
  self->steps_per_second = steps_per_second;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);
}

/* Publishes a timeline frame every @steps trainer steps; 0 for none. */
void
st_training_worker_set_snapshot_interval (StTrainingWorker *self,
                                          guint64           steps)
{
  g_return_if_fail (ST_IS_TRAINING_WORKER (self));

  g_mutex_lock (&self->mutex);
  self->snapshot_interval = steps;
  g_mutex_unlock (&self->mutex);
}

/* Pauses training once the trainer has completed @epochs epochs; 0 for
 * no limit.  Steps requested one by one go past the limit. */
void
st_training_worker_set_epoch_limit (StTrainingWorker *self,
                                    guint             epochs)
{
  g_return_if_fail (ST_IS_TRAINING_WORKER (self));

  g_mutex_lock (&self->mutex);
  self->epoch_limit = epochs;
  g_mutex_unlock (&self->mutex);
}

/**
 * st_training_worker_lock_trainer:
 * @self: a worker
 *
 * Waits for the step in progress, if any, and keeps the worker from
 * starting another until st_training_worker_unlock_trainer().  Keep the
 * lock short: it stalls training.
 *
 * Returns: (transfer none): the trainer, or %NULL after shutdown
 */
StTrainer *
st_training_worker_lock_trainer (StTrainingWorker *self)
{
  g_return_val_if_fail (ST_IS_TRAINING_WORKER (self), NULL);

  g_mutex_lock (&self->trainer_mutex);
  return self->trainer;
}

void
st_training_worker_unlock_trainer (StTrainingWorker *self)
{
  g_return_if_fail (ST_IS_TRAINING_WORKER (self));

  g_mutex_unlock (&self->trainer_mutex);
}

/**
 * st_training_worker_shutdown:
 * @self: a worker
 *
 * Stops the thread after its current step, joins it and drops any
 * pending update, so no "update" is emitted afterwards.  Frees the
 * trainer.  Safe to call more than once.
 */
void
st_training_worker_shutdown (StTrainingWorker *self)
{
  g_return_if_fail (ST_IS_TRAINING_WORKER (self));

  if (self->thread == NULL)
    return;

  g_mutex_lock (&self->mutex);
  self->quit = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);

  g_thread_join (g_steal_pointer (&self->thread));

  /* The thread is gone, so nothing wakes the delivery after this. */
  g_source_destroy (self->delivery);
  g_clear_pointer (&self->delivery, g_source_unref);

  g_mutex_lock (&self->mutex);
  g_clear_pointer (&self->published, st_snapshot_unref);
  g_clear_pointer (&self->published_costs, g_array_unref);
  g_clear_pointer (&self->published_frames, g_ptr_array_unref);
  g_clear_pointer (&self->published_records, g_array_unref);
  g_clear_error (&self->published_error);
  g_mutex_unlock (&self->mutex);

  g_mutex_lock (&self->trainer_mutex);
  g_clear_pointer (&self->trainer, st_trainer_free);
  g_mutex_unlock (&self->trainer_mutex);
}

static void
st_training_worker_dispose (GObject *object)
{
  st_training_worker_shutdown (ST_TRAINING_WORKER (object));

  G_OBJECT_CLASS (st_training_worker_parent_class)->dispose (object);
}

static void
st_training_worker_finalize (GObject *object)
{
  StTrainingWorker *self = ST_TRAINING_WORKER (object);

  g_mutex_clear (&self->trainer_mutex);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (st_training_worker_parent_class)->finalize (object);
}

static void
st_training_worker_class_init (StTrainingWorkerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = st_training_worker_dispose;
  object_class->finalize = st_training_worker_finalize;

  /**
   * StTrainingWorker::update:
   * @self: the worker
   * @update: (type gpointer): a #StTrainingUpdate, valid during the emission
   *
   * Emitted on the main thread with the newest training state.
   */
  signals[UPDATE] =
    g_signal_new ("update",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
st_training_worker_init (StTrainingWorker *self)
{
  g_mutex_init (&self->trainer_mutex);
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
}
