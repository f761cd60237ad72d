"""Bengali that every PDF reader copies and finds: each drawn glyph carries its own text.

A PDF reader turns glyphs back into text with the font's ToUnicode map, one entry per
character code. WeasyPrint uses the glyph number as the code and maps it once, from the
first cluster the glyph is drawn in; Bengali shaping defeats that. কি is drawn [ি][ক]:
WeasyPrint maps ি -> "" and ক -> "কি", so every later ক reads কি, and readers print the
bare code for an empty entry (pdf.js shows `=`, `7`, `ǂ`). Two remedies, both here:

- Each line is wrapped in a /Span with /ActualText, the line's real text (PDF 1.5). Poppler,
  PDFium (Chrome), MuPDF and Acrobat read it instead of the glyphs.
- For readers that do not (pdf.js, pypdf, pdfminer), every glyph drawn gets a character code
  whose ToUnicode entry is its share of its cluster's text, shared out in drawing order, so
  that the codes of a line read as the line's text. A glyph drawn with another share than
  before gets an alias code: a CID of its own that the font's CIDToGIDMap maps back to the
  same glyph (ISO 32000-1, 9.7.4.2): the page looks the same, the text is right. (An Encoding
  CMap would do the same, but pypdf and pdfminer.six do not read embedded CMaps.) pdf.js takes
  any glyph whose text holds a nonspacing mark for a zero-width mark, so the marks of a
  conjunct drawn as one glyph (প্র) are carried by the font's empty zero-width glyph (U+200B's)
  drawn right after it: see `plan`.

This relies on WeasyPrint internals (draw_first_line, Font, the fonts dictionary), which is
why pyproject pins WeasyPrint to the releases tested with it.
"""

from __future__ import annotations

import functools
import io
import itertools
import re
import unicodedata
from dataclasses import dataclass, field

ALIAS_GAP = 0x4000  # alias codes start this far above the font's glyphs: below are WeasyPrint's codes for
# characters no font has (.notdef), counting up from the glyph count


@dataclass
class _Codes:
    """The character codes of one font file in one document (shared by its WeasyPrint Font objects)."""

    text: dict[int, str] = field(default_factory=dict)  # glyph -> the text its own code stands for
    alias: dict[tuple[int, str], int] = field(default_factory=dict)  # (glyph, text) -> alias code
    glyph: dict[int, int] = field(default_factory=dict)  # alias code -> glyph
    width: dict[int, int] = field(default_factory=dict)  # alias code -> its glyph's width
    after: dict[int, int] = field(default_factory=dict)  # code -> the blank carrier code drawn right after it
    blank: int | None = -1  # an empty zero-width glyph (U+200B) to carry combining marks; -1: not looked up


def install() -> None:
    """Wrap WeasyPrint's line drawing (once per process)."""
    from weasyprint.draw import text as draw_text

    original = draw_text.draw_first_line
    if getattr(original, "_sebabox", False):
        return

    @functools.wraps(original)
    def draw_first_line(stream, textbox, text_overflow, block_ellipsis, *args, **kwargs):
        import pydyf

        # The line ends a word: readers that join lines or table cells (PDFium) keep the words apart.
        actual = textbox.text if textbox.text[-1:].isspace() else textbox.text + " "
        stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(actual)}))
        plain = text_overflow == "ellipsis" or block_ellipsis != "none"  # WeasyPrint re-lays such lines out
        changed, carriers = ([], {}) if plain or not textbox.text.strip() else _assign_codes(stream, textbox)
        if carriers:
            stream.show_text = functools.partial(_show_with_carriers, stream, type(stream).show_text, carriers)
        try:
            return original(stream, textbox, text_overflow, block_ellipsis, *args, **kwargs)
        finally:
            if carriers:
                del stream.show_text
            _restore(changed)
            stream.end_marked_content()

    draw_first_line._sebabox = True
    draw_text.draw_first_line = draw_first_line


def share(text: str, glyphs: int) -> list[str]:
    """A cluster's text shared out over its glyphs, in order, none empty if the text allows.

    ক্ষি drawn [ি][ক্ষ] -> ["ক", "্ষি"]; কো drawn [ে][ক][া] has two characters for three glyphs
    and is shared in its canonical decomposition (ক ে া), which is the same text.
    """
    chars = list(text)
    if len(chars) < glyphs:
        chars = list(unicodedata.normalize("NFD", text))
    if len(chars) <= glyphs:
        return chars + [""] * (glyphs - len(chars))
    return chars[:glyphs - 1] + ["".join(chars[glyphs - 1:])]


