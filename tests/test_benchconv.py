"""The speed table's helpers: the profile times what conv.py computes, PyTorch the same work.

Speed itself is measured by ``python -m cnnlib.bench``, never asserted here."""
import sys

import numpy as np
import pytest

import cnnlib as cl
from cnnlib import bench, benchconv


@pytest.mark.parametrize("order", ["C", "F"])           # the batch-inner and the Eq. (20) path
def test_profile_stages_compute_what_conv2d_computes(order, rng):
    x = np.asarray(rng.standard_normal((6, 5, 2, 7)), order=order)
    f, stride, pad = rng.standard_normal((3, 2, 2, 4)), 2, 1
    y = cl.conv2d(x, f, stride=stride, pad=pad)
    dzdy = rng.standard_normal(y.shape)
    dzdx, dzdf, dzdb = cl.conv2d_backward(x, f, dzdy, stride=stride, pad=pad)
    path, parts = benchconv.stages(x, f, dzdy, stride, pad)
    assert path == ("batch-inner" if order == "C" else "Eq. (20)")
    out = {name: fn() for name, fn in parts}
    products = [v for k, v in out.items() if k.startswith(("y^T", "Y ="))]
    assert len(products) == 1
    Y = products[0] if path == "Eq. (20)" else products[0].T
    assert np.allclose(np.sort(Y, axis=None), np.sort(y, axis=None), rtol=1e-12, atol=1e-12)
    if path == "Eq. (20)":
        dF, db = out["dz/dF = phi^T dz/dY"], out["dz/db sum"]
    else:                                    # one product, dz/db its last column
        dF, db = out["dz/dF, dz/db (1 product)"][:, :-1], out["dz/dF, dz/db (1 product)"][:, -1]
    assert np.allclose(np.sort(dF, axis=None), np.sort(dzdf, axis=None), rtol=1e-12, atol=1e-12)
    assert np.allclose(out["col2im"], dzdx, rtol=1e-12, atol=1e-12)
    assert np.allclose(db, dzdb, rtol=1e-12, atol=1e-12)


def test_profile_prints_every_stage(capsys):
    bench.main(["--profile", "--workloads", "a", "--rounds", "1", "--threads", "1"])
    out = capsys.readouterr().out
    for stage in ("im2col copy", "dz/dF, dz/db", "col2im", "page faults"):
        assert stage in out
    assert "Processor" in out or "processor" in out or benchconv.processor() in out


def test_best_of_rounds_keeps_each_functions_fastest_run():
    calls = []
    best = benchconv.best_of_rounds({"a": lambda: calls.append("a"),
                                     "b": lambda: calls.append("b")}, rounds=2, per_round=1)
    assert set(best) == {"a", "b"} and all(0 <= t < 1 for t in best.values())
    assert calls == ["a", "b", "a", "b", "a", "b"]      # warm-up, then the rounds in turn


def test_without_pytorch_the_table_says_so(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "torch", None)      # import torch now fails
    x, f, stride, pad = bench.make_workload("a")
    assert benchconv.torch_forward_backward(x, f, np.ones((8, 8, 16, 64)), stride, pad, 1) is None
    bench.conv_table(bench.main.__globals__["argparse"].Namespace(
        workloads="a", rounds=1, threads=1, repeats=1))
    assert "PyTorch is not importable" in capsys.readouterr().out


def test_pytorch_computes_the_same_gradients(rng):
    pytest.importorskip("torch")
    x, f = rng.standard_normal((7, 6, 3, 2)), rng.standard_normal((3, 3, 3, 4))
    y = cl.conv2d(x, f, stride=2, pad=1)
    dzdy = rng.standard_normal(y.shape)
    dzdx, dzdf, _ = cl.conv2d_backward(x, f, dzdy, stride=2, pad=1)
    t_dzdx, t_dzdf = benchconv.torch_forward_backward(x, f, dzdy, 2, 1, None)()
    assert np.allclose(t_dzdx, dzdx, rtol=1e-10, atol=1e-10)
    assert np.allclose(t_dzdf, dzdf, rtol=1e-10, atol=1e-10)
