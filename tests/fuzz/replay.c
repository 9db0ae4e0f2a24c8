/* replay.c: run a fuzz target over the files of a corpus
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Linked with one target in place of libFuzzer, so that `meson test`
 * replays the committed corpus with any compiler.  Prints TAP, one line
 * per file.
 *
 * Usage: replay-TARGET CORPUS_DIR
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "fuzz-input.h"

static gint
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (argc != 2)
    {
      fprintf (stderr, "Usage: %s CORPUS_DIR\n", argv[0]);
      return 2;
    }

  dir = g_dir_open (argv[1], 0, &error);
  if (dir == NULL)
    {
      printf ("Bail out! %s\n", error->message);
      return 1;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  printf ("1..%u\n", names->len);
  for (guint k = 0; k < names->len; k++)
    {
      g_autofree char *path = g_build_filename (argv[1], names->pdata[k], NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (!g_file_get_contents (path, &contents, &length, &error))
        {
          printf ("Bail out! %s\n", error->message);
          return 1;
        }

      /* A failing input ends the process with an assertion, so reaching
       * the next line is the pass. */
      LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
      printf ("ok %u %s\n", k + 1, (const char *) names->pdata[k]);
      fflush (stdout);
    }

  return 0;
}
