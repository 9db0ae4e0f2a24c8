/* st-generator-dialog.c: pattern generators with a live preview
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One dialog serves two purposes.  For a layer, it replaces the layer's
 * pattern with a generated one of the same shape (an undoable edit).
 * For a new network, it also asks for the hidden layer widths and their
 * activation; the first layer uses the chosen generator, and every later
 * layer too unless the generator cannot make its shape (local fields
 * need an image), in which case it gets a uniform pattern of the same
 * density.
 *
 * The preview regenerates at each change.  Generating even a 4096 x 4096
 * layer takes milliseconds, so there is no need to defer it.
 */

#define G_LOG_DOMAIN "st-generator-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "st-generator-dialog.h"

#include "st-combo-list.h"
#include "st-heatmap.h"
#include "st-network-pattern.h"

/* The order of the generator row's entries. */
static const StPatternKind kind_choices[] = {
  ST_PATTERN_UNIFORM, ST_PATTERN_FAN_IN, ST_PATTERN_BANDED, ST_PATTERN_BLOCK_DIAGONAL,
  ST_PATTERN_PERMUTATION, ST_PATTERN_IDENTITY, ST_PATTERN_LOCAL, ST_PATTERN_FULL,
};

static const StInit init_choices[] = {
  ST_INIT_LECUN_UNIFORM, ST_INIT_XAVIER_UNIFORM, ST_INIT_XAVIER_NORMAL, ST_INIT_HE_UNIFORM, ST_INIT_HE_NORMAL,
};

static const StActivation activation_choices[] = {
  ST_ACTIVATION_TANH, ST_ACTIVATION_RELU, ST_ACTIVATION_LOGISTIC, ST_ACTIVATION_IDENTITY,
};

typedef enum
{
  PARAM_DENSITY,
  PARAM_FAN_IN,
  PARAM_HALF_WIDTH,
  PARAM_BLOCK_SIZE,
  PARAM_IMAGE_HEIGHT,
  PARAM_IMAGE_WIDTH,
  PARAM_WINDOW,
  PARAM_STRIDE,
  PARAM_MAPS,
  PARAM_SEED,
  N_PARAMS
} Param;

static const char *const param_names[N_PARAMS] = {
  "density", "fan-in", "half-width", "block-size", "image-height", "image-width",
  "window", "stride", "maps", "seed",
};

typedef struct
{
  GtkWindow *window;
  GtkWindow *parent;
  gboolean new_network;
  guint rows;            /* edit mode: the layer's shape */
  guint cols;
  StLayout layout;
  guint n_inputs;        /* new-network mode */
  guint n_outputs;
  gboolean classification;
  GSettings *settings;
  StGeneratorApplyLayer apply_layer;
  StGeneratorApplyNetwork apply_network;

  AdwComboRow *kind_row;
  AdwComboRow *init_row;
  AdwComboRow *activation_row;
  GtkEditable *hidden_entry;
  GtkSpinButton *params[N_PARAMS];
  GtkWidget *param_rows[N_PARAMS];
  StHeatmap *preview;
  GtkLabel *stats_label;
  GtkLabel *error_label;
  GtkWidget *apply_button;
  gboolean destroyed;
} Dialog;

static void
dialog_free (gpointer data)
{
  Dialog *dialog = data;

  g_clear_object (&dialog->settings);
  g_free (dialog);
}

/* The widgets go away at destroy, before the dialog data does, and may
 * still emit changes while they go. */
static void
dialog_destroyed (Dialog *dialog)
{
  dialog->destroyed = TRUE;
}

static Dialog *
get_dialog (GtkWindow *window)
{
  return g_object_get_data (G_OBJECT (window), "st-generator-dialog");
}

static StPatternKind
dialog_get_kind (Dialog *dialog)
{
  guint selected = adw_combo_row_get_selected (dialog->kind_row);

  return selected < G_N_ELEMENTS (kind_choices) ? kind_choices[selected] : ST_PATTERN_UNIFORM;
}

static double
param (Dialog *dialog,
       Param   p)
{
  return gtk_spin_button_get_value (dialog->params[p]);
}

