"""The national tables (every office's rows), their datapackage, and the zips of each fiscal year and of everything.

Made from the offices' row files already under data/<office>/ (bulk.write_office), office by office, so an
incremental build or a merge makes them by reading, not by scoring every office. What would be slow at
national size is compressing: hundreds of megabytes twice (the year's zip and the zip of everything) on every
build, although one office changed. So:
  - each office's part of a national table is deflated on its own (zips.compress_chunk) and kept in
    CACHE/<office>/<table>.pack, keyed by the bytes of the office's row file: an office whose rows did not
    change costs a copy of its compressed bytes (and their decompression for the table file itself);
  - an office's own files go into the big zips as the compressed bytes of its own zip (zips.from_zip).
The zips are the same bytes whether the chunks came from the cache or were made afresh (tested).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import re
import tempfile
import zlib
from pathlib import Path

from sebabox.outputs import datapackage as dp
from sebabox.outputs import zips
from sebabox.outputs.incremental import remove_tree
from sebabox.outputs.publish import open_output, write_text
from sebabox.outputs.tables import csv_safe, csv_text

TITLE = "sebabox: every office's plans, reports and scores"
EVERYTHING = "data/bulk/sebabox-open-data.zip"
LICENCE_FILE = "data/LICENSE.txt"
PACK_FORMAT = "sebabox-national-1"
_SEPARATOR = {True: zips.compress_chunk(b"\n"), False: zips.compress_chunk(b",\n")}  # before an office's JSON rows
_SAFE_SLUG = re.compile(r"[a-z0-9][a-z0-9._-]*")


def fiscal_year_zip_path(fiscal_year: str, part: str | None = None) -> str:
    return f"data/bulk/sebabox-open-data-{fiscal_year}.zip" if part is None else \
        f"data/bulk/sebabox-open-data-{part}-{fiscal_year}.zip"


def everything_path(part: str | None = None) -> str:
    return EVERYTHING if part is None else f"data/bulk/sebabox-open-data-{part}.zip"


def national_path(table: str, ext: str, part: str | None = None) -> str:
    """A national table's file (one part: every office) or one part's file of it (parts.py)."""
    return f"data/national/{table}.{ext}" if part is None else f"data/national/{table}/{table}-{part}.{ext}"


def table_path(slug: str, table: str, ext: str) -> str:
    return f"data/{slug}/{slug}-{table}.{ext}"


def office_zip_path(slug: str) -> str:
    return f"data/{slug}/{slug}-open-data.zip"


def write_national(site_dir: Path, slugs: list[str], created: str, sizes: dict[str, int],
                   cache: Path | None = None) -> list[str]:
    """National tables, their datapackage, and the zips of each year and of everything; returns the fiscal
    years. `sizes` receives the size of every file the data page lists. `cache`: where offices' compressed
    chunks are kept between builds (none: every chunk is made afresh, the same bytes). A site in parts:
    parts.py, with these functions."""
    for folder in ("data/national", "data/bulk"):  # all made here: nothing of another layout stays
        remove_tree(site_dir / folder)
    with spooled(site_dir, cache) as chunks:
        tables = {table: write_table(site_dir, table, columns, slugs, chunks, sizes)
                  for table, (_, columns) in dp.TABLES.items()}
        chunks.spool.flush()
        return _write_zips(site_dir, tables, slugs, created, sizes, cache)


@contextlib.contextmanager
def spooled(site_dir: Path, cache: Path | None):
    """A _Chunks whose compressed pieces lie in a temporary file beside the site (removed after)."""
    spool_dir = Path(tempfile.mkdtemp(prefix=".sebabox-national-", dir=site_dir.parent))
    try:
        with open(spool_dir / "chunks", "w+b") as spool:
            yield _Chunks(spool_dir / "chunks", spool, cache)
    finally:
        remove_tree(spool_dir)


def office_files(site_dir: Path, slugs: list[str], cache: Path | None) -> dict[str, dict[str, zips.Raw]]:
    """Each office's files as the compressed members of its own zip (zips.from_zip)."""
    data = site_dir / "data"
    return {slug: zips.from_zip(site_dir / office_zip_path(slug), data / slug,
                                cache / slug / "zip.json" if cache is not None and _SAFE_SLUG.fullmatch(slug) else None)
            for slug in slugs}


