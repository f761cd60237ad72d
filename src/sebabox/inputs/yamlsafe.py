"""The only YAML reader: safe, strict, and keeping the line of every value.

`read_yaml(path)` returns (data, lines) where `lines` maps a location tuple
such as ("areas", 0, "indicators", 1, "weight") to its 1-based line, or raises
YamlError with a located message. Anchors/aliases, duplicate keys, non-UTF-8
text, binary junk, huge files and deep nesting are refused.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from sebabox.bengali import to_bengali_digits

MAX_BYTES = 2_000_000
MAX_DEPTH = 40
Loc = tuple[Any, ...]


class YamlError(Exception):
    """A located problem in a file's text; `detail` keeps the parser's own words (check --verbose)."""

    def __init__(self, line: int, message: str, detail: str = ""):
        super().__init__(message)
        self.line = line
        self.message = message
        self.detail = detail


class _Guard:
    """A composer that refuses anchors and aliases (no alias bombs, no hidden copies) and deep nesting."""

    depth = 0

    def compose_node(self, parent, index):  # type: ignore[override]
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise YamlError(
                event.start_mark.line + 1,
                "YAML-এর anchor ও alias (&নাম, *নাম) প্ল্যান ফাইলে চলে না (anchors and aliases are not allowed); "
                "মানটি পুরো লিখুন",
            )
        if self.depth > MAX_DEPTH:  # before PyYAML's recursive composer overflows the stack
            raise YamlError(event.start_mark.line + 1, _too_deep())
        self.depth += 1
        try:
            return yaml.composer.Composer.compose_node(self, parent, index)
        finally:
            self.depth -= 1


class _Loader(_Guard, yaml.SafeLoader):
    """The pure-Python reader: exact messages for every problem."""


if getattr(yaml, "__with_libyaml__", False):

    class _FastLoader(_Guard, yaml.composer.Composer, yaml.cyaml.CParser, yaml.constructor.SafeConstructor,
                      yaml.resolver.Resolver):
        """libyaml scans and parses (ten times faster); Python composes, refusing anchors and deep nesting."""

        def __init__(self, text: str):
            yaml.cyaml.CParser.__init__(self, text)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

else:  # pragma: no cover - PyYAML without libyaml
    _FastLoader = None


def _decode(raw: bytes) -> tuple[str, list[str]]:
    notes = []
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlError(1, "ফাইলটি UTF-16-এ সংরক্ষিত (file is UTF-16); UTF-8 হিসেবে সংরক্ষণ করুন (save as UTF-8)")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        notes.append("ফাইলের শুরুতে byte-order mark (BOM) আছে; BOM ছাড়া UTF-8 হিসেবে সংরক্ষণ করুন")
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise YamlError(line, "ফাইলে binary data (NUL bytes) আছে; এটি কি সত্যিই YAML লেখার ফাইল? "
                              "লেখার এডিটরে (text editor) খুলে সংরক্ষণ করুন")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlError(
            line, f"লেখাটি UTF-8 নয় (not UTF-8 text, byte 0x{raw[exc.start]:02x}); ফাইলটি UTF-8 হিসেবে সংরক্ষণ করুন"
        ) from None
    return text, notes


def read_plan_bytes(path: Path) -> bytes:
    """The file's bytes, refusing huge files and anything but a regular file (a FIFO would block, a
    device never end) before reading them; never more than MAX_BYTES are read."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise YamlError(1, "এটি সাধারণ ফাইল নয় (not a regular file); প্ল্যান ফাইল একটি সাধারণ লেখার ফাইল হতে হবে")
        size = info.st_size
        if size <= MAX_BYTES:
            raw = handle.read(MAX_BYTES + 1)
            size = max(size, len(raw))
    if size > MAX_BYTES:
        raise YamlError(1, f"ফাইলটি {size:,} বাইট (bytes); প্ল্যান ফাইল সর্বোচ্চ {MAX_BYTES:,} বাইট হতে পারে; "
                           "ফাইলটি ভাগ করুন")
    return raw


def read_yaml(path: Path, raw: bytes | None = None) -> tuple[Any, dict[Loc, int], list[str]]:
    """Parse one file (or its bytes, already read). Returns (data, lines, notes); notes are warnings at line 1."""
    text, notes = _decode(read_plan_bytes(path) if raw is None else raw)
    return (*parse_yaml_text(text), notes)


