"""A clerk who works in a spreadsheet, or starts a new office, reads every answer Bengali first: where
(file, sheet, cell such as H9), what is wrong (the English term in brackets, for a helpdesk to search),
and what to type. Never a traceback, never a raw control character. One test per command."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from click.testing import CliRunner
from openpyxl import Workbook

from sebabox.cli import main

ITNA = "itna-upazila-cooperative"
BENGALI = re.compile("[\u0980-\u09ff]")
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def _run(*args, code: int = 1) -> list[str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output and not RAW_CONTROL.search(result.output), result.output
    return result.output.strip().splitlines()


def _bengali_first(message: str) -> bool:
    """The first word of the message that is not a quoted value, a path, an option or a cell is Bengali."""
    text = re.sub(r"'[^']*'", " ", message)
    words = [w for w in text.split() if not w.startswith(("-", "/", "(")) and re.search(r"\w", w)]
    return bool(words) and bool(BENGALI.match(words[0]))


def _book(path: Path, quarter, value, sheet: str = "NIS") -> Path:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    for row in (["অফিস (office)", ITNA], ["অর্থবছর (fiscal_year)", "২০২৩-২৪"], ["দলিল (document)", "nis"],
                ["কোয়ার্টার (quarter)", quarter], ["প্রতিবেদনের তারিখ (as_of)", "৩১/১২/২০২৩"], [],
                ["ক্রম (id)", "২য় কোয়ার্টার অর্জন (Q2)"], ["২.১", value]):
        ws.append(row)
    book.save(path)
    return path


def test_import_xlsx_names_the_sheet_and_cell_of_a_bad_value_in_bengali(plans_copy, tmp_path):
    book = _book(tmp_path / "অগ্রগতি.xlsx", None, "চার")  # B4: the quarter left empty; B8: text for a number
    lines = _run("import-xlsx", book, "--office", ITNA, "--plans", plans_copy)
    assert lines == [
        f"{book}: শিট 'NIS' ঘর B4: কোয়ার্টার (quarter) খালি (empty); লিখুন ১, ২, ৩ বা ৪",
        f"{book}: শিট 'NIS' ঘর B8: সংখ্যা চাই (expected a number), লেখা আছে 'চার'; লিখুন যেমন ৮ বা ২.৫ "
        "(বাংলা বা ইংরেজি অঙ্ক)",
        f"Error: {book}-এ ২টি ভুল ঘর (bad cells); কিছুই লেখা হয়নি (nothing was written): ওপরের প্রতিটি ঘর ঠিক করে "
        "আবার চালান",
    ]
    for line in lines:
        assert _bengali_first(line.split(": ", 2)[-1] if "ঘর" in line else line.removeprefix("Error: ")), line
    assert not (plans_copy / ITNA / "2023-24" / "nis-q2.yaml").exists()


def test_import_xlsx_shows_a_pasted_control_or_direction_character_escaped(plans_copy, tmp_path):
    """A value pasted from a web page with a right-to-left override or a line break cannot reorder or forge
    the line the clerk reads: it is shown as \\u202e and \\n, with the cell it is in; the sheet name too."""
    book = _book(tmp_path / "book.xlsx", "২", "১\u202e০\nঅ", sheet="NIS\u202e")
    [line, error] = _run("import-xlsx", book, "--office", ITNA, "--plans", plans_copy)
    assert line == (f"{book}: শিট 'NIS\\u202e' ঘর B8: সংখ্যা চাই (expected a number), লেখা আছে '১\\u202e০\\nঅ'; "
                    "লিখুন যেমন ৮ বা ২.৫ (বাংলা বা ইংরেজি অঙ্ক)")
    assert error.startswith(f"Error: {book}-এ ১টি ভুল ঘর (bad cells)")


def test_import_xlsx_of_a_damaged_workbook_says_to_save_it_again_in_bengali(plans_copy, tmp_path):
    book = _book(tmp_path / "nis-q2.xlsx", "২", "১")
    data = bytearray(book.read_bytes())
    with zipfile.ZipFile(book) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start:start + info.compress_size] = bytes(b ^ 0x5A for b in data[start:start + info.compress_size])
    book.write_bytes(bytes(data))
    [line] = _run("import-xlsx", book, "--office", ITNA, "--plans", plans_copy)
    assert line.startswith(f"Error: {book}: ফাইলটি .xlsx ওয়ার্কবুক হিসেবে পড়া যায় না (cannot read it as an .xlsx "
                           "workbook); এটি নষ্ট (damaged); Excel বা LibreOffice-এ খুলে .xlsx হিসেবে আবার সংরক্ষণ "
                           "করুন (save it again as .xlsx) ["), line
    assert _bengali_first(line.removeprefix(f"Error: {book}: "))


def test_xlsx_template_for_an_unknown_document_suggests_the_right_one_in_bengali(plans_copy, tmp_path):
    out = tmp_path / "nis.xlsx"
    [line] = _run("xlsx-template", out, "--office", ITNA, "--document", "niss", "--plans", plans_copy)
    assert line == ("Error: অজানা দলিল (unknown document) 'niss'; আপনি কি 'nis' লিখতে চেয়েছিলেন? (did you mean "
                    "'nis'?); --document-এ লিখুন nis, egov, grs, cc, rti, apa বা charter")
    [line] = _run("xlsx-template", out, "--office", "itna-upazila", "--document", "nis", "--plans", plans_copy)
    assert line.startswith(f"Error: অজানা অফিস (unknown office) 'itna-upazila': {plans_copy}/itna-upazila/office.yaml "
                           "নেই"), line
    assert not out.exists()


def test_xlsx_template_takes_the_quarter_in_bengali_digits_and_says_which_in_bengali(plans_copy, tmp_path):
    out = tmp_path / "nis-q3.xlsx"
    result = CliRunner().invoke(main, ["xlsx-template", str(out), "--office", ITNA, "--document", "nis", "--quarter", "৩",
                                       "--plans", str(plans_copy)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "অগ্রগতির শিট (progress sheet): nis ২০২৩-২৪, কোয়ার্টার ৩; আগেই জমা (already reported): কোয়ার্টার ১",
        f"লেখা হয়েছে (wrote) {out}"]
    lines = _run("xlsx-template", tmp_path / "q5.xlsx", "--office", ITNA, "--document", "nis", "--quarter", "৫",
                 "--plans", plans_copy, code=2)  # a usage error
    assert lines[-1] == ("Error: Invalid value for '--quarter': কোয়ার্টার (quarter) ১ থেকে ৪-এর একটি পূর্ণ সংখ্যা হতে "
                         "হবে, লেখা আছে '৫'; লিখুন যেমন ১")


def test_new_office_with_a_bad_slug_or_an_unknown_parent_answers_in_bengali(plans_copy):
    base = ["new-office", "--name", "উপজেলা সমবায় কার্যালয়, উদাহরণ", "--level", "upazila", "--plans", plans_copy]
    [line] = _run(*base, "Example_Office", "--parent", "kishoreganj-district-cooperative")
    assert line == ("Error: 'Example_Office' নিরাপদ slug নয় (not a safe slug): ছোট হাতের ইংরেজি অক্ষর ও অঙ্ক, মাঝে "
                    "একটি করে '-' দিয়ে লিখুন, সর্বোচ্চ ৮০ অক্ষর; যেমন itna-upazila-cooperative")
    [line] = _run(*base, "example-office", "--parent", "kishoregonj-district-cooperative")
    assert line == ("Error: অজানা ওপরের অফিস (unknown parent office) 'kishoregonj-district-cooperative'; আপনি কি "
                    "'kishoreganj-district-cooperative' লিখতে চেয়েছিলেন? (did you mean "
                    "'kishoreganj-district-cooperative'?); --parent-এ এমন অফিসের slug দিন যার plans/<slug>/office.yaml "
                    "আছে")
    [line] = _run(*base, "example-office", "--parent", "kishoreganj-district-cooperative", "--documents", "charter,nsi")
    assert line.startswith("Error: --documents-এ অজানা দলিল (unknown document) nsi; আপনি কি 'nis' লিখতে চেয়েছিলেন?")
    assert not (plans_copy / "example-office").exists()


def test_a_workbook_named_with_a_line_break_cannot_write_a_key_into_the_imported_yaml(plans_copy, tmp_path):
    """The imported file names its workbook in a comment; a line break in the name stays inside it."""
    book = _book(tmp_path / "q2\nletter: {memo: forged}\n#.xlsx", "২", "১")
    result = CliRunner().invoke(main, ["import-xlsx", str(book), "--office", ITNA, "--plans", str(plans_copy)])
    assert result.exit_code == 0, result.output
    written = (plans_copy / ITNA / "2023-24" / "nis-q2.yaml").read_text(encoding="utf-8").splitlines()
    assert written[1] == ("# `build_site.py import-xlsx` লিখেছে (imported) q2\\nletter: {memo: forged}\\n#.xlsx থেকে, "
                          "শিট 'NIS'।")
    assert written[2] == "kind: progress" and not any(line.startswith("letter:") for line in written)


def test_a_workbook_with_drop_down_lists_prints_no_english_library_warning(plans_copy, tmp_path):
    """Office workbooks often carry data validation (drop-down lists), which openpyxl announces in English
    with a path into its source; sebabox reads only values, so the clerk sees only sebabox's own lines."""
    import subprocess
    import sys

    from conftest import ROOT

    plain = _book(tmp_path / "plain.xlsx", "২", "১")
    book = tmp_path / "dropdowns.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(book, "w") as out:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}"/>'
                                                     b"</extLst></worksheet>")
            out.writestr(item, data)
    result = subprocess.run([sys.executable, str(ROOT / "build_site.py"), "import-xlsx", str(book), "--office", ITNA,
                             "--plans", str(plans_copy)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr and "openpyxl" not in result.stderr, result.stderr
    assert result.stdout.startswith("লেখা হয়েছে (wrote) "), result.stdout
