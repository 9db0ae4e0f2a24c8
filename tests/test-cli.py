#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run sparse-trainer-cli on real files and check it against NumPy and SciPy.

NumPy and SciPy are the independent framework here: the gradients are
recomputed with scipy.sparse matrices in CSR, CSC and COO and dense NumPy
arithmetic, sharing no code with the engine.  The model file is read
with the recipe from docs/model-format.md.

Usage: test-cli.py PATH/TO/sparse-trainer-cli
Prints TAP.
"""

import gzip
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import scipy.io
import scipy.sparse

CLI = sys.argv[1]
DIGITS = "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz"

results = []


def test(function):
    """Register a test; its name is the function's name."""
    results.append(function)
    return function


def run_split(*args, expect=0):
    """Run the tool in the C locale and return its standard output and error
    separately.  Fail on another exit status."""
    environment = dict(os.environ, LC_ALL="C.UTF-8", LANGUAGE="")
    done = subprocess.run([CLI, *args], capture_output=True, text=True, env=environment)
    if done.returncode != expect:
        raise AssertionError(f"{' '.join(args)} exited {done.returncode}, expected {expect}:\n"
                             f"{done.stdout}{done.stderr}")
    return done.stdout, done.stderr


def run(*args, expect=0):
    """Run the tool in the C locale; return its output, failing on another exit status."""
    stdout, stderr = run_split(*args, expect=expect)
    return stdout + stderr


def write(directory, name, text):
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as stream:
        stream.write(text)
    return path


def read_model(path):
    """Read a model file the way docs/model-format.md shows."""
    with open(path, "rb") as stream:
        assert stream.readline().startswith(b"sparse-trainer-model ")
        header = json.loads(stream.readline())
        blob = stream.read()

    def array(spec):
        return np.frombuffer(blob, spec["dtype"], spec["count"], spec["offset"])

    if "standardization" in header:
        # Kept beside the header's own members for reference_gradients().
        header["standardization_arrays"] = (array(header["standardization"]["mean"]),
                                            array(header["standardization"]["scale"]))

    layers = []
    for layer in header["layers"]:
        arrays = layer["arrays"]
        matrix = scipy.sparse.csr_matrix(
            (array(arrays["value"]), array(arrays["col_index"]), array(arrays["row_ptr"])),
            shape=(layer["rows"], layer["cols"]))
        bias = array(arrays["bias"]) if layer["bias"] else np.zeros(layer["rows"])
        layers.append((matrix, bias, layer["activation"]))
    return header, layers


def activate(name, z):
    if name == "identity":
        return z
    if name == "tanh":
        return np.tanh(z)
    if name == "logistic":
        return 1.0 / (1.0 + np.exp(-z))
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "softmax":
        e = np.exp(z - z.max(axis=0))
        return e / e.sum(axis=0)
    raise ValueError(name)


def derivative(name, z, a):
    return {"identity": np.ones_like(z), "tanh": 1.0 - a * a, "logistic": a * (1.0 - a),
            "relu": (z > 0).astype(float)}[name]


def reference_gradients(header, layers, x, t, storage):
    """Return cost and per-layer (dW on the pattern in row-major order, db).

    x is inputs x batch, t outputs x batch.  The sparse products use
    scipy.sparse in the given storage."""
    if "standardization" in header:
        mean, scale = header["standardization_arrays"]
        x = (x - mean[:, None]) * scale[:, None]
    activations = [x]
    pre = []
    for matrix, bias, name in layers:
        w = matrix.asformat(storage)
        z = w @ activations[-1] + bias[:, None]
        pre.append(z)
        activations.append(activate(name, z))

    y = activations[-1]
    batch = x.shape[1]
    if header["loss"] == "half-mse":
        cost = ((y - t) ** 2).sum() / (2 * y.size)
        dz = (y - t) / y.size * derivative(layers[-1][2], pre[-1], y)
    else:
        z = pre[-1]
        log_softmax = z - z.max(axis=0) - np.log(np.exp(z - z.max(axis=0)).sum(axis=0))
        cost = -(t * log_softmax).sum() / batch
        dz = (y * t.sum(axis=0) - t) / batch

    gradients = []
    for index in range(len(layers) - 1, -1, -1):
        matrix, bias, _ = layers[index]
        coo = matrix.tocoo()
        order = np.lexsort((coo.col, coo.row))
        rows, cols = coo.row[order], coo.col[order]
        dense = dz @ activations[index].T
        gradients.insert(0, (dense[rows, cols], dz.sum(axis=1)))
        if index > 0:
            da = matrix.asformat(storage).T @ dz
            dz = da * derivative(layers[index - 1][2], pre[index - 1], activations[index])
    return cost, gradients


