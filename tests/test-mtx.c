/* test-mtx.c: reading and writing Matrix Market files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>
#include <sys/resource.h>

#include "st-engine.h"
#include "test-files.h"

/* A 5 x 5 matrix with 8 entries, as dense rows:
 * [[1, 0, 0, 6, 0], [0, 10.5, 0, 0, 0], [0, 0, 0.025, 0, 0],
 *  [0, 125.25, 0, -350, -0.125], [0, 0, 0, 0, 7]]. */
static const guint five_rows[] = { 0, 0, 1, 2, 3, 3, 3, 4 };
static const guint five_cols[] = { 0, 3, 1, 2, 1, 3, 4, 4 };
static const double five_values[] = { 1.0, 6.0, 10.5, 0.025, 125.25, -350.0, -0.125, 7.0 };

typedef struct
{
  const char *name;
  const char *text;
} Variant;

/* The same matrix in layouts that other tools write or people type. */
static const Variant five_variants[] = {
  { "plain",
    "%%MatrixMarket matrix coordinate real general\n"
    "5 5 8\n1 1 1\n1 4 6\n2 2 10.5\n3 3 0.025\n4 2 125.25\n4 4 -350\n4 5 -0.125\n5 5 7\n" },
  { "free-format",
    "%%MatrixMarket   matrix\tcoordinate  real general   \n"
    "% a comment\n%\n\n  5\t5   8\n\n1  1 1.0e0\n  1 4 6\n2\t2 10.5\n"
    "% comment between entries\n3 3 2.5e-2\n\n4 2 125.25\n4 4 -3.5E2\n4 5 -.125\n5 5 +7\n\n" },
  { "crlf",
    "%%MatrixMarket matrix coordinate real general\r\n"
    "5 5 8\r\n1 1 1\r\n1 4 6\r\n2 2 10.5\r\n3 3 0.025\r\n4 2 125.25\r\n4 4 -350\r\n"
    "4 5 -0.125\r\n5 5 7\r\n" },
  { "lowercase-banner",
    "%%matrixmarket MATRIX Coordinate REAL General\n"
    "5 5 8\n1 1 1\n1 4 6\n2 2 10.5\n3 3 0.025\n4 2 125.25\n4 4 -350\n4 5 -0.125\n5 5 7\n" },
  { "no-final-newline",
    "%%MatrixMarket matrix coordinate real general\n"
    "5 5 8\n5 5 7\n4 5 -0.125\n4 4 -350\n4 2 125.25\n3 3 0.025\n2 2 10.5\n1 4 6\n1 1 1" },
};

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

static StMtx *
read_text (Fixture     *fixture,
           const char  *text,
           GError     **error)
{
  g_autofree char *path = test_files_write (fixture->dir, "matrix.mtx", text, -1);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return st_mtx_read (file, NULL, error);
}

static void
assert_entries (const StMtx  *mtx,
                guint         rows,
                guint         cols,
                gsize         nnz,
                const guint  *entry_rows,
                const guint  *entry_cols,
                const double *values)
{
  g_assert_cmpuint (mtx->rows, ==, rows);
  g_assert_cmpuint (mtx->cols, ==, cols);
  g_assert_cmpuint (mtx->nnz, ==, nnz);
  g_assert_cmpmem (mtx->row, nnz * sizeof (guint), entry_rows, nnz * sizeof (guint));
  g_assert_cmpmem (mtx->col, nnz * sizeof (guint), entry_cols, nnz * sizeof (guint));
  if (values != NULL)
    g_assert_cmpmem (mtx->value, nnz * sizeof (double), values, nnz * sizeof (double));
}

static void
test_layout_variants (Fixture       *fixture,
                      gconstpointer  data)
{
  const Variant *variant = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(StMtx) mtx = read_text (fixture, variant->text, &error);

  g_assert_no_error (error);
  g_assert_true (mtx->has_values);
  g_assert_cmpuint (mtx->warnings->len, ==, 0);
  assert_entries (mtx, 5, 5, 8, five_rows, five_cols, five_values);
}

