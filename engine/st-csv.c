/* st-csv.c: reading data sets from CSV files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A data set file has one sample per line: the input columns first, then
 * either one target column per network output, or a single class-label
 * column.  The reader accepts what spreadsheets export: a UTF-8 byte
 * order mark, CRLF line ends, quoted fields, blank lines, a header line,
 * ';' or tab separators with a decimal comma, and gzip compression.  A
 * cell that is empty, "NA" or not a finite number is an error that names
 * the line and the column; nothing is silently read as 0.
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "st-dataset-private.h"
#include "st-error.h"
#include "st-line-reader.h"
#include "st-number.h"

/* Maximum number of lines of the wrong width that one error message lists. */
#define MAX_REPORTED_LINES 8

typedef struct
{
  StLineReader *reader;
  char separator;
  gboolean decimal_comma;  /* "0,5" means 0.5; only when ',' is no separator */
  guint n_columns;
  guint n_inputs;
  guint n_targets;         /* 0 when the last column holds class labels */
  char **column_names;     /* from the header, or NULL */

  GArray *inputs;          /* double */
  GArray *targets;         /* double */
  GArray *label_ids;       /* guint, index into label_texts */
  GPtrArray *label_texts;  /* distinct label texts in first-seen order */
  GHashTable *label_index; /* text -> index + 1 */
  GArray *label_lines;     /* guint64, line of each label's first use */

  GArray *ragged_lines;    /* guint64 */
  GArray *ragged_counts;   /* guint */
} CsvState;

static void
csv_state_clear (CsvState *state)
{
  g_clear_pointer (&state->reader, st_line_reader_free);
  g_clear_pointer (&state->column_names, g_strfreev);
  g_clear_pointer (&state->inputs, g_array_unref);
  g_clear_pointer (&state->targets, g_array_unref);
  g_clear_pointer (&state->label_ids, g_array_unref);
  g_clear_pointer (&state->label_texts, g_ptr_array_unref);
  g_clear_pointer (&state->label_index, g_hash_table_unref);
  g_clear_pointer (&state->label_lines, g_array_unref);
  g_clear_pointer (&state->ragged_lines, g_array_unref);
  g_clear_pointer (&state->ragged_counts, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CsvState, csv_state_clear)

static gboolean
is_blank (const char *line)
{
  for (; *line != '\0'; line++)
    if (!g_ascii_isspace (*line))
      return FALSE;

  return TRUE;
}

/* The separator is the most frequent of ',', ';' and tab outside quotes
 * on the first line; ',' wins ties, and a line with none of them is a
 * single column. */
static char
detect_separator (const char *line)
{
  guint commas = 0;
  guint semicolons = 0;
  guint tabs = 0;
  gboolean quoted = FALSE;

  for (const char *c = line; *c != '\0'; c++)
    {
      if (*c == '"')
        quoted = !quoted;
      else if (!quoted && *c == ',')
        commas++;
      else if (!quoted && *c == ';')
        semicolons++;
      else if (!quoted && *c == '\t')
        tabs++;
    }

  if (tabs > commas && tabs >= semicolons)
    return '\t';
  if (semicolons > commas)
    return ';';
  return ',';
}

/* Returns: (transfer full): the number of the line just read, as text. */
static char *
format_line_number (const CsvState *state)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT, st_line_reader_get_line_number (state->reader));
}

/* Split @line into fields.  Quoted fields may contain the separator and
 * "" for a quote; spaces around unquoted fields are dropped. */
