"""Chapter 13's errata table against the chapters it points to.

The table lists the note's slips E1-E30, once each and in order. Its last column says where a
slip is shown: a list of places, each a chapter number "NN" (the chapter's main text) or
"NN (*Slips in this section*)" (the part of that name at the chapter's end), or, after a "—",
why there is nothing to compute. A slip is *shown* in a place when a cell there names its id
and a code cell with an ``assert`` follows before the next heading or the next cell about
another slip: the literal reading is computed, not only mentioned.
"""
import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
ROW = re.compile(r"^\| (E\d+) \|.*\| ([^|]*) \|$", re.M)
PLACE = re.compile(r"^(\d\d)( \(\*Slips in this section\*\))?$")
SLIPS = "## Slips in this section"
MAIN_ENDS = re.compile(r"## (Try this|Slips in this section|Summary)\b")
ASSERT = re.compile(r"^\s*assert\b", re.M)


def source(cell):
    return "".join(cell["source"])


def chapters():
    """{"08": [cells], ...} of every chapter notebook."""
    return {p.name[:2]: json.loads(p.read_text())["cells"]
            for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))}


def table(cells):
    """[(id, shown-in column)] of the errata table in chapter 13's cells."""
    text = next(source(c) for c in cells if source(c).startswith("| id"))
    return [(e, shown.strip()) for e, shown in ROW.findall(text)]


def places(shown):
    """[(chapter, in the slips part?)] of a shown-in column; [] after a "—"."""
    if shown.startswith("—"):
        return []
    out = []
    for place in shown.split(", "):
        m = PLACE.match(place)
        if m is None:
            raise ValueError(f"not a place: {place!r} (write NN or NN (*Slips in this "
                             f"section*), separated by ', ')")
        out.append((m[1], bool(m[2])))
    return out


def region(cells, slips):
    """The cells of a chapter's main text (before Try this, the slips part or the summary),
    or of its "Slips in this section" part (up to the next heading of its level)."""
    if not slips:
        end = next((i for i, c in enumerate(cells) if MAIN_ENDS.match(source(c))), len(cells))
        return cells[:end]
    start = next((i for i, c in enumerate(cells) if source(c).startswith(SLIPS)), None)
    if start is None:
        return []
    end = next((i for i in range(start + 1, len(cells))
                if source(cells[i]).startswith("## ")), len(cells))
    return cells[start:end]


def shown(erratum, cells):
    """Whether a cell of ``cells`` names the erratum and an assert follows it in its span."""
    name = re.compile(rf"\b{erratum}\b")
    for i, cell in enumerate(cells):
        if not name.search(source(cell)):
            continue
        for j in range(i, len(cells)):
            text = source(cells[j])
            if j > i and cells[j]["cell_type"] == "markdown" and (
                    text.startswith("#") or (re.search(r"\bE\d+\b", text)
                                             and not name.search(text))):
                break
            if cells[j]["cell_type"] == "code" and ASSERT.search(text):
                return True
    return False


def problems(rows, chapters):
    """What is wrong between the table's rows and the chapters ([] when nothing is)."""
    found = [f"the ids run {[e for e, _ in rows]}, not E1 to E30 in order"] \
        if [e for e, _ in rows] != [f"E{k}" for k in range(1, 31)] else []
    for erratum, column in rows:
        for chapter, slips in places(column):
            where = f"{chapter}{' (its Slips in this section)' if slips else ' (main text)'}"
            if chapter not in chapters:
                found.append(f"{erratum}: there is no chapter {chapter}")
            elif not shown(erratum, region(chapters[chapter], slips)):
                found.append(f"{erratum} is not shown in {where}: no cell there names it "
                             f"with an assert after it")
    return found


def test_every_erratum_of_the_table_is_shown_where_the_table_says():
    found = chapters()
    rows = table(found["13"])
    assert len(rows) == 30
    assert problems(rows, found) == []


def test_the_table_names_places_it_can_check():
    for erratum, column in table(chapters()["13"]):
        places(column)                                  # raises on a place it cannot read


# the check itself: it flags what it must
def cell(kind, text):
    return {"cell_type": kind, "source": [text]}


BOOK = {"05": [cell("markdown", "# 05\nE9 and E10 below."),
               cell("markdown", "**E9.** read literally:"), cell("code", "assert x != y"),
               cell("markdown", "**E10.** only said."), cell("code", "print(1)"),
               cell("markdown", "## Slips in this section\n\n**E12.**"),
               cell("code", "assert a == b"), cell("markdown", "## Summary")]}
ROWS = [(f"E{k}", "— nothing to compute") for k in range(1, 31)]


@pytest.mark.parametrize("erratum, column, flagged", [
    ("E9", "05", False),
    ("E10", "05", True),                                # named, but nothing asserted after it
    ("E12", "05 (*Slips in this section*)", False),
    ("E12", "05", True),                                # it is in the slips part, not the text
    ("E9", "05 (*Slips in this section*)", True),
    ("E11", "05", True),                                # not named at all
    ("E9", "06", True),                                 # no such chapter
])
def test_problems_flags_a_slip_not_shown_where_the_table_says(erratum, column, flagged):
    rows = [(e, column if e == erratum else shown) for e, shown in ROWS]
    assert bool(problems(rows, BOOK)) == flagged


def test_places_refuses_what_it_cannot_read():
    assert places("09, 10 (*Slips in this section*)") == [("09", False), ("10", True)]
    with pytest.raises(ValueError, match="not a place"):
        places("09, under the slips")
