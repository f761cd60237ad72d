"""Sharded builds, run: one shard (`build --shard`), the merge (`merge`), and a whole site as every shard in
turn, each in its own process, then the merge (`build` of a big plans folder), reusing the shards whose
inputs did not change. What a shard and the merge write is in shards.py, summary.py and merge.py.
"""

from __future__ import annotations

import contextlib
import gc
import os
import time
from pathlib import Path

from sebabox.errors import SebaboxError
from sebabox.outputs import atomic
from sebabox.outputs.incremental import remove_tree
from sebabox.outputs.publish import swap


def build_shard(config_file: Path, plans_dir: Path, out_dir: Path, name: str, *, files_from: Path | None = None,
                **options) -> None:
    """One shard (see _build_shard), walking the plans folder once -- or not at all, given `files_from`: the
    plan files `build --sharded` found for this shard (its own and the common ones; write_shard_files)."""
    from sebabox.inputs.planfiles import walked_as, walked_once

    with walked_once():
        tree = dates = None
        if files_from is not None:
            files, tree, dates = read_shard_files(files_from, plans_dir)
            walked_as(plans_dir, files)
        _build_shard(config_file, plans_dir, out_dir, name, tree=tree, dates=dates, **options)


FILES_HEADER = "sebabox shard files 3"


def listable(files: list[str]) -> bool:
    """Can these paths be handed over one a line (write_shard_files)? Not a name with a line break or a tab,
    nor one that is not UTF-8 (a file name in another encoding)."""
    try:
        "".join(files).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return not any("\n" in path or "\t" in path or "\r" in path for path in files)


def write_shard_files(path: Path, plans_dir: Path, files: list[str], tree, dates: dict[str, object]) -> None:
    """The plan files a shard reads, their first-publication dates (by path, as _dates_by_path gives them) and
    the office tree (shards.Tree, from every office file), for `build --shard --files-from`: a header, the plans
    folder, the tree as JSON, then a file a line (a tab and its date, if it has one)."""
    import json

    tree_text = json.dumps({"parent": tree.parent, "folder": {slug: str(f) for slug, f in tree.folder.items()}},
                           ensure_ascii=False, sort_keys=True)
    lines = [f"{file}\t{dates[file].isoformat()}" if file in dates else file for file in files]
    atomic_write = path.with_name(path.name + ".new")
    atomic_write.write_text("\n".join([FILES_HEADER, str(plans_dir), tree_text, *lines]) + "\n", encoding="utf-8")
    os.replace(atomic_write, path)


def read_shard_files(path: Path, plans_dir: Path):
    """write_shard_files's files, tree and dates (by resolved path, as first_published gives them), refused
    unless written for this plans folder (never a file outside it)."""
    import datetime as dt
    import json

    from sebabox.outputs.shards import Tree

    try:
        lines = path.read_text(encoding="utf-8").split("\n")
        tree = json.loads(lines[2]) if len(lines) > 2 else None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise SebaboxError(f"{path}: cannot read the shard's list of files ({exc})") from None
    prefix = os.path.join(str(plans_dir), "") if str(plans_dir) != "." else ""

    def inside(line: str) -> bool:
        return line.startswith(prefix) and os.path.isabs(line) == os.path.isabs(prefix) and "/../" not in f"/{line}/"

    files, dated = [], {}
    try:
        for line in lines[3:]:
            if line:
                file, _, day = line.partition("\t")
                files.append(file)
                if day:
                    dated[file] = dt.date.fromisoformat(day)
    except ValueError:
        files = [""]  # refused below
    try:
        parent, folder = tree["parent"], tree["folder"]
        good = all(isinstance(slug, str) and (up is None or isinstance(up, str)) for slug, up in parent.items()) \
            and set(folder) == set(parent) and all(isinstance(f, str) and inside(f + "/") for f in folder.values())
    except (TypeError, KeyError, AttributeError):
        good = False
    if lines[:2] != [FILES_HEADER, str(plans_dir)] or lines[-1] != "" or not good or not all(map(inside, files)):
        raise SebaboxError(f"{path} is not a list of plan files in {plans_dir} written by build --sharded")
    return files, Tree(parent, {slug: Path(f) for slug, f in folder.items()}), _resolved_dates(dated, plans_dir)


