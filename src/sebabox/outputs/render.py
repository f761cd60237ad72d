"""Jinja templates -> Markdown pages for the site and HTML for print.

Plan text is untrusted: every template autoescapes HTML, the `md` filter also
neutralises Markdown syntax, and URLs are built only from validated slugs.
Plan text is data given to templates, never a template itself, so `{{ }}` in a
plan stays text.
"""

from __future__ import annotations

import json
import posixpath
import re
from decimal import Decimal

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from sebabox import bengali
from sebabox.outputs import charter as charter_view
from sebabox.outputs import charts, history
from sebabox.outputs import navigation
from sebabox.outputs.notes import NoteBook
from sebabox.model import ANNEX_NUMBERS, KIND_TITLES, LEVEL_BN, Level
from sebabox.outputs import report
from sebabox.outputs.report import DocumentView
from sebabox.calendar import SLOT_NAMES, SLOT_SHORT, SLOTS
from sebabox.scoring.score import LEVEL_NAMES, LEVEL_PERCENTS
from sebabox.scoring.status import SOURCE_NAMES, STATE_NAMES, expected_by, label as state_label
from sebabox.values import Value

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def md_escape(text: object) -> Markup:
    """Text safe inside a Markdown line: HTML-escaped, then Markdown punctuation backslashed."""
    html = str(escape("" if text is None else str(text)))
    # entities produced by escape() must survive: escape only the characters outside them
    parts = re.split(r"(&(?:amp|lt|gt|quot|#39);)", html)
    return Markup("".join(p if p.startswith("&") and p.endswith(";") else _MD_SPECIAL.sub(r"\\\1", p) for p in parts))


def cell(value: object) -> str:
    """A table cell as the seeds print it: Bengali digits, dates dd/mm/yyyy, '-' for none."""
    if value is None:
        return ""
    if isinstance(value, Value):
        if value.is_date:  # one line, never "২৬/০৭/২০২" / "৩" in a narrow cell
            return Markup('<span class="sb-nowrap">{}</span>').format(value.display())
        return value.display()
    if isinstance(value, Decimal):
        return bengali.bn_number(value)
    return bengali.to_bengali_digits(str(value))


def bn(value: object) -> str:
    if isinstance(value, (int, Decimal)):
        return bengali.bn_number(value)
    return cell(value)


def relative(target: str, page_url: str) -> str:
    """Link from the page at `page_url` (directory URL) to `target`; both relative to the site root."""
    base = page_url if page_url.endswith("/") else posixpath.dirname(page_url) + "/"
    rel = posixpath.relpath(target or ".", base or ".")
    return rel + ("/" if target.endswith("/") and not rel.endswith("/") else "")


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("sebabox.outputs", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        md=md_escape,
        cell=cell,
        bn=bn,
        score=bengali.bn_score,
        bn_date=bengali.bn_date,
        bn_date_long=bengali.bn_date_long,
        fy=bengali.bn_fiscal_year,
        rel=relative,
        phones=charter_view.phone_links,
        mail=charter_view.mail_link,
        tel=charter_view.tel_href,
        readable_url=charter_view.readable_url,
        state=state_label,
        level_bn=lambda level: LEVEL_BN[level] if not isinstance(level, str) else LEVEL_BN[Level(level)],
        # front-matter values: Material prints page titles as raw HTML, so escape before quoting
        json=lambda v: Markup(json.dumps(str(escape(v)), ensure_ascii=False)),
    )
    env.globals.update(
        LEVEL_NAMES=LEVEL_NAMES,
        LEVEL_PERCENTS=[bengali.bn_number(p) + "%" for p in LEVEL_PERCENTS],
        QUARTER_NAMES=bengali.QUARTER_NAMES,
        QUARTER_MONTHS=bengali.QUARTER_MONTHS,
        KIND_TITLES=KIND_TITLES,
        ANNEX_NUMBERS=ANNEX_NUMBERS,
        LEVEL_BN=LEVEL_BN,
        show=history.show,
        SLOTS=SLOTS,
        SLOT_NAMES=SLOT_NAMES,
        SLOT_SHORT=SLOT_SHORT,
        STATE_NAMES=STATE_NAMES,
        SOURCE_NAMES=SOURCE_NAMES,
    )
    return env


ENV = _environment()


