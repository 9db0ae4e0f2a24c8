/* st-window-actions.c: the training controls of the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every control is a window action, so buttons, keyboard shortcuts,
 * the accessibility tree and the GUI tests all go through the same code.
 * The actions are win.start (boolean state: running), win.step,
 * win.reset, win.learning-rate (double state) and win.speed (steps per
 * second, 0 for no limit).
 */

#define G_LOG_DOMAIN "st-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "st-window-private.h"

/* Steps per second of the entries of the speed row, in order. */
static const guint speed_choices[] = { 2, 10, 100, 0 };

/* The range of the learning rate spin button. */
#define MIN_LEARNING_RATE 0.0001
#define MAX_LEARNING_RATE 10.0

static GSimpleAction *
lookup_action (StWindow   *self,
               const char *name)
{
  return G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), name));
}

void
_st_window_update_actions (StWindow *self)
{
  gboolean trainable = self->worker != NULL;

  g_simple_action_set_enabled (lookup_action (self, "start"), trainable);
  g_simple_action_set_enabled (lookup_action (self, "step"), trainable && !self->running);
  g_simple_action_set_enabled (lookup_action (self, "reset"), self->initial_network != NULL);
}

static void
st_window_update_start_button (StWindow *self)
{
  if (self->running)
    {
      adw_button_content_set_icon_name (self->start_button_content, "media-playback-pause-symbolic");
      adw_button_content_set_label (self->start_button_content, C_("training", "_Pause"));
      gtk_widget_remove_css_class (GTK_WIDGET (self->start_button), "suggested-action");
    }
  else
    {
      adw_button_content_set_icon_name (self->start_button_content, "media-playback-start-symbolic");
      adw_button_content_set_label (self->start_button_content, C_("training", "_Start"));
      gtk_widget_add_css_class (GTK_WIDGET (self->start_button), "suggested-action");
    }
}

/* Starts or pauses training; without a fitting data set it stays
 * paused. */
void
_st_window_set_running (StWindow *self,
                        gboolean  running)
{
  running = running && self->worker != NULL;

  self->running = running;
  g_simple_action_set_state (lookup_action (self, "start"), g_variant_new_boolean (running));
  if (self->worker != NULL)
    st_training_worker_set_running (self->worker, running);

  st_window_update_start_button (self);
  _st_window_update_actions (self);
  g_object_notify (G_OBJECT (self), "busy");
}

static void
start_change_state (GSimpleAction *action,
                    GVariant      *state,
                    gpointer       user_data)
{
  _st_window_set_running (ST_WINDOW (user_data), g_variant_get_boolean (state));
}

static void
step_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);

  if (self->worker == NULL || self->running)
    return;

  st_training_worker_request_step (self->worker);
  self->busy = TRUE;
  g_object_notify (G_OBJECT (self), "busy");
}

static void
reset_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);

  _st_window_set_running (self, FALSE);
  _st_window_restart_training (self, st_network_copy (self->initial_network));
  _st_window_set_modified (self, !self->initial_saved);
}

static void
learning_rate_change_state (GSimpleAction *action,
                            GVariant      *state,
                            gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);
  double learning_rate = g_variant_get_double (state);

  if (!(learning_rate >= MIN_LEARNING_RATE && learning_rate <= MAX_LEARNING_RATE))
    {
      g_message ("Ignored learning rate %g outside [%g, %g]",
                 learning_rate, MIN_LEARNING_RATE, MAX_LEARNING_RATE);
      return;
    }

  g_simple_action_set_state (action, state);
  if (self->worker != NULL)
    st_training_worker_set_learning_rate (self->worker, learning_rate);
  g_settings_set_double (self->settings, "learning-rate", learning_rate);

  if (gtk_spin_button_get_value (self->learning_rate_spin) != learning_rate)
    gtk_spin_button_set_value (self->learning_rate_spin, learning_rate);
}

