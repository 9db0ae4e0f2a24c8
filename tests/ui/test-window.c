/* test-window.c: the main window, driven through its actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every test opens a real window of the real application on the bundled
 * worked example: W = [[0, 0.5], [0.5, 0]], one sample x = (4, 2) with
 * target t = (2, 4), identity activation, half mean squared error,
 * batch size 1, learning rate 0.1.  Expected values are derived by hand:
 *
 *   y = W x = (2a, 4b) with a = W[0][1], b = W[1][0]
 *   cost = ((2a - 2)^2 + (4b - 4)^2) / 4 = (a - 1)^2 + 4 (b - 1)^2
 *   dcost/da = 2 (a - 1),  dcost/db = 8 (b - 1)
 *
 * so with learning rate r, a - 1 shrinks by (1 - 2r) and b - 1 by
 * (1 - 8r) per step.  At r = 0.1, after n steps:
 *   a_n = 1 - 0.5 * 0.8^n,  b_n = 1 - 0.5 * 0.2^n,
 * and the cost shown at step n is the cost before its update,
 *   cost_n = (a_{n-1} - 1)^2 + 4 (b_{n-1} - 1)^2.
 */

#include "config.h"

#include <math.h>

#include "st-window-private.h"
#include "window-test-utils.h"

static double
read_cost (Fixture *fixture)
{
  const char *text = read_label (fixture, "cost-value");
  char *end = NULL;
  double cost = g_ascii_strtod (text, &end);

  g_assert_true (end != NULL && end != text && *end == '\0');
  return cost;
}

/* Reads the two stored weights a = W[0][1] and b = W[1][0] of the live
 * model, and checks that the diagonal is not stored. */
static void
read_weights (Fixture *fixture,
              double  *a,
              double  *b)
{
  g_autoptr(StNetwork) network = st_window_copy_network (fixture->window);
  StLayer *layer;
  guint rows[2], cols[2];
  double values[2];
  gsize position;

  g_assert_cmpuint (st_network_get_n_layers (network), ==, 1);
  layer = st_network_get_layer (network, 0);
  g_assert_cmpuint (st_layer_get_rows (layer), ==, 2);
  g_assert_cmpuint (st_layer_get_cols (layer), ==, 2);
  g_assert_cmpuint (st_layer_get_nnz (layer), ==, 2);

  /* Structural zeros: W[0][0] and W[1][1] have no storage at all, so
   * they are exactly 0 whatever training does. */
  g_assert_false (st_layer_find_entry (layer, 0, 0, &position));
  g_assert_false (st_layer_find_entry (layer, 1, 1, &position));

  st_layer_copy_entries (layer, rows, cols, values, NULL);
  g_assert_cmpuint (rows[0], ==, 0);
  g_assert_cmpuint (cols[0], ==, 1);
  g_assert_cmpuint (rows[1], ==, 1);
  g_assert_cmpuint (cols[1], ==, 0);
  *a = values[0];
  *b = values[1];
}

static double
expected_a (guint64 n)
{
  return 1.0 - 0.5 * pow (0.8, (double) n);
}

static double
expected_b (guint64 n)
{
  return 1.0 - 0.5 * pow (0.2, (double) n);
}

static double
expected_cost (guint64 step)
{
  double da = expected_a (step - 1) - 1.0;
  double db = expected_b (step - 1) - 1.0;

  return da * da + 4.0 * db * db;
}

static char *
write_scratch_file (Fixture    *fixture,
                    const char *name,
                    const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->scratch, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static gboolean
is_mapped (Fixture *fixture)
{
  return gtk_widget_get_mapped (GTK_WIDGET (fixture->window));
}

static void
test_initial_state (Fixture       *fixture,
                    gconstpointer  data)
{
  double a, b;

  g_assert_cmpstr (read_label (fixture, "step-value"), ==, "0");
  g_assert_cmpstr (read_label (fixture, "epoch-value"), ==, "0");
  g_assert_cmpstr (read_label (fixture, "cost-value"), ==, "—");

  read_weights (fixture, &a, &b);
  g_assert_cmpfloat (a, ==, 0.5);
  g_assert_cmpfloat (b, ==, 0.5);

  g_assert_false (st_window_get_modified (fixture->window));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "start"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "step"));
}

