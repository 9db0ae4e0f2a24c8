/* st-optimizer.h: update rules for the stored weights and the biases
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <math.h>

G_BEGIN_DECLS

typedef enum
{
  ST_OPTIMIZER_SGD,
  ST_OPTIMIZER_MOMENTUM,
  ST_OPTIMIZER_NESTEROV,
  ST_OPTIMIZER_ADAM,
  ST_OPTIMIZER_ADAMW,
} StOptimizerKind;

#define ST_N_OPTIMIZERS 5

/* An update rule and its constants.  The rules follow PyTorch's
 * torch.optim (SGD with momentum and nesterov, Adam, AdamW), with the
 * gradient g of one entry and its weight w:
 *
 *   sgd:       w -= r (g + d w)
 *   momentum:  v = m v + (g + d w);  w -= r v
 *   nesterov:  v = m v + (g + d w);  w -= r ((g + d w) + m v)
 *   adam:      g' = g + d w;  s1 = b1 s1 + (1 - b1) g';  s2 = b2 s2 + (1 - b2) g'^2
 *              w -= r (s1 / c1) / (sqrt (s2 / c2) + e),  c1 = 1 - b1^t, c2 = 1 - b2^t
 *   adamw:     w -= r d w, then adam with d = 0
 *
 * r is the learning rate, d the weight decay, t the update count from 1.
 * Weight decay applies to stored weights only, never to biases, and
 * state exists only for stored entries and biases. */
typedef struct
{
  StOptimizerKind kind;
  double momentum;       /* m, for momentum and nesterov */
  double beta1;          /* b1, for adam and adamw */
  double beta2;          /* b2 */
  double epsilon;        /* e */
  double weight_decay;   /* d, 0 for none */
} StOptimizer;

/* Constants of one update, shared by every entry. */
typedef struct
{
  double rate;
  double correction1;    /* c1 */
  double correction2;    /* c2 */
} StOptimizerStep;

void        st_optimizer_init_default   (StOptimizer       *optimizer,
                                         StOptimizerKind    kind);
gboolean    st_optimizer_validate       (const StOptimizer *optimizer,
                                         GError           **error);
guint       st_optimizer_get_n_states   (const StOptimizer *optimizer);
void        st_optimizer_begin_step     (const StOptimizer *optimizer,
                                         double             learning_rate,
                                         guint64            update,
                                         StOptimizerStep   *step);
const char *st_optimizer_kind_to_string (StOptimizerKind    kind);
gboolean    st_optimizer_kind_from_string (const char      *text,
                                           StOptimizerKind *kind);

/* Apply one update to one parameter.  @decay is FALSE for biases.
 * Always inlined: the update loops call it once per weight. */
static inline __attribute__ ((always_inline)) void
st_optimizer_update (const StOptimizer     *optimizer,
                     const StOptimizerStep *step,
                     double                *w,
                     double                 g,
                     double                *s1,
                     double                *s2,
                     gboolean               decay)
{
  double d = decay ? optimizer->weight_decay : 0.0;

  switch (optimizer->kind)
    {
    case ST_OPTIMIZER_SGD:
      *w -= step->rate * (g + d * *w);
      break;

    case ST_OPTIMIZER_MOMENTUM:
      *s1 = optimizer->momentum * *s1 + (g + d * *w);
      *w -= step->rate * *s1;
      break;

    case ST_OPTIMIZER_NESTEROV:
      {
        double decayed = g + d * *w;

        *s1 = optimizer->momentum * *s1 + decayed;
        *w -= step->rate * (decayed + optimizer->momentum * *s1);
      }
      break;

    case ST_OPTIMIZER_ADAM:
    case ST_OPTIMIZER_ADAMW:
      {
        double adjusted;

        if (optimizer->kind == ST_OPTIMIZER_ADAMW)
          *w -= step->rate * d * *w;
        adjusted = optimizer->kind == ST_OPTIMIZER_ADAM ? g + d * *w : g;

        *s1 = optimizer->beta1 * *s1 + (1.0 - optimizer->beta1) * adjusted;
        *s2 = optimizer->beta2 * *s2 + (1.0 - optimizer->beta2) * adjusted * adjusted;
        *w -= step->rate * (*s1 / step->correction1) /
              (sqrt (*s2 / step->correction2) + optimizer->epsilon);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

G_END_DECLS
