/* test-locale.c: files read and write the same numbers in every locale
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK sets LC_NUMERIC from the user's locale, and in German the C
 * library then reads "0.5" as 0 and prints 0.5 as "0,5".  Every reader
 * and writer runs here under C, de_DE.UTF-8 (decimal comma) and
 * zh_CN.UTF-8, which the test set-up compiles into the build folder
 * (LOCPATH).  The numbers must come out the same and exact.
 */

#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include "st-engine.h"
#include "test-files.h"

static const char *const locales[] = { "C.UTF-8", "de_DE.UTF-8", "zh_CN.UTF-8" };

static void
enter_locale (const char *name)
{
  if (setlocale (LC_ALL, name) == NULL)
    g_error ("The locale %s is missing; the test set-up compiles it with localedef into "
             "LOCPATH (%s)", name, g_getenv ("LOCPATH"));

  if (strcmp (name, "de_DE.UTF-8") == 0)
    g_assert_cmpstr (localeconv ()->decimal_point, ==, ",");
}

/* W = [[0.5, -1.25], [2.75, 0.3]] with 0.3 written as 3.0e-1, x = [0.5, 1.5],
 * t = [0.25, -0.75].  By hand: y = [0.25 - 1.875, 1.375 + 0.45] =
 * [-1.625, 1.825], e = [-1.875, 2.575], sum of squares 3.515625 +
 * 6.630625 = 10.14625, and the half mean over 2 outputs is 2.5365625. */
static void
test_read_in_locale (gconstpointer data)
{
  const char *name = data;
  g_autofree char *dir = test_files_make_dir ();
  g_autofree char *weights = test_files_write (dir, "W.mtx",
                                               "%%MatrixMarket matrix coordinate real general\n"
                                               "2 2 4\n1 1 0.5\n1 2 -1.25\n2 1 2.75\n2 2 3.0e-1\n",
                                               -1);
  g_autofree char *table = test_files_write (dir, "data.csv", "x1,x2,t1,t2\n0.5,1.5,0.25,-0.75\n",
                                             -1);
  g_autoptr(GFile) weights_file = g_file_new_for_path (weights);
  g_autoptr(GFile) table_file = g_file_new_for_path (table);
  g_autoptr(StMtx) mtx = NULL;
  g_autoptr(StDataset) dataset = NULL;
  g_autoptr(StNetwork) network = st_network_new (ST_LOSS_HALF_MSE);
  g_autoptr(GError) error = NULL;
  const guint samples[] = { 0 };
  const double *y;
  double x[2];
  double t[2];
  double cost;

  enter_locale (name);

  mtx = st_mtx_read (weights_file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (mtx->value[0], ==, 0.5);
  g_assert_cmpfloat (mtx->value[1], ==, -1.25);
  g_assert_cmpfloat (mtx->value[2], ==, 2.75);
  g_assert_cmpfloat (mtx->value[3], ==, 0.3);

  dataset = st_dataset_load_csv (table_file, 2, 2, NULL, &error);
  g_assert_no_error (error);
  st_dataset_gather (dataset, samples, 1, 2, x, t);
  g_assert_cmpfloat (x[0], ==, 0.5);
  g_assert_cmpfloat (x[1], ==, 1.5);
  g_assert_cmpfloat (t[0], ==, 0.25);
  g_assert_cmpfloat (t[1], ==, -0.75);

  g_assert_true (st_network_append_layer (network, st_mtx_to_layer (mtx, ST_LAYOUT_CSR, NULL),
                                          NULL));
  g_assert_true (st_network_compute_cost (network, x, t, 1, &cost, &error));
  y = st_network_get_output (network);
  g_assert_cmpfloat (y[0], ==, -1.625);
  g_assert_cmpfloat_with_epsilon (y[1], 1.825, 1e-15);
  g_assert_cmpfloat_with_epsilon (cost, 2.5365625, 1e-15);

  setlocale (LC_ALL, "C");
  test_files_remove_dir (dir);
}

/* Values whose shortest text has many digits, a tiny one and -0: written
 * and read back under the locale, bit for bit, with '.' in the text. */
static void
test_write_in_locale (gconstpointer data)
{
  const char *name = data;
  const double values[] = { 0.1, -2.0 / 3.0, 1e-300, -0.0, 123456.789 };
  const guint rows[] = { 0, 0, 1, 1, 2 };
  const guint cols[] = { 0, 1, 0, 1, 1 };
  g_autofree char *dir = test_files_make_dir ();
  g_autofree char *mtx_path = g_build_filename (dir, "out.mtx", NULL);
  g_autofree char *model_path = g_build_filename (dir, "out.stmodel", NULL);
  g_autofree char *history_path = g_build_filename (dir, "history.csv", NULL);
  g_autoptr(GFile) mtx_file = g_file_new_for_path (mtx_path);
  g_autoptr(GFile) model_file = g_file_new_for_path (model_path);
  g_autoptr(StMtx) mtx = NULL;
  g_autoptr(StNetwork) network = st_network_new (ST_LOSS_HALF_MSE);
  g_autoptr(StModel) model = NULL;
  g_autoptr(StModel) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  StHistoryRecord record = { 1, 3, 0.5, 0.125, 0.75 };
  char number[ST_DOUBLE_BUFFER_SIZE];
  double back[5];

  enter_locale (name);

  g_assert_cmpstr (st_format_double (0.5, number), ==, "0.5");

  g_assert_true (st_mtx_write_coordinate (mtx_path, 3, 2, 5, rows, cols, values, &error));
  g_assert_true (g_file_get_contents (mtx_path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\n1 1 0.1\n"));
  g_assert_null (strstr (text, "0,1"));
  mtx = st_mtx_read (mtx_file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (mtx->value, sizeof values, values, sizeof values);

  g_assert_true (st_network_append_layer (network, st_mtx_to_layer (mtx, ST_LAYOUT_COO, NULL),
                                          NULL));
  model = st_model_new (g_steal_pointer (&network));
  model->has_training = TRUE;
  model->settings.learning_rate = 0.1;
  model->settings.test_fraction = 0.25;
  model->history = st_history_new ();
  st_history_append (model->history, &record);
  g_assert_true (st_model_write (model, model_path, NULL, NULL, NULL, &error));
  loaded = st_model_read (model_file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  st_layer_copy_entries (st_network_get_layer (loaded->network, 0), NULL, NULL, back, NULL);
  g_assert_cmpmem (back, sizeof back, values, sizeof values);
  g_assert_cmpfloat (loaded->settings.learning_rate, ==, 0.1);
  g_assert_cmpfloat (loaded->settings.test_fraction, ==, 0.25);

  g_clear_pointer (&text, g_free);
  g_assert_true (st_history_write_csv (model->history, history_path, &error));
  g_assert_true (g_file_get_contents (history_path, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "epoch,train_cost,test_cost,test_accuracy\n1,0.5,0.125,0.75\n");

  setlocale (LC_ALL, "C");
  test_files_remove_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint k = 0; k < G_N_ELEMENTS (locales); k++)
    {
      g_autofree char *read_path = g_strdup_printf ("/engine/locale/%s/read", locales[k]);
      g_autofree char *write_path = g_strdup_printf ("/engine/locale/%s/write", locales[k]);

      g_test_add_data_func (read_path, locales[k], test_read_in_locale);
      g_test_add_data_func (write_path, locales[k], test_write_in_locale);
    }

  return g_test_run ();
}
