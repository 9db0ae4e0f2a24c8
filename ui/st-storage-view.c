/* st-storage-view.c: the arrays a layout stores a small layer in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For a class, the point is that CSR, CSC and COO hold the same entries
 * in different orders, so training gives the same result in each.  The
 * view draws the arrays of the layer's layout as rows of numbered boxes:
 *
 *   CSR: row pointers (rows + 1), column indices and values, by row;
 *   CSC: column pointers (cols + 1), row indices and values, by column;
 *   COO: row indices, column indices and values, by row then column.
 *
 * The entry under the pointer in the heat map is outlined in every
 * array (with its row's or column's two pointers), and hovering a box
 * reports its entry so that the heat map can outline it in turn.
 *
 * The arrays are built here from the canonical entries, by the layouts'
 * definitions in st-types.h, not read from the engine's private arrays.
 */

#define G_LOG_DOMAIN "st-storage-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "st-storage-view.h"

#define BOX_HEIGHT 22
#define INDEX_WIDTH 30
#define VALUE_WIDTH 54
#define TITLE_HEIGHT 22
#define ARRAY_GAP 10
#define PADDING 6

typedef struct
{
  double x;
  double y;
  double width;
  int array;    /* 0, 1 or 2 */
  gsize index;  /* in the array */
} Box;

struct _StStorageView
{
  GtkWidget parent_instance;

  guint rows;
  guint cols;
  gsize nnz;
  guint *entry_rows;     /* canonical order */
  guint *entry_cols;
  double *values;        /* canonical order */
  gsize *order;          /* layout position -> canonical position */
  gsize *pointers;       /* CSR row or CSC column pointers; NULL for COO */
  guint n_pointers;
  StLayout layout;

  GArray *boxes;         /* Box, for the last width */
  int boxes_width;
  double content_height;
  GskRenderNode *cache;

  int highlight_row;
  int highlight_col;
  GdkRGBA foreground;
  GdkRGBA accent;
};

G_DEFINE_FINAL_TYPE (StStorageView, st_storage_view, GTK_TYPE_WIDGET)

enum {
  ENTRY_HOVERED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
st_storage_view_invalidate (StStorageView *self)
{
  g_clear_pointer (&self->cache, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void st_storage_view_update_description (StStorageView *self);

static gsize
array_length (StStorageView *self,
              int            array)
{
  if (array == 0 && self->layout != ST_LAYOUT_COO)
    return self->n_pointers;

  return self->nnz;
}

static double
box_width (StStorageView *self,
           int            array)
{
  return array == 2 ? VALUE_WIDTH : INDEX_WIDTH;
}

static const char *
array_title (StStorageView *self,
             int            array)
{
  switch (self->layout)
    {
    case ST_LAYOUT_CSR:
      return array == 0 ? _("Row pointers: where each row starts")
           : array == 1 ? _("Column indices")
           : _("Values, row by row");
    case ST_LAYOUT_CSC:
      return array == 0 ? _("Column pointers: where each column starts")
           : array == 1 ? _("Row indices")
           : _("Values, column by column");
    case ST_LAYOUT_COO:
    default:
      return array == 0 ? _("Row indices")
           : array == 1 ? _("Column indices")
           : _("Values, row by row");
    }
}

/* Lays the boxes out in rows that wrap at @width. */
static void
st_storage_view_layout (StStorageView *self,
                        int            width)
{
  double y = PADDING;

  if (self->boxes_width == width && self->boxes->len > 0)
    return;

  g_array_set_size (self->boxes, 0);
  self->boxes_width = width;

  for (int array = 0; array < 3 && self->rows > 0; array++)
    {
      double w = box_width (self, array);
      double x = PADDING;
      gsize n = array_length (self, array);

      y += TITLE_HEIGHT;
      for (gsize i = 0; i < n; i++)
        {
          Box box = { x, y, w, array, i };

          if (x + w > width - PADDING && x > PADDING)
            {
              x = PADDING;
              y += BOX_HEIGHT + 2;
              box.x = x;
              box.y = y;
            }
          g_array_append_val (self->boxes, box);
          x += w;
        }
      y += BOX_HEIGHT + ARRAY_GAP;
    }

  self->content_height = y + PADDING;
}

/* The canonical entry of a box, or -1 for a pointer box. */
static gssize
box_entry (StStorageView *self,
           const Box     *box)
{
  if (box->array == 0 && self->layout != ST_LAYOUT_COO)
    return -1;

  return (gssize) self->order[box->index];
}

static char *
box_text (StStorageView *self,
          const Box     *box)
{
  gssize k = box_entry (self, box);

  if (k < 0)
    return g_strdup_printf ("%" G_GSIZE_FORMAT, self->pointers[box->index]);

  switch (box->array)
    {
    case 0:
      return g_strdup_printf ("%u", self->entry_rows[k]);
    case 1:
      return g_strdup_printf ("%u", self->layout == ST_LAYOUT_CSC ? self->entry_rows[k] : self->entry_cols[k]);
    default:
      return g_strdup_printf ("%.3g", self->values != NULL ? self->values[k] : 0.0);
    }
}

static gboolean
box_is_highlighted (StStorageView *self,
                    const Box     *box)
{
  gssize k = box_entry (self, box);

  if (self->highlight_row < 0)
    return FALSE;

  if (k < 0)
    {
      /* The two pointers around the highlighted row (CSR) or column (CSC). */
      guint line = self->layout == ST_LAYOUT_CSR ? (guint) self->highlight_row : (guint) self->highlight_col;

      return box->index == line || box->index == line + 1;
    }

  return self->entry_rows[k] == (guint) self->highlight_row && self->entry_cols[k] == (guint) self->highlight_col;
}

static GskRenderNode *
st_storage_view_build_node (StStorageView *self,
                            int            width)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  PangoAttrList *attributes = pango_attr_list_new ();
  cairo_t *cr;
  int last_array = -1;

  st_storage_view_layout (self, width);
  pango_attr_list_insert (attributes, pango_attr_scale_new (0.8));
  pango_attr_list_insert (attributes, pango_attr_font_features_new ("tnum=1"));

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, self->content_height));
  cairo_set_line_width (cr, 1.0);

