/* st-loss-row.h: the squared error of one output unit, inline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "st-types.h"
#include "st-vector.h"

G_BEGIN_DECLS

/* Finishes a loss row from sample @b on, where the lane groups before it
 * left @total: the tail in order, then the rectifier's derivative. */
ST_VECTOR_INLINE double
st_loss_row_tail (StActivation  activation,
                  const double *z,
                  const double *a,
                  const double *t,
                  guint         b,
                  guint         batch,
                  double        inverse,
                  double       *error,
                  double       *dz,
                  double        total)
{
  for (guint tail = b; tail < batch; tail++)
    {
      error[tail] = a[tail] - t[tail];
      total += error[tail] * error[tail];
    }

  if (dz != NULL)
    {
      for (guint tail = b; tail < batch; tail++)
        {
          dz[tail] = error[tail] * inverse;
          if (activation == ST_ACTIVATION_TANH)
            dz[tail] = dz[tail] * (1.0 - a[tail] * a[tail]);
          else if (activation == ST_ACTIVATION_LOGISTIC)
            dz[tail] = dz[tail] * a[tail] * (1.0 - a[tail]);
        }

      /* The rectifier's derivative selects per element, which GCC's
       * vector extensions do not support in C.  So it runs as a second
       * pass over values already in cache. */
      if (activation == ST_ACTIVATION_RELU)
        for (guint k = 0; k < batch; k++)
          dz[k] = z[k] > 0.0 ? dz[k] : 0.0;
    }

  return total;
}

/* Computes st_loss_row_inline() for processors without AVX-512: each
 * lane group as two quads, lanes 0 to 3 and 4 to 7.  On such processors
 * GCC passes the eight-lane vectors through the stack, and on an AMD
 * Zen 1 a load of what two scalar stores just wrote waits for both.
 * Every lane does the same arithmetic, and the squares' lane totals
 * pair as st_lanes_total() does, so the bits are the same. */
ST_VECTOR_INLINE double
st_loss_row_quads (StActivation  activation,
                   const double *z,
                   const double *a,
                   const double *t,
                   guint         batch,
                   double        inverse,
                   double       *error,
                   double       *dz)
{
  StQuad scale = { inverse, inverse, inverse, inverse };
  StQuad ones = { 1.0, 1.0, 1.0, 1.0 };
  StQuad squares[2] = { { 0 } };
  guint b = 0;

  for (; b + ST_LANES <= batch; b += ST_LANES)
    {
#pragma GCC unroll 2
      for (guint h = 0; h < 2; h++)
        {
          StQuad ab, tb, eb, db;

          ST_LOAD_QUAD (ab, a + b + 4 * h);
          ST_LOAD_QUAD (tb, t + b + 4 * h);
          eb = ab - tb;
          ST_STORE_QUAD (error + b + 4 * h, eb);
          squares[h] += eb * eb;

          if (dz == NULL)
            continue;

          db = eb * scale;
          if (activation == ST_ACTIVATION_TANH)
            db = db * (ones - ab * ab);
          else if (activation == ST_ACTIVATION_LOGISTIC)
            db = db * ab * (ones - ab);
          ST_STORE_QUAD (dz + b + 4 * h, db);
        }
    }

  return st_loss_row_tail (activation, z, a, t, b, batch, inverse, error, dz,
                           ((squares[0][0] + squares[0][1]) + (squares[0][2] + squares[0][3])) +
                           ((squares[1][0] + squares[1][1]) + (squares[1][2] + squares[1][3])));
}

/* Computes st_loss_row_inline() with eight-lane vectors: the form for
 * AVX-512 and for processors without AVX2. */
