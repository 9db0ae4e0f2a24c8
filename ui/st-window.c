/* st-window.c: the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window shows one model and one data set.  While the data set fits
 * the model, a StTrainingWorker owns the model and trains it in its own
 * thread; the window only ever sees the worker's snapshots.  When it does
 * not fit (after opening a model for another data set), the window keeps
 * the model itself and training is disabled until a fitting data set is
 * opened.
 *
 * Steps and epochs count from the model's start.  Changing a training
 * setting, editing the pattern or restoring a past state replaces the
 * trainer; base_step and base_epoch carry the count across, so the cost
 * plot and the history continue.
 *
 * This file manages the model and training state.  The other
 * st-window-*.c files each add one group of actions: training controls,
 * data sets, files, pattern edits, history, views, mathematics, export
 * and lessons.
 */

#define G_LOG_DOMAIN "st-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "st-legend-bar.h"
#include "st-window-private.h"

#define WORKED_EXAMPLE_PATTERN "resource://" RESOURCE_PREFIX "/examples/worked-example.mtx"
#define WORKED_EXAMPLE_DATA "resource://" RESOURCE_PREFIX "/examples/worked-example.csv"

/* Timeline budget: frames, and bytes of snapshots. */
#define MAX_FRAMES 400
#define MAX_FRAME_BYTES ((gsize) 512 * 1024 * 1024)

/* Epoch records a trainer keeps until the worker passes them on; the
 * worker reads them after every step, so a few suffice. */
#define MAX_TRAINER_RECORDS 1024

