/* st-types.c: names of the engine's enumerations in files and on the command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include "st-types.h"

/* These strings appear in model files and command lines, so they never
 * change and are never translated. */
static const char *const layout_names[ST_N_LAYOUTS] = { "csr", "csc", "coo" };

static const char *const activation_names[ST_N_ACTIVATIONS] = {
  "identity", "tanh", "logistic", "relu", "softmax",
};

static const char *const loss_names[ST_N_LOSSES] = { "half-mse", "softmax-cross-entropy" };

static gboolean
lookup_name (const char *const *names,
             guint              n_names,
             const char        *text,
             guint             *index)
{
  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < n_names; i++)
    {
      if (g_ascii_strcasecmp (names[i], text) == 0)
        {
          *index = i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
st_layout_to_string (StLayout layout)
{
  g_return_val_if_fail ((guint) layout < ST_N_LAYOUTS, NULL);

  return layout_names[layout];
}

gboolean
st_layout_from_string (const char *text,
                       StLayout   *layout)
{
  guint index;

  if (!lookup_name (layout_names, ST_N_LAYOUTS, text, &index))
    return FALSE;

  *layout = (StLayout) index;
  return TRUE;
}

const char *
st_activation_to_string (StActivation activation)
{
  g_return_val_if_fail ((guint) activation < ST_N_ACTIVATIONS, NULL);

  return activation_names[activation];
}

gboolean
st_activation_from_string (const char   *text,
                           StActivation *activation)
{
  guint index;

  if (!lookup_name (activation_names, ST_N_ACTIVATIONS, text, &index))
    return FALSE;

  *activation = (StActivation) index;
  return TRUE;
}

const char *
st_loss_to_string (StLoss loss)
{
  g_return_val_if_fail ((guint) loss < ST_N_LOSSES, NULL);

  return loss_names[loss];
}

gboolean
st_loss_from_string (const char *text,
                     StLoss     *loss)
{
  guint index;

  if (!lookup_name (loss_names, ST_N_LOSSES, text, &index))
    return FALSE;

  *loss = (StLoss) index;
  return TRUE;
}
