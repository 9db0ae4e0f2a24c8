/* test-memory.c: alignment and zeros of the arrays the kernels gather from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The kernels load 64 bytes at a time from rows of the input batch and of
 * each layer's activations.  An array that starts off a cache line makes
 * every such load read two lines, so these arrays must start on one.
 */

#include "config.h"

#include <string.h>

#include "st-memory.h"

#define HUGE_PAGE_BYTES (2 * 1024 * 1024)

/* Sizes in doubles: under one page, across a few pages, the 256 KiB of a
 * 1024 x 32 batch, and over one huge page. */
static const gsize sizes[] = { 1, 7, 513, 5000, 32768, 300000 };

static gsize
alignment_for (gsize n_doubles)
{
  return n_doubles * sizeof (double) >= HUGE_PAGE_BYTES ? HUGE_PAGE_BYTES : ST_CACHE_LINE_BYTES;
}

static void
test_gathered_alignment (void)
{
  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      g_autofree double *array = st_memory_new_gathered (sizes[k]);

      g_test_message ("%" G_GSIZE_FORMAT " doubles", sizes[k]);
      g_assert_cmpuint ((guintptr) array % alignment_for (sizes[k]), ==, 0);

      /* The first and last elements can be written and read back. */
      array[0] = 1.5;
      g_assert_cmpfloat (array[0], ==, 1.5);
      array[sizes[k] - 1] = -2.5;
      g_assert_cmpfloat (array[sizes[k] - 1], ==, -2.5);
    }
}

static gboolean
all_zero (const double *array,
          gsize         n_doubles)
{
  for (gsize i = 0; i < n_doubles; i++)
    if (array[i] != 0.0)
      return FALSE;

  return TRUE;
}

/* Zeros on a fresh allocation, and again where malloc() hands back the
 * memory of an array that was just filled and freed: the pages dropped
 * by the kernel and the partial pages zeroed by hand. */
static void
test_zeroed_workspace (void)
{
  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      gsize n = sizes[k];

      for (guint round = 0; round < 3; round++)
        {
          double *array = st_memory_try_new_gathered0 (n);

          g_test_message ("%" G_GSIZE_FORMAT " doubles, round %u", n, round);
          g_assert_nonnull (array);
          g_assert_cmpuint ((guintptr) array % alignment_for (n), ==, 0);
          g_assert_true (all_zero (array, n));

          memset (array, 0xff, n * sizeof (double));
          g_free (array);
        }
    }
}

static void
test_zeroed_too_large (void)
{
  g_assert_null (st_memory_try_new_gathered0 (G_MAXSIZE / sizeof (double) + 1));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/memory/gathered-alignment", test_gathered_alignment);
  g_test_add_func ("/engine/memory/zeroed-workspace", test_zeroed_workspace);
  g_test_add_func ("/engine/memory/zeroed-too-large", test_zeroed_too_large);

  return g_test_run ();
}
