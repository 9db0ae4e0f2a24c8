/* st-entry-sort.h: row-major ordering of (row, column) entries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean st_sort_entries (guint         rows,
                          guint         cols,
                          gsize         nnz,
                          const guint  *entry_rows,
                          const guint  *entry_cols,
                          gsize        *order,
                          GError      **error);

G_END_DECLS
