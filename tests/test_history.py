"""A document's versions from git: the page lists each commit's date and what changed, indicator by
indicator; a reader opens an earlier version; a shallow clone says what it could not see."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import PLANS, ROOT

NIS = "plans/itna-upazila-cooperative/2023-24/nis.yaml"
Q1 = "plans/itna-upazila-cooperative/2023-24/nis-q1.yaml"
PAGE = "offices/itna-upazila-cooperative/2023-24/nis/index.html"
Q1_PAGE = "offices/itna-upazila-cooperative/2023-24/nis-q1/index.html"


def _git(repo: Path, *args: str, date: str | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "clerk", "GIT_AUTHOR_EMAIL": "clerk@example.org",
           "GIT_COMMITTER_NAME": "clerk", "GIT_COMMITTER_EMAIL": "clerk@example.org"}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env).stdout


def _edit(repo: Path, path: str, old: str, new: str) -> None:
    file = repo / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def office_repo(tmp_path_factory) -> Path:
    """A repository where the Itna office publishes its NIS plan, corrects a target, then adds an achievement."""
    repo = tmp_path_factory.mktemp("repo")
    _git(repo, "init", "-q", "-b", "main")
    shutil.copytree(PLANS, repo / "plans")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "plans as published", date="2023-09-26T10:00:00+06:00")
    _edit(repo, NIS, "        responsible: নৈতিকতা কমিটি\n        target: ২\n",
          "        responsible: নৈতিকতা কমিটি\n        target: ৪\n")
    _git(repo, "commit", "-q", "-am", "1.1 target", date="2023-10-05T10:00:00+06:00")
    _edit(repo, Q1, "  ২.৪: ১\n", "  ২.১: ১\n  ২.৪: ১\n")
    _git(repo, "commit", "-q", "-am", "2.1 achievement", date="2023-10-20T10:00:00+06:00")
    return repo


def _build(plans: Path, out: Path) -> Path:
    from sebabox.outputs.publish import build_site

    build_site(ROOT / "mkdocs.yml", plans, out, pdf=False, search=False)
    return out


def _versions(site: Path, page: str) -> list[tuple[str, list[str]]]:
    soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
    items = soup.select(".sb-history ol.sb-versions > li")
    return [(li.get_text(" ", strip=True), [c.get_text(strip=True) for c in li.select("ul li")]) for li in items]


def test_document_page_lists_each_version_with_what_changed_indicator_by_indicator(office_repo, tmp_path):
    site = _build(office_repo / "plans", tmp_path / "site")
    versions = _versions(site, PAGE)
    assert len(versions) == 3
    (newest, newest_changes), (middle, middle_changes), (first, first_changes) = versions
    assert "২০/১০/২০২৩" in newest and "বর্তমান সংস্করণ" in newest
    assert newest_changes == ["২.১ অর্জন যোগ হয়েছে (১ম কোয়ার্টার)"]
    assert "০৫/১০/২০২৩" in middle and middle_changes == ["১.১ লক্ষ্যমাত্রা ২ → ৪"]
    assert "২৬/০৯/২০২৩" in first and first_changes == ["দলিল প্রথম যোগ হয়েছে"]


def test_a_reader_opens_an_earlier_version_with_its_values_then(office_repo, tmp_path):
    site = _build(office_repo / "plans", tmp_path / "site")
    soup = BeautifulSoup((site / PAGE).read_text(encoding="utf-8"), "html.parser")
    links = [a["href"] for a in soup.select(".sb-history a")]
    assert len(links) == 2  # the two earlier versions; the newest is the page itself
    first = BeautifulSoup((site / Path(PAGE).parent / links[-1] / "index.html").read_text(encoding="utf-8"),
                          "html.parser")
    assert "২৬/০৯/২০২৩-এর সংস্করণ" in first.h1.get_text()
    rows = {tr.find("td").get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")]
            for tr in first.select("table.sb-version-table tbody tr")}
    assert rows["১.১"][5] == "২"  # the target as first published (now ৪)
    assert rows["১.১"][6] == "১"  # and the quarter-1 achievement reported then
    assert rows["২.১"][6] == "—"  # not yet reported


def test_quarterly_report_lists_the_versions_of_what_was_reported_for_its_quarter(office_repo, tmp_path):
    site = _build(office_repo / "plans", tmp_path / "site")
    assert [changes for _, changes in _versions(site, Q1_PAGE)][0] == ["২.১ অর্জন যোগ হয়েছে (১ম কোয়ার্টার)"]


def test_a_shallow_clone_says_which_versions_it_could_not_see(office_repo, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{office_repo}", str(clone)], check=True)
    site = _build(clone / "plans", tmp_path / "site")
    soup = BeautifulSoup((site / PAGE).read_text(encoding="utf-8"), "html.parser")
    assert "shallow clone" in soup.select_one(".sb-history-cut").get_text()
    assert len(_versions(site, PAGE)) == 1


def test_plans_outside_git_build_without_a_version_list(plans_copy, tmp_path):
    site = _build(plans_copy, tmp_path / "site")
    assert BeautifulSoup((site / PAGE).read_text(encoding="utf-8"), "html.parser").select(".sb-history") == []
