/* fuzz-input.h: hand a fuzzer's bytes to a reader as a real file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

/* The entry point that libFuzzer calls, and that the replay driver calls
 * once for each file of a corpus. */
int    LLVMFuzzerTestOneInput (const uint8_t *data,
                               size_t         size);

GFile *fuzz_input_write       (const char    *name,
                               const uint8_t *data,
                               size_t         size);

G_END_DECLS
