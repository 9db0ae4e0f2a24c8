/* st-window-actions.c: the training controls of the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every control is a window action, so buttons, keyboard shortcuts,
 * the accessibility tree and the GUI tests all go through the same code.
 * The actions are win.start (boolean state: running), win.step,
 * win.reset, win.learning-rate (double state), win.speed (steps per
 * second, 0 for no limit), win.optimizer (string), win.batch-size,
 * win.epochs (0 for no limit), win.seed (uint32 states), win.test-split
 * (percent, double) and win.standardize (boolean).
 *
 * The learning rate and the speed apply to the running trainer.  The
 * optimizer, batch size, seed, test split and standardization need a
 * new trainer, which goes on from the current weights.  The optimizer's
 * state (momentum, Adam's moments) then starts again from zero.
 */

#define G_LOG_DOMAIN "st-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "st-window-private.h"

/* Steps per second of the entries of the speed row, in order. */
static const guint speed_choices[] = { 2, 10, 100, 0 };

/* The order of the optimizer row's entries. */
static const StOptimizerKind optimizer_choices[] = {
  ST_OPTIMIZER_SGD, ST_OPTIMIZER_MOMENTUM, ST_OPTIMIZER_NESTEROV, ST_OPTIMIZER_ADAM, ST_OPTIMIZER_ADAMW,
};

/* The range of the learning rate spin button. */
#define MIN_LEARNING_RATE 0.0001
#define MAX_LEARNING_RATE 10.0

static GSimpleAction *
lookup_action (StWindow   *self,
               const char *name)
{
  return G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), name));
}

static GVariant *
get_state (StWindow   *self,
           const char *name)
{
  return g_action_group_get_action_state (G_ACTION_GROUP (self), name);
}

void
_st_window_update_actions (StWindow *self)
{
  gboolean trainable = self->worker != NULL;

  g_simple_action_set_enabled (lookup_action (self, "start"), trainable);
  g_simple_action_set_enabled (lookup_action (self, "step"), trainable && !self->running);
  g_simple_action_set_enabled (lookup_action (self, "reset"), self->initial_network != NULL);
  st_heatmap_set_editable (self->heatmap, !self->running && self->viewing_frame < 0);
  _st_window_update_edit_actions (self);
}

