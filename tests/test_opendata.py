"""Open data as a journalist uses it: complete documents, national tables with context, Data Packages
that `frictionless` validates, a licence everywhere, and zips that are the same bytes every build."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from sebabox import bengali
from sebabox.cli import main
from sebabox.outputs.datapage import human_size
from sebabox.values import parse_value

ROOT = Path(__file__).resolve().parent.parent
CC_BY = "https://creativecommons.org/licenses/by/4.0/"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The shipped plans built without PDFs or search (open data does not depend on them)."""
    out = tmp_path_factory.mktemp("opendata") / "site"
    result = CliRunner().invoke(main, ["build", "--plans", str(ROOT / "plans"), "--out", str(out), "--no-pdf", "--no-search"])
    assert result.exit_code == 0, result.output
    return out


def _rows(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name}: no BOM, Excel would garble the Bengali"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def _documents(site: Path) -> list[dict]:
    offices = json.loads((site / "data/offices.json").read_text(encoding="utf-8"))["offices"]
    return [d for o in offices for d in o["documents"]]


# --------------------------------------------------------------------------- complete documents


def _value_key(text: str):
    """A plan value however written (১০০%, 100%, ২৬/০৭/২০২৩, 2023-07-26, ০.৫০, 0.5) as one comparable key."""
    text = bengali.to_ascii_digits(text.strip())
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return ("d", dt.date.fromisoformat(text))
    try:
        value = parse_value(text)
    except (ValueError, ArithmeticError):
        return None
    if value is None:
        return None
    return ("d", value.date) if value.date else ("n", value.number.normalize(), value.percent)


def _leaves(data) -> list[str]:
    if isinstance(data, dict):
        return [x for v in data.values() for x in _leaves(v)]
    if isinstance(data, list):
        return [x for v in data for x in _leaves(v)]
    return [] if data is None else [str(data)]


def test_every_value_and_word_on_every_document_page_is_in_its_json(site):
    """Each number, percentage, date and score in a value cell of a document page is a value of its JSON;
    every word of its text cells and lists (activities, outcomes, vision, functions, letters) is in it."""
    checked = 0
    for entry in _documents(site):
        data = json.loads((site / entry["json"]).read_text(encoding="utf-8"))
        leaves = _leaves(data)
        values = {k for k in map(_value_key, leaves) if k}
        words = set(WORD.findall(bengali.to_ascii_digits(" ".join(leaves))))
        soup = BeautifulSoup((site / entry["page"] / "index.html").read_text(encoding="utf-8"), "html.parser")
        article = soup.select_one("article")
        # a note's number at its cell, and its number and label (which cell: the JSON's `at`) in the list
        for ref in article.select("sup.sb-note-ref, .sb-notes li > a.sb-note-no, .sb-notes li > strong"):
            ref.decompose()
        for status in article.select("table.sb-status, .sb-st, .sb-published"):  # publication status: offices.json
            status.decompose()
        for versions in article.select(".sb-history"):  # the document's git history: not (yet) in its JSON
            versions.decompose()
        for cell in article.select("td.sb-num, td.sb-score"):
            if cell.find_parent(class_=["sb-history", "sb-status"]):  # not document content (see below)
                continue
            for printed in cell.select(".sb-printed"):  # "ছাপা: ১", the paper's value beside the computed one
                value = printed.extract().get_text(" ", strip=True).removeprefix("ছাপা:")
                assert _value_key(value) in values, f"{entry['page']}: printed {value!r} is not in {entry['json']}"
            text = cell.get_text(" ", strip=True)
            if _running_number(cell, text):
                continue
            if text and cell.find_parent(class_="sb-charts") is None:
                assert _value_key(text) in values, f"{entry['page']}: {text!r} is not in {entry['json']}"
                checked += 1
        for cell in article.select("td:not(.sb-num), li, .sb-letter p, #overview + div p, #section-1 + div p"):
            # the version list (commit ids) and the publication status (late, overdue) are about the file's
            # history and the office's reporting, not the document's content
            if cell.find_parent(["nav", "details"]) or cell.find_parent(class_=["sb-charts", "sb-history", "sb-status"]):
                continue
            for word in WORD.findall(bengali.to_ascii_digits(cell.get_text(" ", strip=True))):
                if not word.isdigit():
                    assert word in words or word in PAGE_WORDS, f"{entry['page']}: {word!r} is not in {entry['json']}"
    assert checked > 500


