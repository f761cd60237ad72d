"""Spreadsheets: `import-xlsx` turns a filled workbook into YAML that passes check; `xlsx-template` writes one."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from sebabox.cli import main
from sebabox.inputs.check import check_plans
from sebabox.inputs.xlsx import header

ITNA = "itna-upazila-cooperative"
CHAPAI = "chapainawabganj-sadar-upazila-statistics"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def progress_book(path: Path, rows: list[list], meta: list[tuple] | None = None, headers: list[str] | None = None,
                  title: str = "NIS") -> Path:
    """A workbook in the documented layout, built cell by cell as an office would fill it."""
    book = Workbook()
    ws = book.active
    ws.title = title
    ws.append(["উপজেলা সমবায় কার্যালয়, ইটনা: জাতীয় শুদ্ধাচার কৌশল, অগ্রগতি"])  # a title row is ignored
    for label, value in meta if meta is not None else [
        ("অফিস (office)", ITNA), ("অর্থবছর (fiscal_year)", "২০২৩-২৪"), ("দলিল (document)", "nis"),
        ("কোয়ার্টার (quarter)", "২"), ("প্রতিবেদনের তারিখ (as_of)", dt.datetime(2024, 1, 4))]:
        ws.append([label, value])
    ws.append([])
    ws.append(headers or ["ক্রম (id)", "কার্যক্রম (activity)", "কর্মসম্পাদন সূচক (indicator)", "একক (unit)",
                          "সূচকের মান (weight)", "লক্ষ্যমাত্রা (target)", "১ম কোয়ার্টার অর্জন (Q1)",
                          "২য় কোয়ার্টার অর্জন (Q2)", "৩য় কোয়ার্টার অর্জন (Q3)", "৪র্থ কোয়ার্টার অর্জন (Q4)",
                          "মোট অর্জন", "অর্জিত মান", "মন্তব্য"])
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def _progress(plans: Path, quarter: int, document: str = "nis", office: str = ITNA, year: str = "2023-24"):
    _, catalog = check_plans(plans)
    return next(r for r in catalog.progress_for(office, year, document) if r.quarter == quarter)


# --------------------------------------------------------------------------- progress


def test_progress_sheet_with_bengali_and_ascii_digits_and_excel_dates_imports_and_passes_check(plans_copy, check, tmp_path):
    book = progress_book(tmp_path / "progress.xlsx", [
        ["১", "প্রাতিষ্ঠানিক ব্যবস্থা", None, None, "৪"],  # an area row: skipped
        ["১.১", "নৈতিকতা কমিটি সভা আয়োজন", "সভা আয়োজিত", "সংখ্যা", "২", "২", "১", 1],
        ["1.2", None, None, None, None, None, "১", "৮০%"],
        ["২.১", None, None, None, None, None, None, "১"],
        ["৩.১", None, None, None, None, None, "২৬/০৭/২৩", dt.datetime(2023, 11, 2)],
        ["৪.১", None, None, None, None, None, None, "-"],  # '-' is "nothing to report"
        [None, "একটি মন্তব্যের সারি"],  # no id: skipped
        ["৬.১", None, None, None, None, None, None, 0.95],  # row 16, formatted as a percentage below
    ])
    percent = load_workbook(book)
    assert percent.active["A16"].value == "৬.১"
    percent.active["H16"].number_format = "0%"  # Excel keeps 95% as 0.95
    percent.save(book)
    result = run("import-xlsx", book, "--office", ITNA, "--plans", plans_copy)
    assert result.exit_code == 0, result.output
    written = plans_copy / ITNA / "2023-24" / "nis-q2.yaml"
    assert f"লেখা হয়েছে (wrote) {written} (শিট 'NIS')" in result.output
    code, output = check(plans_copy)
    assert code == 0, output
    assert "nis-q2.yaml" not in output.replace("before quarter 2 ended", "")
    report = _progress(plans_copy, 2)
    assert report.as_of == dt.date(2024, 1, 4)
    got = {k: v.plain() for k, v in report.achievements.items()}
    assert got == {"1.1": "1", "1.2": "80%", "2.1": "1", "3.1": "2023-11-02", "6.1": "95%"}
    text = written.read_text(encoding="utf-8")
    assert "১.১: ১" in text and "৩.১: ০২/১১/২০২৩" in text and "quarter: 2" in text


def test_progress_round_trip_through_the_template_workbook(plans_copy, check, tmp_path):
    book = tmp_path / "nis-q2.xlsx"
    result = run("xlsx-template", book, "--office", ITNA, "--document", "nis", "--plans", plans_copy)
    assert result.exit_code == 0, result.output
    assert "অগ্রগতির শিট (progress sheet): nis ২০২৩-২৪, কোয়ার্টার ২; আগেই জমা (already reported): কোয়ার্টার ১" in result.output
    wb = load_workbook(book)
    ws = wb["NIS"]
    labels = {ws.cell(r, 1).value: ws.cell(r, 2) for r in range(1, 8)}
    assert labels["কোয়ার্টার (quarter)"].value == 2
    labels["প্রতিবেদনের তারিখ (as_of)"].value = "৩১/১২/২০২৩"
    head = next(r for r in range(1, 12) if ws.cell(r, 1).value == "ক্রম (id)")
    columns = {ws.cell(head, c).value: c for c in range(1, ws.max_column + 1)}
    rows = {ws.cell(r, 1).value: r for r in range(head + 1, ws.max_row + 1)}
    q1, q2 = columns["১ম কোয়ার্টার অর্জন (Q1)"], columns["২য় কোয়ার্টার অর্জন (Q2)"]
    assert ws.cell(rows["৩.১"], q1).value == "২৬/০৭/২০২৩", "quarter 1 is filled in from nis-q1.yaml"
    ws.cell(rows["২.১"], q2).value = "১"
    ws.cell(rows["৪.১"], q2).value = "1"
    wb.save(book)
    result = run("import-xlsx", book, "--office", ITNA, "--plans", plans_copy)
    assert result.exit_code == 0, result.output
    assert check(plans_copy)[0] == 0
    assert {k: v.plain() for k, v in _progress(plans_copy, 2).achievements.items()} == {"2.1": "1", "4.1": "1"}
    assert _progress(plans_copy, 2).as_of == dt.date(2023, 12, 31)


def test_english_headers_in_another_order_and_the_sheet_name_as_document(plans_copy, check, tmp_path):
    book = progress_book(tmp_path / "q3.xlsx", [["1.1", "1"], ["2.2", "50%"]],
                         meta=[("office", ITNA), ("fiscal year", "2023-24"), ("quarter", "৩য় কোয়ার্টার"),
                               ("as_of", "02/04/2024")],
                         headers=["id", "Q3", "remarks"], title="nis")
    result = run("import-xlsx", book, "--office", ITNA, "--plans", plans_copy)
    assert result.exit_code == 0, result.output
    assert check(plans_copy)[0] == 0
    assert {k: v.plain() for k, v in _progress(plans_copy, 3).achievements.items()} == {"1.1": "1", "2.2": "50%"}


def test_apa_progress_imports(tmp_path, check):
    plans = tmp_path / "plans"
    shutil.copytree(FIXTURES / "site_with_apa", plans)
    book = tmp_path / "apa.xlsx"
    result = run("xlsx-template", book, "--office", "sadar-upazila-office", "--document", "apa", "--plans", plans)
    assert result.exit_code == 0, result.output
    wb = load_workbook(book)
    ws = wb["APA"]
    ws["B6"] = "৩১/১২/২০২৪"
    wb.save(book)
    result = run("import-xlsx", book, "--office", "sadar-upazila-office", "--plans", plans)
    assert result.exit_code == 0, result.output
    assert (plans / "sadar-upazila-office" / "2024-25" / "apa-q2.yaml").is_file()
    assert check(plans)[0] == 0


# --------------------------------------------------------------------------- plans


def _plan(plans: Path, office: str, kind: str = "nis", year: str = "2023-24"):
    problems, catalog = check_plans(plans)
    assert not problems.errors, problems.errors
    return catalog.plan_for(office, year, kind)


@pytest.mark.parametrize("office", [ITNA, CHAPAI])  # a plan with its own table; one filling in a template
def test_plan_round_trip_gives_the_same_plan(plans_copy, tmp_path, office):
    before = _plan(plans_copy, office)
    book = tmp_path / "plan.xlsx"
    assert run("xlsx-template", book, "--office", office, "--document", "nis", "--sheet", "plan",
               "--plans", plans_copy).exit_code == 0
    result = run("import-xlsx", book, "--office", office, "--plans", plans_copy, "--force")
    assert result.exit_code == 0, result.output
    after = _plan(plans_copy, office)
    assert after == before  # every row, target, quarter target and the signatory and title kept
    assert (before.template is None) == ("areas:" in (plans_copy / office / "2023-24" / "nis.yaml").read_text("utf-8"))


def test_plan_sheet_for_a_new_office_fills_in_the_national_template(plans_copy, check, tmp_path):
    assert run("new-office", "bajitpur-upazila-cooperative", "--name", "উপজেলা সমবায় কার্যালয়, বাজিতপুর",
               "--level", "upazila", "--parent", "kishoreganj-district-cooperative", "--fiscal-year", "2023-24",
               "--plans", plans_copy).exit_code == 0
    book = tmp_path / "plan.xlsx"
    result = run("xlsx-template", book, "--office", "bajitpur-upazila-cooperative", "--document", "egov",
                 "--sheet", "plan", "--fiscal-year", "2023-24", "--plans", plans_copy)
    assert result.exit_code == 0, result.output
    wb = load_workbook(book)
    ws = wb["EGOV"]
    head = next(r for r in range(1, 12) if ws.cell(r, 1).value == "ক্রম (id)")
    rows = {ws.cell(r, 1).value: r for r in range(head + 1, ws.max_row + 1)}
    for col, value in zip("HIJKL", ["৪", "৩", "২", "১", None]):  # levels অসাধারণ … চলতি মানের নিম্নে
        ws[f"{col}{rows['২.১.১']}"] = value
    ws[f"G{rows['১.১.১']}"] = dt.datetime(2024, 4, 13)  # a date target, typed as an Excel date
    ws[f"F{rows['১.১.১']}"] = "আইসিটি ফোকাল পয়েন্ট"
    wb.save(book)
    result = run("import-xlsx", book, "--office", "bajitpur-upazila-cooperative", "--plans", plans_copy, "--force")
    assert result.exit_code == 0, result.output
    code, output = check(plans_copy)
    assert code == 0, output
    plan = _plan(plans_copy, "bajitpur-upazila-cooperative", "egov")
    rows = {ind.id: ind for area in plan.areas for ind in area.indicators}
    assert [v.plain() if v else None for v in rows["2.1.1"].levels] == ["4", "3", "2", "1", None]
    assert rows["1.1.1"].target.date == dt.date(2024, 4, 13) and rows["1.1.1"].responsible == "আইসিটি ফোকাল পয়েন্ট"
    assert plan.template == "egov-field"


def test_plan_sheet_of_its_own_table_reports_weights_that_do_not_add_up_at_the_cell(plans_copy, tmp_path):
    book = tmp_path / "plan.xlsx"
    run("xlsx-template", book, "--office", ITNA, "--document", "nis", "--sheet", "plan", "--plans", plans_copy)
    wb = load_workbook(book)
    ws = wb["NIS"]
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    ws[f"E{rows['১.১']}"] = "৩"  # indicator 1.1's weight: area 1 (weight ৪) now adds up to ৫
    wb.save(book)
    result = run("import-xlsx", book, "--office", ITNA, "--plans", plans_copy, "--force")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"{book}: শিট 'NIS' ঘর E{rows['১']}: ক্ষেত্র (area) ক্রম ১-এর মান (weight) ৪, কিন্তু এর সূচকগুলোর মান যোগ করলে ৫; "
        "দুটি মিলিয়ে নিন")


# --------------------------------------------------------------------------- bad cells


def test_every_bad_cell_is_reported_by_sheet_and_cell_and_nothing_is_written(plans_copy, tmp_path):
    book = progress_book(tmp_path / "progress.xlsx", [
        ["১.১", None, None, None, None, "abc", None, "abc"],         # row 9: target column is not read; H9 is
        ["১.২", None, None, None, None, None, dt.datetime(2023, 8, 1)],  # a date for a percentage
        ["৩.১", None, None, None, None, None, None, "৪"],            # a number for a date
        ["৯.৯", None, None, None, None, None, None, "১"],            # not in the plan
        ["১.১", None, None, None, None, None, None, "১"],            # given twice
        ["x.1", None, None, None, None, None, None, "১"],            # not an id
        ["২.১", None, None, None, None, None, None, "৩২/০৭/২৩"],     # impossible date
    ], meta=[("অফিস (office)", ITNA), ("অর্থবছর (fiscal_year)", "২০২৩-২৪"), ("দলিল (document)", "nis"),
             ("কোয়ার্টার (quarter)", "৫"), ("প্রতিবেদনের তারিখ (as_of)", "abc")])
    before = sorted(plans_copy.rglob("*"))
    result = run("import-xlsx", book, "--office", ITNA, "--plans", plans_copy)
    assert result.exit_code == 1
    f = f"{book}: শিট 'NIS'"
    expected = [
        f"{f} ঘর B5: কোয়ার্টার (quarter) ১ থেকে ৪ চাই (১ম … ৪র্থ), লেখা আছে '৫'; লিখুন যেমন ২",
        f"{f} ঘর B6: প্রতিবেদনের তারিখ (report date): তারিখ চাই (expected a date), লেখা আছে 'abc'; লিখুন যেমন ৩১/১২/২০২৩",
        f"{f} ঘর H9: সংখ্যা চাই (expected a number), লেখা আছে 'abc'; লিখুন যেমন ৮ বা ২.৫ (বাংলা বা ইংরেজি অঙ্ক)",
        f"{f} ঘর G10: সূচক ১.২ (একক: %)-এ সংখ্যা চাই, তারিখ নয় (needs a number), লেখা আছে তারিখ ০১/০৮/২০২৩; "
        "লিখুন যেমন ৮ বা ৮০%",
        f"{f} ঘর H11: সূচক ৩.১ (একক: তারিখ)-এ তারিখ চাই (needs a date), লেখা আছে '৪'; লিখুন যেমন ২৬/০৭/২০২৩",
        f"{f} ঘর A12: সূচক ৯.৯ এই পরিকল্পনায় নেই (not in the plan): {ITNA}-এর ২০২৩-২৪ অর্থবছরের nis পরিকল্পনা; "
        "ক্রম (id) ঠিক করে লিখুন",
        f"{f} ঘর A13: সূচক ১.১ দুবার দেওয়া (given twice), প্রথমবার ঘর A9-এ; একটি সারি মুছে দিন",
        f"{f} ঘর A14: ক্রম (id) চাই, লেখা আছে 'x.1'; লিখুন যেমন ১ (ক্ষেত্র), ১.১ বা ১.২.১ (সূচক)",
        f"{f} ঘর H15: এমন তারিখ হয় না (impossible date): '৩২/০৭/২৩' — ২০২৩ সালের ৭ মাসে ৩২ তারিখ নেই; দিন/মাস/বছর "
        "ক্রমে লিখুন, যেমন ২৬/০৭/২০২৩",
    ]
    lines = result.output.strip().splitlines()
    assert lines == [*expected, f"Error: {book}-এ ৯টি ভুল ঘর (bad cells); কিছুই লেখা হয়নি (nothing was written): "
                                "ওপরের প্রতিটি ঘর ঠিক করে আবার চালান"]
    assert sorted(plans_copy.rglob("*")) == before


def test_the_brief_example_message(plans_copy, tmp_path):
    book = progress_book(tmp_path / "progress.xlsx", [["১.১", None, None, None, None, None, None, "abc"]])
    result = run("import-xlsx", book, "--office", ITNA, "--plans", plans_copy)
    assert result.exit_code == 1
    assert f"{book}: শিট 'NIS' ঘর H9: সংখ্যা চাই (expected a number), লেখা আছে 'abc'" in result.output


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_text("not a workbook"), "ফাইলটি .xlsx ওয়ার্কবুক হিসেবে পড়া যায় না (cannot read it as an .xlsx workbook)"),
    (lambda p: None, "ফাইলটি পাওয়া যায়নি (file not found)"),
])
def test_unreadable_files_give_one_line(plans_copy, tmp_path, make, message):
    path = tmp_path / "broken.xlsx"
    make(path)
    result = run("import-xlsx", path, "--office", ITNA, "--plans", plans_copy)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {path}: {message}"), result.output


def test_refusals(plans_copy, tmp_path):
    book = progress_book(tmp_path / "progress.xlsx", [["১.১", None, None, None, None, None, None, "১"]])
    result = run("import-xlsx", book, "--office", "no-such-office", "--plans", plans_copy)
    assert result.exit_code == 1 and "Error: অজানা অফিস (unknown office) 'no-such-office'" in result.output
    result = run("import-xlsx", book, "--office", CHAPAI, "--plans", plans_copy)
    assert result.exit_code == 1
    assert (f"ঘর B2: এই শিট অন্য অফিসের (this sheet is for office) '{ITNA}', '{CHAPAI}'-এর নয়; ঠিক অফিসের --office "
            f"দিন, বা এই ঘরে লিখুন {CHAPAI}") in result.output
    assert run("import-xlsx", book, "--office", ITNA, "--plans", plans_copy).exit_code == 0
    again = run("import-xlsx", book, "--office", ITNA, "--plans", plans_copy)
    assert again.exit_code == 1
    assert "nis-q2.yaml আগে থেকেই আছে (exists); বদলাতে --force দিন (pass --force to replace it)" in again.output
    empty = tmp_path / "empty.xlsx"
    Workbook().save(empty)
    result = run("import-xlsx", empty, "--office", ITNA, "--plans", plans_copy)
    assert result.exit_code == 1
    assert "কোনো শিটে 'ক্রম (id)' শিরোনামের টেবিল নেই (no sheet has a table)" in result.output


def test_out_writes_elsewhere_and_a_replaced_report_keeps_its_letter(plans_copy, check, tmp_path):
    book = progress_book(tmp_path / "q1.xlsx", [["১.১", None, None, None, None, None, "২"]],
                         meta=[("অফিস (office)", ITNA), ("অর্থবছর (fiscal_year)", "২০২৩-২৪"),
                               ("দলিল (document)", "nis"), ("কোয়ার্টার (quarter)", 1),
                               ("প্রতিবেদনের তারিখ (as_of)", "30/09/2023")])
    out = tmp_path / "preview.yaml"
    result = run("import-xlsx", book, "--office", ITNA, "--plans", plans_copy, "--out", out, "--force")
    assert result.exit_code == 0, result.output
    assert "১.১: ২" in out.read_text(encoding="utf-8")
    result = run("import-xlsx", book, "--office", ITNA, "--plans", plans_copy, "--force")
    assert result.exit_code == 0, result.output
    assert check(plans_copy)[0] == 0
    report = _progress(plans_copy, 1)
    assert report.letter is not None and report.letter.memo == "৪৩৭"
    assert {k: v.plain() for k, v in report.achievements.items()} == {"1.1": "2"}


def test_template_workbook_refuses_to_overwrite_a_filled_sheet(plans_copy, tmp_path):
    book = tmp_path / "nis.xlsx"
    assert run("xlsx-template", book, "--office", ITNA, "--document", "nis", "--plans", plans_copy).exit_code == 0
    result = run("xlsx-template", book, "--office", ITNA, "--document", "nis", "--plans", plans_copy)
    assert result.exit_code == 1 and "আগে থেকেই আছে (exists); বদলাতে --force দিন" in result.output
    result = run("xlsx-template", tmp_path / "x.xlsx", "--office", ITNA, "--document", "rti", "--plans", plans_copy)
    assert result.exit_code == 1 and f"Error: {ITNA}-এর rti পরিকল্পনা নেই (no rti plan)" in result.output


def test_one_workbook_with_a_sheet_per_document(plans_copy, check, tmp_path):
    """Chapainawabganj's nis and egov fill in national templates; one workbook reports both."""
    book = Workbook()
    for title, rows in (("NIS", [["১.১", "২"], ["২.১", "৩১/০৭/২৩"]]), ("EGOV", [["৪.১.১", "৭০%"]])):
        ws = book.create_sheet(title)
        for row in ([header("office"), CHAPAI], [header("fiscal_year"), "2023-24"], [header("quarter"), 1],
                    [header("as_of"), dt.date(2023, 10, 5)], [], [header("id"), header("q1")], *rows):
            ws.append(row)
    book.remove(book.worksheets[0])
    book.save(tmp_path / "q1.xlsx")
    result = run("import-xlsx", tmp_path / "q1.xlsx", "--office", CHAPAI, "--plans", plans_copy, "--out", tmp_path / "x.yaml")
    assert result.exit_code == 1 and "--out একটি ফাইলের নাম নেয় (names one file), কিন্তু" in result.output
    assert "আমদানির শিট ২টি; --out বাদ দিন" in result.output
    result = run("import-xlsx", tmp_path / "q1.xlsx", "--office", CHAPAI, "--plans", plans_copy)
    assert result.exit_code == 0, result.output
    code, output = check(plans_copy)
    assert code == 0, output
    nis = _progress(plans_copy, 1, "nis", CHAPAI)
    egov = _progress(plans_copy, 1, "egov", CHAPAI)
    assert {k: v.plain() for k, v in nis.achievements.items()} == {"1.1": "2", "2.1": "2023-07-31"}
    assert {k: v.plain() for k, v in egov.achievements.items()} == {"4.1.1": "70%"}



def test_cell_text_drops_control_characters_and_keeps_joiners():
    from types import SimpleNamespace

    from sebabox.inputs.xlsx import cell_text

    assert cell_text(SimpleNamespace(value="ফোকাল\x07  পয়েন্ট\n")) == "ফোকাল পয়েন্ট"
    assert cell_text(SimpleNamespace(value="র\u200dয")) == "র\u200dয"  # ZWJ is part of Bengali spelling
    assert cell_text(SimpleNamespace(value=2.0)) == "2"
