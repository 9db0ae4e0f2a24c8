/* st-lessons.h: ready models with data and an explanation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "st-engine.h"

G_BEGIN_DECLS

/* What a lesson's goal measures, after each epoch. */
typedef enum
{
  ST_LESSON_GOAL_TEST_ACCURACY,  /* at least the goal value */
  ST_LESSON_GOAL_TRAIN_COST,     /* at most the goal value */
  ST_LESSON_GOAL_TEST_COST,      /* at most the goal value */
} StLessonGoal;

typedef struct
{
  char *id;             /* the file name without .lesson */
  char *title;          /* translated */
  char *explanation;    /* translated */
  char *goal_text;      /* translated */
  int order;
  char *model;          /* a model file name in the lessons resources */
  char *data;           /* a built-in data set id, or "digits" */
  guint samples;
  double noise;
  double test_fraction;
  StOptimizerKind optimizer;
  double learning_rate;
  guint batch_size;
  guint epochs;
  guint64 seed;
  gboolean standardize;
  StLessonGoal goal;
  double goal_value;
} StLesson;

/* Where Debian's python3-sklearn keeps the UCI handwritten digits. */
#define ST_DIGITS_CSV "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz"

GPtrArray  *st_lessons_load_all     (GError         **error);
StLesson   *st_lesson_load          (const char      *id,
                                     GError         **error);
void        st_lesson_free          (StLesson        *lesson);
StNetwork  *st_lesson_load_model    (const StLesson  *lesson,
                                     GError         **error);
StDataset  *st_lesson_load_data     (const StLesson  *lesson,
                                     char           **name,
                                     guint           *kind,
                                     GError         **error);
gboolean    st_lesson_goal_reached  (const StLesson        *lesson,
                                     const StHistoryRecord *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StLesson, st_lesson_free)

G_END_DECLS
