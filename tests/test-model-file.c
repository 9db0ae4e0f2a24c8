/* test-model-file.c: saving and loading model files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "st-engine.h"
#include "test-files.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = test_files_make_dir ();
  fixture->path = g_build_filename (fixture->dir, "model.stmodel", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  test_files_remove_dir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

/* Three layers with every kind of setting: layouts, activations, with
 * and without bias, an empty row, and values whose bits are awkward. */
static StNetwork *
build_network (void)
{
  g_autoptr(gsl_rng) rng = st_random_new (42);
  StNetwork *network = st_network_new (ST_LOSS_SOFTMAX_CROSS_ENTROPY);
  const guint rows[] = { 0, 0, 2 };
  const guint cols[] = { 0, 4, 1 };
  const double awkward[] = { -0.0, 4.9e-324, 1.0 / 3.0 };
  StLayer *first = st_pattern_new_random (6, 5, 0.4, ST_LAYOUT_CSC, rng, NULL);
  StLayer *second = st_layer_new (3, 6, 3, rows, cols, awkward, ST_LAYOUT_COO, NULL);
  StLayer *third = st_pattern_new_random (4, 3, 1.0, ST_LAYOUT_CSR, rng, NULL);

  st_pattern_init_weights (first, rng);
  st_pattern_init_weights (third, rng);
  st_layer_set_activation (first, ST_ACTIVATION_RELU);
  st_layer_set_activation (second, ST_ACTIVATION_LOGISTIC);
  st_layer_set_activation (third, ST_ACTIVATION_SOFTMAX);
  g_assert_true (st_layer_set_has_bias (first, TRUE, NULL));
  g_assert_true (st_layer_set_has_bias (third, TRUE, NULL));
  st_layer_get_bias (first)[5] = -1e-300;
  st_layer_get_bias (third)[0] = 0.1;

  g_assert_true (st_network_append_layer (network, first, NULL));
  g_assert_true (st_network_append_layer (network, second, NULL));
  g_assert_true (st_network_append_layer (network, third, NULL));
  g_assert_true (st_network_validate (network, NULL));

  return network;
}

static void
assert_same_network (StNetwork *a,
                     StNetwork *b)
{
  g_assert_cmpint (st_network_get_loss (a), ==, st_network_get_loss (b));
  g_assert_cmpuint (st_network_get_n_layers (a), ==, st_network_get_n_layers (b));

  for (guint l = 0; l < st_network_get_n_layers (a); l++)
    {
      StLayer *x = st_network_get_layer (a, l);
      StLayer *y = st_network_get_layer (b, l);
      gsize nnz = st_layer_get_nnz (x);
      g_autofree guint *rows_x = g_new (guint, MAX (nnz, 1));
      g_autofree guint *rows_y = g_new (guint, MAX (nnz, 1));
      g_autofree guint *cols_x = g_new (guint, MAX (nnz, 1));
      g_autofree guint *cols_y = g_new (guint, MAX (nnz, 1));
      g_autofree double *values_x = g_new (double, MAX (nnz, 1));
      g_autofree double *values_y = g_new (double, MAX (nnz, 1));

      g_assert_cmpuint (st_layer_get_rows (x), ==, st_layer_get_rows (y));
      g_assert_cmpuint (st_layer_get_cols (x), ==, st_layer_get_cols (y));
      g_assert_cmpuint (nnz, ==, st_layer_get_nnz (y));
      g_assert_cmpint (st_layer_get_layout (x), ==, st_layer_get_layout (y));
      g_assert_cmpint (st_layer_get_activation (x), ==, st_layer_get_activation (y));
      g_assert_cmpint (st_layer_has_bias (x), ==, st_layer_has_bias (y));

      st_layer_copy_entries (x, rows_x, cols_x, values_x, NULL);
      st_layer_copy_entries (y, rows_y, cols_y, values_y, NULL);
      g_assert_cmpmem (rows_x, nnz * sizeof (guint), rows_y, nnz * sizeof (guint));
      g_assert_cmpmem (cols_x, nnz * sizeof (guint), cols_y, nnz * sizeof (guint));
      /* Bit-identical, so -0 and 0 count as different. */
      g_assert_cmpmem (values_x, nnz * sizeof (double), values_y, nnz * sizeof (double));

      if (st_layer_has_bias (x))
        g_assert_cmpmem (st_layer_get_bias (x), st_layer_get_rows (x) * sizeof (double),
                         st_layer_get_bias (y), st_layer_get_rows (y) * sizeof (double));
    }
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(StNetwork) network = build_network ();
  g_autoptr(StNetwork) loaded = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (fixture->path);
  g_autoptr(GError) error = NULL;

  g_assert_true (st_model_save (network, fixture->path, &error));
  g_assert_no_error (error);

  loaded = st_model_load (file, NULL, &error);
  g_assert_no_error (error);
  assert_same_network (network, loaded);
}

