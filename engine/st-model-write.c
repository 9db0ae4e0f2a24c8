/* st-model-write.c: writing model files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A model file is a text line "sparse-trainer-model VERSION", a second
 * line holding a JSON header, then the binary arrays the header
 * describes, little-endian, each starting at a multiple of 8 bytes from
 * the first byte after the header line.  docs/model-format.md is the
 * full description.  Arrays are written straight from the layers in
 * chunks, so saving needs no copy of the weights.
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "st-error.h"
#include "st-file-writer.h"
#include "st-history.h"
#include "st-layer-private.h"
#include "st-model-file.h"
#include "st-network.h"
#include "st-number.h"

#define MAGIC "sparse-trainer-model"

/* Elements gathered per write when an array is not in canonical order. */
#define CHUNK 65536

/* The columns of the history array, in this order. */
static const char *const history_columns[] = {
  "epoch", "step", "train_cost", "test_cost", "test_accuracy",
};

typedef struct
{
  StFileWriter *writer;
  StProgressFunc progress;
  gpointer progress_data;
  GCancellable *cancellable;
  guint64 total;            /* bytes of the binary section */
  guint64 written;
  gint64 last_report;       /* monotonic time of the last progress call */
} Output;

static guint64
align8 (guint64 offset)
{
  return (offset + 7) & ~(guint64) 7;
}

/* Describe one array in the header and advance the offset past it. */
static void
add_array_spec (JsonBuilder *builder,
                const char  *name,
                const char  *dtype,
                gsize        element_size,
                guint64      count,
                guint64     *offset)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "dtype");
  json_builder_add_string_value (builder, dtype);
  json_builder_set_member_name (builder, "offset");
  json_builder_add_int_value (builder, (gint64) *offset);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, (gint64) count);
  json_builder_end_object (builder);

  *offset = align8 (*offset + count * element_size);
}

/* Real numbers go in as strings with the shortest decimal that reads back
 * exactly: JSON-GLib 1.6 writes some doubles as invalid JSON ("1e-08.0")
 * and parses others one ulp off, and other JSON parsers round in their
 * own ways. */
static void
add_double_member (JsonBuilder *builder,
                   const char  *name,
                   double       value)
{
  char text[ST_DOUBLE_BUFFER_SIZE];

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, st_format_double (value, text));
}

