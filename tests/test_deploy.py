"""`build_site.py deploy`: the README's server deployment. A site reaches a real nginx (Debian's, run by the
test, its workers as the unprivileged www-data user) through a releases/ + current symlink layout; a
one-office update sends only the changed files, and the switch never leaves a broken `current`."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from sebabox.cli import main
from sebabox.tools import deploy as deploy_module
from sebabox.tools.synthetic import generate

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture()
def world_readable_dir():
    """A directory the web server's user can reach (pytest's own tmp tree is 0700, root's only)."""
    path = Path(tempfile.mkdtemp(prefix="sebabox-deploy-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


SHARDED = ("--sharded", "--max-offices", "3")  # a merged site: its office folders link into the shards' builds


@pytest.fixture(params=[("--single", "--incremental"), SHARDED], ids=["one-build", "merged-from-shards"])
def synthetic_site(tmp_path, monkeypatch, request):
    """A built site of 6 synthetic offices, and the options that rebuild it after an update: one process
    (--incremental), or shard by shard (only the changed office's shard and the merge run)."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("SEBABOX_CACHE", str(tmp_path / "cache"))
    plans = tmp_path / "plans"
    generate(6, plans, ROOT / "plans")
    site = tmp_path / "site"
    first = SHARDED if request.param == SHARDED else ("--single",)
    _invoke("build", "--plans", str(plans), "--out", str(site), "--no-pdf", "--no-search", *first)
    return plans, site, request.param


def _files(site: Path) -> list[str]:
    """Every file of the site as served: through the folder links of a merged site too."""
    return sorted(Path(folder, name).relative_to(site).as_posix()
                  for folder, _, names in os.walk(site, followlinks=True) for name in names)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def nginx(world_readable_dir):
    """nginx from the Debian package serving DOCROOT/current on a free port, workers as www-data."""
    if NGINX is None:
        pytest.skip("nginx is not installed (make test installs it as root: scripts/system-deps.sh)")
    if os.geteuid() != 0:
        pytest.skip("nginx must start as root to run its workers as the www-data user")
    docroot = world_readable_dir / "srv"
    state = world_readable_dir / "nginx"
    state.mkdir()
    port = _free_port()
    conf = state / "nginx.conf"
    conf.write_text(f"""
user www-data;
daemon off;
worker_processes 1;
pid {state}/nginx.pid;
error_log {state}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {state}/body; proxy_temp_path {state}/proxy; fastcgi_temp_path {state}/fastcgi;
    uwsgi_temp_path {state}/uwsgi; scgi_temp_path {state}/scgi;
    server {{ listen 127.0.0.1:{port}; root {docroot}/current; }}
}}
""")
    proc = subprocess.Popen([NGINX, "-c", str(conf), "-e", str(state / "error.log")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"nginx did not start: {proc.stderr.read().decode()}")
            time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", docroot
    proc.terminate()
    proc.wait(timeout=10)


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def test_deployed_site_is_served_by_nginx_as_www_data_and_a_one_office_update_sends_only_its_files(
        synthetic_site, nginx):
    plans, site, rebuild = synthetic_site
    base, docroot = nginx

    first = _invoke("deploy", str(site), str(docroot))
    assert re.search(r"deployed \d+ file\(s\)", first), first
    assert (docroot / "current").is_symlink()
    every = _files(site)
    if rebuild == SHARDED:  # a merged site's office folders are links: the release holds their files instead
        assert any(p.is_symlink() for p in (site / "offices").iterdir())
        assert not [p for p in (docroot / "current").resolve().rglob("*") if p.is_symlink()]
    for relative in every:  # www-data reads every file: nothing 0600 or in a 0700 directory
        status, body = _get(f"{base}/{relative}")
        assert status == 200, (relative, status)
        assert body == (site / relative).read_bytes(), relative
    status, home = _get(f"{base}/")
    assert status == 200 and home == (site / "index.html").read_bytes()

    # one office's quarterly update: a new achievement, an incremental rebuild, a second deployment
    report = plans / "upazila-1" / "2023-24" / "nis-q1.yaml"
    text = report.read_text(encoding="utf-8")
    changed = re.sub(r'(achievements:\n  \S+: )"[^"]*"', r'\1"৭৭"', text, count=1)
    assert changed != text
    report.write_text(changed, encoding="utf-8")
    _invoke("build", "--plans", str(plans), "--out", str(site), "--no-pdf", "--no-search", *rebuild)

    second = CliRunner().invoke(main, ["deploy", str(site), str(docroot)])
    assert second.exit_code == 0, second.output
    sent_files, sent_bytes = map(lambda s: int(s.replace(",", "")),
                                 re.search(r"(\d+) file\(s\) sent, ([\d,]+) bytes", second.output).groups())
    releases = sorted((docroot / "releases").iterdir())
    assert len(releases) == 2  # the live one and the previous, for a rollback
    old, new = releases
    now = _files(site)
    changed = [r for r in now if not (old / r).is_file() or (old / r).read_bytes() != (new / r).read_bytes()]
    same = [r for r in now if r not in set(changed)]
    # exactly the files whose bytes changed travel (the office's pages and data, its parents' pages, the
    # national tables and bulk zips, the search index); far fewer than the site's files
    assert sent_files == len(changed), (second.output, changed)
    assert 0 < sent_files < len(now) / 4, second.output
    changed_bytes = sum((site / r).stat().st_size for r in changed)
    assert sent_bytes < changed_bytes + 200 * len(now) + 100_000, second.output  # + file list and checksums
    page = next(p for p in now if "upazila-1" in p and "nis-q1" in p and p.endswith(".html"))
    status, body = _get(f"{base}/{page}")
    assert status == 200 and "৭৭".encode() in body
    assert len(same) > len(now) / 2
    for relative in same:  # an unchanged file is stored once: a hard link, same inode, same mtime (ETag)
        assert (old / relative).stat().st_ino == (new / relative).stat().st_ino, relative


def test_deploy_keeps_current_when_rsync_fails(synthetic_site, world_readable_dir, monkeypatch):
    _plans, site, _ = synthetic_site
    docroot = world_readable_dir / "srv"
    _invoke("deploy", str(site), str(docroot))
    live = os.readlink(docroot / "current")

    real_run = subprocess.run

    def failing_rsync(argv, *args, **kwargs):
        if argv[0] == "rsync":
            return subprocess.CompletedProcess(argv, 23, "", "rsync: some files could not be transferred")
        return real_run(argv, *args, **kwargs)

    monkeypatch.setattr(deploy_module.subprocess, "run", failing_rsync)
    result = CliRunner().invoke(main, ["deploy", str(site), str(docroot)])
    assert result.exit_code == 1
    assert "current is unchanged" in result.output and "Traceback" not in result.output
    assert os.readlink(docroot / "current") == live
    assert (docroot / "current" / "index.html").is_file()


def test_deploy_refuses_a_directory_that_is_not_a_built_site(tmp_path):
    result = CliRunner().invoke(main, ["deploy", str(tmp_path), str(tmp_path / "srv")])
    assert result.exit_code == 1
    assert "index.html" in result.output and "build" in result.output
    assert not (tmp_path / "srv").exists()


def test_build_warns_when_the_site_outgrows_github_pages(tmp_path, monkeypatch):
    (tmp_path / "index.html").write_text("x")
    assert deploy_module.pages_warning(tmp_path) is None
    monkeypatch.setattr(deploy_module, "PAGES_LIMIT", 0)
    warning = deploy_module.pages_warning(tmp_path)
    assert warning and "1 GB" in warning and "deploy" in warning