/* The first two lines are text: the version line and a JSON header that
 * Python's json module can read. */
static void
test_header_is_text (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(StNetwork) network = build_network ();
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (st_model_save (network, fixture->path, NULL));
  g_assert_true (g_file_get_contents (fixture->path, &contents, NULL, NULL));

  lines = g_strsplit (contents, "\n", 3);
  g_assert_cmpstr (lines[0], ==, "sparse-trainer-model 3");
  g_assert_true (g_str_has_prefix (lines[1], "{\"format\":\"sparse-trainer-model\",\"version\":3,"));
  g_assert_nonnull (strstr (lines[1], "\"loss\":\"softmax-cross-entropy\""));
  g_assert_nonnull (strstr (lines[1], "\"activation\":\"relu\""));
  g_assert_nonnull (strstr (lines[1], "\"layout\":\"coo\""));
}

/* A failed save leaves the old file byte for byte and no temporary file. */
static void
test_save_not_finite (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(StNetwork) network = build_network ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GDir) dir = NULL;
  guint n_files = 0;

  g_assert_true (st_model_save (network, fixture->path, NULL));
  g_assert_true (g_file_get_contents (fixture->path, &before, NULL, NULL));

  st_layer_get_values (st_network_get_layer (network, 2))[3] = NAN;
  g_assert_false (st_model_save (network, fixture->path, &error));
  g_assert_error (error, ST_ERROR, ST_ERROR_NUMERIC);
  g_assert_nonnull (strstr (error->message, "Layer 3"));

  g_assert_true (g_file_get_contents (fixture->path, &after, NULL, NULL));
  g_assert_cmpstr (before, ==, after);

  dir = g_dir_open (fixture->dir, 0, NULL);
  while (g_dir_read_name (dir) != NULL)
    n_files++;
  g_assert_cmpuint (n_files, ==, 1);
}

static void
test_save_to_missing_folder (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(StNetwork) network = build_network ();
  g_autofree char *path = g_build_filename (fixture->dir, "absent", "model.stmodel", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (st_model_save (network, path, &error));
  g_assert_error (error, ST_ERROR, ST_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "absent"));
}

