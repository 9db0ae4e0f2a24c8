/* test-atomic-save.c: a save replaces the whole file or nothing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Saves are killed at random moments, run out of file space, and meet a
 * read-only folder.  Each time the target must hold either the old bytes
 * or the complete new ones, and no temporary file may stay behind.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <linux/fs.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "st-engine.h"
#include "test-files.h"

#define N_KILLS 50

/* A model big enough that one save takes some milliseconds. */
static StNetwork *
big_network (guint64 seed)
{
  g_autoptr(gsl_rng) rng = st_random_new (seed);
  StNetwork *network = st_network_new (ST_LOSS_HALF_MSE);
  StLayer *layer = st_pattern_new_random (1000, 1000, 0.2, ST_LAYOUT_CSR, rng, NULL);

  st_init_weights (layer, ST_INIT_LECUN_UNIFORM, rng);
  g_assert_true (st_network_append_layer (network, layer, NULL));
  return network;
}

static GBytes *
contents_of (const char *path)
{
  char *data = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &data, &length, NULL))
    return NULL;
  return g_bytes_new_take (data, length);
}

/* Returns: the names in @dir other than @keep. */
static guint
count_other_files (const char *dir,
                   const char *keep)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint count = 0;

  while ((name = g_dir_read_name (handle)) != NULL)
    if (strcmp (name, keep) != 0)
      count++;

  return count;
}

/* A child saves the two models in turn, forever; the parent kills it at
 * a random moment.  The file must then be one of them, whole. */
static void
test_killed_mid_save (void)
{
  g_autofree char *dir = test_files_make_dir ();
  g_autofree char *path = g_build_filename (dir, "model.stmodel", NULL);
  g_autoptr(StNetwork) first = big_network (1);
  g_autoptr(StNetwork) second = big_network (2);
  g_autoptr(GBytes) first_bytes = NULL;
  g_autoptr(GBytes) second_bytes = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  guint saw_first = 0;
  guint saw_second = 0;

  g_assert_true (st_model_save (second, path, NULL));
  second_bytes = contents_of (path);
  g_assert_true (st_model_save (first, path, NULL));
  first_bytes = contents_of (path);
  g_assert_false (g_bytes_equal (first_bytes, second_bytes));

  for (guint round = 0; round < N_KILLS; round++)
    {
      g_autoptr(GBytes) now = NULL;
      pid_t child = fork ();
      int status;

      g_assert_cmpint (child, >=, 0);
      if (child == 0)
        {
          for (guint k = 0;; k++)
            st_model_save (k % 2 ? first : second, path, NULL);
        }

      g_usleep (g_rand_int_range (rand, 1000, 60000));
      kill (child, SIGKILL);
      g_assert_cmpint (waitpid (child, &status, 0), ==, child);

      now = contents_of (path);
      g_assert_nonnull (now);
      if (g_bytes_equal (now, first_bytes))
        saw_first++;
      else if (g_bytes_equal (now, second_bytes))
        saw_second++;
      else
        g_error ("After kill %u the file is neither save (%" G_GSIZE_FORMAT " bytes)",
                 round + 1, g_bytes_get_size (now));

      /* The data has no name until the last moment; a name left by a kill
       * in that moment is removed by the next save. */
      g_assert_cmpuint (count_other_files (dir, "model.stmodel"), <=, 1);
    }

  g_assert_true (st_model_save (first, path, NULL));
  g_assert_cmpuint (count_other_files (dir, "model.stmodel"), ==, 0);
  g_test_message ("%u kills found the first model, %u the second", saw_first, saw_second);
  g_assert_cmpuint (saw_first + saw_second, ==, N_KILLS);

  test_files_remove_dir (dir);
}

/* A limit on file size makes the write fail part way, as a full disk
 * would: the error names the file, the old bytes stay, nothing is left. */
