/* test-features.c: the window's features, driven through their actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every test starts on the worked example (W = [[0, 0.5], [0.5, 0]],
 * x = (4, 2), t = (2, 4), SGD at rate 0.1, batch 1), except those that
 * open a lesson or a built-in data set first.
 */

/* For sched_getaffinity(), which counts the processors independently of
 * GLib. */
#define _GNU_SOURCE

#include "config.h"

#include <math.h>
#include <sched.h>
#include <string.h>

#include "st-cost-plot.h"
#include "st-generator-dialog.h"
#include "st-heatmap.h"
#include "st-legend-bar.h"
#include "st-lessons.h"
#include "st-palette.h"
#include "st-storage-view.h"
#include "window-test-utils.h"

static StHeatmap *
get_heatmap (Fixture *fixture)
{
  GtkWidget *heatmap = find_widget_by_type (GTK_WIDGET (fixture->window), ST_TYPE_HEATMAP);

  g_assert_nonnull (heatmap);
  return ST_HEATMAP (heatmap);
}

static gsize
layer_nnz (Fixture *fixture,
           guint    index)
{
  g_autoptr(StNetwork) network = st_window_copy_network (fixture->window);

  return st_layer_get_nnz (st_network_get_layer (network, index));
}

static double
entry_value (Fixture *fixture,
             guint    row,
             guint    col)
{
  g_autoptr(StNetwork) network = st_window_copy_network (fixture->window);
  StLayer *layer = st_network_get_layer (network, 0);
  gsize position;

  g_assert_true (st_layer_find_entry (layer, row, col, &position));
  return st_layer_get_values (layer)[position];
}

static void
emit_cells (Fixture  *fixture,
            gboolean  add,
            guint     n,
            const guint *rows,
            const guint *cols)
{
  g_autoptr(GArray) cells = g_array_new (FALSE, FALSE, sizeof (StHeatmapCell));

  for (guint i = 0; i < n; i++)
    {
      StHeatmapCell cell = { rows[i], cols[i] };

      g_array_append_val (cells, cell);
    }
  g_signal_emit_by_name (get_heatmap (fixture), "edit-cells", add, cells);
}

/* Drawing, erasing and rectangles, each undone and redone. */
static void
test_edit_undo (Fixture       *fixture,
                gconstpointer  data)
{
  static const guint diagonal[] = { 0, 1 };
  double trained_a;

  /* Train a step so that undo must keep trained values. */
  step_to (fixture, 1);
  trained_a = entry_value (fixture, 0, 1);
  g_assert_cmpfloat_with_epsilon (trained_a, 0.6, 1e-12);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "undo"));

  /* Draw both diagonal cells: 4 stored entries with initial weights. */
  change_state (fixture, "tool", g_variant_new_string ("draw"));
  emit_cells (fixture, TRUE, 2, diagonal, diagonal);
  g_assert_cmpuint (layer_nnz (fixture, 0), ==, 4);
  g_assert_cmpfloat (entry_value (fixture, 0, 1), ==, trained_a);
  g_assert_cmpfloat (fabs (entry_value (fixture, 0, 0)), >, 0.0);
  g_assert_nonnull (strstr (read_label (fixture, "pattern-stats"), "4 stored"));
  g_assert_cmpuint (read_step (fixture), ==, 1);

  /* Undo removes them again and keeps the trained weights. */
  activate (fixture, "undo", NULL);
  g_assert_cmpuint (layer_nnz (fixture, 0), ==, 2);
  g_assert_cmpfloat (entry_value (fixture, 0, 1), ==, trained_a);
  g_assert_nonnull (strstr (read_label (fixture, "pattern-stats"), "2 stored"));

  activate (fixture, "redo", NULL);
  g_assert_cmpuint (layer_nnz (fixture, 0), ==, 4);

  /* An erase rectangle over the first row removes (0, 0) and (0, 1). */
  g_signal_emit_by_name (get_heatmap (fixture), "edit-rectangle", FALSE, 0u, 0u, 0u, 1u);
  g_assert_cmpuint (layer_nnz (fixture, 0), ==, 2);

  /* Undo brings (0, 1) back with its trained value. */
  activate (fixture, "undo", NULL);
  g_assert_cmpuint (layer_nnz (fixture, 0), ==, 4);
  g_assert_cmpfloat (entry_value (fixture, 0, 1), ==, trained_a);

  /* Invert turns the full layer into an empty one, and undo brings it
   * back.  Clear empties it too; undoing the clear and then the drawing
   * returns to the two trained entries. */
  activate (fixture, "invert-pattern", NULL);
  g_assert_cmpuint (layer_nnz (fixture, 0), ==, 0);
  activate (fixture, "undo", NULL);
  g_assert_cmpuint (layer_nnz (fixture, 0), ==, 4);
  activate (fixture, "clear-pattern", NULL);
  g_assert_cmpuint (layer_nnz (fixture, 0), ==, 0);
  activate (fixture, "undo", NULL);
  activate (fixture, "undo", NULL);
  g_assert_cmpuint (layer_nnz (fixture, 0), ==, 2);
  g_assert_cmpfloat (entry_value (fixture, 0, 1), ==, trained_a);

  /* Reset asks first, since the trained weights are not saved, then
   * returns to the start weights of the edited pattern. */
  activate (fixture, "reset", NULL);
  g_assert_true (wait_for (fixture, has_message_dialog, WAIT_MS));
  close_message_dialog (fixture, "cancel");
  g_assert_cmpfloat (entry_value (fixture, 0, 1), ==, trained_a);
  activate (fixture, "reset", NULL);
  g_assert_true (wait_for (fixture, has_message_dialog, WAIT_MS));
  close_message_dialog (fixture, "reset");
  g_assert_cmpfloat (entry_value (fixture, 0, 1), ==, 0.5);

  /* Editing is off while training runs. */
  set_running (fixture, TRUE);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "invert-pattern"));
  pause_and_settle (fixture);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "invert-pattern"));
  g_assert_true (st_window_get_modified (fixture->window));
}

