/* st-combo-list.h: drop-down lists that show their whole items
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void st_combo_row_show_whole_items (AdwComboRow *row);

G_END_DECLS
