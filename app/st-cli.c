/* st-cli.c: sparse-trainer-cli, the engine for scripts and large runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cli"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "st-cli.h"

typedef struct
{
  const char *name;
  StCliCommand run;
  const char *summary;
} Command;

static const Command commands[] = {
  { "new", st_cli_new, N_("Create a random sparse network, or one from Matrix Market files") },
  { "train", st_cli_train, N_("Train a model on a data set and save it") },
  { "grad", st_cli_grad, N_("Write the gradient of the whole data set as Matrix Market files") },
  { "export", st_cli_export, N_("Write the weights and biases as Matrix Market files") },
  { "bench", st_cli_bench, N_("Time training steps of one sparse layer and print JSON") },
  { "bench-mlp", st_cli_bench_mlp, N_("Time epochs of a small sparse network and print JSON") },
  { "bench-io", st_cli_bench_io, N_("Time saving and loading a large model file and print JSON") },
};

static void
print_commands (FILE *stream)
{
  fprintf (stream, _("Usage: %s COMMAND [OPTION…]\n\n"), g_get_prgname ());
  fprintf (stream, "%s\n", _("Commands:"));
  for (guint k = 0; k < G_N_ELEMENTS (commands); k++)
    fprintf (stream, "  %-10s %s\n", commands[k].name, _(commands[k].summary));
  fprintf (stream, "\n%s\n", _("Run “sparse-trainer-cli COMMAND --help” for the options of a command."));
}

/**
 * st_cli_option_context_new:
 * @parameters: the positional parameters, for the usage line
 * @summary: what the command does
 * @entries: the options
 *
 * Returns: (transfer full): an option context that translates its help
 */
GOptionContext *
st_cli_option_context_new (const char   *parameters,
                           const char   *summary,
                           GOptionEntry *entries)
{
  GOptionContext *context = g_option_context_new (parameters);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  return context;
}

/* Returns: the edit distance between @a and @b: the fewest insertions,
 * deletions and substitutions of bytes that turn one into the other. */
static guint
edit_distance (const char *a,
               const char *b)
{
  gsize n = strlen (b);
  g_autofree guint *row = g_new (guint, n + 1);

  for (gsize j = 0; j <= n; j++)
    row[j] = (guint) j;

  for (gsize i = 1; a[i - 1] != '\0'; i++)
    {
      guint diagonal = row[0];

      row[0] = (guint) i;
      for (gsize j = 1; j <= n; j++)
        {
          guint above = row[j];
          guint cost = a[i - 1] == b[j - 1] ? 0 : 1;

          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diagonal + cost);
          diagonal = above;
        }
    }

  return row[n];
}

/* Returns: (transfer full) (nullable): the option in @context's help
 * closest to the first long option of @args that the help does not list,
 * when it is at most two edits away. */
static char *
suggest_option (GOptionContext *context,
                char          **args)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
  g_autoptr(GPtrArray) known = g_ptr_array_new_with_free_func (g_free);
  const char *unknown = NULL;
  g_autofree char *unknown_name = NULL;
  const char *best = NULL;
  guint best_distance = 3;

  /* The long options, as the help lists them: "--name" up to '=' or a space. */
  for (const char *p = strstr (help, "--"); p != NULL; p = strstr (p + 2, "--"))
    {
      gsize length = strspn (p + 2, "abcdefghijklmnopqrstuvwxyz0123456789-");

      if (length > 0)
        g_ptr_array_add (known, g_strndup (p, length + 2));
    }

  for (guint k = 1; args[k] != NULL && unknown == NULL; k++)
    {
      g_autofree char *name = g_strndup (args[k], strcspn (args[k], "="));

      if (g_str_has_prefix (name, "--") &&
          !g_ptr_array_find_with_equal_func (known, name, g_str_equal, NULL))
        {
          unknown = args[k];
          unknown_name = g_steal_pointer (&name);
        }
    }
  if (unknown == NULL)
    return NULL;

  for (guint k = 0; k < known->len; k++)
    {
      guint distance = edit_distance (unknown_name, g_ptr_array_index (known, k));

      if (distance < best_distance)
        {
          best_distance = distance;
          best = g_ptr_array_index (known, k);
        }
    }

  return g_strdup (best);
}

/* Parse options, leaving @n_positional arguments after the command name.
 * Prints a message and returns FALSE on a usage error. */
gboolean
st_cli_parse (GOptionContext   *context,
              int              *argc,
              char           ***argv,
              int               n_positional)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) original = g_strdupv (*argv);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_autofree char *suggestion = NULL;

      if (g_error_matches (error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION))
        suggestion = suggest_option (context, original);

      if (suggestion != NULL)
        /* Translators: an error message, then the closest valid option. */
        st_cli_usage_error (_("%s. Did you mean “%s”?"), error->message, suggestion);
      else
        st_cli_usage_error ("%s", error->message);
      return FALSE;
    }

  if (*argc - 1 != n_positional)
    {
      if (*argc - 1 < n_positional)
        st_cli_usage_error ("%s", _("The model file is missing."));
      else
        st_cli_usage_error (_("Unexpected argument “%s”."), (*argv)[1 + n_positional]);
      return FALSE;
    }

  return TRUE;
}

/* Print "CONTEXT: MESSAGE" on stderr; returns the failure status. */
int
st_cli_fail (const char   *context,
             const GError *error)
{
  g_printerr ("%s: %s: %s\n", g_get_prgname (), context, error->message);
  return ST_CLI_EXIT_FAILURE;
}

