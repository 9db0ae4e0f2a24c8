/* window-test-utils.c: driving a real window in GLib tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test opens a real window of the real application, presents it on
 * the test's Xvfb display, and drives it through its actions, as its
 * buttons, menus and keyboard shortcuts do.  Results are read from the
 * widgets and from copies of the model.
 */

#include "config.h"

#include <glib/gstdio.h>

#include "window-test-utils.h"

StApplication *test_application;

void
test_init_application (int    *argc,
                       char ***argv)
{
  g_autoptr(GError) error = NULL;

  g_test_init (argc, argv, NULL);

  /* The real application, registered on the private session bus; it is
   * never run, so each test creates its own window and closes it. */
  test_application = st_application_new (APPLICATION_ID, G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (test_application), NULL, &error);
  g_assert_no_error (error);
}

/* Runs the main loop until @condition holds.  Returns: %FALSE on timeout. */
gboolean
wait_for (Fixture   *fixture,
          Condition  condition,
          guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!condition (fixture))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;

      /* Bounded, so that a context that always has something pending
       * (updates arriving faster than a loaded machine handles them)
       * cannot keep the deadline from being checked. */
      for (guint i = 0; i < 100 && g_main_context_pending (NULL); i++)
        g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  return TRUE;
}

/* Runs the main loop for @ms milliseconds. */
void
run_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      /* Bounded, so that a context that always has something pending
       * (updates arriving faster than a loaded machine handles them)
       * cannot keep the deadline from being checked. */
      for (guint i = 0; i < 100 && g_main_context_pending (NULL); i++)
        g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

GtkWidget *
find_widget_by_name (GtkWidget  *root,
                     const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget_by_name (child, name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

GtkWidget *
find_widget_by_type (GtkWidget *root,
                     GType      type)
{
  if (g_type_is_a (G_OBJECT_TYPE (root), type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget_by_type (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The text of the label named @name ("step-value", ...). */
const char *
read_label (Fixture    *fixture,
            const char *name)
{
  GtkWidget *label = find_widget_by_name (GTK_WIDGET (fixture->window), name);

  g_assert_nonnull (label);
  g_assert_true (GTK_IS_LABEL (label));
  return gtk_label_get_label (GTK_LABEL (label));
}

guint64
read_step (Fixture *fixture)
{
  return g_ascii_strtoull (read_label (fixture, "step-value"), NULL, 10);
}

void
activate (Fixture    *fixture,
          const char *action,
          GVariant   *parameter)
{
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), action));
  g_action_group_activate_action (G_ACTION_GROUP (fixture->window), action, parameter);
}

void
change_state (Fixture    *fixture,
              const char *action,
              GVariant   *state)
{
  g_action_group_change_action_state (G_ACTION_GROUP (fixture->window), action, state);
}

void
set_running (Fixture  *fixture,
             gboolean  running)
{
  change_state (fixture, "start", g_variant_new_boolean (running));
}

static gboolean
is_settled (Fixture *fixture)
{
  return !st_window_get_busy (fixture->window);
}

void
pause_and_settle (Fixture *fixture)
{
  set_running (fixture, FALSE);
  g_assert_true (wait_for (fixture, is_settled, WAIT_MS));
}

/* Takes one step and waits until the window shows step @expected. */
void
step_to (Fixture *fixture,
         guint64  expected)
{
  activate (fixture, "step", NULL);
  g_assert_true (wait_for (fixture, is_settled, WAIT_MS));
  g_assert_cmpuint (read_step (fixture), ==, expected);
}

/* A visible top-level window of @type, transient for the test's window,
 * named @name unless that is %NULL. */
GtkWindow *
find_toplevel (Fixture    *fixture,
               GType       type,
               const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (g_type_is_a (G_OBJECT_TYPE (window), type) &&
          gtk_window_get_transient_for (window) == GTK_WINDOW (fixture->window) &&
          gtk_widget_get_visible (GTK_WIDGET (window)) &&
          (name == NULL || g_strcmp0 (gtk_widget_get_name (GTK_WIDGET (window)), name) == 0))
        return window;
    }

  return NULL;
}

gboolean
has_message_dialog (Fixture *fixture)
{
  return find_toplevel (fixture, ADW_TYPE_MESSAGE_DIALOG, NULL) != NULL;
}

static gboolean
has_no_message_dialog (Fixture *fixture)
{
  return fixture->window == NULL || !has_message_dialog (fixture);
}

void
close_message_dialog (Fixture    *fixture,
                      const char *response)
{
  GtkWindow *dialog = find_toplevel (fixture, ADW_TYPE_MESSAGE_DIALOG, NULL);

  /* A click on a response button emits the response, then destroys
   * the dialog; this does the same without a pointer. */
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_destroy (dialog);
  g_assert_true (wait_for (fixture, has_no_message_dialog, WAIT_MS));
}

static gboolean
is_mapped (Fixture *fixture)
{
  return gtk_widget_get_mapped (GTK_WIDGET (fixture->window));
}

/* The memory settings backend lives as long as the process, so a
 * setting one test changes would leak into the next. */
static void
reset_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
}

void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  reset_settings ();

  fixture->scratch = g_dir_make_tmp ("sparse-trainer-test-XXXXXX", &error);
  g_assert_no_error (error);

  fixture->window = st_window_new (GTK_APPLICATION (test_application));
  g_object_add_weak_pointer (G_OBJECT (fixture->window), (gpointer *) &fixture->window);
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_assert_true (wait_for (fixture, is_mapped, WAIT_MS));

  /* The tests do not wait for the pace meant for watching by eye. */
  change_state (fixture, "speed", g_variant_new_uint32 (0));
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_unlink (child);
    }
  g_rmdir (path);
}

void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    {
      GListModel *toplevels = gtk_window_get_toplevels ();

      /* Dialogs first, then the window itself. */
      for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
        {
          g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i - 1);

          if (gtk_window_get_transient_for (window) == GTK_WINDOW (fixture->window))
            gtk_window_destroy (window);
        }

      g_object_remove_weak_pointer (G_OBJECT (fixture->window), (gpointer *) &fixture->window);
      gtk_window_destroy (GTK_WINDOW (fixture->window));
    }
  run_for (20);

  remove_tree (fixture->scratch);
  g_free (fixture->scratch);
}

/* Renders @widget (the window's content when %NULL) on the window's
 * background colour to a PNG in the build's log folder. */
void
save_screenshot (Fixture    *fixture,
                 GtkWidget  *widget,
                 const char *name)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *content = widget != NULL ? widget : adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));
  GtkWidget *toplevel = GTK_WIDGET (gtk_widget_get_root (content));
  int width = gtk_widget_get_width (content);
  int height = gtk_widget_get_height (content);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  const char *dir = g_getenv ("ST_TEST_SCREENSHOT_DIR");
  g_autofree char *path = NULL;
  GdkRGBA background = { 1, 1, 1, 1 };
  graphene_point_t origin;
  GtkWidget *child = content;

  /* Let the frame clock lay out the labels that changed last. */
  run_for (200);

  while (gtk_widget_get_parent (child) != toplevel)
    child = gtk_widget_get_parent (child);
  g_assert_true (gtk_widget_compute_point (content, toplevel, &GRAPHENE_POINT_INIT (0, 0), &origin));
  gtk_style_context_lookup_color (gtk_widget_get_style_context (toplevel), "window_bg_color", &background);
  gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-origin.x, -origin.y));
  gtk_widget_snapshot_child (toplevel, child, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (toplevel)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir != NULL ? dir : g_get_tmp_dir (), name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s", path);
}