def _build_shard(config_file: Path, plans_dir: Path, out_dir: Path, name: str, *, max_offices: int, pdf: bool = True,
                 progress=print, as_of=None, problems_out=None, incremental: bool = False, search: bool = True,
                 keep_builds: bool = False, tree=None, dates: dict | None = None) -> None:
    """One shard (outputs/shards.py) into OUT: its offices' pages, PDFs and data and a summary per office,
    for `merge`. OUT is replaced atomically, like a site. Reads only the shard's offices' folders. With
    `incremental`, only the offices whose files changed since the last build of OUT are rebuilt (and the
    pages of their parents in the shard), as `build --incremental` does for a site. With `search`, the
    shard's own search bundle too (search_bundles.py). With `keep_builds` (build --sharded), the shard's earlier
    builds are kept: the live merged site links into them until the next merge's switch (collect_builds)."""
    from sebabox.inputs.check import check_plans, parse_cache_root
    from sebabox.inputs.gitdates import first_published
    from sebabox.outputs import incremental as inc, shards
    from sebabox.outputs.status_pages import reference_date

    as_of = reference_date(as_of)  # before SOURCE_DATE_EPOCH is set below, as build_site judges it
    tree = tree or shards.read_tree(plans_dir, parse_cache_root(config_file))  # (given: build --sharded read it)
    shard = shards.find(shards.plan(tree, max_offices), name)
    offices = set(shard.offices)
    select = shards.file_selector(plans_dir, tree, offices)
    problems, catalog = check_plans(plans_dir, parse_cache_root(config_file), select=select)
    if misplaced := shards.misplaced(catalog, offices):  # first: it explains what validation would report
        raise shards.Misplaced("\n".join(misplaced))
    if problems_out is not None:
        problems_out(problems)
    if problems.errors:
        raise SebaboxError(f"{len(problems.errors)} error(s) in {plans_dir}; shard {name} was not built")
    scope = shards.Scope(name, offices, shards.whole(tree, offices))
    out_dir = atomic.output_path(out_dir)
    atomic.refuse_unsafe_output(out_dir, plans_dir, config_file.resolve().parent)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    git_dates = first_published(plans_dir) if dates is None else dates  # (given: build --sharded read them)
    with atomic.build_lock(out_dir), atomic.readable_files():
        atomic.clean_leftovers(out_dir, keep_builds)
        state_path = inc.state_file(config_file, out_dir)
        own_dates = {path: day for path, day in git_dates.items() if select(path)}
        state = inc.fingerprint(config_file, plans_dir, {"pdf": pdf, "as_of": as_of.isoformat(), "shard": name,
                                                         "offices": sorted(offices),
                                                         "published": inc.dates_key(own_dates, plans_dir)}, select)
        state["owners"] = inc.owners(catalog, plans_dir)
        update = inc.plan_update(inc.load_state(state_path), state, catalog, out_dir) if incremental else None
        state_path.unlink(missing_ok=True)  # never a record that does not match the shard's output
        tmp = atomic.new_build(out_dir)
        try:
            from sebabox.site.engine import run_build

            if update is not None:
                inc.copy_site(out_dir, tmp, update)
            run_build(config_file, tmp, plans_dir, pdf=pdf, catalog=catalog, update=update, as_of=as_of,
                      git_dates=git_dates, scope=scope)
            shards.prune(tmp, offices, True)
            indexed = _index_shard(tmp, name, out_dir if update is not None and out_dir.is_dir() else None) \
                if search else None
            swap(tmp, out_dir, keep=keep_builds)
        except BaseException:
            remove_tree(tmp)
            raise
        try:
            inc.save_state(state_path, state)
        except OSError:  # the next incremental build of this shard is a full one
            pass
    rebuilt = "every office" if update is None else f"{len(update.changed & offices)} changed office(s)"
    progress(f"shard {name}: {len(offices)} office(s), {len(scope.whole)} with their whole subtree; rebuilt {rebuilt}")
    if indexed is not None:
        progress(f"shard {name} search: {indexed.line()}")


def _index_shard(site_dir: Path, name: str, previous: Path | None):
    from sebabox.outputs.search_bundles import index_shard

    return index_shard(site_dir, name, previous)


