/* test-divergence.c: training that diverges, and the way back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One layer, W = [0, 0] (1 x 2, both entries stored), and three samples
 * (3, 4 -> 1), (1, -2 -> 0), (0.5, 6 -> 2), trained on the full batch at
 * rate 0.5.  The largest eigenvalue of the inputs' second moment is
 * 19.81, so any rate above 2 / 19.81 = 0.101 makes gradient descent grow
 * about 79-fold per epoch until the cost overflows.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "st-cost-plot.h"
#include "st-heatmap-raster.h"
#include "window-test-utils.h"

#define RATE 0.5

static const double inputs[3][2] = { { 3.0, 4.0 }, { 1.0, -2.0 }, { 0.5, 6.0 } };
static const double targets[3] = { 1.0, 0.0, 2.0 };

/* mean((y - t)^2) / 2 over the three samples, squared first as the
 * definition reads: near the overflow the order of the operations
 * decides in which epoch the cost becomes infinite. */
static double
reference_cost (const double w[2])
{
  double sum = 0.0;

  for (guint s = 0; s < 3; s++)
    {
      double r = w[0] * inputs[s][0] + w[1] * inputs[s][1] - targets[s];

      sum += r * r;
    }

  return sum / 3.0 / 2.0;
}

static void
reference_step (double w[2])
{
  double gradient[2] = { 0.0, 0.0 };

  for (guint s = 0; s < 3; s++)
    {
      double r = w[0] * inputs[s][0] + w[1] * inputs[s][1] - targets[s];

      gradient[0] += r * inputs[s][0] / 3.0;
      gradient[1] += r * inputs[s][1] / 3.0;
    }

  w[0] -= RATE * gradient[0];
  w[1] -= RATE * gradient[1];
}

/* Plain gradient descent on the same problem: the first epoch after
 * which the cost is no longer finite, and the weights after @at_step
 * steps. */
static guint
reference_run (guint   at_step,
               double  w_at_step[2])
{
  double w[2] = { 0.0, 0.0 };

  for (guint epoch = 1; epoch < 10000; epoch++)
    {
      reference_step (w);
      if (epoch == at_step)
        memcpy (w_at_step, w, sizeof w);
      if (!isfinite (reference_cost (w)))
        return epoch;
    }

  g_assert_not_reached ();
}

static void
write_text (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
}

/* The model file of W, built by the engine from a Matrix Market file. */
static void
write_model (const char *folder,
             const char *model_path)
{
  g_autofree char *mtx_path = g_build_filename (folder, "W.mtx", NULL);
  g_autoptr(GFile) mtx_file = g_file_new_for_path (mtx_path);
  g_autoptr(StMtx) mtx = NULL;
  g_autoptr(StNetwork) network = st_network_new (ST_LOSS_HALF_MSE);
  g_autoptr(GError) error = NULL;
  StLayer *layer;

  write_text (mtx_path, "%%MatrixMarket matrix coordinate real general\n1 2 2\n1 1 0.0\n1 2 0.0\n");
  mtx = st_mtx_read (mtx_file, NULL, &error);
  g_assert_no_error (error);
  layer = st_mtx_to_layer (mtx, ST_LAYOUT_CSR, &error);
  g_assert_no_error (error);
  g_assert_true (st_network_append_layer (network, layer, &error));
  g_assert_true (st_model_save (network, model_path, &error));
  g_assert_no_error (error);
}

static gboolean
job_ended (Fixture *fixture)
{
  return !g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "cancel-file-work") &&
         g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "open");
}

static void
open_file (Fixture    *fixture,
           const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);

  activate (fixture, "open-recent", g_variant_new_string (uri));
  g_assert_true (wait_for (fixture, job_ended, WAIT_MS));
  g_assert_false (has_message_dialog (fixture));
}

static GtkWidget *
get_widget (Fixture    *fixture,
            const char *name)
{
  GtkWidget *widget = find_widget_by_name (GTK_WIDGET (fixture->window), name);

  g_assert_nonnull (widget);
  return widget;
}

static gboolean
banner_shown (Fixture *fixture)
{
  return gtk_revealer_get_reveal_child (GTK_REVEALER (get_widget (fixture, "divergence-banner")));
}

static gboolean
is_settled (Fixture *fixture)
{
  return !st_window_get_busy (fixture->window);
}

static gboolean
is_running (Fixture *fixture)
{
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (fixture->window), "start");

  return g_variant_get_boolean (state);
}

static void
assert_all_finite (const double *values,
                   gsize         count)
{
  for (gsize k = 0; k < count; k++)
    g_assert_true (isfinite (values[k]));
}

