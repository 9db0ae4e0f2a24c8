/* st-file-writer.h: atomic file replacement through a temporary file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _StFileWriter StFileWriter;

StFileWriter *st_file_writer_new     (const char    *path,
                                      GError       **error);
gboolean      st_file_writer_write   (StFileWriter  *writer,
                                      const void    *data,
                                      gsize          length,
                                      GError       **error);
gboolean      st_file_writer_print   (StFileWriter  *writer,
                                      GError       **error,
                                      const char    *format,
                                      ...) G_GNUC_PRINTF (3, 4);
gboolean      st_file_writer_commit  (StFileWriter  *writer,
                                      GError       **error);
void          st_file_writer_abort   (StFileWriter  *writer);
guint64       st_file_writer_get_offset (const StFileWriter *writer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StFileWriter, st_file_writer_abort)

G_END_DECLS
