"""Sharded builds: the site split by subtree so that each part builds alone, in its own process or job.

A shard is the offices under one top office (a ministry or division) -- or, when that subtree has more
than `max_offices` offices, the top office with as many of its small child subtrees as fit, and each
big child subtree planned the same way in turn (`plan`). The plan is read from the office files alone
(office.yaml: slug and parent), so it is cheap at any size, deterministic (slugs sorted) and puts
every office in exactly one shard.

A shard reads only its offices' folders (plus every office.yaml, the national templates and the
calendars) and writes what belongs to its offices: their document, report and version pages, PDFs
and per-office open data; and the office page, roll-ups and status pages of every office whose whole
subtree is in the shard (`whole`). The pages of the other offices (a split office and those above it)
read several shards: the merge writes them from the shards' summaries (outputs/merge.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sebabox.errors import Problems, SebaboxError

DEFAULT_MAX_OFFICES = 100
OFFICE_FILE = "office.yaml"
META = "sebabox-shard"  # in a shard's output: shard.json and a summary per office (not hidden: CI artifacts keep it)


@dataclass(frozen=True)
class Tree:
    """Every office's parent and folder (where its office.yaml lies), from the office files only."""

    parent: dict[str, str | None]
    folder: dict[str, Path]

    def children(self) -> dict[str, list[str]]:
        kids: dict[str, list[str]] = {}
        for slug in sorted(self.parent):
            parent = self.parent[slug]
            if parent in self.parent and parent != slug:
                kids.setdefault(parent, []).append(slug)
        return kids

    def roots(self) -> list[str]:
        """Top offices (no parent, or a parent that is not an office), then offices in a parent loop."""
        kids = self.children()
        tops = [s for s in sorted(self.parent) if self.parent[s] not in self.parent or self.parent[s] == s]
        reached: set[str] = set()
        stack = list(tops)
        while stack:
            slug = stack.pop()
            if slug not in reached:
                reached.add(slug)
                stack.extend(kids.get(slug, []))
        return tops + [s for s in sorted(self.parent) if s not in reached]


def read_tree(plans_dir: Path, cache_root: Path | None = None) -> Tree:
    """The office hierarchy from plans/**/office.yaml (each file is read; nothing else is); with `cache_root`,
    through the parse cache (inputs/parsecache.py: 5,000 office files 1.0 s -> 0.5 s)."""
    from sebabox.inputs.load import load_plans
    from sebabox.inputs.parsecache import ParseCache
    from sebabox.inputs.planfiles import plan_paths
    from sebabox.model import Office

    problems = Problems()
    offices = [Path(path) for path in plan_paths(plans_dir, problems) if os.path.basename(path) == OFFICE_FILE]
    cache = ParseCache(cache_root, plans_dir) if cache_root is not None else None
    catalog = load_plans(plans_dir, problems, cache, files=offices)
    if problems.errors:
        raise SebaboxError(f"{len(problems.errors)} error(s) in the office files; run: build_site.py check {plans_dir}")
    parent, folder = {}, {}
    for slug, loaded in catalog.offices.items():
        if isinstance(loaded.model, Office):
            parent[slug] = loaded.model.parent
            folder[slug] = Path(loaded.path).parent
    return Tree(parent, folder)


@dataclass(frozen=True)
class Shard:
    name: str
    offices: tuple[str, ...]  # sorted

    def line(self) -> dict:
        return {"shard": self.name, "offices": list(self.offices)}