static gboolean
split_fields (CsvState   *state,
              const char *line,
              GPtrArray  *fields,
              GError    **error)
{
  const char *c = line;

  g_ptr_array_set_size (fields, 0);

  for (;;)
    {
      GString *field = g_string_new (NULL);

      while (*c == ' ' || (*c == '\t' && state->separator != '\t'))
        c++;

      if (*c == '"')
        {
          for (c++;; c++)
            {
              if (*c == '\0')
                {
                  g_autofree char *line_number = format_line_number (state);

                  g_string_free (field, TRUE);
                  g_set_error (error, ST_ERROR, ST_ERROR_PARSE,
                               /* Translators: a file name and a line number. */
                               _("%s: line %s: a quoted field is not closed; "
                                 "fields cannot span lines"),
                               st_line_reader_get_name (state->reader), line_number);
                  return FALSE;
                }
              if (*c == '"' && c[1] == '"')
                {
                  g_string_append_c (field, '"');
                  c++;
                }
              else if (*c == '"')
                {
                  c++;
                  break;
                }
              else
                g_string_append_c (field, *c);
            }
          while (*c != '\0' && *c != state->separator)
            c++;
        }
      else
        {
          while (*c != '\0' && *c != state->separator)
            g_string_append_c (field, *c++);
          while (field->len > 0 && g_ascii_isspace (field->str[field->len - 1]))
            g_string_truncate (field, field->len - 1);
        }

      g_ptr_array_add (fields, g_string_free (field, FALSE));

      if (*c == '\0')
        return TRUE;
      c++;
    }
}

/* Parse a numeric cell, honouring a decimal comma when it applies.
 * Returns FALSE for anything that is not a number, including "" and "NA";
 * a NaN or infinity parses and the caller rejects it by name. */
static gboolean
parse_cell (const CsvState *state,
            const char     *text,
            double         *value)
{
  if (state->decimal_comma && strchr (text, ',') != NULL)
    {
      g_autofree char *dotted = g_strdup (text);

      g_strdelimit (dotted, ",", '.');
      return st_parse_double (dotted, value);
    }

  return st_parse_double (text, value);
}

/* Returns: (transfer full): the column's number and, when the header
 * names it, its name, for the messages below. */
static char *
describe_column (const CsvState *state,
                 guint           column)
{
  if (state->column_names != NULL && state->column_names[column] != NULL &&
      state->column_names[column][0] != '\0')
    /* Translators: names a column of a CSV file in messages such as
     * “data.csv: line 2, column 2 (“x2”): the value is missing”. */
    return g_strdup_printf (_("column %u (“%s”)"), column + 1, state->column_names[column]);

  /* Translators: names a column of a CSV file in messages such as
   * “data.csv: line 2, column 2: the value is missing”. */
  return g_strdup_printf (_("column %u"), column + 1);
}

static gboolean
parse_numeric_field (CsvState    *state,
                     const char  *text,
                     guint        column,
                     double      *value,
                     GError     **error)
{
  g_autofree char *line_number = NULL;
  g_autofree char *where = NULL;

  if (parse_cell (state, text, value) && isfinite (*value))
    return TRUE;

  line_number = format_line_number (state);
  where = describe_column (state, column);
  if (text[0] == '\0')
    g_set_error (error, ST_ERROR, ST_ERROR_PARSE,
                 /* Translators: a file name, a line number and a column such as
                  * “column 2 (“x2”)”. */
                 _("%s: line %s, %s: the value is missing; fill it in or remove the line"),
                 st_line_reader_get_name (state->reader), line_number, where);
  else if (parse_cell (state, text, value))
    g_set_error (error, ST_ERROR, ST_ERROR_PARSE,
                 /* Translators: a file name, a line number, a column such as
                  * “column 2 (“x2”)”, then the cell's text. */
                 _("%s: line %s, %s: “%s” is not a finite number; "
                   "replace it or remove the line"),
                 st_line_reader_get_name (state->reader), line_number, where, text);
  else
    g_set_error (error, ST_ERROR, ST_ERROR_PARSE,
                 /* Translators: a file name, a line number, a column such as
                  * “column 2 (“x2”)”, then the cell's text. */
                 _("%s: line %s, %s: “%s” is not a number; "
                   "input and target cells must be numbers with '.' as the decimal point, "
                   "or ',' in a file separated by ';' or tabs"),
                 st_line_reader_get_name (state->reader), line_number, where, text);
  return FALSE;
}