G_DEFINE_FINAL_TYPE (StWindow, st_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_MODIFIED,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
st_window_update_title (StWindow *self)
{
  g_autofree char *title = NULL;

  adw_window_title_set_title (self->window_title, self->model_name);
  adw_window_title_set_subtitle (self->window_title,
                                 self->modified ? _("Unsaved changes") : NULL);

  /* Translators: the window title; %s is the name of the model. */
  title = g_strdup_printf (_("%s – Sparse Trainer"), self->model_name);
  gtk_window_set_title (GTK_WINDOW (self), title);
}

void
_st_window_set_modified (StWindow *self,
                         gboolean  modified)
{
  modified = !!modified;
  if (modified)
    self->change_count++;
  else
    _st_window_remove_autosave (self);
  if (self->modified == modified)
    return;

  self->modified = modified;
  st_window_update_title (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

static void
st_window_set_busy (StWindow *self,
                    gboolean  busy)
{
  busy = !!busy;
  if (self->busy == busy)
    return;

  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/**
 * _st_window_dup_stem:
 * @self: a window
 *
 * Returns the model's name without the model extension, the base of the
 * file names that saves and exports suggest: "xor", not "xor.stmodel".
 *
 * Returns: (transfer full): the name
 */
char *
_st_window_dup_stem (StWindow *self)
{
  const char *name = self->model_name != NULL ? self->model_name : "";

  if (g_str_has_suffix (name, ST_MODEL_EXTENSION) && strlen (name) > strlen (ST_MODEL_EXTENSION))
    return g_strndup (name, strlen (name) - strlen (ST_MODEL_EXTENSION));

  return g_strdup (name);
}

void
_st_window_set_file (StWindow *self,
                     GFile    *file)
{
  g_set_object (&self->file, file);

  if (file != NULL)
    {
      g_free (self->model_name);
      self->model_name = g_file_get_basename (file);
    }

  st_window_update_title (self);
}

void
_st_window_show_toast (StWindow   *self,
                       const char *format,
                       ...)
{
  g_autofree char *title = NULL;
  va_list args;

  va_start (args, format);
  title = g_strdup_vprintf (format, args);
  va_end (args);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

/* Whether every sample's targets could be class probabilities: none
 * negative, and summing to 1 (to 1e-9), as one-hot rows do. */
static gboolean
targets_are_probabilities (const StDataset *dataset)
{
  const double *targets = st_dataset_get_targets (dataset);
  guint n_targets = st_dataset_get_n_targets (dataset);

  for (guint s = 0; s < st_dataset_get_n_samples (dataset); s++)
    {
      const double *row = targets + (gsize) s * n_targets;
      double sum = 0.0;

      for (guint k = 0; k < n_targets; k++)
        {
          if (!(row[k] >= 0.0))
            return FALSE;
          sum += row[k];
        }
      if (fabs (sum - 1.0) > 1e-9)
        return FALSE;
    }

  return TRUE;
}

/**
 * _st_window_data_fits:
 * @dataset: a data set
 * @network: a network
 * @error: return location for an error
 *
 * Checks that @network can train on @dataset: the shapes fit, and a
 * classifier (softmax output with cross-entropy) gets class labels or
 * targets that are class probabilities.  Cross-entropy against targets
 * such as the worked example's [2, 4] trains without an error but means
 * nothing.  Half the squared error on classes is sound, so a network
 * with an identity output may train on them.
 *
 * Returns: %TRUE when it can
 */
gboolean
_st_window_data_fits (const StDataset  *dataset,
                      const StNetwork  *network,
                      GError          **error)
{
  if (!st_dataset_check_fits (dataset, st_network_get_n_inputs (network),
                              st_network_get_n_outputs (network), error))
    return FALSE;

  if (st_network_get_loss (network) == ST_LOSS_SOFTMAX_CROSS_ENTROPY &&
      !st_dataset_is_classification (dataset) && !targets_are_probabilities (dataset))
    {
      g_set_error_literal (error, ST_ERROR, ST_ERROR_MISMATCH,
                           _("The network is a classifier, but the data set’s targets are not class probabilities"));
      return FALSE;
    }

  return TRUE;
}

gboolean
_st_window_dataset_fits (StWindow         *self,
                         const StNetwork  *network,
                         GError          **error)
{
  return _st_window_data_fits (self->dataset, network, error);
}

/* The step and epoch on screen, from the model's start. */
guint64
_st_window_get_step (StWindow *self)
{
  return self->base_step + (self->snapshot != NULL ? st_snapshot_get_step (self->snapshot) : 0);
}

guint
_st_window_get_epoch (StWindow *self)
{
  return self->base_epoch + (self->snapshot != NULL ? st_snapshot_get_epoch (self->snapshot) : 0);
}

/* Gives @dropdown and the toggle button inside it the accessible name
 * @label.  GTK 4.8 exposes that inner button on its own and, without a
 * name, a screen reader reads it out as "GtkToggleButton". */
static void
name_drop_down (GtkDropDown *dropdown,
                const char  *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (dropdown)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_TOGGLE_BUTTON (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

/* Returns: the name the window shows for @activation, translated; the
 * model file's own names stay English. */
static const char *
activation_display_name (StActivation activation)
{
  switch (activation)
    {
    case ST_ACTIVATION_IDENTITY:
      return _("Identity");
    case ST_ACTIVATION_TANH:
      return _("tanh");
    case ST_ACTIVATION_LOGISTIC:
      return _("Logistic");
    case ST_ACTIVATION_RELU:
      return _("ReLU");
    case ST_ACTIVATION_SOFTMAX:
      return _("Softmax");
    default:
      g_return_val_if_reached ("");
    }
}

static void
st_window_update_dataset_row (StWindow        *self,
                              const StNetwork *network)
{
  guint n_samples = st_dataset_get_n_samples (self->dataset);
  guint n_inputs = st_dataset_get_n_inputs (self->dataset);
  g_autofree char *subtitle = NULL;

  if (_st_window_dataset_fits (self, network, NULL))
    {
      g_autofree char *samples = NULL;
      g_autofree char *inputs = NULL;
      g_autofree char *outputs = NULL;

      /* Translators: a part of the data set's summary. */
      samples = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u sample", "%u samples", n_samples),
                                 n_samples);
      /* Translators: a part of the data set's summary. */
      inputs = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u input", "%u inputs", n_inputs),
                                n_inputs);
      if (st_dataset_is_classification (self->dataset))
        {
          guint n_classes = st_dataset_get_n_classes (self->dataset);

          /* Translators: a part of the data set's summary. */
          outputs = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u class", "%u classes", n_classes),
                                     n_classes);
        }
      else
        {
          guint n_targets = st_dataset_get_n_targets (self->dataset);

          /* Translators: a part of the data set's summary. */
          outputs = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u target", "%u targets", n_targets),
                                     n_targets);
        }

      /* Translators: a data set's name, then its samples, inputs, and
       * classes or targets, each made from the strings above. */
      subtitle = g_strdup_printf (_("%s: %s, %s, %s"), self->dataset_name, samples, inputs, outputs);
      gtk_widget_remove_css_class (GTK_WIDGET (self->dataset_info_row), "warning");
    }
  else
    {
      if (st_dataset_check_fits (self->dataset, st_network_get_n_inputs (network),
                                 st_network_get_n_outputs (network), NULL))
        /* Translators: %s is a data set's name; the numbers are the model's inputs and outputs. */
        subtitle = g_strdup_printf (_("“%s” has no classes, but this model is a classifier. Open a data set with %u inputs and up to %u classes."),
                                    self->dataset_name,
                                    st_network_get_n_inputs (network),
                                    st_network_get_n_outputs (network));
      else
        /* Translators: %s is a file name; the numbers are the model's inputs and outputs. */
        subtitle = g_strdup_printf (_("“%s” does not fit this model. Open a data set with %u inputs and %u outputs to train."),
                                    self->dataset_name,
                                    st_network_get_n_inputs (network),
                                    st_network_get_n_outputs (network));
      gtk_widget_add_css_class (GTK_WIDGET (self->dataset_info_row), "warning");
    }

  adw_action_row_set_subtitle (self->dataset_info_row, subtitle);

  gtk_widget_set_visible (GTK_WIDGET (self->accuracy_row), st_dataset_is_classification (self->dataset));
}

static void
st_window_update_weights_label (StWindow        *self,
                                const StNetwork *network)
{
  guint n_layers = st_network_get_n_layers (network);
  guint64 dense = 0;
  g_autofree char *stored = NULL;
  g_autofree char *total = NULL;
  g_autofree char *share = NULL;
  g_autofree char *weights = NULL;

  for (guint l = 0; l < n_layers; l++)
    {
      StLayer *layer = st_network_get_layer (network, l);

      dense += (guint64) st_layer_get_rows (layer) * st_layer_get_cols (layer);
    }

  stored = g_strdup_printf ("%" G_GSIZE_FORMAT, st_network_get_nnz (network));
  total = g_strdup_printf ("%" G_GUINT64_FORMAT, dense);
  share = g_strdup_printf ("%.3g", dense > 0 ? 100.0 * st_network_get_nnz (network) / dense : 0.0);

  /* Translators: stored weights out of all weights, then their share in percent. */
  weights = g_strdup_printf (_("Stored weights: %s of %s (%s %%); all others are always 0"), stored, total, share);
  gtk_label_set_label (self->weights_label, weights);
}

static char *
format_cost (double value)
{
  return isfinite (value) ? g_strdup_printf ("%.6g", value) : g_strdup ("—");
}

static void
st_window_update_record_labels (StWindow *self)
{
  gboolean any = self->last_record.epoch > 0;
  g_autofree char *train = format_cost (any ? self->last_record.train_cost : NAN);
  g_autofree char *test = format_cost (any ? self->last_record.test_cost : NAN);
  g_autofree char *accuracy = any && isfinite (self->last_record.test_accuracy)
                              ? g_strdup_printf ("%.1f %%", 100.0 * self->last_record.test_accuracy)
                              : g_strdup ("—");

  gtk_label_set_label (self->train_cost_label, train);
  gtk_label_set_label (self->test_cost_label, test);
  gtk_label_set_label (self->accuracy_label, accuracy);
}

static void
st_window_show_progress (StWindow *self,
                         guint64   step,
                         guint     epoch,
                         double    batch_cost)
{
  g_autofree char *step_text = g_strdup_printf ("%" G_GUINT64_FORMAT, step);
  g_autofree char *epoch_text = g_strdup_printf ("%u", epoch);
  g_autofree char *cost = isnan (batch_cost) ? g_strdup ("—") : g_strdup_printf ("%.6g", batch_cost);

  gtk_label_set_label (self->step_label, step_text);
  gtk_label_set_label (self->epoch_label, epoch_text);
  gtk_label_set_label (self->cost_label, cost);
}

static void st_window_range_changed (StWindow   *self,
                                     GParamSpec *pspec,
                                     StHeatmap  *heatmap);

/* Puts the layer's pattern from @pattern and its values from @snapshot
 * on the heat map and the storage view. */
static void
st_window_show_layer (StWindow         *self,
                      StNetworkPattern *pattern,
                      StSnapshot       *snapshot)
{
  const StLayerPattern *lp;
  guint layer = self->selected_layer;

  if (pattern == NULL || layer >= st_network_pattern_get_n_layers (pattern))
    return;

  lp = st_network_pattern_get_layer (pattern, layer);

  if (pattern != self->shown_pattern)
    {
      st_network_pattern_ref (pattern);
      g_clear_pointer (&self->shown_pattern, st_network_pattern_unref);
      self->shown_pattern = pattern;

      st_heatmap_set_pattern (self->heatmap, lp->rows, lp->cols, lp->nnz,
                              lp->entry_rows, lp->entry_cols, lp->start_values);
      /* The range may stay 0 while the number of entries changes. */
      st_window_range_changed (self, NULL, self->heatmap);
      st_storage_view_set_layer (self->storage_view, lp->rows, lp->cols, lp->nnz,
                                 lp->entry_rows, lp->entry_cols,
                                 self->worker != NULL || self->network != NULL
                                 ? st_layer_get_layout (st_network_get_layer (self->initial_network, layer))
                                 : lp->layout);
      _st_window_update_layer_view (self);
    }

  if (snapshot != NULL && layer < st_snapshot_get_n_layers (snapshot) &&
      st_snapshot_get_nnz (snapshot, layer) == lp->nnz)
    {
      gint64 now = g_get_monotonic_time ();

      st_heatmap_set_snapshot (self->heatmap, snapshot, layer);

      /* The arrays are text; redrawing them at the training's pace would
       * cost more than it shows, so they follow at most 5 times a second
       * while training runs. */
      if (gtk_widget_get_visible (self->storage_scroller) &&
          (!self->running || now - self->last_storage_update >= G_USEC_PER_SEC / 5))
        {
          st_storage_view_set_values (self->storage_view, st_snapshot_get_values (snapshot, layer));
          self->last_storage_update = now;
        }
    }
}

static void
st_window_apply_snapshot (StWindow   *self,
                          StSnapshot *snapshot)
{
  g_clear_pointer (&self->snapshot, st_snapshot_unref);
  self->snapshot = st_snapshot_ref (snapshot);

  if (self->viewing_frame >= 0)
    return;

  st_window_show_progress (self, _st_window_get_step (self), _st_window_get_epoch (self),
                           st_snapshot_get_batch_cost (snapshot));
  st_window_show_layer (self, self->pattern, snapshot);
}

/* Shows timeline frame @index, or the newest state for -1. */
void
_st_window_show_frame (StWindow *self,
                       int       index)
{
  const StHistoryFrame *frame;

  if (index < 0 || (guint) index >= st_run_history_get_n_frames (self->history))
    {
      self->viewing_frame = -1;
      st_cost_plot_set_marker (self->cost_plot, -1);
      if (self->snapshot != NULL)
        {
          g_autoptr(StSnapshot) live = st_snapshot_ref (self->snapshot);

          st_window_apply_snapshot (self, live);
        }
      st_heatmap_set_editable (self->heatmap, !self->running);
      return;
    }

  self->viewing_frame = index;
  frame = st_run_history_get_frame (self->history, index);
  st_window_show_progress (self, frame->step, frame->epoch, st_snapshot_get_batch_cost (frame->snapshot));
  st_window_show_layer (self, frame->pattern, frame->snapshot);
  st_cost_plot_set_marker (self->cost_plot, (gint64) frame->step);
  st_heatmap_set_editable (self->heatmap, FALSE);
}

static void
st_window_update_stats (StWindow *self)
{
  const StLayerPattern *lp;
  StFanIn fan_in;
  g_autofree char *text = NULL;
  g_autofree char *stored = NULL;

  if (self->pattern == NULL || self->selected_layer >= st_network_pattern_get_n_layers (self->pattern))
    return;

  lp = st_network_pattern_get_layer (self->pattern, self->selected_layer);
  st_layer_pattern_get_fan_in (lp, &fan_in);

  /* Translators: statistics of the layer's pattern; fan-in is stored entries per row. */
  stored = g_strdup_printf ("%" G_GSIZE_FORMAT, lp->nnz);
  text = g_strdup_printf (_("%s stored · density %.3g %% · fan-in min %u, mean %.3g, max %u"),
                          stored, 100.0 * st_layer_pattern_get_density (lp), fan_in.min, fan_in.mean, fan_in.max);
  gtk_label_set_label (self->stats_label, text);
}

/* Shows layer @index on the heat map and selects its row. */
void
_st_window_select_layer (StWindow *self,
                         guint     index)
{
  StLayer *layer;
  g_autofree char *title = NULL;
  g_autofree char *shape = NULL;
  GtkListBoxRow *row;

  if (index >= st_network_get_n_layers (self->initial_network))
    return;

  layer = st_network_get_layer (self->initial_network, index);
  self->selected_layer = index;

  /* Translators: the heading of the heat map; layers count from 1. */
  title = g_strdup_printf (_("Layer %u"), index + 1);
  gtk_label_set_label (self->layer_title_label, title);
  /* Translators: the size of a weight matrix, rows (outputs) by columns (inputs). */
  shape = g_strdup_printf (_("%u × %u"), st_layer_get_rows (layer), st_layer_get_cols (layer));
  gtk_label_set_label (self->layer_shape_label, shape);

  row = gtk_list_box_get_row_at_index (self->layer_list, index);
  if (row != NULL && gtk_list_box_get_selected_row (self->layer_list) != row)
    gtk_list_box_select_row (self->layer_list, row);

  g_clear_pointer (&self->shown_pattern, st_network_pattern_unref);
  if (self->viewing_frame >= 0)
    _st_window_show_frame (self, self->viewing_frame);
  else
    st_window_show_layer (self, self->pattern, self->snapshot);
  st_window_update_stats (self);
}

static void
st_window_layer_row_selected (StWindow      *self,
                              GtkListBoxRow *row,
                              GtkListBox    *list)
{
  if (row != NULL && (guint) gtk_list_box_row_get_index (row) != self->selected_layer)
    _st_window_select_layer (self, gtk_list_box_row_get_index (row));
}

static void
st_window_layout_selected (GtkDropDown *dropdown,
                           GParamSpec  *pspec,
                           StWindow    *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dropdown), "st-layer"));
  guint layout = gtk_drop_down_get_selected (dropdown);

  if (layout >= ST_N_LAYOUTS || self->updating_controls)
    return;

  g_action_group_activate_action (G_ACTION_GROUP (self), "layer-layout",
                                  g_variant_new ("(us)", index, st_layout_to_string (layout)));
}