int
st_cli_usage_error (const char *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("%s: %s\n", g_get_prgname (), message);
  g_printerr (_("Run “%s --help” for usage.\n"), g_get_prgname ());
  return ST_CLI_EXIT_USAGE;
}

/**
 * st_cli_check_at_least:
 * @option: the option's name as typed, such as "--batch"
 * @value: what it was given
 * @minimum: the smallest value it accepts
 *
 * Reports a usage error that names @option, its @value and @minimum,
 * when @value is less than @minimum.
 *
 * Returns: %TRUE when @value is at least @minimum
 */
gboolean
st_cli_check_at_least (const char *option,
                       int         value,
                       int         minimum)
{
  if (value >= minimum)
    return TRUE;

  /* TRANSLATORS: the first %s is a command-line option such as --batch. */
  st_cli_usage_error (_("%s must be at least %d, not %d."), option, minimum, value);
  return FALSE;
}

/**
 * st_cli_note_threads:
 * @threads: the requested thread count
 *
 * Prints a note on standard error when @threads is more than the
 * processors this process may use.  The extra threads then take turns on
 * the processors and make each step slower, not faster, so a user who
 * requested them should know.  Standard output stays clean for scripts
 * that read it.
 */
void
st_cli_note_threads (int threads)
{
  guint processors = g_get_num_processors ();

  if (threads <= 0 || (guint) threads <= processors)
    return;

  g_printerr (ngettext ("%s: note: --threads %d is more than the %u processor this computer "
                        "lets the program use; the extra threads wait their turn and make "
                        "training slower.\n",
                        "%s: note: --threads %d is more than the %u processors this computer "
                        "lets the program use; the extra threads wait their turn and make "
                        "training slower.\n",
                        processors),
              g_get_prgname (), threads, processors);
}

/**
 * st_cli_number:
 * @value: a number
 * @format: a printf conversion for one double, such as "%.6g"
 * @buffer: (out caller-allocates): %ST_DOUBLE_BUFFER_SIZE bytes
 *
 * Formats with '.' as the decimal point in every locale, so scripts can
 * parse the output whatever LANG is.
 *
 * Returns: (transfer none): @buffer
 */
const char *
st_cli_number (double      value,
               const char *format,
               char       *buffer)
{
  return g_ascii_formatd (buffer, ST_DOUBLE_BUFFER_SIZE, format, value);
}

/* Returns: (transfer full) (nullable): the model file's contents, or NULL
 * after printing why it could not be read. */
StModel *
st_cli_read_model (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GError) error = NULL;
  StModel *model = st_model_read (file, NULL, NULL, NULL, &error);

  if (model == NULL)
    {
      g_autofree char *context = g_strdup_printf (_("cannot read the model “%s”"), path);

      st_cli_fail (context, error);
    }

  return model;
}

/* Returns: (transfer full) (nullable): the data set, or NULL after
 * printing why it does not fit the model.  Text class labels keep the
 * classes the model was trained with. */
StDataset *
st_cli_load_data (const char    *path,
                  const StModel *model)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GError) error = NULL;
  StDataset *dataset;

  dataset = st_dataset_load_csv_classes (file, st_network_get_n_inputs (model->network),
                                         st_network_get_n_outputs (model->network),
                                         (const char *const *) model->class_names, NULL, &error);
  if (dataset == NULL)
    {
      g_autofree char *context = g_strdup_printf (_("cannot read the data set “%s”"), path);

      st_cli_fail (context, error);
    }

  return dataset;
}

gboolean
st_cli_parse_layout (const char *text,
                     StLayout   *layout)
{
  if (text == NULL)
    return TRUE;

  if (st_layout_from_string (text, layout))
    return TRUE;

  st_cli_usage_error (_("Unknown storage format “%s”: use csr, csc or coo."), text);
  return FALSE;
}

/* Create @path and its parents; prints why on failure. */
gboolean
st_cli_make_dir (const char *path)
{
  if (g_mkdir_with_parents (path, 0777) == 0)
    return TRUE;

  g_printerr (_("%s: cannot create the folder “%s”: %s\n"),
              g_get_prgname (), path, g_strerror (errno));
  return FALSE;
}

int
main (int    argc,
      char **argv)
{
  const char *locale_dir = g_getenv ("SPARSE_TRAINER_LOCALEDIR");

  /* SPARSE_TRAINER_LOCALEDIR serves runs from the build tree, as for the window. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, locale_dir != NULL && *locale_dir != '\0' ? locale_dir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_prgname ("sparse-trainer-cli");
  st_engine_init ();

  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 ||
      strcmp (argv[1], "help") == 0)
    {
      print_commands (argc < 2 ? stderr : stdout);
      return argc < 2 ? ST_CLI_EXIT_USAGE : 0;
    }

  if (strcmp (argv[1], "--version") == 0)
    {
      g_print ("sparse-trainer-cli %s\n", PACKAGE_VERSION);
      return 0;
    }

  for (guint k = 0; k < G_N_ELEMENTS (commands); k++)
    {
      if (strcmp (argv[1], commands[k].name) == 0)
        {
          g_autofree char *name = g_strdup_printf ("sparse-trainer-cli %s", commands[k].name);

          /* Help and messages then name the command, as in "sparse-trainer-cli train: …". */
          g_set_prgname (name);
          return commands[k].run (argc - 1, argv + 1);
        }
    }

  st_cli_usage_error (_("Unknown command “%s”."), argv[1]);
  print_commands (stderr);
  return ST_CLI_EXIT_USAGE;
}
