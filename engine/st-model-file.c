/* st-model-file.c: the single-file model format
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A model file is a text line "sparse-trainer-model VERSION", a second
 * line holding a JSON header, then the binary arrays the header
 * describes, little-endian, each starting at a multiple of 8 bytes from
 * the first byte after the header line.  Binary arrays give an exact
 * round trip of every double and load fast; the JSON header keeps the
 * file readable from Python with the standard library and NumPy.
 * docs/model-format.md is the full description.
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "st-error.h"
#include "st-file-writer.h"
#include "st-layer.h"
#include "st-memory.h"
#include "st-model-file.h"
#include "st-network.h"

#define MAGIC "sparse-trainer-model"

/* Largest header accepted.  The header only describes the arrays, so
 * real headers are a few kilobytes; the limit keeps a damaged file from
 * being read into memory whole. */
#define MAX_HEADER_BYTES (16 * 1024 * 1024)

static const guint8 padding[8] = { 0 };

static guint64
align8 (guint64 offset)
{
  return (offset + 7) & ~(guint64) 7;
}

/* Describe one array in the header and advance the offset past it. */
static void
add_array_spec (JsonBuilder *builder,
                const char  *name,
                const char  *dtype,
                gsize        element_size,
                guint64      count,
                guint64     *offset)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "dtype");
  json_builder_add_string_value (builder, dtype);
  json_builder_set_member_name (builder, "offset");
  json_builder_add_int_value (builder, (gint64) *offset);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, (gint64) count);
  json_builder_end_object (builder);

  *offset = align8 (*offset + count * element_size);
}

static char *
build_header (const StNetwork *network)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  guint64 offset = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, MAGIC);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, ST_MODEL_FORMAT_VERSION);
  json_builder_set_member_name (builder, "inputs");
  json_builder_add_int_value (builder, st_network_get_n_inputs (network));
  json_builder_set_member_name (builder, "loss");
  json_builder_add_string_value (builder, st_loss_to_string (st_network_get_loss (network)));

  if (st_network_get_input_mean (network) != NULL)
    {
      guint n_inputs = st_network_get_n_inputs (network);

      json_builder_set_member_name (builder, "standardization");
      json_builder_begin_object (builder);
      add_array_spec (builder, "mean", "<f8", 8, n_inputs, &offset);
      add_array_spec (builder, "scale", "<f8", 8, n_inputs, &offset);
      json_builder_end_object (builder);
    }

  json_builder_set_member_name (builder, "layers");
  json_builder_begin_array (builder);
  for (guint l = 0; l < st_network_get_n_layers (network); l++)
    {
      StLayer *layer = st_network_get_layer (network, l);
      guint rows = st_layer_get_rows (layer);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "rows");
      json_builder_add_int_value (builder, rows);
      json_builder_set_member_name (builder, "cols");
      json_builder_add_int_value (builder, st_layer_get_cols (layer));
      json_builder_set_member_name (builder, "nnz");
      json_builder_add_int_value (builder, (gint64) st_layer_get_nnz (layer));
      json_builder_set_member_name (builder, "activation");
      json_builder_add_string_value (builder,
                                     st_activation_to_string (st_layer_get_activation (layer)));
      json_builder_set_member_name (builder, "layout");
      json_builder_add_string_value (builder, st_layout_to_string (st_layer_get_layout (layer)));
      json_builder_set_member_name (builder, "bias");
      json_builder_add_boolean_value (builder, st_layer_has_bias (layer));

      json_builder_set_member_name (builder, "arrays");
      json_builder_begin_object (builder);
      add_array_spec (builder, "row_ptr", "<i8", 8, (guint64) rows + 1, &offset);
      add_array_spec (builder, "col_index", "<i4", 4, st_layer_get_nnz (layer), &offset);
      add_array_spec (builder, "value", "<f8", 8, st_layer_get_nnz (layer), &offset);
      if (st_layer_has_bias (layer))
        add_array_spec (builder, "bias", "<f8", 8, rows, &offset);
      json_builder_end_object (builder);

      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, FALSE);

  return json_generator_to_data (generator, NULL);
}

/* Write @count elements of @element_size bytes in little-endian order,
 * then pad to a multiple of 8 bytes. */
