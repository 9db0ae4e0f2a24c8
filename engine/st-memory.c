/* st-memory.c: checks that a requested size fits in this machine's memory
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
