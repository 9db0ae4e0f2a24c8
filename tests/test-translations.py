#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that the Chinese catalog translates every string the sources mark.

The strings are extracted the way meson's i18n module does it for the
sparse-trainer-pot target, so a marked string without a translation fails
here instead of reaching a classroom in English.

Usage: test-translations.py SOURCE_ROOT
Prints TAP.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

import polib

SOURCE_ROOT = os.path.abspath(sys.argv[1])
POTFILES = os.path.join(SOURCE_ROOT, "po", "POTFILES.in")
PO_MESON_BUILD = os.path.join(SOURCE_ROOT, "po", "meson.build")

# Catalogs that must stay complete: the first classrooms speak Chinese.
CATALOGS = [os.path.join(SOURCE_ROOT, "po", "zh_CN.po")]

# The folders whose files must be listed in POTFILES.in when they contain
# translatable strings.
SCANNED_FOLDERS = ["app", "engine", "ui", "data"]

# The arguments of meson's 'glib' preset (mesonbuild/modules/i18n.py in
# meson 1.0.1), which po/meson.build selects.  meson adds -k_ itself.
# xgettext finds the rules for .ui, .metainfo.xml(.in) and .gschema.xml
# files in the ITS folders that gettext and GTK install, and reads
# .desktop(.in) files natively, exactly as it does under meson.
GLIB_PRESET_ARGS = [
    "--from-code=UTF-8",
    "--add-comments",
    "--keyword=_",
    "--keyword=N_",
    "--keyword=C_:1c,2",
    "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2",
    "--keyword=g_dngettext:2,3",
    "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format",
    "--flag=C_:2:pass-c-format",
    "--flag=NC_:2:pass-c-format",
    "--flag=g_dngettext:2:pass-c-format",
    "--flag=g_strdup_printf:1:c-format",
    "--flag=g_string_printf:2:c-format",
    "--flag=g_string_append_printf:2:c-format",
    "--flag=g_error_new:3:c-format",
    "--flag=g_set_error:4:c-format",
    "--flag=g_markup_printf_escaped:1:c-format",
    "--flag=g_log:3:c-format",
    "--flag=g_print:1:c-format",
    "--flag=g_printerr:1:c-format",
    "--flag=g_printf:1:c-format",
    "--flag=g_fprintf:2:c-format",
    "--flag=g_sprintf:2:c-format",
    "--flag=g_snprintf:3:c-format",
]

# ngettext is one of xgettext's default C keywords; naming it keeps the
# extraction independent of those defaults.
EXTRA_KEYWORDS = ["--keyword=ngettext:1,2"]

# A gettext call with a string literal in C: _("…"), N_("…"), C_("…",
# "…"), NC_(…), ngettext ("…", …) and GLib's g_d*gettext functions.
C_MARK = re.compile(r'(?<!\w)(?:N|C|NC)?_\s*\(\s*"|(?<!\w)ngettext\s*\(|'
                    r'(?<!\w)g_d(?:c|n|p)?gettext2?\s*\(')

results = []


def test(function):
    """Register a test; its name is the function's name."""
    results.append(function)
    return function


def listed_files():
    """Return the paths that POTFILES.in lists, relative to the source root."""
    with open(POTFILES, encoding="utf-8") as stream:
        lines = [line.strip() for line in stream]
    return [line for line in lines if line and not line.startswith("#")]


def project_args():
    """Return the extra xgettext arguments that po/meson.build passes."""
    with open(PO_MESON_BUILD, encoding="utf-8") as stream:
        text = stream.read()
    call = re.search(r"i18n\.gettext\((.*?)\n\)", text, re.DOTALL)
    if call is None:
        raise AssertionError(f"{PO_MESON_BUILD} has no i18n.gettext() call to read the "
                             "xgettext arguments from")
    args = re.search(r"args:\s*\[(.*?)\]", call.group(1), re.DOTALL)
    if args is None:
        return []
    return re.findall(r"'([^']*)'", args.group(1))


