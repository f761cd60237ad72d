"""The scores page explains the rules in plain public Bengali, and its worked examples are what the site computes."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from conftest import ROOT
from sebabox.bengali import to_ascii_digits
from sebabox.scoring.score import by_levels, governance_mark, proportional
from sebabox.values import Value

PAGE = (ROOT / "content" / "scores.md").read_text(encoding="utf-8")


def _n(x) -> Value:
    return Value(number=Decimal(x))


def test_the_scores_page_speaks_to_the_public_not_to_developers():
    assert "`" not in PAGE
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", PAGE)  # no function names
    for word in ("কোডে", "check", "linear", "interpolation", "YAML"):
        assert word not in PAGE, word


def test_it_says_what_the_guideline_says_and_what_the_site_assumes():
    says, assumes = PAGE.split("## নির্দেশিকায় যা লেখা নেই", 1)
    assert "৬০%" in says and "০ (শূন্য)" in says
    assert "গাণিতিক হারে" in says
    assert "তারিখ পেরিয়ে গেলে ০" in says
    assert "মাঝখানে" in assumes and "ধরে নেয়" in assumes
    assert PAGE.count("উদাহরণ") >= 6


def test_its_worked_examples_are_what_the_site_computes():
    levels = [_n(100), _n(90), _n(80), _n(70), _n(60)]
    assert by_levels(Decimal(10), levels, _n(85)).value == Decimal("8.5")  # between two levels: ৮.৫০
    assert by_levels(Decimal(10), levels, _n(55)).value == 0  # below the lowest level: ০
    assert by_levels(Decimal(10), levels, _n(90)).value == 9
    assert by_levels(Decimal(10), levels, _n(110)).value == 10
    assert proportional(Decimal(2), _n(4), _n(1)).value == Decimal("0.5")  # ৪.১ ০.৫০
    assert proportional(Decimal(2), Value(number=Decimal(100), percent=True), _n(1)).value == Decimal("0.02")
    on_time = Value(date=dt.date(2023, 7, 26))
    assert proportional(Decimal(4), on_time, on_time).value == 4
    assert proportional(Decimal(4), on_time, Value(date=dt.date(2023, 7, 28))).value == 0
    assert round(governance_mark(Decimal("8.52"), Decimal(30), Decimal(10)), 2) == Decimal("2.84")


def test_the_governance_split_adds_up_to_the_areas_30():
    split = re.search(r"\(([০-৯ +]+) = ([০-৯]+)\)", PAGE)
    parts = [int(to_ascii_digits(x)) for x in split.group(1).split("+")]
    assert sum(parts) == int(to_ascii_digits(split.group(2))) == 30
