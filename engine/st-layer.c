/* st-layer.c: one sparse layer with a fixed pattern
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "st-entry-sort.h"
#include "st-error.h"
#include "st-layer-private.h"
#include "st-memory.h"

/* Peak bytes per stored entry while a layer is built: index, value and
 * gradient arrays plus the sorting scratch space. */
#define BYTES_PER_ENTRY (4 + 4 + 8 + 8 + 8 + 8 + 8)

/* Peak bytes per row or column: pointers, counters and cursors. */
#define BYTES_PER_SLICE (4 + 8 + 8 + 8)

static int
gsl_type_for_layout (StLayout layout)
{
  switch (layout)
    {
    case ST_LAYOUT_CSR:
      return GSL_SPMATRIX_CSR;
    case ST_LAYOUT_CSC:
      return GSL_SPMATRIX_CSC;
    case ST_LAYOUT_COO:
      return GSL_SPMATRIX_COO;
    default:
      g_return_val_if_reached (GSL_SPMATRIX_CSR);
    }
}

/* Allocate n elements of size bytes each, or set @error.  Used for every
 * array whose length is the number of stored entries, so that a size the
 * machine cannot hold is an error and not an abort. */
static gpointer
try_alloc_array (gsize    n,
                 gsize    size,
                 GError **error)
{
  gpointer memory = g_try_malloc0_n (MAX (n, 1), size);

  if (memory == NULL)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GSIZE_FORMAT, n);
      g_autofree char *bytes = g_strdup_printf ("%" G_GSIZE_FORMAT, size);

      g_set_error (error, ST_ERROR, ST_ERROR_TOO_LARGE,
                   /* Translators: a number of elements, then the size of each in bytes. */
                   _("Cannot allocate %s elements of %s bytes for a sparse layer: "
                     "not enough memory"),
                   count, bytes);
    }
  return memory;
}

/* Build a matrix of @layout whose pattern is given in canonical order by
 * @row_start (rows + 1 offsets) and @col_index (nnz columns).  Fills
 * @canonical_of so that position k of the new layout holds canonical
 * entry canonical_of[k].  The values are left at zero. */
static gsl_spmatrix *
build_matrix (guint         rows,
              guint         cols,
              gsize         nnz,
              const gsize  *row_start,
              const guint  *col_index,
              StLayout      layout,
              gsize        *canonical_of,
              GError      **error)
{
  gsl_spmatrix *m;

  m = gsl_spmatrix_alloc_nzmax (rows, cols, nnz, gsl_type_for_layout (layout));
  if (m == NULL)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GSIZE_FORMAT, nnz);

      g_set_error (error, ST_ERROR, ST_ERROR_TOO_LARGE,
                   _("Cannot allocate a %u x %u sparse matrix with %s stored entries"),
                   rows, cols, count);
      return NULL;
    }

  if (layout == ST_LAYOUT_CSR || layout == ST_LAYOUT_COO)
    {
      /* Both keep the canonical order: the position is the canonical index. */
      for (guint i = 0; i < rows; i++)
        {
          if (layout == ST_LAYOUT_CSR)
            m->p[i] = (int) row_start[i];

          for (gsize c = row_start[i]; c < row_start[i + 1]; c++)
            {
              if (layout == ST_LAYOUT_CSR)
                m->i[c] = (int) col_index[c];
              else
                {
                  m->i[c] = (int) i;
                  m->p[c] = (int) col_index[c];
                }
              canonical_of[c] = c;
            }
        }
      if (layout == ST_LAYOUT_CSR)
        m->p[rows] = (int) nnz;
    }
  else
    {
      /* CSC: a counting sort by column.  Visiting the canonical entries in
       * row order keeps each column sorted by row. */
      g_autofree gsize *cursor = g_new0 (gsize, (gsize) cols);

      memset (m->p, 0, sizeof (int) * (cols + 1));
      for (gsize c = 0; c < nnz; c++)
        m->p[col_index[c] + 1]++;
      for (guint j = 0; j < cols; j++)
        m->p[j + 1] += m->p[j];

      for (guint i = 0; i < rows; i++)
        {
          for (gsize c = row_start[i]; c < row_start[i + 1]; c++)
            {
              guint j = col_index[c];
              gsize k = (gsize) m->p[j] + cursor[j]++;

              m->i[k] = (int) i;
              canonical_of[k] = c;
            }
        }
    }

  m->nz = nnz;

  if (layout == ST_LAYOUT_COO)
    {
      /* GSL looks COO entries up through a search tree, which must match the
       * arrays we just filled in. */
      if (!st_check_gsl_status (gsl_spmatrix_tree_rebuild (m),
                                _("Cannot index the COO matrix"), error))
        {
          gsl_spmatrix_free (m);
          return NULL;
        }
    }

  return m;
}

