"""The plan files' versions, read from git: which commits changed a file, and the file at each of them.

One `git log` for the whole plans directory and one `git cat-file --batch` for the contents asked
for: a build with thousands of files makes two git calls, not thousands. Nothing is fetched (a
build makes no network calls): in a shallow clone (CI checks out one commit unless told
otherwise) the history is cut at the clone's boundary, and `cut` says so, so the page can say
what it could not see. No git, or plans outside a repository: `read` returns None.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from sebabox.inputs.gitdates import DHAKA


@dataclass(frozen=True)
class Commit:
    sha: str
    date: dt.date  # the committer's date, in the committer's time zone
    order: int  # 0 = newest in the log


@dataclass
class History:
    root: Path  # the repository's top directory
    shallow: frozenset[str]  # commits whose parents this clone does not have
    commits: dict[str, list[Commit]] = field(default_factory=dict)  # path (relative to root) -> newest first
    _contents: dict[tuple[str, str], str | None] = field(default_factory=dict, repr=False)

    def versions(self, path: str | Path) -> list[Commit]:
        """Commits that changed the file, newest first (its name at the time: renames start a new history)."""
        return self.commits.get(self._relative(path), [])

    def cut(self, path: str | Path) -> bool:
        """True when older versions of the file may exist that this (shallow) clone does not have."""
        versions = self.versions(path)
        return bool(versions) and versions[-1].sha in self.shallow or not versions and bool(self.shallow)

    def contents(self, wanted: list[tuple[str, str | Path]]) -> dict[tuple[str, str], str | None]:
        """The text of each (commit, file), None where the file did not exist; one git call for all."""
        keys = [(sha, self._relative(path)) for sha, path in wanted]
        missing = sorted({k for k in keys if k not in self._contents})
        if missing:
            request = "".join(f"{sha}:{path}\n" for sha, path in missing).encode()
            out = _git(self.root, "cat-file", "--batch", stdin=request, text=False)
            position = 0
            for key in missing:
                header_end = out.index(b"\n", position)
                header = out[position:header_end].split()
                if len(header) == 3 and header[1] == b"blob":
                    size = int(header[2])
                    self._contents[key] = out[header_end + 1:header_end + 1 + size].decode("utf-8", "replace")
                    position = header_end + 1 + size + 1
                else:  # "<spec> missing": the file was not there at that commit
                    self._contents[key] = None
                    position = header_end + 1
        return {key: self._contents[key] for key in keys}

    def _relative(self, path: str | Path) -> str:
        try:
            return Path(path).resolve().relative_to(self.root).as_posix()
        except ValueError:  # outside the repository: no history
            return Path(path).as_posix()


def read(plans_dir: Path) -> History | None:
    """Every commit that changed a file under plans_dir; None when plans_dir is not in a git repository."""
    try:
        root = Path(_git(plans_dir, "rev-parse", "--show-toplevel").strip())
        shallow_file = Path(_git(plans_dir, "rev-parse", "--git-path", "shallow").strip())
        log = _git(root, "log", "--no-renames", "--format=%x1e%H %ct", "--name-only", "--",
                   str(Path(plans_dir).resolve().relative_to(root)) or ".")
    except (OSError, subprocess.CalledProcessError, ValueError):
        return None
    shallow_file = shallow_file if shallow_file.is_absolute() else Path(plans_dir) / shallow_file
    shallow = frozenset(shallow_file.read_text().split()) if shallow_file.is_file() else frozenset()
    history = History(root.resolve(), shallow)
    for order, entry in enumerate(e for e in log.split("\x1e") if e.strip()):
        head, *names = entry.strip().splitlines()
        sha, stamp = head.split()
        commit = Commit(sha, dt.datetime.fromtimestamp(int(stamp), DHAKA).date(), order)  # as gitdates dates them
        for name in names:
            if name.strip():
                history.commits.setdefault(name.strip(), []).append(commit)
    return history


def _git(where: Path, *args: str, stdin: bytes | None = None, text: bool = True):
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}  # never asks, never fetches
    result = subprocess.run(["git", "-C", str(where), *args], input=stdin, capture_output=True, check=True, env=env)
    return result.stdout.decode("utf-8", "replace") if text else result.stdout
