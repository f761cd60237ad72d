"""Running MkDocs: a build into a directory, the live preview, and MkDocs' log lines.

The rest of sebabox calls these three functions and never imports mkdocs; moving to another site
engine (Material for MkDocs ends its life in May 2027) replaces this package and theme_overrides/."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path


def run_build(config_file: Path, site_dir: Path, plans_dir: Path, *, pdf: bool, catalog, update, as_of=None,
              git_dates=None, scope=None, merged=None) -> None:
    """One MkDocs build of the generated pages (and, by the plugin, PDFs and open data) into site_dir; of one
    shard's offices only (`scope`, outputs/shards.py), or of the pages that read every shard (`merged`,
    outputs/merge.py: the shards' files are in site_dir already, so it is not emptied first)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(config_file), site_dir=str(site_dir))
    plugin = config.plugins["sebabox"]
    plugin.config.plans = str(plans_dir.resolve())
    plugin.config.pdf = pdf
    plugin.preloaded = catalog  # already checked and printed by the caller
    plugin.update = update
    plugin.as_of, plugin.git_dates = as_of, git_dates  # reporting status: reference date, first-commit dates
    plugin.scope, plugin.merged = scope, merged
    with _quiet_dirty_warning():
        build(config, dirty=update is not None or merged is not None)


def serve(config_file: Path, dev_addr: str) -> None:
    """Live preview: pages are rebuilt when a plan file changes."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    mkdocs_serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True)


def show_progress() -> None:
    """Print the plugin's progress lines (PDFs, data files); MkDocs itself only when it warns."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    mkdocs_log = logging.getLogger("mkdocs")
    if not mkdocs_log.handlers:
        mkdocs_log.addHandler(handler)
        mkdocs_log.setLevel(logging.WARNING)
        logging.getLogger("mkdocs.plugins.sebabox").setLevel(logging.INFO)


class _DirtyWarningFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


@contextlib.contextmanager
def _quiet_dirty_warning():
    """MkDocs warns that a dirty build may leave stale navigation; ours has a fixed nav and rebuilds what changed."""
    logger, quiet = logging.getLogger("mkdocs.commands.build"), _DirtyWarningFilter()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)