/* One row per layer: its shape, density and activation, with a layout
 * selector. */
void
_st_window_fill_layer_list (StWindow *self)
{
  GtkWidget *child;
  guint n_layers = st_network_get_n_layers (self->initial_network);

  self->updating_controls = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->layer_list))) != NULL)
    gtk_list_box_remove (self->layer_list, child);

  for (guint l = 0; l < n_layers; l++)
    {
      StLayer *layer = st_network_get_layer (self->initial_network, l);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *dropdown = gtk_drop_down_new_from_strings ((const char *[]) { "CSR", "CSC", "COO", NULL });
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *layout_label = NULL;
      g_autofree char *stored = g_strdup_printf ("%" G_GSIZE_FORMAT, st_layer_get_nnz (layer));

      /* Translators: a layer in the network list: its number, inputs and outputs. */
      title = g_strdup_printf (_("Layer %u: %u → %u"), l + 1, st_layer_get_cols (layer), st_layer_get_rows (layer));
      /* Translators: stored entries, density in percent and activation of a layer. */
      subtitle = g_strdup_printf (_("%s stored, %.3g %%, %s"),
                                  stored, 100.0 * st_layer_get_density (layer),
                                  activation_display_name (st_layer_get_activation (layer)));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

      gtk_widget_set_valign (dropdown, GTK_ALIGN_CENTER);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), st_layer_get_layout (layer));
      /* Translators: the accessible name of a layer's storage layout selector. */
      layout_label = g_strdup_printf (_("Storage layout of layer %u"), l + 1);
      name_drop_down (GTK_DROP_DOWN (dropdown), layout_label);
      gtk_widget_set_tooltip_text (dropdown, _("How the layer stores its entries; the results are the same in each"));
      g_object_set_data (G_OBJECT (dropdown), "st-layer", GUINT_TO_POINTER (l));
      g_signal_connect_object (dropdown, "notify::selected", G_CALLBACK (st_window_layout_selected), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), dropdown);

      gtk_list_box_append (self->layer_list, row);
    }
  self->updating_controls = FALSE;
}

