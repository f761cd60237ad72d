"""Search on a sharded site: one Pagefind bundle per shard, merged in the visitor's browser.

Pagefind has no incremental mode and its memory grows with the pages it indexes (about 0.3 MB a
searchable page: 2.2 GB for the 6,955 pages of 1,000 offices). So a shard indexes its own pages into
`pagefind-shards/NAME/` (`build --shard`), and the merge indexes only the pages it writes itself (home,
section pages, the pages of offices whose subtree spans shards) into the primary bundle `pagefind/`, with
`pagefind/sebabox-bundles.json` listing the shards' bundles. The search box (assets/js/search.js) loads
the primary bundle and merges every listed one (Pagefind's mergeIndex): one search finds any office.

A merged bundle never loads Pagefind's code or WebAssembly (it runs on the primary's), only its
`pagefind-entry.json`, its `*.pf_meta`, the index chunks a query needs and the excerpts shown; the code
Pagefind writes into every bundle is removed from the shards' bundles.
"""

from __future__ import annotations

from pathlib import Path

from sebabox.errors import SebaboxError
from sebabox.outputs.incremental import remove_tree
from sebabox.outputs.publish import Indexed, _html_files, index_search

SHARD_BUNDLES = "pagefind-shards"  # no page lies there: pages are under offices/, data/, … (site/plugin.py)
SEARCH_RECORD = "search.json"  # in a shard's summaries (shards.META): its bundle, or none
_READ_BY_MERGED = {"pagefind-entry.json", "index", "fragment", "filter"}  # and pagefind.*.pf_meta


def index_shard(site_dir: Path, name: str) -> Indexed:
    """A shard's searchable pages into its bundle SHARD_BUNDLES/NAME/ (all of them again: the shard is small),
    recorded in its summaries' folder for the merge (none when the merge writes all of its offices' pages)."""
    import json

    from sebabox.outputs.publish import write_text
    from sebabox.outputs.shards import META

    bundle = site_dir / SHARD_BUNDLES / name
    remove_tree(bundle)
    indexed = index_search(site_dir, bundle.relative_to(site_dir).as_posix())  # no pages: no bundle
    data_only(bundle)
    record = {"bundle": f"{SHARD_BUNDLES}/{name}/" if indexed.pages else None, "pages": indexed.pages}
    write_text(site_dir, f"{META}/{SEARCH_RECORD}", json.dumps(record, ensure_ascii=False) + "\n")
    return indexed


def data_only(bundle: Path) -> None:
    """Keep in a merged bundle only what it is read for (Pagefind writes its code into every bundle)."""
    for entry in bundle.iterdir() if bundle.is_dir() else ():
        if entry.name not in _READ_BY_MERGED and not entry.name.endswith(".pf_meta"):
            remove_tree(entry) if entry.is_dir() else entry.unlink()


def shard_bundles(shard_dirs: list[Path]) -> list[str]:
    """The shards' bundles, site-relative, sorted; a shard built without search is refused."""
    import json

    from sebabox.outputs.shards import META

    found = []
    for folder in shard_dirs:
        try:
            record = json.loads((folder / META / SEARCH_RECORD).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise SebaboxError(f"{folder} was built without its search index (build --shard … --no-search): build "
                               "that shard again without --no-search, or merge with --no-search") from None
        if record.get("bundle"):
            found.append(record["bundle"])
    return sorted(found)


def index_merge(site_dir: Path, shard_dirs: list[Path], bundles: list[str]) -> Indexed:
    """The primary bundle pagefind/: the searchable pages the merge wrote (none a shard wrote), and the
    list of the shards' bundles."""
    skip = {page.relative_to(folder).as_posix() for folder in shard_dirs for page in _html_files(folder)}
    return index_search(site_dir, skip=skip, bundles=bundles)
