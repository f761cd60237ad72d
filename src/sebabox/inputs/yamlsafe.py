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

MAX_BYTES = 2_000_000
MAX_DEPTH = 40
Loc = tuple[Any, ...]


class YamlError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


class _Guard:
    """A composer that refuses anchors and aliases (no alias bombs, no hidden copies) and deep nesting."""

    depth = 0

    def compose_node(self, parent, index):  # type: ignore[override]
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise YamlError(
                event.start_mark.line + 1,
                "YAML anchors and aliases (&name, *name) are not allowed in plan files; "
                "write the value out",
            )
        if self.depth > MAX_DEPTH:  # before PyYAML's recursive composer overflows the stack
            raise YamlError(event.start_mark.line + 1, f"nesting deeper than {MAX_DEPTH} levels")
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
        raise YamlError(1, "file is UTF-16; save it as UTF-8")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        notes.append("file starts with a byte-order mark (BOM); save it as UTF-8 without BOM")
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise YamlError(line, "file contains binary data (NUL bytes); is it really a YAML text file?")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlError(
            line, f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        ) from None
    return text, notes


def read_plan_bytes(path: Path) -> bytes:
    """The file's bytes, refusing huge files and anything but a regular file (a FIFO would block, a
    device never end) before reading them; never more than MAX_BYTES are read."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise YamlError(1, "not a regular file; a plan file must be a plain text file")
        size = info.st_size
        if size <= MAX_BYTES:
            raw = handle.read(MAX_BYTES + 1)
            size = max(size, len(raw))
    if size > MAX_BYTES:
        raise YamlError(1, f"file is {size:,} bytes; plan files are limited to {MAX_BYTES:,}")
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
        raise YamlError(text[: exc.position].count("\n") + 1,
                        f"text contains the control character U+{exc.character:04X}; remove it") from None
    try:
        node = loader.get_single_node()
    except YamlError:
        raise
    except yaml.reader.ReaderError as exc:  # pragma: no cover - the whole text is checked up front
        raise YamlError(1, f"malformed YAML: {exc}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlError(line, f"malformed YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise YamlError(1, f"malformed YAML: {exc}") from None
    finally:
        loader.dispose()
    lines: dict[Loc, int] = {}
    if node is None:
        return None, lines
    return _convert(node, (), lines, 0), lines


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
        raise YamlError(node.start_mark.line + 1, f"text contains the control character U+{ord(bad.group()):04X}; remove it")
    unbalanced = _unbalanced_direction(value) if _DIRECTION.search(value) else None
    if unbalanced:
        raise YamlError(node.start_mark.line + 1, f"text has an unbalanced direction control U+{ord(unbalanced):04X} (opened and not closed, or closing nothing), "
                        "which reverses what is shown after it (a name in the browser tab, a line of the PDF); remove it")
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
        raise YamlError(line, f"nesting deeper than {MAX_DEPTH} levels")
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError(key_node.start_mark.line + 1, "mapping keys must be plain text")
            key = _checked(key_node)
            if key == "<<":
                raise YamlError(key_node.start_mark.line + 1, "YAML merge keys (<<) are not allowed")
            if key in result:
                raise YamlError(
                    key_node.start_mark.line + 1,
                    f"duplicate key {key!r} (first given on line {lines[loc + (key,)]})",
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
