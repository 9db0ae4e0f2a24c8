/* screenshot-tool.c: the user guide's screenshots, from the real window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drives real windows through their actions into the states the user
 * guide shows and renders each to a PNG in OUTPUT_DIR.  The language
 * comes from the environment (LANG, SPARSE_TRAINER_LOCALEDIR), so
 * build-aux/make-screenshots runs it once per language.
 *
 * Usage: screenshot-tool OUTPUT_DIR
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "st-heatmap.h"
#include "st-lessons.h"
#include "window-test-utils.h"

static char *output_dir;

static gboolean
is_paused (Fixture *fixture)
{
  g_autoptr(GVariant) running = g_action_group_get_action_state (G_ACTION_GROUP (fixture->window), "start");

  return !g_variant_get_boolean (running) && !st_window_get_busy (fixture->window);
}

static void
shoot (Fixture    *fixture,
       GtkWidget  *widget,
       const char *name)
{
  g_autofree char *path = g_build_filename (output_dir, name, NULL);

  save_screenshot (fixture, widget, name);
  g_print ("%s\n", path);
}

static GtkWindow *
find_dialog (Fixture *fixture,
             GType    type)
{
  GtkWindow *dialog = NULL;

  for (guint i = 0; i < 200 && dialog == NULL; i++)
    {
      run_for (20);
      dialog = find_toplevel (fixture, type, NULL);
    }

  g_assert_nonnull (dialog);
  run_for (300);
  return dialog;
}

static StHeatmap *
get_heatmap (Fixture *fixture)
{
  return ST_HEATMAP (find_widget_by_type (GTK_WIDGET (fixture->window), ST_TYPE_HEATMAP));
}

/* The XOR lesson, trained to its goal, in the light and dark styles. */
static void
scene_lesson (Fixture  *fixture,
              gboolean  dark)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_assert_true (st_window_open_lesson (fixture->window, "xor"));
  set_running (fixture, TRUE);
  g_assert_true (wait_for (fixture, is_paused, WAIT_MS));
  st_heatmap_set_cursor (get_heatmap (fixture), 2, 1);
  shoot (fixture, NULL, dark ? "lesson-xor-dark.png" : "lesson-xor.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
}

/* The worked example after 3 steps with the storage arrays. */
static void
scene_storage (Fixture *fixture)
{
  step_to (fixture, 1);
  step_to (fixture, 2);
  step_to (fixture, 3);
  change_state (fixture, "show-storage", g_variant_new_boolean (TRUE));
  /* The cursor highlights the entry in the arrays, the highlight in the
   * heat map. */
  st_heatmap_set_cursor (get_heatmap (fixture), 1, 0);
  st_heatmap_set_highlight (get_heatmap (fixture), 1, 0);
  shoot (fixture, NULL, "worked-example-storage.png");

  /* The same window, before the steps, is the README's picture. */
  activate (fixture, "check-gradients", NULL);
  shoot (fixture, gtk_window_get_child (find_dialog (fixture, ADW_TYPE_MESSAGE_DIALOG)), "gradient-check.png");
}

/* The digits lesson: layer 1's local receptive fields, zoomed in. */
static void
scene_digits (Fixture *fixture)
{
  if (!g_file_test (ST_DIGITS_CSV, G_FILE_TEST_EXISTS) || !st_window_open_lesson (fixture->window, "digits"))
    return;

  change_state (fixture, "epochs", g_variant_new_uint32 (10));
  set_running (fixture, TRUE);
  g_assert_true (wait_for (fixture, is_paused, WAIT_MS));
  activate (fixture, "zoom-in", NULL);
  activate (fixture, "zoom-in", NULL);
  activate (fixture, "zoom-in", NULL);
  st_heatmap_center_on (get_heatmap (fixture), 20, 32);
  shoot (fixture, NULL, "digits-zoomed.png");
}

