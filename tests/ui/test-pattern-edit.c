/* test-pattern-edit.c: pattern edits and the history's budget
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No display: these are the window's data structures on their own.
 */

#include "config.h"

#include <math.h>

#include "st-builtin-data.h"
#include "st-pattern-edit.h"
#include "st-run-history.h"

/* A 3 x 4 network with entries (0, 1) = 1, (1, 0) = 2, (2, 3) = 3. */
static StNetwork *
make_network (void)
{
  static const guint rows[] = { 0, 1, 2 };
  static const guint cols[] = { 1, 0, 3 };
  static const double values[] = { 1.0, 2.0, 3.0 };
  g_autoptr(GError) error = NULL;
  StNetwork *network = st_network_new (ST_LOSS_HALF_MSE);
  StLayer *layer = st_layer_new (3, 4, 3, rows, cols, values, ST_LAYOUT_CSC, &error);

  g_assert_no_error (error);
  st_layer_set_has_bias (layer, TRUE, NULL);
  st_layer_get_bias (layer)[2] = 0.5;
  g_assert_true (st_network_append_layer (network, layer, &error));
  return network;
}

static double
value_at (const StNetwork *network,
          guint            row,
          guint            col)
{
  StLayer *layer = st_network_get_layer (network, 0);
  gsize position;

  g_assert_true (st_layer_find_entry (layer, row, col, &position));
  return st_layer_get_values (layer)[position];
}

/* Sets one weight, found by position: the value array is in the
 * layout's order, here CSC. */
static void
set_value_at (const StNetwork *network,
              guint            row,
              guint            col,
              double           value)
{
  StLayer *layer = st_network_get_layer (network, 0);
  gsize position;

  g_assert_true (st_layer_find_entry (layer, row, col, &position));
  st_layer_get_values (layer)[position] = value;
}

static gboolean
is_stored (const StNetwork *network,
           guint            row,
           guint            col)
{
  gsize position;

  return st_layer_find_entry (st_network_get_layer (network, 0), row, col, &position);
}