static void
test_step_once (Fixture       *fixture,
                gconstpointer  data)
{
  double a, b;

  step_to (fixture, 1);

  /* cost = (0.5 - 1)^2 + 4 (0.5 - 1)^2 = 1.25, gradients -1 and -4. */
  g_assert_cmpfloat_with_epsilon (read_cost (fixture), 1.25, 1e-9);
  g_assert_cmpstr (read_label (fixture, "epoch-value"), ==, "1");
  read_weights (fixture, &a, &b);
  g_assert_cmpfloat_with_epsilon (a, 0.5 + 0.1 * 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (b, 0.5 + 0.1 * 4.0, 1e-12);
  g_assert_true (st_window_get_modified (fixture->window));

  /* Before step 2: a = 0.6, b = 0.9, cost = 0.16 + 4 * 0.01 = 0.2. */
  step_to (fixture, 2);
  g_assert_cmpfloat_with_epsilon (read_cost (fixture), 0.2, 1e-9);
  read_weights (fixture, &a, &b);
  g_assert_cmpfloat_with_epsilon (a, 0.68, 1e-12);
  g_assert_cmpfloat_with_epsilon (b, 0.98, 1e-12);
}

static void
test_learning_rate (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GVariant) state = NULL;
  double a, b;

  g_action_group_change_action_state (G_ACTION_GROUP (fixture->window), "learning-rate",
                                      g_variant_new_double (0.05));
  state = g_action_group_get_action_state (G_ACTION_GROUP (fixture->window), "learning-rate");
  g_assert_cmpfloat (g_variant_get_double (state), ==, 0.05);

  /* With r = 0.05: a = 0.5 + 0.05 * 1, b = 0.5 + 0.05 * 4. */
  step_to (fixture, 1);
  read_weights (fixture, &a, &b);
  g_assert_cmpfloat_with_epsilon (a, 0.55, 1e-12);
  g_assert_cmpfloat_with_epsilon (b, 0.70, 1e-12);

  /* A rate outside the allowed range is ignored. */
  g_action_group_change_action_state (G_ACTION_GROUP (fixture->window), "learning-rate",
                                      g_variant_new_double (-1.0));
  g_clear_pointer (&state, g_variant_unref);
  state = g_action_group_get_action_state (G_ACTION_GROUP (fixture->window), "learning-rate");
  g_assert_cmpfloat (g_variant_get_double (state), ==, 0.05);
}

static gboolean
reached_step_60 (Fixture *fixture)
{
  return read_step (fixture) >= 60;
}

static void
test_converges (Fixture       *fixture,
                gconstpointer  data)
{
  guint64 step;
  double cost, a, b;

  set_running (fixture, TRUE);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "step"));
  g_assert_true (wait_for (fixture, reached_step_60, WAIT_MS));
  pause_and_settle (fixture);

  step = read_step (fixture);
  cost = read_cost (fixture);
  g_assert_cmpuint (step, >=, 60);
  g_assert_cmpfloat (cost, <, 1e-10);
  /* The label keeps 6 significant digits.  Near 1 the weights stop
   * moving once an update is below half an ulp (about 1.1e-16), which
   * leaves a cost of up to about 4 * (2.2e-16)^2 that exact arithmetic
   * would not. */
  g_assert_cmpfloat (fabs (cost - expected_cost (step)), <=, 1e-5 * expected_cost (step) + 1e-30);

  read_weights (fixture, &a, &b);
  g_assert_cmpfloat (fabs (a - 1.0), <, 1e-5);
  g_assert_cmpfloat (fabs (b - 1.0), <, 1e-5);
  g_assert_cmpfloat_with_epsilon (a, expected_a (step), 1e-12);
  g_assert_cmpfloat_with_epsilon (b, expected_b (step), 1e-12);

  save_screenshot (fixture, NULL, "ui-worked-example.png");
}