static gboolean
is_bars_model (Fixture *fixture)
{
  g_autoptr(StNetwork) network = st_window_copy_network (fixture->window);

  return st_network_get_n_inputs (network) == 64;
}

/* A built-in data set that does not fit the model brings a network that
 * does, and the zoom controls show fewer cells, then all again. */
static void
test_zoom (Fixture       *fixture,
           gconstpointer  data)
{
  StHeatmap *heatmap = get_heatmap (fixture);
  guint first_row, last_row, first_col, last_col;
  double zoom;

  change_state (fixture, "dataset", g_variant_new_string ("bars-stripes"));
  g_assert_true (wait_for (fixture, is_bars_model, WAIT_MS));
  g_assert_cmpuint (st_heatmap_get_cols (heatmap), ==, 64);
  g_assert_cmpuint (st_heatmap_get_rows (heatmap), ==, 16);
  run_for (100);

  g_assert_true (st_heatmap_get_visible_cells (heatmap, &first_row, &last_row, &first_col, &last_col));
  g_assert_cmpuint (first_col, ==, 0);
  g_assert_cmpuint (last_col, ==, 63);

  activate (fixture, "zoom-in", NULL);
  activate (fixture, "zoom-in", NULL);
  activate (fixture, "zoom-in", NULL);
  zoom = st_heatmap_get_zoom (heatmap);
  g_assert_cmpfloat (zoom, >, 2.0);
  g_assert_true (st_heatmap_get_visible_cells (heatmap, &first_row, &last_row, &first_col, &last_col));
  g_assert_cmpuint (last_col - first_col + 1, <, 64);

  /* Ctrl+scroll at a point zooms around it; panning moves the view. */
  st_heatmap_zoom_at (heatmap, 2.0, 10, 10);
  g_assert_cmpfloat (st_heatmap_get_zoom (heatmap), >, zoom);
  st_heatmap_pan (heatmap, 200, 0);
  g_assert_true (st_heatmap_get_visible_cells (heatmap, &first_row, &last_row, &first_col, &last_col));
  g_assert_cmpuint (first_col, >, 0);

  activate (fixture, "zoom-out", NULL);
  activate (fixture, "zoom-fit", NULL);
  g_assert_cmpfloat (st_heatmap_get_zoom (heatmap), ==, 1.0);
  g_assert_true (st_heatmap_get_visible_cells (heatmap, &first_row, &last_row, &first_col, &last_col));
  g_assert_cmpuint (first_col, ==, 0);
  g_assert_cmpuint (last_col, ==, 63);

  /* The keyboard cursor reads out the entry under it. */
  st_heatmap_set_cursor (heatmap, 0, 0);
  g_assert_nonnull (strstr (read_label (fixture, "heatmap-readout"), "Row 1, column 1"));
}

static gboolean
reached_step_40 (Fixture *fixture)
{
  return read_step (fixture) >= 40;
}

/* Snapshots every 5 steps; the slider goes back and Restore continues
 * from there. */
static void
test_history (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  GtkWidget *plot = find_widget_by_type (GTK_WIDGET (fixture->window), ST_TYPE_COST_PLOT);
  guint n_frames;
  double a;

  g_settings_set_uint (settings, "snapshot-interval", 5);
  activate (fixture, "reset", NULL);
  change_state (fixture, "epochs", g_variant_new_uint32 (40));
  set_running (fixture, TRUE);
  g_assert_true (wait_for (fixture, reached_step_40, WAIT_MS));
  pause_and_settle (fixture);
  g_assert_cmpuint (read_step (fixture), ==, 40);

  /* Frames at steps 0, 5, ..., 40. */
  n_frames = st_window_get_n_frames (fixture->window);
  g_assert_cmpuint (n_frames, ==, 9);

  /* Frame 2 is step 10: the labels go back and the heat map with them. */
  activate (fixture, "history-position", g_variant_new_uint32 (2));
  g_assert_cmpstr (read_label (fixture, "step-value"), ==, "10");
  g_assert_cmpstr (read_label (fixture, "timeline-value"), ==, "Step 10");
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "restore-state"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "invert-pattern"));

  /* Back to the newest state, then restore step 10 without the dialog. */
  activate (fixture, "history-live", NULL);
  g_assert_cmpstr (read_label (fixture, "step-value"), ==, "40");
  g_assert_true (st_window_restore_frame (fixture->window, 2));
  g_assert_cmpuint (read_step (fixture), ==, 10);
  g_assert_cmpuint (st_window_get_n_frames (fixture->window), ==, 3);
  g_assert_cmpuint (st_cost_plot_get_n_steps (ST_COST_PLOT (plot)), ==, 10);

  /* The weights are those of step 10: a = 1 - 0.5 * 0.8^10. */
  a = entry_value (fixture, 0, 1);
  g_assert_cmpfloat_with_epsilon (a, 1.0 - 0.5 * pow (0.8, 10), 1e-12);

  /* Training continues from step 10 with SGD, which has no state: the
   * next step gives the same weights as the first run did. */
  step_to (fixture, 11);
  g_assert_cmpfloat_with_epsilon (entry_value (fixture, 0, 1), 1.0 - 0.5 * pow (0.8, 11), 1e-12);
}

