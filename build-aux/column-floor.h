/* column-floor.h: the memory work of a step that walks W by columns
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "st-mtx.h"
#include "st-parallel.h"

double column_floor_seconds (StParallel   *team,
                             const StMtx  *mtx,
                             const double *x,
                             guint         batch,
                             guint         ahead,
                             guint         steps);
