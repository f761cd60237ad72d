"""Spreadsheets -> YAML: `import-xlsx` reads a filled workbook of a plan or a quarterly progress report.

The layout (README "Spreadsheets"; `xlsx-template` writes it):

* one sheet per document; sheets without a table (an instructions sheet) are skipped;
* above the table, label | value rows: অফিস (office), অর্থবছর (fiscal_year), দলিল (document: nis, egov,
  grs, cc, rti, apa; default: the sheet's name), কোয়ার্টার (quarter) for a progress report,
  প্রতিবেদনের তারিখ (as_of), টেমপ্লেট (template) for a plan that fills in a national template;
  a sheet with a quarter is a progress report, one without a plan;
* the table's header row is the row with a ক্রম (id) cell; columns are found by their header, Bengali
  or English (COLUMNS), in any order; columns it does not know (মোট অর্জন, অর্জিত মান …) are ignored;
* a row with an id of one number (১, 2) is an area; rows without an id are skipped.

Cells take Bengali or ASCII digits, 100% or a percent-formatted cell, dates typed as ২৬/০৭/২০২৩ or
Excel date cells. Every bad cell is reported (file, sheet, cell) and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from . import bengali
from .errors import Problems, SebaboxError
from .load import Catalog, load_plans
from .model import ANNEX_NUMBERS, ID_RE, PLAN_KINDS, Indicator, Method
from .values import Value, parse_value
from .yamlsafe import YamlError, read_yaml

DOCUMENTS = (*PLAN_KINDS, "apa")
LEVEL_HEADERS = ("অসাধারণ", "অতি উত্তম", "উত্তম", "চলতি মান", "চলতি মানের নিম্নে")
ORDINALS = ("১ম", "২য়", "৩য়", "৪র্থ")

# label (Bengali, English) of each key above the table
META = {
    "office": ("অফিস", "office"),
    "fiscal_year": ("অর্থবছর", "fiscal_year"),
    "document": ("দলিল", "document"),
    "quarter": ("কোয়ার্টার", "quarter"),
    "as_of": ("প্রতিবেদনের তারিখ", "as_of"),
    "template": ("টেমপ্লেট", "template"),
}
META_ALIASES = {"অর্থ বছর": "fiscal_year", "fiscal year": "fiscal_year", "ত্রৈমাসিক": "quarter",
                "তারিখ": "as_of", "date": "as_of"}

# header (Bengali, English) of each column the importer reads
COLUMNS = {
    "id": ("ক্রম", "id"),
    "activity": ("কার্যক্রম", "activity"),
    "name": ("কর্মসম্পাদন সূচক", "indicator"),
    "unit": ("একক", "unit"),
    "weight": ("সূচকের মান", "weight"),
    "responsible": ("দায়িত্বপ্রাপ্ত ব্যক্তি/পদ", "responsible"),
    "target": ("লক্ষ্যমাত্রা", "target"),
    **{f"qt{q}": (f"{ORDINALS[q - 1]} কোয়ার্টার লক্ষ্যমাত্রা", f"Q{q} target") for q in range(1, 5)},
    **{f"level{i}": (name, f"level {i}") for i, name in enumerate(LEVEL_HEADERS, 1)},
    **{f"q{q}": (f"{ORDINALS[q - 1]} কোয়ার্টার অর্জন", f"Q{q}") for q in range(1, 5)},
    "remarks": ("মন্তব্য", "remarks"),
}
COLUMN_ALIASES = {"ক্রমিক": "id", "কার্যক্রমের নাম": "activity", "সূচক": "name", "name": "name",
                  "মান": "weight", "দায়িত্বপ্রাপ্ত": "responsible",
                  "বাস্তবায়নের দায়িত্বপ্রাপ্ত ব্যক্তি/পদ": "responsible", "বার্ষিক লক্ষ্যমাত্রা": "target",
                  **{f"{ORDINALS[q - 1]} কোয়ার্টার": f"q{q}" for q in range(1, 5)},
                  **{f"q{q} achievement": f"q{q}" for q in range(1, 5)}}


def header(key: str) -> str:
    """The header text xlsx-template writes: 'ক্রম (id)'."""
    bn, en = (META | COLUMNS)[key]
    return f"{bn} ({en})"


def _norm(text: str) -> str:
    return " ".join(bengali.nfc(text).replace("\n", " ").split()).strip(" :").lower()


def _names(table: dict, aliases: dict) -> dict[str, str]:
    names = {_norm(text): key for key, pair in table.items() for text in pair}
    return names | {_norm(alias): key for alias, key in aliases.items()}


META_NAMES = _names(META, META_ALIASES)
COLUMN_NAMES = _names(COLUMNS, COLUMN_ALIASES)


def _lookup(text: Any, names: dict[str, str]) -> str | None:
    """'অফিস (office)', 'অফিস', 'office' -> 'office'."""
    if not isinstance(text, str):
        return None
    full = _norm(text)
    match = re.fullmatch(r"(.*?)\s*\(([^()]*)\)", full)
    for candidate in (full, *(match.groups() if match else ())):
        if candidate in names:
            return names[candidate]
    return None


# --------------------------------------------------------------------------- cells


class Bad(ValueError):
    """A cell that cannot be read; the message says what was expected."""


def _shown(raw: Any) -> str:
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        return f"the date {bengali.bn_date(raw)}"
    return repr(raw)


def cell_value(cell) -> Value | None:
    """A number, percentage or date from a cell of any type; None when empty or '-'."""
    raw = cell.value
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise Bad(f"expected a number, percentage or date, got {raw!r}")
    if isinstance(raw, dt.datetime):
        return Value(date=raw.date())
    if isinstance(raw, dt.date):
        return Value(date=raw)
    if isinstance(raw, (int, float)):
        number = Decimal(str(raw))
        if "%" in (cell.number_format or ""):  # a percent-formatted cell holds 1 for 100%
            return Value(number=number * 100, percent=True)
        return Value(number=number)
    try:
        return parse_value(str(raw))
    except ValueError as exc:
        raise Bad(str(exc)) from None


def cell_text(cell) -> str | None:
    raw = cell.value
    if raw is None:
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, (dt.datetime, dt.date)):
        raw = bengali.bn_date(raw.date() if isinstance(raw, dt.datetime) else raw)
    text = " ".join(bengali.nfc(str(raw)).split())
    return text or None


def cell_number(cell) -> Decimal | None:
    value = cell_value(cell)
    if value is None:
        return None
    if value.number is None or value.percent:
        raise Bad(f"expected a number, got {_shown(cell.value)}")
    return value.number


def cell_id(cell) -> str | None:
    raw = cell.value
    if isinstance(raw, float):
        raw = repr(raw)  # an id typed as 1.1 arrives as a number; type ids as text so 1.10 stays 1.10
    text = cell_text(cell) if not isinstance(raw, str) else raw
    if text is None or not str(text).strip():
        return None
    ident = bengali.to_ascii_digits(bengali.nfc(str(text))).strip().strip("[]() ").rstrip(".")
    if not ID_RE.match(ident):
        raise Bad(f"expected an id such as 1.1 or ১.২.১, got {raw!r}")
    return ident


def for_unit(value: Value | None, ind: Indicator, raw: Any) -> Value | None:
    """A date where the indicator counts dates, a number elsewhere."""
    if value is None:
        return None
    wants_date = ind.effective_method is Method.date or ind.unit == "তারিখ"
    if wants_date and not value.is_date:
        raise Bad(f"indicator {ind.id} ({ind.unit}) needs a date such as ২৬/০৭/২০২৩, got {_shown(raw)}")
    if value.is_date and not wants_date:
        raise Bad(f"indicator {ind.id} ({ind.unit}) needs a number, got {_shown(raw)}")
    return value


# --------------------------------------------------------------------------- sheets


@dataclass
class Sheet:
    """One sheet's table: where its labels, header and rows are."""

    title: str
    meta: dict[str, Any] = field(default_factory=dict)  # key -> the value cell
    columns: dict[str, int] = field(default_factory=dict)  # key -> column index (1-based)
    rows: list[tuple] = field(default_factory=list)


