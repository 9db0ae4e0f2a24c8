/* st-window-edit.c: editing the pattern of a layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Actions: win.tool (string state: move, draw, erase, draw-rectangle,
 * erase-rectangle), win.undo, win.redo, win.invert-pattern,
 * win.clear-pattern, win.generators and win.new-network.
 *
 * Edits are possible while training is paused and the newest state is
 * shown.  Each edit goes to the trained weights and to the start weights
 * that Reset returns to, then training goes on from the edited weights
 * with a new trainer.  New entries get weights drawn as the layer's
 * initialisation would (LeCun uniform, scaled by their row's fan-in).
 */

#define G_LOG_DOMAIN "st-window"

#include "config.h"

#include <glib/gi18n.h>

#include "st-generator-dialog.h"
#include "st-combo-list.h"
#include "st-window-private.h"

/* Undo steps kept; older edits are forgotten. */
#define MAX_UNDO 100

static const char *const tool_names[] = {
  "move", "draw", "erase", "draw-rectangle", "erase-rectangle",
};

static GSimpleAction *
lookup_action (StWindow   *self,
               const char *name)
{
  return G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), name));
}

static gboolean
st_window_can_edit (StWindow *self)
{
  return !self->running && self->viewing_frame < 0 && self->initial_network != NULL;
}

void
_st_window_update_edit_actions (StWindow *self)
{
  gboolean editable = st_window_can_edit (self);

  g_simple_action_set_enabled (lookup_action (self, "undo"), editable && self->undo_stack->len > 0);
  g_simple_action_set_enabled (lookup_action (self, "redo"), editable && self->redo_stack->len > 0);
  g_simple_action_set_enabled (lookup_action (self, "invert-pattern"), editable);
  g_simple_action_set_enabled (lookup_action (self, "clear-pattern"), editable);
  g_simple_action_set_enabled (lookup_action (self, "generators"), editable);
}

void
_st_window_clear_edits (StWindow *self)
{
  g_ptr_array_set_size (self->undo_stack, 0);
  g_ptr_array_set_size (self->redo_stack, 0);
  if (g_action_map_lookup_action (G_ACTION_MAP (self), "undo") != NULL)
    _st_window_update_edit_actions (self);
}

static StPatternInit
st_window_next_init (StWindow *self)
{
  StPatternInit init = { ST_INIT_LECUN_UNIFORM, g_settings_get_uint64 (self->settings, "pattern-seed") + self->edit_count };

  self->edit_count++;
  return init;
}

/* Applies @edit (or reverts it, with @undo) to the trained and the start
 * weights.  Returns: %FALSE with an error dialog when it fails. */
static gboolean
st_window_apply_edit (StWindow            *self,
                      const StPatternEdit *edit,
                      gboolean             undo)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StNetwork) network = st_window_copy_network (self);
  StNetwork *edited;
  StNetwork *start;

  edited = st_pattern_edit_apply (edit, network, undo, FALSE, &error);
  start = edited != NULL ? st_pattern_edit_apply (edit, self->initial_network, undo, TRUE, &error) : NULL;
  if (start == NULL)
    {
      g_clear_pointer (&edited, st_network_free);
      _st_window_show_error (self, _("Could Not Edit the Pattern"), error->message);
      return FALSE;
    }

  g_clear_pointer (&self->initial_network, st_network_free);
  self->initial_network = start;
  self->initial_saved = FALSE;
  g_clear_pointer (&self->pattern, st_network_pattern_unref);
  self->pattern = st_network_pattern_new (start);

  _st_window_continue_training (self, edited);
  _st_window_fill_layer_list (self);
  _st_window_select_layer (self, self->selected_layer);
  _st_window_set_modified (self, TRUE);
  return TRUE;
}

/* Applies a new edit and makes it undoable.  Takes @edit. */
static void
st_window_do_edit (StWindow      *self,
                   StPatternEdit *edit)
{
  if (edit == NULL)
    return;

  if (st_pattern_edit_is_empty (edit) || !st_window_apply_edit (self, edit, FALSE))
    {
      st_pattern_edit_free (edit);
      return;
    }

  g_ptr_array_add (self->undo_stack, edit);
  if (self->undo_stack->len > MAX_UNDO)
    g_ptr_array_remove_index (self->undo_stack, 0);
  g_ptr_array_set_size (self->redo_stack, 0);
  _st_window_update_edit_actions (self);
}