_MN = frozenset(chr(c) for c in range(0x0300, 0x10000) if unicodedata.category(chr(c)) == "Mn")


def plan(text: str, wide: list[bool], carriers: bool) -> list[tuple[str, str]]:
    """(text, carried text) for each glyph of a cluster, in drawing order.

    pdf.js takes a glyph whose text holds a nonspacing mark (্ ু ূ ৃ ঁ ়) for a zero-width mark and
    does not advance past it, then sees a gap after it and reads a space: প্র কাশ. So a glyph that
    has width gets text without marks where the cluster allows it, and the marks that remain are
    drawn right after it by an empty zero-width glyph (`carriers`) whose text they are: প + ্র.
    """
    pieces = share(text, len(wide))
    if len(text) > len(wide) and len(wide) > 1:
        best = None
        chars = list(text)
        for cuts in itertools.combinations(range(1, len(chars)), len(wide) - 1):
            bounds = (0, *cuts, len(chars))
            trial = ["".join(chars[a:b]) for a, b in zip(bounds, bounds[1:])]
            cost = sum(2 * (p[:1] in _MN) + (not _MN.isdisjoint(p)) for p, w in zip(trial, wide) if w)
            if best is None or cost < best[0]:
                best = (cost, trial)
        pieces = best[1]
    planned = []
    for piece, is_wide in zip(pieces, wide):
        cut = next((i for i, c in enumerate(piece) if c in _MN), len(piece))
        if carriers and is_wide and 0 < cut < len(piece):
            planned.append((piece[:cut], piece[cut:]))
        else:
            planned.append((piece, ""))
    return planned


def _show_with_carriers(stream, show_text, carriers: dict, string: str) -> None:
    """WeasyPrint's show_text, with each carrier code written right after the code it follows."""
    after = carriers.get((stream._current_font or (None,))[0])
    if after:
        string = re.sub(r"<([0-9a-f]+)>", lambda m: "<" + "".join(
            code + (f"{after[int(code, 16)]:04x}" if int(code, 16) in after else "")
            for code in re.findall("....", m.group(1))) + ">", string)
    show_text(stream, string)


def _assign_codes(stream, textbox) -> tuple[list, dict]:
    """Give every glyph of the textbox's first line the code of its text; returns what to restore and the
    carrier codes to draw, by font."""
    from weasyprint.text.ffi import ffi, pango

    layout = textbox.pango_layout
    # WeasyPrint sets this before taking the line; set it first, or Pango lays the line out anew after us.
    pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
    line = pango.pango_layout_get_line_readonly(layout.layout, 0)
    utf8 = layout.text.encode()
    changed, carriers = [], {}
    run = line.runs[0] if line.runs != ffi.NULL else ffi.NULL
    while run != ffi.NULL:
        glyph_item, run = run.data, run.next
        item = glyph_item.item
        font, font_size = stream.add_font(item.analysis.font)
        if item.analysis.level % 2 or font.bitmap or font.png or font.svg or font.colr or font.type != "ttf":
            continue  # right-to-left runs, colour, bitmap and CFF fonts stay as WeasyPrint draws them
        if pango.pango_version() < 14802:
            font_size = textbox.style["font_size"]
        codes = _codes_of(stream, font)
        if codes.blank == -1:
            codes.blank = _blank_glyph(font)
        measure = functools.partial(_width, font, pango_font=item.analysis.font, font_size=font_size, stream=stream)
        infos = glyph_item.glyphs.glyphs
        for members, text in _clusters(glyph_item, utf8):
            members = [i for i in members if infos[i].glyph != pango.PANGO_GLYPH_EMPTY]  # drawn as a move
            ids = [infos[i].glyph for i in members]
            if not ids or any(g & pango.PANGO_GLYPH_UNKNOWN_FLAG for g in ids):
                continue  # a character no font has: WeasyPrint draws .notdef and maps it itself
            planned = plan(text, [measure(g) > 0 for g in ids], codes.blank is not None)
            for i, glyph, (piece, carried) in zip(members, ids, planned):
                code = _code(codes, font, glyph, piece, measure, carried)
                if code != glyph:
                    changed.append((font, infos, i, glyph, code))
                    infos[i].glyph = code
                if carried:
                    carrier = _code(codes, font, codes.blank, carried, measure)
                    changed.append((font, None, None, None, carrier))
                    codes.after[code] = carrier
                    carriers[font.hash] = codes.after
    return changed, carriers


