#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Compile the locales the locale test runs in into a folder of the build,
# so the test needs neither root nor locales generated on the system.
# LOCPATH points the C library at the folder.
#
# Usage: make-locales.sh OUTPUT_DIR

set -eu

out="$1"
mkdir -p "$out"

for name in de_DE zh_CN; do
  # -c keeps going past warnings about the source files, which are not
  # errors for our purpose; a missing source file still fails.
  if ! localedef -c -i "$name" -f UTF-8 "$out/$name.UTF-8" 2>"$out/$name.log"; then
    if [ ! -d "$out/$name.UTF-8" ]; then
      echo "make-locales.sh: cannot compile $name.UTF-8 (is the Debian package locales installed?)" >&2
      cat "$out/$name.log" >&2
      exit 1
    fi
  fi
done
