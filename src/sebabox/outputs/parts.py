"""The national open data in parts, so that one office's update rewrites one part, not the country's files.

A part is a fixed group of offices taken from the office tree alone (`plan`: shards.plan with the part size,
100 offices unless mkdocs.yml says otherwise), never from how a build happens to be sharded: a single build
and a sharded build of the same plans write the same parts, byte for byte. With one part (a small site) the
files are laid out as before (national.py); with several, each part P has
  data/national/<table>/<table>-P.csv|json    its offices' rows of each national table (each a whole CSV with
                                              its header, each a whole JSON array)
  data/bulk/sebabox-open-data-P.zip           everything of its offices, its tables and datapackage-P.json
  data/bulk/sebabox-open-data-P-<fy>.zip      one fiscal year of it
and data/datapackage.json describes each table as one Frictionless resource whose `path` lists the parts' CSVs
in order (a reader of the package reads the whole country's table).

A part's files depend only on its offices' files under data/<office>/ (and this code's format), so they are
kept in CACHE/.parts/P/<key>/ as hard links, the key made of the bytes of those files. An office's files are
hashed once: their digest is remembered by inode, size and modification time (a merge links unchanged
offices' files as they are). A part whose key is found is linked from there after checking that its files
are still the ones kept (same inode, size, modification time): an unchanged part costs a link per file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from sebabox.outputs import datapackage as dp
from sebabox.outputs import national, zips
from sebabox.outputs.incremental import remove_tree
from sebabox.outputs.publish import write_text

FORMAT = "sebabox-parts-1"  # change when what a part's files hold changes (with national.PACK_FORMAT)
STORE = ".parts"  # under the national cache: no office's slug starts with a dot
_SAFE = re.compile(r"[a-z0-9][a-z0-9._-]*")
_OWN = re.compile(r"data/(national/[a-z0-9_]+|bulk)/[a-z0-9][a-z0-9._-]*")  # what a part writes, nothing else


@dataclass(frozen=True)
class Part:
    name: str  # its first top office's slug, with .2, .3 … when that office's subtree is split
    offices: tuple[str, ...]  # sorted
    tops: tuple[str, ...]  # the top offices of the subtrees it holds (the first names it)


def group(shards: list, size: int) -> list[Part]:
    """The parts of a site, in a fixed order, from shards.plan of its office tree with `size` offices at most
    (a big office's subtree split): small neighbours put together up to `size` (a small site is one part)."""
    found: list[Part] = []
    for shard in shards:
        top = shard.name.rsplit(".", 1)[0] if "." in shard.name else shard.name  # slugs have no dots
        if found and len(found[-1].offices) + len(shard.offices) <= size:
            last = found.pop()
            found.append(Part(last.name, tuple(sorted(last.offices + shard.offices)), last.tops + (top,)))
        else:
            found.append(Part(shard.name, tuple(shard.offices), (top,)))
    return found


def write_parts(site_dir: Path, slugs: list[str], parts: list[Part], created: str, sizes: dict[str, int],
                cache: Path | None) -> list[str]:
    """Every part's files (kept ones linked, the others written), then data/datapackage.json; returns the
    fiscal years of all parts."""
    for folder in ("data/national", "data/bulk"):  # all made here: nothing of another layout stays
        remove_tree(site_dir / folder)
    with national.spooled(site_dir, cache) as chunks:
        return _write_parts(site_dir, slugs, parts, created, sizes, cache, chunks)


def _write_parts(site_dir: Path, slugs: list[str], parts: list[Part], created: str, sizes: dict[str, int],
                 cache: Path | None, chunks) -> list[str]:
    present = set(slugs)
    store = _Store(cache / STORE) if cache is not None else None
    years: set[str] = set()
    common = _common()
    for part in parts:
        offices = [slug for slug in part.offices if slug in present]
        key = _key(common, site_dir, part.name, offices, cache)
        kept = store.reuse(site_dir, part.name, key) if store is not None else None
        if kept is None:
            kept = _write_part(site_dir, part.name, offices, chunks, cache)
            if store is not None:
                store.keep(site_dir, part.name, key, kept)
        sizes.update(kept["files"])
        years.update(kept["years"])
    if store is not None:
        store.prune({part.name for part in parts})
    resources = []
    for table, (description, columns) in dp.TABLES.items():
        paths = [national.national_path(table, "csv", part.name).removeprefix("data/") for part in parts]
        resource = dp.csv_resource(table, paths, columns, description + f" In {len(parts)} parts (one CSV each, each "
                                   "with the header row), to be read one after another in this order.")
        resources.append(resource)
    package = dp.package("sebabox", national.TITLE, national.TITLE + ".", resources, created)
    write_text(site_dir, "data/datapackage.json", national.json_text(package))
    for name in ("data/datapackage.json", "data/offices.json", national.LICENCE_FILE):
        sizes[name] = (site_dir / name).stat().st_size
    return sorted(years)


def _write_part(site_dir: Path, name: str, offices: list[str], chunks, cache: Path | None) -> dict:
    """One part's tables and zips; {"files": {path: size}, "years": [...]}."""
    files: dict[str, int] = {}
    tables = {table: national.write_table(site_dir, table, columns, offices, chunks, files, name)
              for table, (_, columns) in dp.TABLES.items()}
    chunks.spool.flush()
    own = national.office_files(site_dir, offices, cache)

    def arcname(table: str, ext: str) -> str:  # as under data/: the parts' zips unpack into one folder
        return national.national_path(table, ext, name).removeprefix("data/")

    title = f"{national.TITLE}: part {name}"
    package_name = f"datapackage-{name}.json"
    years = sorted({key for outputs in tables.values() for key in outputs if key})
    for fy in years:
        members = national.year_members(site_dir, tables, fy, offices, own, None, f"sebabox-{name}-{fy}",
                                        f"{title}, fiscal year {fy}", arcname, package_name)
        _zip(site_dir, national.fiscal_year_zip_path(fy, name), members, files)
    resources = [dp.csv_resource(table, arcname(table, "csv"), columns, description,
                                 files[national.national_path(table, "csv", name)])
                 for table, (description, columns) in dp.TABLES.items()]
    package = national.json_text(dp.package(f"sebabox-{name}", title, title + ".", resources, None)).encode()
    members = [(arcname(table, ext), tables[table][""][ext]) for table in dp.TABLES for ext in ("csv", "json")]
    members.append((package_name, national.bytes_member(package)))
    data = site_dir / "data"
    for slug in offices:
        for here, dirs, names in os.walk(data / slug):
            dirs.sort()
            rel = Path(here).relative_to(data)
            members += [((rel / n).as_posix(), own[slug].get(n) if rel.as_posix() == slug and n in own[slug]
                         else Path(here, n)) for n in sorted(names) if not n.endswith(".zip")]
    members.append(("LICENSE.txt", data / "LICENSE.txt"))
    _zip(site_dir, national.everything_path(name), members, files)
    return {"files": files, "years": years}


def _zip(site_dir: Path, relative: str, members: list, files: dict[str, int]) -> None:
    zips.write_zip(site_dir, relative, members)
    files[relative] = (site_dir / relative).stat().st_size


# --------------------------------------------------------------------------- what a part is made of


def _common() -> bytes:
    """What every part's files depend on besides its offices: the format, the tables' schemas, the licence."""
    tables = {table: [description, dp.table_schema(columns)] for table, (description, columns) in dp.TABLES.items()}
    head = [FORMAT, national.PACK_FORMAT, dp.sebabox_version(), tables, dp.LICENCE_TEXT, dp.LICENCE]
    return json.dumps(head, ensure_ascii=False).encode()


def _key(common: bytes, site_dir: Path, name: str, offices: list[str], cache: Path | None) -> str:
    """The part's files are a function of this: its name, `common` and the bytes of its offices' files."""
    digest = hashlib.sha256(common)
    digest.update(f"\0{name}".encode())
    for slug in offices:
        digest.update(f"\0{slug}\0{office_digest(site_dir, slug, cache)}".encode())
    return digest.hexdigest()


def office_digest(site_dir: Path, slug: str, cache: Path | None) -> str:
    """SHA-256 of the names and bytes of an office's files under data/<office>/; remembered in
    CACHE/<office>/files.json by the files' device, inode, size and modification time, and in linked.txt by
    the shard build a merged site's folder links to (_shard_build)."""
    folder = site_dir / "data" / slug
    memo = cache / slug / "files.json" if cache is not None and _SAFE.fullmatch(slug) else None
    linked = _shard_build(folder) if memo is not None else None
    if linked is not None:
        try:
            where, digest = (memo.parent / "linked.txt").read_text(encoding="utf-8").split("\n")[:2]
            if where == linked:
                return digest
        except (OSError, ValueError):
            pass
    digest = _digest(folder, memo)
    if linked is not None:
        _write_text(memo.parent / "linked.txt", f"{linked}\n{digest}\n")
    return digest


def _digest(folder: Path, memo: Path | None) -> str:
    stamps = _stamps(str(folder), "")
    if memo is not None:
        try:
            known = json.loads(memo.read_text(encoding="utf-8"))
            if known["stamps"] == stamps:
                return known["digest"]
        except (OSError, ValueError, KeyError, TypeError):
            pass
    digest = hashlib.sha256()
    for relative, *_ in stamps:
        digest.update(relative.encode() + b"\0")
        with open(folder / relative, "rb") as handle:
            digest.update(hashlib.file_digest(handle, "sha256").digest())
    if memo is not None:
        _write_json(memo, {"stamps": stamps, "digest": digest.hexdigest()})
    return digest.hexdigest()


def _shard_build(folder: Path) -> str | None:
    """Where an office's folder links to when it is a link into a shard's versioned build (outputs/merge.py:
    `.NAME.builds/b-…/data/<office>`, a build that is never written again and whose name is never reused), so
    that an unchanged shard's offices are not statted file by file (380,000 files at 5,000 offices); else None."""
    try:
        text = os.readlink(folder)
    except OSError:  # not a link
        return None
    build, below = os.path.split(os.path.dirname(text))[0], os.path.join(*Path(text).parts[-2:])
    key = os.path.join(folder.parent, build)
    if key not in _REAL:  # one realpath per shard build, not one per office (15,000 of them)
        _REAL[key] = os.path.realpath(key)
    name = os.path.basename(os.path.dirname(_REAL[key]))
    if not (name.startswith(".") and name.endswith(".builds")) or os.path.islink(os.path.join(_REAL[key], below)):
        return None
    return os.path.join(_REAL[key], below)


_REAL: dict[str, str] = {}  # _shard_build: a link's build folder (as the link says it) -> where it really is


def _stamps(folder: str, prefix: str) -> list[list]:
    """[relative name, device, inode, size, modification time] of every file below `folder`, sorted."""
    found = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return found
    for entry in entries:
        if entry.is_dir():
            found += _stamps(entry.path, prefix + entry.name + "/")
        else:
            info = entry.stat()
            found.append([prefix + entry.name, info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns])
    return found


class _Store:
    """Parts' files kept as hard links: ROOT/<part>/<key>/<n> and manifest.json; one key per part (the newest)."""

    def __init__(self, root: Path):
        self.root = root

    def reuse(self, site_dir: Path, name: str, key: str) -> dict | None:
        """The part's files linked into the site when they are kept and unchanged since; else None."""
        if not _SAFE.fullmatch(name):
            return None
        entry = self.root / name / key
        try:
            manifest = json.loads((entry / "manifest.json").read_text(encoding="utf-8"))
            for relative, (number, size, inode, mtime) in manifest["files"].items():
                info = (entry / str(number)).stat()
                if (info.st_size, info.st_ino, info.st_mtime_ns) != (size, inode, mtime) or \
                        not _OWN.fullmatch(relative):
                    return None
        except (OSError, ValueError, KeyError, TypeError):
            return None
        try:
            for relative, (number, *_) in manifest["files"].items():
                _link(entry / str(number), site_dir / relative)
        except OSError:  # gone meanwhile (another build's prune): written again; what was linked is replaced
            return None
        return {"files": {relative: size for relative, (_, size, *_) in manifest["files"].items()},
                "years": manifest["years"]}

    def keep(self, site_dir: Path, name: str, key: str, made: dict) -> None:
        if not _SAFE.fullmatch(name):
            return
        folder = self.root / name
        new = folder / f".new-{key}-{os.getpid()}"
        try:
            remove_tree(new)
            new.mkdir(parents=True)
            files = {}
            for number, relative in enumerate(sorted(made["files"])):
                _link(site_dir / relative, new / str(number))
                info = (new / str(number)).stat()
                files[relative] = [number, info.st_size, info.st_ino, info.st_mtime_ns]
            _write_json(new / "manifest.json", {"files": files, "years": made["years"]})
            for old in folder.iterdir():  # the part's older keys: its files as they were
                if old != new:
                    remove_tree(old)
            os.replace(new, folder / key)
        except OSError:  # kept or not, the site is right; the next build writes the part again
            remove_tree(new)


    def prune(self, names: set[str]) -> None:
        """Forget the parts of another plan (an office moved, a part split): their files are never linked again."""
        try:
            for folder in self.root.iterdir():
                if folder.name not in names:
                    remove_tree(folder)
        except OSError:
            pass


def _link(source: Path, target: Path) -> None:
    """`target` becomes the file `source` (a hard link, else a copy); never written through."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _write_json(path: Path, data) -> None:
    _write_text(path, json.dumps(data))


def _write_text(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        pass
