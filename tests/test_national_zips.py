"""The national zips as a researcher unpacks them: every member is the file the site serves, each fiscal year's
tables are that year's rows, `unzip -t` finds no error; and a build that reused compressed parts from the cache
(national.py) gives the same bytes as one that compressed everything afresh, even after an office changed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from sebabox.cli import main
from sebabox.outputs import national

ROOT = Path(__file__).resolve().parent.parent
BULK = ("data/bulk/sebabox-open-data.zip", "data/bulk/sebabox-open-data-2024-25.zip",
        "data/bulk/sebabox-open-data-2023-24.zip")


def _build(plans: Path, out: Path, cache: Path, monkeypatch) -> Path:
    monkeypatch.setenv("SEBABOX_CACHE", str(cache))
    result = CliRunner().invoke(main, ["build", "--plans", str(plans), "--out", str(out), "--no-pdf", "--no-search",
                                       "--as-of", "2024-06-30"])
    assert result.exit_code == 0, result.output
    return out


def test_every_member_of_the_national_zips_is_the_file_the_site_serves(plans_copy, tmp_path, monkeypatch):
    site = _build(plans_copy, tmp_path / "site", tmp_path / "cache", monkeypatch)
    with zipfile.ZipFile(site / national.EVERYTHING) as zf:
        assert zf.testzip() is None
        names = zf.namelist()
        assert len(names) > 100
        for name in names:
            assert zf.read(name) == (site / "data" / name).read_bytes(), name
    for relative in BULK[1:]:
        fiscal_year = re.search(r"(\d{4}-\d{2})\.zip$", relative)[1]
        with zipfile.ZipFile(site / relative) as zf:
            assert zf.testzip() is None
            everywhere = json.loads((site / "data/national/indicators.json").read_text(encoding="utf-8"))
            that_year = json.loads(zf.read("indicators.json"))
            assert that_year and that_year == [row for row in everywhere if row.get("fiscal_year") == fiscal_year]
            assert zf.read("offices.csv") == (site / "data/national/offices.csv").read_bytes()
            for name in zf.namelist():
                if "/" in name:  # an office's own file of that year
                    assert fiscal_year in name and zf.read(name) == (site / "data" / name).read_bytes(), name
    tested = subprocess.run(["unzip", "-tq", str(site / national.EVERYTHING)], capture_output=True, text=True) \
        if shutil.which("unzip") else None
    assert tested is None or (tested.returncode == 0 and "No errors" in tested.stdout), tested and tested.stdout


def test_reused_compressed_parts_give_the_bytes_of_a_fresh_build_after_an_office_changes(plans_copy, tmp_path,
                                                                                          monkeypatch):
    warm = tmp_path / "warm-cache"
    _build(plans_copy, tmp_path / "first", warm, monkeypatch)
    report = plans_copy / "itna-upazila-cooperative/2023-24/nis-q1.yaml"
    text = report.read_text(encoding="utf-8")
    changed = text.replace("\n  ৪.১: ১\n", "\n  ৪.১: ০\n")  # a quarter's achievement corrected (a warning, not an error)
    assert changed != text
    report.write_text(changed, encoding="utf-8")
    again = _build(plans_copy, tmp_path / "again", warm, monkeypatch)  # every other office's parts from the cache
    fresh = _build(plans_copy, tmp_path / "fresh", tmp_path / "empty-cache", monkeypatch)
    assert any((warm / "national").rglob("*.pack"))
    for relative in [*BULK, "data/national/indicators.csv", "data/national/governance.json",
                     "data/national/documents.csv", "data/national/indicators.json", "data/datapackage.json"]:
        if (fresh / relative).exists():
            assert (again / relative).read_bytes() == (fresh / relative).read_bytes(), relative
    assert (again / "data/national/indicators.json").read_bytes() != (tmp_path / "first/data/national/indicators.json").read_bytes()


def test_a_file_that_differs_from_its_office_zip_is_compressed_from_the_file(plans_copy, tmp_path, monkeypatch):
    site = _build(plans_copy, tmp_path / "site", tmp_path / "cache", monkeypatch)
    own = site / "data/itna-upazila-cooperative/itna-upazila-cooperative-2023-24-nis.csv"
    own.unlink()  # a hard link into nothing else: write a new file, not through the link
    own.write_bytes(b"\xef\xbb\xbfchanged,after,the,office,zip\r\n")
    slugs = sorted(p.name for p in (site / "data").iterdir() if p.is_dir() and p.name not in ("national", "bulk"))
    national.write_national(site, slugs, "2024-06-30T00:00:00Z", {}, tmp_path / "cache" / "national")
    with zipfile.ZipFile(site / national.EVERYTHING) as zf:
        assert zf.read("itna-upazila-cooperative/itna-upazila-cooperative-2023-24-nis.csv") == own.read_bytes()
