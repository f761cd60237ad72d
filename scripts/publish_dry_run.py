"""Run .github/workflows/publish.yml's jobs on this machine, in order, against a plans folder.

    python scripts/publish_dry_run.py WORKDIR [--plans plans] [--var NAME=VALUE]... [--secret NAME=VALUE]...

Each job starts in a fresh checkout (WORKDIR/jobs/<job>: the repository's tracked files with PLANS as
plans/, committed to a new git repository, as on a runner), so the merge sees only what the shard jobs
uploaded. Every `run:` step runs as GitHub runs it (bash -eo pipefail, the workflow's, job's and
step's env, $GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY) with HOME in WORKDIR; the matrix comes from the plan
job's output through fromJSON, as in Actions. Steps that install (pip, system packages) are skipped:
this machine has what they install. The actions are stood in for: checkout and setup-python (the
fresh checkout, this Python), cache (a folder per key under WORKDIR/cache), upload-/download-artifact
(folders under WORKDIR/artifacts, download by pattern with merge-multiple), configure-pages (base_url
from --pages-url), upload-pages-artifact (the folder must hold index.html; archived with the action's own tar
command, links dereferenced, into WORKDIR/artifacts/github-pages.tar), deploy-pages (nothing).
An expression the stand-in does not know stops the run: the workflow changed, so must this script.
Prints each step and its time; exits non-zero at the first failing step.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
INSTALLS = ("pip install", "system-deps.sh")
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
PATH_EXPR = re.compile(r"[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*")


class DryRunError(Exception):
    pass


def load_workflow(path: Path = WORKFLOW) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as the boolean true
        data["on"] = data.pop(True)
    return data


class Context:
    """The expression contexts one job sees."""

    def __init__(self, variables: dict, secrets: dict, needs: dict, sha: str):
        self.vars, self.secrets, self.needs, self.sha = variables, secrets, needs, sha
        self.matrix: dict = {}
        self.steps: dict = {}

    def lookup(self, path: str) -> str:
        head, *rest = path.split(".")
        if head == "vars" and len(rest) == 1:
            return self.vars.get(rest[0], "")
        if head == "secrets" and len(rest) == 1:
            return self.secrets.get(rest[0], "")
        if head == "matrix" and len(rest) == 1:
            return self.matrix[rest[0]]
        if head == "github" and rest == ["sha"]:
            return self.sha
        if head == "needs" and len(rest) == 3 and rest[1] == "outputs":
            return self.needs.get(rest[0], {}).get(rest[2], "")
        if head == "steps" and len(rest) == 3 and rest[1] == "outputs":
            return self.steps.get(rest[0], {}).get(rest[2], "")
        raise DryRunError(f"the dry run does not know the expression {path!r}")

    def value(self, expression: str):
        """One expression: a context path, fromJSON(path), `path == ''` or `path != ''`."""
        expression = expression.strip()
        match = re.fullmatch(r"fromJSON\((.+)\)", expression)
        if match:
            return json.loads(self.value(match.group(1)))
        match = re.fullmatch(r"(.+?)\s*(==|!=)\s*''", expression)
        if match:
            empty = self.value(match.group(1)) == ""
            return empty if match.group(2) == "==" else not empty
        if PATH_EXPR.fullmatch(expression):
            return self.lookup(expression)
        raise DryRunError(f"the dry run does not know the expression {expression!r}")

    def text(self, template) -> str:
        if not isinstance(template, str):
            return str(template)
        return EXPRESSION.sub(lambda m: str(self.value(m.group(1))), template)

    def condition(self, text) -> bool:
        if text is None:
            return True
        match = EXPRESSION.fullmatch(text.strip())
        return bool(self.value(match.group(1) if match else text))


def checkout(work: Path, plans: Path, name: str) -> Path:
    """A fresh runner's checkout: the tracked files, PLANS as plans/, one commit."""
    dest = work / "jobs" / name
    if dest.exists():
        shutil.rmtree(dest)
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.decode()
    for rel in filter(None, files.split("\0")):
        if rel.startswith("plans/") or not (ROOT / rel).is_file():
            continue
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, dest / rel)
    shutil.copytree(plans, dest / "plans")
    env = {**os.environ, "GIT_AUTHOR_DATE": "2024-07-01T00:00:00Z", "GIT_COMMITTER_DATE": "2024-07-01T00:00:00Z",
           "GIT_AUTHOR_NAME": "dry run", "GIT_AUTHOR_EMAIL": "dry-run@example.invalid",
           "GIT_COMMITTER_NAME": "dry run", "GIT_COMMITTER_EMAIL": "dry-run@example.invalid"}
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-q", "-m", "dry run"]):
        subprocess.run(cmd, cwd=dest, env=env, check=True, capture_output=True)
    return dest


