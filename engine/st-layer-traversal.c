/* st-layer-traversal.c: row-major and column-major ways through a layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The forward product sums along rows and the input gradient along
 * columns.  CSR and COO store the row order natively and CSC the column
 * order.  The other order is built here once per layout change, as an
 * index of O(nnz + rows + cols) integers, so the kernels walk rows and
 * columns the same way in every layout.
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "st-error.h"
#include "st-layer-private.h"

void
st_layer_clear_traversals (StLayer *layer)
{
  for (guint k = 0; k < G_N_ELEMENTS (layer->owned_index); k++)
    g_clear_pointer (&layer->owned_index[k], g_free);
  g_clear_pointer (&layer->by_row.split, g_free);
  g_clear_pointer (&layer->by_col.split, g_free);
  memset (&layer->by_row, 0, sizeof layer->by_row);
  memset (&layer->by_col, 0, sizeof layer->by_col);
}

static int *
take_array (StLayer  *layer,
            gsize     n,
            GError  **error)
{
  int *array = g_try_malloc0_n (MAX (n, 1), sizeof (int));

  if (array == NULL)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GSIZE_FORMAT, n);

      g_set_error (error, ST_ERROR, ST_ERROR_TOO_LARGE,
                   _("Cannot allocate an index of %s entries: not enough memory"), count);
      return NULL;
    }

  for (guint k = 0; k < G_N_ELEMENTS (layer->owned_index); k++)
    {
      if (layer->owned_index[k] == NULL)
        {
          layer->owned_index[k] = array;
          return array;
        }
    }

  g_assert_not_reached ();
}

/* Build @target, which walks the entries along the other dimension
 * (@n_target slices), from @source.  Visiting the source slices in order
 * keeps every target slice sorted by source index. */
static gboolean
transpose_traversal (StLayer            *layer,
                     const StTraversal  *source,
                     guint               n_target,
                     StTraversal        *target,
                     GError            **error)
{
  gsize nnz = layer->weights->nz;
  int *start = take_array (layer, (gsize) n_target + 1, error);
  int *index = start ? take_array (layer, nnz, error) : NULL;
  int *position = index ? take_array (layer, nnz, error) : NULL;
  g_autofree int *cursor = NULL;

  if (position == NULL)
    return FALSE;

  for (gsize e = 0; e < nnz; e++)
    start[source->index[e] + 1]++;
  for (guint s = 0; s < n_target; s++)
    start[s + 1] += start[s];

  cursor = g_memdup2 (start, sizeof (int) * ((gsize) n_target + 1));
  for (guint s = 0; s < source->n_slices; s++)
    {
      for (int e = source->start[s]; e < source->start[s + 1]; e++)
        {
          int slot = cursor[source->index[e]]++;

          index[slot] = (int) s;
          position[slot] = source->position ? source->position[e] : e;
        }
    }

  target->start = start;
  target->index = index;
  target->position = position;
  target->n_slices = n_target;
  return TRUE;
}

/**
 * st_layer_build_traversals:
 * @layer: a layer
 * @error: return location for an error
 *
 * Sets up by_row for the current layout, and by_col where the layout
 * stores it natively (CSC).  The column traversal of CSR and COO layers
 * costs O(nnz) memory and only the input gradient uses it, so
 * st_layer_prepare() builds it on demand.  Thread shares are dropped and
 * made again by st_layer_prepare() as well.
 *
 * Returns: %FALSE with @error set when memory runs out
 */
