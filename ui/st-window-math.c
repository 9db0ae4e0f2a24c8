/* st-window-math.c: checking the mathematics
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * win.check-gradients compares backpropagation with central finite
 * differences on one batch (the first batch-size samples of the data
 * set) and shows, per layer, the largest relative error and where it is.
 *
 * win.compare-layouts trains copies of the start weights in CSR, CSC and
 * COO, with the same settings and seed, and overlays the three cost
 * curves, which must coincide: the engine adds the same products in the
 * same order in every layout.
 *
 * Both run in a thread, on copies, while the window stays usable.
 */

#define G_LOG_DOMAIN "st-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "st-window-private.h"

/* Entries compared per layer: all of a small layer, an even sample of a
 * large one, so the check takes seconds, not hours. */
#define MAX_CHECKED_ENTRIES 2000

/* Relative errors below this count as agreement.  Central differences
 * with the engine's step leave errors around 1e-8 to 1e-10 on smooth
 * activations; a wrong gradient is off by far more. */
#define AGREEMENT_THRESHOLD 1e-5

/* Steps the layout comparison trains each copy. */
#define MIN_COMPARE_STEPS 100
#define MAX_COMPARE_STEPS 1000

typedef struct
{
  StNetwork *network;
  StDataset *dataset;
  guint batch;
  StGradientCheck *results;
  guint n_layers;
} GradientTask;

static void
gradient_task_free (gpointer data)
{
  GradientTask *task = data;

  st_network_free (task->network);
  st_dataset_unref (task->dataset);
  g_free (task->results);
  g_free (task);
}

static void
check_gradients_thread (GTask        *task,
                        gpointer      source,
                        gpointer      data,
                        GCancellable *cancellable)
{
  GradientTask *work = data;
  guint n_inputs = st_network_get_n_inputs (work->network);
  guint n_outputs = st_network_get_n_outputs (work->network);
  g_autofree guint *samples = g_new (guint, work->batch);
  g_autofree double *x = g_new (double, (gsize) n_inputs * work->batch);
  g_autofree double *t = g_new (double, (gsize) n_outputs * work->batch);
  g_autoptr(GError) error = NULL;

  for (guint b = 0; b < work->batch; b++)
    samples[b] = b;
  st_dataset_gather (work->dataset, samples, work->batch, n_outputs, x, t);

  if (!st_network_check_gradients (work->network, x, t, work->batch, MAX_CHECKED_ENTRIES,
                                   work->results, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
check_gradients_done (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  StWindow *self = ST_WINDOW (source);
  GradientTask *work = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  gboolean agree = TRUE;
  GtkWidget *dialog;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _st_window_show_error (self, _("Could Not Check the Gradients"), error->message);
      return;
    }

  /* The window closed while the check ran; dispose cancels and then
   * drops the cancellable. */
  if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;

  /* Translators: %u is a number of samples. */
  g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE,
                                             "Backpropagation against central differences on a batch of %u sample.",
                                             "Backpropagation against central differences on a batch of %u samples.",
                                             work->batch),
                          work->batch);
  g_string_append_c (body, '\n');

  for (guint l = 0; l < work->n_layers; l++)
    {
      const StGradientCheck *check = &work->results[l];

      agree = agree && check->max_error < AGREEMENT_THRESHOLD;
      g_string_append_c (body, '\n');
      if (check->n_checked == 0)
        /* Translators: a layer without stored entries; layers count from 1. */
        g_string_append_printf (body, _("Layer %u: no stored entries"), l + 1);
      else
        {
          g_autofree char *compared = g_strdup_printf ("%" G_GSIZE_FORMAT, check->n_checked);

          /* Translators: one line per layer; rows and columns count from 1; the last %s is a count. */
          g_string_append_printf (body, _("Layer %u: largest relative error %.2e at row %u, column %u "
                                          "(backpropagation %.6g, finite difference %.6g; %s entries compared)"),
                                  l + 1, check->max_error, check->row + 1, check->col + 1,
                                  check->analytic, check->numeric, compared);
        }
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                   agree ? _("The Gradients Agree") : _("The Gradients Differ"),
                                   body->str);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_widget_set_name (dialog, "gradient-check");
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
check_gradients_activated (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GVariant) batch_size = g_action_group_get_action_state (G_ACTION_GROUP (self), "batch-size");
  GradientTask *work;

  if (self->worker == NULL)
    {
      _st_window_show_error (self, _("Could Not Check the Gradients"),
                             _("The data set does not fit the model. Open a fitting data set first."));
      return;
    }

  work = g_new0 (GradientTask, 1);
  work->network = st_window_copy_network (self);
  work->dataset = st_dataset_ref (self->dataset);
  work->batch = MIN (g_variant_get_uint32 (batch_size), st_dataset_get_n_samples (self->dataset));
  work->batch = MAX (work->batch, 1);
  work->n_layers = st_network_get_n_layers (work->network);
  work->results = g_new0 (StGradientCheck, work->n_layers);

  task = g_task_new (self, self->cancellable, check_gradients_done, NULL);
  g_task_set_source_tag (task, check_gradients_activated);
  g_task_set_task_data (task, work, gradient_task_free);
  g_task_run_in_thread (task, check_gradients_thread);
}

