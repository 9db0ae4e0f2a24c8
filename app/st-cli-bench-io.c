/* st-cli-bench-io.c: "sparse-trainer-cli bench-io", timing model files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Saves and loads one large model several times and prints one JSON line
 * with the median times and the peak resident memory of each phase.  The
 * model is a single layer with a fixed fan-in, so its entry count is
 * exactly rows x fan-in, and it may carry Adam's two state arrays.
 */

#define G_LOG_DOMAIN "cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdlib.h>

#include "st-bench-timing.h"
#include "st-cli.h"
#include "st-process-memory.h"

typedef struct
{
  double median_s;
  guint64 peak_rss;    /* bytes, the largest over the repeats */
} Phase;

/* One plain SGD step leaves no optimizer state, one Adam step leaves two
 * arrays of nnz doubles; either way the model is what training saves. */
static StModel *
build_model (guint     rows,
             guint     cols,
             guint     fan_in,
             gboolean  with_state,
             GError  **error)
{
  g_autoptr(gsl_rng) rng = st_random_new (1);
  g_autoptr(StNetwork) network = st_network_new (ST_LOSS_HALF_MSE);
  g_autofree double *x = g_new0 (double, cols);
  g_autofree double *t = g_new0 (double, rows);
  StPatternSpec spec;
  StOptimizer adam;
  StLayer *layer;
  double cost;

  st_pattern_spec_init (&spec, ST_PATTERN_FAN_IN);
  spec.fan_in = fan_in;
  layer = st_pattern_generate (&spec, rows, cols, ST_LAYOUT_CSR, rng, error);
  if (layer == NULL)
    return NULL;

  st_init_weights (layer, ST_INIT_LECUN_UNIFORM, rng);
  if (!st_network_append_layer (network, layer, error))
    return NULL;

  st_optimizer_init_default (&adam, ST_OPTIMIZER_ADAM);
  if (with_state &&
      !st_network_train_step (network, x, t, 1, &adam, 1e-3, 0.0, &cost, error))
    return NULL;

  return st_model_new (g_steal_pointer (&network));
}

static gboolean
time_saves (const StModel  *model,
            const char     *path,
            guint           repeat,
            Phase          *phase,
            GError        **error)
{
  g_autofree double *times = g_new (double, repeat);

  phase->peak_rss = 0;
  for (guint k = 0; k < repeat; k++)
    {
      gint64 started;

      st_process_reset_peak_rss ();
      started = g_get_monotonic_time ();
      if (!st_model_write (model, path, NULL, NULL, NULL, error))
        return FALSE;

      times[k] = (g_get_monotonic_time () - started) / 1e6;
      phase->peak_rss = MAX (phase->peak_rss, st_process_get_peak_rss ());
    }

  phase->median_s = st_bench_median (times, repeat);
  return TRUE;
}

static gboolean
time_loads (GFile   *file,
            guint    repeat,
            Phase   *phase,
            GError **error)
{
  g_autofree double *times = g_new (double, repeat);

  phase->peak_rss = 0;
  for (guint k = 0; k < repeat; k++)
    {
      StModel *model;
      gint64 started;

      st_process_reset_peak_rss ();
      started = g_get_monotonic_time ();
      model = st_model_read (file, NULL, NULL, NULL, error);
      if (model == NULL)
        return FALSE;

      times[k] = (g_get_monotonic_time () - started) / 1e6;
      phase->peak_rss = MAX (phase->peak_rss, st_process_get_peak_rss ());
      st_model_free (model);
    }

  phase->median_s = st_bench_median (times, repeat);
  return TRUE;
}