static gboolean
write_array (StFileWriter  *writer,
             const void    *data,
             gsize          element_size,
             gsize          count,
             GError       **error)
{
  gsize bytes = element_size * count;
  gsize tail = (8 - bytes % 8) % 8;

#if G_BYTE_ORDER == G_BIG_ENDIAN
  g_autofree guint8 *swapped = g_memdup2 (data, MAX (bytes, 1));

  for (gsize k = 0; k < count; k++)
    {
      guint8 *element = swapped + k * element_size;

      for (gsize a = 0, b = element_size - 1; a < b; a++, b--)
        {
          guint8 byte = element[a];

          element[a] = element[b];
          element[b] = byte;
        }
    }
  data = swapped;
#endif

  return st_file_writer_write (writer, data, bytes, error) &&
         st_file_writer_write (writer, padding, tail, error);
}

static gboolean
write_layer_arrays (StFileWriter  *writer,
                    StLayer       *layer,
                    GError       **error)
{
  guint rows = st_layer_get_rows (layer);
  gsize nnz = st_layer_get_nnz (layer);
  g_autofree guint *entry_rows = g_new (guint, MAX (nnz, 1));
  g_autofree guint *entry_cols = g_new (guint, MAX (nnz, 1));
  g_autofree gint32 *col_index = g_new (gint32, MAX (nnz, 1));
  g_autofree double *values = g_new (double, MAX (nnz, 1));
  g_autofree gint64 *row_ptr = g_new0 (gint64, (gsize) rows + 1);

  st_layer_copy_entries (layer, entry_rows, entry_cols, values, NULL);

  for (gsize c = 0; c < nnz; c++)
    {
      row_ptr[entry_rows[c] + 1]++;
      col_index[c] = (gint32) entry_cols[c];
    }
  for (guint i = 0; i < rows; i++)
    row_ptr[i + 1] += row_ptr[i];

  if (!write_array (writer, row_ptr, 8, (gsize) rows + 1, error) ||
      !write_array (writer, col_index, 4, nnz, error) ||
      !write_array (writer, values, 8, nnz, error))
    return FALSE;

  if (st_layer_has_bias (layer) &&
      !write_array (writer, st_layer_get_bias (layer), 8, rows, error))
    return FALSE;

  return TRUE;
}

/**
 * st_model_save:
 * @network: a valid network
 * @path: the file to create or replace
 * @error: return location for an error
 *
 * Saves the architecture, patterns, weights, biases, activations and
 * loss.  The file is replaced atomically: on failure the old file is
 * untouched.
 *
 * Returns: %TRUE on success
 */
gboolean
st_model_save (const StNetwork  *network,
               const char       *path,
               GError          **error)
{
  g_autofree char *header = NULL;
  g_autoptr(StFileWriter) writer = NULL;

  for (guint l = 0; l < st_network_get_n_layers (network); l++)
    {
      StLayer *layer = st_network_get_layer (network, l);
      const double *values = st_layer_get_values (layer);
      const double *bias = st_layer_get_bias (layer);

      for (gsize k = 0; k < st_layer_get_nnz (layer); k++)
        if (!isfinite (values[k]))
          {
            g_set_error (error, ST_ERROR, ST_ERROR_NUMERIC,
                         "Layer %u holds a weight that is not a finite number (%g); "
                         "the model is not saved", l + 1, values[k]);
            return FALSE;
          }
      for (guint i = 0; bias != NULL && i < st_layer_get_rows (layer); i++)
        if (!isfinite (bias[i]))
          {
            g_set_error (error, ST_ERROR, ST_ERROR_NUMERIC,
                         "Layer %u holds a bias that is not a finite number (%g); "
                         "the model is not saved", l + 1, bias[i]);
            return FALSE;
          }
    }

  header = build_header (network);
  writer = st_file_writer_new (path, error);
  if (writer == NULL)
    return FALSE;

  if (!st_file_writer_print (writer, error, "%s %d\n%s\n", MAGIC, ST_MODEL_FORMAT_VERSION, header))
    return FALSE;

  if (st_network_get_input_mean (network) != NULL &&
      (!write_array (writer, st_network_get_input_mean (network), 8,
                     st_network_get_n_inputs (network), error) ||
       !write_array (writer, st_network_get_input_scale (network), 8,
                     st_network_get_n_inputs (network), error)))
    return FALSE;

  for (guint l = 0; l < st_network_get_n_layers (network); l++)
    if (!write_layer_arrays (writer, st_network_get_layer (network, l), error))
      return FALSE;

  return st_file_writer_commit (g_steal_pointer (&writer), error);
}

