"""Assemble what a reader sees of one document: rows with quarterly values, totals, scores, links.

Pure: catalog in, views out. Pages, PDFs and open data are all rendered from these
views, so a score is computed once, by the functions in `score`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from decimal import Decimal

from sebabox.scoring import score
from sebabox.inputs.load import Catalog
from sebabox.bengali import bn_number, bn_score
from sebabox.model import ANNEX_NUMBERS, KIND_TITLES, Apa, Area, Charter, GovernanceItem, GovernancePlan, Letter, Office, PrintedTotals, Progress
from sebabox.scoring.score import IndicatorResult


@dataclass(frozen=True)
class AreaView:
    area: Area
    rows: list[IndicatorResult]
    score: Decimal | None


@dataclass(frozen=True)
class GovernanceRow:
    """An APA governance item and the marks its annex carries into the APA."""

    item: GovernanceItem
    annex: "DocumentView | None"
    mark: Decimal | None
    explanation: str


@dataclass(frozen=True)
class ActivityLabel:
    id: str
    text: str


@dataclass(frozen=True, slots=True)
class Links:
    page: str
    pdf: str
    json: str
    csv: str


@dataclass(frozen=True)
class Scored:
    """A document's computed part: rows with scores, area subtotals, governance marks, the total."""

    areas: list[AreaView]
    score: Decimal | None
    max_score: Decimal
    governance: list[GovernanceRow] = field(default_factory=list)


@dataclass(frozen=True)
class DocumentView:
    """One document (or one quarter's report) as readers see it. Its scores are computed when first
    asked for, so a republish that shows a few documents scores only those."""

    office: Office
    kind: str
    fiscal_year: str
    title: str
    model: GovernancePlan | Apa | Charter
    quarter: int | None  # latest quarter with a report, None when only the plan exists
    scoring: Callable[[], Scored] = field(repr=False, compare=False)
    progress: list[Progress] = field(default_factory=list)
    is_report: bool = False  # a quarter's progress report page/PDF rather than the document itself
    template_name: str | None = None  # a national template, published as a document of its issuer

    @cached_property
    def _scored(self) -> Scored:
        return self.scoring()

    @property
    def areas(self) -> list[AreaView]:
        return self._scored.areas

    @property
    def score(self) -> Decimal | None:
        return self._scored.score

    @property
    def max_score(self) -> Decimal:
        return self._scored.max_score

    @property
    def governance(self) -> list[GovernanceRow]:
        return self._scored.governance

    @property
    def page_kind(self) -> str:
        """'nis' for the document, 'nis-q1' for its quarter-1 progress report, 'template-cc-ministry'."""
        if self.template_name:
            return f"template-{self.template_name}"
        return f"{self.kind}-q{self.quarter}" if self.is_report else self.kind

    @property
    def slug(self) -> str:
        return doc_slug(self.office.slug, self.fiscal_year, self.page_kind)

    @property
    def links(self) -> Links:
        if self.template_name:
            return template_links(self.office.slug, self.fiscal_year, self.template_name)
        return document_links(self.office.slug, self.fiscal_year, self.page_kind)

    def reports(self, catalog: Catalog) -> list["DocumentView"]:
        """One view per quarterly progress report, each as of its own quarter."""
        return [document_view(catalog, self.model, upto=r.quarter, is_report=True) for r in self.progress]

    @property
    def letter(self) -> Letter | None:
        return self.progress[-1].letter if self.progress else None

    @property
    def report(self) -> Progress | None:
        return self.progress[-1] if self.progress else None

    def evidence_activity(self, evidence) -> "ActivityLabel | None":
        """Annex 2's কার্যক্রম column: the activity its indicator belongs to ([২.২] for [২.২.৬])."""
        activity_id = evidence.indicator.rsplit(".", 1)[0] if "." in evidence.indicator else evidence.indicator
        if evidence.activity:
            return ActivityLabel(activity_id, evidence.activity)
        for area in getattr(self.model, "areas", []):
            for ind in area.indicators:
                if ind.id == evidence.indicator and ind.activity:
                    return ActivityLabel(activity_id, ind.activity)
        return None

    def report_of(self, quarter: int) -> Progress | None:
        return next((r for r in self.progress if r.quarter == quarter), None)

    # ---- what the latest report printed, beside what the rules compute

    def printed_row(self, indicator_id: str) -> PrintedTotals | None:
        return self.report.printed.get(indicator_id) if self.report else None

    def score_differs(self, row: IndicatorResult) -> bool:
        printed = self.printed_row(row.indicator.id)
        if printed is None or printed.score is None:
            return False
        computed = row.score.value if row.score else Decimal(0)
        return _cents(printed.score) != _cents(computed)

    @property
    def differing_rows(self) -> list[str]:
        return [r.indicator.id for a in self.areas for r in a.rows if self.score_differs(r)]

    @property
    def printed_total(self) -> Decimal | None:
        """The printed rows' scores added up (the paper's total), when the report printed scores."""
        scores = [p.score for p in (self.report.printed.values() if self.report else []) if p.score is not None]
        return sum(scores, Decimal(0)) if scores else None

    @property
    def printed_total_differs(self) -> bool:
        """Only where the total is the rows' sum (not an APA, whose total adds the governance marks)."""
        total = self.printed_total
        return (total is not None and self.score is not None and not self.governance
                and _cents(total) != _cents(self.score))


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


