"""The writer: `write_text` and `write_bytes` (the one place output files are opened), and the atomic
swap that replaces site/ only after a full build. Open data is made in `opendata`.

A build goes into a temporary sibling directory; `site/` is replaced by it only
when MkDocs, the PDFs and the search index all succeeded, so a failed or
interrupted build leaves the previous site as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sebabox.outputs import atomic
from sebabox.outputs.incremental import remove_tree


def write_text(root: Path, relative: str, text: str) -> Path:
    """Write text (UTF-8, line ends as given) under root only."""
    return write_bytes(root, relative, text.encode("utf-8"))


def write_bytes(root: Path, relative: str, data: bytes) -> Path:
    """Write under root only: the one place output files are opened."""
    with open_output(root, relative) as out:
        out.write(data)
    return root / relative


@contextlib.contextmanager
def open_output(root: Path, relative: str):
    """A new binary file under root only (a file replaced, never written through: an incremental
    build's copy holds hard links to the published site)."""
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()):
        lexical = os.path.normpath(os.path.join(os.path.abspath(root), relative))
        if lexical.startswith(os.path.join(os.path.abspath(root), "")):  # inside, but through a folder link
            refuse_linked(root, root / relative)
        raise ValueError(f"refusing to write outside the output directory: {relative!r}")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    with open(target, "wb") as out:
        yield out


def refuse_linked(root: Path, path: Path) -> None:
    """Raise when `path` (under `root`, lexically) lies in a folder that is a symbolic link: a merged site's
    office folders link into the shards' builds (merge.link_shards), which the merge must never write to.
    (The real path of the folder is compared with the real path of root: a few lstat calls.)"""
    real_root = os.path.realpath(root)
    folder = os.path.realpath(os.path.dirname(os.path.abspath(path)))
    if folder != real_root and not folder.startswith(real_root + os.sep):
        raise ValueError(f"refusing to write {os.path.relpath(path, root)!r}: its folder is a link leading outside "
                         f"the output directory ({folder}); in a merged site, a link into a shard's build, which the "
                         "merge must not change")


# --------------------------------------------------------------------------- the whole build


def build_site(config_file: Path, plans_dir: Path, out_dir: Path, *, pdf: bool = True, search: bool = True,
               catalog=None, incremental: bool = False, progress=print, as_of=None) -> None:
    """The site engine's build (pages, data, PDFs by the plugin; site/engine.py) + Pagefind into a new
    directory, then one atomic switch (atomic.py).

    Refused when OUT holds plans or the project; one build at a time per OUT (a lock); what an
    interrupted build left is removed first. With `incremental`, only what the changed plan files
    affect is rebuilt (see incremental.py). Reporting status is judged as of `as_of` (default:
    SOURCE_DATE_EPOCH if set, else today; status_pages.reference_date)."""
    from sebabox.inputs.gitdates import first_published
    from sebabox.outputs import incremental as inc
    from sebabox.outputs.status_pages import reference_date

    as_of = reference_date(as_of)
    git_dates = first_published(plans_dir)

    out_dir = atomic.output_path(out_dir)
    atomic.refuse_unsafe_output(out_dir, plans_dir, config_file.resolve().parent)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with atomic.build_lock(out_dir), atomic.readable_files():
        atomic.clean_leftovers(out_dir)
        state_path = inc.state_file(config_file, out_dir)
        state = inc.fingerprint(config_file, plans_dir, {"pdf": pdf, "search": search, "as_of": as_of.isoformat(),
                                                         "published": inc.dates_key(git_dates, plans_dir)})
        update = None
        if incremental:
            if catalog is None:
                from sebabox.inputs.check import check_plans

                catalog = check_plans(plans_dir)[1]
            state["owners"] = inc.owners(catalog, plans_dir)
            update = inc.plan_update(inc.load_state(state_path), state, catalog, out_dir)
            progress("incremental: full build (first build, or code, templates or office files changed)"
                     if update is None else
                     f"incremental: rebuilding {len(update.changed)} changed office(s): {', '.join(sorted(update.changed))}")
        state_path.unlink(missing_ok=True)  # never a record that does not match the published site
        _build_into(atomic.new_build(out_dir), out_dir, config_file, plans_dir, pdf, search, catalog, update,
                    {"as_of": as_of, "git_dates": git_dates})
        if catalog is not None:
            state["owners"] = inc.owners(catalog, plans_dir)
        try:
            inc.save_state(state_path, state)
        except OSError as exc:  # the site is published; the next --incremental build is a full one
            progress(f"warning: cannot record the build for --incremental in {state_path}: {exc.strerror}")


def _build_into(tmp: Path, out_dir: Path, config_file: Path, plans_dir: Path, pdf: bool, search: bool, catalog,
                update, status: dict) -> None:
    from sebabox.outputs import incremental as inc
    from sebabox.site.engine import run_build

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        if epoch is None:  # MkDocs dates the sitemap (and its gzip header) by it: the same plans, the same bytes
            os.environ["SOURCE_DATE_EPOCH"] = str(source_date_epoch(plans_dir, catalog))
        if update is not None:
            inc.copy_site(out_dir, tmp, update)
        run_build(config_file, tmp, plans_dir, pdf=pdf, catalog=catalog, update=update, **status)
        if search:
            index_search(tmp)
        swap(tmp, out_dir)
    except BaseException:
        remove_tree(tmp)
        raise
    finally:
        if epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


