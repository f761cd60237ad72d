"""Achieved scores by the government's rules: pure functions, exact decimals, no IO.

Every score carries the rule used and a Bengali explanation with the numbers,
so pages can show how it was computed. Rounding happens only on display.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Iterable

from sebabox.bengali import bn_number, bn_score
from sebabox.model import Indicator, Method
from sebabox.values import Value

LEVEL_PERCENTS = (Decimal(100), Decimal(90), Decimal(80), Decimal(70), Decimal(60))
LEVEL_NAMES = ("অসাধারণ", "অতি উত্তম", "উত্তম", "চলতি মান", "চলতি মানের নিম্নে")
ZERO = Decimal(0)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Score:
    value: Decimal
    weight: Decimal
    rule: str
    explanation: str


@dataclass(frozen=True)
class IndicatorResult:
    indicator: Indicator
    quarters: dict[int, Value | None]
    total: Value | None
    score: Score | None


# --------------------------------------------------------------------------- quarterly aggregation


def aggregate(method: Method, quarters: dict[int, Value | None], upto: int = 4) -> Value | None:
    """Year-to-date achievement from quarterly values, by the indicator's calculation method."""
    reported = [quarters[q] for q in sorted(quarters) if q <= upto and quarters[q] is not None]
    if not reported:
        return None
    if method is Method.date:
        dates = [v.date for v in reported if v.date is not None]
        return Value(date=min(dates)) if dates else reported[-1]
    if method is Method.cumulative:
        return reported[-1]
    numbers = [v.number for v in reported if v.number is not None]
    if not numbers:
        return reported[-1]
    percent = all(v.percent for v in reported)
    total = sum(numbers, ZERO)
    if method is Method.average:
        total = total / len(numbers)
    return Value(number=total, percent=percent)


# --------------------------------------------------------------------------- governance annexes


def proportional(weight: Decimal, target: Value | None, achieved: Value | None) -> Score:
    """Annexes 4-8: achievement against the annual target earns the weight pro rata (গাণিতিক হারে),
    capped at the weight; a date target met on or before its date earns the full weight."""
    if achieved is None:
        return Score(ZERO, weight, "none", "অর্জন প্রতিবেদন করা হয়নি, তাই প্রাপ্ত মান ০")
    if target is None:
        return Score(ZERO, weight, "none", "লক্ষ্যমাত্রা নেই, তাই প্রাপ্ত মান ০")
    if target.is_date or achieved.is_date:
        return _date_deadline(weight, target, achieved)
    if target.number == 0:
        return Score(ZERO, weight, "zero-target", "লক্ষ্যমাত্রা শূন্য, তাই অনুপাত নির্ণয় করা যায় না: প্রাপ্ত মান ০")
    ratio = min(achieved.number / target.number, Decimal(1))
    ratio = max(ratio, ZERO)
    value = weight * ratio
    return Score(
        value, weight, "proportional",
        f"অর্জন {achieved.display()} ÷ লক্ষ্যমাত্রা {target.display()} × মান {bn_number(weight)}"
        f" = {bn_score(value)}" + (" (সর্বোচ্চ মান পর্যন্ত)" if achieved.number > target.number else ""),
    )


def _date_deadline(weight: Decimal, target: Value, achieved: Value) -> Score:
    if not (target.is_date and achieved.is_date):
        return Score(ZERO, weight, "date", "লক্ষ্যমাত্রা ও অর্জনের একটি তারিখ, অন্যটি সংখ্যা: প্রাপ্ত মান ০")
    if achieved.date <= target.date:
        return Score(weight, weight, "date",
                     f"লক্ষ্য তারিখ {target.display()}, অর্জন {achieved.display()}: সময়মতো, তাই পূর্ণ মান {bn_score(weight)}")
    return Score(ZERO, weight, "date",
                 f"লক্ষ্য তারিখ {target.display()}, অর্জন {achieved.display()}: সময় পেরিয়ে, তাই প্রাপ্ত মান ০")


