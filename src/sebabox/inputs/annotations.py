"""Corrections and faults kept as printed, written as data beside the value they are about.

Wherever a plan file has a value, it may write it as a mapping instead:

    weight: {value: ৪, printed: ৮, reason: "মানগুলোর যোগফল ২৫ হয় না; অন্য সারিগুলো থেকে ৪"}
    as_of: {value: ২৬/০৯/২০২৩, accepted: "প্রতিবেদন ত্রৈমাসিক শেষ হওয়ার আগেই পাঠানো হয়েছিল"}

`extract` replaces each such mapping by its value, before the models read the data, so every
model, rule and score sees plain values, and returns the annotations by location with their
lines. Pages and PDFs show a numbered note at the annotated cell; `check` does not warn about a
value whose fault is accepted.
"""

from __future__ import annotations

import difflib
from typing import Any

from sebabox import bengali
from sebabox.inputs.yamlsafe import Loc
from sebabox.values import Annotation, parse_value

KEYS = ("value", "printed", "reason", "accepted")
_EXAMPLE = ("লিখুন {value: ৪, printed: ৮, reason: \"…\"} (সংশোধন) অথবা "
            "{value: ৪, accepted: \"…\"} (ছাপা ভুল যেমন আছে তেমন রাখা)")


def is_annotation(node: Any) -> bool:
    """No model has a field named `value`: a mapping with one is always an annotation (or a slip in one)."""
    return isinstance(node, dict) and "value" in node


def extract(data: Any, lines: dict[Loc, int]) -> tuple[Any, dict[Loc, Annotation], list[tuple[int, str]]]:
    """(data with every annotation replaced by its value, annotations by location, errors as (line, message))."""
    found: dict[Loc, Annotation] = {}
    errors: list[tuple[int, str]] = []

    def walk(node: Any, loc: Loc) -> Any:
        if isinstance(node, dict):
            if is_annotation(node):
                return _annotation(node, loc)
            return {k: walk(v, loc + (k,)) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v, loc + (i,)) for i, v in enumerate(node)]
        return node

    def _annotation(node: dict, loc: Loc) -> Any:
        line = lines.get(loc, 1)
        for key in node:
            if key not in KEYS:
                close = difflib.get_close_matches(str(key), KEYS, n=1, cutoff=0.6)
                hint = f" ('{close[0]}' লিখতে চেয়েছিলেন?)" if close else ""
                errors.append((lines.get(loc + (key,), line),
                               f"সংশোধনে অজানা কী (unknown key) '{key}'{hint}; {_EXAMPLE}"))
        value = node["value"]
        if is_annotation(value):
            errors.append((line, f"একটি মানের ভেতরে আরেকটি সংশোধন লেখা যায় না; {_EXAMPLE}"))
        texts = {}
        for key in ("reason", "accepted"):
            if key in node:
                text = node[key]
                if not isinstance(text, str) or not text.strip():
                    errors.append((lines.get(loc + (key,), line), f"'{key}:' এ কারণটি লেখা দরকার (খালি রাখা যাবে না)"))
                    text = ""
                texts[key] = " ".join(bengali.nfc(text).split())  # one line: a blank line would end an HTML block
        if "accepted" in node and ("printed" in node or "reason" in node):
            errors.append((line, "একই মানে 'accepted:' এবং 'printed:'/'reason:' একসাথে লেখা যায় না: "
                                 "মানটি সংশোধন করলে printed ও reason, ছাপা অবস্থায় রাখলে শুধু accepted"))
        elif "printed" in node and "reason" not in node:
            errors.append((line, "সংশোধনের কারণ নেই: 'printed:' এর পাশে 'reason: \"…\"' লিখুন"))
        elif "accepted" not in node and "printed" not in node and "reason" not in node:
            errors.append((line, f"'value:' এর পাশে কী লেখা আছে তা নেই; {_EXAMPLE}"))
        elif "reason" in node and "printed" not in node:
            errors.append((line, "ছাপা মান নেই: 'reason:' এর পাশে ছাপা দলিলের মানটি 'printed: …' লিখুন"))
        found[loc] = Annotation(line, printed_text(node["printed"]) if "printed" in node else None,
                                texts.get("reason"), texts.get("accepted"))
        return walk(value, loc)

    return walk(data, ()), found, errors


