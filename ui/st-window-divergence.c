/* st-window-divergence.c: the banner shown when training diverges
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine stops at the first cost or gradient that is not finite and
 * leaves the weights finite; the training thread then publishes its
 * message.  The window shows it in a banner under the header, with the
 * step, and offers to go back to the newest timeline frame whose weights
 * and cost are finite (win.restore-finite-state), as "Restore This
 * State" would.  win.dismiss-divergence hides the banner; so does
 * anything that starts training again.
 */

#define G_LOG_DOMAIN "st-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "st-window-private.h"

static GSimpleAction *
lookup_action (StWindow   *self,
               const char *name)
{
  return G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), name));
}

static gboolean
values_are_finite (const double *values,
                   gsize         count)
{
  for (gsize k = 0; k < count; k++)
    if (!isfinite (values[k]))
      return FALSE;

  return TRUE;
}

static gboolean
snapshot_is_finite (StSnapshot             *snapshot,
                    const StNetworkPattern *pattern)
{
  for (guint l = 0; l < st_snapshot_get_n_layers (snapshot); l++)
    {
      const double *bias = st_snapshot_get_bias (snapshot, l);

      if (!values_are_finite (st_snapshot_get_values (snapshot, l), st_snapshot_get_nnz (snapshot, l)))
        return FALSE;
      if (bias != NULL && !values_are_finite (bias, st_network_pattern_get_layer (pattern, l)->rows))
        return FALSE;
    }

  return TRUE;
}

/* The cost of a frame's weights: the training cost of the epoch that
 * ended at its step when there is one, otherwise the cost of the batch
 * that led to it. */
static double
frame_get_cost (StWindow             *self,
                const StHistoryFrame *frame)
{
  const StHistory *records = st_run_history_get_records (self->history);

  for (guint i = st_history_get_length (records); i > 0; i--)
    {
      const StHistoryRecord *record = st_history_get (records, i - 1);

      if (record->step == frame->step)
        return record->train_cost;
      if (record->step < frame->step)
        break;
    }

  return st_snapshot_get_batch_cost (frame->snapshot);
}

/* Returns: the newest frame whose weights and cost are finite, or -1. */
static int
st_window_find_finite_frame (StWindow *self)
{
  for (guint i = st_run_history_get_n_frames (self->history); i > 0; i--)
    {
      const StHistoryFrame *frame = st_run_history_get_frame (self->history, i - 1);
      double cost = frame_get_cost (self, frame);

      /* Frame 0 has no cost yet (NaN), and its weights are the start weights. */
      if ((isfinite (cost) || (frame->step == 0 && isnan (cost))) &&
          snapshot_is_finite (frame->snapshot, frame->pattern))
        return (int) (i - 1);
    }

  return -1;
}

/**
 * _st_window_show_divergence:
 * @self: a window
 * @error: the engine's message, in %ST_ERROR_NUMERIC
 *
 * Shows the banner with the step and @error, and offers the newest
 * finite frame of the timeline.
 */
void
_st_window_show_divergence (StWindow     *self,
                            const GError *error)
{
  g_autofree char *step = g_strdup_printf ("%" G_GUINT64_FORMAT, _st_window_get_step (self));
  g_autofree char *text = NULL;
  int frame = st_window_find_finite_frame (self);

  /* Translators: %s is a step number, then the engine's message. */
  text = g_strdup_printf (_("Stopped at step %s. %s"), step, error->message);
  gtk_label_set_label (self->divergence_label, text);

  self->finite_frame = frame;
  if (frame >= 0)
    {
      const StHistoryFrame *found = st_run_history_get_frame (self->history, (guint) frame);
      g_autofree char *found_step = g_strdup_printf ("%" G_GUINT64_FORMAT, found->step);
      g_autofree char *label = NULL;

      /* Translators: a button; %s is a step number. */
      label = g_strdup_printf (_("_Restore Step %s"), found_step);
      gtk_button_set_label (self->divergence_restore_button, label);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->divergence_restore_button), frame >= 0);
  g_simple_action_set_enabled (lookup_action (self, "restore-finite-state"), frame >= 0);
  g_simple_action_set_enabled (lookup_action (self, "dismiss-divergence"), TRUE);

  gtk_revealer_set_reveal_child (self->divergence_revealer, TRUE);
}

void
_st_window_hide_divergence (StWindow *self)
{
  GAction *restore = g_action_map_lookup_action (G_ACTION_MAP (self), "restore-finite-state");

  /* The actions do not exist yet while the window loads its first model. */
  if (restore == NULL)
    return;

  self->finite_frame = -1;
  g_simple_action_set_enabled (G_SIMPLE_ACTION (restore), FALSE);
  g_simple_action_set_enabled (lookup_action (self, "dismiss-divergence"), FALSE);
  gtk_revealer_set_reveal_child (self->divergence_revealer, FALSE);
}

/* Goes on from the finite frame without a question, because the banner
 * names the step and the steps after it led to the divergence. */
static void
restore_finite_state_activated (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);
  int frame = self->finite_frame;

  if (frame < 0 || (guint) frame >= st_run_history_get_n_frames (self->history))
    return;

  _st_window_hide_divergence (self);
  st_window_restore_frame (self, (guint) frame);
}

static void
dismiss_divergence_activated (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  _st_window_hide_divergence (ST_WINDOW (user_data));
}

static const GActionEntry divergence_entries[] = {
  { "restore-finite-state", restore_finite_state_activated },
  { "dismiss-divergence", dismiss_divergence_activated },
};

void
_st_window_add_divergence_actions (StWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), divergence_entries,
                                   G_N_ELEMENTS (divergence_entries), self);
  _st_window_hide_divergence (self);
}
