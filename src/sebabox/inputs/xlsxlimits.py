"""A workbook's size, bounded before openpyxl reads it, and the cells openpyxl would lose without a word.

An .xlsx file is a zip of XML: 1 MB can hold hundreds of MB of sheet XML, and openpyxl keeps about
a kilobyte per cell. So before openpyxl opens a workbook, the zip's members are checked by their
declared sizes (zipfile never inflates a member past them) and each sheet is streamed once,
counting rows and cells: a workbook within MAX_UNCOMPRESSED, MAX_ROWS and MAX_CELLS stays under
500 MB of memory (benchmarks/xlsx_limits.py measures it). The same pass finds formula cells
without a saved value, which openpyxl's values-only reading turns into empty cells.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from pathlib import Path
from xml.etree.ElementTree import XMLPullParser

from sebabox import bengali
from sebabox.errors import SebaboxError, refusal

MAX_UNCOMPRESSED = 50_000_000  # bytes of XML and other members, all together
MAX_MEMBERS = 2_000
MAX_ROWS = 20_000  # per sheet; a plan has a few hundred
MAX_CELLS = 200_000  # in the whole workbook
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


# What zipfile raises for a damaged, truncated, encrypted or oddly compressed member, read or streamed
DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError)


def scan_workbook(xlsx: Path) -> dict[str, list[str]]:
    """Refuse a workbook over the limits or damaged (SebaboxError); return {sheet title: [cells with unsaved
    formulas]}."""
    try:
        return _scan(xlsx)
    except DAMAGED as exc:
        raise unreadable(xlsx, exc, damaged=True) from None


def unreadable(xlsx: Path, exc: Exception, damaged: bool = False) -> SebaboxError:
    """A file that is not an .xlsx workbook, or a damaged one: what to do, and the reader's words in brackets."""
    what = "এটি নষ্ট (damaged); " if damaged else ""
    return refusal(f"{xlsx}: ফাইলটি .xlsx ওয়ার্কবুক হিসেবে পড়া যায় না (cannot read it as an .xlsx workbook); {what}"
                   "Excel বা LibreOffice-এ খুলে .xlsx হিসেবে আবার সংরক্ষণ করুন (save it again as .xlsx) "
                   f"[{type(exc).__name__}: {str(exc)[:200]}]")


def bytes_shown(count: int) -> str:
    """5,000,000 -> ৫,০০০,০০০ (a size or a count in a message)."""
    return bengali.to_bengali_digits(f"{count:,}")


def _scan(xlsx: Path) -> dict[str, list[str]]:
    with zipfile.ZipFile(xlsx) as archive:
        members = archive.infolist()
        total = sum(m.file_size for m in members)
        if len(members) > MAX_MEMBERS or total > MAX_UNCOMPRESSED:
            raise refusal(f"{xlsx}: খুললে {bytes_shown(total)} বাইট, {bytes_shown(len(members))}টি অংশ (unpacked size); "
                          f"পরিকল্পনার ওয়ার্কবুক খোলা অবস্থায় সর্বোচ্চ {bytes_shown(MAX_UNCOMPRESSED)} বাইট হতে পারে "
                          "(a plan's workbook is limited): এটি কি zip bomb, বা পুরো ডেটাবেস? শুধু এক অফিসের শিট রাখুন")
        cells, found = 0, {}
        for title, member in _sheets(archive):
            rows, count, formulas = _scan_sheet(archive, member)
            cells += count
            if rows > MAX_ROWS:
                raise refusal(f"{xlsx}: শিট '{title}'-এ {bytes_shown(rows)}টি সারি (rows); পরিকল্পনার শিটে সর্বোচ্চ "
                              f"{bytes_shown(MAX_ROWS)}টি সারি থাকতে পারে (a plan's sheet is limited): খালি বা অন্য "
                              "সারিগুলো মুছে দিন")
            if cells > MAX_CELLS:
                raise refusal(f"{xlsx}: {bytes_shown(MAX_CELLS)}টির বেশি ঘর পূরণ করা (filled cells); পরিকল্পনার "
                              "ওয়ার্কবুকে এর বেশি ঘর থাকতে পারে না (a plan's workbook is limited): শুধু এক অফিসের শিট রাখুন")
            if formulas:
                found[title] = formulas
        return found


def _sheets(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(title, member) of every worksheet, from workbook.xml and its relationships."""
    try:
        targets = {}
        for rel in _elements(archive, "xl/_rels/workbook.xml.rels", f"{PKG_REL}Relationship"):
            target = rel.get("Target", "")
            targets[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target))
        return [(sheet.get("name", "?"), targets[sheet.get(f"{REL}id")])
                for sheet in _elements(archive, "xl/workbook.xml", f"{MAIN}sheet")
                if targets.get(sheet.get(f"{REL}id")) in archive.namelist()]
    except (KeyError, SyntaxError):
        return []  # openpyxl then says what is wrong with the file


def _elements(archive: zipfile.ZipFile, member: str, tag: str):
    parser = XMLPullParser(events=("end",))
    with archive.open(member) as handle:
        while chunk := handle.read(1 << 16):
            parser.feed(chunk)
            for _, element in parser.read_events():
                if element.tag == tag:
                    yield element


def _scan_sheet(archive: zipfile.ZipFile, member: str) -> tuple[int, int, list[str]]:
    """Rows, cells and the cells with a formula but no saved value, streamed (memory stays flat)."""
    rows = cells = 0
    formulas = []
    parser = XMLPullParser(events=("end",))
    with archive.open(member) as handle:
        while chunk := handle.read(1 << 16):
            parser.feed(chunk)
            for _, element in parser.read_events():
                if element.tag == f"{MAIN}c":
                    cells += 1
                    value = element.find(f"{MAIN}v")
                    if element.find(f"{MAIN}f") is not None and (value is None or not (value.text or "").strip()):
                        formulas.append(element.get("r", "?"))
                    element.clear()
                elif element.tag == f"{MAIN}row":
                    rows += 1
                    element.clear()
            if rows > MAX_ROWS or cells > MAX_CELLS:
                break
    return rows, cells, formulas
