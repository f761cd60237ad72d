"""A phone 01712345670, a code 0123, a time 1:30, yes/no/on/off and 1e3 typed unquoted in any text
field of any document kind are kept exactly as typed (YAML 1.1 would make them numbers or booleans)."""

from __future__ import annotations

import re
import shutil
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

from conftest import PLANS
from sebabox.bengali import to_ascii_digits
from sebabox.errors import Problems
from sebabox.inputs.load import load_file
from sebabox.inputs.yamlsafe import read_yaml
from sebabox.model import DOCUMENT_MODELS, _text

FIXTURES = Path(__file__).parent / "fixtures"
IDENTIFIERS = ["01712345670", "0123", "1:30", "yes", "off", "1e3"]

# one file of each kind, and fictional files that fill every office and charter field
SAMPLES = [
    PLANS / "itna-upazila-cooperative/office.yaml",
    PLANS / "_templates/2023-24/nis-field.yaml",
    PLANS / "rangpur-sadar-upazila-cooperative/2023-24/apa.yaml",
    PLANS / "itna-upazila-cooperative/2023-24/nis-q1.yaml",
    PLANS / "itna-upazila-cooperative/2023-24/nis.yaml",
    PLANS / "rangpur-sadar-upazila-cooperative/2023-24/nis.yaml",
    PLANS / "rangpur-sadar-upazila-cooperative/2023-24/cc.yaml",
    PLANS / "_templates/2023-24/cc-district-upazila.yaml",
    PLANS / "ghior-upazila-social-services/2024-25/apa.yaml",
    PLANS / "ghior-upazila-social-services/2024-25/nis.yaml",
    PLANS / "chapainawabganj-sadar-upazila-statistics/2023-24/egov.yaml",
    PLANS / "naria-municipality/charter.yaml",
    FIXTURES / "charter_cabinet/plans/example-upazila-office/office.yaml",
    FIXTURES / "charter_cabinet/plans/example-upazila-office/charter.yaml",
]


def _is_text(annotation) -> bool:
    """Is this field annotated (maybe inside Optional or list) as model.Text?"""
    if typing.get_origin(annotation) is typing.Annotated:
        funcs = [getattr(m, "func", None) for m in annotation.__metadata__]
        # e-mail addresses and web addresses are checked formats, not free text: 0123 is refused there
        return _text in funcs and len(funcs) == 1 and typing.get_args(annotation)[0] is str
    return False


def _text_field(model_cls, path: tuple) -> tuple[type, str] | None:
    """(model class, field) when `path` leads to a text field (or an item of a list of texts)."""
    current: typing.Any = model_cls
    for i, part in enumerate(path):
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part) if isinstance(part, str) else None
        if field is None:
            return None
        owner, annotation, rest = current, field.annotation, path[i + 1:]
        if "dict[" in str(annotation) and rest:
            rest = rest[1:]  # the key of a mapping such as values: {১.১: …}
        candidates = [annotation]
        while True:  # unwrap Optional / list / dict down to a model or a scalar
            nxt = []
            for c in candidates:
                origin = typing.get_origin(c)
                if origin in (typing.Union, list, dict) or str(origin) == "<class 'types.UnionType'>":
                    nxt.extend(typing.get_args(c))
                else:
                    nxt.append(c)
            if nxt == candidates:
                break
            candidates = nxt
        rest = tuple(p for p in rest if not isinstance(p, int))
        texts = [c for c in candidates if _is_text(c)]
        if texts and not rest:
            return owner, part
        current = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)
        if rest and isinstance(current, type) and issubclass(current, BaseModel):
            # continue with the next key of the path inside this model (skip list indices and dict keys)
            sub = _text_field(current, rest)
            return sub
        return None
    return None


def _all_text_fields() -> set[tuple[str, str]]:
    seen, out, todo = set(), set(), list(DOCUMENT_MODELS.values())
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        for name, field in cls.model_fields.items():
            args = [field.annotation]
            for _ in range(4):
                args = args + [a for x in args for a in typing.get_args(x)]
            if any(_is_text(a) for a in args):
                out.add((cls.__name__, name))
            todo.extend(a for a in args if isinstance(a, type) and issubclass(a, BaseModel))
    return out