static void
st_window_edit_failed (StWindow     *self,
                       const GError *error)
{
  _st_window_show_error (self, _("Could Not Edit the Pattern"), error->message);
}

static void
heatmap_edit_cells (StWindow  *self,
                    gboolean   add,
                    GArray    *cells,
                    StHeatmap *heatmap)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StNetwork) network = NULL;
  g_autofree guint *rows = NULL;
  g_autofree guint *cols = NULL;
  StPatternInit init;
  StPatternEdit *edit;

  if (!st_window_can_edit (self))
    return;

  rows = g_new (guint, MAX (cells->len, 1));
  cols = g_new (guint, MAX (cells->len, 1));
  for (guint i = 0; i < cells->len; i++)
    {
      rows[i] = g_array_index (cells, StHeatmapCell, i).row;
      cols[i] = g_array_index (cells, StHeatmapCell, i).col;
    }

  network = st_window_copy_network (self);
  init = st_window_next_init (self);
  edit = st_pattern_edit_new_cells (network, self->initial_network, self->selected_layer, add,
                                    rows, cols, cells->len, &init, &error);
  if (edit == NULL)
    st_window_edit_failed (self, error);
  st_window_do_edit (self, edit);
}

static void
heatmap_edit_rectangle (StWindow  *self,
                        gboolean   add,
                        guint      first_row,
                        guint      first_col,
                        guint      last_row,
                        guint      last_col,
                        StHeatmap *heatmap)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StNetwork) network = NULL;
  StPatternInit init;
  StPatternEdit *edit;

  if (!st_window_can_edit (self))
    return;

  network = st_window_copy_network (self);
  init = st_window_next_init (self);
  edit = st_pattern_edit_new_rectangle (network, self->initial_network, self->selected_layer, add,
                                        first_row, first_col, last_row, last_col, &init, &error);
  if (edit == NULL)
    st_window_edit_failed (self, error);
  st_window_do_edit (self, edit);
}

static void
undo_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);
  StPatternEdit *edit;

  if (self->undo_stack->len == 0 || !st_window_can_edit (self))
    return;

  edit = g_ptr_array_steal_index (self->undo_stack, self->undo_stack->len - 1);
  if (self->selected_layer != edit->layer)
    _st_window_select_layer (self, edit->layer);
  if (st_window_apply_edit (self, edit, TRUE))
    g_ptr_array_add (self->redo_stack, edit);
  else
    st_pattern_edit_free (edit);
  _st_window_update_edit_actions (self);
}

static void
redo_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);
  StPatternEdit *edit;

  if (self->redo_stack->len == 0 || !st_window_can_edit (self))
    return;

  edit = g_ptr_array_steal_index (self->redo_stack, self->redo_stack->len - 1);
  if (self->selected_layer != edit->layer)
    _st_window_select_layer (self, edit->layer);
  if (st_window_apply_edit (self, edit, FALSE))
    g_ptr_array_add (self->undo_stack, edit);
  else
    st_pattern_edit_free (edit);
  _st_window_update_edit_actions (self);
}

static void
invert_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(StNetwork) network = st_window_copy_network (self);
  StPatternInit init = st_window_next_init (self);
  StPatternEdit *edit;

  edit = st_pattern_edit_new_invert (network, self->initial_network, self->selected_layer, &init, &error);
  if (edit == NULL)
    st_window_edit_failed (self, error);
  st_window_do_edit (self, edit);
}

static void
clear_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(StNetwork) network = st_window_copy_network (self);
  StLayer *layer = st_network_get_layer (network, self->selected_layer);
  StPatternInit init = st_window_next_init (self);
  StPatternEdit *edit;

  edit = st_pattern_edit_new_rectangle (network, self->initial_network, self->selected_layer, FALSE,
                                        0, 0, st_layer_get_rows (layer) - 1, st_layer_get_cols (layer) - 1,
                                        &init, &error);
  if (edit == NULL)
    st_window_edit_failed (self, error);
  st_window_do_edit (self, edit);
}

static void
tool_change_state (GSimpleAction *action,
                   GVariant      *state,
                   gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);
  const char *name = g_variant_get_string (state, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (tool_names); i++)
    if (g_str_equal (name, tool_names[i]))
      {
        g_simple_action_set_state (action, state);
        st_heatmap_set_tool (self->heatmap, i);
        return;
      }
}