/* The colour key: the scale from -range to +range, or, for a range of
 * 0, the middle colour labelled 0, or, for a layer without stored
 * entries, a note and no numbers. */
static void
st_window_range_changed (StWindow   *self,
                         GParamSpec *pspec,
                         StHeatmap  *heatmap)
{
  double range = st_heatmap_get_range (heatmap);
  gboolean empty = st_heatmap_get_nnz (heatmap) == 0;
  g_autofree char *low = NULL;
  g_autofree char *high = NULL;

  if (empty)
    {
      high = g_strdup (_("No stored weights"));
    }
  else if (range > 0.0)
    {
      low = g_strdup_printf ("−%.3g", range);
      high = g_strdup_printf ("%.3g", range);
    }
  else
    {
      high = g_strdup ("0");
    }

  gtk_widget_set_visible (GTK_WIDGET (self->range_low_label), low != NULL);
  gtk_label_set_label (self->range_low_label, low != NULL ? low : "");
  gtk_label_set_label (self->range_high_label, high);
  gtk_widget_set_visible (self->scale_bar, !empty);
  st_legend_bar_set_neutral (ST_LEGEND_BAR (self->scale_bar), !(range > 0.0));
}

static void
st_window_readout_changed (StWindow   *self,
                           GParamSpec *pspec,
                           GObject    *source)
{
  const char *readout;

  if (ST_IS_HEATMAP (source))
    {
      readout = st_heatmap_get_readout (self->heatmap);
      gtk_label_set_label (self->readout_label, readout != NULL ? readout : "");
    }
  else
    {
      readout = st_cost_plot_get_readout (self->cost_plot);
      gtk_label_set_label (self->cost_readout_label, readout != NULL ? readout : "");
    }
}

/* Lessons: whether the newest epoch meets the goal. */
void
_st_window_update_goal (StWindow *self)
{
  if (self->lesson == NULL)
    return;

  if (!self->goal_reached && self->last_record.epoch > 0 &&
      st_lesson_goal_reached (self->lesson, &self->last_record))
    {
      self->goal_reached = TRUE;
      /* Translators: shown when a lesson's goal is met; %u is an epoch. */
      _st_window_show_toast (self, _("Goal reached at epoch %u"), self->last_record.epoch);
    }

  gtk_label_set_label (self->lesson_goal_label, self->goal_reached ? _("Reached") : _("Not yet"));
  if (self->goal_reached)
    gtk_widget_add_css_class (GTK_WIDGET (self->lesson_goal_label), "success");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->lesson_goal_label), "success");
}

