/* test-stress.c: random sequences of user actions on the real window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs 1000 short sequences of random user actions on a real window.
 * The actions are:
 * - start, pause, step, reset and a new learning rate;
 * - drawing or erasing a cell with the keyboard, undo and redo;
 * - opening and saving a model;
 * - choosing a layer, its layout and a built-in data set;
 * - closing the window and opening a new one.  Every
 * question about unsaved changes and every error message gets a random
 * response among its own, other than Save.
 *
 * The test fails on a crash, a GLib or GTK warning or critical (the
 * suite runs with G_DEBUG=fatal-warnings), a leak in the
 * AddressSanitizer build, a model that the window saved and cannot
 * open again, or a heat map that no longer shows a layer of its model.
 * Nothing waits for training to converge.
 *
 * The seed comes from ST_STRESS_SEED, or is random, and is printed
 * first.  Each action's choices are drawn from the seed and the
 * sequence's number alone, so a seed repeats the same actions and
 * answers; how far training gets between them depends on the machine.
 * ST_STRESS_SEQUENCES changes the number of sequences.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "st-heatmap.h"
#include "window-test-utils.h"

#define N_SEQUENCES 1000
#define MAX_SEQUENCE_LENGTH 4

typedef enum
{
  ACTION_START,
  ACTION_PAUSE,
  ACTION_STEP,
  ACTION_RESET,
  ACTION_LEARNING_RATE,
  ACTION_DRAW,
  ACTION_ERASE,
  ACTION_UNDO,
  ACTION_REDO,
  ACTION_OPEN_MODEL,
  ACTION_SAVE_MODEL,
  ACTION_SELECT_LAYER,
  ACTION_LAYOUT,
  ACTION_DATASET,
  ACTION_REOPEN_WINDOW,
  N_ACTIONS
} Action;

static const char *const action_names[N_ACTIONS] = {
  "start", "pause", "step", "reset", "learning-rate", "draw", "erase", "undo", "redo",
  "open-model", "save-model", "select-layer", "layout", "dataset", "reopen-window",
};

/* How often each action is drawn, relative to the others.  Reopening a
 * window costs the most time, so it comes less often. */
static const guint action_weights[N_ACTIONS] = {
  4, 3, 4, 2, 2, 3, 3, 2, 2, 2, 2, 2, 2, 2, 1,
};

static const char *const builtin_datasets[] = {
  "worked-example", "xor", "circles", "spirals", "blobs", "sine", "bars-stripes", "permutation",
};

static const char *const layouts[] = { "csr", "csc", "coo" };

/* Responses that a user may give to the window's questions and
 * messages.  Save is left out: for a model without a file it opens a
 * file chooser. */
static const char *const answers[] = { "cancel", "discard", "reset", "close" };

/* The random choices of one action, all drawn before it runs, so that
 * the stream of random numbers does not depend on what the window did. */
typedef struct
{
  Action action;
  double value;      /* in [0, 1): learning rate, file or data set */
  guint32 pick;      /* layer, row, column, layout */
  guint32 pick2;
  guint32 answer;    /* which response to each question */
} Choice;

typedef struct
{
  Fixture fixture;
  GPtrArray *models;  /* GFile: models to open */
  GFile *saved[2];    /* where models are saved */
  guint n_reopened;
  guint n_dialogs;
} Stress;

static Action
draw_action (GRand *rand)
{
  guint total = 0;
  guint r;

  for (guint i = 0; i < N_ACTIONS; i++)
    total += action_weights[i];

  r = (guint) g_rand_int_range (rand, 0, (gint32) total);
  for (guint i = 0; i < N_ACTIONS; i++)
    {
      if (r < action_weights[i])
        return (Action) i;
      r -= action_weights[i];
    }

  g_assert_not_reached ();
}

static Choice
draw_choice (GRand *rand)
{
  Choice choice;

  choice.action = draw_action (rand);
  choice.value = g_rand_double (rand);
  choice.pick = g_rand_int (rand);
  choice.pick2 = g_rand_int (rand);
  choice.answer = g_rand_int (rand);
  return choice;
}

/* Runs what the main loop has pending, without waiting for more. */
static void
run_pending (void)
{
  for (guint i = 0; i < 200 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
is_enabled (Fixture    *fixture,
            const char *action)
{
  return g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), action);
}

