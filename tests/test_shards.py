"""Sharded builds: `shards` lists each office in exactly one shard; every shard built alone (`build --shard`)
and merged (`merge`) gives the same site, file for file and byte for byte, as one build of the same plans,
except the search index: one Pagefind bundle per shard and one for the merge's pages, against one bundle;
they index the same pages with the same text (compared here), and find the same (test_shards_browser.py)."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sebabox.cli import main
from sebabox.outputs import shards
from sebabox.tools.synthetic import generate

from conftest import PLANS, ROOT

AS_OF = "2024-11-01"


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def _plan(plans: Path, max_offices: int) -> list[dict]:
    return [json.loads(line) for line in _run("shards", "--plans", str(plans), "--max-offices", str(max_offices))
            .splitlines() if line.startswith("{")]


SEARCH = ("pagefind", "pagefind-shards", "pagefind-directory")  # the search bundles: compared by what they index (_indexed)


def _differences(a: Path, b: Path) -> list[str]:
    """Every file that is not in both or differs, search bundles aside; and any page indexed differently."""
    out = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        out.extend(prefix + n for n in cmp.left_only + cmp.right_only + cmp.funny_files)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        out.extend(prefix + n for n in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(a, b, ignore=filecmp.DEFAULT_IGNORES + list(SEARCH)), "")  # (no such folder deeper)
    if (a / "pagefind").exists() or (b / "pagefind").exists():
        one, other = _indexed(a), _indexed(b)
        out.extend(f"search: {url}" for url in sorted(set(one) | set(other)) if one.get(url) != other.get(url))
    return sorted(out)


def _indexed(site: Path) -> dict[str, dict]:
    """What every search bundle of a site holds, page by page: address -> Pagefind's record (text, title,
    anchors) of the page; a page in two bundles is an error."""
    import gzip

    pages: dict[str, dict] = {}
    for fragment in sorted(site.glob("pagefind/fragment/*.pf_fragment")) + sorted(
            site.glob("pagefind-shards/*/fragment/*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        record = json.loads(data[len(b"pagefind_dcd"):])
        if record["url"].startswith("/pagefind-shards/"):  # a directory page: which words a bundle holds
            continue
        assert record["url"] not in pages, f"{record['url']} is in two search bundles"
        pages[record["url"]] = record
    return pages


def _sharded(plans: Path, out: Path, max_offices: int, *options: str) -> list[dict]:
    plan = _plan(plans, max_offices)
    outputs = []
    for shard in plan:
        outputs.append(out.parent / f"shard-{shard['shard']}")
        _run("build", "--plans", str(plans), "--as-of", AS_OF, "--max-offices", str(max_offices),
             "--shard", shard["shard"], str(outputs[-1]), *[o for o in options if o != "--no-search"])
    _run("merge", "--plans", str(plans), str(out), *map(str, outputs), *[o for o in options if o == "--no-search"])
    return plan


@pytest.fixture()
def here(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("SITE_URL", "https://example.org/sebabox/")  # the sitemap lists every page too


def test_every_office_is_in_exactly_one_shard_and_the_plan_is_the_same_every_time(tmp_path):
    generate(40, tmp_path / "plans", PLANS)
    offices = sorted(p.parent.name for p in (tmp_path / "plans").glob("*/office.yaml"))
    for max_offices in (1, 3, 7, 100):
        plan = _plan(tmp_path / "plans", max_offices)
        listed = [slug for shard in plan for slug in shard["offices"]]
        assert sorted(listed) == offices and len(listed) == len(set(listed))
        assert len({shard["shard"] for shard in plan}) == len(plan)
        assert plan == _plan(tmp_path / "plans", max_offices)
        if max_offices > 1:  # a shard holds at most that many offices
            assert max(len(shard["offices"]) for shard in plan) <= max_offices
    assert [s["shard"] for s in _plan(tmp_path / "plans", 100)] == ["ministry-0"]  # a small site: one shard


def test_shipped_plans_in_shards_merge_into_the_same_site_as_one_build_pdfs_and_search_too(tmp_path, here):
    _run("build", "--plans", str(PLANS), "--as-of", AS_OF, "--out", str(tmp_path / "single"))
    plan = _sharded(PLANS, tmp_path / "merged", 3)
    assert len(plan) > 5 and any("." in s["shard"] for s in plan)  # split subtrees, not one shard per ministry
    merged = tmp_path / "merged"
    assert (merged / "pdf" / "itna-upazila-cooperative-2023-24-nis.pdf").is_file()
    assert (merged / "pagefind" / "pagefind-entry.json").is_file()
    assert not list(merged.glob("sebabox-shard*"))  # the summaries stay in the shards' outputs
    assert _differences(tmp_path / "single", merged) == []
    # search: the merge indexed only its own pages; each shard's pages are in that shard's bundle only
    listing = json.loads((merged / "pagefind" / "sebabox-bundles.json").read_text(encoding="utf-8"))
    bundles = listing["bundles"]
    assert bundles and all((merged / path / "pagefind-entry.json").is_file() for path in bundles)
    assert sorted(listing["directory"].values()) == sorted(bundles)  # each bundle's directory page
    assert json.loads((tmp_path / "single" / "pagefind" / "sebabox-bundles.json").read_text(encoding="utf-8")) == {
        "bundles": [], "directory": {}}
    naria = next(s["shard"] for s in plan if s["offices"] == ["naria-municipality"])
    assert "/offices/naria-municipality/" in _indexed_bundle(merged / "pagefind-shards" / naria)
    assert "/offices/naria-municipality/" not in _indexed_bundle(merged / "pagefind")
    assert len(_indexed(merged)) == len(_indexed(tmp_path / "single")) > 40
    assert not list((merged / "pagefind-shards").glob("*/*.js")) and not list(merged.glob("pagefind-shards/*/wasm.*"))


def test_synthetic_offices_split_at_every_level_merge_into_the_same_site(tmp_path, here):
    plans = tmp_path / "plans"
    generate(14, plans, PLANS)
    _run("build", "--plans", str(plans), "--as-of", AS_OF, "--out", str(tmp_path / "single"), "--no-pdf")
    plan = _sharded(plans, tmp_path / "merged", 2, "--no-pdf")
    whole = {slug for s in plan for slug in json.loads(
        (tmp_path / f"shard-{s['shard']}" / shards.META / "shard.json").read_text())["whole"]}
    assert "ministry-0" not in whole and "district-0" not in whole  # their pages were written by the merge
    assert _differences(tmp_path / "single", tmp_path / "merged") == []


def test_national_data_in_parts_of_two_offices_is_the_same_from_shards_of_three_as_from_one_build(tmp_path, here,
                                                                                                   monkeypatch):
    from conftest import config_with

    plans = tmp_path / "plans"
    generate(14, plans, PLANS)
    config = str(config_with(tmp_path / "conf", national_part_offices=2))

    def single() -> Path:  # with a cache of its own: every part written afresh
        monkeypatch.setenv("SEBABOX_CACHE", str(tmp_path / f"cache-{len(list(tmp_path.glob('cache-*')))}"))
        _run("build", "--plans", str(plans), "--as-of", AS_OF, "--out", str(tmp_path / "single"), "--no-pdf",
             "--no-search", "--config", config, "--single")
        monkeypatch.setenv("SEBABOX_CACHE", str(tmp_path / "sharded-cache"))
        return tmp_path / "single"

    def sharded() -> dict[str, bytes]:
        _run("build", "--plans", str(plans), "--as-of", AS_OF, "--out", str(tmp_path / "merged"), "--no-pdf",
             "--no-search", "--config", config, "--sharded", "--max-offices", "3")
        return {p.relative_to(tmp_path / "merged").as_posix(): p.read_bytes() for folder in ("national", "bulk")
                for p in sorted((tmp_path / "merged" / "data" / folder).rglob("*")) if p.is_file()}

    before = sharded()
    parts = sorted((tmp_path / "merged" / "data/national/indicators").glob("*.csv"))
    assert len(parts) >= 7 and not (tmp_path / "merged" / "data/national/indicators.csv").exists()
    assert _differences(single(), tmp_path / "merged") == []
    _update_one_report(plans, "upazila-3")  # republished by its shard and the merge: only its part is new
    after = sharded()
    assert _differences(single(), tmp_path / "merged") == []
    part = next(p.stem.removeprefix("indicators-") for p in parts if "upazila-3" in p.read_text(encoding="utf-8"))
    changed = sorted(path for path in after if after[path] != before.get(path))
    assert changed and all(f"-{part}." in path or f"-{part}-" in path for path in changed), changed


def test_merge_refuses_a_missing_shard_and_shards_of_other_reference_dates(tmp_path, here):
    plans = tmp_path / "plans"
    generate(6, plans, PLANS)
    plan = _plan(plans, 3)
    assert len(plan) >= 2
    outputs = []
    for number, shard in enumerate(plan):
        outputs.append(tmp_path / f"shard-{shard['shard']}")
        _run("build", "--plans", str(plans), "--as-of", "2024-11-0" + str(1 + (number == 1)), "--max-offices", "3",
             "--no-pdf", "--shard", shard["shard"], str(outputs[-1]))
    runner = CliRunner()
    missing = runner.invoke(main, ["merge", "--plans", str(plans), str(tmp_path / "site"), *map(str, outputs[1:])])
    assert missing.exit_code != 0 and "in no shard given" in missing.output
    mixed = runner.invoke(main, ["merge", "--plans", str(plans), str(tmp_path / "site"), *map(str, outputs)])
    assert mixed.exit_code != 0 and "different reference dates" in mixed.output
    assert not (tmp_path / "site").exists()


def test_a_shard_name_not_in_the_plan_is_refused_with_the_command_that_lists_them(tmp_path, here):
    result = CliRunner().invoke(main, ["build", "--shard", "no-such-ministry", str(tmp_path / "out")])
    assert result.exit_code != 0 and "build_site.py shards" in result.output
    assert not (tmp_path / "out").exists()


def _indexed_bundle(bundle: Path) -> set[str]:
    import gzip

    return {json.loads(gzip.decompress(f.read_bytes())[12:])["url"] for f in bundle.glob("fragment/*.pf_fragment")}


def _update_one_report(plans: Path, office: str) -> None:
    import re

    report = plans / office / "2023-24" / "apa-q2.yaml"
    report.write_text(re.sub(r'(\n  \S+: )"[০-৯]+"', r'\1"৯৯"', report.read_text(encoding="utf-8"), count=1),
                      encoding="utf-8")


def test_a_sharded_build_republishes_one_offices_update_by_its_shard_and_the_merge_only(tmp_path, here):
    plans = tmp_path / "plans"
    generate(8, plans, PLANS)
    site = tmp_path / "site"
    cold = _run("build", "--plans", str(plans), "--out", str(site), "--no-pdf", "--as-of", AS_OF, "--sharded",
                "--max-offices", "3")
    built = [line.split(":")[0] for line in cold.splitlines() if line.startswith("shard ")]
    assert len(built) == len(_plan(plans, 3)) > 2
    assert "peak memory" in cold and "merged" in cold
    _run("build", "--plans", str(plans), "--out", str(tmp_path / "single"), "--no-pdf", "--as-of", AS_OF, "--single")
    assert _differences(tmp_path / "single", site) == []

    bundles = {b.name: _bytes_of(b) for b in (site / "pagefind-shards").iterdir()}
    _update_one_report(plans, "upazila-3")
    update = _run("build", "--plans", str(plans), "--out", str(site), "--no-pdf", "--as-of", AS_OF, "--sharded",
                  "--max-offices", "3")
    shard = next(s["shard"] for s in _plan(plans, 3) if "upazila-3" in s["offices"])
    assert [line.split(":")[0] for line in update.splitlines() if line.startswith("shard ")] == [f"shard {shard}"]
    assert "(rebuilt 1 changed office(s))" in update  # within the shard too, only that office's pages
    assert "; search " in update and "Pagefind peak memory" in update and "merge search: " in update
    after = {b.name: _bytes_of(b) for b in (site / "pagefind-shards").iterdir()}
    assert [name for name in sorted(after) if after[name] != bundles.get(name)] == [shard]  # only its bundle
    _run("build", "--plans", str(plans), "--out", str(tmp_path / "single"), "--no-pdf", "--as-of", AS_OF, "--single")
    assert _differences(tmp_path / "single", site) == []
    assert '"99"' in (site / "data" / "upazila-3" / "upazila-3-2023-24-apa-q2.json").read_text(encoding="utf-8")


def _bytes_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_shards_built_several_at_once_give_the_site_of_one_process(tmp_path, here):
    plans = tmp_path / "plans"
    generate(8, plans, PLANS)
    site = tmp_path / "site"
    output = _run("build", "--plans", str(plans), "--out", str(site), "--no-pdf", "--no-search", "--as-of", AS_OF,
                  "--sharded", "--max-offices", "3", "--jobs", "3")
    built = sorted(line.split(":")[0] for line in output.splitlines() if line.startswith("shard "))
    assert built == sorted(f"shard {s['shard']}" for s in _plan(plans, 3)) and len(built) > 2
    _run("build", "--plans", str(plans), "--out", str(tmp_path / "single"), "--no-pdf", "--no-search", "--as-of", AS_OF,
         "--single")
    assert _differences(tmp_path / "single", site) == []


def test_a_report_filed_in_another_offices_folder_is_built_in_one_process(tmp_path, here):
    plans = tmp_path / "plans"
    generate(8, plans, PLANS)
    moved = plans / "upazila-0" / "2023-24" / "apa-q2.yaml"
    moved.rename(plans / "ministry-0" / "2023-24" / "upazila-0-apa-q2.yaml")  # its `office:` still says upazila-0
    output = _run("build", "--plans", str(plans), "--out", str(tmp_path / "site"), "--no-pdf", "--as-of", AS_OF,
                  "--sharded", "--max-offices", "3")
    assert "building the site in one process" in output
    _run("build", "--plans", str(plans), "--out", str(tmp_path / "single"), "--no-pdf", "--as-of", AS_OF, "--single")
    assert _differences(tmp_path / "single", tmp_path / "site") == []


def test_a_shard_without_its_output_folder_is_refused_and_site_is_left_alone(tmp_path, here):
    result = CliRunner().invoke(main, ["build", "--shard", "cabinet-division", "--out", str(tmp_path / "site")])
    assert result.exit_code != 0 and "build --shard NAME OUT_DIR" in result.output
    assert not (tmp_path / "site").exists()
