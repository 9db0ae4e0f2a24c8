/* st-builtin-data.c: generated data sets for lessons and experiments
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each set is drawn from a seeded generator, so the same size, noise
 * and seed always give the same samples.  "Noise" is the standard
 * deviation of Gaussian noise added to the inputs (for sine, to the
 * target; for bars and stripes, the chance that a pixel flips).
 */

#define G_LOG_DOMAIN "st-window"

#include "config.h"

#include <glib/gi18n.h>
#include <gsl/gsl_randist.h>
#include <math.h>

#include "st-builtin-data.h"

typedef struct
{
  const char *id;
  const char *name;
  guint n_inputs;
  guint n_outputs;
  guint default_samples;
  double default_noise;
} BuiltinInfo;

static const BuiltinInfo builtins[ST_N_BUILTIN_DATA] = {
  { "worked-example", N_("Worked example"), 2, 2, 1, 0.0 },
  { "xor", N_("XOR"), 2, 2, 200, 0.15 },
  { "circles", N_("Two circles"), 2, 2, 400, 0.08 },
  { "spirals", N_("Two spirals"), 2, 2, 400, 0.05 },
  { "blobs", N_("Gaussian blobs"), 2, 3, 300, 0.5 },
  { "sine", N_("Sine regression"), 1, 1, 200, 0.05 },
  { "bars-stripes", N_("8 × 8 bars and stripes"), 64, 2, 400, 0.02 },
  { "permutation", N_("Permutation autoencoder"), 8, 8, 400, 0.05 },
};

const char *
st_builtin_data_get_id (StBuiltinData kind)
{
  g_return_val_if_fail (kind < ST_N_BUILTIN_DATA, NULL);

  return builtins[kind].id;
}

gboolean
st_builtin_data_from_id (const char    *id,
                         StBuiltinData *kind)
{
  for (guint i = 0; i < ST_N_BUILTIN_DATA; i++)
    if (g_strcmp0 (id, builtins[i].id) == 0)
      {
        *kind = i;
        return TRUE;
      }

  return FALSE;
}

/* Returns: the translated name. */
const char *
st_builtin_data_get_name (StBuiltinData kind)
{
  g_return_val_if_fail (kind < ST_N_BUILTIN_DATA, NULL);

  return _(builtins[kind].name);
}

/* Returns: whether the sample count and noise apply; the worked example
 * is always its one sample. */
gboolean
st_builtin_data_has_size (StBuiltinData kind)
{
  return kind != ST_BUILTIN_WORKED_EXAMPLE;
}

guint
st_builtin_data_get_default_samples (StBuiltinData kind)
{
  g_return_val_if_fail (kind < ST_N_BUILTIN_DATA, 1);

  return builtins[kind].default_samples;
}

double
st_builtin_data_get_default_noise (StBuiltinData kind)
{
  g_return_val_if_fail (kind < ST_N_BUILTIN_DATA, 0.0);

  return builtins[kind].default_noise;
}

/* The widths of a network that fits: inputs, and outputs (targets, or
 * one unit per class). */
void
st_builtin_data_get_shape (StBuiltinData  kind,
                           guint         *n_inputs,
                           guint         *n_outputs)
{
  g_return_if_fail (kind < ST_N_BUILTIN_DATA);

  *n_inputs = builtins[kind].n_inputs;
  *n_outputs = builtins[kind].n_outputs;
}

static StDataset *
generate_two_class_2d (StBuiltinData  kind,
                       guint          n,
                       double         noise,
                       gsl_rng       *rng)
{
  g_autofree double *inputs = g_new (double, 2 * (gsize) n);
  g_autofree guint *labels = g_new (guint, n);
  const char *names[3] = { "0", "1", "2" };
  guint n_classes = kind == ST_BUILTIN_BLOBS ? 3 : 2;

  for (guint s = 0; s < n; s++)
    {
      double x = 0.0, y = 0.0;
      guint label = s % n_classes;

      switch (kind)
        {
        case ST_BUILTIN_XOR:
          {
            /* Corners (±1, ±1); class 1 where the signs differ. */
            double sx = gsl_rng_uniform (rng) < 0.5 ? -1.0 : 1.0;
            double sy = gsl_rng_uniform (rng) < 0.5 ? -1.0 : 1.0;

            x = sx;
            y = sy;
            label = sx * sy < 0 ? 1 : 0;
          }
          break;

        case ST_BUILTIN_CIRCLES:
          {
            /* Class 0 on a circle of radius 0.5, class 1 of radius 1. */
            double angle = 2 * G_PI * gsl_rng_uniform (rng);
            double radius = label == 0 ? 0.5 : 1.0;

            x = radius * cos (angle);
            y = radius * sin (angle);
          }
          break;

        case ST_BUILTIN_SPIRALS:
          {
            /* Two interleaved arms of one and a half turns each. */
            double t = gsl_rng_uniform (rng);
            double angle = 3 * G_PI * t + label * G_PI;
            double radius = 0.1 + 0.9 * t;

            x = radius * cos (angle);
            y = radius * sin (angle);
          }
          break;

        case ST_BUILTIN_BLOBS:
          {
            /* Three centres on a circle of radius 2. */
            double angle = 2 * G_PI * label / 3;

            x = 2 * cos (angle);
            y = 2 * sin (angle);
          }
          break;

        default:
          g_assert_not_reached ();
        }

      inputs[2 * s] = x + gsl_ran_gaussian (rng, noise);
      inputs[2 * s + 1] = y + gsl_ran_gaussian (rng, noise);
      labels[s] = label;
    }

  return st_dataset_new_classification (n, 2, inputs, labels, n_classes, names);
}

