"""Reporting-status pages (রিপোর্টিং অবস্থা) of every parent office and of the nation, the national
dashboard on the home page, and the status table of the open data.

The reference date is `--as-of` when given, else SOURCE_DATE_EPOCH when set (so two builds with
the same value are byte-identical), else today in Bangladesh.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections import Counter
from decimal import Decimal

from sebabox.calendar import SLOT_SHORT, SLOTS
from sebabox.model import KIND_TITLES
from sebabox.outputs.render import latest_date, published, render_template, status_url
from sebabox.outputs.report import DocumentView
from sebabox.scoring.status import KINDS, Status, top_offices
from sebabox.scoring.status import national as national_counts

DHAKA = dt.timezone(dt.timedelta(hours=6))
PER_PAGE = 200  # overdue offices per page, and about PAGE_BYTES of rows: every page stays under the 150 KB budget
PAGE_BYTES = 110_000  # estimated generously: a typical row is ~550 bytes, estimated ~900
NATIONAL_URL = "reporting/"
KIND_SHORT = {"apa": "এপিএ", "nis": "শুদ্ধাচার", "egov": "ই-গভর্ন্যান্স", "grs": "অভিযোগ প্রতিকার",
              "cc": "সেবা প্রদান প্রতিশ্রুতি", "rti": "তথ্য অধিকার", "charter": "সিটিজেন চার্টার"}


def reference_date(as_of: dt.date | None = None) -> dt.date:
    """The date statuses are judged against."""
    if as_of is not None:
        return as_of
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), DHAKA).date()
    return dt.datetime.now(DHAKA).date()


# --------------------------------------------------------------------------- score roll-ups


def score_rollup(catalog, reports: list[DocumentView]) -> dict[str, dict[tuple, list]]:
    """Per office, its subtree's quarterly scores: (fy, kind, quarter) -> [sum of percent, count]. Linear."""
    own: dict[str, dict[tuple, list]] = {}
    for report in reports:
        if report.score is None or not report.max_score or report.kind == "charter":
            continue
        cell = own.setdefault(report.office.slug, {}).setdefault((report.fiscal_year, report.kind, report.quarter),
                                                                 [Decimal(0), 0])
        cell[0] += report.score / report.max_score * 100
        cell[1] += 1
    total: dict[str, dict[tuple, list]] = {}

    def walk(slug: str) -> dict[tuple, list]:
        if slug not in total:
            merged = {k: list(v) for k, v in own.get(slug, {}).items()}
            for child in catalog.children_of(slug):
                for key, (s, n) in walk(child.slug).items():
                    cell = merged.setdefault(key, [Decimal(0), 0])
                    cell[0] += s
                    cell[1] += n
            total[slug] = merged
        return total[slug]

    for slug in _children_first(catalog):
        walk(slug)
    return total


def _children_first(catalog) -> list[str]:
    order, stack = [], top_offices(catalog)
    while stack:
        slug = stack.pop()
        order.append(slug)
        stack.extend(child.slug for child in catalog.children_of(slug))
    return list(reversed(order))


def _score_rows(scores: dict[tuple, list]) -> list[dict]:
    rows = []
    for fy, kind in {(fy, kind) for fy, kind, _ in scores}:
        quarters = []
        for q in range(1, 5):
            s, n = scores.get((fy, kind, q), (None, 0))
            quarters.append({"percent": (s / n).quantize(Decimal("0.1")) if n else None, "n": n})
        rows.append({"fy": fy, "kind": kind, "quarters": quarters})
    rows.sort(key=lambda r: (r["fy"], KINDS.index(r["kind"])))
    rows.sort(key=lambda r: r["fy"], reverse=True)
    return rows


# --------------------------------------------------------------------------- pages


