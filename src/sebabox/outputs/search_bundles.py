"""Search on a sharded site: one Pagefind bundle per shard, merged in the visitor's browser.

Pagefind has no incremental mode and its memory grows with the pages it indexes (about 0.3 MB a
searchable page: 2.2 GB for the 6,955 pages of 1,000 offices). So a shard indexes its own pages into
`pagefind-shards/NAME/` (`build --shard`), and the merge indexes only the pages it writes itself (home,
section pages, the pages of offices whose subtree spans shards) into the primary bundle `pagefind/`, with
`pagefind/sebabox-bundles.json` listing the shards' bundles. The search box (assets/js/search.js) loads
the primary bundle and merges the listed ones (Pagefind's mergeIndex): one search finds any office. A
directory page per shard bundle, in the directory bundles `pagefind-directory/N/`, lets a query merge only
the bundles that can match it (see "routing" below).

A merged bundle never loads Pagefind's code or WebAssembly (it runs on the primary's), only its
`pagefind-entry.json`, its `*.pf_meta`, the index chunks a query needs and the excerpts shown; the code
Pagefind writes into every bundle is removed from the shards' bundles.
"""

from __future__ import annotations

from pathlib import Path

from sebabox.errors import SebaboxError
from sebabox.outputs.incremental import remove_tree
from sebabox.outputs.publish import Indexed, index_search, write_text

SHARD_BUNDLES = "pagefind-shards"  # no page lies there: pages are under offices/, data/, … (site/plugin.py)
SEARCH_RECORD = "search.json"  # in a shard's summaries (shards.META): its bundle, or none
SEARCH_WORDS = "search-words.txt"  # and every word its bundle holds, one a line
SEARCH_CHUNKS = "search-chunks.json"  # and the words of each index chunk, by the chunk's SHA-256
_READ_BY_MERGED = {"pagefind-entry.json", "index", "fragment", "filter"}  # and pagefind.*.pf_meta


def index_shard(site_dir: Path, name: str, previous: Path | None = None) -> Indexed:
    """A shard's searchable pages into its bundle SHARD_BUNDLES/NAME/ (all of them again: the shard is small),
    recorded in its summaries' folder for the merge (none when the merge writes all of its offices' pages).
    The words of the index chunks that the `previous` build of the shard had too are not read again."""
    import json

    from sebabox.outputs.shards import META

    bundle = site_dir / SHARD_BUNDLES / name
    remove_tree(bundle)
    indexed = index_search(site_dir, bundle.relative_to(site_dir).as_posix())  # no pages: no bundle
    data_only(bundle)
    record = {"bundle": f"{SHARD_BUNDLES}/{name}/" if indexed.pages else None, "pages": indexed.pages}
    write_text(site_dir, f"{META}/{SEARCH_RECORD}", json.dumps(record, ensure_ascii=False) + "\n")
    if indexed.pages:  # for the merge's directory page of this bundle (reading the index takes a second)
        try:
            known = json.loads((previous / META / SEARCH_CHUNKS).read_text(encoding="utf-8")) if previous else {}
        except (OSError, ValueError):
            known = {}
        chunks = chunk_words(bundle, known if isinstance(known, dict) else {})
        write_text(site_dir, f"{META}/{SEARCH_WORDS}", "\n".join(sorted(set().union(*chunks.values()))) + "\n")
        write_text(site_dir, f"{META}/{SEARCH_CHUNKS}", json.dumps(chunks, ensure_ascii=False, sort_keys=True) + "\n")
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
            if not (folder / META / SEARCH_WORDS).is_file():
                raise SebaboxError(f"{folder} was built by another sebabox version (no {META}/{SEARCH_WORDS}); "
                                   "build that shard again")
            found.append(record["bundle"])
    return sorted(found)


def index_merge(site_dir: Path, shard_dirs: list[Path], bundles: list[str], previous: Path | None = None) -> Indexed:
    """The primary bundle pagefind/: the searchable pages the merge wrote (none a shard wrote); the directory
    bundles (a directory page per shard bundle: every word that bundle holds), each kept from the `previous`
    site when its pages are the same; and the list: the bundles, the directory bundles, and which directory
    page stands for which bundle (by Pagefind's page id)."""
    import json

    from sebabox.outputs.shards import META

    skip = ShardPages(shard_dirs)
    words = {}
    for folder in shard_dirs:
        path = json.loads((folder / META / SEARCH_RECORD).read_text(encoding="utf-8")).get("bundle")
        if path:
            words[path] = (folder / META / SEARCH_WORDS).read_text(encoding="utf-8")
    return index_primary(site_dir, skip, words, previous=previous)