static StDataset *
generate_sine (guint    n,
               double   noise,
               gsl_rng *rng)
{
  g_autofree double *inputs = g_new (double, n);
  g_autofree double *targets = g_new (double, n);

  for (guint s = 0; s < n; s++)
    {
      inputs[s] = -G_PI + 2 * G_PI * gsl_rng_uniform (rng);
      targets[s] = sin (inputs[s]) + gsl_ran_gaussian (rng, noise);
    }

  return st_dataset_new_regression (n, 1, 1, inputs, targets);
}

/* 8 x 8 images: class 0 lights whole columns (bars), class 1 whole rows
 * (stripes), each line on with probability 1/2 but never none or all. */
static StDataset *
generate_bars_stripes (guint    n,
                       double   noise,
                       gsl_rng *rng)
{
  static const char *const names[] = { "bars", "stripes" };
  g_autofree double *inputs = g_new (double, 64 * (gsize) n);
  g_autofree guint *labels = g_new (guint, n);

  for (guint s = 0; s < n; s++)
    {
      guint mask;
      double *image = inputs + 64 * (gsize) s;

      do
        mask = (guint) gsl_rng_uniform_int (rng, 256);
      while (mask == 0 || mask == 255);

      labels[s] = s % 2;
      for (guint r = 0; r < 8; r++)
        for (guint c = 0; c < 8; c++)
          {
            gboolean on = labels[s] == 0 ? (mask >> c) & 1 : (mask >> r) & 1;

            if (gsl_rng_uniform (rng) < noise)
              on = !on;
            image[r * 8 + c] = on ? 1.0 : 0.0;
          }
    }

  return st_dataset_new_classification (n, 64, inputs, labels, 2, names);
}

/* The classic encoder problem: each sample is one row of the 8 x 8
 * identity (a one-hot code), with noise on the input; the target is the
 * clean code. */
static StDataset *
generate_permutation (guint    n,
                      double   noise,
                      gsl_rng *rng)
{
  g_autofree double *inputs = g_new0 (double, 8 * (gsize) n);
  g_autofree double *targets = g_new0 (double, 8 * (gsize) n);

  for (guint s = 0; s < n; s++)
    {
      guint hot = s % 8;

      for (guint j = 0; j < 8; j++)
        {
          double value = j == hot ? 1.0 : 0.0;

          targets[8 * (gsize) s + j] = value;
          inputs[8 * (gsize) s + j] = value + gsl_ran_gaussian (rng, noise);
        }
    }

  return st_dataset_new_regression (n, 8, 8, inputs, targets);
}

/**
 * st_builtin_data_generate:
 * @kind: the data set
 * @n_samples: samples to draw, at least 1 (ignored by the worked example)
 * @noise: noise level, at least 0
 * @seed: seed of the draw
 *
 * Returns: (transfer full): the data set
 */
StDataset *
st_builtin_data_generate (StBuiltinData kind,
                          guint         n_samples,
                          double        noise,
                          guint64       seed)
{
  g_autoptr(gsl_rng) rng = st_random_new (seed);

  g_return_val_if_fail (kind < ST_N_BUILTIN_DATA, NULL);

  n_samples = MAX (n_samples, 1);
  noise = MAX (noise, 0.0);

  switch (kind)
    {
    case ST_BUILTIN_WORKED_EXAMPLE:
      {
        static const double x[] = { 4, 2 };
        static const double t[] = { 2, 4 };

        return st_dataset_new_regression (1, 2, 2, x, t);
      }

    case ST_BUILTIN_XOR:
    case ST_BUILTIN_CIRCLES:
    case ST_BUILTIN_SPIRALS:
    case ST_BUILTIN_BLOBS:
      return generate_two_class_2d (kind, n_samples, noise, rng);

    case ST_BUILTIN_SINE:
      return generate_sine (n_samples, noise, rng);

    case ST_BUILTIN_BARS_STRIPES:
      return generate_bars_stripes (n_samples, noise, rng);

    case ST_BUILTIN_PERMUTATION:
      return generate_permutation (n_samples, noise, rng);

    default:
      g_assert_not_reached ();
    }
}