static void
st_window_apply_generated_layer (GtkWindow *parent,
                                 StLayer   *layer)
{
  StWindow *self = ST_WINDOW (parent);
  g_autoptr(StLayer) owned = layer;
  g_autoptr(StNetwork) network = st_window_copy_network (self);

  if (!st_window_can_edit (self))
    return;

  st_window_do_edit (self, st_pattern_edit_new_replace (network, self->initial_network,
                                                        self->selected_layer, layer));
}

static void
generators_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);
  StLayer *layer = st_network_get_layer (self->initial_network, self->selected_layer);
  GtkWindow *dialog;

  dialog = st_generator_dialog_new_for_layer (GTK_WINDOW (self), st_layer_get_rows (layer),
                                              st_layer_get_cols (layer), st_layer_get_layout (layer),
                                              st_window_apply_generated_layer);
  gtk_window_present (dialog);
}

static void
st_window_apply_new_network (GtkWindow *parent,
                             StNetwork *network)
{
  StWindow *self = ST_WINDOW (parent);

  g_object_set_data_full (G_OBJECT (self), "st-pending-network", network, (GDestroyNotify) st_network_free);
}

static void
st_window_set_pending_network (StWindow *self)
{
  StNetwork *network = g_object_steal_data (G_OBJECT (self), "st-pending-network");

  if (network == NULL)
    return;

  g_clear_pointer (&self->lesson, st_lesson_free);
  gtk_widget_set_visible (self->lesson_group, FALSE);
  _st_window_set_model (self, network, NULL, _("New Network"));
}

static void
st_window_new_network_closed (StWindow  *self,
                              GtkWindow *dialog)
{
  if (g_object_get_data (G_OBJECT (self), "st-pending-network") != NULL)
    _st_window_confirm_discard (self, st_window_set_pending_network);
}

static void
new_network_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);
  gboolean classification = st_dataset_is_classification (self->dataset);
  GtkWindow *dialog;

  _st_window_set_running (self, FALSE);
  dialog = st_generator_dialog_new_for_network (GTK_WINDOW (self), st_dataset_get_n_inputs (self->dataset),
                                                classification ? st_dataset_get_n_classes (self->dataset)
                                                               : st_dataset_get_n_targets (self->dataset),
                                                classification, self->settings, st_window_apply_new_network);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (st_window_new_network_closed), self, G_CONNECT_SWAPPED);
  gtk_window_present (dialog);
}

/* The sidebar's "Pattern for New Networks" row, in the order of the
 * generator kinds' names in the settings. */
static const char *const new_pattern_names[] = {
  "uniform", "fan-in", "banded", "block-diagonal", "permutation", "identity", "local", "full",
};

static gboolean
new_pattern_to_index (GValue   *value,
                      GVariant *variant,
                      gpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (new_pattern_names); i++)
    if (g_str_equal (g_variant_get_string (variant, NULL), new_pattern_names[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }

  return FALSE;
}

static GVariant *
index_to_new_pattern (const GValue       *value,
                      const GVariantType *type,
                      gpointer            data)
{
  guint index = g_value_get_uint (value);

  return index < G_N_ELEMENTS (new_pattern_names) ? g_variant_new_string (new_pattern_names[index]) : NULL;
}

static const GActionEntry edit_entries[] = {
  { "tool", NULL, "s", "'move'", tool_change_state },
  { "undo", undo_activated },
  { "redo", redo_activated },
  { "invert-pattern", invert_activated },
  { "clear-pattern", clear_activated },
  { "generators", generators_activated },
  { "new-network", new_network_activated },
};

void
_st_window_add_edit_actions (StWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), edit_entries, G_N_ELEMENTS (edit_entries), self);

  st_combo_row_show_whole_items (self->new_pattern_row);
  g_settings_bind_with_mapping (self->settings, "new-pattern", self->new_pattern_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, new_pattern_to_index, index_to_new_pattern, NULL, NULL);

  g_signal_connect_object (self->heatmap, "edit-cells", G_CALLBACK (heatmap_edit_cells), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->heatmap, "edit-rectangle", G_CALLBACK (heatmap_edit_rectangle), self, G_CONNECT_SWAPPED);
  _st_window_update_edit_actions (self);
}