def table_shape(doc: DocumentView) -> dict[str, bool]:
    """Which column groups the printed table has, from the data itself."""
    rows = [r.indicator for a in doc.areas for r in a.rows]
    return {
        "responsible": any(i.responsible for i in rows),
        "method": doc.kind == "apa" or any(i.method for i in rows),
        "target": any(i.target is not None for i in rows),
        "levels": any(i.levels for i in rows),
        "actuals": any(i.actuals for i in rows),
        "projections": any(i.projections for i in rows),
        "monitoring": not doc.template_name and (doc.kind != "apa" or bool(doc.progress)),
        "remarks": any(i.remarks for i in rows),
    }


def render_template(name: str, **context) -> str:
    return ENV.get_template(name).render(**context)


# --------------------------------------------------------------------------- whole-site rendering


def fiscal_years(fiscal_year: str) -> dict:
    years = {name: bengali.shift_fiscal_year(fiscal_year, n)
             for name, n in (("prev2", -2), ("prev1", -1), ("this", 0), ("next1", 1), ("next2", 2))}
    return {**years, "start": bengali.fiscal_year_start(fiscal_year)}


def content_date(doc: DocumentView):
    """The latest date the document itself gives (report, letter, signing date), or None: never a made-up one."""
    if doc.kind == "charter":
        return doc.model.date  # a charter's own date, or None when it prints none
    dates = [r.as_of for r in doc.progress] + [r.letter.date for r in doc.progress if r.letter]
    signing = getattr(doc.model, "signing_date", None)
    if signing:
        dates.append(signing)
    return max(dates) if dates else None


def published(doc: DocumentView, status):
    """A document's (or a quarterly report's) publication (status.Published) or None."""
    if status is None or doc.template_name:
        return None
    slot = f"q{doc.quarter}" if doc.is_report else "plan"
    return status.published.get((doc.office.slug, doc.fiscal_year, doc.kind, slot))


def latest_date(docs: list[DocumentView], status):
    """The newest known publication date among `docs` and their reports, or None."""
    dates = [p.date for d in docs for p in [published(d, status)] + [
        status.published.get((d.office.slug, d.fiscal_year, d.kind, f"q{r.quarter}")) for r in d.progress]
        if status is not None and p is not None and p.date is not None and p.date <= status.as_of]
    return max(dates, default=None)


def note_book(doc: DocumentView, annexes=()) -> NoteBook:
    """The annotated values a rendering of `doc` (and the annexes printed with it) may show."""
    return NoteBook(*(m for d in (doc, *annexes) for m in (d.model, *d.progress)))


PAGE_TEMPLATES = {"apa": "apa.md.j2", "charter": "charter.md.j2"}


def document_page(doc: DocumentView, annexes: list[DocumentView] = (), history=None, status=None, catalog=None) -> str:
    """The site page of a document; an APA lists its annexes 4-8 (`annexes`) in its table of contents.
    `history` (a history.DocumentHistory) lists its versions; with `status`, its publication date and the
    status of the plan and each quarter's report; with the catalog, its breadcrumb (ministry › … › office ›
    document › quarter) and the Q1-Q4 chart."""
    trail = navigation.document_trail(catalog, doc) if catalog is not None else [navigation.Crumb(doc.title, None)]
    cells = status.document(doc.office.slug, doc.fiscal_year, doc.kind) if status and not doc.template_name else {}
    return render_template(
        PAGE_TEMPLATES.get(doc.kind, "plan.md.j2"), doc=doc, shape=table_shape(doc), notes=note_book(doc),
        years=fiscal_years(doc.fiscal_year) if doc.fiscal_year else {}, page_url=doc.links.page,
        office_url=f"offices/{doc.office.slug}/", updated=content_date(doc), annexes=list(annexes),
        charts=charts.document_charts(doc, _quarter_points(catalog, doc)), charter_columns=charter_view.columns, history=history,
        published=published(doc, status), cells=cells, status=status,
        crumbs=Markup(navigation.front_matter(trail)), quarter_links=navigation.quarter_links(doc),
        expected=expected_by([r for a in doc.areas for r in a.rows], doc.quarter) if doc.quarter else [],
    )


def _quarter_points(catalog, doc: DocumentView) -> list[charts.QuarterPoint]:
    if catalog is None:
        return []
    return [charts.QuarterPoint(*p) for p in report.quarter_progress(catalog, doc)]


def version_page(doc: DocumentView, version) -> str:
    """One past version of a document (a history.Version): what changed and its indicator table then."""
    return render_template("version.md.j2", doc=doc, version=version, page_url=version.url)


