/* st-number.c: locale-independent number parsing and printing for files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK sets LC_NUMERIC from the user's locale, and strtod() or printf("%g")
 * would then read and write "0,5" in German.  Files always use '.', so
 * every number in a file goes through these functions, which use GLib's
 * C-locale g_ascii_strtod() and g_ascii_formatd().
 */

#define G_LOG_DOMAIN "engine"

#include "config.h"

#include <errno.h>

#include "st-number.h"

/**
 * st_parse_double:
 * @text: a NUL-terminated token with no surrounding spaces
 * @value: (out): the number
 *
 * Parses a decimal or exponent notation number with '.' as the decimal
 * point, in any locale.  "nan" and "inf" parse, so callers that need
 * finite numbers check isfinite() and can say which value was wrong.
 *
 * Returns: %FALSE for an empty token, trailing characters, or a
 * magnitude beyond the range of a double
 */
gboolean
st_parse_double (const char *text,
                 double     *value)
{
  char *end = NULL;
  double parsed;

  if (text == NULL || *text == '\0')
    return FALSE;

  errno = 0;
  parsed = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0')
    return FALSE;

  /* ERANGE with a huge result means overflow; with a tiny one it means a
   * denormal or zero, which is a faithful reading of the text. */
  if (errno == ERANGE && (parsed > 1.0 || parsed < -1.0))
    return FALSE;

  *value = parsed;
  return TRUE;
}

/**
 * st_parse_uint64:
 * @text: a NUL-terminated token of decimal digits
 * @value: (out): the number
 *
 * Returns: %FALSE unless @text is a plain non-negative integer that fits
 * in 64 bits; signs, spaces and fractions are rejected
 */
gboolean
st_parse_uint64 (const char *text,
                 guint64    *value)
{
  guint64 result = 0;

  if (text == NULL || *text == '\0')
    return FALSE;

  for (const char *c = text; *c != '\0'; c++)
    {
      guint digit;

      if (!g_ascii_isdigit (*c))
        return FALSE;

      digit = (guint) (*c - '0');
      if (result > (G_MAXUINT64 - digit) / 10)
        return FALSE;
      result = result * 10 + digit;
    }

  *value = result;
  return TRUE;
}

static gboolean
format_round_trips (double  value,
                    int     precision,
                    char   *buffer)
{
  char format[8];

  g_snprintf (format, sizeof format, "%%.%dg", precision);
  g_ascii_formatd (buffer, ST_DOUBLE_BUFFER_SIZE, format, value);

  return g_ascii_strtod (buffer, NULL) == value;
}

/**
 * st_format_double:
 * @value: a finite double
 * @buffer: (out caller-allocates): at least %ST_DOUBLE_BUFFER_SIZE bytes
 *
 * Prints the shortest "%g" text, with '.' as the decimal point, that reads
 * back as exactly @value.  17 significant digits always suffice for a
 * double, so the search is bounded.
 *
 * Returns: (transfer none): @buffer
 */
const char *
st_format_double (double  value,
                  char   *buffer)
{
  int low = 1;
  int high = 17;

  /* Most trained weights need 16 or 17 digits; short values such as 0.5
   * are found by a binary search below 15. */
  if (!format_round_trips (value, 15, buffer))
    {
      if (!format_round_trips (value, 16, buffer))
        format_round_trips (value, 17, buffer);
      return buffer;
    }

  high = 15;
  while (low < high)
    {
      int middle = (low + high) / 2;

      if (format_round_trips (value, middle, buffer))
        high = middle;
      else
        low = middle + 1;
    }

  format_round_trips (value, low, buffer);
  return buffer;
}
