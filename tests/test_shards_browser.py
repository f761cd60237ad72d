"""A sharded build's merged site in headless Chromium: one search box finds offices whatever shard built
their pages, and pages the merge wrote; what a visitor downloads for one query is printed."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from browser_kit import DESKTOP, base_url, browser, search, show_all_results, visit  # noqa: F401
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
    """The shipped plans built as shards of at most three offices (no PDFs), merged with one search index."""
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
    assert v.offsite() == [] and v.errors == []


def test_bytes_a_visitor_downloads_for_one_query_on_the_merged_site(visit, capsys):
    v = visit(DESKTOP)
    page = v.open("")
    search(page, "সমবায়")
    bodies = [(r.url, r.body()) for r in v.responses if "/pagefind/" in r.url and r.ok]
    data = sum(len(body) for url, body in bodies if "/index/" in url or "/fragment/" in url)
    code = sum(len(gzip.compress(body)) if url.endswith(".js") else len(body) for url, body in bodies
               if "/index/" not in url and "/fragment/" not in url)
    with capsys.disabled():
        print(f"\nsharded site, one search index: the first query downloads {data:,} bytes of index and excerpts "
              f"and {code:,} bytes of search code (gzip) in {len(bodies)} files")
    assert data < 200_000  # one merged index: the words typed and the excerpts shown, not one index per shard
