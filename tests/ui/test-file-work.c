/* test-file-work.c: exports, and file work off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every test starts on the worked example (W = [[0, 0.5], [0.5, 0]],
 * x = (4, 2), t = (2, 4), SGD at rate 0.1, batch 1) and drives the
 * window through its actions and its file chooser.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "window-test-utils.h"

static gboolean
has_file_chooser (Fixture *fixture)
{
  return find_toplevel (fixture, GTK_TYPE_FILE_CHOOSER_DIALOG, NULL) != NULL;
}

static GtkWindow *chooser_dialog;
static const char *chooser_path;

static gboolean
chooser_has_path (Fixture *fixture)
{
  g_autoptr(GFile) chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser_dialog));

  return chosen != NULL && g_strcmp0 (g_file_peek_path (chosen), chooser_path) == 0;
}

static gboolean
chooser_is_mapped (Fixture *fixture)
{
  GtkWindow *dialog = find_toplevel (fixture, GTK_TYPE_FILE_CHOOSER_DIALOG, NULL);

  return dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog));
}

/* Answers the window's file chooser with @path, as a user who types the
 * name and presses the accept button.  GtkFileChooserNative shows GTK's
 * own dialog here, since no portal runs in the test session. */
static void
choose_file (Fixture    *fixture,
             const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GtkWindow *dialog;

  g_assert_true (wait_for (fixture, has_file_chooser, WAIT_MS));
  dialog = find_toplevel (fixture, GTK_TYPE_FILE_CHOOSER_DIALOG, NULL);
  g_assert_true (wait_for (fixture, chooser_is_mapped, WAIT_MS));
  if (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (dialog)) == GTK_FILE_CHOOSER_ACTION_SAVE)
    {
      /* A whole path typed into the name entry picks its folder too. */
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), path);
    }
  else
    {
      g_assert_true (gtk_file_chooser_set_file (GTK_FILE_CHOOSER (dialog), file, &error));
    }
  g_assert_no_error (error);

  /* The chooser changes its folder asynchronously. */
  chooser_dialog = dialog;
  chooser_path = path;
  g_assert_true (wait_for (fixture, chooser_has_path, WAIT_MS));
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
}

static gboolean
action_enabled (Fixture    *fixture,
                const char *name)
{
  return g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), name);
}

static gboolean
action_exists (Fixture    *fixture,
               const char *name)
{
  return g_action_group_has_action (G_ACTION_GROUP (fixture->window), name);
}

/* The gradient of the worked example's first step, computed here from
 * its definition: y = W x, cost = mean((y - t)^2) / 2 over the two
 * outputs, so dcost/dy_i = (y_i - t_i) / 2 and dW_ij = dcost/dy_i x_j. */
static void
worked_example_gradient (double gradient[2][2])
{
  const double w[2][2] = { { 0.0, 0.5 }, { 0.5, 0.0 } };
  const double x[2] = { 4.0, 2.0 };
  const double t[2] = { 2.0, 4.0 };

  for (guint i = 0; i < 2; i++)
    {
      double y = w[i][0] * x[0] + w[i][1] * x[1];

      for (guint j = 0; j < 2; j++)
        gradient[i][j] = (y - t[i]) / 2.0 * x[j];
    }
}

static gboolean
file_exists (const char *path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static const char *exported_path;

static gboolean
exported_file_exists (Fixture *fixture)
{
  return file_exists (exported_path);
}

static gboolean
shows_step_0 (Fixture *fixture)
{
  return read_step (fixture) == 0;
}

/* Export Gradient is insensitive, with its reason in the menu, until a
 * step; then it writes exactly the stored entries' gradients. */
static void
test_export_gradient (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->scratch, "gradient.mtx", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(StMtx) mtx = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  double expected[2][2];

  worked_example_gradient (expected);
  g_assert_cmpfloat (expected[0][1], ==, -1.0);
  g_assert_cmpfloat (expected[1][0], ==, -4.0);

  /* Before the first step: insensitive, and the stand-in item shows. */
  g_assert_false (action_enabled (fixture, "export-gradient"));
  g_assert_true (action_exists (fixture, "export-gradient-unavailable"));
  g_assert_false (action_enabled (fixture, "export-gradient-unavailable"));

  step_to (fixture, 1);
  g_assert_true (action_enabled (fixture, "export-gradient"));
  g_assert_false (action_exists (fixture, "export-gradient-unavailable"));

  exported_path = path;
  activate (fixture, "export-gradient", NULL);
  choose_file (fixture, path);
  g_assert_true (wait_for (fixture, exported_file_exists, WAIT_MS));

  /* The text: a coordinate real general header, the size line with two
   * entries, and one line per stored entry with 1-based indices. */
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "%%MatrixMarket matrix coordinate real general");
  for (guint i = 1; lines[i] != NULL; i++)
    if (lines[i][0] != '%' && lines[i][0] != '\0')
      g_ptr_array_add (entries, lines[i]);
  g_assert_cmpuint (entries->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (entries, 0), ==, "2 2 2");
  g_assert_cmpstr (g_ptr_array_index (entries, 1), ==, "1 2 -1");
  g_assert_cmpstr (g_ptr_array_index (entries, 2), ==, "2 1 -4");

  /* The engine's reader gets the same two entries back. */
  mtx = st_mtx_read (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (mtx->has_values);
  g_assert_cmpuint (mtx->rows, ==, 2);
  g_assert_cmpuint (mtx->cols, ==, 2);
  g_assert_cmpuint (mtx->nnz, ==, 2);
  g_assert_cmpuint (mtx->row[0], ==, 0);
  g_assert_cmpuint (mtx->col[0], ==, 1);
  g_assert_cmpfloat (mtx->value[0], ==, expected[0][1]);
  g_assert_cmpuint (mtx->row[1], ==, 1);
  g_assert_cmpuint (mtx->col[1], ==, 0);
  g_assert_cmpfloat (mtx->value[1], ==, expected[1][0]);

  /* Reset starts a new trainer, which has no gradient yet. */
  activate (fixture, "reset", NULL);
  if (has_message_dialog (fixture))
    close_message_dialog (fixture, "reset");
  g_assert_true (wait_for (fixture, shows_step_0, WAIT_MS));
  g_assert_false (action_enabled (fixture, "export-gradient"));
  g_assert_true (action_exists (fixture, "export-gradient-unavailable"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  test_init_application (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/ui/file-work/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("export-gradient", test_export_gradient);

#undef ADD

  status = g_test_run ();

  g_clear_object (&test_application);
  return status;
}