static void
activate_if_enabled (Fixture    *fixture,
                     const char *action,
                     GVariant   *parameter)
{
  g_autoptr(GVariant) owned = parameter != NULL ? g_variant_ref_sink (parameter) : NULL;

  if (is_enabled (fixture, action))
    g_action_group_activate_action (G_ACTION_GROUP (fixture->window), action, owned);
}

static void
change_state_if_enabled (Fixture    *fixture,
                         const char *action,
                         GVariant   *state)
{
  g_autoptr(GVariant) owned = g_variant_ref_sink (state);

  if (is_enabled (fixture, action))
    g_action_group_change_action_state (G_ACTION_GROUP (fixture->window), action, owned);
}

static gboolean
is_mapped (Fixture *fixture)
{
  return gtk_widget_get_mapped (GTK_WIDGET (fixture->window));
}

static void
open_window (Stress *stress)
{
  Fixture *fixture = &stress->fixture;

  fixture->window = st_window_new (GTK_APPLICATION (test_application));
  g_object_add_weak_pointer (G_OBJECT (fixture->window), (gpointer *) &fixture->window);
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_assert_true (wait_for (fixture, is_mapped, WAIT_MS));
  change_state (fixture, "speed", g_variant_new_uint32 (0));
}

/* Responds to every message dialog of the window, each with the
 * response that @answer picks among its own, until none is left.  One
 * response may bring the next dialog, and a discard may close the
 * window. */
static void
answer_dialogs (Stress  *stress,
                guint32  answer)
{
  Fixture *fixture = &stress->fixture;

  for (guint round = 0; round < 10 && fixture->window != NULL; round++)
    {
      GtkWindow *dialog;
      const char *present[G_N_ELEMENTS (answers)];
      guint n_present = 0;

      run_pending ();
      if (fixture->window == NULL)
        return;

      dialog = find_toplevel (fixture, ADW_TYPE_MESSAGE_DIALOG, NULL);
      if (dialog == NULL)
        return;

      for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
        if (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), answers[i]))
          present[n_present++] = answers[i];
      g_assert_cmpuint (n_present, >, 0);

      /* As a click on a response button does; other dialogs, such as
       * an error that came before the question, stay open. */
      stress->n_dialogs++;
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), present[(answer >> (3 * round)) % n_present]);
      gtk_window_destroy (dialog);
    }

  g_assert_true (fixture->window == NULL || !has_message_dialog (fixture));
}

static StNetwork *
copy_model (Fixture *fixture)
{
  return st_window_copy_network (fixture->window);
}

static GtkEventController *
find_key_controller (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        return GTK_EVENT_CONTROLLER (controller);
    }

  return NULL;
}

/* Draws or erases the cell that @choice picks, as Return does at the
 * heat map's keyboard cursor. */
static void
edit_cell (Fixture      *fixture,
           const Choice *choice,
           gboolean      draw)
{
  StHeatmap *heatmap = ST_HEATMAP (find_widget_by_type (GTK_WIDGET (fixture->window), ST_TYPE_HEATMAP));
  GtkEventController *keys = find_key_controller (GTK_WIDGET (heatmap));
  guint rows = st_heatmap_get_rows (heatmap);
  guint cols = st_heatmap_get_cols (heatmap);
  gboolean handled = FALSE;

  g_assert_nonnull (keys);
  if (rows == 0 || cols == 0)
    return;

  change_state (fixture, "tool", g_variant_new_string (draw ? "draw" : "erase"));
  st_heatmap_set_cursor (heatmap, choice->pick % rows, choice->pick2 % cols);
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Return, 0, 0, &handled);
}

