"""Sharded builds, run: one shard (`build --shard`), the merge (`merge`), and a whole site as every shard in
turn, each in its own process, then the merge (`build` of a big plans folder), reusing the shards whose
inputs did not change. What a shard and the merge write is in shards.py, summary.py and merge.py.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from sebabox.errors import SebaboxError
from sebabox.outputs import atomic
from sebabox.outputs.incremental import remove_tree
from sebabox.outputs.publish import index_search, swap


def build_shard(config_file: Path, plans_dir: Path, out_dir: Path, name: str, *, max_offices: int, pdf: bool = True,
                progress=print, as_of=None, problems_out=None) -> None:
    """One shard (outputs/shards.py) into OUT: its offices' pages, PDFs and data and a summary per office,
    for `merge`. OUT is replaced atomically, like a site. Reads only the shard's offices' folders."""
    from sebabox.inputs.check import check_plans, parse_cache_root
    from sebabox.inputs.gitdates import first_published
    from sebabox.outputs import shards
    from sebabox.outputs.status_pages import reference_date

    as_of = reference_date(as_of)  # before SOURCE_DATE_EPOCH is set below, as build_site judges it
    tree = shards.read_tree(plans_dir)
    shard = shards.find(shards.plan(tree, max_offices), name)
    offices = set(shard.offices)
    problems, catalog = check_plans(plans_dir, parse_cache_root(config_file),
                                    select=shards.file_selector(plans_dir, tree, offices))
    if problems_out is not None:
        problems_out(problems)
    if problems.errors:
        raise SebaboxError(f"{len(problems.errors)} error(s) in {plans_dir}; shard {name} was not built")
    if misplaced := shards.misplaced(catalog, offices):
        raise SebaboxError("\n".join(misplaced))
    scope = shards.Scope(name, offices, shards.whole(tree, offices))
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or str(shards.content_epoch(plans_dir, parse_cache_root(config_file)))
    out_dir = atomic.output_path(out_dir)
    atomic.refuse_unsafe_output(out_dir, plans_dir, config_file.resolve().parent)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with atomic.build_lock(out_dir), atomic.readable_files(), _environment("SOURCE_DATE_EPOCH", epoch):
        atomic.clean_leftovers(out_dir)
        tmp = atomic.new_build(out_dir)
        try:
            from sebabox.site.engine import run_build

            run_build(config_file, tmp, plans_dir, pdf=pdf, catalog=catalog, update=None, as_of=as_of,
                      git_dates=first_published(plans_dir), scope=scope)
            shards.prune(tmp, offices, True)
            swap(tmp, out_dir)
        except BaseException:
            remove_tree(tmp)
            raise
    progress(f"shard {name}: {len(offices)} office(s), {len(scope.whole)} with their whole subtree")


def merge_site(config_file: Path, plans_dir: Path, out_dir: Path, shard_dirs: list[Path], *, search: bool = True,
               progress=print) -> None:
    """One site from the shards' outputs (outputs/merge.py), published like `build_site` does."""
    from sebabox.outputs import merge
    from sebabox.site.engine import run_build

    merged = merge.inputs(plans_dir, shard_dirs)
    out_dir = atomic.output_path(out_dir)
    atomic.refuse_unsafe_output(out_dir, plans_dir, config_file.resolve().parent)
    for folder in shard_dirs:
        if folder.resolve() == out_dir.resolve():
            raise SebaboxError(f"refusing to merge into {out_dir}: it is one of the shards")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with atomic.build_lock(out_dir), atomic.readable_files(), _environment("SOURCE_DATE_EPOCH", str(merged.epoch)):
        atomic.clean_leftovers(out_dir)
        tmp = atomic.new_build(out_dir)
        try:
            merge.link_shards(shard_dirs, tmp)
            run_build(config_file, tmp, plans_dir, pdf=False, catalog=merged.catalog, update=None, merged=merged)
            if search:
                index_search(tmp)
            swap(tmp, out_dir)
        except BaseException:
            remove_tree(tmp)
            raise
    progress(f"merged {len(shard_dirs)} shard(s): {len(merged.catalog.offices)} office(s), "
             f"{len(merged.rest)} office page(s) across shards")


@contextlib.contextmanager
def _environment(name: str, value: str):
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


