"""Every part of every seed is on its page and in its PDF, in the order the document prints it.

A reader holding one of the five printed documents (tests' seeds: /work/shared/seeds, transcribed in
plans/) finds each of its parts on the site and in the PDF: the tables, the signature under each annex,
the notes and attachments (সংযুক্তি), the provisional marker of last year's actuals with its footnote,
the governance block's actuals and projections, annex 2's কার্যক্রম column; and no column the document
does not have. Corrections and printed-vs-computed scores show both values and why.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT

PLANS = ROOT / "plans"
CHAPAI = "chapainawabganj-sadar-upazila-statistics"
ITNA = "itna-upazila-cooperative"
GHIOR = "ghior-upazila-social-services"
RANGPUR = "rangpur-sadar-upazila-cooperative"
SIGNATORY_000 = "মোঃ মঞ্জুরুল ইসলাম"
PROVISIONAL = "*সাময়িক (provisional) তথ্য"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from sebabox.outputs.publish import build_site

    out = tmp_path_factory.mktemp("seed-parts") / "site"
    build_site(ROOT / "mkdocs.yml", PLANS, out, pdf=True, search=False, progress=lambda *a: None)
    return out


def _flat(text: str) -> str:
    return " ".join(text.split())


def page_text(site: Path, office: str, year: str, kind: str) -> str:
    folder = (site / "national-templates" / year / kind.removeprefix("template-") if kind.startswith("template-")
              else site / "offices" / office / year / kind)  # a national template's page is in its own section
    html = (folder / "index.html").read_text(encoding="utf-8")
    main = BeautifulSoup(html, "html.parser").select_one("article") or BeautifulSoup(html, "html.parser")
    return _flat(main.get_text(" "))


def pdf_text(site: Path, office: str, year: str, kind: str) -> str:
    path = site / "pdf" / f"{office}-{year}-{kind}.pdf"
    out = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return _flat(out)


def _in_order(text: str, parts: list[str], where: str) -> None:
    """Each part is found, each after the one before it."""
    at = 0
    for part in parts:
        found = text.find(_flat(part), at)
        assert found >= 0, f"{where}: {part!r} not found after position {at} (found anywhere: {_flat(part) in text})"
        at = found + 1


# Per seed, per document: its parts in the order the document prints them.
SEEDS = {
    "000 Chapainawabganj Sadar statistics: annexes 4-7, each signed": [
        (CHAPAI, "2023-24", "nis", ["প্রাতিষ্ঠানিক ব্যবস্থা", "ক্রয়ের ক্ষেত্রে শুদ্ধাচার", SIGNATORY_000,
                                   "উপজেলা পরিসংখ্যান কর্মকর্তা"]),
        (CHAPAI, "2023-24", "egov", ["ই-নথির ব্যবহার বৃদ্ধি", SIGNATORY_000, "উপজেলা পরিসংখ্যান কর্মকর্তা"]),
        (CHAPAI, "2023-24", "grs", ["অভিযোগ", SIGNATORY_000, "উপজেলা পরিসংখ্যান কর্মকর্তা"]),
        (CHAPAI, "2023-24", "cc", ["প্রাতিষ্ঠানিক কার্যক্রম", "বাস্তবায়ন সক্ষমতা উন্নয়ন", SIGNATORY_000,
                                  "muhammadmujibul@gmail.com",
                                  "*** কার্যক্রম ১.২ ও ২.১ উপজেলা পর্যায়ের কার্যালয়ের ক্ষেত্রে প্রযোজ্য হবে না"]),
    ],
    "001 Itna NIS, July-September 2023 report and its letter": [
        (ITNA, "2023-24", "nis-q1", ["নৈতিকতা কমিটি সভা আয়োজন", "২৬/০৭/২০২৩", "সেবাবক্স হালনাগাদকৃত",
                                    "তারিখ: ২৬/০৯/২০২৩", "জেলা সমবায় অফিসার, কিশোরগঞ্জ",
                                    "মাহফুজুল আমিন", "০২২৯৭৭৬৩৭১৭", "uco.ima@gmail.com"]),
    ],
    "002 Ghior APA 2024-25 and its annexes": [
        (GHIOR, "2024-25", "apa", ["বার্ষিক কর্মসম্পাদন চুক্তি", "রূপকল্প", "প্রকৃত অর্জন", "২০২৩-২৪*",
                                   "৯৪.৯০%", "১০০.০০%", PROVISIONAL, "প্রকৃত অর্জন", PROVISIONAL,
                                   "সুশাসন ও সংস্কারমূলক কার্যক্রমের বাস্তবায়ন জোরদারকরণ",
                                   "শব্দসংক্ষেপ", "কর্মসম্পাদন ব্যবস্থাপনা ও প্রমাণক", "কার্যক্রম",
                                   "[১.১] বয়স্কভাতা প্রদান", "[১.১.১] ভাতা সুবিধাভোগী",
                                   "অন্য অফিসের সঙ্গে সংশ্লিষ্ট", "বয়স্কভাতা প্রদান", "পত্র যোগাযোগ ও ই-মেইল"]),
    ],
    "003 Cabinet Division's citizen charter action plan templates": [
        ("cabinet-division", "2023-24", "template-cc-district-upazila",
         ["প্রাতিষ্ঠানিক কার্যক্রম", "*** কার্যক্রম ১.২ ও ২.১ উপজেলা পর্যায়ের কার্যালয়ের ক্ষেত্রে প্রযোজ্য হবে না"]),
    ],
    "004 Rangpur Sadar APA 2023-24 and its annexes": [
        (RANGPUR, "2023-24", "apa", ["প্রস্তাবনা", "৯ জুন ২০২৩", "২০২২-২৩*", PROVISIONAL, "২০২২-২৩*", "০.০০০৮০",
                                     PROVISIONAL, "প্রাপ্ত নম্বর", "স্বাক্ষর", "সংযোজনী ১", "সংযোজনী ২",
                                     "সংযোজনী ৩"]),
        (RANGPUR, "2023-24", "nis", ["প্রাতিষ্ঠানিক ব্যবস্থা", "(মোঃ মাসুদ রানা)", "উপজেলা সমবায় অফিসার",
                                     "সংযুক্তি-০১", "ক্রমিক নং", "বাস্তবায়ন প্রক্রিয়া", "প্রমাণক হিসাবে যা থাকবে",
                                     "পরিষ্কার-পরিচ্ছন্নতা বৃদ্ধি", "অফিস আদেশ জারীর পত্র ও ছবি",
                                     "(মোঃ মাসুদ রানা)"]),
        (RANGPUR, "2023-24", "cc", ["*** কার্যক্রম ১.২ ও ২.১ উপজেলা পর্যায়ের কার্যালয়ের ক্ষেত্রে প্রযোজ্য হবে না"]),
    ],
}


@pytest.mark.parametrize("seed", SEEDS)
def test_each_part_of_the_seed_is_on_its_page_in_the_printed_order(site, seed):
    for office, year, kind, parts in SEEDS[seed]:
        _in_order(page_text(site, office, year, kind), parts, f"page {office}/{year}/{kind}")


@pytest.mark.parametrize("seed", SEEDS)
def test_each_part_of_the_seed_is_in_its_pdf_text_in_the_printed_order(site, seed):
    for office, year, kind, parts in SEEDS[seed]:
        _in_order(pdf_text(site, office, year, kind), parts, f"PDF {office}-{year}-{kind}")


def test_the_full_apa_pdf_carries_each_annex_with_its_signature_and_attachment(site):
    text = pdf_text(site, RANGPUR, "2023-24", "apa")
    _in_order(text, ["সংযোজনী ৩", "সংযোজনী ৪", "(মোঃ মাসুদ রানা)", "সংযুক্তি-০১", "সংযোজনী ৫", "সংযোজনী ৬",
                     "সংযোজনী ৭", "*** কার্যক্রম ১.২ ও ২.১", "সংযোজনী ৮"], "Rangpur APA PDF")


def test_annex_2_has_the_documents_columns_and_annex_3_no_empty_one(site):
    html = (site / "offices" / RANGPUR / "2023-24" / "apa" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    annex2 = next(t for t in soup.select("table") if t.caption and "প্রমাণক" in t.caption.get_text())
    assert [th.get_text(strip=True) for th in annex2.select("thead th")] == [
        "কার্যক্রম", "কর্মসম্পাদন সূচকসমূহ", "বাস্তবায়নকারী অনুবিভাগ, অধিশাখা, শাখা", "লক্ষ্যমাত্রা অর্জনের প্রমাণক"]
    first = [td.get_text(" ", strip=True) for td in annex2.select("tbody tr")[0].select("td")]
    assert first[0].startswith("[১.১] ") and first[1].startswith("[১.১.১] ")
    annex3 = next(t for t in soup.select("table") if t.caption and "অন্য অফিসের" in t.caption.get_text())
    heads = [th.get_text(strip=True) for th in annex3.select("thead th")]
    assert heads == ["কার্যক্রম", "কর্মসম্পাদন সূচক", "যেসকল অফিসের সাথে সংশ্লিষ্ট",
                     "সংশ্লিষ্ট অফিসের সাথে কার্যক্রম সমন্বয়ের কৌশল"]
    for row in annex3.select("tbody tr"):
        assert all(td.get_text(strip=True) for td in row.select("td")), row


def test_the_governance_block_shows_its_actuals_and_projections(site):
    soup = BeautifulSoup((site / "offices" / GHIOR / "2024-25" / "apa" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    table = next(t for t in soup.select("table") if t.caption and "আবশ্যিক কৌশলগত উদ্দেশ্য" in t.caption.get_text())
    heads = _flat(table.select_one("thead").get_text(" "))
    assert "প্রকৃত অর্জন" in heads and "প্রক্ষেপণ" in heads and "২০২২-২৩" in heads and "২০২৬-২৭" in heads
    grs = next(tr for tr in table.select("tbody tr") if "অভিযোগ প্রতিকার" in tr.get_text())
    cells = [re.sub(r"\[[০-৯]+\]", "", td.get_text("", strip=True)) for td in grs.select("td")]
    assert cells[3:8] == ["৪", "৪", "৪", "৪", "৪"], cells  # weight, actuals, projections (corrected from ৮)


# --------------------------------------------------------------------------- corrections, as a reader sees them


def test_a_corrected_weight_shows_a_numbered_note_with_the_printed_value_and_the_reason(site):
    soup = BeautifulSoup((site / "offices" / RANGPUR / "2023-24" / "apa" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    area = next(th for th in soup.select("tr.sb-area th") if th.get_text().startswith("৩."))
    ref = area.select_one("sup.sb-note-ref a")
    assert ref is not None, area
    note = _flat(soup.find(id=ref["href"][1:]).get_text(" "))
    assert "ছাপা দলিলে ছিল ১২" in note and "সংশোধনের কারণ" in note and "২২" in note
    pdf = pdf_text(site, RANGPUR, "2023-24", "apa")
    assert "ছাপা দলিলে ছিল ১২; সংশোধনের কারণ" in pdf
    assert "ছাপা দলিলে ছিল ০৭/০৬/২০২৬" in pdf  # the signing date


def test_the_itna_report_shows_the_printed_score_beside_the_computed_one_and_why(site):
    soup = BeautifulSoup((site / "offices" / ITNA / "2023-24" / "nis-q1" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    shown = _flat(soup.find("tr", id="i-1-2").select_one("td.sb-score").get_text(" "))
    assert shown.startswith("০.০২") and "ছাপা: ১" in shown
    total = _flat(soup.select_one("tr.sb-total").get_text(" "))
    assert "৮.৫২" in total and "ছাপা: ৯.৫০" in total and "ছাপা দলিলের সারিগুলোর যোগফল ৯.৫০" in total
    notes = _flat(soup.select_one("section.sb-notes").get_text(" "))
    assert "১.২ অর্জিত মান: ছাপা ১, নিয়মে ০.০২" in notes and "১ ÷ ১০০ × ২ = ০.০২" in notes
    pdf = pdf_text(site, ITNA, "2023-24", "nis-q1")
    assert "ছাপা: ৯.৫০" in pdf and "১.২ অর্জিত মান: ছাপা ১, নিয়মে ০.০২" in pdf


def test_the_rollup_shows_the_printed_total_beside_the_computed_one(site):
    page = site / "offices" / "kishoreganj-district-cooperative" / "compare-2023-24" / "index.html"
    text = _flat(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text(" "))
    assert "৮.৫২" in text and "ছাপা দলিলে ৯.৫০" in text and "সারি ১.২-এ ছাপা ১, নিয়মে ০.০২" in text


# --------------------------------------------------------------------------- numbers and lists as printed


def test_decimals_keep_the_places_the_document_prints(site):
    text = page_text(site, GHIOR, "2024-25", "apa")
    for printed in ("৯৪.৯০%", "১০০.০০%", "২৯.৬০%", "৯৩.০০"):
        assert printed in text, printed
    assert "০.০০০৮০" in page_text(site, RANGPUR, "2023-24", "apa")


def test_lists_and_charts_use_bengali_numbering(site):
    css = (ROOT / "theme_overrides" / "assets" / "css" / "sebabox.css").read_text(encoding="utf-8")
    assert re.search(r"\.md-typeset ol \{ list-style-type: bengali; \}", css)
    pdf = subprocess.run(["pdftotext", "-layout", str(site / "pdf" / f"{RANGPUR}-2023-24-apa.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    functions = [line.strip() for line in pdf.splitlines() if "সমবায় আদর্শে/দর্শনে উদ্বুদ্ধকরণ" in line]
    assert functions and functions[0].startswith("১. "), functions  # the PDF's list markers are Bengali
    assert not re.search(r"^\s*[0-9]+\. ", pdf, re.M)
    soup = BeautifulSoup((site / "offices" / ITNA / "2023-24" / "nis-q1" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    charts = _flat(" ".join(c.get_text(" ") for c in soup.select(".sb-charts")))
    assert "১.২" in charts and not re.search(r"[0-9]", charts), charts  # the charts' labels and values


def test_no_date_is_broken_inside_a_pdf_cell(site):
    """A date in a narrow column stays on one line: never "২৬/০৭/২০২" above "৩"."""
    broken = re.compile(r"(?<![০-৯/])[০-৯]{2}/[০-৯]{2}/(?:[০-৯]?|[০-৯]{3})(?![০-৯/])")
    pdfs = sorted((site / "pdf").glob("*.pdf"))
    assert len(pdfs) > 20
    for path in pdfs:
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert not broken.findall(text), (path.name, broken.findall(text))