static gboolean
validate_shape (guint    rows,
                guint    cols,
                gsize    nnz,
                GError **error)
{
  if (rows == 0 || cols == 0)
    {
      g_set_error (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT,
                   _("A layer needs at least one row and one column, not %u x %u"),
                   rows, cols);
      return FALSE;
    }

  if (rows > ST_LAYER_MAX_DIMENSION || cols > ST_LAYER_MAX_DIMENSION)
    {
      g_set_error (error, ST_ERROR, ST_ERROR_TOO_LARGE,
                   _("A layer of %u x %u is too large: rows and columns are limited to %u"),
                   rows, cols, ST_LAYER_MAX_DIMENSION);
      return FALSE;
    }

  if (nnz > ST_LAYER_MAX_NNZ)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GSIZE_FORMAT, nnz);
      g_autofree char *limit = g_strdup_printf ("%" G_GSIZE_FORMAT, (gsize) ST_LAYER_MAX_NNZ);

      g_set_error (error, ST_ERROR, ST_ERROR_TOO_LARGE,
                   _("A layer with %s stored entries is too large: the limit is %s"),
                   count, limit);
      return FALSE;
    }

  if ((guint64) nnz > (guint64) rows * (guint64) cols)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GSIZE_FORMAT, nnz);

      g_set_error (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT,
                   _("%s stored entries do not fit in a %u x %u matrix"),
                   count, rows, cols);
      return FALSE;
    }

  /* Row and column pointers cost O(rows + cols) even with few entries,
   * so check both against the machine before touching them. */
  return st_memory_check (BYTES_PER_ENTRY * (guint64) nnz +
                          BYTES_PER_SLICE * ((guint64) rows + cols + 2),
                          ST_MEMORY_FOR_LAYER, error);
}

static gboolean
validate_entries (guint          rows,
                  guint          cols,
                  gsize          nnz,
                  const guint   *entry_rows,
                  const guint   *entry_cols,
                  const double  *values,
                  GError       **error)
{
  for (gsize k = 0; k < nnz; k++)
    {
      if (entry_rows[k] >= rows || entry_cols[k] >= cols)
        {
          g_autofree char *entry = g_strdup_printf ("%" G_GSIZE_FORMAT, k + 1);

          g_set_error (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT,
                       /* Translators: the entry's number, its row and its column. */
                       _("Entry %s at row %u, column %u (counting from 1) "
                         "is outside the %u x %u matrix"),
                       entry, entry_rows[k] + 1, entry_cols[k] + 1, rows, cols);
          return FALSE;
        }

      if (values != NULL && !isfinite (values[k]))
        {
          g_set_error (error, ST_ERROR, ST_ERROR_NUMERIC,
                       _("Entry at row %u, column %u (counting from 1) has the value %g; "
                         "weights must be finite numbers"),
                       entry_rows[k] + 1, entry_cols[k] + 1, values[k]);
          return FALSE;
        }
    }

  return TRUE;
}

/* Sort the entries into canonical order.  On return source[c] is the
 * input index of canonical entry c, and row_start/col_index describe the
 * pattern.  An entry listed twice is an error. */
static gboolean
sort_canonical (guint         rows,
                guint         cols,
                gsize         nnz,
                const guint  *entry_rows,
                const guint  *entry_cols,
                gsize        *row_start,
                guint        *col_index,
                gsize        *source,
                GError      **error)
{
  if (!st_sort_entries (rows, cols, nnz, entry_rows, entry_cols, source, error))
    return FALSE;

  memset (row_start, 0, sizeof (gsize) * ((gsize) rows + 1));
  for (gsize c = 0; c < nnz; c++)
    {
      gsize k = source[c];

      col_index[c] = entry_cols[k];
      row_start[entry_rows[k] + 1]++;

      if (c > 0 && entry_rows[source[c - 1]] == entry_rows[k] && col_index[c - 1] == col_index[c])
        {
          g_set_error (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT,
                       _("The entry at row %u, column %u (counting from 1) is listed twice"),
                       entry_rows[k] + 1, col_index[c] + 1);
          return FALSE;
        }
    }
  for (guint i = 0; i < rows; i++)
    row_start[i + 1] += row_start[i];

  return TRUE;
}

