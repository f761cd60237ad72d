"""A full APA (scenario: a small hand-made agreement with quarter-1 progress): page sections, level scores,
governance marks carried from annex 4, and the PDF's portrait/landscape pages and contents."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from conftest import ROOT, pdf_text

FIXTURE = Path(__file__).parent / "fixtures" / "site_with_apa"
PAGE = "offices/sadar-upazila-office/2024-25/apa/index.html"
PDF = "pdf/sadar-upazila-office-2024-25-apa.pdf"


@pytest.fixture(scope="module")
def apa_site(tmp_path_factory):
    from sebabox.outputs.publish import build_site

    out = tmp_path_factory.mktemp("apa") / "site"
    build_site(ROOT / "mkdocs.yml", FIXTURE, out, search=False)
    return out


def _score_of(soup, indicator_id):
    return soup.find("tr", id=f"i-{indicator_id.replace('.', '-')}").find("td", class_="sb-score")


def test_apa_page_has_every_section_in_printed_order(apa_site):
    soup = BeautifulSoup((apa_site / PAGE).read_text(encoding="utf-8"), "html.parser")
    ids = [h["id"] for h in soup.find_all("h2") if h.get("id") not in (None, "toc")]
    assert ids[:9] == ["overview", "preamble", "section-1", "section-2", "section-3", "signatures",
                       "annex-1", "annex-2", "annex-3"]
    toc = [a.get_text(strip=True) for a in soup.select("nav.sb-toc a")]
    assert "সংযোজনী ৪: জাতীয় শুদ্ধাচার কৌশল কর্মপরিকল্পনা, ২০২৪-২৫" in toc
    assert "২৫ জুন ২০২৪ তারিখে এই বার্ষিক কর্মসম্পাদন চুক্তি স্বাক্ষরিত হলো" in soup.get_text(" ")


@pytest.mark.parametrize("indicator, score, rule", [
    ("1.1.1", "১৭", "লক্ষ্যমাত্রার ৮৫% স্তর"),      # 85 between উত্তম 80 and অতি উত্তম 90
    ("1.1.2", "১৭", "লক্ষ্যমাত্রার ৮৫% স্তর"),      # 13 days: lower is better
    ("2.1.1", "২৪", "লক্ষ্যমাত্রার ৮০% স্তর"),      # date on the উত্তম level
])
def test_apa_level_scores_are_computed_and_explained(apa_site, indicator, score, rule):
    soup = BeautifulSoup((apa_site / PAGE).read_text(encoding="utf-8"), "html.parser")
    cell = _score_of(soup, indicator)
    assert cell.get_text(strip=True) == score and rule in cell["title"]


def test_annex_score_is_carried_into_the_governance_area_and_total(apa_site):
    soup = BeautifulSoup((apa_site / PAGE).read_text(encoding="utf-8"), "html.parser")
    marks = [td for td in soup.select("td.sb-score") if "সংযোজনীর অর্জিত মান" in td.get("title", "")]
    assert marks[0].get_text(strip=True) == "৭.৫০"  # NIS ২২.৫০ / ৩০ × ১০
    assert soup.select_one(".sb-total-badge").get_text(" ", strip=True) == "অর্জিত মান: ৬৫.৫০ / ১০০"


def test_apa_pdf_has_portrait_prose_landscape_tables_and_bengali_page_numbers(apa_site):
    reader = PdfReader(apa_site / PDF)
    landscape = [float(p.mediabox.width) > float(p.mediabox.height) for p in reader.pages]
    assert not landscape[0] and not landscape[1]  # cover, contents
    assert any(landscape)
    pages = pdf_text(apa_site / PDF).split("\f")[: len(reader.pages)]
    assert "বার্ষিক কর্মসম্পাদন চুক্তি" in pages[0] and "০১ জুলাই, ২০২৪ - ৩০ জুন, ২০২৫" in pages[0]
    contents = pages[1]
    section3 = next(i for i, p in enumerate(pages, 1) if p.strip().startswith("সেকশন ৩"))
    assert landscape[section3 - 1]
    assert f"সেকশন ৩: কর্মসম্পাদন পরিকল্পনা {'০১২৩৪৫৬৭৮৯'[section3]}" in contents
    assert "সংযোজনী ৪: জাতীয় শুদ্ধাচার কৌশল কর্মপরিকল্পনা" in pages[-1]
    assert "করিম উদ্দিন" in " ".join(pages)
