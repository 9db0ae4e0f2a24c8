/* st-training-worker.h: a thread that runs a trainer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "st-engine.h"

G_BEGIN_DECLS

/* What the worker hands to the main thread in the "update" signal.
 * Everything in it is owned by the worker and valid during the
 * emission only; take a reference to keep the snapshot. */
typedef struct
{
  StSnapshot *snapshot;    /* the newest state; never NULL */
  const double *costs;     /* batch costs of the steps since the last update */
  gsize n_costs;
  const GError *error;     /* why training stopped, or NULL */
  gboolean busy;           /* steps were running or queued when this was published */
  GPtrArray *frames;       /* StSnapshot at multiples of the snapshot interval */
  const StHistoryRecord *records;  /* epochs finished since the last update */
  gsize n_records;
  gboolean reached_epoch_limit;    /* the worker paused itself at the limit */
} StTrainingUpdate;

#define ST_TYPE_TRAINING_WORKER (st_training_worker_get_type ())

G_DECLARE_FINAL_TYPE (StTrainingWorker, st_training_worker, ST, TRAINING_WORKER, GObject)

StTrainingWorker *st_training_worker_new                   (StTrainer        *trainer);
void              st_training_worker_set_running           (StTrainingWorker *self,
                                                            gboolean          running);
gboolean          st_training_worker_get_running           (StTrainingWorker *self);
void              st_training_worker_request_step          (StTrainingWorker *self);
void              st_training_worker_set_learning_rate     (StTrainingWorker *self,
                                                            double            learning_rate);
void              st_training_worker_set_steps_per_second  (StTrainingWorker *self,
                                                            guint             steps_per_second);
void              st_training_worker_set_snapshot_interval (StTrainingWorker *self,
                                                            guint64           steps);
void              st_training_worker_set_epoch_limit       (StTrainingWorker *self,
                                                            guint             epochs);
StTrainer        *st_training_worker_lock_trainer          (StTrainingWorker *self);
void              st_training_worker_unlock_trainer        (StTrainingWorker *self);
void              st_training_worker_shutdown              (StTrainingWorker *self);

G_END_DECLS