def plan(tree: Tree, max_offices: int = DEFAULT_MAX_OFFICES) -> list[Shard]:
    """The shards of a site, in a fixed order."""
    if max_offices < 1:
        raise SebaboxError("--max-offices must be at least 1")
    kids = tree.children()
    size: dict[str, int] = {}

    def subtree(slug: str) -> list[str]:
        found, stack = [], [slug]
        while stack:
            here = stack.pop()
            found.append(here)
            stack.extend(kids.get(here, []))
        return found

    for root in tree.roots():
        for slug in reversed(subtree(root)):  # children before parents
            size[slug] = 1 + sum(size[k] for k in kids.get(slug, []))
    shards: list[Shard] = []

    def place(root: str) -> None:
        if size[root] <= max_offices:
            shards.append(Shard(root, tuple(sorted(subtree(root)))))
            return
        groups: list[list[str]] = [[root]]
        big = []
        for child in kids.get(root, []):
            if size[child] > max_offices:
                big.append(child)
                continue
            if len(groups[-1]) + size[child] > max_offices:
                groups.append([])
            groups[-1].extend(subtree(child))
        for number, group in enumerate(groups, start=1):
            shards.append(Shard(root if number == 1 else f"{root}.{number}", tuple(sorted(group))))
        for child in big:
            place(child)

    for root in tree.roots():
        place(root)
    return shards


def find(shards: list[Shard], name: str) -> Shard:
    for shard in shards:
        if shard.name == name:
            return shard
    raise SebaboxError(f"no shard named '{name}'; the shards are listed by: build_site.py shards")


def whole(tree: Tree, offices: set[str]) -> set[str]:
    """The offices of a shard whose every descendant is in it too: their office page, roll-ups and status
    pages need nothing from another shard."""
    kids = tree.children()
    result: set[str] = set()

    def check(slug: str) -> bool:
        ok = all([check(k) for k in kids.get(slug, [])]) and all(k in offices for k in kids.get(slug, []))
        if ok and slug in offices:
            result.add(slug)
        return ok and slug in offices

    for root in tree.roots():
        check(root)
    return result


COMMON = ""  # owner_of: a file every shard reads


def owner_of(plans_dir: Path, tree: Tree):
    """A function: plan file -> the office whose folder it lies in (the nearest office.yaml above it), COMMON
    for the office files, national templates and calendars (folders starting with _), None for neither.

    Paths are compared by their parts below plans_dir, as plan_files gives them (a linked file by where it
    points); resolving every path was most of a shard's time at 5,000 offices (290,000 files). Which files are
    links, the walk knows (planfiles.plan_links); else each path is asked."""
    from sebabox.inputs.planfiles import plan_links

    root, prefix = plans_dir.resolve(), os.path.join(str(plans_dir), "")
    links = plan_links(plans_dir)
    islink = os.path.islink if links is None else links.__contains__

    real_prefix = os.path.join(str(root), "")

    def parts(path: Path | str, linked: bool = False) -> tuple[str, ...] | None:
        text = str(path)
        if not linked and "/.." not in text:
            if text.startswith(prefix):
                return tuple(text[len(prefix):].split(os.sep))
            if text.startswith(real_prefix):  # a resolved path (git's dates are by resolved path): no link in it
                return tuple(text[len(real_prefix):].split(os.sep))
        resolved = Path(text).resolve()
        return resolved.relative_to(root).parts if resolved.is_relative_to(root) else None

    owner = {parts(folder): slug for slug, folder in tree.folder.items()}

    def find(path: Path | str) -> str | None:
        if os.path.basename(path) == OFFICE_FILE:
            return COMMON
        here = parts(path, islink(str(path)))
        if here is None:
            return None
        if here[:1] and here[0].startswith("_"):
            return COMMON
        for end in range(len(here) - 1, -1, -1):
            if here[:end] in owner:
                return owner[here[:end]]
        return None

    return find


def file_selector(plans_dir: Path, tree: Tree, offices: set[str]):
    """Which plan files a shard reads: every office file, the national templates and calendars, and the
    files in its own offices' folders."""
    find = owner_of(plans_dir, tree)
    known: dict[str, bool] = {}  # a shard asks twice (check, fingerprint) of each of the country's files

    def select(path: Path) -> bool:
        key = str(path)
        if key not in known:
            owner = find(path)
            known[key] = owner == COMMON or owner in offices
        return known[key]

    return select