/* Fills @settings from the controls' actions. */
void
_st_window_init_train_settings (StWindow        *self,
                                StTrainSettings *settings)
{
  g_autoptr(GVariant) learning_rate = get_state (self, "learning-rate");
  g_autoptr(GVariant) optimizer = get_state (self, "optimizer");
  g_autoptr(GVariant) batch_size = get_state (self, "batch-size");
  g_autoptr(GVariant) seed = get_state (self, "seed");
  g_autoptr(GVariant) test_split = get_state (self, "test-split");
  g_autoptr(GVariant) standardize = get_state (self, "standardize");
  guint epochs = (guint) gtk_spin_button_get_value_as_int (self->epochs_spin);
  StOptimizerKind kind = ST_OPTIMIZER_SGD;

  st_train_settings_init_default (settings);
  st_optimizer_kind_from_string (g_variant_get_string (optimizer, NULL), &kind);
  st_optimizer_init_default (&settings->optimizer, kind);
  settings->learning_rate = g_variant_get_double (learning_rate);
  settings->batch_size = g_variant_get_uint32 (batch_size);
  settings->seed = g_variant_get_uint32 (seed);
  settings->test_fraction = g_variant_get_double (test_split) / 100.0;
  settings->standardize = g_variant_get_boolean (standardize);
  settings->threads = MAX (g_settings_get_uint (self->settings, "threads"), 1);
  settings->schedule.total_epochs = MAX (epochs, 1);

  /* A split that leaves no training sample falls back to none. */
  if (st_dataset_get_n_samples (self->dataset) < 2)
    settings->test_fraction = 0.0;
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
 * paused.  Starting leaves the history view for the newest state. */
void
_st_window_set_running (StWindow *self,
                        gboolean  running)
{
  guint epochs = (guint) gtk_spin_button_get_value_as_int (self->epochs_spin);

  running = running && self->worker != NULL;

  if (running && epochs > 0 && _st_window_get_epoch (self) >= epochs)
    {
      /* Translators: %u is the number of epochs in the Epochs setting. */
      _st_window_show_toast (self, _("Training reached %u epochs; raise Epochs to go on"), epochs);
      running = FALSE;
    }

  if (running && self->viewing_frame >= 0)
    _st_window_show_frame (self, -1);

  /* Training again, perhaps at a lower rate, makes the old message moot. */
  if (running)
    _st_window_hide_divergence (self);

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

  if (self->viewing_frame >= 0)
    _st_window_show_frame (self, -1);

  st_training_worker_request_step (self->worker);
  self->busy = TRUE;
  g_object_notify (G_OBJECT (self), "busy");
}

static void
st_window_reset (StWindow *self)
{
  _st_window_set_running (self, FALSE);
  _st_window_restart_training (self, st_network_copy (self->initial_network));
  _st_window_set_modified (self, !self->initial_saved);
}

static void
reset_response (AdwMessageDialog *dialog,
                const char       *response,
                StWindow         *self)
{
  if (g_strcmp0 (response, "reset") == 0)
    st_window_reset (self);
}

/* Unsaved trained weights are lost by a reset, so it asks first then. */
static void
reset_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);
  GtkWidget *dialog;

  if (!self->modified)
    {
      st_window_reset (self);
      return;
    }

  _st_window_set_running (self, FALSE);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Reset the Weights?"),
                                   _("The trained weights and this run's history are discarded. "
                                     "Pattern edits stay. Files on disk do not change."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "reset", _("_Reset"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "reset", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "reset");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (reset_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Replaces the trainer for settings that only a new one can take,
 * keeping the weights and whether training runs. */
static void
st_window_apply_trainer_settings (StWindow *self)
{
  gboolean running = self->running;

  if (self->updating_controls || (self->worker == NULL && self->network == NULL))
    return;

  _st_window_set_running (self, FALSE);
  _st_window_continue_training (self, st_window_copy_network (self));
  if (running)
    _st_window_set_running (self, TRUE);
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

  /* A lesson's rate is the lesson's, not the user's next default. */
  if (!self->updating_controls)
    g_settings_set_double (self->settings, "learning-rate", learning_rate);

  if (gtk_spin_button_get_value (self->learning_rate_spin) != learning_rate)
    gtk_spin_button_set_value (self->learning_rate_spin, learning_rate);
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
optimizer_change_state (GSimpleAction *action,
                        GVariant      *state,
                        gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);
  StOptimizerKind kind;
  g_autoptr(GVariant) old = g_action_get_state (G_ACTION (action));

  if (!st_optimizer_kind_from_string (g_variant_get_string (state, NULL), &kind))
    {
      g_message ("Ignored unknown optimizer “%s”", g_variant_get_string (state, NULL));
      return;
    }

  g_simple_action_set_state (action, state);
  for (guint i = 0; i < G_N_ELEMENTS (optimizer_choices); i++)
    if (optimizer_choices[i] == kind && adw_combo_row_get_selected (self->optimizer_row) != i)
      adw_combo_row_set_selected (self->optimizer_row, i);

  if (!g_variant_equal (old, state))
    st_window_apply_trainer_settings (self);
}

/* Shared by the uint32 settings that need a new trainer. */
static void
trainer_uint_change_state (GSimpleAction *action,
                           GVariant      *state,
                           gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);
  const char *name = g_action_get_name (G_ACTION (action));
  guint value = g_variant_get_uint32 (state);
  g_autoptr(GVariant) old = g_action_get_state (G_ACTION (action));
  GtkSpinButton *spin = g_str_equal (name, "batch-size") ? self->batch_size_spin : self->seed_spin;

  if (g_str_equal (name, "batch-size") && value == 0)
    return;

  g_simple_action_set_state (action, state);
  if ((guint) gtk_spin_button_get_value_as_int (spin) != value)
    gtk_spin_button_set_value (spin, value);

  if (!g_variant_equal (old, state))
    st_window_apply_trainer_settings (self);
}

static void
test_split_change_state (GSimpleAction *action,
                         GVariant      *state,
                         gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);
  double percent = g_variant_get_double (state);
  g_autoptr(GVariant) old = g_action_get_state (G_ACTION (action));

  if (!(percent >= 0.0 && percent <= 90.0))
    return;

  g_simple_action_set_state (action, state);
  if (gtk_spin_button_get_value (self->test_split_spin) != percent)
    gtk_spin_button_set_value (self->test_split_spin, percent);

  if (!g_variant_equal (old, state))
    st_window_apply_trainer_settings (self);
}

static void
standardize_change_state (GSimpleAction *action,
                          GVariant      *state,
                          gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);
  g_autoptr(GVariant) old = g_action_get_state (G_ACTION (action));
  gboolean running = self->running;
  StNetwork *network;

  g_simple_action_set_state (action, state);
  if (g_variant_equal (old, state) || self->updating_controls ||
      (self->worker == NULL && self->network == NULL))
    return;

  /* Switched off, the inputs go in unscaled again. */
  _st_window_set_running (self, FALSE);
  network = st_window_copy_network (self);
  if (!g_variant_get_boolean (state))
    st_network_set_standardization (network, NULL, NULL);
  _st_window_continue_training (self, network);
  if (running)
    _st_window_set_running (self, TRUE);
}

