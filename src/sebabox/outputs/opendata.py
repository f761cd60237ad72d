"""Open data: the complete document as JSON and its table as CSV, per document and quarterly report;
each office's tidy tables; the national tables; Data Packages; offices.json; the bulk zips.

A document's JSON holds everything its page shows: the model as written (every section, annex and
letter) plus what sebabox computes (totals, scores with their explanations, the marks annexes carry
into the APA). Values are written as the plan has them (exact decimals as text, "100%", ISO dates);
scores are exact decimals rounded half-up to two places, as printed. Every CSV row carries the
office, fiscal year and quarter. Files are written by `publish.write_text`/`write_bytes` only.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from sebabox import bengali
from sebabox.model import ANNEX_NUMBERS, Apa
from sebabox.outputs import bulk, datapackage as dp, national, tables
from sebabox.outputs import parts as parts_module
from sebabox.outputs.charter_data import charter_csv, charter_data, office_contacts
from sebabox.outputs.publish import open_output, write_text
from sebabox.outputs.render import content_date
from sebabox.outputs.report import DocumentView, office_page
from sebabox.outputs.status_pages import office_status, status_csv, status_records
from sebabox.outputs.tables import csv_safe, csv_text, outcomes_path, plain, score_text  # noqa: F401 (csv_safe: the contract)
from sebabox.values import Value

FORMAT_VERSION = 2  # of the open data files; 1 had only the plan table and no context columns
NATIONAL = "data/national"
OMIT = {"kind", "office", "fiscal_year", "title", "areas", "governance", "values", "annex", "template"}


def tree(value: Any) -> Any:
    """A model as JSON-ready data: every field, values as text (see `plain`), in the model's order."""
    if isinstance(value, BaseModel):
        return {name: tree(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, Value):
        return value.plain()
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [tree(v) for v in value]
    if isinstance(value, dict):
        return {str(k): tree(v) for k, v in value.items()}
    return value


def _years(fiscal_year: str) -> dict:
    shift = lambda n: bengali.shift_fiscal_year(fiscal_year, n)  # noqa: E731
    return {"actuals": [shift(-2), shift(-1)], "target": fiscal_year, "projections": [shift(1), shift(2)]}


# --------------------------------------------------------------------------- one document


def document_data(doc: DocumentView) -> dict:
    if doc.kind == "charter":
        return charter_data(doc, FORMAT_VERSION)
    links = doc.links
    start = bengali.fiscal_year_start(doc.fiscal_year)
    data = {
        "office": doc.office.slug, "office_name": doc.office.name, "kind": doc.kind, "fiscal_year": doc.fiscal_year,
        "period": {"start": f"{start}-07-01", "end": f"{start + 1}-06-30"},
        "title": doc.title, "quarter": doc.quarter,
        **({"template": doc.template_name} if doc.template_name else {}),
        **({"annex": getattr(doc.model, "annex", None) or ANNEX_NUMBERS[doc.kind]} if doc.kind in ANNEX_NUMBERS else {}),
        "score": score_text(doc.score), "max_score": plain(doc.max_score),
        "printed_score": score_text(doc.printed_total),
        "page": links.page, "pdf": links.pdf, "json": links.json, "csv": links.csv,
        **({"outcomes_csv": outcomes_path(doc)} if isinstance(doc.model, Apa) and not doc.is_report else {}),
        "licence": dp.LICENCE, "format_version": FORMAT_VERSION,
        "years": _years(doc.fiscal_year),
    }
    if doc.is_report and doc.report:
        data["report"] = _report(doc.report)
    elif doc.progress:
        data["reports"] = [_report(r) for r in doc.progress]
    data.update({k: v for k, v in tree(doc.model).items() if k not in OMIT})
    data["areas"] = [_area(av, doc) for av in doc.areas]
    if isinstance(doc.model, Apa):
        data["governance"] = _governance(doc)
    data["notes"] = notes(doc.model)
    return data


def _report(progress) -> dict:
    kept = {k: v for k, v in tree(progress).items() if k not in ("kind", "office", "fiscal_year")}
    return {**kept, "notes": notes(progress)}


def notes(model) -> list[dict]:
    """The plan's own notes on its values, as the page numbers them: a correction (`printed` on paper,
    shown corrected, and why) or a fault kept as printed (`accepted`); `at` is the value's place in
    this model (e.g. ["areas", 0, "indicators", 1, "weight"])."""
    found = []
    for loc, a in getattr(model, "_notes", {}).items():
        found.append({"at": [p if isinstance(p, int) else str(p) for p in loc], "printed": a.printed,
                      "reason": a.reason, "accepted": a.accepted})
    return sorted(found, key=lambda n: [(0, p, "") if isinstance(p, int) else (1, 0, p) for p in n["at"]])


def _area(av, doc: DocumentView) -> dict:
    area = {"id": av.area.id, "name": av.area.name, "weight": plain(av.area.weight), "score": score_text(av.score),
            "indicators": []}
    for row in av.rows:
        ind = row.indicator
        printed = doc.printed_row(ind.id)
        area["indicators"].append({
            "id": ind.id, "activity": ind.activity, "indicator": ind.name, "unit": ind.unit,
            "method": ind.effective_method.value, "weight": plain(ind.weight), "responsible": ind.responsible,
            "target": plain(ind.target),
            "levels": [plain(v) for v in ind.levels] if ind.levels else None,
            "actuals": [plain(v) for v in ind.actuals] if ind.actuals else None,
            "projections": [plain(v) for v in ind.projections] if ind.projections else None,
            "quarter_targets": [plain(v) for v in ind.quarter_targets] if ind.quarter_targets else None,
            "achievements": {f"q{q}": plain(v) for q, v in sorted(row.quarters.items())},
            "total": plain(row.total),
            "score": score_text(row.score.value) if row.score else None,
            "score_rule": row.score.rule if row.score else None,
            "score_explanation": row.score.explanation if row.score else None,
            "printed_total": plain(printed.total) if printed else None,
            "printed_score": score_text(printed.score) if printed else None,
            "remarks": ind.remarks,
        })
    return area


def _governance(doc: DocumentView) -> dict:
    block = doc.model.governance
    marks = [g.mark for g in doc.governance if g.mark is not None]
    items = []
    for g in doc.governance:
        annex = g.annex
        items.append({
            "id": g.item.id, "activity": g.item.activity, "indicator": g.item.name, "unit": "প্রাপ্ত নম্বর",
            "weight": plain(g.item.weight), "document": g.item.document, "annex": ANNEX_NUMBERS[g.item.document],
            "annex_page": annex.links.page if annex else None, "annex_json": annex.links.json if annex else None,
            "annex_score": score_text(annex.score) if annex else None,
            "annex_max_score": plain(annex.max_score) if annex and annex.score is not None else None,
            "mark": score_text(g.mark), "explanation": g.explanation,
            "actuals": tree(g.item.actuals), "projections": tree(g.item.projections),
        })
    return {"id": block.id, "name": block.name, "weight": plain(block.weight),
            "score": score_text(sum(marks, Decimal(0))) if marks else None, "items": items}


def document_csv(data: dict, doc: DocumentView) -> str:
    """The document's table: section 3 (or the plan) and, for an APA, the governance block, with context;
    a charter's services."""
    if doc.kind == "charter":
        return charter_csv(data)
    base = tables.context(doc.office, doc, doc.quarter)
    rows = []
    for area in data["areas"]:
        for ind in area["indicators"]:
            levels = (ind["levels"] or []) + [None] * 5
            actuals, projections = (ind["actuals"] or []) + [None] * 2, (ind["projections"] or []) + [None] * 2
            q_targets = (ind["quarter_targets"] or []) + [None] * 4
            rows.append({
                **base, "area_id": area["id"], "area": area["name"], "area_weight": area["weight"],
                **{k: ind[k] for k in ("id", "activity", "indicator", "unit", "method", "weight", "responsible",
                                       "target", "total", "score", "printed_total", "printed_score", "remarks")},
                "actual_prev2": actuals[0], "actual_prev1": actuals[1],
                "projection_next1": projections[0], "projection_next2": projections[1],
                **{f"level_{p}": levels[i] for i, p in enumerate((100, 90, 80, 70, 60))},
                **{f"q{q}_target": q_targets[q - 1] for q in range(1, 5)},
                **{f"q{q}": ind["achievements"].get(f"q{q}") for q in range(1, 5)},
            })
    governance = data.get("governance")
    for item in governance["items"] if governance else []:
        actuals, projections = (item["actuals"] or []) + [None] * 2, (item["projections"] or []) + [None] * 2
        rows.append({
            **base, "area_id": governance["id"], "area": governance["name"], "area_weight": governance["weight"],
            "id": item["id"], "activity": item["activity"], "indicator": item["indicator"], "unit": item["unit"],
            "weight": item["weight"], "actual_prev2": actuals[0], "actual_prev1": actuals[1],
            "projection_next1": projections[0], "projection_next2": projections[1], "score": item["mark"],
            "annex": item["annex"],
        })
    return csv_text(dp.DOCUMENT_CSV, rows)


# --------------------------------------------------------------------------- offices.json


def offices_data(catalog, docs: list[DocumentView], reports=(), previous: dict[str, dict] | None = None,
                 generated_at: str | None = None, status=None) -> dict:
    """Every office and its documents with their scores; the entries in `previous` (offices whose
    files did not change since it was written) are taken as they are, unscored."""
    by_office: dict[str, list[DocumentView]] = {}
    for doc in [*docs, *reports]:
        by_office.setdefault(doc.office.slug, []).append(doc)
    offices = []
    for slug in sorted(catalog.offices):
        if previous and slug in previous:
            offices.append(previous[slug])
            continue
        offices.append(office_entry(catalog, slug, by_office.get(slug, []), status))
    return {"generated_at": generated_at, "version": dp.sebabox_version(), "format_version": FORMAT_VERSION,
            "licence": dp.LICENCE, "datapackage": "data/datapackage.json",
            **({"status_as_of": status.as_of.isoformat()} if status is not None else {}), "offices": offices}


def office_entry(catalog, slug: str, docs: list[DocumentView], status=None) -> dict:
    """One office in offices.json: its facts, documents (templates it issues too) with scores, and status."""
    office = catalog.offices[slug].model
    return {
        "slug": slug, "name": office.name, "name_en": office.name_en, "level": office.level.value,
        "parent": office.parent, "district": office.district, "page": office_page(slug),
        "datapackage": bulk.office_package_path(slug), "zip": bulk.office_zip_path(slug),
        "contacts": office_contacts(office),
        "documents": [_document_entry(d) for d in docs],
        **({"status": office_status(status, slug)} if status is not None else {}),
    }


def _document_entry(doc: DocumentView) -> dict:
    links = doc.links
    entry = {"kind": doc.kind, "fiscal_year": doc.fiscal_year or None, "title": doc.title,
             **({"report_quarter": doc.quarter} if doc.is_report else {}),
             **({"template": doc.template_name} if doc.template_name else {}),
             "page": links.page, "pdf": links.pdf, "json": links.json, "csv": links.csv}
    if doc.score is not None:
        entry.update(score=score_text(doc.score), max_score=plain(doc.max_score), quarter=doc.quarter)
    if doc.kind == "charter":
        entry.update(services=len(doc.model.services), example=doc.model.example,
                     **({"date": doc.model.date.isoformat()} if doc.model.date else {}))
    return entry


def offices_text(entries, generated: str, status) -> tuple[str, object, str]:
    """offices.json as (head, entries, tail) from its entries already written as compact JSON, joined by commas,
    in a file (a sharded build's merge spools them: at national size the text alone is hundreds of megabytes);
    head + entries + tail are the same bytes as _dump(offices_data(...))."""
    head = _dump(offices_data(_NoOffices, [], [], None, generated, status))
    assert head.endswith('"offices":[]}\n')
    return head[:-len("[]}\n")] + "[", entries, "]}\n"


class _NoOffices:
    offices: dict = {}


def entry_text(entry: dict) -> str:
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":"))