def extract_template(directory):
    """Run xgettext over POTFILES.in as meson does; return the template's path."""
    xgettext = shutil.which("xgettext")
    if xgettext is None:
        raise AssertionError("xgettext is not installed: install the gettext package")
    template = os.path.join(directory, "extracted.pot")
    command = [xgettext, "--package-name=sparse-trainer", "-f", POTFILES, "-D", SOURCE_ROOT,
               "-k_", "-o", template,
               *GLIB_PRESET_ARGS, *EXTRA_KEYWORDS, *project_args()]
    done = subprocess.run(command, cwd=SOURCE_ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise AssertionError(f"xgettext exited {done.returncode}:\n{done.stderr}")
    return template


def describe(entry):
    """Return an entry's msgid, with its context when it has one."""
    if entry.msgctxt:
        return f"{entry.msgctxt!r} | {entry.msgid!r}"
    return repr(entry.msgid)


@test
def every_marked_string_is_translated():
    with tempfile.TemporaryDirectory() as directory:
        template = polib.pofile(extract_template(directory))
    if len(template) == 0:
        raise AssertionError("xgettext found no translatable strings; check POTFILES.in")

    problems = []
    for path in CATALOGS:
        catalog = polib.pofile(path)
        name = os.path.relpath(path, SOURCE_ROOT)
        for entry in template:
            found = catalog.find(entry.msgid, msgctxt=entry.msgctxt)
            if found is None or found.obsolete:
                problems.append(f"{name}: missing: {describe(entry)}")
            elif found.msgid_plural != entry.msgid_plural:
                problems.append(f"{name}: the plural form differs from the sources': "
                                f"{describe(entry)}")
            elif "fuzzy" in found.flags:
                problems.append(f"{name}: fuzzy: {describe(entry)}")
            elif not found.translated():
                problems.append(f"{name}: untranslated: {describe(entry)}")

    if problems:
        problems.append("Run 'ninja -C BUILD sparse-trainer-pot sparse-trainer-update-po', "
                        "then translate these entries and remove their fuzzy flags.")
        raise AssertionError("\n".join(problems))


def marks_strings(relative_path):
    """Return whether the file contains strings that xgettext should extract."""
    name = os.path.basename(relative_path)
    if name.endswith((".desktop.in", ".metainfo.xml.in")):
        return True

    try:
        with open(os.path.join(SOURCE_ROOT, relative_path), encoding="utf-8") as stream:
            text = stream.read()
    except (UnicodeDecodeError, OSError):
        return False  # binary files, such as icons, contain no strings

    if name.endswith((".c", ".h")):
        return C_MARK.search(text) is not None
    if name.endswith(".ui"):
        return 'translatable="yes"' in text
    if name.endswith(".gschema.xml"):
        # Summaries and descriptions are translatable unless marked otherwise.
        return "<summary" in text or "<description" in text
    return False


@test
def every_file_with_strings_is_listed():
    listed = listed_files()
    problems = [f"po/POTFILES.in lists {path}, which does not exist"
                for path in listed if not os.path.isfile(os.path.join(SOURCE_ROOT, path))]

    for folder in SCANNED_FOLDERS:
        for directory, subdirectories, files in os.walk(os.path.join(SOURCE_ROOT, folder)):
            subdirectories.sort()
            for name in sorted(files):
                path = os.path.relpath(os.path.join(directory, name), SOURCE_ROOT)
                path = path.replace(os.sep, "/")
                if path not in listed and marks_strings(path):
                    problems.append(f"{path} has translatable strings, but po/POTFILES.in "
                                    "does not list it")

    if problems:
        raise AssertionError("\n".join(problems))


@test
def catalog_formats_match_the_sources():
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        raise AssertionError("msgfmt is not installed: install the gettext package")

    problems = []
    for path in CATALOGS:
        done = subprocess.run([msgfmt, "--check-format", "--check-header", "-o", os.devnull,
                               path], capture_output=True, text=True)
        if done.returncode != 0:
            problems.append(f"msgfmt --check-format --check-header rejects {path}:\n"
                            f"{done.stderr}")

    if problems:
        raise AssertionError("\n".join(problems))


def main():
    print(f"1..{len(results)}")
    failed = 0
    for number, function in enumerate(results, start=1):
        try:
            function()
        except Exception as error:  # report every failure, then go on
            failed += 1
            print(f"not ok {number} - {function.__name__}")
            for line in str(error).splitlines() or [repr(error)]:
                print(f"# {line}")
        else:
            print(f"ok {number} - {function.__name__}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