static void
st_window_training_failed (StWindow     *self,
                           const GError *error)
{
  _st_window_show_error (self, _("Training Stopped"), error->message);
}

static void
st_window_worker_update (StWindow         *self,
                         StTrainingUpdate *update,
                         StTrainingWorker *worker)
{
  if (update->n_costs > 0)
    {
      st_cost_plot_append (self->cost_plot, update->costs, update->n_costs);
      _st_window_set_modified (self, TRUE);
      if (!self->has_gradient)
        {
          self->has_gradient = TRUE;
          _st_window_update_gradient_export (self);
        }
    }

  for (gsize i = 0; i < update->n_records; i++)
    {
      StHistoryRecord record = update->records[i];

      record.epoch += self->base_epoch;
      record.step += self->base_step;
      st_cost_plot_add_record (self->cost_plot, &record);
      st_run_history_add_record (self->history, &record);
      self->last_record = record;
      _st_window_update_goal (self);
    }
  if (update->n_records > 0)
    st_window_update_record_labels (self);

  for (guint i = 0; update->frames != NULL && i < update->frames->len; i++)
    _st_window_add_frame (self, g_ptr_array_index (update->frames, i));

  st_window_apply_snapshot (self, update->snapshot);
  st_window_set_busy (self, update->busy);

  if (update->reached_epoch_limit)
    {
      _st_window_set_running (self, FALSE);
      /* Translators: training paused itself; %u is the epoch limit. */
      _st_window_show_toast (self, _("Paused after %u epochs"), _st_window_get_epoch (self));
    }

  if (update->error != NULL)
    _st_window_set_running (self, FALSE);

  _st_window_update_timeline (self);

  /* The banner looks for a finite frame among those just added. */
  if (g_error_matches (update->error, ST_ERROR, ST_ERROR_NUMERIC))
    _st_window_show_divergence (self, update->error);
  else if (update->error != NULL)
    st_window_training_failed (self, update->error);
}

static void
st_window_stop_worker (StWindow *self)
{
  if (self->worker == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->worker, self);
  st_training_worker_shutdown (self->worker);
  g_clear_object (&self->worker);
}

/* The epoch limit as the worker counts it, from its trainer's start. */
static guint
st_window_get_worker_epoch_limit (StWindow *self)
{
  guint epochs = (guint) gtk_spin_button_get_value_as_int (self->epochs_spin);

  if (epochs == 0)
    return 0;

  return epochs > self->base_epoch ? epochs - self->base_epoch : 1;
}

/* Hands @network to a new trainer and worker, paused, or keeps it when
 * the data set does not fit. */
static void
st_window_start_worker (StWindow  *self,
                        StNetwork *network)
{
  g_autoptr(GError) error = NULL;
  StTrainSettings settings;
  StTrainer *trainer;

  st_window_update_dataset_row (self, network);

  if (!_st_window_dataset_fits (self, network, NULL))
    {
      self->network = network;
      _st_window_update_actions (self);
      return;
    }

  st_network_set_record_updates (network, TRUE);
  _st_window_init_train_settings (self, &settings);
  trainer = st_trainer_new (network, self->dataset, &settings, &error);
  if (trainer == NULL)
    {
      /* The trainer freed the network; keep the initial weights, so the
       * window stays usable, and say why. */
      g_message ("Could not start training: %s", error->message);
      _st_window_show_error (self, _("Could Not Start Training"), error->message);
      self->network = st_network_copy (self->initial_network);
      _st_window_update_actions (self);
      return;
    }

  /* The worked example ends an epoch every step, hundreds of thousands
   * of times a second as fast as possible. */
  st_trainer_set_history_max_length (trainer, MAX_TRAINER_RECORDS);
  self->worker = st_training_worker_new (trainer);
  st_training_worker_set_steps_per_second (self->worker,
                                           g_settings_get_uint (self->settings, "steps-per-second"));
  st_training_worker_set_snapshot_interval (self->worker, self->snapshot_interval);
  st_training_worker_set_epoch_limit (self->worker, st_window_get_worker_epoch_limit (self));
  g_signal_connect_object (self->worker, "update",
                           G_CALLBACK (st_window_worker_update), self, G_CONNECT_SWAPPED);

  _st_window_update_actions (self);
}

/* Stops training and drops the model, which the caller has replaced. */
static void
st_window_stop_training (StWindow *self)
{
  st_window_stop_worker (self);
  g_clear_pointer (&self->network, st_network_free);
  self->running = FALSE;
  st_window_set_busy (self, FALSE);

  /* The next trainer starts without a gradient of its own. */
  self->has_gradient = FALSE;
  _st_window_update_gradient_export (self);
  _st_window_hide_divergence (self);
}

/* Takes a copy of the model and stops training. */
static StNetwork *
st_window_take_network (StWindow *self)
{
  StNetwork *network = st_window_copy_network (self);

  st_window_stop_training (self);
  return network;
}

/**
 * _st_window_restart_training:
 * @self: a window
 * @network: (transfer full): the weights to train from
 *
 * Ends the current run and starts a new one from @network at step 0,
 * paused, with an empty history.  Without a fitting data set the window
 * keeps @network and training stays disabled.
 */
void
_st_window_restart_training (StWindow  *self,
                             StNetwork *network)
{
  _st_window_restart_training_at (self, network, 0, 0, NULL);
}

/**
 * _st_window_restart_training_at:
 * @self: a window
 * @network: (transfer full): the weights to train from
 * @step: the steps already taken, from a model file
 * @epoch: the epochs already completed
 * @records: (nullable): the cost of those epochs
 *
 * Like _st_window_restart_training(), for a model that was trained
 * before: counting goes on from @step and @epoch, and @records appear
 * on the cost plot and in the exported history.
 */