def status_pages(catalog, status: Status, scores: dict, only: set[str] | None = None, national: bool = True):
    """(src_uri, function making its Markdown) for each parent office's status page(s) and (`national`) the
    national ones."""
    for slug in sorted(catalog.offices):
        if not catalog.children_of(slug) or (only is not None and slug not in only):
            continue
        office = catalog.offices[slug].model
        counts = status.subtree_counts.get(slug, {})
        yield from _paged(status_url(slug), lambda rows, page, pages, url, office=office, counts=counts, slug=slug:
                          render_template("status.md.j2", title=f"রিপোর্টিং অবস্থা: {office.name}", office=office,
                                          office_url=f"offices/{slug}/", size=status.subtree_size.get(slug, 1),
                                          counts=_count_rows(counts),
                                          scores=_score_rows(scores.get(slug, {})) if page == 1 else [],
                                          rows=rows, page=page, pages=pages, page_url=url, base_url=status_url(slug),
                                          status=status, **_labels()),
                          _overdue_rows(catalog, status, status.subtree_overdue.get(slug, [])))
    if not national:
        return
    counts, size, overdue = national_counts(status, catalog)

    def merged() -> dict[tuple, list]:
        total: dict[tuple, list] = {}
        for top in top_offices(catalog):
            for key, (s, n) in scores.get(top, {}).items():
                cell = total.setdefault(key, [Decimal(0), 0])
                cell[0] += s
                cell[1] += n
        return total

    yield from _paged(NATIONAL_URL, lambda rows, page, pages, url: render_template(
        "status.md.j2", title="রিপোর্টিং অবস্থা: সকল দপ্তর", office=None, office_url="", size=size,
        counts=_count_rows(counts), scores=_score_rows(merged()) if page == 1 else [], rows=rows, page=page,
        pages=pages, page_url=url, base_url=NATIONAL_URL, status=status, **_labels()),
        _overdue_rows(catalog, status, overdue))


def _paged(base: str, render, rows: list[dict]):
    chunks = _chunks(rows)
    pages = len(chunks)
    for page, chunk in enumerate(chunks, start=1):
        url = base if page == 1 else f"{base}{page}/"
        yield url[:-1] + ".md" if page > 1 else base + "index.md", (
            lambda chunk=chunk, page=page, url=url: render(chunk, page, pages, url))


def _chunks(rows: list[dict]) -> list[list[dict]]:
    """Rows split into pages of at most PER_PAGE rows and about PAGE_BYTES of HTML each."""
    chunks: list[list[dict]] = [[]]
    size = 0
    for row in rows:
        estimate = 300 + 3 * len(row["name"]) + sum(40 + 25 * len(slots) for slots in row["missing"].values())
        if chunks[-1] and (len(chunks[-1]) >= PER_PAGE or size + estimate > PAGE_BYTES):
            chunks.append([])
            size = 0
        chunks[-1].append(row)
        size += estimate
    return chunks


def _labels() -> dict:
    return {"SLOT_SHORT": SLOT_SHORT, "KIND_SHORT": KIND_SHORT, "SLOTS": SLOTS}


def _count_rows(counts: dict[str, Counter]) -> list[dict]:
    return [{"fy": fy, **{k: counts[fy][k] for k in ("tracked", "on_time", "late", "overdue", "undated", "not_due")},
             "published": counts[fy]["on_time"] + counts[fy]["late"] + counts[fy]["undated"]}
            for fy in sorted(counts, reverse=True)]


def _overdue_rows(catalog, status: Status, slugs: list[str]) -> list[dict]:
    """One row per office and fiscal year with overdue reports, the longest overdue first."""
    rows = []
    for slug in slugs:
        office = catalog.offices[slug].model
        by_year: dict[str, list] = {}
        for cell in status.overdue(slug):
            by_year.setdefault(cell.fiscal_year, []).append(cell)
        for fy, cells in by_year.items():
            items: dict[str, list[str]] = {}
            for cell in cells:
                items.setdefault(cell.kind, []).append(cell.slot)
            rows.append({"slug": slug, "name": office.name, "level": office.level, "fy": fy,
                         "missing": items, "count": len(cells), "days": max(c.days for c in cells),
                         "kinds": " ".join(items), "slots": " ".join(sorted({c.slot for c in cells}))})
    rows.sort(key=lambda r: (-r["days"], r["fy"], r["slug"]))
    return rows


