/* st-dataset.c: samples with inputs and either targets or class labels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "st-dataset-private.h"
#include "st-error.h"

static void
dataset_clear (StDataset *dataset)
{
  g_free (dataset->inputs);
  g_free (dataset->targets);
  g_free (dataset->labels);
  g_strfreev (dataset->class_names);
}

/**
 * st_dataset_new_take:
 * @inputs: (transfer full): n_samples x n_inputs values
 * @targets: (transfer full) (nullable): n_samples x n_targets values, or
 *   %NULL for a classification set
 * @labels: (transfer full) (nullable): n_samples class indices below
 *   n_classes, or %NULL for a regression set
 * @class_names: (transfer full) (nullable): n_classes names
 *
 * Builds a data set around arrays the caller allocated with GLib.
 */
StDataset *
st_dataset_new_take (guint    n_samples,
                     guint    n_inputs,
                     guint    n_targets,
                     double  *inputs,
                     double  *targets,
                     guint   *labels,
                     guint    n_classes,
                     char   **class_names)
{
  StDataset *dataset = g_atomic_rc_box_new0 (StDataset);

  dataset->n_samples = n_samples;
  dataset->n_inputs = n_inputs;
  dataset->n_targets = n_targets;
  dataset->inputs = inputs;
  dataset->targets = targets;
  dataset->labels = labels;
  dataset->n_classes = n_classes;
  dataset->class_names = class_names;

  return dataset;
}

/**
 * st_dataset_new_regression:
 * @inputs: (array): n_samples x n_inputs values, copied
 * @targets: (array): n_samples x n_targets values, copied
 *
 * Returns: (transfer full): a data set whose samples have target values
 */
StDataset *
st_dataset_new_regression (guint         n_samples,
                           guint         n_inputs,
                           guint         n_targets,
                           const double *inputs,
                           const double *targets)
{
  return st_dataset_new_take (n_samples, n_inputs, n_targets,
                              g_memdup2 (inputs, sizeof (double) * n_samples * n_inputs),
                              g_memdup2 (targets, sizeof (double) * n_samples * n_targets),
                              NULL, 0, NULL);
}

/**
 * st_dataset_new_classification:
 * @inputs: (array): n_samples x n_inputs values, copied
 * @labels: (array): n_samples class indices below @n_classes, copied
 * @class_names: (array length=n_classes) (nullable): names, or %NULL
 *   for "0", "1", …
 *
 * Returns: (transfer full): a data set whose samples have class labels
 */
StDataset *
st_dataset_new_classification (guint              n_samples,
                               guint              n_inputs,
                               const double      *inputs,
                               const guint       *labels,
                               guint              n_classes,
                               const char *const *class_names)
{
  char **names = g_new0 (char *, n_classes + 1);

  for (guint c = 0; c < n_classes; c++)
    names[c] = class_names ? g_strdup (class_names[c]) : g_strdup_printf ("%u", c);

  return st_dataset_new_take (n_samples, n_inputs, 0,
                              g_memdup2 (inputs, sizeof (double) * n_samples * n_inputs),
                              NULL,
                              g_memdup2 (labels, sizeof (guint) * n_samples),
                              n_classes, names);
}

StDataset *
st_dataset_ref (StDataset *dataset)
{
  return g_atomic_rc_box_acquire (dataset);
}

void
st_dataset_unref (StDataset *dataset)
{
  if (dataset != NULL)
    g_atomic_rc_box_release_full (dataset, (GDestroyNotify) dataset_clear);
}

guint
st_dataset_get_n_samples (const StDataset *dataset)
{
  return dataset->n_samples;
}

guint
st_dataset_get_n_inputs (const StDataset *dataset)
{
  return dataset->n_inputs;
}

gboolean
st_dataset_is_classification (const StDataset *dataset)
{
  return dataset->labels != NULL;
}

/* Returns: target values per sample; 0 for a classification set. */
guint
st_dataset_get_n_targets (const StDataset *dataset)
{
  return dataset->n_targets;
}

