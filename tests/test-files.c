/* test-files.c: temporary files for tests that read and write real files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "test-files.h"

/* Returns: (transfer full): a new empty folder under the temporary dir. */
char *
test_files_make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("sparse-trainer-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

/* Writes @contents (@length bytes, or up to the NUL for -1) to DIR/NAME.
 * Returns: (transfer full): the path. */
char *
test_files_write (const char *dir,
                  const char *name,
                  const char *contents,
                  gssize      length)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  return path;
}

/* Returns: (transfer full): DIR/NAME as a GFile. */
GFile *
test_files_get (const char *dir,
                const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return g_file_new_for_path (path);
}

/* Deletes the files in @dir, then @dir; the tests make no subfolders. */
void
test_files_remove_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}