  for (guint i = 0; i < self->boxes->len; i++)
    {
      const Box *box = &g_array_index (self->boxes, Box, i);
      g_autofree char *text = box_text (self, box);
      int text_width, text_height;

      if (box->array != last_array)
        {
          last_array = box->array;
          pango_layout_set_attributes (layout, NULL);
          pango_layout_set_text (layout, array_title (self, box->array), -1);
          cairo_set_source_rgba (cr, self->foreground.red, self->foreground.green, self->foreground.blue, 0.8);
          cairo_move_to (cr, PADDING, box->y - TITLE_HEIGHT + 2);
          pango_cairo_show_layout (cr, layout);
          pango_layout_set_attributes (layout, attributes);
        }

      if (box_is_highlighted (self, box))
        {
          gdk_cairo_set_source_rgba (cr, &self->accent);
          cairo_rectangle (cr, box->x, box->y, box->width, BOX_HEIGHT);
          cairo_fill (cr);
          cairo_set_source_rgb (cr, 1, 1, 1);
        }
      else
        {
          cairo_set_source_rgba (cr, self->foreground.red, self->foreground.green, self->foreground.blue, 0.3);
          cairo_rectangle (cr, box->x + 0.5, box->y + 0.5, box->width - 1, BOX_HEIGHT - 1);
          cairo_stroke (cr);
          cairo_set_source_rgba (cr, self->foreground.red, self->foreground.green, self->foreground.blue, 0.9);
        }

      pango_layout_set_text (layout, text, -1);
      pango_layout_get_pixel_size (layout, &text_width, &text_height);
      cairo_move_to (cr, round (box->x + (box->width - text_width) / 2), round (box->y + (BOX_HEIGHT - text_height) / 2));
      pango_cairo_show_layout (cr, layout);
    }

  cairo_destroy (cr);
  pango_attr_list_unref (attributes);

  return gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

static void
st_storage_view_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  StStorageView *self = ST_STORAGE_VIEW (widget);
  int width = gtk_widget_get_width (widget);

  if (width <= 0 || self->rows == 0)
    return;

  if (self->cache == NULL)
    self->cache = st_storage_view_build_node (self, width);

  gtk_snapshot_append_node (snapshot, self->cache);
}

static GtkSizeRequestMode
st_storage_view_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
st_storage_view_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  StStorageView *self = ST_STORAGE_VIEW (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = VALUE_WIDTH * 3 + 2 * PADDING;
      *natural = 320;
      return;
    }

  st_storage_view_layout (self, for_size > 0 ? for_size : 320);
  *minimum = *natural = (int) ceil (self->content_height);
}

