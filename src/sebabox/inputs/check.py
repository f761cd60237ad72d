"""load -> validate: the one entry point that the CLI, the build and the tools use to read plans."""

from __future__ import annotations

import os
from pathlib import Path

from sebabox.errors import Problems
from sebabox.paths import project_cache

TEMPLATES = "_templates"


def check_plans(plans_dir: Path, cache_root: Path | None = None, select=None, files=None) -> tuple[Problems, object]:
    """Load and validate; with `cache_root`, files unchanged since the last load are not parsed again."""
    from sebabox.inputs.load import load_plans, no_garbage_collection
    from sebabox.inputs.parsecache import ParseCache
    from sebabox.inputs.validate import validate

    problems = Problems()
    cache = ParseCache(cache_root, plans_dir) if cache_root is not None else None
    catalog = load_plans(plans_dir, problems, cache, select, files)
    if not problems.errors:
        with no_garbage_collection():
            validate(catalog, problems)
    return problems, catalog


def plans_root(path: Path) -> Path | None:
    """The plans folder that `path` (a folder or a file) lies in: the nearest folder, itself or above, that
    holds the national templates (_templates/) or is named plans. As written: plans/a/2023-24 -> plans."""
    start = path if path.is_dir() else path.parent
    folder = start.resolve()
    for up in range(len(folder.parts)):
        if (folder / TEMPLATES).is_dir() or folder.name == "plans":
            return start if up == 0 else Path(os.path.normpath(start / os.path.join(*[".."] * up)))
        folder = folder.parent
    return None


def check_path(path: Path) -> tuple[Problems, list[str]]:
    """Check a whole plans folder, or any part of one (an office, a year folder, one file) against the
    repository it lies in: templates, offices and parents come from that plans/ folder.

    Returns the problems to show and the files checked. Problems of the part are shown; of the files it
    was checked against (every office.yaml, the templates, the other files of its year folders), only
    errors, since those make the part's own check incomplete."""
    if not path.exists():
        problems = Problems()
        problems.error(path, 1, "ফাইল বা ফোল্ডারটি পাওয়া যায়নি (not found); পথটি ঠিক করে লিখুন")
        return problems, []
    root = plans_root(path)
    if root is None and path.is_file():  # a file outside any plans folder: read alone
        problems, _ = check_plans(path.parent, files=[path])
        return problems, [str(path)]
    if root is None or root.resolve() == path.resolve():
        problems, catalog = check_plans(path)
        return problems, catalog.files  # the files read: an unreadable one is counted by its error
    target = path.resolve()
    folders = {p.parent for p in ([target] if target.is_file() else target.rglob("*.y*ml"))}

    def inside(file: Path) -> bool:
        resolved = file.resolve()
        return resolved == target or target in resolved.parents

    def needed(file: Path) -> bool:
        relative = file.resolve().relative_to(root.resolve())
        return (inside(file) or file.name == "office.yaml" or relative.parts[:1] == (TEMPLATES,)
                or file.resolve().parent in folders)

    checked: list[str] = []

    def select(file: Path) -> bool:
        if inside(file):
            checked.append(str(file))
        return needed(file)

    problems, _ = check_plans(root, select=select)
    shown = Problems(p for p in problems if inside(Path(p.file)) or (p.severity == "error" and needed(Path(p.file))))
    return shown, checked


def parse_cache_root(config_file: Path) -> Path:
    return project_cache(config_file) / "parsed"