def year_members(site_dir: Path, tables: dict, fiscal_year: str, slugs: list[str], own: dict, created: str | None,
                 name: str, title: str, table_arcname, package_arcname: str = "datapackage.json") -> list[tuple[str, object]]:
    """The members of a fiscal year's zip: that year's rows of each table (its header when it has none; the
    offices table whole), their datapackage, the offices' files of that year and the licence."""
    members, resources = [], []
    for table, (description, columns) in dp.TABLES.items():
        outputs = tables[table]
        pair = outputs.get(fiscal_year) or (outputs[""] if table == "offices" else empty(columns))
        members += [(table_arcname(table, "csv"), pair["csv"]), (table_arcname(table, "json"), pair["json"])]
        resources.append(dp.csv_resource(table, table_arcname(table, "csv"), columns, description, pair["csv"].size))
    package = json_text(dp.package(name, title, title + ".", resources, created)).encode()
    data = site_dir / "data"
    members.append((package_arcname, bytes_member(package)))
    for slug in slugs:
        members += [(f"{slug}/{p.name}", own[slug].get(p.name) or p)
                    for p in sorted((data / slug).glob(f"{slug}-{fiscal_year}-*")) if p.suffix != ".zip"]
    return [*members, ("LICENSE.txt", data / "LICENSE.txt")]


def _write_zips(site_dir: Path, tables: dict, slugs: list[str], created: str, sizes: dict[str, int],
                cache: Path | None) -> list[str]:
    years = sorted({key for outputs in tables.values() for key in outputs if key})
    resources = [dp.csv_resource(t, f"national/{t}.csv", c, d, sizes[f"data/national/{t}.csv"])
                 for t, (d, c) in dp.TABLES.items()]
    write_text(site_dir, "data/datapackage.json", json_text(dp.package("sebabox", TITLE, TITLE + ".", resources, created)))
    sizes["data/datapackage.json"] = (site_dir / "data/datapackage.json").stat().st_size
    data = site_dir / "data"
    own = office_files(site_dir, slugs, cache)
    for fy in years:
        members = year_members(site_dir, tables, fy, slugs, own, created, f"sebabox-{fy}",
                               f"{TITLE}, fiscal year {fy}", lambda table, ext: f"{table}.{ext}")
        zips.write_zip(site_dir, fiscal_year_zip_path(fy), members)
        sizes[fiscal_year_zip_path(fy)] = (site_dir / fiscal_year_zip_path(fy)).stat().st_size
    everything = []
    for folder, _, names in os.walk(data, followlinks=True):  # a merged site links office folders (merge.link_shards)
        rel = Path(folder).relative_to(data)
        office = own.get(rel.as_posix(), {}) if len(rel.parts) == 1 else {}
        for name in names:
            if name.endswith(".zip"):
                continue
            arcname = (rel / name).as_posix()
            national = tables.get(Path(name).stem) if rel.as_posix() == "national" else None
            everything.append((arcname, national[""][Path(name).suffix[1:]] if national else
                               office.get(name) or Path(folder, name)))
    zips.write_zip(site_dir, EVERYTHING, everything)
    sizes[EVERYTHING] = (site_dir / EVERYTHING).stat().st_size
    for name in ("data/offices.json", LICENCE_FILE):
        sizes[name] = (site_dir / name).stat().st_size
    return years


def write_table(site_dir: Path, table: str, columns, slugs: list[str], chunks: "_Chunks",
                 sizes: dict[str, int], part: str | None = None) -> dict[str, dict[str, zips.Pieces]]:
    """data/national/<table>.csv|json (or a part's file of it), written office by office, and the compressed
    pieces of it and of each fiscal year's part: {"" or fiscal year: {"csv": Pieces, "json": Pieces}}."""
    names = [c.name for c in columns]
    header = csv_text(names, []).encode("utf-8")
    outputs: dict[str, dict[str, zips.Pieces]] = {}

    def pair(key: str) -> dict[str, zips.Pieces]:
        if key not in outputs:
            outputs[key] = {"csv": zips.Pieces(), "json": zips.Pieces()}
            outputs[key]["csv"].add(header, zips.compress_chunk(header))
            outputs[key]["json"].add(b"[", zips.compress_chunk(b"["))
        return outputs[key]

    with contextlib.ExitStack() as stack:
        files = {ext: stack.enter_context(open_output(site_dir, national_path(table, ext, part))) for ext in ("csv", "json")}
        files["csv"].write(header)
        files["json"].write(b"[")
        pair("")
        line = _CsvLine(names)
        for slug in slugs:
            path = site_dir / table_path(slug, table, "json")
            if not path.is_file():
                continue
            for key, parts in chunks.office(slug, table, path.read_bytes(), line).items():
                for ext in ("csv", "json"):
                    raw, compressed = parts[ext]
                    target = pair(key)[ext]
                    if ext == "json":
                        separator = target.size == 1  # only "[" so far: the table's first row
                        target.add(b"\n" if separator else b",\n", _SEPARATOR[separator])
                        if key == "":
                            files["json"].write(b"\n" if separator else b",\n")
                    target.add(raw, compressed)
                    if key == "":
                        files[ext].write(raw)
        for key, entry in outputs.items():
            closing = b"]\n" if entry["json"].size == 1 else b"\n]\n"  # "[]" when no row, as json_rows writes it
            if key == "":
                files["json"].write(closing)
            entry["json"].add(closing, zips.compress_chunk(closing))
    for ext in ("csv", "json"):
        sizes[national_path(table, ext, part)] = (site_dir / national_path(table, ext, part)).stat().st_size
    return outputs


