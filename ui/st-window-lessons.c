/* st-window-lessons.c: the Lessons menu
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * win.open-lesson (string parameter: the lesson's id) opens a lesson
 * after the question about unsaved changes: its model, its data set,
 * its training settings, and its explanation and goal in the sidebar.
 */

#define G_LOG_DOMAIN "st-window"

#include "config.h"

#include <glib/gi18n.h>

#include "st-window-private.h"

static void
set_state (StWindow   *self,
           const char *name,
           GVariant   *state)
{
  g_action_group_change_action_state (G_ACTION_GROUP (self), name, state);
}

/**
 * st_window_open_lesson:
 * @self: a window
 * @id: the lesson's id, its file name without ".lesson"
 *
 * Opens the lesson without asking about unsaved changes.
 *
 * Returns: %FALSE, with an error dialog, when the lesson, its model or
 *   its data cannot be loaded
 */
gboolean
st_window_open_lesson (StWindow   *self,
                       const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StLesson) lesson = NULL;
  g_autoptr(StNetwork) network = NULL;
  g_autoptr(StDataset) dataset = NULL;
  g_autofree char *data_name = NULL;
  guint kind = ST_WINDOW_DATA_CSV;

  g_return_val_if_fail (ST_IS_WINDOW (self), FALSE);

  if ((lesson = st_lesson_load (id, &error)) == NULL ||
      (network = st_lesson_load_model (lesson, &error)) == NULL ||
      (dataset = st_lesson_load_data (lesson, &data_name, &kind, &error)) == NULL)
    {
      _st_window_show_error (self, _("Could Not Open the Lesson"), error->message);
      return FALSE;
    }

  _st_window_set_running (self, FALSE);

  /* The settings take effect with the model below, not one by one. */
  self->updating_controls = TRUE;
  set_state (self, "optimizer", g_variant_new_string (st_optimizer_kind_to_string (lesson->optimizer)));
  set_state (self, "learning-rate", g_variant_new_double (lesson->learning_rate));
  set_state (self, "batch-size", g_variant_new_uint32 (lesson->batch_size));
  set_state (self, "seed", g_variant_new_uint32 ((guint32) lesson->seed));
  set_state (self, "epochs", g_variant_new_uint32 (lesson->epochs));
  set_state (self, "test-split", g_variant_new_double (100.0 * lesson->test_fraction));
  set_state (self, "standardize", g_variant_new_boolean (lesson->standardize));
  self->updating_controls = FALSE;

  g_clear_pointer (&self->dataset, st_dataset_unref);
  self->dataset = g_steal_pointer (&dataset);
  g_free (self->dataset_name);
  self->dataset_name = g_steal_pointer (&data_name);
  self->dataset_kind = kind;
  self->dataset_noise = lesson->noise;

  g_clear_pointer (&self->lesson, st_lesson_free);
  self->lesson = g_steal_pointer (&lesson);
  gtk_label_set_label (self->lesson_title_label, self->lesson->title);
  gtk_label_set_label (self->lesson_text_label, self->lesson->explanation);
  adw_action_row_set_subtitle (self->lesson_goal_row, self->lesson->goal_text);
  gtk_widget_set_visible (self->lesson_group, TRUE);

  _st_window_set_model (self, g_steal_pointer (&network), NULL, self->lesson->title);
  _st_window_sync_data_controls (self);
  _st_window_sync_training_controls (self);
  _st_window_update_goal (self);
  return TRUE;
}

static void
st_window_open_pending_lesson (StWindow *self)
{
  const char *id = g_object_get_data (G_OBJECT (self), "st-pending-lesson");

  if (id != NULL)
    st_window_open_lesson (self, id);
}

static void
open_lesson_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);

  g_object_set_data_full (G_OBJECT (self), "st-pending-lesson",
                          g_variant_dup_string (parameter, NULL), g_free);
  _st_window_set_running (self, FALSE);
  _st_window_confirm_discard (self, st_window_open_pending_lesson);
}

static const GActionEntry lesson_entries[] = {
  { "open-lesson", open_lesson_activated, "s" },
};

void
_st_window_add_lesson_actions (StWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lessons = st_lessons_load_all (&error);

  g_action_map_add_action_entries (G_ACTION_MAP (self), lesson_entries, G_N_ELEMENTS (lesson_entries), self);

  /* The lessons are in the resources, so failing here is a build error. */
  if (lessons == NULL)
    g_error ("The bundled lessons are broken: %s", error->message);

  for (guint i = 0; i < lessons->len; i++)
    {
      StLesson *lesson = g_ptr_array_index (lessons, i);
      g_autoptr(GMenuItem) item = g_menu_item_new (lesson->title, NULL);

      g_menu_item_set_action_and_target_value (item, "win.open-lesson", g_variant_new_string (lesson->id));
      g_menu_append_item (self->lessons_section, item);
    }
}
