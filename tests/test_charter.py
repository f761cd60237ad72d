"""Citizen charters as offices print them: only their own columns, no invented text or date; the Cabinet
Division's full layout (GRS tiers, expectations, date) for a fictional example office; office contacts as
links and data; a charter typed in a spreadsheet; a new office that publishes only a charter."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from pypdf import PdfReader

from conftest import ROOT, pdf_text
from sebabox.cli import main
from sebabox.inputs.check import check_plans

CABINET = Path(__file__).parent / "fixtures/charter_cabinet/plans"
EXAMPLE = "example-upazila-office"


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    return result


@pytest.fixture(scope="module")
def example_site(tmp_path_factory) -> Path:
    """The fictional Cabinet-format charter and its office, built with PDFs."""
    from sebabox.outputs.publish import build_site

    out = tmp_path_factory.mktemp("charter") / "site"
    build_site(ROOT / "mkdocs.yml", CABINET, out, search=False)
    return out


def test_an_older_charter_shows_only_the_columns_it_prints_and_nothing_it_does_not(built_site):
    page = (built_site / "offices/doail-union-parishad/charter/index.html").read_text(encoding="utf-8")
    table = page[page.index('<table class="sb-charter"'):page.index("</table>")]
    headers = table[table.index("<thead>"):table.index("</thead>")]
    for shown in ("সেবার নাম", "সেবার মূল্য", "সেবা প্রদানের সময়সীমা", "দায়িত্বপ্রাপ্ত কর্মকর্তা", "সেবা প্রদান পদ্ধতি"):
        assert shown in headers, shown
    for absent in ("কাগজপত্র", "পরিশোধ পদ্ধতি", "ঊর্ধ্বতন", "প্রতিকার", "মন্তব্য"):
        assert absent not in headers, absent
    # no GRS section, fiscal year or date the charter does not print; no empty column on any row
    for invented in ("অভিযোগ প্রতিকার ব্যবস্থাপনা", "অর্থবছর", "হালনাগাদ", "আপনার কাছে আমাদের প্রত্যাশা"):
        assert invented not in page[page.index("<article"):], invented
    assert table.count("sb-empty") == 1  # only the trade licence's fee, empty in the source too
    assert "০-৪৫ দিন বিনামূল্যে" in table and "চেয়ারম্যান ও সচিব" in table


def test_a_real_charter_names_its_source(built_site):
    page = (built_site / "offices/jaintiapur-sub-registry-office/charter/index.html").read_text(encoding="utf-8")
    assert 'href="http://sr.jaintiapur.sylhet.gov.bd/en/site/page/' in page
    assert "প্রথম ছয়টি সেবা" in page  # what of the source was typed


def test_the_cabinet_layout_shows_every_part_it_has_and_says_it_is_an_example(example_site):
    page = (example_site / f"offices/{EXAMPLE}/2025-26/charter/index.html").read_text(encoding="utf-8")
    for part in ("রূপকল্প (Vision)", "নাগরিক সেবা", "প্রাতিষ্ঠানিক সেবা", "অভ্যন্তরীণ সেবা", "উদাহরণ শাখা",
                 "আপনার কাছে আমাদের প্রত্যাশা", "অভিযোগ প্রতিকার ব্যবস্থাপনা (GRS)", "কখন যোগাযোগ করবেন",
                 "নিষ্পত্তির সময়সীমা", "৩০ কার্যদিবস", "হালনাগাদের তারিখ: ১৫/০৯/২০২৫", "অর্থবছর ২০২৫-২৬",
                 "কাল্পনিক দপ্তরের", "ট্রেজারি চালান", "কার্যালয়ের অভ্যর্থনা কক্ষ", "কক্ষ ২০৩",
                 "সেবা প্রদানের স্থান", "উদাহরণ সেবা কেন্দ্র"):
        assert part in page, part
    assert '<a href="tel:01700000005">০১৭০০-০০০০০৫</a>' in page
    assert '<a href="mailto:seba@example.org">seba@example.org</a>' in page
    assert 'id="seba-1"' in page and 'id="seba-5"' in page  # every service has its own anchor, across tables


def test_the_cabinet_layout_pdf_is_a4_landscape_with_every_column_and_the_example_mark(example_site):
    path = example_site / f"pdf/{EXAMPLE}-2025-26-charter.pdf"
    page = PdfReader(path).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert width > height and abs(width - 841.9) < 2  # A4 landscape
    text = pdf_text(path)
    for part in ("উদাহরণ", "সেবা প্রদান পদ্ধতি", "প্রয়োজনীয় কাগজপত্র", "পরিশোধ পদ্ধতি", "ঊর্ধ্বতন কর্মকর্তা",
                 "অভিযোগ প্রতিকার ব্যবস্থাপনা", "১৫/০৯/২০২৫"):
        assert part in text, part


def test_charter_open_data_has_a_row_per_service_and_says_it_is_an_example(example_site):
    data = json.loads((example_site / f"data/{EXAMPLE}/{EXAMPLE}-2025-26-charter.json").read_text(encoding="utf-8"))
    assert data["example"] is True and data["date"] == "2025-09-15" and len(data["services"]) == 5
    assert [t["time_limit"] for t in data["grs"]] == ["৩০ কার্যদিবস", "২০ কার্যদিবস"]
    text = (example_site / f"data/{EXAMPLE}/{EXAMPLE}-2025-26-charter.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["service"] for r in rows][:2] == ["উদাহরণ সনদ প্রদান", "উদাহরণ তথ্য সরবরাহ"]
    first = rows[0]
    assert first["fee"] == "১০০ টাকা" and first["payment"] == "ট্রেজারি চালান" and first["time_limit"] == "৭ কার্যদিবস"
    assert first["officer_phone"] == "০১৭০০-০০০০০৫" and first["appellate_phone"] == "০২-৫৫৫০১০০"
    assert {r["example"] for r in rows} == {"true"}
    offices = json.loads((example_site / "data/offices.json").read_text(encoding="utf-8"))
    entry = next(o for o in offices["offices"] if o["slug"] == EXAMPLE)
    charter = next(d for d in entry["documents"] if d["kind"] == "charter")
    assert charter["csv"].endswith("-charter.csv") and charter["services"] == 5 and charter["example"] is True


def test_office_contacts_are_links_on_the_office_page_and_data_in_offices_json(example_site):
    page = (example_site / f"offices/{EXAMPLE}/index.html").read_text(encoding="utf-8")
    contacts = page[page.index('id="contacts"'):]
    assert '<a href="tel:025550100">০২-৫৫৫০১০০</a>, <a href="tel:01700000001">০১৭০০-০০০০০১</a>' in contacts
    assert '<a href="mailto:office@example.org">office@example.org</a>' in contacts
    for part in ("অভিযোগ নিষ্পত্তি কর্মকর্তা (অনিক)", "অভিযোগের আপিল কর্মকর্তা", "তথ্য অধিকার: আপিল কর্তৃপক্ষ",
                 "উদাহরণ তথ্য কর্মকর্তা", "অফিস সময়", 'href="https://www.grs.gov.bd/"', 'href="https://infocom.gov.bd/"'):
        assert part in contacts, part
    offices = json.loads((example_site / "data/offices.json").read_text(encoding="utf-8"))
    entry = next(o for o in offices["offices"] if o["slug"] == EXAMPLE)
    assert entry["contacts"]["phone"] == "০২-৫৫৫০১০০, ০১৭০০-০০০০০১"
    assert entry["contacts"]["grs_focal_point"]["email"] == "grs@example.org"
    assert entry["contacts"]["rti_appeal_authority"]["designation"] == "জেলা কর্মকর্তা"


# --------------------------------------------------------------------------- spreadsheet


@pytest.fixture
def plans(tmp_path) -> Path:
    target = tmp_path / "plans"
    shutil.copytree(CABINET, target)
    (target / EXAMPLE / "charter.yaml").unlink()  # the office has no charter yet
    return target


def _fill(path: Path, rows: list[dict], meta: dict | None = None) -> None:
    """Type into the workbook as a clerk would: by header, into the first empty numbered rows."""
    book = load_workbook(path)
    ws = book["CHARTER"]
    head = next(r for r in ws.iter_rows() if any(str(c.value or "").startswith("সেবার নাম") for c in r))
    columns = {str(c.value).split(" (")[1].rstrip(")"): c.column for c in head if c.value}
    for label_row in ws.iter_rows(max_row=head[0].row - 1):
        label = str(label_row[0].value or "")
        for key, value in (meta or {}).items():
            if label.endswith(f"({key})"):
                label_row[1].value = value
    for offset, row in enumerate(rows, 1):
        for key, value in row.items():
            ws.cell(head[0].row + offset, columns[key], value)
    book.save(path)


def test_a_charter_typed_in_the_spreadsheet_imports_with_its_phone_exact_and_only_its_columns(plans, tmp_path):
    book = tmp_path / "charter.xlsx"
    result = run("xlsx-template", book, "--office", EXAMPLE, "--document", "charter", "--plans", plans)
    assert result.exit_code == 0, result.output
    _fill(book, [
        {"service": "নামজারি", "time_limit": "২৮ দিন", "fee": "কোর্ট ফি ২০/- টাকা",
         "documents": "দলিলের কপি\nখতিয়ানের কপি", "officer_designation": "সহকারী কমিশনার (ভূমি)",
         "officer_phone": "01712345670", "appellate_officer": "অতিরিক্ত জেলা প্রশাসক (রাজস্ব)"},
        {"service": "মিস কেস", "time_limit": "শুনানী সাপেক্ষে", "fee": "বিনামূল্যে",
         "officer_designation": "সহকারী কমিশনার (ভূমি)", "officer_phone": "01712345670",
         "appellate_officer": "অতিরিক্ত জেলা প্রশাসক (রাজস্ব)"},
    ], {"title": "সিটিজেন চার্টার"})
    result = run("import-xlsx", book, "--office", EXAMPLE, "--plans", plans)
    assert result.exit_code == 0, result.output
    written = (plans / EXAMPLE / "charter.yaml").read_text(encoding="utf-8")
    for absent in ("fiscal_year", "date:", "method", "payment", "grs", "vision"):
        assert absent not in written, absent  # nothing the sheet did not have
    problems, catalog = check_plans(plans)
    assert not problems.errors, [str(p) for p in problems]
    charter = catalog.charters[0].model
    assert charter.citizen_services[0].officer[0].phone == "01712345670"
    assert charter.citizen_services[0].documents == ["দলিলের কপি", "খতিয়ানের কপি"]
    assert charter.citizen_services[1].time_limit == "শুনানী সাপেক্ষে" and charter.fiscal_year is None


def test_spreadsheet_round_trip_of_a_real_charter_gives_the_same_charter(tmp_path):
    plans = tmp_path / "plans"
    shutil.copytree(ROOT / "plans", plans)
    before = next(c.model for c in check_plans(plans)[1].charters if c.model.office == "naria-municipality")
    book = tmp_path / "naria.xlsx"
    assert run("xlsx-template", book, "--office", "naria-municipality", "--document", "charter",
               "--plans", plans).exit_code == 0
    result = run("import-xlsx", book, "--office", "naria-municipality", "--plans", plans, "--force")
    assert result.exit_code == 0, result.output
    after = next(c.model for c in check_plans(plans)[1].charters if c.model.office == "naria-municipality")
    assert after.model_dump() == before.model_dump()


def test_bad_charter_cells_are_reported_by_cell_and_nothing_is_written(plans, tmp_path):
    book = tmp_path / "charter.xlsx"
    run("xlsx-template", book, "--office", EXAMPLE, "--document", "charter", "--plans", plans)
    _fill(book, [{"time_limit": "৭ দিন"}, {"service": "ট্রেড লাইসেন্স", "officer_phone": 1712345670},
                 {"service": "সনদ", "officer_name": "নাম"}])
    result = run("import-xlsx", book, "--office", EXAMPLE, "--plans", plans)
    assert result.exit_code == 1
    assert "শিট 'CHARTER' ঘর A" in result.output
    assert "সেবার সারিতে সেবার নাম নেই (needs its name); 'সেবার নাম (service)' কলামে নাম লিখুন" in result.output
    assert ("ফোন নম্বর '1712345670' সংখ্যা হিসেবে রাখা (stored as a number), তাই শুরুর ০ হারিয়ে যায় "
            "(loses its leading 0)") in result.output
    assert ("কর্মকর্তার পদবি খালি (designation is empty); 'কর্মকর্তার পদবি (officer_designation)' কলামে পদবি লিখুন"
            in result.output)
    assert "৪টি ভুল ঘর (bad cells); কিছুই লেখা হয়নি (nothing was written)" in result.output
    assert not (plans / EXAMPLE / "charter.yaml").exists()


# --------------------------------------------------------------------------- new office


def test_an_office_that_publishes_only_a_charter_gets_only_a_charter(plans_copy, check):
    result = run("new-office", "birganj-land-office", "--name", "উপজেলা ভূমি অফিস, উদাহরণ", "--level", "upazila",
                 "--parent", "kishoreganj-district-cooperative", "--documents", "charter", "--plans", plans_copy)
    assert result.exit_code == 0, result.output
    office = plans_copy / "birganj-land-office"
    assert sorted(p.relative_to(office).as_posix() for p in office.rglob("*.yaml")) == ["charter.yaml", "office.yaml"]
    code, output = check(plans_copy)
    assert code == 0 and "charter.yaml" in output and "not published" in output  # a warning until it has a service
    result = run("new-office", "x-office", "--name", "ক", "--level", "upazila", "--parent",
                 "kishoreganj-district-cooperative", "--documents", "charter,apa", "--plans", plans_copy)
    assert result.exit_code != 0 and "--documents-এ অজানা দলিল (unknown document) apa" in result.output
    assert not (plans_copy / "x-office").exists()


# --------------------------------------------------------------------------- comparable values, printed order


@pytest.mark.parametrize("text, parts", [
    ("৭ কার্যদিবস", ("7", "working_days")), ("০৭ (সাত) কার্যদিবস", ("7", "working_days")),
    ("৪৫ কার্য দিবস", ("45", "working_days")), ("৩০ দিনের মধ্যে", ("30", "days")), ("২৪ ঘণ্টা", ("24", "hours")),
    ("শুনানী সাপেক্ষে", None), ("2 থেকে 3 দিন", None), ("অফিস ভেদে ১ মাস হতে ১ বছর", None)])
def test_a_time_limit_is_a_number_and_unit_in_the_data_only_when_it_is_printed_as_one(text, parts):
    from sebabox.outputs.charter import time_limit_parts

    assert time_limit_parts(text) == parts


@pytest.mark.parametrize("text, parts", [
    ("২০/- টাকা", ("20", False)), ("300/-", ("300", False)), ("১০০ টাকা", ("100", False)),
    ("বিনামূল্যে", ("0", True)), ("কোর্ট ফি ২০/- টাকা", (None, False)), ("নির্ধারিত ফি", (None, False)),
    ("০-৪৫ দিন বিনামূল্যে, ৪৬দিন হতে ০৫বছর পর্যন্ত ২৫টাকা", (None, False))])
def test_a_fee_is_an_amount_in_the_data_only_when_it_is_printed_as_one(text, parts):
    from sebabox.outputs.charter import fee_parts

    assert fee_parts(text) == parts


def test_the_national_table_compares_fees_and_time_limits_where_the_charters_allow(built_site):
    rows = list(csv.DictReader(io.StringIO(
        (built_site / "data/national/charter_services.csv").read_text(encoding="utf-8-sig"))))
    doail = {r["service"]: r for r in rows if r["office"] == "doail-union-parishad"}
    assert doail["ওয়ারিশ সনদ"]["fee_taka"] == "100" and doail["ওয়ারিশ সনদ"]["time_limit_amount"] == "1"
    assert doail["নাগরিক, চারিত্রিক ও অন্যান্য সনদ প্রদান"]["free"] == "true"
    assert doail["ট্রেড লাইসেন্স"]["fee"] == doail["ট্রেড লাইসেন্স"]["free"] == ""  # no fee printed: nothing made up


def test_the_pdf_keeps_the_charters_own_column_order(built_site):
    text = pdf_text(built_site / "pdf/naria-municipality-charter.pdf")
    assert text.index("সেবা প্রদানের সময়সীমা") < text.index("সেবার মূল্য")  # Naria prints সময় before মূল্য
    page = (built_site / "offices/naria-municipality/charter/index.html").read_text(encoding="utf-8")
    head = page[page.index("<thead>"):page.index("</thead>")]
    assert head.index("সেবার মূল্য") < head.index("সেবা প্রদানের সময়সীমা")  # the page: fee first for the citizen


def test_an_officer_printed_once_for_all_services_is_on_every_phone_card(tmp_path):
    from sebabox.outputs.render import document_page
    from sebabox.outputs.report import all_documents

    plans = tmp_path / "plans"
    shutil.copytree(CABINET, plans)
    (plans / EXAMPLE / "charter.yaml").write_text(
        "kind: charter\noffice: example-upazila-office\nexample: true\n"
        "officer: {designation: সহকারী কমিশনার (ভূমি), phone: 01712345670}\n"
        "citizen_services:\n  - {name: নামজারি, time_limit: ২৮ দিন}\n  - {name: মিস কেস, time_limit: শুনানী সাপেক্ষে}\n",
        encoding="utf-8")
    problems, catalog = check_plans(plans)
    assert not problems.errors, [str(p) for p in problems]
    page = document_page(next(d for d in all_documents(catalog) if d.kind == "charter"))
    assert page.count("সকল সেবার দায়িত্বপ্রাপ্ত কর্মকর্তা") == 1  # printed once, as in the document
    assert page.count('class="sb-card-only"') == 2  # and on each service's card on a phone
    assert page.count('href="tel:01712345670"') == 3


def test_charter_text_is_escaped_and_a_phone_link_carries_only_digits(tmp_path):
    from sebabox.outputs.render import document_page
    from sebabox.outputs.report import all_documents

    plans = tmp_path / "plans"
    shutil.copytree(CABINET, plans)
    (plans / EXAMPLE / "charter.yaml").write_text(
        "kind: charter\noffice: example-upazila-office\nexample: true\ncitizen_services:\n"
        "  - name: '<img src=x onerror=alert(1)>'\n    fee: '[x](javascript:alert(1))'\n"
        "    officer: {designation: '<b>পদ</b>', phone: 'javascript:alert(1)//01712345670\"><script>'}\n",
        encoding="utf-8")
    problems, catalog = check_plans(plans)
    assert not problems.errors, [str(p) for p in problems]
    page = document_page(next(d for d in all_documents(catalog) if d.kind == "charter"))
    assert "<img" not in page and "<script" not in page and "<b>পদ" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'href="tel:01712345670"' in page and "javascript:" not in page.split('href="tel:')[1][:20]


OLDER_WITH_RECIPIENTS = """\
# A FICTIONAL charter in an older layout seen on office portals (ক্রম, প্রদেয় সেবা, সেবা গ্রহীতা, সময়সীমা:
# e.g. an upazila resource centre's charter, http://urc.babuganj.barisal.gov.bd), for tests only.
kind: charter
office: example-upazila-office
title: নাগরিক অধিকার সনদ (সিটিজেন চার্টার)
example: true
citizen_services:
  - name: উচ্চতর পরীক্ষায় অংশগ্রহণের আবেদন নিষ্পত্তি
    recipient: কর্মকর্তা / কর্মচারী
    time_limit: ৫ কর্ম দিবসের মধ্যে
  - name: পেনশন কেস নিষ্পত্তি
    recipient: কর্মকর্তা / কর্মচারী
    time_limit: ৭ কর্ম দিবসের মধ্যে