static void
test_sixty_steps (Fixture       *fixture,
                  gconstpointer  data)
{
  double a, b;

  for (guint64 n = 1; n <= 60; n++)
    step_to (fixture, n);

  /* cost_60 = 0.25 * 0.64^59 + 0.04^59, about 9.6e-13. */
  g_assert_cmpfloat (read_cost (fixture), <, 1e-10);
  g_assert_cmpfloat_with_epsilon (read_cost (fixture), expected_cost (60), 1e-5 * expected_cost (60));
  g_assert_cmpstr (read_label (fixture, "epoch-value"), ==, "60");

  read_weights (fixture, &a, &b);
  g_assert_cmpfloat (fabs (a - 1.0), <, 1e-5);
  g_assert_cmpfloat (fabs (b - 1.0), <, 1e-5);
  g_assert_cmpfloat_with_epsilon (a, expected_a (60), 1e-12);
  g_assert_cmpfloat_with_epsilon (b, expected_b (60), 1e-12);
}

static void
test_pause_stops (Fixture       *fixture,
                  gconstpointer  data)
{
  guint64 step;
  double a1, b1, a2, b2;

  set_running (fixture, TRUE);
  g_assert_true (wait_for (fixture, reached_step_60, WAIT_MS));
  pause_and_settle (fixture);

  step = read_step (fixture);
  read_weights (fixture, &a1, &b1);
  run_for (300);

  g_assert_cmpuint (read_step (fixture), ==, step);
  read_weights (fixture, &a2, &b2);
  g_assert_cmpfloat (a1, ==, a2);
  g_assert_cmpfloat (b1, ==, b2);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "step"));

  /* Training goes on from where it paused. */
  step_to (fixture, step + 1);
}

static gboolean
reached_step_1000 (Fixture *fixture)
{
  return read_step (fixture) >= 1000;
}

static void
test_close_while_training (Fixture       *fixture,
                           gconstpointer  data)
{
  gint64 start, elapsed;

  set_running (fixture, TRUE);
  g_assert_true (wait_for (fixture, reached_step_1000, WAIT_MS));

  start = g_get_monotonic_time ();
  g_object_remove_weak_pointer (G_OBJECT (fixture->window), (gpointer *) &fixture->window);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  elapsed = g_get_monotonic_time () - start;
  fixture->window = NULL;

  g_assert_cmpint (elapsed, <, G_USEC_PER_SEC);

  /* No update may arrive for the destroyed window. */
  run_for (100);
}

static gboolean
is_destroyed (Fixture *fixture)
{
  return fixture->window == NULL;
}

/* Counts the threads of this process named like the window's training
 * thread, from the thread names under /proc/self/task. */