def merge_site(config_file: Path, plans_dir: Path, out_dir: Path, shard_dirs: list[Path], *, search: bool = True,
               progress=print, after_switch=None) -> None:
    """One site from the shards' outputs (outputs/merge.py), published like `build_site` does. The site's office
    folders are links into the shards' builds (merge.link_shards): those builds must outlive it; `after_switch`
    (under the output's lock, once the new site is live) may remove the ones it no longer links to."""
    from sebabox.outputs import merge

    from sebabox.inputs.check import parse_cache_root

    merged = merge.inputs(plans_dir, shard_dirs, parse_cache_root(config_file))
    gc.freeze()  # millions of objects that live until the end: the collector no longer goes through them
    try:
        _merge_site(config_file, plans_dir, out_dir, shard_dirs, merged, search, progress, after_switch)
    finally:
        gc.unfreeze()


def _merge_site(config_file: Path, plans_dir: Path, out_dir: Path, shard_dirs: list[Path], merged, search: bool,
                progress, after_switch) -> None:
    from sebabox.outputs import merge
    from sebabox.site.engine import run_build

    bundles = _shard_bundles(shard_dirs) if search else None  # before the work: a shard without one is refused
    out_dir = atomic.output_path(out_dir)
    atomic.refuse_unsafe_output(out_dir, plans_dir, config_file.resolve().parent)
    for folder in shard_dirs:
        if folder.resolve() == out_dir.resolve():
            raise SebaboxError(f"refusing to merge into {out_dir}: it is one of the shards")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with atomic.build_lock(out_dir), atomic.readable_files(), _environment("SOURCE_DATE_EPOCH", str(merged.epoch)):
        atomic.clean_leftovers(out_dir)
        tmp = atomic.new_build(out_dir)
        try:
            clock = [time.perf_counter()]
            linked = merge.link_shards(shard_dirs, tmp, {f"offices/{slug}" for slug in merged.rest})
            clock.append(time.perf_counter())
            run_build(config_file, tmp, plans_dir, pdf=False, catalog=merged.catalog, update=None, merged=merged)
            clock.append(time.perf_counter())
            indexed = _index_merge(tmp, shard_dirs, bundles, out_dir) if search else None
            clock.append(time.perf_counter())
            swap(tmp, out_dir, later=True)
        except BaseException:
            remove_tree(tmp)
            raise
        if after_switch is not None:
            after_switch()
    progress(f"merged {len(shard_dirs)} shard(s): {len(merged.catalog.offices)} office(s), "
             f"{len(merged.rest)} office page(s) across shards; {linked.links} folder(s) linked and "
             f"{linked.copied} copied as hard links in {clock[1] - clock[0]:.1f} s, "
             f"pages and data {clock[2] - clock[1]:.1f} s, search index {clock[3] - clock[2]:.1f} s")
    if indexed is not None:
        progress(f"merge search: its own {indexed.line()}; {len(bundles)} shard bundle(s) listed")


def _shard_bundles(shard_dirs: list[Path]) -> list[str]:
    from sebabox.outputs.search_bundles import shard_bundles

    return shard_bundles(shard_dirs)


def _index_merge(site_dir: Path, shard_dirs: list[Path], bundles: list[str], previous: Path):
    from sebabox.outputs.search_bundles import index_merge

    return index_merge(site_dir, shard_dirs, bundles, previous if previous.is_dir() else None)


@contextlib.contextmanager
def _environment(name: str, value: str):
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old




# --------------------------------------------------------------------------- a whole site, shard by shard

SHARDED_FROM = 300  # offices: a bigger plans folder is built shard by shard (peak memory: one shard's)
MISPLACED = 3  # a shard's exit code when an office's file lies in another office's folder


def wants_shards(plans_dir: Path, sharded: bool | None) -> bool:
    """`build` goes shard by shard when asked, or (unasked) for a plans folder of more than SHARDED_FROM offices."""
    if sharded is not None:
        return sharded
    count = 0
    for _, _, names in os.walk(plans_dir):
        count += "office.yaml" in names
        if count > SHARDED_FROM:
            return True
    return False


def build_sharded(config_file: Path, plans_dir: Path, out_dir: Path, **options) -> bool:
    """Every shard, then the merge (see _build_sharded), walking the plans folder once in this process."""
    from sebabox.inputs.planfiles import walked_once

    with walked_once():
        return _build_sharded(config_file, plans_dir, out_dir, **options)


