/* st-memory.h: checks that a requested size fits in this machine's memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

guint64  st_memory_get_physical (void);
gboolean st_memory_check        (guint64      bytes,
                                 const char  *what,
                                 GError     **error);

G_END_DECLS
