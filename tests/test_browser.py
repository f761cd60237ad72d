"""The built site in headless Chromium: the header search box typed into key by key, axe-core
accessibility checks, no request leaving the site, and phone and desktop screenshots.

Screenshots go to $SEBABOX_SCREENSHOTS when set (e.g. /tmp/screens), else to pytest's temp dir.
"""

from __future__ import annotations

import gzip
import time
import unicodedata

import pytest

from sebabox.outputs.render import rollup_url

pytestmark = pytest.mark.browser

from browser_kit import (AXE, DESKTOP, PHONE, Visit, axe_violations, base_url, browser, describe, screens, search,  # noqa: F401
                         show_all_results, site, subpath_url, visit)

PAGES = {
    "home": "",
    "office": "offices/itna-upazila-cooperative/",
    "document": "offices/itna-upazila-cooperative/2023-24/nis/",
    "charter": "offices/naria-municipality/charter/",
    "rollup": rollup_url("kishoreganj-district-cooperative", "2023-24"),
    "reporting status": "reporting/",
    # every other page type
    "office-without-documents": "offices/department-of-cooperatives/",
    "report": "offices/itna-upazila-cooperative/2023-24/nis-q1/",
    "apa": "offices/rangpur-sadar-upazila-cooperative/2023-24/apa/",
    "egov": "offices/rangpur-sadar-upazila-cooperative/2023-24/egov/",
    "offices": "offices/",
    "templates": "national-templates/",
    "template": "national-templates/2023-24/grs-field/",
    "scores": "scores/",
}

NUKTA = "\u09bc"
SAMABAY = "সমবা" + "য" + NUKTA  # cooperative, য় written decomposed (as NFC leaves it)
SAMABAY_COMPOSED = "সমবা" + "\u09df"  # the same word with the composed য় (U+09DF)

# query typed -> (URL of a page that must be among the results, words its result title must contain)
SEARCHES = {
    "শুদ্ধাচার": ("offices/itna-upazila-cooperative/2023-24/nis/", "শুদ্ধাচার"),
    "ইটনা": ("offices/itna-upazila-cooperative/", "উপজেলা সমবায় কার্যালয়, ইটনা"),
    # an activity of the Itna NIS plan (nis.yaml, indicator 2.4)
    "অকেজো মালামাল বিনষ্টকরণ": ("offices/itna-upazila-cooperative/2023-24/nis/", "শুদ্ধাচার"),
    # সমবায় (cooperative) typed both ways
    SAMABAY: ("offices/department-of-cooperatives/", "সমবায় অধিদপ্তর"),
    SAMABAY_COMPOSED: ("offices/department-of-cooperatives/", "সমবায় অধিদপ্তর"),
}


# --------------------------------------------------------------------------- search


@pytest.mark.parametrize("query", list(SEARCHES), ids=[f"q{i}" for i in range(len(SEARCHES))])
def test_search_box_finds_the_page_typed_key_by_key(visit, query):
    expected_url, title_words = SEARCHES[query]
    v = visit(DESKTOP)
    page = v.open(PAGES["document"])  # a nested page: paths must resolve from four levels down
    search(page, query)
    typed = page.locator(".sb-search .pagefind-ui__search-input").input_value()
    assert typed == query  # every key reached the box, the spelling unchanged (NFC applies to the search only)
    # the best result is about the query: what it highlights is the query's words, in the pages' NFC spelling
    marks = page.locator(".sb-search .pagefind-ui__result").first.locator("mark").all_inner_texts()
    words = unicodedata.normalize("NFC", query).split()
    assert marks and all(any(w in m for w in words) for m in marks), marks
    results = show_all_results(page)
    hrefs = ["/" + href.lstrip("/") for _, href in results]
    assert "/" + expected_url in hrefs, f"{query!r}: {results}"
    title = results[hrefs.index("/" + expected_url)][0]
    assert title_words in title, title
    excerpts = page.locator(".sb-search .pagefind-ui__result-excerpt").all_inner_texts()
    assert all(excerpts) and len(excerpts) == len(results)
    assert v.offsite() == [] and v.errors == []


def test_result_link_opens_the_page(visit):
    v = visit(DESKTOP)
    page = v.open(PAGES["rollup"])
    search(page, "ইটনা")
    page.locator(".sb-search .pagefind-ui__result-link", has_text="উপজেলা সমবায় কার্যালয়, ইটনা").first.click()
    page.wait_for_url(v.base_url + PAGES["office"])
    assert page.locator("h1").inner_text().startswith("উপজেলা সমবায় কার্যালয়, ইটনা")


def test_search_works_when_the_site_is_published_under_a_subpath(browser, subpath_url):
    v = Visit(browser, subpath_url, DESKTOP)
    try:
        page = v.open(PAGES["document"])
        results = search(page, "ইটনা")
        assert ("উপজেলা সমবায় কার্যালয়, ইটনা, কিশোরগঞ্জ", "/sebabox/" + PAGES["office"]) in results
        assert all(href.startswith("/sebabox/") for _, href in results)
        assert v.offsite() == [] and [r.url for r in v.responses if not r.ok] == []
    finally:
        v.close()


