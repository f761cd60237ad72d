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
from sebabox.outputs.notes import NoteBook
from sebabox.model import ANNEX_NUMBERS, KIND_TITLES, LEVEL_BN, Level
from sebabox.outputs.report import DocumentView
from sebabox.scoring.score import LEVEL_NAMES, LEVEL_PERCENTS
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
        "monitoring": doc.kind != "apa" or bool(doc.progress),
        "remarks": any(i.remarks for i in rows),
    }


def render_template(name: str, **context) -> str:
    return ENV.get_template(name).render(**context)


# --------------------------------------------------------------------------- whole-site rendering


def fiscal_years(fiscal_year: str) -> dict:
    years = {name: bengali.shift_fiscal_year(fiscal_year, n)
             for name, n in (("prev2", -2), ("prev1", -1), ("this", 0), ("next1", 1), ("next2", 2))}
    return {**years, "start": bengali.fiscal_year_start(fiscal_year)}


def updated_on(doc: DocumentView):
    """'Last updated' from the content: the latest report or letter date, else the plan's year start;
    a charter's own date, or None when it prints none (no date is made up for it)."""
    import datetime as dt

    if doc.kind == "charter":
        return doc.model.date

    dates = [r.as_of for r in doc.progress] + [r.letter.date for r in doc.progress if r.letter]
    signing = getattr(doc.model, "signing_date", None)
    if signing:
        dates.append(signing)
    return max(dates) if dates else dt.date(bengali.fiscal_year_start(doc.fiscal_year), 7, 1)


def note_book(doc: DocumentView, annexes=()) -> NoteBook:
    """The annotated values a rendering of `doc` (and the annexes printed with it) may show."""
    return NoteBook(*(m for d in (doc, *annexes) for m in (d.model, *d.progress)))


PAGE_TEMPLATES = {"apa": "apa.md.j2", "charter": "charter.md.j2"}


def document_page(doc: DocumentView, annexes: list[DocumentView] = (), history=None) -> str:
    """The site page of a document; an APA lists its annexes 4-8 (`annexes`) in its table of contents.
    `history` (a history.DocumentHistory) lists its versions."""
    return render_template(
        PAGE_TEMPLATES.get(doc.kind, "plan.md.j2"), doc=doc, shape=table_shape(doc), notes=note_book(doc),
        years=fiscal_years(doc.fiscal_year) if doc.fiscal_year else {}, page_url=doc.links.page,
        office_url=f"offices/{doc.office.slug}/", updated=updated_on(doc), annexes=list(annexes),
        charts=charts.document_charts(doc), charter_columns=charter_view.columns, history=history,
    )


def version_page(doc: DocumentView, version) -> str:
    """One past version of a document (a history.Version): what changed and its indicator table then."""
    return render_template("version.md.j2", doc=doc, version=version, page_url=version.url)


PRINT_TEMPLATES = {"apa": "apa.html.j2", "charter": "charter.html.j2"}


def document_print_html(doc: DocumentView, css: str, annexes: list[DocumentView] = ()) -> str:
    """The print HTML of a document; the full APA carries its annexes 4-8 in the printed order."""
    return render_template(
        PRINT_TEMPLATES.get(doc.kind, "plan.html.j2"), doc=doc, shape=table_shape(doc), notes=note_book(doc, annexes),
        years=fiscal_years(doc.fiscal_year) if doc.fiscal_year else {}, css=Markup(css), updated=updated_on(doc),
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
                downloads: dict | None = None) -> str:
    """The office's page; `downloads`: its open data zip and datapackage with the zip's size (datapage.py)."""
    office = catalog.offices[slug].model
    parent = catalog.offices[office.parent].model if office.parent in catalog.offices else None
    children = [{"name": o.name, "url": f"offices/{o.slug}/"} for o in catalog.children_of(slug)]
    by_year: dict[str, list[DocumentView]] = {}
    for doc in docs:
        if doc.fiscal_year:  # a charter without a fiscal year is shown with the contacts
            by_year.setdefault(doc.fiscal_year, []).append(doc)
    documents = sorted(by_year.items(), reverse=True)
    updated = max((u for u in (updated_on(d) for d in docs) if u), default=None)
    charters = sorted((d for d in docs if d.kind == "charter"), key=lambda d: d.fiscal_year, reverse=True)
    return render_template(
        "office.md.j2", office=office, parent=parent, parent_url=f"offices/{office.parent}/",
        charter=charters[0] if charters else None,
        children=children, documents=documents, page_url=f"offices/{slug}/", updated=updated,
        rollups=[(fy, rollup_url(slug, fy)) for fy in rollup_years(catalog, slug, by_office)],
        downloads=downloads,
    )


