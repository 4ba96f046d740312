"""How fast is cnnlib's convolution?  ``python -m cnnlib.bench`` (or ``make bench``).

For each workload it times conv2d (forward) and conv2d + conv2d_backward (forward +
backward), best of interleaved rounds, in float64, and reports GFLOP/s and that rate as
a percentage of a float64 matrix product (1024 x 1024) timed in the same run: the
convolution is im2col plus matrix products, so the matrix product is its ceiling.
It also times forward + backward in float32 and, when PyTorch is importable, PyTorch's
float64 conv2d + autograd backward on the same numbers, in the same rounds and with the
same thread count (``--threads``).  ``--profile`` prints where the time goes instead
(see benchconv.py).  On a shared machine the numbers move with its load, which the
first line prints.
FLOPs: forward 2 P Q D_out, backward 4 P Q D_out (dz/dF and dz/dphi), with
P = H' W' N rows and Q = kh kw D_in columns of phi.

It also times the literal Eq. (12) loops on workload a, and, when the chapter-12
network exists, the training step (forward + backward + SGD update) in images/s.
"""
import argparse
import time

import numpy as np

from . import benchconv
from .conv import conv2d, conv2d_backward
from .im2col import conv_output_shape
from .net import SGD, digits_cnn, train_step
from ._checks import positive_int

# name: (N, D_in, H x W, D_out, k, stride, pad)
WORKLOADS = {
    "a": (64, 1, 8, 16, 3, 1, 1),
    "b": (64, 16, 4, 32, 3, 1, 1),
    "c": (64, 1, 28, 32, 5, 1, 0),
    "d": (64, 3, 32, 64, 3, 1, 1),
    "e": (16, 64, 32, 64, 3, 2, 1),
    "f": (1, 3, 224, 64, 7, 2, 3),
}
TARGET_SET = "cdef"          # the geometric mean of these is the headline number


def median_time(fn, repeats, min_time=0.2):
    """Median wall time of fn() over ``repeats`` runs (more when each run is short)."""
    fn()                                            # warm up: caches, allocator, BLAS threads
    times, t_start = [], time.perf_counter()
    while len(times) < repeats or (time.perf_counter() - t_start < min_time and len(times) < 200):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def matmul_gflops(n=1024, rounds=9):
    """GFLOP/s of an n x n float64 matrix product, best of ``rounds`` (as the table's f+b)."""
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((n, n)), rng.standard_normal((n, n))
    return 2 * n ** 3 / benchconv.best_of_rounds({"mm": lambda: a @ b}, rounds)["mm"] / 1e9


def make_workload(name, dtype=np.float64, seed=0):
    """(x, f, stride, pad) of workload ``name`` (a key of WORKLOADS), random numbers."""
    if name not in WORKLOADS:
        raise ValueError(f"workload must be one of {''.join(WORKLOADS)}, got {name!r}")
    n, d_in, side, d_out, k, stride, pad = WORKLOADS[name]
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((side, side, d_in, n)).astype(dtype)
    f = rng.standard_normal((k, k, d_in, d_out)).astype(dtype)
    return x, f, stride, pad


def conv_flops(x, f, stride, pad):
    h_out, w_out = conv_output_shape(x.shape, f.shape[:2], stride, pad)
    P, Q = h_out * w_out * x.shape[3], f.shape[0] * f.shape[1] * f.shape[2]
    return 2 * P * Q * f.shape[3], 6 * P * Q * f.shape[3]


def literal_eq12(x, f, stride, pad):
    """Eq. (12) as printed (corrected, E6), one Python loop per index: the baseline."""
    kh, kw, d_in, d_out = f.shape
    xp = np.pad(x, ((pad, pad), (pad, pad), (0, 0), (0, 0)))
    h_out, w_out = conv_output_shape(x.shape, (kh, kw), stride, pad)
    y = np.zeros((h_out, w_out, d_out, x.shape[3]))
    for n in range(x.shape[3]):
        for d in range(d_out):
            for i_ in range(h_out):
                for j_ in range(w_out):
                    s = 0.0
                    for i in range(kh):
                        for j in range(kw):
                            for dl in range(d_in):
                                s += f[i, j, dl, d] * xp[stride * i_ + i, stride * j_ + j, dl, n]
                    y[i_, j_, d, n] = s
    return y