def read_mtx_in_row_major_order(path):
    matrix = scipy.sparse.coo_matrix(scipy.io.mmread(path))
    order = np.lexsort((matrix.col, matrix.row))
    return matrix.row[order], matrix.col[order], matrix.data[order]


@test
def worked_example_trains():
    with tempfile.TemporaryDirectory() as directory:
        weights = write(directory, "w.mtx", "%%MatrixMarket matrix coordinate real general\n"
                                            "2 2 2\n1 2 0.5\n2 1 0.5\n")
        data = write(directory, "data.csv", "x1,x2,t1,t2\n4,2,2,4\n")
        model = os.path.join(directory, "model.stmodel")
        history = os.path.join(directory, "history.csv")

        run("new", "--weights", weights, "--no-bias", "--out", model)
        output = run("grad", model, "--data", data, "--out-dir", directory)
        assert "cost 1.25\n" in output, output
        rows, cols, values = read_mtx_in_row_major_order(os.path.join(directory, "W1.mtx"))
        assert list(zip(rows, cols, values)) == [(0, 1, -1.0), (1, 0, -4.0)]

        run("train", model, "--data", data, "--epochs", "60", "--batch", "1", "--lr", "0.1",
            "--history", history)
        with open(history, encoding="utf-8") as stream:
            lines = stream.read().splitlines()
        assert lines[0] == "epoch,train_cost,test_cost,test_accuracy"
        assert len(lines) == 61
        assert float(lines[-1].split(",")[1]) < 1e-10, lines[-1]

        run("export", model, "--out-dir", directory)
        rows, cols, values = read_mtx_in_row_major_order(os.path.join(directory, "W1.mtx"))
        assert list(zip(rows, cols)) == [(0, 1), (1, 0)]
        assert np.all(np.abs(values - 1.0) < 1e-5), values


