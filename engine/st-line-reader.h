/* st-line-reader.h: numbered text lines from a file, gzip or not
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _StLineReader StLineReader;

/* Longest line accepted, in bytes; longer lines are an error rather
 * than an unbounded allocation. */
#define ST_LINE_READER_MAX_LINE (16 * 1024 * 1024)

StLineReader *st_line_reader_new        (GFile         *file,
                                         GCancellable  *cancellable,
                                         GError       **error);
void          st_line_reader_free       (StLineReader  *reader);
const char   *st_line_reader_next       (StLineReader  *reader,
                                         gsize         *length,
                                         GError       **error);
guint64       st_line_reader_get_line_number (const StLineReader *reader);
const char   *st_line_reader_get_name   (const StLineReader *reader);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StLineReader, st_line_reader_free)

G_END_DECLS
