"""Shared scenarios: the site built once from the shipped plans, and a CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

# `make test` (and CI) draws the same property-test examples on every run, so a run fails only for a change
# in the code, never for a new random draw; `make fuzz` (--hypothesis-profile=explore) draws new ones.
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore")
settings.load_profile("repeatable")

from sebabox.cli import main

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans"


@pytest.fixture(scope="session", autouse=True)
def throwaway_cache(tmp_path_factory):
    """Build records and parsed plans of the tests' temporary plans go to a temporary cache, not .cache/."""
    patch = pytest.MonkeyPatch()
    patch.setenv("SEBABOX_CACHE", str(tmp_path_factory.mktemp("cache")))
    yield
    patch.undo()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """site/ as `make site` builds it from the shipped plans (pages, PDFs, data, search index)."""
    from sebabox.outputs.publish import build_site

    out = tmp_path_factory.mktemp("built") / "site"
    build_site(ROOT / "mkdocs.yml", PLANS, out)
    return out


@pytest.fixture
def check():
    """Run `build_site.py check DIR` and return (exit code, output)."""
    def run(plans_dir: Path):
        result = CliRunner().invoke(main, ["check", str(plans_dir)])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        return result.exit_code, result.output
    return run


@pytest.fixture
def plans_copy(tmp_path) -> Path:
    """A writable copy of the shipped plans, to break on purpose."""
    target = tmp_path / "plans"
    shutil.copytree(PLANS, target)
    return target


def pdf_text(path: Path) -> str:
    """The text a reader copies out of the PDF (pdftotext), whitespace collapsed; pages split by \f."""
    import re
    import subprocess

    raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "\f".join(re.sub(r"\s+", " ", page) for page in raw.split("\f"))


def pdfium_text(path: Path) -> str:
    """The text Chrome's PDF engine (PDFium, through pypdfium2) extracts, pages split by \f."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        # PDFium returns a hyphen that ends a line as U+FFFE (Chrome's kPdfiumHyphenEOL, for the viewer
        # to drop when copying); the PDF has a hyphen there.
        return "\f".join(page.get_textpage().get_text_range().replace("\ufffe", "-") for page in document)
    finally:
        document.close()


def config_with(folder: Path, **plugin: object) -> Path:
    """The shipped mkdocs.yml written into `folder` with these sebabox plugin settings added (e.g.
    national_part_offices=2), its own folders still the project's."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for key in ("docs_dir: ", "custom_dir: "):
        start = text.index(key) + len(key)
        end = text.index("\n", start)
        text = text[:start] + str(ROOT / text[start:end].split("#")[0].strip()) + text[end:]
    settings = "".join(f"\n      {key}: {value}" for key, value in plugin.items())
    text = text.replace("\n      plans: plans", "\n      plans: plans" + settings, 1)
    assert all(f"{key}: " in text for key in plugin)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mkdocs.yml").write_text(text, encoding="utf-8")
    return folder / "mkdocs.yml"
