"""Open data: a JSON and a CSV per document and quarterly report, and offices.json.

Values are written as the plan has them (exact decimals as text, "100%", ISO dates); scores are
exact decimals rounded half-up to two places, as printed. Files are written by `publish.write_text`.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from sebabox.outputs.publish import write_text
from sebabox.outputs.report import DocumentView, office_page
from sebabox.values import Value

CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


# --------------------------------------------------------------------------- open data


def _plain(value: Any) -> Any:
    if isinstance(value, Value):
        return value.plain()
    if value is None:
        return None
    return format(value, "f") if not isinstance(value, (str, int)) else value


def _score(value: Decimal | None) -> str | None:
    """Scores in open data: exact decimals rounded half-up to two places, as printed ("0.50")."""
    if value is None:
        return None
    return format(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "f")


def document_data(doc: DocumentView) -> dict:
    links = doc.links
    data = {
        "office": doc.office.slug,
        "office_name": doc.office.name,
        "kind": doc.kind,
        "fiscal_year": doc.fiscal_year,
        "title": doc.title,
        "quarter": doc.quarter,
        "score": _score(doc.score),
        "max_score": _plain(doc.max_score),
        "page": links.page, "pdf": links.pdf, "csv": links.csv,
        "areas": [],
    }
    for av in doc.areas:
        area = {"id": av.area.id, "name": av.area.name, "weight": _plain(av.area.weight),
                "score": _score(av.score), "indicators": []}
        for row in av.rows:
            ind = row.indicator
            area["indicators"].append({
                "id": ind.id,
                "activity": ind.activity,
                "indicator": ind.name,
                "unit": ind.unit,
                "method": ind.effective_method.value,
                "weight": _plain(ind.weight),
                "responsible": ind.responsible,
                "target": _plain(ind.target),
                "levels": [_plain(v) for v in ind.levels] if ind.levels else None,
                "quarter_targets": [_plain(v) for v in ind.quarter_targets] if ind.quarter_targets else None,
                "achievements": {f"q{q}": _plain(v) for q, v in sorted(row.quarters.items())},
                "total": _plain(row.total),
                "score": _score(row.score.value) if row.score else None,
                "score_rule": row.score.rule if row.score else None,
                "score_explanation": row.score.explanation if row.score else None,
            })
        data["areas"].append(area)
    return data


CSV_COLUMNS = ["area_id", "area", "id", "activity", "indicator", "unit", "method", "weight", "responsible",
               "target", "level_100", "level_90", "level_80", "level_70", "level_60",
               "q1", "q2", "q3", "q4", "total", "score"]


def csv_safe(value: Any) -> str:
    """A cell that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(CSV_FORMULA_PREFIXES):
        try:
            float(text)
            return text
        except ValueError:
            return "'" + text
    return text


def document_csv(data: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for area in data["areas"]:
        for ind in area["indicators"]:
            levels = (ind["levels"] or []) + [None] * 5
            row = [area["id"], area["name"], ind["id"], ind["activity"], ind["indicator"], ind["unit"],
                   ind["method"], ind["weight"], ind["responsible"], ind["target"], *levels[:5],
                   *(ind["achievements"].get(f"q{q}") for q in range(1, 5)), ind["total"], ind["score"]]
            writer.writerow([csv_safe(v) for v in row])
    return "\ufeff" + out.getvalue()


def offices_data(catalog, docs: list[DocumentView], reports=(), previous: dict[str, dict] | None = None) -> dict:
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
        office = catalog.offices[slug].model
        offices.append({
            "slug": slug, "name": office.name, "name_en": office.name_en, "level": office.level.value,
            "parent": office.parent, "page": office_page(slug),
            "documents": [_document_entry(d) for d in by_office.get(slug, [])],
        })
    return {"offices": offices}


def _document_entry(doc: DocumentView) -> dict:
    links = doc.links
    entry = {"kind": doc.kind, "fiscal_year": doc.fiscal_year, "title": doc.title,
             **({"report_quarter": doc.quarter} if doc.is_report else {}),
             **({"template": doc.template_name} if doc.template_name else {}),
             "page": links.page, "pdf": links.pdf, "json": links.json, "csv": links.csv}
    if doc.score is not None:
        entry.update(score=_score(doc.score), max_score=_plain(doc.max_score), quarter=doc.quarter)
    return entry


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def write_open_data(site_dir: Path, catalog, docs: list[DocumentView], reports: list[DocumentView] = (),
                    offices: set[str] | None = None) -> int:
    """offices.json plus a JSON and a CSV (UTF-8 with BOM, for Excel) per document and quarterly report
    (of `offices` only, if given: the others' files, and their entries in offices.json, are kept)."""
    written = {}
    previous = None if offices is None else _previous_entries(site_dir, offices)
    written["data/offices.json"] = _dump(offices_data(catalog, docs, reports, previous))
    for doc in [*docs, *reports]:
        if offices is not None and doc.office.slug not in offices:
            continue
        data = document_data(doc)
        written[doc.links.json] = _dump(data)
        written[doc.links.csv] = document_csv(data)
    for relative, text in written.items():
        write_text(site_dir, relative, text)
    return len(written)


def _previous_entries(site_dir: Path, rebuilt: set[str]) -> dict[str, dict]:
    """offices.json entries of the offices not rebuilt, from the site being updated (none if unreadable)."""
    try:
        data = json.loads((site_dir / "data" / "offices.json").read_text(encoding="utf-8"))
        return {entry["slug"]: entry for entry in data["offices"] if entry["slug"] not in rebuilt}
    except (OSError, ValueError, KeyError, TypeError):
        return {}