/* Reading. */

typedef struct
{
  GInputStream *stream;
  GCancellable *cancellable;
  char *name;          /* the file's base name, for messages */
  guint64 position;    /* bytes read past the header line */
} ModelReader;

static void
model_reader_clear (ModelReader *reader)
{
  g_clear_object (&reader->stream);
  g_clear_object (&reader->cancellable);
  g_clear_pointer (&reader->name, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ModelReader, model_reader_clear)

static gboolean G_GNUC_PRINTF (3, 4)
fail (ModelReader *reader,
      GError     **error,
      const char  *format,
      ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, ST_ERROR, ST_ERROR_PARSE, "%s: %s", reader->name, reason);
  return FALSE;
}

/* Read bytes up to a newline, at most @limit of them, without buffering
 * past the newline. */
static gboolean
read_line_limited (ModelReader  *reader,
                   gsize         limit,
                   GString      *line,
                   GError      **error)
{
  GBufferedInputStream *buffered = G_BUFFERED_INPUT_STREAM (reader->stream);

  g_string_truncate (line, 0);

  for (;;)
    {
      g_autoptr(GError) fill_error = NULL;
      const char *data;
      const char *newline;
      gsize available;

      if (g_buffered_input_stream_get_available (buffered) == 0 &&
          g_buffered_input_stream_fill (buffered, -1, reader->cancellable, &fill_error) <= 0)
        {
          if (fill_error != NULL)
            {
              g_propagate_prefixed_error (error, g_steal_pointer (&fill_error), "%s: ",
                                          reader->name);
              return FALSE;
            }
          return fail (reader, error, "the file ends inside its header; "
                       "it is truncated or not a model file");
        }

      data = g_buffered_input_stream_peek_buffer (buffered, &available);
      newline = memchr (data, '\n', available);
      if (newline != NULL)
        available = (gsize) (newline - data);

      if (line->len + available > limit)
        return fail (reader, error, "the header is longer than %" G_GSIZE_FORMAT " bytes; "
                     "this is not a model file", limit);

      g_string_append_len (line, data, (gssize) available);
      if (g_input_stream_skip (reader->stream, available + (newline != NULL),
                               reader->cancellable, error) < 0)
        return FALSE;

      if (newline != NULL)
        return TRUE;
    }
}

static gboolean
read_magic (ModelReader  *reader,
            GError      **error)
{
  g_autoptr(GString) line = g_string_new (NULL);
  guint64 version;
  char *end = NULL;

  if (!read_line_limited (reader, 64, line, error))
    {
      g_clear_error (error);
      return fail (reader, error, "this is not a Sparse Trainer model: "
                   "the first line is not “" MAGIC " VERSION”");
    }

  if (!g_str_has_prefix (line->str, MAGIC " "))
    return fail (reader, error, "this is not a Sparse Trainer model: "
                 "the first line is not “" MAGIC " VERSION”");

  version = g_ascii_strtoull (line->str + strlen (MAGIC " "), &end, 10);
  if (end == NULL || *end != '\0' || version == 0)
    return fail (reader, error, "the format version “%s” is not a whole number",
                 line->str + strlen (MAGIC " "));

  if (version > ST_MODEL_FORMAT_VERSION)
    return fail (reader, error, "the file has format version %" G_GUINT64_FORMAT ", but this "
                 "Sparse Trainer reads versions up to %d; install a newer Sparse Trainer",
                 version, ST_MODEL_FORMAT_VERSION);

  return TRUE;
}

/* Typed members of the JSON header, each with a message naming the
 * member when it is missing or of the wrong type. */