static void
add_int_member (JsonBuilder *builder,
                const char  *name,
                gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_string_member (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

/* The settings a run used and how far it got. */
static void
add_training (JsonBuilder   *builder,
              const StModel *model)
{
  const StTrainSettings *settings = &model->settings;

  json_builder_set_member_name (builder, "training");
  json_builder_begin_object (builder);
  add_double_member (builder, "learning_rate", settings->learning_rate);
  add_int_member (builder, "batch_size", settings->batch_size);
  add_int_member (builder, "seed", (gint64) settings->seed);
  add_double_member (builder, "test_fraction", settings->test_fraction);
  add_double_member (builder, "max_norm", settings->max_norm);
  json_builder_set_member_name (builder, "standardize");
  json_builder_add_boolean_value (builder, settings->standardize);
  add_int_member (builder, "threads", settings->threads);
  add_int_member (builder, "epoch", model->epoch);
  add_int_member (builder, "step", (gint64) model->step);

  json_builder_set_member_name (builder, "optimizer");
  json_builder_begin_object (builder);
  add_string_member (builder, "kind", st_optimizer_kind_to_string (settings->optimizer.kind));
  add_double_member (builder, "momentum", settings->optimizer.momentum);
  add_double_member (builder, "beta1", settings->optimizer.beta1);
  add_double_member (builder, "beta2", settings->optimizer.beta2);
  add_double_member (builder, "epsilon", settings->optimizer.epsilon);
  add_double_member (builder, "weight_decay", settings->optimizer.weight_decay);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "schedule");
  json_builder_begin_object (builder);
  add_string_member (builder, "kind", st_schedule_kind_to_string (settings->schedule.kind));
  add_int_member (builder, "step_epochs", settings->schedule.step_epochs);
  add_double_member (builder, "gamma", settings->schedule.gamma);
  add_int_member (builder, "total_epochs", settings->schedule.total_epochs);
  add_double_member (builder, "min_rate", settings->schedule.min_rate);
  json_builder_end_object (builder);

  json_builder_end_object (builder);
}

static void
add_layer (JsonBuilder   *builder,
           const StLayer *layer,
           guint64       *offset)
{
  guint rows = st_layer_get_rows (layer);
  gsize nnz = st_layer_get_nnz (layer);
  static const char *const state_names[ST_LAYER_N_STATES] = { "state1", "state2" };
  static const char *const bias_state_names[ST_LAYER_N_STATES] = { "bias_state1", "bias_state2" };

  json_builder_begin_object (builder);
  add_int_member (builder, "rows", rows);
  add_int_member (builder, "cols", st_layer_get_cols (layer));
  add_int_member (builder, "nnz", (gint64) nnz);
  add_string_member (builder, "activation", st_activation_to_string (layer->activation));
  add_string_member (builder, "layout", st_layout_to_string (layer->layout));
  json_builder_set_member_name (builder, "bias");
  json_builder_add_boolean_value (builder, layer->bias != NULL);

  json_builder_set_member_name (builder, "arrays");
  json_builder_begin_object (builder);
  add_array_spec (builder, "row_ptr", "<i8", 8, (guint64) rows + 1, offset);
  add_array_spec (builder, "col_index", "<i4", 4, nnz, offset);
  add_array_spec (builder, "value", "<f8", 8, nnz, offset);
  if (layer->bias != NULL)
    add_array_spec (builder, "bias", "<f8", 8, rows, offset);
  for (guint s = 0; s < ST_LAYER_N_STATES; s++)
    {
      if (layer->weight_state[s] != NULL)
        add_array_spec (builder, state_names[s], "<f8", 8, nnz, offset);
      if (layer->bias != NULL && layer->bias_state[s] != NULL)
        add_array_spec (builder, bias_state_names[s], "<f8", 8, rows, offset);
    }
  json_builder_end_object (builder);

  json_builder_end_object (builder);
}

/* Returns: the header line; @binary_size receives the bytes of arrays. */
static char *
build_header (const StModel *model,
              guint64       *binary_size)
{
  const StNetwork *network = model->network;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  guint64 offset = 0;

  json_builder_begin_object (builder);
  add_string_member (builder, "format", MAGIC);
  add_int_member (builder, "version", ST_MODEL_FORMAT_VERSION);
  add_int_member (builder, "inputs", st_network_get_n_inputs (network));
  add_string_member (builder, "loss", st_loss_to_string (st_network_get_loss (network)));
  add_int_member (builder, "updates", (gint64) st_network_get_updates (network));

  if (st_network_get_input_mean (network) != NULL)
    {
      guint n_inputs = st_network_get_n_inputs (network);

      json_builder_set_member_name (builder, "standardization");
      json_builder_begin_object (builder);
      add_array_spec (builder, "mean", "<f8", 8, n_inputs, &offset);
      add_array_spec (builder, "scale", "<f8", 8, n_inputs, &offset);
      json_builder_end_object (builder);
    }

  if (model->class_names != NULL)
    {
      json_builder_set_member_name (builder, "class_names");
      json_builder_begin_array (builder);
      for (guint c = 0; model->class_names[c] != NULL; c++)
        json_builder_add_string_value (builder, model->class_names[c]);
      json_builder_end_array (builder);
    }

  if (model->has_training)
    add_training (builder, model);

  if (model->history != NULL && st_history_get_length (model->history) > 0)
    {
      json_builder_set_member_name (builder, "history");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "columns");
      json_builder_begin_array (builder);
      for (guint c = 0; c < G_N_ELEMENTS (history_columns); c++)
        json_builder_add_string_value (builder, history_columns[c]);
      json_builder_end_array (builder);
      add_int_member (builder, "rows", st_history_get_length (model->history));
      add_array_spec (builder, "values", "<f8", 8,
                      (guint64) G_N_ELEMENTS (history_columns) *
                      st_history_get_length (model->history), &offset);
      json_builder_end_object (builder);
    }

  json_builder_set_member_name (builder, "layers");
  json_builder_begin_array (builder);
  for (guint l = 0; l < st_network_get_n_layers (network); l++)
    add_layer (builder, st_network_get_layer (network, l), &offset);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, FALSE);

  *binary_size = offset;
  return json_generator_to_data (generator, NULL);
}

static gboolean
write_bytes (Output      *out,
             const void  *data,
             gsize        length,
             GError     **error)
{
  gint64 now;

  if (g_cancellable_set_error_if_cancelled (out->cancellable, error) ||
      !st_file_writer_write (out->writer, data, length, error))
    return FALSE;

  out->written += length;
  now = g_get_monotonic_time ();
  if (out->progress != NULL && now - out->last_report >= G_USEC_PER_SEC / 20)
    {
      out->progress (out->total > 0 ? (double) out->written / out->total : 1.0,
                     out->progress_data);
      out->last_report = now;
    }

  return TRUE;
}

static gboolean
write_padding (Output  *out,
               gsize    bytes,
               GError **error)
{
  static const guint8 zeros[8] = { 0 };
  gsize tail = (8 - bytes % 8) % 8;

  return write_bytes (out, zeros, tail, error);
}

/* Swap the bytes of @count elements of @size bytes in place; a no-op on
 * little-endian machines, which the format's byte order is. */
