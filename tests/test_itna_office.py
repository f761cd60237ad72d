"""Seed 001 end to end: the Itna upazila cooperative office's NIS plan with July-September 2023 progress."""

from __future__ import annotations

import csv
import io
import json

from bs4 import BeautifulSoup

from conftest import pdf_text

NIS_PAGE = "offices/itna-upazila-cooperative/2023-24/nis/index.html"
NIS_PDF = "pdf/itna-upazila-cooperative-2023-24-nis.pdf"


def _soup(site, page):
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


def _row_cells(soup, indicator_id):
    row = soup.find("tr", id=f"i-{indicator_id.replace('.', '-')}")
    assert row is not None, f"row {indicator_id} missing"
    return [c.get_text(" ", strip=True) for c in row.find_all(["td", "th"])]


def test_page_shows_the_seed_rows_in_bengali(built_site):
    soup = _soup(built_site, NIS_PAGE)
    cells = _row_cells(soup, "1.1")
    assert cells[:6] == ["১.১ নৈতিকতা কমিটি সভা আয়োজন", "সভা আয়োজিত", "২", "সংখ্যা", "নৈতিকতা কমিটি", "২"]
    assert "২৬/০৭/২০২৩" in _row_cells(soup, "3.1")
    text = soup.get_text(" ")
    assert "উপজেলা সমবায় কার্যালয়, ইটনা, কিশোরগঞ্জ" in text
    assert "হটনা" not in text  # the OCR misspelling is corrected


def test_page_scores_equal_the_printed_ones(built_site):
    soup = _soup(built_site, NIS_PAGE)
    # row: activity, indicator, weight, unit, responsible, target, label, q1-q4 targets, total, score, remarks
    score = {i: _row_cells(soup, i)[12] for i in ("1.1", "2.4", "3.1", "4.1", "4.2", "4.3")}
    assert score == {"1.1": "১", "2.4": "২", "3.1": "৪", "4.1": "০.৫০", "4.2": "০.৫০", "4.3": "০.৫০"}


def test_score_cell_explains_how_it_was_computed(built_site):
    soup = _soup(built_site, NIS_PAGE)
    cell = soup.find("tr", id="i-4-1").find("td", class_="sb-score")
    assert cell["title"] == "অর্জন ১ ÷ লক্ষ্যমাত্রা ৪ × মান ২ = ০.৫০"
    assert "সময়মতো, তাই পূর্ণ মান ৪" in soup.find("details", class_="sb-how").get_text()


def test_page_links_pdf_json_and_csv_that_exist(built_site):
    soup = _soup(built_site, NIS_PAGE)
    links = {a.get_text(strip=True): a["href"] for a in soup.select(".sb-downloads a")}
    page_dir = (built_site / NIS_PAGE).parent
    for href in links.values():
        assert (page_dir / href).resolve().is_file(), href
    assert links["PDF (সেবা বক্সের জন্য)"].endswith(NIS_PDF)


def test_page_shows_the_forwarding_letter(built_site):
    letter = _soup(built_site, NIS_PAGE).find("section", class_="sb-letter").get_text(" ", strip=True)
    assert "২৬/০৯/২০২৩" in letter
    assert "জেলা সমবায় অফিসার, কিশোরগঞ্জ।" in letter
    assert "(মাহফুজুল আমিন)" in letter


def test_pdf_is_a4_landscape_with_real_bengali_text(built_site):
    from pypdf import PdfReader

    reader = PdfReader(built_site / NIS_PDF)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    assert reader.metadata.title.startswith("আঞ্চলিক/মাঠ পর্যায়ের কার্যালয়ের জাতীয় শুদ্ধাচার কৌশল")
    assert reader.metadata.author == "উপজেলা সমবায় কার্যালয়, ইটনা, কিশোরগঞ্জ"
    text = pdf_text(built_site / NIS_PDF)
    for phrase in ("উপজেলা সমবায় কার্যালয়, ইটনা, কিশোরগঞ্জ", "নৈতিকতা কমিটি সভা আয়োজন",
                   "ক্রয় পরিকল্পনা ওয়েব সাইটে প্রকাশিত", "জেলা সমবায় অফিসার, কিশোরগঞ্জ।", "মাহফুজুল আমিন",
                   "২৬/০৯/২০২৩"):
        assert phrase in text, phrase


def test_pdf_repeats_the_header_row_and_numbers_pages_in_bengali(built_site):
    from pypdf import PdfReader

    pages = len(PdfReader(built_site / NIS_PDF).pages)
    assert pages >= 2
    text = pdf_text(built_site / NIS_PDF)
    per_page = text.split("\f")
    for number, page in enumerate(per_page[:pages], 1):
        assert "কার্যক্রমের নাম" in page or "প্রাপক" in page
        assert f"পৃষ্ঠা {'০১২৩৪৫৬৭৮৯'[number]}" in page


def test_offices_json_lists_every_office_with_its_documents(built_site):
    data = json.loads((built_site / "data/offices.json").read_text(encoding="utf-8"))
    itna = next(o for o in data["offices"] if o["slug"] == "itna-upazila-cooperative")
    assert itna["level"] == "upazila" and itna["parent"] == "kishoreganj-district-cooperative"
    nis = next(d for d in itna["documents"] if d["kind"] == "nis")
    assert nis["fiscal_year"] == "2023-24" and nis["score"] == "8.52"
    for key in ("page", "pdf", "json", "csv"):
        target = built_site / nis[key]
        assert (target / "index.html").is_file() if key == "page" else target.is_file()


def test_document_csv_opens_in_excel_with_bengali_and_scores(built_site):
    raw = (built_site / "data/itna-upazila-cooperative/itna-upazila-cooperative-2023-24-nis.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    by_id = {r["id"]: r for r in rows}
    assert len(rows) == 12
    assert by_id["4.1"]["score"] == "0.50" and by_id["4.1"]["weight"] == "2"
    assert by_id["3.1"]["target"] == "2023-07-26" and by_id["3.1"]["q1"] == "2023-07-26"
    assert by_id["1.1"]["activity"] == "নৈতিকতা কমিটি সভা আয়োজন"


def test_document_json_carries_targets_achievements_and_scores(built_site):
    data = json.loads((built_site / "data/itna-upazila-cooperative/itna-upazila-cooperative-2023-24-nis.json")
                      .read_text(encoding="utf-8"))
    rows = {i["id"]: i for a in data["areas"] for i in a["indicators"]}
    assert rows["1.1"]["achievements"] == {"q1": "1"} and rows["1.1"]["score"] == "1.00"
    assert rows["3.1"]["score"] == "4.00" and rows["4.3"]["score"] == "0.50"
    assert data["score"] == "8.52" and data["max_score"] == "30"


def test_site_loads_no_google_fonts_and_serves_its_own_bengali_font(built_site):
    for page in built_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html, page
    assert (built_site / "assets/fonts/NotoSansBengali-Regular.ttf").is_file()
    assert "NotoSansBengali-Regular.ttf" in (built_site / "assets/css/sebabox.css").read_text()
