/* st-model-file.h: the single-file model format
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "st-types.h"

G_BEGIN_DECLS

/* docs/model-format.md describes the format. */
#define ST_MODEL_FORMAT_VERSION 2

/* Conventional file name extension, with the dot. */
#define ST_MODEL_EXTENSION ".stmodel"

gboolean   st_model_save (const StNetwork  *network,
                          const char       *path,
                          GError          **error);
StNetwork *st_model_load (GFile            *file,
                          GCancellable     *cancellable,
                          GError          **error);

G_END_DECLS
