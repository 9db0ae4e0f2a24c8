/* fuzz-input.c: hand a fuzzer's bytes to a reader as a real file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The readers take a GFile, as the window and the command line give them,
 * so each input is written to a file first.  The folder lives as long as
 * the process; every input overwrites the same file in it.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz-input.h"

static char *folder;

static void
remove_folder (void)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);

      g_unlink (path);
    }
  g_rmdir (folder);
}

/* Returns: (transfer full): @name in the process's folder, holding
 * exactly @size bytes of @data. */
GFile *
fuzz_input_write (const char    *name,
                  const uint8_t *data,
                  size_t         size)
{
  g_autofree char *path = NULL;
  int fd;

  if (folder == NULL)
    {
      folder = g_dir_make_tmp ("sparse-trainer-fuzz-XXXXXX", NULL);
      if (folder == NULL)
        g_error ("Cannot create a temporary folder for the fuzzer's inputs");
      atexit (remove_folder);
    }

  path = g_build_filename (folder, name, NULL);
  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0)
    g_error ("Cannot write %s: %s", path, g_strerror (errno));

  for (size_t done = 0; done < size;)
    {
      ssize_t written = write (fd, data + done, size - done);

      if (written < 0 && errno != EINTR)
        g_error ("Cannot write %s: %s", path, g_strerror (errno));
      if (written > 0)
        done += (size_t) written;
    }
  close (fd);

  return g_file_new_for_path (path);
}