def _clusters(glyph_item, utf8: bytes) -> list[tuple[list[int], str]]:
    """(glyph indices, text) of each cluster of a left-to-right run; a cluster with fewer characters than
    glyphs joins the next one (the vowel sign ো is drawn ে…া: HarfBuzz puts the ে part in the consonant's
    cluster, which then has two glyphs for one character)."""
    item, glyphs = glyph_item.item, glyph_item.glyphs
    starts, count = glyphs.log_clusters, glyphs.num_glyphs
    clusters = []
    first = 0
    while first < count:
        last = first + 1
        while last < count and starts[last] == starts[first]:
            last += 1
        stop = starts[last] if last < count else item.length
        text = utf8[item.offset + starts[first]:item.offset + stop].decode("utf-8", "replace")
        clusters.append((list(range(first, last)), text))
        first = last
    merged = []
    for members, text in clusters:
        if merged and len(unicodedata.normalize("NFD", merged[-1][1])) < len(merged[-1][0]):
            merged[-1] = (merged[-1][0] + members, merged[-1][1] + text)
        else:
            merged.append((members, text))
    if len(merged) > 1 and len(unicodedata.normalize("NFD", merged[-1][1])) < len(merged[-1][0]):
        members, text = merged.pop()
        merged[-1] = (merged[-1][0] + members, merged[-1][1] + text)
    return merged


def _restore(changed: list) -> None:
    """Put Pango's glyph numbers back and forget the alias codes' temporary entries."""
    for font, infos, i, glyph, code in changed:
        if infos is not None:
            infos[i].glyph = glyph
        if code not in font._sebabox_codes.text:  # an alias, not a glyph's own code
            font.to_unicode.pop(code, None)
            font.widths.pop(code, None)


def _codes_of(stream, font) -> _Codes:
    codes = getattr(font, "_sebabox_codes", None)
    if codes is None:
        siblings = [f for f in stream._fonts.values() if f.hash == font.hash and hasattr(f, "_sebabox_codes")]
        codes = siblings[0]._sebabox_codes if siblings else _Codes()
        font._sebabox_codes = codes
    return codes


def _code(codes: _Codes, font, glyph: int, piece: str, measure, carried: str = "") -> int:
    """The code to draw `glyph` with so that it reads `piece` (followed by a carrier of `carried`)."""
    own = codes.text.setdefault(glyph, piece)
    font.to_unicode[glyph] = own  # keeps the glyph in the subset; WeasyPrint will not map it again
    font.widths.setdefault(glyph, measure(glyph))
    if own == piece and not carried:
        return glyph
    code = codes.alias.get((glyph, piece, carried))
    if code is None:
        code = font.glyph_count + ALIAS_GAP + len(codes.alias)
        if code > 0xFFFF or len(font.missing) >= ALIAS_GAP:
            return glyph  # no code left (a font of ~50,000 glyphs): the glyph reads its first text
        codes.alias[glyph, piece, carried] = code
        codes.glyph[code] = glyph
        codes.width[code] = font.widths[glyph]
    # For this line's drawing only (the font is subset by glyph, and an alias is no glyph): WeasyPrint
    # reads these instead of measuring the code as a glyph.
    font.to_unicode[code] = piece
    font.widths[code] = codes.width[code]
    return code


def _width(font, glyph: int, pango_font, font_size, stream) -> int:
    """A glyph's advance in thousandths of the font size, as WeasyPrint measures it."""
    from weasyprint.text.ffi import FROM_UNITS, pango

    if glyph not in font.widths:
        pango.pango_font_get_glyph_extents(pango_font, glyph, stream.ink_rect, stream.logical_rect)
        return round(stream.logical_rect.width * 1000 * FROM_UNITS / font_size)
    return font.widths[glyph]


def _blank_glyph(font) -> int | None:
    """The font's glyph for U+200B ZERO WIDTH SPACE if it is empty and has no width, else None."""
    from fontTools.ttLib import TTFont
    from weasyprint.text.fonts import get_hb_object_data

    try:
        face = TTFont(io.BytesIO(get_hb_object_data(font.hb_face)), fontNumber=font.index, lazy=True)
        name = (face.getBestCmap() or {}).get(0x200B)
        if name is None or face["hmtx"][name][0] != 0:
            return None
        if "glyf" in face and face["glyf"][name].numberOfContours != 0:
            return None
        return face.getGlyphID(name)
    except Exception:  # noqa: BLE001 — a font fontTools cannot read: no carriers, marks stay with their glyph
        return None