def read_sheet(ws) -> Sheet | None:
    """The sheet's labels and table, or None when it has no ক্রম (id) header row."""
    sheet = Sheet(ws.title)
    rows = list(ws.iter_rows())
    for index, row in enumerate(rows):
        found = {}
        for cell in row:
            key = _lookup(cell.value, COLUMN_NAMES)
            if key and key not in found:
                found[key] = cell.column
        if "id" in found:
            sheet.columns = found
            sheet.rows = rows[index + 1:]
            return sheet
        filled = [cell for cell in row if cell.value is not None and str(cell.value).strip()]
        if filled:
            key = _lookup(filled[0].value, META_NAMES)
            if key and key not in sheet.meta:
                after = [c for c in row if c.column > filled[0].column]
                value = next((c for c in after if c.value is not None and str(c.value).strip()), None)
                sheet.meta[key] = value if value is not None else (after[0] if after else filled[0])
    return None


class Report:
    """Bad cells, all of them, as `file: sheet 'NIS' cell F7: message`."""

    def __init__(self, file: str):
        self.file = file
        self.lines: list[str] = []

    def cell(self, sheet: Sheet, cell, message: str) -> None:
        self.lines.append(f"{self.file}: sheet '{sheet.title}' cell {cell.coordinate}: {message}")

    def sheet(self, sheet: Sheet, message: str) -> None:
        self.lines.append(f"{self.file}: sheet '{sheet.title}': {message}")

    def read(self, sheet: Sheet, cell, reader, *args):
        try:
            return reader(cell, *args)
        except Bad as exc:
            self.cell(sheet, cell, str(exc))
            return None


