"""Seed 004 (Upazila Cooperative Office, Rangpur Sadar: APA 2023-24 with annexes 1-8): every fault printed in
the source that `check` can see is reported at its file and line; the shipped transcription checks clean.

The shipped plans hold the corrected values (each with a `# seed printed: …` comment); the fixture trees
under tests/fixtures/seed004/ restore one printed value each.
"""

from __future__ import annotations

import re

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sebabox import bengali
from seedcheck import line_of, run_check

ROOT = Path(__file__).resolve().parent.parent
SEED004 = Path(__file__).resolve().parent / "fixtures" / "seed004"
OFFICE = "rangpur-sadar-upazila-cooperative"
YEAR = Path("2023-24")


_check, _line_of = run_check, line_of


def _apa(fault: str) -> Path:
    return SEED004 / fault / OFFICE / YEAR / "apa.yaml"


# --------------------------------------------------------------------------- printed faults


def test_check_reports_area_3_weight_printed_12_for_indicators_of_22():
    path = _apa("area-weight")
    code, output = _check(SEED004 / "area-weight")
    assert code == 1
    assert (f"{path}:{_line_of(path, '    weight: ১২', whole=True)}: error: ক্ষেত্র (area) ক্রম ৩-এর মান (weight) ১২, "
            "কিন্তু এর সূচকগুলোর মান যোগ করলে ২২") in output
    assert (f"{path}:{_line_of(path, 'areas:', whole=True)}: error: সেকশন ৩-এর ক্ষেত্রগুলোর মান (৬০) আর সুশাসনের মান "
            "(৩০) মিলে ৯০, ১০০ নয় (total)") in output


def test_check_reports_governance_items_adding_up_to_34_with_grs_printed_8():
    path = _apa("governance-weight")
    code, output = _check(SEED004 / "governance-weight")
    assert code == 1
    assert (f"{path}:{_line_of(path, '  weight: ৩০', whole=True)}: error: সুশাসন ক্ষেত্রের (governance) মান ৩০, "
            "কিন্তু এর সূচকগুলোর মান যোগ করলে ৩৪") in output
    assert output.count(": error: ") == 1


def test_check_reports_a_signing_date_after_the_agreements_year():
    path = _apa("signing-date")
    code, output = _check(SEED004 / "signing-date")
    assert code == 1
    assert (f"{path}:{_line_of(path, 'signing_date: ০৭/০৬/২০২৬')}: error: স্বাক্ষরের তারিখ (signing_date) ০৭/০৬/২০২৬, "
            "চুক্তির অর্থবছর ২০২৩-২৪ শেষ হওয়ার (৩০/০৬/২০২৪) পরে") in output


def test_check_refuses_a_decimal_point_printed_as_a_comma():
    path = _apa("decimal-comma")
    line = _line_of(path, '"০,০০০৮০"')
    code, output = _check(SEED004 / "decimal-comma")
    assert code == 1
    for level, printed in (("অসাধারণ", "০,০০০৮০"), ("অতি উত্তম", "০,০০০৭০")):
        assert (f"{path}:{line}: error: areas ক্রম ১ › indicators ক্রম ১.১.২ › লক্ষ্যমাত্রার পাঁচ স্তর (levels)-এর "
                f"{level} ঘর: সংখ্যার কমা (comma) হাজারের ঘর ভাগ করছে না: '{printed}'; দশমিক বিন্দু হলে '.' লিখুন") in output


def test_thousands_separators_still_read():
    assert bengali.parse_decimal("১,২৩৪.৫০") == Decimal("1234.50")
    assert bengali.parse_decimal("১২,৩৪,৫৬৭") == Decimal("1234567")  # Indian grouping
    assert bengali.parse_decimal("2,946,315") == Decimal("2946315")
    for printed in ("০,০০০৮০", "৬,৩৮", "1,2345"):
        with pytest.raises(ValueError, match="does not group thousands"):
            bengali.parse_decimal(printed)


def test_check_warns_when_the_rti_report_dates_are_out_of_order():
    path = SEED004 / "rti-levels" / OFFICE / YEAR / "rti.yaml"
    code, output = _check(SEED004 / "rti-levels")
    assert code == 0
    assert (f"{path}:{_line_of(path, 'levels: [১৫-১০-২০২৩')}: warning: সূচক ২.১.১: লক্ষ্যমাত্রার স্তর (levels) "
            "১৫/১০/২০২৩ ০১/১০/২০২৩ ৩০/১১/২০২৩ - - ক্রমানুসারে নেই (not in order); এই সূচকে কম হলে ভালো") in output


# --------------------------------------------------------------------------- shipped plans


