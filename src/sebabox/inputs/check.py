"""load -> validate: the one entry point that the CLI, the build and the tools use to read plans."""

from __future__ import annotations

from pathlib import Path

from sebabox.errors import Problems
from sebabox.paths import project_cache


def check_plans(plans_dir: Path, cache_root: Path | None = None) -> tuple[Problems, object]:
    """Load and validate; with `cache_root`, files unchanged since the last load are not parsed again."""
    from sebabox.inputs.load import load_plans, no_garbage_collection
    from sebabox.inputs.parsecache import ParseCache
    from sebabox.inputs.validate import validate

    problems = Problems()
    cache = ParseCache(cache_root, plans_dir) if cache_root is not None else None
    catalog = load_plans(plans_dir, problems, cache)
    if not problems.errors:
        with no_garbage_collection():
            validate(catalog, problems)
    return problems, catalog


def parse_cache_root(config_file: Path) -> Path:
    return project_cache(config_file) / "parsed"
