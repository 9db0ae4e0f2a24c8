/* st-process-memory.c: this process's resident memory, for the benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Linux reports the resident set (VmRSS) and its peak (VmHWM) in
 * /proc/self/status, in KiB.  Elsewhere both read as 0.
 */

#define G_LOG_DOMAIN "cli"

#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "st-process-memory.h"

static guint64
read_status_field (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;

  line = strstr (status, field);
  if (line == NULL)
    return 0;

  return g_ascii_strtoull (line + strlen (field), NULL, 10) * 1024;
}

/* Returns: the resident set of this process now, in bytes. */
guint64
st_process_get_rss (void)
{
  return read_status_field ("VmRSS:");
}

/* Returns: the largest resident set since the start or the last
 * st_process_reset_peak_rss(), in bytes. */
guint64
st_process_get_peak_rss (void)
{
  return read_status_field ("VmHWM:");
}

/**
 * st_process_reset_peak_rss:
 *
 * Gives freed memory back to the system and starts a new peak at the
 * current resident set, so that one phase of a benchmark can be measured
 * on its own.  Writing 5 to /proc/self/clear_refs resets the peak on
 * Linux 4.0 and later; elsewhere the peak keeps counting from the start.
 */
void
st_process_reset_peak_rss (void)
{
  FILE *clear_refs;
  gboolean written;

  malloc_trim (0);

  /* Not g_file_set_contents(): it writes a new file and renames it. */
  clear_refs = fopen ("/proc/self/clear_refs", "w");
  if (clear_refs == NULL)
    {
      g_debug ("Cannot open /proc/self/clear_refs to reset the peak resident set");
      return;
    }

  written = fputs ("5", clear_refs) >= 0;
  if (fclose (clear_refs) != 0 || !written)
    g_debug ("Cannot reset the peak resident set through /proc/self/clear_refs");
}
