/* st-lessons.c: ready models with data and an explanation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A lesson is a key file in data/lessons, compiled into the resources
 * with its translations merged in (Title[zh_CN]=… and so on), next to
 * the model file it names.  The [Lesson] group has:
 *
 *   Title, Explanation, Goal   translated text shown in the window
 *   Order                      position in the Lessons menu
 *   Model                      a .stmodel file in the same folder
 *   Data                       a built-in data set id, or "digits"
 *   Samples, Noise             the built-in data set's size and noise
 *   TestSplit                  percent of samples held out
 *   Optimizer, LearningRate, BatchSize, Epochs, Seed, Standardize
 *   GoalMetric, GoalValue      test-accuracy (at least), train-cost or
 *                              test-cost (at most), after an epoch
 */

#define G_LOG_DOMAIN "st-lessons"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "st-builtin-data.h"
#include "st-lessons.h"

#define LESSONS_PATH RESOURCE_PREFIX "/lessons/"
#define GROUP "Lesson"

void
st_lesson_free (StLesson *lesson)
{
  if (lesson == NULL)
    return;

  g_free (lesson->id);
  g_free (lesson->title);
  g_free (lesson->explanation);
  g_free (lesson->goal_text);
  g_free (lesson->model);
  g_free (lesson->data);
  g_free (lesson);
}

static gboolean
parse_goal (const char   *text,
            StLessonGoal *goal)
{
  if (g_strcmp0 (text, "test-accuracy") == 0)
    *goal = ST_LESSON_GOAL_TEST_ACCURACY;
  else if (g_strcmp0 (text, "train-cost") == 0)
    *goal = ST_LESSON_GOAL_TRAIN_COST;
  else if (g_strcmp0 (text, "test-cost") == 0)
    *goal = ST_LESSON_GOAL_TEST_COST;
  else
    return FALSE;

  return TRUE;
}

/**
 * st_lesson_load:
 * @id: the lesson's file name without ".lesson"
 * @error: return location for an error
 *
 * Returns: (transfer full): the lesson in the current language, or
 *   %NULL with @error set when the file is missing or a key is invalid
 */
StLesson *
st_lesson_load (const char  *id,
                GError     **error)
{
  g_autofree char *path = g_strconcat (LESSONS_PATH, id, ".lesson", NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(StLesson) lesson = g_new0 (StLesson, 1);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *optimizer = NULL;
  g_autofree char *goal = NULL;

  bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL ||
      !g_key_file_load_from_bytes (key_file, bytes, G_KEY_FILE_NONE, error))
    return NULL;

  lesson->id = g_strdup (id);
  lesson->title = g_key_file_get_locale_string (key_file, GROUP, "Title", NULL, &local_error);
  lesson->explanation = g_key_file_get_locale_string (key_file, GROUP, "Explanation", NULL, &local_error);
  lesson->goal_text = g_key_file_get_locale_string (key_file, GROUP, "Goal", NULL, &local_error);
  lesson->order = g_key_file_get_integer (key_file, GROUP, "Order", &local_error);
  lesson->model = g_key_file_get_string (key_file, GROUP, "Model", &local_error);
  lesson->data = g_key_file_get_string (key_file, GROUP, "Data", &local_error);
  lesson->samples = (guint) g_key_file_get_integer (key_file, GROUP, "Samples", &local_error);
  lesson->noise = g_key_file_get_double (key_file, GROUP, "Noise", &local_error);
  lesson->test_fraction = g_key_file_get_double (key_file, GROUP, "TestSplit", &local_error) / 100.0;
  optimizer = g_key_file_get_string (key_file, GROUP, "Optimizer", &local_error);
  lesson->learning_rate = g_key_file_get_double (key_file, GROUP, "LearningRate", &local_error);
  lesson->batch_size = (guint) g_key_file_get_integer (key_file, GROUP, "BatchSize", &local_error);
  lesson->epochs = (guint) g_key_file_get_integer (key_file, GROUP, "Epochs", &local_error);
  lesson->seed = g_key_file_get_uint64 (key_file, GROUP, "Seed", &local_error);
  lesson->standardize = g_key_file_get_boolean (key_file, GROUP, "Standardize", &local_error);
  goal = g_key_file_get_string (key_file, GROUP, "GoalMetric", &local_error);
  lesson->goal_value = g_key_file_get_double (key_file, GROUP, "GoalValue", &local_error);

  /* Each getter leaves an existing error alone, so this is the first
   * missing or malformed key. */
  if (local_error != NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", path);
      return NULL;
    }

  if (!st_optimizer_kind_from_string (optimizer, &lesson->optimizer) ||
      !parse_goal (goal, &lesson->goal) || lesson->batch_size == 0 || !(lesson->learning_rate > 0.0))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "%s: invalid Optimizer, GoalMetric, BatchSize or LearningRate", path);
      return NULL;
    }

  return g_steal_pointer (&lesson);
}

