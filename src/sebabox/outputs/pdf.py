"""HTML -> print-grade PDFs with WeasyPrint: embedded subset Bengali font, cached, on all cores.

A PDF is rendered again only when its inputs change: the cache key is a hash of
the HTML (which includes the CSS), the font files and the WeasyPrint version.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Callable

FONT_FILES = {
    "{{FONT_REGULAR}}": "NotoSansBengali-Regular.ttf",
    "{{FONT_BOLD}}": "NotoSansBengali-Bold.ttf",
    "{{FONT_LATIN_REGULAR}}": "NotoSans-Regular-latin.ttf",  # Noto Sans Bengali has no Latin letters
    "{{FONT_LATIN_BOLD}}": "NotoSans-Bold-latin.ttf",
}


@dataclass(frozen=True)
class PdfJob:
    html: str  # complete HTML document with font placeholders in its CSS
    target: str  # path relative to the site directory, e.g. pdf/x.pdf


@dataclass
class PdfStats:
    rendered: int = 0
    cached: int = 0
    pages: int = 0


def print_css() -> str:
    return files("sebabox.outputs").joinpath("templates/print.css").read_text(encoding="utf-8")


def _key(job: PdfJob, font_digest: str) -> str:
    import weasyprint

    text = f"{weasyprint.__version__}\n{font_digest}\n{job.html}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _font_digest(font_dir: Path) -> str:
    digest = hashlib.sha256()
    for name in sorted(FONT_FILES.values()):
        digest.update((font_dir / name).read_bytes())
    return digest.hexdigest()


def _with_fonts(html: str, font_dir: Path) -> str:
    for placeholder, name in FONT_FILES.items():
        html = html.replace(placeholder, (font_dir / name).resolve().as_uri())
    return html


def _with_actual_text() -> None:
    """Make copied and extracted Bengali text read in logical order.

    A PDF maps each glyph to text once per font, but Bengali shaping reorders
    vowel signs (ি ে ৈ come before their consonant) and merges conjuncts, so
    the glyph map alone gives pdftotext "ন তকতা" for নৈতিকতা. Wrapping every
    drawn line in a /Span with /ActualText (PDF 1.5, read by poppler, pdf.js
    and Acrobat) gives readers the real string. WeasyPrint draws each line in
    `draw_first_line`; we wrap that one function.
    """
    import pydyf
    from weasyprint.draw import text as draw_text

    original = draw_text.draw_first_line
    if getattr(original, "_sebabox", False):
        return

    def draw_first_line(stream, textbox, *args, **kwargs):
        stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(textbox.text)}))
        try:
            return original(stream, textbox, *args, **kwargs)
        finally:
            stream.end_marked_content()

    draw_first_line._sebabox = True
    draw_text.draw_first_line = draw_first_line


def _render_one(args: tuple[str, str, str]) -> int:
    """Worker: render one PDF to `out`; returns its page count."""
    from weasyprint import HTML

    _with_actual_text()
    html, out, font_dir = args
    document = HTML(string=_with_fonts(html, Path(font_dir))).render()
    tmp = out + ".tmp"
    document.write_pdf(tmp)
    os.replace(tmp, out)
    return len(document.pages)


def render_pdfs(jobs: list[PdfJob], site_dir: Path, cache_dir: Path, font_dir: Path,
                workers: int | None = None, progress: Callable[[str], None] = print) -> PdfStats:
    """Write every job's PDF under site_dir, taking unchanged ones from cache_dir."""
    stats = PdfStats()
    cache_dir.mkdir(parents=True, exist_ok=True)
    digest = _font_digest(font_dir)
    todo, scheduled = [], set()
    for job in jobs:
        cached = cache_dir / f"{_key(job, digest)}.pdf"
        if not cached.exists() and cached not in scheduled:  # identical documents render once
            scheduled.add(cached)
            todo.append((job, cached))
    workers = workers or os.cpu_count() or 1
    if todo:
        progress(f"PDF: rendering {len(todo)} of {len(jobs)} on {min(workers, len(todo))} core(s)")
        with tempfile.TemporaryDirectory(dir=cache_dir) as tmp:
            args = [(job.html, str(Path(tmp) / cached.name), str(font_dir)) for job, cached in todo]
            if len(todo) == 1 or workers == 1:
                results = map(_render_one, args)
            else:
                pool = ProcessPoolExecutor(max_workers=min(workers, len(todo)))
                results = pool.map(_render_one, args)
            for done, ((job, cached), arg, pages) in enumerate(zip(todo, args, results), 1):
                os.replace(arg[1], cached)
                stats.rendered += 1
                stats.pages += pages
                progress(f"PDF {done}/{len(todo)}: {job.target} ({pages} page(s))")
            if len(todo) > 1 and workers > 1:
                pool.shutdown()
    stats.cached = len(jobs) - len(todo)
    for job in jobs:
        target = site_dir / job.target
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)  # an incremental build's copy holds hard links to the published site
        shutil.copyfile(cache_dir / f"{_key(job, digest)}.pdf", target)
    if stats.cached:
        progress(f"PDF: {stats.cached} unchanged, taken from the cache")
    return stats
