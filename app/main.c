/* main.c: the entry point of the window application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "st-application.h"

/* Translations are looked up in LOCALEDIR, set at build time.  For runs
 * from the build tree, SPARSE_TRAINER_LOCALEDIR may point at another
 * folder with <lang>/LC_MESSAGES/sparse-trainer.mo files. */
static const char *
get_locale_dir (void)
{
  const char *dir = g_getenv ("SPARSE_TRAINER_LOCALEDIR");

  return dir != NULL && *dir != '\0' ? dir : LOCALEDIR;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(StApplication) application = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, get_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Sparse Trainer"));

  application = st_application_new (APPLICATION_ID, G_APPLICATION_HANDLES_OPEN);

  return g_application_run (G_APPLICATION (application), argc, argv);
}
