"""Which files under plans/ are plan files: the one list that check, build, --incremental and import-xlsx read.

Only regular files named *.yaml or *.yml (lower case) inside the plans directory are read. Everything
else that looks like a plan gets a located message instead of being skipped in silence or hanging
the build: a linked folder (not walked: no loops, nothing outside plans/), a link leading outside or
nowhere, a FIFO or device (reading it would block or never end), `.YAML`/`.Yaml`/`.yaml.txt` names,
hidden files, folders named like files.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from sebabox.errors import Problems

SUFFIXES = (".yaml", ".yml")
_SAVED_AS = re.compile(r"\.(ya?ml)\.[^.]+$", re.IGNORECASE)  # nis.yaml.txt (Notepad), nis.yaml.bak


def plan_files(plans_dir: Path, problems: Problems) -> list[Path]:
    """Every plan file under plans_dir, sorted; a located message for each entry that is not read."""
    if not plans_dir.is_dir():
        problems.error(plans_dir, 1, "plans directory not found")
        return []
    root = plans_dir.resolve()
    found = []
    for folder, dirs, names in os.walk(plans_dir):  # followlinks=False: linked folders are not walked
        here = Path(folder)
        dirs[:] = [d for d in sorted(dirs) if _walk_into(here / d, problems)]
        for name in names:
            path = here / name
            if _is_plan_name(path, problems) and _readable(path, root, problems):
                found.append(path)
    return sorted(found)


def _walk_into(path: Path, problems: Problems) -> bool:
    if path.name.startswith("."):  # .git, editors' folders
        return False
    if path.is_symlink():
        problems.warning(path, 1, "a linked folder is not read (links are not followed in the plans "
                                  "directory); move or copy its files here")
        return False
    if path.name.lower().endswith(SUFFIXES):
        problems.warning(path, 1, "a folder named like a plan file: only the files inside it are read")
    return True


def _is_plan_name(path: Path, problems: Problems) -> bool:
    name = path.name
    if not name.lower().endswith(SUFFIXES) and not _SAVED_AS.search(name):
        return False
    if name.startswith("."):
        problems.warning(path, 1, "a hidden file is not read (its name starts with '.'); rename it if it is a plan")
        return False
    if name.endswith(SUFFIXES):
        return True
    problems.error(path, 1, f"not read: plan files end in .yaml or .yml in lower case; rename it to "
                            f"{_renamed(name)!r} (or remove it)")
    return False


def _renamed(name: str) -> str:
    saved_as = _SAVED_AS.search(name)
    if saved_as:
        return name[: saved_as.start()] + "." + saved_as.group(1).lower()
    base, suffix = name.rsplit(".", 1)
    return f"{base}.{suffix.lower()}"


def _readable(path: Path, root: Path, problems: Problems) -> bool:
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):
                problems.error(path, 1, "a link to a missing file (or a loop of links); replace it by the file")
                return False
            if not target.is_relative_to(root):
                problems.error(path, 1, "links outside the plans directory are not followed")
                return False
            info = os.stat(path)
    except OSError as exc:
        problems.error(path, 1, f"cannot read file: {exc.strerror}")
        return False
    if not stat.S_ISREG(info.st_mode):
        problems.error(path, 1, f"not a regular file ({_kind(info.st_mode)}); a plan file must be a plain text file")
        return False
    return True


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"),
                       (stat.S_ISBLK, "a device"), (stat.S_ISDIR, "a folder")):
        if test(mode):
            return name
    return "not a file"
