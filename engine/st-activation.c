/* st-activation.c: activation functions and their derivatives over a batch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include <math.h>
#include <string.h>

#ifdef HAVE_LIBMVEC_TANH
#include <immintrin.h>
#endif

#include "st-activation.h"

#ifdef HAVE_LIBMVEC_TANH

/* glibc's vector forms of tanh, by the x86-64 vector function ABI: 2, 4
 * and 8 doubles at a time, with SSE2, AVX2 and AVX-512.  Their bits are
 * not always tanh()'s: on 8,192 values in [-5, 5], the SSE2 form was at
 * most 3 units in the last place away.  tests/test-activation.c allows
 * 4, and checks that an element's value does not depend on its
 * neighbours in the vector. */
__m128d _ZGVbN2v_tanh (__m128d z);
__m256d _ZGVdN4v_tanh (__m256d z);
__m512d _ZGVeN8v_tanh (__m512d z);

/* Defines tanh_by_WIDTH(), which computes a[k] = tanh (z[k]) for @n
 * elements, WIDTH at a time, with the vector form FORM.  The last
 * group goes through the same call with zeros past its end, so every
 * element gets the bits of the same function wherever it sits, and
 * results do not depend on how the threads split the rows.  @a may
 * equal @z. */
#define DEFINE_TANH_BY(WIDTH, TARGET, VECTOR, LOAD, STORE, FORM)                \
  __attribute__ ((target (TARGET))) static void                                \
  tanh_by_##WIDTH (const double *z,                                            \
                   double       *a,                                            \
                   gsize         n)                                            \
  {                                                                            \
    gsize k = 0;                                                               \
                                                                               \
    for (; k + WIDTH <= n; k += WIDTH)                                         \
      STORE (a + k, FORM (LOAD (z + k)));                                      \
                                                                               \
    if (k < n)                                                                 \
      {                                                                        \
        double group[WIDTH] = { 0 };                                           \
                                                                               \
        memcpy (group, z + k, (n - k) * sizeof (double));                      \
        STORE (group, FORM (LOAD (group)));                                    \
        memcpy (a + k, group, (n - k) * sizeof (double));                      \
      }                                                                        \
  }

DEFINE_TANH_BY (8, "avx512f", __m512d, _mm512_loadu_pd, _mm512_storeu_pd, _ZGVeN8v_tanh)
DEFINE_TANH_BY (4, "avx2", __m256d, _mm256_loadu_pd, _mm256_storeu_pd, _ZGVdN4v_tanh)
DEFINE_TANH_BY (2, "sse2", __m128d, _mm_loadu_pd, _mm_storeu_pd, _ZGVbN2v_tanh)

typedef void (*TanhArrayFunc) (const double *z, double *a, gsize n);

/* Returns: the widest vector form this processor runs.  The choice is
 * the same for the whole process, so every thread gets the same bits. */
static TanhArrayFunc
choose_tanh_array (void)
{
  static gsize chosen = 0;

  if (g_once_init_enter (&chosen))
    {
      TanhArrayFunc function = tanh_by_2;

      __builtin_cpu_init ();
      if (__builtin_cpu_supports ("avx512f"))
        function = tanh_by_8;
      else if (__builtin_cpu_supports ("avx2"))
        function = tanh_by_4;

      g_once_init_leave (&chosen, (gsize) function);
    }

  return (TanhArrayFunc) chosen;
}

static void
tanh_array (const double *z,
            double       *a,
            gsize         n)
{
  choose_tanh_array () (z, a, n);
}

#else

static void
tanh_array (const double *z,
            double       *a,
            gsize         n)
{
  for (gsize k = 0; k < n; k++)
    a[k] = tanh (z[k]);
}

#endif

/* 1 / (1 + e^-z), written so that neither branch overflows. */
static inline double
logistic (double z)
{
  if (z >= 0.0)
    return 1.0 / (1.0 + exp (-z));

  return exp (z) / (1.0 + exp (z));
}

/* Softmax over the units of sample @b, shifted by the largest z so that
 * exp() never overflows. */
static void
softmax_sample (const double *z,
                double       *a,
                guint         units,
                guint         batch,
                guint         b)
{
  double largest = -INFINITY;
  double sum = 0.0;

  for (guint i = 0; i < units; i++)
    largest = MAX (largest, z[(gsize) i * batch + b]);

  for (guint i = 0; i < units; i++)
    {
      double e = exp (z[(gsize) i * batch + b] - largest);

      a[(gsize) i * batch + b] = e;
      sum += e;
    }

  for (guint i = 0; i < units; i++)
    a[(gsize) i * batch + b] /= sum;
}

