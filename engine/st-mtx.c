/* st-mtx.c: Matrix Market files of weights, patterns and gradients
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reader follows the NIST Matrix Market exchange format
 * (math.nist.gov/MatrixMarket/formats.html) for real, integer and
 * pattern matrices, in coordinate or array format, general, symmetric or
 * skew-symmetric.  It is lenient about layout (blank lines, comments
 * anywhere, CRLF, tabs, extra spaces, any case, no final newline, gzip)
 * and strict about content: every entry is checked and every error names
 * the file, the line and what to do.
 *
 * Rules the format leaves open, chosen here:
 * - Duplicate entries are summed into one stored entry, as scipy does,
 *   whatever the layout, and a warning counts them.
 * - Symmetric files are expanded to the full pattern with the diagonal
 *   stored once; an entry above the diagonal is mirrored like one below.
 * - Explicit zeros are stored entries.
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "st-entry-sort.h"
#include "st-error.h"
#include "st-file-writer.h"
#include "st-layer.h"
#include "st-line-reader.h"
#include "st-memory.h"
#include "st-mtx.h"
#include "st-number.h"

typedef enum { FORMAT_COORDINATE, FORMAT_ARRAY } Format;
typedef enum { FIELD_REAL, FIELD_INTEGER, FIELD_PATTERN } Field;
typedef enum { SYMMETRY_GENERAL, SYMMETRY_SYMMETRIC, SYMMETRY_SKEW } Symmetry;

/* Most tokens on one line of a coordinate entry: row, column, value. */
#define MAX_TOKENS 4

/* Bytes held per entry while reading: row, column, value and source line,
 * then the sort order and the output arrays. */
#define BYTES_PER_ENTRY (4 + 4 + 8 + 8 + 8 + 4 + 4 + 8)

typedef struct
{
  StLineReader *reader;
  Format format;
  Field field;
  Symmetry symmetry;
  guint rows;
  guint cols;
  guint64 declared;        /* entries the size line announces */
  guint64 size_line;       /* where it does */
  gboolean above_diagonal; /* a symmetric entry was given above it */
  guint next_row;          /* array files: position of the next value */
  guint next_col;

  GArray *row;             /* guint, zero-based, after expansion */
  GArray *col;             /* guint */
  GArray *value;           /* double */
  GArray *line;            /* guint64, source line of each entry */
} MtxParser;

static void
mtx_parser_clear (MtxParser *parser)
{
  g_clear_pointer (&parser->reader, st_line_reader_free);
  g_clear_pointer (&parser->row, g_array_unref);
  g_clear_pointer (&parser->col, g_array_unref);
  g_clear_pointer (&parser->value, g_array_unref);
  g_clear_pointer (&parser->line, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MtxParser, mtx_parser_clear)

void
st_mtx_free (StMtx *mtx)
{
  if (mtx == NULL)
    return;

  g_free (mtx->row);
  g_free (mtx->col);
  g_free (mtx->value);
  g_clear_pointer (&mtx->warnings, g_ptr_array_unref);
  g_free (mtx);
}

static gboolean G_GNUC_PRINTF (3, 4)
fail (MtxParser   *parser,
      GError     **error,
      const char  *format,
      ...)
{
  g_autofree char *reason = NULL;
  g_autofree char *line = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                           st_line_reader_get_line_number (parser->reader));
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, ST_ERROR, ST_ERROR_PARSE,
               /* Translators: a file name, a line number and what is wrong there. */
               _("%s: line %s: %s"),
               st_line_reader_get_name (parser->reader), line, reason);
  return FALSE;
}

/* Split on spaces and tabs into at most MAX_TOKENS tokens, written into
 * @scratch.  Returns the number of tokens, or MAX_TOKENS + 1 when there
 * are more. */
static guint
split_tokens (const char *line,
              char       *scratch,
              char      **tokens)
{
  guint n = 0;
  char *c;

  strcpy (scratch, line);
  c = scratch;

  for (;;)
    {
      while (*c == ' ' || *c == '\t')
        c++;
      if (*c == '\0')
        return n;
      if (n == MAX_TOKENS)
        return MAX_TOKENS + 1;

      tokens[n++] = c;
      while (*c != '\0' && *c != ' ' && *c != '\t')
        c++;
      if (*c != '\0')
        *c++ = '\0';
    }
}

