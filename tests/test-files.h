/* test-files.h: temporary files for tests that read and write real files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

char  *test_files_make_dir (void);
char  *test_files_write    (const char *dir,
                            const char *name,
                            const char *contents,
                            gssize      length);
GFile *test_files_get      (const char *dir,
                            const char *name);
void   test_files_remove_dir (const char *dir);

G_END_DECLS
