/* st-file-writer.c: atomic file replacement through a temporary file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A save never truncates the file it replaces.  The writer fills a file
 * without a name in the target's folder (O_TMPFILE), flushes it to disk,
 * gives it a temporary name, renames that over the target, which POSIX
 * makes atomic, and flushes the folder.  A crash, a full disk or a
 * read-only folder therefore leaves either the old file or the complete
 * new one.  Until the last moment the new data has no name, so a process
 * killed while writing leaves nothing behind; every failure path that
 * runs removes what it made.
 *
 * Where the file system lacks O_TMPFILE the file gets its temporary name
 * at once.  Such names carry the writing process's ID, and a later save
 * to the same target removes the ones whose process is gone.
 */

#define G_LOG_DOMAIN "engine"

/* O_TMPFILE and linkat() are Linux and POSIX 2008 additions. */
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "st-error.h"
#include "st-file-writer.h"

/* Bytes gathered before one write(2). */
#define BUFFER_SIZE (1024 * 1024)

/* Temporary names are ".TARGET.st-tmp-PID-XXXXXX" in the target's folder. */
#define TEMP_INFIX ".st-tmp-"

struct _StFileWriter
{
  char *path;
  char *dir;
  char *temp_path;      /* set once the data has a name */
  int fd;
  gboolean unnamed;     /* opened with O_TMPFILE */
  GString *buffer;
  guint64 offset;       /* bytes accepted so far, written or buffered */
};

/* Set @error to the message that @format builds.  @saved_errno picks the
 * error code, so that a full disk gives ST_ERROR_TOO_LARGE. */
static void G_GNUC_PRINTF (3, 4)
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, ST_ERROR, saved_errno == ENOSPC || saved_errno == EFBIG ||
                                        saved_errno == EDQUOT ? ST_ERROR_TOO_LARGE : ST_ERROR_IO,
                       message);
}

/* The mode the new file gets: the old file's, or 0666 less the umask. */
static mode_t
mode_for (const char *path)
{
  struct stat existing;
  mode_t mask;

  if (g_stat (path, &existing) == 0)
    return existing.st_mode & 07777;

  mask = umask (0);
  umask (mask);
  return 0666 & ~mask;
}

/* Remove temporary files of earlier saves to @base whose writing process
 * no longer runs: what a process killed mid-save left without O_TMPFILE. */
static void
remove_stale_temporaries (const char *dir,
                          const char *base)
{
  g_autofree char *prefix = g_strdup_printf (".%s" TEMP_INFIX, base);
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      guint64 pid;
      char *end = NULL;

      if (!g_str_has_prefix (name, prefix))
        continue;

      pid = g_ascii_strtoull (name + strlen (prefix), &end, 10);
      if (end != NULL && *end == '-' && pid > 0 && (pid_t) pid != getpid () &&
          kill ((pid_t) pid, 0) != 0 && errno == ESRCH)
        {
          g_autofree char *stale = g_build_filename (dir, name, NULL);

          if (g_unlink (stale) == 0)
            g_debug ("Removed %s, left by process %" G_GUINT64_FORMAT, stale, pid);
        }
    }
}

static char *
make_temp_template (const char *dir,
                    const char *base)
{
  return g_strdup_printf ("%s/.%s" TEMP_INFIX "%d-XXXXXX", dir, base, (int) getpid ());
}

/**
 * st_file_writer_new:
 * @path: the file to create or replace
 * @error: return location for an error
 *
 * Opens the new data's file in the folder of @path.  When @path exists,
 * the new file gets its permissions; otherwise 0666 less the umask.
 *
 * Returns: (transfer full): a writer, or %NULL with @error set (for
 * example when the folder is read-only or missing)
 */