def _leaves(data, path=()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _leaves(value, path + (i,))
    elif isinstance(data, str):
        yield path


def _replace(lines: list[str], number: int, path: tuple, typed: str) -> list[str] | None:
    """The file with the scalar at `path` (starting on line `number`) replaced by `typed`, unquoted."""
    line = lines[number - 1]
    key = path[-1]
    flow = re.match(rf"^(\s*(?:- )?{re.escape(str(path[-2]))}:\s*\[)(.*)(\]\s*)$", line) if len(path) > 1 else None
    if isinstance(key, int) and flow:  # an item of a one-line list such as columns: [ক, খ, গ]
        items = flow.group(2).split(", ")
        if key >= len(items):
            return None
        items[key] = typed
        return lines[:number - 1] + [flow.group(1) + ", ".join(items) + flow.group(3)] + lines[number:]
    if isinstance(key, str):
        match = re.match(rf"^(\s*(?:- )?{re.escape(key)}:\s*)(.*)$", line)
    else:
        match = re.match(r"^(\s*(?:- )+)(.*)$", line)
    if not match or match.group(2).startswith(("{", "[")):
        return None
    out = lines[:number - 1] + [match.group(1) + typed]
    rest = lines[number:]
    if match.group(2).strip() in (">-", ">", "|", "|-"):  # drop the block scalar's lines
        indent = len(line) - len(line.lstrip())
        while rest and (not rest[0].strip() or len(rest[0]) - len(rest[0].lstrip()) > indent):
            rest = rest[1:]
    return out + rest


def _value_at(model, path: tuple):
    current = model
    for part in path:
        if isinstance(current, dict):
            current = current[to_ascii_digits(str(part)).strip("[]() ").rstrip(".")]
        elif isinstance(part, int):
            current = current[part]
        else:
            current = getattr(current, part)
    return current


# optional fields no shipped file fills: (file, the line after which, the line added)
ADDED = {
    "nis-q1.yaml": [("  memo: ", "  subject: ত্রৈমাসিক প্রতিবেদন প্রেরণ")],
    "apa.yaml": [("    relation: পত্র যোগাযোগ ও ই-মেইল", "    mechanism: সভা"),
                 ("    description: ভাতা সুবিধাভোগী", "    activity: বয়স্কভাতা প্রদান")],
    "nis.yaml": [("    responsible: শুদ্ধাচার ফোকাল পয়েন্ট কর্মকর্তা", "    remarks: মন্তব্য")],
}


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    folder = tmp_path_factory.mktemp("samples")
    out = []
    for sample in SAMPLES:
        text = sample.read_text(encoding="utf-8").splitlines()
        for after, added in ADDED.get(sample.name, []):
            at = next((i for i, line in enumerate(text) if line.startswith(after)), None)
            if at is not None:
                text.insert(at + 1, added)
        copy = folder / sample.parent.parent.name / sample.parent.name / sample.name
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text("\n".join(text) + "\n", encoding="utf-8")
        out.extend(_cases(copy))
    return out


def _cases(sample: Path):
    if True:
        data, lines, _ = read_yaml(sample)
        model_cls = DOCUMENT_MODELS[data["kind"]]
        done = set()
        for path in _leaves(data):
            if path == ("kind",):
                continue
            target = _text_field(model_cls, path)
            general = tuple("*" if isinstance(p, int) else p for p in path)
            if target is None or general in done:
                continue
            text = sample.read_text(encoding="utf-8").splitlines()
            if _replace(text, lines[path], path, "x") is None:
                continue
            done.add(general)
            yield sample, path, lines[path], target


def test_the_samples_cover_every_text_field_of_every_kind(cases):
    covered = {(cls.__name__, name) for _, _, _, (cls, name) in cases}
    assert not _all_text_fields() - covered, sorted(_all_text_fields() - covered)


@pytest.mark.parametrize("typed", IDENTIFIERS)
def test_an_identifier_typed_unquoted_in_any_text_field_is_kept_exactly(tmp_path, cases, typed):
    failures = []
    for sample, path, number, _ in cases:
        text = sample.read_text(encoding="utf-8").splitlines()
        changed = _replace(text, number, path, typed)
        target = tmp_path / sample.name
        target.write_text("\n".join(changed) + "\n", encoding="utf-8")
        problems = Problems()
        loaded = load_file(target, problems)
        errors = [p for p in problems if p.severity == "error"]
        if loaded is None:
            # a refusal must say where and what to do
            if not any(p.line == number and "quote" in p.message for p in errors):
                failures.append(f"{sample.name}:{number} {path}: {[str(p) for p in errors]}")
            continue
        value = _value_at(loaded.model, path)
        if value != typed:
            failures.append(f"{sample.name}:{number} {path}: {typed!r} became {value!r}")
    assert not failures, "\n".join(failures)


def test_a_phone_typed_unquoted_reaches_the_page_and_the_open_data_with_its_leading_zero(tmp_path):
    from sebabox.outputs.opendata import charter_csv, document_data
    from sebabox.inputs.check import check_plans
    from sebabox.outputs.render import document_page
    from sebabox.outputs.report import all_documents

    plans = tmp_path / "plans"
    shutil.copytree(FIXTURES / "charter_cabinet/plans", plans)
    charter = plans / "example-upazila-office/charter.yaml"
    charter.write_text(charter.read_text(encoding="utf-8").replace('phone: "০১৭০০-০০০০০৫"', "phone: 01712345670"),
                       encoding="utf-8")
    problems, catalog = check_plans(plans)
    assert not problems.errors, [str(p) for p in problems]
    doc = next(d for d in all_documents(catalog) if d.kind == "charter")
    page = document_page(doc)
    assert '<a href="tel:01712345670">০১৭১২৩৪৫৬৭০</a>' in page
    data = document_data(doc)
    assert data["services"][0]["officer_phone"] == "01712345670"
    assert ",01712345670," in charter_csv(data)
