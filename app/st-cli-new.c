/* st-cli-new.c: "sparse-trainer-cli new", creating a network
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cli"

#include "config.h"

#include <glib/gi18n.h>

#include "st-cli.h"

typedef struct
{
  char *layers;
  double density;
  char *pattern;
  gint fan_in;
  gint band;
  gint block;
  char *image;
  gint window;
  gint stride;
  gint maps;
  char *init;
  char *activation;
  char *output;
  gboolean no_bias;
  char *format;
  gint64 seed;
  char *weights;
  char *out;
} NewOptions;

static void
new_options_clear (NewOptions *options)
{
  g_free (options->layers);
  g_free (options->pattern);
  g_free (options->image);
  g_free (options->init);
  g_free (options->activation);
  g_free (options->output);
  g_free (options->format);
  g_free (options->weights);
  g_free (options->out);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (NewOptions, new_options_clear)

/* Parse "64,32,10" into widths; at least two. */
static GArray *
parse_widths (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  g_autoptr(GArray) widths = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint k = 0; parts[k] != NULL; k++)
    {
      guint64 width;
      guint value;

      if (!st_parse_uint64 (g_strstrip (parts[k]), &width) || width == 0 ||
          width > ST_LAYER_MAX_DIMENSION)
        {
          st_cli_usage_error (_("The layer width “%s” in --layers is not a whole number "
                                "from 1 to %u."), parts[k], ST_LAYER_MAX_DIMENSION);
          return NULL;
        }
      value = (guint) width;
      g_array_append_val (widths, value);
    }

  if (widths->len < 2)
    {
      st_cli_usage_error ("%s", _("--layers needs at least two widths, the inputs and the "
                                  "outputs, such as 64,10."));
      return NULL;
    }

  return g_steal_pointer (&widths);
}

/* Build every layer from a Matrix Market file. */
static StNetwork *
network_from_files (const NewOptions *options,
                    StLoss            loss,
                    StLayout          layout,
                    StInit            init,
                    gsl_rng          *rng)
{
  g_auto(GStrv) paths = g_strsplit (options->weights, ",", -1);
  g_autoptr(StNetwork) network = st_network_new (loss);
  g_autoptr(GError) error = NULL;

  for (guint k = 0; paths[k] != NULL; k++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (paths[k]);
      g_autoptr(StMtx) mtx = st_mtx_read (file, NULL, &error);
      StLayer *layer;

      if (mtx == NULL)
        {
          st_cli_fail (_("cannot read the weights"), error);
          return NULL;
        }

      for (guint w = 0; w < mtx->warnings->len; w++)
        g_printerr (_("%s: warning: %s\n"), g_get_prgname (),
                    (const char *) g_ptr_array_index (mtx->warnings, w));

      layer = st_mtx_to_layer (mtx, layout, &error);
      if (layer == NULL || !st_network_append_layer (network, layer, &error))
        {
          g_autofree char *context = g_strdup_printf (_("cannot use “%s” as layer %u"),
                                                      paths[k], k + 1);

          st_cli_fail (context, error);
          return NULL;
        }

      /* A pattern file has positions only: initialise its weights, and
       * say how, so the run can be repeated. */
      if (!mtx->has_values)
        {
          g_autofree char *seed = g_strdup_printf ("%" G_GINT64_FORMAT, options->seed);

          st_init_weights (layer, init, rng);
          g_print (_("%s has positions only: weights drawn with %s, seed %s\n"),
                   paths[k], st_init_to_string (init), seed);
        }
    }

  return g_steal_pointer (&network);
}

/* Parse "8x8" into an image height and width. */
static gboolean
parse_image (const char *text,
             guint      *height,
             guint      *width)
{
  g_auto(GStrv) parts = g_strsplit_set (text, "x×", -1);
  guint64 h;
  guint64 w;

  if (g_strv_length (parts) != 2 || !st_parse_uint64 (parts[0], &h) ||
      !st_parse_uint64 (parts[1], &w) || h == 0 || w == 0 || h * w > ST_LAYER_MAX_DIMENSION)
    return FALSE;

  *height = (guint) h;
  *width = (guint) w;
  return TRUE;
}

/* Reports a usage error for the first generator parameter below its
 * smallest meaningful value, rather than letting a negative number wrap
 * or turn into 0 unnoticed. */
