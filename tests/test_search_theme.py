"""The header override stays Material's header with only the search block swapped for Pagefind's."""

from __future__ import annotations

import re
from pathlib import Path

import material

from conftest import ROOT

OURS = ROOT / "theme_overrides" / "partials" / "header.html"
MATERIAL = Path(material.__file__).parent / "templates" / "partials" / "header.html"
COMMENT = re.compile(r"[ \t]*\{#-.*?-#\}\n?", re.S)


def _without_comments(text: str) -> str:
    return COMMENT.sub("", text)


def test_header_override_matches_materials_header_but_for_search():
    theirs = _without_comments(MATERIAL.read_text(encoding="utf-8"))
    ours = _without_comments(OURS.read_text(encoding="utf-8"))
    start = theirs.index('    {% if "material/search" in config.plugins %}')
    end = theirs.index("    {% if config.repo_url %}")
    expected = theirs[:start] + '    {% include "partials/sebabox-search.html" %}\n' + theirs[end:]
    assert ours == expected, ("Material's partials/header.html changed: copy it to theme_overrides/partials/ "
                              "again and replace its search block by the sebabox-search.html include")