static gboolean
get_uint (ModelReader  *reader,
          JsonObject   *object,
          const char   *context,
          const char   *name,
          guint64       max,
          guint64      *value,
          GError      **error)
{
  JsonNode *node = json_object_get_member (object, name);
  gint64 number;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return fail (reader, error, "%s: the member “%s” is missing or not a whole number",
                 context, name);

  number = json_node_get_int (node);
  if (number < 0 || (guint64) number > max)
    return fail (reader, error, "%s: “%s” is %" G_GINT64_FORMAT ", outside 0..%" G_GUINT64_FORMAT,
                 context, name, number, max);

  *value = (guint64) number;
  return TRUE;
}

static const char *
get_string (ModelReader  *reader,
            JsonObject   *object,
            const char   *context,
            const char   *name,
            GError      **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    {
      fail (reader, error, "%s: the member “%s” is missing or not a string", context, name);
      return NULL;
    }

  return json_node_get_string (node);
}

static JsonObject *
get_object (ModelReader  *reader,
            JsonObject   *object,
            const char   *context,
            const char   *name,
            GError      **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (reader, error, "%s: the member “%s” is missing or not an object", context, name);
      return NULL;
    }

  return json_node_get_object (node);
}

/* One array of one layer, as the header describes it. */
typedef struct
{
  guint64 offset;
  guint64 count;
  gsize element_size;
  void **destination;  /* receives the allocated array, owned by the caller */
  const char *name;
  char *context;       /* "layer 2", for messages */
} ArrayRead;

static void
array_read_free (ArrayRead *array)
{
  g_free (array->context);
  g_free (array);
}

static gboolean
describe_array (ModelReader  *reader,
                JsonObject   *arrays,
                const char   *context,
                const char   *name,
                const char   *dtype,
                guint64       count,
                void        **destination,
                GPtrArray    *list,
                GError      **error)
{
  JsonObject *spec = get_object (reader, arrays, context, name, error);
  const char *found_dtype;
  ArrayRead *array;

  if (spec == NULL)
    return FALSE;

  found_dtype = get_string (reader, spec, context, "dtype", error);
  if (found_dtype == NULL)
    return FALSE;
  if (strcmp (found_dtype, dtype) != 0)
    return fail (reader, error, "%s: the array “%s” has type “%s”, but must have “%s”",
                 context, name, found_dtype, dtype);

  array = g_new0 (ArrayRead, 1);
  g_ptr_array_add (list, array);
  if (!get_uint (reader, spec, context, "offset", G_MAXINT64, &array->offset, error) ||
      !get_uint (reader, spec, context, "count", G_MAXINT64, &array->count, error))
    return FALSE;

  if (array->count != count)
    return fail (reader, error, "%s: the array “%s” has %" G_GUINT64_FORMAT " elements, "
                 "but must have %" G_GUINT64_FORMAT, context, name, array->count, count);

  array->name = name;
  array->context = g_strdup (context);
  array->destination = destination;
  array->element_size = g_str_has_suffix (dtype, "4") ? 4 : 8;
  return TRUE;
}

static gint
compare_offsets (gconstpointer a,
                 gconstpointer b)
{
  const ArrayRead *first = *(ArrayRead * const *) a;
  const ArrayRead *second = *(ArrayRead * const *) b;

  return first->offset < second->offset ? -1 : first->offset > second->offset;
}

static gboolean
read_array (ModelReader  *reader,
            ArrayRead    *array,
            GError      **error)
{
  gsize bytes = array->count * array->element_size;
  gsize got = 0;

  if (array->offset < reader->position)
    return fail (reader, error, "%s: the array “%s” overlaps the one before it",
                 array->context, array->name);

  if (array->offset > reader->position)
    {
      guint64 gap = array->offset - reader->position;
      gssize skipped = g_input_stream_skip (reader->stream, gap, reader->cancellable, error);

      if (skipped < 0)
        return FALSE;
      if ((guint64) skipped != gap)
        return fail (reader, error, "the file ends before the array “%s” of %s; "
                     "it is truncated", array->name, array->context);
    }

  if (!g_input_stream_read_all (reader->stream, *array->destination, bytes, &got,
                                reader->cancellable, error))
    return FALSE;
  if (got != bytes)
    return fail (reader, error, "the file ends inside the array “%s” of %s; "
                 "it is truncated", array->name, array->context);

  reader->position = array->offset + bytes;

#if G_BYTE_ORDER == G_BIG_ENDIAN
  for (gsize k = 0; k < array->count; k++)
    {
      guint8 *element = (guint8 *) *array->destination + k * array->element_size;

      for (gsize a = 0, b = array->element_size - 1; a < b; a++, b--)
        {
          guint8 byte = element[a];

          element[a] = element[b];
          element[b] = byte;
        }
    }
#endif

  return TRUE;
}

