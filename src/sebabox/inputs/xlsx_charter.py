"""A citizen's charter in a spreadsheet: one row per service (xlsx-template --document charter writes the
sheet, import-xlsx reads it back into plans/<office>/charter.yaml).

Above the table, label | value rows as on the other sheets: অফিস (office), দলিল (document: charter),
শিরোনাম (title), অর্থবছর (fiscal_year) and হালনাগাদের তারিখ (charter_date) only when the charter
prints them, রূপকল্প (vision), অভিলক্ষ্য (mission), উৎস (source). The table's header row has ক্রম (id);
its columns (CHARTER_COLUMNS) are found by header in any order; a column left empty on every row is
not written, so the page shows only the charter's own columns. Papers go one per line in their cell.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from sebabox import bengali
from sebabox.inputs.xlsx import Bad, Report, Sheet, _bengali, _lookup, _names, _norm, blank, cell_text, report_date, shown

CHARTER_META = {
    "title": ("শিরোনাম", "title"),
    "charter_date": ("হালনাগাদের তারিখ", "charter_date"),
    "vision": ("রূপকল্প", "vision"),
    "mission": ("অভিলক্ষ্য", "mission"),
    "source": ("উৎস", "source"),
}
# (key, Bengali, English) of each column, in the order of the Cabinet Division's format
CHARTER_COLUMNS = {
    "id": ("ক্রম", "id"),
    "group": ("সেবার ধরন", "group"),
    "service": ("সেবার নাম", "service"),
    "recipient": ("সেবা গ্রহীতা", "recipient"),
    "method": ("সেবা প্রদান পদ্ধতি", "method"),
    "documents": ("প্রয়োজনীয় কাগজপত্র", "documents"),
    "documents_from": ("কাগজপত্র প্রাপ্তিস্থান", "documents_from"),
    "place": ("সেবা প্রদানের স্থান", "place"),
    "fee": ("সেবার মূল্য", "fee"),
    "payment": ("পরিশোধ পদ্ধতি", "payment"),
    "legal_basis": ("সংশ্লিষ্ট আইন ও বিধি", "legal_basis"),
    "time_limit": ("সেবা প্রদানের সময়সীমা", "time_limit"),
    "officer_name": ("কর্মকর্তার নাম", "officer_name"),
    "officer_designation": ("কর্মকর্তার পদবি", "officer_designation"),
    "officer_room": ("কক্ষ নং", "officer_room"),
    "officer_phone": ("কর্মকর্তার ফোন", "officer_phone"),
    "officer_email": ("কর্মকর্তার ই-মেইল", "officer_email"),
    "appellate_designation": ("ঊর্ধ্বতন কর্মকর্তা", "appellate_officer"),
    "appellate_phone": ("ঊর্ধ্বতন কর্মকর্তার ফোন", "appellate_phone"),
    "appellate_email": ("ঊর্ধ্বতন কর্মকর্তার ই-মেইল", "appellate_email"),
    "remedy": ("সেবা প্রদানে ব্যর্থ হলে প্রতিকার", "remedy"),
    "remarks": ("মন্তব্য", "remarks"),
}
NAMES = _names(CHARTER_COLUMNS, {"ক্রমিক": "id", "সেবার মূল্য ও পরিশোধ পদ্ধতি": "fee", "সময়সীমা": "time_limit"})
META_NAMES = _names(CHARTER_META, {"তারিখ": "charter_date", "date": "charter_date"})
GROUPS = {"নাগরিক সেবা": "citizen_services", "citizen": "citizen_services",
          "প্রাতিষ্ঠানিক সেবা": "institutional_services", "institutional": "institutional_services",
          "অভ্যন্তরীণ সেবা": "internal_services", "internal": "internal_services"}
PERSON = {"officer": ("name", "designation", "room", "phone", "email"), "appellate": ("designation", "phone", "email")}


def charter_header(key: str) -> str:
    bn, en = (CHARTER_META | CHARTER_COLUMNS)[key]
    return f"{bn} ({en})"


def is_charter(sheet: Sheet) -> bool:
    cell = sheet.meta.get("document")
    text = (cell_text(cell) if cell is not None else None) or sheet.title
    return text.strip().lower() in ("charter", "সিটিজেন চার্টার", "সেবা প্রদান প্রতিশ্রুতি")


def _table(ws) -> tuple[dict, dict[str, int], list] | None:
    """(labels above the table, column of each key, rows below the header) of a charter sheet."""
    meta, rows = {}, list(ws.iter_rows())
    for index, row in enumerate(rows):
        found = {}
        for cell in row:
            key = _lookup(cell.value, NAMES)
            if key and key not in found:
                found[key] = cell.column
        if "id" in found and "service" in found:
            return meta, found, rows[index + 1:]
        filled = [c for c in row if not blank(c)]
        if filled:
            key = _lookup(filled[0].value, META_NAMES)
            later = [c for c in row if c.column > filled[0].column and not blank(c)]
            if key and later:
                meta[key] = later[0]
    return None


def charter_from_sheet(report: Report, sheet: Sheet, ws, office: str) -> dict | None:
    """The charter's YAML data from its sheet; every bad cell goes to `report`."""
    found = _table(ws)
    if found is None:
        report.sheet(sheet, f"চার্টারের টেবিল নেই (no charter table): শিরোনামের সারিতে '{charter_header('id')}' ও "
                            f"'{charter_header('service')}' কলাম লাগে")
        return None
    meta, columns, rows = found
    data: dict = {"kind": "charter", "office": office}
    year = sheet.meta.get("fiscal_year")
    if year is not None and cell_text(year):
        try:
            data["fiscal_year"] = bengali.bn_fiscal_year(bengali.parse_fiscal_year(cell_text(year)))
        except ValueError as exc:
            report.cell(sheet, year, _bengali(exc))
    for key, name in (("title", "title"), ("charter_date", "date"), ("vision", "vision"), ("mission", "mission"),
                      ("source", "source")):
        if key in meta and cell_text(meta[key]):
            data[name] = cell_text(meta[key]) if key != "charter_date" else _date(report, sheet, meta[key])
    groups: dict[str, list] = {}
    count = 0
    for row in rows:
        cells = {key: row[col - 1] for key, col in columns.items() if col - 1 < len(row)}
        if all(blank(c) for k, c in cells.items() if k != "id"):  # an unused numbered row
            continue
        service = _service(report, sheet, cells)
        if service is not None:
            count += 1
            printed = cell_text(cells["id"]) if "id" in cells and not blank(cells["id"]) else None
            if printed and not _is_count(printed, count):  # the charter's own ক্রম: ০৫ after ০২, ক., খ.
                service = {"name": service["name"], "number": printed, **{k: v for k, v in service.items() if k != "name"}}
            group = cell_text(cells["group"]) if "group" in cells and not blank(cells["group"]) else "নাগরিক সেবা"
            groups.setdefault(group, []).append(service)
    if not groups:
        report.sheet(sheet, "চার্টারে কোনো সেবা নেই (no service): প্রতিটি সেবার জন্য একটি সারি পূরণ করুন")
        return None
    sections = []
    for group, services in groups.items():
        key = GROUPS.get(_norm(group)) or GROUPS.get(group)
        if key:
            data[key] = services
        else:
            sections.append({"heading": group, "services": services})
    if sections:
        data["sections"] = sections
    return data