static gboolean
file_has_prefix (const char *path,
                 const char *prefix)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;

  return length >= strlen (prefix) && memcmp (contents, prefix, strlen (prefix)) == 0;
}

static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  static const char *const extensions[] = { "png", "svg", "pdf" };
  static const char *const signatures[] = { "\x89PNG", "<?xml", "%PDF" };
  g_autofree char *csv_path = g_build_filename (fixture->scratch, "cost.csv", NULL);
  g_autoptr(GFile) csv = g_file_new_for_path (csv_path);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  step_to (fixture, 1);
  step_to (fixture, 2);
  step_to (fixture, 3);

  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    {
      g_autofree char *map_name = g_strconcat ("map.", extensions[i], NULL);
      g_autofree char *plot_name = g_strconcat ("plot.", extensions[i], NULL);
      g_autofree char *map_path = g_build_filename (fixture->scratch, map_name, NULL);
      g_autofree char *plot_path = g_build_filename (fixture->scratch, plot_name, NULL);
      g_autoptr(GFile) map = g_file_new_for_path (map_path);
      g_autoptr(GFile) plot = g_file_new_for_path (plot_path);

      g_assert_true (st_window_export_heatmap (fixture->window, map, (StExportFormat) i));
      g_assert_true (st_window_export_cost (fixture->window, plot, (StExportFormat) i));
      g_assert_true (file_has_prefix (map_path, signatures[i]));
      g_assert_true (file_has_prefix (plot_path, signatures[i]));
    }

  /* The worked example ends an epoch every step: one row per step with
   * its batch cost and the epoch's costs. */
  g_assert_true (st_window_export_cost (fixture->window, csv, ST_EXPORT_CSV));
  g_assert_true (g_file_get_contents (csv_path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "step,batch_cost_min,batch_cost_max,epoch,train_cost,test_cost,test_accuracy");
  g_test_message ("%s", lines[1]);
  g_assert_true (g_str_has_prefix (lines[1], "1,1.25,1.25,1,0.2"));
  g_assert_true (g_str_has_prefix (lines[3], "3,"));
  g_assert_cmpstr (lines[4], ==, "");
}

static void
test_presentation (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);

  change_state (fixture, "presentation", g_variant_new_boolean (TRUE));
  g_assert_true (gtk_widget_has_css_class (window, "presentation"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "leave-presentation"));
  run_for (300);
  save_screenshot (fixture, NULL, "ui-presentation.png");

  activate (fixture, "leave-presentation", NULL);
  g_assert_false (gtk_widget_has_css_class (window, "presentation"));
}

static gboolean
has_gradient_dialog (Fixture *fixture)
{
  return find_toplevel (fixture, ADW_TYPE_MESSAGE_DIALOG, "gradient-check") != NULL;
}

static void
test_gradient_check (Fixture       *fixture,
                     gconstpointer  data)
{
  AdwMessageDialog *dialog;

  step_to (fixture, 1);
  activate (fixture, "check-gradients", NULL);
  g_assert_true (wait_for (fixture, has_gradient_dialog, WAIT_MS));

  dialog = ADW_MESSAGE_DIALOG (find_toplevel (fixture, ADW_TYPE_MESSAGE_DIALOG, "gradient-check"));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "The Gradients Agree");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Layer 1: largest relative error"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "2 entries compared"));
  close_message_dialog (fixture, "close");
}

static gboolean
compare_finished (Fixture *fixture)
{
  GtkWindow *dialog = find_toplevel (fixture, ADW_TYPE_WINDOW, "compare-layouts");

  return dialog != NULL && g_object_get_data (G_OBJECT (dialog), "st-largest-difference") != NULL;
}

static void
test_compare_layouts (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkWindow *dialog;

  activate (fixture, "compare-layouts", NULL);
  g_assert_true (wait_for (fixture, compare_finished, WAIT_MS));

  dialog = find_toplevel (fixture, ADW_TYPE_WINDOW, "compare-layouts");
  g_assert_cmpint (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "st-largest-difference")), ==, 1);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (find_widget_by_name (GTK_WIDGET (dialog), "compare-result"))),
                            "identical"));
  save_screenshot (fixture, gtk_window_get_child (dialog), "ui-compare-layouts.png");
}

/* The worked example in CSR: row pointers 0 1 2, columns 1 0. */
static void
test_storage_view (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWidget *view;
  g_autofree char *csr = NULL;
  g_autofree char *csc = NULL;

  change_state (fixture, "show-storage", g_variant_new_boolean (TRUE));
  view = find_widget_by_type (GTK_WIDGET (fixture->window), ST_TYPE_STORAGE_VIEW);
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (gtk_widget_get_parent (view))) ||
                 gtk_widget_get_visible (gtk_widget_get_parent (view)));

  csr = st_storage_view_describe (ST_STORAGE_VIEW (view));
  g_assert_nonnull (strstr (csr, "Row pointers: where each row starts: 0 1 2"));
  g_assert_nonnull (strstr (csr, "Column indices: 1 0"));

  activate (fixture, "layer-layout", g_variant_new ("(us)", 0, "csc"));
  csc = st_storage_view_describe (ST_STORAGE_VIEW (view));
  g_assert_nonnull (strstr (csc, "Column pointers: where each column starts: 0 1 2"));
  g_assert_nonnull (strstr (csc, "Row indices: 1 0"));

  /* Training in CSC gives the same step as in CSR. */
  step_to (fixture, 1);
  g_assert_cmpfloat_with_epsilon (entry_value (fixture, 0, 1), 0.6, 1e-15);
  save_screenshot (fixture, NULL, "ui-storage-view.png");
}

