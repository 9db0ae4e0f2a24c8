/* test-layer.c: building layers, layouts and lookups
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "st-engine.h"

/* A 4 x 5 pattern given out of order, with an empty row (2) and an empty
 * column (3).  Sorted row-major it is (0,1) (0,4) (1,0) (3,1) (3,2) (3,4). */
static const guint entry_rows[] = { 3, 0, 1, 3, 0, 3 };
static const guint entry_cols[] = { 2, 4, 0, 1, 1, 4 };
static const double entry_values[] = { 32.0, 4.0, 10.0, 31.0, 1.0, 34.0 };

static const guint sorted_rows[] = { 0, 0, 1, 3, 3, 3 };
static const guint sorted_cols[] = { 1, 4, 0, 1, 2, 4 };
static const double sorted_values[] = { 1.0, 4.0, 10.0, 31.0, 32.0, 34.0 };

static StLayer *
build_example (StLayout layout)
{
  g_autoptr(GError) error = NULL;
  StLayer *layer = st_layer_new (4, 5, 6, entry_rows, entry_cols, entry_values, layout, &error);

  g_assert_no_error (error);
  g_assert_nonnull (layer);
  return layer;
}

static void
test_canonical_entries (gconstpointer data)
{
  g_autoptr(StLayer) layer = build_example (GPOINTER_TO_INT (data));
  guint rows[6];
  guint cols[6];
  double values[6];

  g_assert_cmpuint (st_layer_get_rows (layer), ==, 4);
  g_assert_cmpuint (st_layer_get_cols (layer), ==, 5);
  g_assert_cmpuint (st_layer_get_nnz (layer), ==, 6);
  g_assert_cmpfloat (st_layer_get_density (layer), ==, 6.0 / 20.0);

  st_layer_copy_entries (layer, rows, cols, values, NULL);
  g_assert_cmpmem (rows, sizeof rows, sorted_rows, sizeof sorted_rows);
  g_assert_cmpmem (cols, sizeof cols, sorted_cols, sizeof sorted_cols);
  g_assert_cmpmem (values, sizeof values, sorted_values, sizeof sorted_values);
}

/* Every one of the 20 positions: stored ones are found with their value
 * and report their own position back; the others are not found. */
static void
test_find_entry (gconstpointer data)
{
  g_autoptr(StLayer) layer = build_example (GPOINTER_TO_INT (data));

  for (guint i = 0; i < 4; i++)
    for (guint j = 0; j < 5; j++)
      {
        gboolean stored = FALSE;
        double expected = 0.0;
        gsize position;

        for (guint k = 0; k < 6; k++)
          if (sorted_rows[k] == i && sorted_cols[k] == j)
            {
              stored = TRUE;
              expected = sorted_values[k];
            }

        g_assert_cmpint (st_layer_find_entry (layer, i, j, &position), ==, stored);
        if (stored)
          {
            guint row;
            guint col;

            g_assert_cmpfloat (st_layer_get_values (layer)[position], ==, expected);
            st_layer_get_entry (layer, position, &row, &col);
            g_assert_cmpuint (row, ==, i);
            g_assert_cmpuint (col, ==, j);
          }
      }

  g_assert_false (st_layer_find_entry (layer, 4, 0, &(gsize) { 0 }));
  g_assert_false (st_layer_find_entry (layer, 0, 5, &(gsize) { 0 }));
}

/* Converting through every layout and back keeps the pattern, the
 * values and the gradient attached to the same entries. */
static void
test_layout_round_trip (void)
{
  g_autoptr(StLayer) layer = build_example (ST_LAYOUT_CSR);
  const StLayout path[] = { ST_LAYOUT_CSC, ST_LAYOUT_COO, ST_LAYOUT_CSC, ST_LAYOUT_CSR,
                            ST_LAYOUT_COO, ST_LAYOUT_CSR };

  for (guint step = 0; step < G_N_ELEMENTS (path); step++)
    {
      guint rows[6];
      guint cols[6];
      double values[6];

      g_assert_true (st_layer_set_layout (layer, path[step], NULL));
      g_assert_cmpint (st_layer_get_layout (layer), ==, path[step]);

      st_layer_copy_entries (layer, rows, cols, values, NULL);
      g_assert_cmpmem (rows, sizeof rows, sorted_rows, sizeof sorted_rows);
      g_assert_cmpmem (cols, sizeof cols, sorted_cols, sizeof sorted_cols);
      g_assert_cmpmem (values, sizeof values, sorted_values, sizeof sorted_values);
    }
}

/* The CSC arrays hold the entries column by column: (1,0) (0,1) (3,1)
 * (3,2) (0,4) (3,4), so the canonical order maps to these positions. */
static void
test_canonical_order_csc (void)
{
  g_autoptr(StLayer) layer = build_example (ST_LAYOUT_CSC);
  const gsize expected[] = { 1, 4, 0, 2, 3, 5 };
  const double column_major[] = { 10.0, 1.0, 31.0, 32.0, 4.0, 34.0 };
  gsize positions[6];

  st_layer_get_canonical_order (layer, positions);
  g_assert_cmpmem (positions, sizeof positions, expected, sizeof expected);
  g_assert_cmpmem (st_layer_get_values (layer), sizeof column_major,
                   column_major, sizeof column_major);
}

static void
test_set_canonical_values (gconstpointer data)
{
  g_autoptr(StLayer) layer = build_example (GPOINTER_TO_INT (data));
  const double replacement[] = { -1.0, -2.0, -3.0, -4.0, -5.0, -6.0 };
  double values[6];
  gsize position;

  st_layer_set_canonical_values (layer, replacement);
  st_layer_copy_entries (layer, NULL, NULL, values, NULL);
  g_assert_cmpmem (values, sizeof values, replacement, sizeof replacement);

  g_assert_true (st_layer_find_entry (layer, 3, 2, &position));
  g_assert_cmpfloat (st_layer_get_values (layer)[position], ==, -5.0);
}

