"""Zips that are the same bytes for the same files, made without compressing again what is already compressed.

Every zip sebabox writes has sorted entries, one fixed time, fixed permissions and deflate level 6. Three kinds
of member go in:
  - a file, compressed here (`(arcname, path)`, as zipfile would);
  - a member of another zip of the same site, copied as its compressed bytes (`from_zip`): the national zips
    take every office's files from that office's own zip, checked against the file (size and CRC) first;
  - pieces of deflate data made elsewhere (`Pieces`): the national tables, whose compressed form is the
    concatenation of one chunk per office (raw deflate, each ending on a byte boundary, the last one final),
    so an office that did not change costs a copy, not a compression (national.py keeps the chunks).
A member copied or concatenated is exactly as valid as one compressed here; `unzip -t` and Python's zipfile
read them alike (tests/test_national_zips.py).
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from sebabox.outputs import datapackage as dp
from sebabox.outputs.publish import open_output

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the zip format's epoch: no build date in the bytes
LEVEL = 6
FINAL_BLOCK = b"\x03\x00"  # an empty final deflate block: ends a run of byte-aligned chunks


def compress_chunk(data: bytes) -> bytes:
    """Raw deflate of `data` ending on a byte boundary and not final, so chunks can follow one another."""
    packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(zlib.Z_SYNC_FLUSH)


@dataclass
class Pieces:
    """A member's uncompressed size and CRC, and where its compressed bytes lie: (file, offset, length) or bytes."""
    size: int = 0
    crc: int = 0
    parts: list = field(default_factory=list)

    def add(self, raw: bytes, compressed) -> None:
        self.size += len(raw)
        self.crc = zlib.crc32(raw, self.crc)
        self.parts.append(compressed)


@dataclass
class Raw:
    """A member copied as compressed bytes: its size, CRC and [(file, offset, length) | bytes] pieces."""
    size: int
    crc: int
    parts: list


def _info(arcname: str, size: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(arcname, ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o644 << 16
    info.file_size = size
    return info


def write_zip(site_dir: Path, relative: str, members: list[tuple[str, object]]) -> None:
    """A zip of (arcname, source) members, source a Path (compressed here), a Raw or a Pieces (copied)."""
    with open_output(site_dir, relative) as out, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=LEVEL) as zf:
        sources = _Sources()
        try:
            for arcname, source in sorted(members, key=lambda m: m[0]):
                if isinstance(source, Path):
                    info = _info(arcname, source.stat().st_size)
                    with open(source, "rb") as src, zf.open(info, "w") as dst:
                        shutil.copyfileobj(src, dst, 1 << 20)
                else:
                    _copy_member(zf, arcname, source, sources)
        finally:
            sources.close()
        zf.comment = f"sebabox open data. Licence: {dp.LICENCE['title']} ({dp.LICENCE['path']})".encode()


def _copy_member(zf: zipfile.ZipFile, arcname: str, source, sources: "_Sources") -> None:
    """The compressed bytes as they are, behind the local header zipfile itself would write for them."""
    parts = list(source.parts) + ([FINAL_BLOCK] if isinstance(source, Pieces) else [])
    info = _info(arcname, source.size)
    info.CRC = source.crc & 0xFFFFFFFF
    info.compress_size = sum(len(p) if isinstance(p, bytes) else p[2] for p in parts)
    zip64 = info.file_size * 1.05 > zipfile.ZIP64_LIMIT  # zipfile's own rule for a member of known size
    out = zf.fp
    info.header_offset = out.tell()
    out.write(info.FileHeader(zip64))
    for part in parts:
        if isinstance(part, bytes):
            out.write(part)
        else:
            sources.copy(part, out)
    zf.start_dir = out.tell()
    zf.filelist.append(info)
    zf.NameToInfo[arcname] = info


class _Sources:
    """Open files the pieces are read from, one at a time (members are written in name order, so an office's
    members, all from its own zip, come together)."""

    def __init__(self):
        self.path, self.handle = None, None

    def copy(self, part: tuple, out) -> None:
        path, offset, length = part
        if path != self.path:
            self.close()
            self.path, self.handle = path, open(path, "rb")
        self.handle.seek(offset)
        while length > 0:
            block = self.handle.read(min(length, 1 << 20))
            if not block:
                raise OSError(f"{path} ended early")
            out.write(block)
            length -= len(block)

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
        self.path, self.handle = None, None


def from_zip(zip_path: Path, folder: Path, record: Path | None = None) -> dict[str, Raw]:
    """The members of `zip_path` (an office's own zip) that are exactly the files of the same name in `folder`
    (same size, same CRC, deflated): each as a Raw to copy. A member that does not match is left out, and is
    then compressed again from the file. `record`: a file that remembers what was found, for the same zip
    and files (same inode, size and modification time: a merge links unchanged offices' files as they are),
    so that they are not read again."""
    stamp = _stamps(zip_path, folder)
    if record is not None and stamp is not None:
        try:
            known = json.loads(record.read_text(encoding="utf-8"))
            if known["stamp"] == stamp:
                return {name: Raw(size, crc, [(zip_path, offset, length)])
                        for name, (size, crc, offset, length) in known["members"].items()}
        except (OSError, ValueError, KeyError, TypeError):
            pass
    found = _from_zip(zip_path, folder)
    if record is not None and stamp is not None:
        members = {name: [raw.size, raw.crc, raw.parts[0][1], raw.parts[0][2]] for name, raw in found.items()}
        try:
            record.parent.mkdir(parents=True, exist_ok=True)
            temporary = record.with_name(f".{record.name}.{os.getpid()}")
            temporary.write_text(json.dumps({"stamp": stamp, "members": members}), encoding="utf-8")
            os.replace(temporary, record)
        except OSError:  # remembered or not, the zip is right
            pass
    return found


def _stamps(zip_path: Path, folder: Path) -> list | None:
    """Inode, size and modification time of the zip and of every file beside it."""
    try:
        found = []
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.is_file(follow_symlinks=False):
                    info = entry.stat(follow_symlinks=False)
                    found.append([entry.name, info.st_ino, info.st_size, info.st_mtime_ns])
        info = zip_path.stat()
        return [[info.st_ino, info.st_size, info.st_mtime_ns], found]
    except OSError:
        return None


def _from_zip(zip_path: Path, folder: Path) -> dict[str, Raw]:
    found: dict[str, Raw] = {}
    try:
        with open(zip_path, "rb") as handle, zipfile.ZipFile(handle) as zf:
            for info in zf.infolist():
                if info.compress_type != zipfile.ZIP_DEFLATED or "/" in info.filename:
                    continue
                path = folder / info.filename
                try:
                    if path.stat().st_size != info.file_size or _crc(path) != info.CRC:
                        continue
                except OSError:
                    continue
                handle.seek(info.header_offset)
                header = handle.read(30)
                if header[:4] != b"PK\x03\x04":
                    continue
                name_length, extra_length = struct.unpack("<HH", header[26:30])
                offset = info.header_offset + 30 + name_length + extra_length
                found[info.filename] = Raw(info.file_size, info.CRC, [(zip_path, offset, info.compress_size)])
    except (OSError, zipfile.BadZipFile):
        return {}
    return found


def _crc(path: Path) -> int:
    crc = 0
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            crc = zlib.crc32(block, crc)
    return crc
