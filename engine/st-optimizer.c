/* st-optimizer.c: update rules for the stored weights and the biases
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "st-error.h"
#include "st-optimizer.h"

/* Names in model files and on the command line; never translated. */
static const char *const kind_names[ST_N_OPTIMIZERS] = {
  "sgd", "momentum", "nesterov", "adam", "adamw",
};

/* Fills in the usual constants: momentum 0.9; Adam's b1 0.9, b2 0.999
 * and e 1e-8 (the defaults of Kingma and Ba's paper); no weight decay. */
void
st_optimizer_init_default (StOptimizer     *optimizer,
                           StOptimizerKind  kind)
{
  optimizer->kind = kind;
  optimizer->momentum = 0.9;
  optimizer->beta1 = 0.9;
  optimizer->beta2 = 0.999;
  optimizer->epsilon = 1e-8;
  optimizer->weight_decay = 0.0;
}

gboolean
st_optimizer_validate (const StOptimizer  *optimizer,
                       GError            **error)
{
  if ((guint) optimizer->kind >= ST_N_OPTIMIZERS)
    {
      g_set_error (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT, _("Unknown optimizer %d"),
                   (int) optimizer->kind);
      return FALSE;
    }
  if (!(optimizer->momentum >= 0.0 && optimizer->momentum < 1.0))
    {
      g_set_error (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT,
                   _("The momentum %g is outside [0, 1)"), optimizer->momentum);
      return FALSE;
    }
  if (!(optimizer->beta1 >= 0.0 && optimizer->beta1 < 1.0) ||
      !(optimizer->beta2 >= 0.0 && optimizer->beta2 < 1.0))
    {
      g_set_error (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT,
                   _("Adam's decay rates %g and %g must both lie in [0, 1)"),
                   optimizer->beta1, optimizer->beta2);
      return FALSE;
    }
  if (!(optimizer->epsilon > 0.0) || !isfinite (optimizer->epsilon))
    {
      g_set_error (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT,
                   _("Adam's epsilon %g must be a positive number"), optimizer->epsilon);
      return FALSE;
    }
  if (!(optimizer->weight_decay >= 0.0) || !isfinite (optimizer->weight_decay))
    {
      g_set_error (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT,
                   _("The weight decay %g must be 0 or a positive number"),
                   optimizer->weight_decay);
      return FALSE;
    }

  return TRUE;
}

/* Returns: the state arrays per parameter the rule needs. */
guint
st_optimizer_get_n_states (const StOptimizer *optimizer)
{
  switch (optimizer->kind)
    {
    case ST_OPTIMIZER_SGD:
      return 0;
    case ST_OPTIMIZER_MOMENTUM:
    case ST_OPTIMIZER_NESTEROV:
      return 1;
    case ST_OPTIMIZER_ADAM:
    case ST_OPTIMIZER_ADAMW:
    default:
      return 2;
    }
}

/**
 * st_optimizer_begin_step:
 * @optimizer: the rule
 * @learning_rate: r for this update
 * @update: t, the number of this update, from 1
 * @step: (out): the constants shared by every entry
 */
void
st_optimizer_begin_step (const StOptimizer *optimizer,
                         double             learning_rate,
                         guint64            update,
                         StOptimizerStep   *step)
{
  step->rate = learning_rate;
  step->correction1 = 1.0 - pow (optimizer->beta1, (double) update);
  step->correction2 = 1.0 - pow (optimizer->beta2, (double) update);
}

const char *
st_optimizer_kind_to_string (StOptimizerKind kind)
{
  g_return_val_if_fail ((guint) kind < ST_N_OPTIMIZERS, NULL);

  return kind_names[kind];
}

gboolean
st_optimizer_kind_from_string (const char      *text,
                               StOptimizerKind *kind)
{
  for (guint k = 0; text != NULL && k < ST_N_OPTIMIZERS; k++)
    {
      if (g_ascii_strcasecmp (text, kind_names[k]) == 0)
        {
          *kind = (StOptimizerKind) k;
          return TRUE;
        }
    }

  return FALSE;
}