/**
 * st_layer_new:
 * @rows: number of outputs, at least 1
 * @cols: number of inputs, at least 1
 * @nnz: number of stored entries
 * @entry_rows: (array length=nnz): zero-based row of each entry
 * @entry_cols: (array length=nnz): zero-based column of each entry
 * @values: (array length=nnz) (nullable): initial weights, or %NULL for zeros
 * @layout: the storage to use
 * @error: return location for an error
 *
 * Creates a layer with identity activation and no bias.  The entries may
 * come in any order; an entry listed twice, an index out of range or a
 * value that is not finite is an error.  Memory is O(nnz + rows + cols).
 *
 * Returns: (transfer full): the layer, or %NULL with @error set
 */
StLayer *
st_layer_new (guint          rows,
              guint          cols,
              gsize          nnz,
              const guint   *entry_rows,
              const guint   *entry_cols,
              const double  *values,
              StLayout       layout,
              GError       **error)
{
  g_autofree gsize *row_start = NULL;
  g_autofree guint *col_index = NULL;
  g_autofree gsize *source = NULL;
  g_autofree gsize *canonical_of = NULL;
  g_autoptr(StLayer) layer = NULL;

  g_return_val_if_fail (nnz == 0 || (entry_rows != NULL && entry_cols != NULL), NULL);
  g_return_val_if_fail ((guint) layout < ST_N_LAYOUTS, NULL);

  st_engine_init ();

  if (!validate_shape (rows, cols, nnz, error) ||
      !validate_entries (rows, cols, nnz, entry_rows, entry_cols, values, error))
    return NULL;

  row_start = try_alloc_array ((gsize) rows + 1, sizeof (gsize), error);
  col_index = row_start ? try_alloc_array (nnz, sizeof (guint), error) : NULL;
  source = col_index ? try_alloc_array (nnz, sizeof (gsize), error) : NULL;
  canonical_of = source ? try_alloc_array (nnz, sizeof (gsize), error) : NULL;
  if (canonical_of == NULL)
    return NULL;

  if (!sort_canonical (rows, cols, nnz, entry_rows, entry_cols,
                       row_start, col_index, source, error))
    return NULL;

  layer = g_new0 (StLayer, 1);
  layer->layout = layout;
  layer->activation = ST_ACTIVATION_IDENTITY;
  layer->weights = build_matrix (rows, cols, nnz, row_start, col_index, layout,
                                 canonical_of, error);
  if (layer->weights == NULL)
    return NULL;

  for (gsize k = 0; k < nnz; k++)
    layer->weights->data[k] = values ? values[source[canonical_of[k]]] : 0.0;

  if (!st_layer_build_traversals (layer, error))
    return NULL;

  return g_steal_pointer (&layer);
}

/**
 * st_layer_new_from_csr:
 * @csr: (transfer full): a CSR gsl_spmatrix of at least one row and
 *   column whose p[], i[] and data[] hold the pattern and the weights of
 *   @nnz entries; freed on error
 * @nnz: the number of entries
 * @layout: the layout of the new layer
 * @error: return location for an error
 *
 * Takes over a matrix that a reader filled in place, so a large model
 * loads without a second copy of its weights.  Checks what
 * st_layer_new() checks: row pointers from 0 to @nnz that never
 * decrease, columns in range and strictly increasing within each row
 * (no duplicates), and finite values.
 *
 * Returns: (transfer full): the layer, or %NULL with @error set
 */
