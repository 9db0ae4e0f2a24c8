/* st-history.h: the cost of a training run, epoch by epoch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "st-types.h"

G_BEGIN_DECLS

/* One finished epoch.  Values that do not apply are NaN: the test
 * figures without a test split, the accuracy for regression. */
typedef struct
{
  guint epoch;            /* counting from 1 */
  guint64 step;           /* training steps taken when the epoch ended */
  double train_cost;      /* over the whole training split, after the epoch */
  double test_cost;
  double test_accuracy;   /* fraction of test samples classified right, 0..1 */
} StHistoryRecord;

StHistory             *st_history_new       (void);
StHistory             *st_history_copy      (const StHistory       *history);
void                   st_history_free      (StHistory             *history);
void                   st_history_append    (StHistory             *history,
                                             const StHistoryRecord *record);
void                   st_history_set_max_length (StHistory        *history,
                                             guint                  max_length);
guint                  st_history_get_length (const StHistory      *history);
const StHistoryRecord *st_history_get       (const StHistory       *history,
                                             guint                  index);
gboolean               st_history_write_csv (const StHistory       *history,
                                             const char            *path,
                                             GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StHistory, st_history_free)

G_END_DECLS
