/* st-autosave.h: the files that keep unsaved work across a crash
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Default seconds between two autosaves of a window with unsaved changes. */
#define ST_AUTOSAVE_DEFAULT_INTERVAL 60.0

/* The environment variable that overrides it; 0 turns autosaving off. */
#define ST_AUTOSAVE_INTERVAL_ENV "SPARSE_TRAINER_AUTOSAVE_INTERVAL"

/* One window's autosave: the model, a key file that describes it, and a
 * lock that the window's process holds while it runs. */
typedef struct
{
  char *id;           /* names the three files */
  char *model_path;   /* <id>.stmodel */
  char *info_path;    /* <id>.ini */
  char *lock_path;    /* <id>.lock */
  int lock_fd;        /* locked by this process, or -1 */
} StAutosave;

guint        st_autosave_get_interval_ms (void);
const char  *st_autosave_get_folder      (void);
StAutosave  *st_autosave_new             (void);
void         st_autosave_free            (StAutosave  *autosave);
gboolean     st_autosave_lock            (StAutosave  *autosave,
                                          GError     **error);
void         st_autosave_remove          (StAutosave  *autosave);
gboolean     st_autosave_take_over       (StAutosave  *autosave,
                                          StAutosave  *leftover,
                                          GError     **error);
GPtrArray   *st_autosave_find_leftovers  (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StAutosave, st_autosave_free)

G_END_DECLS
