/* st-trainer.h: minibatch training of a network on a data set
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "st-optimizer.h"
#include "st-schedule.h"
#include "st-types.h"

G_BEGIN_DECLS

typedef struct
{
  double learning_rate;  /* the base rate r0 of the schedule */
  guint batch_size;      /* samples per step; the last batch of an epoch may be smaller */
  guint64 seed;          /* drives the train/test split and the batch order */
  double test_fraction;  /* share of samples held out for testing, in [0, 1) */
  StOptimizer optimizer;
  StSchedule schedule;
  double max_norm;       /* clip the gradient to this global norm; 0 for none */
  gboolean standardize;  /* compute the input standardization on the training split */
  guint threads;         /* threads for the sparse kernels, at least 1 */
} StTrainSettings;

void              st_train_settings_init_default (StTrainSettings       *settings);

StTrainer        *st_trainer_new              (StNetwork             *network,
                                               StDataset             *dataset,
                                               const StTrainSettings *settings,
                                               GError               **error);
void              st_trainer_free             (StTrainer             *trainer);

gboolean          st_trainer_step             (StTrainer             *trainer,
                                               double                *batch_cost,
                                               GError               **error);
gboolean          st_trainer_run_epoch        (StTrainer             *trainer,
                                               GError               **error);
gboolean          st_trainer_evaluate         (StTrainer             *trainer,
                                               gboolean               test_split,
                                               double                *cost,
                                               double                *accuracy,
                                               GError               **error);

gboolean          st_trainer_evaluate_classes (StTrainer             *trainer,
                                               gboolean               test_split,
                                               double                *cost,
                                               double                *accuracy,
                                               guint                 *correct_per_class,
                                               guint                 *total_per_class,
                                               GError               **error);

StNetwork        *st_trainer_get_network      (StTrainer             *trainer);
StDataset        *st_trainer_get_dataset      (StTrainer             *trainer);
const StHistory  *st_trainer_get_history      (StTrainer             *trainer);
void              st_trainer_set_history_max_length (StTrainer        *trainer,
                                                     guint             max_length);
guint64           st_trainer_get_step         (StTrainer             *trainer);
guint             st_trainer_get_epoch        (StTrainer             *trainer);
guint             st_trainer_get_steps_per_epoch (StTrainer          *trainer);
guint             st_trainer_get_n_train      (StTrainer             *trainer);
guint             st_trainer_get_n_test       (StTrainer             *trainer);
double            st_trainer_get_learning_rate (StTrainer            *trainer);
double            st_trainer_get_current_rate (StTrainer             *trainer);
void              st_trainer_set_learning_rate (StTrainer            *trainer,
                                                double                learning_rate);
StSnapshot       *st_trainer_create_snapshot  (StTrainer             *trainer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StTrainer, st_trainer_free)

G_END_DECLS