static void
run_action (Stress       *stress,
            const Choice *choice)
{
  Fixture *fixture = &stress->fixture;
  g_autoptr(StNetwork) network = NULL;
  guint n_layers;

  switch (choice->action)
    {
    case ACTION_START:
      change_state_if_enabled (fixture, "start", g_variant_new_boolean (TRUE));
      break;

    case ACTION_PAUSE:
      change_state_if_enabled (fixture, "start", g_variant_new_boolean (FALSE));
      break;

    case ACTION_STEP:
      activate_if_enabled (fixture, "step", NULL);
      break;

    case ACTION_RESET:
      activate_if_enabled (fixture, "reset", NULL);
      break;

    case ACTION_LEARNING_RATE:
      /* 1e-4 to about 3: the top end may diverge, which stops training
       * with a message. */
      change_state_if_enabled (fixture, "learning-rate",
                               g_variant_new_double (pow (10.0, -4.0 + 4.5 * choice->value)));
      break;

    case ACTION_DRAW:
    case ACTION_ERASE:
      edit_cell (fixture, choice, choice->action == ACTION_DRAW);
      break;

    case ACTION_UNDO:
      activate_if_enabled (fixture, "undo", NULL);
      break;

    case ACTION_REDO:
      activate_if_enabled (fixture, "redo", NULL);
      break;

    case ACTION_OPEN_MODEL:
      {
        GFile *file = g_ptr_array_index (stress->models, (guint) (choice->value * stress->models->len));

        /* A file saved by an earlier action, or one of the start
         * models: every one of them must open. */
        if (choice->pick % 2 == 0 && g_file_query_exists (stress->saved[choice->pick2 % 2], NULL))
          file = stress->saved[choice->pick2 % 2];
        g_assert_true (st_window_open_model (fixture->window, file));
      }
      break;

    case ACTION_SAVE_MODEL:
      g_assert_true (st_window_save_model (fixture->window, stress->saved[choice->pick % 2]));
      if (!st_window_get_busy (fixture->window))
        g_assert_false (st_window_get_modified (fixture->window));
      break;

    case ACTION_SELECT_LAYER:
      network = copy_model (fixture);
      n_layers = st_network_get_n_layers (network);
      activate_if_enabled (fixture, "select-layer", g_variant_new_uint32 (choice->pick % n_layers));
      break;

    case ACTION_LAYOUT:
      network = copy_model (fixture);
      n_layers = st_network_get_n_layers (network);
      activate_if_enabled (fixture, "layer-layout",
                           g_variant_new ("(us)", choice->pick % n_layers,
                                          layouts[choice->pick2 % G_N_ELEMENTS (layouts)]));
      break;

    case ACTION_DATASET:
      change_state_if_enabled (fixture, "dataset",
                               g_variant_new_string (builtin_datasets[(guint) (choice->value * G_N_ELEMENTS (builtin_datasets))]));
      break;

    case ACTION_REOPEN_WINDOW:
      gtk_window_close (GTK_WINDOW (fixture->window));
      break;

    case N_ACTIONS:
    default:
      g_assert_not_reached ();
    }

  answer_dialogs (stress, choice->answer);

  if (fixture->window == NULL)
    {
      stress->n_reopened++;
      open_window (stress);
    }
}

static gboolean
is_settled (Fixture *fixture)
{
  return !st_window_get_busy (fixture->window);
}

/* The heat map shows a layer of the model, with as many stored entries,
 * once training is paused and its last state is on screen. */
static void
check_window (Stress *stress)
{
  Fixture *fixture = &stress->fixture;
  StHeatmap *heatmap = ST_HEATMAP (find_widget_by_type (GTK_WIDGET (fixture->window), ST_TYPE_HEATMAP));
  g_autoptr(StNetwork) network = NULL;
  g_autoptr(GVariant) running = NULL;
  gboolean found = FALSE;

  g_assert_false (has_message_dialog (fixture));
  g_assert_true (g_ascii_isdigit (read_label (fixture, "step-value")[0]));

  running = g_action_group_get_action_state (G_ACTION_GROUP (fixture->window), "start");
  if (g_variant_get_boolean (running))
    return;
  g_assert_true (wait_for (fixture, is_settled, WAIT_MS));

  network = copy_model (fixture);
  for (guint l = 0; l < st_network_get_n_layers (network) && !found; l++)
    {
      StLayer *layer = st_network_get_layer (network, l);

      found = st_layer_get_rows (layer) == st_heatmap_get_rows (heatmap) &&
              st_layer_get_cols (layer) == st_heatmap_get_cols (heatmap) &&
              st_layer_get_nnz (layer) == st_heatmap_get_nnz (heatmap);
    }
  g_assert_true (found);
}

/* Saves a model of sparse layers of the given widths, tanh between
 * them, with biases. */
