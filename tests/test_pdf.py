"""PDFs for the সেবা বক্স: one per document and quarterly report, cached, real Bengali text."""

from __future__ import annotations

import json
import logging

from pypdf import PdfReader

from conftest import PLANS, ROOT, pdf_text


def _landscape(page) -> bool:
    box = page.mediabox
    return float(box.width) > float(box.height)


def test_every_document_and_report_in_offices_json_has_its_pdf(built_site):
    data = json.loads((built_site / "data/offices.json").read_text(encoding="utf-8"))
    pdfs = [d["pdf"] for o in data["offices"] for d in o["documents"]]
    assert len(pdfs) >= 7
    for pdf in pdfs:
        assert (built_site / pdf).read_bytes().startswith(b"%PDF-"), pdf
        assert pdf.startswith("pdf/") and pdf.isascii()


def test_plan_pdfs_are_a4_landscape_with_metadata_in_bengali(built_site):
    reader = PdfReader(built_site / "pdf/chapainawabganj-sadar-upazila-statistics-2023-24-egov.pdf")
    assert all(_landscape(p) for p in reader.pages)
    assert reader.metadata.author == "উপজেলা পরিসংখ্যান কার্যালয়, চাঁপাইনবাবগঞ্জ সদর, চাঁপাইনবাবগঞ্জ"
    assert reader.trailer["/Root"]["/Lang"] == "bn"
    text = pdf_text(built_site / "pdf/chapainawabganj-sadar-upazila-statistics-2023-24-egov.pdf")
    assert "ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা" in text
    assert "অসাধারণ ১০০%" in text  # the grouped five-level header


def test_the_font_is_embedded_and_subset(built_site):
    reader = PdfReader(built_site / "pdf/itna-upazila-cooperative-2023-24-nis.pdf")
    fonts = {str(f["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    # subset (TAG+Name) copies of the vendored fonts only: Noto Sans Bengali, and Noto Sans for Latin letters
    assert {name.split("+", 1)[1] for name in fonts} <= {"Noto-Sans-Bengali", "Noto-Sans-Bengali-Bold", "Noto-Sans-Latin",
                                                        "Noto-Sans-Latin-Bold"}, fonts
    assert all(name.startswith("/") and "+" in name for name in fonts), fonts


def test_a_short_charter_prints_portrait_with_only_its_own_columns(built_site):
    path = built_site / "pdf/jaintiapur-sub-registry-office-charter.pdf"
    reader = PdfReader(path)
    assert not _landscape(reader.pages[0])
    text = pdf_text(path)
    assert "দলিল নকল সরবরাহ" in text and "জেলা রেজিস্ট্রার" in text and "০১-০৭ দিন" in text
    # the document has no fee, documents, GRS, date or fiscal year: neither has its PDF
    for absent in ("সেবার মূল্য", "কাগজপত্র", "অভিযোগ প্রতিকার", "হালনাগাদ", "অর্থবছর"):
        assert absent not in text, absent


def test_a_second_build_with_nothing_changed_renders_no_pdf(tmp_path, caplog):
    from sebabox.outputs.publish import build_site

    build_site(ROOT / "mkdocs.yml", PLANS, tmp_path / "first", search=False)
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.sebabox"):
        build_site(ROOT / "mkdocs.yml", PLANS, tmp_path / "second", search=False)
    summary = [r.getMessage() for r in caplog.records if "PDF(s):" in r.getMessage()]
    assert summary and " 0 rendered" in summary[-1], summary


def test_a_plans_printed_signing_date_is_above_its_signature_in_the_pdf(built_site):
    """Seed 004's NIS plan is signed ১০/০৯/২০২৩: the PDF prints the date with the signature, as the paper does."""
    text = pdf_text(built_site / "pdf" / "rangpur-sadar-upazila-cooperative-2023-24-nis.pdf")
    assert "তারিখ: ১০/০৯/২০২৩ (মোঃ মাসুদ রানা)" in text, text[-400:]