static int
compare_lessons (gconstpointer a,
                 gconstpointer b)
{
  const StLesson *x = *(StLesson * const *) a;
  const StLesson *y = *(StLesson * const *) b;

  return x->order - y->order;
}

/**
 * st_lessons_load_all:
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type StLesson): every bundled
 *   lesson, in order, or %NULL with @error set when one is broken
 */
GPtrArray *
st_lessons_load_all (GError **error)
{
  g_auto(GStrv) names = g_resources_enumerate_children (LESSONS_PATH, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  g_autoptr(GPtrArray) lessons = g_ptr_array_new_with_free_func ((GDestroyNotify) st_lesson_free);

  if (names == NULL)
    return NULL;

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *id = NULL;
      StLesson *lesson;

      if (!g_str_has_suffix (names[i], ".lesson"))
        continue;

      id = g_strndup (names[i], strlen (names[i]) - strlen (".lesson"));
      lesson = st_lesson_load (id, error);
      if (lesson == NULL)
        return NULL;
      g_ptr_array_add (lessons, lesson);
    }

  g_ptr_array_sort (lessons, compare_lessons);
  return g_steal_pointer (&lessons);
}

StNetwork *
st_lesson_load_model (const StLesson  *lesson,
                      GError         **error)
{
  g_autofree char *uri = g_strconcat ("resource://" LESSONS_PATH, lesson->model, NULL);
  g_autoptr(GFile) file = g_file_new_for_uri (uri);

  return st_model_load (file, NULL, error);
}

/**
 * st_lesson_load_data:
 * @lesson: a lesson
 * @name: (out): the data set's name for the window
 * @kind: (out): the StBuiltinData, or ST_N_BUILTIN_DATA for a file
 * @error: return location for an error
 *
 * Returns: (transfer full): the lesson's data set, or %NULL with @error
 *   set
 */
StDataset *
st_lesson_load_data (const StLesson  *lesson,
                     char           **name,
                     guint           *kind,
                     GError         **error)
{
  StBuiltinData builtin;

  if (st_builtin_data_from_id (lesson->data, &builtin))
    {
      *name = g_strdup (st_builtin_data_get_name (builtin));
      *kind = builtin;
      return st_builtin_data_generate (builtin, lesson->samples, lesson->noise, 1);
    }

  if (g_strcmp0 (lesson->data, "digits") == 0)
    {
      const char *path = g_getenv ("SPARSE_TRAINER_DIGITS");
      g_autoptr(GFile) file = NULL;
      g_autoptr(GError) local_error = NULL;
      StDataset *dataset;

      if (path == NULL || *path == '\0')
        path = ST_DIGITS_CSV;

      file = g_file_new_for_path (path);
      dataset = st_dataset_load_csv (file, 64, 10, NULL, &local_error);
      if (dataset == NULL)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                         _("The handwritten digits are not installed. On Debian and Ubuntu, "
                           "install the package python3-sklearn, which contains them as %s. "
                           "Elsewhere, set SPARSE_TRAINER_DIGITS to a CSV file with 64 pixel "
                           "columns (0 to 16) and a label column."), ST_DIGITS_CSV);
          else
            g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      *name = g_strdup (_("Handwritten digits (UCI)"));
      *kind = ST_N_BUILTIN_DATA;
      return dataset;
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "Unknown data set “%s” in lesson %s",
               lesson->data, lesson->id);
  return NULL;
}

/* Returns: whether @record meets the lesson's goal. */
gboolean
st_lesson_goal_reached (const StLesson        *lesson,
                        const StHistoryRecord *record)
{
  switch (lesson->goal)
    {
    case ST_LESSON_GOAL_TEST_ACCURACY:
      return record->test_accuracy >= lesson->goal_value;
    case ST_LESSON_GOAL_TRAIN_COST:
      return record->train_cost <= lesson->goal_value;
    case ST_LESSON_GOAL_TEST_COST:
      return record->test_cost <= lesson->goal_value;
    default:
      g_assert_not_reached ();
    }
}
