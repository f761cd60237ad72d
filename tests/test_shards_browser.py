"""A sharded build's merged site in headless Chromium: one search box finds offices whatever shard built
their pages (each shard's own search bundle, merged in the browser), and pages the merge wrote; it finds
the same pages as one build of the same plans; what a visitor downloads for one query is printed."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from browser_kit import (DESKTOP, Visit, _serve, base_url, browser, search, show_all_results,  # noqa: F401
                         subpath_url, visit)
from conftest import PLANS, ROOT
from sebabox.cli import main

# query -> (page that must be found, the shard that wrote it; "merge": a page that reads several shards)
SEARCHES = {
    "ইটনা": ("offices/itna-upazila-cooperative/", "department-of-cooperatives"),
    "ঘিওর": ("offices/ghior-upazila-social-services/", "ministry-of-social-welfare.2"),
    "চাঁপাইনবাবগঞ্জ": ("offices/chapainawabganj-district-statistics/", "statistics-informatics-division.2"),
    "নড়িয়া": ("offices/naria-municipality/", "naria-municipality"),
    "সমাজকল্যাণ মন্ত্রণালয়": ("offices/ministry-of-social-welfare/", "merge"),
}


@pytest.fixture(scope="module")
def shard_plan() -> list[dict]:
    result = CliRunner().invoke(main, ["shards", "--plans", str(PLANS), "--max-offices", "3"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


@pytest.fixture(scope="module")
def site(tmp_path_factory, shard_plan) -> Path:
    """The shipped plans built as shards of at most three offices (no PDFs), each with its search bundle, merged."""
    root = tmp_path_factory.mktemp("sharded")
    runner, outputs = CliRunner(), []
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        for shard in shard_plan:
            outputs.append(root / shard["shard"])
            result = runner.invoke(main, ["build", "--no-pdf", "--as-of", "2024-11-01", "--max-offices", "3", "--shard", shard["shard"],
                                          str(outputs[-1])])
            assert result.exit_code == 0, result.output
        result = runner.invoke(main, ["merge", str(root / "site"), *map(str, outputs)])
        assert result.exit_code == 0, result.output
    return root / "site"


@pytest.fixture(scope="module")
def single_url(tmp_path_factory):
    """The same plans built in one process (one search bundle), served."""
    out = tmp_path_factory.mktemp("single") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        result = CliRunner().invoke(main, ["build", "--no-pdf", "--as-of", "2024-11-01", "--single", "--out", str(out)])
        assert result.exit_code == 0, result.output
    server = _serve(out)
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def _bundle(url: str) -> str | None:
    """The search bundle a request reads: 'pagefind' (the merge's pages), 'pagefind-directory' (which shards'
    bundles hold a word) or a shard's name."""
    path = urlsplit(url).path
    if "/pagefind-directory/" in path:
        return "pagefind-directory"
    if "/pagefind-shards/" in path:
        return path.split("/pagefind-shards/", 1)[1].split("/", 1)[0]
    return "pagefind" if "/pagefind/" in path else None


@pytest.mark.parametrize("query", list(SEARCHES), ids=[f"q{i}" for i in range(len(SEARCHES))])
def test_one_search_box_finds_offices_of_every_shard(visit, shard_plan, query):
    expected, written_by = SEARCHES[query]
    if written_by != "merge":  # the page was written by that shard, not by the merge
        shard = next(s for s in shard_plan if s["shard"] == written_by)
        assert expected.split("/")[1] in shard["offices"]
    v = visit(DESKTOP)
    page = v.open("offices/itna-upazila-cooperative/2023-24/nis/")
    search(page, query)
    hrefs = ["/" + href.lstrip("/") for _, href in show_all_results(page)]
    assert "/" + expected in hrefs, f"{query!r}: {hrefs}"
    # its excerpt came from the bundle of the shard that wrote it (the merge's pages: from pagefind/)
    excerpts = {_bundle(r.url) for r in v.responses if r.ok and "/fragment/" in r.url}
    assert ("pagefind" if written_by == "merge" else written_by) in excerpts
    assert v.offsite() == [] and v.errors == []


def test_a_result_from_a_shards_bundle_opens_that_offices_page(visit):
    v = visit(DESKTOP)
    page = v.open("")
    results = search(page, "ঘিওর")
    href = next(href for _, href in results if href.rstrip("/").endswith("offices/ghior-upazila-social-services"))
    page.locator(f'.sb-search .pagefind-ui__result-link[href="{href}"]').click()
    page.wait_for_load_state("networkidle")
    assert urlsplit(page.url).path == "/offices/ghior-upazila-social-services/"
    assert "ঘিওর" in page.locator("h1").inner_text()
    assert v.errors == []