static void
test_cells_add_and_undo (void)
{
  static const guint rows[] = { 0, 0, 2, 0 };
  static const guint cols[] = { 0, 1, 0, 0 };
  StPatternInit init = { ST_INIT_LECUN_UNIFORM, 7 };
  g_autoptr(StNetwork) network = make_network ();
  g_autoptr(StNetwork) start = make_network ();
  g_autoptr(StPatternEdit) edit = NULL;
  g_autoptr(StNetwork) edited = NULL;
  g_autoptr(StNetwork) undone = NULL;
  g_autoptr(GError) error = NULL;
  StLayer *layer;

  /* (0, 1) is stored and (0, 0) repeats: two new entries. */
  edit = st_pattern_edit_new_cells (network, start, 0, TRUE, rows, cols, 4, &init, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (edit->n_added, ==, 2);
  g_assert_cmpuint (edit->n_removed, ==, 0);
  g_assert_cmpuint (edit->added_rows[0], ==, 0);
  g_assert_cmpuint (edit->added_cols[0], ==, 0);
  g_assert_cmpuint (edit->added_rows[1], ==, 2);
  g_assert_cmpuint (edit->added_cols[1], ==, 0);

  /* New weights are LeCun-uniform for their row's new fan-in of 2. */
  for (gsize i = 0; i < edit->n_added; i++)
    {
      g_assert_cmpfloat (edit->added_values[i], !=, 0.0);
      g_assert_cmpfloat (fabs (edit->added_values[i]), <=, sqrt (3.0 / 2.0));
    }

  edited = st_pattern_edit_apply (edit, network, FALSE, FALSE, &error);
  g_assert_no_error (error);
  layer = st_network_get_layer (edited, 0);
  g_assert_cmpuint (st_layer_get_nnz (layer), ==, 5);
  g_assert_cmpint (st_layer_get_layout (layer), ==, ST_LAYOUT_CSC);
  g_assert_cmpfloat (value_at (edited, 0, 1), ==, 1.0);
  g_assert_cmpfloat (value_at (edited, 0, 0), ==, edit->added_values[0]);
  g_assert_cmpfloat (st_layer_get_bias (layer)[2], ==, 0.5);

  /* After "training" changes a weight, undo keeps the change. */
  set_value_at (edited, 0, 1, 42.0);
  undone = st_pattern_edit_apply (edit, edited, TRUE, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (st_layer_get_nnz (st_network_get_layer (undone, 0)), ==, 3);
  g_assert_cmpfloat (value_at (undone, 0, 1), ==, 42.0);
  g_assert_false (is_stored (undone, 0, 0));
  g_assert_false (is_stored (undone, 2, 0));
}

static void
test_erase_keeps_values_for_undo (void)
{
  StPatternInit init = { ST_INIT_LECUN_UNIFORM, 1 };
  g_autoptr(StNetwork) network = make_network ();
  g_autoptr(StNetwork) start = make_network ();
  g_autoptr(StPatternEdit) edit = NULL;
  g_autoptr(StNetwork) erased = NULL;
  g_autoptr(StNetwork) restored = NULL;
  g_autoptr(StNetwork) restored_start = NULL;
  g_autoptr(GError) error = NULL;

  /* The trained network moved on from the start weights. */
  set_value_at (network, 1, 0, 20.0);

  /* Rows 1..2, columns 0..3 hold (1, 0) and (2, 3). */
  edit = st_pattern_edit_new_rectangle (network, start, 0, FALSE, 1, 0, 2, 3, &init, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (edit->n_removed, ==, 2);
  g_assert_cmpuint (edit->n_added, ==, 0);

  erased = st_pattern_edit_apply (edit, network, FALSE, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (st_layer_get_nnz (st_network_get_layer (erased, 0)), ==, 1);

  /* Undo brings the trained weights back to the trained network and the
   * start weights to the start network. */
  restored = st_pattern_edit_apply (edit, erased, TRUE, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (value_at (restored, 1, 0), ==, 20.0);
  g_assert_cmpfloat (value_at (restored, 2, 3), ==, 3.0);

  restored_start = st_pattern_edit_apply (edit, erased, TRUE, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (value_at (restored_start, 1, 0), ==, 2.0);
}

static void
test_invert_and_limits (void)
{
  StPatternInit init = { ST_INIT_LECUN_UNIFORM, 1 };
  g_autoptr(StNetwork) network = make_network ();
  g_autoptr(StNetwork) start = make_network ();
  g_autoptr(StPatternEdit) edit = NULL;
  g_autoptr(StNetwork) inverted = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(StNetwork) huge = st_network_new (ST_LOSS_HALF_MSE);
  StLayer *empty;
  StPatternEdit *refused;

  edit = st_pattern_edit_new_invert (network, start, 0, &init, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (edit->n_added, ==, 9);
  g_assert_cmpuint (edit->n_removed, ==, 3);
  inverted = st_pattern_edit_apply (edit, network, FALSE, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (st_layer_get_nnz (st_network_get_layer (inverted, 0)), ==, 9);
  g_assert_false (is_stored (inverted, 0, 1));
  g_assert_true (is_stored (inverted, 0, 0));

  /* Inverting an empty 65536 x 65536 layer would add 2^32 entries. */
  empty = st_layer_new (65536, 65536, 0, NULL, NULL, NULL, ST_LAYOUT_CSR, &error);
  g_assert_no_error (error);
  st_network_append_layer (huge, empty, NULL);
  refused = st_pattern_edit_new_invert (huge, huge, 0, &init, &error);
  g_assert_null (refused);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
}

static void
test_replace (void)
{
  g_autoptr(StNetwork) network = make_network ();
  g_autoptr(StNetwork) start = make_network ();
  g_autoptr(gsl_rng) rng = st_random_new (3);
  g_autoptr(StLayer) replacement = NULL;
  g_autoptr(StPatternEdit) edit = NULL;
  g_autoptr(StNetwork) replaced = NULL;
  g_autoptr(StNetwork) back = NULL;
  g_autoptr(GError) error = NULL;
  StPatternSpec spec;

  st_pattern_spec_init (&spec, ST_PATTERN_FULL);
  replacement = st_pattern_generate (&spec, 3, 4, ST_LAYOUT_CSR, rng, &error);
  g_assert_no_error (error);

  edit = st_pattern_edit_new_replace (network, start, 0, replacement);
  replaced = st_pattern_edit_apply (edit, network, FALSE, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (st_layer_get_nnz (st_network_get_layer (replaced, 0)), ==, 12);

  back = st_pattern_edit_apply (edit, replaced, TRUE, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (st_layer_get_nnz (st_network_get_layer (back, 0)), ==, 3);
  g_assert_cmpfloat (value_at (back, 2, 3), ==, 3.0);
}

/* The history keeps at most its frame budget by dropping every second
 * frame, keeping the first and the newest. */
static void
test_history_thinning (void)
{
  g_autoptr(StNetwork) network = make_network ();
  g_autoptr(StNetworkPattern) pattern = st_network_pattern_new (network);
  g_autoptr(StRunHistory) history = st_run_history_new (8, G_MAXSIZE);
  guint thinned = 0;
  guint index;

  for (guint64 step = 0; step <= 20; step++)
    {
      g_autoptr(StSnapshot) snapshot = st_snapshot_new_from_network (network, step, 0, NAN);

      thinned += st_run_history_add_frame (history, step, 0, snapshot, pattern);
      g_assert_cmpuint (st_run_history_get_n_frames (history), <=, 8);
    }

  g_assert_cmpuint (thinned, >, 0);
  g_assert_cmpuint (st_run_history_get_frame (history, 0)->step, ==, 0);
  g_assert_cmpuint (st_run_history_get_frame (history, st_run_history_get_n_frames (history) - 1)->step, ==, 20);

  /* Frames stay in order, so the last frame at or before a step is
   * found; truncating drops the later ones. */
  for (guint i = 1; i < st_run_history_get_n_frames (history); i++)
    g_assert_cmpuint (st_run_history_get_frame (history, i - 1)->step, <, st_run_history_get_frame (history, i)->step);
  g_assert_true (st_run_history_find_frame (history, 13, &index));
  g_assert_cmpuint (st_run_history_get_frame (history, index)->step, <=, 13);
  st_run_history_truncate (history, 13);
  g_assert_cmpuint (st_run_history_get_frame (history, st_run_history_get_n_frames (history) - 1)->step, <=, 13);
}

/* Built-in data sets have the shapes the window builds networks for,
 * and the same seed draws the same samples. */
static void
test_builtin_shapes (void)
{
  for (guint kind = 0; kind < ST_N_BUILTIN_DATA; kind++)
    {
      g_autoptr(StDataset) first = st_builtin_data_generate (kind, 50, 0.1, 1);
      g_autoptr(StDataset) second = st_builtin_data_generate (kind, 50, 0.1, 1);
      guint n_inputs, n_outputs;
      guint n_samples = st_builtin_data_has_size (kind) ? 50 : 1;

      st_builtin_data_get_shape (kind, &n_inputs, &n_outputs);
      g_assert_cmpuint (st_dataset_get_n_samples (first), ==, n_samples);
      g_assert_true (st_dataset_check_fits (first, n_inputs, n_outputs, NULL));
      for (gsize i = 0; i < (gsize) n_samples * n_inputs; i++)
        g_assert_cmpfloat (st_dataset_get_inputs (first)[i], ==, st_dataset_get_inputs (second)[i]);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui/pattern-edit/cells-add-and-undo", test_cells_add_and_undo);
  g_test_add_func ("/ui/pattern-edit/erase-keeps-values", test_erase_keeps_values_for_undo);
  g_test_add_func ("/ui/pattern-edit/invert-and-limits", test_invert_and_limits);
  g_test_add_func ("/ui/pattern-edit/replace", test_replace);
  g_test_add_func ("/ui/run-history/thinning", test_history_thinning);
  g_test_add_func ("/ui/builtin-data/shapes", test_builtin_shapes);

  return g_test_run ();
}