def parse_yaml_text(text: str) -> tuple[Any, dict[Loc, int]]:
    if _FastLoader is not None:
        try:
            yaml.reader.Reader(text)  # refuses unprintable characters
            loader = _FastLoader(text)
            try:
                node = loader.get_single_node()
            finally:
                loader.dispose()
        except Exception:  # noqa: BLE001 - any problem: the pure-Python reader below says where and what
            pass
        else:
            lines: dict[Loc, int] = {}
            return (None, lines) if node is None else (_convert(node, (), lines, 0), lines)
    try:
        loader = _Loader(text)  # the reader refuses unprintable characters here already
    except yaml.reader.ReaderError as exc:
        raise YamlError(text[: exc.position].count("\n") + 1, _control(exc.character)) from None
    try:
        node = loader.get_single_node()
    except YamlError:
        raise
    except yaml.reader.ReaderError as exc:  # pragma: no cover - the whole text is checked up front
        raise YamlError(1, _MALFORMED, f"malformed YAML: {exc}") from None
    except yaml.MarkedYAMLError as exc:
        raise YamlError(*explain_syntax(exc, text), f"malformed YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise YamlError(1, _MALFORMED, f"malformed YAML: {exc}") from None
    finally:
        loader.dispose()
    lines: dict[Loc, int] = {}
    if node is None:
        return None, lines
    return _convert(node, (), lines, 0), lines


_MALFORMED = "YAML লেখার নিয়মে ভুল (malformed YAML); লাইনটি আগের লাইনগুলোর সঙ্গে মিলিয়ে দেখুন"


def _control(code: int) -> str:
    return (f"লেখায় অদৃশ্য নিয়ন্ত্রণ-অক্ষর (control character U+{code:04X}) আছে; অক্ষরটি মুছুন "
            "(অন্য জায়গা থেকে কপি করা লেখায় থাকে)")


def _too_deep() -> str:
    return f"{MAX_DEPTH} স্তরের বেশি ভেতরে সাজানো (nesting deeper than {MAX_DEPTH} levels); কাঠামো সহজ করুন"


def explain_syntax(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    """PyYAML's problem -> (line, what is wrong and what to type) in the clerk's words."""
    problem = f"{exc.problem or ''} {exc.context or ''}"
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    lines = text.splitlines()
    line_text = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in line_text or "'\\t'" in problem or "tab" in problem:
        return line, ("ট্যাব অক্ষর (tab) চলে না: YAML-এ ঘর সরাতে শুধু স্পেস (space) দিন; এই লাইনের ট্যাব মুছে "
                      "উপরের সমান সংখ্যক স্পেস দিন")
    unclosed = _unclosed_quote(lines[: line - 1])
    if unclosed:
        return unclosed, "উদ্ধৃতিচিহ্ন (quote \") খোলা হয়েছে কিন্তু এই লাইনে বন্ধ হয়নি; মানের শেষে আরেকটি \" দিন"
    reserved = re.search(r"found character '([%@`])' that cannot start any token", problem)
    if reserved:
        return line, (f"'{reserved.group(1)}' দিয়ে মান শুরু হলে মানটি উদ্ধৃতিচিহ্নে (quote) লিখুন, যেমন "
                      f"unit: \"{reserved.group(1)}\"")
    if "mapping values are not allowed" in problem:
        return line, ("এই লাইনে একটি ':' বেশি (extra colon): মানের ভেতরে ':' থাকলে মানটি "
                      "উদ্ধৃতিচিহ্নে লিখুন (যেমন name: \"ক: খ\"); নইলে লাইনের শুরুর স্পেস (indentation) উপরের লাইনের "
                      "সঙ্গে মিলিয়ে নিন")
    if "could not find expected ':'" in problem:
        return line, "কী-এর পরে ':' নেই (missing ':'); লিখুন কী: মান, যেমন target: ৪"
    if "expected <block end>" in problem or "did not find expected key" in problem or "expected '-'" in problem:
        return line, ("লাইনের শুরুর স্পেস (indentation) মিলছে না: একই স্তরের কী-গুলো একই ঘরে শুরু হবে, তালিকার "
                      "প্রতিটি উপাদান '- ' দিয়ে; উপরের লাইনগুলোর সঙ্গে মিলিয়ে নিন")
    if "quoted scalar" in problem:
        return (exc.context_mark.line + 1 if exc.context_mark else line,
                "উদ্ধৃতিচিহ্ন (quote \" বা ') খোলা হয়েছে কিন্তু বন্ধ হয়নি; মানের শেষে একই চিহ্ন দিন")
    opened = exc.context_mark.line + 1 if exc.context_mark else line  # where the bracket was opened
    if "flow sequence" in problem or "expected ',' or ']'" in problem:
        return opened, "বন্ধনী [ ] বন্ধ হয়নি বা মানগুলোর মাঝে কমা নেই; লিখুন যেমন [১০০, ৯০, ৮০, ৭০, ৬০]"
    if "flow mapping" in problem or "expected ',' or '}'" in problem:
        return opened, "বন্ধনী { } বন্ধ হয়নি বা মানগুলোর মাঝে কমা নেই; লিখুন যেমন {target: ৪, remarks: …}"
    return line, _MALFORMED


def _unclosed_quote(lines: list[str]) -> int | None:
    """The first line whose value opens a double quote it does not close (the parser only notices later)."""
    for number, text in enumerate(lines, 1):
        value = text.split(": ", 1)[1] if ": " in text else text.lstrip(" -")
        if value.startswith('"') and (len(value.rstrip()) == 1 or not value.rstrip().endswith('"')) \
                and value.count('"') - value.count('\\"') == 1:
            return number
    return None


# Plain (unquoted) scalars stay the text that was typed, except null: YAML 1.1 would turn a phone
# 01712345670 into the number 1712345670, a code 0123 into 123, `yes`/`no`/`on`/`off` into true/false
# and 1:30 into 90. Each field's type reads the text (numbers as exact Decimals, `true` for a flag),
# so an identifier in a text field is kept exactly as typed.
_NULL = "tag:yaml.org,2002:null"


# Control characters (C0 but tab and newlines, DEL, C1), lone surrogates and non-characters can only
# arrive through escapes in quoted strings; they are invisible, break front matter and UTF-8 output.
_BAD_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _checked(node: yaml.ScalarNode) -> str:
    value = str(node.value)
    bad = _BAD_CHAR.search(value)
    if bad:
        raise YamlError(node.start_mark.line + 1, _control(ord(bad.group())))
    unbalanced = _unbalanced_direction(value) if _DIRECTION.search(value) else None
    if unbalanced:
        raise YamlError(node.start_mark.line + 1, f"লেখার দিক বদলানোর অদৃশ্য অক্ষর (direction control U+{ord(unbalanced):04X}) "
                        "খোলা হয়েছে কিন্তু বন্ধ হয়নি (বা কিছু বন্ধ করছে না); এটি পরের লেখা উল্টো দেখায়, অক্ষরটি মুছুন")
    return value


# Direction embeddings, overrides and isolates (U+202A-202E, U+2066-2069): each opened must be closed in the
# same text, else it reverses whatever is printed after the value (Trojan-source style spoofing).
_DIRECTION = re.compile("[\u202a-\u202e\u2066-\u2069]")
_OPENS = {"\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c", "\u202e": "\u202c",
          "\u2066": "\u2069", "\u2067": "\u2069", "\u2068": "\u2069"}


def _unbalanced_direction(text: str) -> str | None:
    """The first direction control left open (or closing nothing), or None."""
    stack: list[str] = []
    for char in _DIRECTION.findall(text):
        if char in _OPENS:
            stack.append(char)
        elif stack and _OPENS[stack[-1]] == char:
            stack.pop()
        else:
            return char
    return stack[0] if stack else None


def _convert(node: yaml.Node, loc: Loc, lines: dict[Loc, int], depth: int) -> Any:
    line = node.start_mark.line + 1
    lines[loc] = line
    if depth > MAX_DEPTH:
        raise YamlError(line, _too_deep())
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError(key_node.start_mark.line + 1, "কী (key) সাধারণ লেখা হতে হবে (mapping keys must be "
                                "plain text), যেমন target: ; তালিকা বা বন্ধনী নয়")
            key = _checked(key_node)
            if key == "<<":
                raise YamlError(key_node.start_mark.line + 1, "YAML merge key (<<) চলে না (merge keys are not allowed); মানগুলো পুরো লিখুন")
            if key in result:
                raise YamlError(
                    key_node.start_mark.line + 1,
                    f"একই কী দুবার লেখা (duplicate key '{key}'): প্রথমবার লাইন {to_bengali_digits(str(lines[loc + (key,)]))}-এ; "
                    "একটি মুছুন",
                )
            result[key] = _convert(value_node, loc + (key,), lines, depth + 1)
            lines[loc + (key,)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, loc + (i,), lines, depth + 1) for i, item in enumerate(node.value)]
    value = _checked(node)
    if not node.style and node.tag == _NULL:  # plain: None (PyYAML) or "" (libyaml)
        return None
    return value