/* Layout comparison */

typedef struct
{
  StNetwork *network;
  StDataset *dataset;
  StTrainSettings settings;
  guint64 steps;
  GArray *costs[ST_N_LAYOUTS];   /* double */
} CompareTask;

static void
compare_task_free (gpointer data)
{
  CompareTask *task = data;

  st_network_free (task->network);
  st_dataset_unref (task->dataset);
  for (guint i = 0; i < ST_N_LAYOUTS; i++)
    g_clear_pointer (&task->costs[i], g_array_unref);
  g_free (task);
}

static void
compare_layouts_thread (GTask        *task,
                        gpointer      source,
                        gpointer      data,
                        GCancellable *cancellable)
{
  CompareTask *work = data;

  for (guint layout = 0; layout < ST_N_LAYOUTS; layout++)
    {
      g_autoptr(StNetwork) copy = st_network_copy (work->network);
      g_autoptr(StTrainer) trainer = NULL;
      g_autoptr(GError) error = NULL;

      work->costs[layout] = g_array_new (FALSE, FALSE, sizeof (double));
      if (!st_network_set_layout (copy, layout, &error) ||
          (trainer = st_trainer_new (g_steal_pointer (&copy), work->dataset, &work->settings, &error)) == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      for (guint64 step = 0; step < work->steps; step++)
        {
          double cost;

          if (g_task_return_error_if_cancelled (task))
            return;
          if (!st_trainer_step (trainer, &cost, &error))
            {
              g_task_return_error (task, g_steal_pointer (&error));
              return;
            }
          g_array_append_val (work->costs[layout], cost);
        }
    }

  g_task_return_boolean (task, TRUE);
}

static void
compare_layouts_done (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GtkWindow *dialog = user_data;
  CompareTask *work = g_task_get_task_data (G_TASK (result));
  StCostPlot *plot = g_object_get_data (G_OBJECT (dialog), "st-plot");
  GtkLabel *label = g_object_get_data (G_OBJECT (dialog), "st-label");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *steps = NULL;
  double largest = 0.0;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_label (label, error->message);
      g_object_unref (dialog);
      return;
    }

  st_cost_plot_append (plot, (const double *) (gpointer) work->costs[0]->data, work->costs[0]->len);
  for (guint layout = 1; layout < ST_N_LAYOUTS; layout++)
    {
      st_cost_plot_append_to_series (plot, layout, (const double *) (gpointer) work->costs[layout]->data,
                                     work->costs[layout]->len);
      for (guint i = 0; i < work->costs[layout]->len; i++)
        largest = MAX (largest, fabs (g_array_index (work->costs[layout], double, i) -
                                      g_array_index (work->costs[0], double, i)));
    }

  steps = g_strdup_printf ("%" G_GUINT64_FORMAT, work->steps);
  if (largest == 0.0)
    /* Translators: %s is a number of steps. */
    text = g_strdup_printf (_("%s steps in each layout. The three cost curves are identical to the "
                              "last bit: the layouts store the same entries and add the same products "
                              "in the same order."), steps);
  else
    /* Translators: %s is a number of steps, %g the largest difference. */
    text = g_strdup_printf (_("%s steps in each layout. The largest difference between the curves is %g."),
                            steps, largest);
  gtk_label_set_label (label, text);
  g_object_set_data (G_OBJECT (dialog), "st-largest-difference", GINT_TO_POINTER (largest == 0.0 ? 1 : 2));
  g_object_unref (dialog);
}

