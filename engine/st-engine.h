/* st-engine.h: the Sparse Trainer engine, one include for its users
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine trains networks of sparse layers with fixed patterns.  It
 * depends on GLib, GIO, GSL and JSON-GLib, never on GTK, so the command
 * line tool and the tests use it without a display.
 */

#pragma once

#include "st-types.h"
#include "st-error.h"
#include "st-dataset.h"
#include "st-gradient-check.h"
#include "st-history.h"
#include "st-layer.h"
#include "st-model-file.h"
#include "st-mtx.h"
#include "st-network.h"
#include "st-number.h"
#include "st-optimizer.h"
#include "st-pattern.h"
#include "st-random.h"
#include "st-schedule.h"
#include "st-snapshot.h"
#include "st-trainer.h"
