"""The benchmark runs and prints its table (speed itself is measured, never asserted)."""
import numpy as np
import pytest

import cnnlib as cl
from cnnlib import bench
import sweeps


def test_bench_prints_its_table(capsys):
    bench.main(["--repeats", "1", "--workloads", "ab"])
    out = capsys.readouterr().out
    assert "GFLOP/s" in out and "same result: True" in out
    assert out.count("%") >= 5                     # two workloads, two percentages each


def test_flops_of_workload_a():
    x, f, stride, pad = bench.make_workload("a")
    assert x.shape == (8, 8, 1, 64) and f.shape == (3, 3, 1, 16)
    P, Q, D = 8 * 8 * 64, 9, 16                   # pad 1 keeps 8x8
    assert bench.conv_flops(x, f, stride, pad) == (2 * P * Q * D, 6 * P * Q * D)


def test_literal_loops_are_eq12():
    x, f, stride, pad = bench.make_workload("a")
    x = x[..., :2]
    y = bench.literal_eq12(x, f, stride, pad)
    # one entry by hand: output (0, 0) sees the padded corner, i.e. x[0:2, 0:2] with f[1:3, 1:3]
    by_hand = np.sum(f[1:, 1:, 0, 5] * x[:2, :2, 0, 1])
    assert np.isclose(y[0, 0, 5, 1], by_hand)


def test_benchmark_step_trains_the_chapter_network():
    net, step, batch = bench.benchmark_step(batch_size=8)
    assert batch == 8 and isinstance(net, cl.Sequential)
    before = net.parameters()[0][1].copy()
    z0 = step()
    assert np.isfinite(z0) and not np.array_equal(net.parameters()[0][1], before)


@pytest.mark.parametrize("args, option", [
    (["--workloads", "az"], "--workloads"), (["--workloads", ""], "--workloads"),
    (["--rounds", "0"], "--rounds"), (["--repeats", "-1"], "--repeats"),
    (["--threads", "0"], "--threads")])
def test_bad_options_are_named(args, option, capsys):
    # --workloads z was a KeyError 'z', --rounds 0 a ZeroDivisionError, --threads 0 ran
    with pytest.raises(SystemExit):
        bench.main(args)
    assert f"argument {option}: must be" in capsys.readouterr().err
    with pytest.raises(ValueError, match=r"workload must be one of abcdef, got 'z'"):
        bench.make_workload("z")


test_a_wrong_argument_is_named = sweeps.wrong_argument_test([
    (lambda: bench.benchmark_step(0), ValueError, "batch_size"),
    (lambda: bench.benchmark_step(None), TypeError, "batch_size"),
    (lambda: bench.benchmark_step(16, seed="0"), TypeError, "seed"),
])
