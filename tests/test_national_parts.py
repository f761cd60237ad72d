"""The national open data in parts (outputs/parts.py), as a researcher and a publisher see it: the parts read
one after another as datapackage.json says are exactly every office's rows; every part's zips unpack into one
folder that is the site's data; the package is valid for Frictionless; after one office's update only its
part's files change, and they are the bytes of a fresh build; a site of one part keeps the files it had."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

from click.testing import CliRunner

from sebabox.cli import main
from sebabox.outputs import datapackage as dp

from conftest import config_with

AS_OF = "2024-11-01"


def _build(plans: Path, out: Path, config: Path, cache: Path, monkeypatch) -> Path:
    monkeypatch.setenv("SEBABOX_CACHE", str(cache))
    result = CliRunner().invoke(main, ["build", "--plans", str(plans), "--out", str(out), "--config", str(config),
                                       "--no-pdf", "--no-search", "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    return out


def _csv_rows(data: bytes) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    return rows[0], rows[1:]


def _parts(site: Path) -> dict[str, list[str]]:
    """Each table's part CSVs, in the order datapackage.json gives them."""
    package = json.loads((site / "data/datapackage.json").read_text(encoding="utf-8"))
    return {resource["name"]: resource["path"] for resource in package["resources"]}


def test_the_countrys_tables_read_part_after_part_as_the_datapackage_says_are_every_offices_rows(
        plans_copy, tmp_path, monkeypatch):
    site = _build(plans_copy, tmp_path / "site", config_with(tmp_path / "conf", national_part_offices=2),
                  tmp_path / "cache", monkeypatch)
    data = site / "data"
    parts = _parts(site)
    assert sorted(parts) == sorted(dp.TABLES)
    offices = json.loads((data / "offices.json").read_text(encoding="utf-8"))["offices"]
    assert len(parts["indicators"]) >= len(offices) / 2  # at most 2 offices a part
    assert not (data / "national/indicators.csv").exists()  # no file of the whole country
    for table, paths in parts.items():
        header = [c.name for c in dp.TABLES[table][1]]
        together, json_rows, office_rows, office_json = [], [], [], []
        for path in paths:
            names, rows = _csv_rows((data / path).read_bytes())  # every part a whole CSV with its header
            assert names == header, path
            together += rows
            json_rows += json.loads((data / path).with_suffix(".json").read_text(encoding="utf-8"))
        seen = set()
        for path in paths:  # the offices in the parts' order: each office's own rows, in its own files
            for row in csv.DictReader(io.StringIO((data / path).read_bytes().decode("utf-8-sig"), newline="")):
                if row["office"] in seen:
                    continue
                seen.add(row["office"])
                own = data / row["office"] / f"{row['office']}-{table}.csv"
                office_rows += _csv_rows(own.read_bytes())[1]
                office_json += json.loads(own.with_suffix(".json").read_text(encoding="utf-8"))
        assert together == office_rows and json_rows == office_json, table
        every = {p.parent.name for p in data.glob(f"*/*-{table}.csv") if p.name == f"{p.parent.name}-{table}.csv"}
        assert seen == every, table  # no office left out, none twice
    assert sum(bool(json.loads((data / path).with_suffix(".json").read_text(encoding="utf-8")))
               for path in parts["indicators"]) >= 3  # rows in several parts, not all in one

    # Frictionless reads each table whole: the header once, every part's rows
    from frictionless import Package

    package = Package(str(data / "datapackage.json"))
    rows = package.get_resource("indicators").read_rows()
    assert len(rows) == sum(len(_csv_rows((data / p).read_bytes())[1]) for p in parts["indicators"])
    report = package.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]

    # every part's zip unpacked into one folder is the site's data (the whole-country files aside)
    unpacked = tmp_path / "unpacked"
    zips = sorted((data / "bulk").glob("sebabox-open-data-*.zip"))
    everything = [z for z in zips if not re.search(r"-\d{4}-\d{2}$", z.stem)]  # not a fiscal year's
    assert len(everything) == len(parts["indicators"])
    for path in everything:
        with zipfile.ZipFile(path) as zf:
            assert zf.testzip() is None
            zf.extractall(unpacked)
    for path in unpacked.rglob("*"):
        if path.is_file() and not path.name.startswith("datapackage-"):
            assert path.read_bytes() == (data / path.relative_to(unpacked)).read_bytes(), path
    assert {p.relative_to(unpacked) for p in unpacked.glob("national/*/*")} == \
        {p.relative_to(data) for p in data.glob("national/*/*")}
    from frictionless import Package as Unpacked

    (unpacked / "datapackage.json").write_bytes((data / "datapackage.json").read_bytes())
    assert len(Unpacked(str(unpacked / "datapackage.json")).get_resource("indicators").read_rows()) == len(rows)

    # the data page says how the country's data is split and how to get all of it
    page = (site / "open-data/index.html").read_text(encoding="utf-8")
    assert f"{len(parts['indicators'])}টি ভাগে".translate(str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")) in page
    assert "datapackage.json" in page and "pd.concat" in page and "awk" in page
    assert all(f'href="../data/bulk/{z.name}"' in page for z in zips)


def _update_report(plans: Path) -> None:
    report = plans / "itna-upazila-cooperative/2023-24/nis-q1.yaml"
    text = report.read_text(encoding="utf-8")
    changed = text.replace("\n  ৪.১: ১\n", "\n  ৪.১: ০\n")  # a quarter's achievement corrected
    assert changed != text
    report.write_text(changed, encoding="utf-8")


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for folder in ("data/national", "data/bulk")
            for p in sorted((site / folder).rglob("*")) if p.is_file()}