static void
dialog_get_spec (Dialog        *dialog,
                 StPatternSpec *spec)
{
  st_pattern_spec_init (spec, dialog_get_kind (dialog));
  spec->density = param (dialog, PARAM_DENSITY) / 100.0;
  spec->fan_in = (guint) param (dialog, PARAM_FAN_IN);
  spec->half_width = (guint) param (dialog, PARAM_HALF_WIDTH);
  spec->block_size = (guint) param (dialog, PARAM_BLOCK_SIZE);
  spec->image_height = (guint) param (dialog, PARAM_IMAGE_HEIGHT);
  spec->image_width = (guint) param (dialog, PARAM_IMAGE_WIDTH);
  spec->window = (guint) param (dialog, PARAM_WINDOW);
  spec->stride = (guint) param (dialog, PARAM_STRIDE);
  spec->maps = (guint) param (dialog, PARAM_MAPS);
}

/* Parses "16" or "32, 16" into widths.  Returns: %FALSE on a bad width. */
static gboolean
parse_hidden (const char *text,
              GArray     *widths)
{
  g_autoptr(GString) commas = g_string_new (text);
  g_auto(GStrv) parts = NULL;

  /* A Chinese input method types the full-width comma or the enumeration
   * comma by default; both separate widths as "," does. */
  g_string_replace (commas, "，", ",", 0);
  g_string_replace (commas, "、", ",", 0);
  parts = g_strsplit (commas->str, ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *stripped = g_strstrip (parts[i]);
      guint64 width;

      if (*stripped == '\0')
        continue;
      if (!g_ascii_string_to_unsigned (stripped, 10, 1, 65536, &width, NULL))
        return FALSE;
      g_array_append_vals (widths, &(guint) { (guint) width }, 1);
    }

  return TRUE;
}

/* The shape of the layer the generator makes: the edited layer, or the
 * new network's first layer. */
static gboolean
dialog_get_first_shape (Dialog  *dialog,
                        guint   *rows,
                        guint   *cols,
                        GArray  *hidden,
                        GError **error)
{
  if (!dialog->new_network)
    {
      *rows = dialog->rows;
      *cols = dialog->cols;
      return TRUE;
    }

  if (!parse_hidden (gtk_editable_get_text (dialog->hidden_entry), hidden))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Hidden layers must be whole numbers from 1 to 65536, separated by commas, such as “16” or “32, 16”."));
      return FALSE;
    }

  *cols = dialog->n_inputs;
  *rows = hidden->len > 0 ? g_array_index (hidden, guint, 0) : dialog->n_outputs;
  return TRUE;
}

static StInit
dialog_get_init (Dialog *dialog)
{
  guint selected = adw_combo_row_get_selected (dialog->init_row);

  return selected < G_N_ELEMENTS (init_choices) ? init_choices[selected] : ST_INIT_LECUN_UNIFORM;
}

static StLayer *
dialog_generate_layer (Dialog  *dialog,
                       guint    rows,
                       guint    cols,
                       gsl_rng *rng,
                       GError **error)
{
  StPatternSpec spec;
  StLayer *layer;

  dialog_get_spec (dialog, &spec);
  layer = st_pattern_generate (&spec, rows, cols, dialog->layout, rng, error);
  if (layer != NULL)
    st_init_weights (layer, dialog_get_init (dialog), rng);

  return layer;
}

static StNetwork *
dialog_generate_network (Dialog  *dialog,
                         GError **error)
{
  g_autoptr(GArray) hidden = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(gsl_rng) rng = st_random_new ((guint64) param (dialog, PARAM_SEED));
  g_autoptr(StNetwork) network = NULL;
  guint previous = dialog->n_inputs;
  guint rows, cols;
  guint selected = adw_combo_row_get_selected (dialog->activation_row);
  StActivation hidden_activation = selected < G_N_ELEMENTS (activation_choices) ? activation_choices[selected]
                                                                                 : ST_ACTIVATION_TANH;

  if (!dialog_get_first_shape (dialog, &rows, &cols, hidden, error))
    return NULL;

  network = st_network_new (dialog->classification ? ST_LOSS_SOFTMAX_CROSS_ENTROPY : ST_LOSS_HALF_MSE);
  for (guint l = 0; l <= hidden->len; l++)
    {
      guint width = l < hidden->len ? g_array_index (hidden, guint, l) : dialog->n_outputs;
      StLayer *layer = dialog_generate_layer (dialog, width, previous, rng, l == 0 ? error : NULL);

      if (layer == NULL && l == 0)
        return NULL;

      if (layer == NULL)
        {
          StPatternSpec spec;

          st_pattern_spec_init (&spec, ST_PATTERN_UNIFORM);
          spec.density = param (dialog, PARAM_DENSITY) / 100.0;
          layer = st_pattern_generate (&spec, width, previous, dialog->layout, rng, error);
          if (layer == NULL)
            return NULL;
          st_init_weights (layer, dialog_get_init (dialog), rng);
        }

      st_layer_set_activation (layer, l < hidden->len ? hidden_activation
                                      : dialog->classification ? ST_ACTIVATION_SOFTMAX : ST_ACTIVATION_IDENTITY);
      if (!st_layer_set_has_bias (layer, TRUE, error) || !st_network_append_layer (network, layer, error))
        return NULL;
      previous = width;
    }

  if (!st_network_validate (network, error))
    return NULL;

  return g_steal_pointer (&network);
}

