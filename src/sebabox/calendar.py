"""The publication calendar: when each document and quarterly report of a fiscal year is due.

One file per fiscal year, `plans/_calendar/<fy>.yaml`, read by the loader like any
plan file and checked by `check_calendars` with located messages. Its dates are the
Cabinet Division's APA calendar (the file names its source); a level may have its own
window (the fourth-quarter/annual report: upazila offices first, ministries last).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from sebabox.bengali import bn_date, bn_fiscal_year, bn_number, fiscal_year_start, quarter_end
from sebabox.errors import Problems
from sebabox.model import FiscalYear, Level, Strict, Text
from sebabox.values import Date

# What is tracked for each document of a year: the plan (signed or approved) and four quarterly reports;
# the fourth is the year's evaluation report with evidence.
SLOTS = ("plan", "q1", "q2", "q3", "q4")
SLOT_NAMES = {"plan": "পরিকল্পনা/চুক্তি", "q1": "১ম কোয়ার্টার", "q2": "২য় কোয়ার্টার", "q3": "৩য় কোয়ার্টার",
              "q4": "৪র্থ কোয়ার্টার/বার্ষিক"}
SLOT_SHORT = {"plan": "পরিকল্পনা", "q1": "১ম", "q2": "২য়", "q3": "৩য়", "q4": "৪র্থ"}
CALENDAR_DIR = "_calendar"


class Deadlines(Strict):
    plan: Date = Field(description="APA and annexes 4-8 signed (25 June before the year)")
    amendment: Date | None = Field(None, description="last day to propose an amendment (30 September)")
    q1: Date = Field(description="first quarter's progress report (15 October)")
    q2: Date = Field(description="second quarter's progress report (15 January)")
    q3: Date = Field(description="third quarter's progress report (15 April)")
    q4: Date = Field(description="the year's evaluation report with evidence (15 July)")
    results: Date | None = Field(None, description="evaluation results published (30 August)")


class Window(Strict):
    opens: Date | None = None
    due: Date


class LevelWindows(Strict):
    """A level's own windows, where the Cabinet Division sets them; other deadlines are the year's."""

    plan: Window | None = None
    q1: Window | None = None
    q2: Window | None = None
    q3: Window | None = None
    q4: Window | None = None


class Calendar(Strict):
    kind: Literal["calendar"]
    fiscal_year: FiscalYear
    issuer: Text = "মন্ত্রিপরিষদ বিভাগ"
    source: Text = Field(description="the published guideline or notice the dates come from")
    documents: list[Literal["apa", "nis", "egov", "grs", "cc", "rti"]] = ["apa", "nis", "egov", "grs", "cc", "rti"]
    deadlines: Deadlines
    levels: dict[Level, LevelWindows] = {}
    notes: list[Text] = []

    def due(self, slot: str, level: Level) -> dt.date:
        """The last day for `slot` ('plan', 'q1' … 'q4') at an office of `level`."""
        window = getattr(self.levels.get(level), slot, None) if level in self.levels else None
        return window.due if window is not None else getattr(self.deadlines, slot)

    def opens(self, slot: str, level: Level) -> dt.date | None:
        window = getattr(self.levels.get(level), slot, None) if level in self.levels else None
        return window.opens if window is not None else None


def check_calendars(calendars: dict, problems: Problems) -> None:
    """Each calendar: named after its year, deadlines in order and after the quarter they report on."""
    for loaded in calendars.values():
        _check_one(loaded, problems)


def _check_one(loaded, problems: Problems) -> None:
    cal: Calendar = loaded.model
    fy = cal.fiscal_year
    stem = loaded.path.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if stem != fy:
        problems.error(loaded.path, loaded.line("fiscal_year"),
                       f"{bn_fiscal_year(fy)} অর্থবছরের ক্যালেন্ডার ফাইলের নাম হবে {CALENDAR_DIR}/{fy}.yaml, {stem}.yaml নয়; "
                       "ফাইলের নাম বা fiscal_year ঠিক করুন")
    start = dt.date(fiscal_year_start(fy), 7, 1)
    d = cal.deadlines
    if d.plan >= quarter_end(fy, 1):
        problems.error(loaded.path, loaded.line("deadlines", "plan"),
                       f"deadlines.plan {bn_date(d.plan)}: {bn_fiscal_year(fy)}-এর চুক্তির শেষ তারিখ ১ম কোয়ার্টার শেষ "
                       f"হওয়ার ({bn_date(quarter_end(fy, 1))}) আগে হতে হবে; নির্দেশিকায় ২৫ জুন")
    if d.amendment is not None and d.amendment < start:
        problems.error(loaded.path, loaded.line("deadlines", "amendment"),
                       f"deadlines.amendment {bn_date(d.amendment)} অর্থবছর শুরুর ({bn_date(start)}) আগে; তারিখ ঠিক করুন")
    for q in range(1, 5):
        _after_quarter(loaded, ("deadlines", f"q{q}"), getattr(d, f"q{q}"), fy, q, problems)
    for q in range(2, 5):
        before, this = getattr(d, f"q{q - 1}"), getattr(d, f"q{q}")
        if this <= before:
            problems.error(loaded.path, loaded.line("deadlines", f"q{q}"),
                           f"deadlines.q{q} {bn_date(this)} হতে হবে deadlines.q{q - 1} {bn_date(before)}-এর পরে; "
                           "তারিখ ঠিক করুন")
    if d.results is not None and d.results < d.q4:
        problems.error(loaded.path, loaded.line("deadlines", "results"),
                       f"deadlines.results {bn_date(d.results)} মূল্যায়ন প্রতিবেদনের শেষ তারিখের ({bn_date(d.q4)}) আগে; "
                       "তারিখ ঠিক করুন")
    for level, windows in cal.levels.items():
        for slot in SLOTS:
            window = getattr(windows, slot)
            if window is None:
                continue
            loc = ("levels", level.value, slot)
            if window.opens is not None and window.opens > window.due:
                problems.error(loaded.path, loaded.line(*loc, "opens"),
                               f"levels.{level.value}.{slot}: শুরু (opens) {bn_date(window.opens)}, শেষ তারিখের (due) "
                               f"{bn_date(window.due)} পরে; তারিখ দুটি ঠিক করুন")
            if slot != "plan":
                _after_quarter(loaded, (*loc, "due"), window.due, fy, int(slot[1]), problems)


def _after_quarter(loaded, loc: tuple, due: dt.date, fy: str, quarter: int, problems: Problems) -> None:
    end = quarter_end(fy, quarter)
    if due <= end:
        problems.error(loaded.path, loaded.line(*loc),
                       f"{'.'.join(loc)} {bn_date(due)}: {bn_fiscal_year(fy)}-এর কোয়ার্টার {bn_number(quarter)}-এর "
                       f"প্রতিবেদনের শেষ তারিখ কোয়ার্টার শেষ হওয়ার ({bn_date(end)}) আগে হতে পারে না")
    elif (due - end).days > 120:
        problems.warning(loaded.path, loaded.line(*loc),
                         f"{'.'.join(loc)} {bn_date(due)} কোয়ার্টার {bn_number(quarter)} শেষ হওয়ার ({bn_date(end)}) চার মাসেরও "
                         "বেশি পরে; বছরটি ঠিক আছে কি না দেখুন")