def test_a_copy_without_search_index_says_so(visit):
    v = visit(DESKTOP)
    v.page.route("**/pagefind/**", lambda route: route.fulfill(status=404, body="not here"))
    page = v.open(PAGES["office"])
    page.keyboard.press("/")
    page.keyboard.type("ইটনা")
    stub = page.locator(".sb-search__stub input")
    page.wait_for_function("document.querySelector('.sb-search__stub input').placeholder !== 'অনুসন্ধান করুন'")
    assert stub.get_attribute("placeholder") == "এই কপিতে অনুসন্ধান নেই"
    assert stub.input_value() == "ইটনা"


@pytest.mark.parametrize("key", ["/", "s", "f"])
def test_keyboard_shortcut_focuses_the_search_box(visit, key):
    v = visit(DESKTOP)
    page = v.open(PAGES["office"])
    assert page.evaluate("document.activeElement === document.body")
    page.keyboard.press(key)
    box = page.locator(".sb-search .pagefind-ui__search-input")
    page.wait_for_function("document.activeElement.classList.contains('pagefind-ui__search-input')")
    assert box.input_value() == ""  # the shortcut key itself is not typed into the box
    page.keyboard.type("ইটনা")
    page.wait_for_selector(".sb-search .pagefind-ui__result-link")
    page.keyboard.press("Escape")
    assert page.evaluate("!document.activeElement.closest('.sb-search')")


def test_phone_magnifier_opens_the_box_over_the_header(visit, screens):
    v = visit(PHONE)
    page = v.open(PAGES["office"])
    assert not page.locator(".sb-search .pagefind-ui__search-input").is_visible()
    page.locator(".sb-search__open").click()
    box = page.locator(".sb-search .pagefind-ui__search-input")
    assert box.is_visible()
    page.keyboard.type("শুদ্ধাচার")
    page.wait_for_selector(".sb-search .pagefind-ui__result-link")
    drawer = page.locator(".sb-search .pagefind-ui__drawer").bounding_box()
    assert drawer["x"] == 0 and drawer["width"] == PHONE["width"]  # results use the whole screen width
    page.screenshot(path=str(screens / "phone-search.png"))
    page.locator(".sb-search__close").click()
    assert not box.is_visible()


def test_bytes_downloaded_for_one_query(visit, capsys):
    v = visit(DESKTOP)
    page = v.open(PAGES["home"])
    assert not [url for url in v.requests if "/pagefind/" in url]  # nothing of the search before it is used
    start = time.monotonic()
    search(page, "শুদ্ধাচার")
    elapsed = time.monotonic() - start
    bodies = [(r.url, r.body()) for r in v.responses if "/pagefind/" in r.url and r.ok]
    raw = sum(len(body) for _, body in bodies)
    data = sum(len(body) for url, body in bodies if "/index/" in url or "/fragment/" in url)
    # what a compressing web server sends: the .js files gzip well; index, fragments and wasm are gzipped already
    sent = sum(len(gzip.compress(body)) if url.endswith(".js") else len(body) for url, body in bodies)
    with capsys.disabled():
        print(f"\nsearch: the first query downloads {raw:,} bytes from /pagefind/ in {len(bodies)} files "
              f"({data:,} of them index and excerpts; {sent:,} with gzip), results in {elapsed:.1f} s")
    assert raw - data < 300_000  # the search code: UI, Pagefind, its worker and wasm, whatever the site's size
    assert data < 200_000  # Pagefind loads only the index chunks of the words typed and the excerpts shown

    # a second query fetches only index and fragment data, no code
    before = len(v.responses)
    page.keyboard.press("Escape")
    search(page, "ইটনা")
    later = [r for r in v.responses[before:] if "/pagefind/" in r.url]
    assert all("/index/" in r.url or "/fragment/" in r.url for r in later), [r.url for r in later]
    assert v.offsite() == []


def test_search_results_pass_axe(visit):
    for viewport in (DESKTOP, PHONE):
        v = visit(viewport)
        page = v.open(PAGES["home"])
        if viewport is PHONE:
            page.locator(".sb-search__open").click()
        search(page, "সমবায়")
        found = axe_violations(page, ".sb-search")
        assert not found, describe(found)


# --------------------------------------------------------------------------- every page kind


@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_serious_axe_violations_and_stays_on_site(visit, screens, name):
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        v = visit(viewport)
        page = v.open(PAGES[name])
        page.screenshot(path=str(screens / f"{name}-{label}.png"))
        found = axe_violations(page)
        assert not found, f"{name} ({label}):\n{describe(found)}"
        assert v.offsite() == [], v.offsite()
        assert v.errors == []
        assert [r.url for r in v.responses if not r.ok] == []
        assert not [url for url in v.requests if "search_index.json" in url or "/lunr/" in url]  # no Material search


def test_desktop_search_screenshot(visit, screens):
    v = visit(DESKTOP)
    page = v.open(PAGES["office"])
    search(page, "সমবায়")
    page.screenshot(path=str(screens / "desktop-search.png"))
    panel = page.locator(".sb-search .pagefind-ui__drawer").bounding_box()
    assert panel["x"] + panel["width"] <= DESKTOP["width"]  # the results panel stays on screen


