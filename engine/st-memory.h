/* st-memory.h: size checks against this machine's memory, and page advice
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a checked size is for; each has its own message. */
typedef enum
{
  ST_MEMORY_FOR_MATRIX,  /* reading a Matrix Market file */
  ST_MEMORY_FOR_MODEL,   /* loading a model file */
  ST_MEMORY_FOR_LAYER,   /* building a layer */
} StMemoryPurpose;

guint64  st_memory_get_physical (void);
gboolean st_memory_check        (guint64          bytes,
                                 StMemoryPurpose  purpose,
                                 GError         **error);
void     st_memory_advise_gathered (gpointer      memory,
                                    gsize         bytes);
double  *st_memory_new_gathered    (gsize         n_doubles);
double  *st_memory_try_new_gathered0 (gsize       n_doubles);

/* The cache line size of x86 processors and of most ARM ones.  A larger
 * line would make alignment and padding to it less effective, never
 * wrong. */
#define ST_CACHE_LINE_BYTES 64

G_END_DECLS