static guint
count_training_threads (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *task;
  guint count = 0;

  g_assert_nonnull (dir);
  while ((task = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/task", task, "comm", NULL);
      g_autofree char *name = NULL;

      if (g_file_get_contents (path, &name, NULL, NULL) && g_str_has_prefix (name, "st-training"))
        count++;
    }

  return count;
}

/* Writes a model with one 256 x 256 layer storing about 10 % of its
 * entries and no bias, and 256 samples of 256 random inputs and 256
 * targets, so that each step takes a few milliseconds. */
static void
write_busy_model (Fixture  *fixture,
                  GFile   **model_file,
                  GFile   **data_file)
{
  const guint n = 256;
  g_autoptr(gsl_rng) rng = st_random_new (20240601);
  g_autoptr(StNetwork) network = st_network_new (ST_LOSS_HALF_MSE);
  g_autoptr(GString) csv = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *model_path = g_build_filename (fixture->scratch, "busy.stmodel", NULL);
  g_autofree char *data_path = g_build_filename (fixture->scratch, "busy.csv", NULL);
  StLayer *layer;

  layer = st_pattern_new_random (n, n, 0.1, ST_LAYOUT_CSR, rng, &error);
  g_assert_no_error (error);
  st_init_weights (layer, ST_INIT_LECUN_UNIFORM, rng);
  g_assert_true (st_network_append_layer (network, layer, &error));
  st_model_save (network, model_path, &error);
  g_assert_no_error (error);

  for (guint s = 0; s < n; s++)
    for (guint j = 0; j < 2 * n; j++)
      g_string_append_printf (csv, "%.3f%c", gsl_rng_uniform (rng) * 2 - 1, j + 1 < 2 * n ? ',' : '\n');
  g_file_set_contents (data_path, csv->str, csv->len, &error);
  g_assert_no_error (error);

  *model_file = g_file_new_for_path (model_path);
  *data_file = g_file_new_for_path (data_path);
}

static gboolean
reached_step_1 (Fixture *fixture)
{
  return read_step (fixture) >= 1;
}

/* Closes the window while training runs as fast as possible, after a
 * random time from the test's seed, 20 times.  Each time exactly one
 * training thread runs before the close.  Within a second of the
 * answer to the unsaved-changes question, the window and its worker
 * are finalized and the thread has ended. */
static void
test_close_while_training_repeatedly (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autoptr(GFile) model = NULL;
  g_autoptr(GFile) dataset = NULL;

  write_busy_model (fixture, &model, &dataset);

  for (guint round = 0; round < 20; round++)
    {
      StTrainingWorker *worker;
      guint delay_ms = (guint) g_test_rand_int_range (0, 500);
      gint64 start, elapsed;

      if (fixture->window == NULL)
        {
          fixture->window = st_window_new (GTK_APPLICATION (test_application));
          g_object_add_weak_pointer (G_OBJECT (fixture->window), (gpointer *) &fixture->window);
          gtk_window_present (GTK_WINDOW (fixture->window));
          g_assert_true (wait_for (fixture, is_mapped, WAIT_MS));
          g_action_group_change_action_state (G_ACTION_GROUP (fixture->window), "speed",
                                              g_variant_new_uint32 (0));
        }

      g_assert_true (st_window_open_model (fixture->window, model));
      g_assert_true (st_window_open_dataset (fixture->window, dataset));
      g_action_group_change_action_state (G_ACTION_GROUP (fixture->window), "batch-size",
                                          g_variant_new_uint32 (256));
      g_action_group_change_action_state (G_ACTION_GROUP (fixture->window), "learning-rate",
                                          g_variant_new_double (1e-3));
      set_running (fixture, TRUE);
      g_assert_true (wait_for (fixture, reached_step_1, WAIT_MS));
      run_for (delay_ms);

      worker = fixture->window->worker;
      g_assert_nonnull (worker);
      g_object_add_weak_pointer (G_OBJECT (worker), (gpointer *) &worker);
      g_assert_true (st_window_get_busy (fixture->window));
      g_assert_cmpuint (count_training_threads (), ==, 1);

      gtk_window_close (GTK_WINDOW (fixture->window));
      g_assert_true (wait_for (fixture, has_message_dialog, WAIT_MS));
      g_assert_true (st_window_get_busy (fixture->window));

      start = g_get_monotonic_time ();
      close_message_dialog (fixture, "discard");
      g_assert_true (wait_for (fixture, is_destroyed, WAIT_MS));
      elapsed = g_get_monotonic_time () - start;

      g_test_message ("Round %u: closed after %u ms of training, gone in %.1f ms",
                      round + 1, delay_ms, elapsed / 1000.0);
      g_assert_null (worker);
      g_assert_cmpuint (count_training_threads (), ==, 0);
      g_assert_cmpint (elapsed, <, G_USEC_PER_SEC);

      /* Nothing queued for the window may run now. */
      run_for (20);
    }
}

static void
test_close_asks_to_save (Fixture       *fixture,
                         gconstpointer  data)
{
  step_to (fixture, 1);
  g_assert_true (st_window_get_modified (fixture->window));

  gtk_window_close (GTK_WINDOW (fixture->window));
  g_assert_true (wait_for (fixture, has_message_dialog, WAIT_MS));
  g_assert_nonnull (fixture->window);

  /* Cancel keeps the window. */
  close_message_dialog (fixture, "cancel");
  g_assert_nonnull (fixture->window);
  g_assert_false (has_message_dialog (fixture));

  gtk_window_close (GTK_WINDOW (fixture->window));
  g_assert_true (wait_for (fixture, has_message_dialog, WAIT_MS));
  close_message_dialog (fixture, "discard");
  g_assert_true (wait_for (fixture, is_destroyed, WAIT_MS));
}

static void
assert_model_untouched (Fixture *fixture)
{
  double a, b;

  read_weights (fixture, &a, &b);
  g_assert_cmpfloat_with_epsilon (a, 0.6, 1e-12);
  g_assert_cmpfloat_with_epsilon (b, 0.9, 1e-12);
  g_assert_cmpstr (read_label (fixture, "step-value"), ==, "1");
  g_assert_true (st_window_get_modified (fixture->window));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (fixture->window)), ==,
                   "Worked Example – Sparse Trainer");
}