# --------------------------------------------------------------------------- the finished PDF


def finish(document, pdf) -> None:
    """WeasyPrint finisher: complete each font's ToUnicode and Encoding with the codes drawn."""
    by_name: dict[bytes, list] = {}
    for font in document.fonts.values():
        by_name.setdefault(font.name, []).append(font)
    for obj in pdf.objects:
        if not _is_type0_font(obj) or obj.get("BaseFont") not in by_name:
            continue
        fonts = by_name[obj["BaseFont"]]
        codes = next((f._sebabox_codes for f in fonts if hasattr(f, "_sebabox_codes")), _Codes())
        mapping = {}
        for font in fonts:
            mapping.update(font.to_unicode)
        mapping.update(codes.text)
        mapping.update({code: piece for (glyph, piece, carried), code in codes.alias.items()})
        _fill_empty(mapping, fonts[0], codes)
        to_unicode = _object(pdf, obj["ToUnicode"])
        to_unicode.stream = _to_unicode_lines(mapping)
        if codes.glyph:
            _add_aliases(pdf, obj, fonts[0], codes, to_unicode.compress)


def _is_type0_font(obj) -> bool:
    return isinstance(obj, dict) and obj.get("Type") == "/Font" and obj.get("Subtype") == "/Type0"


def _object(pdf, reference: bytes):
    return pdf.objects[int(reference.split()[0])]  # pydyf references read b"12 0 R"


def _fill_empty(mapping: dict[int, str], font, codes: _Codes) -> None:
    """A code still without text (a line WeasyPrint laid out alone) gets its glyph's character, if encoded."""
    empty = [code for code, text in mapping.items() if not text and code]
    if not empty:
        return
    from fontTools.ttLib import TTFont
    from weasyprint.text.fonts import get_hb_object_data

    face = TTFont(io.BytesIO(get_hb_object_data(font.hb_face)), fontNumber=font.index)
    number = {name: i for i, name in enumerate(face.getGlyphOrder())}
    character = {}
    for codepoint, name in sorted((face.getBestCmap() or {}).items()):
        character.setdefault(number[name], chr(codepoint))
    for code in empty:
        mapping[code] = character.get(codes.glyph.get(code, code), "")


def _to_unicode_lines(mapping: dict[int, str]) -> list[bytes]:
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap",
             b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def",
             b"1 begincodespacerange", b"<0000> <ffff>", b"endcodespacerange"]
    items = [(code, text) for code, text in sorted(mapping.items()) if text]
    for i in range(0, len(items), 100):
        batch = items[i:i + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines += [f"<{code:04x}> <{text.encode('utf-16-be').hex()}>".encode() for code, text in batch]
        lines.append(b"endbfchar")
    return lines + [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]


def _add_aliases(pdf, obj, font, codes: _Codes, compress: bool) -> None:
    """Alias CIDs: their widths, their glyphs (CIDToGIDMap), and their codes in WeasyPrint's Encoding."""
    import pydyf

    cid_font = _object(pdf, obj["DescendantFonts"][0])
    aliases = sorted(codes.glyph)
    cid_font["W"].extend([aliases[0], pydyf.Array(codes.width[code] for code in aliases)])  # consecutive codes
    gids = bytearray(2 * (aliases[-1] + 1))
    for cid in range(font.glyph_count):
        gids[2 * cid:2 * cid + 2] = cid.to_bytes(2, "big")
    for cid, glyph in codes.glyph.items():
        gids[2 * cid:2 * cid + 2] = glyph.to_bytes(2, "big")
    cid_to_gid = pydyf.Stream([bytes(gids)], compress=compress)
    pdf.add_object(cid_to_gid)
    cid_font["CIDToGIDMap"] = cid_to_gid.reference
    if font.missing:  # WeasyPrint wrote an Encoding CMap for the codes it drew; aliases are codes too
        encoding = _object(pdf, obj["Encoding"])
        end = encoding.stream.index(b"endcmap")
        for i in range(0, len(aliases), 100):
            batch = aliases[i:i + 100]
            encoding.stream[end:end] = [f"{len(batch)} begincidchar".encode(),
                                        *(f"<{code:04x}> {code}".encode() for code in batch), b"endcidchar"]
            end += len(batch) + 2
