"""build --incremental: one office's quarterly update rebuilds that office and its parents, and the result is
byte-identical to a full build; the published site is never written through its hard links."""

import filecmp
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from sebabox.outputs import incremental
from sebabox.cli import main
from sebabox.tools.synthetic import generate

ROOT = Path(__file__).resolve().parent.parent


def _build(plans: Path, out: Path, *extra: str):
    result = CliRunner().invoke(main, ["build", "--plans", str(plans), "--out", str(out), "--no-pdf", *extra])
    assert result.exit_code == 0, result.output
    return result.output


def _differences(a: Path, b: Path) -> list[str]:
    out = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        out.extend(prefix + n for n in cmp.left_only + cmp.right_only + cmp.diff_files + cmp.funny_files)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(a, b), "")
    return out


@pytest.fixture()
def plans(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    generate(6, tmp_path / "plans", ROOT / "plans")
    return tmp_path / "plans"


@pytest.mark.parametrize("gnu_tools", [
    pytest.param(True, marks=pytest.mark.skipif(not incremental.GNU_TOOLS, reason="no GNU cp/rm on this machine")),
    False,  # the portable Python copy
], ids=["cp-al", "python"])
def test_quarterly_update_rebuilds_one_office_like_a_full_build(plans, tmp_path, monkeypatch, gnu_tools):
    monkeypatch.setattr(incremental, "GNU_TOOLS", gnu_tools)
    site = tmp_path / "site"
    assert "full build" in _build(plans, site, "--incremental")
    published = site / "data" / "upazila-0" / "upazila-0-2023-24-apa-q2.json"
    before = published.read_text(encoding="utf-8")
    keep = tmp_path / "keep.json"
    os.link(published, keep)  # a reader holding the published file sees it unchanged
    report = plans / "upazila-0" / "2023-24" / "apa-q2.yaml"
    report.write_text(re.sub(r'(\n  \S+: )"[০-৯]+"', r'\1"৯৯"', report.read_text(encoding="utf-8"), count=1),
                      encoding="utf-8")

    output = _build(plans, site, "--incremental")

    assert "rebuilding 1 changed office(s): upazila-0" in output
    assert keep.read_text(encoding="utf-8") == before
    assert '"৯৯"' not in before and "99" in published.read_text(encoding="utf-8")
    _build(plans, tmp_path / "full")
    assert _differences(site, tmp_path / "full") == []


def test_template_change_falls_back_to_a_full_build(plans, tmp_path):
    site = tmp_path / "site"
    _build(plans, site, "--incremental")
    template = next((plans / "_templates").rglob("nis-field.yaml"))
    template.write_text(template.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert "full build" in _build(plans, site, "--incremental")
