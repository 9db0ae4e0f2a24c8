#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Drive the real application through the accessibility tree (AT-SPI).

Starts sparse-trainer, finds its controls by role and accessible name
as a screen reader would, opens the XOR lesson from the Lessons menu,
takes a step, starts training and waits until the lesson's goal reads
"Reached".  Prints TAP.  Needs a display and a session bus
(run-with-display.sh) and Debian's python3-pyatspi, which is why it
runs with /usr/bin/python3.

Usage: test-atspi.py PATH/TO/sparse-trainer
"""

import os
import subprocess
import sys
import time

from atspi_tree import APPLICATION_G_DEBUG, TIMEOUT, click, find, find_app, wait_find, walk

results = []


# Roles of the nodes a user operates.
CONTROL_ROLES = {"push button", "toggle button", "combo box", "check box", "radio button",
                 "spin button", "slider", "menu item", "switch", "text", "entry"}


def report(ok, name, detail=""):
    results.append(ok)
    print(f"{'ok' if ok else 'not ok'} {len(results)} {name}" + (f" # {detail}" if detail else ""), flush=True)


def start_app(env):
    """Starts the application and waits for it in the accessibility tree."""
    process = subprocess.Popen([sys.argv[1]], env=env)
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline and process.poll() is None:
        if find_app(timeout=1) is not None:
            break
    return process


def main():
    env = dict(os.environ)
    env.pop("GTK_A11Y", None)
    if APPLICATION_G_DEBUG is not None:
        env["G_DEBUG"] = APPLICATION_G_DEBUG

    # Settings from a key file in the test's own config folder: training
    # as fast as possible, so the lesson reaches its goal in seconds.
    settings_dir = os.path.join(env.get("XDG_CONFIG_HOME", os.path.expanduser("~/.config")), "glib-2.0", "settings")
    os.makedirs(settings_dir, exist_ok=True)
    with open(os.path.join(settings_dir, "keyfile"), "w", encoding="utf-8") as keyfile:
        keyfile.write("[io/github/sparsetrainer/SparseTrainer]\nsteps-per-second=uint32 0\n")
    env["GSETTINGS_BACKEND"] = "keyfile"

    app_process = start_app(env)
    try:
        run(app_process)
    finally:
        app_process.terminate()
        try:
            app_process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            app_process.kill()
    print(f"1..{len(results)}")
    return 0 if all(results) else 1


def still_running(process):
    """Whether @process is alive two seconds from now."""
    try:
        process.wait(timeout=2)
    except subprocess.TimeoutExpired:
        return True
    return False


def run(app_process):
    app = find_app()
    report(app is not None, "application is in the accessibility tree")
    if app is None:
        return

    start = wait_find(app, "Start", "push button")
    report(start is not None, "Start button found by name")
    for name, role in [("Weights of the layer", "image"), ("Cost during training", "image"),
                       ("Step", "push button"), ("Reset", "push button"), ("Main Menu", "push button"),
                       ("Zoom in", "push button"), ("Draw tool", None),
                       ("Training history", "slider")]:
        report(find(app, name, role) is not None, f"{role or 'control'} “{name}” has its accessible name")

    # GTK 4.8 names a control after its type when nothing else names it,
    # which a screen reader would read out as "GtkToggleButton".
    unnamed = []
    for node in walk(app):
        try:
            role = node.getRoleName()
            if role in CONTROL_ROLES and (node.name or "").startswith("Gtk"):
                unnamed.append(f"{role} {node.name}")
        except Exception:
            continue
    report(not unnamed, "no control is named after its GTK type", ", ".join(unnamed))

    # One step of the worked example: the Step row's value becomes 1.25
    # for the cost and 1 for the step.
    report(click(find(app, "Step", "push button")), "Step button clicked")
    report(wait_find(app, "1.25", "label") is not None, "the cost label reads 1.25 after one step")

    # A loaded machine may take a while to build the popover: open the
    # menu again if its items do not show up.
    lessons = find(app, "Lessons", "push button")
    item = None
    for attempt in range(3):
        if lessons is None or not click(lessons):
            break
        item = wait_find(app, "XOR with a sparse hidden layer", "menu item", timeout=10)
        if item is not None:
            break
    report(lessons is not None, "Lessons menu found")
    report(item is not None and click(item), "XOR lesson chosen from the menu")

    # The worked example has unsaved changes: discard them.
    discard = wait_find(app, "Discard", "push button", timeout=20)
    report(discard is not None and click(discard), "unsaved changes discarded")

    goal = wait_find(app, "Not yet", "label")
    report(goal is not None, "the lesson's goal reads “Not yet”")
    report(click(wait_find(app, "Start", "push button")), "training started")
    report(wait_find(app, "Reached", "label", timeout=60) is not None, "the lesson's goal is reached")

    # A screen reader whose count of windows is stale asks for an index
    # past the last visible window.  GTK 4.8 then replies with the last
    # window in its list, and a hidden one there ends the application
    # (see st-window-view.c).
    try:
        app.getChildAtIndex(app.childCount)
    except Exception:
        pass
    report(still_running(app_process), "a window index past the last one leaves the application running",
           "" if app_process.returncode is None else f"exit status {app_process.returncode}")


if __name__ == "__main__":
    sys.exit(main())
