"""Spreadsheets: the workbook layout, and reading its labels, table and cells (import: xlsx_import.py).

The layout (README "Spreadsheets"; `xlsx-template` writes it, `import-xlsx` reads it):

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
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sebabox import bengali
from sebabox.errors import printable
from sebabox.inputs.explain import hint
from sebabox.model import ID_RE, PLAN_KINDS, Indicator, Method
from sebabox.values import Value, parse_value

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
    """A cell that cannot be read; the message (Bengali, English term in brackets) says what is wrong and what
    to type."""


SHOWN_CHARACTERS = 60  # a pasted paragraph is cut: the cell reference says where the rest is


def shown(raw: Any) -> str:
    """A cell's value as the clerk typed it, safe to print: 'abc', the date ০১/০৮/২০২৩, TRUE; control and
    direction characters escaped (\\n, \\u202e), a long text cut with '…'."""
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        return f"তারিখ {bengali.bn_date(raw)}"
    if isinstance(raw, bool):
        return "TRUE (হ্যাঁ)" if raw else "FALSE (না)"
    text = printable(str(raw))
    return f"'{text[:SHOWN_CHARACTERS]}…'" if len(text) > SHOWN_CHARACTERS else f"'{text}'"


def _bengali(exc: ValueError) -> str:
    """A value error's Bengali message (BadValue carries one), else its own words."""
    return getattr(exc, "bengali", None) or str(exc)


def cell_value(cell) -> Value | None:
    """A number, percentage or date from a cell of any type; None when empty or '-'."""
    raw = cell.value
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise Bad(f"সংখ্যা, শতাংশ বা তারিখ চাই (expected a number, percentage or date), লেখা আছে {shown(raw)}; "
                  "লিখুন যেমন ৮, ১০০% বা ২৬/০৭/২০২৩")
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
        raise Bad(_bengali(exc)) from None


def cell_text(cell) -> str | None:
    raw = cell.value
    if raw is None:
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, (dt.datetime, dt.date)):
        raw = bengali.bn_date(raw.date() if isinstance(raw, dt.datetime) else raw)
    # control characters (a pasted BEL, Excel's _x0007_) are junk that YAML refuses: dropped
    text = "".join(c for c in bengali.nfc(str(raw)) if c.isspace() or unicodedata.category(c) not in ("Cc", "Cs"))
    return " ".join(text.split()) or None


def cell_number(cell) -> Decimal | None:
    value = cell_value(cell)
    if value is None:
        return None
    if value.number is None or value.percent:
        raise Bad(f"সংখ্যা চাই (expected a number), লেখা আছে {shown(cell.value)}; লিখুন যেমন ৮ বা ২.৫ "
                  "(শতাংশ বা তারিখ নয়)")
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
        raise Bad(f"ক্রম (id) চাই, লেখা আছে {shown(raw)}; লিখুন যেমন ১ (ক্ষেত্র), ১.১ বা ১.২.১ (সূচক)")
    return ident


def for_unit(value: Value | None, ind: Indicator, raw: Any) -> Value | None:
    """A date where the indicator counts dates, a number elsewhere."""
    if value is None:
        return None
    wants_date = ind.effective_method is Method.date or ind.unit == "তারিখ"
    which = f"সূচক {bengali.to_bengali_digits(ind.id)} (একক: {printable(ind.unit)})"
    if wants_date and not value.is_date:
        raise Bad(f"{which}-এ তারিখ চাই (needs a date), লেখা আছে {shown(raw)}; লিখুন যেমন ২৬/০৭/২০২৩")
    if value.is_date and not wants_date:
        raise Bad(f"{which}-এ সংখ্যা চাই, তারিখ নয় (needs a number), লেখা আছে {shown(raw)}; লিখুন যেমন ৮ বা ৮০%")
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
    """Bad cells, all of them, as `file: শিট 'NIS' ঘর F7: message`, each on one printable line (a sheet name
    or a value with a line break or a direction control cannot forge another line)."""

    def __init__(self, file: str):
        self.file = file
        self.lines: list[str] = []

    def at(self, sheet_title: str, where: str, message: str) -> None:
        place = f"শিট '{sheet_title}'" + (f" {where}" if where else "")
        self.lines.append(printable(f"{self.file}: {place}: {message}"))

    def cell(self, sheet: Sheet, cell, message: str) -> None:
        self.at(sheet.title, f"ঘর {cell.coordinate}", message)

    def sheet(self, sheet: Sheet, message: str) -> None:
        self.at(sheet.title, "", message)

    def read(self, sheet: Sheet, cell, reader, *args):
        try:
            return reader(cell, *args)
        except Bad as exc:
            self.cell(sheet, cell, str(exc))  # Bad: already the clerk's message
            return None


@dataclass
class Output:
    """One YAML file to write."""

    sheet: str
    path: Path
    data: dict
    key: tuple  # (office, fiscal year, kind[, quarter]) for messages


def meta_text(sheet: Sheet, key: str) -> str | None:
    cell = sheet.meta.get(key)
    return cell_text(cell) if cell is not None else None


def fiscal_year_of(report: Report, sheet: Sheet) -> str | None:
    cell = sheet.meta.get("fiscal_year")
    text = cell_text(cell) if cell is not None else None
    if text is None:
        report.sheet(sheet, f"অর্থবছর নেই (no fiscal year): টেবিলের ওপরে '{header('fiscal_year')}' সারি যোগ করুন, "
                            "পাশের ঘরে যেমন ২০২৩-২৪")
        return None
    try:
        return bengali.parse_fiscal_year(text)
    except ValueError as exc:
        report.cell(sheet, cell, _bengali(exc))
        return None


def document_of(report: Report, sheet: Sheet) -> str | None:
    cell = sheet.meta.get("document")
    text = (cell_text(cell) if cell is not None else None) or sheet.title
    kind = text.strip().lower()
    if kind in DOCUMENTS:
        return kind
    where = f"{shown(text)}" if cell is not None else f"শিটের নাম {shown(sheet.title)}"
    message = (f"অজানা দলিল (unknown document) {where}{hint(kind, DOCUMENTS)}; লিখুন "
               f"{', '.join(DOCUMENTS[:-1])} বা {DOCUMENTS[-1]} ('{header('document')}' সারিতে, বা শিটের নাম হিসেবে)")
    report.cell(sheet, cell, message) if cell is not None else report.sheet(sheet, message)
    return None


def quarter_of(cell) -> int:
    raw = cell.value
    if blank(cell):
        raise Bad("কোয়ার্টার (quarter) খালি (empty); লিখুন ১, ২, ৩ বা ৪")
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and float(raw).is_integer():
        number = int(raw)
    else:
        digits = re.search(r"\d+", bengali.to_ascii_digits(str(raw)))
        number = int(digits.group()) if digits else 0
    if not 1 <= number <= 4:
        raise Bad(f"কোয়ার্টার (quarter) ১ থেকে ৪ চাই (১ম … ৪র্থ), লেখা আছে {shown(raw)}; লিখুন যেমন ২")
    return number


def report_date(cell, what: str = "প্রতিবেদনের তারিখ (report date)") -> dt.date:
    if blank(cell):
        raise Bad(f"{what} খালি (empty); লিখুন যেমন ৩১/১২/২০২৩")
    try:
        value = cell_value(cell)
    except Bad:
        value = None
    if value is None or not value.is_date:
        raise Bad(f"{what}: তারিখ চাই (expected a date), লেখা আছে {shown(cell.value)}; লিখুন যেমন ৩১/১২/২০২৩")
    return value.date


def blank(cell) -> bool:
    return cell is None or cell.value is None or not str(cell.value).strip()