def benchmark_step(batch_size=16, seed=0):
    """What ``python -m cnnlib.bench`` times: one training step of the chapter 12 network.

    Returns (net, step, batch_size): ``step()`` runs :func:`train_step` (forward, backward,
    SGD update with the chapter's settings) on one fixed batch of ``batch_size`` random
    (8, 8, 1) images, so images per second = batch_size / (time of one step).
    The chapter trains under ``threadpoolctl.threadpool_limits(1, user_api="blas")``: its
    matrices are small, and two OpenBLAS threads made this step several times slower on a
    2-core machine.
    """
    batch_size = positive_int(batch_size, "batch_size")
    rng = np.random.default_rng(positive_int(seed, "seed", 0))
    net = digits_cnn(seed)
    opt = SGD(net, lr=0.05, momentum=0.9, weight_decay=1e-3)
    x = rng.random((8, 8, 1, batch_size))
    labels = rng.integers(0, 10, batch_size)
    return net, lambda: train_step(net, opt, x, labels), batch_size


def training_rate(repeats, threads=None):
    """Images/s of one SGD step of the chapter-12 network at its batch size.

    threads: limit BLAS to this many threads (the chapter trains with 1: its matrices are
    small, and a second thread costs more in synchronisation than it gains).
    """
    from threadpoolctl import threadpool_limits

    model, step, batch = benchmark_step()
    with threadpool_limits(threads, user_api="blas"):
        return batch / median_time(step, repeats)


def _at_least_one(text):
    """argparse type: an int >= 1 (argparse names the option when this raises)."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {value}")
    return value


def _workloads(text):
    """argparse type: letters of WORKLOADS."""
    if not text or set(text) - set(WORKLOADS):
        raise argparse.ArgumentTypeError(f"must be letters of {''.join(WORKLOADS)}, "
                                         f"got {text!r}")
    return text


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=_at_least_one, default=7)
    parser.add_argument("--workloads", type=_workloads, default="abcdef")
    parser.add_argument("--rounds", type=_at_least_one, default=9,
                        help="interleaved rounds of the PyTorch comparison and --profile")
    parser.add_argument("--threads", type=_at_least_one, default=None,
                        help="BLAS (and PyTorch) threads; default: all")
    parser.add_argument("--profile", action="store_true",
                        help="print where each workload's forward + backward time goes")
    parser.add_argument("--explorers", nargs="*", metavar="NAME",
                        help="time the explorers' slider moves instead (all, or the named "
                             "ones: vec conv im2col backward indicator pooling digit)")
    args = parser.parse_args(argv)
    if args.explorers is not None:
        from . import print_explorer_times     # a view: served by the package's namespace
        print_explorer_times(args.explorers or None)
        return
    from threadpoolctl import threadpool_limits

    with threadpool_limits(args.threads, user_api="blas"):
        if args.profile:
            return profile(args)
        conv_table(args)
    literal_and_training(args)


def conv_table(args):
    """The speed table: each workload against the same-run matrix product and, when
    PyTorch is importable, against PyTorch's float64 forward + backward."""
    print(benchconv.machine_line(args.threads))
    peak = matmul_gflops(rounds=args.rounds)
    print(f"float64 matrix product 1024x1024: {peak:.1f} GFLOP/s (same run, the 100 % mark)")
    print()
    header = (f"{'':2}{'N,Din,HxW,Dout,k,s,p':>24} {'fwd ms':>8} {'fwd GF/s':>9} {'%mm':>5} "
              f"{'f+b ms':>8} {'f+b GF/s':>9} {'%mm':>5} {'f32 f+b':>8} "
              f"{'torch f+b':>10} {'ratio':>6}")
    print(header)
    print("-" * len(header))
    ratios, vs_torch = {}, {}
    for name in args.workloads:
        x, f, stride, pad = make_workload(name)
        fwd_flops, all_flops = conv_flops(x, f, stride, pad)
        fns = {"fwd": lambda: conv2d(x, f, stride=stride, pad=pad),
               "f64": forward_backward(x, f, stride, pad),
               "f32": forward_backward(*make_workload(name, np.float32))}
        torch_run = benchconv.torch_forward_backward(x, f, fns["f64"].dzdy, stride, pad,
                                                     args.threads)
        if torch_run is not None:
            fns["torch"] = torch_run
        best = benchconv.best_of_rounds(fns, args.rounds)
        t_fwd, t_all = best["fwd"], best["f64"]
        g_fwd, g_all = fwd_flops / t_fwd / 1e9, all_flops / t_all / 1e9
        ratios[name] = g_all / peak
        n, d_in, side, d_out, k, s, p = WORKLOADS[name]
        spec = f"{n},{d_in},{side}x{side},{d_out},{k},{s},{p}"
        torch_cols = f"{'-':>10} {'-':>6}"
        if "torch" in best:
            vs_torch[name] = t_all / best["torch"]
            torch_cols = f"{best['torch'] * 1e3:10.2f} {vs_torch[name]:6.2f}"
        print(f"{name:2}{spec:>24} {t_fwd * 1e3:8.2f} {g_fwd:9.2f} {100 * g_fwd / peak:4.0f}% "
              f"{t_all * 1e3:8.2f} {g_all:9.2f} {100 * g_all / peak:4.0f}% "
              f"{best['f32'] * 1e3:8.2f} {torch_cols}")
    print("\nf+b: forward + backward, best of interleaved rounds (cnnlib float64, cnnlib float32, "
          "PyTorch float64);\nratio: cnnlib's float64 time / PyTorch's")
    targets = [ratios[w] for w in TARGET_SET if w in ratios]
    if targets:
        gmean = float(np.exp(np.mean(np.log(targets))))
        print(f"forward+backward, geometric mean over {TARGET_SET}: "
              f"{100 * gmean:.0f} % of the matrix-product rate (target >= 45 %)")
    if vs_torch:
        values = list(vs_torch.values())
        print(f"cnnlib / PyTorch, geometric mean over {''.join(vs_torch)}: "
              f"{float(np.exp(np.mean(np.log(values)))):.2f} (target <= 1.0), "
              f"worst {max(values):.2f} (target <= 1.3)")
    else:
        print("(PyTorch is not importable: no comparison column; `pip install torch` adds it)")


