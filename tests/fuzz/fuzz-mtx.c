/* fuzz-mtx.c: the Matrix Market reader on arbitrary bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Any input must give a matrix or an error.  A matrix that reads must
 * become a layer in every layout, and the coordinate file written from
 * it must read back with the same entries, bit for bit.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "fuzz-input.h"
#include "st-engine.h"

/* Layers are built only for matrices this small, to keep each input
 * fast; the reader itself never allocates rows x columns. */
#define MAX_LAYER_SIDE 4096

static void
check_layers (const StMtx *mtx)
{
  static const StLayout layouts[] = { ST_LAYOUT_CSR, ST_LAYOUT_CSC, ST_LAYOUT_COO };

  if (mtx->rows > MAX_LAYER_SIDE || mtx->cols > MAX_LAYER_SIDE)
    return;

  for (guint k = 0; k < G_N_ELEMENTS (layouts); k++)
    {
      g_autoptr(GError) error = NULL;
      StLayer *layer = st_mtx_to_layer (mtx, layouts[k], &error);

      /* An empty matrix is a valid file but not a valid layer. */
      if (layer == NULL)
        {
          g_assert (error != NULL);
          continue;
        }

      g_assert (st_layer_get_nnz (layer) == mtx->nnz);
      st_layer_free (layer);
    }
}

static void
check_round_trip (const StMtx *mtx,
                  GFile       *original)
{
  g_autoptr(GFile) folder = g_file_get_parent (original);
  g_autoptr(GFile) copy = g_file_get_child (folder, "copy.mtx");
  g_autofree char *path = g_file_get_path (copy);
  g_autoptr(StMtx) again = NULL;
  g_autoptr(GError) error = NULL;
  gsize n = mtx->nnz;

  if (!st_mtx_write_coordinate (path, mtx->rows, mtx->cols, n, mtx->row, mtx->col,
                                mtx->value, &error))
    g_error ("A matrix that reads cannot be written: %s", error->message);

  again = st_mtx_read (copy, NULL, &error);
  if (again == NULL)
    g_error ("A written matrix cannot be read back: %s", error->message);

  g_assert (again->rows == mtx->rows && again->cols == mtx->cols && again->nnz == n);
  g_assert (memcmp (again->row, mtx->row, n * sizeof (guint)) == 0);
  g_assert (memcmp (again->col, mtx->col, n * sizeof (guint)) == 0);
  g_assert (memcmp (again->value, mtx->value, n * sizeof (double)) == 0);

  g_unlink (path);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GFile) file = fuzz_input_write ("input.mtx", data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(StMtx) mtx = st_mtx_read (file, NULL, &error);

  if (mtx == NULL)
    {
      g_assert (error != NULL);
      return 0;
    }

  check_layers (mtx);
  check_round_trip (mtx, file);
  return 0;
}