StFileWriter *
st_file_writer_new (const char  *path,
                    GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *temp_path = NULL;
  mode_t mode = mode_for (path);
  StFileWriter *writer;
  gboolean unnamed = TRUE;
  int fd;

  remove_stale_temporaries (dir, base);

#ifdef O_TMPFILE
  fd = open (dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
#else
  fd = -1;
  errno = EOPNOTSUPP;
#endif
  if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL))
    {
      unnamed = FALSE;
      temp_path = make_temp_template (dir, base);
      fd = g_mkstemp_full (temp_path, O_WRONLY | O_CLOEXEC, 0600);
    }
  if (fd < 0)
    {
      int saved_errno = errno;

      /* Translators: a file name, then the system's reason. */
      set_errno_error (error, saved_errno, _("Cannot write to the folder of “%s”: %s"),
                       path, g_strerror (saved_errno));
      return NULL;
    }

  if (fchmod (fd, mode) != 0)
    g_debug ("Cannot set mode %o on the new %s: %s", (unsigned) mode, path, g_strerror (errno));

  writer = g_new0 (StFileWriter, 1);
  writer->path = g_strdup (path);
  writer->dir = g_steal_pointer (&dir);
  writer->temp_path = g_steal_pointer (&temp_path);
  writer->unnamed = unnamed;
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
          int saved_errno = errno;

          if (saved_errno == EINTR)
            continue;
          /* Translators: a file name, then the system's reason. */
          set_errno_error (error, saved_errno, _("Cannot write to “%s”: %s"),
                           writer->path, g_strerror (saved_errno));
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

/* Give the unnamed file a temporary name next to the target. */
static gboolean
name_unnamed_file (StFileWriter  *writer,
                   GError       **error)
{
  g_autofree char *base = g_path_get_basename (writer->path);
  g_autofree char *proc_path = g_strdup_printf ("/proc/self/fd/%d", writer->fd);
  int saved_errno;

  for (guint attempt = 0; attempt < 100; attempt++)
    {
      g_autofree char *candidate = make_temp_template (writer->dir, base);
      char *suffix = candidate + strlen (candidate) - 6;

      for (guint k = 0; k < 6; k++)
        suffix[k] = "abcdefghijklmnopqrstuvwxyz0123456789"[g_random_int_range (0, 36)];

      if (linkat (AT_FDCWD, proc_path, AT_FDCWD, candidate, AT_SYMLINK_FOLLOW) == 0)
        {
          writer->temp_path = g_steal_pointer (&candidate);
          return TRUE;
        }
      if (errno != EEXIST)
        break;
    }

  saved_errno = errno;
  /* Translators: a file name, then the system's reason. */
  set_errno_error (error, saved_errno, _("Cannot create a temporary file next to “%s”: %s"),
                   writer->path, g_strerror (saved_errno));
  return FALSE;
}

/**
 * st_file_writer_commit:
 * @writer: (transfer full): a writer
 * @error: return location for an error
 *
 * Flushes the data to disk and puts the new file in place of the
 * target.  The writer is freed in every case.
 *
 * Returns: %TRUE when the new file is in place; on %FALSE the old file
 * is untouched and no temporary file is left
 */
gboolean
st_file_writer_commit (StFileWriter  *writer,
                       GError       **error)
{
  int dir_fd;

  if (!flush_buffer (writer, error))
    goto failed;

  if (fsync (writer->fd) != 0)
    {
      int saved_errno = errno;

      /* Translators: a file name, then the system's reason. */
      set_errno_error (error, saved_errno, _("Cannot flush “%s” to the disk: %s"),
                       writer->path, g_strerror (saved_errno));
      goto failed;
    }

  if (writer->unnamed && !name_unnamed_file (writer, error))
    goto failed;

  if (g_rename (writer->temp_path, writer->path) != 0)
    {
      int saved_errno = errno;

      /* Translators: a file name, then the system's reason. */
      set_errno_error (error, saved_errno, _("Cannot replace “%s” with the new file: %s"),
                       writer->path, g_strerror (saved_errno));
      goto failed;
    }
  g_clear_pointer (&writer->temp_path, g_free);

  /* The rename is durable only once the folder is flushed as well. */
  dir_fd = open (writer->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0)
    {
      if (fsync (dir_fd) != 0)
        g_debug ("Cannot flush the folder %s: %s", writer->dir, g_strerror (errno));
      close (dir_fd);
    }

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
 * Drops the new data, removes its temporary name if it has one, leaves
 * the target as it was, and frees the writer.
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
  g_free (writer->dir);
  g_free (writer->path);
  g_free (writer);
}
