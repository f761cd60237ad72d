"""Reporting status: who published what, when, and who is late — checked on pages and in the data."""

from __future__ import annotations

import csv
import datetime as dt
import filecmp
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import PLANS, ROOT
from sebabox.cli import main
from sebabox.inputs.gitdates import first_published
from sebabox.scoring.status import Published, judge
from sebabox.tools.synthetic import generate, punctuality

SLOT_FILES = {"plan": "{kind}.yaml", "q1": "{kind}-q1.yaml", "q2": "{kind}-q2.yaml", "q3": "{kind}-q3.yaml",
              "q4": "{kind}-q4.yaml"}
KINDS = ("apa", "nis", "egov", "grs", "cc", "rti")


def _build(plans: Path, out: Path, *extra: str, env: dict | None = None) -> str:
    result = CliRunner().invoke(main, ["build", "--plans", str(plans), "--out", str(out), "--no-pdf", "--no-search",
                                       *extra], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def _text(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --------------------------------------------------------------------------- the rule itself


def test_a_report_is_on_time_late_overdue_or_not_yet_due_against_the_reference_date():
    due = dt.date(2024, 1, 15)
    on_time = judge("o", "2023-24", "nis", "q2", due, Published(dt.date(2024, 1, 15), "letter"), dt.date(2024, 8, 1))
    late = judge("o", "2023-24", "nis", "q2", due, Published(dt.date(2024, 2, 5), "letter"), dt.date(2024, 8, 1))
    overdue = judge("o", "2023-24", "nis", "q2", due, None, dt.date(2024, 8, 1))
    not_due = judge("o", "2023-24", "nis", "q2", due, None, dt.date(2024, 1, 15))
    not_yet_published = judge("o", "2023-24", "nis", "q2", due, Published(dt.date(2024, 2, 5), "letter"),
                              dt.date(2024, 1, 20))
    undated = judge("o", "2023-24", "nis", "plan", due, Published(None, None), dt.date(2024, 8, 1))
    assert (on_time.state, on_time.days) == ("on_time", None)
    assert (late.state, late.days) == ("late", 21)
    assert (overdue.state, overdue.days) == ("overdue", 199)
    assert (not_due.state, not_due.days) == ("not_due", None)
    assert (not_yet_published.state, not_yet_published.days) == ("overdue", 5)
    assert undated.state == "undated" and undated.days is None


# --------------------------------------------------------------------------- the calendar is checked like a plan


def test_check_names_file_and_line_of_a_calendar_deadline_out_of_order(plans_copy, check):
    path = plans_copy / "_calendar" / "2023-24.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("q2: ১৫/০১/২০২৪", "q2: ১০/১০/২০২৩"), encoding="utf-8")
    line = next(i for i, l in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if l.startswith("  q2:"))
    code, output = check(plans_copy)
    assert code == 1
    assert f"_calendar/2023-24.yaml:{line}: error: deadlines.q2 ১০/১০/২০২৩: ২০২৩-২৪-এর কোয়ার্টার ২-এর " \
           f"প্রতিবেদনের শেষ তারিখ কোয়ার্টার শেষ হওয়ার (৩১/১২/২০২৩) আগে হতে পারে না" in output


def test_check_refuses_a_calendar_named_for_another_year_and_a_window_that_closes_before_it_opens(plans_copy, check):
    source = plans_copy / "_calendar" / "2024-25.yaml"
    source.rename(plans_copy / "_calendar" / "2025-26.yaml")
    path = plans_copy / "_calendar" / "2023-24.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("{opens: ০৭/০৭/২০২৪, due: ০৯/০৭/২০২৪}",
                                                             "{opens: ১৯/০৭/২০২৪, due: ০৯/০৭/২০২৪}"), encoding="utf-8")
    year_line = _line_of(plans_copy / "_calendar" / "2025-26.yaml", "fiscal_year:")
    window_line = _line_of(path, "    q4: {opens: ১৯/০৭/২০২৪")
    code, output = check(plans_copy)
    assert code == 1
    assert f"2025-26.yaml:{year_line}: error: ২০২৪-২৫ অর্থবছরের ক্যালেন্ডার ফাইলের নাম হবে _calendar/2024-25.yaml" in output
    assert f"2023-24.yaml:{window_line}: error: levels.district.q4: শুরু (opens) ১৯/০৭/২০২৪, শেষ তারিখের (due) " \
        "০৯/০৭/২০২৪ পরে" in output


