/* st-memory.c: size checks against this machine's memory, and page advice
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Linux overcommits memory, so a huge malloc() may succeed and the
 * process is killed later when the pages are touched.  Readers therefore
 * compare the size a file declares with the physical memory before they
 * allocate anything for it.
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "st-error.h"
#include "st-memory.h"

/* Returns: the machine's physical memory in bytes, or G_MAXUINT64 when
 * the system does not say. */
guint64
st_memory_get_physical (void)
{
  long pages = sysconf (_SC_PHYS_PAGES);
  long page_size = sysconf (_SC_PAGE_SIZE);

  if (pages <= 0 || page_size <= 0)
    return G_MAXUINT64;

  return (guint64) pages * (guint64) page_size;
}

/**
 * st_memory_check:
 * @bytes: the estimated memory need
 * @purpose: what the memory is for, which picks the message
 * @error: return location for an error
 *
 * Returns: %FALSE with @error set when @bytes exceeds the physical memory
 */
gboolean
st_memory_check (guint64          bytes,
                 StMemoryPurpose  purpose,
                 GError         **error)
{
  guint64 physical = st_memory_get_physical ();
  double needed_gib = (double) bytes / (1024.0 * 1024.0 * 1024.0);
  double physical_gib = (double) physical / (1024.0 * 1024.0 * 1024.0);

  if (bytes <= physical)
    return TRUE;

  switch (purpose)
    {
    case ST_MEMORY_FOR_MATRIX:
      g_set_error (error, ST_ERROR, ST_ERROR_TOO_LARGE,
                   _("Reading this matrix needs about %.1f GiB, but this machine has "
                     "%.1f GiB of memory"), needed_gib, physical_gib);
      break;
    case ST_MEMORY_FOR_MODEL:
      g_set_error (error, ST_ERROR, ST_ERROR_TOO_LARGE,
                   _("Loading this model needs about %.1f GiB, but this machine has "
                     "%.1f GiB of memory"), needed_gib, physical_gib);
      break;
    case ST_MEMORY_FOR_LAYER:
    default:
      g_set_error (error, ST_ERROR, ST_ERROR_TOO_LARGE,
                   _("A layer of this size needs about %.1f GiB, but this machine has "
                     "%.1f GiB of memory"), needed_gib, physical_gib);
      break;
    }
  return FALSE;
}

/* The size of a transparent huge page on x86-64, and on ARM64 with 4 KiB
 * base pages. */
#define HUGE_PAGE_BYTES ((guintptr) 2 * 1024 * 1024)

/**
 * st_memory_advise_gathered:
 * @memory: an array that kernels read at random rows, such as a batch of
 *   inputs or a hidden layer's activations
 * @bytes: its size
 *
 * Asks the kernel for transparent huge pages in the whole 2 MiB pages
 * inside @memory.  With 4 KiB pages, nearly every row gathered from a
 * large array needs its own address translation, and the translation
 * cache has room for a few thousand.  Pages not yet touched stay
 * unallocated, so the advice costs no memory.  It changes only speed:
 * where the kernel ignores it, the array works the same.
 */
void
st_memory_advise_gathered (gpointer memory,
                           gsize    bytes)
{
#ifdef MADV_HUGEPAGE
  guintptr first = ((guintptr) memory + HUGE_PAGE_BYTES - 1) & ~(HUGE_PAGE_BYTES - 1);
  guintptr end = ((guintptr) memory + bytes) & ~(HUGE_PAGE_BYTES - 1);

  if (memory != NULL && end > first)
    madvise ((void *) first, end - first, MADV_HUGEPAGE);
#endif
}

/* Returns: @n_doubles doubles, not initialized, that start on a cache
 * line, or on a huge page boundary from 2 MiB on, with huge pages
 * advised; %NULL when memory runs out.
 *
 * glibc's malloc() aligns to 16 bytes only.  A row of 32 doubles then
 * spans 5 cache lines instead of 4, and every 64-byte load of it reads
 * two.  The 1024 x 1024 training step at batch 32, whose inputs are too
 * small for huge page alignment, took 1.3 times as long that way. */
static double *
try_new_aligned (gsize n_doubles)
{
  gsize bytes = MAX (n_doubles, 1) * sizeof (double);
  void *memory = NULL;

  if (n_doubles > G_MAXSIZE / sizeof (double) ||
      posix_memalign (&memory, bytes < HUGE_PAGE_BYTES ? ST_CACHE_LINE_BYTES : HUGE_PAGE_BYTES,
                      bytes) != 0)
    return NULL;

  st_memory_advise_gathered (memory, bytes);
  return memory;
}

/**
 * st_memory_new_gathered:
 * @n_doubles: the array's length
 *
 * Allocates an array that kernels read at random rows and that the
 * caller fills at once, such as a batch of inputs.  It starts on a
 * cache line, and an array of 2 MiB or more on a huge page boundary,
 * so that st_memory_advise_gathered() covers all of it.  Aborts when
 * memory runs out, as g_new() does.
 *
 * Returns: (transfer full): the array, not initialized, for g_free()
 */
double *
st_memory_new_gathered (gsize n_doubles)
{
  double *memory = try_new_aligned (n_doubles);

  if (memory == NULL)
    g_error ("Cannot allocate %" G_GSIZE_FORMAT " doubles: not enough memory", n_doubles);

  return memory;
}

/**
 * st_memory_try_new_gathered0:
 * @n_doubles: the array's length
 *
 * Allocates an array of zeros aligned as st_memory_new_gathered() aligns
 * it, such as the activations of a layer that the next layer gathers.
 * Whole pages are zeroed by the kernel when first touched, as with
 * calloc(), so the pages that training never writes cost no memory.
 *
 * Returns: (transfer full) (nullable): the array for g_free(), or %NULL
 * when memory runs out
 */
double *
st_memory_try_new_gathered0 (gsize n_doubles)
{
  double *memory = try_new_aligned (n_doubles);
  gsize bytes = MAX (n_doubles, 1) * sizeof (double);
  guintptr page = (guintptr) sysconf (_SC_PAGE_SIZE);
  guintptr start = (guintptr) memory;
  guintptr first;
  guintptr end;

  if (memory == NULL)
    return NULL;

  first = (start + page - 1) & ~(page - 1);
  end = (start + bytes) & ~(page - 1);

  /* MADV_DONTNEED gives private anonymous memory, such as malloc()'s,
   * fresh zero pages on the next touch.  The parts of pages at either
   * end are zeroed by hand. */
  if (end > first && madvise ((void *) first, end - first, MADV_DONTNEED) == 0)
    {
      memset (memory, 0, first - start);
      memset ((void *) end, 0, start + bytes - end);
    }
  else
    {
      memset (memory, 0, bytes);
    }

  return memory;
}
