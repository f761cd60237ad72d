"""Where a page sits: breadcrumb trails and the offices below an office, as plain data.

The theme layer (theme_overrides/main.html) only draws what this module lists, so a change of
theme touches none of it. Every URL is relative to the site root, ending in "/".
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sebabox.bengali import QUARTER_NAMES, bn_fiscal_year
from sebabox.model import KIND_TITLES, LEVEL_BN
from sebabox.outputs.report import DocumentView, document_links, office_page

HOME = ("প্রথম পাতা", "")
TEMPLATES_TITLE = "জাতীয় টেমপ্লেট"
TEMPLATES_URL = "national-templates/"  # MkDocs leaves out any docs folder named templates/
OFFICES_TITLE = "সব দপ্তর"
OFFICES_URL = "offices/"
SUBTREE_DEPTH = 2  # office pages list children and grandchildren with their documents; deeper ones are counted
KIND_ORDER = ("apa", "nis", "egov", "grs", "cc", "rti", "charter")


@dataclass(frozen=True)
class Crumb:
    name: str
    url: str | None  # None: the page itself


def office_trail(catalog, slug: str) -> list[Crumb]:
    """Home, then every ancestor from the top (ministry) down to the office itself."""
    chain, seen = [], set()
    while slug in catalog.offices and slug not in seen:
        seen.add(slug)
        office = catalog.offices[slug].model
        chain.append(Crumb(office.name, office_page(slug)))
        slug = office.parent
    return [Crumb(*HOME), *reversed(chain)]


def document_trail(catalog, doc: DocumentView) -> list[Crumb]:
    """… › office › document (fiscal year) › quarter, for a document or one quarter's report page."""
    if doc.template_name:
        return [Crumb(*HOME), Crumb(TEMPLATES_TITLE, TEMPLATES_URL),
                Crumb(f"{doc.title}", doc.links.page)]
    document_url = document_links(doc.office.slug, doc.fiscal_year, doc.kind).page
    trail = office_trail(catalog, doc.office.slug)
    year = f" {bn_fiscal_year(doc.fiscal_year)}" if doc.fiscal_year else ""  # a charter may have no fiscal year
    trail.append(Crumb(KIND_TITLES[doc.kind] + year, document_url))
    if doc.is_report:
        trail.append(Crumb(QUARTER_NAMES[doc.quarter - 1], doc.links.page))
    return trail


def front_matter(trail: list[Crumb]) -> str:
    """The trail as a front-matter value (JSON is YAML); the last crumb is the page itself."""
    items = [{"name": c.name, "url": c.url} for c in trail[:-1]] + [{"name": trail[-1].name, "url": None}]
    text = json.dumps(items, ensure_ascii=False)
    # YAML ends a line at U+0085, U+2028 and U+2029 too: written as JSON escapes, they stay in the name
    return text.replace("\x85", "\\u0085").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


# --------------------------------------------------------------------------- offices below an office


@dataclass(frozen=True)
class Published:
    """One document an office has published in its latest fiscal year, with its reported quarters."""

    title: str
    url: str
    quarters: list[tuple[str, str]]  # (quarter name, report page URL)


@dataclass(frozen=True)
class Below:
    name: str
    url: str
    level: str
    fiscal_year: str | None
    published: list[Published]
    children: list["Below"]
    hidden: int  # offices further below, counted but not listed


def subtree(catalog, slug: str, by_office: dict[str, list[DocumentView]], depth: int = SUBTREE_DEPTH) -> list[Below]:
    """The offices below `slug`, `depth` levels deep, each with what it has published."""
    return [_below(catalog, child.slug, by_office, depth - 1) for child in catalog.children_of(slug)]


def _below(catalog, slug: str, by_office, depth: int) -> Below:
    office = catalog.offices[slug].model
    docs = [d for d in by_office.get(slug, []) if not d.template_name]
    fiscal_year = max((d.fiscal_year for d in docs if d.fiscal_year), default=None)
    latest = sorted((d for d in docs if d.fiscal_year in (fiscal_year, None)),
                    key=lambda d: KIND_ORDER.index(d.kind) if d.kind in KIND_ORDER else 99)
    published = [Published(KIND_TITLES[d.kind], d.links.page, quarter_links(d)) for d in latest]
    kids = catalog.children_of(slug)
    children = [_below(catalog, k.slug, by_office, depth - 1) for k in kids] if depth > 0 else []
    return Below(office.name, office_page(slug), LEVEL_BN[office.level], fiscal_year, published, children,
                 0 if depth > 0 else count_below(catalog, slug))


def count_below(catalog, slug: str) -> int:
    kids = catalog.children_of(slug)
    return len(kids) + sum(count_below(catalog, k.slug) for k in kids)


def quarter_links(doc: DocumentView) -> list[tuple[str, str]]:
    """(quarter name, URL of that quarter's report page) for every quarter the document has reported."""
    return [(QUARTER_NAMES[r.quarter - 1], document_links(doc.office.slug, doc.fiscal_year, f"{doc.kind}-q{r.quarter}").page)
            for r in doc.progress]
