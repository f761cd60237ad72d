"""Tidy tables: one row per office, document, indicator × quarter, outcome, governance item, service.

Every row carries its context (office, level, parent, district, fiscal year, document, quarter), so
files merged or filtered in a spreadsheet keep it. An office's rows are written beside its other
data (`data/<office>/<office>-<table>.json`); the national tables are those files put together, so a
republish after one office's update rebuilds only that office's rows.
"""

from __future__ import annotations

import csv
import io
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sebabox.model import ANNEX_NUMBERS, Charter, Office, Person
from sebabox.outputs.datapackage import TABLES, Column
from sebabox.outputs.report import DocumentView, office_page
from sebabox.values import Value

CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


# --------------------------------------------------------------------------- values as open data writes them


def plain(value: Any) -> Any:
    """A plan value as text: 2, 100%, 2023-07-26; exact decimals without binary rounding."""
    if isinstance(value, Value):
        return value.plain()
    if value is None:
        return None
    return format(value, "f") if not isinstance(value, (str, int)) else value


def score_text(value: Decimal | None) -> str | None:
    """Scores in open data: exact decimals rounded half-up to two places, as printed ("0.50")."""
    if value is None:
        return None
    return format(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "f")


def csv_safe(value: Any) -> str:
    """A cell that a spreadsheet shows as text, never runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text.startswith(CSV_FORMULA_PREFIXES):
        try:
            float(text)
            return text
        except ValueError:
            return "'" + text
    return text


def csv_text(columns: list[Column] | list[str], rows: list[dict]) -> str:
    """UTF-8 with a byte-order mark (Excel reads Bengali), CRLF, formula-safe cells."""
    names = [c if isinstance(c, str) else c.name for c in columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([csv_safe(row.get(name)) for name in names])
    return "\ufeff" + out.getvalue()


def person_text(person: Person | None) -> str | None:
    if person is None:
        return None
    room = f"কক্ষ {person.room}" if getattr(person, "room", None) else None
    return ", ".join(x for x in (person.name, person.designation, person.place, room) if x)


def outcomes_path(doc: DocumentView) -> str:
    """An APA's section 2 as CSV, beside its table: data/<office>/<office>-<fy>-apa-outcomes.csv."""
    return doc.links.csv[: -len(".csv")] + "-outcomes.csv"


# --------------------------------------------------------------------------- context


def context(office: Office, doc: DocumentView, quarter: int | None) -> dict:
    return {
        "office": office.slug, "office_name": office.name, "level": office.level.value, "parent": office.parent,
        "district": office.district, "fiscal_year": doc.fiscal_year or None,
        "document": f"template-{doc.template_name}" if doc.template_name else doc.kind, "quarter": quarter,
    }


def publication_status(doc: DocumentView, quarter: int | None, status) -> str | None:
    """The status column: the reporting status of the document's plan (quarter None) or of that quarter's
    report against the build's reference date -- on_time, late, overdue, not_due, undated or
    no_calendar (scoring.status); empty when the build computed no status."""
    if status is None:
        return None
    cell = status.document(doc.office.slug, doc.fiscal_year, doc.kind).get(f"q{quarter}" if quarter else "plan")
    return cell.state if cell else None


# --------------------------------------------------------------------------- one office's rows


def office_rows(catalog, slug: str, docs: list[DocumentView], reports: list[DocumentView],
                status=None) -> dict[str, list[dict]]:
    """Every table's rows for one office: `docs` are its documents, `reports` their quarterly report views;
    `status` (scoring.status.Status) fills the status columns."""
    office = catalog.offices[slug].model
    by_doc: dict[tuple, list[DocumentView]] = {}
    for report in reports:
        by_doc.setdefault((report.fiscal_year, report.kind), []).append(report)
    tables = {name: [] for name in TABLES}
    tables["offices"].append(_office_row(catalog, office))
    for doc in docs:
        own = [] if doc.template_name else by_doc.get((doc.fiscal_year, doc.kind), [])
        tables["documents"].extend(_document_row(office, d, status) for d in [doc, *own])
        if doc.template_name:
            continue
        if isinstance(doc.model, Charter):
            tables["charter_services"].extend(charter_rows(office, doc))
            continue
        for view in own or [doc]:
            tables["indicators"].extend(_indicator_rows(office, view, status))
        if doc.kind == "apa":
            tables["outcomes"].extend(outcome_rows(office, doc))
            for view in own or [doc]:
                tables["governance"].extend(_governance_rows(office, view, status))
    return tables


def _office_row(catalog, office: Office) -> dict:
    parent = catalog.offices.get(office.parent) if office.parent else None
    return {
        "office": office.slug, "office_name": office.name, "name_en": office.name_en, "level": office.level.value,
        "parent": office.parent, "parent_name": parent.model.name if parent else None, "division": office.division,
        "district": office.district, "upazila": office.upazila, "address": office.address, "phone": office.phone,
        "email": office.email, "website": office.website, "page": office_page(office.slug),
    }


