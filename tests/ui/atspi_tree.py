# SPDX-License-Identifier: GPL-3.0-or-later
"""Finding and clicking the application's controls in the AT-SPI tree,
as a screen reader does, for the tests that drive the real program."""

import os
import time

# The tests run with G_DEBUG=fatal-warnings for the application.  This
# process is the screen reader's side: when a test kills the application,
# the AT-SPI client library warns about the dead objects it still knew
# ("Object does not exist at path /org/a11y/atspi/cache"), and a fatal
# warning then stops the test itself.  GLib reads G_DEBUG when pyatspi
# loads it, so the flag is dropped here, before the import.  The
# application's own environment can take APPLICATION_G_DEBUG back.
APPLICATION_G_DEBUG = os.environ.get("G_DEBUG")
os.environ["G_DEBUG"] = ",".join(flag for flag in os.environ.get("G_DEBUG", "").split(",")
                                 if flag and flag != "fatal-warnings")

import pyatspi  # noqa: E402  (must follow the G_DEBUG change)

# Seconds a search waits for a control to appear.
TIMEOUT = 30.0


def walk(node, depth=0):
    """Yields node and every node below it, depth first."""
    if node is None or depth > 60:
        return
    yield node
    # The window rebuilds parts of its tree, for example when a lesson
    # loads, and a node that is gone raises for its children.
    try:
        count = node.childCount
    except Exception:
        return
    for i in range(count):
        try:
            child = node.getChildAtIndex(i)
        except Exception:
            continue
        yield from walk(child, depth + 1)


def name_matches(name, expected):
    """GTK 4.8 names a button with a mnemonic "_Save Save"."""
    return name == expected or name.replace("_", "") == expected or name.split(" ", 1)[-1] == expected


def find(root, name, role=None):
    """The first node below root with that name and role, or None."""
    for node in walk(root):
        try:
            if name_matches(node.name, name) and (role is None or node.getRoleName() == role):
                return node
        except Exception:
            continue
    return None


def wait_find(root, name, role=None, timeout=TIMEOUT):
    """find(), repeated until the node appears or timeout seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        node = find(root, name, role)
        if node is not None:
            return node
        time.sleep(0.2)
    return None


def click(node):
    """Runs the node's click-like action, or that of a descendant (a
    GtkMenuButton keeps it on an inner button).  Returns whether there
    was one."""
    if node is None:
        return False
    for candidate in walk(node):
        try:
            action = candidate.queryAction()
        except NotImplementedError:
            continue
        for i in range(action.nActions):
            if action.getName(i) in ("click", "activate", "press"):
                action.doAction(i)
                return True
    return False


def find_app(process=None, timeout=TIMEOUT):
    """The sparse-trainer application in the tree, the one of process
    when given, or None once timeout seconds pass or process exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and (process is None or process.poll() is None):
        desktop = pyatspi.Registry.getDesktop(0)
        for i in range(desktop.childCount):
            app = desktop.getChildAtIndex(i)
            try:
                if (app is not None and app.name == "sparse-trainer" and
                        (process is None or app.get_process_id() == process.pid)):
                    return app
            except Exception:
                continue
        time.sleep(0.2)
    return None
