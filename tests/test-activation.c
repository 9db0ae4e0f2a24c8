/* test-activation.c: tanh over an array, against the C library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where glibc ships vector forms of tanh, the engine calls them in
 * groups of 2, 4 or 8 values.  These tests allow them 4 units in the
 * last place from tanh() and check the special values.  They also check
 * that a value's bits do not depend on where it sits in the array.  The
 * promise of the same bits for any thread count needs that.
 */

#include "config.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "st-activation.h"
#include "st-random.h"

#define N_VALUES 4099

/* Returns: the distance between @a and @b in units in the last place,
 * counting the doubles between them. */
static guint64
ulp_distance (double a,
              double b)
{
  gint64 ia;
  gint64 ib;

  memcpy (&ia, &a, sizeof ia);
  memcpy (&ib, &b, sizeof ib);
  if (ia < 0)
    ia = G_MININT64 - ia;
  if (ib < 0)
    ib = G_MININT64 - ib;

  return ia > ib ? (guint64) ia - (guint64) ib : (guint64) ib - (guint64) ia;
}

static void
fill_inputs (double *z)
{
  g_autoptr(gsl_rng) rng = st_random_new (17);

  /* Mostly where tanh bends, some where it saturates or is nearly z. */
  for (guint k = 0; k < N_VALUES; k++)
    {
      double u = gsl_rng_uniform (rng);

      if (k % 5 == 0)
        z[k] = (u - 0.5) * 80.0;
      else if (k % 5 == 1)
        z[k] = (u - 0.5) * 1e-6;
      else
        z[k] = (u - 0.5) * 8.0;
    }
}

static void
test_tanh_accuracy (void)
{
  g_autofree double *z = g_new (double, N_VALUES);
  g_autofree double *a = g_new (double, N_VALUES);
  guint64 worst = 0;

  fill_inputs (z);
  st_activation_forward (ST_ACTIVATION_TANH, z, a, 1, N_VALUES);

  for (guint k = 0; k < N_VALUES; k++)
    worst = MAX (worst, ulp_distance (a[k], tanh (z[k])));

  g_test_message ("largest distance from tanh(): %" G_GUINT64_FORMAT " units", worst);
  g_assert_cmpuint (worst, <=, 4);
}

static void
test_tanh_special_values (void)
{
  const double z[] = { 0.0, -0.0, INFINITY, -INFINITY, 1e-300, -1e-300, 710.0, -710.0, 4.9e-324 };
  double a[G_N_ELEMENTS (z)];
  double nan_in = NAN;
  double nan_out;

  st_activation_forward (ST_ACTIVATION_TANH, z, a, 1, G_N_ELEMENTS (z));

  g_assert_true (a[0] == 0.0 && !signbit (a[0]));
  g_assert_true (a[1] == 0.0 && signbit (a[1]));
  g_assert_cmpfloat (a[2], ==, 1.0);
  g_assert_cmpfloat (a[3], ==, -1.0);
  g_assert_cmpfloat (a[4], ==, 1e-300);
  g_assert_cmpfloat (a[5], ==, -1e-300);
  g_assert_cmpfloat (a[6], ==, 1.0);
  g_assert_cmpfloat (a[7], ==, -1.0);
  g_assert_cmpfloat (a[8], ==, 4.9e-324);

  st_activation_forward (ST_ACTIVATION_TANH, &nan_in, &nan_out, 1, 1);
  g_assert_true (isnan (nan_out));
}

/* The same inputs at every offset and length from 1 to 17, in place and
 * not, give the bits of the whole array. */
static void
test_tanh_position_independent (void)
{
  g_autofree double *z = g_new (double, N_VALUES);
  g_autofree double *whole = g_new (double, N_VALUES);
  double part[32];

  fill_inputs (z);
  st_activation_forward (ST_ACTIVATION_TANH, z, whole, 1, N_VALUES);

  for (guint offset = 0; offset < 16; offset++)
    for (guint length = 1; length <= 17; length++)
      {
        st_activation_forward (ST_ACTIVATION_TANH, z + offset, part, 1, length);
        g_assert_cmpmem (part, length * sizeof (double), whole + offset, length * sizeof (double));

        memcpy (part, z + offset, length * sizeof (double));
        st_activation_forward (ST_ACTIVATION_TANH, part, part, length, 1);
        g_assert_cmpmem (part, length * sizeof (double), whole + offset, length * sizeof (double));
      }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/activation/tanh-accuracy", test_tanh_accuracy);
  g_test_add_func ("/engine/activation/tanh-special-values", test_tanh_special_values);
  g_test_add_func ("/engine/activation/tanh-position-independent",
                   test_tanh_position_independent);

  return g_test_run ();
}
