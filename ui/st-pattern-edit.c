/* st-pattern-edit.c: undoable changes to a layer's pattern
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A pattern never changes inside the engine, so an edit builds a new
 * layer: the old entries minus the removed positions plus the added
 * ones, merged in canonical order, and a copy of the network around it.
 * An edit is stored as the two position lists, not as whole layers, so
 * undo and redo still work after training has changed every weight:
 * entries that the edit did not touch keep their trained values.
 *
 * The same edit is applied to the trained network and to the start
 * network that Reset returns to, so the two always share one pattern.
 */

#define G_LOG_DOMAIN "st-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "st-pattern-edit.h"

typedef struct
{
  gsize n;
  guint *rows;
  guint *cols;
  double *values;
} Entries;

static void
entries_clear (Entries *entries)
{
  g_clear_pointer (&entries->rows, g_free);
  g_clear_pointer (&entries->cols, g_free);
  g_clear_pointer (&entries->values, g_free);
  entries->n = 0;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Entries, entries_clear)

static void
entries_init (Entries *entries,
              gsize    capacity)
{
  entries->n = 0;
  entries->rows = g_new (guint, MAX (capacity, 1));
  entries->cols = g_new (guint, MAX (capacity, 1));
  entries->values = g_new0 (double, MAX (capacity, 1));
}

static void
entries_from_layer (Entries       *entries,
                    const StLayer *layer)
{
  entries_init (entries, st_layer_get_nnz (layer));
  entries->n = st_layer_get_nnz (layer);
  st_layer_copy_entries (layer, entries->rows, entries->cols, entries->values, NULL);
}

static void
entries_append (Entries *entries,
                guint    row,
                guint    col,
                double   value)
{
  entries->rows[entries->n] = row;
  entries->cols[entries->n] = col;
  entries->values[entries->n] = value;
  entries->n++;
}

static int
compare_position (guint row_a,
                  guint col_a,
                  guint row_b,
                  guint col_b)
{
  if (row_a != row_b)
    return row_a < row_b ? -1 : 1;
  if (col_a != col_b)
    return col_a < col_b ? -1 : 1;
  return 0;
}

static gboolean
entries_find (const Entries *entries,
              guint          row,
              guint          col,
              gsize         *position)
{
  gsize lo = 0;
  gsize hi = entries->n;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;
      int order = compare_position (entries->rows[mid], entries->cols[mid], row, col);

      if (order == 0)
        {
          *position = mid;
          return TRUE;
        }
      if (order < 0)
        lo = mid + 1;
      else
        hi = mid;
    }

  return FALSE;
}

/* (current minus removal) merged with addition, all in canonical order;
 * @removal must be a subset of @current and @addition disjoint from
 * what remains. */
static void
entries_merge (const Entries *current,
               const guint   *removal_rows,
               const guint   *removal_cols,
               gsize          n_removal,
               const guint   *addition_rows,
               const guint   *addition_cols,
               const double  *addition_values,
               gsize          n_addition,
               Entries       *result)
{
  gsize i = 0, r = 0, a = 0;

  entries_init (result, current->n - MIN (n_removal, current->n) + n_addition);

  while (i < current->n || a < n_addition)
    {
      if (i < current->n && r < n_removal &&
          compare_position (current->rows[i], current->cols[i], removal_rows[r], removal_cols[r]) == 0)
        {
          i++, r++;
          continue;
        }

      if (a >= n_addition ||
          (i < current->n &&
           compare_position (current->rows[i], current->cols[i], addition_rows[a], addition_cols[a]) < 0))
        {
          entries_append (result, current->rows[i], current->cols[i], current->values[i]);
          i++;
        }
      else
        {
          entries_append (result, addition_rows[a], addition_cols[a], addition_values[a]);
          a++;
        }
    }
}

static int
compare_cells (gconstpointer a,
               gconstpointer b)
{
  const guint *x = a;
  const guint *y = b;

  return compare_position (x[0], x[1], y[0], y[1]);
}

void
st_pattern_edit_free (StPatternEdit *edit)
{
  if (edit == NULL)
    return;

  g_free (edit->added_rows);
  g_free (edit->added_cols);
  g_free (edit->added_values);
  g_free (edit->removed_rows);
  g_free (edit->removed_cols);
  g_free (edit->removed_values);
  g_free (edit->removed_start_values);
  g_free (edit);
}

gboolean
st_pattern_edit_is_empty (const StPatternEdit *edit)
{
  return edit->n_added == 0 && edit->n_removed == 0;
}

/* Builds an edit from positions to remove (stored ones, sorted) and
 * positions to add (free ones, sorted), drawing the added weights as
 * @init would for the resulting pattern. */
