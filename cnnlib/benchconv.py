"""Where a convolution's time goes, and PyTorch's time for the same work: for ``bench.py``.

``python -m cnnlib.bench --profile`` prints, per workload, the time of each stage of
conv2d + conv2d_backward as cnnlib runs them (the im2col copy, each matrix product,
col2im, the reshapes, dz/db) and the page faults of one forward + backward.
When PyTorch is importable (it is not a dependency of the course: ``pip install torch``)
``make bench`` adds its float64 forward + backward time for the same workload, measured
in the same run as cnnlib's: best of interleaved rounds, with the same thread count.
"""
import os
import platform
import resource
import time

import numpy as np

from ._convfast import F_n, batch_inner, col2im_n, dzdF_db, dzdphi_T, dzdY_T, phi_n, y_T
from ._window import window_geometry
from .conv import (F_of, Y_to_y, bias_gradient, eq20_product, eq33_product, eq44_product,
                   y_to_Y)
from .im2col import col2im_4d, phi_4d


def processor():
    """The processor's model name (from /proc/cpuinfo on Linux)."""
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_line(threads):
    """One line naming the processor, the BLAS kernel, the thread count and the load."""
    from threadpoolctl import threadpool_info

    blas = next((i for i in threadpool_info() if i["user_api"] == "blas"), {})
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    return (f"{processor()}, {os.cpu_count()} cores; numpy's BLAS {blas.get('internal_api', '?')} "
            f"{blas.get('version', '')} ({blas.get('architecture', '?')} kernel), "
            f"{threads or 'all'} thread(s); load average {load}")


def best_of_rounds(fns, rounds, per_round=3):
    """{name: best time} of each function, timed ``per_round`` times in each of ``rounds``
    rounds that take the functions in turn (so a busy moment of a shared machine costs
    each of them alike)."""
    best = {name: np.inf for name in fns}
    for fn in fns.values():
        fn()                                                       # warm up
    for _ in range(rounds):
        for name, fn in fns.items():
            for _ in range(per_round):
                t0 = time.perf_counter()
                fn()
                best[name] = min(best[name], time.perf_counter() - t0)
    return best


def torch_forward_backward(x, f, dzdy, stride, pad, threads):
    """PyTorch's conv2d forward + autograd backward on the same numbers, or None when
    PyTorch is not importable.  x (H, W, D, N) and f (kh, kw, D, D_out) are laid out
    as PyTorch wants them, (N, D, H, W) and (D_out, D, kh, kw), before timing."""
    try:
        import torch
    except ImportError:
        return None
    if threads:
        torch.set_num_threads(threads)
    xt = torch.from_numpy(np.ascontiguousarray(x.transpose(3, 2, 0, 1))).requires_grad_()
    ft = torch.from_numpy(np.ascontiguousarray(f.transpose(3, 2, 0, 1))).requires_grad_()
    gt = torch.from_numpy(np.ascontiguousarray(dzdy.transpose(3, 2, 0, 1)))

    def run():
        """One forward + backward; returns (dz/dx, dz/df) in cnnlib's layouts."""
        xt.grad = ft.grad = None
        torch.nn.functional.conv2d(xt, ft, stride=stride, padding=pad).backward(gt)
        return xt.grad.numpy().transpose(2, 3, 1, 0), ft.grad.numpy().transpose(2, 3, 1, 0)
    return run


# ------------------------------------------------------------------------- --profile
def stages(x, f, dzdy, stride, pad):
    """(path, [(stage, function)]) of conv2d + conv2d_backward on these arrays: the path
    conv2d takes (the batch-inner one of ``_convfast`` or the plain Eq. (20) one of conv.py)
    and each of its stages, the very functions conv2d calls, on their inputs made once."""
    g = window_geometry(x.shape, f.shape[:2], stride, pad)
    (h_out, w_out), n = g[3], x.shape[3]
    if batch_inner(x, g):
        F, phiT, dzdYT = F_n(f), phi_n(x, g), dzdY_T(dzdy)
        phiT1, M = phi_n(x, g, ones_row=True), dzdphi_T(F, dzdYT)
        return "batch-inner", [
            ("im2col copy", lambda: phi_n(x, g)),
            ("y^T = F^T phi^T", lambda: y_T(F, phiT)),
            ("dz/dY^T reshape", lambda: dzdY_T(dzdy)),
            ("im2col copy + ones row", lambda: phi_n(x, g, ones_row=True)),
            ("dz/dF, dz/db (1 product)", lambda: dzdF_db(phiT1, dzdYT)),
            ("dz/dphi^T = F dz/dY^T", lambda: dzdphi_T(F, dzdYT)),
            ("col2im", lambda: col2im_n(M, x.shape, g))]
    F, phi, dzdY = F_of(f), phi_4d(x, g), y_to_Y(dzdy)
    Y, M = eq20_product(phi, F), eq44_product(dzdY, F)
    return "Eq. (20)", [
        ("im2col copy", lambda: phi_4d(x, g)),
        ("Y = phi F", lambda: eq20_product(phi, F)),
        ("Y -> y reshape", lambda: Y_to_y(Y, h_out, w_out, n)),
        ("dz/dy -> dz/dY", lambda: y_to_Y(dzdy)),
        ("dz/dF = phi^T dz/dY", lambda: eq33_product(phi, dzdY)),
        ("dz/dphi = dz/dY F^T", lambda: eq44_product(dzdY, F)),
        ("col2im", lambda: col2im_4d(M, x.shape, g)),
        ("dz/db sum", lambda: bias_gradient(dzdY))]


def page_faults(fn, repeats=5):
    """Minor page faults per call of fn (fresh large arrays touched for the first time)."""
    fn()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(repeats):
        fn()
    return (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / repeats


PRODUCTS = ("y^T =", "Y =", "dz/dF", "dz/dphi")     # the stages that are matrix products


def print_profile(name, x, f, dzdy, stride, pad, rounds, whole, flops=None, peak=None):
    """Print one workload's stages (best of interleaved rounds) beside the whole call, and
    with ``flops`` and the same-run matrix-product rate ``peak`` (GFLOP/s), the rate of
    its matrix products alone: the ceiling of this workload if nothing else took time."""
    path, parts = stages(x, f, dzdy, stride, pad)
    best = best_of_rounds(dict(parts, whole=whole), rounds)
    total = sum(best[s] for s, _ in parts)
    print(f"{name} ({path} path): forward + backward {best['whole'] * 1e3:.2f} ms, "
          f"stages add up to {total * 1e3:.2f} ms; {page_faults(whole):.0f} page faults per call")
    for stage, _ in parts:
        print(f"    {stage:<24}{best[stage] * 1e3:8.2f} ms {100 * best[stage] / total:4.0f} %")
    if flops and peak:
        t_products = sum(best[s] for s, _ in parts if s.startswith(PRODUCTS))
        rate = flops / t_products / 1e9
        print(f"    the products alone: {rate:.1f} GFLOP/s, {100 * rate / peak:.0f} % of the "
              f"matrix product; the whole call {100 * flops / best['whole'] / 1e9 / peak:.0f} %")