/* Decide what the columns mean from their count. */
static gboolean
choose_columns (CsvState  *state,
                guint      n_columns,
                guint      n_inputs,
                guint      n_outputs,
                GError   **error)
{
  g_autofree char *line_number = NULL;

  state->n_columns = n_columns;
  state->n_inputs = n_inputs;

  if (n_columns == n_inputs + n_outputs)
    {
      state->n_targets = n_outputs;
      return TRUE;
    }

  if (n_columns == n_inputs + 1 && n_outputs >= 2)
    {
      state->n_targets = 0;
      return TRUE;
    }

  line_number = format_line_number (state);
  if (n_outputs >= 2)
    g_set_error (error, ST_ERROR, ST_ERROR_MISMATCH,
                 /* Translators: a file name, a line number, then numbers of columns. */
                 ngettext ("%s: line %s has %u column, but the network expects %u input columns "
                           "followed by either %u target columns (%u in all) or one class-label "
                           "column",
                           "%s: line %s has %u columns, but the network expects %u input columns "
                           "followed by either %u target columns (%u in all) or one class-label "
                           "column",
                           n_columns),
                 st_line_reader_get_name (state->reader), line_number,
                 n_columns, n_inputs, n_outputs, n_inputs + n_outputs);
  else
    g_set_error (error, ST_ERROR, ST_ERROR_MISMATCH,
                 /* Translators: a file name, a line number, then numbers of columns. */
                 ngettext ("%s: line %s has %u column, but the network expects %u input columns "
                           "followed by %u target columns (%u in all)",
                           "%s: line %s has %u columns, but the network expects %u input columns "
                           "followed by %u target columns (%u in all)",
                           n_columns),
                 st_line_reader_get_name (state->reader), line_number,
                 n_columns, n_inputs, n_outputs, n_inputs + n_outputs);
  return FALSE;
}

/* A first line is a header when one of its input cells is not a number.
 * Target and label cells are not looked at: a label may be text, and a
 * text target on the first line is better reported as a bad value. */
static gboolean
looks_like_header (const CsvState *state,
                   GPtrArray      *fields)
{
  for (guint k = 0; k < state->n_inputs && k < fields->len; k++)
    {
      double value;

      if (!parse_cell (state, g_ptr_array_index (fields, k), &value))
        return TRUE;
    }

  return FALSE;
}

static void
add_label (CsvState   *state,
           const char *text)
{
  gpointer found = g_hash_table_lookup (state->label_index, text);
  guint id;

  if (found != NULL)
    id = GPOINTER_TO_UINT (found) - 1;
  else
    {
      guint64 line = st_line_reader_get_line_number (state->reader);

      id = state->label_texts->len;
      g_ptr_array_add (state->label_texts, g_strdup (text));
      g_hash_table_insert (state->label_index, g_strdup (text), GUINT_TO_POINTER (id + 1));
      g_array_append_val (state->label_lines, line);
    }

  g_array_append_val (state->label_ids, id);
}

static gboolean
read_row (CsvState   *state,
          GPtrArray  *fields,
          GError    **error)
{
  guint numeric = state->n_inputs + state->n_targets;

  for (guint k = 0; k < numeric; k++)
    {
      double value;

      if (!parse_numeric_field (state, g_ptr_array_index (fields, k), k, &value, error))
        return FALSE;

      if (k < state->n_inputs)
        g_array_append_val (state->inputs, value);
      else
        g_array_append_val (state->targets, value);
    }

  if (state->n_targets == 0)
    {
      const char *label = g_ptr_array_index (fields, state->n_inputs);

      if (label[0] == '\0')
        {
          g_autofree char *line_number = format_line_number (state);
          g_autofree char *where = describe_column (state, state->n_inputs);

          g_set_error (error, ST_ERROR, ST_ERROR_PARSE,
                       /* Translators: a file name, a line number and a column such as
                        * “column 3 (“label”)”. */
                       _("%s: line %s, %s: the class label is missing; "
                         "fill it in or remove the line"),
                       st_line_reader_get_name (state->reader), line_number, where);
          return FALSE;
        }
      add_label (state, label);
    }

  return TRUE;
}