static void
test_gzip (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
  g_autoptr(GFile) file = test_files_get (fixture->dir, "matrix.mtx.gz");
  g_autoptr(GFileOutputStream) raw = g_file_replace (file, NULL, FALSE, 0, NULL, NULL);
  g_autoptr(GOutputStream) stream = g_converter_output_stream_new (G_OUTPUT_STREAM (raw),
                                                                   G_CONVERTER (compressor));
  g_autoptr(GError) error = NULL;
  g_autoptr(StMtx) mtx = NULL;

  g_assert_true (g_output_stream_write_all (stream, five_variants[0].text,
                                            strlen (five_variants[0].text), NULL, NULL, &error));
  g_assert_true (g_output_stream_close (stream, NULL, &error));
  g_assert_no_error (error);

  mtx = st_mtx_read (file, NULL, &error);
  g_assert_no_error (error);
  assert_entries (mtx, 5, 5, 8, five_rows, five_cols, five_values);
}

/* Positions only: the values are zero and has_values is FALSE. */
static void
test_pattern_field (Fixture       *fixture,
                    gconstpointer  data)
{
  const guint rows[] = { 0, 0, 1, 2, 2 };
  const guint cols[] = { 1, 3, 0, 2, 3 };
  g_autoptr(GError) error = NULL;
  g_autoptr(StMtx) mtx = read_text (fixture,
                                    "%%MatrixMarket matrix coordinate pattern general\n"
                                    "3 4 5\n1 2\n1 4\n2 1\n3 3\n3 4\n", &error);

  g_assert_no_error (error);
  g_assert_false (mtx->has_values);
  assert_entries (mtx, 3, 4, 5, rows, cols, NULL);
}

/* A symmetric file lists the lower triangle; the diagonal is stored once.
 * Full matrix: [[2, -1, 0], [-1, 0, 0.5], [0, 0.5, 4]]. */
