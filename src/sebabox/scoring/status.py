"""Reporting status: for every office × document × plan/quarter, was it published on time?

Pure: the catalog, the first-commit dates of the plan files and a reference date in,
a `Status` out. A publication's date is one the file gives (the APA's signing date, a
report's forwarding letter, else its as_of) or, for plans that give none, the date of the
git commit that first published the file; with neither it is "published, date unknown".
Nothing is derived from the fiscal year.

An office is tracked for a fiscal year when it published any document of that year here;
it is then expected to publish every document the year's calendar lists (the APA and
annexes 4-8), each plan and its four quarterly reports. Everything is one pass over the
offices (children before parents), so the work grows linearly with them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sebabox.bengali import bn_number
from sebabox.calendar import SLOTS, Calendar
from sebabox.model import Apa, Progress
from sebabox.scoring.score import IndicatorResult, aggregate
from sebabox.values import Value

KINDS = ("apa", "nis", "egov", "grs", "cc", "rti")
STATES = ("on_time", "late", "overdue", "not_due", "undated", "no_calendar")
STATE_NAMES = {"on_time": "সময়মতো প্রকাশিত", "late": "বিলম্বে প্রকাশিত", "overdue": "বকেয়া (প্রকাশিত হয়নি)",
               "not_due": "সময় হয়নি", "undated": "প্রকাশিত (তারিখ অজানা)", "no_calendar": "সময়সূচি নেই"}
SOURCE_NAMES = {"signing_date": "স্বাক্ষরের তারিখ", "date": "দলিলের তারিখ", "letter": "অগ্রায়নপত্রের তারিখ", "as_of": "প্রতিবেদনের তারিখ",
                "git": "এই সাইটে প্রথম প্রকাশ (গিট কমিট)"}


@dataclass(frozen=True, slots=True)  # slots: hundreds of thousands of them at national size
class Published:
    date: dt.date | None  # None: published, but no date is known
    source: str | None  # a key of SOURCE_NAMES


@dataclass(frozen=True, slots=True)
class Cell:
    """One office's one document's one slot ('plan', 'q1' … 'q4') against its deadline."""

    office: str
    fiscal_year: str
    kind: str
    slot: str
    due: dt.date | None
    published: Published | None
    state: str
    days: int | None = None  # late by / overdue by

    @property
    def is_published(self) -> bool:
        return self.state in ("on_time", "late", "undated")


@dataclass
class Status:
    as_of: dt.date
    calendars: dict[str, Calendar]
    cells: dict[str, list[Cell]]  # by office, ordered by fiscal year, document, slot
    published: dict[tuple, Published]  # (office, fy, kind, slot) -> publication, the charter's too
    subtree_counts: dict[str, dict[str, Counter]] = field(default_factory=dict)  # office and all below: fy -> states
    subtree_size: dict[str, int] = field(default_factory=dict)  # offices in the subtree, itself included
    subtree_overdue: dict[str, list[str]] = field(default_factory=dict)  # offices with overdue cells, in the subtree

    def office_years(self, slug: str) -> dict[str, dict[str, dict[str, Cell]]]:
        grid: dict[str, dict[str, dict[str, Cell]]] = {}
        for cell in self.cells.get(slug, []):
            grid.setdefault(cell.fiscal_year, {}).setdefault(cell.kind, {})[cell.slot] = cell
        return grid

    def document(self, slug: str, fiscal_year: str, kind: str) -> dict[str, Cell]:
        return self.office_years(slug).get(fiscal_year, {}).get(kind, {})

    def overdue(self, slug: str) -> list[Cell]:
        return [c for c in self.cells.get(slug, []) if c.state == "overdue"]

    def years(self) -> list[str]:
        return sorted({c.fiscal_year for cells in self.cells.values() for c in cells}, reverse=True)


def label(cell: Cell) -> str:
    """What a reader sees in a status cell: সময়মতো, বিলম্বে ১২ দিন, বকেয়া ৩৪ দিন, সময় হয়নি."""
    if cell.state == "late":
        return f"বিলম্বে {bn_number(cell.days)} দিন"
    if cell.state == "overdue":
        return f"বকেয়া {bn_number(cell.days)} দিন"
    return {"on_time": "সময়মতো", "not_due": "সময় হয়নি", "undated": "প্রকাশিত, তারিখ অজানা",
            "no_calendar": "প্রকাশিত" if cell.published else "—"}[cell.state]


def published_on(model, git_date: dt.date | None) -> Published:
    """The date a document or report was published: one it gives itself, else its first commit's."""
    if isinstance(model, Apa):
        return Published(model.signing_date, "signing_date")
    if isinstance(model, Progress):
        if model.letter is not None:
            return Published(model.letter.date, "letter")
        return Published(model.as_of, "as_of")
    if getattr(model, "signing_date", None) is not None:  # a governance plan's printed signing date
        return Published(model.signing_date, "signing_date")
    if getattr(model, "date", None) is not None:  # a charter's own হালনাগাদের তারিখ
        return Published(model.date, "date")
    return Published(git_date, "git" if git_date else None)