def doc_slug(office: str, fiscal_year: str, kind: str) -> str:
    """'office-2023-24-nis'; a document without a fiscal year (a charter that names none): 'office-charter'."""
    return f"{office}-{fiscal_year}-{kind}" if fiscal_year else f"{office}-{kind}"


def document_links(office: str, fiscal_year: str, kind: str) -> Links:
    """URLs relative to the site root: the open data contract."""
    name = doc_slug(office, fiscal_year, kind)
    return Links(
        page=f"offices/{office}/{fiscal_year}/{kind}/" if fiscal_year else f"offices/{office}/{kind}/",
        pdf=f"pdf/{name}.pdf",
        json=f"data/{office}/{name}.json",
        csv=f"data/{office}/{name}.csv",
    )


def template_links(issuer: str, fiscal_year: str, name: str) -> Links:
    """A national template's page lives in its own section (national-templates/), not among its
    issuer's documents; its PDF and open data keep their names under the issuer."""
    links = document_links(issuer, fiscal_year, f"template-{name}")
    return Links(page=f"national-templates/{fiscal_year}/{name}/", pdf=links.pdf, json=links.json, csv=links.csv)


def office_page(slug: str) -> str:
    return f"offices/{slug}/"


def progress_reports(catalog: Catalog, office: str, fiscal_year: str, kind: str) -> list[Progress]:
    return catalog.progress_for(office, fiscal_year, kind)


def rule_for(kind: str) -> str:
    return "levels" if kind == "apa" else "proportional"


def plan_rows(catalog: Catalog, plan: GovernancePlan | Apa, upto: int) -> list[IndicatorResult]:
    return [row for area in area_views(catalog, plan, upto) for row in area.rows]


def area_views(catalog: Catalog, plan: GovernancePlan | Apa, upto: int) -> list[AreaView]:
    reports = [r for r in progress_reports(catalog, plan.office, plan.fiscal_year, plan.kind) if r.quarter <= upto]
    rule = rule_for(plan.kind)
    views = []
    for area in plan.areas:
        rows = []
        for ind in area.indicators:
            quarters = {r.quarter: r.achievements.get(ind.id) for r in reports}
            rows.append(score.indicator_result(ind, quarters, upto, rule))
        scored = [r.score for r in rows if r.score is not None]
        views.append(AreaView(area, rows, score.total(scored) if reports else None))
    return views


def document_view(catalog: Catalog, plan: GovernancePlan | Apa | Charter, upto: int | None = None,
                  is_report: bool = False) -> DocumentView:
    office = catalog.offices[plan.office].model
    fiscal_year = plan.fiscal_year or ""  # a charter may name no fiscal year
    reports = progress_reports(catalog, plan.office, fiscal_year, plan.kind)
    if upto is not None:
        reports = [r for r in reports if r.quarter <= upto]
    quarter = reports[-1].quarter if reports else None
    title = getattr(plan, "title", None) or KIND_TITLES[plan.kind]
    scoring = functools.partial(_scored, catalog, plan, upto, quarter, bool(reports))
    return DocumentView(office, plan.kind, fiscal_year, title, plan, quarter, scoring, reports, is_report)


def _scored(catalog: Catalog, plan: GovernancePlan | Apa | Charter, upto: int | None, quarter: int | None,
            reported: bool) -> Scored:
    areas = [] if isinstance(plan, Charter) else area_views(catalog, plan, quarter or 0)
    max_score = sum((a.area.weight for a in areas), Decimal(0))
    total = sum((a.score for a in areas if a.score is not None), Decimal(0)) if reported else None
    governance = governance_rows(catalog, plan, upto) if isinstance(plan, Apa) else []
    if governance:
        max_score += plan.governance.weight
        marks = [g.mark for g in governance if g.mark is not None]
        if marks:
            total = (total or Decimal(0)) + sum(marks, Decimal(0))
    return Scored(areas, total, max_score, governance)


