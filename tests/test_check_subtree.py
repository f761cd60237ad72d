"""`check PATH` on any part of a plans folder: templates, offices and parents come from the plans/
folder it lies in, only the part's problems are shown, and the counts are of the part's files."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from sebabox.cli import main

GHIOR = "ghior-upazila-social-services"  # fills the 2024-25 national templates; parent offices elsewhere


def _check(path, cwd=None) -> tuple[int, str]:
    old = os.getcwd()
    if cwd:
        os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, ["check", str(path)])
    finally:
        os.chdir(old)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


@pytest.mark.parametrize("part, files", [
    (GHIOR, 7),                                   # an office: office.yaml and six documents
    (f"{GHIOR}/2024-25", 6),                      # a year folder
    (f"{GHIOR}/2024-25/nis.yaml", 1),             # one file that fills a national template
    ("_templates/2024-25", 5),                    # the templates alone
])
def test_an_office_a_year_folder_or_one_file_says_what_the_whole_check_says_of_it(plans_copy, part, files):
    code, output = _check(plans_copy / part)
    assert code == 0, output
    assert "অজানা টেমপ্লেট" not in output and "অজানা অফিস" not in output and "ঊর্ধ্বতন" not in output
    _, whole = _check(plans_copy)
    prefix = f"{plans_copy / part}"
    expected = [row for row in whole.splitlines() if row.startswith(prefix)]
    assert [row for row in output.splitlines() if ": warning: " in row or ": error: " in row] == expected
    assert output.strip().splitlines()[-1] == f"{files} file(s) checked: 0 error(s), {len(expected)} warning(s)"


def test_a_part_shows_its_own_problems_with_lines_and_not_the_others(plans_copy):
    itna = plans_copy / "itna-upazila-cooperative"
    q1 = itna / "2023-24" / "nis-q1.yaml"
    text = q1.read_text(encoding="utf-8")
    start = text.index("as_of: {value: ")
    end = text.index("\n", start)
    q1.write_text(text[:start] + "as_of: ২৬/০৯/২০২৩" + text[end:], encoding="utf-8")  # the early report, not accepted
    code, output = _check(q1)
    assert code == 0
    warned = [row for row in output.splitlines() if ": warning: " in row]
    assert warned and all(row.startswith(f"{itna / '2023-24' / 'nis-q1.yaml'}:") for row in warned), output
    assert "rangpur" not in output and "chapainawabganj" not in output


def test_an_error_in_the_part_is_found_and_an_unrelated_broken_file_elsewhere_is_not_read(plans_copy):
    (plans_copy / "rangpur-sadar-upazila-cooperative" / "2023-24" / "nis.yaml").write_text("kind: [\n", encoding="utf-8")
    target = plans_copy / GHIOR / "2024-25" / "grs.yaml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("template: grs-field", "template: grs-fild"), encoding="utf-8")
    code, output = _check(plans_copy / GHIOR)
    assert code == 1
    errors = [row for row in output.splitlines() if ": error: " in row]
    assert len(errors) == 1 and errors[0].startswith(f"{target}:") and "(did you mean 'grs-field'?)" in errors[0], output


def test_a_broken_office_file_the_part_depends_on_is_shown(plans_copy):
    office = plans_copy / GHIOR / "office.yaml"
    office.write_text(office.read_text(encoding="utf-8").replace("level: upazila", "level: upazilla"), encoding="utf-8")
    code, output = _check(plans_copy / GHIOR / "2024-25")
    assert code == 1 and f"{office}:" in output, output


def test_a_part_given_relative_to_the_current_folder_is_found(plans_copy):
    code, output = _check("2024-25/nis.yaml", cwd=plans_copy / GHIOR)
    assert code == 0, output
    assert output.strip().splitlines()[-1] == "1 file(s) checked: 0 error(s), 0 warning(s)"


def test_the_whole_folder_still_checks_as_before(plans_copy):
    code, output = _check(plans_copy)
    assert code == 0 and "0 error(s)" in output


def test_a_file_outside_any_plans_folder_is_read_alone_and_says_what_it_lacks(tmp_path):
    from conftest import PLANS

    lone = tmp_path / "nis.yaml"
    lone.write_text((PLANS / "itna-upazila-cooperative" / "2023-24" / "nis.yaml").read_text(encoding="utf-8"),
                    encoding="utf-8")
    (tmp_path / "unrelated").mkdir()
    (tmp_path / "unrelated" / "office.yaml").write_text("kind: [\n", encoding="utf-8")  # not read
    code, output = _check(lone)
    assert code == 1
    assert output.splitlines() == [
        f"{lone}:7: error: অজানা অফিস (unknown office) 'itna-upazila-cooperative'; plans/<slug>/office.yaml যোগ করুন "
        "বা office-এর slug ঠিক করুন",
        "1 file(s) checked: 1 error(s), 0 warning(s)",
    ]


def test_a_misspelt_path_is_an_error_not_an_empty_pass(plans_copy):
    missing = plans_copy / "itna-upazila-cooperative" / "2023-24" / "nis-q5.yaml"
    code, output = _check(missing)
    assert code == 1
    assert output.splitlines() == [f"{missing}:1: error: ফাইল বা ফোল্ডারটি পাওয়া যায়নি (not found); পথটি ঠিক করে লিখুন",
                                   "0 file(s) checked: 1 error(s), 0 warning(s)"]