def test_search_across_shards_works_when_the_site_is_published_under_a_subpath(browser, subpath_url):
    v = Visit(browser, subpath_url, DESKTOP)
    try:
        page = v.open("")
        hrefs = [href for _, href in search(page, "নড়িয়া")]
        assert any(href.rstrip("/").endswith("/sebabox/offices/naria-municipality") for href in hrefs), hrefs
        assert any("/sebabox/pagefind-shards/naria-municipality/index/" in r.url for r in v.responses if r.ok)
        assert not [r.url for r in v.responses if r.status == 404] and v.errors == []
    finally:
        v.close()


COMPARED = ["সমবায়", "উপজেলা", "সেবা", "অভিযোগ", "শুদ্ধাচার", "নড়িয়া"]


def test_the_merged_site_finds_the_same_pages_as_one_build(browser, base_url, single_url):
    """The same result addresses, for common words found on many shards' pages, as one index finds."""
    found = {}
    for url in (base_url, single_url):
        v = Visit(browser, url, DESKTOP)
        try:
            for query in COMPARED:
                page = v.open("")
                search(page, query)
                found.setdefault(url, {})[query] = sorted(href for _, href in show_all_results(page))
        finally:
            v.close()
    for query in COMPARED:
        assert len(found[base_url][query]) > 0
        assert found[base_url][query] == found[single_url][query], query
    assert len(found[base_url]["সেবা"]) > 10


@pytest.mark.parametrize("query", ["নড়িয়া", "ঘিওর", "সমবায়", "ঘিওর উপজেলা"], ids=["q0", "q1", "q2", "q3"])
def test_a_query_reads_only_the_shards_bundles_that_hold_its_words(visit, site, query):
    """The search box merges a shard's bundle only when that bundle can match the words typed: for one
    word, exactly the bundles that hold a result (every result shown fetches its excerpt from its own
    bundle); the others' index chunks are never downloaded."""
    v = visit(DESKTOP)
    page = v.open("")
    search(page, query)
    show_all_results(page)
    read = {_bundle(r.url) for r in v.responses if r.ok and "/index/" in r.url} - {"pagefind", "pagefind-directory"}
    found = {_bundle(r.url) for r in v.responses if r.ok and "/fragment/" in r.url} - {"pagefind", "pagefind-directory"}
    assert found and found <= read
    if " " not in query:
        assert read == found
    assert len(read) < len(list((site / "pagefind-shards").iterdir())) or query == "সমবায়"
    assert v.errors == []


def test_bytes_a_visitor_downloads_for_one_query_on_the_merged_site(visit, capsys):
    v = visit(DESKTOP)
    page = v.open("")
    search(page, "সমবায়")
    bodies = list({r.url.split("?")[0]: (r.url, r.body()) for r in v.responses if _bundle(r.url) and r.ok}.values())
    # (each address once: with the test server's headers the browser may fetch one twice, a real server's
    # cache headers let it reuse the first copy)
    data = sum(len(body) for url, body in bodies if "/index/" in url or "/fragment/" in url)
    meta = sum(len(body) for url, body in bodies if url.split("?")[0].endswith((".pf_meta", ".json")))
    code = sum(len(gzip.compress(body)) if url.endswith(".js") else len(body) for url, body in bodies
               if not url.split("?")[0].endswith((".pf_meta", ".json", ".pf_index", ".pf_fragment")))
    bundles = {_bundle(url) for url, _ in bodies}
    with capsys.disabled():
        print(f"\nsharded site, {len(bundles)} search bundles: the first query downloads {data:,} bytes of index and "
              f"excerpts, {meta:,} bytes of bundle lists and metadata, {code:,} bytes of search code and "
              f"WebAssembly (gzip) in {len(bodies)} files")
    listed = page.evaluate("async () => (await fetch('pagefind/sebabox-bundles.json')).json()")["bundles"]
    assert {f"pagefind-shards/{name}/" for name in bundles - {"pagefind", "pagefind-directory"}} <= set(listed)
    assert "pagefind-directory" in bundles  # the directory was searched (its bundles hold no code either)
    assert not [url for url, _ in bodies if "/pagefind-directory/" in url and url.split("?")[0].endswith(".js")]
    # the shards' bundles bring no code: one copy of Pagefind's WebAssembly and scripts, the primary's
    assert [url for url, _ in bodies if "/wasm." in url] == [url for url, _ in bodies if "/pagefind/wasm." in url]
    assert len([url for url, _ in bodies if "/wasm." in url]) == 1
    assert not [url for url, _ in bodies if "/pagefind-shards/" in url and url.split("?")[0].endswith(".js")]
