/* test-training-worker.c: the thread that trains for the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The worker trains on its own thread and hands snapshots to the main
 * loop.  These tests drive it as the window does, without a window, so
 * that a ThreadSanitizer build can check every hand-over.
 */

#include "config.h"

#include <math.h>

#include "st-training-worker.h"

typedef struct
{
  guint updates;
  guint64 last_step;
  gboolean saw_error;
} Counter;

/* The worked example: W = [[0, 0.5], [0.5, 0]], x = [4, 2], t = [2, 4]. */
static StTrainer *
make_worked_example (double rate)
{
  const guint rows[] = { 0, 1 };
  const guint cols[] = { 1, 0 };
  const double values[] = { 0.5, 0.5 };
  const double x[] = { 4.0, 2.0 };
  const double t[] = { 2.0, 4.0 };
  g_autoptr(StDataset) dataset = st_dataset_new_regression (1, 2, 2, x, t);
  StNetwork *network = st_network_new (ST_LOSS_HALF_MSE);
  StLayer *layer = st_layer_new (2, 2, 2, rows, cols, values, ST_LAYOUT_CSR, NULL);
  StTrainSettings settings;

  g_assert_true (st_layer_set_has_bias (layer, FALSE, NULL));
  g_assert_true (st_network_append_layer (network, layer, NULL));
  st_train_settings_init_default (&settings);
  settings.batch_size = 1;
  settings.learning_rate = rate;

  return st_trainer_new (network, dataset, &settings, NULL);
}

static void
on_update (StTrainingWorker       *worker,
           const StTrainingUpdate *update,
           gpointer                user_data)
{
  Counter *counter = user_data;

  g_assert_nonnull (update->snapshot);
  counter->updates++;
  counter->saw_error |= update->error != NULL;
}

/* Iterate the main loop until @done is TRUE or @timeout_us passes. */
static gboolean
run_until (const gboolean *done,
           gint64          timeout_us)
{
  gint64 deadline = g_get_monotonic_time () + timeout_us;

  while (!*done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);

  return *done;
}

static gboolean
enough_updates (Counter *counter,
                guint    wanted)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (counter->updates < wanted && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  return counter->updates >= wanted;
}

/* Iterate the main loop until the trainer has taken @steps steps. */
static gboolean
wait_for_steps (StTrainingWorker *worker,
                guint64           steps)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint64 taken = 0;

  while (taken < steps && g_get_monotonic_time () < deadline)
    {
      StTrainer *trainer;

      g_main_context_iteration (NULL, FALSE);
      trainer = st_training_worker_lock_trainer (worker);
      taken = st_trainer_get_step (trainer);
      st_training_worker_unlock_trainer (worker);
    }

  return taken >= steps;
}

/* Run, change the rate while running, step by hand while paused, read
 * the trainer under its lock: the weights reach the worked example's
 * answer and the structural zeros stay zero. */
static void
test_trains_worked_example (void)
{
  g_autoptr(StTrainingWorker) worker = st_training_worker_new (make_worked_example (0.05));
  Counter counter = { 0 };
  StTrainer *trainer;
  StLayer *layer;
  double weights[2];
  gsize position;
  guint64 steps;

  g_signal_connect (worker, "update", G_CALLBACK (on_update), &counter);
  st_training_worker_set_steps_per_second (worker, 0);
  st_training_worker_set_snapshot_interval (worker, 10);
  st_training_worker_set_running (worker, TRUE);
  g_assert_true (enough_updates (&counter, 3));

  st_training_worker_set_learning_rate (worker, 0.1);
  g_assert_true (enough_updates (&counter, 6));
  g_assert_true (wait_for_steps (worker, 1000));
  st_training_worker_set_running (worker, FALSE);
  g_assert_true (enough_updates (&counter, counter.updates + 1));

  trainer = st_training_worker_lock_trainer (worker);
  steps = st_trainer_get_step (trainer);
  st_training_worker_unlock_trainer (worker);

  st_training_worker_request_step (worker);
  g_assert_true (enough_updates (&counter, counter.updates + 1));

  trainer = st_training_worker_lock_trainer (worker);
  g_assert_cmpuint (st_trainer_get_step (trainer), ==, steps + 1);
  layer = st_network_get_layer (st_trainer_get_network (trainer), 0);
  st_layer_copy_entries (layer, NULL, NULL, weights, NULL);
  g_assert_false (st_layer_find_entry (layer, 0, 0, &position));
  g_assert_false (st_layer_find_entry (layer, 1, 1, &position));
  g_assert_cmpuint (st_layer_get_nnz (layer), ==, 2);
  st_training_worker_unlock_trainer (worker);

  /* Each step multiplies w01 - 1 by 1 - 2r and w10 - 1 by 1 - 8r, so
   * a thousand steps at r = 0.05 or 0.1 put both weights at 1. */
  g_assert_cmpfloat (fabs (weights[0] - 1.0), <, 1e-5);
  g_assert_cmpfloat (fabs (weights[1] - 1.0), <, 1e-5);
  g_assert_false (counter.saw_error);

  st_training_worker_shutdown (worker);
}

