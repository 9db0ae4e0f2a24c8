/* st-window-history.c: the history timeline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The worker hands over a snapshot every few steps (the "snapshot-
 * interval" setting, doubled whenever the history thins itself out), and
 * the window keeps them with the pattern they belong to.  The timeline
 * slider shows any of them: the heat map, the progress numbers and a
 * marker on the cost plot go back to that step, and training pauses.
 * "Restore This State" (win.restore-state) continues from the step
 * shown: later frames and costs are dropped and a new trainer starts
 * from the restored weights.  win.history-live returns to the newest
 * state.
 */

#define G_LOG_DOMAIN "st-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "st-window-private.h"

static GSimpleAction *
lookup_action (StWindow   *self,
               const char *name)
{
  return G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), name));
}

/* Adds the trainer's @snapshot as a frame; its step counts from the
 * current trainer's start. */
void
_st_window_add_frame (StWindow   *self,
                      StSnapshot *snapshot)
{
  guint64 step = self->base_step + st_snapshot_get_step (snapshot);
  guint epoch = self->base_epoch + st_snapshot_get_epoch (snapshot);

  if (st_run_history_add_frame (self->history, step, epoch, snapshot, self->pattern))
    {
      self->snapshot_interval *= 2;
      if (self->worker != NULL)
        st_training_worker_set_snapshot_interval (self->worker, self->snapshot_interval);
    }
}

void
_st_window_update_timeline (StWindow *self)
{
  guint n = st_run_history_get_n_frames (self->history);
  guint shown = self->viewing_frame >= 0 ? (guint) self->viewing_frame : (n > 0 ? n - 1 : 0);
  const StHistoryFrame *frame = n > 0 ? st_run_history_get_frame (self->history, shown) : NULL;
  g_autofree char *label = NULL;
  g_autofree char *step = g_strdup_printf ("%" G_GUINT64_FORMAT, self->viewing_frame < 0 ? _st_window_get_step (self)
                                                                  : frame != NULL ? frame->step : 0);

  self->updating_controls = TRUE;
  gtk_adjustment_configure (self->timeline_adjustment, shown, 0, MAX (n, 1) - 1, 1, MAX (n / 10, 1), 0);
  self->updating_controls = FALSE;

  if (self->viewing_frame < 0)
    /* Translators: the timeline shows the newest state; %s is a step number. */
    label = g_strdup_printf (_("Newest: step %s"), step);
  else
    /* Translators: the timeline shows a past state; %s is a step number. */
    label = g_strdup_printf (_("Step %s"), step);
  gtk_label_set_label (self->timeline_label, label);

  g_simple_action_set_enabled (lookup_action (self, "restore-state"), self->viewing_frame >= 0);
  g_simple_action_set_enabled (lookup_action (self, "history-live"), self->viewing_frame >= 0);
}

static void
timeline_value_changed (StWindow      *self,
                        GtkAdjustment *adjustment)
{
  guint n = st_run_history_get_n_frames (self->history);
  guint index = (guint) gtk_adjustment_get_value (adjustment);

  if (self->updating_controls || n == 0)
    return;

  if (self->running)
    _st_window_set_running (self, FALSE);

  _st_window_show_frame (self, index + 1 >= n ? -1 : (int) index);
  _st_window_update_actions (self);
  _st_window_update_timeline (self);
}

static void
history_position_activated (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);

  gtk_adjustment_set_value (self->timeline_adjustment, g_variant_get_uint32 (parameter));
}

static void
history_live_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);

  _st_window_show_frame (self, -1);
  _st_window_update_actions (self);
  _st_window_update_timeline (self);
}

/* A network of @pattern's shape with @template's activations, biases
 * and layouts.  @values and @biases come from a snapshot, or NULL for
 * the pattern's start weights and @template's biases. */
static StNetwork *
build_network (const StNetwork  *template,
               StNetworkPattern *pattern,
               StSnapshot       *snapshot,
               GError          **error)
{
  g_autoptr(StNetwork) network = st_network_new (st_network_get_loss (template));

  for (guint l = 0; l < st_network_pattern_get_n_layers (pattern); l++)
    {
      const StLayerPattern *lp = st_network_pattern_get_layer (pattern, l);
      StLayer *old = st_network_get_layer (template, l);
      const double *values = snapshot != NULL ? st_snapshot_get_values (snapshot, l) : lp->start_values;
      const double *bias = snapshot != NULL ? st_snapshot_get_bias (snapshot, l) : NULL;
      StLayer *layer;

      layer = st_layer_new (lp->rows, lp->cols, lp->nnz, lp->entry_rows, lp->entry_cols, values,
                            st_layer_get_layout (old), error);
      if (layer == NULL)
        return NULL;

      st_layer_set_activation (layer, st_layer_get_activation (old));
      if (st_layer_has_bias (old))
        {
          st_layer_set_has_bias (layer, TRUE, NULL);
          memcpy (st_layer_get_bias (layer), bias != NULL ? bias : st_layer_get_bias (old),
                  sizeof (double) * lp->rows);
        }

      if (!st_network_append_layer (network, layer, error))
        return NULL;
    }

  if (st_network_get_input_mean (template) != NULL)
    st_network_set_standardization (network, st_network_get_input_mean (template),
                                    st_network_get_input_scale (template));

  if (!st_network_validate (network, error))
    return NULL;

  return g_steal_pointer (&network);
}