def _build_sharded(config_file: Path, plans_dir: Path, out_dir: Path, *, pdf: bool = True, search: bool = True,
                   as_of=None, max_offices: int | None = None, progress=print, jobs: int = 1) -> bool:
    """Every shard in turn, each in its own process (so the peak memory is one shard's, whatever the number
    of offices), then the merge into OUT. A shard whose inputs (its files, the office files, templates,
    code and options) did not change since the last build into OUT is reused as it is: after one office's
    update only its shard and the merge run. Returns False, having built nothing, when some plan file lies
    outside every office's folder (`build` then builds the site in one process)."""
    import hashlib
    import json
    import sys

    from sebabox.inputs.check import parse_cache_root
    from sebabox.inputs.gitdates import first_published
    from sebabox.inputs.planfiles import plan_paths
    from sebabox.errors import Problems
    from sebabox.outputs import incremental as inc, shards
    from sebabox.outputs.status_pages import reference_date
    from sebabox.paths import PACKAGE, project_cache

    as_of = reference_date(as_of)  # before SOURCE_DATE_EPOCH is set, as build_site judges it
    max_offices = max_offices or shards.DEFAULT_MAX_OFFICES
    started = time.perf_counter()
    tree = shards.read_tree(plans_dir, parse_cache_root(config_file))
    plan = shards.plan(tree, max_offices)
    walk = Problems()
    files = plan_paths(plans_dir, walk)  # strings: the country's 145,000 files at 5,000 offices
    find = shards.owner_of(plans_dir, tree)
    shard_of = {slug: shard.name for shard in plan for slug in shard.offices}
    common, own = [], {shard.name: [] for shard in plan}
    owned_by = []  # each file's shard, or COMMON
    for path in files:
        owner = find(path)
        if owner == shards.COMMON:  # office files, templates, calendars: read by every shard
            common.append(path)
            owned_by.append(owner)
        elif owner is not None:
            own[shard_of[owner]].append(path)
            owned_by.append(shard_of[owner])
        else:
            progress(f"{path}: not in any office's folder; building the site in one process")
            return False
    root = config_file.resolve().parent
    dates = _dates_by_path(first_published(plans_dir), plans_dir, files)
    work = project_cache(config_file) / "shards" / hashlib.sha256(str(atomic.output_path(out_dir)).encode()).hexdigest()[:16]
    work.mkdir(parents=True, exist_ok=True)
    (work / "files.json").unlink(missing_ok=True)  # (what an earlier version kept: every file's hash)
    base = {"code": inc._hash_tree([PACKAGE, root / "theme_overrides", root / "content", config_file.resolve()]),
            "options": [pdf, as_of.isoformat(), max_offices, os.environ.get("SITE_URL"), search],
            "common": _digest(common, dates, work / ".common.stamp")}
    progress(f"sharded build: {len(tree.parent)} offices in {len(plan)} shards of at most {max_offices} "
             f"(planned in {time.perf_counter() - started:.1f} s)")
    outputs, pending = [], []
    for shard in plan:
        out, record = work / shard.name, work / f"{shard.name}.json"
        outputs.append(out)
        key = json.dumps({**base, "files": _digest(own[shard.name], dates, work / f".{shard.name}.stamp"),
                          "offices": shard.offices})
        if out.is_dir() and record.is_file() and record.read_text(encoding="utf-8") == key:
            continue
        record.unlink(missing_ok=True)
        given = []  # the shard's files as this walk found them: it need not walk the country again
        if not walk and listable(files):  # (else it walks itself, to say what this walk found where it matters)
            write_shard_files(work / f".{shard.name}.files", plans_dir,
                              [path for path, by in zip(files, owned_by) if by in (shards.COMMON, shard.name)], tree,
                              dates)
            given = ["--files-from", str(work / f".{shard.name}.files")]
        command = [sys.executable, "-m", "sebabox.cli", "build", "--plans", str(plans_dir), "--config",
                   str(config_file), "--as-of", as_of.isoformat(), "--max-offices", str(max_offices),
                   "--shard", shard.name, str(out), "--incremental", "--keep-builds", *([] if pdf else ["--no-pdf"]),
                   *([] if search else ["--no-search"]), *given]
        pending.append((shard, command, record, key))
    try:
        if not _run_shards(pending, work, max(1, jobs), progress):
            return False
    finally:
        for shard, *_ in pending:
            (work / f".{shard.name}.files").unlink(missing_ok=True)
    clock = time.perf_counter()
    merge_site(config_file, plans_dir, out_dir, outputs, search=search, progress=progress,
               after_switch=lambda: collect_builds(work, set(own), out_dir))
    progress(f"merge: {time.perf_counter() - clock:.1f} s")
    return True