/* Returns: the number of classes; 0 for a regression set. */
guint
st_dataset_get_n_classes (const StDataset *dataset)
{
  return dataset->n_classes;
}

const char *
st_dataset_get_class_name (const StDataset *dataset,
                           guint            class_index)
{
  g_return_val_if_fail (class_index < dataset->n_classes, NULL);

  return dataset->class_names[class_index];
}

/* Returns: (nullable) (array zero-terminated=1): the class names, or
 * %NULL for a regression set. */
const char *const *
st_dataset_get_class_names (const StDataset *dataset)
{
  return (const char *const *) dataset->class_names;
}

const double *
st_dataset_get_inputs (const StDataset *dataset)
{
  return dataset->inputs;
}

const double *
st_dataset_get_targets (const StDataset *dataset)
{
  return dataset->targets;
}

const guint *
st_dataset_get_labels (const StDataset *dataset)
{
  return dataset->labels;
}

/**
 * st_dataset_check_fits:
 * @dataset: a data set
 * @n_inputs: the network's input width
 * @n_outputs: the network's output width
 * @error: return location for an error
 *
 * Returns: %TRUE when the network can train on @dataset: the input
 * widths match, and the targets match the outputs or every class has an
 * output unit
 */
gboolean
st_dataset_check_fits (const StDataset  *dataset,
                       guint             n_inputs,
                       guint             n_outputs,
                       GError          **error)
{
  if (dataset->n_samples == 0)
    {
      g_set_error_literal (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT,
                           _("The data set has no samples"));
      return FALSE;
    }

  if (dataset->n_inputs != n_inputs)
    {
      g_set_error (error, ST_ERROR, ST_ERROR_MISMATCH,
                   _("The data set has %u inputs per sample, but the network takes %u"),
                   dataset->n_inputs, n_inputs);
      return FALSE;
    }

  if (dataset->labels == NULL && dataset->n_targets != n_outputs)
    {
      g_set_error (error, ST_ERROR, ST_ERROR_MISMATCH,
                   _("The data set has %u targets per sample, but the network has %u outputs"),
                   dataset->n_targets, n_outputs);
      return FALSE;
    }

  if (dataset->labels != NULL && dataset->n_classes > n_outputs)
    {
      g_set_error (error, ST_ERROR, ST_ERROR_MISMATCH,
                   _("The data set has %u classes, but the network has only %u outputs"),
                   dataset->n_classes, n_outputs);
      return FALSE;
    }

  return TRUE;
}

/**
 * st_dataset_gather:
 * @dataset: a data set that fits the network
 * @samples: (array length=count): sample indices
 * @count: batch size
 * @n_outputs: the network's output width
 * @x: (array): filled with the inputs, n_inputs x @count, feature-major
 * @t: (array): filled with the targets, @n_outputs x @count; a class
 *   label becomes a one-hot column
 *
 * Copies a batch into the feature-major layout the network uses.
 */
void
st_dataset_gather (const StDataset *dataset,
                   const guint     *samples,
                   guint            count,
                   guint            n_outputs,
                   double          *x,
                   double          *t)
{
  guint n_inputs = dataset->n_inputs;

  for (guint b = 0; b < count; b++)
    {
      const double *row = dataset->inputs + (gsize) samples[b] * n_inputs;

      for (guint j = 0; j < n_inputs; j++)
        x[(gsize) j * count + b] = row[j];
    }

  if (dataset->labels != NULL)
    {
      memset (t, 0, sizeof (double) * n_outputs * count);
      for (guint b = 0; b < count; b++)
        t[(gsize) dataset->labels[samples[b]] * count + b] = 1.0;
      return;
    }

  for (guint b = 0; b < count; b++)
    {
      const double *row = dataset->targets + (gsize) samples[b] * dataset->n_targets;

      for (guint i = 0; i < n_outputs; i++)
        t[(gsize) i * count + b] = row[i];
    }
}