static gboolean
is_skippable (const char *line)
{
  while (*line == ' ' || *line == '\t')
    line++;

  return *line == '\0' || *line == '%';
}

static gboolean
parse_banner (MtxParser   *parser,
              const char  *line,
              GPtrArray   *warnings,
              GError     **error)
{
  g_auto(GStrv) parts = g_strsplit_set (line, " \t", -1);
  const char *words[5];
  guint n_words = 0;

  /* Repeated spaces give empty parts: keep the words only. */
  for (guint k = 0; parts[k] != NULL; k++)
    {
      if (parts[k][0] == '\0')
        continue;
      if (n_words < G_N_ELEMENTS (words))
        words[n_words] = parts[k];
      n_words++;
    }

  if (n_words == 0 || (g_ascii_strcasecmp (words[0], "%%MatrixMarket") != 0 &&
                       g_ascii_strcasecmp (words[0], "%MatrixMarket") != 0))
    return fail (parser, error, _("the file does not start with the “%%%%MatrixMarket” banner; "
                                  "it is not a Matrix Market file"));

  if (g_ascii_strcasecmp (words[0], "%MatrixMarket") == 0)
    g_ptr_array_add (warnings,
                     g_strdup_printf (_("%s: line 1: non-standard banner “%s” with a single “%%”; "
                                        "it was read as “%%%%MatrixMarket”"),
                                      st_line_reader_get_name (parser->reader), words[0]));

  if (n_words != 5)
    return fail (parser, error, _("the banner has %u words, but it needs five: "
                                  "%%%%MatrixMarket matrix coordinate|array real|integer|pattern "
                                  "general|symmetric|skew-symmetric"), n_words);

  if (g_ascii_strcasecmp (words[1], "matrix") != 0)
    return fail (parser, error, _("the object “%s” is not supported; only “matrix” is"),
                 words[1]);

  if (g_ascii_strcasecmp (words[2], "coordinate") == 0)
    parser->format = FORMAT_COORDINATE;
  else if (g_ascii_strcasecmp (words[2], "array") == 0)
    parser->format = FORMAT_ARRAY;
  else
    return fail (parser, error, _("the format “%s” is unknown; use “coordinate” or “array”"),
                 words[2]);

  if (g_ascii_strcasecmp (words[3], "real") == 0)
    parser->field = FIELD_REAL;
  else if (g_ascii_strcasecmp (words[3], "integer") == 0)
    parser->field = FIELD_INTEGER;
  else if (g_ascii_strcasecmp (words[3], "pattern") == 0)
    parser->field = FIELD_PATTERN;
  else if (g_ascii_strcasecmp (words[3], "complex") == 0)
    return fail (parser, error, _("complex matrices are not supported, because network weights "
                                  "are real numbers; export the real part as a “real” matrix"));
  else
    return fail (parser, error,
                 _("the field “%s” is unknown; use “real”, “integer” or “pattern”"), words[3]);

  if (g_ascii_strcasecmp (words[4], "general") == 0)
    parser->symmetry = SYMMETRY_GENERAL;
  else if (g_ascii_strcasecmp (words[4], "symmetric") == 0)
    parser->symmetry = SYMMETRY_SYMMETRIC;
  else if (g_ascii_strcasecmp (words[4], "skew-symmetric") == 0)
    parser->symmetry = SYMMETRY_SKEW;
  else if (g_ascii_strcasecmp (words[4], "hermitian") == 0)
    return fail (parser, error, _("Hermitian matrices are complex and not supported, because "
                                  "network weights are real numbers"));
  else
    return fail (parser, error, _("the symmetry “%s” is unknown; use “general”, “symmetric” "
                                  "or “skew-symmetric”"), words[4]);

  if (parser->format == FORMAT_ARRAY && parser->field == FIELD_PATTERN)
    return fail (parser, error, _("an array file cannot have the “pattern” field, "
                                  "because an array lists every value"));

  return TRUE;
}

