"""Which files under plans/ are plan files: the one list that check, build, --incremental and import-xlsx read.

Only regular files named *.yaml or *.yml (lower case) inside the plans directory are read. Everything
else that looks like a plan gets a located message instead of being skipped in silence or hanging
the build: a linked folder (not walked: no loops, nothing outside plans/), a link leading outside or
nowhere, a FIFO or device (reading it would block or never end), `.YAML`/`.Yaml`/`.yaml.txt` names,
hidden files, folders named like files.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from pathlib import Path

from sebabox.errors import Problems

SUFFIXES = (".yaml", ".yml")
_SAVED_AS = re.compile(r"\.(ya?ml)\.[^.]+$", re.IGNORECASE)  # nis.yaml.txt (Notepad), nis.yaml.bak


_WALKED: dict | None = None  # inside walked_once(): plans folder -> (files, the problems found walking it); and
# ("paths", plans folder) -> the files as Paths; ("links", plans folder) -> the files among them that are links


@contextlib.contextmanager
def walked_once():
    """Inside it, each plans folder is walked once: a shard's build asks for the list of plan files three
    times (check, fingerprint, owners), and at 5,000 offices one walk is 290,000 files."""
    global _WALKED
    outer, _WALKED = _WALKED, ({} if _WALKED is None else _WALKED)
    try:
        yield
    finally:
        _WALKED = outer


def walked_as(plans_dir: Path, files: list[str]) -> None:
    """Inside walked_once(): take `files` (strings, as plan_paths gives them, in its order) as the walk of
    plans_dir, which found nothing to say -- a shard's build given the files `build --sharded` found for it
    (its own and the common ones), instead of walking the whole country again."""
    _WALKED[str(plans_dir)] = (list(files), Problems())


def plan_links(plans_dir: Path) -> set[str] | None:
    """Inside walked_once(), after a walk of plans_dir: its plan files that are links (to files inside it); None
    when not known (then ask os.path.islink)."""
    return None if _WALKED is None else _WALKED.get(("links", str(plans_dir)))


def plan_files(plans_dir: Path, problems: Problems) -> list[Path]:
    """Every plan file under plans_dir, sorted; a located message for each entry that is not read."""
    paths = plan_paths(plans_dir, problems)
    if _WALKED is None:
        return [Path(path) for path in paths]
    key = ("paths", str(plans_dir))
    if key not in _WALKED:
        _WALKED[key] = [Path(path) for path in paths]
    return list(_WALKED[key])


def plan_paths(plans_dir: Path, problems: Problems) -> list[str]:
    """plan_files as strings, for callers that go through every file of the country (making 145,000 Paths
    took a second at 5,000 offices)."""
    if _WALKED is not None:
        key = str(plans_dir)
        if key not in _WALKED:
            found, links = Problems(), set()
            _WALKED[key] = (_plan_files(plans_dir, found, links), found)
            _WALKED[("links", key)] = links
        files, found = _WALKED[key]
        problems.extend(found)
        return list(files)
    return _plan_files(plans_dir, problems)


def _plan_files(plans_dir: Path, problems: Problems, links: set[str] | None = None) -> list[str]:
    if not plans_dir.is_dir():
        problems.error(plans_dir, 1, "ফোল্ডারটি পাওয়া যায়নি (plans directory not found); plans ফোল্ডারের পথ লিখুন")
        return []
    root = plans_dir.resolve()
    found: list[str] = []
    stack = [str(plans_dir)]
    while stack:  # top-down, folders in name order, as os.walk went; but os.scandir tells a regular file from
        folder = stack.pop()  # its name (os.walk and a stat per file took 2.2 s for 145,000 files at 5,000 offices)
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as exc:
            problems.error(Path(folder), 1, f"ফোল্ডারটি পড়া যাচ্ছে না (cannot read folder): {exc.strerror}")
            continue
        here = Path(folder)
        folders, files = [], []
        for entry in entries:
            try:
                is_dir = entry.is_dir()  # a link to a folder too: _walk_into says it is not read
            except OSError:
                is_dir = False
            (folders if is_dir else files).append(entry)
        deeper = [entry.path for entry in sorted(folders, key=lambda e: e.name) if _walk_into(here / entry.name, problems)]
        for entry in files:
            name = entry.name
            if not name.lower().endswith(SUFFIXES) and not _SAVED_AS.search(name):
                continue  # not a plan file's name: nothing to say, nothing read
            if name.endswith(SUFFIXES) and not name.startswith(".") and entry.is_file(follow_symlinks=False):
                found.append(entry.path)  # the common case, a regular file: no system call
            elif _is_plan_name(here / name, problems) and _readable(here / name, root, problems):
                found.append(entry.path)
                if links is not None and entry.is_symlink():
                    links.add(entry.path)
        stack.extend(reversed(deeper))
    if str(plans_dir) == ".":  # as Path("./a.yaml") would have it: "a.yaml"
        found = [path[2:] for path in found]
        stripped = {path[2:] for path in links or ()}
        if stripped:
            links.clear()
            links.update(stripped)
    return sorted(found, key=_walk_order)


def _walk_order(path: str) -> tuple[str, ...]:
    """Sorted as Paths sort (by parts), not as strings ('a/b' before 'a-b/c')."""
    return tuple(path.split(os.sep))


def _walk_into(path: Path, problems: Problems) -> bool:
    if path.name.startswith("."):  # .git, editors' folders
        return False
    if path.is_symlink():
        problems.warning(path, 1, "লিংক করা ফোল্ডার পড়া হয় না (a linked folder is not read); এর ফাইলগুলো "
                                  "এখানে সরিয়ে বা কপি করে রাখুন")
        return False
    if path.name.lower().endswith(SUFFIXES):
        problems.warning(path, 1, "ফোল্ডারের নাম প্ল্যান ফাইলের মতো (a folder named like a plan file): শুধু এর "
                                  "ভেতরের ফাইলগুলো পড়া হয়")
    return True


def _is_plan_name(path: Path, problems: Problems) -> bool:
    name = path.name
    if not name.lower().endswith(SUFFIXES) and not _SAVED_AS.search(name):
        return False
    if name.startswith("."):
        problems.warning(path, 1, "লুকানো ফাইল পড়া হয় না (a hidden file: its name starts with '.'); "
                                  "প্ল্যান হলে নাম বদলান")
        return False
    if name.endswith(SUFFIXES):
        return True
    problems.error(path, 1, f"পড়া হয়নি: প্ল্যান ফাইলের নাম ছোট হাতের .yaml বা .yml দিয়ে শেষ হয় (not read); নাম "
                            f"বদলে লিখুন '{_renamed(name)}' (বা ফাইলটি মুছুন)")
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
                problems.error(path, 1, "লিংকটি এমন ফাইলের, যা নেই (a link to a missing file, or a loop of links); "
                                        "লিংকের বদলে ফাইলটি রাখুন")
                return False
            if not target.is_relative_to(root):
                problems.error(path, 1, "plans ফোল্ডারের বাইরের লিংক (link) পড়া হয় না; ফাইলটি plans-এর ভেতরে রাখুন")
                return False
            info = os.stat(path)
    except OSError as exc:
        problems.error(path, 1, f"ফাইলটি পড়া যাচ্ছে না (cannot read file): {exc.strerror}")
        return False
    if not stat.S_ISREG(info.st_mode):
        problems.error(path, 1, f"এটি সাধারণ ফাইল নয় (not a regular file: {_kind(info.st_mode)}); প্ল্যান ফাইল একটি "
                                "সাধারণ লেখার ফাইল হতে হবে")
        return False
    return True


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"),
                       (stat.S_ISBLK, "a device"), (stat.S_ISDIR, "a folder")):
        if test(mode):
            return name
    return "not a file"