def _running_number(cell, text: str) -> bool:
    """The ক্রম column the templates number (acronyms, services): the row's position, not a value."""
    row = cell.find_parent("tr")
    rows = row.find_parent("tbody").find_all("tr", recursive=False)
    return row.find("td") is cell and bengali.to_ascii_digits(text) == str(rows.index(row) + 1)


WORD = re.compile(r"[\w\u0980-\u09FF]+")  # Bengali words whole, vowel signs and virama included
# labels the templates add to value cells and letters
PAGE_WORDS = {"সংযোজনী", "প্রাপ্ত", "নম্বর", "ফোন", "ই", "মেইল", "তারিখ", "প্রাপক", "স্মারক", "নং", "বিষয়", "খ্রিঃ",
              "ছাপা", "দলিলে", "ছিল", "সংশোধনের", "কারণ", "যেমন", "আছে", "তেমনই", "রাখা", "হয়েছে"}


def test_rangpur_apa_json_holds_every_section_and_annex(site):
    data = json.loads((site / "data/rangpur-sadar-upazila-cooperative/rangpur-sadar-upazila-cooperative-2023-24-apa.json")
                      .read_text(encoding="utf-8"))
    assert data["first_party"]["designation"] == "উপজেলা সমবায় কর্মকর্তা" and data["signing_date"] == "2023-06-09"
    assert data["section1"]["vision"] and data["section1"]["functions"]
    outcome_values = [v for o in data["section2"] for i in o["indicators"] for v in [*i["actuals"], i["target"]]]
    assert "259" in outcome_values  # the outcome value that was in no data file
    assert data["years"] == {"actuals": ["2021-22", "2022-23"], "target": "2023-24", "projections": ["2024-25", "2025-26"]}
    governance = data["governance"]
    assert governance["weight"] == "30" and len(governance["items"]) == 5
    assert {i["document"] for i in governance["items"]} == {"nis", "egov", "grs", "cc", "rti"}
    assert data["acronyms"] and data["evidence"] and data["dependencies"]
    indicator = data["areas"][0]["indicators"][0]
    assert indicator["levels"] and indicator["actuals"] and indicator["projections"]


def test_apa_csv_carries_all_100_marks_and_its_context(site):
    rows = _rows(site / "data/rangpur-sadar-upazila-cooperative/rangpur-sadar-upazila-cooperative-2023-24-apa.csv")
    assert sum(Decimal(r["weight"]) for r in rows) == 100
    governance = [r for r in rows if r["unit"] == "প্রাপ্ত নম্বর"]
    assert len(governance) == 5 and {r["annex"] for r in governance} == {"4", "5", "6", "7", "8"}
    assert {(r["office"], r["fiscal_year"], r["document"], r["district"]) for r in rows} == {
        ("rangpur-sadar-upazila-cooperative", "2023-24", "apa", "রংপুর")}
    outcomes = _rows(site / "data/rangpur-sadar-upazila-cooperative/rangpur-sadar-upazila-cooperative-2023-24-apa-outcomes.csv")
    assert "259" in {r[c] for r in outcomes for c in ("actual_prev2", "actual_prev1", "target")}


def test_quarterly_report_csv_says_which_quarter_on_every_row(site):
    rows = _rows(site / "data/itna-upazila-cooperative/itna-upazila-cooperative-2023-24-nis-q1.csv")
    assert rows and {(r["office"], r["fiscal_year"], r["document"], r["quarter"]) for r in rows} == {
        ("itna-upazila-cooperative", "2023-24", "nis", "1")}


# --------------------------------------------------------------------------- national tables


