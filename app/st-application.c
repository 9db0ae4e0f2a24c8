/* st-application.c: the application object
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each window shows one model.  Activating the application presents the
 * newest window or opens one on the worked example.  Files given on the
 * command line open together in a new window, each by its extension:
 * .mtx files are imported as patterns, .csv files opened as data sets,
 * anything else opened as a model.
 *
 * The application owns the style (light, dark or the system's) from the
 * preferences, and the keyboard shortcuts of the window actions.
 */

#define G_LOG_DOMAIN "st-application"

#include "config.h"

#include <glib/gi18n.h>

#include "st-application.h"
#include "st-preferences-window.h"
#include "st-window.h"

struct _StApplication
{
  AdwApplication parent_instance;

  GSettings *settings;
  GPtrArray *leftovers;       /* StAutosave not yet offered, newest first */
  guint checked_leftovers : 1;
};

G_DEFINE_FINAL_TYPE (StApplication, st_application, ADW_TYPE_APPLICATION)

static void st_application_offer_next (StApplication *self,
                                       StWindow      *window);

/* The window to recover into: @window while it shows nothing of the
 * user's, otherwise a new one. */
static StWindow *
st_application_get_recovery_window (StApplication *self,
                                    StWindow      *window)
{
  if (window != NULL && gtk_widget_get_visible (GTK_WIDGET (window)) &&
      !st_window_get_modified (window) && !st_window_get_has_file (window))
    return window;

  window = st_window_new (GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
st_application_recovery_response (AdwMessageDialog *dialog,
                                  const char       *response,
                                  StApplication    *self)
{
  StAutosave *leftover = g_object_get_data (G_OBJECT (dialog), "st-leftover");
  StWindow *window = ST_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (dialog)));

  if (g_str_equal (response, "recover"))
    {
      g_autoptr(GError) error = NULL;
      StWindow *target = st_application_get_recovery_window (self, window);

      if (!st_window_recover_autosave (target, leftover, &error))
        {
          GtkWidget *failed;

          g_message ("Could not recover %s: %s", leftover->model_path, error->message);
          failed = adw_message_dialog_new (GTK_WINDOW (target), _("Could Not Recover the Work"), error->message);
          adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (failed), "close", _("_Close"));
          gtk_window_present (GTK_WINDOW (failed));
        }
      window = target;
    }
  else if (g_str_equal (response, "discard"))
    {
      st_autosave_remove (leftover);
    }

  /* Otherwise (Escape) the files stay, and the next start offers them
   * again once this process has let go of their lock. */
  st_application_offer_next (self, window);
}

