"""The catalogue of mistakes that ``cl.check`` names (what learners get wrong, as outputs).

Each :class:`Mistake` belongs to one function a learner re-implements (``name``, e.g.
"conv2d") and has a ``key`` ("kernel flipped"), a one-line ``hint``, the ``chapter`` that
teaches the rule, and one or more ``variants``: functions with the signature of cnnlib's
``name`` that return the mistaken output (one mistake written two ways can give different
numbers: overwriting where windows overlap keeps the last window or the last kernel offset,
whichever the loops visit last).  :func:`cnnlib.exercises.checker.check` names a mistake when the
learner's outputs equal those of one variant on every case it runs; it never reads the
learner's source.

The variants live in :mod:`cnnlib.exercises.mistakes_conv` (chapters 01-08: vec, conv2d, im2col,
conv2d_backward, col2im) and :mod:`cnnlib.exercises.mistakes_pool` (09-12: maxpool2d,
maxpool2d_backward, relu_backward, softmax_log_loss_backward), and those of the write-it
exercises of chapters 02, 03, 06 and 10 in :mod:`cnnlib.exercises.mistakes_more`
(numerical_gradient, squared_loss_backward, kron, im2col_inverse).  Each is written with cnnlib's
own functions and the one thing changed, so it reads as its definition; tests/test_mistakes.py
writes every mistake again, with loops, and checks that ``check`` names it.
"""
from collections import namedtuple

__all__ = ["Mistake", "catalogue"]

Mistake = namedtuple("Mistake", "name key hint chapter variants")
Mistake.__doc__ = """One catalogued mistake: the function ``name`` it is made in, its ``key``,
a one-line ``hint``, the ``chapter`` (int) that teaches the rule, and ``variants``: a tuple of
functions with the signature of cnnlib's ``name`` that make the mistaken output."""

_REGISTERED = []


def mistake(name, key, chapter, hint):
    """Decorator for the variant modules: add the function as a variant of (name, key)."""
    def add(variant):
        for i, m in enumerate(_REGISTERED):
            if (m.name, m.key) == (name, key):
                _REGISTERED[i] = m._replace(variants=m.variants + (variant,))
                return variant
        _REGISTERED.append(Mistake(name, key, hint, chapter, (variant,)))
        return variant
    return add


def sign_flipped(name, chapter, hint, reference):
    """Register the mistake "sign flipped" of ``name``: the gradient ``reference`` computes,
    negated (t - x for x - t)."""
    def flipped(*args, **kwargs):
        return -reference(*args, **kwargs)
    mistake(name, "sign flipped", chapter, hint)(flipped)


def catalogue(name=None):
    """The catalogued mistakes in the order ``check`` tries them, each a :class:`Mistake`:
    every one (``name`` None) or those of the function ``name`` ("conv2d", ...)."""
    from . import mistakes_conv, mistakes_more, mistakes_pool  # noqa: F401  (registers them)
    return tuple(m for m in _REGISTERED if name is None or m.name == name)