def _line_of(path: Path, start: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(start))


# --------------------------------------------------------------------------- dates from git


def _git(repo: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def test_first_publication_is_the_commit_that_added_the_file_and_a_shallow_clone_says_unknown(tmp_path):
    repo = tmp_path / "repo"
    (repo / "plans" / "a").mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    (repo / "plans" / "a" / "nis.yaml").write_text("one\n")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "first", date="2023-07-02T20:00:00+00:00")  # 3 July in Dhaka
    (repo / "plans" / "a" / "egov.yaml").write_text("two\n")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "second", date="2023-08-10T10:00:00+00:00")
    (repo / "plans" / "a" / "nis.yaml").write_text("one, corrected\n")
    _git(repo, "commit", "-qam", "third", date="2023-09-01T10:00:00+00:00")
    (repo / "plans" / "a" / "rti.yaml").write_text("three\n")
    _git(repo, "add", "plans/a/rti.yaml")
    _git(repo, "commit", "-qm", "fourth", date="2023-10-01T10:00:00+00:00")
    (repo / "plans" / "a" / "grs.yaml").write_text("not committed\n")

    dates = first_published(repo / "plans")
    assert dates[(repo / "plans" / "a" / "nis.yaml").resolve()] == dt.date(2023, 7, 3)  # a correction is no re-publication
    assert dates[(repo / "plans" / "a" / "egov.yaml").resolve()] == dt.date(2023, 8, 10)
    assert (repo / "plans" / "a" / "grs.yaml").resolve() not in dates

    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{repo}", str(clone)], check=True, capture_output=True)
    shallow = first_published(clone / "plans")
    # the clone's oldest commit ("third") seems to add nis.yaml and egov.yaml: their dates are unknown
    assert shallow == {(clone / "plans" / "a" / "rti.yaml").resolve(): dt.date(2023, 10, 1)}
    assert first_published(tmp_path) == {}  # not a repository


def test_first_publication_dates_are_keyed_by_the_resolved_path_of_linked_files_and_folders_too(tmp_path):
    repo = tmp_path / "repo"
    (repo / "plans" / "a").mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    (repo / "plans" / "a" / "nis.yaml").write_text("one\n")
    (repo / "plans" / "a" / "copy.yaml").symlink_to("nis.yaml")  # a linked file: its target's path
    (repo / "elsewhere").mkdir()
    (repo / "elsewhere" / "x.yaml").write_text("x\n")
    (repo / "plans" / "b").symlink_to(repo / "elsewhere", target_is_directory=True)  # a linked folder
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "first", date="2023-07-02T20:00:00+00:00")
    (repo / "plans" / "c").mkdir()
    (repo / "plans" / "c" / "d.yaml").write_text("d\n")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "second", date="2023-08-10T10:00:00+00:00")
    dates = first_published(repo / "plans")
    assert dates == {(repo / "plans" / "a" / "nis.yaml").resolve(): dt.date(2023, 7, 3),
                     (repo / "plans" / "b").resolve(): dt.date(2023, 7, 3),  # git holds the link itself
                     (repo / "plans" / "c" / "d.yaml").resolve(): dt.date(2023, 8, 10)}
    assert (repo / "plans" / "a" / "copy.yaml").resolve() in dates  # (the link is its target: one entry)


# --------------------------------------------------------------------------- synthetic offices


AS_OF = "2024-08-01"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    root = tmp_path_factory.mktemp("synthetic")
    plans, site = root / "plans", root / "site"
    generate(30, plans, PLANS)
    os.chdir(ROOT)
    _build(plans, site, "--as-of", AS_OF)
    return plans, site


def _office_of_habit(plans: Path, habit: str, level: str = "upazila") -> str:
    from sebabox.tools.synthetic import hierarchy

    return next(slug for i, (slug, lvl, _) in enumerate(hierarchy(30)) if punctuality(i) == habit and lvl.value == level)