static void
compare_dialog_destroyed (GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

static void
compare_layouts_activated (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  StWindow *self = ST_WINDOW (user_data);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CompareTask *work;
  GtkWidget *dialog, *box, *header, *plot, *label;

  if (self->worker == NULL)
    {
      _st_window_show_error (self, _("Could Not Compare the Layouts"),
                             _("The data set does not fit the model. Open a fitting data set first."));
      return;
    }

  work = g_new0 (CompareTask, 1);
  work->network = st_network_copy (self->initial_network);
  work->dataset = st_dataset_ref (self->dataset);
  _st_window_init_train_settings (self, &work->settings);
  work->settings.threads = 1;
  work->steps = CLAMP (_st_window_get_step (self), MIN_COMPARE_STEPS, MAX_COMPARE_STEPS);

  dialog = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (dialog), _("Compare Layouts"));
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 760, 480);
  gtk_widget_set_name (dialog, "compare-layouts");

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  header = adw_header_bar_new ();
  gtk_box_append (GTK_BOX (box), header);

  label = gtk_label_new (_("Training the start weights in CSR, CSC and COO with the same seed…"));
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_name (label, "compare-result");
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_box_append (GTK_BOX (box), label);

  plot = st_cost_plot_new ();
  st_cost_plot_set_batch_label (ST_COST_PLOT (plot), _("CSR"));
  st_cost_plot_add_series (ST_COST_PLOT (plot), _("CSC"));
  st_cost_plot_add_series (ST_COST_PLOT (plot), _("COO"));
  st_cost_plot_set_log_scale (ST_COST_PLOT (plot), g_settings_get_boolean (self->settings, "log-scale"));
  gtk_widget_set_vexpand (plot, TRUE);
  gtk_widget_set_margin_start (plot, 12);
  gtk_widget_set_margin_end (plot, 12);
  gtk_widget_set_margin_bottom (plot, 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (plot), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Cost in the three layouts"), -1);
  gtk_box_append (GTK_BOX (box), plot);

  adw_window_set_content (ADW_WINDOW (dialog), box);
  g_object_set_data (G_OBJECT (dialog), "st-plot", plot);
  g_object_set_data (G_OBJECT (dialog), "st-label", label);
  g_signal_connect_swapped (dialog, "destroy", G_CALLBACK (compare_dialog_destroyed), cancellable);
  g_object_set_data_full (G_OBJECT (dialog), "st-cancellable", g_object_ref (cancellable), g_object_unref);

  task = g_task_new (NULL, cancellable, compare_layouts_done, g_object_ref (dialog));
  g_task_set_source_tag (task, compare_layouts_activated);
  g_task_set_task_data (task, work, compare_task_free);
  g_task_run_in_thread (task, compare_layouts_thread);

  gtk_window_present (GTK_WINDOW (dialog));
}

static const GActionEntry math_entries[] = {
  { "check-gradients", check_gradients_activated },
  { "compare-layouts", compare_layouts_activated },
};

void
_st_window_add_math_actions (StWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), math_entries, G_N_ELEMENTS (math_entries), self);
}
