"""Bengali copied or searched out of the PDFs: every indicator word, no junk character, in the readers
people use (poppler: Evince/Okular; PDFium: Chrome/Edge), in pypdf too, and tagged for screen readers."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import PLANS, ROOT, pdfium_text

FONTS = ROOT / "theme_overrides" / "assets" / "fonts"


@pytest.fixture(scope="module")
def shipped(built_site):
    """(PDF, phrases a reader searches for, the text the PDF was rendered from) for every published PDF."""
    from sebabox.inputs.check import check_plans
    from sebabox.outputs import pdf, render
    from sebabox.outputs.report import SiteDocuments
    from sebabox.tools.pdftext import document_phrases, source_text

    _, catalog = check_plans(PLANS)
    site = SiteDocuments.of(catalog)
    css = pdf.print_css()
    return [(built_site / doc.links.pdf, document_phrases(doc, site.annexes(doc)),
             source_text(render.document_print_html(doc, css, site.annexes(doc)))) for doc in site.docs + site.reports]


@pytest.mark.parametrize("reader", ["poppler", "pdfium"])
def test_every_indicator_word_copies_out_of_every_pdf_without_junk(shipped, reader):
    from sebabox.tools.pdftext import Measure, poppler_text

    extract = {"poppler": poppler_text, "pdfium": pdfium_text}[reader]
    measure, missing = Measure(), {}
    for path, phrases, source in shipped:
        lost = measure.add(phrases, extract(path), source)
        if lost:
            missing[path.name] = lost
    assert len(shipped) >= 20 and measure.words > 1000
    assert missing == {}
    assert dict(measure.junk) == {}


def _render(tmp_path: Path, text: str) -> Path:
    from weasyprint import HTML

    from sebabox.outputs import pdfunicode

    pdfunicode.install()
    html = (f"<html lang='bn'><style>@font-face {{font-family: B; src: url({(FONTS / 'NotoSansBengali-Regular.ttf').as_uri()})}}"
            f"body {{font-family: B; font-size: 14pt}}</style><body><p>{text}</p></body></html>")
    out = tmp_path / "out.pdf"
    HTML(string=html).write_pdf(out, finisher=pdfunicode.finish, pdf_variant="pdf/ua-1")
    return out


def test_a_reader_without_actual_text_reads_vowel_signs_and_conjuncts_in_order(tmp_path):
    # ি and ে are drawn before their consonant, ো around it, conjuncts as one glyph; ক appears alone and
    # inside clusters, so it needs codes of its own for each text it stands for.
    text = "কি কে কো ক অভিযোগ নৈতিকতা প্রকাশ ক্ষুদ্রঋণ স্টেকহোল্ডারগণের শুদ্ধাচার কৌশল"
    page = PdfReader(_render(tmp_path, text)).pages[0]
    # every character, in order (pypdf guesses word spaces from glyph positions: not what is tested here)
    assert re.sub(r"\s", "", unicodedata.normalize("NFC", page.extract_text())) == re.sub(r"\s", "", text)


def test_alias_codes_draw_the_same_glyphs(tmp_path):
    """The page looks exactly as WeasyPrint alone draws it: aliases map back to the same glyphs."""
    import pypdfium2
    from PIL import ImageChops
    from weasyprint import HTML
    from weasyprint.draw import text as draw_text

    text = "কি কে কো অভিযোগ প্রকাশ ক্ষুদ্রঋণ ক"
    ours = _render(tmp_path, text)
    patched = draw_text.draw_first_line
    draw_text.draw_first_line = patched.__wrapped__  # WeasyPrint's own
    try:
        html = (f"<html lang='bn'><style>@font-face {{font-family: B; src: url({(FONTS / 'NotoSansBengali-Regular.ttf').as_uri()})}}"
                f"body {{font-family: B; font-size: 14pt}}</style><body><p>{text}</p></body></html>")
        HTML(string=html).write_pdf(tmp_path / "plain.pdf")
    finally:
        draw_text.draw_first_line = patched
    images = [pypdfium2.PdfDocument(str(p))[0].render(scale=2).to_pil().convert("RGB") for p in (ours, tmp_path / "plain.pdf")]
    assert ImageChops.difference(*images).getbbox() is None
    codes = re.findall(rb"<([0-9a-f]{4})>", PdfReader(ours).pages[0].get_contents().get_data())
    assert any(int(code, 16) > 0x4000 for code in codes)  # aliases were drawn


def test_pdfs_are_tagged_with_language_title_and_actual_text(built_site):
    reader = PdfReader(built_site / "pdf/itna-upazila-cooperative-2023-24-nis.pdf")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "bn"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title.startswith("আঞ্চলিক/মাঠ পর্যায়ের কার্যালয়ের জাতীয় শুদ্ধাচার কৌশল")
    structure = root["/StructTreeRoot"].get_object()
    kinds = set(re.findall(r"'/S': '(/\w+)'", repr(_tree(structure))))
    assert {"/Document", "/Table", "/TH", "/TD"} <= kinds
    content = reader.pages[0].get_contents().get_data()
    assert b"/MCID" in content and b"/ActualText" in content


def _tree(node, depth=0):
    node = node.get_object()
    if depth > 12 or not isinstance(node, dict):
        return None
    children = node.get("/K")
    children = children if isinstance(children, list) else [children] if children is not None else []
    return {"/S": node.get("/S"), "kids": [_tree(kid, depth + 1) for kid in children]}


def test_weasyprint_is_pinned_to_the_release_the_text_patch_was_written_for():
    import weasyprint
    from weasyprint.draw import text as draw_text

    from sebabox.outputs import pdfunicode

    pin = next(d for d in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
               if d.lower().startswith("weasyprint"))
    assert pin == "weasyprint>=70,<71", pin
    assert weasyprint.__version__.split(".")[0] == "70"
    pdfunicode.install()
    assert draw_text.draw_first_line._sebabox


def test_a_glyph_with_width_reads_no_combining_mark_for_pdf_js():
    """pdf.js takes a glyph whose text holds a nonspacing mark for a zero-width mark and then reads a space
    after it (প্র কাশ): marks go to a zero-width glyph of the cluster, or to an empty carrier glyph."""
    from sebabox.outputs.pdfunicode import plan

    assert plan("প্র", [True], carriers=True) == [("প", "্র")]  # a conjunct drawn as one glyph
    assert plan("ক্ষু", [True, False], carriers=True) == [("ক", ""), ("্ষু", "")]  # the ু glyph has no width
    assert plan("কি", [True, True], carriers=True) == [("ক", ""), ("ি", "")]  # ি is a spacing mark
    assert plan("প্র", [True], carriers=False) == [("প্র", "")]  # a font without an empty glyph