void
_st_window_restart_training_at (StWindow        *self,
                                StNetwork       *network,
                                guint64          step,
                                guint            epoch,
                                const StHistory *records)
{
  g_autoptr(StSnapshot) snapshot = st_snapshot_new_from_network (network, 0, 0, NAN);

  st_window_stop_training (self);

  self->base_step = step;
  self->base_epoch = epoch;
  self->viewing_frame = -1;
  self->snapshot_interval = MAX (g_settings_get_uint (self->settings, "snapshot-interval"), 1);
  self->last_record = (StHistoryRecord) { 0, 0, NAN, NAN, NAN };
  self->goal_reached = FALSE;
  st_run_history_clear (self->history);
  st_cost_plot_clear (self->cost_plot);
  for (guint i = 0; records != NULL && i < st_history_get_length (records); i++)
    {
      const StHistoryRecord *record = st_history_get (records, i);

      st_cost_plot_add_record (self->cost_plot, record);
      st_run_history_add_record (self->history, record);
      self->last_record = *record;
    }
  st_window_update_record_labels (self);
  _st_window_update_goal (self);

  st_window_apply_snapshot (self, snapshot);
  _st_window_add_frame (self, snapshot);
  st_window_start_worker (self, network);
  _st_window_update_timeline (self);
  _st_window_sync_training_controls (self);
}

/**
 * _st_window_continue_training:
 * @self: a window
 * @network: (transfer full): the weights to go on from
 *
 * Replaces the trainer, keeping the step and epoch count, the cost plot
 * and the history, for new settings, an edited pattern or a restored
 * state.  Training stays paused.
 */
void
_st_window_continue_training (StWindow  *self,
                              StNetwork *network)
{
  guint64 step = _st_window_get_step (self);
  guint epoch = _st_window_get_epoch (self);
  double batch_cost = self->snapshot != NULL ? st_snapshot_get_batch_cost (self->snapshot) : NAN;
  g_autoptr(StSnapshot) snapshot = NULL;

  st_window_stop_training (self);

  self->base_step = step;
  self->base_epoch = epoch;
  snapshot = st_snapshot_new_from_network (network, 0, 0, batch_cost);
  self->viewing_frame = -1;
  st_window_apply_snapshot (self, snapshot);
  st_window_start_worker (self, network);
  _st_window_update_timeline (self);
  _st_window_sync_training_controls (self);
}

/**
 * _st_window_set_model:
 * @self: a window
 * @network: (transfer full): the new model
 * @file: (nullable): where it was read from, if it is a model file
 * @name: the name shown in the title
 *
 * Replaces the model, clears the history and the pattern edits and
 * selects the first layer.  The new model counts as unmodified.
 */
void
_st_window_set_model (StWindow   *self,
                      StNetwork  *network,
                      GFile      *file,
                      const char *name)
{
  _st_window_set_model_full (self, network, file, name, 0, 0, NULL);
}

/* Like _st_window_set_model(), for a model file that records its
 * training so far: see _st_window_restart_training_at(). */
void
_st_window_set_model_full (StWindow        *self,
                           StNetwork       *network,
                           GFile           *file,
                           const char      *name,
                           guint64          step,
                           guint            epoch,
                           const StHistory *records)
{
  st_window_stop_worker (self);
  g_clear_pointer (&self->network, st_network_free);

  g_clear_pointer (&self->initial_network, st_network_free);
  self->initial_network = st_network_copy (network);
  self->initial_saved = TRUE;
  g_clear_pointer (&self->pattern, st_network_pattern_unref);
  self->pattern = st_network_pattern_new (network);
  g_clear_pointer (&self->shown_pattern, st_network_pattern_unref);
  _st_window_clear_edits (self);

  g_free (self->model_name);
  self->model_name = g_strdup (name);
  _st_window_set_file (self, file);
  _st_window_set_modified (self, FALSE);

  /* The old snapshot belongs to the old model; drop it before the
   * heat map takes the new pattern. */
  g_clear_pointer (&self->snapshot, st_snapshot_unref);
  st_window_update_weights_label (self, network);
  _st_window_fill_layer_list (self);
  self->selected_layer = 0;
  _st_window_restart_training_at (self, network, step, epoch, records);
  _st_window_select_layer (self, 0);
}

/* Replaces the data set and goes on training from the current weights;
 * the model's unsaved changes stay. */
void
_st_window_set_dataset (StWindow   *self,
                        StDataset  *dataset,
                        const char *name,
                        guint       kind)
{
  StNetwork *network = st_window_take_network (self);

  g_clear_pointer (&self->dataset, st_dataset_unref);
  self->dataset = st_dataset_ref (dataset);
  g_free (self->dataset_name);
  self->dataset_name = g_strdup (name);
  self->dataset_kind = kind;

  _st_window_restart_training (self, network);
  _st_window_sync_data_controls (self);
}

/**
 * _st_window_build_network:
 * @self: a window
 * @n_inputs: the data set's inputs
 * @hidden: (array length=n_hidden): widths of the hidden layers
 * @n_hidden: how many
 * @n_outputs: the data set's outputs
 * @classification: a softmax output with cross-entropy, or an identity
 *   output with half the mean squared error
 * @error: return location for an error
 *
 * Builds a network with the pattern generator and initialisation of the
 * "New Network" settings, tanh hidden units, biases, and the default
 * layout.
 *
 * Returns: (transfer full): the network, or %NULL with @error set
 */