PRINT_TEMPLATES = {"apa": "apa.html.j2", "charter": "charter.html.j2"}


def document_print_html(doc: DocumentView, css: str, annexes: list[DocumentView] = ()) -> str:
    """The print HTML of a document; the full APA carries its annexes 4-8 in the printed order."""
    return render_template(
        PRINT_TEMPLATES.get(doc.kind, "plan.html.j2"), doc=doc, shape=table_shape(doc), notes=note_book(doc, annexes),
        years=fiscal_years(doc.fiscal_year) if doc.fiscal_year else {}, css=Markup(css), updated=content_date(doc),
        annexes=list(annexes), annex_shapes=[table_shape(a) for a in annexes],
        charter_columns=charter_view.columns, wide=doc.kind == "charter" and charter_view.wide(doc.model),
    )


def pdf_jobs(site, offices: set[str] | None = None) -> list:
    """One PDF per document and per quarterly report (of `offices` only, if given); the APA includes its annexes."""
    from sebabox.outputs.pdf import PdfJob, print_css

    css = print_css()
    return [PdfJob(document_print_html(doc, css, site.annexes(doc)), doc.links.pdf) for doc in site.docs + site.reports
            if offices is None or doc.office.slug in offices]


def office_page(catalog, slug: str, docs: list[DocumentView], by_office: dict[str, list[DocumentView]],
                downloads: dict | None = None,
                status=None) -> str:
    """The office's page; `downloads`: its open data zip and datapackage with the zip's size (datapage.py);
    `status`: its reporting status (scoring/status.py)."""
    office = catalog.offices[slug].model
    parent = catalog.offices[office.parent].model if office.parent in catalog.offices else None
    children = [{"name": o.name, "url": f"offices/{o.slug}/"} for o in catalog.children_of(slug)]
    by_year: dict[str, list[DocumentView]] = {}
    for doc in docs:
        if doc.fiscal_year:  # a charter without a fiscal year is shown with the contacts
            by_year.setdefault(doc.fiscal_year, []).append(doc)
    grid = status.office_years(slug) if status is not None else {}
    years = sorted(set(by_year) | set(grid), reverse=True)
    documents = [(fy, by_year.get(fy, [])) for fy in years]
    charters = sorted((d for d in docs if d.kind == "charter"), key=lambda d: d.fiscal_year or "", reverse=True)
    return render_template(
        "office.md.j2", office=office, parent=parent, parent_url=f"offices/{office.parent}/",
        charter=charters[0] if charters else None,
        children=children, documents=documents, page_url=f"offices/{slug}/", updated=latest_date(docs, status),
        grid=grid, status=status, status_url=status_url(slug) if children else None,
        crumbs=Markup(navigation.front_matter(navigation.office_trail(catalog, slug))),
        below=navigation.subtree(catalog, slug, by_office), quarter_links=navigation.quarter_links,
        rollups=[(fy, rollup_url(slug, fy)) for fy in rollup_years(catalog, slug, by_office)],
        downloads=downloads,
    )


# --------------------------------------------------------------------------- roll-ups and home page


def _doc_cell(doc: DocumentView, cells: dict | None = None) -> dict:
    overdue = [c for c in (cells or {}).values() if c.state == "overdue"]
    percent = doc.score / doc.max_score * 100 if doc.score is not None and doc.max_score else None
    quarter = f" ({bengali.QUARTER_NAMES[doc.quarter - 1].split()[0]})" if doc.quarter else ""
    text = (f"{bengali.bn_score(doc.score)} / {bengali.bn_number(doc.max_score)}{quarter}" if percent is not None
            else "দেখুন" if doc.kind == "charter" else "পরিকল্পনা (অগ্রগতি নেই)")
    return {"text": text, "percent": f"{percent:.2f}" if percent is not None else None, "url": doc.links.page,
            "printed": printed_difference(doc), "overdue": [c.slot for c in overdue]}


def printed_difference(doc: DocumentView) -> str | None:
    """'ছাপা দলিলে ৯.৫০: …' when the report's printed scores add up to another total than the rules give."""
    if not isinstance(doc, DocumentView):  # a shard's summary of it (outputs/summary.py) carries the text
        return doc.printed
    if not doc.printed_total_differs:
        return None
    rows = []
    for av in doc.areas:
        for row in av.rows:
            if doc.score_differs(row):
                printed = doc.printed_row(row.indicator.id)
                computed = row.score.value if row.score else Decimal(0)
                rows.append(f"সারি {bengali.to_bengali_digits(row.indicator.id)}-এ ছাপা {bengali.bn_score(printed.score)}, "
                            f"নিয়মে {bengali.bn_score(computed)}")
    return f"ছাপা দলিলে {bengali.bn_score(doc.printed_total)}: " + "; ".join(rows)