static gboolean
goal_reached (Fixture *fixture)
{
  return g_strcmp0 (read_label (fixture, "lesson-goal"), "Reached") == 0;
}

static gboolean
is_settled_and_paused (Fixture *fixture)
{
  g_autoptr(GVariant) running = g_action_group_get_action_state (G_ACTION_GROUP (fixture->window), "start");

  return !g_variant_get_boolean (running) && !st_window_get_busy (fixture->window);
}

/* The XOR lesson reaches its stated goal, 100 % test accuracy, within
 * its 40 epochs. */
static void
test_lesson_xor (Fixture       *fixture,
                 gconstpointer  data)
{
  g_assert_true (st_window_open_lesson (fixture->window, "xor"));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (fixture->window)), ==,
                   "XOR with a sparse hidden layer – Sparse Trainer");
  g_assert_cmpstr (read_label (fixture, "lesson-goal"), ==, "Not yet");

  set_running (fixture, TRUE);
  g_assert_true (wait_for (fixture, is_settled_and_paused, WAIT_MS));
  g_assert_cmpstr (read_label (fixture, "epoch-value"), ==, "40");
  g_assert_true (goal_reached (fixture));
  g_assert_cmpstr (read_label (fixture, "accuracy-value"), ==, "100.0 %");
  save_screenshot (fixture, NULL, "ui-lesson-xor.png");
}

/* Every lesson loads, model and data fitting each other. */
static void
test_lessons_load (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char *const ids[] = { "worked-example", "xor", "digits", "autoencoder", "sine" };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      if (g_str_equal (ids[i], "digits") && !g_file_test (ST_DIGITS_CSV, G_FILE_TEST_EXISTS))
        {
          g_test_message ("%s is missing; the digits lesson is not checked", ST_DIGITS_CSV);
          continue;
        }

      g_assert_true (st_window_open_lesson (fixture->window, ids[i]));
      g_assert_false (has_message_dialog (fixture));
      g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "start"));
    }
}

/* Every control and drawing area has a name for screen readers. */
static void
check_accessible_names (GtkWidget *widget,
                        guint     *checked)
{
  if (!gtk_widget_get_visible (widget))
    return;

  if ((GTK_IS_BUTTON (widget) && !GTK_IS_LINK_BUTTON (widget)) || GTK_IS_SPIN_BUTTON (widget) ||
      GTK_IS_DROP_DOWN (widget) || GTK_IS_SWITCH (widget) || GTK_IS_SCALE (widget) ||
      ST_IS_HEATMAP (widget) || ST_IS_COST_PLOT (widget) || GTK_IS_MENU_BUTTON (widget))
    {
      gboolean named = gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) ||
                       gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);

      /* A button with a text label is named by it. */
      if (!named && GTK_IS_BUTTON (widget))
        named = gtk_button_get_label (GTK_BUTTON (widget)) != NULL ||
                find_widget_by_type (widget, GTK_TYPE_LABEL) != NULL;
      if (!named && GTK_IS_MENU_BUTTON (widget))
        named = gtk_menu_button_get_label (GTK_MENU_BUTTON (widget)) != NULL;
      /* Widgets inside a row with a title are named by the row. */
      if (!named)
        named = gtk_widget_get_ancestor (widget, ADW_TYPE_ACTION_ROW) != NULL &&
                !GTK_IS_BUTTON (widget);

      if (!named)
        g_test_message ("Unnamed %s (%s)", G_OBJECT_TYPE_NAME (widget),
                        gtk_widget_get_tooltip_text (widget) != NULL ? gtk_widget_get_tooltip_text (widget) : "");
      g_assert_true (named);
      (*checked)++;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_accessible_names (child, checked);
}

static void
test_accessible_names (Fixture       *fixture,
                       gconstpointer  data)
{
  guint checked = 0;

  check_accessible_names (GTK_WIDGET (fixture->window), &checked);
  g_test_message ("%u controls have accessible names", checked);
  g_assert_cmpuint (checked, >, 30);
}

/* Choosing a built-in data set.  XOR fits the worked example's 2 x 2
 * layer, which stays.  Three Gaussian blobs need three outputs, so they
 * get a 2-8-3 network. */
static void
test_builtin_data (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(StNetwork) network = NULL;
  g_autoptr(StNetwork) blobs = NULL;

  change_state (fixture, "dataset", g_variant_new_string ("xor"));
  network = st_window_copy_network (fixture->window);
  g_assert_cmpuint (st_network_get_n_layers (network), ==, 1);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "start"));

  change_state (fixture, "dataset", g_variant_new_string ("blobs"));
  blobs = st_window_copy_network (fixture->window);
  g_assert_cmpuint (st_network_get_n_layers (blobs), ==, 2);
  g_assert_cmpuint (st_network_get_n_inputs (blobs), ==, 2);
  g_assert_cmpuint (st_network_get_n_outputs (blobs), ==, 3);
  g_assert_nonnull (strstr (read_label (fixture, "weights-value"), "Stored weights"));

  /* More samples keep the model and draw the set again. */
  change_state (fixture, "test-split", g_variant_new_double (25.0));
  change_state (fixture, "samples", g_variant_new_uint32 (400));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "start"));
  step_to (fixture, 1);
}

static GtkWindow *
wait_for_dialog (Fixture    *fixture,
                 const char *title)
{
  for (guint i = 0; i < 500; i++)
    {
      GtkWindow *dialog = find_toplevel (fixture, ADW_TYPE_WINDOW, NULL);

      if (dialog != NULL && g_strcmp0 (gtk_window_get_title (dialog), title) == 0)
        return dialog;
      run_for (10);
    }

  return NULL;
}