static gboolean
report_ragged_lines (CsvState  *state,
                     GError   **error)
{
  g_autoptr(GString) lines = g_string_new (NULL);
  guint shown = MIN (state->ragged_lines->len, MAX_REPORTED_LINES);
  guint not_shown = state->ragged_lines->len - shown;

  for (guint k = 0; k < shown; k++)
    {
      g_autofree char *line_number = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                                      g_array_index (state->ragged_lines,
                                                                     guint64, k));
      guint count = g_array_index (state->ragged_counts, guint, k);

      if (k > 0)
        /* Translators: separates the items of a list such as
         * “line 3 has 2 columns, line 4 has 4 columns”. */
        g_string_append (lines, _(", "));
      g_string_append_printf (lines,
                              /* Translators: one item of a list of lines whose width is
                               * wrong: a line number and its number of columns. */
                              ngettext ("line %s has %u column", "line %s has %u columns", count),
                              line_number, count);
    }

  if (not_shown == 0)
    g_set_error (error, ST_ERROR, ST_ERROR_PARSE,
                 /* Translators: a file name, a number of columns, then a list such as
                  * “line 3 has 2 columns, line 4 has 4 columns”. */
                 _("%s: every line needs %u columns like the first one, but %s; "
                   "fix or remove those lines"),
                 st_line_reader_get_name (state->reader), state->n_columns, lines->str);
  else
    g_set_error (error, ST_ERROR, ST_ERROR_PARSE,
                 /* Translators: a file name, a number of columns, a list such as
                  * “line 3 has 2 columns, line 4 has 4 columns”, then the number of
                  * lines left out of the list. */
                 ngettext ("%s: every line needs %u columns like the first one, but %s, "
                           "and %u more line differs; fix or remove those lines",
                           "%s: every line needs %u columns like the first one, but %s, "
                           "and %u more lines differ; fix or remove those lines",
                           not_shown),
                 st_line_reader_get_name (state->reader), state->n_columns, lines->str,
                 not_shown);
  return FALSE;
}

/* With the classes of a trained model, a label is the class of that
 * name; a whole number that is no class name is the class index.  The
 * class list stays the model's. */
static gboolean
assign_known_classes (CsvState           *state,
                      const char *const  *known,
                      guint             **labels_out,
                      guint              *n_classes_out,
                      char             ***names_out,
                      GError            **error)
{
  guint n_texts = state->label_texts->len;
  guint n_samples = state->label_ids->len;
  guint n_known = g_strv_length ((char **) known);
  g_autofree guint *class_of_text = g_new (guint, MAX (n_texts, 1));
  guint *labels;

  for (guint k = 0; k < n_texts; k++)
    {
      const char *text = g_ptr_array_index (state->label_texts, k);
      gboolean found = FALSE;
      double value;

      for (guint c = 0; c < n_known && !found; c++)
        if (strcmp (known[c], text) == 0)
          {
            class_of_text[k] = c;
            found = TRUE;
          }

      if (!found && st_parse_double (text, &value) && value >= 0.0 && value == floor (value) &&
          value < n_known)
        {
          class_of_text[k] = (guint) value;
          found = TRUE;
        }

      if (!found)
        {
          g_autofree char *list = g_strjoinv (", ", (char **) known);
          g_autofree char *line_number = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                                          g_array_index (state->label_lines,
                                                                         guint64, k));

          g_set_error (error, ST_ERROR, ST_ERROR_MISMATCH,
                       /* Translators: a file name, a line number, the label, then the
                        * model's class names separated by commas. */
                       _("%s: line %s: the class label “%s” is not one of the "
                         "model's classes (%s)"),
                       st_line_reader_get_name (state->reader), line_number, text, list);
          return FALSE;
        }
    }

  labels = g_new (guint, MAX (n_samples, 1));
  for (guint s = 0; s < n_samples; s++)
    labels[s] = class_of_text[g_array_index (state->label_ids, guint, s)];

  *labels_out = labels;
  *n_classes_out = n_known;
  *names_out = g_strdupv ((char **) known);
  return TRUE;
}

/* Class labels that are all whole numbers are class indices; otherwise
 * each distinct text is a class, in the order it first appears. */