def governance_rows(catalog: Catalog, apa: Apa, upto: int | None) -> list[GovernanceRow]:
    """Each annex's score, scaled to its APA item's weight (unit প্রাপ্ত নম্বর)."""
    rows = []
    for item in apa.governance.items:
        plan = catalog.plan_for(apa.office, apa.fiscal_year, item.document)
        annex = document_view(catalog, plan, upto) if plan else None
        if annex is None or annex.score is None or not annex.max_score:
            rows.append(GovernanceRow(item, annex, None, "সংযোজনীর অগ্রগতি এখনো প্রতিবেদিত হয়নি"))
            continue
        mark = score.governance_mark(annex.score, annex.max_score, item.weight)
        rows.append(GovernanceRow(item, annex, mark,
                                  f"সংযোজনীর অর্জিত মান {bn_score(annex.score)} / {bn_number(annex.max_score)}"
                                  f" × {bn_number(item.weight)} = {bn_score(mark)}"))
    return rows


def quarter_progress(catalog: Catalog, doc: DocumentView) -> list[tuple[int, Decimal | None, Decimal | None]]:
    """(quarter, planned score by its end, achieved score by its end) for Q1-Q4 of a scored plan.
    Planned: the score the quarter targets would earn if achieved exactly (None when the plan sets none);
    achieved: None for a quarter not reported (or after the report a quarter's page shows)."""
    plan = doc.model
    if doc.template_name or isinstance(plan, Charter) or doc.score is None:
        return []
    rule = rule_for(plan.kind)
    indicators = [i for a in plan.areas for i in a.indicators]
    has_targets = any(i.quarter_targets for i in indicators)
    reported = {r.quarter for r in doc.progress}
    points = []
    for q in range(1, 5):
        planned = None
        if has_targets:
            results = [score.indicator_result(i, {k + 1: v for k, v in enumerate(i.quarter_targets or [])}, q, rule)
                       for i in indicators]
            planned = score.total(r.score for r in results)
        achieved = None
        if q in reported:
            achieved = doc.score if q == doc.quarter else document_view(catalog, plan, upto=q).score
        points.append((q, planned, achieved))
    return points


def all_documents(catalog: Catalog) -> list[DocumentView]:
    """Every document, in a stable order: office, fiscal year, APA first then annexes 4-8, charter."""
    order = {"apa": 0, "nis": 4, "egov": 5, "grs": 6, "cc": 7, "rti": 8, "charter": 9}
    charters = [c for c in catalog.charters if c.model.services]  # an empty charter (new-office) is not published
    models = [x.model for x in [*catalog.apas, *catalog.plans, *charters] if x.model.office in catalog.offices]
    models.sort(key=lambda m: (m.office, m.fiscal_year or "", order[m.kind]))
    return [document_view(catalog, m) for m in models]



def template_views(catalog: Catalog) -> list[DocumentView]:
    """National templates, each with the office that issues them, by its slug (`issuer_office`):
    another office of the same name takes none, a renamed issuer keeps them (check warns when it is missing)."""
    views = []
    for (fiscal_year, name), loaded in sorted(catalog.templates.items()):
        template = loaded.model
        issuer = catalog.offices[template.issuer_office].model if template.issuer_office in catalog.offices else None
        if issuer is None:
            continue
        areas = [AreaView(a, [IndicatorResult(i, {}, None, None) for i in a.indicators], None) for a in template.areas]
        scored = Scored(areas, None, sum((a.weight for a in template.areas), Decimal(0)))
        views.append(DocumentView(issuer, template.document, fiscal_year, template.title, template, None,
                                  (lambda scored=scored: scored), template_name=name))
    return views


@dataclass
class SiteDocuments:
    """Every document view of a site, grouped by office: what the plugin renders and publishes."""

    docs: list[DocumentView]  # offices' documents, then the national templates
    reports: list[DocumentView]
    by_office: dict[str, list[DocumentView]]  # offices' own documents: no templates
    templates: list[DocumentView] = field(default_factory=list)

    @classmethod
    def of(cls, catalog: Catalog) -> "SiteDocuments":
        own, templates = all_documents(catalog), template_views(catalog)
        by_office: dict[str, list[DocumentView]] = {}
        for doc in own:
            by_office.setdefault(doc.office.slug, []).append(doc)
        return cls(own + templates, [r for doc in own for r in doc.reports(catalog)], by_office, templates)

    def annexes(self, doc: DocumentView) -> list[DocumentView]:
        """Annexes 4-8 of an APA: the same office's governance plans of the same year."""
        if doc.kind != "apa":
            return []
        return [d for d in self.by_office[doc.office.slug] if d.fiscal_year == doc.fiscal_year and d.kind in ANNEX_NUMBERS]