/* Which parameter rows the chosen generator reads. */
static void
dialog_update_rows (Dialog *dialog)
{
  StPatternKind kind = dialog_get_kind (dialog);
  gboolean local = kind == ST_PATTERN_LOCAL;

  gtk_widget_set_visible (dialog->param_rows[PARAM_DENSITY], kind == ST_PATTERN_UNIFORM || dialog->new_network);
  gtk_widget_set_visible (dialog->param_rows[PARAM_FAN_IN], kind == ST_PATTERN_FAN_IN);
  gtk_widget_set_visible (dialog->param_rows[PARAM_HALF_WIDTH], kind == ST_PATTERN_BANDED);
  gtk_widget_set_visible (dialog->param_rows[PARAM_BLOCK_SIZE], kind == ST_PATTERN_BLOCK_DIAGONAL);
  for (Param p = PARAM_IMAGE_HEIGHT; p <= PARAM_MAPS; p++)
    gtk_widget_set_visible (dialog->param_rows[p], local);
}

static void
dialog_update_preview (Dialog *dialog)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StLayer) layer = NULL;
  g_autoptr(StNetwork) network = NULL;
  g_autoptr(gsl_rng) rng = st_random_new ((guint64) param (dialog, PARAM_SEED));
  StLayer *first = NULL;

  if (dialog->destroyed)
    return;

  dialog_update_rows (dialog);

  if (dialog->new_network)
    {
      network = dialog_generate_network (dialog, &error);
      first = network != NULL ? st_network_get_layer (network, 0) : NULL;
    }
  else
    {
      first = layer = dialog_generate_layer (dialog, dialog->rows, dialog->cols, rng, &error);
    }

  gtk_widget_set_sensitive (dialog->apply_button, first != NULL);
  gtk_widget_set_visible (GTK_WIDGET (dialog->error_label), first == NULL);

  if (first == NULL)
    {
      gtk_label_set_label (dialog->error_label, error->message);
      gtk_label_set_label (dialog->stats_label, "");
      st_heatmap_clear (dialog->preview);
      return;
    }

  {
    g_autoptr(StNetwork) holder = st_network_new (ST_LOSS_HALF_MSE);
    g_autoptr(StNetworkPattern) pattern = NULL;
    const StLayerPattern *lp;
    g_autoptr(StSnapshot) snapshot = NULL;
    g_autofree char *stats = NULL;
    g_autofree char *stored = NULL;
    StFanIn fan_in;

    st_network_append_layer (holder, st_layer_copy (first), NULL);
    pattern = st_network_pattern_new (holder);
    lp = st_network_pattern_get_layer (pattern, 0);
    snapshot = st_snapshot_new_from_network (holder, 0, 0, NAN);
    st_layer_pattern_get_fan_in (lp, &fan_in);

    st_heatmap_set_pattern (dialog->preview, lp->rows, lp->cols, lp->nnz, lp->entry_rows, lp->entry_cols, lp->start_values);
    st_heatmap_set_snapshot (dialog->preview, snapshot, 0);

    /* Translators: statistics of the generated pattern; fan-in is stored entries per row. */
    stored = g_strdup_printf ("%" G_GSIZE_FORMAT, lp->nnz);
    stats = g_strdup_printf (_("%u × %u, %s stored · density %.3g %% · fan-in min %u, mean %.3g, max %u"),
                             lp->rows, lp->cols, stored, 100.0 * st_layer_pattern_get_density (lp),
                             fan_in.min, fan_in.mean, fan_in.max);
    gtk_label_set_label (dialog->stats_label, stats);
  }
}

static void
dialog_queue_preview (Dialog *dialog)
{
  dialog_update_preview (dialog);
}

/**
 * st_generator_dialog_apply:
 * @window: a generator dialog
 *
 * Generates with the dialog's settings, hands the result to the apply
 * function and closes the dialog.
 *
 * Returns: %FALSE, leaving the dialog open, when generation fails
 */