/* The generators replace the layer's pattern, undoably; a generator
 * that cannot make the layer's shape keeps Apply off. */
static void
test_generators (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkWindow *dialog;

  activate (fixture, "generators", NULL);
  dialog = wait_for_dialog (fixture, "Generate Pattern");
  g_assert_nonnull (dialog);

  /* Local fields over an 8 x 8 image cannot make a 2 x 2 layer. */
  st_generator_dialog_set_kind (dialog, ST_PATTERN_LOCAL);
  g_assert_false (st_generator_dialog_apply (dialog));

  /* The full pattern stores all 4 positions. */
  st_generator_dialog_set_kind (dialog, ST_PATTERN_FULL);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (find_widget_by_name (GTK_WIDGET (dialog), "generator-stats"))),
                            "4 stored"));
  g_assert_true (st_generator_dialog_apply (dialog));
  g_assert_cmpuint (layer_nnz (fixture, 0), ==, 4);

  activate (fixture, "undo", NULL);
  g_assert_cmpuint (layer_nnz (fixture, 0), ==, 2);
  g_assert_cmpfloat (entry_value (fixture, 0, 1), ==, 0.5);
}

/* The threads row names the processors this process may use, counted
 * here from the kernel's affinity mask, and its spin button stops at
 * the schema's maximum. */
static void
test_preferences_threads (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaKey) key = NULL;
  g_autoptr(GVariant) range = NULL;
  g_autoptr(GVariant) limits = NULL;
  g_autofree char *expected = NULL;
  const char *type;
  cpu_set_t mask;
  GtkWindow *preferences;
  GtkWidget *row;
  GtkWidget *spin;
  guint lowest;
  guint highest;

  g_assert_cmpint (sched_getaffinity (0, sizeof mask, &mask), ==, 0);
  expected = g_strdup_printf (" %d processor", CPU_COUNT (&mask));

  g_action_group_activate_action (G_ACTION_GROUP (test_application), "preferences", NULL);
  run_for (100);
  preferences = find_toplevel (fixture, ADW_TYPE_PREFERENCES_WINDOW, "preferences");
  g_assert_nonnull (preferences);

  row = find_widget_by_name (GTK_WIDGET (preferences), "threads");
  g_assert_true (ADW_IS_ACTION_ROW (row));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), expected));

  schema = g_settings_schema_source_lookup (g_settings_schema_source_get_default (),
                                            APPLICATION_ID, TRUE);
  key = g_settings_schema_get_key (schema, "threads");
  range = g_settings_schema_key_get_range (key);
  g_variant_get (range, "(&sv)", &type, &limits);
  g_assert_cmpstr (type, ==, "range");
  g_variant_get (limits, "(uu)", &lowest, &highest);

  spin = find_widget_by_type (row, GTK_TYPE_SPIN_BUTTON);
  g_assert_nonnull (spin);
  g_assert_cmpfloat (gtk_adjustment_get_upper (gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (spin))),
                     ==, highest);
  gtk_window_destroy (preferences);
}

/* Opens New Network and returns its dialog. */
static GtkWindow *
open_new_network (Fixture *fixture)
{
  GtkWindow *dialog;

  activate (fixture, "new-network", NULL);
  dialog = wait_for_dialog (fixture, "New Network");
  g_assert_nonnull (dialog);
  return dialog;
}

/* New Network builds a 2-16-2 network for the worked example's data
 * after the question about unsaved changes. */
static void
test_new_network (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(StNetwork) network = NULL;
  GtkWindow *dialog;

  step_to (fixture, 1);
  dialog = open_new_network (fixture);

  st_generator_dialog_set_hidden (dialog, "16");
  st_generator_dialog_set_kind (dialog, ST_PATTERN_FAN_IN);
  st_generator_dialog_set_parameter (dialog, "fan-in", 1);
  g_assert_true (st_generator_dialog_apply (dialog));

  /* The worked example has unsaved changes: the window asks first. */
  g_assert_true (wait_for (fixture, has_message_dialog, WAIT_MS));
  close_message_dialog (fixture, "discard");
  run_for (50);

  network = st_window_copy_network (fixture->window);
  g_assert_cmpuint (st_network_get_n_layers (network), ==, 2);
  g_assert_cmpuint (st_layer_get_rows (st_network_get_layer (network, 0)), ==, 16);
  g_assert_cmpuint (st_layer_get_nnz (st_network_get_layer (network, 0)), ==, 16);
  g_assert_cmpstr (read_label (fixture, "step-value"), ==, "0");
  g_assert_false (st_window_get_modified (fixture->window));
}

/* Hidden widths typed with a Chinese input method's commas, full-width
 * "，" and enumeration "、", build the same network as with ",". */
static void
test_new_network_chinese_commas (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(StNetwork) network = NULL;
  GtkWindow *dialog;

  dialog = open_new_network (fixture);

  st_generator_dialog_set_hidden (dialog, "8，4、3");
  st_generator_dialog_set_kind (dialog, ST_PATTERN_FAN_IN);
  st_generator_dialog_set_parameter (dialog, "fan-in", 1);
  g_assert_true (st_generator_dialog_apply (dialog));
  run_for (50);

  network = st_window_copy_network (fixture->window);
  g_assert_cmpuint (st_network_get_n_layers (network), ==, 4);
  g_assert_cmpuint (st_layer_get_rows (st_network_get_layer (network, 0)), ==, 8);
  g_assert_cmpuint (st_layer_get_rows (st_network_get_layer (network, 1)), ==, 4);
  g_assert_cmpuint (st_layer_get_rows (st_network_get_layer (network, 2)), ==, 3);
}