# --------------------------------------------------------------------------- roll-ups and home page


def _doc_cell(doc: DocumentView) -> dict:
    percent = doc.score / doc.max_score * 100 if doc.score is not None and doc.max_score else None
    quarter = f" ({bengali.QUARTER_NAMES[doc.quarter - 1].split()[0]})" if doc.quarter else ""
    text = (f"{bengali.bn_score(doc.score)} / {bengali.bn_number(doc.max_score)}{quarter}" if percent is not None
            else "দেখুন" if doc.kind == "charter" else "পরিকল্পনা (অগ্রগতি নেই)")
    return {"text": text, "percent": f"{percent:.2f}" if percent is not None else None, "url": doc.links.page,
            "printed": printed_difference(doc)}


def printed_difference(doc: DocumentView) -> str | None:
    """'ছাপা দলিলে ৯.৫০: …' when the report's printed scores add up to another total than the rules give."""
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


def rollup_pages(catalog, by_office: dict[str, list[DocumentView]], only: set[str] | None = None):
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
                dates.extend(u for u in (updated_on(d) for d in docs.values()) if u)
                rows.append({"name": child.name, "url": f"offices/{child.slug}/",
                             "docs": {k: _doc_cell(d) for k, d in docs.items()}})
                scored = [d for d in docs.values() if d.score is not None and d.kind != "charter"]
                if scored:
                    bars.append(charts.Bar(child.name, sum((d.score for d in scored), Decimal(0)),
                                           sum((d.max_score for d in scored), Decimal(0))))
            order = [k for k in ("apa", "nis", "egov", "grs", "cc", "rti", "charter") if k in kinds]
            page_url = rollup_url(slug, fiscal_year)
            chart = charts.bar_chart(bars, "আওতাধীন দপ্তরের মোট অর্জিত মান (প্রতিবেদিত দলিলসমূহ)") if bars else None
            yield page_url[:-1] + ".md", render_template(
                "rollup.md.j2", office=catalog.offices[slug].model, fiscal_year=fiscal_year, rows=rows, kinds=order,
                chart=chart, page_url=page_url, office_url=f"offices/{slug}/", updated=max(dates, default=None))


def rollup_years(catalog, slug: str, by_office: dict[str, list[DocumentView]]) -> list[str]:
    """Fiscal years in which the office's direct children published something, newest first."""
    return sorted({d.fiscal_year for c in catalog.children_of(slug) for d in by_office.get(c.slug, []) if d.fiscal_year},
                  reverse=True)


def rollup_url(slug: str, fiscal_year: str) -> str:
    return f"offices/{slug}/compare-{fiscal_year}/"


def home_sections(catalog, docs: list[DocumentView]) -> dict[str, str]:
    """Markdown for the markers in content/index.md: the office hierarchy and the latest updates."""
    tops = [o.model for _, o in sorted(catalog.offices.items()) if not o.model.parent or o.model.parent not in catalog.offices]
    updates = sorted((d for d in docs if d.progress), key=lambda d: (updated_on(d), d.slug), reverse=True)[:10]
    return {
        "<!-- sebabox:offices -->": render_template("home_offices.md.j2", tops=tops, catalog=catalog, page_url=""),
        "<!-- sebabox:updates -->": render_template("home_updates.md.j2", updates=updates, page_url="",
                                                    updated_on=updated_on),
    }
