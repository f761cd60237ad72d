"""`xlsx-template`: a workbook for office staff to fill in, in the layout `import-xlsx` reads (see xlsx.py).

A progress sheet lists the office's plan with the quarters already reported; a plan sheet lists the
rows of the office's plan, or of the national template for its level, with the values to fill in.
Cells to fill in are yellow and formatted as text, so Excel does not turn 05/07/2023 into 7 May.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

from sebabox import bengali
from sebabox.errors import Problems, SebaboxError, refusal, unknown_office
from sebabox.inputs.load import Catalog, load_plans
from sebabox.model import KIND_TITLES, Area
from sebabox.tools.scaffold import choose_fiscal_year
from sebabox.inputs.explain import hint
from sebabox.inputs.xlsx import DOCUMENTS, header
from sebabox.tools.xlsx_charter_template import charter_book

FORMULA_START = ("=", "+", "-", "@")  # what a spreadsheet may take for a formula when the cell is edited
INPUT = "FFF2CC"  # light yellow: cells to fill in
GIVEN = "EDEDED"  # light grey: rows the plan or template gives (not read from a template plan's sheet)
AREA = "D9E2F3"
WIDTHS = {"id": 9, "activity": 42, "name": 38, "unit": 10, "weight": 8, "responsible": 24, "target": 14,
          "remarks": 28}

INSTRUCTIONS = [
    "নির্দেশনা (instructions)",
    "হলুদ ঘরগুলো পূরণ করুন; বাংলা বা ইংরেজি অঙ্ক চলবে (২ বা 2), শতাংশ ১০০%, তারিখ ২৬/০৭/২০২৩।",
    "Fill in the yellow cells: Bengali or ASCII digits, 100% for a percentage, 26/07/2023 for a date.",
    "ক্রম (id), অফিস, অর্থবছর, দলিল ও কোয়ার্টার বদলাবেন না; খালি ঘর মানে মান দেওয়া হয়নি।",
    "Keep the ids and the labels above the table; leave a cell empty when there is nothing to report.",
    "তারপর: python build_site.py import-xlsx FILE.xlsx --office SLUG, এবং python build_site.py check",
]


def write_template(out: Path, plans_dir: Path, office: str, document: str, fiscal_year: str | None = None,
                   sheet_kind: str = "progress", quarter: int | None = None, force: bool = False) -> list[str]:
    """Write the workbook; return notes for the user (which fiscal year, quarter and rows)."""
    if document not in (*DOCUMENTS, "charter"):
        raise refusal(f"অজানা দলিল (unknown document) '{document}'{hint(document.lower(), (*DOCUMENTS, 'charter'))}; "
                      f"--document-এ লিখুন {', '.join(DOCUMENTS)} বা charter")
    if sheet_kind not in ("progress", "plan"):
        raise refusal(f"অজানা শিট (unknown sheet) '{sheet_kind}'{hint(sheet_kind.lower(), ('progress', 'plan'))}; "
                      "--sheet-এ লিখুন progress (কোয়ার্টারের অগ্রগতি) বা plan (লক্ষ্যমাত্রা)")
    if out.exists() and not force:
        raise refusal(f"{out} আগে থেকেই আছে (exists); বদলাতে --force দিন (pass --force to replace it), তবে পূরণ করা "
                      "শিট হারিয়ে যাবে; নইলে অন্য নাম দিন")
    if out.suffix.lower() != ".xlsx":
        raise refusal(f"{out}: ওয়ার্কবুকের নাম .xlsx দিয়ে শেষ হতে হবে (must end in .xlsx); লিখুন যেমন nis-q2.xlsx")
    catalog = load_plans(plans_dir, Problems())
    if office not in catalog.offices:
        raise unknown_office(office, plans_dir, catalog.offices)
    year = _year(fiscal_year)
    if document == "charter":
        book, notes = charter_book(catalog, office, year, _book)
    elif sheet_kind == "progress":
        book, notes = _progress_book(catalog, office, document, year, quarter)
    else:
        book, notes = _plan_book(catalog, office, document, year)
    _save(book, out)
    return notes


def _year(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        return bengali.parse_fiscal_year(text)
    except ValueError as exc:
        raise refusal(f"--fiscal-year: {getattr(exc, 'bengali', None) or exc}") from None


def _plans_of(catalog: Catalog, office: str, document: str) -> dict:
    pool = catalog.apas if document == "apa" else [p for p in catalog.plans if p.model.kind == document]
    return {p.model.fiscal_year: p.model for p in pool if p.model.office == office}


# --------------------------------------------------------------------------- the two sheets


def _progress_book(catalog: Catalog, office: str, document: str, year: str | None, quarter: int | None):
    plans = _plans_of(catalog, office, document)
    if year is None and plans:
        year = max(plans)
    plan = plans.get(year)
    if plan is None:
        when = f" {bengali.bn_fiscal_year(year)} অর্থবছরের" if year else ""
        raise refusal(f"{office}-এর{when} {document} পরিকল্পনা নেই (no {document} plan); আগে পরিকল্পনাটি লিখুন "
                      "(new-office, বা --sheet plan-এর শিট পূরণ করে import-xlsx)")
    reports = {r.quarter: r for r in catalog.progress_for(office, year, document)}
    if quarter is None:
        quarter = min(max(reports, default=0) + 1, 4)
    if not 1 <= quarter <= 4:
        raise refusal(f"--quarter ১ থেকে ৪ হতে হবে (must be 1 to 4), লেখা আছে {quarter}; লিখুন যেমন ২")
    keys = ["id", "activity", "name", "unit", "weight", "target", "q1", "q2", "q3", "q4"]
    meta = [("office", office), ("fiscal_year", bengali.bn_fiscal_year(year)), ("document", document),
            ("quarter", quarter), ("as_of", None)]
    rows = []
    for area in plan.areas:
        rows.append(_area_row(area))
        for ind in area.indicators:
            cells = {"id": bengali.to_bengali_digits(ind.id), "activity": ind.activity, "name": ind.name,
                     "unit": ind.unit, "weight": bengali.bn_number(ind.weight), "target": _show(ind.annual_target)}
            for q, report in reports.items():
                cells[f"q{q}"] = _show(report.achievements.get(ind.id))
            rows.append(cells)
    title = f"{KIND_TITLES.get(document, document)} {bengali.bn_fiscal_year(year)}: অগ্রগতি"
    book = _book(document.upper(), title, meta, keys, rows, inputs={f"q{quarter}", "as_of"})
    done = (f"; আগেই জমা (already reported): কোয়ার্টার {', '.join(bengali.bn_number(q) for q in sorted(reports))}"
            if reports else "")
    return book, [f"অগ্রগতির শিট (progress sheet): {document} {bengali.bn_fiscal_year(year)}, কোয়ার্টার "
                  f"{bengali.bn_number(quarter)}{done}"]


def _plan_book(catalog: Catalog, office: str, document: str, year: str | None):
    if document == "apa":
        raise SebaboxError("বার্ষিক কর্মসম্পাদন চুক্তি (APA) YAML-এ লেখা হয়; স্প্রেডশিট শুধু এর ত্রৈমাসিক অগ্রগতির "
                           "জন্য (quarterly progress): --sheet progress দিন")
    plans = _plans_of(catalog, office, document)
    notes = []
    if year is None and plans:
        year = max(plans)
    plan, template_name = plans.get(year), None
    if plan is not None:
        areas, template_name = plan.areas, plan.template
        notes.append(f"পরিকল্পনার শিট (plan sheet): {document} {bengali.bn_fiscal_year(year)}, {office}-এর পরিকল্পনা থেকে")
    else:
        level = catalog.offices[office].model.level
        year, found, notes = choose_fiscal_year(catalog, level, year, dt.date.today())
        template = next(((name, t) for name, t in found if t.document == document), None)
        if template is None:
            raise refusal(f"{office}-এর {document} পরিকল্পনা নেই, {bengali.bn_fiscal_year(year)} অর্থবছরে "
                          f"{level.value} অফিসের জাতীয় {document} টেমপ্লেটও নেই (no plan and no national template); "
                          "অন্য --fiscal-year দিন, বা পরিকল্পনাটি YAML-এ লিখুন")
        template_name, areas = template[0], template[1].areas
        notes.append(f"পরিকল্পনার শিট (plan sheet): {document} {bengali.bn_fiscal_year(year)}, জাতীয় টেমপ্লেট "
                     f"{template_name} থেকে")
    targets = ["qt1", "qt2", "qt3", "qt4"] if document == "nis" else [f"level{i}" for i in range(1, 6)]
    keys = ["id", "activity", "name", "unit", "weight", "responsible", "target", *targets, "remarks"]
    meta = [("office", office), ("fiscal_year", bengali.bn_fiscal_year(year)), ("document", document)]
    if template_name:
        meta.append(("template", template_name))
    rows = []
    for area in areas:
        rows.append(_area_row(area))
        for ind in area.indicators:
            cells = {"id": bengali.to_bengali_digits(ind.id), "activity": ind.activity, "name": ind.name,
                     "unit": ind.unit, "weight": bengali.bn_number(ind.weight), "responsible": ind.responsible,
                     "target": _show(ind.target), "remarks": ind.remarks}
            for i, value in enumerate(ind.quarter_targets or [], 1):
                cells[f"qt{i}"] = _show(value)
            for i, value in enumerate(ind.levels or [], 1):
                cells[f"level{i}"] = _show(value)
            rows.append(cells)
    inputs = {"responsible", "target", *targets, "remarks"}
    if not template_name:  # a plan of its own: every column is read back
        inputs |= {"activity", "name", "unit", "weight"}
    title = f"{KIND_TITLES[document]} {bengali.bn_fiscal_year(year)}"
    return _book(document.upper(), title, meta, keys, rows, inputs), notes


def _area_row(area: Area) -> dict:
    return {"id": bengali.to_bengali_digits(area.id), "activity": area.name, "weight": bengali.bn_number(area.weight),
            "_area": True}


def _show(value) -> str | None:
    return value.display() if value is not None else None


# --------------------------------------------------------------------------- the workbook


def _book(sheet_title: str, title: str, meta: list, keys: list[str], rows: list[dict], inputs: set[str],
          label=header, widths=WIDTHS, instructions=INSTRUCTIONS):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    def fill(colour):
        return PatternFill("solid", start_color=colour, end_color=colour)

    book = Workbook()
    book.calculation.fullCalcOnLoad = False  # nothing to calculate: no formulas, and none run on opening
    ws = book.active
    ws.title = sheet_title
    _put(ws, 1, 1, title).font = Font(bold=True, size=13)
    for r, (key, value) in enumerate(meta, 2):
        _put(ws, r, 1, label(key)).font = Font(bold=True)
        cell = _put(ws, r, 2, value)
        cell.number_format = "@"
        if key in inputs:
            cell.fill = fill(INPUT)
    head = len(meta) + 3
    for c, key in enumerate(keys, 1):
        cell = _put(ws, head, c, label(key))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(c)].width = widths.get(key, 13)
    for r, row in enumerate(rows, head + 1):
        for c, key in enumerate(keys, 1):
            cell = _put(ws, r, c, row.get(key))
            cell.number_format = "@"  # text: what staff type is kept as typed
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if row.get("_area"):
                cell.fill, cell.font = fill(AREA), Font(bold=True)
            elif key in inputs:
                cell.fill = fill(INPUT)
            else:
                cell.fill = fill(GIVEN)
    ws.freeze_panes = ws.cell(head + 1, 2)
    notes = book.create_sheet("নির্দেশনা")
    for r, line in enumerate(instructions, 1):
        _put(notes, r, 1, line).font = Font(bold=r == 1)
    notes.column_dimensions["A"].width = 110
    return book


def _put(ws, row: int, column: int, value):
    """A cell whose text is text: plan text such as =HYPERLINK(…) or =WEBSERVICE(…) is never a formula
    (openpyxl makes one of any string starting with '='); shown as typed, with Excel's text prefix."""
    cell = ws.cell(row, column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True
    return cell


def _save(book, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".xlsx", dir=out.parent)
    os.close(fd)
    try:
        book.save(tmp)
        os.replace(tmp, out)
    finally:
        Path(tmp).unlink(missing_ok=True)