def collect_builds(work: Path, names: set[str], site: Path) -> int:
    """After the merge's switch: remove the shard builds in `work` that neither a shard's output (NAME) nor the
    live site (`site`, whose office folders link into them) points to -- shards' earlier builds, kept until now
    (build --shard --keep-builds), and what an interrupted shard build left -- and the shards no longer in the
    plan. Only this sharded build's own work folder is touched. Returns the builds removed."""
    live = linked_builds(site)
    removed = 0
    for entry in sorted(work.iterdir()):
        name = entry.name.removesuffix(".json")
        if name.startswith(".") and name.endswith(".builds") and entry.is_dir() and not entry.is_symlink():
            name = name[1:-len(".builds")]
            output = work / name
            current = output.resolve() if name in names and output.is_symlink() else None
            for build in sorted(entry.iterdir()):
                if build.name != atomic.LOCK and build.resolve() != current and build.resolve() not in live:
                    remove_tree(build) if build.is_dir() and not build.is_symlink() else build.unlink()
                    removed += 1
            if name not in names and not any(p.name != atomic.LOCK for p in entry.iterdir()):
                remove_tree(entry)
        elif name not in names and entry.name != "files.json" and not entry.name.startswith("."):
            remove_tree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
    return removed


def linked_builds(site: Path) -> set[Path]:
    """The shard builds (`.NAME.builds/b-…`, real paths) that the site's folder links point into: one level
    down from the top (merge.link_shards), so one readlink per office."""
    found: set[Path] = set()
    if not site.is_dir():
        return found
    builds: dict[str, str] = {}  # a link's text less its last two parts (…/.NAME.builds/b-…) -> that build, real
    for top in os.scandir(site.resolve()):
        if not top.is_dir(follow_symlinks=False):
            continue
        for entry in os.scandir(top.path):
            if entry.is_symlink():
                build = os.path.dirname(os.path.dirname(os.readlink(entry.path)))
                key = os.path.join(top.path, build)
                if key not in builds:  # one realpath per shard build, not per office (30,000 links at 15,000)
                    builds[key] = os.path.realpath(key)
                real = Path(builds[key])
                if real.parent.name.startswith(".") and real.parent.name.endswith(".builds"):
                    found.add(real)
                    continue
                parts = Path(os.path.realpath(entry.path)).parts
                for number in range(len(parts) - 2, -1, -1):  # the last one: …/.NAME.builds/b-…/offices/<slug>
                    if parts[number].startswith(".") and parts[number].endswith(".builds"):
                        found.add(Path(*parts[:number + 2]))
                        break
    return found


