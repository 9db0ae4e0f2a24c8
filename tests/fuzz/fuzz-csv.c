/* fuzz-csv.c: the CSV data set reader on arbitrary bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first byte chooses the network the data must fit: 1 to 8 inputs,
 * 1 to 4 outputs, and whether the classes are named in advance, as a
 * model's class names do.  The rest is the file.  Any input must give a data set of that shape or an error.
 */

#include "config.h"

#include <math.h>

#include "fuzz-input.h"
#include "st-engine.h"

static void
check_dataset (const StDataset *dataset,
               guint            n_inputs,
               guint            n_outputs)
{
  guint n = st_dataset_get_n_samples (dataset);
  const double *inputs = st_dataset_get_inputs (dataset);

  g_assert (st_dataset_get_n_inputs (dataset) == n_inputs);

  /* The reader never lets a NaN or an infinity through. */
  for (gsize k = 0; k < (gsize) n * n_inputs; k++)
    g_assert (isfinite (inputs[k]));

  if (st_dataset_is_classification (dataset))
    {
      const guint *labels = st_dataset_get_labels (dataset);

      g_assert (st_dataset_get_n_classes (dataset) <= n_outputs);
      for (guint s = 0; s < n; s++)
        g_assert (labels[s] < st_dataset_get_n_classes (dataset));
    }
  else
    {
      const double *targets = st_dataset_get_targets (dataset);

      g_assert (st_dataset_get_n_targets (dataset) == n_outputs);
      for (gsize k = 0; k < (gsize) n * n_outputs; k++)
        g_assert (isfinite (targets[k]));
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(StDataset) dataset = NULL;
  const char *names[] = { "cat", "dog", "7", "bird", NULL };
  guint n_inputs;
  guint n_outputs;

  if (size == 0)
    return 0;

  n_inputs = 1 + (data[0] & 7);
  n_outputs = 1 + ((data[0] >> 3) & 3);
  file = fuzz_input_write ("input.csv", data + 1, size - 1);

  if (data[0] & 0x20)
    {
      names[n_outputs] = NULL;
      dataset = st_dataset_load_csv_classes (file, n_inputs, n_outputs, names, NULL, &error);
    }
  else
    dataset = st_dataset_load_csv (file, n_inputs, n_outputs, NULL, &error);

  if (dataset == NULL)
    {
      g_assert (error != NULL);
      return 0;
    }

  check_dataset (dataset, n_inputs, n_outputs);
  return 0;
}
