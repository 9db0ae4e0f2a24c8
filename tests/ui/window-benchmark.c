/* window-benchmark.c: training speed and frame times of the real window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opens MODEL and DATA in a real window, sets the batch size and the
 * learning rate, trains as fast as possible for SECONDS after one second
 * of warm-up, and prints one JSON line: steps per second, and the frame
 * intervals and per-frame work times that the window logged through
 * SPARSE_TRAINER_FRAME_LOG.  build-aux/measure-window-speed runs it
 * under Xvfb and compares the steps per second with sparse-trainer-cli.
 *
 * Usage: window-benchmark MODEL DATA BATCH LEARNING_RATE SECONDS
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "window-test-utils.h"

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values,
            double  fraction)
{
  if (values->len == 0)
    return 0.0;

  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, MIN ((guint) (fraction * values->len), values->len - 1));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *log_path = g_build_filename (g_get_tmp_dir (), "sparse-trainer-frames.log", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GFile) model = NULL;
  g_autoptr(GFile) data = NULL;
  g_autoptr(GArray) intervals = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) durations = g_array_new (FALSE, FALSE, sizeof (double));
  Fixture fixture = { 0 };
  guint batch;
  double learning_rate, seconds, elapsed;
  guint64 first_step, last_step;
  gsize log_start = 0;
  guint over_budget = 0;
  gint64 started;
  int test_argc = 1;

  if (argc != 6)
    {
      g_printerr ("Usage: %s MODEL DATA BATCH LEARNING_RATE SECONDS\n", argv[0]);
      return 2;
    }

  model = g_file_new_for_commandline_arg (argv[1]);
  data = g_file_new_for_commandline_arg (argv[2]);
  batch = (guint) atoi (argv[3]);
  learning_rate = g_ascii_strtod (argv[4], NULL);
  seconds = g_ascii_strtod (argv[5], NULL);

  g_unlink (log_path);
  g_setenv ("SPARSE_TRAINER_FRAME_LOG", log_path, TRUE);
  test_init_application (&test_argc, &argv);
  fixture_set_up (&fixture, NULL);

  if (!st_window_open_model (fixture.window, model) || !st_window_open_dataset (fixture.window, data))
    return 1;

  change_state (&fixture, "batch-size", g_variant_new_uint32 (batch));
  change_state (&fixture, "learning-rate", g_variant_new_double (learning_rate));
  set_running (&fixture, TRUE);

  /* Warm up, then count steps and frames from here. */
  run_for (1000);
  first_step = read_step (&fixture);
  g_file_get_contents (log_path, &contents, &log_start, NULL);
  g_clear_pointer (&contents, g_free);
  started = g_get_monotonic_time ();
  run_for ((guint) (seconds * 1000));
  last_step = read_step (&fixture);
  elapsed = (g_get_monotonic_time () - started) / 1e6;
  pause_and_settle (&fixture);

  if (!g_file_get_contents (log_path, &contents, NULL, NULL))
    return 1;
  lines = g_strsplit (contents + MIN (log_start, strlen (contents)), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      double interval, duration;

      if (sscanf (lines[i], "%lf %lf", &interval, &duration) != 2)
        continue;
      g_array_append_val (intervals, interval);
      g_array_append_val (durations, duration);
      over_budget += duration > 1000.0 / 60;
    }

  g_print ("{\"steps\":%" G_GUINT64_FORMAT ",\"seconds\":%.3f,\"steps_per_s\":%.2f,\"frames\":%u,"
           "\"frames_per_s\":%.1f,\"frame_work_ms_p50\":%.2f,\"frame_work_ms_p95\":%.2f,"
           "\"frame_work_ms_max\":%.2f,\"frames_over_16_7_ms\":%u,\"frame_interval_ms_p50\":%.2f,"
           "\"frame_interval_ms_p95\":%.2f}\n",
           last_step - first_step, elapsed, (last_step - first_step) / elapsed, durations->len,
           durations->len / elapsed, percentile (durations, 0.5), percentile (durations, 0.95),
           percentile (durations, 1.0), over_budget, percentile (intervals, 0.5), percentile (intervals, 0.95));

  fixture_tear_down (&fixture, NULL);
  g_unlink (log_path);
  return 0;
}
