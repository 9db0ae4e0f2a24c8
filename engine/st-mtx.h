/* st-mtx.h: Matrix Market files of weights, patterns and gradients
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "st-types.h"

G_BEGIN_DECLS

/* A matrix read from a Matrix Market file, as zero-based entries in
 * row-major order with duplicates summed. */
typedef struct
{
  guint rows;
  guint cols;
  gsize nnz;
  guint *row;
  guint *col;
  double *value;         /* all 0 for the pattern field */
  gboolean has_values;   /* FALSE for the pattern field */
  gsize n_duplicates;    /* entries summed into an earlier one */
  GPtrArray *warnings;   /* char *, about accepted but doubtful input */
} StMtx;

StMtx   *st_mtx_read             (GFile         *file,
                                  GCancellable  *cancellable,
                                  GError       **error);
void     st_mtx_free             (StMtx         *mtx);
StLayer *st_mtx_to_layer         (const StMtx   *mtx,
                                  StLayout       layout,
                                  GError       **error);

gboolean st_mtx_write_coordinate (const char    *path,
                                  guint          rows,
                                  guint          cols,
                                  gsize          nnz,
                                  const guint   *row,
                                  const guint   *col,
                                  const double  *value,
                                  GError       **error);
gboolean st_mtx_write_array      (const char    *path,
                                  guint          rows,
                                  guint          cols,
                                  const double  *column_major,
                                  GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StMtx, st_mtx_free)

G_END_DECLS
