/* window-test-utils.h: driving a real window in GLib tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "st-application.h"
#include "st-engine.h"
#include "st-window.h"

G_BEGIN_DECLS

/* Longest wait for the window to show a result, in milliseconds. */
#define WAIT_MS 20000

typedef struct
{
  StWindow *window;
  char *scratch;  /* a temporary folder for files the test writes */
} Fixture;

typedef gboolean (*Condition) (Fixture *fixture);

extern StApplication *test_application;

void        test_init_application     (int          *argc,
                                       char       ***argv);
void        fixture_set_up            (Fixture       *fixture,
                                       gconstpointer  data);
void        fixture_tear_down         (Fixture       *fixture,
                                       gconstpointer  data);
gboolean    wait_for                  (Fixture       *fixture,
                                       Condition      condition,
                                       guint          timeout_ms);
void        run_for                   (guint          ms);
GtkWidget  *find_widget_by_name       (GtkWidget     *root,
                                       const char    *name);
GtkWidget  *find_widget_by_type       (GtkWidget     *root,
                                       GType          type);
const char *read_label                (Fixture       *fixture,
                                       const char    *name);
guint64     read_step                 (Fixture       *fixture);
void        activate                  (Fixture       *fixture,
                                       const char    *action,
                                       GVariant      *parameter);
void        change_state              (Fixture       *fixture,
                                       const char    *action,
                                       GVariant      *state);
void        set_running               (Fixture       *fixture,
                                       gboolean       running);
void        pause_and_settle          (Fixture       *fixture);
void        step_to                   (Fixture       *fixture,
                                       guint64        expected);
GtkWindow  *find_toplevel             (Fixture       *fixture,
                                       GType          type,
                                       const char    *name);
gboolean    has_message_dialog        (Fixture       *fixture);
void        close_message_dialog      (Fixture       *fixture,
                                       const char    *response);
void        save_screenshot           (Fixture       *fixture,
                                       GtkWidget     *widget,
                                       const char    *name);

G_END_DECLS