static StPatternEdit *
build_edit (const StNetwork     *network,
            const StNetwork     *start,
            guint                layer_index,
            GArray              *removed,
            GArray              *added,
            const StPatternInit *init,
            GError             **error)
{
  StLayer *layer = st_network_get_layer (network, layer_index);
  StLayer *start_layer = st_network_get_layer (start, layer_index);
  g_auto(Entries) current = { 0 };
  g_auto(Entries) start_entries = { 0 };
  g_autoptr(StPatternEdit) edit = g_new0 (StPatternEdit, 1);
  const guint *removed_cells = (const guint *) (gpointer) removed->data;
  const guint *added_cells = (const guint *) (gpointer) added->data;

  entries_from_layer (&current, layer);
  entries_from_layer (&start_entries, start_layer);

  edit->layer = layer_index;
  edit->n_removed = removed->len;
  edit->removed_rows = g_new (guint, MAX (removed->len, 1));
  edit->removed_cols = g_new (guint, MAX (removed->len, 1));
  edit->removed_values = g_new (double, MAX (removed->len, 1));
  edit->removed_start_values = g_new (double, MAX (removed->len, 1));
  for (guint i = 0; i < removed->len; i++)
    {
      gsize position = 0;

      edit->removed_rows[i] = removed_cells[2 * i];
      edit->removed_cols[i] = removed_cells[2 * i + 1];
      entries_find (&current, edit->removed_rows[i], edit->removed_cols[i], &position);
      edit->removed_values[i] = current.values[position];
      edit->removed_start_values[i] = entries_find (&start_entries, edit->removed_rows[i],
                                                    edit->removed_cols[i], &position)
                                      ? start_entries.values[position] : 0.0;
    }

  edit->n_added = added->len;
  edit->added_rows = g_new (guint, MAX (added->len, 1));
  edit->added_cols = g_new (guint, MAX (added->len, 1));
  edit->added_values = g_new0 (double, MAX (added->len, 1));
  for (guint i = 0; i < added->len; i++)
    {
      edit->added_rows[i] = added_cells[2 * i];
      edit->added_cols[i] = added_cells[2 * i + 1];
    }

  /* New weights: initialise the whole resulting pattern as a new layer
   * would be, and keep the values at the added positions, so they are
   * scaled by the fan-in they end up with. */
  if (added->len > 0)
    {
      g_auto(Entries) result = { 0 };
      g_autoptr(StLayer) scratch = NULL;
      g_autoptr(gsl_rng) rng = st_random_new (init->seed);
      g_auto(Entries) initialised = { 0 };
      gsize a = 0;

      entries_merge (&current, edit->removed_rows, edit->removed_cols, edit->n_removed,
                     edit->added_rows, edit->added_cols, edit->added_values, edit->n_added, &result);
      scratch = st_layer_new (st_layer_get_rows (layer), st_layer_get_cols (layer), result.n,
                              result.rows, result.cols, result.values, ST_LAYOUT_CSR, error);
      if (scratch == NULL)
        return NULL;

      st_init_weights (scratch, init->init, rng);
      entries_from_layer (&initialised, scratch);
      for (gsize k = 0; k < initialised.n && a < edit->n_added; k++)
        if (initialised.rows[k] == edit->added_rows[a] && initialised.cols[k] == edit->added_cols[a])
          edit->added_values[a++] = initialised.values[k];
    }

  return g_steal_pointer (&edit);
}

static gboolean
check_added_count (guint64   count,
                   GError  **error)
{
  g_autofree char *requested = NULL;
  g_autofree char *limit = NULL;

  if (count <= ST_PATTERN_EDIT_MAX_ADDED)
    return TRUE;

  requested = g_strdup_printf ("%" G_GUINT64_FORMAT, count);
  limit = g_strdup_printf ("%" G_GSIZE_FORMAT, ST_PATTERN_EDIT_MAX_ADDED);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
               /* Translators: both %s are numbers of entries. */
               _("This edit would add %s entries, more than the %s one edit may add. Edit a smaller area."),
               requested, limit);
  return FALSE;
}

/**
 * st_pattern_edit_new_cells:
 * @network: the trained network
 * @start: the start network, with the same patterns
 * @layer: the layer to edit
 * @add: %TRUE to store the cells, %FALSE to erase them
 * @rows: rows of the cells, in any order, repeats allowed
 * @cols: their columns
 * @n_cells: number of cells
 * @init: how new weights are drawn
 * @error: return location for an error
 *
 * Returns: (transfer full): the edit, possibly empty, or %NULL with
 *   @error set
 */