def rollup_pages(catalog, by_office: dict[str, list[DocumentView]], only: set[str] | None = None, status=None):
    """(src_uri, markdown) per parent office (of `only`, if given) and fiscal year: its children's scores side by side."""
    for slug in sorted(catalog.offices):
        if only is not None and slug not in only:
            continue
        children = catalog.children_of(slug)
        for fiscal_year in rollup_years(catalog, slug, by_office):
            rows, bars, kinds, dates = [], [], set(), []
            for child in children:
                docs = {d.kind: d for d in by_office.get(child.slug, []) if d.fiscal_year == fiscal_year}
                kinds.update(docs)
                dates.append(latest_date(list(docs.values()), status))
                overdue = status.document if status is not None else (lambda *a: {})
                rows.append({"name": child.name, "url": f"offices/{child.slug}/",
                             "docs": {k: _doc_cell(d, overdue(child.slug, fiscal_year, k)) for k, d in docs.items()}})
                scored = [d for d in docs.values() if d.score is not None and d.kind != "charter"]
                if scored:
                    bars.append(charts.Bar(child.name, sum((d.score for d in scored), Decimal(0)),
                                           sum((d.max_score for d in scored), Decimal(0))))
            order = [k for k in ("apa", "nis", "egov", "grs", "cc", "rti", "charter") if k in kinds]
            page_url = rollup_url(slug, fiscal_year)
            chart = charts.bar_chart(bars, "আওতাধীন দপ্তরের মোট অর্জিত মান (প্রতিবেদিত দলিলসমূহ)") if bars else None
            trail = [*navigation.office_trail(catalog, slug), navigation.Crumb(f"তুলনা {bengali.bn_fiscal_year(fiscal_year)}", None)]
            yield page_url[:-1] + ".md", render_template(
                "rollup.md.j2", crumbs=Markup(navigation.front_matter(trail)), office=catalog.offices[slug].model, fiscal_year=fiscal_year, rows=rows, kinds=order,
                chart=chart, page_url=page_url, office_url=f"offices/{slug}/",
                updated=max((d for d in dates if d), default=None), status_url=status_url(slug))


def rollup_years(catalog, slug: str, by_office: dict[str, list[DocumentView]]) -> list[str]:
    """Fiscal years in which the office's direct children published something, newest first."""
    return sorted({d.fiscal_year for c in catalog.children_of(slug) for d in by_office.get(c.slug, []) if d.fiscal_year},
                  reverse=True)


def rollup_url(slug: str, fiscal_year: str) -> str:
    return f"offices/{slug}/compare-{fiscal_year}/"


def status_url(slug: str) -> str:
    """The reporting-status page of an office and every office below it."""
    return f"offices/{slug}/status/"


def _tops(catalog) -> list:
    return [o.model for _, o in sorted(catalog.offices.items()) if not o.model.parent or o.model.parent not in catalog.offices]


SECTION_PAGES = ((navigation.OFFICES_URL + "index.md", ""), (navigation.TEMPLATES_URL + "index.md", ""))


def section_pages(catalog, templates: list[DocumentView]):
    """(src_uri, markdown) of the section pages the navigation drawer leads to: every office, the national templates."""
    home = navigation.Crumb(*navigation.HOME)
    tree = render_template("home_offices.md.j2", tops=_tops(catalog), catalog=catalog, page_url=navigation.OFFICES_URL)
    yield navigation.OFFICES_URL + "index.md", render_template(
        "offices_index.md.j2", tree=Markup(tree),
        crumbs=Markup(navigation.front_matter([home, navigation.Crumb(navigation.OFFICES_TITLE, None)])))
    by_year: dict[str, list[DocumentView]] = {}
    for doc in templates:
        by_year.setdefault(doc.fiscal_year, []).append(doc)
    yield navigation.TEMPLATES_URL + "index.md", render_template(
        "templates_index.md.j2", by_year=sorted(by_year.items(), reverse=True), page_url=navigation.TEMPLATES_URL,
        crumbs=Markup(navigation.front_matter([home, navigation.Crumb(navigation.TEMPLATES_TITLE, None)])))