/* A 4096 x 4096 layer at 1 % density: each pixel bins many cells. */
static void
scene_large (Fixture *fixture)
{
  g_autoptr(gsl_rng) rng = st_random_new (1);
  g_autoptr(StNetwork) network = st_network_new (ST_LOSS_HALF_MSE);
  g_autofree char *path = g_build_filename (fixture->scratch, "large.stmodel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  StPatternSpec spec;
  StLayer *layer;

  st_pattern_spec_init (&spec, ST_PATTERN_BANDED);
  spec.half_width = 40;
  layer = st_pattern_generate (&spec, 4096, 4096, ST_LAYOUT_CSR, rng, &error);
  g_assert_no_error (error);
  st_init_weights (layer, ST_INIT_LECUN_UNIFORM, rng);
  st_network_append_layer (network, layer, NULL);
  g_assert_true (st_model_save (network, path, &error));
  g_assert_true (st_window_open_model (fixture->window, file));
  shoot (fixture, NULL, "large-layer.png");
}

/* The history timeline at a past step. */
static void
scene_history (Fixture *fixture)
{
  g_assert_true (st_window_open_lesson (fixture->window, "sine"));
  change_state (fixture, "epochs", g_variant_new_uint32 (60));
  set_running (fixture, TRUE);
  g_assert_true (wait_for (fixture, is_paused, WAIT_MS));
  activate (fixture, "history-position", g_variant_new_uint32 (st_window_get_n_frames (fixture->window) / 3));
  shoot (fixture, NULL, "history.png");

  activate (fixture, "compare-layouts", NULL);
  for (guint i = 0; i < 500; i++)
    {
      GtkWindow *dialog = find_toplevel (fixture, ADW_TYPE_WINDOW, "compare-layouts");

      if (dialog != NULL && g_object_get_data (G_OBJECT (dialog), "st-largest-difference") != NULL)
        {
          run_for (300);
          shoot (fixture, gtk_window_get_child (dialog), "compare-layouts.png");
          break;
        }
      run_for (20);
    }
}

static void
scene_generators (Fixture *fixture)
{
  GtkWindow *dialog;

  change_state (fixture, "dataset", g_variant_new_string ("bars-stripes"));
  activate (fixture, "generators", NULL);
  dialog = find_dialog (fixture, ADW_TYPE_WINDOW);
  shoot (fixture, gtk_window_get_child (dialog), "generators.png");
  gtk_window_destroy (dialog);

  g_action_group_activate_action (G_ACTION_GROUP (test_application), "preferences", NULL);
  dialog = find_dialog (fixture, ADW_TYPE_PREFERENCES_WINDOW);
  shoot (fixture, gtk_window_get_child (dialog), "preferences.png");
  gtk_window_destroy (dialog);
}

typedef void (*Scene) (Fixture *fixture);

static void
run_scene (Scene scene)
{
  Fixture fixture = { 0 };

  fixture_set_up (&fixture, NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture.window), 1280, 800);
  run_for (300);
  scene (&fixture);
  fixture_tear_down (&fixture, NULL);
}

static void
scene_lesson_light (Fixture *fixture)
{
  scene_lesson (fixture, FALSE);
}

static void
scene_lesson_dark (Fixture *fixture)
{
  scene_lesson (fixture, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  const char *locale_dir = g_getenv ("SPARSE_TRAINER_LOCALEDIR");
  int test_argc = 1;

  if (argc != 2)
    {
      g_printerr ("Usage: %s OUTPUT_DIR\n", argv[0]);
      return 2;
    }

  output_dir = g_strdup (argv[1]);
  g_mkdir_with_parents (output_dir, 0755);

  /* save_screenshot() writes to ST_TEST_SCREENSHOT_DIR. */
  g_setenv ("ST_TEST_SCREENSHOT_DIR", output_dir, TRUE);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, locale_dir != NULL ? locale_dir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  test_init_application (&test_argc, &argv);
  run_scene (scene_lesson_light);
  run_scene (scene_lesson_dark);
  run_scene (scene_storage);
  run_scene (scene_digits);
  run_scene (scene_large);
  run_scene (scene_history);
  run_scene (scene_generators);

  g_clear_object (&test_application);
  return 0;
}