class ShardPages:
    """`relative path in ShardPages(shard_dirs)`: a page some shard wrote (its own bundle has it), asked only of
    the pages the merged site's walk meets (not a set of every shard's pages: at 5,000 offices that walk was
    150,000 pages, and the merged site's office folders are linked, not walked). An office's pages are looked
    for in its own shard; others in every shard."""

    def __init__(self, shard_dirs: list[Path]):
        from sebabox.outputs.merge import manifests

        self.dirs = [str(folder) for folder in shard_dirs]
        self.where = {slug: str(folder) for folder, found in zip(shard_dirs, manifests(shard_dirs))
                      for slug in found["offices"]}

    def __contains__(self, relative: str) -> bool:
        import os

        parts = relative.split("/")
        own = self.where.get(parts[1]) if len(parts) > 2 and parts[0] in ("offices", "data") else None
        return any(os.path.lexists(os.path.join(folder, relative)) for folder in ([own] if own else self.dirs))


DIRECTORY = "pagefind-directory"  # the directory bundles: DIRECTORY/1/, DIRECTORY/2/, … (routing, below)
GROUP = 32  # shard bundles a directory bundle stands for (a query reads a chunk of each directory bundle)
_KEY = "sebabox-key.txt"  # in a directory bundle: a digest of its pages and Pagefind's version


def index_primary(site_dir: Path, skip, words: dict[str, str], routed: bool = True,
                  previous: Path | None = None) -> Indexed:
    """pagefind/ over the site's searchable pages but `skip`, listing the bundles `words` names (bundle
    path -> the words it holds, whitespace-separated); with `routed`, a directory page for each, in directory
    bundles of GROUP (see routing below). Indexed: every Pagefind run's pages and seconds, the largest peak."""
    bundles = sorted(words)
    directories, ids, runs = [], {}, []
    for number, start in enumerate(range(0, len(bundles), GROUP) if routed else (), start=1):
        group = bundles[start:start + GROUP]
        path = f"{DIRECTORY}/{number}"
        pages = {f"{bundle}index.html": _directory_page(words[bundle]) for bundle in group}
        key = _directory_key(pages)
        if not _kept(previous, site_dir, path, key):
            runs.append(index_search(site_dir, path, extra=pages, site_pages=False))
            data_only(site_dir / path)
            write_text(site_dir, f"{path}/{_KEY}", key + "\n")
        ids.update(_directory_ids(site_dir / path, set(group)))
        directories.append(f"{path}/")

    def listing() -> dict:
        return {"bundles": bundles, "directories": directories, "directory": ids}

    runs.append(index_search(site_dir, skip=skip, listing=listing))
    return Indexed(sum(run.pages for run in runs), sum(run.seconds for run in runs), max(run.peak_mb for run in runs))


def _directory_key(pages: dict[str, str]) -> str:
    import hashlib
    import json
    from importlib.metadata import version

    return hashlib.sha256(json.dumps([version("pagefind"), pages], sort_keys=True).encode()).hexdigest()


def _kept(previous: Path | None, site_dir: Path, path: str, key: str) -> bool:
    """The directory bundle `path` of the previous site, hard-linked into this one, when it was made of the
    same pages (after one office's update, all but the group of its shard: Pagefind takes a second a group)."""
    import os
    import shutil

    old = previous / path if previous is not None else None
    try:
        if old is None or (old / _KEY).read_text(encoding="utf-8") != key + "\n" or old.is_symlink():
            return False
        shutil.copytree(old, site_dir / path, symlinks=True, copy_function=os.link)
    except OSError:
        remove_tree(site_dir / path)
        return False
    return True


