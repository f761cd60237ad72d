"""Charter layouts met when typing real published charters as a new user (see notes on issue 15): a
service with several officers, each with its own phone; a comma inside {…}; two designations in one
spreadsheet cell. The charters here are FICTIONAL (office `example-upazila-office`, `example: true`),
shaped like the real layouts named in each test."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from sebabox.cli import main
from sebabox.inputs.check import check_plans

CABINET = Path(__file__).parent / "fixtures/charter_cabinet/plans"
EXAMPLE = "example-upazila-office"

# shaped like the district agriculture office's charter (daedinajpur.rangpurdiv.gov.bd, সিটিজেন চার্টার):
# "১) উপজেলা কৃষি কর্মকর্তা … ২) প্রকল্প পরিচালক, সরেজমিন উইং ফোন: +৮৮০…" in one service's officer cell
TWO_OFFICERS = """\
kind: charter
office: example-upazila-office
example: true
citizen_services:
  - name: উদাহরণ যন্ত্রপাতি সহায়তা
    fee: যন্ত্রের মূল্যের ৫০% নগদে পরিশোধ যোগ্য
    time_limit: ৪৫ কর্মদিবস
    officer:
      - {designation: উদাহরণ কৃষি কর্মকর্তা, place: উদাহরণ কৃষি অফিস}
      - {designation: উদাহরণ প্রকল্প পরিচালক, phone: +৮৮০২৯০০০০০০১}
  - name: উদাহরণ পরামর্শ
    fee: বিনা মূল্যে
    time_limit: ৭ কর্মদিবস
    officer: {designation: উদাহরণ কৃষি কর্মকর্তা, phone: 01700000009}
