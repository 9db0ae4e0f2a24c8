/* st-window-view.c: how the layer and the window are shown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Actions: win.zoom-in, win.zoom-out, win.zoom-fit, win.view (string
 * state: weights, gradient, update, change), win.fixed-range (boolean),
 * win.select-layer (uint32 parameter), win.layer-layout ("(us)": layer
 * and csr, csc or coo), win.show-storage (boolean) and
 * win.presentation (boolean; full screen, larger text, thicker lines)
 * and win.show-help-overlay (the keyboard shortcuts window).
 *
 * The shortcuts window is built when it is opened and destroyed when it
 * closes.  GtkApplication would otherwise create a hidden one for every
 * window from gtk/help-overlay.ui.  Asked for a window index past the
 * visible ones, GTK 4.8's AT-SPI root replies with the last window in
 * its list.  A hidden window that was never realized has no object path,
 * so that reply crashes the application.
 *
 * Changing a layer's layout needs no new trainer: the layouts give
 * bit-identical results, so the live layer is converted between two
 * steps and training goes on.
 *
 * With SPARSE_TRAINER_FRAME_LOG set to a file name, the window appends
 * one line per painted frame: the milliseconds since the previous frame
 * and the milliseconds the frame's work took (from the frame clock's
 * before-paint to its after-paint, layout and rendering included).
 * build-aux/measure-window-speed reads it.
 */

#define G_LOG_DOMAIN "st-window"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include "st-legend-bar.h"
#include "st-window-private.h"

static const char *const view_names[ST_HEATMAP_N_VIEWS] = { "weights", "gradient", "update", "change" };

static GSimpleAction *
lookup_action (StWindow   *self,
               const char *name)
{
  return G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), name));
}

static void
zoom_in_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  st_heatmap_zoom_in (ST_WINDOW (user_data)->heatmap);
}

static void
zoom_out_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  st_heatmap_zoom_out (ST_WINDOW (user_data)->heatmap);
}

static void
zoom_fit_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  st_heatmap_zoom_to_fit (ST_WINDOW (user_data)->heatmap);
}

static void
view_change_state (GSimpleAction *action,
                   GVariant      *state,
                   gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);
  const char *name = g_variant_get_string (state, NULL);

  for (guint i = 0; i < ST_HEATMAP_N_VIEWS; i++)
    if (g_str_equal (name, view_names[i]))
      {
        g_simple_action_set_state (action, state);
        st_heatmap_set_view (self->heatmap, i);
        if (gtk_drop_down_get_selected (self->view_dropdown) != i)
          gtk_drop_down_set_selected (self->view_dropdown, i);
        return;
      }
}

static void
view_dropdown_selected (StWindow    *self,
                        GParamSpec  *pspec,
                        GtkDropDown *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (selected < ST_HEATMAP_N_VIEWS)
    g_action_group_change_action_state (G_ACTION_GROUP (self), "view", g_variant_new_string (view_names[selected]));
}

static void
fixed_range_change_state (GSimpleAction *action,
                          GVariant      *state,
                          gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);

  g_simple_action_set_state (action, state);
  st_heatmap_set_fixed_range (self->heatmap, g_variant_get_boolean (state),
                              gtk_spin_button_get_value (self->range_spin));
}

static void
range_spin_changed (StWindow      *self,
                    GtkSpinButton *spin)
{
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (self), "fixed-range");

  st_heatmap_set_fixed_range (self->heatmap, g_variant_get_boolean (state), gtk_spin_button_get_value (spin));
}

static void
select_layer_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  _st_window_select_layer (ST_WINDOW (user_data), g_variant_get_uint32 (parameter));
}