static gboolean
check_pattern_options (const NewOptions *options)
{
  return st_cli_check_at_least ("--fan-in", options->fan_in, 1) &&
         st_cli_check_at_least ("--band", options->band, 0) &&
         st_cli_check_at_least ("--block", options->block, 1) &&
         st_cli_check_at_least ("--window", options->window, 1) &&
         st_cli_check_at_least ("--stride", options->stride, 1) &&
         st_cli_check_at_least ("--maps", options->maps, 1);
}

/* The generator of each layer: --pattern lists one kind, used for every
 * layer, or one kind per layer.  Returns NULL after a usage error. */
static StPatternSpec *
parse_patterns (const NewOptions *options,
                guint             n_layers)
{
  g_auto(GStrv) kinds = g_strsplit (options->pattern != NULL ? options->pattern : "uniform",
                                    ",", -1);
  g_autofree StPatternSpec *specs = g_new0 (StPatternSpec, n_layers);
  guint n_kinds = g_strv_length (kinds);

  if (!check_pattern_options (options))
    return NULL;

  if (n_kinds != 1 && n_kinds != n_layers)
    {
      st_cli_usage_error (_("--pattern lists %u generators, but there are %u layers: give one "
                            "for all layers or one per layer."), n_kinds, n_layers);
      return NULL;
    }

  for (guint l = 0; l < n_layers; l++)
    {
      const char *name = g_strstrip (kinds[n_kinds == 1 ? 0 : l]);
      StPatternKind kind;

      if (!st_pattern_kind_from_string (name, &kind))
        {
          st_cli_usage_error (_("Unknown pattern “%s”: use uniform, fan-in, banded, "
                                "block-diagonal, permutation, identity, local or full."), name);
          return NULL;
        }

      /* check_pattern_options() made every count below non-negative. */
      st_pattern_spec_init (&specs[l], kind);
      specs[l].density = options->density;
      specs[l].fan_in = (guint) options->fan_in;
      specs[l].half_width = (guint) options->band;
      specs[l].block_size = (guint) options->block;
      specs[l].window = (guint) options->window;
      specs[l].stride = (guint) options->stride;
      specs[l].maps = (guint) options->maps;
      if (options->image != NULL &&
          !parse_image (options->image, &specs[l].image_height, &specs[l].image_width))
        {
          st_cli_usage_error (_("Invalid image size “%s”: give the height and the width as "
                                "whole numbers of at least 1, such as 8x8, with at most %u "
                                "pixels in all."), options->image, ST_LAYER_MAX_DIMENSION);
          return NULL;
        }
    }

  return g_steal_pointer (&specs);
}

/* Generates every layer from @specs, one per pair of neighbouring widths. */
static StNetwork *
network_from_widths (const StPatternSpec *specs,
                     GArray              *widths,
                     StLoss               loss,
                     StLayout             layout,
                     StInit               init,
                     gsl_rng             *rng)
{
  g_autoptr(StNetwork) network = st_network_new (loss);
  g_autoptr(GError) error = NULL;

  for (guint k = 1; k < widths->len; k++)
    {
      StLayer *layer = st_pattern_generate (&specs[k - 1], g_array_index (widths, guint, k),
                                            g_array_index (widths, guint, k - 1),
                                            layout, rng, &error);

      if (layer == NULL)
        {
          g_autofree char *context = g_strdup_printf (_("cannot create layer %u"), k);

          st_cli_fail (context, error);
          return NULL;
        }
      st_init_weights (layer, init, rng);
      st_network_append_layer (network, layer, NULL);
    }

  return g_steal_pointer (&network);
}

/* Give the layers their activations and biases, and check the shape
 * against --layers when both were given. */
