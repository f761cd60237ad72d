"""Hostile and broken input: nothing injected, nothing half-published, no traceback.

Plan files arrive by pull request from many hands, so they are untrusted: text
in any field renders as text (pages, PDFs, CSV, JSON), paths stay inside the
plans and output directories, bad YAML gives one located error, a failed build
leaves the previous site alone, and two builds of the same input are identical.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from sebabox.errors import Problems
from sebabox.inputs.load import load_file, load_plans
from sebabox.inputs.yamlsafe import parse_yaml_text

from conftest import PLANS, ROOT, pdf_text

OFFICE = "itna-upazila-cooperative/office.yaml"
PARENT = "kishoreganj-district-cooperative/office.yaml"
NIS = "itna-upazila-cooperative/2023-24/nis.yaml"
Q1 = "itna-upazila-cooperative/2023-24/nis-q1.yaml"

# One string per kind of attack; each is a single line without outer spaces, as plan text is stripped.
CORPUS = {
    "script": '<script>alert("xss")</script>',
    "img": "<img src=x onerror=alert(1)>",
    "attr-break": '"><svg/onload=alert(1)>',
    "table-break": '</td></tr></table><iframe src="javascript:alert(1)"></iframe>',
    "md-links": "[click](javascript:alert(1)) ![x](data:text/html;base64,PHNjcmlwdD4=)",
    "autolinks": "<javascript:alert(1)> <https://evil.example/> <mailto:a@evil.example>",
    "md-syntax": "**bold** _em_ `code` # no heading | a | b | ~~del~~",
    "md-in-html": '<div markdown="1">*x*</div>',
    "attr-list": '{: onclick="alert(1)" #id .cls }',
    "jinja": "{{ 7*7 }} {% if true %}JINJA{% endif %} {# comment #} {{ config }}",
    "entities": "&lt;b&gt;entity&amp; &#60;script&#62;",
    "comment": "<!-- open comment",
    "javascript-url": "javascript:alert(1)",
    "data-url": "data:text/html,<script>alert(1)</script>",
    "formula-eq": '=HYPERLINK("http://evil.example","x")',
    "formula-plus": "+SUM(1,2)",
    "formula-minus": "-2+3+cmd|' /C calc'!A0",
    "formula-at": "@SUM(A1:A2)",
    "bidi": "\u202eevil\u202c <u>x</u> \u200c\u200d",
    "line-separators": "a\u2028<u>b</u>\u2029c",
}
FORMULA_START = ("=", "+", "-", "@")


# --------------------------------------------------------------------------- helpers


def _edit(path: Path, change) -> None:
    """Read a plan file with sebabox's own reader, change it, write it back as YAML."""
    data, _ = parse_yaml_text(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _inject(plans: Path, payload: str) -> None:
    """Put `payload` into every text field kind of the Itna office and its NIS plan and report."""

    def office(d):
        d.update(name=payload, name_en=payload, address=payload)
        d["head"].update(name=payload, designation=payload, place=payload)

    def parent(d):
        d["name"] = payload

    def nis(d):
        d["title"] = payload
        d["notes"] = [payload]
        area = d["areas"][0]
        area["name"] = payload
        ind = area["indicators"][0]
        ind.update(activity=payload, name=payload, responsible=payload, remarks=payload)

    def q1(d):
        d["letter"].update(subject=payload, body=payload, memo=payload, recipients=[payload, payload])
        d["letter"]["signatory"].update(name=payload, designation=payload, place=payload)

    for name, change in ((OFFICE, office), (PARENT, parent), (NIS, nis), (Q1, q1)):
        _edit(plans / name, change)


def _build(plans: Path, out: Path, *, pdf: bool = False, search: bool = False) -> Path:
    from sebabox.outputs.publish import build_site

    build_site(ROOT / "mkdocs.yml", plans, out, pdf=pdf, search=search)
    return out


def _pages(site: Path, *, without_titles: bool = False) -> dict[str, BeautifulSoup]:
    pages = {str(p.relative_to(site)): BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
             for p in sorted(site.rglob("*.html"))}
    if without_titles:  # checked on their own by test_page_titles_are_text (a known bug)
        for soup in pages.values():
            for tag in soup.select("head > title, [data-md-component=header-topic]"):
                tag.decompose()
    return pages


LIVE_URL = re.compile(r"^\s*(javascript|data|vbscript):", re.I)


def _live_injection(soup: BeautifulSoup) -> list[str]:
    """Elements, attributes and links that only the payloads could have made live."""
    found = []
    for tag in soup.find_all(True):
        if tag.name in ("iframe", "img", "object", "embed", "u", "b") or (tag.name == "svg" and tag.get("onload")):
            found.append(str(tag)[:80])
        if tag.name == "script" and "alert" in (tag.string or ""):
            found.append(str(tag)[:80])
        if tag.name == "del":  # ~~del~~ is not enabled, but never let it through
            found.append(str(tag)[:80])
        for attr, value in tag.attrs.items():
            values = value if isinstance(value, list) else [value]
            if attr.lower().startswith("on"):
                found.append(f"{tag.name}[{attr}]")
            if attr in ("href", "src", "action", "formaction", "xlink:href") and any(LIVE_URL.match(v) for v in values):
                found.append(f"{tag.name}[{attr}={values}]")
            if attr in ("href", "src") and any("evil.example" in v for v in values):
                found.append(f"{tag.name}[{attr}={values}]")
    return found


def _visible(soup: BeautifulSoup) -> str:
    return re.sub(r"\s+", " ", soup.get_text(" "))


def _shown(payload: str) -> str:
    """The text a reader sees, whitespace collapsed."""
    return re.sub(r"\s+", " ", payload)


def _nis_entry(site: Path) -> dict:
    """The Itna NIS plan (with its quarterly report) as listed in offices.json: page, json, csv, pdf."""
    offices = json.loads((site / "data/offices.json").read_text(encoding="utf-8"))["offices"]
    itna = next(o for o in offices if o["slug"] == "itna-upazila-cooperative")
    return next(d for d in itna["documents"] if d["kind"] == "nis" and d["fiscal_year"] == "2023-24")


# --------------------------------------------------------------------------- injection


@pytest.mark.parametrize("name", list(CORPUS))
def test_injected_text_stays_text_in_pages_csv_and_json(plans_copy, tmp_path, name):
    payload = CORPUS[name]
    _inject(plans_copy, payload)
    site = _build(plans_copy, tmp_path / "site")
    pages = _pages(site, without_titles=True)
    for rel, soup in pages.items():
        assert _live_injection(soup) == [], rel
    shown = _shown(payload)
    doc = _nis_entry(site)
    for rel in ("offices/itna-upazila-cooperative/index.html", doc["page"] + "index.html",
                "offices/kishoreganj-district-cooperative/index.html"):
        assert shown in _visible(pages[rel]), f"{name!r} not shown as text in {rel}"
    assert shown in _visible(pages["offices/itna-upazila-cooperative/index.html"].find("h1"))
    # JSON keeps the text verbatim
    data = json.loads((site / doc["json"]).read_text(encoding="utf-8"))
    assert data["office_name"] == payload
    area = data["areas"][0]
    assert area["name"] == payload
    ind = area["indicators"][0]
    assert ind["activity"] == ind["indicator"] == ind["responsible"] == payload
    offices = {o["slug"]: o for o in json.loads((site / "data/offices.json").read_text(encoding="utf-8"))["offices"]}
    assert offices["itna-upazila-cooperative"]["name"] == payload
    assert offices["kishoreganj-district-cooperative"]["name"] == payload
    # CSV cells never start a formula; the text is otherwise verbatim
    raw = (site / doc["csv"]).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(raw.lstrip("\ufeff"))))
    header, first = rows[0], rows[1]
    expected = "'" + payload if payload.startswith(FORMULA_START) else payload
    for column in ("area", "activity", "indicator", "responsible"):
        assert first[header.index(column)] == expected, column
    for row in rows[1:]:
        for value in row:
            assert not value.startswith(FORMULA_START) or re.fullmatch(r"[-+]?\d+(\.\d+)?", value), value