static gboolean
set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Shut down while training runs flat out, 20 times: each returns within a
 * second, and no update arrives afterwards. */
static void
test_shutdown_while_running (void)
{
  for (guint round = 0; round < 20; round++)
    {
      g_autoptr(StTrainingWorker) worker = st_training_worker_new (make_worked_example (0.01));
      Counter counter = { 0 };
      gboolean later = FALSE;
      guint updates;
      gint64 started;

      g_signal_connect (worker, "update", G_CALLBACK (on_update), &counter);
      st_training_worker_set_steps_per_second (worker, 0);
      st_training_worker_set_running (worker, TRUE);
      g_assert_true (enough_updates (&counter, 1 + round % 3));

      started = g_get_monotonic_time ();
      st_training_worker_shutdown (worker);
      g_assert_cmpint (g_get_monotonic_time () - started, <, G_USEC_PER_SEC);

      updates = counter.updates;
      g_timeout_add (50, set_flag, &later);
      g_assert_true (run_until (&later, 5 * G_USEC_PER_SEC));
      g_assert_cmpuint (counter.updates, ==, updates);
    }
}

/* A diverging rate stops the worker with an error in an update. */
static void
test_divergence_reported (void)
{
  g_autoptr(StTrainingWorker) worker = st_training_worker_new (make_worked_example (100.0));
  Counter counter = { 0 };
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  g_signal_connect (worker, "update", G_CALLBACK (on_update), &counter);
  st_training_worker_set_steps_per_second (worker, 0);
  st_training_worker_set_running (worker, TRUE);

  while (!counter.saw_error && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (counter.saw_error);
  st_training_worker_shutdown (worker);
}

typedef struct
{
  guint last_epoch;
  guint n_records;
  gboolean in_order;
} RecordCounter;

static void
on_records (StTrainingWorker       *worker,
            const StTrainingUpdate *update,
            gpointer                user_data)
{
  RecordCounter *counter = user_data;

  for (gsize i = 0; i < update->n_records; i++)
    {
      counter->in_order &= update->records[i].epoch > counter->last_epoch;
      counter->last_epoch = update->records[i].epoch;
      counter->n_records++;
    }
}

/* With the trainer's history bounded to 16 records, every epoch still
 * reaches the main thread once and in order: the worker passes records
 * on by epoch, not by their position, which thinning shifts. */
static void
test_bounded_history (void)
{
  StTrainer *trainer = make_worked_example (0.05);
  g_autoptr(StTrainingWorker) worker = NULL;
  RecordCounter counter = { 0, 0, TRUE };
  guint64 steps;
  gint64 deadline;

  st_trainer_set_history_max_length (trainer, 16);
  worker = st_training_worker_new (trainer);
  g_signal_connect (worker, "update", G_CALLBACK (on_records), &counter);
  st_training_worker_set_steps_per_second (worker, 0);

  st_training_worker_set_running (worker, TRUE);
  g_assert_true (wait_for_steps (worker, 2000));
  st_training_worker_set_running (worker, FALSE);

  /* The worked example has one sample, so an epoch ends every step.
   * Wait until the records of all steps so far have arrived. */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  do
    {
      g_main_context_iteration (NULL, FALSE);
      trainer = st_training_worker_lock_trainer (worker);
      steps = st_trainer_get_step (trainer);
      st_training_worker_unlock_trainer (worker);
    }
  while (counter.last_epoch < steps && g_get_monotonic_time () < deadline);

  g_assert_true (counter.in_order);
  g_assert_cmpuint (counter.last_epoch, ==, steps);
  g_assert_cmpuint (counter.n_records, ==, steps);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui/training-worker/trains-worked-example", test_trains_worked_example);
  g_test_add_func ("/ui/training-worker/shutdown-while-running", test_shutdown_while_running);
  g_test_add_func ("/ui/training-worker/divergence-reported", test_divergence_reported);
  g_test_add_func ("/ui/training-worker/bounded-history", test_bounded_history);

  return g_test_run ();
}