def test_shipped_transcription_of_seed_004_has_no_errors_and_no_warnings_its_kept_faults_are_marked():
    code, output = _check(ROOT / "plans")
    ours = (f"{OFFICE}/", "rangpur-district-cooperative/", "_templates/2023-24/rti-field.yaml")
    assert not [line for line in output.splitlines() if ": error: " in line and any(o in line for o in ours)]
    apa = ROOT / "plans" / OFFICE / YEAR / "apa.yaml"
    warned = [line for line in output.splitlines() if ": warning: " in line and any(o in line for o in ours)]
    assert warned == []  # the printed percentages over ১০০ are kept on purpose, marked `accepted:`
    assert _line_of(apa, "actuals: [{value: ১২৩, accepted: ")
    for field in ("actuals: {value: [১০০, ২৫৯], accepted: ", "levels: {value: [১৪২, ১৩৮, null, null, null], accepted: ",
                  "projections: {value: [১৪২, ১৪২], accepted: "):
        assert _line_of(apa, field)


def test_shipped_weights_add_up_as_corrected():
    from sebabox.errors import Problems
    from sebabox.inputs.load import load_plans

    catalog = load_plans(ROOT / "plans", Problems())
    apa = next(a.model for a in catalog.apas if a.model.office == OFFICE)
    assert [a.weight for a in apa.areas] == [24, 24, 22]
    assert [i.weight for i in apa.governance.items] == [10, 10, 4, 3, 3]
    plans = {p.model.kind: p.model for p in catalog.plans if p.model.office == OFFICE}
    assert sorted(plans) == ["cc", "egov", "grs", "nis", "rti"]
    assert {k: sum(a.weight for a in p.areas) for k, p in plans.items()} == {
        "nis": 10, "egov": 50, "grs": 25, "cc": 25, "rti": 3}


# --------------------------------------------------------------------------- the built page


@pytest.fixture(scope="module")
def rangpur_site(tmp_path_factory):
    """The Rangpur offices, their parents and the 2023-24 templates, built without PDFs or search."""
    from sebabox.outputs.publish import build_site

    plans = tmp_path_factory.mktemp("seed004") / "plans"
    for part in (OFFICE, "rangpur-district-cooperative", "department-of-cooperatives",
                 "rural-development-cooperatives-division", "_templates/2023-24"):
        shutil.copytree(ROOT / "plans" / part, plans / part)
    out = plans.parent / "site"
    build_site(ROOT / "mkdocs.yml", plans, out, pdf=False, search=False)
    return out


def test_rangpur_apa_page_shows_the_documents_own_cells(rangpur_site):
    page = rangpur_site / "offices" / OFFICE / "2023-24" / "apa" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    row = soup.find("tr", id="i-1-2-1")
    cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]
    assert cells[:5] == ["১.২.১ সমবায়ীদের পুঁজি বিনিয়োগের মাধ্যমে অতিরিক্ত কর্মসংস্থান",
                         "সমবায়ী সংগঠনের মাধ্যমে স্ব-কর্মসংস্থান (পুরুষ)", "সমষ্টি", "জন (লক্ষ)", "৩"]
    assert any(c.startswith("০.০০০৪০") for c in cells)  # corrected (printed ০,০০০৮০)
    date_row = [td.get_text(strip=True) for td in soup.find("tr", id="i-2-1-1").find_all("td")]
    assert "২৬/০৭/২০২৩" in date_row and "২৬/০৮/২০২৩" in date_row
    text = soup.get_text(" ")
    assert "৩. সমবায় সংগঠনের সক্ষমতা বৃদ্ধি ও উদ্যোক্তা সৃজন ..... ২২" in text
    # the corrected signing date, with its note number (printed ০৭/০৬/২০২৬)
    assert re.search(r"৯ জুন ২০২৩\s*(\[\s*[০-৯]+\s*\]\s*)?তারিখে এই বার্ষিক কর্মসম্পাদন চুক্তি স্বাক্ষরিত হলো", text)
    governance = [tr.get_text(" ", strip=True) for tr in soup.select("tr") if "অভিযোগ প্রতিকার কর্মপরিকল্পনা বাস্তবায়িত" in tr.get_text()]
    assert governance and " ৪ " in f" {governance[0]} "
    assert "বিআরডিবি ও কাল্ব।" in text


def test_rangpur_annex_pages_resolve_the_templates(rangpur_site):
    rti = rangpur_site / "offices" / OFFICE / "2023-24" / "rti" / "index.html"
    text = BeautifulSoup(rti.read_text(encoding="utf-8"), "html.parser").get_text(" ")
    assert "নির্ধারিত সময়ে বার্ষিক প্রতিবেদন প্রকাশিত" in text and "৩১/১০/২০২৩" in text
    grs = rangpur_site / "offices" / OFFICE / "2023-24" / "grs" / "index.html"
    assert "মাসিক প্রতিবেদন প্রেরিত" in grs.read_text(encoding="utf-8")
