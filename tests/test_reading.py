"""Reading the site on a phone, a desktop and paper, in headless Chromium: plan tables whose key columns
are on screen at 390 px and fit at 1366 px, charts with readable Bengali text, a breadcrumb and Bengali
chrome on every page, the 404 page in three deployments, a browser print with every column, and the
page budgets (size, no other origin, sortable headers as buttons).

Screenshots go to $SEBABOX_SCREENSHOTS when set (e.g. /tmp/screens), else to pytest's temp dir.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from conftest import PLANS, ROOT
from sebabox.outputs.render import rollup_url

pytestmark = pytest.mark.browser

from browser_kit import (DESKTOP, PHONE, Visit, base_url, browser, screens, search, show_all_results,  # noqa: F401,E402
                         site, subpath_url, visit)

NIS = "offices/itna-upazila-cooperative/2023-24/nis/"
NIS_Q1 = "offices/itna-upazila-cooperative/2023-24/nis-q1/"
ITNA = "offices/itna-upazila-cooperative/"
APA = "offices/rangpur-sadar-upazila-cooperative/2023-24/apa/"
ROLLUP = rollup_url("rangpur-district-cooperative", "2023-24")
ASCII_DIGIT = re.compile(r"[0-9]")


def pages(site: Path) -> list[str]:
    """Every HTML page of the built site, as a path below its root ("" for the home page)."""
    found = []
    for html in sorted(site.rglob("*.html")):
        relative = html.relative_to(site).as_posix()
        if relative.startswith(("pagefind/", "assets/")):
            continue
        found.append(relative[: -len("index.html")] if relative.endswith("index.html") else relative)
    return found


def document_pages(site: Path) -> list[str]:
    """Every document, quarterly report and national template page, from the open data index."""
    data = json.loads((site / "data" / "offices.json").read_text(encoding="utf-8"))
    return [d["page"] for o in data["offices"] for d in o["documents"]]  # national templates are among their issuer's


def boxes(page, selector: str) -> list[dict]:
    return page.eval_on_selector_all(selector, """els => els.map(e => {
        const r = e.getBoundingClientRect(), s = getComputedStyle(e);
        return {left: r.left, right: r.right, width: r.width, height: r.height, text: e.innerText.trim(),
                size: parseFloat(s.fontSize), shown: s.display !== 'none' && s.visibility !== 'hidden'};
    })""")


# --------------------------------------------------------------------------- tables


@pytest.mark.parametrize("path", [NIS, NIS_Q1, "offices/rangpur-sadar-upazila-cooperative/2023-24/egov/", APA])
def test_phone_reader_sees_indicator_target_achievement_and_score_without_scrolling_sideways(visit, screens, path):
    v = visit(PHONE)
    page = v.open(path)
    page.screenshot(path=str(screens / f"table-phone-{path.strip('/').replace('/', '-')}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    rows = page.locator("table.sb-cards tr.sb-ind")
    assert rows.count() > 0
    needed = ["td.sb-indicator"]
    if page.locator("table.sb-cards thead th", has_text="মোট অর্জন").count():
        needed += ['td[data-label="মোট অর্জন"]', 'td[data-label="অর্জিত মান"]']
    needed.append('td[data-label="লক্ষ্যমাত্রা"]' if page.locator('td[data-label="লক্ষ্যমাত্রা"]').count()
                  else "td.sb-lv.sb-key")  # the APA's target is its first level (অসাধারণ)
    for selector in needed:
        cells = boxes(page, f"table.sb-cards tr.sb-ind > {selector}")
        assert len(cells) == rows.count(), selector
        for cell in cells:
            assert cell["shown"] and cell["width"] > 0, (selector, cell)
            assert 0 <= cell["left"] and cell["right"] <= PHONE["width"], (selector, cell)
            assert cell["size"] >= 12, (selector, cell)
    # the score of an indicator is on screen with its column's name
    first_score = page.locator('table.sb-cards tr.sb-ind > td[data-label="অর্জিত মান"]').first
    if first_score.count():
        label = first_score.evaluate("e => getComputedStyle(e, '::before').content")
        assert "অর্জিত মান" in label


@pytest.mark.parametrize("path, table, last_column", [
    ("", "table.sb-counts", "বকেয়া"),  # the national counts: year, offices, published, on time, late, overdue
    ("offices/itna-upazila-cooperative/", "table.sb-grid", "৪র্থ"),  # an office's year: plan and four quarters
])
def test_supervisor_on_a_phone_sees_a_status_table_whole_to_its_last_column(visit, screens, path, table, last_column):
    v = visit(PHONE)
    page = v.open(path)
    page.screenshot(path=str(screens / f"status-phone-{path.strip('/').replace('/', '-') or 'home'}.png"), full_page=True)
    wrap = page.locator(".sb-table-wrap", has=page.locator(table)).first
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth"), f"{table} scrolls sideways"
    last = page.locator(f"{table} thead th").last
    assert last.inner_text().strip() == last_column
    box = last.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    for cell in page.locator(f"{table} tbody tr").first.locator("td").all():
        box = cell.bounding_box()
        assert box and box["x"] + box["width"] <= PHONE["width"], box


def test_phone_area_and_subtotal_rows_read_as_text(visit):
    v = visit(PHONE)
    page = v.open(NIS)
    for area in boxes(page, "table.sb-cards tr.sb-area th"):
        assert area["text"].startswith(("১.", "২.", "৩.", "৪.", "৫.", "৬.")) and area["width"] > 300, area
    subtotals = boxes(page, "table.sb-cards tr.sb-subtotal > *")
    assert subtotals and all(s["right"] <= PHONE["width"] for s in subtotals)
    assert any(s["text"].startswith("উপমোট") for s in subtotals)
    assert any(s["text"] == "১.০২" for s in subtotals)  # area 1's score, as the seed prints it
    total = page.locator("table.sb-cards tr.sb-total").inner_text()
    assert "সর্বমোট অর্জিত মান" in total and "৮.৫২" in total


def test_desktop_plan_tables_show_every_column_without_scrolling(visit, site):
    v = visit(DESKTOP)
    overflowing = []
    for path in document_pages(site):
        page = v.open(path)
        for wrap in page.eval_on_selector_all(".sb-table-wrap:has(table.sb-cards)",
                                              "ws => ws.map(w => [w.scrollWidth, w.clientWidth])"):
            if wrap[0] > wrap[1] + 1:
                overflowing.append((path, wrap))
        assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"], path
    assert overflowing == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_table_that_still_scrolls_says_so(visit, site, viewport):
    """Wherever a table is wider than its box (the roll-up's many columns on a phone), a line above it says
    it scrolls sideways; where it fits, there is no such line."""
    v = visit(viewport)
    scrolling = 0
    for path in [ROLLUP, NIS, APA, "offices/naria-municipality/charter/"]:
        page = v.open(path)
        for wraps, hint in page.eval_on_selector_all(".sb-table-wrap", """ws => ws.map(w => {
                const h = w.previousElementSibling;
                return [[w.scrollWidth, w.clientWidth], h && h.classList.contains('sb-scroll-hint') && !h.hidden
                        && h.getBoundingClientRect().height > 0 ? h.innerText : null];
            })"""):
            scrolls = wraps[0] > wraps[1] + 1
            scrolling += scrolls
            assert (hint is not None) == scrolls, (path, wraps, hint)
            assert hint is None or "সরিয়ে" in hint
    if viewport is PHONE:
        assert scrolling  # the roll-up has more columns than a phone's width: its hint was seen


def test_sortable_headers_are_buttons_that_sort(visit):
    v = visit(DESKTOP)
    page = v.open(ROLLUP)
    headers = page.locator("table.sb-sortable thead th")
    assert headers.count() >= 2
    assert page.locator("table.sb-sortable thead th > button.sb-sort").count() == headers.count()
    button = page.locator("table.sb-sortable thead th > button.sb-sort").nth(1)
    button.focus()
    page.keyboard.press("Enter")
    assert headers.nth(1).get_attribute("aria-sort") == "descending"
    page.keyboard.press(" ")
    assert headers.nth(1).get_attribute("aria-sort") == "ascending"
    assert headers.nth(0).get_attribute("aria-sort") is None


# --------------------------------------------------------------------------- charts


def test_phone_charts_have_text_of_12px_or_more_in_bengali_digits_and_a_quarter_view(visit, screens):
    v = visit(PHONE)
    page = v.open(NIS)
    charts = page.locator("figure.sb-chart")
    assert charts.count() == 3  # quarters, areas, indicators
    charts.first.screenshot(path=str(screens / "chart-quarters-phone.png"))
    texts = boxes(page, "figure.sb-chart figcaption, figure.sb-chart .sb-bar-label, figure.sb-chart .sb-bar-value, "
                        "figure.sb-chart .sb-bar-name")
    assert texts
    for text in texts:
        assert text["size"] >= 12, text
        assert 0 <= text["left"] and text["right"] <= PHONE["width"], text
        assert not ASCII_DIGIT.search(text["text"]), text
    quarters = page.locator("figure.sb-chart--quarters ol > li")
    assert quarters.count() == 4
    assert [quarters.nth(i).locator(".sb-bar-label").inner_text() for i in range(4)] == [
        "১ম কোয়ার্টার", "২য় কোয়ার্টার", "৩য় কোয়ার্টার", "৪র্থ কোয়ার্টার"]
    q1 = quarters.nth(0).inner_text()
    assert "লক্ষ্যমাত্রা" in q1 and "৮.৫২ / ৩০" in q1  # the score achieved by the end of Q1, as in the table
    assert "প্রতিবেদন নেই" in quarters.nth(1).inner_text()


# --------------------------------------------------------------------------- navigation


def crumbs(page) -> list[tuple[str, str | None]]:
    return page.eval_on_selector_all("nav.sb-breadcrumb li", """lis => lis.map(li => {
        const a = li.querySelector('a'); return [li.innerText.trim(), a ? a.href : null];
    })""")


def test_every_page_has_a_breadcrumb_ending_at_itself(visit, site):
    v = visit(DESKTOP)
    for path in pages(site):
        page = v.open(path)
        trail = crumbs(page)
        assert trail, path
        assert trail[-1][1] is None and page.locator("nav.sb-breadcrumb [aria-current=page]").count() == 1, path
        assert all(href for _, href in trail[:-1]), path
        if path:
            assert trail[0] == ["প্রথম পাতা", v.base_url], (path, trail)


def test_report_breadcrumb_runs_from_the_ministry_to_the_quarter_and_each_crumb_leads_there(visit):
    v = visit(PHONE)
    page = v.open(NIS_Q1)
    trail = crumbs(page)
    assert [name for name, _ in trail] == [
        "প্রথম পাতা", "পল্লী উন্নয়ন ও সমবায় বিভাগ", "সমবায় অধিদপ্তর", "জেলা সমবায় কার্যালয়, কিশোরগঞ্জ",
        "উপজেলা সমবায় কার্যালয়, ইটনা, কিশোরগঞ্জ", "জাতীয় শুদ্ধাচার কৌশল কর্মপরিকল্পনা ২০২৩-২৪", "১ম কোয়ার্টার"]
    assert [href for _, href in trail[1:-1]] == [v.base_url + p for p in (
        "offices/rural-development-cooperatives-division/", "offices/department-of-cooperatives/",
        "offices/kishoreganj-district-cooperative/", ITNA, NIS)]
    for box in boxes(page, "nav.sb-breadcrumb li"):
        assert box["right"] <= PHONE["width"] and box["size"] >= 12, box


def test_quarter_cell_on_the_office_page_opens_that_quarters_report(visit):
    v = visit(DESKTOP)
    page = v.open(ITNA)
    row = page.locator("table.sb-docs tbody tr", has_text="শুদ্ধাচার")
    row.locator("a", has_text="১ম কোয়ার্টার").click()
    page.wait_for_url(v.base_url + NIS_Q1)
    assert "১ম কোয়ার্টার" in page.locator("h1").inner_text()


def test_office_without_documents_shows_the_offices_below_and_what_each_published(visit):
    v = visit(PHONE)
    page = v.open("offices/department-of-cooperatives/")  # publishes nothing itself
    below = page.locator("ul.sb-below")
    district = below.locator("li", has_text="জেলা সমবায় কার্যালয়, কিশোরগঞ্জ").first
    assert "এখনো কোনো দলিল প্রকাশিত হয়নি" in district.locator(".sb-published").first.inner_text()
    itna = district.locator("li", has_text="উপজেলা সমবায় কার্যালয়, ইটনা")
    assert itna.locator(".sb-published").inner_text() == "২০২৩-২৪: ১টি দলিল, ১টির ত্রৈমাসিক প্রতিবেদন"
    itna.locator("a", has_text="ইটনা").click()
    page.wait_for_url(v.base_url + ITNA)
    # one level up, the district lists each office below with its documents and latest report
    page = v.open("offices/kishoreganj-district-cooperative/")
    itna = page.locator("ul.sb-below > li", has_text="ইটনা")
    assert "জাতীয় শুদ্ধাচার কৌশল কর্মপরিকল্পনা" in itna.locator(".sb-published").inner_text()
    itna.locator("a", has_text="১ম কোয়ার্টার").click()
    page.wait_for_url(v.base_url + NIS_Q1)


def test_phone_drawer_leads_to_every_office_and_the_national_templates(visit, screens):
    v = visit(PHONE)
    page = v.open(NIS)
    page.locator("label.md-header__button[for=__drawer]").click()
    drawer = page.locator("nav.md-nav--primary")
    page.wait_for_timeout(300)
    page.screenshot(path=str(screens / "drawer-phone.png"))
    links = [t.strip() for t in drawer.locator("a.md-nav__link").all_inner_texts()]
    assert {"প্রথম পাতা", "সব দপ্তর", "জাতীয় টেমপ্লেট", "মান হিসাবের নিয়ম"} <= set(links), links
    drawer.locator("a.md-nav__link", has_text="সব দপ্তর").click()
    page.wait_for_url(v.base_url + "offices/")
    names = page.locator("nav.sb-hierarchy a").all_inner_texts()
    assert "পল্লী উন্নয়ন ও সমবায় বিভাগ" in names and "সমবায় অধিদপ্তর" in names


def test_national_templates_have_their_own_section_not_the_cabinet_divisions_documents(visit):
    v = visit(DESKTOP)
    page = v.open("offices/cabinet-division/")
    assert page.locator("table.sb-docs").count() == 0  # the division publishes no plan of its own here
    page = v.open("national-templates/")
    listed = page.locator("ul.sb-template-list > li > a")
    assert listed.count() == 12
    listed.first.click()
    assert page.url.startswith(v.base_url + "national-templates/")
    assert [name for name, _ in crumbs(page)][:2] == ["প্রথম পাতা", "জাতীয় টেমপ্লেট"]
    assert "জাতীয় টেমপ্লেট" in page.locator(".sb-template-note").inner_text()
    assert page.locator("table.sb-cards thead th", has_text="কোয়ার্টার").count() == 0  # no empty progress columns


@pytest.mark.parametrize("query", ["অভিযোগ", "তথ্য অধিকার"])
def test_search_ranks_real_offices_above_national_templates(visit, query):
    v = visit(DESKTOP)
    page = v.open("")
    search(page, query)
    hrefs = [href for _, href in show_all_results(page)]
    kind = {"অভিযোগ": "/grs/", "তথ্য অধিকার": "/rti/"}[query]
    templates = [i for i, href in enumerate(hrefs) if "/national-templates/" in href]
    plans = [i for i, href in enumerate(hrefs) if href.startswith("/offices/") and href.endswith(kind)]
    assert templates and plans, hrefs
    assert max(plans) < min(templates), hrefs  # every office's own plan on the subject comes first


# --------------------------------------------------------------------------- Bengali chrome


def data_words() -> set[str]:
    """Every Latin word the shipped plans themselves contain: those are content, not interface."""
    words: set[str] = set()
    for path in PLANS.rglob("*.yaml"):
        words.update(re.findall(r"[A-Za-z]+", path.read_text(encoding="utf-8")))
    return words


# names, not words: file formats and sizes, and on the data page the tools and standards it explains
FORMAT_NAMES = {"PDF", "JSON", "CSV", "ZIP", "KB", "MB", "UTF", "BOM", "Unicode", "Excel", "pandas", "Python",
                "frictionless", "Frictionless", "Data", "Package", "Table", "Schema"}
MENU_PATH = re.compile(r"[A-Za-z][\w/ ]*(?:\s*→\s*[^→।\n]*)+")  # Excel's menu as Excel shows it: Data → From Text/CSV → …
# রূপকল্প (Vision), অ্যাট্রিবিউশন ৪.০ (CC BY 4.0): a term's English name in brackets after it
BRACKETED = re.compile(r"(?<=[\u0980-\u09ff]) ?\([A-Za-z][A-Za-z0-9 ./-]*\)")
FILE_NAME = re.compile(r"[\w/.-]+\.(?:json|csv|pdf|zip|txt)\b")  # data/offices.json


def test_no_english_interface_text_on_any_page(visit, site):
    from sebabox.outputs.datapackage import TABLES

    allowed = data_words() | FORMAT_NAMES | {w for name in TABLES for w in name.split("_")}  # the data tables' names
    v = visit(PHONE)
    leaks = {}
    for path in pages(site):
        page = v.open(path)
        text = page.evaluate("""() => {
            const body = document.body.cloneNode(true);
            // names of settings and code, and passages marked as English (lang="en"), are not interface text
            body.querySelectorAll('code, pre, script, style, [lang]:not([lang="bn"])').forEach(e => e.remove());
            document.documentElement.appendChild(body);  // innerText needs a rendered element
            const parts = [body.innerText, document.title];
            body.remove();
            for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt]'))
                for (const a of ['aria-label', 'title', 'placeholder', 'alt'])
                    if (el.hasAttribute(a)) parts.push(el.getAttribute(a));
            return parts.join('\\n');
        }""")
        text = MENU_PATH.sub("", BRACKETED.sub("", FILE_NAME.sub("", text)))
        english = sorted(set(re.findall(r"[A-Za-z]+", text)) - allowed)
        if english:
            leaks[path] = english
    assert leaks == {}, leaks
    footer = v.open("").locator("footer").inner_text()
    assert "Material" not in footer and "সেবাবক্স" in footer


def test_footer_and_header_are_bengali_on_a_document_page(visit):
    v = visit(DESKTOP)
    page = v.open(NIS)
    assert "Made with" not in page.content()
    assert page.locator("html").get_attribute("lang") == "bn"


# --------------------------------------------------------------------------- 404 in three deployments


def _serve_with_404(root: Path, prefix: str):
    """A static server that answers a missing address under `prefix` with the site's own 404.html and
    status 404, as GitHub Pages and common server set-ups do."""
    import functools
    import http.server
    import threading

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002
            pass

        def send_error(self, code, message=None, explain=None):
            page = root / prefix.strip("/") / "404.html"
            if code != 404 or not self.path.startswith(prefix) or not page.is_file():
                return super().send_error(code, message, explain)
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def site_with_site_url(tmp_path_factory) -> Path:
    """The site built with SITE_URL set to a project subpath, as the publish workflow does."""
    from sebabox.outputs.publish import build_site

    patch = pytest.MonkeyPatch()
    patch.setenv("SITE_URL", "https://example.org/sebabox/")
    try:
        out = tmp_path_factory.mktemp("siteurl") / "site"
        build_site(ROOT / "mkdocs.yml", PLANS, out, pdf=False, search=True)
    finally:
        patch.undo()
    return out


@pytest.mark.parametrize("deployment", ["root", "subpath", "subpath-with-site-url"])
def test_404_page_is_bengali_styled_and_its_links_and_search_work(browser, site, site_with_site_url, tmp_path,
                                                                   screens, deployment):
    built = site_with_site_url if deployment == "subpath-with-site-url" else site
    prefix = "/" if deployment == "root" else "/sebabox/"
    host = built if prefix == "/" else tmp_path
    if prefix != "/":
        (tmp_path / "sebabox").symlink_to(built, target_is_directory=True)
    server = _serve_with_404(host, prefix)
    home = f"http://127.0.0.1:{server.server_port}{prefix}"
    v = Visit(browser, home, PHONE)
    try:
        response = v.page.goto(home + "offices/no-such-office/2023-24/nis/", wait_until="networkidle")
        assert response.status == 404
        page = v.page
        page.wait_for_function("getComputedStyle(document.querySelector('.md-header')).backgroundColor"
                               " === 'rgb(0, 106, 78)'", timeout=10_000)  # the site's stylesheet applies
        assert page.locator("h1").inner_text() == "পাতাটি পাওয়া যায়নি"
        page.screenshot(path=str(screens / f"404-{deployment}.png"))
        assert v.errors == []
        links = page.eval_on_selector_all("article a", "as => as.map(a => a.href)")
        assert home in links and home + "offices/" in links
        page.locator(".sb-search__open").click()
        results = search(page, "ইটনা")
        assert any(href.startswith(prefix + "offices/itna-upazila-cooperative/") or
                   href.startswith(home + "offices/itna-upazila-cooperative/") for _, href in results), results
        page.keyboard.press("Escape")
        page.locator("article a", has_text="সব দপ্তর").click()
        page.wait_for_url(home + "offices/")
        assert page.locator("h1").inner_text() == "সব দপ্তর"
        assert v.offsite() == []
    finally:
        v.close()
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------- print and budgets


@pytest.mark.parametrize("path, last_column_values", [(NIS, ["৮.৫২", "১.০২"]), (APA, [])], ids=["nis", "apa"])
def test_browser_print_of_a_plan_page_shows_every_column_on_a4(browser, base_url, tmp_path, path, last_column_values):
    v = Visit(browser, base_url, DESKTOP)
    try:
        page = v.open(path)
        headers = [h.strip() for h in page.locator("table.sb-cards thead th").all_inner_texts()]
        page.emulate_media(media="print")
        pdf = tmp_path / "print.pdf"
        page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    finally:
        v.close()
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                             check=True).stdout)  # pdftotext splits some conjuncts: প্রকৃ ত
    for header in headers:
        for word in header.split():  # a header wrapped over lines comes out between other cells' words
            assert word in text, (header, word)
    for value in last_column_values:
        assert value in text
    assert "অনুসন্ধান" not in text and "সরকারিদপ্তরেরপরিকল্পনাওঅগ্রগতি" not in text  # no header, search or footer
    # every word lies inside its page, and the table's pages are A4 landscape
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    sizes = {(float(w), float(h)) for w, h in re.findall(r'<page width="([\d.]+)" height="([\d.]+)"', bbox)}
    assert (841.92, 595.2) in {(round(w, 2), round(h, 2)) for w, h in sizes} or any(w > h for w, h in sizes)
    for page_xml in re.split(r"<page ", bbox)[1:]:
        width = float(re.search(r'width="([\d.]+)"', page_xml).group(1))
        for x_max in re.findall(r'xMax="([\d.]+)"', page_xml):
            assert float(x_max) <= width + 0.5


def test_every_page_is_at_most_150_kb(site):
    sizes = {path: (site / path / "index.html" if not path.endswith(".html") else site / path).stat().st_size
             for path in pages(site)}
    assert max(sizes.values()) <= 150_000, sorted(sizes.items(), key=lambda kv: -kv[1])[:3]
