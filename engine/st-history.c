/* st-history.c: the cost of a training run, epoch by epoch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include <math.h>

#include "st-file-writer.h"
#include "st-history.h"
#include "st-number.h"

struct _StHistory
{
  GArray *records;  /* StHistoryRecord */
  guint max_length; /* 0 for no limit */
};

StHistory *
st_history_new (void)
{
  StHistory *history = g_new0 (StHistory, 1);

  history->records = g_array_new (FALSE, FALSE, sizeof (StHistoryRecord));
  return history;
}

StHistory *
st_history_copy (const StHistory *history)
{
  StHistory *copy = st_history_new ();

  g_array_append_vals (copy->records, history->records->data, history->records->len);
  copy->max_length = history->max_length;
  return copy;
}

void
st_history_free (StHistory *history)
{
  if (history == NULL)
    return;

  g_array_unref (history->records);
  g_free (history);
}

/* Drops every second record but the newest: records 0, 2, 4, ... stay,
 * so the kept ones still span the whole run. */
static void
st_history_thin (StHistory *history)
{
  GArray *records = history->records;
  guint last = records->len - 1;
  guint kept = 0;

  for (guint i = 0; i < last; i += 2)
    g_array_index (records, StHistoryRecord, kept++) = g_array_index (records, StHistoryRecord, i);
  g_array_index (records, StHistoryRecord, kept++) = g_array_index (records, StHistoryRecord, last);
  g_array_set_size (records, kept);
}

void
st_history_append (StHistory             *history,
                   const StHistoryRecord *record)
{
  g_array_append_val (history->records, *record);

  if (history->max_length > 0 && history->records->len > history->max_length)
    st_history_thin (history);
}

/**
 * st_history_set_max_length:
 * @history: a history
 * @max_length: the most records to keep, at least 2; 0 keeps all
 *
 * Bounds the memory of a run that may go on for millions of epochs.
 * Whenever an append makes the history longer than @max_length, every
 * second record is dropped, except the newest.  Older epochs are then
 * kept more sparsely than recent ones, but the first and the newest
 * always stay.
 */
void
st_history_set_max_length (StHistory *history,
                           guint      max_length)
{
  g_return_if_fail (max_length == 0 || max_length >= 2);

  history->max_length = max_length;
  while (max_length > 0 && history->records->len > max_length)
    st_history_thin (history);
}

guint
st_history_get_length (const StHistory *history)
{
  return history->records->len;
}

const StHistoryRecord *
st_history_get (const StHistory *history,
                guint            index)
{
  g_return_val_if_fail (index < history->records->len, NULL);

  return &g_array_index (history->records, StHistoryRecord, index);
}

/* Append a comma and @value, or only the comma when it is NaN. */
static void
append_cell (GString *line,
             double   value)
{
  char number[ST_DOUBLE_BUFFER_SIZE];

  g_string_append_c (line, ',');
  if (!isnan (value))
    g_string_append (line, st_format_double (value, number));
}

/**
 * st_history_write_csv:
 * @history: a history
 * @path: the file to create or replace
 * @error: return location for an error
 *
 * Writes "epoch,train_cost,test_cost,test_accuracy" and one line per
 * epoch.  A value that does not apply is an empty cell.  Numbers use '.'
 * and read back bit-identical.
 */
gboolean
st_history_write_csv (const StHistory  *history,
                      const char       *path,
                      GError          **error)
{
  g_autoptr(StFileWriter) writer = st_file_writer_new (path, error);
  g_autoptr(GString) line = g_string_new (NULL);

  if (writer == NULL)
    return FALSE;

  if (!st_file_writer_print (writer, error, "epoch,train_cost,test_cost,test_accuracy\n"))
    return FALSE;

  for (guint k = 0; k < history->records->len; k++)
    {
      const StHistoryRecord *record = st_history_get (history, k);

      g_string_printf (line, "%u", record->epoch);
      append_cell (line, record->train_cost);
      append_cell (line, record->test_cost);
      append_cell (line, record->test_accuracy);
      g_string_append_c (line, '\n');

      if (!st_file_writer_write (writer, line->str, line->len, error))
        return FALSE;
    }

  return st_file_writer_commit (g_steal_pointer (&writer), error);
}
