/* st-number.h: locale-independent number parsing and printing for files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Enough for the longest "%.17g" of a double, with sign and exponent. */
#define ST_DOUBLE_BUFFER_SIZE 32

gboolean    st_parse_double  (const char *text,
                              double     *value);
gboolean    st_parse_uint64  (const char *text,
                              guint64    *value);
const char *st_format_double (double      value,
                              char       *buffer);

G_END_DECLS