static void
to_little_endian (void  *data,
                  gsize  size,
                  gsize  count)
{
#if G_BYTE_ORDER == G_BIG_ENDIAN
  for (gsize k = 0; k < count; k++)
    {
      guint8 *element = (guint8 *) data + k * size;

      for (gsize a = 0, b = size - 1; a < b; a++, b--)
        {
          guint8 byte = element[a];

          element[a] = element[b];
          element[b] = byte;
        }
    }
#endif
}

/* Write array[position[e]] for e = 0..n-1 (array[e] when @position is
 * NULL), as little-endian doubles, then pad. */
static gboolean
write_doubles (Output        *out,
               const double  *array,
               const int     *position,
               gsize          n,
               GError       **error)
{
  g_autofree double *chunk = NULL;

  if (position == NULL && G_BYTE_ORDER == G_LITTLE_ENDIAN)
    {
      for (gsize first = 0; first < n; first += CHUNK)
        if (!write_bytes (out, array + first, sizeof (double) * MIN (CHUNK, n - first), error))
          return FALSE;
      return write_padding (out, sizeof (double) * n, error);
    }

  chunk = g_new (double, MIN (CHUNK, MAX (n, 1)));
  for (gsize first = 0; first < n; first += CHUNK)
    {
      gsize count = MIN (CHUNK, n - first);

      for (gsize e = 0; e < count; e++)
        chunk[e] = array[position ? (gsize) position[first + e] : first + e];
      to_little_endian (chunk, sizeof (double), count);
      if (!write_bytes (out, chunk, sizeof (double) * count, error))
        return FALSE;
    }

  return write_padding (out, sizeof (double) * n, error);
}

/* Write @n ints as little-endian 32-bit or 64-bit integers, then pad. */
static gboolean
write_ints (Output     *out,
            const int  *array,
            gsize       n,
            gboolean    wide,
            GError    **error)
{
  gsize size = wide ? 8 : 4;
  g_autofree guint8 *chunk = g_malloc (size * MIN (CHUNK, MAX (n, 1)));

  for (gsize first = 0; first < n; first += CHUNK)
    {
      gsize count = MIN (CHUNK, n - first);

      for (gsize e = 0; e < count; e++)
        {
          if (wide)
            ((gint64 *) chunk)[e] = array[first + e];
          else
            ((gint32 *) chunk)[e] = array[first + e];
        }
      to_little_endian (chunk, size, count);
      if (!write_bytes (out, chunk, size * count, error))
        return FALSE;
    }

  return write_padding (out, size * n, error);
}

