/* test-csv.c: reading data sets from CSV files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "st-engine.h"
#include "test-files.h"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = test_files_make_dir ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  test_files_remove_dir (fixture->dir);
  g_free (fixture->dir);
}

static StDataset *
load (Fixture     *fixture,
      const char  *text,
      guint        n_inputs,
      guint        n_outputs,
      GError     **error)
{
  g_autofree char *path = test_files_write (fixture->dir, "data.csv", text, -1);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return st_dataset_load_csv (file, n_inputs, n_outputs, NULL, error);
}

static void
test_targets (Fixture       *fixture,
              gconstpointer  data)
{
  const double inputs[] = { 4.0, 2.0, -1.5, 0.25 };
  const double targets[] = { 2.0, 4.0, 1e-3, -7.0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(StDataset) dataset = load (fixture, "x1,x2,t1,t2\n4,2,2,4\n-1.5,0.25,1e-3,-7\n",
                                       2, 2, &error);

  g_assert_no_error (error);
  g_assert_false (st_dataset_is_classification (dataset));
  g_assert_cmpuint (st_dataset_get_n_samples (dataset), ==, 2);
  g_assert_cmpuint (st_dataset_get_n_targets (dataset), ==, 2);
  g_assert_cmpmem (st_dataset_get_inputs (dataset), sizeof inputs, inputs, sizeof inputs);
  g_assert_cmpmem (st_dataset_get_targets (dataset), sizeof targets, targets, sizeof targets);
}

/* A byte order mark, a quoted header, CRLF, exponent notation and no
 * final newline: three samples, the header is not one of them. */