StLayer *
st_layer_new_from_csr (gsl_spmatrix  *csr,
                       gsize          nnz,
                       StLayout       layout,
                       GError       **error)
{
  g_autoptr(StLayer) layer = NULL;
  guint rows = (guint) csr->size1;
  guint cols = (guint) csr->size2;

  g_return_val_if_fail (csr->sptype == GSL_SPMATRIX_CSR, NULL);

  st_engine_init ();

  layer = g_new0 (StLayer, 1);
  layer->weights = csr;
  layer->layout = ST_LAYOUT_CSR;
  layer->activation = ST_ACTIVATION_IDENTITY;

  if (!validate_shape (rows, cols, nnz, error))
    return NULL;

  if (csr->p[0] != 0 || (gsize) csr->p[rows] != nnz)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GSIZE_FORMAT, nnz);

      g_set_error (error, ST_ERROR, ST_ERROR_PARSE,
                   _("The row pointers do not run from 0 to %s"), count);
      return NULL;
    }

  for (guint i = 0; i < rows; i++)
    {
      if (csr->p[i + 1] < csr->p[i])
        {
          g_set_error (error, ST_ERROR, ST_ERROR_PARSE,
                       _("The row pointers decrease at row %u (counting from 1)"), i + 1);
          return NULL;
        }

      for (int k = csr->p[i]; k < csr->p[i + 1]; k++)
        {
          if (csr->i[k] < 0 || (guint) csr->i[k] >= cols ||
              (k > csr->p[i] && csr->i[k] <= csr->i[k - 1]))
            {
              g_set_error (error, ST_ERROR, ST_ERROR_PARSE,
                           _("Row %u (counting from 1) has the column index %d (counting "
                             "from 0), which is outside 0..%u or not above the column index "
                             "before it"),
                           i + 1, csr->i[k], cols - 1);
              return NULL;
            }
          if (!isfinite (csr->data[k]))
            {
              g_set_error (error, ST_ERROR, ST_ERROR_NUMERIC,
                           _("Row %u, column %d (counting from 1) has the value %g; "
                             "weights must be finite numbers"),
                           i + 1, csr->i[k] + 1, csr->data[k]);
              return NULL;
            }
        }
    }

  csr->nz = nnz;
  if (!st_layer_build_traversals (layer, error) ||
      !st_layer_set_layout (layer, layout, error))
    return NULL;

  return g_steal_pointer (&layer);
}

/**
 * st_layer_copy:
 * @layer: a layer
 *
 * Returns: (transfer full): an independent copy with the same pattern,
 * layout, values, gradient, bias and activation
 */
StLayer *
st_layer_copy (const StLayer *layer)
{
  const gsl_spmatrix *src;
  StLayer *copy;
  gsize nnz;
  gsize p_length;

  g_return_val_if_fail (layer != NULL, NULL);

  src = layer->weights;
  nnz = src->nz;

  copy = g_new0 (StLayer, 1);
  copy->layout = layer->layout;
  copy->activation = layer->activation;
  copy->weights = gsl_spmatrix_alloc_nzmax (src->size1, src->size2, nnz, src->sptype);
  if (copy->weights == NULL)
    g_error ("Cannot allocate a copy of a %zu x %zu layer", src->size1, src->size2);

  switch (layer->layout)
    {
    case ST_LAYOUT_CSR:
      p_length = src->size1 + 1;
      break;
    case ST_LAYOUT_CSC:
      p_length = src->size2 + 1;
      break;
    case ST_LAYOUT_COO:
    default:
      p_length = nnz;
      break;
    }

  memcpy (copy->weights->i, src->i, sizeof (int) * nnz);
  memcpy (copy->weights->p, src->p, sizeof (int) * p_length);
  memcpy (copy->weights->data, src->data, sizeof (double) * nnz);
  copy->weights->nz = nnz;
  if (layer->layout == ST_LAYOUT_COO)
    gsl_spmatrix_tree_rebuild (copy->weights);

  if (layer->weight_grad != NULL)
    copy->weight_grad = g_memdup2 (layer->weight_grad, sizeof (double) * MAX (nnz, 1));
  if (layer->bias != NULL)
    {
      copy->bias = g_memdup2 (layer->bias, sizeof (double) * src->size1);
      copy->bias_grad = g_memdup2 (layer->bias_grad, sizeof (double) * src->size1);
    }
  if (layer->last_update != NULL)
    copy->last_update = g_memdup2 (layer->last_update, sizeof (double) * MAX (nnz, 1));
  for (guint s = 0; s < ST_LAYER_N_STATES; s++)
    {
      if (layer->weight_state[s] != NULL)
        copy->weight_state[s] = g_memdup2 (layer->weight_state[s], sizeof (double) * MAX (nnz, 1));
      if (layer->bias_state[s] != NULL)
        copy->bias_state[s] = g_memdup2 (layer->bias_state[s], sizeof (double) * src->size1);
    }

  if (!st_layer_build_traversals (copy, NULL))
    g_error ("Cannot allocate the index of a copy of a %zu x %zu layer", src->size1, src->size2);

  return copy;
}

