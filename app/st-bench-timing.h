/* st-bench-timing.h: the clock and the median of the benchmark commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

double st_bench_seconds_now (void);
double st_bench_median      (double *times,
                             guint   n);

G_END_DECLS