/* Parse the row count when @is_row, otherwise the column count. */
static gboolean
parse_dimension (MtxParser   *parser,
                 const char  *token,
                 gboolean     is_row,
                 guint       *dimension,
                 GError     **error)
{
  g_autofree char *text = NULL;
  guint64 value;

  if (!st_parse_uint64 (token, &value))
    return fail (parser, error, is_row ? _("the row count “%s” is not a whole number")
                                       : _("the column count “%s” is not a whole number"),
                 token);

  if (value == 0)
    return fail (parser, error,
                 is_row ? _("the row count is 0, but a weight matrix needs at least one row")
                        : _("the column count is 0, but a weight matrix needs at least one "
                            "column"));

  if (value > ST_LAYER_MAX_DIMENSION)
    {
      text = g_strdup_printf ("%" G_GUINT64_FORMAT, value);
      return fail (parser, error, is_row ? _("the row count %s is above the limit of %u")
                                         : _("the column count %s is above the limit of %u"),
                   text, ST_LAYER_MAX_DIMENSION);
    }

  *dimension = (guint) value;
  return TRUE;
}

/* The most entries a file of this shape and symmetry can list. */
static guint64
max_listed_entries (const MtxParser *parser)
{
  guint64 rows = parser->rows;
  guint64 cols = parser->cols;

  switch (parser->symmetry)
    {
    case SYMMETRY_SYMMETRIC:
      return rows * (rows + 1) / 2;
    case SYMMETRY_SKEW:
      return rows * (rows - 1) / 2;
    case SYMMETRY_GENERAL:
    default:
      return rows * cols;
    }
}

static gboolean
parse_size_line (MtxParser   *parser,
                 const char  *line,
                 GError     **error)
{
  g_autofree char *scratch = g_strdup (line);
  char *tokens[MAX_TOKENS];
  guint expected = parser->format == FORMAT_COORDINATE ? 3 : 2;
  guint64 expanded;
  guint n;

  n = split_tokens (line, scratch, tokens);
  parser->size_line = st_line_reader_get_line_number (parser->reader);

  if (n != expected)
    return fail (parser, error,
                 expected == 3 ? _("the size line needs 3 numbers (rows, columns, entries), "
                                   "but has %u")
                               : _("the size line needs 2 numbers (rows, columns), but has %u"),
                 MIN (n, MAX_TOKENS));

  if (!parse_dimension (parser, tokens[0], TRUE, &parser->rows, error) ||
      !parse_dimension (parser, tokens[1], FALSE, &parser->cols, error))
    return FALSE;

  if (parser->symmetry != SYMMETRY_GENERAL && parser->rows != parser->cols)
    return fail (parser, error,
                 parser->symmetry == SYMMETRY_SYMMETRIC
                   ? _("a symmetric matrix must be square, but this one is %u x %u")
                   : _("a skew-symmetric matrix must be square, but this one is %u x %u"),
                 parser->rows, parser->cols);

  if (parser->format == FORMAT_COORDINATE)
    {
      if (!st_parse_uint64 (tokens[2], &parser->declared))
        return fail (parser, error, _("the entry count “%s” is not a whole number"), tokens[2]);

      if (parser->declared > max_listed_entries (parser))
        {
          g_autofree char *declared = g_strdup_printf ("%" G_GUINT64_FORMAT, parser->declared);
          g_autofree char *positions = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                                        max_listed_entries (parser));

          if (parser->symmetry == SYMMETRY_GENERAL)
            /* Translators: a number of entries, a number of positions, then the
             * matrix's shape. */
            return fail (parser, error, _("the header declares %s entries, more than the %s "
                                          "positions of a %u x %u matrix"),
                         declared, positions, parser->rows, parser->cols);
          if (parser->symmetry == SYMMETRY_SYMMETRIC)
            /* Translators: a number of entries, a number of positions, then the
             * matrix's shape. */
            return fail (parser, error, _("the header declares %s entries, more than the %s "
                                          "positions on and below the diagonal of a symmetric "
                                          "%u x %u matrix"),
                         declared, positions, parser->rows, parser->cols);
          /* Translators: a number of entries, a number of positions, then the
           * matrix's shape. */
          return fail (parser, error, _("the header declares %s entries, more than the %s "
                                        "positions below the diagonal of a skew-symmetric "
                                        "%u x %u matrix"),
                       declared, positions, parser->rows, parser->cols);
        }
    }
  else
    parser->declared = max_listed_entries (parser);

  /* Check the size before anything is allocated for it. */
  expanded = parser->symmetry == SYMMETRY_GENERAL ? parser->declared : 2 * parser->declared;
  if (expanded > ST_LAYER_MAX_NNZ)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, expanded);
      g_autofree char *limit = g_strdup_printf ("%" G_GSIZE_FORMAT, (gsize) ST_LAYER_MAX_NNZ);

      return fail (parser, error, _("%s stored entries are above the limit of %s"), count, limit);
    }

  if (!st_memory_check (expanded * BYTES_PER_ENTRY, ST_MEMORY_FOR_MATRIX, error))
    {
      g_autofree char *size_line = g_strdup_printf ("%" G_GUINT64_FORMAT, parser->size_line);

      /* Translators: a file name and a line number before another message. */
      g_prefix_error (error, _("%s: line %s: "), st_line_reader_get_name (parser->reader),
                      size_line);
      return FALSE;
    }

  return TRUE;
}

