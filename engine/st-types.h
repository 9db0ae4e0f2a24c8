/* st-types.h: shared enumerations and forward declarations of the engine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _StDataset  StDataset;
typedef struct _StHistory  StHistory;
typedef struct _StLayer    StLayer;
typedef struct _StNetwork  StNetwork;
typedef struct _StSnapshot StSnapshot;
typedef struct _StTrainer  StTrainer;

/* Storage of a layer's stored entries.  The three layouts hold the same
 * entries and give bit-identical results; they differ only in which
 * loops are cheap.
 *
 * CSR: entries grouped by row, each row sorted by column.
 * CSC: entries grouped by column, each column sorted by row.
 * COO: (row, column, value) triplets sorted by row, then column.
 */
typedef enum
{
  ST_LAYOUT_CSR,
  ST_LAYOUT_CSC,
  ST_LAYOUT_COO,
} StLayout;

#define ST_N_LAYOUTS 3

/* Element-wise nonlinearity applied after the sparse product.  Softmax
 * works across the units of one sample and is allowed only on the last
 * layer. */
typedef enum
{
  ST_ACTIVATION_IDENTITY,
  ST_ACTIVATION_TANH,
  ST_ACTIVATION_LOGISTIC,
  ST_ACTIVATION_RELU,
  ST_ACTIVATION_SOFTMAX,
} StActivation;

#define ST_N_ACTIVATIONS 5

/* ST_LOSS_HALF_MSE: the mean over all batch x output elements of
 * (y - t)^2, divided by 2.
 * ST_LOSS_SOFTMAX_CROSS_ENTROPY: -sum_i t_i log softmax(z)_i, averaged
 * over the batch; it needs a softmax output layer. */
typedef enum
{
  ST_LOSS_HALF_MSE,
  ST_LOSS_SOFTMAX_CROSS_ENTROPY,
} StLoss;

#define ST_N_LOSSES 2

const char *st_layout_to_string     (StLayout      layout);
gboolean    st_layout_from_string   (const char   *text,
                                     StLayout     *layout);
const char *st_activation_to_string (StActivation  activation);
gboolean    st_activation_from_string (const char   *text,
                                       StActivation *activation);
const char *st_loss_to_string       (StLoss        loss);
gboolean    st_loss_from_string     (const char   *text,
                                     StLoss       *loss);

G_END_DECLS
