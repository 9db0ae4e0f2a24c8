/* st-generator-dialog.h: pattern generators with a live preview
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "st-engine.h"

G_BEGIN_DECLS

/* Called with a generated layer (edit mode) or network (new-network
 * mode), transfer full, when the user applies the dialog. */
typedef void (*StGeneratorApplyLayer)   (GtkWindow *parent,
                                         StLayer   *layer);
typedef void (*StGeneratorApplyNetwork) (GtkWindow *parent,
                                         StNetwork *network);

GtkWindow *st_generator_dialog_new_for_layer   (GtkWindow               *parent,
                                                guint                    rows,
                                                guint                    cols,
                                                StLayout                 layout,
                                                StGeneratorApplyLayer    apply);
GtkWindow *st_generator_dialog_new_for_network (GtkWindow               *parent,
                                                guint                    n_inputs,
                                                guint                    n_outputs,
                                                gboolean                 classification,
                                                GSettings               *settings,
                                                StGeneratorApplyNetwork  apply);
gboolean   st_generator_dialog_apply           (GtkWindow               *dialog);
void       st_generator_dialog_set_kind        (GtkWindow               *dialog,
                                                StPatternKind            kind);
void       st_generator_dialog_set_parameter   (GtkWindow               *dialog,
                                                const char              *name,
                                                double                   value);
void       st_generator_dialog_set_hidden      (GtkWindow               *dialog,
                                                const char              *widths);

G_END_DECLS
