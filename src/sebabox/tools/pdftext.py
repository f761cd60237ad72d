"""Can a reader copy and search a PDF's Bengali? Indicator words found, junk characters counted.

Used by the tests (poppler and PDFium) and by benchmarks/pdf_text.py (every extractor; the PDFium
and other readers' bindings are test and benchmark dependencies, so they live there).
A document's *words* are the words of its indicator names and activities (or its
services, for a citizen charter); an extractor *finds* a word when the word stands whole
in the extracted text (both NFC). *Junk* is any character the extractor returned that the
document's own text does not contain (`=`, `7`, `ǂ` for a glyph without a Unicode entry),
and always U+FFFD, private-use and control characters.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

# Bengali letters and signs (with ZWJ/ZWNJ), or runs of Latin letters and digits.
_WORD = re.compile(r"[\u0980-\u09FF\u200c\u200d]+|[A-Za-z0-9]+")
_CSS_CONTENT = re.compile(r"""content:([^;}]*)""")  # a `content:` value, up to its end
_CSS_STRING = re.compile(r""""([^"]*)"|'([^']*)'""")  # each quoted string in it ("পৃষ্ঠা " counter(page) " / " …)


def words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", text))


def document_phrases(doc, annexes=()) -> list[str]:
    """What a reader searches a document's PDF for: its indicators and activities, or its services."""
    phrases = []
    for view in (doc, *annexes):
        model = view.model
        if getattr(model, "kind", None) == "charter":
            phrases += [service.name for _, _, services in model.groups for service in services]
            continue
        for area in view.areas:
            for row in area.rows:
                phrases += [row.indicator.name, row.indicator.activity or ""]
        phrases += [g.item.name for g in view.governance]
    return [p for p in phrases if p]


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._in: str | None = None  # inside <style> or <script>
        self._lists: list[list] = []  # open lists: [tag, items so far]

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "title"):
            self._in = tag
        elif tag in ("ol", "ul"):
            self._lists.append([tag, 0])
        elif tag == "li" and self._lists:  # the marker the print stylesheet draws (decimal or disc)
            self._lists[-1][1] += 1
            kind, number = self._lists[-1]
            self.parts.append(f"{number}. " if kind == "ol" else "\u2022 ")

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None
        elif tag in ("ol", "ul") and self._lists:
            self._lists.pop()

    def handle_data(self, data):
        if self._in == "style":
            for value in _CSS_CONTENT.findall(data):  # generated text: page numbers…
                self.parts += [a or b for a, b in _CSS_STRING.findall(value)]
        elif self._in is None:
            self.parts.append(data)


def source_text(html: str) -> str:
    """The text a PDF renders from its HTML: text nodes and CSS `content` strings."""
    parser = _Text()
    parser.feed(html)
    return unicodedata.normalize("NFC", "".join(parser.parts))


def _always_junk(char: str) -> bool:
    category = unicodedata.category(char)
    return char == "\ufffd" or category in ("Co", "Cs", "Cn") or (category == "Cc" and not char.isspace())


def junk(extracted: str, source: str) -> Counter:
    """Characters in the extracted text that the document does not contain, with their counts."""
    allowed = set(source)
    found = Counter()
    for char in unicodedata.normalize("NFC", extracted):
        if _always_junk(char) or (not char.isspace() and char not in allowed and char not in "\u200b\u00ad"):
            found[char] += 1
    return found


@dataclass
class Measure:
    words: int = 0
    found: int = 0
    junk: Counter = None

    def __post_init__(self):
        self.junk = self.junk or Counter()

    def add(self, phrases: list[str], extracted: str, source: str) -> list[str]:
        """Count one PDF; returns the words not found."""
        wanted = set(w for p in phrases for w in words(p))
        present = set(words(extracted))
        missing = sorted(wanted - present)
        self.words += len(wanted)
        self.found += len(wanted) - len(missing)
        self.junk.update(junk(extracted, source))
        return missing

    @property
    def share(self) -> float:
        return self.found / self.words if self.words else 1.0


def poppler_text(path: Path) -> str:
    """pdftotext (poppler: Evince, Okular, most Linux viewers), pages split by form feeds."""
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