static void
st_storage_view_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  StStorageView *self = ST_STORAGE_VIEW (widget);

  if (self->boxes_width != width)
    st_storage_view_invalidate (self);
}

static void
st_storage_view_css_changed (GtkWidget         *widget,
                             GtkCssStyleChange *change)
{
  StStorageView *self = ST_STORAGE_VIEW (widget);
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  GTK_WIDGET_CLASS (st_storage_view_parent_class)->css_changed (widget, change);

  gtk_style_context_get_color (context, &self->foreground);
  if (!gtk_style_context_lookup_color (context, "accent_bg_color", &self->accent))
    self->accent = (GdkRGBA) { 0.21, 0.52, 0.89, 1.0 };
  st_storage_view_invalidate (self);
}

static void
st_storage_view_motion (StStorageView            *self,
                        double                    x,
                        double                    y,
                        GtkEventControllerMotion *controller)
{
  for (guint i = 0; i < self->boxes->len; i++)
    {
      const Box *box = &g_array_index (self->boxes, Box, i);
      gssize k;

      if (x < box->x || x >= box->x + box->width || y < box->y || y >= box->y + BOX_HEIGHT)
        continue;

      k = box_entry (self, box);
      if (k >= 0)
        {
          st_storage_view_set_highlight (self, self->entry_rows[k], self->entry_cols[k]);
          g_signal_emit (self, signals[ENTRY_HOVERED], 0, (int) self->entry_rows[k], (int) self->entry_cols[k]);
        }
      return;
    }
}

/* Sorts positions by column, then row: the CSC order. */
static int
compare_column_major (gconstpointer a,
                      gconstpointer b,
                      gpointer      data)
{
  StStorageView *self = data;
  gsize i = *(const gsize *) a;
  gsize j = *(const gsize *) b;

  if (self->entry_cols[i] != self->entry_cols[j])
    return self->entry_cols[i] < self->entry_cols[j] ? -1 : 1;
  if (self->entry_rows[i] != self->entry_rows[j])
    return self->entry_rows[i] < self->entry_rows[j] ? -1 : 1;
  return 0;
}

/**
 * st_storage_view_set_layer:
 * @self: a storage view
 * @rows: the layer's rows
 * @cols: its columns
 * @nnz: stored entries
 * @entry_rows: their rows, canonical order
 * @entry_cols: their columns
 * @layout: the layout to show
 *
 * Returns: %FALSE, showing nothing, when the layer has more than
 *   %ST_STORAGE_VIEW_MAX_DIMENSION rows or columns
 */
gboolean
st_storage_view_set_layer (StStorageView *self,
                           guint          rows,
                           guint          cols,
                           gsize          nnz,
                           const guint   *entry_rows,
                           const guint   *entry_cols,
                           StLayout       layout)
{
  gboolean shown = rows <= ST_STORAGE_VIEW_MAX_DIMENSION && cols <= ST_STORAGE_VIEW_MAX_DIMENSION;

  g_return_val_if_fail (ST_IS_STORAGE_VIEW (self), FALSE);

  g_clear_pointer (&self->entry_rows, g_free);
  g_clear_pointer (&self->entry_cols, g_free);
  g_clear_pointer (&self->values, g_free);
  g_clear_pointer (&self->order, g_free);
  g_clear_pointer (&self->pointers, g_free);
  self->rows = self->cols = 0;
  self->nnz = 0;
  self->n_pointers = 0;
  self->highlight_row = self->highlight_col = -1;
  self->boxes_width = -1;

  if (shown)
    {
      self->rows = rows;
      self->cols = cols;
      self->nnz = nnz;
      self->layout = layout;
      self->entry_rows = g_memdup2 (entry_rows, sizeof (guint) * nnz);
      self->entry_cols = g_memdup2 (entry_cols, sizeof (guint) * nnz);
      self->order = g_new (gsize, MAX (nnz, 1));
      for (gsize k = 0; k < nnz; k++)
        self->order[k] = k;

      if (layout == ST_LAYOUT_CSC)
        g_qsort_with_data (self->order, nnz, sizeof (gsize), compare_column_major, self);

      if (layout != ST_LAYOUT_COO)
        {
          guint n_lines = layout == ST_LAYOUT_CSR ? rows : cols;

          self->n_pointers = n_lines + 1;
          self->pointers = g_new0 (gsize, self->n_pointers);
          for (gsize k = 0; k < nnz; k++)
            self->pointers[(layout == ST_LAYOUT_CSR ? entry_rows[k] : entry_cols[k]) + 1]++;
          for (guint i = 0; i < n_lines; i++)
            self->pointers[i + 1] += self->pointers[i];
        }
    }

  gtk_widget_queue_resize (GTK_WIDGET (self));
  st_storage_view_invalidate (self);
  st_storage_view_update_description (self);
  return shown;
}

