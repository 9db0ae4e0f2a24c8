/* st-run-history.c: snapshots and epoch costs of a training run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The timeline keeps a snapshot every few steps.  A long run would keep
 * too many.  So when the frames exceed their count or byte budget, every
 * second one is dropped (the first and the newest stay), and adding the
 * frame returns TRUE so that the caller takes snapshots half as often.  Memory stays bounded and the
 * frames stay evenly spread over the whole run.
 */

#define G_LOG_DOMAIN "st-window"

#include "config.h"

#include "st-run-history.h"

struct _StRunHistory
{
  GArray *frames;         /* StHistoryFrame */
  StHistory *records;
  guint max_frames;
  gsize max_bytes;
  gsize bytes;
};

static gsize
snapshot_bytes (StSnapshot *snapshot)
{
  gsize bytes = 0;

  for (guint l = 0; l < st_snapshot_get_n_layers (snapshot); l++)
    {
      gsize arrays = st_snapshot_get_last_update (snapshot, l) != NULL ? 3 : 2;

      bytes += st_snapshot_get_nnz (snapshot, l) * arrays * sizeof (double);
    }

  return bytes;
}

static void
frame_clear (gpointer data)
{
  StHistoryFrame *frame = data;

  g_clear_pointer (&frame->snapshot, st_snapshot_unref);
  g_clear_pointer (&frame->pattern, st_network_pattern_unref);
}

/* Epoch records are saved with the model and exported; past this many,
 * older ones are thinned out (see st_history_set_max_length()). */
#define MAX_RECORDS 16384

static StHistory *
st_run_history_new_records (void)
{
  StHistory *records = st_history_new ();

  st_history_set_max_length (records, MAX_RECORDS);
  return records;
}

StRunHistory *
st_run_history_new (guint max_frames,
                    gsize max_bytes)
{
  StRunHistory *history = g_new0 (StRunHistory, 1);

  history->frames = g_array_new (FALSE, FALSE, sizeof (StHistoryFrame));
  g_array_set_clear_func (history->frames, frame_clear);
  history->records = st_run_history_new_records ();
  history->max_frames = MAX (max_frames, 4);
  history->max_bytes = max_bytes;

  return history;
}

void
st_run_history_free (StRunHistory *history)
{
  if (history == NULL)
    return;

  g_array_unref (history->frames);
  st_history_free (history->records);
  g_free (history);
}

void
st_run_history_clear (StRunHistory *history)
{
  g_array_set_size (history->frames, 0);
  st_history_free (history->records);
  history->records = st_run_history_new_records ();
  history->bytes = 0;
}

static void
st_run_history_thin (StRunHistory *history)
{
  guint n = history->frames->len;
  guint kept = 0;

  for (guint i = 0; i < n; i++)
    {
      StHistoryFrame *frame = &g_array_index (history->frames, StHistoryFrame, i);

      if (i % 2 == 0 || i == n - 1)
        {
          g_array_index (history->frames, StHistoryFrame, kept++) = *frame;
        }
      else
        {
          history->bytes -= snapshot_bytes (frame->snapshot);
          frame_clear (frame);
        }
    }

  /* The cleared tail entries were moved, not freed: shrink without the
   * clear function. */
  g_array_set_clear_func (history->frames, NULL);
  g_array_set_size (history->frames, kept);
  g_array_set_clear_func (history->frames, frame_clear);
}

/**
 * st_run_history_add_frame:
 * @history: a history
 * @step: the step of @snapshot, from the model's start
 * @epoch: its epoch, likewise
 * @snapshot: the state, referenced
 * @pattern: the pattern of @snapshot's values, referenced
 *
 * Appends a frame; frames must come in increasing step order.
 *
 * Returns: %TRUE when the history dropped every second frame to stay in
 *   its budget, so frames should now come half as often
 */
gboolean
st_run_history_add_frame (StRunHistory     *history,
                          guint64           step,
                          guint             epoch,
                          StSnapshot       *snapshot,
                          StNetworkPattern *pattern)
{
  StHistoryFrame frame = {
    .step = step,
    .epoch = epoch,
    .snapshot = st_snapshot_ref (snapshot),
    .pattern = st_network_pattern_ref (pattern),
  };
  guint n = history->frames->len;

  /* A second frame for the same step replaces the first. */
  if (n > 0 && g_array_index (history->frames, StHistoryFrame, n - 1).step == step)
    {
      history->bytes -= snapshot_bytes (g_array_index (history->frames, StHistoryFrame, n - 1).snapshot);
      g_array_remove_index (history->frames, n - 1);
    }

  g_array_append_val (history->frames, frame);
  history->bytes += snapshot_bytes (snapshot);

  if (history->frames->len > history->max_frames ||
      (history->bytes > history->max_bytes && history->frames->len > 2))
    {
      st_run_history_thin (history);
      return TRUE;
    }

  return FALSE;
}

guint
st_run_history_get_n_frames (const StRunHistory *history)
{
  return history->frames->len;
}

const StHistoryFrame *
st_run_history_get_frame (const StRunHistory *history,
                          guint               index)
{
  g_return_val_if_fail (index < history->frames->len, NULL);

  return &g_array_index (history->frames, StHistoryFrame, index);
}

/* Finds the last frame at or before @step.  Returns: %FALSE when there
 * is none. */
gboolean
st_run_history_find_frame (const StRunHistory *history,
                           guint64             step,
                           guint              *index)
{
  gboolean found = FALSE;

  for (guint i = 0; i < history->frames->len; i++)
    {
      if (g_array_index (history->frames, StHistoryFrame, i).step > step)
        break;
      *index = i;
      found = TRUE;
    }

  return found;
}

void
st_run_history_add_record (StRunHistory          *history,
                           const StHistoryRecord *record)
{
  st_history_append (history->records, record);
}

const StHistory *
st_run_history_get_records (const StRunHistory *history)
{
  return history->records;
}

/* Forgets frames and epoch records after @step, for a restored state
 * that training continues from. */
void
st_run_history_truncate (StRunHistory *history,
                         guint64       step)
{
  g_autoptr(StHistory) records = st_run_history_new_records ();

  while (history->frames->len > 0)
    {
      StHistoryFrame *last = &g_array_index (history->frames, StHistoryFrame, history->frames->len - 1);

      if (last->step <= step)
        break;
      history->bytes -= snapshot_bytes (last->snapshot);
      g_array_remove_index (history->frames, history->frames->len - 1);
    }

  for (guint i = 0; i < st_history_get_length (history->records); i++)
    {
      const StHistoryRecord *record = st_history_get (history->records, i);

      if (record->step <= step)
        st_history_append (records, record);
    }

  st_history_free (history->records);
  history->records = g_steal_pointer (&records);
}

gsize
st_run_history_get_bytes (const StRunHistory *history)
{
  return history->bytes;
}
