"""`build_site.py serve`: the live preview sees generated pages and rebuilds when a plan file changes."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request

from conftest import ROOT

PAGE = "offices/itna-upazila-cooperative/2023-24/nis/"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, want: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    html = ""
    while time.monotonic() < deadline:
        try:
            html = urllib.request.urlopen(url, timeout=5).read().decode("utf-8")
            if want in html:
                return html
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{want!r} did not appear at {url} within {timeout}s")


def test_serve_shows_generated_pages_and_reloads_a_changed_plan(tmp_path):
    for name in ("mkdocs.yml", "content", "theme_overrides", "plans"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / name)
    port = _free_port()
    server = subprocess.Popen([sys.executable, str(ROOT / "build_site.py"), "serve", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/{PAGE}"
        _get(url, "নৈতিকতা কমিটি সভা আয়োজন")
        plan = tmp_path / "plans/itna-upazila-cooperative/2023-24/nis.yaml"
        plan.write_text(plan.read_text(encoding="utf-8").replace("নৈতিকতা কমিটি সভা আয়োজন", "নৈতিকতা কমিটির ত্রৈমাসিক সভা"),
                        encoding="utf-8")
        _get(url, "নৈতিকতা কমিটির ত্রৈমাসিক সভা")
    finally:
        server.terminate()
        server.wait(timeout=20)
