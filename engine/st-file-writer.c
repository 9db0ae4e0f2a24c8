/* st-file-writer.c: atomic file replacement through a temporary file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A save never truncates the file it replaces.  The writer fills a
 * temporary file in the same folder, flushes it to disk, and renames it
 * over the target, which POSIX makes atomic.  A crash, a full disk or a
 * read-only folder leaves either the old file or the complete new one,
 * and every failure path removes the temporary file.
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "st-error.h"
#include "st-file-writer.h"

/* Bytes gathered before one write(2). */
#define BUFFER_SIZE (1024 * 1024)

struct _StFileWriter
{
  char *path;
  char *temp_path;
  int fd;
  GString *buffer;
  guint64 offset;  /* bytes accepted so far, written or buffered */
};

static void
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *action,
                 const char  *path)
{
  g_set_error (error, ST_ERROR, ST_ERROR_IO, "Cannot %s “%s”: %s",
               action, path, g_strerror (saved_errno));
}

/**
 * st_file_writer_new:
 * @path: the file to create or replace
 * @error: return location for an error
 *
 * Creates the temporary file next to @path.  When @path exists, the new
 * file gets its permissions; otherwise 0666 less the umask.
 *
 * Returns: (transfer full): a writer, or %NULL with @error set (for
 * example when the folder is read-only)
 */
StFileWriter *
st_file_writer_new (const char  *path,
                    GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *temp_path = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  struct stat existing;
  mode_t mode;
  mode_t mask;
  StFileWriter *writer;
  int fd;

  fd = g_mkstemp_full (temp_path, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      set_errno_error (error, errno, "write to the folder of", path);
      return NULL;
    }

  if (g_stat (path, &existing) == 0)
    mode = existing.st_mode & 07777;
  else
    {
      mask = umask (0);
      umask (mask);
      mode = 0666 & ~mask;
    }
  if (fchmod (fd, mode) != 0)
    g_debug ("Cannot set mode %o on %s: %s", (unsigned) mode, temp_path, g_strerror (errno));

  writer = g_new0 (StFileWriter, 1);
  writer->path = g_strdup (path);
  writer->temp_path = g_steal_pointer (&temp_path);
  writer->fd = fd;
  writer->buffer = g_string_sized_new (BUFFER_SIZE);

  return writer;
}

static gboolean
write_fully (StFileWriter  *writer,
             const char    *data,
             gsize          length,
             GError       **error)
{
  while (length > 0)
    {
      gssize written = write (writer->fd, data, length);

      if (written < 0)
        {
          if (errno == EINTR)
            continue;
          set_errno_error (error, errno, "write", writer->path);
          return FALSE;
        }
      data += written;
      length -= (gsize) written;
    }

  return TRUE;
}

static gboolean
flush_buffer (StFileWriter  *writer,
              GError       **error)
{
  gboolean ok = write_fully (writer, writer->buffer->str, writer->buffer->len, error);

  g_string_truncate (writer->buffer, 0);
  return ok;
}

/**
 * st_file_writer_write:
 * @writer: a writer
 * @data: (array length=length): bytes to append
 * @length: number of bytes
 * @error: return location for an error
 *
 * Returns: %FALSE with @error set when the disk refuses the data; the
 * caller then calls st_file_writer_abort()
 */
gboolean
st_file_writer_write (StFileWriter  *writer,
                      const void    *data,
                      gsize          length,
                      GError       **error)
{
  writer->offset += length;

  if (length >= BUFFER_SIZE)
    return flush_buffer (writer, error) && write_fully (writer, data, length, error);

  g_string_append_len (writer->buffer, data, (gssize) length);
  if (writer->buffer->len >= BUFFER_SIZE)
    return flush_buffer (writer, error);

  return TRUE;
}

/**
 * st_file_writer_print:
 *
 * Appends printf() output.  Only for integers and strings: doubles go
 * through st_format_double(), because "%g" follows LC_NUMERIC.
 */
gboolean
st_file_writer_print (StFileWriter  *writer,
                      GError       **error,
                      const char    *format,
                      ...)
{
  g_autofree char *text = NULL;
  va_list args;
  int length;

  va_start (args, format);
  length = g_vasprintf (&text, format, args);
  va_end (args);

  return st_file_writer_write (writer, text, (gsize) MAX (length, 0), error);
}

/* Returns: the number of bytes appended so far. */
guint64
st_file_writer_get_offset (const StFileWriter *writer)
{
  return writer->offset;
}

/**
 * st_file_writer_commit:
 * @writer: (transfer full): a writer
 * @error: return location for an error
 *
 * Flushes the data to disk and renames the temporary file over the
 * target.  The writer is freed in every case.
 *
 * Returns: %TRUE when the new file is in place; on %FALSE the old file
 * is untouched and the temporary file is gone
 */
gboolean
st_file_writer_commit (StFileWriter  *writer,
                       GError       **error)
{
  int fd;

  if (!flush_buffer (writer, error))
    goto failed;

  if (fsync (writer->fd) != 0)
    {
      set_errno_error (error, errno, "flush", writer->path);
      goto failed;
    }

  fd = writer->fd;
  writer->fd = -1;
  if (close (fd) != 0)
    {
      set_errno_error (error, errno, "close", writer->path);
      goto failed;
    }

  if (g_rename (writer->temp_path, writer->path) != 0)
    {
      set_errno_error (error, errno, "replace", writer->path);
      goto failed;
    }

  g_clear_pointer (&writer->temp_path, g_free);
  st_file_writer_abort (writer);
  return TRUE;

failed:
  st_file_writer_abort (writer);
  return FALSE;
}

/**
 * st_file_writer_abort:
 * @writer: (transfer full): a writer
 *
 * Deletes the temporary file, leaves the target as it was, and frees
 * the writer.
 */
void
st_file_writer_abort (StFileWriter *writer)
{
  if (writer == NULL)
    return;

  if (writer->fd >= 0)
    close (writer->fd);
  if (writer->temp_path != NULL)
    g_unlink (writer->temp_path);

  g_string_free (writer->buffer, TRUE);
  g_free (writer->temp_path);
  g_free (writer->path);
  g_free (writer);
}
