"""`import-xlsx`: the sheets of a filled workbook (read by xlsx.py) -> YAML files that pass `check`.

A sheet with a quarter becomes `plans/<office>/<fy>/<document>-q<N>.yaml`, one without becomes the
plan `<document>.yaml` (values filled into a template, or a table of its own). Every bad cell is
collected first; the YAML is then checked with the rest of the plans in a scratch copy, and only
then written, each file through a temporary file renamed into place.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from sebabox import bengali
from sebabox.errors import Problems, SebaboxError, printable, refusal, unknown_office
from sebabox.inputs.explain import hint
from sebabox.inputs.load import Catalog, load_plans
from sebabox.model import ANNEX_NUMBERS, Indicator
from sebabox.values import Value
from sebabox.inputs.xlsx import (Output, Report, Sheet, blank, cell_id, cell_number, cell_text, cell_value,
                                 document_of, fiscal_year_of, for_unit, header, meta_text, quarter_of, read_sheet,
                                 report_date, shown)
from sebabox.inputs.annotations import carry_over
from sebabox.inputs.planfiles import plan_files
from sebabox.inputs.xlsx_charter import charter_from_sheet, charter_path, is_charter
from sebabox.inputs.xlsxlimits import scan_workbook, unreadable, bytes_shown as _bytes
from sebabox.inputs.yamlsafe import YamlError, read_plan_bytes, read_yaml

# --------------------------------------------------------------------------- progress


def _progress(report: Report, sheet: Sheet, catalog: Catalog, office: str, year: str, kind: str) -> dict | None:
    quarter = report.read(sheet, sheet.meta["quarter"], quarter_of)
    as_of_cell = sheet.meta.get("as_of")
    as_of = None
    if as_of_cell is None:
        report.sheet(sheet, f"প্রতিবেদনের তারিখ নেই (no report date): টেবিলের ওপরে '{header('as_of')}' সারি যোগ "
                            "করুন, পাশের ঘরে যেমন ৩১/১২/২০২৩")
    else:
        as_of = report.read(sheet, as_of_cell, report_date)
    plan = catalog.plan_for(office, year, kind) if kind != "apa" else next(
        (a.model for a in catalog.apas if (a.model.office, a.model.fiscal_year) == (office, year)), None)
    if plan is None:
        report.sheet(sheet, f"{_plan_name(office, year, kind)} নেই (no plan to report progress on); আগে "
                            "পরিকল্পনাটি যোগ করুন (new-office, বা পরিকল্পনার শিট import-xlsx দিয়ে)")
        return None
    indicators = {ind.id: ind for area in plan.areas for ind in area.indicators}
    areas = {area.id for area in plan.areas}
    quarter_columns = [f"q{q}" for q in range(1, 5) if f"q{q}" in sheet.columns]
    if quarter is not None and f"q{quarter}" not in sheet.columns:
        report.sheet(sheet, f"কোয়ার্টার {bengali.bn_number(quarter)}-এর কলাম '{header(f'q{quarter}')}' নেই "
                            "(no column for the quarter); টেবিলের শিরোনামের সারিতে কলামটি যোগ করুন")
    achievements: dict[str, Value | None] = {}
    not_in = f"পরিকল্পনায় নেই (not in the plan): {_plan_name(office, year, kind)}"
    for ind, row in _indicator_rows(report, sheet, indicators, areas, not_in):
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


def _plan_name(office: str, year: str, kind: str) -> str:
    """'itna-upazila-cooperative-এর ২০২৩-২৪ অর্থবছরের nis পরিকল্পনা'."""
    return f"{office}-এর {bengali.bn_fiscal_year(year)} অর্থবছরের {kind} পরিকল্পনা"


def _indicator_rows(report: Report, sheet: Sheet, indicators: dict, areas: set, not_in: str):
    """(indicator, row) for each indicator row; area rows and rows without an id are skipped. `not_in`: what
    to say of an id the plan or template does not have."""
    seen: dict[str, str] = {}
    for row in sheet.rows:
        cell = row[sheet.columns["id"] - 1] if len(row) >= sheet.columns["id"] else None
        ident = report.read(sheet, cell, cell_id) if cell is not None else None
        if ident is None or (ident in areas and ident not in indicators):
            continue
        if ident in seen:
            report.cell(sheet, cell, f"সূচক {_bn(ident)} দুবার দেওয়া (given twice), প্রথমবার ঘর {seen[ident]}-এ; "
                                     "একটি সারি মুছে দিন")
            continue
        seen[ident] = cell.coordinate
        if ident not in indicators:
            report.cell(sheet, cell, f"সূচক {_bn(ident)} এই {not_in}; ক্রম (id) ঠিক করে লিখুন")
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
        report.sheet(sheet, "বার্ষিক কর্মসম্পাদন চুক্তি (APA) YAML-এ লেখা হয়; স্প্রেডশিট থেকে শুধু এর ত্রৈমাসিক "
                            f"অগ্রগতি (quarterly progress) আসে: '{header('quarter')}' সারি যোগ করুন")
        return None
    existing = catalog.plan_for(office, year, kind)
    name = meta_text(sheet, "template") or (existing.template if existing else None)
    head = {"kind": kind, "office": office, "fiscal_year": bengali.bn_fiscal_year(year), "annex": ANNEX_NUMBERS[kind]}
    if name is None:
        areas = _areas(report, sheet)
        return {**head, "areas": areas} if areas is not None else None
    loaded = catalog.templates.get((year, name))
    if loaded is None or loaded.model.document != kind:
        known = sorted(t for (fy, t), x in catalog.templates.items() if fy == year and x.model.document == kind)
        have = f"আছে: {', '.join(known)}" if known else "এই অর্থবছরের কোনো টেমপ্লেট নেই"
        message = (f"অজানা টেমপ্লেট (unknown template) {shown(name)} {bengali.bn_fiscal_year(year)} অর্থবছরের {kind}-এর "
                   f"জন্য{hint(name, known)}; {have}")
        cell = sheet.meta.get("template")
        report.cell(sheet, cell, message) if cell is not None else report.sheet(sheet, message)
        return None
    template = loaded.model
    indicators = {ind.id: ind for area in template.areas for ind in area.indicators}
    areas = {area.id for area in template.areas}
    values = {}
    for ind, row in _indicator_rows(report, sheet, indicators, areas, f"টেমপ্লেটে নেই (not in the template): {name}"):
        given = {k: v for k, v in _targets(report, sheet, row, ind).items() if getattr(ind, k) != v}
        if given:
            values[bengali.to_bengali_digits(ind.id)] = {k: _dumpable(v) for k, v in given.items()}
    return {**head, "template": name, "values": values}


def _areas(report: Report, sheet: Sheet) -> list | None:
    """A plan without a template: area rows (id ১) and indicator rows (id ১.১) with all their columns."""
    missing = [k for k in ("name", "unit", "weight") if k not in sheet.columns]
    if missing:
        report.sheet(sheet, "টেমপ্লেট ছাড়া পরিকল্পনায় এই কলামগুলো লাগে (columns needed): "
                     + ", ".join(f"'{header(k)}'" for k in missing) + f"; অথবা টেবিলের ওপরে '{header('template')}' সারি দিন")
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
            report.cell(sheet, cell("id"), f"ক্রম (id) {_bn(ident)} দুবার দেওয়া (given twice); একটি সারি মুছে দিন বা "
                                           "ক্রম ঠিক করুন")
            continue
        seen.add(ident)
        weight = report.read(sheet, cell("weight"), cell_number)
        if weight is None and not blank(cell("weight")):
            continue
        if "." not in ident:
            name_cell = cell("activity") or cell("name")
            name = cell_text(name_cell)
            if name is None:
                report.cell(sheet, name_cell, f"ক্ষেত্র (area) {_bn(ident)}-এর নাম খালি (needs its name); এই ঘরে নাম লিখুন")
            if weight is None:
                report.cell(sheet, cell("weight"), f"ক্ষেত্র (area) {_bn(ident)}-এর মান খালি (needs its weight); "
                                                   f"'{header('weight')}' ঘরে লিখুন, যেমন ৪")
            areas.append({"id": bengali.to_bengali_digits(ident), "name": name, "weight": _num(weight), "indicators": []})
            area_weights.append((cell("weight"), weight, Decimal(0)))
            continue
        if not areas:
            report.cell(sheet, cell("id"), f"সূচক {_bn(ident)} কোনো ক্ষেত্রের (area) সারির আগে এসেছে; ওপরে ক্ষেত্রের "
                                           "সারি দিন (ক্রম যেমন ১)")
            continue
        row_out = {"id": bengali.to_bengali_digits(ident)}
        for key in ("activity", "name", "unit"):
            text = cell_text(cell(key)) if cell(key) is not None else None
            if text is None and key != "activity":
                report.cell(sheet, cell(key), f"সূচক {_bn(ident)}-এর {header(key)} খালি (empty); এই ঘরে লিখুন")
            if text is not None:
                row_out[key] = text
        if weight is None:
            report.cell(sheet, cell("weight"), f"সূচক {_bn(ident)}-এর মান খালি (needs its weight); "
                                               f"'{header('weight')}' ঘরে লিখুন, যেমন ২")
        row_out["weight"] = _num(weight)
        area_cell, area_weight, total = area_weights[-1]
        area_weights[-1] = (area_cell, area_weight, total + (weight or 0))
        probe = Indicator(id=ident, name=row_out.get("name") or "-", unit=row_out.get("unit") or "-", weight=weight or 0)
        row_out |= {k: _dumpable(v) for k, v in _targets(report, sheet, row, probe).items()}
        areas[-1]["indicators"].append(row_out)
    for area, (cell, weight, total) in zip(areas, area_weights):
        ident = area["id"]
        if not area["indicators"]:
            report.cell(sheet, cell, f"ক্ষেত্র (area) {ident}-এর নিচে কোনো সূচকের সারি নেই (no indicator rows); নিচে "
                                     "সূচকের সারি দিন (ক্রম যেমন ১.১)")
        elif weight is not None and weight != total:
            report.cell(sheet, cell, f"ক্ষেত্র (area) ক্রম {ident}-এর মান (weight) {bengali.bn_number(weight)}, কিন্তু এর "
                                     f"সূচকগুলোর মান যোগ করলে {bengali.bn_number(total)}; দুটি মিলিয়ে নিন")
    return areas


def _bn(ident: str) -> str:
    return bengali.to_bengali_digits(ident)


def _num(number: Decimal | None) -> str | None:
    return bengali.bn_number(number) if number is not None else None


# --------------------------------------------------------------------------- the command


MAX_BYTES = 20_000_000
ORDER = ("kind", "office", "fiscal_year", "document", "quarter", "as_of", "annex", "title", "template")
KEPT = {"progress": ("letter", "printed"), "plan": ("title", "signatory", "notes", "attachments"),
        "charter": ("example", "source_note", "officer", "appellate_officer", "expectations", "grs", "notes",
                    "columns")}


def _schema(data: dict) -> str:
    return {"progress": "progress", "charter": "charter"}.get(data["kind"], "plan")


def import_workbook(xlsx: Path, office: str, plans_dir: Path, out: Path | None = None,
                    force: bool = False) -> list[Output]:
    """Read every sheet; raise SebaboxError listing every bad cell, or write the YAML files and return them."""
    formulas = scan_workbook(xlsx) if xlsx.is_file() and xlsx.stat().st_size <= MAX_BYTES else {}
    workbook = _open(xlsx)
    catalog = load_plans(plans_dir, Problems())
    if office not in catalog.offices:
        raise unknown_office(office, plans_dir, catalog.offices)
    report = Report(str(xlsx))
    outputs: list[Output] = []
    sheets = [(s, ws) for ws in workbook.worksheets if (s := read_sheet(ws)) is not None]
    if not sheets:
        raise refusal(f"{xlsx}: কোনো শিটে '{header('id')}' শিরোনামের টেবিল নেই (no sheet has a table); "
                      "xlsx-template দিয়ে বানানো ওয়ার্কবুকটি পূরণ করুন, শিরোনামের সারির প্রথম ঘরে লিখুন 'ক্রম (id)'")
    for sheet, ws in sheets:
        _lost_cells(report, ws, sheet, formulas.get(sheet.title, []))
    for sheet, ws in sheets:
        cell = sheet.meta.get("office")
        if cell is not None and cell_text(cell) not in (None, office):
            report.cell(sheet, cell, f"এই শিট অন্য অফিসের (this sheet is for office) {shown(cell_text(cell))}, "
                                     f"'{office}'-এর নয়; ঠিক অফিসের --office দিন, বা এই ঘরে লিখুন {office}")
            continue
        if is_charter(sheet):
            data = charter_from_sheet(report, sheet, ws, office)
            if data is not None:
                key = (office, data.get("fiscal_year"), "charter")
                outputs.append(Output(sheet.title, charter_path(catalog, plans_dir, office, data), data, key))
            continue
        year, kind = fiscal_year_of(report, sheet), document_of(report, sheet)
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
            raise refusal(f"--out একটি ফাইলের নাম নেয় (names one file), কিন্তু {xlsx}-এ আমদানির শিট "
                          f"{bengali.bn_number(len(outputs))}টি; --out বাদ দিন")
        outputs[0].path = out
    _check_targets(outputs, force)
    texts = {o.path: _yaml_text(o, xlsx) for o in outputs}
    _verify(plans_dir, texts)
    _write(texts)
    return outputs


def _lost_cells(report: Report, ws, sheet: Sheet, formulas: list[str]) -> None:
    """Cells whose value openpyxl does not give: formulas never calculated, merged cells in the table."""
    for coordinate in formulas:
        report.at(sheet.title, f"ঘর {coordinate}", "সূত্রের (formula) হিসাব করা মান সংরক্ষিত নেই (without a saved "
                  "value); ওয়ার্কবুকটি Excel বা LibreOffice-এ খুলে সংরক্ষণ করুন, বা মানটি নিজে লিখুন")
    head = sheet.rows[0][0].row - 1 if sheet.rows and sheet.rows[0] else None
    for merged in sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        if head is not None and merged.max_row > head:
            report.at(sheet.title, f"ঘর {merged.coord}", "টেবিলে একত্র করা ঘর (merged cells) শুধু প্রথম ঘরে মান রাখে; "
                      "ঘরগুলো আলাদা করে (unmerge) প্রতিটি ঘর পূরণ করুন")


class BadCells(SebaboxError):
    def __init__(self, lines: list[str], xlsx: Path):
        self.lines = lines
        super().__init__(printable(f"{xlsx}-এ {bengali.bn_number(len(lines))}টি ভুল ঘর (bad cells); কিছুই লেখা হয়নি "
                                   "(nothing was written): ওপরের প্রতিটি ঘর ঠিক করে আবার চালান"))


class Unchecked(SebaboxError):
    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("স্প্রেডশিট থেকে বানানো YAML check-এ পাস করবে না (would not pass check); কিছুই লেখা হয়নি "
                         "(nothing was written): ওপরের সমস্যাগুলো শিটে ঠিক করে আবার চালান")


def _open(xlsx: Path):
    try:
        from openpyxl import load_workbook
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise SebaboxError("স্প্রেডশিট পড়তে openpyxl লাগে (needs openpyxl): pip install openpyxl") from None
    if not xlsx.is_file():
        raise refusal(f"{xlsx}: ফাইলটি পাওয়া যায়নি (file not found); পথটি ঠিক করে লিখুন")
    if xlsx.stat().st_size > MAX_BYTES:
        raise refusal(f"{xlsx}: ফাইলটি {_bytes(xlsx.stat().st_size)} বাইট (bytes); পরিকল্পনার ওয়ার্কবুক সর্বোচ্চ "
                      f"{_bytes(MAX_BYTES)} বাইট হতে পারে (a plan's workbook is limited): শুধু এক অফিসের শিট রাখুন")
    try:
        with warnings.catch_warnings():  # "Data Validation extension is not supported" (a drop-down list), no
            warnings.simplefilter("ignore", UserWarning)  # default style…: parts not read, in English with a path
            return load_workbook(xlsx, data_only=True, read_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not .xlsx
        raise unreadable(xlsx, exc) from None


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
            raise refusal(f"দুটি শিট একই ফাইলে লিখবে (two sheets write) {output.path}; শিটগুলো আলাদা ওয়ার্কবুকে "
                          "রেখে একটি একটি করে আমদানি করুন")
        if output.path.exists() and not force:
            kept = ", ".join(KEPT[_schema(output.data)])
            raise refusal(f"{output.path} আগে থেকেই আছে (exists); বদলাতে --force দিন (pass --force to replace it): "
                          f"এর {kept} রাখা হবে, মন্তব্য (comments) থাকবে না")


def _old(output: Output) -> dict:
    """The data of the file a sheet replaces (empty when there is none or it does not read)."""
    if not output.path.exists():
        return {}
    try:
        data, _, _ = read_yaml(output.path)
    except (YamlError, OSError):
        return {}
    return data if isinstance(data, dict) else {}


def _kept(output: Output, old: dict) -> dict:
    """Keys a sheet does not carry, kept from the file it replaces."""
    keys = KEPT[_schema(output.data)]
    return {k: old[k] for k in keys if k in old}


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):  # "  - id: ১", as the hand-written files
        return super().increase_indent(flow, False)


_Dumper.add_representer(list, lambda d, v: d.represent_sequence(  # [২, null, ১, null]; lists of rows stay blocks
    "tag:yaml.org,2002:seq", v, flow_style=not any(isinstance(x, (dict, list)) for x in v)))


def _yaml_text(output: Output, xlsx: Path) -> str:
    schema = _schema(output.data)
    parts = output.path.parts  # plans/<office>/<fy>/nis.yaml: ../../../schemas; plans/<office>/charter.yaml: ../../
    up = "../" * (len(parts) - parts.index(output.data["office"])) if output.data["office"] in parts else "../../../"
    old = _old(output)
    merged = carry_over(output.data | _kept(output, old), old)  # corrections and accepted faults are kept
    order = [k for k in ORDER if k in merged] + [k for k in merged if k not in ORDER]
    data = {k: merged[k] for k in order}
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    return (f"# yaml-language-server: $schema={up}schemas/{schema}.schema.json\n"
            + printable(f"# `build_site.py import-xlsx` লিখেছে (imported) {xlsx.name} থেকে, শিট '{output.sheet}'।")
            + "\n" + body)


def _verify(plans_dir: Path, texts: dict[Path, str]) -> None:
    """Check the plans as they will be, in a scratch copy: the new files must add no error."""
    from sebabox.inputs.validate import validate

    root = plans_dir.resolve()
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "plans"
        for source in plan_files(plans_dir, Problems()):  # what check reads: no linked folders, nothing outside
            target = copy / source.relative_to(plans_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                target.write_bytes(read_plan_bytes(source))
            except (YamlError, OSError):  # check reports it on its own
                continue
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
            lines = [printable(f"{placed[p.file]}:{p.line}: error: {p.message}") for p in ours]
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
