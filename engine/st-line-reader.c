/* st-line-reader.c: numbered text lines from a file, gzip or not
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "st-error.h"
#include "st-line-reader.h"

struct _StLineReader
{
  GDataInputStream *data;
  GCancellable *cancellable;
  char *name;          /* shown in messages: the file's base name */
  char *line;          /* the last line returned, owned */
  guint64 line_number; /* of the last line returned, from 1 */
};

/* gzip streams start with these two bytes (RFC 1952). */
static gboolean
starts_with_gzip_magic (GBufferedInputStream  *buffered,
                        GCancellable          *cancellable,
                        GError               **error)
{
  const guchar *bytes;
  gsize available;

  if (g_buffered_input_stream_fill (buffered, 2, cancellable, error) < 0)
    return FALSE;

  bytes = g_buffered_input_stream_peek_buffer (buffered, &available);
  return available >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
}

/**
 * st_line_reader_new:
 * @file: a local file or a resource:// URI
 * @cancellable: (nullable): cancels the reading
 * @error: return location for an error
 *
 * Opens @file for reading line by line.  A gzip file is recognised by its
 * first bytes, whatever its name, and decompressed on the fly.
 *
 * Returns: (transfer full): a reader, or %NULL with @error set
 */
StLineReader *
st_line_reader_new (GFile         *file,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GFileInputStream) file_stream = NULL;
  g_autoptr(GInputStream) buffered = NULL;
  g_autoptr(GInputStream) source = NULL;
  g_autoptr(GError) local_error = NULL;
  StLineReader *reader;

  file_stream = g_file_read (file, cancellable, error);
  if (file_stream == NULL)
    return NULL;

  buffered = g_buffered_input_stream_new (G_INPUT_STREAM (file_stream));
  if (starts_with_gzip_magic (G_BUFFERED_INPUT_STREAM (buffered), cancellable, &local_error))
    {
      g_autoptr(GZlibDecompressor) decompressor =
        g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);

      source = g_converter_input_stream_new (buffered, G_CONVERTER (decompressor));
    }
  else if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  else
    source = g_object_ref (buffered);

  reader = g_new0 (StLineReader, 1);
  reader->data = g_data_input_stream_new (source);
  g_data_input_stream_set_newline_type (reader->data, G_DATA_STREAM_NEWLINE_TYPE_LF);
  reader->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  reader->name = g_file_get_basename (file);

  return reader;
}

void
st_line_reader_free (StLineReader *reader)
{
  if (reader == NULL)
    return;

  g_clear_object (&reader->data);
  g_clear_object (&reader->cancellable);
  g_free (reader->name);
  g_free (reader->line);
  g_free (reader);
}

/**
 * st_line_reader_next:
 * @reader: a reader
 * @length: (out) (optional): length of the line in bytes
 * @error: return location for an error
 *
 * Reads the next line without its "\n" or "\r\n" ending.  The last line
 * of a file need not end in a newline.
 *
 * Returns: (transfer none) (nullable): the line, valid until the next
 * call; %NULL at the end of the file, or with @error set when reading
 * fails or the line holds a NUL byte or is too long
 */
const char *
st_line_reader_next (StLineReader  *reader,
                     gsize         *length,
                     GError       **error)
{
  GError *local_error = NULL;
  gsize line_length = 0;

  g_clear_pointer (&reader->line, g_free);
  reader->line = g_data_input_stream_read_line (reader->data, &line_length,
                                                reader->cancellable, &local_error);
  if (local_error != NULL)
    {
      g_autofree char *line_number = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                                      reader->line_number + 1);

      /* Translators: a file name and a line number before another message. */
      g_propagate_prefixed_error (error, local_error, _("%s: line %s: "),
                                  reader->name, line_number);
      return NULL;
    }
  if (reader->line == NULL)
    return NULL;

  reader->line_number++;

  if (line_length > 0 && reader->line[line_length - 1] == '\r')
    reader->line[--line_length] = '\0';

  if (strlen (reader->line) != line_length)
    {
      g_autofree char *line_number = g_strdup_printf ("%" G_GUINT64_FORMAT, reader->line_number);

      g_set_error (error, ST_ERROR, ST_ERROR_PARSE,
                   /* Translators: a file name and a line number. */
                   _("%s: line %s contains a NUL byte; this is not a text file"),
                   reader->name, line_number);
      return NULL;
    }

  if (line_length > ST_LINE_READER_MAX_LINE)
    {
      g_autofree char *line_number = g_strdup_printf ("%" G_GUINT64_FORMAT, reader->line_number);
      g_autofree char *bytes = g_strdup_printf ("%" G_GSIZE_FORMAT, line_length);

      g_set_error (error, ST_ERROR, ST_ERROR_TOO_LARGE,
                   /* Translators: a file name, a line number and two sizes in bytes. */
                   _("%s: line %s is %s bytes long; the limit is %d bytes"),
                   reader->name, line_number, bytes, ST_LINE_READER_MAX_LINE);
      return NULL;
    }

  if (length != NULL)
    *length = line_length;
  return reader->line;
}

/* Returns: the number of the last line returned, counting from 1. */
guint64
st_line_reader_get_line_number (const StLineReader *reader)
{
  return reader->line_number;
}

/* Returns: the file's base name, for messages. */
const char *
st_line_reader_get_name (const StLineReader *reader)
{
  return reader->name;
}