def test_an_office_that_never_sent_its_q3_and_q4_reports_is_overdue_by_the_right_days(synthetic):
    plans, site = synthetic
    slug = _office_of_habit(plans, "missing")
    text = _text(site / "offices" / slug / "index.html")
    # due 15 April (q3) and the upazila window's 6 July (q4); as of 1 August 2024
    assert "বকেয়া ১০৮ দিন" in text and "বকেয়া ২৬ দিন" in text
    page = _text(site / "offices" / slug / "2023-24" / "apa" / "index.html")
    assert "প্রকাশের অবস্থা" in page and "বকেয়া: ৩য় কোয়ার্টার, ৪র্থ কোয়ার্টার/বার্ষিক" in page
    rows = {(r["document"], r["slot"]): r for r in csv.DictReader(
        (site / "data" / "status.csv").read_text(encoding="utf-8-sig").splitlines()) if r["office"] == slug}
    assert rows[("apa", "q3")]["status"] == "overdue" and rows[("apa", "q3")]["days"] == "108"
    assert rows[("apa", "q2")]["status"] == "on_time"


def test_an_office_that_reported_late_shows_late_by_n_days_on_its_page_and_in_offices_json(synthetic):
    plans, site = synthetic
    slug = _office_of_habit(plans, "late")
    text = _text(site / "offices" / slug / "index.html")
    assert "বিলম্বে ২১ দিন" in text  # Q2 report of 5 February; due 15 January
    assert "বিলম্বে ৫ দিন" in text  # APA signed 30 June; due 25 June
    offices = json.loads((site / "data" / "offices.json").read_text(encoding="utf-8"))
    assert offices["status_as_of"] == AS_OF
    entry = next(o for o in offices["offices"] if o["slug"] == slug)
    assert entry["status"]["2023-24"]["apa"]["q2"] == {"due": "2024-01-15", "published": "2024-02-05",
                                                       "status": "late", "days": 21}
    assert entry["status"]["2023-24"]["apa"]["plan"]["status"] == "late"


def test_the_national_tables_carry_each_rows_publication_status_for_a_spreadsheet_filter(synthetic):
    plans, site = synthetic
    late = _office_of_habit(plans, "late")
    national = site / "data" / "national"
    documents = [r for r in csv.DictReader((national / "documents.csv").read_text(encoding="utf-8-sig").splitlines())
                 if r["office"] == late and r["document"] == "apa"]
    plan = [r["status"] for r in documents if not r["report_date"]]  # the plan's row (signed 30 June)
    reports = {r["quarter"]: r["status"] for r in documents if r["report_date"]}
    assert plan == ["late"] and reports["2"] == "late" and reports["1"] == "on_time"
    indicators = [r for r in csv.DictReader((national / "indicators.csv").read_text(encoding="utf-8-sig").splitlines())
                  if r["office"] == late and r["document"] == "apa" and r["quarter"] == "2"]
    assert indicators and {r["status"] for r in indicators} == {"late"}
    rows = json.loads((national / "governance.json").read_text(encoding="utf-8"))
    assert {r["status"] for r in rows if r["office"] == late and r["quarter"] == 2} == {"late"}


def _overdue_offices_on_disk(plans: Path, slugs: set[str]) -> set[str]:
    """The oracle: an office is overdue when any document or quarterly report file is missing."""
    return {slug for slug in slugs if any(not (plans / slug / "2023-24" / pattern.format(kind=kind)).is_file()
                                          for kind in KINDS for pattern in SLOT_FILES.values())}


def test_the_ministry_status_page_lists_every_overdue_office_in_its_whole_subtree(synthetic):
    plans, site = synthetic
    everyone = {p.name for p in plans.iterdir() if (p / "office.yaml").is_file()}
    expected = _overdue_offices_on_disk(plans, everyone)
    assert any(s.startswith("upazila-") for s in expected) and len(expected) < len(everyone)
    html = (site / "offices" / "ministry-0" / "status" / "index.html").read_text(encoding="utf-8")
    table = html[html.index('id="sb-overdue"'):]
    assert set(re.findall(r'<tr data-office="([a-z0-9-]+)"', table)) == expected
    assert 'href="../../upazila-' in table  # each row links to the office
    national = (site / "reporting" / "index.html").read_text(encoding="utf-8")
    assert set(re.findall(r'<tr data-office="([a-z0-9-]+)"', national)) == expected
    district = next(s for s in expected if s.startswith("upazila-"))
    parent = re.search(r"parent: (\S+)", (plans / district / "office.yaml").read_text(encoding="utf-8")).group(1)
    district_page = (site / "offices" / parent / "status" / "index.html").read_text(encoding="utf-8")
    assert f"../../{district}/" in district_page