void
st_layer_free (StLayer *layer)
{
  if (layer == NULL)
    return;

  st_layer_clear_traversals (layer);
  g_clear_pointer (&layer->weights, gsl_spmatrix_free);
  g_free (layer->weight_grad);
  g_free (layer->last_update);
  g_free (layer->bias);
  g_free (layer->bias_grad);
  for (guint s = 0; s < ST_LAYER_N_STATES; s++)
    {
      g_free (layer->weight_state[s]);
      g_free (layer->bias_state[s]);
    }
  g_free (layer);
}

guint
st_layer_get_rows (const StLayer *layer)
{
  return (guint) layer->weights->size1;
}

guint
st_layer_get_cols (const StLayer *layer)
{
  return (guint) layer->weights->size2;
}

gsize
st_layer_get_nnz (const StLayer *layer)
{
  return layer->weights->nz;
}

/* Returns: the fraction of the rows x cols positions that are stored. */
double
st_layer_get_density (const StLayer *layer)
{
  return (double) layer->weights->nz /
         ((double) layer->weights->size1 * (double) layer->weights->size2);
}

StLayout
st_layer_get_layout (const StLayer *layer)
{
  return layer->layout;
}

StActivation
st_layer_get_activation (const StLayer *layer)
{
  return layer->activation;
}

void
st_layer_set_activation (StLayer      *layer,
                         StActivation  activation)
{
  g_return_if_fail ((guint) activation < ST_N_ACTIVATIONS);

  layer->activation = activation;
}

gboolean
st_layer_has_bias (const StLayer *layer)
{
  return layer->bias != NULL;
}

/**
 * st_layer_set_has_bias:
 * @layer: a layer
 * @has_bias: whether the layer adds a bias per output
 * @error: return location for an error
 *
 * Adds a bias of zeros, or drops the bias and its values.
 *
 * Returns: %FALSE with @error set when memory runs out
 */
gboolean
st_layer_set_has_bias (StLayer   *layer,
                       gboolean   has_bias,
                       GError   **error)
{
  guint rows = st_layer_get_rows (layer);

  if (has_bias == (layer->bias != NULL))
    return TRUE;

  if (!has_bias)
    {
      g_clear_pointer (&layer->bias, g_free);
      g_clear_pointer (&layer->bias_grad, g_free);
      return TRUE;
    }

  layer->bias = try_alloc_array (rows, sizeof (double), error);
  layer->bias_grad = layer->bias ? try_alloc_array (rows, sizeof (double), error) : NULL;
  if (layer->bias_grad == NULL)
    {
      g_clear_pointer (&layer->bias, g_free);
      return FALSE;
    }

  return TRUE;
}

/* Returns: (nullable): the bias, rows values, or %NULL without a bias. */
double *
st_layer_get_bias (StLayer *layer)
{
  return layer->bias;
}

/* Returns: (nullable): dL/db of the last gradient computation. */
const double *
st_layer_get_bias_gradient (const StLayer *layer)
{
  return layer->bias_grad;
}

/* Returns: the weights in layout order; writable, the pattern is not. */
double *
st_layer_get_values (StLayer *layer)
{
  return layer->weights->data;
}

/* Returns: (nullable): the change of each weight in the last update, in
 * layout order, or %NULL unless the network records updates. */
const double *
st_layer_get_last_update (const StLayer *layer)
{
  return layer->last_update;
}

/* Returns: (nullable): dL/dW of the last gradient computation, in layout
 * order, or %NULL before the first one. */
const double *
st_layer_get_weight_gradient (const StLayer *layer)
{
  return layer->weight_grad;
}

/* Binary search for @key in the sorted int range [first, end). */
static gboolean
search_sorted (const int *array,
               gsize      first,
               gsize      end,
               int        key,
               gsize     *found)
{
  gsize low = first;
  gsize high = end;

  while (low < high)
    {
      gsize middle = low + (high - low) / 2;

      if (array[middle] < key)
        low = middle + 1;
      else
        high = middle;
    }

  if (low < end && array[low] == key)
    {
      *found = low;
      return TRUE;
    }

  return FALSE;
}