def source_date_epoch(plans_dir: Path, catalog=None) -> int:
    """The build date from the content: the latest report, letter or signing date (UTC midnight)."""
    import datetime as dt

    from sebabox.outputs.render import content_date
    from sebabox.outputs.report import all_documents

    if catalog is None:
        from sebabox.inputs.check import check_plans

        problems, catalog = check_plans(plans_dir)
        if problems.errors:  # the build stops on them anyway, with the messages
            return 0
    day = max((d for doc in all_documents(catalog) if (d := content_date(doc))), default=dt.date(1980, 1, 1))
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())


SEARCHABLE = b"data-pagefind-body"
BUNDLE_LIST = "sebabox-bundles.json"  # in pagefind/: the other bundles the search box merges (search_bundles.py)


@dataclass(frozen=True)
class Indexed:
    """One Pagefind run: pages indexed, seconds, and Pagefind's peak memory (MB)."""

    pages: int
    seconds: float
    peak_mb: float

    def line(self) -> str:
        if not self.pages:
            return "no searchable page (no bundle)"
        return f"{self.pages} page(s) in {self.seconds:.1f} s, Pagefind peak memory {self.peak_mb:.0f} MB"


def index_search(site_dir: Path, bundle: str = "pagefind", skip=frozenset(), extra: dict[str, str] | None = None,
                 listing=None, site_pages: bool = True) -> Indexed:
    """Pagefind: a Bengali-capable static search index (Material's lunr finds no Bengali words), written to
    site_dir/bundle, over the searchable pages except those whose path (relative, '/'-separated) is in
    `skip`, and the `extra` pages (path -> HTML) that are not in the site. In pagefind/ (the primary bundle
    the search box loads) also BUNDLE_LIST: `listing()`'s value, the other bundles it merges (none for a
    one-process build; search_bundles.py).

    Pagefind reads every HTML file even when it then skips those without data-pagefind-body (the
    quarterly reports: four of every five pages); parsing them was two thirds of its time. So it is
    given a mirror of hard links to the searchable pages only; the index is the same."""
    import json
    import time

    source = Path(tempfile.mkdtemp(prefix=".search-pages-", dir=site_dir.parent))
    pages, started = 0, time.perf_counter()
    try:
        for page in _html_files(site_dir) if site_pages else ():
            relative = page.relative_to(site_dir)
            if relative.as_posix() not in skip and SEARCHABLE in page.read_bytes():
                pages += 1
                target = source / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(page, target)
                except OSError:
                    shutil.copyfile(page, target)
        for relative, html in (extra or {}).items():
            pages += 1
            write_text(source, relative, html)
        remove_tree(site_dir / bundle)  # never an earlier run's files left beside this one's
        if not pages and bundle != "pagefind":  # (Pagefind refuses to make an empty index)
            return Indexed(0, 0.0, 0.0)
        result = subprocess.run(
            [sys.executable, "-c", _PEAK_MEMORY, sys.executable, "-m", "pagefind", "--site", str(source),
             "--output-path", str(site_dir / bundle), "--force-language", "bn", "--quiet"],
            capture_output=True, text=True,
        )
    finally:
        remove_tree(source)
    *lines, peak = result.stderr.splitlines() or [""]
    if result.returncode != 0 or not peak.startswith("peak "):
        raise RuntimeError(f"pagefind failed: {(chr(10).join(lines) or result.stdout).strip()}")
    if bundle == "pagefind":
        found = listing() if listing else {"bundles": [], "directory": {}}
        write_text(site_dir, f"{bundle}/{BUNDLE_LIST}", json.dumps(found, ensure_ascii=False, sort_keys=True) + "\n")
    return Indexed(pages, time.perf_counter() - started, int(peak.split()[1]) / 1024)


# Runs Pagefind and prints its peak memory (KB) last on stderr. A child started by the build itself would
# report the build's memory as its own (a forked or vforked child's peak starts at its parent's, and exec
# keeps it); this small process's child starts small.
_PEAK_MEMORY = ("import os, subprocess, sys\n"
                "child = subprocess.Popen(sys.argv[1:])\n"
                "status, usage = os.wait4(child.pid, 0)[1:]\n"
                "print(f'peak {usage.ru_maxrss}', file=sys.stderr)\n"
                "sys.exit(os.waitstatus_to_exitcode(status))\n")


def _html_files(root: Path) -> list[Path]:
    """Every .html file under root, sorted (os.walk: a third of rglob's time on 30,000 pages). Folder links are
    not entered: a merged site's office folders link into the shards' builds, whose pages are in their bundles."""
    found = []
    for folder, _, names in os.walk(root):
        found.extend(Path(folder, name) for name in names if name.endswith(".html"))
    return sorted(found)


def swap(new: Path, target: Path, later: bool = False, keep: bool = False) -> None:
    """Publish the build in `new` as `target` in one atomic step (see atomic.py); with `later`, the old build is
    removed in the background; with `keep`, not at all (a shard's, which a merged site may link to)."""
    atomic.switch(new, target, later, keep)
