/* st-model.c: a network with what a model file keeps beside it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include "st-history.h"
#include "st-model-file.h"
#include "st-network.h"

/**
 * st_model_new:
 * @network: (transfer full): the network
 *
 * Returns: (transfer full): a model with no training settings, history
 * or class names
 */
StModel *
st_model_new (StNetwork *network)
{
  StModel *model = g_new0 (StModel, 1);

  model->network = network;
  st_train_settings_init_default (&model->settings);

  return model;
}

void
st_model_free (StModel *model)
{
  if (model == NULL)
    return;

  st_network_free (model->network);
  st_history_free (model->history);
  g_strfreev (model->class_names);
  g_free (model);
}

/**
 * st_model_save:
 * @network: a valid network
 * @path: the file to create or replace
 * @error: return location for an error
 *
 * Writes @network alone, without training settings or history.  See
 * st_model_write().
 */
gboolean
st_model_save (const StNetwork  *network,
               const char       *path,
               GError          **error)
{
  StModel model = { .network = (StNetwork *) network };

  return st_model_write (&model, path, NULL, NULL, NULL, error);
}

/**
 * st_model_load:
 * @file: a model file, or a resource:// URI
 * @cancellable: (nullable): cancels the reading
 * @error: return location for an error
 *
 * Reads only the network of a model file.  See st_model_read().
 *
 * Returns: (transfer full): the network, or %NULL with @error set
 */
StNetwork *
st_model_load (GFile         *file,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(StModel) model = st_model_read (file, NULL, NULL, cancellable, error);

  if (model == NULL)
    return NULL;

  return g_steal_pointer (&model->network);
}