static GFile *
write_model (const char  *dir,
             const char  *name,
             const guint *widths,
             guint        n_widths,
             double       density,
             guint32      seed)
{
  g_autoptr(gsl_rng) rng = st_random_new (seed);
  g_autoptr(StNetwork) network = st_network_new (ST_LOSS_HALF_MSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);

  for (guint l = 0; l + 1 < n_widths; l++)
    {
      StLayer *layer = st_pattern_new_random (widths[l + 1], widths[l], density, ST_LAYOUT_CSR, rng, &error);

      g_assert_no_error (error);
      st_init_weights (layer, ST_INIT_XAVIER_UNIFORM, rng);
      st_layer_set_activation (layer, l + 2 < n_widths ? ST_ACTIVATION_TANH : ST_ACTIVATION_IDENTITY);
      g_assert_true (st_layer_set_has_bias (layer, TRUE, &error));
      g_assert_true (st_network_append_layer (network, layer, &error));
    }

  st_model_save (network, path, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

/* Returns: the resident memory of this process in KiB, from
 * /proc/self/status, so that the log shows memory growing. */
static guint64
read_resident_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmRSS:")) == NULL)
    return 0;

  return g_ascii_strtoull (line + strlen ("VmRSS:"), NULL, 10);
}

static guint
read_count (const char *variable,
            guint       fallback)
{
  const char *text = g_getenv (variable);

  return text != NULL && *text != '\0' ? (guint) g_ascii_strtoull (text, NULL, 10) : fallback;
}

static void
test_random_sequences (void)
{
  static const guint two_two[] = { 2, 2 };
  static const guint two_hidden[] = { 2, 8, 2 };
  static const guint bars[] = { 64, 16, 2 };
  static const guint sine[] = { 1, 6, 6, 1 };
  Stress stress = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  guint32 seed = read_count ("ST_STRESS_SEED", (guint32) g_test_rand_int ());
  guint n_sequences = read_count ("ST_STRESS_SEQUENCES", N_SEQUENCES);
  guint n_actions = 0;

  g_test_message ("Seed %u: repeat with ST_STRESS_SEED=%u", seed, seed);

  stress.fixture.scratch = g_dir_make_tmp ("sparse-trainer-stress-XXXXXX", &error);
  g_assert_no_error (error);
  stress.models = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (stress.models, write_model (stress.fixture.scratch, "two.stmodel", two_two, 2, 0.5, 1));
  g_ptr_array_add (stress.models, write_model (stress.fixture.scratch, "hidden.stmodel", two_hidden, 3, 0.5, 2));
  g_ptr_array_add (stress.models, write_model (stress.fixture.scratch, "bars.stmodel", bars, 3, 0.25, 3));
  g_ptr_array_add (stress.models, write_model (stress.fixture.scratch, "sine.stmodel", sine, 4, 0.7, 4));
  stress.saved[0] = g_file_new_build_filename (stress.fixture.scratch, "saved-a.stmodel", NULL);
  stress.saved[1] = g_file_new_build_filename (stress.fixture.scratch, "saved-b.stmodel", NULL);

  open_window (&stress);

  for (guint sequence = 0; sequence < n_sequences; sequence++)
    {
      guint32 sequence_seed[] = { seed, sequence };
      g_autoptr(GRand) rand = g_rand_new_with_seed_array (sequence_seed, G_N_ELEMENTS (sequence_seed));
      guint length = (guint) g_rand_int_range (rand, 1, MAX_SEQUENCE_LENGTH + 1);
      g_autoptr(GString) names = g_string_new (NULL);
      Choice choices[MAX_SEQUENCE_LENGTH];

      for (guint i = 0; i < length; i++)
        {
          choices[i] = draw_choice (rand);
          g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", action_names[choices[i].action]);
        }
      g_test_message ("Sequence %u: %s (%" G_GUINT64_FORMAT " KiB resident)",
                      sequence, names->str, read_resident_kib ());

      for (guint i = 0; i < length; i++)
        {
          run_action (&stress, &choices[i]);
          run_pending ();
        }
      n_actions += length;

      check_window (&stress);
    }

  g_test_message ("%u sequences, %u actions, %u dialogs answered, %u windows reopened in %.1f s",
                  n_sequences, n_actions, stress.n_dialogs, stress.n_reopened,
                  g_timer_elapsed (timer, NULL));

  fixture_tear_down (&stress.fixture, NULL);
  g_ptr_array_unref (stress.models);
  g_object_unref (stress.saved[0]);
  g_object_unref (stress.saved[1]);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  test_init_application (&argc, &argv);

  g_test_add_func ("/ui/stress/random-sequences", test_random_sequences);

  status = g_test_run ();

  g_clear_object (&test_application);
  return status;
}