/* A classifier never trains on targets that are not classes: choosing
 * the worked example replaces a 2-4-2 softmax network made for XOR,
 * although its shape fits, and the same network opened from a file
 * beside the worked example cannot start. */
static void
test_classifier_needs_classes (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GFile) file = g_file_new_build_filename (fixture->scratch, "xor.stmodel", NULL);
  g_autoptr(StNetwork) classifier = NULL;
  g_autoptr(StNetwork) replaced = NULL;
  GtkWindow *dialog;

  change_state (fixture, "dataset", g_variant_new_string ("xor"));
  dialog = open_new_network (fixture);
  st_generator_dialog_set_hidden (dialog, "4");
  g_assert_true (st_generator_dialog_apply (dialog));
  run_for (50);
  if (has_message_dialog (fixture))
    close_message_dialog (fixture, "discard");

  classifier = st_window_copy_network (fixture->window);
  g_assert_cmpint (st_network_get_loss (classifier), ==, ST_LOSS_SOFTMAX_CROSS_ENTROPY);
  g_assert_cmpuint (st_network_get_n_outputs (classifier), ==, 2);
  g_assert_true (st_window_save_model (fixture->window, file));

  change_state (fixture, "dataset", g_variant_new_string ("worked-example"));
  run_for (50);
  if (has_message_dialog (fixture))
    close_message_dialog (fixture, "discard");
  replaced = st_window_copy_network (fixture->window);
  g_assert_cmpint (st_network_get_loss (replaced), ==, ST_LOSS_HALF_MSE);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "step"));

  g_assert_true (st_window_open_model (fixture->window, file));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "step"));
}

/* Files open by their extension, as dropped files and the command line
 * do: a pattern, a data set and a model. */
static void
test_open_by_extension (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *mtx_path = g_build_filename (fixture->scratch, "identity.mtx", NULL);
  g_autofree char *csv_path = g_build_filename (fixture->scratch, "half.csv", NULL);
  g_autofree char *model_path = g_build_filename (fixture->scratch, "saved.stmodel", NULL);
  g_autoptr(GFile) mtx = g_file_new_for_path (mtx_path);
  g_autoptr(GFile) csv = g_file_new_for_path (csv_path);
  g_autoptr(GFile) model = g_file_new_for_path (model_path);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (mtx_path, "%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 0.25\n2 2 0.75\n", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (csv_path, "x1,x2,t1,t2\n1,2,3,4\n2,1,4,3\n", -1, &error);
  g_assert_no_error (error);

  g_assert_true (st_window_open_file (fixture->window, mtx));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (fixture->window)), ==, "identity – Sparse Trainer");
  g_assert_cmpfloat (entry_value (fixture, 1, 1), ==, 0.75);

  g_assert_true (st_window_open_file (fixture->window, csv));
  step_to (fixture, 1);

  g_assert_true (st_window_save_model (fixture->window, model));

  /* Saved and opened files go into the recent files. */
  {
    g_autofree char *uri = g_file_get_uri (model);

    g_assert_true (gtk_recent_manager_has_item (gtk_recent_manager_get_default (), uri));
  }

  g_assert_true (st_window_open_file (fixture->window, model));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (fixture->window)), ==, "saved.stmodel – Sparse Trainer");
}

/* The keyboard reaches the heat map: arrows move the cursor and Return
 * draws with the draw tool. */
static void
test_keyboard_edit (Fixture       *fixture,
                    gconstpointer  data)
{
  StHeatmap *heatmap = get_heatmap (fixture);
  GtkEventController *keys = NULL;
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (heatmap));
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && keys == NULL; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        keys = GTK_EVENT_CONTROLLER (controller);
    }
  g_assert_nonnull (keys);

  change_state (fixture, "tool", g_variant_new_string ("draw"));
  st_heatmap_set_cursor (heatmap, 0, 0);
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Down, 0, 0, &handled);
  g_assert_true (handled);
  g_assert_nonnull (strstr (read_label (fixture, "heatmap-readout"), "Row 2, column 1: weight"));
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Right, 0, 0, &handled);
  g_assert_nonnull (strstr (read_label (fixture, "heatmap-readout"), "Row 2, column 2: not stored"));

  /* (1, 1) is a structural zero of the worked example until drawn. */
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Return, 0, 0, &handled);
  g_assert_true (handled);
  g_assert_cmpuint (layer_nnz (fixture, 0), ==, 3);
  g_assert_nonnull (strstr (read_label (fixture, "heatmap-readout"), "Row 2, column 2: weight"));
}

static gboolean
reached_step_40000 (Fixture *fixture)
{
  return read_step (fixture) >= 40000;
}

/* The worked example ends an epoch every step.  Trained as fast as
 * possible for 40000 steps, the cost plot keeps at most 16384 epoch
 * records, thinned over the whole run, instead of one per epoch. */
static void
test_long_run_records (Fixture       *fixture,
                       gconstpointer  data)
{
  StCostPlot *plot = ST_COST_PLOT (find_widget_by_type (GTK_WIDGET (fixture->window), ST_TYPE_COST_PLOT));
  guint n_records;

  set_running (fixture, TRUE);
  g_assert_true (wait_for (fixture, reached_step_40000, 60000));
  pause_and_settle (fixture);

  n_records = st_cost_plot_get_n_records (plot);
  g_test_message ("%" G_GUINT64_FORMAT " epochs, %u records on the plot", read_step (fixture), n_records);
  g_assert_cmpuint (n_records, <=, 16384);
  g_assert_cmpuint (n_records, >, 8192);
  g_assert_cmpuint (st_cost_plot_get_n_steps (plot), ==, read_step (fixture));
}

