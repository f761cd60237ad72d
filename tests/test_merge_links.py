"""A merged site links each office's folder into the shard build it was made from (merge.link_shards), so
merging costs one link per office, not one per file: the links are relative and survive moving the folder
that holds site and shards, lead into the shard's versioned build (a shard built again never changes the
live site before the merge's switch), are never written through, and every consumer sees files: the Pages
artifact, the size warning, a web server deployment (test_deploy.py), the identity with one build
(test_shards.py)."""

from __future__ import annotations

import json
import os
import re
import tarfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from sebabox.cli import main
from sebabox.outputs import merge, publish
from sebabox.outputs.sharded import linked_builds
from sebabox.tools.deploy import site_size
from sebabox.tools.synthetic import generate

from conftest import PLANS, ROOT

AS_OF = "2024-11-01"


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def _files(site: Path) -> dict[str, bytes]:
    """Every file of a site as a reader gets it (through folder links), with its bytes."""
    return {Path(folder, name).relative_to(site).as_posix(): Path(folder, name).read_bytes()
            for folder, _, names in os.walk(site, followlinks=True) for name in names}


def _shards_and_merge(plans: Path, folder: Path, *options: str) -> list[dict]:
    plan = [json.loads(line) for line in _run("shards", "--plans", str(plans), "--max-offices", "3").splitlines()
            if line.startswith("{")]
    outputs = []
    for shard in plan:
        outputs.append(folder / f"shard-{shard['shard']}")
        _run("build", "--plans", str(plans), "--as-of", AS_OF, "--max-offices", "3", "--no-pdf", "--no-search",
             "--shard", shard["shard"], str(outputs[-1]), *options)
    _run("merge", "--plans", str(plans), "--no-search", str(folder / "site"), *map(str, outputs))
    return plan


