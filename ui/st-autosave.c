/* st-autosave.c: the files that keep unsaved work across a crash
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each window with unsaved changes keeps three files in
 * $XDG_CACHE_HOME/sparse-trainer/autosave/, named by a random id so that
 * windows and processes never share one:
 *
 *   <id>.stmodel  the whole model, written atomically by the engine,
 *                 after the .ini, so that one never exists without the other;
 *   <id>.ini      where the model came from and which data set it uses;
 *   <id>.lock     locked with flock() while the window's process runs.
 *
 * A window removes them when its work is saved or discarded and when it
 * closes normally.  Files whose lock no process holds belong to a
 * session that ended without closing its windows, after a crash, a kill
 * or a power cut.  The kernel drops a dead process's locks, so the next
 * start can tell them from the files of a window that is still open in
 * another process.
 */

#define G_LOG_DOMAIN "st-autosave"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "st-autosave.h"

#define MODEL_SUFFIX ".stmodel"

/* Returns: milliseconds between autosaves, from the environment when it
 * sets a valid number of seconds; 0 when autosaving is off. */
guint
st_autosave_get_interval_ms (void)
{
  const char *text = g_getenv (ST_AUTOSAVE_INTERVAL_ENV);
  double seconds = ST_AUTOSAVE_DEFAULT_INTERVAL;

  if (text != NULL)
    {
      char *end = NULL;
      double value = g_ascii_strtod (text, &end);

      if (end != text && *end == '\0' && value >= 0.0 && value <= 24 * 3600.0)
        seconds = value;
      else
        g_warning ("Ignored %s=“%s”: expected seconds from 0 to 86400", ST_AUTOSAVE_INTERVAL_ENV, text);
    }

  return (guint) (seconds * 1000.0 + 0.5);
}

/* Returns: (transfer none): the folder of the autosaves, created when
 * missing. */
const char *
st_autosave_get_folder (void)
{
  static char *folder;
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      folder = g_build_filename (g_get_user_cache_dir (), "sparse-trainer", "autosave", NULL);
      if (g_mkdir_with_parents (folder, 0700) != 0)
        g_warning ("Could not create the autosave folder %s: %s", folder, g_strerror (errno));
      g_once_init_leave (&initialized, 1);
    }

  return folder;
}

static StAutosave *
st_autosave_new_for_id (const char *id)
{
  StAutosave *autosave = g_new0 (StAutosave, 1);
  const char *folder = st_autosave_get_folder ();
  g_autofree char *model_name = g_strconcat (id, MODEL_SUFFIX, NULL);
  g_autofree char *info_name = g_strconcat (id, ".ini", NULL);
  g_autofree char *lock_name = g_strconcat (id, ".lock", NULL);

  autosave->id = g_strdup (id);
  autosave->model_path = g_build_filename (folder, model_name, NULL);
  autosave->info_path = g_build_filename (folder, info_name, NULL);
  autosave->lock_path = g_build_filename (folder, lock_name, NULL);
  autosave->lock_fd = -1;

  return autosave;
}

/* A new id, for a window; no file exists until it is locked and saved. */
StAutosave *
st_autosave_new (void)
{
  g_autofree char *id = g_uuid_string_random ();

  return st_autosave_new_for_id (id);
}

/* Closes the lock, which the files stay behind; st_autosave_remove()
 * removes them first. */
void
st_autosave_free (StAutosave *autosave)
{
  if (autosave == NULL)
    return;

  if (autosave->lock_fd >= 0)
    close (autosave->lock_fd);
  g_free (autosave->id);
  g_free (autosave->model_path);
  g_free (autosave->info_path);
  g_free (autosave->lock_path);
  g_free (autosave);
}

/* Takes the lock of @autosave without waiting.  Returns: %FALSE with
 * G_IO_ERROR_BUSY when another process has it. */
gboolean
st_autosave_lock (StAutosave  *autosave,
                  GError     **error)
{
  int fd;

  if (autosave->lock_fd >= 0)
    return TRUE;

  fd = g_open (autosave->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "%s: %s", autosave->lock_path, g_strerror (saved_errno));
      return FALSE;
    }

  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved_errno = errno;

      close (fd);
      if (saved_errno == EWOULDBLOCK)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY, "%s is locked", autosave->lock_path);
      else
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                     "%s: %s", autosave->lock_path, g_strerror (saved_errno));
      return FALSE;
    }

  autosave->lock_fd = fd;
  return TRUE;
}

/* Removes the model and its description, then the lock. */
void
st_autosave_remove (StAutosave *autosave)
{
  g_unlink (autosave->model_path);
  g_unlink (autosave->info_path);

  if (autosave->lock_fd >= 0)
    {
      g_unlink (autosave->lock_path);
      close (autosave->lock_fd);
      autosave->lock_fd = -1;
    }
}

/**
 * st_autosave_take_over:
 * @autosave: a window's own autosave
 * @leftover: a locked leftover whose work the window recovered
 * @error: return location for an error
 *
 * Renames @leftover's model and description to @autosave's names, so
 * that the recovered work stays safe until the window saves it, and
 * removes @leftover's lock.
 *
 * Returns: whether the model was renamed
 */
gboolean
st_autosave_take_over (StAutosave  *autosave,
                       StAutosave  *leftover,
                       GError     **error)
{
  if (!st_autosave_lock (autosave, error))
    return FALSE;

  if (g_rename (leftover->model_path, autosave->model_path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "%s: %s", leftover->model_path, g_strerror (saved_errno));
      return FALSE;
    }

  g_rename (leftover->info_path, autosave->info_path);
  st_autosave_remove (leftover);
  return TRUE;
}

static int
compare_modified (gconstpointer a,
                  gconstpointer b)
{
  StAutosave *x = *(StAutosave **) a;
  StAutosave *y = *(StAutosave **) b;
  GStatBuf sx, sy;

  if (g_stat (x->model_path, &sx) != 0 || g_stat (y->model_path, &sy) != 0)
    return 0;

  return (sx.st_mtime < sy.st_mtime) - (sx.st_mtime > sy.st_mtime);
}

/**
 * st_autosave_find_leftovers:
 *
 * Finds the autosaves that no running process holds, newest first, and
 * locks each one, so that no other process offers it meanwhile.
 *
 * Returns: (transfer full) (element-type StAutosave): the leftovers
 */
GPtrArray *
st_autosave_find_leftovers (void)
{
  GPtrArray *leftovers = g_ptr_array_new_with_free_func ((GDestroyNotify) st_autosave_free);
  g_autoptr(GDir) dir = g_dir_open (st_autosave_get_folder (), 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *id = NULL;
      g_autoptr(StAutosave) autosave = NULL;
      g_autoptr(GError) error = NULL;

      if (!g_str_has_suffix (name, MODEL_SUFFIX))
        continue;

      id = g_strndup (name, strlen (name) - strlen (MODEL_SUFFIX));
      autosave = st_autosave_new_for_id (id);
      if (!st_autosave_lock (autosave, &error))
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BUSY))
            g_warning ("Could not check the autosave %s: %s", autosave->model_path, error->message);
          continue;
        }

      g_ptr_array_add (leftovers, g_steal_pointer (&autosave));
    }

  g_ptr_array_sort (leftovers, compare_modified);
  return leftovers;
}
