"""Validator errors -> messages a clerk can act on: what is wrong (English term in brackets), where
(the row's own ক্রম/id, or its 1-based place), and what to type instead. The validator's own words
are kept as the problem's `detail`, shown by `check --verbose`."""

from __future__ import annotations

import difflib
import re
import typing
from typing import Any

from pydantic import BaseModel

from sebabox.bengali import QUARTER_NAMES, nfc, to_bengali_digits
from sebabox.errors import BadValue
from sebabox.glossary import field_text, label

Loc = tuple[Any, ...]
# the columns of a row's lists, as the documents head them
_CELL_NAMES = {"levels": ("অসাধারণ", "অতি উত্তম", "উত্তম", "চলতি মান", "চলতি মানের নিম্নে"),
               "quarter_targets": QUARTER_NAMES}


def line_for(lines: dict[Loc, int], loc: tuple) -> int:
    loc = tuple(loc)
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get((), 1)


def did_you_mean(word: Any, choices, titles: dict[str, str] | None = None) -> str | None:
    """The closest choice to a misspelt word (also to a choice's Bengali title, when given)."""
    if not isinstance(word, str):
        return None
    choices = list(choices)
    close = difflib.get_close_matches(nfc(word), choices, n=1, cutoff=0.6)
    if close:
        return close[0]
    lowered = nfc(word).strip().lower()
    parts = [c for c in choices if lowered and (lowered in c.split("_") or c.startswith(lowered))]
    if len(parts) == 1:  # time -> time_limit, quarter -> quarter_targets
        return parts[0]
    by_title = {nfc(title): key for key, title in (titles or {}).items()}
    close = difflib.get_close_matches(nfc(word), list(by_title), n=1, cutoff=0.6)
    return by_title[close[0]] if close else None


def hint(word: Any, choices) -> str:
    close = did_you_mean(word, choices)
    return f"; আপনি কি '{close}' লিখতে চেয়েছিলেন? (did you mean '{close}'?)" if close else ""


def bn_id(value: Any) -> str:
    return to_bengali_digits(str(value)).strip("[]() ")


def where(loc: tuple, data: Any, model_cls: type[BaseModel] | None = None, last_label: bool = True) -> str:
    """('citizen_services', 0, 'officer') -> 'citizen_services ক্রম ১ › দায়িত্বপ্রাপ্ত কর্মকর্তা (officer)'.

    A list item is named by its own `id` when it has one (ক্রম ২.১), else by its 1-based place."""
    parts: list[str] = []
    node = data
    for i, part in enumerate(loc):
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and part < len(node) else None
            if not isinstance(item, (dict, list)) and parts:  # one value of a list such as levels: [১০০, ৯০, …]
                key = loc[i - 1]
                holder = model_at(model_cls, loc[:i]) if model_cls else None
                cell = _CELL_NAMES.get(key, ())
                place = f"{cell[part]} ঘর" if part < len(cell) else f"{bn_id(part + 1)} নম্বর মান"
                parts[-1] = f"{label(key, holder.__name__ if holder else None)}-এর {place}"
                node = item
                continue
            own = item.get("id") if isinstance(item, dict) else None
            row = f"ক্রম {bn_id(own)}" if isinstance(own, (str, int)) and str(own).strip() else f"ক্রম {bn_id(part + 1)}"
            parts[-1:] = [f"{parts[-1]} {row}" if parts else row]
            node = item
            continue
        is_last = i == len(loc) - 1
        holder = model_at(model_cls, loc[: i + 1]) if model_cls else None
        parts.append(label(part, holder.__name__ if holder else None) if is_last and last_label else str(part))
        node = node.get(part) if isinstance(node, dict) else None
    return " › ".join(parts)


