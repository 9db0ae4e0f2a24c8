/* st-pattern.h: sparsity pattern generators and initial weights
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>

#include "st-types.h"

G_BEGIN_DECLS

typedef enum
{
  ST_PATTERN_UNIFORM,         /* round(density x rows x cols) positions, at least 1, uniformly */
  ST_PATTERN_FAN_IN,          /* fan_in random columns in every row */
  ST_PATTERN_BANDED,          /* columns within half_width of the row's diagonal position */
  ST_PATTERN_BLOCK_DIAGONAL,  /* square-ish blocks of block_size rows along the diagonal */
  ST_PATTERN_PERMUTATION,     /* one entry per row and column, at random (square only) */
  ST_PATTERN_IDENTITY,        /* the diagonal */
  ST_PATTERN_LOCAL,           /* local receptive fields over an image */
  ST_PATTERN_FULL,            /* every position */
} StPatternKind;

#define ST_N_PATTERNS 8

/* A generator and its parameters; each kind reads only its own. */
typedef struct
{
  StPatternKind kind;
  double density;        /* uniform: in (0, 1] */
  guint fan_in;          /* fan-in: from 1 to cols */
  guint half_width;      /* banded: below cols; row i of m is centred on column
                          * floor((i + 1/2) cols / m), which is i when square */
  guint block_size;      /* block-diagonal: rows per block, dividing rows; the
                          * columns split into as many equal blocks */

  /* local: the inputs are an image_height x image_width image, row by
   * row; each output sees a window x window patch, patches start every
   * stride pixels, and maps outputs share each patch position.  So
   * cols = image_height x image_width and rows = maps x out_h x out_w
   * with out_h = (image_height - window) / stride + 1, out_w likewise.
   * Weights are not shared: this is a convolution without weight
   * sharing. */
  guint image_height;
  guint image_width;
  guint window;
  guint stride;
  guint maps;
} StPatternSpec;

/* Initial weights, drawn for stored entries only, with fan-in and
 * fan-out counted as the stored entries of the weight's row and column,
 * not the dense widths:
 *
 *   lecun-uniform:  U(-a, a), a = sqrt (3 / fan_in)
 *   xavier-uniform: U(-a, a), a = sqrt (6 / (fan_in + fan_out))
 *   xavier-normal:  N(0, s^2), s = sqrt (2 / (fan_in + fan_out))
 *   he-uniform:     U(-a, a), a = sqrt (6 / fan_in)
 *   he-normal:      N(0, s^2), s = sqrt (2 / fan_in)
 */
typedef enum
{
  ST_INIT_LECUN_UNIFORM,
  ST_INIT_XAVIER_UNIFORM,
  ST_INIT_XAVIER_NORMAL,
  ST_INIT_HE_UNIFORM,
  ST_INIT_HE_NORMAL,
} StInit;

#define ST_N_INITS 5

void        st_pattern_spec_init       (StPatternSpec        *spec,
                                        StPatternKind         kind);
gboolean    st_pattern_get_fixed_shape (const StPatternSpec  *spec,
                                        guint                *rows,
                                        guint                *cols);
StLayer    *st_pattern_generate        (const StPatternSpec  *spec,
                                        guint                 rows,
                                        guint                 cols,
                                        StLayout              layout,
                                        gsl_rng              *rng,
                                        GError              **error);
StLayer    *st_pattern_new_random      (guint                 rows,
                                        guint                 cols,
                                        double                density,
                                        StLayout              layout,
                                        gsl_rng              *rng,
                                        GError              **error);

void        st_pattern_init_weights    (StLayer              *layer,
                                        gsl_rng              *rng);
void        st_init_weights            (StLayer              *layer,
                                        StInit                init,
                                        gsl_rng              *rng);

const char *st_pattern_kind_to_string  (StPatternKind         kind);
gboolean    st_pattern_kind_from_string (const char          *text,
                                         StPatternKind       *kind);
const char *st_init_to_string          (StInit                init);
gboolean    st_init_from_string        (const char           *text,
                                        StInit               *init);

G_END_DECLS