@pytest.fixture()
def here(monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("SEBABOX_CACHE", str(tmp_path / "cache"))


def test_a_merged_site_links_office_folders_into_the_shards_builds_and_still_works_when_moved(tmp_path, here):
    plans = tmp_path / "plans"
    generate(8, plans, PLANS)
    project = tmp_path / "project"
    plan = _shards_and_merge(plans, project)
    site = project / "site"
    whole = {slug for s in plan for slug in json.loads(
        (project / f"shard-{s['shard']}" / "sebabox-shard" / "shard.json").read_text(encoding="utf-8"))["whole"]}
    offices = sorted(p.name for p in (site / "offices").iterdir() if p.is_dir())
    assert len(offices) == 8 and 0 < len(whole) < 8
    for slug in offices:
        folder = site / "offices" / slug
        if slug in whole:  # one link for the office's whole folder, into the build its shard made
            target = os.readlink(folder)
            assert not os.path.isabs(target), target  # relative: no machine path in the site
            assert re.search(r"/\.shard-[^/]+\.builds/b-[^/]+/offices/" + re.escape(slug) + "$", target), target
            assert os.readlink(site / "data" / slug).endswith(f"/data/{slug}")
        else:  # its office page, roll-ups and status pages read several shards: the merge writes them here
            assert not folder.is_symlink() and (folder / "index.html").is_file()
    assert not (site / "index.html").is_symlink() and not (site / "data").is_symlink()

    # the same site, byte for byte, as one build of the same plans; the size warning counts every file
    _run("build", "--plans", str(plans), "--as-of", AS_OF, "--out", str(tmp_path / "single"), "--no-pdf",
         "--no-search", "--single")
    served = _files(site)
    assert served == _files(tmp_path / "single")
    assert site_size(site) == site_size(tmp_path / "single") > 1_000_000

    # the Pages artifact (upload-pages-artifact's own tar command, as the publish dry run makes it) holds the
    # files, not the links
    archive = _dry_run_module().pages_artifact(site, tmp_path / "artifact.tar")
    with tarfile.open(archive) as tar:
        members = tar.getmembers()
        assert all(m.isfile() or m.isdir() for m in members), [m.name for m in members if m.issym() or m.islnk()]
        assert {m.name.removeprefix("./") for m in members if m.isfile()} == set(served)
        linked = next(name for name in served if name.startswith(f"offices/{sorted(whole)[0]}/"))
        assert tar.extractfile(f"./{linked}").read() == served[linked]

    # moved with its shards (a project folder copied elsewhere), the site still shows every file
    project.rename(tmp_path / "moved")
    assert _files(tmp_path / "moved" / "site") == served


def _dry_run_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("publish_dry_run", ROOT / "scripts" / "publish_dry_run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_merge_never_writes_through_a_link_into_a_shards_build(tmp_path, here, monkeypatch):
    plans = tmp_path / "plans"
    generate(8, plans, PLANS)
    _shards_and_merge(plans, tmp_path)
    site = (tmp_path / "site").resolve()
    linked = next(p for p in (site / "offices").iterdir() if p.is_symlink())
    page = linked / "index.html"
    before = page.read_bytes()
    with pytest.raises(ValueError, match="link into a shard's build"):
        publish.write_text(site, f"offices/{linked.name}/index.html", "overwritten")
    with pytest.raises(ValueError, match="link into a shard's build"):
        publish.write_text(site, f"data/{linked.name}/new.csv", "a,b\n")
    assert page.read_bytes() == before and not (linked.parent.parent / "data" / linked.name / "new.csv").exists()

    # a merge that linked the folders it then writes into (the office pages across shards) is stopped
    # before MkDocs writes the first of them, and the shards' builds are as they were
    shards_before = {p: _files(p) for p in tmp_path.glob("shard-*")}
    live = os.readlink(tmp_path / "site")
    linking = merge.link_shards
    monkeypatch.setattr(merge, "link_shards", lambda dirs, target, written=frozenset(): linking(dirs, target))
    outputs = sorted(tmp_path.glob("shard-*"))
    result = CliRunner().invoke(main, ["merge", "--plans", str(plans), "--no-search", str(tmp_path / "site"),
                                       *map(str, outputs)])
    assert result.exit_code != 0
    assert "link into a shard's build" in str(result.exception) + result.output
    assert {p: _files(p) for p in tmp_path.glob("shard-*")} == shards_before
    assert os.readlink(tmp_path / "site") == live  # the live site is the one before


def _update_one_report(plans: Path, office: str) -> None:
    report = plans / office / "2023-24" / "apa-q2.yaml"
    report.write_text(re.sub(r'(\n  \S+: )"[০-৯]+"', r'\1"৯৯"', report.read_text(encoding="utf-8"), count=1),
                      encoding="utf-8")


def _dangling(site: Path) -> list[str]:
    return [str(Path(folder, name)) for folder, dirs, names in os.walk(site, followlinks=True)
            for name in dirs + names if not Path(folder, name).exists()]


def test_a_shards_old_build_lives_until_the_merged_site_stops_linking_to_it(tmp_path, here, monkeypatch):
    plans = tmp_path / "plans"
    generate(8, plans, PLANS)
    site = tmp_path / "site"
    build = ("build", "--plans", str(plans), "--out", str(site), "--no-pdf", "--no-search", "--as-of", AS_OF,
             "--sharded", "--max-offices", "3")
    _run(*build)
    (work,) = (tmp_path / "cache" / "shards").iterdir()
    data = site / "data" / "upazila-3" / "upazila-3-2023-24-apa-q2.json"
    shard = next(part for part in Path(os.readlink(data.parent)).parts if part.endswith(".builds"))[1:-len(".builds")]
    first = (work / shard).resolve()
    assert linked_builds(site) == {(work / s.name).resolve() for s in work.iterdir() if s.is_symlink()}
    old_data = data.read_bytes()

    # the office's shard is built again, then the merge is interrupted: the live site is whole and unchanged,
    # still reading the shard's first build, which was kept
    _update_one_report(plans, "upazila-3")

    def interrupted(*args, **kwargs):  # after the links were made, before the switch
        raise RuntimeError("interrupted")

    from sebabox.site import engine

    monkeypatch.setattr(engine, "run_build", interrupted)
    result = CliRunner().invoke(main, list(build))
    assert result.exit_code != 0
    assert (work / shard).resolve() != first and first.is_dir()
    assert data.read_bytes() == old_data and not _dangling(site)
    assert first in linked_builds(site)

    # the next build runs the merge only (the shard is up to date); after its switch the first build is gone
    monkeypatch.undo()
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("SEBABOX_CACHE", str(tmp_path / "cache"))
    output = _run(*build)
    assert not [line for line in output.splitlines() if line.startswith("shard ")], output
    assert '"99"' in data.read_text(encoding="utf-8")
    assert not first.exists() and not _dangling(site)
    for builds in work.glob(".*.builds"):  # each shard: its lock and its current build, nothing else
        current = work / builds.name[1:].removesuffix(".builds")
        assert sorted(p.name for p in builds.iterdir()) == sorted(["lock", current.resolve().name]), builds
    assert linked_builds(site) == {(work / s.name).resolve() for s in work.iterdir() if s.is_symlink()}
