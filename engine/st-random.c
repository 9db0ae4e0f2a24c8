/* st-random.c: seeded random numbers for patterns, weights and batches
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * All randomness in the engine comes from GSL's MT19937 generator seeded
 * by the caller, so the same seed gives the same pattern, the same
 * initial weights and the same batch order on every machine.
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include "st-error.h"
#include "st-random.h"

/**
 * st_random_new:
 * @seed: any 64-bit seed
 *
 * Returns: (transfer full): an MT19937 generator.  MT19937 takes a 32-bit
 * seed, so the two halves of @seed are folded together; distinct small
 * seeds stay distinct.
 */
gsl_rng *
st_random_new (guint64 seed)
{
  gsl_rng *rng;

  st_engine_init ();

  rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (rng, (unsigned long) ((seed ^ (seed >> 32)) & 0xffffffffu));

  return rng;
}

/* Returns: 64 random bits from two 32-bit MT19937 outputs. */
static guint64
random_bits (gsl_rng *rng)
{
  guint64 high = gsl_rng_get (rng) & 0xffffffffu;
  guint64 low = gsl_rng_get (rng) & 0xffffffffu;

  return (high << 32) | low;
}

/**
 * st_random_uniform_index:
 * @rng: a generator
 * @n: the number of choices, at least 1
 *
 * Returns: a uniformly distributed integer in [0, n).  Unlike
 * gsl_rng_uniform_int() it accepts n above 2^32, which positions in a
 * 65536 x 65536 matrix need.  Rejection sampling removes the modulo bias.
 */
guint64
st_random_uniform_index (gsl_rng *rng,
                         guint64  n)
{
  guint64 limit;
  guint64 bits;

  g_return_val_if_fail (n > 0, 0);

  /* The largest multiple of n that fits, so every residue is equally likely. */
  limit = G_MAXUINT64 - G_MAXUINT64 % n;
  do
    bits = random_bits (rng);
  while (bits >= limit);

  return bits % n;
}

/* Fisher-Yates shuffle of @items in place. */
void
st_random_shuffle (gsl_rng *rng,
                   guint   *items,
                   guint    n)
{
  for (guint i = n; i > 1; i--)
    {
      guint j = (guint) st_random_uniform_index (rng, i);
      guint swap = items[i - 1];

      items[i - 1] = items[j];
      items[j] = swap;
    }
}