gboolean
st_generator_dialog_apply (GtkWindow *window)
{
  Dialog *dialog = get_dialog (window);
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (dialog != NULL, FALSE);

  if (dialog->new_network)
    {
      StNetwork *network = dialog_generate_network (dialog, &error);

      if (network == NULL)
        return FALSE;

      if (dialog->settings != NULL)
        {
          g_settings_set_string (dialog->settings, "new-pattern", st_pattern_kind_to_string (dialog_get_kind (dialog)));
          g_settings_set_double (dialog->settings, "new-density", param (dialog, PARAM_DENSITY) / 100.0);
        }
      dialog->apply_network (dialog->parent, network);
    }
  else
    {
      g_autoptr(gsl_rng) rng = st_random_new ((guint64) param (dialog, PARAM_SEED));
      StLayer *layer = dialog_generate_layer (dialog, dialog->rows, dialog->cols, rng, &error);

      if (layer == NULL)
        return FALSE;

      dialog->apply_layer (dialog->parent, layer);
    }

  gtk_window_destroy (window);
  return TRUE;
}

static void
apply_clicked (GtkWindow *window)
{
  st_generator_dialog_apply (window);
}

static void
changed (Dialog *dialog)
{
  dialog_queue_preview (dialog);
}

static GtkWidget *
add_spin_row (Dialog               *dialog,
              AdwPreferencesGroup  *group,
              Param                 p,
              const char           *title,
              const char           *subtitle,
              double                lower,
              double                upper,
              double                value,
              guint                 digits)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (lower, upper, digits > 0 ? pow (10, -(double) digits) * 10 : 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  adw_preferences_group_add (group, row);
  g_signal_connect_swapped (spin, "value-changed", G_CALLBACK (changed), dialog);

  dialog->params[p] = GTK_SPIN_BUTTON (spin);
  dialog->param_rows[p] = row;
  return row;
}

static GtkWidget *
add_combo_row (AdwPreferencesGroup *group,
               const char          *title,
               const char *const   *items)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) model = gtk_string_list_new (items);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  st_combo_row_show_whole_items (ADW_COMBO_ROW (row));
  adw_preferences_group_add (group, row);
  return row;
}

