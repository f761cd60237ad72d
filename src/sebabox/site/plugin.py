"""The MkDocs plugin: generated pages from plans/, so `mkdocs build` and `mkdocs serve` both see them.

on_files    load + validate the plans once per build; write the open data (the data page lists its
            files with their sizes); add the generated pages that the navigation names (the data page)
on_env      keep MkDocs' theme environment, files and navigation for the other generated pages
on_post_build  write those (one per office, document, report and roll-up), streamed: each is rendered,
            written and dropped before the next, so memory does not grow with the number of pages
            (MkDocs keeps every page it knows until the build ends); their sitemap entries; PDFs
on_serve    watch plans/ so a plan edit reloads the preview
Nothing generated is written into the source tree.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import zlib
from collections.abc import Callable
import shutil
from pathlib import Path

from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from sebabox import bengali
from sebabox.outputs import datapage, history, incremental, opendata, pdf, publish, render, status_pages
from sebabox.inputs.gitdates import first_published
from sebabox.scoring import status as reporting
from sebabox.site import minify, rawhtml, sitemap
from sebabox.inputs import history as git_history
from sebabox.inputs.check import check_plans, parse_cache_root
from sebabox.outputs.report import SiteDocuments
from sebabox.outputs.shards import DEFAULT_MAX_OFFICES
from sebabox.paths import project_cache

log = logging.getLogger("mkdocs.plugins.sebabox")
CONTENT_TOKEN = "<!--sebabox:page-content-->"


class SebaboxConfig(Config):
    plans = c.Type(str, default="plans")
    pdf = c.Type(bool, default=True)
    pdf_cache = c.Type(str, default=".cache/pdf")
    national_part_offices = c.Type(int, default=DEFAULT_MAX_OFFICES)  # offices per part of the national data


class SebaboxPlugin(BasePlugin[SebaboxConfig]):
    preloaded = None  # a catalog the CLI has already loaded and checked
    update = None  # an incremental.Update: rebuild only what it names
    as_of = None  # the reference date of the statuses (build --as-of); default: status_pages.reference_date()
    git_dates = None  # first-commit dates of the plan files, when the caller has read them
    scope = None  # a shards.Scope: only one shard's offices (their pages, data, PDFs) and their summaries
    merged = None  # a merge.Merged: only the pages and files that read every shard, from the shards' summaries

    serving = False

    def on_startup(self, *, command, dirty) -> None:
        """The live preview shows pages at once; PDFs are made by `build` (the preview would wait minutes)."""
        self.serving = command == "serve"

    def on_config(self, config):
        root = Path(config.config_file_path).parent
        self.plans_dir = Path(os.path.relpath(root / self.config.plans))  # messages show plans/…, not a machine path
        self.cache_dir = root / os.environ.get("SEBABOX_PDF_CACHE", self.config.pdf_cache)
        if self.scope is not None:  # each shard its own PDF cache (a job of the publish matrix keeps its own)
            self.cache_dir = self.cache_dir / "shards" / self.scope.name
        self.parse_cache = parse_cache_root(Path(config.config_file_path))
        self.national_cache = project_cache(Path(config.config_file_path)) / "national"  # compressed table parts
        self.font_dir = Path(config.theme.custom_dir or root / "theme_overrides") / "assets" / "fonts"
        return config

    def on_files(self, files: Files, config) -> Files:
        self._site_dir = Path(config.site_dir)
        self._stashed: dict[str, list[str]] = {}
        self._sources: dict[str, Callable[[], str]] = {}
        self._html: dict[str, tuple[str, bytes]] = {}
        self._last_history: tuple[str, object] | None = None
        if self.merged is not None:
            self._merge_inputs(self.merged)
        else:
            self._shard_inputs()
        seconds = self.written.seconds
        log.info(f"sebabox: {self.written.count} open data file(s) written: documents {seconds['documents']:.1f} s, "
                 f"office tables and zips {seconds['offices']:.1f} s, offices.json and status "
                 f"{seconds.get('site_files', 0):.1f} s, national tables and zips {seconds.get('national', 0):.1f} s")
        if os.environ.get("SEBABOX_TIMINGS"):  # the benchmark's record of what open data costs
            with open(os.environ["SEBABOX_TIMINGS"], "a", encoding="utf-8") as out:
                out.write(json.dumps({"seconds": seconds, "sizes": self.written.sizes}) + "\n")
        names = {part.tops[0]: self.catalog.offices[part.tops[0]].model.name for part in self.written.parts
                 if part.tops[0] in self.catalog.offices}
        self._data_page = functools.partial(datapage.data_page, self.written, config.site_url,
                                            opendata.generated_at(self.catalog), config.site_name, names)
        in_nav = set(_nav_uris(config.nav))
        self._streamed: list[tuple[tuple, str, Callable[[], str]]] = []
        self._generated_urls: list[tuple[tuple, str]] = []
        for number, (key, src_uri, source) in enumerate(self._pages()):
            if src_uri in in_nav:
                self._sources[src_uri] = source
                files.append(File.generated(config, src_uri, content=""))  # the Markdown is made when MkDocs reads it
            else:
                self._streamed.append(((*key, number), src_uri, source))
        return files

    def _shard_inputs(self) -> None:
        """The plans (all of them, or one shard's), their documents, statuses and per-office open data."""
        self.catalog, self.preloaded = self.preloaded or self._load(), None
        self.site = SiteDocuments.of(self.catalog)
        self.history = git_history.read(self.plans_dir)  # None outside a git repository
        self._paths = history.loaded_paths(self.catalog)
        dates, self.git_dates = (self.git_dates if self.git_dates is not None else first_published(self.plans_dir)), None
        self.status = reporting.compute(self.catalog, dates, status_pages.reference_date(self.as_of))
        # open data first: the data page lists every file with its size
        if self.scope is None:
            only = self.update.changed if self.update is not None else None
            self.written = opendata.write_open_data(self._site_dir, self.catalog, self.site.docs, self.site.reports,
                                                    only, self.status, self.national_cache, self._parts())
        else:
            self.written = opendata.Written()
            offices = self.scope.offices if self.update is None else self.scope.offices & self.update.changed
            opendata.write_office_data(self._site_dir, self.catalog, self.site.docs, self.site.reports,
                                       sorted(offices), self.status, self.written)

    def _merge_inputs(self, merged) -> None:
        self.catalog, self.site, self.status = merged.catalog, merged.site, merged.status
        self.history, self._paths = None, {}
        self.written = opendata.Written()
        opendata.write_site_data(self._site_dir, merged.offices_json, sorted(self.catalog.offices), self.status,
                                 merged.generated_at, self.written, self.national_cache, self._parts())

    def _parts(self) -> list:
        """The groups of offices whose national data files are apart (outputs/parts.py)."""
        from sebabox.outputs import parts, shards

        size = self.config.national_part_offices
        if size < 1:
            raise PluginError("sebabox: national_part_offices in mkdocs.yml must be at least 1")
        tree = shards.Tree({slug: loaded.model.parent for slug, loaded in self.catalog.offices.items()}, {})
        return parts.group(shards.plan(tree, size), size)

    def on_nav(self, nav, config, files):
        self._nav = nav
        return nav

    def on_env(self, env, config, files):
        self._env, self._files = env, files
        if self.merged is not None:  # MkDocs copies these next: never into a shard's build (merge.link_shards)
            for file in files:
                publish.refuse_linked(self._site_dir, Path(file.abs_dest_path))
        return env

    def _write_streamed_pages(self, config) -> None:
        """Each page through MkDocs' own read -> Markdown -> theme -> write steps (every plugin hook and the
        theme apply as to a hand-written page), one page at a time."""
        doc_files = self._files.documentation_pages()
        streamed, self._streamed = self._streamed, []
        for key, src_uri, source in streamed:
            file = File.generated(config, src_uri, content=source())
            page = Page(None, file, config)
            _populate_page(page, config, self._files)
            _build_page(page, config, doc_files, self._nav, self._env)
            if page.canonical_url:
                self._generated_urls.append((key, page.canonical_url))
            file.page = None  # nothing keeps the page: its memory goes before the next one is made

    def _load(self):
        problems, catalog = check_plans(self.plans_dir, self.parse_cache)
        for problem in problems:
            (log.error if problem.severity == "error" else log.warning)(str(problem))
        if problems.errors:
            raise PluginError(f"{len(problems.errors)} error(s) in {self.plans_dir.name}/; nothing was built")
        return catalog

    def _pages(self):
        """(sitemap key, src_uri, a function making its Markdown) of every generated page, or of those an
        incremental update, a shard or the merge writes. Pages are rendered one at a time as MkDocs reads
        them, not all held at once. The key orders the sitemap as a single build lists it: documents by
        office, the national templates, reports by office, office pages, roll-ups, status pages."""
        site, update, scope, merged = self.site, self.update, self.scope, self.merged
        want = (lambda uri: True) if update is None else (lambda uri: incremental.wanted(update, uri))
        templates = {id(doc): number for number, doc in enumerate(site.templates)}
        for doc in [] if merged is not None else site.docs + site.reports:
            if scope is not None and doc.office.slug not in scope.offices:
                continue
            uri = doc.links.page[:-1] + ".md"
            key = (0, "\uffff", templates[id(doc)]) if id(doc) in templates else (int(doc.is_report), doc.office.slug, 0)
            if want(uri):
                yield key, uri, functools.partial(self._document_page, doc)
                files = history.document_files(self._paths, self.catalog, doc)
                for commit in history.version_commits(self.history, files)[1:]:  # past versions
                    yield key, f"{doc.links.page}v/{commit.sha[:10]}.md", functools.partial(self._version_page, doc,
                                                                                          commit.sha)
        only = None if update is None else update.rebuild
        if scope is not None:
            only = scope.whole if update is None else scope.whole & update.rebuild
        elif merged is not None:
            only = merged.rest
        for slug in sorted(self.catalog.offices):
            if (only is None or slug in only) and want(uri := f"offices/{slug}/index.md"):
                yield (2, slug, 0), uri, functools.partial(
                    render.office_page, self.catalog, slug, site.by_office.get(slug, []), site.by_office,
                    datapage.office_downloads(self._site_dir, slug), self.status)
        yield (5, "", 0), datapage.PAGE, self._data_page if scope is None else functools.partial(str, "")
        for uri, text in render.section_pages(self.catalog, site.templates) if scope is None else render.SECTION_PAGES:
            yield (5, "", 0), uri, functools.partial(str, text)  # a shard's are empty: the navigation names them
        for uri, text in render.rollup_pages(self.catalog, site.by_office, only=only, status=self.status):
            yield (3, uri.split("/")[1], 0), uri, functools.partial(str, text)
        scores = functools.cache(lambda: status_pages.score_rollup(self.catalog, site.reports))
        for uri, source in status_pages.status_pages(self.catalog, self.status, _Lazy(scores), only,
                                                     national=scope is None):
            yield (4, uri.split("/")[1] if uri.startswith("offices/") else "\uffff", 0), uri, source

    def _history_of(self, doc):
        """A document's versions; the last one computed is kept (its version pages follow its page)."""
        if self._last_history is None or self._last_history[0] != doc.links.page:
            files = history.document_files(self._paths, self.catalog, doc)
            self._last_history = (doc.links.page, history.document_history(self.history, files, doc.links.page))
        return self._last_history[1]

    def _document_page(self, doc) -> str:
        return render.document_page(doc, self.site.annexes(doc), self._history_of(doc), self.status, self.catalog)

    def _version_page(self, doc, sha: str) -> str:
        version = next(v for v in self._history_of(doc).versions if v.commit.sha == sha)
        return render.version_page(doc, version)

    def on_page_read_source(self, page, config) -> str | None:
        source = self._sources.pop(page.file.src_uri, None)
        return source() if source else None

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        """The hand-written home page gets the office hierarchy and latest updates at its markers."""
        if page.file.src_uri == "index.md" and self.scope is None:  # a shard's home page is the merge's to write
            for marker, text in status_pages.home_sections(self.catalog, self.site.docs, self.status).items():
                markdown = markdown.replace(marker, text)
        markdown, self._stashed[page.file.src_uri] = rawhtml.stash(markdown)
        return markdown

    def on_page_content(self, html: str, page, config, files) -> str:
        """MkDocs keeps every page's Markdown and HTML until it writes them all; kept compressed here
        instead (a tenth of the memory), and put back when the page is written."""
        html = rawhtml.restore(html, self._stashed.pop(page.file.src_uri, []))
        if page.file.generated_by is None:
            return html
        page.markdown = ""
        # Material adds a title <h1> when the content has none: the placeholder must answer the same
        token = CONTENT_TOKEN + ("<!--<h1-->" if "<h1" in html else "")
        self._html[page.file.src_uri] = (token, zlib.compress(html.encode("utf-8"), 1))
        return token

    def on_post_page(self, output: str, page, config) -> str:
        """Every page NFC, as the search box normalises queries: য় ড় ঢ় typed either way find each other;
        the indentation no reader sees taken out (minify)."""
        if self.merged is not None:  # MkDocs writes the page next: never into a shard's build (merge.link_shards)
            publish.refuse_linked(self._site_dir, Path(page.file.abs_dest_path))
        kept = self._html.pop(page.file.src_uri, None)
        if kept is not None:
            token, packed = kept
            if output.count(token) != 1:
                raise PluginError(f"the theme did not place the content of {page.file.src_uri} once")
            output = output.replace(token, zlib.decompress(packed).decode("utf-8"))
        return minify.html(bengali.nfc(output))

    def on_serve(self, server, config, builder):
        server.watch(str(self.plans_dir))
        return server

    def on_post_build(self, config) -> None:
        site_dir = Path(config.site_dir)
        if "search" not in config.plugins and "material/search" not in config.plugins:
            # Material copies its lunr search worker and language files even without its search
            # plugin; Pagefind (publish.index_search) is the site's search, so nothing loads them
            for unused in ("assets/javascripts/lunr", "assets/javascripts/workers"):
                shutil.rmtree(site_dir / unused, ignore_errors=True)
        for source_map in (site_dir / "assets").glob("*/*.map"):  # Material's source maps, 1 MB: only a debugger reads them
            source_map.unlink()
        only = self.update.changed if self.update is not None else None
        self._write_streamed_pages(config)
        if self.scope is not None:
            self.scope.record(self, self._generated_urls)  # the summaries the merge reads (outputs/shards.py)
            only = self.scope.offices if only is None else self.scope.offices & only
        else:
            pages = self._generated_urls + ([(tuple(k), u) for k, u in self.merged.pages] if self.merged else [])
            sitemap.add_urls(site_dir, [url for _, url in sorted(pages)])
        if not self.config.pdf or self.serving or self.merged is not None:
            return
        jobs = render.pdf_jobs(self.site, only)
        stats = pdf.render_pdfs(jobs, site_dir, self.cache_dir, self.font_dir,
                                workers=int(os.environ.get("SEBABOX_WORKERS", 0)) or None, progress=log.info)
        log.info(f"sebabox: {len(jobs)} PDF(s): {stats.rendered} rendered, {stats.cached} from cache")


def _nav_uris(nav) -> list[str]:
    """The Markdown files named anywhere in mkdocs.yml's `nav:`."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [uri for value in nav.values() for uri in _nav_uris(value)]
    if isinstance(nav, list):
        return [uri for item in nav for uri in _nav_uris(item)]
    return []


class _Lazy:
    """A mapping made when first read: the score roll-ups are computed only if a status page is rendered."""

    def __init__(self, make):
        self._make = make

    def get(self, key, default=None):
        return self._make().get(key, default)
