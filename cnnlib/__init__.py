"""cnnlib: the math of Jianxin Wu's note "CNN for Dummies", in numpy.

One module per idea of the note (see DESIGN.md): ``tensor`` (vec, section 2.1),
``gradcheck`` (2.2), ``im2col`` (4.3-4.4), ``indicator`` (4.7, 5), ``conv`` (4),
``pool`` (5), ``reverse`` (6), ``relu`` (7), ``loss`` (3.1), ``net`` (3, 8).
Conventions: single inputs (H, W, D), mini-batches (H, W, D, N), filters
(kh, kw, D_in, D_out); vec is column-major; "convolution" is cross-correlation.

The figures and explorers come in three pairs, one per part of the course:
``plot``/``widgets`` (chapters 00-05, with the shared drawing primitives),
``plot_backward``/``widgets_backward`` (06-11) and ``plot_training``/``widgets_training``
(12).  They and the data sets (``data``) need matplotlib, ipywidgets and scikit-learn;
they are imported on first use of one of their names (``cl.conv_explorer``), so
``import cnnlib`` stays fast and needs only numpy and scipy.
``bench`` is the speed benchmark: ``python -m cnnlib.bench``.
"""
import importlib

from .conv import *  # noqa: F401,F403
from .gradcheck import *  # noqa: F401,F403
from .im2col import *  # noqa: F401,F403
from .indicator import *  # noqa: F401,F403
from .loss import *  # noqa: F401,F403
from .pool import *  # noqa: F401,F403
from .relu import *  # noqa: F401,F403
from .reverse import *  # noqa: F401,F403
from .tensor import *  # noqa: F401,F403

__version__ = "0.1.0"

# modules whose public names are served from the top-level namespace on first use
_LAZY = ("plot", "widgets", "net", "data",
         "plot_backward", "widgets_backward", "plot_training", "widgets_training")


def __getattr__(name):
    for module in _LAZY:
        mod = importlib.import_module(f".{module}", __name__)
        if name in getattr(mod, "__all__", ()):
            return getattr(mod, name)
    raise AttributeError(f"module 'cnnlib' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | {n for m in _LAZY for n in
                                    getattr(importlib.import_module(f".{m}", __name__), "__all__", ())})