def printed_text(raw: Any) -> str:
    """A printed value for display: Bengali digits; a list as its items joined (- for an empty cell)."""
    if isinstance(raw, list):
        return ", ".join(printed_text(x) for x in raw)
    if raw is None or raw == "":
        return "-"
    if isinstance(raw, bool):
        return "হ্যাঁ" if raw else "না"
    return bengali.to_bengali_digits(" ".join(bengali.nfc(str(raw)).split()))


def carry_over(new: Any, old_raw: Any) -> Any:
    """`new` (plain data about to replace a file) with the annotations of the file's old data `old_raw`
    put back on every value that is still the same, so rewriting a file (import-xlsx --force) keeps them."""
    old_plain, notes, errors = extract(old_raw, {})
    if errors or not notes:
        return new
    for loc in sorted(notes, key=len, reverse=True):
        raw = _at(old_raw, loc, annotated=True)
        parent_loc, key = loc[:-1], loc[-1]
        parent = _at(new, parent_loc)
        if isinstance(parent, dict):
            key = next((k for k in parent if _same_key(k, key)), None)
            if key is None:
                continue
        elif not (isinstance(parent, list) and isinstance(key, int) and key < len(parent)):
            continue
        if isinstance(raw, dict) and _text(parent[key]) == _text(_at(old_plain, loc)):
            parent[key] = {**raw, "value": parent[key]}
    return new


def _at(data: Any, loc: Loc, annotated: bool = False) -> Any:
    for part in loc:
        if annotated and is_annotation(data):
            data = data["value"]
        if isinstance(data, dict):
            data = next((v for k, v in data.items() if _same_key(k, part)), None)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def _same_key(a: Any, b: Any) -> bool:
    norm = lambda k: bengali.to_ascii_digits(k).strip("[]() ").rstrip(".") if isinstance(k, str) else k  # noqa: E731
    return norm(a) == norm(b)


def _text(value: Any) -> Any:
    """A value compared as what it means: ৩১/০৭/২৩ is ৩১/০৭/২০২৩, ২ is 2; other text as written."""
    if isinstance(value, list):
        return [_text(v) for v in value]
    try:
        return parse_value(value)
    except (ValueError, ArithmeticError):
        return bengali.nfc(str(value)).strip()


def covers(accepted_at: Loc, warning_at: Loc) -> bool:
    """An accepted fault at `accepted_at` silences a warning about the same value, about a list it
    belongs to, or about an item of a list accepted as a whole."""
    short, long = sorted((tuple(accepted_at), tuple(warning_at)), key=len)
    return long[: len(short)] == short and len(long) - len(short) <= 1


def schema_with_annotations(schema: dict) -> dict:
    """A model's JSON Schema in which every property (and list item) may also be written annotated."""
    definition = {
        "type": "object",
        "description": "ছাপা দলিলের সংশোধন {value, printed, reason} অথবা ছাপা ভুল রাখা {value, accepted}",
        "properties": {
            "value": {"description": "সাইটে যে মান দেখানো হবে"},
            "printed": {"description": "ছাপা দলিলে যা ছিল"},
            "reason": {"type": "string", "minLength": 1, "description": "সংশোধনের কারণ"},
            "accepted": {"type": "string", "minLength": 1, "description": "ছাপা ভুলটি কেন যেমন আছে তেমন রাখা হলো"},
        },
        "required": ["value"],
        "additionalProperties": False,
        "anyOf": [{"required": ["printed", "reason"]}, {"required": ["accepted"]}],
    }
    ref = {"$ref": "#/$defs/Annotated"}

    def wrap(prop: dict) -> dict:
        inner = dict(prop)
        outer = {k: inner.pop(k) for k in ("title", "description", "default") if k in inner}
        if inner.get("type") == "array" and isinstance(inner.get("items"), dict):
            inner["items"] = {"anyOf": [inner["items"], ref]}
        return {**outer, "anyOf": [inner, ref]}

    def fix(obj: dict) -> None:
        for name, prop in list(obj.get("properties", {}).items()):
            if name != "kind":
                obj["properties"][name] = wrap(prop)

    fix(schema)
    for sub in schema.get("$defs", {}).values():
        fix(sub)
    schema.setdefault("$defs", {})["Annotated"] = definition
    return schema