def test_the_home_page_is_the_national_dashboard(synthetic):
    plans, site = synthetic
    text = _text(site / "index.html")
    assert "জাতীয় চিত্র" in text and "৩০টি দপ্তর" in text
    assert "যেসব দপ্তর প্রকাশ করছে" in text and "রিপোর্টিং অবস্থা: সব দপ্তর" in text


def test_before_a_deadline_the_report_is_not_yet_due(synthetic, tmp_path):
    plans, _ = synthetic
    site = tmp_path / "early"
    _build(plans, site, "--as-of", "১০/০১/২০২৪")
    rows = [r for r in csv.DictReader((site / "data" / "status.csv").read_text(encoding="utf-8-sig").splitlines())]
    assert {r["status"] for r in rows if r["slot"] in ("q3", "q4")} == {"not_due"}
    assert {r["status"] for r in rows if r["slot"] == "q2" and r["published"]} == {"on_time"}  # sent 5 January
    late = _office_of_habit(plans, "late")
    q2 = next(r for r in rows if r["office"] == late and r["document"] == "apa" and r["slot"] == "q2")
    assert (q2["status"], q2["published"]) == ("not_due", "")  # its report of 5 February is not out yet


# --------------------------------------------------------------------------- the shipped plans


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    site = tmp_path_factory.mktemp("shipped") / "site"
    os.chdir(ROOT)
    _build(PLANS, site, "--as-of", AS_OF)
    return site


def test_shipped_itna_office_shows_its_missing_quarterly_reports(shipped):
    text = _text(shipped / "offices" / "itna-upazila-cooperative" / "index.html")
    assert "সময়মতো" in text  # the Q1 report's forwarding letter of 26/09/2023, due 15/10/2023
    assert "বকেয়া ১৯৯ দিন" in text  # Q2, due 15/01/2024
    nis = _text(shipped / "offices" / "itna-upazila-cooperative" / "2023-24" / "nis-q1" / "index.html")
    assert "প্রকাশের তারিখ: ২৬/০৯/২০২৩ (অগ্রায়নপত্রের তারিখ)" in nis


def test_shipped_itna_q1_report_marks_the_rows_behind_their_quarter_targets(shipped):
    """NIS 5.1 (charter uploaded, 1 due in Q1) and 6.1 (RTI requests settled, 100% in Q1) were not reported."""
    html = (shipped / "offices" / "itna-upazila-cooperative" / "2023-24" / "nis-q1" / "index.html").read_text(encoding="utf-8")
    section = html[html.index('id="expected"'):]
    section = section[:section.index("</table>")]
    assert re.findall(r'<tr class="sb-behind"><td>([^<]+)</td>', section) == ["৫.১", "৬.১"]
    assert "২টি সূচক পিছিয়ে" in _text(shipped / "offices" / "itna-upazila-cooperative" / "2023-24" / "nis-q1" / "index.html")


def test_shipped_rangpur_apa_signed_before_25_june_is_on_time(shipped):
    page = _text(shipped / "offices" / "rangpur-sadar-upazila-cooperative" / "2023-24" / "apa" / "index.html")
    assert "প্রকাশের তারিখ: ০৯/০৬/২০২৩ (স্বাক্ষরের তারিখ)" in page
    assert re.search(r"পরিকল্পনা/চুক্তি ২৫/০৬/২০২৩ ০৯/০৬/২০২৩ সময়মতো", page)