gboolean
st_layer_build_traversals (StLayer  *layer,
                           GError  **error)
{
  gsl_spmatrix *m = layer->weights;
  guint rows = (guint) m->size1;
  guint cols = (guint) m->size2;

  st_layer_clear_traversals (layer);

  switch (layer->layout)
    {
    case ST_LAYOUT_CSR:
      layer->by_row = (StTraversal) { .start = m->p, .index = m->i, .n_slices = rows };
      return TRUE;

    case ST_LAYOUT_CSC:
      layer->by_col = (StTraversal) { .start = m->p, .index = m->i, .n_slices = cols };
      return transpose_traversal (layer, &layer->by_col, rows, &layer->by_row, error);

    case ST_LAYOUT_COO:
    default:
      {
        /* COO keeps the canonical order, so rows are already contiguous
         * and only their starts are missing. */
        int *row_start = take_array (layer, (gsize) rows + 1, error);

        if (row_start == NULL)
          return FALSE;
        for (gsize k = 0; k < m->nz; k++)
          row_start[m->i[k] + 1]++;
        for (guint i = 0; i < rows; i++)
          row_start[i + 1] += row_start[i];

        layer->by_row = (StTraversal) { .start = row_start, .index = m->p, .n_slices = rows };
        return TRUE;
      }
    }
}

/* Cut the slices into @n_parts consecutive shares of about equal cost,
 * counting each slice as its entries plus one. */
static void
split_traversal (StTraversal *traversal,
                 guint        n_parts)
{
  guint64 total = (guint64) traversal->start[traversal->n_slices] + traversal->n_slices;
  guint64 done = 0;
  guint part = 1;

  g_free (traversal->split);
  traversal->split = g_new0 (guint, n_parts + 1);
  traversal->n_parts = n_parts;

  for (guint s = 0; s < traversal->n_slices && part < n_parts; s++)
    {
      done += (guint64) (traversal->start[s + 1] - traversal->start[s]) + 1;
      while (part < n_parts && done * n_parts >= total * part)
        traversal->split[part++] = s + 1;
    }
  while (part <= n_parts)
    traversal->split[part++] = traversal->n_slices;
}

/**
 * st_layer_prepare:
 * @layer: a layer
 * @need_columns: whether the input gradient will be computed, which walks
 *   the columns
 * @n_parts: the size of the thread team
 * @error: return location for an error
 *
 * Allocates what training needs and construction leaves out: the weight
 * gradient, the column traversal when asked for, and the thread shares.
 * Does nothing when they exist, so it is cheap to call before every step.
 *
 * Returns: %FALSE with @error set when memory runs out
 */
gboolean
st_layer_prepare (StLayer   *layer,
                  gboolean   need_columns,
                  guint      n_parts,
                  GError   **error)
{
  guint cols = (guint) layer->weights->size2;

  if (layer->weight_grad == NULL)
    {
      layer->weight_grad = g_try_malloc0_n (MAX (layer->weights->nz, 1), sizeof (double));
      if (layer->weight_grad == NULL)
        {
          g_autofree char *count = g_strdup_printf ("%" G_GSIZE_FORMAT,
                                                    (gsize) layer->weights->nz);

          g_set_error (error, ST_ERROR, ST_ERROR_TOO_LARGE,
                       _("Cannot allocate the gradient of %s stored entries: not enough memory"),
                       count);
          return FALSE;
        }
    }

  if (need_columns && layer->by_col.start == NULL &&
      !transpose_traversal (layer, &layer->by_row, cols, &layer->by_col, error))
    return FALSE;

  if (layer->by_row.n_parts != n_parts)
    split_traversal (&layer->by_row, n_parts);
  if (layer->by_col.start != NULL && layer->by_col.n_parts != n_parts)
    split_traversal (&layer->by_col, n_parts);

  return TRUE;
}

/**
 * st_traversal_get_share:
 * @traversal: a traversal
 * @worker: the team member, from 0
 * @n_workers: the team size
 * @first: (out): the member's first slice
 * @last: (out): one past its last slice
 *
 * Uses the balanced shares when they were made for this team size, and
 * equal slice counts otherwise.  Either way the share depends only on
 * @worker and @n_workers.
 */
void
st_traversal_get_share (const StTraversal *traversal,
                        guint              worker,
                        guint              n_workers,
                        guint             *first,
                        guint             *last)
{
  if (traversal->n_parts == n_workers && traversal->split != NULL)
    {
      *first = traversal->split[worker];
      *last = traversal->split[worker + 1];
      return;
    }

  *first = (guint) ((guint64) traversal->n_slices * worker / n_workers);
  *last = (guint) ((guint64) traversal->n_slices * (worker + 1) / n_workers);
}
