"""The publish workflow run step by step on this machine (scripts/publish_dry_run.py): the plan job splits
the shipped plans into shards, every shard builds in a fresh checkout of its own (the matrix), the merge
sees only the shards' artifacts and deploys the one site to a web server folder with `deploy`."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SECRET = "-----BEGIN OPENSSH PRIVATE KEY-----dry-run-not-a-key-5f3a9c-----END OPENSSH PRIVATE KEY-----"


def _dry_run_module():
    spec = importlib.util.spec_from_file_location("publish_dry_run", ROOT / "scripts" / "publish_dry_run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_workflow_s_conditions_send_a_small_site_to_pages_and_a_configured_one_to_the_server():
    dry = _dry_run_module()
    flow = dry.load_workflow()
    merge, deploy = flow["jobs"]["merge"], flow["jobs"]["deploy"]
    pages_step = next(s for s in merge["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    server_step = next(s for s in merge["steps"] if "build_site.py deploy" in s.get("run", ""))
    for variables, to_pages in (({}, True), ({"DEPLOY_DEST": "deploy@server:/srv/sebabox"}, False)):
        context = dry.Context(variables, {}, {}, "0" * 40)
        assert context.condition(pages_step["if"]) is to_pages
        assert context.condition(deploy["if"]) is to_pages
        assert context.condition(server_step["if"]) is not to_pages


def test_the_publish_workflow_builds_each_shard_alone_merges_them_and_deploys_to_a_web_server(tmp_path):
    dry = _dry_run_module()
    offices = sorted(path.parent.name for path in (ROOT / "plans").glob("*/office.yaml"))
    lines: list[str] = []
    srv = tmp_path / "srv"
    # at the workflow's own MAX_OFFICES the shipped plans are one shard: the dry run splits them smaller
    runner = dry.Runner(tmp_path / "work", ROOT / "plans", {"DEPLOY_DEST": str(srv)}, {"DEPLOY_SSH_KEY": SECRET}, "",
                        log=lines.append)
    runner.flow["env"]["MAX_OFFICES"] = "6"
    runner.run()
    matrix = json.loads(runner.outputs["plan"]["shards"])
    assert len(matrix) >= 3, "the shipped plans split into several shards at 6 offices"
    assert runner.ran == ["plan", *[f"shard ({name})" for name in matrix], "merge"], runner.ran
    assert "job deploy: skipped (if: vars.DEPLOY_DEST == '')" in lines, "a server deployment replaces Pages"
    assert any(line.startswith("  skip  actions/upload-pages-artifact") for line in lines)
    # each shard job uploaded its own build once (not the symlink and its target), summaries included
    for name in matrix:
        artifact = tmp_path / "work" / "artifacts" / f"shard-{name}"
        assert [p.name for p in artifact.iterdir()] == [name], "one folder: the shard's build"
        assert (artifact / name / "sebabox-shard" / "shard.json").is_file()
        assert any((artifact / name / "offices").iterdir()), f"shard {name} uploaded no office pages"
    # the merged site reached the server folder, every office of the plans in it, through `current`
    live = srv / "current"
    assert (live / "index.html").is_file() and (live / "pagefind" / "pagefind.js").is_file()
    for slug in offices:
        assert (live / "offices" / slug / "index.html").is_file(), slug
    assert (live / "data" / "bulk" / "sebabox-open-data.zip").is_file()
    # the key was written for rsync only and is gone; no step printed it
    assert SECRET not in "".join(runner.transcript)
    assert not (tmp_path / "work" / "home" / ".ssh" / "id_ed25519").exists()


def test_the_dry_run_refuses_a_step_it_cannot_stand_in_for(tmp_path):
    dry = _dry_run_module()
    runner = dry.Runner(tmp_path, ROOT / "plans", {}, {}, "", log=lambda line: None)
    with pytest.raises(dry.DryRunError, match="no stand-in for someone/unknown-action@v1"):
        runner.action("someone/unknown-action@v1", {}, tmp_path)
    context = dry.Context({}, {}, {}, "0" * 40)
    with pytest.raises(dry.DryRunError, match="does not know the expression"):
        context.text("${{ github.event.head_commit.message }}")
    with pytest.raises(dry.DryRunError, match="pass it through env"):
        runner.shell('echo "${{ matrix.shard }}"', {}, tmp_path, "pasted")