/**
 * st_window_restore_frame:
 * @self: a window
 * @index: a frame of the timeline
 *
 * Continues training from frame @index without asking: frames and costs
 * after it are dropped.  The optimizer's state (momentum, Adam's
 * moments) and the batch order start afresh, so the run that follows
 * is not the one that was dropped, step for step.
 *
 * Returns: %FALSE, with an error dialog, when the frame cannot be
 *   turned back into a network
 */
gboolean
st_window_restore_frame (StWindow *self,
                         guint     index)
{
  const StHistoryFrame *frame;
  g_autoptr(StNetwork) live = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(StNetworkPattern) pattern = NULL;
  g_autoptr(StSnapshot) snapshot = NULL;
  StNetwork *network;
  StNetwork *start;
  guint64 step;
  guint epoch;

  g_return_val_if_fail (ST_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (index < st_run_history_get_n_frames (self->history), FALSE);

  frame = st_run_history_get_frame (self->history, index);
  pattern = st_network_pattern_ref (frame->pattern);
  snapshot = st_snapshot_ref (frame->snapshot);
  step = frame->step;
  epoch = frame->epoch;

  _st_window_set_running (self, FALSE);
  live = st_window_copy_network (self);
  network = build_network (live, pattern, snapshot, &error);
  start = network != NULL ? build_network (self->initial_network, pattern, NULL, &error) : NULL;
  if (start == NULL)
    {
      g_clear_pointer (&network, st_network_free);
      _st_window_show_error (self, _("Could Not Restore the State"), error->message);
      return FALSE;
    }
  st_network_set_updates (network, step);

  g_clear_pointer (&self->initial_network, st_network_free);
  self->initial_network = start;
  g_clear_pointer (&self->pattern, st_network_pattern_unref);
  self->pattern = st_network_pattern_ref (pattern);
  _st_window_clear_edits (self);

  /* Forget what came after, then go on from the frame's step. */
  st_run_history_truncate (self->history, step);
  st_cost_plot_truncate (self->cost_plot, step);
  self->last_record = (StHistoryRecord) { 0, 0, NAN, NAN, NAN };
  {
    const StHistory *records = st_run_history_get_records (self->history);

    if (st_history_get_length (records) > 0)
      self->last_record = *st_history_get (records, st_history_get_length (records) - 1);
  }

  self->viewing_frame = -1;
  g_clear_pointer (&self->snapshot, st_snapshot_unref);
  self->base_step = step;
  self->base_epoch = epoch;
  _st_window_continue_training (self, network);

  _st_window_fill_layer_list (self);
  _st_window_select_layer (self, self->selected_layer);
  st_cost_plot_set_marker (self->cost_plot, -1);
  _st_window_set_modified (self, TRUE);
  _st_window_update_timeline (self);

  {
    g_autofree char *step_text = g_strdup_printf ("%" G_GUINT64_FORMAT, step);

    /* Translators: %s is a step number. */
    _st_window_show_toast (self, _("Training continues from step %s"), step_text);
  }
  return TRUE;
}

static void
restore_response (AdwMessageDialog *dialog,
                  const char       *response,
                  StWindow         *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dialog), "st-frame"));

  if (g_strcmp0 (response, "restore") == 0 && index < st_run_history_get_n_frames (self->history))
    st_window_restore_frame (self, index);
}

static void
restore_state_activated (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);
  const StHistoryFrame *frame;
  g_autofree char *heading = NULL;
  g_autofree char *step = NULL;
  GtkWidget *dialog;

  if (self->viewing_frame < 0)
    return;

  frame = st_run_history_get_frame (self->history, self->viewing_frame);
  step = g_strdup_printf ("%" G_GUINT64_FORMAT, frame->step);
  /* Translators: %s is a step number. */
  heading = g_strdup_printf (_("Continue From Step %s?"), step);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("The steps after it, their costs and their snapshots are discarded."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "restore", _("_Restore"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "restore", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "restore");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "st-frame", GUINT_TO_POINTER (self->viewing_frame));
  g_signal_connect_object (dialog, "response", G_CALLBACK (restore_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static const GActionEntry history_entries[] = {
  { "history-position", history_position_activated, "u" },
  { "history-live", history_live_activated },
  { "restore-state", restore_state_activated },
};

void
_st_window_add_history_actions (StWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), history_entries, G_N_ELEMENTS (history_entries), self);

  g_signal_connect_object (self->timeline_adjustment, "value-changed",
                           G_CALLBACK (timeline_value_changed), self, G_CONNECT_SWAPPED);
}
