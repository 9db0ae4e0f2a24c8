/* st-builtin-data.h: generated data sets for lessons and experiments
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "st-engine.h"

G_BEGIN_DECLS

typedef enum
{
  ST_BUILTIN_WORKED_EXAMPLE,  /* one sample, x = (4, 2), t = (2, 4) */
  ST_BUILTIN_XOR,             /* 2 inputs, 2 classes */
  ST_BUILTIN_CIRCLES,         /* 2 inputs, 2 classes */
  ST_BUILTIN_SPIRALS,         /* 2 inputs, 2 classes */
  ST_BUILTIN_BLOBS,           /* 2 inputs, 3 classes */
  ST_BUILTIN_SINE,            /* 1 input, 1 target */
  ST_BUILTIN_BARS_STRIPES,    /* 64 inputs (8 x 8 image), 2 classes */
  ST_BUILTIN_PERMUTATION,     /* 8 inputs, 8 targets */
} StBuiltinData;

#define ST_N_BUILTIN_DATA 8

const char *st_builtin_data_get_id          (StBuiltinData  kind);
gboolean    st_builtin_data_from_id         (const char    *id,
                                             StBuiltinData *kind);
const char *st_builtin_data_get_name        (StBuiltinData  kind);
gboolean    st_builtin_data_has_size        (StBuiltinData  kind);
guint       st_builtin_data_get_default_samples (StBuiltinData kind);
double      st_builtin_data_get_default_noise (StBuiltinData kind);
void        st_builtin_data_get_shape       (StBuiltinData  kind,
                                             guint         *n_inputs,
                                             guint         *n_outputs);
StDataset  *st_builtin_data_generate        (StBuiltinData  kind,
                                             guint          n_samples,
                                             double         noise,
                                             guint64        seed);

G_END_DECLS