static gboolean
has_shortcuts_window (Fixture *fixture)
{
  return find_toplevel (fixture, GTK_TYPE_SHORTCUTS_WINDOW, NULL) != NULL;
}

/* Whether every top-level window of the process is shown.  GTK 4.8's
 * AT-SPI root replies to a request for a window index past the visible
 * ones with the last window in its list, and a hidden one crashes it. */
static gboolean
all_toplevels_visible (Fixture *fixture)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (!gtk_widget_get_visible (GTK_WIDGET (window)))
        return FALSE;
    }

  return TRUE;
}

/* The shortcuts window exists only while it is shown. */
static void
test_shortcuts_window (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkWindow *shortcuts;

  g_assert_true (all_toplevels_visible (fixture));

  activate (fixture, "show-help-overlay", NULL);
  g_assert_true (wait_for (fixture, has_shortcuts_window, WAIT_MS));
  shortcuts = find_toplevel (fixture, GTK_TYPE_SHORTCUTS_WINDOW, NULL);
  g_assert_true (gtk_window_get_modal (shortcuts));

  gtk_window_close (shortcuts);
  run_for (50);
  g_assert_false (has_shortcuts_window (fixture));
  g_assert_true (all_toplevels_visible (fixture));
}

/* 3 x 3 layers whose stored weights are all equal, or that store
 * none; each stored cell must take the colour of the weight's sign. */
typedef struct
{
  const char *name;
  const char *entries;  /* Matrix Market entry lines, counting from 1 */
  guint nnz;
  double value;
  const char *low;      /* the legend's labels; NULL when hidden */
  const char *high;
} DegenerateLayer;

static const DegenerateLayer degenerate_layers[] = {
  { "constant", "1 1 0.75\n1 3 0.75\n2 2 0.75\n3 1 0.75\n", 4, 0.75, "−0.75", "0.75" },
  { "all-zero", "1 2 0.0\n2 1 0.0\n3 3 0.0\n", 3, 0.0, NULL, "0" },
  { "single", "2 2 -1.5\n", 1, -1.5, "−1.5", "1.5" },
  { "empty", "", 0, 0.0, NULL, "No stored weights" },
  { "huge", "1 1 1e305\n2 2 1e305\n", 2, 1e305, "−1e+305", "1e+305" },
  { "tiny", "1 1 -1e-300\n3 3 -1e-300\n", 2, -1e-300, "−1e-300", "1e-300" },
};

/* Saves @layer as a one-layer model without biases. */
static GFile *
write_degenerate_model (Fixture               *fixture,
                        const DegenerateLayer *layer)
{
  g_autofree char *mtx_text = g_strdup_printf ("%%%%MatrixMarket matrix coordinate real general\n3 3 %u\n%s",
                                               layer->nnz, layer->entries);
  g_autofree char *mtx_name = g_strconcat (layer->name, ".mtx", NULL);
  g_autofree char *model_name = g_strconcat (layer->name, ".stmodel", NULL);
  g_autoptr(GFile) mtx_file = g_file_new_build_filename (fixture->scratch, mtx_name, NULL);
  GFile *model_file = g_file_new_build_filename (fixture->scratch, model_name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(StMtx) mtx = NULL;
  g_autoptr(StNetwork) network = st_network_new (ST_LOSS_HALF_MSE);
  StLayer *weights;

  g_file_replace_contents (mtx_file, mtx_text, strlen (mtx_text), NULL, FALSE,
                           G_FILE_CREATE_NONE, NULL, NULL, &error);
  g_assert_no_error (error);
  mtx = st_mtx_read (mtx_file, NULL, &error);
  g_assert_no_error (error);
  weights = st_mtx_to_layer (mtx, ST_LAYOUT_CSR, &error);
  g_assert_no_error (error);
  g_assert_true (st_network_append_layer (network, weights, &error));
  st_model_save (network, g_file_peek_path (model_file), &error);
  g_assert_no_error (error);

  return model_file;
}

static gboolean
heatmap_is_dark (Fixture *fixture)
{
  return st_heatmap_get_dark (get_heatmap (fixture));
}

static gboolean
heatmap_is_light (Fixture *fixture)
{
  return !st_heatmap_get_dark (get_heatmap (fixture));
}

/* Checks the legend beside the heat map: its labels, and whether the
 * scale is drawn, as a full scale or as the middle colour alone. */
static void
assert_legend (Fixture    *fixture,
               const char *low,
               const char *high,
               gboolean    bar_visible,
               gboolean    neutral)
{
  GtkWidget *bar = find_widget_by_type (GTK_WIDGET (fixture->window), ST_TYPE_LEGEND_BAR);
  GtkWidget *low_label = gtk_widget_get_prev_sibling (bar);
  GtkWidget *high_label = gtk_widget_get_next_sibling (bar);

  g_assert_false (st_legend_bar_get_structural (ST_LEGEND_BAR (bar)));
  g_assert_cmpint (gtk_widget_get_visible (bar), ==, bar_visible);
  g_assert_cmpint (st_legend_bar_get_neutral (ST_LEGEND_BAR (bar)), ==, neutral);
  g_assert_cmpint (gtk_widget_get_visible (low_label), ==, low != NULL);
  if (low != NULL)
    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (low_label)), ==, low);
  g_assert_true (gtk_widget_get_visible (high_label));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (high_label)), ==, high);
}

