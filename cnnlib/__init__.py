"""cnnlib: the math of Jianxin Wu's note "CNN for Dummies", in numpy.

One module per idea of the note.  The math: ``tensor`` (vec, section 2.1), ``gradcheck``
(2.2), ``im2col`` (4.3-4.4), ``indicator`` (4.7, 5), ``conv`` (4), ``pool`` (5),
``reverse`` (6), ``relu`` (7), ``loss`` (3.1).  The network: ``layers`` (3),
``loss_layers`` (3.1) and ``net`` (3, 8).  ``data``: the bundled digits and photo.  ``views/``: the
figures and explorers.  ``exercises/``: ``cl.check`` and its catalogue of mistakes, the
chapter-12 capstone.  ``bench``: the speed benchmark, ``python -m cnnlib.bench``.
Conventions: single inputs (H, W, D), mini-batches (H, W, D, N), filters
(kh, kw, D_in, D_out); vec is column-major; "convolution" is cross-correlation.

Every public name is served from here (``cl.conv2d``, ``cl.Sequential``,
``cl.conv_explorer``).  The math is imported at once and needs only numpy and scipy;
the other names come from the table ``_SERVED`` below and their module is imported on
first use, so the network runs without matplotlib, and matplotlib, ipywidgets and
scikit-learn are imported only when a figure, an explorer, the photo or the digits are
asked for.
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

# module -> the public names it serves; each tuple is its module's __all__ (a test checks)
_SERVED = {
    "layers": ("Conv2d", "FullyConnected", "ReLU", "MaxPool2d"),
    "loss_layers": ("Loss", "SoftmaxLogLoss", "SquaredLoss"),
    "net": ("Sequential", "SGD", "train_step", "digits_cnn"),
    "data": ("load_digits", "stratified_split", "Digits", "load_photo"),
    "exercises.mistakes": ("Mistake", "catalogue"),
    "exercises.checker": ("check", "Check"),
    "exercises.answers": ("check_answer",),
    "exercises.capstone": ("digits_cnn_with", "check_network", "train_digits"),
    "views.draw": ("draw_matrix", "draw_heatmap", "draw_row", "format_value", "matrices_figure"),
    "views.vec": ("vec_step", "draw_vec", "draw_vec_order", "draw_vec_orders", "vec_explorer"),
    "views.chain": ("draw_difference_errors", "draw_chain", "draw_loss_curve"),
    "views.conv": ("conv_step", "draw_conv", "conv_explorer", "EXAMPLE_INPUTS",
                   "EXAMPLE_KERNELS", "windows_figure", "correlation_figure"),
    "views.im2col": ("im2col_step", "draw_im2col", "draw_phi_map", "im2col_explorer"),
    "views.backward": ("kron_figure", "backward_step", "draw_backward", "backward_explorer"),
    "views.indicator": ("spy_figure", "counts_figure", "indicator_step", "draw_indicator",
                        "indicator_explorer", "routes_figure"),
    "views.pooling": ("pooling_step", "draw_pooling", "pooling_explorer"),
    "views.reverse": ("images_figure",),
    "views.timing": ("explorer_times", "print_explorer_times"),
    "views.relu": ("relu_figure",),
    "views.training": ("draw_digit_image", "digits_figure", "training_curves_figure",
                       "filters_figure", "feature_maps_figure", "confusion_matrix",
                       "confusion_figure", "misclassified_figure"),
    "views.digit": ("digit_step", "draw_digit", "prediction_line", "digit_explorer"),
}
_MODULE_OF = {name: module for module, names in _SERVED.items() for name in names}


def __getattr__(name):
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'cnnlib' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value                       # served once, then found directly
    return value


def __dir__():
    return sorted(set(globals()) | set(_MODULE_OF))