static void
test_disk_full (void)
{
  g_autofree char *dir = test_files_make_dir ();
  g_autofree char *path = g_build_filename (dir, "model.stmodel", NULL);
  g_autoptr(StNetwork) small = st_network_new (ST_LOSS_HALF_MSE);
  g_autoptr(StNetwork) big = big_network (3);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  const guint rows[] = { 0 };
  struct rlimit saved;
  struct rlimit limited;
  void (*saved_handler) (int);

  g_assert_true (st_network_append_layer (small, st_layer_new (1, 1, 1, rows, rows, NULL,
                                                               ST_LAYOUT_CSR, NULL), NULL));
  g_assert_true (st_model_save (small, path, NULL));
  before = contents_of (path);

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  limited = saved;
  limited.rlim_cur = 64 * 1024;
  saved_handler = signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limited), ==, 0);

  g_assert_false (st_model_save (big, path, &error));

  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  signal (SIGXFSZ, saved_handler);

  g_assert_error (error, ST_ERROR, ST_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "model.stmodel"));
  after = contents_of (path);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_cmpuint (count_other_files (dir, "model.stmodel"), ==, 0);

  test_files_remove_dir (dir);
}

/* Make @dir refuse new files: the immutable flag for root, who is not
 * stopped by permissions, and mode 0555 for everyone else. */
static gboolean
set_read_only (const char *dir,
               gboolean    read_only)
{
  if (geteuid () == 0)
    {
      int fd = open (dir, O_RDONLY | O_DIRECTORY);
      int flags = 0;
      gboolean ok;

      if (fd < 0)
        return FALSE;
      ok = ioctl (fd, FS_IOC_GETFLAGS, &flags) == 0;
      flags = read_only ? flags | FS_IMMUTABLE_FL : flags & ~FS_IMMUTABLE_FL;
      ok = ok && ioctl (fd, FS_IOC_SETFLAGS, &flags) == 0;
      close (fd);
      return ok;
    }

  return g_chmod (dir, read_only ? 0555 : 0755) == 0;
}

static void
test_read_only_folder (void)
{
  g_autofree char *dir = test_files_make_dir ();
  g_autofree char *path = g_build_filename (dir, "weights.mtx", NULL);
  const guint rows[] = { 0, 1 };
  const guint cols[] = { 1, 0 };
  const double values[] = { 0.5, 0.5 };
  const double changed[] = { 0.25, 0.75 };
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (st_mtx_write_coordinate (path, 2, 2, 2, rows, cols, values, NULL));
  before = contents_of (path);

  if (!set_read_only (dir, TRUE))
    {
      g_test_skip ("This file system cannot make a folder read-only for this user");
      test_files_remove_dir (dir);
      return;
    }

  g_assert_false (st_mtx_write_coordinate (path, 2, 2, 2, rows, cols, changed, &error));
  g_assert_true (set_read_only (dir, FALSE));

  g_assert_error (error, ST_ERROR, ST_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "weights.mtx"));
  after = contents_of (path);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_cmpuint (count_other_files (dir, "weights.mtx"), ==, 0);

  test_files_remove_dir (dir);
}

/* A save keeps the old file's permissions. */
static void
test_keeps_mode (void)
{
  g_autofree char *dir = test_files_make_dir ();
  g_autofree char *path = g_build_filename (dir, "weights.mtx", NULL);
  const guint rows[] = { 0 };
  const double values[] = { 1.0 };
  struct stat info;

  g_assert_true (st_mtx_write_coordinate (path, 1, 1, 1, rows, rows, values, NULL));
  g_assert_cmpint (g_chmod (path, 0640), ==, 0);
  g_assert_true (st_mtx_write_coordinate (path, 1, 1, 1, rows, rows, values, NULL));

  g_assert_cmpint (g_stat (path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0640);

  test_files_remove_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/atomic-save/killed-mid-save", test_killed_mid_save);
  g_test_add_func ("/engine/atomic-save/disk-full", test_disk_full);
  g_test_add_func ("/engine/atomic-save/read-only-folder", test_read_only_folder);
  g_test_add_func ("/engine/atomic-save/keeps-mode", test_keeps_mode);

  return g_test_run ();
}