/* Parse a row index when @is_row, otherwise a column index. */
static gboolean
parse_index (MtxParser   *parser,
             const char  *token,
             guint        limit,
             gboolean     is_row,
             guint       *index,
             GError     **error)
{
  g_autofree char *text = NULL;
  guint64 value;

  if (token[0] == '-')
    return fail (parser, error,
                 is_row ? _("the row index %s is negative, but indices count from 1")
                        : _("the column index %s is negative, but indices count from 1"),
                 token);

  if (!st_parse_uint64 (token, &value))
    return fail (parser, error, is_row ? _("the row index “%s” is not a whole number")
                                       : _("the column index “%s” is not a whole number"),
                 token);

  if (value == 0)
    return fail (parser, error,
                 is_row ? _("the row index is 0, but Matrix Market indices count from 1; "
                            "add 1 to every index of a zero-based file")
                        : _("the column index is 0, but Matrix Market indices count from 1; "
                            "add 1 to every index of a zero-based file"));

  if (value > limit)
    {
      text = g_strdup_printf ("%" G_GUINT64_FORMAT, value);
      return fail (parser, error, is_row ? _("the row index %s is outside 1..%u")
                                         : _("the column index %s is outside 1..%u"),
                   text, limit);
    }

  *index = (guint) (value - 1);
  return TRUE;
}

static gboolean
parse_value (MtxParser   *parser,
             const char  *token,
             double      *value,
             GError     **error)
{
  if (!st_parse_double (token, value))
    return fail (parser, error, _("the value “%s” is not a number"), token);

  if (!isfinite (*value))
    return fail (parser, error, _("the value “%s” is not a finite number; weights must be finite"),
                 token);

  if (parser->field == FIELD_INTEGER && *value != floor (*value))
    return fail (parser, error, _("the value “%s” is not a whole number, as the “integer” field "
                                  "requires; declare the field “real”"), token);

  return TRUE;
}

static void
append_entry (MtxParser *parser,
              guint      row,
              guint      col,
              double     value)
{
  guint64 line = st_line_reader_get_line_number (parser->reader);

  g_array_append_val (parser->row, row);
  g_array_append_val (parser->col, col);
  g_array_append_val (parser->value, value);
  g_array_append_val (parser->line, line);
}

/* Add an entry and, for a symmetric file, its mirror image. */
static gboolean
add_entry (MtxParser  *parser,
           guint       row,
           guint       col,
           double      value,
           GError    **error)
{
  if (parser->symmetry == SYMMETRY_SKEW && row == col)
    return fail (parser, error, _("a skew-symmetric matrix has zeros on its diagonal, "
                                  "but this line gives entry (%u, %u)"), row + 1, col + 1);

  if (parser->symmetry != SYMMETRY_GENERAL && row < col)
    parser->above_diagonal = TRUE;

  append_entry (parser, row, col, value);

  if (parser->symmetry == SYMMETRY_SYMMETRIC && row != col)
    append_entry (parser, col, row, value);
  else if (parser->symmetry == SYMMETRY_SKEW)
    append_entry (parser, col, row, -value);

  return TRUE;
}

static gboolean
parse_coordinate_entry (MtxParser   *parser,
                        char       **tokens,
                        guint        n,
                        GError     **error)
{
  guint expected = parser->field == FIELD_PATTERN ? 2 : 3;
  guint row;
  guint col;
  double value = 0.0;

  if (n < expected)
    return fail (parser, error,
                 expected == 2 ? _("the entry needs 2 numbers (row, column), but this line has "
                                   "only %u; the column is missing")
                               : _("the entry needs 3 numbers (row, column, value), but this line "
                                   "has only %u; a value is missing"),
                 n);
  if (n > expected)
    return fail (parser, error,
                 expected == 2 ? _("the entry has more than 2 numbers (row, column); "
                                   "a “pattern” file lists positions only")
                               : _("the entry has more than 3 numbers (row, column, value)"));

  if (!parse_index (parser, tokens[0], parser->rows, TRUE, &row, error) ||
      !parse_index (parser, tokens[1], parser->cols, FALSE, &col, error))
    return FALSE;

  if (parser->field != FIELD_PATTERN && !parse_value (parser, tokens[2], &value, error))
    return FALSE;

  return add_entry (parser, row, col, value, error);
}