StNetwork *
_st_window_build_network (StWindow     *self,
                          guint         n_inputs,
                          const guint  *hidden,
                          guint         n_hidden,
                          guint         n_outputs,
                          gboolean      classification,
                          GError      **error)
{
  g_autoptr(StNetwork) network = st_network_new (classification ? ST_LOSS_SOFTMAX_CROSS_ENTROPY : ST_LOSS_HALF_MSE);
  g_autofree char *kind_name = g_settings_get_string (self->settings, "new-pattern");
  g_autofree char *layout_name = g_settings_get_string (self->settings, "default-layout");
  g_autoptr(gsl_rng) rng = st_random_new (1);
  StPatternKind kind = ST_PATTERN_UNIFORM;
  StLayout layout = ST_LAYOUT_CSR;
  guint previous = n_inputs;

  st_pattern_kind_from_string (kind_name, &kind);
  st_layout_from_string (layout_name, &layout);

  for (guint l = 0; l <= n_hidden; l++)
    {
      guint width = l < n_hidden ? hidden[l] : n_outputs;
      StPatternSpec spec;
      StLayer *layer;

      st_pattern_spec_init (&spec, kind);
      spec.density = g_settings_get_double (self->settings, "new-density");
      spec.fan_in = MAX (1, (guint) round (spec.density * previous));

      /* Shapes the generator cannot make fall back to a uniform pattern. */
      layer = st_pattern_generate (&spec, width, previous, layout, rng, NULL);
      if (layer == NULL)
        {
          st_pattern_spec_init (&spec, ST_PATTERN_UNIFORM);
          spec.density = g_settings_get_double (self->settings, "new-density");
          layer = st_pattern_generate (&spec, width, previous, layout, rng, error);
          if (layer == NULL)
            return NULL;
        }

      st_init_weights (layer, l < n_hidden ? ST_INIT_XAVIER_UNIFORM : ST_INIT_LECUN_UNIFORM, rng);
      st_layer_set_activation (layer, l < n_hidden ? ST_ACTIVATION_TANH
                                      : classification ? ST_ACTIVATION_SOFTMAX : ST_ACTIVATION_IDENTITY);
      if (!st_layer_set_has_bias (layer, TRUE, error) || !st_network_append_layer (network, layer, error))
        return NULL;
      previous = width;
    }

  if (!st_network_validate (network, error))
    return NULL;

  return g_steal_pointer (&network);
}

static void
st_window_load_worked_example (StWindow *self)
{
  g_autoptr(GFile) pattern_file = g_file_new_for_uri (WORKED_EXAMPLE_PATTERN);
  g_autoptr(GFile) data_file = g_file_new_for_uri (WORKED_EXAMPLE_DATA);
  g_autoptr(StMtx) mtx = NULL;
  g_autoptr(StNetwork) network = st_network_new (ST_LOSS_HALF_MSE);
  StLayer *layer;
  g_autoptr(GError) error = NULL;

  /* Both files are in the resources, so failing here is a build error. */
  if (!(mtx = st_mtx_read (pattern_file, NULL, &error)) ||
      !(layer = st_mtx_to_layer (mtx, ST_LAYOUT_CSR, &error)) ||
      !st_network_append_layer (network, layer, &error) ||
      !(self->dataset = st_dataset_load_csv (data_file, 2, 2, NULL, &error)))
    g_error ("The bundled worked example is broken: %s", error->message);

  self->dataset_name = g_strdup ("worked-example.csv");
  self->dataset_kind = ST_BUILTIN_WORKED_EXAMPLE;
  _st_window_set_model (self, g_steal_pointer (&network), NULL, _("Worked Example"));
  _st_window_sync_data_controls (self);
}

/**
 * st_window_copy_network:
 * @self: a window
 *
 * Copies the live model.  While training runs this waits for the step
 * in progress, so the copy is always the state between two steps.
 *
 * Returns: (transfer full): a copy of the model
 */
StNetwork *
st_window_copy_network (StWindow *self)
{
  StNetwork *copy;
  StTrainer *trainer;

  g_return_val_if_fail (ST_IS_WINDOW (self), NULL);

  if (self->worker == NULL)
    return st_network_copy (self->network);

  trainer = st_training_worker_lock_trainer (self->worker);
  copy = st_network_copy (st_trainer_get_network (trainer));
  st_training_worker_unlock_trainer (self->worker);

  return copy;
}

/* Returns: whether the weights changed since they were opened or saved. */
gboolean
st_window_get_modified (StWindow *self)
{
  g_return_val_if_fail (ST_IS_WINDOW (self), FALSE);

  return self->modified;
}

/* Returns: whether the model belongs to a file, or is being read from one. */
gboolean
st_window_get_has_file (StWindow *self)
{
  g_return_val_if_fail (ST_IS_WINDOW (self), FALSE);

  return self->file != NULL || _st_window_has_job (self);
}

/* Returns: whether the training thread had steps running or queued at
 * its newest update.  Becomes %FALSE once a pause or a step is done and
 * on screen. */
gboolean
st_window_get_busy (StWindow *self)
{
  g_return_val_if_fail (ST_IS_WINDOW (self), FALSE);

  return self->busy || (self->worker != NULL && self->running);
}

/* Returns: the frames on the history timeline. */
guint
st_window_get_n_frames (StWindow *self)
{
  g_return_val_if_fail (ST_IS_WINDOW (self), 0);

  return st_run_history_get_n_frames (self->history);
}