@pytest.mark.parametrize("name", ["script", "entities"])
def test_page_titles_are_text(plans_copy, tmp_path, name):
    payload = CORPUS[name]
    _inject(plans_copy, payload)
    pages = _pages(_build(plans_copy, tmp_path / "site"))
    for rel, soup in pages.items():
        assert _live_injection(soup) == [], rel
    office = pages["offices/itna-upazila-cooperative/index.html"]
    assert payload in office.title.get_text()
    assert payload in office.select_one("[data-md-component=header-topic]").get_text()


def test_injected_text_stays_text_in_the_pdf(plans_copy, tmp_path):
    payload = "<script>alert(1)</script> [x](javascript:alert(1)) =cmd|' /C calc'!A0 {{ 7*7 }}"
    _inject(plans_copy, payload)
    site = _build(plans_copy, tmp_path / "site", pdf=True)
    from pypdf import PdfReader

    pdfs = [site / _nis_entry(site)["pdf"]]
    assert pdfs[0].exists()
    for path in pdfs:
        reader = PdfReader(path)
        root = reader.trailer["/Root"]
        assert "/OpenAction" not in root and "/AA" not in root
        assert "/JavaScript" not in (root.get("/Names") or {})
        for page in reader.pages:
            for annot in page.get("/Annots") or []:
                action = annot.get_object().get("/A") or {}
                uri = str(action.get("/URI", ""))
                assert action.get("/S") not in ("/JavaScript", "/Launch") and not LIVE_URL.match(uri), action
        text = re.sub(r"\s+", "", pdf_text(path))
        assert re.sub(r"\s+", "", payload) in text, text[:800]


