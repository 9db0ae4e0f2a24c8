/* st-cli.h: shared parts of the sparse-trainer-cli commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "st-engine.h"

G_BEGIN_DECLS

/* Exit statuses: 0 success, 1 a failure while working, 2 a usage error. */
#define ST_CLI_EXIT_FAILURE 1
#define ST_CLI_EXIT_USAGE   2

typedef int (*StCliCommand) (int argc, char **argv);

int         st_cli_new         (int argc, char **argv);
int         st_cli_train       (int argc, char **argv);
int         st_cli_grad        (int argc, char **argv);
int         st_cli_export      (int argc, char **argv);
int         st_cli_bench       (int argc, char **argv);
int         st_cli_bench_io    (int argc, char **argv);
int         st_cli_bench_mlp   (int argc, char **argv);

GOptionContext *st_cli_option_context_new (const char   *parameters,
                                           const char   *summary,
                                           GOptionEntry *entries);
gboolean    st_cli_parse       (GOptionContext  *context,
                                int             *argc,
                                char          ***argv,
                                int              n_positional);
int         st_cli_fail        (const char      *context,
                                const GError    *error);
int         st_cli_usage_error (const char      *format,
                                ...) G_GNUC_PRINTF (1, 2);
void        st_cli_note_threads (int             threads);
gboolean    st_cli_check_at_least (const char    *option,
                                   int            value,
                                   int            minimum);
const char *st_cli_number      (double           value,
                                const char      *format,
                                char            *buffer);
StModel    *st_cli_read_model  (const char      *path);
StDataset  *st_cli_load_data   (const char      *path,
                                const StModel   *model);
gboolean    st_cli_parse_layout (const char     *text,
                                 StLayout       *layout);
gboolean    st_cli_make_dir    (const char      *path);

G_END_DECLS
