/* st-model-read.c: reading model files into a network and its training state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading goes in three passes: describe every array the header lists
 * and check its type and size, allocate them all after one memory check,
 * then read them in file order.  A layer's column indices and weights
 * are read straight into the CSR matrix the layer keeps, so loading a
 * model needs little more memory than the model itself.  Versions 1 and
 * 2 lack some members; their defaults apply.
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "st-error.h"
#include "st-history.h"
#include "st-layer-private.h"
#include "st-memory.h"
#include "st-model-file.h"
#include "st-model-reader.h"
#include "st-network.h"

/* One binary array that the header lists. */
typedef struct
{
  const char *name;
  char *context;         /* "layer 2" or a part of the header, for messages */
  gsize element_size;
  guint64 count;
  guint64 offset;
  void **slot;           /* receives a new allocation, or NULL */
  void *target;          /* where the array is read to */
} ArraySpec;

static void
array_spec_free (ArraySpec *spec)
{
  g_free (spec->context);
  g_free (spec);
}

/* The header's description of one layer, until it becomes a StLayer. */
typedef struct
{
  guint rows;
  guint cols;
  guint64 nnz;
  StActivation activation;
  StLayout layout;
  gboolean has_bias;
  gsl_spmatrix *csr;      /* receives the column indices and the weights */
  gint64 *row_ptr;
  double *bias;
  double *state[ST_LAYER_N_STATES];
  double *bias_state[ST_LAYER_N_STATES];
  ArraySpec *col_index;
  ArraySpec *value;
} LayerRead;

static void
layer_read_clear (LayerRead *layer)
{
  g_clear_pointer (&layer->csr, gsl_spmatrix_free);
  g_free (layer->row_ptr);
  g_free (layer->bias);
  for (guint s = 0; s < ST_LAYER_N_STATES; s++)
    {
      g_free (layer->state[s]);
      g_free (layer->bias_state[s]);
    }
}

typedef struct
{
  StModelReader reader;
  JsonObject *header;
  GPtrArray *arrays;       /* ArraySpec */
  LayerRead *layers;
  guint n_layers;
  guint64 inputs;
  double *mean;
  double *scale;
  double *history;         /* rows x 5 */
  guint64 history_rows;
  StProgressFunc progress;
  gpointer progress_data;
} ModelRead;

static void
model_read_clear (ModelRead *read)
{
  for (guint l = 0; l < read->n_layers; l++)
    layer_read_clear (&read->layers[l]);
  g_clear_pointer (&read->layers, g_free);
  g_clear_pointer (&read->arrays, g_ptr_array_unref);
  g_clear_pointer (&read->mean, g_free);
  g_clear_pointer (&read->scale, g_free);
  g_clear_pointer (&read->history, g_free);
  st_model_reader_clear (&read->reader);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ModelRead, model_read_clear)

/* Returns: (transfer full): how messages name layer @index, such as
 * "layer 2". */
static char *
format_layer_context (guint index)
{
  /* Translators: names a layer at the start of a message, as in
   * “layer 2: the member “rows” is missing or not a whole number”. */
  return g_strdup_printf (_("layer %u"), index + 1);
}

