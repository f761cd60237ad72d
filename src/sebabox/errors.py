"""Problems are data: every message carries the file and line it is about."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import click

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One message for the clerk; `detail` keeps the parser's or validator's own words (`check --verbose`)."""

    file: str
    line: int
    severity: Severity
    message: str
    detail: str = field(default="", compare=False)

    def __str__(self) -> str:
        """path:line: severity: message, on one line: a file name or text with a line break cannot forge another."""
        return f"{printable(self.file)}:{self.line}: {self.severity}: {printable(self.message)}"

    def verbose(self) -> str:
        return f"{self}\n    ({printable(self.detail)})" if self.detail else str(self)

    def github(self) -> str:
        """The problem as a GitHub Actions workflow command, shown as an annotation on the file and line."""
        return f"::{self.severity} file={_escape_property(self.file)},line={self.line}::{_escape_data(self.message)}"


_MARKDOWN = re.compile(r"([\\`*_\[\]!|~])")  # emphasis, code, links and images (![x](…)), table cells
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Line breaks, control and direction characters written as escapes (\\n, \\u202e)."""
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return _UNPRINTABLE.sub(lambda m: named.get(m.group(), f"\\u{ord(m.group()):04x}"), text)


def _escape_data(text: str) -> str:
    # GitHub's workflow-command rules: % first, then the line breaks that would end the command
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_summary(problems: list[Problem], files: int) -> str:
    """A Markdown table of every problem for the job summary: GitHub shows only 10 annotations of a kind per step."""
    def cell(text: str) -> str:  # plan text (keys, values) as text: no HTML, image, link, code span or new cell
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return " ".join(_MARKDOWN.sub(r"\\\1", text).split())

    def code(text: str) -> str:  # a file name as a code span whose fence no backtick in it can close
        text = " ".join(text.replace("|", "\\|").split())
        fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
        pad = " " if text.startswith("`") or text.endswith("`") else ""
        return f"{fence}{pad}{text}{pad}{fence}"

    errors = sum(p.severity == "error" for p in problems)
    lines = [f"### sebabox check: {files} file(s), {errors} error(s), {len(problems) - errors} warning(s)", ""]
    if problems:
        lines += ["| file:line | | message |", "|---|---|---|"]
        lines += [f"| {code(f'{p.file}:{p.line}')} | {p.severity} | {cell(p.message)} |" for p in problems]
    return "\n".join(lines) + "\n"


class Problems(list):
    """An ordered collection of problems; the build stops on any error."""

    def error(self, file: str | Path, line: int, message: str, detail: str = "") -> None:
        self.append(Problem(str(file), line, "error", message, detail))

    def warning(self, file: str | Path, line: int, message: str, detail: str = "") -> None:
        self.append(Problem(str(file), line, "warning", message, detail))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self if p.severity == "warning"]


class BadValue(ValueError):
    """A value the clerk typed that cannot be read: `str()` is the English (spreadsheet import, logs),
    `bengali` the message `check` shows: what is wrong (English term in brackets) and what to type."""

    def __init__(self, english: str, bengali: str):
        super().__init__(english)
        self.bengali = bengali


class SebaboxError(click.ClickException):
    """An error the CLI prints as one clear line, never as a traceback."""


def refusal(message: str) -> SebaboxError:
    """A one-line refusal whose file names and typed values cannot break the line or print control characters."""
    return SebaboxError(printable(message))


def unknown_office(office: str, plans_dir: Path, known) -> SebaboxError:
    """--office names no office: say which file is missing, and the closest slug."""
    import difflib

    close = difflib.get_close_matches(office, list(known), n=1, cutoff=0.6)
    fix = f"; আপনি কি '{close[0]}' লিখতে চেয়েছিলেন? (did you mean '{close[0]}'?)" if close else ""
    return refusal(f"অজানা অফিস (unknown office) '{office}': {plans_dir}/{office}/office.yaml নেই{fix}; --office-এ "
                   "অফিসের slug লিখুন (plans-এর ফোল্ডারের নাম), নতুন অফিস হলে আগে new-office চালান")


class InvalidPlans(SebaboxError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"{len(errors)} error(s) in the plans; nothing was built")