@dataclass
class Output:
    """One YAML file to write."""

    sheet: str
    path: Path
    data: dict
    key: tuple  # (office, fiscal year, kind[, quarter]) for messages


def _meta_text(report: Report, sheet: Sheet, key: str) -> str | None:
    cell = sheet.meta.get(key)
    return cell_text(cell) if cell is not None else None


def _fiscal_year(report: Report, sheet: Sheet) -> str | None:
    cell = sheet.meta.get("fiscal_year")
    text = cell_text(cell) if cell is not None else None
    if text is None:
        report.sheet(sheet, f"no fiscal year: add a row '{header('fiscal_year')}' with e.g. ২০২৩-২৪")
        return None
    try:
        return bengali.parse_fiscal_year(text)
    except ValueError as exc:
        report.cell(sheet, cell, str(exc))
        return None


def _document(report: Report, sheet: Sheet) -> str | None:
    cell = sheet.meta.get("document")
    text = (cell_text(cell) if cell is not None else None) or sheet.title
    kind = text.strip().lower()
    if kind in DOCUMENTS:
        return kind
    where = f"'{text}'" if cell is not None else f"the sheet name '{sheet.title}'"
    message = (f"unknown document {where}; expected one of: {', '.join(DOCUMENTS)} "
               f"(a row '{header('document')}' or the sheet's name)")
    report.cell(sheet, cell, message) if cell is not None else report.sheet(sheet, message)
    return None


def _quarter(cell) -> int:
    raw = cell.value
    if _blank(cell):
        raise Bad("the quarter is empty; fill in 1, 2, 3 or 4")
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and float(raw).is_integer():
        number = int(raw)
    else:
        digits = re.search(r"\d+", bengali.to_ascii_digits(str(raw)))
        number = int(digits.group()) if digits else 0
    if not 1 <= number <= 4:
        raise Bad(f"expected a quarter 1 to 4 (১ম … ৪র্থ), got {raw!r}")
    return number


def _date(cell) -> dt.date:
    if _blank(cell):
        raise Bad("the report date is empty; fill in e.g. ৩১/১২/২০২৩")
    try:
        value = cell_value(cell)
    except Bad:
        value = None
    if value is None or not value.is_date:
        raise Bad(f"expected a date such as ৩১/১২/২০২৩, got {_shown(cell.value)}")
    return value.date