static void
assert_error_names (Fixture    *fixture,
                    const char *file_name)
{
  GtkWindow *dialog = find_toplevel (fixture, ADW_TYPE_MESSAGE_DIALOG, NULL);

  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), file_name));
  g_assert_cmpstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), !=, "");
  close_message_dialog (fixture, "close");
  g_assert_false (has_message_dialog (fixture));
}

static void
test_malformed_files (Fixture       *fixture,
                      gconstpointer  data)
{
  /* The size line promises 3 entries, the file has 1. */
  g_autofree char *short_mtx = write_scratch_file (fixture, "short.mtx",
                                                   "%%MatrixMarket matrix coordinate real general\n"
                                                   "2 2 3\n"
                                                   "1 2 0.5\n");
  g_autofree char *bad_value = write_scratch_file (fixture, "bad-value.mtx",
                                                   "%%MatrixMarket matrix coordinate real general\n"
                                                   "2 2 1\n"
                                                   "1 2 zero\n");
  g_autofree char *bad_model = write_scratch_file (fixture, "bad.stmodel", "not a model\n");
  g_autofree char *bad_csv = write_scratch_file (fixture, "bad.csv", "x1,x2,t1,t2\n4,2,2\n");
  g_autoptr(GFile) short_file = g_file_new_for_path (short_mtx);
  g_autoptr(GFile) bad_value_file = g_file_new_for_path (bad_value);
  g_autoptr(GFile) bad_model_file = g_file_new_for_path (bad_model);
  g_autoptr(GFile) bad_csv_file = g_file_new_for_path (bad_csv);
  g_autoptr(GFile) missing = g_file_new_build_filename (fixture->scratch, "missing.mtx", NULL);

  step_to (fixture, 1);

  g_assert_false (st_window_import_pattern (fixture->window, short_file));
  assert_error_names (fixture, "short.mtx");
  assert_model_untouched (fixture);

  g_assert_false (st_window_import_pattern (fixture->window, bad_value_file));
  assert_error_names (fixture, "bad-value.mtx");
  assert_model_untouched (fixture);

  g_assert_false (st_window_import_pattern (fixture->window, missing));
  assert_error_names (fixture, "missing.mtx");
  assert_model_untouched (fixture);

  g_assert_false (st_window_open_model (fixture->window, bad_model_file));
  assert_error_names (fixture, "bad.stmodel");
  assert_model_untouched (fixture);

  g_assert_false (st_window_open_dataset (fixture->window, bad_csv_file));
  assert_error_names (fixture, "bad.csv");
  assert_model_untouched (fixture);

  /* Training still works after the failures. */
  step_to (fixture, 2);
}

/* A save that cannot be written names the file in a dialog and leaves
 * the work unsaved: the weights, the step and the modified state stay,
 * and no file appears.  A folder that does not exist fails for root too,
 * which permissions would not. */
static void
test_save_failure_keeps_work (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (fixture->scratch, "absent", NULL);
  g_autoptr(GFile) file = g_file_new_build_filename (folder, "trained.stmodel", NULL);

  step_to (fixture, 1);

  g_assert_false (st_window_save_model (fixture->window, file));
  assert_error_names (fixture, "trained.stmodel");
  assert_model_untouched (fixture);
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));

  /* The same work still saves where it can. */
  g_clear_object (&file);
  file = g_file_new_build_filename (fixture->scratch, "trained.stmodel", NULL);
  g_assert_true (st_window_save_model (fixture->window, file));
  g_assert_false (st_window_get_modified (fixture->window));
}

