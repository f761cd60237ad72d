"""Where sebabox's own files and caches are (no other module computes these paths)."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def project_cache(config_file: Path) -> Path:
    """Build records and parsed plans: .cache/ beside mkdocs.yml, or $SEBABOX_CACHE (the tests use their own)."""
    return Path(os.environ.get("SEBABOX_CACHE") or config_file.resolve().parent / ".cache")
