"""The JSON Schemas (what an editor checks while typing) and `check` agree on one shared list of good
and bad values: numbers, dates and fiscal years in Bengali or ASCII digits, ids, quarters, annexes,
choices typed with composed or decomposed ড়, e-mails, slugs, text. Any disagreement fails.

The schema side reads the YAML as an editor does (YAML 1.2: plain 4 is a number, plain yes is text);
`check` reads it with the project's own reader. Only what a schema can know is compared: whether a
value can be read (a file's weights adding up is `check`'s alone). Known limits of a schema, left out
of the list on purpose: the calendar (31/02 has the shape of a date; `check` refuses it), and numbers
an editor reads as YAML numbers whatever their spelling (1e5, 01, 1.0), which `check` reads as typed."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
import yaml

from conftest import PLANS, ROOT
from sebabox.errors import Problems
from sebabox.inputs.load import load_file
from sebabox.tools.schemas import build_schemas

NIS = "itna-upazila-cooperative/2023-24/nis.yaml"
Q1 = "itna-upazila-cooperative/2023-24/nis-q1.yaml"
OFFICE = "itna-upazila-cooperative/office.yaml"
SCHEMA_OF = {NIS: "plan", Q1: "progress", OFFICE: "office"}
COMPOSED_RR = "গ\u09dc"  # গড় typed with the precomposed ড় (U+09DC)

# (file, text to replace, replacement with {} for the value, [(value, readable?)])
CASES = [
    (NIS, "    weight: ৪\n", "    weight: {}\n", [
        ("৪", True), ("4", True), ("২.৫", True), (".৫", True), ("1,234", True), ("১২,৩৪,৫৬৭", True), ("-২", False), ("+২", True),
        ("চার", False), ("abc", False), ("", False), ("১,২", False), ("yes", False), ("true", False), ("৪%", False),
        ("২৬/০৭/২০২৩", False)]),
    (NIS, "        target: ২\n", "        target: {}\n", [
        ("১০০%", True), ("৫০ %", True), ('"-"', True), ("", True), ("২৬/০৭/২০২৩", True), ("26-7-23", True), ("৩", True),
        ("abc", False), ("৩২/০৭/২০২৩", False), ("২৬/১৩/২০২৩", False), ("1,5", False), ("[১]", False), ("yes", False)]),
    (NIS, "annex: 4\n", "annex: {}\n", [
        ("৪", True), ("8", True), ("০৪", True), ("৯", False), ("3", False), ("চার", False), ("4.5", False)]),
    (NIS, "fiscal_year: ২০২৩-২৪\n", "fiscal_year: {}\n", [
        ("2023-24", True), ("২০২৩-২০২৪", True), ("২০২৩–২৪", True), ("2023 - 24", True), ("১৯৭২-৭৩", True),
        ("২০২৩", False), ("2023-25", False), ("১৮৯৯-০০", False), ("২০২৩/২৪", False), ("FY23", False)]),
    (NIS, "  - id: ১\n", "  - id: {}\n", [
        ("১", True), ('"[১]"', True), ("১.", True), ("(১)", True), ("1.1", True), ("১০", True),
        ('"০১"', False), ("ক", False), ("0", False), ('"১.০১"', False), ("১..১", False)]),
    (NIS, "        unit: সংখ্যা\n", "        unit: সংখ্যা\n        method: {}\n", [
        ("গড়", True), (COMPOSED_RR, True), ("সমষ্টি", True), ("তারিখ", True), ('" ক্রমপুঞ্জিভূত "', True),
        ("গড", False), ("sum", False), ("average", False)]),
    (NIS, "        unit: সংখ্যা\n", "        unit: সংখ্যা\n        {}: x\n", [
        ("remarks", True), ("unti", False), ("time", False)]),
    (Q1, "quarter: 1\n", "quarter: {}\n", [
        ("১", True), ("৪", True), ('"২"', True), ("5", False), ("৫", False), ("প্রথম", False), ("0", False), ("১ম", False)]),
    (Q1, "as_of: {value: ২৬/০৯/২০২৩,", "as_of: {{value: {},", [
        ("২৬/০৯/২০২৩", True), ("26/9/2023", True), ("২৬.০৯.২৩", True), ("২৬-০৯-২০২৩", True),
        ("yesterday", False), ("2023-09-26", False), ("৩২/০৯/২০২৩", False), ("২৬/০৯", False)]),
    (Q1, "  ১.১: ১\n", "  {}: ১\n", [
        ("১.১", True), ('"[১.১]"', True), ("1.1", True), ('"০১.১"', False), ("ক.১", False)]),
    (Q1, "  ১.১: ১\n", "  ১.১: {}\n", [("১০০%", True), ('"-"', True), ("২৬/০৭/২৩", True), ("abc", False)]),
    (OFFICE, "level: upazila\n", "level: {}\n", [
        ("upazila", True), ("district", True), ("upazilla", False), ("Upazila", False), ("উপজেলা", False)]),
    (OFFICE, "slug: itna-upazila-cooperative\n", "slug: {}\n", [
        ("itna-office", True), ("a1", True), ("con", False), ("nul", False), ("itna_office", False), ("Itna", False),
        ("itna-", False), ("ইটনা", False)]),
    (OFFICE, "level: upazila\n", "level: upazila\nwebsite: {}\n", [
        ("https://example.gov.bd", True), ("http://example.gov.bd/a/b", True), ("example.gov.bd", False),
        ("javascript:alert(1)", False), ("https://evil.example/<script>", False)]),
    (OFFICE, "email: uco.ima@gmail.com\n", "email: {}\n", [
        ("office@example.gov.bd", True), ("javascript:x", False), ("a b@example.com", False), ("a@b", False)]),
    (OFFICE, "level: upazila\n", "level: upazila\naddress: {}\n", [
        ("০১৭১২৩৪৫৬৭০", True), ("yes", True), ("123", True), ("ইটনা, কিশোরগঞ্জ", True), ("[ক, খ]", False),
        ("{ক: খ}", False)]),
]


class EditorYaml(yaml.SafeLoader):
    """YAML 1.2's core schema, as yaml-language-server reads a file: no yes/no booleans, no dates,
    no octal 010, no sexagesimal 1:30."""


EditorYaml.yaml_implicit_resolvers = {}
for tag, pattern, first in [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("tag:yaml.org,2002:float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$",
     list("-+.0123456789")),
]:
    EditorYaml.add_implicit_resolver(tag, re.compile(pattern), first)


def _as_json(data):
    """What the editor validates: mapping keys are strings."""
    if isinstance(data, dict):
        return {str(k): _as_json(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_as_json(v) for v in data]
    return data


@pytest.fixture(scope="module")
def validators():
    return {name: jsonschema.Draft202012Validator(schema) for name, schema in build_schemas().items()}


def _cases():
    for name, old, new, values in CASES:
        for value, readable in values:
            yield pytest.param(name, old, new.format(value), readable, id=f"{name.split('/')[-1]}:{new.format(value).strip()}")


@pytest.mark.parametrize("name, old, new, readable", list(_cases()))
def test_the_schema_and_check_agree(tmp_path, validators, name, old, new, readable):
    text = (PLANS / name).read_text(encoding="utf-8")
    assert old in text, old
    text = text.replace(old, new, 1)
    path = tmp_path / name.split("/")[-1]
    path.write_text(text, encoding="utf-8")
    problems = Problems()
    checked = load_file(path, problems) is not None and not problems.errors
    edited = validators[SCHEMA_OF[name]].is_valid(_as_json(yaml.load(text, Loader=EditorYaml)))
    assert (checked, edited) == (readable, readable), \
        f"check {'reads' if checked else 'refuses'} it, the schema {'accepts' if edited else 'refuses'} it: " \
        f"{new.strip()!r} {[p.message for p in problems]}"


def test_committed_schemas_are_the_generated_ones():
    for name, schema in build_schemas().items():
        committed = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
        assert committed == json.loads(json.dumps(schema)), f"schemas/{name}.schema.json is stale: run build_site.py schema"


def test_every_key_has_a_bengali_title_and_description_for_editor_hovers():
    bengali = re.compile("[\u0980-\u09ff]")
    for name, schema in build_schemas().items():
        for model, definition in [("(file)", schema), *schema.get("$defs", {}).items()]:
            for key, prop in definition.get("properties", {}).items():
                assert bengali.search(prop.get("title", "")) and prop.get("description"), \
                    f"{name}.schema.json {model}.{key}: add it to glossary.py (or give the field a Bengali title)"