static GtkWindow *
dialog_build (Dialog     *dialog,
              const char *title,
              const char *apply_label)
{
  const char *kinds[] = {
    _("Uniform: a share of all positions"),
    _("Fan-in: the same number in every row"),
    _("Banded: near the diagonal"),
    _("Block-diagonal"),
    _("Permutation: one per row and column"),
    _("Identity: the diagonal"),
    _("Local receptive fields over an image"),
    _("Full: every position"),
    NULL,
  };
  const char *inits[] = {
    _("LeCun uniform"), _("Xavier uniform"), _("Xavier normal"), _("He uniform"), _("He normal"), NULL,
  };
  const char *activations[] = { _("tanh"), _("ReLU"), _("Logistic"), _("Identity"), NULL };
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *preview_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *preview_title = gtk_label_new (_("Preview"));
  guint max_side = dialog->new_network ? 65536 : MAX (dialog->rows, dialog->cols);
  GtkEventController *keys;

  dialog->window = GTK_WINDOW (window);
  g_object_set_data_full (G_OBJECT (window), "st-generator-dialog", dialog, dialog_free);
  g_signal_connect_swapped (window, "destroy", G_CALLBACK (dialog_destroyed), dialog);

  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (window), dialog->parent);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 620);

  /* Escape and Ctrl+W cancel, as in the app's other dialogs. */
  keys = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("Escape|<Control>w"),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (window, keys);

  dialog->apply_button = gtk_button_new_with_mnemonic (apply_label);
  gtk_widget_add_css_class (dialog->apply_button, "suggested-action");
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), dialog->apply_button);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), window);
  g_signal_connect_swapped (dialog->apply_button, "clicked", G_CALLBACK (apply_clicked), window);
  gtk_box_append (GTK_BOX (box), header);

  if (dialog->new_network)
    {
      GtkWidget *network_group = adw_preferences_group_new ();
      GtkWidget *hidden_row = adw_entry_row_new ();
      g_autofree char *description = NULL;

      /* Translators: the data set's inputs and outputs fix the network's ends. */
      description = g_strdup_printf (_("%u inputs and %u outputs, from the data set"), dialog->n_inputs, dialog->n_outputs);
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (network_group), _("Network"));
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (network_group), description);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (hidden_row), _("_Hidden layer widths, such as 16 or 32, 16"));
      adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (hidden_row), TRUE);
      gtk_editable_set_text (GTK_EDITABLE (hidden_row), "16");
      dialog->hidden_entry = GTK_EDITABLE (hidden_row);
      g_signal_connect_swapped (hidden_row, "changed", G_CALLBACK (changed), dialog);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (network_group), hidden_row);
      dialog->activation_row = ADW_COMBO_ROW (add_combo_row (ADW_PREFERENCES_GROUP (network_group),
                                                             _("Hidden _activation"), activations));
      g_signal_connect_swapped (dialog->activation_row, "notify::selected", G_CALLBACK (changed), dialog);
      adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (network_group));
    }

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Pattern"));
  dialog->kind_row = ADW_COMBO_ROW (add_combo_row (ADW_PREFERENCES_GROUP (group), _("_Generator"), kinds));
  g_signal_connect_swapped (dialog->kind_row, "notify::selected", G_CALLBACK (changed), dialog);
  add_spin_row (dialog, ADW_PREFERENCES_GROUP (group), PARAM_DENSITY, _("_Density"),
                _("Percent of positions stored"), 0.01, 100, 25, 2);
  add_spin_row (dialog, ADW_PREFERENCES_GROUP (group), PARAM_FAN_IN, _("_Fan-in"),
                _("Stored entries in each row"), 1, MAX (max_side, 1), MIN (8, MAX (max_side, 1)), 0);
  add_spin_row (dialog, ADW_PREFERENCES_GROUP (group), PARAM_HALF_WIDTH, _("_Half width"),
                _("Columns on each side of the diagonal"), 0, MAX (max_side, 1), 1, 0);
  add_spin_row (dialog, ADW_PREFERENCES_GROUP (group), PARAM_BLOCK_SIZE, _("_Block size"),
                _("Rows per block; must divide the rows"), 1, MAX (max_side, 1), 4, 0);
  add_spin_row (dialog, ADW_PREFERENCES_GROUP (group), PARAM_IMAGE_HEIGHT, _("Image _height"), NULL, 1, 4096, 8, 0);
  add_spin_row (dialog, ADW_PREFERENCES_GROUP (group), PARAM_IMAGE_WIDTH, _("Image _width"), NULL, 1, 4096, 8, 0);
  add_spin_row (dialog, ADW_PREFERENCES_GROUP (group), PARAM_WINDOW, _("_Window"),
                _("Side of each square field, in pixels"), 1, 4096, 3, 0);
  add_spin_row (dialog, ADW_PREFERENCES_GROUP (group), PARAM_STRIDE, _("_Stride"),
                _("Pixels between neighbouring fields"), 1, 4096, 1, 0);
  add_spin_row (dialog, ADW_PREFERENCES_GROUP (group), PARAM_MAPS, _("_Maps"),
                _("Outputs per field position"), 1, 4096, 1, 0);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Initial Weights"));
  dialog->init_row = ADW_COMBO_ROW (add_combo_row (ADW_PREFERENCES_GROUP (group), _("_Initialisation"), inits));
  g_signal_connect_swapped (dialog->init_row, "notify::selected", G_CALLBACK (changed), dialog);
  add_spin_row (dialog, ADW_PREFERENCES_GROUP (group), PARAM_SEED, _("S_eed"),
                _("The same seed gives the same pattern and weights"), 0, 2147483647, 1, 0);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  gtk_widget_set_size_request (page, 400, -1);
  gtk_box_append (GTK_BOX (content), page);

  gtk_widget_add_css_class (preview_title, "heading");
  gtk_label_set_xalign (GTK_LABEL (preview_title), 0);
  dialog->preview = ST_HEATMAP (st_heatmap_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (dialog->preview), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (dialog->preview), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dialog->preview), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Preview of the generated pattern"), -1);
  dialog->stats_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (dialog->stats_label, TRUE);
  gtk_label_set_xalign (dialog->stats_label, 0);
  gtk_widget_set_name (GTK_WIDGET (dialog->stats_label), "generator-stats");
  dialog->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (dialog->error_label, TRUE);
  gtk_label_set_xalign (dialog->error_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (dialog->error_label), "error");
  gtk_widget_set_margin_start (preview_box, 12);
  gtk_widget_set_margin_end (preview_box, 12);
  gtk_widget_set_margin_top (preview_box, 12);
  gtk_widget_set_margin_bottom (preview_box, 12);
  gtk_box_append (GTK_BOX (preview_box), preview_title);
  gtk_box_append (GTK_BOX (preview_box), GTK_WIDGET (dialog->preview));
  gtk_box_append (GTK_BOX (preview_box), GTK_WIDGET (dialog->stats_label));
  gtk_box_append (GTK_BOX (preview_box), GTK_WIDGET (dialog->error_label));
  gtk_box_append (GTK_BOX (content), preview_box);
  gtk_widget_set_vexpand (content, TRUE);
  gtk_box_append (GTK_BOX (box), content);

  adw_window_set_content (ADW_WINDOW (window), box);
  dialog_update_preview (dialog);

  return GTK_WINDOW (window);
}