/* An array file lists the columns in order, and for symmetric files
 * only the part of each column on and below the diagonal (below it for
 * skew-symmetric ones).  The cursor is the position of the next value. */
static gboolean
parse_array_entry (MtxParser   *parser,
                   char       **tokens,
                   guint        n,
                   GError     **error)
{
  guint row = parser->next_row;
  guint col = parser->next_col;
  double value;

  if (n != 1)
    return fail (parser, error, _("an array file lists one value per line, but this line has %u"),
                 MIN (n, MAX_TOKENS));

  if (!parse_value (parser, tokens[0], &value, error))
    return FALSE;

  parser->next_row++;
  if (parser->next_row == parser->rows)
    {
      parser->next_col++;
      parser->next_row = parser->symmetry == SYMMETRY_GENERAL ? 0 :
                         parser->symmetry == SYMMETRY_SYMMETRIC ? parser->next_col :
                         parser->next_col + 1;
    }

  return add_entry (parser, row, col, value, error);
}

static gboolean
read_entries (MtxParser  *parser,
              GError    **error)
{
  g_autofree char *scratch = NULL;
  gsize scratch_size = 0;
  guint64 listed = 0;
  GError *read_error = NULL;
  const char *line;
  gsize length;

  while ((line = st_line_reader_next (parser->reader, &length, &read_error)) != NULL)
    {
      char *tokens[MAX_TOKENS];
      guint n;

      if (is_skippable (line))
        continue;

      if (listed == parser->declared)
        {
          g_autofree char *size_line = g_strdup_printf ("%" G_GUINT64_FORMAT, parser->size_line);
          g_autofree char *declared = g_strdup_printf ("%" G_GUINT64_FORMAT, parser->declared);

          /* Translators: a line number, then a number of entries. */
          return fail (parser, error, _("the header on line %s declares %s entries, but the file "
                                        "has more; correct the count"), size_line, declared);
        }

      if (length + 1 > scratch_size)
        {
          scratch_size = length + 1;
          scratch = g_realloc (scratch, scratch_size);
        }
      n = split_tokens (line, scratch, tokens);

      if (parser->format == FORMAT_COORDINATE)
        {
          if (!parse_coordinate_entry (parser, tokens, n, error))
            return FALSE;
        }
      else if (!parse_array_entry (parser, tokens, n, error))
        return FALSE;

      listed++;
    }

  if (read_error != NULL)
    {
      g_propagate_error (error, read_error);
      return FALSE;
    }

  if (listed < parser->declared)
    {
      g_autofree char *size_line = g_strdup_printf ("%" G_GUINT64_FORMAT, parser->size_line);
      g_autofree char *declared = g_strdup_printf ("%" G_GUINT64_FORMAT, parser->declared);
      g_autofree char *found = g_strdup_printf ("%" G_GUINT64_FORMAT, listed);

      g_set_error (error, ST_ERROR, ST_ERROR_PARSE,
                   /* Translators: a file name, a line number, then two numbers of entries. */
                   _("%s: the header on line %s declares %s entries, but the file ends after %s; "
                     "the file may be truncated"),
                   st_line_reader_get_name (parser->reader), size_line, declared, found);
      return FALSE;
    }

  return TRUE;
}