# --------------------------------------------------------------------------- routing: which bundles to merge
# Every bundle a query reads costs one index chunk (about 20-60 KB: Pagefind chunks each bundle's words
# separately), so the search box merges only the bundles that hold the words typed. A directory bundle has a
# directory page per shard bundle (GROUP of them) whose text is every word that bundle's index holds (read
# from the index itself, so Pagefind's own word splitting and normalising): a query finds a bundle's
# directory page exactly when some page of that bundle can match every word (a superset: never a bundle left
# out that would have found a page). assets/js/pagefind-route/pagefind.js searches the primary with the
# directory bundles merged, then runs the query on an instance of the primary with exactly the bundles found
# merged. The directory bundles are separate from the primary so that a merge indexes again only those
# whose pages changed (Pagefind takes about 27 ms a directory page: 5 s for 180 shards).


def _directory_page(words: str) -> str:
    from html import escape

    return ('<!doctype html><html lang="bn"><head><meta charset="utf-8"><title>-</title></head>'
            f'<body><main data-pagefind-body><p>{escape(" ".join(words.split()))}</p></main></body></html>')


def _directory_ids(primary: Path, bundles: set[str]) -> dict[str, str]:
    """Pagefind's id of each directory page (its fragment's name) -> the bundle it stands for."""
    import gzip
    import json

    found = {}
    for fragment in sorted(primary.glob("fragment/*.pf_fragment")):
        url = json.loads(_pagefind_data(gzip.decompress(fragment.read_bytes())))["url"].lstrip("/")
        if url in bundles:
            found[fragment.name.removesuffix(".pf_fragment")] = url
    if len(found) != len(bundles):
        raise RuntimeError(f"search directory: {len(bundles) - len(found)} bundle(s) without their page")
    return found


def bundle_words(bundle: Path) -> set[str]:
    """Every word a Pagefind bundle's index holds as found on its pages (chunk_words)."""
    return set().union(*chunk_words(bundle).values())


def chunk_words(bundle: Path, known: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """The words of each index chunk of a Pagefind bundle, by the chunk's SHA-256 (`known`: of chunks read
    before; a shard built again after one office's update has most of its chunks unchanged). An index chunk is
    a list of words [normalised word, its pages, [[word as written, its pages], …]] (Pagefind 1.x; diacritics
    stripped from the first); a form is kept when some page has it. Anything else read: all its text (a
    superset)."""
    import gzip
    import hashlib

    found: dict[str, list[str]] = {}
    for chunk in sorted(bundle.glob("index/*.pf_index")):
        raw = chunk.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if isinstance((known or {}).get(digest), list):
            found[digest] = known[digest]
            continue
        data = _cbor(memoryview(_pagefind_data(gzip.decompress(raw))), 0)[0]
        words: set[str] = set()
        try:
            for key, pages, forms, *_ in data[0]:
                if pages:
                    words.add(key)
                words.update(form for form, form_pages, *_ in forms if form_pages)
        except (TypeError, ValueError):  # another layout: every string it holds
            words.update(_strings(data))
        found[digest] = sorted(words)
    return found


def _strings(item) -> list[str]:
    if isinstance(item, str):
        return [item]
    return [text for part in item for text in _strings(part)] if isinstance(item, list) else []


def _pagefind_data(data: bytes) -> bytes:
    if not data.startswith(b"pagefind_dcd"):
        raise RuntimeError("not a Pagefind file (its signature is missing)")
    return data[len(b"pagefind_dcd"):]


def _cbor(data: memoryview, at: int):
    """One CBOR item (RFC 8949: Pagefind's index chunks) at `at`: (value, where the next item starts).
    Arrays and maps become lists, text str, numbers int; byte strings and floats are skipped (None)."""
    kind, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        value = info
    elif info <= 27:
        size = 1 << (info - 24)
        value, at = int.from_bytes(data[at:at + size], "big"), at + size
    elif info == 31 and kind in (4, 5):  # indefinite length: items up to the break (0xff)
        items = []
        while data[at] != 0xFF:
            item, at = _cbor(data, at)
            items.append(item)
        return items, at + 1
    else:
        raise RuntimeError("unreadable Pagefind index (CBOR)")
    if kind in (0, 1):
        return (value if kind == 0 else -1 - value), at
    if kind in (2, 3):
        return (bytes(data[at:at + value]).decode("utf-8") if kind == 3 else None), at + value
    if kind in (4, 5):
        items = []
        for _ in range(value * (2 if kind == 5 else 1)):
            item, at = _cbor(data, at)
            items.append(item)
        return items, at
    if kind == 6:  # a tag: its one item follows
        return _cbor(data, at)
    return None, at  # simple values and floats (their bytes were read above)