def generated_at(catalog) -> str:
    """The build's reference date (SOURCE_DATE_EPOCH, which `build` sets from the plans): deterministic."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        from sebabox.outputs.publish import source_date_epoch

        epoch = source_date_epoch(Path("."), catalog)
    return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date().isoformat()


def _dump(data: Any) -> str:
    """Compact: a fifth of a document's file was indentation (benchmarks/site_bytes.py); programs read it
    the same, and browsers show JSON indented (Firefox's viewer, Chrome's "pretty-print")."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


# --------------------------------------------------------------------------- writing it all


@dataclass
class Written:
    """What the data page lists: every bulk file with its size."""

    count: int = 0
    sizes: dict[str, int] = field(default_factory=dict)
    fiscal_years: list[str] = field(default_factory=list)
    parts: list = field(default_factory=list)  # parts.Part: the national files in parts (several) or not (one)
    seconds: dict[str, float] = field(default_factory=dict)  # documents, offices, national: for the benchmark


def write_open_data(site_dir: Path, catalog, docs: list[DocumentView], reports: list[DocumentView] = (),
                    offices: set[str] | None = None, status=None, cache: Path | None = None,
                    parts: list | None = None) -> Written:
    """Per document and report: JSON + CSV; per office: tidy tables, datapackage.json, a zip; then the
    national tables, the site's datapackage.json, offices.json and the zips of each fiscal year and of
    everything. With `offices`, only those offices' files are made anew; the others' are kept and read.
    `cache`: where the national tables' compressed parts are kept between builds (national.py); `parts`:
    the groups of offices whose national files are apart (parts.py)."""
    when = generated_at(catalog)
    previous = None if offices is None else _previous_entries(site_dir, offices)
    written = Written()
    slugs = [slug for slug in sorted(catalog.offices) if offices is None or slug in offices]
    write_office_data(site_dir, catalog, docs, reports, slugs, status, written)
    write_site_data(site_dir, _dump(offices_data(catalog, docs, reports, previous, when, status)), sorted(catalog.offices),
                    status, when, written, cache, parts)
    return written


