/* st-entry-sort.c: row-major ordering of (row, column) entries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "st-entry-sort.h"
#include "st-error.h"

/* Counting sorts need scratch space for every row and column.  Past this
 * many rows and columns per entry, as in a 10^9 x 2 file with one entry,
 * a comparison sort is cheaper in memory and time. */
#define MAX_BUCKETS_PER_ENTRY 4

typedef struct
{
  const guint *rows;
  const guint *cols;
} Entries;

static gint
compare_entries (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  const Entries *entries = user_data;
  gsize first = *(const gsize *) a;
  gsize second = *(const gsize *) b;

  if (entries->rows[first] != entries->rows[second])
    return entries->rows[first] < entries->rows[second] ? -1 : 1;
  if (entries->cols[first] != entries->cols[second])
    return entries->cols[first] < entries->cols[second] ? -1 : 1;

  /* Equal positions keep their input order. */
  return first < second ? -1 : first > second;
}

static void
sort_by_comparison (gsize         nnz,
                    const guint  *entry_rows,
                    const guint  *entry_cols,
                    gsize        *order)
{
  Entries entries = { entry_rows, entry_cols };

  for (gsize k = 0; k < nnz; k++)
    order[k] = k;

  g_qsort_with_data (order, (gint) nnz, sizeof (gsize), compare_entries, &entries);
}

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
 * O(nnz + rows + cols) time, or with a comparison sort in O(nnz log nnz)
 * when the rows and columns far outnumber the entries.  Entries with the
 * same row and column keep their input order, which the readers rely on
 * to report the first of two duplicates.
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
  g_autofree gsize *col_start = NULL;
  g_autofree gsize *row_start = NULL;
  g_autofree gsize *by_col = NULL;

  /* g_qsort_with_data() counts in gint, which bounds nnz there. */
  if ((guint64) rows + cols > MAX_BUCKETS_PER_ENTRY * (guint64) nnz + 1024 && nnz <= G_MAXINT)
    {
      sort_by_comparison (nnz, entry_rows, entry_cols, order);
      return TRUE;
    }

  col_start = g_try_malloc0_n ((gsize) cols + 1, sizeof (gsize));
  row_start = g_try_malloc0_n ((gsize) rows + 1, sizeof (gsize));
  by_col = g_try_malloc_n (MAX (nnz, 1), sizeof (gsize));
  if (col_start == NULL || row_start == NULL || by_col == NULL)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GSIZE_FORMAT, nnz);

      g_set_error (error, ST_ERROR, ST_ERROR_TOO_LARGE,
                   _("Cannot allocate scratch space to sort %s entries: not enough memory"),
                   count);
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