static void
learning_rate_spin_changed (StWindow      *self,
                            GtkSpinButton *spin)
{
  g_action_group_change_action_state (G_ACTION_GROUP (self), "learning-rate",
                                      g_variant_new_double (gtk_spin_button_get_value (spin)));
}

static guint
speed_find_choice (guint steps_per_second)
{
  for (guint i = 0; i < G_N_ELEMENTS (speed_choices); i++)
    if (speed_choices[i] == steps_per_second)
      return i;

  return GTK_INVALID_LIST_POSITION;
}

static void
speed_change_state (GSimpleAction *action,
                    GVariant      *state,
                    gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);
  guint steps_per_second = g_variant_get_uint32 (state);
  guint choice = speed_find_choice (steps_per_second);

  g_simple_action_set_state (action, state);
  if (self->worker != NULL)
    st_training_worker_set_steps_per_second (self->worker, steps_per_second);
  g_settings_set_uint (self->settings, "steps-per-second", steps_per_second);

  if (choice != GTK_INVALID_LIST_POSITION && adw_combo_row_get_selected (self->speed_row) != choice)
    adw_combo_row_set_selected (self->speed_row, choice);
}

static void
speed_row_selected (StWindow    *self,
                    GParamSpec  *pspec,
                    AdwComboRow *row)
{
  guint choice = adw_combo_row_get_selected (row);

  if (choice < G_N_ELEMENTS (speed_choices))
    g_action_group_change_action_state (G_ACTION_GROUP (self), "speed",
                                        g_variant_new_uint32 (speed_choices[choice]));
}

static const GActionEntry training_entries[] = {
  { "start", NULL, NULL, "false", start_change_state },
  { "step", step_activated },
  { "reset", reset_activated },
  { "learning-rate", NULL, NULL, "0.1", learning_rate_change_state },
  { "speed", NULL, NULL, "uint32 10", speed_change_state },
};

void
_st_window_add_training_actions (StWindow *self)
{
  double learning_rate = g_settings_get_double (self->settings, "learning-rate");
  guint steps_per_second = g_settings_get_uint (self->settings, "steps-per-second");
  g_autoptr(GAction) log_scale = g_settings_create_action (self->settings, "log-scale");
  guint choice = speed_find_choice (steps_per_second);

  g_action_map_add_action_entries (G_ACTION_MAP (self), training_entries,
                                   G_N_ELEMENTS (training_entries), self);
  g_action_map_add_action (G_ACTION_MAP (self), log_scale);
  g_settings_bind (self->settings, "log-scale", self->cost_plot, "log-scale", G_SETTINGS_BIND_GET);

  /* Settings outside the controls' ranges fall back to the defaults. */
  if (!(learning_rate >= MIN_LEARNING_RATE && learning_rate <= MAX_LEARNING_RATE))
    learning_rate = 0.1;
  if (choice == GTK_INVALID_LIST_POSITION)
    steps_per_second = 10, choice = speed_find_choice (10);

  g_simple_action_set_state (lookup_action (self, "learning-rate"), g_variant_new_double (learning_rate));
  g_simple_action_set_state (lookup_action (self, "speed"), g_variant_new_uint32 (steps_per_second));
  gtk_spin_button_set_value (self->learning_rate_spin, learning_rate);
  adw_combo_row_set_selected (self->speed_row, choice);

  g_signal_connect_object (self->learning_rate_spin, "value-changed",
                           G_CALLBACK (learning_rate_spin_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->speed_row, "notify::selected",
                           G_CALLBACK (speed_row_selected), self, G_CONNECT_SWAPPED);
}

/* Space toggles training and Ctrl+Right takes a step.  Class shortcuts
 * run in the bubble phase, so a focused text field or button handles
 * these keys first and typing is never disturbed. */
void
_st_window_class_add_training_shortcuts (GtkWidgetClass *widget_class)
{
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "win.start", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_CONTROL_MASK, "win.step", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.reset", NULL);
}
