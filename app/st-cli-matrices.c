/* st-cli-matrices.c: "sparse-trainer-cli grad" and "export", writing
 * each layer as Matrix Market files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cli"

#include "config.h"

#include <glib/gi18n.h>

#include "st-cli.h"

/* Write layer @index (from 0) as DIR/W<N>.mtx and DIR/b<N>.mtx, N from 1.
 * With @gradient the files hold dL/dW and dL/db, otherwise the weights
 * and the bias.  A layer without a bias gets no b<N>.mtx. */
static gboolean
write_layer (StLayer     *layer,
             guint        index,
             const char  *dir,
             gboolean     gradient,
             GError     **error)
{
  gsize nnz = st_layer_get_nnz (layer);
  g_autofree guint *rows = g_new (guint, MAX (nnz, 1));
  g_autofree guint *cols = g_new (guint, MAX (nnz, 1));
  g_autofree double *values = g_new (double, MAX (nnz, 1));
  g_autofree char *name = g_strdup_printf ("W%u.mtx", index + 1);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  const double *bias;

  st_layer_copy_entries (layer, rows, cols, gradient ? NULL : values, gradient ? values : NULL);
  if (!st_mtx_write_coordinate (path, st_layer_get_rows (layer), st_layer_get_cols (layer),
                                nnz, rows, cols, values, error))
    return FALSE;
  g_print ("%s\n", path);

  bias = gradient ? st_layer_get_bias_gradient (layer) : st_layer_get_bias (layer);
  if (bias == NULL)
    return TRUE;

  g_free (name);
  g_free (path);
  name = g_strdup_printf ("b%u.mtx", index + 1);
  path = g_build_filename (dir, name, NULL);
  if (!st_mtx_write_array (path, st_layer_get_rows (layer), 1, bias, error))
    return FALSE;
  g_print ("%s\n", path);

  return TRUE;
}

static gboolean
write_layers (StNetwork   *network,
              const char  *dir,
              gboolean     gradient)
{
  g_autoptr(GError) error = NULL;

  if (!st_cli_make_dir (dir))
    return FALSE;

  for (guint l = 0; l < st_network_get_n_layers (network); l++)
    {
      if (!write_layer (st_network_get_layer (network, l), l, dir, gradient, &error))
        {
          st_cli_fail (_("cannot write the matrices"), error);
          return FALSE;
        }
    }

  return TRUE;
}

int
st_cli_grad (int    argc,
             char **argv)
{
  g_autofree char *data = NULL;
  g_autofree char *format = NULL;
  g_autofree char *out_dir = NULL;
  GOptionEntry entries[] = {
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &data,
      N_("The data set: CSV, optionally gzip-compressed (required)"), N_("DATA.csv") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format,
      N_("Compute in csr, csc or coo storage (the result is the same)"), N_("FORMAT") },
    { "out-dir", 0, 0, G_OPTION_ARG_FILENAME, &out_dir,
      N_("Folder for W1.mtx, b1.mtx, W2.mtx, … (required)"), N_("DIR") },
    { NULL },
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(StModel) model = NULL;
  StNetwork *network;
  g_autoptr(StDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint *samples = NULL;
  g_autofree double *x = NULL;
  g_autofree double *t = NULL;
  StLayout layout = ST_LAYOUT_CSR;
  char number[ST_DOUBLE_BUFFER_SIZE];
  guint n;
  double cost;

  context = st_cli_option_context_new (_("MODEL"), _("Treats the whole data set as one batch, "
                                                     "prints the cost and writes the gradient of "
                                                     "each layer: DIR/W<N>.mtx for the stored "
                                                     "weights (one line per stored entry, zeros "
                                                     "included) and DIR/b<N>.mtx for the bias, "
                                                     "for layers that have one."), entries);
  if (!st_cli_parse (context, &argc, &argv, 1) || !st_cli_parse_layout (format, &layout))
    return ST_CLI_EXIT_USAGE;
  if (data == NULL || out_dir == NULL)
    return st_cli_usage_error ("%s", _("--data and --out-dir are required."));

  if ((model = st_cli_read_model (argv[1])) == NULL ||
      (dataset = st_cli_load_data (data, model)) == NULL)
    return ST_CLI_EXIT_FAILURE;
  network = model->network;

  if (format != NULL && !st_network_set_layout (network, layout, &error))
    return st_cli_fail (_("cannot convert the weights"), error);

  n = st_dataset_get_n_samples (dataset);
  samples = g_new (guint, n);
  for (guint s = 0; s < n; s++)
    samples[s] = s;
  x = g_new (double, (gsize) st_network_get_n_inputs (network) * n);
  t = g_new (double, (gsize) st_network_get_n_outputs (network) * n);
  st_dataset_gather (dataset, samples, n, st_network_get_n_outputs (network), x, t);

  if (!st_network_compute_gradients (network, x, t, n, &cost, &error))
    return st_cli_fail (_("cannot compute the gradient"), error);

  g_print (_("cost %s\n"), st_format_double (cost, number));

  return write_layers (network, out_dir, TRUE) ? 0 : ST_CLI_EXIT_FAILURE;
}

int
st_cli_export (int    argc,
               char **argv)
{
  g_autofree char *out_dir = NULL;
  GOptionEntry entries[] = {
    { "out-dir", 0, 0, G_OPTION_ARG_FILENAME, &out_dir,
      N_("Folder for W1.mtx, b1.mtx, W2.mtx, … (required)"), N_("DIR") },
    { NULL },
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(StModel) model = NULL;
  StNetwork *network;

  context = st_cli_option_context_new (_("MODEL"), _("Writes the weights of each layer as "
                                                     "DIR/W<N>.mtx and its bias, if it has one, "
                                                     "as DIR/b<N>.mtx."), entries);
  if (!st_cli_parse (context, &argc, &argv, 1))
    return ST_CLI_EXIT_USAGE;
  if (out_dir == NULL)
    return st_cli_usage_error ("%s", _("--out-dir is required."));

  if ((model = st_cli_read_model (argv[1])) == NULL)
    return ST_CLI_EXIT_FAILURE;
  network = model->network;

  return write_layers (network, out_dir, FALSE) ? 0 : ST_CLI_EXIT_FAILURE;
}
