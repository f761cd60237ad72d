"""Helpers shared by the seed fault tests: run `check` on a fixture tree, find the line a fault is on."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from sebabox.cli import main


def run_check(tree: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", str(tree)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def line_of(path: Path, needle: str, occurrence: int = 1, whole: bool = False) -> int:
    """Line number of the `occurrence`-th non-comment line containing (or, if `whole`, being) `needle`."""
    hits = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if not line.lstrip().startswith("#") and (line == needle if whole else needle in line)]
    assert len(hits) >= occurrence, f"{needle!r} not in {path}"
    return hits[occurrence - 1]
