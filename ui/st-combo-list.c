/* st-combo-list.c: drop-down lists that show their whole items
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * AdwComboRow's own list cuts long items with an ellipsis at a narrow
 * width, so "Fan-in: the same number in every row" read "Fan-in: the
 * same num…".  The items of such rows explain themselves, so their list
 * wraps long items instead, with the same check mark beside the
 * selected one.  The row itself still shows the selection in one line.
 */

#include "config.h"

#include "st-combo-list.h"

/* Wide enough for most items on one line, narrow enough for a 1024-pixel
 * screen.  A longer item wraps onto a second line. */
#define ITEM_WIDTH_CHARS 40

/* Shows the check mark beside the row's selected item only, as the
 * default list does. */
static void
update_check (AdwComboRow *row,
              GParamSpec  *pspec,
              GtkListItem *item)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *check = gtk_widget_get_last_child (box);

  gtk_widget_set_opacity (check, gtk_list_item_get_position (item) == adw_combo_row_get_selected (row) ? 1.0 : 0.0);
}

static void
setup_item (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), ITEM_WIDTH_CHARS);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), check);
  gtk_list_item_set_child (item, box);
}

static void
bind_item (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  data)
{
  AdwComboRow *row = data;
  GtkStringObject *string = GTK_STRING_OBJECT (gtk_list_item_get_item (item));
  GtkWidget *label = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  gulong handler;

  gtk_label_set_text (GTK_LABEL (label), gtk_string_object_get_string (string));
  update_check (row, NULL, item);
  handler = g_signal_connect_object (row, "notify::selected", G_CALLBACK (update_check), item, 0);
  g_object_set_data (G_OBJECT (item), "st-check-handler", GSIZE_TO_POINTER (handler));
}

static void
unbind_item (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  data)
{
  gulong handler = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (item), "st-check-handler"));

  if (handler != 0 && g_signal_handler_is_connected (data, handler))
    g_signal_handler_disconnect (data, handler);
  g_object_set_data (G_OBJECT (item), "st-check-handler", NULL);
}

/**
 * st_combo_row_show_whole_items:
 * @row: a combo row whose model is a #GtkStringList
 *
 * Gives @row's drop-down list items that wrap rather than end in an
 * ellipsis.
 */
void
st_combo_row_show_whole_items (AdwComboRow *row)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  /* The row owns the factory, so it is alive when its items are bound
   * and unbound.  unbind_item() still checks the handler, because an
   * item that goes first takes its handler with it. */
  g_signal_connect (factory, "setup", G_CALLBACK (setup_item), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_item), row);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_item), row);
  adw_combo_row_set_list_factory (row, factory);
}
