"""cl.check_answer (exercises.answers): the check of "compute" and "predict, then run" cells."""
import numpy as np
import pytest

import cnnlib as cl


def line(capsys):
    out = capsys.readouterr().out
    assert out.count("\n") == 1, out
    return out[:-1]


@pytest.mark.parametrize("mine", [None, (None, None), [4, None], (1, [None])])
def test_none_anywhere_is_not_yet_and_reveals_nothing(mine, capsys):
    result = cl.check_answer(mine, (4, 6), hint="count the windows", reveal=True)
    assert (result.ok, result.mistake, result.name) == (False, None, "answer")
    assert line(capsys) == "not yet: replace the None above" == result.line


@pytest.mark.parametrize("mine, expected", [
    ([144, 144], (144, 144)),                      # a list is the tuple
    (5, np.int64(5)), (5.0, 5), (True, 1),
    (np.array([1, 3, 2, 4]), [1, 3, 2, 4]),
    (0.1 + 0.2, 0.3),                              # numbers up to rounding
    (" Row ", "row"),                              # strings up to case and spaces
    ([[1, 2], [3, 4]], np.array([[1.0, 2.0], [3.0, 4.0]])),
])
def test_values_not_types(mine, expected, capsys):
    assert cl.check_answer(mine, expected).ok
    assert line(capsys) == "right"


@pytest.mark.parametrize("mine, expected", [
    ((4, 6), (6, 4)), ([5], 5), (5, [5]), ((4, 6, 1), (4, 6)), (5.001, 5),
    ("5", 5), (5, "5"), ("column", "row"), ([[1, 2], [3]], [[1, 2], [3, 4]]),
    (np.array([1, 2, np.nan]), [1, 2, 3]), ({"a": 1}, 1),
])
def test_other_values_are_not_quite(mine, expected, capsys):
    result = cl.check_answer(mine, expected, hint="k = i + H j")
    assert (result.ok, result.mistake) == (False, None)
    assert line(capsys) == "not quite: k = i + H j"


def test_without_a_hint_it_says_only_not_quite(capsys):
    assert not cl.check_answer(3, 4).ok
    assert line(capsys) == "not quite"


def test_reveal_shows_the_run_once_answered(capsys):
    assert cl.check_answer([4, 6], (4, 6), reveal=True).ok
    assert line(capsys) == "right: the run gives (4, 6)"
    assert not cl.check_answer((6, 4), (4, 6), hint="rows first", reveal=True).ok
    assert line(capsys) == "not quite: rows first; the run gives (4, 6), you predicted (6, 4)"
    cl.check_answer(0.5, np.float64(0.25), reveal=True)
    assert line(capsys) == "not quite: the run gives 0.25, you predicted 0.5"
    cl.check_answer([1, 2], np.array([1.0, 3.0]), reveal=True)
    assert line(capsys) == "not quite: the run gives [1, 3], you predicted [1, 2]"
    cl.check_answer((7,), (8,), reveal=True)
    assert line(capsys) == "not quite: the run gives (8,), you predicted (7,)"


def test_tolerance_can_be_widened():
    assert not cl.check_answer(1.0 + 1e-7, 1.0, rtol=0, atol=1e-9).ok
    assert cl.check_answer(1.0 + 1e-7, 1.0, atol=1e-6).ok


def test_a_hint_must_be_a_string():
    with pytest.raises(TypeError, match="hint must be a string"):
        cl.check_answer(1, 1, hint=3)