/* Note one array from @specs; an absent optional array is not an error. */
static gboolean
describe_array (ModelRead    *read,
                JsonObject   *specs,
                const char   *context,
                const char   *name,
                const char   *dtype,
                guint64       count,
                gboolean      optional,
                void        **slot,
                ArraySpec   **spec_out,
                GError      **error)
{
  StModelReader *reader = &read->reader;
  JsonObject *object;
  const char *found_dtype;
  ArraySpec *spec;

  if (optional && !json_object_has_member (specs, name))
    return TRUE;

  object = st_model_reader_get_object (reader, specs, context, name, error);
  if (object == NULL)
    return FALSE;

  found_dtype = st_model_reader_get_string (reader, object, context, "dtype", error);
  if (found_dtype == NULL)
    return FALSE;
  if (strcmp (found_dtype, dtype) != 0)
    /* Translators: a layer such as “layer 2”, or a part of the header, the
     * array's name, then two types such as “<f8”. */
    return st_model_reader_fail (reader, error, _("%s: the array “%s” has the type “%s”, but "
                                                  "needs “%s”"), context, name, found_dtype, dtype);

  spec = g_new0 (ArraySpec, 1);
  g_ptr_array_add (read->arrays, spec);
  spec->name = name;
  spec->context = g_strdup (context);
  spec->element_size = g_str_has_suffix (dtype, "4") ? 4 : 8;
  spec->slot = slot;

  if (!st_model_reader_get_uint (reader, object, context, "offset", G_MAXINT64, &spec->offset,
                                 error) ||
      !st_model_reader_get_uint (reader, object, context, "count", G_MAXINT64, &spec->count, error))
    return FALSE;

  if (spec->count != count)
    {
      g_autofree char *found = g_strdup_printf ("%" G_GUINT64_FORMAT, spec->count);
      g_autofree char *needed = g_strdup_printf ("%" G_GUINT64_FORMAT, count);

      /* Translators: a layer such as “layer 2”, or a part of the header, the
       * array's name, then two numbers of elements. */
      return st_model_reader_fail (reader, error, _("%s: the array “%s” has %s elements, but "
                                                    "needs %s"), context, name, found, needed);
    }

  if (spec_out != NULL)
    *spec_out = spec;
  return TRUE;
}