def write_office_data(site_dir: Path, catalog, docs: list[DocumentView], reports: list[DocumentView],
                      slugs: list[str], status, written: Written) -> None:
    """The files of each office in `slugs`: its documents' JSON and CSV, its tables, datapackage.json and zip
    (a shard of a sharded build writes these for its own offices; outputs/shards.py)."""
    write_text(site_dir, bulk.LICENCE_FILE, dp.LICENCE_TEXT)
    by_office: dict[str, list[DocumentView]] = {}
    for doc in docs:
        by_office.setdefault(doc.office.slug, []).append(doc)
    reports_by_office: dict[str, list[DocumentView]] = {}
    for report in reports:
        reports_by_office.setdefault(report.office.slug, []).append(report)
    clock = {"documents": 0.0, "offices": 0.0}
    for slug in slugs:
        own, own_reports = by_office.get(slug, []), reports_by_office.get(slug, [])
        start = time.perf_counter()
        for doc in [*own, *own_reports]:
            written.count += _write_document(site_dir, doc)
        middle = time.perf_counter()
        rows = tables.office_rows(catalog, slug, own, own_reports, status)
        # dated by its own documents, not the build: another office's update leaves this package as it is
        created = max((d for doc in own if (d := content_date(doc))), default=None)
        written.count += bulk.write_office(site_dir, catalog.offices[slug].model, own, rows,
                                           created.isoformat() if created else None)
        clock["documents"] += middle - start
        clock["offices"] += time.perf_counter() - middle
    written.seconds.update(clock)


