/* st-run-history.h: snapshots and epoch costs of a training run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "st-engine.h"
#include "st-network-pattern.h"

G_BEGIN_DECLS

/* One moment of the run.  Steps and epochs count from the model's
 * start, across every trainer the window made for it. */
typedef struct
{
  guint64 step;
  guint epoch;
  StSnapshot *snapshot;
  StNetworkPattern *pattern;   /* the pattern the snapshot's values belong to */
} StHistoryFrame;

typedef struct _StRunHistory StRunHistory;

StRunHistory          *st_run_history_new          (guint                  max_frames,
                                                    gsize                  max_bytes);
void                   st_run_history_free         (StRunHistory          *history);
void                   st_run_history_clear        (StRunHistory          *history);
gboolean               st_run_history_add_frame    (StRunHistory          *history,
                                                    guint64                step,
                                                    guint                  epoch,
                                                    StSnapshot            *snapshot,
                                                    StNetworkPattern      *pattern);
guint                  st_run_history_get_n_frames (const StRunHistory    *history);
const StHistoryFrame  *st_run_history_get_frame    (const StRunHistory    *history,
                                                    guint                  index);
gboolean               st_run_history_find_frame   (const StRunHistory    *history,
                                                    guint64                step,
                                                    guint                 *index);
void                   st_run_history_add_record   (StRunHistory          *history,
                                                    const StHistoryRecord *record);
const StHistory       *st_run_history_get_records  (const StRunHistory    *history);
void                   st_run_history_truncate     (StRunHistory          *history,
                                                    guint64                step);
gsize                  st_run_history_get_bytes    (const StRunHistory    *history);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StRunHistory, st_run_history_free)

G_END_DECLS
