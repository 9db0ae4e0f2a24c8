/* st-entry-sort.c: row-major ordering of (row, column) entries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include "st-entry-sort.h"
#include "st-error.h"

/**
 * st_sort_entries:
 * @rows: row count; every entry row is below it
 * @cols: column count; every entry column is below it
 * @nnz: number of entries
 * @entry_rows: (array length=nnz): zero-based rows
 * @entry_cols: (array length=nnz): zero-based columns
 * @order: (array length=nnz) (out caller-allocates): filled so that
 *   order[c] is the index of the c-th entry in row-major order
 * @error: return location for an error
 *
 * Sorts with two stable counting sorts, by column and then by row, in
 * O(nnz + rows + cols) time.  Entries with the same row and column keep
 * their input order, which the readers rely on to report the first of
 * two duplicates.
 *
 * Returns: %FALSE with @error set when the scratch space cannot be
 * allocated
 */
gboolean
st_sort_entries (guint         rows,
                 guint         cols,
                 gsize         nnz,
                 const guint  *entry_rows,
                 const guint  *entry_cols,
                 gsize        *order,
                 GError      **error)
{
  g_autofree gsize *col_start = g_try_malloc0_n ((gsize) cols + 1, sizeof (gsize));
  g_autofree gsize *row_start = g_try_malloc0_n ((gsize) rows + 1, sizeof (gsize));
  g_autofree gsize *by_col = g_try_malloc_n (MAX (nnz, 1), sizeof (gsize));

  if (col_start == NULL || row_start == NULL || by_col == NULL)
    {
      g_set_error (error, ST_ERROR, ST_ERROR_TOO_LARGE,
                   "Cannot allocate scratch space to sort %" G_GSIZE_FORMAT
                   " entries: not enough memory",
                   nnz);
      return FALSE;
    }

  /* By column: count, turn counts into starts, place. */
  for (gsize k = 0; k < nnz; k++)
    col_start[entry_cols[k] + 1]++;
  for (guint j = 0; j < cols; j++)
    col_start[j + 1] += col_start[j];
  for (gsize k = 0; k < nnz; k++)
    by_col[col_start[entry_cols[k]]++] = k;

  /* Then by row, visiting entries in column order so that each row ends
   * up sorted by column. */
  for (gsize k = 0; k < nnz; k++)
    row_start[entry_rows[k] + 1]++;
  for (guint i = 0; i < rows; i++)
    row_start[i + 1] += row_start[i];
  for (gsize t = 0; t < nnz; t++)
    {
      gsize k = by_col[t];

      order[row_start[entry_rows[k]]++] = k;
    }

  return TRUE;
}
