/* st-model-reader.c: the low-level part of reading model files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first two lines, the JSON header with typed access that names the
 * member at fault, and the binary arrays read at their offsets.  Every
 * length is bounded before anything is read into memory, so a damaged
 * or hostile file ends in a message, never in an unbounded allocation.
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "st-error.h"
#include "st-model-file.h"
#include "st-model-reader.h"
#include "st-number.h"

/* Largest header accepted.  The header only describes the arrays and the
 * settings, so real headers are a few kilobytes; the limit keeps a
 * damaged file from being read into memory whole. */
#define MAX_HEADER_BYTES (16 * 1024 * 1024)

gboolean
st_model_reader_fail (StModelReader  *reader,
                      GError        **error,
                      const char     *format,
                      ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: a file name, then what is wrong with it. */
  g_set_error (error, ST_ERROR, ST_ERROR_PARSE, _("%s: %s"), reader->name, reason);
  return FALSE;
}

void
st_model_reader_clear (StModelReader *reader)
{
  g_clear_object (&reader->stream);
  g_clear_object (&reader->cancellable);
  g_clear_pointer (&reader->name, g_free);
}

/* Read bytes up to a newline, at most @limit of them, without buffering
 * past the newline. */
static gboolean
read_line_limited (StModelReader  *reader,
                   gsize           limit,
                   GString        *line,
                   GError        **error)
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
              /* Translators: a file name before another message. */
              g_propagate_prefixed_error (error, g_steal_pointer (&fill_error), _("%s: "),
                                          reader->name);
              return FALSE;
            }
          return st_model_reader_fail (reader, error, _("the file ends inside its header; "
                                                        "it is truncated or not a model file"));
        }

      data = g_buffered_input_stream_peek_buffer (buffered, &available);
      newline = memchr (data, '\n', available);
      if (newline != NULL)
        available = (gsize) (newline - data);

      if (line->len + available > limit)
        {
          g_autofree char *bytes = g_strdup_printf ("%" G_GSIZE_FORMAT, limit);

          return st_model_reader_fail (reader, error, _("the header is longer than %s bytes; "
                                                        "this is not a model file"), bytes);
        }

      g_string_append_len (line, data, (gssize) available);
      reader->header_bytes += available + (newline != NULL);
      if (g_input_stream_skip (reader->stream, available + (newline != NULL),
                               reader->cancellable, error) < 0)
        return FALSE;

      if (newline != NULL)
        return TRUE;
    }
}

static gboolean
read_magic (StModelReader  *reader,
            GError        **error)
{
  g_autoptr(GString) line = g_string_new (NULL);
  guint64 version;
  char *end = NULL;

  if (!read_line_limited (reader, 64, line, NULL) ||
      !g_str_has_prefix (line->str, ST_MODEL_MAGIC " "))
    return st_model_reader_fail (reader, error,
                                 /* Translators: “%s VERSION” is the first line that a model
                                  * file must have: %s is always “sparse-trainer-model” and
                                  * VERSION stands for a whole number. */
                                 _("this is not a Sparse Trainer model: the first line is not "
                                   "“%s VERSION”"), ST_MODEL_MAGIC);

  version = g_ascii_strtoull (line->str + strlen (ST_MODEL_MAGIC " "), &end, 10);
  if (end == NULL || *end != '\0' || version == 0)
    return st_model_reader_fail (reader, error, _("the format version “%s” is not a whole number"),
                                 line->str + strlen (ST_MODEL_MAGIC " "));

  if (version > ST_MODEL_FORMAT_VERSION)
    {
      g_autofree char *version_text = g_strdup_printf ("%" G_GUINT64_FORMAT, version);

      return st_model_reader_fail (reader, error,
                                   _("the file has format version %s, but this Sparse Trainer "
                                     "reads versions up to %d; install a newer Sparse Trainer"),
                                   version_text, ST_MODEL_FORMAT_VERSION);
    }

  reader->version = (guint) version;
  return TRUE;
}

/**
 * st_model_reader_open:
 * @reader: (out caller-allocates): cleared state to fill in
 * @file: the model file
 * @cancellable: (nullable): cancels the reading
 * @error: return location for an error
 *
 * Opens @file and reads its first line.
 */
gboolean
st_model_reader_open (StModelReader  *reader,
                      GFile          *file,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_autoptr(GFileInputStream) stream = g_file_read (file, cancellable, error);
  g_autoptr(GFileInfo) info = NULL;

  if (stream == NULL)
    return FALSE;

  /* The size lets a header that promises more bytes than the file has be
   * rejected before its arrays are allocated.  Some streams, such as
   * resources, may not report one. */
  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, NULL);
  reader->size = G_MAXUINT64;
  if (info != NULL && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
    reader->size = (guint64) g_file_info_get_size (info);

  reader->stream = g_buffered_input_stream_new_sized (G_INPUT_STREAM (stream), 1024 * 1024);
  reader->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  reader->name = g_file_get_basename (file);

  return read_magic (reader, error);
}

/* Returns: (transfer full): the parsed header, a JSON object. */
JsonNode *
st_model_reader_read_header (StModelReader  *reader,
                             GError        **error)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) json_error = NULL;
  JsonNode *root;

  if (!read_line_limited (reader, MAX_HEADER_BYTES, line, error))
    return NULL;

  if (!json_parser_load_from_data (parser, line->str, (gssize) line->len, &json_error))
    {
      /* Translators: %s is the JSON parser's reason. */
      st_model_reader_fail (reader, error, _("the header is not valid JSON: %s"),
                            json_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      st_model_reader_fail (reader, error, _("the header is not a JSON object"));
      return NULL;
    }

  return json_node_copy (root);
}