def empty(columns) -> dict[str, zips.Pieces]:
    csv_bytes = csv_text(columns, []).encode("utf-8")
    return {"csv": bytes_member(csv_bytes), "json": bytes_member(b"[]\n")}


def bytes_member(data: bytes) -> zips.Pieces:
    member = zips.Pieces()
    member.add(data, zips.compress_chunk(data))
    return member


class _Chunks:
    """An office's part of a table, per fiscal year ("" = all years) and format: its bytes and where its
    compressed bytes lie in this build's spool file. From CACHE/<office>/<table>.pack when the office's row file
    is the one the pack was made from; else made and the pack written again."""

    def __init__(self, spool_path: Path, spool, cache: Path | None):
        self.spool_path, self.spool, self.cache = spool_path, spool, cache

    def office(self, slug: str, table: str, text: bytes, line: "_CsvLine") -> dict[str, dict[str, tuple]]:
        key = hashlib.sha256(PACK_FORMAT.encode() + b"\0" + text).hexdigest()
        pack = self.cache / slug / f"{table}.pack" if self.cache is not None and _SAFE_SLUG.fullmatch(slug) else None
        cached = _read_pack(pack, key) if pack is not None else None
        if cached is not None:
            index, blob = cached
            parts = {}
            for out, ext, start, length in index:
                compressed = blob[start:start + length]
                raw = zlib.decompressobj(-15).decompress(compressed)
                parts.setdefault(out, {})[ext] = (raw, self._spool(compressed))
            return parts
        texts: dict[str, dict[str, list[bytes]]] = {}
        # the office's file has one row a line (bulk.json_rows): the line is the national JSON's row as it is;
        # split on \n only: JSON keeps U+2028 and other line breaks inside strings as they are
        for row_text in text.decode("utf-8").split("\n")[1:-2]:
            row_text = row_text.removesuffix(",")
            row = json.loads(row_text)
            for out in ("", row["fiscal_year"]) if row.get("fiscal_year") else ("",):
                entry = texts.setdefault(out, {"csv": [], "json": []})
                entry["csv"].append(line(row))
                entry["json"].append(row_text.encode("utf-8"))
        parts, index, blob = {}, [], bytearray()
        for out, entry in texts.items():
            for ext, joiner in (("csv", b""), ("json", b",\n")):
                raw = joiner.join(entry[ext])
                compressed = zips.compress_chunk(raw)
                index.append([out, ext, len(blob), len(compressed)])
                blob += compressed
                parts.setdefault(out, {})[ext] = (raw, self._spool(compressed))
        if pack is not None:
            _write_pack(pack, key, index, bytes(blob))
        return parts

    def _spool(self, compressed: bytes) -> tuple:
        offset = self.spool.seek(0, os.SEEK_END)
        self.spool.write(compressed)
        return (self.spool_path, offset, len(compressed))


def _read_pack(pack: Path, key: str):
    """(index, compressed bytes) of a pack made from the same row file, or None."""
    try:
        data = pack.read_bytes()
        head, _, blob = data.partition(b"\n")
        meta = json.loads(head)
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("key") != key or meta.get("size") != len(blob):
        return None
    return meta["index"], blob


def _write_pack(pack: Path, key: str, index: list, blob: bytes) -> None:
    """Written whole under another name, then renamed: a reader sees the old pack or the new one."""
    try:
        pack.parent.mkdir(parents=True, exist_ok=True)
        head = json.dumps({"key": key, "size": len(blob), "index": index}).encode() + b"\n"
        handle, name = tempfile.mkstemp(prefix=".pack-", dir=pack.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(head + blob)
        os.replace(name, pack)
    except OSError:  # a cache that cannot be written costs time next build, nothing else
        pass


class _CsvLine:
    """One formula-safe CSV line (CRLF) of a row, by one reused writer."""

    def __init__(self, names: list[str]):
        self.names, self.buffer = names, io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\r\n")

    def __call__(self, row: dict) -> bytes:
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writer.writerow([csv_safe(row.get(name)) for name in self.names])
        return self.buffer.getvalue().encode("utf-8")


def json_text(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
