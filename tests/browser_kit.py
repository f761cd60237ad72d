"""The built site in headless Chromium, shared by the browser tests: the shipped plans built once per
module (pages, open data, Pagefind index; no PDFs), served at a domain root and under a subpath, and a
Visit that records every request, response and page error.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import PLANS, ROOT

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

def _chromium() -> str | None:
    """$CHROMIUM, a Chromium on PATH (Debian's package), or Playwright's own build (Ubuntu, CI)."""
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    cache = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache" / "ms-playwright")
    builds = sorted(cache.glob("chromium-*/chrome-linux*/chrome"))
    return str(builds[-1]) if builds else None


CHROMIUM = _chromium()
if CHROMIUM is None:
    message = "Chromium is not installed (scripts/system-deps.sh installs it)"
    if os.environ.get("SEBABOX_BROWSER_REQUIRED"):  # CI: a missing browser is a failure, not a skip
        pytest.fail(message, pytrace=False)
    pytest.skip(message, allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"

# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The shipped plans built once (pages, open data, Pagefind index; no PDFs)."""
    from sebabox.outputs.publish import build_site

    out = tmp_path_factory.mktemp("browser") / "site"
    build_site(ROOT / "mkdocs.yml", PLANS, out, pdf=False, search=True)
    assert (out / "pagefind" / "pagefind-ui.js").is_file()
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


def _serve(directory: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def base_url(site):
    server = _serve(site)
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def subpath_url(site, tmp_path_factory):
    """The same site published under /sebabox/ of a larger web site."""
    host = tmp_path_factory.mktemp("host")
    (host / "sebabox").symlink_to(site, target_is_directory=True)
    server = _serve(host)
    yield f"http://127.0.0.1:{server.server_port}/sebabox/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def screens(tmp_path_factory) -> Path:
    target = Path(os.environ.get("SEBABOX_SCREENSHOTS") or tmp_path_factory.mktemp("screens"))
    target.mkdir(parents=True, exist_ok=True)
    return target


class Visit:
    """A fresh browser context at one viewport that remembers every request and response."""

    def __init__(self, browser, base_url: str, viewport: dict):
        self.base_url = base_url
        self.context = browser.new_context(viewport=viewport, service_workers="block")
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.responses: list = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("response", lambda response: self.responses.append(response))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self, path: str):
        self.page.goto(self.base_url + path, wait_until="networkidle")
        return self.page

    def offsite(self) -> list[str]:
        origin = urlsplit(self.base_url)[:2]
        return [url for url in self.requests
                if not url.startswith(("data:", "blob:")) and urlsplit(url)[:2] != origin]

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, base_url):
    visits = []

    def start(viewport=DESKTOP) -> Visit:
        visits.append(Visit(browser, base_url, viewport))
        return visits[-1]

    yield start
    for v in visits:
        v.close()


# --------------------------------------------------------------------------- helpers


def search(page, query: str) -> list[tuple[str, str]]:
    """Press '/' and type the query key by key; (title, href) of the results shown for the whole query."""
    if not page.evaluate("!!document.activeElement.closest('.sb-search')"):
        page.keyboard.press("/")
    page.keyboard.type(query)
    page.wait_for_function(
        """q => {
            const m = document.querySelector('.sb-search .pagefind-ui__message');
            const shown = document.querySelectorAll('.sb-search .pagefind-ui__result').length;
            const loaded = document.querySelectorAll('.sb-search .pagefind-ui__result-link').length;
            return m && m.textContent.includes('“' + q + '”') && m.textContent.includes('ফলাফল') && shown === loaded;
        }""", arg=query, timeout=15_000)  # each result fetches its title and excerpt by itself
    links = page.locator(".sb-search .pagefind-ui__result-link")
    return [(a.inner_text(), a.get_attribute("href")) for a in links.all()]


def show_all_results(page) -> list[tuple[str, str]]:
    """Press "আরও ফলাফল" (more results) until every result is shown; (title, href) of them all."""
    more = page.locator(".sb-search .pagefind-ui__button")
    while more.count():
        shown = page.locator(".sb-search .pagefind-ui__result").count()
        more.click()
        page.wait_for_function(
            """n => {
                const shown = document.querySelectorAll('.sb-search .pagefind-ui__result').length;
                return shown > n && shown === document.querySelectorAll('.sb-search .pagefind-ui__result-link').length;
            }""", arg=shown)
    links = page.locator(".sb-search .pagefind-ui__result-link")
    return [(a.inner_text(), a.get_attribute("href")) for a in links.all()]


def axe_violations(page, context: str | None = None) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async context => await axe.run(context ? document.querySelector(context) : document,
                                          {resultTypes: ['violations']})""", context)
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} — "
                     + "; ".join(" ".join(n["target"]) for n in v["nodes"][:4])
                     + (f" … {len(v['nodes'])} in all" if len(v["nodes"]) > 4 else "")
                     for v in violations)