def test_no_page_shows_a_date_made_up_from_the_fiscal_year(tmp_path):
    """Plans outside git, so only the dates the files give exist: the plans without one show none."""
    plans = tmp_path / "plans"
    shutil.copytree(PLANS, plans)
    site = tmp_path / "site"
    _build(plans, site, "--as-of", AS_OF)
    explicit = _dates_the_files_give(plans)
    for page in site.rglob("*.html"):
        text = _text(page)
        for shown in re.findall(r"(?:প্রকাশের তারিখ|সর্বশেষ প্রকাশ|সর্বশেষ হালনাগাদ|সর্বশেষ): ([০-৯/]+)", text):
            assert shown in explicit, (page, shown)
    nis = _text(site / "offices" / "itna-upazila-cooperative" / "2023-24" / "nis" / "index.html")
    assert "প্রকাশের তারিখ জানা নেই" in nis and "০১/০৭/২০২৩" not in nis


def _dates_the_files_give(plans: Path) -> set[str]:
    """Signing dates (APAs', and plans' that print one), report and letter dates, charter dates: as the pages print them (২৬/০৯/২০২৩)."""
    from sebabox.bengali import bn_date
    from sebabox.inputs.check import check_plans

    catalog = check_plans(plans)[1]
    dates = {a.model.signing_date for a in catalog.apas} | {p.model.signing_date for p in catalog.plans if p.model.signing_date}
    dates |= {p.model.as_of for p in catalog.progress} | {p.model.letter.date for p in catalog.progress if p.model.letter}
    dates |= {c.model.date for c in catalog.charters if getattr(c.model, "date", None)}
    return {bn_date(d) for d in dates}


def test_two_builds_with_the_same_source_date_epoch_are_byte_identical(tmp_path):
    env = {"SOURCE_DATE_EPOCH": "1722470400"}  # 1 August 2024
    _build(PLANS, tmp_path / "a", env=env)
    _build(PLANS, tmp_path / "b", env=env)
    compare = filecmp.dircmp(tmp_path / "a", tmp_path / "b")

    def differing(cmp) -> list[str]:
        found = cmp.diff_files + cmp.left_only + cmp.right_only
        found += [f for f in cmp.common_files if not filecmp.cmp(Path(cmp.left, f), Path(cmp.right, f), shallow=False)]
        return found + [x for sub in cmp.subdirs.values() for x in differing(sub)]

    assert differing(compare) == []
    offices = json.loads((tmp_path / "a" / "data" / "offices.json").read_text(encoding="utf-8"))
    assert offices["status_as_of"] == "2024-08-01"


def test_shipped_rangpur_nis_plan_is_late_by_the_days_from_its_printed_signing_date_not_its_commit(shipped):
    """Seed 004 prints ১০/০৯/২০২৩ under the NIS plan's signature: due 25/06/2023, so 77 days late, whatever day
    the file was committed; the date is printed with the signature on the page and in the open data."""
    page = _text(shipped / "offices" / "rangpur-sadar-upazila-cooperative" / "2023-24" / "nis" / "index.html")
    assert "প্রকাশের তারিখ: ১০/০৯/২০২৩ (স্বাক্ষরের তারিখ)" in page
    assert "তারিখ: ১০/০৯/২০২৩ (মোঃ মাসুদ রানা)" in page  # above the signature, as printed
    office = _text(shipped / "offices" / "rangpur-sadar-upazila-cooperative" / "index.html")
    assert re.search(r"জাতীয় শুদ্ধাচার কৌশল কর্মপরিকল্পনা বিলম্বে ৭৭ দিন", office), office
    data = shipped / "data" / "rangpur-sadar-upazila-cooperative"
    nis = json.loads((data / "rangpur-sadar-upazila-cooperative-2023-24-nis.json").read_text(encoding="utf-8"))
    documents = json.loads((data / "rangpur-sadar-upazila-cooperative-documents.json").read_text(encoding="utf-8"))
    assert "2023-09-10" in json.dumps(nis)
    row = next(r for r in _rows(documents) if r.get("document") == "nis" and not r.get("quarter"))
    assert row["signing_date"] == "2023-09-10", row


def _rows(data):
    """The records of a JSON data file, whether a bare list or under a key."""
    if isinstance(data, list):
        return data
    return next(v for v in data.values() if isinstance(v, list) and v and isinstance(v[0], dict))