def write_site_data(site_dir: Path, offices: str | tuple, slugs: list[str], status, when: str, written: Written,
                    cache: Path | None = None, parts: list | None = None) -> None:
    """What reads every office (`slugs`): offices.json (the text of offices_data), the status table, the national
    tables, datapackage and zips (made from the offices' files already written under data/)."""
    begin = time.perf_counter()
    write_text(site_dir, bulk.LICENCE_FILE, dp.LICENCE_TEXT)
    if isinstance(offices, str):
        write_text(site_dir, "data/offices.json", offices)
    else:  # (head, a file of the entries, tail): offices_text
        head, entries, tail = offices
        entries.seek(0)
        with open_output(site_dir, "data/offices.json") as out:
            out.write(head.encode("utf-8"))
            shutil.copyfileobj(entries, out, 1 << 20)
            out.write(tail.encode("utf-8"))
    if status is not None:  # reporting status: every office × document × plan/quarter, the whole table
        records = status_records(status, slugs)
        write_text(site_dir, "data/status.csv", status_csv(records))
        write_text(site_dir, "data/status.json", _dump({"as_of": status.as_of.isoformat(), "status": records}))
        written.count += 2
    start = time.perf_counter()
    written.parts = parts if parts is not None and len(parts) > 1 else []
    written.fiscal_years = (parts_module.write_parts(site_dir, slugs, written.parts, when, written.sizes, cache)
                            if written.parts else national.write_national(site_dir, slugs, when, written.sizes, cache))
    written.seconds = {"documents": 0.0, "offices": 0.0, **written.seconds, "national": time.perf_counter() - start,
                       "site_files": start - begin}  # offices.json and the status table


def _write_document(site_dir: Path, doc: DocumentView) -> int:
    """A document's (or report's) JSON and CSV, and an APA's section 2 as CSV; returns the number of files."""
    data = document_data(doc)
    write_text(site_dir, doc.links.json, _dump(data))
    write_text(site_dir, doc.links.csv, document_csv(data, doc))
    if "outcomes_csv" not in data:
        return 2
    write_text(site_dir, data["outcomes_csv"], csv_text(dp.OUTCOMES_CSV, tables.outcome_rows(doc.office, doc)))
    return 3


def _previous_entries(site_dir: Path, rebuilt: set[str]) -> dict[str, dict]:
    """offices.json entries of the offices not rebuilt, from the site being updated (none if unreadable)."""
    try:
        data = json.loads((site_dir / "data" / "offices.json").read_text(encoding="utf-8"))
        return {entry["slug"]: entry for entry in data["offices"] if entry["slug"] not in rebuilt}
    except (OSError, ValueError, KeyError, TypeError):
        return {}
