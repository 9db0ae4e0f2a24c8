/* st-dataset.h: samples with inputs and either targets or class labels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "st-types.h"

G_BEGIN_DECLS

/* A data set is immutable once built and reference counted, so the
 * window and a training thread can share it.  Inputs are stored
 * sample-major: inputs[s * n_inputs + j].  A regression set has
 * n_targets target values per sample; a classification set has one class
 * index per sample and the names of its classes. */

StDataset     *st_dataset_new_regression     (guint            n_samples,
                                              guint            n_inputs,
                                              guint            n_targets,
                                              const double    *inputs,
                                              const double    *targets);
StDataset     *st_dataset_new_classification (guint            n_samples,
                                              guint            n_inputs,
                                              const double    *inputs,
                                              const guint     *labels,
                                              guint            n_classes,
                                              const char *const *class_names);
StDataset     *st_dataset_load_csv           (GFile           *file,
                                              guint            n_inputs,
                                              guint            n_outputs,
                                              GCancellable    *cancellable,
                                              GError         **error);
StDataset     *st_dataset_load_csv_classes   (GFile           *file,
                                              guint            n_inputs,
                                              guint            n_outputs,
                                              const char *const *class_names,
                                              GCancellable    *cancellable,
                                              GError         **error);
StDataset     *st_dataset_ref                (StDataset       *dataset);
void           st_dataset_unref              (StDataset       *dataset);

guint          st_dataset_get_n_samples      (const StDataset *dataset);
guint          st_dataset_get_n_inputs       (const StDataset *dataset);
gboolean       st_dataset_is_classification  (const StDataset *dataset);
guint          st_dataset_get_n_targets      (const StDataset *dataset);
guint          st_dataset_get_n_classes      (const StDataset *dataset);
const char    *st_dataset_get_class_name     (const StDataset *dataset,
                                              guint            class_index);
const char *const *st_dataset_get_class_names (const StDataset *dataset);
const double  *st_dataset_get_inputs         (const StDataset *dataset);
const double  *st_dataset_get_targets        (const StDataset *dataset);
const guint   *st_dataset_get_labels         (const StDataset *dataset);

gboolean       st_dataset_check_fits         (const StDataset *dataset,
                                              guint            n_inputs,
                                              guint            n_outputs,
                                              GError         **error);
void           st_dataset_gather             (const StDataset *dataset,
                                              const guint     *samples,
                                              guint            count,
                                              guint            n_outputs,
                                              double          *x,
                                              double          *t);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StDataset, st_dataset_unref)

G_END_DECLS