@pytest.mark.parametrize("field, value", [
    ("email", "javascript:alert(1)"),
    ("email", "a@b.com<script>"),
    ("email", "\"><img src=x onerror=alert(1)>@x.com"),
    ("email", "mailto:a@b.com"),
    ("email", "a?cc=victim@evil.example"),
    ("email", "a&body=x@evil.example"),
    ("email", "a@evil.example?subject=x"),
    ("website", "javascript:alert(1)"),
    ("website", "JavaScript:alert(1)"),
    ("website", " javascript:alert(1)"),
    ("website", "data:text/html,<script>alert(1)</script>"),
    ("website", "vbscript:msgbox(1)"),
    ("website", "//evil.example/"),
    ("website", "https://evil.example/\"onmouseover=\"alert(1)"),
    ("website", "https://evil.example/<script>"),
    ("website", "http://a b.example/"),
])
def test_unsafe_email_or_website_is_a_located_error(check, plans_copy, field, value):
    path = plans_copy / OFFICE
    _edit(path, lambda d: d.update({field: value}))
    line = next(i for i, l in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if l.startswith(f"{field}:"))
    code, output = check(plans_copy)
    assert code == 1, output
    errors = [l for l in output.splitlines() if ": error: " in l]
    assert len(errors) == 1 and errors[0].startswith(f"{path}:{line}: error: ") and f"({field})" in errors[0], output
    assert "Traceback" not in output


def test_person_email_is_checked_too(check, plans_copy):
    path = plans_copy / Q1
    _edit(path, lambda d: d["letter"]["signatory"].update(email="javascript:alert(1)//@x.com"))
    code, output = check(plans_copy)
    assert code == 1 and f"{path}:" in output and "letter › signatory: ই-মেইল (email) ঠিকানা নয়" in output, output


# --------------------------------------------------------------------------- paths


@pytest.mark.parametrize("slug", [
    "../evil", "..", "a/../../b", "/etc/passwd", "a\\b", "..\\..\\evil", "C:\\evil",
    "con", "aux", "nul", "prn", "com1", "lpt9", "CON", "itna.", "-itna", "itna-", "a b", "ইটনা", "", "a" * 81,
])
def test_bad_office_slug_is_a_located_error(check, plans_copy, slug):
    path = plans_copy / "evil" / "office.yaml"
    path.parent.mkdir()
    path.write_text(f"kind: office\nslug: {json.dumps(slug)}\nname: x\nlevel: upazila\n", encoding="utf-8")
    code, output = check(plans_copy)
    assert code == 1, output
    errors = [l for l in output.splitlines() if ": error: " in l]
    assert len(errors) == 1 and errors[0].startswith(f"{path}:2: error: অফিসের সংক্ষিপ্ত নাম (slug)"), output


@pytest.mark.parametrize("office", ["../evil", "con", "a\\b", "/abs"])
def test_bad_office_reference_in_a_plan_is_a_located_error(check, plans_copy, office):
    path = plans_copy / NIS
    _edit(path, lambda d: d.update(office=office))
    line = next(i for i, l in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if l.startswith("office:"))
    code, output = check(plans_copy)
    assert code == 1
    errors = [l for l in output.splitlines() if ": error: " in l]
    assert f"{path}:{line}: error: " in output and "Traceback" not in output, output


