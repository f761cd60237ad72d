"""Numbered notes at annotated cells: corrections (ছাপা দলিলে ছিল …) and faults kept as printed.

A `NoteBook` is made for one rendering (a page or a PDF). `mark(container, key)` returns the
superscript number for the value `container[key]` (a model's field, a list's item, a mapping's
entry) when the plan annotated it, numbering the notes in the order the document shows them;
`items()` then lists them for the notes section at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from sebabox.bengali import to_ascii_digits, to_bengali_digits
from sebabox.values import Annotation


@dataclass(frozen=True)
class Note:
    number: int
    annotation: Annotation
    label: str  # which value: "১.২ লক্ষ্যমাত্রা"
    placed: bool = False  # shown at a cell (with a link back to it)

    @property
    def text(self) -> str:
        a = self.annotation
        if a.is_correction:
            return f"ছাপা দলিলে ছিল {a.printed}; সংশোধনের কারণ: {a.reason}"
        return f"ছাপা দলিলে যেমন আছে তেমনই রাখা হয়েছে: {a.accepted}"


def _resolve(root: Any, path: tuple) -> Any:
    current = root
    for part in path:
        if isinstance(current, list):
            current = current[part] if isinstance(part, int) and part < len(current) else None
        elif isinstance(current, dict):
            current = current.get(part, current.get(_id(part)))
        else:
            current = getattr(current, part, None) if isinstance(part, str) else None
        if current is None:
            return None
    return current


def _id(part: Any) -> Any:
    return to_ascii_digits(part).strip("[]() ").rstrip(".") if isinstance(part, str) else part


class NoteBook:
    def __init__(self, *documents: Any):
        self._at: dict[tuple[int, Any], Annotation] = {}
        self._keep: list[Any] = []  # the containers, so their ids stay theirs while we render
        self._numbers: dict[tuple[int, Any], Note] = {}
        self._where: dict[tuple[int, Any], tuple] = {}
        self.notes: list[Note] = []
        for document in documents:
            self.add(document)

    def add(self, document: Any) -> None:
        for loc, annotation in getattr(document, "_notes", {}).items():
            container = _resolve(document, loc[:-1]) if loc[:-1] else document
            if container is None:
                continue
            self._keep.append(container)
            self._at[(id(container), _id(loc[-1]))] = annotation
            self._where[(id(container), _id(loc[-1]))] = loc

    def has(self, container: Any, key: Any) -> bool:
        return (id(container), _id(key)) in self._at

    def mark(self, container: Any, key: Any, label: str = "") -> Markup:
        """The note number for container[key] as a superscript link, or nothing."""
        at = (id(container), _id(key))
        annotation = self._at.get(at)
        if annotation is None:
            return Markup("")
        note = self._numbers.get(at)
        if note is None:
            note = Note(len(self.notes) + 1, annotation, label, placed=True)
            self._numbers[at] = note
            self.notes.append(note)
        n = note.number
        kind = "সংশোধন" if annotation.is_correction else "ছাপা অনুযায়ী"
        return Markup('<sup class="sb-note-ref">[<a href="#note-{n}" id="note-ref-{n}" title="{title}"'
                      ' aria-label="টীকা {bn} ({kind})">{bn}</a>]</sup>').format(
            n=n, bn=to_bengali_digits(str(n)), title=note.text, kind=kind)

    def marks(self, container: Any, keys: list, label: str = "") -> Markup:
        return Markup("").join(self.mark(container, k, label) for k in keys)

    def render(self) -> Markup:
        """The notes section: every note marked so far, numbered, with what was printed and why; then
        the annotations no cell of this rendering showed, named by their place, so none is silent."""
        for at, annotation in self._at.items():
            if at not in self._numbers:
                note = Note(len(self.notes) + 1, annotation, place_label(self._where[at]))
                self._numbers[at] = note
                self.notes.append(note)
        if not self.notes:
            return Markup("")
        items = Markup("").join(
            Markup('<li id="note-{n}" value="{n}">{number} {label}{text}</li>\n').format(
                n=note.number,
                number=Markup('<a class="sb-note-no" href="#note-ref-{n}" title="যে ঘরের টীকা সেখানে ফিরুন">{bn}.</a>'
                              if note.placed else '<span class="sb-note-no">{bn}.</span>').format(
                    n=note.number, bn=to_bengali_digits(str(note.number))),
                label=Markup("<strong>{}</strong>: ").format(note.label) if note.label else "",
                text=note.text)
            for note in self.notes)
        return Markup('<section class="sb-notes" aria-labelledby="sb-notes-title">\n'
                      '<h2 id="sb-notes-title">সংশোধন ও টীকা</h2>\n'
                      '<p>এই দলিলের যে মানগুলো ছাপা দলিল থেকে আলাদা, বা ছাপা ভুল থাকা সত্ত্বেও যেমন ছাপা তেমনই রাখা হয়েছে, '
                      'সেগুলোর ঘরে নম্বর দেওয়া আছে; কারণ নিচে।</p>\n'
                      '<ol class="sb-note-list">\n') + items + Markup("</ol>\n</section>\n")



FIELD_NAMES = {
    "areas": "ক্ষেত্র", "indicators": "সূচক", "weight": "মান", "levels": "লক্ষ্যমাত্রা", "target": "লক্ষ্যমাত্রা",
    "actuals": "প্রকৃত অর্জন", "projections": "প্রক্ষেপণ", "quarter_targets": "কোয়ার্টারের লক্ষ্যমাত্রা",
    "name": "নাম", "activity": "কার্যক্রম", "unit": "একক", "remarks": "মন্তব্য", "responsible": "দায়িত্বপ্রাপ্ত",
    "overview": "সার্বিক চিত্র", "section1": "সেকশন ১", "section2": "সেকশন ২", "governance": "সুশাসন",
    "items": "সূচক", "signatures": "স্বাক্ষর", "signatory": "স্বাক্ষর", "acronyms": "শব্দসংক্ষেপ",
    "evidence": "সংযোজনী ২", "dependencies": "সংযোজনী ৩", "notes": "টীকা", "attachments": "সংযুক্তি",
    "citizen_services": "নাগরিক সেবা", "institutional_services": "প্রাতিষ্ঠানিক সেবা",
    "internal_services": "অভ্যন্তরীণ সেবা", "sections": "সেবার তালিকা", "services": "সেবা", "fee": "সেবার মূল্য",
    "time_limit": "সময়সীমা", "officer": "দায়িত্বপ্রাপ্ত কর্মকর্তা", "letter": "অগ্রায়নপত্র",
    "achievements": "অর্জন", "printed": "ছাপা মান", "designation": "পদবি", "place": "ঠিকানা",
    "as_of": "প্রতিবেদনের তারিখ", "signing_date": "স্বাক্ষরের তারিখ", "functions": "কার্যাবলি", "score": "অর্জিত মান",
}


def place_label(loc: tuple) -> str:
    """Where a value sits, for a note no cell shows: "সেকশন ১ › functions ৬"."""
    parts = []
    for part in loc:
        if isinstance(part, int):
            parts.append(to_bengali_digits(str(part + 1)))
        else:
            parts.append(FIELD_NAMES.get(part, to_bengali_digits(part)))
    return " › ".join(parts)