/* Draws @plot on an image surface and checks that cairo reports no
 * error and that the curve left pixels of its own. */
static void
assert_plot_draws (StCostPlot *plot)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 200);
  cairo_t *cr = cairo_create (surface);
  guint drawn = 0;

  st_cost_plot_draw (plot, cr, 400, 200);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_flush (surface);

  for (int y = 0; y < 200; y++)
    {
      const guint32 *row = (const guint32 *) (gconstpointer) (cairo_image_surface_get_data (surface) +
                                                               y * cairo_image_surface_get_stride (surface));

      for (int x = 0; x < 400; x++)
        drawn += row[x] != 0;
    }
  g_assert_cmpuint (drawn, >, 400);

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* The colours of the heat map's two cells for @values, drawn at one
 * pixel per cell with the colour scale of their largest magnitude. */
static void
raster_colours (const double  values[2],
                guint32       colours[2])
{
  static const guint rows[2] = { 0, 0 };
  static const guint cols[2] = { 0, 1 };
  StHeatmapMatrix matrix = { 1, 2, 2, rows, cols, values };
  StHeatmapAxis x_axis, y_axis;
  StPalette palette;

  st_palette_init (&palette, FALSE, ST_COLOR_MAP_BLUE_RED);
  st_heatmap_axis_init (&x_axis, 2, 2, 1.0, 1.0);
  st_heatmap_axis_init (&y_axis, 1, 1, 1.0, 0.5);
  st_heatmap_raster_fill (&matrix, &x_axis, &y_axis, st_heatmap_raster_find_range (values, 2),
                          &palette, colours, 2);
}

/* Full-batch training at rate 0.5 stops after epoch 162 with a banner.
 * Its Restore button goes back to step 160, the newest snapshot with a
 * finite cost, and a save then writes only finite numbers. */