def _run_shards(pending: list[tuple], work: Path, jobs: int, progress) -> bool:
    """Build these shards, `jobs` processes at a time (1: in turn, as the publish matrix's jobs would run one
    after another on one machine); each one's time and its own peak memory are printed as it ends. False when a
    shard reports a file in another office's folder (the site is then built in one process)."""
    import subprocess

    shown: set[str] = set()
    running: list[tuple] = []
    queue = list(pending)
    failed = None
    try:
        while queue or running:
            while queue and len(running) < jobs and failed is None:
                shard, command, record, key = queue.pop(0)
                log = open(work / f".{shard.name}.log", "w+", encoding="utf-8")
                child = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, text=True)
                running.append((child, shard, record, key, log, time.perf_counter()))
            if failed is not None and not running:
                break
            finished = None
            while finished is None:
                for entry in running:
                    pid, status, usage = os.wait4(entry[0].pid, os.WNOHANG)
                    if pid:
                        finished = entry, status, usage
                        break
                else:
                    time.sleep(0.05)
            (child, shard, record, key, log, clock), status, usage = finished
            running.remove(finished[0])
            code = child.returncode = os.waitstatus_to_exitcode(status)
            log.seek(0)
            output = log.read()
            log.close()
            Path(log.name).unlink(missing_ok=True)
            for line in output.splitlines():  # the office files' warnings once, not once a shard
                if line not in shown and ("warning" in line or "error" in line or code):
                    shown.add(line)
                    progress(line)
            if code:
                failed = failed or (shard, code)
                continue
            rebuilt = next((line.rsplit("; ", 1)[-1] for line in output.splitlines()
                            if line.startswith(f"shard {shard.name}: ") and "; rebuilt " in line), "")
            indexed = next((line.split(": ", 1)[1] for line in output.splitlines()
                            if line.startswith(f"shard {shard.name} search: ")), "")
            progress(f"shard {shard.name}: {len(shard.offices)} office(s) in {time.perf_counter() - clock:.1f} s, "
                     f"peak memory {usage.ru_maxrss / 1024:.0f} MB" + (f" ({rebuilt})" if rebuilt else "")
                     + (f"; search {indexed}" if indexed else ""))
            record.write_text(key, encoding="utf-8")
    finally:
        for child, *_ in running:  # only after an interruption: stop the others
            child.kill()
            child.wait()
    if failed is not None:
        shard, code = failed
        if code == MISPLACED:
            progress("an office's file lies in another office's folder; building the site in one process")
            return False
        raise SebaboxError(f"shard {shard.name} failed; the site is unchanged")
    return True


def _dates_by_path(dates: dict, plans_dir: Path, files: list[str]) -> dict[str, object]:
    """first_published's dates (by resolved path) by the plan files' paths as plan_paths gives them, without
    resolving each path (below plans_dir the walk enters no linked folder; a linked file is resolved)."""
    if not dates:
        return {}
    by_real = {str(path): day for path, day in dates.items()}
    return {path: by_real[real] for path, real in zip(files, _real_paths(plans_dir, files)) if real in by_real}


def _resolved_dates(dates: dict[str, object], plans_dir: Path) -> dict[Path, object]:
    """_dates_by_path's dates by resolved path again, as first_published gives them."""
    paths = list(dates)
    return {Path(real): dates[path] for path, real in zip(paths, _real_paths(plans_dir, paths))}


def _real_paths(plans_dir: Path, files: list[str]) -> list[str]:
    from sebabox.inputs.planfiles import plan_links

    root, links = str(plans_dir.resolve()), plan_links(plans_dir)
    skip = 0 if str(plans_dir) == "." else len(os.path.join(str(plans_dir), ""))
    return [os.path.realpath(path) if (path in links if links is not None else os.path.islink(path))
            else os.path.join(root, path[skip:]) for path in files]


def _digest(paths: list[str], dates: dict, stamp_file: Path) -> str:
    """A digest of the bytes of these files and their first-commit dates (reporting status reads them). The
    files are read only when their names, inodes, sizes, modification times or dates differ from the last
    build's, remembered in `stamp_file` (a stat per file: at 5,000 offices 145,000, no file read and no table
    of every file's hash loaded and written again)."""
    import hashlib

    stamps = []
    for path in paths:
        info = os.stat(path)
        stamps.append(f"{path}\0{info.st_ino}\0{info.st_size}\0{info.st_mtime_ns}\0{dates.get(path, '')}\n"
                      if dates else f"{path}\0{info.st_ino}\0{info.st_size}\0{info.st_mtime_ns}\n")
    stamp = hashlib.sha256("".join(stamps).encode("utf-8", "surrogateescape")).hexdigest()
    try:
        known, content = stamp_file.read_text(encoding="utf-8").split()
        if known == stamp:
            return content
    except (OSError, ValueError):
        pass
    digest = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as handle:
            digest.update(path.encode("utf-8", "surrogateescape") + b"\0" + hashlib.file_digest(handle, "sha256").digest())
        if dates:
            digest.update(str(dates.get(path, "")).encode())
    try:
        stamp_file.with_name(stamp_file.name + ".new").write_text(f"{stamp}\n{digest.hexdigest()}\n", encoding="utf-8")
        os.replace(stamp_file.with_name(stamp_file.name + ".new"), stamp_file)
    except OSError:  # the next build reads these files again
        pass
    return digest.hexdigest()
