/* fuzz-model.c: the model reader on arbitrary bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Any input must give a model or an error, never a crash, a leak or an
 * allocation the file does not justify.  A model that reads must also
 * run forward, save, and read back from its own save.
 */

#include "config.h"

#include <glib/gstdio.h>

#include "fuzz-input.h"
#include "st-engine.h"

/* Larger networks are read but not run, to keep each input fast. */
#define MAX_RUN_WIDTH 4096

static void
run_forward (StNetwork *network)
{
  guint inputs = st_network_get_n_inputs (network);
  g_autofree double *x = NULL;
  g_autoptr(GError) error = NULL;

  if (inputs > MAX_RUN_WIDTH)
    return;

  for (guint l = 0; l < st_network_get_n_layers (network); l++)
    if (st_layer_get_rows (st_network_get_layer (network, l)) > MAX_RUN_WIDTH)
      return;

  x = g_new0 (double, (gsize) inputs * 2);
  if (st_network_forward (network, x, 2, &error) == NULL)
    g_error ("A model that reads cannot run forward: %s", error->message);
}

static void
check_round_trip (const StModel *model,
                  GFile         *original)
{
  g_autoptr(GFile) folder = g_file_get_parent (original);
  g_autoptr(GFile) copy = g_file_get_child (folder, "copy.stmodel");
  g_autofree char *path = g_file_get_path (copy);
  g_autoptr(StModel) again = NULL;
  g_autoptr(GError) error = NULL;

  if (!st_model_write (model, path, NULL, NULL, NULL, &error))
    g_error ("A model that reads cannot be saved: %s", error->message);

  again = st_model_read (copy, NULL, NULL, NULL, &error);
  if (again == NULL)
    g_error ("A saved model cannot be read back: %s", error->message);

  g_unlink (path);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GFile) file = fuzz_input_write ("input.stmodel", data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(StModel) model = st_model_read (file, NULL, NULL, NULL, &error);

  if (model == NULL)
    {
      g_assert (error != NULL);
      return 0;
    }

  run_forward (model->network);
  check_round_trip (model, file);
  return 0;
}