StPatternEdit *
st_pattern_edit_new_cells (const StNetwork     *network,
                           const StNetwork     *start,
                           guint                layer,
                           gboolean             add,
                           const guint         *rows,
                           const guint         *cols,
                           gsize                n_cells,
                           const StPatternInit *init,
                           GError             **error)
{
  StLayer *l = st_network_get_layer (network, layer);
  g_autoptr(GArray) cells = g_array_sized_new (FALSE, FALSE, 2 * sizeof (guint), n_cells);
  g_autoptr(GArray) removed = g_array_new (FALSE, FALSE, 2 * sizeof (guint));
  g_autoptr(GArray) added = g_array_new (FALSE, FALSE, 2 * sizeof (guint));
  const guint *sorted;

  for (gsize i = 0; i < n_cells; i++)
    {
      guint cell[2] = { rows[i], cols[i] };

      if (rows[i] < st_layer_get_rows (l) && cols[i] < st_layer_get_cols (l))
        g_array_append_vals (cells, cell, 1);
    }
  g_array_sort (cells, compare_cells);
  sorted = (const guint *) (gpointer) cells->data;

  for (guint i = 0; i < cells->len; i++)
    {
      gsize position;
      gboolean stored;

      if (i > 0 && sorted[2 * i] == sorted[2 * i - 2] && sorted[2 * i + 1] == sorted[2 * i - 1])
        continue;

      stored = st_layer_find_entry (l, sorted[2 * i], sorted[2 * i + 1], &position);
      if (add && !stored)
        g_array_append_vals (added, &sorted[2 * i], 1);
      else if (!add && stored)
        g_array_append_vals (removed, &sorted[2 * i], 1);
    }

  if (!check_added_count (added->len, error))
    return NULL;

  return build_edit (network, start, layer, removed, added, init, error);
}

/* Stores or erases every position in a rectangle, bounds inclusive. */
StPatternEdit *
st_pattern_edit_new_rectangle (const StNetwork     *network,
                               const StNetwork     *start,
                               guint                layer,
                               gboolean             add,
                               guint                first_row,
                               guint                first_col,
                               guint                last_row,
                               guint                last_col,
                               const StPatternInit *init,
                               GError             **error)
{
  StLayer *l = st_network_get_layer (network, layer);
  g_auto(Entries) current = { 0 };
  g_autoptr(GArray) removed = g_array_new (FALSE, FALSE, 2 * sizeof (guint));
  g_autoptr(GArray) added = g_array_new (FALSE, FALSE, 2 * sizeof (guint));
  guint64 stored_inside = 0;
  guint64 area;

  last_row = MIN (last_row, st_layer_get_rows (l) - 1);
  last_col = MIN (last_col, st_layer_get_cols (l) - 1);
  entries_from_layer (&current, l);

  for (gsize k = 0; k < current.n; k++)
    if (current.rows[k] >= first_row && current.rows[k] <= last_row &&
        current.cols[k] >= first_col && current.cols[k] <= last_col)
      {
        guint cell[2] = { current.rows[k], current.cols[k] };

        stored_inside++;
        if (!add)
          g_array_append_vals (removed, cell, 1);
      }

  if (add)
    {
      area = (guint64) (last_row - first_row + 1) * (last_col - first_col + 1);
      if (!check_added_count (area - stored_inside, error))
        return NULL;

      for (guint row = first_row; row <= last_row; row++)
        for (guint col = first_col; col <= last_col; col++)
          {
            guint cell[2] = { row, col };
            gsize position;

            if (!st_layer_find_entry (l, row, col, &position))
              g_array_append_vals (added, cell, 1);
          }
    }

  return build_edit (network, start, layer, removed, added, init, error);
}

/* Stores every position that is not stored, and erases every one that
 * is. */
StPatternEdit *
st_pattern_edit_new_invert (const StNetwork     *network,
                            const StNetwork     *start,
                            guint                layer,
                            const StPatternInit *init,
                            GError             **error)
{
  StLayer *l = st_network_get_layer (network, layer);
  g_auto(Entries) current = { 0 };
  g_autoptr(GArray) removed = g_array_new (FALSE, FALSE, 2 * sizeof (guint));
  g_autoptr(GArray) added = g_array_new (FALSE, FALSE, 2 * sizeof (guint));
  guint64 area = (guint64) st_layer_get_rows (l) * st_layer_get_cols (l);
  gsize k = 0;

  if (!check_added_count (area - st_layer_get_nnz (l), error))
    return NULL;

  entries_from_layer (&current, l);
  for (guint row = 0; row < st_layer_get_rows (l); row++)
    for (guint col = 0; col < st_layer_get_cols (l); col++)
      {
        guint cell[2] = { row, col };

        if (k < current.n && current.rows[k] == row && current.cols[k] == col)
          {
            g_array_append_vals (removed, cell, 1);
            k++;
          }
        else
          {
            g_array_append_vals (added, cell, 1);
          }
      }

  return build_edit (network, start, layer, removed, added, init, error);
}

