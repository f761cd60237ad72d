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


def test_publish_workflow_checks_builds_and_deploys_main_to_pages():
    flow = _workflow("publish.yml")
    assert flow["on"]["push"]["branches"] == ["main"]
    assert flow["permissions"]["pages"] == "write" and flow["permissions"]["id-token"] == "write"
    jobs = flow["jobs"]
    build, deploy = jobs["build"], jobs["deploy"]
    runs = _runs(build)
    assert any("scripts/system-deps.sh" in run for run in runs)
    assert any("pip install ." in run for run in runs)
    check = next(i for i, run in enumerate(runs) if "build_site.py check plans" in run)
    built = next(i for i, run in enumerate(runs) if "build_site.py build" in run)
    assert check < built, "the plans are checked before the build"
    upload = next(s for s in _steps(build) if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site"
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert "actions/deploy-pages" in _uses(deploy)
    python = next(s for s in _steps(build) if s.get("uses", "").startswith("actions/setup-python"))
    assert str(python["with"]["python-version"]) == "3.11"


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
        f"::error file={plan},line=7::area 1 has weight ৫ but its indicators' weights add up to ৪",
        f"::warning file={plan},line=13::indicator 1.1: percentage over 100 (১২০%25)",
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
    assert f"{plan}:7: error: area 1 has weight ৫ but its indicators' weights add up to ৪" in result.output
    assert f"{plan}:13: warning: indicator 1.1: percentage over 100 (১২০%)" in result.output
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
        f"| `{plan}:7` | error | area 1 has weight ৫ but its indicators' weights add up to ৪ |",
        f"| `{plan}:13` | warning | indicator 1.1: percentage over 100 (১২০%) |",
    ]
    monkeypatch.delenv("GITHUB_STEP_SUMMARY")
    summary.unlink()
    CliRunner().invoke(main, ["check", str(plans)])
    assert not summary.exists(), "the default format writes no summary"


def test_job_summary_escapes_table_separators_and_markup():
    from sebabox.errors import github_summary

    text = github_summary([Problem("plans/a.yaml", 2, "warning", "a | b <script>\nnext")], 1)
    assert text.splitlines()[-1] == "| `plans/a.yaml:2` | warning | a \\| b &lt;script&gt; next |"