/* Arrays of one layer as read from the file. */
typedef struct
{
  guint rows;
  guint cols;
  guint64 nnz;
  StActivation activation;
  StLayout layout;
  gboolean has_bias;
  gint64 *row_ptr;
  gint32 *col_index;
  double *value;
  double *bias;
} LayerRead;

static void
layer_read_clear (LayerRead *layer)
{
  g_free (layer->row_ptr);
  g_free (layer->col_index);
  g_free (layer->value);
  g_free (layer->bias);
}

static gboolean
describe_layer (ModelReader  *reader,
                JsonNode     *node,
                guint         index,
                LayerRead    *layer,
                GPtrArray    *arrays,
                GError      **error)
{
  g_autofree char *context = g_strdup_printf ("layer %u", index + 1);
  JsonObject *object;
  JsonObject *specs;
  JsonNode *bias_node;
  const char *text;
  guint64 rows;
  guint64 cols;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (reader, error, "%s is not a JSON object", context);
  object = json_node_get_object (node);

  if (!get_uint (reader, object, context, "rows", ST_LAYER_MAX_DIMENSION, &rows, error) ||
      !get_uint (reader, object, context, "cols", ST_LAYER_MAX_DIMENSION, &cols, error) ||
      !get_uint (reader, object, context, "nnz", ST_LAYER_MAX_NNZ, &layer->nnz, error))
    return FALSE;
  if (rows == 0 || cols == 0)
    return fail (reader, error, "%s has %" G_GUINT64_FORMAT " x %" G_GUINT64_FORMAT
                 " weights; a layer needs at least one row and one column",
                 context, rows, cols);
  if (layer->nnz > rows * cols)
    return fail (reader, error, "%s declares %" G_GUINT64_FORMAT " stored entries, more than "
                 "its %" G_GUINT64_FORMAT " x %" G_GUINT64_FORMAT " positions",
                 context, layer->nnz, rows, cols);
  layer->rows = (guint) rows;
  layer->cols = (guint) cols;

  if ((text = get_string (reader, object, context, "activation", error)) == NULL)
    return FALSE;
  if (!st_activation_from_string (text, &layer->activation))
    return fail (reader, error, "%s: the activation “%s” is unknown", context, text);

  if ((text = get_string (reader, object, context, "layout", error)) == NULL)
    return FALSE;
  if (!st_layout_from_string (text, &layer->layout))
    return fail (reader, error, "%s: the layout “%s” is unknown", context, text);

  bias_node = json_object_get_member (object, "bias");
  if (bias_node == NULL || !JSON_NODE_HOLDS_VALUE (bias_node) ||
      json_node_get_value_type (bias_node) != G_TYPE_BOOLEAN)
    return fail (reader, error, "%s: the member “bias” is missing or not true or false", context);
  layer->has_bias = json_node_get_boolean (bias_node);

  if ((specs = get_object (reader, object, context, "arrays", error)) == NULL)
    return FALSE;

  return describe_array (reader, specs, context, "row_ptr", "<i8", rows + 1,
                         (void **) &layer->row_ptr, arrays, error) &&
         describe_array (reader, specs, context, "col_index", "<i4", layer->nnz,
                         (void **) &layer->col_index, arrays, error) &&
         describe_array (reader, specs, context, "value", "<f8", layer->nnz,
                         (void **) &layer->value, arrays, error) &&
         (!layer->has_bias ||
          describe_array (reader, specs, context, "bias", "<f8", rows,
                          (void **) &layer->bias, arrays, error));
}