# --------------------------------------------------------------------------- progress


def _progress(report: Report, sheet: Sheet, catalog: Catalog, office: str, year: str, kind: str) -> dict | None:
    quarter = report.read(sheet, sheet.meta["quarter"], _quarter)
    as_of_cell = sheet.meta.get("as_of")
    as_of = None
    if as_of_cell is None:
        report.sheet(sheet, f"no report date: add a row '{header('as_of')}' with e.g. ৩১/১২/২০২৩")
    else:
        as_of = report.read(sheet, as_of_cell, _date)
    plan = catalog.plan_for(office, year, kind) if kind != "apa" else next(
        (a.model for a in catalog.apas if (a.model.office, a.model.fiscal_year) == (office, year)), None)
    if plan is None:
        report.sheet(sheet, f"no {kind} plan of {office} for {year} to report progress on; add it first")
        return None
    indicators = {ind.id: ind for area in plan.areas for ind in area.indicators}
    areas = {area.id for area in plan.areas}
    quarter_columns = [f"q{q}" for q in range(1, 5) if f"q{q}" in sheet.columns]
    if quarter is not None and f"q{quarter}" not in sheet.columns:
        report.sheet(sheet, f"no column '{header(f'q{quarter}')}' for quarter {quarter}")
    achievements: dict[str, Value | None] = {}
    for ind, row in _indicator_rows(report, sheet, indicators, areas, f"the {kind} plan of {office} for {year}"):
        for key in quarter_columns:  # every quarter's cells are checked; the reported quarter's are kept
            cell = row[sheet.columns[key] - 1]
            value = report.read(sheet, cell, lambda c: for_unit(cell_value(c), ind, c.value))
            if key == f"q{quarter}" and value is not None:
                achievements[ind.id] = value
    if quarter is None or as_of is None:
        return None
    return {
        "kind": "progress",
        "office": office,
        "fiscal_year": bengali.bn_fiscal_year(year),
        "document": kind,
        "quarter": quarter,
        "as_of": bengali.bn_date(as_of),
        "achievements": {bengali.to_bengali_digits(k): v.display() for k, v in achievements.items()},
    }


def _indicator_rows(report: Report, sheet: Sheet, indicators: dict, areas: set, what: str):
    """(indicator, row) for each indicator row; area rows and rows without an id are skipped."""
    seen: dict[str, str] = {}
    for row in sheet.rows:
        cell = row[sheet.columns["id"] - 1] if len(row) >= sheet.columns["id"] else None
        ident = report.read(sheet, cell, cell_id) if cell is not None else None
        if ident is None or (ident in areas and ident not in indicators):
            continue
        if ident in seen:
            report.cell(sheet, cell, f"indicator {ident} is given twice (first in cell {seen[ident]})")
            continue
        seen[ident] = cell.coordinate
        if ident not in indicators:
            report.cell(sheet, cell, f"indicator {ident} is not in {what}")
            continue
        yield indicators[ident], row


# --------------------------------------------------------------------------- plans


def _targets(report: Report, sheet: Sheet, row, ind: Indicator) -> dict[str, Any]:
    """The office's values in one row: responsible, target, quarter targets, levels, remarks."""
    def value(key):
        cell = row[sheet.columns[key] - 1]
        return report.read(sheet, cell, lambda c: for_unit(cell_value(c), ind, c.value))

    def series(prefix, count):
        keys = [f"{prefix}{i}" for i in range(1, count + 1)]
        if not any(k in sheet.columns for k in keys):
            return None
        values = [value(k) if k in sheet.columns else None for k in keys]
        return values if any(v is not None for v in values) else None

    def text(key):
        return cell_text(row[sheet.columns[key] - 1]) if key in sheet.columns else None

    out: dict[str, Any] = {"responsible": text("responsible"),
                           "target": value("target") if "target" in sheet.columns else None,
                           "quarter_targets": series("qt", 4), "levels": series("level", 5), "remarks": text("remarks")}
    return {k: v for k, v in out.items() if v is not None}