static void
test_import_pattern (Fixture       *fixture,
                     gconstpointer  data)
{
  /* A 3 x 2 pattern cannot map 2 inputs to 2 outputs. */
  g_autofree char *tall = write_scratch_file (fixture, "tall.mtx",
                                              "%%MatrixMarket matrix coordinate pattern general\n"
                                              "3 2 2\n"
                                              "1 1\n"
                                              "3 2\n");
  /* The diagonal, without values: weights come from the seed. */
  g_autofree char *diagonal = write_scratch_file (fixture, "diagonal.mtx",
                                                  "%%MatrixMarket matrix coordinate pattern general\n"
                                                  "2 2 2\n"
                                                  "1 1\n"
                                                  "2 2\n");
  g_autoptr(GFile) tall_file = g_file_new_for_path (tall);
  g_autoptr(GFile) diagonal_file = g_file_new_for_path (diagonal);
  g_autoptr(StNetwork) network = NULL;
  StLayer *layer;
  gsize position;
  double values[2];

  step_to (fixture, 1);

  g_assert_false (st_window_import_pattern (fixture->window, tall_file));
  assert_error_names (fixture, "tall.mtx");
  assert_model_untouched (fixture);

  g_assert_true (st_window_import_pattern (fixture->window, diagonal_file));
  g_assert_false (has_message_dialog (fixture));
  g_assert_false (st_window_get_modified (fixture->window));
  g_assert_cmpstr (read_label (fixture, "step-value"), ==, "0");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (fixture->window)), ==,
                   "diagonal – Sparse Trainer");

  network = st_window_copy_network (fixture->window);
  layer = st_network_get_layer (network, 0);
  g_assert_cmpuint (st_layer_get_nnz (layer), ==, 2);
  g_assert_true (st_layer_find_entry (layer, 0, 0, &position));
  g_assert_true (st_layer_find_entry (layer, 1, 1, &position));
  g_assert_false (st_layer_find_entry (layer, 0, 1, &position));
  g_assert_false (st_layer_find_entry (layer, 1, 0, &position));

  /* Each row has one stored entry, so weights are drawn from [-sqrt(3), sqrt(3)). */
  st_layer_copy_entries (layer, NULL, NULL, values, NULL);
  for (guint k = 0; k < 2; k++)
    {
      g_assert_cmpfloat (values[k], !=, 0.0);
      g_assert_cmpfloat (fabs (values[k]), <=, sqrt (3.0));
    }
}

static void
test_save_and_open (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GFile) file = g_file_new_build_filename (fixture->scratch, "trained.stmodel", NULL);
  double a, b;

  step_to (fixture, 1);
  step_to (fixture, 2);
  step_to (fixture, 3);

  g_assert_true (st_window_save_model (fixture->window, file));
  g_assert_false (st_window_get_modified (fixture->window));
  g_assert_true (g_file_query_exists (file, NULL));

  /* Reset returns to the worked example, which is not what was saved. */
  activate (fixture, "reset", NULL);
  g_assert_cmpstr (read_label (fixture, "step-value"), ==, "0");
  g_assert_true (st_window_get_modified (fixture->window));
  read_weights (fixture, &a, &b);
  g_assert_cmpfloat (a, ==, 0.5);
  g_assert_cmpfloat (b, ==, 0.5);

  g_assert_true (st_window_open_model (fixture->window, file));
  g_assert_false (st_window_get_modified (fixture->window));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (fixture->window)), ==,
                   "trained.stmodel – Sparse Trainer");
  read_weights (fixture, &a, &b);
  g_assert_cmpfloat_with_epsilon (a, expected_a (3), 1e-12);
  g_assert_cmpfloat_with_epsilon (b, expected_b (3), 1e-12);

  /* The file records its 3 steps and settings: the opened model counts
   * on from there with the worked example's data. */
  g_assert_cmpstr (read_label (fixture, "step-value"), ==, "3");
  g_assert_cmpstr (read_label (fixture, "epoch-value"), ==, "3");
  step_to (fixture, 4);
  g_assert_cmpfloat_with_epsilon (read_cost (fixture), expected_cost (4), 1e-6);
}

static gboolean
has_three_outputs (Fixture *fixture)
{
  g_autoptr(StNetwork) network = st_window_copy_network (fixture->window);

  return st_network_get_n_outputs (network) == 3;
}

/* A model saved beside a data set that does not fit it opens again:
 * the file must not name the data set's 3 classes for the model's 2
 * outputs. */