/* Damaged files: each is rejected with a message, never a crash. */
static void
test_reject_damaged (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(StNetwork) network = build_network ();
  g_autofree char *contents = NULL;
  gsize length;
  char *header_end;
  struct
  {
    const char *name;
    char *text;
    gsize length;          /* bytes of text to write; 0 for all of it */
    const char *message_part;
  } damaged[9];
  guint n = 0;

  g_assert_true (st_model_save (network, fixture->path, NULL));
  g_assert_true (g_file_get_contents (fixture->path, &contents, &length, NULL));
  header_end = strchr (strchr (contents, '\n') + 1, '\n') + 1;

  damaged[n++] = (typeof (damaged[0])) { "not-a-model", g_strdup ("hello\nworld\n"), 0,
                                         "not a Sparse Trainer model" };
  damaged[n++] = (typeof (damaged[0])) { "newer-version",
                                         g_strdup ("sparse-trainer-model 99\n{}\n"), 0,
                                         "version 99" };
  damaged[n++] = (typeof (damaged[0])) { "truncated-arrays", g_memdup2 (contents, length - 9),
                                         length - 9, "truncated" };
  damaged[n++] = (typeof (damaged[0])) { "truncated-header",
                                         g_memdup2 (contents, (gsize) (header_end - contents) - 20),
                                         (gsize) (header_end - contents) - 20, "truncated" };
  damaged[n++] = (typeof (damaged[0])) { "bad-json", g_strdup ("sparse-trainer-model 1\n{\"a\":\n"),
                                         0, "not valid JSON" };
  damaged[n++] = (typeof (damaged[0])) { "no-layers",
                                         g_strdup ("sparse-trainer-model 1\n{\"inputs\":2,"
                                                   "\"loss\":\"half-mse\",\"layers\":[]}\n"),
                                         0, "no layers" };
  damaged[n++] = (typeof (damaged[0])) { "huge-layer",
                                         g_strdup ("sparse-trainer-model 1\n{\"inputs\":2,"
                                                   "\"loss\":\"half-mse\",\"layers\":[{\"rows\":"
                                                   "2000000000,\"cols\":2000000000,\"nnz\":"
                                                   "2000000000,\"activation\":\"identity\","
                                                   "\"layout\":\"csr\",\"bias\":false,"
                                                   "\"arrays\":{\"row_ptr\":{\"dtype\":\"<i8\","
                                                   "\"offset\":0,\"count\":2000000001},"
                                                   "\"col_index\":{\"dtype\":\"<i4\",\"offset\":0,"
                                                   "\"count\":2000000000},\"value\":{\"dtype\":"
                                                   "\"<f8\",\"offset\":0,\"count\":2000000000}}}]}\n"),
                                         0, "GiB" };

  /* 128 MB of arrays would fit in memory, but the file ends after its
   * header: the reader must say so before it allocates them. */
  damaged[n++] = (typeof (damaged[0])) { "arrays-beyond-end",
                                         g_strdup ("sparse-trainer-model 1\n{\"inputs\":1000000,"
                                                   "\"loss\":\"half-mse\",\"layers\":[{\"rows\":"
                                                   "1000000,\"cols\":1000000,\"nnz\":"
                                                   "10000000,\"activation\":\"identity\","
                                                   "\"layout\":\"csr\",\"bias\":false,"
                                                   "\"arrays\":{\"row_ptr\":{\"dtype\":\"<i8\","
                                                   "\"offset\":0,\"count\":1000001},"
                                                   "\"col_index\":{\"dtype\":\"<i4\",\"offset\":"
                                                   "8000008,\"count\":10000000},\"value\":{\"dtype\":"
                                                   "\"<f8\",\"offset\":48000008,\"count\":10000000}}}]}\n"),
                                         0, "but only 0 bytes follow it" };

  for (guint k = 0; k < n; k++)
    {
      /* A length of 0 stands for the whole text. */
      if (damaged[k].length == 0)
        damaged[k].length = strlen (damaged[k].text);

      g_autofree char *name = g_strdup_printf ("%s.stmodel", damaged[k].name);
      g_autofree char *path = test_files_write (fixture->dir, name, damaged[k].text,
                                                (gssize) damaged[k].length);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;
      StNetwork *loaded = st_model_load (file, NULL, &error);

      g_assert_null (loaded);
      g_assert_nonnull (error);
      if (strstr (error->message, damaged[k].message_part) == NULL)
        g_error ("%s: the message “%s” does not contain “%s”", damaged[k].name,
                 error->message, damaged[k].message_part);
      g_free (damaged[k].text);
    }
}

/* The input standardization travels with the model, bit for bit. */
static void
test_standardization_round_trip (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(StNetwork) network = build_network ();
  g_autoptr(StNetwork) loaded = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (fixture->path);
  const double mean[5] = { 0.5, -1.0, 1e-300, 3.0, 0.0 };
  const double scale[5] = { 2.0, 1.0 / 3.0, 1.0, 0.25, 7.0 };

  st_network_set_standardization (network, mean, scale);
  g_assert_true (st_model_save (network, fixture->path, NULL));

  loaded = st_model_load (file, NULL, NULL);
  g_assert_nonnull (loaded);
  assert_same_network (network, loaded);
  g_assert_cmpmem (st_network_get_input_mean (loaded), sizeof mean, mean, sizeof mean);
  g_assert_cmpmem (st_network_get_input_scale (loaded), sizeof scale, scale, sizeof scale);
}

/* A version 1 file, written byte by byte here: the worked example's
 * W = [[0, 0.5], [0.5, 0]] with row pointers [0, 1, 2], columns [1, 0]
 * (4 bytes each, then 0 padding to 8 bytes) and values [0.5, 0.5]. */