/**
 * st_generator_dialog_new_for_layer:
 * @parent: the window
 * @rows: the layer's rows
 * @cols: its columns
 * @layout: the layout of the generated layer
 * @apply: receives the generated layer
 *
 * Returns: (transfer none): the dialog, not yet shown
 */
GtkWindow *
st_generator_dialog_new_for_layer (GtkWindow             *parent,
                                   guint                  rows,
                                   guint                  cols,
                                   StLayout               layout,
                                   StGeneratorApplyLayer  apply)
{
  Dialog *dialog = g_new0 (Dialog, 1);

  dialog->parent = parent;
  dialog->rows = rows;
  dialog->cols = cols;
  dialog->layout = layout;
  dialog->apply_layer = apply;

  return dialog_build (dialog, _("Generate Pattern"), _("_Apply"));
}

/**
 * st_generator_dialog_new_for_network:
 * @parent: the window
 * @n_inputs: the data set's inputs
 * @n_outputs: its outputs
 * @classification: whether the output is softmax with cross-entropy
 * @settings: (nullable): where the generator and density are remembered
 * @apply: receives the network
 *
 * Returns: (transfer none): the dialog, not yet shown
 */
GtkWindow *
st_generator_dialog_new_for_network (GtkWindow               *parent,
                                     guint                    n_inputs,
                                     guint                    n_outputs,
                                     gboolean                 classification,
                                     GSettings               *settings,
                                     StGeneratorApplyNetwork  apply)
{
  Dialog *dialog = g_new0 (Dialog, 1);
  GtkWindow *window;

  dialog->parent = parent;
  dialog->new_network = TRUE;
  dialog->n_inputs = n_inputs;
  dialog->n_outputs = n_outputs;
  dialog->classification = classification;
  dialog->apply_network = apply;
  dialog->layout = ST_LAYOUT_CSR;
  if (settings != NULL)
    {
      g_autofree char *layout = g_settings_get_string (settings, "default-layout");
      g_autofree char *kind_name = g_settings_get_string (settings, "new-pattern");
      StPatternKind kind;

      dialog->settings = g_object_ref (settings);
      st_layout_from_string (layout, &dialog->layout);
      window = dialog_build (dialog, _("New Network"), _("C_reate"));
      if (st_pattern_kind_from_string (kind_name, &kind))
        st_generator_dialog_set_kind (window, kind);
      gtk_spin_button_set_value (dialog->params[PARAM_DENSITY], 100.0 * g_settings_get_double (settings, "new-density"));
      return window;
    }

  return dialog_build (dialog, _("New Network"), _("C_reate"));
}

void
st_generator_dialog_set_kind (GtkWindow     *window,
                              StPatternKind  kind)
{
  Dialog *dialog = get_dialog (window);

  for (guint i = 0; i < G_N_ELEMENTS (kind_choices); i++)
    if (kind_choices[i] == kind)
      adw_combo_row_set_selected (dialog->kind_row, i);
  dialog_update_preview (dialog);
}

/* Sets a parameter by its name: density (percent), fan-in, half-width,
 * block-size, image-height, image-width, window, stride, maps or seed. */
void
st_generator_dialog_set_parameter (GtkWindow  *window,
                                   const char *name,
                                   double      value)
{
  Dialog *dialog = get_dialog (window);

  for (guint p = 0; p < N_PARAMS; p++)
    if (g_str_equal (name, param_names[p]))
      gtk_spin_button_set_value (dialog->params[p], value);
  dialog_update_preview (dialog);
}

void
st_generator_dialog_set_hidden (GtkWindow  *window,
                                const char *widths)
{
  Dialog *dialog = get_dialog (window);

  if (dialog->hidden_entry != NULL)
    gtk_editable_set_text (dialog->hidden_entry, widths);
  dialog_update_preview (dialog);
}