static void
st_window_close_confirmed (StWindow *self)
{
  self->close_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

static void
st_window_save_size (StWindow *self)
{
  int width, height;

  if (self->presentation)
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
}

static gboolean
st_window_close_request (GtkWindow *window)
{
  StWindow *self = ST_WINDOW (window);

  if (self->modified && !self->close_confirmed)
    {
      _st_window_confirm_discard (self, st_window_close_confirmed);
      return TRUE;
    }

  st_window_save_size (self);

  return GTK_WINDOW_CLASS (st_window_parent_class)->close_request (window);
}

static void
st_window_dispose (GObject *object)
{
  StWindow *self = ST_WINDOW (object);

  /* Join the training thread first, so that no update arrives for
   * widgets that are going away. */
  st_window_stop_worker (self);
  g_cancellable_cancel (self->cancellable);
  self->disposed = TRUE;
  _st_window_cancel_job (self);
  _st_window_stop_autosave (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), ST_TYPE_WINDOW);

  g_clear_object (&self->settings);
  g_clear_object (&self->file);
  g_clear_object (&self->dataset_file);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->frame_log_file);
  g_clear_pointer (&self->snapshot, st_snapshot_unref);
  g_clear_pointer (&self->dataset, st_dataset_unref);
  g_clear_pointer (&self->network, st_network_free);
  g_clear_pointer (&self->initial_network, st_network_free);
  g_clear_pointer (&self->pattern, st_network_pattern_unref);
  g_clear_pointer (&self->shown_pattern, st_network_pattern_unref);
  g_clear_pointer (&self->history, st_run_history_free);
  g_clear_pointer (&self->undo_stack, g_ptr_array_unref);
  g_clear_pointer (&self->redo_stack, g_ptr_array_unref);
  g_clear_pointer (&self->lesson, st_lesson_free);

  G_OBJECT_CLASS (st_window_parent_class)->dispose (object);
}

static void
st_window_finalize (GObject *object)
{
  StWindow *self = ST_WINDOW (object);

  g_free (self->model_name);
  g_free (self->dataset_name);
  g_clear_pointer (&self->autosave, st_autosave_free);

  G_OBJECT_CLASS (st_window_parent_class)->finalize (object);
}

static void
st_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  StWindow *self = ST_WINDOW (object);

  switch (prop_id)
    {
    case PROP_MODIFIED:
      g_value_set_boolean (value, st_window_get_modified (self));
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, st_window_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
st_window_class_init (StWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = st_window_dispose;
  object_class->finalize = st_window_finalize;
  object_class->get_property = st_window_get_property;

  window_class->close_request = st_window_close_request;

  properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ST_TYPE_COST_PLOT);
  g_type_ensure (ST_TYPE_HEATMAP);
  g_type_ensure (ST_TYPE_LEGEND_BAR);
  g_type_ensure (ST_TYPE_STORAGE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/st-window.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, StWindow, name)
  BIND (toast_overlay);
  BIND (window_title);
  BIND (start_button);
  BIND (start_button_content);
  BIND (presentation_button);
  BIND (lessons_button);
  BIND (sidebar);
  BIND (sidebar_separator);
  BIND (lesson_group);
  BIND (lesson_title_label);
  BIND (lesson_text_label);
  BIND (lesson_goal_row);
  BIND (lesson_goal_label);
  BIND (optimizer_row);
  BIND (learning_rate_spin);
  BIND (batch_size_spin);
  BIND (epochs_spin);
  BIND (seed_spin);
  BIND (speed_row);
  BIND (step_label);
  BIND (epoch_label);
  BIND (cost_label);
  BIND (train_cost_label);
  BIND (test_cost_label);
  BIND (test_cost_row);
  BIND (accuracy_label);
  BIND (accuracy_row);
  BIND (dataset_row);
  BIND (samples_row);
  BIND (samples_spin);
  BIND (noise_row);
  BIND (noise_spin);
  BIND (test_split_spin);
  BIND (dataset_info_row);
  BIND (layer_list);
  BIND (new_pattern_row);
  BIND (weights_label);
  BIND (cost_readout_label);
  BIND (cost_plot);
  BIND (layer_title_label);
  BIND (layer_shape_label);
  BIND (view_dropdown);
  BIND (range_low_label);
  BIND (scale_bar);
  BIND (range_high_label);
  BIND (range_spin);
  BIND (structural_bar);
  BIND (heatmap);
  BIND (storage_scroller);
  BIND (storage_view);
  BIND (stats_label);
  BIND (readout_label);
  BIND (timeline_scale);
  BIND (timeline_adjustment);
  BIND (timeline_label);
  BIND (recent_section);
  BIND (lessons_section);
  BIND (job_revealer);
  BIND (job_label);
  BIND (job_progress_bar);
  BIND (divergence_revealer);
  BIND (divergence_label);
  BIND (divergence_restore_button);
#undef BIND

  _st_window_class_add_training_shortcuts (widget_class);
}

static void
st_window_init (StWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  name_drop_down (self->view_dropdown, _("Heat map view"));

  self->settings = g_settings_new (APPLICATION_ID);
  self->history = st_run_history_new (MAX_FRAMES, MAX_FRAME_BYTES);
  self->undo_stack = g_ptr_array_new_with_free_func ((GDestroyNotify) st_pattern_edit_free);
  self->redo_stack = g_ptr_array_new_with_free_func ((GDestroyNotify) st_pattern_edit_free);
  self->cancellable = g_cancellable_new ();
  self->viewing_frame = -1;
  self->snapshot_interval = MAX (g_settings_get_uint (self->settings, "snapshot-interval"), 1);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  _st_window_add_training_actions (self);
  _st_window_add_data_actions (self);
  _st_window_add_file_actions (self);
  _st_window_add_job_actions (self);
  _st_window_add_edit_actions (self);
  _st_window_add_history_actions (self);
  _st_window_add_divergence_actions (self);
  _st_window_add_view_actions (self);
  _st_window_add_math_actions (self);
  _st_window_add_export_actions (self);
  _st_window_add_lesson_actions (self);

  g_signal_connect_object (self->layer_list, "row-selected",
                           G_CALLBACK (st_window_layer_row_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->heatmap, "notify::range",
                           G_CALLBACK (st_window_range_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->heatmap, "notify::readout",
                           G_CALLBACK (st_window_readout_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->cost_plot, "notify::readout",
                           G_CALLBACK (st_window_readout_changed), self, G_CONNECT_SWAPPED);

  _st_window_init_autosave (self);
  st_window_load_worked_example (self);
  st_window_range_changed (self, NULL, self->heatmap);
  _st_window_start_frame_log (self);
}

StWindow *
st_window_new (GtkApplication *application)
{
  return g_object_new (ST_TYPE_WINDOW,
                       "application", application,
                       NULL);
}
