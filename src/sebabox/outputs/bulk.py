"""Bulk open data: each office's tidy tables and Data Package, the national tables, and the zips.

Layout under data/:
  <office>/<office>-<table>.csv|json   an office's rows of each national table
  <office>/datapackage.json            its CSVs described; schema-<kind>.json: their Table Schemas
  <office>/<office>-open-data.zip      all of its data
  national/<table>.csv|json            every office's rows: the national tables
  datapackage.json                     the national tables described
  bulk/sebabox-open-data.zip           everything
  bulk/sebabox-open-data-<fy>.zip      one fiscal year: that year's rows of the national tables (made in a
                                       temporary folder, only for the zip) and its documents' files
  LICENSE.txt
The national tables are made from the offices' row files, so an incremental build that rewrote a
few offices' files makes them again by reading, not by scoring every office. Zips are byte-identical
across builds: entries sorted, one fixed timestamp, fixed permissions, the same compression.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

from sebabox.outputs import datapackage as dp
from sebabox.outputs.incremental import remove_tree
from sebabox.outputs.publish import open_output, write_bytes, write_text
from sebabox.outputs.report import document_links
from sebabox.outputs.tables import csv_safe, csv_text, outcomes_path

LICENCE_FILE = "data/LICENSE.txt"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the zip format's epoch: no build date in the bytes
EVERYTHING = "data/bulk/sebabox-open-data.zip"
DOCUMENT_TABLE_NOTE = "The document's table (section 3 / the plan, and the APA's governance block)."


def office_zip_path(slug: str) -> str:
    return f"data/{slug}/{slug}-open-data.zip"


def office_package_path(slug: str) -> str:
    return f"data/{slug}/datapackage.json"


def fiscal_year_zip_path(fiscal_year: str) -> str:
    return f"data/bulk/sebabox-open-data-{fiscal_year}.zip"


def _table_path(slug: str, table: str, ext: str) -> str:
    return f"data/{slug}/{slug}-{table}.{ext}"


def json_rows(rows: list[dict]) -> str:
    """A JSON array, one row object a line (so files concatenate and diff well)."""
    if not rows:
        return "[]\n"
    return "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n]\n"


# --------------------------------------------------------------------------- one office


def write_office(site_dir: Path, office, docs, rows: dict[str, list[dict]], created: str) -> int:
    """The office's table files, its datapackage.json (the schemas in files beside it, one per kind of
    CSV, not repeated per document) and its zip; returns the number of files."""
    slug = office.slug
    resources, schemas = [], {}
    for table, (description, columns) in dp.TABLES.items():
        if not rows[table]:
            continue
        csv_path = _table_path(slug, table, "csv")
        write_text(site_dir, _table_path(slug, table, "json"), json_rows(rows[table]))
        size = len(write_text(site_dir, csv_path, csv_text(columns, rows[table])).read_bytes())
        schemas[table] = columns
        resources.append(dp.csv_resource(table, Path(csv_path).name, f"schema-{table}.json", description, size))
    for doc in docs:
        for path, kind, columns, note in _document_csvs(doc):
            schemas[kind] = columns
            size = (site_dir / path).stat().st_size
            resources.append(dp.csv_resource(Path(path).stem, Path(path).name, f"schema-{kind}.json", note, size))
    for kind, columns in schemas.items():
        write_text(site_dir, f"data/{slug}/schema-{kind}.json", _json(dp.table_schema(columns)))
    package = dp.package(slug, office.name, f"Plans, reports and scores of {office.name_en or office.name}.",
                         resources, created)
    write_text(site_dir, office_package_path(slug), _json(package))
    folder = site_dir / "data" / slug
    members = [(p.name, p) for p in sorted(folder.iterdir()) if p.is_file() and p.suffix != ".zip"]
    write_zip(site_dir, office_zip_path(slug), [*members, ("LICENSE.txt", site_dir / LICENCE_FILE)])
    return 2 * len(rows) + len(schemas) + 2


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _document_csvs(doc):
    """(path, schema kind, columns, description) of a document's CSVs and of its quarterly reports'."""
    if doc.kind == "charter":  # one row per service, the national charter_services table's columns
        description, columns = dp.TABLES["charter_services"]
        return [(doc.links.csv, "charter_services", columns, description)]
    found = [(doc.links.csv, "document", dp.DOCUMENT_CSV, DOCUMENT_TABLE_NOTE)]
    if doc.kind == "apa" and not doc.template_name:
        found.append((outcomes_path(doc), "outcomes-section2", dp.OUTCOMES_CSV,
                      "APA section 2: outcomes with actuals, target, projections."))
    for progress in doc.progress:
        links = document_links(doc.office.slug, doc.fiscal_year, f"{doc.kind}-q{progress.quarter}")
        found.append((links.csv, "document", dp.DOCUMENT_CSV, f"Quarter {progress.quarter} report: " + DOCUMENT_TABLE_NOTE))
    return found


# --------------------------------------------------------------------------- national


def write_national(site_dir: Path, slugs: list[str], created: str, sizes: dict[str, int]) -> list[str]:
    """National tables, their datapackage, and the zips of each year and of everything; returns the fiscal
    years. `sizes` receives the size of every file the data page lists."""
    years_root = Path(tempfile.mkdtemp(prefix=".sebabox-years-", dir=site_dir.parent))
    try:
        years: set[str] = set()
        for table, (_, columns) in dp.TABLES.items():
            years |= _write_table(site_dir, years_root, table, columns, slugs, sizes)
        years_sorted = sorted(years)
        _fill_years(site_dir, years_root, years_sorted)
        resources = [dp.csv_resource(t, f"national/{t}.csv", c, d, sizes[f"data/national/{t}.csv"])
                     for t, (d, c) in dp.TABLES.items()]
        write_text(site_dir, "data/datapackage.json", _json(dp.package(
            "sebabox", TITLE, TITLE + ".", resources, created)))
        sizes["data/datapackage.json"] = (site_dir / "data/datapackage.json").stat().st_size
        data = site_dir / "data"
        for fy in years_sorted:
            resources = [dp.csv_resource(t, f"{t}.csv", c, d, (years_root / fy / f"{t}.csv").stat().st_size)
                         for t, (d, c) in dp.TABLES.items()]
            title = f"{TITLE}, fiscal year {fy}"
            write_text(years_root, f"{fy}/datapackage.json", _json(dp.package(f"sebabox-{fy}", title, title + ".",
                                                                               resources, created)))
            members = [(p.name, p) for p in sorted((years_root / fy).iterdir())]
            for slug in slugs:
                members += [(f"{slug}/{p.name}", p) for p in sorted((data / slug).glob(f"{slug}-{fy}-*"))
                            if p.suffix != ".zip"]
            write_zip(site_dir, fiscal_year_zip_path(fy), [*members, ("LICENSE.txt", data / "LICENSE.txt")])
            sizes[fiscal_year_zip_path(fy)] = (site_dir / fiscal_year_zip_path(fy)).stat().st_size
    finally:
        remove_tree(years_root)
    write_zip(site_dir, EVERYTHING, _everything(data))
    sizes[EVERYTHING] = (site_dir / EVERYTHING).stat().st_size
    for name in ("data/offices.json", LICENCE_FILE):
        sizes[name] = (site_dir / name).stat().st_size
    return years_sorted


TITLE = "sebabox: every office's plans, reports and scores"


def _write_table(site_dir: Path, years_root: Path, table: str, columns, slugs: list[str],
                 sizes: dict[str, int]) -> set[str]:
    """data/national/<table>.csv|json and one pair per fiscal year (under years_root), streamed office by
    office; returns the fiscal years met."""
    names = [c.name for c in columns]
    header = csv_text(names, []).encode("utf-8")
    with contextlib.ExitStack() as stack:
        outputs: dict[str, list] = {}

        def files(key: str) -> list:
            if key not in outputs:
                root, folder = (years_root, key) if key else (site_dir, "data/national")
                pair = [stack.enter_context(open_output(root, f"{folder}/{table}.{ext}")) for ext in ("csv", "json")]
                pair[0].write(header)
                pair[1].write(b"[")
                outputs[key] = [*pair, True]
                stack.callback(lambda entry=outputs[key]: entry[1].write(b"]\n" if entry[2] else b"\n]\n"))
            return outputs[key]

        files("")
        line = _CsvLine(names)
        for slug in slugs:
            path = site_dir / _table_path(slug, table, "json")
            if not path.is_file():
                continue
            # the office's file has one row a line (json_rows): the line is the national JSON's row as it is
            # split on \n only: JSON keeps U+2028 and other line breaks inside strings as they are
            for text in path.read_text(encoding="utf-8").split("\n")[1:-2]:
                text = text.removesuffix(",")
                row = json.loads(text)
                line_csv, line_json = line(row), text.encode("utf-8")
                for key in ("", row["fiscal_year"]) if row.get("fiscal_year") else ("",):
                    entry = files(key)
                    entry[0].write(line_csv)
                    entry[1].write((b"\n" if entry[2] else b",\n") + line_json)
                    entry[2] = False
    for ext in ("csv", "json"):
        sizes[f"data/national/{table}.{ext}"] = (site_dir / f"data/national/{table}.{ext}").stat().st_size
    return {key for key in outputs if key}


def _fill_years(site_dir: Path, years_root: Path, years: list[str]) -> None:
    """Every year's folder has every table: the whole office directory, and the header of a table
    without rows in that year."""
    for fy in years:
        for table, (_, columns) in dp.TABLES.items():
            for ext in ("csv", "json"):
                target = f"{fy}/{table}.{ext}"
                if (years_root / target).exists():
                    continue
                if table == "offices":
                    write_bytes(years_root, target, (site_dir / f"data/national/{table}.{ext}").read_bytes())
                else:
                    write_text(years_root, target, csv_text(columns, []) if ext == "csv" else "[]\n")


class _CsvLine:
    """One formula-safe CSV line (CRLF) of a row, by one reused writer."""

    def __init__(self, names: list[str]):
        self.names, self.buffer = names, io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\r\n")

    def __call__(self, row: dict) -> bytes:
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writer.writerow([csv_safe(row.get(name)) for name in self.names])
        return self.buffer.getvalue().encode("utf-8")


def _everything(data: Path) -> list[tuple[str, Path]]:
    """Every file under data/ but the zips."""
    members = []
    for folder, _, names in os.walk(data):
        rel = Path(folder).relative_to(data)
        members += [((rel / n).as_posix(), Path(folder, n)) for n in names if not n.endswith(".zip")]
    return members


def write_zip(site_dir: Path, relative: str, members: list[tuple[str, Path]]) -> None:
    """A zip that is the same bytes for the same files: sorted entries, fixed time and permissions."""
    with open_output(site_dir, relative) as out, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for arcname, path in sorted(members, key=lambda m: m[0]):
            info = zipfile.ZipInfo(arcname, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            info.file_size = path.stat().st_size
            with open(path, "rb") as src, zf.open(info, "w") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
        zf.comment = f"sebabox open data. Licence: {dp.LICENCE['title']} ({dp.LICENCE['path']})".encode()

