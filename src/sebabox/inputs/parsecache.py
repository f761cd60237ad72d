"""Parsed plan files kept between builds, so a republish re-reads only the files that changed.

Reading and typing 30,000 plan files takes ~10 s; unpickling them takes under 2. An entry is
keyed by a hash of the file's bytes, the path shown in messages, and the code that reads it
(this package's source, Python and pydantic versions), so a stale entry is never used. Only
files that loaded with no message at all are kept: errors and warnings are found afresh every
time. Entries live under the project's .cache/ (like the PDF cache) and are as trusted as the
code beside them; a damaged entry is read as a miss. Each plans directory has its own folder,
pruned to the files of its latest complete load.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

import pydantic

from sebabox.paths import PACKAGE


def _code_version() -> bytes:
    digest = hashlib.sha256(f"{sys.version}|{pydantic.VERSION}".encode())
    for source in sorted(PACKAGE.rglob("*.py")):
        digest.update(source.relative_to(PACKAGE).as_posix().encode() + b"\0" + source.read_bytes())
    return digest.digest()


class ParseCache:
    def __init__(self, cache_root: Path, plans_dir: Path):
        namespace = hashlib.sha256(os.fsencode(str(plans_dir.resolve()))).hexdigest()[:16]
        self.folder = cache_root / namespace
        self.version = _code_version()
        self.used: set[str] = set()
        self.hits = 0

    def entry(self, path: Path, raw: bytes) -> Path:
        """Where the result of loading `path` with these bytes is kept."""
        key = hashlib.sha256(self.version + os.fsencode(str(path)) + b"\0" + raw).hexdigest()  # (a name not in UTF-8 too)
        self.used.add(f"{key}.pickle")
        return self.folder / f"{key}.pickle"

    def get(self, entry: Path):
        """The cached result, or None."""
        try:
            with open(entry, "rb") as handle:
                loaded = pickle.load(handle)
        except Exception:  # noqa: BLE001 - missing, unreadable or damaged: read the file instead
            return None
        self.hits += 1
        return loaded

    def put(self, entry: Path, loaded) -> None:
        tmp = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(loaded, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, entry)
        except OSError:  # a read-only checkout builds as well, only slower
            if tmp:
                Path(tmp).unlink(missing_ok=True)

    def prune(self) -> None:
        """Forget entries of files that are gone or changed."""
        try:
            for entry in self.folder.iterdir():
                if entry.name not in self.used:
                    entry.unlink(missing_ok=True)
        except OSError:
            pass