def _dumpable(value: Any) -> Any:
    if isinstance(value, Value):
        return value.display()
    if isinstance(value, list):
        return [_dumpable(v) for v in value]
    return value


def _plan(report: Report, sheet: Sheet, catalog: Catalog, office: str, year: str, kind: str) -> dict | None:
    if kind == "apa":
        report.sheet(sheet, "an APA is written in YAML; spreadsheets import its quarterly progress only "
                            f"(add a row '{header('quarter')}')")
        return None
    existing = catalog.plan_for(office, year, kind)
    name = _meta_text(report, sheet, "template") or (existing.template if existing else None)
    head = {"kind": kind, "office": office, "fiscal_year": bengali.bn_fiscal_year(year), "annex": ANNEX_NUMBERS[kind]}
    if name is None:
        areas = _areas(report, sheet)
        return {**head, "areas": areas} if areas is not None else None
    loaded = catalog.templates.get((year, name))
    if loaded is None or loaded.model.document != kind:
        known = sorted(t for (fy, t), x in catalog.templates.items() if fy == year and x.model.document == kind)
        message = f"no {kind} template {name!r} for {year}; known: {', '.join(known) or 'none'}"
        cell = sheet.meta.get("template")
        report.cell(sheet, cell, message) if cell is not None else report.sheet(sheet, message)
        return None
    template = loaded.model
    indicators = {ind.id: ind for area in template.areas for ind in area.indicators}
    areas = {area.id for area in template.areas}
    values = {}
    for ind, row in _indicator_rows(report, sheet, indicators, areas, f"the template {name}"):
        given = {k: v for k, v in _targets(report, sheet, row, ind).items() if getattr(ind, k) != v}
        if given:
            values[bengali.to_bengali_digits(ind.id)] = {k: _dumpable(v) for k, v in given.items()}
    return {**head, "template": name, "values": values}


def _areas(report: Report, sheet: Sheet) -> list | None:
    """A plan without a template: area rows (id ১) and indicator rows (id ১.১) with all their columns."""
    missing = [k for k in ("name", "unit", "weight") if k not in sheet.columns]
    if missing:
        report.sheet(sheet, "a plan without a template needs the columns "
                     + ", ".join(f"'{header(k)}'" for k in missing) + f" (or a row '{header('template')}')")
        return None
    areas: list[dict] = []
    area_weights: list[tuple] = []  # (weight cell, area weight, sum of its indicators' weights)
    seen: set[str] = set()
    for row in sheet.rows:
        def cell(key):
            return row[sheet.columns[key] - 1] if key in sheet.columns else None
        ident = report.read(sheet, cell("id"), cell_id)
        if ident is None:
            continue
        if ident in seen:
            report.cell(sheet, cell("id"), f"id {ident} is given twice")
            continue
        seen.add(ident)
        weight = report.read(sheet, cell("weight"), cell_number)
        if weight is None and not _blank(cell("weight")):
            continue
        if "." not in ident:
            name_cell = cell("activity") or cell("name")
            name = cell_text(name_cell)
            if name is None:
                report.cell(sheet, name_cell, f"area {ident} needs its name")
            if weight is None:
                report.cell(sheet, cell("weight"), f"area {ident} needs its weight ({COLUMNS['weight'][0]})")
            areas.append({"id": bengali.to_bengali_digits(ident), "name": name, "weight": _num(weight), "indicators": []})
            area_weights.append((cell("weight"), weight, Decimal(0)))
            continue
        if not areas:
            report.cell(sheet, cell("id"), f"indicator {ident} comes before any area row (an id such as ১)")
            continue
        row_out = {"id": bengali.to_bengali_digits(ident)}
        for key in ("activity", "name", "unit"):
            text = cell_text(cell(key)) if cell(key) is not None else None
            if text is None and key != "activity":
                report.cell(sheet, cell(key), f"indicator {ident} needs its {COLUMNS[key][1]} ({COLUMNS[key][0]})")
            if text is not None:
                row_out[key] = text
        if weight is None:
            report.cell(sheet, cell("weight"), f"indicator {ident} needs its weight ({COLUMNS['weight'][0]})")
        row_out["weight"] = _num(weight)
        area_cell, area_weight, total = area_weights[-1]
        area_weights[-1] = (area_cell, area_weight, total + (weight or 0))
        probe = Indicator(id=ident, name=row_out.get("name") or "-", unit=row_out.get("unit") or "-", weight=weight or 0)
        row_out |= {k: _dumpable(v) for k, v in _targets(report, sheet, row, probe).items()}
        areas[-1]["indicators"].append(row_out)
    for area, (cell, weight, total) in zip(areas, area_weights):
        ident = bengali.to_ascii_digits(area["id"])
        if not area["indicators"]:
            report.cell(sheet, cell, f"area {ident} has no indicator rows below it")
        elif weight is not None and weight != total:
            report.cell(sheet, cell, f"area {ident} has weight {bengali.bn_number(weight)} but its "
                                     f"indicators' weights add up to {bengali.bn_number(total)}")
    return areas