static void
test_reads_version_1 (Fixture       *fixture,
                      gconstpointer  data)
{
  const char header[] =
    "sparse-trainer-model 1\n"
    "{\"format\":\"sparse-trainer-model\",\"version\":1,\"inputs\":2,\"loss\":\"half-mse\","
    "\"layers\":[{\"rows\":2,\"cols\":2,\"nnz\":2,\"activation\":\"identity\",\"layout\":\"csr\","
    "\"bias\":false,\"arrays\":{\"row_ptr\":{\"dtype\":\"<i8\",\"offset\":0,\"count\":3},"
    "\"col_index\":{\"dtype\":\"<i4\",\"offset\":24,\"count\":2},"
    "\"value\":{\"dtype\":\"<f8\",\"offset\":32,\"count\":2}}}]}\n";
  guint8 binary[48] = { 0 };
  const gint64 row_ptr[3] = { 0, 1, 2 };
  const gint32 col_index[2] = { 1, 0 };
  const double values[2] = { 0.5, 0.5 };
  g_autoptr(GByteArray) contents = g_byte_array_new ();
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(StNetwork) network = NULL;
  guint rows[2];
  guint cols[2];
  double loaded_values[2];

  /* Little-endian on the machines this runs on; the format says so. */
  g_assert_cmpint (G_BYTE_ORDER, ==, G_LITTLE_ENDIAN);
  memcpy (binary, row_ptr, sizeof row_ptr);
  memcpy (binary + 24, col_index, sizeof col_index);
  memcpy (binary + 32, values, sizeof values);
  g_byte_array_append (contents, (const guint8 *) header, strlen (header));
  g_byte_array_append (contents, binary, sizeof binary);
  path = test_files_write (fixture->dir, "version-1.stmodel", (const char *) contents->data,
                           contents->len);
  file = g_file_new_for_path (path);

  network = st_model_load (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (st_network_get_n_layers (network), ==, 1);
  g_assert_null (st_network_get_input_mean (network));

  st_layer_copy_entries (st_network_get_layer (network, 0), rows, cols, loaded_values, NULL);
  g_assert_cmpuint (rows[0], ==, 0);
  g_assert_cmpuint (cols[0], ==, 1);
  g_assert_cmpuint (rows[1], ==, 1);
  g_assert_cmpuint (cols[1], ==, 0);
  g_assert_cmpfloat (loaded_values[0], ==, 0.5);
  g_assert_cmpfloat (loaded_values[1], ==, 0.5);
}

/* Field by field: the structs' padding bytes are not defined. */
static void
assert_same_settings (const StTrainSettings *a,
                      const StTrainSettings *b)
{
  g_assert_cmpfloat (a->learning_rate, ==, b->learning_rate);
  g_assert_cmpuint (a->batch_size, ==, b->batch_size);
  g_assert_cmpuint (a->seed, ==, b->seed);
  g_assert_cmpfloat (a->test_fraction, ==, b->test_fraction);
  g_assert_cmpint (a->optimizer.kind, ==, b->optimizer.kind);
  g_assert_cmpfloat (a->optimizer.momentum, ==, b->optimizer.momentum);
  g_assert_cmpfloat (a->optimizer.beta1, ==, b->optimizer.beta1);
  g_assert_cmpfloat (a->optimizer.beta2, ==, b->optimizer.beta2);
  g_assert_cmpfloat (a->optimizer.epsilon, ==, b->optimizer.epsilon);
  g_assert_cmpfloat (a->optimizer.weight_decay, ==, b->optimizer.weight_decay);
  g_assert_cmpint (a->schedule.kind, ==, b->schedule.kind);
  g_assert_cmpuint (a->schedule.step_epochs, ==, b->schedule.step_epochs);
  g_assert_cmpfloat (a->schedule.gamma, ==, b->schedule.gamma);
  g_assert_cmpuint (a->schedule.total_epochs, ==, b->schedule.total_epochs);
  g_assert_cmpfloat (a->schedule.min_rate, ==, b->schedule.min_rate);
  g_assert_cmpfloat (a->max_norm, ==, b->max_norm);
  g_assert_cmpint (a->standardize, ==, b->standardize);
  g_assert_cmpuint (a->threads, ==, b->threads);
}

/* Everything beside the network: settings, progress, history with NaN
 * cells, class names, and Adam's state in a CSC layer, which the file
 * keeps in canonical order and the reader puts back in layout order. */
static void
test_training_round_trip (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(StNetwork) network = build_network ();
  g_autoptr(StModel) model = NULL;
  g_autoptr(StModel) loaded = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (fixture->path);
  g_autoptr(GError) error = NULL;
  const char *const names[] = { "cat", "dog", "bird", "猫", NULL };
  StHistoryRecord records[2] = { { 1, 10, 0.5, NAN, NAN }, { 2, 20, 0.25, 0.3, 0.75 } };
  double x[5 * 2];
  double t[4 * 2] = { 1, 0, 0, 1, 0, 0, 0, 0 };
  StOptimizer adam;

  /* Two Adam steps give every weight and bias two non-zero states. */
  for (guint k = 0; k < G_N_ELEMENTS (x); k++)
    x[k] = 0.1 * k - 0.4;
  st_optimizer_init_default (&adam, ST_OPTIMIZER_ADAM);
  g_assert_true (st_network_train_step (network, x, t, 2, &adam, 0.01, 0.0, NULL, &error));
  g_assert_true (st_network_train_step (network, x, t, 2, &adam, 0.01, 0.0, NULL, &error));
  g_assert_no_error (error);

  model = st_model_new (g_steal_pointer (&network));
  model->has_training = TRUE;
  model->settings.learning_rate = 0.123;
  model->settings.batch_size = 7;
  model->settings.seed = 99;
  model->settings.test_fraction = 0.25;
  model->settings.optimizer = adam;
  model->settings.schedule.kind = ST_SCHEDULE_COSINE;
  model->settings.schedule.total_epochs = 40;
  model->settings.max_norm = 2.5;
  model->settings.standardize = TRUE;
  model->settings.threads = 2;
  model->epoch = 2;
  model->step = 20;
  model->history = st_history_new ();
  st_history_append (model->history, &records[0]);
  st_history_append (model->history, &records[1]);
  model->class_names = g_strdupv ((char **) names);

  g_assert_true (st_model_write (model, fixture->path, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  loaded = st_model_read (file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  assert_same_network (model->network, loaded->network);
  g_assert_cmpuint (st_network_get_updates (loaded->network), ==, 2);
  g_assert_true (loaded->has_training);
  assert_same_settings (&loaded->settings, &model->settings);
  g_assert_cmpuint (loaded->epoch, ==, 2);
  g_assert_cmpuint (loaded->step, ==, 20);
  g_assert_cmpstrv (loaded->class_names, names);
  g_assert_cmpuint (st_history_get_length (loaded->history), ==, 2);
  g_assert_cmpuint (st_history_get (loaded->history, 1)->step, ==, 20);
  g_assert_cmpfloat (st_history_get (loaded->history, 1)->test_accuracy, ==, 0.75);
  g_assert_true (isnan (st_history_get (loaded->history, 0)->test_cost));

  /* The optimizer state: one more identical step on both gives the same
   * bits only if the states came back in the right places. */
  g_assert_true (st_network_train_step (model->network, x, t, 2, &adam, 0.01, 0.0, NULL, NULL));
  g_assert_true (st_network_train_step (loaded->network, x, t, 2, &adam, 0.01, 0.0, NULL, NULL));
  assert_same_network (model->network, loaded->network);
}

static void
count_progress (double   fraction,
                gpointer user_data)
{
  double *last = user_data;

  g_assert_cmpfloat (fraction, >=, *last);
  g_assert_cmpfloat (fraction, <=, 1.0);
  *last = fraction;
}

/* Progress ends at 1; a cancelled write leaves the old file and no
 * temporary file. */
static void
test_progress_and_cancel (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(StNetwork) network = build_network ();
  g_autoptr(StModel) model = st_model_new (g_steal_pointer (&network));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GDir) dir = NULL;
  double last = 0.0;
  guint n_files = 0;

  g_assert_true (st_model_write (model, fixture->path, count_progress, &last, NULL, NULL));
  g_assert_cmpfloat (last, ==, 1.0);
  g_assert_true (g_file_get_contents (fixture->path, &before, NULL, NULL));

  st_layer_get_values (st_network_get_layer (model->network, 0))[0] += 1.0;
  g_cancellable_cancel (cancellable);
  g_assert_false (st_model_write (model, fixture->path, NULL, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_assert_true (g_file_get_contents (fixture->path, &after, NULL, NULL));
  g_assert_cmpstr (before, ==, after);
  dir = g_dir_open (fixture->dir, 0, NULL);
  while (g_dir_read_name (dir) != NULL)
    n_files++;
  g_assert_cmpuint (n_files, ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, function) \
  g_test_add (path, Fixture, NULL, fixture_set_up, function, fixture_tear_down)

  ADD ("/engine/model-file/round-trip", test_round_trip);
  ADD ("/engine/model-file/header-is-text", test_header_is_text);
  ADD ("/engine/model-file/save-not-finite", test_save_not_finite);
  ADD ("/engine/model-file/save-to-missing-folder", test_save_to_missing_folder);
  ADD ("/engine/model-file/reject-damaged", test_reject_damaged);
  ADD ("/engine/model-file/standardization-round-trip", test_standardization_round_trip);
  ADD ("/engine/model-file/reads-version-1", test_reads_version_1);
  ADD ("/engine/model-file/training-round-trip", test_training_round_trip);
  ADD ("/engine/model-file/progress-and-cancel", test_progress_and_cancel);

#undef ADD

  return g_test_run ();
}
