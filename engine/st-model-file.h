/* st-model-file.h: the single-file model format
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "st-trainer.h"
#include "st-types.h"

G_BEGIN_DECLS

/* docs/model-format.md describes the format. */
#define ST_MODEL_FORMAT_VERSION 3

/* Conventional file name extension, with the dot. */
#define ST_MODEL_EXTENSION ".stmodel"

/* Everything a model file holds: the network with its optimizer state
 * and input standardization, and, when it was trained, the settings,
 * the progress, the class names and the cost history. */
typedef struct
{
  StNetwork *network;          /* owned */
  gboolean has_training;       /* the next four members are meaningful */
  StTrainSettings settings;
  guint epoch;                 /* epochs completed */
  guint64 step;                /* steps taken */
  StHistory *history;          /* owned, or NULL */
  char **class_names;          /* owned, NULL-terminated, or NULL */
} StModel;

/* Called now and then during a long read or write with the share done,
 * from 0 to 1, on the thread that reads or writes. */
typedef void (*StProgressFunc) (double   fraction,
                                gpointer user_data);

StModel   *st_model_new   (StNetwork        *network);
void       st_model_free  (StModel          *model);
gboolean   st_model_write (const StModel    *model,
                           const char       *path,
                           StProgressFunc    progress,
                           gpointer          progress_data,
                           GCancellable     *cancellable,
                           GError          **error);
StModel   *st_model_read  (GFile            *file,
                           StProgressFunc    progress,
                           gpointer          progress_data,
                           GCancellable     *cancellable,
                           GError          **error);

gboolean   st_model_save  (const StNetwork  *network,
                           const char       *path,
                           GError          **error);
StNetwork *st_model_load  (GFile            *file,
                           GCancellable     *cancellable,
                           GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StModel, st_model_free)

G_END_DECLS