/* The arrays of one layer, in canonical (CSR) order whatever its layout. */
static gboolean
write_layer (Output         *out,
             const StLayer  *layer,
             GError        **error)
{
  const StTraversal *rows = &layer->by_row;
  gsize nnz = st_layer_get_nnz (layer);
  guint n_rows = st_layer_get_rows (layer);

  if (!write_ints (out, rows->start, (gsize) n_rows + 1, TRUE, error) ||
      !write_ints (out, rows->index, nnz, FALSE, error) ||
      !write_doubles (out, layer->weights->data, rows->position, nnz, error))
    return FALSE;

  if (layer->bias != NULL && !write_doubles (out, layer->bias, NULL, n_rows, error))
    return FALSE;

  for (guint s = 0; s < ST_LAYER_N_STATES; s++)
    {
      if (layer->weight_state[s] != NULL &&
          !write_doubles (out, layer->weight_state[s], rows->position, nnz, error))
        return FALSE;
      if (layer->bias != NULL && layer->bias_state[s] != NULL &&
          !write_doubles (out, layer->bias_state[s], NULL, n_rows, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
write_history (Output           *out,
               const StHistory  *history,
               GError          **error)
{
  guint n = st_history_get_length (history);
  g_autofree double *values = g_new (double, (gsize) G_N_ELEMENTS (history_columns) * MAX (n, 1));

  for (guint k = 0; k < n; k++)
    {
      const StHistoryRecord *record = st_history_get (history, k);
      double *row = values + (gsize) k * G_N_ELEMENTS (history_columns);

      row[0] = record->epoch;
      row[1] = (double) record->step;
      row[2] = record->train_cost;
      row[3] = record->test_cost;
      row[4] = record->test_accuracy;
    }

  return write_doubles (out, values, NULL, (gsize) n * G_N_ELEMENTS (history_columns), error);
}

/* Returns: %TRUE when all @n values are finite.  Otherwise returns %FALSE
 * and stores the first value that is not finite in @bad. */
static gboolean
all_finite (const double  *values,
            gsize          n,
            double        *bad)
{
  for (gsize k = 0; values != NULL && k < n; k++)
    {
      if (!isfinite (values[k]))
        {
          *bad = values[k];
          return FALSE;
        }
    }

  return TRUE;
}

/* Weights, biases and optimizer states are never saved as NaN or
 * infinity, so such a model is rejected.  The history may contain NaN. */
static gboolean
check_model_finite (const StModel  *model,
                    GError        **error)
{
  const StNetwork *network = model->network;
  guint n_inputs = st_network_get_n_inputs (network);
  double bad;

  for (guint l = 0; l < st_network_get_n_layers (network); l++)
    {
      const StLayer *layer = st_network_get_layer (network, l);
      gsize nnz = st_layer_get_nnz (layer);
      guint rows = st_layer_get_rows (layer);

      if (!all_finite (layer->weights->data, nnz, &bad))
        {
          g_set_error (error, ST_ERROR, ST_ERROR_NUMERIC,
                       _("Layer %u contains a weight that is not a finite number (%g); "
                         "the model is not saved"), l + 1, bad);
          return FALSE;
        }
      if (!all_finite (layer->bias, rows, &bad))
        {
          g_set_error (error, ST_ERROR, ST_ERROR_NUMERIC,
                       _("Layer %u contains a bias that is not a finite number (%g); "
                         "the model is not saved"), l + 1, bad);
          return FALSE;
        }

      for (guint s = 0; s < ST_LAYER_N_STATES; s++)
        {
          if (!all_finite (layer->weight_state[s], nnz, &bad) ||
              !all_finite (layer->bias_state[s], rows, &bad))
            {
              g_set_error (error, ST_ERROR, ST_ERROR_NUMERIC,
                           _("Layer %u contains an optimizer state value that is not a finite "
                             "number (%g); the model is not saved"), l + 1, bad);
              return FALSE;
            }
        }
    }

  if (st_network_get_input_mean (network) == NULL)
    return TRUE;

  if (!all_finite (st_network_get_input_mean (network), n_inputs, &bad))
    {
      g_set_error (error, ST_ERROR, ST_ERROR_NUMERIC,
                   _("The input standardization contains a mean that is not a finite number "
                     "(%g); the model is not saved"), bad);
      return FALSE;
    }
  if (!all_finite (st_network_get_input_scale (network), n_inputs, &bad))
    {
      g_set_error (error, ST_ERROR, ST_ERROR_NUMERIC,
                   _("The input standardization contains a scale that is not a finite number "
                     "(%g); the model is not saved"), bad);
      return FALSE;
    }

  return TRUE;
}

/**
 * st_model_write:
 * @model: the model; its network must be valid
 * @path: the file to create or replace
 * @progress: (nullable): called about 20 times a second with the share done
 * @progress_data: passed to @progress
 * @cancellable: (nullable): stops the writing; the old file then stays
 * @error: return location for an error
 *
 * Writes the model, its optimizer state, its standardization, and its
 * training settings, history and class names when it has them.  The file
 * is replaced atomically: on any failure or cancellation the old file is
 * untouched and no temporary file is left.  A model holding a NaN or an
 * infinity is refused.  Needs memory for one chunk of values, not for a
 * copy of the weights.
 *
 * Returns: %TRUE when the new file is in place
 */
gboolean
st_model_write (const StModel  *model,
                const char     *path,
                StProgressFunc  progress,
                gpointer        progress_data,
                GCancellable   *cancellable,
                GError        **error)
{
  const StNetwork *network = model->network;
  g_autofree char *header = NULL;
  g_autoptr(StFileWriter) writer = NULL;
  Output out = { 0 };

  if (!check_model_finite (model, error))
    return FALSE;

  header = build_header (model, &out.total);
  writer = st_file_writer_new (path, error);
  if (writer == NULL)
    return FALSE;

  out.writer = writer;
  out.progress = progress;
  out.progress_data = progress_data;
  out.cancellable = cancellable;

  if (!st_file_writer_print (writer, error, "%s %d\n%s\n", MAGIC, ST_MODEL_FORMAT_VERSION, header))
    return FALSE;

  if (st_network_get_input_mean (network) != NULL &&
      (!write_doubles (&out, st_network_get_input_mean (network), NULL,
                       st_network_get_n_inputs (network), error) ||
       !write_doubles (&out, st_network_get_input_scale (network), NULL,
                       st_network_get_n_inputs (network), error)))
    return FALSE;

  if (model->history != NULL && st_history_get_length (model->history) > 0 &&
      !write_history (&out, model->history, error))
    return FALSE;

  for (guint l = 0; l < st_network_get_n_layers (network); l++)
    if (!write_layer (&out, st_network_get_layer (network, l), error))
      return FALSE;

  if (!st_file_writer_commit (g_steal_pointer (&writer), error))
    return FALSE;

  if (progress != NULL)
    progress (1.0, progress_data);
  return TRUE;
}