/* Sort the entries row-major and sum duplicates into the result. */
static gboolean
collect_entries (MtxParser  *parser,
                 StMtx      *mtx,
                 GError    **error)
{
  gsize n = parser->row->len;
  const guint *rows = (const guint *) parser->row->data;
  const guint *cols = (const guint *) parser->col->data;
  const double *values = (const double *) parser->value->data;
  g_autofree gsize *order = g_try_malloc_n (MAX (n, 1), sizeof (gsize));
  guint64 first_duplicate_line = 0;
  gsize out = 0;

  if (order == NULL || !st_sort_entries (parser->rows, parser->cols, n, rows, cols, order, error))
    {
      if (order == NULL)
        {
          g_autofree char *count = g_strdup_printf ("%" G_GSIZE_FORMAT, n);

          g_set_error (error, ST_ERROR, ST_ERROR_TOO_LARGE,
                       _("Cannot sort %s entries: not enough memory"), count);
        }
      return FALSE;
    }

  mtx->row = g_new (guint, MAX (n, 1));
  mtx->col = g_new (guint, MAX (n, 1));
  mtx->value = g_new (double, MAX (n, 1));

  for (gsize c = 0; c < n; c++)
    {
      gsize k = order[c];

      if (out > 0 && mtx->row[out - 1] == rows[k] && mtx->col[out - 1] == cols[k])
        {
          guint64 line = g_array_index (parser->line, guint64, k);

          /* Entries arrive in row-major order; the message names the
           * duplicate that comes first in the file. */
          mtx->value[out - 1] += values[k];
          if (mtx->n_duplicates++ == 0 || line < first_duplicate_line)
            first_duplicate_line = line;
          continue;
        }

      mtx->row[out] = rows[k];
      mtx->col[out] = cols[k];
      mtx->value[out] = values[k];
      out++;
    }

  mtx->nnz = out;

  if (mtx->n_duplicates > 0)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GSIZE_FORMAT, mtx->n_duplicates);
      g_autofree char *line = g_strdup_printf ("%" G_GUINT64_FORMAT, first_duplicate_line);

      g_ptr_array_add (mtx->warnings,
                       /* Translators: a file name, a number of entries and a line number. */
                       g_strdup_printf (ngettext ("%s: %s duplicate entry was summed into an "
                                                  "earlier one; it is on line %s",
                                                  "%s: %s duplicate entries were summed into "
                                                  "earlier ones; the first is on line %s",
                                                  (gulong) mtx->n_duplicates),
                                        st_line_reader_get_name (parser->reader), count, line));
    }
  return TRUE;
}

/**
 * st_mtx_read:
 * @file: a .mtx or .mtx.gz file, or a resource:// URI
 * @cancellable: (nullable): cancels the reading
 * @error: return location for an error
 *
 * Reads a Matrix Market matrix as explained at the top of this file.
 *
 * Returns: (transfer full): the matrix, or %NULL with @error set
 */
StMtx *
st_mtx_read (GFile         *file,
             GCancellable  *cancellable,
             GError       **error)
{
  g_auto(MtxParser) parser = { 0 };
  g_autoptr(StMtx) mtx = NULL;
  GError *read_error = NULL;
  const char *line;
  gsize reserve;

  parser.reader = st_line_reader_new (file, cancellable, error);
  if (parser.reader == NULL)
    return NULL;

  mtx = g_new0 (StMtx, 1);
  mtx->warnings = g_ptr_array_new_with_free_func (g_free);

  line = st_line_reader_next (parser.reader, NULL, &read_error);
  if (line == NULL)
    {
      if (read_error != NULL)
        g_propagate_error (error, read_error);
      else
        g_set_error (error, ST_ERROR, ST_ERROR_PARSE,
                     _("%s: the file is empty; a Matrix Market file starts with "
                       "“%%%%MatrixMarket matrix coordinate real general”"),
                     st_line_reader_get_name (parser.reader));
      return NULL;
    }

  if (!parse_banner (&parser, line, mtx->warnings, error))
    return NULL;

  while ((line = st_line_reader_next (parser.reader, NULL, &read_error)) != NULL &&
         is_skippable (line))
    ;
  if (line == NULL)
    {
      if (read_error != NULL)
        g_propagate_error (error, read_error);
      else
        g_set_error (error, ST_ERROR, ST_ERROR_PARSE,
                     parser.format == FORMAT_COORDINATE
                       ? _("%s: the file ends after its banner; the size line "
                           "(rows, columns, entries) is missing")
                       : _("%s: the file ends after its banner; the size line "
                           "(rows, columns) is missing"),
                     st_line_reader_get_name (parser.reader));
      return NULL;
    }

  if (!parse_size_line (&parser, line, error))
    return NULL;

  if (parser.format == FORMAT_ARRAY && parser.symmetry == SYMMETRY_SKEW)
    parser.next_row = 1;

  /* Reserve for what the header declares, up to a bound, so that a
   * header that lies about a huge count costs nothing until the entries
   * really arrive. */
  reserve = (gsize) MIN (parser.declared, 1u << 20);
  parser.row = g_array_sized_new (FALSE, FALSE, sizeof (guint), reserve);
  parser.col = g_array_sized_new (FALSE, FALSE, sizeof (guint), reserve);
  parser.value = g_array_sized_new (FALSE, FALSE, sizeof (double), reserve);
  parser.line = g_array_sized_new (FALSE, FALSE, sizeof (guint64), reserve);

  if (!read_entries (&parser, error))
    return NULL;

  if (parser.above_diagonal)
    g_ptr_array_add (mtx->warnings,
                     g_strdup_printf (_("%s: a symmetric file should list only the lower "
                                        "triangle, but some entries are above the diagonal; "
                                        "they were mirrored below it"),
                                      st_line_reader_get_name (parser.reader)));

  mtx->rows = parser.rows;
  mtx->cols = parser.cols;
  mtx->has_values = parser.field != FIELD_PATTERN;
  if (!collect_entries (&parser, mtx, error))
    return NULL;

  return g_steal_pointer (&mtx);
}