static gboolean
finish_network (StNetwork        *network,
                const NewOptions *options,
                StActivation      hidden,
                StActivation      output,
                GArray           *widths)
{
  guint n_layers = st_network_get_n_layers (network);
  g_autoptr(GError) error = NULL;

  if (widths != NULL && widths->len != n_layers + 1)
    {
      st_cli_usage_error (_("--layers lists %u widths, so %u layers, but --weights gives %u "
                            "files."), widths->len, widths->len - 1, n_layers);
      return FALSE;
    }

  for (guint l = 0; l < n_layers; l++)
    {
      StLayer *layer = st_network_get_layer (network, l);

      if (widths != NULL && (st_layer_get_cols (layer) != g_array_index (widths, guint, l) ||
                             st_layer_get_rows (layer) != g_array_index (widths, guint, l + 1)))
        {
          st_cli_usage_error (_("Layer %u from --weights is %u × %u (outputs × inputs), but "
                                "--layers asks for %u × %u."), l + 1,
                              st_layer_get_rows (layer), st_layer_get_cols (layer),
                              g_array_index (widths, guint, l + 1),
                              g_array_index (widths, guint, l));
          return FALSE;
        }

      st_layer_set_activation (layer, l + 1 == n_layers ? output : hidden);
      st_layer_set_has_bias (layer, !options->no_bias, NULL);
    }

  if (!st_network_validate (network, &error))
    {
      st_cli_fail (_("the network is not valid"), error);
      return FALSE;
    }

  return TRUE;
}

static void
print_summary (const StNetwork *network,
               const char      *path)
{
  g_autoptr(GString) shape = g_string_new (NULL);
  char density[ST_DOUBLE_BUFFER_SIZE];
  char stored[32];
  double positions = 0.0;

  g_string_append_printf (shape, "%u", st_network_get_n_inputs (network));
  for (guint l = 0; l < st_network_get_n_layers (network); l++)
    {
      StLayer *layer = st_network_get_layer (network, l);

      g_string_append_printf (shape, "-%u", st_layer_get_rows (layer));
      positions += (double) st_layer_get_rows (layer) * st_layer_get_cols (layer);
    }

  /* Numbers go in as text: translatable strings cannot use G_GSIZE_FORMAT. */
  g_snprintf (stored, sizeof stored, "%" G_GSIZE_FORMAT, st_network_get_nnz (network));
  g_print (_("Created %s: widths %s, %s stored weights (density %s), loss %s\n"),
           path, shape->str, stored,
           st_cli_number ((double) st_network_get_nnz (network) / positions, "%.4g", density),
           st_loss_to_string (st_network_get_loss (network)));
}

