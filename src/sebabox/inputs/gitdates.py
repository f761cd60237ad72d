"""When each plan file was first published: the date of the git commit that added it.

One `git log` for the whole plans directory (not one call per file). The date is
the commit's, in Bangladesh time (UTC+6). A file git does not know (not committed,
no repository, no git) has no date, and so does a file whose first commit is the
cut-off of a shallow clone (`fetch-depth: 1`): there git shows every file as added
by that commit, which would be an invented date. CI needs the full history
(actions/checkout with `fetch-depth: 0`).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

DHAKA = dt.timezone(dt.timedelta(hours=6))
_MARK = "\x1e"  # starts each commit's header line in the log


def first_published(plans_dir: Path) -> dict[Path, dt.date]:
    """{resolved file path: date of the commit that first added it} for the files under plans_dir."""
    if shutil.which("git") is None or not plans_dir.is_dir():
        return {}
    top = _git(plans_dir, "rev-parse", "--show-toplevel")
    if top is None:
        return {}
    root = Path(top.strip())
    shallow = _shallow_boundaries(plans_dir)
    log = _git(plans_dir, "log", "--reverse", "--diff-filter=A", "--no-renames", "--name-only",
               f"--format={_MARK}%H %ct", "--", ".")
    if log is None:
        return {}
    return _parse(log, root, shallow)


def _parse(log: str, root: Path, shallow: set[str]) -> dict[Path, dt.date]:
    dates: dict[Path, dt.date] = {}
    unknown: set[Path] = set()
    commit_date, boundary = None, False
    folders: dict[str, str] = {}  # a folder as git names it -> resolved: one realpath per folder, not per file
    for line in log.split("\n"):  # not splitlines(): it splits at the \x1e mark too
        if line.startswith(_MARK):
            sha, stamp = line[1:].split()
            commit_date = dt.datetime.fromtimestamp(int(stamp), DHAKA).date()
            boundary = sha in shallow
        elif line and commit_date is not None:
            folder, _, name = line.rpartition("/")
            if folder not in folders:
                folders[folder] = os.path.realpath(os.path.join(root, folder))
            real = os.path.join(folders[folder], name)
            path = Path(os.path.realpath(real) if os.path.islink(real) else real)  # = (root / line).resolve()
            if path in dates or path in unknown:
                continue  # --reverse: the first add is the publication; a re-add after deletion is not
            if boundary:
                unknown.add(path)
            else:
                dates[path] = commit_date
    return dates


def _shallow_boundaries(cwd: Path) -> set[str]:
    """Commits whose parents a shallow clone lacks: what they 'add' may be older."""
    path = _git(cwd, "rev-parse", "--git-path", "shallow")
    if path is None:
        return set()
    shallow = Path(path.strip())
    if not shallow.is_absolute():
        shallow = cwd / shallow
    try:
        return set(shallow.read_text().split())
    except OSError:
        return set()


def _git(cwd: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=cwd, capture_output=True,
                                text=True, encoding="utf-8")
    except OSError:
        return None
    return result.stdout if result.returncode == 0 else None