/**
 * st_mtx_to_layer:
 * @mtx: a matrix
 * @layout: the layout of the new layer
 * @error: return location for an error
 *
 * Returns: (transfer full): a layer with the matrix's pattern and values
 * (zeros for a pattern file), or %NULL with @error set
 */
StLayer *
st_mtx_to_layer (const StMtx  *mtx,
                 StLayout      layout,
                 GError      **error)
{
  return st_layer_new (mtx->rows, mtx->cols, mtx->nnz, mtx->row, mtx->col,
                       mtx->value, layout, error);
}

/**
 * st_mtx_write_coordinate:
 * @path: the file to create or replace
 * @rows: row count
 * @cols: column count
 * @nnz: number of entries
 * @row: (array length=nnz): zero-based rows
 * @col: (array length=nnz): zero-based columns
 * @value: (array length=nnz): finite values
 * @error: return location for an error
 *
 * Writes "coordinate real general" with one line per entry, including
 * zeros, each value in the shortest text that reads back bit-identical.
 * The file is replaced atomically.
 */
gboolean
st_mtx_write_coordinate (const char    *path,
                         guint          rows,
                         guint          cols,
                         gsize          nnz,
                         const guint   *row,
                         const guint   *col,
                         const double  *value,
                         GError       **error)
{
  g_autoptr(StFileWriter) writer = st_file_writer_new (path, error);
  char number[ST_DOUBLE_BUFFER_SIZE];

  if (writer == NULL)
    return FALSE;

  if (!st_file_writer_print (writer, error,
                             "%%%%MatrixMarket matrix coordinate real general\n"
                             "%% written by Sparse Trainer %s\n"
                             "%u %u %" G_GSIZE_FORMAT "\n",
                             PACKAGE_VERSION, rows, cols, nnz))
    return FALSE;

  for (gsize k = 0; k < nnz; k++)
    {
      if (!st_file_writer_print (writer, error, "%u %u %s\n", row[k] + 1, col[k] + 1,
                                 st_format_double (value[k], number)))
        return FALSE;
    }

  return st_file_writer_commit (g_steal_pointer (&writer), error);
}

/**
 * st_mtx_write_array:
 * @path: the file to create or replace
 * @rows: row count
 * @cols: column count
 * @column_major: (array): rows x cols finite values, column by column
 * @error: return location for an error
 *
 * Writes "array real general", one value per line.
 */
gboolean
st_mtx_write_array (const char    *path,
                    guint          rows,
                    guint          cols,
                    const double  *column_major,
                    GError       **error)
{
  g_autoptr(StFileWriter) writer = st_file_writer_new (path, error);
  char number[ST_DOUBLE_BUFFER_SIZE];
  gsize n = (gsize) rows * cols;

  if (writer == NULL)
    return FALSE;

  if (!st_file_writer_print (writer, error,
                             "%%%%MatrixMarket matrix array real general\n"
                             "%% written by Sparse Trainer %s\n"
                             "%u %u\n",
                             PACKAGE_VERSION, rows, cols))
    return FALSE;

  for (gsize k = 0; k < n; k++)
    {
      if (!st_file_writer_print (writer, error, "%s\n", st_format_double (column_major[k], number)))
        return FALSE;
    }

  return st_file_writer_commit (g_steal_pointer (&writer), error);
}