static gboolean
assign_classes (CsvState   *state,
                guint       n_outputs,
                guint     **labels_out,
                guint      *n_classes_out,
                char     ***names_out,
                GError    **error)
{
  guint n_texts = state->label_texts->len;
  guint n_samples = state->label_ids->len;
  g_autofree guint *class_of_text = g_new (guint, MAX (n_texts, 1));
  gboolean numeric = TRUE;
  guint n_classes = 0;
  guint *labels;
  char **names;

  for (guint k = 0; k < n_texts && numeric; k++)
    {
      double value;

      numeric = st_parse_double (g_ptr_array_index (state->label_texts, k), &value) &&
                value >= 0.0 && value == floor (value) && value < (double) G_MAXINT;
      if (numeric)
        {
          class_of_text[k] = (guint) value;
          n_classes = MAX (n_classes, class_of_text[k] + 1);
        }
    }

  if (!numeric)
    {
      for (guint k = 0; k < n_texts; k++)
        class_of_text[k] = k;
      n_classes = n_texts;
    }

  for (guint k = 0; k < n_texts; k++)
    {
      if (class_of_text[k] >= n_outputs)
        {
          g_autofree char *line_number = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                                          g_array_index (state->label_lines,
                                                                         guint64, k));
          const char *label = g_ptr_array_index (state->label_texts, k);

          if (numeric)
            g_set_error (error, ST_ERROR, ST_ERROR_MISMATCH,
                         /* Translators: a file name, a line number, the label, then numbers
                          * of classes and outputs. */
                         _("%s: line %s: the class label “%s” makes %u classes (labels that "
                           "are whole numbers count from 0), but the network has %u outputs; "
                           "use a network with one output per class"),
                         st_line_reader_get_name (state->reader), line_number, label,
                         class_of_text[k] + 1, n_outputs);
          else
            g_set_error (error, ST_ERROR, ST_ERROR_MISMATCH,
                         /* Translators: a file name, a line number, the label, then numbers
                          * of classes and outputs. */
                         _("%s: line %s: the class label “%s” makes %u classes, but the "
                           "network has %u outputs; use a network with one output per class"),
                         st_line_reader_get_name (state->reader), line_number, label,
                         n_texts, n_outputs);
          return FALSE;
        }
    }

  labels = g_new (guint, MAX (n_samples, 1));
  for (guint s = 0; s < n_samples; s++)
    labels[s] = class_of_text[g_array_index (state->label_ids, guint, s)];

  names = g_new0 (char *, n_classes + 1);
  for (guint c = 0; c < n_classes; c++)
    names[c] = numeric ? g_strdup_printf ("%u", c)
                       : g_strdup (g_ptr_array_index (state->label_texts, c));

  *labels_out = labels;
  *n_classes_out = n_classes;
  *names_out = names;
  return TRUE;
}

static StDataset *load_csv (GFile              *file,
                            guint               n_inputs,
                            guint               n_outputs,
                            const char *const  *known_classes,
                            GCancellable       *cancellable,
                            GError            **error);

/**
 * st_dataset_load_csv_classes:
 * @file: a .csv or .csv.gz file, or a resource:// URI
 * @n_inputs: the network's input width
 * @n_outputs: the network's output width
 * @class_names: (nullable) (array zero-terminated=1): the classes of a
 *   trained model, so that text labels keep the classes they had; or
 *   %NULL to number text labels in the order they first appear
 * @cancellable: (nullable): cancels the reading
 * @error: return location for an error
 *
 * Like st_dataset_load_csv(), with the class names of a trained model.
 *
 * Returns: (transfer full): the data set, or %NULL with @error set
 */
StDataset *
st_dataset_load_csv_classes (GFile              *file,
                             guint               n_inputs,
                             guint               n_outputs,
                             const char *const  *class_names,
                             GCancellable       *cancellable,
                             GError            **error)
{
  return load_csv (file, n_inputs, n_outputs, class_names, cancellable, error);
}

/**
 * st_dataset_load_csv:
 * @file: a .csv or .csv.gz file, or a resource:// URI
 * @n_inputs: the network's input width
 * @n_outputs: the network's output width
 * @cancellable: (nullable): cancels the reading
 * @error: return location for an error
 *
 * Reads a data set for a network of the given shape.  With
 * n_inputs + n_outputs columns the last ones are targets; with
 * n_inputs + 1 columns and at least two outputs the last one is a class
 * label.
 *
 * Returns: (transfer full): the data set, or %NULL with @error set
 */
