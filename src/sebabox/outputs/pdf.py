"""HTML -> print-grade PDFs with WeasyPrint: embedded subset Bengali font, cached, on all cores.

A PDF is rendered again only when its inputs change: the cache key is a hash of
the HTML (which includes the CSS), the font files, the WeasyPrint version and
the code that writes PDFs (this module and pdfunicode).
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Callable

from sebabox.outputs import pdfunicode

FONT_FILES = (
    "NotoSansBengali-Regular.ttf",
    "NotoSansBengali-Bold.ttf",
    "NotoSans-Regular-latin.ttf",  # Noto Sans Bengali has no Latin letters
    "NotoSans-Bold-latin.ttf",
)
FONT_SCHEME = "sebabox-font:"  # print.css names its fonts url("sebabox-font:NAME"); only those are fetched
RENDERING = ".rendering-"  # a render's temporary directory in the cache: .rendering-<pid>-…


@dataclass(frozen=True)
class PdfJob:
    html: str  # complete HTML document; its CSS names the fonts as sebabox-font:NAME
    target: str  # path relative to the site directory, e.g. pdf/x.pdf


@dataclass
class PdfStats:
    rendered: int = 0
    cached: int = 0
    pages: int = 0


def print_css() -> str:
    return files("sebabox.outputs").joinpath("templates/print.css").read_text(encoding="utf-8")


@functools.cache
def _code_digest() -> str:
    """The code that writes the PDFs: a change to it renders every PDF again."""
    source = "".join(Path(module.__file__).read_text(encoding="utf-8") for module in (sys.modules[__name__], pdfunicode))
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def _key(job: PdfJob, font_digest: str) -> str:
    import weasyprint

    text = f"{weasyprint.__version__}\n{_code_digest()}\n{font_digest}\n{job.html}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _font_digest(font_dir: Path) -> str:
    digest = hashlib.sha256()
    for name in sorted(FONT_FILES):
        digest.update((font_dir / name).read_bytes())
    return digest.hexdigest()


def _font_fetcher(font_dir: Path):
    """WeasyPrint's url_fetcher: our fonts by name, nothing else (no file or network reads from a page).

    Plan text is never searched and replaced: a title reading sebabox-font:… stays text."""
    from weasyprint import urls

    def font(url: str) -> bytes:
        name = url.removeprefix(FONT_SCHEME)
        if url.startswith(FONT_SCHEME) and name in FONT_FILES:
            return (font_dir / name).read_bytes()
        raise ValueError(f"not fetched in a PDF: {url[:80]}")

    if hasattr(urls, "URLFetcherResponse"):  # WeasyPrint 68 and later: a URLFetcher object

        class FontFetcher(urls.URLFetcher):
            def fetch(self, url, headers=None):
                return urls.URLFetcherResponse(url, font(url), {"Content-Type": "font/ttf"})

        return FontFetcher()
    return lambda url, *args, **kwargs: {"string": font(url), "mime_type": "font/ttf"}


def _render_one(args: tuple[str, str, str]) -> int:
    """Worker: render one PDF to `out`; returns its page count."""
    from weasyprint import HTML

    pdfunicode.install()
    html, out, font_dir = args
    document = HTML(string=html, url_fetcher=_font_fetcher(Path(font_dir))).render()
    tmp = out + ".tmp"
    document.write_pdf(tmp, finisher=pdfunicode.finish, pdf_variant="pdf/ua-1")
    os.replace(tmp, out)
    return len(document.pages)


def render_pdfs(jobs: list[PdfJob], site_dir: Path, cache_dir: Path, font_dir: Path,
                workers: int | None = None, progress: Callable[[str], None] = print) -> PdfStats:
    """Write every job's PDF under site_dir, taking unchanged ones from cache_dir.

    A cache entry is used only when its bytes match the SHA-256 stored beside it (x.pdf + x.sha256);
    a damaged or truncated entry is rendered again."""
    stats = PdfStats()
    cache_dir.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(cache_dir)
    digest = _font_digest(font_dir)
    todo, scheduled = [], set()
    for job in jobs:
        cached = cache_dir / f"{_key(job, digest)}.pdf"
        if cached not in scheduled and not _verified(cached):  # identical documents render once
            scheduled.add(cached)
            todo.append((job, cached))
    workers = workers or os.cpu_count() or 1
    if todo:
        progress(f"PDF: rendering {len(todo)} of {len(jobs)} on {min(workers, len(todo))} core(s)")
        _render_all(todo, cache_dir, font_dir, workers, stats, progress)
    stats.cached = len(jobs) - len(todo)
    for job in jobs:
        target = site_dir / job.target
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)  # an incremental build's copy holds hard links to the published site
        shutil.copyfile(cache_dir / f"{_key(job, digest)}.pdf", target)
    if stats.cached:
        progress(f"PDF: {stats.cached} unchanged, taken from the cache")
    return stats


def _render_all(todo: list, cache_dir: Path, font_dir: Path, workers: int, stats: PdfStats, progress) -> None:
    """Render into a temporary directory of this process; each finished PDF enters the cache with its hash.
    Workers die with the build (PR_SET_PDEATHSIG), the directory is removed on any failure, and one left
    by a killed build is removed by the next (its process is gone)."""
    tmp = Path(tempfile.mkdtemp(prefix=f"{RENDERING}{os.getpid()}-", dir=cache_dir))
    pool = None
    try:
        args = [(job.html, str(tmp / cached.name), str(font_dir)) for job, cached in todo]
        if len(todo) == 1 or workers == 1:
            results = map(_render_one, args)
        else:
            pool = ProcessPoolExecutor(max_workers=min(workers, len(todo)), initializer=_die_with_parent,
                                       initargs=(os.getpid(),))
            results = pool.map(_render_one, args)
        for done, ((job, cached), arg, pages) in enumerate(zip(todo, args, results), 1):
            _store(Path(arg[1]), cached)
            stats.rendered += 1
            stats.pages += pages
            progress(f"PDF {done}/{len(todo)}: {job.target} ({pages} page(s))")
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(tmp, ignore_errors=True)


def _die_with_parent(parent: int) -> None:
    """Pool initializer: the kernel kills this worker when the build process dies, even by kill -9."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the build died before the signal was armed
        os._exit(1)


def _sidecar(cached: Path) -> Path:
    return cached.with_suffix(".sha256")


def _verified(cached: Path) -> bool:
    try:
        expected = _sidecar(cached).read_text(encoding="ascii").strip()
        return hashlib.sha256(cached.read_bytes()).hexdigest() == expected
    except (OSError, UnicodeDecodeError):
        return False


def _store(rendered: Path, cached: Path) -> None:
    """Hash first, then the PDF: an entry interrupted half-way never verifies."""
    side = _sidecar(cached)
    tmp = rendered.with_suffix(".sha256")
    tmp.write_text(hashlib.sha256(rendered.read_bytes()).hexdigest() + "\n", encoding="ascii")
    os.replace(tmp, side)
    os.replace(rendered, cached)


def _remove_abandoned(cache_dir: Path) -> None:
    """Temporary render directories whose build process is gone (killed, or the machine stopped)."""
    for folder in cache_dir.glob(f"{RENDERING}*"):
        pid = folder.name.removeprefix(RENDERING).split("-", 1)[0]
        if not pid.isdigit() or not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
