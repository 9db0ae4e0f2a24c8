#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Autosave and crash recovery, with the real application.

Starts sparse-trainer on a model file with an autosave every half
second, takes one step through the Step button, waits for the autosave,
and kills the application with SIGKILL.  A second start must offer the
work back; Recover opens it as unsaved work on the same file, Save
writes the trained weights there, and a normal close after a further
change leaves no autosave behind.  Drives the windows through the
accessibility tree (AT-SPI), as test-atspi.py does.  Prints TAP.

Usage: test-autosave.py SPARSE-TRAINER SPARSE-TRAINER-CLI SOURCE-ROOT
"""

import glob
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

from atspi_tree import TIMEOUT, click, find, find_app, wait_find

results = []


def report(ok, name, detail=""):
    results.append(bool(ok))
    print(f"{'ok' if ok else 'not ok'} {len(results)} {name}" + (f" # {detail}" if detail else ""), flush=True)
    return ok


def start_app(args, env):
    """Starts the application and waits for it in the accessibility tree.
    An application that exits at once (seen while other tests start and
    stop X servers) is started again, twice at most."""
    for attempt in range(3):
        process = subprocess.Popen(args, env=env)
        app = find_app(process)
        if app is not None:
            return process, app
        if process.poll() is None:
            return process, None
        print(f"# the application exited with status {process.returncode}; starting it again", flush=True)
    return process, None


def read_model(path):
    """The header and the weights {(row, col): value} of a one-layer
    model file, as docs/model-format.md describes the format."""
    with open(path, "rb") as model:
        data = model.read()
    first = data.index(b"\n")
    second = data.index(b"\n", first + 1)
    header = json.loads(data[first + 1:second])
    binary = data[second + 1:]
    layer = header["layers"][0]

    def array(name, code):
        spec = layer["arrays"][name]
        return struct.unpack_from(f"<{spec['count']}{code}", binary, spec["offset"])

    row_ptr = array("row_ptr", "q")
    col_index = array("col_index", "i")
    values = array("value", "d")
    weights = {}
    for row in range(layer["rows"]):
        for k in range(row_ptr[row], row_ptr[row + 1]):
            weights[(row, col_index[k])] = values[k]
    return header, weights


def worked_example_after_one_step(rate=0.1):
    """One SGD step on W = [[0, 0.5], [0.5, 0]], x = (4, 2), t = (2, 4):
    cost = mean((W x - t)^2) / 2 over two outputs, so
    dcost/dW_ij = (y_i - t_i) / 2 * x_j for the stored entries."""
    w = {(0, 1): 0.5, (1, 0): 0.5}
    x = (4.0, 2.0)
    t = (2.0, 4.0)
    y = [sum(w.get((i, j), 0.0) * x[j] for j in range(2)) for i in range(2)]
    return {(i, j): value - rate * (y[i] - t[i]) / 2.0 * x[j] for (i, j), value in w.items()}


def autosave_files(folder, suffix):
    return sorted(glob.glob(os.path.join(folder, "*" + suffix)))


def wait_until(condition, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    return None


def weights_close(actual, expected):
    return set(actual) == set(expected) and all(abs(actual[key] - expected[key]) < 1e-12 for key in expected)


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main():
    app_path, cli_path, source_root = sys.argv[1:4]
    scratch = tempfile.mkdtemp(prefix="sparse-trainer-autosave-")
    cache = os.path.join(scratch, "cache")
    folder = os.path.join(cache, "sparse-trainer", "autosave")

    env = dict(os.environ)
    env.pop("GTK_A11Y", None)
    # GTK's AT-SPI backend can log a warning of its own; see test-atspi.py.
    env.pop("G_DEBUG", None)
    env["XDG_CACHE_HOME"] = cache
    env["SPARSE_TRAINER_AUTOSAVE_INTERVAL"] = "0.5"

    model_path = os.path.join(scratch, "worked.stmodel")
    subprocess.run([cli_path, "new", "--weights", os.path.join(source_root, "data", "examples", "worked-example.mtx"),
                    "--no-bias", "--out", model_path], check=True, stdout=subprocess.DEVNULL)
    expected = worked_example_after_one_step()

    processes = []
    try:
        run(app_path, env, model_path, folder, expected, processes)
    finally:
        for process in processes:
            stop(process)
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"1..{len(results)}")
    return 0 if all(results) else 1


def run(app_path, env, model_path, folder, expected, processes):
    # First session: one step, an autosave, then a kill.
    process, app = start_app([app_path, model_path], env)
    processes.append(process)
    if not report(app is not None, "the application starts on the model file"):
        return
    report(wait_find(app, "worked.stmodel", "label") is not None, "the window shows the model's name")
    report(click(wait_find(app, "Step", "push button")), "Step clicked")
    report(wait_find(app, "1.25", "label") is not None, "the first step's cost reads 1.25")

    def autosave_has_step():
        for path in autosave_files(folder, ".stmodel"):
            try:
                header, weights = read_model(path)
            except (OSError, ValueError, KeyError, struct.error):
                continue
            if header.get("training", {}).get("step") == 1:
                return path, weights
        return None

    found = wait_until(autosave_has_step, timeout=20)
    if not report(found is not None, "an autosave of step 1 appears"):
        return
    report(weights_close(found[1], expected), "the autosave holds the trained weights", str(found[1]))
    report(len(autosave_files(folder, ".lock")) == 1, "the window holds a lock beside it")

    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    report(process.returncode == -signal.SIGKILL, "the application is killed")
    report(len(autosave_files(folder, ".stmodel")) == 1, "the autosave survives the kill")

    # Second session: the offer, and the recovered work.
    process, app = start_app([app_path], env)
    processes.append(process)
    if not report(app is not None, "the application starts again"):
        return
    report(wait_find(app, "Recover Unsaved Work?", "label") is not None, "it offers to recover the work")
    report(click(wait_find(app, "Recover", "push button")), "Recover clicked")
    time.sleep(0.5)
    if process.poll() is not None:
        print(f"# the application ended with status {process.returncode} after Recover", flush=True)
    report(wait_find(app, "worked.stmodel", "label") is not None, "the recovered work belongs to its file")
    report(wait_find(app, "Unsaved changes", "label") is not None, "the recovered work is unsaved")

    menu = find(app, "Main Menu", "push button")
    item = None
    for attempt in range(3):
        if menu is None or not click(menu):
            break
        item = wait_find(app, "Save", "menu item", timeout=10)
        if item is not None:
            break
    report(item is not None and click(item), "Save chosen from the main menu")

    def saved_weights():
        try:
            header, weights = read_model(model_path)
        except (OSError, ValueError, KeyError, struct.error):
            return None
        return weights if header.get("training", {}).get("step") == 1 else None

    weights = wait_until(saved_weights, timeout=20)
    report(weights is not None and weights_close(weights, expected),
           "the saved file has the weights of the step before the kill", str(weights))
    report(wait_until(lambda: not autosave_files(folder, ".stmodel"), timeout=10),
           "saving removes the autosave")

    # A change, its autosave, then a normal close that discards it.
    report(click(wait_find(app, "Step", "push button")), "another step clicked")
    report(wait_until(lambda: autosave_files(folder, ".stmodel"), timeout=20), "the change is autosaved")
    report(click(wait_find(app, "Close", "push button")), "the window's Close button clicked")
    report(click(wait_find(app, "Discard", "push button")), "the changes discarded")
    try:
        process.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        pass
    # A sanitizer build may end with LeakSanitizer's own status after a
    # normal exit, so the test only rules out a signal or a hang.
    report(process.returncode is not None and process.returncode >= 0,
           "the application exits by itself", f"status {process.returncode}")
    report(not os.listdir(folder), "a normal exit leaves no autosave", str(os.listdir(folder)))


if __name__ == "__main__":
    sys.exit(main())
