"""The catalogue of mistakes (cnnlib.exercises.mistakes, mistakes_conv, mistakes_pool,
mistakes_more).

Every catalogued mistake is written again, independently, with loops (learner.py and
learner_more.py) and
``cl.check`` must name it; every mistake must differ from cnnlib on the cases (or it could
not be told apart) and from every other mistake of its function, at every level of cases.
"""
import itertools
from functools import partial

import pytest

import cnnlib as cl
from . import learner
from cnnlib.exercises import checker
from cnnlib.exercises.cases import cases

#: the keys the issue asks for, exactly these strings, and the chapter of each function
REQUIRED = {
    "vec": ["row-major"],
    "im2col": ["rows out of order", "padding ignored"],
    "conv2d": ["kernel flipped", "bias ignored", "stride ignored"],
    "conv2d_backward": ["dz/dF flipped", "dz/db not summed", "dz/dx overwrites overlaps"],
    "col2im": ["overwrites overlaps"],
    "maxpool2d_backward": ["gradient to every tied maximum", "spread like average pooling"],
    "relu_backward": ["gradient passed at 0"],
    "softmax_log_loss_backward": ["no batch mean"],
}
CHAPTER = {"vec": 1, "conv2d": 4, "im2col": 5, "col2im": 8, "maxpool2d": 9,
           "maxpool2d_backward": 9, "relu_backward": 11, "softmax_log_loss_backward": 12,
           "numerical_gradient": 2, "squared_loss_backward": 3, "kron": 6, "im2col_inverse": 10}

#: (name, key) of every catalogued mistake -> the learner's functions that make it, written
#: independently in tests/exercises/learner.py (two where the catalogue has two variants)
MADE = {}
for _m in cl.catalogue():
    _forms = [_m.key] + [f"{_m.key} #2"] * (len(_m.variants) > 1)
    MADE[_m.name, _m.key] = [partial(getattr(learner, _m.name), mistake=form) for form in _forms]

LEVELS = list(itertools.product([True, False], repeat=3))      # batch, stride, pad


def test_the_required_keys_are_catalogued_with_their_chapters():
    for name, keys in REQUIRED.items():
        assert set(keys) <= {m.key for m in cl.catalogue(name)}, name
    for m in cl.catalogue():
        assert m.name in checker.REFERENCE
        assert m.hint and "\n" not in m.hint and m.hint == m.hint.strip()
        if m.name == "conv2d_backward":
            assert m.chapter == (8 if m.key.startswith("dz/dx") else 7), m.key
        else:
            assert m.chapter == CHAPTER[m.name], m


def test_keys_are_unique_per_function_and_catalogue_filters_by_name():
    pairs = [(m.name, m.key) for m in cl.catalogue()]
    assert len(pairs) == len(set(pairs))
    assert cl.catalogue("conv2d") == tuple(m for m in cl.catalogue() if m.name == "conv2d")
    assert cl.catalogue("no such function") == ()


@pytest.mark.parametrize("name, key", sorted(MADE), ids=lambda v: str(v))
def test_each_mistake_written_independently_is_named(name, key, capsys):
    for fn in MADE[name, key]:
        result = cl.check(name, fn)
        assert (result.ok, result.mistake) == (False, key)
        line = capsys.readouterr().out
        assert line.startswith("not quite: case ") and line.count("\n") == 1
        hint = next(m.hint for m in cl.catalogue(name) if m.key == key)
        assert line.endswith(f"; this looks like {key}: {hint} (chapter "
                             f"{next(m.chapter for m in cl.catalogue(name) if m.key == key):02d})"
                             f"\n")


def _outputs(name, fn, numbers):
    every_part = tuple(range(len(checker.PARTS.get(name, (None,)))))
    return [checker._pick(checker._run(fn, cases(name)[k]), name, every_part) for k in numbers]


def _same(name, a, b):
    return all(not checker._compare(x, y, name, tuple(range(len(x))))[0] for x, y in zip(a, b))


def _numbers(name, batch, stride, pad):
    return [k for k, case in enumerate(cases(name))
            if (batch or not case.batch) and (stride or "stride" not in case.kwargs)
            and (pad or "pad" not in case.kwargs)]


@pytest.mark.parametrize("name", sorted(checker.REFERENCE))
def test_every_mistake_differs_from_cnnlib_and_from_the_others(name):
    """On all cases each variant runs and differs from cnnlib; at every level no two
    mistakes of the function agree where they differ from cnnlib (no wrong name)."""
    reference = checker.REFERENCE[name]
    for batch, stride, pad in LEVELS:
        numbers = _numbers(name, batch, stride, pad)
        expected = _outputs(name, reference, numbers)
        made = [(m.key, _outputs(name, v, numbers)) for m in cl.catalogue(name)
                for v in m.variants]
        if (batch, stride, pad) == (True, True, True):
            for key, outputs in made:
                assert not _same(name, outputs, expected), f"{key} agrees with cnnlib"
        for (key_a, a), (key_b, b) in itertools.combinations(made, 2):
            if key_a != key_b and not _same(name, a, expected):
                assert not _same(name, a, b), (key_a, key_b, batch, stride, pad)


def test_mistakes_that_need_a_feature_are_told_apart_only_with_it(capsys):
    """With batch=False "no batch mean" gives the right answer: the cases cannot see it."""
    no_mean = partial(learner.softmax_log_loss_backward, mistake="no batch mean")
    assert cl.check("softmax_log_loss_backward", no_mean, batch=False).ok
    assert cl.check("softmax_log_loss_backward", no_mean).mistake == "no batch mean"
    stride_1 = partial(learner.conv2d, mistake="stride ignored")
    assert cl.check("conv2d", stride_1, stride=False).ok
    assert cl.check("conv2d", stride_1, pad=False).mistake == "stride ignored"
