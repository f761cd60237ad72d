"""The merge of a sharded build: one complete site from the shards' outputs (outputs/shards.py).

The shards' files are linked into a new build directory as they are; then everything that reads more
than one shard is written from the shards' summaries (outputs/summary.py), by the same functions a
single build uses: the home page, the section pages, the data page, the office pages, roll-ups and
status pages of offices whose subtree spans shards, the national status pages, offices.json, the
status table, the national tables and zips, and the sitemap. Only the office files, the national
templates and the calendars are read from plans/ (names and the hierarchy); no plan is loaded.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from sebabox.errors import Problems, SebaboxError
from sebabox.outputs import summary
from sebabox.outputs.shards import META, OFFICE_FILE


@dataclass
class Merged:
    catalog: object  # offices, national templates and calendars only
    site: object  # docs, reports, by_office (summaries) and templates, as SiteDocuments has them
    status: object  # scoring.status.Status, rebuilt from the cells
    offices_json: tuple  # offices.json: (head, a file of the entries, tail), opendata.offices_text
    rest: set[str]  # offices whose office page, roll-ups and status pages read several shards
    pages: list[list]  # [sitemap key, address] of every page the shards wrote
    generated_at: str
    epoch: int


def manifests(shard_dirs: list[Path]) -> list[dict]:
    found = []
    for folder in shard_dirs:
        try:
            found.append(json.loads((folder / META / "shard.json").read_text(encoding="utf-8")))
        except (OSError, ValueError):
            raise SebaboxError(f"{folder} is not a shard's output (no {META}/shard.json); make one with: "
                               "build_site.py build --shard NAME OUT") from None
        if found[-1].get("format") != summary.FORMAT:
            raise SebaboxError(f"{folder} was built by another sebabox version; build that shard again")
    return found


def inputs(plans_dir: Path, shard_dirs: list[Path], cache_root: Path | None = None) -> Merged:
    """Everything the merge's pages and files need, from the summaries and the office files. Millions of
    objects and no garbage: without the garbage collector (at 5,000 offices it was two thirds of the time)."""
    from sebabox.inputs.load import no_garbage_collection

    with no_garbage_collection():
        return _inputs(plans_dir, shard_dirs, cache_root)


def _inputs(plans_dir: Path, shard_dirs: list[Path], cache_root: Path | None) -> Merged:
    from sebabox.inputs.load import load_plans
    from sebabox.inputs.parsecache import ParseCache
    from sebabox.inputs.planfiles import plan_paths
    from sebabox.outputs import opendata
    from sebabox.outputs.report import template_views
    from sebabox.scoring.status import Status, _roll_up

    found = manifests(shard_dirs)
    problems = Problems()
    cache = ParseCache(cache_root, plans_dir) if cache_root is not None else None
    common = _office_or_common(plans_dir)
    catalog = load_plans(plans_dir, problems, cache, files=[Path(path) for path in plan_paths(plans_dir, problems)
                                                     if common(path)])
    if problems.errors:
        raise SebaboxError(f"{len(problems.errors)} error(s) in {plans_dir}; run: build_site.py check {plans_dir}")
    where: dict[str, Path] = {}
    for folder, manifest in zip(shard_dirs, found):
        for slug in manifest["offices"]:
            if slug in where:
                raise SebaboxError(f"office '{slug}' is in two shards ({where[slug]} and {folder}); merge one plan's shards")
            where[slug] = folder
    missing = sorted(set(catalog.offices) - set(where))
    if missing:
        raise SebaboxError(f"{len(missing)} office(s) are in no shard given ({', '.join(missing[:5])}…); merge "
                           "every shard that build_site.py shards lists")
    unknown = sorted(set(where) - set(catalog.offices))
    if unknown:
        raise SebaboxError(f"the shards hold offices that {plans_dir} does not ({', '.join(unknown[:5])}); "
                           "build the shards from the same plans")
    dates = {m["as_of"] for m in found}
    if len(dates) > 1:
        raise SebaboxError(f"the shards were built with different reference dates ({', '.join(sorted(dates))}); "
                           "build every shard with the same --as-of")
    decoded = {}
    for folder, manifest in zip(shard_dirs, found):
        decoded.update(summary.read_shard(folder / META, manifest["offices"]))
    offices = summary.Offices()
    for slug in sorted(catalog.offices):
        offices.add(decoded.pop(slug), catalog.offices[slug].model)
    try:
        summary.merged_entries([folder / META for folder in shard_dirs], sorted(catalog.offices), offices.entries)
    except (OSError, ValueError) as exc:
        raise SebaboxError(f"the shards' offices.json entries cannot be merged ({exc}); build the shards again") from None
    templates = template_views(catalog)
    site = SimpleNamespace(docs=offices.docs + templates, reports=offices.reports, by_office=offices.by_office,
                           templates=templates)
    as_of = dt.date.fromisoformat(found[0]["as_of"]) if found else dt.date.today()
    status = Status(as_of, {fy: loaded.model for fy, loaded in catalog.calendars.items()},
                    {slug: offices.cells.get(slug, []) for slug in sorted(catalog.offices)}, offices.published)
    _roll_up(catalog, status)
    latest = max(offices.content, default=dt.date(1980, 1, 1))  # the site's date, as a single build dates it
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or
                dt.datetime(latest.year, latest.month, latest.day, tzinfo=dt.timezone.utc).timestamp())
    generated = dt.datetime.fromtimestamp(epoch, dt.timezone.utc).date().isoformat()
    offices_json = opendata.offices_text(offices.entries, generated, status)
    whole = {slug for m in found for slug in m["whole"]}
    pages = offices.pages + [p for m in found for p in m["templates"]]
    return Merged(catalog, site, status, offices_json, set(catalog.offices) - whole, pages, generated, epoch)


def _office_or_common(plans_dir: Path):
    """A test of a plan file's path: an office file, or a national template or calendar (in a folder starting
    with _ at the top of plans/; plan_paths gives paths under plans_dir as given)."""
    skip = 0 if str(plans_dir) == "." else len(os.path.join(str(plans_dir), ""))

    def common(path: str) -> bool:
        return path == OFFICE_FILE or path.endswith(os.sep + OFFICE_FILE) or path.startswith("_", skip)

    return common


def link_shards(shard_dirs: list[Path], target: Path, written: set[str] = frozenset()) -> Linked:
    """The shards' files in `target`, the new build: each directory one level down (offices/<slug>/,
    data/<slug>/, pagefind-shards/<shard>/, …) that one shard alone holds as ONE relative symbolic link into
    that shard's versioned build (`work/NAME -> .NAME.builds/b-…` resolved: a shard built again for the next
    merge leaves the build this site links to as it is); directories that several shards fill (pdf/, …) or that
    the merge writes into (`written`, site-relative: the office pages of offices whose subtree spans shards) as
    real directories of hard links, as before. So linking costs one link per office, not one per file
    (a file that two shards both wrote is an error: they must not overlap). The merge's writers refuse a path
    through such a link (publish.open_output, site/plugin.py): a shard's build is never written to."""
    linked = Linked()
    claims: dict[str, list[tuple[Path, bool]]] = {}  # "top/child" or "file" -> (shard build, is a directory)
    sizes: dict[tuple[Path, str], int] = {}  # (shard build, top folder) -> its entries
    for folder in shard_dirs:
        build = folder.resolve()  # the versioned build, never the NAME link that the shard's next build moves
        for entry in sorted(os.scandir(build), key=lambda e: e.name):
            if entry.name == META:
                continue
            if not entry.is_dir(follow_symlinks=False):
                claims.setdefault(entry.name, []).append((build, False))
                continue
            for child in os.scandir(entry.path):
                claims.setdefault(f"{entry.name}/{child.name}", []).append((build, child.is_dir(follow_symlinks=False)))
                sizes[build, entry.name] = sizes.get((build, entry.name), 0) + 1
    copies: dict[tuple[Path, str], list[str]] = {}  # (shard build, top folder) -> its children to hard-link
    for key in sorted(claims):
        owners = claims[key]
        top, _, child = key.partition("/")
        if not child:  # a file at the top: hard-linked (none today: a shard's output has folders only)
            for build, _ in owners:
                _link_file(build / key, target / key, target)
            continue
        if len(owners) == 1 and owners[0][1] and key not in written:
            build = owners[0][0]
            folder = target / top
            if folder.name not in linked.folders:
                folder.mkdir(exist_ok=True)
                linked.folders.add(folder.name)
            os.symlink(os.path.relpath(build / key, folder), folder / child)
            linked.links += 1
            linked.builds.add(build)
            continue
        for build, _ in owners:
            copies.setdefault((build, top), []).append(child)
    for (build, top), children in sorted(copies.items()):
        linked.copied += len(children)
        if len(children) == sizes[build, top]:  # the whole folder (pdf/: every shard's PDFs side by side)
            _copy_links(build, "", [top], target)
        else:
            (target / top).mkdir(exist_ok=True)
            _copy_links(build, top, children, target)
    return linked