static void
epochs_change_state (GSimpleAction *action,
                     GVariant      *state,
                     gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);
  guint epochs = g_variant_get_uint32 (state);

  g_simple_action_set_state (action, state);
  if ((guint) gtk_spin_button_get_value_as_int (self->epochs_spin) != epochs)
    gtk_spin_button_set_value (self->epochs_spin, epochs);

  if (self->worker != NULL)
    st_training_worker_set_epoch_limit (self->worker,
                                        epochs == 0 ? 0
                                        : epochs > self->base_epoch ? epochs - self->base_epoch : 1);
}

static void
spin_changed (StWindow      *self,
              GtkSpinButton *spin)
{
  const char *action = g_object_get_data (G_OBJECT (spin), "st-action");
  GVariant *value;

  if (self->updating_controls)
    return;

  if (spin == self->learning_rate_spin || spin == self->test_split_spin)
    value = g_variant_new_double (gtk_spin_button_get_value (spin));
  else
    value = g_variant_new_uint32 ((guint32) gtk_spin_button_get_value_as_int (spin));

  g_action_group_change_action_state (G_ACTION_GROUP (self), action, value);
}

static void
combo_selected (StWindow    *self,
                GParamSpec  *pspec,
                AdwComboRow *row)
{
  guint choice = adw_combo_row_get_selected (row);

  if (self->updating_controls)
    return;

  if (row == self->speed_row && choice < G_N_ELEMENTS (speed_choices))
    g_action_group_change_action_state (G_ACTION_GROUP (self), "speed",
                                        g_variant_new_uint32 (speed_choices[choice]));
  else if (row == self->optimizer_row && choice < G_N_ELEMENTS (optimizer_choices))
    g_action_group_change_action_state (G_ACTION_GROUP (self), "optimizer",
                                        g_variant_new_string (st_optimizer_kind_to_string (optimizer_choices[choice])));
}

/* Sets the controls from the actions' states without acting on them. */
void
_st_window_sync_training_controls (StWindow *self)
{
  g_autoptr(GVariant) optimizer = get_state (self, "optimizer");
  g_autoptr(GVariant) batch_size = get_state (self, "batch-size");
  g_autoptr(GVariant) seed = get_state (self, "seed");
  g_autoptr(GVariant) test_split = get_state (self, "test-split");
  g_autoptr(GVariant) epochs = get_state (self, "epochs");
  StOptimizerKind kind = ST_OPTIMIZER_SGD;

  self->updating_controls = TRUE;
  st_optimizer_kind_from_string (g_variant_get_string (optimizer, NULL), &kind);
  for (guint i = 0; i < G_N_ELEMENTS (optimizer_choices); i++)
    if (optimizer_choices[i] == kind)
      adw_combo_row_set_selected (self->optimizer_row, i);
  gtk_spin_button_set_value (self->batch_size_spin, g_variant_get_uint32 (batch_size));
  gtk_spin_button_set_value (self->seed_spin, g_variant_get_uint32 (seed));
  gtk_spin_button_set_value (self->test_split_spin, g_variant_get_double (test_split));
  gtk_spin_button_set_value (self->epochs_spin, g_variant_get_uint32 (epochs));
  self->updating_controls = FALSE;
}

static const GActionEntry training_entries[] = {
  { "start", NULL, NULL, "false", start_change_state },
  { "step", step_activated },
  { "reset", reset_activated },
  { "learning-rate", NULL, NULL, "0.1", learning_rate_change_state },
  { "speed", NULL, NULL, "uint32 10", speed_change_state },
  { "optimizer", NULL, NULL, "'sgd'", optimizer_change_state },
  { "batch-size", NULL, NULL, "uint32 1", trainer_uint_change_state },
  { "seed", NULL, NULL, "uint32 1", trainer_uint_change_state },
  { "epochs", NULL, NULL, "uint32 0", epochs_change_state },
  { "test-split", NULL, NULL, "0.0", test_split_change_state },
  { "standardize", NULL, NULL, "false", standardize_change_state },
};

static void
connect_spin (StWindow      *self,
              GtkSpinButton *spin,
              const char    *action)
{
  g_object_set_data (G_OBJECT (spin), "st-action", (gpointer) action);
  g_signal_connect_object (spin, "value-changed", G_CALLBACK (spin_changed), self, G_CONNECT_SWAPPED);
}

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
  _st_window_sync_training_controls (self);

  connect_spin (self, self->learning_rate_spin, "learning-rate");
  connect_spin (self, self->batch_size_spin, "batch-size");
  connect_spin (self, self->seed_spin, "seed");
  connect_spin (self, self->epochs_spin, "epochs");
  connect_spin (self, self->test_split_spin, "test-split");
  g_signal_connect_object (self->speed_row, "notify::selected",
                           G_CALLBACK (combo_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->optimizer_row, "notify::selected",
                           G_CALLBACK (combo_selected), self, G_CONNECT_SWAPPED);
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