static StLayer *
build_layer (ModelReader  *reader,
             LayerRead    *read,
             guint         index,
             GError      **error)
{
  g_autofree guint *entry_rows = NULL;
  g_autofree guint *entry_cols = NULL;
  g_autoptr(StLayer) layer = NULL;
  gsize nnz = (gsize) read->nnz;

  if (read->row_ptr[0] != 0 || read->row_ptr[read->rows] != (gint64) nnz)
    return fail (reader, error, "layer %u: the row pointers do not run from 0 to %" G_GSIZE_FORMAT,
                 index + 1, nnz), NULL;

  entry_rows = g_new (guint, MAX (nnz, 1));
  entry_cols = g_new (guint, MAX (nnz, 1));
  for (guint i = 0; i < read->rows; i++)
    {
      if (read->row_ptr[i + 1] < read->row_ptr[i])
        return fail (reader, error, "layer %u: the row pointers decrease at row %u",
                     index + 1, i + 1), NULL;

      for (gint64 c = read->row_ptr[i]; c < read->row_ptr[i + 1]; c++)
        {
          if (read->col_index[c] < 0 || (guint) read->col_index[c] >= read->cols)
            return fail (reader, error, "layer %u: entry %" G_GINT64_FORMAT " has column %d, "
                         "outside 0..%u", index + 1, c + 1, read->col_index[c],
                         read->cols - 1), NULL;
          entry_rows[c] = i;
          entry_cols[c] = (guint) read->col_index[c];
        }
    }

  for (guint i = 0; read->bias != NULL && i < read->rows; i++)
    if (!isfinite (read->bias[i]))
      return fail (reader, error, "layer %u: the bias of row %u is not a finite number",
                   index + 1, i + 1), NULL;

  layer = st_layer_new (read->rows, read->cols, nnz, entry_rows, entry_cols, read->value,
                        read->layout, error);
  if (layer == NULL)
    {
      g_prefix_error (error, "%s: layer %u: ", reader->name, index + 1);
      return NULL;
    }

  st_layer_set_activation (layer, read->activation);
  if (read->has_bias)
    {
      if (!st_layer_set_has_bias (layer, TRUE, error))
        return NULL;
      memcpy (st_layer_get_bias (layer), read->bias, sizeof (double) * read->rows);
    }

  return g_steal_pointer (&layer);
}

/* Allocate every array, after checking that they fit in memory. */
static gboolean
allocate_arrays (ModelReader  *reader,
                 GPtrArray    *arrays,
                 GError      **error)
{
  guint64 total = 0;

  for (guint k = 0; k < arrays->len; k++)
    {
      ArrayRead *array = g_ptr_array_index (arrays, k);

      total += array->count * array->element_size;
    }

  /* The layers built from the arrays need about as much again. */
  if (!st_memory_check (2 * total, "Loading this model", error))
    {
      g_prefix_error (error, "%s: ", reader->name);
      return FALSE;
    }

  for (guint k = 0; k < arrays->len; k++)
    {
      ArrayRead *array = g_ptr_array_index (arrays, k);

      *array->destination = g_try_malloc (MAX (array->count * array->element_size, 1));
      if (*array->destination == NULL)
        {
          g_set_error (error, ST_ERROR, ST_ERROR_TOO_LARGE,
                       "%s: not enough memory for %s", reader->name, array->context);
          return FALSE;
        }
    }

  return TRUE;
}

/* The optional input standardization: two arrays of n_inputs doubles. */
static gboolean
describe_standardization (ModelReader  *reader,
                          JsonObject   *header,
                          guint64       inputs,
                          double      **mean,
                          double      **scale,
                          GPtrArray    *arrays,
                          GError      **error)
{
  JsonObject *specs;

  if (!json_object_has_member (header, "standardization"))
    return TRUE;

  specs = get_object (reader, header, "header", "standardization", error);
  return specs != NULL &&
         describe_array (reader, specs, "standardization", "mean", "<f8", inputs,
                         (void **) mean, arrays, error) &&
         describe_array (reader, specs, "standardization", "scale", "<f8", inputs,
                         (void **) scale, arrays, error);
}

