/* st-window.h: the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "st-autosave.h"
#include "st-engine.h"

G_BEGIN_DECLS

#define ST_TYPE_WINDOW (st_window_get_type ())

G_DECLARE_FINAL_TYPE (StWindow, st_window, ST, WINDOW, AdwApplicationWindow)

/* Formats of the heat map and cost plot exports. */
typedef enum
{
  ST_EXPORT_PNG,
  ST_EXPORT_SVG,
  ST_EXPORT_PDF,
  ST_EXPORT_CSV,   /* the cost history only */
} StExportFormat;

StWindow  *st_window_new              (GtkApplication *application);
StNetwork *st_window_copy_network     (StWindow       *self);
gboolean   st_window_get_modified     (StWindow       *self);
gboolean   st_window_get_has_file     (StWindow       *self);
gboolean   st_window_get_busy         (StWindow       *self);
guint      st_window_get_n_frames     (StWindow       *self);

/* These replace the model or data set without asking about unsaved
 * changes (the window's actions ask first).  On failure they show an
 * error dialog, leave everything as it was and return FALSE. */
gboolean   st_window_open_model       (StWindow       *self,
                                       GFile          *file);
gboolean   st_window_import_pattern   (StWindow       *self,
                                       GFile          *file);
gboolean   st_window_open_dataset     (StWindow       *self,
                                       GFile          *file);
gboolean   st_window_open_file        (StWindow       *self,
                                       GFile          *file);
void       st_window_open_files       (StWindow       *self,
                                       GFile         **files,
                                       guint           n_files);
gboolean   st_window_open_lesson      (StWindow       *self,
                                       const char     *id);
gboolean   st_window_save_model       (StWindow       *self,
                                       GFile          *file);
gboolean   st_window_export_pattern   (StWindow       *self,
                                       GFile          *file);
gboolean   st_window_export_gradient  (StWindow       *self,
                                       GFile          *file);
gboolean   st_window_export_heatmap   (StWindow       *self,
                                       GFile          *file,
                                       StExportFormat  format);
gboolean   st_window_export_cost      (StWindow       *self,
                                       GFile          *file,
                                       StExportFormat  format);
gboolean   st_window_restore_frame    (StWindow       *self,
                                       guint           index);
gboolean   st_window_recover_autosave (StWindow       *self,
                                       StAutosave     *leftover,
                                       GError        **error);

G_END_DECLS