def _blank(cell) -> bool:
    return cell is None or cell.value is None or not str(cell.value).strip()


def _num(number: Decimal | None) -> str | None:
    return bengali.bn_number(number) if number is not None else None


# --------------------------------------------------------------------------- the command


ORDER = ("kind", "office", "fiscal_year", "document", "quarter", "as_of", "annex", "title", "template")
KEPT = {"progress": ("letter", "printed"), "plan": ("title", "signatory", "notes")}


def import_workbook(xlsx: Path, office: str, plans_dir: Path, out: Path | None = None,
                    force: bool = False) -> list[Output]:
    """Read every sheet; raise SebaboxError listing every bad cell, or write the YAML files and return them."""
    workbook = _open(xlsx)
    catalog = load_plans(plans_dir, Problems())
    if office not in catalog.offices:
        raise SebaboxError(f"unknown office {office!r}: there is no {plans_dir}/{office}/office.yaml")
    report = Report(str(xlsx))
    outputs: list[Output] = []
    sheets = [s for s in (read_sheet(ws) for ws in workbook.worksheets) if s is not None]
    if not sheets:
        raise SebaboxError(f"{xlsx}: no sheet has a table with a '{header('id')}' header cell")
    for sheet in sheets:
        cell = sheet.meta.get("office")
        if cell is not None and cell_text(cell) not in (None, office):
            report.cell(sheet, cell, f"this sheet is for office {cell_text(cell)!r}, not {office!r}")
            continue
        year, kind = _fiscal_year(report, sheet), _document(report, sheet)
        if year is None or kind is None:
            continue
        if "quarter" in sheet.meta:
            data = _progress(report, sheet, catalog, office, year, kind)
            if data is not None:
                key = (office, year, kind, data["quarter"])
                outputs.append(Output(sheet.title, _progress_path(catalog, plans_dir, key), data, key))
        else:
            data = _plan(report, sheet, catalog, office, year, kind)
            if data is not None:
                key = (office, year, kind)
                outputs.append(Output(sheet.title, _plan_path(catalog, plans_dir, key), data, key))
    if report.lines:
        raise BadCells(report.lines, xlsx)
    if out is not None:
        if len(outputs) != 1:
            raise SebaboxError(f"--out names one file, but {xlsx} has {len(outputs)} sheets to import; leave out --out")
        outputs[0].path = out
    _check_targets(outputs, force)
    texts = {o.path: _yaml_text(o, xlsx) for o in outputs}
    _verify(plans_dir, texts)
    _write(texts)
    return outputs


class BadCells(SebaboxError):
    def __init__(self, lines: list[str], xlsx: Path):
        self.lines = lines
        super().__init__(f"{len(lines)} bad cell(s) in {xlsx}; nothing was written")


class Unchecked(SebaboxError):
    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("the YAML made from the spreadsheet would not pass check; nothing was written")


