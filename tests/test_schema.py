"""Editors validate plan files while typing: JSON Schemas are current and every sample names one."""

from __future__ import annotations

import json

from click.testing import CliRunner

from conftest import PLANS, ROOT
from sebabox.cli import main


def test_committed_schemas_match_the_models(tmp_path):
    result = CliRunner().invoke(main, ["schema", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for fresh in sorted(tmp_path.glob("*.schema.json")):
        committed = ROOT / "schemas" / fresh.name
        assert committed.is_file(), f"run: python build_site.py schema  ({fresh.name} missing)"
        assert json.loads(committed.read_text()) == json.loads(fresh.read_text()), \
            f"schemas/{fresh.name} is stale: run python build_site.py schema"


def test_every_sample_file_points_its_editor_at_the_right_schema():
    kinds = {"office": "office", "template": "template", "apa": "apa", "progress": "progress", "charter": "charter",
             "calendar": "calendar"}
    for path in sorted(PLANS.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        first = next(line for line in text.splitlines() if line.strip())
        assert first.startswith("# yaml-language-server: $schema="), path
        schema = (path.parent / first.split("=", 1)[1].strip()).resolve()
        assert schema.is_file(), f"{path}: {schema.name} not found"
        kind = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("kind:"))
        assert schema.name == f"{kinds.get(kind, 'plan')}.schema.json", path