static gboolean
describe_layer (ModelRead  *read,
                JsonNode   *node,
                guint       index,
                GError    **error)
{
  static const char *const state_names[ST_LAYER_N_STATES] = { "state1", "state2" };
  static const char *const bias_state_names[ST_LAYER_N_STATES] = { "bias_state1", "bias_state2" };
  StModelReader *reader = &read->reader;
  LayerRead *layer = &read->layers[index];
  g_autofree char *context = format_layer_context (index);
  JsonObject *object;
  JsonObject *specs;
  const char *text;
  guint64 rows;
  guint64 cols;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return st_model_reader_fail (reader, error, _("layer %u is not a JSON object"), index + 1);
  object = json_node_get_object (node);

  if (!st_model_reader_get_uint (reader, object, context, "rows", ST_LAYER_MAX_DIMENSION, &rows,
                                 error) ||
      !st_model_reader_get_uint (reader, object, context, "cols", ST_LAYER_MAX_DIMENSION, &cols,
                                 error) ||
      !st_model_reader_get_uint (reader, object, context, "nnz", ST_LAYER_MAX_NNZ, &layer->nnz,
                                 error))
    return FALSE;
  /* Both are at most ST_LAYER_MAX_DIMENSION now, so they fit in a guint. */
  if (rows == 0 || cols == 0)
    return st_model_reader_fail (reader, error, _("layer %u has %u x %u weights, but a layer "
                                                  "needs at least one row and one column"),
                                 index + 1, (guint) rows, (guint) cols);
  if (layer->nnz > rows * cols)
    {
      g_autofree char *nnz = g_strdup_printf ("%" G_GUINT64_FORMAT, layer->nnz);

      /* Translators: a layer number, a number of entries, then the layer's shape. */
      return st_model_reader_fail (reader, error, _("layer %u declares %s stored entries, more "
                                                    "than its %u x %u positions"),
                                   index + 1, nnz, (guint) rows, (guint) cols);
    }
  layer->rows = (guint) rows;
  layer->cols = (guint) cols;

  if ((text = st_model_reader_get_string (reader, object, context, "activation", error)) == NULL)
    return FALSE;
  if (!st_activation_from_string (text, &layer->activation))
    return st_model_reader_fail (reader, error, _("%s: the activation “%s” is unknown"), context,
                                 text);

  if ((text = st_model_reader_get_string (reader, object, context, "layout", error)) == NULL)
    return FALSE;
  if (!st_layout_from_string (text, &layer->layout))
    return st_model_reader_fail (reader, error, _("%s: the layout “%s” is unknown"), context,
                                 text);

  if (!st_model_reader_get_boolean (reader, object, context, "bias", &layer->has_bias, error) ||
      (specs = st_model_reader_get_object (reader, object, context, "arrays", error)) == NULL)
    return FALSE;

  if (!describe_array (read, specs, context, "row_ptr", "<i8", rows + 1, FALSE,
                       (void **) &layer->row_ptr, NULL, error) ||
      !describe_array (read, specs, context, "col_index", "<i4", layer->nnz, FALSE, NULL,
                       &layer->col_index, error) ||
      !describe_array (read, specs, context, "value", "<f8", layer->nnz, FALSE, NULL,
                       &layer->value, error))
    return FALSE;

  if (layer->has_bias &&
      !describe_array (read, specs, context, "bias", "<f8", rows, FALSE,
                       (void **) &layer->bias, NULL, error))
    return FALSE;

  for (guint s = 0; s < ST_LAYER_N_STATES; s++)
    {
      if (!describe_array (read, specs, context, state_names[s], "<f8", layer->nnz, TRUE,
                           (void **) &layer->state[s], NULL, error))
        return FALSE;
      if (layer->has_bias &&
          !describe_array (read, specs, context, bias_state_names[s], "<f8", rows, TRUE,
                           (void **) &layer->bias_state[s], NULL, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
describe_optional_arrays (ModelRead  *read,
                          GError    **error)
{
  StModelReader *reader = &read->reader;
  JsonObject *object;

  if (json_object_has_member (read->header, "standardization"))
    {
      /* Translators: the model file's JSON header, named at the start of a
       * message such as “header: the member “inputs” is missing or not a whole
       * number”. */
      object = st_model_reader_get_object (reader, read->header, _("header"), "standardization",
                                           error);
      if (object == NULL ||
          !describe_array (read, object, "standardization", "mean", "<f8", read->inputs, FALSE,
                           (void **) &read->mean, NULL, error) ||
          !describe_array (read, object, "standardization", "scale", "<f8", read->inputs, FALSE,
                           (void **) &read->scale, NULL, error))
        return FALSE;
    }

  if (json_object_has_member (read->header, "history"))
    {
      object = st_model_reader_get_object (reader, read->header, _("header"), "history", error);
      if (object == NULL ||
          !st_model_reader_get_uint (reader, object, "history", "rows", G_MAXUINT,
                                     &read->history_rows, error) ||
          !describe_array (read, object, "history", "values", "<f8", 5 * read->history_rows,
                           FALSE, (void **) &read->history, NULL, error))
        return FALSE;
    }

  return TRUE;
}

/* Allocate every array after one check that they fit in memory.  The
 * layers built from them add their traversal indices and, once trained,
 * their gradients; 1.5 times the arrays is an estimate of the peak. */
static gboolean
allocate_arrays (ModelRead  *read,
                 GError    **error)
{
  guint64 total = 0;
  guint64 end = 0;

  for (guint k = 0; k < read->arrays->len; k++)
    {
      ArraySpec *spec = g_ptr_array_index (read->arrays, k);

      total += spec->count * spec->element_size;
      end = MAX (end, spec->offset + spec->count * spec->element_size);
    }

  if (!st_memory_check (total + total / 2, ST_MEMORY_FOR_MODEL, error))
    {
      /* Translators: a file name before another message. */
      g_prefix_error (error, _("%s: "), read->reader.name);
      return FALSE;
    }

  if (read->reader.size != G_MAXUINT64 &&
      (read->reader.size < read->reader.header_bytes ||
       end > read->reader.size - read->reader.header_bytes))
    {
      guint64 after_header = read->reader.size - MIN (read->reader.size,
                                                       read->reader.header_bytes);
      g_autofree char *described = g_strdup_printf ("%" G_GUINT64_FORMAT, end);
      g_autofree char *present = g_strdup_printf ("%" G_GUINT64_FORMAT, after_header);

      return st_model_reader_fail (&read->reader, error,
                                   /* Translators: two sizes in bytes. */
                                   _("the header describes %s bytes of arrays, but only %s bytes "
                                     "follow it; the file is truncated, so save the model again "
                                     "from its source"), described, present);
    }

  for (guint l = 0; l < read->n_layers; l++)
    {
      LayerRead *layer = &read->layers[l];

      layer->csr = gsl_spmatrix_alloc_nzmax (layer->rows, layer->cols, layer->nnz,
                                             GSL_SPMATRIX_CSR);
      if (layer->csr == NULL)
        return st_model_reader_fail (&read->reader, error, _("not enough memory for layer %u"),
                                     l + 1);
      layer->col_index->target = layer->csr->i;
      layer->value->target = layer->csr->data;
    }

  for (guint k = 0; k < read->arrays->len; k++)
    {
      ArraySpec *spec = g_ptr_array_index (read->arrays, k);

      if (spec->slot == NULL)
        continue;

      *spec->slot = g_try_malloc (MAX (spec->count * spec->element_size, 1));
      if (*spec->slot == NULL)
        /* Translators: a layer such as “layer 2”, or a part of the header. */
        return st_model_reader_fail (&read->reader, error, _("not enough memory for the arrays "
                                                             "of %s"), spec->context);
      spec->target = *spec->slot;
    }

  return TRUE;
}

static gint
compare_offsets (gconstpointer a,
                 gconstpointer b)
{
  const ArraySpec *first = *(ArraySpec * const *) a;
  const ArraySpec *second = *(ArraySpec * const *) b;

  return first->offset < second->offset ? -1 : first->offset > second->offset;
}

/* Swap the bytes of every element on big-endian machines; the format is
 * little-endian. */
static void
from_little_endian (ArraySpec *spec)
{
#if G_BYTE_ORDER == G_BIG_ENDIAN
  for (guint64 k = 0; k < spec->count; k++)
    {
      guint8 *element = (guint8 *) spec->target + k * spec->element_size;

      for (gsize a = 0, b = spec->element_size - 1; a < b; a++, b--)
        {
          guint8 byte = element[a];

          element[a] = element[b];
          element[b] = byte;
        }
    }
#endif
}

static gboolean
read_arrays (ModelRead  *read,
             GError    **error)
{
  guint64 total = 0;
  guint64 done = 0;

  g_ptr_array_sort (read->arrays, compare_offsets);
  for (guint k = 0; k < read->arrays->len; k++)
    total += ((ArraySpec *) g_ptr_array_index (read->arrays, k))->count *
             ((ArraySpec *) g_ptr_array_index (read->arrays, k))->element_size;

  for (guint k = 0; k < read->arrays->len; k++)
    {
      ArraySpec *spec = g_ptr_array_index (read->arrays, k);
      gsize bytes = spec->count * spec->element_size;

      if (!st_model_reader_read_at (&read->reader, spec->offset, spec->target, bytes,
                                    spec->context, spec->name, error))
        return FALSE;
      from_little_endian (spec);

      done += bytes;
      if (read->progress != NULL)
        read->progress (total > 0 ? 0.9 * done / total : 0.9, read->progress_data);
    }

  return TRUE;
}

/* The arrays whose values check_finite() checks, each with its own message. */
typedef enum
{
  VALUES_BIAS,
  VALUES_OPTIMIZER_STATE,
  VALUES_BIAS_OPTIMIZER_STATE,
  VALUES_INPUT_MEAN,
  VALUES_INPUT_SCALE,
} ValueArray;

static gboolean
check_finite (ModelRead     *read,
              const double  *values,
              gsize          n,
              const char    *context,
              ValueArray     array,
              GError       **error)
{
  g_autofree char *position = NULL;
  gsize k;

  for (k = 0; values != NULL && k < n; k++)
    if (!isfinite (values[k]))
      break;
  if (values == NULL || k == n)
    return TRUE;

  position = g_strdup_printf ("%" G_GSIZE_FORMAT, k + 1);
  switch (array)
    {
    case VALUES_BIAS:
      return st_model_reader_fail (&read->reader, error,
                                   /* Translators: a layer such as “layer 2”, or a part of
                                    * the header, then a position that counts from 1. */
                                   _("%s: bias value %s is not a finite number"),
                                   context, position);
    case VALUES_OPTIMIZER_STATE:
      return st_model_reader_fail (&read->reader, error,
                                   /* Translators: a layer such as “layer 2”, or a part of
                                    * the header, then a position that counts from 1. */
                                   _("%s: optimizer state value %s is not a finite number"),
                                   context, position);
    case VALUES_BIAS_OPTIMIZER_STATE:
      return st_model_reader_fail (&read->reader, error,
                                   /* Translators: a layer such as “layer 2”, or a part of
                                    * the header, then a position that counts from 1. */
                                   _("%s: bias optimizer state value %s is not a finite number"),
                                   context, position);
    case VALUES_INPUT_MEAN:
      return st_model_reader_fail (&read->reader, error,
                                   /* Translators: a layer such as “layer 2”, or a part of
                                    * the header, then a position that counts from 1. */
                                   _("%s: input mean %s is not a finite number"),
                                   context, position);
    case VALUES_INPUT_SCALE:
    default:
      return st_model_reader_fail (&read->reader, error,
                                   /* Translators: a layer such as “layer 2”, or a part of
                                    * the header, then a position that counts from 1. */
                                   _("%s: input scale %s is not a finite number"),
                                   context, position);
    }
}

/* Put state arrays, stored in canonical order, into the layer in its
 * layout order. */
static void
take_states (StLayer   *target,
             LayerRead *layer)
{
  const int *position = target->by_row.position;
  gsize nnz = layer->nnz;

  for (guint s = 0; s < ST_LAYER_N_STATES; s++)
    {
      if (layer->state[s] != NULL && position != NULL)
        {
          double *ordered = g_new (double, MAX (nnz, 1));

          for (gsize c = 0; c < nnz; c++)
            ordered[position[c]] = layer->state[s][c];
          g_free (layer->state[s]);
          layer->state[s] = ordered;
        }

      target->weight_state[s] = g_steal_pointer (&layer->state[s]);
      target->bias_state[s] = g_steal_pointer (&layer->bias_state[s]);
    }
}

static StLayer *
build_layer (ModelRead  *read,
             guint       index,
             GError    **error)
{
  LayerRead *layer = &read->layers[index];
  g_autofree char *context = format_layer_context (index);
  StLayer *built;

  for (guint i = 0; i <= layer->rows; i++)
    {
      if (layer->row_ptr[i] < 0 || (guint64) layer->row_ptr[i] > layer->nnz)
        {
          g_autofree char *pointer = g_strdup_printf ("%" G_GINT64_FORMAT, layer->row_ptr[i]);
          g_autofree char *nnz = g_strdup_printf ("%" G_GUINT64_FORMAT, layer->nnz);

          /* Translators: a layer such as “layer 2”, the pointer's position,
           * its value, then the layer's number of stored entries. */
          st_model_reader_fail (&read->reader, error, _("%s: row pointer %u is %s, outside 0..%s"),
                                context, i + 1, pointer, nnz);
          return NULL;
        }
      layer->csr->p[i] = (int) layer->row_ptr[i];
    }

  if (!check_finite (read, layer->bias, layer->rows, context, VALUES_BIAS, error))
    return NULL;
  for (guint s = 0; s < ST_LAYER_N_STATES; s++)
    if (!check_finite (read, layer->state[s], layer->nnz, context, VALUES_OPTIMIZER_STATE,
                       error) ||
        !check_finite (read, layer->bias_state[s], layer->rows, context,
                       VALUES_BIAS_OPTIMIZER_STATE, error))
      return NULL;

  built = st_layer_new_from_csr (g_steal_pointer (&layer->csr), layer->nnz, layer->layout, error);
  if (built == NULL)
    {
      /* Translators: a file name and a layer such as “layer 2” before
       * another message. */
      g_prefix_error (error, _("%s: %s: "), read->reader.name, context);
      return NULL;
    }

  built->activation = layer->activation;
  built->bias = g_steal_pointer (&layer->bias);
  if (built->bias != NULL)
    built->bias_grad = g_new0 (double, layer->rows);
  take_states (built, layer);

  return built;
}

static StNetwork *
build_network (ModelRead  *read,
               StLoss      loss,
               GError    **error)
{
  g_autoptr(StNetwork) network = st_network_new (loss);
  guint64 updates = 0;

  for (guint l = 0; l < read->n_layers; l++)
    {
      StLayer *layer = build_layer (read, l, error);

      if (layer == NULL || !st_network_append_layer (network, layer, error))
        return NULL;
    }

  /* read->inputs is at most ST_LAYER_MAX_DIMENSION, so it fits in a guint. */
  if (st_network_get_n_inputs (network) != read->inputs)
    return st_model_reader_fail (&read->reader, error, _("the header says the model has %u "
                                                         "inputs, but its first layer has %u "
                                                         "columns"),
                                 (guint) read->inputs, st_network_get_n_inputs (network)), NULL;

  if (!st_network_validate (network, error))
    {
      /* Translators: a file name before another message. */
      g_prefix_error (error, _("%s: "), read->reader.name);
      return NULL;
    }

  if (read->mean != NULL)
    {
      if (!check_finite (read, read->mean, read->inputs, "standardization", VALUES_INPUT_MEAN,
                         error) ||
          !check_finite (read, read->scale, read->inputs, "standardization", VALUES_INPUT_SCALE,
                         error))
        return NULL;
      st_network_set_standardization (network, read->mean, read->scale);
    }

  if (json_object_has_member (read->header, "updates") &&
      !st_model_reader_get_uint (&read->reader, read->header, _("header"), "updates", G_MAXINT64,
                                 &updates, error))
    return NULL;
  st_network_set_updates (network, updates);

  return g_steal_pointer (&network);
}

static gboolean
read_class_names (ModelRead  *read,
                  StModel    *model,
                  GError    **error)
{
  JsonNode *node = json_object_get_member (read->header, "class_names");
  JsonArray *array;
  guint n;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return st_model_reader_fail (&read->reader, error, _("“class_names” is not a list"));

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n > st_network_get_n_outputs (model->network))
    return st_model_reader_fail (&read->reader, error, _("the model names %u classes, but has "
                                                         "only %u outputs"),
                                 n, st_network_get_n_outputs (model->network));

  model->class_names = g_new0 (char *, n + 1);
  for (guint c = 0; c < n; c++)
    {
      JsonNode *name = json_array_get_element (array, c);

      if (!JSON_NODE_HOLDS_VALUE (name) || json_node_get_value_type (name) != G_TYPE_STRING)
        return st_model_reader_fail (&read->reader, error, _("class name %u is not a string"),
                                     c + 1);
      model->class_names[c] = g_strdup (json_node_get_string (name));
    }

  return TRUE;
}

static gboolean
read_optimizer (ModelRead    *read,
                JsonObject   *training,
                StOptimizer  *optimizer,
                GError      **error)
{
  StModelReader *reader = &read->reader;
  JsonObject *object = st_model_reader_get_object (reader, training, "training", "optimizer",
                                                   error);
  const char *kind;

  if (object == NULL ||
      (kind = st_model_reader_get_string (reader, object, "optimizer", "kind", error)) == NULL)
    return FALSE;
  if (!st_optimizer_kind_from_string (kind, &optimizer->kind))
    return st_model_reader_fail (reader, error, _("the optimizer “%s” is unknown"), kind);

  return st_model_reader_get_double (reader, object, "optimizer", "momentum",
                                     &optimizer->momentum, error) &&
         st_model_reader_get_double (reader, object, "optimizer", "beta1", &optimizer->beta1,
                                     error) &&
         st_model_reader_get_double (reader, object, "optimizer", "beta2", &optimizer->beta2,
                                     error) &&
         st_model_reader_get_double (reader, object, "optimizer", "epsilon",
                                     &optimizer->epsilon, error) &&
         st_model_reader_get_double (reader, object, "optimizer", "weight_decay",
                                     &optimizer->weight_decay, error);
}

static gboolean
read_schedule (ModelRead   *read,
               JsonObject  *training,
               StSchedule  *schedule,
               GError     **error)
{
  StModelReader *reader = &read->reader;
  JsonObject *object = st_model_reader_get_object (reader, training, "training", "schedule",
                                                   error);
  const char *kind;
  guint64 number;

  if (object == NULL ||
      (kind = st_model_reader_get_string (reader, object, "schedule", "kind", error)) == NULL)
    return FALSE;
  if (!st_schedule_kind_from_string (kind, &schedule->kind))
    return st_model_reader_fail (reader, error, _("the schedule “%s” is unknown"), kind);

  if (!st_model_reader_get_uint (reader, object, "schedule", "step_epochs", G_MAXUINT, &number,
                                 error))
    return FALSE;
  schedule->step_epochs = (guint) number;
  if (!st_model_reader_get_uint (reader, object, "schedule", "total_epochs", G_MAXUINT, &number,
                                 error))
    return FALSE;
  schedule->total_epochs = (guint) number;

  return st_model_reader_get_double (reader, object, "schedule", "gamma", &schedule->gamma,
                                     error) &&
         st_model_reader_get_double (reader, object, "schedule", "min_rate", &schedule->min_rate,
                                     error);
}

static gboolean
read_training (ModelRead  *read,
               StModel    *model,
               GError    **error)
{
  StModelReader *reader = &read->reader;
  StTrainSettings *settings = &model->settings;
  JsonObject *training;
  guint64 number;

  if (!json_object_has_member (read->header, "training"))
    return TRUE;

  training = st_model_reader_get_object (reader, read->header, _("header"), "training", error);
  if (training == NULL ||
      !st_model_reader_get_double (reader, training, "training", "learning_rate",
                                   &settings->learning_rate, error) ||
      !st_model_reader_get_double (reader, training, "training", "test_fraction",
                                   &settings->test_fraction, error) ||
      !st_model_reader_get_double (reader, training, "training", "max_norm", &settings->max_norm,
                                   error) ||
      !st_model_reader_get_boolean (reader, training, "training", "standardize",
                                    &settings->standardize, error) ||
      !st_model_reader_get_uint (reader, training, "training", "seed", G_MAXINT64,
                                 &settings->seed, error) ||
      !st_model_reader_get_uint (reader, training, "training", "step", G_MAXINT64, &model->step,
                                 error) ||
      !read_optimizer (read, training, &settings->optimizer, error) ||
      !read_schedule (read, training, &settings->schedule, error))
    return FALSE;

  if (!st_model_reader_get_uint (reader, training, "training", "batch_size", G_MAXUINT, &number,
                                 error))
    return FALSE;
  settings->batch_size = (guint) number;
  if (!st_model_reader_get_uint (reader, training, "training", "threads", G_MAXUINT, &number,
                                 error))
    return FALSE;
  settings->threads = (guint) number;
  if (!st_model_reader_get_uint (reader, training, "training", "epoch", G_MAXUINT, &number,
                                 error))
    return FALSE;
  model->epoch = (guint) number;

  if (settings->batch_size == 0 || settings->threads == 0 ||
      !(settings->learning_rate > 0.0) ||
      !(settings->test_fraction >= 0.0 && settings->test_fraction < 1.0) ||
      !(settings->max_norm >= 0.0) ||
      !st_optimizer_validate (&settings->optimizer, NULL) ||
      !st_schedule_validate (&settings->schedule, NULL))
    return st_model_reader_fail (reader, error, _("the training settings contain a value "
                                                  "outside its valid range"));

  model->has_training = TRUE;
  return TRUE;
}

static gboolean
build_history (ModelRead  *read,
               StModel    *model,
               GError    **error)
{
  if (read->history == NULL)
    return TRUE;

  model->history = st_history_new ();
  for (guint64 k = 0; k < read->history_rows; k++)
    {
      const double *row = read->history + 5 * k;
      StHistoryRecord record;

      if (!(row[0] >= 0.0 && row[0] <= G_MAXUINT && row[0] == floor (row[0])) ||
          !(row[1] >= 0.0 && row[1] <= 9007199254740992.0 && row[1] == floor (row[1])))
        {
          g_autofree char *row_number = g_strdup_printf ("%" G_GUINT64_FORMAT, k + 1);

          return st_model_reader_fail (&read->reader, error, _("history row %s has an epoch or "
                                                               "step that is not a whole number"),
                                       row_number);
        }

      record.epoch = (guint) row[0];
      record.step = (guint64) row[1];
      record.train_cost = row[2];
      record.test_cost = row[3];
      record.test_accuracy = row[4];
      st_history_append (model->history, &record);
    }

  return TRUE;
}

/**
 * st_model_read:
 * @file: a model file, or a resource:// URI
 * @progress: (nullable): called with the share done, from 0 to 1
 * @progress_data: passed to @progress
 * @cancellable: (nullable): stops the reading
 * @error: return location for an error
 *
 * Reads a model written by this or an earlier version.  Every size is
 * checked against the header and the machine's memory before it is
 * allocated, and every index and value is validated; a file that fails
 * any check gives an error naming the file and the problem, and nothing
 * half-read.
 *
 * Returns: (transfer full): the model, or %NULL with @error set
 */
StModel *
st_model_read (GFile          *file,
               StProgressFunc  progress,
               gpointer        progress_data,
               GCancellable   *cancellable,
               GError        **error)
{
  g_auto(ModelRead) read = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(StModel) model = NULL;
  StNetwork *network;
  JsonNode *layers_node;
  JsonArray *layer_list;
  const char *loss_name;
  StLoss loss;

  read.progress = progress;
  read.progress_data = progress_data;
  read.arrays = g_ptr_array_new_with_free_func ((GDestroyNotify) array_spec_free);

  if (!st_model_reader_open (&read.reader, file, cancellable, error) ||
      (root = st_model_reader_read_header (&read.reader, error)) == NULL)
    return NULL;
  read.header = json_node_get_object (root);

  if (!st_model_reader_get_uint (&read.reader, read.header, _("header"), "inputs",
                                 ST_LAYER_MAX_DIMENSION, &read.inputs, error) ||
      (loss_name = st_model_reader_get_string (&read.reader, read.header, _("header"), "loss",
                                               error)) == NULL)
    return NULL;
  if (!st_loss_from_string (loss_name, &loss))
    return st_model_reader_fail (&read.reader, error, _("the loss “%s” is unknown"),
                                 loss_name), NULL;

  layers_node = json_object_get_member (read.header, "layers");
  if (layers_node == NULL || !JSON_NODE_HOLDS_ARRAY (layers_node))
    return st_model_reader_fail (&read.reader, error, _("the header has no “layers” list")), NULL;
  layer_list = json_node_get_array (layers_node);
  read.n_layers = json_array_get_length (layer_list);
  if (read.n_layers == 0)
    return st_model_reader_fail (&read.reader, error, _("the model has no layers")), NULL;

  read.layers = g_new0 (LayerRead, read.n_layers);
  if (!describe_optional_arrays (&read, error))
    return NULL;
  for (guint l = 0; l < read.n_layers; l++)
    if (!describe_layer (&read, json_array_get_element (layer_list, l), l, error))
      return NULL;

  if (!allocate_arrays (&read, error) || !read_arrays (&read, error))
    return NULL;

  network = build_network (&read, loss, error);
  if (network == NULL)
    return NULL;
  model = st_model_new (network);

  if (!read_class_names (&read, model, error) ||
      !read_training (&read, model, error) ||
      !build_history (&read, model, error))
    return NULL;

  if (progress != NULL)
    progress (1.0, progress_data);
  return g_steal_pointer (&model);
}
