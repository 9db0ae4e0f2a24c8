/* st-model-reader.h: the low-level part of reading model files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define ST_MODEL_MAGIC "sparse-trainer-model"

/* A model file being read: the buffered stream and where it is. */
typedef struct
{
  GInputStream *stream;
  GCancellable *cancellable;
  char *name;          /* the file's base name, for messages */
  guint64 position;    /* bytes read past the header line */
  guint64 header_bytes; /* bytes of the first two lines, newlines included */
  guint64 size;         /* bytes in the file, or G_MAXUINT64 when unknown */
  guint version;       /* from the first line */
} StModelReader;

gboolean    st_model_reader_open      (StModelReader  *reader,
                                       GFile          *file,
                                       GCancellable   *cancellable,
                                       GError        **error);
void        st_model_reader_clear     (StModelReader  *reader);
JsonNode   *st_model_reader_read_header (StModelReader *reader,
                                         GError       **error);
gboolean    st_model_reader_read_at   (StModelReader  *reader,
                                       guint64         offset,
                                       void           *target,
                                       gsize           bytes,
                                       const char     *context,
                                       const char     *name,
                                       GError        **error);
gboolean    st_model_reader_fail      (StModelReader  *reader,
                                       GError        **error,
                                       const char     *format,
                                       ...) G_GNUC_PRINTF (3, 4);

gboolean    st_model_reader_get_uint  (StModelReader  *reader,
                                       JsonObject     *object,
                                       const char     *context,
                                       const char     *name,
                                       guint64         max,
                                       guint64        *value,
                                       GError        **error);
gboolean    st_model_reader_get_double (StModelReader *reader,
                                        JsonObject    *object,
                                        const char    *context,
                                        const char    *name,
                                        double        *value,
                                        GError       **error);
gboolean    st_model_reader_get_boolean (StModelReader *reader,
                                         JsonObject    *object,
                                         const char    *context,
                                         const char    *name,
                                         gboolean      *value,
                                         GError       **error);
const char *st_model_reader_get_string (StModelReader *reader,
                                        JsonObject    *object,
                                        const char    *context,
                                        const char    *name,
                                        GError       **error);
JsonObject *st_model_reader_get_object (StModelReader *reader,
                                        JsonObject    *object,
                                        const char    *context,
                                        const char    *name,
                                        GError       **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StModelReader, st_model_reader_clear)

G_END_DECLS
