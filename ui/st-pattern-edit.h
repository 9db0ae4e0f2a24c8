/* st-pattern-edit.h: undoable changes to a layer's pattern
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "st-engine.h"

G_BEGIN_DECLS

/* Largest number of entries one edit may add, so that a rectangle or an
 * inversion of a huge layer fails with a message instead of exhausting
 * memory. */
#define ST_PATTERN_EDIT_MAX_ADDED ((gsize) 4 * 1024 * 1024)

/* An edit of one layer: entries it removes and entries it adds, each in
 * canonical order.  Removed entries keep their weights (in the trained
 * network and in the start network) so that undo can put them back. */
typedef struct
{
  guint layer;

  gsize n_added;
  guint *added_rows;
  guint *added_cols;
  double *added_values;

  gsize n_removed;
  guint *removed_rows;
  guint *removed_cols;
  double *removed_values;
  double *removed_start_values;
} StPatternEdit;

/* Where an edit takes new weights from. */
typedef struct
{
  StInit init;
  guint64 seed;
} StPatternInit;

StPatternEdit *st_pattern_edit_new_cells      (const StNetwork     *network,
                                               const StNetwork     *start,
                                               guint                layer,
                                               gboolean             add,
                                               const guint         *rows,
                                               const guint         *cols,
                                               gsize                n_cells,
                                               const StPatternInit *init,
                                               GError             **error);
StPatternEdit *st_pattern_edit_new_rectangle  (const StNetwork     *network,
                                               const StNetwork     *start,
                                               guint                layer,
                                               gboolean             add,
                                               guint                first_row,
                                               guint                first_col,
                                               guint                last_row,
                                               guint                last_col,
                                               const StPatternInit *init,
                                               GError             **error);
StPatternEdit *st_pattern_edit_new_invert     (const StNetwork     *network,
                                               const StNetwork     *start,
                                               guint                layer,
                                               const StPatternInit *init,
                                               GError             **error);
StPatternEdit *st_pattern_edit_new_replace    (const StNetwork     *network,
                                               const StNetwork     *start,
                                               guint                layer,
                                               const StLayer       *replacement);
void           st_pattern_edit_free           (StPatternEdit       *edit);
gboolean       st_pattern_edit_is_empty       (const StPatternEdit *edit);

StNetwork     *st_pattern_edit_apply          (const StPatternEdit *edit,
                                               const StNetwork     *network,
                                               gboolean             undo,
                                               gboolean             to_start,
                                               GError             **error);
StNetwork     *st_network_copy_with_layer     (const StNetwork     *network,
                                               guint                index,
                                               StLayer             *layer,
                                               GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StPatternEdit, st_pattern_edit_free)

G_END_DECLS