def test_national_indicators_table_filters_by_district_and_quarter_like_a_spreadsheet(site):
    rows = _rows(site / "data/national/indicators.csv")
    for column in ("office", "office_name", "level", "parent", "district", "fiscal_year", "document", "quarter",
                   "target", "achievement", "score", "status"):
        assert column in rows[0], column
    kishoreganj_q1 = [r for r in rows if r["district"] == "কিশোরগঞ্জ" and r["quarter"] == "1"]
    assert {r["office"] for r in kishoreganj_q1} == {"itna-upazila-cooperative"}
    assert sum(Decimal(r["score"]) for r in kishoreganj_q1 if r["score"]) == Decimal("8.52")  # the page's total
    offices = {r["office"] for r in rows}
    assert {"rangpur-sadar-upazila-cooperative", "ghior-upazila-social-services",
            "chapainawabganj-sadar-upazila-statistics"} <= offices
    as_json = json.loads((site / "data/national/indicators.json").read_text(encoding="utf-8"))
    assert len(as_json) == len(rows) and as_json[0]["office"] == rows[0]["office"]


def test_national_tables_cover_outcomes_governance_documents_and_charters(site):
    outcomes = _rows(site / "data/national/outcomes.csv")
    assert "259" in {r["actual_prev1"] for r in outcomes} | {r["actual_prev2"] for r in outcomes} | {r["target"] for r in outcomes}
    governance = _rows(site / "data/national/governance.csv")
    assert {r["office"] for r in governance} >= {"rangpur-sadar-upazila-cooperative", "ghior-upazila-social-services"}
    documents = _rows(site / "data/national/documents.csv")
    itna = [r for r in documents if r["office"] == "itna-upazila-cooperative" and r["document"] == "nis"]
    assert {r["quarter"] for r in itna} == {"1"} and {r["score"] for r in itna} == {"8.52"}
    services = _rows(site / "data/national/charter_services.csv")
    assert services and all(r["service"] and r["page"].endswith(f"#seba-{r['number']}") for r in services)
    # a charter that prints no fiscal year has none in its rows (nothing is made up)
    assert {r["fiscal_year"] for r in services if r["office"] == "doail-union-parishad"} == {""}


def test_csv_cells_never_start_a_formula(site):
    for path in (site / "data/national").glob("*.csv"):
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))):
            for value in row:
                assert not value.startswith(("=", "+", "-", "@")) or re.fullmatch(r"[-+]?\d+(\.\d+)?", value), value


# --------------------------------------------------------------------------- described, licensed


def test_frictionless_validates_the_site_office_and_year_packages(site):
    from frictionless import validate

    packages = [site / "data/datapackage.json", *sorted((site / "data/national").glob("*/datapackage.json")),
                *sorted((site / "data").glob("*/datapackage.json"))]
    assert len(packages) > 10
    for path in packages:
        report = validate(str(path))
        assert report.valid, (path, report.flatten(["type", "message"])[:5])
    package = json.loads((site / "data/datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"][0]["path"] == CC_BY
    fields = {f["name"]: f for r in package["resources"] for f in r["schema"]["fields"] if r["name"] == "indicators"}
    assert fields["score"]["type"] == "number" and fields["score"]["exactDecimal"] is True
    assert fields["target"]["type"] == "string" and "100%" in fields["target"]["description"]


def test_frictionless_rejects_a_table_whose_score_is_not_a_number(site, tmp_path):
    """The schemas are real: a wrong type in a score column fails validation."""
    import shutil

    from frictionless import validate

    copy = tmp_path / "data"
    shutil.copytree(site / "data/itna-upazila-cooperative", copy)
    table = copy / "itna-upazila-cooperative-indicators.csv"
    table.write_text(table.read_text(encoding="utf-8-sig").replace(",1.00,", ",এক,", 1), encoding="utf-8-sig")
    assert not validate(str(copy / "datapackage.json")).valid


def test_offices_json_says_when_which_version_and_under_what_licence(site):
    data = json.loads((site / "data/offices.json").read_text(encoding="utf-8"))
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["generated_at"])
    assert data["version"] and data["licence"]["path"] == CC_BY
    itna = next(o for o in data["offices"] if o["slug"] == "itna-upazila-cooperative")
    assert (site / itna["zip"]).is_file() and (site / itna["datapackage"]).is_file()