class Misplaced(SebaboxError):
    exit_code = 3  # build_sharded then builds the site in one process


def misplaced(catalog, offices: set[str]) -> list[str]:
    """Documents read from a shard's folders that name an office of another shard: a sharded build reads
    each office's files from its own folder only."""
    found = []
    for loaded in [*catalog.apas, *catalog.plans, *catalog.charters, *catalog.progress]:
        if loaded.model.office not in offices:
            found.append(f"{loaded.path}: office '{loaded.model.office}' is not in this shard; a sharded build reads "
                         f"each office's files from its own folder: move the file to that office's folder")
    return found


def owned(relative: str, offices: set[str], templates_issuer: bool) -> bool:
    """Is this output file (a path relative to the site root) one the shard writes for its offices?"""
    parts = relative.split("/")
    if parts[0] == "pdf":
        return True
    if parts[0] in ("offices", "data") and len(parts) > 2:
        return parts[1] in offices
    return parts[0] == "national-templates" and len(parts) > 2 and templates_issuer


def prune(site_dir: Path, offices: set[str], templates_issuer: bool) -> None:
    """Remove from a shard's output what the merge writes (theme, hand-written pages, cross-shard pages)."""
    for folder, dirs, names in os.walk(site_dir, topdown=False):
        here = Path(folder)
        for name in names:
            path = here / name
            if not owned(path.relative_to(site_dir).as_posix(), offices, templates_issuer) \
                    and not path.relative_to(site_dir).as_posix().startswith(META + "/"):
                path.unlink()
        if here != site_dir and not any(here.iterdir()):
            here.rmdir()


@dataclass
class Scope:
    """What one shard's build writes: its offices' files, the whole subtrees' pages, and the summaries."""

    name: str
    offices: set[str]
    whole: set[str]

    def record(self, plugin, pages: list[tuple[tuple, str]]) -> None:
        """Write META/shard.json and one summary per office into the shard's output (outputs/summary.py)."""
        import json

        from sebabox.outputs import opendata, summary
        from sebabox.outputs.publish import write_text
        from sebabox.outputs.render import content_date

        site, catalog, status = plugin.site, plugin.catalog, plugin.status
        meta = plugin._site_dir / META
        by_slug: dict[str, list] = {}
        for key, url in pages:
            by_slug.setdefault(key[1], []).append([list(key), url])
        entries: dict[str, list] = {}
        reports: dict[str, list] = {}
        for doc in site.docs + site.reports:
            entries.setdefault(doc.office.slug, []).append(doc)
        for report in site.reports:
            reports.setdefault(report.office.slug, []).append(report)
        update = plugin.update  # an incremental build wrote only some pages: the others' keys are the last build's
        office_entries = {}
        for slug in sorted(self.offices):
            if update is not None and slug not in update.changed:
                try:
                    kept = summary.read(meta, slug)["pages"]
                except (OSError, ValueError, KeyError):
                    kept = []
                new = by_slug.get(slug, [])
                by_slug[slug] = [p for p in kept if p[0][0] in (0, 1)] + (new or [p for p in kept if p[0][0] > 1])
            own = site.by_office.get(slug, [])
            content = max((d for doc in own if (d := content_date(doc))), default=None)
            office_entries[slug] = opendata.office_entry(catalog, slug, entries.get(slug, []), status)
            summary.write(meta, slug, summary.office_summary(slug, own, reports.get(slug, []), status, content,
                                                             by_slug.get(slug, [])))
        summary.write_entries(meta, office_entries)
        manifest = {"format": summary.FORMAT, "shard": self.name, "offices": sorted(self.offices),
                    "whole": sorted(self.whole), "as_of": status.as_of.isoformat(),
                    "templates": by_slug.get("\uffff", [])}
        write_text(meta, "shard.json", json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
