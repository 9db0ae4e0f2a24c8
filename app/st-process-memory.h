/* st-process-memory.h: this process's resident memory, for the benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

guint64 st_process_get_rss        (void);
guint64 st_process_get_peak_rss   (void);
void    st_process_reset_peak_rss (void);

G_END_DECLS