def test_every_page_footer_states_the_data_licence(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 50
    for page in pages:
        if page.name == "404.html":
            continue
        footer = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("footer .sb-data-licence")
        assert footer is not None and footer.find("a", href=CC_BY), page


def test_data_page_lists_every_download_with_its_size_and_a_dataset_description(site):
    soup = BeautifulSoup((site / "open-data/index.html").read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article")
    links = {a["href"]: a for a in article.find_all("a", href=True)}
    for name in ("offices", "documents", "indicators", "outcomes", "governance", "charter_services"):
        for ext in ("csv", "json"):
            href = f"../data/national/{name}.{ext}"
            assert href in links, href
            size = (site / "data/national" / f"{name}.{ext}").stat().st_size
            shown = links[href].parent.get_text()
            assert "KB" in shown or "বাইট" in shown
            assert bengali.to_bengali_digits(str(round(size / 1024, 1))).rstrip("০").rstrip(".") in shown or size < 1024
    for zip_path in sorted((site / "data/bulk").glob("*.zip")):
        assert f"../data/bulk/{zip_path.name}" in links
    assert "pd.read_csv" in article.get_text() and "From Text/CSV" in article.get_text()
    dataset = json.loads(soup.find("script", type="application/ld+json").string)
    assert dataset["@type"] == "Dataset" and dataset["license"] == CC_BY
    assert any(d["contentUrl"].endswith("sebabox-open-data.zip") for d in dataset["distribution"])


# --------------------------------------------------------------------------- bulk


def test_zips_hold_everything_with_the_licence_and_are_byte_identical_across_builds(site, tmp_path):
    again = tmp_path / "again"
    result = CliRunner().invoke(main, ["build", "--plans", str(ROOT / "plans"), "--out", str(again), "--no-pdf", "--no-search"])
    assert result.exit_code == 0, result.output
    zips = sorted(p.relative_to(site) for p in site.rglob("*.zip"))
    assert len(zips) > 10
    for rel in zips:
        assert (site / rel).read_bytes() == (again / rel).read_bytes(), rel
    with zipfile.ZipFile(site / "data/bulk/sebabox-open-data.zip") as zf:
        names = zf.namelist()
        assert names == sorted(names)
        assert {"LICENSE.txt", "datapackage.json", "offices.json", "national/indicators.csv"} <= set(names)
        assert "itna-upazila-cooperative/itna-upazila-cooperative-2023-24-nis-q1.json" in names
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert b"CC BY" in zf.read("LICENSE.txt") and b"creativecommons.org/licenses/by/4.0" in zf.comment
    with zipfile.ZipFile(site / "data/bulk/sebabox-open-data-2024-25.zip") as zf:
        names = set(zf.namelist())
        assert "indicators.csv" in names and not any("2023-24" in n for n in names)
    with zipfile.ZipFile(site / "data/itna-upazila-cooperative/itna-upazila-cooperative-open-data.zip") as zf:
        assert {"datapackage.json", "LICENSE.txt", "itna-upazila-cooperative-2023-24-nis.csv"} <= set(zf.namelist())


def test_office_page_links_its_data_zip_with_its_size(site):
    soup = BeautifulSoup((site / "offices/itna-upazila-cooperative/index.html").read_text(encoding="utf-8"), "html.parser")
    line = next(p for p in soup.select("article p.sb-downloads") if "ZIP" in p.get_text())
    link = line.find("a", string="ZIP")
    assert (site / "offices/itna-upazila-cooperative" / link["href"]).resolve() == \
        (site / "data/itna-upazila-cooperative/itna-upazila-cooperative-open-data.zip").resolve()
    size = (site / "data/itna-upazila-cooperative/itna-upazila-cooperative-open-data.zip").stat().st_size
    assert f"({human_size(size)})" in line.get_text()


def test_sizes_read_in_bengali_digits():
    assert human_size(452) == "৪৫২ বাইট"
    assert human_size(28 * 1024) == "২৮ KB"
    assert human_size(12_900) == "১২.৬ KB"
    assert human_size(5 * 1024 ** 2 + 300_000) == "৫.৩ MB"