"""


def _plans(tmp_path: Path, charter: str) -> Path:
    plans = tmp_path / "plans"
    shutil.copytree(CABINET, plans)
    (plans / EXAMPLE / "charter.yaml").write_text(charter, encoding="utf-8")
    return plans


def _charter(plans: Path):
    from sebabox.outputs.report import all_documents

    problems, catalog = check_plans(plans)
    assert not problems.errors, [str(p) for p in problems]
    return next(d for d in all_documents(catalog) if d.kind == "charter")


def test_a_service_with_two_officers_shows_each_with_its_own_phone_on_the_card_and_in_the_data(tmp_path):
    from sebabox.outputs.render import document_page
    from sebabox.outputs.tables import charter_rows

    doc = _charter(_plans(tmp_path, TWO_OFFICERS))
    page = document_page(doc)
    card = page[page.index('id="seba-1"'):page.index('id="seba-2"')]
    officers = card[card.index('class="sb-col-officer"'):]
    officers = officers[:officers.index("</td>")]
    assert officers.count("<li>") == 2  # two people, not one designation with a phone of unknown owner
    second = officers.split("<li>")[2]
    assert "উদাহরণ প্রকল্প পরিচালক" in second and '<a href="tel:+880290000001">+৮৮০২৯০০০০০০১</a>' in second
    assert "ফোন" not in officers.split("<li>")[1]
    assert '<a href="tel:01700000009">' in page  # one officer: as before, no list
    rows = charter_rows(doc.office, doc)
    assert rows[0]["officer"] == "উদাহরণ কৃষি কর্মকর্তা, উদাহরণ কৃষি অফিস; উদাহরণ প্রকল্প পরিচালক"
    assert rows[0]["officer_phone"] == "; +৮৮০২৯০০০০০০১"  # the phone stays the second officer's, exactly as typed
    assert rows[1]["officer_phone"] == "01700000009" and rows[1]["officer"] == "উদাহরণ কৃষি কর্মকর্তা"


def test_a_comma_inside_braces_is_reported_with_the_quoted_value_to_type(tmp_path):
    # an address with a comma is usual: উপপরিচালক, কৃষি সম্প্রসারণ অধিদপ্তর, ব্রাহ্মণবাড়িয়া
    plans = _plans(tmp_path, "kind: charter\noffice: example-upazila-office\nexample: true\ncitizen_services:\n"
                             "  - name: উদাহরণ সেবা\n"
                             "    appellate_officer: {designation: উপপরিচালক, place: উদাহরণ অধিদপ্তর, উদাহরণপুর}\n"
                             "    officer: {designation: কর্মকর্তা, place: উদাহরণ অফিস, সদর}\n")
    problems, _ = check_plans(plans)
    messages = [str(p) for p in problems.errors]
    assert len(messages) == 2, messages
    messages.sort(key=lambda m: "charter.yaml:7:" in m)
    assert "charter.yaml:6: error:" in messages[0]
    assert "অজানা কী (unknown key) 'উদাহরণপুর'" in messages[0]
    assert 'মানটি উদ্ধৃতিচিহ্নে লিখুন (quote it), যেমন place: "উদাহরণ অধিদপ্তর, উদাহরণপুর"' in messages[0]
    assert 'place: "উদাহরণ অফিস, সদর"' in messages[1] and "charter.yaml:7:" in messages[1]


def _book(plans: Path, tmp_path: Path, officer_cells: dict) -> Path:
    book = tmp_path / "charter.xlsx"
    result = CliRunner().invoke(main, ["xlsx-template", str(book), "--office", EXAMPLE, "--document", "charter",
                                       "--plans", str(plans), "--force"])
    assert result.exit_code == 0, result.output
    wb = load_workbook(book)
    ws = wb["CHARTER"]
    head = next(r for r in ws.iter_rows() if any(str(c.value or "").startswith("সেবার নাম") for c in r))
    columns = {str(c.value).split(" (")[1].rstrip(")"): c.column for c in head if c.value}
    row = head[0].row + 1
    ws.cell(row, columns["service"], "উদাহরণ ওয়ারিশ সনদ")
    ws.cell(row, columns["fee"], "১০০ টাকা")
    for key, value in officer_cells.items():
        ws.cell(row, columns[key], value)
    wb.save(book)
    return book


def test_two_designations_on_two_lines_of_a_spreadsheet_cell_are_two_officers(tmp_path):
    # as a union parishad's list prints "চেয়ারম্যান" and "সচিব" on two lines of one cell
    # (naniarcharup.rangamati.gov.bd, সেবার তালিকা)
    plans = _plans(tmp_path, "kind: charter\noffice: example-upazila-office\nexample: true\ncitizen_services: []\n")
    book = _book(plans, tmp_path, {"officer_designation": "উদাহরণ চেয়ারম্যান\nউদাহরণ সচিব",
                                   "officer_phone": "\n০১৭০০-০০০০০৮"})
    result = CliRunner().invoke(main, ["import-xlsx", str(book), "--office", EXAMPLE, "--plans", str(plans), "--force"])
    assert result.exit_code == 0, result.output
    doc = _charter(plans)
    officers = doc.model.citizen_services[0].officer
    assert [(p.designation, p.phone) for p in officers] == [("উদাহরণ চেয়ারম্যান", None), ("উদাহরণ সচিব", "০১৭০০-০০০০০৮")]
    # and the sheet written from it gives the same lines back
    again = tmp_path / "again.xlsx"
    assert CliRunner().invoke(main, ["xlsx-template", str(again), "--office", EXAMPLE, "--document", "charter",
                                     "--plans", str(plans)]).exit_code == 0
    values = [c.value for row in load_workbook(again)["CHARTER"].iter_rows() for c in row]
    assert "উদাহরণ চেয়ারম্যান\nউদাহরণ সচিব" in values and "\n০১৭০০-০০০০০৮" in values


def test_officer_cells_with_different_line_counts_are_refused_by_cell(tmp_path):
    plans = _plans(tmp_path, "kind: charter\noffice: example-upazila-office\nexample: true\ncitizen_services: []\n")
    book = _book(plans, tmp_path, {"officer_designation": "উদাহরণ চেয়ারম্যান\nউদাহরণ সচিব",
                                   "officer_phone": "০১৭০০-০০০০০৮\n০১৭০০-০০০০০৭\n০১৭০০-০০০০০৬"})
    before = (plans / EXAMPLE / "charter.yaml").read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["import-xlsx", str(book), "--office", EXAMPLE, "--plans", str(plans), "--force"])
    assert result.exit_code != 0
    assert "শিট 'CHARTER' ঘর " in result.output
    assert "পদবির ঘরে ২ জন কর্মকর্তা (one per line), এই ঘরে ৩টি লাইন" in result.output
    assert (plans / EXAMPLE / "charter.yaml").read_text(encoding="utf-8") == before  # nothing written


def test_a_printed_dash_or_ditto_mark_is_warned_with_what_to_type_instead(tmp_path):
    # shaped like an upazila agriculture office's charter (dae.sadar.brahmanbaria.gov.bd): "-----" in an empty
    # cell and "ঐ" for the upper officer of the second service; and a land office's "-" fee (acl.charghat)
    plans = _plans(tmp_path, "kind: charter\noffice: example-upazila-office\nexample: true\ncitizen_services:\n"
                             "  - name: উদাহরণ পরামর্শ\n    fee: বিনামূল্যে\n"
                             "    appellate_officer: {designation: উদাহরণ উপপরিচালক}\n"
                             "  - name: উদাহরণ যন্ত্রপাতি\n    fee: '-----'\n"
                             "    appellate_officer: {designation: ঐ}\n")
    problems, _ = check_plans(plans)
    assert not problems.errors
    warnings = sorted((str(p) for p in problems), key=lambda w: "ditto" in w)
    assert len(warnings) == 2, warnings
    assert "charter.yaml:9: warning: fee-এ লেখা আছে '-----': চার্টারে ঘরটি ফাঁকা (an empty cell); কী-টি বাদ দিন" in warnings[0]
    assert "charter.yaml:10: warning: appellate_officer.designation-এ লেখা আছে 'ঐ' (ditto, ওপরের মতো)" in warnings[1]
    assert "ওপরের সেবার মানটিই লিখুন: উদাহরণ উপপরিচালক" in warnings[1]


def test_a_legal_basis_column_is_shown_printed_in_order_and_in_the_data(tmp_path):
    # shaped like the "নাগরিক সেবার তথ্য সারণী" of upazila agriculture offices (dae.sadar.brahmanbaria.gov.bd,
    # dae.aditmari.lalmonirhat.gov.bd): … সেবা মূল্য ও পরিশোধ পদ্ধতি | সংশ্লিষ্ট আইন কানুন বিধিবিধান | সময়সীমা …
    from sebabox.outputs.charter import columns
    from sebabox.outputs.render import document_page
    from sebabox.outputs.tables import charter_rows

    doc = _charter(_plans(tmp_path, "kind: charter\noffice: example-upazila-office\nexample: true\ncitizen_services:\n"
                                    "  - name: উদাহরণ লাইসেন্স\n    fee: ১০০০/- ট্রেজারী চালানের মাধ্যমে\n"
                                    "    legal_basis: উদাহরণ আইন, ২০১৮\n    time_limit: ৩০ কার্যদিবস\n"
                                    "    officer: {designation: উদাহরণ কর্মকর্তা}\n"))
    printed = [key for key, _ in columns(doc.model.citizen_services)]
    assert printed == ["fee", "legal_basis", "time_limit", "officer"]  # the PDF: as those charters print it
    page = document_page(doc)
    assert '<td data-label="সংশ্লিষ্ট আইন ও বিধি" class="sb-col-legal_basis">উদাহরণ আইন, ২০১৮</td>' in page
    assert charter_rows(doc.office, doc)[0]["legal_basis"] == "উদাহরণ আইন, ২০১৮"


def test_legal_basis_and_remedy_typed_in_the_spreadsheet_are_imported(tmp_path):
    plans = _plans(tmp_path, "kind: charter\noffice: example-upazila-office\nexample: true\ncitizen_services: []\n")
    book = _book(plans, tmp_path, {"legal_basis": "উদাহরণ বিধিমালা, ১৯৮৫", "remedy": "উদাহরণ প্রতিকার"})
    result = CliRunner().invoke(main, ["import-xlsx", str(book), "--office", EXAMPLE, "--plans", str(plans), "--force"])
    assert result.exit_code == 0, result.output
    service = _charter(plans).model.citizen_services[0]
    assert (service.legal_basis, service.remedy) == ("উদাহরণ বিধিমালা, ১৯৮৫", "উদাহরণ প্রতিকার")


def test_a_source_address_with_bengali_words_is_printed_readable_in_the_pdf(tmp_path):
    # portal addresses end in the page's Bengali title, percent-encoded (…/page/5OTg-%E0%A6%B8%E0%A6%BF…)
    from sebabox.outputs.charter import readable_url
    from sebabox.outputs.render import document_print_html

    source = "https://example.gov.bd/bn/site/page/5OTg-%E0%A6%B8%E0%A6%BF%E0%A6%9F%E0%A6%BF%E0%A6%9C%E0%A7%87%E0%A6%A8"
    doc = _charter(_plans(tmp_path, f"kind: charter\noffice: example-upazila-office\nexample: true\nsource: {source}\n"
                                    "citizen_services:\n  - {name: উদাহরণ সেবা, fee: বিনামূল্যে}\n"))
    html = document_print_html(doc, "")
    assert "উৎস: https://example.gov.bd/bn/site/page/5OTg-সিটিজেন" in html and "%E0" not in html
    # a decoded address that would hide or reorder text stays encoded
    assert readable_url("https://example.gov.bd/a%E2%80%AEb") == "https://example.gov.bd/a%E2%80%AEb"
    assert readable_url("https://example.gov.bd/a%20b") == "https://example.gov.bd/a%20b"
    assert readable_url("https://example.gov.bd/a%FFb") == "https://example.gov.bd/a%FFb"


def test_a_charters_own_numbering_is_kept_where_it_is_not_one_two_three(tmp_path):
    # shaped like a union parishad's list (naniarcharup.rangamati.gov.bd): rows ০১, ০২, ০৫
    from sebabox.outputs.render import document_page
    from sebabox.outputs.tables import charter_rows

    plans = _plans(tmp_path, "kind: charter\noffice: example-upazila-office\nexample: true\ncitizen_services: []\n")
    book = tmp_path / "charter.xlsx"
    assert CliRunner().invoke(main, ["xlsx-template", str(book), "--office", EXAMPLE, "--document", "charter",
                                     "--plans", str(plans), "--force"]).exit_code == 0
    wb = load_workbook(book)
    ws = wb["CHARTER"]
    head = next(r for r in ws.iter_rows() if any(str(c.value or "").startswith("সেবার নাম") for c in r))
    columns = {str(c.value).split(" (")[1].rstrip(")"): c.column for c in head if c.value}
    for offset, (number, name) in enumerate((("০১", "উদাহরণ নাগরিকত্ব সনদ"), ("০২", "উদাহরণ ওয়ারিশ সনদ"),
                                             ("০৫", "উদাহরণ মৃত্যু সনদ")), 1):
        ws.cell(head[0].row + offset, columns["id"], number)
        ws.cell(head[0].row + offset, columns["service"], name)
        ws.cell(head[0].row + offset, columns["fee"], "১০০ টাকা")
    wb.save(book)
    result = CliRunner().invoke(main, ["import-xlsx", str(book), "--office", EXAMPLE, "--plans", str(plans), "--force"])
    assert result.exit_code == 0, result.output
    doc = _charter(plans)
    assert [s.number for s in doc.model.citizen_services] == [None, None, "০৫"]
    page = document_page(doc)
    third = page[page.rindex('<td class="sb-num"', 0, page.index('id="seba-3"')):page.index('id="seba-3"')]
    assert ">০৫</td>" in third  # as printed, not ৩; its anchor is still seba-3
    rows = charter_rows(doc.office, doc)
    assert [(r["number"], r["printed_number"]) for r in rows] == [(1, None), (2, None), (3, "০৫")]