# --------------------------------------------------------------------------- APA five-level targets


def linear_between_levels(achieved: Decimal, lower: tuple[Decimal, Decimal], upper: tuple[Decimal, Decimal]) -> Decimal:
    """Percent earned between two levels (percent, value): linear interpolation, as in India's RFD
    system on which the APA is modelled. Swap this function to change the between-levels rule."""
    (p_low, v_low), (p_high, v_high) = lower, upper
    if v_high == v_low:
        return p_low
    share = (achieved - v_low) / (v_high - v_low)
    return p_low + max(ZERO, min(share, Decimal(1))) * (p_high - p_low)


BETWEEN_LEVELS: Callable[[Decimal, tuple, tuple], Decimal] = linear_between_levels


def _scalar(value: Value) -> Decimal:
    return Decimal(value.date.toordinal()) if value.date is not None else value.number


def lower_is_better(levels: Iterable[Value | None]) -> bool:
    """Direction from the levels themselves: ১০০% value below the last level's value means
    lower is better (days taken, error rate); a single date level means earlier is better."""
    present = [v for v in levels if v is not None]
    if len(present) < 2:
        return bool(present) and present[0].is_date
    return _scalar(present[0]) < _scalar(present[-1])


def by_levels(weight: Decimal, levels: list[Value | None], achieved: Value | None,
              between: Callable | None = None) -> Score:
    """APA section 3: the level's percentage of the weight; below the lowest level, 0."""
    between = between or BETWEEN_LEVELS
    if achieved is None:
        return Score(ZERO, weight, "none", "অর্জন প্রতিবেদন করা হয়নি, তাই প্রাপ্ত মান ০")
    pairs = [(p, _scalar(v)) for p, v in zip(LEVEL_PERCENTS, levels) if v is not None]
    if not pairs:
        return Score(ZERO, weight, "none", "লক্ষ্যমাত্রা নেই, তাই প্রাপ্ত মান ০")
    sign = Decimal(-1) if lower_is_better(levels) else Decimal(1)
    a = _scalar(achieved) * sign
    percent = ZERO
    for index, (p, v) in enumerate(pairs):
        if a >= v * sign:
            if index == 0:
                percent = p
            else:
                p_up, v_up = pairs[index - 1]
                percent = between(a, (p, v * sign), (p_up, v_up * sign))
            break
    value = weight * percent / HUNDRED
    return Score(value, weight, "levels",
                 f"অর্জন {achieved.display()}: লক্ষ্যমাত্রার {bn_score(percent)}% স্তর, "
                 f"মান {bn_number(weight)} × {bn_score(percent)}% = {bn_score(value)}"
                 + ("" if percent else " (সর্বনিম্ন স্তরের নিচে, তাই ০)"))


# --------------------------------------------------------------------------- rows and totals


def indicator_result(indicator: Indicator, quarters: dict[int, Value | None], upto: int,
                     rule: str) -> IndicatorResult:
    """One row: year-to-date total and its score. `rule` is 'proportional' or 'levels'."""
    total = aggregate(indicator.effective_method, quarters, upto)
    if not any(q <= upto and v is not None for q, v in quarters.items()):
        return IndicatorResult(indicator, quarters, None, None)
    if rule == "levels" and indicator.levels:
        score = by_levels(indicator.weight, indicator.levels, total)
    else:
        score = proportional(indicator.weight, indicator.annual_target, total)
    return IndicatorResult(indicator, quarters, total, score)


def total(scores: Iterable[Score | None]) -> Decimal:
    return sum((s.value for s in scores if s is not None), ZERO)


def governance_mark(annex_score: Decimal, annex_max: Decimal, weight: Decimal) -> Decimal:
    """An annex's score carried into the APA's governance area (unit প্রাপ্ত নম্বর)."""
    if annex_max == 0:
        return ZERO
    return weight * annex_score / annex_max