"""


def test_an_older_charter_with_a_service_recipient_column_shows_it_on_page_card_pdf_and_data(tmp_path):
    from sebabox.outputs.publish import build_site

    plans = tmp_path / "plans"
    shutil.copytree(CABINET, plans)
    (plans / EXAMPLE / "charter.yaml").write_text(OLDER_WITH_RECIPIENTS, encoding="utf-8")
    site = tmp_path / "site"
    build_site(ROOT / "mkdocs.yml", plans, site, search=False)
    page = (site / "offices" / EXAMPLE / "charter" / "index.html").read_text(encoding="utf-8")
    headers = page[page.index("<thead>"):page.index("</thead>")]
    assert headers.count("<th scope") == 4 and "সেবা গ্রহীতা" in headers and "সেবা প্রদানের সময়সীমা" in headers
    assert '<td data-label="সেবা গ্রহীতা" class="sb-col-recipient">কর্মকর্তা / কর্মচারী</td>' in page
    assert "sb-empty" not in page[page.index('<table class="sb-charter"'):page.index("</table>")]
    text = pdf_text(next((site / "pdf").glob(f"{EXAMPLE}-charter*.pdf")))
    assert "সেবা গ্রহীতা" in text and text.index("সেবা গ্রহীতা") < text.index("সময়সীমা")  # printed order
    rows = list(csv.DictReader(io.StringIO(next((site / "data" / EXAMPLE).glob("*charter*.csv")).read_text(encoding="utf-8-sig"))))
    assert [r["recipient"] for r in rows] == ["কর্মকর্তা / কর্মচারী"] * 2


def test_a_service_recipient_typed_in_the_spreadsheet_is_imported(plans, tmp_path):
    book = tmp_path / "charter.xlsx"
    assert run("xlsx-template", book, "--office", EXAMPLE, "--document", "charter", "--plans", plans).exit_code == 0
    _fill(book, [{"service": "বদলির আবেদন নিষ্পত্তি", "recipient": "কর্মকর্তা / কর্মচারী", "time_limit": "৭ কর্ম দিবসের মধ্যে"}])
    result = run("import-xlsx", book, "--office", EXAMPLE, "--plans", plans)
    assert result.exit_code == 0, result.output
    charter = check_plans(plans)[1].charters[0].model
    assert charter.citizen_services[0].recipient == "কর্মকর্তা / কর্মচারী"
