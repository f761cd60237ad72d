"""Scoring rules, table-driven, with cases from the seeds and hand-made edges (pure functions)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sebabox.scoring import score
from sebabox.model import Method
from sebabox.values import parse_value


def v(text):
    return parse_value(text)


def levels(*texts):
    return [v(t) for t in texts]


# --- seed 001: governance annex, proportional against the annual target -------------------------
@pytest.mark.parametrize("row, weight, target, achieved, expected", [
    ("1.1", "2", "২", "১", D("1")),
    ("1.2", "2", "১০০%", "১", D("0.02")),  # printed ১: the seed's own arithmetic error (check warns)
    ("2.4", "2", "১", "১", D("2")),
    ("3.1 date met", "4", "২৬/০৭/২৩", "২৬/০৭/২৩", D("4")),
    ("4.1", "2", "৪", "১", D("0.5")),
    ("4.2", "2", "৪", "১", D("0.5")),
    ("4.3", "2", "৪", "১", D("0.5")),
])
def test_seed_001_rows(row, weight, target, achieved, expected):
    assert score.proportional(D(weight), v(target), v(achieved)).value == expected


@pytest.mark.parametrize("case, target, achieved, expected", [
    ("beyond the target is capped at the weight", "৪", "৬", D("2")),
    ("date early", "২৬/০৭/২৩", "২০/০৭/২৩", D("2")),
    ("date on time", "২৬/০৭/২৩", "২৬/০৭/২৩", D("2")),
    ("date late", "২৬/০৭/২৩", "২৭/০৭/২৩", D("0")),
    ("target of zero", "০", "৩", D("0")),
    ("nothing reported", "৪", None, D("0")),
])
def test_proportional_edges(case, target, achieved, expected):
    assert score.proportional(D(2), v(target), v(achieved)).value == expected


def test_zero_weight_scores_zero():
    assert score.proportional(D(0), v("৪"), v("৪")).value == 0
    assert score.by_levels(D(0), levels("১০", "৯", "৮", "৭", "৬"), v("১০")).value == 0


# --- APA section 3: five levels, linear between levels ----------------------------------------
HIGHER = levels("১০০", "৯০", "৮০", "৭০", "৬০")
LOWER = levels("১০", "১২", "১৪", "১৬", "১৮")  # days taken: lower is better
DATES = levels("১৬/০৩/২৫", "২৩/০৩/২৫", "৩০/০৩/২৫", "০৬/০৪/২৫", "১৩/০৪/২৫")  # seed 002 e-Gov annex


@pytest.mark.parametrize("case, lv, achieved, percent", [
    ("exactly on অসাধারণ", HIGHER, "১০০", 100),
    ("beyond অসাধারণ", HIGHER, "১৫০", 100),
    ("exactly on উত্তম", HIGHER, "৮০", 80),
    ("between উত্তম and অতি উত্তম", HIGHER, "৮৫", 85),
    ("exactly on the ৬০% level", HIGHER, "৬০", 60),
    ("below the ৬০% level", HIGHER, "৫৯", 0),
    ("lower is better: on অসাধারণ", LOWER, "১০", 100),
    ("lower is better: between", LOWER, "১৩", 85),
    ("lower is better: worse than ৬০%", LOWER, "১৯", 0),
    ("date early", DATES, "১০/০৩/২৫", 100),
    ("date on চলতি মান", DATES, "০৬/০৪/২৫", 70),
    ("date late", DATES, "১৪/০৪/২৫", 0),
    ("missing levels use those that exist", levels("৮", "৩", "২", "১", "-"), "২", 80),
    ("missing ৬০% level: below চলতি মান is 0", levels("৮", "৩", "২", "১", "-"), "০", 0),
])
def test_by_levels(case, lv, achieved, percent):
    assert score.by_levels(D(10), lv, v(achieved)).value == D(percent) / 10


def test_lower_is_better_is_read_from_the_levels():
    assert score.lower_is_better(LOWER) and not score.lower_is_better(HIGHER)
    assert score.lower_is_better(levels("১৬/০৩/২৫"))  # a single date level: earlier is better


def test_between_levels_rule_is_swappable():
    step = lambda a, lower, upper: lower[0]  # noqa: E731 - "no credit between levels"
    assert score.by_levels(D(10), HIGHER, v("৮৫"), between=step).value == D(8)


# --- quarterly aggregation ---------------------------------------------------------------------
@pytest.mark.parametrize("method, quarters, upto, expected", [
    (Method.sum, {1: "২", 2: "৩", 3: "১"}, 4, "৬"),
    (Method.sum, {1: "২", 2: "৩", 3: "১"}, 2, "৫"),
    (Method.average, {1: "৯০%", 2: "১০০%"}, 4, "৯৫%"),
    (Method.average, {1: "৯০%", 2: None, 3: "১০০%"}, 4, "৯৫%"),  # a missing quarter is not a zero
    (Method.cumulative, {1: "১০", 2: "২৫", 3: "৩০"}, 2, "২৫"),
    (Method.date, {2: "১০/১০/২৩", 3: "০১/০১/২৪"}, 4, "১০/১০/২০২৩"),
])
def test_aggregate(method, quarters, upto, expected):
    assert score.aggregate(method, {q: v(x) for q, x in quarters.items()}, upto).display() == expected


def test_aggregate_with_nothing_reported_is_none():
    assert score.aggregate(Method.sum, {1: None}, 4) is None


def test_governance_mark_scales_an_annex_score_into_the_apa_area():
    # seed 001's NIS plan is out of ৩০; the APA's NIS indicator is worth ১০ marks
    assert score.governance_mark(D("8.52"), D(30), D(10)) == D("2.84")


def test_exact_decimals_no_float_surprises():
    total = score.total([score.proportional(D("0.1"), v("১"), v("১"))] * 3)
    assert total == D("0.3")


# --- properties --------------------------------------------------------------------------------
numbers = st.decimals(min_value=-1000, max_value=1000, allow_nan=False, allow_infinity=False, places=2)


@settings(max_examples=300, deadline=None)
@given(weight=st.decimals(min_value=0, max_value=100, places=2), target=numbers, achieved=numbers,
       lv=st.lists(st.one_of(st.none(), numbers), min_size=5, max_size=5))
def test_score_never_exceeds_weight_nor_goes_below_zero(weight, target, achieved, lv):
    from sebabox.values import Value

    for s in (score.proportional(weight, Value(number=target), Value(number=achieved)),
              score.by_levels(weight, [Value(number=x) if x is not None else None for x in lv], Value(number=achieved))):
        assert D(0) <= s.value <= weight