# --------------------------------------------------------------------------- the document as printed


def test_a_reader_on_a_phone_follows_a_note_from_the_cell_and_lists_number_in_bengali(visit, screens):
    """The Itna report's row ১.২: the printed score beside the computed one, its note one tap away;
    ordered lists are numbered ১। / ১. as the documents print them, and the page passes axe."""
    v = visit(PHONE)
    page = v.open("offices/itna-upazila-cooperative/2023-24/nis-q1/")
    cell = page.locator("tr#i-1-2 td.sb-score")
    assert "ছাপা: ১" in cell.inner_text()
    cell.locator("sup.sb-note-ref a").click()
    note = page.locator("section.sb-notes li:target")
    assert "নিয়মে ০.০২" in note.inner_text() and note.is_visible()
    page.screenshot(path=str(screens / "note-phone.png"))
    # numbered lists of the document (not the breadcrumb's trail or a chart's bars, which show no numbers)
    styles = page.evaluate("[...document.querySelectorAll('article ol:not(.sb-note-list, .sb-bars, nav.sb-breadcrumb ol)')]"
                           ".map(ol => getComputedStyle(ol).listStyleType)")
    assert styles and set(styles) <= {"bengali", "bengali-dari"}, styles
    found = axe_violations(page)
    assert not found, describe(found)


# --------------------------------------------------------------------------- citizen's charter on a phone

CHARTERS = ["offices/naria-municipality/charter/", "offices/doail-union-parishad/charter/",
            "offices/jaintiapur-sub-registry-office/charter/"]


@pytest.mark.parametrize("path", CHARTERS)
def test_a_citizen_on_a_phone_sees_each_services_fee_time_and_officer_without_scrolling_sideways(visit, screens, path):
    v = visit(PHONE)
    page = v.open(path)
    page.screenshot(path=str(screens / f"charter-{path.split('/')[1]}-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    cards = page.locator("table.sb-charter tbody tr").all()
    assert cards
    for card in cards:
        name = card.locator("h3.sb-service")
        box = name.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], name.inner_text()
        for column in ("fee", "time_limit", "officer"):
            cell = card.locator(f"td.sb-col-{column}:not(.sb-empty)")
            if not cell.count():
                continue  # the document gives this service no fee (or the column is not in the document)
            box = cell.bounding_box()
            assert box and box["width"] > 0 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], column
            label = cell.evaluate("c => getComputedStyle(c, '::before').content")
            assert label.strip('"').rstrip(": ") == cell.get_attribute("data-label")
    # every card shows a time limit; fees and officers as the document gives them
    shown = page.locator("table.sb-charter td.sb-col-time_limit:not(.sb-empty)").count()
    assert shown == len(cards)
    # each section's name is read once: its heading shows it, the table's caption is for screen readers only
    for caption in page.locator("table.sb-charter caption").all():
        box = caption.bounding_box()
        assert box is None or box["width"] <= 1 or box["height"] <= 1, caption.inner_text()
    assert v.offsite() == [] and v.errors == []


def test_searching_a_service_name_lands_on_that_service_with_its_time_limit_in_the_excerpt(visit):
    v = visit(DESKTOP)
    page = v.open("offices/itna-upazila-cooperative/")
    results = search(page, "দলিল নকল সরবরাহ")
    assert results, "no result"
    title, href = results[0]
    assert href.endswith("offices/jaintiapur-sub-registry-office/charter/#seba-4"), results
    assert "দলিল নকল সরবরাহ" in title
    excerpt = page.locator(".sb-search .pagefind-ui__result-excerpt").first.inner_text()
    assert "০১-০৭ দিন" in excerpt, excerpt  # its time limit
    page.locator(".sb-search .pagefind-ui__result-link").first.click()
    page.wait_for_url("**/charter/#seba-4")
    heading = page.locator("#seba-4")
    assert heading.inner_text() == "দলিল নকল সরবরাহ" and heading.is_visible()
    assert 0 <= heading.bounding_box()["y"] < DESKTOP["height"]
    assert v.offsite() == [] and v.errors == []


def test_supervisor_filters_the_overdue_offices_by_quarter_on_a_phone(visit, screens):
    """The national reporting-status page: pick 'পরিকল্পনা' and only offices whose plan is overdue stay."""
    v = visit(PHONE)
    page = v.open("reporting/")
    rows = page.locator("#sb-overdue tbody tr")
    total = rows.count()
    page.select_option("select[data-filter=slots]", "plan")
    shown = [rows.nth(i) for i in range(total) if rows.nth(i).is_visible()]
    assert 0 < len(shown) < total  # the shipped Itna and Chapainawabganj offices have published no APA
    assert all("plan" in row.get_attribute("data-slots").split() for row in shown)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing sticks out sideways
    page.screenshot(path=str(screens / "phone-reporting-status.png"), full_page=True)
    page.select_option("select[data-filter=slots]", "")
    assert sum(rows.nth(i).is_visible() for i in range(total)) == total