static void
layer_layout_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);
  g_autoptr(GError) error = NULL;
  const char *name;
  guint index;
  StLayout layout;

  g_variant_get (parameter, "(u&s)", &index, &name);
  if (!st_layout_from_string (name, &layout) || index >= st_network_get_n_layers (self->initial_network))
    return;

  if (self->worker != NULL)
    {
      StTrainer *trainer = st_training_worker_lock_trainer (self->worker);

      st_layer_set_layout (st_network_get_layer (st_trainer_get_network (trainer), index), layout, &error);
      st_training_worker_unlock_trainer (self->worker);
    }
  else if (self->network != NULL)
    {
      st_layer_set_layout (st_network_get_layer (self->network, index), layout, &error);
    }

  if (error == NULL)
    st_layer_set_layout (st_network_get_layer (self->initial_network, index), layout, &error);

  if (error != NULL)
    {
      _st_window_show_error (self, _("Could Not Change the Layout"), error->message);
      return;
    }

  _st_window_fill_layer_list (self);
  _st_window_select_layer (self, self->selected_layer);
  _st_window_set_modified (self, TRUE);
}

/* Shows the storage arrays beside the heat map when asked and the layer
 * is small enough. */
void
_st_window_update_layer_view (StWindow *self)
{
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (self), "show-storage");
  gboolean wanted = state != NULL && g_variant_get_boolean (state);
  gboolean fits = st_heatmap_get_rows (self->heatmap) <= ST_STORAGE_VIEW_MAX_DIMENSION &&
                  st_heatmap_get_cols (self->heatmap) <= ST_STORAGE_VIEW_MAX_DIMENSION;

  gtk_widget_set_visible (self->storage_scroller, wanted && fits);
  if (wanted && !fits)
    /* Translators: %u is the largest number of rows and columns the storage view shows. */
    _st_window_show_toast (self, _("The storage arrays are shown for layers up to %u × %u"),
                           ST_STORAGE_VIEW_MAX_DIMENSION, ST_STORAGE_VIEW_MAX_DIMENSION);
}

static void
show_storage_change_state (GSimpleAction *action,
                           GVariant      *state,
                           gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);

  g_simple_action_set_state (action, state);
  _st_window_update_layer_view (self);
  g_clear_pointer (&self->shown_pattern, st_network_pattern_unref);
  _st_window_select_layer (self, self->selected_layer);
}

static void
presentation_change_state (GSimpleAction *action,
                           GVariant      *state,
                           gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);
  gboolean presentation = g_variant_get_boolean (state);

  g_simple_action_set_state (action, state);
  self->presentation = presentation;

  if (presentation)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "presentation");
      gtk_window_fullscreen (GTK_WINDOW (self));
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "presentation");
      gtk_window_unfullscreen (GTK_WINDOW (self));
    }

  st_heatmap_set_presentation (self->heatmap, presentation);
  st_cost_plot_set_presentation (self->cost_plot, presentation);
  g_simple_action_set_enabled (lookup_action (self, "leave-presentation"), presentation);
}

static void
leave_presentation_activated (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  g_action_group_change_action_state (G_ACTION_GROUP (user_data), "presentation", g_variant_new_boolean (FALSE));
}

static void
show_help_overlay_activated (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_PREFIX "/st-shortcuts-window.ui");
  GtkWindow *window = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));

  gtk_window_set_transient_for (window, GTK_WINDOW (user_data));
  gtk_window_present (window);
}

static void
heatmap_pointer_changed (StWindow  *self,
                         int        row,
                         int        col,
                         StHeatmap *heatmap)
{
  if (gtk_widget_get_visible (self->storage_scroller))
    st_storage_view_set_highlight (self->storage_view, row, col);
}

static void
storage_entry_hovered (StWindow      *self,
                       int            row,
                       int            col,
                       StStorageView *view)
{
  st_heatmap_set_highlight (self->heatmap, row, col);
}

static void
color_map_changed (StWindow   *self,
                   const char *key,
                   GSettings  *settings)
{
  g_autofree char *name = g_settings_get_string (settings, "color-map");
  StColorMap color_map = ST_COLOR_MAP_BLUE_RED;

  st_color_map_from_string (name, &color_map);
  st_heatmap_set_color_map (self->heatmap, color_map);
  st_legend_bar_set_color_map (ST_LEGEND_BAR (self->scale_bar), color_map);
}

