/* st-storage-view.h: the arrays a layout stores a small layer in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "st-engine.h"

G_BEGIN_DECLS

/* Layers with more rows or columns than this are not shown: the arrays
 * would be too long to read. */
#define ST_STORAGE_VIEW_MAX_DIMENSION 64

#define ST_TYPE_STORAGE_VIEW (st_storage_view_get_type ())

G_DECLARE_FINAL_TYPE (StStorageView, st_storage_view, ST, STORAGE_VIEW, GtkWidget)

GtkWidget *st_storage_view_new            (void);
gboolean   st_storage_view_set_layer      (StStorageView *self,
                                           guint          rows,
                                           guint          cols,
                                           gsize          nnz,
                                           const guint   *entry_rows,
                                           const guint   *entry_cols,
                                           StLayout       layout);
void       st_storage_view_set_values     (StStorageView *self,
                                           const double  *values);
void       st_storage_view_set_highlight  (StStorageView *self,
                                           int            row,
                                           int            col);
char      *st_storage_view_describe       (StStorageView *self);

G_END_DECLS