int
st_cli_new (int    argc,
            char **argv)
{
  g_auto(NewOptions) options = { .density = 0.1, .fan_in = 8, .band = 1, .block = 4,
                                 .window = 3, .stride = 1, .maps = 1, .seed = 1 };
  GOptionEntry entries[] = {
    { "layers", 0, 0, G_OPTION_ARG_STRING, &options.layers,
      N_("Widths from input to output, such as 64,32,10"), N_("N,N,…") },
    { "pattern", 0, 0, G_OPTION_ARG_STRING, &options.pattern,
      N_("Pattern generator for all layers, or one per layer: uniform, fan-in, banded, "
         "block-diagonal, permutation, identity, local or full (default uniform)"),
      N_("KIND[,KIND…]") },
    { "density", 0, 0, G_OPTION_ARG_DOUBLE, &options.density,
      N_("uniform: fraction of weights stored, in (0, 1], at least one weight (default 0.1)"),
      N_("D") },
    { "fan-in", 0, 0, G_OPTION_ARG_INT, &options.fan_in,
      N_("fan-in: stored weights in each row (default 8)"), N_("K") },
    { "band", 0, 0, G_OPTION_ARG_INT, &options.band,
      N_("banded: columns on each side of the diagonal (default 1)"), N_("K") },
    { "block", 0, 0, G_OPTION_ARG_INT, &options.block,
      N_("block-diagonal: rows per block (default 4)"), N_("B") },
    { "image", 0, 0, G_OPTION_ARG_STRING, &options.image,
      N_("local: the input image, height x width (default 8x8)"), N_("HxW") },
    { "window", 0, 0, G_OPTION_ARG_INT, &options.window,
      N_("local: side of each square receptive field, in pixels (default 3)"), N_("K") },
    { "stride", 0, 0, G_OPTION_ARG_INT, &options.stride,
      N_("local: pixels between neighbouring fields (default 1)"), N_("S") },
    { "maps", 0, 0, G_OPTION_ARG_INT, &options.maps,
      N_("local: outputs per field position (default 1)"), N_("M") },
    { "init", 0, 0, G_OPTION_ARG_STRING, &options.init,
      N_("Initial weights: lecun-uniform, xavier-uniform, xavier-normal, he-uniform or "
         "he-normal, scaled by each unit's stored fan-in (default lecun-uniform)"),
      N_("NAME") },
    { "activation", 0, 0, G_OPTION_ARG_STRING, &options.activation,
      N_("Hidden-layer activation: identity, tanh, logistic or relu (default tanh)"), N_("NAME") },
    { "output", 0, 0, G_OPTION_ARG_STRING, &options.output,
      N_("Output: identity with half mean squared error, or softmax with cross-entropy "
         "(default identity)"), N_("NAME") },
    { "no-bias", 0, 0, G_OPTION_ARG_NONE, &options.no_bias,
      N_("Give the layers no bias"), NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &options.format,
      N_("Storage of the weights: csr, csc or coo (default csr)"), N_("FORMAT") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &options.seed,
      N_("Seed of the random pattern and initial weights (default 1)"), N_("N") },
    { "weights", 0, 0, G_OPTION_ARG_FILENAME, &options.weights,
      N_("Take each layer's pattern and values from Matrix Market files instead"),
      N_("W1.mtx[,W2.mtx…]") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &options.out,
      N_("The model file to write (required)"), N_("MODEL") },
    { NULL },
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GArray) widths = NULL;
  g_autofree StPatternSpec *specs = NULL;
  g_autoptr(StNetwork) network = NULL;
  g_autoptr(gsl_rng) rng = NULL;
  g_autoptr(GError) error = NULL;
  StActivation hidden = ST_ACTIVATION_TANH;
  StActivation output = ST_ACTIVATION_IDENTITY;
  StLayout layout = ST_LAYOUT_CSR;
  StInit init = ST_INIT_LECUN_UNIFORM;
  StLoss loss;

  context = st_cli_option_context_new (NULL, _("Creates a sparse network and saves it as a "
                                               "model file."), entries);
  if (!st_cli_parse (context, &argc, &argv, 0))
    return ST_CLI_EXIT_USAGE;

  if (options.out == NULL)
    return st_cli_usage_error ("%s", _("--out is required: give the model file to write."));
  if (options.layers == NULL && options.weights == NULL)
    return st_cli_usage_error ("%s", _("Give --layers, or --weights."));
  if (options.activation != NULL &&
      (!st_activation_from_string (options.activation, &hidden) ||
       hidden == ST_ACTIVATION_SOFTMAX))
    return st_cli_usage_error (_("Unknown hidden activation “%s”: use identity, tanh, logistic "
                                 "or relu."), options.activation);
  if (options.output != NULL &&
      (!st_activation_from_string (options.output, &output) ||
       (output != ST_ACTIVATION_IDENTITY && output != ST_ACTIVATION_SOFTMAX)))
    return st_cli_usage_error (_("Unknown output “%s”: use identity or softmax."), options.output);
  if (!st_cli_parse_layout (options.format, &layout))
    return ST_CLI_EXIT_USAGE;
  if (options.init != NULL && !st_init_from_string (options.init, &init))
    return st_cli_usage_error (_("Unknown initialisation “%s”: use lecun-uniform, xavier-uniform, "
                                 "xavier-normal, he-uniform or he-normal."), options.init);
  if (options.layers != NULL && (widths = parse_widths (options.layers)) == NULL)
    return ST_CLI_EXIT_USAGE;
  if (options.weights == NULL && (specs = parse_patterns (&options, widths->len - 1)) == NULL)
    return ST_CLI_EXIT_USAGE;

  rng = st_random_new ((guint64) options.seed);
  loss = output == ST_ACTIVATION_SOFTMAX ? ST_LOSS_SOFTMAX_CROSS_ENTROPY : ST_LOSS_HALF_MSE;
  network = options.weights != NULL
    ? network_from_files (&options, loss, layout, init, rng)
    : network_from_widths (specs, widths, loss, layout, init, rng);
  if (network == NULL)
    return ST_CLI_EXIT_FAILURE;

  if (!finish_network (network, &options, hidden, output, options.weights ? widths : NULL))
    return ST_CLI_EXIT_USAGE;

  if (!st_model_save (network, options.out, &error))
    return st_cli_fail (_("cannot save the model"), error);

  print_summary (network, options.out);
  return 0;
}
