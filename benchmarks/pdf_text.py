"""Can readers copy and search the Bengali of the shipped PDFs? One row per PDF reader's text engine.

    python benchmarks/pdf_text.py [--plans DIR] [--missing] [--keep DIR]

Renders every PDF the site publishes for PLANS (default plans/), extracts its text with
poppler (pdftotext: Evince, Okular), PDFium (Chrome, Edge; pypdfium2), pdf.js (Firefox;
pdfjs-dist run by node), MuPDF (PyMuPDF), pypdf and pdfminer.six, and prints, per
extractor, the share of the documents' indicator words found whole in the text and the
junk characters (characters the document does not contain: `=`, `7`, `ǂ`, U+FFFD …).

The Python extractors are `pip install -e ".[bench]"`; pdf.js is installed by npm into
the cache (.cache/pdfjs-VERSION, or under $SEBABOX_CACHE), never into the repository.
An extractor that is not installed is reported as such, not skipped silently.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from sebabox.inputs.check import check_plans  # noqa: E402
from sebabox.outputs import pdf, render  # noqa: E402
from sebabox.outputs.report import SiteDocuments  # noqa: E402
from sebabox.tools.pdftext import Measure, poppler_text, source_text, document_phrases  # noqa: E402

FONTS = ROOT / "theme_overrides" / "assets" / "fonts"
PDFJS_VERSION = "5.6.205"  # the pdf.js generation of current Firefox releases; its legacy build runs on node 20


def pdfium_text(path: Path) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:  # U+FFFE: PDFium's mark for a hyphen that ends a line (Chrome drops it when copying)
        return "\f".join(page.get_textpage().get_text_range().replace("\ufffe", "-") for page in document)
    finally:
        document.close()


def mupdf_text(path: Path) -> str:
    import pymupdf

    with pymupdf.open(path) as document:
        return "\f".join(page.get_text() for page in document)


def pypdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\f".join(page.extract_text() or "" for page in PdfReader(path).pages)


def pdfminer_text(path: Path) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(str(path))


def _pdfjs_dir() -> Path:
    cache = Path(os.environ.get("SEBABOX_CACHE") or ROOT / ".cache") / f"pdfjs-{PDFJS_VERSION}"
    if not (cache / "node_modules/pdfjs-dist/package.json").exists():
        if not shutil.which("npm"):
            raise RuntimeError("node/npm not installed")
        cache.mkdir(parents=True, exist_ok=True)
        (cache / "package.json").write_text('{"private": true}\n')
        print(f"installing pdfjs-dist {PDFJS_VERSION} into {cache.name}/ (once)", file=sys.stderr)
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund",
                        f"pdfjs-dist@{PDFJS_VERSION}"], cwd=cache, check=True)
    return cache


def pdfjs_texts(paths: list[Path]) -> dict[Path, str]:
    script = Path(__file__).with_name("pdfjs_text.mjs")
    out = subprocess.run(["node", str(script), str(_pdfjs_dir()), *map(str, paths)], capture_output=True,
                         text=True, check=True).stdout
    texts = json.loads(out)
    return {path: texts[str(path)] for path in paths}


def _one_by_one(extract):
    return lambda paths: {path: extract(path) for path in paths}


EXTRACTORS = {
    "poppler (pdftotext)": _one_by_one(poppler_text),
    "PDFium (pypdfium2)": _one_by_one(pdfium_text),
    "pdf.js (pdfjs-dist)": pdfjs_texts,
    "MuPDF (PyMuPDF)": _one_by_one(mupdf_text),
    "pypdf": _one_by_one(pypdf_text),
    "pdfminer.six": _one_by_one(pdfminer_text),
}


def render_shipped(plans: Path, out: Path) -> list[tuple[Path, list[str], str]]:
    """(PDF path, phrases, source text) for every PDF the site publishes."""
    problems, catalog = check_plans(plans)
    if problems.errors:
        sys.exit("plans have errors; run build_site.py check")
    site = SiteDocuments.of(catalog)
    css = pdf.print_css()
    docs = site.docs + site.reports
    jobs = [pdf.PdfJob(render.document_print_html(d, css, site.annexes(d)), d.links.pdf) for d in docs]
    start = time.perf_counter()
    stats = pdf.render_pdfs(jobs, out / "site", out / "cache", FONTS, progress=lambda message: None)
    print(f"{len(jobs)} PDFs, {stats.rendered} rendered ({stats.pages} pages) in "
          f"{time.perf_counter() - start:.1f} s, {stats.cached} from the cache")
    return [(out / "site" / job.target, document_phrases(d, site.annexes(d)), source_text(job.html))
            for d, job in zip(docs, jobs)]


def _junk_sample(counter) -> str:
    return " ".join(f"{c if c.isprintable() else '?'}(U+{ord(c):04X})×{n}" for c, n in counter.most_common(4))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=Path, default=ROOT / "plans")
    parser.add_argument("--keep", type=Path, help="render into this directory (and reuse its PDF cache)")
    parser.add_argument("--missing", action="store_true", help="list each extractor's words not found")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        documents = render_shipped(args.plans, args.keep or Path(tmp))
        paths = [path for path, _, _ in documents]
        print(f"{'extractor':<22}{'words found':>14}{'share':>9}{'junk chars':>12}  {'junk (most frequent)':<40}"
              f"{'seconds':>8}")
        for name, extract in EXTRACTORS.items():
            start = time.perf_counter()
            try:
                texts = extract(paths)
            except (ImportError, RuntimeError, OSError, subprocess.CalledProcessError) as error:
                print(f"{name:<22}  not measured: {error}")
                continue
            seconds = time.perf_counter() - start
            measure = Measure()
            missing = {path: measure.add(phrases, texts[path], source) for path, phrases, source in documents}
            print(f"{name:<22}{measure.found:>7}/{measure.words:<6}{measure.share:>9.1%}"
                  f"{sum(measure.junk.values()):>12}  {_junk_sample(measure.junk):<40}{seconds:>8.1f}")
            if args.missing:
                for path, lost in missing.items():
                    if lost:
                        print(f"    {path.name}: {' '.join(lost[:12])}{' …' if len(lost) > 12 else ''}")


if __name__ == "__main__":
    main()