static void
test_copy_is_independent (void)
{
  g_autoptr(StLayer) layer = build_example (ST_LAYOUT_COO);
  g_autoptr(StLayer) copy = NULL;
  double values[6];

  g_assert_true (st_layer_set_has_bias (layer, TRUE, NULL));
  st_layer_get_bias (layer)[2] = 7.0;
  st_layer_set_activation (layer, ST_ACTIVATION_RELU);

  copy = st_layer_copy (layer);
  st_layer_get_values (layer)[0] = 100.0;
  st_layer_get_bias (layer)[2] = 8.0;

  st_layer_copy_entries (copy, NULL, NULL, values, NULL);
  g_assert_cmpmem (values, sizeof values, sorted_values, sizeof sorted_values);
  g_assert_cmpfloat (st_layer_get_bias (copy)[2], ==, 7.0);
  g_assert_cmpint (st_layer_get_activation (copy), ==, ST_ACTIVATION_RELU);
  g_assert_cmpint (st_layer_get_layout (copy), ==, ST_LAYOUT_COO);
}

static void
assert_rejected (guint          rows,
                 guint          cols,
                 gsize          nnz,
                 const guint   *r,
                 const guint   *c,
                 const double  *v,
                 gint           code,
                 const char    *message_part)
{
  g_autoptr(GError) error = NULL;
  StLayer *layer = st_layer_new (rows, cols, nnz, r, c, v, ST_LAYOUT_CSR, &error);

  g_assert_null (layer);
  g_assert_error (error, ST_ERROR, code);
  if (strstr (error->message, message_part) == NULL)
    g_error ("“%s” does not contain “%s”", error->message, message_part);
}

static void
test_invalid_input (void)
{
  const guint r[] = { 0, 1, 0 };
  const guint c[] = { 1, 0, 1 };
  const guint out_of_range[] = { 0, 2 };
  const double finite[] = { 1.0, 2.0, 3.0 };
  const double not_finite[] = { 1.0, NAN };

  assert_rejected (2, 2, 3, r, c, finite, ST_ERROR_INVALID_ARGUMENT,
                   "row 1, column 2 (counting from 1) is listed twice");
  assert_rejected (2, 2, 2, out_of_range, c, finite, ST_ERROR_INVALID_ARGUMENT,
                   "row 3, column 1");
  assert_rejected (2, 2, 2, r, c, not_finite, ST_ERROR_NUMERIC, "row 2, column 1");
  assert_rejected (0, 2, 0, NULL, NULL, NULL, ST_ERROR_INVALID_ARGUMENT, "not 0 x 2");
  assert_rejected (1, 1, 2, r, c, finite, ST_ERROR_INVALID_ARGUMENT, "do not fit");
}

/* A huge, nearly empty layer costs O(rows + cols + nnz), never rows x
 * cols: 65536 x 65536 would be 32 GiB dense. */
static void
test_huge_sparse_layer (void)
{
  const guint r[] = { 65535, 0, 31000 };
  const guint c[] = { 0, 65535, 31000 };
  const double v[] = { 1.0, 2.0, 3.0 };
  g_autoptr(GError) error = NULL;

  for (int layout = 0; layout < ST_N_LAYOUTS; layout++)
    {
      g_autoptr(StLayer) layer = st_layer_new (65536, 65536, 3, r, c, v, layout, &error);
      gsize position;

      g_assert_no_error (error);
      g_assert_true (st_layer_find_entry (layer, 65535, 0, &position));
      g_assert_cmpfloat (st_layer_get_values (layer)[position], ==, 1.0);
      g_assert_true (st_layer_set_layout (layer, (layout + 1) % ST_N_LAYOUTS, NULL));
    }
}

static void
test_empty_pattern (gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StLayer) layer = st_layer_new (3, 2, 0, NULL, NULL, NULL, GPOINTER_TO_INT (data),
                                           &error);

  g_assert_no_error (error);
  g_assert_cmpuint (st_layer_get_nnz (layer), ==, 0);
  g_assert_false (st_layer_find_entry (layer, 0, 0, &(gsize) { 0 }));
  g_assert_true (st_layer_set_layout (layer, ST_LAYOUT_CSC, NULL));
}

static void
add_per_layout (const char    *name,
                GTestDataFunc  test)
{
  for (int layout = 0; layout < ST_N_LAYOUTS; layout++)
    {
      g_autofree char *path = g_strdup_printf ("/engine/layer/%s/%s", name,
                                               st_layout_to_string (layout));

      g_test_add_data_func (path, GINT_TO_POINTER (layout), test);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  add_per_layout ("canonical-entries", test_canonical_entries);
  add_per_layout ("find-entry", test_find_entry);
  add_per_layout ("set-canonical-values", test_set_canonical_values);
  add_per_layout ("empty-pattern", test_empty_pattern);
  g_test_add_func ("/engine/layer/layout-round-trip", test_layout_round_trip);
  g_test_add_func ("/engine/layer/canonical-order-csc", test_canonical_order_csc);
  g_test_add_func ("/engine/layer/copy-is-independent", test_copy_is_independent);
  g_test_add_func ("/engine/layer/invalid-input", test_invalid_input);
  g_test_add_func ("/engine/layer/huge-sparse-layer", test_huge_sparse_layer);

  return g_test_run ();
}