def _open(xlsx: Path):
    try:
        from openpyxl import load_workbook
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise SebaboxError("reading spreadsheets needs openpyxl: pip install openpyxl") from None
    if not xlsx.is_file():
        raise SebaboxError(f"{xlsx}: file not found")
    try:
        return load_workbook(xlsx, data_only=True, read_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not .xlsx
        raise SebaboxError(f"{xlsx}: cannot read it as an .xlsx workbook ({type(exc).__name__}: {exc}); "
                           "save it from Excel or LibreOffice as .xlsx") from None


def _progress_path(catalog: Catalog, plans_dir: Path, key: tuple) -> Path:
    for loaded in catalog.progress:
        m = loaded.model
        if (m.office, m.fiscal_year, m.document, m.quarter) == key:
            return Path(loaded.path)
    office, year, kind, quarter = key
    return plans_dir / office / year / f"{kind}-q{quarter}.yaml"


def _plan_path(catalog: Catalog, plans_dir: Path, key: tuple) -> Path:
    for loaded in catalog.plans:
        if (loaded.model.office, loaded.model.fiscal_year, loaded.model.kind) == key:
            return Path(loaded.path)
    office, year, kind = key
    return plans_dir / office / year / f"{kind}.yaml"


def _check_targets(outputs: list[Output], force: bool) -> None:
    paths = [o.path for o in outputs]
    for output in outputs:
        if paths.count(output.path) > 1:
            raise SebaboxError(f"two sheets write {output.path}; import them one at a time")
        if output.path.exists() and not force:
            kept = ", ".join(KEPT["progress" if output.data["kind"] == "progress" else "plan"])
            raise SebaboxError(f"{output.path} exists; pass --force to replace it "
                               f"(its {kept} are kept, its comments are not)")


def _kept(output: Output) -> dict:
    """Keys a sheet does not carry, kept from the file it replaces."""
    if not output.path.exists():
        return {}
    try:
        data, _, _ = read_yaml(output.path)
    except (YamlError, OSError):
        return {}
    keys = KEPT["progress" if output.data["kind"] == "progress" else "plan"]
    return {k: data[k] for k in keys if isinstance(data, dict) and k in data}


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):  # "  - id: ১", as the hand-written files
        return super().increase_indent(flow, False)


_Dumper.add_representer(list, lambda d, v: d.represent_sequence(  # [২, null, ১, null]; lists of rows stay blocks
    "tag:yaml.org,2002:seq", v, flow_style=not any(isinstance(x, (dict, list)) for x in v)))


def _yaml_text(output: Output, xlsx: Path) -> str:
    schema = "progress" if output.data["kind"] == "progress" else "plan"
    merged = output.data | _kept(output)
    order = [k for k in ORDER if k in merged] + [k for k in merged if k not in ORDER]
    data = {k: merged[k] for k in order}
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    return (f"# yaml-language-server: $schema=../../../schemas/{schema}.schema.json\n"
            f"# Imported by `build_site.py import-xlsx` from {xlsx.name}, sheet '{output.sheet}'.\n" + body)


def _verify(plans_dir: Path, texts: dict[Path, str]) -> None:
    """Check the plans as they will be, in a scratch copy: the new files must add no error."""
    from .validate import validate

    root = plans_dir.resolve()
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "plans"
        shutil.copytree(plans_dir, copy, ignore=shutil.ignore_patterns(".*"))
        placed = {}
        for path, text in texts.items():
            full = path.resolve()
            rel = full.relative_to(root) if full.is_relative_to(root) else Path("_imported") / path.name
            (copy / rel).parent.mkdir(parents=True, exist_ok=True)
            (copy / rel).write_text(text, encoding="utf-8")
            placed[str(copy / rel)] = path
        problems = Problems()
        catalog = load_plans(copy, problems)
        if not problems.errors:
            validate(catalog, problems)
        ours = [p for p in problems.errors if p.file in placed]
        if ours:
            lines = [f"{placed[p.file]}:{p.line}: error: {p.message}" for p in ours]
            raise Unchecked(lines)


def _write(texts: dict[Path, str]) -> None:
    """Each file through a temporary file beside it, renamed into place once all are written."""
    staged = []
    try:
        for path, text in texts.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            staged.append((Path(tmp), path))
        for tmp, path in staged:
            os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, path)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