/**
 * st_model_reader_read_at:
 * @reader: a reader
 * @offset: where the array starts in the binary section, at or after
 *   the end of the last array read
 * @target: (out caller-allocates): @bytes bytes of memory
 * @bytes: the array's size
 * @context: the array's owner for messages, such as "layer 2"
 * @name: the array's name in the header
 * @error: return location for an error
 *
 * Reads one array.  Arrays must be read in increasing offset order.
 */
gboolean
st_model_reader_read_at (StModelReader  *reader,
                         guint64         offset,
                         void           *target,
                         gsize           bytes,
                         const char     *context,
                         const char     *name,
                         GError        **error)
{
  gsize got = 0;

  if (offset < reader->position)
    /* Translators: a layer such as “layer 2”, or a part of the header, then
     * the array's name. */
    return st_model_reader_fail (reader, error, _("%s: the array “%s” overlaps the one before it"),
                                 context, name);

  if (offset > reader->position)
    {
      guint64 gap = offset - reader->position;
      gssize skipped = g_input_stream_skip (reader->stream, gap, reader->cancellable, error);

      if (skipped < 0)
        return FALSE;
      if ((guint64) skipped != gap)
        return st_model_reader_fail (reader, error,
                                     /* Translators: a layer such as “layer 2”, or a part of
                                      * the header, then the array's name. */
                                     _("%s: the file ends before the array “%s”; "
                                       "it is truncated"), context, name);
    }

  if (!g_input_stream_read_all (reader->stream, target, bytes, &got, reader->cancellable, error))
    return FALSE;
  if (got != bytes)
    return st_model_reader_fail (reader, error,
                                 /* Translators: a layer such as “layer 2”, or a part of the
                                  * header, then the array's name. */
                                 _("%s: the file ends inside the array “%s”; it is truncated"),
                                 context, name);

  reader->position = offset + bytes;
  return TRUE;
}

/* Typed members of the JSON header, each with a message naming the
 * member when it is missing or of the wrong type. */

gboolean
st_model_reader_get_uint (StModelReader  *reader,
                          JsonObject     *object,
                          const char     *context,
                          const char     *name,
                          guint64         max,
                          guint64        *value,
                          GError        **error)
{
  JsonNode *node = json_object_get_member (object, name);
  gint64 number;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    /* Translators: a layer such as “layer 2”, or a part of the header, then
     * the member's name. */
    return st_model_reader_fail (reader, error, _("%s: the member “%s” is missing or not a whole "
                                                  "number"), context, name);

  number = json_node_get_int (node);
  if (number < 0 || (guint64) number > max)
    {
      g_autofree char *number_text = g_strdup_printf ("%" G_GINT64_FORMAT, number);
      g_autofree char *max_text = g_strdup_printf ("%" G_GUINT64_FORMAT, max);

      /* Translators: a layer such as “layer 2”, or a part of the header, the
       * member's name, its value, then the largest value allowed. */
      return st_model_reader_fail (reader, error, _("%s: “%s” is %s, outside 0..%s"), context,
                                   name, number_text, max_text);
    }

  *value = (guint64) number;
  return TRUE;
}

/* A finite number, written as a string (how this program writes real
 * numbers, see st-model-write.c) or as a JSON number. */
gboolean
st_model_reader_get_double (StModelReader  *reader,
                            JsonObject     *object,
                            const char     *context,
                            const char     *name,
                            double         *value,
                            GError        **error)
{
  JsonNode *node = json_object_get_member (object, name);
  GType type = node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node)
                                                           : G_TYPE_INVALID;

  if (type == G_TYPE_STRING)
    {
      if (!st_parse_double (json_node_get_string (node), value))
        return st_model_reader_fail (reader, error, _("%s: “%s” is “%s”, not a number"), context,
                                     name, json_node_get_string (node));
    }
  else if (type == G_TYPE_DOUBLE)
    *value = json_node_get_double (node);
  else if (type == G_TYPE_INT64)
    *value = (double) json_node_get_int (node);
  else
    return st_model_reader_fail (reader, error, _("%s: the member “%s” is missing or not a number"),
                                 context, name);

  if (!isfinite (*value))
    return st_model_reader_fail (reader, error, _("%s: “%s” is not a finite number"), context,
                                 name);

  return TRUE;
}

gboolean
st_model_reader_get_boolean (StModelReader  *reader,
                             JsonObject     *object,
                             const char     *context,
                             const char     *name,
                             gboolean       *value,
                             GError        **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return st_model_reader_fail (reader, error, _("%s: the member “%s” is missing or not true or "
                                                  "false"), context, name);

  *value = json_node_get_boolean (node);
  return TRUE;
}

const char *
st_model_reader_get_string (StModelReader  *reader,
                            JsonObject     *object,
                            const char     *context,
                            const char     *name,
                            GError        **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    {
      st_model_reader_fail (reader, error, _("%s: the member “%s” is missing or not a string"),
                            context, name);
      return NULL;
    }

  return json_node_get_string (node);
}

JsonObject *
st_model_reader_get_object (StModelReader  *reader,
                            JsonObject     *object,
                            const char     *context,
                            const char     *name,
                            GError        **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      st_model_reader_fail (reader, error, _("%s: the member “%s” is missing or not an object"),
                            context, name);
      return NULL;
    }

  return json_node_get_object (node);
}