static void
test_symmetric (Fixture       *fixture,
                gconstpointer  data)
{
  const guint rows[] = { 0, 0, 1, 1, 2, 2 };
  const guint cols[] = { 0, 1, 0, 2, 1, 2 };
  const double values[] = { 2.0, -1.0, -1.0, 0.5, 0.5, 4.0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(StMtx) mtx = read_text (fixture,
                                    "%%MatrixMarket matrix coordinate real symmetric\n"
                                    "3 3 4\n1 1 2.0\n2 1 -1.0\n3 2 0.5\n3 3 4.0\n", &error);

  g_assert_no_error (error);
  assert_entries (mtx, 3, 3, 6, rows, cols, values);
}

/* Training on a symmetric file treats the six stored weights as
 * independent.  With x = [1, 2, 3], t = [1, 0, 0] and no bias, by hand:
 * y = W x = [2 - 2, -1 + 1.5, 1 + 12] = [0, 0.5, 13], e = [-1, 0.5, 13],
 * sum of squares 170.25.  The engine's half mean squared error divides by
 * the 3 outputs: cost 170.25 / 6 = 28.375, and dW_ij = e_i x_j / 3:
 * (1,1) = -1/3, (1,2) = -2/3, (2,1) = 0.5/3, (2,3) = 1.5/3, (3,2) = 26/3,
 * (3,3) = 39/3.  After one SGD step at rate 0.3 the matrix is no longer
 * symmetric ((1,2) = -0.8, (2,1) = -1.05), so the file written back must
 * list all six entries under a "general" banner. */
static void
test_symmetric_training (Fixture       *fixture,
                         gconstpointer  data)
{
  StLayout layout = GPOINTER_TO_INT (data);
  const double x[] = { 1.0, 2.0, 3.0 };
  const double t[] = { 1.0, 0.0, 0.0 };
  const double gradient[] = { -1.0 / 3, -2.0 / 3, 0.5 / 3, 1.5 / 3, 26.0 / 3, 39.0 / 3 };
  const double after[] = { 2.1, -0.8, -1.05, 0.35, -2.1, 0.1 };
  const guint rows[] = { 0, 0, 1, 1, 2, 2 };
  const guint cols[] = { 0, 1, 0, 2, 1, 2 };
  g_autoptr(GError) error = NULL;
  g_autoptr(StMtx) mtx = read_text (fixture,
                                    "%%MatrixMarket matrix coordinate real symmetric\n"
                                    "3 3 4\n1 1 2.0\n2 1 -1.0\n3 2 0.5\n3 3 4.0\n", &error);
  g_autoptr(StNetwork) network = st_network_new (ST_LOSS_HALF_MSE);
  g_autoptr(StMtx) saved = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  StLayer *layer;
  double values[6], gradients[6], cost;
  guint entry_rows[6], entry_cols[6];

  g_assert_no_error (error);
  layer = st_mtx_to_layer (mtx, layout, &error);
  g_assert_no_error (error);
  g_assert_true (st_layer_set_has_bias (layer, FALSE, NULL));
  g_assert_true (st_network_append_layer (network, layer, NULL));

  g_assert_true (st_network_compute_gradients (network, x, t, 1, &cost, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (cost, 28.375, 1e-13);
  g_assert_cmpfloat (st_network_get_output (network)[0], ==, 0.0);
  g_assert_cmpfloat (st_network_get_output (network)[1], ==, 0.5);
  g_assert_cmpfloat (st_network_get_output (network)[2], ==, 13.0);

  st_layer_copy_entries (layer, entry_rows, entry_cols, values, gradients);
  g_assert_cmpmem (entry_rows, sizeof entry_rows, rows, sizeof rows);
  g_assert_cmpmem (entry_cols, sizeof entry_cols, cols, sizeof cols);
  for (guint k = 0; k < 6; k++)
    g_assert_cmpfloat_with_epsilon (gradients[k], gradient[k], 1e-14);

  st_network_apply_sgd (network, 0.3);
  st_layer_copy_entries (layer, NULL, NULL, values, NULL);
  for (guint k = 0; k < 6; k++)
    g_assert_cmpfloat_with_epsilon (values[k], after[k], 1e-14);

  path = g_build_filename (fixture->dir, "trained.mtx", NULL);
  g_assert_true (st_mtx_write_coordinate (path, 3, 3, 6, rows, cols, values, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "%%MatrixMarket matrix coordinate real general\n"));

  file = g_file_new_for_path (path);
  saved = st_mtx_read (file, NULL, &error);
  g_assert_no_error (error);
  assert_entries (saved, 3, 3, 6, rows, cols, values);
}

/* Skew-symmetric: a_ji = -a_ij.  Full: [[0, -3], [3, 0]]. */
static void
test_skew_symmetric (Fixture       *fixture,
                     gconstpointer  data)
{
  const guint rows[] = { 0, 1 };
  const guint cols[] = { 1, 0 };
  const double values[] = { -3.0, 3.0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(StMtx) mtx = read_text (fixture,
                                    "%%MatrixMarket matrix coordinate integer skew-symmetric\n"
                                    "2 2 1\n2 1 3\n", &error);

  g_assert_no_error (error);
  assert_entries (mtx, 2, 2, 2, rows, cols, values);
}

/* Array files list columns in order; every position is stored, zeros
 * included.  [[1, 3], [2, 0]] column by column is 1, 2, 3, 0. */
static void
test_array (Fixture       *fixture,
            gconstpointer  data)
{
  const guint rows[] = { 0, 0, 1, 1 };
  const guint cols[] = { 0, 1, 0, 1 };
  const double values[] = { 1.0, 3.0, 2.0, 0.0 };
  const guint sym_rows[] = { 0, 0, 1, 1 };
  const guint sym_cols[] = { 0, 1, 0, 1 };
  const double sym_values[] = { 5.0, 6.0, 6.0, 7.0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(StMtx) mtx = read_text (fixture, "%%MatrixMarket matrix array real general\n"
                                             "2 2\n1\n2\n3\n0\n", &error);
  g_autoptr(StMtx) sym = NULL;

  g_assert_no_error (error);
  assert_entries (mtx, 2, 2, 4, rows, cols, values);

  /* Symmetric arrays list the lower triangle by columns: 5, 6, 7. */
  sym = read_text (fixture, "%%MatrixMarket matrix array real symmetric\n2 2\n5\n6\n7\n", &error);
  g_assert_no_error (error);
  assert_entries (sym, 2, 2, 4, sym_rows, sym_cols, sym_values);
}

/* Duplicates are summed into one stored entry, whatever their order;
 * an entry whose sum is 0 stays stored. */
static void
test_duplicates_summed (Fixture       *fixture,
                        gconstpointer  data)
{
  const guint rows[] = { 0, 0, 1 };
  const guint cols[] = { 0, 1, 2 };
  const double values[] = { 3.0, 4.0, 0.0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(StMtx) mtx = read_text (fixture,
                                    "%%MatrixMarket matrix coordinate real general\n"
                                    "2 3 5\n1 1 1.0\n1 2 4.0\n2 3 0.5\n2 3 -0.5\n1 1 2.0\n",
                                    &error);
  const char *warning;

  g_assert_no_error (error);
  assert_entries (mtx, 2, 3, 3, rows, cols, values);
  g_assert_cmpuint (mtx->n_duplicates, ==, 2);
  g_assert_cmpuint (mtx->warnings->len, ==, 1);
  warning = g_ptr_array_index (mtx->warnings, 0);
  g_assert_nonnull (strstr (warning, "2 duplicate entries"));
  /* Line 6 repeats line 5; line 7 repeats line 3 but comes later. */
  g_assert_nonnull (strstr (warning, "line 6"));
}

static void
test_one_duplicate_warning (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StMtx) mtx = read_text (fixture,
                                    "%%MatrixMarket matrix coordinate real general\n"
                                    "2 2 3\n1 1 1.0\n2 2 4.0\n1 1 2.0\n",
                                    &error);
  const char *warning;

  g_assert_no_error (error);
  g_assert_cmpuint (mtx->n_duplicates, ==, 1);
  g_assert_cmpuint (mtx->warnings->len, ==, 1);
  warning = g_ptr_array_index (mtx->warnings, 0);
  g_assert_nonnull (strstr (warning, "1 duplicate entry was summed"));
  g_assert_nonnull (strstr (warning, "line 5"));
}

/* Summed duplicates train as one weight each.  The file lists (1,1)=1,
 * (1,2)=4, (2,3)=0.5, (1,1)=2, (2,3)=-0.5, so W = [[3, 4, 0], [0, 0, 0]]
 * with (2,3) stored as 0.  With x = [1, 1, 1], t = [0, 0] and no bias, by
 * hand: y = [7, 0], and the half mean over 2 outputs gives cost
 * 49 / 4 = 12.25 and dW_ij = e_i x_j / 2: (1,1) = 3.5, (1,2) = 3.5,
 * (2,3) = 0.  One SGD step at rate 0.2 gives (1,1) = 2.3, (1,2) = 3.3,
 * and (2,3) stays a stored 0. */
static void
test_duplicates_training (Fixture       *fixture,
                          gconstpointer  data)
{
  StLayout layout = GPOINTER_TO_INT (data);
  const double x[] = { 1.0, 1.0, 1.0 };
  const double t[] = { 0.0, 0.0 };
  const double gradient[] = { 3.5, 3.5, 0.0 };
  const double after[] = { 2.3, 3.3, 0.0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(StMtx) mtx = read_text (fixture,
                                    "%%MatrixMarket matrix coordinate real general\n"
                                    "2 3 5\n1 1 1.0\n1 2 4.0\n2 3 0.5\n1 1 2.0\n2 3 -0.5\n",
                                    &error);
  g_autoptr(StNetwork) network = st_network_new (ST_LOSS_HALF_MSE);
  StLayer *layer;
  double values[3], gradients[3], cost;
  gsize position;

  g_assert_no_error (error);
  layer = st_mtx_to_layer (mtx, layout, &error);
  g_assert_no_error (error);
  g_assert_true (st_layer_set_has_bias (layer, FALSE, NULL));
  g_assert_true (st_network_append_layer (network, layer, NULL));
  g_assert_cmpuint (st_layer_get_nnz (layer), ==, 3);
  g_assert_true (st_layer_find_entry (layer, 1, 2, &position));

  g_assert_true (st_network_compute_gradients (network, x, t, 1, &cost, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (cost, ==, 12.25);
  st_layer_copy_entries (layer, NULL, NULL, NULL, gradients);
  for (guint k = 0; k < 3; k++)
    g_assert_cmpfloat (gradients[k], ==, gradient[k]);

  st_network_apply_sgd (network, 0.2);
  st_layer_copy_entries (layer, NULL, NULL, values, NULL);
  for (guint k = 0; k < 3; k++)
    g_assert_cmpfloat_with_epsilon (values[k], after[k], 1e-15);
}

static void
read_tall_duplicates (Fixture *fixture)
{
  const guint rows[] = { 0, 0, 1999999999 };
  const guint cols[] = { 0, 1, 2 };
  const double values[] = { 3.0, 4.0, 0.0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(StMtx) mtx = read_text (fixture,
                                    "%%MatrixMarket matrix coordinate real general\n"
                                    "2000000000 3 5\n1 1 1.0\n2000000000 3 0.5\n1 2 4.0\n"
                                    "2000000000 3 -0.5\n1 1 2.0\n",
                                    &error);
  const char *warning;

  g_assert_no_error (error);
  assert_entries (mtx, 2000000000, 3, 3, rows, cols, values);
  g_assert_cmpuint (mtx->n_duplicates, ==, 2);
  g_assert_cmpuint (mtx->warnings->len, ==, 1);
  warning = g_ptr_array_index (mtx->warnings, 0);
  g_assert_nonnull (strstr (warning, "2 duplicate entries"));
}

/* The same entries in a matrix with far more rows than entries.  Scratch
 * space for every row would take 16 GB, so the test runs in a process
 * limited to 1 GiB of address space, except under AddressSanitizer or
 * ThreadSanitizer, which reserve far more than that up front. */
static void
test_duplicates_summed_tall (Fixture       *fixture,
                             gconstpointer  data)
{
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  struct rlimit limit = { 1 << 30, 1 << 30 };

  g_assert_cmpint (setrlimit (RLIMIT_AS, &limit), ==, 0);
#endif

  read_tall_duplicates (fixture);
}

static void
test_single_percent_banner (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StMtx) mtx = read_text (fixture, "%MatrixMarket matrix coordinate pattern symmetric\n"
                                             "2 2 2\n1 1\n2 1\n", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (mtx->nnz, ==, 3);
  g_assert_cmpuint (mtx->warnings->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (mtx->warnings, 0), "non-standard banner"));
}

typedef struct
{
  const char *name;
  const char *text;
  const char *message_parts[3];
} BadFile;

static const BadFile bad_files[] = {
  { "empty", "", { "is empty" } },
  { "header-only", "%%MatrixMarket matrix coordinate real general\n", { "size line", "missing" } },
  { "no-banner", "3 3 1\n1 1 1\n", { "line 1", "banner" } },
  { "zero-based", "%%MatrixMarket matrix coordinate real general\n3 3 2\n0 1 1.5\n2 2 2\n",
    { "line 3", "index is 0", "count from 1" } },
  { "negative", "%%MatrixMarket matrix coordinate real general\n3 3 1\n-1 1 1.5\n",
    { "line 3", "negative" } },
  { "row-out-of-range", "%%MatrixMarket matrix coordinate real general\n3 3 2\n1 1 1.5\n4 2 2\n",
    { "line 4", "row index 4", "1..3" } },
  { "column-out-of-range", "%%MatrixMarket matrix coordinate real general\n3 3 1\n1 9 1.5\n",
    { "line 3", "column index 9" } },
  { "truncated", "%%MatrixMarket matrix coordinate real general\n3 3 5\n1 1 1\n2 2 2\n3 3 3\n",
    { "declares 5 entries", "ends after 3", "line 2" } },
  { "too-many", "%%MatrixMarket matrix coordinate real general\n3 3 2\n1 1 1\n2 2 2\n3 3 3\n",
    { "line 5", "declares 2 entries", "more" } },
  { "non-numeric", "%%MatrixMarket matrix coordinate real general\n3 3 2\n1 1 1.0\n2 2 abc\n",
    { "line 4", "“abc”", "not a number" } },
  { "missing-value", "%%MatrixMarket matrix coordinate real general\n3 3 2\n1 1 1.0\n2 2\n",
    { "line 4", "missing" } },
  { "nan", "%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 nan\n",
    { "line 3", "not a finite number" } },
  { "infinity", "%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 -inf\n",
    { "line 3", "not a finite number" } },
  { "overflow", "%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 1e999\n",
    { "line 3", "not a number" } },
  { "symmetric-not-square", "%%MatrixMarket matrix coordinate real symmetric\n3 4 2\n1 1 1\n3 2 2\n",
    { "line 2", "must be square", "3 x 4" } },
  { "unknown-qualifier", "%%MatrixMarket matrix coordinate real hermitian-ish\n2 2 1\n1 1 1\n",
    { "line 1", "“hermitian-ish”", "unknown" } },
  { "complex", "%%MatrixMarket matrix coordinate complex general\n2 2 1\n1 1 1 0\n",
    { "line 1", "complex", "not supported" } },
  { "hermitian", "%%MatrixMarket matrix coordinate real hermitian\n2 2 1\n1 1 1\n",
    { "line 1", "Hermitian" } },
  { "skew-diagonal", "%%MatrixMarket matrix coordinate real skew-symmetric\n2 2 1\n1 1 1\n",
    { "line 3", "diagonal" } },
  { "integer-fraction", "%%MatrixMarket matrix coordinate integer general\n2 2 1\n1 1 1.5\n",
    { "line 3", "whole number" } },
  { "too-many-columns-on-line", "%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 1 1\n",
    { "line 3", "more than 3 numbers" } },
  { "declared-beyond-positions", "%%MatrixMarket matrix coordinate real general\n2 2 5\n",
    { "line 2", "declares 5 entries", "4 positions" } },
  { "declared-beyond-memory",
    "%%MatrixMarket matrix coordinate real general\n2000000000 2000000000 2000000000\n1 1 1\n",
    { "line 2", "GiB" } },
  { "zero-rows", "%%MatrixMarket matrix coordinate real general\n0 3 0\n", { "line 2", "row count is 0" } },
  { "binary", "%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1\0001\n",
    { "line 3", "NUL" } },
};

/* Every bad file gives an error naming the line and the reason, and no
 * matrix: nothing is half-loaded. */
static void
test_bad_file (Fixture       *fixture,
               gconstpointer  data)
{
  const BadFile *bad = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  StMtx *mtx;
  gsize length = strlen (bad->text);

  /* The binary case has a NUL byte in the middle: take the whole literal. */
  if (strcmp (bad->name, "binary") == 0)
    length = strlen (bad->text) + 3;

  path = test_files_write (fixture->dir, "bad.mtx", bad->text, (gssize) length);
  file = g_file_new_for_path (path);
  mtx = st_mtx_read (file, NULL, &error);

  g_assert_null (mtx);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "bad.mtx"));
  for (guint k = 0; k < G_N_ELEMENTS (bad->message_parts) && bad->message_parts[k]; k++)
    if (strstr (error->message, bad->message_parts[k]) == NULL)
      g_error ("The message “%s” does not contain “%s”", error->message, bad->message_parts[k]);
}

static void
test_missing_file (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GFile) file = test_files_get (fixture->dir, "absent.mtx");
  g_autoptr(GError) error = NULL;
  StMtx *mtx = st_mtx_read (file, NULL, &error);

  g_assert_null (mtx);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

/* Write, read back: the same pattern and the same bits, for values whose
 * shortest text needs from 1 to 17 digits, subnormals and -0 included. */
static void
test_write_round_trip (Fixture       *fixture,
                       gconstpointer  data)
{
  const double values[] = { 0.5, -0.0, 0.1, 1.0 / 3.0, -2.0 / 3.0, 1e-310, 4.9e-324,
                            1.7976931348623157e308, 123456789.125, -7.0, 0.0 };
  const gsize nnz = G_N_ELEMENTS (values);
  guint rows[G_N_ELEMENTS (values)];
  guint cols[G_N_ELEMENTS (values)];
  g_autofree char *path = g_build_filename (fixture->dir, "written.mtx", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(StMtx) mtx = NULL;
  g_autofree char *text = NULL;

  for (gsize k = 0; k < nnz; k++)
    {
      rows[k] = (guint) (k / 4);
      cols[k] = (guint) (k % 4);
    }

  g_assert_true (st_mtx_write_coordinate (path, 3, 4, nnz, rows, cols, values, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "%%MatrixMarket matrix coordinate real general\n"));
  g_assert_nonnull (strstr (text, "\n1 1 0.5\n"));
  g_assert_nonnull (strstr (text, "\n1 3 0.1\n"));
  g_assert_null (strchr (text, '\r'));

  mtx = st_mtx_read (file, NULL, &error);
  g_assert_no_error (error);
  assert_entries (mtx, 3, 4, nnz, rows, cols, values);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, data, function) \
  g_test_add (path, Fixture, data, fixture_set_up, function, fixture_tear_down)

  for (guint k = 0; k < G_N_ELEMENTS (five_variants); k++)
    {
      g_autofree char *path = g_strdup_printf ("/engine/mtx/read/%s", five_variants[k].name);

      ADD (path, &five_variants[k], test_layout_variants);
    }
  ADD ("/engine/mtx/read/gzip", NULL, test_gzip);
  ADD ("/engine/mtx/read/pattern-field", NULL, test_pattern_field);
  ADD ("/engine/mtx/read/symmetric", NULL, test_symmetric);
  ADD ("/engine/mtx/train/symmetric/csr", GINT_TO_POINTER (ST_LAYOUT_CSR), test_symmetric_training);
  ADD ("/engine/mtx/train/symmetric/csc", GINT_TO_POINTER (ST_LAYOUT_CSC), test_symmetric_training);
  ADD ("/engine/mtx/train/symmetric/coo", GINT_TO_POINTER (ST_LAYOUT_COO), test_symmetric_training);
  ADD ("/engine/mtx/read/skew-symmetric", NULL, test_skew_symmetric);
  ADD ("/engine/mtx/read/array", NULL, test_array);
  ADD ("/engine/mtx/read/duplicates-summed", NULL, test_duplicates_summed);
  ADD ("/engine/mtx/read/duplicates-summed-tall", NULL, test_duplicates_summed_tall);
  ADD ("/engine/mtx/read/one-duplicate-warning", NULL, test_one_duplicate_warning);
  ADD ("/engine/mtx/train/duplicates/csr", GINT_TO_POINTER (ST_LAYOUT_CSR), test_duplicates_training);
  ADD ("/engine/mtx/train/duplicates/csc", GINT_TO_POINTER (ST_LAYOUT_CSC), test_duplicates_training);
  ADD ("/engine/mtx/train/duplicates/coo", GINT_TO_POINTER (ST_LAYOUT_COO), test_duplicates_training);
  ADD ("/engine/mtx/read/single-percent-banner", NULL, test_single_percent_banner);
  ADD ("/engine/mtx/read/missing-file", NULL, test_missing_file);
  for (guint k = 0; k < G_N_ELEMENTS (bad_files); k++)
    {
      g_autofree char *path = g_strdup_printf ("/engine/mtx/reject/%s", bad_files[k].name);

      ADD (path, &bad_files[k], test_bad_file);
    }
  ADD ("/engine/mtx/write/round-trip", NULL, test_write_round_trip);

#undef ADD

  return g_test_run ();
}