/* Copies the values, in canonical order. */
void
st_storage_view_set_values (StStorageView *self,
                            const double  *values)
{
  g_return_if_fail (ST_IS_STORAGE_VIEW (self));

  if (self->rows == 0)
    return;

  g_free (self->values);
  self->values = g_memdup2 (values, sizeof (double) * self->nnz);
  st_storage_view_invalidate (self);
  st_storage_view_update_description (self);
}

/* Outlines entry (@row, @col) in the arrays; -1 for none. */
void
st_storage_view_set_highlight (StStorageView *self,
                               int            row,
                               int            col)
{
  g_return_if_fail (ST_IS_STORAGE_VIEW (self));

  if (self->highlight_row == row && self->highlight_col == col)
    return;

  self->highlight_row = row;
  self->highlight_col = col;
  st_storage_view_invalidate (self);
}

/**
 * st_storage_view_describe:
 * @self: a storage view
 *
 * Returns: (transfer full): the arrays as text, one array per line,
 *   for the accessibility tree and the tests
 */
char *
st_storage_view_describe (StStorageView *self)
{
  GString *text = g_string_new (NULL);
  int last_array = -1;

  g_return_val_if_fail (ST_IS_STORAGE_VIEW (self), NULL);

  st_storage_view_layout (self, MAX (self->boxes_width, 320));
  for (guint i = 0; i < self->boxes->len; i++)
    {
      const Box *box = &g_array_index (self->boxes, Box, i);
      g_autofree char *value = box_text (self, box);

      if (box->array != last_array)
        {
          if (last_array >= 0)
            g_string_append_c (text, '\n');
          g_string_append_printf (text, "%s:", array_title (self, box->array));
          last_array = box->array;
        }
      g_string_append_printf (text, " %s", value);
    }

  return g_string_free (text, FALSE);
}

/* Screen readers get the arrays as text, since the drawing has none. */
static void
st_storage_view_update_description (StStorageView *self)
{
  g_autofree char *text = st_storage_view_describe (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

static void
st_storage_view_finalize (GObject *object)
{
  StStorageView *self = ST_STORAGE_VIEW (object);

  g_clear_pointer (&self->cache, gsk_render_node_unref);
  g_array_unref (self->boxes);
  g_free (self->entry_rows);
  g_free (self->entry_cols);
  g_free (self->values);
  g_free (self->order);
  g_free (self->pointers);

  G_OBJECT_CLASS (st_storage_view_parent_class)->finalize (object);
}

static void
st_storage_view_class_init (StStorageViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = st_storage_view_finalize;

  widget_class->snapshot = st_storage_view_snapshot;
  widget_class->get_request_mode = st_storage_view_get_request_mode;
  widget_class->measure = st_storage_view_measure;
  widget_class->size_allocate = st_storage_view_size_allocate;
  widget_class->css_changed = st_storage_view_css_changed;

  /**
   * StStorageView::entry-hovered:
   * @self: the view
   * @row: the row of the entry under the pointer
   * @col: its column
   */
  signals[ENTRY_HOVERED] =
    g_signal_new ("entry-hovered",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);

  gtk_widget_class_set_css_name (widget_class, "storageview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
st_storage_view_init (StStorageView *self)
{
  GtkEventController *controller;

  self->boxes = g_array_new (FALSE, FALSE, sizeof (Box));
  self->boxes_width = -1;
  self->highlight_row = self->highlight_col = -1;
  self->foreground = (GdkRGBA) { 0, 0, 0, 1 };
  self->accent = (GdkRGBA) { 0.21, 0.52, 0.89, 1.0 };

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (controller, "motion", G_CALLBACK (st_storage_view_motion), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

GtkWidget *
st_storage_view_new (void)
{
  return g_object_new (ST_TYPE_STORAGE_VIEW, NULL);
}