/* Applies the thread count to the live network; results do not depend
 * on it, so training goes on. */
static void
threads_changed (StWindow   *self,
                 const char *key,
                 GSettings  *settings)
{
  guint threads = MAX (g_settings_get_uint (settings, "threads"), 1);

  if (self->worker != NULL)
    {
      StTrainer *trainer = st_training_worker_lock_trainer (self->worker);

      st_network_set_threads (st_trainer_get_network (trainer), threads, NULL);
      st_training_worker_unlock_trainer (self->worker);
    }
}

static void
snapshot_interval_changed (StWindow   *self,
                           const char *key,
                           GSettings  *settings)
{
  self->snapshot_interval = MAX (g_settings_get_uint (settings, "snapshot-interval"), 1);
  if (self->worker != NULL)
    st_training_worker_set_snapshot_interval (self->worker, self->snapshot_interval);
}

/* Frame timing */

static void
frame_before_paint (StWindow      *self,
                    GdkFrameClock *clock)
{
  self->frame_start = g_get_monotonic_time ();
}

static void
frame_after_paint (StWindow      *self,
                   GdkFrameClock *clock)
{
  gint64 now = g_get_monotonic_time ();
  gint64 frame_time = gdk_frame_clock_get_frame_time (clock);
  g_autofree char *path = g_file_get_path (self->frame_log_file);
  FILE *log;

  if (self->last_frame > 0 && self->frame_start > 0)
    {
      log = g_fopen (path, "a");
      if (log != NULL)
        {
          fprintf (log, "%.3f %.3f\n", (frame_time - self->last_frame) / 1000.0,
                   (now - self->frame_start) / 1000.0);
          fclose (log);
        }
    }

  self->last_frame = frame_time;
}

static void
st_window_realized (StWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  g_signal_connect_object (clock, "before-paint", G_CALLBACK (frame_before_paint), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (clock, "after-paint", G_CALLBACK (frame_after_paint), self, G_CONNECT_SWAPPED);
}

void
_st_window_start_frame_log (StWindow *self)
{
  const char *path = g_getenv ("SPARSE_TRAINER_FRAME_LOG");

  if (path == NULL || *path == '\0')
    return;

  self->frame_log_file = g_file_new_for_path (path);
  g_signal_connect (self, "realize", G_CALLBACK (st_window_realized), NULL);
}

static const GActionEntry view_entries[] = {
  { "zoom-in", zoom_in_activated },
  { "zoom-out", zoom_out_activated },
  { "zoom-fit", zoom_fit_activated },
  { "view", NULL, NULL, "'weights'", view_change_state },
  { "fixed-range", NULL, NULL, "false", fixed_range_change_state },
  { "select-layer", select_layer_activated, "u" },
  { "layer-layout", layer_layout_activated, "(us)" },
  { "show-storage", NULL, NULL, "false", show_storage_change_state },
  { "presentation", NULL, NULL, "false", presentation_change_state },
  { "leave-presentation", leave_presentation_activated },
  { "show-help-overlay", show_help_overlay_activated },
};

void
_st_window_add_view_actions (StWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), view_entries, G_N_ELEMENTS (view_entries), self);
  g_simple_action_set_enabled (lookup_action (self, "leave-presentation"), FALSE);

  g_signal_connect_object (self->view_dropdown, "notify::selected",
                           G_CALLBACK (view_dropdown_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->range_spin, "value-changed",
                           G_CALLBACK (range_spin_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->heatmap, "pointer-changed",
                           G_CALLBACK (heatmap_pointer_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->storage_view, "entry-hovered",
                           G_CALLBACK (storage_entry_hovered), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->settings, "changed::color-map", G_CALLBACK (color_map_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::threads", G_CALLBACK (threads_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::snapshot-interval",
                           G_CALLBACK (snapshot_interval_changed), self, G_CONNECT_SWAPPED);
  color_map_changed (self, "color-map", self->settings);
}