@dataclass
class Linked:
    """What link_shards made: symbolic links (one a directory), entries copied as hard links, the shard builds
    linked to."""

    links: int = 0
    copied: int = 0
    builds: set = field(default_factory=set)
    folders: set = field(default_factory=set)


def _copy_links(build: Path, top: str, children: list[str], target: Path) -> None:
    """build/top/<child> for each child into target/top/ as hard links (`cp -al`, many at a time; a copy across
    file systems); a file already there from another shard is an error."""
    import shutil

    for start in range(0, len(children), 500):
        sources = [str(build / top / name) for name in children[start:start + 500]]
        result = subprocess.run(["cp", "-al", "--", *sources, f"{target / top}/"], capture_output=True,
                                text=True) if shutil.which("cp") else None
        if result is not None and result.returncode == 0:
            continue
        for source in map(Path, sources):
            walked = [(str(source.parent), [], [source.name])] if not source.is_dir() else os.walk(source)
            for here, _, names in walked:
                for name in names:
                    _link_file(Path(here, name), target / Path(here, name).relative_to(build), target)


def _link_file(source: Path, dest: Path, target: Path) -> None:
    import shutil

    if dest.exists() and os.path.samefile(source, dest):
        return
    if dest.exists():
        raise SebaboxError(f"two shards wrote {dest.relative_to(target)}; merge one plan's shards")
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, dest)
    except OSError:
        shutil.copy2(source, dest)
