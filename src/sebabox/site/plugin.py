"""The MkDocs plugin: generated pages from plans/, so `mkdocs build` and `mkdocs serve` both see them.

on_files    load + validate the plans once per build; write the open data (the data page lists its
            files with their sizes); add one generated page per office and document and the data page
on_serve    watch plans/ so a plan edit reloads the preview
on_post_build  write PDFs into the site directory
Nothing generated is written into the source tree.
"""

from __future__ import annotations

import functools
import logging
import os
import zlib
from collections.abc import Callable
import shutil
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from sebabox import bengali
from sebabox.outputs import datapage, incremental, opendata, pdf, render
from sebabox.site import rawhtml
from sebabox.inputs.check import check_plans, parse_cache_root
from sebabox.outputs.report import SiteDocuments

log = logging.getLogger("mkdocs.plugins.sebabox")
CONTENT_TOKEN = "<!--sebabox:page-content-->"


class SebaboxConfig(Config):
    plans = c.Type(str, default="plans")
    pdf = c.Type(bool, default=True)
    pdf_cache = c.Type(str, default=".cache/pdf")


class SebaboxPlugin(BasePlugin[SebaboxConfig]):
    preloaded = None  # a catalog the CLI has already loaded and checked
    update = None  # an incremental.Update: rebuild only what it names

    def on_config(self, config):
        root = Path(config.config_file_path).parent
        self.plans_dir = Path(os.path.relpath(root / self.config.plans))  # messages show plans/…, not a machine path
        self.cache_dir = root / os.environ.get("SEBABOX_PDF_CACHE", self.config.pdf_cache)
        self.parse_cache = parse_cache_root(Path(config.config_file_path))
        self.font_dir = Path(config.theme.custom_dir or root / "theme_overrides") / "assets" / "fonts"
        return config

    def on_files(self, files: Files, config) -> Files:
        self.catalog, self.preloaded = self.preloaded or self._load(), None
        self.site = SiteDocuments.of(self.catalog)
        self._stashed: dict[str, list[str]] = {}
        self._sources: dict[str, Callable[[], str]] = {}
        self._html: dict[str, tuple[str, bytes]] = {}
        # open data first: the data page lists every file with its size
        only = self.update.changed if self.update is not None else None
        self.written = opendata.write_open_data(Path(config.site_dir), self.catalog, self.site.docs, self.site.reports, only)
        log.info(f"sebabox: {self.written.count} open data file(s) written")
        self._data_page = functools.partial(datapage.data_page, self.written, config.site_url,
                                            opendata.generated_at(self.catalog), config.site_name)
        for src_uri, source in self._pages():
            self._sources[src_uri] = source
            files.append(File.generated(config, src_uri, content=""))  # the Markdown is made when MkDocs reads it
        return files

    def _load(self):
        problems, catalog = check_plans(self.plans_dir, self.parse_cache)
        for problem in problems:
            (log.error if problem.severity == "error" else log.warning)(str(problem))
        if problems.errors:
            raise PluginError(f"{len(problems.errors)} error(s) in {self.plans_dir.name}/; nothing was built")
        return catalog

    def _pages(self):
        """(src_uri, a function making its Markdown) of every generated page, or of those an incremental
        update rebuilds. Pages are rendered one at a time as MkDocs reads them, not all held at once."""
        site, update = self.site, self.update
        want = (lambda uri: True) if update is None else (lambda uri: incremental.wanted(update, uri))
        for doc in site.docs + site.reports:
            uri = f"offices/{doc.office.slug}/{doc.fiscal_year}/{doc.page_kind}.md"
            if want(uri):
                yield uri, functools.partial(render.document_page, doc, site.annexes(doc))
        for slug in sorted(self.catalog.offices):
            if want(uri := f"offices/{slug}/index.md"):
                yield uri, functools.partial(render.office_page, self.catalog, slug, site.by_office.get(slug, []),
                                             site.by_office)
        yield datapage.PAGE, self._data_page
        for uri, text in render.rollup_pages(self.catalog, site.by_office,
                                             only=None if update is None else update.rebuild):
            yield uri, functools.partial(str, text)

    def on_page_read_source(self, page, config) -> str | None:
        source = self._sources.pop(page.file.src_uri, None)
        return source() if source else None

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        """The hand-written home page gets the office hierarchy and latest updates at its markers."""
        if page.file.src_uri == "index.md":
            for marker, text in render.home_sections(self.catalog, self.site.docs).items():
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
        """Every page NFC, as the search box normalises queries: য় ড় ঢ় typed either way find each other."""
        kept = self._html.pop(page.file.src_uri, None)
        if kept is not None:
            token, packed = kept
            if output.count(token) != 1:
                raise PluginError(f"the theme did not place the content of {page.file.src_uri} once")
            output = output.replace(token, zlib.decompress(packed).decode("utf-8"))
        return bengali.nfc(output)

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
        only = self.update.changed if self.update is not None else None
        if not self.config.pdf:
            return
        jobs = render.pdf_jobs(self.site, only)
        stats = pdf.render_pdfs(jobs, site_dir, self.cache_dir, self.font_dir,
                                workers=int(os.environ.get("SEBABOX_WORKERS", 0)) or None, progress=log.info)
        log.info(f"sebabox: {len(jobs)} PDF(s): {stats.rendered} rendered, {stats.cached} from cache")