def _is_count(text: str, count: int) -> bool:
    """'৩', '03', '3.' are the row's place in the charter; '০৫' for the third service or 'ক.' are not."""
    digits = bengali.to_ascii_digits(text).rstrip(".)। ")
    return digits.isdigit() and int(digits) == count


def _date(report: Report, sheet: Sheet, cell) -> str | None:
    try:
        return bengali.bn_date(report_date(cell, f"{CHARTER_META['charter_date'][0]} (charter's date)"))
    except Bad as exc:
        report.cell(sheet, cell, str(exc))
        return None


def _service(report: Report, sheet: Sheet, cells: dict) -> dict | None:
    name = cells.get("service")
    if name is None or blank(name):
        report.cell(sheet, cells.get("id") or next(iter(cells.values())),
                    f"সেবার সারিতে সেবার নাম নেই (needs its name); '{charter_header('service')}' কলামে নাম লিখুন")
        return None
    service: dict = {"name": cell_text(name)}
    for key in ("recipient", "method", "documents_from", "place", "fee", "payment", "legal_basis", "time_limit", "remedy",
                "remarks"):
        if key in cells and not blank(cells[key]):
            service[key] = cell_text(cells[key])
    if "documents" in cells and not blank(cells["documents"]):
        lines = [" ".join(line.split()) for line in str(cells["documents"].value).splitlines()]
        service["documents"] = [bengali.nfc(line) for line in lines if line]
    for key in ("officer_phone", "appellate_phone"):
        if key in cells and isinstance(cells[key].value, (int, float)) and not isinstance(cells[key].value, bool):
            report.cell(sheet, cells[key], f"ফোন নম্বর {shown(cells[key].value)} সংখ্যা হিসেবে রাখা (stored as a number), "
                                           "তাই শুরুর ০ হারিয়ে যায় (loses its leading 0): ঘরটি লেখা (text, @) ফরম্যাটে "
                                           "করে নম্বরটি আবার লিখুন, যেমন ০১৭১২-৩৪৫৬৭০")
            return None
    for who, field in (("officer", "officer"), ("appellate", "appellate_officer")):
        person = {part: cell_text(cells[f"{who}_{part}"]) for part in PERSON[who]
                  if f"{who}_{part}" in cells and not blank(cells[f"{who}_{part}"])}
        if person and "designation" not in person:
            first = next(cells[f"{who}_{part}"] for part in PERSON[who] if part in person)
            whose = "কর্মকর্তার" if who == "officer" else "ঊর্ধ্বতন কর্মকর্তার"
            report.cell(sheet, first, f"{whose} পদবি খালি (designation is empty); "
                                      f"'{charter_header(f'{who}_designation')}' কলামে পদবি লিখুন")
            return None
        if person and who == "officer":
            people = _officers(report, sheet, cells)
            if people is None:
                return None
            service[field] = people if len(people) > 1 else people[0]
        elif person:
            service[field] = person
    return service