/**
 * st_layer_find_entry:
 * @layer: a layer
 * @row: zero-based row
 * @col: zero-based column
 * @position: (out): position of the entry in layout order
 *
 * Returns: %TRUE when (@row, @col) is a stored entry
 */
gboolean
st_layer_find_entry (const StLayer *layer,
                     guint          row,
                     guint          col,
                     gsize         *position)
{
  const StTraversal *rows = &layer->by_row;
  gsize e;

  if (row >= layer->weights->size1 || col >= layer->weights->size2)
    return FALSE;

  if (!search_sorted (rows->index, (gsize) rows->start[row], (gsize) rows->start[row + 1],
                      (int) col, &e))
    return FALSE;

  *position = rows->position ? (gsize) rows->position[e] : e;
  return TRUE;
}

/* Index of the compressed slice (row for CSR, column for CSC) holding
 * @position: the last s with p[s] <= position. */
static guint
slice_of_position (const gsl_spmatrix *m,
                   guint               n_slices,
                   gsize               position)
{
  guint first = 0;
  guint last = n_slices;

  while (last - first > 1)
    {
      guint middle = first + (last - first) / 2;

      if ((gsize) m->p[middle] <= position)
        first = middle;
      else
        last = middle;
    }

  return first;
}

/**
 * st_layer_get_entry:
 * @layer: a layer
 * @position: a position in layout order, below the number of entries
 * @row: (out) (optional): zero-based row of the entry
 * @col: (out) (optional): zero-based column of the entry
 */
void
st_layer_get_entry (const StLayer *layer,
                    gsize          position,
                    guint         *row,
                    guint         *col)
{
  const gsl_spmatrix *m = layer->weights;
  guint r;
  guint c;

  g_return_if_fail (position < m->nz);

  switch (layer->layout)
    {
    case ST_LAYOUT_CSR:
      r = slice_of_position (m, (guint) m->size1, position);
      c = (guint) m->i[position];
      break;
    case ST_LAYOUT_CSC:
      c = slice_of_position (m, (guint) m->size2, position);
      r = (guint) m->i[position];
      break;
    case ST_LAYOUT_COO:
    default:
      r = (guint) m->i[position];
      c = (guint) m->p[position];
      break;
    }

  if (row != NULL)
    *row = r;
  if (col != NULL)
    *col = c;
}

/**
 * st_layer_get_canonical_order:
 * @layer: a layer
 * @positions: (array length=nnz): filled with the layout position of each
 *   entry in canonical order
 *
 * After this call, positions[c] is where the c-th entry in row-major
 * order sits in the layout's arrays.  CSR and COO give the identity.
 */
void
st_layer_get_canonical_order (const StLayer *layer,
                              gsize         *positions)
{
  const int *position = layer->by_row.position;

  for (gsize c = 0; c < layer->weights->nz; c++)
    positions[c] = position ? (gsize) position[c] : c;
}

/**
 * st_layer_copy_entries:
 * @layer: a layer
 * @rows: (array length=nnz) (optional): filled with zero-based rows
 * @cols: (array length=nnz) (optional): filled with zero-based columns
 * @values: (array length=nnz) (optional): filled with the weights
 * @gradient: (array length=nnz) (optional): filled with dL/dW
 *
 * Copies the stored entries out in canonical order, the same for every
 * layout, so that layers in different layouts compare element by element.
 */
void
st_layer_copy_entries (const StLayer *layer,
                       guint         *rows,
                       guint         *cols,
                       double        *values,
                       double        *gradient)
{
  const StTraversal *by_row = &layer->by_row;

  for (guint i = 0; i < by_row->n_slices; i++)
    {
      for (int e = by_row->start[i]; e < by_row->start[i + 1]; e++)
        {
          int k = by_row->position ? by_row->position[e] : e;

          if (rows != NULL)
            rows[e] = i;
          if (cols != NULL)
            cols[e] = (guint) by_row->index[e];
          if (values != NULL)
            values[e] = layer->weights->data[k];
          if (gradient != NULL)
            gradient[e] = layer->weight_grad != NULL ? layer->weight_grad[k] : 0.0;
        }
    }
}

/**
 * st_layer_copy_canonical:
 * @layer: a layer
 * @layout_order: (array length=nnz): any array parallel to the weights
 * @canonical: (array length=nnz) (out caller-allocates): the same values
 *   in canonical order
 */