def forward_backward(x, f, stride, pad):
    """conv2d then conv2d_backward on x, f, as one function (its dz/dy as ``.dzdy``)."""
    dzdy = np.ones_like(conv2d(x, f, stride=stride, pad=pad))

    def run():
        conv2d(x, f, stride=stride, pad=pad)
        conv2d_backward(x, f, dzdy, stride=stride, pad=pad)
    run.dzdy = dzdy
    return run


def profile(args):
    """``--profile``: where each workload's forward + backward time goes."""
    print(benchconv.machine_line(args.threads))
    peak = matmul_gflops(rounds=args.rounds)
    print(f"best of {args.rounds} interleaved rounds; float64; matrix product 1024x1024: "
          f"{peak:.1f} GFLOP/s\n")
    for name in args.workloads:
        x, f, stride, pad = make_workload(name)
        whole = forward_backward(x, f, stride, pad)
        benchconv.print_profile(name, x, f, whole.dzdy, stride, pad, args.rounds, whole,
                                conv_flops(x, f, stride, pad)[1], peak)


def literal_and_training(args):
    """The literal Eq. (12) loops against conv2d, and the chapter-12 training step."""
    if "a" in args.workloads:
        x, f, stride, pad = make_workload("a")
        t0 = time.perf_counter()
        y_loops = literal_eq12(x, f, stride, pad)
        t_loops = time.perf_counter() - t0
        t_fast = median_time(lambda: conv2d(x, f, stride=stride, pad=pad), args.repeats)
        same = np.allclose(y_loops, conv2d(x, f, stride=stride, pad=pad))
        print(f"literal Eq. (12) loops on a: {t_loops * 1e3:.0f} ms, "
              f"cnnlib {t_fast * 1e3:.3f} ms: "
              f"{t_loops / t_fast:,.0f}x faster (same result: {same}; target >= 3,000x)")

    for threads in (1, None):
        rate = training_rate(args.repeats, threads)
        print(f"training step of the chapter-12 network, batch 16, "
              f"{'1 BLAS thread ' if threads else 'all BLAS threads'}: {rate:,.0f} images/s "
              "(forward + backward + SGD update)")


if __name__ == "__main__":
    main()