def model_at(model_cls: type[BaseModel] | None, loc: tuple) -> type[BaseModel] | None:
    """The model class that holds the last key of `loc`."""
    current: Any = model_cls
    for part in loc[:-1]:
        if isinstance(part, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
            continue
        info = current.model_fields.get(part)
        if info is None:
            return None
        candidates = [info.annotation]
        for arg in candidates:  # grows: Optional[Annotated[list[Person], …]] -> … -> Person
            candidates.extend(typing.get_args(arg))
        current = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _got(value: Any) -> str:
    if value is None:
        return "কিছু লেখা নেই"
    if isinstance(value, bool):
        return f"হ্যাঁ/না লেখা আছে ({'true' if value else 'false'})"
    if isinstance(value, list):
        return "তালিকা (list) লেখা আছে"
    if isinstance(value, dict):
        return "কী-মান (mapping) লেখা আছে"
    return f"লেখা আছে '{value}'"


def _clean_loc(err_loc: tuple, lines: dict[Loc, int]) -> tuple:
    loc: tuple = ()
    for p in err_loc:  # drop pydantic's union tags (function-after[…], list[…]), not keys written as [১.১]
        if isinstance(p, str) and ("[" in p or p.startswith("function-")) and loc + (p,) not in lines:
            continue
        loc += (p,)
    return loc


def _allowed(err: dict) -> list[str]:
    expected = (err.get("ctx") or {}).get("expected", "")
    return re.findall(r"'([^']*)'", str(expected))


def _required_keys(holder: type[BaseModel] | None) -> str:
    if holder is None:
        return "…"
    keys = [name for name, info in holder.model_fields.items() if info.is_required()]
    others = [name for name, info in holder.model_fields.items() if not info.is_required()]
    text = ", ".join(f"{key}: …" for key in keys) or "…"
    return f"{text} (চাইলে আরও: {', '.join(others)})" if others else text


def _in_bengali_and_or(words: list[str]) -> str:
    quoted = [f"'{w}'" for w in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " বা " + quoted[-1]


def _as_typed(loc: tuple, data: Any) -> tuple:
    """Drop the list index the model adds to one person typed where several are allowed (officer: {…})."""
    out: tuple = ()
    holder = data
    for part in loc:
        if isinstance(part, int) and not isinstance(holder, list):
            continue
        out += (part,)
        try:
            holder = holder[part]
        except (KeyError, IndexError, TypeError):
            holder = None
    return out


def _comma_split(loc: tuple, data: Any) -> str | None:
    """A value with a comma inside {…} (`{designation: উপপরিচালক, place: কৃষি অফিস, ব্রাহ্মণবাড়িয়া}`) is cut
    at the comma and its tail read as a key without a value: say so, with the quoted value to type."""
    holder = data
    for part in loc[:-1]:
        try:
            holder = holder[part]
        except (KeyError, IndexError, TypeError):
            return None
    key = loc[-1]
    if not isinstance(holder, dict) or not isinstance(key, str) or holder.get(key, "") is not None \
            or re.fullmatch(r"[a-z_]+", key):
        return None
    keys = list(holder)
    before = keys[keys.index(key) - 1] if keys.index(key) else None
    if before is None or not isinstance(holder[before], str):
        return None
    return (f"; {{…}}-এর ভেতরে কমা (,) মানকে ভেঙে দেয় (a comma splits a value inside {{…}}): মানটি উদ্ধৃতিচিহ্নে "
            f'লিখুন (quote it), যেমন {before}: "{holder[before]}, {key}"')


def describe(err: dict, data: Any, lines: dict[Loc, int], model_cls: type[BaseModel]) -> tuple[int, str, str]:
    """(line, message, detail) for one pydantic error."""
    loc = _as_typed(_clean_loc(err["loc"], lines), data)
    detail = f"{'.'.join(str(p) for p in loc)}: {err['msg']}" if loc else err["msg"]
    kind, got = err["type"], err.get("input")
    here = where(loc, data, model_cls)
    prefix = f"{here}: " if here else ""
    line = line_for(lines, loc)
    if kind == "extra_forbidden":
        holder = model_at(model_cls, loc)
        parent = where(loc[:-1], data, model_cls, last_label=False)
        fields = list(holder.model_fields) if holder else []
        titles = {key: text[0] for key in fields if (text := field_text(key, holder.__name__ if holder else None))}
        close = did_you_mean(loc[-1], fields, titles)
        split = _comma_split(loc, data)
        if split:
            fix = split
        elif close:
            fix = f"; আপনি কি '{close}' ({titles.get(close, close)}) লিখতে চেয়েছিলেন? (did you mean '{close}'?)"
        else:
            fix = f"; এখানে লেখা যায় (allowed keys): {', '.join(fields)}" if fields else ""
        return line, f"{parent + ': ' if parent else ''}অজানা কী (unknown key) '{loc[-1]}'{fix}", detail
    if kind == "missing":
        holder = model_at(model_cls, loc)
        parent = where(loc[:-1], data, model_cls, last_label=False)
        name = label(loc[-1], holder.__name__ if holder else None)
        return (line_for(lines, loc[:-1]),
                f"{parent + ': ' if parent else ''}{name} নেই (missing required key); যোগ করুন: {loc[-1]}: …", detail)
    error = (err.get("ctx") or {}).get("error")
    if isinstance(error, BadValue):
        holder = model_at(model_cls, loc)
        text = field_text(str(loc[-1]), holder.__name__ if holder else None) if loc else None
        if text and text[0] in error.bengali:  # the message names the field itself: say where its row is
            parent = where(loc[:-1], data, model_cls, last_label=False)
            return line, (f"{parent}: " if parent else "") + error.bengali, detail
        return line, prefix + error.bengali, detail
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        holder = model_at(model_cls, loc + ("_",))
        return line, (f"{prefix}কী-মান (mapping) চাই, {_got(got)}; পরের লাইনগুলোতে দুই ঘর সরিয়ে লিখুন: "
                      f"{_required_keys(holder)}"), detail
    if kind == "list_type":
        return line, (f"{prefix}তালিকা (list) চাই, {_got(got)}; প্রতিটি উপাদান নতুন লাইনে '- ' দিয়ে শুরু করুন, "
                      "বা এক লাইনে [ক, খ] লিখুন"), detail
    if kind in ("literal_error", "enum"):
        allowed = _allowed(err)
        close = did_you_mean(got, allowed)
        fix = f"; আপনি কি '{close}' লিখতে চেয়েছিলেন? (did you mean '{close}'?)" if close else ""
        return line, f"{prefix}'{got}' চলে না; লিখুন {_in_bengali_and_or(allowed)}{fix}", detail
    if kind == "string_pattern_mismatch" and loc and loc[-1] in ("slug", "office", "parent", "template"):
        return line, (f"{prefix}ছোট হাতের ইংরেজি অক্ষর, অঙ্ক ও '-' চাই (slug), লেখা আছে '{got}'; "
                      "লিখুন যেমন itna-upazila-cooperative"), detail
    if kind in ("string_type", "string_pattern_mismatch"):
        return line, f"{prefix}লেখা (text) চাই, {_got(got)}", detail
    if kind.startswith("bool"):
        return line, f"{prefix}true বা false চাই (expected true/false), {_got(got)}", detail
    if kind.startswith(("int", "float", "decimal", "greater", "less")):
        return line, f"{prefix}সংখ্যা চাই (expected a number), {_got(got)}; লিখুন যেমন ৮", detail
    return line, f"{prefix}মান ঠিক নেই (invalid value), {_got(got)}; বিস্তারিত দেখতে: check --verbose", detail

