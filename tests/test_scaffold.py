"""`build_site.py new-office`: a new office with one plan per national template, passing `check` at once."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from sebabox.cli import main
from sebabox.inputs.check import check_plans
from sebabox import bengali
from sebabox.model import Level
from sebabox.tools.scaffold import new_office, templates_for

PARENT = "kishoreganj-district-cooperative"


def _new(plans, *args):
    result = CliRunner().invoke(main, ["new-office", *args, "--plans", str(plans)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_new_office_passes_check_and_appears_with_its_plans(plans_copy, check):
    result = _new(plans_copy, "bajitpur-upazila-cooperative", "--name", "উপজেলা সমবায় কার্যালয়, বাজিতপুর, কিশোরগঞ্জ",
                  "--level", "upazila", "--parent", PARENT, "--district", "কিশোরগঞ্জ", "--fiscal-year", "২০২৩-২৪")
    assert result.exit_code == 0, result.output
    office = plans_copy / "bajitpur-upazila-cooperative"
    assert f"তৈরি হয়েছে (created) {office / 'office.yaml'}" in result.output
    code, output = check(plans_copy)
    assert code == 0, output
    assert "bajitpur-upazila-cooperative" not in output  # no problem in the new files
    problems, catalog = check_plans(plans_copy)
    assert catalog.offices["bajitpur-upazila-cooperative"].model.parent == PARENT
    plans = {p.model.kind: p.model for p in catalog.plans if p.model.office == "bajitpur-upazila-cooperative"}
    # the 2023-24 national templates for upazila offices: nis-field, egov-field, grs-field, cc-district-upazila,
    # rti-field
    assert sorted(plans) == ["cc", "egov", "grs", "nis", "rti"]
    assert {p.template for p in plans.values()} == {"nis-field", "egov-field", "grs-field", "cc-district-upazila",
                                                    "rti-field"}
    nis = plans["nis"]
    assert nis.fiscal_year == "2023-24" and nis.areas, "the template's rows are resolved"
    assert all(ind.target is None for area in nis.areas for ind in area.indicators)
    cc = plans["cc"]
    assert cc.areas[0].indicators[0].levels is not None, "levels the template sets are kept"
    assert not [p for p in problems if "bajitpur" in p.file]


def test_new_office_tells_which_fiscal_year_was_used(plans_copy):
    _, catalog = check_plans(plans_copy)
    years = templates_for(catalog, Level.upazila)
    current = bengali.fiscal_year_of(dt.date.today())
    expected = current if current in years else max(years)
    result = _new(plans_copy, "new-upazila-office", "--name", "নতুন কার্যালয়", "--level", "upazila", "--parent", PARENT)
    assert result.exit_code == 0, result.output
    assert f"অর্থবছর (fiscal year) {bengali.bn_fiscal_year(expected)}" in result.output
    if expected != current:
        assert (f"upazila অফিসের জাতীয় টেমপ্লেট আছে এমন সর্বশেষ বছর (চলতি {bengali.bn_fiscal_year(current)}-এর এখনো নেই)"
                in result.output)
    written = sorted(p.name for p in (plans_copy / "new-upazila-office" / expected).iterdir())
    assert written == sorted(f"{t.document}.yaml" for _, t in years[expected])


def test_new_office_uses_the_current_fiscal_year_when_it_has_templates(plans_copy):
    result = new_office(plans_copy, "sept-office", "কার্যালয়", "district", "department-of-cooperatives",
                        today=dt.date(2023, 9, 1))
    assert result.fiscal_year == "2023-24"
    assert result.notes == ["অর্থবছর (fiscal year) ২০২৩-২৪, চলতি অর্থবছর"]
    names = sorted(p.relative_to(plans_copy).as_posix() for p in result.files)
    _, catalog = check_plans(plans_copy)
    documents = [t.document for _, t in templates_for(catalog, Level.district)["2023-24"]]
    assert {"nis", "egov", "grs", "cc"} <= set(documents)  # the field templates and cc-district-upazila
    assert names == sorted([*(f"sept-office/2023-24/{d}.yaml" for d in documents), "sept-office/office.yaml"])


def test_new_office_for_a_year_without_templates_writes_only_office_yaml(plans_copy, check):
    result = _new(plans_copy, "future-office", "--name", "কার্যালয়", "--level", "upazila", "--parent", PARENT,
                  "--fiscal-year", "২০৩০-৩১")
    assert result.exit_code == 0, result.output
    assert "২০৩০-৩১ অর্থবছরে upazila অফিসের জাতীয় টেমপ্লেট নেই (no national templates" in result.output
    assert "শুধু office.yaml লেখা হয়েছে (only office.yaml was written)" in result.output
    assert sorted(p.name for p in (plans_copy / "future-office").iterdir()) == ["office.yaml"]
    assert check(plans_copy)[0] == 0


def test_new_ministry_needs_no_parent_and_gets_its_templates(plans_copy, check):
    result = _new(plans_copy, "test-ministry", "--name", "পরীক্ষা মন্ত্রণালয়", "--level", "ministry")
    assert result.exit_code == 0, result.output
    assert (plans_copy / "test-ministry" / "2023-24" / "cc.yaml").is_file()  # cc-ministry sets every level
    result = _new(plans_copy, "test-divisional", "--name", "বিভাগীয় কার্যালয়", "--level", "division", "--parent", "test-ministry")
    assert result.exit_code == 0, result.output
    code, output = check(plans_copy)
    assert code == 0, output


@pytest.mark.parametrize("args, message", [
    (["itna-upazila-cooperative", "--level", "upazila", "--parent", PARENT],
     "Error: অফিস 'itna-upazila-cooperative' আগে থেকেই আছে (already exists"),
    (["new-office-x", "--level", "upazila", "--parent", "kishoreganj-district-coop"],
     "Error: অজানা ওপরের অফিস (unknown parent office) 'kishoreganj-district-coop'; আপনি কি "
     "'kishoreganj-district-cooperative' লিখতে চেয়েছিলেন? (did you mean 'kishoreganj-district-cooperative'?)"),
    (["New_Office", "--level", "upazila", "--parent", PARENT], "Error: 'New_Office' নিরাপদ slug নয় (not a safe slug)"),
    (["../escape", "--level", "upazila", "--parent", PARENT], "Error: '../escape' নিরাপদ slug নয় (not a safe slug)"),
    (["a--b", "--level", "upazila", "--parent", PARENT], "Error: 'a--b' নিরাপদ slug নয় (not a safe slug)"),
    (["nul", "--level", "upazila", "--parent", PARENT],
     "Error: 'nul' Windows-এ সংরক্ষিত ফাইলের নাম (a reserved file name on Windows)"),
    (["new-office-x", "--level", "county", "--parent", PARENT], "Error: অজানা স্তর (unknown level) 'county'"),
    (["new-office-x", "--level", "upazila"], "Error: --parent দরকার (required unless --level is ministry)"),
    (["new-office-x", "--level", "upazila", "--parent", PARENT, "--district", "কিশোর\x07গঞ্জ"],
     r"Error: 'কিশোর\u0007গঞ্জ'-এ একটি অদৃশ্য নিয়ন্ত্রণ অক্ষর আছে (control character U+0007)"),
    (["new-office-x", "--level", "upazila", "--parent", PARENT, "--fiscal-year", "2023-25"],
     "Error: --fiscal-year: অর্থবছর (fiscal year) '2023-25' পরপর দুই বছরের (জুলাই-জুন) হতে হবে"),
])
def test_new_office_refusals_are_one_clear_line_and_write_nothing(plans_copy, args, message):
    before = sorted(p.relative_to(plans_copy) for p in plans_copy.rglob("*"))
    result = _new(plans_copy, *args, "--name", "কার্যালয়")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(message), result.output
    assert "Traceback" not in result.output
    assert sorted(p.relative_to(plans_copy) for p in plans_copy.rglob("*")) == before