void
st_layer_copy_canonical (const StLayer *layer,
                         const double  *layout_order,
                         double        *canonical)
{
  const int *position = layer->by_row.position;

  for (gsize c = 0; c < layer->weights->nz; c++)
    canonical[c] = layout_order[position ? (gsize) position[c] : c];
}

/**
 * st_layer_set_canonical_values:
 * @layer: a layer
 * @values: (array length=nnz): weights in canonical order
 *
 * Replaces every weight.  The pattern is unchanged.
 */
void
st_layer_set_canonical_values (StLayer      *layer,
                               const double *values)
{
  gsize nnz = layer->weights->nz;
  g_autofree gsize *positions = g_new (gsize, MAX (nnz, 1));

  st_layer_get_canonical_order (layer, positions);

  for (gsize c = 0; c < nnz; c++)
    layer->weights->data[positions[c]] = values[c];
}

/**
 * st_layer_set_layout:
 * @layer: a layer
 * @layout: the new storage
 * @error: return location for an error
 *
 * Converts the layer to @layout.  The pattern, the weights and the
 * gradient move with their entries, so no later result changes.
 *
 * Returns: %FALSE with @error set when memory runs out; the layer is
 * then unchanged
 */
gboolean
st_layer_set_layout (StLayer   *layer,
                     StLayout   layout,
                     GError   **error)
{
  gsl_spmatrix *old = layer->weights;
  gsl_spmatrix *converted;
  guint rows = (guint) old->size1;
  gsize nnz = old->nz;
  g_autofree gsize *positions = NULL;
  g_autofree gsize *row_start = NULL;
  g_autofree guint *col_index = NULL;
  g_autofree gsize *canonical_of = NULL;
  g_autofree double *new_grad = NULL;

  g_return_val_if_fail ((guint) layout < ST_N_LAYOUTS, FALSE);

  if (layout == layer->layout)
    return TRUE;

  positions = try_alloc_array (nnz, sizeof (gsize), error);
  row_start = positions ? try_alloc_array ((gsize) rows + 1, sizeof (gsize), error) : NULL;
  col_index = row_start ? try_alloc_array (nnz, sizeof (guint), error) : NULL;
  canonical_of = col_index ? try_alloc_array (nnz, sizeof (gsize), error) : NULL;
  if (canonical_of == NULL)
    return FALSE;
  if (layer->weight_grad != NULL &&
      (new_grad = try_alloc_array (nnz, sizeof (double), error)) == NULL)
    return FALSE;

  /* Describe the pattern in canonical order, then rebuild it. */
  st_layer_get_canonical_order (layer, positions);
  for (gsize c = 0; c < nnz; c++)
    {
      guint r;

      st_layer_get_entry (layer, positions[c], &r, &col_index[c]);
      row_start[r + 1]++;
    }
  for (guint i = 0; i < rows; i++)
    row_start[i + 1] += row_start[i];

  converted = build_matrix (rows, (guint) old->size2, nnz, row_start, col_index, layout,
                            canonical_of, error);
  if (converted == NULL)
    return FALSE;

  for (gsize k = 0; k < nnz; k++)
    {
      gsize old_position = positions[canonical_of[k]];

      converted->data[k] = old->data[old_position];
      if (new_grad != NULL)
        new_grad[k] = layer->weight_grad[old_position];
    }

  /* Optimizer state and the last update move with their entries, like
   * the weights. */
  for (guint s = 0; s <= ST_LAYER_N_STATES; s++)
    {
      double **array = s < ST_LAYER_N_STATES ? &layer->weight_state[s] : &layer->last_update;
      g_autofree double *moved = NULL;

      if (*array == NULL)
        continue;

      moved = g_new (double, MAX (nnz, 1));
      for (gsize k = 0; k < nnz; k++)
        moved[k] = (*array)[positions[canonical_of[k]]];
      g_free (*array);
      *array = g_steal_pointer (&moved);
    }

  gsl_spmatrix_free (old);
  layer->weights = converted;
  g_free (layer->weight_grad);
  layer->weight_grad = g_steal_pointer (&new_grad);
  layer->layout = layout;

  if (!st_layer_build_traversals (layer, error))
    return FALSE;

  return TRUE;
}