@test
def training_resumes_with_history_and_class_names():
    """A second train run continues the first one's history, and text
    labels keep their names in the model and in the report."""
    with tempfile.TemporaryDirectory() as directory:
        # Two separable classes: "small" when x1 + x2 < 1, "large" otherwise.
        rows = ["x1,x2,size"]
        for k in range(40):
            x1, x2 = (k % 8) / 8, (k // 8) / 5
            rows.append(f"{x1},{x2},{'small' if x1 + x2 < 1 else 'large'}")
        data = write(directory, "sizes.csv", "\n".join(rows) + "\n")
        model = os.path.join(directory, "model.stmodel")
        history = os.path.join(directory, "history.csv")

        run("new", "--layers", "2,4,2", "--density", "1", "--output", "softmax", "--out", model)
        run("train", model, "--data", data, "--epochs", "3", "--test-fraction", "0.25",
            "--optimizer", "adam", "--lr", "0.05")
        output = run("train", model, "--data", data, "--epochs", "2", "--test-fraction", "0.25",
                     "--optimizer", "adam", "--lr", "0.05", "--history", history)

        assert "Test accuracy per class:" in output, output
        assert "  small: " in output and "  large: " in output, output
        header, _ = read_model(model)
        assert header["class_names"] == ["small", "large"], header["class_names"]
        assert header["training"]["epoch"] == 5
        assert header["training"]["optimizer"]["kind"] == "adam"
        # 30 training samples make one step of the default batch of 32 per epoch.
        assert header["updates"] == 5, header["updates"]
        with open(history, encoding="utf-8") as stream:
            epochs = [line.split(",")[0] for line in stream.read().splitlines()[1:]]
        assert epochs == ["1", "2", "3", "4", "5"], epochs


@test
def pattern_file_gets_reproducible_weights():
    """A "pattern" file has positions only: the weights come from the
    initializer and seed, the program says so, and export writes values."""
    with tempfile.TemporaryDirectory() as directory:
        pattern = write(directory, "p.mtx", "%%MatrixMarket matrix coordinate pattern general\n"
                                            "3 4 5\n1 2\n1 4\n2 1\n3 3\n3 4\n")
        weights = []
        for name in ("a", "b"):
            model = os.path.join(directory, name + ".stmodel")
            output = run("new", "--weights", pattern, "--seed", "3", "--out", model)
            assert "positions only: weights drawn with lecun-uniform, seed 3" in output, output
            run("export", model, "--out-dir", os.path.join(directory, name))
            with open(os.path.join(directory, name, "W1.mtx"), encoding="utf-8") as stream:
                text = stream.read()
            assert text.startswith("%%MatrixMarket matrix coordinate real general\n"), text
            rows, cols, values = read_mtx_in_row_major_order(os.path.join(directory, name,
                                                                          "W1.mtx"))
            assert list(zip(rows, cols)) == [(0, 1), (0, 3), (1, 0), (2, 2), (2, 3)]
            assert np.all(values != 0), values
            weights.append(values)
        assert np.array_equal(weights[0], weights[1])


@test
def divergence_exits_nonzero_and_keeps_the_model():
    """At rate 0.5 this regression diverges; the cost overflows after
    epoch 162 (see tests/test-trainer.c for the numbers)."""
    with tempfile.TemporaryDirectory() as directory:
        weights = write(directory, "w.mtx", "%%MatrixMarket matrix coordinate real general\n"
                                            "1 2 2\n1 1 0\n1 2 0\n")
        data = write(directory, "data.csv", "x1,x2,t\n3,4,1\n1,-2,0\n0.5,6,2\n")
        model = os.path.join(directory, "model.stmodel")
        run("new", "--weights", weights, "--no-bias", "--out", model)
        with open(model, "rb") as stream:
            before = stream.read()
        output = run("train", model, "--data", data, "--epochs", "400", "--batch", "3",
                     "--lr", "0.5", expect=1)
        assert "Training diverged after epoch 162" in output, output
        assert "Lower the learning rate (now 0.5)" in output, output
        with open(model, "rb") as stream:
            assert stream.read() == before


def gradient_case(directory, new_arguments, data_text, outputs):
    model = os.path.join(directory, "model.stmodel")
    data = write(directory, "data.csv", data_text)
    run("new", *new_arguments, "--out", model)
    header, layers = read_model(model)

    table = np.loadtxt(data, delimiter=",", ndmin=2)
    n_inputs = header["inputs"]
    x = table[:, :n_inputs].T
    if table.shape[1] == n_inputs + 1:
        t = np.zeros((outputs, table.shape[0]))
        t[table[:, n_inputs].astype(int), np.arange(table.shape[0])] = 1.0
    else:
        t = table[:, n_inputs:].T

    texts = {}
    for storage in ("csr", "csc", "coo"):
        out_dir = os.path.join(directory, storage)
        output = run("grad", model, "--data", data, "--format", storage, "--out-dir", out_dir)
        cost = float(output.split("\n")[0].split()[1])
        expected_cost, expected = reference_gradients(header, layers, x, t, storage)
        assert abs(cost - expected_cost) <= 1e-12 * max(1.0, abs(expected_cost)), (cost, expected_cost)

        for index, (weight_gradient, bias_gradient) in enumerate(expected, start=1):
            w_path = os.path.join(out_dir, f"W{index}.mtx")
            _, _, values = read_mtx_in_row_major_order(w_path)
            scale = max(np.abs(weight_gradient).max(initial=0.0), 1e-300)
            assert np.abs(values - weight_gradient).max(initial=0.0) <= 1e-12 * scale, index
            bias = scipy.io.mmread(os.path.join(out_dir, f"b{index}.mtx")).ravel()
            scale = max(np.abs(bias_gradient).max(initial=0.0), 1e-300)
            assert np.abs(bias - bias_gradient).max(initial=0.0) <= 1e-12 * scale, index
            with open(w_path, encoding="utf-8") as stream:
                texts.setdefault(index, set()).add(stream.read())

    # The storage changes nothing: the files are the same text.
    assert all(len(versions) == 1 for versions in texts.values()), texts.keys()


@test
def gradient_matches_scipy_tanh_regression():
    rng = np.random.default_rng(3)
    rows = [",".join(f"{v:.17g}" for v in rng.uniform(-1, 1, 5 + 3)) for _ in range(7)]
    with tempfile.TemporaryDirectory() as directory:
        gradient_case(directory, ["--layers", "5,4,3", "--density", "0.6", "--activation",
                                  "tanh", "--seed", "3"], "\n".join(rows) + "\n", 3)


@test
def gradient_matches_scipy_softmax_classes():
    rng = np.random.default_rng(4)
    rows = []
    for sample in range(9):
        inputs = ",".join(f"{v:.17g}" for v in rng.uniform(-2, 2, 6))
        rows.append(f"{inputs},{sample % 4}")
    with tempfile.TemporaryDirectory() as directory:
        gradient_case(directory, ["--layers", "6,8,5,4", "--density", "0.4", "--activation",
                                  "logistic", "--output", "softmax", "--format", "coo",
                                  "--seed", "8"], "\n".join(rows) + "\n", 4)


@test
def export_reads_back_in_scipy():
    with tempfile.TemporaryDirectory() as directory:
        model = os.path.join(directory, "model.stmodel")
        run("new", "--layers", "30,20,10", "--density", "0.3", "--seed", "5", "--out", model)
        run("export", model, "--out-dir", directory)
        _, layers = read_model(model)
        for index, (matrix, bias, _) in enumerate(layers, start=1):
            read = scipy.sparse.csr_matrix(scipy.io.mmread(os.path.join(directory, f"W{index}.mtx")))
            assert read.nnz == matrix.nnz
            assert (read != matrix).nnz == 0, "values differ after the text round trip"
            read_bias = scipy.io.mmread(os.path.join(directory, f"b{index}.mtx")).ravel()
            assert np.array_equal(read_bias, bias)


@test
def digits_reach_95_percent():
    if not os.path.exists(DIGITS):
        return f"skip {DIGITS} is missing; install python3-sklearn"
    with tempfile.TemporaryDirectory() as directory:
        model = os.path.join(directory, "digits.stmodel")
        history = os.path.join(directory, "history.csv")
        run("new", "--layers", "64,128,10", "--density", "0.25", "--output", "softmax",
            "--seed", "1", "--out", model)
        output = run("train", model, "--data", DIGITS, "--epochs", "30", "--test-fraction", "0.2",
                     "--batch", "32", "--lr", "0.1", "--history", history)
        assert "Training on 1438 samples, testing on 359" in output, output
        with open(history, encoding="utf-8") as stream:
            last = stream.read().splitlines()[-1].split(",")
        assert last[0] == "30"
        assert float(last[3]) >= 0.95, f"test accuracy {last[3]}"
        with gzip.open(DIGITS, "rt") as stream:
            assert len(stream.read().splitlines()) == 1797


@test
def bench_prints_one_json_line():
    """A smoke test: the numbers are timings, so only their presence is checked."""
    with tempfile.TemporaryDirectory() as directory:
        weights = write(directory, "w.mtx", "%%MatrixMarket matrix coordinate real general\n"
                                            "3 3 4\n1 1 0.5\n1 3 -1\n2 2 2\n3 1 0.25\n")
        for storage in ("csr", "csc", "coo"):
            output, _ = run_split("bench", "--weights", weights, "--batch", "4", "--steps", "2",
                                  "--threads", "2", "--format", storage)
            lines = output.strip().splitlines()
            assert len(lines) == 1, output
            record = json.loads(lines[0])
            for key in ("median_step_s", "nnz", "batch", "threads", "peak_rss_bytes"):
                assert key in record, key
            assert record["nnz"] == 4
            assert record["batch"] == 4
            assert record["threads"] == 2
            assert record["median_step_s"] > 0


@test
def more_threads_than_processors_are_noted():
    """The note goes to standard error and names both counts.  Standard
    output keeps its one JSON line for scripts."""
    processors = len(os.sched_getaffinity(0))
    with tempfile.TemporaryDirectory() as directory:
        weights = write(directory, "w.mtx", "%%MatrixMarket matrix coordinate real general\n"
                                            "2 2 2\n1 2 0.5\n2 1 0.5\n")
        output, errors = run_split("bench", "--weights", weights, "--batch", "2", "--steps", "1",
                                   "--threads", str(processors + 1))
        assert len(output.strip().splitlines()) == 1, output
        assert json.loads(output)["threads"] == processors + 1
        assert f"--threads {processors + 1} is more than the {processors} processor" in errors, errors

        output, errors = run_split("bench", "--weights", weights, "--batch", "2", "--steps", "1",
                                   "--threads", str(processors))
        assert "note:" not in errors, errors


@test
def bench_io_prints_one_json_line():
    """A smoke test at a tiny size; the model file is removed afterwards."""
    with tempfile.TemporaryDirectory() as directory:
        output = run("bench-io", "--rows", "20", "--cols", "30", "--fan-in", "3", "--repeat", "2",
                     "--optimizer-state", "--dir", directory)
        lines = output.strip().splitlines()
        assert len(lines) == 1, output
        record = json.loads(lines[0])
        assert record["nnz"] == 60
        assert record["optimizer_state"] is True
        # 60 entries with two state arrays: 60 x (4 + 3 x 8) bytes of arrays,
        # 21 row pointers of 8 bytes, and a header of at most a few KiB.
        assert 60 * 28 + 21 * 8 < record["file_bytes"] < 60 * 28 + 21 * 8 + 8192, record
        for key in ("save_median_s", "load_median_s", "save_peak_rss_bytes",
                    "load_peak_rss_bytes"):
            assert record[key] > 0, key
        assert os.listdir(directory) == [], os.listdir(directory)


@test
def bench_mlp_matches_numpy():
    """One epoch of the small network, against the same epoch in dense NumPy."""
    rng = np.random.default_rng(7)
    w1 = np.where(rng.random((6, 8)) < 0.5, rng.uniform(-1, 1, (6, 8)), 0.0)
    w2 = np.where(rng.random((3, 6)) < 0.5, rng.uniform(-1, 1, (3, 6)), 0.0)
    x = rng.uniform(0, 1, (20, 8))
    labels = rng.integers(0, 3, 20)
    labels[:3] = [0, 1, 2]

    # The reference: tanh hidden layer, identity output, zero biases,
    # loss sum (y - t)^2 / (2 x 3 x B), three batches of 4 in order.
    h_w1, h_w2 = w1.copy(), w2.copy()
    b1, b2 = np.zeros(6), np.zeros(3)
    for first in range(0, 12, 4):
        xb = x[first:first + 4].T
        tb = np.eye(3)[labels[first:first + 4]].T
        h = np.tanh(h_w1 @ xb + b1[:, None])
        y = h_w2 @ h + b2[:, None]
        last_cost = np.sum((y - tb) ** 2) / (2 * 3 * 4)
        dy = (y - tb) / (3 * 4)
        dz = (h_w2.T @ dy) * (1 - h * h)
        h_w2 -= 0.5 * np.where(w2 != 0, dy @ h.T, 0.0)
        b2 -= 0.5 * dy.sum(axis=1)
        h_w1 -= 0.5 * np.where(w1 != 0, dz @ xb.T, 0.0)
        b1 -= 0.5 * dz.sum(axis=1)
    y = h_w2 @ np.tanh(h_w1 @ x[12:].T + b1[:, None]) + b2[:, None]
    expected = np.mean(np.argmax(y, axis=0) == labels[12:])

    with tempfile.TemporaryDirectory() as directory:
        paths = []
        for name, w in (("w1.mtx", w1), ("w2.mtx", w2)):
            paths.append(os.path.join(directory, name))
            scipy.io.mmwrite(paths[-1], scipy.sparse.coo_matrix(w), precision=17)
        rows = [",".join(repr(v) for v in x[s]) + f",{labels[s]}" for s in range(20)]
        data = write(directory, "data.csv", "\n".join(rows) + "\n")
        options = ("--data", data, "--train", "12", "--batch", "4", "--lr", "0.5", "--epochs", "2")
        # The layers' files repeat --weights, or go in one comma list as
        # new's --weights takes them.
        outputs = [run("bench-mlp", "--weights", paths[0], "--weights", paths[1], *options),
                   run("bench-mlp", "--weights", ",".join(paths), *options)]
    for output in outputs:
        record = json.loads(output.strip().splitlines()[-1])
        assert record["nnz"] == np.count_nonzero(w1) + np.count_nonzero(w2)
        assert abs(record["loss_last_step"] - last_cost) <= 1e-13 * last_cost, (record, last_cost)
        assert abs(record["test_acc"] - expected) < 1e-4, (record, expected)
        assert record["epoch_median_s"] > 0


@test
def bench_counts_name_the_value():
    with tempfile.TemporaryDirectory() as directory:
        weights = write(directory, "w.mtx", "%%MatrixMarket matrix coordinate real general\n"
                                            "2 2 2\n1 2 0.5\n2 1 0.5\n")
        cases = (
            (("bench", "--weights", weights, "--batch", "0"), "--batch must be at least 1, not 0"),
            (("bench", "--weights", weights, "--batch", "1", "--steps=-2"),
             "--steps must be at least 1, not -2"),
            (("bench", "--batch", "1"), "--weights is required"),
            (("bench", "--weights", weights), "--batch is required"),
            (("bench-io", "--dir", directory, "--repeat", "0"), "--repeat must be at least 1, not 0"),
            (("bench-io", "--dir", directory, "--cols", "5", "--fan-in", "6"),
             "--fan-in must be at most --cols (5), not 6"),
            (("bench-mlp", "--weights", weights, "--data", "x.csv", "--train", "3"),
             "--train must be at least 32, not 3"),
            (("bench-mlp", "--weights", ",", "--data", "x.csv"), "--weights “,” names no file"),
        )
        for arguments, message in cases:
            output = run(*arguments, expect=2)
            assert message in output, (arguments, output)


@test
def pattern_options_name_the_value():
    """A negative or zero generator parameter is a usage error that names
    the option, never a silent 0 or a wrapped count."""
    with tempfile.TemporaryDirectory() as directory:
        model = os.path.join(directory, "model.stmodel")
        cases = (
            (("--pattern", "banded", "--band=-1"), "--band must be at least 0, not -1"),
            (("--pattern", "fan-in", "--fan-in=-3"), "--fan-in must be at least 1, not -3"),
            (("--pattern", "block-diagonal", "--block", "0"), "--block must be at least 1, not 0"),
            (("--pattern", "local", "--window=-3"), "--window must be at least 1, not -3"),
            (("--pattern", "local", "--stride", "0"), "--stride must be at least 1, not 0"),
            (("--pattern", "local", "--maps=-1"), "--maps must be at least 1, not -1"),
            (("--pattern", "local", "--image", "0x8"), "Invalid image size “0x8”"),
            (("--pattern", "zigzag"), "Unknown pattern “zigzag”"),
        )
        for arguments, message in cases:
            output = run("new", "--layers", "64,36", *arguments, "--out", model, expect=2)
            assert message in output, (arguments, output)
            assert not os.path.exists(model), arguments


@test
def patterns_and_optimizers_train_digits():
    if not os.path.exists(DIGITS):
        return f"skip {DIGITS} is missing; install python3-sklearn"
    with tempfile.TemporaryDirectory() as directory:
        model = os.path.join(directory, "local.stmodel")
        history = os.path.join(directory, "history.csv")
        output = run("new", "--layers", "64,144,10", "--pattern", "local,uniform", "--image",
                     "8x8", "--window", "3", "--maps", "4", "--density", "0.5", "--output",
                     "softmax", "--init", "he-uniform", "--activation", "relu", "--out", model)
        assert "2016 stored weights" in output, output
        _, layers = read_model(model)
        assert layers[0][0].nnz == 144 * 9
        run("train", model, "--data", DIGITS, "--epochs", "30", "--test-fraction", "0.2",
            "--optimizer", "adam", "--lr", "0.003", "--standardize", "--threads", "2",
            "--history", history)
        with open(history, encoding="utf-8") as stream:
            last = stream.read().splitlines()[-1].split(",")
        assert float(last[3]) >= 0.95, f"test accuracy {last[3]}"
        header, _ = read_model(model)
        assert "standardization" in header


@test
def help_for_every_command():
    assert "train" in run("--help")
    for command, option in (("new", "--layers"), ("train", "--test-fraction"),
                            ("grad", "--out-dir"), ("export", "--out-dir"),
                            ("bench", "--weights"), ("bench-io", "--fan-in"),
                            ("bench-mlp", "--train")):
        assert option in run(command, "--help"), command


@test
def errors_name_the_file_and_line():
    with tempfile.TemporaryDirectory() as directory:
        missing = os.path.join(directory, "absent.stmodel")
        output = run("train", missing, "--data", "x.csv", "--epochs", "1", expect=1)
        assert "absent.stmodel" in output, output

        bad = write(directory, "bad.mtx", "%%MatrixMarket matrix coordinate real general\n"
                                          "3 3 2\n0 1 1.5\n2 2 2\n")
        output = run("new", "--weights", bad, "--out", os.path.join(directory, "m.stmodel"),
                     expect=1)
        assert "bad.mtx: line 3" in output, output
        assert "count from 1" in output, output
        assert not os.path.exists(os.path.join(directory, "m.stmodel"))

        output = run("new", "--layers", "4,2", expect=2)
        assert "--out is required" in output, output

        # A mistyped option gets the closest real one; a far one gets none.
        output = run("train", "model.stmodel", "--epoch", "3", expect=2)
        assert "Did you mean “--epochs”?" in output, output
        output = run("train", "model.stmodel", "--zzzzzz", "3", expect=2)
        assert "Did you mean" not in output, output


@test
def train_checks_options_before_training():
    with tempfile.TemporaryDirectory() as directory:
        weights = write(directory, "w.mtx", "%%MatrixMarket matrix coordinate real general\n"
                                            "2 2 2\n1 2 0.5\n2 1 0.5\n")
        data = write(directory, "data.csv", "x1,x2,t1,t2\n4,2,2,4\n")
        model = os.path.join(directory, "model.stmodel")
        run("new", "--weights", weights, "--no-bias", "--out", model)

        output = run("train", model, "--data", data, expect=2)
        assert "--epochs is required" in output, output
        output = run("train", model, "--data", data, "--epochs", "0", expect=2)
        assert "--epochs must be at least 1, not 0" in output, output

        # A folder that does not exist fails before the first epoch, so a
        # long run is not lost at the end.
        absent = os.path.join(directory, "absent", "out.stmodel")
        output = run("train", model, "--data", data, "--epochs", "3", "--out", absent, expect=1)
        assert os.path.join(directory, "absent") in output, output
        assert "epoch 1/" not in output, output
        output = run("train", model, "--data", data, "--epochs", "3", "--out", directory,
                     expect=1)
        assert "is a folder" in output, output
        output = run("train", model, "--data", data, "--epochs", "3", "--history", absent,
                     expect=1)
        assert "--history" in output, output


def main():
    print(f"1..{len(results)}")
    failed = 0
    for number, function in enumerate(results, start=1):
        try:
            outcome = function()
        except Exception as error:  # report every failure, then go on
            failed += 1
            print(f"not ok {number} - {function.__name__}")
            for line in str(error).splitlines() or [repr(error)]:
                print(f"# {line}")
            continue
        if isinstance(outcome, str) and outcome.startswith("skip "):
            print(f"ok {number} - {function.__name__} # SKIP {outcome[5:]}")
        else:
            print(f"ok {number} - {function.__name__}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