/* Asks about the newest leftover autosave, then about the next. */
static void
st_application_offer_next (StApplication *self,
                           StWindow      *window)
{
  StAutosave *leftover;
  g_autoptr(GKeyFile) info = g_key_file_new ();
  g_autofree char *name = NULL;
  g_autofree char *when = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GFileInfo) file_info = NULL;
  g_autoptr(GFile) file = NULL;
  GtkWidget *dialog;

  if (self->leftovers == NULL || self->leftovers->len == 0)
    {
      g_clear_pointer (&self->leftovers, g_ptr_array_unref);
      return;
    }

  leftover = g_ptr_array_steal_index (self->leftovers, 0);

  g_key_file_load_from_file (info, leftover->info_path, G_KEY_FILE_NONE, NULL);
  name = g_key_file_get_string (info, "model", "name", NULL);
  file = g_file_new_for_path (leftover->model_path);
  file_info = g_file_query_info (file, G_FILE_ATTRIBUTE_TIME_MODIFIED, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  if (file_info != NULL)
    {
      g_autoptr(GDateTime) modified = g_file_info_get_modification_date_time (file_info);
      g_autoptr(GDateTime) local = modified != NULL ? g_date_time_to_local (modified) : NULL;

      if (local != NULL)
        when = g_date_time_format (local, "%c");
    }

  /* Translators: the first %s is the name of a model, the second a date and time. */
  body = g_strdup_printf (_("Sparse Trainer did not close normally. Unsaved changes to “%s” were "
                            "saved automatically at %s. Recover them to go on working, or discard them."),
                          name != NULL ? name : _("a model"), when != NULL ? when : "?");

  dialog = adw_message_dialog_new (GTK_WINDOW (window), _("Recover Unsaved Work?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "discard", _("_Discard"),
                                    "recover", _("_Recover"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "recover", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "recover");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "later");
  gtk_widget_set_name (dialog, "recovery-dialog");

  g_object_set_data_full (G_OBJECT (dialog), "st-leftover", leftover, (GDestroyNotify) st_autosave_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (st_application_recovery_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Once per process, after the first window is shown: offers the work
 * that a session which did not end normally left in its autosaves. */
static void
st_application_offer_recovery (StApplication *self,
                               StWindow      *window)
{
  if (self->checked_leftovers)
    return;

  self->checked_leftovers = TRUE;
  self->leftovers = st_autosave_find_leftovers ();
  st_application_offer_next (self, window);
}

static void
st_application_activate (GApplication *application)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    window = GTK_WINDOW (st_window_new (GTK_APPLICATION (application)));

  gtk_window_present (window);
  st_application_offer_recovery (ST_APPLICATION (application), ST_WINDOW (window));
}

/* Opens all files given together in one new window, in order, so that
 * "sparse-trainer model.stmodel data.csv" shows a model with its data. */
static void
st_application_open (GApplication  *application,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  StWindow *window = st_window_new (GTK_APPLICATION (application));

  gtk_window_present (GTK_WINDOW (window));
  st_window_open_files (window, files, (guint) n_files);
  st_application_offer_recovery (ST_APPLICATION (application), window);
}

static void
st_application_about (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  GtkApplication *application = GTK_APPLICATION (user_data);
  static const char *developers[] = { "The Sparse Trainer developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (application),
                        "application-name", _("Sparse Trainer"),
                        "application-icon", APPLICATION_ID,
                        "developer-name", _("The Sparse Trainer developers"),
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "website", "https://sparsetrainer.github.io/",
                        "comments", _("Train neural networks whose weight matrices have a fixed "
                                      "sparse pattern, and watch the weights and the cost change "
                                      "step by step."),
                        "copyright", "© 2026 The Sparse Trainer developers",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: Replace "translator-credits" with your names, one name per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);

  gtk_window_present (GTK_WINDOW (about));
}

/* Closes every window in turn; each one asks about unsaved changes and
 * the application ends when the last one is gone. */
static void
st_application_quit (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (user_data));

  for (GList *l = windows; l != NULL; )
    {
      GtkWindow *window = l->data;

      /* Closing may remove the window from the list. */
      l = l->next;
      gtk_window_close (window);
    }
}

static void
st_application_preferences (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  gtk_window_present (st_preferences_window_new (parent));
}

static const GActionEntry app_entries[] = {
  { "about", st_application_about },
  { "preferences", st_application_preferences },
  { "quit", st_application_quit },
};

static void
st_application_style_changed (StApplication *self)
{
  g_autofree char *style = g_settings_get_string (self->settings, "style");
  AdwColorScheme scheme = ADW_COLOR_SCHEME_DEFAULT;

  if (g_str_equal (style, "light"))
    scheme = ADW_COLOR_SCHEME_FORCE_LIGHT;
  else if (g_str_equal (style, "dark"))
    scheme = ADW_COLOR_SCHEME_FORCE_DARK;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), scheme);
}

static void
st_application_set_accels (GtkApplication *application)
{
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "window.close", { "<Control>w", NULL } },
    { "win.open", { "<Control>o", NULL } },
    { "win.save", { "<Control>s", NULL } },
    { "win.save-as", { "<Control><Shift>s", NULL } },
    { "win.import-pattern", { "<Control>i", NULL } },
    { "win.export-pattern", { "<Control>e", NULL } },
    { "win.export-gradient", { "<Control><Shift>e", NULL } },
    { "win.open-dataset", { "<Control><Shift>o", NULL } },
    { "win.new-network", { "<Control>n", NULL } },
    { "win.undo", { "<Control>z", NULL } },
    { "win.redo", { "<Control><Shift>z", NULL } },
    { "win.zoom-in", { "<Control>plus", "<Control>equal" } },
    { "win.zoom-out", { "<Control>minus", NULL } },
    { "win.zoom-fit", { "<Control>0", NULL } },
    { "win.presentation", { "F11", NULL } },
    { "win.leave-presentation", { "Escape", NULL } },
    { "win.check-gradients", { "<Control>g", NULL } },
    { "win.show-storage", { "<Control>t", NULL } },
    { "win.history-live", { "<Control>End", NULL } },
    { "win.show-help-overlay", { "<Control>question", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (application, accels[i].action, accels[i].accels);
}

static void
st_application_startup (GApplication *application)
{
  StApplication *self = ST_APPLICATION (application);

  G_APPLICATION_CLASS (st_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), app_entries,
                                   G_N_ELEMENTS (app_entries), application);
  st_application_set_accels (GTK_APPLICATION (application));
  gtk_window_set_default_icon_name (APPLICATION_ID);

  self->settings = g_settings_new (APPLICATION_ID);
  g_signal_connect_object (self->settings, "changed::style",
                           G_CALLBACK (st_application_style_changed), self, G_CONNECT_SWAPPED);
  st_application_style_changed (self);
}

static void
st_application_dispose (GObject *object)
{
  StApplication *self = ST_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->leftovers, g_ptr_array_unref);

  G_OBJECT_CLASS (st_application_parent_class)->dispose (object);
}

static void
st_application_class_init (StApplicationClass *klass)
{
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = st_application_dispose;

  application_class->activate = st_application_activate;
  application_class->open = st_application_open;
  application_class->startup = st_application_startup;
}

static void
st_application_init (StApplication *self)
{
}

StApplication *
st_application_new (const char        *application_id,
                    GApplicationFlags  flags)
{
  return g_object_new (ST_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", flags,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}