/* Replaces the whole pattern and its weights with @replacement's, as
 * the generators do. */
StPatternEdit *
st_pattern_edit_new_replace (const StNetwork *network,
                             const StNetwork *start,
                             guint            layer,
                             const StLayer   *replacement)
{
  StLayer *l = st_network_get_layer (network, layer);
  StLayer *start_layer = st_network_get_layer (start, layer);
  StPatternEdit *edit = g_new0 (StPatternEdit, 1);
  g_auto(Entries) current = { 0 };
  g_auto(Entries) start_entries = { 0 };
  g_auto(Entries) replacing = { 0 };

  entries_from_layer (&current, l);
  entries_from_layer (&start_entries, start_layer);
  entries_from_layer (&replacing, replacement);

  edit->layer = layer;
  edit->n_removed = current.n;
  edit->removed_rows = g_steal_pointer (&current.rows);
  edit->removed_cols = g_steal_pointer (&current.cols);
  edit->removed_values = g_steal_pointer (&current.values);
  edit->removed_start_values = g_steal_pointer (&start_entries.values);

  edit->n_added = replacing.n;
  edit->added_rows = g_steal_pointer (&replacing.rows);
  edit->added_cols = g_steal_pointer (&replacing.cols);
  edit->added_values = g_steal_pointer (&replacing.values);

  return edit;
}

/**
 * st_network_copy_with_layer:
 * @network: a network
 * @index: the layer to replace
 * @layer: (transfer full): the new layer, of the same shape
 * @error: return location for an error
 *
 * Copies @network with layer @index replaced, keeping the loss, the
 * input standardization, the update count and the recording of updates.
 *
 * Returns: (transfer full): the new network, or %NULL with @error set
 */
StNetwork *
st_network_copy_with_layer (const StNetwork  *network,
                            guint             index,
                            StLayer          *layer,
                            GError          **error)
{
  g_autoptr(StNetwork) copy = st_network_new (st_network_get_loss (network));
  g_autoptr(StLayer) owned = layer;

  for (guint l = 0; l < st_network_get_n_layers (network); l++)
    {
      StLayer *next = l == index ? g_steal_pointer (&owned)
                                 : st_layer_copy (st_network_get_layer (network, l));

      if (!st_network_append_layer (copy, next, error))
        return NULL;
    }

  if (st_network_get_input_mean (network) != NULL)
    st_network_set_standardization (copy, st_network_get_input_mean (network),
                                    st_network_get_input_scale (network));
  st_network_set_record_updates (copy, st_network_get_record_updates (network));
  st_network_set_updates (copy, st_network_get_updates (network));
  if (!st_network_set_threads (copy, st_network_get_threads (network), error) ||
      !st_network_validate (copy, error))
    return NULL;

  return g_steal_pointer (&copy);
}

/**
 * st_pattern_edit_apply:
 * @edit: an edit
 * @network: the network to apply it to
 * @undo: %TRUE to revert the edit instead
 * @to_start: %TRUE when @network is the start network, whose removed
 *   entries come back with their start weights on undo
 * @error: return location for an error
 *
 * Returns: (transfer full): the edited copy, or %NULL with @error set
 */
StNetwork *
st_pattern_edit_apply (const StPatternEdit *edit,
                       const StNetwork     *network,
                       gboolean             undo,
                       gboolean             to_start,
                       GError             **error)
{
  StLayer *old = st_network_get_layer (network, edit->layer);
  g_auto(Entries) current = { 0 };
  g_auto(Entries) result = { 0 };
  StLayer *layer;

  entries_from_layer (&current, old);

  if (!undo)
    entries_merge (&current, edit->removed_rows, edit->removed_cols, edit->n_removed,
                   edit->added_rows, edit->added_cols, edit->added_values, edit->n_added, &result);
  else
    entries_merge (&current, edit->added_rows, edit->added_cols, edit->n_added,
                   edit->removed_rows, edit->removed_cols,
                   to_start ? edit->removed_start_values : edit->removed_values,
                   edit->n_removed, &result);

  layer = st_layer_new (st_layer_get_rows (old), st_layer_get_cols (old), result.n,
                        result.rows, result.cols, result.values, st_layer_get_layout (old), error);
  if (layer == NULL)
    return NULL;

  st_layer_set_activation (layer, st_layer_get_activation (old));
  if (st_layer_has_bias (old))
    {
      if (!st_layer_set_has_bias (layer, TRUE, error))
        {
          st_layer_free (layer);
          return NULL;
        }
      memcpy (st_layer_get_bias (layer), st_layer_get_bias ((StLayer *) old),
              sizeof (double) * st_layer_get_rows (old));
    }

  return st_network_copy_with_layer (network, edit->layer, layer, error);
}