def test_after_one_offices_update_only_its_parts_files_change_and_are_those_of_a_fresh_build(
        plans_copy, tmp_path, monkeypatch):
    config = config_with(tmp_path / "conf", national_part_offices=2)
    cache = tmp_path / "cache"
    before = _files(_build(plans_copy, tmp_path / "first", config, cache, monkeypatch))
    _update_report(plans_copy)
    again = _build(plans_copy, tmp_path / "again", config, cache, monkeypatch)
    after = _files(again)
    fresh = _files(_build(plans_copy, tmp_path / "fresh", config, tmp_path / "empty", monkeypatch))
    assert after == fresh
    part = next(p for p in _parts(again)["indicators"] if "itna-upazila-cooperative" in
                (again / "data" / p).read_text(encoding="utf-8"))
    name = part.removeprefix("national/indicators/indicators-").removesuffix(".csv")
    changed = sorted(path for path in after if after[path] != before.get(path))
    assert changed and all(name in path for path in changed), changed
    assert any(path.endswith(f"indicators-{name}.json") for path in changed)
    assert any(path == f"data/bulk/sebabox-open-data-{name}.zip" for path in changed)
    # the unchanged parts were linked, not written: the same file as the previous build's
    unchanged = next(path for path in after if path.startswith("data/bulk/") and name not in path)
    assert (again / unchanged).stat().st_ino == (tmp_path / "first" / unchanged).stat().st_ino


def test_a_kept_part_changed_on_disk_is_written_again_not_reused(plans_copy, tmp_path, monkeypatch):
    config = config_with(tmp_path / "conf", national_part_offices=2)
    cache = tmp_path / "cache"
    first = _build(plans_copy, tmp_path / "first", config, cache, monkeypatch)
    target = first / "data" / _parts(first)["indicators"][-1]
    with open(target, "r+b") as handle:  # written through the link into the kept copy: it is no longer the part
        handle.seek(10)
        handle.write(b"X")
    again = _files(_build(plans_copy, tmp_path / "again", config, cache, monkeypatch))
    fresh = _files(_build(plans_copy, tmp_path / "fresh", config, tmp_path / "empty", monkeypatch))
    assert again == fresh


def test_a_site_of_one_part_keeps_one_file_per_table_and_one_zip_of_everything(plans_copy, tmp_path, monkeypatch):
    site = _build(plans_copy, tmp_path / "site", config_with(tmp_path / "conf"), tmp_path / "cache", monkeypatch)
    assert (site / "data/national/indicators.csv").is_file() and (site / "data/bulk/sebabox-open-data.zip").is_file()
    assert not (site / "data/national/indicators").exists()
    assert _parts(site)["indicators"] == "national/indicators.csv"