static void
test_spreadsheet_export (Fixture       *fixture,
                         gconstpointer  data)
{
  const double inputs[] = { 0.5, 1.5, -2.0, 0.25, 3.0, 0.4 };
  const guint labels[] = { 1, 0, 1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(StDataset) dataset = load (fixture,
                                       "\xEF\xBB\xBF\"x1\",\"x2\",\"label\"\r\n0.5,1.5,1\r\n"
                                       "-2.0,0.25,0\r\n3,4e-1,1",
                                       2, 2, &error);

  g_assert_no_error (error);
  g_assert_true (st_dataset_is_classification (dataset));
  g_assert_cmpuint (st_dataset_get_n_samples (dataset), ==, 3);
  g_assert_cmpmem (st_dataset_get_inputs (dataset), sizeof inputs, inputs, sizeof inputs);
  g_assert_cmpmem (st_dataset_get_labels (dataset), sizeof labels, labels, sizeof labels);
  g_assert_cmpuint (st_dataset_get_n_classes (dataset), ==, 2);
}

/* Text labels become classes in the order they first appear. */
static void
test_text_labels (Fixture       *fixture,
                  gconstpointer  data)
{
  const guint labels[] = { 0, 1, 0, 2 };
  g_autoptr(GError) error = NULL;
  g_autoptr(StDataset) dataset = load (fixture,
                                       "x1,x2,species\n0.5,1.5,cat\n1.0,0.5,dog\n"
                                       "2.0,2.5,cat\n0.0,1.0,bird\n",
                                       2, 3, &error);

  g_assert_no_error (error);
  g_assert_cmpmem (st_dataset_get_labels (dataset), sizeof labels, labels, sizeof labels);
  g_assert_cmpuint (st_dataset_get_n_classes (dataset), ==, 3);
  g_assert_cmpstr (st_dataset_get_class_name (dataset, 0), ==, "cat");
  g_assert_cmpstr (st_dataset_get_class_name (dataset, 1), ==, "dog");
  g_assert_cmpstr (st_dataset_get_class_name (dataset, 2), ==, "bird");
}

/* Whole-number labels are the class indices themselves, so "3" is class 3
 * even when class 1 never appears. */
static void
test_number_labels (Fixture       *fixture,
                    gconstpointer  data)
{
  const guint labels[] = { 3, 0, 2 };
  double x[2 * 3];
  double t[4 * 3];
  const guint samples[] = { 0, 1, 2 };
  g_autoptr(GError) error = NULL;
  g_autoptr(StDataset) dataset = load (fixture, "1,2,3\n4,5,0\n6,7,2.0\n", 2, 4, &error);

  g_assert_no_error (error);
  g_assert_cmpmem (st_dataset_get_labels (dataset), sizeof labels, labels, sizeof labels);
  g_assert_cmpuint (st_dataset_get_n_classes (dataset), ==, 4);

  /* Gathered feature-major with one-hot targets. */
  st_dataset_gather (dataset, samples, 3, 4, x, t);
  g_assert_cmpfloat (x[0 * 3 + 1], ==, 4.0);
  g_assert_cmpfloat (x[1 * 3 + 2], ==, 7.0);
  g_assert_cmpfloat (t[3 * 3 + 0], ==, 1.0);
  g_assert_cmpfloat (t[0 * 3 + 1], ==, 1.0);
  g_assert_cmpfloat (t[2 * 3 + 2], ==, 1.0);
  g_assert_cmpfloat (t[0 * 3 + 0], ==, 0.0);
}

/* A German spreadsheet: ';' separates, ',' is the decimal point. */
static void
test_semicolon_decimal_comma (Fixture       *fixture,
                              gconstpointer  data)
{
  const double inputs[] = { 0.5, 1.5, -2.0, 0.25 };
  const guint labels[] = { 1, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(StDataset) dataset = load (fixture, "x1;x2;label\r\n0,5;1,5;1\r\n-2,0;0,25;0\r\n",
                                       2, 2, &error);

  g_assert_no_error (error);
  g_assert_cmpmem (st_dataset_get_inputs (dataset), sizeof inputs, inputs, sizeof inputs);
  g_assert_cmpmem (st_dataset_get_labels (dataset), sizeof labels, labels, sizeof labels);
}

static void
test_tabs_blank_lines_quotes (Fixture       *fixture,
                              gconstpointer  data)
{
  const double inputs[] = { 1.0, 2.0, 3.0, 4.0 };
  const guint labels[] = { 0, 1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(StDataset) dataset = load (fixture,
                                       "\n\"a\"\t\"b\"\t\"the \"\"kind\"\"\"\n\n1\t2\t\"x, y\"\n"
                                       "  \n3\t4\tz\n\n",
                                       2, 2, &error);

  g_assert_no_error (error);
  g_assert_cmpmem (st_dataset_get_inputs (dataset), sizeof inputs, inputs, sizeof inputs);
  g_assert_cmpmem (st_dataset_get_labels (dataset), sizeof labels, labels, sizeof labels);
  g_assert_cmpstr (st_dataset_get_class_name (dataset, 0), ==, "x, y");
}

typedef struct
{
  const char *name;
  const char *text;
  guint n_inputs;
  guint n_outputs;
  const char *message_parts[3];
} BadData;

static const BadData bad_data[] = {
  { "empty-cell", "x1,x2,label\n0.5,,1\n", 2, 2, { "line 2", "column 2 (“x2”)", "missing" } },
  { "na", "x1,x2,label\n1.0,NA,0\n", 2, 2, { "line 2", "“NA”", "not a number" } },
  { "nan", "x1,x2,label\n2.0,nan,1\n", 2, 2, { "line 2", "“nan”", "not a finite number" } },
  { "empty-label", "x1,x2,label\n3.0,4.0,\n", 2, 2, { "line 2", "class label is missing" } },
  { "ragged", "x1,x2,label\n0.5,1.5,1\n1.0,0\n2.0,2.5,1,9\n", 2, 2,
    { "line 3 has 2", "line 4 has 4", "needs 3 columns" } },
  /* The message lists 8 lines and counts the rest. */
  { "many-ragged", "x1,x2,label\n0.5,1.5,1\n1\n2\n3\n4\n5\n6\n7\n8\n9\n", 2, 2,
    { "line 3 has 1 column,", "line 10 has 1 column", "and 1 more line differs" } },
  { "wrong-width", "1,2,3,4,5\n", 2, 2, { "line 1 has 5 columns", "2 input columns" } },
  { "one-column", "7\n", 2, 2, { "line 1 has 1 column,", "2 input columns" } },
  { "too-many-classes", "1,2,a\n3,4,b\n5,6,c\n", 2, 2, { "line 3", "“c”", "2 outputs" } },
  { "label-beyond-outputs", "1,2,0\n3,4,7\n", 2, 3, { "line 2", "“7”", "count from 0" } },
  { "no-data", "x1,x2,label\n\n", 2, 2, { "no data lines" } },
  { "unclosed-quote", "1,2,\"abc\n", 2, 2, { "line 1", "not closed" } },
  { "text-target", "1,2,high\n", 2, 1, { "line 1", "“high”", "not a number" } },
};

static void
test_bad_data (Fixture       *fixture,
               gconstpointer  data)
{
  const BadData *bad = data;
  g_autoptr(GError) error = NULL;
  StDataset *dataset = load (fixture, bad->text, bad->n_inputs, bad->n_outputs, &error);

  g_assert_null (dataset);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "data.csv"));
  for (guint k = 0; k < G_N_ELEMENTS (bad->message_parts) && bad->message_parts[k]; k++)
    if (strstr (error->message, bad->message_parts[k]) == NULL)
      g_error ("The message “%s” does not contain “%s”", error->message, bad->message_parts[k]);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, data, function) \
  g_test_add (path, Fixture, data, fixture_set_up, function, fixture_tear_down)

  ADD ("/engine/csv/targets", NULL, test_targets);
  ADD ("/engine/csv/spreadsheet-export", NULL, test_spreadsheet_export);
  ADD ("/engine/csv/text-labels", NULL, test_text_labels);
  ADD ("/engine/csv/number-labels", NULL, test_number_labels);
  ADD ("/engine/csv/semicolon-decimal-comma", NULL, test_semicolon_decimal_comma);
  ADD ("/engine/csv/tabs-blank-lines-quotes", NULL, test_tabs_blank_lines_quotes);
  for (guint k = 0; k < G_N_ELEMENTS (bad_data); k++)
    {
      g_autofree char *path = g_strdup_printf ("/engine/csv/reject/%s", bad_data[k].name);

      ADD (path, &bad_data[k], test_bad_data);
    }

#undef ADD

  return g_test_run ();
}
