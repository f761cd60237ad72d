"""PDF pages per second for the shipped plans: sebabox's pipeline next to bare WeasyPrint.

    python benchmarks/pdf_speed.py [PLANS_DIR]

Both sides render the same HTML documents. "bare" is one process calling
weasyprint.HTML(string=…).write_pdf() in a loop; "sebabox cold" is render_pdfs
with an empty cache on all cores (tagged PDF/UA, ActualText, per-glyph text codes); "sebabox warm"
is the same call again, when every PDF comes from the cache.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from sebabox.outputs import pdf, render  # noqa: E402
from sebabox.inputs.check import check_plans  # noqa: E402
from sebabox.outputs.report import SiteDocuments  # noqa: E402

FONTS = ROOT / "theme_overrides" / "assets" / "fonts"


def main() -> None:
    plans = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "plans"
    problems, catalog = check_plans(plans)
    if problems.errors:
        sys.exit("plans have errors; run build_site.py check")
    jobs = render.pdf_jobs(SiteDocuments.of(catalog))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        start = time.perf_counter()
        bare_pages = 0
        from weasyprint import HTML

        for i, job in enumerate(jobs):
            document = HTML(string=job.html, url_fetcher=pdf._font_fetcher(FONTS)).render()
            document.write_pdf(tmp / f"bare-{i}.pdf")
            bare_pages += len(document.pages)
        bare = time.perf_counter() - start

        quiet = lambda message: None  # noqa: E731
        start = time.perf_counter()
        stats = pdf.render_pdfs(jobs, tmp / "site", tmp / "cache", FONTS, progress=quiet)
        cold = time.perf_counter() - start
        start = time.perf_counter()
        again = pdf.render_pdfs(jobs, tmp / "site", tmp / "cache", FONTS, progress=quiet)
        warm = time.perf_counter() - start

    print(f"{len(jobs)} PDFs, {bare_pages} pages, {os.cpu_count()} core(s)")
    print(f"{'run':<28}{'seconds':>9}{'pages/s':>10}")
    print(f"{'bare WeasyPrint, 1 process':<28}{bare:>9.2f}{bare_pages / bare:>10.1f}")
    print(f"{'sebabox, cold cache':<28}{cold:>9.2f}{stats.pages / cold:>10.1f}")
    print(f"{'sebabox, warm cache':<28}{warm:>9.2f}{'(' + str(again.rendered) + ' rendered)':>10}")


if __name__ == "__main__":
    main()