static void
test_save_beside_other_dataset (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GFile) worked = g_file_new_build_filename (fixture->scratch, "worked.stmodel", NULL);
  g_autoptr(GFile) saved = g_file_new_build_filename (fixture->scratch, "saved.stmodel", NULL);
  double a, b;

  g_assert_true (st_window_save_model (fixture->window, worked));

  /* Gaussian blobs: 2 inputs, 3 classes, and a network that fits them. */
  g_action_group_change_action_state (G_ACTION_GROUP (fixture->window), "dataset",
                                      g_variant_new_string ("blobs"));
  g_assert_true (wait_for (fixture, has_three_outputs, WAIT_MS));

  /* The worked example's 2 outputs do not fit the 3 classes. */
  g_assert_true (st_window_open_model (fixture->window, worked));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "step"));
  g_assert_true (st_window_save_model (fixture->window, saved));

  g_assert_true (st_window_open_model (fixture->window, saved));
  g_assert_false (has_message_dialog (fixture));
  read_weights (fixture, &a, &b);
  g_assert_cmpfloat (a, ==, 0.5);
  g_assert_cmpfloat (b, ==, 0.5);
}

/* Saves and exports suggest names built on the model's name without its
 * extension: "saved-cost.csv", not "saved.stmodel-cost.csv". */
static void
test_suggested_stem (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GFile) saved = g_file_new_build_filename (fixture->scratch, "saved.stmodel", NULL);
  g_autoptr(GFile) dotted = g_file_new_build_filename (fixture->scratch, "v1.2.stmodel", NULL);
  g_autofree char *stem = NULL;
  g_autofree char *dotted_stem = NULL;

  g_assert_true (st_window_save_model (fixture->window, saved));
  stem = _st_window_dup_stem (fixture->window);
  g_assert_cmpstr (stem, ==, "saved");

  g_assert_true (st_window_save_model (fixture->window, dotted));
  dotted_stem = _st_window_dup_stem (fixture->window);
  g_assert_cmpstr (dotted_stem, ==, "v1.2");
}

static void
test_export_pattern (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GFile) file = g_file_new_build_filename (fixture->scratch, "layer.mtx", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(StMtx) mtx = NULL;
  g_autofree char *contents = NULL;

  step_to (fixture, 1);
  g_assert_true (st_window_export_pattern (fixture->window, file));

  g_file_load_contents (file, NULL, &contents, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "%%MatrixMarket matrix coordinate real general"));

  mtx = st_mtx_read (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (mtx->has_values);
  g_assert_cmpuint (mtx->rows, ==, 2);
  g_assert_cmpuint (mtx->cols, ==, 2);
  g_assert_cmpuint (mtx->nnz, ==, 2);
  g_assert_cmpuint (mtx->row[0], ==, 0);
  g_assert_cmpuint (mtx->col[0], ==, 1);
  g_assert_cmpfloat_with_epsilon (mtx->value[0], 0.6, 1e-12);
  g_assert_cmpuint (mtx->row[1], ==, 1);
  g_assert_cmpuint (mtx->col[1], ==, 0);
  g_assert_cmpfloat_with_epsilon (mtx->value[1], 0.9, 1e-12);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  test_init_application (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/ui/window/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("initial-state", test_initial_state);
  ADD ("step-once", test_step_once);
  ADD ("learning-rate", test_learning_rate);
  ADD ("sixty-steps", test_sixty_steps);
  ADD ("converges", test_converges);
  ADD ("pause-stops", test_pause_stops);
  ADD ("close-while-training", test_close_while_training);
  ADD ("close-while-training-repeatedly", test_close_while_training_repeatedly);
  ADD ("close-asks-to-save", test_close_asks_to_save);
  ADD ("malformed-files", test_malformed_files);
  ADD ("import-pattern", test_import_pattern);
  ADD ("save-and-open", test_save_and_open);
  ADD ("save-failure-keeps-work", test_save_failure_keeps_work);
  ADD ("export-pattern", test_export_pattern);
  ADD ("save-beside-other-dataset", test_save_beside_other_dataset);
  ADD ("suggested-stem", test_suggested_stem);

#undef ADD

  status = g_test_run ();

  g_clear_object (&test_application);
  return status;
}