# --------------------------------------------------------------------------- home page


def home_sections(catalog, docs: list[DocumentView], status: Status | None) -> dict[str, str]:
    """Markdown for the markers in content/index.md: the national dashboard, the office hierarchy and the
    latest publications (by their real dates)."""
    tops = [catalog.offices[slug].model for slug in top_offices(catalog)]
    dated = []
    for doc in docs:
        pub = published(doc, status)
        if pub is not None and pub.date is not None and pub.date <= status.as_of:
            dated.append((pub.date, doc.slug, doc))
        for report in doc.progress:
            rep = status.published.get((doc.office.slug, doc.fiscal_year, doc.kind, f"q{report.quarter}")) if status else None
            if rep is not None and rep.date is not None and rep.date <= status.as_of:
                dated.append((rep.date, f"{doc.slug}-q{report.quarter}", doc, report.quarter))
    dated.sort(key=lambda t: (t[0], t[1]), reverse=True)
    updates = [{"date": t[0], "doc": t[2], "quarter": t[3] if len(t) > 3 else None} for t in dated[:10]]
    publishing = _publishing_offices(catalog, docs, status)
    counts, size, overdue = national_counts(status, catalog) if status else ({}, len(catalog.offices), [])
    return {
        "<!-- sebabox:dashboard -->": render_template(
            "home_dashboard.md.j2", counts=_count_rows(counts), size=size, overdue=len(set(overdue)),
            publishing=publishing[:60], more=max(0, len(publishing) - 60), as_of=status.as_of if status else None,
            national_url=NATIONAL_URL, page_url=""),
        "<!-- sebabox:offices -->": render_template("home_offices.md.j2", tops=tops, catalog=catalog, page_url=""),
        "<!-- sebabox:updates -->": render_template("home_updates.md.j2", updates=updates, page_url=""),
    }


def _publishing_offices(catalog, docs: list[DocumentView], status) -> list[dict]:
    by_office: dict[str, list[DocumentView]] = {}
    for doc in docs:
        if not doc.template_name:
            by_office.setdefault(doc.office.slug, []).append(doc)
    rows = [{"name": catalog.offices[slug].model.name, "url": f"offices/{slug}/", "count": len(own),
             "latest": latest_date(own, status)} for slug, own in by_office.items()]
    rows.sort(key=lambda r: (r["latest"] or dt.date.min, r["url"]), reverse=True)
    return rows


# --------------------------------------------------------------------------- open data

STATUS_COLUMNS = ["office", "fiscal_year", "document", "slot", "due", "published", "date_source", "status", "days"]


def status_records(status: Status, slugs) -> list[dict]:
    """One record per office × document × plan/quarter (the open data contract, `status`)."""
    return [{"office": c.office, "fiscal_year": c.fiscal_year, "document": c.kind, "slot": c.slot,
             "due": c.due.isoformat() if c.due else None,
             "published": c.published.date.isoformat() if c.published and c.published.date else None,
             "date_source": c.published.source if c.published else None, "status": c.state, "days": c.days}
            for slug in slugs for c in status.cells.get(slug, [])]


def status_csv(records: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, STATUS_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(records)
    return "\ufeff" + out.getvalue()


def office_status(status: Status, slug: str) -> dict:
    """offices.json `status` of one office: fiscal year -> document -> slot -> {due, published, status, days}."""
    data: dict = {}
    for c in status.cells.get(slug, []):
        data.setdefault(c.fiscal_year, {}).setdefault(c.kind, {})[c.slot] = {
            "due": c.due.isoformat() if c.due else None,
            "published": c.published.date.isoformat() if c.published and c.published.date else None,
            "status": c.state, **({"days": c.days} if c.days is not None else {})}
    return data
