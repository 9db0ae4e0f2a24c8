/* st-window-data.c: choosing the data set
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Actions: win.dataset (string state: a built-in data set's id, or
 * "csv" for a file), win.samples and win.noise (the built-in set's size
 * and noise).  A built-in set that does not fit the model comes with a
 * new network that fits it, made with the "New Network" settings, after
 * the question about unsaved changes.
 */

#define G_LOG_DOMAIN "st-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "st-combo-list.h"
#include "st-window-private.h"

/* Hidden layers of the network made for each built-in set. */
static const guint hidden_widths[ST_N_BUILTIN_DATA][2] = {
  [ST_BUILTIN_WORKED_EXAMPLE] = { 0, 0 },
  [ST_BUILTIN_XOR] = { 8, 0 },
  [ST_BUILTIN_CIRCLES] = { 16, 0 },
  [ST_BUILTIN_SPIRALS] = { 32, 32 },
  [ST_BUILTIN_BLOBS] = { 8, 0 },
  [ST_BUILTIN_SINE] = { 16, 0 },
  [ST_BUILTIN_BARS_STRIPES] = { 16, 0 },
  [ST_BUILTIN_PERMUTATION] = { 4, 0 },
};

/* The data set the question about unsaved changes holds back. */
typedef struct
{
  StDataset *dataset;
  char *name;
  guint kind;
  double noise;
} PendingData;

static void
pending_data_free (gpointer data)
{
  PendingData *pending = data;

  st_dataset_unref (pending->dataset);
  g_free (pending->name);
  g_free (pending);
}

static guint
count_hidden (StBuiltinData kind)
{
  if (hidden_widths[kind][0] == 0)
    return 0;
  if (hidden_widths[kind][1] == 0)
    return 1;
  return 2;
}

/* Sets a new model that fits the pending data set, and the data set. */
static void
st_window_replace_model_for_data (StWindow *self)
{
  PendingData *pending = g_object_get_data (G_OBJECT (self), "st-pending-data");
  g_autoptr(GError) error = NULL;
  StNetwork *network;
  guint n_outputs;

  if (pending == NULL)
    return;

  n_outputs = st_dataset_is_classification (pending->dataset)
              ? st_dataset_get_n_classes (pending->dataset)
              : st_dataset_get_n_targets (pending->dataset);
  network = _st_window_build_network (self, st_dataset_get_n_inputs (pending->dataset),
                                      pending->kind < ST_N_BUILTIN_DATA ? hidden_widths[pending->kind] : NULL,
                                      pending->kind < ST_N_BUILTIN_DATA ? count_hidden (pending->kind) : 0,
                                      n_outputs, st_dataset_is_classification (pending->dataset), &error);
  if (network == NULL)
    {
      _st_window_show_error (self, _("Could Not Create a Network"), error->message);
      return;
    }

  g_clear_pointer (&self->dataset, st_dataset_unref);
  self->dataset = st_dataset_ref (pending->dataset);
  g_free (self->dataset_name);
  self->dataset_name = g_strdup (pending->name);
  self->dataset_kind = pending->kind;
  self->dataset_noise = pending->noise;
  g_clear_pointer (&self->lesson, st_lesson_free);
  gtk_widget_set_visible (self->lesson_group, FALSE);

  _st_window_set_model (self, network, NULL, pending->name);
  _st_window_sync_data_controls (self);
  g_object_set_data (G_OBJECT (self), "st-pending-data", NULL);
}

/**
 * _st_window_load_builtin:
 * @self: a window
 * @kind: the data set
 * @n_samples: its size
 * @noise: its noise
 * @replace_model: whether a model that does not fit is replaced by one
 *   that does, after asking about unsaved changes
 *
 * Returns: %TRUE when the data set is in place, %FALSE when the window
 *   asks first or keeps an unfitting model
 */
gboolean
_st_window_load_builtin (StWindow      *self,
                         StBuiltinData  kind,
                         guint          n_samples,
                         double         noise,
                         gboolean       replace_model)
{
  g_autoptr(StDataset) dataset = st_builtin_data_generate (kind, n_samples, noise, 1);
  g_autoptr(StNetwork) network = st_window_copy_network (self);
  PendingData *pending;

  if (_st_window_data_fits (dataset, network, NULL) || !replace_model)
    {
      self->dataset_noise = noise;
      _st_window_set_running (self, FALSE);
      _st_window_set_dataset (self, dataset, st_builtin_data_get_name (kind), kind);
      return TRUE;
    }

  pending = g_new0 (PendingData, 1);
  pending->dataset = st_dataset_ref (dataset);
  pending->name = g_strdup (st_builtin_data_get_name (kind));
  pending->kind = kind;
  pending->noise = noise;
  g_object_set_data_full (G_OBJECT (self), "st-pending-data", pending, pending_data_free);

  _st_window_set_running (self, FALSE);
  _st_window_confirm_discard (self, st_window_replace_model_for_data);

  /* The question may be pending; the controls show the old set until
   * the answer. */
  _st_window_sync_data_controls (self);
  return !self->modified;
}