static void
print_result (guint        rows,
              guint        cols,
              gsize        nnz,
              gboolean     with_state,
              guint64      file_bytes,
              guint        repeat,
              const Phase *save,
              const Phase *load)
{
  char number[4][ST_DOUBLE_BUFFER_SIZE];

  g_print ("{\"rows\":%u,\"cols\":%u,\"nnz\":%" G_GSIZE_FORMAT ",\"optimizer_state\":%s,"
           "\"file_bytes\":%" G_GUINT64_FORMAT ",\"repeat\":%u,",
           rows, cols, nnz, with_state ? "true" : "false", file_bytes, repeat);
  g_print ("\"save_median_s\":%s,\"save_peak_rss_bytes\":%" G_GUINT64_FORMAT ","
           "\"save_peak_rss_per_file_byte\":%s,",
           st_cli_number (save->median_s, "%.4f", number[0]), save->peak_rss,
           st_cli_number ((double) save->peak_rss / file_bytes, "%.3f", number[1]));
  g_print ("\"load_median_s\":%s,\"load_peak_rss_bytes\":%" G_GUINT64_FORMAT ","
           "\"load_peak_rss_per_file_byte\":%s}\n",
           st_cli_number (load->median_s, "%.4f", number[2]), load->peak_rss,
           st_cli_number ((double) load->peak_rss / file_bytes, "%.3f", number[3]));
}

int
st_cli_bench_io (int    argc,
                 char **argv)
{
  g_autofree char *dir = NULL;
  gint rows = 100000;
  gint cols = 100000;
  gint fan_in = 100;
  gint repeat = 3;
  gboolean with_state = FALSE;
  GOptionEntry entries[] = {
    { "rows", 0, 0, G_OPTION_ARG_INT, &rows,
      N_("Outputs of the layer (default 100000)"), N_("M") },
    { "cols", 0, 0, G_OPTION_ARG_INT, &cols,
      N_("Inputs of the layer (default 100000)"), N_("N") },
    { "fan-in", 0, 0, G_OPTION_ARG_INT, &fan_in,
      N_("Stored weights in each row; the model holds M × K (default 100)"), N_("K") },
    { "optimizer-state", 0, 0, G_OPTION_ARG_NONE, &with_state,
      N_("Take one Adam step first, so the file also holds two state arrays"), NULL },
    { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat,
      N_("Saves and loads to time (default 3)"), N_("R") },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir,
      N_("Folder for the model file, removed afterwards (default: the current folder)"),
      N_("DIR") },
    { NULL },
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(StModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *path = NULL;
  Phase save, load;
  gsize nnz;
  gboolean ok;

  context = st_cli_option_context_new (NULL, _("Times saving and loading one large model file "
                                               "and prints one JSON line."), entries);
  if (!st_cli_parse (context, &argc, &argv, 0))
    return ST_CLI_EXIT_USAGE;
  if (!st_cli_check_at_least ("--rows", rows, 1) || !st_cli_check_at_least ("--cols", cols, 1) ||
      !st_cli_check_at_least ("--fan-in", fan_in, 1) || !st_cli_check_at_least ("--repeat", repeat, 1))
    return ST_CLI_EXIT_USAGE;
  if (fan_in > cols)
    return st_cli_usage_error (_("--fan-in must be at most --cols (%d), not %d."), cols, fan_in);

  model = build_model ((guint) rows, (guint) cols, (guint) fan_in, with_state, &error);
  if (model == NULL)
    return st_cli_fail (_("cannot build the model"), error);
  nnz = st_layer_get_nnz (st_network_get_layer (model->network, 0));

  path = g_build_filename (dir ? dir : ".", "bench-io" ST_MODEL_EXTENSION, NULL);
  file = g_file_new_for_path (path);
  ok = time_saves (model, path, (guint) repeat, &save, &error);
  g_clear_pointer (&model, st_model_free);

  if (ok)
    info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, 0, NULL, &error);
  ok = info != NULL && time_loads (file, (guint) repeat, &load, &error);
  g_unlink (path);
  if (!ok)
    return st_cli_fail (_("the benchmark failed"), error);

  print_result ((guint) rows, (guint) cols, nnz, with_state, (guint64) g_file_info_get_size (info),
                (guint) repeat, &save, &load);
  return 0;
}