@pytest.mark.parametrize("template", ["../../evil", "con", "a\\b", "/etc/passwd", "nul"])
def test_bad_template_reference_is_a_located_error(check, plans_copy, template):
    path = plans_copy / NIS
    _edit(path, lambda d: d.update(template=template))
    line = next(i for i, l in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if l.startswith("template:"))
    code, output = check(plans_copy)
    assert code == 1
    assert f"{path}:{line}: error:" in output, output
    assert "Traceback" not in output


def test_symlink_out_of_the_plans_tree_is_refused(check, plans_copy, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.yaml"
    secret.write_text((PLANS / OFFICE).read_text(encoding="utf-8").replace(
        "itna-upazila-cooperative", "secret-office"), encoding="utf-8")
    (plans_copy / "linked.yaml").symlink_to(secret)
    (plans_copy / "linked-dir").symlink_to(outside, target_is_directory=True)
    code, output = check(plans_copy)
    assert code == 1
    errors = [l for l in output.splitlines() if ": error: " in l]
    assert errors == [f"{plans_copy / 'linked.yaml'}:1: error: plans ফোল্ডারের বাইরের লিংক (link) পড়া হয় না; "
                      "ফাইলটি plans-এর ভেতরে রাখুন"], output
    problems = Problems()
    catalog = load_plans(plans_copy, problems)
    assert "secret-office" not in catalog.offices  # the linked directory is not walked into
    assert not any("linked-dir" in f for f in catalog.files)


def test_symlink_inside_the_plans_tree_is_not_an_escape(plans_copy):
    (plans_copy / "alias").symlink_to(plans_copy / "itna-upazila-cooperative", target_is_directory=True)
    problems = Problems()
    load_plans(plans_copy, problems)
    assert not any("outside" in p.message for p in problems)


def test_writes_outside_the_output_directory_are_refused(tmp_path):
    from sebabox.outputs.publish import write_text

    root = tmp_path / "site"
    root.mkdir()
    for relative in ("../escape.txt", str(tmp_path / "escape.txt"), "a/../../escape.txt"):
        with pytest.raises(ValueError, match="outside the output directory"):
            write_text(root, relative, "x")
    (root / "link").symlink_to(tmp_path, target_is_directory=True)
    with pytest.raises(ValueError, match="outside the output directory"):
        write_text(root, "link/escape.txt", "x")
    assert not (tmp_path / "escape.txt").exists()


# --------------------------------------------------------------------------- YAML


def _one_located_error(check, plans_copy, raw: bytes, message: str, line: int | None = None) -> str:
    path = plans_copy / "broken.yaml"
    path.write_bytes(raw)
    code, output = check(plans_copy)
    assert code == 1, output
    errors = [l for l in output.splitlines() if ": error: " in l]
    assert len(errors) == 1, output
    assert errors[0].startswith(f"{path}:{line if line else ''}"), output
    assert message in errors[0], output
    assert "Traceback" not in output
    return errors[0]


BILLION_LAUGHS = b"""kind: office
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


@pytest.mark.parametrize("raw, message, line", [
    (BILLION_LAUGHS, "anchors and aliases", 2),
    (b"kind: office\nslug: x\nslug: y\n", "duplicate key 'slug'", 3),
    (b"kind: office\n<<: {slug: x}\n", "merge keys", 2),
    (b"kind: office\nname: caf\xe9\n", "not UTF-8", 2),
    (b"kind: office\nname: \x93quoted\x94\n", "not UTF-8", 2),  # Windows-1252
    ("kind: office\nname: ইটনা\n".encode("utf-16"), "UTF-16", 1),
    ("kind: office\nname: ইটনা\n".encode("utf-16-be"), "", 1),
    ("kind: office\nname: ইটনা\n".encode("utf-32"), "", 1),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "", None),
    (b"kind: office\n\x00\x01\x02\x03", "binary data", 2),
    (b"kind: office\nname: \x07bell\n", "", 2),
    (b'kind: office\nname: "\\x80<b>c1</b>"\n', "control character U+0080", 2),
    (b'kind: office\nname: "\\x9b"\n', "control character U+009B", 2),
    (b'kind: office\nname: "a\\0b"\n', "control character U+0000", 2),
    (b'kind: office\nname: "\\ud800"\n', "control character U+D800", 2),
    (b'kind: office\n"\\x1b[31m": x\n', "control character U+001B", 2),
    (b"kind: !!python/object/apply:os.system ['echo pwned']\n", "", 1),
    (b"kind: !!binary aGVsbG8=\n", "", 1),
    (b"!!python/name:os.system\n", "", 1),
    (b"kind: office\nname: [unclosed\n", "বন্ধনী [ ] বন্ধ হয়নি", None),
    (b"kind: office\n\tname: tab\n", "ট্যাব অক্ষর (tab) চলে না", 2),
    (b"- just\n- a list\n", "expected a mapping", 1),
    (b"plain text\n", "expected a mapping", 1),
    (b"? [complex, key]\n: value\n", "keys must be plain text", 1),
    (b"--- \nkind: office\n---\nkind: office\n", "", None),
])
def test_bad_yaml_gives_one_located_error(check, plans_copy, raw, message, line):
    _one_located_error(check, plans_copy, raw, message, line)


def test_alias_bomb_is_refused_fast(check, plans_copy):
    import time

    start = time.monotonic()
    _one_located_error(check, plans_copy, BILLION_LAUGHS, "anchors and aliases", 2)
    assert time.monotonic() - start < 10


def test_huge_file_is_refused_before_parsing(check, plans_copy):
    raw = b"kind: office\nnotes:\n" + b"  - " + b"x" * 100 + b"\n" * 1 + (b"  - " + b"y" * 100 + b"\n") * 30_000
    assert len(raw) > 3_000_000
    _one_located_error(check, plans_copy, raw, "প্ল্যান ফাইল সর্বোচ্চ 2,000,000 বাইট", 1)


def test_deep_nesting_is_refused(check, plans_copy):
    block = "kind: office\nname:\n" + "".join("  " * i + "- \n" for i in range(1, 100)) + "  " * 100 + "- x\n"
    flow = "kind: office\nname: " + "[" * 100 + "]" * 100 + "\n"
    deep_map = "kind: office\n" + "".join("  " * i + f"k{i}:\n" for i in range(100)) + "  " * 100 + "v: 1\n"
    for text in (block, flow, deep_map):
        _one_located_error(check, plans_copy, text.encode(), "nesting deeper than")


def test_very_deep_flow_nesting_is_not_a_recursion_error(check, plans_copy):
    _one_located_error(check, plans_copy, b"kind: office\nname: " + b"[" * 20_000 + b"\n", "")


def test_byte_order_mark_is_a_warning_and_the_file_still_loads(plans_copy):
    path = plans_copy / OFFICE
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    problems = Problems()
    loaded = load_file(path, problems)
    assert loaded is not None and loaded.model.slug == "itna-upazila-cooperative"
    assert [(p.file, p.line, p.severity) for p in problems] == [(str(path), 1, "warning")]
    assert "byte-order mark" in problems[0].message


def test_unreadable_entries_are_located_errors(check, plans_copy):
    (plans_copy / "dir.yaml").mkdir()  # a directory named like a plan is skipped
    (plans_copy / "dangling.yaml").symlink_to(plans_copy / "missing.yaml")
    code, output = check(plans_copy)
    assert code == 1
    errors = [l for l in output.splitlines() if ": error: " in l]
    assert len(errors) == 1 and errors[0].startswith(f"{plans_copy / 'dangling.yaml'}:1: error:"), output


# --------------------------------------------------------------------------- atomic publishing


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _leftovers(parent: Path, name: str) -> list[str]:
    """Hidden entries beside OUT but its builds folder; in that folder, anything but the lock and the published build."""
    out, builds = parent / name, parent / f".{name}.builds"
    current = Path(os.readlink(out)).name if out.is_symlink() else None
    found = [p.name for p in parent.iterdir() if p.name.startswith(f".{name}.") and p != builds]
    if builds.is_dir():
        found += [f"{builds.name}/{p.name}" for p in builds.iterdir() if p.name not in ("lock", current)]
    return sorted(found)


@pytest.fixture(scope="module")
def previous_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("previous") / "site"
    _build(PLANS, out)
    return out


@pytest.mark.parametrize("stage", ["pdf", "search", "open-data", "interrupt", "bad-plans"])
def test_failed_build_leaves_the_previous_site_as_it_was(previous_site, plans_copy, tmp_path, monkeypatch, stage):
    import shutil

    from sebabox.outputs import opendata, pdf, publish

    out = tmp_path / "out" / "site"
    shutil.copytree(previous_site, out)
    (out / "marker.txt").write_text("the previous site", encoding="utf-8")
    before = _tree(out)

    def boom(*args, **kwargs):
        raise (KeyboardInterrupt if stage == "interrupt" else RuntimeError)(f"{stage} failed")

    if stage == "pdf":
        monkeypatch.setattr(pdf, "render_pdfs", boom)
    elif stage == "search":
        monkeypatch.setattr(publish, "index_search", boom)
    elif stage == "open-data":
        monkeypatch.setattr(opendata, "write_open_data", boom)
    elif stage == "interrupt":
        monkeypatch.setattr(publish, "swap", boom)
    else:
        (plans_copy / NIS).write_text("kind: nis\nweight: [\n", encoding="utf-8")
    expected = KeyboardInterrupt if stage == "interrupt" else Exception
    with pytest.raises(expected):
        _build(plans_copy, out, pdf=stage == "pdf", search=stage in ("search", "interrupt"))
    assert _tree(out) == before
    assert _leftovers(out.parent, "site") == []


def test_successful_build_replaces_the_site_and_leaves_no_temp_directory(previous_site, tmp_path):
    import shutil

    out = tmp_path / "out" / "site"
    shutil.copytree(previous_site, out)
    (out / "stale.html").write_text("old", encoding="utf-8")
    _build(PLANS, out)
    assert not (out / "stale.html").exists()
    assert (out / "index.html").exists()
    assert _leftovers(out.parent, "site") == []


def test_build_into_a_new_directory_leaves_no_temp_directory_on_failure(tmp_path, monkeypatch):
    from sebabox.outputs import opendata

    monkeypatch.setattr(opendata, "write_open_data", lambda *a, **k: 1 / 0)
    out = tmp_path / "new" / "site"
    with pytest.raises(ZeroDivisionError):
        _build(PLANS, out)
    assert not out.exists()
    assert _leftovers(out.parent, "site") == []


# --------------------------------------------------------------------------- determinism


def test_two_builds_are_byte_identical(tmp_path, monkeypatch):
    """Full builds (pages, PDFs rendered afresh, open data, search index) compared file by file."""
    from sebabox.outputs import pdf

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    render = pdf.render_pdfs
    sites = []
    for n in (1, 2):
        cache = tmp_path / f"cache{n}"
        monkeypatch.setattr(pdf, "render_pdfs", lambda jobs, site_dir, _cache, *a, _c=cache, **k: render(jobs, site_dir, _c, *a, **k))
        sites.append(_build(PLANS, tmp_path / f"build{n}" / "site", pdf=True, search=True))
    first, second = (_tree(s) for s in sites)
    assert sorted(first) == sorted(second)
    assert any(name.endswith(".pdf") for name in first) and any(name.startswith("pagefind/") for name in first)
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []
    assert "SOURCE_DATE_EPOCH" not in os.environ


def test_build_date_comes_from_the_plans_not_the_clock(tmp_path, monkeypatch):
    """MkDocs dates the sitemap's gzip header by SOURCE_DATE_EPOCH or else by today: the build sets it from the plans."""
    import datetime as dt

    from sebabox.outputs.publish import source_date_epoch

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    site = _build(PLANS, tmp_path / "a" / "site")
    mtime = int.from_bytes((site / "sitemap.xml.gz").read_bytes()[4:8], "little")
    assert mtime == source_date_epoch(PLANS)
    assert dt.datetime.fromtimestamp(mtime, dt.timezone.utc).date() < dt.date.today()
    assert "SOURCE_DATE_EPOCH" not in os.environ  # set only while building

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1699920000")  # a caller's own value wins (a UTC midnight)
    site = _build(PLANS, tmp_path / "b" / "site")
    assert int.from_bytes((site / "sitemap.xml.gz").read_bytes()[4:8], "little") == 1699920000
    assert os.environ["SOURCE_DATE_EPOCH"] == "1699920000"
