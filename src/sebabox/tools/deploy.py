"""Publish a built site to a web server's document root: only changed files travel, the switch is atomic.

Layout at the destination (a local directory, or `user@host:/path` reached by rsync over ssh):

    DEST/releases/<name>/   one complete copy of the site per deployment; files unchanged since the
                            previous release are hard links to it (rsync --link-dest), so a one-office
                            update sends and stores only that office's files
    DEST/current            a symlink to the live release: point the web server there
                            (nginx: `root DEST/current;`), switched by one rename(2)

A reader's request is served from the old release or the new one, never from a mixture, and a
deployment that fails half-way leaves `current` untouched. The two newest releases are kept (the
previous one for an instant rollback); older ones are removed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sebabox.errors import SebaboxError

PAGES_LIMIT = 1024**3  # GitHub Pages publishes at most 1 GB per site
RELEASES = "releases"
CURRENT = "current"
_REMOTE = re.compile(r"^(?P<host>[^/:]+):(?P<path>.+)$")  # user@host:/path (rsync's own syntax)


@dataclass(frozen=True)
class Deployment:
    release: str
    files: int  # files in the site
    transferred: int  # regular files whose bytes were sent
    bytes_sent: int  # what rsync sent over the wire (file data, lists, checksums)


class _Target:
    """A destination directory on this machine or on another one through ssh."""

    def __init__(self, dest: str):
        match = _REMOTE.match(dest)
        self.host = match["host"] if match and not Path(dest).exists() else None
        self.root = (match["path"] if self.host else dest).rstrip("/") or "/"

    def rsync_path(self, relative: str) -> str:
        path = f"{self.root}/{relative}"
        return f"{self.host}:{path}" if self.host else path

    def run(self, script: str) -> str:
        """A small POSIX shell script run in the destination root (locally or over ssh)."""
        root = shlex.quote(self.root)
        command = f"mkdir -p {root} && cd {root} && {script}"
        argv = ["ssh", "-o", "BatchMode=yes", self.host, command] if self.host else ["sh", "-c", command]
        result = subprocess.run(argv, capture_output=True, text=True)
        if result.returncode:
            where = self.host or "this machine"
            raise SebaboxError(f"প্রকাশ ব্যর্থ (deploy failed) on {where}: {result.stderr.strip() or script}")
        return result.stdout


def deploy(site_dir: Path, dest: str, keep: int = 2, now: dt.datetime | None = None) -> Deployment:
    """Copy SITE_DIR to DEST/releases/<new>, hard-linking unchanged files, then switch DEST/current to it."""
    if not (site_dir / "index.html").is_file():
        raise SebaboxError(f"{site_dir}/index.html নেই: আগে সাইট তৈরি করুন (build the site first: build_site.py build)")
    if shutil.which("rsync") is None:
        raise SebaboxError("rsync পাওয়া যায়নি (rsync is not installed): apt-get install rsync")
    target = _Target(dest)
    target.run(f"mkdir -p {RELEASES}")
    previous = target.run(f"if [ -L {CURRENT} ]; then readlink {CURRENT}; fi").strip()
    release = _release_name(now or dt.datetime.now(dt.timezone.utc))
    stats = _rsync(site_dir, target, release, previous)
    # one rename(2): `current` points at the old release or the new one at every instant
    target.run(f"ln -s {RELEASES}/{release} .{CURRENT}.new && mv -T .{CURRENT}.new {CURRENT}")
    _prune(target, keep)
    files = sum(len(names) for _, _, names in _walk(site_dir))
    return Deployment(release, files, stats["transferred"], stats["sent"])


def _release_name(now: dt.datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%S%fZ")


def _rsync(site_dir: Path, target: _Target, release: str, previous: str) -> dict[str, int]:
    # no --times: an unchanged file (same bytes) is hard-linked to the previous release whatever its
    # build time, and keeps its mtime, so browsers and caches keep their copy (nginx ETag = mtime + size)
    # --copy-links: a merged site's office folders are links into the shards' builds (merge.link_shards); the
    # release holds their files, so the server needs nothing but the release (and nginx follows no link)
    argv = ["rsync", "--recursive", "--copy-links", "--delete", "--checksum", "--stats",
            "--chmod=D755,F644",  # readable by the web server's own unprivileged user
            "--no-owner", "--no-group"]
    if previous.startswith(f"{RELEASES}/"):  # relative to the new release's directory
        argv.append(f"--link-dest=../{previous[len(RELEASES) + 1:]}")
    argv += [f"{site_dir}/", target.rsync_path(f"{RELEASES}/{release}/")]
    result = subprocess.run(argv, capture_output=True, text=True)
    if result.returncode:
        raise SebaboxError(f"rsync ব্যর্থ (failed, exit {result.returncode}): {result.stderr.strip()}; "
                           f"{CURRENT} is unchanged")
    return {"transferred": _stat(result.stdout, r"Number of regular files transferred: ([\d,]+)"),
            "sent": _stat(result.stdout, r"Total bytes sent: ([\d,]+)")}


def _stat(text: str, pattern: str) -> int:
    match = re.search(pattern, text)
    return int(match[1].replace(",", "")) if match else 0


def _prune(target: _Target, keep: int) -> None:
    names = sorted(target.run(f"ls -1 {RELEASES}").split())
    live = target.run(f"readlink {CURRENT}").strip().removeprefix(f"{RELEASES}/")
    old = [n for n in names[:-keep] if n != live and re.fullmatch(r"\d{8}T\d{12}Z", n)]
    if old:
        target.run("rm -rf " + " ".join(shlex.quote(f"{RELEASES}/{n}") for n in old))


def _walk(site_dir: Path):
    """os.walk of the site through its folder links (a merged site's office folders link into the shards' builds)."""
    return os.walk(site_dir, followlinks=True)


def site_size(site_dir: Path, beyond: int | None = None) -> int:
    """Bytes of the built site as published (the files its folder links lead to included; hard links counted
    once); with `beyond`, counting stops once the total passes it."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for root, _dirs, files in _walk(site_dir):
        for name in files:
            st = os.stat(os.path.join(root, name))
            if (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                total += st.st_size
        if beyond is not None and total > beyond:
            break
    return total


def pages_warning(site_dir: Path) -> str | None:
    """A line for the build's output when the site is too big for GitHub Pages. Counting stops at the limit: a
    national site's 450,000 files (5,000 offices) took seconds of every republish to count whole."""
    size = site_size(site_dir, beyond=PAGES_LIMIT)
    if size <= PAGES_LIMIT:
        return None
    return (f"warning: the site is more than {PAGES_LIMIT / 1024**3:.0f} GB; GitHub Pages publishes at most 1 GB per site. "
            "Publish it to a web server instead: build_site.py deploy site/ user@server:/srv/sebabox (see README)")