/* Renders the heat map as an export does and checks every pixel: each
 * is transparent, hatch, or @expected, and @expected appears when
 * entries are stored. */
static void
assert_heatmap_colors (Fixture               *fixture,
                       const DegenerateLayer *layer,
                       gboolean               dark)
{
  cairo_surface_t *surface = st_heatmap_render_surface (get_heatmap (fixture), 240, 240);
  StPalette palette;
  guint32 expected;
  guint n_expected = 0;
  int stride;
  const guint8 *data;

  st_palette_init (&palette, dark, ST_COLOR_MAP_BLUE_RED);
  expected = palette.diverging[layer->value > 0 ? ST_PALETTE_SIZE - 1
                               : layer->value < 0 ? 0 : ST_PALETTE_SIZE / 2];

  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_flush (surface);
  stride = cairo_image_surface_get_stride (surface);
  data = cairo_image_surface_get_data (surface);

  for (int y = 0; y < 240; y++)
    for (int x = 0; x < 240; x++)
      {
        guint32 color = ((const guint32 *) (gconstpointer) (data + (gsize) y * stride))[x];

        if (color == expected)
          n_expected++;
        else if (color != 0)
          g_assert_true (color == palette.structural_light || color == palette.structural_dark);
      }

  if (layer->nnz > 0)
    g_assert_cmpuint (n_expected, >, 0);
  cairo_surface_destroy (surface);
}

/* Layers with one stored value, or none, draw in defined colours with
 * a legend that names the value, in light and dark style.  Training
 * then spreads the values, and the legend becomes a scale again. */
static void
test_degenerate_layers (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *csv_path = g_build_filename (fixture->scratch, "three.csv", NULL);
  g_autoptr(GFile) csv = g_file_new_for_path (csv_path);
  g_autoptr(GError) error = NULL;

  /* 3 inputs and 3 targets, so each 3 x 3 layer fits. */
  g_file_set_contents (csv_path, "x1,x2,x3,t1,t2,t3\n1,0,0,0.5,0,1\n0,1,0,1,0.5,0\n0,0,1,0,1,0.5\n", -1, &error);
  g_assert_no_error (error);

  for (guint dark = 0; dark <= 1; dark++)
    {
      g_settings_set_string (settings, "style", dark ? "dark" : "light");
      g_assert_true (wait_for (fixture, dark ? heatmap_is_dark : heatmap_is_light, WAIT_MS));

      for (guint i = 0; i < G_N_ELEMENTS (degenerate_layers); i++)
        {
          const DegenerateLayer *layer = &degenerate_layers[i];
          g_autoptr(GFile) model = write_degenerate_model (fixture, layer);
          gboolean neutral = layer->nnz > 0 && layer->value == 0.0;

          g_test_message ("%s layer, %s style", layer->name, dark ? "dark" : "light");
          g_assert_true (st_window_open_model (fixture->window, model));
          g_assert_true (st_window_open_dataset (fixture->window, csv));
          g_assert_false (has_message_dialog (fixture));
          g_assert_cmpuint (st_heatmap_get_nnz (get_heatmap (fixture)), ==, layer->nnz);

          assert_legend (fixture, layer->low, layer->high, layer->nnz > 0, neutral || layer->nnz == 0);
          assert_heatmap_colors (fixture, layer, dark);

          if (dark == 0 && g_str_equal (layer->name, "all-zero"))
            save_screenshot (fixture, NULL, "ui-all-zero-layer.png");
          if (dark == 1 && g_str_equal (layer->name, "empty"))
            save_screenshot (fixture, NULL, "ui-empty-layer-dark.png");

          /* One step spreads the zeros and the equal values apart. */
          if (g_str_equal (layer->name, "all-zero") || g_str_equal (layer->name, "constant"))
            {
              step_to (fixture, 1);
              g_assert_cmpfloat (st_heatmap_get_range (get_heatmap (fixture)), >, 0.0);
              g_assert_true (gtk_widget_get_visible (gtk_widget_get_prev_sibling (
                find_widget_by_type (GTK_WIDGET (fixture->window), ST_TYPE_LEGEND_BAR))));
              g_assert_false (st_legend_bar_get_neutral (ST_LEGEND_BAR (
                find_widget_by_type (GTK_WIDGET (fixture->window), ST_TYPE_LEGEND_BAR))));
            }
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  test_init_application (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/ui/features/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("edit-undo", test_edit_undo);
  ADD ("zoom", test_zoom);
  ADD ("history", test_history);
  ADD ("export", test_export);
  ADD ("presentation", test_presentation);
  ADD ("gradient-check", test_gradient_check);
  ADD ("compare-layouts", test_compare_layouts);
  ADD ("storage-view", test_storage_view);
  ADD ("builtin-data", test_builtin_data);
  ADD ("lessons-load", test_lessons_load);
  ADD ("lesson-xor", test_lesson_xor);
  ADD ("accessible-names", test_accessible_names);
  ADD ("generators", test_generators);
  ADD ("new-network", test_new_network);
  ADD ("new-network-chinese-commas", test_new_network_chinese_commas);
  ADD ("classifier-needs-classes", test_classifier_needs_classes);
  ADD ("open-by-extension", test_open_by_extension);
  ADD ("keyboard-edit", test_keyboard_edit);
  ADD ("degenerate-layers", test_degenerate_layers);
  ADD ("shortcuts-window", test_shortcuts_window);
  ADD ("long-run-records", test_long_run_records);
  ADD ("preferences-threads", test_preferences_threads);

#undef ADD

  status = g_test_run ();

  g_clear_object (&test_application);
  return status;
}