static StNetwork *
build_network (ModelReader  *reader,
               JsonObject   *header,
               GError      **error)
{
  g_autoptr(StNetwork) network = NULL;
  g_autoptr(GPtrArray) arrays = g_ptr_array_new_with_free_func ((GDestroyNotify) array_read_free);
  g_autofree LayerRead *layers = NULL;
  g_autofree double *mean = NULL;
  g_autofree double *scale = NULL;
  JsonNode *layers_node;
  JsonArray *layer_list;
  const char *loss_name;
  StLoss loss;
  guint64 inputs;
  guint n_layers;
  gboolean ok = TRUE;

  if (!get_uint (reader, header, "header", "inputs", ST_LAYER_MAX_DIMENSION, &inputs, error))
    return NULL;
  if ((loss_name = get_string (reader, header, "header", "loss", error)) == NULL)
    return NULL;
  if (!st_loss_from_string (loss_name, &loss))
    return fail (reader, error, "the loss “%s” is unknown", loss_name), NULL;

  layers_node = json_object_get_member (header, "layers");
  if (layers_node == NULL || !JSON_NODE_HOLDS_ARRAY (layers_node))
    return fail (reader, error, "the header has no “layers” list"), NULL;
  layer_list = json_node_get_array (layers_node);
  n_layers = json_array_get_length (layer_list);
  if (n_layers == 0)
    return fail (reader, error, "the model has no layers"), NULL;

  layers = g_new0 (LayerRead, n_layers);
  ok = describe_standardization (reader, header, inputs, &mean, &scale, arrays, error);
  for (guint l = 0; l < n_layers && ok; l++)
    ok = describe_layer (reader, json_array_get_element (layer_list, l), l, &layers[l],
                         arrays, error);

  if (ok)
    ok = allocate_arrays (reader, arrays, error);

  g_ptr_array_sort (arrays, compare_offsets);
  for (guint k = 0; k < arrays->len && ok; k++)
    ok = read_array (reader, g_ptr_array_index (arrays, k), error);

  network = st_network_new (loss);
  for (guint l = 0; l < n_layers && ok; l++)
    {
      StLayer *layer = build_layer (reader, &layers[l], l, error);

      ok = layer != NULL && st_network_append_layer (network, layer, error);
    }

  for (guint l = 0; l < n_layers; l++)
    layer_read_clear (&layers[l]);

  if (!ok)
    return NULL;

  if (st_network_get_n_inputs (network) != inputs)
    return fail (reader, error, "the header says the model has %" G_GUINT64_FORMAT " inputs, "
                 "but its first layer has %u columns", inputs,
                 st_network_get_n_inputs (network)), NULL;

  if (!st_network_validate (network, error))
    {
      g_prefix_error (error, "%s: ", reader->name);
      return NULL;
    }

  if (mean != NULL)
    {
      for (guint j = 0; j < inputs; j++)
        if (!isfinite (mean[j]) || !isfinite (scale[j]))
          return fail (reader, error, "the standardization of input %u is not a finite number",
                       j + 1), NULL;
      st_network_set_standardization (network, mean, scale);
    }

  return g_steal_pointer (&network);
}

/**
 * st_model_load:
 * @file: a model file, or a resource:// URI
 * @cancellable: (nullable): cancels the reading
 * @error: return location for an error
 *
 * Reads a model saved by this or an earlier version.  Every size is
 * checked against the header and against the machine's memory before it
 * is allocated, and every index and value is validated.
 *
 * Returns: (transfer full): the network, or %NULL with @error set
 */
StNetwork *
st_model_load (GFile         *file,
               GCancellable  *cancellable,
               GError       **error)
{
  g_auto(ModelReader) reader = { 0 };
  g_autoptr(GFileInputStream) file_stream = NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) json_error = NULL;
  JsonNode *root;

  file_stream = g_file_read (file, cancellable, error);
  if (file_stream == NULL)
    return NULL;

  reader.stream = g_buffered_input_stream_new (G_INPUT_STREAM (file_stream));
  reader.cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  reader.name = g_file_get_basename (file);

  if (!read_magic (&reader, error) ||
      !read_line_limited (&reader, MAX_HEADER_BYTES, line, error))
    return NULL;

  if (!json_parser_load_from_data (parser, line->str, (gssize) line->len, &json_error))
    return fail (&reader, error, "the header is not valid JSON: %s", json_error->message), NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return fail (&reader, error, "the header is not a JSON object"), NULL;

  return build_network (&reader, json_node_get_object (root), error);
}
