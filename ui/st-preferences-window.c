/* st-preferences-window.c: the application's preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every row is bound to a GSettings key, so changes apply at once and
 * every window follows them: the colour map, the history snapshot
 * interval, the training threads, the layout of new networks, and the
 * light or dark style.
 */

#define G_LOG_DOMAIN "st-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "st-parallel.h"
#include "st-preferences-window.h"

typedef struct
{
  const char *value;
  const char *label;
} Choice;

static gboolean
choice_to_index (GValue   *value,
                 GVariant *variant,
                 gpointer  data)
{
  const Choice *choices = data;
  const char *text = g_variant_get_string (variant, NULL);

  for (guint i = 0; choices[i].value != NULL; i++)
    if (g_str_equal (choices[i].value, text))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }

  return FALSE;
}

static GVariant *
index_to_choice (const GValue       *value,
                 const GVariantType *type,
                 gpointer            data)
{
  const Choice *choices = data;
  guint index = g_value_get_uint (value);

  for (guint i = 0; choices[i].value != NULL; i++)
    if (i == index)
      return g_variant_new_string (choices[i].value);

  return NULL;
}

static GtkWidget *
add_choice_row (AdwPreferencesGroup *group,
                GSettings           *settings,
                const char          *key,
                const char          *title,
                const char          *subtitle,
                const Choice        *choices)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

  for (guint i = 0; choices[i].value != NULL; i++)
    gtk_string_list_append (model, _(choices[i].label));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  g_settings_bind_with_mapping (settings, key, row, "selected", G_SETTINGS_BIND_DEFAULT,
                                choice_to_index, index_to_choice, (gpointer) choices, NULL);
  adw_preferences_group_add (group, row);
  return row;
}

static GtkWidget *
add_spin_row (AdwPreferencesGroup *group,
              GSettings           *settings,
              const char          *key,
              const char          *title,
              const char          *subtitle,
              double               lower,
              double               upper)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (lower, upper, 1);

  /* Named after its settings key, so that tests can find it. */
  gtk_widget_set_name (row, key);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  g_settings_bind (settings, key, gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (spin)), "value",
                   G_SETTINGS_BIND_DEFAULT);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  adw_preferences_group_add (group, row);
  return row;
}

/**
 * st_preferences_window_new:
 * @parent: (nullable): the window it belongs to
 *
 * Returns: (transfer none): a new preferences window, not yet shown
 */
GtkWindow *
st_preferences_window_new (GtkWindow *parent)
{
  static const Choice color_maps[] = {
    { "blue-red", N_("Blue and red") },
    { "purple-green", N_("Purple and green") },
    { "brown-teal", N_("Brown and teal") },
    { NULL },
  };
  static const Choice layouts[] = {
    { "csr", N_("CSR: by row") },
    { "csc", N_("CSC: by column") },
    { "coo", N_("COO: row, column, value triplets") },
    { NULL },
  };
  static const Choice styles[] = {
    { "default", N_("Follow the system") },
    { "light", N_("Light") },
    { "dark", N_("Dark") },
    { NULL },
  };
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  GtkWidget *window = adw_preferences_window_new ();
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *appearance = adw_preferences_group_new ();
  GtkWidget *training = adw_preferences_group_new ();
  guint processors = g_get_num_processors ();
  /* More threads than processors take turns and slow every step down,
   * which a user raising the count would not expect. */
  g_autofree char *threads_note =
    g_strdup_printf (ngettext ("For the sparse kernels; results are identical for every count. "
                               "This computer offers %u processor: more threads only slow "
                               "training down",
                               "For the sparse kernels; results are identical for every count. "
                               "This computer offers %u processors: more threads only slow "
                               "training down",
                               processors),
                     processors);

  gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  adw_preferences_window_set_search_enabled (ADW_PREFERENCES_WINDOW (window), FALSE);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (appearance), _("Appearance"));
  add_choice_row (ADW_PREFERENCES_GROUP (appearance), settings, "style", _("_Style"),
                  _("Light or dark, or as the system prefers"), styles);
  add_choice_row (ADW_PREFERENCES_GROUP (appearance), settings, "color-map", _("_Colour map"),
                  _("Purple–green and brown–teal suit red–green colour blindness"), color_maps);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (appearance));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (training), _("Training"));
  add_spin_row (ADW_PREFERENCES_GROUP (training), settings, "snapshot-interval", _("S_napshot interval"),
                _("Steps between the snapshots of the history timeline"), 1, 1000000);
  add_spin_row (ADW_PREFERENCES_GROUP (training), settings, "threads", _("_Threads"),
                threads_note, 1, ST_PARALLEL_MAX_THREADS);
  add_choice_row (ADW_PREFERENCES_GROUP (training), settings, "default-layout", _("Default _layout"),
                  _("Of new networks and imported patterns"), layouts);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (training));

  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (page));
  gtk_widget_set_name (window, "preferences");

  return GTK_WINDOW (window);
}