ST_VECTOR_INLINE double
st_loss_row_wide (StActivation  activation,
                  const double *z,
                  const double *a,
                  const double *t,
                  guint         batch,
                  double        inverse,
                  double       *error,
                  double       *dz)
{
  StLanes scale = { inverse, inverse, inverse, inverse, inverse, inverse, inverse, inverse };
  StLanes ones = { 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0 };
  StLanes squares = { 0 };
  guint b = 0;

  /* Whole lane groups first, by hand: GCC leaves these loops scalar when
   * it cannot prove the scratch rows apart from the inputs.  Every lane
   * does what the scalar tail does, so the bits are the same. */
  for (; b + ST_LANES <= batch; b += ST_LANES)
    {
      StLanes ab, tb, eb, db;

      ST_LOAD_LANES (ab, a + b);
      ST_LOAD_LANES (tb, t + b);
      eb = ab - tb;
      ST_STORE_LANES (error + b, eb);
      squares += eb * eb;

      if (dz == NULL)
        continue;

      db = eb * scale;
      if (activation == ST_ACTIVATION_TANH)
        db = db * (ones - ab * ab);
      else if (activation == ST_ACTIVATION_LOGISTIC)
        db = db * ab * (ones - ab);
      ST_STORE_LANES (dz + b, db);
    }

  /* The sum of squares in st_vector_dot()'s order: lanes, then the tail. */
  return st_loss_row_tail (activation, z, a, t, b, batch, inverse, error, dz,
                           st_lanes_total (squares));
}

/**
 * st_loss_row_inline:
 * @activation: the output activation; not softmax
 * @z: (array): pre-activations of one output unit, @batch values
 * @a: (array): its activations
 * @t: (array): its targets
 * @batch: samples
 * @inverse: 1 / (units x batch of the whole output), the mean's factor,
 *   computed once by the caller so that a row costs no division
 * @error: (array): scratch for @batch values; holds a - t afterwards
 * @dz: (array) (nullable): filled with dL/dz of this unit, where
 *   dL/da = (a - t) x @inverse
 *
 * Runs the form this processor takes (ST_USE_QUADS()); both forms give
 * the same bits.
 *
 * Returns: the sum over the batch of (a - t)^2, in lane order
 */
ST_VECTOR_INLINE double
st_loss_row_inline (StActivation  activation,
                    const double *z,
                    const double *a,
                    const double *t,
                    guint         batch,
                    double        inverse,
                    double       *error,
                    double       *dz)
{
  g_assert (activation != ST_ACTIVATION_SOFTMAX);

  if (ST_USE_QUADS ())
    return st_loss_row_quads (activation, z, a, t, batch, inverse, error, dz);

  return st_loss_row_wide (activation, z, a, t, batch, inverse, error, dz);
}

/**
 * st_loss_row_lanes:
 * @a: the activations of one output unit, @groups lane groups held in
 *   registers: a batch of exactly 8 @groups samples
 * @t: (array): its targets
 * @groups: lane groups, a constant of at most %ST_MAX_GROUPS
 * @inverse: as for st_loss_row_inline()
 * @dz: receives dL/dz of this unit for the identity activation, in
 *   registers
 *
 * Computes st_loss_row_inline() for the identity activation with the row
 * in registers instead of memory: the same arithmetic in the same order,
 * so the same bits, without storing the row and loading it again.
 *
 * Returns: the sum over the batch of (a - t)^2, in lane order
 */
ST_VECTOR_INLINE double
st_loss_row_lanes (const StLanes *a,
                   const double  *t,
                   guint          groups,
                   double         inverse,
                   StLanes       *dz)
{
  StLanes scale = { inverse, inverse, inverse, inverse, inverse, inverse, inverse, inverse };
  StLanes squares = { 0 };

#pragma GCC unroll 8
  for (guint g = 0; g < groups; g++)
    {
      StLanes tg;
      StLanes eg;

      ST_LOAD_LANES (tg, t + g * ST_LANES);
      eg = a[g] - tg;
      squares += eg * eg;
      dz[g] = eg * scale;
    }

  return st_lanes_total (squares);
}

G_END_DECLS