StDataset *
st_dataset_load_csv (GFile         *file,
                     guint          n_inputs,
                     guint          n_outputs,
                     GCancellable  *cancellable,
                     GError       **error)
{
  return load_csv (file, n_inputs, n_outputs, NULL, cancellable, error);
}

static StDataset *
load_csv (GFile              *file,
          guint               n_inputs,
          guint               n_outputs,
          const char *const  *known_classes,
          GCancellable       *cancellable,
          GError            **error)
{
  g_auto(CsvState) state = { 0 };
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  gboolean first = TRUE;
  const char *line;
  GError *read_error = NULL;
  guint n_samples;
  guint *labels = NULL;
  guint n_classes = 0;
  char **class_names = NULL;

  state.reader = st_line_reader_new (file, cancellable, error);
  if (state.reader == NULL)
    return NULL;

  state.inputs = g_array_new (FALSE, FALSE, sizeof (double));
  state.targets = g_array_new (FALSE, FALSE, sizeof (double));
  state.label_ids = g_array_new (FALSE, FALSE, sizeof (guint));
  state.label_texts = g_ptr_array_new_with_free_func (g_free);
  state.label_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  state.label_lines = g_array_new (FALSE, FALSE, sizeof (guint64));
  state.ragged_lines = g_array_new (FALSE, FALSE, sizeof (guint64));
  state.ragged_counts = g_array_new (FALSE, FALSE, sizeof (guint));

  while ((line = st_line_reader_next (state.reader, NULL, &read_error)) != NULL)
    {
      /* Spreadsheets put a byte order mark before the first header name. */
      if (first && g_str_has_prefix (line, "\xEF\xBB\xBF"))
        line += 3;

      if (is_blank (line))
        continue;

      if (first)
        {
          state.separator = detect_separator (line);
          state.decimal_comma = state.separator != ',';
        }

      if (!split_fields (&state, line, fields, error))
        return NULL;

      if (first)
        {
          first = FALSE;
          if (!choose_columns (&state, fields->len, n_inputs, n_outputs, error))
            return NULL;

          if (looks_like_header (&state, fields))
            {
              g_ptr_array_add (fields, NULL);
              state.column_names = g_strdupv ((char **) fields->pdata);
              g_ptr_array_remove_index (fields, fields->len - 1);
              continue;
            }
        }

      if (fields->len != state.n_columns)
        {
          guint64 number = st_line_reader_get_line_number (state.reader);

          g_array_append_val (state.ragged_lines, number);
          g_array_append_val (state.ragged_counts, fields->len);
          continue;
        }

      if (state.ragged_lines->len == 0 && !read_row (&state, fields, error))
        return NULL;
    }

  if (read_error != NULL)
    {
      g_propagate_error (error, read_error);
      return NULL;
    }

  if (state.ragged_lines->len > 0)
    {
      report_ragged_lines (&state, error);
      return NULL;
    }

  n_samples = state.inputs->len / MAX (n_inputs, 1);
  if (first || n_samples == 0)
    {
      g_set_error (error, ST_ERROR, ST_ERROR_PARSE,
                   _("%s: the file has no data lines"), st_line_reader_get_name (state.reader));
      return NULL;
    }

  if (state.n_targets == 0 && known_classes != NULL && known_classes[0] != NULL)
    {
      if (!assign_known_classes (&state, known_classes, &labels, &n_classes, &class_names, error))
        return NULL;
    }
  else if (state.n_targets == 0 &&
           !assign_classes (&state, n_outputs, &labels, &n_classes, &class_names, error))
    return NULL;

  return st_dataset_new_take (n_samples, n_inputs, state.n_targets,
                              (double *) g_array_free (g_steal_pointer (&state.inputs), FALSE),
                              state.n_targets > 0
                                ? (double *) g_array_free (g_steal_pointer (&state.targets), FALSE)
                                : NULL,
                              labels, n_classes, class_names);
}
