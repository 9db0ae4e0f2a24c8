/* st-parallel.h: a small team of threads for the sparse kernels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _StParallel StParallel;

/* Work for one member of the team: @worker runs from 0 to n_workers - 1
 * and picks its own share of the job from @data. */
typedef void (*StParallelFunc) (gpointer data,
                                guint    worker,
                                guint    n_workers);

/* Most threads a team may have; more would not help the kernels on the
 * machines this runs on and would only cost memory for split tables. */
#define ST_PARALLEL_MAX_THREADS 64

/* Jobs smaller than this many multiply-adds run on the calling thread
 * alone: handing them over costs more than it saves, and on a machine
 * busy with other programs a hand-over can wait a whole scheduler tick.
 * An estimate from the benchmark layers, not a measured optimum. */
#define ST_PARALLEL_MIN_WORK 65536

StParallel *st_parallel_new           (guint              n_threads);
void        st_parallel_free          (StParallel        *parallel);
guint       st_parallel_get_n_threads (const StParallel  *parallel);
void        st_parallel_run           (StParallel        *parallel,
                                       gsize              work,
                                       StParallelFunc     function,
                                       gpointer           data);
void        st_parallel_barrier       (StParallel        *parallel);
void        st_parallel_set_alone     (StParallel        *parallel,
                                       gboolean           alone);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StParallel, st_parallel_free)

G_END_DECLS