static void
test_divergence_restore (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *model_path = g_build_filename (fixture->scratch, "diverging.stmodel", NULL);
  g_autofree char *csv_path = g_build_filename (fixture->scratch, "data.csv", NULL);
  g_autofree char *plot_path = g_build_filename (fixture->scratch, "cost.png", NULL);
  g_autofree char *map_path = g_build_filename (fixture->scratch, "map.png", NULL);
  g_autofree char *expected_step = NULL;
  g_autofree char *restore_label = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GFile) model_file = g_file_new_for_path (model_path);
  g_autoptr(GFile) plot_file = g_file_new_for_path (plot_path);
  g_autoptr(GFile) map_file = g_file_new_for_path (map_path);
  g_autoptr(StNetwork) restored = NULL;
  g_autoptr(StModel) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  StCostPlot *plot = ST_COST_PLOT (find_widget_by_type (GTK_WIDGET (fixture->window), ST_TYPE_COST_PLOT));
  const char *message;
  double w160[2] = { NAN, NAN };
  guint diverged, interval, restore_step;
  StLayer *layer;
  const StHistory *history;
  gsize position;
  char *newline;

  /* The reference: the cost after epoch 162 overflows, and frames come
   * every 10 steps, so step 160 is the newest frame with a finite cost. */
  interval = g_settings_get_uint (settings, "snapshot-interval");
  g_assert_cmpuint (interval, ==, 10);
  diverged = reference_run (160, w160);
  g_assert_cmpuint (diverged, ==, 162);
  restore_step = (diverged - 1) / interval * interval;
  g_assert_cmpuint (restore_step, ==, 160);
  g_assert_true (isfinite (reference_cost (w160)));

  write_model (fixture->scratch, model_path);
  write_text (csv_path, "x1,x2,t\n3.0,4.0,1.0\n1.0,-2.0,0.0\n0.5,6.0,2.0\n");
  open_file (fixture, model_path);
  open_file (fixture, csv_path);
  change_state (fixture, "batch-size", g_variant_new_uint32 (3));
  change_state (fixture, "learning-rate", g_variant_new_double (RATE));

  set_running (fixture, TRUE);
  g_assert_true (wait_for (fixture, banner_shown, WAIT_MS));
  g_assert_true (wait_for (fixture, is_settled, WAIT_MS));
  g_assert_false (is_running (fixture));
  g_assert_false (has_message_dialog (fixture));

  /* The banner gives the step and the engine's advice. */
  expected_step = g_strdup_printf ("%u", diverged);
  g_assert_cmpstr (read_label (fixture, "step-value"), ==, expected_step);
  message = read_label (fixture, "divergence-message");
  g_test_message ("%s", message);
  g_assert_true (g_str_has_prefix (message, "Stopped at step 162. Training diverged"));
  g_assert_nonnull (strstr (message, "after epoch 162"));
  g_assert_nonnull (strstr (message, "the training cost is inf"));
  g_assert_nonnull (strstr (message, "Lower the learning rate (now 0.5)"));
  restore_label = g_strdup_printf ("_Restore Step %u", restore_step);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (get_widget (fixture, "divergence-restore"))), ==, restore_label);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "restore-finite-state"));

  /* The cost plot, whose costs reach 4.8e305, and the heat map still
   * draw, on screen and into files. */
  save_screenshot (fixture, NULL, "divergence.png");
  g_settings_set_string (settings, "style", "dark");
  save_screenshot (fixture, NULL, "divergence-dark.png");
  g_settings_set_string (settings, "style", "default");
  g_assert_true (st_window_export_cost (fixture->window, plot_file, ST_EXPORT_PNG));
  g_assert_true (st_window_export_heatmap (fixture->window, map_file, ST_EXPORT_PNG));
  assert_plot_draws (plot);
  change_state (fixture, "log-scale", g_variant_new_boolean (TRUE));
  assert_plot_draws (plot);
  change_state (fixture, "log-scale", g_variant_new_boolean (FALSE));

  /* Weights of 1e153, far beyond a float, keep the colours that their
   * ratio gives: the same as for weights a 1e150th of them. */
  {
    g_autoptr(StNetwork) diverged_network = st_window_copy_network (fixture->window);
    const double *values = st_layer_get_values (st_network_get_layer (diverged_network, 0));
    const double small[2] = { values[0] * 1e-150, values[1] * 1e-150 };
    guint32 huge_colours[2], small_colours[2];

    g_assert_cmpfloat (fabs (values[1]), >, 1e150);
    raster_colours (values, huge_colours);
    raster_colours (small, small_colours);
    g_assert_cmphex (huge_colours[0], ==, small_colours[0]);
    g_assert_cmphex (huge_colours[1], ==, small_colours[1]);
    g_assert_cmphex (huge_colours[0], !=, huge_colours[1]);
  }

  /* The user presses Restore. */
  g_signal_emit_by_name (get_widget (fixture, "divergence-restore"), "clicked");
  run_for (50);
  g_assert_false (banner_shown (fixture));
  g_assert_cmpuint (read_step (fixture), ==, restore_step);

  restored = st_window_copy_network (fixture->window);
  layer = st_network_get_layer (restored, 0);
  assert_all_finite (st_layer_get_values (layer), st_layer_get_nnz (layer));
  g_assert_true (st_layer_find_entry (layer, 0, 0, &position));
  g_assert_cmpfloat_with_epsilon (st_layer_get_values (layer)[position] / w160[0], 1.0, 1e-9);
  g_assert_true (st_layer_find_entry (layer, 0, 1, &position));
  g_assert_cmpfloat_with_epsilon (st_layer_get_values (layer)[position] / w160[1], 1.0, 1e-9);
  g_assert_true (isfinite (reference_cost (st_layer_get_values (layer))));

  /* Saving writes only finite weights and epoch costs. */
  activate (fixture, "save", NULL);
  g_assert_true (wait_for (fixture, job_ended, WAIT_MS));
  g_assert_false (st_window_get_modified (fixture->window));
  saved = st_model_read (model_file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  layer = st_network_get_layer (saved->network, 0);
  assert_all_finite (st_layer_get_values (layer), st_layer_get_nnz (layer));
  g_assert_cmpuint (saved->step, ==, restore_step);
  history = saved->history;
  g_assert_cmpuint (st_history_get_length (history), ==, restore_step);
  for (guint i = 0; i < st_history_get_length (history); i++)
    g_assert_true (isfinite (st_history_get (history, i)->train_cost));

  /* The header line has no "nan" or "inf" either. */
  g_assert_true (g_file_get_contents (model_path, &contents, NULL, &error));
  newline = strchr (strchr (contents, '\n') + 1, '\n');
  *newline = '\0';
  g_assert_null (strstr (contents, "nan"));
  g_assert_null (strstr (contents, "inf"));

  /* Costs near the largest double still give a finite axis. */
  st_cost_plot_append (plot, (const double[]) { 1e305, 1.7e308, INFINITY, NAN }, 4);
  assert_plot_draws (plot);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  test_init_application (&argc, &argv);

  g_test_add ("/ui/divergence/restore", Fixture, NULL, fixture_set_up, test_divergence_restore, fixture_tear_down);

  status = g_test_run ();

  g_clear_object (&test_application);
  return status;
}
