"""Property-based fuzzing of the loader, the validator, the spreadsheet importer and file-system shapes.

Generated and mutated plan files go through `load_file` / `load_plans` + `validate`;
the only outcomes allowed are a model, or problems each naming a file, a line >= 1
and a message. Nothing may escape as an exception.

The default run is short; `make fuzz` (pytest -m fuzz) runs thousands of cases.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sebabox.errors import Problems
from sebabox.inputs.load import Loaded, load_file, load_plans
from sebabox.model import DOCUMENT_MODELS
from sebabox.inputs.validate import validate

from conftest import PLANS

SHIPPED = sorted(p for p in PLANS.rglob("*.yaml") if not any(part.startswith(".") for part in p.relative_to(PLANS).parts))
SEEDS = {str(p.relative_to(PLANS)): p.read_bytes() for p in SHIPPED}

SHORT = settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
LONG = settings(max_examples=3000, deadline=None, suppress_health_check=list(HealthCheck))


# --------------------------------------------------------------------------- the property


def assert_located(problems: Problems) -> None:
    for p in problems:
        assert isinstance(p.file, str) and p.file, p
        assert isinstance(p.line, int) and p.line >= 1, p
        assert isinstance(p.message, str) and p.message.strip(), p
        assert p.severity in ("error", "warning"), p


def check_file(raw: bytes, name: str = "fuzz.yaml") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(raw)
        problems = Problems()
        loaded = load_file(path, problems)
        assert loaded is None or isinstance(loaded, Loaded)
        assert loaded is not None or problems.errors, "no model and no error"
        assert_located(problems)


def check_tree(relative: str, raw: bytes) -> None:
    """The shipped plans with one file replaced: load everything, validate when it loaded cleanly."""
    with tempfile.TemporaryDirectory() as tmp:
        plans = Path(tmp) / "plans"
        shutil.copytree(PLANS, plans)
        (plans / relative).parent.mkdir(parents=True, exist_ok=True)
        (plans / relative).write_bytes(raw)
        problems = Problems()
        catalog = load_plans(plans, problems)
        if not problems.errors:
            validate(catalog, problems)
        assert_located(problems)


# --------------------------------------------------------------------------- strategies

YAML_BITS = [b":", b"- ", b"  ", b"\n", b"'", b'"', b"&a ", b"*a", b"!!str ", b"!!python/object:os.system ",
             b"{", b"}", b"[", b"]", b"#", b"|", b">", b"? ", b"<<: ", b"%YAML 1.1\n", b"---\n", b"...\n",
             b"\t", b"\x00", b"\xff", b"\xef\xbb\xbf", b"\xe0\xa6", "১২৩".encode(), b"~", b"null", b"1e999",
             b"0x1F", b"-.inf", b".nan", b"2023-24", b"\\x80", b"\\ud800", b"kind: ", b"id: ", b"weight: "]


@st.composite
def mutated(draw, seeds=SEEDS):
    """A shipped plan file with a few byte-level and line-level mutations."""
    relative = draw(st.sampled_from(sorted(seeds)))
    data = bytearray(seeds[relative])
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["insert", "delete", "replace", "flip", "dup-line", "drop-line", "swap-lines",
                                   "truncate"]))
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "insert":
            data[pos:pos] = draw(st.sampled_from(YAML_BITS) | st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del data[pos:pos + draw(st.integers(1, 20))]
        elif op == "replace":
            data[pos:pos + 1] = draw(st.sampled_from(YAML_BITS))
        elif op == "flip" and data:
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == "truncate":
            del data[pos:]
        else:
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if op == "dup-line":
                lines.insert(i, lines[j])
            elif op == "drop-line":
                del lines[i]
            else:
                lines[i], lines[j] = lines[j], lines[i]
            data = bytearray(b"\n".join(lines))
    return relative, bytes(data)


FIELD_NAMES = sorted({name for model in DOCUMENT_MODELS.values() for name in model.model_fields}
                     | {"id", "name", "weight", "unit", "indicators", "target", "levels", "quarter_targets",
                        "activity", "responsible", "remarks", "designation", "total", "score", "date", "body",
                        "recipients", "signatory", "1.1", "১.১", "[১.১]", "3.1"})
KINDS = sorted(DOCUMENT_MODELS) + ["", "nope", "Office"]
scalars = (
    st.none() | st.booleans() | st.integers(-10**6, 10**20) | st.floats(allow_nan=True)
    | st.text(max_size=30)
    | st.sampled_from(["১০০%", "২৬/০৯/২০২৩", "৩২/১৩/২০২৩", "২০২৩-২৪", "2023-24", "১.১", "-", "—", "০.৫",
                       "itna-upazila-cooperative", "upazila", "সমষ্টি", "তারিখ", "%", "1e400", "..", "../x",
                       "javascript:alert(1)", "<script>", "=1+1", "con"])
)
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=8), children, max_size=6),
    max_leaves=30,
)


@st.composite
def generated(draw):
    """A plan-shaped mapping: a kind, some known keys, values of any type."""
    doc = {"kind": draw(st.sampled_from(KINDS))}
    doc.update(draw(st.dictionaries(st.sampled_from(FIELD_NAMES), values, max_size=12)))
    style = draw(st.sampled_from([None, '"', "'", "|"]))
    try:
        text = yaml.safe_dump(doc, allow_unicode=draw(st.booleans()), default_style=style, sort_keys=False)
    except yaml.YAMLError:
        text = "kind: office\n"
    return text.encode("utf-8", "surrogatepass")


@st.composite
def seed_with_values(draw):
    """A shipped plan file read as data, with some values replaced by generated ones."""
    relative = draw(st.sampled_from(sorted(SEEDS)))
    data = yaml.safe_load(SEEDS[relative].decode("utf-8"))

    def walk(node, depth=0):
        if isinstance(node, dict):
            for key in list(node):
                if draw(st.integers(0, 9)) == 0:
                    node[key] = draw(values)
                elif draw(st.integers(0, 29)) == 0:
                    del node[key]
                else:
                    walk(node[key], depth + 1)
        elif isinstance(node, list):
            for i, item in enumerate(node):
                if draw(st.integers(0, 9)) == 0:
                    node[i] = draw(values)
                else:
                    walk(item, depth + 1)

    walk(data)
    try:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        text = SEEDS[relative].decode("utf-8")
    return relative, text.encode("utf-8", "surrogatepass")


# --------------------------------------------------------------------------- short runs (default)


@SHORT
@given(mutated())
def test_mutated_files_load_or_give_located_errors(case):
    check_file(case[1])


@SHORT
@given(generated())
def test_generated_files_load_or_give_located_errors(raw):
    check_file(raw)


@SHORT
@given(st.binary(max_size=300))
def test_random_bytes_load_or_give_located_errors(raw):
    check_file(raw)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(seed_with_values())
def test_changed_plans_validate_or_give_located_errors(case):
    check_tree(*case)


# --------------------------------------------------------------------------- the long run (make fuzz)


@pytest.mark.fuzz
@LONG
@given(mutated())
def test_fuzz_mutated_files(case):
    check_file(case[1])


@pytest.mark.fuzz
@LONG
@given(generated())
def test_fuzz_generated_files(raw):
    check_file(raw)


@pytest.mark.fuzz
@LONG
@given(st.binary(max_size=2000))
def test_fuzz_random_bytes(raw):
    check_file(raw)


@pytest.mark.fuzz
@LONG
@given(st.one_of(mutated(), seed_with_values()))
def test_fuzz_whole_tree_load_and_validate(case):
    check_tree(*case)


# --------------------------------------------------------------------------- file-system shapes under plans/

# What a pull request (or a careless copy) can put under plans/: each shape with a name drawn below.
SHAPES = ["file", "dir", "link-inside", "link-outside", "link-dev-zero", "link-dangling", "link-self",
          "dirlink-root", "dirlink-outside", "fifo"]
NAMES = st.sampled_from(["x.yaml", "x.yml", "x.YAML", "x.Yaml", "x.yaml.txt", ".x.yaml", "x\nforged.yaml:1: e.yaml",
                         "office.yaml", "nis.yaml", "a b.yaml", "x", "১.yaml"])
FOLDERS = st.sampled_from(["", "itna-upazila-cooperative", "itna-upazila-cooperative/2023-24", "_templates",
                           "new-office", ".git"])


def _place(plans: Path, outside: Path, folder: str, name: str, shape: str, raw: bytes) -> None:
    import os

    target = plans / folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() or target.is_symlink():
        return
    if shape == "file":
        target.write_bytes(raw)
    elif shape == "dir":
        target.mkdir()
        (target / "inner.yaml").write_bytes(raw)
    elif shape == "link-inside":
        target.symlink_to(plans / "itna-upazila-cooperative" / "office.yaml")
    elif shape == "link-outside":
        target.symlink_to(outside / "secret.yaml")
    elif shape == "link-dev-zero":
        target.symlink_to("/dev/zero")
    elif shape == "link-dangling":
        target.symlink_to(plans / "missing.yaml")
    elif shape == "link-self":
        target.symlink_to(target)
    elif shape == "dirlink-root":
        target.symlink_to(plans, target_is_directory=True)
    elif shape == "dirlink-outside":
        target.symlink_to(outside, target_is_directory=True)
    elif shape == "fifo" and hasattr(os, "mkfifo"):
        os.mkfifo(target)


def check_shapes(entries: list[tuple[str, str, str, bytes]]) -> None:
    """check reads only files inside plans/, never hangs or raises, locates every problem, and the build's
    record of the plan files (--incremental) lists exactly the files check read."""
    from sebabox.inputs.check import check_plans
    from sebabox.inputs.planfiles import plan_files
    from sebabox.outputs.incremental import fingerprint

    with tempfile.TemporaryDirectory() as tmp:
        plans, outside = Path(tmp) / "plans", Path(tmp) / "outside"
        shutil.copytree(PLANS, plans)
        outside.mkdir()
        (outside / "secret.yaml").write_text("kind: office\nslug: secret-office\n", encoding="utf-8")
        for folder, name, shape, raw in entries:
            _place(plans, outside, folder, name, shape, raw)
        problems, catalog = check_plans(plans)
        assert_located(problems)
        assert all(Path(f).resolve().is_relative_to(plans.resolve()) for f in catalog.files)
        listed = {p.relative_to(plans).as_posix() for p in plan_files(plans, Problems())}
        assert set(fingerprint(PLANS.parent / "mkdocs.yml", plans, {})["files"]) == listed
        assert {Path(f).relative_to(plans).as_posix() for f in catalog.files} <= listed


shape_entries = st.lists(st.tuples(FOLDERS, NAMES, st.sampled_from(SHAPES),
                                   st.sampled_from([b"kind: office\n", b"kind: [\n", b"", b"\x00\xff"])),
                         min_size=1, max_size=5)


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(shape_entries)
def test_file_system_shapes_under_plans_give_located_messages(entries):
    check_shapes(entries)


@pytest.mark.fuzz
@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(shape_entries)
def test_fuzz_file_system_shapes(entries):
    check_shapes(entries)


# --------------------------------------------------------------------------- the spreadsheet importer

ITNA = "itna-upazila-cooperative"
CELLS = (st.none() | st.integers(-10**30, 10**30) | st.floats(allow_nan=True, allow_infinity=True)
         | st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=20)
         | st.sampled_from(["১", "২৬/০৭/২০২৩", "=1+1", "=HYPERLINK(\"x\")", "১০০%", "1e309",
                                                    "০১/০১/০০০১", "২.১", "[৪.১]", "-", "৩২/১৩/২০২৩", "nis", "২০২৩-২৪"]))


@st.composite
def workbooks(draw) -> bytes:
    """A progress sheet in the documented layout with cells, merges and rows drawn at random; sometimes
    its zip bytes are damaged too."""
    import datetime as dt
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.properties.created = book.properties.modified = dt.datetime(2024, 1, 1)  # same draws, same bytes
    ws = book.active
    ws.title = draw(st.sampled_from(["NIS", "nis", "x", "শুদ্ধাচার"]))
    meta = [("অফিস (office)", ITNA), ("অর্থবছর (fiscal_year)", "২০২৩-২৪"), ("দলিল (document)", "nis"),
            ("কোয়ার্টার (quarter)", "২"), ("প্রতিবেদনের তারিখ (as_of)", dt.datetime(2024, 1, 4))]
    for label, value in meta:
        ws.append([label, draw(st.just(value) | CELLS)])
    ws.append([])
    ws.append(["ক্রম (id)", "কার্যক্রম (activity)", "২য় কোয়ার্টার অর্জন (Q2)"])
    for _ in range(draw(st.integers(0, 6))):
        ws.append([draw(st.sampled_from(["২.১", "৪.১", "১.১", "৯.৯"]) | CELLS), draw(CELLS), draw(CELLS)])
    if draw(st.booleans()):
        row = draw(st.integers(1, ws.max_row))
        ws.merge_cells(start_row=row, start_column=1, end_row=row + draw(st.integers(0, 1)), end_column=2)
    out = io.BytesIO()
    try:
        book.save(out)
    except Exception:  # noqa: BLE001 - openpyxl refuses some values (control characters): no workbook to test
        return b""
    data = bytearray(_same_bytes_every_time(out.getvalue()))
    if draw(st.integers(0, 4)) == 0 and data:
        pos = draw(st.integers(0, 2**20)) % len(data)  # the saved size varies (openpyxl stamps the time)
        data[pos] ^= 1 << draw(st.integers(0, 7)) if draw(st.booleans()) else 0
        if draw(st.booleans()):
            del data[pos:]
    return bytes(data)


def _same_bytes_every_time(xlsx: bytes) -> bytes:
    """openpyxl stamps the save time into docProps/core.xml and every zip entry: the same draws would give other
    bytes a second later (and a damaged byte would fall elsewhere), so Hypothesis could not replay a failure."""
    import io
    import re
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", data)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def check_workbook(raw: bytes) -> None:
    """import-xlsx gives YAML that passes check, or one clear message per bad cell: nothing else escapes."""
    from sebabox.errors import SebaboxError
    from sebabox.inputs.check import check_plans
    from sebabox.inputs.xlsx_import import import_workbook

    with tempfile.TemporaryDirectory() as tmp:
        plans = Path(tmp) / "plans"
        shutil.copytree(PLANS, plans)
        book = Path(tmp) / "book.xlsx"
        book.write_bytes(raw)
        try:
            outputs = import_workbook(book, ITNA, plans)
        except SebaboxError as exc:
            assert str(exc.message).strip()
            for line in getattr(exc, "lines", []):
                assert line.startswith(str(book)) or line.startswith(str(plans)), line
            return
        assert outputs
        problems, _ = check_plans(plans)
        assert not problems.errors, [str(p) for p in problems.errors]


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))  # ~4 s each: make fuzz runs 500
@given(workbooks())
def test_random_workbooks_import_or_give_located_messages(raw):
    check_workbook(raw)


@pytest.mark.fuzz
@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(workbooks())
def test_fuzz_spreadsheet_importer(raw):
    check_workbook(raw)