static void
dataset_change_state (GSimpleAction *action,
                      GVariant      *state,
                      gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);
  const char *id = g_variant_get_string (state, NULL);
  StBuiltinData kind;

  if (g_str_equal (id, "csv"))
    {
      g_action_group_activate_action (G_ACTION_GROUP (self), "open-dataset", NULL);
      _st_window_sync_data_controls (self);
      return;
    }

  if (!st_builtin_data_from_id (id, &kind))
    {
      g_message ("Ignored unknown data set “%s”", id);
      return;
    }

  _st_window_load_builtin (self, kind, st_builtin_data_get_default_samples (kind),
                           st_builtin_data_get_default_noise (kind), TRUE);
}

/* Draws the built-in set again with the new size or noise. */
static void
size_change_state (GSimpleAction *action,
                   GVariant      *state,
                   gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);
  g_autoptr(GVariant) samples = NULL;
  g_autoptr(GVariant) noise = NULL;

  g_simple_action_set_state (action, state);
  if (self->updating_controls || self->dataset_kind >= ST_N_BUILTIN_DATA ||
      !st_builtin_data_has_size (self->dataset_kind))
    return;

  samples = g_action_group_get_action_state (G_ACTION_GROUP (self), "samples");
  noise = g_action_group_get_action_state (G_ACTION_GROUP (self), "noise");
  _st_window_load_builtin (self, self->dataset_kind, MAX (g_variant_get_uint32 (samples), 4),
                           MAX (g_variant_get_double (noise), 0.0), FALSE);
}

/* Sets the data controls from the window's data set. */
void
_st_window_sync_data_controls (StWindow *self)
{
  GtkStringList *names = GTK_STRING_LIST (adw_combo_row_get_model (self->dataset_row));
  gboolean has_size = self->dataset_kind < ST_N_BUILTIN_DATA && st_builtin_data_has_size (self->dataset_kind);
  GSimpleAction *samples = G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "samples"));
  GSimpleAction *noise = G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "noise"));
  GSimpleAction *dataset = G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "dataset"));
  const char *csv_label = self->dataset_kind == ST_WINDOW_DATA_CSV ? self->dataset_name : _("CSV file…");

  self->updating_controls = TRUE;

  gtk_string_list_splice (names, ST_N_BUILTIN_DATA, 1, (const char *const[]) { csv_label, NULL });
  adw_combo_row_set_selected (self->dataset_row, self->dataset_kind);
  g_simple_action_set_state (dataset,
                             g_variant_new_string (self->dataset_kind < ST_N_BUILTIN_DATA
                                                   ? st_builtin_data_get_id (self->dataset_kind) : "csv"));

  gtk_widget_set_sensitive (GTK_WIDGET (self->samples_row), has_size);
  gtk_widget_set_sensitive (GTK_WIDGET (self->noise_row), has_size);
  gtk_spin_button_set_value (self->samples_spin, st_dataset_get_n_samples (self->dataset));
  g_simple_action_set_state (samples, g_variant_new_uint32 (st_dataset_get_n_samples (self->dataset)));
  g_simple_action_set_state (noise, g_variant_new_double (self->dataset_noise));
  gtk_spin_button_set_value (self->noise_spin, self->dataset_noise);

  self->updating_controls = FALSE;
}

static void
dataset_row_selected (StWindow    *self,
                      GParamSpec  *pspec,
                      AdwComboRow *row)
{
  guint choice = adw_combo_row_get_selected (row);

  if (self->updating_controls || choice == GTK_INVALID_LIST_POSITION)
    return;

  g_action_group_change_action_state (G_ACTION_GROUP (self), "dataset",
                                      g_variant_new_string (choice < ST_N_BUILTIN_DATA
                                                            ? st_builtin_data_get_id (choice) : "csv"));
}

static void
data_spin_changed (StWindow      *self,
                   GtkSpinButton *spin)
{
  if (self->updating_controls)
    return;

  if (spin == self->samples_spin)
    g_action_group_change_action_state (G_ACTION_GROUP (self), "samples",
                                        g_variant_new_uint32 ((guint32) gtk_spin_button_get_value_as_int (spin)));
  else
    g_action_group_change_action_state (G_ACTION_GROUP (self), "noise",
                                        g_variant_new_double (gtk_spin_button_get_value (spin)));
}

static const GActionEntry data_entries[] = {
  { "dataset", NULL, NULL, "'worked-example'", dataset_change_state },
  { "samples", NULL, NULL, "uint32 200", size_change_state },
  { "noise", NULL, NULL, "0.1", size_change_state },
};

void
_st_window_add_data_actions (StWindow *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  g_action_map_add_action_entries (G_ACTION_MAP (self), data_entries, G_N_ELEMENTS (data_entries), self);

  for (guint i = 0; i < ST_N_BUILTIN_DATA; i++)
    gtk_string_list_append (names, st_builtin_data_get_name (i));
  gtk_string_list_append (names, _("CSV file…"));
  adw_combo_row_set_model (self->dataset_row, G_LIST_MODEL (names));
  st_combo_row_show_whole_items (self->dataset_row);

  g_signal_connect_object (self->dataset_row, "notify::selected",
                           G_CALLBACK (dataset_row_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->samples_spin, "value-changed",
                           G_CALLBACK (data_spin_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->noise_spin, "value-changed",
                           G_CALLBACK (data_spin_changed), self, G_CONNECT_SWAPPED);
}