def _lines(cell) -> list[str]:
    """A cell's lines, each cleaned as cell_text cleans a whole cell (an empty line stays, as a place)."""
    raw = cell.value
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = "".join(c for c in bengali.nfc(str(raw)) if c in "\n\r" or c.isspace()
                   or unicodedata.category(c) not in ("Cc", "Cs"))
    return [" ".join(line.split()) for line in text.splitlines()]


def _officers(report: Report, sheet: Sheet, cells: dict) -> list[dict] | None:
    """Several officers of one service, one per line of the designation cell (and of the name, room, phone
    and e-mail cells, line by line), as charters print ১) উপজেলা কৃষি কর্মকর্তা ২) প্রকল্প পরিচালক."""
    lines = {}
    for part in PERSON["officer"]:
        cell = cells.get(f"officer_{part}")
        if cell is not None and not blank(cell):
            lines[part] = _lines(cell)
    count = len([line for line in lines["designation"] if line])
    if count <= 1:
        return [{part: cell_text(cells[f"officer_{part}"]) for part in lines}]
    designations = [line for line in lines["designation"] if line]
    people = [{"designation": d} for d in designations]
    for part, values in lines.items():
        if part == "designation":
            continue
        if len(values) != count:
            report.cell(sheet, cells[f"officer_{part}"],
                        f"পদবির ঘরে {bengali.to_bengali_digits(str(count))} জন কর্মকর্তা (one per line), এই ঘরে "
                        f"{bengali.to_bengali_digits(str(len(values)))}টি লাইন: প্রতিটি কর্মকর্তার জন্য এক লাইন লিখুন, "
                        "যাঁর নেই তাঁর লাইন ফাঁকা রাখুন (one line per officer)")
            return None
        for person, value in zip(people, values):
            if value:
                person[part] = value
    return [{part: p[part] for part in PERSON["officer"] if part in p} for p in people]


def charter_path(catalog, plans_dir: Path, office: str, data: dict) -> Path:
    """The charter file the sheet replaces, or plans/<office>/[<fy>/]charter.yaml."""
    year = data.get("fiscal_year")
    year = bengali.parse_fiscal_year(year) if year else None
    for loaded in catalog.charters:
        if loaded.model.office == office and loaded.model.fiscal_year == year:
            return Path(loaded.path)
    return plans_dir / office / (f"{year}/charter.yaml" if year else "charter.yaml")
