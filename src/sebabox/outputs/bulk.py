"""Bulk open data: each office's tidy tables and Data Package, the national tables, and the zips.

Layout under data/:
  <office>/<office>-<table>.csv|json   an office's rows of each national table
  <office>/datapackage.json            its CSVs described; schema-<kind>.json: their Table Schemas
  <office>/<office>-open-data.zip      all of its data
  national/<table>.csv|json            every office's rows: the national tables
  datapackage.json                     the national tables described
  bulk/sebabox-open-data.zip           everything
  bulk/sebabox-open-data-<fy>.zip      one fiscal year: that year's rows of the national tables (only in
                                       the zip) and its documents' files
  LICENSE.txt
The national tables and the big zips are national.py's; zips.py writes every zip (byte-identical
across builds: entries sorted, one fixed timestamp, fixed permissions, the same compression).
"""

from __future__ import annotations

import json
from pathlib import Path

from sebabox.outputs import datapackage as dp
from sebabox.outputs.national import (EVERYTHING, LICENCE_FILE, fiscal_year_zip_path, office_zip_path,
                                      table_path as _table_path)
from sebabox.outputs.publish import write_text
from sebabox.outputs.report import document_links
from sebabox.outputs.tables import csv_text, outcomes_path
from sebabox.outputs.zips import write_zip

__all__ = ["EVERYTHING", "LICENCE_FILE", "fiscal_year_zip_path", "office_zip_path", "office_package_path",
           "write_office", "json_rows"]

DOCUMENT_TABLE_NOTE = "The document's table (section 3 / the plan, and the APA's governance block)."


def office_package_path(slug: str) -> str:
    return f"data/{slug}/datapackage.json"


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
