"""What a shard tells the merge about each of its offices, in one small JSON file per office.

Everything a page or file that reads several shards needs, and nothing more: the office's offices.json
entry, each document's and report's title, links, score and reported quarters, the reporting status
cells and publication dates, the latest content date, and the addresses of the pages the shard wrote
(for the sitemap, in the order a single build lists them). The merge turns these back into objects with
the attributes the roll-ups, status pages and home page read (`Doc`, `status`), so those are rendered by
the very functions a single build uses.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sys
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from sebabox.outputs.opendata import entry_text
from sebabox.outputs.publish import write_text
from sebabox.outputs.report import DocumentView, Links, doc_slug
from sebabox.scoring.status import Cell, Published, Status

FORMAT = 2  # 2: the offices.json entries in ENTRIES, one line per office, not in the summaries
ENTRIES = "entries.txt"  # in the shard's META folder: "<slug>\t<entry as compact JSON>" per office, sorted by slug


def _number(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _doc(doc: DocumentView, printed: str | None) -> dict:
    links = doc.links
    return {"kind": doc.kind, "fiscal_year": doc.fiscal_year, "title": doc.title, "quarter": doc.quarter,
            "is_report": doc.is_report, "links": [links.page, links.pdf, links.json, links.csv],
            "score": _number(doc.score), "max_score": _number(doc.max_score),
            "progress": [r.quarter for r in doc.progress], "printed": printed,
            "example": getattr(doc.model, "example", None) if doc.kind == "charter" else None}


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _published(pub: Published | None) -> list | None:
    return None if pub is None else [_date(pub.date), pub.source]


def office_summary(slug: str, docs: list[DocumentView], reports: list[DocumentView], status: Status,
                   content: dt.date | None, pages: list[list]) -> dict:
    """The summary of one office (`docs`: its own documents, no templates); its offices.json entry is in
    ENTRIES (write_entries)."""
    from sebabox.outputs.render import printed_difference

    return {
        "format": FORMAT, "slug": slug, "content_date": _date(content),
        "docs": [_doc(d, printed_difference(d)) for d in docs],
        "reports": [_doc(r, printed_difference(r)) for r in reports],
        "cells": [[c.fiscal_year, c.kind, c.slot, _date(c.due), _published(c.published), c.state, c.days]
                  for c in status.cells.get(slug, [])],
        "published": [[fy, kind, slot, *_published(p)] for (office, fy, kind, slot), p in sorted(
            status.published.items(), key=lambda item: item[0]) if office == slug],
        "pages": pages,
    }


def write(folder: Path, slug: str, summary: dict) -> None:
    write_text(folder, f"offices/{slug}.json", json.dumps(summary, ensure_ascii=False) + "\n")


def write_entries(folder: Path, entries: dict[str, dict]) -> None:
    """The shard's offices' offices.json entries (slug -> entry), as the merge copies them: never parsed again
    (at 5,000 offices a third of the summaries' bytes were these, read and written back unchanged)."""
    lines = [f"{slug}\t{entry_text(entries[slug])}\n" for slug in sorted(entries)]
    write_text(folder, ENTRIES, "".join(lines))


def merged_entries(folders: list[Path], slugs: list[str], into) -> None:
    """offices.json's entries of every office in these shards' META folders, joined by commas into the file
    `into`, in the order of `slugs` (sorted; each shard's ENTRIES is): one line of each file at a time."""
    import heapq

    def lines(folder: Path):
        with open(folder / ENTRIES, "rb") as handle:
            for line in handle:
                slug, _, entry = line.rstrip(b"\n").partition(b"\t")
                yield slug.decode("utf-8"), entry

    expected = iter(slugs)
    first = True
    for slug, entry in heapq.merge(*map(lines, folders), key=lambda item: item[0]):
        if slug != next(expected, None):
            raise ValueError(f"the offices.json entries of the shards do not match their offices (at '{slug}')")
        into.write(entry if first else b"," + entry)
        first = False
    if next(expected, None) is not None:
        raise ValueError("an office of the shards has no offices.json entry")


def read(folder: Path, slug: str) -> dict:
    return json.loads((folder / "offices" / f"{slug}.json").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- back into objects


@dataclass(slots=True)  # 140,000 of them at 5,000 offices
class Doc:
    """A document or quarterly report as the cross-shard pages read it (a DocumentView's summary)."""

    office: object  # the Office model
    kind: str
    fiscal_year: str
    title: str
    quarter: int | None
    is_report: bool
    links: Links
    score: Decimal | None
    max_score: Decimal | None
    progress: list
    printed: str | None
    model: object = None
    template_name: None = None

    @property
    def page_kind(self) -> str:
        return f"{self.kind}-q{self.quarter}" if self.is_report else self.kind

    @property
    def slug(self) -> str:
        return doc_slug(self.office.slug, self.fiscal_year, self.page_kind)


def doc(data: dict, office) -> Doc:
    """A Doc; what many documents share is one object (at 5,000 offices a SimpleNamespace per quarter and per
    document was 130 MB of the merge's memory; repeated words were a copy each)."""
    return Doc(office, sys.intern(data["kind"]), sys.intern(data["fiscal_year"]), sys.intern(data["title"]),
               data["quarter"], data["is_report"], Links(*data["links"]), _decimal(data["score"]),
               _decimal(data["max_score"]), _progress(tuple(data["progress"])), data["printed"], _example(data["example"]))


@functools.lru_cache(maxsize=4096)
def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


@functools.lru_cache(maxsize=None)
def _progress(quarters: tuple) -> list:
    """The quarters reported, one list per combination (read, never changed)."""
    return [_quarter(q) for q in quarters]


def _words(value):
    """One copy of a word many records repeat (fiscal year, kind, quarter, state)."""
    return sys.intern(value) if isinstance(value, str) else value


@functools.lru_cache(maxsize=None)
def _quarter(quarter: int) -> SimpleNamespace:
    return SimpleNamespace(quarter=quarter)


@functools.lru_cache(maxsize=None)
def _example(example) -> SimpleNamespace:
    return SimpleNamespace(example=example)


@functools.lru_cache(maxsize=4096)
def _day(text: str | None) -> dt.date | None:
    """A date, one object per day (400,000 dates at 5,000 offices; a few hundred days)."""
    return dt.date.fromisoformat(text) if text else None


def _pub(value: list | None) -> Published | None:
    return None if value is None else Published(_day(value[0]), value[1])


@dataclass
class Offices:
    """The summaries of every office, as the merge's renderers read them."""

    docs: list[Doc] = field(default_factory=list)
    reports: list[Doc] = field(default_factory=list)
    by_office: dict[str, list[Doc]] = field(default_factory=dict)
    entries: object = field(default_factory=lambda: tempfile.TemporaryFile())  # offices.json's entries, compact
    # JSON joined by commas, sorted by office (merged_entries)
    cells: dict[str, list[Cell]] = field(default_factory=dict)
    published: dict[tuple, Published] = field(default_factory=dict)
    pages: list[list] = field(default_factory=list)
    content: list[dt.date] = field(default_factory=list)

    def add(self, record: tuple, office) -> None:
        """One office's decode()d summary."""
        slug, own, reports, cells, published, pages, content = record
        for item in own:
            item.office = office
        for item in reports:
            item.office = office
        self.docs += own
        self.by_office[slug] = own
        self.reports += reports
        self.cells[slug] = cells
        for key, value in published:
            self.published[(slug, *key)] = value
        self.pages += pages
        if content:
            self.content.append(content)


def decode(data: dict) -> tuple:
    """One office's summary as the objects the merge reads (their `office` set when added)."""
    slug = data["slug"]
    words = _words
    return (slug, [doc(d, None) for d in data["docs"]], [doc(r, None) for r in data["reports"]],
            [Cell(slug, words(fy), words(kind), words(slot), _day(due), _pub(pub), words(state), days)
             for fy, kind, slot, due, pub, state, days in data["cells"]],
            [((words(fy), words(kind), words(slot)), Published(_day(date), words(source)))
             for fy, kind, slot, date, source in data["published"]],
            data["pages"], _day(data["content_date"]))


def read_shard(folder: Path, slugs: list[str]) -> dict[str, tuple]:
    """The decoded summaries of a shard's offices: slug -> decode()'s record."""
    return {slug: decode(read(folder, slug)) for slug in slugs}