/**
 * st_activation_get_cost:
 * @activation: an activation
 *
 * Returns the work of one element of st_activation_forward(), in the
 * unit that st_parallel_run() counts: one multiply-add of a sparse
 * kernel, a fraction of a nanosecond.  The weights are estimates from
 * measured times on a 4 GHz machine: about 11 ns for the C library's
 * tanh, 2 to 5 ns for glibc's vector forms, and 3 ns for the logistic
 * function.  Without a weight, a layer of 256 tanh units at batch 32
 * would count as too small to share, although it takes a large part of
 * a small network's step.
 *
 * Returns: the weight, 1 for the functions without a library call
 */
guint
st_activation_get_cost (StActivation activation)
{
  switch (activation)
    {
    case ST_ACTIVATION_TANH:
#ifdef HAVE_LIBMVEC_TANH
      return 16;
#else
      return 64;
#endif
    case ST_ACTIVATION_LOGISTIC:
    case ST_ACTIVATION_SOFTMAX:
      return 16;
    case ST_ACTIVATION_IDENTITY:
    case ST_ACTIVATION_RELU:
    default:
      return 1;
    }
}

/**
 * st_activation_forward:
 * @activation: the function
 * @z: (array): pre-activations, units x @batch
 * @a: (array): output activations, units x @batch; may equal @z except
 *   for softmax
 * @units: number of units
 * @batch: number of samples
 */
void
st_activation_forward (StActivation  activation,
                       const double *z,
                       double       *a,
                       guint         units,
                       guint         batch)
{
  gsize n = (gsize) units * batch;

  switch (activation)
    {
    case ST_ACTIVATION_IDENTITY:
      if (a != z)
        memcpy (a, z, sizeof (double) * n);
      break;

    case ST_ACTIVATION_TANH:
      tanh_array (z, a, n);
      break;

    case ST_ACTIVATION_LOGISTIC:
      for (gsize k = 0; k < n; k++)
        a[k] = logistic (z[k]);
      break;

    case ST_ACTIVATION_RELU:
      for (gsize k = 0; k < n; k++)
        a[k] = z[k] > 0.0 ? z[k] : 0.0;
      break;

    case ST_ACTIVATION_SOFTMAX:
      g_assert (a != z);
      for (guint b = 0; b < batch; b++)
        softmax_sample (z, a, units, batch, b);
      break;

    default:
      g_assert_not_reached ();
    }
}

/**
 * st_activation_backward:
 * @activation: the function
 * @z: (array): pre-activations of the forward pass
 * @a: (array): activations of the forward pass
 * @da: (array): dL/da
 * @dz: (array): output dL/dz; may equal @da except for softmax
 * @units: number of units
 * @batch: number of samples
 *
 * Applies the chain rule through the activation.  Element-wise functions
 * multiply by f'(z); softmax multiplies by its Jacobian,
 * dz_i = a_i (da_i - sum_k a_k da_k), one sample at a time.
 */
void
st_activation_backward (StActivation  activation,
                        const double *z,
                        const double *a,
                        const double *da,
                        double       *dz,
                        guint         units,
                        guint         batch)
{
  gsize n = (gsize) units * batch;

  switch (activation)
    {
    case ST_ACTIVATION_IDENTITY:
      if (dz != da)
        memcpy (dz, da, sizeof (double) * n);
      break;

    case ST_ACTIVATION_TANH:
      for (gsize k = 0; k < n; k++)
        dz[k] = da[k] * (1.0 - a[k] * a[k]);
      break;

    case ST_ACTIVATION_LOGISTIC:
      for (gsize k = 0; k < n; k++)
        dz[k] = da[k] * a[k] * (1.0 - a[k]);
      break;

    case ST_ACTIVATION_RELU:
      /* The derivative at exactly z = 0 is taken as 0. */
      for (gsize k = 0; k < n; k++)
        dz[k] = z[k] > 0.0 ? da[k] : 0.0;
      break;

    case ST_ACTIVATION_SOFTMAX:
      g_assert (dz != da);
      for (guint b = 0; b < batch; b++)
        {
          double weighted = 0.0;

          for (guint i = 0; i < units; i++)
            weighted += a[(gsize) i * batch + b] * da[(gsize) i * batch + b];

          for (guint i = 0; i < units; i++)
            {
              gsize k = (gsize) i * batch + b;

              dz[k] = a[k] * (da[k] - weighted);
            }
        }
      break;

    default:
      g_assert_not_reached ();
    }
}