class Runner:
    def __init__(self, work: Path, plans: Path, variables: dict, secrets: dict, pages_url: str, log=print):
        self.work, self.plans, self.log = work, plans, log
        self.variables, self.secrets, self.pages_url = variables, secrets, pages_url
        self.flow = load_workflow()
        self.outputs: dict[str, dict] = {}
        self.transcript: list[str] = []  # every step's output, to check what a log would show
        self.ran: list[str] = []
        self.pending_caches: list = []

    def run(self) -> None:
        done: set[str] = set()
        jobs = self.flow["jobs"]
        while len(done) < len(jobs):
            ready = [name for name, job in jobs.items() if name not in done
                     and set(_list(job.get("needs"))) <= done]
            if not ready:
                raise DryRunError(f"jobs wait on each other: {sorted(set(jobs) - done)}")
            for name in ready:
                self.job(name, jobs[name])
                done.add(name)

    def job(self, name: str, job: dict) -> None:
        needs = {need: self.outputs.get(need, {}) for need in _list(job.get("needs"))}
        context = Context(self.variables, self.secrets, needs, "0" * 40)
        if not context.condition(job.get("if")):
            self.log(f"job {name}: skipped (if: {job['if']})")
            self.outputs[name] = {}
            return
        matrix = (job.get("strategy") or {}).get("matrix")
        combos = [{}]
        if matrix:
            (key, values), = matrix.items()
            values = context.value(EXPRESSION.fullmatch(values).group(1)) if isinstance(values, str) else values
            combos = [{key: value} for value in values]
        for combo in combos:
            context.matrix, context.steps = combo, {}
            label = name + "".join(f" ({v})" for v in combo.values())
            self.log(f"job {label}")
            self.ran.append(label)
            workspace = checkout(self.work, self.plans, label.replace(" ", "_").replace("(", "").replace(")", ""))
            env = {**{k: context.text(v) for k, v in (self.flow.get("env") or {}).items()},
                   **{k: context.text(v) for k, v in (job.get("env") or {}).items()}}
            self.pending_caches = []
            for step in job.get("steps", []):
                self.step(step, context, env, workspace)
            for saved, paths in self.pending_caches:
                for path in paths:
                    if (workspace / path).is_dir() and not (saved / path).exists():
                        shutil.copytree(workspace / path, saved / path)
            self.outputs[name] = {k: context.text(v) for k, v in (job.get("outputs") or {}).items()}

    def step(self, step: dict, context: Context, job_env: dict, workspace: Path) -> None:
        title = step.get("name") or step.get("uses") or step.get("run", "").splitlines()[0]
        if not context.condition(step.get("if")):
            self.log(f"  skip  {title} (if: {step['if']})")
            return
        env = {**job_env, **{k: context.text(v) for k, v in (step.get("env") or {}).items()}}
        start = time.perf_counter()
        if "uses" in step:
            outputs = self.action(step["uses"], {k: context.text(v) for k, v in (step.get("with") or {}).items()},
                                  workspace)
        elif any(marker in step["run"] for marker in INSTALLS):
            self.log(f"  skip  {title} (installs: this machine has it)")
            return
        else:
            outputs = self.shell(step["run"], env, workspace, title)
        if step.get("id"):
            context.steps[step["id"]] = outputs
        self.log(f"  done  {title} ({time.perf_counter() - start:.1f} s)")

    def shell(self, script: str, env: dict, workspace: Path, title: str) -> dict:
        if "${{" in script:
            raise DryRunError(f"step {title!r}: an expression inside run: (pass it through env)")
        home, files = self.work / "home", self.work / "step-files"
        home.mkdir(parents=True, exist_ok=True)
        files.mkdir(parents=True, exist_ok=True)
        output, summary = files / "output", files / "summary"
        output.write_text("", encoding="utf-8")
        full = {key: value for key, value in os.environ.items() if not key.startswith(("GITHUB_", "SEBABOX_"))}
        full.update(env)
        full.update({"HOME": str(home), "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary),
                     "GITHUB_WORKSPACE": str(workspace), "CI": "true",
                     "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"})
        result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=workspace,
                                env=full, capture_output=True, text=True)
        self.transcript += [result.stdout, result.stderr]
        if result.returncode:
            raise DryRunError(f"step {title!r} failed ({result.returncode}):\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
        outputs = {}
        for line in output.read_text(encoding="utf-8").splitlines():
            key, sep, value = line.partition("=")
            if sep:
                outputs[key] = value
        return outputs

    def action(self, uses: str, given: dict, workspace: Path) -> dict:
        action = uses.partition("@")[0]
        artifacts = self.work / "artifacts"
        if action in ("actions/checkout", "actions/setup-python", "actions/deploy-pages"):
            return {}
        if action == "actions/configure-pages":
            return {"base_url": self.pages_url}
        if action == "actions/cache":  # restored now (the key, else the newest with a restore-keys prefix), saved after the job
            caches = self.work / "cache"
            caches.mkdir(parents=True, exist_ok=True)
            key, prefix = _safe(given["key"]), _safe(given.get("restore-keys", given["key"]))
            hit = caches / key if (caches / key).is_dir() else max(
                (p for p in caches.iterdir() if p.name.startswith(prefix)), key=lambda p: p.stat().st_mtime, default=None)
            for path in given["path"].split():
                if hit is not None and (hit / path).is_dir():
                    shutil.copytree(hit / path, workspace / path, dirs_exist_ok=True)
            self.pending_caches.append((caches / key, given["path"].split()))
            return {}
        if action == "actions/upload-artifact":
            source = workspace / given["path"]
            if given.get("if-no-files-found") == "error" and not any(source.rglob("*")):
                raise DryRunError(f"upload-artifact {given['name']}: no files under {given['path']}")
            # as upload-artifact: symlinks followed (their targets' files stored), hidden files only when asked
            hidden = str(given.get("include-hidden-files")).lower() == "true"
            shutil.copytree(source, artifacts / given["name"], dirs_exist_ok=False,
                            ignore=None if hidden else lambda folder, names: [n for n in names if n.startswith(".")])
            return {}
        if action == "actions/download-artifact":
            found = sorted(p for p in artifacts.iterdir() if fnmatch.fnmatch(p.name, given["pattern"]))
            if not found:
                raise DryRunError(f"download-artifact: no artifact matches {given['pattern']}")
            for artifact in found:
                target = workspace / given["path"] / ("" if str(given.get("merge-multiple")).lower() == "true" else artifact.name)
                shutil.copytree(artifact, target, dirs_exist_ok=True)
            return {}
        if action == "actions/upload-pages-artifact":
            if not (workspace / given["path"] / "index.html").is_file():
                raise DryRunError(f"upload-pages-artifact: {given['path']}/index.html is missing")
            pages_artifact(workspace / given["path"], artifacts / "github-pages.tar")
            return {}
        raise DryRunError(f"the dry run has no stand-in for {uses}")


def pages_artifact(site: Path, archive: Path) -> Path:
    """The archive actions/upload-pages-artifact (v5, Linux) makes: GNU tar dereferencing symbolic and hard
    links (a merged site's office folders are links into the shards' builds), hidden files left out. Pages
    refuses an archive holding a link: so does this."""
    import tarfile

    archive.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "--dereference", "--hard-dereference", "--directory", str(site), "-cf", str(archive),
                    "--exclude=.git", "--exclude=.github", "--exclude=.[^/]*", "."], check=True)
    with tarfile.open(archive) as tar:
        links = [m.name for m in tar.getmembers() if not (m.isfile() or m.isdir())]
    if links:
        raise DryRunError(f"upload-pages-artifact: Pages refuses links in the artifact: {', '.join(links[:5])}")
    return archive


def _safe(key: str) -> str:
    return re.sub(r"[^\w.-]", "_", key)


def _list(value) -> list:
    return [] if value is None else [value] if isinstance(value, str) else list(value)


def _pairs(items: list[str]) -> dict:
    return dict(item.split("=", 1) for item in items)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("work", type=Path, help="a new folder for the checkouts, artifacts and caches")
    parser.add_argument("--plans", type=Path, default=ROOT / "plans")
    parser.add_argument("--var", action="append", default=[], metavar="NAME=VALUE", help="a repository variable")
    parser.add_argument("--secret", action="append", default=[], metavar="NAME=VALUE", help="a repository secret")
    parser.add_argument("--pages-url", default="", help="what configure-pages answers as base_url")
    args = parser.parse_args(argv)
    runner = Runner(args.work.resolve(), args.plans.resolve(), _pairs(args.var), _pairs(args.secret), args.pages_url)
    try:
        runner.run()
    except DryRunError as exc:
        print(f"dry run stopped: {exc}", file=sys.stderr)
        return 1
    print("dry run: every job ran: " + ", ".join(runner.ran))
    return 0


if __name__ == "__main__":
    sys.exit(main())
