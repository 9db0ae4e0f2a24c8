/* st-random.h: seeded random numbers for patterns, weights and batches
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>

G_BEGIN_DECLS

gsl_rng *st_random_new           (guint64  seed);
guint64  st_random_uniform_index (gsl_rng *rng,
                                  guint64  n);
void     st_random_shuffle       (gsl_rng *rng,
                                  guint   *items,
                                  guint    n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (gsl_rng, gsl_rng_free)

G_END_DECLS
