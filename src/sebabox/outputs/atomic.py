"""The output directory: never one that holds plans or the project, one build at a time, one atomic switch.

OUT (`site/`) is a symbolic link to a complete build in the hidden sibling `.site.builds/`:

    site -> .site.builds/b-<time>-<pid>/

A build writes a new directory there, makes a new link beside OUT and renames it over OUT.
rename(2) replaces the link in one step, so at any instant OUT is the old or the new complete
site; the old build directory is removed afterwards. Whatever a crash (kill -9, power cut) leaves
behind -- a half-written build directory, a spare link, an old build -- is removed by the next
build, under the same lock. An OUT that is still a real directory (from an older sebabox) is
exchanged with the link by renameat2(RENAME_EXCHANGE), also one step (two renames where the
kernel lacks it, once).

`rsync -a site/ docroot/` (with the trailing slash), `python3 -m http.server -d site` and GitHub's
upload-pages-artifact (tar --dereference) all read the link's target; `rsync -a site docroot/`
without the slash would copy the link itself.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import subprocess
import time
from pathlib import Path

from sebabox.errors import SebaboxError
from sebabox.outputs.incremental import remove_tree

LOCK = "lock"
RENAME_EXCHANGE = 2
AT_FDCWD = -100


def output_path(out: Path) -> Path:
    """OUT as an absolute path, without following OUT itself when it is our link."""
    return out.parent.resolve() / out.name


def builds_dir(out: Path) -> Path:
    return out.parent / f".{out.name}.builds"


# --------------------------------------------------------------------------- what OUT may be


def refuse_unsafe_output(out: Path, plans_dir: Path, project: Path) -> None:
    """Raise a clear error when building into `out` would delete plans, the project or other files."""
    plans, project = plans_dir.resolve(), project.resolve()
    places = {out, out.resolve()}
    for place in places:
        if place == plans or plans.is_relative_to(place):
            raise SebaboxError(f"refusing to build into {out}: it holds the plans ({plans_dir}), which the "
                               "build would delete; choose another --out, such as site")
        if place.is_relative_to(plans):
            raise SebaboxError(f"refusing to build into {out}: it is inside the plans directory ({plans_dir}); "
                               "choose another --out, such as site")
        if place == project or project.is_relative_to(place):
            raise SebaboxError(f"refusing to build into {out}: it holds the project (mkdocs.yml, plans/), which "
                               "the build would delete; choose another --out, such as site")
    if out.is_symlink():
        if not _ours(out):
            raise SebaboxError(f"refusing to build into {out}: it is a link to {os.readlink(out)} that sebabox did "
                               f"not make; remove the link, or pass that directory as --out")
    elif out.exists() and not out.is_dir():
        raise SebaboxError(f"refusing to build into {out}: it is a file, not a directory")
    elif out.is_dir() and any(out.iterdir()) and not _looks_like_site(out):
        raise SebaboxError(f"refusing to build into {out}: it holds files that are not a sebabox site (no "
                           "index.html or data/offices.json), which the build would delete; choose an empty or "
                           "new directory")


def _ours(out: Path) -> bool:
    target = Path(os.readlink(out))
    return not target.is_absolute() and target.parent == Path(builds_dir(out).name)


def _looks_like_site(folder: Path) -> bool:
    return ((folder / "data" / "offices.json").is_file() or (folder / "index.html").is_file()
            or (folder / "sebabox-shard" / "shard.json").is_file())  # a shard's output (outputs/shards.py)


# --------------------------------------------------------------------------- one build at a time


@contextlib.contextmanager
def build_lock(out: Path):
    """An exclusive lock on OUT (fcntl.flock: released by the kernel when the process dies)."""
    import fcntl

    builds = _made(builds_dir(out))
    fd = os.open(builds / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise SebaboxError(f"another build is running into {out} (process {holder}); wait for it to finish, "
                               "or build into another --out") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)


def clean_leftovers(out: Path, keep_builds: bool = False) -> None:
    """Remove what an interrupted build left (call under the lock): build directories but the published
    one (all of them kept with `keep_builds`: a shard's, which a merged site may link to; see
    sharded.collect_builds), spare links, and the temporary directories of older sebabox versions."""
    builds = builds_dir(out)
    current = _current(out)
    for entry in builds.iterdir() if builds.is_dir() and not keep_builds else ():
        if entry.name != LOCK and entry.name != current:
            _remove(entry)
    for prefix in (f".{out.name}.link-", f".{out.name}.building-", f".{out.name}.old-"):
        for entry in out.parent.glob(f"{prefix}*"):
            _remove(entry)


def _current(out: Path) -> str | None:
    return Path(os.readlink(out)).name if out.is_symlink() and _ours(out) else None


def _remove(entry: Path) -> None:
    if entry.is_symlink() or entry.is_file():
        entry.unlink(missing_ok=True)
    else:
        remove_tree(entry)


# --------------------------------------------------------------------------- a build, then the switch


def new_build(out: Path) -> Path:
    """An empty directory for the next build, readable by a web server (0755, not mkdtemp's 0700)."""
    return _made(_made(builds_dir(out)) / f"b-{time.time_ns()}-{os.getpid()}")


def _made(folder: Path) -> Path:
    folder.mkdir(mode=0o755, exist_ok=True)
    if folder.stat().st_mode & 0o755 != 0o755:
        folder.chmod(0o755)
    return folder


@contextlib.contextmanager
def readable_files():
    """Files and directories made while building are readable by others (0644/0755) whatever the umask."""
    old = os.umask(0o022)
    os.umask(old & ~0o055 & 0o777)
    try:
        yield
    finally:
        os.umask(old)


def switch(new: Path, out: Path, later: bool = False, keep: bool = False) -> None:
    """Make OUT show `new` (a directory in builds_dir(out)) in one rename; then remove the old build, or with
    `later` have it removed by a process of its own (a national site's old build is ~100,000 files: seconds
    the published site need not wait for; if that process dies, the next build's clean_leftovers removes it),
    or with `keep` leave it (a shard's old build, which the live merged site may still link to)."""
    old = _current(out)
    link = out.parent / f".{out.name}.link-{os.getpid()}"
    _remove(link)
    os.symlink(f"{builds_dir(out).name}/{new.name}", link)
    if out.is_dir() and not out.is_symlink():  # a real directory, from an older sebabox
        _exchange(link, out)
        _remove(link)  # the old directory, now under the link's name
    else:
        os.replace(link, out)
    if old is not None and old != new.name and not keep:
        if later and _remove_later(builds_dir(out) / old, out):
            return
        _remove(builds_dir(out) / old)


def _remove_later(build: Path, out: Path) -> bool:
    """Rename the old build to a leftover's name (clean_leftovers knows it) and remove it in the background."""
    aside = out.parent / f".{out.name}.old-{os.getpid()}-{time.time_ns()}"
    try:
        os.rename(build, aside)
    except OSError:
        return False
    try:
        subprocess.Popen(["rm", "-rf", "--", str(aside)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:  # no rm here
        _remove(aside)
    return True


def _exchange(a: Path, b: Path) -> None:
    """Swap two names in one step (Linux renameat2); two renames elsewhere."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        renameat2 = None
    if renameat2 is not None:
        if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
            raise OSError(code, os.strerror(code), str(b))
    aside = b.with_name(f"{b.name}.old-{os.getpid()}")  # removed by clean_leftovers if we stop here
    os.replace(b, b.parent / f".{aside.name}")
    os.replace(a, b)
    os.replace(b.parent / f".{aside.name}", a)