def _document_row(office: Office, doc: DocumentView, status=None) -> dict:
    links = doc.links
    percent = (score_text(doc.score / doc.max_score * 100)
               if doc.score is not None and doc.max_score else None)
    annex = getattr(doc.model, "annex", None) or (ANNEX_NUMBERS.get(doc.kind) if not doc.template_name else None)
    signing = getattr(doc.model, "signing_date", None)
    return {
        **context(office, doc, doc.quarter), "title": doc.title, "annex": annex,
        "report_date": doc.report.as_of.isoformat() if doc.is_report and doc.report else None,
        "signing_date": signing.isoformat() if signing else None,
        "score": score_text(doc.score), "printed_score": score_text(doc.printed_total), "max_score": plain(doc.max_score) if doc.areas or doc.governance else None,
        "percent": percent, "status": publication_status(doc, doc.quarter if doc.is_report else None, status),
        "page": links.page, "pdf": links.pdf, "json": links.json, "csv": links.csv,
    }


def _indicator_rows(office: Office, view: DocumentView, status=None) -> list[dict]:
    q = view.quarter if view.is_report else None
    base = context(office, view, q)
    state = publication_status(view, q, status)
    rows = []
    for av in view.areas:
        for row in av.rows:
            ind = row.indicator
            printed = view.printed_row(ind.id) if q else None
            quarter_targets = ind.quarter_targets or []
            rows.append({
                **base, "area_id": av.area.id, "area": av.area.name, "id": ind.id, "activity": ind.activity,
                "indicator": ind.name, "unit": ind.unit, "weight": plain(ind.weight), "target": plain(ind.annual_target),
                "quarter_target": plain(quarter_targets[q - 1]) if q and q <= len(quarter_targets) else None,
                "achievement": plain(row.quarters.get(q)) if q else None,
                "total": plain(row.total) if q else None,
                "score": score_text(row.score.value) if q and row.score else None,
                "printed_score": score_text(printed.score) if printed else None,
                "status": state,
            })
    return rows


def outcome_rows(office: Office, doc: DocumentView) -> list[dict]:
    base = context(office, doc, None)
    rows = []
    for outcome in doc.model.section2:
        for ind in outcome.indicators:
            actuals = (list(ind.actuals) + [None, None])[:2]
            projections = (list(ind.projections) + [None, None])[:2]
            rows.append({
                **base, "outcome": outcome.outcome, "indicator": ind.name, "unit": ind.unit,
                "actual_prev2": plain(actuals[0]), "actual_prev1": plain(actuals[1]), "target": plain(ind.target),
                "projection_next1": plain(projections[0]), "projection_next2": plain(projections[1]),
                "joint_offices": ind.joint_offices, "source": ind.source,
            })
    return rows


def _governance_rows(office: Office, view: DocumentView, status=None) -> list[dict]:
    q = view.quarter if view.is_report else None
    base, block = context(office, view, q), view.model.governance
    rows = []
    for g in view.governance:
        annex = g.annex
        rows.append({
            **base, "block_id": block.id, "block_weight": plain(block.weight), "id": g.item.id,
            "activity": g.item.activity, "indicator": g.item.name, "weight": plain(g.item.weight),
            "annex": ANNEX_NUMBERS[g.item.document], "annex_document": g.item.document,
            "annex_score": score_text(annex.score) if annex else None,
            "annex_max_score": plain(annex.max_score) if annex and annex.score is not None else None,
            "mark": score_text(g.mark), "status": publication_status(view, q, status),
        })
    return rows


def _each(people: list[Person], part) -> str | None:
    """Several officers of one service, '; ' between them, in the same order in every column (an officer
    without a phone leaves its place empty, so the second phone stays the second officer's)."""
    values = [part(p) or "" for p in people]
    return "; ".join(values) if any(values) else None


def charter_rows(office: Office, doc: DocumentView) -> list[dict]:
    from sebabox.outputs.charter import fee_parts, time_limit_parts

    """One row per service of a citizen's charter, text as typed (a phone keeps its digits); a
    charter-wide officer is given on every service's row; `page` is the service's own card."""
    charter, base = doc.model, context(office, doc, None)
    rows, number = [], 0
    for _, heading, services in charter.groups:
        for s in services:
            number += 1
            officers = s.officer or ([charter.officer] if charter.officer else [])
            appellate = s.appellate_officer or charter.appellate_officer
            amount, free = fee_parts(s.fee)
            limit = time_limit_parts(s.time_limit)
            rows.append({
                **base, "group": heading, "number": number, "printed_number": s.number,
                "service": s.name, "recipient": s.recipient,
                "method": s.method,
                "documents": " | ".join(s.documents) or None, "documents_from": s.documents_from, "place": s.place,
                "fee": s.fee, "fee_taka": amount, "free": free if s.fee else None, "payment": s.payment,
                "legal_basis": s.legal_basis,
                "time_limit": s.time_limit, "time_limit_amount": limit[0] if limit else None,
                "time_limit_unit": limit[1] if limit else None,
                "officer": _each(officers, person_text), "officer_phone": _each(officers, lambda p: p.phone),
                "officer_email": _each(officers, lambda p: p.email), "appellate_officer": person_text(appellate),
                "appellate_phone": appellate.phone if appellate else None,
                "appellate_email": appellate.email if appellate else None,
                "remedy": s.remedy, "remarks": s.remarks, "example": charter.example,
                "page": f"{doc.links.page}#seba-{number}",
            })
    return rows
