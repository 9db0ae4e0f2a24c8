/* st-dataset-private.h: data set internals shared by its readers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "st-dataset.h"

G_BEGIN_DECLS

struct _StDataset
{
  guint n_samples;
  guint n_inputs;
  guint n_targets;    /* 0 for a classification set */
  guint n_classes;    /* 0 for a regression set */
  double *inputs;     /* n_samples x n_inputs, sample-major */
  double *targets;    /* n_samples x n_targets, or NULL */
  guint *labels;      /* n_samples class indices, or NULL */
  char **class_names; /* n_classes names, NULL-terminated, or NULL */
};

StDataset *st_dataset_new_take (guint    n_samples,
                                guint    n_inputs,
                                guint    n_targets,
                                double  *inputs,
                                double  *targets,
                                guint   *labels,
                                guint    n_classes,
                                char   **class_names);

G_END_DECLS