def compute(catalog, git_dates: dict[Path, dt.date], as_of: dt.date) -> Status:
    """The status of every tracked office-year against `as_of`, with counts rolled up to every parent."""
    calendars = {fy: loaded.model for fy, loaded in catalog.calendars.items()}
    found: dict[tuple, Published] = {}  # (office, fy, kind, slot) -> publication
    years: dict[str, set[str]] = {}
    for loaded in [*catalog.apas, *catalog.plans, *catalog.charters, *catalog.progress]:
        m = loaded.model
        if m.office not in catalog.offices or m.fiscal_year is None:
            continue  # a charter without a fiscal year is on no calendar
        years.setdefault(m.office, set()).add(m.fiscal_year)
        git = git_dates.get(Path(loaded.path).resolve())
        key = (m.office, m.fiscal_year, m.document, f"q{m.quarter}") if isinstance(m, Progress) \
            else (m.office, m.fiscal_year, m.kind, "plan")
        found[key] = published_on(m, git)
    cells: dict[str, list[Cell]] = {}
    for slug in sorted(catalog.offices):
        level = catalog.offices[slug].model.level
        row = []
        for fy in sorted(years.get(slug, ())):
            calendar = calendars.get(fy)
            for kind in (calendar.documents if calendar else KINDS):
                for slot in SLOTS:
                    due = calendar.due(slot, level) if calendar else None
                    row.append(judge(slug, fy, kind, slot, due, found.get((slug, fy, kind, slot)), as_of))
        cells[slug] = row
    status = Status(as_of, calendars, cells, found)
    _roll_up(catalog, status)
    return status


def judge(office: str, fy: str, kind: str, slot: str, due: dt.date | None, published: Published | None,
          as_of: dt.date) -> Cell:
    """on time, late by n days, overdue by n days, not yet due — as of `as_of`."""
    if published is not None and published.date is not None and published.date > as_of:
        published = None  # not yet published on the reference date
    if due is None:
        return Cell(office, fy, kind, slot, None, published, "no_calendar")
    if published is None:
        if as_of > due:
            return Cell(office, fy, kind, slot, due, None, "overdue", (as_of - due).days)
        return Cell(office, fy, kind, slot, due, None, "not_due")
    if published.date is None:
        return Cell(office, fy, kind, slot, due, published, "undated")
    if published.date <= due:
        return Cell(office, fy, kind, slot, due, published, "on_time")
    return Cell(office, fy, kind, slot, due, published, "late", (published.date - due).days)


def _roll_up(catalog, status: Status) -> None:
    """Counts and overdue offices of each office's whole subtree, children first (linear)."""
    order: list[str] = []
    stack = top_offices(catalog)
    seen: set[str] = set()
    while stack:
        slug = stack.pop()
        if slug in seen:
            continue
        seen.add(slug)
        order.append(slug)
        stack.extend(child.slug for child in catalog.children_of(slug))
    for slug in reversed(order):  # every child comes after its parent in `order`
        counts: dict[str, Counter] = {}
        for cell in status.cells.get(slug, []):
            counts.setdefault(cell.fiscal_year, Counter({"tracked": 1}))[cell.state] += 1
        size = 1
        overdue = [slug] if any(c.state == "overdue" for c in status.cells.get(slug, [])) else []
        for child in catalog.children_of(slug):
            for fy, counter in status.subtree_counts.get(child.slug, {}).items():
                counts.setdefault(fy, Counter()).update(counter)
            size += status.subtree_size.get(child.slug, 0)
            overdue.extend(status.subtree_overdue.get(child.slug, []))
        status.subtree_counts[slug] = counts
        status.subtree_size[slug] = size
        status.subtree_overdue[slug] = overdue


def national(status: Status, catalog) -> tuple[dict[str, Counter], int, list[str]]:
    """Counts by fiscal year, number of offices and overdue offices of the whole site."""
    total: dict[str, Counter] = {}
    size, overdue = 0, []
    for slug in top_offices(catalog):
        for fy, counter in status.subtree_counts.get(slug, {}).items():
            total.setdefault(fy, Counter()).update(counter)
        size += status.subtree_size.get(slug, 0)
        overdue.extend(status.subtree_overdue.get(slug, []))
    return total, size, overdue


def top_offices(catalog) -> list[str]:
    return [slug for slug in sorted(catalog.offices) if not catalog.offices[slug].model.parent
            or catalog.offices[slug].model.parent not in catalog.offices]


@dataclass(frozen=True)
class Expected:
    """A row with quarter targets: what was due by the quarter, what was achieved, and whether it is behind."""

    row: IndicatorResult
    expected: Value
    behind: bool


def expected_by(rows: list[IndicatorResult], quarter: int) -> list[Expected]:
    """The rows whose plan gives quarter targets, against the targets due by `quarter` (added up by
    the indicator's own method: summed, averaged, the latest, or the earliest date)."""
    found = []
    for row in rows:
        targets = row.indicator.quarter_targets
        if not targets:
            continue
        expected = aggregate(row.indicator.effective_method, dict(enumerate(targets, start=1)), quarter)
        if expected is None:
            continue
        achieved = row.total
        if expected.date is not None:
            behind = achieved is None or achieved.date is None or achieved.date > expected.date
        elif expected.number is not None:
            behind = achieved is None or achieved.number is None or achieved.number < expected.number
        else:
            continue
        found.append(Expected(row, expected, behind))
    return found
