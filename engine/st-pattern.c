/* st-pattern.c: sparsity pattern generators and initial weights
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every generator lists its entries in row-major order without ever
 * enumerating the rows x cols positions, except where more than half
 * of them are stored, so a 65536 x 65536 layer costs O(nnz) time and
 * memory.
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

#include "st-error.h"
#include "st-layer.h"
#include "st-pattern.h"
#include "st-random.h"

/* Names on the command line and in settings; never translated. */
static const char *const pattern_names[ST_N_PATTERNS] = {
  "uniform", "fan-in", "banded", "block-diagonal", "permutation", "identity", "local", "full",
};

static const char *const init_names[ST_N_INITS] = {
  "lecun-uniform", "xavier-uniform", "xavier-normal", "he-uniform", "he-normal",
};

/* Entries collected in row-major order. */
typedef struct
{
  GArray *rows;
  GArray *cols;
} EntryList;

static void
entry_list_init (EntryList *list,
                 gsize      reserve)
{
  list->rows = g_array_sized_new (FALSE, FALSE, sizeof (guint), reserve);
  list->cols = g_array_sized_new (FALSE, FALSE, sizeof (guint), reserve);
}

static void
entry_list_clear (EntryList *list)
{
  g_clear_pointer (&list->rows, g_array_unref);
  g_clear_pointer (&list->cols, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (EntryList, entry_list_clear)

static inline void
entry_list_add (EntryList *list,
                guint      row,
                guint      col)
{
  g_array_append_val (list->rows, row);
  g_array_append_val (list->cols, col);
}

static int
compare_positions (const void *a,
                   const void *b)
{
  guint64 first = *(const guint64 *) a;
  guint64 second = *(const guint64 *) b;

  return first < second ? -1 : first > second;
}

/* Sort and drop repeats; returns the new length. */
static gsize
sort_unique (guint64 *positions,
             gsize    n)
{
  gsize kept = 0;

  qsort (positions, n, sizeof (guint64), compare_positions);
  for (gsize k = 0; k < n; k++)
    if (kept == 0 || positions[kept - 1] != positions[k])
      positions[kept++] = positions[k];

  return kept;
}

/* Choose @count distinct values out of [0, total), uniformly, sorted.
 * Draw the missing number, sort, drop repeats, and repeat until there
 * are enough; with count <= total / 2 each round leaves at most a
 * quarter missing.  For larger counts, choose the values to leave out. */
static guint64 *
choose_subset (guint64  total,
               gsize    count,
               gsl_rng *rng)
{
  guint64 *chosen;
  gsize have = 0;

  if (count > total / 2)
    {
      g_autofree guint64 *excluded = choose_subset (total, (gsize) (total - count), rng);
      gsize skip = 0;
      gsize k = 0;

      chosen = g_new (guint64, MAX (count, 1));
      for (guint64 value = 0; value < total; value++)
        {
          if (skip < total - count && excluded[skip] == value)
            skip++;
          else
            chosen[k++] = value;
        }
      return chosen;
    }

  chosen = g_new (guint64, MAX (count, 1));
  while (have < count)
    {
      for (gsize k = have; k < count; k++)
        chosen[k] = st_random_uniform_index (rng, total);
      have = sort_unique (chosen, count);
    }

  return chosen;
}

static gboolean
fail (GError     **error,
      const char  *format,
      ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (GError     **error,
      const char  *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT, message);
  return FALSE;
}

static gboolean
add_uniform (const StPatternSpec  *spec,
             guint                 rows,
             guint                 cols,
             gsl_rng              *rng,
             EntryList            *list,
             GError              **error)
{
  guint64 total = (guint64) rows * cols;
  g_autofree guint64 *chosen = NULL;
  guint64 count;

  if (!(spec->density > 0.0 && spec->density <= 1.0))
    return fail (error, _("The density %g is outside (0, 1]; give the fraction of stored "
                          "weights, such as 0.1 for 10 %%"), spec->density);

  count = (guint64) floor (spec->density * (double) total + 0.5);
  count = CLAMP (count, 1, total);
  if (count > ST_LAYER_MAX_NNZ)
    {
      g_autofree char *count_text = g_strdup_printf ("%" G_GUINT64_FORMAT, count);
      g_autofree char *limit = g_strdup_printf ("%" G_GSIZE_FORMAT, (gsize) ST_LAYER_MAX_NNZ);

      /* Translators: the two %s are numbers of stored entries. */
      return fail (error, _("A %u x %u layer at density %g has %s stored entries, above the "
                            "limit of %s; lower the density"),
                   rows, cols, spec->density, count_text, limit);
    }

  chosen = choose_subset (total, (gsize) count, rng);
  for (gsize k = 0; k < count; k++)
    entry_list_add (list, (guint) (chosen[k] / cols), (guint) (chosen[k] % cols));

  return TRUE;
}

static gboolean
add_fan_in (const StPatternSpec  *spec,
            guint                 rows,
            guint                 cols,
            gsl_rng              *rng,
            EntryList            *list,
            GError              **error)
{
  if (spec->fan_in == 0 || spec->fan_in > cols)
    return fail (error, _("A fan-in of %u is outside 1..%u, the number of inputs"),
                 spec->fan_in, cols);
  if ((guint64) rows * spec->fan_in > ST_LAYER_MAX_NNZ)
    return fail (error, _("%u rows with a fan-in of %u have too many stored entries; "
                          "lower the fan-in"), rows, spec->fan_in);

  for (guint i = 0; i < rows; i++)
    {
      g_autofree guint64 *chosen = choose_subset (cols, spec->fan_in, rng);

      for (guint k = 0; k < spec->fan_in; k++)
        entry_list_add (list, i, (guint) chosen[k]);
    }

  return TRUE;
}

static gboolean
add_banded (const StPatternSpec  *spec,
            guint                 rows,
            guint                 cols,
            EntryList            *list,
            GError              **error)
{
  guint64 width = 2 * (guint64) spec->half_width + 1;

  if (spec->half_width >= cols)
    return fail (error, _("A half-width of %u covers all %u columns; use the full pattern, or "
                          "a half-width below %u"), spec->half_width, cols, cols);
  if ((guint64) rows * width > ST_LAYER_MAX_NNZ)
    return fail (error, _("A band of half-width %u over %u rows has too many stored entries; "
                          "narrow the band"), spec->half_width, rows);

  for (guint i = 0; i < rows; i++)
    {
      gint64 centre = (gint64) (((2 * (guint64) i + 1) * cols) / (2 * (guint64) rows));
      gint64 first = MAX (0, centre - (gint64) spec->half_width);
      gint64 last = MIN ((gint64) cols - 1, centre + (gint64) spec->half_width);

      for (gint64 j = first; j <= last; j++)
        entry_list_add (list, i, (guint) j);
    }

  return TRUE;
}

static gboolean
add_block_diagonal (const StPatternSpec  *spec,
                    guint                 rows,
                    guint                 cols,
                    EntryList            *list,
                    GError              **error)
{
  guint n_blocks;
  guint block_cols;

  if (spec->block_size == 0 || rows % spec->block_size != 0)
    return fail (error, _("A block size of %u does not divide the %u rows; choose a divisor "
                          "of %u"), spec->block_size, rows, rows);

  n_blocks = rows / spec->block_size;
  if (cols % n_blocks != 0)
    return fail (error, _("%u blocks do not divide the %u columns; with %u rows per block the "
                          "columns must be a multiple of %u"),
                 n_blocks, cols, spec->block_size, n_blocks);
  block_cols = cols / n_blocks;
  if ((guint64) rows * block_cols > ST_LAYER_MAX_NNZ)
    return fail (error, _("Blocks of %u x %u have too many stored entries; use smaller blocks"),
                 spec->block_size, block_cols);

  for (guint i = 0; i < rows; i++)
    {
      guint block = i / spec->block_size;

      for (guint j = block * block_cols; j < (block + 1) * block_cols; j++)
        entry_list_add (list, i, j);
    }

  return TRUE;
}

static gboolean
add_permutation (guint       rows,
                 guint       cols,
                 gsl_rng    *rng,
                 EntryList  *list,
                 GError    **error)
{
  g_autofree guint *image = NULL;

  if (rows != cols)
    return fail (error, _("A permutation needs a square layer, not %u x %u"), rows, cols);

  image = g_new (guint, cols);
  for (guint j = 0; j < cols; j++)
    image[j] = j;
  st_random_shuffle (rng, image, cols);

  for (guint i = 0; i < rows; i++)
    entry_list_add (list, i, image[i]);

  return TRUE;
}

static void
add_identity (guint      rows,
              guint      cols,
              EntryList *list)
{
  for (guint i = 0; i < MIN (rows, cols); i++)
    entry_list_add (list, i, i);
}

static gboolean
check_local (const StPatternSpec  *spec,
             GError              **error)
{
  if (spec->image_height == 0 || spec->image_width == 0)
    return fail (error, _("Local receptive fields need the image size, such as 8 x 8"));
  if (spec->window == 0 || spec->window > spec->image_height || spec->window > spec->image_width)
    return fail (error, _("A window of %u x %u pixels does not fit in an image of %u x %u pixels"),
                 spec->window, spec->window, spec->image_height, spec->image_width);
  if (spec->stride == 0)
    return fail (error, _("The stride of local receptive fields must be at least 1"));
  if (spec->maps == 0)
    return fail (error, _("Local receptive fields need at least 1 map"));

  return TRUE;
}

/* Returns: the outputs per map along one image dimension. */
static guint
patch_positions (guint size,
                 guint window,
                 guint stride)
{
  return (size - window) / stride + 1;
}

static gboolean
add_local (const StPatternSpec  *spec,
           guint                 rows,
           guint                 cols,
           EntryList            *list,
           GError              **error)
{
  guint expected_rows;
  guint expected_cols;
  guint out_h;
  guint out_w;

  if (!check_local (spec, error))
    return FALSE;

  st_pattern_get_fixed_shape (spec, &expected_rows, &expected_cols);
  if (rows != expected_rows || cols != expected_cols)
    return fail (error, _("Local receptive fields (window %u, stride %u, maps %u) over an image "
                          "of %u x %u pixels need %u outputs and %u inputs, not %u and %u"),
                 spec->window, spec->stride, spec->maps, spec->image_height, spec->image_width,
                 expected_rows, expected_cols, rows, cols);

  out_h = patch_positions (spec->image_height, spec->window, spec->stride);
  out_w = patch_positions (spec->image_width, spec->window, spec->stride);

  for (guint map = 0; map < spec->maps; map++)
    for (guint oy = 0; oy < out_h; oy++)
      for (guint ox = 0; ox < out_w; ox++)
        {
          guint row = (map * out_h + oy) * out_w + ox;

          for (guint dy = 0; dy < spec->window; dy++)
            for (guint dx = 0; dx < spec->window; dx++)
              entry_list_add (list, row,
                              (oy * spec->stride + dy) * spec->image_width + ox * spec->stride + dx);
        }

  return TRUE;
}

static gboolean
add_full (guint       rows,
          guint       cols,
          EntryList  *list,
          GError    **error)
{
  if ((guint64) rows * cols > ST_LAYER_MAX_NNZ)
    return fail (error, _("A full %u x %u layer has too many stored entries; use a sparse "
                          "pattern"), rows, cols);

  for (guint i = 0; i < rows; i++)
    for (guint j = 0; j < cols; j++)
      entry_list_add (list, i, j);

  return TRUE;
}

/* Sets every parameter to a usable value: density 0.1, fan-in 8,
 * half-width 1, blocks of 4, an 8 x 8 image with 3 x 3 windows at
 * stride 1 and one map. */
void
st_pattern_spec_init (StPatternSpec *spec,
                      StPatternKind  kind)
{
  *spec = (StPatternSpec) {
    .kind = kind,
    .density = 0.1,
    .fan_in = 8,
    .half_width = 1,
    .block_size = 4,
    .image_height = 8,
    .image_width = 8,
    .window = 3,
    .stride = 1,
    .maps = 1,
  };
}

/**
 * st_pattern_get_fixed_shape:
 * @spec: a generator
 * @rows: (out): the outputs it needs
 * @cols: (out): the inputs it needs
 *
 * Returns: %TRUE when the parameters fix the layer's shape, which only
 * local receptive fields with valid parameters do
 */
gboolean
st_pattern_get_fixed_shape (const StPatternSpec *spec,
                            guint               *rows,
                            guint               *cols)
{
  if (spec->kind != ST_PATTERN_LOCAL || !check_local (spec, NULL))
    return FALSE;

  *cols = spec->image_height * spec->image_width;
  *rows = spec->maps * patch_positions (spec->image_height, spec->window, spec->stride) *
          patch_positions (spec->image_width, spec->window, spec->stride);
  return TRUE;
}

/**
 * st_pattern_generate:
 * @spec: the generator and its parameters
 * @rows: outputs of the layer
 * @cols: inputs of the layer
 * @layout: the layout of the new layer
 * @rng: the generator's source of randomness, for the kinds that use one
 * @error: return location for an error
 *
 * Builds a layer with the pattern and zero weights; see
 * st_init_weights().  Parameters that do not fit the shape are an
 * error whose message names a shape that would fit.
 *
 * Returns: (transfer full): the layer, or %NULL with @error set
 */
StLayer *
st_pattern_generate (const StPatternSpec  *spec,
                     guint                 rows,
                     guint                 cols,
                     StLayout              layout,
                     gsl_rng              *rng,
                     GError              **error)
{
  g_auto(EntryList) list = { 0 };
  gboolean ok = TRUE;

  if (rows == 0 || cols == 0)
    {
      g_set_error (error, ST_ERROR, ST_ERROR_INVALID_ARGUMENT,
                   _("A layer needs at least one row and one column, not %u x %u"), rows, cols);
      return NULL;
    }

  entry_list_init (&list, 1024);
  switch (spec->kind)
    {
    case ST_PATTERN_UNIFORM:
      ok = add_uniform (spec, rows, cols, rng, &list, error);
      break;
    case ST_PATTERN_FAN_IN:
      ok = add_fan_in (spec, rows, cols, rng, &list, error);
      break;
    case ST_PATTERN_BANDED:
      ok = add_banded (spec, rows, cols, &list, error);
      break;
    case ST_PATTERN_BLOCK_DIAGONAL:
      ok = add_block_diagonal (spec, rows, cols, &list, error);
      break;
    case ST_PATTERN_PERMUTATION:
      ok = add_permutation (rows, cols, rng, &list, error);
      break;
    case ST_PATTERN_IDENTITY:
      add_identity (rows, cols, &list);
      break;
    case ST_PATTERN_LOCAL:
      ok = add_local (spec, rows, cols, &list, error);
      break;
    case ST_PATTERN_FULL:
      ok = add_full (rows, cols, &list, error);
      break;
    default:
      ok = fail (error, _("Unknown pattern generator %d"), (int) spec->kind);
      break;
    }
  if (!ok)
    return NULL;

  return st_layer_new (rows, cols, list.rows->len, (guint *) list.rows->data,
                       (guint *) list.cols->data, NULL, layout, error);
}

/* The uniform generator with @density; see st_pattern_generate(). */
StLayer *
st_pattern_new_random (guint      rows,
                       guint      cols,
                       double     density,
                       StLayout   layout,
                       gsl_rng   *rng,
                       GError   **error)
{
  StPatternSpec spec;

  st_pattern_spec_init (&spec, ST_PATTERN_UNIFORM);
  spec.density = density;

  return st_pattern_generate (&spec, rows, cols, layout, rng, error);
}

/**
 * st_init_weights:
 * @layer: a layer
 * @init: the rule, see #StInit
 * @rng: the generator that draws the weights
 *
 * Draws every stored weight, in canonical order so that the layout does
 * not change them, and sets the bias to 0.
 */
void
st_init_weights (StLayer *layer,
                 StInit   init,
                 gsl_rng *rng)
{
  gsize nnz = st_layer_get_nnz (layer);
  guint rows = st_layer_get_rows (layer);
  guint cols = st_layer_get_cols (layer);
  g_autofree guint *entry_rows = g_new (guint, MAX (nnz, 1));
  g_autofree guint *entry_cols = g_new (guint, MAX (nnz, 1));
  g_autofree guint *fan_in = g_new0 (guint, rows);
  g_autofree guint *fan_out = g_new0 (guint, cols);
  g_autofree double *values = g_new (double, MAX (nnz, 1));
  double *bias = st_layer_get_bias (layer);

  st_layer_copy_entries (layer, entry_rows, entry_cols, NULL, NULL);
  for (gsize c = 0; c < nnz; c++)
    {
      fan_in[entry_rows[c]]++;
      fan_out[entry_cols[c]]++;
    }

  for (gsize c = 0; c < nnz; c++)
    {
      double in = fan_in[entry_rows[c]];
      double sum = in + fan_out[entry_cols[c]];

      switch (init)
        {
        case ST_INIT_XAVIER_UNIFORM:
          values[c] = sqrt (6.0 / sum) * (2.0 * gsl_rng_uniform (rng) - 1.0);
          break;
        case ST_INIT_XAVIER_NORMAL:
          values[c] = gsl_ran_gaussian (rng, sqrt (2.0 / sum));
          break;
        case ST_INIT_HE_UNIFORM:
          values[c] = sqrt (6.0 / in) * (2.0 * gsl_rng_uniform (rng) - 1.0);
          break;
        case ST_INIT_HE_NORMAL:
          values[c] = gsl_ran_gaussian (rng, sqrt (2.0 / in));
          break;
        case ST_INIT_LECUN_UNIFORM:
        default:
          values[c] = sqrt (3.0 / in) * (2.0 * gsl_rng_uniform (rng) - 1.0);
          break;
        }
    }
  st_layer_set_canonical_values (layer, values);

  for (guint i = 0; bias != NULL && i < rows; i++)
    bias[i] = 0.0;
}

/* st_init_weights() with lecun-uniform: variance 1 / fan-in, which keeps
 * a unit's pre-activation at the scale of its inputs however sparse its
 * row is. */
void
st_pattern_init_weights (StLayer *layer,
                         gsl_rng *rng)
{
  st_init_weights (layer, ST_INIT_LECUN_UNIFORM, rng);
}

const char *
st_pattern_kind_to_string (StPatternKind kind)
{
  g_return_val_if_fail ((guint) kind < ST_N_PATTERNS, NULL);

  return pattern_names[kind];
}

gboolean
st_pattern_kind_from_string (const char    *text,
                             StPatternKind *kind)
{
  for (guint k = 0; text != NULL && k < ST_N_PATTERNS; k++)
    {
      if (g_ascii_strcasecmp (text, pattern_names[k]) == 0)
        {
          *kind = (StPatternKind) k;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
st_init_to_string (StInit init)
{
  g_return_val_if_fail ((guint) init < ST_N_INITS, NULL);

  return init_names[init];
}

gboolean
st_init_from_string (const char *text,
                     StInit     *init)
{
  for (guint k = 0; text != NULL && k < ST_N_INITS; k++)
    {
      if (g_ascii_strcasecmp (text, init_names[k]) == 0)
        {
          *init = (StInit) k;
          return TRUE;
        }
    }

  return FALSE;
}
